//! Benchmarks of the rollup core: certificate verification and engine
//! re-evaluation. Run: `cargo bench --bench rollup --features bench-support`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use preconf_light::confidence::bench_support::{committee_fixture, ecdsa_fixture, engine_fixture};
use preconf_light::confidence::{Event, Level};
use preconf_light::rollup::certificate::{verify_committee_certificate, verify_ecdsa_certificate};

fn certificates(c: &mut Criterion) {
    let f = ecdsa_fixture();
    c.bench_function("ecdsa_certificate_verify", |b| {
        b.iter(|| verify_ecdsa_certificate(&f.signature, f.chain_id, f.block_hash, f.sequencer))
    });
    for n in [64usize, 128] {
        let (keys, cert, hash) = committee_fixture(n);
        assert!(verify_committee_certificate(&keys, &cert, 901, hash, 1).is_ok());
        c.bench_function(&format!("bls_committee_certificate_verify_{n}"), |b| {
            b.iter(|| verify_committee_certificate(&keys, &cert, 901, hash, 1))
        });
    }
}

fn reevaluation(c: &mut Criterion) {
    let fixture = engine_fixture(10_000);
    // The new head must really change levels: the newest blocks become included.
    let mut probe = fixture.clone();
    let events = probe.apply_next_head();
    let included = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::LevelChanged {
                    to: Level::Included,
                    ..
                }
            )
        })
        .count();
    assert!(included >= 4, "fixture head included {included} blocks");
    c.bench_function("engine_new_l1_head_10000_blocks", |b| {
        b.iter_batched(
            || fixture.clone(),
            |f| {
                let mut f = f;
                let events = f.apply_next_head();
                // Return the engine so that dropping it is not timed.
                (f.engine, events)
            },
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, certificates, reevaluation);
criterion_main!(benches);
