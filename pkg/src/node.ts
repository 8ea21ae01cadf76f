// Entry point for node >= 20: loads the wasm from the package folder.
import { readFile } from 'node:fs/promises';
import initWasm from '../wasm/preconf_light.js';

export * from './core.js';

let ready: Promise<void> | undefined;

/** Loads and instantiates the wasm core. Idempotent; call before anything else. */
export function init(): Promise<void> {
  ready ??= (async () => {
    const bytes = await readFile(new URL('../wasm/preconf_light_bg.wasm', import.meta.url));
    await initWasm({ module_or_path: bytes });
  })();
  return ready;
}
