//! BLS benchmarks on the real mainnet Capella sync-committee aggregate.
//!
//! Run with `cargo bench --bench bls --all-features` (both backends) or plain
//! `cargo bench --bench bls` (blst only). Groups:
//! - `decode_512/<backend>/<check>`: cold decode of the 512 committee keys
//!   with [`KeyCheck::Full`] and [`KeyCheck::Authenticated`];
//! - `verify_cached/<backend>`: `fast_aggregate_verify` of the real update
//!   (511 of 512 signed) with the committee already decoded;
//! - `blst_final_check/*`: the pairing check alone, blst's high-level
//!   `Signature::verify` against our one-Miller-loop [`Blst::verify`].

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use preconf_light::bls::{BlsBackend, KeyCheck, SyncCommitteeKeys};

#[path = "../tests/bls_mainnet/mod.rs"]
mod bls_mainnet;

fn bench_backend<B: BlsBackend>(c: &mut Criterion, name: &str) {
    let case = bls_mainnet::mainnet_case();
    let mut decode = c.benchmark_group(format!("decode_512/{name}"));
    decode.sample_size(20);
    for (label, check) in [
        ("full", KeyCheck::Full),
        ("authenticated", KeyCheck::Authenticated),
    ] {
        decode.bench_function(label, |b| {
            b.iter(|| SyncCommitteeKeys::<B>::decode(black_box(&case.keys), check).expect("decode"))
        });
    }
    decode.finish();

    let committee =
        SyncCommitteeKeys::<B>::decode(&case.keys, KeyCheck::Authenticated).expect("decode");
    let mut verify = c.benchmark_group("verify_cached");
    verify.sample_size(30);
    verify.bench_function(name, |b| {
        b.iter(|| {
            committee
                .fast_aggregate_verify(
                    black_box(&case.participation),
                    black_box(&case.message),
                    black_box(&case.signature),
                )
                .expect("verify")
        })
    });
    verify.finish();
}

/// Same-run comparison of the final check alone (aggregate key given): blst's
/// high-level `Signature::verify` (two Miller loops) against [`Blst::verify`]
/// (one two-pair Miller loop). Both include decoding and subgroup-checking
/// the signature and hashing the message.
#[cfg(feature = "bls-blst")]
fn bench_blst_pairing(c: &mut Criterion) {
    use blst::BLST_ERROR;
    use blst::min_pk::Signature;
    use preconf_light::bls::{Blst, ETH_DST};

    let case = bls_mainnet::mainnet_case();
    let present: Vec<_> = case
        .keys
        .iter()
        .zip(&case.participation)
        .filter(|(_, p)| **p)
        .map(|(k, _)| Blst::decode_public_key(k, KeyCheck::Authenticated).expect("key"))
        .collect();
    let aggregate = Blst::aggregate(present.iter()).expect("participants");
    let mut group = c.benchmark_group("blst_final_check");
    group.sample_size(30);
    group.bench_function("signature_verify_two_miller_loops", |b| {
        b.iter(|| {
            let sig = Signature::sig_validate(black_box(&case.signature), true).expect("sig");
            let r = sig.verify(
                false,
                black_box(&case.message),
                ETH_DST,
                &[],
                &aggregate,
                false,
            );
            assert_eq!(r, BLST_ERROR::BLST_SUCCESS);
        })
    });
    group.bench_function("one_two_pair_miller_loop", |b| {
        b.iter(|| {
            Blst::verify(
                &aggregate,
                black_box(&case.message),
                black_box(&case.signature),
            )
            .expect("verify")
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    #[cfg(feature = "bls-blst")]
    bench_blst_pairing(c);
    #[cfg(feature = "bls-blst")]
    bench_backend::<preconf_light::bls::Blst>(c, "blst");
    #[cfg(feature = "bls-zkcrypto")]
    bench_backend::<preconf_light::bls::Zkcrypto>(c, "zkcrypto");
}

criterion_group!(bls, benches);
criterion_main!(bls);
