//! Decoding SP1 proof bytes: selector, v6 header and proof body.
//!
//! ```text
//! legacy (v3–v5): selector(4) ‖ body
//! v6:             selector(4) ‖ exit_code(32) ‖ vk_root(32) ‖ nonce(32) ‖ body
//! body:           Groth16 256 B (A, B, C uncompressed) | Plonk 864 B (gnark layout)
//! ```
//!
//! Decoding checks structure only (lengths, curve points); the checks that
//! give a proof meaning (prefix, vk root, exit code, the pairing) are in
//! [`super::verify`].

use ark_bn254::Bn254;
use ark_groth16::Proof;

use super::error::{DecodeFailure, ProofError};
use super::scalar::is_canonical_scalar;
use super::versions::{ProofLayout, ProofSystem, SELECTOR_LEN, Sp1Verifier};

/// Length of one v6 header word (exit code, vk root, nonce).
pub const HEADER_WORD_LEN: usize = 32;
/// Length of the v6 header after the selector: exit code, vk root, nonce.
pub const V6_HEADER_LEN: usize = 3 * HEADER_WORD_LEN;
/// Length of a gnark Groth16 proof body: A (64) ‖ B (128) ‖ C (64), uncompressed.
pub const GROTH16_BODY_LEN: usize = 256;
/// Length of a gnark Plonk proof body with one BSB22 commitment, as SP1 emits it.
pub const PLONK_BODY_LEN: usize = 864;

/// Offsets of the BN254 scalars in a Plonk body: the five claimed values
/// (384..544), the shifted-z opening value (608) and the BSB22 claimed value (768).
pub const PLONK_SCALAR_OFFSETS: [usize; 7] = [384, 416, 448, 480, 512, 608, 768];

/// The v6 proof header: what the wrapped STARK committed besides the public values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V6Header {
    /// The program's exit code (must be zero).
    pub exit_code: [u8; 32],
    /// The recursion verifying-key root (must equal the release's root).
    pub vk_root: [u8; 32],
    /// The proof nonce (a public input; any canonical scalar).
    pub nonce: [u8; 32],
}

/// A proof split into its parts; the body is parsed for Groth16.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedProof<'a> {
    /// The verifier the selector names.
    pub verifier: Sp1Verifier,
    /// The v6 header, if the release has one.
    pub header: Option<V6Header>,
    /// The proof body bytes after the selector and header.
    pub raw_body: &'a [u8],
    pub(crate) body: ProofBody<'a>,
}

/// A proof body ready for its verifier.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ProofBody<'a> {
    /// Groth16 points, on the curve and in the prime-order subgroups.
    Groth16(Box<Proof<Bn254>>),
    /// Raw gnark Plonk bytes of exactly [`PLONK_BODY_LEN`]; sp1-verifier parses them.
    Plonk(&'a [u8]),
}

/// Reads the 4-byte selector.
///
/// # Errors
/// [`DecodeFailure::MissingSelector`] if the proof is shorter than 4 bytes.
pub fn proof_selector(proof: &[u8]) -> Result<[u8; SELECTOR_LEN], ProofError> {
    proof
        .get(..SELECTOR_LEN)
        .and_then(|s| <[u8; SELECTOR_LEN]>::try_from(s).ok())
        .ok_or(ProofError::Decode(DecodeFailure::MissingSelector))
}

/// Decodes a proof, choosing the verifier by its selector.
///
/// # Errors
/// [`ProofError::UnknownVerifierVersion`] for an unknown selector, and
/// [`ProofError::Decode`] for a wrong length or a malformed body.
pub fn decode_proof(proof: &[u8]) -> Result<DecodedProof<'_>, ProofError> {
    let selector = proof_selector(proof)?;
    let verifier = Sp1Verifier::from_selector(selector)
        .ok_or(ProofError::UnknownVerifierVersion { selector })?;
    decode_proof_for(verifier, proof)
}

/// Decodes a proof for a given verifier (the selector is not checked here).
///
/// # Errors
/// [`ProofError::Decode`] for a wrong length or a malformed body.
pub fn decode_proof_for(
    verifier: Sp1Verifier,
    proof: &[u8],
) -> Result<DecodedProof<'_>, ProofError> {
    let header_len = match verifier.release.layout() {
        ProofLayout::Legacy => 0,
        ProofLayout::V6 { .. } => V6_HEADER_LEN,
    };
    let body_len = match verifier.system {
        ProofSystem::Groth16 => GROTH16_BODY_LEN,
        ProofSystem::Plonk => PLONK_BODY_LEN,
    };
    let length = ProofError::Decode(DecodeFailure::ProofLength);
    if proof.len() != SELECTOR_LEN + header_len + body_len {
        return Err(length);
    }
    let after_selector = proof.get(SELECTOR_LEN..).ok_or(length.clone())?;
    let (header_bytes, body) = after_selector.split_at_checked(header_len).ok_or(length)?;
    let header = match verifier.release.layout() {
        ProofLayout::Legacy => None,
        ProofLayout::V6 { .. } => Some(decode_header(header_bytes)?),
    };
    let raw_body = body;
    let body = match verifier.system {
        ProofSystem::Groth16 => ProofBody::Groth16(Box::new(
            sp1_verifier::load_ark_proof_from_bytes(raw_body)
                .map_err(|_| ProofError::Decode(DecodeFailure::ProofBody))?,
        )),
        ProofSystem::Plonk => {
            check_plonk_scalars(raw_body)?;
            ProofBody::Plonk(raw_body)
        }
    };
    Ok(DecodedProof {
        verifier,
        header,
        raw_body,
        body,
    })
}

/// Rejects Plonk bodies whose scalars are not below `r`.
///
/// sp1-verifier reduces them silently; gnark's Solidity verifier rejects them.
/// Requiring canonical encodings makes a proof's bytes unique.
fn check_plonk_scalars(body: &[u8]) -> Result<(), ProofError> {
    for offset in PLONK_SCALAR_OFFSETS {
        let scalar = body
            .get(offset..offset + 32)
            .and_then(|s| <[u8; 32]>::try_from(s).ok())
            .ok_or(ProofError::Decode(DecodeFailure::ProofLength))?;
        if !is_canonical_scalar(&scalar) {
            return Err(ProofError::Decode(DecodeFailure::ProofBody));
        }
    }
    Ok(())
}

fn decode_header(bytes: &[u8]) -> Result<V6Header, ProofError> {
    let word = |i: usize| -> Result<[u8; 32], ProofError> {
        bytes
            .get(i * HEADER_WORD_LEN..(i + 1) * HEADER_WORD_LEN)
            .and_then(|w| <[u8; 32]>::try_from(w).ok())
            .ok_or(ProofError::Decode(DecodeFailure::ProofLength))
    };
    Ok(V6Header {
        exit_code: word(0)?,
        vk_root: word(1)?,
        nonce: word(2)?,
    })
}
