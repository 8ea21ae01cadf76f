//! The cross-domain action API and the demo page's conveniences.

use std::sync::Arc;

use alloy_primitives::B256;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{Shared, lock, on_chain, reply};

/// The action and demo routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/devnet/action", post(submit_action))
        .route(
            "/devnet/action/{hash}",
            get(
                |State(s): State<Arc<Shared>>, Path(hash): Path<String>| async move {
                    on_chain(s, move |s| action_status(s, &hash)).await
                },
            ),
        )
        .route(
            "/devnet/demo/transfer",
            post(|State(s): State<Arc<Shared>>| on_chain(s, demo_transfer)),
        )
        .route(
            "/devnet/demo/action",
            post(|State(s): State<Arc<Shared>>| on_chain(s, demo_action)),
        )
}

/// `POST /devnet/action {"l2Tx": "0x…"}`: queues a cross-domain action (the
/// signed L2 `Burner` call); the builder's next based block carries the burn
/// and the L1 block of the same slot the mint, or neither.
async fn submit_action(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let raw = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|b| b.get("l2Tx").and_then(Value::as_str).map(str::to_owned))
        .and_then(|s| hex::decode(s.strip_prefix("0x").unwrap_or(&s)).ok());
    let Some(raw) = raw else {
        return reply::error(
            400,
            "expected {\"l2Tx\": \"0x<signed EIP-1559 Burner call>\"}",
        );
    };
    on_chain(shared, move |shared| {
        let mut chain = lock(&shared.chain);
        match chain.l2.submit_action(&raw) {
            Ok(a) => reply::json(200, &queued_action_json(&a)),
            Err(msg) => reply::error(400, &msg),
        }
    })
    .await
}

/// The answer to a queued cross-domain action: its L2 tx, what it mints
/// where, and the contracts of both legs.
fn queued_action_json(a: &crate::l2::CrossAction) -> Value {
    json!({
        "l2TxHash": format!("{:#x}", a.tx.hash),
        "recipient": format!("{:#x}", a.recipient),
        "amount": format!("{:#x}", a.amount),
        "burner": format!("{:#x}", crate::l2_evm::BURNER_ADDRESS),
        "minter": format!("{:#x}", crate::el::MINTER_ADDRESS),
        "mintedSlot": format!("{:#x}", crate::el::minted_slot(a.recipient)),
    })
}

/// `POST /devnet/demo/transfer`: the devnet signs a transfer between two of
/// its users and sends it (for the demo page); answers `{"txHash"}`.
fn demo_transfer(shared: &Shared) -> Response {
    let mut chain = lock(&shared.chain);
    match crate::demo::transfer(&mut chain.l2) {
        Ok(hash) => reply::json(200, &json!({"txHash": format!("{hash:#x}")})),
        Err(msg) => reply::error(400, &msg),
    }
}

/// `POST /devnet/demo/action`: the devnet signs a Burner call of one of its
/// users and queues it as a cross-domain action; answers like
/// `POST /devnet/action`.
fn demo_action(shared: &Shared) -> Response {
    let mut chain = lock(&shared.chain);
    match crate::demo::action(&mut chain.l2) {
        Ok(a) => reply::json(200, &queued_action_json(&a)),
        Err(msg) => reply::error(400, &msg),
    }
}

/// `GET /devnet/action/{l2TxHash}`: `pending` (queued for the builder),
/// `landed` (both legs: the based block carrying the burn and the canonical
/// L1 block carrying the mint, with `l1TxHash` the mint transaction), or `none` (never queued, its post-assertion
/// failed, or an L1 reorg removed both legs).
fn action_status(shared: &Shared, hash: &str) -> Response {
    let Ok(hash) = hash.parse::<B256>() else {
        return reply::error(400, "expected a transaction hash");
    };
    let chain = lock(&shared.chain);
    if chain.l2.actions.iter().any(|a| a.tx.hash == hash) {
        return reply::json(200, &json!({"status": "pending"}));
    }
    let l2 = chain
        .l2
        .blocks
        .values()
        .find(|e| !e.reverted && e.actions.iter().any(|a| a.tx.hash == hash));
    let topic0 = alloy_primitives::keccak256(crate::el::MINTED_EVENT);
    // The canonical L1 block and the mint transaction carrying the L1 leg.
    let l1 = chain.blocks.iter().find_map(|b| {
        let i = b.el.receipts.iter().position(|r| {
            r.logs.iter().any(|l| {
                l.address == crate::el::MINTER_ADDRESS
                    && l.topics.first() == Some(&topic0)
                    && l.topics.get(2) == Some(&hash)
            })
        })?;
        Some((b, b.el.txs.get(i)?.hash))
    });
    match (l2, l1) {
        (Some(e), Some((b, l1_tx))) => reply::json(
            200,
            &json!({
                "status": "landed",
                "l2BlockHash": format!("{:#x}", e.hash),
                "l2BlockNumber": e.msg.block.header.number,
                "l1Slot": b.header.slot,
                "l1BlockHash": format!("{:#x}", b.el.hash),
                "l1BlockNumber": b.el.header.number,
                "l1TxHash": format!("{l1_tx:#x}"),
            }),
        ),
        _ => reply::json(200, &json!({"status": "none"})),
    }
}
