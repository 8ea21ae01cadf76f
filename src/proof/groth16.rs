//! Groth16 verification: the arkworks path (fast) and sp1-verifier's default
//! substrate-bn path (reference, for benchmarks and differential tests).
//!
//! Both take the already-assembled public inputs; the SP1-level checks
//! (prefix, vk root, exit code, digest) are done by [`super::verify`].

use std::sync::OnceLock;

use ark_bn254::{Bn254, Fr};
use ark_ff::PrimeField;
use ark_groth16::{Groth16, PreparedVerifyingKey, Proof, prepare_verifying_key};

use super::versions::{ProofSystem, RELEASE_COUNT, Sp1Release, Sp1Verifier};

/// The release's Groth16 key, parsed and prepared once per process.
///
/// `None` only if the embedded key failed to parse, which a test rules out.
pub(crate) fn prepared_vk(release: Sp1Release) -> Option<&'static PreparedVerifyingKey<Bn254>> {
    static CACHE: [OnceLock<Option<PreparedVerifyingKey<Bn254>>>; RELEASE_COUNT] =
        [const { OnceLock::new() }; RELEASE_COUNT];
    CACHE
        .get(release.index())?
        .get_or_init(|| {
            let bytes = Sp1Verifier::of(release, ProofSystem::Groth16).vk_bytes();
            sp1_verifier::load_ark_groth16_verifying_key_from_bytes(bytes)
                .ok()
                .map(|vk| prepare_verifying_key(&vk))
        })
        .as_ref()
}

/// Checks the Groth16 equation with arkworks. Inputs must be canonical scalars.
pub(crate) fn verify_ark(release: Sp1Release, proof: &Proof<Bn254>, inputs: &[[u8; 32]]) -> bool {
    let Some(pvk) = prepared_vk(release) else {
        return false;
    };
    let scalars: Vec<Fr> = inputs
        .iter()
        .map(|b| Fr::from_be_bytes_mod_order(b))
        .collect();
    // Err means the input count does not match the key: not a valid proof either.
    Groth16::<Bn254>::verify_proof(pvk, proof, &scalars).unwrap_or(false)
}

/// Checks the Groth16 equation with sp1-verifier's default (substrate-bn) code.
#[cfg(feature = "sp1-reference")]
pub(crate) fn verify_reference(release: Sp1Release, raw_body: &[u8], inputs: &[[u8; 32]]) -> bool {
    let vk = Sp1Verifier::of(release, ProofSystem::Groth16).vk_bytes();
    sp1_verifier::Groth16Verifier::verify_gnark_proof(raw_body, inputs, vk).is_ok()
}
