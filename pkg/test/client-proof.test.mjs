// SP1 proofs through the client's core backend, on the real fixtures in
// tests/fixtures/sp1 (PROVENANCE.md there): `client.verifySp1Proof` and
// `client.ingestBatchProof` with both backends: the in-process core (what
// node uses) and the worker protocol (`WorkerCore` ↔ `serveCore`, what
// browsers use) over a MessageChannel in this thread, which checks the
// calls, typed errors and transfers (a real Web Worker runs them in
// Chromium in tests/bundler). A mock Beacon API on 127.0.0.1 serves the
// real mainnet Capella light-client data the rollup engine anchors on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { init, createPreconfClient, verifySp1Proof, PreconfLightError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const text = (p) => readFileSync(`${FIX}/${p}`, 'utf8');
const json = (p) => JSON.parse(text(p));
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;
const bytes = (hex) => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const NOW = 1606824023 + 7109432 * 12 + 6;

/** Every SP1 fixture the core supports (all of them: v3.x to v6.1+), as bytes. */
const FIXTURES = [
  ['sp1-project-template-v6.0.0/groth16-fixture.json', 'groth16', /^v6\.0/],
  ['sp1-project-template-v6.0.0/plonk-fixture.json', 'plonk', /^v6\.0/],
  ['hyperbridge-sp1-beefy-v6.1.0/derived-sp1-groth16.json', 'groth16', /^v6\.1/],
  ['example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json', 'groth16', /^v5/],
  ['example-sp1-wasm-verifier-v5.2.1/fibonacci_plonk_proof.json', 'plonk', /^v5/],
  ['sp1-project-template-v4.1.7/groth16-fixture.json', 'groth16', /^v4/],
  ['sp1-project-template-v4.1.7/plonk-fixture.json', 'plonk', /^v4/],
  ['sp1-project-template-v3.0.0/groth16-fixture.json', 'groth16', /^v3/],
  ['sp1-project-template-v3.0.0/plonk-fixture.json', 'plonk', /^v3/],
  ['sp1-helios-v3.0.0-sepolia/derived-sp1-groth16.json', 'groth16', /^v3/],
].map(([file, system, version]) => {
  const f = json(`sp1/${file}`);
  return {
    file,
    system,
    version,
    proof: bytes(f.proof),
    publicValues: bytes(f.publicValues ?? f.public_inputs),
    vkeyHash: f.vkey ?? f.vkey_hash,
  };
});
const input = (f) => ({ proof: f.proof.slice(), publicValues: f.publicValues.slice(), vkeyHash: f.vkeyHash });
const flipLast = (u) => {
  const c = u.slice();
  c[c.length - 1] ^= 1;
  return c;
};
const flipVkey = (v) => `${v.slice(0, -1)}${v.endsWith('0') ? '1' : '0'}`;

/** The Beacon API the client bootstraps and syncs from (real mainnet data); the L1 RPC knows no block. */
async function startBeacon() {
  const updates = json('mainnet/helios/capella-lc/updates.json');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    const p = url.pathname;
    if (req.method === 'POST') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => send(200, { jsonrpc: '2.0', id: JSON.parse(raw).id, result: null }));
      return;
    }
    if (p === `/eth/v1/beacon/light_client/bootstrap/${CAPELLA_ROOT}`) return send(200, text('mainnet/helios/capella-lc/bootstrap.json'));
    if (p === '/eth/v1/beacon/light_client/updates') {
      const start = Number(url.searchParams.get('start_period'));
      const count = Number(url.searchParams.get('count'));
      return send(200, updates.filter((u) => Math.floor(Number(u.data.attested_header.beacon.slot) / 8192) - start < count && Math.floor(Number(u.data.attested_header.beacon.slot) / 8192) >= start));
    }
    if (p === '/eth/v1/beacon/light_client/finality_update') return send(200, text('mainnet/helios/capella-lc/finality.json'));
    if (p === '/eth/v1/beacon/light_client/optimistic_update') return send(200, text('mainnet/helios/capella-lc/optimistic.json'));
    send(404, { message: 'not found' });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    close: () => {
      server.closeAllConnections?.();
      return new Promise((r) => server.close(r));
    },
  };
}

const beacon = await startBeacon();
after(() => beacon.close());

// The installed package's internals, next to its node entry (dist/node.js).
const internal = (p) => import(new URL(p, import.meta.resolve('preconf-light')).href);
const backend = await internal('./client/core-backend.js');
const { createClient } = await internal('./client/client.js');
const ports = [];
after(() => ports.forEach((p) => p.close()));

/** A `WorkerCore` whose "worker" is a MessageChannel port served by a `LocalCore` in this thread. */
function channelCore() {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  port2.start();
  ports.push(port1, port2);
  backend.serveCore(new backend.LocalCore(), port2, init());
  return new backend.WorkerCore(port1, false);
}

const BACKENDS = {
  local: (options) => createPreconfClient(options),
  'worker protocol': (options) => createClient(options, { ready: init, core: channelCore }),
};

function client(rollup, make = BACKENDS.local, extra = {}) {
  return make({
    network: 'mainnet',
    beaconApiUrl: beacon.base,
    l1RpcUrl: `${beacon.base}/rpc`,
    trustedCheckpoint: CAPELLA_ROOT,
    clock: () => NOW,
    sse: false,
    pollIntervalMs: 60_000,
    tickIntervalMs: 60_000,
    rollupTickIntervalMs: 60_000,
    backoff: { baseMs: 200, maxMs: 2000 },
    // This L1 RPC serves no state, and the fixture rollup never committed: the caller vouches for the genesis anchor.
    ...(rollup ? { rollup, trustGenesisAnchor: true } : {}),
    ...extra,
  });
}

/** The mainnet-anchored rollup config of the engine fixture, with a batch program (its hash recomputed by the core). */
function rollupConfig(batchProgramVkey) {
  const config = structuredClone(json('rollup/engine_capella.json').config);
  if (batchProgramVkey) {
    delete config.configHash;
    config.batchProgramVkey = batchProgramVkey;
  }
  return config;
}

for (const [kind, make] of Object.entries(BACKENDS)) test(`client.verifySp1Proof accepts every supported fixture, same answer as the standalone verifySp1Proof (${kind})`, async () => {
  await init();
  const c = client(undefined, make);
  try {
    for (const f of FIXTURES) {
      const r = await c.verifySp1Proof(input(f));
      assert.equal(r.system, f.system, f.file);
      assert.match(r.sp1Version, f.version, f.file);
      assert.deepEqual(r, await verifySp1Proof(input(f)), f.file);
    }
    // Hex strings (with and without 0x) are accepted as well.
    const f = FIXTURES[0];
    if (kind === 'worker protocol') {
      // The caller's whole-buffer arrays were transferred (detached here); handing them in again is a typed error.
      const sent = input(f);
      await c.verifySp1Proof(sent);
      assert.equal(sent.proof.byteLength, 0);
      await assert.rejects(c.verifySp1Proof(sent), code('INVALID_ARGUMENT'));
    }
    const hex = (u) => Buffer.from(u).toString('hex');
    assert.equal((await c.verifySp1Proof({ proof: `0x${hex(f.proof)}`, publicValues: hex(f.publicValues), vkeyHash: f.vkeyHash })).system, 'groth16');
  } finally {
    await c.close();
  }
});

for (const [kind, make] of Object.entries(BACKENDS)) test(`client.verifySp1Proof refuses a flipped proof byte, public-values byte and vkey with the core codes (${kind})`, async () => {
  const c = client(undefined, make);
  try {
    for (const f of FIXTURES) {
      await assert.rejects(c.verifySp1Proof({ ...input(f), proof: flipLast(f.proof) }), code('DECODE_ERROR'), f.file);
      await assert.rejects(c.verifySp1Proof({ ...input(f), publicValues: flipLast(f.publicValues) }), code('INVALID_PROOF'), f.file);
      await assert.rejects(c.verifySp1Proof({ ...input(f), vkeyHash: flipVkey(f.vkeyHash) }), code('INVALID_PROOF'), f.file);
    }
    await assert.rejects(c.verifySp1Proof({ ...input(FIXTURES[0]), proof: 42 }), code('INVALID_ARGUMENT'));
    await assert.rejects(c.verifySp1Proof({ ...input(FIXTURES[0]), publicValues: '0xzz' }), code('INVALID_ARGUMENT'));
    await assert.rejects(c.verifySp1Proof(null), code('INVALID_ARGUMENT'));
  } finally {
    await c.close();
  }
});

for (const [kind, make] of Object.entries(BACKENDS)) test(`client.ingestBatchProof: NO_ROLLUP without a rollup, NO_BATCH_PROGRAM when the config has no batch program (${kind})`, async () => {
  const f = FIXTURES[0];
  const plain = client(undefined, make);
  const noProgram = client(rollupConfig(null), make);
  try {
    await assert.rejects(plain.ingestBatchProof(f.proof, f.publicValues), code('NO_ROLLUP'));
    await noProgram.ready;
    await assert.rejects(noProgram.ingestBatchProof(f.proof.slice(), f.publicValues.slice()), code('NO_BATCH_PROGRAM'));
    await assert.rejects(noProgram.ingestBatchProof(42, f.publicValues), code('INVALID_ARGUMENT'));
  } finally {
    await plain.close();
    await noProgram.close();
  }
});

for (const [kind, make] of Object.entries(BACKENDS)) test(`client.ingestBatchProof with the fixture vkey as batch program: a real proof that is no batch claim is refused, nothing changes (${kind})`, async () => {
  const f = FIXTURES[0]; // v6.0 Groth16, 96-byte public values (not the 192-byte batch claim)
  const c = client(rollupConfig(f.vkeyHash), make);
  const events = [];
  c.on('rollup', (e) => events.push(['rollup', e]));
  c.on('levelChange', (e) => events.push(['levelChange', e]));
  try {
    await c.ready;
    const before = await c.status({ block: 0 });
    assert.equal(before.l2.proven, false);
    const seen = [];
    const unwatch = c.watch({ block: 0 }, (s) => seen.push(s));
    // The proof verifies for this vkey; its values are not a batch claim about the held blocks.
    await assert.rejects(c.ingestBatchProof(f.proof.slice(), f.publicValues.slice()), code('MALFORMED'));
    // The same values at the batch-claim length: the proof no longer verifies.
    const padded = new Uint8Array(192);
    padded.set(f.publicValues);
    await assert.rejects(c.ingestBatchProof(f.proof.slice(), padded), code('INVALID_PROOF'));
    // A real proof of another program.
    const other = FIXTURES[3];
    await assert.rejects(c.ingestBatchProof(other.proof.slice(), other.publicValues.slice()), code('INVALID_PROOF'));
    // A corrupted proof.
    await assert.rejects(c.ingestBatchProof(flipLast(f.proof), f.publicValues.slice()), code('DECODE_ERROR'));
    const afterwards = await c.status({ block: 0 });
    assert.equal(afterwards.level, before.level);
    assert.equal(afterwards.l2.proven, false);
    await new Promise((r) => setTimeout(r, 50));
    unwatch();
    assert.ok(seen.every((s) => s.level === before.level && s.l2.proven === false), JSON.stringify(seen.map((s) => [s.level, s.l2.proven])));
    assert.deepEqual(events, []);
  } finally {
    await c.close();
  }
});

test('worker protocol: WorkerCore ↔ serveCore(LocalCore) answers proofs, transfers the bytes, and keeps the typed codes', async () => {
  const core = channelCore();
  try {
    const f = FIXTURES[1]; // Plonk v6.0
    const i = input(f);
    const r = await core.verifySp1Proof(i);
    assert.equal(r.system, 'plonk');
    // Whole-buffer arrays went over as transfers: detached on this side.
    assert.equal(i.proof.byteLength, 0);
    assert.equal(i.publicValues.byteLength, 0);
    // A view on part of a larger buffer is copied, never detached.
    const big = new Uint8Array(f.proof.length + 8);
    big.set(f.proof, 8);
    const view = big.subarray(8);
    assert.equal((await core.verifySp1Proof({ proof: view, publicValues: f.publicValues.slice(), vkeyHash: f.vkeyHash })).system, 'plonk');
    assert.equal(view.byteLength, f.proof.length);
    await assert.rejects(core.verifySp1Proof({ ...input(f), vkeyHash: flipVkey(f.vkeyHash) }), code('INVALID_PROOF'));
    // Engine inputs go through as they are: a batch proof's bytes are transferred too.
    const batch = { proof: f.proof.slice(), publicValues: f.publicValues.slice() };
    await assert.rejects(core.engineStep({ batchProof: batch }), code('NOT_INITIALIZED'));
    assert.equal(batch.proof.byteLength, 0);
    await assert.rejects(core.verifySp1Proof({ proof: 42, publicValues: f.publicValues.slice(), vkeyHash: f.vkeyHash }), code('INVALID_ARGUMENT'));
  } finally {
    await core.close();
  }
});

test('without trustGenesisAnchor, an L1 RPC with no state to prove the committed head with stops the engine from starting (NO_STATE), it is not guessed', async () => {
  await init();
  const c = client(rollupConfig(null), BACKENDS.local, { trustGenesisAnchor: false, backoff: { baseMs: 5, maxMs: 10 } });
  const errors = [];
  c.on('error', (e) => errors.push(e));
  try {
    await assert.rejects(c.ready, code('NO_STATE'));
    assert.deepEqual(errors.map((e) => e.code), ['NO_STATE']);
  } finally {
    await c.close();
  }
});
