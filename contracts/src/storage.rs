//! The inbox's storage layout (docs/PROTOCOL.md section 5.3): the keys a
//! late client proves with `eth_getProof` and the decoding of their words.
//!
//! | slot | content |
//! |---|---|
//! | 0 | `committedHead` |
//! | 1 | `mapping(uint64 => bytes32) committeeHash` |
//! | 2 | `mapping(uint64 => uint64) committeeActivation` |
//! | 3 | `committedNumber` (bits 0-63), `lastCommitSlot` (64-127), `headNth` (128-159), `forcedHead` (160-223) |
//! | 4 | `forcedTail` (bits 0-63), `committeeCount` (64-127) |
//! | 5 | `mapping(uint64 => bytes32) committeeKeysHash` |
//! | 6 | `mapping(uint64 => ForcedRequest) forcedQueue`: word 0 `txHash`, word 1 `deadlineSlot` (bits 0-63) and `requestSlot` (64-127) |
//!
//! A test checks this table against the layout solc reports
//! (`contracts/out/PreconfInbox.storage.json`).

use alloy_primitives::{B256, U256, keccak256};

/// Slot of `committedHead`.
pub const COMMITTED_HEAD_SLOT: u64 = 0;
/// Slot of the `committeeHash` mapping.
pub const COMMITTEE_HASH_SLOT: u64 = 1;
/// Slot of the `committeeActivation` mapping.
pub const COMMITTEE_ACTIVATION_SLOT: u64 = 2;
/// Slot of the packed commitment state.
pub const COMMIT_STATE_SLOT: u64 = 3;
/// Slot of the packed queue tail and committee count.
pub const COUNTS_SLOT: u64 = 4;
/// Slot of the `committeeKeysHash` mapping.
pub const COMMITTEE_KEYS_HASH_SLOT: u64 = 5;
/// Slot of the `forcedQueue` mapping.
pub const FORCED_QUEUE_SLOT: u64 = 6;

/// The storage key of a plain slot.
pub fn slot_key(slot: u64) -> B256 {
    B256::from(U256::from(slot))
}

/// The storage key of `mapping[key]` for a mapping at `slot` (Solidity:
/// `keccak(u256(key) || u256(slot))`).
pub fn mapping_key(key: u64, slot: u64) -> B256 {
    let mut buf = [0u8; 64];
    buf[24..32].copy_from_slice(&key.to_be_bytes());
    buf[56..64].copy_from_slice(&slot.to_be_bytes());
    keccak256(buf)
}

/// The two storage keys of forced-inclusion request `index`.
pub fn forced_entry_keys(index: u64) -> (B256, B256) {
    let base = mapping_key(index, FORCED_QUEUE_SLOT);
    let next = U256::from_be_bytes(base.0).wrapping_add(U256::from(1));
    (base, B256::from(next))
}

fn bits(word: U256, from: usize, width: usize) -> u64 {
    let mask = (U256::from(1) << width) - U256::from(1);
    ((word >> from) & mask).to::<u64>()
}

/// Slot 3: everything a commitment writes besides the head hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommitState {
    /// Number of the committed head.
    pub committed_number: u64,
    /// L1 slot of the last accepted commitment (of the deployment before any).
    pub last_commit_slot: u64,
    /// The committed head's count among the certified blocks of its slot (section 3).
    pub head_nth: u32,
    /// Queue index of the first forced-inclusion request not yet discharged.
    pub forced_head: u64,
}

impl CommitState {
    /// Decodes the slot-3 word.
    pub fn decode(word: U256) -> Self {
        Self {
            committed_number: bits(word, 0, 64),
            last_commit_slot: bits(word, 64, 64),
            head_nth: u32::try_from(bits(word, 128, 32)).unwrap_or(u32::MAX),
            forced_head: bits(word, 160, 64),
        }
    }
}

/// Slot 4: the forced-inclusion queue's tail and the committee count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Queue index the next request gets.
    pub forced_tail: u64,
    /// Committees announced (ids `0..committee_count`).
    pub committee_count: u64,
}

impl Counts {
    /// Decodes the slot-4 word.
    pub fn decode(word: U256) -> Self {
        Self {
            forced_tail: bits(word, 0, 64),
            committee_count: bits(word, 64, 64),
        }
    }
}

/// A pending forced-inclusion request, from its two words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ForcedEntry {
    /// Hash of the transaction to include.
    pub tx_hash: B256,
    /// Commitments in slots after it must include it (section 5.5).
    pub deadline_slot: u64,
    /// Slot of the request.
    pub request_slot: u64,
}

impl ForcedEntry {
    /// Decodes the entry's two words.
    pub fn decode(word0: U256, word1: U256) -> Self {
        Self {
            tx_hash: B256::from(word0),
            deadline_slot: bits(word1, 0, 64),
            request_slot: bits(word1, 64, 64),
        }
    }
}
