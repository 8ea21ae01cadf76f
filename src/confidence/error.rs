//! Errors of the confidence engine.

use crate::ErrorCode;
use crate::rollup::RollupError;

/// Why an engine call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfidenceError {
    /// The rollup layer rejected the input.
    #[error(transparent)]
    Rollup(#[from] RollupError),
    /// The queried or referenced item is not tracked.
    #[error("not tracked")]
    NotTracked,
}

impl ErrorCode for ConfidenceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Rollup(e) => e.code(),
            Self::NotTracked => "NOT_TRACKED",
        }
    }
}
