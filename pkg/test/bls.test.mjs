// Runs against the installed tarball: `import ... from 'preconf-light'`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { init, coreVersion, SyncCommittee, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const load = (p) => JSON.parse(readFileSync(`${FIX}/${p}`, 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const sha = (...parts) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
const uintLeaf = (n) => { const b = Buffer.alloc(32); b.writeBigUInt64LE(BigInt(n)); return b; };

// hash_tree_root(BeaconBlockHeader) and the sync-committee signing root, by hand.
function signingRoot(h) {
  const z = Buffer.alloc(32);
  const leaves = [uintLeaf(h.slot), uintLeaf(h.proposer_index), hex(h.parent_root), hex(h.state_root), hex(h.body_root), z, z, z];
  const l1 = [0, 2, 4, 6].map((i) => sha(leaves[i], leaves[i + 1]));
  const root = sha(sha(l1[0], l1[1]), sha(l1[2], l1[3]));
  const version = Buffer.alloc(32); version[0] = 3; // Capella
  const forkData = sha(version, hex('0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95'));
  const domain = Buffer.concat([Buffer.from([7, 0, 0, 0]), forkData.subarray(0, 28)]);
  return sha(root, domain);
}

function fixture() {
  const boot = load('mainnet/helios/capella-lc/bootstrap.json').data;
  const upd = load('mainnet/helios/capella-lc/updates.json')[0].data;
  const keys = new Uint8Array(512 * 48);
  boot.current_sync_committee.pubkeys.forEach((k, i) => keys.set(hex(k), i * 48));
  return {
    keys,
    bits: hex(upd.sync_aggregate.sync_committee_bits),
    sig: hex(upd.sync_aggregate.sync_committee_signature),
    root: signingRoot(upd.attested_header.beacon),
  };
}

test('init loads the wasm and reports the core version', async () => {
  await init();
  await init(); // idempotent
  assert.match(coreVersion(), /^\d+\.\d+\.\d+$/);
});

test('a real mainnet sync aggregate verifies through the package', async () => {
  await init();
  const f = fixture();
  const committee = SyncCommittee.fromPubkeys(f.keys);
  assert.equal(committee.size, 512);
  committee.verify(f.bits, f.root, f.sig);
  committee.free();
});

test('a tampered message throws PreconfLightError with code INVALID_SIGNATURE', async () => {
  await init();
  const f = fixture();
  const committee = SyncCommittee.fromPubkeys(f.keys, { authenticated: true });
  const root = Uint8Array.from(f.root); root[5] ^= 1;
  assert.throws(() => committee.verify(f.bits, root, f.sig), (e) => e instanceof PreconfLightError && e.code === 'INVALID_SIGNATURE');
});

test('bad arguments throw typed errors, not crashes', async () => {
  await init();
  assert.throws(() => SyncCommittee.fromPubkeys(new Uint8Array(47)), (e) => e instanceof PreconfLightError && e.code === 'INVALID_ARGUMENT');
  const inf = new Uint8Array(48); inf[0] = 0xc0;
  assert.throws(() => SyncCommittee.fromPubkeys(inf), (e) => e.code === 'INFINITY_PUBLIC_KEY');
});
