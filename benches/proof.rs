//! SP1 proof verification: the arkworks Groth16 and Plonk paths against
//! sp1-verifier's default (substrate-bn) code, in one run.
//!
//! `cargo bench --bench proof`

use criterion::{Criterion, criterion_group, criterion_main};
use preconf_light::proof::{ProgramVkey, verify_sp1_proof, verify_sp1_proof_reference};
use std::hint::black_box;
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sp1/");

struct Case {
    proof: Vec<u8>,
    public_values: Vec<u8>,
    vkey_hex: String,
    vkey: ProgramVkey,
}

fn load(file: &str, keys: (&str, &str, &str)) -> Case {
    let text = std::fs::read_to_string(format!("{FIXTURES}{file}")).expect("fixture");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let field = |k: &str| {
        let s = v[k].as_str().expect("field");
        hex::decode(s.trim_start_matches("0x")).expect("hex")
    };
    let vkey_hex = v[keys.2].as_str().expect("vkey").to_string();
    Case {
        proof: field(keys.0),
        public_values: field(keys.1),
        vkey: ProgramVkey::from_hex(&vkey_hex).expect("vkey"),
        vkey_hex,
    }
}

fn bench(c: &mut Criterion) {
    let template = ("proof", "publicValues", "vkey");
    let example = ("proof", "public_inputs", "vkey_hash");
    let g16_v61 = load(
        "hyperbridge-sp1-beefy-v6.1.0/derived-sp1-groth16.json",
        template,
    );
    let g16_v5 = load(
        "example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json",
        example,
    );
    let plonk_v60 = load("sp1-project-template-v6.0.0/plonk-fixture.json", template);
    let plonk_v5 = load(
        "example-sp1-wasm-verifier-v5.2.1/fibonacci_plonk_proof.json",
        example,
    );

    let mut g = c.benchmark_group("groth16");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("v6.1 ark (preconf-light verify_sp1_proof)", |b| {
        b.iter(|| {
            verify_sp1_proof(
                black_box(&g16_v61.proof),
                &g16_v61.public_values,
                &g16_v61.vkey,
            )
        })
    });
    g.bench_function("v6.1 sp1-verifier default Groth16Verifier::verify", |b| {
        b.iter(|| {
            sp1_verifier::Groth16Verifier::verify(
                black_box(&g16_v61.proof),
                &g16_v61.public_values,
                &g16_v61.vkey_hex,
                &sp1_verifier::GROTH16_VK_BYTES,
            )
        })
    });
    g.bench_function("v6.1 substrate-bn (verify_sp1_proof_reference)", |b| {
        b.iter(|| {
            verify_sp1_proof_reference(
                black_box(&g16_v61.proof),
                &g16_v61.public_values,
                &g16_v61.vkey,
            )
        })
    });
    g.bench_function("v5 ark (verify_sp1_proof)", |b| {
        b.iter(|| {
            verify_sp1_proof(
                black_box(&g16_v5.proof),
                &g16_v5.public_values,
                &g16_v5.vkey,
            )
        })
    });
    g.finish();

    let mut p = c.benchmark_group("plonk");
    p.sample_size(10).measurement_time(Duration::from_secs(10));
    p.bench_function("v6.0 ark (preconf-light verify_sp1_proof)", |b| {
        b.iter(|| {
            verify_sp1_proof(
                black_box(&plonk_v60.proof),
                &plonk_v60.public_values,
                &plonk_v60.vkey,
            )
        })
    });
    p.bench_function(
        "v6.0 sp1-verifier PlonkVerifier (verify_sp1_proof_reference)",
        |b| {
            b.iter(|| {
                verify_sp1_proof_reference(
                    black_box(&plonk_v60.proof),
                    &plonk_v60.public_values,
                    &plonk_v60.vkey,
                )
            })
        },
    );
    p.bench_function("v5 ark (preconf-light verify_sp1_proof)", |b| {
        b.iter(|| {
            verify_sp1_proof(
                black_box(&plonk_v5.proof),
                &plonk_v5.public_values,
                &plonk_v5.vkey,
            )
        })
    });
    p.bench_function(
        "v5 sp1-verifier PlonkVerifier (verify_sp1_proof_reference)",
        |b| {
            b.iter(|| {
                verify_sp1_proof_reference(
                    black_box(&plonk_v5.proof),
                    &plonk_v5.public_values,
                    &plonk_v5.vkey,
                )
            })
        },
    );
    p.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
