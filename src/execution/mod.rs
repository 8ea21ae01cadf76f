//! Execution-layer verification: blocks, receipts and logs, account and
//! storage proofs, all checked against roots the caller already trusts.
//!
//! ## Pipeline
//!
//! ```text
//!  trusted block hash (e.g. from a verified beacon header)
//!        │
//!  eth_getBlockBy* ──► verify_block ──► Verified<ExecutionBlock>
//!        │                 keccak256(rlp(header)) == hash; transactions and
//!        │                 withdrawals rebuilt against their roots
//!        ├─ receiptsRoot ─► verify_receipts / verify_block_receipts
//!        │                 (eth_getBlockReceipts) ──► Verified<VerifiedReceipts>
//!        └─ stateRoot ────► verify_account_proof (eth_getProof)
//!                           ──► Verified<AccountState> ──► verify_code (eth_getCode)
//!
//!  beacon block body's ExecutionPayload JSON ──► verify_payload
//!        block_hash == keccak256(rlp(header rebuilt from the payload))
//!        (the payload's own trust comes from the beacon side, via SSZ)
//!
//!  full beacon block (SSZ + fork, or JSON) + Verified<BeaconBlockHeader>
//!        ──► verify_beacon_block: hash_tree_root(body) == body_root, then
//!            verify_payload's block-hash check ──► Verified<VerifiedBeaconBlock>
//! ```
//!
//! Inputs are JSON-RPC results as nodes return them (`serde_json::Value`,
//! either the `result` or the whole response). Nothing here trusts a field
//! that a root or hash does not commit to: stated values are recomputed and a
//! disagreement rejects the response with a typed [`ExecutionError`].

mod account;
pub mod beacon_block;
mod block;
mod error;
mod header;
mod json;
mod mpt;
mod payload;
mod receipt;
mod rlp_util;
mod rpc_receipt;
mod transaction;

pub use account::{
    AccountState, StorageSlot, verify_account_proof, verify_account_proof_for, verify_code,
    verify_code_json,
};
pub use beacon_block::{SignedBeaconBlock, VerifiedBeaconBlock, verify_beacon_block};
pub use block::{ExecutionBlock, verify_block, verify_header_rlp, verify_raw_transactions};
pub use error::ExecutionError;
pub use header::ExecutionHeader;
pub use payload::{EMPTY_OMMERS_HASH, PayloadContext, verify_payload};
pub use receipt::{
    Log, LogFilter, Receipt, VerifiedLog, VerifiedReceipts, matching_logs, receipts_root,
    verify_block_receipts, verify_block_receipts_text, verify_receipts, verify_receipts_text,
};
/// For the wasm `verifyReceipts` output (the core module, not the EVM one).
#[cfg(all(
    target_arch = "wasm32",
    not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks"))
))]
pub(crate) use receipt::{
    verify_block_receipts_text_with_blooms, verify_receipts_text_with_blooms,
};
pub use transaction::{
    TX_TYPE_EIP1559, TX_TYPE_EIP2930, TX_TYPE_EIP4844, TX_TYPE_EIP7702, TX_TYPE_LEGACY, Withdrawal,
    envelope_from_json, transactions_root, withdrawals_root,
};

/// Entry points for fuzzing the decoders (feature `fuzzing`; not a stable API).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
