//! The preconf-light rollup inbox (docs/PROTOCOL.md section 5, version 2).
//!
//! The contract's Solidity source is `contracts/sol/`; `node contracts/build.mjs`
//! compiles it with the pinned npm `solc` into `contracts/out/`, and
//! `make contracts` checks that a fresh compile matches the committed
//! artifacts byte for byte. This crate carries those artifacts and the
//! typed helpers around them:
//!
//! ```text
//!  InboxConfig + genesis hash ──► deploy_code ─────────────► creation transaction
//!  Commitment (head, blocks, committees, forced proofs)
//!            ──► commit_calldata ──────────────────────────► commit(...)
//!  transaction bytes ──► forced_request_calldata ───────────► requestForcedInclusion(...)
//!  members (+ authorization) ──► bootstrap/announce_calldata ► committee announcements
//!  L2 block body ──► forced::transaction_proof ─────────────► ForcedInclusion in a Commitment
//!  inbox log ──► events::decode_log ────────────────────────► InboxEvent
//!  eth_getProof words ──► storage::{CommitState, ...} ───────► a late client's anchor
//!  revert data ──► abi::revert_name ────────────────────────► the named error
//! ```
//!
//! Committee certificates travel compressed in the protocol (section 2.3)
//! while the EIP-2537 precompiles take uncompressed points: [`points`]
//! converts, and the contract checks that both encode the same point.

pub mod abi;
pub mod calldata;
pub mod events;
pub mod forced;
pub mod points;
pub mod storage;

mod error;

pub use calldata::{
    CommitBlock, Commitment, CommitteeInput, ForcedInclusion, InboxConfig, announce_calldata,
    bootstrap_calldata, commit_calldata, deploy_code, forced_request_calldata, rotation_message,
};
pub use error::InboxError;
pub use events::{InboxEvent, decode_log};

/// The inbox's creation bytecode (hex, as `contracts/out/PreconfInbox.bin`).
pub const CREATION_CODE_HEX: &str = include_str!("../out/PreconfInbox.bin");
/// The inbox's runtime bytecode before its immutables are filled in (hex).
pub const RUNTIME_CODE_HEX: &str = include_str!("../out/PreconfInbox.runtime.bin");
/// The inbox's ABI (JSON).
pub const ABI_JSON: &str = include_str!("../out/PreconfInbox.abi.json");
/// The inbox's storage layout as solc reports it (JSON).
pub const STORAGE_LAYOUT_JSON: &str = include_str!("../out/PreconfInbox.storage.json");

/// The creation bytecode.
pub fn creation_code() -> Vec<u8> {
    // The committed artifact is hex written by contracts/build.mjs; a test
    // checks that it decodes.
    hex::decode(CREATION_CODE_HEX.trim()).unwrap_or_default()
}
