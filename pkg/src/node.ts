// Entry point for node >= 20: loads the wasm from the package folder.
import { readFile } from 'node:fs/promises';
import initWasm from '../wasm/preconf_light.js';
import { createClient } from './client/client.js';
import { LocalCore } from './client/core-backend.js';
import type { PreconfClient, PreconfClientOptions } from './client/types.js';

export * from './core.js';
export { fileStorage } from './client/file-storage.js';

let ready: Promise<void> | undefined;

/** Loads and instantiates the wasm core. Idempotent; call before anything else. */
export function init(): Promise<void> {
  ready ??= (async () => {
    const bytes = await readFile(new URL('../wasm/preconf_light_bg.wasm', import.meta.url));
    await initWasm({ module_or_path: bytes });
  })();
  return ready;
}

/**
 * Creates a client that syncs and follows L1 (and later the rollup) and
 * answers `status` / `watch` / `waitFor` from verified data only. In node
 * the wasm core runs in-process.
 */
export function createPreconfClient(options: PreconfClientOptions): PreconfClient {
  return createClient(options, { ready: init, core: () => new LocalCore() });
}
