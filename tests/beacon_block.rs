//! Beacon block → execution payload on real mainnet data: the Capella blocks
//! 7109430 (attested slot of `finality.json`) and 7109344 (its finalized
//! slot) checked against headers the light client verified from
//! `bootstrap.json`. See tests/fixtures/mainnet/PROVENANCE.md.

mod common;

use alloy_primitives::{B256, b256};
use common::mainnet::*;
use preconf_light::beacon::{Fork, LightClient, Network};
use preconf_light::execution::beacon_block::{SignedBeaconBlock, payload_fork};
use preconf_light::execution::{ExecutionError, verify_beacon_block};
use preconf_light::{ErrorCode, Verified};
use serde_json::Value;

const ATTESTED: u64 = 7_109_430;
const FINALIZED: u64 = 7_109_344;
const SSZ_FIXTURE: &str = "helios/capella-lc/beacon_block_7109344.ssz";

/// The Capella client after the six period updates and the finality update.
fn synced_client() -> LightClient {
    let mut client = capella_client();
    for u in updates("helios/capella-lc/updates.json") {
        client
            .process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap();
    }
    let fin = finality("helios/capella-lc/finality.json");
    client
        .process_finality_update(&fin.data, fin.fork, at(ATTESTED + 1) + 1)
        .unwrap();
    assert_eq!(client.optimistic().slot, ATTESTED);
    assert_eq!(client.finalized().slot, FINALIZED);
    client
}

/// The client's verified header at `slot` (its finalized or optimistic header).
fn verified_header(
    client: &LightClient,
    slot: u64,
) -> Verified<preconf_light::beacon::BeaconBlockHeader> {
    let store = client.store();
    let header = [store.finalized_header(), store.optimistic_header()]
        .into_iter()
        .find(|h| h.beacon.slot == slot)
        .unwrap()
        .beacon
        .clone();
    client.verify_ancestor(&[header]).unwrap()
}

fn block_json(slot: u64) -> Value {
    serde_json::from_str(&text(&format!(
        "helios/capella-lc/beacon_block_{slot}.json"
    )))
    .unwrap()
}

fn block(slot: u64) -> SignedBeaconBlock {
    SignedBeaconBlock::from_json(&block_json(slot), None).unwrap()
}

fn code<T>(r: Result<T, ExecutionError>) -> &'static str {
    r.map_or_else(|e| e.code(), |_| "OK")
}

#[test]
fn capella_blocks_match_the_verified_headers_and_give_their_payloads() {
    let client = synced_client();
    let net = Network::mainnet();
    for (slot, number, hash, summary) in [
        (ATTESTED, 17_923_112, None, client.optimistic()),
        (
            FINALIZED,
            17_923_026,
            Some(b256!(
                "0xbc8499537876e5406c7a65e25f99063f1cd85a17014a3aa5ade38271b1fbf64f"
            )),
            client.finalized(),
        ),
    ] {
        let header = verified_header(&client, slot);
        let b = block(slot);
        assert_eq!(b.fork, Fork::Capella);
        assert_eq!(b.body_root(), header.body_root, "slot {slot}");
        assert_eq!(b.block_root(), summary.beacon_root);
        let v = verify_beacon_block(&net, &header, &b).unwrap();
        let exec = summary.execution.unwrap();
        assert_eq!(v.slot, slot);
        assert_eq!(v.block_root, summary.beacon_root);
        assert_eq!(v.execution.header.number, number);
        assert_eq!(v.execution.hash, exec.block_hash);
        assert_eq!(v.execution.header.state_root, exec.state_root);
        assert_eq!(v.execution.header.receipts_root, exec.receipts_root);
        assert_eq!(v.execution.header.timestamp, exec.timestamp);
        assert!(v.execution.withdrawals_checked);
        assert_eq!(v.blob_commitments, 0);
        if let Some(hash) = hash {
            assert_eq!(v.execution.hash, hash);
            assert_eq!(
                v.execution.transaction_hashes.as_ref().map(Vec::len),
                Some(167)
            );
        }
    }
}

/// The SSZ form, produced by our encoder from the JSON, decodes back to the
/// same block and hashes to the body root the light client verified.
#[test]
fn ssz_encoding_of_the_json_block_hashes_to_the_verified_body_root() {
    let client = synced_client();
    for slot in [ATTESTED, FINALIZED] {
        let header = verified_header(&client, slot);
        let b = block(slot);
        let ssz = b.to_ssz();
        let decoded = SignedBeaconBlock::from_ssz(&ssz, Fork::Capella).unwrap();
        assert_eq!(decoded, b);
        assert_eq!(decoded.body_root(), header.body_root);
        assert_eq!(decoded.to_ssz(), ssz);
        verify_beacon_block(&Network::mainnet(), &header, &decoded).unwrap();
    }
    // The stored SSZ fixture (used by the JS test and the bench) is exactly
    // this encoding.
    let stored = std::fs::read(format!("{MAINNET_DIR}/{SSZ_FIXTURE}")).unwrap();
    assert_eq!(stored, block(FINALIZED).to_ssz());
}

/// Writes the SSZ fixture; run once with `--ignored` after changing the JSON.
#[test]
#[ignore = "regenerates tests/fixtures/mainnet/helios/capella-lc/beacon_block_7109344.ssz"]
fn write_ssz_fixture() {
    std::fs::write(
        format!("{MAINNET_DIR}/{SSZ_FIXTURE}"),
        block(FINALIZED).to_ssz(),
    )
    .unwrap();
}

/// Block 7109430 reached through a header chain: after the optimistic update
/// the client's head is 7109431, whose parent is 7109430.
#[test]
fn a_block_verified_through_the_header_chain() {
    let mut client = synced_client();
    let opt = optimistic("helios/capella-lc/optimistic.json");
    client
        .process_optimistic_update(&opt.data, opt.fork, at(ATTESTED + 2) + 1)
        .unwrap();
    let head = client.store().optimistic_header().beacon.clone();
    assert_eq!(head.slot, ATTESTED + 1);
    let b = block(ATTESTED);
    let header = client.verify_ancestor(&[b.header(), head.clone()]).unwrap();
    let v = verify_beacon_block(&Network::mainnet(), &header, &b).unwrap();
    assert_eq!(v.execution.header.number, 17_923_112);
    // A body changed by one byte gives another header, which the chain rejects.
    let mut forged = b.header();
    forged.body_root = B256::repeat_byte(1);
    assert_eq!(
        client.verify_ancestor(&[forged, head]).unwrap_err().code(),
        "INVALID_HEADER_CHAIN"
    );
}

/// Applies `edit` to the JSON of block `slot` and checks it against the
/// verified header of `header_slot`.
fn check_edited(
    client: &LightClient,
    slot: u64,
    header_slot: u64,
    edit: impl FnOnce(&mut Value),
) -> Result<(), ExecutionError> {
    let mut v = block_json(slot);
    edit(&mut v);
    let b = SignedBeaconBlock::from_json(&v, None)?;
    verify_beacon_block(
        &Network::mainnet(),
        &verified_header(client, header_slot),
        &b,
    )
    .map(|_| ())
}

/// A change to a block's JSON.
type Edit<'a> = Box<dyn FnOnce(&mut Value) + 'a>;

#[test]
fn every_changed_field_is_rejected_with_its_typed_error() {
    let client = synced_client();
    let body = "/data/message/body";
    let set =
        |pointer: String, new: Value| move |v: &mut Value| *v.pointer_mut(&pointer).unwrap() = new;
    // A flipped byte inside a transaction.
    let flip_tx = |v: &mut Value| {
        let tx = v
            .pointer_mut(&format!("{body}/execution_payload/transactions/5"))
            .unwrap();
        let mut s = tx.as_str().unwrap().to_owned();
        let last = if s.ends_with('0') { "1" } else { "0" };
        s.replace_range(s.len() - 1.., last);
        *tx = Value::from(s);
    };
    let cases: Vec<(&str, Edit<'_>, &str)> = vec![
        (
            "flipped transaction byte",
            Box::new(flip_tx),
            "BODY_ROOT_MISMATCH",
        ),
        (
            "payload gas_used",
            Box::new(set(
                format!("{body}/execution_payload/gas_used"),
                "1".into(),
            )),
            "BODY_ROOT_MISMATCH",
        ),
        (
            "payload block_hash",
            Box::new(set(
                format!("{body}/execution_payload/block_hash"),
                format!("{:#x}", B256::repeat_byte(7)).into(),
            )),
            "BODY_ROOT_MISMATCH",
        ),
        (
            "graffiti (not in the payload)",
            Box::new(set(
                format!("{body}/graffiti"),
                format!("{:#x}", B256::repeat_byte(1)).into(),
            )),
            "BODY_ROOT_MISMATCH",
        ),
        (
            "an attestation's slot",
            Box::new(set(format!("{body}/attestations/0/data/slot"), "1".into())),
            "BODY_ROOT_MISMATCH",
        ),
        (
            "proposer_index",
            Box::new(set("/data/message/proposer_index".into(), "1".into())),
            "BEACON_HEADER_MISMATCH",
        ),
        (
            "state_root",
            Box::new(set(
                "/data/message/state_root".into(),
                format!("{:#x}", B256::ZERO).into(),
            )),
            "BEACON_HEADER_MISMATCH",
        ),
        (
            "version deneb",
            Box::new(set("/version".into(), "deneb".into())),
            "DECODE_ERROR",
        ),
        (
            "version altair",
            Box::new(set("/version".into(), "altair".into())),
            "WRONG_FORK",
        ),
        (
            "unknown version",
            Box::new(set("/version".into(), "gloas2".into())),
            "WRONG_FORK",
        ),
        (
            "withdrawal amount not decimal",
            Box::new(set(
                format!("{body}/execution_payload/withdrawals/0/amount"),
                "0x1".into(),
            )),
            "DECODE_ERROR",
        ),
    ];
    for (what, edit, expected) in cases {
        assert_eq!(
            code(check_edited(&client, FINALIZED, FINALIZED, edit)),
            expected,
            "{what}"
        );
    }
    // The body of another block against this header.
    let other = check_edited(&client, ATTESTED, FINALIZED, |_| {});
    assert!(matches!(
        other,
        Err(ExecutionError::BeaconHeaderMismatch { field: "slot" })
    ));
    // … even with its header fields made to match: the body root differs.
    let fin = block_json(FINALIZED);
    let other = check_edited(&client, ATTESTED, FINALIZED, |v| {
        for k in ["slot", "proposer_index", "parent_root", "state_root"] {
            v["data"]["message"][k] = fin["data"]["message"][k].clone();
        }
    });
    assert!(matches!(
        other,
        Err(ExecutionError::BodyRootMismatch { .. })
    ));
    // JSON error paths name the field.
    let err = check_edited(&client, FINALIZED, FINALIZED, |v| {
        v["data"]["message"]["body"]["execution_payload"]["withdrawals"][0]["amount"] = "x".into();
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("message.body.execution_payload.withdrawals[0].amount"),
        "{err}"
    );
}

#[test]
fn json_fork_argument_must_agree_with_version() {
    let v = block_json(FINALIZED);
    assert!(SignedBeaconBlock::from_json(&v, Some(Fork::Capella)).is_ok());
    assert_eq!(
        code(SignedBeaconBlock::from_json(&v, Some(Fork::Deneb))),
        "WRONG_FORK"
    );
    // The bare `data` object needs the fork from the caller.
    let bare = v["data"].clone();
    assert!(SignedBeaconBlock::from_json(&bare, Some(Fork::Capella)).is_ok());
    assert_eq!(
        code(SignedBeaconBlock::from_json(&bare, None)),
        "DECODE_ERROR"
    );
    assert_eq!(code(payload_fork("phase0")), "WRONG_FORK");
    assert_eq!(code(payload_fork("Fulu")), "OK");
}

#[test]
fn ssz_under_the_wrong_fork_or_truncated_is_a_typed_error() {
    let client = synced_client();
    let b = block(FINALIZED);
    let ssz = b.to_ssz();
    // Capella bytes named as another fork: the shape does not fit.
    for fork in [Fork::Bellatrix, Fork::Deneb, Fork::Electra, Fork::Fulu] {
        let err = SignedBeaconBlock::from_ssz(&ssz, fork).unwrap_err();
        assert_eq!(err.code(), "DECODE_ERROR", "{fork:?}: {err}");
    }
    for fork in [Fork::Phase0, Fork::Altair] {
        assert_eq!(code(SignedBeaconBlock::from_ssz(&ssz, fork)), "WRONG_FORK");
    }
    // A block that decodes but whose slot is of another fork.
    let mut deneb_named = b.clone();
    deneb_named.fork = Fork::Deneb;
    assert_eq!(
        code(verify_beacon_block(
            &Network::mainnet(),
            &verified_header(&client, FINALIZED),
            &deneb_named
        )),
        "WRONG_FORK"
    );
    // Truncations: every cut is a decode error, never a panic.
    for cut in (0..ssz.len()).step_by(997).chain([ssz.len() - 1]) {
        let err = SignedBeaconBlock::from_ssz(&ssz[..cut], Fork::Capella).unwrap_err();
        assert!(
            matches!(err, ExecutionError::BeaconSsz { .. }),
            "cut {cut}: {err}"
        );
    }
    // A cut inside the last transaction names the transactions list and its position.
    let err = SignedBeaconBlock::from_ssz(&ssz[..ssz.len() - 1], Fork::Capella).unwrap_err();
    let ExecutionError::BeaconSsz { path, at, .. } = &err else {
        panic!("{err}");
    };
    assert!(path.starts_with("message.body"), "{path}");
    assert!(*at > 100 && *at < ssz.len(), "{at}");
    // A corrupted offset of the body.
    let mut bad = ssz.clone();
    bad[100 + 80] ^= 0x01;
    let err = SignedBeaconBlock::from_ssz(&bad, Fork::Capella).unwrap_err();
    assert!(
        err.to_string().contains("message"),
        "{err} names the message"
    );
    // A flipped transaction byte decodes, but the body root differs.
    let mut flipped = ssz.clone();
    let n = flipped.len();
    flipped[n - 5000] ^= 0x01;
    let decoded = SignedBeaconBlock::from_ssz(&flipped, Fork::Capella).unwrap();
    assert_eq!(
        code(verify_beacon_block(
            &Network::mainnet(),
            &verified_header(&client, FINALIZED),
            &decoded
        )),
        "BODY_ROOT_MISMATCH"
    );
    assert_ne!(decoded.body_root(), b.body_root());
    assert_eq!(b.body_root(), b.body.tree_hash_root());
}

/// The fuzz entry points run on the real block, its truncations and noise
/// (feature `fuzzing`; `make test` runs with all features).
#[cfg(feature = "fuzzing")]
#[test]
fn fuzz_entry_points_do_not_panic() {
    use preconf_light::execution::fuzzing;
    let ssz = block(FINALIZED).to_ssz();
    let capella = Fork::ALL.iter().position(|f| *f == Fork::Capella).unwrap() as u8;
    for cut in (0..ssz.len()).step_by(4999) {
        let mut input = vec![capella];
        input.extend_from_slice(&ssz[..cut]);
        fuzzing::beacon_block_ssz(&input);
    }
    let mut whole = vec![capella];
    whole.extend_from_slice(&ssz);
    fuzzing::beacon_block_ssz(&whole);
    for seed in 0u8..=255 {
        let noise: Vec<u8> = (0..600u32)
            .map(|i| (i as u8).wrapping_mul(seed) ^ seed)
            .collect();
        fuzzing::beacon_block_ssz(&noise);
    }
    fuzzing::beacon_block_json(text("helios/capella-lc/beacon_block_7109430.json").as_bytes());
    fuzzing::beacon_block_json(b"{\"version\":\"electra\",\"data\":{\"message\":{}}}");
}
