//! Every real SP1 fixture verifies with the right release, and each mutation
//! (proof byte, public-values byte, vkey) is rejected with its specific error.

mod proof_common;

#[cfg(feature = "sp1-reference")]
use preconf_light::proof::verify_sp1_proof_reference;

use preconf_light::ErrorCode;
use preconf_light::proof::{
    Backend, DecodeFailure, DigestKind, GROTH16_BODY_LEN, ProgramVkey, ProofError, ProofSystem,
    SELECTOR_LEN, Sp1Verifier, decode_proof, verify_sp1_proof, verify_sp1_proof_with,
};

fn err_code(f: &proof_common::Fixture, proof: &[u8], pv: &[u8], vkey: &ProgramVkey) -> ProofError {
    match verify_sp1_proof(proof, pv, vkey) {
        Ok(_) => panic!("{}: mutated input verified", f.name),
        Err(e) => e,
    }
}

#[test]
fn every_fixture_verifies_fast_path() {
    for f in proof_common::all() {
        let receipt = verify_sp1_proof(&f.proof, &f.public_values, &f.vkey)
            .unwrap_or_else(|e| panic!("{}: {e} ({})", f.name, e.code()));
        assert_eq!(receipt.system, f.system, "{}", f.name);
        assert_eq!(receipt.release, f.release, "{}", f.name);
        assert_eq!(receipt.digest, DigestKind::Sha256, "{}", f.name);
        assert_eq!(receipt.public_values, f.public_values, "{}", f.name);
        assert_eq!(receipt.program_vkey, f.vkey, "{}", f.name);
        assert_eq!(receipt.sp1_version(), f.release.label(), "{}", f.name);
    }
}

#[test]
#[cfg(feature = "sp1-reference")]
fn every_fixture_verifies_reference_path_too() {
    for f in proof_common::all() {
        let receipt = verify_sp1_proof_reference(&f.proof, &f.public_values, &f.vkey)
            .unwrap_or_else(|e| panic!("{}: {e}", f.name));
        assert_eq!(receipt.release, f.release, "{}", f.name);
    }
}

#[test]
#[cfg(feature = "sp1-reference")]
fn both_backends_agree_on_every_check() {
    // Differential: the arkworks paths (Groth16, Plonk) and sp1-verifier's
    // substrate-bn paths give the same verdict on each fixture and mutation.
    for f in proof_common::all() {
        let verifier = decode_proof(&f.proof).expect("decodes").verifier;
        let mut pv = f.public_values.clone();
        pv[0] ^= 0x01;
        let mut proof = f.proof.clone();
        let body = proof.len() - f.body_len();
        // A scalar for Plonk (claimed value), a point coordinate for Groth16.
        let at = if f.system == ProofSystem::Plonk {
            body + 415
        } else {
            body + 63
        };
        proof[at] ^= 0x01;
        for (p, v) in [
            (&f.proof, &f.public_values),
            (&f.proof, &pv),
            (&proof, &f.public_values),
        ] {
            let fast = verify_sp1_proof_with(verifier, Backend::Fast, p, v, &f.vkey);
            let reference = verify_sp1_proof_with(verifier, Backend::Reference, p, v, &f.vkey);
            assert_eq!(fast, reference, "{}", f.name);
        }
    }
}

#[test]
fn flipped_public_values_byte_is_invalid_proof() {
    for f in proof_common::all() {
        for index in [0, f.public_values.len() - 1] {
            let mut pv = f.public_values.clone();
            pv[index] ^= 0x01;
            assert_eq!(
                err_code(&f, &f.proof, &pv, &f.vkey),
                ProofError::InvalidProof,
                "{} byte {index}",
                f.name
            );
        }
        // Dropping or appending a byte changes the digest too.
        let mut longer = f.public_values.clone();
        longer.push(0);
        assert_eq!(
            err_code(&f, &f.proof, &longer, &f.vkey),
            ProofError::InvalidProof
        );
    }
}

#[test]
fn wrong_vkey_is_invalid_proof() {
    for f in proof_common::all() {
        let mut bytes = f.vkey.to_bytes();
        bytes[31] ^= 0x01;
        let wrong = ProgramVkey::from_bytes(bytes).expect("still canonical");
        assert_eq!(
            err_code(&f, &f.proof, &f.public_values, &wrong),
            ProofError::InvalidProof,
            "{}",
            f.name
        );
    }
}

#[test]
fn flipped_proof_point_byte_is_a_decode_error() {
    // The last body byte is the low byte of an uncompressed G1 y coordinate
    // (Groth16 C, Plonk BSB22 commitment): flipping it leaves the curve.
    for f in proof_common::all() {
        let mut proof = f.proof.clone();
        let last = proof.len() - 1;
        proof[last] ^= 0x01;
        assert_eq!(
            err_code(&f, &proof, &f.public_values, &f.vkey),
            ProofError::Decode(DecodeFailure::ProofBody),
            "{}",
            f.name
        );
    }
}

#[test]
fn well_formed_but_wrong_proof_is_invalid_proof() {
    for f in proof_common::all() {
        let mut proof = f.proof.clone();
        let body = proof.len() - f.body_len();
        match f.system {
            // Swap the G1 points A and C: both stay valid points, the equation fails.
            ProofSystem::Groth16 => {
                let (a, c) = (body, body + GROTH16_BODY_LEN - 64);
                let a_bytes: Vec<u8> = proof[a..a + 64].to_vec();
                proof.copy_within(c..c + 64, a);
                proof[c..c + 64].copy_from_slice(&a_bytes);
            }
            // Change a claimed opening value (a scalar, offset 384 of the body).
            ProofSystem::Plonk => proof[body + 384 + 31] ^= 0x01,
        }
        assert_eq!(
            err_code(&f, &proof, &f.public_values, &f.vkey),
            ProofError::InvalidProof,
            "{}",
            f.name
        );
    }
}

#[test]
fn flipped_selector_is_unknown_version() {
    for f in proof_common::all() {
        let mut proof = f.proof.clone();
        proof[0] ^= 0x80;
        let err = err_code(&f, &proof, &f.public_values, &f.vkey);
        assert!(
            matches!(err, ProofError::UnknownVerifierVersion { .. }),
            "{}: {err}",
            f.name
        );
        assert_eq!(err.code(), "UNKNOWN_VERIFIER_VERSION");
    }
}

#[test]
fn proof_for_another_release_is_prefix_mismatch() {
    // A v6.0 proof offered to the v6.1 verifier, and a v4 proof to the v5 one.
    let cases = [
        (
            "template-v6.0.0-groth16",
            preconf_light::proof::Sp1Release::V6,
        ),
        (
            "template-v6.0.0-plonk",
            preconf_light::proof::Sp1Release::V6,
        ),
        (
            "template-v4.1.7-groth16",
            preconf_light::proof::Sp1Release::V5,
        ),
    ];
    for (name, release) in cases {
        let f = proof_common::named(name);
        let verifier = Sp1Verifier::of(release, f.system);
        let err =
            verify_sp1_proof_with(verifier, Backend::Fast, &f.proof, &f.public_values, &f.vkey)
                .expect_err("wrong verifier accepted");
        assert_eq!(
            err,
            ProofError::PrefixMismatch {
                expected: verifier.selector,
                got: f.proof[..SELECTOR_LEN].try_into().expect("4 bytes"),
            },
            "{name}"
        );
        assert_eq!(err.code(), "PREFIX_MISMATCH");
    }
}

#[test]
fn selectors_are_vk_prefixes() {
    for f in proof_common::all() {
        let decoded = decode_proof(&f.proof).expect("decodes");
        assert_eq!(
            decoded.verifier.vk_prefix(),
            f.proof[..SELECTOR_LEN],
            "{}",
            f.name
        );
        assert_eq!(decoded.verifier.release, f.release);
        assert_eq!(decoded.header.is_some(), f.is_v6(), "{}", f.name);
    }
}

// The v6 header checks: vk_root, exit code, nonce.
const VK_ROOT_AT: usize = SELECTOR_LEN + 32;
const EXIT_CODE_AT: usize = SELECTOR_LEN;
const NONCE_AT: usize = SELECTOR_LEN + 64;

fn v6_fixtures() -> Vec<proof_common::Fixture> {
    proof_common::all()
        .into_iter()
        .filter(|f| f.is_v6())
        .collect()
}

#[test]
fn v6_vk_root_must_match_release() {
    let fixtures = v6_fixtures();
    assert_eq!(fixtures.len(), 3);
    for f in fixtures {
        let mut proof = f.proof.clone();
        proof[VK_ROOT_AT + 31] ^= 0x01;
        let err = err_code(&f, &proof, &f.public_values, &f.vkey);
        assert_eq!(err, ProofError::VkRootMismatch, "{}", f.name);
        assert_eq!(err.code(), "VK_ROOT_MISMATCH");
        // The other v6 release's root is also refused.
        let other = if f.release == preconf_light::proof::Sp1Release::V6 {
            preconf_light::proof::SP1_V6_0_VK_ROOT
        } else {
            preconf_light::proof::SP1_V6_1_VK_ROOT
        };
        let mut proof = f.proof.clone();
        proof[VK_ROOT_AT..VK_ROOT_AT + 32].copy_from_slice(&other);
        assert_eq!(
            err_code(&f, &proof, &f.public_values, &f.vkey),
            ProofError::VkRootMismatch
        );
    }
}

#[test]
fn v6_nonzero_exit_code_is_rejected() {
    for f in v6_fixtures() {
        for byte in [0, 31] {
            let mut proof = f.proof.clone();
            proof[EXIT_CODE_AT + byte] = 1;
            let err = err_code(&f, &proof, &f.public_values, &f.vkey);
            assert_eq!(err, ProofError::NonzeroExitCode, "{}", f.name);
            assert_eq!(err.code(), "NONZERO_EXIT_CODE");
        }
    }
}

#[test]
fn v6_nonce_is_bound_and_canonical() {
    for f in v6_fixtures() {
        let mut proof = f.proof.clone();
        proof[NONCE_AT + 31] ^= 0x01;
        assert_eq!(
            err_code(&f, &proof, &f.public_values, &f.vkey),
            ProofError::InvalidProof,
            "{}",
            f.name
        );
        let mut proof = f.proof.clone();
        proof[NONCE_AT..NONCE_AT + 32].fill(0xff);
        assert_eq!(
            err_code(&f, &proof, &f.public_values, &f.vkey),
            ProofError::Decode(DecodeFailure::Nonce),
            "{}",
            f.name
        );
    }
}

#[test]
fn non_canonical_vkey_hashes_are_refused() {
    let f = proof_common::named("hyperbridge-beefy-v6.1.0-groth16");
    // vkey + r names the same field element; SP1 rejects it, so do we.
    let r = preconf_light::proof::BN254_SCALAR_MODULUS_BE;
    assert_eq!(
        ProgramVkey::from_bytes(r),
        Err(ProofError::Decode(DecodeFailure::VkeyHash))
    );
    assert!(ProgramVkey::from_bytes([0xff; 32]).is_err());
    assert!(ProgramVkey::from_hex("0x1234").is_err());
    assert!(ProgramVkey::from_hex(&format!("0x{}", "zz".repeat(32))).is_err());
    let hex = f.vkey.to_hex();
    assert_eq!(ProgramVkey::from_hex(&hex), Ok(f.vkey));
    assert_eq!(
        ProgramVkey::from_hex(hex.trim_start_matches("0x")),
        Ok(f.vkey)
    );
}
