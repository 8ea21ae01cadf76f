// Answers of the EIP-1193 provider in the JSON-RPC shapes wallets expect,
// built from verified fields only: blocks (`eth_getBlockBy*`) and receipts
// (`eth_getTransactionReceipt`, `eth_getBlockReceipts`).
import type { VerifiedExecutionBlock, VerifiedReceipts } from '../execution.js';
import { hex } from './provider-params.js';

const EMPTY_OMMERS_HASH = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';

/** A verified header and, when fetched with bodies, the raw RPC block it came from. */
export interface VerifiedBlock {
  v: VerifiedExecutionBlock;
  raw: Record<string, unknown>;
}

/** The verified block as `eth_getBlockBy*` returns it: header fields, hash, and only bodies the core rebuilt. */
export function blockJson(b: VerifiedBlock): Record<string, unknown> {
  const out: Record<string, unknown> = { ...b.v.header, hash: b.v.hash };
  if (b.v.header.sha3Uncles?.toLowerCase() === EMPTY_OMMERS_HASH) out.uncles = [];
  if (b.v.transactionHashes) out.transactions = b.v.transactionHashes;
  if (b.v.withdrawalsChecked && Array.isArray(b.raw.withdrawals)) {
    out.withdrawals = (b.raw.withdrawals as Record<string, string>[]).map((w) => ({
      index: hex(BigInt(w.index!)),
      validatorIndex: hex(BigInt(w.validatorIndex!)),
      address: w.address!.toLowerCase(),
      amount: hex(BigInt(w.amount!)),
    }));
  }
  return out;
}

/** The price paid per gas, from the verified envelope fields and base fee. */
function effectiveGasPrice(tx: Record<string, unknown>, baseFee: bigint | undefined): bigint | undefined {
  try {
    if (typeof tx.maxFeePerGas === 'string' && typeof tx.maxPriorityFeePerGas === 'string' && baseFee !== undefined) {
      const max = BigInt(tx.maxFeePerGas);
      const tip = BigInt(tx.maxPriorityFeePerGas);
      return max < baseFee + tip ? max : baseFee + tip;
    }
    const type = typeof tx.type === 'string' ? Number(BigInt(tx.type)) : 0;
    if ((type === 0 || type === 1) && typeof tx.gasPrice === 'string') return BigInt(tx.gasPrice);
  } catch {
    /* not a quantity: leave the field out */
  }
  return undefined;
}

/** The receipts of a verified block (bodies included) as JSON-RPC receipts, from the core's verified receipts. */
export function receiptsJson(block: VerifiedBlock, verified: VerifiedReceipts): Record<string, unknown>[] {
  const v = block.v;
  const hashes = v.transactionHashes;
  const txs = Array.isArray(block.raw.transactions) ? (block.raw.transactions as Record<string, unknown>[]) : [];
  const baseFee = v.header.baseFeePerGas ? BigInt(v.header.baseFeePerGas) : undefined;
  let prevCum = 0n;
  return verified.receipts.map((rc, i) => {
    const cum = BigInt(rc.cumulativeGasUsed);
    const txHash = hashes?.[i] ?? null;
    const logs = verified.logs
      .filter((l) => l.transactionIndex === i)
      .map((l) => ({
        address: l.address,
        topics: l.topics,
        data: l.data,
        blockHash: v.hash,
        blockNumber: hex(v.number),
        transactionHash: txHash,
        transactionIndex: hex(i),
        logIndex: hex(l.logIndex),
        removed: false,
      }));
    const out: Record<string, unknown> = {
      transactionHash: txHash,
      transactionIndex: hex(i),
      blockHash: v.hash,
      blockNumber: hex(v.number),
      type: rc.type,
      status: rc.status,
      cumulativeGasUsed: rc.cumulativeGasUsed,
      gasUsed: hex(cum - prevCum),
      logsBloom: rc.logsBloom,
      logs,
    };
    prevCum = cum;
    // `to` and the fee fields are in the verified transaction envelope; `from` is not (no sender recovery).
    const tx = hashes ? txs[i] : undefined;
    if (tx) {
      out.to = typeof tx.to === 'string' ? tx.to.toLowerCase() : null;
      const price = effectiveGasPrice(tx, baseFee);
      if (price !== undefined) out.effectiveGasPrice = hex(price);
    }
    return out;
  });
}
