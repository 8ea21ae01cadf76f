// The rollup confidence engine: typed wrapper over the wasm PreconfEngine.
//
// JS never hands the engine an L1 fact: L1 methods take the BeaconLightClient
// object or raw RPC answers, and the core verifies them (light-client headers,
// block hashes, receipts roots, storage proofs, SP1 proofs) inside wasm.
import * as wasm from '../wasm/preconf_light.js';
import { BeaconLightClient, type Hex } from './beacon.js';
import { guard } from './errors.js';

/** Confidence levels, lowest to highest; `reverted` is terminal. */
export type ConfidenceLevel = 'reverted' | 'pending' | 'sequenced' | 'slot-ending' | 'included' | 'finalized';

/** Why a level went down. */
export type DowngradeReason =
  | 'l1Reorg'
  | 'missedSlot'
  | 'l1ParentMismatch'
  | 'basedModeSwitch'
  | 'equivocation'
  | 'superseded'
  | 'l1LegFailed';

/** What could still revert an item at its level. */
export type RevertRisk =
  | 'equivocation'
  | 'l1Reorg'
  | 'basedModeSwitch'
  | 'missedSlot'
  | 'l1ParentMismatch'
  | 'l1FinalityFailure';

/** The rollup's liveness as of the last L1 head and tick. */
export interface Liveness {
  currentSlot: number;
  slotsSinceLastCommitment: number;
  /** Slots left before based mode (0 when active). */
  slotsUntilBasedMode: number;
  basedMode: boolean;
  /** Forced-inclusion requests not yet committed. */
  forcedDue: { txHash: Hex; deadlineSlot: number; requestedSlot: number }[];
  /** A committed L2 header the derivation waits for (deliver it with `ingestL2Block`). */
  awaitingHeader: Hex | null;
}

/** The answer of `statusOfBlock`, `statusOfTx` and `statusOfAction`. */
export interface ConfidenceStatus {
  level: ConfidenceLevel;
  /** The L2 block concerned (the best one for a transaction; `null` for an action). */
  blockHash: Hex | null;
  blockNumber: number | null;
  /** What can still revert it at this level. */
  mayRevertIf: RevertRisk[];
  /** Reason of the last downgrade, if it ever went down. */
  reason: DowngradeReason | null;
  /** The next level it can reach, and when (unix seconds) it is expected. */
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

/** What an ingest or tick reports. */
export type EngineEvent =
  | { type: 'levelChanged'; subject: Subject; from: ConfidenceLevel; to: ConfidenceLevel; downgrade: boolean; reason: DowngradeReason | null }
  | { type: 'equivocation'; blocks: [Hex, Hex] }
  | { type: 'commitmentRejected'; l1BeaconRoot: Hex; l2Hash: Hex; reason: string }
  | { type: 'basedMode'; active: boolean };

/** Result of an L1 ingest: events, and the raw data the engine needs next. */
export interface L1Progress {
  events: EngineEvent[];
  /** Execution block hash to fetch with `eth_getBlockByHash` for `ingestL1Block`. */
  needBlock: Hex | null;
  /** L1 blocks whose `eth_getBlockReceipts` the engine needs for `ingestL1Receipts`, oldest first. */
  needReceipts: Hex[];
}

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
  /** SP1 batch program verifying key, for `ingestBatchProof`. */
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
 * The I/O-free confidence engine of one rollup. Feed it raw data; query
 * statuses. Every ingest returns the events it caused.
 */
export class PreconfEngine {
  #inner: wasm.PreconfEngine;

  /**
   * Anchors at the light client's finalized header: the config's genesis
   * block (sound before the first commitment), or the committed head proven
   * from the inbox storage when `anchor` is given.
   */
  constructor(config: RollupConfig | object | string, client: BeaconLightClient, anchor?: AnchorProof) {
    this.#inner = guard(() => new wasm.PreconfEngine(config, BeaconLightClient.wasmOf(client), anchor));
  }

  /** `keccak(rlp(config))`, as bound into SP1 public values. */
  get configHash(): Hex {
    return this.#inner.configHash as Hex;
  }

  /** Verifies and adds an L2 block with its certificate (feed message JSON, or binary RLP). */
  ingestL2Block(message: object | string | Uint8Array): EngineEvent[] {
    return guard(() => this.#inner.ingestL2Block(message)) as EngineEvent[];
  }

  /** Verifies an L2 block and its certificate without adding it; returns its hash. */
  verifyL2Block(message: object | string | Uint8Array): Hex {
    return guard(() => this.#inner.verifyL2Block(message)) as Hex;
  }

  /** Takes the light client's current verified optimistic and finalized headers. */
  ingestLightClient(client: BeaconLightClient): L1Progress {
    return guard(() => this.#inner.ingestLightClient(BeaconLightClient.wasmOf(client))) as L1Progress;
  }

  /** Takes the `eth_getBlockByHash` answer for a requested `needBlock`. */
  ingestL1Block(block: object | string): L1Progress {
    return guard(() => this.#inner.ingestL1Block(block)) as L1Progress;
  }

  /** Takes the `eth_getBlockReceipts` answer of an ingested L1 block (inbox logs). */
  ingestL1Receipts(blockHash: Hex | string, receipts: object | string): L1Progress {
    return guard(() => this.#inner.ingestL1Receipts(blockHash, receipts)) as L1Progress;
  }

  /** Records an action's L1 leg from its block (full transactions) and the block's receipts. */
  ingestL1TxReceipt(block: object | string, receipts: object | string, txHash: Hex | string): EngineEvent[] {
    return guard(() => this.#inner.ingestL1TxReceipt(block, receipts, txHash)) as EngineEvent[];
  }

  /** Adds a committee proven from the inbox storage (`eth_getProof` of its two keys) at a held L1 block. */
  ingestCommittee(blockHash: Hex | string, proof: object | string, committeeId: number, members: CommitteeMember[]): void {
    guard(() => this.#inner.ingestCommittee(blockHash, proof, committeeId, members));
  }

  /** Verifies an SP1 proof of the config's batch program and marks the blocks it proves. */
  ingestBatchProof(proof: Uint8Array, publicValues: Uint8Array): void {
    guard(() => this.#inner.ingestBatchProof(proof, publicValues));
  }

  /** Advances the engine's clock (unix seconds). */
  tick(nowSec: number): EngineEvent[] {
    return guard(() => this.#inner.tick(nowSec)) as EngineEvent[];
  }

  /** The status of an L2 block, or `null` if unknown. */
  statusOfBlock(hash: Hex | string): ConfidenceStatus | null {
    return guard(() => this.#inner.statusOfBlock(hash)) as ConfidenceStatus | null;
  }

  /** The status of an L2 transaction (its best block), or `null` if unknown. */
  statusOfTx(hash: Hex | string): ConfidenceStatus | null {
    return guard(() => this.#inner.statusOfTx(hash)) as ConfidenceStatus | null;
  }

  /** The hash of the L2 block at `number` on the best chain (committed, then preferred), or `null`. */
  blockHashAt(number: number): Hex | null {
    return (this.#inner.blockHashAt(number) ?? null) as Hex | null;
  }

  /** Starts tracking a cross-domain action; returns its id. */
  trackAction(spec: ActionSpec): number {
    return guard(() => this.#inner.trackAction(spec));
  }

  /** The status of a tracked action, or `null`. */
  statusOfAction(id: number): ConfidenceStatus | null {
    return this.#inner.statusOfAction(id) as ConfidenceStatus | null;
  }

  /** Frees the wasm memory. */
  free(): void {
    this.#inner.free();
  }
}
