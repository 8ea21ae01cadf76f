// BLS verify of several raw builds of the core (wasm-bindgen --target web glue
// + a .wasm each) and bls-eth-wasm, interleaved in ONE node process.
//   VARIANTS=name=/path/glue.js@/path/x.wasm,... node bench/peers/bls-variants.mjs   (ROUNDS, default 40)
// Used for the compiler-flag experiments of docs/BENCHMARKS.md (BLS section).
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
for (const spec of (process.env.VARIANTS ?? '').split(',').filter(Boolean)) {
  const [name, rest] = spec.split('=');
  const [glue, wasm] = rest.split('@');
  const m = await import(glue);
  await m.default({ module_or_path: readFileSync(wasm) });
  const c = new m.SyncCommittee(keys, true);
  runs[name] = () => c.verify(bits, msg, sig);
}
const { default: herumi } = await import('bls-eth-wasm');
await herumi.init(herumi.BLS12_381);
const hKeys = keysHex.map((k) => herumi.deserializeHexStrToPublicKey(k.slice(2)));
const hPart = parts.map((i) => hKeys[i]);
const hSig = herumi.deserializeHexStrToSignature(upd.sync_aggregate.sync_committee_signature.slice(2));
runs.herumi = () => { if (!hSig.fastAggregateVerify(hPart, msg)) throw new Error('herumi rejected'); };
const names = Object.keys(runs);
const t = Object.fromEntries(names.map((k) => [k, []]));
for (const f of Object.values(runs)) f();
const n = Number(process.env.ROUNDS ?? 40);
for (let i = 0; i < n; i++) {
  const order = names.slice(i % names.length).concat(names.slice(0, i % names.length));
  for (const k of order) { const t0 = performance.now(); runs[k](); t[k].push(performance.now() - t0); }
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const hm = med(t.herumi);
console.log(`node ${process.version}; ${n} interleaved rounds (order rotates), medians`);
for (const k of names) console.log(`${k.padEnd(16)} median ${med(t[k]).toFixed(2)} ms   ratio to bls-eth-wasm ${(med(t[k]) / hm).toFixed(3)}`);
