//! The L2 block header, its hash, and a block body checked against it.

use alloy_primitives::{B256, Bytes, keccak256};
use alloy_rlp::{Decodable, RlpDecodable, RlpEncodable};
use serde::{Deserialize, Serialize};

use super::RollupError;

/// What kind of block a header is (`kind` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BlockKind {
    /// A block certified by the sequencer.
    Sequenced,
    /// A certified block carrying the slot-ending marker.
    SlotEnding,
    /// A block anyone built, valid through L1 inclusion in its slot.
    Based,
}

/// `kind` byte of a sequenced block.
pub const KIND_SEQUENCED: u8 = 0;
/// `kind` byte of a slot-ending block.
pub const KIND_SLOT_ENDING: u8 = 1;
/// `kind` byte of a based block.
pub const KIND_BASED: u8 = 2;

impl BlockKind {
    /// Decodes the header's `kind` byte.
    ///
    /// # Errors
    /// [`RollupError::UnknownKind`] for any other byte.
    pub fn from_byte(b: u8) -> Result<Self, RollupError> {
        match b {
            KIND_SEQUENCED => Ok(Self::Sequenced),
            KIND_SLOT_ENDING => Ok(Self::SlotEnding),
            KIND_BASED => Ok(Self::Based),
            other => Err(RollupError::UnknownKind(other)),
        }
    }

    /// The header's `kind` byte.
    pub fn to_byte(self) -> u8 {
        match self {
            Self::Sequenced => KIND_SEQUENCED,
            Self::SlotEnding => KIND_SLOT_ENDING,
            Self::Based => KIND_BASED,
        }
    }
}

/// An L2 block header (docs/PROTOCOL.md section 1); field order is the RLP order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, RlpEncodable, RlpDecodable, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L2Header {
    /// Rollup chain id.
    pub chain_id: u64,
    /// Block height.
    pub number: u64,
    /// Hash of the parent header.
    pub parent_hash: B256,
    /// `0` sequenced, `1` slot-ending, `2` based.
    pub kind: u8,
    /// The L1 slot the block belongs to.
    pub l1_slot: u64,
    /// Beacon root of the L1 parent the L1 block of `l1_slot` must build on.
    pub l1_parent_beacon_root: B256,
    /// Execution block hash of that L1 parent.
    pub l1_parent_block_hash: B256,
    /// Unix seconds.
    pub timestamp: u64,
    /// State root after the block.
    pub state_root: B256,
    /// Ordered trie root of the encoded transactions.
    pub transactions_root: B256,
    /// Ordered trie root of the receipts.
    pub receipts_root: B256,
    /// Gas limit.
    pub gas_limit: u64,
    /// Gas used.
    pub gas_used: u64,
    /// Base fee per gas.
    pub base_fee_per_gas: u64,
}

impl L2Header {
    /// The RLP encoding that is hashed.
    pub fn rlp_bytes(&self) -> Vec<u8> {
        alloy_rlp::encode(self)
    }

    /// The block hash: `keccak(rlp(header))`.
    pub fn hash(&self) -> B256 {
        keccak256(self.rlp_bytes())
    }

    /// The decoded `kind`.
    ///
    /// # Errors
    /// [`RollupError::UnknownKind`] for a kind byte outside 0..=2.
    pub fn block_kind(&self) -> Result<BlockKind, RollupError> {
        BlockKind::from_byte(self.kind)
    }

    /// Decodes a header from its exact RLP encoding.
    ///
    /// # Errors
    /// [`RollupError::Malformed`] for bad RLP or trailing bytes;
    /// [`RollupError::UnknownKind`] for a bad kind byte.
    pub fn decode_rlp(mut bytes: &[u8]) -> Result<Self, RollupError> {
        let header =
            Self::decode(&mut bytes).map_err(|_| RollupError::Malformed("L2 header RLP"))?;
        if !bytes.is_empty() {
            return Err(RollupError::Malformed("trailing bytes after L2 header"));
        }
        header.block_kind()?;
        Ok(header)
    }
}

/// The transactions root of an ordered list of EIP-2718 encoded transactions.
pub fn transactions_root(transactions: &[Bytes]) -> B256 {
    alloy_trie::root::ordered_trie_root_encoded(transactions)
}

/// A header with its body, as the sequencer feed delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L2Block {
    /// The header.
    pub header: L2Header,
    /// EIP-2718 encoded transactions, in order.
    pub transactions: Vec<Bytes>,
}

impl L2Block {
    /// Hashes of the transactions, in order.
    pub fn tx_hashes(&self) -> Vec<B256> {
        self.transactions.iter().map(keccak256).collect()
    }

    /// Checks the body against the header's transactions root.
    ///
    /// # Errors
    /// [`RollupError::TransactionsRootMismatch`] when they differ.
    pub fn check_body(&self) -> Result<(), RollupError> {
        if transactions_root(&self.transactions) == self.header.transactions_root {
            Ok(())
        } else {
            Err(RollupError::TransactionsRootMismatch)
        }
    }
}
