// A/B of two builds of the package in one node process (interleaved rounds,
// medians): PKG_A=/path/to/pkgA PKG_B=/path/to/pkgB node bench/wasm/ab.mjs
// Each folder is a copy of pkg/ (dist + wasm) holding one build of the core.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
const A = await import(`${process.env.PKG_A}/dist/node.js`);
const B = await import(`${process.env.PKG_B}/dist/node.js`);
await A.init(); await B.init();
const FIX = new URL('../../tests/fixtures', import.meta.url).pathname;
const j = (p) => JSON.parse(readFileSync(`${FIX}/${p}`, 'utf8'));
const g = j('sp1/sp1-project-template-v6.0.0/groth16-fixture.json');
const p = j('sp1/sp1-project-template-v6.0.0/plonk-fixture.json');
const t = (f) => ({ proof: f.proof, publicValues: f.publicValues, vkeyHash: f.vkey });
const boot = j('mainnet/helios/capella-lc/bootstrap.json');
const updates = j('mainnet/helios/capella-lc/updates.json');
const fin = j('mainnet/helios/capella-lc/finality.json');
const receiptsFile = j('mainnet/helios/el-cancun/receipts_21925176.json');
const blockFile = j('mainnet/helios/el-cancun/block_21925176.json');
const receipts = receiptsFile.result ?? receiptsFile; const root = (blockFile.result ?? blockFile).receiptsRoot;
const receiptsText = JSON.stringify(receipts);
const CP = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
// BLS: the real Capella update (511/512) against its bootstrap committee, keys decoded once.
import { createHash } from 'node:crypto';
const hexb = (x) => Uint8Array.from(Buffer.from(x.replace(/^0x/, ''), 'hex'));
const sha = (...ps) => { const h = createHash('sha256'); for (const q of ps) h.update(q); return h.digest(); };
const u64 = (n) => { const b = Buffer.alloc(32); b.writeBigUInt64LE(BigInt(n)); return b; };
const upd0 = (Array.isArray(updates) ? updates : updates.data)[0].data;
const blsMsg = (() => {
  const h = upd0.attested_header.beacon; const z = Buffer.alloc(32);
  const lv = [u64(h.slot), u64(h.proposer_index), hexb(h.parent_root), hexb(h.state_root), hexb(h.body_root), z, z, z];
  const l1 = [0, 2, 4, 6].map((i) => sha(lv[i], lv[i + 1]));
  const ver = Buffer.alloc(32); ver[0] = 3;
  const dom = Buffer.concat([Buffer.from([7, 0, 0, 0]), sha(ver, hexb('0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95')).subarray(0, 28)]);
  return sha(sha(sha(l1[0], l1[1]), sha(l1[2], l1[3])), dom);
})();
const blsBits = hexb(upd0.sync_aggregate.sync_committee_bits);
const blsSig = hexb(upd0.sync_aggregate.sync_committee_signature);
const blsKeys = new Uint8Array(512 * 48);
boot.data.current_sync_committee.pubkeys.forEach((k, i) => blsKeys.set(hexb(k), i * 48));
const committees = new Map();
const committeeOf = (m) => { if (!committees.has(m)) committees.set(m, m.SyncCommittee.fromPubkeys(blsKeys, { authenticated: true })); return committees.get(m); };
const cases = {
  blsVerify: (m) => committeeOf(m).verify(blsBits, blsMsg, blsSig),
  groth16: (m) => m.verifySp1Proof(t(g)),
  plonk: (m) => m.verifySp1Proof(t(p)),
  coldSync: (m) => { const c = m.BeaconLightClient.fromBootstrap('mainnet', CP, boot); const now = Number(fin.data?.signature_slot ?? 7109431) * 12 + 1606824023 + 30; for (const u of (Array.isArray(updates) ? updates : updates.data ?? updates)) c.processUpdate(u, now); c.processFinalityUpdate(fin, now); c.free(); },
  receipts202: (m) => m.verifyReceipts(root, receipts),
  receipts202text: (m) => m.verifyReceipts(root, receiptsText),
};
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
for (const [name, f] of Object.entries(cases)) {
  try { f(A); f(B); } catch (e) { console.log(name, 'skipped:', e.message); continue; }
  const ta = [], tb = [];
  const n = name === 'coldSync' ? 8 : name === 'blsVerify' ? 40 : 20;
  for (let i = 0; i < n; i++) {
    let t0 = performance.now(); f(A); ta.push(performance.now() - t0);
    t0 = performance.now(); f(B); tb.push(performance.now() - t0);
  }
  console.log(`${name.padEnd(16)} A: ${med(ta).toFixed(2)} ms   B: ${med(tb).toFixed(2)} ms   ratio ${(med(ta) / med(tb)).toFixed(2)}  (n=${n}, interleaved)`);
}
