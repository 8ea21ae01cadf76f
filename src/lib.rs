//! # preconf-light
//!
//! A light client that tells a wallet how final an L2 block, transaction or
//! cross-domain action is on a rollup that mixes sequencer preconfirmations
//! with based blocks, and proves every step of that answer from cryptography.
//!
//! ## Pipeline
//!
//! ```text
//!  Beacon API ──► beacon/    sync-committee light client ──► verified L1 headers, finality
//!  L1 RPC ──────► execution/ headers, receipts, account & storage proofs
//!  Sequencer ───► rollup/    L2 headers, certificates, slot rules, chain view
//!  Proofs ──────► proof/     SP1 validity proofs bound to batches
//!                       └──► confidence/  levels, reasons, ETAs
//! ```
//!
//! ## How a fact becomes a level
//!
//! One entry point: [`confidence::Engine::step`]. Every fact (a feed
//! message, the light client's heads, an `eth_getBlockByHash` or
//! `eth_getBlockReceipts` answer, a storage proof, a batch proof's claim, the
//! clock) is one [`confidence::Input`]. The step verifies it with the module
//! that owns the rule (execution for hashes and roots, rollup for
//! certificates and slot rules, the L1 adapter `confidence::l1_adapter` for
//! how verified L1 data fits together), applies the [`Verified`] result to
//! the chain view ([`rollup::ChainView`]), re-evaluates only the blocks and
//! actions it can move, and answers a [`confidence::Step`]: what it added,
//! one event per level change (a drop carries its typed reason), and what
//! it needs fetched next. Statuses come out of one function,
//! [`confidence::Engine::query`]. The serde types of steps, events and
//! statuses are the JSON JavaScript receives; the npm package only fetches
//! what a step needs and forwards inputs and queries as they are.
//!
//! Every module follows the same rule, *verify, then apply*: `verify_*`
//! functions take data and the current time as arguments, never mutate, and
//! return a [`Verified`] value or a typed error. Only [`Verified`] values can
//! change a store or raise a confidence level. The core performs no I/O and
//! reads no clock; the npm package (`pkg/`) fetches, schedules and persists.
//!
//! The `wasm` module (only on `wasm32`) is a thin `#[wasm_bindgen]` layer
//! over this pure core.
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![forbid(unsafe_op_in_unsafe_fn)]

pub mod beacon;
pub mod bls;
pub mod confidence;
pub mod error_code;
#[cfg(feature = "evm")]
pub mod evm;
pub mod execution;
pub mod proof;
pub mod rollup;
pub mod ssz;
pub mod verified;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error_code::ErrorCode;
pub use verified::Verified;
