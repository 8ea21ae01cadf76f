//! Committee rollups (docs/PROTOCOL.md section 2.2): bootstrapping committee
//! 0, rotations, and committee certificates checked on the EIP-2537
//! precompiles, each refusal by name.

mod common;

use alloy_primitives::{B256, Bytes, FixedBytes, U256};
use alloy_sol_types::SolCall;
use common::*;
use preconf_inbox::abi::PreconfInbox;
use preconf_inbox::storage::{
    COMMITTEE_ACTIVATION_SLOT, COMMITTEE_HASH_SLOT, COMMITTEE_KEYS_HASH_SLOT, COUNTS_SLOT, Counts,
    mapping_key, slot_key,
};
use preconf_inbox::{
    CommitBlock, Commitment, CommitteeInput, InboxEvent, announce_calldata, bootstrap_calldata,
    commit_calldata, rotation_message,
};
use preconf_light::rollup::certificate::CommitteeCertificate;
use preconf_light::rollup::{Certificate, CommitteeAnnouncement, CommitteeMember};

const WEIGHTS: [u64; 5] = [3, 1, 1, 1, 2];

type U384 = alloy_primitives::ruint::Uint<384, 6>;

/// A point of E(Fp): y^2 = x^3 + 4 with the smallest x >= 1 that has a
/// square root, as (48-byte compressed, 128-byte EIP-2537). Almost every
/// such point lies outside the prime-order subgroup.
fn off_subgroup_point() -> ([u8; 48], [u8; 128]) {
    let p = U384::from_str_radix(
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        16,
    )
    .expect("p");
    let exp = (p + U384::from(1)) >> 2; // p = 3 mod 4
    let mut x = U384::from(1);
    loop {
        let f = x.mul_mod(x, p).mul_mod(x, p).add_mod(U384::from(4), p);
        let y = f.pow_mod(exp, p);
        if y.mul_mod(y, p) == f {
            let half = (p - U384::from(1)) >> 1;
            let xb: [u8; 48] = x.to_be_bytes();
            let yb: [u8; 48] = y.to_be_bytes();
            let mut compressed = xb;
            compressed[0] |= 0x80 | if y > half { 0x20 } else { 0 };
            let mut uncompressed = [0u8; 128];
            uncompressed[16..64].copy_from_slice(&xb);
            uncompressed[80..128].copy_from_slice(&yb);
            return (compressed, uncompressed);
        }
        x += U384::from(1);
    }
}

fn rollup() -> Rollup {
    let mut r = Rollup::committee(&WEIGHTS, 0);
    r.l1.enter_slot(DEPLOY_SLOT + 1);
    r
}

fn committee0(r: &Rollup) -> Committee {
    r.committees[0].clone()
}

/// Commitment calldata for `blocks`, then edited as ABI values.
fn edited(
    r: &Rollup,
    blocks: Vec<CommitBlock>,
    edit: impl FnOnce(&mut PreconfInbox::commitCall),
) -> Bytes {
    let c = Commitment {
        head: r.head.clone(),
        blocks,
        committees: r.committee_inputs(),
        forced: Vec::new(),
    };
    let data = commit_calldata(&c).expect("calldata");
    let mut call = PreconfInbox::commitCall::abi_decode(&data).expect("decode");
    edit(&mut call);
    call.abi_encode().into()
}

#[test]
fn bootstrap_stores_committee_zero() {
    // Section 2.2: committee 0 is the config's; its words are what a client proves.
    let r = Rollup::committee(&WEIGHTS, 0);
    let c = committee0(&r);
    let (hash_key, activation_key) = CommitteeAnnouncement::storage_keys(0);
    assert_eq!(hash_key, mapping_key(0, COMMITTEE_HASH_SLOT));
    assert_eq!(activation_key, mapping_key(0, COMMITTEE_ACTIVATION_SLOT));
    assert_eq!(B256::from(r.sload(hash_key)), c.hash());
    assert_eq!(r.sload(activation_key), U256::ZERO);
    assert_eq!(
        Counts::decode(r.sload(slot_key(COUNTS_SLOT))).committee_count,
        1
    );
    // committeeKeysHash = keccak(uncompressed keys || u256(w) ...)
    let mut pre = Vec::new();
    for m in &c.members {
        pre.extend_from_slice(&preconf_inbox::points::g1_uncompressed(&m.pubkey.0).expect("point"));
    }
    for m in &c.members {
        pre.extend_from_slice(&U256::from(m.weight).to_be_bytes::<32>());
    }
    assert_eq!(
        B256::from(r.sload(mapping_key(0, COMMITTEE_KEYS_HASH_SLOT))),
        alloy_primitives::keccak256(pre)
    );
}

#[test]
fn bootstrap_refusals() {
    let c = Committee::new(0, 7, &WEIGHTS);
    let fresh = || {
        let mut l1 = L1::new(revm::primitives::hardfork::SpecId::PRAGUE);
        l1.enter_slot(DEPLOY_SLOT);
        let out = l1.deploy(preconf_inbox::deploy_code(
            &config(alloy_primitives::Address::ZERO, 0),
            genesis().hash(),
            c.hash(),
        ));
        let inbox = out.created.expect("created");
        (l1, inbox)
    };
    let (mut l1, inbox) = fresh();
    // Another member list than the one deployed.
    let other = Committee::new(0, 8, &WEIGHTS);
    l1.call(inbox, bootstrap_calldata(&other.members).expect("data"))
        .expect_err("WrongAuthorizer");
    let mut zero = c.members.clone();
    zero[1].weight = 0;
    l1.call(inbox, bootstrap_calldata(&zero).expect("data"))
        .expect_err("ZeroWeight");
    l1.call(inbox, bootstrap_calldata(&[]).expect("data"))
        .expect_err("BadCommitteeSize");
    // A key whose uncompressed form is another point.
    let mut call = PreconfInbox::bootstrapCommitteeCall::abi_decode(
        &bootstrap_calldata(&c.members).expect("data"),
    )
    .expect("decode");
    let mut keys = call.keys.to_vec();
    keys[127] ^= 1;
    call.keys = keys.into();
    l1.call(inbox, call.abi_encode().into())
        .expect_err("InvalidMemberKey");
    // The compressed infinity point.
    let mut inf = c.members.clone();
    inf[0].pubkey = FixedBytes::from_slice(&[&[0xc0u8][..], &[0u8; 47]].concat());
    let mut call = PreconfInbox::bootstrapCommitteeCall::abi_decode(
        &bootstrap_calldata(&c.members).expect("data"),
    )
    .expect("decode");
    let mut pubkeys = call.pubkeys.to_vec();
    pubkeys[..48].copy_from_slice(inf[0].pubkey.as_slice());
    call.pubkeys = pubkeys.into();
    let mut keys = call.keys.to_vec();
    keys[..128].fill(0);
    call.keys = keys.into();
    l1.call(inbox, call.abi_encode().into())
        .expect_err("InvalidMemberKey");
    // A point of the curve outside the prime-order subgroup.
    let (compressed, uncompressed) = off_subgroup_point();
    let mut call = PreconfInbox::bootstrapCommitteeCall::abi_decode(
        &bootstrap_calldata(&c.members).expect("data"),
    )
    .expect("decode");
    let mut pubkeys = call.pubkeys.to_vec();
    pubkeys[..48].copy_from_slice(&compressed);
    call.pubkeys = pubkeys.into();
    let mut keys = call.keys.to_vec();
    keys[..128].copy_from_slice(&uncompressed);
    call.keys = keys.into();
    l1.call(inbox, call.abi_encode().into())
        .expect_err("InvalidMemberKey");
    // The Rust core refuses the same key (KeyValidate).
    assert!(
        blst::min_pk::PublicKey::key_validate(&compressed).is_err(),
        "the test point must be outside the subgroup"
    );
    l1.call(inbox, bootstrap_calldata(&c.members).expect("data"))
        .expect_ok();
    l1.call(inbox, bootstrap_calldata(&c.members).expect("data"))
        .expect_err("BadActivation");
    // ECDSA rollups have no committees.
    let mut r = Rollup::ecdsa(0);
    let inbox = r.inbox;
    r.l1.call(inbox, bootstrap_calldata(&c.members).expect("data"))
        .expect_err("NotCommitteeRollup");
}

#[test]
fn committee_certificates_commit() {
    // Section 2.2: 2/3 of the weight (here 6 of 8) with any participants.
    let s = DEPLOY_SLOT + 1;
    for signers in [vec![0, 1, 2, 3, 4], vec![0, 4, 1], vec![0, 1, 2, 4]] {
        let mut r = rollup();
        let c = committee0(&r);
        let a = child(&genesis(), SEQ, s);
        let blk = CommitBlock {
            certificate: c.sign_block(a.hash(), &signers),
            header: a.clone(),
        };
        r.commit(vec![blk]).expect_ok();
        assert_eq!(r.committed_head(), a.hash(), "signers {signers:?}");
    }
    // The log carries the certificate as the feed has it (section 5.2.2).
    let mut r = rollup();
    let a = child(&genesis(), SEQ, s);
    let blk = r.block(a.clone());
    let out = r.commit(vec![blk.clone()]);
    out.expect_ok();
    let log = &out.logs[0];
    match preconf_inbox::decode_log(log.topics(), &log.data.data).expect("log") {
        Some(InboxEvent::Committed { certificates, .. }) => {
            assert_eq!(certificates, vec![blk.certificate])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn committee_certificate_refusals() {
    let s = DEPLOY_SLOT + 1;
    let a = child(&genesis(), SEQ, s);
    let c = Committee::new(0, 7, &WEIGHTS);
    let cert = |signers: &[usize]| c.sign_block(a.hash(), signers);
    let edit_cert = |f: &dyn Fn(&mut CommitteeCertificate)| {
        let Certificate::Committee(mut cc) = c.sign_all(a.hash()) else {
            unreachable!()
        };
        f(&mut cc);
        Certificate::Committee(cc)
    };
    let cases: Vec<(Certificate, &str)> = vec![
        // 5 of 8 < 2/3.
        (cert(&[0, 1, 2]), "BelowThreshold"),
        (edit_cert(&|cc| cc.bitfield = vec![0]), "BelowThreshold"),
        (
            edit_cert(&|cc| cc.bitfield = vec![0x1f, 0]),
            "InvalidBitfield",
        ),
        (edit_cert(&|cc| cc.bitfield = vec![0x3f]), "InvalidBitfield"),
        (edit_cert(&|cc| cc.bitfield = Vec::new()), "InvalidBitfield"),
        // Bits claim a member that did not sign.
        (
            {
                let Certificate::Committee(mut cc) = cert(&[0, 1, 2, 4]) else {
                    unreachable!()
                };
                cc.bitfield = vec![0x1f];
                Certificate::Committee(cc)
            },
            "InvalidSignature",
        ),
        (
            c.sign_block(genesis().hash(), &[0, 1, 2, 3, 4]),
            "InvalidSignature",
        ),
        (
            Committee::new(0, 99, &WEIGHTS).sign_all(a.hash()),
            "InvalidSignature",
        ),
        (edit_cert(&|cc| cc.committee_id = 1), "WrongCommittee"),
        (
            Certificate::Ecdsa(FixedBytes([0u8; 65])),
            "WrongCertificateKind",
        ),
    ];
    for (certificate, error) in cases {
        let mut r = rollup();
        let before = snapshot(&r);
        let blk = CommitBlock {
            header: a.clone(),
            certificate: certificate.clone(),
        };
        let out = r.commit(vec![blk]);
        assert_eq!(out.error(), error, "{certificate:?}");
        assert_eq!(snapshot(&r), before);
    }
}

#[test]
fn signature_and_key_encodings_must_agree() {
    // Section 2.2: the uncompressed signature must be the compressed one's
    // point; the supplied keys must be the announced ones.
    let s = DEPLOY_SLOT + 1;
    let a = child(&genesis(), SEQ, s);
    let mut r = rollup();
    let blk = r.block(a.clone());
    let other = committee0(&r).sign_block(genesis().hash(), &[0, 1, 2, 3, 4]);
    let Certificate::Committee(oc) = other else {
        unreachable!()
    };
    let other_point = preconf_inbox::points::g2_uncompressed(&oc.signature.0).expect("point");
    let data = edited(&r, vec![blk.clone()], |call| {
        call.signatures[0] = other_point.to_vec().into()
    });
    r.call(data).expect_err("SignatureEncodingMismatch");
    let data = edited(&r, vec![blk.clone()], |call| {
        call.signatures[0] = Bytes::new()
    });
    r.call(data).expect_err("SignatureEncodingMismatch");
    // The negated point has the same x and the other sign.
    let data = edited(&r, vec![blk.clone()], |call| {
        let mut sig = call.signatures[0].to_vec();
        let p = U384::from_str_radix(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
            16,
        )
        .expect("p");
        for at in [128usize, 192] {
            let y = U384::from_be_slice(&sig[at + 16..at + 64]);
            if !y.is_zero() {
                sig[at + 16..at + 64].copy_from_slice(&(p - y).to_be_bytes::<48>());
            }
        }
        call.signatures[0] = sig.into();
    });
    r.call(data).expect_err("SignatureEncodingMismatch");
    let data = edited(&r, vec![blk.clone()], |call| call.committees.clear());
    r.call(data).expect_err("MissingCommitteeKeys");
    let data = edited(&r, vec![blk.clone()], |call| {
        let mut keys = call.committees[0].keys.to_vec();
        keys.swap(16, 144);
        call.committees[0].keys = keys.into();
    });
    r.call(data).expect_err("CommitteeKeysMismatch");
    let data = edited(&r, vec![blk.clone()], |call| call.committees[0].id = 5);
    r.call(data).expect_err("CommitteeKeysMismatch");
    r.call(edited(&r, vec![blk], |_| {})).expect_ok();
}

/// Announces committee 1 (authorized by committee 0) from `activation` on.
fn announce(r: &mut Rollup, next: &Committee, activation: u64, signers: &[usize]) -> Outcome {
    let c0 = committee0(r);
    let msg = rotation_message(CHAIN_ID, next.id, activation, next.hash());
    let auth = c0.sign_message(msg, signers);
    let inbox = r.inbox;
    r.l1.call(
        inbox,
        announce_calldata(activation, &next.members, &c0.input(), &auth).expect("data"),
    )
}

#[test]
fn rotation_is_authorized_by_the_previous_committee() {
    // Section 2.2: committee 1 announced by committee 0, two epochs ahead.
    let now = DEPLOY_SLOT + 1;
    let activation = now + 2 * SPE;
    let next = Committee::new(1, 11, &[1, 1, 1, 1]);
    let mut r = rollup();
    let out = announce(&mut r, &next, activation, &[0, 1, 2, 3, 4]);
    out.expect_ok();
    let (hash_key, act_key) = CommitteeAnnouncement::storage_keys(1);
    assert_eq!(B256::from(r.sload(hash_key)), next.hash());
    assert_eq!(r.sload(act_key), U256::from(activation));
    let log = &out.logs[0];
    assert_eq!(
        preconf_inbox::decode_log(log.topics(), &log.data.data).expect("log"),
        Some(InboxEvent::CommitteeAnnounced {
            committee_id: 1,
            activation_slot: activation,
            committee_hash: next.hash(),
            members: next.members.clone(),
        })
    );
    r.committees.push(next.clone());
    // Before the activation committee 0 signs; from it on committee 1. (A
    // commitment every K slots keeps based mode away.)
    let c0 = committee0(&r);
    let g = genesis();
    let x1 = child(&g, SEQ, activation - 5);
    r.l1.enter_slot(activation - 5);
    r.commit(vec![CommitBlock {
        certificate: c0.sign_all(x1.hash()),
        header: x1.clone(),
    }])
    .expect_ok();
    let a = child(&x1, SEQ, activation - 1);
    let b = child(&a, SEQ, activation);
    r.l1.enter_slot(activation - 1);
    let wrong_a = CommitBlock {
        certificate: next.sign_all(a.hash()),
        header: a.clone(),
    };
    r.commit(vec![wrong_a]).expect_err("WrongCommittee");
    let good_a = CommitBlock {
        certificate: c0.sign_all(a.hash()),
        header: a.clone(),
    };
    r.commit(vec![good_a]).expect_ok();
    r.l1.enter_slot(activation);
    let wrong_b = CommitBlock {
        certificate: c0.sign_all(b.hash()),
        header: b.clone(),
    };
    r.commit(vec![wrong_b]).expect_err("WrongCommittee");
    let good_b = CommitBlock {
        certificate: next.sign_all(b.hash()),
        header: b.clone(),
    };
    r.commit(vec![good_b]).expect_ok();
}

#[test]
fn rotation_refusals() {
    let now = DEPLOY_SLOT + 1;
    let next = Committee::new(1, 11, &[1, 1, 1, 1]);
    let all = [0, 1, 2, 3, 4];
    let mut r = rollup();
    announce(&mut r, &next, now + 2 * SPE - 1, &all).expect_err("BadActivation");
    announce(&mut r, &next, now + 2 * SPE, &[0, 1, 2]).expect_err("BelowThreshold");
    // Signed by committee 0 over another activation.
    let c0 = committee0(&r);
    let auth = c0.sign_message(rotation_message(CHAIN_ID, 1, now + 100, next.hash()), &all);
    let inbox = r.inbox;
    r.l1.call(
        inbox,
        announce_calldata(now + 2 * SPE, &next.members, &c0.input(), &auth).expect("data"),
    )
    .expect_err("InvalidSignature");
    // Authorized by a committee that is not the last announced one.
    let stranger = Committee::new(1, 12, &[1, 1]);
    let auth = stranger.sign_message(rotation_message(CHAIN_ID, 1, now + 8, next.hash()), &[0, 1]);
    r.l1.call(
        inbox,
        announce_calldata(now + 8, &next.members, &stranger.input(), &auth).expect("data"),
    )
    .expect_err("WrongAuthorizer");
    let mut named_other =
        c0.sign_message(rotation_message(CHAIN_ID, 1, now + 8, next.hash()), &all);
    named_other.committee_id = 3;
    r.l1.call(
        inbox,
        announce_calldata(now + 8, &next.members, &c0.input(), &named_other).expect("data"),
    )
    .expect_err("WrongCommittee");
    // Committee 2 must activate after committee 1.
    announce(&mut r, &next, now + 20, &all).expect_ok();
    let third = Committee::new(2, 13, &[1]);
    let auth = next.sign_message(
        rotation_message(CHAIN_ID, 2, now + 20, third.hash()),
        &[0, 1, 2, 3],
    );
    r.l1.call(
        inbox,
        announce_calldata(now + 20, &third.members, &next.input(), &auth).expect("data"),
    )
    .expect_err("BadActivation");
    let auth = next.sign_message(
        rotation_message(CHAIN_ID, 2, now + 21, third.hash()),
        &[0, 1, 2, 3],
    );
    r.l1.call(
        inbox,
        announce_calldata(now + 21, &third.members, &next.input(), &auth).expect("data"),
    )
    .expect_ok();
    let _ = CommitteeInput {
        id: 0,
        members: Vec::<CommitteeMember>::new(),
    };
}
