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

/**
 * Rebuilds the receipts root from `eth_getBlockReceipts` and returns the proven logs.
 *
 * `rpcReceipts` is the parsed result (or whole JSON-RPC response), or its JSON
 * text as a string or UTF-8 bytes. Text (`await response.text()`, or the
 * body bytes `new Uint8Array(await response.arrayBuffer())`) is the fast
 * path: it is read directly into typed receipts, skipping `JSON.parse` in JS
 * and the `JSON.stringify` an object needs to cross into wasm. Every form gets
 * the same checks; malformed text or bytes throw `DECODE_ERROR`.
 */
export function verifyReceipts(
  receiptsRoot: Hex | string,
  rpcReceipts: object | string | Uint8Array,
  filter?: LogFilter,
): VerifiedReceipts {
  return guard(() => wasm.verifyReceipts(receiptsRoot, jsonBytes(rpcReceipts), filter)) as VerifiedReceipts;
}

const utf8 = new TextEncoder();

/**
 * JSON as UTF-8 bytes for wasm: `TextEncoder` is native, much faster than
 * the character-by-character copy a string argument gets. Objects are
 * stringified here for the same reason.
 */
function jsonBytes(json: object | string | Uint8Array): Uint8Array {
  if (json instanceof Uint8Array) return json;
  if (typeof json === 'string') return utf8.encode(json);
  const text: unknown = JSON.stringify(json);
  // Non-JSON values (undefined, functions) go to wasm as they are and are refused there.
  return typeof text === 'string' ? utf8.encode(text) : (json as Uint8Array);
}

/**
 * As `verifyReceipts`, anchored on a block verified in the same call; logs
 * carry transaction hashes. `rpcReceipts` may be JSON text or its UTF-8 bytes
 * (the fast path).
 */
export function verifyBlockReceipts(
  rpcBlock: object | string,
  rpcReceipts: object | string | Uint8Array,
  expectedHash?: Hex | string,
  filter?: LogFilter,
): VerifiedReceipts {
  return guard(() =>
    wasm.verifyBlockReceipts(rpcBlock, jsonBytes(rpcReceipts), expectedHash, filter),
  ) as VerifiedReceipts;
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
 * `{ version, data }`. The block decoder is a separate wasm module, loaded
 * on the first call (or by `initBlocks()`), so this is async.
 */
export async function verifyBeaconBlock(
  verifiedHeader: VerifiedHeaderSource,
  block: Uint8Array | object | string,
  fork?: string,
): Promise<VerifiedBeaconBlock> {
  const { client, headers } =
    'client' in verifiedHeader ? verifiedHeader : { client: verifiedHeader, headers: undefined };
  return (await client.verifyBlock(block, { fork, headers })) as VerifiedBeaconBlock;
}
