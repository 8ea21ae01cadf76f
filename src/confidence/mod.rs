//! The confidence engine: levels, reasons, ETAs, liveness and actions.
//!
//! Pipeline: verified inputs go into [`PreconfEngine`]'s ingest methods (L2
//! blocks, L1 blocks, inbox logs, the finalized checkpoint, receipts,
//! `tick`); the engine updates the chain view ([`crate::rollup::ChainView`])
//! and re-evaluates only the blocks whose level can change, returning
//! [`Event`]s for every level change (downgrades carry a typed [`Reason`]).
//! Queries ([`PreconfEngine::status_of_block`], `status_of_tx`,
//! `status_of_action`) return a [`ConfidenceStatus`]. [`EngineDriver`] adds
//! the L1 bookkeeping to feed the engine from raw RPC data through the adapter.

mod action;
mod driver;
#[cfg(test)]
mod driver_tests;
mod engine;
mod error;
#[cfg(test)]
mod fixture_gen;
mod level;
#[cfg(test)]
mod scenario;
mod status;
#[cfg(test)]
mod tests;

pub use action::ActionSpec;
pub use driver::{DriverError, EngineDriver, L1Progress, MAX_PENDING_L1_HEADERS};
pub use engine::{ExecutionCheck, PreconfEngine};
pub use error::ConfidenceError;
pub use level::{
    EIP5792_CHAIN_RULES_FAILURE, EIP5792_CONFIRMED, EIP5792_OFFCHAIN_FAILURE,
    EIP5792_PARTIAL_CHAIN_RULES_FAILURE, EIP5792_PENDING, Level, Reason, RevertRisk,
};
pub use status::{ConfidenceStatus, Event, L1Inclusion, Liveness, Subject};
