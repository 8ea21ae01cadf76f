// SP1 validity proofs (Groth16 and Plonk, SP1 v3 to v6.1+).
//
// The curve code (arkworks, the SP1 verifying keys) would add ~40% to the
// core's download, and most wallets never see an SP1 proof, so it lives in a
// third wasm module (`wasm/preconf_light_sp1_bg.wasm`) fetched and
// instantiated the first time a proof is verified (or `initSp1()` is called).
// The functions are therefore async. The core reaches the same module through
// `sp1-bridge.ts` when its rollup engine ingests a batch proof.
import { guard } from './errors.js';
import { sp1WasmSource } from './sp1-source.js';
import type { Hex } from './beacon.js';

/** What a verified SP1 proof was. */
export interface Sp1ProofInfo {
  system: 'groth16' | 'plonk';
  /** The SP1 release range whose verifying key accepted it, e.g. `v6.1.0-v6.10.0`. */
  sp1Version: string;
  /** How the public values were committed: `sha256` or `blake3`. */
  digest: 'sha256' | 'blake3';
}

/** Everything a verified SP1 proof established, public values included. */
export interface Sp1ProofReceipt extends Sp1ProofInfo {
  /** The v6 proof nonce, `null` before v6. */
  nonce: Hex | null;
  /** The program verifying-key hash the proof was checked against. */
  programVkey: Hex;
  /** The public values the proof commits to (verified). */
  publicValues: Hex;
}

/** An SP1 proof to check: proof bytes, public values, and the program's verifying-key hash. */
export interface Sp1ProofInput {
  proof: Uint8Array | Hex | string;
  publicValues: Uint8Array | Hex | string;
  vkeyHash: Hex | string;
}

/**
 * Verifies an SP1 proof for a program verifying key. The verifying key of
 * the proof's SP1 release is chosen by its 4-byte prefix.
 */
export async function verifySp1Proof(input: Sp1ProofInput): Promise<Sp1ProofInfo> {
  const sp1 = await loadSp1();
  return guard(() => sp1.verifySp1Proof(input)) as Sp1ProofInfo;
}

/** As `verifySp1Proof`, returning the public values it verified and the rest of the receipt. */
export async function verifySp1ProofReceipt(input: Sp1ProofInput): Promise<Sp1ProofReceipt> {
  const sp1 = await loadSp1();
  return guard(() => sp1.verifySp1ProofReceipt(input)) as Sp1ProofReceipt;
}

type Sp1Glue = typeof import('../wasm/preconf_light_sp1.js');

let sp1Module: Promise<Sp1Glue> | undefined;
let loaded: Sp1Glue | undefined;

function loadSp1(wasmUrl?: string | URL): Promise<Sp1Glue> {
  sp1Module ??= (async () => {
    const glue = await import('../wasm/preconf_light_sp1.js');
    await glue.default({ module_or_path: wasmUrl ?? (await sp1WasmSource()) });
    loaded = glue;
    return glue;
  })();
  sp1Module.catch(() => {
    sp1Module = undefined;
  });
  return sp1Module;
}

/** The SP1 module if it is instantiated (internal: for `sp1-bridge.ts`). */
export function loadedSp1(): Sp1Glue | undefined {
  return loaded;
}

/**
 * Loads the SP1 module now instead of on the first proof. Idempotent.
 * `wasmUrl` overrides where `preconf_light_sp1_bg.wasm` is fetched from
 * (e.g. a bundler's asset URL). Call it before `PreconfEngine.ingestBatchProof`
 * when using the engine directly (the client does).
 */
export async function initSp1(wasmUrl?: string | URL): Promise<void> {
  await loadSp1(wasmUrl);
}
