//! The devnet's L2 half, fetched over HTTP and checked with the library:
//! feed messages decode (PROTOCOL.md section 7), certificates verify against
//! the configured sequencer key (section 2.1), bodies match their headers,
//! the slot-ending marker rule holds, based blocks sit on the slot-ending
//! block of their slot, and the inbox commitments found in light-client
//! verified L1 receipts and state commit exactly those blocks.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use alloy_primitives::{Address, B256, U256};
use preconf_devnet::Options;
use preconf_devnet::el::COMMITTED_HEAD_SLOT;
use preconf_devnet::l2::L2Options;
use preconf_light::beacon::{
    MinimalLightClient, Network, bootstrap_from_json, optimistic_update_from_json,
    updates_from_json,
};
use preconf_light::execution::{verify_account_proof_for, verify_block, verify_block_receipts};
use preconf_light::rollup::certificate::verify_ecdsa_certificate;
use preconf_light::rollup::header::{KIND_BASED, KIND_SEQUENCED, KIND_SLOT_ENDING};
use preconf_light::rollup::l1::{L1Log, decode_inbox_log};
use preconf_light::rollup::{
    Certificate, FeedMessage, InboxEvent, L1Timing, RollupConfig, SequencerAuth, SlotEndingRule,
};
use serde_json::{Value, json};

use common::{advance, feed, get, get_json, post, rpc};

const BLOCKS_PER_SLOT: u64 = 3;
const BASED_EVERY: u64 = 4;

fn truth_of(addr: SocketAddr, hash: B256) -> Value {
    let truth: Value = serde_json::from_str(&get(addr, "/devnet/truth")).expect("truth");
    truth["l2"]
        .as_array()
        .expect("l2 truth")
        .iter()
        .find(|b| b["hash"] == json!(format!("{hash:#x}")))
        .map(|b| b["truth"]["fate"].clone())
        .expect("block in truth")
}

#[test]
fn sequencer_blocks_verify_and_light_client_verified_l1_commits_them() {
    let handle = preconf_devnet::server::start(Options {
        seed: 5,
        port: 0,
        root: None,
        manual: true,
        genesis_time: Some(1_700_000_000),
        slot_ms: 1000,
        l2: L2Options {
            blocks_per_slot: BLOCKS_PER_SLOT,
            based_every: BASED_EVERY,
            stall_limit_slots: 10,
            committee: false,
            nth_rule: false,
        },
        ..Options::default()
    })
    .expect("start");
    let addr = handle.addr;
    let slot = advance(addr, 30);

    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let network = Network::from_json(&config["network"]).expect("network");
    let rollup = &config["rollup"];
    let chain_id = rollup["chainId"].as_u64().expect("chain id");
    let sequencer: Address = rollup["sequencer"]["address"]
        .as_str()
        .expect("seq")
        .parse()
        .expect("address");
    let inbox: Address = rollup["inbox"]
        .as_str()
        .expect("inbox")
        .parse()
        .expect("address");
    let library_config = RollupConfig {
        chain_id,
        sequencer: SequencerAuth::Key(sequencer),
        slot_ending: SlotEndingRule::Marker,
        stall_limit_slots: rollup["stallLimitSlots"].as_u64().expect("k"),
        forced_inclusion_window_slots: rollup["forcedInclusionWindowSlots"]
            .as_u64()
            .expect("window"),
        inbox,
        l1: L1Timing {
            genesis_time: network.genesis_time(),
            seconds_per_slot: network.seconds_per_slot(),
            slots_per_epoch: network.preset().slots_per_epoch,
        },
    };
    library_config.validate().expect("valid config");
    assert_eq!(
        rollup["configHash"],
        json!(format!("{:#x}", library_config.config_hash()))
    );

    // Every feed message: body matches, certificate verifies (or none for based blocks).
    let msgs = feed(addr);
    assert_eq!(
        msgs.len() as u64,
        1 + slot * BLOCKS_PER_SLOT + slot / BASED_EVERY,
        "genesis, 3 per slot, based every 4th"
    );
    for m in &msgs[1..] {
        m.block.check_body().expect("body matches transactionsRoot");
        let hash = m.block.header.hash();
        match (&m.certificate, m.block.header.kind) {
            (Certificate::Ecdsa(sig), KIND_SEQUENCED | KIND_SLOT_ENDING) => {
                verify_ecdsa_certificate(sig, chain_id, hash, sequencer)
                    .expect("certificate verifies")
            }
            (Certificate::None, KIND_BASED) => {}
            other => panic!("unexpected certificate/kind {other:?}"),
        }
    }
    // A forged certificate (another block's) does not verify.
    if let (Certificate::Ecdsa(sig), other) = (&msgs[1].certificate, msgs[2].block.header.hash()) {
        assert!(verify_ecdsa_certificate(sig, chain_id, other, sequencer).is_err());
    }
    // Marker rule and based blocks on the slot-ending block of their slot.
    let by_hash: std::collections::HashMap<B256, &FeedMessage> =
        msgs.iter().map(|m| (m.block.header.hash(), m)).collect();
    for s in 1..=slot {
        let of_slot: Vec<&FeedMessage> = msgs
            .iter()
            .filter(|m| m.block.header.l1_slot == s)
            .collect();
        let ending: Vec<_> = of_slot
            .iter()
            .filter(|m| m.block.header.kind == KIND_SLOT_ENDING)
            .collect();
        assert_eq!(ending.len(), 1, "one slot-ending block in slot {s}");
        for b in of_slot.iter().filter(|m| m.block.header.kind == KIND_BASED) {
            let parent = by_hash[&b.block.header.parent_hash];
            assert_eq!(parent.block.header.kind, KIND_SLOT_ENDING);
            assert_eq!(parent.block.header.l1_slot, s);
            assert_eq!(
                parent.block.header.l1_parent_beacon_root,
                b.block.header.l1_parent_beacon_root
            );
        }
    }

    // The L1 side through the light client: the optimistic head's block commits
    // the slot's last L2 block, on the L1 parent that block names.
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
    let mut client = MinimalLightClient::from_bootstrap(network, checkpoint, &boot.data)
        .expect("bootstrap verifies");
    let updates = updates_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/updates?start_period=0&count=1",
    ))
    .expect("updates");
    client
        .process_update_at_slot(&updates[0].data, slot)
        .expect("update");
    let opt = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("opt");
    let attested = opt.data.attested_header.clone();
    client
        .process_update_at_slot(&opt.data.into_update(opt.fork), slot)
        .expect("optimistic verifies");
    let head = client.optimistic();
    let exec = head.execution.expect("execution");
    let block = rpc(
        addr,
        "eth_getBlockByHash",
        json!([format!("{:#x}", exec.block_hash), true]),
    );
    let block = verify_block(&block, Some(exec.block_hash)).expect("block");
    let receipts = rpc(
        addr,
        "eth_getBlockReceipts",
        json!([format!("{:#x}", exec.block_hash)]),
    );
    let receipts = verify_block_receipts(&block, &receipts).expect("receipts");
    let events: Vec<InboxEvent> = receipts
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
            .expect("inbox log decodes")
        })
        .collect();
    let [
        InboxEvent::Commit {
            block_hash,
            number,
            prev_committed,
        },
    ] = events.as_slice()
    else {
        panic!("one commitment per L1 block, got {events:?}")
    };
    let committed = by_hash[block_hash];
    assert_eq!(committed.block.header.number, *number);
    assert_eq!(
        committed.block.header.l1_slot, head.slot,
        "committed in the L1 block of its slot"
    );
    assert_eq!(
        committed.block.header.l1_parent_beacon_root,
        attested.beacon.parent_root
    );
    assert_eq!(
        committed.block.header.l1_parent_block_hash,
        attested.execution.parent_hash
    );
    // The committed segment chains back to the previous commitment.
    let mut cur = *block_hash;
    while cur != *prev_committed {
        cur = by_hash
            .get(&cur)
            .expect("segment block in the feed")
            .block
            .header
            .parent_hash;
    }
    let proof = rpc(
        addr,
        "eth_getProof",
        json!([
            format!("{inbox:#x}"),
            [format!("{COMMITTED_HEAD_SLOT:#x}")],
            format!("{:#x}", exec.block_number)
        ]),
    );
    let account = verify_account_proof_for(exec.state_root, inbox, &[COMMITTED_HEAD_SLOT], &proof)
        .expect("proof");
    assert_eq!(account.storage[0].value, U256::from_be_bytes(block_hash.0));
    assert_eq!(truth_of(addr, *block_hash), json!("included"));

    // A missed L1 slot: nothing commits its blocks, and the sequencer starts
    // the next slot on its slot-ending block.
    post(
        addr,
        "/devnet/admin/fault",
        json!({"kind": "missed_slot", "count": 1}),
    );
    let next = advance(addr, 1);
    let msgs = feed(addr);
    let ending = msgs
        .iter()
        .find(|m| m.block.header.l1_slot == next && m.block.header.kind == KIND_SLOT_ENDING)
        .expect("E");
    assert_eq!(truth_of(addr, ending.block.header.hash()), json!("pending"));
    let slot = advance(addr, 1);
    let msgs = feed(addr);
    let first = msgs
        .iter()
        .find(|m| m.block.header.l1_slot == slot)
        .expect("next slot block");
    assert_eq!(first.block.header.parent_hash, ending.block.header.hash());
    assert_eq!(
        truth_of(addr, ending.block.header.hash()),
        json!("included"),
        "committed with the next slot's segment"
    );

    // A reorg that drops the L1 block carrying a based block reverts it and
    // everything built on it; the sequencer resumes on its slot-ending parent.
    let target = (slot / BASED_EVERY + 1) * BASED_EVERY;
    let slot = advance(addr, target - slot);
    let msgs = feed(addr);
    let based = msgs
        .iter()
        .find(|m| m.block.header.l1_slot == slot && m.block.header.kind == KIND_BASED)
        .expect("based block");
    assert_eq!(truth_of(addr, based.block.header.hash()), json!("included"));
    let slot = advance(addr, 1);
    post(
        addr,
        "/devnet/admin/fault",
        json!({"kind": "reorg", "depth": 2}),
    );
    assert_eq!(truth_of(addr, based.block.header.hash()), json!("reverted"));
    let slot2 = advance(addr, 1);
    assert_eq!(slot2, slot + 1);
    let msgs = feed(addr);
    let resumed = msgs
        .iter()
        .find(|m| m.block.header.l1_slot == slot2)
        .expect("resumed block");
    assert_eq!(
        resumed.block.header.parent_hash, based.block.header.parent_hash,
        "resumes on E"
    );
    assert_eq!(
        truth_of(addr, resumed.block.header.hash()),
        json!("included")
    );
}

/// Two preconfirmed blocks a slot, no based blocks, one signing key.
fn two_blocks_per_slot() -> L2Options {
    L2Options {
        blocks_per_slot: 2,
        based_every: 0,
        stall_limit_slots: 10,
        committee: false,
        nth_rule: false,
    }
}

fn start_with(seed: u64, l2: L2Options) -> SocketAddr {
    preconf_devnet::server::start(Options {
        seed,
        port: 0,
        root: None,
        manual: true,
        genesis_time: Some(1_700_000_000),
        slot_ms: 1000,
        l2,
        ..Options::default()
    })
    .expect("start")
    .addr
}

fn truth(addr: SocketAddr) -> Value {
    serde_json::from_str(&get(addr, "/devnet/truth")).expect("truth")
}

#[test]
fn sequencer_faults_equivocation_missing_slot_ending_stall_and_forged_certificates() {
    const K: u64 = 3;
    let addr = start_with(
        9,
        L2Options {
            blocks_per_slot: 2,
            based_every: 0,
            stall_limit_slots: K,
            committee: false,
            nth_rule: false,
        },
    );
    advance(addr, 4);
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let chain_id = config["rollup"]["chainId"].as_u64().expect("id");
    let sequencer: Address = config["rollup"]["sequencer"]["address"]
        .as_str()
        .expect("seq")
        .parse()
        .expect("address");

    // Forged certificates on the feed: each is a real signature of another block.
    post(
        addr,
        "/devnet/admin/fault",
        json!({"kind": "forge", "endpoint": "/rollup/blocks", "forgery": "bad_signature"}),
    );
    let forged = feed(addr);
    let certified: Vec<&FeedMessage> = forged
        .iter()
        .filter(|m| m.block.header.number > 1)
        .collect();
    assert!(!certified.is_empty());
    for m in certified {
        let Certificate::Ecdsa(sig) = &m.certificate else {
            panic!("certified")
        };
        assert_eq!(
            verify_ecdsa_certificate(sig, chain_id, m.block.header.hash(), sequencer),
            Err(preconf_light::rollup::RollupError::InvalidSignature)
        );
    }
    post(addr, "/devnet/admin/fault", json!({"kind": "clear"}));

    // Equivocation: two valid certificates at one height; the twin is never extended.
    post(addr, "/devnet/admin/fault", json!({"kind": "equivocate"}));
    let slot = advance(addr, 1);
    let t = truth(addr);
    let pair = &t["equivocations"][0];
    let (a, b): (B256, B256) = (
        pair[0].as_str().expect("a").parse().expect("h"),
        pair[1].as_str().expect("b").parse().expect("h"),
    );
    let msgs = feed(addr);
    let find = |h: B256| {
        msgs.iter()
            .find(|m| m.block.header.hash() == h)
            .expect("in feed")
            .clone()
    };
    let (ma, mb) = (find(a), find(b));
    assert_eq!(ma.block.header.number, mb.block.header.number);
    assert_ne!(a, b);
    for m in [&ma, &mb] {
        let Certificate::Ecdsa(sig) = &m.certificate else {
            panic!("certified")
        };
        verify_ecdsa_certificate(sig, chain_id, m.block.header.hash(), sequencer)
            .expect("both certificates are genuine");
    }
    assert_eq!(truth_of(addr, b), json!("reverted"));
    assert_eq!(truth_of(addr, a), json!("included"));

    // No slot-ending block in a slot: its last block is an ordinary sequenced one.
    post(
        addr,
        "/devnet/admin/fault",
        json!({"kind": "skip_slot_ending"}),
    );
    let slot = advance(addr, 1).max(slot + 1);
    let msgs = feed(addr);
    assert!(
        msgs.iter()
            .filter(|m| m.block.header.l1_slot == slot)
            .all(|m| m.block.header.kind == KIND_SEQUENCED)
    );

    // A sequencer stall longer than K: based mode at slot last + K + 1, a
    // based block on the committed head ends it, and the sequencer resumes on it.
    let last_commit = slot;
    post(
        addr,
        "/devnet/admin/fault",
        json!({"kind": "sequencer_stall", "slots": K + 3}),
    );
    let slot = advance(addr, K + 1);
    let t = truth(addr);
    assert_eq!(t["basedModeSlots"], json!([last_commit + K + 1]));
    let msgs = feed(addr);
    let based = msgs
        .iter()
        .find(|m| m.block.header.kind == KIND_BASED)
        .expect("based block");
    assert_eq!(based.block.header.l1_slot, slot);
    assert_eq!(based.certificate, Certificate::None);
    let committed_before = msgs
        .iter()
        .rfind(|m| m.block.header.l1_slot == last_commit)
        .expect("last committed");
    assert_eq!(
        based.block.header.parent_hash,
        committed_before.block.header.hash(),
        "based block on the committed head"
    );
    assert_eq!(truth_of(addr, based.block.header.hash()), json!("included"));

    // Missed L1 proposers for more than K slots: the certified blocks of those
    // slots are invalidated by the based-mode switch.
    post(addr, "/devnet/admin/fault", json!({"kind": "clear"}));
    let slot = advance(addr, 1);
    post(
        addr,
        "/devnet/admin/fault",
        json!({"kind": "missed_slot", "count": K + 1}),
    );
    advance(addr, K + 2);
    let msgs = feed(addr);
    let orphaned: Vec<&FeedMessage> = msgs
        .iter()
        .filter(|m| m.block.header.l1_slot > slot && m.block.header.l1_slot <= slot + K + 1)
        .collect();
    assert!(!orphaned.is_empty());
    for m in orphaned {
        assert_eq!(
            truth_of(addr, m.block.header.hash()),
            json!("reverted"),
            "invalidated by based mode"
        );
    }
    assert_eq!(
        truth(addr)["basedModeSlots"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn the_sequencer_feed_streams_every_block_over_sse() {
    use std::io::{BufRead, BufReader};
    let addr = start_with(
        13,
        L2Options {
            blocks_per_slot: 3,
            based_every: 2,
            stall_limit_slots: 10,
            committee: false,
            nth_rule: false,
        },
    );
    advance(addr, 1);
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "GET /rollup/feed HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("write");
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    while reader.read_line(&mut line).expect("head") > 2 {
        line.clear();
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let slot = advance(addr, 1);
    assert_eq!(slot % 2, 0, "a based slot");
    let mut got = Vec::new();
    while got.len() < 4 {
        line.clear();
        reader.read_line(&mut line).expect("line");
        if let Some(data) = line.strip_prefix("data: ") {
            got.push(FeedMessage::from_json(data.trim()).expect("feed message"));
        }
    }
    let kinds: Vec<u8> = got.iter().map(|m| m.block.header.kind).collect();
    assert_eq!(
        kinds,
        vec![KIND_SEQUENCED, KIND_SEQUENCED, KIND_SLOT_ENDING, KIND_BASED]
    );
    assert!(got.iter().all(|m| m.block.header.l1_slot == slot));
    for pair in got.windows(2) {
        assert_eq!(
            pair[1].block.header.parent_hash,
            pair[0].block.header.hash()
        );
    }
    // The binary form (section 7) of the same block round-trips.
    let hash = got[0].block.header.hash();
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET /rollup/block/{hash:#x} HTTP/1.1\r\nHost: x\r\nAccept: application/octet-stream\r\nConnection: close\r\n\r\n").expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head") + 4;
    assert_eq!(
        FeedMessage::decode_binary(&raw[split..]).expect("binary feed message"),
        got[0]
    );
}

#[test]
fn committee_mode_announces_the_committee_on_l1_and_certifies_with_two_thirds() {
    use preconf_light::rollup::certificate::{bls_message, committee_hash, meets_threshold};
    use preconf_light::rollup::{CommitteeAnnouncement, CommitteeMember};
    let addr = start_with(
        21,
        L2Options {
            blocks_per_slot: 2,
            based_every: 0,
            stall_limit_slots: 10,
            committee: true,
            nth_rule: false,
        },
    );
    let slot = advance(addr, 6);
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let seq = &config["rollup"]["sequencer"];
    assert_eq!(seq["kind"], json!("committee"));
    let members: Vec<CommitteeMember> =
        serde_json::from_value(seq["members"].clone()).expect("members");
    let id = seq["committeeId"].as_u64().expect("id");
    let hash = committee_hash(id, &members);
    assert_eq!(seq["committeeHash"], json!(format!("{hash:#x}")));

    // The announcement, proven against a light-client verified L1 state root.
    let network = Network::from_json(&config["network"]).expect("network");
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
    let mut client =
        MinimalLightClient::from_bootstrap(network, checkpoint, &boot.data).expect("bootstrap");
    let opt = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("opt");
    client
        .process_update_at_slot(&opt.data.into_update(opt.fork), slot)
        .expect("optimistic");
    let exec = client.optimistic().execution.expect("execution");
    let inbox: Address = config["rollup"]["inbox"]
        .as_str()
        .expect("inbox")
        .parse()
        .expect("address");
    let (hash_key, activation_key) = CommitteeAnnouncement::storage_keys(id);
    let keys = [hash_key, activation_key];
    let proof = rpc(
        addr,
        "eth_getProof",
        json!([
            format!("{inbox:#x}"),
            keys.iter().map(|k| format!("{k:#x}")).collect::<Vec<_>>(),
            format!("{:#x}", exec.block_number)
        ]),
    );
    let account = verify_account_proof_for(exec.state_root, inbox, &keys, &proof).expect("proof");
    assert_eq!(
        account.storage[0].value,
        U256::from_be_bytes(hash.0),
        "committeeHash[id]"
    );
    assert_eq!(account.storage[1].value, U256::ZERO, "active from slot 0");

    // Every certified block: a committee certificate over 2/3 of the weight,
    // whose aggregate verifies over the participating members.
    let total: u128 = members.iter().map(|m| u128::from(m.weight)).sum();
    for m in feed(addr).iter().skip(1) {
        let Certificate::Committee(cert) = &m.certificate else {
            panic!("committee certificate")
        };
        assert_eq!(cert.committee_id, id);
        let signers: Vec<&CommitteeMember> = members
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                cert.bitfield
                    .get(i / 8)
                    .is_some_and(|b| b >> (i % 8) & 1 == 1)
            })
            .map(|(_, m)| m)
            .collect();
        let signed: u128 = signers.iter().map(|m| u128::from(m.weight)).sum();
        assert!(meets_threshold(signed, total));
        let keys: Vec<blst::min_pk::PublicKey> = signers
            .iter()
            .map(|m| blst::min_pk::PublicKey::key_validate(m.pubkey.as_slice()).expect("key"))
            .collect();
        let refs: Vec<&blst::min_pk::PublicKey> = keys.iter().collect();
        let sig = blst::min_pk::Signature::sig_validate(cert.signature.as_slice(), true)
            .expect("signature");
        let msg = bls_message(m.block.header.chain_id, id, m.block.header.hash());
        assert_eq!(
            sig.fast_aggregate_verify(true, msg.as_slice(), preconf_light::bls::ETH_DST, &refs),
            blst::BLST_ERROR::BLST_SUCCESS
        );
        let wrong = bls_message(m.block.header.chain_id, id, m.block.header.parent_hash);
        assert_ne!(
            sig.fast_aggregate_verify(true, wrong.as_slice(), preconf_light::bls::ETH_DST, &refs),
            blst::BLST_ERROR::BLST_SUCCESS
        );
    }
}

#[test]
fn forced_transactions_are_requested_on_l1_and_included_before_their_deadline() {
    let addr = start_with(17, two_blocks_per_slot());
    advance(addr, 3);
    let out = post(addr, "/devnet/admin/fault", json!({"kind": "force_tx"}));
    let tx_hash: B256 = out["txHash"].as_str().expect("tx").parse().expect("hash");
    let request_slot = advance(addr, 1);
    let slot = advance(addr, 1);

    // The request, in light-client verified receipts of the L1 block of `request_slot`.
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let inbox: Address = config["rollup"]["inbox"]
        .as_str()
        .expect("inbox")
        .parse()
        .expect("address");
    let window = config["rollup"]["forcedInclusionWindowSlots"]
        .as_u64()
        .expect("window");
    let network = Network::from_json(&config["network"]).expect("network");
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
    let mut client =
        MinimalLightClient::from_bootstrap(network, checkpoint, &boot.data).expect("bootstrap");
    let opt = optimistic_update_from_json::<32>(&get(
        addr,
        "/eth/v1/beacon/light_client/optimistic_update",
    ))
    .expect("opt");
    client
        .process_update_at_slot(&opt.data.into_update(opt.fork), slot)
        .expect("optimistic");
    let head = client.optimistic();
    assert_eq!(head.slot, request_slot);
    let exec = head.execution.expect("execution");
    let block = verify_block(
        &rpc(
            addr,
            "eth_getBlockByHash",
            json!([format!("{:#x}", exec.block_hash), true]),
        ),
        Some(exec.block_hash),
    )
    .expect("block");
    let receipts = verify_block_receipts(
        &block,
        &rpc(
            addr,
            "eth_getBlockReceipts",
            json!([format!("{:#x}", exec.block_hash)]),
        ),
    )
    .expect("receipts");
    let events: Vec<InboxEvent> = receipts
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
            .expect("decodes")
        })
        .collect();
    assert!(
        events.contains(&InboxEvent::Forced {
            tx_hash,
            deadline_slot: request_slot + window
        }),
        "{events:?}"
    );
    assert_eq!(events.len(), 2, "the request and the slot's commitment");

    // The next L2 block carries it, and it is committed before the deadline.
    let msgs = feed(addr);
    let carrier = msgs
        .iter()
        .find(|m| m.block.tx_hashes().contains(&tx_hash))
        .expect("forced tx included");
    carrier.block.check_body().expect("body");
    assert_eq!(carrier.block.header.l1_slot, request_slot + 1);
    assert_eq!(
        truth_of(addr, carrier.block.header.hash()),
        json!("included")
    );
    assert!(carrier.block.header.l1_slot < request_slot + window);
}

#[test]
fn wallets_send_transfers_and_prove_l2_balances_against_certified_state_roots() {
    use preconf_devnet::el::{TxFields, sign_eip1559};
    use preconf_devnet::keys::Account;
    use preconf_light::execution::verify_account_proof_for;
    let addr = start_with(23, two_blocks_per_slot());
    advance(addr, 2);
    let accounts: Value = serde_json::from_str(&get(addr, "/devnet/accounts")).expect("accounts");
    let secret = accounts["l2"][0]["privateKey"].as_str().expect("key");
    let alice = Account::from_secret(&hex::decode(&secret[2..]).expect("hex")).expect("key");
    let bob: Address = accounts["l2"][1]["address"]
        .as_str()
        .expect("bob")
        .parse()
        .expect("address");
    let l2 = |method: &str, params: Value| {
        post(
            addr,
            "/rpc/l2",
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
        )
    };
    let nonce = u64::from_str_radix(
        l2(
            "eth_getTransactionCount",
            json!([format!("{:#x}", alice.address), "latest"]),
        )["result"]
            .as_str()
            .expect("nonce")
            .trim_start_matches("0x"),
        16,
    )
    .expect("hex");
    let value = U256::from(123_456_789u64);
    let tx = sign_eip1559(
        &alice,
        TxFields {
            chain_id: 690_420,
            nonce,
            max_fee: 1_000_000,
            gas: 21_000,
            to: bob,
            value,
            input: Default::default(),
        },
    );
    let sent = l2(
        "eth_sendRawTransaction",
        json!([format!("0x{}", hex::encode(&tx.envelope))]),
    );
    assert_eq!(sent["result"], json!(format!("{:#x}", tx.hash)));
    // A replay (same nonce) is refused.
    let again = l2(
        "eth_sendRawTransaction",
        json!([format!("0x{}", hex::encode(&tx.envelope))]),
    );
    assert!(again.get("error").is_some(), "{again}");
    advance(addr, 1);

    // Included in a certified block whose state root proves the balances.
    let msgs = feed(addr);
    let carrier = msgs
        .iter()
        .find(|m| m.block.tx_hashes().contains(&tx.hash))
        .expect("included");
    let Certificate::Ecdsa(sig) = &carrier.certificate else {
        panic!("certified")
    };
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let sequencer: Address = config["rollup"]["sequencer"]["address"]
        .as_str()
        .expect("seq")
        .parse()
        .expect("address");
    verify_ecdsa_certificate(sig, 690_420, carrier.block.header.hash(), sequencer)
        .expect("certified");
    let hash = format!("{:#x}", carrier.block.header.hash());
    let parent = format!("{:#x}", carrier.block.header.parent_hash);
    let balance_at = |block: &str| {
        let proof = l2("eth_getProof", json!([format!("{bob:#x}"), [], block]));
        let root = if block == hash {
            carrier.block.header.state_root
        } else {
            msgs.iter()
                .find(|m| format!("{:#x}", m.block.header.hash()) == block)
                .expect("parent")
                .block
                .header
                .state_root
        };
        verify_account_proof_for(root, bob, &[], &proof)
            .expect("L2 account proof")
            .balance
    };
    assert_eq!(
        balance_at(&hash) - balance_at(&parent),
        value,
        "bob received exactly the transfer"
    );
    let receipt = l2(
        "eth_getTransactionReceipt",
        json!([format!("{:#x}", tx.hash)]),
    );
    assert_eq!(receipt["result"]["blockHash"], json!(hash));
}

#[test]
fn nth_block_rule_has_no_markers_and_the_config_hash_says_so() {
    let addr = start_with(
        29,
        L2Options {
            blocks_per_slot: 3,
            based_every: 2,
            stall_limit_slots: 10,
            committee: false,
            nth_rule: true,
        },
    );
    let slot = advance(addr, 4);
    let config: Value = serde_json::from_str(&get(addr, "/devnet/client-config")).expect("config");
    let rollup = &config["rollup"];
    assert_eq!(rollup["slotEnding"], json!({ "nth": 3 }));
    let network = Network::from_json(&config["network"]).expect("network");
    let library_config = RollupConfig {
        chain_id: rollup["chainId"].as_u64().expect("id"),
        sequencer: SequencerAuth::Key(
            rollup["sequencer"]["address"]
                .as_str()
                .expect("a")
                .parse()
                .expect("address"),
        ),
        slot_ending: SlotEndingRule::NthBlock(3),
        stall_limit_slots: rollup["stallLimitSlots"].as_u64().expect("k"),
        forced_inclusion_window_slots: rollup["forcedInclusionWindowSlots"].as_u64().expect("w"),
        inbox: rollup["inbox"]
            .as_str()
            .expect("inbox")
            .parse()
            .expect("address"),
        l1: L1Timing {
            genesis_time: network.genesis_time(),
            seconds_per_slot: network.seconds_per_slot(),
            slots_per_epoch: network.preset().slots_per_epoch,
        },
    };
    assert_eq!(
        rollup["configHash"],
        json!(format!("{:#x}", library_config.config_hash()))
    );
    let msgs = feed(addr);
    for s in 1..=slot {
        let certified: Vec<&FeedMessage> = msgs
            .iter()
            .filter(|m| m.block.header.l1_slot == s && m.block.header.kind != KIND_BASED)
            .collect();
        assert_eq!(certified.len(), 3);
        assert!(
            certified
                .iter()
                .all(|m| m.block.header.kind == KIND_SEQUENCED),
            "no marker under the N-th rule"
        );
        if let Some(b) = msgs
            .iter()
            .find(|m| m.block.header.l1_slot == s && m.block.header.kind == KIND_BASED)
        {
            assert_eq!(
                b.block.header.parent_hash,
                certified[2].block.header.hash(),
                "based on the N-th block"
            );
        }
    }
}

#[test]
fn demo_endpoints_sign_and_submit_transfers_and_actions_that_land() {
    let addr = start_with(29, two_blocks_per_slot());
    advance(addr, 2);
    // Two transfers and two actions in a row: nonces come from the tip plus the queue.
    let t1 = post(addr, "/devnet/demo/transfer", json!({}))["txHash"].clone();
    let t2 = post(addr, "/devnet/demo/transfer", json!({}))["txHash"].clone();
    assert_ne!(t1, t2);
    let a1 = post(addr, "/devnet/demo/action", json!({}));
    let a2 = post(addr, "/devnet/demo/action", json!({}));
    assert_ne!(a1["l2TxHash"], a2["l2TxHash"]);
    assert_eq!(
        a1["amount"],
        json!(format!("{:#x}", preconf_devnet::demo::ACTION_VALUE))
    );
    for a in [&a1, &a2] {
        let path = format!("/devnet/action/{}", a["l2TxHash"].as_str().expect("hash"));
        assert_eq!(get_json(addr, &path)["status"], json!("pending"));
    }
    advance(addr, 2);
    let l2 = |method: &str, params: Value| {
        post(
            addr,
            "/rpc/l2",
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
        )
    };
    for t in [&t1, &t2] {
        let receipt = l2("eth_getTransactionReceipt", json!([t]));
        assert_eq!(receipt["result"]["status"], json!("0x1"), "{t}: {receipt}");
    }
    for a in [&a1, &a2] {
        let path = format!("/devnet/action/{}", a["l2TxHash"].as_str().expect("hash"));
        assert_eq!(get_json(addr, &path)["status"], json!("landed"), "{a}");
    }
    // And again once they landed.
    let t3 = post(addr, "/devnet/demo/transfer", json!({}));
    assert!(t3["txHash"].is_string(), "{t3}");
}
