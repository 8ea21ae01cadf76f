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
results.lodestarUpdate = measure(`@lodestar/light-client 1.28.1 (${lsBls.implementation}): process one update`, 10, (spec) => spec.onUpdate(currentSlot, lsUpdate), newSpec);

console.log('\nratios (lower is better for preconf-light):');
console.log(`  verify: preconf-light / bls-eth-wasm = ${(results.oursVerify / results.herumiVerify).toFixed(2)}`);
console.log(`  verify: preconf-light / lodestar update = ${(results.oursVerify / results.lodestarUpdate).toFixed(2)}`);
console.log(`  decode 512 keys: preconf-light(authenticated) / bls-eth-wasm = ${(results.oursDecodeAuth / results.herumiDecode).toFixed(2)}`);
console.log(`  decode 512 keys: full / authenticated = ${(results.oursDecodeFull / results.oursDecodeAuth).toFixed(2)}`);
