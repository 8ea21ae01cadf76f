//! `verifySp1Proof`: SP1 Groth16 and Plonk proofs for JS (the SP1 module).
//!
//! `verifySp1ProofReceipt` returns everything the proof established,
//! including the public values it verified: what the package's JS hands to
//! the core (`crate::proof`'s bridge), and what a rollup engine may ingest as
//! verified public values.
//!
//! With feature `sp1-reference` (benchmarks only, never shipped) it also
//! exports `verifySp1ProofReference`, the same checks with sp1-verifier's
//! default (substrate-bn) pairing code, so both can be timed in one process.

use serde_json::json;
use wasm_bindgen::prelude::*;

use super::convert::{bytes_arg, field, to_js_value};
use super::error::{invalid_argument, to_js};
use crate::proof::{ProgramVkey, ProofError, ProofReceipt, verify_sp1_proof};
use crate::verified::Verified;

/// Verifies an SP1 proof: `{ proof, publicValues, vkeyHash }` with `proof`
/// and `publicValues` as bytes or 0x-hex, `vkeyHash` as 0x-hex. Returns
/// `{ system, sp1Version, digest }`.
///
/// # Errors
/// `UNKNOWN_VERIFIER_VERSION`, `PREFIX_MISMATCH`, `VK_ROOT_MISMATCH`,
/// `NONZERO_EXIT_CODE`, `INVALID_PROOF`, `DECODE_ERROR`, `INVALID_ARGUMENT`.
#[wasm_bindgen(js_name = verifySp1Proof)]
pub fn verify_sp1_proof_js(input: JsValue) -> Result<JsValue, JsValue> {
    verify_with(&input, verify_sp1_proof, false)
}

/// As `verifySp1Proof`, returning the whole receipt: `{ system, sp1Version,
/// digest, nonce, programVkey, publicValues }` (`nonce` is `null` for
/// pre-v6 proofs; hex strings otherwise).
///
/// # Errors
/// As `verifySp1Proof`.
#[wasm_bindgen(js_name = verifySp1ProofReceipt)]
pub fn verify_sp1_proof_receipt_js(input: JsValue) -> Result<JsValue, JsValue> {
    verify_with(&input, verify_sp1_proof, true)
}

/// As `verifySp1Proof`, with sp1-verifier's default (substrate-bn) Groth16
/// and Plonk code: for benchmarks only (feature `sp1-reference`).
///
/// # Errors
/// As `verifySp1Proof`.
#[cfg(feature = "sp1-reference")]
#[wasm_bindgen(js_name = verifySp1ProofReference)]
pub fn verify_sp1_proof_reference_js(input: JsValue) -> Result<JsValue, JsValue> {
    verify_with(&input, crate::proof::verify_sp1_proof_reference, false)
}

/// The signature of [`verify_sp1_proof`] and its reference twin.
type VerifyFn = fn(&[u8], &[u8], &ProgramVkey) -> Result<Verified<ProofReceipt>, ProofError>;

/// Reads `{ proof, publicValues, vkeyHash }`, runs `verify` and shapes the
/// receipt (`whole`: with nonce, program vkey and public values).
fn verify_with(input: &JsValue, verify: VerifyFn, whole: bool) -> Result<JsValue, JsValue> {
    let proof = bytes_field(input, "proof")?;
    let public_values = bytes_field(input, "publicValues")?;
    let vkey_hex = js_sys::Reflect::get(input, &JsValue::from_str("vkeyHash"))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| invalid_argument("vkeyHash must be a 0x-hex string"))?;
    let vkey = ProgramVkey::from_hex(&vkey_hex).map_err(to_js)?;
    let receipt = verify(&proof, &public_values, &vkey).map_err(to_js)?;
    let mut out = json!({
        "system": receipt.system.as_str(),
        "sp1Version": receipt.sp1_version(),
        "digest": receipt.digest.as_str(),
    });
    if whole {
        out["nonce"] = receipt.nonce.map_or(serde_json::Value::Null, |n| {
            format!("0x{}", hex::encode(n)).into()
        });
        out["programVkey"] = receipt.program_vkey.to_hex().into();
        out["publicValues"] = format!("0x{}", hex::encode(&receipt.public_values)).into();
    }
    Ok(to_js_value(&out))
}

/// Reads a field that holds bytes (`Uint8Array`) or 0x-hex text.
fn bytes_field(input: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    bytes_arg(&field(input, name)?, name)
}
