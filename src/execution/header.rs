//! Execution block headers: JSON-RPC and RLP forms, and the block hash.
//!
//! The block hash is `keccak256(rlp(header))`. The header grew one field per
//! fork; this module encodes every version from Frontier through Prague:
//!
//! | fork     | fields appended                                    |
//! |----------|----------------------------------------------------|
//! | London   | `baseFeePerGas`                                    |
//! | Shanghai | `withdrawalsRoot`                                  |
//! | Cancun   | `blobGasUsed`, `excessBlobGas`, `parentBeaconBlockRoot` |
//! | Prague   | `requestsHash`                                     |
//!
//! A later field without the earlier ones is rejected, so one header has one
//! encoding and one hash.

use alloy_primitives::{Address, B64, B256, Bloom, Bytes, U256, keccak256};
use alloy_rlp::Encodable;
use serde_json::Value;

use super::error::ExecutionError;
use super::json::{self, get, get_opt};
use super::rlp_util::{encode_list, list_payload, take};

/// RLP context name used in header decoding errors.
const HEADER_CONTEXT: &str = "block header";

/// An execution-layer block header, every field of every fork up to Prague.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionHeader {
    /// Hash of the parent block.
    pub parent_hash: B256,
    /// Hash of the ommers list (`sha3Uncles`).
    pub ommers_hash: B256,
    /// Fee recipient (`miner`).
    pub beneficiary: Address,
    /// Root of the state trie after the block.
    pub state_root: B256,
    /// Root of the transactions trie.
    pub transactions_root: B256,
    /// Root of the receipts trie.
    pub receipts_root: B256,
    /// OR of every receipt's bloom.
    pub logs_bloom: Bloom,
    /// Proof-of-work difficulty (zero after the merge).
    pub difficulty: U256,
    /// Block number.
    pub number: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Gas used.
    pub gas_used: u64,
    /// Unix timestamp in seconds.
    pub timestamp: u64,
    /// Extra data.
    pub extra_data: Bytes,
    /// Mix hash (`prevRandao` after the merge).
    pub mix_hash: B256,
    /// Proof-of-work nonce (zero after the merge).
    pub nonce: B64,
    /// EIP-1559 base fee (London).
    pub base_fee_per_gas: Option<u64>,
    /// EIP-4895 withdrawals root (Shanghai).
    pub withdrawals_root: Option<B256>,
    /// EIP-4844 blob gas used (Cancun).
    pub blob_gas_used: Option<u64>,
    /// EIP-4844 excess blob gas (Cancun).
    pub excess_blob_gas: Option<u64>,
    /// EIP-4788 parent beacon block root (Cancun).
    pub parent_beacon_block_root: Option<B256>,
    /// EIP-7685 requests hash (Prague).
    pub requests_hash: Option<B256>,
}

impl ExecutionHeader {
    /// Reads a header from an `eth_getBlockBy*` result (or a full JSON-RPC
    /// response around one). Body fields are ignored here.
    ///
    /// # Errors
    /// [`ExecutionError::InvalidJson`] for a missing or malformed field,
    /// [`ExecutionError::HeaderFieldGap`] for fork fields out of order.
    pub fn from_json(block: &Value) -> Result<Self, ExecutionError> {
        let b = json::rpc_result(block)?;
        let header = Self {
            parent_hash: get(b, "parentHash", json::b256)?,
            ommers_hash: get(b, "sha3Uncles", json::b256)?,
            beneficiary: get(b, "miner", json::address)?,
            state_root: get(b, "stateRoot", json::b256)?,
            transactions_root: get(b, "transactionsRoot", json::b256)?,
            receipts_root: get(b, "receiptsRoot", json::b256)?,
            logs_bloom: Bloom::from(get(b, "logsBloom", json::fixed::<256>)?),
            difficulty: get(b, "difficulty", json::quantity_u256)?,
            number: get(b, "number", json::quantity_u64)?,
            gas_limit: get(b, "gasLimit", json::quantity_u64)?,
            gas_used: get(b, "gasUsed", json::quantity_u64)?,
            timestamp: get(b, "timestamp", json::quantity_u64)?,
            extra_data: get(b, "extraData", json::data)?,
            mix_hash: get(b, "mixHash", json::b256)?,
            nonce: get(b, "nonce", json::fixed::<8>)?,
            base_fee_per_gas: get_opt(b, "baseFeePerGas", json::quantity_u64)?,
            withdrawals_root: get_opt(b, "withdrawalsRoot", json::b256)?,
            blob_gas_used: get_opt(b, "blobGasUsed", json::quantity_u64)?,
            excess_blob_gas: get_opt(b, "excessBlobGas", json::quantity_u64)?,
            parent_beacon_block_root: get_opt(b, "parentBeaconBlockRoot", json::b256)?,
            requests_hash: get_opt(b, "requestsHash", json::b256)?,
        };
        header.check_fork_fields()?;
        Ok(header)
    }

    /// Decodes a header from its RLP encoding (what the block hash commits to).
    ///
    /// # Errors
    /// [`ExecutionError::InvalidRlp`] if the bytes are not exactly one header.
    pub fn decode_rlp(bytes: &[u8]) -> Result<Self, ExecutionError> {
        let mut p = list_payload(bytes, HEADER_CONTEXT)?;
        let buf = &mut p;
        let mut header = Self {
            parent_hash: take(buf, HEADER_CONTEXT)?,
            ommers_hash: take(buf, HEADER_CONTEXT)?,
            beneficiary: take(buf, HEADER_CONTEXT)?,
            state_root: take(buf, HEADER_CONTEXT)?,
            transactions_root: take(buf, HEADER_CONTEXT)?,
            receipts_root: take(buf, HEADER_CONTEXT)?,
            logs_bloom: take(buf, HEADER_CONTEXT)?,
            difficulty: take(buf, HEADER_CONTEXT)?,
            number: take(buf, HEADER_CONTEXT)?,
            gas_limit: take(buf, HEADER_CONTEXT)?,
            gas_used: take(buf, HEADER_CONTEXT)?,
            timestamp: take(buf, HEADER_CONTEXT)?,
            extra_data: take(buf, HEADER_CONTEXT)?,
            mix_hash: take(buf, HEADER_CONTEXT)?,
            nonce: take(buf, HEADER_CONTEXT)?,
            base_fee_per_gas: None,
            withdrawals_root: None,
            blob_gas_used: None,
            excess_blob_gas: None,
            parent_beacon_block_root: None,
            requests_hash: None,
        };
        if !buf.is_empty() {
            header.base_fee_per_gas = Some(take(buf, HEADER_CONTEXT)?);
        }
        if !buf.is_empty() {
            header.withdrawals_root = Some(take(buf, HEADER_CONTEXT)?);
        }
        if !buf.is_empty() {
            header.blob_gas_used = Some(take(buf, HEADER_CONTEXT)?);
            header.excess_blob_gas = Some(take(buf, HEADER_CONTEXT)?);
            header.parent_beacon_block_root = Some(take(buf, HEADER_CONTEXT)?);
        }
        if !buf.is_empty() {
            header.requests_hash = Some(take(buf, HEADER_CONTEXT)?);
        }
        if !buf.is_empty() {
            return Err(ExecutionError::InvalidRlp {
                context: HEADER_CONTEXT,
                reason: "fields after requestsHash".to_owned(),
            });
        }
        Ok(header)
    }

    /// Rejects a header whose optional fork fields are not a prefix of the
    /// fork order (e.g. `withdrawalsRoot` without `baseFeePerGas`).
    fn check_fork_fields(&self) -> Result<(), ExecutionError> {
        let present = [
            ("baseFeePerGas", self.base_fee_per_gas.is_some()),
            ("withdrawalsRoot", self.withdrawals_root.is_some()),
            ("blobGasUsed", self.blob_gas_used.is_some()),
            ("excessBlobGas", self.excess_blob_gas.is_some()),
            (
                "parentBeaconBlockRoot",
                self.parent_beacon_block_root.is_some(),
            ),
            ("requestsHash", self.requests_hash.is_some()),
        ];
        let cancun = [
            self.blob_gas_used.is_some(),
            self.excess_blob_gas.is_some(),
            self.parent_beacon_block_root.is_some(),
        ];
        if cancun.contains(&true) && cancun.contains(&false) {
            return Err(ExecutionError::HeaderFieldGap {
                field: "blobGasUsed/excessBlobGas/parentBeaconBlockRoot",
            });
        }
        let mut earlier_missing = false;
        for (field, is_present) in present {
            if is_present && earlier_missing {
                return Err(ExecutionError::HeaderFieldGap { field });
            }
            earlier_missing |= !is_present;
        }
        Ok(())
    }

    /// The RLP encoding of the header.
    pub fn encode_rlp(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(700);
        encode_list(&mut out, |p| {
            self.parent_hash.encode(p);
            self.ommers_hash.encode(p);
            self.beneficiary.encode(p);
            self.state_root.encode(p);
            self.transactions_root.encode(p);
            self.receipts_root.encode(p);
            self.logs_bloom.encode(p);
            self.difficulty.encode(p);
            self.number.encode(p);
            self.gas_limit.encode(p);
            self.gas_used.encode(p);
            self.timestamp.encode(p);
            self.extra_data.encode(p);
            self.mix_hash.encode(p);
            self.nonce.encode(p);
            // Optional fields are a prefix in fork order; stop at the first gap.
            let Some(base_fee) = self.base_fee_per_gas else {
                return;
            };
            base_fee.encode(p);
            let Some(withdrawals_root) = self.withdrawals_root else {
                return;
            };
            withdrawals_root.encode(p);
            let (Some(used), Some(excess), Some(beacon_root)) = (
                self.blob_gas_used,
                self.excess_blob_gas,
                self.parent_beacon_block_root,
            ) else {
                return;
            };
            used.encode(p);
            excess.encode(p);
            beacon_root.encode(p);
            if let Some(requests_hash) = self.requests_hash {
                requests_hash.encode(p);
            }
        });
        out
    }

    /// The block hash, `keccak256(rlp(header))`.
    pub fn hash_slow(&self) -> B256 {
        keccak256(self.encode_rlp())
    }
}
