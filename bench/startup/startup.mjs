// Startup of the client against devnets of different ages: requests made and
// time until the first L2 status (the L2 block that was the devnet's newest
// when the client was created reaches `sequenced` or above), in node and in
// Chromium (the demo page's copy of the package, core in a Web Worker).
//
//   node bench/startup/startup.mjs [--env node|chromium|both] [--heights 100,2000] [--runs 3] [--compare DIR]
//
// `--compare DIR`: also run the package in DIR (a built `pkg` folder with
// `dist` and `wasm`, e.g. main's), interleaved run by run with this one.
//
// Each run starts its own devnet (1 s slots, 4 L2 blocks a slot) with a
// genesis `height / 4` seconds in the past: the devnet produces those slots at
// once, so the L2 chain is ~`height` blocks old when the client starts. The
// client gets the devnet's /devnet/client-config (fresh trusted checkpoint).
// Requests are counted by kind from the client's fetches (node: a counting
// `fetch`; Chromium: the page's network log) from creation until the first
// L2 status. Prints medians per height and the ratio of the two heights.
// Needs target/debug/preconf-devnet (or PRECONF_DEVNET) and `make pkg-build`.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const BIN = process.env.PRECONF_DEVNET ?? join(ROOT, 'target/debug/preconf-devnet');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ENVS = arg('env', 'both') === 'both' ? ['node', 'chromium'] : [arg('env')];
const HEIGHTS = arg('heights', '100,2000').split(',').map(Number);
const RUNS = Number(arg('runs', '3'));
const PER_SLOT = 4;
const PKGS = { new: join(ROOT, 'pkg'), ...(arg('compare') ? { compare: resolve(arg('compare')) } : {}) };
const TIMEOUT_MS = 120_000;

function startDevnet(height, root) {
  const genesis = Math.floor(Date.now() / 1000) - Math.ceil(height / PER_SLOT);
  return new Promise((res, rej) => {
    const p = spawn(BIN, ['--seed', '1', '--port', '0', '--root', root, '--slot-time', '1', '--l2-blocks-per-slot', String(PER_SLOT), '--genesis-time', String(genesis)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => rej(new Error(`devnet did not start: ${out}`)), 60_000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ base: m[1], proc: p });
      }
    });
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (c) => rej(new Error(`devnet exited ${c}: ${out}`)));
  });
}

const getJson = async (url) => (await fetch(url)).json();

/** The devnet's newest L2 block number (from its ground truth), once it has produced `height`. */
async function l2Head(base, height) {
  for (;;) {
    const all = await getJson(`${base}/devnet/truth/l2`);
    const head = Math.max(...all.blocks.map((b) => b.number));
    if (head >= height * 0.9) return head;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The request kind a URL path counts as. */
function kindOf(url) {
  const p = new URL(url).pathname;
  if (p.startsWith('/rollup/blocks')) return 'l2Range';
  if (p.startsWith('/rollup/block/')) return 'l2ByHash';
  if (p.startsWith('/rollup/feed')) return 'feed';
  if (p.startsWith('/rpc/l1')) return 'l1Rpc';
  if (p.startsWith('/eth/')) return 'beacon';
  return 'other';
}

function clientOptions(cfg) {
  return {
    network: cfg.network,
    beaconApiUrl: cfg.beaconApiUrl,
    l1RpcUrl: cfg.l1RpcUrl,
    trustedCheckpoint: cfg.trustedCheckpoint,
    chainId: cfg.chainId,
    rollup: cfg.rollup,
    sequencerFeedUrl: cfg.sequencerFeedUrl,
    l2BlockUrl: cfg.l2BlockUrl,
    ...(cfg.l2BlocksUrl ? { l2BlocksUrl: cfg.l2BlocksUrl } : {}),
  };
}

async function runNode(pkg, cfg, target) {
  const { createPreconfClient } = await import(pathToFileURL(join(pkg, 'dist/node.js')).href);
  const counts = {};
  const fetchFn = (input, init) => {
    const k = kindOf(typeof input === 'string' ? input : input.url);
    counts[k] = (counts[k] ?? 0) + 1;
    return fetch(input, init);
  };
  const t0 = performance.now();
  const client = createPreconfClient({ ...clientOptions(cfg), fetch: fetchFn });
  try {
    for (;;) {
      if (performance.now() - t0 > TIMEOUT_MS) return { ms: null, counts: { ...counts } };
      const s = await client.status({ block: target }).catch(() => null);
      if (s && s.level !== 'unknown') return { ms: performance.now() - t0, counts: { ...counts } };
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await client.close();
  }
}

let browser;
async function runChromium(base, cfg, target) {
  const { chromium } = await import('playwright-core');
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  // A blank page of the devnet's origin (not the demo page, which runs its own client); the package from the devnet's root.
  await page.route(`${base}/bench.html`, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
  await page.goto(`${base}/bench.html`);
  const counts = {};
  page.on('request', (r) => {
    const k = kindOf(r.url());
    counts[k] = (counts[k] ?? 0) + 1;
  });
  const r = await page.evaluate(
    async ({ base, opts, target, timeout }) => {
      const { createPreconfClient } = await import(`${base}/preconf-light/dist/browser.js`);
      const t0 = performance.now();
      const client = createPreconfClient(opts);
      try {
        for (;;) {
          if (performance.now() - t0 > timeout) return { ms: null };
          const s = await client.status({ block: target }).catch(() => null);
          if (s && s.level !== 'unknown') return { ms: performance.now() - t0 };
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await client.close();
      }
    },
    { base, opts: clientOptions(cfg), target, timeout: TIMEOUT_MS },
  );
  const snapshot = { ...counts };
  await page.close();
  return { ms: r.ms, counts: snapshot };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const total = (c) => Object.values(c).reduce((a, b) => a + b, 0);

/** A devnet root serving `pkg` at /preconf-light (for Chromium). */
function rootWith(pkg) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-root-'));
  mkdirSync(join(dir, 'preconf-light'));
  for (const sub of ['dist', 'wasm']) cpSync(join(pkg, sub), join(dir, 'preconf-light', sub), { recursive: true });
  return dir;
}

const roots = Object.fromEntries(Object.entries(PKGS).map(([k, p]) => [k, rootWith(p)]));
const results = {};
for (const env of ENVS) {
  for (const height of HEIGHTS) {
    const runs = Object.fromEntries(Object.keys(PKGS).map((k) => [k, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const [name, pkg] of Object.entries(PKGS)) {
        const devnet = await startDevnet(height, roots[name]);
        try {
          const cfg = await getJson(`${devnet.base}/devnet/client-config`);
          const target = await l2Head(devnet.base, height);
          const r = env === 'node' ? await runNode(pkg, cfg, target) : await runChromium(devnet.base, cfg, target);
          runs[name].push({ ...r, target });
          console.log(`${name} ${env} height ${target}: ${r.ms === null ? 'timeout' : `${r.ms.toFixed(0)} ms`}, ${total(r.counts)} requests ${JSON.stringify(r.counts)}`);
        } finally {
          devnet.proc.kill();
        }
      }
    }
    for (const [name, rs] of Object.entries(runs)) {
      results[`${name} ${env} ${height}`] = { ms: median(rs.map((r) => r.ms)), requests: median(rs.map((r) => total(r.counts))), l2: median(rs.map((r) => (r.counts.l2ByHash ?? 0) + (r.counts.l2Range ?? 0))) };
    }
  }
}
await browser?.close();
console.log('\nmedians (time to first L2 status, requests until then, of which L2 block requests):');
for (const [k, v] of Object.entries(results)) console.log(`  ${k}: ${v.ms === null ? 'timeout' : `${v.ms.toFixed(0)} ms`}, ${v.requests} requests, ${v.l2} L2 block requests`);
for (const name of Object.keys(PKGS)) {
  for (const env of ENVS) {
    const [a, b] = HEIGHTS.map((h) => results[`${name} ${env} ${h}`]);
    if (a?.ms && b?.ms) console.log(`  ${name} ${env}: time ratio ${HEIGHTS[1]}/${HEIGHTS[0]} = ${(b.ms / a.ms).toFixed(2)}x, requests ${b.requests} vs ${a.requests}, L2 block requests ${b.l2} vs ${a.l2}`);
  }
}
