//! Errors of the inbox helpers.

/// Why calldata could not be built or a log not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboxError {
    /// A compressed BLS point does not decode to a curve point.
    #[error("invalid compressed BLS point: {0}")]
    InvalidPoint(&'static str),
    /// A certificate could not be encoded (section 2.3).
    #[error("certificate: {0}")]
    Certificate(&'static str),
    /// A log of the inbox does not decode as its event.
    #[error("malformed {0} log")]
    MalformedLog(&'static str),
    /// An L2 header inside a commitment log does not decode.
    #[error("commitment log carries an invalid header or certificate")]
    MalformedSegment,
    /// A forced-inclusion proof was asked for a transaction outside the block.
    #[error("transaction index {index} out of range ({len} transactions)")]
    TransactionIndex {
        /// The index asked for.
        index: usize,
        /// Transactions in the block.
        len: usize,
    },
}
