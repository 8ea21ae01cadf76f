//! Ground truth, for tests only (a client must never read it): the
//! canonical L1 chain, faults, and the fate of every L2 block.

use std::collections::HashMap;
use std::sync::Arc;

use alloy_primitives::B256;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::reply::{self, param_u64, params};
use super::{Shared, lock, on_chain};
use crate::chain::Chain;

/// The truth routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/devnet/truth",
            get(|State(s): State<Arc<Shared>>| on_chain(s, truth)),
        )
        .route(
            "/devnet/truth/l2",
            get(|State(s): State<Arc<Shared>>, uri: Uri| async move {
                let from = param_u64(&params(&uri), "from", 0);
                on_chain(s, move |s| l2_truth_route(s, from, None)).await
            }),
        )
        .route(
            "/devnet/truth/l2/{hash}",
            get(
                |State(s): State<Arc<Shared>>, Path(hash): Path<String>| async move {
                    on_chain(s, move |s| l2_truth_route(s, 0, Some(&hash))).await
                },
            ),
        )
}

/// `GET /devnet/truth`: the whole L1 and L2 ground truth.
fn truth(shared: &Shared) -> Response {
    let chain = lock(&shared.chain);
    let head = chain.head();
    let blocks: Vec<Value> = chain
        .blocks
        .iter()
        .map(|b| {
            json!({
                "slot": b.header.slot, "root": format!("{:#x}", b.root),
                "elNumber": b.el.header.number, "elHash": format!("{:#x}", b.el.hash),
                "stateRoot": format!("{:#x}", b.el.header.state_root),
                "receiptsRoot": format!("{:#x}", b.el.header.receipts_root),
                "committedL2Head": format!("{:#x}", b.el.state.committed_head),
                "finalizedEpoch": b.finalized.0,
            })
        })
        .collect();
    reply::json(
        200,
        &json!({
            "slot": chain.slot,
            "head": {"slot": head.header.slot, "root": format!("{:#x}", head.root)},
            "finalized": {"epoch": head.finalized.0, "root": format!("{:#x}", head.finalized.1)},
            "canonical": blocks,
        "l2": l2_truth(&chain),
            "equivocations": chain.l2.equivocations.iter()
                .map(|(a, b)| json!([format!("{a:#x}"), format!("{b:#x}")]))
                .collect::<Vec<_>>(),
            "basedModeSlots": chain.l2.based_mode_slots,
            "l2Faults": {
                "stallSlots": chain.l2.faults.stall_slots,
                "skipSlotEnding": chain.l2.faults.skip_slot_ending,
                "lateSlotEnding": chain.l2.faults.late_slot_ending,
                "equivocate": chain.l2.faults.equivocate,
                "noBuilder": chain.l2.faults.no_builder,
            },
            "orphaned": chain.orphans.iter().map(|o| json!({
                "slot": o.slot, "root": format!("{:#x}", o.root), "elHash": format!("{:#x}", o.el_hash)
            })).collect::<Vec<_>>(),
            "missedSlots": chain.missed,
            "committees": (0..=chain.network.period_at_slot(chain.slot) + 1)
                .map(|p| committee_json(&chain, p))
                .collect::<Vec<_>>(),
            "faults": {
                "missSlots": chain.faults.miss_slots, "missEvery": chain.faults.miss_every,
                "withholdUpdates": chain.faults.withhold_updates,
                "stallFinality": chain.faults.stall_finality,
                "forge": chain.faults.forge.iter().map(|(k, v)| json!({"endpoint": k, "kind": v.name()})).collect::<Vec<_>>(),
            },
        }),
    )
}

fn committee_json(chain: &Chain, period: u64) -> Value {
    json!({ "period": period, "root": chain.committee_root(period).map(|r| format!("{r:#x}")) })
}

/// Ground truth of every L2 block, in production order: `committed` (with
/// the committing canonical L1 block, `finalized` when that block is at or
/// before the finalized checkpoint), `pending`, or `reverted` (with the
/// reason and the L1 slot at which it happened).
fn l2_truth(chain: &Chain) -> Vec<Value> {
    let finalized_index = chain.index_of(chain.finalized_max.1).unwrap_or(0);
    // hash -> index of the canonical L1 block that committed it.
    let mut included: HashMap<B256, usize> = HashMap::new();
    for (i, b) in chain.blocks.iter().enumerate() {
        let Some(c) = b.el.commit else { continue };
        let mut cur = c.block_hash;
        while cur != c.prev_committed && cur != chain.l2.genesis && !included.contains_key(&cur) {
            included.insert(cur, i);
            match chain.l2.blocks.get(&cur) {
                Some(e) if e.msg.block.header.number > 0 => cur = e.msg.block.header.parent_hash,
                _ => break,
            }
        }
    }
    chain
        .l2
        .order
        .iter()
        .filter_map(|h| chain.l2.blocks.get(h))
        .map(|e| {
            let h = &e.msg.block.header;
            let fate = if e.hash == chain.l2.genesis {
                json!({"fate": "finalized", "l1Slot": 0, "genesis": true})
            } else if let Some(b) = included
                .get(&e.hash)
                .and_then(|i| chain.blocks.get(*i).map(|b| (*i, b)))
            {
                let (i, b) = b;
                json!({
                    "fate": if i <= finalized_index { "finalized" } else { "included" },
                    "l1Slot": b.header.slot,
                    "l1BeaconRoot": format!("{:#x}", b.root),
                    "l1BlockHash": format!("{:#x}", b.el.hash),
                })
            } else if let Some((slot, reason)) = e.revert {
                json!({"fate": "reverted", "reason": reason, "atL1Slot": slot})
            } else if e.reverted {
                json!({"fate": "reverted"})
            } else {
                json!({"fate": "pending"})
            };
            json!({
                "hash": format!("{:#x}", e.hash), "number": h.number, "kind": h.kind,
                "l1Slot": h.l1_slot, "parentHash": format!("{:#x}", h.parent_hash),
                "truth": fate,
            })
        })
        .collect()
}

/// `/devnet/truth/l2` (every block) and `/devnet/truth/l2/{hash}` (one).
fn l2_truth_route(shared: &Shared, from: u64, hash: Option<&str>) -> Response {
    let chain = lock(&shared.chain);
    let mut all = l2_truth(&chain);
    if from > 0 {
        all.retain(|b| b["number"].as_u64().is_some_and(|n| n >= from));
    }
    let summary = json!({
        "l1Slot": chain.slot,
        "l1Head": {"slot": chain.head().header.slot, "root": format!("{:#x}", chain.head().root)},
        "finalized": {"epoch": chain.finalized_max.0, "root": format!("{:#x}", chain.finalized_max.1)},
        "committedHead": format!("{:#x}", chain.head().el.state.committed_head),
        "basedModeSlots": chain.l2.based_mode_slots,
    });
    match hash.unwrap_or("") {
        "" => {
            let mut v = summary;
            v["blocks"] = Value::Array(all);
            reply::json(200, &v)
        }
        hash => {
            let want = hash.to_ascii_lowercase();
            match all
                .into_iter()
                .find(|b| b["hash"].as_str() == Some(want.as_str()))
            {
                Some(mut b) => {
                    b["at"] = summary;
                    reply::json(200, &b)
                }
                None => reply::error(404, "unknown L2 block"),
            }
        }
    }
}
