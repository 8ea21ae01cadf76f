//! Every verification rule bites: each test mutates one thing of real
//! mainnet data and asserts the specific error.

mod common;

use alloy_primitives::{B256, FixedBytes};
use common::mainnet::*;
use preconf_light::ErrorCode;
use preconf_light::beacon::{
    self, BeaconError, Fork, LightClient, LightClientBootstrap, LightClientUpdate, Network,
};
use preconf_light::bls::BlsError;
use preconf_light::ssz::{TreeHash, hash_pair};

fn capella_update(i: usize) -> LightClientUpdate<512> {
    updates("helios/capella-lc/updates.json")
        .swap_remove(i)
        .data
}

fn now_for(u: &LightClientUpdate<512>) -> u64 {
    at(u.signature_slot) + 1
}

fn reject(client: &LightClient, u: &LightClientUpdate<512>) -> BeaconError {
    client.clone().process_update(u, now_for(u)).unwrap_err()
}

#[test]
fn baseline_update_is_accepted() {
    let mut c = capella_client();
    let u = capella_update(0);
    assert!(c.process_update(&u, now_for(&u)).is_ok());
}

#[test]
fn too_few_participants() {
    let c = capella_client();
    let mut u = capella_update(0);
    u.sync_aggregate.sync_committee_bits = Default::default();
    let e = reject(&c, &u);
    assert!(
        matches!(e, BeaconError::InsufficientParticipants { got: 0, min: 1 }),
        "{e}"
    );
    assert_eq!(e.code(), "INSUFFICIENT_PARTICIPANTS");
}

#[test]
fn slot_ordering() {
    let c = capella_client();
    // signature slot not after the attested slot
    let mut u = capella_update(0);
    u.signature_slot = u.attested_header.beacon.slot;
    assert!(matches!(reject(&c, &u), BeaconError::InvalidSlot { .. }));
    // finalized after attested
    let mut u = capella_update(0);
    u.finalized_header.beacon.slot = u.attested_header.beacon.slot + 1;
    let e = reject(&c, &u);
    assert!(matches!(e, BeaconError::InvalidSlot { .. }));
    assert_eq!(e.code(), "INVALID_SLOT");
}

#[test]
fn future_signature_slot() {
    let c = capella_client();
    let u = capella_update(0);
    // one slot too early: the signature slot is still in the future
    let e = c
        .clone()
        .process_update(&u, at(u.signature_slot) - 1)
        .unwrap_err();
    assert!(matches!(e, BeaconError::InvalidSlot { .. }), "{e}");
    // and a clock before genesis
    assert!(matches!(
        c.clone().process_update(&u, 0).unwrap_err(),
        BeaconError::InvalidSlot { .. }
    ));
}

/// The consensus spec's `MAXIMUM_GOSSIP_CLOCK_DISPARITY` (500 ms): an update
/// signed in a slot that starts within it of our clock is not from the
/// future (a node whose clock runs ahead is honest); a millisecond more is.
#[test]
fn future_signature_slot_within_the_clock_disparity() {
    let c = capella_client();
    let u = capella_update(0);
    let start_ms = at(u.signature_slot) * 1000;
    let earliest = start_ms - beacon::MAXIMUM_GOSSIP_CLOCK_DISPARITY_MS;
    assert_eq!(c.update_slot_at_ms(earliest), u.signature_slot);
    assert!(
        c.clone()
            .process_update_at_slot(&u, c.update_slot_at_ms(earliest))
            .is_ok()
    );
    let e = c
        .clone()
        .process_update_at_slot(&u, c.update_slot_at_ms(earliest - 1))
        .unwrap_err();
    assert!(matches!(e, BeaconError::InvalidSlot { .. }), "{e}");
}

#[test]
fn wrong_period() {
    let c = capella_client();
    // signed in period 864 while the store is at 862 without a next committee
    let u = capella_update(2);
    let e = reject(&c, &u);
    assert!(
        matches!(
            e,
            BeaconError::WrongPeriod {
                store_period: 862,
                signature_period: 864
            }
        ),
        "{e}"
    );
    assert_eq!(e.code(), "WRONG_PERIOD");
    // period 863 needs the next committee first
    let u = capella_update(1);
    assert!(matches!(reject(&c, &u), BeaconError::WrongPeriod { .. }));
}

#[test]
fn replayed_and_stale_updates() {
    let mut c = capella_client();
    let all = updates("helios/capella-lc/updates.json");
    for u in &all {
        c.process_update(&u.data, now_for(&u.data)).unwrap();
    }
    let fin = finality("helios/capella-lc/finality.json");
    c.process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
        .unwrap();
    // The last period update is now older than the finalized header.
    let e = reject(&c, &all[5].data);
    assert!(matches!(e, BeaconError::NotRelevant { .. }), "{e}");
    assert_eq!(e.code(), "NOT_RELEVANT");
    // An update from five periods ago cannot be verified any more.
    assert!(matches!(
        reject(&c, &all[0].data),
        BeaconError::WrongPeriod { .. }
    ));
    // Replaying the finality update changes nothing.
    let before = (c.finalized(), c.optimistic());
    let out = c
        .process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
        .unwrap();
    assert!(!out.finalized_advanced && !out.optimistic_advanced);
    assert_eq!(before, (c.finalized(), c.optimistic()));
}

#[test]
fn finality_branch() {
    let c = capella_client();
    let mut u = capella_update(0);
    u.finality_branch[2].0[5] ^= 1;
    let e = reject(&c, &u);
    assert_eq!(e, BeaconError::InvalidFinalityBranch);
    assert_eq!(e.code(), "INVALID_BRANCH");
    // a finalized header that is not the one the branch proves
    let mut u = capella_update(0);
    u.finalized_header.beacon.proposer_index += 1;
    assert_eq!(reject(&c, &u), BeaconError::InvalidFinalityBranch);
}

#[test]
fn next_sync_committee_branch() {
    let c = capella_client();
    let mut u = capella_update(0);
    u.next_sync_committee_branch[0].0[0] ^= 1;
    assert_eq!(reject(&c, &u), BeaconError::InvalidNextSyncCommitteeBranch);
    let mut u = capella_update(0);
    let mut keys = u.next_sync_committee.pubkeys.as_slice().to_vec();
    keys.swap(0, 1);
    u.next_sync_committee.pubkeys = preconf_light::ssz::FixedVector::new(keys).unwrap();
    assert_eq!(reject(&c, &u), BeaconError::InvalidNextSyncCommitteeBranch);
}

#[test]
fn execution_branch() {
    let c = capella_client();
    let mut u = capella_update(0);
    u.attested_header.execution.block_number += 1;
    let e = reject(&c, &u);
    assert_eq!(e, BeaconError::InvalidExecutionBranch);
    let mut u = capella_update(0);
    u.attested_header.execution_branch =
        preconf_light::ssz::FixedVector::new(vec![B256::ZERO; 4]).unwrap();
    assert_eq!(reject(&c, &u), BeaconError::InvalidExecutionBranch);
    // The finalized header's execution is checked too.
    let mut u = capella_update(0);
    u.finalized_header.execution.state_root.0[0] ^= 1;
    assert_eq!(reject(&c, &u), BeaconError::InvalidExecutionBranch);
}

#[test]
fn bootstrap_committee_branch_and_trusted_root() {
    let b = bootstrap("helios/capella-lc/bootstrap.json").data;
    let mut bad = b.clone();
    bad.current_sync_committee_branch[4].0[31] ^= 1;
    let e = LightClient::from_bootstrap(Network::mainnet(), root(CAPELLA_ROOT), &bad).unwrap_err();
    assert_eq!(e, BeaconError::InvalidCurrentSyncCommitteeBranch);
    let mut bad = b.clone();
    bad.current_sync_committee.aggregate_pubkey.0[0] ^= 1;
    let e = LightClient::from_bootstrap(Network::mainnet(), root(CAPELLA_ROOT), &bad).unwrap_err();
    assert_eq!(e, BeaconError::InvalidCurrentSyncCommitteeBranch);
    let e = LightClient::from_bootstrap(Network::mainnet(), B256::repeat_byte(1), &b).unwrap_err();
    assert!(matches!(e, BeaconError::TrustedRootMismatch { .. }));
    assert_eq!(e.code(), "TRUSTED_ROOT_MISMATCH");
}

#[test]
fn signature() {
    let c = capella_client();
    // another header than the one signed
    let mut u = capella_update(0);
    u.attested_header.beacon.proposer_index += 1;
    let e = reject(&c, &u);
    assert_eq!(e, BeaconError::Bls(BlsError::InvalidSignature));
    assert_eq!(e.code(), "INVALID_SIGNATURE");
    // a participant bit dropped
    let mut u = capella_update(0);
    let mut bits = u.sync_aggregate.sync_committee_bits.bits().to_vec();
    let first = bits.iter().position(|b| *b).unwrap();
    bits[first] = false;
    u.sync_aggregate.sync_committee_bits = preconf_light::ssz::Bitvector::new(bits).unwrap();
    assert_eq!(reject(&c, &u), BeaconError::Bls(BlsError::InvalidSignature));
    // a corrupted signature
    let mut u = capella_update(0);
    u.sync_aggregate.sync_committee_signature.0[10] ^= 1;
    assert_eq!(reject(&c, &u), BeaconError::Bls(BlsError::InvalidSignature));
}

fn client_on(network: Network) -> LightClient {
    let b = bootstrap("helios/capella-lc/bootstrap.json");
    LightClient::from_bootstrap(network, root(CAPELLA_ROOT), &b.data).unwrap()
}

#[test]
fn wrong_fork_version_domain_or_genesis_validators_root() {
    let u = capella_update(0);
    // wrong Capella fork version
    let mut cfg = Network::mainnet().config();
    cfg.forks[3].version = [0x03, 0, 0, 1];
    let c = client_on(Network::custom(cfg).unwrap());
    assert_eq!(reject(&c, &u), BeaconError::Bls(BlsError::InvalidSignature));
    // wrong genesis validators root
    let mut cfg = Network::mainnet().config();
    cfg.genesis_validators_root =
        root("0xd8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078");
    let c = client_on(Network::custom(cfg).unwrap());
    assert_eq!(reject(&c, &u), BeaconError::Bls(BlsError::InvalidSignature));
    // wrong domain: Capella scheduled later, so the slot maps to the Bellatrix version
    let mut cfg = Network::mainnet().config();
    cfg.forks[3].epoch = 300_000;
    cfg.forks[4].epoch = 300_001;
    cfg.forks[5].epoch = 400_000;
    cfg.forks[6].epoch = 500_000;
    let network = Network::custom(cfg).unwrap();
    // (headers with execution data before Capella are rejected first)
    let b = bootstrap("helios/capella-lc/bootstrap.json");
    let e = LightClient::from_bootstrap(network, root(CAPELLA_ROOT), &b.data).unwrap_err();
    assert_eq!(e, BeaconError::UnexpectedExecution);
    // sepolia is another network altogether
    let e =
        LightClient::from_bootstrap(Network::sepolia(), root(CAPELLA_ROOT), &b.data).unwrap_err();
    assert!(
        matches!(
            e,
            BeaconError::UnexpectedExecution | BeaconError::InvalidExecutionBranch
        ),
        "{e}"
    );
}

#[test]
fn wrong_fork_name_or_digest() {
    let t = text("helios/capella-lc/finality.json").replace("\"capella\"", "\"phase0\"");
    let e = beacon::finality_update_from_json::<512>(&t).unwrap_err();
    assert_eq!(e.code(), "WRONG_FORK");
    let t = text("helios/capella-lc/finality.json").replace("\"capella\"", "\"gloas\"");
    assert!(matches!(
        beacon::finality_update_from_json::<512>(&t),
        Err(BeaconError::UnknownFork(_))
    ));
    // Capella data served as "deneb" misses the blob-gas fields: the version decides the shape.
    let t = text("helios/capella-lc/finality.json").replace("\"capella\"", "\"deneb\"");
    assert!(matches!(
        beacon::finality_update_from_json::<512>(&t),
        Err(BeaconError::Json(_))
    ));
    // SSZ: an unknown fork digest
    let u = capella_update(0);
    let payload = u.to_ssz_fork(Fork::Capella);
    let mut body = ((payload.len() + 4) as u64).to_le_bytes().to_vec();
    body.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    body.extend_from_slice(&payload);
    let e = beacon::updates_from_ssz::<512>(&Network::mainnet(), &body).unwrap_err();
    assert_eq!(e, BeaconError::UnknownForkDigest([0xde, 0xad, 0xbe, 0xef]));
    // and the right one decodes to the same update
    let digest = Network::mainnet().fork_digest_at_epoch(194_048);
    body[8..12].copy_from_slice(&digest);
    assert_eq!(
        beacon::updates_from_ssz::<512>(&Network::mainnet(), &body).unwrap()[0].data,
        u
    );
}

#[test]
fn unexpected_fields_in_partial_updates() {
    let c = capella_client();
    let mut all = updates("helios/capella-lc/updates.json");
    let mut c2 = c.clone();
    for u in all.iter().take(1) {
        c2.process_update(&u.data, now_for(&u.data)).unwrap();
    }
    // An update with a zero finality branch must not carry a finalized header.
    let mut u = all.swap_remove(1).data;
    u.finality_branch = vec![B256::ZERO; 6];
    let e = c2.clone().process_update(&u, now_for(&u)).unwrap_err();
    assert_eq!(e, BeaconError::UnexpectedFinalizedHeader);
    assert_eq!(e.code(), "INVALID_UPDATE");
    // An update with a zero committee branch must not carry a committee.
    let mut u = capella_update(1);
    u.next_sync_committee_branch = vec![B256::ZERO; 5];
    assert_eq!(
        c2.clone().process_update(&u, now_for(&u)).unwrap_err(),
        BeaconError::UnexpectedNextSyncCommittee
    );
}

#[test]
fn infinity_key_in_an_authenticated_committee() {
    // Build a bootstrap whose (synthetic) state really commits to a
    // committee holding the infinity key, so only the key check can catch it.
    let mut b: LightClientBootstrap<512> = bootstrap("helios/capella-lc/bootstrap.json").data;
    let mut keys = b.current_sync_committee.pubkeys.as_slice().to_vec();
    let mut infinity = [0u8; 48];
    infinity[0] = 0xc0;
    keys[7] = FixedBytes(infinity);
    b.current_sync_committee.pubkeys = preconf_light::ssz::FixedVector::new(keys).unwrap();
    let mut node = b.current_sync_committee.tree_hash_root();
    let index = 54u64 % 32; // CURRENT_SYNC_COMMITTEE_GINDEX at depth 5
    for (i, sibling) in b.current_sync_committee_branch.iter().enumerate() {
        node = if (index >> i) & 1 == 1 {
            hash_pair(sibling, &node)
        } else {
            hash_pair(&node, sibling)
        };
    }
    b.header.beacon.state_root = node;
    let trusted = b.header.beacon_root();
    let e = LightClient::from_bootstrap(Network::mainnet(), trusted, &b).unwrap_err();
    assert_eq!(e, BeaconError::Bls(BlsError::InfinityPublicKey));
    assert_eq!(e.code(), "INFINITY_PUBLIC_KEY");
}

#[test]
fn force_update_not_due() {
    let mut c = capella_client();
    let now = at(7_069_376 + 10);
    assert!(!c.force_update_due(now));
    assert_eq!(
        c.force_update(now).unwrap_err(),
        BeaconError::ForceUpdateNotDue
    );
}

#[test]
fn truncated_and_garbage_ssz_never_panic() {
    let u = capella_update(0);
    let bytes = u.to_ssz_fork(Fork::Capella);
    assert_eq!(
        LightClientUpdate::<512>::from_ssz_fork(&bytes, Fork::Capella).unwrap(),
        u
    );
    // Truncation inside the fixed part always fails; inside the trailing
    // variable field (extra_data) it may decode, but never to the same update.
    for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
        match LightClientUpdate::<512>::from_ssz_fork(&bytes[..cut], Fork::Capella) {
            Err(e) => assert_eq!(e.code(), "DECODE_ERROR"),
            Ok(v) => assert!(v != u && cut > 25_000, "cut {cut}"),
        }
    }
    // decoding under the wrong fork fails on layout
    assert!(LightClientUpdate::<512>::from_ssz_fork(&bytes, Fork::Deneb).is_err());
    assert!(LightClientUpdate::<512>::from_ssz_fork(&bytes, Fork::Altair).is_err());
    // corrupted offsets
    let mut bad = bytes.clone();
    bad[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(LightClientUpdate::<512>::from_ssz_fork(&bad, Fork::Capella).is_err());
    // pseudo-random garbage of many lengths, every decoder
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for len in [0usize, 1, 3, 4, 8, 100, 112, 244, 600, 25_000, 26_000] {
        let g: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for fork in [
            Fork::Phase0,
            Fork::Altair,
            Fork::Capella,
            Fork::Deneb,
            Fork::Electra,
        ] {
            let _ = LightClientUpdate::<512>::from_ssz_fork(&g, fork);
            let _ = beacon::LightClientBootstrap::<512>::from_ssz_fork(&g, fork);
            let _ = beacon::LightClientFinalityUpdate::<512>::from_ssz_fork(&g, fork);
            let _ = beacon::LightClientOptimisticUpdate::<32>::from_ssz_fork(&g, fork);
        }
        let _ = beacon::updates_from_ssz::<512>(&Network::mainnet(), &g);
        let _ = beacon::split_update_chunks(&g);
    }
    // a chunk length running past the body
    let mut body = u64::MAX.to_le_bytes().to_vec();
    body.extend_from_slice(&[0; 8]);
    assert!(beacon::split_update_chunks(&body).is_err());
}

#[test]
fn truncated_and_garbage_json() {
    let full = text("helios/capella-lc/updates.json");
    for cut in (0..full.len()).step_by(1999) {
        let e = beacon::updates_from_json::<512>(&full[..cut]).unwrap_err();
        assert_eq!(e.code(), "DECODE_ERROR");
    }
    for garbage in [
        "",
        "null",
        "[]x",
        "{\"version\":\"capella\"}",
        "{\"version\":1,\"data\":{}}",
        "[{\"version\":\"capella\",\"data\":[]}]",
    ] {
        assert!(
            beacon::updates_from_json::<512>(garbage)
                .map(|v| v.is_empty())
                .unwrap_or(true)
        );
        assert!(beacon::bootstrap_from_json::<512>(garbage).is_err());
        assert!(beacon::finality_update_from_json::<512>(garbage).is_err());
        assert!(beacon::optimistic_update_from_json::<512>(garbage).is_err());
    }
    // wrong lengths and encodings in otherwise valid JSON
    let t = text("helios/capella-lc/finality.json");
    let base: serde_json::Value = serde_json::from_str(&t).unwrap();
    let mutate = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = base.clone();
        f(&mut v["data"]);
        beacon::finality_update_from_json::<512>(&v.to_string())
    };
    assert!(mutate(&|_| ()).is_ok());
    let e = mutate(&|d| {
        d["finality_branch"].as_array_mut().unwrap().pop();
    })
    .unwrap_err();
    assert!(matches!(e, BeaconError::Json(_)));
    assert!(mutate(&|d| d["signature_slot"] = "-1".into()).is_err());
    assert!(mutate(&|d| d["signature_slot"] = "18446744073709551616".into()).is_err());
    assert!(mutate(&|d| d["sync_aggregate"]["sync_committee_bits"] = "0xff".into()).is_err());
    assert!(mutate(&|d| d["sync_aggregate"]["sync_committee_signature"] = "0x00".into()).is_err());
    assert!(
        mutate(&|d| d["attested_header"]["execution"]["extra_data"] =
            format!("0x{}", "00".repeat(33)).into())
        .is_err()
    );
    assert!(mutate(&|d| d["attested_header"]["beacon"]["state_root"] = "0xzz".into()).is_err());
    assert!(mutate(&|d| d["attested_header"]["beacon"]["state_root"] = "1234".into()).is_err());
    assert!(
        mutate(&|d| {
            d.as_object_mut().unwrap().remove("finalized_header");
        })
        .is_err()
    );
    // the minimal preset cannot read mainnet committees
    assert!(beacon::bootstrap_from_json::<32>(&text("helios/capella-lc/bootstrap.json")).is_err());
}

#[test]
fn verified_update_cannot_be_applied_to_a_changed_store() {
    let mut c = capella_client();
    let all = updates("helios/capella-lc/updates.json");
    let (u0, u1) = (&all[0].data, &all[1].data);
    let checked = c.verify_update_at_slot(u0, u0.signature_slot).unwrap();
    let stale = c.verify_update_at_slot(u0, u0.signature_slot).unwrap();
    c.apply_update(checked).unwrap();
    let e = c.apply_update(stale).unwrap_err();
    assert_eq!(e, BeaconError::StoreChanged);
    assert_eq!(e.code(), "STORE_CHANGED");
    // verifying never mutates
    let before = c.to_bytes();
    let _ = c.verify_update_at_slot(u1, u1.signature_slot).unwrap();
    assert_eq!(c.to_bytes(), before);
}
