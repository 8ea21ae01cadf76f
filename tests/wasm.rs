//! Tests that run inside WebAssembly: under node and in headless Chromium.
//!
//! `make test` runs this target twice with `wasm-bindgen-test-runner`: once
//! in node and once with `WASM_BINDGEN_USE_BROWSER=1` in Chromium. Fixtures
//! are compiled in (`include_str!`), since wasm has no file system.
#![cfg(target_arch = "wasm32")]

use preconf_light::bls::{KeyCheck, SyncCommitteeKeys};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wasm_bindgen_test::wasm_bindgen_test;

const BOOTSTRAP: &str = include_str!("fixtures/mainnet/helios/capella-lc/bootstrap.json");
const UPDATES: &str = include_str!("fixtures/mainnet/helios/capella-lc/updates.json");
const MAINNET_GVR: &str = "4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95";
const CAPELLA_FORK_VERSION: [u8; 4] = [3, 0, 0, 0];
const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [7, 0, 0, 0];

fn hex32(v: &Value) -> [u8; 32] {
    let bytes = hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap();
    bytes.try_into().unwrap()
}

fn hash_pair(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(a);
    h.update(b);
    h.finalize().into()
}

fn uint_leaf(v: &Value) -> [u8; 32] {
    let n: u64 = v.as_str().unwrap().parse().unwrap();
    let mut leaf = [0u8; 32];
    leaf[..8].copy_from_slice(&n.to_le_bytes());
    leaf
}

/// hash_tree_root(BeaconBlockHeader), by hand: five fields padded to eight leaves.
fn header_root(h: &Value) -> [u8; 32] {
    let zero = [0u8; 32];
    let leaves = [
        uint_leaf(&h["slot"]),
        uint_leaf(&h["proposer_index"]),
        hex32(&h["parent_root"]),
        hex32(&h["state_root"]),
        hex32(&h["body_root"]),
        zero,
        zero,
        zero,
    ];
    let l1: Vec<[u8; 32]> = leaves.chunks(2).map(|c| hash_pair(&c[0], &c[1])).collect();
    let l2: Vec<[u8; 32]> = l1.chunks(2).map(|c| hash_pair(&c[0], &c[1])).collect();
    hash_pair(&l2[0], &l2[1])
}

fn signing_root(header: &Value) -> [u8; 32] {
    let mut version_leaf = [0u8; 32];
    version_leaf[..4].copy_from_slice(&CAPELLA_FORK_VERSION);
    let gvr: [u8; 32] = hex::decode(MAINNET_GVR).unwrap().try_into().unwrap();
    let fork_data_root = hash_pair(&version_leaf, &gvr);
    let mut domain = [0u8; 32];
    domain[..4].copy_from_slice(&DOMAIN_SYNC_COMMITTEE);
    domain[4..].copy_from_slice(&fork_data_root[..28]);
    hash_pair(&header_root(header), &domain)
}

fn committee() -> SyncCommitteeKeys {
    let bootstrap: Value = serde_json::from_str(BOOTSTRAP).unwrap();
    let keys: Vec<[u8; 48]> = bootstrap["data"]["current_sync_committee"]["pubkeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            hex::decode(k.as_str().unwrap().trim_start_matches("0x"))
                .unwrap()
                .try_into()
                .unwrap()
        })
        .collect();
    SyncCommitteeKeys::decode(&keys, KeyCheck::Full).unwrap()
}

fn first_update() -> (Vec<bool>, [u8; 32], [u8; 96]) {
    let updates: Value = serde_json::from_str(UPDATES).unwrap();
    let data = &updates[0]["data"];
    let bits_hex = data["sync_aggregate"]["sync_committee_bits"]
        .as_str()
        .unwrap();
    let bits_bytes = hex::decode(bits_hex.trim_start_matches("0x")).unwrap();
    let bits = (0..512)
        .map(|i| (bits_bytes[i / 8] >> (i % 8)) & 1 == 1)
        .collect();
    let sig_hex = data["sync_aggregate"]["sync_committee_signature"]
        .as_str()
        .unwrap();
    let sig: [u8; 96] = hex::decode(sig_hex.trim_start_matches("0x"))
        .unwrap()
        .try_into()
        .unwrap();
    (bits, signing_root(&data["attested_header"]["beacon"]), sig)
}

#[wasm_bindgen_test]
fn real_mainnet_sync_aggregate_verifies_in_wasm() {
    let (bits, root, sig) = first_update();
    committee()
        .fast_aggregate_verify(&bits, &root, &sig)
        .unwrap();
}

#[wasm_bindgen_test]
fn tampered_signing_root_is_rejected_in_wasm() {
    let (bits, mut root, sig) = first_update();
    root[0] ^= 1;
    assert!(
        committee()
            .fast_aggregate_verify(&bits, &root, &sig)
            .is_err()
    );
}

mod light_client {
    //! The beacon light client syncs real mainnet data inside wasm.
    use preconf_light::beacon::{
        LightClient, Network, bootstrap_from_json, finality_update_from_json, updates_from_json,
    };
    use wasm_bindgen_test::wasm_bindgen_test;

    const BOOTSTRAP: &str = include_str!("fixtures/mainnet/helios/capella-lc/bootstrap.json");
    const UPDATES: &str = include_str!("fixtures/mainnet/helios/capella-lc/updates.json");
    const FINALITY: &str = include_str!("fixtures/mainnet/helios/capella-lc/finality.json");
    const CAPELLA_ROOT: &str = "0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275";

    fn at(slot: u64) -> u64 {
        Network::mainnet().time_at_slot(slot)
    }

    #[wasm_bindgen_test]
    fn capella_syncs_to_the_helios_head_in_wasm() {
        let bootstrap = bootstrap_from_json::<512>(BOOTSTRAP).unwrap();
        let mut client: LightClient = LightClient::from_bootstrap(
            Network::mainnet(),
            CAPELLA_ROOT.parse().unwrap(),
            &bootstrap.data,
        )
        .unwrap();
        for u in updates_from_json::<512>(UPDATES).unwrap() {
            client
                .process_update(&u.data, at(u.data.signature_slot) + 1)
                .unwrap();
        }
        let fin = finality_update_from_json::<512>(FINALITY).unwrap();
        client
            .process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
            .unwrap();
        assert_eq!(
            client.optimistic().execution.unwrap().block_number,
            17_923_112
        );
        assert_eq!(client.finalized().slot, 7_109_344);
    }

    #[wasm_bindgen_test]
    fn a_replayed_update_is_not_relevant_in_wasm() {
        let bootstrap = bootstrap_from_json::<512>(BOOTSTRAP).unwrap();
        let mut client: LightClient = LightClient::from_bootstrap(
            Network::mainnet(),
            CAPELLA_ROOT.parse().unwrap(),
            &bootstrap.data,
        )
        .unwrap();
        let u = &updates_from_json::<512>(UPDATES).unwrap()[0];
        client
            .process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap();
        let err = client
            .process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap_err();
        assert_eq!(preconf_light::ErrorCode::code(&err), "NOT_RELEVANT");
    }
}

mod execution {
    //! Execution-layer proofs verify real mainnet data inside wasm.
    use alloy_primitives::{B256, b256};
    use preconf_light::execution::{verify_account_proof, verify_receipts};
    use wasm_bindgen_test::wasm_bindgen_test;

    const RECEIPTS: &str = include_str!("fixtures/mainnet/helios/el-cancun/receipts_21925176.json");
    const PROOF: &str =
        include_str!("fixtures/mainnet/helios/el-cancun/getproof_deposit_contract_21925176.json");
    const RECEIPTS_ROOT: B256 =
        b256!("0xf883e1a2fb8df9d1d988dec80f13c8aca724590ac357e45e30e0d48b1fbd64ee");
    const STATE_ROOT: B256 =
        b256!("0x7b3d5a01f69b7d2ea7479fd7ae35f4bac2700ab6d6d7b4807a7fedf53ced710e");

    #[wasm_bindgen_test]
    fn receipts_root_of_202_receipts_rebuilds_in_wasm() {
        let v: serde_json::Value = serde_json::from_str(RECEIPTS).unwrap();
        let receipts = verify_receipts(RECEIPTS_ROOT, &v).unwrap();
        assert_eq!(receipts.receipts.len(), 202);
        let mut wrong = RECEIPTS_ROOT;
        wrong.0[0] ^= 1;
        assert!(verify_receipts(wrong, &v).is_err());
    }

    #[wasm_bindgen_test]
    fn deposit_contract_proof_verifies_in_wasm() {
        let v: serde_json::Value = serde_json::from_str(PROOF).unwrap();
        let account = verify_account_proof(STATE_ROOT, &v).unwrap();
        assert!(account.exists);
        let mut wrong = STATE_ROOT;
        wrong.0[31] ^= 1;
        assert!(verify_account_proof(wrong, &v).is_err());
    }
}

/// Sequencer certificates (ECDSA, and BLS committees of 64 and 128 members)
/// verified in wasm by the engine, anchored on the real Capella light client.
mod rollup_certificates {
    use preconf_light::beacon::{
        LightClient, Network, bootstrap_from_json, finality_update_from_json, updates_from_json,
    };
    use preconf_light::confidence::Engine;
    use preconf_light::confidence::l1_adapter::{
        LightClientHead, anchor_from_genesis, from_light_client,
    };
    use preconf_light::rollup::{FeedMessage, RollupSetup};
    use serde_json::Value;
    use wasm_bindgen_test::wasm_bindgen_test;

    const CERTS: &str = include_str!("fixtures/rollup/certificates.json");
    const BOOTSTRAP: &str = include_str!("fixtures/mainnet/helios/capella-lc/bootstrap.json");
    const UPDATES: &str = include_str!("fixtures/mainnet/helios/capella-lc/updates.json");
    const FINALITY: &str = include_str!("fixtures/mainnet/helios/capella-lc/finality.json");
    const ROOT: &str = "0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275";

    fn client() -> LightClient {
        let net = Network::mainnet();
        let b = bootstrap_from_json::<512>(BOOTSTRAP).unwrap();
        let mut c =
            LightClient::from_bootstrap(net.clone(), ROOT.parse().unwrap(), &b.data).unwrap();
        for u in updates_from_json::<512>(UPDATES).unwrap() {
            c.process_update(&u.data, net.time_at_slot(u.data.signature_slot) + 1)
                .unwrap();
        }
        let f = finality_update_from_json::<512>(FINALITY).unwrap();
        c.process_finality_update(&f.data, f.fork, net.time_at_slot(7_109_431) + 1)
            .unwrap();
        c
    }

    fn check(client: &LightClient, case: &Value) {
        let setup = RollupSetup::from_json(&case["config"]).unwrap();
        let fin = from_light_client(client, LightClientHead::Finalized, &setup.config.l1).unwrap();
        let genesis = setup.genesis.clone().unwrap();
        let anchor = anchor_from_genesis(&setup.config, &fin, genesis).unwrap();
        let engine = Engine::new(setup, fin, anchor).unwrap();
        let msg = FeedMessage::from_json(&case["message"].to_string()).unwrap();
        let checked = engine.verify_l2_block(msg.clone()).unwrap();
        assert_eq!(
            format!("{:#x}", checked.hash),
            case["hash"].as_str().unwrap()
        );
        // A changed header no longer matches the certificate.
        let mut forged = msg;
        forged.block.header.gas_used += 1;
        assert!(engine.verify_l2_block(forged).is_err());
    }

    #[wasm_bindgen_test]
    fn ecdsa_and_bls_committee_certificates_verify_in_wasm() {
        let v: Value = serde_json::from_str(CERTS).unwrap();
        let c = client();
        for name in ["ecdsa", "bls64", "bls128"] {
            check(&c, &v["cases"][name]);
        }
    }
}

mod ssz_static {
    //! A few consensus-spec `ssz_static` cases (the native runner,
    //! `tests/ssz_static.rs`, runs all 1335) decoded, re-encoded and hashed
    //! inside wasm: one per container family, the largest ones included.
    use preconf_light::beacon::{
        ExecutionPayloadHeader, Fork, LightClientBootstrap, LightClientUpdate, SyncCommittee,
    };
    use preconf_light::execution::beacon_block::types::BeaconBlockBodyElectra;
    use preconf_light::ssz::{SszDecode, SszEncode, TreeHash};
    use wasm_bindgen_test::wasm_bindgen_test;

    macro_rules! case {
        ($path:literal) => {
            (
                include_bytes!(concat!(
                    "fixtures/ssz_static/",
                    $path,
                    "/serialized.ssz_snappy"
                ))
                .as_slice(),
                include_str!(concat!("fixtures/ssz_static/", $path, "/roots.yaml")),
            )
        };
    }

    fn open((snappy, roots): (&[u8], &str)) -> (Vec<u8>, alloy_primitives::B256) {
        let bytes = snap::raw::Decoder::new().decompress_vec(snappy).unwrap();
        let root = roots
            .trim()
            .trim_start_matches("root:")
            .trim()
            .trim_matches('\'');
        (bytes, root.parse().unwrap())
    }

    fn plain<T: SszDecode + SszEncode + TreeHash>(case: (&[u8], &str)) {
        let (bytes, root) = open(case);
        let v = T::from_ssz(&bytes).unwrap();
        assert_eq!(v.to_ssz(), bytes);
        assert_eq!(v.tree_hash_root(), root);
    }

    #[wasm_bindgen_test]
    fn ssz_static_cases_in_wasm() {
        plain::<SyncCommittee<512>>(case!("mainnet/deneb/SyncCommittee/ssz_random/case_0"));
        plain::<ExecutionPayloadHeader>(case!(
            "minimal/electra/ExecutionPayloadHeader/ssz_max/case_0"
        ));
        plain::<BeaconBlockBodyElectra>(case!("mainnet/fulu/BeaconBlockBody/ssz_random/case_0"));
        let (bytes, root) = open(case!("mainnet/electra/LightClientUpdate/ssz_random/case_0"));
        let u = LightClientUpdate::<512>::from_ssz_fork(&bytes, Fork::Electra).unwrap();
        assert_eq!(u.to_ssz_fork(Fork::Electra), bytes);
        assert_eq!(u.tree_hash_root_fork(Fork::Electra), root);
        let (bytes, root) = open(case!(
            "minimal/capella/LightClientBootstrap/ssz_lengthy/case_0"
        ));
        let b = LightClientBootstrap::<32>::from_ssz_fork(&bytes, Fork::Capella).unwrap();
        assert_eq!(b.to_ssz_fork(Fork::Capella), bytes);
        assert_eq!(b.tree_hash_root_fork(Fork::Capella), root);
    }
}
