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
