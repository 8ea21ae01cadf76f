//! What a late or lied-to client may fetch: blocks behind the anchor are
//! refused without a fetch (`BEHIND_ANCHOR`), an uncertified block is refused
//! before its parent is asked for, and the missing heights of an orphan are
//! those above the highest held one (`ChainView::missing_below`).

use super::testkit::*;
use super::*;
use crate::{ErrorCode, Verified};

/// A view anchored at height 10 (the anchor block of `anchor()` renumbered).
fn view_at_10() -> (k256::ecdsa::SigningKey, ChainView, L2Header) {
    let key = signing_key(1);
    let mut header = anchor_header();
    header.number = 10;
    let anchor = Verified::new_unchecked(RollupAnchor {
        l1_block: l1_genesis(),
        l2_header: header.clone(),
        last_commit_slot: 0,
    });
    (
        key.clone(),
        ChainView::new(config(&key), anchor).unwrap(),
        header,
    )
}

#[test]
fn a_block_at_or_below_the_anchor_is_behind_it_not_an_orphan() {
    let (key, v, a) = view_at_10();
    let g = l1_genesis();
    // A genuine-looking certified block at the anchor's height and one below it.
    for number in [10, 3] {
        let mut parent = a.clone();
        parent.number = number - 1;
        parent.parent_hash = alloy_primitives::keccak256(number.to_be_bytes());
        let b = l2_child(&parent, SEQUENCED, 1, &g, vec![], 0);
        assert_eq!(
            v.verify_block(certified(&key, b.clone())).err(),
            Some(RollupError::BehindAnchor { number, anchor: 10 })
        );
        // Another key's certificate is a lie at any height.
        assert_eq!(
            v.verify_block(certified(&signing_key(9), b)).err(),
            Some(RollupError::InvalidSignature)
        );
    }
    assert_eq!(
        RollupError::BehindAnchor {
            number: 3,
            anchor: 10
        }
        .code(),
        "BEHIND_ANCHOR"
    );
    // Nothing to fetch for them.
    assert_eq!(v.missing_below(10), None);
    assert_eq!(v.missing_below(3), None);
    assert_eq!(v.missing_below(0), None);
}

#[test]
fn an_uncertified_orphan_is_refused_before_its_parent_is_needed() {
    let (key, v, a) = view_at_10();
    let g = l1_genesis();
    let parent = l2_child(&a, SEQUENCED, 1, &g, vec![], 0);
    let orphan = l2_child(&parent.header, SEQUENCED, 1, &g, vec![], 0);
    // Another key's certificate, or none: refused as such, never UNKNOWN_PARENT.
    assert_eq!(
        v.verify_block(certified(&signing_key(9), orphan.clone()))
            .err(),
        Some(RollupError::InvalidSignature)
    );
    assert_eq!(
        v.verify_block(based(orphan.clone())).err(),
        Some(RollupError::MissingCertificate)
    );
    // A based block has no certificate: only its parent can judge it.
    let based_orphan = l2_child(&parent.header, BASED, 1, &g, vec![], 0);
    assert_eq!(
        v.verify_block(based(based_orphan)).err(),
        Some(RollupError::UnknownParent(parent.header.hash()))
    );
    let mut marker = orphan.clone();
    marker.header.kind = SLOT_ENDING;
    let mut nth = config(&key);
    nth.slot_ending = config::SlotEndingRule::NthBlock(2);
    let nth_view = ChainView::new(
        nth,
        Verified::new_unchecked(RollupAnchor {
            l1_block: l1_genesis(),
            l2_header: a.clone(),
            last_commit_slot: 0,
        }),
    )
    .unwrap();
    assert_eq!(
        nth_view.verify_block(certified(&key, marker)).err(),
        Some(RollupError::MarkerNotAllowed)
    );
    // Genuinely certified: now the parent is what is missing.
    assert_eq!(
        v.verify_block(certified(&key, orphan)).err(),
        Some(RollupError::UnknownParent(parent.header.hash()))
    );
}

#[test]
fn missing_heights_are_those_above_the_highest_held() {
    let (key, mut v, a) = view_at_10();
    let g = l1_genesis();
    // Only the anchor held: a block at 15 waits for 11..=14.
    assert_eq!(v.missing_below(15), Some((11, 14)));
    assert_eq!(v.missing_below(12), Some((11, 11)));
    // Its child needs nothing by height.
    assert_eq!(v.missing_below(11), None);
    let b11 = l2_child(&a, SEQUENCED, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, b11.clone())).unwrap());
    let b12 = l2_child(&b11.header, SEQUENCED, 1, &g, vec![], 0);
    v.insert_block(v.verify_block(certified(&key, b12)).unwrap());
    assert_eq!(v.missing_below(15), Some((13, 14)));
    // A block at 13 whose parent is another block at 12 (held height): by hash.
    assert_eq!(v.missing_below(13), None);
    // A lying height far ahead is one range; the caller fetches it page by page.
    assert_eq!(v.missing_below(u64::MAX), Some((13, u64::MAX - 1)));
}
