// Generated from the Rust core by `cargo test --lib output_format` (src/confidence/output_format_tests.rs);
// PRECONF_REGEN_FORMAT=1 rewrites it. Do not edit.

/** Confidence levels, lowest first (the core's `Level::rank`); `reverted` is terminal. */
export const LEVEL_ORDER = ["reverted", "pending", "sequenced", "slot-ending", "included", "finalized"] as const;

/** Why a level went down (`Reason`). */
export const DOWNGRADE_REASONS = ["l1Reorg", "missedSlot", "l1ParentMismatch", "basedModeSwitch", "equivocation", "superseded", "l1LegFailed"] as const;

/** What could still revert an item at its level (`RevertRisk`). */
export const REVERT_RISKS = ["equivocation", "l1Reorg", "basedModeSwitch", "missedSlot", "l1ParentMismatch", "l1FinalityFailure"] as const;

/** Why a commitment log was rejected (`RejectReason`). */
export const REJECT_REASONS = ["PrevMismatch", "NotDescendant", "BasedRule", "BasedMode", "FutureSlot", "ForcedInclusionSkipped"] as const;

/** The inbox's storage slot of `committedHead` (PROTOCOL.md section 5). */
export const COMMITTED_HEAD_SLOT = '0x0000000000000000000000000000000000000000000000000000000000000000';

/** Client reason codes of the downgrade reasons and revert risks. */
export const REASON_CODES = {
  "basedModeSwitch": 'BASED_MODE_SWITCH',
  "equivocation": 'EQUIVOCATION',
  "l1FinalityFailure": 'L1_FINALITY_FAILURE',
  "l1LegFailed": 'L1_LEG_FAILED',
  "l1ParentMismatch": 'L1_PARENT_MISMATCH',
  "l1Reorg": 'L1_REORG',
  "missedSlot": 'MISSED_SLOT',
  "superseded": 'SUPERSEDED',
} as const;

/** Reason code and text of a status that never went down, by level. */
export const LEVEL_CODES = {
  "reverted": ['REVERTED', 'reverted'],
  "pending": ['NOT_CERTIFIED', 'known but not certified into the preferred chain (yet)'],
  "sequenced": ['SEQUENCER_CERTIFIED', 'certified by the sequencer, on the preferred chain'],
  "slot-ending": ['SLOT_ENDING', 'ancestor-or-self of a slot-ending block that matches L1'],
  "included": ['COMMITTED_ON_L1', 'on the committed chain of the verified L1 chain'],
  "finalized": ['L1_FINALIZED', 'committed at or before the verified L1 finalized checkpoint'],
} as const;
