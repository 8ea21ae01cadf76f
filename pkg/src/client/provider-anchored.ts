// `createAnchoredProvider`: the EIP-1193 provider anchored on one trusted
// execution block hash instead of the light client (scripts, tests, your
// own node's head). The anchor block is fetched and verified against that
// hash on first use; lower blocks are proven by hash chain from it.
import { PreconfLightError } from '../errors.js';
import type { ExecutionSummary, Hex } from '../beacon.js';
import type { CoreBackend } from './core-backend.js';
import { EndpointPool, TransportError } from './endpoints.js';
import { L1Fetch } from './l1-fetch.js';
import type { Eip1193Provider, Eip1193ProviderOptions, EvmSpec, ProviderSource } from './provider-api.js';
import { HASH_RE } from './provider-params.js';
import { providerFromSource } from './provider.js';

/** Options of `createAnchoredProvider`. */
export interface AnchoredProviderOptions extends Eip1193ProviderOptions {
  /** An execution block hash you trust (e.g. from your own node or a checkpoint). Every tag maps to it. */
  trustedBlockHash: Hex | string;
  /** L1 execution JSON-RPC URL(s). */
  l1RpcUrl: string | string[];
  /** EIP-155 chain id of that chain. */
  chainId: number;
  /** EVM rules for `eth_call`. Default: by mainnet's schedule when `chainId` is 1, else `prague`. */
  spec?: EvmSpec;
  fetch?: typeof fetch;
  /** Timeout of one HTTP request (ms). Default 10000. */
  requestTimeoutMs?: number;
  /** Most blocks walked back by hash chain from the anchor. Default 256. */
  maxChainWalk?: number;
}

/** Mainnet execution fork activation times (unix seconds). */
const MAINNET_CANCUN = 1710338135;
const MAINNET_PRAGUE = 1746612311;

/**
 * A provider anchored on one trusted execution block hash instead of the
 * light client: `latest`, `safe` and `finalized` all name that block, lower
 * numbers are proven by hash chain from it. Its `close()` stops it.
 */
export function anchoredProvider(options: AnchoredProviderOptions, core: CoreBackend, ready: Promise<void>): Eip1193Provider & { close(): void } {
  if (!options || typeof options.trustedBlockHash !== 'string' || !HASH_RE.test(options.trustedBlockHash)) {
    throw new PreconfLightError('INVALID_ARGUMENT', 'trustedBlockHash must be a 32-byte 0x block hash');
  }
  if (!Number.isSafeInteger(options.chainId) || options.chainId <= 0) throw new PreconfLightError('INVALID_ARGUMENT', 'chainId is required');
  const abort = new AbortController();
  const fetchFn = options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const urls = Array.isArray(options.l1RpcUrl) ? options.l1RpcUrl : [options.l1RpcUrl];
  const rpc = new EndpointPool('l1Rpc', urls, fetchFn, options.requestTimeoutMs ?? 10_000, () => {});
  const chain = new L1Fetch(core, rpc, abort.signal);
  const hash = options.trustedBlockHash.toLowerCase() as Hex;
  let anchor: ExecutionSummary | null = null;
  let pending: Promise<void> | undefined;
  // Verifies the anchor on first use; a failure is the request's error (tried again on the next one).
  const verifyAnchor = (): Promise<void> => {
    if (anchor) return Promise.resolve();
    pending ??= (async () => {
      try {
        await ready;
        const { result } = await rpc.rpc('eth_getBlockByHash', [hash, false], abort.signal);
        if (result === null) throw new TransportError('BLOCK_UNAVAILABLE', `the L1 RPC does not serve the anchor ${hash}`);
        const v = await core.verifyExecutionBlock(result, hash);
        anchor = { blockHash: hash, parentHash: v.parentHash, blockNumber: v.number, stateRoot: v.stateRoot, receiptsRoot: v.receiptsRoot, timestamp: v.timestamp };
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
  const source: ProviderSource = {
    ready: verifyAnchor,
    signal: abort.signal,
    core: () => core,
    rpc,
    chain: () => chain,
    anchors: () => ({ latest: anchor, finalized: anchor }),
    onHead: () => () => {},
    chainId: () => options.chainId,
    specAt: (ts) => options.spec ?? (options.chainId !== 1 ? 'prague' : ts >= MAINNET_PRAGUE ? 'prague' : ts >= MAINNET_CANCUN ? 'cancun' : 'shanghai'),
    maxWalk: options.maxChainWalk ?? 256,
  };
  const provider = providerFromSource(source, options);
  return Object.assign(provider, {
    close() {
      abort.abort(new PreconfLightError('CLOSED', 'the provider was closed'));
      void core.close();
    },
  });
}
