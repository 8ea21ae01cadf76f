// Type entry: the API is the same in node and browsers.
import type { PreconfClient, PreconfClientOptions } from './client/types.js';
import type { Storage } from './client/storage.js';
import type { AnchoredProviderOptions, Eip1193Provider, Eip1193ProviderOptions } from './client/provider.js';
export * from './core.js';
/** Loads and instantiates the wasm core. Idempotent; call before anything else. */
export declare function init(wasmUrl?: string | URL): Promise<void>;
/**
 * Creates a client that syncs and follows L1 (and later the rollup) and
 * answers `status` / `watch` / `waitFor` from verified data only.
 */
export declare function createPreconfClient(options: PreconfClientOptions): PreconfClient;
/** Node only: persists values as files `<dir>/<key>.bin`. */
export declare function fileStorage(dir: string): Storage;
/** The EIP-1193 provider of a client (same as `client.provider`, with its own options). */
export declare function createEip1193Provider(client: PreconfClient, options?: Eip1193ProviderOptions): Eip1193Provider;
/** An EIP-1193 provider anchored on one trusted execution block hash instead of the light client. */
export declare function createAnchoredProvider(options: AnchoredProviderOptions): Eip1193Provider & { close(): void };
