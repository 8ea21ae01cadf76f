//! The engine's JSON output format, written out for TypeScript so the two
//! cannot drift:
//!
//! - `pkg/src/core-format.ts`: the level order, the reason and risk names
//!   and their client codes, generated from the Rust enums;
//! - `pkg/test/format-check.ts`: one sample of every output type with every
//!   field set, each `satisfies` its TypeScript type. `make pkg-build`
//!   compiles it (`tsc -p pkg/test`), so a field added in Rust (a new key in
//!   a sample) or a required field added in TypeScript (a key the sample
//!   lacks) fails the build.
//!
//! Both files must be what this code writes; `PRECONF_REGEN_FORMAT=1`
//! rewrites them.

use alloy_primitives::B256;
use serde::Serialize;

use super::engine::{Added, Needs, Step};
use super::l1_blocks::{L1Answer, L1BlockStatus, L1Eta, L1Level, L1Ref};
use super::level::{Level, Reason, RevertRisk};
use super::query::Answer;
use super::status::{ConfidenceStatus, Event, L1Inclusion, Liveness, Subject};
use crate::rollup::{ForcedRequest, RejectReason, RejectedCommitment, testkit};

const FORMAT_TS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg/src/core-format.ts");
const CHECK_TS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg/test/format-check.ts");
const HEADER: &str = "// Generated from the Rust core by `cargo test --lib output_format` \
(src/confidence/output_format_tests.rs);\n// PRECONF_REGEN_FORMAT=1 rewrites it. Do not edit.\n";

fn name<T: Serialize>(v: T) -> String {
    serde_json::to_string(&v).unwrap_or_default()
}

fn list<T: Serialize + Copy>(all: &[T]) -> String {
    all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
}

fn pretty<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn core_format() -> String {
    let mut out = String::from(HEADER);
    out.push_str(&format!(
        "\n/** Confidence levels, lowest first (the core's `Level::rank`); `reverted` is terminal. */\n\
         export const LEVEL_ORDER = [{}] as const;\n",
        list(&Level::ALL)
    ));
    out.push_str(&format!(
        "\n/** Why a level went down (`Reason`). */\nexport const DOWNGRADE_REASONS = [{}] as const;\n",
        list(&Reason::ALL)
    ));
    out.push_str(&format!(
        "\n/** What could still revert an item at its level (`RevertRisk`). */\nexport const REVERT_RISKS = [{}] as const;\n",
        list(&RevertRisk::ALL)
    ));
    out.push_str(&format!(
        "\n/** Why a commitment log was rejected (`RejectReason`). */\nexport const REJECT_REASONS = [{}] as const;\n",
        list(&RejectReason::ALL)
    ));
    out.push_str(&format!(
        "\n/** The inbox's storage slot of `committedHead` (PROTOCOL.md section 5). */\n\
         export const COMMITTED_HEAD_SLOT = '{:#x}';\n",
        super::l1_adapter::COMMITTED_HEAD_SLOT
    ));
    out.push_str("\n/** Client reason codes of the downgrade reasons and revert risks. */\nexport const REASON_CODES = {\n");
    let mut codes: Vec<(String, &str)> = Reason::ALL
        .iter()
        .map(|r| (name(r), r.code()))
        .chain(RevertRisk::ALL.iter().map(|r| (name(r), r.code())))
        .collect();
    codes.sort();
    codes.dedup();
    for (k, code) in codes {
        out.push_str(&format!("  {k}: '{code}',\n"));
    }
    out.push_str("} as const;\n");
    out.push_str("\n/** Reason code and text of a status that never went down, by level. */\nexport const LEVEL_CODES = {\n");
    for l in Level::ALL {
        out.push_str(&format!(
            "  {}: ['{}', '{}'],\n",
            name(l),
            l.code(),
            l.description()
        ));
    }
    out.push_str("} as const;\n");
    out
}

fn sample_status() -> ConfidenceStatus {
    let h = |b: u8| B256::repeat_byte(b);
    let level = Level::Included;
    ConfidenceStatus {
        level,
        block_hash: Some(h(1)),
        block_number: Some(7),
        revert_risks: vec![RevertRisk::L1Reorg],
        reason: Some(Reason::L1Reorg),
        last_downgrade: Some(Reason::L1Reorg),
        next_level: Some(Level::Finalized),
        next_level_eta: Some(testkit::GENESIS + 96),
        l1_inclusion: Some(L1Inclusion {
            beacon_root: h(2),
            slot: 5,
        }),
        execution_checked: true,
        proven: true,
        liveness: sample_liveness(),
        block_tag: level.block_tag(),
        eip5792_status: level.eip5792_status(),
        oasis_status: level.oasis_status(),
    }
}

fn sample_liveness() -> Liveness {
    Liveness {
        current_slot: 9,
        slots_since_last_commitment: 4,
        slots_until_based_mode: 7,
        based_mode: false,
        forced_due: vec![ForcedRequest {
            tx_hash: B256::repeat_byte(3),
            deadline_slot: 12,
            requested_slot: 8,
        }],
        awaiting_header: Some(B256::repeat_byte(4)),
    }
}

fn sample_events() -> Vec<Event> {
    let key = testkit::signing_key(1);
    let a = testkit::anchor_header();
    let b = testkit::l2_child(&a, testkit::SEQUENCED, 1, &testkit::l1_genesis(), vec![], 0);
    let c = testkit::l2_child(&a, testkit::SEQUENCED, 1, &testkit::l1_genesis(), vec![], 1);
    let evidence = crate::rollup::EquivocationEvidence {
        kind: crate::rollup::EquivocationKind::SameHeight,
        header_a: b.header.clone(),
        certificate_a: testkit::sign_block(&key, testkit::CHAIN_ID, b.header.hash()),
        header_b: c.header.clone(),
        certificate_b: testkit::sign_block(&key, testkit::CHAIN_ID, c.header.hash()),
    };
    vec![
        Event::level_changed(
            Subject::Block {
                hash: b.header.hash(),
            },
            Level::Sequenced,
            Level::Pending,
            Some(Reason::Equivocation),
        ),
        Event::level_changed(
            Subject::Action { id: 0 },
            Level::Pending,
            Level::Included,
            None,
        ),
        Event::Equivocation {
            blocks: [b.header.hash(), c.header.hash()],
            evidence: Box::new(evidence),
        },
        Event::CommitmentRejected(RejectedCommitment {
            l1_beacon_root: B256::repeat_byte(5),
            l2_hash: B256::repeat_byte(6),
            reason: RejectReason::PrevMismatch,
        }),
        Event::BasedMode { active: true },
    ]
}

fn sample_step() -> Step {
    Step {
        added: Some(Added::L2Block {
            hash: testkit::anchor_header().hash(),
            header: Box::new(testkit::anchor_header()),
        }),
        events: sample_events(),
        needs: Needs {
            l1_block: Some(B256::repeat_byte(7)),
            l1_receipts: vec![B256::repeat_byte(8)],
            l2_block: Some(B256::repeat_byte(9)),
        },
    }
}

fn sample_l1_status() -> L1Answer {
    L1Answer::Status(L1BlockStatus {
        level: L1Level::Included,
        may_revert_if: vec!["L1_REORG"],
        eta: Some(L1Eta {
            level: L1Level::Finalized,
            at: testkit::GENESIS,
        }),
        reason_code: "ON_VERIFIED_CHAIN",
        reason: "block 7 is on the verified L1 chain".into(),
        l1: Some(L1Ref {
            number: 7,
            hash: B256::repeat_byte(11),
            timestamp: Some(testkit::GENESIS),
        }),
    })
}

fn format_check() -> String {
    let mut out = String::from(HEADER);
    out.push_str(
        "// Compiled by `tsc -p pkg/test` (make pkg-build): every sample must satisfy its\n\
         // TypeScript type exactly (no missing required field, no unknown one).\n\
         import type { Added, ConfidenceStatus, EngineEvent, L1Answer, L1BlockStatus, Liveness, Step } from '../src/engine.js';\n",
    );
    let status = sample_status();
    out.push_str(&format!(
        "\nexport const status = {} satisfies ConfidenceStatus;\n",
        pretty(&Answer::Status(Some(Box::new(status))))
    ));
    out.push_str(&format!(
        "\nexport const liveness = {} satisfies Liveness;\n",
        pretty(&Answer::Liveness(sample_liveness()))
    ));
    for (i, e) in sample_events().iter().enumerate() {
        out.push_str(&format!(
            "\nexport const event{i} = {} satisfies EngineEvent;\n",
            pretty(e)
        ));
    }
    out.push_str(&format!(
        "\nexport const addedAction = {} satisfies Added;\n",
        pretty(&Added::Action { id: 3 })
    ));
    out.push_str(&format!(
        "\nexport const l1Status = {} satisfies L1BlockStatus;\n",
        pretty(&sample_l1_status())
    ));
    out.push_str(&format!(
        "\nexport const l1Need = {} satisfies L1Answer;\n",
        pretty(&L1Answer::Need {
            need: B256::repeat_byte(10),
            target: true,
        })
    ));
    let mut step = sample_step();
    step.events.truncate(1);
    out.push_str(&format!(
        "\nexport const step = {} satisfies Step;\n",
        pretty(&step)
    ));
    out
}

fn check_file(path: &str, want: &str) {
    if std::env::var_os("PRECONF_REGEN_FORMAT").is_some() {
        std::fs::write(path, want).expect("write generated file");
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "{path} is not what the Rust types produce: run \
         `PRECONF_REGEN_FORMAT=1 cargo test --lib output_format`, then fix the TypeScript types"
    );
}

#[test]
fn output_format_files_are_generated_from_the_rust_types() {
    check_file(FORMAT_TS, &core_format());
    check_file(CHECK_TS, &format_check());
}

#[test]
fn level_order_is_rank_order() {
    for (i, l) in Level::ALL.iter().enumerate() {
        assert_eq!(usize::from(l.rank()), i);
    }
}

#[test]
fn every_status_field_is_set_in_the_sample() {
    // A field left `None` would let its TypeScript type go unchecked.
    assert!(!pretty(&sample_status()).contains("null"));
    assert!(!pretty(&sample_step().needs).contains("null"));
    assert!(!pretty(&sample_l1_status()).contains("null"));
}
