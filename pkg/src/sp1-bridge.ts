// Internal: how the wasm core verifies an SP1 proof. The core is built
// without the SP1 curve code; its Rust `verify_sp1_proof` (src/proof/bridge.rs)
// imports `verifyForCore` from this file (`../dist/sp1-bridge.js` relative to
// the core's glue) and gets back what the SP1 module verified. Both modules
// and this glue are the package's own files: no outside value crosses here
// unverified, and the core keeps the proof, public values and vkey it passed.
import { loadedSp1 } from './proof.js';

/** Verifies in the loaded SP1 module; throws `SP1_MODULE_NOT_LOADED` before `initSp1()`. */
export function verifyForCore(proof: Uint8Array, publicValues: Uint8Array, vkeyHash: string): unknown {
  const sp1 = loadedSp1();
  if (!sp1) {
    const e = new Error('the SP1 module is not loaded: call initSp1() first') as Error & { code: string };
    e.code = 'SP1_MODULE_NOT_LOADED';
    throw e;
  }
  return sp1.verifySp1ProofReceipt({ proof, publicValues, vkeyHash });
}
