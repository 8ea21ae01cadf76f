//! Each fault the devnet injects shows on the wire as intended, whether it
//! comes from the admin endpoint or from the command line (`Options::faults`
//! / `fault_every`, what `--fault` / `--fault-every` parse into), and the
//! ground truth (`/devnet/truth/l2`) says what became of every L2 block and why.

mod common;

use common::*;
use preconf_devnet::Options;
use preconf_devnet::l2::L2Options;
use preconf_light::rollup::FeedMessage;
use preconf_light::rollup::header::{KIND_BASED, KIND_SEQUENCED, KIND_SLOT_ENDING};
use serde_json::{Value, json};

fn l2(blocks_per_slot: u64, based_every: u64, stall_limit_slots: u64) -> L2Options {
    L2Options {
        blocks_per_slot,
        based_every,
        stall_limit_slots,
        committee: false,
        nth_rule: false,
    }
}

fn committed_head_at(addr: std::net::SocketAddr, slot: u64) -> Option<String> {
    get_json(addr, "/devnet/truth")["canonical"]
        .as_array()
        .expect("canonical")
        .iter()
        .find(|b| b["slot"] == json!(slot))
        .map(|b| b["committedL2Head"].as_str().expect("head").to_string())
}

#[test]
fn a_late_slot_ending_block_follows_its_l1_block_and_the_next_slot_commits_it() {
    let addr = start(21, l2(3, 0, 10));
    advance(addr, 2);
    let mut sse = Sse::open(addr, "/eth/v1/events?topics=head,block");
    fault(addr, json!({"kind": "late_slot_ending"}));
    let slot = advance(addr, 1);
    // On the wire: the slot's two sequenced blocks, its L1 block, then the
    // slot-ending block.
    let mut order = Vec::new();
    while order.len() < 4 {
        let (event, data) = sse.next();
        order.push(match event.as_str() {
            "head" => {
                let v: Value = serde_json::from_str(&data).expect("head json");
                assert_eq!(v["slot"], json!(slot.to_string()));
                "head".to_string()
            }
            "block" => {
                let m = FeedMessage::from_json(&data).expect("feed message");
                assert_eq!(m.block.header.l1_slot, slot);
                format!("l2 kind {}", m.block.header.kind)
            }
            other => panic!("unexpected event {other}"),
        });
    }
    assert_eq!(order, ["l2 kind 0", "l2 kind 0", "head", "l2 kind 1"]);
    // The L1 block of the slot committed nothing; the late block is pending.
    assert_eq!(
        committed_head_at(addr, slot),
        committed_head_at(addr, slot - 1)
    );
    let msgs = feed(addr);
    let late = msgs
        .iter()
        .find(|m| m.block.header.l1_slot == slot && m.block.header.kind == KIND_SLOT_ENDING)
        .expect("late slot-ending block");
    let hash = late.block.header.hash();
    assert_eq!(truth_of(addr, hash)["fate"], json!("pending"));
    // The next slot builds on it and its commitment carries it.
    advance(addr, 1);
    let t = truth_of(addr, hash);
    assert_eq!(
        (t["fate"].clone(), t["l1Slot"].clone()),
        (json!("included"), json!(slot + 1))
    );
    assert_eq!(
        committed_head_at(addr, slot + 1),
        feed(addr)
            .iter()
            .rfind(|m| m.block.header.l1_slot == slot + 1)
            .map(|m| format!("{:#x}", m.block.header.hash()))
    );
}

#[test]
fn no_based_builder_means_no_based_blocks_until_it_returns() {
    let addr = start(22, l2(2, 1, 10));
    let first = advance(addr, 2);
    let based_in = |from: u64, to: u64| {
        feed(addr)
            .iter()
            .filter(|m| {
                m.block.header.kind == KIND_BASED && (from..=to).contains(&m.block.header.l1_slot)
            })
            .count()
    };
    assert_eq!(based_in(1, first), 2, "a builder every slot");
    fault(addr, json!({"kind": "no_builder"}));
    let quiet = advance(addr, 3);
    assert_eq!(based_in(first + 1, quiet), 0);
    // Without a builder the slot-ending blocks are committed instead.
    for m in feed(addr)
        .iter()
        .filter(|m| m.block.header.l1_slot > first && m.block.header.kind == KIND_SLOT_ENDING)
    {
        assert_eq!(
            truth_of(addr, m.block.header.hash())["fate"],
            json!("included")
        );
    }
    fault(addr, json!({"kind": "no_builder", "on": false}));
    let back = advance(addr, 1);
    assert_eq!(based_in(back, back), 1);
}

fn finalized_slot_served(addr: std::net::SocketAddr) -> Option<u64> {
    let (status, body) = http(
        addr,
        "GET",
        "/eth/v1/beacon/light_client/finality_update",
        "",
    );
    (status == 200).then(|| {
        let v: Value = serde_json::from_slice(&body).expect("json");
        v["data"]["finalized_header"]["beacon"]["slot"]
            .as_str()
            .expect("slot")
            .parse()
            .expect("number")
    })
}

#[test]
fn stalled_finality_from_the_command_line_freezes_the_served_checkpoint() {
    let addr = start_opts(Options {
        seed: 23,
        l2: l2(2, 0, 10),
        faults: vec![json!({"kind": "stall_finality"})],
        ..Options::default()
    });
    advance(addr, 40);
    let frozen = finalized_slot_served(addr).unwrap_or(0);
    assert_eq!(frozen, 0, "finality never left genesis");
    assert_eq!(
        get_json(addr, "/devnet/truth")["finalized"]["epoch"],
        json!(0)
    );
    fault(addr, json!({"kind": "stall_finality", "on": false}));
    advance(addr, 24);
    let moved = finalized_slot_served(addr).expect("a finality update");
    assert!(moved > 0, "finality advances again: {moved}");
    assert!(get_json(addr, "/devnet/truth")["finalized"]["epoch"].as_u64() > Some(0));
}

#[test]
fn withheld_updates_answer_404_and_come_back() {
    let addr = start(24, l2(2, 0, 10));
    advance(addr, 10);
    fault(addr, json!({"kind": "withhold_updates"}));
    for path in [
        "/eth/v1/beacon/light_client/finality_update",
        "/eth/v1/beacon/light_client/optimistic_update",
        "/eth/v1/beacon/light_client/updates?start_period=0&count=1",
    ] {
        assert_eq!(http(addr, "GET", path, "").0, 404, "{path}");
    }
    fault(addr, json!({"kind": "withhold_updates", "on": false}));
    assert_eq!(
        http(
            addr,
            "GET",
            "/eth/v1/beacon/light_client/optimistic_update",
            ""
        )
        .0,
        200
    );
}

#[test]
fn scheduled_faults_and_bad_requests() {
    let addr = start_opts(Options {
        seed: 25,
        l2: l2(2, 0, 10),
        fault_every: vec![(4, json!({"kind": "equivocate"}))],
        ..Options::default()
    });
    advance(addr, 12);
    assert_eq!(
        get_json(addr, "/devnet/truth")["equivocations"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let (status, _) = http(addr, "POST", "/devnet/admin/fault", r#"{"kind":"meteor"}"#);
    assert_eq!(status, 400);
    let (status, _) = http(addr, "POST", "/devnet/admin/fault", "not json");
    assert_eq!(status, 400);
    let (status, _) = http(
        addr,
        "POST",
        "/devnet/admin/fault",
        r#"{"kind":"forge","endpoint":"eth_getProof","forgery":"nonsense"}"#,
    );
    assert_eq!(status, 400);
    fault(addr, json!({"kind": "late_slot_ending"}));
    fault(
        addr,
        json!({"kind": "forge", "endpoint": "eth_getProof", "forgery": "bad_branch"}),
    );
    let active = fault(addr, json!({"kind": "list"}));
    assert_eq!(active["lateSlotEnding"], json!(true));
    assert_eq!(
        active["forge"],
        json!([{"endpoint": "eth_getProof", "forgery": "bad_branch"}])
    );
}

#[test]
fn ground_truth_gives_every_revert_its_reason() {
    const K: u64 = 3;
    let addr = start(26, l2(2, 2, K));
    // A based block, then the L1 block carrying it is reorged out.
    let mut slot = advance(addr, 2);
    if slot % 2 == 1 {
        slot = advance(addr, 1);
    }
    let based = feed(addr)
        .into_iter()
        .find(|m| m.block.header.kind == KIND_BASED && m.block.header.l1_slot == slot)
        .expect("based block")
        .block
        .header
        .hash();
    let t = truth_of(addr, based);
    assert_eq!(
        (t["fate"].clone(), t["l1Slot"].clone()),
        (json!("included"), json!(slot))
    );
    assert!(t["l1BeaconRoot"].is_string() && t["l1BlockHash"].is_string());
    fault(addr, json!({"kind": "reorg", "depth": 1}));
    let t = truth_of(addr, based);
    assert_eq!(
        (t["fate"].clone(), t["reason"].clone()),
        (json!("reverted"), json!("l1Reorg"))
    );

    // Equivocation: the twin is reverted for it.
    fault(addr, json!({"kind": "equivocate"}));
    let s = advance(addr, 1);
    let pair = get_json(addr, "/devnet/truth")["equivocations"][0].clone();
    let twin: alloy_primitives::B256 = pair[1].as_str().expect("twin").parse().expect("hash");
    let t = truth_of(addr, twin);
    assert_eq!(
        (
            t["fate"].clone(),
            t["reason"].clone(),
            t["atL1Slot"].clone()
        ),
        (json!("reverted"), json!("equivocation"), json!(s))
    );

    // Missed proposers past K: based mode invalidates the certified blocks.
    let before = advance(addr, 1);
    fault(addr, json!({"kind": "missed_slot", "count": K + 1}));
    let after = advance(addr, K + 2);
    let all = get_json(addr, "/devnet/truth/l2");
    assert_eq!(all["l1Slot"], json!(after));
    let invalidated: Vec<&Value> = all["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter(|b| b["kind"] == json!(KIND_SEQUENCED) || b["kind"] == json!(KIND_SLOT_ENDING))
        .filter(|b| {
            b["l1Slot"]
                .as_u64()
                .is_some_and(|s| s > before && s <= before + K + 1)
        })
        .collect();
    assert!(!invalidated.is_empty());
    for b in invalidated {
        assert_eq!(b["truth"]["fate"], json!("reverted"), "{b}");
        assert_eq!(b["truth"]["reason"], json!("basedModeSwitch"), "{b}");
    }
    assert_eq!(http(addr, "GET", "/devnet/truth/l2/0x1234", "").0, 404);
}
