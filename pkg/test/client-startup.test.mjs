// Startup that does not grow with the chain's age, bounded requests under a
// lying feed, and failures that speak (issues #17 item 2, #18 items 3 and 4).
// Against real devnet processes (1 s slots) and small lying servers on
// 127.0.0.1; every wait is bounded.
//
// Needs the devnet binary (PRECONF_DEVNET_BIN, as in client-l2.test.mjs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createPreconfClient, PreconfLightError } from 'preconf-light';

const ROOT = resolve(process.env.PRECONF_FIXTURES ?? 'tests/fixtures', '../..');
const BIN = process.env.PRECONF_DEVNET_BIN ?? join(ROOT, 'target/release/preconf-devnet');
const SKIP = existsSync(BIN) ? false : `devnet binary ${BIN} missing: run \`cargo build --release -p preconf-devnet\``;
const PER_SLOT = 4;

const procs = [];
const clients = [];
const servers = [];
after(async () => {
  for (const c of clients) await c.close();
  for (const p of procs) p.kill();
  for (const s of servers) s.close();
});

/** A devnet (1 s slots, 4 L2 blocks a slot) whose chain is about `height` L2 blocks old. */
function startDevnet(height = 0, extra = []) {
  const genesis = Math.floor(Date.now() / 1000) - Math.ceil(height / PER_SLOT);
  return new Promise((res, rej) => {
    const root = mkdtempSync(join(tmpdir(), 'devnet-root-'));
    const p = spawn(BIN, ['--seed', '1', '--port', '0', '--root', root, '--slot-time', '1', '--l2-blocks-per-slot', String(PER_SLOT), '--genesis-time', String(genesis), ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(p);
    let out = '';
    const timer = setTimeout(() => rej(new Error(`devnet did not start: ${out}`)), 60_000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (c) => rej(new Error(`devnet exited ${c}: ${out}`)));
  });
}

const getJson = async (url) => {
  const r = await fetch(url);
  assert.ok(r.ok, `${url}: HTTP ${r.status}`);
  return r.json();
};

async function until(pred, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A 127.0.0.1 server on a free port; resolves with its base URL. */
async function serve(handler) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}`;
}

/** The client options of a devnet's client config (as they are), plus `extra`. */
function clientOf(cfg, extra = {}) {
  const c = createPreconfClient({
    network: cfg.network,
    beaconApiUrl: cfg.beaconApiUrl,
    l1RpcUrl: cfg.l1RpcUrl,
    trustedCheckpoint: cfg.trustedCheckpoint,
    chainId: cfg.chainId,
    rollup: cfg.rollup,
    sequencerFeedUrl: cfg.sequencerFeedUrl,
    l2BlockUrl: cfg.l2BlockUrl,
    l2BlocksUrl: cfg.l2BlocksUrl,
    requestTimeoutMs: 5000,
    backoff: { baseMs: 100, maxMs: 1000 },
    ...extra,
  });
  clients.push(c);
  return c;
}

/** A fetch that counts requests by path prefix and the most in flight at once. */
function countingFetch() {
  const counts = { byHash: 0, range: 0, finality: 0, maxInFlight: 0 };
  let inFlight = 0;
  const fetchFn = async (input, init) => {
    const path = new URL(typeof input === 'string' ? input : input.url).pathname;
    const block = path.startsWith('/rollup/block/') || path.startsWith('/block/') || path.startsWith('/blocks');
    if (path.startsWith('/rollup/block/') || path.startsWith('/block/')) counts.byHash++;
    if (path.startsWith('/rollup/blocks') || path.startsWith('/blocks')) counts.range++;
    if (path.endsWith('/light_client/finality_update')) counts.finality++;
    if (!block) return fetch(input, init);
    counts.maxInFlight = Math.max(counts.maxInFlight, ++inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  return { counts, fetchFn };
}

// ---- #18 item 3: startup independent of the chain's age -------------------

test('a late client places the newest L2 block of a ~1,000-block chain with a constant number of L2 block requests, none behind its anchor', { skip: SKIP, timeout: 120_000 }, async () => {
  const base = await startDevnet(1000);
  const cfg = await getJson(`${base}/devnet/client-config`);
  assert.equal(cfg.l2BlocksUrl, `${base}/rollup/blocks`, 'the devnet config names the range endpoint');
  const truth = await getJson(`${base}/devnet/truth/l2`);
  const head = Math.max(...truth.blocks.map((b) => b.number));
  assert.ok(head >= 900, `the chain is old enough (${head})`);
  const { counts, fetchFn } = countingFetch();
  const client = clientOf(cfg, { fetch: fetchFn });
  await client.ready;
  const s = await until(async () => {
    const st = await client.status({ block: head });
    return st.level !== 'unknown' ? st : null;
  }, 60_000, `block ${head} to be placed`);
  assert.ok(['sequenced', 'slot-ending', 'included', 'finalized'].includes(s.level), s.level);
  // Before: one GET /rollup/block/{hash} per block back to the anchor, several times over (hundreds).
  assert.ok(counts.range + counts.byHash <= 8, `L2 block requests: ${JSON.stringify(counts)}`);
  assert.ok(counts.maxInFlight <= 1, `one L2 block request at a time (${counts.maxInFlight})`);
});

test('poll and tick intervals follow the network\'s secondsPerSlot when not set: a 1 s network is polled about once a second', { skip: SKIP, timeout: 90_000 }, async () => {
  const base = await startDevnet(0);
  const cfg = await getJson(`${base}/devnet/client-config`);
  const { counts, fetchFn } = countingFetch();
  const client = clientOf(cfg, { fetch: fetchFn, sse: false, rollup: undefined, sequencerFeedUrl: undefined, l2BlockUrl: undefined, l2BlocksUrl: undefined });
  await client.ready;
  const before = counts.finality;
  await new Promise((r) => setTimeout(r, 4500));
  const polls = counts.finality - before;
  // Before: the 12 s default polled at most once in this window.
  assert.ok(polls >= 3 && polls <= 6, `finality polls in 4.5 s: ${polls}`);
  const head = client.optimistic.slot;
  await new Promise((r) => setTimeout(r, 2500));
  assert.ok(client.optimistic.slot > head, 'the head follows the 1 s slots without the event stream');
});

// ---- #17 item 2: bounded requests under a lying feed ----------------------

test('a lying feed (orphans with made-up parents) and lying block endpoints get at most a few requests a second, one at a time', { skip: SKIP, timeout: 120_000 }, async () => {
  const base = await startDevnet(0, ['--based-every', '2']);
  const cfg = await getJson(`${base}/devnet/client-config`);
  // A genuine based block (no certificate): its body is checked; only its parent can judge it.
  const based = await until(async () => (await getJson(`${base}/rollup/blocks?from=1`)).find((m) => m.header.kind === 2), 30_000, 'a based block');
  const liar = (number) => {
    const m = structuredClone(based);
    m.header.parentHash = `0x${randomBytes(32).toString('hex')}`;
    m.header.number = number;
    return m;
  };
  let feedSent = 0;
  const lying = await serve((req, res) => {
    if (req.url.startsWith('/feed')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // 200 orphans a second, each with a new made-up parent, far ahead.
      const t = setInterval(() => {
        for (let i = 0; i < 20; i++) res.write(`event: block\ndata: ${JSON.stringify(liar(100_000 + feedSent++))}\n\n`);
      }, 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    // Every block asked for is another orphan; every range is a page of them.
    if (req.url.startsWith('/blocks')) res.end(JSON.stringify(Array.from({ length: 50 }, (_, i) => liar(1000 + i))));
    else res.end(JSON.stringify(liar(99_999)));
  });
  const { counts, fetchFn } = countingFetch();
  const rejected = [];
  const client = clientOf(cfg, { fetch: fetchFn, sequencerFeedUrl: `${lying}/feed`, l2BlockUrl: `${lying}/block`, l2BlocksUrl: `${lying}/blocks` });
  client.on('feedRejected', (e) => rejected.push(e));
  await client.ready;
  await until(() => feedSent > 200, 20_000, 'the lying feed to send');
  const start = counts.byHash + counts.range;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 6000));
  const secs = (Date.now() - t0) / 1000;
  const made = counts.byHash + counts.range - start;
  // Before: thousands of GET /rollup/block/{hash} in this time (8,295 in 20 s).
  assert.ok(made <= 5 * secs + 5, `${made} block requests in ${secs.toFixed(1)} s (${JSON.stringify(counts)}), ${feedSent} lies sent`);
  assert.ok(counts.maxInFlight <= 1, `at most one block request in flight (${counts.maxInFlight})`);
  assert.ok(rejected.some((e) => e.code === 'PARENT_UNAVAILABLE'), `walks that do not connect are given up with a typed reason (${[...new Set(rejected.map((e) => e.code))]})`);
  // The client still answers from verified data.
  const st = await client.status({ block: 1 });
  assert.notEqual(st.level, 'reverted');
});

test('a feed of another network (certified by another key) is refused at once: no parent is fetched', { skip: SKIP, timeout: 120_000 }, async () => {
  const base = await startDevnet(40);
  const other = await startDevnet(40, ['--seed', '2']);
  const cfg = await getJson(`${base}/devnet/client-config`);
  const { counts, fetchFn } = countingFetch();
  const rejected = [];
  const ocfg = await getJson(`${other}/devnet/client-config`);
  const client = clientOf(cfg, { fetch: fetchFn, sequencerFeedUrl: ocfg.sequencerFeedUrl, l2BlockUrl: ocfg.l2BlockUrl, l2BlocksUrl: ocfg.l2BlocksUrl });
  client.on('feedRejected', (e) => rejected.push(e));
  await client.ready;
  await until(() => rejected.length >= 8, 30_000, 'the other network\'s messages to be refused');
  // Before: each message was held for its unknown parent and the other network's chain walked back.
  assert.ok(counts.byHash + counts.range <= 2, `block requests: ${JSON.stringify(counts)}`);
  assert.ok(rejected.every((e) => e.code !== 'UNKNOWN_PARENT'), [...new Set(rejected.map((e) => e.code))].join());
});

// ---- #18 item 4: failures that speak ---------------------------------------

const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;

test('configurations that cannot be right reject ready with INVALID_CONFIG before any request', async () => {
  let requests = 0;
  const fetchFn = async () => {
    requests++;
    throw new TypeError('no network in this test');
  };
  const opts = { beaconApiUrl: 'http://127.0.0.1:9', l1RpcUrl: 'http://127.0.0.1:9', trustedCheckpoint: `0x${'11'.repeat(32)}`, fetch: fetchFn, readyTimeoutMs: 10_000 };
  const empty = createPreconfClient({ ...opts, network: {} });
  clients.push(empty);
  // Before: INTERNAL "Cannot read properties of undefined".
  await assert.rejects(empty.ready, (e) => code('INVALID_CONFIG')(e) && /preset/.test(e.message));
  const noRollup = createPreconfClient({ ...opts, network: 'mainnet', rollup: {} });
  clients.push(noRollup);
  // Before: ready never settled (only a logger.warn about the anchor fetch).
  await assert.rejects(noRollup.ready, (e) => code('INVALID_CONFIG')(e) && /l1/.test(e.message));
  assert.equal(requests, 0);
});

test('a network option that is not what the beacon endpoint serves is INVALID_CONFIG, named from its genesis', { skip: SKIP, timeout: 60_000 }, async () => {
  const base = await startDevnet(0);
  const cfg = await getJson(`${base}/devnet/client-config`);
  const client = clientOf(cfg, { network: 'mainnet', rollup: undefined, sequencerFeedUrl: undefined, readyTimeoutMs: 20_000 });
  const errors = [];
  client.on('error', (e) => errors.push(e));
  // Before: faulty DECODE_ERROR "pubkeys must have 512 elements, has 32", retried forever.
  await assert.rejects(client.ready, (e) => code('INVALID_CONFIG')(e) && /another network/.test(e.message) && /genesis_validators_root/.test(e.message));
  assert.ok(client.endpoints().some((s) => s.endpoint === 'beacon' && s.status === 'faulty' && s.code === 'WRONG_NETWORK'));
});

test('an L1 RPC answering HTML becomes faulty (DECODE_ERROR) with an error event', { skip: SKIP, timeout: 60_000 }, async () => {
  const base = await startDevnet(20);
  const cfg = await getJson(`${base}/devnet/client-config`);
  const html = await serve((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body>Welcome to nginx!</body></html>');
  });
  const errors = [];
  const client = clientOf(cfg, { l1RpcUrl: html, readyTimeoutMs: 30_000 });
  client.on('error', (e) => errors.push(e));
  // Before: the endpoint stayed `ok`; only a DECODE_ERROR in the logger.
  await until(() => client.endpoints().find((s) => s.endpoint === 'l1Rpc')?.status === 'faulty', 20_000, 'the L1 RPC to be marked faulty');
  const s = client.endpoints().find((x) => x.endpoint === 'l1Rpc');
  assert.equal(s.code, 'DECODE_ERROR');
  assert.match(s.reason, /HTML/);
  assert.ok(errors.some((e) => e.code === 'DECODE_ERROR' && e.endpoint === 'l1Rpc' && e.url === html), JSON.stringify(errors));
});

test('ready rejects with TIMEOUT naming the last failure when the checkpoint is unknown; the client is then CLOSED', { skip: SKIP, timeout: 60_000 }, async () => {
  const base = await startDevnet(0);
  const cfg = await getJson(`${base}/devnet/client-config`);
  const client = clientOf(cfg, { trustedCheckpoint: `0x${randomBytes(32).toString('hex')}`, readyTimeoutMs: 3000, rollup: undefined, sequencerFeedUrl: undefined });
  const t0 = Date.now();
  // Before: `stale HTTP_404`, retried forever; no timeout option.
  await assert.rejects(client.ready, (e) => code('TIMEOUT')(e) && /HTTP_404/.test(e.message) && /bootstrap/.test(e.message));
  assert.ok(Date.now() - t0 < 10_000);
  await assert.rejects(client.status({ l1Block: 1 }), code('CLOSED'));
});

test('status, watch and waitFor after close() are CLOSED', async () => {
  const client = createPreconfClient({
    network: 'mainnet',
    beaconApiUrl: 'http://127.0.0.1:9',
    l1RpcUrl: 'http://127.0.0.1:9',
    trustedCheckpoint: `0x${'11'.repeat(32)}`,
    fetch: async () => {
      throw new TypeError('offline');
    },
  });
  await client.close();
  // Before: NOT_INITIALIZED.
  await assert.rejects(client.status({ l1Block: 1 }), code('CLOSED'));
  assert.throws(() => client.watch({ l1Block: 1 }, () => {}), code('CLOSED'));
  await assert.rejects(client.waitFor({ l1Block: 1 }, 'included'), code('CLOSED'));
  await assert.rejects(client.ready, code('CLOSED'));
});
