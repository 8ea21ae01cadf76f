// Argument checks for the client's SP1 proof methods (`verifySp1Proof`,
// `ingestBatchProof`), which run in the core backend (the Web Worker in
// browsers). Hex strings become fresh byte arrays here, so only bytes the
// client made, or the caller handed over, are transferred to a worker.
import { PreconfLightError } from '../errors.js';
import type { Sp1ProofInput } from '../proof.js';

const HEX_RE = /^(0x)?([0-9a-fA-F]{2})*$/;

/** Whether `b` was transferred away (to the core worker by an earlier call): it is then detached and empty. */
function isDetached(b: ArrayBufferLike): boolean {
  const flag = (b as ArrayBuffer & { detached?: boolean }).detached;
  if (flag !== undefined) return flag;
  if (b.byteLength !== 0) return false;
  try {
    // Engines without `ArrayBuffer.prototype.detached` (node 20) refuse a view on a detached buffer.
    new Uint8Array(b);
    return false;
  } catch {
    return true;
  }
}

/** `v` as bytes: a `Uint8Array` as is, a hex string (with or without `0x`) decoded. */
export function proofBytes(v: unknown, name: string): Uint8Array {
  if (v instanceof Uint8Array) {
    if (isDetached(v.buffer)) {
      throw new PreconfLightError('INVALID_ARGUMENT', `${name} was transferred to the core worker by an earlier call; pass a copy to reuse bytes`);
    }
    return v;
  }
  if (typeof v !== 'string' || !HEX_RE.test(v)) throw new PreconfLightError('INVALID_ARGUMENT', `${name} must be a Uint8Array or a hex string`);
  const hex = v.startsWith('0x') ? v.slice(2) : v;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The input with its proof and public values as bytes; `vkeyHash` is checked by the core. */
export function proofInput(input: unknown): Sp1ProofInput {
  if (!input || typeof input !== 'object') throw new PreconfLightError('INVALID_ARGUMENT', 'expected { proof, publicValues, vkeyHash }');
  const i = input as Record<string, unknown>;
  if (typeof i.vkeyHash !== 'string') throw new PreconfLightError('INVALID_ARGUMENT', 'vkeyHash must be a 0x hex string');
  return { proof: proofBytes(i.proof, 'proof'), publicValues: proofBytes(i.publicValues, 'publicValues'), vkeyHash: i.vkeyHash };
}
