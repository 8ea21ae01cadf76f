// The live part of the demo page: the npm package's createPreconfClient
// (core in a Web Worker) against the devnet serving this page. Everything
// coloured or worded here is what the client reports from verified data; the
// devnet's own endpoints are used only to send transactions and inject
// faults (and to learn the hash of an action's Ethereum leg, which the client
// then verifies).
import { createPreconfClient } from './preconf-light/dist/browser.js';
import { $, el, postJson, startCountdowns } from './dom.js';
import { Items } from './items.js';
import { L1Track } from './l1track.js';
import { L2Track } from './l2track.js';
import { setupOwnNode } from './ownnode.js';
import { Stories } from './stories.js';
import { Timeline } from './timeline.js';
import { FAULTS, clock, levelName, numbers, secs, short } from './words.js';

/** Same options as pkg/test/client-l2.test.mjs `clientFor(cfg)`. */
function clientFor(cfg) {
  return createPreconfClient({
    network: cfg.network,
    beaconApiUrl: cfg.endpoints.beaconApi,
    l1RpcUrl: cfg.endpoints.l1Rpc,
    trustedCheckpoint: cfg.trustedCheckpoint,
    chainId: cfg.l1ChainId,
    rollup: cfg.rollup,
    sequencerFeedUrl: cfg.endpoints.sequencerFeed,
    l2BlockUrl: `${cfg.endpoints.beaconApi}/rollup/block`,
    pollIntervalMs: Math.max(1000, cfg.slotMs ?? 12000),
    tickIntervalMs: Math.max(1000, cfg.slotMs ?? 12000),
    rollupTickIntervalMs: 250,
    requestTimeoutMs: 5000,
    backoff: { baseMs: 200, maxMs: 4000 },
  });
}

const SYNC_PHASES = {
  resume: 'loading the saved state',
  bootstrap: 'checking the trusted checkpoint',
  updates: 'catching up on sync-committee updates',
  finality: 'checking the latest finality update',
};

const ENDPOINT_NAMES = { beacon: 'Ethereum beacon node', l1Rpc: 'Ethereum RPC', l2Rpc: 'rollup RPC', sequencerFeed: 'sequencer feed' };
const HEALTH = { ok: 'answering, checks pass', stale: 'not answering', faulty: 'sent data that failed checks' };

// ---- timed status queries ------------------------------------------------------

/** Round-trip times (ms) of the page's status() queries (page → worker core → page). */
let statusMs = [];

function timed(client) {
  return async (target) => {
    const t0 = performance.now();
    try {
      return await client.status(target);
    } finally {
      statusMs.push(performance.now() - t0);
      if (statusMs.length > 400) statusMs = statusMs.slice(-400);
    }
  };
}

function showStatusTimes() {
  if (!statusMs.length) return;
  const sorted = [...statusMs].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)];
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const li = $('t-status');
  li.textContent = `status() query round-trip (page → worker core → page), last ${sorted.length} queries: median ${med.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`;
  li.dataset.medianMs = med.toFixed(2);
}

// ---- sync line, endpoints, heads --------------------------------------------------

/** The light client's sync line: while syncing, its step; once synced, following (and any catch-up it does). */
function showSync(p, synced) {
  const sync = $('live-sync');
  sync.dataset.phase = p.phase;
  const period = p.period != null ? ` (period ${p.period}${p.targetPeriod != null ? ` of ${p.targetPeriod}` : ''})` : '';
  if (!synced) {
    if (p.phase !== 'synced') sync.textContent = `Light client: ${SYNC_PHASES[p.phase] ?? p.phase}${period}…`;
    return;
  }
  // Once synced, the client reports its housekeeping ('updates' on each tick, never 'synced'
  // again): that is following, not syncing again.
  sync.textContent = `Light client synced in ${(synced / 1000).toFixed(1)} s; following the devnet.`;
  if (p.targetPeriod != null) sync.title = `sync-committee period ${p.period} of ${p.targetPeriod}`;
}

function endpointsView(client) {
  const items = new Map();
  const show = (e) => {
    let li = items.get(e.endpoint);
    if (!li) {
      li = el('li', { 'data-endpoint': e.endpoint });
      items.set(e.endpoint, li);
      $('live-endpoints').appendChild(li);
    }
    li.dataset.status = e.status;
    li.textContent = `${ENDPOINT_NAMES[e.endpoint] ?? e.endpoint}: ${HEALTH[e.status] ?? e.status}`;
    li.title = `${e.url}${e.reason ? ` — ${e.code}: ${e.reason}` : ''}`;
  };
  client.on('endpointStatus', show);
  return () => { for (const e of client.endpoints()) show(e); };
}

function showHeads(client) {
  const h = client.optimistic;
  const f = client.finalized;
  if (!h || !f) return;
  const heads = $('live-heads');
  heads.dataset.headSlot = String(h.slot);
  heads.dataset.finalizedSlot = String(f.slot);
  heads.textContent = `Newest verified Ethereum block: slot ${h.slot} (block ${h.execution?.blockNumber ?? '—'}) · final up to slot ${f.slot} (block ${f.execution?.blockNumber ?? '—'}).`;
}

// ---- faults ---------------------------------------------------------------------

function setupFaults(cfg, stories) {
  const box = $('faults');
  for (const [kind, f] of Object.entries(FAULTS)) {
    const b = el('button', { type: 'button', 'data-fault': kind, ...(f.toggle ? { 'aria-pressed': 'false' } : {}) }, f.label);
    b.addEventListener('click', async () => {
      const on = f.toggle ? b.getAttribute('aria-pressed') !== 'true' : true;
      b.disabled = true;
      try {
        const out = await postJson('/devnet/admin/fault', f.body(on, cfg));
        b.dataset.applied = String(Number(b.dataset.applied ?? 0) + 1);
        if (f.toggle) {
          b.setAttribute('aria-pressed', String(on));
          b.textContent = on ? `stop: ${f.label}` : f.label;
        }
        if (on) stories.startFault(kind, out);
        else stories.endFault(kind);
      } catch (e) {
        stories.note(`Could not inject "${f.label}": ${e.message}`);
      } finally {
        b.disabled = false;
      }
    });
    box.appendChild(b);
  }
  const clear = el('button', { type: 'button', 'data-fault': 'clear' }, 'turn every fault off');
  clear.addEventListener('click', async () => {
    try {
      await postJson('/devnet/admin/fault', { kind: 'clear' });
      for (const [kind, f] of Object.entries(FAULTS)) {
        const b = box.querySelector(`[data-fault="${kind}"]`);
        if (f.toggle && b.getAttribute('aria-pressed') === 'true') {
          b.setAttribute('aria-pressed', 'false');
          b.textContent = f.label;
          stories.endFault(kind);
        }
      }
    } catch (e) {
      stories.note(`Could not clear the faults: ${e.message}`);
    }
  });
  box.appendChild(clear);
}

/** ` at height #N (0xab… now "promised", 0xcd… now "undone")`, from the client's statuses of the two blocks. */
async function describeTwins(query, hashes) {
  const statuses = await Promise.all(hashes.map((block) => query({ block }).catch(() => null)));
  const n = statuses.find((s) => s?.l2?.blockNumber != null)?.l2.blockNumber;
  const each = hashes.map((h, i) => `${short(h)} ${statuses[i] ? `now “${levelName(statuses[i].level)}”` : ''}`.trim());
  return `${n != null ? ` at height #${n}` : ' at one height'} (${each.join(', ')})`;
}

// ---- main ------------------------------------------------------------------------

async function live() {
  const cfg = await (await fetch('/devnet/client-config')).json();
  window.__devnetConfig = cfg;
  const slotSec = (cfg.slotMs ?? 12000) / 1000;
  const t0 = performance.now();
  const client = clientFor(cfg);
  window.__preconfClient = client;
  const query = timed(client);
  const section = $('live');
  section.dataset.state = 'syncing';
  startCountdowns();

  const stories = new Stories($('stories'), cfg);
  let lastHeadAt = Date.now();
  let lastFinalizedAt = Date.now();
  let dirty = true;
  const changed = () => { dirty = true; };
  const hooks = {
    changed,
    drop: (d) => stories.drop(d),
    level: (k, l) => stories.level(k, l),
    query,
    lastHeadAt: () => lastHeadAt,
    lastFinalizedAt: () => lastFinalizedAt,
    slotSec,
    empty: (slots, parent, slot) => stories.note(`${numbers(slots, 'slot ').replace(/^s/, 'S')} ${slots.length === 1 ? 'has' : 'have'} no Ethereum block: the verified block of slot ${slot} builds directly on slot ${parent}.`, 'missed slot'),
  };
  const l1 = new L1Track(client, hooks);
  const l2 = new L2Track(client, hooks);
  const l1View = new Timeline($('track-l1'), { unit: (n) => `${n} ${n === 1 ? 'slot' : 'slots'}`, label: (n) => `slot ${n}` });
  const l2View = new Timeline($('track-l2'), { unit: (n) => `${n} ${n === 1 ? 'block' : 'blocks'}`, label: (n) => `#${n}` });

  let syncedMs = 0;
  client.on('syncProgress', (p) => showSync(p, syncedMs));
  const showEndpoints = endpointsView(client);
  client.on('head', (h) => {
    const gap = (Date.now() - lastHeadAt) / 1000;
    if (gap > 2.5 * slotSec && section.dataset.state === 'synced') {
      stories.note(`No new Ethereum block could be verified for ${secs(gap)} (${clock(lastHeadAt)} to ${clock(Date.now())}); levels that need Ethereum waited meanwhile.`, null, stories.openAt(lastHeadAt));
    }
    lastHeadAt = Date.now();
    l1.addHead(h);
    showHeads(client);
  });
  client.on('finalized', () => { lastFinalizedAt = Date.now(); showHeads(client); });
  client.on('rollup', (e) => {
    l2.onEvent(e);
    if (e.type === 'equivocation') {
      if (!stories.current()) stories.add({ kind: 'unprompted', title: 'The sequencer double-signed', what: 'No fault was injected just before this.', term: 'equivocation', activeUntil: Date.now() });
      const story = stories.current();
      describeTwins(query, e.blocks).then((twins) => stories.note(`The page caught the sequencer signing two different blocks${twins}: both signatures check out, so this is proof of cheating. Only one of the two can stay.`, 'equivocation', story));
    } else if (e.type === 'basedMode') {
      stories.note(e.active
        ? 'The rollup switched to based mode: blocks the sequencer had promised but Ethereum had not carried are dropped, and the next block is built on Ethereum directly.'
        : 'The rollup left based mode: a block built on Ethereum took over, and the sequencer continues on it.', `based mode ${e.active ? 'entered' : 'left'}`);
    } else if (e.type === 'commitmentRejected') {
      stories.note(`An Ethereum block carried a rollup commitment the client refused: ${e.reason}.`, 'commitment rejected');
    }
  });
  client.on('feedRejected', (e) => stories.note(`The sequencer feed sent a block that failed verification and was ignored (${e.code}).`, 'feed message rejected'));
  client.on('error', (e) => console.warn('client error', e.code, e.message));

  await client.ready;
  const syncMs = performance.now() - t0;
  $('t-sync').textContent = `light-client sync (fetch and verify the checkpoint and updates to the current period, in the worker): ${syncMs.toFixed(0)} ms`;
  $('t-sync').dataset.ms = syncMs.toFixed(0);
  section.dataset.state = 'synced';
  $('live-sync').className = 'status ok';
  syncedMs = syncMs;
  showSync({ phase: 'synced' }, syncedMs);
  lastHeadAt = Date.now();
  l1.addHead(client.optimistic, { start: true });
  showHeads(client);
  showEndpoints();
  setInterval(showEndpoints, 2000);

  const items = new Items(client, hooks);
  window.__items = items;
  for (const [id, fn] of [['send-transfer', () => items.sendTransfer()], ['send-action', () => items.sendAction()]]) {
    const b = $(id);
    b.disabled = false;
    b.addEventListener('click', () => fn().catch((e) => stories.note(`Sending failed: ${e.message}`)));
  }
  setupFaults(cfg, stories);

  // Timelines: discovery every 500 ms, a refresh of the visible blocks every 3 s, redraw when changed.
  let tick = 0;
  let busy = false;
  setInterval(async () => {
    if (busy) return;
    busy = true;
    tick += 1;
    try {
      await l2.tick();
      if (tick % 6 === 0) {
        const first = Number($('timeline-l2').dataset.first);
        if (first) await l2.refresh(Array.from({ length: l2.top - first + 1 }, (_, i) => first + i));
      }
      if (dirty) {
        dirty = false;
        l1View.render(l1.entries());
        l2View.render(l2.entries());
      }
      if (tick % 2 === 0) {
        // The rollup's liveness, as the client reports it with any L2 status.
        if (stories.current() && l2.top !== null) {
          const s = await query({ block: l2.top }).catch(() => null);
          if (s?.l2?.liveness) stories.liveness(s.l2.liveness);
        }
        stories.tick();
        showStatusTimes();
        if (items.shown) items.renderCard(items.shown);
      }
    } finally {
      busy = false;
    }
  }, 500);
  section.dataset.ready = 'true';
}

setupOwnNode();
live().catch((e) => {
  $('live').dataset.state = 'error';
  $('live-sync').className = 'status bad';
  $('live-sync').textContent = `Error: ${e.code ?? ''} ${e.message}`;
});
