// Entry point for browsers and bundlers: fetches the wasm next to this file.
import { init } from './init-browser.js';
import { createClient } from './client/client.js';
import { LocalCore, WorkerCore } from './client/core-backend.js';
import type { PreconfClient, PreconfClientOptions } from './client/types.js';

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
