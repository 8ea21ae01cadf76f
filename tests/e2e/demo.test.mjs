// Drives the demo page in Debian's headless Chromium with playwright-core.
// Starts the devnet binary on a free 127.0.0.1 port, waits for the wasm to
// load and a verified result to render, asserts on it, saves a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = `${root}artifacts`;
let devnet;
let baseUrl;
let browser;

before(async () => {
  devnet = spawn(process.env.PRECONF_DEVNET ?? `${root}target/release/preconf-devnet`, ['--seed', '1', '--port', '0', '--root', `${root}web-demo/build`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('devnet did not start')), 20000);
    let out = '';
    devnet.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    devnet.on('exit', (code) => reject(new Error(`devnet exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  devnet?.kill();
});

test('the demo page syncs real mainnet light-client data in the browser', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(baseUrl);
  await page.waitForSelector('body[data-ready]', { timeout: 60000 });
  await page.screenshot({ path: `${artifacts}/demo.png`, fullPage: true });
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#core-status'));
  assert.match(await page.textContent('#core-status'), /loaded/);
  const rows = await page.$$eval('#l1-steps tbody tr', (trs) => trs.map((tr) => tr.children[4].textContent));
  // bootstrap + 6 updates + finality, a forged optimistic update, the genuine one.
  assert.equal(rows.length, 10);
  assert.deepEqual(rows.filter((_, i) => i !== 8), Array(9).fill('verified'));
  assert.equal(rows[8], 'rejected: INVALID_SIGNATURE');
  assert.equal(await page.getAttribute('#l1-summary', 'data-verified'), '9');
  assert.equal(await page.getAttribute('#l1-summary', 'data-forged-rejected'), 'true');
  assert.equal(await page.getAttribute('#l1-head', 'data-head-block'), '17923113');
  assert.deepEqual(errors, []);
});
