//! The JavaScript face of the core: a thin `#[wasm_bindgen]` layer.
//!
//! Each submodule wraps one core module. This layer only converts: JS values
//! in (parsed JSON objects, JSON strings or `Uint8Array` SSZ), Rust calls, JS
//! values out. It holds no logic of its own. Every failure is thrown as an
//! `Error` named `PreconfLightError` with a stable `code` property (see
//! [`crate::ErrorCode`]); the npm package re-wraps it in its own class.

mod beacon;
mod bls;
mod convert;
mod error;
#[cfg(feature = "evm")]
mod evm;
mod execution;
mod proof;

use wasm_bindgen::prelude::*;

pub use beacon::{BeaconLightClient, network_config};
pub use bls::SyncCommittee;
#[cfg(feature = "evm")]
pub use evm::{reexecute_block_js, simulate_js};
pub use execution::{
    verify_account_proof_js, verify_block_receipts_js, verify_code_js, verify_execution_block,
    verify_receipts_js,
};
pub use proof::verify_sp1_proof_js;

/// The crate version, e.g. `"0.1.0"`.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
