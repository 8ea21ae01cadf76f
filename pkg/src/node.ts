// Entry point for node >= 20: loads the wasm from the package folder.
import { readFile } from 'node:fs/promises';
import initWasm from '../wasm/preconf_light.js';
import { createClient } from './client/client.js';
import { LocalCore } from './client/core-backend.js';
import type { PreconfClient, PreconfClientOptions } from './client/types.js';
import { anchoredProvider, type AnchoredProviderOptions, type Eip1193Provider, type Eip1193ProviderOptions } from './client/provider.js';

export * from './core.js';
import { setEvmWasmSource } from './evm-source.js';
import { setSp1WasmSource } from './sp1-source.js';
import { setBlocksWasmSource } from './blocks.js';

setEvmWasmSource(() => readFile(new URL('../wasm/preconf_light_evm_bg.wasm', import.meta.url)));
setSp1WasmSource(() => readFile(new URL('../wasm/preconf_light_sp1_bg.wasm', import.meta.url)));
setBlocksWasmSource(() => readFile(new URL('../wasm/preconf_light_blocks_bg.wasm', import.meta.url)));
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
