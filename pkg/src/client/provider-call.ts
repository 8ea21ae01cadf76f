// `eth_call` over proven state. The local EVM runs the call on the verified
// block's state root and reports which accounts, storage slots, code and
// block hashes it lacks; each round fetches them (`eth_getProof`,
// `eth_getCode`, hash-chain walks from the verified block) and the core
// checks every proof against that root inside the next simulation, until
// the call finishes or the round limit is reached.
import { PreconfLightError } from '../errors.js';
import type { Hex } from '../beacon.js';
import type { EvmCall, NeedsState, SimulateRequest, SimulationResult } from '../evm.js';
import { ProviderRpcError, RPC_ERROR, type ProviderSource } from './provider-api.js';
import type { VerifiedBlock } from './provider-json.js';
import { hex, pad32 } from './provider-params.js';

/** BLOCKHASH reaches this many blocks back. */
const BLOCKHASH_WINDOW = 256;

/**
 * Runs `call` on verified block `b`, fetching proven state for at most
 * `rounds` rounds; returns the output.
 *
 * Throws `ProviderRpcError` 3 (reverted, `data` = revert data) or -32002
 * (`TOO_MANY_ROUNDS`), or the core's error for state that fails its proof.
 */
export async function verifiedCall(src: ProviderSource, b: VerifiedBlock, call: EvmCall, rounds: number): Promise<Hex> {
  const h = b.v.header;
  const request: SimulateRequest = {
    stateRoot: b.v.stateRoot,
    proofs: [],
    codes: [],
    blockHashes: [],
    block: {
      chainId: src.chainId(),
      spec: src.specAt(b.v.timestamp),
      number: b.v.number,
      timestamp: b.v.timestamp,
      beneficiary: h.miner as Hex,
      gasLimit: h.gasLimit as Hex,
      ...(h.baseFeePerGas ? { baseFee: h.baseFeePerGas } : {}),
      ...(h.mixHash ? { prevRandao: h.mixHash } : {}),
      ...(h.excessBlobGas ? { excessBlobGas: h.excessBlobGas } : {}),
    },
    txs: [call],
  };
  const slots = new Map<string, Set<string>>();
  const proofs = new Map<string, object>();
  const codes = new Map<string, Hex>();
  const hashes = new Map<number, Hex>();
      for (let round = 0; round < rounds; round++) {
    request.proofs = [...proofs.values()];
    request.codes = [...codes.values()];
    request.blockHashes = [...hashes].map(([number, hash]) => ({ number, hash }));
    const r: SimulationResult | NeedsState = await src.core().simulate(request);
    if (r.status === 'ok') {
      const o = r.outcomes[0]!;
      if (o.success) return o.output;
      throw new ProviderRpcError(RPC_ERROR.EXECUTION_REVERTED, `execution reverted${o.revertReason ? `: ${o.revertReason}` : ''}`, o.output);
    }
    const n = r.needs;
    // Code already supplied is asked for again only when it does not hash to the proven code hash.
    const bad = n.codes.find((a) => codes.has(a.toLowerCase()));
    if (bad) throw new PreconfLightError('CODE_HASH_MISMATCH', `the L1 RPC's code for ${bad} does not hash to the proven code hash`);
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
        const { result } = await src.rpc.rpc('eth_getProof', [a, [...(slots.get(a) ?? [])], hex(b.v.number)], src.signal);
        proofs.set(a, result as object);
      }),
      ...n.codes.map(async (a) => {
        const { result } = await src.rpc.rpc('eth_getCode', [a, hex(b.v.number)], src.signal);
        if (typeof result === 'string') codes.set(a.toLowerCase(), result as Hex);
      }),
      ...n.blockHashes.map(async (num) => {
        if (num >= b.v.number || num < b.v.number - BLOCKHASH_WINDOW) return;
        const c = await src.chain().canonicalAt(num, { blockHash: b.v.hash, blockNumber: b.v.number }, src.maxWalk);
        hashes.set(num, c.hash);
      }),
    ]);
  }
  throw new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, `eth_call needed more than ${rounds} rounds of state`, { code: 'TOO_MANY_ROUNDS' });
}
