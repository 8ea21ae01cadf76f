// Builds the Vite app against the installed tarball, serves the build on
// 127.0.0.1, and checks in headless Chromium that the wasm loads and works,
// and that the client's core runs in a Web Worker with the rollup engine
// (synced from real mainnet light-client data served here under /beacon;
// the L1 RPC at /rpc knows no block) without stalling the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dist = process.env.BUNDLER_DIST;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const LC = join(FIX, 'mainnet/helios/capella-lc');
const CHECKPOINT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
/** Just after the optimistic update's signature slot (sync period 867). */
const NOW = 1606824023 + 7109432 * 12 + 6;

/** The Beacon API (real mainnet Capella data) and a JSON-RPC that knows no block; null if `path` is neither. */
async function beaconOrRpc(req, path, url) {
  if (req.method === 'POST' && path === '/rpc') {
    let raw = '';
    for await (const c of req) raw += c;
    return { jsonrpc: '2.0', id: JSON.parse(raw).id, result: null };
  }
  if (path === '/beacon/meta') return { checkpoint: CHECKPOINT, now: NOW };
  if (path === `/beacon/eth/v1/beacon/light_client/bootstrap/${CHECKPOINT}`) return readFile(join(LC, 'bootstrap.json'), 'utf8');
  if (path === '/beacon/eth/v1/beacon/light_client/finality_update') return readFile(join(LC, 'finality.json'), 'utf8');
  if (path === '/beacon/eth/v1/beacon/light_client/optimistic_update') return readFile(join(LC, 'optimistic.json'), 'utf8');
  if (path === '/beacon/eth/v1/beacon/light_client/updates') {
    const start = Number(url.searchParams.get('start_period'));
    const count = Number(url.searchParams.get('count'));
    const all = JSON.parse(await readFile(join(LC, 'updates.json'), 'utf8'));
    return all.filter((u) => {
      const period = Math.floor(Number(u.data.attested_header.beacon.slot) / 8192);
      return period >= start && period < start + count;
    });
  }
  return null;
}

test('a Vite build of an app importing preconf-light runs in Chromium; its client core runs in a Web Worker with the rollup engine', async (t) => {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const api = await beaconOrRpc(req, path, url);
      if (api !== null) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(typeof api === 'string' ? api : JSON.stringify(api));
        return;
      }
      const file = path.startsWith('/fixtures/') ? join(FIX, path.slice('/fixtures/'.length)) : join(dist, path === '/' ? 'index.html' : path);
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForSelector('body[data-ready]', { timeout: 30000 });
    assert.match(await page.textContent('#result'), /^core \d+\.\d+\.\d+; infinity key rejected with INFINITY_PUBLIC_KEY; evm needsState 1$/);
    await page.waitForSelector('body[data-worker]', { timeout: 60000 });
    const r = JSON.parse(await page.textContent('#worker'));
    assert.equal(r.error, undefined, r.error);
    // The client's core is the bundled worker (Vite emitted it as its own chunk).
    assert.equal(workers.length, 1, `workers: ${workers}`);
    assert.match(workers[0], /\/assets\/worker-[\w-]+\.js$/);
    // The worker's rollup engine answers for the config's genesis block (anchored at the verified finalized L1 block) and refuses a proof that is no batch claim.
    assert.equal(r.level, 'finalized');
    assert.equal(r.batch, 'MALFORMED');
    assert.equal(r.system, 'plonk');
    assert.match(r.sp1Version, /^v6\.0/);
    assert.ok(r.transferred, 'the proof bytes were transferred, not copied');
    assert.equal(r.reuse, 'INVALID_ARGUMENT');
    assert.equal(r.refused, 'INVALID_PROOF');
    t.diagnostic(`Plonk check in the worker: ${r.worker.ms.toFixed(0)} ms, longest page stall ${r.worker.longest.toFixed(0)} ms, ${r.worker.beats} timer beats`);
    t.diagnostic(`Plonk check on the page: ${r.inPage.ms.toFixed(0)} ms, longest page stall ${r.inPage.longest.toFixed(0)} ms, ${r.inPage.beats} timer beats`);
    // The page's timer kept firing while the worker checked the proof; on the page the check stalls it.
    assert.ok(r.worker.beats >= Math.floor(r.worker.ms / 50), JSON.stringify(r.worker));
    assert.ok(r.worker.longest < r.inPage.longest, JSON.stringify(r));
    assert.ok(r.worker.longest < Math.max(100, r.inPage.ms / 2), JSON.stringify(r));
  } finally {
    await browser.close();
    server.close();
  }
});
