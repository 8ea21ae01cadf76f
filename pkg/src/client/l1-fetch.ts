// Fetches the L1 execution blocks the core asks for. The core holds the
// verified blocks and decides (L1-block levels, the hash-chain walk from a
// verified block: src/confidence/l1_blocks.rs); this file only fetches each
// `eth_getBlockByHash` answer the core names, trying every endpoint, and
// hands it to the core, which checks that its header hashes to the name.
import { PreconfLightError } from '../errors.js';
import type { Hex } from '../beacon.js';
import type { CoreBackend } from './core-backend.js';
import { TransportError, type EndpointPool } from './endpoints.js';

/** Feeds the core the L1 blocks it needs. */
export class L1Fetch {
  constructor(
    private readonly core: CoreBackend,
    private readonly rpc: EndpointPool,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * Fetches block `hash` and gives it to the core (which verifies and holds
   * it). `false` if no endpoint knows the block. Transport failures throw
   * `TransportError`; a block that does not hash to `hash` marks the
   * endpoint faulty and the next one is tried.
   */
  async block(hash: string): Promise<boolean> {
    let lastError: unknown;
    for (let i = 0; i < this.rpc.states.length; i++) {
      let url = this.rpc.url;
      try {
        const { url: u, result } = await this.rpc.rpc('eth_getBlockByHash', [hash, false], this.signal);
        url = u;
        if (result === null) return false;
        await this.core.l1Insert(result, hash);
        this.rpc.mark('ok', undefined, undefined, url);
        return true;
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
   * The canonical block hash at `number` at or below the verified `anchor`:
   * the core walks parent hashes through the blocks it holds and names the
   * next one to fetch, at most `maxFetches` per call (`CHAIN_WALK_TOO_DEEP`).
   */
  async canonicalAt(number: number, anchor: { blockHash: Hex; blockNumber: number }, maxFetches: number): Promise<Hex> {
    for (let fetched = 0; ; fetched++) {
      const a = await this.core.l1CanonicalAt(number, anchor, maxFetches, fetched);
      if ('hash' in a) return a.hash;
      if (!(await this.block(a.need))) throw new TransportError('BLOCK_UNAVAILABLE', `the L1 RPC does not serve block ${a.need}`);
    }
  }
}
