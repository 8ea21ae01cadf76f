//! BLS tests run against every enabled backend: the real mainnet Capella
//! sync-committee aggregate, negative cases that each bite on one rule, and
//! self-signed aggregates that exercise both aggregation paths.
//!
//! Each shared test is a generic fn; `backend_tests!` instantiates it once
//! per backend feature, so `cargo test --all-features --test bls` runs the
//! same assertions on blst and on zkcrypto.

use preconf_light::bls::{BlsBackend, BlsError, KeyCheck, SyncCommitteeKeys};
mod bls_mainnet;

use bls_mainnet::{
    MAINNET_GVR, beacon_header_root, load, mainnet_case, sync_committee_signing_root,
};
use sha2::{Digest, Sha256};

/// Compressed encoding of the G1 point at infinity.
const INFINITY_KEY: [u8; 48] = {
    let mut k = [0u8; 48];
    k[0] = 0xc0;
    k
};
/// Compressed x = 1: `1 + 4 = 5` is not a square mod p, so no point has this x.
/// (Checked with Euler's criterion when the test was written.)
const OFF_CURVE_KEY: [u8; 48] = {
    let mut k = [0u8; 48];
    k[0] = 0x80;
    k[47] = 1;
    k
};
/// Compressed x = 4 with the smaller y: on the curve (`4^3 + 4 = 68` is a
/// square mod p) but `r · P != O`, so outside the prime-order subgroup.
/// (Checked with affine double-and-add when the test was written.)
const NON_SUBGROUP_KEY: [u8; 48] = {
    let mut k = [0u8; 48];
    k[0] = 0x80;
    k[47] = 4;
    k
};

// ----------------------------------------------------------------- signing

/// Deterministic test-only signer (the light client itself never signs).
struct Signer {
    public_keys: Vec<[u8; 48]>,
    #[cfg(feature = "bls-blst")]
    secret_keys: Vec<blst::min_pk::SecretKey>,
    #[cfg(not(feature = "bls-blst"))]
    secret_keys: Vec<bls12_381::Scalar>,
}

fn ikm(i: usize) -> [u8; 32] {
    Sha256::digest(format!("preconf-light bls test key {i}").as_bytes()).into()
}

impl Signer {
    #[cfg(feature = "bls-blst")]
    fn new(n: usize) -> Self {
        let secret_keys: Vec<_> = (0..n)
            .map(|i| blst::min_pk::SecretKey::key_gen(&ikm(i), &[]).expect("key_gen"))
            .collect();
        let public_keys = secret_keys
            .iter()
            .map(|s| s.sk_to_pk().compress())
            .collect();
        Self {
            public_keys,
            secret_keys,
        }
    }

    #[cfg(not(feature = "bls-blst"))]
    fn new(n: usize) -> Self {
        use bls12_381::{G1Affine, Scalar};
        let secret_keys: Vec<Scalar> = (0..n)
            .map(|i| {
                let mut wide = [0u8; 64];
                wide[..32].copy_from_slice(&ikm(i));
                wide[32..].copy_from_slice(&Sha256::digest(ikm(i)));
                Scalar::from_bytes_wide(&wide)
            })
            .collect();
        let public_keys = secret_keys
            .iter()
            .map(|s| G1Affine::from(G1Affine::generator() * s).to_compressed())
            .collect();
        Self {
            public_keys,
            secret_keys,
        }
    }

    /// The aggregate signature of `message` by the members whose bit is set.
    #[cfg(feature = "bls-blst")]
    fn sign(&self, participation: &[bool], message: &[u8]) -> [u8; 96] {
        use blst::min_pk::AggregateSignature;
        let sigs: Vec<_> = self
            .secret_keys
            .iter()
            .zip(participation)
            .filter(|(_, p)| **p)
            .map(|(s, _)| s.sign(message, preconf_light::bls::ETH_DST, &[]))
            .collect();
        let refs: Vec<_> = sigs.iter().collect();
        AggregateSignature::aggregate(&refs, false)
            .expect("aggregate")
            .to_signature()
            .compress()
    }

    #[cfg(not(feature = "bls-blst"))]
    fn sign(&self, participation: &[bool], message: &[u8]) -> [u8; 96] {
        use bls12_381::hash_to_curve::{ExpandMsgXmd, HashToCurve};
        use bls12_381::{G2Affine, G2Projective, Scalar};
        let total: Scalar = self
            .secret_keys
            .iter()
            .zip(participation)
            .filter(|(_, p)| **p)
            .fold(Scalar::zero(), |acc, (s, _)| acc + s);
        let h = <G2Projective as HashToCurve<ExpandMsgXmd<Sha256>>>::hash_to_curve(
            [message],
            preconf_light::bls::ETH_DST,
        );
        G2Affine::from(h * total).to_compressed()
    }
}

/// Participation with exactly `n` of 512 bits set, spread over the committee.
fn spread_participation(n: usize) -> Vec<bool> {
    let mut bits = vec![false; 512];
    for i in 0..n {
        bits[(i * 512) / n] = true;
    }
    bits
}

// ------------------------------------------------------------ shared tests

fn real_mainnet_aggregate_verifies<B: BlsBackend>() {
    let case = mainnet_case();
    assert_eq!(case.keys.len(), 512);
    assert_eq!(case.participation.iter().filter(|b| **b).count(), 511);
    for check in [KeyCheck::Full, KeyCheck::Authenticated] {
        let committee = SyncCommitteeKeys::<B>::decode(&case.keys, check).expect("decode");
        assert_eq!(committee.len(), 512);
        committee
            .fast_aggregate_verify(&case.participation, &case.message, &case.signature)
            .expect("real mainnet aggregate verifies");
    }
}

fn authenticated_committee_decodes_only_what_an_update_needs<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::from_authenticated(case.keys.clone(), case.aggregate)
        .expect("committee");
    assert_eq!(committee.decoded_count(), 0);
    committee
        .fast_aggregate_verify(&case.participation, &case.message, &case.signature)
        .expect("real mainnet aggregate verifies from the state's aggregate");
    // 511 of 512 signed: the state's total minus the one absent member.
    assert_eq!(committee.decoded_count(), 1);
    // A wrong total (another committee member's key) fails the pairing check:
    // the aggregate really is what the verification stands on.
    let wrong = SyncCommitteeKeys::<B>::from_authenticated(case.keys.clone(), case.keys[3])
        .expect("committee");
    assert_eq!(
        wrong
            .fast_aggregate_verify(&case.participation, &case.message, &case.signature)
            .unwrap_err(),
        BlsError::InvalidSignature
    );
    // Under half the committee: the participants are decoded and summed.
    let signer = Signer::new(512);
    let message = Sha256::digest(b"lazy").to_vec();
    let bits = spread_participation(100);
    let sig = signer.sign(&bits, &message);
    let total = signer_total::<B>(&signer);
    let lazy = SyncCommitteeKeys::<B>::from_authenticated(signer.public_keys.clone(), total)
        .expect("committee");
    lazy.fast_aggregate_verify(&bits, &message, &sig)
        .expect("plain path verifies");
    assert_eq!(lazy.decoded_count(), 100);
    // Every path agrees with the eager committee, and keys stay cached.
    for n in [400usize, 512, 100] {
        let bits = spread_participation(n);
        let sig = signer.sign(&bits, &message);
        lazy.fast_aggregate_verify(&bits, &message, &sig)
            .unwrap_or_else(|e| panic!("{n}: {e}"));
    }
    assert!(lazy.decoded_count() <= 212);
}

fn authenticated_committee_refuses_what_it_must<B: BlsBackend>() {
    let case = mainnet_case();
    // Infinity keys (or total) are refused up front, by their encoding.
    let mut keys = case.keys.clone();
    keys[7] = INFINITY_KEY;
    let err = SyncCommitteeKeys::<B>::from_authenticated(keys, case.aggregate).unwrap_err();
    assert_eq!(err, BlsError::InfinityPublicKey);
    let err =
        SyncCommitteeKeys::<B>::from_authenticated(case.keys.clone(), INFINITY_KEY).unwrap_err();
    assert_eq!(err, BlsError::InfinityPublicKey);
    let err = SyncCommitteeKeys::<B>::from_authenticated(Vec::new(), case.aggregate).unwrap_err();
    assert_eq!(err, BlsError::NoParticipants);
    // An off-curve key is found when an aggregate needs it: here it is the
    // absent member, so it is subtracted and must decode.
    let absent = case.participation.iter().position(|b| !*b).expect("absent");
    let mut keys = case.keys.clone();
    keys[absent] = OFF_CURVE_KEY;
    let committee =
        SyncCommitteeKeys::<B>::from_authenticated(keys, case.aggregate).expect("committee");
    assert_eq!(
        committee
            .fast_aggregate_verify(&case.participation, &case.message, &case.signature)
            .unwrap_err(),
        BlsError::InvalidPublicKey
    );
    // An off-curve total likewise.
    let committee = SyncCommitteeKeys::<B>::from_authenticated(case.keys.clone(), OFF_CURVE_KEY)
        .expect("committee");
    assert_eq!(
        committee
            .fast_aggregate_verify(&case.participation, &case.message, &case.signature)
            .unwrap_err(),
        BlsError::InvalidPublicKey
    );
}

/// The compressed sum of a signer's keys (what a state's `aggregate_pubkey` holds).
fn signer_total<B: BlsBackend>(signer: &Signer) -> [u8; 48] {
    let keys: Vec<_> = signer
        .public_keys
        .iter()
        .map(|k| B::decode_public_key(k, KeyCheck::Full).expect("key"))
        .collect();
    B::compress(&B::aggregate(keys.iter()).expect("non-empty"))
}

fn infinity_key_rejected_in_both_modes<B: BlsBackend>() {
    let mut keys = mainnet_case().keys;
    keys[7] = INFINITY_KEY;
    for check in [KeyCheck::Full, KeyCheck::Authenticated] {
        let err = SyncCommitteeKeys::<B>::decode(&keys, check).unwrap_err();
        assert_eq!(err, BlsError::InfinityPublicKey, "{check:?}");
    }
}

fn off_curve_key_rejected_in_both_modes<B: BlsBackend>() {
    for check in [KeyCheck::Full, KeyCheck::Authenticated] {
        let err = B::decode_public_key(&OFF_CURVE_KEY, check).unwrap_err();
        assert_eq!(err, BlsError::InvalidPublicKey, "{check:?}");
    }
    let mut keys = mainnet_case().keys;
    keys[100] = OFF_CURVE_KEY;
    let err = SyncCommitteeKeys::<B>::decode(&keys, KeyCheck::Authenticated).unwrap_err();
    assert_eq!(err, BlsError::InvalidPublicKey);
}

fn bad_encoding_rejected<B: BlsBackend>() {
    let good = mainnet_case().keys[0];
    // Compression flag cleared: a compressed key must have it.
    let mut no_flag = good;
    no_flag[0] &= 0x7f;
    // x >= p: all ones in the x field.
    let mut too_big = [0xffu8; 48];
    too_big[0] = 0x9f;
    // Infinity flag with a non-zero x.
    let mut bad_infinity = INFINITY_KEY;
    bad_infinity[47] = 1;
    for bytes in [no_flag, too_big, bad_infinity] {
        for check in [KeyCheck::Full, KeyCheck::Authenticated] {
            assert_eq!(
                B::decode_public_key(&bytes, check).unwrap_err(),
                BlsError::InvalidPublicKey
            );
        }
    }
}

fn non_subgroup_key_rejected_only_by_full_check<B: BlsBackend>() {
    let err = B::decode_public_key(&NON_SUBGROUP_KEY, KeyCheck::Full).unwrap_err();
    assert_eq!(err, BlsError::InvalidPublicKey);
    // The point is on the curve: the subgroup check is what rejects it.
    B::decode_public_key(&NON_SUBGROUP_KEY, KeyCheck::Authenticated).expect("on-curve point");
    let mut keys = mainnet_case().keys;
    keys[300] = NON_SUBGROUP_KEY;
    let err = SyncCommitteeKeys::<B>::decode(&keys, KeyCheck::Full).unwrap_err();
    assert_eq!(err, BlsError::InvalidPublicKey);
}

fn authenticated_non_subgroup_key_is_safe_to_use<B: BlsBackend>() {
    // With the subgroup check skipped, a (hypothetical) bad key must still
    // only make verification fail, on both aggregation paths, never panic.
    let case = mainnet_case();
    let mut keys = case.keys.clone();
    keys[300] = NON_SUBGROUP_KEY;
    let committee =
        SyncCommitteeKeys::<B>::decode(&keys, KeyCheck::Authenticated).expect("on-curve keys");
    let err = committee
        .fast_aggregate_verify(&case.participation, &case.message, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
    let few: Vec<bool> = (0..512).map(|i| i % 5 == 0).collect();
    assert!(few[300]);
    let err = committee
        .fast_aggregate_verify(&few, &case.message, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
}

fn flipped_signature_bit_rejected<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Full).expect("decode");
    // A bit in the x coordinate, one in the middle, and the sign flag.
    for (byte, bit) in [(95usize, 0u8), (40, 3), (0, 5)] {
        let mut sig = case.signature;
        sig[byte] ^= 1 << bit;
        let err = committee
            .fast_aggregate_verify(&case.participation, &case.message, &sig)
            .unwrap_err();
        assert_eq!(err, BlsError::InvalidSignature, "byte {byte} bit {bit}");
    }
}

fn wrong_message_rejected<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Full).expect("decode");
    let mut message = case.message;
    message[31] ^= 1;
    let err = committee
        .fast_aggregate_verify(&case.participation, &message, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
    // The signing root with the Bellatrix version instead of Capella's.
    let gvr: [u8; 32] = hex::decode(MAINNET_GVR)
        .expect("hex")
        .try_into()
        .expect("32");
    let header_root =
        beacon_header_root(&load("updates.json")[0]["data"]["attested_header"]["beacon"]);
    let wrong_fork = sync_committee_signing_root(&header_root, [0x02, 0, 0, 0], &gvr);
    let err = committee
        .fast_aggregate_verify(&case.participation, &wrong_fork, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
}

fn wrong_participation_bit_rejected<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Full).expect("decode");
    let absent = case
        .participation
        .iter()
        .position(|b| !*b)
        .expect("one absent member");
    // Claiming the absent member signed (all 512 present: the total path).
    let mut all = case.participation.clone();
    all[absent] = true;
    let err = committee
        .fast_aggregate_verify(&all, &case.message, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
    // Dropping a member who did sign (subtract path with two absent).
    let mut fewer = case.participation.clone();
    fewer[0] = false;
    let err = committee
        .fast_aggregate_verify(&fewer, &case.message, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
}

fn participation_length_mismatch_rejected<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Full).expect("decode");
    for len in [511usize, 513, 0] {
        let mut bits = case.participation.clone();
        bits.resize(len, true);
        let err = committee
            .fast_aggregate_verify(&bits, &case.message, &case.signature)
            .unwrap_err();
        assert_eq!(
            err,
            BlsError::ParticipationLength {
                expected: 512,
                got: len
            }
        );
    }
}

fn zero_participants_rejected<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Full).expect("decode");
    let none = vec![false; 512];
    let err = committee
        .fast_aggregate_verify(&none, &case.message, &case.signature)
        .unwrap_err();
    assert_eq!(err, BlsError::NoParticipants);
    // An empty committee does not decode either.
    let err = SyncCommitteeKeys::<B>::decode(&[], KeyCheck::Full).unwrap_err();
    assert_eq!(err, BlsError::NoParticipants);
}

fn infinity_and_garbage_signatures_rejected<B: BlsBackend>() {
    let case = mainnet_case();
    let committee = SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Full).expect("decode");
    let mut infinity = [0u8; 96];
    infinity[0] = 0xc0;
    let mut off_curve = [0u8; 96];
    off_curve[0] = 0x80;
    off_curve[95] = 1;
    for sig in [infinity, [0u8; 96], [0xffu8; 96], [0x5au8; 96], off_curve] {
        let err = committee
            .fast_aggregate_verify(&case.participation, &case.message, &sig)
            .unwrap_err();
        assert_eq!(err, BlsError::InvalidSignature);
    }
}

fn subtract_and_plain_paths_agree<B: BlsBackend>() {
    let signer = Signer::new(512);
    let committee =
        SyncCommitteeKeys::<B>::decode(&signer.public_keys, KeyCheck::Full).expect("decode");
    let message = Sha256::digest(b"a signing root").to_vec();
    // 400 present: the subtract path; 100 present: the plain path; 512: the total.
    for n in [400usize, 257, 256, 100, 1, 512] {
        let bits = spread_participation(n);
        assert_eq!(bits.iter().filter(|b| **b).count(), n);
        let sig = signer.sign(&bits, &message);
        committee
            .fast_aggregate_verify(&bits, &message, &sig)
            .unwrap_or_else(|e| panic!("{n}: {e}"));
        // The same signature under a bitfield that differs in one place fails.
        let mut off_by_one = bits.clone();
        let flip = bits.iter().position(|b| !*b).unwrap_or(0);
        off_by_one[flip] = !off_by_one[flip];
        let err = committee
            .fast_aggregate_verify(&off_by_one, &message, &sig)
            .unwrap_err();
        assert_eq!(err, BlsError::InvalidSignature, "{n}");
    }
}

fn duplicate_members_counted_per_position<B: BlsBackend>() {
    // A validator can sit in a committee more than once; each seat is a term.
    let signer = Signer::new(512);
    let mut keys = signer.public_keys.clone();
    keys[1] = keys[0];
    let committee = SyncCommitteeKeys::<B>::decode(&keys, KeyCheck::Full).expect("decode");
    let message = Sha256::digest(b"duplicates").to_vec();
    let mut bits = vec![true; 512];
    bits[5] = false;
    // Seat 1 is key 0 again, so key 0 signs twice; seat 1's own key never signs.
    let mut signer_bits = bits.clone();
    signer_bits[1] = false;
    let once = signer.sign(&signer_bits, &message);
    let mut only_key0 = vec![false; 512];
    only_key0[0] = true;
    // Every seat except 1 and 5, plus key 0 once more for seat 1.
    let twice = aggregate_two(&once, &signer.sign(&only_key0, &message));
    committee
        .fast_aggregate_verify(&bits, &message, &twice)
        .expect("duplicate seat verifies");
    let err = committee
        .fast_aggregate_verify(&bits, &message, &once)
        .unwrap_err();
    assert_eq!(err, BlsError::InvalidSignature);
}

#[cfg(feature = "bls-blst")]
fn aggregate_two(a: &[u8; 96], b: &[u8; 96]) -> [u8; 96] {
    use blst::min_pk::{AggregateSignature, Signature};
    let a = Signature::from_bytes(a).expect("sig");
    let b = Signature::from_bytes(b).expect("sig");
    AggregateSignature::aggregate(&[&a, &b], false)
        .expect("agg")
        .to_signature()
        .compress()
}

#[cfg(not(feature = "bls-blst"))]
fn aggregate_two(a: &[u8; 96], b: &[u8; 96]) -> [u8; 96] {
    use bls12_381::{G2Affine, G2Projective};
    let a = G2Affine::from_compressed(a).expect("sig");
    let b = G2Affine::from_compressed(b).expect("sig");
    G2Affine::from(G2Projective::from(a) + G2Projective::from(b)).to_compressed()
}

macro_rules! backend_tests {
    ($module:ident, $backend:ty) => {
        mod $module {

            #[test]
            fn real_mainnet_aggregate_verifies() {
                super::real_mainnet_aggregate_verifies::<$backend>();
            }
            #[test]
            fn authenticated_committee_decodes_only_what_an_update_needs() {
                super::authenticated_committee_decodes_only_what_an_update_needs::<$backend>();
            }
            #[test]
            fn authenticated_committee_refuses_what_it_must() {
                super::authenticated_committee_refuses_what_it_must::<$backend>();
            }
            #[test]
            fn infinity_key_rejected_in_both_modes() {
                super::infinity_key_rejected_in_both_modes::<$backend>();
            }
            #[test]
            fn off_curve_key_rejected_in_both_modes() {
                super::off_curve_key_rejected_in_both_modes::<$backend>();
            }
            #[test]
            fn bad_encoding_rejected() {
                super::bad_encoding_rejected::<$backend>();
            }
            #[test]
            fn non_subgroup_key_rejected_only_by_full_check() {
                super::non_subgroup_key_rejected_only_by_full_check::<$backend>();
            }
            #[test]
            fn authenticated_non_subgroup_key_is_safe_to_use() {
                super::authenticated_non_subgroup_key_is_safe_to_use::<$backend>();
            }
            #[test]
            fn flipped_signature_bit_rejected() {
                super::flipped_signature_bit_rejected::<$backend>();
            }
            #[test]
            fn wrong_message_rejected() {
                super::wrong_message_rejected::<$backend>();
            }
            #[test]
            fn wrong_participation_bit_rejected() {
                super::wrong_participation_bit_rejected::<$backend>();
            }
            #[test]
            fn participation_length_mismatch_rejected() {
                super::participation_length_mismatch_rejected::<$backend>();
            }
            #[test]
            fn zero_participants_rejected() {
                super::zero_participants_rejected::<$backend>();
            }
            #[test]
            fn infinity_and_garbage_signatures_rejected() {
                super::infinity_and_garbage_signatures_rejected::<$backend>();
            }
            #[test]
            fn subtract_and_plain_paths_agree() {
                super::subtract_and_plain_paths_agree::<$backend>();
            }
            #[test]
            fn duplicate_members_counted_per_position() {
                super::duplicate_members_counted_per_position::<$backend>();
            }
        }
    };
}

#[cfg(feature = "bls-blst")]
backend_tests!(blst_backend, preconf_light::bls::Blst);
#[cfg(feature = "bls-zkcrypto")]
backend_tests!(zkcrypto_backend, preconf_light::bls::Zkcrypto);

#[test]
fn default_backend_verifies_mainnet() {
    real_mainnet_aggregate_verifies::<preconf_light::bls::DefaultBackend>();
}
