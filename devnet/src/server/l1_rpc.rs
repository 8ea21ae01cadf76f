//! The L1 JSON-RPC endpoint: `POST /` and `POST /rpc/l1`, single calls or
//! batches (methods in [`crate::rpc`]).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};

use super::{Shared, lock, on_chain, reply};
use crate::rpc;

/// The L1 RPC routes (`/` is routed in [`super::router`], where GET serves the page).
pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/rpc/l1", post(call))
}

/// A JSON-RPC parse error (HTTP 200, as execution clients answer).
pub fn parse_error() -> Response {
    reply::json(
        200,
        &json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "parse error"}}),
    )
}

/// One call or a batch against the canonical L1 chain.
pub async fn call(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return parse_error();
    };
    on_chain(shared, move |shared| {
        let chain = lock(&shared.chain);
        let one = |call: &Value| {
            let method = call.get("method").and_then(Value::as_str).unwrap_or("");
            let params = call
                .get("params")
                .cloned()
                .unwrap_or(Value::Array(Vec::new()));
            let id = call.get("id").cloned().unwrap_or(Value::Null);
            let forge = chain.faults.forge.get(method).copied();
            rpc::response(&id, rpc::call(&chain, method, &params, forge))
        };
        let out = match &body {
            Value::Array(calls) => Value::Array(calls.iter().map(one).collect()),
            call => one(call),
        };
        reply::json(200, &out)
    })
    .await
}
