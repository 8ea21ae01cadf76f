// SP1 validity proofs (Groth16 and Plonk, SP1 v3 to v6.1+).
import * as wasm from '../wasm/preconf_light.js';
import { guard } from './errors.js';
import type { Hex } from './beacon.js';

/** What a verified SP1 proof was. */
export interface Sp1ProofInfo {
  system: 'groth16' | 'plonk';
  /** The SP1 release range whose verifying key accepted it, e.g. `v6.1.0-v6.10.0`. */
  sp1Version: string;
  /** How the public values were committed: `sha256` or `blake3`. */
  digest: 'sha256' | 'blake3';
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
export function verifySp1Proof(input: Sp1ProofInput): Sp1ProofInfo {
  return guard(() => wasm.verifySp1Proof(input)) as Sp1ProofInfo;
}
