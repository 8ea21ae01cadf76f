// Light-client steps, three-way interleaved in ONE node process: our build A
// (before), our build B (after), @lodestar/light-client. Medians, ratios.
//   PKG_A=<folder with dist/ + wasm/> PKG_B=<same> node --import ./bench/peers/force-herumi.mjs bench/peers/lc-ab.mjs
// (`cd bench/peers && npm ci` first; ROUNDS, default 15). Steps: the update
// carrying the next committee; the first update of the next period (signed by
// that committee); the finality update with the committee known; bootstrap.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const FIX = new URL('../../tests/fixtures/mainnet/', import.meta.url);
const load = (p) => JSON.parse(readFileSync(new URL(p, FIX), 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const MAINNET_GVR = '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95';
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const at = (slot) => 1606824023 + Number(slot) * 12 + 1;
const bootstrap = load('helios/capella-lc/bootstrap.json');
const updates = load('helios/capella-lc/updates.json');
const finality = load('helios/capella-lc/finality.json');

/** Each side: step name → { setup, run }. */
const sides = {};
for (const [name, dir] of [['A', process.env.PKG_A], ['B', process.env.PKG_B]]) {
  if (!dir) continue;
  const m = await import(`${dir}/dist/node.js`);
  await m.init();
  const fresh = () => m.BeaconLightClient.fromBootstrap('mainnet', CAPELLA_ROOT, bootstrap);
  const afterFirst = () => { const c = fresh(); c.processUpdate(updates[0], at(updates[0].data.signature_slot)); return c; };
  const synced = fresh();
  for (const u of updates) synced.processUpdate(u, at(u.data.signature_slot));
  const snapshot = synced.toBytes();
  synced.free();
  sides[name] = {
    nextCommittee: { setup: fresh, run: (c) => { c.processUpdate(updates[0], at(updates[0].data.signature_slot)); c.free(); } },
    nextPeriod: { setup: afterFirst, run: (c) => { c.processUpdate(updates[1], at(updates[1].data.signature_slot)); c.free(); } },
    finality: { setup: () => m.BeaconLightClient.fromBytes('mainnet', snapshot),
      run: (c) => { c.processFinalityUpdate(finality, at(finality.data.signature_slot)); c.free(); } },
    bootstrap: { setup: () => undefined, run: () => fresh().free() },
  };
}

const { LightclientSpec } = await import('@lodestar/light-client/spec');
const { createBeaconConfig } = await import('@lodestar/config');
const { mainnetChainConfig } = await import('@lodestar/config/networks');
const { ssz } = await import('@lodestar/types');
const lsBls = (await import('@chainsafe/bls')).default;
const lsConfig = createBeaconConfig(mainnetChainConfig, hex(MAINNET_GVR));
const lsBootstrap = ssz.capella.LightClientBootstrap.fromJson(bootstrap.data);
const lsUpdates = updates.map((u) => ssz.capella.LightClientUpdate.fromJson(u.data));
const lsFinality = ssz.capella.LightClientFinalityUpdate.fromJson(finality.data);
const slot = (u) => Number(u.data.signature_slot) + 1;
const newSpec = () => new LightclientSpec(lsConfig, { allowForcedUpdates: true, onSetFinalizedHeader() {}, onSetOptimisticHeader() {} }, lsBootstrap);
const lsAfterFirst = () => { const s = newSpec(); s.onUpdate(slot(updates[0]), lsUpdates[0]); return s; };
const lsSynced = () => { const s = newSpec(); lsUpdates.forEach((u, i) => s.onUpdate(slot(updates[i]), u)); return s; };
sides.lodestar = {
  nextCommittee: { setup: newSpec, run: (s) => s.onUpdate(slot(updates[0]), lsUpdates[0]) },
  nextPeriod: { setup: lsAfterFirst, run: (s) => s.onUpdate(slot(updates[1]), lsUpdates[1]) },
  finality: { setup: lsSynced, run: (s) => s.onFinalityUpdate(Number(finality.data.signature_slot) + 1, lsFinality) },
  bootstrap: { setup: () => undefined, run: () => newSpec() },
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const rounds = Number(process.env.ROUNDS ?? 15);
console.log(`node ${process.version}; lodestar BLS: ${lsBls.implementation}; ${rounds} interleaved rounds per step (order rotates), medians`);
for (const step of ['nextCommittee', 'nextPeriod', 'finality', 'bootstrap']) {
  const names = Object.keys(sides);
  const t = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds + 2; r++) {
    const order = names.slice(r % names.length).concat(names.slice(0, r % names.length));
    for (const n of order) {
      const ctx = sides[n][step].setup();
      const t0 = performance.now();
      sides[n][step].run(ctx);
      if (r >= 2) t[n].push(performance.now() - t0);
    }
  }
  const med = Object.fromEntries(names.map((n) => [n, median(t[n])]));
  console.log(`${step.padEnd(14)} ` + names.map((n) => `${n} ${med[n].toFixed(2)} ms`).join('  ') + '  | ' +
    names.filter((n) => n !== 'lodestar').map((n) => `${n}/lodestar ${(med[n] / med.lodestar).toFixed(2)}`).join('  '));
}
