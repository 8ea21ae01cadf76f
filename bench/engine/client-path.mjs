// The rollup engine through the npm client's core path, two builds of the
// package side by side in one node process (interleaved, medians):
//
//   BEFORE=/path/to/pkg AFTER=/path/to/pkg [SWB=/path/to/pkg] node bench/engine/client-path.mjs
//
// Each folder is a built `pkg/` (dist + wasm); SWB is optional (the same
// code as AFTER built with feature `boundary-swb`: values cross the wasm
// boundary through serde-wasm-bindgen instead of JSON text). For each build the script
// creates the client's in-process core backend (`LocalCore`, what node runs;
// browsers run the same object in a worker), bootstraps it on the real
// mainnet Capella light client, creates the rollup engine from
// tests/fixtures/rollup/bench_feed.json, then
// - ingest: the feed loop's work for one message from its SSE text to the
//   core's answer (an ECDSA-certified block with 10 transactions): before,
//   `JSON.parse` of the text and `engineIngestL2Block` (which verified the
//   certificate twice); after, `engineStep({ l2Block: text })` (the text
//   goes to the core as it came). ROUNDS fresh engines x 64 messages of one
//   chain, after a warm-up round;
// - status: what `client.status({ block: hash })` runs after its argument
//   check: the core query and `fromEngine` (the client's `Status`).
// The two builds take the same messages in alternation.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const FIX = new URL('../../tests/fixtures', import.meta.url).pathname;
const text = (p) => readFileSync(`${FIX}/${p}`, 'utf8');
const json = (p) => JSON.parse(text(p));
const CP = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const at = (slot) => 1606824023 + slot * 12;
const STATUS_ROUNDS = Number(process.env.STATUS_ROUNDS ?? 2000);

const feed = json('rollup/bench_feed.json');
const texts = feed.messages.map((m) => JSON.stringify(m));
const bootstrap = json('mainnet/helios/capella-lc/bootstrap.json');
const updates = json('mainnet/helios/capella-lc/updates.json');
const finality = json('mainnet/helios/capella-lc/finality.json');

async function build(name, dir) {
  const pkg = await import(`${dir}/dist/node.js`);
  await pkg.init();
  const { LocalCore } = await import(`${dir}/dist/client/core-backend.js`);
  const { fromEngine } = await import(`${dir}/dist/client/rollup.js`);
  const core = new LocalCore();
  await core.fromBootstrap('mainnet', CP, bootstrap);
  for (const u of updates.data ?? updates) await core.process('update', u, at(7109431)).catch(() => {});
  await core.process('finality', finality, at(7109431) + 1);
  const fresh = () => core.engineCreate(feed.config);
  await fresh();
  // The two generations of the client's feed path.
  const ingest = core.engineStep
    ? async (text) => (await core.engineStep({ l2Block: text })).added.hash
    : async (text) => (await core.engineIngestL2Block(JSON.parse(text))).hash;
  const query = core.engineQuery ? (q) => core.engineQuery(q) : (q) => core.engineStatus(q);
  const status = async (hash, now) => fromEngine({ block: hash }, await query({ block: hash }), now);
  return { name, fresh, ingest, status };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

const builds = [await build('before', process.env.BEFORE), await build('after', process.env.AFTER)];
if (process.env.SWB) builds.push(await build('swb', process.env.SWB));
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const times = Object.fromEntries(builds.map((b) => [b.name, { ingest: [], status: [] }]));
let hashes = [];
for (let round = 0; round <= ROUNDS; round++) {
  for (const b of builds) await b.fresh();
  hashes = [];
  for (const t of texts) {
    let hash;
    for (const b of builds) {
      const t0 = performance.now();
      const h = await b.ingest(t);
      if (round > 0) times[b.name].ingest.push(performance.now() - t0);
      if (hash && h !== hash) throw new Error('the builds disagree on a block hash');
      hash = h;
    }
    hashes.push(hash);
  }
}
const now = at(7109436);
for (const b of builds) {
  const s = await b.status(hashes.at(-1), now);
  if (s.level !== 'sequenced') throw new Error(`${b.name}: level ${s.level}`);
}
for (let i = 0; i < STATUS_ROUNDS; i++) {
  const h = hashes[i % hashes.length];
  for (const b of builds) {
    const t0 = performance.now();
    await b.status(h, now);
    times[b.name].status.push(performance.now() - t0);
  }
}
console.log(`engine client path (node ${process.version}): ${ROUNDS} x ${texts.length} messages, ${STATUS_ROUNDS} status queries per build`);
for (const what of ['ingest', 'status']) {
  const [before, ...rest] = builds.map((x) => [x.name, median(times[x.name][what])]);
  const others = rest.map(([n, m]) => `${n} ${m.toFixed(4)} ms (${(before[1] / m).toFixed(2)}x)`).join('   ');
  console.log(`${what.padEnd(7)} before ${before[1].toFixed(4)} ms   ${others}`);
}
