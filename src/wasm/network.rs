//! `checkNetwork`, `checkGenesis`, `checkRollupConfig`: what the client
//! checks about its configuration before it asks an endpoint anything, and
//! the request cadence of a network (`crate::beacon::Cadence`).

use wasm_bindgen::prelude::*;

use super::beacon::parse_network;
use super::convert::{json_value, output};
use super::error::to_js;
use crate::rollup::RollupSetup;

/// Reads a network (a name, or a configuration object or its JSON text) and
/// answers `{ config, cadence }`: its JSON configuration and the request
/// cadence `{ pollIntervalMs, tickIntervalMs, rollupTickIntervalMs }` derived
/// from its `secondsPerSlot`.
///
/// # Errors
/// `INVALID_CONFIG` naming the first missing or malformed field.
#[wasm_bindgen(js_name = checkNetwork)]
pub fn check_network(network: JsValue) -> Result<JsValue, JsValue> {
    let n = parse_network(&network)?;
    Ok(output(&serde_json::json!({
        "config": n.config().to_json(),
        "cadence": n.cadence(),
    })))
}

/// Checks a Beacon API `/eth/v1/beacon/genesis` answer against the network.
///
/// # Errors
/// `WRONG_NETWORK` naming the genesis field that differs (the endpoint
/// serves another network); `DECODE_ERROR` for an answer without them;
/// `INVALID_CONFIG` for a bad network.
#[wasm_bindgen(js_name = checkGenesis)]
pub fn check_genesis(network: JsValue, answer: JsValue) -> Result<(), JsValue> {
    let n = parse_network(&network)?;
    n.check_genesis(&json_value(&answer)?).map_err(to_js)
}

/// Checks a rollup configuration (the `rollup` object, or a whole client
/// config holding one) and that it settles on the L1 `network`; answers its
/// config hash.
///
/// # Errors
/// `INVALID_CONFIG` naming what cannot be right.
#[wasm_bindgen(js_name = checkRollupConfig)]
pub fn check_rollup_config(config: JsValue, network: JsValue) -> Result<String, JsValue> {
    let n = parse_network(&network)?;
    let setup = RollupSetup::from_json(&json_value(&config)?).map_err(to_js)?;
    setup.check_l1(&n).map_err(to_js)?;
    Ok(format!("{:#x}", setup.config.config_hash()))
}
