//! Receipts and logs: rebuilding the receipts root from `eth_getBlockReceipts`.
//!
//! Each receipt is re-encoded as `type || rlp([status, cumulativeGasUsed,
//! logsBloom, logs])` (no type byte for legacy), with the bloom recomputed
//! from the logs. A response whose stated `logsBloom` disagrees with its own
//! logs is rejected. The ordered trie of the encodings must equal a verified
//! receipts root; only then are the logs returned.
//!
//! Log metadata (`logIndex`, `transactionIndex`, `transactionHash`,
//! `blockHash`) is not in the trie. Indices are recomputed from positions and
//! a response that states other ones is rejected; transaction hashes are only
//! returned when checked against a verified block's transaction list.

use std::borrow::Cow;
use std::collections::HashMap;

use alloy_primitives::{Address, B256, Bloom, BloomInput, Bytes, keccak256};
use alloy_rlp::Encodable;
use alloy_trie::root::ordered_trie_root_with_encoder;
use serde_json::Value;

use super::block::ExecutionBlock;
use super::error::ExecutionError;
use super::json::{self, invalid};
use super::rpc_receipt::{RpcReceiptFields, receipts_from_text, receipts_from_value};
use super::transaction::TX_TYPE_EIP7702;
use crate::Verified;

/// A log as committed in a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// Emitting contract.
    pub address: Address,
    /// Indexed topics (0 to 4).
    pub topics: Vec<B256>,
    /// Non-indexed data.
    pub data: Bytes,
}

impl Log {
    /// Length of the RLP list payload (the three items).
    fn payload_len(&self) -> usize {
        self.address.length() + self.topics.length() + self.data.length()
    }

    fn encode(&self, out: &mut Vec<u8>) {
        alloy_rlp::Header {
            list: true,
            payload_length: self.payload_len(),
        }
        .encode(out);
        self.address.encode(out);
        self.topics.encode(out);
        self.data.encode(out);
    }
}

/// A transaction receipt as committed in the receipts trie (post-Byzantium).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// EIP-2718 transaction type (0 for legacy).
    pub tx_type: u8,
    /// Whether the transaction succeeded (`status` 1).
    pub success: bool,
    /// Gas used by this and every earlier transaction of the block.
    pub cumulative_gas_used: u64,
    /// Logs emitted.
    pub logs: Vec<Log>,
}

impl Receipt {
    /// The bloom filter of this receipt's logs (addresses and topics).
    pub fn bloom(&self) -> Bloom {
        let mut bloom = Bloom::ZERO;
        for log in &self.logs {
            bloom.accrue(BloomInput::Raw(log.address.as_slice()));
            for topic in &log.topics {
                bloom.accrue(BloomInput::Raw(topic.as_slice()));
            }
        }
        bloom
    }

    /// Appends the EIP-2718 encoding with the given bloom.
    fn encode_with_bloom(&self, bloom: &Bloom, out: &mut Vec<u8>) {
        if self.tx_type != 0 {
            out.push(self.tx_type);
        }
        // Lengths first, so everything is written once into `out`.
        let logs_len: usize = self.logs.iter().map(log_len).sum();
        let payload_length = self.success.length()
            + self.cumulative_gas_used.length()
            + bloom.length()
            + alloy_rlp::length_of_length(logs_len)
            + logs_len;
        out.reserve(alloy_rlp::length_of_length(payload_length) + payload_length);
        alloy_rlp::Header {
            list: true,
            payload_length,
        }
        .encode(out);
        self.success.encode(out);
        self.cumulative_gas_used.encode(out);
        bloom.encode(out);
        alloy_rlp::Header {
            list: true,
            payload_length: logs_len,
        }
        .encode(out);
        for log in &self.logs {
            log.encode(out);
        }
    }

    /// The EIP-2718 encoding that the receipts trie stores.
    pub fn encode_2718(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_with_bloom(&self.bloom(), &mut out);
        out
    }
}

/// Number of bits a bloom entry sets (EIP-2718 `M3:2048`).
const BLOOM_BITS_PER_ENTRY: usize = 3;
/// Bloom size in bits.
const BLOOM_BIT_COUNT: usize = 2048;

/// The (byte index, bit mask) pairs that one entry sets in a 256-byte bloom.
type BloomBits = [(usize, u8); BLOOM_BITS_PER_ENTRY];

/// `M3:2048` of one entry: bits from the first three byte pairs of its
/// keccak256, counted from the end of the bloom.
fn bloom_bits(entry: &[u8]) -> BloomBits {
    let hash = keccak256(entry);
    core::array::from_fn(|i| {
        let hi = usize::from(hash[2 * i]);
        let lo = usize::from(hash[2 * i + 1]);
        let bit = ((hi << 8) | lo) % BLOOM_BIT_COUNT;
        (Bloom::len_bytes() - 1 - bit / 8, 1u8 << (bit % 8))
    })
}

/// Blooms of many receipts, hashing each distinct address or topic once
/// (blocks repeat a few contracts and event signatures many times).
#[derive(Default)]
struct BloomCache {
    addresses: HashMap<Address, BloomBits>,
    topics: HashMap<B256, BloomBits>,
}

impl BloomCache {
    fn bloom(&mut self, receipt: &Receipt) -> Bloom {
        let mut bloom = Bloom::ZERO;
        let mut set = |bits: &BloomBits| {
            for &(byte, mask) in bits {
                if let Some(b) = bloom.0.get_mut(byte) {
                    *b |= mask;
                }
            }
        };
        for log in &receipt.logs {
            set(self
                .addresses
                .entry(log.address)
                .or_insert_with(|| bloom_bits(log.address.as_slice())));
            for topic in &log.topics {
                set(self
                    .topics
                    .entry(*topic)
                    .or_insert_with(|| bloom_bits(topic.as_slice())));
            }
        }
        bloom
    }
}

/// Encoded length of a log (only used to size the logs list header).
fn log_len(log: &Log) -> usize {
    let payload = log.payload_len();
    alloy_rlp::length_of_length(payload) + payload
}

/// The receipts root of a block's receipts, in order.
pub fn receipts_root(receipts: &[Receipt]) -> B256 {
    let mut blooms = BloomCache::default();
    ordered_trie_root_with_encoder(receipts, |r, out| {
        r.encode_with_bloom(&blooms.bloom(r), out);
    })
}

/// A log whose content is proven by a verified receipts root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedLog {
    /// Emitting contract.
    pub address: Address,
    /// Indexed topics.
    pub topics: Vec<B256>,
    /// Non-indexed data.
    pub data: Bytes,
    /// Position of the log in the block (recomputed, not taken from the response).
    pub log_index: u64,
    /// Position of its transaction in the block.
    pub transaction_index: u64,
    /// Hash of its transaction, present only if checked against the block's
    /// verified transaction list.
    pub transaction_hash: Option<B256>,
}

/// Receipts and logs whose content is proven by `receipts_root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedReceipts {
    /// The verified receipts root they rebuild.
    pub receipts_root: B256,
    /// The receipts, in block order.
    pub receipts: Vec<Receipt>,
    /// Every log of the block, in order.
    pub logs: Vec<VerifiedLog>,
}

/// An `eth_getLogs`-style filter over verified logs.
///
/// `addresses` empty means any address. `topics[i]` `None` (or an empty set,
/// as `eth_getLogs` treats `[]`) means any value at position `i`; `Some(set)`
/// means one of `set`. A log with fewer topics than a constrained position
/// does not match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Allowed emitting contracts (empty: any).
    pub addresses: Vec<Address>,
    /// Per-position topic constraints.
    pub topics: Vec<Option<Vec<B256>>>,
}

impl LogFilter {
    /// Whether `log` passes the filter.
    pub fn matches(&self, log: &VerifiedLog) -> bool {
        if !self.addresses.is_empty() && !self.addresses.contains(&log.address) {
            return false;
        }
        self.topics.iter().enumerate().all(|(i, want)| match want {
            None => true,
            Some(set) if set.is_empty() => true,
            Some(set) => log.topics.get(i).is_some_and(|t| set.contains(t)),
        })
    }
}

impl VerifiedReceipts {
    /// The logs that pass `filter`, in block order.
    pub fn filter_logs<'a>(
        &'a self,
        filter: &'a LogFilter,
    ) -> impl Iterator<Item = &'a VerifiedLog> + 'a {
        self.logs.iter().filter(|log| filter.matches(log))
    }
}

/// Keeps the verified logs that pass `filter`; a subset of verified logs is
/// still verified.
pub fn matching_logs(
    receipts: Verified<VerifiedReceipts>,
    filter: &LogFilter,
) -> Verified<Vec<VerifiedLog>> {
    receipts.map(|r| r.logs.into_iter().filter(|l| filter.matches(l)).collect())
}

/// A receipt read from JSON together with the metadata it states.
struct RpcReceipt {
    receipt: Receipt,
    /// The receipt's bloom, recomputed from its logs (and equal to the stated one).
    bloom: Bloom,
    transaction_hash: Option<B256>,
    block_hash: Option<B256>,
    block_number: Option<u64>,
}

/// Reads one `eth_getBlockReceipts` entry, checking its own consistency:
/// the stated bloom against the logs, and indices against positions.
fn receipt_from_rpc(
    r: &RpcReceiptFields<'_>,
    index: usize,
    first_log_index: u64,
    blooms: &mut BloomCache,
) -> Result<RpcReceipt, ExecutionError> {
    let opt_u64 = |v: &Option<Cow<'_, str>>, key| {
        v.as_deref()
            .map(|s| json::str_quantity_u64(s, key))
            .transpose()
    };
    let opt_b256 =
        |v: &Option<Cow<'_, str>>, key| v.as_deref().map(|s| json::str_b256(s, key)).transpose();
    let tx_type = opt_u64(&r.tx_type, "type")?.unwrap_or(0);
    let tx_type = u8::try_from(tx_type)
        .ok()
        .filter(|t| *t <= TX_TYPE_EIP7702)
        .ok_or(ExecutionError::UnsupportedTxType(tx_type))?;
    let success = match opt_u64(&r.status, "status")? {
        Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(invalid("status", "not 0 or 1")),
        None => {
            return Err(invalid(
                "status",
                "missing (pre-Byzantium state-root receipts are not supported)",
            ));
        }
    };
    let mismatch = |field| ExecutionError::ReceiptMetadataMismatch { index, field };
    let transaction_hash = opt_b256(&r.transaction_hash, "transactionHash")?;
    let mut block_hash = opt_b256(&r.block_hash, "blockHash")?;
    let block_number = opt_u64(&r.block_number, "blockNumber")?;
    let tx_index = u64::try_from(index).map_err(|_| mismatch("transactionIndex"))?;
    if opt_u64(&r.transaction_index, "transactionIndex")?.is_some_and(|i| i != tx_index) {
        return Err(mismatch("transactionIndex"));
    }

    let mut logs = Vec::with_capacity(r.logs.len());
    let mut log_index = first_log_index;
    for l in &r.logs {
        let topics = l
            .topics
            .iter()
            .map(|t| json::str_b256(t, "topics"))
            .collect::<Result<Vec<_>, _>>()?;
        if opt_u64(&l.log_index, "logIndex")?.is_some_and(|i| i != log_index) {
            return Err(mismatch("logIndex"));
        }
        if opt_u64(&l.transaction_index, "transactionIndex")?.is_some_and(|i| i != tx_index) {
            return Err(mismatch("log transactionIndex"));
        }
        let log_tx_hash = opt_b256(&l.transaction_hash, "transactionHash")?;
        if log_tx_hash.is_some() && transaction_hash.is_some() && log_tx_hash != transaction_hash {
            return Err(mismatch("log transactionHash"));
        }
        if let Some(log_block_hash) = opt_b256(&l.block_hash, "blockHash")? {
            match block_hash {
                Some(h) if h != log_block_hash => return Err(mismatch("log blockHash")),
                Some(_) => {}
                None => block_hash = Some(log_block_hash),
            }
        }
        if l.removed == Some(true) {
            return Err(mismatch("removed"));
        }
        logs.push(Log {
            address: json::str_address(&l.address, "address")?,
            topics,
            data: json::str_data(&l.data, "data")?,
        });
        log_index = log_index
            .checked_add(1)
            .ok_or_else(|| mismatch("logIndex"))?;
    }

    let receipt = Receipt {
        tx_type,
        success,
        cumulative_gas_used: json::str_quantity_u64(&r.cumulative_gas_used, "cumulativeGasUsed")?,
        logs,
    };
    let stated_bloom = Bloom::from(json::str_fixed::<256>(&r.logs_bloom, "logsBloom")?);
    let bloom = blooms.bloom(&receipt);
    if stated_bloom != bloom {
        return Err(ExecutionError::BloomMismatch {
            what: format!("receipt {index}"),
        });
    }
    Ok(RpcReceipt {
        receipt,
        bloom,
        transaction_hash,
        block_hash,
        block_number,
    })
}

/// Reads every receipt, rebuilds the root and compares it with `expected`.
fn rebuild(
    expected: B256,
    list: &[RpcReceiptFields<'_>],
) -> Result<(Vec<RpcReceipt>, Vec<VerifiedLog>), ExecutionError> {
    let mut parsed = Vec::with_capacity(list.len());
    let mut logs = Vec::new();
    let mut next_log_index: u64 = 0;
    let mut blooms = BloomCache::default();
    for (index, r) in list.iter().enumerate() {
        let rpc = receipt_from_rpc(r, index, next_log_index, &mut blooms)?;
        let count = u64::try_from(rpc.receipt.logs.len()).unwrap_or(u64::MAX);
        next_log_index =
            next_log_index
                .checked_add(count)
                .ok_or(ExecutionError::ReceiptMetadataMismatch {
                    index,
                    field: "logIndex",
                })?;
        parsed.push(rpc);
    }
    let computed = ordered_trie_root_with_encoder(&parsed, |p, out| {
        p.receipt.encode_with_bloom(&p.bloom, out);
    });
    if computed != expected {
        return Err(ExecutionError::ReceiptsRootMismatch { computed, expected });
    }
    let mut log_index: u64 = 0;
    for (tx_index, p) in (0u64..).zip(&parsed) {
        for log in &p.receipt.logs {
            logs.push(VerifiedLog {
                address: log.address,
                topics: log.topics.clone(),
                data: log.data.clone(),
                log_index,
                transaction_index: tx_index,
                transaction_hash: None,
            });
            log_index = log_index.saturating_add(1);
        }
    }
    Ok((parsed, logs))
}

/// Verifies an `eth_getBlockReceipts` result against a verified receipts root.
///
/// Transaction hashes are not committed by the receipts root, so the returned
/// logs carry `transaction_hash: None`; use [`verify_block_receipts`] to bind
/// them to a verified block.
///
/// # Errors
/// [`ExecutionError::ReceiptsRootMismatch`], [`ExecutionError::BloomMismatch`],
/// [`ExecutionError::ReceiptMetadataMismatch`], [`ExecutionError::UnsupportedTxType`]
/// or a decoding error.
pub fn verify_receipts(
    receipts_root: B256,
    rpc_receipts: &Value,
) -> Result<Verified<VerifiedReceipts>, ExecutionError> {
    verified_receipts(receipts_root, &receipts_from_value(rpc_receipts)?).map(|(r, _)| r)
}

/// As [`verify_receipts`], reading the JSON text of the response directly
/// (the fast path: no intermediate `serde_json::Value`).
///
/// # Errors
/// As [`verify_receipts`]; malformed JSON is [`ExecutionError::InvalidJson`].
pub fn verify_receipts_text(
    receipts_root: B256,
    rpc_receipts: &str,
) -> Result<Verified<VerifiedReceipts>, ExecutionError> {
    verify_receipts_text_with_blooms(receipts_root, rpc_receipts).map(|(r, _)| r)
}

/// As [`verify_receipts_text`], also returning each receipt's bloom (checked
/// equal to the stated one), so callers need not hash the logs again.
///
/// # Errors
/// As [`verify_receipts_text`].
pub(crate) fn verify_receipts_text_with_blooms(
    receipts_root: B256,
    rpc_receipts: &str,
) -> Result<(Verified<VerifiedReceipts>, Vec<Bloom>), ExecutionError> {
    verified_receipts(receipts_root, &receipts_from_text(rpc_receipts)?)
}

/// Splits the rebuilt receipts into the receipts and their blooms.
fn split_blooms(parsed: Vec<RpcReceipt>) -> (Vec<Receipt>, Vec<Bloom>) {
    parsed.into_iter().map(|p| (p.receipt, p.bloom)).unzip()
}

/// Rebuilds and wraps the verified receipts; also returns their blooms.
fn verified_receipts(
    receipts_root: B256,
    list: &[RpcReceiptFields<'_>],
) -> Result<(Verified<VerifiedReceipts>, Vec<Bloom>), ExecutionError> {
    let (parsed, logs) = rebuild(receipts_root, list)?;
    let (receipts, blooms) = split_blooms(parsed);
    Ok((
        Verified::new_unchecked(VerifiedReceipts {
            receipts_root,
            receipts,
            logs,
        }),
        blooms,
    ))
}

/// Verifies an `eth_getBlockReceipts` result against a verified block.
///
/// Besides [`verify_receipts`], checks the header's `logsBloom` against the
/// receipts, each receipt's `blockHash`/`blockNumber`, and, when the block's
/// transactions were verified, each `transactionHash`; the logs then carry
/// verified transaction hashes.
///
/// # Errors
/// As [`verify_receipts`], plus [`ExecutionError::BloomMismatch`] for the header
/// bloom and [`ExecutionError::ReceiptMetadataMismatch`] for block metadata.
pub fn verify_block_receipts(
    block: &Verified<ExecutionBlock>,
    rpc_receipts: &Value,
) -> Result<Verified<VerifiedReceipts>, ExecutionError> {
    block_receipts(block, &receipts_from_value(rpc_receipts)?).map(|(r, _)| r)
}

/// As [`verify_block_receipts`], reading the JSON text of the response
/// directly (the fast path: no intermediate `serde_json::Value`).
///
/// # Errors
/// As [`verify_block_receipts`]; malformed JSON is [`ExecutionError::InvalidJson`].
pub fn verify_block_receipts_text(
    block: &Verified<ExecutionBlock>,
    rpc_receipts: &str,
) -> Result<Verified<VerifiedReceipts>, ExecutionError> {
    verify_block_receipts_text_with_blooms(block, rpc_receipts).map(|(r, _)| r)
}

/// As [`verify_block_receipts_text`], also returning each receipt's bloom.
///
/// # Errors
/// As [`verify_block_receipts_text`].
pub(crate) fn verify_block_receipts_text_with_blooms(
    block: &Verified<ExecutionBlock>,
    rpc_receipts: &str,
) -> Result<(Verified<VerifiedReceipts>, Vec<Bloom>), ExecutionError> {
    block_receipts(block, &receipts_from_text(rpc_receipts)?)
}

/// Rebuilds the receipts and binds them to `block`; also returns their blooms.
fn block_receipts(
    block: &Verified<ExecutionBlock>,
    list: &[RpcReceiptFields<'_>],
) -> Result<(Verified<VerifiedReceipts>, Vec<Bloom>), ExecutionError> {
    let (parsed, mut logs) = rebuild(block.header.receipts_root, list)?;
    let mut bloom = Bloom::ZERO;
    for (index, p) in parsed.iter().enumerate() {
        let mismatch = |field| ExecutionError::ReceiptMetadataMismatch { index, field };
        bloom.accrue_bloom(&p.bloom);
        if p.block_hash.is_some_and(|h| h != block.hash) {
            return Err(mismatch("blockHash"));
        }
        if p.block_number.is_some_and(|n| n != block.header.number) {
            return Err(mismatch("blockNumber"));
        }
        if let Some(hashes) = &block.transaction_hashes {
            let verified = hashes.get(index).ok_or(mismatch("transactionIndex"))?;
            if p.transaction_hash.is_some_and(|h| h != *verified) {
                return Err(mismatch("transactionHash"));
            }
        }
    }
    if bloom != block.header.logs_bloom {
        return Err(ExecutionError::BloomMismatch {
            what: "block header".to_owned(),
        });
    }
    if let Some(hashes) = &block.transaction_hashes {
        for log in &mut logs {
            log.transaction_hash = usize::try_from(log.transaction_index)
                .ok()
                .and_then(|i| hashes.get(i))
                .copied();
        }
    }
    let (receipts, blooms) = split_blooms(parsed);
    Ok((
        Verified::new_unchecked(VerifiedReceipts {
            receipts_root: block.header.receipts_root,
            receipts,
            logs,
        }),
        blooms,
    ))
}
