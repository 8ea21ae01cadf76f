//! Errors of the BLS module.

use crate::ErrorCode;

/// Why a BLS operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlsError {
    /// The bytes are not a valid compressed G1 point in the subgroup.
    #[error("invalid BLS public key")]
    InvalidPublicKey,
    /// The public key is the point at infinity, which Ethereum rejects.
    #[error("BLS public key is the point at infinity")]
    InfinityPublicKey,
    /// The signature does not decode or does not verify.
    #[error("invalid BLS signature")]
    InvalidSignature,
    /// No participant: an aggregate over nobody is never valid.
    #[error("no participating keys")]
    NoParticipants,
    /// The participation bits do not match the committee size.
    #[error("participation bitfield has {got} bits, committee has {expected} members")]
    ParticipationLength {
        /// Members in the committee.
        expected: usize,
        /// Bits supplied.
        got: usize,
    },
}

impl ErrorCode for BlsError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidPublicKey => "INVALID_PUBLIC_KEY",
            Self::InfinityPublicKey => "INFINITY_PUBLIC_KEY",
            Self::InvalidSignature => "INVALID_SIGNATURE",
            Self::NoParticipants => "NO_PARTICIPANTS",
            Self::ParticipationLength { .. } => "INVALID_PARTICIPATION",
        }
    }
}
