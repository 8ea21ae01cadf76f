// An EIP-1193 provider that answers only from verified L1 data.
//
// Pipeline per request: resolve the block parameter to a block hash the
// light client verified (a head, or a block proven canonical by hash chain
// from a head) → fetch what the answer needs from the L1 JSON-RPC (header,
// receipts, `eth_getProof`, code) → verify it in the core against that hash
// or its state / receipts root → answer with the verified fields only. A
// response that fails verification is an error (`-32603`, `data.code` says
// which check), never a value. Methods that cannot be verified are refused
// with 4200 unless the options pass them through (documented as unverified).
import { PreconfLightError } from '../errors.js';
import type { ExecutionSummary, Hex } from '../beacon.js';
import type { VerifiedAccount, VerifiedExecutionBlock } from '../execution.js';
import type { EvmCall, SimulateRequest } from '../evm.js';
import type { CoreBackend } from './core-backend.js';
import { Emitter } from './emitter.js';
import { EndpointPool, TransportError } from './endpoints.js';
import { L1Chain } from './l1-chain.js';
import { pad32, simulateWithState, type StateSource } from './state-loop.js';

/** EIP-1193 / EIP-1474 error codes the provider uses. */
export const RPC_ERROR = {
  UNSUPPORTED_METHOD: 4200,
  DISCONNECTED: 4900,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  RESOURCE_NOT_FOUND: -32001,
  RESOURCE_UNAVAILABLE: -32002,
  /** `eth_call` reverted (the code nodes use; `data` holds the revert data). */
  EXECUTION_REVERTED: 3,
} as const;

/** An EIP-1193 `ProviderRpcError`. `data.code` carries the core's error code when verification failed. */
export class ProviderRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ProviderRpcError';
  }
}

/** `request` arguments (EIP-1193). */
export interface RequestArguments {
  readonly method: string;
  readonly params?: readonly unknown[] | object;
}

/** Events of the provider. */
export interface ProviderEvents {
  /** The provider can serve requests (the light client synced). */
  connect: { chainId: Hex };
  /** The client was closed. */
  disconnect: ProviderRpcError;
  /** The chain id differs from the one announced by `connect`. */
  chainChanged: Hex;
  /** The verified `latest` block moved. */
  block: { number: Hex; hash: Hex };
  /** Never emitted (no accounts); present so wallets' listeners attach. */
  accountsChanged: Hex[];
  /** Never emitted (no subscriptions yet). */
  message: { type: string; data: unknown };
}

/** An EIP-1193 provider. */
export interface Eip1193Provider {
  request(args: RequestArguments): Promise<unknown>;
  on<E extends keyof ProviderEvents>(event: E, listener: (payload: ProviderEvents[E]) => void): Eip1193Provider;
  removeListener<E extends keyof ProviderEvents>(event: E, listener: (payload: ProviderEvents[E]) => void): Eip1193Provider;
}

/** Options of the provider. */
export interface Eip1193ProviderOptions {
  /**
   * Methods forwarded to the L1 RPC as they are, WITHOUT verification (e.g.
   * `eth_sendRawTransaction`, `eth_estimateGas`, `eth_gasPrice`). Their
   * answers come from the RPC alone. Default: none.
   */
  passThroughUnverified?: string[];
  /** Most proof-fetch rounds of one `eth_call`. Default 16. */
  maxCallRounds?: number;
}

/** A simulated hard fork for `eth_call`. */
export type EvmSpec = 'shanghai' | 'cancun' | 'prague';

/** What the provider needs: verified anchors, the core, the L1 RPC. Supplied by the client. */
export interface ProviderSource {
  /** Resolves when the anchors are verified; rejects if they cannot be now. */
  ready(): Promise<void>;
  /** Aborts when the source is closed. */
  signal: AbortSignal;
  core(): CoreBackend;
  rpc: EndpointPool;
  chain(): L1Chain;
  /** The verified `latest` (optimistic) and `finalized` execution blocks. */
  anchors(): { latest: ExecutionSummary | null; finalized: ExecutionSummary | null };
  onHead(cb: () => void): () => void;
  chainId(): number;
  specAt(timestamp: number): EvmSpec;
  maxWalk: number;
}

/** Methods the provider answers from verified data. */
export const VERIFIED_METHODS = [
  'eth_chainId',
  'net_version',
  'eth_accounts',
  'eth_syncing',
  'eth_blockNumber',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBalance',
  'eth_getTransactionCount',
  'eth_getCode',
  'eth_getStorageAt',
  'eth_getProof',
  'eth_getTransactionReceipt',
  'eth_getBlockReceipts',
  'eth_call',
] as const;

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
const QUANTITY_RE = /^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/;
const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';
const EMPTY_OMMERS_HASH = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const BLOCK_CACHE = 64;
/** BLOCKHASH reaches this many blocks back. */
const BLOCKHASH_WINDOW = 256;

const hex = (n: number | bigint): Hex => `0x${n.toString(16)}`;
const invalid = (msg: string) => new ProviderRpcError(RPC_ERROR.INVALID_PARAMS, msg);

/** A verified block reference: the hash, its height, and the verified head it hangs from. */
interface BlockRef {
  hash: Hex;
  number: number;
}

/** A verified header and, when fetched with bodies, the raw RPC block it came from. */
interface VerifiedBlock {
  v: VerifiedExecutionBlock;
  raw: Record<string, unknown>;
}

/** Builds the provider over a source (the client supplies one). */
export function providerFromSource(source: ProviderSource, options: Eip1193ProviderOptions = {}): Eip1193Provider {
  return new VerifiedProvider(source, options);
}

class VerifiedProvider implements Eip1193Provider {
  #events = new Emitter<ProviderEvents>();
  #headers = new Map<string, VerifiedBlock>();
  #full = new Map<string, VerifiedBlock>();
  #passThrough: Set<string>;
  #connected = false;
  #announced: Hex | undefined;

  constructor(
    private readonly src: ProviderSource,
    private readonly opts: Eip1193ProviderOptions,
  ) {
    const verified = new Set<string>(VERIFIED_METHODS);
    for (const m of opts.passThroughUnverified ?? []) {
      if (verified.has(m)) throw new PreconfLightError('INVALID_ARGUMENT', `${m} is answered from verified data; it cannot be passed through`);
    }
    this.#passThrough = new Set(opts.passThroughUnverified ?? []);
    this.#ready().catch(() => {});
    src.signal.addEventListener(
      'abort',
      () => {
        if (this.#connected) this.#events.emit('disconnect', new ProviderRpcError(RPC_ERROR.DISCONNECTED, 'the client was closed'));
        this.#connected = false;
      },
      { once: true },
    );
  }

  on<E extends keyof ProviderEvents>(event: E, listener: (payload: ProviderEvents[E]) => void): Eip1193Provider {
    this.#events.on(event, listener);
    return this;
  }

  removeListener<E extends keyof ProviderEvents>(event: E, listener: (payload: ProviderEvents[E]) => void): Eip1193Provider {
    this.#events.off(event, listener);
    return this;
  }

  async request(args: RequestArguments): Promise<unknown> {
    if (!args || typeof args !== 'object' || typeof args.method !== 'string') throw invalid('request expects { method, params }');
    const params = args.params === undefined ? [] : args.params;
    if (!Array.isArray(params)) throw invalid('params must be an array');
    try {
      return await this.#dispatch(args.method, params);
    } catch (e) {
      throw toRpcError(e, this.src.signal);
    }
  }

  async #dispatch(method: string, p: readonly unknown[]): Promise<unknown> {
    if (this.#passThrough.has(method)) {
      await this.#ready();
      const { result } = await this.src.rpc.rpc(method, [...p], this.src.signal);
      return result;
    }
    switch (method) {
      case 'eth_chainId':
        await this.#ready();
        return hex(this.src.chainId());
      case 'net_version':
        await this.#ready();
        return String(this.src.chainId());
      case 'eth_accounts':
        return [];
      case 'eth_syncing':
        await this.#ready();
        return false;
      case 'eth_blockNumber':
        return hex((await this.#anchor('latest')).blockNumber);
      case 'eth_getBlockByNumber':
      case 'eth_getBlockByHash':
        return this.#getBlock(method, p[0], p[1]);
      case 'eth_getBalance':
        return (await this.#account(p[0], p[1], [])).acc.balance;
      case 'eth_getTransactionCount':
        return (await this.#account(p[0], p[1], [])).acc.nonce;
      case 'eth_getCode':
        return this.#getCode(p[0], p[1]);
      case 'eth_getStorageAt':
        return this.#getStorageAt(p[0], p[1], p[2]);
      case 'eth_getProof':
        return this.#getProof(p[0], p[1], p[2]);
      case 'eth_getTransactionReceipt':
        return this.#getReceipt(p[0]);
      case 'eth_getBlockReceipts':
        return this.#getBlockReceipts(p[0]);
      case 'eth_call':
        return this.#call(p[0], p[1]);
      default:
        throw new ProviderRpcError(
          RPC_ERROR.UNSUPPORTED_METHOD,
          `${method} is not supported: this provider answers only from verified data (pass it through with passThroughUnverified if you accept an unverified answer)`,
        );
    }
  }

  /** Waits for verified anchors; announces `connect` (and starts `block` events) the first time. */
  async #ready(): Promise<void> {
    if (this.src.signal.aborted) throw new ProviderRpcError(RPC_ERROR.DISCONNECTED, 'the client was closed');
    await this.src.ready();
    if (this.#connected || this.src.signal.aborted) return;
    this.#connected = true;
    const chainId = hex(this.src.chainId());
    if (this.#announced !== undefined && this.#announced !== chainId) this.#events.emit('chainChanged', chainId);
    this.#announced = chainId;
    this.#events.emit('connect', { chainId });
    let last: string | undefined;
    this.src.onHead(() => {
      const head = this.src.anchors().latest;
      if (!head || head.blockHash === last) return;
      last = head.blockHash;
      this.#events.emit('block', { number: hex(head.blockNumber), hash: head.blockHash });
    });
  }

  /** A verified head by tag. */
  async #anchor(tag: 'latest' | 'finalized'): Promise<ExecutionSummary> {
    await this.#ready();
    const a = this.src.anchors()[tag];
    if (!a) throw new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, 'the verified headers carry no execution block (pre-Capella)', { code: 'NO_EXECUTION_HEADER' });
    return a;
  }

  /**
   * Resolves a block parameter to a verified block hash. Tags: `latest` and
   * `pending` → the verified optimistic head; `safe` and `finalized` → the
   * verified finalized block. Numbers at or below a head are proven by hash
   * chain from it; `null` for a number above the verified head. Hashes
   * (and EIP-1898 `{ blockHash }`) are taken as given: every block fetched
   * for them must hash to them.
   */
  async #blockRef(param: unknown): Promise<BlockRef | null> {
    let spec: unknown = param ?? 'latest';
    if (typeof spec === 'object' && spec !== null) {
      const o = spec as { blockHash?: unknown; blockNumber?: unknown };
      if (o.blockHash !== undefined) spec = o.blockHash;
      else if (o.blockNumber !== undefined) spec = o.blockNumber;
      else throw invalid('a block object needs blockHash or blockNumber (EIP-1898)');
    }
    if (typeof spec !== 'string') throw invalid('block must be a tag, a 0x quantity or a block hash');
    if (HASH_RE.test(spec)) {
      await this.#ready();
      return { hash: spec.toLowerCase() as Hex, number: -1 };
    }
    if (spec === 'latest' || spec === 'pending') {
      const a = await this.#anchor('latest');
      return { hash: a.blockHash, number: a.blockNumber };
    }
    if (spec === 'safe' || spec === 'finalized') {
      const a = await this.#anchor('finalized');
      return { hash: a.blockHash, number: a.blockNumber };
    }
    if (spec === 'earliest') throw invalid('earliest is not supported: the genesis block is too far below the verified head to prove');
    if (!QUANTITY_RE.test(spec)) throw invalid(`invalid block parameter ${spec}`);
    const n = Number(BigInt(spec));
    const latest = await this.#anchor('latest');
    if (n > latest.blockNumber) return null;
    const fin = await this.#anchor('finalized');
    const anchor = n <= fin.blockNumber ? fin : latest;
    if (n === anchor.blockNumber) return { hash: anchor.blockHash, number: n };
    const c = await this.src.chain().canonicalAt(n, anchor, this.src.maxWalk);
    return { hash: c.hash, number: n };
  }

  /** As `#blockRef`, but a block above the verified head is an error. */
  async #needRef(param: unknown): Promise<BlockRef> {
    const ref = await this.#blockRef(param);
    if (!ref) throw new ProviderRpcError(RPC_ERROR.RESOURCE_NOT_FOUND, 'the block is above the verified head', { code: 'ABOVE_VERIFIED_HEAD' });
    return ref;
  }

  /** The verified header of `hash` (with bodies when `full`); `null` if the RPC does not know the block. */
  async #block(hash: Hex, full: boolean): Promise<VerifiedBlock | null> {
    const hit = (full ? this.#full : this.#headers).get(hash) ?? (full ? undefined : this.#full.get(hash));
    if (hit) return hit;
    const { result } = await this.src.rpc.rpc('eth_getBlockByHash', [hash, full], this.src.signal);
    if (result === null || typeof result !== 'object') return null;
    const v = await this.src.core().verifyExecutionBlock(result, hash);
    const out = { v, raw: result as Record<string, unknown> };
    const cache = full ? this.#full : this.#headers;
    if (cache.size >= BLOCK_CACHE) cache.delete(cache.keys().next().value as string);
    cache.set(hash, out);
    return out;
  }

  async #needBlock(hash: Hex, full: boolean): Promise<VerifiedBlock> {
    const b = await this.#block(hash, full);
    if (!b) throw new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, `the L1 RPC does not serve block ${hash}`, { code: 'BLOCK_UNAVAILABLE' });
    return b;
  }

  /** The verified state root at a block parameter (no request at a verified head). */
  async #stateAt(param: unknown): Promise<{ stateRoot: Hex; number: number; hash: Hex }> {
    const ref = await this.#needRef(param);
    const heads = this.src.anchors();
    for (const h of [heads.latest, heads.finalized]) {
      if (h && h.blockHash.toLowerCase() === ref.hash) return { stateRoot: h.stateRoot, number: h.blockNumber, hash: ref.hash };
    }
    const b = await this.#needBlock(ref.hash, false);
    return { stateRoot: b.v.stateRoot, number: b.v.number, hash: ref.hash };
  }

  async #getBlock(method: string, blockParam: unknown, fullTxs: unknown): Promise<unknown> {
    if (fullTxs === true) {
      throw invalid('full transaction objects are not served (their sender is not verifiable here); pass false to get verified transaction hashes');
    }
    let ref: BlockRef | null;
    if (method === 'eth_getBlockByHash') {
      if (typeof blockParam !== 'string' || !HASH_RE.test(blockParam)) throw invalid('eth_getBlockByHash expects a 32-byte block hash');
      await this.#ready();
      ref = { hash: blockParam.toLowerCase() as Hex, number: -1 };
    } else {
      if (typeof blockParam === 'string' && HASH_RE.test(blockParam)) throw invalid('eth_getBlockByNumber expects a tag or a quantity');
      ref = await this.#blockRef(blockParam);
    }
    if (!ref) return null;
    const b = await this.#block(ref.hash, true);
    return b ? blockJson(b) : null;
  }

  /** Fetches and verifies `eth_getProof` for `address` (and `slots`) at a block. */
  async #account(address: unknown, blockParam: unknown, slots: Hex[]): Promise<{ acc: VerifiedAccount; proof: unknown; at: { stateRoot: Hex; number: number } }> {
    if (typeof address !== 'string' || !ADDRESS_RE.test(address)) throw invalid('expected a 20-byte 0x address');
    const at = await this.#stateAt(blockParam);
    const { result: proof } = await this.src.rpc.rpc('eth_getProof', [address, slots, hex(at.number)], this.src.signal);
    const acc = await this.src.core().verifyAccountProof(at.stateRoot, proof);
    // A valid proof of another account or slot is still the wrong answer.
    if (acc.address.toLowerCase() !== address.toLowerCase()) {
      throw new PreconfLightError('PROOF_SUBJECT_MISMATCH', `the proof is for ${acc.address}, not ${address}`);
    }
    for (const slot of slots) {
      if (!acc.storage.some((s) => BigInt(s.key) === BigInt(slot))) throw new PreconfLightError('PROOF_SUBJECT_MISMATCH', `the proof does not cover slot ${slot}`);
    }
    return { acc, proof, at };
  }

  async #getCode(address: unknown, blockParam: unknown): Promise<Hex> {
    const { acc, proof, at } = await this.#account(address, blockParam, []);
    if (!acc.exists || acc.codeHash.toLowerCase() === EMPTY_CODE_HASH) return '0x';
    const { result: code } = await this.src.rpc.rpc('eth_getCode', [address, hex(at.number)], this.src.signal);
    if (typeof code !== 'string') throw new PreconfLightError('DECODE_ERROR', 'eth_getCode did not return a hex string');
    await this.src.core().verifyCode(at.stateRoot, proof, code);
    return code.toLowerCase() as Hex;
  }

  async #getStorageAt(address: unknown, slot: unknown, blockParam: unknown): Promise<Hex> {
    const key = slotKey(slot);
    const { acc } = await this.#account(address, blockParam, [key]);
    const entry = acc.storage.find((s) => BigInt(s.key) === BigInt(key))!;
    return pad32(entry.value);
  }

  async #getProof(address: unknown, slots: unknown, blockParam: unknown): Promise<unknown> {
    if (!Array.isArray(slots)) throw invalid('eth_getProof expects an array of storage keys');
    const keys = slots.map(slotKey);
    const { proof } = await this.#account(address, blockParam, keys);
    // The proof verified against the block's state root: it is returned as served.
    return proof;
  }

  async #getReceipt(txHash: unknown): Promise<unknown> {
    if (typeof txHash !== 'string' || !HASH_RE.test(txHash)) throw invalid('expected a 32-byte transaction hash');
    await this.#ready();
    const { result } = await this.src.rpc.rpc('eth_getTransactionReceipt', [txHash], this.src.signal);
    if (result === null) return null;
    const r = result as { blockHash?: unknown; blockNumber?: unknown };
    if (typeof r.blockHash !== 'string' || !HASH_RE.test(r.blockHash) || typeof r.blockNumber !== 'string' || !QUANTITY_RE.test(r.blockNumber)) {
      throw new PreconfLightError('DECODE_ERROR', 'the receipt names no valid block');
    }
    // The receipt's block must be the canonical one at its height.
    const ref = await this.#blockRef(r.blockNumber);
    if (!ref) return null; // not yet under the verified head
    if (ref.hash !== r.blockHash.toLowerCase()) {
      throw new PreconfLightError('NOT_CANONICAL', `block ${r.blockNumber} on the verified chain is ${ref.hash}, not ${r.blockHash}`);
    }
    const receipts = await this.#blockReceipts(ref.hash);
    const index = receipts.block.v.transactionHashes?.indexOf(txHash.toLowerCase() as Hex) ?? -2;
    if (index === -2) {
      throw new PreconfLightError('UNVERIFIABLE', 'the L1 RPC returned no transaction bodies, so the transaction hash cannot be bound to a receipt');
    }
    if (index < 0) throw new PreconfLightError('NOT_IN_BLOCK', `transaction ${txHash} is not in block ${ref.hash}`);
    return receipts.list[index];
  }

  async #getBlockReceipts(blockParam: unknown): Promise<unknown> {
    const ref = await this.#blockRef(blockParam);
    if (!ref) return null;
    return (await this.#blockReceipts(ref.hash)).list;
  }

  /** Every receipt of a block, verified against its receipts root and header bloom. */
  async #blockReceipts(hash: Hex): Promise<{ block: VerifiedBlock; list: Record<string, unknown>[] }> {
    const block = await this.#needBlock(hash, true);
    const { result } = await this.src.rpc.rpc('eth_getBlockReceipts', [hash], this.src.signal);
    if (!Array.isArray(result)) throw new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, 'the L1 RPC does not serve eth_getBlockReceipts for this block', { code: 'RECEIPTS_UNAVAILABLE' });
    const verified = await this.src.core().verifyBlockReceipts(block.raw, result, hash);
    const v = block.v;
    const hashes = v.transactionHashes;
    const txs = Array.isArray(block.raw.transactions) ? (block.raw.transactions as Record<string, unknown>[]) : [];
    const baseFee = v.header.baseFeePerGas ? BigInt(v.header.baseFeePerGas) : undefined;
    let prevCum = 0n;
    const list = verified.receipts.map((rc, i) => {
      const cum = BigInt(rc.cumulativeGasUsed);
      const txHash = hashes?.[i] ?? null;
      const logs = verified.logs
        .filter((l) => l.transactionIndex === i)
        .map((l) => ({
          address: l.address,
          topics: l.topics,
          data: l.data,
          blockHash: v.hash,
          blockNumber: hex(v.number),
          transactionHash: txHash,
          transactionIndex: hex(i),
          logIndex: hex(l.logIndex),
          removed: false,
        }));
      const out: Record<string, unknown> = {
        transactionHash: txHash,
        transactionIndex: hex(i),
        blockHash: v.hash,
        blockNumber: hex(v.number),
        type: rc.type,
        status: rc.status,
        cumulativeGasUsed: rc.cumulativeGasUsed,
        gasUsed: hex(cum - prevCum),
        logsBloom: rc.logsBloom,
        logs,
      };
      prevCum = cum;
      // `to` and the fee fields are in the verified transaction envelope; `from` is not (no sender recovery).
      const tx = hashes ? txs[i] : undefined;
      if (tx) {
        out.to = typeof tx.to === 'string' ? tx.to.toLowerCase() : null;
        const price = effectiveGasPrice(tx, baseFee);
        if (price !== undefined) out.effectiveGasPrice = hex(price);
      }
      return out;
    });
    return { block, list };
  }

  async #call(callParam: unknown, blockParam: unknown): Promise<Hex> {
    const call = toEvmCall(callParam);
    const ref = await this.#needRef(blockParam);
    const b = await this.#needBlock(ref.hash, false);
    const h = b.v.header;
    const request: SimulateRequest = {
      stateRoot: b.v.stateRoot,
      proofs: [],
      codes: [],
      blockHashes: [],
      block: {
        chainId: this.src.chainId(),
        spec: this.src.specAt(b.v.timestamp),
        number: b.v.number,
        timestamp: b.v.timestamp,
        beneficiary: h.miner as Hex,
        gasLimit: h.gasLimit as Hex,
        ...(h.baseFeePerGas ? { baseFee: h.baseFeePerGas } : {}),
        ...(h.mixHash ? { prevRandao: h.mixHash } : {}),
        ...(h.excessBlobGas ? { excessBlobGas: h.excessBlobGas } : {}),
      },
      txs: [call],
    };
    const rounds = this.opts.maxCallRounds ?? 16;
    const source: StateSource = {
      proof: async (a, keys) => (await this.src.rpc.rpc('eth_getProof', [a, keys, hex(b.v.number)], this.src.signal)).result as object,
      code: async (a) => {
        const { result } = await this.src.rpc.rpc('eth_getCode', [a, hex(b.v.number)], this.src.signal);
        return typeof result === 'string' ? (result as Hex) : null;
      },
      blockHash: async (num) => {
        if (num >= b.v.number || num < b.v.number - BLOCKHASH_WINDOW) return null;
        return (await this.src.chain().canonicalAt(num, { blockHash: b.v.hash, blockNumber: b.v.number }, this.src.maxWalk)).hash;
      },
    };
    const r = await simulateWithState(this.src.core(), request, source, rounds);
    if (r) {
      const o = r.outcomes[0]!;
      if (o.success) return o.output;
      throw new ProviderRpcError(RPC_ERROR.EXECUTION_REVERTED, `execution reverted${o.revertReason ? `: ${o.revertReason}` : ''}`, o.output);
    }
    throw new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, `eth_call needed more than ${rounds} rounds of state`, { code: 'TOO_MANY_ROUNDS' });
  }
}

/** The verified block as `eth_getBlockBy*` returns it: header fields, hash, and only bodies the core rebuilt. */
function blockJson(b: VerifiedBlock): Record<string, unknown> {
  const out: Record<string, unknown> = { ...b.v.header, hash: b.v.hash };
  if (b.v.header.sha3Uncles?.toLowerCase() === EMPTY_OMMERS_HASH) out.uncles = [];
  if (b.v.transactionHashes) out.transactions = b.v.transactionHashes;
  if (b.v.withdrawalsChecked && Array.isArray(b.raw.withdrawals)) {
    out.withdrawals = (b.raw.withdrawals as Record<string, string>[]).map((w) => ({
      index: hex(BigInt(w.index!)),
      validatorIndex: hex(BigInt(w.validatorIndex!)),
      address: w.address!.toLowerCase(),
      amount: hex(BigInt(w.amount!)),
    }));
  }
  return out;
}

/** The price paid per gas, from the verified envelope fields and base fee. */
function effectiveGasPrice(tx: Record<string, unknown>, baseFee: bigint | undefined): bigint | undefined {
  try {
    if (typeof tx.maxFeePerGas === 'string' && typeof tx.maxPriorityFeePerGas === 'string' && baseFee !== undefined) {
      const max = BigInt(tx.maxFeePerGas);
      const tip = BigInt(tx.maxPriorityFeePerGas);
      return max < baseFee + tip ? max : baseFee + tip;
    }
    const type = typeof tx.type === 'string' ? Number(BigInt(tx.type)) : 0;
    if ((type === 0 || type === 1) && typeof tx.gasPrice === 'string') return BigInt(tx.gasPrice);
  } catch {
    /* not a quantity: leave the field out */
  }
  return undefined;
}

function slotKey(slot: unknown): Hex {
  if (typeof slot !== 'string' || !/^0x[0-9a-fA-F]{0,64}$/.test(slot) || slot === '0x') throw invalid('a storage slot is a 0x quantity or a 32-byte key');
  return pad32(slot);
}

function toEvmCall(p: unknown): EvmCall {
  if (!p || typeof p !== 'object') throw invalid('eth_call expects a call object');
  const c = p as Record<string, unknown>;
  const addr = (v: unknown, name: string): Hex | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !ADDRESS_RE.test(v)) throw invalid(`${name} must be a 20-byte 0x address`);
    return v.toLowerCase() as Hex;
  };
  const qty = (v: unknown, name: string): Hex | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !QUANTITY_RE.test(v)) throw invalid(`${name} must be a 0x quantity`);
    return v as Hex;
  };
  const data = c.input ?? c.data;
  if (data !== undefined && data !== null && (typeof data !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(data))) throw invalid('data must be 0x bytes');
  const to = addr(c.to, 'to');
  const value = qty(c.value, 'value');
  const gas = qty(c.gas, 'gas');
  return {
    from: addr(c.from, 'from') ?? ZERO_ADDRESS,
    ...(to ? { to } : {}),
    ...(value ? { value } : {}),
    ...(gas ? { gas } : {}),
    ...(typeof data === 'string' ? { data: data as Hex } : {}),
  };
}

/** Codes that mean "cannot answer now", not "the endpoint lied". */
const UNAVAILABLE = new Set(['RPC_ERROR', 'CHAIN_WALK_TOO_DEEP', 'UNVERIFIABLE', 'NOT_SYNCED', 'NOT_INITIALIZED']);

/** Maps any failure to a `ProviderRpcError`: transport → -32002, failed verification → -32603 with `data.code`. */
function toRpcError(e: unknown, signal: AbortSignal): ProviderRpcError {
  if (e instanceof ProviderRpcError) return e;
  if (signal.aborted) return new ProviderRpcError(RPC_ERROR.DISCONNECTED, 'the client was closed');
  if (e instanceof TransportError) return new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, `the L1 RPC is unavailable: ${e.message}`, { code: e.code });
  if (e instanceof PreconfLightError) {
    if (UNAVAILABLE.has(e.code)) return new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, e.message, { code: e.code });
    if (e.code === 'INVALID_ARGUMENT' || e.code === 'INVALID_INPUT') return new ProviderRpcError(RPC_ERROR.INVALID_PARAMS, e.message, { code: e.code });
    return new ProviderRpcError(RPC_ERROR.INTERNAL, `the L1 RPC's answer failed verification (${e.code}): ${e.message}`, { code: e.code });
  }
  return new ProviderRpcError(RPC_ERROR.INTERNAL, String((e as Error)?.message ?? e), { code: 'INTERNAL' });
}

/** Options of `createAnchoredProvider`. */
export interface AnchoredProviderOptions extends Eip1193ProviderOptions {
  /** An execution block hash you trust (e.g. from your own node or a checkpoint). Every tag maps to it. */
  trustedBlockHash: Hex | string;
  /** L1 execution JSON-RPC URL(s). */
  l1RpcUrl: string | string[];
  /** EIP-155 chain id of that chain. */
  chainId: number;
  /** EVM rules for `eth_call`. Default: by mainnet's schedule when `chainId` is 1, else `prague`. */
  spec?: EvmSpec;
  fetch?: typeof fetch;
  /** Timeout of one HTTP request (ms). Default 10000. */
  requestTimeoutMs?: number;
  /** Most blocks walked back by hash chain from the anchor. Default 256. */
  maxChainWalk?: number;
}

/** Mainnet execution fork activation times (unix seconds). */
const MAINNET_CANCUN = 1710338135;
const MAINNET_PRAGUE = 1746612311;

/**
 * A provider anchored on one trusted execution block hash instead of the
 * light client: `latest`, `safe` and `finalized` all name that block, lower
 * numbers are proven by hash chain from it. Its `close()` stops it.
 */
export function anchoredProvider(options: AnchoredProviderOptions, core: CoreBackend, ready: Promise<void>): Eip1193Provider & { close(): void } {
  if (!options || typeof options.trustedBlockHash !== 'string' || !HASH_RE.test(options.trustedBlockHash)) {
    throw new PreconfLightError('INVALID_ARGUMENT', 'trustedBlockHash must be a 32-byte 0x block hash');
  }
  if (!Number.isSafeInteger(options.chainId) || options.chainId <= 0) throw new PreconfLightError('INVALID_ARGUMENT', 'chainId is required');
  const abort = new AbortController();
  const fetchFn = options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const urls = Array.isArray(options.l1RpcUrl) ? options.l1RpcUrl : [options.l1RpcUrl];
  const rpc = new EndpointPool('l1Rpc', urls, fetchFn, options.requestTimeoutMs ?? 10_000, () => {});
  const chain = new L1Chain(core, rpc, abort.signal);
  const hash = options.trustedBlockHash.toLowerCase() as Hex;
  let anchor: ExecutionSummary | null = null;
  let pending: Promise<void> | undefined;
  // Verifies the anchor on first use; a failure is the request's error (tried again on the next one).
  const verifyAnchor = (): Promise<void> => {
    if (anchor) return Promise.resolve();
    pending ??= (async () => {
      try {
        await ready;
        const { result } = await rpc.rpc('eth_getBlockByHash', [hash, false], abort.signal);
        if (result === null) throw new TransportError('BLOCK_UNAVAILABLE', `the L1 RPC does not serve the anchor ${hash}`);
        const v = await core.verifyExecutionBlock(result, hash);
        anchor = { blockHash: hash, parentHash: v.parentHash, blockNumber: v.number, stateRoot: v.stateRoot, receiptsRoot: v.receiptsRoot, timestamp: v.timestamp };
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
  const source: ProviderSource = {
    ready: verifyAnchor,
    signal: abort.signal,
    core: () => core,
    rpc,
    chain: () => chain,
    anchors: () => ({ latest: anchor, finalized: anchor }),
    onHead: () => () => {},
    chainId: () => options.chainId,
    specAt: (ts) => options.spec ?? (options.chainId !== 1 ? 'prague' : ts >= MAINNET_PRAGUE ? 'prague' : ts >= MAINNET_CANCUN ? 'cancun' : 'shanghai'),
    maxWalk: options.maxChainWalk ?? 256,
  };
  const provider = new VerifiedProvider(source, options);
  return Object.assign(provider, {
    close() {
      abort.abort(new PreconfLightError('CLOSED', 'the provider was closed'));
      void core.close();
    },
  });
}
