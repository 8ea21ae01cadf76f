// `eth_call` over proven state. The local EVM runs the call on the verified
// block's state root and reports which accounts, storage slots, code and
// block hashes it lacks; each round fetches them (`eth_getProof`,
// `eth_getCode`, hash-chain walks from the verified block) and the core
// checks every proof against that root inside the next simulation, until
// the call finishes or the round limit is reached.
import type { Hex } from '../beacon.js';
import type { EvmCall, SimulateRequest } from '../evm.js';
import { ProviderRpcError, RPC_ERROR, type ProviderSource } from './provider-api.js';
import type { VerifiedBlock } from './provider-json.js';
import { hex } from './provider-params.js';
import { simulateWithState, type StateSource } from './state-loop.js';

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
  const source: StateSource = {
    proof: async (a, keys) => (await src.rpc.rpc('eth_getProof', [a, keys, hex(b.v.number)], src.signal)).result as object,
    code: async (a) => {
      const { result } = await src.rpc.rpc('eth_getCode', [a, hex(b.v.number)], src.signal);
      return typeof result === 'string' ? (result as Hex) : null;
    },
    blockHash: async (num) => {
      if (num >= b.v.number || num < b.v.number - BLOCKHASH_WINDOW) return null;
      return src.chain().canonicalAt(num, { blockHash: b.v.hash, blockNumber: b.v.number }, src.maxWalk);
    },
  };
  const r = await simulateWithState(src.core(), request, source, rounds);
  if (r) {
    const o = r.outcomes[0]!;
    if (o.success) return o.output;
    throw new ProviderRpcError(RPC_ERROR.EXECUTION_REVERTED, `execution reverted${o.revertReason ? `: ${o.revertReason}` : ''}`, o.output);
  }
  throw new ProviderRpcError(RPC_ERROR.RESOURCE_UNAVAILABLE, `eth_call needed more than ${rounds} rounds of state`, { code: 'TOO_MANY_ROUNDS' });
}
