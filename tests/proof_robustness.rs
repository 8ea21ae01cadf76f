//! Nothing panics on corrupted SP1 proofs: truncated, empty, oversized,
//! random and randomly mutated inputs all yield typed errors.

mod proof_common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use preconf_light::proof::{
    BATCH_PUBLIC_VALUES_LEN, BN254_SCALAR_MODULUS_BE, Backend, DecodeFailure, ExpectedBatch,
    KNOWN_VERIFIERS, ProofError, ProofLayout, ProofSystem, SELECTOR_LEN, V6_HEADER_LEN,
    decode_proof, verify_batch_proof, verify_sp1_proof, verify_sp1_proof_with,
};

/// The backends under test: the reference path too when it is compiled in.
#[cfg(feature = "sp1-reference")]
const BACKENDS: [Backend; 2] = [Backend::Fast, Backend::Reference];
/// The backends under test: the reference path too when it is compiled in.
#[cfg(not(feature = "sp1-reference"))]
const BACKENDS: [Backend; 1] = [Backend::Fast];

/// xorshift64*: deterministic test bytes without a rand dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Runs a verification and fails the test (instead of aborting) if it panics.
fn no_panic(
    what: &str,
    f: impl FnOnce() -> Result<preconf_light::Verified<preconf_light::proof::ProofReceipt>, ProofError>,
) -> Result<(), ProofError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map(|_| ()),
        Err(_) => panic!("{what}: verifier panicked"),
    }
}

#[test]
fn empty_and_short_proofs_lack_a_selector() {
    let f = proof_common::named("hyperbridge-beefy-v6.1.0-groth16");
    for len in 0..SELECTOR_LEN {
        let err = no_panic("short", || {
            verify_sp1_proof(&f.proof[..len], &f.public_values, &f.vkey)
        });
        assert_eq!(err, Err(ProofError::Decode(DecodeFailure::MissingSelector)));
    }
}

#[test]
fn every_truncation_is_a_length_error() {
    for f in proof_common::all() {
        for len in SELECTOR_LEN..f.proof.len() {
            let proof = &f.proof[..len];
            let err = no_panic(f.name, || {
                verify_sp1_proof(proof, &f.public_values, &f.vkey)
            });
            assert_eq!(
                err,
                Err(ProofError::Decode(DecodeFailure::ProofLength)),
                "{} len {len}",
                f.name
            );
        }
    }
}

#[test]
fn oversized_proofs_are_length_errors() {
    for f in proof_common::all() {
        for extra in [1usize, 32, 1 << 20] {
            let mut proof = f.proof.clone();
            proof.resize(proof.len() + extra, 0);
            let err = no_panic(f.name, || {
                verify_sp1_proof(&proof, &f.public_values, &f.vkey)
            });
            assert_eq!(
                err,
                Err(ProofError::Decode(DecodeFailure::ProofLength)),
                "{}",
                f.name
            );
        }
    }
}

#[test]
fn random_bytes_behind_every_selector_are_rejected() {
    let f = proof_common::named("hyperbridge-beefy-v6.1.0-groth16");
    let mut rng = Rng(0x5eed);
    for verifier in KNOWN_VERIFIERS {
        let header = match verifier.release.layout() {
            ProofLayout::Legacy => Vec::new(),
            // A well-formed header, so the random body reaches the body parser.
            ProofLayout::V6 { vk_root } => [[0u8; 32], vk_root, [0u8; 32]].concat(),
        };
        let body_len = match verifier.system {
            ProofSystem::Groth16 => preconf_light::proof::GROTH16_BODY_LEN,
            ProofSystem::Plonk => preconf_light::proof::PLONK_BODY_LEN,
        };
        for round in 0..20 {
            let proof = [verifier.selector.as_slice(), &header, &rng.bytes(body_len)].concat();
            let err = no_panic("random", || {
                verify_sp1_proof(&proof, &f.public_values, &f.vkey)
            });
            assert_eq!(
                err,
                Err(ProofError::Decode(DecodeFailure::ProofBody)),
                "{verifier:?} round {round}"
            );
        }
        // All-zero body: Groth16 points at infinity, zero Plonk values.
        let zeros = [verifier.selector.as_slice(), &header, &vec![0; body_len]].concat();
        for backend in BACKENDS {
            let r = no_panic("zeros", || {
                verify_sp1_proof_with(verifier, backend, &zeros, &f.public_values, &f.vkey)
            });
            assert!(r.is_err(), "{verifier:?} {backend:?}");
        }
    }
    // Random garbage of random length, any selector.
    for _ in 0..500 {
        let len = rng.below(1200);
        let proof = rng.bytes(len);
        assert!(
            no_panic("garbage", || verify_sp1_proof(
                &proof,
                &f.public_values,
                &f.vkey
            ))
            .is_err()
        );
        let _ = decode_proof(&proof);
    }
}

#[test]
fn random_mutations_of_real_proofs_never_verify_or_panic() {
    let mut rng = Rng(0xc0ffee);
    for f in proof_common::all() {
        let rounds = match f.system {
            ProofSystem::Groth16 => 40,
            ProofSystem::Plonk => 12,
        };
        for _ in 0..rounds {
            let mut proof = f.proof.clone();
            let at = rng.below(proof.len());
            let flip = (rng.next() as u8) | 1;
            proof[at] ^= flip;
            for backend in BACKENDS {
                let verifier = decode_proof(&f.proof).expect("decodes").verifier;
                let r = no_panic(f.name, || {
                    verify_sp1_proof_with(verifier, backend, &proof, &f.public_values, &f.vkey)
                });
                assert!(r.is_err(), "{} byte {at} ^ {flip:#x} {backend:?}", f.name);
            }
        }
    }
}

#[test]
fn plonk_scalar_above_modulus_is_a_decode_error() {
    let f = proof_common::named("template-v6.0.0-plonk");
    let body = SELECTOR_LEN + V6_HEADER_LEN;
    // Each scalar replaced by itself + r: the same field element, non-canonical
    // bytes. sp1-verifier alone reduces it and accepts; we refuse.
    for offset in preconf_light::proof::PLONK_SCALAR_OFFSETS {
        let mut proof = f.proof.clone();
        let at = body + offset;
        let mut carry = 0u16;
        for i in (0..32).rev() {
            let sum = u16::from(proof[at + i]) + u16::from(BN254_SCALAR_MODULUS_BE[i]) + carry;
            proof[at + i] = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0, "value + r fits 256 bits");
        if offset == 384 {
            // Shows the check is ours: sp1-verifier itself accepts the non-canonical body.
            let header = &proof[SELECTOR_LEN..body];
            let digest = preconf_light::proof::public_values_digest(
                &f.public_values,
                preconf_light::proof::DigestKind::Sha256,
            );
            let inputs = [
                f.vkey.to_bytes(),
                digest,
                header[..32].try_into().expect("32"),
                header[32..64].try_into().expect("32"),
                header[64..96].try_into().expect("32"),
            ];
            let vk = preconf_light::proof::Sp1Verifier::of(f.release, f.system).vk_bytes();
            let r = sp1_verifier::PlonkVerifier::verify_gnark_proof(&proof[body..], &inputs, vk);
            assert!(r.is_ok(), "{r:?}");
        }
        let err = no_panic(f.name, || {
            verify_sp1_proof(&proof, &f.public_values, &f.vkey)
        });
        assert_eq!(
            err,
            Err(ProofError::Decode(DecodeFailure::ProofBody)),
            "offset {offset}"
        );
    }
}

#[test]
fn real_proof_with_non_batch_values_does_not_bind() {
    // A valid proof whose public values are not the 192-byte batch layout.
    let f = proof_common::named("hyperbridge-beefy-v6.1.0-groth16");
    assert_ne!(f.public_values.len(), BATCH_PUBLIC_VALUES_LEN);
    let expected = ExpectedBatch {
        program_vkey: f.vkey,
        rollup_config_hash: Default::default(),
        l2_block_number: 0,
        l2_block_hash: Default::default(),
        l2_state_root: Default::default(),
        l2_pre_root: None,
        l1_head: None,
    };
    assert_eq!(
        verify_batch_proof(&f.proof, &f.public_values, &expected),
        Err(ProofError::Decode(DecodeFailure::PublicValuesLength))
    );
    // Under the wrong program vkey the proof itself fails first.
    let other = preconf_light::proof::ProgramVkey::from_bytes([1; 32]).expect("canonical");
    let expected = ExpectedBatch {
        program_vkey: other,
        ..expected
    };
    assert_eq!(
        verify_batch_proof(&f.proof, &f.public_values, &expected),
        Err(ProofError::InvalidProof)
    );
}

#[test]
fn every_word_of_a_plonk_proof_is_bound() {
    // Flip the low byte of each 32-byte word of the body (points, scalars):
    // the arkworks Plonk verifier must reject every single one.
    for name in ["template-v6.0.0-plonk", "wasm-example-v5.2.1-plonk"] {
        let f = proof_common::named(name);
        let body = f.proof.len() - f.body_len();
        for word in 0..f.body_len() / 32 {
            let mut proof = f.proof.clone();
            proof[body + word * 32 + 31] ^= 0x01;
            let r = no_panic(name, || verify_sp1_proof(&proof, &f.public_values, &f.vkey));
            assert!(
                matches!(
                    r,
                    Err(ProofError::InvalidProof | ProofError::Decode(DecodeFailure::ProofBody))
                ),
                "{name} word {word}: {r:?}"
            );
        }
    }
}
