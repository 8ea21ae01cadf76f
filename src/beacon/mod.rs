//! The Ethereum beacon-chain light client (sync protocol, Altair to Fulu).
//!
//! ```text
//!  Beacon API JSON / SSZ ──► input (fork from version / digest) ──► types
//!  types ──► LightClient::from_bootstrap (root + committee branch)
//!        ──► process_update / _finality_ / _optimistic_ (verify, then apply)
//!        ──► force_update when force_update_due(now)
//!  Network ──► check_genesis(/eth/v1/beacon/genesis) ──► cadence() (request intervals)
//!  LightClient ──► finalized() / optimistic(): verified beacon + execution headers
//!              ──► verify_ancestor(headers): older headers by parent-root chain
//!              ──► to_bytes() / from_bytes(): versioned, sha256-checked persistence
//! ```
//!
//! The core reads no clock: every call that depends on time takes `now_sec`.

mod client;
mod config;
mod error;
mod fork_forms;
mod input;
mod json;
mod network_check;
mod network_json;
mod persist;
mod store;
mod types;

pub use client::{
    ExecutionSummary, HeaderSummary, LightClient, MainnetLightClient, MinimalLightClient,
    verify_header_chain,
};
pub use config::{
    BlobScheduleEntry, DOMAIN_SYNC_COMMITTEE, FAR_FUTURE_EPOCH, Fork, ForkActivation, GENESIS_SLOT,
    MAINNET_SYNC_COMMITTEE_SIZE, MAXIMUM_GOSSIP_CLOCK_DISPARITY_MS, MINIMAL_SYNC_COMMITTEE_SIZE,
    Network, NetworkConfig, Preset,
};
pub use error::BeaconError;
pub use input::{
    UpdateChunk, Versioned, bootstrap_from_json, finality_update_from_json,
    optimistic_update_from_json, split_fork_digest, split_update_chunks, updates_from_json,
    updates_from_ssz,
};
pub use json::{
    beacon_block_header_from_value, bootstrap_from_data, envelope, finality_update_from_data,
    header_from_data, optimistic_update_from_data, parse_text, sync_committee_from_data,
    update_from_data,
};
pub use network_check::{Cadence, MIN_INTERVAL_MS, ROLLUP_TICK_MS};
pub use store::{
    CURRENT_SYNC_COMMITTEE_GINDEX, CURRENT_SYNC_COMMITTEE_GINDEX_ELECTRA, CheckedUpdate, Committee,
    EXECUTION_PAYLOAD_GINDEX, FINALIZED_ROOT_GINDEX, FINALIZED_ROOT_GINDEX_ELECTRA,
    LightClientStore, NEXT_SYNC_COMMITTEE_GINDEX, NEXT_SYNC_COMMITTEE_GINDEX_ELECTRA,
    UpdateOutcome, execution_root, is_better_update, is_finality_update, is_sync_committee_update,
    validate_header,
};
pub use types::{
    BYTES_PER_LOGS_BLOOM, BeaconBlockHeader, BlsPublicKey, BlsSignature, EXECUTION_BRANCH_DEPTH,
    ExecutionPayloadHeader, ExecutionPayloadHeaderCapella, ForkData, LightClientBootstrap,
    LightClientFinalityUpdate, LightClientHeader, LightClientOptimisticUpdate, LightClientUpdate,
    MAX_EXTRA_DATA_BYTES, SigningData, SyncAggregate, SyncCommittee, finality_branch_depth,
    sync_committee_branch_depth,
};
