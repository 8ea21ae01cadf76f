// SP1 proof verification in wasm (issue #6's benchmark): preconf-light's
// `verifySp1Proof` (arkworks Groth16, own Plonk port) against
// `verifySp1ProofReference` (the same checks with sp1-verifier's default,
// substrate-bn, pairing code), both from ONE wasm module in ONE node process,
// on the real proofs of tests/fixtures/sp1. Build with ./run-proof.sh (binds
// out/ with feature sp1-reference). If out-shipped/ exists (the shipped
// `wasm-release` profile + wasm-opt -O2, bound for node), our side is timed
// from it too, in the same rounds.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../tests/fixtures/sp1');
const wasm = require('./out/preconf_light.js');
if (typeof wasm.verifySp1ProofReference !== 'function') {
  throw new Error('out/ was built without feature sp1-reference: run ./run-proof.sh');
}
const shippedPath = join(here, 'out-shipped/preconf_light.js');
const shipped = existsSync(shippedPath) ? require(shippedPath) : null;

const ROUNDS = Number(process.env.PROOF_ROUNDS ?? 7);
const OURS_PER_ROUND = Number(process.env.PROOF_OURS_PER_ROUND ?? 10);

const load = (file, [proof, publicValues, vkey]) => {
  const f = JSON.parse(readFileSync(join(fixtures, file), 'utf8'));
  const hex = (s) => (s.startsWith('0x') ? s : `0x${s}`);
  return { proof: hex(f[proof]), publicValues: hex(f[publicValues]), vkeyHash: f[vkey] };
};
const template = ['proof', 'publicValues', 'vkey'];
const example = ['proof', 'public_inputs', 'vkey_hash'];
const cases = [
  ['Groth16 v6.0', load('sp1-project-template-v6.0.0/groth16-fixture.json', template)],
  ['Plonk v6.0', load('sp1-project-template-v6.0.0/plonk-fixture.json', template)],
  ['Groth16 v5.2.1', load('example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json', example)],
  ['Groth16 v6.1', load('hyperbridge-sp1-beefy-v6.1.0/derived-sp1-groth16.json', template)],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const time = (f) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

// Both sides must accept each proof with the same receipt and refuse it once
// the public values change (the digest no longer matches the proof).
const sides = [
  ['ours', wasm.verifySp1Proof],
  ['reference', wasm.verifySp1ProofReference],
  ...(shipped ? [['ours shipped', shipped.verifySp1Proof]] : []),
];
for (const [name, input] of cases) {
  const receipts = sides.map(([, verify]) => JSON.stringify(verify(input)));
  if (new Set(receipts).size !== 1) throw new Error(`${name}: receipts differ: ${receipts}`);
  const last = input.publicValues.slice(-2) === '00' ? '01' : '00';
  const forged = { ...input, publicValues: input.publicValues.slice(0, -2) + last };
  for (const [side, verify] of sides) {
    let refused = false;
    try {
      verify(forged);
    } catch (e) {
      refused = typeof e.code === 'string';
    }
    if (!refused) throw new Error(`${name}: ${side} accepted changed public values`);
  }
}

console.log(
  `SP1 verification in wasm (node ${process.version}), ${ROUNDS} rounds: ` +
    `${OURS_PER_ROUND} of ours and 1 reference per case per round, interleaved`,
);
const times = new Map(cases.map(([name]) => [name, { ours: [], reference: [], shipped: [] }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, input] of cases) {
    const t = times.get(name);
    for (let i = 0; i < OURS_PER_ROUND; i++) {
      t.ours.push(time(() => wasm.verifySp1Proof(input)));
      if (shipped) t.shipped.push(time(() => shipped.verifySp1Proof(input)));
    }
    t.reference.push(time(() => wasm.verifySp1ProofReference(input)));
  }
}
for (const [name] of cases) {
  const t = times.get(name);
  const ours = median(t.ours);
  const reference = median(t.reference);
  let line =
    `${name.padEnd(15)} ours ${ours.toFixed(2)} ms  reference ${reference.toFixed(1)} ms  ` +
    `ours/reference ${(ours / reference).toFixed(4)} (1/${(reference / ours).toFixed(0)})`;
  if (shipped) {
    const s = median(t.shipped);
    line += `  | ours shipped build ${s.toFixed(2)} ms, /reference ${(s / reference).toFixed(4)} (1/${(reference / s).toFixed(0)})`;
  }
  console.log(line);
}
