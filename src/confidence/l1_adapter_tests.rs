//! Tests of the L1 adapter: real mainnet data first (Capella and Deneb light
//! clients, the Cancun block 21925176 with its 202 receipts and storage
//! proofs), synthetic tries for the inbox storage words, a negative test per rule.

use alloy_primitives::{Address, B256, U256, keccak256};
use alloy_trie::proof::ProofRetainer;
use alloy_trie::{HashBuilder, KECCAK_EMPTY, Nibbles};
use serde_json::{Value, json};

use super::l1_adapter::*;
use crate::Verified;
use crate::beacon::{
    self, Fork, LightClient, Network, bootstrap_from_json, finality_update_from_json,
    updates_from_json,
};
use crate::execution::{
    ExecutionBlock, PayloadContext, VerifiedReceipts, verify_block, verify_block_receipts,
    verify_payload, verify_receipts,
};
use crate::proof::{DigestKind, ProgramVkey, ProofReceipt, ProofSystem, Sp1Release};
use crate::rollup::certificate::{CommitteeAnnouncement, verify_committee};
use crate::rollup::config::L1Timing;
use crate::rollup::l1::{L1Block, decode_inbox_log, encode_commit_log};
use crate::rollup::testkit;

const MAINNET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mainnet");
const CAPELLA_ROOT: &str = "0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275";
const DENEB_INCLUSION_ROOT: &str =
    "0xf783c545d2dd90cee6c4cb92a9324323ef397f6ec85e1a3d61c48cf6cfc979e2";
const CANCUN_HASH: &str = "0x92dabfa3f61ff1c349d12f5fd0dd4c99760a0a41b77dee8f0a80f83efdcb307a";

fn text(rel: &str) -> String {
    std::fs::read_to_string(format!("{MAINNET}/{rel}")).expect("fixture readable")
}

fn json_file(rel: &str) -> Value {
    serde_json::from_str(&text(rel)).expect("fixture is JSON")
}

fn h(s: &str) -> B256 {
    s.parse().expect("hex")
}

pub(crate) fn mainnet_timing() -> L1Timing {
    let n = Network::mainnet();
    L1Timing {
        genesis_time: n.genesis_time(),
        seconds_per_slot: n.seconds_per_slot(),
        slots_per_epoch: 32,
    }
}

/// The Capella client synced to the finality update (finalized slot 7109344).
pub(crate) fn capella_client() -> LightClient {
    let net = Network::mainnet();
    let b =
        bootstrap_from_json::<512>(&text("helios/capella-lc/bootstrap.json")).expect("bootstrap");
    let mut c = LightClient::from_bootstrap(net.clone(), h(CAPELLA_ROOT), &b.data).expect("client");
    for u in updates_from_json::<512>(&text("helios/capella-lc/updates.json")).expect("updates") {
        c.process_update(&u.data, net.time_at_slot(u.data.signature_slot) + 1)
            .expect("update");
    }
    let fin = finality_update_from_json::<512>(&text("helios/capella-lc/finality.json"))
        .expect("finality");
    c.process_finality_update(&fin.data, fin.fork, net.time_at_slot(7_109_431) + 1)
        .expect("finality update");
    c
}

#[test]
fn light_client_finalized_header_is_the_real_beacon_block() {
    let c = capella_client();
    let header = from_light_client(&c, LightClientHead::Finalized, &mainnet_timing()).expect("l1");
    let block = beacon::parse_text(&text("helios/capella-lc/beacon_block_7109344.json"))
        .expect("beacon block");
    let msg = &block["data"]["message"];
    let payload = &msg["body"]["execution_payload"];
    let b = header.block;
    assert_eq!(b.slot, 7_109_344);
    assert_eq!(b.block_number, 17_923_026);
    assert_eq!(b.block_hash, h(payload["block_hash"].as_str().expect("s")));
    assert_eq!(
        b.parent_block_hash,
        h(payload["parent_hash"].as_str().expect("s"))
    );
    assert_eq!(
        b.parent_beacon_root,
        h(msg["parent_root"].as_str().expect("s"))
    );
    assert_eq!(
        header.receipts_root,
        h(payload["receipts_root"].as_str().expect("s"))
    );
    assert!(header.finalized);
    assert_eq!(*header.l1_block(), b);
    let cp = finalized_checkpoint(&c);
    assert_eq!((cp.slot, cp.beacon_root), (b.slot, b.beacon_root));
    assert_eq!(*checkpoint_of(&header).expect("finalized"), *cp);
}

#[test]
fn optimistic_header_is_not_finalized() {
    let c = capella_client();
    let header = from_light_client(&c, LightClientHead::Optimistic, &mainnet_timing()).expect("l1");
    assert_eq!(header.block.slot, 7_109_430);
    assert!(!header.finalized);
    assert!(matches!(
        checkpoint_of(&header),
        Err(L1VerifyError::NotFinalized(_))
    ));
}

#[test]
fn light_client_header_rejected_under_wrong_l1_timing() {
    let c = capella_client();
    let mut timing = mainnet_timing();
    timing.genesis_time += 1;
    assert!(matches!(
        from_light_client(&c, LightClientHead::Finalized, &timing),
        Err(L1VerifyError::TimingMismatch {
            slot: 7_109_344,
            ..
        })
    ));
}

#[test]
fn pre_capella_summary_has_no_execution_payload() {
    let c = capella_client();
    let mut s = c.finalized();
    s.execution = None;
    assert!(matches!(
        from_summary(&s, true, &mainnet_timing()),
        Err(L1VerifyError::NoExecutionPayload { slot: 7_109_344 })
    ));
}

fn cancun_block() -> Verified<ExecutionBlock> {
    verify_block(
        &json_file("helios/el-cancun/block_21925176.json"),
        Some(h(CANCUN_HASH)),
    )
    .expect("real block verifies")
}

/// A verified child of the Cancun block, as the light client would report it.
fn cancun_child(parent: &ExecutionBlock, slot: u64) -> Verified<L1Header> {
    Verified::new_unchecked(L1Header {
        block: L1Block {
            slot,
            beacon_root: B256::repeat_byte(0xc1),
            parent_beacon_root: B256::repeat_byte(0xb0),
            block_hash: B256::repeat_byte(0xc2),
            parent_block_hash: parent.hash,
            block_number: parent.header.number + 1,
            timestamp: mainnet_timing().slot_start(slot),
        },
        state_root: B256::ZERO,
        receipts_root: B256::ZERO,
        finalized: true,
    })
}

fn cancun_slot(block: &ExecutionBlock) -> u64 {
    (block.header.timestamp - mainnet_timing().genesis_time) / 12
}

#[test]
fn parent_path_rebuilds_the_real_cancun_block() {
    let block = cancun_block();
    let slot = cancun_slot(&block);
    let child = cancun_child(&block, slot + 1);
    let p = parent_header(&child, &block, &mainnet_timing()).expect("parent");
    assert_eq!(p.block.slot, slot);
    assert_eq!(p.block.beacon_root, B256::repeat_byte(0xb0));
    assert_eq!(
        p.block.parent_beacon_root,
        block.header.parent_beacon_block_root.expect("cancun")
    );
    assert_eq!(p.block.block_hash, h(CANCUN_HASH));
    assert_eq!(p.block.block_number, 21_925_176);
    assert_eq!(p.receipts_root, block.header.receipts_root);
    assert_eq!(p.state_root, block.header.state_root);
    assert!(p.finalized);
    // A missed slot between parent and child is fine.
    assert!(parent_header(&cancun_child(&block, slot + 3), &block, &mainnet_timing()).is_ok());
}

#[test]
fn parent_path_rejects_a_block_that_is_not_the_parent() {
    let block = cancun_block();
    let mut child = cancun_child(&block, cancun_slot(&block) + 1).into_inner();
    child.block.parent_block_hash = B256::repeat_byte(9);
    assert!(matches!(
        parent_header(&Verified::new_unchecked(child), &block, &mainnet_timing()),
        Err(L1VerifyError::NotParent { .. })
    ));
}

#[test]
fn parent_path_rejects_a_wrong_number() {
    let block = cancun_block();
    let mut child = cancun_child(&block, cancun_slot(&block) + 1).into_inner();
    child.block.block_number += 1;
    assert!(matches!(
        parent_header(&Verified::new_unchecked(child), &block, &mainnet_timing()),
        Err(L1VerifyError::ParentNumber { .. })
    ));
}

#[test]
fn parent_path_rejects_a_timestamp_off_the_slot_grid() {
    let block = cancun_block();
    let child = cancun_child(&block, cancun_slot(&block) + 1);
    let mut timing = mainnet_timing();
    timing.genesis_time += 5;
    assert!(matches!(
        parent_header(&child, &block, &timing),
        Err(L1VerifyError::TimestampNotOnSlot(_))
    ));
    timing.genesis_time = block.header.timestamp + 12;
    assert!(matches!(
        parent_header(&child, &block, &timing),
        Err(L1VerifyError::TimestampNotOnSlot(_))
    ));
}

#[test]
fn parent_path_rejects_a_parent_slot_not_before_the_child() {
    let block = cancun_block();
    let slot = cancun_slot(&block);
    assert!(matches!(
        parent_header(&cancun_child(&block, slot), &block, &mainnet_timing()),
        Err(L1VerifyError::SlotNotBefore { .. })
    ));
}

#[test]
fn parent_path_rejects_a_pre_deneb_header() {
    // The real Capella payload of slot 7109344: hash-verified, no parentBeaconBlockRoot.
    let block = beacon::parse_text(&text("helios/capella-lc/beacon_block_7109344.json"))
        .expect("beacon block");
    let payload = &block["data"]["message"]["body"]["execution_payload"];
    let capella = verify_payload(
        payload,
        PayloadContext {
            parent_beacon_block_root: None,
            requests_hash: None,
        },
    )
    .expect("real payload verifies");
    let child = cancun_child(&capella, 7_109_345);
    assert!(matches!(
        parent_header(&child, &capella, &mainnet_timing()),
        Err(L1VerifyError::NoParentBeaconRoot(_))
    ));
}

fn cancun_header() -> (Verified<ExecutionBlock>, Verified<L1Header>) {
    let block = cancun_block();
    let child = cancun_child(&block, cancun_slot(&block) + 1);
    let header = parent_header(&child, &block, &mainnet_timing()).expect("parent");
    (block, header)
}

fn cancun_receipts(block: &Verified<ExecutionBlock>) -> Verified<VerifiedReceipts> {
    verify_block_receipts(block, &json_file("helios/el-cancun/receipts_21925176.json"))
        .expect("real receipts verify")
}

#[test]
fn inbox_logs_are_complete_and_ordered_on_real_receipts() {
    let (block, header) = cancun_header();
    let receipts = cancun_receipts(&block);
    assert_eq!(receipts.receipts.len(), 202);
    // The address with the most logs in the block plays the inbox.
    let mut counts = std::collections::HashMap::<Address, usize>::new();
    for l in &receipts.logs {
        *counts.entry(l.address).or_default() += 1;
    }
    let (&inbox, &n) = counts.iter().max_by_key(|(a, n)| (**n, **a)).expect("logs");
    assert!(n > 1);
    let logs = inbox_logs(&header, &receipts, inbox).expect("logs");
    assert_eq!(logs.logs.len(), n);
    assert_eq!(logs.block_hash, h(CANCUN_HASH));
    assert_eq!(logs.beacon_root, header.block.beacon_root);
    let expected: Vec<_> = receipts
        .logs
        .iter()
        .filter(|l| l.address == inbox)
        .map(|l| (l.topics.clone(), l.data.clone()))
        .collect();
    let got: Vec<_> = logs
        .logs
        .iter()
        .map(|l| (l.topics.clone(), l.data.clone()))
        .collect();
    assert_eq!(got, expected);
    // None of them is an inbox event: decoding ignores foreign topics.
    for l in &logs.logs {
        assert_eq!(decode_inbox_log(l, inbox), Ok(None));
    }
}

#[test]
fn inbox_logs_reject_receipts_of_another_root() {
    let (_, header) = cancun_header();
    // Receipts verified against a different root (the real list, re-rooted).
    let receipts = verify_receipts(
        header.receipts_root,
        &json_file("helios/el-cancun/receipts_21925176.json"),
    )
    .expect("real receipts");
    let mut other = header.into_inner();
    other.receipts_root = B256::repeat_byte(7);
    assert!(matches!(
        inbox_logs(&Verified::new_unchecked(other), &receipts, Address::ZERO),
        Err(L1VerifyError::ReceiptsRootMismatch { .. })
    ));
}

/// The Cancun block with its transaction hashes taken from the block JSON
/// (the fixture lists hashes only, so they are not rebuilt against the root here).
fn cancun_with_tx_hashes(
    block: &Verified<ExecutionBlock>,
) -> (Verified<ExecutionBlock>, Vec<B256>) {
    let v = json_file("helios/el-cancun/block_21925176.json");
    let hashes: Vec<B256> = v["transactions"]
        .as_array()
        .expect("array")
        .iter()
        .map(|t| h(t.as_str().expect("hash")))
        .collect();
    let mut b = block.clone().into_inner();
    b.transaction_hashes = Some(hashes.clone());
    (Verified::new_unchecked(b), hashes)
}

#[test]
fn l1_receipt_of_a_real_transaction() {
    let (block, header) = cancun_header();
    let receipts = cancun_receipts(&block);
    let (full, hashes) = cancun_with_tx_hashes(&block);
    for i in [0usize, 100, 201] {
        let r = l1_tx_receipt(&header, &full, &receipts, hashes[i]).expect("receipt");
        assert_eq!(r.tx_hash, hashes[i]);
        assert_eq!(r.beacon_root, header.block.beacon_root);
        assert_eq!(r.success, receipts.receipts[i].success);
    }
    assert!(matches!(
        l1_tx_receipt(&header, &full, &receipts, B256::repeat_byte(3)),
        Err(L1VerifyError::TransactionNotInBlock(_))
    ));
}

#[test]
fn l1_receipt_needs_verified_transactions() {
    let (block, header) = cancun_header();
    let receipts = cancun_receipts(&block);
    assert!(block.transaction_hashes.is_none());
    assert!(matches!(
        l1_tx_receipt(&header, &block, &receipts, B256::ZERO),
        Err(L1VerifyError::TransactionsUnverified)
    ));
}

#[test]
fn l1_receipt_rejects_another_block() {
    let (block, header) = cancun_header();
    let receipts = cancun_receipts(&block);
    let (full, hashes) = cancun_with_tx_hashes(&block);
    let mut other = header.into_inner();
    other.block.block_hash = B256::repeat_byte(1);
    assert!(matches!(
        l1_tx_receipt(&Verified::new_unchecked(other), &full, &receipts, hashes[0]),
        Err(L1VerifyError::BlockMismatch { .. })
    ));
}

/// Deneb: bootstrap at slot 9567456, whose state root the real `eth_getProof` answers against.
#[test]
fn real_storage_proof_against_a_light_client_header() {
    let b = bootstrap_from_json::<512>(&text(
        "zk-light-clients/deneb-inclusion/BootstrapDeneb.json",
    ))
    .expect("bootstrap");
    assert_eq!(b.fork, Fork::Deneb);
    let c = LightClient::from_bootstrap(Network::mainnet(), h(DENEB_INCLUSION_ROOT), &b.data)
        .expect("client");
    let header = from_light_client(&c, LightClientHead::Finalized, &mainnet_timing()).expect("l1");
    assert_eq!(header.block.slot, 9_567_456);
    assert_eq!(header.block.block_number, 20_360_596);
    let proof = json_file("zk-light-clients/deneb-inclusion/EthGetProof.json");
    let factory: Address = "0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f"
        .parse()
        .expect("a");
    let key = h("0x290decd9548b62a8ef0d3e6ac11e2d7b95a49e22ecf57fc6044b6f007ca2b2ba");
    let words = storage_words(&header, factory, &[key], &proof).expect("real proof");
    assert_eq!(words.len(), 1);
    // The same proof is not an answer for the committed-head slot.
    let mut config = testkit::config(&testkit::signing_key(1));
    config.inbox = factory;
    assert!(matches!(
        anchor_from_storage(&config, &header, &proof, testkit::anchor_header()),
        Err(L1VerifyError::Execution(_))
    ));
    // Nor against another block's state root.
    let mut other = header.into_inner();
    other.state_root = B256::repeat_byte(4);
    assert!(matches!(
        storage_words(&Verified::new_unchecked(other), factory, &[key], &proof),
        Err(L1VerifyError::Execution(_))
    ));
}

/// `eth_getProof` JSON for `address` holding `storage`, proving `keys`, and its state root.
fn synthetic_proof(address: Address, storage: &[(B256, U256)], keys: &[B256]) -> (B256, Value) {
    let mut leaves: Vec<(B256, Vec<u8>)> = storage
        .iter()
        .map(|(k, v)| (keccak256(k), alloy_rlp::encode(v)))
        .collect();
    leaves.sort();
    let targets = keys.iter().map(|k| Nibbles::unpack(keccak256(k))).collect();
    let mut hb = HashBuilder::default().with_proof_retainer(ProofRetainer::new(targets));
    for (k, v) in &leaves {
        hb.add_leaf(Nibbles::unpack(k), v);
    }
    let storage_root = hb.root();
    let storage_nodes = hb.take_proof_nodes();
    let account = alloy_trie::TrieAccount {
        nonce: 1,
        balance: U256::from(5u64),
        storage_root,
        code_hash: KECCAK_EMPTY,
    };
    let decoy = Address::repeat_byte(0xee);
    let mut accounts = vec![
        (keccak256(address), alloy_rlp::encode(account)),
        (
            keccak256(decoy),
            alloy_rlp::encode(alloy_trie::TrieAccount {
                nonce: 9,
                ..account
            }),
        ),
    ];
    accounts.sort();
    let target = Nibbles::unpack(keccak256(address));
    let mut hb = HashBuilder::default().with_proof_retainer(ProofRetainer::new(vec![target]));
    for (k, v) in &accounts {
        hb.add_leaf(Nibbles::unpack(k), v);
    }
    let state_root = hb.root();
    let hexes = |nodes: Vec<(Nibbles, alloy_primitives::Bytes)>| -> Vec<String> {
        nodes.into_iter().map(|(_, n)| format!("{n}")).collect()
    };
    let account_proof = hexes(hb.take_proof_nodes().into_nodes_sorted());
    let storage_proof: Vec<Value> = keys
        .iter()
        .map(|k| {
            let value = storage
                .iter()
                .find(|(sk, _)| sk == k)
                .map(|(_, v)| *v)
                .unwrap_or_default();
            let nodes = storage_nodes.matching_nodes_sorted(&Nibbles::unpack(keccak256(k)));
            json!({ "key": format!("{k}"), "value": format!("{value:#x}"), "proof": hexes(nodes) })
        })
        .collect();
    let proof = json!({
        "address": format!("{address}"),
        "balance": "0x5",
        "nonce": "0x1",
        "codeHash": format!("{KECCAK_EMPTY}"),
        "storageHash": format!("{storage_root}"),
        "accountProof": account_proof,
        "storageProof": storage_proof,
    });
    (state_root, proof)
}

fn header_with_state(state_root: B256, finalized: bool) -> Verified<L1Header> {
    Verified::new_unchecked(L1Header {
        block: testkit::l1_genesis(),
        state_root,
        receipts_root: B256::ZERO,
        finalized,
    })
}

#[test]
fn anchor_from_proven_committed_head() {
    let config = testkit::config(&testkit::signing_key(1));
    let l2 = testkit::anchor_header();
    let word = U256::from_be_bytes(l2.hash().0);
    let (root, proof) = synthetic_proof(
        config.inbox,
        &[
            (COMMITTED_HEAD_SLOT, word),
            (B256::repeat_byte(1), U256::from(3u64)),
        ],
        &[COMMITTED_HEAD_SLOT],
    );
    let anchor = anchor_from_storage(&config, &header_with_state(root, true), &proof, l2.clone())
        .expect("anchor");
    assert_eq!(anchor.l2_header, l2);
    assert_eq!(anchor.last_commit_slot, 0);
    assert!(crate::confidence::Engine::with_config(config.clone(), anchor).is_ok());
    // Not finalized: refused.
    assert!(matches!(
        anchor_from_storage(&config, &header_with_state(root, false), &proof, l2.clone()),
        Err(L1VerifyError::NotFinalized(_))
    ));
    // Another header than the proven head.
    let mut other = l2.clone();
    other.state_root = B256::repeat_byte(8);
    assert!(matches!(
        anchor_from_storage(&config, &header_with_state(root, true), &proof, other),
        Err(L1VerifyError::CommittedHeadMismatch { .. })
    ));
    // Another chain.
    let mut foreign = l2;
    foreign.chain_id += 1;
    assert!(matches!(
        anchor_from_storage(&config, &header_with_state(root, true), &proof, foreign),
        Err(L1VerifyError::Rollup(
            crate::rollup::RollupError::WrongChainId { .. }
        ))
    ));
}

#[test]
fn a_proven_zero_committed_head_anchors_at_the_genesis_only() {
    let config = testkit::config(&testkit::signing_key(1));
    let genesis = testkit::anchor_header();
    let (root, proof) = synthetic_proof(
        config.inbox,
        &[(B256::repeat_byte(1), U256::from(3u64))],
        &[COMMITTED_HEAD_SLOT],
    );
    let l1 = header_with_state(root, true);
    let anchor = anchor_from_storage(&config, &l1, &proof, genesis.clone()).expect("genesis");
    assert_eq!(anchor.l2_header, genesis);
    // Nothing committed cannot anchor a later block.
    let mut later = genesis;
    later.number = 5;
    assert!(matches!(
        anchor_from_storage(&config, &l1, &proof, later),
        Err(L1VerifyError::Rollup(
            crate::rollup::RollupError::BadParentLink(_)
        ))
    ));
    // The zero word is proven: another state root refuses the proof.
    assert!(
        anchor_from_storage(
            &config,
            &header_with_state(B256::repeat_byte(9), true),
            &proof,
            testkit::anchor_header()
        )
        .is_err()
    );
}

#[test]
fn genesis_anchor_rules() {
    let config = testkit::config(&testkit::signing_key(1));
    let l2 = testkit::anchor_header();
    let header = header_with_state(B256::ZERO, true);
    assert!(anchor_from_genesis(&config, &header, l2.clone()).is_ok());
    assert!(matches!(
        anchor_from_genesis(&config, &header_with_state(B256::ZERO, false), l2.clone()),
        Err(L1VerifyError::NotFinalized(_))
    ));
    let mut later = l2;
    later.number = 5;
    assert!(matches!(
        anchor_from_genesis(&config, &header, later),
        Err(L1VerifyError::Rollup(
            crate::rollup::RollupError::BadParentLink(_)
        ))
    ));
}

#[test]
fn committee_announcement_from_storage() {
    let c = testkit::committee(7, &[1, 2, 3, 4]);
    let mut config = testkit::config(&testkit::signing_key(1));
    config.inbox = Address::repeat_byte(0x42);
    let (hk, ak) = CommitteeAnnouncement::storage_keys(7);
    let hash_word = U256::from_be_bytes(c.keys.hash.0);
    let (root, proof) = synthetic_proof(
        config.inbox,
        &[(hk, hash_word), (ak, U256::from(40u64))],
        &[hk, ak],
    );
    let header = header_with_state(root, false);
    let ann = committee_announcement(&config, &header, &proof, 7).expect("announcement");
    assert_eq!(ann.committee_hash, c.keys.hash);
    assert_eq!(ann.activation_l1_slot, 40);
    let keys = verify_committee(&c.members, &ann).expect("members match");
    assert_eq!(keys.total_weight(), 10);
    // Another id's keys: the proof does not answer them.
    assert!(matches!(
        committee_announcement(&config, &header, &proof, 8),
        Err(L1VerifyError::Execution(_))
    ));
    // Not announced: zero hash.
    let (root0, proof0) = synthetic_proof(config.inbox, &[(ak, U256::from(1u64))], &[hk, ak]);
    assert!(matches!(
        committee_announcement(&config, &header_with_state(root0, false), &proof0, 7),
        Err(L1VerifyError::CommitteeNotAnnounced(7))
    ));
    // Activation over u64.
    let (root1, proof1) =
        synthetic_proof(config.inbox, &[(hk, hash_word), (ak, U256::MAX)], &[hk, ak]);
    assert!(matches!(
        committee_announcement(&config, &header_with_state(root1, false), &proof1, 7),
        Err(L1VerifyError::StorageWordRange(_))
    ));
}

fn receipt(vkey: ProgramVkey, public_values: Vec<u8>) -> Verified<ProofReceipt> {
    Verified::new_unchecked(ProofReceipt {
        system: ProofSystem::Groth16,
        release: Sp1Release::V3,
        program_vkey: vkey,
        public_values,
        digest: DigestKind::Sha256,
        nonce: None,
    })
}

#[test]
fn batch_values_from_a_verified_proof() {
    let vkey = ProgramVkey::from_bytes([1; 32]).expect("vkey");
    let values = crate::rollup::BatchPublicValues {
        l1_head: B256::repeat_byte(1),
        l2_pre_root: B256::repeat_byte(2),
        l2_post_root: B256::repeat_byte(3),
        l2_block_number: 9,
        l2_block_hash: B256::repeat_byte(5),
        config_hash: B256::repeat_byte(6),
    };
    let got = batch_public_values(&receipt(vkey, values.encode().to_vec()), &vkey).expect("values");
    assert_eq!(*got, values);
    let other = ProgramVkey::from_bytes([2; 32]).expect("vkey");
    assert!(matches!(
        batch_public_values(&receipt(other, values.encode().to_vec()), &vkey),
        Err(L1VerifyError::ProgramMismatch)
    ));
    assert!(matches!(
        batch_public_values(&receipt(vkey, vec![0; 191]), &vkey),
        Err(L1VerifyError::Rollup(
            crate::rollup::RollupError::Malformed(_)
        ))
    ));
}

/// End to end on synthetic data: a commit log in verified receipts reaches the engine.
#[test]
fn adapter_inputs_drive_the_engine() {
    use crate::execution::{Log, Receipt, receipts_root};
    let key = testkit::signing_key(1);
    let config = testkit::config(&key);
    let genesis = header_with_state(B256::ZERO, true);
    let anchor = anchor_from_genesis(&config, &genesis, testkit::anchor_header()).expect("anchor");
    let mut engine =
        crate::confidence::Engine::with_config(config.clone(), anchor).expect("engine");
    let l1_1 = testkit::l1_child(&genesis.block, 1, 0);
    let block = testkit::l2_child(
        &testkit::anchor_header(),
        testkit::SLOT_ENDING,
        1,
        &genesis.block,
        vec![],
        0,
    );
    let hash = block.header.hash();
    engine
        .ingest_feed_message(testkit::certified(&key, block))
        .expect("l2 block");
    let log = encode_commit_log(config.inbox, hash, 1, testkit::anchor_header().hash());
    let receipts = vec![Receipt {
        tx_type: 2,
        success: true,
        cumulative_gas_used: 50_000,
        logs: vec![Log {
            address: log.address,
            topics: log.topics.clone(),
            data: log.data.clone(),
        }],
    }];
    let root = receipts_root(&receipts);
    let header1: Verified<L1Header> = Verified::new_unchecked(L1Header {
        block: l1_1,
        state_root: B256::ZERO,
        receipts_root: root,
        finalized: false,
    });
    let verified = Verified::new_unchecked(VerifiedReceipts {
        receipts_root: root,
        receipts: receipts.clone(),
        logs: vec![crate::execution::VerifiedLog {
            address: log.address,
            topics: log.topics.clone(),
            data: log.data.clone(),
            log_index: 0,
            transaction_index: 0,
            transaction_hash: None,
        }],
    });
    engine.apply_l1_block(header1.l1_block()).expect("l1");
    engine
        .apply_inbox_logs(inbox_logs(&header1, &verified, config.inbox).expect("logs"))
        .expect("logs in");
    assert_eq!(
        engine.level_of_block(&hash),
        Some(crate::confidence::Level::Included)
    );
}
