//! The JavaScript face of the core: a thin `#[wasm_bindgen]` layer.
//!
//! Each submodule wraps one core module. This layer only converts: JS values
//! in (parsed JSON objects, JSON strings or `Uint8Array` SSZ), Rust calls, JS
//! values out. It holds no logic of its own. Every failure is thrown as an
//! `Error` named `PreconfLightError` with a stable `code` property (see
//! [`crate::ErrorCode`]); the npm package re-wraps it in its own class.
//!
//! The package ships two modules built from this crate: the core (everything
//! but the EVM, built without feature `evm`) and, with feature `wasm-evm`, a
//! module that exports only the EVM API. The EVM doubles the download, so the
//! package loads that module on first use.

#[cfg(not(feature = "wasm-evm"))]
mod beacon;
#[cfg(not(feature = "wasm-evm"))]
mod bls;
mod convert;
#[cfg(not(feature = "wasm-evm"))]
mod engine;
mod error;
#[cfg(feature = "evm")]
mod evm;
#[cfg(not(feature = "wasm-evm"))]
mod execution;
#[cfg(not(feature = "wasm-evm"))]
mod l1;
#[cfg(not(feature = "wasm-evm"))]
mod proof;

use wasm_bindgen::prelude::*;

#[cfg(not(feature = "wasm-evm"))]
pub use beacon::{BeaconLightClient, network_config};
#[cfg(not(feature = "wasm-evm"))]
pub use bls::SyncCommittee;
#[cfg(not(feature = "wasm-evm"))]
pub use engine::WasmPreconfEngine;
#[cfg(feature = "evm")]
pub use evm::{reexecute_block_js, simulate_js};
#[cfg(not(feature = "wasm-evm"))]
pub use execution::{
    verify_account_proof_js, verify_block_receipts_js, verify_code_js, verify_execution_block,
    verify_receipts_js,
};
#[cfg(not(feature = "wasm-evm"))]
pub use l1::WasmL1Blocks;
#[cfg(not(feature = "wasm-evm"))]
pub use proof::verify_sp1_proof_js;
#[cfg(all(not(feature = "wasm-evm"), feature = "sp1-reference"))]
pub use proof::verify_sp1_proof_reference_js;

/// The crate version, e.g. `"0.1.0"`.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
