//! Values taken on trust for tests outside the crate (feature
//! `bench-support`; not for production): tests that compare another
//! implementation of the protocol (the inbox contract) with this one build
//! their inputs here. The engine's own fixtures are in
//! `crate::confidence::bench_support`.

use super::certificate::{CommitteeAnnouncement, CommitteeKeys, CommitteeMember};
use super::{InboxLogs, L1Block, L2Header, RollupAnchor, RollupError};
use crate::Verified;

/// A rollup anchor taken on trust, for tests outside the crate that compare
/// another implementation of the protocol (the inbox contract) with this one.
pub fn trusted_anchor(
    l1_block: L1Block,
    l2_header: L2Header,
    last_commit_slot: u64,
) -> Verified<RollupAnchor> {
    Verified::new_unchecked(RollupAnchor {
        l1_block,
        l2_header,
        last_commit_slot,
    })
}

/// An L1 block taken on trust (see [`trusted_anchor`]).
pub fn trusted_l1_block(block: L1Block) -> Verified<L1Block> {
    Verified::new_unchecked(block)
}

/// Inbox logs taken on trust (see [`trusted_anchor`]).
pub fn trusted_logs(logs: InboxLogs) -> Verified<InboxLogs> {
    Verified::new_unchecked(logs)
}

/// A committee announced (on trust) with `activation` and checked as
/// [`super::certificate::verify_committee`] checks it.
///
/// # Errors
/// The [`RollupError`] of `verify_committee`.
pub fn trusted_committee(
    id: u64,
    activation: u64,
    members: &Vec<CommitteeMember>,
) -> Result<Verified<CommitteeKeys>, RollupError> {
    let announcement = Verified::new_unchecked(CommitteeAnnouncement {
        committee_id: id,
        committee_hash: super::certificate::committee_hash(id, members),
        activation_l1_slot: activation,
    });
    super::certificate::verify_committee(members, &announcement)
}
