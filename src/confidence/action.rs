//! Cross-domain actions: legs on L2 and on L1.

use alloy_primitives::B256;

/// A cross-domain action to track (JSON: `{ l2Txs?, l1Txs?, atomicSlot? }`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ActionSpec {
    /// L2 transaction legs.
    pub l2_txs: Vec<B256>,
    /// L1 transaction legs.
    pub l1_txs: Vec<B256>,
    /// For an atomic based-block action: the L1 slot whose L1 block must carry
    /// every leg (the based block(s) and the L1 transactions), or nothing.
    pub atomic_slot: Option<u64>,
}
