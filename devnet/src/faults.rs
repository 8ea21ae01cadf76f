//! Fault injection: one JSON vocabulary for the admin endpoint
//! (`POST /devnet/admin/fault`), the `--fault JSON` flag (applied at start)
//! and `--fault-every N=JSON` (applied before every N-th slot).
//!
//! ```text
//!  {"kind": K, ...} ──► apply(chain, body) ──► Faults / L2Faults / immediate action
//!      L1: missed_slot{count}, reorg{depth}, withhold_updates{on}, stall_finality{on},
//!          forge{endpoint, forgery, on}
//!      L2: sequencer_stall{slots}, equivocate, skip_slot_ending, late_slot_ending,
//!          no_builder{on}, force_tx
//!      clear
//! ```

use serde_json::{Value, json};

use crate::chain::{Chain, Forgery};

/// Every fault kind the devnet understands.
pub const KINDS: [&str; 13] = [
    "missed_slot",
    "reorg",
    "withhold_updates",
    "stall_finality",
    "forge",
    "force_tx",
    "sequencer_stall",
    "skip_slot_ending",
    "late_slot_ending",
    "equivocate",
    "no_builder",
    "clear",
    "list",
];

/// Applies one fault request to the chain; answers the JSON to return.
///
/// # Errors
/// A message for an unknown kind or a missing/invalid field.
pub fn apply(chain: &mut Chain, body: &Value) -> Result<Value, String> {
    let on = body.get("on").and_then(Value::as_bool).unwrap_or(true);
    let n = |field: &str| body.get(field).and_then(Value::as_u64).unwrap_or(1);
    match body.get("kind").and_then(Value::as_str).unwrap_or("") {
        "missed_slot" => chain.faults.miss_slots += n("count"),
        "reorg" => {
            let depth = usize::try_from(n("depth")).unwrap_or(usize::MAX);
            let dropped = chain.reorg(depth);
            return Ok(json!({
                "ok": true, "dropped": dropped, "head": format!("{:#x}", chain.head().root)
            }));
        }
        "withhold_updates" => chain.faults.withhold_updates = on,
        "stall_finality" => chain.faults.stall_finality = on,
        "forge" => {
            let ep = body
                .get("endpoint")
                .and_then(Value::as_str)
                .ok_or("forge needs `endpoint`")?;
            if on {
                let kind = body
                    .get("forgery")
                    .and_then(Value::as_str)
                    .and_then(Forgery::parse)
                    .ok_or("forgery: bad_signature, bad_branch or wrong_receipt")?;
                chain.faults.forge.insert(ep.to_string(), kind);
            } else {
                chain.faults.forge.remove(ep);
            }
        }
        "force_tx" => {
            let tx = chain.l2.new_forced_tx();
            let hash = tx.tx.hash;
            chain.forced_queue.push(tx);
            return Ok(json!({"ok": true, "txHash": format!("{hash:#x}")}));
        }
        "sequencer_stall" => chain.l2.faults.stall_slots += n("slots"),
        "skip_slot_ending" => chain.l2.faults.skip_slot_ending = on,
        "late_slot_ending" => chain.l2.faults.late_slot_ending = on,
        "equivocate" => chain.l2.faults.equivocate = on,
        "no_builder" => chain.l2.faults.no_builder = on,
        "clear" => {
            chain.faults = Default::default();
            chain.l2.faults = Default::default();
        }
        "list" => return Ok(active(chain)),
        other => {
            return Err(format!(
                "unknown fault kind {other:?}; kinds: {}",
                KINDS.join(", ")
            ));
        }
    }
    Ok(json!({"ok": true}))
}

/// The active faults, as JSON.
pub fn active(chain: &Chain) -> Value {
    json!({
        "missSlots": chain.faults.miss_slots,
        "missEvery": chain.faults.miss_every,
        "withholdUpdates": chain.faults.withhold_updates,
        "stallFinality": chain.faults.stall_finality,
        "forge": chain.faults.forge.iter()
            .map(|(k, v)| json!({"endpoint": k, "forgery": v.name()}))
            .collect::<Vec<_>>(),
        "sequencerStallSlots": chain.l2.faults.stall_slots,
        "skipSlotEnding": chain.l2.faults.skip_slot_ending,
        "lateSlotEnding": chain.l2.faults.late_slot_ending,
        "equivocate": chain.l2.faults.equivocate,
        "noBuilder": chain.l2.faults.no_builder,
    })
}

/// Parses `N=JSON` (the `--fault-every` flag).
///
/// # Errors
/// A message for a malformed value.
pub fn parse_every(v: &str) -> Result<(u64, Value), String> {
    let (n, body) = v
        .split_once('=')
        .ok_or_else(|| format!("--fault-every: expected N=JSON, got {v}"))?;
    let n: u64 = n.parse().map_err(|e| format!("--fault-every: N: {e}"))?;
    if n == 0 {
        return Err("--fault-every: N must be positive".into());
    }
    Ok((n, parse_body(body)?))
}

/// Parses a fault body and checks its kind.
///
/// # Errors
/// A message for invalid JSON or an unknown kind.
pub fn parse_body(body: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("fault JSON: {e}"))?;
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    if !KINDS.contains(&kind) {
        return Err(format!(
            "unknown fault kind {kind:?}; kinds: {}",
            KINDS.join(", ")
        ));
    }
    Ok(v)
}
