//! Conversions between JS values and the core's inputs and outputs.
//!
//! Inputs arrive as a parsed JSON object, a JSON string, or a `Uint8Array`
//! holding SSZ; [`Payload`] tells them apart. Outputs are built as
//! `serde_json` values and handed to JS through `JSON.parse`, which keeps this
//! layer free of a second serialization framework.
// The SP1 module takes its inputs field by field and uses none of the readers.
#![cfg_attr(feature = "wasm-sp1", allow(dead_code))]

use js_sys::{JSON, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::error::invalid_argument;

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
    // Serializing a serde_json::Value cannot fail, and JSON.parse accepts it.
    JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}
