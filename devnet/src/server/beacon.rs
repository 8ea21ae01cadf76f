//! Beacon API routes: light-client data (JSON or SSZ), headers, full
//! blocks, genesis, and the event stream.

use std::sync::Arc;

use alloy_primitives::B256;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use preconf_light::beacon::Fork;
use serde_json::{Value, json};

use super::reply::{self, error, param_u64, params, wants_ssz};
use super::{Shared, events, lock, on_chain};
use crate::beacon_json as bj;
use crate::chain::{Chain, Forgery};

/// Beacon API light-client path prefix.
const LC: &str = "/eth/v1/beacon/light_client";
/// Largest `count` of `/updates`.
const MAX_REQUEST_LIGHT_CLIENT_UPDATES: u64 = 128;

/// The light-client endpoints a forgery can target.
#[derive(Debug, Clone, Copy)]
enum LcEndpoint {
    Bootstrap,
    Updates,
    FinalityUpdate,
    OptimisticUpdate,
}

impl LcEndpoint {
    fn path(self) -> String {
        let name = match self {
            Self::Bootstrap => "bootstrap",
            Self::Updates => "updates",
            Self::FinalityUpdate => "finality_update",
            Self::OptimisticUpdate => "optimistic_update",
        };
        format!("{LC}/{name}")
    }
}

/// The beacon routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/eth/v1/beacon/light_client/bootstrap/{root}",
            get(bootstrap),
        )
        .route(
            "/eth/v1/beacon/light_client/updates",
            get(|s, h, u| light_client(s, h, u, LcEndpoint::Updates)),
        )
        .route(
            "/eth/v1/beacon/light_client/finality_update",
            get(|s, h, u| light_client(s, h, u, LcEndpoint::FinalityUpdate)),
        )
        .route(
            "/eth/v1/beacon/light_client/optimistic_update",
            get(|s, h, u| light_client(s, h, u, LcEndpoint::OptimisticUpdate)),
        )
        .route(
            "/eth/v1/beacon/light_client/{*rest}",
            get(|| async { error(404, "unknown light-client endpoint") }),
        )
        .route("/eth/v1/beacon/headers/{*id}", get(header))
        .route("/eth/v2/beacon/blocks/{*id}", get(full_block))
        .route("/eth/v1/beacon/genesis", get(genesis))
        .route("/eth/v1/events", get(beacon_events))
}

/// `GET /eth/v1/events?topics=a,b` (also `topics=a&topics=b`): SSE.
async fn beacon_events(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let mut topics: Vec<String> = params(&uri)
        .into_iter()
        .filter(|(k, _)| k == "topics")
        .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if topics.is_empty() {
        topics.push("head".into());
    }
    events::sse(&shared, topics)
}

fn forged(chain: &Chain, endpoint: &str) -> Option<Forgery> {
    chain.faults.forge.get(endpoint).copied()
}

async fn genesis(State(shared): State<Arc<Shared>>) -> Response {
    let chain = lock(&shared.chain);
    let n = &chain.network;
    reply::json(
        200,
        &json!({"data": {
            "genesis_time": n.genesis_time().to_string(),
            "genesis_validators_root": format!("{:#x}", n.genesis_validators_root()),
            "genesis_fork_version": format!("0x{}", hex::encode(n.fork_activation(Fork::Phase0).version)),
        }}),
    )
}

async fn bootstrap(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(root): Path<String>,
) -> Response {
    let ssz = wants_ssz(&headers);
    on_chain(shared, move |shared| {
        let mut chain = lock(&shared.chain);
        let forge = forged(&chain, &LcEndpoint::Bootstrap.path());
        let fork = chain.fork();
        let Ok(root) = root.parse::<B256>() else {
            return error(400, "invalid block root");
        };
        let Some(mut b) = chain.bootstrap(root) else {
            return error(404, "unknown block root");
        };
        if forge == Some(Forgery::BadBranch)
            && let Some(x) = b.current_sync_committee_branch.get_mut(0)
        {
            x.0[0] ^= 1;
        }
        if ssz {
            reply::ssz(bj::bootstrap_ssz(&b, fork), fork.name())
        } else {
            reply::json(200, &bj::envelope(fork, bj::bootstrap(&b)))
        }
    })
    .await
}

async fn light_client(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
    endpoint: LcEndpoint,
) -> Response {
    let ssz = wants_ssz(&headers);
    let q = params(&uri);
    on_chain(shared, move |shared| {
        let mut chain = lock(&shared.chain);
        if chain.faults.withhold_updates {
            return error(404, "light client update not available (withheld)");
        }
        let forge = forged(&chain, &endpoint.path());
        match endpoint {
            LcEndpoint::Updates => updates(&mut chain, forge, ssz, &q),
            LcEndpoint::FinalityUpdate => finality_update(&mut chain, forge, ssz),
            LcEndpoint::OptimisticUpdate => optimistic_update(&mut chain, forge, ssz),
            LcEndpoint::Bootstrap => error(404, "unknown light-client endpoint"),
        }
    })
    .await
}

fn updates(
    chain: &mut Chain,
    forge: Option<Forgery>,
    ssz: bool,
    q: &[(String, String)],
) -> Response {
    let fork = chain.fork();
    let start = param_u64(q, "start_period", 0);
    let count = param_u64(q, "count", 1).min(MAX_REQUEST_LIGHT_CLIENT_UPDATES);
    let mut updates = Vec::new();
    for p in start..start.saturating_add(count) {
        let Some(mut u) = chain.update_for_period(p) else {
            break;
        };
        match forge {
            Some(Forgery::BadSignature) => {
                let wrong = chain.wrong_root();
                u.sync_aggregate = chain.sign(wrong, u.signature_slot);
            }
            Some(Forgery::BadBranch) => {
                if let Some(x) = u.next_sync_committee_branch.get_mut(0) {
                    x.0[0] ^= 1;
                }
            }
            _ => {}
        }
        updates.push(u);
    }
    if ssz {
        let digest = chain
            .network
            .fork_digest_at_epoch(chain.network.epoch_at_slot(chain.slot));
        let mut body = Vec::new();
        for u in &updates {
            let payload = u.to_ssz_fork(fork);
            body.extend_from_slice(&((payload.len() + 4) as u64).to_le_bytes());
            body.extend_from_slice(&digest);
            body.extend_from_slice(&payload);
        }
        reply::ssz(body, fork.name())
    } else {
        let arr: Vec<Value> = updates
            .iter()
            .map(|u| bj::envelope(fork, bj::update(u)))
            .collect();
        reply::json(200, &Value::Array(arr))
    }
}

fn finality_update(chain: &mut Chain, forge: Option<Forgery>, ssz: bool) -> Response {
    let fork = chain.fork();
    let Some(mut u) = chain.finality_update() else {
        return error(404, "no finality update yet");
    };
    match forge {
        Some(Forgery::BadSignature) => {
            let wrong = chain.wrong_root();
            u.sync_aggregate = chain.sign(wrong, u.signature_slot);
        }
        Some(Forgery::BadBranch) => {
            if let Some(x) = u.finality_branch.get_mut(1) {
                x.0[0] ^= 1;
            }
        }
        _ => {}
    }
    if ssz {
        reply::ssz(bj::finality_update_ssz(&u, fork), fork.name())
    } else {
        reply::json(200, &bj::envelope(fork, bj::finality_update(&u)))
    }
}

fn optimistic_update(chain: &mut Chain, forge: Option<Forgery>, ssz: bool) -> Response {
    let fork = chain.fork();
    let Some(mut u) = chain.optimistic_update() else {
        return error(404, "no optimistic update yet");
    };
    match forge {
        Some(Forgery::BadSignature) => {
            let wrong = chain.wrong_root();
            u.sync_aggregate = chain.sign(wrong, u.signature_slot);
        }
        Some(Forgery::BadBranch) => {
            if let Some(x) = u
                .attested_header
                .execution_branch
                .as_slice()
                .first()
                .copied()
            {
                let mut branch = u.attested_header.execution_branch.as_slice().to_vec();
                if let Some(first) = branch.first_mut() {
                    *first = x ^ B256::with_last_byte(1);
                }
                if let Ok(v) = preconf_light::ssz::FixedVector::new(branch) {
                    u.attested_header.execution_branch = v;
                }
            }
        }
        _ => {}
    }
    if ssz {
        reply::ssz(bj::optimistic_update_ssz(&u, fork), fork.name())
    } else {
        reply::json(200, &bj::envelope(fork, bj::optimistic_update(&u)))
    }
}

/// A block by `head`, `genesis`, `finalized`, a root or a slot.
fn resolve_block(chain: &Chain, id: &str) -> Option<crate::chain::Block> {
    match id {
        "head" => Some(chain.head().clone()),
        "genesis" => chain.blocks.first().cloned(),
        "finalized" => {
            let root = chain.finalized_max.1;
            chain
                .all
                .get(&root)
                .cloned()
                .or_else(|| chain.blocks.first().cloned())
        }
        _ if id.starts_with("0x") => id
            .parse::<B256>()
            .ok()
            .and_then(|r| chain.all.get(&r).cloned()),
        _ => id
            .parse::<u64>()
            .ok()
            .and_then(|slot| chain.blocks.iter().find(|b| b.header.slot == slot).cloned()),
    }
}

fn is_finalized(chain: &Chain, root: B256) -> bool {
    chain
        .index_of(chain.finalized_max.1)
        .is_some_and(|f| chain.index_of(root).is_some_and(|i| i <= f))
}

async fn full_block(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    on_chain(shared, move |shared| {
        let chain = lock(&shared.chain);
        let Some(b) = resolve_block(&chain, &id) else {
            return error(404, "block not found");
        };
        let txs: Vec<Vec<u8>> = b.el.txs.iter().map(|t| t.envelope.to_vec()).collect();
        let body = bj::block_body(
            &b.randao_reveal,
            B256::right_padding_from(crate::chain::GRAFFITI),
            &b.sync_aggregate,
            &b.payload,
            &txs,
        );
        let mut message = bj::beacon_header(&b.header);
        if let Some(m) = message.as_object_mut() {
            m.remove("body_root");
            m.insert("body".into(), body);
        }
        reply::json(
            200,
            &json!({
                "version": chain.fork().name(),
                "execution_optimistic": false,
                "finalized": is_finalized(&chain, b.root),
                "data": {
                    "message": message,
                    "signature": format!("0x{}", hex::encode(chain.proposer_signature(&b))),
                }
            }),
        )
    })
    .await
}

async fn header(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    on_chain(shared, move |shared| {
        let chain = lock(&shared.chain);
        let Some(b) = resolve_block(&chain, &id) else {
            return error(404, "block not found");
        };
        let canonical = chain.index_of(b.root).is_some();
        let finalized = is_finalized(&chain, b.root);
        reply::json(
            200,
            &json!({
                "execution_optimistic": false,
                "finalized": finalized,
                "data": {
                    "root": format!("{:#x}", b.root),
                    "canonical": canonical,
                    "header": {
                        "message": bj::beacon_header(&b.header),
                        "signature": format!("0x{}", hex::encode(chain.proposer_signature(&b))),
                    }
                }
            }),
        )
    })
    .await
}
