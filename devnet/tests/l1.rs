//! The devnet's L1, fetched over HTTP and checked with the library's own
//! verifiers: bootstrap from the served checkpoint, sync-committee updates
//! across two rotations, finality and optimistic updates (JSON, SSZ and SSE),
//! execution blocks against verified headers, receipts, and `eth_getProof`.
//! Forged responses must be rejected with the specific error.

mod common;

use std::net::SocketAddr;

use common::{Sse, advance, fault, get, get_ssz, http_accept, rpc, start_opts};

use alloy_primitives::{B256, U256};
use preconf_devnet::Options;
use preconf_devnet::el::{COMMITTED_HEAD_SLOT, INBOX_ADDRESS};
use preconf_light::beacon::{
    BeaconError, Fork, LightClientBootstrap, LightClientFinalityUpdate,
    LightClientOptimisticUpdate, MinimalLightClient, Network, bootstrap_from_json,
    finality_update_from_json, optimistic_update_from_json, updates_from_json, updates_from_ssz,
};
use preconf_light::bls::BlsError;
use preconf_light::execution::{
    ExecutionError, PayloadContext, verify_account_proof_for, verify_block, verify_block_receipts,
    verify_payload,
};
use preconf_light::rollup::l1::commit_topic;
use preconf_light::ssz::sha256;
use serde_json::{Value, json};

const SLOTS_PER_PERIOD: u64 = 64;

fn start(seed: u64) -> SocketAddr {
    start_opts(Options {
        seed,
        ..Options::default()
    })
}

fn network(addr: SocketAddr) -> (Network, B256) {
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("json");
    let network = Network::from_json(&config["network"]).expect("network config");
    let root = config["trustedCheckpoint"]
        .as_str()
        .expect("checkpoint")
        .parse()
        .expect("root");
    (network, root)
}

#[test]
fn light_client_follows_the_devnet_across_two_rotations_and_checks_execution_data() {
    let addr = start(7);
    let (network, checkpoint) = network(addr);
    assert_eq!(network.preset().sync_committee_size, 32);
    assert_eq!(network.fork_at_epoch(0), Fork::Fulu);

    // Bootstrap from the served checkpoint (genesis at slot 0), JSON and SSZ agree.
    let boot = bootstrap_from_json::<32>(&get(
        addr,
        &format!("/eth/v1/beacon/light_client/bootstrap/{checkpoint:#x}"),
    ))
    .expect("bootstrap json");
    let boot_ssz = get_ssz(
        addr,
        &format!("/eth/v1/beacon/light_client/bootstrap/{checkpoint:#x}"),
    );
    assert_eq!(
        LightClientBootstrap::<32>::from_ssz_fork(&boot_ssz, boot.fork).expect("bootstrap ssz"),
        boot.data
    );
    let mut client = MinimalLightClient::from_bootstrap(network.clone(), checkpoint, &boot.data)
        .expect("bootstrap verifies");

    // Three periods and a bit: the committee rotates at slots 64 and 128.
    let slot = advance(addr, 3 * SLOTS_PER_PERIOD + 12);
    for period in 0..3 {
        let path = format!("/eth/v1/beacon/light_client/updates?start_period={period}&count=1");
        let updates = updates_from_json::<32>(&get(addr, &path)).expect("updates json");
        let from_ssz =
            updates_from_ssz::<32>(&network, &get_ssz(addr, &path)).expect("updates ssz");
        assert_eq!(updates, from_ssz);
        let [update] = updates.as_slice() else {
            panic!("one update per period")
        };
        client
            .process_update_at_slot(&update.data, slot)
            .unwrap_or_else(|e| panic!("update of period {period}: {e}"));
        assert_eq!(
            client.finalized_period(),
            period,
            "finalized moved into period {period}"
        );
    }
    assert_eq!(client.finalized_period(), 2, "two rotations followed");

    // Latest finality and optimistic updates.
    let fin =
        finality_update_from_json::<32>(&get(addr, "/eth/v1/beacon/light_client/finality_update"))
            .expect("finality");
    client
        .process_update_at_slot(&fin.data.clone().into_update(fin.fork), slot)
        .expect("finality update verifies");
    let opt = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("optimistic");
    let fin_ssz = get_ssz(addr, "/eth/v1/beacon/light_client/finality_update");
    assert_eq!(
        LightClientFinalityUpdate::<32>::from_ssz_fork(&fin_ssz, fin.fork).expect("ssz"),
        fin.data
    );
    let opt_ssz = get_ssz(addr, "/eth/v1/beacon/light_client/optimistic_update");
    assert_eq!(
        LightClientOptimisticUpdate::<32>::from_ssz_fork(&opt_ssz, opt.fork).expect("ssz"),
        opt.data
    );
    client
        .process_update_at_slot(&opt.data.clone().into_update(opt.fork), slot)
        .expect("optimistic update verifies");
    let finalized = client.finalized();
    assert_eq!(
        finalized.slot,
        (network.epoch_at_slot(slot) - 2) * 8,
        "finality two epochs back"
    );
    let exec = finalized.execution.expect("execution header");

    // The execution block the verified header names, its receipts and state.
    let block = rpc(
        addr,
        "eth_getBlockByHash",
        json!([format!("{:#x}", exec.block_hash), true]),
    );
    let block =
        verify_block(&block, Some(exec.block_hash)).expect("block hash = keccak(rlp(header))");
    assert_eq!(block.header.receipts_root, exec.receipts_root);
    assert_eq!(
        block.transaction_hashes.as_ref().map(Vec::len),
        Some(1),
        "transactions rebuilt"
    );
    let receipts = rpc(
        addr,
        "eth_getBlockReceipts",
        json!([format!("{:#x}", exec.block_hash)]),
    );
    let verified = verify_block_receipts(&block, &receipts).expect("receipts verify");
    let log = verified.logs.first().expect("inbox log");
    assert_eq!(log.address, INBOX_ADDRESS);
    assert_eq!(log.topics.first(), Some(&commit_topic()));
    let committed = log.topics[1];

    // The inbox's committed-head word, proven against the verified state root.
    let keys = [COMMITTED_HEAD_SLOT];
    let proof = rpc(
        addr,
        "eth_getProof",
        json!([
            format!("{INBOX_ADDRESS:#x}"),
            keys.iter().map(|k| format!("{k:#x}")).collect::<Vec<_>>(),
            format!("{:#x}", exec.block_number)
        ]),
    );
    let account = verify_account_proof_for(exec.state_root, INBOX_ADDRESS, &keys, &proof)
        .expect("proof verifies");
    assert_eq!(
        account.storage[0].value,
        U256::from_be_bytes(committed.0),
        "the committed head is the block's commitment"
    );

    // The full beacon block: its payload hashes to the verified block hash.
    let full: Value = serde_json::from_str(&get(
        addr,
        &format!("/eth/v2/beacon/blocks/{:#x}", finalized.beacon_root),
    ))
    .expect("block json");
    let message = &full["data"]["message"];
    assert_eq!(message["slot"], json!(finalized.slot.to_string()));
    let parent_root: B256 = message["parent_root"]
        .as_str()
        .expect("parent")
        .parse()
        .expect("root");
    let payload = verify_payload(
        &message["body"]["execution_payload"],
        PayloadContext {
            parent_beacon_block_root: Some(parent_root),
            requests_hash: Some(sha256(&[])),
        },
    )
    .expect("payload hashes to its block_hash");
    assert_eq!(payload.hash, exec.block_hash);

    // eth_getLogs agrees with the verified receipts.
    let logs = rpc(
        addr,
        "eth_getLogs",
        json!([{ "blockHash": format!("{:#x}", exec.block_hash), "address": format!("{INBOX_ADDRESS:#x}") }]),
    );
    assert_eq!(logs["result"].as_array().map(Vec::len), Some(1));

    // Forgeries are rejected, each with its own error.
    let forge = |endpoint: &str, kind: &str| {
        fault(
            addr,
            json!({"kind": "forge", "endpoint": endpoint, "forgery": kind}),
        );
    };
    let unforge = |endpoint: &str| {
        fault(
            addr,
            json!({"kind": "forge", "endpoint": endpoint, "on": false}),
        )
    };
    let slot = advance(addr, 1);
    forge(
        "/eth/v1/beacon/light_client/finality_update",
        "bad_signature",
    );
    let bad =
        finality_update_from_json::<32>(&get(addr, "/eth/v1/beacon/light_client/finality_update"))
            .expect("decodes");
    assert_eq!(
        client
            .process_update_at_slot(&bad.data.into_update(bad.fork), slot)
            .map(|_| ()),
        Err(BeaconError::Bls(BlsError::InvalidSignature))
    );
    forge("/eth/v1/beacon/light_client/finality_update", "bad_branch");
    let bad =
        finality_update_from_json::<32>(&get(addr, "/eth/v1/beacon/light_client/finality_update"))
            .expect("decodes");
    assert_eq!(
        client
            .process_update_at_slot(&bad.data.into_update(bad.fork), slot)
            .map(|_| ()),
        Err(BeaconError::InvalidFinalityBranch)
    );
    unforge("/eth/v1/beacon/light_client/finality_update");
    forge(
        "/eth/v1/beacon/light_client/optimistic_update",
        "bad_branch",
    );
    let bad = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("decodes");
    assert_eq!(
        client
            .process_update_at_slot(&bad.data.into_update(bad.fork), slot)
            .map(|_| ()),
        Err(BeaconError::InvalidExecutionBranch)
    );
    unforge("/eth/v1/beacon/light_client/optimistic_update");
    forge("/eth/v1/beacon/light_client/updates", "bad_branch");
    let mut fresh = MinimalLightClient::from_bootstrap(network.clone(), checkpoint, &boot.data)
        .expect("bootstrap");
    let bad = updates_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/updates?start_period=0&count=1",
    ))
    .expect("decodes");
    assert_eq!(
        fresh.process_update_at_slot(&bad[0].data, slot).map(|_| ()),
        Err(BeaconError::InvalidNextSyncCommitteeBranch),
        "a forged next-committee branch is refused"
    );
    forge("/eth/v1/beacon/light_client/updates", "bad_signature");
    let bad = updates_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/updates?start_period=0&count=1",
    ))
    .expect("decodes");
    assert_eq!(
        fresh.process_update_at_slot(&bad[0].data, slot).map(|_| ()),
        Err(BeaconError::Bls(BlsError::InvalidSignature))
    );
    unforge("/eth/v1/beacon/light_client/updates");
    forge("/eth/v1/beacon/light_client/bootstrap", "bad_branch");
    let bad = bootstrap_from_json::<32>(&get(
        addr,
        &format!("/eth/v1/beacon/light_client/bootstrap/{checkpoint:#x}"),
    ))
    .expect("decodes");
    assert_eq!(
        MinimalLightClient::from_bootstrap(network.clone(), checkpoint, &bad.data).map(|_| ()),
        Err(BeaconError::InvalidCurrentSyncCommitteeBranch)
    );
    unforge("/eth/v1/beacon/light_client/bootstrap");
    forge("eth_getBlockReceipts", "wrong_receipt");
    let receipts = rpc(
        addr,
        "eth_getBlockReceipts",
        json!([format!("{:#x}", exec.block_hash)]),
    );
    assert!(matches!(
        verify_block_receipts(&block, &receipts).map(|_| ()),
        Err(ExecutionError::ReceiptsRootMismatch { .. })
    ));
    forge("eth_getProof", "bad_branch");
    let proof = rpc(
        addr,
        "eth_getProof",
        json!([
            format!("{INBOX_ADDRESS:#x}"),
            keys.iter().map(|k| format!("{k:#x}")).collect::<Vec<_>>(),
            format!("{:#x}", exec.block_number)
        ]),
    );
    assert!(matches!(
        verify_account_proof_for(exec.state_root, INBOX_ADDRESS, &keys, &proof).map(|_| ()),
        Err(ExecutionError::InvalidProof { .. })
    ));
    fault(addr, json!({"kind": "clear"}));

    // Withheld updates: the endpoints answer 404.
    fault(addr, json!({"kind": "withhold_updates"}));
    let (status, _, _) = http_accept(
        addr,
        "GET",
        "/eth/v1/beacon/light_client/finality_update",
        "application/json",
        "",
    );
    assert_eq!(status, 404);
    fault(addr, json!({"kind": "clear"}));
}

#[test]
fn events_reorgs_and_missed_slots_are_served_and_verifiable() {
    let addr = start(11);
    let (network, checkpoint) = network(addr);
    let boot = bootstrap_from_json::<32>(&get(
        addr,
        &format!("/eth/v1/beacon/light_client/bootstrap/{checkpoint:#x}"),
    ))
    .expect("bootstrap");
    let mut client = MinimalLightClient::from_bootstrap(network, checkpoint, &boot.data)
        .expect("bootstrap verifies");
    advance(addr, 20);

    // Subscribe, then produce a slot: the optimistic update arrives over SSE and verifies.
    let mut sse = Sse::open(
        addr,
        "/eth/v1/events?topics=head,light_client_optimistic_update",
    );
    let slot = advance(addr, 1);
    let seen = [sse.next(), sse.next()];
    assert_eq!(seen[0].0, "head");
    let head: Value = serde_json::from_str(&seen[0].1).expect("head json");
    assert_eq!(head["slot"], json!(slot.to_string()));
    assert_eq!(seen[1].0, "light_client_optimistic_update");
    let opt = optimistic_update_from_json::<32>(&seen[1].1).expect("optimistic");
    client
        .process_update_at_slot(&opt.data.clone().into_update(opt.fork), slot)
        .expect("sse update verifies");
    assert_eq!(client.optimistic().slot, slot - 1);

    // Finality updates are pushed when the attested state's checkpoint changes.
    let mut fin_sse = Sse::open(addr, "/eth/v1/events?topics=light_client_finality_update");
    let slot = advance(addr, 9);
    let (_, data) = fin_sse.next();
    let fin = finality_update_from_json::<32>(&data).expect("finality event");
    client
        .process_update_at_slot(&fin.data.clone().into_update(fin.fork), slot)
        .expect("finality event verifies");
    assert!(
        client.finalized().slot > 0,
        "finality advanced from genesis"
    );

    // A reorg of depth 2: the old head is no longer canonical; the new chain verifies.
    let old_head: Value =
        serde_json::from_str(&get(addr, "/eth/v1/beacon/headers/head")).expect("json");
    let old_root = old_head["data"]["root"].as_str().expect("root").to_string();
    fault(addr, json!({"kind": "reorg", "depth": 2}));
    let slot = advance(addr, 2);
    let header: Value =
        serde_json::from_str(&get(addr, &format!("/eth/v1/beacon/headers/{old_root}")))
            .expect("json");
    assert_eq!(header["data"]["canonical"], json!(false));
    let truth: Value = serde_json::from_str(&get(addr, "/devnet/truth")).expect("truth");
    assert_eq!(truth["orphaned"].as_array().map(Vec::len), Some(2));
    let opt = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("optimistic");
    client
        .process_update_at_slot(&opt.data.clone().into_update(opt.fork), slot)
        .expect("post-reorg update verifies");

    // A missed proposer: the next block signs across the gap.
    fault(addr, json!({"kind": "missed_slot", "count": 1}));
    let slot = advance(addr, 2);
    let truth: Value = serde_json::from_str(&get(addr, "/devnet/truth")).expect("truth");
    assert!(
        truth["missedSlots"]
            .as_array()
            .expect("missed")
            .contains(&json!(slot - 1))
    );
    let opt = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("optimistic");
    assert_eq!(opt.data.signature_slot, slot);
    assert_eq!(opt.data.attested_header.beacon.slot, slot - 2);
    client
        .process_update_at_slot(&opt.data.clone().into_update(opt.fork), slot)
        .expect("update across the gap verifies");
}

#[test]
fn same_seed_same_chain_other_seed_other_chain() {
    let roots = |seed| {
        let addr = start(seed);
        advance(addr, 10);
        let truth: Value = serde_json::from_str(&get(addr, "/devnet/truth")).expect("truth");
        truth["canonical"].clone()
    };
    let a = roots(3);
    assert_eq!(a, roots(3));
    assert_ne!(a, roots(4));
}
