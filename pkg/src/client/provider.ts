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
//
// Modules: provider-api (types, errors), provider-params (request checks),
// provider-json (answer shapes), provider-call (`eth_call` proof rounds),
// provider-anchored (`createAnchoredProvider`); this one dispatches.
import { PreconfLightError } from '../errors.js';
import type { ExecutionSummary, Hex } from '../beacon.js';
import type { VerifiedAccount } from '../execution.js';
import { Emitter } from './emitter.js';
import {
  ProviderRpcError,
  RPC_ERROR,
  VERIFIED_METHODS,
  toRpcError,
  type Eip1193Provider,
  type Eip1193ProviderOptions,
  type ProviderEvents,
  type ProviderSource,
  type RequestArguments,
} from './provider-api.js';
import { verifiedCall } from './provider-call.js';
import { blockJson, receiptsJson, type VerifiedBlock } from './provider-json.js';
import { ADDRESS_RE, HASH_RE, QUANTITY_RE, hex, invalid, pad32, slotKey, toEvmCall } from './provider-params.js';

export {
  ProviderRpcError,
  RPC_ERROR,
  VERIFIED_METHODS,
  type Eip1193Provider,
  type Eip1193ProviderOptions,
  type EvmSpec,
  type ProviderEvents,
  type ProviderSource,
  type RequestArguments,
} from './provider-api.js';
export { anchoredProvider, type AnchoredProviderOptions } from './provider-anchored.js';

const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';
const BLOCK_CACHE = 64;

/** A verified block reference: the hash, its height, and the verified head it hangs from. */
interface BlockRef {
  hash: Hex;
  number: number;
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
    const hash = await this.src.chain().canonicalAt(n, anchor, this.src.maxWalk);
    return { hash, number: n };
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
    // A tag or a number resolved to a block the light client verified exists:
    // an RPC without it cannot serve the answer (-32002), the block is not
    // "unknown". Only a hash the caller gave may name no block (null).
    if (ref.number < 0) {
      const b = await this.#block(ref.hash, true);
      return b ? blockJson(b) : null;
    }
    return blockJson(await this.#needBlock(ref.hash, true));
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
    return { block, list: receiptsJson(block, verified) };
  }

  async #call(callParam: unknown, blockParam: unknown): Promise<Hex> {
    const call = toEvmCall(callParam);
    const ref = await this.#needRef(blockParam);
    const b = await this.#needBlock(ref.hash, false);
    return verifiedCall(this.src, b, call, this.opts.maxCallRounds ?? 16);
  }
}
