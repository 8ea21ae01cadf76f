// L1 execution blocks proven by hash chain from a verified block: each
// `eth_getBlockByHash` answer is checked by the core (keccak of the header
// equals the requested hash), and its `parentHash` is then itself verified
// data, so walking parents from a block the light client verified proves
// the canonical block at each lower height.
import { PreconfLightError } from '../errors.js';
import type { Hex } from '../beacon.js';
import type { CoreBackend } from './core-backend.js';
import { TransportError, type EndpointPool } from './endpoints.js';

/** A verified execution block, as far as the chain walk needs it. */
export interface ChainBlock {
  hash: Hex;
  number: number;
  parentHash: Hex;
  timestamp: number;
}

const CACHE_LIMIT = 4096;

/** Verifies and caches L1 execution blocks fetched by hash. */
export class L1Chain {
  #byHash = new Map<string, ChainBlock>();
  /** Heights of hashes named as `parentHash` by verified blocks. */
  #parentHeights = new Map<string, number>();

  constructor(
    private readonly core: CoreBackend,
    private readonly rpc: EndpointPool,
    private readonly signal: AbortSignal,
  ) {}

  /** The height of `hash` if a verified block names it as its parent (no request). */
  knownHeight(hash: string): number | undefined {
    const key = hash.toLowerCase();
    return this.#byHash.get(key)?.number ?? this.#parentHeights.get(key);
  }

  /**
   * Fetches the block `hash` from the L1 RPC and verifies that its header
   * hashes to `hash`. `null` if no endpoint knows the block. Transport
   * failures throw `TransportError`; a block that does not hash to `hash`
   * marks the endpoint faulty and throws.
   */
  async byHash(hash: string): Promise<ChainBlock | null> {
    const key = hash.toLowerCase();
    const hit = this.#byHash.get(key);
    if (hit) return hit;
    let lastError: unknown;
    for (let i = 0; i < this.rpc.states.length; i++) {
      let url = this.rpc.url;
      try {
        const { url: u, result } = await this.rpc.rpc('eth_getBlockByHash', [key, false], this.signal);
        url = u;
        if (result === null) return null;
        const v = await this.core.verifyExecutionBlock(result, key);
        const block: ChainBlock = { hash: v.hash, number: v.number, parentHash: v.parentHash, timestamp: v.timestamp };
        this.rpc.mark('ok', undefined, undefined, url);
        if (this.#byHash.size >= CACHE_LIMIT) this.#byHash.delete(this.#byHash.keys().next().value as string);
        if (this.#parentHeights.size >= CACHE_LIMIT) this.#parentHeights.delete(this.#parentHeights.keys().next().value as string);
        this.#byHash.set(key, block);
        if (block.number > 0) this.#parentHeights.set(block.parentHash.toLowerCase(), block.number - 1);
        return block;
      } catch (e) {
        lastError = e;
        if (this.signal.aborted) throw e;
        const pe = e instanceof PreconfLightError ? e : new PreconfLightError('INTERNAL', String(e));
        this.rpc.mark(e instanceof TransportError ? 'stale' : 'faulty', pe.code, pe.message, url);
      }
    }
    throw lastError;
  }

  /**
   * The canonical block at height `number` below the verified `anchor`,
   * walking parent hashes: each fetched block is verified against the hash
   * its verified child names, so the target's own hash is known from its
   * child without fetching it (its timestamp is then known only if it was
   * verified before). Blocks verified before are reused, so a watched block
   * stays cheap to re-check as the head moves; at most `maxFetches` blocks
   * are fetched per call, and walks longer than `16 * maxFetches` are
   * refused outright.
   */
  async canonicalAt(number: number, anchor: { blockHash: Hex; blockNumber: number }, maxFetches: number): Promise<CanonicalBlock> {
    const depth = anchor.blockNumber - number;
    if (depth < 0) throw new PreconfLightError('INVALID_ARGUMENT', `block ${number} is above the anchor ${anchor.blockNumber}`);
    const tooDeep = () =>
      new PreconfLightError('CHAIN_WALK_TOO_DEEP', `block ${number} is ${depth} blocks below the verified block ${anchor.blockNumber}; more than ${maxFetches} unverified blocks in between`);
    if (depth > 16 * maxFetches) throw tooDeep();
    let hash: Hex = anchor.blockHash;
    let childTimestamp: number | undefined;
    let fetches = 0;
    for (let n = anchor.blockNumber; n > number; n--) {
      if (!this.#byHash.has(hash.toLowerCase()) && fetches++ >= maxFetches) throw tooDeep();
      const b = await this.byHash(hash);
      if (!b) throw new TransportError('BLOCK_UNAVAILABLE', `the L1 RPC does not serve block ${hash}`);
      if (b.number !== n) throw new PreconfLightError('INVALID_HEADER_CHAIN', `block ${hash} has number ${b.number}, expected ${n}`);
      hash = b.parentHash;
      childTimestamp = b.timestamp;
    }
    const known = this.#byHash.get(hash.toLowerCase());
    return { hash, number, timestamp: known?.timestamp, childTimestamp };
  }
}

/** A block proven canonical by hash chain. */
export interface CanonicalBlock {
  hash: Hex;
  number: number;
  /** Its verified timestamp, when the block itself was verified. */
  timestamp: number | undefined;
  /** The verified timestamp of its child (for estimates), when one was walked. */
  childTimestamp: number | undefined;
}
