//! L2 routes: the sequencer feed (all messages as JSON, one block by hash in
//! JSON or binary RLP, SSE, WebSocket), re-execution witnesses, and the L2
//! JSON-RPC.

use std::sync::Arc;

use alloy_primitives::B256;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use preconf_light::rollup::Certificate;
use serde_json::Value;

use super::events::{self, ROLLUP_TOPIC};
use super::reply::{self, error, param_u64, params, wants_ssz};
use super::{Shared, l1_rpc, lock, on_chain};
use crate::chain::Forgery;
use crate::rpc;

/// The L2 routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/rollup/blocks", get(blocks))
        .route("/rollup/block/{hash}", get(block))
        .route("/rollup/witness/{hash}", get(witness))
        .route(
            "/rollup/feed",
            get(|State(s): State<Arc<Shared>>| async move {
                events::sse(&s, vec![ROLLUP_TOPIC.to_string()])
            }),
        )
        .route("/rollup/ws", get(events::feed_ws))
        .route("/rpc/l2", post(rpc_call))
}

/// A feed message as a JSON value.
pub fn feed_value(e: &crate::l2::L2Entry) -> Value {
    e.msg
        .to_json()
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(Value::Null)
}

/// Most heights one `/rollup/blocks` answer covers (`count` is capped to it).
pub const MAX_BLOCKS_COUNT: u64 = 256;

/// `GET /rollup/blocks?from=N[&count=C]`: every produced feed message
/// numbered `>= N`, or with `count` those numbered `N ..< N + C` (`count` at
/// most [`MAX_BLOCKS_COUNT`]), forks included, in production order (`forge
/// /rollup/blocks bad_signature`: each certified block carries its parent's
/// genuine ECDSA certificate).
async fn blocks(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let q = params(&uri);
    let from = param_u64(&q, "from", 0);
    let end = match reply::param(&q, "count") {
        Some(_) => from.saturating_add(param_u64(&q, "count", 1).clamp(1, MAX_BLOCKS_COUNT)),
        None => u64::MAX,
    };
    on_chain(shared, move |shared| {
        let chain = lock(&shared.chain);
        let forge = chain.faults.forge.get("/rollup/blocks").copied();
        let out: Vec<Value> = chain
            .l2
            .order
            .iter()
            .filter_map(|h| chain.l2.blocks.get(h))
            .filter(|e| (from..end).contains(&e.msg.block.header.number))
            .map(|e| {
                let parent_cert = chain
                    .l2
                    .blocks
                    .get(&e.msg.block.header.parent_hash)
                    .map(|p| p.msg.certificate.clone());
                match (forge, parent_cert) {
                    // A real certificate, of another block (the parent's).
                    (Some(Forgery::BadSignature), Some(c @ Certificate::Ecdsa(_)))
                        if e.msg.certificate != Certificate::None =>
                    {
                        let mut forged = e.clone();
                        forged.msg.certificate = c;
                        feed_value(&forged)
                    }
                    _ => feed_value(e),
                }
            })
            .collect();
        reply::json(200, &Value::Array(out))
    })
    .await
}

/// `GET /rollup/block/{hash}`: one feed message, JSON or binary RLP.
async fn block(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(hash): Path<String>,
) -> Response {
    let binary = wants_ssz(&headers);
    on_chain(shared, move |shared| {
        let chain = lock(&shared.chain);
        let Some(e) = hash
            .parse::<B256>()
            .ok()
            .and_then(|h| chain.l2.blocks.get(&h))
        else {
            return error(404, "unknown L2 block");
        };
        if binary {
            return match e.msg.encode_binary() {
                Ok(bytes) => reply::bytes(200, "application/octet-stream", bytes),
                Err(_) => error(500, "feed message does not encode"),
            };
        }
        reply::json(200, &feed_value(e))
    })
    .await
}

/// `GET /rollup/witness/{hash}`: what re-executing the block needs.
async fn witness(State(shared): State<Arc<Shared>>, Path(hash): Path<String>) -> Response {
    on_chain(shared, move |shared| {
        let chain = lock(&shared.chain);
        match hash
            .parse::<B256>()
            .ok()
            .and_then(|h| crate::l2_rpc::witness(&chain.l2, h))
        {
            Some(w) => reply::json(200, &w),
            None => error(404, "unknown L2 block"),
        }
    })
    .await
}

/// `POST /rpc/l2`: one call or a batch ([`crate::l2_rpc`]).
async fn rpc_call(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return l1_rpc::parse_error();
    };
    on_chain(shared, move |shared| {
        let mut chain = lock(&shared.chain);
        let mut one = |call: &Value| {
            let method = call.get("method").and_then(Value::as_str).unwrap_or("");
            let params = call
                .get("params")
                .cloned()
                .unwrap_or(Value::Array(Vec::new()));
            let id = call.get("id").cloned().unwrap_or(Value::Null);
            rpc::response(&id, crate::l2_rpc::call(&mut chain.l2, method, &params))
        };
        let out = match &body {
            Value::Array(calls) => Value::Array(calls.iter().map(&mut one).collect()),
            call => one(call),
        };
        reply::json(200, &out)
    })
    .await
}
