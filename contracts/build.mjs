// Compiles the inbox (contracts/sol) with the pinned solc-js from the root
// package.json and writes, or with --check compares byte for byte, the
// committed artifacts in contracts/out:
//   PreconfInbox.bin          creation bytecode (hex, no 0x)
//   PreconfInbox.runtime.bin  deployed bytecode before immutables are set (hex)
//   PreconfInbox.abi.json     ABI
//   PreconfInbox.storage.json storage layout (slot, offset, type of each variable)
// solc-js carries its compiler as wasm inside the npm package: no download.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "package.json"));
const solc = require("solc");
const EXPECTED_VERSION = "0.8.30+commit.73712a01";
const MAIN = "PreconfInbox";

if (!solc.version().startsWith(EXPECTED_VERSION)) {
  console.error(`solc ${solc.version()} is not the pinned ${EXPECTED_VERSION}`);
  process.exit(1);
}

const sources = {};
for (const f of readdirSync(join(here, "sol")).sort()) {
  if (f.endsWith(".sol")) sources[f] = { content: readFileSync(join(here, "sol", f), "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: {
    evmVersion: "prague",
    viaIR: true,
    optimizer: { enabled: true, runs: 200 },
    metadata: { bytecodeHash: "ipfs" },
    outputSelection: {
      [`${MAIN}.sol`]: {
        [MAIN]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "storageLayout"],
      },
    },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors || []).filter((e) => e.severity === "error");
for (const e of out.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
const c = out.contracts[`${MAIN}.sol`][MAIN];
const layout = c.storageLayout.storage.map(({ label, slot, offset, type }) => ({ label, slot, offset, type }));
const artifacts = {
  [`${MAIN}.bin`]: c.evm.bytecode.object + "\n",
  [`${MAIN}.runtime.bin`]: c.evm.deployedBytecode.object + "\n",
  [`${MAIN}.abi.json`]: JSON.stringify(c.abi, null, 2) + "\n",
  [`${MAIN}.storage.json`]: JSON.stringify(layout, null, 2) + "\n",
};

if (process.argv.includes("--check")) {
  let bad = 0;
  for (const [name, fresh] of Object.entries(artifacts)) {
    let committed = "";
    try {
      committed = readFileSync(join(here, "out", name), "utf8");
    } catch {
      // reported below
    }
    if (committed !== fresh) {
      console.error(`contracts/out/${name} differs from a fresh compile: run node contracts/build.mjs`);
      bad += 1;
    }
  }
  if (bad > 0) process.exit(1);
  console.log(`contracts: ${Object.keys(artifacts).length} artifacts match a fresh compile (solc ${solc.version()})`);
} else {
  for (const [name, fresh] of Object.entries(artifacts)) writeFileSync(join(here, "out", name), fresh);
  const size = c.evm.deployedBytecode.object.length / 2;
  console.log(`contracts: wrote contracts/out (runtime ${size} bytes)`);
}
