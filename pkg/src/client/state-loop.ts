// The proof-fetching loop around the local EVM: run `simulate`; while it
// answers `needsState`, fetch the proofs, code and block hashes it names and
// run it again. Every fetched proof and code is checked by the core against
// the request's trusted state root; this loop only carries data. Used by the
// EIP-1193 provider's `eth_call` (L1) and by `simulateAction` (L2).
import { PreconfLightError } from '../errors.js';
import type { Hex } from '../beacon.js';
import type { NeedsState, SimulateRequest, SimulationResult } from '../evm.js';
import type { CoreBackend } from './core-backend.js';
import { pad32 } from './provider-params.js';

/** Where the loop gets state for the block being simulated. */
export interface StateSource {
  /** `eth_getProof(address, slots)` at the block. */
  proof(address: Hex, slots: Hex[]): Promise<object>;
  /** `eth_getCode(address)` at the block, or `null`. */
  code(address: Hex): Promise<Hex | null>;
  /** A trusted hash of block `number` (for BLOCKHASH), or `null` if none can be given. */
  blockHash(number: number): Promise<Hex | null>;
}

/**
 * Runs `request` to completion, fetching what it needs from `source` for at
 * most `rounds` rounds; returns `null` when it still needs state after them.
 *
 * # Errors
 * `CODE_HASH_MISMATCH` when code already supplied is asked for again (it did
 * not hash to the proven code hash); the core's errors (`INVALID_PROOF`, ...)
 * and the source's, as thrown.
 */
export async function simulateWithState(core: CoreBackend, request: SimulateRequest, source: StateSource, rounds: number): Promise<SimulationResult | null> {
  const slots = new Map<string, Set<string>>();
  const proofs = new Map<string, object>();
  const codes = new Map<string, Hex>();
  const hashes = new Map<number, Hex>();
  for (let round = 0; round < rounds; round++) {
    request.proofs = [...proofs.values()];
    request.codes = [...codes.values()];
    request.blockHashes = [...hashes].map(([number, hash]) => ({ number, hash }));
    const r: SimulationResult | NeedsState = await core.simulate(request);
    if (r.status === 'ok') return r;
    const n = r.needs;
    // Code already supplied is asked for again only when it does not hash to the proven code hash.
    const bad = n.codes.find((a) => codes.has(a.toLowerCase()));
    if (bad) throw new PreconfLightError('CODE_HASH_MISMATCH', `the RPC's code for ${bad} does not hash to the proven code hash`);
    const touched = new Set<string>(n.accounts.map((a) => a.toLowerCase()));
    for (const s of n.slots) {
      const a = s.address.toLowerCase();
      touched.add(a);
      let set = slots.get(a);
      if (!set) slots.set(a, (set = new Set()));
      set.add(pad32(s.slot));
    }
    await Promise.all([
      ...[...touched].map(async (a) => {
        proofs.set(a, await source.proof(a as Hex, [...(slots.get(a) ?? [])] as Hex[]));
      }),
      ...n.codes.map(async (a) => {
        const c = await source.code(a);
        if (typeof c === 'string') codes.set(a.toLowerCase(), c);
      }),
      ...n.blockHashes.map(async (num) => {
        const h = await source.blockHash(num);
        if (h) hashes.set(num, h);
      }),
    ]);
  }
  return null;
}
