// The beacon light client through the installed package, on real mainnet data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, networks, BeaconLightClient, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const text = (p) => readFileSync(`${FIX}/mainnet/${p}`, 'utf8');
const json = (p) => JSON.parse(text(p));
const GENESIS = 1606824023;
const at = (slot) => GENESIS + Number(slot) * 12;
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;

await init();

function capella() {
  return BeaconLightClient.fromBootstrap('mainnet', CAPELLA_ROOT, json('helios/capella-lc/bootstrap.json'));
}

test('networks expose the mainnet, sepolia and hoodi configurations', () => {
  assert.equal(networks.mainnet.genesisTime, GENESIS);
  assert.equal(networks.mainnet.genesisValidatorsRoot, '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95');
  assert.equal(networks.mainnet.forks.capella.epoch, 194048);
  assert.equal(networks.sepolia.name, 'sepolia');
  assert.equal(networks.hoodi.name, 'hoodi');
});

test('Capella: syncs periods 862 to 867 and the finality update to EL block 17923112', () => {
  const client = capella();
  assert.equal(client.finalized.execution.blockNumber, 17883333);
  let rotations = 0;
  for (const u of json('helios/capella-lc/updates.json')) {
    const out = client.processUpdate(u, at(u.data.signature_slot) + 1);
    assert.ok(out.participants >= 342);
    rotations += out.committeeRotated ? 1 : 0;
  }
  assert.equal(rotations, 5);
  const out = client.processFinalityUpdate(text('helios/capella-lc/finality.json'), at(7109431) + 1);
  assert.ok(out.finalizedAdvanced && out.optimisticAdvanced);
  assert.equal(client.finalized.slot, 7109344);
  assert.equal(client.finalized.execution.blockNumber, 17923026);
  assert.equal(client.optimistic.slot, 7109430);
  assert.equal(client.optimistic.execution.blockNumber, 17923112);
  const opt = client.processOptimisticUpdate(json('helios/capella-lc/optimistic.json'), at(7109432) + 1);
  assert.ok(opt.optimisticAdvanced && !opt.finalizedAdvanced);
  assert.equal(client.optimistic.execution.blockNumber, 17923113);
  // The finalized payload is the real block's.
  const block = json('helios/capella-lc/beacon_block_7109344.json').data.message.body.execution_payload;
  assert.equal(client.finalized.execution.blockHash, block.block_hash);
  assert.equal(client.finalized.execution.stateRoot, block.state_root);
  client.free();
});

test('Capella: processUpdates takes the whole /updates response', () => {
  const client = capella();
  const all = json('helios/capella-lc/updates.json');
  const last = all[all.length - 1].data.signature_slot;
  const outs = client.processUpdates(all, at(last) + 1);
  assert.equal(outs.length, 6);
  assert.equal(outs.filter((o) => o.committeeRotated).length, 5);
});

test('Deneb: the committee rotates from period 1150 to 1151', () => {
  const client = BeaconLightClient.fromBootstrap(
    networks.mainnet,
    '0xefb4338d596b9d335b2da176dc85ee97469fc80c7e2d35b9b9c1558b4602077a',
    json('zk-light-clients/deneb-committee-change/BootstrapDeneb.json'),
  );
  const u1 = json('zk-light-clients/deneb-committee-change/UpdateDeneb.json');
  const e1 = Array.isArray(u1) ? u1[0] : u1;
  assert.ok(client.processUpdate(e1, at(e1.data.signature_slot)).nextCommitteeLearned);
  const u2 = json('zk-light-clients/deneb-committee-change/UpdateNewPeriodDeneb.json');
  const e2 = Array.isArray(u2) ? u2[0] : u2;
  const out = client.processUpdate(e2, at(e2.data.signature_slot));
  assert.ok(out.committeeRotated && out.finalizedAdvanced);
  assert.equal(client.finalized.slot, 9430496);
});

test('Fulu: the trusted store syncs its update and finality update', () => {
  const store = json('sp1-helios/fulu-lc/trusted_store.json');
  const client = BeaconLightClient.fromTrustedStore('mainnet', store);
  const now = at(store.expected_current_slot);
  const u = json('sp1-helios/fulu-lc/updates.json');
  assert.ok(client.processUpdate(Array.isArray(u) ? u[0] : u, now).nextCommitteeLearned);
  assert.ok(client.processFinalityUpdate(json('sp1-helios/fulu-lc/finality_update.json'), now).finalizedAdvanced);
  assert.equal(client.finalized.slot, 14561952);
  assert.equal(client.finalized.execution.blockNumber, 25326305);
});

test('persistence: a restored store continues syncing; corrupted bytes are refused', () => {
  const client = capella();
  const updates = json('helios/capella-lc/updates.json');
  client.processUpdate(updates[0], at(updates[0].data.signature_slot) + 1);
  const bytes = client.toBytes();
  const restored = BeaconLightClient.fromBytes('mainnet', bytes);
  assert.deepEqual(restored.finalized, client.finalized);
  restored.processUpdate(updates[1], at(updates[1].data.signature_slot) + 1);
  const bad = Uint8Array.from(bytes);
  bad[bad.length >> 1] ^= 0x40;
  assert.throws(() => BeaconLightClient.fromBytes('mainnet', bad), code('STORE_CORRUPTED'));
  assert.throws(() => BeaconLightClient.fromBytes('sepolia', bytes), (e) => e instanceof PreconfLightError);
  assert.throws(() => BeaconLightClient.fromBytes('mainnet', new Uint8Array([1, 2, 3])), (e) => e instanceof PreconfLightError);
});

test('negative: a wrong trusted root, a forged signature, a replayed and a future update', () => {
  assert.throws(
    () => BeaconLightClient.fromBootstrap('mainnet', `0x${'11'.repeat(32)}`, json('helios/capella-lc/bootstrap.json')),
    code('TRUSTED_ROOT_MISMATCH'),
  );
  const client = capella();
  const u = json('helios/capella-lc/updates.json')[0];
  const forged = structuredClone(u);
  const sig = forged.data.sync_aggregate.sync_committee_signature;
  forged.data.sync_aggregate.sync_committee_signature = sig.slice(0, -2) + (sig.endsWith('00') ? '01' : '00');
  assert.throws(() => client.processUpdate(forged, at(u.data.signature_slot) + 1), (e) => e instanceof PreconfLightError);
  const before = client.finalized;
  assert.throws(() => client.processUpdate(u, at(u.data.signature_slot) - 24), code('INVALID_SLOT'));
  client.processUpdate(u, at(u.data.signature_slot) + 1);
  assert.throws(() => client.processUpdate(u, at(u.data.signature_slot) + 1), code('NOT_RELEVANT'));
  assert.deepEqual(client.finalized.slot >= before.slot, true);
});

test('negative: garbage JSON, truncated SSZ and wrong argument types throw typed errors', () => {
  const client = capella();
  assert.throws(() => client.processUpdate('{not json', at(7061720)), code('DECODE_ERROR'));
  assert.throws(() => client.processUpdate({ version: 'capella', data: {} }, at(7061720)), code('DECODE_ERROR'));
  assert.throws(() => client.processUpdate(new Uint8Array([0, 0, 0]), at(7061720)), (e) => e instanceof PreconfLightError);
  assert.throws(() => client.processUpdate(42, at(7061720)), code('INVALID_ARGUMENT'));
  assert.throws(() => client.processUpdate('{}', -1), code('INVALID_ARGUMENT'));
  assert.throws(() => BeaconLightClient.fromBootstrap('goerli', CAPELLA_ROOT, '{}'), code('INVALID_CONFIG'));
});

test('force update: not due before the update timeout', () => {
  const client = capella();
  assert.equal(client.forceUpdateDue(at(7069376) + 12), false);
  assert.throws(() => client.forceUpdate(at(7069376) + 12), code('FORCE_UPDATE_NOT_DUE'));
});
