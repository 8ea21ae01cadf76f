//! Synthetic Bellatrix, Deneb, Electra and Fulu blocks (no real full blocks
//! of those forks are in the fixtures): every container filled, SSZ round
//! trips, and the body checked against a header the light client accepted.
//!
//! The layout cross-check: the light client only accepts a trusted header
//! whose `ExecutionPayloadHeader` proves into `body_root` at
//! `EXECUTION_PAYLOAD_GINDEX` (25) — computed by the beacon module from its
//! own `ExecutionPayloadHeader` container. Our body's root, with its payload
//! as field 9 of a 16-leaf tree, must therefore agree with the beacon
//! module's independent view of the payload header root (transactions and
//! withdrawals as SSZ list roots). The requests hash is checked against a
//! real Prague header.

mod common;

use alloy_primitives::{Address, B64, B256, Bloom, Bytes, FixedBytes, U256};
use preconf_light::beacon::{
    BeaconBlockHeader, ExecutionPayloadHeader, Fork, LightClient, LightClientHeader, Network,
    SyncAggregate, SyncCommittee,
};
use preconf_light::execution::beacon_block::types::*;
use preconf_light::execution::beacon_block::{BeaconBlockBody, SignedBeaconBlock, requests_hash};
use preconf_light::execution::{
    EMPTY_OMMERS_HASH, ExecutionError, ExecutionHeader, Withdrawal, transactions_root,
    verify_beacon_block, withdrawals_root,
};
use preconf_light::ssz::{
    Bitlist, Bitvector, ByteList, FixedVector, List, SszDecode, TreeHash, merkleize,
};
use preconf_light::{ErrorCode, Verified};

fn b(byte: u8) -> B256 {
    B256::repeat_byte(byte)
}

fn sig(byte: u8) -> FixedBytes<96> {
    FixedBytes::repeat_byte(byte)
}

fn key(byte: u8) -> FixedBytes<48> {
    FixedBytes::repeat_byte(byte)
}

fn list<T, const N: usize>(items: Vec<T>) -> List<T, N> {
    List::new(items).unwrap()
}

fn data(slot: u64) -> AttestationData {
    AttestationData {
        slot,
        index: 0,
        beacon_block_root: b(0x11),
        source: Checkpoint {
            epoch: 1,
            root: b(0x12),
        },
        target: Checkpoint {
            epoch: 2,
            root: b(0x13),
        },
    }
}

fn signed_header(byte: u8) -> SignedBeaconBlockHeader {
    SignedBeaconBlockHeader {
        message: BeaconBlockHeader {
            slot: 9,
            proposer_index: 3,
            parent_root: b(byte),
            state_root: b(byte + 1),
            body_root: b(byte + 2),
        },
        signature: sig(byte),
    }
}

fn deposit() -> Deposit {
    Deposit {
        proof: FixedVector::new((0..33).map(|i| b(i as u8)).collect()).unwrap(),
        data: DepositData {
            pubkey: key(0x21),
            withdrawal_credentials: b(0x22),
            amount: 32_000_000_000,
            signature: sig(0x23),
        },
    }
}

fn payload_withdrawals() -> List<PayloadWithdrawal, MAX_WITHDRAWALS_PER_PAYLOAD> {
    list(
        (0..3)
            .map(|i| PayloadWithdrawal {
                index: 100 + i,
                validator_index: 7 + i,
                address: Address::repeat_byte(0x30 + i as u8),
                amount: 1_000 + i,
            })
            .collect(),
    )
}

fn transactions() -> List<Transaction, MAX_TRANSACTIONS_PER_PAYLOAD> {
    list(vec![
        ByteList::new(vec![0x02, 0xc0, 0x01]).unwrap(),
        ByteList::new((0..300).map(|i| i as u8).collect()).unwrap(),
    ])
}

fn aggregate() -> BlockSyncAggregate {
    SyncAggregate {
        sync_committee_bits: Bitvector::new((0..512).map(|i| i % 3 == 0).collect()).unwrap(),
        sync_committee_signature: sig(0x40),
    }
}

/// A Deneb payload with a correct `block_hash` for `parent_beacon_root` and `requests`.
fn deneb_payload(parent_beacon_root: B256, requests: Option<B256>) -> ExecutionPayloadDeneb {
    let mut p = ExecutionPayloadDeneb {
        parent_hash: b(0x50),
        fee_recipient: Address::repeat_byte(0x51),
        state_root: b(0x52),
        receipts_root: b(0x53),
        logs_bloom: FixedBytes::repeat_byte(0x01),
        prev_randao: b(0x54),
        block_number: 22_000_000,
        gas_limit: 36_000_000,
        gas_used: 21_000,
        timestamp: 1_750_000_000,
        extra_data: ByteList::new(b"synthetic".to_vec()).unwrap(),
        base_fee_per_gas: U256::from(7u64),
        block_hash: B256::ZERO,
        transactions: transactions(),
        withdrawals: payload_withdrawals(),
        blob_gas_used: 131_072,
        excess_blob_gas: 0,
    };
    p.block_hash = el_header(&p, Some(parent_beacon_root), requests).hash_slow();
    p
}

fn el_header(
    p: &ExecutionPayloadDeneb,
    parent_beacon_root: Option<B256>,
    requests: Option<B256>,
) -> ExecutionHeader {
    let txs: Vec<Bytes> = p
        .transactions
        .as_slice()
        .iter()
        .map(|t| Bytes::copy_from_slice(t.as_slice()))
        .collect();
    let ws: Vec<Withdrawal> = p
        .withdrawals
        .as_slice()
        .iter()
        .map(|w| Withdrawal {
            index: w.index,
            validator_index: w.validator_index,
            address: w.address,
            amount_gwei: w.amount,
        })
        .collect();
    ExecutionHeader {
        parent_hash: p.parent_hash,
        ommers_hash: EMPTY_OMMERS_HASH,
        beneficiary: p.fee_recipient,
        state_root: p.state_root,
        transactions_root: transactions_root(&txs),
        receipts_root: p.receipts_root,
        logs_bloom: Bloom::from(p.logs_bloom.0),
        difficulty: U256::ZERO,
        number: p.block_number,
        gas_limit: p.gas_limit,
        gas_used: p.gas_used,
        timestamp: p.timestamp,
        extra_data: Bytes::copy_from_slice(p.extra_data.as_slice()),
        mix_hash: p.prev_randao,
        nonce: B64::ZERO,
        base_fee_per_gas: Some(7),
        withdrawals_root: Some(withdrawals_root(&ws)),
        blob_gas_used: Some(p.blob_gas_used),
        excess_blob_gas: Some(p.excess_blob_gas),
        parent_beacon_block_root: parent_beacon_root,
        requests_hash: requests,
    }
}

fn electra_requests() -> ExecutionRequests {
    ExecutionRequests {
        deposits: list(vec![DepositRequest {
            pubkey: key(0x61),
            withdrawal_credentials: b(0x62),
            amount: 32_000_000_000,
            signature: sig(0x63),
            index: 5,
        }]),
        withdrawals: list(vec![WithdrawalRequest {
            source_address: Address::repeat_byte(0x64),
            validator_pubkey: key(0x65),
            amount: 0,
        }]),
        consolidations: List::new(Vec::new()).unwrap(),
    }
}

fn electra_body(parent_root: B256) -> BeaconBlockBodyElectra {
    let requests = electra_requests();
    let indexed = |byte: u8| IndexedAttestationElectra {
        attesting_indices: list(vec![1, 5, 4096 + byte as u64]),
        data: data(7),
        signature: sig(byte),
    };
    BeaconBlockBodyElectra {
        randao_reveal: sig(0x01),
        eth1_data: Eth1Data {
            deposit_root: b(0x02),
            deposit_count: 99,
            block_hash: b(0x03),
        },
        graffiti: b(0x04),
        proposer_slashings: list(vec![ProposerSlashing {
            signed_header_1: signed_header(0x05),
            signed_header_2: signed_header(0x08),
        }]),
        attester_slashings: list(vec![AttesterSlashingElectra {
            attestation_1: indexed(0x0a),
            attestation_2: indexed(0x0b),
        }]),
        attestations: list(vec![AttestationElectra {
            aggregation_bits: Bitlist::from_ssz(&[0xff, 0x0f, 0x01]).unwrap(),
            data: data(8),
            signature: sig(0x0c),
            committee_bits: Bitvector::new((0..64).map(|i| i == 3 || i == 9).collect()).unwrap(),
        }]),
        deposits: list(vec![deposit()]),
        voluntary_exits: list(vec![SignedVoluntaryExit {
            message: VoluntaryExit {
                epoch: 10,
                validator_index: 11,
            },
            signature: sig(0x0d),
        }]),
        sync_aggregate: aggregate(),
        execution_payload: deneb_payload(parent_root, Some(requests_hash(&requests))),
        bls_to_execution_changes: list(vec![SignedBlsToExecutionChange {
            message: BlsToExecutionChange {
                validator_index: 12,
                from_bls_pubkey: key(0x0e),
                to_execution_address: Address::repeat_byte(0x0f),
            },
            signature: sig(0x10),
        }]),
        blob_kzg_commitments: list(vec![key(0x70), key(0x71)]),
        execution_requests: requests,
    }
}

fn deneb_body(parent_root: B256) -> BeaconBlockBodyDeneb {
    let e = electra_body(parent_root);
    let indexed = |byte: u8| IndexedAttestation {
        attesting_indices: list(vec![1, 5, byte as u64]),
        data: data(7),
        signature: sig(byte),
    };
    BeaconBlockBodyDeneb {
        randao_reveal: e.randao_reveal,
        eth1_data: e.eth1_data,
        graffiti: e.graffiti,
        proposer_slashings: e.proposer_slashings,
        attester_slashings: list(vec![AttesterSlashing {
            attestation_1: indexed(0x0a),
            attestation_2: indexed(0x0b),
        }]),
        attestations: list(vec![Attestation {
            aggregation_bits: Bitlist::from_ssz(&[0xff, 0x0f, 0x01]).unwrap(),
            data: data(8),
            signature: sig(0x0c),
        }]),
        deposits: e.deposits,
        voluntary_exits: e.voluntary_exits,
        sync_aggregate: e.sync_aggregate,
        execution_payload: deneb_payload(parent_root, None),
        bls_to_execution_changes: e.bls_to_execution_changes,
        blob_kzg_commitments: e.blob_kzg_commitments,
    }
}

fn bellatrix_body() -> BeaconBlockBodyBellatrix {
    let d = deneb_body(B256::ZERO);
    let p = d.execution_payload;
    let mut payload = ExecutionPayloadBellatrix {
        parent_hash: p.parent_hash,
        fee_recipient: p.fee_recipient,
        state_root: p.state_root,
        receipts_root: p.receipts_root,
        logs_bloom: p.logs_bloom,
        prev_randao: p.prev_randao,
        block_number: 15_600_000,
        gas_limit: p.gas_limit,
        gas_used: p.gas_used,
        timestamp: p.timestamp,
        extra_data: p.extra_data,
        base_fee_per_gas: p.base_fee_per_gas,
        block_hash: B256::ZERO,
        transactions: p.transactions,
    };
    let txs: Vec<Bytes> = payload
        .transactions
        .as_slice()
        .iter()
        .map(|t| Bytes::copy_from_slice(t.as_slice()))
        .collect();
    payload.block_hash = ExecutionHeader {
        parent_hash: payload.parent_hash,
        ommers_hash: EMPTY_OMMERS_HASH,
        beneficiary: payload.fee_recipient,
        state_root: payload.state_root,
        transactions_root: transactions_root(&txs),
        receipts_root: payload.receipts_root,
        logs_bloom: Bloom::from(payload.logs_bloom.0),
        difficulty: U256::ZERO,
        number: payload.block_number,
        gas_limit: payload.gas_limit,
        gas_used: payload.gas_used,
        timestamp: payload.timestamp,
        extra_data: Bytes::copy_from_slice(payload.extra_data.as_slice()),
        mix_hash: payload.prev_randao,
        nonce: B64::ZERO,
        base_fee_per_gas: Some(7),
        withdrawals_root: None,
        blob_gas_used: None,
        excess_blob_gas: None,
        parent_beacon_block_root: None,
        requests_hash: None,
    }
    .hash_slow();
    BeaconBlockBodyBellatrix {
        randao_reveal: d.randao_reveal,
        eth1_data: d.eth1_data,
        graffiti: d.graffiti,
        proposer_slashings: d.proposer_slashings,
        attester_slashings: d.attester_slashings,
        attestations: d.attestations,
        deposits: d.deposits,
        voluntary_exits: d.voluntary_exits,
        sync_aggregate: d.sync_aggregate,
        execution_payload: payload,
    }
}

/// A slot a few slots into `fork` on mainnet.
fn slot_of(fork: Fork) -> u64 {
    Network::mainnet().fork_activation(fork).epoch * 32 + 5
}

fn block_of(fork: Fork) -> SignedBeaconBlock {
    let parent_root = b(0xa0);
    let body = match fork {
        Fork::Bellatrix => BeaconBlockBody::Bellatrix(bellatrix_body()),
        Fork::Deneb => BeaconBlockBody::Deneb(deneb_body(parent_root)),
        _ => BeaconBlockBody::Electra(electra_body(parent_root)),
    };
    SignedBeaconBlock {
        fork,
        slot: slot_of(fork),
        proposer_index: 1234,
        parent_root,
        state_root: b(0xa1),
        body,
        signature: sig(0xa2),
    }
}

/// The leaf roots of a body's 16-leaf tree and its payload's light-client header.
fn body_leaves_and_payload(block: &SignedBeaconBlock) -> (Vec<B256>, ExecutionPayloadHeader) {
    macro_rules! common {
        ($b:expr) => {
            vec![
                $b.randao_reveal.tree_hash_root(),
                $b.eth1_data.tree_hash_root(),
                $b.graffiti.tree_hash_root(),
                $b.proposer_slashings.tree_hash_root(),
                $b.attester_slashings.tree_hash_root(),
                $b.attestations.tree_hash_root(),
                $b.deposits.tree_hash_root(),
                $b.voluntary_exits.tree_hash_root(),
                $b.sync_aggregate.tree_hash_root(),
                $b.execution_payload.tree_hash_root(),
            ]
        };
    }
    let header_of = |p: &ExecutionPayloadDeneb| ExecutionPayloadHeader {
        parent_hash: p.parent_hash,
        fee_recipient: p.fee_recipient,
        state_root: p.state_root,
        receipts_root: p.receipts_root,
        logs_bloom: p.logs_bloom,
        prev_randao: p.prev_randao,
        block_number: p.block_number,
        gas_limit: p.gas_limit,
        gas_used: p.gas_used,
        timestamp: p.timestamp,
        extra_data: p.extra_data.clone(),
        base_fee_per_gas: p.base_fee_per_gas,
        block_hash: p.block_hash,
        transactions_root: p.transactions.tree_hash_root(),
        withdrawals_root: p.withdrawals.tree_hash_root(),
        blob_gas_used: p.blob_gas_used,
        excess_blob_gas: p.excess_blob_gas,
    };
    let (mut leaves, exec) = match &block.body {
        BeaconBlockBody::Bellatrix(b) => (common!(b), ExecutionPayloadHeader::default()),
        BeaconBlockBody::Capella(_) => unreachable!("Capella is tested on real blocks"),
        BeaconBlockBody::Deneb(b) => {
            let mut l = common!(b);
            l.push(b.bls_to_execution_changes.tree_hash_root());
            l.push(b.blob_kzg_commitments.tree_hash_root());
            (l, header_of(&b.execution_payload))
        }
        BeaconBlockBody::Electra(b) => {
            let mut l = common!(b);
            l.push(b.bls_to_execution_changes.tree_hash_root());
            l.push(b.blob_kzg_commitments.tree_hash_root());
            l.push(b.execution_requests.tree_hash_root());
            (l, header_of(&b.execution_payload))
        }
    };
    leaves.resize(16, B256::ZERO);
    (leaves, exec)
}

/// A light client whose trusted finalized header is `block`'s header, with
/// the execution branch built from the body's leaves.
fn client_trusting(block: &SignedBeaconBlock) -> LightClient {
    let (leaves, execution) = body_leaves_and_payload(block);
    let body_root = merkleize(&leaves, 16);
    assert_eq!(
        body_root,
        block.body_root(),
        "container root = 16-leaf tree"
    );
    let branch = if block.fork >= Fork::Capella {
        vec![
            leaves[8],
            merkleize(&leaves[10..12], 2),
            merkleize(&leaves[12..16], 4),
            merkleize(&leaves[0..8], 8),
        ]
    } else {
        vec![B256::ZERO; 4]
    };
    let header = LightClientHeader {
        beacon: block.header(),
        execution,
        execution_branch: FixedVector::new(branch).unwrap(),
    };
    let (fulu, _) = common::mainnet::fulu_client();
    let committee: SyncCommittee<512> = fulu.store().current_sync_committee().clone();
    LightClient::from_trusted_committee(Network::mainnet(), header, committee).unwrap()
}

fn verified(client: &LightClient) -> Verified<BeaconBlockHeader> {
    client
        .verify_ancestor(&[client.store().finalized_header().beacon.clone()])
        .unwrap()
}

#[test]
fn synthetic_blocks_of_every_payload_fork_verify_through_the_light_client() {
    let net = Network::mainnet();
    for fork in [Fork::Bellatrix, Fork::Deneb, Fork::Electra, Fork::Fulu] {
        let block = block_of(fork);
        let ssz = block.to_ssz();
        let decoded = SignedBeaconBlock::from_ssz(&ssz, fork).unwrap();
        assert_eq!(decoded, block, "{fork:?} SSZ round trip");
        assert_eq!(decoded.to_ssz(), ssz);
        let client = client_trusting(&block);
        let header = verified(&client);
        let v = verify_beacon_block(&net, &header, &decoded)
            .unwrap_or_else(|e| panic!("{fork:?}: {e}"));
        assert_eq!(v.fork, fork);
        let h = &v.execution.header;
        if fork >= Fork::Deneb {
            assert_eq!(v.blob_commitments, 2);
            assert_eq!(h.parent_beacon_block_root, Some(block.parent_root));
            assert_eq!(h.blob_gas_used, Some(131_072));
            assert!(v.execution.withdrawals_checked);
            // The client's own execution summary agrees with the payload.
            assert_eq!(
                client.finalized().execution.unwrap().block_hash,
                v.execution.hash
            );
        } else {
            assert_eq!(h.withdrawals_root, None);
            assert!(!v.execution.withdrawals_checked);
        }
        assert_eq!(h.requests_hash.is_some(), fork >= Fork::Electra);
    }
}

#[test]
fn synthetic_negatives_are_typed() {
    let net = Network::mainnet();
    let block = block_of(Fork::Electra);
    let client = client_trusting(&block);
    let header = verified(&client);
    let code = |b: &SignedBeaconBlock| {
        verify_beacon_block(&net, &header, b).map_or_else(|e| e.code(), |_| "OK")
    };
    let electra = |b: &SignedBeaconBlock| match &b.body {
        BeaconBlockBody::Electra(e) => e.clone(),
        _ => unreachable!(),
    };
    // A changed execution request: the body root changes.
    let mut changed = block.clone();
    let mut body = electra(&changed);
    body.execution_requests.withdrawals = List::new(Vec::new()).unwrap();
    changed.body = BeaconBlockBody::Electra(body);
    assert_eq!(code(&changed), "BODY_ROOT_MISMATCH");
    // A changed committee bit.
    let mut changed = block.clone();
    let mut body = electra(&changed);
    let mut att = body.attestations.as_slice()[0].clone();
    att.committee_bits = Bitvector::default();
    body.attestations = list(vec![att]);
    changed.body = BeaconBlockBody::Electra(body);
    assert_eq!(code(&changed), "BODY_ROOT_MISMATCH");
    // The same body decoded under another fork name.
    let ssz = block.to_ssz();
    for fork in [Fork::Deneb, Fork::Capella, Fork::Bellatrix] {
        assert!(
            matches!(
                SignedBeaconBlock::from_ssz(&ssz, fork),
                Err(ExecutionError::BeaconSsz { .. })
            ),
            "{fork:?}"
        );
    }
    // Electra bytes named Fulu decode (same container) but the slot is Electra's.
    let as_fulu = SignedBeaconBlock::from_ssz(&ssz, Fork::Fulu).unwrap();
    assert_eq!(code(&as_fulu), "WRONG_FORK");
    // Truncated anywhere: a typed decode error naming a path.
    for cut in 0..ssz.len() {
        match SignedBeaconBlock::from_ssz(&ssz[..cut], Fork::Electra) {
            Err(ExecutionError::BeaconSsz { at, .. }) => assert!(at <= ssz.len()),
            other => panic!("cut {cut}: {other:?}"),
        }
    }
    // An invalid bitlist (no delimiter bit) inside an attestation is located.
    let mut bytes = ssz.clone();
    let first_att_bits = find_bitlist(&bytes, &[0xff, 0x0f, 0x01]);
    bytes[first_att_bits + 2] = 0x00;
    let err = SignedBeaconBlock::from_ssz(&bytes, Fork::Electra).unwrap_err();
    let ExecutionError::BeaconSsz { path, at, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        path.starts_with("message.body.attestations[0]"),
        "{path} at {at}"
    );
}

fn find_bitlist(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
}

/// EIP-7685: a block without requests commits to `sha256(b"")`, as the real
/// Prague header 22431084 does.
#[test]
fn empty_requests_hash_matches_a_real_prague_header() {
    let yaml = common::mainnet::text("portal-spec-tests/prague-el/block-data-22431084.yaml");
    let line = yaml.lines().find(|l| l.starts_with("header:")).unwrap();
    let rlp = hex::decode(
        line.trim_start_matches("header:")
            .trim()
            .trim_start_matches("0x"),
    )
    .unwrap();
    let header = ExecutionHeader::decode_rlp(&rlp).unwrap();
    let empty = ExecutionRequests {
        deposits: List::new(Vec::new()).unwrap(),
        withdrawals: List::new(Vec::new()).unwrap(),
        consolidations: List::new(Vec::new()).unwrap(),
    };
    assert_eq!(Some(requests_hash(&empty)), header.requests_hash);
    // Non-empty lists change it, and the order of types matters.
    let full = electra_requests();
    assert_ne!(requests_hash(&full), requests_hash(&empty));
    let only_deposits = ExecutionRequests {
        withdrawals: List::new(Vec::new()).unwrap(),
        ..full
    };
    assert_ne!(
        requests_hash(&only_deposits),
        requests_hash(&electra_requests())
    );
}

/// Where the committed seeds of the `beacon_block` fuzz target live.
const FUZZ_SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/beacon_block");

/// The `beacon_block` fuzz target's seeds: one whole SSZ block for every
/// fork the decoder has a body for (the synthetic Bellatrix, Deneb, Electra
/// and Fulu blocks above, the real Capella block), and the real Capella
/// block's JSON with its lists cut to one item. The target reads its first
/// byte (bit 7: JSON) and, for SSZ, a fork index into `Fork::ALL`.
fn fuzz_seeds() -> Vec<(String, Vec<u8>)> {
    let index = |fork: Fork| Fork::ALL.iter().position(|f| *f == fork).unwrap() as u8;
    let mut seeds = Vec::new();
    for fork in [Fork::Bellatrix, Fork::Deneb, Fork::Electra, Fork::Fulu] {
        let mut input = vec![0x00, index(fork)];
        input.extend(block_of(fork).to_ssz());
        seeds.push((format!("ssz-{}", fork.name()), input));
    }
    let capella = std::fs::read(format!(
        "{}/helios/capella-lc/beacon_block_7109344.ssz",
        common::mainnet::MAINNET_DIR
    ))
    .unwrap();
    let mut input = vec![0x00, index(Fork::Capella)];
    input.extend(capella);
    seeds.push(("ssz-capella".into(), input));
    let mut json: serde_json::Value = serde_json::from_str(&common::mainnet::text(
        "helios/capella-lc/beacon_block_7109430.json",
    ))
    .unwrap();
    for path in [
        "/data/message/body/attestations",
        "/data/message/body/execution_payload/transactions",
        "/data/message/body/execution_payload/withdrawals",
    ] {
        json.pointer_mut(path)
            .and_then(serde_json::Value::as_array_mut)
            .unwrap()
            .truncate(1);
    }
    let mut input = vec![0x80];
    input.extend(json.to_string().into_bytes());
    seeds.push(("json-capella".into(), input));
    seeds
}

/// The committed seeds are the ones `fuzz_seeds` builds, and every one
/// decodes whole under its fork (so the fuzzer starts inside each fork's
/// body decoder, not at its first length check).
#[test]
fn beacon_block_fuzz_seeds_are_current_and_reach_every_payload_fork() {
    let mut forks = Vec::new();
    for (name, input) in fuzz_seeds() {
        let stored = std::fs::read(format!("{FUZZ_SEEDS}/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e} (run write_beacon_block_fuzz_seeds)"));
        assert_eq!(
            stored, input,
            "{name} is stale: run write_beacon_block_fuzz_seeds"
        );
        if input[0] & 0x80 == 0 {
            let fork = Fork::ALL[usize::from(input[1])];
            let block = SignedBeaconBlock::from_ssz(&input[2..], fork)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(block.to_ssz(), input[2..]);
            forks.push(fork);
        } else {
            let value: serde_json::Value = serde_json::from_slice(&input[1..]).unwrap();
            SignedBeaconBlock::from_json(&value, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    forks.sort();
    assert_eq!(
        forks,
        [
            Fork::Bellatrix,
            Fork::Capella,
            Fork::Deneb,
            Fork::Electra,
            Fork::Fulu
        ]
    );
}

/// Writes the `beacon_block` fuzz seeds; run with `--ignored` after a change.
#[test]
#[ignore = "regenerates fuzz/seeds/beacon_block"]
fn write_beacon_block_fuzz_seeds() {
    std::fs::create_dir_all(FUZZ_SEEDS).unwrap();
    for (name, input) in fuzz_seeds() {
        std::fs::write(format!("{FUZZ_SEEDS}/{name}"), input).unwrap();
    }
}
