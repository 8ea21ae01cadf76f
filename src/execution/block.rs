//! Verifying a whole block object: header hash, then (when the body is there)
//! transactions and withdrawals against the roots the header commits to.

use alloy_primitives::{B256, Bytes, keccak256};
use alloy_trie::EMPTY_ROOT_HASH;
use serde_json::Value;

use super::error::ExecutionError;
use super::header::ExecutionHeader;
use super::json::{self, array, get_opt, invalid, opt_field};
use super::transaction::{Withdrawal, envelopes_from_json, transactions_root, withdrawals_root};
use crate::Verified;

/// A block whose header fields are bound to `hash`.
///
/// `hash` is `keccak256(rlp(header))`. When the caller passed an expected hash
/// (from a verified beacon header, say) `hash` equals it; otherwise the value
/// says only "these fields are the ones this hash commits to" and the caller
/// must anchor `hash` itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionBlock {
    /// The block hash.
    pub hash: B256,
    /// The header fields.
    pub header: ExecutionHeader,
    /// Transaction hashes in block order, present only when the block's
    /// transactions were rebuilt and matched `transactionsRoot`.
    pub transaction_hashes: Option<Vec<B256>>,
    /// Whether the block's withdrawals were rebuilt and matched `withdrawalsRoot`.
    pub withdrawals_checked: bool,
}

/// Checks the computed hash against the stated and expected ones.
fn check_hash(
    computed: B256,
    stated: Option<B256>,
    expected: Option<B256>,
) -> Result<(), ExecutionError> {
    for want in [stated, expected].into_iter().flatten() {
        if want != computed {
            return Err(ExecutionError::HeaderHashMismatch {
                computed,
                expected: want,
            });
        }
    }
    Ok(())
}

/// Verifies an `eth_getBlockByHash` / `eth_getBlockByNumber` result.
///
/// Recomputes `keccak256(rlp(header))` and compares it with the object's own
/// `hash` and with `expected_hash` if given. If `transactions` holds full
/// objects, rebuilds every envelope, checks each against its `hash`, and
/// checks the transactions root; if it holds hashes only, the transactions are
/// left unchecked (`transaction_hashes` is `None`). If `withdrawals` is
/// present, checks the withdrawals root.
///
/// # Errors
/// [`ExecutionError::HeaderHashMismatch`], [`ExecutionError::TransactionsRootMismatch`],
/// [`ExecutionError::TransactionHashMismatch`], [`ExecutionError::WithdrawalsRootMismatch`],
/// or a decoding error.
pub fn verify_block(
    block: &Value,
    expected_hash: Option<B256>,
) -> Result<Verified<ExecutionBlock>, ExecutionError> {
    let b = json::rpc_result(block)?;
    let header = ExecutionHeader::from_json(b)?;
    let hash = header.hash_slow();
    check_hash(hash, get_opt(b, "hash", json::b256)?, expected_hash)?;

    let transaction_hashes = match opt_field(b, "transactions") {
        None => None,
        Some(txs) => {
            let txs = array(txs, "transactions")?;
            if txs.iter().all(Value::is_object) {
                let (envelopes, hashes) = envelopes_from_json(txs)?;
                check_transactions_root(&header, &envelopes)?;
                Some(hashes)
            } else if txs.iter().all(Value::is_string) {
                None
            } else {
                return Err(invalid("transactions", "mixes hashes and objects"));
            }
        }
    };

    let withdrawals_checked = match (opt_field(b, "withdrawals"), header.withdrawals_root) {
        (Some(list), Some(expected)) => {
            let withdrawals = array(list, "withdrawals")?
                .iter()
                .map(Withdrawal::from_json)
                .collect::<Result<Vec<_>, _>>()?;
            let computed = withdrawals_root(&withdrawals);
            if computed != expected {
                return Err(ExecutionError::WithdrawalsRootMismatch { computed, expected });
            }
            true
        }
        (Some(_), None) => {
            return Err(invalid(
                "withdrawals",
                "present but the header has no withdrawalsRoot",
            ));
        }
        (None, _) => false,
    };

    Ok(Verified::new_unchecked(ExecutionBlock {
        hash,
        header,
        transaction_hashes,
        withdrawals_checked,
    }))
}

/// Verifies an RLP-encoded header against an optional expected hash.
///
/// # Errors
/// [`ExecutionError::InvalidRlp`] or [`ExecutionError::HeaderHashMismatch`].
pub fn verify_header_rlp(
    rlp: &[u8],
    expected_hash: Option<B256>,
) -> Result<Verified<ExecutionBlock>, ExecutionError> {
    let header = ExecutionHeader::decode_rlp(rlp)?;
    let hash = keccak256(rlp);
    check_hash(hash, None, expected_hash)?;
    Ok(Verified::new_unchecked(ExecutionBlock {
        hash,
        header,
        transaction_hashes: None,
        withdrawals_checked: false,
    }))
}

fn check_transactions_root(
    header: &ExecutionHeader,
    envelopes: &[Bytes],
) -> Result<(), ExecutionError> {
    let computed = if envelopes.is_empty() {
        EMPTY_ROOT_HASH
    } else {
        transactions_root(envelopes)
    };
    if computed != header.transactions_root {
        return Err(ExecutionError::TransactionsRootMismatch {
            computed,
            expected: header.transactions_root,
        });
    }
    Ok(())
}

/// Verifies raw transaction envelopes (from a block body, or an execution
/// payload's `transactions`) against a verified block's transactions root and
/// returns their hashes in order.
///
/// # Errors
/// [`ExecutionError::TransactionsRootMismatch`].
pub fn verify_raw_transactions(
    block: &Verified<ExecutionBlock>,
    envelopes: &[Bytes],
) -> Result<Verified<Vec<B256>>, ExecutionError> {
    check_transactions_root(&block.header, envelopes)?;
    Ok(Verified::new_unchecked(
        envelopes.iter().map(keccak256).collect(),
    ))
}
