// The EVM in wasm (issue #7's benchmark): the two workloads of benches/evm.rs
// (a contract call simulated over proven state, and the stateless re-execution
// of a block of 100 transfers), dumped as the JSON requests of the wasm API by
// `EVM_BENCH_DUMP=bench/wasm/out-evm cargo bench --bench evm`, run through the
// EVM module (feature wasm-evm) bound for node in out-evm/. Proofs are verified
// on every call, as in the native `evm/*_json*` benches. Build with ./run-proof.sh.
// The raw module's `simulate`/`reexecuteBlock` are synchronous; the npm package
// wraps them in async functions that load this module on first use.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const dir = process.env.EVM_BENCH_DUMP ?? join(here, 'out-evm');
const evm = require(join(here, 'out-evm/preconf_light.js'));

const ROUNDS = Number(process.env.EVM_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.EVM_PER_ROUND ?? 10);
const request = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const workloads = [
  ['simulate (call, proofs verified)', evm.simulate, request('evm_simulate.json')],
  ['reexecuteBlock (100 transfers)', evm.reexecuteBlock, request('evm_reexecute.json')],
];

// Each workload must succeed, and must fail once its trusted root changes.
const gas = workloads.map(([name, run, req]) => {
  const out = run(req);
  if (!(out.status === 'ok' ? out.ok : out.status === 'verified')) {
    throw new Error(`${name}: unexpected result ${JSON.stringify(out)}`);
  }
  const key = 'stateRoot' in req ? 'stateRoot' : 'preStateRoot';
  const wrong = { ...req, [key]: `0x${'11'.repeat(32)}` };
  let refused = false;
  try {
    run(wrong);
  } catch (e) {
    refused = typeof e.code === 'string';
  }
  if (!refused) throw new Error(`${name}: accepted a wrong state root`);
  return out.gasUsed;
});

console.log(`EVM in wasm (node ${process.version}), ${ROUNDS} rounds x ${PER_ROUND}, interleaved`);
const times = workloads.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  workloads.forEach(([, run, req], i) => {
    for (let k = 0; k < PER_ROUND; k++) {
      const t0 = performance.now();
      run(req);
      times[i].push(performance.now() - t0);
    }
  });
}
workloads.forEach(([name], i) => {
  const ms = median(times[i]);
  const mgas = gas[i] / (ms / 1000) / 1e6;
  console.log(`${name.padEnd(34)} ${gas[i]} gas  median ${ms.toFixed(3)} ms  ${mgas.toFixed(1)} Mgas/s`);
});
