//! Errors of the rollup module.

use alloy_primitives::B256;

use crate::ErrorCode;

/// Why a rollup input was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RollupError {
    /// The bytes are not a well-formed encoding of the expected item.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The header's `kind` byte is not 0, 1 or 2.
    #[error("unknown block kind {0}")]
    UnknownKind(u8),
    /// The block belongs to another chain.
    #[error("chain id {got}, expected {expected}")]
    WrongChainId {
        /// Configured chain id.
        expected: u64,
        /// Chain id in the header.
        got: u64,
    },
    /// The transactions do not hash to the header's transactions root.
    #[error("transactions do not match the transactions root")]
    TransactionsRootMismatch,
    /// The signature does not recover to the sequencer or does not verify.
    #[error("invalid signature")]
    InvalidSignature,
    /// The ECDSA signature has a high `s` value (malleable).
    #[error("signature s value is not in the lower half of the curve order")]
    HighS,
    /// The certificate kind does not match the configured sequencer.
    #[error("certificate kind does not match the configured sequencer")]
    WrongCertificateKind,
    /// A sequenced or slot-ending block came without a certificate.
    #[error("missing certificate")]
    MissingCertificate,
    /// A based block came with a certificate.
    #[error("based blocks carry no certificate")]
    UnexpectedCertificate,
    /// The participation bitfield has the wrong length or non-zero padding.
    #[error("invalid participation bitfield")]
    InvalidBitfield,
    /// Fewer than 2/3 of the committee weight signed.
    #[error("committee weight {signed} of {total} is below 2/3")]
    BelowThreshold {
        /// Weight of the participating members.
        signed: u128,
        /// Total committee weight.
        total: u128,
    },
    /// The certificate names a committee that is not the active one.
    #[error("committee {got} does not sign slot {slot}")]
    WrongCommittee {
        /// Committee id in the certificate.
        got: u64,
        /// L1 slot of the block.
        slot: u64,
    },
    /// The committee members do not hash to the announced committee hash.
    #[error("committee does not match its announcement")]
    CommitteeMismatch,
    /// A committee member key or the committee is unusable.
    #[error("invalid committee: {0}")]
    InvalidCommittee(&'static str),
    /// The parent block is not known; deliver it first.
    #[error("unknown parent {0}")]
    UnknownParent(B256),
    /// The block is at or below the anchor's height: the anchor (proven on
    /// L1) already fixes that part of the chain, and its ancestors are never
    /// held, so it can never connect. Not a lie; nothing to fetch.
    #[error("block at height {number} is at or below the anchor (height {anchor})")]
    BehindAnchor {
        /// The block's height.
        number: u64,
        /// The anchor's height.
        anchor: u64,
    },
    /// The block breaks a structural rule relative to its parent.
    #[error("block breaks the parent rule: {0}")]
    BadParentLink(&'static str),
    /// A based block sits on a parent it may not build on.
    #[error("based block on a parent it may not extend")]
    BasedWrongParent,
    /// A based block extends a slot-ending block of another slot.
    #[error("based block of slot {block_slot} on the slot-ending block of slot {parent_slot}")]
    BasedWrongSlot {
        /// Slot of the based block.
        block_slot: u64,
        /// Slot of the slot-ending parent.
        parent_slot: u64,
    },
    /// The block's L1 parent differs from the one its parent allows.
    #[error("L1 parent does not match")]
    L1ParentMismatch,
    /// The slot-ending marker is not allowed under the N-th block rule.
    #[error("slot-ending marker used under the N-th block rule")]
    MarkerNotAllowed,
    /// The block is already known.
    #[error("block {0} already known")]
    Duplicate(B256),
    /// The L1 block's parent is unknown to the engine.
    #[error("unknown L1 parent {0}")]
    UnknownL1Parent(B256),
    /// The L1 block is not known to the engine.
    #[error("unknown L1 block {0}")]
    UnknownL1Block(B256),
    /// The proof's public values do not bind to this rollup or block.
    #[error("public values do not match: {0}")]
    PublicValuesMismatch(&'static str),
    /// The L1 block is inconsistent with its parent (slot or execution parent hash).
    #[error("L1 block inconsistent with its parent: {0}")]
    L1Inconsistent(&'static str),
    /// The L1 input would reorg or contradict the finalized checkpoint.
    #[error("L1 input contradicts finality")]
    FinalityViolation,
    /// A configuration value is out of range.
    #[error("invalid config: {0}")]
    InvalidConfig(&'static str),
}

impl ErrorCode for RollupError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "MALFORMED",
            Self::UnknownKind(_) => "UNKNOWN_BLOCK_KIND",
            Self::WrongChainId { .. } => "WRONG_CHAIN_ID",
            Self::TransactionsRootMismatch => "TRANSACTIONS_ROOT_MISMATCH",
            Self::InvalidSignature => "INVALID_SIGNATURE",
            Self::HighS => "HIGH_S_SIGNATURE",
            Self::WrongCertificateKind => "WRONG_CERTIFICATE_KIND",
            Self::MissingCertificate => "MISSING_CERTIFICATE",
            Self::UnexpectedCertificate => "UNEXPECTED_CERTIFICATE",
            Self::InvalidBitfield => "INVALID_PARTICIPATION",
            Self::BelowThreshold { .. } => "BELOW_THRESHOLD",
            Self::WrongCommittee { .. } => "WRONG_COMMITTEE",
            Self::CommitteeMismatch => "COMMITTEE_MISMATCH",
            Self::InvalidCommittee(_) => "INVALID_COMMITTEE",
            Self::UnknownParent(_) => "UNKNOWN_PARENT",
            Self::BehindAnchor { .. } => "BEHIND_ANCHOR",
            Self::BadParentLink(_) => "BAD_PARENT_LINK",
            Self::BasedWrongParent => "BASED_WRONG_PARENT",
            Self::BasedWrongSlot { .. } => "BASED_WRONG_SLOT",
            Self::L1ParentMismatch => "L1_PARENT_MISMATCH",
            Self::MarkerNotAllowed => "MARKER_NOT_ALLOWED",
            Self::Duplicate(_) => "DUPLICATE",
            Self::UnknownL1Parent(_) => "UNKNOWN_L1_PARENT",
            Self::UnknownL1Block(_) => "UNKNOWN_L1_BLOCK",
            Self::PublicValuesMismatch(_) => "PUBLIC_VALUES_MISMATCH",
            Self::L1Inconsistent(_) => "L1_INCONSISTENT",
            Self::FinalityViolation => "FINALITY_VIOLATION",
            Self::InvalidConfig(_) => "INVALID_CONFIG",
        }
    }
}
