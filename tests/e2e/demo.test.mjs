// Drives the demo page in Debian's headless Chromium with playwright-core.
// Starts the devnet binary on a free 127.0.0.1 port with 1 s slots (two L2
// blocks per slot) so levels move within seconds, waits for the wasm to load
// and verified results to render, asserts on what the page shows (its text
// and data attributes), at 1400 px and at 390 px, and saves screenshots to
// artifacts/. Every wait is on a condition with a generous bound: the machine
// may be loaded.
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
    const timer = setTimeout(() => reject(new Error('devnet did not start')), 30000);
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

/** A page that records uncaught exceptions and console errors. */
async function openPage(viewport) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(baseUrl);
  return { page, errors };
}

/** Polls `fn` in the page until it returns a truthy value, or fails after `ms` naming `what`, with the page's state. */
async function until(page, fn, arg, ms, what) {
  try {
    return await page.waitForFunction(fn, arg, { timeout: ms, polling: 250 });
  } catch {
    const state = await page.evaluate(() => ({
      sync: document.querySelector('#live-sync')?.textContent,
      card: document.querySelector('#live-card')?.innerText.slice(0, 600),
      stories: [...document.querySelectorAll('#stories > li')].map((l) => l.innerText.slice(0, 300)),
    })).catch(() => ({}));
    throw new Error(`timed out (${ms} ms) waiting for ${what}; page: ${JSON.stringify(state)}`);
  }
}

async function waitSynced(page) {
  await until(page, () => document.querySelector('#live')?.dataset.ready === 'true' || document.querySelector('#live')?.dataset.state === 'error', null, 90_000, 'the live client to sync');
  assert.equal(await page.getAttribute('#live', 'data-state'), 'synced', await page.textContent('#live-sync'));
}

/** The element's box lies within the first viewport (no scrolling). */
async function inFirstViewport(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const vp = page.viewportSize();
  return box && box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width;
}

const RANK = ['unknown', 'pending', 'sequenced', 'slot-ending', 'included', 'finalized'];

test('the mainnet section verifies real mainnet light-client data in the browser', async () => {
  const { page, errors } = await openPage({ width: 1400, height: 900 });
  await page.waitForSelector('body[data-ready]', { timeout: 90_000 });
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
  // The replay is further down: the live card comes first.
  const [card, mainnet] = await Promise.all(['#live-card', '#l1'].map((s) => page.locator(s).boundingBox()));
  assert.ok(card.y < mainnet.y, 'the live card is above the mainnet section');
  await page.click('#l1 summary');
  await page.locator('#l1').screenshot({ path: `${artifacts}/demo-mainnet.png` });
  await page.close();
  assert.deepEqual(errors, []);
});

test('desktop (1400 px): a transfer climbs to finalized with a live countdown, an action lands, a reorg is one story, an own node follows', { timeout: 420_000 }, async () => {
  const { page, errors } = await openPage({ width: 1400, height: 900 });
  await waitSynced(page);
  assert.equal(await page.getAttribute('#live-sync', 'data-phase'), 'synced');
  // The core runs in a Web Worker (the browser default).
  assert.ok(page.workers().some((w) => w.url().endsWith('/preconf-light/dist/client/worker.js')), `workers: ${page.workers().map((w) => w.url())}`);
  assert.ok(await inFirstViewport(page, '#live-card h2'), 'the live card starts in the first viewport');
  assert.ok(await inFirstViewport(page, '#send-transfer'), 'the send button is in the first viewport');

  // Both timelines fill with levels the client reports; every level and state on screen is in the legend.
  await until(page, () => document.querySelectorAll('#timeline-l1 .cell[data-level="included"], #timeline-l1 .cell[data-level="finalized"]').length >= 3
    && document.querySelectorAll('#timeline-l2 .cell[data-level]:not([data-level="unknown"])').length >= 3, null, 60_000, 'L1 and L2 timeline cells');
  assert.equal(await page.getAttribute('#live-endpoints li[data-endpoint="beacon"]', 'data-status'), 'ok');
  const legendGaps = await page.evaluate(() => {
    const legend = new Set([...document.querySelectorAll('#legend .swatch')].map((s) => `${s.dataset.level ?? ''}|${s.dataset.state ?? ''}`));
    return [...document.querySelectorAll('.cells .cell')].map((c) => (c.dataset.state ? `|${c.dataset.state}` : `${c.dataset.level}|`)).filter((k) => !legend.has(k));
  });
  assert.deepEqual([...new Set(legendGaps)], [], 'every cell style is in the legend');
  // Slots before the page loaded are marked as such, not as missed.
  assert.ok(await page.$('#timeline-l1 .cell[data-state="before-load"]'), 'before-load L1 slots are marked');
  await page.screenshot({ path: `${artifacts}/demo-desktop-1-start.png` });

  // A transfer: the card follows it up the ladder.
  await page.click('#send-transfer');
  await until(page, () => document.querySelector('#live-card')?.dataset.kind === 'transfer', null, 20_000, 'the card to show the transfer');
  // The ETA is the client's; the page counts down to it.
  await until(page, () => document.querySelector('#live-card .next .countdown'), null, 40_000, 'an ETA on the card');
  const eta1 = await page.textContent('#live-card .next .countdown');
  await until(page, (t) => {
    const c = document.querySelector('#live-card .next .countdown');
    return c && c.textContent !== t;
  }, eta1, 15_000, `the ETA text to change from "${eta1}"`);
  await until(page, () => document.querySelector('#items li[data-kind="transfer"]')?.dataset.level === 'finalized', null, 180_000, 'the transfer to be finalized');
  assert.equal(await page.getAttribute('#live-card', 'data-level'), 'finalized');
  assert.equal(await page.textContent('#live-card .badge.big'), 'final');
  const levels = (await page.getAttribute('#items li[data-kind="transfer"]', 'data-levels')).split(',');
  assert.ok(levels.some((l) => l === 'sequenced' || l === 'slot-ending'), `the transfer was seen promised before it was on Ethereum: ${levels}`);
  assert.ok(levels.every((l, i) => i === 0 || RANK.indexOf(l) >= RANK.indexOf(levels[i - 1])), `levels only climbed: ${levels}`);
  const rungs = await page.$$eval('#live-card .rung', (rs) => rs.map((r) => [r.dataset.level, r.dataset.rung, r.querySelector('.rung-when').textContent]));
  for (const [level, state, when] of rungs.filter(([l]) => ['included', 'finalized'].includes(l))) {
    assert.ok(['passed', 'current'].includes(state), `rung ${level} reached: ${state}`);
    assert.match(when, /reached \d\d:\d\d:\d\d \(\+\d+\.\d s\)/, `rung ${level} says when`);
  }
  await page.screenshot({ path: `${artifacts}/demo-desktop-2-finalized.png` });

  // A cross-domain action: followed by its rollup leg, then as a whole once its Ethereum leg is known.
  await page.click('#send-action');
  await until(page, (rank) => rank.indexOf(document.querySelector('#items li[data-kind="action"]')?.dataset.maxLevel) >= rank.indexOf('included'),
    RANK, 90_000, 'the action to be on Ethereum');

  // An L1 reorg of depth 2: one story holds every drop it caused.
  await page.click('#faults button[data-fault="reorg"]');
  await until(page, () => document.querySelector('#faults button[data-fault="reorg"]').dataset.applied === '1', null, 10_000, 'the fault request');
  await until(page, () => Number(document.querySelector('#stories li[data-fault="reorg"]')?.dataset.downgrades) > 0, null, 60_000, 'the reorg story to name what went down');
  await until(page, () => document.querySelector('#stories li[data-fault="reorg"]')?.dataset.state === 'over', null, 90_000, 'the reorg story to end');
  assert.equal(await page.locator('#stories li[data-fault="reorg"]').count(), 1, 'one entry for the reorg');
  const outside = await page.$$eval('#stories > li:not([data-fault="reorg"]) [data-reason="L1_REORG"]', (l) => l.length);
  assert.equal(outside, 0, 'no reorg drop outside its story');
  const story = await page.textContent('#stories li[data-fault="reorg"]');
  assert.match(story, /Ethereum replaced its newest blocks/);
  assert.match(story, /replaced by a reorg|another branch replaced it \(a reorg\)/);
  assert.match(story, /over after [\d.]+ s/);
  await page.screenshot({ path: `${artifacts}/demo-desktop-3-reorg.png`, fullPage: true });

  // A second, L1-only client from a user-entered beacon URL: here the devnet's own Beacon API.
  await page.selectOption('#custom-network', 'devnet');
  await page.click('#custom-start');
  await until(page, () => ['synced', 'error'].includes(document.querySelector('#custom').dataset.state), null, 90_000, 'the custom client to sync');
  assert.equal(await page.getAttribute('#custom', 'data-state'), 'synced', await page.textContent('#custom-status'));
  await until(page, () => Number(document.querySelector('#custom-heads').dataset.count) >= 2, null, 30_000, 'verified heads from the custom URL');
  await until(page, () => /^Following: newest verified head: slot \d+/.test(document.querySelector('#custom-status').textContent), null, 10_000, 'the own-node box to say it follows');
  assert.ok(Number(await page.getAttribute('#t-sync', 'data-ms')) > 0);
  await page.close();
  assert.deepEqual(errors, []);
});

test('phone (390 px): the card comes first, nothing overflows, a missed slot is told as a story', { timeout: 300_000 }, async () => {
  const { page, errors } = await openPage({ width: 390, height: 844 });
  await waitSynced(page);
  assert.ok(await inFirstViewport(page, '#live-card h2'), 'the live card starts in the first viewport');
  assert.ok(await inFirstViewport(page, '#send-transfer'), 'the send button is in the first viewport');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await until(page, () => document.querySelectorAll('#timeline-l2 .cell').length >= 3, null, 60_000, 'L2 timeline cells');
  assert.ok(await overflow() <= 0, `no horizontal overflow: ${await overflow()} px`);
  // The newest cells are on screen, not cut off.
  for (const tl of ['#timeline-l1', '#timeline-l2']) {
    const last = await page.locator(`${tl} .cell`).last().boundingBox();
    assert.ok(last.x + last.width <= 390, `${tl}: the newest cell is visible (${last.x + last.width})`);
  }
  await page.click('#send-transfer');
  await until(page, (rank) => rank.indexOf(document.querySelector('#live-card')?.dataset.level) >= rank.indexOf('sequenced'), RANK, 60_000, 'the transfer to be promised');
  await page.screenshot({ path: `${artifacts}/demo-phone-1-card.png` });

  await page.click('#faults button[data-fault="missed_slot"]');
  await until(page, () => document.querySelector('#stories li[data-fault="missed_slot"]'), null, 10_000, 'the missed-slot story');
  await until(page, () => document.querySelector('#timeline-l1 .cell[data-state="missed"]'), null, 30_000, 'an empty slot on the L1 timeline');
  await until(page, () => document.querySelector('#stories li[data-fault="missed_slot"]')?.dataset.state === 'over', null, 90_000, 'the missed-slot story to end');
  assert.equal(await page.locator('#stories li[data-fault="missed_slot"]').count(), 1);
  assert.ok(await overflow() <= 0, `no horizontal overflow with a story: ${await overflow()} px`);
  await page.screenshot({ path: `${artifacts}/demo-phone-2-full.png`, fullPage: true });
  await page.close();
  assert.deepEqual(errors, []);
});
