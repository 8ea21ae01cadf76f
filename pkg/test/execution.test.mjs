// Execution-layer verification through the installed package, on real mainnet data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  init,
  verifyExecutionBlock,
  verifyReceipts,
  verifyBlockReceipts,
  verifyAccountProof,
  verifyCode,
  verifyBeaconBlock,
  BeaconLightClient,
  PreconfLightError,
} from 'preconf-light';

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

test('the receipts output restates every checked field of the response', () => {
  const v = verifyExecutionBlock(block);
  const list = receipts.result ?? receipts;
  const out = verifyReceipts(v.receiptsRoot, list);
  assert.equal(out.receiptsRoot, v.receiptsRoot);
  assert.equal(out.receipts.length, list.length);
  list.forEach((r, i) => {
    assert.deepEqual(out.receipts[i], {
      cumulativeGasUsed: r.cumulativeGasUsed,
      logCount: r.logs.length,
      logsBloom: r.logsBloom,
      status: r.status,
      type: r.type,
    });
  });
  const logs = list.flatMap((r) => r.logs);
  assert.equal(out.logs.length, logs.length);
  logs.forEach((l, i) => {
    assert.deepEqual(out.logs[i], {
      address: l.address,
      data: l.data,
      logIndex: Number(l.logIndex),
      topics: l.topics,
      transactionHash: null,
      transactionIndex: Number(l.transactionIndex),
    });
  });
  const bound = verifyBlockReceipts(block, list, v.hash);
  // Transaction hashes are only returned when the block's transaction list was verified.
  const hashes = v.transactionsChecked;
  bound.logs.forEach((l, i) => assert.equal(l.transactionHash, hashes ? logs[i].transactionHash : null));
  assert.deepEqual(verifyReceipts(v.receiptsRoot, list, { address: `0x${'00'.repeat(19)}01` }).logs, []);
});

test('a changed receipt or a wrong root is refused', () => {
  const v = verifyExecutionBlock(block);
  const list = structuredClone(receipts.result ?? receipts);
  list[3].cumulativeGasUsed = '0x1';
  assert.throws(() => verifyReceipts(v.receiptsRoot, list), (e) => e instanceof PreconfLightError);
  assert.throws(() => verifyReceipts(v.stateRoot, receipts), code('RECEIPTS_ROOT_MISMATCH'));
});

test('receipts as JSON text or UTF-8 bytes (the fast path) give the same logs; malformed text is refused', () => {
  const v = verifyExecutionBlock(block);
  const fromObject = verifyReceipts(v.receiptsRoot, receipts);
  const text = readFileSync(`${FIX}/mainnet/helios/el-cancun/receipts_21925176.json`, 'utf8');
  assert.deepEqual(verifyReceipts(v.receiptsRoot, text), fromObject);
  assert.deepEqual(verifyReceipts(v.receiptsRoot, new TextEncoder().encode(text)), fromObject);
  const envelope = JSON.stringify({ jsonrpc: '2.0', id: 1, result: receipts.result ?? receipts });
  assert.deepEqual(verifyReceipts(v.receiptsRoot, envelope), fromObject);
  const bound = verifyBlockReceipts(block, text, v.hash);
  assert.deepEqual(bound, verifyBlockReceipts(block, receipts, v.hash));
  for (const bad of ['', 'nope', text.slice(0, text.length >> 1), '[{}]', '{"jsonrpc":"2.0","error":{}}']) {
    assert.throws(() => verifyReceipts(v.receiptsRoot, bad), code('DECODE_ERROR'));
  }
  assert.throws(() => verifyReceipts(v.receiptsRoot, new Uint8Array([0x5b, 0xff, 0x5d])), code('DECODE_ERROR'));
  const forged = text.replace('"status": "0x1"', '"status": "0x0"');
  assert.notEqual(forged, text);
  assert.throws(() => verifyReceipts(v.receiptsRoot, forged), code('RECEIPTS_ROOT_MISMATCH'));
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

// Beacon block → execution payload: the Capella blocks of the light-client set.
const GENESIS = 1606824023;
const at = (slot) => GENESIS + Number(slot) * 12;
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';

function syncedCapella() {
  const client = BeaconLightClient.fromBootstrap('mainnet', CAPELLA_ROOT, json('helios/capella-lc/bootstrap.json'));
  for (const u of json('helios/capella-lc/updates.json')) client.processUpdate(u, at(u.data.signature_slot) + 1);
  client.processFinalityUpdate(json('helios/capella-lc/finality.json'), at(7109431) + 1);
  return client;
}

test('a real Capella beacon block verifies against the light client (JSON and SSZ; the blocks module loads on first use)', async () => {
  const client = syncedCapella();
  const fin = json('helios/capella-lc/beacon_block_7109344.json');
  const v = await verifyBeaconBlock(client, fin);
  assert.equal(v.number, 17923026);
  assert.equal(v.hash, client.finalized.execution.blockHash);
  assert.equal(v.stateRoot, client.finalized.execution.stateRoot);
  assert.equal(v.beacon.blockRoot, client.finalized.beaconRoot);
  assert.equal(v.beacon.fork, 'capella');
  assert.equal(v.transactionHashes.length, 167);
  assert.equal(v.parentBeaconBlockRoot, null);
  const ssz = new Uint8Array(readFileSync(`${FIX}/mainnet/helios/capella-lc/beacon_block_7109344.ssz`));
  const s = await verifyBeaconBlock(client, ssz, 'capella');
  assert.deepEqual(s, v);
  // The attested block is the optimistic header.
  const att = await verifyBeaconBlock(client, json('helios/capella-lc/beacon_block_7109430.json'));
  assert.equal(att.number, 17923112);
  assert.equal(att.hash, client.optimistic.execution.blockHash);
  // …and also reachable through the header chain from the next head.
  client.processOptimisticUpdate(json('helios/capella-lc/optimistic.json'), at(7109432) + 1);
  await assert.rejects(verifyBeaconBlock(client, json('helios/capella-lc/beacon_block_7109430.json')), code('INVALID_HEADER_CHAIN'));
  const head = json('helios/capella-lc/optimistic.json').data.attested_header.beacon;
  const m = json('helios/capella-lc/beacon_block_7109430.json').data.message;
  const own = { slot: m.slot, proposer_index: m.proposer_index, parent_root: m.parent_root, state_root: m.state_root, body_root: att.beacon.bodyRoot };
  const viaChain = await verifyBeaconBlock({ client, headers: [own, head] }, json('helios/capella-lc/beacon_block_7109430.json'));
  assert.deepEqual(viaChain, att);
  const wrong = { ...own, body_root: `0x${'22'.repeat(32)}` };
  await assert.rejects(verifyBeaconBlock({ client, headers: [wrong, head] }, json('helios/capella-lc/beacon_block_7109430.json')), code('INVALID_HEADER_CHAIN'));
  client.free();
});

test('forged beacon blocks are refused with typed errors', async () => {
  const client = syncedCapella();
  const fin = json('helios/capella-lc/beacon_block_7109344.json');
  const tx = structuredClone(fin);
  const t = tx.data.message.body.execution_payload.transactions;
  t[3] = t[3].slice(0, -1) + (t[3].endsWith('0') ? '1' : '0');
  await assert.rejects(verifyBeaconBlock(client, tx), code('BODY_ROOT_MISMATCH'));
  const graffiti = structuredClone(fin);
  graffiti.data.message.body.graffiti = `0x${'11'.repeat(32)}`;
  await assert.rejects(verifyBeaconBlock(client, graffiti), code('BODY_ROOT_MISMATCH'));
  const proposer = structuredClone(fin);
  proposer.data.message.proposer_index = '1';
  await assert.rejects(verifyBeaconBlock(client, proposer), code('BEACON_HEADER_MISMATCH'));
  const ssz = new Uint8Array(readFileSync(`${FIX}/mainnet/helios/capella-lc/beacon_block_7109344.ssz`));
  await assert.rejects(verifyBeaconBlock(client, ssz), code('WRONG_FORK'));
  await assert.rejects(verifyBeaconBlock(client, ssz, 'deneb'), code('DECODE_ERROR'));
  await assert.rejects(verifyBeaconBlock(client, ssz, 'altair'), code('WRONG_FORK'));
  await assert.rejects(verifyBeaconBlock(client, ssz.subarray(0, 5000), 'capella'), code('DECODE_ERROR'));
  await assert.rejects(verifyBeaconBlock(client, fin, 'deneb'), code('WRONG_FORK'));
  client.free();
});
