//! Random faults over many L1 slots: a light client following the devnet
//! over HTTP keeps verifying everything it is served, every inbox commitment
//! in verified receipts chains to blocks of the feed, and blocks the ground
//! truth calls finalized stay finalized.
//!
//! CI runs a short version; the soak is
//! `cargo test --release -p preconf-devnet --test soak -- --ignored`.

mod common;

use std::collections::{HashMap, HashSet};

use alloy_primitives::B256;
use preconf_devnet::Options;
use preconf_devnet::keys::derive;
use preconf_devnet::l2::L2Options;
use preconf_light::beacon::{
    BeaconError, MinimalLightClient, Network, bootstrap_from_json, finality_update_from_json,
    optimistic_update_from_json, updates_from_json,
};
use preconf_light::execution::{verify_block, verify_block_receipts};
use preconf_light::rollup::l1::{L1Log, decode_inbox_log};
use preconf_light::rollup::{FeedMessage, InboxEvent};
use serde_json::{Value, json};

use common::{get, http, post, rpc};

fn soak(seed: u64, slots: u64) {
    let addr = preconf_devnet::server::start(Options {
        seed,
        port: 0,
        root: None,
        manual: true,
        genesis_time: Some(1_700_000_000),
        slot_ms: 1000,
        l2: L2Options {
            blocks_per_slot: 2,
            based_every: 3,
            stall_limit_slots: 6,
            committee: seed % 2 == 1,
            nth_rule: false,
        },
        ..Options::default()
    })
    .expect("start")
    .addr;
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let network = Network::from_json(&config["network"]).expect("network");
    let inbox = config["rollup"]["inbox"]
        .as_str()
        .expect("inbox")
        .parse()
        .expect("address");
    let checkpoint = config["trustedCheckpoint"]
        .as_str()
        .expect("cp")
        .parse()
        .expect("root");
    let boot = bootstrap_from_json::<32>(&get(
        addr,
        &format!("/eth/v1/beacon/light_client/bootstrap/{checkpoint:#x}"),
    ))
    .expect("bootstrap");
    let mut client = MinimalLightClient::from_bootstrap(network.clone(), checkpoint, &boot.data)
        .expect("bootstrap verifies");
    let mut finalized_seen: HashSet<String> = HashSet::new();
    let mut checked_commits = 0;
    let mut slot = 0;
    while slot < slots {
        // Deterministic random faults.
        let r = derive(seed, "soak", slot)[0];
        match r {
            0..=11 => {
                post(
                    addr,
                    "/devnet/admin/fault",
                    json!({"kind": "missed_slot", "count": 1 + u64::from(r % 3)}),
                );
            }
            12..=18 => {
                post(
                    addr,
                    "/devnet/admin/fault",
                    json!({"kind": "reorg", "depth": 1 + u64::from(r % 2)}),
                );
            }
            19..=22 => {
                post(addr, "/devnet/admin/fault", json!({"kind": "equivocate"}));
            }
            23..=29 => {
                post(addr, "/devnet/admin/fault", json!({"kind": "force_tx"}));
            }
            30..=32 => {
                post(
                    addr,
                    "/devnet/admin/fault",
                    json!({"kind": "sequencer_stall", "slots": 2 + u64::from(r % 6)}),
                );
            }
            _ => {}
        }
        slot = post(addr, "/devnet/admin/advance", json!({"slots": 1}))["slot"]
            .as_u64()
            .expect("slot");

        // Committee updates from the client's period up to the chain's, then
        // the latest finality update.
        let period = client.finalized_period();
        let behind = network.period_at_slot(slot).saturating_sub(period);
        if behind > 0 {
            let text = get(
                addr,
                &format!(
                    "/eth/v1/beacon/light_client/updates?start_period={period}&count={}",
                    behind + 1
                ),
            );
            for u in updates_from_json::<32>(&text).expect("updates decode") {
                match client.process_update_at_slot(&u.data, slot) {
                    Ok(_) | Err(BeaconError::NotRelevant { .. }) => {}
                    Err(e) => panic!("seed {seed} slot {slot}: update rejected: {e}"),
                }
            }
        }
        let fin = finality_update_from_json::<32>(&get(
            addr,
            "/eth/v1/beacon/light_client/finality_update",
        ))
        .expect("finality decodes");
        match client.process_update_at_slot(&fin.data.into_update(fin.fork), slot) {
            Ok(_) | Err(BeaconError::NotRelevant { .. }) => {}
            Err(e) => panic!("seed {seed} slot {slot}: finality update rejected: {e}"),
        }
        // The optimistic head, its execution block, receipts and commitments.
        let (status, body) = http(
            addr,
            "GET",
            "/eth/v1/beacon/light_client/optimistic_update",
            "",
        );
        assert_eq!(status, 200);
        let opt = optimistic_update_from_json::<32>(std::str::from_utf8(&body).expect("utf8"))
            .expect("optimistic decodes");
        let verified = client.verify_update_at_slot(&opt.data.clone().into_update(opt.fork), slot);
        match verified {
            Ok(checked) => {
                client.apply_update(checked).expect("apply");
            }
            Err(BeaconError::NotRelevant { .. }) => continue,
            Err(e) => panic!("seed {seed} slot {slot}: optimistic update rejected: {e}"),
        }
        let exec = opt.data.attested_header.execution.clone();
        let block = verify_block(
            &rpc(
                addr,
                "eth_getBlockByHash",
                json!([format!("{:#x}", exec.block_hash), true]),
            ),
            Some(exec.block_hash),
        )
        .unwrap_or_else(|e| panic!("seed {seed} slot {slot}: block: {e}"));
        let receipts = verify_block_receipts(
            &block,
            &rpc(
                addr,
                "eth_getBlockReceipts",
                json!([format!("{:#x}", exec.block_hash)]),
            ),
        )
        .unwrap_or_else(|e| panic!("seed {seed} slot {slot}: receipts: {e}"));
        // Recent feed messages only (a committed segment is short).
        let tip: u64 = receipts
            .logs
            .iter()
            .filter_map(|l| {
                decode_inbox_log(
                    &L1Log {
                        address: l.address,
                        topics: l.topics.clone(),
                        data: l.data.clone(),
                    },
                    inbox,
                )
                .ok()
                .flatten()
            })
            .find_map(|e| match e {
                InboxEvent::Commit { number, .. } => Some(number),
                InboxEvent::Forced { .. } => None,
            })
            .unwrap_or(0);
        let feed: Value = serde_json::from_str(&get(
            addr,
            &format!("/rollup/blocks?from={}", tip.saturating_sub(200)),
        ))
        .expect("feed");
        let by_hash: HashMap<B256, FeedMessage> = feed
            .as_array()
            .expect("array")
            .iter()
            .map(|m| FeedMessage::from_json(&m.to_string()).expect("feed message"))
            .map(|m| (m.block.header.hash(), m))
            .collect();
        for l in &receipts.logs {
            let log = L1Log {
                address: l.address,
                topics: l.topics.clone(),
                data: l.data.clone(),
            };
            if let Some(InboxEvent::Commit {
                block_hash,
                prev_committed,
                ..
            }) = decode_inbox_log(&log, inbox).expect("inbox log")
            {
                let mut cur = block_hash;
                while cur != prev_committed {
                    let m = by_hash.get(&cur).unwrap_or_else(|| {
                        panic!("seed {seed}: committed block {cur} not in the feed")
                    });
                    m.block.check_body().expect("body");
                    assert!(
                        m.block.header.l1_slot <= opt.data.attested_header.beacon.slot,
                        "no certified block from the future"
                    );
                    cur = m.block.header.parent_hash;
                }
                checked_commits += 1;
            }
        }
        // Ground truth: finalized stays finalized.
        if slot % 25 != 0 {
            continue;
        }
        let truth: Value = serde_json::from_str(&get(addr, "/devnet/truth")).expect("truth");
        let now_finalized: HashSet<String> = truth["l2"]
            .as_array()
            .expect("l2")
            .iter()
            .filter(|b| b["truth"]["fate"] == json!("finalized"))
            .map(|b| b["hash"].as_str().expect("hash").to_string())
            .collect();
        assert!(
            finalized_seen.is_subset(&now_finalized),
            "seed {seed} slot {slot}: a finalized L2 block lost finality"
        );
        finalized_seen = now_finalized;
    }
    assert!(
        checked_commits > slots / 4,
        "seed {seed}: only {checked_commits} commitments checked"
    );
    assert!(
        client.finalized_period() >= network.period_at_slot(slot).saturating_sub(1),
        "the client kept up"
    );
}

#[test]
fn random_faults_short() {
    for seed in [1, 2] {
        soak(seed, 150);
    }
}

#[test]
#[ignore = "soak: run with --release -- --ignored"]
fn random_faults_soak() {
    for seed in [3, 4, 5] {
        soak(seed, 2000);
    }
}
