//! The rollup layer: L2 headers, sequencer certificates, slot rules and the
//! chain view (docs/PROTOCOL.md is the normative specification).
//!
//! Pipeline:
//! 1. a feed message ([`FeedMessage`]) is decoded from JSON or binary;
//! 2. [`ChainView::verify_block`] checks the body, the certificate
//!    ([`certificate`]) and the parent, slot-ending and based-block rules,
//!    returning a [`crate::Verified`] block without mutating anything;
//! 3. verified L1 facts ([`L1Block`], [`InboxLogs`], [`FinalizedCheckpoint`])
//!    extend the canonical L1 chain and the committed L2 chain is derived
//!    from the inbox logs on it; they are built only by the L1 adapter
//!    (`crate::confidence::l1_adapter`) from light-client headers,
//!    hash-verified execution headers, receipts and storage proofs;
//! 4. the confidence engine (`crate::confidence`) reads the view.
//!
//! This layer depends on nothing above `execution/` (it uses no beacon,
//! proof or confidence type).

#[cfg(feature = "bench-support")]
pub mod bench_support;
pub mod certificate;
pub mod chain;
pub mod config;
pub mod config_json;
mod error;
pub mod feed;
pub mod header;
pub mod l1;
pub mod public_values;
#[cfg(any(test, feature = "bench-support"))]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_startup;

pub use certificate::{Certificate, CommitteeAnnouncement, CommitteeCertificate, CommitteeMember};
pub use chain::{
    ChainView, CheckedBlock, ForcedRequest, L2Node, RejectReason, RejectedCommitment, RollupAnchor,
};
pub use config::{L1Timing, RollupConfig, SequencerAuth, SlotEndingRule};
pub use config_json::RollupSetup;
pub use error::RollupError;
pub use feed::{EquivocationEvidence, EquivocationKind, FeedMessage};
pub use header::{BlockKind, L2Block, L2Header};
pub use l1::{FinalizedCheckpoint, InboxEvent, InboxLogs, L1Block, L1Log, L1TxReceipt};
pub use public_values::BatchPublicValues;
