// The environment-independent part of the package: wrappers over the wasm core.
import * as wasm from '../wasm/preconf_light.js';
import { guard } from './errors.js';

export { PreconfLightError } from './errors.js';

/** Version of the Rust core inside the loaded wasm. */
export function coreVersion(): string {
  return wasm.coreVersion();
}

/**
 * A sync committee (or any BLS key set) decoded once, for repeated
 * `FastAggregateVerify` checks.
 */
export class SyncCommittee {
  #inner: wasm.SyncCommittee;

  private constructor(inner: wasm.SyncCommittee) {
    this.#inner = inner;
  }

  /**
   * Decodes concatenated 48-byte compressed public keys.
   * `authenticated: true` skips the subgroup check; use it only for keys
   * proven by a Merkle branch to a verified beacon state.
   */
  static fromPubkeys(pubkeys: Uint8Array, options: { authenticated?: boolean } = {}): SyncCommittee {
    return new SyncCommittee(guard(() => new wasm.SyncCommittee(pubkeys, options.authenticated ?? false)));
  }

  /** Number of members. */
  get size(): number {
    return this.#inner.size;
  }

  /** Throws `PreconfLightError` unless the signature verifies. */
  verify(participation: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
    guard(() => this.#inner.verify(participation, message, signature));
  }

  /** Frees the wasm memory held by the keys. */
  free(): void {
    this.#inner.free();
  }
}

export * from './beacon.js';
export * from './execution.js';
export * from './proof.js';
export * from './client/index.js';
export * from './evm.js';
export * from './engine.js';
export { initBlocks } from './blocks.js';
