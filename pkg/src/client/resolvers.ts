// Target resolvers: the core's answers as a `Status`. `{ l1Block }` is
// answered by the core's L1-block levels (this file fetches what it needs);
// `{ block }`, `{ tx }` and `{ action }` by the rollup engine (rollup.ts),
// behind the same interface.
import { PreconfLightError } from '../errors.js';
import type { Hex } from '../beacon.js';
import type { CoreBackend, Heads } from './core-backend.js';
import { TransportError } from './endpoints.js';
import type { L1Fetch } from './l1-fetch.js';
import type { Status, Target } from './types.js';

/** Evaluates the status of targets of one kind. */
export interface Resolver {
  kind: string;
  evaluate(target: Target): Promise<Status>;
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

/**
 * Status of L1 execution blocks, decided by the core (`L1Blocks`,
 * src/confidence/l1_blocks.rs) from the light client's verified heads:
 * `included` on the chain of the verified optimistic execution block,
 * `finalized` at or below the verified finalized one, proven by hash chain.
 * This resolver only fetches the blocks the core asks for; an endpoint that
 * fails leaves the target `unknown` with the transport's reason.
 */
export class L1Resolver implements Resolver {
  readonly kind = 'l1';

  constructor(
    private readonly heads: () => Heads | null,
    private readonly core: () => CoreBackend,
    private readonly fetch: L1Fetch,
    private readonly maxWalk: number,
    private readonly now: () => number,
  ) {}

  async evaluate(target: Target): Promise<Status> {
    const spec = (target as { l1Block: number | Hex }).l1Block;
    const byNumber = typeof spec === 'number';
    if (byNumber ? !Number.isSafeInteger(spec) || spec < 0 : typeof spec !== 'string' || !HASH_RE.test(spec)) {
      throw new PreconfLightError('INVALID_ARGUMENT', 'l1Block must be a block number or a 32-byte 0x hash');
    }
    const at = this.now();
    const base = { target, at };
    if (!this.heads()) return { ...base, level: 'unknown', mayRevertIf: [], eta: null, reasonCode: 'NOT_SYNCED', reason: 'the light client is not synced yet' };
    try {
      for (let fetched = 0; ; fetched++) {
        const a = await this.core().l1Status(spec, at, this.maxWalk, fetched);
        if (!('need' in a)) return { ...base, ...a };
        if (!(await this.fetch.block(a.need))) {
          if (a.target) return { ...base, level: 'unknown', mayRevertIf: [], eta: null, reasonCode: 'NOT_FOUND', reason: `the L1 RPC does not know block ${a.need}` };
          throw new TransportError('BLOCK_UNAVAILABLE', `the L1 RPC does not serve block ${a.need}`);
        }
      }
    } catch (e) {
      if (e instanceof PreconfLightError && e.code === 'INVALID_ARGUMENT') throw e;
      const transient = e instanceof TransportError;
      const code = e instanceof PreconfLightError ? e.code : 'INTERNAL';
      return {
        ...base,
        level: 'unknown',
        mayRevertIf: [],
        eta: null,
        reasonCode: transient ? 'L1_RPC_UNAVAILABLE' : 'L1_RPC_FAULTY',
        reason: `cannot verify the block: ${(e as Error)?.message ?? code}`,
      };
    }
  }
}
