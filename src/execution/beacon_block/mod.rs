//! Beacon block → execution payload: a full beacon block checked against a
//! verified beacon header, and its execution payload checked against its own
//! `block_hash`.
//!
//! ## Pipeline
//!
//! ```text
//!  /eth/v2/beacon/blocks/{id}
//!    SSZ + fork name (Eth-Consensus-Version) ─┐
//!    JSON { version, data }  ─────────────────┴► SignedBeaconBlock (per-fork body)
//!                                                    │
//!  Verified<BeaconBlockHeader> (light client:        │  slot, proposer, parent and
//!   finalized/optimistic header, or an ancestor  ───►│  state roots equal; hash_tree_root(body)
//!   reached by verify_ancestor's header chain)       │  == body_root
//!                                                    ▼
//!                        payload fields + PayloadContext (parent_root; EIP-7685
//!                        requests_hash of execution_requests from Electra)
//!                                                    │  keccak(rlp(rebuilt header)) == block_hash
//!                                                    ▼
//!                                   Verified<VerifiedBeaconBlock>
//! ```
//!
//! The body root binds every payload field (and every transaction) to the
//! verified header; rebuilding the execution header adds that `block_hash`
//! commits to the same fields, so the block hash, state root, receipts root
//! and transactions root can anchor the other execution-layer checks.
//!
//! Only the mainnet preset (mainnet, sepolia, hoodi) is supported: its list
//! limits and sync-committee size are part of the body's SSZ shape. The
//! proposer signature is not checked; the block is authenticated by its
//! root, not by its signature.

mod block;
pub(crate) mod codec;
pub mod types;

pub use block::{
    BeaconBlockBody, CONSOLIDATION_REQUEST_TYPE, DEPOSIT_REQUEST_TYPE, SignedBeaconBlock,
    WITHDRAWAL_REQUEST_TYPE, payload_fork, requests_hash,
};

use alloy_primitives::B256;

use super::block::ExecutionBlock;
use super::error::ExecutionError;
use super::payload::{PayloadContext, verify_payload_fields};
use crate::Verified;
use crate::beacon::{BeaconBlockHeader, Fork, Network};
use crate::ssz::TreeHash;

/// A beacon block whose body matched a verified header, with its verified
/// execution payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBeaconBlock {
    /// The block's fork.
    pub fork: Fork,
    /// Beacon slot.
    pub slot: u64,
    /// Beacon block root.
    pub block_root: B256,
    /// Beacon parent root (the execution header's `parentBeaconBlockRoot` from Deneb).
    pub parent_root: B256,
    /// `hash_tree_root(body)`, equal to the verified header's `body_root`.
    pub body_root: B256,
    /// The execution block rebuilt from the payload (header, block hash,
    /// transaction hashes; withdrawals checked from Capella).
    pub execution: ExecutionBlock,
    /// Number of blob KZG commitments in the body (Deneb on).
    pub blob_commitments: usize,
}

/// Checks `block` against a verified header: same slot, proposer, parent and
/// state roots, `hash_tree_root(body) == body_root`, the fork of the block is
/// the fork of its slot on `network`, and the payload rebuilds to its
/// `block_hash` (with the beacon parent root from Deneb and the EIP-7685
/// requests hash from Electra).
///
/// # Errors
/// [`ExecutionError::WrongFork`], [`ExecutionError::BeaconHeaderMismatch`],
/// [`ExecutionError::BodyRootMismatch`], [`ExecutionError::HeaderHashMismatch`].
pub fn verify_beacon_block(
    network: &Network,
    header: &Verified<BeaconBlockHeader>,
    block: &SignedBeaconBlock,
) -> Result<Verified<VerifiedBeaconBlock>, ExecutionError> {
    let checks = [
        ("slot", block.slot == header.slot),
        (
            "proposer_index",
            block.proposer_index == header.proposer_index,
        ),
        ("parent_root", block.parent_root == header.parent_root),
        ("state_root", block.state_root == header.state_root),
    ];
    if let Some((field, _)) = checks.iter().find(|(_, ok)| !ok) {
        return Err(ExecutionError::BeaconHeaderMismatch { field });
    }
    let slot_fork = network.fork_at_epoch(network.epoch_at_slot(block.slot));
    if slot_fork != block.fork {
        return Err(ExecutionError::WrongFork(format!(
            "block decoded as {} but slot {} is {}",
            block.fork.name(),
            block.slot,
            slot_fork.name()
        )));
    }
    let computed = block.body_root();
    if computed != header.body_root {
        return Err(ExecutionError::BodyRootMismatch {
            computed,
            expected: header.body_root,
        });
    }
    let ctx = PayloadContext {
        parent_beacon_block_root: (block.fork >= Fork::Deneb).then_some(block.parent_root),
        requests_hash: block.body.execution_requests().map(requests_hash),
    };
    let execution = verify_payload_fields(&block.body.payload_fields(), ctx)?.into_inner();
    Ok(Verified::new_unchecked(VerifiedBeaconBlock {
        fork: block.fork,
        slot: block.slot,
        block_root: header.tree_hash_root(),
        parent_root: block.parent_root,
        body_root: computed,
        execution,
        blob_commitments: block.body.blob_kzg_commitments().len(),
    }))
}
