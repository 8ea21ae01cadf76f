//! The wasm core's `verify_sp1_proof`: the package's SP1 module does the work.
//!
//! The curve code is ~40% of the core's download and most wallets never see
//! an SP1 proof, so the npm package ships it as a second module
//! (`preconf_light_sp1_bg.wasm`, this crate built with `wasm-sp1`) that its JS
//! loads on first use. In the core (built without `sp1`) this function calls
//! `verifyForCore` of the package's own `dist/sp1-bridge.js`, which runs the
//! SP1 module's `verify_sp1_proof` (the code of `verify.rs`, unchanged) and
//! hands back what it verified.
//!
//! Trust: both modules and the glue between them are files of this package;
//! nothing from outside crosses unverified. The proof bytes, public values and
//! vkey this function passes are the ones it returns in the receipt (the
//! module reports only the system, release, digest and nonce it found), so
//! the receipt is exactly what the native `verify_sp1_proof` would return.
//! The module must have been loaded first (`initSp1()`; the client does it
//! before ingesting a batch proof); otherwise the error is
//! `SP1_MODULE_NOT_LOADED`.

use wasm_bindgen::prelude::*;

use super::digest::DigestKind;
use super::error::ProofError;
use super::receipt::ProofReceipt;
use super::scalar::ProgramVkey;
use super::versions::KNOWN_VERIFIERS;
use crate::Verified;

#[wasm_bindgen(raw_module = "../dist/sp1-bridge.js")]
extern "C" {
    /// Verifies in the SP1 module; returns `{ system, sp1Version, digest, nonce }`
    /// or throws the module's `PreconfLightError`.
    #[wasm_bindgen(js_name = verifyForCore, catch)]
    fn verify_for_core(proof: &[u8], public_values: &[u8], vkey: &str) -> Result<JsValue, JsValue>;
}

/// The error codes the SP1 module can answer with (anything else is reported
/// as `SP1_MODULE_NOT_LOADED`: the module did not run).
const MODULE_CODES: [&str; 7] = [
    "UNKNOWN_VERIFIER_VERSION",
    "PREFIX_MISMATCH",
    "VK_ROOT_MISMATCH",
    "NONZERO_EXIT_CODE",
    "INVALID_PROOF",
    "DECODE_ERROR",
    "INVALID_ARGUMENT",
];

/// Verifies an SP1 proof in the package's SP1 module.
///
/// # Errors
/// The module's [`ProofError`] as [`ProofError::Sp1Module`] with its code;
/// `SP1_MODULE_NOT_LOADED` if the module is not loaded or answered nonsense.
pub fn verify_sp1_proof(
    proof: &[u8],
    public_values: &[u8],
    program_vkey: &ProgramVkey,
) -> Result<Verified<ProofReceipt>, ProofError> {
    let answer = verify_for_core(proof, public_values, &program_vkey.to_hex())
        .map_err(|thrown| module_error(&thrown))?;
    let field = |name: &str| {
        js_sys::Reflect::get(&answer, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    let (Some(system), Some(version), Some(digest)) =
        (field("system"), field("sp1Version"), field("digest"))
    else {
        return Err(not_loaded(
            "the SP1 module's answer has no system, version or digest",
        ));
    };
    let verifier = KNOWN_VERIFIERS
        .iter()
        .find(|v| v.system.as_str() == system && v.release.label() == version)
        .ok_or_else(|| not_loaded("the SP1 module named an unknown verifier"))?;
    let digest = match digest.as_str() {
        "sha256" => DigestKind::Sha256,
        "blake3" => DigestKind::Blake3,
        _ => return Err(not_loaded("the SP1 module named an unknown digest")),
    };
    let nonce = match field("nonce") {
        None => None,
        Some(text) => {
            let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(&text))
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| not_loaded("the SP1 module's nonce is not 32 bytes"))?;
            Some(bytes)
        }
    };
    Ok(Verified::new_unchecked(ProofReceipt {
        system: verifier.system,
        release: verifier.release,
        program_vkey: *program_vkey,
        public_values: public_values.to_vec(),
        digest,
        nonce,
    }))
}

/// Maps what the bridge threw to a [`ProofError`], keeping the module's code.
fn module_error(thrown: &JsValue) -> ProofError {
    let get = |name: &str| {
        js_sys::Reflect::get(thrown, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    let message = get("message").unwrap_or_else(|| "the SP1 module failed".to_string());
    match get("code").and_then(|c| MODULE_CODES.iter().find(|k| **k == c)) {
        Some(code) => ProofError::Sp1Module { code, message },
        None => not_loaded(&message),
    }
}

fn not_loaded(message: &str) -> ProofError {
    ProofError::Sp1Module {
        code: "SP1_MODULE_NOT_LOADED",
        message: message.to_string(),
    }
}
