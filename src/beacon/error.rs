//! Errors of the beacon light client.

use alloy_primitives::B256;

use crate::ErrorCode;
use crate::bls::BlsError;
use crate::ssz::SszError;

/// Why a light-client input was rejected or an operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BeaconError {
    /// SSZ bytes are malformed.
    #[error("SSZ decode error: {0}")]
    Ssz(#[from] SszError),
    /// JSON text is malformed or misses a field.
    #[error("JSON decode error: {0}")]
    Json(String),
    /// The `version` / fork name is unknown or has no light client.
    #[error("unknown or unsupported fork {0:?}")]
    UnknownFork(String),
    /// The 4-byte fork digest (context bytes) matches no fork of this network.
    #[error("fork digest 0x{} matches no fork of this network", hex::encode(.0))]
    UnknownForkDigest([u8; 4]),
    /// The sync committee size of the data does not match the preset.
    #[error("preset mismatch: network uses sync committees of {network}, client type of {client}")]
    PresetMismatch {
        /// Size in the network's preset.
        network: usize,
        /// Size of the client type.
        client: usize,
    },
    /// A custom network configuration is inconsistent.
    #[error("invalid network configuration: {0}")]
    InvalidConfig(&'static str),
    /// Fewer sync-committee participants than `MIN_SYNC_COMMITTEE_PARTICIPANTS`.
    #[error("{got} participants, at least {min} required")]
    InsufficientParticipants {
        /// Participants in the update.
        got: usize,
        /// Minimum required.
        min: usize,
    },
    /// Slots are out of order: `current >= signature > attested >= finalized` fails.
    #[error(
        "invalid slot order: current {current}, signature {signature}, attested {attested}, finalized {finalized}"
    )]
    InvalidSlot {
        /// Current slot from the clock argument.
        current: u64,
        /// Signature slot of the update.
        signature: u64,
        /// Attested header slot.
        attested: u64,
        /// Finalized header slot.
        finalized: u64,
    },
    /// The update's signature period is not one the store can verify.
    #[error("signature period {signature_period} not verifiable from store period {store_period}")]
    WrongPeriod {
        /// Period of the store's finalized header.
        store_period: u64,
        /// Period of the update's signature slot.
        signature_period: u64,
    },
    /// The update brings nothing newer than the store has.
    #[error("update is not relevant: attested slot {attested} <= finalized slot {finalized}")]
    NotRelevant {
        /// Attested slot of the update.
        attested: u64,
        /// Finalized slot of the store.
        finalized: u64,
    },
    /// The execution payload header does not prove into the beacon block body.
    #[error("invalid execution branch")]
    InvalidExecutionBranch,
    /// A pre-Capella (or pre-Deneb) header carries execution data it cannot have.
    #[error("header carries execution fields not allowed at its fork")]
    UnexpectedExecution,
    /// The finality branch does not prove the finalized header into the attested state.
    #[error("invalid finality branch")]
    InvalidFinalityBranch,
    /// The next sync committee branch does not prove into the attested state.
    #[error("invalid next sync committee branch")]
    InvalidNextSyncCommitteeBranch,
    /// The bootstrap's current sync committee branch does not prove into its state.
    #[error("invalid current sync committee branch")]
    InvalidCurrentSyncCommitteeBranch,
    /// An update without a finality proof carries a finalized header.
    #[error("update has a finalized header but no finality branch")]
    UnexpectedFinalizedHeader,
    /// An update without a committee proof carries a next sync committee.
    #[error("update has a next sync committee but no branch")]
    UnexpectedNextSyncCommittee,
    /// The update's next sync committee differs from the one the store knows.
    #[error("next sync committee differs from the known one")]
    NextSyncCommitteeMismatch,
    /// The bootstrap header does not hash to the trusted block root.
    #[error("bootstrap header root {got} is not the trusted root {expected}")]
    TrustedRootMismatch {
        /// The trusted block root.
        expected: B256,
        /// Root of the bootstrap header.
        got: B256,
    },
    /// A BLS operation failed (bad signature, bad or infinity public key).
    #[error(transparent)]
    Bls(#[from] BlsError),
    /// The store changed between verifying an update and applying it.
    #[error("the store changed since the update was verified; verify it again")]
    StoreChanged,
    /// `force_update` was called while no forced update is due.
    #[error("no forced update is due")]
    ForceUpdateNotDue,
    /// Persisted bytes fail their integrity check or do not parse.
    #[error("persisted store is corrupted: {0}")]
    StoreCorrupted(&'static str),
    /// Persisted bytes use a format version this build does not read.
    #[error("unsupported persisted store version {0}")]
    StoreVersion(u16),
    /// Persisted bytes belong to another network or preset.
    #[error("persisted store belongs to another network")]
    WrongNetwork,
    /// A beacon node's genesis (`/eth/v1/beacon/genesis`) is not this
    /// network's: the endpoint serves another network.
    #[error(
        "the endpoint serves another network: its {field} is {got}, this network's is {expected}"
    )]
    OtherNetwork {
        /// The genesis field that differs.
        field: &'static str,
        /// This network's value.
        expected: String,
        /// The endpoint's value.
        got: String,
    },
    /// A header chain does not link the claimed ancestor to the verified header.
    #[error("header chain broken at position {index}")]
    BrokenHeaderChain {
        /// Index in the supplied chain where the link fails.
        index: usize,
    },
}

impl ErrorCode for BeaconError {
    fn code(&self) -> &'static str {
        match self {
            Self::Ssz(_) | Self::Json(_) => "DECODE_ERROR",
            Self::UnknownFork(_) | Self::UnknownForkDigest(_) => "WRONG_FORK",
            Self::PresetMismatch { .. } => "WRONG_PRESET",
            Self::InvalidConfig(_) => "INVALID_CONFIG",
            Self::InsufficientParticipants { .. } => "INSUFFICIENT_PARTICIPANTS",
            Self::InvalidSlot { .. } => "INVALID_SLOT",
            Self::WrongPeriod { .. } => "WRONG_PERIOD",
            Self::NotRelevant { .. } => "NOT_RELEVANT",
            Self::InvalidExecutionBranch
            | Self::InvalidFinalityBranch
            | Self::InvalidNextSyncCommitteeBranch
            | Self::InvalidCurrentSyncCommitteeBranch => "INVALID_BRANCH",
            Self::UnexpectedExecution
            | Self::UnexpectedFinalizedHeader
            | Self::UnexpectedNextSyncCommittee => "INVALID_UPDATE",
            Self::NextSyncCommitteeMismatch => "COMMITTEE_MISMATCH",
            Self::TrustedRootMismatch { .. } => "TRUSTED_ROOT_MISMATCH",
            Self::Bls(e) => e.code(),
            Self::ForceUpdateNotDue => "FORCE_UPDATE_NOT_DUE",
            Self::StoreChanged => "STORE_CHANGED",
            Self::StoreCorrupted(_) => "STORE_CORRUPTED",
            Self::StoreVersion(_) => "STORE_VERSION",
            Self::WrongNetwork | Self::OtherNetwork { .. } => "WRONG_NETWORK",
            Self::BrokenHeaderChain { .. } => "INVALID_HEADER_CHAIN",
        }
    }
}
