// Request parameters of the EIP-1193 provider: checks and normal forms of
// addresses, hashes, quantities, storage keys and `eth_call` call objects.
import type { Hex } from '../beacon.js';
import type { EvmCall } from '../evm.js';
import { ProviderRpcError, RPC_ERROR } from './provider-api.js';

export const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
export const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
export const QUANTITY_RE = /^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** A number as a JSON-RPC quantity. */
export const hex = (n: number | bigint): Hex => `0x${n.toString(16)}`;
/** A quantity as a 32-byte word. */
export const pad32 = (v: string): Hex => `0x${BigInt(v).toString(16).padStart(64, '0')}`;
/** An invalid-params error (-32602). */
export const invalid = (msg: string) => new ProviderRpcError(RPC_ERROR.INVALID_PARAMS, msg);

/** A storage slot parameter as a 32-byte key. */
export function slotKey(slot: unknown): Hex {
  if (typeof slot !== 'string' || !/^0x[0-9a-fA-F]{0,64}$/.test(slot) || slot === '0x') throw invalid('a storage slot is a 0x quantity or a 32-byte key');
  return pad32(slot);
}

/** An `eth_call` call object as the EVM's call. */
export function toEvmCall(p: unknown): EvmCall {
  if (!p || typeof p !== 'object') throw invalid('eth_call expects a call object');
  const c = p as Record<string, unknown>;
  const addr = (v: unknown, name: string): Hex | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !ADDRESS_RE.test(v)) throw invalid(`${name} must be a 20-byte 0x address`);
    return v.toLowerCase() as Hex;
  };
  const qty = (v: unknown, name: string): Hex | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !QUANTITY_RE.test(v)) throw invalid(`${name} must be a 0x quantity`);
    return v as Hex;
  };
  const data = c.input ?? c.data;
  if (data !== undefined && data !== null && (typeof data !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(data))) throw invalid('data must be 0x bytes');
  const to = addr(c.to, 'to');
  const value = qty(c.value, 'value');
  const gas = qty(c.gas, 'gas');
  return {
    from: addr(c.from, 'from') ?? ZERO_ADDRESS,
    ...(to ? { to } : {}),
    ...(value ? { value } : {}),
    ...(gas ? { gas } : {}),
    ...(typeof data === 'string' ? { data: data as Hex } : {}),
  };
}
