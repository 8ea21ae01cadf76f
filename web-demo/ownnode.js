// "Your own beacon node": a second, Ethereum-only client on a URL the
// visitor enters. Its box says honestly where it stands: syncing (which
// step), following (the newest verified head and how long ago it came),
// quiet (no new verified head for a while), a source that failed checks, or
// an error.
import { createPreconfClient } from './preconf-light/dist/browser.js';
import { $, el } from './dom.js';
import { clock, short } from './words.js';

const PHASES = {
  resume: 'loading the saved state',
  bootstrap: 'checking the checkpoint',
  updates: 'catching up on sync-committee updates',
  finality: 'checking the latest finality update',
};

/** A head older than this many slots makes the box say the node is quiet. */
const QUIET_SLOTS = 3;

export function setupOwnNode() {
  let client = null;
  let timer = null;
  let run = 0;
  const section = $('custom');
  const status = $('custom-status');
  const list = $('custom-heads');
  const state = { phase: 'idle', synced: false, lastHeadAt: 0, headSlot: null, slotSec: 12, endpoint: null, error: null, syncedMs: null, period: null };

  const set = (cls, text) => {
    status.className = `status ${cls}`;
    status.textContent = text;
  };
  const show = () => {
    section.dataset.state = state.error ? 'error' : state.synced ? 'synced' : state.phase === 'idle' ? 'idle' : 'syncing';
    if (state.error) return set('bad', `Error: ${state.error}`);
    if (state.phase === 'idle') return set('idle', 'Not started.');
    if (state.phase === 'stopped') return set('idle', 'Stopped.');
    const bad = state.endpoint && state.endpoint.status !== 'ok'
      ? ` The node ${state.endpoint.status === 'faulty' ? 'sent data that failed verification' : 'is not answering'}${state.endpoint.code ? ` (${state.endpoint.code})` : ''}; the client keeps its last verified state.`
      : '';
    if (!state.synced) return set(bad ? 'bad' : 'pending', `Syncing: ${PHASES[state.phase] ?? state.phase}${state.period != null ? ` (period ${state.period})` : ''}…${bad}`);
    const age = state.lastHeadAt ? (Date.now() - state.lastHeadAt) / 1000 : null;
    const ago = age < 1 ? 'just now' : `${Math.round(age)} s ago`;
    const head = state.headSlot != null ? `newest verified head: slot ${state.headSlot}, ${ago}` : 'no new head verified yet';
    if (age != null && age > QUIET_SLOTS * state.slotSec) {
      return set('pending', `Synced in ${state.syncedMs} ms, but quiet: ${head}. The node sends no new signed updates.${bad}`);
    }
    return set(bad ? 'bad' : 'ok', `Following: ${head} (synced in ${state.syncedMs} ms).${bad}`);
  };

  $('custom-network').addEventListener('change', () => {
    const cfg = window.__devnetConfig;
    if ($('custom-network').value === 'devnet' && cfg) {
      $('custom-url').value = cfg.endpoints.beaconApi;
      $('custom-checkpoint').value = cfg.trustedCheckpoint;
      $('custom-rpc').value = cfg.endpoints.l1Rpc;
    }
  });

  const stop = async (phase = 'stopped') => {
    run += 1;
    clearInterval(timer);
    const c = client;
    client = null;
    $('custom-stop').disabled = true;
    await c?.close().catch(() => {});
    Object.assign(state, { phase, synced: false, error: null, endpoint: null });
    show();
  };
  $('custom-stop').addEventListener('click', () => stop());

  $('custom-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await stop('bootstrap');
    const mine = run;
    list.replaceChildren();
    list.dataset.count = '0';
    const url = $('custom-url').value.trim().replace(/\/$/, '');
    const net = $('custom-network').value;
    const checkpoint = $('custom-checkpoint').value.trim();
    const cfg = window.__devnetConfig;
    const network = net === 'devnet' ? cfg?.network : net;
    Object.assign(state, { lastHeadAt: 0, headSlot: null, period: null, slotSec: net === 'devnet' ? (cfg?.slotMs ?? 12000) / 1000 : 12 });
    try {
      if (!url || !/^0x[0-9a-fA-F]{64}$/.test(checkpoint)) throw new Error('a Beacon API URL and a 32-byte 0x checkpoint root are needed');
      if (!network) throw new Error('the devnet config is not loaded');
      show();
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
      $('custom-stop').disabled = false;
      client.on('syncProgress', (p) => {
        if (mine !== run) return;
        state.phase = p.phase;
        if (p.period != null) state.period = p.period;
        show();
      });
      client.on('head', (h) => {
        if (mine !== run) return;
        state.lastHeadAt = Date.now();
        state.headSlot = h.slot;
        list.prepend(el('li', { 'data-slot': h.slot }, `${clock(Date.now())} slot ${h.slot} · beacon root ${short(h.beaconRoot)} · execution block ${h.execution?.blockNumber ?? '—'}`));
        while (list.children.length > 20) list.lastChild.remove();
        list.dataset.count = String(Number(list.dataset.count) + 1);
        list.dataset.headSlot = String(h.slot);
        show();
      });
      client.on('endpointStatus', (e) => {
        if (mine !== run || e.endpoint !== 'beacon') return;
        state.endpoint = e;
        show();
      });
      await client.ready;
      if (mine !== run) return;
      state.synced = true;
      state.syncedMs = (performance.now() - t0).toFixed(0);
      show();
      timer = setInterval(show, 1000);
    } catch (e) {
      if (mine !== run) return;
      state.error = `${e.code ?? ''} ${e.message}`.trim();
      show();
    }
  });
}
