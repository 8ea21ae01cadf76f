//! [`LightClient`]: the public face of the beacon light client.
//!
//! It owns a [`Network`] and a [`LightClientStore`], takes the current time
//! as an argument (`now_sec`, unix seconds) and exposes verified header
//! summaries. Every `process_*` call verifies first and changes state only
//! from the [`Verified`] result.

use alloy_primitives::B256;

use super::config::{
    Fork, MAINNET_SYNC_COMMITTEE_SIZE, MAXIMUM_GOSSIP_CLOCK_DISPARITY_MS, Network,
};
use super::error::BeaconError;
use super::store::{CheckedUpdate, LightClientStore, UpdateOutcome};
use super::types::{
    BeaconBlockHeader, LightClientBootstrap, LightClientFinalityUpdate, LightClientHeader,
    LightClientOptimisticUpdate, LightClientUpdate, SyncCommittee,
};
use crate::Verified;
use crate::ssz::TreeHash;

/// Verified execution payload header fields of a verified beacon header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutionSummary {
    /// Execution block hash.
    pub block_hash: B256,
    /// Execution parent block hash.
    pub parent_hash: B256,
    /// Execution block number.
    pub block_number: u64,
    /// Execution state root.
    pub state_root: B256,
    /// Execution receipts root.
    pub receipts_root: B256,
    /// Execution block timestamp.
    pub timestamp: u64,
}

/// A verified header as the client reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderSummary {
    /// Beacon slot.
    pub slot: u64,
    /// Beacon block root.
    pub beacon_root: B256,
    /// Beacon parent block root.
    pub parent_root: B256,
    /// Execution payload fields (`None` before Capella).
    pub execution: Option<ExecutionSummary>,
}

/// A beacon light client for networks whose sync committees have `S`
/// members (512 on mainnet, sepolia and hoodi; 32 with the minimal preset).
#[derive(Debug, Clone)]
pub struct LightClient<const S: usize = MAINNET_SYNC_COMMITTEE_SIZE> {
    pub(crate) network: Network,
    pub(crate) store: LightClientStore<S>,
}

/// A light client for the mainnet preset (mainnet, sepolia, hoodi). Use
/// this alias in calls such as `MainnetLightClient::from_bytes(..)`, where a
/// default const parameter is not inferred.
pub type MainnetLightClient = LightClient<MAINNET_SYNC_COMMITTEE_SIZE>;
/// A light client for the minimal preset (spec tests, small devnets).
pub type MinimalLightClient = LightClient<{ super::config::MINIMAL_SYNC_COMMITTEE_SIZE }>;

/// Summary of a header whose execution branch was verified when it entered the store.
pub(crate) fn summarize(network: &Network, header: &LightClientHeader) -> HeaderSummary {
    let capella = network.fork_activation(Fork::Capella).epoch;
    let execution =
        (network.epoch_at_slot(header.beacon.slot) >= capella).then_some(ExecutionSummary {
            block_hash: header.execution.block_hash,
            parent_hash: header.execution.parent_hash,
            block_number: header.execution.block_number,
            state_root: header.execution.state_root,
            receipts_root: header.execution.receipts_root,
            timestamp: header.execution.timestamp,
        });
    HeaderSummary {
        slot: header.beacon.slot,
        beacon_root: header.beacon_root(),
        parent_root: header.beacon.parent_root,
        execution,
    }
}

impl<const S: usize> LightClient<S> {
    fn check_preset(network: &Network) -> Result<(), BeaconError> {
        let size = network.preset().sync_committee_size;
        if size != S {
            return Err(BeaconError::PresetMismatch {
                network: size,
                client: S,
            });
        }
        Ok(())
    }

    /// Starts from a bootstrap whose header must hash to `trusted_block_root`.
    ///
    /// # Errors
    /// See [`LightClientStore::verify_bootstrap`]; [`BeaconError::PresetMismatch`].
    pub fn from_bootstrap(
        network: Network,
        trusted_block_root: B256,
        bootstrap: &LightClientBootstrap<S>,
    ) -> Result<Self, BeaconError> {
        Self::check_preset(&network)?;
        let verified = LightClientStore::verify_bootstrap(&network, trusted_block_root, bootstrap)?;
        Ok(verified.map(|store| Self { network, store }).into_inner())
    }

    /// Starts from a finalized header and its period's committee taken as
    /// trusted (no Merkle proof). Prefer [`Self::from_bootstrap`].
    ///
    /// # Errors
    /// See [`LightClientStore::from_trusted`]; [`BeaconError::PresetMismatch`].
    pub fn from_trusted_committee(
        network: Network,
        finalized_header: LightClientHeader,
        current_sync_committee: SyncCommittee<S>,
    ) -> Result<Self, BeaconError> {
        Self::check_preset(&network)?;
        let store =
            LightClientStore::from_trusted(&network, finalized_header, current_sync_committee)?;
        Ok(Self { network, store })
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// The underlying store.
    pub fn store(&self) -> &LightClientStore<S> {
        &self.store
    }
    /// The current slot at `now_sec`.
    pub fn current_slot(&self, now_sec: u64) -> u64 {
        self.network.slot_at_time(now_sec)
    }

    /// The latest slot an update may be signed in at unix time `now_ms`
    /// (milliseconds): the slot at `now_ms` plus
    /// [`MAXIMUM_GOSSIP_CLOCK_DISPARITY_MS`], so that an update from a node
    /// whose clock runs slightly ahead (or served just as a slot starts) is
    /// not refused as coming from a future slot.
    pub fn update_slot_at_ms(&self, now_ms: u64) -> u64 {
        self.network
            .slot_at_time_ms(now_ms.saturating_add(MAXIMUM_GOSSIP_CLOCK_DISPARITY_MS))
    }

    /// Verifies an update at `current_slot` without changing the client.
    ///
    /// # Errors
    /// See [`LightClientStore::verify_update`].
    pub fn verify_update_at_slot(
        &self,
        update: &LightClientUpdate<S>,
        current_slot: u64,
    ) -> Result<Verified<CheckedUpdate<S>>, BeaconError> {
        self.store
            .verify_update(&self.network, update, current_slot)
    }

    /// Applies an update verified against the client's current state.
    ///
    /// # Errors
    /// [`BeaconError::StoreChanged`] if the client changed since verification.
    pub fn apply_update(
        &mut self,
        checked: Verified<CheckedUpdate<S>>,
    ) -> Result<UpdateOutcome, BeaconError> {
        self.store.apply_checked(&self.network, checked)
    }

    /// `process_light_client_update` at an explicit current slot.
    ///
    /// # Errors
    /// The rule the update breaks (see [`BeaconError`]).
    pub fn process_update_at_slot(
        &mut self,
        update: &LightClientUpdate<S>,
        current_slot: u64,
    ) -> Result<UpdateOutcome, BeaconError> {
        let checked = self.verify_update_at_slot(update, current_slot)?;
        self.apply_update(checked)
    }

    /// `process_light_client_update` at unix time `now_sec` (see
    /// [`Self::update_slot_at_ms`] for the clock disparity allowed).
    ///
    /// # Errors
    /// The rule the update breaks (see [`BeaconError`]).
    pub fn process_update(
        &mut self,
        update: &LightClientUpdate<S>,
        now_sec: u64,
    ) -> Result<UpdateOutcome, BeaconError> {
        self.process_update_at_slot(update, self.update_slot_at_ms(now_sec.saturating_mul(1000)))
    }

    /// `process_light_client_finality_update` at unix time `now_sec`;
    /// `fork` is the fork the update was served under.
    ///
    /// # Errors
    /// The rule the update breaks (see [`BeaconError`]).
    pub fn process_finality_update(
        &mut self,
        update: &LightClientFinalityUpdate<S>,
        fork: Fork,
        now_sec: u64,
    ) -> Result<UpdateOutcome, BeaconError> {
        self.process_update_at_slot(
            &update.clone().into_update(fork),
            self.update_slot_at_ms(now_sec.saturating_mul(1000)),
        )
    }

    /// `process_light_client_optimistic_update` at unix time `now_sec`.
    ///
    /// # Errors
    /// The rule the update breaks (see [`BeaconError`]).
    pub fn process_optimistic_update(
        &mut self,
        update: &LightClientOptimisticUpdate<S>,
        fork: Fork,
        now_sec: u64,
    ) -> Result<UpdateOutcome, BeaconError> {
        self.process_update_at_slot(
            &update.clone().into_update(fork),
            self.update_slot_at_ms(now_sec.saturating_mul(1000)),
        )
    }

    /// Whether a forced update is due at `now_sec` (the caller should then
    /// call [`Self::force_update`]).
    pub fn force_update_due(&self, now_sec: u64) -> bool {
        self.store
            .force_update_due(&self.network, self.current_slot(now_sec))
    }

    /// `process_light_client_store_force_update` at `now_sec`.
    ///
    /// # Errors
    /// [`BeaconError::ForceUpdateNotDue`] when not due.
    pub fn force_update(&mut self, now_sec: u64) -> Result<UpdateOutcome, BeaconError> {
        let slot = self.current_slot(now_sec);
        self.store.force_update(&self.network, slot)
    }

    /// `process_light_client_store_force_update` at an explicit slot.
    ///
    /// # Errors
    /// [`BeaconError::ForceUpdateNotDue`] when not due.
    pub fn force_update_at_slot(
        &mut self,
        current_slot: u64,
    ) -> Result<UpdateOutcome, BeaconError> {
        self.store.force_update(&self.network, current_slot)
    }

    /// The finalized header.
    pub fn finalized(&self) -> HeaderSummary {
        summarize(&self.network, &self.store.finalized_header)
    }

    /// The optimistic header.
    pub fn optimistic(&self) -> HeaderSummary {
        summarize(&self.network, &self.store.optimistic_header)
    }

    /// Sync committee period of the finalized header.
    pub fn finalized_period(&self) -> u64 {
        self.network
            .period_at_slot(self.store.finalized_header.beacon.slot)
    }

    /// Verifies that `headers[0]` is an ancestor of (or equal to) the
    /// finalized or optimistic header: `headers` runs oldest to newest, each
    /// header's `parent_root` is the root of the previous one, and the last
    /// one is a verified header of the client.
    ///
    /// # Errors
    /// [`BeaconError::BrokenHeaderChain`] with the first failing index.
    pub fn verify_ancestor(
        &self,
        headers: &[BeaconBlockHeader],
    ) -> Result<Verified<BeaconBlockHeader>, BeaconError> {
        let anchors = [
            &self.store.finalized_header.beacon,
            &self.store.optimistic_header.beacon,
        ];
        let last = headers
            .len()
            .checked_sub(1)
            .ok_or(BeaconError::BrokenHeaderChain { index: 0 })?;
        let last_root = headers
            .get(last)
            .map(TreeHash::tree_hash_root)
            .unwrap_or_default();
        if !anchors.iter().any(|a| a.tree_hash_root() == last_root) {
            return Err(BeaconError::BrokenHeaderChain { index: last });
        }
        verify_header_chain(headers)?;
        headers
            .first()
            .cloned()
            .map(Verified::new_unchecked)
            .ok_or(BeaconError::BrokenHeaderChain { index: 0 })
    }
}

/// Checks `parent_root` links and strictly increasing slots along `headers`
/// (oldest first).
///
/// # Errors
/// [`BeaconError::BrokenHeaderChain`] with the index of the first broken link.
pub fn verify_header_chain(headers: &[BeaconBlockHeader]) -> Result<(), BeaconError> {
    for (i, pair) in headers.windows(2).enumerate() {
        if let [parent, child] = pair
            && (child.parent_root != parent.tree_hash_root() || child.slot <= parent.slot)
        {
            return Err(BeaconError::BrokenHeaderChain { index: i + 1 });
        }
    }
    Ok(())
}
