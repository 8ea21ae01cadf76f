// createPreconfClient through the installed package: a mock Beacon API +
// L1 JSON-RPC server on 127.0.0.1 serves the real mainnet fixtures
// (helios/capella-lc, helios/el-cancun) with switches to fail or lie.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';

const FIX = process.env.PRECONF_FIXTURES;
export const text = (p) => readFileSync(`${FIX}/mainnet/${p}`, 'utf8');
export const json = (p) => JSON.parse(text(p));

export const GENESIS = 1606824023;
export const at = (slot) => GENESIS + Number(slot) * 12;
export const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
/** A clock just after the optimistic update's signature slot (period 867). */
export const NOW = at(7109432) + 6;
const SLOTS_PER_PERIOD = 8192;

export const fixtures = {
  bootstrap: text('helios/capella-lc/bootstrap.json'),
  updates: json('helios/capella-lc/updates.json'),
  finality: text('helios/capella-lc/finality.json'),
  optimistic: text('helios/capella-lc/optimistic.json'),
  cancunBlock: json('helios/el-cancun/block_21925176.json'),
};

/** Flips the last byte of the sync-committee signature: a forged update. */
export function forge(updateJson) {
  const u = typeof updateJson === 'string' ? JSON.parse(updateJson) : structuredClone(updateJson);
  const sig = u.data.sync_aggregate.sync_committee_signature;
  u.data.sync_aggregate.sync_committee_signature = sig.slice(0, -2) + (sig.endsWith('00') ? '01' : '00');
  return u;
}

/**
 * Starts the mock. `state` switches: serveFinality / serveOptimistic (bool),
 * finality / optimistic (override bodies), tamperUpdateIndex (forge one of
 * /updates), rpcBlocks (hash → block; anything else gets `rpcDefault`),
 * rpcDown (HTTP 503 on RPC).
 */
export async function startMock(initial = {}) {
  const state = {
    serveFinality: true,
    serveOptimistic: true,
    finality: fixtures.finality,
    optimistic: fixtures.optimistic,
    tamperUpdateIndex: -1,
    rpcBlocks: new Map(),
    rpcDefault: null,
    rpcDown: false,
    ...initial,
  };
  const log = [];
  const sse = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    log.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const p = url.pathname;
    if (req.method === 'POST' && p === '/rpc') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (state.rpcDown) return send(503, { error: 'down' });
        const call = JSON.parse(raw);
        let result = null;
        if (call.method === 'eth_getBlockByHash') result = state.rpcBlocks.get(call.params[0]) ?? state.rpcDefault;
        send(200, { jsonrpc: '2.0', id: call.id, result });
      });
      return;
    }
    if (p.startsWith('/eth/v1/beacon/light_client/bootstrap/')) {
      return p.endsWith(CAPELLA_ROOT) ? send(200, fixtures.bootstrap) : send(404, { message: 'unknown root' });
    }
    if (p === '/eth/v1/beacon/light_client/updates') {
      const start = Number(url.searchParams.get('start_period'));
      const count = Number(url.searchParams.get('count'));
      const out = (state.updates ?? fixtures.updates)
        .map((u, i) => (i === state.tamperUpdateIndex ? forge(u) : u))
        .filter((u) => {
          const period = Math.floor(Number(u.data.attested_header.beacon.slot) / SLOTS_PER_PERIOD);
          return period >= start && period < start + count;
        });
      return send(200, out);
    }
    if (p === '/eth/v1/beacon/light_client/finality_update') {
      if (state.finalityDelayMs) {
        setTimeout(() => send(200, state.finality), state.finalityDelayMs);
        return;
      }
      return state.serveFinality ? send(200, state.finality) : send(404, { message: 'none yet' });
    }
    if (p === '/eth/v1/beacon/light_client/optimistic_update') {
      return state.serveOptimistic ? send(200, state.optimistic) : send(404, { message: 'none yet' });
    }
    if (p === '/eth/v1/events') {
      if (state.sseDown) return send(503, { message: 'events disabled' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    if (state.staticFiles && state.staticFiles(req, res)) return;
    send(404, { message: 'not found' });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    state,
    log,
    beaconUrl: base,
    rpcUrl: `${base}/rpc`,
    count: (prefix) => log.filter((l) => l.includes(prefix)).length,
    sseClients: () => sse.size,
    /** Sends one event to every open stream, split in two chunks to exercise the parser. */
    push(event, data) {
      const body = typeof data === 'string' ? JSON.stringify(JSON.parse(data)) : JSON.stringify(data);
      const frame = `event: ${event}\r\ndata: ${body}\r\n\r\n`;
      const cut = Math.floor(frame.length / 2);
      for (const res of sse) {
        res.write(frame.slice(0, cut));
        res.write(frame.slice(cut));
      }
    },
    async close() {
      for (const res of sse) res.end();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A port on 127.0.0.1 with nothing listening (connection refused). */
export async function deadUrl() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

/** Resolves with the first event payload that satisfies `pred`, or rejects after `ms`. */
export function nextEvent(client, name, pred = () => true, ms = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`no ${name} event in ${ms} ms`));
    }, ms);
    const off = client.on(name, (p) => {
      if (!pred(p)) return;
      clearTimeout(t);
      off();
      resolve(p);
    });
  });
}

// ---------------------------------------------------------------------------
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm as rmDir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createPreconfClient, memoryStorage, fileStorage, PreconfLightError, SseParser } from 'preconf-light';

const FIN_EL = 17923026;
const HEAD_EL = 17923112;
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;

process.on('unhandledRejection', (e) => {
  throw new Error(`unhandled rejection: ${e?.stack ?? e}`);
});

function makeClient(mock, extra = {}) {
  return createPreconfClient({
    network: 'mainnet',
    beaconApiUrl: mock.beaconUrl,
    l1RpcUrl: mock.rpcUrl,
    trustedCheckpoint: CAPELLA_ROOT,
    clock: () => NOW,
    sse: false,
    pollIntervalMs: 100,
    tickIntervalMs: 100,
    requestTimeoutMs: 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    ...extra,
  });
}

test('syncs from the checkpoint through periods 862-867 and the finality update to EL block 17923112', async () => {
  const mock = await startMock({ serveOptimistic: false });
  const progress = [];
  const heads = [];
  const client = makeClient(mock);
  client.on('syncProgress', (p) => progress.push(p));
  client.on('head', (h) => heads.push(h.execution?.blockNumber));
  try {
    await client.ready;
    assert.equal(client.finalized.execution.blockNumber, FIN_EL);
    assert.equal(client.finalized.slot, 7109344);
    assert.equal(client.optimistic.execution.blockNumber, HEAD_EL);
    assert.deepEqual(progress.map((p) => p.phase).filter((p, i, a) => a.indexOf(p) === i), ['bootstrap', 'updates', 'finality', 'synced']);
    const first = progress.find((p) => p.phase === 'updates');
    assert.deepEqual([first.period, first.targetPeriod], [862, 867]);
    assert.equal(heads.at(-1), HEAD_EL);
    assert.equal(mock.count('/bootstrap/'), 1);
    assert.equal(mock.count('/updates?start_period=862&count=6'), 1);
    const block = json('helios/capella-lc/beacon_block_7109344.json').data.message.body.execution_payload;
    assert.equal(client.finalized.execution.blockHash, block.block_hash);
  } finally {
    await client.close();
    await mock.close();
  }
});

test('status of L1 blocks: included at the verified head, finalized at the finalized block, unknown above; L2 targets not supported yet', async () => {
  const mock = await startMock({ serveOptimistic: false });
  const client = makeClient(mock);
  try {
    await client.ready;
    const head = await client.status({ l1Block: HEAD_EL });
    assert.equal(head.level, 'included');
    assert.deepEqual(head.mayRevertIf, ['L1_REORG']);
    assert.equal(head.eta.level, 'finalized');
    assert.ok(head.eta.at >= NOW);
    assert.equal(head.l1.hash, client.optimistic.execution.blockHash);
    const byHash = await client.status({ l1Block: client.optimistic.execution.blockHash });
    assert.equal(byHash.level, 'included');
    const fin = await client.status({ l1Block: client.finalized.execution.blockHash });
    assert.equal(fin.level, 'finalized');
    assert.deepEqual(fin.mayRevertIf, []);
    assert.equal(fin.eta, null);
    assert.equal((await client.status({ l1Block: FIN_EL })).level, 'finalized');
    const above = await client.status({ l1Block: HEAD_EL + 2 });
    assert.equal(above.level, 'unknown');
    assert.equal(above.reasonCode, 'ABOVE_VERIFIED_HEAD');
    assert.equal(above.eta.level, 'included');
    const deep = await client.status({ l1Block: 1 });
    assert.equal(deep.reasonCode, 'CHAIN_WALK_TOO_DEEP');
    assert.equal(deep.level, 'unknown');
    await assert.rejects(client.status({ block: 1 }), code('NO_ROLLUP'));
    await assert.rejects(client.status({ tx: `0x${'11'.repeat(32)}` }), code('NO_ROLLUP'));
    await assert.rejects(client.waitFor({ action: { l1Txs: [], l2Txs: [] } }, 'included'), code('NO_ROLLUP'));
    assert.throws(() => client.watch({ block: 1 }, () => {}), code('NO_ROLLUP'));
    await assert.rejects(client.status({ l1Block: 'latest' }), code('INVALID_ARGUMENT'));
    // No RPC was needed for the verified heads themselves.
    assert.equal(mock.count('POST /rpc'), 0);
  } finally {
    await client.close();
    await mock.close();
  }
});

test('L1 blocks below the head are proven by hash chain: a lying or absent RPC never raises the level', async () => {
  const mock = await startMock({ serveOptimistic: false, rpcDefault: fixtures.cancunBlock });
  const client = makeClient(mock);
  const endpoint = [];
  client.on('endpointStatus', (s) => endpoint.push(s));
  try {
    await client.ready;
    // The RPC answers every hash with an unrelated (real) block: it does not hash to the asked hash.
    const lie = await client.status({ l1Block: HEAD_EL - 1 });
    assert.equal(lie.level, 'unknown');
    assert.equal(lie.reasonCode, 'L1_RPC_FAULTY');
    assert.ok(endpoint.some((s) => s.endpoint === 'l1Rpc' && s.status === 'faulty' && s.code === 'HEADER_HASH_MISMATCH'));
    // An unknown hash, asked by hash, is checked against the block the RPC returns.
    const unknownHash = await client.status({ l1Block: `0x${'ab'.repeat(32)}` });
    assert.equal(unknownHash.level, 'unknown');
    mock.state.rpcDown = true;
    const down = await client.status({ l1Block: HEAD_EL - 1 });
    assert.equal(down.reasonCode, 'L1_RPC_UNAVAILABLE');
    assert.ok(endpoint.some((s) => s.endpoint === 'l1Rpc' && s.status === 'stale' && s.code === 'HTTP_503'));
    mock.state.rpcDown = false;
    mock.state.rpcDefault = null;
    const absent = await client.status({ l1Block: `0x${'ab'.repeat(32)}` });
    assert.equal(absent.reasonCode, 'NOT_FOUND');
  } finally {
    await client.close();
    await mock.close();
  }
});

test('persistence: a second client resumes from the stored store without bootstrap or period sync', async () => {
  const mock = await startMock({ serveOptimistic: false });
  const storage = memoryStorage();
  const a = makeClient(mock, { storage });
  await a.ready;
  const finalized = a.finalized;
  await a.close();
  const before = mock.log.length;
  const progress = [];
  const b = makeClient(mock, { storage });
  b.on('syncProgress', (p) => progress.push(p.phase));
  try {
    await b.ready;
    const after = mock.log.slice(before);
    assert.equal(after.filter((l) => l.includes('/bootstrap/')).length, 0);
    assert.equal(after.filter((l) => l.includes('/updates')).length, 0);
    assert.equal(progress[0], 'resume');
    assert.deepEqual(b.finalized, finalized);
    assert.equal(b.optimistic.execution.blockNumber, HEAD_EL);
  } finally {
    await b.close();
    await mock.close();
  }
});

test('persistence in node files: resume across clients; a corrupted store emits storeReset and re-syncs from the checkpoint', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'preconf-client-'));
  const mock = await startMock({ serveOptimistic: false });
  try {
    const storage = fileStorage(dir);
    const a = makeClient(mock, { storage });
    await a.ready;
    await a.close();
    const key = 'preconf-light:mainnet:beacon-store';
    const bytes = await storage.get(key);
    assert.ok(bytes && bytes.length > 1000);
    const bad = Uint8Array.from(bytes);
    bad[bad.length >> 1] ^= 0x40;
    await storage.set(key, bad);
    const boots = mock.count('/bootstrap/');
    const b = makeClient(mock, { storage });
    const reset = await nextEvent(b, 'storeReset');
    assert.equal(reset.code, 'STORE_CORRUPTED');
    assert.match(reset.reason, /trusted checkpoint/);
    await b.ready;
    assert.equal(mock.count('/bootstrap/'), boots + 1);
    assert.equal(b.optimistic.execution.blockNumber, HEAD_EL);
    // The re-synced store was persisted again and is valid.
    const again = await storage.get(key);
    assert.notDeepEqual(again, bad);
    await b.close();
  } finally {
    await mock.close();
    await rmDir(dir, { recursive: true, force: true });
  }
});

test('waitFor: times out, aborts, and resolves when the optimistic update arrives over SSE', async () => {
  const mock = await startMock({ serveOptimistic: false });
  const client = makeClient(mock, { sse: true, pollIntervalMs: 60_000 });
  try {
    await client.ready;
    const target = { l1Block: HEAD_EL + 1 };
    const t0 = Date.now();
    await assert.rejects(client.waitFor(target, 'included', { timeoutMs: 150 }), code('TIMEOUT'));
    assert.ok(Date.now() - t0 < 2000);
    const ctrl = new AbortController();
    const aborted = client.waitFor(target, 'included', { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 50);
    await assert.rejects(aborted, (e) => e.name === 'AbortError');
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(client.waitFor(target, 'included', { signal: pre.signal }), (e) => e.name === 'AbortError');
    await assert.rejects(client.waitFor(target, 'bogus'), code('INVALID_ARGUMENT'));
    // Wait for the SSE connection, then deliver the optimistic update.
    for (let i = 0; i < 100 && mock.sseClients() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(mock.sseClients(), 1, mock.log.join('\n'));
    const waiting = client.waitFor(target, 'included', { timeoutMs: 5000 });
    const changes = [];
    const unwatch = client.watch(target, (s) => changes.push(s.level));
    mock.push('light_client_optimistic_update', fixtures.optimistic);
    const s = await waiting;
    assert.equal(s.level, 'included');
    assert.equal(client.optimistic.execution.blockNumber, HEAD_EL + 1);
    await new Promise((r) => setTimeout(r, 50));
    unwatch();
    assert.deepEqual(changes, ['unknown', 'included']);
    assert.equal(mock.count('/optimistic_update'), 1); // only the initial fetch: the head came over SSE
  } finally {
    await client.close();
    await mock.close();
  }
});

test('SSE: a finality update delivered on the event stream moves head and finalized and is persisted', async () => {
  const mock = await startMock({ serveOptimistic: false, serveFinality: false });
  const storage = memoryStorage();
  const client = makeClient(mock, { sse: true, storage, pollIntervalMs: 60_000 });
  try {
    await client.ready;
    const synced = client.finalized.slot;
    assert.ok(synced < 7109344);
    for (let i = 0; i < 100 && mock.sseClients() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const fin = nextEvent(client, 'finalized');
    const head = nextEvent(client, 'head');
    mock.push('light_client_finality_update', fixtures.finality);
    assert.equal((await fin).execution.blockNumber, FIN_EL);
    assert.equal((await head).execution.blockNumber, HEAD_EL);
    // Persisted: a fresh client resumes at the new finalized header.
    await new Promise((r) => setTimeout(r, 20));
    const b = makeClient(mock, { storage, pollIntervalMs: 60_000 });
    await b.ready;
    assert.equal(b.finalized.execution.blockNumber, FIN_EL);
    await b.close();
  } finally {
    await client.close();
    await mock.close();
  }
});

test('endpoint down: the client reports it stale, falls over to the next URL, and a lone dead endpoint retries with backoff', async () => {
  const mock = await startMock({ serveOptimistic: false });
  const dead = await deadUrl();
  const client = makeClient(mock, { beaconApiUrl: [dead, mock.beaconUrl] });
  const events = [];
  client.on('endpointStatus', (s) => events.push(s));
  try {
    await client.ready;
    assert.equal(client.optimistic.execution.blockNumber, HEAD_EL);
    const stale = events.find((e) => e.url === dead);
    assert.equal(stale.status, 'stale');
    assert.equal(stale.code, 'UNREACHABLE');
  } finally {
    await client.close();
  }
  const lone = makeClient(mock, { beaconApiUrl: dead, backoff: { baseMs: 10, maxMs: 80 } });
  const staleEvents = [];
  lone.on('endpointStatus', (s) => staleEvents.push(s));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(lone.finalized, null);
  const st = lone.endpoints().find((e) => e.url === dead);
  assert.equal(st.status, 'stale');
  // Reported once per change, not once per retry.
  assert.equal(staleEvents.length, 1);
  const s = await lone.status({ l1Block: 1 });
  assert.equal(s.reasonCode, 'NOT_SYNCED');
  await lone.close();
  await assert.rejects(lone.ready, code('CLOSED'));
  await mock.close();
});

test('lying endpoint: a forged finality update marks the beacon endpoint faulty and changes nothing', async () => {
  const mock = await startMock({ serveOptimistic: false, serveFinality: false });
  const client = makeClient(mock, { pollIntervalMs: 50 });
  const heads = [];
  try {
    await client.ready;
    const before = { f: client.finalized, o: client.optimistic };
    client.on('head', (h) => heads.push(h));
    client.on('finalized', (h) => heads.push(h));
    const faulty = nextEvent(client, 'endpointStatus', (s) => s.status === 'faulty');
    mock.state.finality = JSON.stringify(forge(fixtures.finality));
    mock.state.serveFinality = true;
    const ev = await faulty;
    assert.equal(ev.endpoint, 'beacon');
    assert.equal(ev.code, 'INVALID_SIGNATURE');
    assert.deepEqual(client.finalized, before.f);
    assert.deepEqual(client.optimistic, before.o);
    assert.equal(heads.length, 0);
    // The honest update is then accepted and the endpoint is ok again.
    const ok = nextEvent(client, 'endpointStatus', (s) => s.status === 'ok');
    const finalized = nextEvent(client, 'finalized');
    mock.state.finality = fixtures.finality;
    await ok;
    assert.equal((await finalized).execution.blockNumber, FIN_EL);
    assert.equal(client.finalized.execution.blockNumber, FIN_EL);
  } finally {
    await client.close();
    await mock.close();
  }
});

test('lying endpoint during sync: a forged /updates entry is refused; the honest second endpoint completes the sync', async () => {
  const liar = await startMock({ serveOptimistic: false, tamperUpdateIndex: 2 });
  const honest = await startMock({ serveOptimistic: false });
  const client = makeClient(liar, { beaconApiUrl: [liar.beaconUrl, honest.beaconUrl] });
  const events = [];
  client.on('endpointStatus', (s) => events.push(s));
  try {
    await client.ready;
    const f = events.find((e) => e.url === liar.beaconUrl && e.status === 'faulty');
    assert.ok(f, 'the liar is reported faulty');
    assert.equal(f.code, 'INVALID_SIGNATURE');
    assert.equal(client.optimistic.execution.blockNumber, HEAD_EL);
    assert.ok(honest.count('/updates') >= 1);
  } finally {
    await client.close();
    await liar.close();
    await honest.close();
  }
});

test('SSE parser: events split across chunks, CRLF and CR line ends, comments and multi-line data', () => {
  const p = new SseParser();
  const frame = ': hello\r\nevent: a\r\ndata: {"x":\r\ndata: 1}\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n';
  const got = [];
  for (const ch of frame) got.push(...p.push(ch));
  assert.deepEqual(got, [
    { event: 'a', data: '{"x":\n1}' },
    { event: 'b', data: '2' },
    { event: 'message', data: '3' },
  ]);
  assert.deepEqual(new SseParser().push('data: no end yet'), []);
});

test('browser: the Web Worker path syncs in Chromium with the same API (core off the main thread)', async (t) => {
  const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const root = join(FIX, '..', '..');
  const pw = join(root, 'node_modules', 'playwright-core', 'index.mjs');
  if (!existsSync(CHROMIUM) || !existsSync(pw)) {
    t.skip(`needs ${CHROMIUM} and playwright-core in ${root}/node_modules`);
    return;
  }
  const { chromium } = await import(pathToFileURL(pw).href);
  // The installed package folder (dist/node.js → package root).
  const pkgRoot = dirname(dirname(fileURLToPath(import.meta.resolve('preconf-light'))));
  const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const page = (worker) => `<!doctype html><meta charset="utf-8"><script type="module">
    import { createPreconfClient } from '/pkg/dist/browser.js';
    let longest = 0, last = performance.now();
    const beat = setInterval(() => { const n = performance.now(); longest = Math.max(longest, n - last); last = n; }, 5);
    try {
      const c = createPreconfClient({ network: 'mainnet', beaconApiUrl: location.origin, l1RpcUrl: location.origin + '/rpc',
        trustedCheckpoint: '${CAPELLA_ROOT}', clock: () => ${NOW}, sse: false, pollIntervalMs: 60000, tickIntervalMs: 60000, worker: ${worker} });
      const t0 = performance.now();
      await c.ready;
      const ms = performance.now() - t0;
      const s = await c.status({ l1Block: c.optimistic.execution.blockNumber });
      clearInterval(beat);
      window.result = { head: c.optimistic.execution.blockNumber, fin: c.finalized.execution.blockNumber, level: s.level, ms, longest };
      await c.close();
    } catch (e) { window.result = { error: String(e && e.code || e) + ': ' + (e && e.message) }; }
  </script>`;
  const mock = await startMock({
    serveOptimistic: false,
    staticFiles(req, res) {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/worker.html' || path === '/inpage.html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(page(path === '/worker.html'));
        return true;
      }
      if (!path.startsWith('/pkg/') || path.includes('..')) return false;
      try {
        const body = readFileSync(join(pkgRoot, path.slice('/pkg/'.length)));
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
        return true;
      } catch {
        return false;
      }
    },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const gaps = {};
  try {
    for (const [file, worker] of [['worker.html', true], ['inpage.html', false]]) {
      const p = await browser.newPage();
      const workers = [];
      p.on('worker', (w) => workers.push(w.url()));
      await p.goto(`${mock.beaconUrl}/${file}`);
      await p.waitForFunction(() => window.result, null, { timeout: 20000 });
      const r = await p.evaluate(() => window.result);
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.head, HEAD_EL);
      assert.equal(r.fin, FIN_EL);
      assert.equal(r.level, 'included');
      if (worker) assert.ok(workers.some((u) => u.endsWith('/pkg/dist/client/worker.js')), `worker started: ${workers}`);
      else assert.equal(workers.length, 0);
      t.diagnostic(`${file}: synced in ${r.ms.toFixed(0)} ms, longest main-thread gap ${r.longest.toFixed(0)} ms`);
      gaps[file] = r.longest;
      await p.close();
    }
    // BLS and decoding in the worker leave the page's event loop free; in-page they block it.
    assert.ok(gaps['worker.html'] < gaps['inpage.html'], JSON.stringify(gaps));
  } finally {
    await browser.close();
    await mock.close();
  }
});

/** The same real update without its finality proof (a valid non-finality update, as nodes serve when finality lags). */
function withoutFinality(update) {
  const u = structuredClone(update);
  const zero = (o) => {
    for (const [k, v] of Object.entries(o)) {
      if (Array.isArray(v)) o[k] = v.map((x) => `0x${'0'.repeat(x.length - 2)}`);
      else if (v && typeof v === 'object') zero(v);
      else o[k] = v.startsWith('0x') ? `0x${'0'.repeat(v.length - 2)}` : '0';
    }
  };
  zero(u.data.finalized_header);
  u.data.finalized_header.execution.extra_data = '0x';
  u.data.finality_branch = u.data.finality_branch.map(() => `0x${'0'.repeat(64)}`);
  return u;
}

test('force update: past the update timeout with only a non-finality update, the tick calls forceUpdate and persists', async () => {
  const BOOT_SLOT = 7069376;
  const now = at(BOOT_SLOT + 8192 + 10); // period 863, more than UPDATE_TIMEOUT slots after the bootstrap
  const mock = await startMock({
    serveFinality: false,
    serveOptimistic: false,
    updates: [fixtures.updates[0], withoutFinality(fixtures.updates[1])],
  });
  const storage = memoryStorage();
  const client = makeClient(mock, { clock: () => now, storage, tickIntervalMs: 50 });
  try {
    const forced = nextEvent(client, 'finalized', (h) => h.slot !== BOOT_SLOT);
    await client.ready;
    const f = await forced;
    // The spec's force update: the best valid update's attested header becomes finalized.
    assert.equal(f.slot, 7070142);
    assert.equal(client.optimistic.slot, 7070142);
    await new Promise((r) => setTimeout(r, 30));
    const resumed = makeClient(mock, { clock: () => now, storage, tickIntervalMs: 60_000 });
    await resumed.ready;
    assert.equal(resumed.finalized.slot, 7070142);
    await resumed.close();
  } finally {
    await client.close();
    await mock.close();
  }
});

test('force update: not called before the update timeout (the same data, an earlier clock)', async () => {
  const now = at(7070142 + 100); // period 863, well within UPDATE_TIMEOUT of the bootstrap
  const mock = await startMock({
    serveFinality: false,
    serveOptimistic: false,
    updates: [fixtures.updates[0], withoutFinality(fixtures.updates[1])],
  });
  const client = makeClient(mock, { clock: () => now, tickIntervalMs: 20 });
  try {
    await client.ready;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(client.finalized.slot, 7069376);
    assert.equal(client.optimistic.slot, 7070142);
  } finally {
    await client.close();
    await mock.close();
  }
});

test('no persisted store and no checkpoint: ready rejects with NO_CHECKPOINT and an error event; bad options throw', async () => {
  const mock = await startMock();
  const client = makeClient(mock, { trustedCheckpoint: undefined });
  const err = nextEvent(client, 'error');
  await assert.rejects(client.ready, code('NO_CHECKPOINT'));
  assert.equal((await err).code, 'NO_CHECKPOINT');
  assert.equal(mock.count('/bootstrap/'), 0);
  await client.close();
  await mock.close();
  assert.throws(() => createPreconfClient({ network: 'mainnet', l1RpcUrl: 'http://127.0.0.1:1' }), code('INVALID_ARGUMENT'));
  assert.throws(
    () => createPreconfClient({ network: 'mainnet', beaconApiUrl: 'http://127.0.0.1:1', l1RpcUrl: 'http://127.0.0.1:1', trustedCheckpoint: '0x1234' }),
    code('INVALID_ARGUMENT'),
  );
  // An unknown network name is fatal, not retried.
  const bad = createPreconfClient({ network: 'goerli', beaconApiUrl: 'http://127.0.0.1:1', l1RpcUrl: 'http://127.0.0.1:1', trustedCheckpoint: CAPELLA_ROOT });
  await assert.rejects(bad.ready, code('INVALID_CONFIG'));
  await bad.close();
});

test('slow endpoint: a finality update slower than requestTimeoutMs marks the endpoint stale (TIMEOUT) and changes nothing', async () => {
  const mock = await startMock({ serveOptimistic: false, serveFinality: false });
  const client = makeClient(mock, { pollIntervalMs: 50, requestTimeoutMs: 300 });
  try {
    await client.ready;
    const before = client.finalized;
    const stale = nextEvent(client, 'endpointStatus', (s) => s.status === 'stale');
    mock.state.finalityDelayMs = 1000;
    mock.state.serveFinality = true;
    const ev = await stale;
    assert.equal(ev.code, 'TIMEOUT');
    assert.deepEqual(client.finalized, before);
    // Once the endpoint answers in time again, the update is taken.
    const fin = nextEvent(client, 'finalized');
    mock.state.finalityDelayMs = 0;
    assert.equal((await fin).execution.blockNumber, FIN_EL);
  } finally {
    await client.close();
    await mock.close();
  }
});

test('SSE down: the event stream is refused, the endpoint is reported stale and polling delivers the finality update', async () => {
  const mock = await startMock({ serveOptimistic: false, serveFinality: false, sseDown: true });
  const client = makeClient(mock, { sse: true, pollIntervalMs: 50 });
  try {
    await client.ready;
    const stale = await nextEvent(client, 'endpointStatus', (s) => s.status === 'stale' && s.code === 'HTTP_503');
    assert.equal(stale.endpoint, 'beacon');
    assert.equal(mock.sseClients(), 0);
    const fin = nextEvent(client, 'finalized');
    mock.state.serveFinality = true;
    assert.equal((await fin).execution.blockNumber, FIN_EL);
    assert.ok(mock.count('/eth/v1/events') >= 1);
  } finally {
    await client.close();
    await mock.close();
  }
});

// ---------------------------------------------------------------------------
// An RPC form of real block 17923112, derived in the test from its beacon
// block's execution payload: the two trie roots the payload lacks are
// rebuilt here (keccak-256, RLP, ordered Merkle-Patricia trie). The core then
// checks keccak(rlp(header)) against the hash the light client verified, so
// a wrong derivation cannot pass.

const KECCAK_RC = [
  0x1n, 0x8082n, 0x800000000000808an, 0x8000000080008000n, 0x808bn, 0x80000001n, 0x8000000080008081n, 0x8000000000008009n,
  0x8an, 0x88n, 0x80008009n, 0x8000000an, 0x8000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
  0x8000000000008002n, 0x8000000000000080n, 0x800an, 0x800000008000000an, 0x8000000080008081n, 0x8000000000008080n,
  0x80000001n, 0x8000000080008008n,
];
const KECCAK_ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14].map(BigInt);
const M64 = (1n << 64n) - 1n;
const rotl = (x, n) => (n === 0n ? x : ((x << n) | (x >> (64n - n))) & M64);

function keccak256(data) {
  const rate = 136;
  const padded = new Uint8Array(Math.ceil((data.length + 1) / rate) * rate);
  padded.set(data);
  padded[data.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  const s = new Array(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let v = 0n;
      for (let b = 7; b >= 0; b--) v = (v << 8n) | BigInt(padded[off + i * 8 + b]);
      s[i] ^= v;
    }
    for (let round = 0; round < 24; round++) {
      const c = [0, 1, 2, 3, 4].map((x) => s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20]);
      for (let i = 0; i < 25; i++) s[i] ^= c[(i % 5 + 4) % 5] ^ rotl(c[(i % 5 + 1) % 5], 1n);
      const b = new Array(25);
      for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], KECCAK_ROT[x + 5 * y]);
      for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) s[x + 5 * y] = b[x + 5 * y] ^ (~b[((x + 1) % 5) + 5 * y] & M64 & b[((x + 2) % 5) + 5 * y]);
      s[0] ^= KECCAK_RC[round];
    }
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((s[i >> 3] >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}

const hexToBytes = (h) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'));
const bytesToHex = (b) => `0x${Buffer.from(b).toString('hex')}`;
const concat = (...parts) => Uint8Array.from(Buffer.concat(parts.map((p) => Buffer.from(p))));
function intBytes(n) {
  let v = BigInt(n);
  const out = [];
  while (v > 0n) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Uint8Array.from(out);
}
function rlpLen(len, offset) {
  if (len < 56) return Uint8Array.of(offset + len);
  const lb = intBytes(len);
  return concat(Uint8Array.of(offset + 55 + lb.length), lb);
}
function rlp(x) {
  if (x instanceof Uint8Array) return x.length === 1 && x[0] < 0x80 ? x : concat(rlpLen(x.length, 0x80), x);
  const body = concat(...x.map(rlp));
  return concat(rlpLen(body.length, 0xc0), body);
}
const nibbles = (b) => [...b].flatMap((x) => [x >> 4, x & 15]);
function hexPrefix(nibs, leaf) {
  const flag = leaf ? 2 : 0;
  const odd = nibs.length % 2;
  const head = odd ? [((flag + 1) << 4) | nibs[0]] : [flag << 4];
  const rest = nibs.slice(odd);
  for (let i = 0; i < rest.length; i += 2) head.push((rest[i] << 4) | rest[i + 1]);
  return Uint8Array.from(head);
}
function trieNode(entries) {
  if (entries.length === 1) return [hexPrefix(entries[0][0], true), entries[0][1]];
  let cp = 0;
  while (entries.every(([k]) => k.length > cp && k[cp] === entries[0][0][cp])) cp++;
  if (cp > 0) return [hexPrefix(entries[0][0].slice(0, cp), false), trieRef(entries.map(([k, v]) => [k.slice(cp), v]))];
  const branch = [];
  for (let i = 0; i < 16; i++) {
    const sub = entries.filter(([k]) => k.length > 0 && k[0] === i).map(([k, v]) => [k.slice(1), v]);
    branch.push(sub.length ? trieRef(sub) : new Uint8Array());
  }
  branch.push(entries.find(([k]) => k.length === 0)?.[1] ?? new Uint8Array());
  return branch;
}
function trieRef(entries) {
  const node = trieNode(entries);
  const enc = rlp(node);
  return enc.length < 32 ? node : keccak256(enc);
}
const orderedTrieRoot = (values) =>
  values.length === 0 ? keccak256(rlp(new Uint8Array())) : keccak256(rlp(trieNode(values.map((v, i) => [nibbles(rlp(intBytes(i))), v]))));

const EMPTY_OMMERS = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const qty = (dec) => `0x${BigInt(dec).toString(16)}`;

/** eth_getBlockByHash form (transactions as hashes omitted) of a Capella beacon block's payload. */
function rpcBlockFromPayload(p) {
  const transactionsRoot = orderedTrieRoot(p.transactions.map(hexToBytes));
  const withdrawalsRoot = orderedTrieRoot(
    p.withdrawals.map((w) => rlp([intBytes(w.index), intBytes(w.validator_index), hexToBytes(w.address), intBytes(w.amount)])),
  );
  return {
    hash: p.block_hash,
    parentHash: p.parent_hash,
    sha3Uncles: EMPTY_OMMERS,
    miner: p.fee_recipient,
    stateRoot: p.state_root,
    transactionsRoot: bytesToHex(transactionsRoot),
    receiptsRoot: p.receipts_root,
    logsBloom: p.logs_bloom,
    difficulty: '0x0',
    number: qty(p.block_number),
    gasLimit: qty(p.gas_limit),
    gasUsed: qty(p.gas_used),
    timestamp: qty(p.timestamp),
    extraData: p.extra_data,
    mixHash: p.prev_randao,
    nonce: '0x0000000000000000',
    baseFeePerGas: qty(p.base_fee_per_gas),
    withdrawalsRoot: bytesToHex(withdrawalsRoot),
  };
}

/** keccak(rlp(header)) of an RPC block (London/Shanghai fields), as the block hash is defined. */
function headerHash(b) {
  const fields = [b.parentHash, b.sha3Uncles, b.miner, b.stateRoot, b.transactionsRoot, b.receiptsRoot, b.logsBloom].map(hexToBytes);
  fields.push(intBytes(b.difficulty), intBytes(b.number), intBytes(b.gasLimit), intBytes(b.gasUsed), intBytes(b.timestamp));
  fields.push(hexToBytes(b.extraData), hexToBytes(b.mixHash), hexToBytes(b.nonce), intBytes(b.baseFeePerGas), hexToBytes(b.withdrawalsRoot));
  return bytesToHex(keccak256(rlp(fields)));
}

test('hash chain on real data: the block below the verified head is proven through the head block from the RPC; a changed parent is refused', async () => {
  assert.equal(bytesToHex(keccak256(new Uint8Array())), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  const payload = json('helios/capella-lc/beacon_block_7109430.json').data.message.body.execution_payload;
  const headBlock = rpcBlockFromPayload(payload);
  const mock = await startMock({ serveOptimistic: false });
  mock.state.rpcBlocks.set(payload.block_hash, headBlock);
  const client = makeClient(mock);
  try {
    await client.ready;
    assert.equal(client.optimistic.execution.blockHash, payload.block_hash);
    const s = await client.status({ l1Block: HEAD_EL - 1 });
    assert.equal(s.level, 'included', s.reason);
    assert.equal(s.reasonCode, 'ON_VERIFIED_CHAIN');
    assert.equal(s.l1.hash, payload.parent_hash);
    assert.equal(s.eta.level, 'finalized');
    assert.equal(mock.count('POST /rpc'), 1);
    // Verified links are cached: the same block by hash, and by number again, cost no request.
    const byHash = await client.status({ l1Block: payload.parent_hash });
    assert.equal(byHash.level, 'included', byHash.reason);
    assert.equal(byHash.l1.number, HEAD_EL - 1);
    assert.equal((await client.status({ l1Block: HEAD_EL - 1 })).level, 'included');
    assert.equal(mock.count('POST /rpc'), 1);
    // A different hash at that height is not on the verified chain: fetched, verified, and reported reverted.
    mock.state.rpcBlocks.set(fixtures.cancunBlock.hash, fixtures.cancunBlock);
    const other = await client.status({ l1Block: fixtures.cancunBlock.hash });
    assert.equal(other.level, 'unknown'); // block 21925176 is above this head: not yet verifiable
    assert.equal(other.reasonCode, 'ABOVE_VERIFIED_HEAD');
    // A sibling of block 17923111 (same parent link height, other contents, a self-consistent hash) is not
    // on the verified chain: reported reverted by an L1 reorg, never included.
    assert.equal(headerHash(headBlock), payload.block_hash);
    const sibling = { ...headBlock, number: qty(HEAD_EL - 1), extraData: '0x736962' };
    sibling.hash = headerHash(sibling);
    mock.state.rpcBlocks.set(sibling.hash, sibling);
    const rev = await client.status({ l1Block: sibling.hash });
    assert.equal(rev.level, 'reverted');
    assert.equal(rev.reasonCode, 'L1_REORG');
    assert.equal(rev.l1.hash, payload.parent_hash);
    await assert.rejects(client.waitFor({ l1Block: sibling.hash }, 'included'), code('REVERTED'));
  } finally {
    await client.close();
  }
  // A fresh client against an RPC that changes the head block's parent: refused, nothing raised.
  const forged = { ...headBlock, parentHash: `0x${'11'.repeat(32)}` };
  mock.state.rpcBlocks.set(payload.block_hash, forged);
  const liar = makeClient(mock);
  const faulty = nextEvent(liar, 'endpointStatus', (e) => e.endpoint === 'l1Rpc' && e.status === 'faulty');
  try {
    await liar.ready;
    const s = await liar.status({ l1Block: HEAD_EL - 1 });
    assert.equal(s.level, 'unknown');
    assert.equal(s.reasonCode, 'L1_RPC_FAULTY');
    assert.equal((await faulty).code, 'HEADER_HASH_MISMATCH');
  } finally {
    await liar.close();
    await mock.close();
  }
});

test('downgrade: a watched block that loses to the verified head at its height goes to reverted with L1_REORG', async () => {
  const payload = json('helios/capella-lc/beacon_block_7109430.json').data.message.body.execution_payload;
  const rival = { ...rpcBlockFromPayload(payload), number: qty(HEAD_EL + 1), parentHash: payload.block_hash, extraData: '0x726976616c' };
  rival.hash = headerHash(rival);
  const mock = await startMock({ serveOptimistic: false });
  mock.state.rpcBlocks.set(rival.hash, rival);
  const client = makeClient(mock, { sse: true, pollIntervalMs: 60_000 });
  try {
    await client.ready;
    const seen = [];
    const unwatch = client.watch({ l1Block: rival.hash }, (s) => seen.push(`${s.level}:${s.reasonCode}`));
    for (let i = 0; i < 100 && (mock.sseClients() === 0 || seen.length === 0); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, ['unknown:ABOVE_VERIFIED_HEAD']);
    const down = nextEvent(client, 'downgrade');
    const change = nextEvent(client, 'levelChange');
    // The real block 17923113 arrives on the stream: the rival at that height is not on the verified chain.
    mock.push('light_client_optimistic_update', fixtures.optimistic);
    const d = await down;
    assert.deepEqual([d.from, d.to, d.reasonCode], ['unknown', 'reverted', 'L1_REORG']);
    assert.equal(d.status.l1.hash, client.optimistic.execution.blockHash);
    assert.equal((await change).to, 'reverted');
    assert.deepEqual(seen, ['unknown:ABOVE_VERIFIED_HEAD', 'reverted:L1_REORG']);
    unwatch();
  } finally {
    await client.close();
    await mock.close();
  }
});
