// The devnet's /devnet/client-config is the options object of
// createPreconfClient as it is: no field mapped by hand (the devnet's
// README documents the shape). A client started from it follows the L2.
//
// Needs the devnet binary (PRECONF_DEVNET_BIN, or target/release/preconf-devnet).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPreconfClient } from 'preconf-light';

const ROOT = resolve(process.env.PRECONF_FIXTURES ?? 'tests/fixtures', '../..');
const BIN = process.env.PRECONF_DEVNET_BIN ?? join(ROOT, 'target/release/preconf-devnet');
const SKIP = existsSync(BIN) ? false : `devnet binary ${BIN} missing: run \`cargo build --release -p preconf-devnet\``;

let proc;
let client;
after(async () => {
  await client?.close();
  proc?.kill();
});

/** Starts a devnet on a free 127.0.0.1 port with no page folder; resolves with its base URL. */
function startDevnet(args) {
  return new Promise((res, rej) => {
    proc = spawn(BIN, ['--seed', '3', '--port', '0', '--root', join(ROOT, 'no-such-page-folder'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => rej(new Error(`devnet did not start: ${out}`)), 20_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', (c) => rej(new Error(`devnet exited ${c}: ${out}`)));
  });
}

test('createPreconfClient(await (await fetch(`${devnet}/devnet/client-config`)).json()) follows the devnet', { skip: SKIP, timeout: 90_000 }, async () => {
  const base = await startDevnet(['--slot-time', '1', '--l2-blocks-per-slot', '2']);
  const cfg = await (await fetch(`${base}/devnet/client-config`)).json();
  for (const key of ['network', 'beaconApiUrl', 'l1RpcUrl', 'l2RpcUrl', 'sequencerFeedUrl', 'l2BlockUrl', 'trustedCheckpoint', 'chainId', 'rollup']) {
    assert.ok(cfg[key] !== undefined, `client-config has ${key}`);
  }
  // The config as the options; only the test's faster intervals are added.
  client = createPreconfClient({ ...cfg, pollIntervalMs: 1000, tickIntervalMs: 1000, rollupTickIntervalMs: 250, requestTimeoutMs: 5000 });
  await client.ready;
  const deadline = Date.now() + 20_000;
  let block;
  while (!block) {
    const t = await (await fetch(`${base}/devnet/truth/l2`)).json();
    block = t.blocks.find((b) => b.number >= 2);
    if (!block) {
      assert.ok(Date.now() < deadline, 'the devnet produced L2 blocks');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const s = await client.waitFor({ block: block.hash }, 'included', { timeoutMs: 30_000 });
  assert.equal(s.l2.blockHash, block.hash);
  assert.ok(['included', 'finalized'].includes(s.level));
});
