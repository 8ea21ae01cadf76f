// Local EVM checks through the installed package, on real mainnet state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, simulate, reexecuteBlock, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const json = (p) => JSON.parse(readFileSync(`${FIX}/mainnet/${p}`, 'utf8'));
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;
const DEPOSIT = '0x00000000219ab540356cbb839cbe05303d7705fa';
const MINER = '0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97';
const EMPTY_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';

await init();

const block = json('helios/el-cancun/block_21925176.json');
const header = block.result ?? block;
const deposit = json('helios/el-cancun/getproof_deposit_contract_21925176.json');
const miner = json('helios/el-cancun/getproof_miner_21925176.json');
const slot1 = deposit.storageProof[0];

const request = (extra) => ({
  stateRoot: header.stateRoot,
  proofs: [deposit, miner],
  block: { chainId: 1, number: 21925177, timestamp: 1740000000, beneficiary: MINER, gasLimit: 36000000, baseFee: 1 },
  ...extra,
});

test('simulate reads real proven storage and balances through revm', () => {
  const r = simulate(request({
    assertions: [
      { type: 'storageEquals', address: DEPOSIT, slot: slot1.key, value: slot1.value },
      { type: 'storageEquals', address: DEPOSIT, slot: slot1.key, value: '0x1' },
      { type: 'balanceAtLeast', address: MINER, min: miner.balance },
    ],
  }));
  assert.equal(r.status, 'ok');
  assert.equal(r.stateRoot, header.stateRoot);
  assert.deepEqual(r.assertions.map((a) => a.passed), [true, false, true]);
  assert.equal(r.ok, false);
});

test('calling the deposit contract without its code asks for the code', () => {
  const r = simulate(request({ txs: [{ from: MINER, to: DEPOSIT, value: '0x1', gas: 100000 }] }));
  assert.equal(r.status, 'needsState');
  assert.deepEqual(r.needs.codes, [DEPOSIT]);
  const r2 = simulate(request({ assertions: [{ type: 'balanceAtLeast', address: `0x${'77'.repeat(20)}`, min: 0 }] }));
  assert.deepEqual(r2.needs.accounts, [`0x${'77'.repeat(20)}`]);
});

test('a forged proof or a malformed request throws a coded error', () => {
  const forged = structuredClone(deposit);
  forged.balance = '0x1';
  assert.throws(() => simulate(request({ proofs: [forged] })), code('PROOF_VALUE_MISMATCH'));
  assert.throws(() => simulate({ stateRoot: '0x12' }), code('INVALID_INPUT'));
  assert.throws(() => simulate(request({ txs: ['0x02ff'] })), code('INVALID_TRANSACTION'));
});

// An empty block over the real state: nothing executes, so the post-state
// root must be the pre-state root; a withdrawal needs its recipient proven.
const emptyBlock = (over) => ({
  ...header,
  transactionsRoot: EMPTY_ROOT,
  receiptsRoot: EMPTY_ROOT,
  withdrawalsRoot: EMPTY_ROOT,
  gasUsed: '0x0',
  stateRoot: header.stateRoot,
  ...over,
});

test('reexecuteBlock verifies an empty block and refuses a forged post-state root', () => {
  // Shanghai rules: no system call. (Under Cancun the core first asks for a
  // proof that the EIP-4788 contract is absent: see the next test.)
  const req = { preStateRoot: header.stateRoot, header: emptyBlock(), transactions: [], chainId: 1, spec: 'shanghai', witness: { proofs: [] } };
  const v = reexecuteBlock(req);
  assert.equal(v.status, 'verified');
  assert.equal(v.executionChecked, true);
  assert.equal(v.stateRoot, header.stateRoot);
  const bad = { ...req, header: emptyBlock({ stateRoot: `0x${'ee'.repeat(32)}` }) };
  assert.throws(() => reexecuteBlock(bad), code('POST_STATE_ROOT_MISMATCH'));
  const badTxs = { ...req, transactions: ['0x01'] };
  assert.throws(() => reexecuteBlock(badTxs), code('TRANSACTIONS_ROOT_MISMATCH'));
  assert.throws(() => reexecuteBlock({ preStateRoot: 1 }), code('INVALID_INPUT'));
});

test('under Cancun, reexecuteBlock asks for the EIP-4788 system contract first', () => {
  const req = { preStateRoot: header.stateRoot, header: emptyBlock(), transactions: [], chainId: 1, spec: 'cancun', witness: { proofs: [] } };
  const r = reexecuteBlock(req);
  assert.equal(r.status, 'needsState');
  assert.deepEqual(r.needs.accounts, ['0x000f3df6d732807ef1319fb7b8bb8522d0beac02']);
});
