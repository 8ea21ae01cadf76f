// The L2 half of createPreconfClient against a real devnet process: the
// client syncs the light client, runs the rollup engine in its core, fetches
// the L1 blocks and receipts the engine asks for, follows the sequencer feed,
// and reports L2 block / tx / action levels. Cross-domain actions (a signed
// Burner call POSTed to /devnet/action) run on their own devnet: their L1
// legs are looked up and verified, a lying L1 RPC and an L1 reorg keep them
// below included, and simulateAction runs the L2 leg over verified state.
// Slots are 1 s so a block goes from sequenced to included in a few
// seconds; every wait is bounded.
//
// Needs the devnet binary: `cargo build --release -p preconf-devnet`
// (or PRECONF_DEVNET_BIN). Without it the tests are reported as skipped with
// that instruction.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPreconfClient, PreconfLightError } from 'preconf-light';

const ROOT = resolve(process.env.PRECONF_FIXTURES ?? 'tests/fixtures', '../..');
const BIN = process.env.PRECONF_DEVNET_BIN ?? join(ROOT, 'target/release/preconf-devnet');
const HAVE_DEVNET = existsSync(BIN);
const SKIP = HAVE_DEVNET ? false : `devnet binary ${BIN} missing: run \`cargo build --release -p preconf-devnet\``;
const code = (c) => (e) => e instanceof PreconfLightError && e.code === c;
// viem (a devDependency of the repository root) signs the actions' L2 legs.
const { privateKeyToAccount } = await import(pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('viem/accounts')).href);

/** Starts a devnet on a free 127.0.0.1 port; resolves with its base URL and process. */
function startDevnet(args) {
  return new Promise((res, rej) => {
    const root = mkdtempSync(join(tmpdir(), 'devnet-root-'));
    const p = spawn(BIN, ['--seed', '1', '--port', '0', '--root', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => rej(new Error(`devnet did not start: ${out}`)), 20_000);
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

const getJson = async (url) => {
  const r = await fetch(url);
  assert.ok(r.ok, `${url}: HTTP ${r.status}`);
  return r.json();
};
const rpc = async (url, method, params) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await r.json()).result;
};

/** Resolves when `pred()` is truthy (polled), or rejects after `ms`. */
async function until(pred, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let devnet;
let actionDevnet; // the action tests' own devnet (no faults injected into it)
let forgedDevnet; // the forged-feed test's own devnet
const clients = [];
let main; // the first test's client
let picked; // and its block
after(async () => {
  for (const c of clients) await c.close();
  devnet?.proc.kill();
  actionDevnet?.proc.kill();
  forgedDevnet?.proc.kill();
});

function clientFor(cfg, extra = {}) {
  const c = createPreconfClient({
    network: cfg.network,
    beaconApiUrl: cfg.endpoints.beaconApi,
    l1RpcUrl: cfg.endpoints.l1Rpc,
    trustedCheckpoint: cfg.trustedCheckpoint,
    chainId: cfg.l1ChainId,
    rollup: cfg.rollup,
    sequencerFeedUrl: cfg.endpoints.sequencerFeed,
    l2BlockUrl: `${cfg.endpoints.beaconApi}/rollup/block`,
    pollIntervalMs: 1000,
    tickIntervalMs: 1000,
    rollupTickIntervalMs: 250,
    requestTimeoutMs: 5000,
    backoff: { baseMs: 100, maxMs: 1000 },
    ...extra,
  });
  clients.push(c);
  return c;
}

test('follows a devnet: an L2 block climbs sequenced → slot-ending → included, by hash, number, tx and action', { skip: SKIP, timeout: 90_000 }, async () => {
  devnet = await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await getJson(`${devnet.base}/devnet/client-config`);
  const client = (main = clientFor(cfg));
  const changes = [];
  client.on('levelChange', (e) => changes.push(e));
  const rejected = [];
  client.on('feedRejected', (e) => rejected.push(e));
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');

  // A block the sequencer has produced (ground truth is only used to pick it and to check the answer).
  const truth = await until(async () => {
    const t = await getJson(`${devnet.base}/devnet/truth/l2`);
    return t.blocks.length >= 3 ? t : null;
  }, 20_000, 'L2 blocks');
  const pick = (picked = truth.blocks.at(-1));
  const target = { block: pick.hash };
  const seen = [];
  const unwatch = client.watch(target, (s) => seen.push(s.level));

  const seq = await client.waitFor(target, 'sequenced', { timeoutMs: 20_000 });
  assert.equal(seq.l2.blockHash, pick.hash);
  assert.equal(seq.l2.blockNumber, pick.number);
  assert.equal(typeof seq.l2.liveness.basedMode, 'boolean');

  const inc = await client.waitFor(target, 'included', { timeoutMs: 30_000 });
  assert.ok(['included', 'finalized'].includes(inc.level));
  assert.ok(inc.l2.l1Inclusion, 'an included block names the L1 block that committed it');
  assert.equal(inc.mayRevertIf.every((r) => /^[A-Z0-9_]+$/.test(r)), true, 'risks are client reason codes');
  // The devnet agrees.
  const fate = (await getJson(`${devnet.base}/devnet/truth/l2/${pick.hash}`)).truth.fate;
  assert.ok(['included', 'finalized'].includes(fate), `truth says ${fate}`);
  unwatch();
  assert.ok(seen.includes('sequenced') || seen.includes('slot-ending'), `watch saw ${seen}`);
  assert.ok(seen.at(-1) === 'included' || seen.at(-1) === 'finalized');
  assert.ok(changes.some((c) => c.target === target && (c.to === 'included' || c.to === 'slot-ending')), 'levelChange events for the watched block');

  // By number: the engine's block at that height.
  const byNumber = await client.status({ block: pick.number });
  assert.equal(byNumber.l2.blockHash, pick.hash);

  // By transaction and as an action (the L2 leg).
  const l2Block = await rpc(cfg.endpoints.l2Rpc, 'eth_getBlockByHash', [pick.hash, false]);
  const tx = l2Block.transactions[0];
  const txStatus = await client.status({ tx });
  assert.equal(txStatus.l2.blockHash, pick.hash);
  assert.ok(['included', 'finalized'].includes(txStatus.level));
  const action = await client.status({ action: { l1Txs: [], l2Txs: [tx] } });
  assert.ok(['included', 'finalized', 'slot-ending'].includes(action.level), action.level);
  assert.equal(action.l2.blockHash, null);

  // Unknown targets.
  const nobody = `0x${'ab'.repeat(32)}`;
  const unknown = await client.status({ block: nobody });
  assert.equal(unknown.level, 'unknown');
  assert.equal(unknown.reasonCode, 'NOT_SEEN');
  assert.equal((await client.status({ block: 10_000_000 })).level, 'unknown');
  await assert.rejects(client.status({ block: '0x12' }), code('INVALID_ARGUMENT'));
  await assert.rejects(client.status({ action: { l1Txs: [], l2Txs: [] } }), code('INVALID_ARGUMENT'));

  // waitFor: timeout and abort.
  await assert.rejects(client.waitFor({ block: nobody }, 'sequenced', { timeoutMs: 300 }), code('TIMEOUT'));
  const ac = new AbortController();
  const w = client.waitFor({ tx: nobody }, 'included', { signal: ac.signal });
  setTimeout(() => ac.abort(new Error('stop')), 100);
  await assert.rejects(w, /stop/);

  assert.deepEqual(rejected, [], 'the genuine feed is never rejected');
  assert.ok(client.endpoints().some((e) => e.endpoint === 'sequencerFeed' && e.status === 'ok'));
});

test('an equivocation downgrades with EQUIVOCATION; the block reaches finalized', { skip: SKIP, timeout: 90_000 }, async () => {
  assert.ok(main && picked, 'runs after the first test');
  const events = [];
  main.on('rollup', (e) => events.push(e));
  const r = await fetch(`${devnet.base}/devnet/admin/fault`, { method: 'POST', body: JSON.stringify({ kind: 'equivocate' }) });
  assert.ok(r.ok);
  const eq = await until(() => events.find((e) => e.type === 'equivocation'), 20_000, 'the equivocation');
  const [h1, h2] = eq.blocks;
  const down = events.find((e) => e.type === 'levelChanged' && e.downgrade && e.reason === 'equivocation');
  assert.ok(down, 'a downgrade event with its reason');
  for (const h of [h1, h2]) {
    const s = await main.status({ block: h });
    assert.ok(['pending', 'reverted'].includes(s.level), s.level);
  }
  // The block that went down carries the mapped reason; the twin that arrived second entered at pending.
  const downed = await main.status({ block: down.subject.hash });
  assert.equal(downed.reasonCode, 'EQUIVOCATION');
  assert.match(downed.reason, /equivocation/);
  // The devnet agrees that one of them is reverted (or never committed).
  const fates = await Promise.all([h1, h2].map(async (h) => (await getJson(`${devnet.base}/devnet/truth/l2/${h}`)).truth.fate));
  assert.ok(fates.some((f) => f === 'reverted' || f === 'pending'), `truth: ${fates}`);

  // Finality of the L1 block that committed the first test's block (first finality after epoch 3 at 1 s slots).
  const fin = await main.waitFor({ block: picked.hash }, 'finalized', { timeoutMs: 60_000 });
  assert.equal(fin.level, 'finalized');
  // The engine keeps one risk at finalized: L1 finality itself failing.
  assert.deepEqual(fin.mayRevertIf, ['L1_FINALITY_FAILURE']);
  assert.equal(fin.reasonCode, 'L1_FINALIZED');
  assert.equal((await getJson(`${devnet.base}/devnet/truth/l2/${picked.hash}`)).truth.fate, 'finalized');
});

test('a client started after the rollup committed anchors at the proven committed head: an action it tracks goes to included, never reverted', { skip: SKIP, timeout: 90_000 }, async () => {
  assert.ok(main && picked, 'runs after the finality test');
  // The devnet's trusted checkpoint is now a finalized block after the first commitments: the
  // config's genesis is no longer committed there, so the engine must anchor at the inbox's committedHead.
  const cfg = await getJson(`${devnet.base}/devnet/client-config`);
  // Without l2BlockUrl the committed header cannot be fetched: the client refuses to guess.
  const blind = clientFor(cfg, { l2BlockUrl: undefined, sequencerFeedUrl: undefined });
  await assert.rejects(blind.ready, code('INVALID_CONFIG'));
  const client = clientFor(cfg);
  const events = [];
  client.on('rollup', (e) => events.push(e));
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');
  const landed = await landAction(devnet.base, 0, `0x${'33'.repeat(20)}`);
  const target = { action: { l1Txs: [landed.l1TxHash], l2Txs: [landed.l2TxHash] } };
  const seen = [];
  const unwatch = client.watch(target, (s) => seen.push(s.level));
  const inc = await client.waitFor(target, 'included', { timeoutMs: 30_000 });
  unwatch();
  assert.ok(['included', 'finalized'].includes(inc.level), inc.level);
  assert.ok(!seen.includes('reverted'), `levels: ${seen}`);
  const leg = await client.status({ tx: landed.l2TxHash });
  assert.equal(leg.l2.blockHash, landed.l2BlockHash);
  assert.equal(leg.l2.liveness.basedMode, false);
  assert.ok(leg.l2.liveness.slotsSinceLastCommitment <= 3, JSON.stringify(leg.l2.liveness));
  assert.deepEqual(events.filter((e) => e.type === 'commitmentRejected' || e.type === 'basedMode'), [], 'every commitment after the anchor is accepted');
  assert.ok(['included', 'finalized'].includes((await getJson(`${devnet.base}/devnet/truth/l2/${landed.l2BlockHash}`)).truth.fate));
});

test('a forged feed message is reported and adds nothing; the feed reconnects', { skip: SKIP, timeout: 60_000 }, async () => {
  // Its own devnet: the client anchors at the rollup's genesis (nothing committed at the trusted checkpoint yet),
  // so block 1 is above its anchor; it fetches no parents.
  forgedDevnet = await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await getJson(`${forgedDevnet.base}/devnet/client-config`);
  const msgs = await until(async () => {
    const m = await getJson(`${forgedDevnet.base}/rollup/blocks?from=1`);
    return m.length >= 3 ? m : null;
  }, 20_000, 'feed messages');
  const genuine = msgs.find((m) => m.header.number === 1);
  const forged = structuredClone(msgs.find((m) => m.header.number === 2));
  forged.header.gasUsed += 1; // the certificate no longer signs this header

  // A feed that sends block 1, then the forged block 2, then hangs up.
  let connections = 0;
  const server = createServer((req, res) => {
    connections++;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: block\ndata: ${JSON.stringify(genuine)}\n\n`);
    res.write(`event: block\ndata: ${JSON.stringify(forged)}\n\n`);
    setTimeout(() => res.end(), 200);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  after(() => server.close());
  const client = clientFor(cfg, { sequencerFeedUrl: `http://127.0.0.1:${server.address().port}/feed`, l2BlockUrl: undefined });
  const rejected = [];
  client.on('feedRejected', (e) => rejected.push(e));
  const feedHealth = [];
  client.on('endpointStatus', (e) => e.endpoint === 'sequencerFeed' && feedHealth.push(e));
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');

  await until(() => rejected.length > 0, 10_000, 'the forged message to be rejected');
  assert.equal(rejected[0].code, 'INVALID_SIGNATURE');
  const one = await client.status({ block: 1 });
  assert.ok(['sequenced', 'slot-ending', 'included', 'finalized'].includes(one.level), one.level);
  // The forged block is not held: height 2 stays unknown.
  assert.equal((await client.status({ block: 2 })).level, 'unknown');
  await until(() => connections >= 2, 10_000, 'the feed to reconnect');
  // A resent genuine block is a duplicate, not a rejection: only the forged one is ever rejected.
  assert.ok(rejected.every((r) => r.code === 'INVALID_SIGNATURE'));
  assert.ok(feedHealth.some((e) => e.status === 'faulty' && e.code === 'INVALID_SIGNATURE'), 'the feed was marked faulty');
});

test('a backlog of feed messages judged one by one (forged and genuine interleaved) does not flap the feed status: faulty once, ok once honest data arrives', { skip: SKIP, timeout: 60_000 }, async () => {
  forgedDevnet ??= await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await getJson(`${forgedDevnet.base}/devnet/client-config`);
  const msgs = await until(async () => {
    const m = await getJson(`${forgedDevnet.base}/rollup/blocks?from=1`);
    return m.filter((x) => x.header.number <= 9).length >= 9 ? m : null;
  }, 30_000, 'feed messages');
  const byNumber = (n) => msgs.find((m) => m.header.number === n);
  const forgedOf = (n) => {
    const f = structuredClone(byNumber(n));
    f.header.gasUsed += 1; // the certificate no longer signs this header
    return f;
  };
  const frame = (m) => `event: block\ndata: ${JSON.stringify(m)}\n\n`;
  // One delivery: block 1, then (forged k, genuine k) for k = 2..8; the
  // client judges them one by one from its queue. Then, later, block 9.
  let burst = frame(byNumber(1));
  for (let n = 2; n <= 8; n++) burst += frame(forgedOf(n)) + frame(byNumber(n));
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(burst);
    setTimeout(() => res.write(frame(byNumber(9))), 1500);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  after(() => {
    server.closeAllConnections?.();
    server.close();
  });
  const client = clientFor(cfg, { sequencerFeedUrl: `http://127.0.0.1:${server.address().port}/feed`, l2BlockUrl: undefined });
  const rejected = [];
  client.on('feedRejected', (e) => rejected.push(e));
  const feedHealth = [];
  client.on('endpointStatus', (e) => e.endpoint === 'sequencerFeed' && feedHealth.push(e.status));
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');
  await until(async () => ['sequenced', 'slot-ending', 'included', 'finalized'].includes((await client.status({ block: 9 })).level), 20_000, 'block 9');
  assert.equal(rejected.length, 7, 'every forged message is rejected');
  assert.ok(rejected.every((r) => r.code === 'INVALID_SIGNATURE'));
  // Judged per delivery: faulty once (the lies of the burst), ok once block 9 arrived later.
  assert.deepEqual(feedHealth, ['faulty', 'ok'], `feed status changes: ${feedHealth.join(' ')}`);
});

const BURNER = '0x00000000000000000000000000000000000b0001';
const BURN_SELECTOR = '0x89afcb44'; // burn(address)
const SLOT0 = `0x${'0'.repeat(64)}`; // the Burner's totalBurned

/**
 * Queues a cross-domain action on the devnet (a signed `burn(recipient)` call
 * of the Burner by L2 user `user`) and waits until both legs landed; returns
 * the devnet's answer (`l2TxHash`, `l1TxHash`, `l1BlockHash`, ...).
 */
async function landAction(base, user, recipient) {
  const accounts = await getJson(`${base}/devnet/accounts`);
  const account = privateKeyToAccount(accounts.l2[user].privateKey);
  const l2Rpc = `${base}/rpc/l2`;
  let queued;
  for (let i = 0; !queued; i++) {
    const nonce = Number(await rpc(l2Rpc, 'eth_getTransactionCount', [account.address, 'latest']));
    const raw = await account.signTransaction({
      type: 'eip1559',
      chainId: accounts.l2ChainId,
      nonce,
      maxFeePerGas: 1_000_000n,
      maxPriorityFeePerGas: 0n,
      gas: 100_000n,
      to: BURNER,
      value: 7_000n + BigInt(user),
      data: `${BURN_SELECTOR}${recipient.slice(2).toLowerCase().padStart(64, '0')}`,
    });
    const r = await fetch(`${base}/devnet/action`, { method: 'POST', body: JSON.stringify({ l2Tx: raw }) });
    if (r.ok) queued = await r.json();
    else if (i >= 5) assert.fail(`the devnet refused the action: ${await r.text()}`);
    else await new Promise((res) => setTimeout(res, 300)); // a seeded transfer took the nonce: sign again
  }
  return until(async () => {
    const s = await getJson(`${base}/devnet/action/${queued.l2TxHash}`);
    return s.status === 'landed' ? { ...s, l2TxHash: queued.l2TxHash } : null;
  }, 20_000, 'the action to land');
}

test('an action counts its L1 leg: the receipt is fetched, verified and taken; a bogus L1 leg stays pending', { skip: SKIP, timeout: 90_000 }, async () => {
  actionDevnet ??= await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await getJson(`${actionDevnet.base}/devnet/client-config`);
  const client = clientFor(cfg);
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');

  const landed = await landAction(actionDevnet.base, 0, `0x${'77'.repeat(20)}`);
  assert.match(landed.l1TxHash, /^0x[0-9a-f]{64}$/);
  const receipt = await rpc(cfg.endpoints.l1Rpc, 'eth_getTransactionReceipt', [landed.l1TxHash]);
  assert.equal(receipt.blockHash, landed.l1BlockHash);

  const both = { action: { l1Txs: [landed.l1TxHash], l2Txs: [landed.l2TxHash] } };
  const l1Only = { action: { l1Txs: [landed.l1TxHash], l2Txs: [] } };
  const bogus = { action: { l1Txs: [`0x${'cd'.repeat(32)}`], l2Txs: [landed.l2TxHash] } };
  // Before the L1 leg is looked up (that happens on the rollup loop's ticks) the engine has no receipt.
  const before = await client.status(l1Only);
  assert.equal(before.level, 'pending', before.reason);
  const seen = [];
  const unwatch = client.watch(both, (s) => seen.push(s.level));

  const inc = await client.waitFor(both, 'included', { timeoutMs: 30_000 });
  assert.ok(['included', 'finalized'].includes(inc.level), inc.level);
  assert.ok(seen[0] !== 'included' && seen[0] !== 'finalized', `the first status was ${seen[0]}`);
  unwatch();
  const leg = await client.status(l1Only);
  assert.ok(['included', 'finalized'].includes(leg.level), `the L1 leg alone: ${leg.level}`);
  // The L2 leg is included; the bogus L1 leg (no receipt anywhere) keeps the action pending.
  const l2Leg = await client.status({ tx: landed.l2TxHash });
  assert.ok(['included', 'finalized'].includes(l2Leg.level), l2Leg.level);
  assert.equal((await client.status(bogus)).level, 'pending');
  await assert.rejects(client.waitFor(bogus, 'included', { timeoutMs: 2_500 }), code('TIMEOUT'));
  assert.equal((await client.status(bogus)).level, 'pending');
  assert.ok(client.endpoints().every((e) => e.status === 'ok'), JSON.stringify(client.endpoints()));
});

test('a lying L1 RPC (receipts that do not match the block) raises no level; the leg is retried and counts once the RPC is honest', { skip: SKIP, timeout: 90_000 }, async () => {
  actionDevnet ??= await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await getJson(`${actionDevnet.base}/devnet/client-config`);
  // A proxy of the devnet's L1 RPC that, when told to, tampers with the receipts of one block.
  let tamperBlock = null;
  let tampered = 0;
  const proxy = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const call = JSON.parse(body);
    const up = await fetch(cfg.endpoints.l1Rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = await up.json();
    if (call.method === 'eth_getBlockReceipts' && tamperBlock && String(call.params[0]).toLowerCase() === tamperBlock && Array.isArray(answer.result)) {
      for (const r of answer.result) for (const l of r.logs) l.data = `0x${'ff'.repeat(32)}`; // the Minted amount, say
      tampered++;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  after(() => proxy.close());
  const client = clientFor(cfg, { l1RpcUrl: `http://127.0.0.1:${proxy.address().port}` });
  const health = [];
  client.on('endpointStatus', (e) => e.endpoint === 'l1Rpc' && health.push(e));
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');

  const landed = await landAction(actionDevnet.base, 1, `0x${'55'.repeat(20)}`);
  // The block's inbox receipts reach the engine honestly first (the L2 leg is included through them) ...
  await client.waitFor({ tx: landed.l2TxHash }, 'included', { timeoutMs: 30_000 });
  // ... then the RPC lies about that block's receipts when the L1 leg is looked up.
  tamperBlock = landed.l1BlockHash.toLowerCase();
  const target = { action: { l1Txs: [landed.l1TxHash], l2Txs: [landed.l2TxHash] } };
  const levels = [];
  const unwatch = client.watch(target, (s) => levels.push(s.level));
  await until(() => tampered >= 2, 20_000, 'the leg to be looked up (and retried) through the lying RPC');
  assert.ok(health.some((e) => e.status === 'faulty'), `the L1 RPC was marked faulty: ${JSON.stringify(health)}`);
  const lying = await client.status(target);
  assert.equal(lying.level, 'pending', lying.reason);
  assert.ok(levels.every((l) => l === 'pending'), `levels while lying: ${levels}`);
  unwatch();

  // Honest again: the retry (with backoff) takes the leg.
  tamperBlock = null;
  const inc = await client.waitFor(target, 'included', { timeoutMs: 30_000 });
  assert.ok(['included', 'finalized'].includes(inc.level), inc.level);
});

test('an L1 reorg that drops the mint takes the L1 leg back to pending with L1_REORG', { skip: SKIP, timeout: 90_000 }, async () => {
  actionDevnet ??= await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const base = actionDevnet.base;
  const cfg = await getJson(`${base}/devnet/client-config`);
  const client = clientFor(cfg);
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');
  const landed = await landAction(base, 0, `0x${'44'.repeat(20)}`);
  const leg = { action: { l1Txs: [landed.l1TxHash], l2Txs: [] } };
  await client.waitFor(leg, 'included', { timeoutMs: 30_000 });
  const downgrades = [];
  client.on('downgrade', (e) => e.target === leg && downgrades.push(e));
  const unwatch = client.watch(leg, () => {});
  // Reorg L1 back to the mint's parent (the head moves every second: deepen until the mint is gone).
  for (let i = 0; (await getJson(`${base}/devnet/action/${landed.l2TxHash}`)).status === 'landed'; i++) {
    assert.ok(i < 5, 'the reorg dropped the mint');
    const head = Number(await rpc(cfg.endpoints.l1Rpc, 'eth_blockNumber', []));
    const r = await fetch(`${base}/devnet/admin/fault`, { method: 'POST', body: JSON.stringify({ kind: 'reorg', depth: head - landed.l1BlockNumber + 1 }) });
    assert.ok(r.ok, await r.text());
  }
  assert.equal(await rpc(cfg.endpoints.l1Rpc, 'eth_getTransactionReceipt', [landed.l1TxHash]), null);
  const down = await until(async () => {
    const s = await client.status(leg);
    return s.level === 'pending' ? s : null;
  }, 30_000, 'the leg to go back to pending');
  assert.equal(down.reasonCode, 'L1_REORG', down.reason);
  assert.ok(downgrades.length > 0, 'a downgrade event');
  unwatch();
  // The RPC no longer has a receipt: the leg stays pending.
  await assert.rejects(client.waitFor(leg, 'included', { timeoutMs: 2_000 }), code('TIMEOUT'));
});

test('simulateAction runs the L2 leg in revm over the state of a block the engine holds; a lying L2 RPC fails the proof check', { skip: SKIP, timeout: 90_000 }, async () => {
  actionDevnet ??= await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await getJson(`${actionDevnet.base}/devnet/client-config`);
  // A proxy of the L2 RPC that, when told to, inflates every proven balance.
  let lie = false;
  const proxy = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const call = JSON.parse(body);
    const answer = await (await fetch(cfg.endpoints.l2Rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
    if (lie && call.method === 'eth_getProof' && answer.result) answer.result.balance = '0xffffffffffffffffffffff';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  after(() => proxy.close());
  const client = clientFor(cfg, { l2RpcUrl: `http://127.0.0.1:${proxy.address().port}` });
  await until(() => client.ready.then(() => true), 30_000, 'the light client to sync');
  const accounts = await getJson(`${actionDevnet.base}/devnet/accounts`);
  const from = privateKeyToAccount(accounts.l2[2].privateKey).address.toLowerCase();

  // The Burner's fallback returns totalBurned; read it over a block at sequenced or above.
  const read = await until(() => client.simulateAction({ l2: { from, to: BURNER, data: '0x' } }).catch(() => null), 20_000, 'a block to simulate on');
  assert.ok(['sequenced', 'slot-ending', 'included', 'finalized'].includes(read.block.level), read.block.level);
  assert.equal(read.outcomes[0].success, true);
  const burned = BigInt(read.outcomes[0].output);
  // The same block by hash and by number, and the devnet's own eth_call there, agree.
  const pinned = await client.simulateAction({ l2: { from, to: BURNER, data: '0x' }, block: read.block.hash });
  assert.equal(pinned.block.number, read.block.number);
  assert.equal(BigInt(pinned.outcomes[0].output), burned);
  assert.equal(BigInt(await rpc(cfg.endpoints.l2Rpc, 'eth_call', [{ to: BURNER, data: '0x' }, read.block.hash])), burned);

  // The L2 leg of an action: burn 5000 for an L1 recipient; the assertions say which post-state holds.
  const burn = {
    l2: { from, to: BURNER, value: '0x1388', data: `${BURN_SELECTOR}${'66'.repeat(20).padStart(64, '0')}`, gas: '0x30d40' },
    block: read.block.hash,
    assertions: [
      { type: 'storageEquals', address: BURNER, slot: SLOT0, value: `0x${(burned + 5000n).toString(16)}` },
      { type: 'storageEquals', address: BURNER, slot: SLOT0, value: `0x${burned.toString(16)}` },
    ],
  };
  const sim = await client.simulateAction(burn);
  assert.equal(sim.outcomes[0].success, true, sim.outcomes[0].revertReason);
  assert.ok(sim.outcomes[0].logs.some((l) => l.address.toLowerCase() === BURNER), 'the Burned log');
  assert.deepEqual(sim.assertions.map((a) => a.passed), [true, false]);
  assert.equal(sim.ok, false, 'one assertion failed');
  // The same leg with too little gas runs out of it in the EVM: it would fail, and nothing changes.
  const starved = await client.simulateAction({ ...burn, l2: { ...burn.l2, gas: '0x59d8' } });
  assert.equal(starved.outcomes[0].success, false);
  assert.deepEqual(starved.assertions.map((a) => a.passed), [false, true]);

  // A lying L2 RPC: the proof no longer matches the verified state root; no outcome is returned.
  lie = true;
  await assert.rejects(client.simulateAction(burn), (e) => e instanceof PreconfLightError && /PROOF|MISMATCH/.test(e.code));
  assert.ok(client.endpoints().some((e) => e.endpoint === 'l2Rpc' && e.status === 'faulty'), JSON.stringify(client.endpoints()));
  lie = false;
  assert.equal((await client.simulateAction(burn)).assertions[0].passed, true);
  // Without l2RpcUrl there is nothing to prove state with.
  await assert.rejects(clientFor(cfg).simulateAction(burn), code('INVALID_CONFIG'));
});

test('L2 targets without the rollup option are refused; sequencerFeedUrl needs rollup', () => {
  assert.throws(
    () => createPreconfClient({ network: 'mainnet', beaconApiUrl: 'http://127.0.0.1:9', l1RpcUrl: 'http://127.0.0.1:9', sequencerFeedUrl: 'http://127.0.0.1:9/feed' }),
    code('INVALID_ARGUMENT'),
  );
});
