//! Runs the consensus spec's `ssz_static` vectors (v1.6.1, copied into
//! `tests/fixtures/ssz_static`, PROVENANCE.md there) for every container type
//! the client decodes: each case is decoded with the client's own type for
//! that fork and preset, re-encoded (must give the same bytes) and hashed
//! (must give `roots.yaml`). Fails if any fixture file goes unread, if a copied
//! type has no decoder here, or if a type listed here has no cases.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use alloy_primitives::B256;
use common::vectors::{ReadTracker, parse_b256, snappy_file, walk};
use preconf_light::beacon::{
    BeaconBlockHeader, ExecutionPayloadHeader, ExecutionPayloadHeaderCapella, Fork, ForkData,
    LightClientBootstrap, LightClientFinalityUpdate, LightClientHeader,
    LightClientOptimisticUpdate, LightClientUpdate, SigningData, SyncAggregate, SyncCommittee,
};
use preconf_light::execution::beacon_block::types::{
    Attestation, AttestationElectra, BeaconBlockBodyBellatrix, BeaconBlockBodyCapella,
    BeaconBlockBodyDeneb, BeaconBlockBodyElectra, ExecutionPayloadBellatrix,
    ExecutionPayloadCapella, ExecutionPayloadDeneb, ExecutionRequests, PayloadWithdrawal,
};
use preconf_light::ssz::{SszDecode, SszEncode, TreeHash};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ssz_static");

/// Decodes, re-encodes and hashes one case; `Err` names what went wrong.
type Check = fn(&[u8]) -> Result<(Vec<u8>, B256), String>;

fn plain<T: SszDecode + SszEncode + TreeHash>(bytes: &[u8]) -> Result<(Vec<u8>, B256), String> {
    let v = T::from_ssz(bytes).map_err(|e| e.to_string())?;
    Ok((v.to_ssz(), v.tree_hash_root()))
}

/// The light-client containers: decoded, encoded and hashed in `$fork`'s form.
macro_rules! lc_checks {
    ($fork:expr, $s:literal) => {{
        const F: Fork = $fork;
        let header: Check = |b| {
            let v = LightClientHeader::from_ssz_fork(b, F).map_err(|e| e.to_string())?;
            Ok((v.to_ssz_fork(F), v.tree_hash_root_fork(F)))
        };
        let bootstrap: Check = |b| {
            let v = LightClientBootstrap::<$s>::from_ssz_fork(b, F).map_err(|e| e.to_string())?;
            Ok((v.to_ssz_fork(F), v.tree_hash_root_fork(F)))
        };
        let update: Check = |b| {
            let v = LightClientUpdate::<$s>::from_ssz_fork(b, F).map_err(|e| e.to_string())?;
            Ok((v.to_ssz_fork(F), v.tree_hash_root_fork(F)))
        };
        let finality: Check = |b| {
            let v =
                LightClientFinalityUpdate::<$s>::from_ssz_fork(b, F).map_err(|e| e.to_string())?;
            Ok((v.to_ssz_fork(F), v.tree_hash_root_fork(F)))
        };
        let optimistic: Check = |b| {
            let v = LightClientOptimisticUpdate::<$s>::from_ssz_fork(b, F)
                .map_err(|e| e.to_string())?;
            Ok((v.to_ssz_fork(F), v.tree_hash_root_fork(F)))
        };
        [
            ("LightClientHeader", header),
            ("LightClientBootstrap", bootstrap),
            ("LightClientUpdate", update),
            ("LightClientFinalityUpdate", finality),
            ("LightClientOptimisticUpdate", optimistic),
        ]
    }};
}

fn lc_for(fork: Fork, mainnet: bool) -> [(&'static str, Check); 5] {
    match (fork, mainnet) {
        (Fork::Altair, false) => lc_checks!(Fork::Altair, 32),
        (Fork::Bellatrix, false) => lc_checks!(Fork::Bellatrix, 32),
        (Fork::Capella, false) => lc_checks!(Fork::Capella, 32),
        (Fork::Deneb, false) => lc_checks!(Fork::Deneb, 32),
        (Fork::Electra, false) => lc_checks!(Fork::Electra, 32),
        (Fork::Fulu, false) => lc_checks!(Fork::Fulu, 32),
        (Fork::Altair, true) => lc_checks!(Fork::Altair, 512),
        (Fork::Bellatrix, true) => lc_checks!(Fork::Bellatrix, 512),
        (Fork::Capella, true) => lc_checks!(Fork::Capella, 512),
        (Fork::Deneb, true) => lc_checks!(Fork::Deneb, 512),
        (Fork::Electra, true) => lc_checks!(Fork::Electra, 512),
        (Fork::Fulu, true) => lc_checks!(Fork::Fulu, 512),
        (Fork::Phase0, _) => panic!("no light-client containers in phase0"),
    }
}

/// The client's decoder for every (preset, fork, type) it uses. Types and
/// combinations left out (and not copied) are listed with the reason in the
/// fixtures' PROVENANCE.md.
fn checks() -> BTreeMap<(String, String, String), Check> {
    let mut m: BTreeMap<(String, String, String), Check> = BTreeMap::new();
    let forks = [
        Fork::Altair,
        Fork::Bellatrix,
        Fork::Capella,
        Fork::Deneb,
        Fork::Electra,
        Fork::Fulu,
    ];
    for mainnet in [false, true] {
        let preset = if mainnet { "mainnet" } else { "minimal" };
        for fork in forks {
            let mut add = |t: &str, c: Check| {
                m.insert((preset.into(), fork.name().into(), t.into()), c);
            };
            add("BeaconBlockHeader", plain::<BeaconBlockHeader>);
            add("SigningData", plain::<SigningData>);
            add("ForkData", plain::<ForkData>);
            if mainnet {
                add("SyncCommittee", plain::<SyncCommittee<512>>);
                add("SyncAggregate", plain::<SyncAggregate<512>>);
            } else {
                add("SyncCommittee", plain::<SyncCommittee<32>>);
                add("SyncAggregate", plain::<SyncAggregate<32>>);
            }
            for (t, c) in lc_for(fork, mainnet) {
                add(t, c);
            }
            if fork == Fork::Capella {
                add(
                    "ExecutionPayloadHeader",
                    plain::<ExecutionPayloadHeaderCapella>,
                );
            }
            if fork >= Fork::Deneb {
                add("ExecutionPayloadHeader", plain::<ExecutionPayloadHeader>);
            }
            if fork >= Fork::Capella {
                add("Withdrawal", plain::<PayloadWithdrawal>);
            }
            // Attestation and ExecutionPayload before Capella do not depend on the preset.
            if (Fork::Bellatrix..=Fork::Deneb).contains(&fork) {
                add("Attestation", plain::<Attestation>);
            }
            if fork == Fork::Bellatrix {
                add("ExecutionPayload", plain::<ExecutionPayloadBellatrix>);
            }
            if !mainnet || fork < Fork::Bellatrix {
                continue;
            }
            // The block decoder holds the mainnet preset's limits.
            match fork {
                Fork::Bellatrix => add("BeaconBlockBody", plain::<BeaconBlockBodyBellatrix>),
                Fork::Capella => {
                    add("BeaconBlockBody", plain::<BeaconBlockBodyCapella>);
                    add("ExecutionPayload", plain::<ExecutionPayloadCapella>);
                }
                Fork::Deneb => {
                    add("BeaconBlockBody", plain::<BeaconBlockBodyDeneb>);
                    add("ExecutionPayload", plain::<ExecutionPayloadDeneb>);
                }
                _ => {
                    add("BeaconBlockBody", plain::<BeaconBlockBodyElectra>);
                    add("ExecutionPayload", plain::<ExecutionPayloadDeneb>);
                    add("Attestation", plain::<AttestationElectra>);
                    add("ExecutionRequests", plain::<ExecutionRequests>);
                }
            }
        }
    }
    m
}

#[test]
fn ssz_static_vectors_decode_reencode_and_hash() {
    let checks = checks();
    let mut tracker = ReadTracker::default();
    let mut cases: BTreeSet<PathBuf> = BTreeSet::new();
    let mut all_files: Vec<PathBuf> = Vec::new();
    walk(Path::new(ROOT), &mut |p| {
        all_files.push(p.to_path_buf());
        if p.file_name().is_some_and(|n| n == "roots.yaml") {
            cases.insert(p.parent().unwrap().to_path_buf());
        }
    });
    let mut per_type: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        // <preset>/<fork>/<Type>/<suite>/<case>
        let rel = case.strip_prefix(ROOT).unwrap();
        let parts: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let key = (parts[0].clone(), parts[1].clone(), parts[2].clone());
        let check = checks
            .get(&key)
            .unwrap_or_else(|| panic!("{}: no decoder for {key:?}", case.display()));
        let bytes = snappy_file(&mut tracker, &case.join("serialized.ssz_snappy"));
        let roots = tracker.read_string(&case.join("roots.yaml"));
        let expected = parse_b256(
            roots
                .trim()
                .strip_prefix("root:")
                .unwrap_or_else(|| panic!("{}: roots.yaml", case.display()))
                .trim()
                .trim_matches('\''),
        );
        match check(&bytes) {
            Ok((encoded, root)) => {
                if encoded != bytes {
                    failures.push(format!("{}: re-encoding differs", rel.display()));
                }
                if root != expected {
                    failures.push(format!("{}: root {root} != {expected}", rel.display()));
                }
            }
            Err(e) => failures.push(format!("{}: decode: {e}", rel.display())),
        }
        *per_type.entry(key).or_default() += 1;
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let unread: Vec<_> = all_files
        .iter()
        .filter(|p| {
            !tracker.was_read(p)
                && p.file_name()
                    .is_some_and(|n| n != "PROVENANCE.md" && n != "SHA256SUMS")
        })
        .collect();
    assert!(unread.is_empty(), "unread fixture files: {unread:?}");
    let untested: Vec<_> = checks
        .keys()
        .filter(|k| !per_type.contains_key(*k))
        .collect();
    assert!(untested.is_empty(), "types without cases: {untested:?}");
    // 1335 cases of 157 (preset, fork, type) combinations (PROVENANCE.md).
    assert_eq!(per_type.len(), 157);
    assert_eq!(cases.len(), 1335);
}
