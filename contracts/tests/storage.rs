//! The storage layout of docs/PROTOCOL.md section 5.3 against solc's own
//! report and against the words a late client proves (section 5.8), and the
//! committed artifacts against the ABI the Rust bindings were generated from.

mod common;

use alloy_primitives::{B256, U256};
use common::*;
use preconf_inbox::storage::{
    COMMIT_STATE_SLOT, COMMITTED_HEAD_SLOT, COUNTS_SLOT, CommitState, Counts, ForcedEntry,
    forced_entry_keys, slot_key,
};
use preconf_inbox::{STORAGE_LAYOUT_JSON, forced_request_calldata};

#[test]
fn solc_reports_the_layout_of_section_5_3() {
    let layout: serde_json::Value = serde_json::from_str(STORAGE_LAYOUT_JSON).expect("json");
    let entries: Vec<(String, String, u64)> = layout
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["label"].as_str().expect("label").to_owned(),
                e["slot"].as_str().expect("slot").to_owned(),
                e["offset"].as_u64().expect("offset"),
            )
        })
        .collect();
    // (label, slot, byte offset from the low-order end): bit offset / 8.
    let spec = [
        ("committedHead", "0", 0),
        ("committeeHash", "1", 0),
        ("committeeActivation", "2", 0),
        ("committedNumber", "3", 0),
        ("lastCommitSlot", "3", 8),
        ("headNth", "3", 16),
        ("forcedHead", "3", 20),
        ("forcedTail", "4", 0),
        ("committeeCount", "4", 8),
        ("committeeKeysHash", "5", 0),
        ("forcedQueue", "6", 0),
    ];
    let spec: Vec<(String, String, u64)> = spec
        .iter()
        .map(|(l, s, o)| ((*l).to_owned(), (*s).to_owned(), *o))
        .collect();
    assert_eq!(entries, spec);
    assert_eq!(COMMITTED_HEAD_SLOT, 0);
    assert_eq!(COMMIT_STATE_SLOT, 3);
    assert_eq!(COUNTS_SLOT, 4);
}

#[test]
fn a_late_client_reads_the_whole_derivation_state_from_storage() {
    // Section 5.8: after commitments and requests, the words decode to the
    // state a client that followed every log holds.
    let g = genesis();
    let mut r = Rollup::ecdsa(2);
    let s = DEPLOY_SLOT + 1;
    r.l1.enter_slot(s);
    let inbox = r.inbox;
    for i in 0..3u8 {
        let t = vec![0x02; 40 + usize::from(i)];
        r.l1.call(inbox, forced_request_calldata(&t)).expect_ok();
    }
    let a = child(&g, SEQ, s);
    let b = child(&a, SEQ, s);
    let blocks = vec![r.block(a), r.block(b.clone())];
    r.commit(blocks).expect_ok();
    let word = |k: B256| r.sload(k);
    assert_eq!(B256::from(word(slot_key(COMMITTED_HEAD_SLOT))), b.hash());
    assert_eq!(
        CommitState::decode(word(slot_key(COMMIT_STATE_SLOT))),
        CommitState {
            committed_number: 2,
            last_commit_slot: s,
            head_nth: 2,
            forced_head: 0,
        }
    );
    let counts = Counts::decode(word(slot_key(COUNTS_SLOT)));
    assert_eq!(counts.forced_tail, 3);
    assert_eq!(counts.committee_count, 0);
    for i in 0..3u64 {
        let (k0, k1) = forced_entry_keys(i);
        let e = ForcedEntry::decode(word(k0), word(k1));
        assert_eq!(
            e.tx_hash,
            alloy_primitives::keccak256(vec![0x02; 40 + i as usize])
        );
        assert_eq!((e.deadline_slot, e.request_slot), (s + FORCED_WINDOW, s));
    }
    // The packing is the spec's: bits 0-63, 64-127, 128-159, 160-223.
    let w = word(slot_key(COMMIT_STATE_SLOT));
    assert_eq!(
        w,
        U256::from(2) | U256::from(s) << 64 | U256::from(2) << 128
    );
}

#[test]
fn committed_artifacts_are_consistent() {
    // The creation code decodes and deploys to code of the runtime's length.
    let code = preconf_inbox::creation_code();
    assert!(!code.is_empty());
    let runtime = hex::decode(preconf_inbox::RUNTIME_CODE_HEX.trim()).expect("hex");
    let r = Rollup::ecdsa(0);
    assert_eq!(r.l1.code(r.inbox).len(), runtime.len());
    assert!(runtime.len() <= 24_576, "EIP-170 code size limit");
    // The ABI file parses and has every error the bindings name.
    let abi: serde_json::Value = serde_json::from_str(preconf_inbox::ABI_JSON).expect("json");
    let errors = abi
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["type"] == "error")
        .count();
    assert_eq!(errors, 47);
}

#[test]
fn every_named_refusal_has_a_test() {
    // Section 5.2.3: each custom error of Errors.sol is expected by name
    // somewhere in these tests.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let errors = std::fs::read_to_string(dir.join("sol/Errors.sol")).expect("Errors.sol");
    let names: Vec<&str> = errors
        .lines()
        .filter_map(|l| l.strip_prefix("error "))
        .filter_map(|l| l.split('(').next())
        .collect();
    assert!(names.len() >= 40, "{names:?}");
    let mut tests = String::new();
    for entry in std::fs::read_dir(dir.join("tests")).expect("tests") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            tests.push_str(&std::fs::read_to_string(path).expect("test file"));
        }
    }
    let untested: Vec<&&str> = names
        .iter()
        .filter(|n| !tests.contains(&format!("\"{n}\"")))
        .collect();
    assert!(untested.is_empty(), "errors without a test: {untested:?}");
}
