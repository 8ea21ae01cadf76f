//! The inbox's commitment rules on an ECDSA rollup, each refusal by name:
//! docs/PROTOCOL.md sections 1 (header), 2.1 and 2.3 (certificates), 3
//! (slots), 5.2 (the commitment) and 5.2.4 (deployment). Every refused
//! commitment is also checked to change no storage word.

mod common;

use alloy_primitives::{B256, Bytes, FixedBytes, U256};
use common::*;
use preconf_inbox::InboxEvent;
use preconf_light::rollup::Certificate;
use preconf_light::rollup::L2Header;

/// Commits `h` (certified by the rollup's key) in the current L1 block and
/// asserts it is refused with `error` and leaves storage untouched.
#[track_caller]
fn refused(r: &mut Rollup, blocks: Vec<preconf_inbox::CommitBlock>, error: &str) {
    let before = snapshot(r);
    let out = r.commit(blocks);
    out.expect_err(error);
    assert_eq!(snapshot(r), before, "a refused commitment changed storage");
}

fn ecdsa_rollup() -> Rollup {
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(DEPLOY_SLOT + 1);
    r
}

#[test]
fn deployment_stores_the_genesis_hash_and_the_deployment_slot() {
    // Section 5.2.4 / 10(1): committedHead is the genesis hash from deployment on.
    let r = Rollup::ecdsa(0);
    assert_eq!(r.committed_head(), genesis().hash());
    let s = r.state();
    assert_eq!(s.committed_number, 0);
    assert_eq!(s.last_commit_slot, DEPLOY_SLOT);
    assert_eq!(s.head_nth, 0);
    assert_eq!(s.forced_head, 0);
}

#[test]
fn first_commitment_names_the_genesis_hash() {
    // Section 10(1): the first prevCommitted is the genesis hash, never zero.
    let mut r = ecdsa_rollup();
    let g = genesis();
    let a = child(&g, SEQ, DEPLOY_SLOT + 1);
    let zero_prev = raw_commit(
        B256::ZERO,
        &g.rlp_bytes(),
        vec![a.rlp_bytes()],
        vec![r.signer.certify(&a).encode().expect("cert")],
    );
    r.call(zero_prev).expect_err("PrevMismatch");
    let out = r.commit(vec![r.block(a.clone())]);
    out.expect_ok();
    assert_eq!(r.committed_head(), a.hash());
    let s = r.state();
    assert_eq!(s.committed_number, 1);
    assert_eq!(s.last_commit_slot, DEPLOY_SLOT + 1);
    assert_eq!(s.head_nth, 1);
    // Section 5.2.2: one log carrying the segment.
    assert_eq!(out.logs.len(), 1);
    let log = &out.logs[0];
    assert_eq!(log.address, r.inbox);
    let ev = preconf_inbox::decode_log(log.topics(), &log.data.data)
        .expect("decodes")
        .expect("an inbox event");
    let InboxEvent::Committed {
        block_hash,
        number,
        prev_committed,
        forced_head,
        headers,
        certificates,
    } = ev
    else {
        panic!("not a commitment: {ev:?}")
    };
    assert_eq!(
        (block_hash, number, prev_committed, forced_head),
        (a.hash(), 1, g.hash(), 0)
    );
    assert_eq!(headers, vec![a.clone()]);
    assert_eq!(certificates, vec![r.signer.certify(&a)]);
}

#[test]
fn a_segment_of_several_blocks_and_slots_commits() {
    // Section 5.1: the segment is checked block by block from the committed head.
    let mut r = ecdsa_rollup();
    let mut blocks = Vec::new();
    let mut tip = genesis();
    for (kind, slot) in [
        (SEQ, 8),
        (SEQ, 9),
        (END, 9),
        (SEQ, 10),
        (SEQ, 11),
        (SEQ, 11),
    ] {
        tip = child(&tip, kind, slot);
        blocks.push(r.block(tip.clone()));
    }
    r.commit(blocks).expect_ok();
    assert_eq!(r.committed_head(), tip.hash());
    assert_eq!(r.state().committed_number, 6);
    assert_eq!(r.state().head_nth, 2, "the 2nd certified block of slot 11");
}

#[test]
fn framing_refusals() {
    // Section 5.2.1: prevCommitted, the head header, an empty or ragged segment.
    let mut r = ecdsa_rollup();
    let g = genesis();
    let a = child(&g, SEQ, DEPLOY_SLOT + 1);
    let cert = r.signer.certify(&a).encode().expect("cert");
    let other = child(&g, SEQ, 3);
    r.call(raw_commit(
        other.hash(),
        &g.rlp_bytes(),
        vec![a.rlp_bytes()],
        vec![cert.clone()],
    ))
    .expect_err("PrevMismatch");
    r.call(raw_commit(
        g.hash(),
        &other.rlp_bytes(),
        vec![a.rlp_bytes()],
        vec![cert.clone()],
    ))
    .expect_err("HeadHeaderMismatch");
    r.call(raw_commit(g.hash(), &g.rlp_bytes(), vec![], vec![]))
        .expect_err("EmptySegment");
    r.call(raw_commit(
        g.hash(),
        &g.rlp_bytes(),
        vec![a.rlp_bytes()],
        vec![],
    ))
    .expect_err("SegmentLengthMismatch");
    // Calldata that is not an ABI encoding of the arguments: the decoder's empty revert.
    r.call(Bytes::from(vec![0x12, 0x34, 0x56, 0x78]))
        .expect_err("<empty>");
    let mut truncated =
        raw_commit(g.hash(), &g.rlp_bytes(), vec![a.rlp_bytes()], vec![cert]).to_vec();
    truncated.truncate(truncated.len() - 40);
    r.call(truncated.into()).expect_err("<empty>");
    assert_eq!(r.committed_head(), g.hash());
}

#[test]
fn header_rules() {
    // Section 1: chain id, number, parent hash, L1 slot, timestamp, gas.
    let g = genesis();
    let base = child(&g, SEQ, DEPLOY_SLOT + 1);
    type Mutation = Box<dyn Fn(&mut L2Header)>;
    let cases: Vec<(&str, Mutation)> = vec![
        ("WrongChainId", Box::new(|h| h.chain_id += 1)),
        (
            "NotChild",
            Box::new(|h| h.parent_hash = B256::repeat_byte(7)),
        ),
        ("BadNumber", Box::new(|h| h.number = 2)),
        ("BadNumber", Box::new(|h| h.number = 0)),
        (
            "TimestampBackwards",
            Box::new(|h| h.timestamp = GENESIS_TIME - 1),
        ),
        (
            "GasUsedAboveLimit",
            Box::new(|h| h.gas_used = h.gas_limit + 1),
        ),
    ];
    for (error, mutate) in cases {
        let mut r = ecdsa_rollup();
        let mut h = base.clone();
        mutate(&mut h);
        let b = r.block(h);
        refused(&mut r, vec![b], error);
    }
    // l1Slot below the parent's (the parent is a block of slot 9).
    let mut r = ecdsa_rollup();
    let p = child(&g, SEQ, 9);
    let c = child(&p, SEQ, 8);
    let blocks = vec![r.block(p), r.block(c)];
    refused(&mut r, blocks, "L1SlotBackwards");
    // Equal values are allowed.
    let mut r = ecdsa_rollup();
    let p = child(&g, SEQ, 9);
    let mut c = child(&p, SEQ, 9);
    c.timestamp = p.timestamp;
    c.gas_used = c.gas_limit;
    let blocks = vec![r.block(p), r.block(c)];
    r.commit(blocks).expect_ok();
}

#[test]
fn header_encoding_is_exact_canonical_rlp() {
    // Section 1: bad RLP, trailing bytes, a wrong field count or a
    // non-canonical integer make the header invalid; kind must be 0, 1 or 2.
    let g = genesis();
    let mut r = ecdsa_rollup();
    let a = child(&g, SEQ, DEPLOY_SLOT + 1);
    let good = a.rlp_bytes();
    let cert = r.signer.certify(&a).encode().expect("cert");
    let mut trailing = good.clone();
    trailing.push(0);
    // gasUsed = 21000 = 0x825208: write it with a leading zero as 0x83005208.
    let hex_good = hex::encode(&good);
    let non_canonical = hex::decode(hex_good.replacen("825208", "83005208", 1)).expect("hex");
    let mut relength = non_canonical.clone();
    relength[2] += 1; // the list length (0xf9 hi lo)
    let mut short = good.clone();
    short.pop();
    for (bytes, error) in [
        (trailing, "MalformedHeader"),
        (relength, "MalformedHeader"),
        (short, "MalformedHeader"),
        (vec![0xc0], "MalformedHeader"),
        (Vec::new(), "MalformedHeader"),
    ] {
        r.call(raw_commit(
            g.hash(),
            &g.rlp_bytes(),
            vec![bytes],
            vec![cert.clone()],
        ))
        .expect_err(error);
    }
    let mut kind3 = a.clone();
    kind3.kind = 3;
    r.call(raw_commit(
        g.hash(),
        &g.rlp_bytes(),
        vec![kind3.rlp_bytes()],
        vec![r.signer.certify(&kind3).encode().expect("cert")],
    ))
    .expect_err("UnknownKind");
    assert_eq!(r.committed_head(), g.hash());
}

#[test]
fn slot_ending_rules() {
    // Section 3: the marker is refused under the N-th rule; a certified child
    // of a slot-ending block (10(8): or of a based block) starts a later slot.
    let g = genesis();
    let mut r = Rollup::ecdsa(2);
    r.l1.enter_slot(DEPLOY_SLOT + 1);
    let marker = child(&g, END, 9);
    let b = r.block(marker);
    refused(&mut r, vec![b], "MarkerNotAllowed");

    // N = 2: the 2nd certified block of slot 9 is slot-ending.
    let a1 = child(&g, SEQ, 9);
    let a2 = child(&a1, SEQ, 9);
    let a3 = child(&a2, SEQ, 9);
    let blocks = vec![r.block(a1.clone()), r.block(a2.clone()), r.block(a3)];
    refused(&mut r, blocks, "CertifiedChildSameSlot");
    let blocks = vec![r.block(a1), r.block(a2.clone())];
    r.commit(blocks).expect_ok();
    assert_eq!(
        r.state().head_nth,
        2,
        "section 5.3: headNth of the slot-ending head"
    );
    // The stored count carries to the next commitment: a certified child of
    // the committed slot-ending head in its slot is refused.
    r.l1.enter_slot(DEPLOY_SLOT + 2);
    let same = child(&a2, SEQ, 9);
    let b = r.block(same);
    refused(&mut r, vec![b], "CertifiedChildSameSlot");
    let next = child(&a2, SEQ, 10);
    let b = r.block(next);
    r.commit(vec![b]).expect_ok();
    assert_eq!(r.state().head_nth, 1);

    // Marker rule.
    let mut r = ecdsa_rollup();
    let e = child(&g, END, 9);
    let c = child(&e, SEQ, 9);
    let blocks = vec![r.block(e.clone()), r.block(c)];
    refused(&mut r, blocks, "CertifiedChildSameSlot");
    let c = child(&e, END, 10);
    let blocks = vec![r.block(e), r.block(c)];
    r.commit(blocks).expect_ok();
}

#[test]
fn certificate_refusals() {
    // Sections 2.1 and 2.3.
    let g = genesis();
    let a = child(&g, SEQ, DEPLOY_SLOT + 1);
    let key = ecdsa_key(1);
    let digest = preconf_light::rollup::certificate::ecdsa_digest(CHAIN_ID, a.hash());
    let raw = ecdsa_raw(&key, digest);
    let with = |bytes: Vec<u8>| -> Vec<u8> { bytes };
    let mut high_s = raw;
    {
        // s' = n - s flips the parity of the recovery id.
        let n = U256::from_str_radix(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
            16,
        )
        .expect("n");
        let s = U256::from_be_slice(&raw[32..64]);
        high_s[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
        high_s[64] ^= 1;
    }
    let tagged = |sig: &[u8]| -> Vec<u8> { [&[1u8][..], sig].concat() };
    let mut v_plus_27 = raw;
    v_plus_27[64] += 27;
    let mut bad_v = raw;
    bad_v[64] = 2;
    let mut eip155_v = raw;
    eip155_v[64] += 35;
    let other = ecdsa_raw(&ecdsa_key(2), digest);
    let other_block = ecdsa_raw(
        &key,
        preconf_light::rollup::certificate::ecdsa_digest(CHAIN_ID, g.hash()),
    );
    let committee_cert = {
        let c = Committee::new(0, 1, &[1, 1, 1]);
        c.sign_all(a.hash()).encode().expect("cert")
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (tagged(&raw), "<ok>"),
        (tagged(&v_plus_27), "<ok>"),
        (with(vec![0]), "MissingCertificate"),
        (with(vec![0, 0]), "MalformedCertificate"),
        (with(vec![]), "MalformedCertificate"),
        (with(vec![3]), "MalformedCertificate"),
        (tagged(&raw[..64]), "MalformedCertificate"),
        ([tagged(&raw), vec![0]].concat(), "MalformedCertificate"),
        (tagged(&bad_v), "MalformedCertificate"),
        (tagged(&eip155_v), "MalformedCertificate"),
        (tagged(&high_s), "HighS"),
        (tagged(&other), "InvalidSignature"),
        (tagged(&other_block), "InvalidSignature"),
        (tagged(&[0u8; 65]), "InvalidSignature"),
        (committee_cert, "WrongCertificateKind"),
    ];
    for (cert, error) in cases {
        let mut r = ecdsa_rollup();
        let before = snapshot(&r);
        let out = r.call(raw_commit(
            g.hash(),
            &g.rlp_bytes(),
            vec![a.rlp_bytes()],
            vec![cert.clone()],
        ));
        assert_eq!(out.error(), error, "certificate 0x{}", hex::encode(&cert));
        if !out.success {
            assert_eq!(snapshot(&r), before);
        }
    }
    let _ = FixedBytes::<1>::ZERO;
    let _ = Certificate::None;
}

#[test]
fn certified_blocks_of_a_later_slot_are_refused() {
    // Section 5.1: no certified block of a slot after the committing L1 block's.
    let mut r = ecdsa_rollup();
    let g = genesis();
    let a = child(&g, SEQ, DEPLOY_SLOT + 2);
    let b = r.block(a);
    refused(&mut r, vec![b], "FutureSlot");
}

#[test]
fn a_commitment_racing_another_loses_cleanly() {
    // Section 5.2.1: two commitments on the same head in one L1 block; the
    // second reverts with PrevMismatch and the first stands.
    let mut r = ecdsa_rollup();
    let g = genesis();
    let a = child(&g, SEQ, DEPLOY_SLOT + 1);
    let b = child(&g, SEQ, DEPLOY_SLOT);
    let first = raw_commit(
        g.hash(),
        &g.rlp_bytes(),
        vec![a.rlp_bytes()],
        vec![r.signer.certify(&a).encode().expect("cert")],
    );
    let second = raw_commit(
        g.hash(),
        &g.rlp_bytes(),
        vec![b.rlp_bytes()],
        vec![r.signer.certify(&b).encode().expect("cert")],
    );
    r.call(first).expect_ok();
    r.call(second).expect_err("PrevMismatch");
    assert_eq!(r.committed_head(), a.hash());
}
