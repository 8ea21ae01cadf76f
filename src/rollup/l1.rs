//! The L1 facts the rollup engine consumes, and the inbox log layout.
//!
//! The beacon light client and the execution-proof modules produce these as
//! [`crate::Verified`] values; this module only decodes the inbox's events
//! out of already-verified logs.

use alloy_primitives::{Address, B256, Bytes, keccak256};

use super::RollupError;

/// Event signature of a commitment.
pub const COMMIT_EVENT_SIGNATURE: &str = "L2BlockCommitted(bytes32,uint64,bytes32)";
/// Event signature of a forced-inclusion request.
pub const FORCED_EVENT_SIGNATURE: &str = "ForcedInclusionRequested(bytes32,uint64)";
const WORD: usize = 32;

/// Topic 0 of [`COMMIT_EVENT_SIGNATURE`].
pub fn commit_topic() -> B256 {
    keccak256(COMMIT_EVENT_SIGNATURE)
}

/// Topic 0 of [`FORCED_EVENT_SIGNATURE`].
pub fn forced_topic() -> B256 {
    keccak256(FORCED_EVENT_SIGNATURE)
}

/// A beacon block the light client follows, with its execution payload fields.
///
/// Built only by the L1 adapter (`crate::confidence::l1_adapter`): from the light client's verified beacon
/// header and execution payload header, or as the execution parent of such a
/// block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct L1Block {
    /// Beacon slot.
    pub slot: u64,
    /// Beacon block root (`hash_tree_root` of the beacon block header).
    pub beacon_root: B256,
    /// Beacon parent root.
    pub parent_beacon_root: B256,
    /// Execution payload block hash.
    pub block_hash: B256,
    /// Execution payload parent hash.
    pub parent_block_hash: B256,
    /// Execution block number.
    pub block_number: u64,
    /// Execution timestamp.
    pub timestamp: u64,
}

/// One log as the execution module verified it (receipt proven against the block).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct L1Log {
    /// Emitting contract.
    pub address: Address,
    /// Topics.
    pub topics: Vec<B256>,
    /// Data.
    pub data: Bytes,
}

/// Every log an L1 block's receipts contain from the inbox address, in log order.
///
/// Completeness matters (an absent commitment counts for the stall rule), so
/// `crate::confidence::l1_adapter::inbox_logs` builds it from the full receipts list
/// proven against the block's `receipts_root`, filtered to the inbox address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InboxLogs {
    /// Beacon root of the L1 block the logs belong to.
    pub beacon_root: B256,
    /// Execution block hash (must match the block's).
    pub block_hash: B256,
    /// The inbox logs, in order.
    pub logs: Vec<L1Log>,
}

/// The L1 finalized checkpoint from the beacon light client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FinalizedCheckpoint {
    /// Slot of the finalized beacon block.
    pub slot: u64,
    /// Its beacon root.
    pub beacon_root: B256,
}

/// An L1 receipt of a cross-domain action's L1 leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct L1TxReceipt {
    /// L1 transaction hash.
    pub tx_hash: B256,
    /// Beacon root of the L1 block that contains it.
    pub beacon_root: B256,
    /// Receipt status: true on success.
    pub success: bool,
}

/// A decoded inbox event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InboxEvent {
    /// `L2BlockCommitted`.
    Commit {
        /// Committed L2 block hash.
        block_hash: B256,
        /// Its number.
        number: u64,
        /// The previous committed hash the contract checked.
        prev_committed: B256,
    },
    /// `ForcedInclusionRequested`.
    Forced {
        /// L2 transaction hash that must be included.
        tx_hash: B256,
        /// Last slot before which it must be committed.
        deadline_slot: u64,
    },
}

fn word_u64(w: &[u8]) -> Result<u64, RollupError> {
    let (high, low) = w
        .split_at_checked(24)
        .ok_or(RollupError::Malformed("word"))?;
    if high.iter().any(|b| *b != 0) {
        return Err(RollupError::Malformed("uint64 word overflows"));
    }
    let low: [u8; 8] = low.try_into().map_err(|_| RollupError::Malformed("word"))?;
    Ok(u64::from_be_bytes(low))
}

/// Decodes one inbox log; `Ok(None)` for logs of other events or addresses.
///
/// # Errors
/// [`RollupError::Malformed`] for a known event with a bad layout.
pub fn decode_inbox_log(log: &L1Log, inbox: Address) -> Result<Option<InboxEvent>, RollupError> {
    if log.address != inbox {
        return Ok(None);
    }
    let Some(topic0) = log.topics.first() else {
        return Ok(None);
    };
    if *topic0 == commit_topic() {
        let [_, hash] = log.topics.as_slice() else {
            return Err(RollupError::Malformed("commit topics"));
        };
        if log.data.len() != 2 * WORD {
            return Err(RollupError::Malformed("commit data"));
        }
        let (n, prev) = log.data.split_at(WORD);
        Ok(Some(InboxEvent::Commit {
            block_hash: *hash,
            number: word_u64(n)?,
            prev_committed: B256::from_slice(prev),
        }))
    } else if *topic0 == forced_topic() {
        let [_, tx] = log.topics.as_slice() else {
            return Err(RollupError::Malformed("forced topics"));
        };
        if log.data.len() != WORD {
            return Err(RollupError::Malformed("forced data"));
        }
        Ok(Some(InboxEvent::Forced {
            tx_hash: *tx,
            deadline_slot: word_u64(&log.data)?,
        }))
    } else {
        Ok(None)
    }
}

/// Encodes a commitment log (for devnets and tests).
pub fn encode_commit_log(inbox: Address, block_hash: B256, number: u64, prev: B256) -> L1Log {
    let mut data = vec![0u8; 2 * WORD];
    data[24..32].copy_from_slice(&number.to_be_bytes());
    data[32..].copy_from_slice(prev.as_slice());
    L1Log {
        address: inbox,
        topics: vec![commit_topic(), block_hash],
        data: data.into(),
    }
}

/// Encodes a forced-inclusion log (for devnets and tests).
pub fn encode_forced_log(inbox: Address, tx_hash: B256, deadline_slot: u64) -> L1Log {
    let mut data = vec![0u8; WORD];
    data[24..].copy_from_slice(&deadline_slot.to_be_bytes());
    L1Log {
        address: inbox,
        topics: vec![forced_topic(), tx_hash],
        data: data.into(),
    }
}
