//! Conversions between JS values and the core's inputs and outputs, in one
//! place: the one hex parser ([`b256_arg`], [`bytes_arg`]), the JS
//! safe-integer limit ([`MAX_SAFE_INTEGER`]), and the one way values cross
//! the boundary in each direction.
//!
//! Inputs arrive as a parsed JSON object, a JSON string, or a `Uint8Array`
//! holding SSZ or RLP; [`Payload`] tells them apart. Outputs are the core's
//! serde types, serialized once to JSON text and parsed once by `JSON.parse`
//! ([`output`]); docs/BENCHMARKS.md ("The rollup engine's door") measures
//! this against serde-wasm-bindgen.
// The EVM, SP1 and blocks modules use only some of the helpers.
#![cfg_attr(
    any(feature = "wasm-evm", feature = "wasm-sp1", feature = "wasm-blocks"),
    allow(dead_code)
)]

use alloy_primitives::B256;
use js_sys::{JSON, Uint8Array};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::error::invalid_argument;

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JS number that must be a non-negative safe integer (a slot, an id, unix seconds).
///
/// # Errors
/// `INVALID_ARGUMENT` naming `what` for a negative, fractional, non-finite or unsafe number.
pub(crate) fn u64_arg(value: f64, what: &str) -> Result<u64, JsValue> {
    if !(0.0..=MAX_SAFE_INTEGER).contains(&value) || value.fract() != 0.0 {
        return Err(invalid_argument(&format!(
            "{what} must be a non-negative safe integer"
        )));
    }
    // In range, non-negative and integral: the cast is exact.
    Ok(value as u64)
}

/// Unix seconds from a JS number (a fraction is truncated).
///
/// # Errors
/// `INVALID_ARGUMENT` for a negative, non-finite or unsafe number.
pub(crate) fn unix_seconds_arg(value: f64) -> Result<u64, JsValue> {
    u64_arg(value.trunc(), "nowSec")
}

/// A 0x-prefixed 32-byte hex string.
///
/// # Errors
/// `INVALID_ARGUMENT` naming `what`.
pub(crate) fn b256_arg(text: &str, what: &str) -> Result<B256, JsValue> {
    text.parse::<B256>()
        .map_err(|_| invalid_argument(&format!("{what} must be a 0x-prefixed 32-byte hex string")))
}

/// Bytes given as a `Uint8Array` or 0x-hex text.
///
/// # Errors
/// `INVALID_ARGUMENT` naming `what`.
pub(crate) fn bytes_arg(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    match value.as_string() {
        Some(text) => hex::decode(text.strip_prefix("0x").unwrap_or(&text))
            .map_err(|_| invalid_argument(&format!("{what} is not valid hex"))),
        None => Err(invalid_argument(&format!("{what} must be bytes or 0x-hex"))),
    }
}

/// The field `name` of a JS object (`undefined` when absent).
///
/// # Errors
/// `INVALID_ARGUMENT` when `value` is not an object.
pub(crate) fn field(value: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    if !value.is_object() {
        return Err(invalid_argument("expected an object"));
    }
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .map_err(|_| invalid_argument("expected an object"))
}

/// Converts a core output (a serde type) into a plain JS value.
#[cfg(not(feature = "boundary-swb"))]
pub(crate) fn output<T: Serialize + ?Sized>(value: &T) -> JsValue {
    // The core's output types serialize infallibly (no maps with non-string
    // keys), and JSON.parse accepts what serde_json writes.
    match serde_json::to_string(value) {
        Ok(text) => JSON::parse(&text).unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    }
}

/// Converts a core output into a plain JS value through serde-wasm-bindgen
/// (the benchmark build `boundary-swb`; the same JSON shape).
#[cfg(feature = "boundary-swb")]
pub(crate) fn output<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A JS argument that carries protocol data.
pub(crate) enum Payload {
    /// JSON text (from a string, or a stringified object).
    Json(String),
    /// SSZ bytes (read by the core module's SSZ inputs; the EVM module has none).
    #[cfg_attr(feature = "wasm-evm", allow(dead_code))]
    Ssz(Vec<u8>),
}

/// Classifies a JS value as JSON text or SSZ bytes.
///
/// # Errors
/// `INVALID_ARGUMENT` for `undefined`, `null`, numbers and other non-data values.
pub(crate) fn payload(value: &JsValue) -> Result<Payload, JsValue> {
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(Payload::Ssz(bytes.to_vec()));
    }
    if let Some(text) = value.as_string() {
        return Ok(Payload::Json(text));
    }
    if value.is_object() {
        let text = JSON::stringify(value)
            .map_err(|_| invalid_argument("object cannot be serialized to JSON"))?;
        if let Some(text) = text.as_string() {
            return Ok(Payload::Json(text));
        }
    }
    Err(invalid_argument(
        "expected a parsed JSON object, a JSON string or a Uint8Array",
    ))
}

/// Parses a JS value that must be JSON (object or string) into `serde_json`.
///
/// # Errors
/// `INVALID_ARGUMENT` for SSZ bytes or non-data values; `DECODE_ERROR` for bad JSON.
pub(crate) fn json_value(value: &JsValue) -> Result<serde_json::Value, JsValue> {
    match payload(value)? {
        Payload::Json(text) => serde_json::from_str(&text)
            .map_err(|e| super::error::js_error("DECODE_ERROR", &format!("invalid JSON: {e}"))),
        Payload::Ssz(_) => Err(invalid_argument("expected JSON, got bytes")),
    }
}

/// Converts a `serde_json` value into a plain JS value.
pub(crate) fn to_js_value(value: &serde_json::Value) -> JsValue {
    output(value)
}
