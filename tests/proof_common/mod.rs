//! Shared loader for the SP1 proof fixtures in tests/fixtures/sp1 (see its PROVENANCE.md).
#![allow(dead_code, unreachable_pub)]

use preconf_light::proof::{ProgramVkey, ProofSystem, Sp1Release};

/// One real SP1 proof with what it must verify as.
pub struct Fixture {
    pub name: &'static str,
    pub proof: Vec<u8>,
    pub public_values: Vec<u8>,
    pub vkey: ProgramVkey,
    pub system: ProofSystem,
    pub release: Sp1Release,
}

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sp1/");

fn hex_field(v: &serde_json::Value, key: &str) -> Vec<u8> {
    let s = v[key].as_str().unwrap_or_else(|| panic!("missing {key}"));
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).expect("hex")
}

fn load(
    name: &'static str,
    file: &str,
    keys: (&str, &str, &str),
    system: ProofSystem,
    release: Sp1Release,
) -> Fixture {
    let text = std::fs::read_to_string(format!("{DIR}{file}")).expect("fixture file");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let vkey = v[keys.2].as_str().expect("vkey");
    Fixture {
        name,
        proof: hex_field(&v, keys.0),
        public_values: hex_field(&v, keys.1),
        vkey: ProgramVkey::from_hex(vkey).expect("fixture vkey"),
        system,
        release,
    }
}

const TEMPLATE: (&str, &str, &str) = ("proof", "publicValues", "vkey");
const WASM_EXAMPLE: (&str, &str, &str) = ("proof", "public_inputs", "vkey_hash");

/// Every fixture, in the order of PROVENANCE.md.
pub fn all() -> Vec<Fixture> {
    use ProofSystem::{Groth16, Plonk};
    use Sp1Release::*;
    vec![
        load(
            "template-v6.0.0-groth16",
            "sp1-project-template-v6.0.0/groth16-fixture.json",
            TEMPLATE,
            Groth16,
            V6Early,
        ),
        load(
            "template-v6.0.0-plonk",
            "sp1-project-template-v6.0.0/plonk-fixture.json",
            TEMPLATE,
            Plonk,
            V6Early,
        ),
        load(
            "template-v4.1.7-groth16",
            "sp1-project-template-v4.1.7/groth16-fixture.json",
            TEMPLATE,
            Groth16,
            V4,
        ),
        load(
            "template-v4.1.7-plonk",
            "sp1-project-template-v4.1.7/plonk-fixture.json",
            TEMPLATE,
            Plonk,
            V4,
        ),
        load(
            "template-v3.0.0-groth16",
            "sp1-project-template-v3.0.0/groth16-fixture.json",
            TEMPLATE,
            Groth16,
            V3,
        ),
        load(
            "template-v3.0.0-plonk",
            "sp1-project-template-v3.0.0/plonk-fixture.json",
            TEMPLATE,
            Plonk,
            V3,
        ),
        load(
            "wasm-example-v5.2.1-groth16",
            "example-sp1-wasm-verifier-v5.2.1/fibonacci_groth16_proof.json",
            WASM_EXAMPLE,
            Groth16,
            V5,
        ),
        load(
            "wasm-example-v5.2.1-plonk",
            "example-sp1-wasm-verifier-v5.2.1/fibonacci_plonk_proof.json",
            WASM_EXAMPLE,
            Plonk,
            V5,
        ),
        load(
            "hyperbridge-beefy-v6.1.0-groth16",
            "hyperbridge-sp1-beefy-v6.1.0/derived-sp1-groth16.json",
            TEMPLATE,
            Groth16,
            V6,
        ),
        load(
            "sp1-helios-v3.0.0-groth16",
            "sp1-helios-v3.0.0-sepolia/derived-sp1-groth16.json",
            TEMPLATE,
            Groth16,
            V3,
        ),
    ]
}

/// The fixture with this name.
pub fn named(name: &str) -> Fixture {
    all()
        .into_iter()
        .find(|f| f.name == name)
        .expect("fixture name")
}

impl Fixture {
    /// Whether the proof has the v6 header.
    pub fn is_v6(&self) -> bool {
        matches!(self.release, Sp1Release::V6 | Sp1Release::V6Early)
    }

    /// Length of the proof body (after selector and header).
    pub fn body_len(&self) -> usize {
        match self.system {
            ProofSystem::Groth16 => preconf_light::proof::GROTH16_BODY_LEN,
            ProofSystem::Plonk => preconf_light::proof::PLONK_BODY_LEN,
        }
    }
}
