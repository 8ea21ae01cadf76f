//! A rollup operator's loop in miniature: a single-key sequencer certifies
//! the blocks of two L1 slots (the last of each slot-ending, marker rule),
//! a builder adds a based block, a BLS committee certifies one block, and the
//! committer encodes the inbox commitment of the slot's head.
//!
//! Run: `cargo run -p preconf-sequencer --example sequence`
//! (prints one feed message JSON per line, then the commitment calldata).

use std::io::Write;

use alloy_primitives::B256;
use preconf_light::rollup::header::transactions_root;
use preconf_light::rollup::{CommitteeMember, L2Header, SlotEndingRule};
use preconf_sequencer::{
    BasedOn, Body, Commitment, Committee, EcdsaSigner, L1Parent, LocalCommittee, MemberSigner,
    Sequencer, SequencerError, SlotContext, Tip, build_based, commit_calldata,
};

/// L2 chain id of the example rollup.
pub const CHAIN_ID: u64 = 690_420;
const GENESIS_TIME: u64 = 1_700_000_000;
const SECONDS_PER_SLOT: u64 = 12;

/// L2 block 0 of the example rollup.
pub fn genesis() -> L2Header {
    L2Header {
        chain_id: CHAIN_ID,
        number: 0,
        parent_hash: B256::ZERO,
        kind: 0,
        l1_slot: 0,
        l1_parent_beacon_root: B256::ZERO,
        l1_parent_block_hash: B256::ZERO,
        timestamp: GENESIS_TIME,
        state_root: B256::repeat_byte(1),
        transactions_root: transactions_root(&[]),
        receipts_root: B256::repeat_byte(2),
        gas_limit: 30_000_000,
        gas_used: 0,
        base_fee_per_gas: 1_000_000,
    }
}

/// What the operator's EVM would return for block `n` (no transactions here).
fn executed(n: u64) -> Body {
    Body {
        transactions: Vec::new(),
        state_root: B256::left_padding_from(&n.to_be_bytes()),
        receipts_root: B256::repeat_byte(2),
        gas_used: 0,
        gas_limit: 30_000_000,
        base_fee_per_gas: 1_000_000,
    }
}

fn slot(s: u64) -> SlotContext {
    SlotContext {
        l1_slot: s,
        // The L1 head before slot `s` (read from the operator's beacon node).
        l1_parent: L1Parent {
            beacon_root: B256::with_last_byte(s as u8),
            block_hash: B256::with_last_byte(0x80 | s as u8),
        },
        timestamp: GENESIS_TIME + s * SECONDS_PER_SLOT - 1,
    }
}

/// Builds, signs and writes the feed messages and the commitment to `out`;
/// answers the sequencer's address and the committee's hash.
///
/// # Errors
/// The SDK's refusals (none here) or I/O errors.
pub fn run(
    out: &mut impl Write,
) -> Result<(alloy_primitives::Address, B256), Box<dyn std::error::Error>> {
    let key = EcdsaSigner::from_bytes(&[0x42; 32])?;
    let address = key.address();
    writeln!(out, "# sequencer {address:#x}")?;
    let sequencer = Sequencer::new(CHAIN_ID, SlotEndingRule::Marker, key);
    let mut tip = Tip::anchor(genesis(), true);
    let mut n = 0;
    for s in [1, 2] {
        for i in 0..3 {
            n += 1;
            let sealed = sequencer.certify_next(&tip, slot(s), i == 2, executed(n))?;
            writeln!(out, "{}", sealed.message.to_json()?)?;
            tip = sealed.tip;
        }
    }
    // Anyone may build on the slot-ending block of slot 2 during slot 2.
    n += 1;
    let based = build_based(&tip, BasedOn::SlotEnd, slot(2), executed(n))?;
    writeln!(out, "{}", based.message.to_json()?)?;
    // The L1 block of slot 2 commits the based block (and so its ancestors).
    let commitment = Commitment {
        block_hash: based.hash,
        number: based.message.block.header.number,
        prev_committed: genesis().hash(),
    };
    writeln!(
        out,
        "# commit calldata 0x{}",
        hex(&commit_calldata(&commitment))
    )?;

    // A committee rollup: members 1-3 of four (weights 1, 2, 3, 4) sign.
    let signers: Vec<MemberSigner> = (1u8..=4)
        .map(|i| MemberSigner::from_ikm(&[i; 32]))
        .collect::<Result<_, SequencerError>>()?;
    let members = signers
        .iter()
        .zip([1, 2, 3, 4])
        .map(|(s, weight)| CommitteeMember {
            pubkey: s.pubkey(),
            weight,
        })
        .collect();
    let committee = Committee::new(0, members)?;
    let committee_hash = committee.hash();
    writeln!(out, "# committee {committee_hash:#x}")?;
    let local = LocalCommittee::new(committee, signers.into_iter().enumerate().skip(1).collect())?;
    let committee_sequencer = Sequencer::new(CHAIN_ID, SlotEndingRule::Marker, local);
    let sealed = committee_sequencer.certify_next(
        &Tip::anchor(genesis(), true),
        slot(1),
        false,
        executed(1),
    )?;
    writeln!(out, "{}", sealed.message.to_json()?)?;
    Ok((address, committee_hash))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&mut std::io::stdout().lock())?;
    Ok(())
}
