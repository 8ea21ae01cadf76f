//! The engine's one error type.

use alloy_primitives::B256;

use super::l1_adapter::L1VerifyError;
use crate::ErrorCode;
use crate::execution::ExecutionError;
use crate::proof::ProofError;
use crate::rollup::RollupError;

/// Most verified L1 headers that may wait for their parents.
pub const MAX_PENDING_L1_HEADERS: usize = 4096;

/// Why an engine input or query was refused. Nothing changed when it is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The rollup layer rejected the input.
    #[error(transparent)]
    Rollup(#[from] RollupError),
    /// The referenced item is not tracked.
    #[error("not tracked")]
    NotTracked,
    /// The L1 adapter rejected an L1 input.
    #[error(transparent)]
    L1(#[from] L1VerifyError),
    /// An execution response did not verify.
    #[error(transparent)]
    Execution(#[from] ExecutionError),
    /// An SP1 proof did not verify.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// No pending L1 header has this block as its parent.
    #[error("L1 block {0} was not requested")]
    NotRequested(B256),
    /// The L1 block is not among the verified headers the engine holds.
    #[error("unknown L1 block {0}")]
    UnknownL1Block(B256),
    /// The rollup configuration names no batch program.
    #[error("the rollup config has no batchProgramVkey")]
    NoBatchProgram,
    /// Too many L1 headers wait for their parents.
    #[error("more than {MAX_PENDING_L1_HEADERS} L1 headers wait for their parents")]
    TooManyPending,
}

impl ErrorCode for EngineError {
    fn code(&self) -> &'static str {
        match self {
            Self::Rollup(e) => e.code(),
            Self::NotTracked => "NOT_TRACKED",
            Self::L1(e) => e.code(),
            Self::Execution(e) => e.code(),
            Self::Proof(e) => e.code(),
            Self::NotRequested(_) => "L1_BLOCK_NOT_REQUESTED",
            Self::UnknownL1Block(_) => "UNKNOWN_L1_BLOCK",
            Self::NoBatchProgram => "NO_BATCH_PROGRAM",
            Self::TooManyPending => "TOO_MANY_PENDING",
        }
    }
}
