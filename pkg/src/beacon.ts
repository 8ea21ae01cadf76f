// The beacon light client: typed wrappers over the wasm core.
import * as wasm from '../wasm/preconf_light.js';
import { guard } from './errors.js';
import { initBlocks } from './blocks.js';

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

/** Preset values (`"mainnet"`, `"minimal"`, or explicit). */
export type PresetConfig =
  | 'mainnet'
  | 'minimal'
  | {
      syncCommitteeSize: number;
      slotsPerEpoch: number;
      epochsPerSyncCommitteePeriod: number;
      minSyncCommitteeParticipants: number;
      updateTimeout: number;
    };

/** A consensus network: genesis, fork schedule and blob schedule. */
export interface NetworkConfig {
  name: string;
  preset: PresetConfig;
  genesisTime: number;
  secondsPerSlot: number;
  genesisValidatorsRoot: Hex;
  /** Fork name → activation; `epoch: null` means not scheduled. */
  forks: Record<string, { version: Hex; epoch: number | null }>;
  blobSchedule: { epoch: number; maxBlobsPerBlock: number }[];
  maxBlobsPerBlockElectra: number;
}

/** A network by name or by configuration (custom networks, devnets). */
export type Network = 'mainnet' | 'sepolia' | 'hoodi' | NetworkConfig;

/** Verified execution payload fields of a verified beacon header. */
export interface ExecutionSummary {
  blockHash: Hex;
  parentHash: Hex;
  blockNumber: number;
  stateRoot: Hex;
  receiptsRoot: Hex;
  timestamp: number;
}

/** A verified beacon header as the client reports it. */
export interface HeaderSummary {
  slot: number;
  beaconRoot: Hex;
  parentRoot: Hex;
  /** `null` before Capella. */
  execution: ExecutionSummary | null;
}

/** What one processed update changed. */
export interface UpdateOutcome {
  participants: number;
  finalizedAdvanced: boolean;
  optimisticAdvanced: boolean;
  nextCommitteeLearned: boolean;
  committeeRotated: boolean;
  becameBestUpdate: boolean;
}

/** A light-client object as a parsed Beacon API JSON envelope, JSON text, or SSZ bytes. */
export type LightClientInput = object | string | Uint8Array;

/** The configurations of the known networks (available after `init()`). */
export const networks: { readonly mainnet: NetworkConfig; readonly sepolia: NetworkConfig; readonly hoodi: NetworkConfig } = {
  get mainnet() {
    return wasm.networkConfig('mainnet') as NetworkConfig;
  },
  get sepolia() {
    return wasm.networkConfig('sepolia') as NetworkConfig;
  },
  get hoodi() {
    return wasm.networkConfig('hoodi') as NetworkConfig;
  },
};

/**
 * A beacon-chain light client following the consensus specs' sync protocol
 * (Altair to Fulu). Every method verifies before it changes state; failures
 * throw `PreconfLightError` with a stable `code`.
 */
export class BeaconLightClient {
  #inner: wasm.BeaconLightClient;

  private constructor(inner: wasm.BeaconLightClient) {
    this.#inner = inner;
  }

  /** @internal The wasm object, read by the rollup engine (`PreconfEngine`). */
  static wasmOf(client: BeaconLightClient): wasm.BeaconLightClient {
    return client.#inner;
  }

  /** Starts from a bootstrap whose header must hash to `trustedBlockRoot`. */
  static fromBootstrap(network: Network, trustedBlockRoot: Hex | string, bootstrap: LightClientInput): BeaconLightClient {
    return new BeaconLightClient(guard(() => wasm.BeaconLightClient.fromBootstrap(network, trustedBlockRoot, bootstrap)));
  }

  /**
   * Starts from a stored checkpoint `{ finalized_header, current_sync_committee,
   * finalized_block_root? }` whose committee is trusted without a proof.
   * Prefer `fromBootstrap`.
   */
  static fromTrustedStore(network: Network, store: object | string): BeaconLightClient {
    return new BeaconLightClient(guard(() => wasm.BeaconLightClient.fromTrustedStore(network, store)));
  }

  /** Restores a client saved with `toBytes()`; corrupted or foreign bytes throw. */
  static fromBytes(network: Network, bytes: Uint8Array): BeaconLightClient {
    return new BeaconLightClient(guard(() => wasm.BeaconLightClient.fromBytes(network, bytes)));
  }

  /** The store, versioned and integrity-checked, for persistence. */
  toBytes(): Uint8Array {
    return this.#inner.toBytes();
  }

  /** Processes one `LightClientUpdate` at `nowSec` (unix seconds). */
  processUpdate(update: LightClientInput, nowSec: number): UpdateOutcome {
    return guard(() => this.#inner.processUpdate(update, nowSec)) as UpdateOutcome;
  }

  /** Processes a `/updates` response (JSON array or SSZ chunk list) in order. */
  processUpdates(updates: LightClientInput, nowSec: number): UpdateOutcome[] {
    return guard(() => this.#inner.processUpdates(updates, nowSec)) as UpdateOutcome[];
  }

  /** Processes a `LightClientFinalityUpdate`. */
  processFinalityUpdate(update: LightClientInput, nowSec: number): UpdateOutcome {
    return guard(() => this.#inner.processFinalityUpdate(update, nowSec)) as UpdateOutcome;
  }

  /** Processes a `LightClientOptimisticUpdate`. */
  processOptimisticUpdate(update: LightClientInput, nowSec: number): UpdateOutcome {
    return guard(() => this.#inner.processOptimisticUpdate(update, nowSec)) as UpdateOutcome;
  }

  /** Whether the update timeout has passed and `forceUpdate` should be called. */
  forceUpdateDue(nowSec: number): boolean {
    return guard(() => this.#inner.forceUpdateDue(nowSec));
  }

  /** Applies the best valid update after the update timeout (the spec's force update). */
  forceUpdate(nowSec: number): UpdateOutcome {
    return guard(() => this.#inner.forceUpdate(nowSec)) as UpdateOutcome;
  }

  /** The current slot at `nowSec` by the network's clock. */
  currentSlot(nowSec: number): number {
    return guard(() => this.#inner.currentSlot(nowSec));
  }

  /**
   * Verifies that `headers[0]` is an ancestor of the finalized or optimistic
   * header through `headers` (oldest first, each the parent of the next).
   */
  verifyAncestor(headers: object[]): { slot: number; beaconRoot: Hex } {
    return guard(() => this.#inner.verifyAncestor(headers)) as { slot: number; beaconRoot: Hex };
  }

  /**
   * Verifies a full beacon block (`/eth/v2/beacon/blocks/{id}`: SSZ bytes
   * with `fork` from the `Eth-Consensus-Version` header, or the JSON
   * envelope) against a header this client verified: its finalized or
   * optimistic header at the block's slot, or `headers[0]` of a chain
   * (oldest first, starting with the block's own header) ending at one.
   * Returns the verified execution payload fields. Mainnet preset only.
   * The block decoder is a separate module, loaded on the first call
   * (`initBlocks()` loads it ahead of time), so this is async.
   */
  async verifyBlock(block: Uint8Array | object | string, options: { fork?: string; headers?: object[] } = {}): Promise<unknown> {
    await initBlocks();
    return guard(() => this.#inner.verifyBlock(block, options.fork, options.headers));
  }

  /** The finalized header. */
  get finalized(): HeaderSummary {
    return this.#inner.finalized as HeaderSummary;
  }

  /** The optimistic (latest attested) header. */
  get optimistic(): HeaderSummary {
    return this.#inner.optimistic as HeaderSummary;
  }

  /** The network this client follows. */
  get network(): NetworkConfig {
    return this.#inner.network as NetworkConfig;
  }

  /** Frees the wasm memory of the store. */
  free(): void {
    this.#inner.free();
  }
}
