// The EIP-1193 provider's public surface: its error type and codes, the
// request, event and option types, what the client supplies it
// (`ProviderSource`), and how any failure becomes a `ProviderRpcError`.
import { PreconfLightError } from '../errors.js';
import type { ExecutionSummary, Hex } from '../beacon.js';
import type { CoreBackend } from './core-backend.js';
import { TransportError, type EndpointPool } from './endpoints.js';
import type { L1Fetch } from './l1-fetch.js';

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
  chain(): L1Fetch;
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

/** Codes that mean "cannot answer now", not "the endpoint lied". */
const UNAVAILABLE = new Set(['RPC_ERROR', 'CHAIN_WALK_TOO_DEEP', 'UNVERIFIABLE', 'NOT_SYNCED', 'NOT_INITIALIZED']);

/** Maps any failure to a `ProviderRpcError`: transport → -32002, failed verification → -32603 with `data.code`. */
export function toRpcError(e: unknown, signal: AbortSignal): ProviderRpcError {
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
