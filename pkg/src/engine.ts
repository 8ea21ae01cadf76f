// The rollup confidence engine: typed wrapper over the wasm PreconfEngine.
//
// One door in, one way out: `step(input)` takes any engine input and returns
// the core's step `{ added, events, needs }`; `query(q)` answers a status or
// the liveness. JS never hands the engine an L1 fact: L1 inputs are raw RPC
// answers (or the light client's verified heads, read inside wasm) that the
// core verifies. The output types below are the JSON of the core's serde
// types (src/confidence/status.rs); `pkg/test/format-check.ts`, generated
// from Rust, fails the build when the two disagree.
import * as wasm from '../wasm/preconf_light.js';
import { BeaconLightClient, type Hex } from './beacon.js';
import { DOWNGRADE_REASONS, LEVEL_ORDER, REJECT_REASONS, REVERT_RISKS } from './core-format.js';
import { guard } from './errors.js';

export { DOWNGRADE_REASONS, LEVEL_ORDER, REJECT_REASONS, REVERT_RISKS } from './core-format.js';

/** Confidence levels, lowest to highest (`LEVEL_ORDER`); `reverted` is terminal. */
export type ConfidenceLevel = (typeof LEVEL_ORDER)[number];

/** Why a level went down. */
export type DowngradeReason = (typeof DOWNGRADE_REASONS)[number];

/** What could still revert an item at its level. */
export type RevertRisk = (typeof REVERT_RISKS)[number];

/** Why a commitment log was rejected. */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The rollup's liveness as of the last L1 head and tick. */
export interface Liveness {
  currentSlot: number;
  slotsSinceLastCommitment: number;
  /** Slots left before based mode (0 when active). */
  slotsUntilBasedMode: number;
  basedMode: boolean;
  /** Forced-inclusion requests not yet committed. */
  forcedDue: { txHash: Hex; deadlineSlot: number; requestedSlot: number }[];
  /** A committed L2 header the derivation waits for (deliver it as an `l2Block` input). */
  awaitingHeader: Hex | null;
}

/** The answer of a block, number, tx or action query. */
export interface ConfidenceStatus {
  level: ConfidenceLevel;
  /** The L2 block concerned (the best one for a transaction; `null` for an action). */
  blockHash: Hex | null;
  blockNumber: number | null;
  /** What can still revert it at this level. */
  mayRevertIf: RevertRisk[];
  /** Why it is at this level, when the level was entered by a downgrade (`null` once it went up again; PROTOCOL.md section 9). */
  reason: DowngradeReason | null;
  /** Reason of the most recent downgrade, kept after a recovery. */
  lastDowngrade: DowngradeReason | null;
  /**
   * The next level it can reach, and when (unix seconds) it is expected:
   * `eta` is `null` when the next level is not predictable now (the verified
   * L1 head or the finalized checkpoint lags the clock; section 9).
   */
  nextLevel: ConfidenceLevel | null;
  eta: number | null;
  /** The L1 block that committed it. */
  l1Inclusion: { beaconRoot: Hex; slot: number } | null;
  /** Re-executed locally over proven state. */
  executionChecked: boolean;
  /** Covered by a verified validity proof. */
  proven: boolean;
  liveness: Liveness;
  /** Block tag: `finalized`, `safe`, `latest`, `pending`; `null` when reverted. */
  blockTag: 'finalized' | 'safe' | 'latest' | 'pending' | null;
  /** EIP-5792 `wallet_getCallsStatus` code (100, 200, 400, 500, 600). */
  eip5792Status: number;
  /** OASIS L2 transaction status, e.g. `"L2 Included, L1 Pending"`. */
  oasisStatus: string;
}

/** Whose level changed. */
export type Subject = { kind: 'block'; hash: Hex } | { kind: 'action'; id: number };

/** What a step reports. */
export type EngineEvent =
  | { type: 'levelChanged'; subject: Subject; from: ConfidenceLevel; to: ConfidenceLevel; downgrade: boolean; reason: DowngradeReason | null }
  | { type: 'equivocation'; blocks: [Hex, Hex] }
  | { type: 'commitmentRejected'; l1BeaconRoot: Hex; l2Hash: Hex; reason: RejectReason }
  | { type: 'basedMode'; active: boolean };

/** An accepted L2 header (the `header` of a feed message). */
export interface L2Header {
  chainId: number;
  number: number;
  parentHash: Hex;
  kind: number;
  l1Slot: number;
  l1ParentBeaconRoot: Hex;
  l1ParentBlockHash: Hex;
  timestamp: number;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  gasLimit: number;
  gasUsed: number;
  baseFeePerGas: number;
}

/** The item an input added. */
export type Added = { kind: 'l2Block'; hash: Hex; header: L2Header } | { kind: 'action'; id: number };

/** What the engine needs next. */
export interface Needs {
  /** Execution block hash to fetch with `eth_getBlockByHash(hash, false)` as an `l1Block` input. */
  l1Block: Hex | null;
  /** Held L1 blocks whose `eth_getBlockReceipts` the engine needs as `l1Receipts` inputs, oldest first. */
  l1Receipts: Hex[];
  /** A committed L2 block the derivation waits for, as an `l2Block` input. */
  l2Block: Hex | null;
}

/** The answer to every input. */
export interface Step {
  /** The item the input added (an L2 block, an action), or `null`. */
  added: Added | null;
  events: EngineEvent[];
  needs: Needs;
}

/**
 * One engine input: an object with one key (the core's `Input` variant).
 * Every value is raw data the core verifies; `lightClient` reads the light
 * client's verified heads inside wasm.
 */
export type EngineInput =
  | { l2Block: object | string | Uint8Array }
  | { lightClient: true }
  | { l1Block: unknown }
  | { l1Receipts: { blockHash: Hex | string; receipts: unknown } }
  | { l1TxReceipt: { block: unknown; receipts: unknown; txHash: Hex | string } }
  | { committee: { blockHash: Hex | string; proof: unknown; committeeId: number; members: CommitteeMember[] } }
  | { batchProof: { proof: Uint8Array | string; publicValues: Uint8Array | string } }
  | { trackAction: ActionSpec }
  | { tick: number };

/**
 * One engine query: a status by block hash, height, transaction or action id,
 * the liveness, or the heights a block at a height (with no held parent) waits for.
 */
export type EngineQuery = { block: Hex | string } | { number: number } | { tx: Hex | string } | { action: number } | { missing: number } | 'liveness';

/** A range of L2 heights, both ends included. */
export interface HeightRange {
  from: number;
  to: number;
}

/** The answer of `query`: a status (`null` for an unknown item), the liveness, or a height range (`null`: none). */
export type EngineAnswer = ConfidenceStatus | Liveness | HeightRange | null;

/** The level of an L1 block: the client's levels an L1 block can have. */
export type L1Level = 'unknown' | 'reverted' | 'included' | 'finalized';

/** The core's status of an L1 block (`L1Blocks.status`; the client adds the target and the time). */
export interface L1BlockStatus {
  level: L1Level;
  /** Codes of what can still lower it (`L1_REORG`). */
  mayRevertIf: string[];
  eta: { level: L1Level; at: number } | null;
  reasonCode: string;
  reason: string;
  /** The verified block the status refers to (its timestamp when it was fetched itself). */
  l1?: { number: number; hash: Hex; timestamp?: number };
}

/** The answer to an L1-block question: a status, or the block to fetch (`target`: the block asked about itself). */
export type L1Answer = L1BlockStatus | { need: Hex; target: boolean };

/** A rollup configuration: the `rollup` object of the devnet's `/devnet/client-config` (or the whole config). */
export interface RollupConfig {
  chainId: number;
  sequencer:
    | { kind: 'key'; address: Hex }
    | { kind: 'committee'; committeeId: number; committeeHash: Hex; activationL1Slot?: number; members: CommitteeMember[] };
  slotEnding?: 'marker' | { nth: number };
  stallLimitSlots?: number;
  forcedInclusionWindowSlots?: number;
  inbox: Hex;
  l1: { genesisTime: number; secondsPerSlot: number; slotsPerEpoch: number };
  /** When present, must equal the hash recomputed from the fields. */
  configHash?: Hex;
  /** Feed message JSON of L2 block 0. */
  genesis?: object;
  /** SP1 batch program verifying key, for `batchProof` inputs. */
  batchProgramVkey?: Hex;
}

/** A committee member: compressed BLS public key and weight. */
export interface CommitteeMember {
  pubkey: Hex;
  weight: number;
}

/** A cross-domain action to track. */
export interface ActionSpec {
  l2Txs?: Hex[];
  l1Txs?: Hex[];
  /** For an atomic based-block action: the L1 slot whose block must carry every leg. */
  atomicSlot?: number;
}

/** An anchor proven from the inbox storage instead of the config's genesis. */
export interface AnchorProof {
  /** `eth_getProof(inbox, [committedHeadSlot], finalizedBlock)`. */
  proof: object;
  /**
   * The L2 header (or a feed message) whose hash the slot holds. Default: the
   * config's genesis (also what a zero slot, nothing committed, needs).
   */
  header?: object;
}

/**
 * The I/O-free confidence engine of one rollup, anchored on a light client.
 * Feed it inputs with `step`; ask with `query`.
 */
export class PreconfEngine {
  #inner: wasm.PreconfEngine;
  #client: BeaconLightClient;

  /**
   * Anchors at the light client's finalized header: the config's genesis
   * block (sound before the first commitment), or the committed head proven
   * from the inbox storage when `anchor` is given. The engine reads the
   * client's heads on each `{ lightClient: true }` input: keep syncing it.
   */
  constructor(config: RollupConfig | object | string, client: BeaconLightClient, anchor?: AnchorProof) {
    this.#inner = guard(() => new wasm.PreconfEngine(config, BeaconLightClient.wasmOf(client), anchor));
    this.#client = client;
  }

  /** `keccak(rlp(config))`, as bound into SP1 public values. */
  get configHash(): Hex {
    return this.#inner.configHash as Hex;
  }

  /** Takes one input; returns what it added, the events it caused and what the engine needs next. */
  step(input: EngineInput): Step {
    return guard(() => this.#inner.step(input, BeaconLightClient.wasmOf(this.#client))) as Step;
  }

  /** Answers a query: a status (`null` if unknown) or, for `'liveness'`, the liveness. */
  query(query: { block: Hex | string } | { number: number } | { tx: Hex | string } | { action: number }): ConfidenceStatus | null;
  query(query: 'liveness'): Liveness;
  /** The heights `{ from, to }` above the highest held one that a block at `missing` (its parent not held) waits for; `null` when none (its parent is another block at a held height, or it is at or below the anchor). */
  query(query: { missing: number }): HeightRange | null;
  query(query: EngineQuery): EngineAnswer {
    return guard(() => this.#inner.query(query)) as EngineAnswer;
  }

  /** Frees the wasm memory. */
  free(): void {
    this.#inner.free();
  }
}
