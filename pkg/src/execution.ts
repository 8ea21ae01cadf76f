// Execution-layer verification: blocks, receipts and logs, proofs, code.
import * as wasm from '../wasm/preconf_light.js';
import { guard } from './errors.js';
import type { BeaconLightClient, Hex } from './beacon.js';

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

/** The verified execution payload of a beacon block, and the block's beacon identity. */
export interface VerifiedBeaconBlock {
  /** Execution block hash (rebuilt from the payload's fields). */
  hash: Hex;
  number: number;
  parentHash: Hex;
  timestamp: number;
  stateRoot: Hex;
  receiptsRoot: Hex;
  transactionsRoot: Hex;
  /** `null` before Capella. */
  withdrawalsRoot: Hex | null;
  feeRecipient: Hex;
  gasLimit: number;
  gasUsed: number;
  baseFeePerGas: Hex;
  /** `null` before Deneb. */
  blobGasUsed: number | null;
  excessBlobGas: number | null;
  parentBeaconBlockRoot: Hex | null;
  /** EIP-7685 requests hash of the body's execution requests; `null` before Electra. */
  requestsHash: Hex | null;
  prevRandao: Hex;
  extraData: Hex;
  /** keccak256 of each raw transaction, in block order. */
  transactionHashes: Hex[];
  beacon: { fork: string; slot: number; blockRoot: Hex; parentRoot: Hex; bodyRoot: Hex; blobCommitments: number };
}

/**
 * The verified header a beacon block is checked against: a
 * `BeaconLightClient` (its finalized or optimistic header at the block's
 * slot), or the client plus a header chain from the block's own header to
 * one of those (as in `verifyAncestor`). A header object alone is never
 * trusted.
 */
export type VerifiedHeaderSource = BeaconLightClient | { client: BeaconLightClient; headers: object[] };

/**
 * Verifies a full beacon block from `/eth/v2/beacon/blocks/{id}`:
 * `hash_tree_root(body)` must equal the verified header's `body_root`, slot,
 * proposer, parent and state roots must match, and the payload must rebuild
 * to its `block_hash`. `block` is SSZ bytes (then `fork`, the
 * `Eth-Consensus-Version` header, is required) or the JSON envelope
 * `{ version, data }`.
 */
export function verifyBeaconBlock(
  verifiedHeader: VerifiedHeaderSource,
  block: Uint8Array | object | string,
  fork?: string,
): VerifiedBeaconBlock {
  const { client, headers } =
    'client' in verifiedHeader ? verifiedHeader : { client: verifiedHeader, headers: undefined };
  return client.verifyBlock(block, { fork, headers }) as VerifiedBeaconBlock;
}
