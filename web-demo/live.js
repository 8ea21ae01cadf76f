// The live half of the demo page: the npm package's createPreconfClient
// (core in a Web Worker) against the devnet serving this page. Everything
// coloured here comes from the client's verified state; the devnet's own
// endpoints are only used to submit transactions and inject faults.
import { createPreconfClient, levelRank } from './preconf-light/dist/browser.js';

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
};
const short = (h) => (h ? `${h.slice(0, 10)}…` : '—');
const rank = levelRank;
/** Cells kept on each timeline. */
const WINDOW = 40;
/** Fault request bodies, by button. */
const FAULTS = {
  reorg: { kind: 'reorg', depth: 2 },
  missed_slot: { kind: 'missed_slot', count: 1 },
  equivocate: { kind: 'equivocate' },
  sequencer_stall: { kind: 'sequencer_stall', slots: 3 },
  withhold_updates: { kind: 'withhold_updates' },
  stall_finality: { kind: 'stall_finality' },
  skip_slot_ending: { kind: 'skip_slot_ending' },
  clear: { kind: 'clear' },
};

async function postJson(path, body = {}) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(out.message ?? out.error ?? `HTTP ${r.status}`);
  return out;
}

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

// ---- downgrade log ----------------------------------------------------------

/** Logs a level drop (counted in `data-count`, by subject in `data-l1`, `data-l2`, `data-tx`). */
function logDowngrade(what, from, to, reason, subject = 'other') {
  const list = $('downgrades');
  list.prepend(el('li', { 'data-kind': 'downgrade', 'data-subject': subject, 'data-from': from, 'data-to': to }, `${new Date().toLocaleTimeString()} ${what}: ${from} → ${to} — ${reason}`));
  trim(list);
  list.dataset.count = String(Number(list.dataset.count) + 1);
  list.dataset[subject] = String(Number(list.dataset[subject] ?? 0) + 1);
}

/** Logs an event that is not a level drop (faults injected, equivocation, based mode). */
function logEvent(text) {
  const list = $('downgrades');
  list.prepend(el('li', { 'data-kind': 'event', class: 'event' }, `${new Date().toLocaleTimeString()} ${text}`));
  trim(list);
}

function trim(list) {
  while (list.children.length > 80) list.lastChild.remove();
}

// ---- L1 timeline --------------------------------------------------------------

/** slot → { state, root } of every slot shown; root → slot of every head seen. */
const l1Slots = new Map();
const rootSlot = new Map();
let finalizedSlot = -1;

function onHead(h) {
  const prevMax = Math.max(-1, ...l1Slots.keys());
  const parentSlot = rootSlot.get(h.parentRoot);
  // A head at or below an earlier one, with another root: the earlier ones are gone.
  for (const [slot, s] of l1Slots) {
    if (s.state === 'proposed' && s.root !== h.beaconRoot && (slot >= h.slot || (parentSlot !== undefined && slot > parentSlot))) {
      s.state = 'reorged';
      logDowngrade(`L1 slot ${slot}`, 'included', 'reverted', `reorged out: the verified head ${short(h.beaconRoot)} (slot ${h.slot}) does not descend from it`, 'l1');
    }
  }
  if (parentSlot !== undefined) {
    for (let s = parentSlot + 1; s < h.slot; s++) if (!l1Slots.has(s)) l1Slots.set(s, { state: 'missed' });
  } else if (prevMax >= 0) {
    for (let s = prevMax + 1; s < h.slot; s++) if (!l1Slots.has(s)) l1Slots.set(s, { state: 'unseen' });
  }
  l1Slots.set(h.slot, { state: 'proposed', root: h.beaconRoot, block: h.execution?.blockNumber });
  rootSlot.set(h.beaconRoot, h.slot);
  renderL1();
}

function onFinalized(f) {
  finalizedSlot = f.slot;
  renderL1();
}

function renderL1() {
  const slots = [...l1Slots.keys()].sort((a, b) => a - b).slice(-WINDOW);
  for (const k of [...l1Slots.keys()]) if (k < slots[0]) l1Slots.delete(k);
  const box = $('timeline-l1');
  box.replaceChildren(...slots.map((slot) => {
    const s = l1Slots.get(slot);
    let state = s.state;
    if (state === 'proposed' && slot <= finalizedSlot) state = 'finalized';
    const level = state === 'finalized' ? 'finalized' : state === 'proposed' ? 'included' : state === 'reorged' ? 'reverted' : 'unknown';
    const title = `slot ${slot}: ${state}${s.root ? ` ${s.root}` : ''}${s.block != null ? ` (execution block ${s.block})` : ''}`;
    return el('span', { class: 'cell', 'data-slot': String(slot), 'data-state': state, 'data-level': level, title }, String(slot % 100));
  }));
  box.dataset.reorged = String(slots.filter((s) => l1Slots.get(s).state === 'reorged').length);
}

// ---- timed queries ----------------------------------------------------------------

/** Round-trip times (ms) of the last status() queries (page → worker core → page). */
let statusMs = [];

/** `client.status(target)`, timed. */
async function timedStatus(client, target) {
  const t0 = performance.now();
  try {
    return await client.status(target);
  } finally {
    statusMs.push(performance.now() - t0);
    if (statusMs.length > 200) statusMs = statusMs.slice(-200);
  }
}

function showStatusTimes() {
  if (!statusMs.length) return;
  const sorted = [...statusMs].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)];
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const li = $('t-status');
  li.textContent = `status() query round-trip (page → worker core → page; last ${sorted.length} queries): median ${med.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`;
  li.dataset.medianMs = med.toFixed(2);
}

// ---- L2 timeline --------------------------------------------------------------

/** hash → { number, level, reason } of the L2 blocks shown. */
const l2Blocks = new Map();

function setL2(hash, patch) {
  const b = l2Blocks.get(hash) ?? { number: null, level: 'pending' };
  Object.assign(b, patch);
  l2Blocks.set(hash, b);
}

function renderL2() {
  const known = [...l2Blocks.entries()].filter(([, b]) => b.number != null).sort((a, b) => a[1].number - b[1].number);
  const shown = known.slice(-WINDOW);
  const oldest = shown[0]?.[1].number ?? 0;
  for (const [h, b] of l2Blocks) if (b.number != null && b.number < oldest - 4) l2Blocks.delete(h);
  $('timeline-l2').replaceChildren(...shown.map(([hash, b]) => el('span', {
    class: 'cell', 'data-hash': hash, 'data-number': String(b.number), 'data-level': b.level,
    title: `L2 block ${b.number} ${hash}: ${b.level}${b.reason ? ` (${b.reason})` : ''}`,
  }, String(b.number % 1000))));
}

/**
 * Asks by number for the heights the events have not named (blocks that
 * never changed level after arriving, and the next ones past the tip).
 */
async function discoverL2(client) {
  const numbers = [...l2Blocks.values()].map((b) => b.number).filter((n) => n != null);
  const top = numbers.length ? Math.max(...numbers) : 0;
  // A height whose only shown block was reverted may hold its replacement.
  const have = new Set([...l2Blocks.values()].filter((b) => b.number != null && b.level !== 'reverted').map((b) => b.number));
  const ask = [];
  for (let n = Math.max(1, top - WINDOW + 1); n <= top + 2; n++) if (!have.has(n)) ask.push(n);
  for (const n of ask) {
    try {
      const s = await timedStatus(client, { block: n });
      if (s.level !== 'unknown' && s.l2?.blockHash) setL2(s.l2.blockHash, { number: n, level: s.level });
    } catch { /* not held yet */ }
  }
}

async function refreshL2(client, hashes) {
  for (const hash of hashes) {
    try {
      const s = await timedStatus(client, { block: hash });
      if (s.level === 'unknown') continue;
      setL2(hash, { number: s.l2?.blockNumber ?? l2Blocks.get(hash)?.number ?? null, level: s.level });
    } catch { /* keep the last verified level */ }
  }
  renderL2();
}

// ---- tracked transactions -------------------------------------------------------

function trackRow(kind, hash) {
  const tr = el('tr', { 'data-kind': kind, 'data-hash': hash, 'data-level': 'unknown', 'data-max-level': 'unknown', 'data-levels': '' });
  for (const cls of ['what', 'hash', 'level', 'risk', 'eta', 'reason', 'reached']) tr.appendChild(el('td', { class: cls }));
  tr.querySelector('.what').textContent = kind;
  tr.querySelector('.hash').textContent = short(hash);
  tr.querySelector('.hash').title = hash;
  $('tracked').querySelector('tbody').prepend(tr);
  return tr;
}

function showStatus(tr, s, sentAt, reached) {
  const cell = tr.querySelector('.level');
  cell.textContent = s.level;
  cell.dataset.level = s.level;
  tr.dataset.level = s.level;
  if (rank(s.level) > rank(tr.dataset.maxLevel)) tr.dataset.maxLevel = s.level;
  const levels = tr.dataset.levels ? tr.dataset.levels.split(',') : [];
  if (levels.at(-1) !== s.level) levels.push(s.level);
  tr.dataset.levels = levels.join(',');
  tr.querySelector('.risk').textContent = s.mayRevertIf.length ? s.mayRevertIf.join(', ') : '—';
  const eta = tr.querySelector('.eta');
  eta.textContent = s.eta ? `${s.eta.level} at ${new Date(s.eta.at * 1000).toLocaleTimeString()} (in ~${Math.max(0, s.eta.at - Date.now() / 1000).toFixed(0)} s)` : '—';
  eta.dataset.etaLevel = s.eta?.level ?? '';
  tr.querySelector('.reason').textContent = `${s.reasonCode}: ${s.reason}`;
  if (!reached.has(s.level) && s.level !== 'unknown') reached.set(s.level, performance.now() - sentAt);
  tr.querySelector('.reached').textContent = [...reached].map(([l, ms]) => `${l} ${ms.toFixed(0)}`).join(' · ');
}

function watchTx(client, kind, target, tr, sentAt) {
  const reached = new Map();
  let last;
  return client.watch(target, (s) => {
    if (last && rank(s.level) < rank(last)) logDowngrade(`${kind} ${short(tr.dataset.hash)}`, last, s.level, `${s.reasonCode}: ${s.reason}`, 'tx');
    last = s.level;
    showStatus(tr, s, sentAt, reached);
  });
}

async function sendTransfer(client) {
  const sentAt = performance.now();
  const { txHash } = await postJson('/devnet/demo/transfer');
  const tr = trackRow('transfer', txHash);
  watchTx(client, 'transfer', { tx: txHash }, tr, sentAt);
}

async function sendAction(client) {
  const sentAt = performance.now();
  const { l2TxHash } = await postJson('/devnet/demo/action');
  const tr = trackRow('action', l2TxHash);
  let unwatch = watchTx(client, 'action (L2 leg)', { tx: l2TxHash }, tr, sentAt);
  // Once the devnet names the L1 leg (`l1TxHash`, where supported), watch the
  // whole action: its level is the lowest of its legs.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    let info;
    try { info = await (await fetch(`/devnet/action/${l2TxHash}`)).json(); } catch { continue; }
    tr.dataset.devnetStatus = info.status ?? '';
    if (typeof info.l1TxHash === 'string') {
      unwatch();
      tr.dataset.l1TxHash = info.l1TxHash;
      tr.querySelector('.what').textContent = 'action (both legs)';
      unwatch = watchTx(client, 'action', { action: { l1Txs: [info.l1TxHash], l2Txs: [l2TxHash] } }, tr, sentAt);
      return;
    }
  }
}

// ---- main ------------------------------------------------------------------------

async function live() {
  const cfg = await (await fetch('/devnet/client-config')).json();
  window.__devnetConfig = cfg;
  const t0 = performance.now();
  const client = clientFor(cfg);
  window.__preconfClient = client;
  const section = $('live');
  section.dataset.state = 'syncing';

  client.on('syncProgress', (p) => {
    const sync = $('live-sync');
    sync.dataset.phase = p.phase;
    sync.textContent = p.phase === 'synced'
      ? 'light client synced; following the devnet'
      : `syncing: ${p.phase}${p.period != null ? `, sync-committee period ${p.period}${p.targetPeriod != null ? ` of ${p.targetPeriod}` : ''}` : ''}${p.finalizedSlot != null ? `, finalized slot ${p.finalizedSlot}` : ''}`;
  });
  const endpoints = new Map();
  const showEndpoint = (e) => {
    let li = endpoints.get(e.endpoint);
    if (!li) {
      li = el('li', { 'data-endpoint': e.endpoint });
      endpoints.set(e.endpoint, li);
      $('live-endpoints').appendChild(li);
    }
    li.dataset.status = e.status;
    li.textContent = `${e.endpoint}: ${e.status}`;
    li.title = `${e.url}${e.reason ? ` — ${e.code}: ${e.reason}` : ''}`;
  };
  // Events report changes; the list starts from the client's current view.
  client.on('endpointStatus', showEndpoint);
  const showEndpoints = () => { for (const e of client.endpoints()) showEndpoint(e); };
  const heads = $('live-heads');
  const showHeads = () => {
    const h = client.optimistic;
    const f = client.finalized;
    if (!h || !f) return;
    heads.dataset.headSlot = String(h.slot);
    heads.dataset.finalizedSlot = String(f.slot);
    heads.textContent = `verified head: slot ${h.slot}, execution block ${h.execution?.blockNumber ?? '—'} · verified finalized: slot ${f.slot}, execution block ${f.execution?.blockNumber ?? '—'}`;
  };
  client.on('head', (h) => { onHead(h); showHeads(); });
  client.on('finalized', (f) => { onFinalized(f); showHeads(); });
  client.on('downgrade', (d) => {
    // Watched transactions log their own drops; this catches any other target.
    if (!('tx' in d.target)) logDowngrade(JSON.stringify(d.target), d.from, d.to, `${d.reasonCode}: ${d.reason}`, 'other');
  });
  const pending = new Set();
  client.on('rollup', (e) => {
    if (e.type === 'levelChanged' && e.subject.kind === 'block') {
      setL2(e.subject.hash, { level: e.to, reason: e.reason ?? undefined });
      pending.add(e.subject.hash);
      if (e.downgrade) logDowngrade(`L2 block ${short(e.subject.hash)}`, e.from, e.to, e.reason ?? 'engine downgrade', 'l2');
    } else if (e.type === 'equivocation') {
      logEvent(`sequencer equivocation: ${e.blocks.map(short).join(' vs ')}`);
    } else if (e.type === 'basedMode') {
      logEvent(`rollup based mode ${e.active ? 'entered' : 'left'}`);
    }
  });
  client.on('error', (e) => console.warn('client error', e.code, e.message));

  await client.ready;
  const syncMs = performance.now() - t0;
  $('t-sync').textContent = `sync (fetch + verify bootstrap and updates up to the current period, in the worker): ${syncMs.toFixed(0)} ms`;
  $('t-sync').dataset.ms = syncMs.toFixed(0);
  section.dataset.state = 'synced';
  $('live-sync').className = 'status ok';
  showHeads();
  showEndpoints();
  setInterval(showEndpoints, 2000);

  // L2 timeline: newly changed blocks every 500 ms, a refresh of the shown ones every 3 s.
  let tick = 0;
  let busy = false;
  setInterval(async () => {
    if (busy) return;
    busy = true;
    tick += 1;
    try {
      const hashes = [...pending];
      pending.clear();
      if (tick % 6 === 0) for (const h of l2Blocks.keys()) if (!hashes.includes(h)) hashes.push(h);
      if (tick % 2 === 0) await discoverL2(client);
      await refreshL2(client, hashes);
      showStatusTimes();
    } finally {
      busy = false;
    }
  }, 500);

  for (const [id, fn] of [['send-transfer', sendTransfer], ['send-action', sendAction]]) {
    const b = $(id);
    b.disabled = false;
    b.addEventListener('click', () => fn(client).catch((e) => logEvent(`${id} failed: ${e.message}`)));
  }
  for (const b of document.querySelectorAll('#faults button')) {
    b.addEventListener('click', async () => {
      const body = FAULTS[b.dataset.fault];
      try {
        const out = await postJson('/devnet/admin/fault', body);
        b.dataset.applied = String(Number(b.dataset.applied ?? 0) + 1);
        logEvent(`fault injected: ${JSON.stringify(body)} → ${JSON.stringify(out)}`);
      } catch (e) {
        logEvent(`fault ${body.kind} failed: ${e.message}`);
      }
    });
  }
  section.dataset.ready = 'true';
}

// ---- your own beacon node --------------------------------------------------------

function setupCustom() {
  let client;
  const form = $('custom-form');
  $('custom-network').addEventListener('change', () => {
    const cfg = window.__devnetConfig;
    if ($('custom-network').value === 'devnet' && cfg) {
      $('custom-url').value = cfg.endpoints.beaconApi;
      $('custom-checkpoint').value = cfg.trustedCheckpoint;
      $('custom-rpc').value = cfg.endpoints.l1Rpc;
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const section = $('custom');
    const status = $('custom-status');
    const list = $('custom-heads');
    await client?.close();
    list.replaceChildren();
    list.dataset.count = '0';
    const url = $('custom-url').value.trim().replace(/\/$/, '');
    const net = $('custom-network').value;
    const checkpoint = $('custom-checkpoint').value.trim();
    const cfg = window.__devnetConfig;
    const network = net === 'devnet' ? cfg?.network : net;
    try {
      if (!url || !/^0x[0-9a-fA-F]{64}$/.test(checkpoint)) throw new Error('a Beacon API URL and a 32-byte 0x checkpoint root are needed');
      if (!network) throw new Error('the devnet config is not loaded');
      section.dataset.state = 'syncing';
      status.className = 'status pending';
      status.textContent = `syncing from ${url}…`;
      const t0 = performance.now();
      client = createPreconfClient({
        network,
        beaconApiUrl: url,
        // Only `{ l1Block }` targets use the execution RPC; headers do not.
        l1RpcUrl: $('custom-rpc').value.trim() || url,
        trustedCheckpoint: checkpoint,
        ...(net === 'devnet' ? { chainId: cfg.l1ChainId, pollIntervalMs: 2000, tickIntervalMs: 2000 } : {}),
        requestTimeoutMs: 10000,
      });
      client.on('syncProgress', (p) => { status.textContent = `sync: ${p.phase}${p.period != null ? `, period ${p.period}` : ''}`; });
      client.on('head', (h) => {
        list.prepend(el('li', { 'data-slot': String(h.slot) }, `slot ${h.slot} · beacon root ${short(h.beaconRoot)} · execution block ${h.execution?.blockNumber ?? '—'} (${short(h.execution?.blockHash)})`));
        while (list.children.length > 50) list.lastChild.remove();
        list.dataset.count = String(Number(list.dataset.count) + 1);
        list.dataset.headSlot = String(h.slot);
      });
      client.on('endpointStatus', (e) => { if (e.status !== 'ok') status.textContent = `${e.endpoint} ${e.status}: ${e.code ?? ''} ${e.reason ?? ''}`; });
      await client.ready;
      section.dataset.state = 'synced';
      status.className = 'status ok';
      status.textContent = `synced in ${(performance.now() - t0).toFixed(0)} ms; following verified heads.`;
    } catch (e) {
      section.dataset.state = 'error';
      status.className = 'status bad';
      status.textContent = `Error: ${e.code ?? ''} ${e.message}`;
    }
  });
}

setupCustom();
live().catch((e) => {
  $('live').dataset.state = 'error';
  $('live-sync').className = 'status bad';
  $('live-sync').textContent = `Error: ${e.code ?? ''} ${e.message}`;
});
