//! Unit tests of the rollup layer: every rule with a negative case.

use alloy_primitives::{B256, Bytes, FixedBytes, U256, keccak256};

use super::certificate::*;
use super::header::transactions_root;
use super::l1::{InboxEvent, L1Log, decode_inbox_log, encode_commit_log, encode_forced_log};
use super::testkit::*;
use super::*;
use crate::Verified;

#[test]
fn header_hash_is_keccak_of_rlp_and_roundtrips() {
    let h = anchor_header();
    let rlp = h.rlp_bytes();
    assert_eq!(h.hash(), keccak256(&rlp));
    assert_eq!(L2Header::decode_rlp(&rlp), Ok(h.clone()));
    let mut trailing = rlp.clone();
    trailing.push(0);
    assert_eq!(
        L2Header::decode_rlp(&trailing),
        Err(RollupError::Malformed("trailing bytes after L2 header"))
    );
    let mut bad = h;
    bad.kind = 3;
    assert_eq!(
        L2Header::decode_rlp(&bad.rlp_bytes()),
        Err(RollupError::UnknownKind(3))
    );
    assert!(matches!(
        L2Header::decode_rlp(&rlp[..rlp.len() - 1]),
        Err(RollupError::Malformed(_))
    ));
}

#[test]
fn body_must_match_transactions_root() {
    let g = l1_genesis();
    let mut b = l2_child(
        &anchor_header(),
        SEQUENCED,
        1,
        &g,
        vec![Bytes::from_static(b"\x02tx")],
        0,
    );
    assert_eq!(b.check_body(), Ok(()));
    b.transactions.push(Bytes::from_static(b"\x02extra"));
    assert_eq!(b.check_body(), Err(RollupError::TransactionsRootMismatch));
}

#[test]
fn ecdsa_certificate_rules() {
    let key = signing_key(1);
    let addr = address_of(&key);
    let hash = keccak256(b"block");
    let Certificate::Ecdsa(sig) = sign_block(&key, CHAIN_ID, hash) else {
        unreachable!()
    };
    assert_eq!(verify_ecdsa_certificate(&sig, CHAIN_ID, hash, addr), Ok(()));
    // Another key.
    let Certificate::Ecdsa(other) = sign_block(&signing_key(2), CHAIN_ID, hash) else {
        unreachable!()
    };
    assert_eq!(
        verify_ecdsa_certificate(&other, CHAIN_ID, hash, addr),
        Err(RollupError::InvalidSignature)
    );
    // Wrong chain id.
    assert_eq!(
        verify_ecdsa_certificate(&sig, CHAIN_ID + 1, hash, addr),
        Err(RollupError::InvalidSignature)
    );
    // Wrong domain: an OP-Stack-style digest (zero domain) must not verify.
    let mut op = [0u8; 96];
    op[24..32].copy_from_slice(&CHAIN_ID.to_be_bytes());
    op[64..].copy_from_slice(hash.as_slice());
    let Certificate::Ecdsa(op_sig) = sign_digest(&key, keccak256(op)) else {
        unreachable!()
    };
    assert_eq!(
        verify_ecdsa_certificate(&op_sig, CHAIN_ID, hash, addr),
        Err(RollupError::InvalidSignature)
    );
    // High-s twin of a valid signature.
    let n = U256::from_str_radix(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .unwrap();
    let s = U256::from_be_slice(&sig[32..64]);
    let mut twin = sig.0;
    twin[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
    twin[64] ^= 1;
    assert_eq!(
        verify_ecdsa_certificate(&FixedBytes(twin), CHAIN_ID, hash, addr),
        Err(RollupError::HighS)
    );
    // Bad v.
    let mut bad_v = sig.0;
    bad_v[64] = 7;
    assert!(matches!(
        verify_ecdsa_certificate(&FixedBytes(bad_v), CHAIN_ID, hash, addr),
        Err(RollupError::Malformed(_))
    ));
    // Section 2.1: v is 0, 1, 27 or 28; the EIP-155 forms (35 + parity + 2k)
    // are malformed too, and 27/28 are accepted like 0/1.
    for v in [35u8, 36, 37, 38, 255] {
        let mut eip155 = sig.0;
        eip155[64] = v;
        assert!(
            matches!(
                verify_ecdsa_certificate(&FixedBytes(eip155), CHAIN_ID, hash, addr),
                Err(RollupError::Malformed(_))
            ),
            "v = {v}"
        );
    }
    let mut v27 = sig.0;
    v27[64] += 27;
    assert_eq!(
        verify_ecdsa_certificate(&FixedBytes(v27), CHAIN_ID, hash, addr),
        Ok(())
    );
}

#[test]
fn committee_certificate_threshold_is_two_thirds_of_weight() {
    let c = committee(7, &[1, 1, 1]);
    let hash = keccak256(b"block");
    let ok = committee_sign(&c, CHAIN_ID, hash, &[0, 1]);
    assert_eq!(
        verify_committee_certificate(&c.keys, &ok, CHAIN_ID, hash, 5),
        Ok(())
    );
    let low = committee_sign(&c, CHAIN_ID, hash, &[0]);
    assert_eq!(
        verify_committee_certificate(&c.keys, &low, CHAIN_ID, hash, 5),
        Err(RollupError::BelowThreshold {
            signed: 1,
            total: 3
        })
    );
    // Majority of members but not of weight.
    let w = committee(8, &[10, 1, 1, 1]);
    let many = committee_sign(&w, CHAIN_ID, hash, &[1, 2, 3]);
    assert_eq!(
        verify_committee_certificate(&w.keys, &many, CHAIN_ID, hash, 5),
        Err(RollupError::BelowThreshold {
            signed: 3,
            total: 13
        })
    );
    assert!(
        meets_threshold(2, 3)
            && !meets_threshold(1, 2)
            && meets_threshold(20, 30)
            && !meets_threshold(19, 29)
    );
}

#[test]
fn committee_certificate_negative_cases() {
    let c = committee(7, &[1, 1, 1]);
    let hash = keccak256(b"block");
    let good = committee_sign(&c, CHAIN_ID, hash, &[0, 1, 2]);
    // Signature over another block.
    assert_eq!(
        verify_committee_certificate(&c.keys, &good, CHAIN_ID, keccak256(b"other"), 5),
        Err(RollupError::InvalidSignature)
    );
    // Wrong chain id (domain-separated message).
    assert_eq!(
        verify_committee_certificate(&c.keys, &good, CHAIN_ID + 1, hash, 5),
        Err(RollupError::InvalidSignature)
    );
    // Claims a participant who did not sign.
    let mut lie = committee_sign(&c, CHAIN_ID, hash, &[0, 1]);
    lie.bitfield[0] |= 0b100;
    assert_eq!(
        verify_committee_certificate(&c.keys, &lie, CHAIN_ID, hash, 5),
        Err(RollupError::InvalidSignature)
    );
    // Non-zero padding bit.
    let mut pad = good.clone();
    pad.bitfield[0] |= 0b1000;
    assert_eq!(
        verify_committee_certificate(&c.keys, &pad, CHAIN_ID, hash, 5),
        Err(RollupError::InvalidBitfield)
    );
    // Wrong length.
    let mut long = good.clone();
    long.bitfield.push(0);
    assert_eq!(
        verify_committee_certificate(&c.keys, &long, CHAIN_ID, hash, 5),
        Err(RollupError::InvalidBitfield)
    );
    // Another committee id.
    let mut other = good;
    other.committee_id = 9;
    assert_eq!(
        verify_committee_certificate(&c.keys, &other, CHAIN_ID, hash, 5),
        Err(RollupError::WrongCommittee { got: 9, slot: 5 })
    );
}

#[test]
fn committee_must_match_its_announcement() {
    let c = committee(7, &[1, 2, 3]);
    let ann = Verified::new_unchecked(CommitteeAnnouncement {
        committee_id: 7,
        committee_hash: committee_hash(7, &c.members),
        activation_l1_slot: 0,
    });
    assert!(verify_committee(&c.members, &ann).is_ok());
    let mut members = c.members.clone();
    members[0].weight = 5;
    assert_eq!(
        verify_committee(&members, &ann).err(),
        Some(RollupError::CommitteeMismatch)
    );
    let mut zero = c.members.clone();
    zero[1].weight = 0;
    let ann0 = Verified::new_unchecked(CommitteeAnnouncement {
        committee_hash: committee_hash(7, &zero),
        ..*ann
    });
    assert_eq!(
        verify_committee(&zero, &ann0).err(),
        Some(RollupError::InvalidCommittee("zero weight"))
    );
    let (a, b) = CommitteeAnnouncement::storage_keys(7);
    assert_ne!(a, b);
}

#[test]
fn certificate_wire_roundtrip_and_malformed() {
    let c = committee(3, &[1; 10]);
    let cert = Certificate::Committee(committee_sign(
        &c,
        CHAIN_ID,
        B256::ZERO,
        &[0, 1, 2, 3, 4, 5, 6],
    ));
    for cert in [
        cert,
        sign_block(&signing_key(1), CHAIN_ID, B256::ZERO),
        Certificate::None,
    ] {
        let bytes = cert.encode().unwrap();
        assert_eq!(Certificate::decode(&bytes), Ok(cert.clone()));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(matches!(
            Certificate::decode(&trailing),
            Err(RollupError::Malformed(_))
        ));
    }
    assert!(matches!(
        Certificate::decode(&[]),
        Err(RollupError::Malformed(_))
    ));
    assert!(matches!(
        Certificate::decode(&[9]),
        Err(RollupError::Malformed(_))
    ));
    assert!(matches!(
        Certificate::decode(&[CERT_TAG_COMMITTEE, 0, 0]),
        Err(RollupError::Malformed(_))
    ));
}

#[test]
fn feed_message_json_and_binary_roundtrip() {
    let key = signing_key(1);
    let b = l2_child(
        &anchor_header(),
        SLOT_ENDING,
        2,
        &l1_genesis(),
        vec![Bytes::from_static(b"\x02abc")],
        1,
    );
    let msg = certified(&key, b);
    let bin = msg.encode_binary().unwrap();
    assert_eq!(FeedMessage::decode_binary(&bin), Ok(msg.clone()));
    let json = msg.to_json().unwrap();
    assert!(json.contains("\"l1ParentBeaconRoot\""));
    assert_eq!(FeedMessage::from_json(&json), Ok(msg.clone()));
    assert!(matches!(
        FeedMessage::decode_binary(&bin[..bin.len() - 2]),
        Err(RollupError::Malformed(_))
    ));
    let bad = json.replace("\"kind\":1", "\"kind\":9");
    assert_eq!(
        FeedMessage::from_json(&bad),
        Err(RollupError::UnknownKind(9))
    );
}

#[test]
fn public_values_layout() {
    let v = BatchPublicValues {
        l1_head: keccak256(b"a"),
        l2_pre_root: keccak256(b"b"),
        l2_post_root: keccak256(b"c"),
        l2_block_number: 77,
        l2_block_hash: keccak256(b"d"),
        config_hash: keccak256(b"e"),
    };
    let bytes = v.encode();
    assert_eq!(bytes[127], 77);
    assert_eq!(BatchPublicValues::decode(&bytes), Ok(v));
    let mut over = bytes;
    over[100] = 1;
    assert!(matches!(
        BatchPublicValues::decode(&over),
        Err(RollupError::Malformed(_))
    ));
    assert!(matches!(
        BatchPublicValues::decode(&bytes[..191]),
        Err(RollupError::Malformed(_))
    ));
}

#[test]
fn inbox_log_layout() {
    let h = keccak256(b"l2");
    let log = encode_commit_log(inbox(), h, 5, B256::ZERO);
    assert_eq!(
        decode_inbox_log(&log, inbox()),
        Ok(Some(InboxEvent::Commit {
            block_hash: h,
            number: 5,
            prev_committed: B256::ZERO
        }))
    );
    assert_eq!(
        decode_inbox_log(&log, alloy_primitives::Address::ZERO),
        Ok(None)
    );
    let short = L1Log {
        data: log.data.slice(..63),
        ..log.clone()
    };
    assert!(matches!(
        decode_inbox_log(&short, inbox()),
        Err(RollupError::Malformed(_))
    ));
    let forced = encode_forced_log(inbox(), h, 9);
    assert_eq!(
        decode_inbox_log(&forced, inbox()),
        Ok(Some(InboxEvent::Forced {
            tx_hash: h,
            deadline_slot: 9
        }))
    );
    let mut big = forced.clone();
    let mut data = big.data.to_vec();
    data[0] = 1;
    big.data = data.into();
    assert!(matches!(
        decode_inbox_log(&big, inbox()),
        Err(RollupError::Malformed(_))
    ));
    let _ = transactions_root(&[]);
}

fn view() -> (k256::ecdsa::SigningKey, ChainView) {
    let key = signing_key(1);
    let v = ChainView::new(config(&key), anchor()).unwrap();
    (key, v)
}

#[test]
fn verify_block_parent_and_certificate_rules() {
    let (key, mut v) = view();
    let g = l1_genesis();
    let a = anchor_header();
    // Missing certificate.
    let b = l2_child(&a, SEQUENCED, 1, &g, vec![], 0);
    assert_eq!(
        v.verify_block(based(b.clone())).err(),
        Some(RollupError::MissingCertificate)
    );
    // Wrong key.
    assert_eq!(
        v.verify_block(certified(&signing_key(9), b.clone())).err(),
        Some(RollupError::InvalidSignature)
    );
    // Unknown parent.
    let orphan = l2_child(&b.header, SEQUENCED, 1, &g, vec![], 0);
    assert_eq!(
        v.verify_block(certified(&key, orphan)).err(),
        Some(RollupError::UnknownParent(b.header.hash()))
    );
    // Wrong chain id.
    let mut other = b.clone();
    other.header.chain_id = 5;
    assert!(matches!(
        v.verify_block(certified(&key, other)),
        Err(RollupError::WrongChainId { .. })
    ));
    // Number gap.
    let mut gap = b.clone();
    gap.header.number = 3;
    assert!(matches!(
        v.verify_block(certified(&key, gap)),
        Err(RollupError::BadParentLink(_))
    ));
    // Good, then a duplicate.
    let ok = v.verify_block(certified(&key, b.clone())).unwrap();
    v.insert_block(ok);
    assert_eq!(
        v.verify_block(certified(&key, b.clone())).err(),
        Some(RollupError::Duplicate(b.header.hash()))
    );
    // Slot-ending E of slot 1, then a certified child in the same slot is refused.
    let e = l2_child(&b.header, SLOT_ENDING, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, e.clone())).unwrap());
    let same_slot = l2_child(&e.header, SEQUENCED, 1, &g, vec![], 0);
    assert!(matches!(
        v.verify_block(certified(&key, same_slot)),
        Err(RollupError::BadParentLink(_))
    ));
    let next_slot = l2_child(&e.header, SEQUENCED, 2, &g, vec![], 0);
    assert!(v.verify_block(certified(&key, next_slot)).is_ok());
}

#[test]
fn best_hash_at_follows_the_committed_then_preferred_chain_and_stops_at_a_fork() {
    let (key, mut v) = view();
    let g = l1_genesis();
    let a = anchor_header();
    assert_eq!(v.best_hash_at(0), Some(a.hash()));
    assert_eq!(v.best_hash_at(1), None);
    let b = l2_child(&a, SEQUENCED, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, b.clone())).unwrap());
    let e = l2_child(&b.header, SLOT_ENDING, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, e.clone())).unwrap());
    assert_eq!(v.best_hash_at(1), Some(b.header.hash()));
    assert_eq!(v.best_hash_at(2), Some(e.header.hash()));
    assert_eq!(v.best_hash_at(3), None);
    // A second certified block at height 1: no best block past the committed head.
    let twin = l2_child(&a, SEQUENCED, 1, &g, vec![], 7);
    v.insert_block(v.verify_block(certified(&key, twin)).unwrap());
    assert_eq!(v.best_hash_at(1), None);
    assert_eq!(v.best_hash_at(2), None);
    assert_eq!(v.best_hash_at(0), Some(a.hash()));
}

#[test]
fn based_block_rules() {
    let (key, mut v) = view();
    let g = l1_genesis();
    let a = anchor_header();
    let s1 = l2_child(&a, SEQUENCED, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, s1.clone())).unwrap());
    let e = l2_child(&s1.header, SLOT_ENDING, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, e.clone())).unwrap());
    // Based on a plain sequenced block (not in based mode).
    let wrong_parent = l2_child(&s1.header, BASED, 1, &g, vec![], 1);
    assert_eq!(
        v.verify_block(based(wrong_parent)).err(),
        Some(RollupError::BasedWrongParent)
    );
    // Slot-ending of slot 1 reused in slot 2.
    let late = l2_child(&e.header, BASED, 2, &g, vec![], 1);
    assert_eq!(
        v.verify_block(based(late)).err(),
        Some(RollupError::BasedWrongSlot {
            block_slot: 2,
            parent_slot: 1
        })
    );
    // Different L1 parent than the slot-ending block named.
    let other_l1 = l1_child(&g, 1, 99);
    let mismatch = l2_child(&e.header, BASED, 1, &other_l1, vec![], 1);
    assert_eq!(
        v.verify_block(based(mismatch)).err(),
        Some(RollupError::L1ParentMismatch)
    );
    // A based block must not carry a certificate.
    let good = l2_child(&e.header, BASED, 1, &g, vec![], 1);
    assert_eq!(
        v.verify_block(certified(&key, good.clone())).err(),
        Some(RollupError::UnexpectedCertificate)
    );
    let ok = v.verify_block(based(good.clone())).unwrap();
    v.insert_block(ok);
    // Another based block of the same slot on it is fine; of the next slot is not.
    assert!(
        v.verify_block(based(l2_child(&good.header, BASED, 1, &g, vec![], 2)))
            .is_ok()
    );
    assert!(matches!(
        v.verify_block(based(l2_child(&good.header, BASED, 2, &g, vec![], 2))),
        Err(RollupError::BasedWrongSlot { .. })
    ));
}

#[test]
fn nth_block_rule_makes_the_nth_block_slot_ending_and_forbids_the_marker() {
    let key = signing_key(1);
    let mut cfg = config(&key);
    cfg.slot_ending = SlotEndingRule::NthBlock(2);
    let mut v = ChainView::new(cfg, anchor()).unwrap();
    let g = l1_genesis();
    let b1 = l2_child(&anchor_header(), SEQUENCED, 1, &g, vec![], 0);
    let marker = l2_child(&anchor_header(), SLOT_ENDING, 1, &g, vec![], 0);
    assert_eq!(
        v.verify_block(certified(&key, marker)).err(),
        Some(RollupError::MarkerNotAllowed)
    );
    v.insert_block(v.verify_block(certified(&key, b1.clone())).unwrap());
    let b2 = l2_child(&b1.header, SEQUENCED, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, b2.clone())).unwrap());
    assert!(!v.node(&b1.header.hash()).unwrap().is_slot_ending());
    assert!(v.node(&b2.header.hash()).unwrap().is_slot_ending());
    // A based block may now extend b2 (the 2nd block of slot 1) but not b1.
    assert!(
        v.verify_block(based(l2_child(&b2.header, BASED, 1, &g, vec![], 1)))
            .is_ok()
    );
    let wrong = l2_child(&b1.header, BASED, 1, &g, vec![], 1);
    assert_eq!(
        v.verify_block(based(wrong)).err(),
        Some(RollupError::BasedWrongParent)
    );
}

#[test]
fn committee_rollup_verifies_blocks_and_rotates() {
    let c = committee(1, &[1, 1, 1, 1]);
    let key = signing_key(1);
    let mut cfg = config(&key);
    cfg.sequencer = SequencerAuth::Committee(c.keys.clone());
    let mut v = ChainView::new(cfg, anchor()).unwrap();
    let g = l1_genesis();
    let b = l2_child(&anchor_header(), SEQUENCED, 1, &g, vec![], 0);
    let cert = committee_sign(&c, CHAIN_ID, b.header.hash(), &[0, 1, 2]);
    let msg = FeedMessage {
        block: b.clone(),
        certificate: Certificate::Committee(cert),
    };
    assert!(v.verify_block(msg).is_ok());
    let ecdsa = certified(&key, b.clone());
    assert_eq!(
        v.verify_block(ecdsa).err(),
        Some(RollupError::WrongCertificateKind)
    );
    // Rotation: committee 2 from slot 5; a slot-6 block signed by committee 1 fails.
    let c2 = committee(2, &[1, 1, 1]);
    let mut keys2 = c2.keys.clone().into_inner();
    keys2.activation_l1_slot = 5;
    v.add_committee(Verified::new_unchecked(keys2));
    let late = l2_child(&anchor_header(), SEQUENCED, 6, &g, vec![], 0);
    let old = committee_sign(&c, CHAIN_ID, late.header.hash(), &[0, 1, 2]);
    assert_eq!(
        v.verify_block(FeedMessage {
            block: late.clone(),
            certificate: Certificate::Committee(old)
        })
        .err(),
        Some(RollupError::WrongCommittee { got: 1, slot: 6 })
    );
    let new = committee_sign(&c2, CHAIN_ID, late.header.hash(), &[0, 1]);
    assert!(
        v.verify_block(FeedMessage {
            block: late,
            certificate: Certificate::Committee(new)
        })
        .is_ok()
    );
}
