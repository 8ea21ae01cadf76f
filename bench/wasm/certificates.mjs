// Sequencer certificate verification in wasm (issue #5's benchmark): one
// ECDSA certificate and BLS committee certificates of 64 and 128 members
// (all but one signing), each verified and added by `PreconfEngine.step({
// l2Block })` on a fresh engine (feed-message JSON parse, header hash,
// certificate check, parent rules, insertion; the engine is made untimed).
// Fixture: tests/fixtures/rollup/certificates.json, anchored on the real
// Capella light client. Build with ./run.sh first (it binds out/).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../tests/fixtures');
const wasm = require('./out/preconf_light.js');

const ROUNDS = Number(process.env.CERT_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.CERT_PER_ROUND ?? 20);
const text = (p) => readFileSync(join(fixtures, p), 'utf8');
const at = (slot) => 1606824023 + slot * 12;

const client = wasm.BeaconLightClient.fromBootstrap(
  'mainnet',
  '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275',
  text('mainnet/helios/capella-lc/bootstrap.json'),
);
client.processUpdates(text('mainnet/helios/capella-lc/updates.json'), at(7109431));
client.processFinalityUpdate(text('mainnet/helios/capella-lc/finality.json'), at(7109431) + 1);

const { cases } = JSON.parse(text('rollup/certificates.json'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

console.log(`certificate verification in wasm (node ${process.version}), ${ROUNDS} rounds x ${PER_ROUND}`);
for (const name of ['ecdsa', 'bls64', 'bls128']) {
  const c = cases[name];
  const fresh = () => new wasm.PreconfEngine(c.config, client, undefined);
  const msg = JSON.stringify(c.message);
  const probe = fresh();
  if (probe.step({ l2Block: msg }, client).added.hash !== c.hash) throw new Error(`${name}: wrong hash`);
  probe.free();
  const forged = structuredClone(c.message);
  forged.header.gasUsed += 1;
  let rejected = false;
  const other = fresh();
  try {
    other.step({ l2Block: JSON.stringify(forged) }, client);
  } catch (e) {
    rejected = e.code === 'INVALID_SIGNATURE';
  }
  other.free();
  if (!rejected) throw new Error(`${name}: forged block accepted`);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const engines = Array.from({ length: PER_ROUND }, fresh);
    const t0 = performance.now();
    for (const e of engines) e.step({ l2Block: msg }, client);
    rounds.push((performance.now() - t0) / PER_ROUND);
    for (const e of engines) e.free();
  }
  console.log(`${name.padEnd(7)} median ${median(rounds).toFixed(3)} ms  (min ${Math.min(...rounds).toFixed(3)}, max ${Math.max(...rounds).toFixed(3)})`);
}
