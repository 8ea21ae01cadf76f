// Target resolvers: turn verified state into a `Status`. The L1 resolver is
// complete; the rollup half adds a resolver for `{ block }`, `{ tx }` and
// `{ action }` driven by the rollup engine, behind the same interface.
import { PreconfLightError } from '../errors.js';
import type { ExecutionSummary, Hex } from '../beacon.js';
import type { Heads } from './core-backend.js';
import { TransportError } from './endpoints.js';
import type { CanonicalBlock, L1Chain } from './l1-chain.js';
import type { Timing } from './timing.js';
import { LEVELS, type Level, type Status, type Target } from './types.js';

/** Evaluates the status of targets of one kind. */
export interface Resolver {
  kind: string;
  evaluate(target: Target): Promise<Status>;
}

/** Order of levels; `reverted` ranks below everything. */
export function levelRank(level: Level): number {
  return level === 'reverted' ? -1 : (LEVELS as readonly string[]).indexOf(level);
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

/** What can still undo an L1 block included on the optimistic chain. */
const L1_INCLUDED_RISKS = ['L1_REORG'];

/**
 * Status of L1 execution blocks. `included`: on the chain of the light
 * client's verified optimistic (attested) execution block, proven by hash
 * chain; `finalized`: at or below the verified finalized execution block, on
 * its chain.
 */
export class L1Resolver implements Resolver {
  readonly kind = 'l1';

  constructor(
    private readonly heads: () => Heads | null,
    private readonly chain: L1Chain,
    private readonly timing: Timing,
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
    const heads = this.heads();
    if (!heads) return { ...base, level: 'unknown', mayRevertIf: [], eta: null, reasonCode: 'NOT_SYNCED', reason: 'the light client is not synced yet' };
    const fin = heads.finalized.execution;
    const opt = heads.optimistic.execution;
    if (!fin || !opt) {
      return { ...base, level: 'unknown', mayRevertIf: [], eta: null, reasonCode: 'NO_EXECUTION_HEADER', reason: 'the verified headers predate Capella and carry no execution block' };
    }
    try {
      let number: number;
      if (byNumber) number = spec;
      else {
        const hash = spec.toLowerCase();
        if (hash === opt.blockHash.toLowerCase()) number = opt.blockNumber;
        else if (hash === fin.blockHash.toLowerCase()) number = fin.blockNumber;
        else if (this.chain.knownHeight(hash) !== undefined) number = this.chain.knownHeight(hash)!;
        else {
          const b = await this.chain.byHash(hash);
          if (!b) {
            return { ...base, level: 'unknown', mayRevertIf: [], eta: null, reasonCode: 'NOT_FOUND', reason: `the L1 RPC does not know block ${hash}` };
          }
          number = b.number;
        }
      }
      if (number > opt.blockNumber) {
        const eta = opt.timestamp + (number - opt.blockNumber) * this.timing.secondsPerSlot;
        return {
          ...base,
          level: 'unknown',
          mayRevertIf: [],
          eta: { level: 'included', at: Math.max(eta, at) },
          reasonCode: 'ABOVE_VERIFIED_HEAD',
          reason: `block ${number} is above the verified L1 head ${opt.blockNumber}`,
        };
      }
      const finalized = number <= fin.blockNumber;
      const anchor: ExecutionSummary = finalized ? fin : opt;
      const block: CanonicalBlock =
        number === anchor.blockNumber
          ? { hash: anchor.blockHash, number, timestamp: anchor.timestamp, childTimestamp: undefined }
          : await this.chain.canonicalAt(number, anchor, this.maxWalk);
      // For the ETA only: a block not fetched itself is at least one slot older than its verified child.
      const approxTime = block.timestamp ?? (block.childTimestamp ?? opt.timestamp) - this.timing.secondsPerSlot;
      const l1 = block.timestamp === undefined ? { number, hash: block.hash } : { number, hash: block.hash, timestamp: block.timestamp };
      if (!byNumber && block.hash.toLowerCase() !== spec.toLowerCase()) {
        return {
          ...base,
          l1,
          level: 'reverted',
          mayRevertIf: [],
          eta: null,
          reasonCode: finalized ? 'NOT_CANONICAL' : 'L1_REORG',
          reason: `block ${number} on the verified ${finalized ? 'finalized' : 'optimistic'} L1 chain is ${block.hash}, not ${spec}`,
        };
      }
      if (finalized) {
        return {
          ...base,
          l1,
          level: 'finalized',
          mayRevertIf: [],
          eta: null,
          reasonCode: 'AT_OR_BELOW_FINALIZED',
          reason: `block ${number} is at or below the verified finalized L1 block ${fin.blockNumber}`,
        };
      }
      return {
        ...base,
        l1,
        level: 'included',
        mayRevertIf: [...L1_INCLUDED_RISKS],
        eta: { level: 'finalized', at: Math.max(this.timing.finalityEta(approxTime), at) },
        reasonCode: 'ON_VERIFIED_CHAIN',
        reason: `block ${number} is on the verified L1 chain (head ${opt.blockNumber}, finalized ${fin.blockNumber})`,
      };
    } catch (e) {
      if (e instanceof PreconfLightError && e.code === 'INVALID_ARGUMENT') throw e;
      const transient = e instanceof TransportError;
      const code = e instanceof PreconfLightError ? e.code : 'INTERNAL';
      return {
        ...base,
        level: 'unknown',
        mayRevertIf: [],
        eta: null,
        reasonCode: code === 'CHAIN_WALK_TOO_DEEP' ? code : transient ? 'L1_RPC_UNAVAILABLE' : 'L1_RPC_FAULTY',
        reason: `cannot verify the block: ${(e as Error)?.message ?? e}`,
      };
    }
  }
}
