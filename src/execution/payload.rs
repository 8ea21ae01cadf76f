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

use alloy_primitives::{Address, B64, B256, Bloom, Bytes, U256, b256, keccak256};
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

/// The fields of a full execution payload, decoded from JSON or SSZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PayloadFields {
    pub parent_hash: B256,
    pub fee_recipient: Address,
    pub state_root: B256,
    pub receipts_root: B256,
    pub logs_bloom: Bloom,
    pub prev_randao: B256,
    pub block_number: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub timestamp: u64,
    pub extra_data: Bytes,
    pub base_fee_per_gas: U256,
    pub block_hash: B256,
    /// Raw EIP-2718 envelopes.
    pub transactions: Vec<Bytes>,
    /// `None` before Capella.
    pub withdrawals: Option<Vec<Withdrawal>>,
    /// `None` before Deneb.
    pub blob_gas_used: Option<u64>,
    /// `None` before Deneb.
    pub excess_blob_gas: Option<u64>,
}

impl PayloadFields {
    /// Reads a Beacon-API JSON `ExecutionPayload`.
    fn from_json(p: &Value) -> Result<Self, ExecutionError> {
        let transactions = array(field(p, "transactions")?, "transactions")?
            .iter()
            .map(|t| json::data(t, "transactions"))
            .collect::<Result<Vec<Bytes>, _>>()?;
        let withdrawals = match opt_field(p, "withdrawals") {
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
        Ok(Self {
            parent_hash: get(p, "parent_hash", json::b256)?,
            fee_recipient: get(p, "fee_recipient", json::address)?,
            state_root: get(p, "state_root", json::b256)?,
            receipts_root: get(p, "receipts_root", json::b256)?,
            logs_bloom: Bloom::from(get(p, "logs_bloom", json::fixed::<256>)?),
            prev_randao: get(p, "prev_randao", json::b256)?,
            block_number: get(p, "block_number", json::decimal_u64)?,
            gas_limit: get(p, "gas_limit", json::decimal_u64)?,
            gas_used: get(p, "gas_used", json::decimal_u64)?,
            timestamp: get(p, "timestamp", json::decimal_u64)?,
            extra_data: get(p, "extra_data", json::data)?,
            base_fee_per_gas: get(p, "base_fee_per_gas", json::decimal_u256)?,
            block_hash: get(p, "block_hash", json::b256)?,
            transactions,
            withdrawals,
            blob_gas_used: get_opt(p, "blob_gas_used", json::decimal_u64)?,
            excess_blob_gas: get_opt(p, "excess_blob_gas", json::decimal_u64)?,
        })
    }

    /// Builds the execution header, rebuilding the transactions and
    /// withdrawals roots.
    fn header(&self, ctx: PayloadContext) -> Result<ExecutionHeader, ExecutionError> {
        let is_deneb = self.blob_gas_used.is_some() || self.excess_blob_gas.is_some();
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
        Ok(ExecutionHeader {
            parent_hash: self.parent_hash,
            ommers_hash: EMPTY_OMMERS_HASH,
            beneficiary: self.fee_recipient,
            state_root: self.state_root,
            transactions_root: transactions_root(&self.transactions),
            receipts_root: self.receipts_root,
            logs_bloom: self.logs_bloom,
            difficulty: U256::ZERO,
            number: self.block_number,
            gas_limit: self.gas_limit,
            gas_used: self.gas_used,
            timestamp: self.timestamp,
            extra_data: self.extra_data.clone(),
            mix_hash: self.prev_randao,
            nonce: B64::ZERO,
            base_fee_per_gas: Some(
                u64::try_from(self.base_fee_per_gas)
                    .map_err(|_| invalid("base_fee_per_gas", "does not fit in 64 bits"))?,
            ),
            withdrawals_root: self.withdrawals.as_deref().map(withdrawals_root),
            blob_gas_used: self.blob_gas_used,
            excess_blob_gas: self.excess_blob_gas,
            parent_beacon_block_root: ctx.parent_beacon_block_root,
            requests_hash: ctx.requests_hash,
        })
    }
}

/// Rebuilds the header of typed payload fields and checks it hashes to the
/// payload's `block_hash`.
///
/// # Errors
/// [`ExecutionError::HeaderHashMismatch`], or [`ExecutionError::InvalidJson`]
/// for a context that does not fit the payload's fork or a base fee above 2^64.
pub(crate) fn verify_payload_fields(
    p: &PayloadFields,
    ctx: PayloadContext,
) -> Result<Verified<ExecutionBlock>, ExecutionError> {
    let header = p.header(ctx)?;
    let hash = header.hash_slow();
    if hash != p.block_hash {
        return Err(ExecutionError::HeaderHashMismatch {
            computed: hash,
            expected: p.block_hash,
        });
    }
    Ok(Verified::new_unchecked(ExecutionBlock {
        hash,
        header,
        transaction_hashes: Some(p.transactions.iter().map(keccak256).collect()),
        withdrawals_checked: p.withdrawals.is_some(),
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
    verify_payload_fields(&PayloadFields::from_json(payload)?, ctx)
}
