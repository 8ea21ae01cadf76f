//! Deployment (docs/PROTOCOL.md section 5.2), the L1 facts the inbox relies
//! on, and raw header bytes compared with the Rust core's decoder (section 1).

mod common;

use alloy_primitives::{Address, B256, Bytes, keccak256};
use alloy_sol_types::SolCall;
use common::*;
use preconf_inbox::abi::PreconfInbox;
use preconf_inbox::{InboxConfig, deploy_code};
use preconf_light::rollup::L2Header;
use revm::primitives::hardfork::SpecId;

fn deploy(config: &InboxConfig, genesis_hash: B256, committee: B256) -> Outcome {
    let mut l1 = L1::new(SpecId::PRAGUE);
    l1.enter_slot(DEPLOY_SLOT);
    l1.deploy(deploy_code(config, genesis_hash, committee))
}

#[test]
fn constructor_refusals() {
    let key = address_of(&ecdsa_key(1));
    let g = genesis().hash();
    let ok = config(key, 0);
    deploy(&ok, g, B256::ZERO).expect_ok();
    for bad in [
        InboxConfig {
            seconds_per_slot: 0,
            ..ok
        },
        InboxConfig {
            slots_per_epoch: 0,
            ..ok
        },
        InboxConfig {
            stall_limit_slots: 0,
            ..ok
        },
        InboxConfig {
            forced_inclusion_window_slots: 1 << 33,
            ..ok
        },
    ] {
        deploy(&bad, g, B256::ZERO).expect_err("InvalidConfig");
    }
    // Exactly one of a sequencer key and an initial committee.
    deploy(&ok, g, B256::repeat_byte(1)).expect_err("InvalidConfig");
    deploy(&config(Address::ZERO, 0), g, B256::ZERO).expect_err("InvalidConfig");
    deploy(&ok, B256::ZERO, B256::ZERO).expect_err("InvalidConfig");
    // An L1 block before the configured genesis time.
    let early = InboxConfig {
        genesis_time: GENESIS_TIME + (DEPLOY_SLOT + 1) * SPS,
        ..ok
    };
    deploy(&early, g, B256::ZERO).expect_err("BeforeGenesis");
}

#[test]
fn the_head_header_must_carry_the_stored_number() {
    // Section 5.2: the genesis hash must be that of block 0; a deployment
    // with another block's hash is refused at the first commitment.
    let mut not_genesis = genesis();
    not_genesis.number = 5;
    let key = ecdsa_key(1);
    let mut l1 = L1::new(SpecId::PRAGUE);
    l1.enter_slot(DEPLOY_SLOT);
    let out = l1.deploy(deploy_code(
        &config(address_of(&key), 0),
        not_genesis.hash(),
        B256::ZERO,
    ));
    let inbox = out.created.expect("created");
    l1.enter_slot(DEPLOY_SLOT + 1);
    let a = child(&not_genesis, SEQ, DEPLOY_SLOT + 1);
    let data = raw_commit(
        not_genesis.hash(),
        &not_genesis.rlp_bytes(),
        vec![a.rlp_bytes()],
        vec![ecdsa_cert(&key, a.hash()).encode().expect("cert")],
    );
    l1.call(inbox, data).expect_err("HeadHeaderMismatch");
}

#[test]
fn without_eip_2537_committee_certificates_are_refused() {
    // Section 2.2: on a chain without the BLS precompiles their addresses
    // answer every call with success and no output; that must never read as
    // a valid signature (nor a valid key).
    let mut r = Rollup::committee(&[1, 1, 1], 0);
    r.l1.spec = SpecId::CANCUN;
    r.l1.enter_slot(DEPLOY_SLOT + 1);
    let a = child(&genesis(), SEQ, DEPLOY_SLOT + 1);
    let blk = r.block(a);
    r.commit(vec![blk]).expect_err("InvalidSignature");
    let c = Committee::new(0, 7, &[1, 1, 1]);
    let mut l1 = L1::new(SpecId::CANCUN);
    l1.enter_slot(DEPLOY_SLOT);
    let out = l1.deploy(deploy_code(
        &config(Address::ZERO, 0),
        genesis().hash(),
        c.hash(),
    ));
    let inbox = out.created.expect("created");
    l1.call(
        inbox,
        preconf_inbox::bootstrap_calldata(&c.members).expect("data"),
    )
    .expect_err("InvalidMemberKey");
}

#[test]
fn current_slot_is_read_from_the_block_timestamp() {
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(DEPLOY_SLOT + 7);
    let inbox = r.inbox;
    let out =
        r.l1.call(inbox, PreconfInbox::currentSlotCall {}.abi_encode().into());
    let slot = PreconfInbox::currentSlotCall::abi_decode_returns(&out.output).expect("decode");
    assert_eq!(slot, DEPLOY_SLOT + 7);
}

/// A small deterministic generator (xorshift64*).
fn next(x: &mut u64) -> u64 {
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    x.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn header_bytes_are_refused_exactly_when_the_core_refuses_them() {
    // Section 1: the contract's RLP decoder against L2Header::decode_rlp on
    // random edits of a valid header's bytes (a byte changed, inserted or
    // removed, a length prefix changed). Each edited header is committed with
    // a valid certificate of its own hash, so only the encoding decides.
    let key = ecdsa_key(1);
    let g = genesis();
    let s = DEPLOY_SLOT + 1;
    let base = child(&g, SEQ, s);
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(s);
    let mut seed = 0xdec0_de01u64;
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..600 {
        let mut bytes = base.rlp_bytes();
        let edits = 1 + next(&mut seed) % 2;
        for _ in 0..edits {
            let len = bytes.len() as u64;
            let at = (next(&mut seed) % len) as usize;
            match next(&mut seed) % 6 {
                0 => bytes[at] = next(&mut seed) as u8,
                1 => bytes[at] ^= 1 << (next(&mut seed) % 8),
                2 => bytes.insert(at, next(&mut seed) as u8),
                3 => {
                    bytes.remove(at);
                }
                // Integers: a minimal byte written as a one-byte string, or 0 as 0x00.
                4 => bytes[at] = if bytes[at] < 0x80 { 0x81 } else { 0x00 },
                _ => bytes.push(next(&mut seed) as u8),
            }
        }
        let core = L2Header::decode_rlp(&bytes).ok();
        // Keep the structural rules out of the comparison: a decodable header
        // whose other fields changed is refused for those (checked elsewhere).
        let comparable = core.as_ref().is_none_or(|h| {
            h.chain_id == base.chain_id
                && h.number == base.number
                && h.parent_hash == base.parent_hash
                && h.l1_slot == base.l1_slot
                && h.timestamp == base.timestamp
                && h.gas_used <= h.gas_limit
                && h.kind <= 1
        });
        if !comparable {
            continue;
        }
        let hash = keccak256(&bytes);
        let cert = ecdsa_cert(&key, hash).encode().expect("cert");
        let out = r.call(raw_commit(
            g.hash(),
            &g.rlp_bytes(),
            vec![bytes.clone()],
            vec![cert],
        ));
        assert_eq!(
            out.success,
            core.is_some(),
            "case {case}: core {:?}, contract {} for 0x{}",
            core.is_some(),
            out.error(),
            hex::encode(&bytes)
        );
        if out.success {
            accepted += 1;
            // Re-deploy to commit the next case on the genesis head again.
            r = Rollup::ecdsa(0);
            r.l1.enter_slot(s);
        } else {
            assert!(
                matches!(out.error(), "MalformedHeader" | "UnknownKind"),
                "case {case}: {}",
                out.error()
            );
            refused += 1;
        }
    }
    assert!(
        accepted >= 20 && refused >= 300,
        "accepted {accepted}, refused {refused}"
    );
    let _ = Bytes::new();
}
