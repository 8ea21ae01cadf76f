//! Inclusion proofs of a transaction in an L2 block's transactions trie
//! (docs/PROTOCOL.md section 5.5), as `commit` takes them to discharge a
//! forced-inclusion request: the trie nodes from the root to the leaf of key
//! `rlp(index)`, built with alloy-trie's hash builder (the same trie the
//! header's `transactionsRoot` is computed over).

use alloy_primitives::{B256, Bytes};
use alloy_trie::proof::ProofRetainer;
use alloy_trie::root::adjust_index_for_rlp;
use alloy_trie::{HashBuilder, Nibbles};

use crate::InboxError;

/// The proof nodes of transaction `index` in the ordered trie of `transactions`,
/// and the trie's root (the header's `transactionsRoot`).
///
/// # Errors
/// [`InboxError::TransactionIndex`] if `index` is out of range.
pub fn transaction_proof(
    transactions: &[Bytes],
    index: usize,
) -> Result<(B256, Vec<Bytes>), InboxError> {
    let len = transactions.len();
    if index >= len {
        return Err(InboxError::TransactionIndex { index, len });
    }
    let target = Nibbles::unpack(alloy_rlp::encode_fixed_size(&index));
    let mut hb = HashBuilder::default().with_proof_retainer(ProofRetainer::new(vec![target]));
    for i in 0..len {
        let item = adjust_index_for_rlp(i, len);
        let key = alloy_rlp::encode_fixed_size(&item);
        if let Some(tx) = transactions.get(item) {
            hb.add_leaf(Nibbles::unpack(&key), tx);
        }
    }
    let root = hb.root();
    let nodes = hb
        .take_proof_nodes()
        .matching_nodes_sorted(&target)
        .into_iter()
        .map(|(_, node)| node)
        .collect();
    Ok((root, nodes))
}
