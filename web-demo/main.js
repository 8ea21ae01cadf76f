// The demo page: the npm package's browser build, syncing real mainnet
// light-client data with the full sync protocol, in the page.
import { init, coreVersion, BeaconLightClient } from './preconf-light/dist/browser.js';

const $ = (id) => document.getElementById(id);
const GENESIS = 1606824023;
const SLOTS_PER_PERIOD = 8192;
const CAPELLA_CHECKPOINT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
// The fixtures are historical: the client is told the time of each update's signature slot.
const at = (slot) => GENESIS + Number(slot) * 12 + 1;
const period = (slot) => Math.floor(Number(slot) / SLOTS_PER_PERIOD);

function addRow(cells, ok) {
  const tr = document.createElement('tr');
  cells.forEach((c, i) => {
    const td = document.createElement('td');
    td.textContent = c;
    if (i === 4) td.className = ok ? 'verified' : 'rejected';
    tr.appendChild(td);
  });
  $('l1-steps').querySelector('tbody').appendChild(tr);
}

function step(label, slot, run) {
  const t0 = performance.now();
  let outcome;
  let error;
  try { outcome = run(); } catch (e) { error = e; }
  const ms = performance.now() - t0;
  const participants = outcome?.participants != null ? `${outcome.participants}/512` : '—';
  const result = error ? `rejected: ${error.code}` : 'verified';
  addRow([label, period(slot), slot, participants, result, `${ms.toFixed(1)} ms`], !error);
  return { ms, ok: !error };
}

async function getJson(path) {
  return (await fetch(`fixtures/helios/capella-lc/${path}`)).json();
}

async function runL1() {
  const [bootstrap, updates, finality, optimistic] = await Promise.all(
    ['bootstrap.json', 'updates.json', 'finality.json', 'optimistic.json'].map(getJson),
  );
  let client;
  let total = 0;
  let verified = 0;
  const count = (r) => { total += r.ms; verified += r.ok ? 1 : 0; };
  count(step('bootstrap', bootstrap.data.header.beacon.slot, () => {
    client = BeaconLightClient.fromBootstrap('mainnet', CAPELLA_CHECKPOINT, bootstrap);
  }));
  for (const [i, u] of updates.entries()) {
    count(step(`update ${i + 1}`, u.data.attested_header.beacon.slot, () => client.processUpdate(u, at(u.data.signature_slot))));
  }
  count(step('finality update', finality.data.attested_header.beacon.slot, () => client.processFinalityUpdate(finality, at(finality.data.signature_slot))));
  // A forged update must be rejected: the real optimistic update with one
  // signature byte changed, submitted before the genuine one.
  const forged = structuredClone(optimistic);
  const sig = forged.data.sync_aggregate.sync_committee_signature;
  forged.data.sync_aggregate.sync_committee_signature = `${sig.slice(0, 20)}${sig[20] === '0' ? '1' : '0'}${sig.slice(21)}`;
  const forgedStep = step('forged update (must fail)', forged.data.attested_header.beacon.slot, () => client.processOptimisticUpdate(forged, at(forged.data.signature_slot)));
  const rejected = !forgedStep.ok;
  count(step('optimistic update', optimistic.data.attested_header.beacon.slot, () => client.processOptimisticUpdate(optimistic, at(optimistic.data.signature_slot))));

  const fin = client.finalized;
  const head = client.optimistic;
  $('l1-head').textContent = `Verified mainnet head: slot ${head.slot}, execution block ${head.execution.blockNumber} (${head.execution.blockHash.slice(0, 18)}…) · final: slot ${fin.slot}, block ${fin.execution.blockNumber}.`;
  $('l1-summary').textContent = `${verified} steps verified in ${total.toFixed(0)} ms in this browser; the forged update was ${rejected ? 'refused, as it must be' : 'ACCEPTED (a bug)'}.`;
  $('l1-summary').dataset.verified = String(verified);
  $('l1-summary').dataset.forgedRejected = String(rejected);
  $('l1-head').dataset.headBlock = String(head.execution.blockNumber);
  client.free();
}

async function main() {
  try {
    await init();
    $('core-version').textContent = `core ${coreVersion()}`;
    $('core-status').textContent = 'WebAssembly core loaded.';
    $('core-status').hidden = true;
    $('core-status').className = 'status ok';
    await runL1();
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('core-status').hidden = false;
    $('core-status').textContent = `Error: ${e.code ?? ''} ${e.message}`;
    $('core-status').className = 'status bad';
    document.body.dataset.ready = 'error';
  }
}

main();
