// SP1 proofs through the installed package, on the real fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, verifySp1Proof, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const json = (p) => JSON.parse(readFileSync(`${FIX}/sp1/${p}`, 'utf8'));
await init();

const template = (f) => ({ proof: f.proof, publicValues: f.publicValues, vkeyHash: f.vkey });

test('SP1 v6.0 Groth16 and Plonk fixtures verify', () => {
  const g = verifySp1Proof(template(json('sp1-project-template-v6.0.0/groth16-fixture.json')));
  assert.equal(g.system, 'groth16');
  assert.match(g.sp1Version, /^v6\.0/);
  const p = verifySp1Proof(template(json('sp1-project-template-v6.0.0/plonk-fixture.json')));
  assert.equal(p.system, 'plonk');
});

test('SP1 v5.2.1 Groth16 (hex without 0x) verifies', () => {
  const f = json('example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json');
  const r = verifySp1Proof({ proof: f.proof, publicValues: f.public_inputs, vkeyHash: f.vkey_hash });
  assert.equal(r.system, 'groth16');
  assert.match(r.sp1Version, /^v5/);
});

test('a flipped public-values byte, a wrong vkey and garbage are refused with typed errors', () => {
  const f = template(json('sp1-project-template-v6.0.0/groth16-fixture.json'));
  const pv = Buffer.from(f.publicValues.slice(2), 'hex');
  pv[pv.length - 1] ^= 1;
  assert.throws(() => verifySp1Proof({ ...f, publicValues: new Uint8Array(pv) }), (e) => e instanceof PreconfLightError && e.code === 'INVALID_PROOF');
  const vk = `${f.vkeyHash.slice(0, -1)}${f.vkeyHash.endsWith('0') ? '1' : '0'}`;
  assert.throws(() => verifySp1Proof({ ...f, vkeyHash: vk }), (e) => e instanceof PreconfLightError && e.code === 'INVALID_PROOF');
  assert.throws(() => verifySp1Proof({ ...f, proof: new Uint8Array(7) }), (e) => e instanceof PreconfLightError);
  assert.throws(() => verifySp1Proof({ ...f, proof: 42 }), (e) => e instanceof PreconfLightError && e.code === 'INVALID_ARGUMENT');
});
