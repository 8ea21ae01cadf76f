// The npm package in Debian's headless Chromium (the demo build's copy,
// served by a devnet): failures the browser hides from scripts are reported
// as what they are. A fetch refused by CORS and one to an unreachable host
// are the same TypeError to a page; the client tells them apart
// (`CORS_REFUSED` vs `UNREACHABLE`) in `endpoints()`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
let devnet;
let baseUrl;
let browser;
let noCors;

before(async () => {
  devnet = spawn(process.env.PRECONF_DEVNET ?? `${root}target/release/preconf-devnet`, ['--seed', '1', '--port', '0', '--root', `${root}web-demo/build`, '--slot-time', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('devnet did not start')), 30000);
    let out = '';
    devnet.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    devnet.on('exit', (code) => reject(new Error(`devnet exited with ${code}`)));
  });
  // A beacon endpoint that answers, without Access-Control-Allow-Origin.
  noCors = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":{}}');
  });
  await new Promise((r) => noCors.listen(0, '127.0.0.1', r));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  noCors?.close();
  devnet?.kill();
});

test('an endpoint that does not allow the page\'s origin is CORS_REFUSED, an unreachable one UNREACHABLE', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/`);
  const cfg = await (await fetch(`${baseUrl}/devnet/client-config`)).json();
  const states = await page.evaluate(
    async ({ base, cfg, noCorsUrl }) => {
      const { createPreconfClient } = await import(`${base}/preconf-light/dist/browser.js`);
      const make = (beaconApiUrl) =>
        createPreconfClient({ network: cfg.network, beaconApiUrl, l1RpcUrl: cfg.l1RpcUrl, trustedCheckpoint: cfg.trustedCheckpoint, requestTimeoutMs: 3000, backoff: { baseMs: 200, maxMs: 400 } });
      const refused = make(noCorsUrl);
      const gone = make('http://127.0.0.1:9');
      const beacon = (c) => c.endpoints().find((s) => s.endpoint === 'beacon');
      const end = Date.now() + 30_000;
      while (Date.now() < end && (beacon(refused).status === 'ok' || beacon(gone).status === 'ok')) await new Promise((r) => setTimeout(r, 100));
      const out = { refused: beacon(refused), gone: beacon(gone) };
      await refused.close();
      await gone.close();
      return out;
    },
    { base: baseUrl, cfg, noCorsUrl: `http://127.0.0.1:${noCors.address().port}` },
  );
  // Before: a CORS failure left endpoints() saying `ok`, or an anonymous UNREACHABLE.
  assert.equal(states.refused.status, 'stale', JSON.stringify(states.refused));
  assert.equal(states.refused.code, 'CORS_REFUSED', JSON.stringify(states.refused));
  assert.match(states.refused.reason, /Access-Control-Allow-Origin/);
  assert.equal(states.gone.code, 'UNREACHABLE', JSON.stringify(states.gone));
  await page.close();
});
