//! The sync protocol of `specs/altair/light-client/sync-protocol.md` and
//! its Capella, Deneb and Electra modifications, over the unified types.
//!
//! [`LightClientStore`] holds the spec's store plus each committee's
//! [`SyncCommitteeKeys`] (compressed, decompressed on first use and cached:
//! an update carrying the next committee costs no key decoding, and the next
//! period's updates decode only the committee total and the absent members).
//! Verification (`verify_update`) never mutates (beyond that cache); it returns a [`Verified`] [`CheckedUpdate`] that only
//! `apply_checked` turns into state changes.
//!
//! ## Subgroup checks of committee keys (`KeyCheck::Authenticated`)
//!
//! Committee keys are decoded with `KeyCheck::Authenticated`: on the curve
//! and not infinity, but without the (expensive) prime-order subgroup check.
//! This is sound because every key reaches the store only through a Merkle
//! branch into a beacon state that is itself authenticated (by the trusted
//! block root for the bootstrap, or by a sync-committee supermajority
//! signature for updates), and the beacon chain only admits a validator key
//! after verifying its deposit's proof-of-possession signature, which runs
//! `KeyValidate` (including the subgroup check). A state that holds a key
//! outside the subgroup could only be produced by the same committee
//! majority the light client already trusts to sign headers, so skipping the
//! check adds no power to an attacker. The same argument lets the state's
//! `aggregate_pubkey` stand for the sum of the keys (`crate::bls` committee
//! docs). Infinity keys are still rejected, and
//! signatures are always fully checked (subgroup included) by the backend.

use std::sync::Arc;

use alloy_primitives::B256;

use super::config::{GENESIS_SLOT, Network};
use super::error::BeaconError;
use super::types::{LightClientBootstrap, LightClientHeader, LightClientUpdate, SyncCommittee};
use crate::Verified;
use crate::bls::SyncCommitteeKeys;
use crate::ssz::{
    TreeHash, get_subtree_index, is_valid_merkle_branch, is_valid_normalized_merkle_branch,
};

/// `EXECUTION_PAYLOAD_GINDEX` (in `BeaconBlockBody`).
pub const EXECUTION_PAYLOAD_GINDEX: u64 = 25;
/// `FINALIZED_ROOT_GINDEX` before Electra.
pub const FINALIZED_ROOT_GINDEX: u64 = 105;
/// `CURRENT_SYNC_COMMITTEE_GINDEX` before Electra.
pub const CURRENT_SYNC_COMMITTEE_GINDEX: u64 = 54;
/// `NEXT_SYNC_COMMITTEE_GINDEX` before Electra.
pub const NEXT_SYNC_COMMITTEE_GINDEX: u64 = 55;
/// `FINALIZED_ROOT_GINDEX_ELECTRA`.
pub const FINALIZED_ROOT_GINDEX_ELECTRA: u64 = 169;
/// `CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA`.
pub const CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA: u64 = 86;
/// `NEXT_SYNC_COMMITTEE_GINDEX_ELECTRA`.
pub const NEXT_SYNC_COMMITTEE_GINDEX_ELECTRA: u64 = 87;

/// A sync committee with its keys, decompressed when an update needs them.
#[derive(Debug, Clone)]
pub struct Committee<const S: usize> {
    /// The committee as in the state.
    pub committee: SyncCommittee<S>,
    /// Its keys (decompressed lazily, cached; shared by clones).
    pub keys: Arc<SyncCommitteeKeys>,
}

impl<const S: usize> Committee<S> {
    /// Takes the keys of an authenticated committee (see the module docs);
    /// nothing is decompressed here, only infinity keys are refused.
    ///
    /// # Errors
    /// [`BeaconError::Bls`] for an infinity key.
    pub fn decode(committee: SyncCommittee<S>) -> Result<Self, BeaconError> {
        let raw: Vec<[u8; 48]> = committee.pubkeys.as_slice().iter().map(|k| k.0).collect();
        let keys = SyncCommitteeKeys::from_authenticated(raw, committee.aggregate_pubkey.0)?;
        Ok(Self {
            committee,
            keys: Arc::new(keys),
        })
    }
}

/// An update that passed `validate_light_client_update` against a store state.
#[derive(Debug, Clone)]
pub struct CheckedUpdate<const S: usize> {
    pub(crate) update: LightClientUpdate<S>,
    pub(crate) participants: usize,
    /// Decoded next committee, if the update carries one.
    pub(crate) next: Option<Committee<S>>,
    /// Store generation this was checked against.
    pub(crate) generation: u64,
}

impl<const S: usize> CheckedUpdate<S> {
    /// The update.
    pub fn update(&self) -> &LightClientUpdate<S> {
        &self.update
    }
    /// Number of participating committee members.
    pub fn participants(&self) -> usize {
        self.participants
    }
}

/// What processing an update changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpdateOutcome {
    /// Participants in the update's aggregate.
    pub participants: usize,
    /// The finalized header moved forward.
    pub finalized_advanced: bool,
    /// The optimistic header moved forward.
    pub optimistic_advanced: bool,
    /// The store learned the next sync committee.
    pub next_committee_learned: bool,
    /// The store rotated to a new sync committee period.
    pub committee_rotated: bool,
    /// The update became the store's `best_valid_update`.
    pub became_best_update: bool,
}

/// The spec's `LightClientStore`, with decoded committees.
#[derive(Debug, Clone)]
pub struct LightClientStore<const S: usize> {
    pub(crate) finalized_header: LightClientHeader,
    pub(crate) current: Committee<S>,
    pub(crate) next: Option<Committee<S>>,
    pub(crate) best_valid_update: Option<(LightClientUpdate<S>, Option<Committee<S>>)>,
    pub(crate) optimistic_header: LightClientHeader,
    pub(crate) previous_max_active_participants: u64,
    pub(crate) current_max_active_participants: u64,
    pub(crate) generation: u64,
}

fn gindex_at(network: &Network, slot: u64, pre: u64, electra: u64) -> u64 {
    let electra_epoch = network.fork_activation(super::config::Fork::Electra).epoch;
    if network.epoch_at_slot(slot) >= electra_epoch {
        electra
    } else {
        pre
    }
}

/// `get_lc_execution_root`: root of the execution header in the form of the
/// header's fork (zero before Capella).
pub fn execution_root(network: &Network, header: &LightClientHeader) -> B256 {
    use super::config::Fork;
    let epoch = network.epoch_at_slot(header.beacon.slot);
    if epoch >= network.fork_activation(Fork::Deneb).epoch {
        header.execution.tree_hash_root()
    } else if epoch >= network.fork_activation(Fork::Capella).epoch {
        header.execution.to_capella().tree_hash_root()
    } else {
        B256::ZERO
    }
}

/// `is_valid_light_client_header`.
///
/// # Errors
/// [`BeaconError::UnexpectedExecution`] or [`BeaconError::InvalidExecutionBranch`].
pub fn validate_header(network: &Network, header: &LightClientHeader) -> Result<(), BeaconError> {
    use super::config::Fork;
    let epoch = network.epoch_at_slot(header.beacon.slot);
    if epoch < network.fork_activation(Fork::Deneb).epoch
        && (header.execution.blob_gas_used != 0 || header.execution.excess_blob_gas != 0)
    {
        return Err(BeaconError::UnexpectedExecution);
    }
    if epoch < network.fork_activation(Fork::Capella).epoch {
        let empty = header.execution == Default::default()
            && header
                .execution_branch
                .as_slice()
                .iter()
                .all(|b| b.is_zero());
        return if empty {
            Ok(())
        } else {
            Err(BeaconError::UnexpectedExecution)
        };
    }
    let depth = 63 - EXECUTION_PAYLOAD_GINDEX.leading_zeros() as usize;
    if is_valid_merkle_branch(
        &execution_root(network, header),
        header.execution_branch.as_slice(),
        depth,
        get_subtree_index(EXECUTION_PAYLOAD_GINDEX),
        &header.beacon.body_root,
    ) {
        Ok(())
    } else {
        Err(BeaconError::InvalidExecutionBranch)
    }
}

fn is_zero_branch(branch: &[B256]) -> bool {
    branch.iter().all(|b| b.is_zero())
}

/// `is_sync_committee_update`.
pub fn is_sync_committee_update<const S: usize>(update: &LightClientUpdate<S>) -> bool {
    !is_zero_branch(&update.next_sync_committee_branch)
}

/// `is_finality_update`.
pub fn is_finality_update<const S: usize>(update: &LightClientUpdate<S>) -> bool {
    !is_zero_branch(&update.finality_branch)
}

/// `is_better_update`: whether `new` ranks above `old`.
pub fn is_better_update<const S: usize>(
    network: &Network,
    new: &LightClientUpdate<S>,
    old: &LightClientUpdate<S>,
) -> bool {
    let max = S;
    let new_n = new.sync_aggregate.sync_committee_bits.count_ones();
    let old_n = old.sync_aggregate.sync_committee_bits.count_ones();
    let new_super = new_n * 3 >= max * 2;
    let old_super = old_n * 3 >= max * 2;
    if new_super != old_super {
        return new_super;
    }
    if !new_super && new_n != old_n {
        return new_n > old_n;
    }
    let period = |s: u64| network.period_at_slot(s);
    let relevant = |u: &LightClientUpdate<S>| {
        is_sync_committee_update(u)
            && period(u.attested_header.beacon.slot) == period(u.signature_slot)
    };
    let (new_rel, old_rel) = (relevant(new), relevant(old));
    if new_rel != old_rel {
        return new_rel;
    }
    let (new_fin, old_fin) = (is_finality_update(new), is_finality_update(old));
    if new_fin != old_fin {
        return new_fin;
    }
    if new_fin {
        let sc_fin = |u: &LightClientUpdate<S>| {
            period(u.finalized_header.beacon.slot) == period(u.attested_header.beacon.slot)
        };
        let (a, b) = (sc_fin(new), sc_fin(old));
        if a != b {
            return a;
        }
    }
    if new_n != old_n {
        return new_n > old_n;
    }
    if new.attested_header.beacon.slot != old.attested_header.beacon.slot {
        return new.attested_header.beacon.slot < old.attested_header.beacon.slot;
    }
    new.signature_slot < old.signature_slot
}

impl<const S: usize> LightClientStore<S> {
    /// `initialize_light_client_store`: verifies the bootstrap against the
    /// trusted block root and the committee branch, and decodes the committee.
    ///
    /// # Errors
    /// [`BeaconError::TrustedRootMismatch`], [`BeaconError::InvalidCurrentSyncCommitteeBranch`],
    /// header errors of [`validate_header`], or [`BeaconError::Bls`].
    pub fn verify_bootstrap(
        network: &Network,
        trusted_block_root: B256,
        bootstrap: &LightClientBootstrap<S>,
    ) -> Result<Verified<Self>, BeaconError> {
        validate_header(network, &bootstrap.header)?;
        let root = bootstrap.header.beacon_root();
        if root != trusted_block_root {
            return Err(BeaconError::TrustedRootMismatch {
                expected: trusted_block_root,
                got: root,
            });
        }
        let gindex = gindex_at(
            network,
            bootstrap.header.beacon.slot,
            CURRENT_SYNC_COMMITTEE_GINDEX,
            CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA,
        );
        if !is_valid_normalized_merkle_branch(
            &bootstrap.current_sync_committee.tree_hash_root(),
            &bootstrap.current_sync_committee_branch,
            gindex,
            &bootstrap.header.beacon.state_root,
        ) {
            return Err(BeaconError::InvalidCurrentSyncCommitteeBranch);
        }
        let current = Committee::decode(bootstrap.current_sync_committee.clone())?;
        Ok(Verified::new_unchecked(Self::new(
            bootstrap.header.clone(),
            current,
        )))
    }

    /// A store from a finalized header and its period's committee taken as
    /// trusted inputs (no branch). Use only with data from a source already
    /// trusted, e.g. a store persisted by another verified client.
    ///
    /// # Errors
    /// Header errors of [`validate_header`] or [`BeaconError::Bls`].
    pub fn from_trusted(
        network: &Network,
        finalized_header: LightClientHeader,
        current_sync_committee: SyncCommittee<S>,
    ) -> Result<Self, BeaconError> {
        validate_header(network, &finalized_header)?;
        Ok(Self::new(
            finalized_header,
            Committee::decode(current_sync_committee)?,
        ))
    }

    pub(crate) fn new(header: LightClientHeader, current: Committee<S>) -> Self {
        Self {
            finalized_header: header.clone(),
            current,
            next: None,
            best_valid_update: None,
            optimistic_header: header,
            previous_max_active_participants: 0,
            current_max_active_participants: 0,
            generation: 0,
        }
    }

    /// The finalized header.
    pub fn finalized_header(&self) -> &LightClientHeader {
        &self.finalized_header
    }
    /// The optimistic header.
    pub fn optimistic_header(&self) -> &LightClientHeader {
        &self.optimistic_header
    }
    /// Whether the next sync committee is known.
    pub fn is_next_sync_committee_known(&self) -> bool {
        self.next.is_some()
    }
    /// The current sync committee.
    pub fn current_sync_committee(&self) -> &SyncCommittee<S> {
        &self.current.committee
    }
    /// The next sync committee, if known.
    pub fn next_sync_committee(&self) -> Option<&SyncCommittee<S>> {
        self.next.as_ref().map(|c| &c.committee)
    }
    /// The current committee with its (lazily decompressed) keys.
    pub fn current_committee(&self) -> &Committee<S> {
        &self.current
    }
    /// The next committee with its keys, if known.
    pub fn next_committee(&self) -> Option<&Committee<S>> {
        self.next.as_ref()
    }
    /// The best valid update kept for a forced update.
    pub fn best_valid_update(&self) -> Option<&LightClientUpdate<S>> {
        self.best_valid_update.as_ref().map(|(u, _)| u)
    }

    fn safety_threshold(&self) -> u64 {
        self.previous_max_active_participants
            .max(self.current_max_active_participants)
            / 2
    }

    /// `validate_light_client_update` at `current_slot`. Never mutates.
    ///
    /// # Errors
    /// The [`BeaconError`] of the first rule the update breaks.
    pub fn verify_update(
        &self,
        network: &Network,
        update: &LightClientUpdate<S>,
        current_slot: u64,
    ) -> Result<Verified<CheckedUpdate<S>>, BeaconError> {
        let participants = update.sync_aggregate.sync_committee_bits.count_ones();
        let min = network.preset().min_sync_committee_participants;
        if participants < min {
            return Err(BeaconError::InsufficientParticipants {
                got: participants,
                min,
            });
        }
        validate_header(network, &update.attested_header)?;
        let attested_slot = update.attested_header.beacon.slot;
        let finalized_slot = update.finalized_header.beacon.slot;
        if !(current_slot >= update.signature_slot
            && update.signature_slot > attested_slot
            && attested_slot >= finalized_slot)
        {
            return Err(BeaconError::InvalidSlot {
                current: current_slot,
                signature: update.signature_slot,
                attested: attested_slot,
                finalized: finalized_slot,
            });
        }
        let store_period = network.period_at_slot(self.finalized_header.beacon.slot);
        let signature_period = network.period_at_slot(update.signature_slot);
        let period_ok = if self.is_next_sync_committee_known() {
            signature_period == store_period
                || Some(signature_period) == store_period.checked_add(1)
        } else {
            signature_period == store_period
        };
        if !period_ok {
            return Err(BeaconError::WrongPeriod {
                store_period,
                signature_period,
            });
        }
        let attested_period = network.period_at_slot(attested_slot);
        let has_next = !self.is_next_sync_committee_known()
            && is_sync_committee_update(update)
            && attested_period == store_period;
        if !(attested_slot > self.finalized_header.beacon.slot || has_next) {
            return Err(BeaconError::NotRelevant {
                attested: attested_slot,
                finalized: self.finalized_header.beacon.slot,
            });
        }
        if !is_finality_update(update) {
            if update.finalized_header != LightClientHeader::default() {
                return Err(BeaconError::UnexpectedFinalizedHeader);
            }
        } else {
            let finalized_root = if finalized_slot == GENESIS_SLOT {
                if update.finalized_header != LightClientHeader::default() {
                    return Err(BeaconError::UnexpectedFinalizedHeader);
                }
                B256::ZERO
            } else {
                validate_header(network, &update.finalized_header)?;
                update.finalized_header.beacon_root()
            };
            let gindex = gindex_at(
                network,
                attested_slot,
                FINALIZED_ROOT_GINDEX,
                FINALIZED_ROOT_GINDEX_ELECTRA,
            );
            if !is_valid_normalized_merkle_branch(
                &finalized_root,
                &update.finality_branch,
                gindex,
                &update.attested_header.beacon.state_root,
            ) {
                return Err(BeaconError::InvalidFinalityBranch);
            }
        }
        if !is_sync_committee_update(update) {
            if update.next_sync_committee != SyncCommittee::default() {
                return Err(BeaconError::UnexpectedNextSyncCommittee);
            }
        } else {
            if attested_period == store_period
                && let Some(next) = &self.next
                && update.next_sync_committee != next.committee
            {
                return Err(BeaconError::NextSyncCommitteeMismatch);
            }
            let gindex = gindex_at(
                network,
                attested_slot,
                NEXT_SYNC_COMMITTEE_GINDEX,
                NEXT_SYNC_COMMITTEE_GINDEX_ELECTRA,
            );
            if !is_valid_normalized_merkle_branch(
                &update.next_sync_committee.tree_hash_root(),
                &update.next_sync_committee_branch,
                gindex,
                &update.attested_header.beacon.state_root,
            ) {
                return Err(BeaconError::InvalidNextSyncCommitteeBranch);
            }
        }
        let signer = if signature_period == store_period {
            &self.current
        } else {
            self.next.as_ref().ok_or(BeaconError::WrongPeriod {
                store_period,
                signature_period,
            })?
        };
        let domain = network.sync_committee_domain(update.signature_slot);
        let signing_root = Network::signing_root(update.attested_header.beacon_root(), domain);
        signer.keys.fast_aggregate_verify(
            update.sync_aggregate.sync_committee_bits.bits(),
            signing_root.as_slice(),
            &update.sync_aggregate.sync_committee_signature.0,
        )?;
        // Decode the carried committee once; reuse the store's if identical.
        let next = if is_sync_committee_update(update) {
            match &self.next {
                Some(known) if known.committee == update.next_sync_committee => Some(known.clone()),
                _ => Some(Committee::decode(update.next_sync_committee.clone())?),
            }
        } else {
            None
        };
        Ok(Verified::new_unchecked(CheckedUpdate {
            update: update.clone(),
            participants,
            next,
            generation: self.generation,
        }))
    }

    /// The rest of `process_light_client_update` for a checked update.
    ///
    /// # Errors
    /// [`BeaconError::StoreChanged`] if the store changed since the update
    /// was checked (verify it again).
    pub fn apply_checked(
        &mut self,
        network: &Network,
        checked: Verified<CheckedUpdate<S>>,
    ) -> Result<UpdateOutcome, BeaconError> {
        let checked = checked.into_inner();
        if checked.generation != self.generation {
            return Err(BeaconError::StoreChanged);
        }
        let update = checked.update;
        let participants = checked.participants;
        let mut outcome = UpdateOutcome {
            participants,
            ..UpdateOutcome::default()
        };
        let better = match &self.best_valid_update {
            None => true,
            Some((best, _)) => is_better_update(network, &update, best),
        };
        if better {
            self.best_valid_update = Some((update.clone(), checked.next.clone()));
            outcome.became_best_update = true;
        }
        self.current_max_active_participants = self
            .current_max_active_participants
            .max(participants as u64);
        if participants as u64 > self.safety_threshold()
            && update.attested_header.beacon.slot > self.optimistic_header.beacon.slot
        {
            self.optimistic_header = update.attested_header.clone();
            outcome.optimistic_advanced = true;
        }
        let has_finalized_next = !self.is_next_sync_committee_known()
            && is_sync_committee_update(&update)
            && is_finality_update(&update)
            && network.period_at_slot(update.finalized_header.beacon.slot)
                == network.period_at_slot(update.attested_header.beacon.slot);
        if participants * 3 >= S * 2
            && (update.finalized_header.beacon.slot > self.finalized_header.beacon.slot
                || has_finalized_next)
        {
            self.apply_light_client_update(network, &update, checked.next, &mut outcome);
            self.best_valid_update = None;
        }
        self.generation = self.generation.wrapping_add(1);
        Ok(outcome)
    }

    /// `apply_light_client_update`.
    fn apply_light_client_update(
        &mut self,
        network: &Network,
        update: &LightClientUpdate<S>,
        next: Option<Committee<S>>,
        outcome: &mut UpdateOutcome,
    ) {
        let store_period = network.period_at_slot(self.finalized_header.beacon.slot);
        let update_finalized_period = network.period_at_slot(update.finalized_header.beacon.slot);
        if !self.is_next_sync_committee_known() {
            // The spec asserts update_finalized_period == store_period here;
            // validation guarantees it (signature period == store period).
            if update_finalized_period == store_period {
                outcome.next_committee_learned = next.is_some();
                self.next = next;
            }
        } else if Some(update_finalized_period) == store_period.checked_add(1) {
            if let Some(n) = self.next.take() {
                self.current = n;
            }
            self.next = next;
            self.previous_max_active_participants = self.current_max_active_participants;
            self.current_max_active_participants = 0;
            outcome.committee_rotated = true;
        }
        if update.finalized_header.beacon.slot > self.finalized_header.beacon.slot {
            self.finalized_header = update.finalized_header.clone();
            outcome.finalized_advanced = true;
            if self.finalized_header.beacon.slot > self.optimistic_header.beacon.slot {
                self.optimistic_header = self.finalized_header.clone();
                outcome.optimistic_advanced = true;
            }
        }
    }

    /// Whether `process_light_client_store_force_update` would act at `current_slot`.
    pub fn force_update_due(&self, network: &Network, current_slot: u64) -> bool {
        current_slot
            > self
                .finalized_header
                .beacon
                .slot
                .saturating_add(network.preset().update_timeout)
            && self.best_valid_update.is_some()
    }

    /// `process_light_client_store_force_update`.
    ///
    /// # Errors
    /// [`BeaconError::ForceUpdateNotDue`] if the timeout has not elapsed or
    /// there is no best valid update.
    pub fn force_update(
        &mut self,
        network: &Network,
        current_slot: u64,
    ) -> Result<UpdateOutcome, BeaconError> {
        if !self.force_update_due(network, current_slot) {
            return Err(BeaconError::ForceUpdateNotDue);
        }
        let Some((mut update, next)) = self.best_valid_update.take() else {
            return Err(BeaconError::ForceUpdateNotDue);
        };
        if update.finalized_header.beacon.slot <= self.finalized_header.beacon.slot {
            update.finalized_header = update.attested_header.clone();
        }
        let mut outcome = UpdateOutcome {
            participants: update.sync_aggregate.sync_committee_bits.count_ones(),
            ..UpdateOutcome::default()
        };
        self.apply_light_client_update(network, &update, next, &mut outcome);
        self.generation = self.generation.wrapping_add(1);
        Ok(outcome)
    }
}
