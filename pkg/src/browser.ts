// Entry point for browsers and bundlers: fetches the wasm next to this file.
import { init } from './init-browser.js';
import { createClient } from './client/client.js';
import { LocalCore, WorkerCore } from './client/core-backend.js';
import type { PreconfClient, PreconfClientOptions } from './client/types.js';
import { anchoredProvider, type AnchoredProviderOptions, type Eip1193Provider, type Eip1193ProviderOptions } from './client/provider.js';

export * from './core.js';
export { init };

/**
 * Creates a client that syncs and follows L1 (and later the rollup) and
 * answers `status` / `watch` / `waitFor` from verified data only. In
 * browsers the wasm core runs in a Web Worker unless `worker: false`.
 */
export function createPreconfClient(options: PreconfClientOptions): PreconfClient {
  const useWorker = options?.worker !== false && typeof Worker !== 'undefined';
  return createClient(options, {
    ready: () => (useWorker ? Promise.resolve() : init()),
    core: (o) => {
      if (!useWorker) return new LocalCore();
      if (o.worker && typeof o.worker === 'object') return new WorkerCore(o.worker, false);
      return new WorkerCore(new Worker(new URL('./client/worker.js', import.meta.url), { type: 'module' }), true);
    },
  });
}

/** The EIP-1193 provider of a client (same as `client.provider`, with its own options). */
export function createEip1193Provider(client: PreconfClient, options?: Eip1193ProviderOptions): Eip1193Provider {
  return (client as PreconfClient & { eip1193(o?: Eip1193ProviderOptions): Eip1193Provider }).eip1193(options);
}

/**
 * An EIP-1193 provider anchored on one trusted execution block hash instead
 * of the light client (scripts, tests, your own node's head). The core runs
 * in this thread.
 */
export function createAnchoredProvider(options: AnchoredProviderOptions): Eip1193Provider & { close(): void } {
  return anchoredProvider(options, new LocalCore(), init());
}
