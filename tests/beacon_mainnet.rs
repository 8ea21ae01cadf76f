//! Real mainnet light-client data, synced natively (Capella, Deneb, Fulu).

mod common;

use common::mainnet::*;
use preconf_light::beacon::{
    self, Fork, LightClient, LightClientBootstrap, LightClientUpdate, Network,
    beacon_block_header_from_value,
};
use preconf_light::ssz::SszDecode;

#[test]
fn capella_syncs_periods_862_to_867_and_finality_to_helios_head() {
    let mut client = capella_client();
    assert_eq!(client.finalized_period(), 862);
    assert_eq!(
        client.finalized().execution.unwrap().block_number,
        17_883_333
    );
    let updates = updates("helios/capella-lc/updates.json");
    assert_eq!(updates.len(), 6);
    let mut rotations = 0;
    for (i, u) in updates.iter().enumerate() {
        assert_eq!(u.fork, Fork::Capella);
        let out = client
            .process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap_or_else(|e| panic!("update {i}: {e}"));
        assert!(out.participants >= 342, "update {i} has a supermajority");
        rotations += usize::from(out.committee_rotated);
        assert!(client.store().is_next_sync_committee_known());
    }
    assert_eq!(rotations, 5);
    assert_eq!(client.finalized_period(), 867);
    let fin = finality("helios/capella-lc/finality.json");
    let out = client
        .process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
        .unwrap();
    assert!(out.finalized_advanced && out.optimistic_advanced);
    assert_eq!(out.participants, 512);
    let finalized = client.finalized();
    assert_eq!(finalized.slot, 7_109_344);
    assert_eq!(finalized.execution.unwrap().block_number, 17_923_026);
    let head = client.optimistic();
    assert_eq!(head.slot, 7_109_430);
    // The head Helios's own test expects.
    assert_eq!(head.execution.unwrap().block_number, 17_923_112);
    let opt = optimistic("helios/capella-lc/optimistic.json");
    let out = client
        .process_optimistic_update(&opt.data, opt.fork, at(7_109_432) + 1)
        .unwrap();
    assert!(out.optimistic_advanced && !out.finalized_advanced);
    assert_eq!(
        client.optimistic().execution.unwrap().block_number,
        17_923_113
    );
}

#[test]
fn committee_keys_are_decompressed_only_when_an_update_needs_them() {
    // The bootstrap and the update carrying the next committee decompress no
    // key; an update signed by a committee decompresses its total and the
    // absent members, once (docs/BENCHMARKS.md: the next-committee update).
    let mut client = capella_client();
    assert_eq!(client.store().current_committee().keys.decoded_count(), 0);
    let updates = updates("helios/capella-lc/updates.json");
    let absent =
        |u: &LightClientUpdate<512>| 512 - u.sync_aggregate.sync_committee_bits.count_ones();
    let first = &updates[0].data;
    client
        .process_update(first, at(first.signature_slot) + 1)
        .unwrap();
    let next = client
        .store()
        .next_committee()
        .expect("next committee learned");
    assert_eq!(
        next.keys.decoded_count(),
        0,
        "carrying a committee decodes nothing"
    );
    let second = &updates[1].data;
    assert!(absent(second) < 256);
    client
        .process_update(second, at(second.signature_slot) + 1)
        .unwrap();
    assert_eq!(
        client.store().current_committee().keys.decoded_count(),
        absent(second),
        "the first update of the period decodes only the absent members"
    );
}

#[test]
fn capella_execution_matches_the_full_beacon_block() {
    let mut client = capella_client();
    for u in updates("helios/capella-lc/updates.json") {
        client
            .process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap();
    }
    let fin = finality("helios/capella-lc/finality.json");
    client
        .process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
        .unwrap();
    let block = beacon::parse_text(&text("helios/capella-lc/beacon_block_7109344.json")).unwrap();
    let payload = &block["data"]["message"]["body"]["execution_payload"];
    let exec = client.finalized().execution.unwrap();
    assert_eq!(
        exec.block_hash,
        root(payload["block_hash"].as_str().unwrap())
    );
    assert_eq!(
        exec.state_root,
        root(payload["state_root"].as_str().unwrap())
    );
    assert_eq!(
        exec.receipts_root,
        root(payload["receipts_root"].as_str().unwrap())
    );
    assert_eq!(
        exec.timestamp,
        payload["timestamp"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    );
}

#[test]
fn deneb_committee_change_1150_to_1151() {
    let b = bootstrap("zk-light-clients/deneb-committee-change/BootstrapDeneb.json");
    let trusted = root("0xefb4338d596b9d335b2da176dc85ee97469fc80c7e2d35b9b9c1558b4602077a");
    let mut client = LightClient::from_bootstrap(Network::mainnet(), trusted, &b.data).unwrap();
    assert_eq!(client.finalized_period(), 1150);
    let u1 = updates("zk-light-clients/deneb-committee-change/UpdateDeneb.json");
    let out = client
        .process_update(&u1[0].data, at(u1[0].data.signature_slot))
        .unwrap();
    assert!(out.next_committee_learned);
    let u2 = updates("zk-light-clients/deneb-committee-change/UpdateNewPeriodDeneb.json");
    let out = client
        .process_update(&u2[0].data, at(u2[0].data.signature_slot))
        .unwrap();
    assert!(out.committee_rotated && out.finalized_advanced);
    assert_eq!(client.finalized_period(), 1151);
    assert_eq!(client.finalized().slot, 9_430_496);
}

#[test]
fn deneb_inclusion_links_to_the_eth_get_proof_state_root() {
    let b = bootstrap("zk-light-clients/deneb-inclusion/BootstrapDeneb.json");
    let trusted = root("0xf783c545d2dd90cee6c4cb92a9324323ef397f6ec85e1a3d61c48cf6cfc979e2");
    let mut client = LightClient::from_bootstrap(Network::mainnet(), trusted, &b.data).unwrap();
    let u = updates("zk-light-clients/deneb-inclusion/UpdateDeneb.json");
    client
        .process_update(&u[0].data, at(u[0].data.signature_slot))
        .unwrap();
    assert!(client.store().is_next_sync_committee_known());
    let fin = finality("zk-light-clients/deneb-inclusion/FinalityUpdateDeneb.json");
    let out = client
        .process_finality_update(&fin.data, fin.fork, at(fin.data.signature_slot))
        .unwrap();
    assert!(out.optimistic_advanced);
    let exec = client.finalized().execution.unwrap();
    assert_eq!(exec.block_number, 20_360_596);
    assert_eq!(
        exec.state_root,
        root("0xc51ad191ded785644e792e03583a54dcd4329d605560734c93f6cd9b5eaa9315")
    );
}

fn portal_json_client() -> LightClient {
    let b = bootstrap("portal-spec-tests/deneb-lc/bootstrap.json");
    let trusted = root("0x33d75f8506929d950a6d9e43508e92e50a072a39978821900e3a2e261f80ddbf");
    LightClient::from_bootstrap(Network::mainnet(), trusted, &b.data).unwrap()
}

#[test]
fn portal_deneb_json_rotates_1250_to_1251() {
    let mut client = portal_json_client();
    assert_eq!(client.finalized_period(), 1250);
    for u in updates("portal-spec-tests/deneb-lc/updates.json") {
        client
            .process_update(&u.data, at(u.data.signature_slot))
            .unwrap();
    }
    assert_eq!(client.finalized_period(), 1251);
    assert_eq!(client.finalized().slot, 10_248_192);
    let fin = finality("portal-spec-tests/deneb-lc/finality_update.json");
    client
        .process_finality_update(&fin.data, fin.fork, at(fin.data.signature_slot))
        .unwrap();
    assert_eq!(client.finalized().slot, 10_248_384);
    assert_eq!(
        client.finalized().execution.unwrap().block_number,
        21_038_093
    );
    let opt = optimistic("portal-spec-tests/deneb-lc/optimistic_update.json");
    client
        .process_optimistic_update(&opt.data, opt.fork, at(opt.data.signature_slot))
        .unwrap();
    assert_eq!(client.optimistic().slot, 10_248_457);
    assert_eq!(
        client.optimistic().execution.unwrap().block_number,
        21_038_166
    );
}

#[test]
fn portal_deneb_ssz_with_fork_digests_matches_json() {
    let network = Network::mainnet();
    let raw = portal_value("portal-spec-tests/deneb-lc/source/bootstrap.yaml");
    let (fork, payload) = beacon::split_fork_digest(&network, &raw).unwrap();
    assert_eq!(fork, Fork::Deneb);
    let b = LightClientBootstrap::<512>::from_ssz_fork(payload, fork).unwrap();
    assert_eq!(
        b,
        bootstrap("portal-spec-tests/deneb-lc/bootstrap.json").data
    );
    let trusted = root("0x33d75f8506929d950a6d9e43508e92e50a072a39978821900e3a2e261f80ddbf");
    let mut client = LightClient::from_bootstrap(network.clone(), trusted, &b).unwrap();
    // updates: SSZ List[ByteList] of (fork digest ++ update).
    let list = portal_value("portal-spec-tests/deneb-lc/source/updates.yaml");
    let items =
        preconf_light::ssz::List::<preconf_light::ssz::ByteList<{ 1 << 20 }>, 128>::from_ssz(&list)
            .unwrap();
    let json = updates("portal-spec-tests/deneb-lc/updates.json");
    assert_eq!(items.as_slice().len(), 2);
    // Re-wrap as a Beacon API /updates SSZ body (length, digest, payload).
    let mut body = Vec::new();
    for item in items.as_slice() {
        body.extend_from_slice(&(item.as_slice().len() as u64).to_le_bytes());
        body.extend_from_slice(item.as_slice());
    }
    let decoded = beacon::updates_from_ssz::<512>(&network, &body).unwrap();
    for (d, j) in decoded.iter().zip(&json) {
        assert_eq!(d.fork, Fork::Deneb);
        assert_eq!(d.data, j.data);
        assert_eq!(
            d.data.to_ssz_fork(Fork::Deneb),
            LightClientUpdate::<512>::from_ssz_fork(&d.data.to_ssz_fork(Fork::Deneb), Fork::Deneb)
                .unwrap()
                .to_ssz_fork(Fork::Deneb)
        );
        client
            .process_update(&d.data, at(d.data.signature_slot))
            .unwrap();
    }
    assert_eq!(client.finalized().slot, 10_248_192);
    let raw = portal_value("portal-spec-tests/deneb-lc/source/finality_update.yaml");
    let (fork, payload) = beacon::split_fork_digest(&network, &raw).unwrap();
    let fin = beacon::LightClientFinalityUpdate::<512>::from_ssz_fork(payload, fork).unwrap();
    assert_eq!(
        fin,
        finality("portal-spec-tests/deneb-lc/finality_update.json").data
    );
    client
        .process_finality_update(&fin, fork, at(fin.signature_slot))
        .unwrap();
    let raw = portal_value("portal-spec-tests/deneb-lc/source/optimistic_update.yaml");
    let (fork, payload) = beacon::split_fork_digest(&network, &raw).unwrap();
    let opt = beacon::LightClientOptimisticUpdate::<512>::from_ssz_fork(payload, fork).unwrap();
    client
        .process_optimistic_update(&opt, fork, at(opt.signature_slot))
        .unwrap();
    assert_eq!(client.optimistic().slot, 10_248_457);
}

#[test]
fn fulu_trusted_store_syncs_update_and_finality() {
    let (mut client, current_slot) = fulu_client();
    assert_eq!(client.finalized_period(), 1777);
    let u = updates("sp1-helios/fulu-lc/updates.json");
    assert_eq!(u[0].fork, Fork::Fulu);
    assert_eq!(u[0].data.next_sync_committee_branch.len(), 6);
    let out = client.process_update(&u[0].data, at(current_slot)).unwrap();
    assert!(out.next_committee_learned);
    let fin = finality("sp1-helios/fulu-lc/finality_update.json");
    assert_eq!(fin.data.finality_branch.len(), 7);
    let out = client
        .process_finality_update(&fin.data, fin.fork, at(current_slot))
        .unwrap();
    assert!(out.finalized_advanced);
    assert_eq!(client.finalized().slot, 14_561_952);
    assert_eq!(
        client.finalized().execution.unwrap().block_number,
        25_326_305
    );
}

#[test]
fn header_chain_proves_an_ancestor_of_the_optimistic_head() {
    let mut client = capella_client();
    for u in updates("helios/capella-lc/updates.json") {
        client
            .process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap();
    }
    let fin = finality("helios/capella-lc/finality.json");
    client
        .process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
        .unwrap();
    let opt = optimistic("helios/capella-lc/optimistic.json");
    client
        .process_optimistic_update(&opt.data, opt.fork, at(7_109_432) + 1)
        .unwrap();
    // 7109430 (the finality update's attested block) is the parent of the optimistic head 7109431.
    let parent = fin.data.attested_header.beacon.clone();
    let head = opt.data.attested_header.beacon.clone();
    let verified = client
        .verify_ancestor(&[parent.clone(), head.clone()])
        .unwrap();
    assert_eq!(verified.slot, 7_109_430);
    // A header served as JSON by /eth/v1/beacon/headers decodes the same way.
    let v = serde_json::json!({
        "slot": parent.slot.to_string(), "proposer_index": parent.proposer_index.to_string(),
        "parent_root": parent.parent_root.to_string(), "state_root": parent.state_root.to_string(),
        "body_root": parent.body_root.to_string(),
    });
    assert_eq!(beacon_block_header_from_value(&v).unwrap(), parent);
    // Broken link: a tampered ancestor.
    let mut bad = parent.clone();
    bad.proposer_index += 1;
    assert!(matches!(
        client.verify_ancestor(&[bad, head.clone()]),
        Err(beacon::BeaconError::BrokenHeaderChain { index: 1 })
    ));
    // Not anchored in a verified header.
    assert!(matches!(
        client.verify_ancestor(&[parent]),
        Err(beacon::BeaconError::BrokenHeaderChain { index: 0 })
    ));
}
