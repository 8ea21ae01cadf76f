//! Execution payloads as the Beacon API prints them (a beacon block body's
//! `ExecutionPayload`): rebuilding the execution block header and checking
//! the payload's `block_hash`.
//!
//! Only a *full* payload can be checked this way. An `ExecutionPayloadHeader`
//! (the `execution` of a light-client header) carries SSZ `hash_tree_root`s
//! of the transactions and withdrawals, not the Merkle-Patricia roots the
//! block hash commits to; its fields, `block_hash` and `state_root` included,
//! are trusted through its SSZ branch to the beacon body root instead.
//!
//! A payload lacks four header fields, which are constant after the merge
//! (`ommersHash` = hash of the empty list, `difficulty` = 0, `nonce` = 0) or
//! come from the beacon block: `parentBeaconBlockRoot` (Deneb onwards, the
//! beacon block's `parent_root`) and `requestsHash` (Electra onwards, from
//! the body's `execution_requests`); the caller supplies those two in a
//! [`PayloadContext`]. The trust in the payload itself comes from the beacon
//! side (an SSZ proof against a verified beacon header); this module adds
//! that `block_hash` commits to exactly these fields.

use alloy_primitives::{B64, B256, Bloom, Bytes, U256, b256};
use serde_json::Value;

use super::block::ExecutionBlock;
use super::error::ExecutionError;
use super::header::ExecutionHeader;
use super::json::{self, array, field, get, get_opt, invalid, opt_field};
use super::transaction::{Withdrawal, transactions_root, withdrawals_root};
use crate::Verified;

/// `keccak256(rlp([]))`: the ommers hash of every post-merge block.
pub const EMPTY_OMMERS_HASH: B256 =
    b256!("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

/// Header fields an execution payload does not carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PayloadContext {
    /// The beacon block's `parent_root` (required from Deneb on).
    pub parent_beacon_block_root: Option<B256>,
    /// EIP-7685 requests hash of the body's execution requests (Electra on).
    pub requests_hash: Option<B256>,
}

/// Builds the header from payload fields and the two roots it commits to.
fn header_from_payload(
    p: &Value,
    transactions_root: B256,
    withdrawals_root: Option<B256>,
    ctx: PayloadContext,
) -> Result<ExecutionHeader, ExecutionError> {
    let blob_gas_used = get_opt(p, "blob_gas_used", json::decimal_u64)?;
    let excess_blob_gas = get_opt(p, "excess_blob_gas", json::decimal_u64)?;
    let is_deneb = blob_gas_used.is_some() || excess_blob_gas.is_some();
    if is_deneb && ctx.parent_beacon_block_root.is_none() {
        return Err(invalid(
            "parent_beacon_block_root",
            "required for a Deneb or later payload",
        ));
    }
    if !is_deneb && (ctx.parent_beacon_block_root.is_some() || ctx.requests_hash.is_some()) {
        return Err(invalid(
            "parent_beacon_block_root",
            "given for a payload without blob gas fields",
        ));
    }
    let header = ExecutionHeader {
        parent_hash: get(p, "parent_hash", json::b256)?,
        ommers_hash: EMPTY_OMMERS_HASH,
        beneficiary: get(p, "fee_recipient", json::address)?,
        state_root: get(p, "state_root", json::b256)?,
        transactions_root,
        receipts_root: get(p, "receipts_root", json::b256)?,
        logs_bloom: Bloom::from(get(p, "logs_bloom", json::fixed::<256>)?),
        difficulty: U256::ZERO,
        number: get(p, "block_number", json::decimal_u64)?,
        gas_limit: get(p, "gas_limit", json::decimal_u64)?,
        gas_used: get(p, "gas_used", json::decimal_u64)?,
        timestamp: get(p, "timestamp", json::decimal_u64)?,
        extra_data: get(p, "extra_data", json::data)?,
        mix_hash: get(p, "prev_randao", json::b256)?,
        nonce: B64::ZERO,
        base_fee_per_gas: Some(
            u64::try_from(get(p, "base_fee_per_gas", json::decimal_u256)?)
                .map_err(|_| invalid("base_fee_per_gas", "does not fit in 64 bits"))?,
        ),
        withdrawals_root,
        blob_gas_used,
        excess_blob_gas,
        parent_beacon_block_root: ctx.parent_beacon_block_root,
        requests_hash: ctx.requests_hash,
    };
    Ok(header)
}

/// Checks the rebuilt header's hash against the payload's `block_hash`.
fn check_block_hash(
    p: &Value,
    header: ExecutionHeader,
    transaction_hashes: Option<Vec<B256>>,
    withdrawals_checked: bool,
) -> Result<Verified<ExecutionBlock>, ExecutionError> {
    let stated = get(p, "block_hash", json::b256)?;
    let hash = header.hash_slow();
    if hash != stated {
        return Err(ExecutionError::HeaderHashMismatch {
            computed: hash,
            expected: stated,
        });
    }
    Ok(Verified::new_unchecked(ExecutionBlock {
        hash,
        header,
        transaction_hashes,
        withdrawals_checked,
    }))
}

/// Verifies that a full `ExecutionPayload` (Beacon-API JSON, a beacon block
/// body's `execution_payload`) hashes to its own `block_hash`, rebuilding the
/// transactions root from the raw transactions and the withdrawals root.
///
/// # Errors
/// [`ExecutionError::HeaderHashMismatch`] or a decoding error.
pub fn verify_payload(
    payload: &Value,
    ctx: PayloadContext,
) -> Result<Verified<ExecutionBlock>, ExecutionError> {
    let envelopes = array(field(payload, "transactions")?, "transactions")?
        .iter()
        .map(|t| json::data(t, "transactions"))
        .collect::<Result<Vec<Bytes>, _>>()?;
    let withdrawals = match opt_field(payload, "withdrawals") {
        None => None,
        Some(list) => Some(
            array(list, "withdrawals")?
                .iter()
                .map(|w| {
                    Ok(Withdrawal {
                        index: get(w, "index", json::decimal_u64)?,
                        validator_index: get(w, "validator_index", json::decimal_u64)?,
                        address: get(w, "address", json::address)?,
                        amount_gwei: get(w, "amount", json::decimal_u64)?,
                    })
                })
                .collect::<Result<Vec<_>, ExecutionError>>()?,
        ),
    };
    let header = header_from_payload(
        payload,
        transactions_root(&envelopes),
        withdrawals.as_deref().map(withdrawals_root),
        ctx,
    )?;
    let hashes = envelopes.iter().map(alloy_primitives::keccak256).collect();
    check_block_hash(payload, header, Some(hashes), withdrawals.is_some())
}
