// Execution-layer verification: blocks, receipts and logs, proofs, code.
import * as wasm from '../wasm/preconf_light.js';
import { guard } from './errors.js';
import type { Hex } from './beacon.js';

/** The verified fields of an execution block. */
export interface VerifiedExecutionBlock {
  hash: Hex;
  number: number;
  parentHash: Hex;
  stateRoot: Hex;
  receiptsRoot: Hex;
  transactionsRoot: Hex;
  timestamp: number;
  /** Whether full transaction objects were present and the transactions root rebuilt. */
  transactionsChecked: boolean;
  /** The transaction hashes in block order, when `transactionsChecked`. */
  transactionHashes: Hex[] | null;
  /** Whether `withdrawals` were present and rebuilt `withdrawalsRoot`. */
  withdrawalsChecked: boolean;
  /** Every header field, as `eth_getBlockBy*` names them (quantities as 0x-hex). */
  header: Record<string, Hex>;
}

/** The consensus fields of one receipt, as the receipts root commits them. */
export interface VerifiedReceipt {
  type: Hex;
  status: Hex;
  cumulativeGasUsed: Hex;
  logsBloom: Hex;
  logCount: number;
}

/** A log proven by the receipts root. */
export interface VerifiedLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  /** `null` unless verified with the block (`verifyBlockReceipts`). */
  transactionHash: Hex | null;
  transactionIndex: number;
  logIndex: number;
}

/** `eth_getLogs`-style filter. */
export interface LogFilter {
  address?: Hex | Hex[];
  topics?: (Hex | Hex[] | null)[];
}

/** Verified receipts: the logs that match the filter. */
export interface VerifiedReceipts {
  receiptsRoot: Hex;
  receiptCount: number;
  /** The receipts in block order. */
  receipts: VerifiedReceipt[];
  logs: VerifiedLog[];
}

/** An account and storage slots proven against a state root. */
export interface VerifiedAccount {
  address: Hex;
  exists: boolean;
  balance: Hex;
  nonce: Hex;
  codeHash: Hex;
  storageHash: Hex;
  storage: { key: Hex; value: Hex }[];
}

/**
 * Verifies an `eth_getBlockByHash/ByNumber` result: keccak(rlp(header)) must
 * equal its hash and `expectedHash` (a hash you verified, e.g. from the beacon
 * light client) when given.
 */
export function verifyExecutionBlock(rpcBlock: object | string, expectedHash?: Hex | string): VerifiedExecutionBlock {
  return guard(() => wasm.verifyExecutionBlock(rpcBlock, expectedHash)) as VerifiedExecutionBlock;
}

/** Rebuilds the receipts root from `eth_getBlockReceipts` and returns the proven logs. */
export function verifyReceipts(receiptsRoot: Hex | string, rpcReceipts: object | string, filter?: LogFilter): VerifiedReceipts {
  return guard(() => wasm.verifyReceipts(receiptsRoot, rpcReceipts, filter)) as VerifiedReceipts;
}

/** As `verifyReceipts`, anchored on a block verified in the same call; logs carry transaction hashes. */
export function verifyBlockReceipts(
  rpcBlock: object | string,
  rpcReceipts: object | string,
  expectedHash?: Hex | string,
  filter?: LogFilter,
): VerifiedReceipts {
  return guard(() => wasm.verifyBlockReceipts(rpcBlock, rpcReceipts, expectedHash, filter)) as VerifiedReceipts;
}

/** Verifies an `eth_getProof` response; stated values that disagree with the proof throw. */
export function verifyAccountProof(stateRoot: Hex | string, getProofResponse: object | string): VerifiedAccount {
  return guard(() => wasm.verifyAccountProof(stateRoot, getProofResponse)) as VerifiedAccount;
}

/** Verifies `eth_getCode` output against the code hash proven by an `eth_getProof` response. */
export function verifyCode(stateRoot: Hex | string, getProofResponse: object | string, code: Uint8Array | Hex | string): Hex {
  return guard(() => wasm.verifyCode(stateRoot, getProofResponse, code)) as Hex;
}
