//! Local EVM checks for JS: `simulate` and `reexecuteBlock`.
//!
//! Both take one request object (or JSON string) and return a plain object;
//! the shapes are documented in `pkg/src/evm.ts` and implemented by
//! [`crate::evm::simulate_json`] and [`crate::evm::reexecute_json`]. Missing
//! state is a result (`status: "needsState"`), not an error.

use wasm_bindgen::prelude::*;

use super::convert::{json_value, to_js_value};
use super::error::to_js;
use crate::evm::{reexecute_json, simulate_json};

/// Simulates calls / signed transactions over proven state and checks
/// post-assertions.
///
/// # Errors
/// `INVALID_INPUT`, `INVALID_PROOF`, `PROOF_VALUE_MISMATCH`,
/// `STATE_ROOT_MISMATCH`, `INVALID_TRANSACTION`, `EVM_ERROR`.
#[wasm_bindgen(js_name = simulate)]
pub fn simulate_js(request: JsValue) -> Result<JsValue, JsValue> {
    let out = simulate_json(&json_value(&request)?).map_err(to_js)?;
    Ok(to_js_value(&out))
}

/// Re-executes a block from a witness and checks its post-state root,
/// receipts root and gas used against the header.
///
/// # Errors
/// `POST_STATE_ROOT_MISMATCH`, `RECEIPTS_ROOT_MISMATCH`, `GAS_USED_MISMATCH`,
/// `TRANSACTIONS_ROOT_MISMATCH`, `INVALID_TRANSACTION` (evidence of an invalid
/// block); `MISSING_WITNESS`, `INVALID_WITNESS`, `INVALID_PROOF`,
/// `INVALID_INPUT` (bad or incomplete witness).
#[wasm_bindgen(js_name = reexecuteBlock)]
pub fn reexecute_block_js(request: JsValue) -> Result<JsValue, JsValue> {
    let out = reexecute_json(&json_value(&request)?).map_err(to_js)?;
    Ok(to_js_value(&out))
}
