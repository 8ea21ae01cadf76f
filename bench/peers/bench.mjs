// Side-by-side benchmarks of preconf-light's wasm against peers, in ONE node
// process, on the same real mainnet data. Prints medians and ratios.
//
//   make bench-wasm        (builds the package, installs peers, runs this)
//
// Peers: bls-eth-wasm (herumi, wasm) verifying the same 512-key aggregate with
// keys already deserialized; @lodestar/light-client's spec layer processing
// the same update (its BLS backend is reported: herumi unless the native
// @chainsafe/blst addon built).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import * as ours from '../../pkg/dist/node.js';

const FIX = new URL('../../tests/fixtures/mainnet/', import.meta.url);
const load = (p) => JSON.parse(readFileSync(new URL(p, FIX), 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const sha = (...parts) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
const uintLeaf = (n) => { const b = Buffer.alloc(32); b.writeBigUInt64LE(BigInt(n)); return b; };
const MAINNET_GVR = '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95';

function signingRoot(h) {
  const z = Buffer.alloc(32);
  const leaves = [uintLeaf(h.slot), uintLeaf(h.proposer_index), hex(h.parent_root), hex(h.state_root), hex(h.body_root), z, z, z];
  const l1 = [0, 2, 4, 6].map((i) => sha(leaves[i], leaves[i + 1]));
  const root = sha(sha(l1[0], l1[1]), sha(l1[2], l1[3]));
  const version = Buffer.alloc(32); version[0] = 3;
  const domain = Buffer.concat([Buffer.from([7, 0, 0, 0]), sha(version, hex(MAINNET_GVR)).subarray(0, 28)]);
  return sha(root, domain);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(name, iterations, fn, setup = () => undefined) {
  for (let i = 0; i < 3; i++) fn(setup());
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const ctx = setup();
    const t0 = performance.now();
    fn(ctx);
    times.push(performance.now() - t0);
  }
  const med = median(times);
  console.log(`${name.padEnd(62)} median ${med.toFixed(2).padStart(8)} ms  (n=${iterations})`);
  return med;
}

/**
 * Interleaved comparison: each round times one call of A and one of B (with
 * untimed setups), so machine load hits both alike. Returns both medians.
 */
function compare(label, rounds, a, b) {
  const ta = [];
  const tb = [];
  for (let i = 0; i < rounds + 3; i++) {
    for (const [side, out] of [[a, ta], [b, tb]]) {
      const ctx = side.setup ? side.setup() : undefined;
      const t0 = performance.now();
      side.run(ctx);
      if (i >= 3) out.push(performance.now() - t0);
    }
  }
  const [ma, mb] = [median(ta), median(tb)];
  console.log(`${label.padEnd(62)} ${a.name} ${ma.toFixed(2)} ms vs ${b.name} ${mb.toFixed(2)} ms: ratio ${(ma / mb).toFixed(2)} (n=${rounds}, interleaved)`);
  return ma / mb;
}

const bootstrap = load('helios/capella-lc/bootstrap.json');
const updates = load('helios/capella-lc/updates.json');
const upd = updates[0].data;
const keysHex = bootstrap.data.current_sync_committee.pubkeys;
const bits = hex(upd.sync_aggregate.sync_committee_bits);
const sig = hex(upd.sync_aggregate.sync_committee_signature);
const msg = signingRoot(upd.attested_header.beacon);
const participants = [...Array(512).keys()].filter((i) => (bits[i >> 3] >> (i & 7)) & 1);

console.log(`node ${process.version}; data: mainnet Capella update, signature slot ${upd.signature_slot}, ${participants.length}/512 participants`);
const results = {};

// --- preconf-light (wasm) ---
await ours.init();
const keyBytes = new Uint8Array(512 * 48);
keysHex.forEach((k, i) => keyBytes.set(hex(k), i * 48));
const committee = ours.SyncCommittee.fromPubkeys(keyBytes, { authenticated: true });
committee.verify(bits, msg, sig);
results.oursVerify = measure('preconf-light wasm: FastAggregateVerify, cached committee', 30, () => committee.verify(bits, msg, sig));
results.oursDecodeFull = measure('preconf-light wasm: decode 512 keys (full subgroup check)', 10, () => ours.SyncCommittee.fromPubkeys(keyBytes).free());
results.oursDecodeAuth = measure('preconf-light wasm: decode 512 keys (authenticated)', 10, () => ours.SyncCommittee.fromPubkeys(keyBytes, { authenticated: true }).free());

// Light-client level: a whole update (branches, committee, signature, apply).
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const at = (slot) => 1606824023 + Number(slot) * 12 + 1;
const finality = load('helios/capella-lc/finality.json');
const newClient = () => ours.BeaconLightClient.fromBootstrap('mainnet', CAPELLA_ROOT, bootstrap);
results.oursUpdate = measure('preconf-light wasm: process one update carrying the next committee', 20,
  (c) => { c.processUpdate(updates[0], at(upd.signature_slot)); c.free(); }, newClient);
// Cached committee: a store synced to period 867 (restored from bytes, untimed)
// processes the finality update: branches + signature + apply.
const synced = newClient();
for (const u of updates) synced.processUpdate(u, at(u.data.signature_slot));
const snapshot = synced.toBytes();
synced.free();
results.oursFinality = measure('preconf-light wasm: process finality update (committee cached)', 20,
  (c) => { c.processFinalityUpdate(finality, at(finality.data.signature_slot)); c.free(); },
  () => ours.BeaconLightClient.fromBytes('mainnet', snapshot));
// The first update of the next period: signed by the committee the previous
// update carried (store after updates[0], untimed).
const upd1 = updates[1].data;
const afterFirst = () => { const c = newClient(); c.processUpdate(updates[0], at(upd.signature_slot)); return c; };
results.oursNextPeriod = measure('preconf-light wasm: first update of the next period (signed by the carried committee)', 20,
  (c) => { c.processUpdate(updates[1], at(upd1.signature_slot)); c.free(); }, afterFirst);
results.oursBootstrap = measure('preconf-light wasm: bootstrap (verify + decode committee)', 10, () => newClient().free());
results.oursCold = measure('preconf-light wasm: cold start, bootstrap + 6 updates + finality', 10, () => {
  const c = newClient();
  for (const u of updates) c.processUpdate(u, at(u.data.signature_slot));
  c.processFinalityUpdate(finality, at(finality.data.signature_slot));
  c.free();
});
const receiptsJson = load('helios/el-cancun/receipts_21925176.json');
const blockJson = load('helios/el-cancun/block_21925176.json');
const receiptsRoot = ours.verifyExecutionBlock(blockJson).receiptsRoot;
results.oursReceipts = measure('preconf-light wasm: rebuild 202-receipt root from JSON (verifyReceipts)', 20,
  () => ours.verifyReceipts(receiptsRoot, receiptsJson));
const receiptsText = JSON.stringify(receiptsJson);
results.oursReceiptsText = measure('preconf-light wasm: same, JSON text input', 20, () => ours.verifyReceipts(receiptsRoot, receiptsText));
const proofJson = load('helios/el-cancun/getproof_deposit_contract_21925176.json');
const stateRoot = ours.verifyExecutionBlock(blockJson).stateRoot;
results.oursProof = measure('preconf-light wasm: account + storage proof (verifyAccountProof)', 50, () => ours.verifyAccountProof(stateRoot, proofJson));

// --- bls-eth-wasm (herumi) ---
const { default: herumi } = await import('bls-eth-wasm');
await herumi.init(herumi.BLS12_381);
const hKeys = keysHex.map((k) => herumi.deserializeHexStrToPublicKey(k.slice(2)));
const hPart = participants.map((i) => hKeys[i]);
const hSig = herumi.deserializeHexStrToSignature(upd.sync_aggregate.sync_committee_signature.slice(2));
if (!hSig.fastAggregateVerify(hPart, msg)) throw new Error('bls-eth-wasm rejected the real aggregate');
results.herumiVerify = measure('bls-eth-wasm 1.7.0: fastAggregateVerify, keys deserialized', 30, () => hSig.fastAggregateVerify(hPart, msg));
results.herumiDecode = measure('bls-eth-wasm 1.7.0: deserialize 512 keys', 10, () => keysHex.forEach((k) => herumi.deserializeHexStrToPublicKey(k.slice(2))));

// --- @lodestar/light-client spec layer ---
// Note: in node its BLS backend is the native @chainsafe/blst addon when that
// installs (it does here), not wasm; the label says which one ran.
const { LightclientSpec } = await import('@lodestar/light-client/spec');
const { createBeaconConfig } = await import('@lodestar/config');
const { mainnetChainConfig } = await import('@lodestar/config/networks');
const { ssz } = await import('@lodestar/types');
const lsBls = (await import('@chainsafe/bls')).default;
const lsConfig = createBeaconConfig(mainnetChainConfig, hex(MAINNET_GVR));
const lsBootstrap = ssz.capella.LightClientBootstrap.fromJson(bootstrap.data);
const lsUpdate = ssz.capella.LightClientUpdate.fromJson(upd);
const currentSlot = Number(upd.signature_slot) + 1;
const newSpec = () => new LightclientSpec(lsConfig, { allowForcedUpdates: true, onSetFinalizedHeader() {}, onSetOptimisticHeader() {} }, lsBootstrap);
results.lodestarBootstrap = measure(`@lodestar/light-client 1.28.1 (${lsBls.implementation}): bootstrap (committee deserialize)`, 5, () => newSpec());
results.lodestarUpdate = measure(`@lodestar/light-client 1.28.1 (${lsBls.implementation}): process one update carrying the next committee`, 10, (spec) => spec.onUpdate(currentSlot, lsUpdate), newSpec);
const lsUpdates = updates.map((u) => ssz.capella.LightClientUpdate.fromJson(u.data));
const lsAfterFirst = () => { const spec = newSpec(); spec.onUpdate(currentSlot, lsUpdate); return spec; };
const nextPeriodSlot = Number(upd1.signature_slot) + 1;
results.lodestarNextPeriod = measure(`@lodestar/light-client 1.28.1 (${lsBls.implementation}): first update of the next period`, 10,
  (spec) => spec.onUpdate(nextPeriodSlot, lsUpdates[1]), lsAfterFirst);
const lsFinality = ssz.capella.LightClientFinalityUpdate.fromJson(finality.data);
const syncedSpec = () => {
  const spec = newSpec();
  lsUpdates.forEach((u, i) => spec.onUpdate(Number(updates[i].data.signature_slot) + 1, u));
  return spec;
};
results.lodestarFinality = measure(`@lodestar/light-client 1.28.1 (${lsBls.implementation}): process finality update (committee cached)`, 10,
  (spec) => spec.onFinalityUpdate(Number(finality.data.signature_slot) + 1, lsFinality), syncedSpec);

console.log('\ninterleaved comparisons (ratio = preconf-light / peer; lower is better for preconf-light):');
compare('FastAggregateVerify, 511/512, keys decoded', 30,
  { name: 'preconf-light', run: () => committee.verify(bits, msg, sig) },
  { name: 'bls-eth-wasm', run: () => hSig.fastAggregateVerify(hPart, msg) });
compare(`finality update, committee cached (lodestar: ${lsBls.implementation})`, 15,
  { name: 'preconf-light', setup: () => ours.BeaconLightClient.fromBytes('mainnet', snapshot),
    run: (c) => { c.processFinalityUpdate(finality, at(finality.data.signature_slot)); c.free(); } },
  { name: 'lodestar', setup: syncedSpec, run: (spec) => spec.onFinalityUpdate(Number(finality.data.signature_slot) + 1, lsFinality) });
compare(`update carrying the next committee (lodestar: ${lsBls.implementation})`, 10,
  { name: 'preconf-light', setup: newClient, run: (c) => { c.processUpdate(updates[0], at(upd.signature_slot)); c.free(); } },
  { name: 'lodestar', setup: newSpec, run: (spec) => spec.onUpdate(currentSlot, lsUpdate) });
compare(`first update of the next period (lodestar: ${lsBls.implementation})`, 10,
  { name: 'preconf-light', setup: afterFirst, run: (c) => { c.processUpdate(updates[1], at(upd1.signature_slot)); c.free(); } },
  { name: 'lodestar', setup: lsAfterFirst, run: (spec) => spec.onUpdate(nextPeriodSlot, lsUpdates[1]) });
compare(`bootstrap (lodestar: ${lsBls.implementation})`, 5,
  { name: 'preconf-light', run: () => newClient().free() },
  { name: 'lodestar', run: () => newSpec() });

console.log('\nratios of the sequential medians above (noisier):');
console.log(`  verify: preconf-light / bls-eth-wasm = ${(results.oursVerify / results.herumiVerify).toFixed(2)}`);
console.log(`  finality update, committee cached: preconf-light / lodestar = ${(results.oursFinality / results.lodestarFinality).toFixed(2)}`);
console.log(`  update carrying the next committee: preconf-light / lodestar = ${(results.oursUpdate / results.lodestarUpdate).toFixed(2)}`);
console.log(`  first update of the next period: preconf-light / lodestar = ${(results.oursNextPeriod / results.lodestarNextPeriod).toFixed(2)}`);
console.log(`  bootstrap: preconf-light / lodestar = ${(results.oursBootstrap / results.lodestarBootstrap).toFixed(2)}`);
console.log(`  decode 512 keys: preconf-light(authenticated) / bls-eth-wasm = ${(results.oursDecodeAuth / results.herumiDecode).toFixed(2)}`);
console.log(`  decode 512 keys: full / authenticated = ${(results.oursDecodeFull / results.oursDecodeAuth).toFixed(2)}`);
