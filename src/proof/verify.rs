//! Verifying an SP1 proof: every check sp1-verifier's `verify()` makes.
//!
//! 1. selector → verifier version ([`ProofError::UnknownVerifierVersion`]);
//! 2. selector == `sha256(vk)[..4]` ([`ProofError::PrefixMismatch`]);
//! 3. exact length and well-formed body ([`ProofError::Decode`]);
//! 4. v6 only: `vk_root` == the release's root ([`ProofError::VkRootMismatch`]),
//!    exit code == 0 ([`ProofError::NonzeroExitCode`]), canonical nonce;
//! 5. the proof equation for `[vkey, digest(public values), (exit, vk_root, nonce)]`,
//!    first with the sha256 digest, then (v4+) the blake3 digest
//!    ([`ProofError::InvalidProof`] if neither verifies).
//!
//! Step 5 runs on arkworks by default ([`Backend::Fast`]: ark-groth16 for
//! Groth16, `plonk_ark` for Plonk); sp1-verifier's substrate-bn code
//! ([`Backend::Reference`]) is kept for benchmarks and differential tests.

use crate::Verified;

use super::decode::{DecodedProof, ProofBody, decode_proof_for, proof_selector};
use super::digest::{DigestKind, public_values_digest};
use super::error::{DecodeFailure, ProofError};
use super::groth16;
#[cfg(feature = "sp1-reference")]
use super::plonk::{self, PlonkOutcome};
use super::plonk_ark::{self, ArkPlonkOutcome};
use super::receipt::{ProofReceipt, SUCCESS_EXIT_CODE};
use super::scalar::{ProgramVkey, is_canonical_scalar};
use super::versions::{ProofLayout, Sp1Release, Sp1Verifier};

/// Which implementation checks the proof equation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// arkworks: `ark-groth16` via sp1-verifier's `ark` converters; Plonk via `plonk_ark`.
    Fast,
    /// sp1-verifier's default substrate-bn `Groth16Verifier` / `PlonkVerifier` code
    /// (feature `sp1-reference`).
    #[cfg(feature = "sp1-reference")]
    Reference,
}

/// Verifies an SP1 Groth16 or Plonk proof, choosing the verifying key by the
/// proof's selector, with the fast (arkworks) backend.
///
/// # Errors
/// Any [`ProofError`] but `VkeyMismatch` and `ClaimMismatch`; see the module docs.
pub fn verify_sp1_proof(
    proof: &[u8],
    public_values: &[u8],
    program_vkey: &ProgramVkey,
) -> Result<Verified<ProofReceipt>, ProofError> {
    let selector = proof_selector(proof)?;
    let verifier = Sp1Verifier::from_selector(selector)
        .ok_or(ProofError::UnknownVerifierVersion { selector })?;
    verify_sp1_proof_with(verifier, Backend::Fast, proof, public_values, program_vkey)
}

/// As [`verify_sp1_proof`], but with sp1-verifier's default (substrate-bn)
/// Groth16 and Plonk code for step 5 (for benchmarks against the fast path).
///
/// # Errors
/// As [`verify_sp1_proof`].
#[cfg(feature = "sp1-reference")]
pub fn verify_sp1_proof_reference(
    proof: &[u8],
    public_values: &[u8],
    program_vkey: &ProgramVkey,
) -> Result<Verified<ProofReceipt>, ProofError> {
    let selector = proof_selector(proof)?;
    let verifier = Sp1Verifier::from_selector(selector)
        .ok_or(ProofError::UnknownVerifierVersion { selector })?;
    verify_sp1_proof_with(
        verifier,
        Backend::Reference,
        proof,
        public_values,
        program_vkey,
    )
}

/// Verifies a proof against one given verifier (release and system) and backend.
///
/// # Errors
/// As [`verify_sp1_proof`]; [`ProofError::PrefixMismatch`] if the proof's
/// selector is not this verifier's `sha256(vk)[..4]`.
pub fn verify_sp1_proof_with(
    verifier: Sp1Verifier,
    backend: Backend,
    proof: &[u8],
    public_values: &[u8],
    program_vkey: &ProgramVkey,
) -> Result<Verified<ProofReceipt>, ProofError> {
    let got = proof_selector(proof)?;
    let expected = verifier.vk_prefix();
    if got != expected {
        return Err(ProofError::PrefixMismatch { expected, got });
    }
    let decoded = decode_proof_for(verifier, proof)?;
    let header_inputs = check_header(&decoded)?;

    let digest = first_verifying_digest(
        verifier.release,
        public_values,
        program_vkey,
        &header_inputs,
        |inputs| check_equation(&decoded, backend, inputs),
    )?;
    Ok(Verified::new_unchecked(ProofReceipt {
        system: verifier.system,
        release: verifier.release,
        program_vkey: *program_vkey,
        public_values: public_values.to_vec(),
        digest,
        nonce: decoded.header.map(|h| h.nonce),
    }))
}

/// Tries the public-values digests the release accepts, sha256 first (as SP1
/// does), and returns the first one `check` accepts.
fn first_verifying_digest(
    release: Sp1Release,
    public_values: &[u8],
    program_vkey: &ProgramVkey,
    header_inputs: &[[u8; 32]],
    mut check: impl FnMut(&[[u8; 32]]) -> Result<bool, ProofError>,
) -> Result<DigestKind, ProofError> {
    let variants: &[DigestKind] = if release.accepts_blake3_digest() {
        &[DigestKind::Sha256, DigestKind::Blake3]
    } else {
        &[DigestKind::Sha256]
    };
    for &kind in variants {
        let mut inputs = vec![
            program_vkey.to_bytes(),
            public_values_digest(public_values, kind),
        ];
        inputs.extend_from_slice(header_inputs);
        if check(&inputs)? {
            return Ok(kind);
        }
    }
    Err(ProofError::InvalidProof)
}

/// Runs the v6 header checks and returns the header's public inputs
/// (`[exit_code, vk_root, nonce]`, empty for legacy proofs).
fn check_header(decoded: &DecodedProof<'_>) -> Result<Vec<[u8; 32]>, ProofError> {
    match (decoded.verifier.release.layout(), decoded.header) {
        (ProofLayout::Legacy, _) => Ok(Vec::new()),
        (ProofLayout::V6 { vk_root }, Some(header)) => {
            if header.vk_root != vk_root {
                return Err(ProofError::VkRootMismatch);
            }
            if header.exit_code != SUCCESS_EXIT_CODE {
                return Err(ProofError::NonzeroExitCode);
            }
            if !is_canonical_scalar(&header.nonce) {
                return Err(ProofError::Decode(DecodeFailure::Nonce));
            }
            Ok(vec![header.exit_code, header.vk_root, header.nonce])
        }
        (ProofLayout::V6 { .. }, None) => Err(ProofError::Decode(DecodeFailure::ProofLength)),
    }
}

/// Checks the proof equation; `Ok(false)` means "does not verify for these inputs".
fn check_equation(
    decoded: &DecodedProof<'_>,
    backend: Backend,
    inputs: &[[u8; 32]],
) -> Result<bool, ProofError> {
    let release = decoded.verifier.release;
    match (&decoded.body, backend) {
        (ProofBody::Groth16(proof), Backend::Fast) => {
            Ok(groth16::verify_ark(release, proof, inputs))
        }
        #[cfg(feature = "sp1-reference")]
        (ProofBody::Groth16(_), Backend::Reference) => {
            Ok(groth16::verify_reference(release, decoded.raw_body, inputs))
        }
        (ProofBody::Plonk(body), Backend::Fast) => match plonk_ark::verify(release, body, inputs) {
            ArkPlonkOutcome::Valid => Ok(true),
            ArkPlonkOutcome::Invalid => Ok(false),
            ArkPlonkOutcome::Malformed => Err(ProofError::Decode(DecodeFailure::ProofBody)),
        },
        #[cfg(feature = "sp1-reference")]
        (ProofBody::Plonk(body), Backend::Reference) => {
            match plonk::verify(release, body, inputs) {
                PlonkOutcome::Valid => Ok(true),
                PlonkOutcome::Invalid => Ok(false),
                PlonkOutcome::Malformed => Err(ProofError::Decode(DecodeFailure::ProofBody)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PV: &[u8] = b"public values";

    fn vkey() -> ProgramVkey {
        ProgramVkey::from_bytes([7; 32]).expect("canonical")
    }

    /// A stand-in for the proof equation that accepts exactly one digest.
    fn accepts(kind: DigestKind) -> impl FnMut(&[[u8; 32]]) -> Result<bool, ProofError> {
        move |inputs| Ok(inputs.get(1) == Some(&public_values_digest(PV, kind)))
    }

    #[test]
    fn sha256_digest_is_tried_first() {
        let mut seen = Vec::new();
        let got = first_verifying_digest(Sp1Release::V6, PV, &vkey(), &[], |inputs| {
            seen.push(inputs[1]);
            Ok(true)
        });
        assert_eq!(got, Ok(DigestKind::Sha256));
        assert_eq!(seen, vec![public_values_digest(PV, DigestKind::Sha256)]);
    }

    #[test]
    fn blake3_digest_is_accepted_from_v4_on() {
        for release in [
            Sp1Release::V4,
            Sp1Release::V5,
            Sp1Release::V6Early,
            Sp1Release::V6,
        ] {
            let got =
                first_verifying_digest(release, PV, &vkey(), &[], accepts(DigestKind::Blake3));
            assert_eq!(got, Ok(DigestKind::Blake3), "{release:?}");
        }
    }

    #[test]
    fn blake3_digest_is_refused_for_v3() {
        let got = first_verifying_digest(
            Sp1Release::V3,
            PV,
            &vkey(),
            &[],
            accepts(DigestKind::Blake3),
        );
        assert_eq!(got, Err(ProofError::InvalidProof));
    }

    #[test]
    fn neither_digest_is_invalid_proof() {
        let got = first_verifying_digest(Sp1Release::V6, PV, &vkey(), &[], |_| Ok(false));
        assert_eq!(got, Err(ProofError::InvalidProof));
    }

    #[test]
    fn inputs_are_vkey_digest_then_header() {
        let header = [[1u8; 32], [2u8; 32], [3u8; 32]];
        let got = first_verifying_digest(Sp1Release::V6, PV, &vkey(), &header, |inputs| {
            Ok(inputs
                == [
                    [7u8; 32],
                    public_values_digest(PV, DigestKind::Sha256),
                    [1u8; 32],
                    [2u8; 32],
                    [3u8; 32],
                ])
        });
        assert_eq!(got, Ok(DigestKind::Sha256));
    }

    #[test]
    fn digests_are_masked_to_253_bits() {
        use sha2::{Digest, Sha256};
        // Find an input whose raw sha256 and blake3 both have a top bit set.
        let input = (0u32..)
            .map(|i| i.to_be_bytes())
            .find(|b| Sha256::digest(b)[0] >= 0xe0 && blake3::hash(b).as_bytes()[0] >= 0xe0)
            .expect("exists");
        let sha = Sha256::digest(input);
        let masked = public_values_digest(&input, DigestKind::Sha256);
        assert_eq!(masked[0], sha[0] & 0x1f);
        assert_eq!(masked[1..], sha[1..]);
        let b3 = blake3::hash(&input);
        let masked = public_values_digest(&input, DigestKind::Blake3);
        assert_eq!(masked[0], b3.as_bytes()[0] & 0x1f);
        assert_eq!(masked[1..], b3.as_bytes()[1..]);
        assert!(is_canonical_scalar(&masked));
    }
}
