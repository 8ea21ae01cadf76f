// The demo page: loads the npm package's browser build and verifies real
// mainnet data in the page.
import { init, coreVersion, SyncCommittee } from './preconf-light/dist/browser.js';

const $ = (id) => document.getElementById(id);
const hex = (s) => Uint8Array.from(s.replace(/^0x/, '').match(/../g).map((b) => parseInt(b, 16)));
const SLOTS_PER_PERIOD = 8192;
const MAINNET_GVR = '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95';

async function sha256(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { buf.set(p, o); o += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

function uintLeaf(n) {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}

// Signing root of a Capella sync-committee signature over a beacon header.
async function signingRoot(h) {
  const z = new Uint8Array(32);
  const leaves = [uintLeaf(h.slot), uintLeaf(h.proposer_index), hex(h.parent_root), hex(h.state_root), hex(h.body_root), z, z, z];
  const l1 = await Promise.all([0, 2, 4, 6].map((i) => sha256(leaves[i], leaves[i + 1])));
  const root = await sha256(await sha256(l1[0], l1[1]), await sha256(l1[2], l1[3]));
  const version = new Uint8Array(32); version[0] = 3;
  const forkData = await sha256(version, hex(MAINNET_GVR));
  const domain = new Uint8Array(32); domain.set([7, 0, 0, 0]); domain.set(forkData.subarray(0, 28), 4);
  return sha256(root, domain);
}

function committeeBytes(pubkeys) {
  const out = new Uint8Array(pubkeys.length * 48);
  pubkeys.forEach((k, i) => out.set(hex(k), i * 48));
  return out;
}

const popcount = (bytes) => bytes.reduce((n, b) => { let c = 0; for (; b; b &= b - 1) c++; return n + c; }, 0);

function addRow(cells, ok) {
  const tr = document.createElement('tr');
  cells.forEach((c, i) => {
    const td = document.createElement('td');
    td.textContent = c;
    if (i === 4) td.className = ok ? 'verified' : 'rejected';
    tr.appendChild(td);
  });
  $('l1-steps').querySelector('tbody').appendChild(tr);
}

async function runL1() {
  const base = 'fixtures/helios/capella-lc';
  const bootstrap = (await (await fetch(`${base}/bootstrap.json`)).json()).data;
  const updates = (await (await fetch(`${base}/updates.json`)).json()).map((u) => u.data);
  let t0 = performance.now();
  let committee = SyncCommittee.fromPubkeys(committeeBytes(bootstrap.current_sync_committee.pubkeys), { authenticated: true });
  const decodeMs = performance.now() - t0;
  let verified = 0;
  for (const [i, u] of updates.entries()) {
    const bits = hex(u.sync_aggregate.sync_committee_bits);
    const root = await signingRoot(u.attested_header.beacon);
    t0 = performance.now();
    let ok = true;
    try { committee.verify(bits, root, hex(u.sync_aggregate.sync_committee_signature)); } catch { ok = false; }
    const ms = performance.now() - t0;
    if (ok) verified++;
    const period = Math.floor(Number(u.attested_header.beacon.slot) / SLOTS_PER_PERIOD);
    addRow([`update ${i + 1}`, period, u.attested_header.beacon.slot, `${popcount(bits)}/512`, ok ? 'verified' : 'rejected', `${ms.toFixed(1)} ms`], ok);
    // The next period is signed by the committee this update hands over.
    committee.free();
    committee = SyncCommittee.fromPubkeys(committeeBytes(u.next_sync_committee.pubkeys), { authenticated: true });
  }
  committee.free();
  $('l1-summary').textContent = `${verified} of ${updates.length} sync-committee signatures verified; committee decoding took ${decodeMs.toFixed(1)} ms.`;
  $('l1-summary').dataset.verified = String(verified);
}

async function main() {
  try {
    await init();
    $('core-version').textContent = `core ${coreVersion()}`;
    $('core-status').textContent = 'WebAssembly core loaded.';
    $('core-status').className = 'status ok';
    await runL1();
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('core-status').textContent = `Error: ${e.code ?? ''} ${e.message}`;
    $('core-status').className = 'status bad';
    document.body.dataset.ready = 'error';
  }
}

main();
