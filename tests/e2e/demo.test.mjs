// Drives the demo page in Debian's headless Chromium with playwright-core.
// Starts the devnet binary on a free 127.0.0.1 port with 1 s slots (two L2
// blocks per slot) so levels move within seconds, waits for the wasm to load
// and verified results to render, asserts on the page's data attributes,
// saves screenshots to artifacts/. Every wait is bounded.
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
  devnet = spawn(process.env.PRECONF_DEVNET ?? `${root}target/release/preconf-devnet`, ['--seed', '1', '--port', '0', '--root', `${root}web-demo/build`, '--slot-time', '1', '--l2-blocks-per-slot', '2'], {
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

const RANK = ['unknown', 'pending', 'sequenced', 'slot-ending', 'included', 'finalized'];

/** Polls `fn` in the page until it returns a truthy value, or fails after `ms` with `what` and the page's log. */
async function until(page, fn, arg, ms, what) {
  try {
    return await page.waitForFunction(fn, arg, { timeout: ms, polling: 200 });
  } catch (e) {
    const log = await page.$$eval('#downgrades li', (lis) => lis.slice(0, 15).map((l) => l.textContent)).catch(() => []);
    const sync = await page.textContent('#live-sync').catch(() => '');
    throw new Error(`timed out (${ms} ms) waiting for ${what}; sync: ${sync}; log: ${log.join(' | ')}`);
  }
}

test('the live section follows the devnet: a transfer climbs to included, a reorg shows as a downgrade, a custom beacon URL verifies heads', { timeout: 180_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(baseUrl);
  await until(page, () => document.querySelector('#live')?.dataset.ready === 'true' || document.querySelector('#live')?.dataset.state === 'error', null, 60_000, 'the live client to sync');
  assert.equal(await page.getAttribute('#live', 'data-state'), 'synced', await page.textContent('#live-sync'));
  assert.equal(await page.getAttribute('#live-sync', 'data-phase'), 'synced');
  // The core runs in a Web Worker (the browser default).
  assert.ok(page.workers().some((w) => w.url().endsWith('/preconf-light/dist/client/worker.js')), `workers: ${page.workers().map((w) => w.url())}`);
  // Verified heads, endpoint health and both timelines fill in.
  await until(page, () => document.querySelectorAll('#timeline-l1 .cell[data-state="proposed"], #timeline-l1 .cell[data-state="finalized"]').length >= 3
    && document.querySelectorAll('#timeline-l2 .cell').length >= 3, null, 30_000, 'L1 and L2 timeline cells');
  assert.ok(Number(await page.getAttribute('#live-heads', 'data-head-slot')) > 0);
  assert.equal(await page.getAttribute('#live-endpoints li[data-endpoint="beacon"]', 'data-status'), 'ok');
  await until(page, () => document.querySelector('#timeline-l2 .cell[data-level="included"], #timeline-l2 .cell[data-level="finalized"]'), null, 30_000, 'an L2 block verified as included');

  // A transfer: watched by hash, its level climbs to included.
  await page.click('#send-transfer');
  await until(page, () => document.querySelector('#tracked tr[data-kind="transfer"]'), null, 10_000, 'the transfer row');
  await until(page, () => ['included', 'finalized'].includes(document.querySelector('#tracked tr[data-kind="transfer"]').dataset.maxLevel),
    null, 40_000, 'the transfer to be included');
  const levels = (await page.getAttribute('#tracked tr[data-kind="transfer"]', 'data-levels')).split(',');
  assert.ok(levels.some((l) => l === 'sequenced' || l === 'slot-ending'), `the transfer was seen preconfirmed before included: ${levels}`);
  assert.ok(levels.every((l, i) => i === 0 || RANK.indexOf(l) >= RANK.indexOf(levels[i - 1])), `levels only climbed: ${levels}`);
  assert.match(await page.textContent('#tracked tr[data-kind="transfer"] .reached'), /included \d+/);

  // A cross-domain action: its L2 leg is watched and reaches a verified level.
  await page.click('#send-action');
  await until(page, (rank) => rank.indexOf(document.querySelector('#tracked tr[data-kind="action"]')?.dataset.maxLevel) >= rank.indexOf('sequenced'),
    RANK, 40_000, 'the action leg to be sequenced');
  await page.screenshot({ path: `${artifacts}/demo-live-1-transfer.png`, fullPage: true });

  // An L1 reorg of depth 2: a verified L1 head is replaced (its slot is
  // marked reorged) and/or the L2 blocks the dropped L1 blocks committed drop.
  const drops = () => page.$eval('#downgrades', (d) => Number(d.dataset.l1 ?? 0) + Number(d.dataset.l2 ?? 0));
  const before = await drops();
  await page.click('#faults button[data-fault="reorg"]');
  await until(page, () => document.querySelector('#faults button[data-fault="reorg"]').dataset.applied === '1', null, 5_000, 'the fault request');
  await until(page, (n) => {
    const d = document.querySelector('#downgrades').dataset;
    return Number(d.l1 ?? 0) + Number(d.l2 ?? 0) > n;
  }, before, 30_000, 'an L1 slot or L2 block downgrade after the reorg');
  const reasons = await page.$$eval('#downgrades li[data-kind="downgrade"]', (lis) => lis.map((l) => l.textContent));
  assert.ok(reasons.some((r) => /l1Reorg|reorged out/.test(r)), `a downgrade names the reorg: ${reasons.join(' | ')}`);
  await page.screenshot({ path: `${artifacts}/demo-live-2-reorg.png`, fullPage: true });

  // Status queries and sync were timed in the page.
  assert.ok(Number(await page.getAttribute('#t-sync', 'data-ms')) > 0);

  // A second, L1-only client from a user-entered beacon URL: here the devnet's own Beacon API.
  await page.selectOption('#custom-network', 'devnet');
  await page.click('#custom-start');
  await until(page, () => ['synced', 'error'].includes(document.querySelector('#custom').dataset.state), null, 60_000, 'the custom client to sync');
  assert.equal(await page.getAttribute('#custom', 'data-state'), 'synced', await page.textContent('#custom-status'));
  await until(page, () => Number(document.querySelector('#custom-heads').dataset.count) >= 2, null, 20_000, 'verified heads from the custom URL');
  await page.screenshot({ path: `${artifacts}/demo-live-3-custom.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
