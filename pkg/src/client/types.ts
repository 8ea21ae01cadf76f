// Public types of the client: options, targets, levels, statuses, events.
import type { Hex, HeaderSummary, Network } from '../beacon.js';
import type { Storage } from './storage.js';
import type { Eip1193Provider, Eip1193ProviderOptions } from './provider.js';
import type { EngineEvent, Liveness, RollupConfig } from '../engine.js';
import { LEVEL_ORDER } from '../core-format.js';
import type { AccountChange, EvmAssertion, EvmCall, TxOutcome } from '../evm.js';
import type { Sp1ProofInfo } from '../proof.js';

/** The core's levels above `reverted`, in its order. */
type CoreLevelsAboveReverted = typeof LEVEL_ORDER extends readonly ['reverted', ...infer R extends string[]] ? R : never;

/**
 * Confidence levels, lowest first (`reverted` is outside the order). They are
 * the rollup engine's levels (docs/PROTOCOL.md section 9), in the core's
 * order (`LEVEL_ORDER`, generated from Rust), plus `unknown` below them: the
 * target is not seen yet (an L2 block/tx the engine does not hold, an L1
 * block above the verified head, or the client is not synced). L1 blocks use
 * `unknown`, `included`, `finalized` and `reverted` only.
 */
export const LEVELS = ['unknown', ...LEVEL_ORDER.slice(1)] as unknown as readonly ['unknown', ...CoreLevelsAboveReverted];

/** A confidence level name. */
export type Level = (typeof LEVELS)[number] | 'reverted';

/** Order of levels for "up" and "down": `reverted` ranks below everything. */
export function levelRank(level: Level): number {
  return level === 'reverted' ? -1 : (LEVELS as readonly string[]).indexOf(level);
}

/** The level a `waitFor` can wait for. */
export type WaitLevel = Exclude<Level, 'unknown' | 'reverted'>;

/** A thing whose confidence the client reports. */
export type Target =
  /** An L1 execution block by number or hash. */
  | { l1Block: number | Hex }
  /** An L2 block by hash, or by number (the held block of that height on the engine's best chain). Needs `rollup`. */
  | { block: number | Hex }
  /** An L2 transaction (its best block). Needs `rollup`. */
  | { tx: Hex }
  /** A cross-domain action: its level is the lowest of its legs. Needs `rollup`. */
  | { action: { l1Txs: Hex[]; l2Txs: Hex[] } };

/** When the next level is expected. */
export interface Eta {
  /** The next level. */
  level: Level;
  /** Estimated unix time (seconds) it is reached. */
  at: number;
}

/** The confidence of a target, derived only from verified data. */
export interface Status {
  target: Target;
  level: Level;
  /** What could still lower the level (L1: empty at `finalized`; L2: `L1_FINALITY_FAILURE` remains). */
  mayRevertIf: string[];
  /** When the next level is expected, or `null` if none / unknown. */
  eta: Eta | null;
  /** Stable code of why the level is what it is (e.g. `BELOW_VERIFIED_HEAD`). */
  reasonCode: string;
  /** Human-readable explanation. */
  reason: string;
  /**
   * L2 targets: the code of the most recent downgrade (e.g. `L1_REORG`), kept
   * after the target recovered; `reasonCode` is that of the current level.
   * `null` if it never went down.
   */
  lastDowngrade?: string | null;
  /** The verified L1 block the status refers to, when one is known. */
  l1?: { number: number; hash: Hex; timestamp?: number };
  /** Unix seconds (from the client's clock) when this status was computed. */
  at: number;
  /** L2 targets: the engine's details. */
  l2?: L2Details;
}

/** Engine details of an L2 status. */
export interface L2Details {
  /** The L2 block concerned (`null` for an action). */
  blockHash: Hex | null;
  blockNumber: number | null;
  /** Block tag: `finalized`, `safe`, `latest`, `pending`; `null` when reverted. */
  blockTag: 'finalized' | 'safe' | 'latest' | 'pending' | null;
  /** EIP-5792 `wallet_getCallsStatus` code. */
  eip5792Status: number;
  /** OASIS L2 transaction status. */
  oasisStatus: string;
  /** The L1 block that committed it. */
  l1Inclusion: { beaconRoot: Hex; slot: number } | null;
  executionChecked: boolean;
  proven: boolean;
  /** The rollup's liveness (based mode, stall, forced inclusion). */
  liveness: Liveness;
}

/** Endpoint health as seen by the client. */
export type EndpointHealth = 'ok' | 'stale' | 'faulty';

/** Which endpoint an `endpointStatus` event is about. */
export type EndpointKind = 'beacon' | 'l1Rpc' | 'l2Rpc' | 'sequencerFeed';

/** Logger hooks (all optional). */
export interface Logger {
  debug?(msg: string, data?: unknown): void;
  info?(msg: string, data?: unknown): void;
  warn?(msg: string, data?: unknown): void;
  error?(msg: string, data?: unknown): void;
}

/** Options of `createPreconfClient`. */
export interface PreconfClientOptions {
  /** L1 network: `mainnet` | `sepolia` | `hoodi` or a configuration (devnets). */
  network: Network;
  /** Beacon API base URL(s); on failure the next one is tried. */
  beaconApiUrl: string | string[];
  /** L1 execution JSON-RPC URL(s). */
  l1RpcUrl: string | string[];
  /** L2 JSON-RPC URL: `eth_getProof` / `eth_getCode` for `simulateAction` (answers are verified against the L2 block's state root). */
  l2RpcUrl?: string;
  /** Sequencer feed URL: server-sent events, one feed message JSON (docs/PROTOCOL.md section 7) per event. Needs `rollup`. */
  sequencerFeedUrl?: string;
  /**
   * Rollup configuration (the `rollup` object of the devnet's
   * `/devnet/client-config`). With it the client runs the rollup engine and
   * answers `{ block }`, `{ tx }` and `{ action }` targets.
   */
  rollup?: RollupConfig | object;
  /**
   * Base URL answering `GET {l2BlockUrl}/{hash}` with a feed message JSON
   * (the devnet's `/rollup/block`): used to fetch the missing parents of feed
   * messages (after a late start or a reconnect), and the committed header
   * the engine anchors at once the inbox has committed past the genesis
   * (needed then). The answers are verified like feed messages.
   */
  l2BlockUrl?: string;
  /**
   * URL answering `GET {l2BlocksUrl}?from=N&count=C` with the feed messages of
   * heights `N` to `N + C - 1` (a JSON list; the devnet's `/rollup/blocks`,
   * `count` up to 256): a late client fetches the blocks between its anchor
   * and the feed in a few requests instead of one per block. The answers are
   * verified like feed messages.
   */
  l2BlocksUrl?: string;
  /**
   * Anchor the rollup engine at the config's genesis without proving the
   * inbox's committed head at the finalized L1 block. This is an assumption
   * the caller makes: sound only if the rollup had committed nothing up to
   * the trusted checkpoint (a fresh rollup, or tests whose L1 RPC serves no
   * state). Default `false`: the client proves the committed head with
   * `eth_getProof` and does not start the engine until it can.
   */
  trustGenesisAnchor?: boolean;
  /** Interval of the rollup engine's clock tick (ms). Default: a quarter of the network's slot, between 250 and 1000. */
  rollupTickIntervalMs?: number;
  /**
   * `ready` rejects with `TIMEOUT` (naming the last failure) if the client
   * has not synced within this many ms, and the client closes. Default: no
   * limit (`ready` waits while endpoints fail and are retried).
   */
  readyTimeoutMs?: number;
  /** Trusted beacon block root to bootstrap from when no store is persisted. */
  trustedCheckpoint?: Hex | string;
  /** Where the light-client store is persisted. Default: `memoryStorage()`. */
  storage?: Storage;
  /** Key prefix in the storage. Default `preconf-light`. */
  storageKey?: string;
  /** Current unix time in seconds. Default: `Date.now() / 1000`. */
  clock?: () => number;
  /** `fetch` implementation. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Follow the Beacon API event stream (default true); otherwise poll. */
  sse?: boolean;
  /** Polling interval for finality/optimistic updates when SSE is off or down (ms). Default: one slot of the network (12000 on mainnet). */
  pollIntervalMs?: number;
  /** Interval of the housekeeping tick (period sync check, force update) (ms). Default: one slot of the network. */
  tickIntervalMs?: number;
  /** Timeout of one HTTP request (ms). Default 10000. */
  requestTimeoutMs?: number;
  /** Exponential backoff bounds for retries (ms). Default `{ baseMs: 500, maxMs: 30000 }`. */
  backoff?: { baseMs?: number; maxMs?: number };
  /**
   * Body-size limits in bytes per endpoint kind: `json` and `ssz` answers,
   * and one `event` of a stream. An answer over its limit is cancelled while
   * it streams in and marks the endpoint `faulty` (`RESPONSE_TOO_LARGE`).
   * Defaults: beacon 8 MiB JSON / 4 MiB SSZ / 256 KiB per event, L1 and L2
   * RPC 16 MiB, sequencer feed 4 MiB per event.
   */
  responseLimits?: Partial<Record<EndpointKind, Partial<{ json: number; ssz: number; event: number }>>>;
  /** Most blocks walked back by hash chain from a verified L1 block. Default 256. */
  maxChainWalk?: number;
  /** L1 chain id (EIP-155); required for a custom `network`, known for mainnet, sepolia, hoodi. */
  chainId?: number;
  /** Options of `client.provider` (the EIP-1193 provider). */
  provider?: Eip1193ProviderOptions;
  /** Browsers only: run the wasm core in a Web Worker (default true), or use this Worker. */
  worker?: boolean | Worker;
}

/** Sync progress. */
export interface SyncProgress {
  phase: 'resume' | 'bootstrap' | 'updates' | 'finality' | 'synced';
  /** Sync-committee period of the finalized header. */
  period?: number;
  /** Period of the current slot by the clock. */
  targetPeriod?: number;
  finalizedSlot?: number;
  optimisticSlot?: number;
}

/** Event payloads by name. */
export interface ClientEvents {
  syncProgress: SyncProgress;
  head: HeaderSummary;
  finalized: HeaderSummary;
  levelChange: { target: Target; from: Level; to: Level; status: Status };
  downgrade: { target: Target; from: Level; to: Level; reasonCode: string; reason: string; status: Status };
  endpointStatus: { endpoint: EndpointKind; url: string; status: EndpointHealth; code?: string; reason?: string };
  storeReset: { code: string; reason: string };
  /** An event of the rollup engine (level changes of blocks/actions, equivocation, rejected commitment, based mode). */
  rollup: EngineEvent;
  /** A feed message failed verification (it changed nothing). */
  feedRejected: { code: string; message: string };
  /** The client stopped (with `ready` rejected), or an endpoint became `faulty` (then with `endpoint` and `url`). */
  error: { code: string; message: string; endpoint?: EndpointKind; url?: string };
}

/** Input of `simulateAction`. */
export interface SimulateActionRequest {
  /** The L2 leg: a call (run like `eth_call`), a signed EIP-2718 transaction (0x-hex), or a list of them run in order. */
  l2: EvmCall | Hex | (EvmCall | Hex)[];
  /** Checks on the state after the leg (e.g. `storageEquals` on the contract it should change). */
  assertions?: EvmAssertion[];
  /** The L2 block (number or hash) whose state to run on; default the newest the engine holds at `sequenced` or above. */
  block?: number | Hex;
  /** EVM rules (default `prague`). */
  spec?: 'shanghai' | 'cancun' | 'prague';
}

/** The outcome of `simulateAction`: the local EVM over verified L2 state. */
export interface ActionSimulation {
  /** Every transaction succeeded and every assertion held. */
  ok: boolean;
  /** The L2 block whose state root the simulation ran on, and the engine's level of it. */
  block: { hash: Hex; number: number; stateRoot: Hex; level: Level };
  outcomes: TxOutcome[];
  /** Per assertion, in order: whether it held, and the value found. */
  assertions: { passed: boolean; actual: string }[];
  stateChanges: AccountChange[];
  gasUsed: number;
}

/** Options of `waitFor`. */
export interface WaitOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The client returned by `createPreconfClient`. */
export interface PreconfClient {
  /** Resolves once the light client is synced to the clock's period (rejects only after `close()`). */
  readonly ready: Promise<void>;
  /** The verified finalized beacon header (`null` before bootstrap). */
  readonly finalized: HeaderSummary | null;
  /** The verified optimistic beacon header (`null` before bootstrap). */
  readonly optimistic: HeaderSummary | null;
  /** Health of each endpoint. */
  endpoints(): { endpoint: EndpointKind; url: string; status: EndpointHealth; code?: string; reason?: string }[];
  status(target: Target): Promise<Status>;
  /** Calls `callback` with the status now and whenever its level, reason, block or `l2.proven` changes. */
  watch(target: Target, callback: (status: Status) => void): () => void;
  /** Resolves with the status once `target` reaches `level`; rejects on abort, timeout or revert. */
  waitFor(target: Target, level: WaitLevel, options?: WaitOptions): Promise<Status>;
  /**
   * Runs an action's L2 leg in the local EVM (revm) over the verified state of
   * an L2 block the engine holds, with proofs from `l2RpcUrl`; says whether it
   * succeeds and which assertions hold. Needs `rollup` and `l2RpcUrl`.
   */
  simulateAction(request: SimulateActionRequest): Promise<ActionSimulation>;
  on<E extends keyof ClientEvents>(event: E, cb: (payload: ClientEvents[E]) => void): () => void;
  off<E extends keyof ClientEvents>(event: E, cb: (payload: ClientEvents[E]) => void): void;
  /**
   * An EIP-1193 provider answering from verified L1 data only (for viem's
   * `custom()` transport or ethers' `BrowserProvider`).
   */
  readonly provider: Eip1193Provider;
  /**
   * Verifies an SP1 proof in the core (a Web Worker in browsers), like the
   * standalone `verifySp1Proof`; needs no sync. In a worker, whole-buffer
   * `Uint8Array`s are transferred, not copied: they are detached afterwards.
   * @throws PreconfLightError with the core's code (`INVALID_PROOF`, ...).
   */
  verifySp1Proof(input: { proof: Uint8Array | string; publicValues: Uint8Array | string; vkeyHash: string }): Promise<Sp1ProofInfo>;
  /**
   * Verifies an SP1 proof of the rollup config's `batchProgramVkey` and
   * marks the blocks it proves (after `ready`); the engine's events are
   * emitted as `rollup` events, watchers see `l2.proven`. Bytes are
   * transferred to a worker as in `verifySp1Proof`.
   * @throws PreconfLightError: `NO_ROLLUP`, `NO_BATCH_PROGRAM`, an SP1 code,
   * `MALFORMED` (not a batch claim), `PUBLIC_VALUES_MISMATCH`, `NOT_TRACKED`.
   */
  ingestBatchProof(proof: Uint8Array | string, publicValues: Uint8Array | string): Promise<EngineEvent[]>;
  /** Stops all background work and frees the core. */
  close(): Promise<void>;
}
