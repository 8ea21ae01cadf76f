// Local EVM checks (revm over proven state): simulation and stateless block re-execution.
// Present when the core is built with its default `evm` feature.
import * as wasm from '../wasm/preconf_light.js';
import { guard } from './errors.js';
import type { Hex } from './beacon.js';

/** A number, or a 0x-hex quantity. */
export type Quantity = number | Hex;

/** The block a simulation runs in. */
export interface EvmBlock {
  chainId: Quantity;
  /** `"shanghai" | "cancun" | "prague"` (default `"cancun"`). */
  spec?: 'shanghai' | 'cancun' | 'prague';
  number: Quantity;
  timestamp: Quantity;
  beneficiary: Hex;
  gasLimit: Quantity;
  baseFee?: Quantity;
  prevRandao?: Hex;
  excessBlobGas?: Quantity;
}

/** An unsigned call, executed like `eth_call` (no fee or balance checks). */
export interface EvmCall {
  from: Hex;
  /** Omit to create a contract from `data`. */
  to?: Hex;
  value?: Quantity;
  data?: Hex;
  gas?: Quantity;
}

/** A check on the state after the transactions. */
export type EvmAssertion =
  | { type: 'balanceAtLeast'; address: Hex; min: Quantity }
  | { type: 'storageEquals'; address: Hex; slot: Hex; value: Quantity }
  | { type: 'callReturns'; call: EvmCall; output: Hex };

/** A block hash the caller trusts (for BLOCKHASH). */
export interface TrustedBlockHash {
  number: Quantity;
  hash: Hex;
}

/** Input of `simulate`. */
export interface SimulateRequest {
  /** A trusted state root: a verified L1 state root or a certified L2 block's. */
  stateRoot: Hex;
  /** `eth_getProof` results against `stateRoot` (each is verified). */
  proofs?: object[];
  /** Contract code (`eth_getCode`); only used where its keccak matches a proven code hash. */
  codes?: Hex[];
  blockHashes?: TrustedBlockHash[];
  block: EvmBlock;
  /** Calls, or signed EIP-2718 transactions as 0x-hex, executed in order. */
  txs?: (EvmCall | Hex)[];
  assertions?: EvmAssertion[];
}

/** State the core needs before it can answer: fetch it and retry. */
export interface NeedsState {
  status: 'needsState';
  needs: {
    /** `eth_getProof(address, [])`. */
    accounts: Hex[];
    /** `eth_getProof(address, [slot])`. */
    slots: { address: Hex; slot: Hex }[];
    /** `eth_getCode(address)`. */
    codes: Hex[];
    /** Block numbers whose hashes BLOCKHASH read. */
    blockHashes: number[];
  };
}

/** A log emitted during execution. */
export interface EvmLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
}

/** The outcome of one transaction. */
export interface TxOutcome {
  success: boolean;
  output: Hex;
  /** `Error(string)` text, `panic 0x..`, `halt: ..`, or the revert data. */
  revertReason: string | null;
  gasUsed: number;
  created: Hex | null;
  logs: EvmLog[];
}

/** How an account changed: `[before, after]` pairs. */
export interface AccountChange {
  address: Hex;
  balance: [Hex, Hex];
  nonce: [number, number];
  codeHash: [Hex, Hex];
  existsAfter: boolean;
  storage: { slot: Hex; before: Hex; after: Hex }[];
}

/** A simulation over proven state. */
export interface SimulationResult {
  status: 'ok';
  /** Every transaction succeeded and every assertion passed. */
  ok: boolean;
  stateRoot: Hex;
  gasUsed: number;
  outcomes: TxOutcome[];
  stateChanges: AccountChange[];
  assertions: { passed: boolean; actual: string }[];
}

/** Input of `reexecuteBlock`. */
export interface ReexecuteRequest {
  /** The parent's state root (trusted: e.g. the certified parent header's). */
  preStateRoot: Hex;
  /** The block's header as `eth_getBlockBy*` returns it. */
  header: object;
  /** Raw signed transactions (0x-hex EIP-2718), in order. */
  transactions: Hex[];
  /** The block's withdrawals (`eth_getBlockBy*` shape), if any. */
  withdrawals?: object[];
  chainId: Quantity;
  spec?: 'shanghai' | 'cancun' | 'prague';
  witness: {
    /** `eth_getProof` results against `preStateRoot` for everything the block touches. */
    proofs: object[];
    codes?: Hex[];
    /** Extra trie nodes (e.g. a sibling a deletion collapses onto). */
    extraNodes?: Hex[];
    blockHashes?: TrustedBlockHash[];
  };
}

/** A block whose post-state root, receipts root and gas used re-execution reproduced. */
export interface ReexecutedBlock {
  status: 'verified';
  /** The `executionChecked` mark. */
  executionChecked: true;
  number: number;
  blockHash: Hex;
  preStateRoot: Hex;
  stateRoot: Hex;
  receiptsRoot: Hex;
  gasUsed: number;
  transactions: number;
}

/**
 * Simulates calls or signed transactions (a bundle) over proven state, then
 * checks the assertions. Returns `needsState` when execution reads state that
 * was not proven. Throws `PreconfLightError` (`INVALID_PROOF`,
 * `INVALID_TRANSACTION`, `INVALID_INPUT`, ...) otherwise.
 */
export function simulate(request: SimulateRequest): SimulationResult | NeedsState {
  return guard(() => wasm.simulate(request)) as SimulationResult | NeedsState;
}

/**
 * Re-executes a block from a witness over its parent's state root. Throws
 * `PreconfLightError` with `POST_STATE_ROOT_MISMATCH`, `RECEIPTS_ROOT_MISMATCH`,
 * `GAS_USED_MISMATCH`, `TRANSACTIONS_ROOT_MISMATCH` or `INVALID_TRANSACTION`
 * for an invalid block, `MISSING_WITNESS` / `INVALID_PROOF` for a bad witness.
 */
export function reexecuteBlock(request: ReexecuteRequest): ReexecutedBlock | NeedsState {
  return guard(() => wasm.reexecuteBlock(request)) as ReexecutedBlock | NeedsState;
}
