// Execution-layer verification through the installed package, on real mainnet data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, verifyExecutionBlock, verifyReceipts, verifyBlockReceipts, verifyAccountProof, verifyCode, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const json = (p) => JSON.parse(readFileSync(`${FIX}/mainnet/${p}`, 'utf8'));
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;
const DEPOSIT_CONTRACT = '0x00000000219ab540356cbb839cbe05303d7705fa';

await init();

const block = json('helios/el-cancun/block_21925176.json');
const receipts = json('helios/el-cancun/receipts_21925176.json');
const blockOf = (b) => b.result ?? b;

test('a Cancun block verifies against its hash; a changed field is refused', () => {
  const b = blockOf(block);
  const v = verifyExecutionBlock(block, b.hash);
  assert.equal(v.number, 21925176);
  assert.equal(v.hash, b.hash);
  const forged = structuredClone(b);
  forged.gasUsed = '0x1';
  assert.throws(() => verifyExecutionBlock(forged, b.hash), code('HEADER_HASH_MISMATCH'));
  assert.throws(() => verifyExecutionBlock(b, `0x${'00'.repeat(32)}`), code('HEADER_HASH_MISMATCH'));
});

test('202 receipts rebuild the receipts root and yield filtered logs', () => {
  const v = verifyExecutionBlock(block);
  const all = verifyReceipts(v.receiptsRoot, receipts);
  assert.equal(all.receiptCount, 202);
  assert.ok(all.logs.length > 0);
  const addr = all.logs[0].address;
  const some = verifyReceipts(v.receiptsRoot, receipts, { address: addr });
  assert.ok(some.logs.length >= 1 && some.logs.every((l) => l.address === addr));
  const withTx = verifyBlockReceipts(block, receipts, v.hash);
  assert.equal(withTx.logs.length, all.logs.length);
});

test('a changed receipt or a wrong root is refused', () => {
  const v = verifyExecutionBlock(block);
  const list = structuredClone(receipts.result ?? receipts);
  list[3].cumulativeGasUsed = '0x1';
  assert.throws(() => verifyReceipts(v.receiptsRoot, list), (e) => e instanceof PreconfLightError);
  assert.throws(() => verifyReceipts(v.stateRoot, receipts), code('RECEIPTS_ROOT_MISMATCH'));
});

test('the deposit contract account and storage proof verify; a lie about the balance is refused', () => {
  const v = verifyExecutionBlock(block);
  const proof = json('helios/el-cancun/getproof_deposit_contract_21925176.json');
  const acct = verifyAccountProof(v.stateRoot, proof);
  assert.equal(acct.address, DEPOSIT_CONTRACT);
  assert.ok(acct.exists);
  assert.ok(acct.storage.length >= 1);
  const lie = structuredClone(proof.result ?? proof);
  lie.balance = '0x1';
  assert.throws(() => verifyAccountProof(v.stateRoot, lie), code('PROOF_VALUE_MISMATCH'));
  assert.throws(() => verifyCode(v.stateRoot, proof, '0x6000'), code('CODE_HASH_MISMATCH'));
});
