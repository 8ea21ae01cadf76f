//! Test helpers: a deterministic sequencer key, BLS committee, L1 and L2 block builders.

use alloy_primitives::{Address, B256, Bytes, FixedBytes, keccak256};
use k256::ecdsa::SigningKey;

use super::FeedMessage;
use super::certificate::{
    Certificate, CommitteeAnnouncement, CommitteeCertificate, CommitteeKeys, CommitteeMember,
    bls_message, committee_hash, ecdsa_digest, verify_committee,
};
use super::chain::RollupAnchor;
use super::config::{L1Timing, RollupConfig, SequencerAuth, SlotEndingRule};
use super::header::{
    KIND_BASED, KIND_SEQUENCED, KIND_SLOT_ENDING, L2Block, L2Header, transactions_root,
};
use super::l1::{InboxLogs, L1Block, L1Log};
use crate::Verified;

pub(crate) const CHAIN_ID: u64 = 901;
pub(crate) const GENESIS: u64 = 1_700_000_000;
pub(crate) const SPS: u64 = 12;
pub(crate) const SPE: u64 = 4;

pub(crate) fn inbox() -> Address {
    Address::repeat_byte(0x11)
}

pub(crate) fn signing_key(seed: u8) -> SigningKey {
    let mut bytes = [0u8; 32];
    bytes[31] = seed.max(1);
    bytes[0] = 0x42;
    SigningKey::from_bytes(&bytes.into()).unwrap_or_else(|_| unreachable!())
}

pub(crate) fn address_of(key: &SigningKey) -> Address {
    Address::from_public_key(key.verifying_key())
}

pub(crate) fn sign_digest(key: &SigningKey, digest: B256) -> Certificate {
    let (sig, recid) = key
        .sign_prehash_recoverable(digest.as_slice())
        .unwrap_or_else(|_| unreachable!());
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&sig.to_bytes());
    out[64] = recid.to_byte();
    Certificate::Ecdsa(FixedBytes(out))
}

pub(crate) fn sign_block(key: &SigningKey, chain_id: u64, hash: B256) -> Certificate {
    sign_digest(key, ecdsa_digest(chain_id, hash))
}

pub(crate) fn timing() -> L1Timing {
    L1Timing {
        genesis_time: GENESIS,
        seconds_per_slot: SPS,
        slots_per_epoch: SPE,
    }
}

pub(crate) fn config(key: &SigningKey) -> RollupConfig {
    RollupConfig {
        chain_id: CHAIN_ID,
        sequencer: SequencerAuth::Key(address_of(key)),
        slot_ending: SlotEndingRule::Marker,
        stall_limit_slots: super::config::DEFAULT_STALL_LIMIT_SLOTS,
        forced_inclusion_window_slots: 4,
        inbox: inbox(),
        l1: timing(),
    }
}

pub(crate) fn l1_genesis() -> L1Block {
    L1Block {
        slot: 0,
        beacon_root: keccak256(b"beacon-genesis"),
        parent_beacon_root: B256::ZERO,
        block_hash: keccak256(b"exec-genesis"),
        parent_block_hash: B256::ZERO,
        block_number: 0,
        timestamp: GENESIS,
    }
}

/// A child L1 block at `slot`; `salt` distinguishes competing blocks.
pub(crate) fn l1_child(parent: &L1Block, slot: u64, salt: u64) -> L1Block {
    let mut seed = Vec::new();
    seed.extend_from_slice(parent.beacon_root.as_slice());
    seed.extend_from_slice(&slot.to_be_bytes());
    seed.extend_from_slice(&salt.to_be_bytes());
    let beacon_root = keccak256(&seed);
    seed.push(1);
    L1Block {
        slot,
        beacon_root,
        parent_beacon_root: parent.beacon_root,
        block_hash: keccak256(&seed),
        parent_block_hash: parent.block_hash,
        block_number: parent.block_number + 1,
        timestamp: GENESIS + slot * SPS,
    }
}

pub(crate) fn anchor_header() -> L2Header {
    L2Header {
        chain_id: CHAIN_ID,
        number: 0,
        parent_hash: B256::ZERO,
        kind: KIND_SEQUENCED,
        l1_slot: 0,
        l1_parent_beacon_root: B256::ZERO,
        l1_parent_block_hash: B256::ZERO,
        timestamp: GENESIS,
        state_root: keccak256(b"state-0"),
        transactions_root: transactions_root(&[]),
        receipts_root: transactions_root(&[]),
        gas_limit: 30_000_000,
        gas_used: 0,
        base_fee_per_gas: 1,
    }
}

pub(crate) fn anchor() -> Verified<RollupAnchor> {
    Verified::new_unchecked(RollupAnchor {
        l1_block: l1_genesis(),
        l2_header: anchor_header(),
        last_commit_slot: 0,
    })
}

/// A child L2 block of `parent` with the given kind, slot, L1 parent and transactions.
pub(crate) fn l2_child(
    parent: &L2Header,
    kind: u8,
    slot: u64,
    l1_parent: &L1Block,
    txs: Vec<Bytes>,
    salt: u64,
) -> L2Block {
    let header = L2Header {
        chain_id: parent.chain_id,
        number: parent.number + 1,
        parent_hash: parent.hash(),
        kind,
        l1_slot: slot,
        l1_parent_beacon_root: l1_parent.beacon_root,
        l1_parent_block_hash: l1_parent.block_hash,
        timestamp: GENESIS + slot * SPS,
        state_root: keccak256([(parent.number + 1).to_be_bytes(), salt.to_be_bytes()].concat()),
        transactions_root: transactions_root(&txs),
        receipts_root: transactions_root(&[]),
        gas_limit: 30_000_000,
        gas_used: 21_000,
        base_fee_per_gas: 1,
    };
    L2Block {
        header,
        transactions: txs,
    }
}

pub(crate) fn certified(key: &SigningKey, block: L2Block) -> FeedMessage {
    let certificate = sign_block(key, block.header.chain_id, block.header.hash());
    FeedMessage { block, certificate }
}

pub(crate) fn based(block: L2Block) -> FeedMessage {
    FeedMessage {
        block,
        certificate: Certificate::None,
    }
}

pub(crate) fn logs(block: &L1Block, logs: Vec<L1Log>) -> Verified<InboxLogs> {
    Verified::new_unchecked(InboxLogs {
        beacon_root: block.beacon_root,
        block_hash: block.block_hash,
        logs,
    })
}

pub(crate) const SLOT_ENDING: u8 = KIND_SLOT_ENDING;
pub(crate) const SEQUENCED: u8 = KIND_SEQUENCED;
pub(crate) const BASED: u8 = KIND_BASED;

/// A BLS committee of `n` members with the given weights, its secret keys and verified keys.
pub(crate) struct TestCommittee {
    pub(crate) secrets: Vec<blst::min_pk::SecretKey>,
    pub(crate) members: Vec<CommitteeMember>,
    pub(crate) keys: Verified<CommitteeKeys>,
}

pub(crate) fn committee(id: u64, weights: &[u64]) -> TestCommittee {
    let mut secrets = Vec::new();
    let mut members = Vec::new();
    for (i, w) in weights.iter().enumerate() {
        let ikm = keccak256([id.to_be_bytes(), (i as u64).to_be_bytes()].concat());
        let sk = blst::min_pk::SecretKey::key_gen(ikm.as_slice(), &[])
            .unwrap_or_else(|_| unreachable!());
        members.push(CommitteeMember {
            pubkey: FixedBytes(sk.sk_to_pk().compress()),
            weight: *w,
        });
        secrets.push(sk);
    }
    let ann = Verified::new_unchecked(CommitteeAnnouncement {
        committee_id: id,
        committee_hash: committee_hash(id, &members),
        activation_l1_slot: 0,
    });
    let keys = verify_committee(&members, &ann).unwrap_or_else(|_| unreachable!());
    TestCommittee {
        secrets,
        members,
        keys,
    }
}

/// Signs `hash` by the members whose index is in `signers`.
pub(crate) fn committee_sign(
    c: &TestCommittee,
    chain_id: u64,
    hash: B256,
    signers: &[usize],
) -> CommitteeCertificate {
    let id = c.keys.id;
    let msg = bls_message(chain_id, id, hash);
    let sigs: Vec<blst::min_pk::Signature> = signers
        .iter()
        .map(|i| c.secrets[*i].sign(msg.as_slice(), crate::bls::ETH_DST, &[]))
        .collect();
    let refs: Vec<&blst::min_pk::Signature> = sigs.iter().collect();
    let agg = blst::min_pk::AggregateSignature::aggregate(&refs, false)
        .unwrap_or_else(|_| unreachable!());
    let mut bitfield = vec![0u8; c.members.len().div_ceil(8)];
    for i in signers {
        bitfield[i / 8] |= 1 << (i % 8);
    }
    CommitteeCertificate {
        committee_id: id,
        bitfield,
        signature: FixedBytes(agg.to_signature().compress()),
    }
}
