//! Errors of the SSZ module.

use crate::ErrorCode;

/// Why SSZ bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SszError {
    /// The input has the wrong length for a fixed-size type.
    #[error("wrong length: expected {expected} bytes, got {got}")]
    WrongLength {
        /// Bytes the type needs.
        expected: usize,
        /// Bytes supplied.
        got: usize,
    },
    /// The input is shorter than the fixed part of a container.
    #[error("input too short: need at least {need} bytes, got {got}")]
    TooShort {
        /// Minimum bytes needed.
        need: usize,
        /// Bytes supplied.
        got: usize,
    },
    /// A variable-size field offset is out of order or out of range.
    #[error("invalid offset {offset}")]
    InvalidOffset {
        /// The offending offset.
        offset: usize,
    },
    /// A list holds more elements than its limit.
    #[error("list of {got} elements exceeds limit {limit}")]
    ListTooLong {
        /// The type's limit.
        limit: usize,
        /// Elements found.
        got: usize,
    },
    /// A bitlist has no delimiting bit or a bitvector has bits set past its length.
    #[error("invalid bitfield")]
    InvalidBitfield,
    /// A boolean byte is neither 0 nor 1.
    #[error("invalid boolean byte {0}")]
    InvalidBool(u8),
}

impl ErrorCode for SszError {
    fn code(&self) -> &'static str {
        "DECODE_ERROR"
    }
}
