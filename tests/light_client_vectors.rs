//! Runs the official consensus-spec light-client vectors (v1.6.1) in
//! `tests/fixtures/light_client_vectors`: every `sync` and `update_ranking`
//! case of every fork and preset, and every `single_merkle_proof` case.
//! Fails if any vector file goes unread or a case is skipped without a
//! listed reason.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use alloy_primitives::B256;
use common::vectors::{ReadTracker, config_network, parse_b256, snappy_file};
use preconf_light::beacon::{
    Fork, LightClient, LightClientBootstrap, LightClientStore, LightClientUpdate, Network,
    execution_root, is_better_update,
};

const ROOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/light_client_vectors"
);

/// Kinds skipped on purpose, with the reason.
const SKIPPED_KINDS: &[(&str, &str)] = &[(
    "data_collection",
    "tests the light-client *server* (deriving bootstraps and updates from full blocks and states); this crate is a client",
)];

fn fork_dir(name: &str) -> Fork {
    Fork::from_name(name).unwrap()
}

fn yaml(tracker: &mut ReadTracker, path: &Path) -> serde_yaml::Value {
    serde_yaml::from_str(&tracker.read_string(path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check_header<const S: usize>(
    client: &LightClient<S>,
    which: &str,
    checks: &serde_yaml::Value,
    case: &Path,
    step: usize,
) {
    let Some(expected) = checks.get(which) else {
        return;
    };
    let header = match which {
        "finalized_header" => client.store().finalized_header(),
        _ => client.store().optimistic_header(),
    };
    let slot = expected["slot"].as_u64().unwrap();
    assert_eq!(
        header.beacon.slot,
        slot,
        "{} step {step}: {which} slot",
        case.display()
    );
    let root = parse_b256(expected["beacon_root"].as_str().unwrap());
    assert_eq!(
        header.beacon_root(),
        root,
        "{} step {step}: {which} root",
        case.display()
    );
    if let Some(exec) = expected.get("execution_root") {
        let exec = parse_b256(exec.as_str().unwrap());
        assert_eq!(
            execution_root(client.network(), header),
            exec,
            "{} step {step}: {which} execution root",
            case.display()
        );
    }
}

fn run_sync<const S: usize>(
    tracker: &mut ReadTracker,
    case: &Path,
    with_best: &mut usize,
) -> usize {
    let network = config_network(tracker, &case.join("config.yaml"), S);
    let meta = yaml(tracker, &case.join("meta.yaml"));
    let gvr = parse_b256(meta["genesis_validators_root"].as_str().unwrap());
    assert_eq!(gvr, network.genesis_validators_root());
    let digest = |v: &serde_yaml::Value| -> [u8; 4] {
        let b = hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap();
        b.try_into().unwrap()
    };
    let boot_fork = network
        .fork_for_digest(digest(&meta["bootstrap_fork_digest"]))
        .unwrap();
    network
        .fork_for_digest(digest(&meta["store_fork_digest"]))
        .unwrap();
    let trusted = parse_b256(meta["trusted_block_root"].as_str().unwrap());
    let bootstrap = LightClientBootstrap::<S>::from_ssz_fork(
        &snappy_file(tracker, &case.join("bootstrap.ssz_snappy")),
        boot_fork,
    )
    .unwrap();
    let mut client = LightClient::<S>::from_bootstrap(network.clone(), trusted, &bootstrap)
        .unwrap_or_else(|e| panic!("{}: bootstrap: {e}", case.display()));
    let steps = yaml(tracker, &case.join("steps.yaml"));
    let mut count = 0;
    for (i, step) in steps.as_sequence().unwrap().iter().enumerate() {
        let (kind, body) = step.as_mapping().unwrap().iter().next().unwrap();
        match kind.as_str().unwrap() {
            "process_update" => {
                let fork = network
                    .fork_for_digest(digest(&body["update_fork_digest"]))
                    .unwrap();
                let name = body["update"].as_str().unwrap().trim();
                let bytes = snappy_file(tracker, &case.join(format!("{name}.ssz_snappy")));
                let update = LightClientUpdate::<S>::from_ssz_fork(&bytes, fork).unwrap();
                let slot = body["current_slot"].as_u64().unwrap();
                client
                    .process_update_at_slot(&update, slot)
                    .unwrap_or_else(|e| panic!("{} step {i}: {e}", case.display()));
            }
            "force_update" => {
                let slot = body["current_slot"].as_u64().unwrap();
                // The spec's force update is a no-op when not due.
                let due = client.store().force_update_due(&network, slot);
                // The clock-based query the application polls agrees.
                assert_eq!(client.force_update_due(network.time_at_slot(slot)), due);
                match client.force_update_at_slot(slot) {
                    Ok(_) => assert!(due),
                    Err(e) => assert!(!due, "{} step {i}: {e}", case.display()),
                }
            }
            "upgrade_store" => {
                network
                    .fork_for_digest(digest(&body["store_fork_digest"]))
                    .unwrap();
            }
            other => panic!("{}: unknown step {other}", case.display()),
        }
        check_header(&client, "finalized_header", &body["checks"], case, i);
        check_header(&client, "optimistic_header", &body["checks"], case, i);
        // Persistence: every step continues from a restored copy.
        let bytes = client.to_bytes();
        let restored = LightClient::<S>::from_bytes(network.clone(), &bytes).unwrap();
        assert_eq!(restored.to_bytes(), bytes);
        assert_eq!(
            restored.store().best_valid_update(),
            client.store().best_valid_update()
        );
        if client.store().best_valid_update().is_some() {
            *with_best += 1;
        }
        client = restored;
        count += 1;
    }
    assert!(count > 0);
    count
}

fn run_ranking<const S: usize>(
    tracker: &mut ReadTracker,
    case: &Path,
    fork: Fork,
    network: &Network,
) {
    let meta = yaml(tracker, &case.join("meta.yaml"));
    let n = meta["updates_count"].as_u64().unwrap() as usize;
    let updates: Vec<LightClientUpdate<S>> = (0..n)
        .map(|i| {
            let bytes = snappy_file(tracker, &case.join(format!("updates_{i}.ssz_snappy")));
            LightClientUpdate::from_ssz_fork(&bytes, fork).unwrap()
        })
        .collect();
    // Sorted best first: no later update may rank above an earlier one.
    for i in 0..n {
        for j in i + 1..n {
            assert!(
                !is_better_update(network, &updates[j], &updates[i]),
                "{}: updates_{j} ranks above updates_{i}",
                case.display()
            );
        }
    }
}

fn list_dirs(p: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

#[test]
fn light_client_vectors() {
    let mut tracker = ReadTracker::default();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipped_files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut with_best = 0usize;
    for preset_dir in list_dirs(Path::new(ROOT)) {
        let preset = preset_dir
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        if preset.starts_with('_') {
            continue;
        }
        let size = if preset == "minimal" { 32 } else { 512 };
        let preset_config = PathBuf::from(ROOT).join(format!("_spec_config/configs/{preset}.yaml"));
        let preset_network = config_network(&mut tracker, &preset_config, size);
        for fork_path in list_dirs(&preset_dir) {
            let fork = fork_dir(fork_path.file_name().unwrap().to_str().unwrap());
            for kind_path in list_dirs(&fork_path) {
                let kind = kind_path.file_name().unwrap().to_str().unwrap().to_string();
                if let Some((_, _reason)) = SKIPPED_KINDS.iter().find(|(k, _)| *k == kind) {
                    for case in list_dirs(&kind_path.join("pyspec_tests")) {
                        *skipped.entry(kind.clone()).or_default() += 1;
                        for f in std::fs::read_dir(&case).unwrap() {
                            skipped_files.insert(f.unwrap().path());
                        }
                    }
                    continue;
                }
                match kind.as_str() {
                    "sync" => {
                        for case in list_dirs(&kind_path.join("pyspec_tests")) {
                            let steps = match size {
                                32 => run_sync::<32>(&mut tracker, &case, &mut with_best),
                                _ => run_sync::<512>(&mut tracker, &case, &mut with_best),
                            };
                            *counts.entry("sync".into()).or_default() += 1;
                            *counts.entry("sync steps".into()).or_default() += steps;
                        }
                    }
                    "update_ranking" => {
                        for case in list_dirs(&kind_path.join("pyspec_tests")) {
                            match size {
                                32 => run_ranking::<32>(&mut tracker, &case, fork, &preset_network),
                                _ => run_ranking::<512>(&mut tracker, &case, fork, &preset_network),
                            }
                            *counts.entry("update_ranking".into()).or_default() += 1;
                        }
                    }
                    "single_merkle_proof" => {
                        for type_dir in list_dirs(&kind_path) {
                            let ty = type_dir.file_name().unwrap().to_str().unwrap().to_string();
                            for case in list_dirs(&type_dir) {
                                common::schema::run_merkle_proof_case(
                                    &mut tracker,
                                    &case,
                                    &ty,
                                    fork,
                                    &preset,
                                );
                                *counts.entry("single_merkle_proof".into()).or_default() += 1;
                            }
                        }
                    }
                    other => panic!("unknown vector kind {other} in {}", fork_path.display()),
                }
            }
        }
    }
    println!("{with_best} sync steps persisted and restored a store holding a best_valid_update");
    assert!(with_best > 0);
    for (kind, n) in &counts {
        println!("ran {n} {kind}");
    }
    for (kind, n) in &skipped {
        let reason = SKIPPED_KINDS
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, r)| *r)
            .unwrap_or("");
        println!("skipped {n} {kind} cases: {reason}");
    }
    // Every vector file must have been read or belong to a listed skip.
    let mut unread = Vec::new();
    common::vectors::walk(Path::new(ROOT), &mut |p| {
        let rel = p.strip_prefix(ROOT).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap()
            .to_string();
        if top == "PROVENANCE.md" || top == "SHA256SUMS" {
            return;
        }
        if !tracker.was_read(p) && !skipped_files.contains(p) {
            unread.push(p.to_path_buf());
        }
    });
    assert!(
        unread.is_empty(),
        "{} vector files unread, e.g. {:?}",
        unread.len(),
        &unread[..unread.len().min(5)]
    );
    assert!(counts.get("sync").copied().unwrap_or(0) >= 30);
    assert!(counts.get("update_ranking").copied().unwrap_or(0) >= 6);
    assert!(counts.get("single_merkle_proof").copied().unwrap_or(0) >= 20);
    let _ = (LightClientStore::<32>::finalized_header, B256::ZERO);
}
