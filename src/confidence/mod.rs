//! The confidence engine: levels, reasons, ETAs, liveness and actions.
//!
//! Pipeline: verified inputs go into [`PreconfEngine`]'s ingest methods (L2
//! blocks, L1 blocks, inbox logs, the finalized checkpoint, receipts,
//! `tick`); the engine updates the chain view ([`crate::rollup::ChainView`])
//! and re-evaluates only the blocks whose level can change, returning
//! [`Event`]s for every level change (downgrades carry a typed [`Reason`]).
//! Queries ([`PreconfEngine::status_of_block`], `status_of_tx`,
//! `status_of_action`) return a [`ConfidenceStatus`].

mod action;
mod engine;
mod error;
mod level;
#[cfg(test)]
mod scenario;
mod status;
#[cfg(test)]
mod tests;

pub use action::ActionSpec;
pub use engine::{ExecutionCheck, PreconfEngine};
pub use error::ConfidenceError;
pub use level::{
    EIP5792_CHAIN_RULES_FAILURE, EIP5792_CONFIRMED, EIP5792_OFFCHAIN_FAILURE,
    EIP5792_PARTIAL_CHAIN_RULES_FAILURE, EIP5792_PENDING, Level, Reason, RevertRisk,
};
pub use status::{ConfidenceStatus, Event, L1Inclusion, Liveness, Subject};
