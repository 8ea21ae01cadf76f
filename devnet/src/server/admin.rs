//! Devnet administration: the client config, the seeded accounts, faults and
//! manual slot production.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use preconf_light::rollup::{
    CommitteeAnnouncement, L1Timing, RollupConfig, SequencerAuth, SlotEndingRule,
};
use serde_json::{Value, json};

use super::l2::feed_value;
use super::{Shared, advance, lock, on_chain, reply};
use crate::chain::Chain;

/// Most slots one `POST /devnet/admin/advance` produces.
const MAX_ADVANCE_SLOTS: u64 = 10_000;

/// The admin routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/devnet/client-config", get(client_config))
        .route("/devnet/accounts", get(accounts))
        .route("/devnet/admin/fault", post(fault))
        .route("/devnet/admin/advance", post(advance_slots))
}

/// `GET /devnet/client-config`: the options of the npm client's
/// `createPreconfClient` as they are (`network`, `beaconApiUrl`, `l1RpcUrl`,
/// `l2RpcUrl`, `sequencerFeedUrl`, `l2BlockUrl`, `l2BlocksUrl`, `trustedCheckpoint`,
/// `chainId`, `rollup`), plus the devnet's own fields (`slotMs`,
/// `l1ChainId`, `inboxAddress`, `endpoints`).
async fn client_config(State(shared): State<Arc<Shared>>) -> Response {
    on_chain(shared, |shared| {
        let chain = lock(&shared.chain);
        let base = format!("http://{}", shared.addr);
        let checkpoint = chain.trusted_checkpoint();
        reply::json(
            200,
            &json!({
                "network": chain.network.config().to_json(),
                "beaconApiUrl": base,
                "l1RpcUrl": format!("{base}/rpc/l1"),
                "l2RpcUrl": format!("{base}/rpc/l2"),
                "sequencerFeedUrl": format!("{base}/rollup/feed"),
                "l2BlockUrl": format!("{base}/rollup/block"),
                "l2BlocksUrl": format!("{base}/rollup/blocks"),
                "trustedCheckpoint": format!("{checkpoint:#x}"),
                "chainId": crate::el::L1_CHAIN_ID,
                "rollup": rollup_config(&chain),
                "slotMs": shared.opts.slot_ms,
                "l1ChainId": crate::el::L1_CHAIN_ID,
                "inboxAddress": format!("{:#x}", crate::el::INBOX_ADDRESS),
                "endpoints": {
                    "beaconApi": base,
                    "l1Rpc": format!("{base}/rpc/l1"),
                    "events": format!("{base}/eth/v1/events"),
                    "truth": format!("{base}/devnet/truth"),
                    "admin": format!("{base}/devnet/admin"),
                    "sequencerFeed": format!("{base}/rollup/feed"),
                    "sequencerFeedWs": format!("ws://{}/rollup/ws", shared.addr),
                    "l2Witness": format!("{base}/rollup/witness"),
                    "l2Blocks": format!("{base}/rollup/blocks"),
                    "l2Block": format!("{base}/rollup/block"),
                    "l2Rpc": format!("{base}/rpc/l2"),
                },
            }),
        )
    })
    .await
}

/// The rollup config clients need (PROTOCOL.md section 8 fields).
fn rollup_config(chain: &Chain) -> Value {
    let n = &chain.network;
    let l2 = &chain.l2;
    let config = RollupConfig {
        chain_id: crate::l2::L2_CHAIN_ID,
        sequencer: SequencerAuth::Key(l2.address()),
        slot_ending: if l2.opts.nth_rule {
            SlotEndingRule::NthBlock(u32::try_from(l2.opts.blocks_per_slot).unwrap_or(u32::MAX))
        } else {
            SlotEndingRule::Marker
        },
        stall_limit_slots: l2.opts.stall_limit_slots,
        forced_inclusion_window_slots: crate::l2::FORCED_WINDOW_SLOTS,
        inbox: crate::el::INBOX_ADDRESS,
        l1: L1Timing {
            genesis_time: n.genesis_time(),
            seconds_per_slot: n.seconds_per_slot(),
            slots_per_epoch: n.preset().slots_per_epoch,
        },
    };
    let anchor = l2
        .blocks
        .get(&l2.genesis)
        .map(feed_value)
        .unwrap_or(Value::Null);
    let (sequencer, config_hash) = match l2.committee() {
        None => (
            json!({ "kind": "key", "address": format!("{:#x}", l2.address()) }),
            config.config_hash(),
        ),
        Some(c) => {
            let (hash_key, activation_key) =
                CommitteeAnnouncement::storage_keys(crate::l2::COMMITTEE_ID);
            (
                json!({
                    "kind": "committee",
                    "committeeId": crate::l2::COMMITTEE_ID,
                    "committeeHash": format!("{:#x}", c.hash),
                    "activationL1Slot": 0,
                    "members": c.members,
                    "storageKeys": { "hash": format!("{hash_key:#x}"), "activation": format!("{activation_key:#x}") },
                }),
                preconf_sequencer::committee_config_hash(&config, c.hash),
            )
        }
    };
    json!({
        "chainId": config.chain_id,
        "sequencer": sequencer,
        "slotEnding": if l2.opts.nth_rule {
            json!({ "nth": l2.opts.blocks_per_slot })
        } else {
            json!("marker")
        },
        "stallLimitSlots": config.stall_limit_slots,
        "forcedInclusionWindowSlots": config.forced_inclusion_window_slots,
        "inbox": format!("{:#x}", config.inbox),
        "committedHeadSlot": format!("{:#x}", crate::el::COMMITTED_HEAD_SLOT),
        "l1": {
            "genesisTime": config.l1.genesis_time,
            "secondsPerSlot": config.l1.seconds_per_slot,
            "slotsPerEpoch": config.l1.slots_per_epoch,
        },
        "configHash": format!("{config_hash:#x}"),
        "genesis": anchor,
        "blocksPerSlot": l2.opts.blocks_per_slot,
        "basedEvery": l2.opts.based_every,
    })
}

/// `GET /devnet/accounts`: the seeded L2 accounts and their keys.
async fn accounts(State(shared): State<Arc<Shared>>) -> Response {
    let chain = lock(&shared.chain);
    let accounts: Vec<Value> = chain
        .l2
        .accounts()
        .into_iter()
        .map(|(a, k)| json!({"address": format!("{a:#x}"), "privateKey": k}))
        .collect();
    reply::json(
        200,
        &json!({ "l2ChainId": crate::l2::L2_CHAIN_ID, "l2": accounts }),
    )
}

/// `POST /devnet/admin/fault {kind, ...}` ([`crate::faults`]).
async fn fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return reply::error(400, "expected a JSON body");
    };
    on_chain(shared, move |shared| {
        let mut chain = lock(&shared.chain);
        match crate::faults::apply(&mut chain, &body) {
            Ok(v) => reply::json(200, &v),
            Err(msg) => reply::error(400, &msg),
        }
    })
    .await
}

/// `POST /devnet/admin/advance {"slots": n}`: produces `n` slots now (default 1).
async fn advance_slots(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let slots = body
        .get("slots")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .min(MAX_ADVANCE_SLOTS);
    on_chain(shared, move |shared| {
        let target = lock(&shared.chain).slot + slots;
        advance(shared, target);
        let chain = lock(&shared.chain);
        reply::json(
            200,
            &json!({"slot": chain.slot, "head": format!("{:#x}", chain.head().root)}),
        )
    })
    .await
}
