//! Plonk verification through sp1-verifier's `PlonkVerifier`.
//!
//! The body length is checked by [`super::decode`] before this runs, which
//! keeps sp1-verifier's parser on its bounds-checked path.

use sp1_verifier::{PlonkError, PlonkVerifier};

use super::versions::{ProofSystem, Sp1Release, Sp1Verifier};

/// Outcome of one Plonk check.
pub(crate) enum PlonkOutcome {
    /// The proof verifies for these inputs.
    Valid,
    /// A point or scalar of the proof body is malformed.
    Malformed,
    /// The proof is well formed but does not verify for these inputs.
    Invalid,
}

/// Checks a Plonk proof body against the release's key and the public inputs.
pub(crate) fn verify(release: Sp1Release, raw_body: &[u8], inputs: &[[u8; 32]]) -> PlonkOutcome {
    let vk = Sp1Verifier::of(release, ProofSystem::Plonk).vk_bytes();
    match PlonkVerifier::verify_gnark_proof(raw_body, inputs, vk) {
        Ok(()) => PlonkOutcome::Valid,
        // Parsing errors of the proof body: non-canonical or off-curve values.
        Err(PlonkError::GeneralError(_)) => PlonkOutcome::Malformed,
        Err(_) => PlonkOutcome::Invalid,
    }
}
