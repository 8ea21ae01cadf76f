// One node process, one real mainnet aggregate: preconf-light's wasm
// `SyncCommittee.verify` against herumi's `bls-eth-wasm` (pinned in
// package.json). Build our wasm first with ./run.sh (it does everything).
//
// Case: the Capella bootstrap committee (period 862, 512 keys) and the first
// update it signed (511/512 participants), from tests/fixtures/mainnet.
// Both sides have their keys decoded before the verify loop; each timed verify
// includes decoding the 96-byte signature (with its subgroup check).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../tests/fixtures/mainnet/helios/capella-lc');

const VERIFY_ROUNDS = Number(process.env.VERIFY_ROUNDS ?? 10);
const VERIFY_PER_ROUND = Number(process.env.VERIFY_PER_ROUND ?? 20);
const DECODE_RUNS = Number(process.env.DECODE_RUNS ?? 10);

// ------------------------------------------------------------ the case
const hex = (s) => Buffer.from(s.replace(/^0x/, ''), 'hex');
const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const u64Leaf = (dec) => {
  const b = Buffer.alloc(32);
  b.writeBigUInt64LE(BigInt(dec));
  return b;
};
function headerRoot(h) {
  const leaves = [u64Leaf(h.slot), u64Leaf(h.proposer_index), hex(h.parent_root), hex(h.state_root),
    hex(h.body_root), Buffer.alloc(32), Buffer.alloc(32), Buffer.alloc(32)];
  let layer = leaves;
  while (layer.length > 1) {
    const next = [];
    for (let i = 0; i < layer.length; i += 2) next.push(sha256(layer[i], layer[i + 1]));
    layer = next;
  }
  return layer[0];
}
const GVR = hex('4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95');
const CAPELLA = Buffer.from([3, 0, 0, 0]);
const DOMAIN_SYNC_COMMITTEE = Buffer.from([7, 0, 0, 0]);

const bootstrap = JSON.parse(readFileSync(join(fixtures, 'bootstrap.json'), 'utf8'));
const update = JSON.parse(readFileSync(join(fixtures, 'updates.json'), 'utf8'))[0].data;
const keys = bootstrap.data.current_sync_committee.pubkeys.map(hex);
const bits = hex(update.sync_aggregate.sync_committee_bits);
const signature = hex(update.sync_aggregate.sync_committee_signature);
const forkDataRoot = sha256(Buffer.concat([CAPELLA, Buffer.alloc(28)]), GVR);
const domain = Buffer.concat([DOMAIN_SYNC_COMMITTEE, forkDataRoot.subarray(0, 28)]);
const message = sha256(headerRoot(update.attested_header.beacon), domain);
const participating = keys.filter((_, i) => (bits[i >> 3] >> (i & 7)) & 1);

// ------------------------------------------------------------ timing
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
function timeEach(fn, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

// ------------------------------------------------------------ ours
const ours = require(join(here, 'out/preconf_light.js'));
const allKeys = Buffer.concat(keys);
const ourCommittee = new ours.SyncCommittee(allKeys, true);
const ourVerify = () => ourCommittee.verify(bits, message, signature);

// ------------------------------------------------------------ herumi
const bls = require('bls-eth-wasm');
await bls.init(bls.BLS12_381);
bls.verifyPublicKeyOrder(true);
bls.verifySignatureOrder(true);
const herumiDecode = (list) => list.map((k) => {
  const p = new bls.PublicKey();
  p.deserialize(k);
  return p;
});
const herumiKeys = herumiDecode(participating);
const herumiVerify = () => {
  const sig = new bls.Signature();
  sig.deserialize(signature);
  if (!sig.fastAggregateVerify(herumiKeys, message)) throw new Error('bls-eth-wasm rejected the aggregate');
};

// ------------------------------------------------------------ sanity: both accept, both reject
ourVerify();
herumiVerify();
const badMessage = Buffer.from(message);
badMessage[0] ^= 1;
let ourRejects = false;
try { ourCommittee.verify(bits, badMessage, signature); } catch (e) { ourRejects = e.code === 'INVALID_SIGNATURE'; }
const hs = new bls.Signature();
hs.deserialize(signature);
if (!ourRejects || hs.fastAggregateVerify(herumiKeys, badMessage)) throw new Error('a wrong message verified');

// ------------------------------------------------------------ verify, interleaved rounds
const warm = 10;
timeEach(ourVerify, warm);
timeEach(herumiVerify, warm);
const ourT = [];
const herumiT = [];
for (let r = 0; r < VERIFY_ROUNDS; r++) {
  ourT.push(...timeEach(ourVerify, VERIFY_PER_ROUND));
  herumiT.push(...timeEach(herumiVerify, VERIFY_PER_ROUND));
}

// ------------------------------------------------------------ cold decode of 512 keys
const decodeOurs = (authenticated) => () => new ours.SyncCommittee(allKeys, authenticated).free();
const decodeHerumi = (check) => () => { bls.verifyPublicKeyOrder(check); herumiDecode(keys); };
const dec = {
  oursFull: median(timeEach(decodeOurs(false), DECODE_RUNS)),
  oursAuth: median(timeEach(decodeOurs(true), DECODE_RUNS)),
  herumiChecked: median(timeEach(decodeHerumi(true), DECODE_RUNS)),
  herumiUnchecked: median(timeEach(decodeHerumi(false), DECODE_RUNS)),
};
bls.verifyPublicKeyOrder(true);

const ourMed = median(ourT);
const herumiMed = median(herumiT);
const f = (x) => x.toFixed(3);
console.log(`node ${process.version}, ${ourT.length} verifies per side in ${VERIFY_ROUNDS} interleaved rounds`);
console.log(`verify (511/512, keys cached)  preconf-light wasm: ${f(ourMed)} ms   bls-eth-wasm: ${f(herumiMed)} ms   ratio ours/herumi: ${(ourMed / herumiMed).toFixed(2)}`);
console.log(`decode 512 keys (median of ${DECODE_RUNS})  ours Full: ${f(dec.oursFull)} ms   ours Authenticated: ${f(dec.oursAuth)} ms   ratio ${(dec.oursFull / dec.oursAuth).toFixed(2)}`);
console.log(`decode 512 keys (median of ${DECODE_RUNS})  bls-eth-wasm order check on: ${f(dec.herumiChecked)} ms   off: ${f(dec.herumiUnchecked)} ms`);
