// Three-way interleaved BLS verify: our build A, our build B, bls-eth-wasm, one process.
// PKG_A=... PKG_B=... node bench/peers/bls-ab.mjs (each a folder holding a built pkg: dist + wasm); run `npm ci` in bench/peers first   (ROUNDS, default 60)
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
const FIX = new URL('../../tests/fixtures/mainnet/', import.meta.url);
const load = (p) => JSON.parse(readFileSync(new URL(p, FIX), 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const sha = (...ps) => { const h = createHash('sha256'); for (const q of ps) h.update(q); return h.digest(); };
const u64 = (n) => { const b = Buffer.alloc(32); b.writeBigUInt64LE(BigInt(n)); return b; };
const boot = load('helios/capella-lc/bootstrap.json');
const upd = load('helios/capella-lc/updates.json')[0].data;
const h = upd.attested_header.beacon; const z = Buffer.alloc(32);
const lv = [u64(h.slot), u64(h.proposer_index), hex(h.parent_root), hex(h.state_root), hex(h.body_root), z, z, z];
const l1 = [0, 2, 4, 6].map((i) => sha(lv[i], lv[i + 1]));
const ver = Buffer.alloc(32); ver[0] = 3;
const dom = Buffer.concat([Buffer.from([7, 0, 0, 0]), sha(ver, hex('0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95')).subarray(0, 28)]);
const msg = sha(sha(sha(l1[0], l1[1]), sha(l1[2], l1[3])), dom);
const bits = hex(upd.sync_aggregate.sync_committee_bits);
const sig = hex(upd.sync_aggregate.sync_committee_signature);
const keysHex = boot.data.current_sync_committee.pubkeys;
const keys = new Uint8Array(512 * 48); keysHex.forEach((k, i) => keys.set(hex(k), i * 48));
const parts = [...Array(512).keys()].filter((i) => (bits[i >> 3] >> (i & 7)) & 1);
const runs = {};
for (const [name, dir] of [['A', process.env.PKG_A], ['B', process.env.PKG_B]]) {
  if (!dir) continue;
  const m = await import(`${dir}/dist/node.js`); await m.init();
  const c = m.SyncCommittee.fromPubkeys(keys, { authenticated: true });
  runs[name] = () => c.verify(bits, msg, sig);
}
const { default: herumi } = await import('bls-eth-wasm');
await herumi.init(herumi.BLS12_381);
const hKeys = keysHex.map((k) => herumi.deserializeHexStrToPublicKey(k.slice(2)));
const hPart = parts.map((i) => hKeys[i]);
const hSig = herumi.deserializeHexStrToSignature(upd.sync_aggregate.sync_committee_signature.slice(2));
runs.herumi = () => { if (!hSig.fastAggregateVerify(hPart, msg)) throw new Error('herumi rejected'); };
const t = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (const f of Object.values(runs)) f();
const n = Number(process.env.ROUNDS ?? 60);
for (let i = 0; i < n; i++) for (const [k, f] of Object.entries(runs)) { const t0 = performance.now(); f(); t[k].push(performance.now() - t0); }
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const hm = med(t.herumi);
for (const k of Object.keys(t)) console.log(`${k.padEnd(7)} median ${med(t[k]).toFixed(2)} ms   ratio to bls-eth-wasm ${(med(t[k]) / hm).toFixed(3)}   (n=${n}, interleaved)`);
