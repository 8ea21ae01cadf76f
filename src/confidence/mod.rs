//! The confidence engine: levels, reasons, ETAs, liveness and actions.
//!
//! ## How a fact becomes a level
//!
//! There is one entry point, [`Engine::step`], and one way out,
//! [`Engine::query`]:
//!
//! ```text
//!  Input (raw RPC answer, feed message, light-client heads, tick, …)
//!    │ Engine::step
//!    ├─ ingest      verify: execution module (hashes, receipts roots, proofs),
//!    │              rollup module (certificates, slot rules), and the
//!    │              l1_adapter, the only builder of verified L1 facts
//!    ├─ levels      apply the Verified fact to the chain view
//!    │              (crate::rollup::ChainView), re-evaluate the blocks and
//!    │              actions it can move, one Event per level change
//!    └─ Step { added, events, needs }   needs: what to fetch next
//!  Query (block, number, tx, action, liveness, missing heights)
//!    │ Engine::query
//!    └─ Answer: ConfidenceStatus (level, risks, next level and ETA,
//!               L1 inclusion, liveness) or Liveness
//! ```
//!
//! [`Input`], [`Step`], [`Query`], [`Answer`], [`Event`] and
//! [`ConfidenceStatus`] are serde types, and their JSON is the format the npm
//! package gives JavaScript: a new input is a new [`Input`] variant and
//! nothing else (the package forwards inputs and queries as they are).
//! Errors are one type, [`EngineError`], with a stable code per variant.

mod action;
#[cfg(feature = "bench-support")]
pub mod bench_support;
mod engine;
mod error;
#[cfg(test)]
mod eta_tests;
#[cfg(test)]
mod fixture_gen;
mod ingest;
#[cfg(test)]
mod ingest_tests;
pub mod l1_adapter;
#[cfg(test)]
pub(crate) mod l1_adapter_tests;
pub mod l1_blocks;
#[cfg(test)]
mod l1_blocks_tests;
mod level;
mod levels;
#[cfg(test)]
mod output_format_tests;
mod query;
#[cfg(test)]
mod scenario;
mod status;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

pub use action::ActionSpec;
pub use engine::{Added, Engine, ExecutionCheck, Input, Needs, Step};
pub use error::{EngineError, MAX_PENDING_L1_HEADERS};
pub use l1_adapter::{L1Header, L1VerifyError, LightClientHead};
pub use level::{
    EIP5792_CHAIN_RULES_FAILURE, EIP5792_CONFIRMED, EIP5792_OFFCHAIN_FAILURE,
    EIP5792_PARTIAL_CHAIN_RULES_FAILURE, EIP5792_PENDING, Level, Reason, RevertRisk,
};
pub use query::{Answer, FINALITY_STALL_EPOCHS, HeightRange, Query, STALE_HEAD_SLOTS};
pub use status::{ConfidenceStatus, Event, L1Inclusion, Liveness, Subject};
