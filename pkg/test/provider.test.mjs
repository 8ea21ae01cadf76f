// The EIP-1193 provider through the installed package and viem: a mock L1
// JSON-RPC on 127.0.0.1 serves real mainnet data (Cancun block 21925176,
// its 202 receipts, two eth_getProof answers; the Capella light-client set
// for the client-backed provider), with switches that make it lie. Every lie
// must come out as an error, never as a value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { createAnchoredProvider, createEip1193Provider, createPreconfClient, ProviderRpcError } from 'preconf-light';

const FIX = process.env.PRECONF_FIXTURES;
const text = (p) => readFileSync(`${FIX}/mainnet/${p}`, 'utf8');
const json = (p) => JSON.parse(text(p));
const result = (v) => (v && typeof v === 'object' && 'result' in v && 'jsonrpc' in v ? v.result : v);
// viem is a devDependency of the repository root (tests/fixtures/../..).
const viem = await import(pathToFileURL(createRequire(resolve(FIX, "../../package.json")).resolve('viem')).href);
const { createPublicClient, custom } = viem;

const BLOCK = result(json('helios/el-cancun/block_21925176.json'));
const RECEIPTS = result(json('helios/el-cancun/receipts_21925176.json'));
const DEPOSIT_PROOF = result(json('helios/el-cancun/getproof_deposit_contract_21925176.json'));
const MINER_PROOF = result(json('helios/el-cancun/getproof_miner_21925176.json'));
const DEPOSIT = '0x00000000219ab540356cbb839cbe05303d7705fa';
const MINER = '0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97';
const SLOT1 = DEPOSIT_PROOF.storageProof[0];

process.on('unhandledRejection', (e) => {
  throw new Error(`unhandled rejection: ${e?.stack ?? e}`);
});

/**
 * A mock L1 RPC. `state.tamper[method] = (result, params) => result'` makes
 * it lie; `state.blocks` maps hash → block; `calls` records methods.
 */
async function startRpc(extra = {}) {
  const state = {
    blocks: new Map([[BLOCK.hash, BLOCK]]),
    proofs: new Map([
      [DEPOSIT, DEPOSIT_PROOF],
      [MINER, MINER_PROOF],
    ]),
    receipts: new Map([[BLOCK.hash, RECEIPTS]]),
    codes: new Map(),
    tamper: {},
    beacon: null,
    ...extra,
  };
  const calls = [];
  const server = createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const url = new URL(req.url, 'http://x');
    if (req.method !== 'POST') return state.beacon ? state.beacon(url, send) : send(404, { message: 'not found' });
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const { id, method, params } = JSON.parse(raw);
      calls.push(method);
      let out = null;
      switch (method) {
        case 'eth_getBlockByHash':
          out = state.blocks.get(params[0]) ?? null;
          break;
        case 'eth_getProof':
          out = state.proofs.get(params[0].toLowerCase()) ?? null;
          break;
        case 'eth_getBlockReceipts':
          out = state.receipts.get(params[0]) ?? null;
          break;
        case 'eth_getTransactionReceipt':
          out = [...state.receipts.values()].flat().find((r) => r.transactionHash === params[0]) ?? null;
          break;
        case 'eth_getCode':
          out = state.codes.get(params[0].toLowerCase()) ?? '0x';
          break;
        case 'eth_sendRawTransaction':
          out = `0x${'ab'.repeat(32)}`;
          break;
        default:
          return send(200, { jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found' } });
      }
      const lie = state.tamper[method];
      if (lie && out !== null) out = lie(structuredClone(out), params);
      send(200, { jsonrpc: '2.0', id, result: out });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    state,
    calls,
    url: `${base}/rpc`,
    base,
    async close() {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

async function anchored(t, extra = {}, options = {}) {
  const rpc = await startRpc(extra);
  const provider = createAnchoredProvider({ trustedBlockHash: BLOCK.hash, l1RpcUrl: rpc.url, chainId: 1, requestTimeoutMs: 2000, ...options });
  const client = createPublicClient({ transport: custom(provider, { retryCount: 0 }) });
  t.after(async () => {
    provider.close();
    await rpc.close();
  });
  return { rpc, provider, client };
}

/** Asserts that `p` rejects with a verification error carrying `code`. */
async function rejectsWith(p, code, rpcCode = -32603) {
  await assert.rejects(p, (e) => {
    const found = [];
    for (let x = e; x; x = x.cause) found.push(x);
    // viem wraps the provider's error; the ProviderRpcError is in the cause chain.
    const hit = found.find((x) => x.code === rpcCode && x.name === 'ProviderRpcError') ?? found.find((x) => x.code === rpcCode);
    assert.ok(hit, `expected RPC code ${rpcCode}, got ${found.map((x) => `${x.name}:${x.code}`).join(' <- ')}`);
    if (code) assert.equal(hit.data?.code, code, `expected data.code ${code}, got ${JSON.stringify(hit.data)}`);
    return true;
  });
}

test('viem reads a verified block, balance, nonce and storage through custom(provider)', async (t) => {
  const { client } = await anchored(t);
  assert.equal(await client.getChainId(), 1);
  assert.equal(await client.getBlockNumber(), 21925176n);
  const block = await client.getBlock();
  assert.equal(block.hash, BLOCK.hash);
  assert.equal(block.stateRoot, BLOCK.stateRoot);
  assert.equal(block.receiptsRoot, BLOCK.receiptsRoot);
  assert.equal(block.miner, MINER);
  assert.equal(block.gasUsed, BigInt(BLOCK.gasUsed));
  assert.equal(block.baseFeePerGas, BigInt(BLOCK.baseFeePerGas));
  assert.equal(block.parentBeaconBlockRoot, BLOCK.parentBeaconBlockRoot);
  assert.equal(block.withdrawals.length, 16, 'withdrawals rebuilt the withdrawals root');
  // The fixture lists transaction hashes only: they are not committed without the bodies, so none are reported.
  assert.deepEqual(block.transactions, []);
  const byHash = await client.getBlock({ blockHash: BLOCK.hash });
  assert.equal(byHash.number, 21925176n);
  const finalized = await client.getBlock({ blockTag: 'finalized' });
  assert.equal(finalized.hash, BLOCK.hash);

  assert.equal(await client.getBalance({ address: MINER }), BigInt(MINER_PROOF.balance));
  assert.equal(await client.getBalance({ address: DEPOSIT, blockTag: 'safe' }), BigInt(DEPOSIT_PROOF.balance));
  assert.equal(await client.getTransactionCount({ address: MINER }), Number(MINER_PROOF.nonce));
  const stored = await client.getStorageAt({ address: DEPOSIT, slot: '0x1' });
  assert.equal(stored, `0x${BigInt(SLOT1.value).toString(16).padStart(64, '0')}`);
  assert.equal(await client.getCode({ address: MINER }), undefined, 'an EOA (empty code hash) has no code');
});

test('eth_getBlockReceipts returns the 202 receipts the receipts root commits to', async (t) => {
  const { provider } = await anchored(t);
  const receipts = await provider.request({ method: 'eth_getBlockReceipts', params: [BLOCK.hash] });
  assert.equal(receipts.length, 202);
  for (const [i, r] of receipts.entries()) {
    assert.equal(BigInt(r.status), BigInt(RECEIPTS[i].status));
    assert.equal(BigInt(r.cumulativeGasUsed), BigInt(RECEIPTS[i].cumulativeGasUsed));
    assert.equal(BigInt(r.gasUsed), BigInt(RECEIPTS[i].gasUsed));
    assert.equal(r.logs.length, RECEIPTS[i].logs.length);
    assert.equal(r.logsBloom, RECEIPTS[i].logsBloom);
    // Hashes are not in the receipts root and the block came without bodies.
    assert.equal(r.transactionHash, null);
    assert.equal(r.from, undefined);
  }
});

test('eth_call runs in the local EVM over state proven against the block', async (t) => {
  const { client, rpc } = await anchored(t);
  const r = await client.call({ account: MINER, to: MINER, value: 1n });
  assert.equal(r.data, undefined, 'a transfer to an EOA returns no data');
  assert.ok(rpc.calls.includes('eth_getProof'), 'the call fetched proofs on demand');
  // Code that does not hash to the proven code hash is never executed.
  rpc.state.codes.set(DEPOSIT, '0x6001600155');
  await rejectsWith(client.call({ account: MINER, to: DEPOSIT, data: '0x' }), 'CODE_HASH_MISMATCH');
});

test('a lying RPC gives errors, never values: balance, storage, subject, block fields, receipts, code', async (t) => {
  const { rpc, client, provider } = await anchored(t);
  const { tamper } = rpc.state;

  tamper.eth_getProof = (p) => ({ ...p, balance: `0x${(BigInt(p.balance) + 1n).toString(16)}` });
  await rejectsWith(client.getBalance({ address: MINER }), 'PROOF_VALUE_MISMATCH');
  tamper.eth_getProof = (p) => ({ ...p, storageProof: p.storageProof.map((s) => ({ ...s, value: '0x2a' })) });
  await rejectsWith(client.getStorageAt({ address: DEPOSIT, slot: '0x1' }), 'PROOF_VALUE_MISMATCH');
  // A valid proof of another account is the wrong answer too.
  tamper.eth_getProof = () => structuredClone(MINER_PROOF);
  await rejectsWith(client.getBalance({ address: DEPOSIT }), 'PROOF_SUBJECT_MISMATCH');
  tamper.eth_getProof = () => structuredClone(DEPOSIT_PROOF);
  await rejectsWith(client.getStorageAt({ address: DEPOSIT, slot: '0x2' }), 'PROOF_SUBJECT_MISMATCH');
  delete tamper.eth_getProof;

  rpc.state.codes.set(DEPOSIT, '0x6001600155');
  await rejectsWith(client.getCode({ address: DEPOSIT }), 'CODE_HASH_MISMATCH');

  tamper.eth_getBlockReceipts = (rs) => {
    rs[7].status = rs[7].status === '0x1' ? '0x0' : '0x1';
    return rs;
  };
  await rejectsWith(provider.request({ method: 'eth_getBlockReceipts', params: [BLOCK.hash] }), 'RECEIPTS_ROOT_MISMATCH');
  delete tamper.eth_getBlockReceipts;
  // Without transaction bodies a receipt cannot be bound to its hash: an error, not an unbound receipt.
  await rejectsWith(client.getTransactionReceipt({ hash: RECEIPTS[7].transactionHash }), 'UNVERIFIABLE', -32002);

  // A changed header field: a fresh provider (blocks are cached once verified).
  const lying = await anchored(t, {}, {});
  lying.rpc.state.blocks.set(BLOCK.hash, { ...BLOCK, gasUsed: '0x1' });
  await rejectsWith(lying.client.getBlock({ blockHash: BLOCK.hash }), 'HEADER_HASH_MISMATCH');
});

test('unverifiable methods are 4200 unless passed through; bad params are -32602', async (t) => {
  const { provider } = await anchored(t);
  await rejectsWith(provider.request({ method: 'eth_sendRawTransaction', params: ['0x02'] }), null, 4200);
  await rejectsWith(provider.request({ method: 'eth_getLogs', params: [{}] }), null, 4200);
  await rejectsWith(provider.request({ method: 'eth_getBalance', params: ['0x12', 'latest'] }), null, -32602);
  await rejectsWith(provider.request({ method: 'eth_getBlockByNumber', params: ['latest', true] }), null, -32602);
  await rejectsWith(provider.request({ method: 'eth_getBlockByNumber', params: ['earliest', false] }), null, -32602);
  assert.equal(await provider.request({ method: 'eth_getBlockByNumber', params: ['0x14e8d39', false] }), null, 'above the verified head');
  assert.ok((await provider.request({ method: 'eth_chainId' })) === '0x1');
  assert.deepEqual(await provider.request({ method: 'eth_accounts' }), []);

  const pass = await anchored(t, {}, { passThroughUnverified: ['eth_sendRawTransaction'] });
  assert.equal(await pass.provider.request({ method: 'eth_sendRawTransaction', params: ['0x02'] }), `0x${'ab'.repeat(32)}`);
  assert.throws(() => createAnchoredProvider({ trustedBlockHash: BLOCK.hash, l1RpcUrl: pass.rpc.url, chainId: 1, passThroughUnverified: ['eth_getBalance'] }));
  assert.ok(new ProviderRpcError(4200, 'x') instanceof Error);
});

// ---- the client-backed provider: tags from the light client's verified heads ----

const GENESIS = 1606824023;
const CAPELLA_ROOT = '0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275';
const NOW = GENESIS + 7109432 * 12 + 6;

function beaconMock(url, send) {
  const p = url.pathname;
  if (p.endsWith(`/light_client/bootstrap/${CAPELLA_ROOT}`)) return send(200, text('helios/capella-lc/bootstrap.json'));
  if (p.endsWith('/light_client/updates')) {
    const start = Number(url.searchParams.get('start_period'));
    const count = Number(url.searchParams.get('count'));
    return send(
      200,
      json('helios/capella-lc/updates.json').filter((u) => {
        const period = Math.floor(Number(u.data.attested_header.beacon.slot) / 8192);
        return period >= start && period < start + count;
      }),
    );
  }
  if (p.endsWith('/light_client/finality_update')) return send(200, text('helios/capella-lc/finality.json'));
  if (p.endsWith('/light_client/optimistic_update')) return send(200, text('helios/capella-lc/optimistic.json'));
  return send(404, { message: 'not found' });
}

test('client.provider: tags follow the verified heads, connect and block events, a block that is not the verified head is an error', async (t) => {
  const rpc = await startRpc({ beacon: beaconMock });
  const client = createPreconfClient({
    network: 'mainnet',
    beaconApiUrl: rpc.base,
    l1RpcUrl: rpc.url,
    trustedCheckpoint: CAPELLA_ROOT,
    clock: () => NOW,
    sse: false,
    pollIntervalMs: 60_000,
    tickIntervalMs: 60_000,
  });
  t.after(async () => {
    await client.close();
    await rpc.close();
  });
  const provider = client.provider;
  assert.equal(createEip1193Provider(client) !== provider, true);
  const connected = new Promise((r) => provider.on('connect', r));
  const blocks = [];
  const onBlock = (b) => blocks.push(b);
  provider.on('block', onBlock);
  const viemClient = createPublicClient({ transport: custom(provider, { retryCount: 0 }) });
  assert.equal(await viemClient.getBlockNumber(), BigInt(client.optimistic.execution.blockNumber));
  assert.deepEqual(await connected, { chainId: '0x1' });
  assert.equal(await provider.request({ method: 'eth_chainId' }), '0x1');
  const latest = client.optimistic.execution.blockNumber;
  assert.ok(latest >= 17923112, `head ${latest}`);
  // The RPC has no block for the verified hashes: -32002 (pkg/README.md, "Errors"), never null or some other block.
  await rejectsWith(provider.request({ method: 'eth_getBlockByNumber', params: ['finalized', false] }), 'BLOCK_UNAVAILABLE', -32002);
  await rejectsWith(provider.request({ method: 'eth_getBlockByNumber', params: ['latest', false] }), 'BLOCK_UNAVAILABLE', -32002);
  // A hash the caller names may be unknown: null.
  assert.equal(await provider.request({ method: 'eth_getBlockByHash', params: [`0x${'11'.repeat(32)}`, false] }), null);
  // An RPC that answers the verified head's hash with another block is caught.
  rpc.state.blocks.set(client.optimistic.execution.blockHash, BLOCK);
  await rejectsWith(viemClient.getBlock({ blockTag: 'latest' }), 'HEADER_HASH_MISMATCH');
  // State at the head needs no header request: the light client verified its state root.
  await rejectsWith(viemClient.getBalance({ address: MINER }), 'INVALID_PROOF');
  provider.removeListener('block', onBlock);
  const disconnected = new Promise((r) => provider.on('disconnect', r));
  await client.close();
  assert.equal((await disconnected).code, 4900);
  await rejectsWith(provider.request({ method: 'eth_blockNumber' }), null, 4900);
});
