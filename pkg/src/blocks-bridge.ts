// Internal: how the wasm core verifies a full beacon block. The core is built
// without the block decoder; its `BeaconLightClient.verifyBlock`
// (src/wasm/blocks.rs) imports `verifyBlockForCore` from this file
// (`../dist/blocks-bridge.js` relative to the core's glue) with the headers it
// verified, its network and the block, and this runs the blocks module's
// `verifyBlockForCore` on them. Both modules and this glue are the package's
// own files: nothing from outside crosses here unverified.
import { loadedBlocks } from './blocks.js';

/** Runs the loaded blocks module; throws `BLOCKS_MODULE_NOT_LOADED` before `initBlocks()`. */
export function verifyBlockForCore(network: unknown, candidates: Uint8Array, bySlot: boolean, block: unknown, fork: string | undefined): unknown {
  const blocks = loadedBlocks();
  if (!blocks) {
    const e = new Error('the blocks module is not loaded: call initBlocks() first') as Error & { code: string };
    e.code = 'BLOCKS_MODULE_NOT_LOADED';
    throw e;
  }
  return blocks.verifyBlockForCore(network, candidates, bySlot, block, fork);
}
