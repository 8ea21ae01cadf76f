// No false alarms and bounded inputs, through the installed package: a mock
// Beacon API + L1 JSON-RPC on 127.0.0.1 serves the real mainnet light-client
// fixtures (helios/capella-lc), and answers the way real nodes and hostile
// proxies do: a `/updates` request refused whole when its newest period has
// no update yet (Lodestar's HTTP 500), an update signed in a slot that began
// while the request was in flight or within the clock disparity, and 50 MB
// bodies and events. Every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createPreconfClient } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const text = (p) => readFileSync(`${FIX}/mainnet/${p}`, 'utf8');
const GENESIS = 1606824023;
const at = (slot) => GENESIS + Number(slot) * 12;
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const SLOTS_PER_PERIOD = 8192;
const UPDATES = JSON.parse(text('helios/capella-lc/updates.json'));
const period = (u) => Math.floor(Number(u.data.attested_header.beacon.slot) / SLOTS_PER_PERIOD);
const FINALITY = text('helios/capella-lc/finality.json');
const OPTIMISTIC = text('helios/capella-lc/optimistic.json');
const MB50 = 50 * 1024 * 1024;

process.on('unhandledRejection', (e) => {
  throw new Error(`unhandled rejection: ${e?.stack ?? e}`);
});

/**
 * Writes up to `total` bytes of `fill` as fast as the client reads them;
 * resolves with the bytes written when the client stops reading (or all
 * were sent). `head` goes first.
 */
function flood(res, total, head = '', fill = 'x') {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, fill);
    let sent = 0;
    const done = () => resolve(sent);
    res.on('close', done);
    if (head) {
      res.write(head);
      sent += Buffer.byteLength(head);
    }
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
}

/** A mock node; `state.handle(url, req, res)` may answer first (return true). */
async function startMock(initial = {}) {
  const state = { finality: FINALITY, optimistic: OPTIMISTIC, handle: null, ...initial };
  const log = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    log.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (state.handle?.(url, req, res, send)) return;
    const p = url.pathname;
    if (p === `/eth/v1/beacon/light_client/bootstrap/${CAPELLA_ROOT}`) return send(200, text('helios/capella-lc/bootstrap.json'));
    if (p === '/eth/v1/beacon/light_client/updates') {
      const start = Number(url.searchParams.get('start_period'));
      const count = Number(url.searchParams.get('count'));
      return send(200, UPDATES.filter((u) => period(u) >= start && period(u) < start + count));
    }
    if (p === '/eth/v1/beacon/light_client/finality_update') return state.finality ? send(200, state.finality) : send(404, { message: 'none yet' });
    if (p === '/eth/v1/beacon/light_client/optimistic_update') return state.optimistic ? send(200, state.optimistic) : send(404, { message: 'none yet' });
    send(404, { message: 'not found' });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    state,
    log,
    base,
    async close() {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

function clientOf(mock, extra = {}) {
  const client = createPreconfClient({
    network: 'mainnet',
    beaconApiUrl: mock.base,
    l1RpcUrl: `${mock.base}/rpc`,
    trustedCheckpoint: CAPELLA_ROOT,
    sse: false,
    pollIntervalMs: 100,
    tickIntervalMs: 100,
    requestTimeoutMs: 5000,
    backoff: { baseMs: 20, maxMs: 200 },
    ...extra,
  });
  const statuses = [];
  client.on('endpointStatus', (s) => statuses.push(s));
  return { client, statuses };
}

/** `p`, or a rejection naming `what` after `ms`. */
function within(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

async function until(pred, ms, what) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('an update signed in a slot that began while /updates was in flight is not from the future (no INVALID_SLOT)', async () => {
  // The newest period update (867) is signed at slot 7104191. The clock is
  // 3 s before that slot when the sync asks, and past its start when the
  // answer arrives: a node serving it is honest. The client judges each
  // update by the clock when it verifies it (it used to take the clock from
  // before the request, and marked the node faulty: INVALID_SLOT).
  const last = UPDATES.at(-1).data;
  let now = at(last.signature_slot) - 3;
  const mock = await startMock({
    finality: null,
    optimistic: null,
    handle(url) {
      if (url.pathname === '/eth/v1/beacon/light_client/updates') now = at(last.signature_slot) + 1;
      return false;
    },
  });
  const { client, statuses } = clientOf(mock, { clock: () => now });
  try {
    await within(client.ready, 20_000, 'sync');
    assert.equal(client.finalized.slot, Number(last.finalized_header.beacon.slot));
    assert.deepEqual(statuses.filter((s) => s.status !== 'ok'), [], 'an honest node is never marked faulty or stale');
  } finally {
    await client.close();
    await mock.close();
  }
});

test('the clock disparity: an update signed in a slot that starts within 500 ms of our clock is taken (MAXIMUM_GOSSIP_CLOCK_DISPARITY)', async () => {
  // The optimistic update is signed at slot 7109432; our clock is 300 ms
  // before that slot starts (the node's runs ahead). 600 ms before is refused.
  const opt = JSON.parse(OPTIMISTIC).data;
  const mock = await startMock();
  const early = clientOf(mock, { clock: () => at(opt.signature_slot) - 0.3 });
  try {
    await within(early.client.ready, 20_000, 'sync');
    await until(() => early.client.optimistic?.slot === Number(opt.attested_header.beacon.slot), 5000, 'the optimistic head');
    assert.deepEqual(early.statuses.filter((s) => s.status !== 'ok'), []);
  } finally {
    await early.client.close();
  }
  const tooEarly = clientOf(mock, { clock: () => at(opt.signature_slot) - 0.6 });
  try {
    await within(tooEarly.client.ready, 20_000, 'sync');
    await until(() => tooEarly.statuses.some((s) => s.code === 'INVALID_SLOT'), 5000, 'INVALID_SLOT');
    assert.notEqual(tooEarly.client.optimistic.slot, Number(opt.attested_header.beacon.slot));
  } finally {
    await tooEarly.client.close();
    await mock.close();
  }
});

test('a node that refuses a /updates range whose newest period has no update yet (Lodestar: HTTP 500) is asked for fewer periods, never marked stale', async () => {
  // Lodestar answers `/updates?start_period=2&count=2` with HTTP 500 "No
  // partialUpdate available for period 3" when period 3 has none yet. Here
  // the clock is in period 867 and the node has no update for 867.
  const mock = await startMock({
    handle(url, req, res, send) {
      if (url.pathname !== '/eth/v1/beacon/light_client/updates') return false;
      const start = Number(url.searchParams.get('start_period'));
      const count = Number(url.searchParams.get('count'));
      const last = start + count - 1;
      if (last >= 867) {
        send(500, { statusCode: 500, error: 'Internal Server Error', message: `No partialUpdate available for period ${last}` });
        return true;
      }
      send(200, UPDATES.filter((u) => period(u) >= start && period(u) <= last));
      return true;
    },
  });
  const { client, statuses } = clientOf(mock, { clock: () => at(7109432) + 6 });
  try {
    await within(client.ready, 20_000, 'sync');
    // Periods 862..866 came in smaller ranges; the finality update (period 867) then finalized.
    assert.equal(client.finalized.slot, 7109344);
    const asked = mock.log.filter((l) => l.includes('/updates'));
    assert.ok(asked.some((l) => l.includes('count=6')) && asked.some((l) => l.includes('count=3')), asked.join('\n'));
    assert.deepEqual(statuses.filter((s) => s.endpoint === 'beacon' && s.status !== 'ok'), [], 'never stale or faulty');
  } finally {
    await client.close();
    await mock.close();
  }
});

test('a 50 MB beacon answer is refused while it streams (RESPONSE_TOO_LARGE, faulty), read only to the limit', async () => {
  let sent = null;
  const mock = await startMock({
    handle(url, req, res) {
      if (url.pathname !== '/eth/v1/beacon/light_client/finality_update' || sent) return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      sent = flood(res, MB50, '{"version":"capella","data":{"pad":"');
      return true;
    },
  });
  const { client, statuses } = clientOf(mock, { clock: () => at(7109432) + 6, responseLimits: { beacon: { json: 1024 * 1024 } } });
  try {
    await within(client.ready, 20_000, 'sync');
    await until(() => statuses.some((s) => s.code === 'RESPONSE_TOO_LARGE'), 10_000, 'the oversized answer to be refused');
    const mark = statuses.find((s) => s.code === 'RESPONSE_TOO_LARGE');
    assert.equal(mark.endpoint, 'beacon');
    assert.equal(mark.status, 'faulty');
    const written = await within(sent, 10_000, 'the server to stop');
    assert.ok(written < 16 * 1024 * 1024, `the client stopped reading at the limit (server wrote ${written} bytes)`);
    // The honest answer is taken next time.
    await until(() => client.finalized?.slot === 7109344, 10_000, 'the honest finality update');
  } finally {
    await client.close();
    await mock.close();
  }
});

test('a 50 MB JSON-RPC answer and a 50 MB event are refused the same way', async () => {
  let rpcSent = null;
  let sseSent = null;
  let streams = 0;
  const mock = await startMock({
    handle(url, req, res) {
      if (url.pathname === '/rpc') {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        rpcSent = flood(res, MB50, '{"jsonrpc":"2.0","id":1,"result":"0x');
        return true;
      }
      if (url.pathname === '/eth/v1/events') {
        streams++;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (streams === 1) sseSent = flood(res, MB50, 'event: light_client_finality_update\ndata: ');
        return true;
      }
      return false;
    },
  });
  const { client, statuses } = clientOf(mock, { clock: () => at(7109432) + 6, sse: true, pollIntervalMs: 60_000 });
  try {
    await within(client.ready, 20_000, 'sync');
    await assert.rejects(client.provider.request({ method: 'eth_getBlockByNumber', params: ['latest', false] }), (e) => e.data?.code === 'RESPONSE_TOO_LARGE');
    assert.ok((await within(rpcSent, 10_000, 'the RPC flood to stop')) < 32 * 1024 * 1024);
    await until(() => statuses.some((s) => s.endpoint === 'beacon' && s.code === 'RESPONSE_TOO_LARGE'), 10_000, 'the oversized event');
    assert.equal(statuses.find((s) => s.code === 'RESPONSE_TOO_LARGE').status, 'faulty');
    assert.ok((await within(sseSent, 10_000, 'the SSE flood to stop')) < 8 * 1024 * 1024);
    await until(() => streams >= 2, 10_000, 'the event stream to reconnect');
  } finally {
    await client.close();
    await mock.close();
  }
});
