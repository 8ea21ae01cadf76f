// The rollup confidence engine through the installed package: anchored on the
// real mainnet Capella light client, fed the deterministic L2 fixture
// (tests/fixtures/rollup/engine_capella.json) and real Cancun execution data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, BeaconLightClient, PreconfEngine, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const text = (p) => readFileSync(`${FIX}/${p}`, 'utf8');
const json = (p) => JSON.parse(text(p));
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const GENESIS = 1606824023;
const at = (slot) => GENESIS + slot * 12;

await init();

const fx = json('rollup/engine_capella.json');

function capellaClient() {
  const c = BeaconLightClient.fromBootstrap('mainnet', CAPELLA_ROOT, json('mainnet/helios/capella-lc/bootstrap.json'));
  c.processUpdates(json('mainnet/helios/capella-lc/updates.json'), at(7109431));
  c.processFinalityUpdate(text('mainnet/helios/capella-lc/finality.json'), at(7109431) + 1);
  return c;
}

function engine(client = capellaClient()) {
  return new PreconfEngine(fx.config, client);
}

// The old one-method-per-input surface, as calls of the one door.
const ingest = (e, message) => e.step({ l2Block: message }).events;
const status = (e, q) => e.query(q);

test('anchored on the real light client, levels climb and an equivocation downgrades with its reason', () => {
  const client = capellaClient();
  assert.equal(client.finalized.slot, fx.l1.finalizedSlot);
  assert.equal(client.finalized.execution.parentHash.length, 66);
  const e = engine(client);
  assert.equal(e.configHash, fx.config.configHash);

  const b1 = fx.blocks.sequenced;
  // Binary RLP form of the same feed message.
  const bin = Uint8Array.from(Buffer.from(b1.binary.slice(2), 'hex'));
  // A new block enters at its level without an event; events report changes.
  const first = e.step({ l2Block: bin });
  assert.deepEqual(first.events, []);
  assert.equal(first.added.kind, 'l2Block');
  assert.equal(first.added.hash, b1.hash);
  assert.equal(first.added.header.number, 1);
  let s = status(e, { block: b1.hash });
  assert.equal(s.level, 'sequenced');
  assert.equal(s.blockNumber, 1);
  assert.equal(s.blockTag, 'latest');
  assert.equal(s.eip5792Status, 100);
  assert.equal(s.oasisStatus, 'L2 Confirmed');
  assert.ok(s.mayRevertIf.includes('equivocation'));
  assert.equal(s.nextLevel, 'slot-ending');
  assert.equal(s.eta, at(fx.l1.finalizedSlot + 2));
  assert.equal(s.executionChecked, false);
  assert.equal(s.proven, false);
  assert.equal(s.l1Inclusion, null);
  assert.equal(typeof s.liveness.slotsUntilBasedMode, 'number');
  assert.equal(status(e, { tx: fx.txHash }).blockHash, b1.hash);
  assert.equal(status(e, { number: 1 }).blockHash, b1.hash);
  assert.equal(status(e, { number: 2 }), null);
  assert.throws(() => status(e, { number: -1 }), code('INVALID_ARGUMENT'));
  assert.equal(e.query('liveness').currentSlot, s.liveness.currentSlot);

  const ev2 = ingest(e, fx.blocks.slotEnding.message);
  assert.ok(ev2.some((x) => x.type === 'levelChanged' && x.subject.hash === b1.hash && x.to === 'slot-ending' && !x.downgrade));
  assert.equal(status(e, { block: fx.blocks.slotEnding.hash }).level, 'slot-ending');
  assert.equal(status(e, { block: b1.hash }).oasisStatus, 'L2 Included, L1 Pending');

  const tracked = e.step({ trackAction: { l2Txs: [fx.txHash] } });
  assert.equal(tracked.added.kind, 'action');
  const action = tracked.added.id;
  assert.equal(status(e, { action }).level, 'slot-ending');
  assert.equal(status(e, { action }).eip5792Status, 100);

  // The sequencer certifies a second block at height 1: both branches lose their level.
  const ev3 = ingest(e, JSON.stringify(fx.blocks.equivocatingTwin.message));
  assert.ok(ev3.some((x) => x.type === 'equivocation'));
  const down = ev3.find((x) => x.type === 'levelChanged' && x.subject.kind === 'block' && x.subject.hash === b1.hash);
  assert.ok(down && down.downgrade, 'a downgrade event for block 1');
  assert.equal(down.reason, 'equivocation');
  const after = status(e, { block: b1.hash });
  assert.equal(after.reason, 'equivocation');
  assert.ok(['pending', 'reverted'].includes(after.level));
  assert.equal(status(e, { number: 1 }), null, 'no best block at a fork');
  assert.deepEqual(e.step({ tick: at(fx.l1.finalizedSlot + 1) }).events.filter((x) => x.type === 'levelChanged' && !x.downgrade && x.to === 'slot-ending'), []);
  e.free();
});

test('the light client head is followed by asking for the missing L1 parent', () => {
  const client = capellaClient();
  const e = engine(client);
  const p = e.step({ lightClient: true });
  // The optimistic head's execution parent is not held: the engine names it.
  assert.match(p.needs.l1Block, /^0x[0-9a-f]{64}$/);
  assert.deepEqual(p.needs.l1Receipts, []);
  // An unrelated (real) block is refused.
  assert.throws(() => e.step({ l1Block: json('mainnet/helios/el-cancun/block_21925176.json') }), code('L1_BLOCK_NOT_REQUESTED'));
  // A changed field breaks its hash.
  const forged = json('mainnet/helios/el-cancun/block_21925176.json');
  forged.gasUsed = '0x1';
  assert.throws(() => e.step({ l1Block: forged }), code('HEADER_HASH_MISMATCH'));
});

test('forged certificates, foreign receipts and bad inputs are rejected with codes', () => {
  const e = engine();
  ingest(e, fx.blocks.sequenced.message);
  ingest(e, fx.blocks.slotEnding.message);
  assert.throws(() => ingest(e, fx.blocks.forged.message), code('INVALID_SIGNATURE'));
  const tampered = structuredClone(fx.blocks.slotEnding.message);
  tampered.header.gasUsed += 1;
  assert.throws(() => ingest(e, tampered), code('INVALID_SIGNATURE'));
  // Real receipts of another block: not the anchor block's receipts root.
  const receipts = json('mainnet/helios/el-cancun/receipts_21925176.json');
  const anchorBlock = fx.l1.blockHash;
  assert.throws(() => e.step({ l1Receipts: { blockHash: anchorBlock, receipts } }), code('RECEIPTS_ROOT_MISMATCH'));
  // A block the engine does not hold.
  assert.throws(() => e.step({ l1Receipts: { blockHash: `0x${'11'.repeat(32)}`, receipts } }), code('UNKNOWN_L1_BLOCK'));
  assert.throws(() => status(e, { block: '0x1234' }), code('INVALID_ARGUMENT'));
  assert.equal(status(e, { block: `0x${'22'.repeat(32)}` }), null);
  assert.throws(() => e.step({ batchProof: { proof: new Uint8Array(4), publicValues: new Uint8Array(192) } }), code('NO_BATCH_PROGRAM'));
  // An input of no known shape changes nothing.
  assert.throws(() => e.step({ noSuchInput: 1 }), code('INVALID_ARGUMENT'));
  assert.throws(() => e.step({ tick: 1, l2Block: {} }), code('INVALID_ARGUMENT'));
});

test('a config whose hash does not match its fields is refused', () => {
  const bad = structuredClone(fx.config);
  bad.stallLimitSlots += 1;
  assert.throws(() => new PreconfEngine(bad, capellaClient()), code('INVALID_CONFIG'));
  const wrongTiming = structuredClone(fx.config);
  delete wrongTiming.configHash;
  wrongTiming.l1.genesisTime += 1;
  assert.throws(() => new PreconfEngine(wrongTiming, capellaClient()), code('L1_TIMING_MISMATCH'));
});
