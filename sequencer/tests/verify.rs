//! Everything the SDK signs and builds is accepted by the core's verifier
//! (the rollup engine a wallet runs), and what the SDK refuses, the core
//! refuses too: wrong keys, wrong committees, slot and based-block rules
//! (docs/PROTOCOL.md sections 2-5).

mod common;

use alloy_primitives::{B256, FixedBytes};
use common::*;
use preconf_light::confidence::{Engine, EngineError, Input};
use preconf_light::rollup::certificate::verify_ecdsa_certificate;
use preconf_light::rollup::{
    BlockKind, Certificate, CommitteeMember, FeedMessage, L2Block, RollupError, RollupSetup,
    SequencerAuth, SlotEndingRule,
};
use preconf_sequencer::{
    Aggregator, BasedOn, Certifier, Committee, EcdsaSigner, LocalCommittee, MemberSigner, Sealed,
    Sequencer, SequencerError, SlotContext, Tip, build_based, child_header,
};
use serde_json::json;

fn signer(n: u8) -> EcdsaSigner {
    EcdsaSigner::from_bytes(&[n; 32]).expect("key")
}

fn accept(engine: &mut Engine, sealed: &Sealed) {
    engine
        .step(Input::L2Block(sealed.message.clone()))
        .unwrap_or_else(|e| panic!("the engine refused block {}: {e}", sealed.hash));
}

fn refused(engine: &mut Engine, msg: FeedMessage) -> RollupError {
    match engine.step(Input::L2Block(msg)) {
        Err(EngineError::Rollup(e)) => e,
        other => panic!("expected a rollup rejection, got {other:?}"),
    }
}

/// A message certified by `c` whatever the slot rules say (what a careless
/// operator would publish): the header is built by `child_header` only.
fn forced(
    c: &impl Certifier,
    parent: &Tip,
    kind: BlockKind,
    ctx: SlotContext,
    n: u8,
) -> FeedMessage {
    let b = body(n);
    let header = child_header(&parent.header, kind, &ctx, &b).expect("structure");
    let certificate = if kind == BlockKind::Based {
        Certificate::None
    } else {
        c.certify(CHAIN_ID, header.hash()).expect("certify")
    };
    FeedMessage {
        block: L2Block {
            header,
            transactions: b.transactions,
        },
        certificate,
    }
}

#[test]
fn ecdsa_marker_chain_with_a_based_block_is_accepted_and_wrong_keys_are_refused() {
    let key = signer(7);
    let mut engine = engine(config(
        SequencerAuth::Key(key.address()),
        SlotEndingRule::Marker,
    ));
    let seq = Sequencer::new(CHAIN_ID, SlotEndingRule::Marker, key.clone());
    let mut tip = Tip::anchor(genesis(), true);
    // Slot 17: two sequenced blocks, then the slot-ending one (kind 1).
    for (i, end) in [false, false, true].into_iter().enumerate() {
        let s = seq
            .certify_next(&tip, slot(17), end, body(i as u8))
            .expect("block");
        let want = if end { 1 } else { 0 };
        assert_eq!(s.message.block.header.kind, want);
        let Certificate::Ecdsa(sig) = &s.message.certificate else {
            panic!("ECDSA certificate")
        };
        verify_ecdsa_certificate(sig, CHAIN_ID, s.hash, key.address()).expect("section 2.1");
        assert_eq!(
            verify_ecdsa_certificate(sig, CHAIN_ID, s.hash, signer(8).address()),
            Err(RollupError::InvalidSignature)
        );
        accept(&mut engine, &s);
        tip = s.tip;
    }
    let ending = tip.clone();
    // A certified block of the same slot on the slot-ending block: the SDK
    // refuses, and the core refuses the same message built by hand.
    assert_eq!(
        seq.certify_next(&ending, slot(17), false, body(9)).err(),
        Some(SequencerError::SlotEnded(17))
    );
    let bad = forced(&key, &ending, BlockKind::Sequenced, slot(17), 9);
    assert!(matches!(
        refused(&mut engine, bad),
        RollupError::BadParentLink(_)
    ));
    // Anyone's based block on the slot-ending block, same slot and L1 parent.
    let based = build_based(&ending, BasedOn::SlotEnd, slot(17), body(10)).expect("based");
    assert_eq!(based.message.certificate, Certificate::None);
    accept(&mut engine, &based);
    // The next slot starts on the based block.
    let next = seq
        .certify_next(&based.tip, slot(18), false, body(11))
        .expect("block");
    accept(&mut engine, &next);
    // Another key's certificate over a valid block: refused.
    let other = Sequencer::new(CHAIN_ID, SlotEndingRule::Marker, signer(8));
    let wrong = other
        .certify_next(&next.tip, slot(18), false, body(12))
        .expect("block");
    assert_eq!(
        refused(&mut engine, wrong.message),
        RollupError::InvalidSignature
    );
    // The same block certified for another chain id: refused.
    let cross = Sequencer::new(CHAIN_ID + 1, SlotEndingRule::Marker, key);
    let wrong = cross
        .certify_next(&next.tip, slot(18), false, body(13))
        .expect("block");
    assert_eq!(
        refused(&mut engine, wrong.message),
        RollupError::InvalidSignature
    );
}

#[test]
fn based_blocks_follow_section_4_and_the_committed_head_only_in_based_mode() {
    let key = signer(3);
    let mut engine = engine(config(
        SequencerAuth::Key(key.address()),
        SlotEndingRule::Marker,
    ));
    let seq = Sequencer::new(CHAIN_ID, SlotEndingRule::Marker, key.clone());
    let anchor = Tip::anchor(genesis(), true);
    let a = seq
        .certify_next(&anchor, slot(17), false, body(1))
        .expect("a");
    accept(&mut engine, &a);
    // On a sequenced (not slot-ending) block: refused by both.
    assert_eq!(
        build_based(&a.tip, BasedOn::SlotEnd, slot(17), body(2)).err(),
        Some(SequencerError::BasedParent {
            slot: 17,
            parent_slot: 17
        })
    );
    let bad = forced(&key, &a.tip, BlockKind::Based, slot(17), 2);
    assert_eq!(refused(&mut engine, bad), RollupError::BasedWrongParent);
    let e = seq
        .certify_next(&a.tip, slot(17), true, body(3))
        .expect("E");
    accept(&mut engine, &e);
    // Another L1 parent than E's: refused by both.
    let mut other_parent = slot(17);
    other_parent.l1_parent.block_hash = B256::repeat_byte(0xee);
    assert_eq!(
        build_based(&e.tip, BasedOn::SlotEnd, other_parent, body(4)).err(),
        Some(SequencerError::L1ParentMismatch)
    );
    let bad = forced(&key, &e.tip, BlockKind::Based, other_parent, 4);
    assert_eq!(refused(&mut engine, bad), RollupError::L1ParentMismatch);
    // E of slot 17 reused in slot 18 (section 4 rule 2): refused by both.
    assert!(matches!(
        build_based(&e.tip, BasedOn::SlotEnd, slot(18), body(5)),
        Err(SequencerError::BasedParent { .. })
    ));
    let bad = forced(&key, &e.tip, BlockKind::Based, slot(18), 5);
    assert!(matches!(
        refused(&mut engine, bad),
        RollupError::BasedWrongSlot { .. }
    ));
    // On the committed head (genesis, committed at the anchor's slot 16):
    // not before based mode (slot > 16 + K), then accepted.
    let not_yet = BasedOn::CommittedHead {
        last_commit_slot: ANCHOR_SLOT,
        stall_limit_slots: STALL_LIMIT,
    };
    assert!(matches!(
        build_based(&anchor, not_yet, slot(ANCHOR_SLOT + STALL_LIMIT), body(6)),
        Err(SequencerError::NotBasedMode { .. })
    ));
    let bad = forced(
        &key,
        &anchor,
        BlockKind::Based,
        slot(ANCHOR_SLOT + STALL_LIMIT),
        6,
    );
    assert_eq!(refused(&mut engine, bad), RollupError::BasedWrongParent);
    let b = build_based(
        &anchor,
        not_yet,
        slot(ANCHOR_SLOT + STALL_LIMIT + 1),
        body(7),
    )
    .expect("based mode");
    accept(&mut engine, &b);
}

#[test]
fn nth_block_rule_has_no_marker_and_ends_the_slot_at_block_n() {
    let key = signer(4);
    let rule = SlotEndingRule::NthBlock(3);
    let mut engine = engine(config(SequencerAuth::Key(key.address()), rule));
    let seq = Sequencer::new(CHAIN_ID, rule, key.clone());
    let mut tip = Tip::anchor(genesis(), true);
    for i in 1..=2u8 {
        assert!(matches!(
            seq.certify_next(&tip, slot(17), true, body(i)),
            Err(SequencerError::NthRule { n: 3, .. })
        ));
        let s = seq
            .certify_next(&tip, slot(17), false, body(i))
            .expect("block");
        accept(&mut engine, &s);
        tip = s.tip;
    }
    assert!(matches!(
        seq.certify_next(&tip, slot(17), false, body(3)),
        Err(SequencerError::NthRule {
            n: 3,
            position: 3,
            ..
        })
    ));
    // A marker under the N-th rule: the SDK will not sign it; the core refuses it.
    assert_eq!(
        seq.seal(
            forced(&key, &tip, BlockKind::SlotEnding, slot(17), 3).block,
            tip.slot
        )
        .err(),
        Some(SequencerError::WrongKind)
    );
    let bad = forced(&key, &tip, BlockKind::SlotEnding, slot(17), 3);
    assert_eq!(refused(&mut engine, bad), RollupError::MarkerNotAllowed);
    let third = seq
        .certify_next(&tip, slot(17), true, body(3))
        .expect("3rd");
    assert_eq!(third.message.block.header.kind, 0);
    accept(&mut engine, &third);
    // The 3rd block ended slot 17: a 4th certified block of 17 is refused by
    // both; a based block on it is fine.
    assert_eq!(
        seq.certify_next(&third.tip, slot(17), false, body(4)).err(),
        Some(SequencerError::SlotEnded(17))
    );
    let bad = forced(&key, &third.tip, BlockKind::Sequenced, slot(17), 4);
    assert!(matches!(
        refused(&mut engine, bad),
        RollupError::BadParentLink(_)
    ));
    let based = build_based(&third.tip, BasedOn::SlotEnd, slot(17), body(5)).expect("based");
    accept(&mut engine, &based);
}

/// Four members with weights 1, 2, 3, 4 and the client config naming them.
fn committee() -> (Vec<MemberSigner>, Committee, serde_json::Value) {
    let signers: Vec<MemberSigner> = (0u8..4)
        .map(|i| MemberSigner::from_ikm(&[0x40 + i; 32]).expect("key"))
        .collect();
    let members: Vec<CommitteeMember> = signers
        .iter()
        .zip([1u64, 2, 3, 4])
        .map(|(s, weight)| CommitteeMember {
            pubkey: s.pubkey(),
            weight,
        })
        .collect();
    let committee = Committee::new(0, members.clone()).expect("committee");
    let json = json!({
        "chainId": CHAIN_ID,
        "sequencer": {
            "kind": "committee", "committeeId": 0,
            "committeeHash": format!("{:#x}", committee.hash()),
            "activationL1Slot": 0, "members": members,
        },
        "slotEnding": "marker",
        "stallLimitSlots": STALL_LIMIT,
        "forcedInclusionWindowSlots": 4,
        "inbox": format!("{:#x}", alloy_primitives::Address::repeat_byte(0x0c)),
        "l1": { "genesisTime": GENESIS_TIME, "secondsPerSlot": SECONDS_PER_SLOT, "slotsPerEpoch": SLOTS_PER_EPOCH },
    });
    (signers, committee, json)
}

#[test]
fn committee_certificates_need_two_thirds_and_verify_in_the_core() {
    let (signers, committee, json) = committee();
    let setup = RollupSetup::from_json(&json).expect("config with the committee");
    assert_eq!(
        preconf_sequencer::committee_config_hash(&setup.config, committee.hash()),
        setup.config.config_hash(),
        "the operator's config hash is the one clients compute (section 8)"
    );
    let mut engine = engine(setup.config);
    // Members 1, 2, 3 (9 of 10) sign in-process.
    let local = LocalCommittee::new(
        committee.clone(),
        signers.iter().cloned().enumerate().skip(1).collect(),
    )
    .expect("local committee");
    let seq = Sequencer::new(CHAIN_ID, SlotEndingRule::Marker, local);
    let a = seq
        .certify_next(&Tip::anchor(genesis(), true), slot(17), false, body(1))
        .expect("block");
    let Certificate::Committee(cert) = &a.message.certificate else {
        panic!("committee certificate")
    };
    assert_eq!(cert.bitfield, vec![0b1110]);
    accept(&mut engine, &a);
    // Member 3 alone holds 4 of 10: below 2/3, the SDK refuses to certify.
    let alone = LocalCommittee::new(committee.clone(), vec![(3, signers[3].clone())])
        .expect("local committee");
    assert_eq!(
        alone.certify(CHAIN_ID, a.hash).err(),
        Some(SequencerError::BelowThreshold {
            signed: 4,
            total: 10
        })
    );
    // A signer holding another member's index: refused at construction.
    assert!(LocalCommittee::new(committee.clone(), vec![(0, signers[1].clone())]).is_err());

    // Signatures gathered from remote members, checked one by one.
    let b_header =
        child_header(&a.tip.header, BlockKind::SlotEnding, &slot(17), &body(2)).expect("header");
    let hash = b_header.hash();
    let mut agg = Aggregator::new(&committee, CHAIN_ID, hash);
    let other_chain = signers[1].sign(CHAIN_ID + 1, 0, hash);
    assert_eq!(
        agg.add(1, &other_chain),
        Err(SequencerError::BadMemberSignature(1))
    );
    assert_eq!(
        agg.add(2, &signers[1].sign(CHAIN_ID, 0, hash)),
        Err(SequencerError::BadMemberSignature(2)),
        "member 1's signature under member 2's index"
    );
    assert_eq!(
        agg.add(4, &signers[1].sign(CHAIN_ID, 0, hash)),
        Err(SequencerError::UnknownMember(4))
    );
    assert_eq!(
        agg.add(0, &FixedBytes([0xaa; 96])),
        Err(SequencerError::BadMemberSignature(0))
    );
    agg.add(3, &signers[3].sign(CHAIN_ID, 0, hash))
        .expect("member 3");
    assert!(!agg.complete(), "4 of 10 is below 2/3");
    agg.add(2, &signers[2].sign(CHAIN_ID, 0, hash))
        .expect("member 2");
    assert!(agg.complete(), "7 of 10: 21 >= 20");
    assert_eq!(
        agg.add(3, &signers[3].sign(CHAIN_ID, 0, hash)),
        Err(SequencerError::DuplicateMember(3))
    );
    agg.add(0, &signers[0].sign(CHAIN_ID, 0, hash))
        .expect("member 0");
    assert_eq!(agg.signed_weight(), 8);
    let cert = agg.finish().expect("8 of 10");
    let b = FeedMessage {
        block: L2Block {
            header: b_header.clone(),
            transactions: Vec::new(),
        },
        certificate: cert,
    };
    engine
        .step(Input::L2Block(b))
        .expect("aggregated certificate accepted");

    // The same members under another committee id: refused (section 2.2).
    let renamed = Committee::new(1, committee.members().to_vec()).expect("committee");
    let c_header =
        child_header(&a.tip.header, BlockKind::Sequenced, &slot(17), &body(3)).expect("header");
    let mut agg2 = Aggregator::new(&renamed, CHAIN_ID, c_header.hash());
    for (i, s) in signers.iter().enumerate() {
        agg2.add(i, &s.sign(CHAIN_ID, 1, c_header.hash()))
            .expect("member");
    }
    let wrong = FeedMessage {
        block: L2Block {
            header: c_header,
            transactions: Vec::new(),
        },
        certificate: agg2.finish().expect("certificate"),
    };
    assert!(matches!(
        refused(&mut engine, wrong),
        RollupError::WrongCommittee { got: 1, .. }
    ));
}

#[test]
fn invalid_keys_and_committees_are_refused() {
    assert_eq!(
        EcdsaSigner::from_bytes(&[0; 32]).err(),
        Some(SequencerError::InvalidKey)
    );
    assert_eq!(
        EcdsaSigner::from_bytes(&[0xff; 32]).err(),
        Some(SequencerError::InvalidKey)
    );
    assert_eq!(
        MemberSigner::from_ikm(&[1; 31]).err(),
        Some(SequencerError::InvalidKey)
    );
    assert!(Committee::new(0, Vec::new()).is_err());
    let key = MemberSigner::from_ikm(&[1; 32]).expect("key").pubkey();
    assert!(
        Committee::new(
            0,
            vec![CommitteeMember {
                pubkey: key,
                weight: 0
            }]
        )
        .is_err()
    );
    assert!(
        Committee::new(
            0,
            vec![CommitteeMember {
                pubkey: FixedBytes([0x11; 48]),
                weight: 1
            }]
        )
        .is_err()
    );
}
