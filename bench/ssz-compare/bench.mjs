// The SSZ decision (issue #16): decode + hash_tree_root of the same three real
// mainnet Capella containers by three wasm builds of bench/ssz-compare (the
// in-house src/ssz, sigp's ethereum_ssz + tree_hash, ssz_rs), side by side in
// ONE node process, interleaved rounds, medians. Also prints each build's
// size (wasm-opt -O2, gzip -9) against the build with no implementation.
//   bash bench/ssz-compare/run.sh   (builds, then runs this)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';

const dir = new URL('./', import.meta.url);
const ROUNDS = Number(process.env.SSZ_ROUNDS ?? 30);
const PER = { update: 20, header: 200, body: 5 };
const names = ['inhouse', 'sigp', 'sszrs'];
const kinds = ['update', 'header', 'body'];

async function load(name) {
  const bytes = readFileSync(new URL(`out/${name}.wasm`, dir));
  const module = await WebAssembly.compile(bytes);
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) {
    imports[i.module] ??= {};
    imports[i.module][i.name] = () => { throw new Error(`import ${i.module}.${i.name} called`); };
  }
  const { exports } = await WebAssembly.instantiate(module, imports);
  return { exports, gzip: gzipSync(bytes, { level: 9 }).length, raw: bytes.length };
}

const base = await load('none');
const mods = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await load(n)])));
const inputs = Object.fromEntries(kinds.map((k) => [k, readFileSync(new URL(`data/${k}.ssz`, dir))]));

function caller(m, kind) {
  const input = inputs[kind];
  const ptr = m.exports.alloc(input.length);
  const out = m.exports.alloc(32);
  new Uint8Array(m.exports.memory.buffer, ptr, input.length).set(input);
  const k = kinds.indexOf(kind);
  return () => {
    if (m.exports.decode_hash_wasm(k, ptr, input.length, out) !== 1) throw new Error('decode failed');
    return Buffer.from(new Uint8Array(m.exports.memory.buffer, out, 32)).toString('hex');
  };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

console.log(`node ${process.version}; ${ROUNDS} interleaved rounds; inputs: update ${inputs.update.length} B, header ${inputs.header.length} B, body ${inputs.body.length} B (mainnet Capella)`);
console.log(`sizes (wasm-opt -O2, gzip -9; delta = against the build with no implementation, ${base.gzip} B):`);
for (const n of names) console.log(`  ${n.padEnd(8)} raw ${mods[n].raw} B, gzip ${mods[n].gzip} B, delta ${mods[n].gzip - base.gzip} B (${((mods[n].gzip - base.gzip) / 1024).toFixed(1)} KiB)`);
for (const kind of kinds) {
  const calls = Object.fromEntries(names.map((n) => [n, caller(mods[n], kind)]));
  const roots = names.map((n) => calls[n]());
  if (new Set(roots).size !== 1) throw new Error(`${kind}: roots differ ${roots}`);
  const t = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS + 2; r++) {
    for (const n of (r % 2 ? [...names].reverse() : names)) {
      const t0 = performance.now();
      for (let i = 0; i < PER[kind]; i++) calls[n]();
      if (r >= 2) t[n].push((performance.now() - t0) / PER[kind]);
    }
  }
  const med = Object.fromEntries(names.map((n) => [n, median(t[n])]));
  console.log(`${kind.padEnd(7)} root ${roots[0].slice(0, 16)}…  ` + names.map((n) => `${n} ${(med[n] * 1000).toFixed(1)} µs`).join('  ') +
    `  | inhouse/sigp ${(med.inhouse / med.sigp).toFixed(2)}  inhouse/ssz_rs ${(med.inhouse / med.sszrs).toFixed(2)}`);
}
