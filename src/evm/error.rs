//! Errors of the EVM module.

use alloy_primitives::{Address, B256};

use super::state::NeedsState;
use crate::ErrorCode;
use crate::execution::ExecutionError;

/// Why a simulation or a re-execution could not give a verified answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvmError {
    /// Execution touched state the caller has not supplied: fetch it and retry.
    #[error("execution needs more proven state: {0}")]
    NeedsState(NeedsState),
    /// A sparse-trie update reached a node that the witness does not contain.
    #[error("witness lacks trie node {hash} needed for {what}")]
    MissingWitness {
        /// Hash of the missing node.
        hash: B256,
        /// What the node was needed for.
        what: String,
    },
    /// A witness node does not decode as a Merkle-Patricia node.
    #[error("invalid witness node: {reason}")]
    InvalidWitness {
        /// What was wrong with it.
        reason: String,
    },
    /// A proof was verified against a different state root than the one executed on.
    #[error("proof for {address} is against state root {got}, expected {expected}")]
    StateRootMismatch {
        /// The account.
        address: Address,
        /// Root the proof was checked against.
        got: B256,
        /// Root of the state being built.
        expected: B256,
    },
    /// A proof or code failed execution-layer verification.
    #[error(transparent)]
    Execution(#[from] ExecutionError),
    /// A transaction could not be decoded, recovered or executed (invalid in this block).
    #[error("transaction {index} is invalid: {reason}")]
    InvalidTransaction {
        /// Position in the bundle or block.
        index: usize,
        /// Why.
        reason: String,
    },
    /// An input field is malformed.
    #[error("invalid input {field}: {reason}")]
    InvalidInput {
        /// The field.
        field: String,
        /// What was wrong.
        reason: String,
    },
    /// The post-state root recomputed from the witness differs from the header.
    #[error("post-state root {computed} differs from header {expected}")]
    PostStateRootMismatch {
        /// Root recomputed by re-execution.
        computed: B256,
        /// Root in the header.
        expected: B256,
    },
    /// The receipts root recomputed by re-execution differs from the header.
    #[error("receipts root {computed} differs from header {expected}")]
    ReceiptsRootMismatch {
        /// Root recomputed by re-execution.
        computed: B256,
        /// Root in the header.
        expected: B256,
    },
    /// The gas used by re-execution differs from the header.
    #[error("gas used {computed} differs from header {expected}")]
    GasUsedMismatch {
        /// Gas used by re-execution.
        computed: u64,
        /// Gas used in the header.
        expected: u64,
    },
    /// The transactions do not give the header's transactions root.
    #[error("transactions root {computed} differs from header {expected}")]
    TransactionsRootMismatch {
        /// Root of the supplied transactions.
        computed: B256,
        /// Root in the header.
        expected: B256,
    },
    /// The block would run a pre- or post-block system call (EIP-4788,
    /// EIP-2935, EIP-7002, EIP-7251) against a deployed system contract,
    /// which this re-execution does not implement: no verdict either way.
    #[error("system contract {address} is deployed; its system call is not supported")]
    UnsupportedSystemContract {
        /// The system contract.
        address: Address,
    },
    /// revm reported an internal error.
    #[error("EVM error: {reason}")]
    Evm {
        /// revm's message.
        reason: String,
    },
}

impl ErrorCode for EvmError {
    fn code(&self) -> &'static str {
        match self {
            Self::NeedsState(_) => "NEEDS_STATE",
            Self::MissingWitness { .. } => "MISSING_WITNESS",
            Self::InvalidWitness { .. } => "INVALID_WITNESS",
            Self::StateRootMismatch { .. } => "STATE_ROOT_MISMATCH",
            Self::Execution(e) => e.code(),
            Self::InvalidTransaction { .. } => "INVALID_TRANSACTION",
            Self::InvalidInput { .. } => "INVALID_INPUT",
            Self::PostStateRootMismatch { .. } => "POST_STATE_ROOT_MISMATCH",
            Self::ReceiptsRootMismatch { .. } => "RECEIPTS_ROOT_MISMATCH",
            Self::GasUsedMismatch { .. } => "GAS_USED_MISMATCH",
            Self::TransactionsRootMismatch { .. } => "TRANSACTIONS_ROOT_MISMATCH",
            Self::UnsupportedSystemContract { .. } => "UNSUPPORTED_SYSTEM_CONTRACT",
            Self::Evm { .. } => "EVM_ERROR",
        }
    }
}
