//! The JavaScript face of the core: a thin `#[wasm_bindgen]` layer.
//!
//! Each submodule wraps one core module. This layer only converts: JS values
//! in (parsed JSON objects, JSON strings or `Uint8Array` SSZ), Rust calls, JS
//! values out. It holds no logic of its own. Every failure is thrown as an
//! `Error` named `PreconfLightError` with a stable `code` property (see
//! [`crate::ErrorCode`]); the npm package re-wraps it in its own class.
//!
//! The package ships four modules built from this crate: the core
//! (everything a wallet needs on first use: built without features `evm`,
//! `sp1` and `blocks`), and three it loads on first use: with feature
//! `wasm-evm` the EVM API, with `wasm-sp1` the SP1 verifier, with
//! `wasm-blocks` the beacon block decoder. The core reaches the last two
//! through the package's own JS (`crate::proof`'s bridge, `blocks`).

#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
mod beacon;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1")))]
mod blocks;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
mod bls;
mod convert;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
mod engine;
mod error;
#[cfg(feature = "evm")]
mod evm;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
mod execution;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
mod l1;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
mod network;
#[cfg(feature = "sp1")]
mod proof;

use wasm_bindgen::prelude::*;

#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
pub use beacon::{BeaconLightClient, network_config};
#[cfg(feature = "wasm-blocks")]
pub use blocks::verify_block_for_core;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
pub use bls::SyncCommittee;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
pub use engine::WasmPreconfEngine;
#[cfg(feature = "evm")]
pub use evm::{reexecute_block_js, simulate_js};
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
pub use execution::{
    verify_account_proof_js, verify_block_receipts_js, verify_code_js, verify_execution_block,
    verify_receipts_js,
};
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
pub use l1::WasmL1Blocks;
#[cfg(not(any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks")))]
pub use network::{check_genesis, check_network, check_rollup_config};
#[cfg(feature = "sp1-reference")]
pub use proof::verify_sp1_proof_reference_js;
#[cfg(feature = "sp1")]
pub use proof::{verify_sp1_proof_js, verify_sp1_proof_receipt_js};

/// The crate version, e.g. `"0.1.0"`.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
