// Loads the wasm in browsers and bundlers: fetched next to this module.
import initWasm from '../wasm/preconf_light.js';

let ready: Promise<void> | undefined;

/**
 * Loads and instantiates the wasm core. Idempotent; call before anything else.
 * `wasmUrl` overrides where the `.wasm` file is fetched from.
 */
export function init(wasmUrl?: string | URL): Promise<void> {
  ready ??= (async () => {
    await initWasm({ module_or_path: wasmUrl ?? new URL('../wasm/preconf_light_bg.wasm', import.meta.url) });
  })();
  return ready;
}
