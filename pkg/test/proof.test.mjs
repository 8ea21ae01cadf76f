// SP1 proofs through the installed package, on the real fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, initSp1, verifySp1Proof, verifySp1ProofReceipt, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const json = (p) => JSON.parse(readFileSync(`${FIX}/sp1/${p}`, 'utf8'));
await init();

const template = (f) => ({ proof: f.proof, publicValues: f.publicValues, vkeyHash: f.vkey });

test('SP1 v6.0 Groth16 and Plonk fixtures verify (the SP1 module loads on first use)', async () => {
  const g = await verifySp1Proof(template(json('sp1-project-template-v6.0.0/groth16-fixture.json')));
  assert.equal(g.system, 'groth16');
  assert.match(g.sp1Version, /^v6\.0/);
  const p = await verifySp1Proof(template(json('sp1-project-template-v6.0.0/plonk-fixture.json')));
  assert.equal(p.system, 'plonk');
});

test('SP1 v5.2.1 Groth16 (hex without 0x) verifies', async () => {
  const f = json('example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json');
  const r = await verifySp1Proof({ proof: f.proof, publicValues: f.public_inputs, vkeyHash: f.vkey_hash });
  assert.equal(r.system, 'groth16');
  assert.match(r.sp1Version, /^v5/);
});

test('a flipped public-values byte, a wrong vkey and garbage are refused with typed errors', async () => {
  const f = template(json('sp1-project-template-v6.0.0/groth16-fixture.json'));
  const pv = Buffer.from(f.publicValues.slice(2), 'hex');
  pv[pv.length - 1] ^= 1;
  await assert.rejects(verifySp1Proof({ ...f, publicValues: new Uint8Array(pv) }), (e) => e instanceof PreconfLightError && e.code === 'INVALID_PROOF');
  const vk = `${f.vkeyHash.slice(0, -1)}${f.vkeyHash.endsWith('0') ? '1' : '0'}`;
  await assert.rejects(verifySp1Proof({ ...f, vkeyHash: vk }), (e) => e instanceof PreconfLightError && e.code === 'INVALID_PROOF');
  await assert.rejects(verifySp1Proof({ ...f, proof: new Uint8Array(7) }), (e) => e instanceof PreconfLightError);
  await assert.rejects(verifySp1Proof({ ...f, proof: 42 }), (e) => e instanceof PreconfLightError && e.code === 'INVALID_ARGUMENT');
});

test('verifySp1ProofReceipt returns the public values it verified', async () => {
  await initSp1();
  const f = template(json('sp1-project-template-v6.0.0/groth16-fixture.json'));
  const r = await verifySp1ProofReceipt(f);
  assert.equal(r.system, 'groth16');
  assert.equal(r.publicValues, f.publicValues.toLowerCase());
  assert.equal(r.programVkey, f.vkeyHash.toLowerCase());
  assert.match(r.nonce, /^0x[0-9a-f]{64}$/);
  const legacy = json('example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json');
  const l = await verifySp1ProofReceipt({ proof: legacy.proof, publicValues: legacy.public_inputs, vkeyHash: legacy.vkey_hash });
  assert.equal(l.nonce, null);
});
