// The beacon block decoder, a lazily loaded wasm module.
//
// Decoding full beacon blocks (every body container, Bellatrix to Fulu) is
// ~50 KiB of gzip that no first-use path needs, so it lives in
// `wasm/preconf_light_blocks_bg.wasm`, loaded by the first
// `verifyBeaconBlock` / `BeaconLightClient.verifyBlock` (both async) or by
// `initBlocks()`. The core resolves the verified headers and hands them with
// the block to this module through `blocks-bridge.ts`.
type WasmSource = string | URL | BufferSource;
type BlocksGlue = typeof import('../wasm/preconf_light_blocks.js');

let source: () => Promise<WasmSource> = async () => new URL('../wasm/preconf_light_blocks_bg.wasm', import.meta.url);
let blocksModule: Promise<BlocksGlue> | undefined;
let loaded: BlocksGlue | undefined;

/** Replaces the default source (the node entry point reads the file). Internal. */
export function setBlocksWasmSource(next: () => Promise<WasmSource>): void {
  source = next;
}

/** The blocks module if it is instantiated (internal: for `blocks-bridge.ts`). */
export function loadedBlocks(): BlocksGlue | undefined {
  return loaded;
}

/**
 * Loads the beacon block decoder now instead of on the first block. Idempotent.
 * `wasmUrl` overrides where `preconf_light_blocks_bg.wasm` is fetched from
 * (e.g. a bundler's asset URL).
 */
export async function initBlocks(wasmUrl?: string | URL): Promise<void> {
  blocksModule ??= (async () => {
    const glue = await import('../wasm/preconf_light_blocks.js');
    await glue.default({ module_or_path: wasmUrl ?? (await source()) });
    loaded = glue;
    return glue;
  })();
  blocksModule.catch(() => {
    blocksModule = undefined;
  });
  await blocksModule;
}
