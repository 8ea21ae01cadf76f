// Memory under a hostile proxy that answers 50 MB bodies (issue #17, item 1).
//
//   make pkg-build && node bench/memory/oversized.mjs
//
// A mock Beacon API + L1 JSON-RPC on 127.0.0.1 serves the real mainnet
// light-client fixtures (helios/capella-lc) until the client is synced, then
// turns hostile: every finality / optimistic update, every JSON-RPC answer
// and the event stream is a 50 MB body, until BODIES (15) have been served.
// The client (the package's node entry, in-process wasm core) keeps polling,
// follows the stream and its provider keeps asking for the head block.
//
// Each variant runs in its own node process, one after the other: `limited`
// (the default body limits) and `unlimited` (limits raised to 1 TB: the whole
// body is read, as before the limits existed). Sampled every 20 ms: RSS,
// heapUsed, external + arrayBuffers, and the wasm linear memory. Prints one
// line per variant and a markdown table.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BODIES = Number(process.env.BODIES ?? 15);
const BODY_BYTES = Number(process.env.BODY_MB ?? 50) * 1024 * 1024;
const DEADLINE_MS = Number(process.env.DEADLINE_MS ?? 120_000);
const MB = 1024 * 1024;

async function child(variant) {
  const { createPreconfClient } = await import(join(ROOT, 'pkg/dist/node.js'));
  const { default: initWasm } = await import(join(ROOT, 'pkg/wasm/preconf_light.js'));
  const fix = (p) => readFileSync(join(ROOT, 'tests/fixtures/mainnet/helios/capella-lc', p), 'utf8');
  const updates = JSON.parse(fix('updates.json'));
  const GENESIS = 1606824023;
  const ROOT_CP = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
  let hostile = false;
  const streams = new Set();
  let served = 0;
  const chunk = Buffer.alloc(256 * 1024, 'a');
  // A 50 MB body that is valid JSON (a huge string inside the expected
  // shape), so that without limits it is parsed and handed to the core.
  const flood = (res, head, tail) => {
    served++;
    let sent = 0;
    res.write(head);
    const pump = () => {
      while (sent < BODY_BYTES) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end(tail);
    };
    res.on('error', () => {});
    pump();
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (hostile && served < BODIES && (p.includes('finality_update') || p.includes('optimistic_update') || p === '/rpc')) {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      return p === '/rpc'
        ? flood(res, '{"jsonrpc":"2.0","id":1,"result":{"hash":"0x', '"}}')
        : flood(res, '{"version":"capella","data":{"attested_header":{"pad":"', '"}}}');
    }
    if (p === '/eth/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (hostile && served < BODIES) return flood(res, 'event: light_client_finality_update\ndata: {"version":"capella","data":{"pad":"', '"}}\n\n');
      streams.add(res);
      return; // an idle stream (ended when the proxy turns hostile)
    }
    if (p === `/eth/v1/beacon/light_client/bootstrap/${ROOT_CP}`) return send(200, fix('bootstrap.json'));
    if (p === '/eth/v1/beacon/light_client/updates') {
      const start = Number(url.searchParams.get('start_period'));
      const count = Number(url.searchParams.get('count'));
      const period = (u) => Math.floor(Number(u.data.attested_header.beacon.slot) / 8192);
      return send(200, JSON.stringify(updates.filter((u) => period(u) >= start && period(u) < start + count)));
    }
    if (p.endsWith('/finality_update')) return send(200, fix('finality.json'));
    if (p.endsWith('/optimistic_update')) return send(200, fix('optimistic.json'));
    if (p === '/rpc') {
      req.resume();
      return send(200, '{"jsonrpc":"2.0","id":1,"result":null}');
    }
    send(404, '{}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const huge = 1e12;
  const client = createPreconfClient({
    network: 'mainnet',
    beaconApiUrl: base,
    l1RpcUrl: `${base}/rpc`,
    trustedCheckpoint: ROOT_CP,
    clock: () => GENESIS + 7109432 * 12 + 6,
    pollIntervalMs: 50,
    tickIntervalMs: 1000,
    requestTimeoutMs: 60_000,
    backoff: { baseMs: 20, maxMs: 100 },
    ...(variant === 'unlimited'
      ? { responseLimits: { beacon: { json: huge, event: huge }, l1Rpc: { json: huge } } }
      : {}),
  });
  await client.ready;
  const wasm = await initWasm(); // already instantiated: returns the exports
  const wasmBytes = () => wasm.memory.buffer.byteLength;
  const peak = { rss: 0, heapUsed: 0, external: 0, wasm: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external + m.arrayBuffers);
    peak.wasm = Math.max(peak.wasm, wasmBytes());
  };
  sample();
  const before = { rss: process.memoryUsage().rss, wasm: wasmBytes() };
  const timer = setInterval(sample, 20);
  const faulty = new Set();
  client.on('endpointStatus', (s) => s.status === 'faulty' && faulty.add(s.code));
  hostile = true;
  for (const s of streams) s.end();
  const started = Date.now();
  // The provider keeps asking for the head block (an RPC answer each time).
  const ask = (async () => {
    while (served < BODIES && Date.now() - started < DEADLINE_MS) {
      await client.provider.request({ method: 'eth_getBlockByNumber', params: ['latest', false] }).catch(() => {});
    }
  })();
  while (served < BODIES && Date.now() - started < DEADLINE_MS) await new Promise((r) => setTimeout(r, 50));
  await ask;
  await new Promise((r) => setTimeout(r, 500));
  sample();
  clearInterval(timer);
  const out = {
    variant,
    bodies: served,
    seconds: (Date.now() - started) / 1000,
    rssBeforeMB: before.rss / MB,
    peakRssMB: peak.rss / MB,
    peakHeapMB: peak.heapUsed / MB,
    peakExternalMB: peak.external / MB,
    wasmBeforeMB: before.wasm / MB,
    wasmAfterMB: wasmBytes() / MB,
    faultyCodes: [...faulty],
  };
  await client.close();
  server.closeAllConnections?.();
  server.close();
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  process.exit(0);
}

async function main() {
  const rows = [];
  for (const variant of ['limited', 'unlimited']) {
    const out = await new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [fileURLToPath(import.meta.url), variant], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.on('exit', (code) => {
        const line = text.split('\n').find((l) => l.startsWith('RESULT '));
        if (!line) return reject(new Error(`${variant}: exit ${code}: ${text}`));
        resolve(JSON.parse(line.slice(7)));
      });
    });
    console.log(JSON.stringify(out));
    rows.push(out);
  }
  const f = (x) => x.toFixed(1);
  console.log(`\n| variant | 50 MB bodies | peak RSS (MB) | peak heapUsed (MB) | peak external+arrayBuffers (MB) | wasm memory before → after (MB) | faulty codes |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.variant} | ${r.bodies} | ${f(r.peakRssMB)} | ${f(r.peakHeapMB)} | ${f(r.peakExternalMB)} | ${f(r.wasmBeforeMB)} → ${f(r.wasmAfterMB)} | ${r.faultyCodes.join(', ')} |`);
  }
}

if (process.argv[2]) await child(process.argv[2]);
else await main();
