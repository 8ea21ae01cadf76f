//! The devnet's HTTP server, slot ticker and event broadcast.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alloy_primitives::B256;
use preconf_light::beacon::Fork;
use preconf_light::ssz::TreeHash;
use serde_json::{Value, json};

use crate::beacon_json as bj;
use crate::chain::{Chain, Forgery, S};
use crate::http::{Request, Response, start_event_stream, static_file};
use crate::{Options, rpc};

/// Beacon API light-client path prefix.
const LC: &str = "/eth/v1/beacon/light_client";
/// Largest `count` of `/updates`.
const MAX_REQUEST_LIGHT_CLIENT_UPDATES: u64 = 128;

/// SSE event name of sequencer feed messages on `/rollup/feed`.
const ROLLUP_TOPIC: &str = "block";

/// Time allowed to send a request.
const REQUEST_TIMEOUT_SECS: u64 = 10;

struct Subscriber {
    topics: Vec<String>,
    tx: Sender<String>,
}

/// State shared by the server threads.
pub struct Shared {
    chain: Mutex<Chain>,
    subscribers: Mutex<Vec<Subscriber>>,
    opts: Options,
    addr: SocketAddr,
    /// Wall-clock start of slot 0, in milliseconds.
    genesis_ms: u128,
}

/// A running devnet.
pub struct Handle {
    /// Bound address.
    pub addr: SocketAddr,
    /// Shared state (for in-process tests).
    pub shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Handle {
    /// Blocks until the server stops (it does not, short of process exit).
    pub fn join(self) {
        let _ = self.accept.join();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Starts the devnet: binds, prints the URL, starts the ticker (unless manual).
///
/// # Errors
/// Binding failures.
pub fn start(opts: Options) -> std::io::Result<Handle> {
    let listener = TcpListener::bind(("127.0.0.1", opts.port))?;
    let addr = listener.local_addr()?;
    let genesis_time = opts
        .genesis_time
        .unwrap_or_else(|| (now_ms() / 1000) as u64);
    let mut chain = Chain::new(
        opts.seed,
        genesis_time,
        opts.slot_ms.div_ceil(1000),
        opts.l2,
    );
    chain.faults.miss_every = opts.miss_every;
    chain.faults.withhold_updates = opts.withhold_updates;
    chain.faults.stall_finality = opts.stall_finality;
    chain.faults.forge = opts.forge.iter().cloned().collect();
    for body in &opts.faults {
        crate::faults::apply(&mut chain, body)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    }
    let shared = Arc::new(Shared {
        chain: Mutex::new(chain),
        subscribers: Mutex::new(Vec::new()),
        genesis_ms: u128::from(genesis_time) * 1000,
        opts,
        addr,
    });
    println!(
        "preconf-devnet (seed {}) serving {} at http://{addr}/",
        shared.opts.seed,
        shared
            .opts
            .root
            .as_ref()
            .map(|r| r.display().to_string())
            .unwrap_or_else(|| "no page".into())
    );
    if !shared.opts.manual {
        let s = shared.clone();
        thread::spawn(move || ticker(&s));
    }
    let s = shared.clone();
    let accept = thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let s = s.clone();
            thread::spawn(move || {
                let _ = handle(&s, stream);
            });
        }
    });
    Ok(Handle {
        addr,
        shared,
        accept,
    })
}

fn ticker(shared: &Shared) {
    let slot_ms = u128::from(shared.opts.slot_ms);
    let per_slot = u128::from(shared.opts.l2.blocks_per_slot.max(1));
    loop {
        let now = now_ms();
        let slot = (now.saturating_sub(shared.genesis_ms) / slot_ms) as u64;
        advance(shared, slot);
        // The next slot's sequenced blocks, one every slot_ms / blocks_per_slot.
        let slot_start = shared.genesis_ms + u128::from(slot) * slot_ms;
        let elapsed = now_ms().saturating_sub(slot_start);
        let released = (elapsed * per_slot / slot_ms) as u64;
        release_l2(shared, slot + 1, released);
        let next_sub = slot_start + (u128::from(released) + 1) * slot_ms / per_slot;
        let next_slot = slot_start + slot_ms;
        let wait = next_sub.min(next_slot).saturating_sub(now_ms()).max(1);
        thread::sleep(Duration::from_millis(wait as u64));
    }
}

/// Releases the first `upto` sequenced blocks of `slot` ahead of it.
fn release_l2(shared: &Shared, slot: u64, upto: u64) {
    let mut events = Vec::new();
    {
        let mut chain = lock(&shared.chain);
        let head = chain.head().clone();
        let start = chain.network.time_at_slot(slot);
        chain
            .l2
            .produce_upto(slot, (head.root, head.el.hash), start, upto);
        drain_outbox(&mut chain, &mut events);
    }
    broadcast(shared, events);
}

fn drain_outbox(chain: &mut Chain, events: &mut Vec<(String, Value)>) {
    for hash in std::mem::take(&mut chain.l2.outbox) {
        if let Some(json) = chain
            .l2
            .blocks
            .get(&hash)
            .and_then(|e| e.msg.to_json().ok())
        {
            events.push((ROLLUP_TOPIC.to_string(), Value::String(json)));
        }
    }
}

/// Late slot-ending blocks go out after their slot's L1 block events.
fn drain_late(chain: &mut Chain, events: &mut Vec<(String, Value)>) {
    let late = std::mem::take(&mut chain.l2.late_outbox);
    chain.l2.outbox.extend(late);
    drain_outbox(chain, events);
}

fn broadcast(shared: &Shared, events: Vec<(String, Value)>) {
    let mut subs = lock(&shared.subscribers);
    for (topic, data) in events {
        let data = match data {
            Value::String(raw) => raw,
            other => other.to_string(),
        };
        let msg = format!("event: {topic}\ndata: {data}\n\n");
        subs.retain(|s| !s.topics.contains(&topic) || s.tx.send(msg.clone()).is_ok());
    }
}

/// Advances the chain to `slot` (applying scheduled reorgs) and broadcasts events.
pub fn advance(shared: &Shared, slot: u64) {
    let mut events = Vec::new();
    {
        let mut chain = lock(&shared.chain);
        while chain.slot < slot {
            let next = chain.slot + 1;
            if shared.opts.reorg_every > 0 && next.is_multiple_of(shared.opts.reorg_every) {
                chain.reorg(shared.opts.reorg_depth);
            }
            for (n, body) in &shared.opts.fault_every {
                if next.is_multiple_of(*n) {
                    // Bodies were checked when parsed; a failing one is skipped.
                    let _ = crate::faults::apply(&mut chain, body);
                }
            }
            let produced = chain.advance_to(next);
            for hash in std::mem::take(&mut chain.l2.outbox) {
                if let Some(json) = chain
                    .l2
                    .blocks
                    .get(&hash)
                    .and_then(|e| e.msg.to_json().ok())
                {
                    events.push((ROLLUP_TOPIC.to_string(), Value::String(json)));
                }
            }
            if produced.is_empty() {
                drain_late(&mut chain, &mut events);
                continue;
            }
            let head = chain.head().clone();
            let fork = chain.fork();
            events.push((
                "head".to_string(),
                json!({
                    "slot": head.header.slot.to_string(),
                    "block": format!("{:#x}", head.root),
                    "state": format!("{:#x}", head.header.state_root),
                    "epoch_transition": head.header.slot.is_multiple_of(chain.network.preset().slots_per_epoch),
                    "execution_optimistic": false,
                }),
            ));
            if !chain.faults.withhold_updates {
                if let Some(u) = chain.optimistic_update() {
                    events.push((
                        "light_client_optimistic_update".into(),
                        bj::envelope(fork, bj::optimistic_update(&u)),
                    ));
                }
                let attested_finalized = chain
                    .blocks
                    .len()
                    .checked_sub(2)
                    .and_then(|i| chain.blocks.get(i))
                    .map(|attested| attested.finalized);
                let finalized_changed = attested_finalized
                    .is_some_and(|f| !f.1.is_zero() && chain.emitted_finality != Some(f));
                if finalized_changed {
                    chain.emitted_finality = attested_finalized;
                }
                if finalized_changed && let Some(u) = chain.finality_update() {
                    events.push((
                        "light_client_finality_update".into(),
                        bj::envelope(fork, bj::finality_update(&u)),
                    ));
                }
            }
            drain_late(&mut chain, &mut events);
        }
    }
    broadcast(shared, events);
}

fn handle(shared: &Shared, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(REQUEST_TIMEOUT_SECS)))?;
    let req = Request::read(&stream)?;
    let head_only = req.method == "HEAD";
    if req.path == "/eth/v1/events" && req.method == "GET" {
        let topics = req.param("topics").unwrap_or("head").to_string();
        return events(shared, stream, &topics);
    }
    if req.path == "/rollup/feed" && req.method == "GET" {
        return events(shared, stream, ROLLUP_TOPIC);
    }
    if req.path == "/rollup/ws" && req.method == "GET" {
        let Some(key) = req.header("sec-websocket-key") else {
            return Response::error(426, "WebSocket upgrade required").write(&mut stream, false);
        };
        return websocket(shared, stream, key);
    }
    let resp = route(shared, &req);
    resp.write(&mut stream, head_only)
}

fn events(shared: &Shared, mut stream: TcpStream, topics: &str) -> std::io::Result<()> {
    let topics: Vec<String> = topics.split(',').map(str::to_string).collect();
    let (tx, rx): (Sender<String>, Receiver<String>) = channel();
    lock(&shared.subscribers).push(Subscriber { topics, tx });
    start_event_stream(&mut stream)?;
    use std::io::Write;
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(msg) => stream.write_all(msg.as_bytes())?,
            // Keep-alive comment so idle connections notice a closed peer.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                stream.write_all(b": keep-alive\n\n")?
            }
            Err(_) => return Ok(()),
        }
        stream.flush()?;
    }
}

/// The sequencer feed over WebSocket: one text frame (feed message JSON) per block.
fn websocket(shared: &Shared, mut stream: TcpStream, key: &str) -> std::io::Result<()> {
    use std::io::Write;
    let (tx, rx): (Sender<String>, Receiver<String>) = channel();
    lock(&shared.subscribers).push(Subscriber {
        topics: vec![ROLLUP_TOPIC.to_string()],
        tx,
    });
    crate::ws::handshake(&mut stream, key)?;
    let prefix = format!("event: {ROLLUP_TOPIC}\ndata: ");
    loop {
        let frame = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(msg) => {
                let data = msg.strip_prefix(&prefix).unwrap_or(&msg).trim_end();
                crate::ws::frame(crate::ws::OP_TEXT, data.as_bytes())
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                crate::ws::frame(crate::ws::OP_PING, b"")
            }
            Err(_) => return Ok(()),
        };
        stream.write_all(&frame)?;
        stream.flush()?;
    }
}

fn parse_root(s: &str) -> Option<B256> {
    s.parse().ok()
}

fn forged(chain: &Chain, endpoint: &str) -> Option<Forgery> {
    chain.faults.forge.get(endpoint).copied()
}

fn route(shared: &Shared, req: &Request) -> Response {
    let path = req.path.as_str();
    match (req.method.as_str(), path) {
        ("POST", "/" | "/rpc/l1") => return rpc_route(shared, req),
        ("POST", "/rpc/l2") => return l2_rpc_route(shared, req),
        ("POST", "/devnet/admin/fault") => return admin_fault(shared, req),
        ("POST", "/devnet/admin/advance") => return admin_advance(shared, req),
        ("POST", "/devnet/action") => return submit_action(shared, req),
        ("POST", "/devnet/demo/transfer") => return demo_transfer(shared),
        ("POST", "/devnet/demo/action") => return demo_action(shared),
        ("GET" | "HEAD", _) => {}
        _ => return Response::error(405, "method not allowed"),
    }
    if path == "/devnet/client-config" {
        return client_config(shared);
    }
    if path == "/devnet/accounts" {
        let chain = lock(&shared.chain);
        let accounts: Vec<Value> = chain
            .l2
            .accounts()
            .into_iter()
            .map(|(a, k)| json!({"address": format!("{a:#x}"), "privateKey": k}))
            .collect();
        return Response::json(
            200,
            &json!({ "l2ChainId": crate::l2::L2_CHAIN_ID, "l2": accounts }),
        );
    }
    if path == "/devnet/truth" {
        return truth(shared);
    }
    if let Some(hash) = path.strip_prefix("/devnet/action/") {
        return action_status(shared, hash);
    }
    if let Some(rest) = path.strip_prefix("/devnet/truth/l2") {
        return l2_truth_route(shared, req, rest);
    }
    if path == "/rollup/blocks" {
        return rollup_blocks(shared, req);
    }
    if let Some(id) = path.strip_prefix("/rollup/block/") {
        return rollup_block(shared, req, id);
    }
    if let Some(id) = path.strip_prefix("/rollup/witness/") {
        let chain = lock(&shared.chain);
        return match parse_root(id).and_then(|h| crate::l2_rpc::witness(&chain.l2, h)) {
            Some(w) => Response::json(200, &w),
            None => Response::error(404, "unknown L2 block"),
        };
    }
    if let Some(rest) = path.strip_prefix(LC) {
        return light_client(shared, req, rest);
    }
    if let Some(id) = path.strip_prefix("/eth/v1/beacon/headers/") {
        return header(shared, id);
    }
    if let Some(id) = path.strip_prefix("/eth/v2/beacon/blocks/") {
        return full_block(shared, id);
    }
    if path == "/eth/v1/beacon/genesis" {
        let chain = lock(&shared.chain);
        let n = &chain.network;
        return Response::json(
            200,
            &json!({"data": {
                "genesis_time": n.genesis_time().to_string(),
                "genesis_validators_root": format!("{:#x}", n.genesis_validators_root()),
                "genesis_fork_version": format!("0x{}", hex::encode(n.fork_activation(Fork::Phase0).version)),
            }}),
        );
    }
    match &shared.opts.root {
        Some(root) => static_file(root, path).unwrap_or_else(|| Response::error(404, "not found")),
        None => Response::error(404, "not found"),
    }
}

fn light_client(shared: &Shared, req: &Request, rest: &str) -> Response {
    let mut chain = lock(&shared.chain);
    let endpoint = format!(
        "{LC}{}",
        rest.split('/').take(2).collect::<Vec<_>>().join("/")
    );
    let forge = forged(&chain, &endpoint);
    let fork = chain.fork();
    let ssz = req.wants_ssz();
    if chain.faults.withhold_updates && !rest.starts_with("/bootstrap") {
        return Response::error(404, "light client update not available (withheld)");
    }
    if let Some(root) = rest.strip_prefix("/bootstrap/") {
        let Some(root) = parse_root(root) else {
            return Response::error(400, "invalid block root");
        };
        let Some(mut b) = chain.bootstrap(root) else {
            return Response::error(404, "unknown block root");
        };
        if forge == Some(Forgery::BadBranch)
            && let Some(x) = b.current_sync_committee_branch.get_mut(0)
        {
            x.0[0] ^= 1;
        }
        return if ssz {
            Response::ssz(bj::bootstrap_ssz(&b, fork), fork.name())
        } else {
            Response::json(200, &bj::envelope(fork, bj::bootstrap(&b)))
        };
    }
    match rest {
        "/updates" => {
            let start: u64 = req
                .param("start_period")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let count: u64 = req
                .param("count")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1)
                .min(MAX_REQUEST_LIGHT_CLIENT_UPDATES);
            let mut updates = Vec::new();
            for p in start..start.saturating_add(count) {
                let Some(mut u) = chain.update_for_period(p) else {
                    break;
                };
                match forge {
                    Some(Forgery::BadSignature) => {
                        u.sync_aggregate = {
                            let wrong = chain.wrong_root();
                            chain.sign(wrong, u.signature_slot)
                        };
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
                Response::ssz(body, fork.name())
            } else {
                let arr: Vec<Value> = updates
                    .iter()
                    .map(|u| bj::envelope(fork, bj::update(u)))
                    .collect();
                Response::json(200, &Value::Array(arr))
            }
        }
        "/finality_update" => {
            let Some(mut u) = chain.finality_update() else {
                return Response::error(404, "no finality update yet");
            };
            match forge {
                Some(Forgery::BadSignature) => {
                    u.sync_aggregate = {
                        let wrong = chain.wrong_root();
                        chain.sign(wrong, u.signature_slot)
                    };
                }
                Some(Forgery::BadBranch) => {
                    if let Some(x) = u.finality_branch.get_mut(1) {
                        x.0[0] ^= 1;
                    }
                }
                _ => {}
            }
            if ssz {
                Response::ssz(bj::finality_update_ssz(&u, fork), fork.name())
            } else {
                Response::json(200, &bj::envelope(fork, bj::finality_update(&u)))
            }
        }
        "/optimistic_update" => {
            let Some(mut u) = chain.optimistic_update() else {
                return Response::error(404, "no optimistic update yet");
            };
            match forge {
                Some(Forgery::BadSignature) => {
                    u.sync_aggregate = {
                        let wrong = chain.wrong_root();
                        chain.sign(wrong, u.signature_slot)
                    };
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
                Response::ssz(bj::optimistic_update_ssz(&u, fork), fork.name())
            } else {
                Response::json(200, &bj::envelope(fork, bj::optimistic_update(&u)))
            }
        }
        _ => Response::error(404, "unknown light-client endpoint"),
    }
}

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
        _ if id.starts_with("0x") => parse_root(id).and_then(|r| chain.all.get(&r).cloned()),
        _ => id
            .parse::<u64>()
            .ok()
            .and_then(|slot| chain.blocks.iter().find(|b| b.header.slot == slot).cloned()),
    }
}

fn full_block(shared: &Shared, id: &str) -> Response {
    let chain = lock(&shared.chain);
    let Some(b) = resolve_block(&chain, id) else {
        return Response::error(404, "block not found");
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
    Response::json(
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
}

fn is_finalized(chain: &Chain, root: B256) -> bool {
    chain
        .index_of(chain.finalized_max.1)
        .is_some_and(|f| chain.index_of(root).is_some_and(|i| i <= f))
}

fn header(shared: &Shared, id: &str) -> Response {
    let chain = lock(&shared.chain);
    let Some(b) = resolve_block(&chain, id) else {
        return Response::error(404, "block not found");
    };
    let canonical = chain.index_of(b.root).is_some();
    let finalized = is_finalized(&chain, b.root);
    Response::json(
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
}

fn rpc_route(shared: &Shared, req: &Request) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return Response::json(
            200,
            &json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "parse error"}}),
        );
    };
    let chain = lock(&shared.chain);
    let one = |call: &Value| {
        let method = call.get("method").and_then(Value::as_str).unwrap_or("");
        let params = call
            .get("params")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        let id = call.get("id").cloned().unwrap_or(Value::Null);
        rpc::response(
            &id,
            rpc::call(&chain, method, &params, forged(&chain, method)),
        )
    };
    let out = match &body {
        Value::Array(calls) => Value::Array(calls.iter().map(one).collect()),
        call => one(call),
    };
    Response::json(200, &out)
}

fn client_config(shared: &Shared) -> Response {
    let chain = lock(&shared.chain);
    let base = format!("http://{}", shared.addr);
    let checkpoint = chain.trusted_checkpoint();
    Response::json(
        200,
        &json!({
            "network": chain.network.config().to_json(),
            "trustedCheckpoint": format!("{checkpoint:#x}"),
            "slotMs": shared.opts.slot_ms,
            "l1ChainId": crate::el::L1_CHAIN_ID,
            "inboxAddress": format!("{:#x}", crate::el::INBOX_ADDRESS),
            "rollup": rollup_config(&chain),
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
                "l2Rpc": format!("{base}/rpc/l2"),
            },
        }),
    )
}

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
    Response::json(
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

fn admin_advance(shared: &Shared, req: &Request) -> Response {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let slots = body
        .get("slots")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .min(10_000);
    let target = lock(&shared.chain).slot + slots;
    advance(shared, target);
    let chain = lock(&shared.chain);
    Response::json(
        200,
        &json!({"slot": chain.slot, "head": format!("{:#x}", chain.head().root)}),
    )
}

/// `POST /devnet/action {"l2Tx": "0x…"}`: queues a cross-domain action (the
/// signed L2 `Burner` call); the builder's next based block carries the burn
/// and the L1 block of the same slot the mint, or neither.
fn submit_action(shared: &Shared, req: &Request) -> Response {
    let raw = serde_json::from_slice::<Value>(&req.body)
        .ok()
        .and_then(|b| b.get("l2Tx").and_then(Value::as_str).map(str::to_owned))
        .and_then(|s| hex::decode(s.strip_prefix("0x").unwrap_or(&s)).ok());
    let Some(raw) = raw else {
        return Response::error(
            400,
            "expected {\"l2Tx\": \"0x<signed EIP-1559 Burner call>\"}",
        );
    };
    let mut chain = lock(&shared.chain);
    match chain.l2.submit_action(&raw) {
        Ok(a) => Response::json(200, &queued_action_json(&a)),
        Err(msg) => Response::error(400, &msg),
    }
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
        Ok(hash) => Response::json(200, &json!({"txHash": format!("{hash:#x}")})),
        Err(msg) => Response::error(400, &msg),
    }
}

/// `POST /devnet/demo/action`: the devnet signs a Burner call of one of its
/// users and queues it as a cross-domain action; answers like
/// `POST /devnet/action`.
fn demo_action(shared: &Shared) -> Response {
    let mut chain = lock(&shared.chain);
    match crate::demo::action(&mut chain.l2) {
        Ok(a) => Response::json(200, &queued_action_json(&a)),
        Err(msg) => Response::error(400, &msg),
    }
}

/// `GET /devnet/action/{l2TxHash}`: `pending` (queued for the builder),
/// `landed` (both legs: the based block carrying the burn and the canonical
/// L1 block carrying the mint, with `l1TxHash` the mint transaction), or `none` (never queued, its post-assertion
/// failed, or an L1 reorg removed both legs).
fn action_status(shared: &Shared, hash: &str) -> Response {
    let Ok(hash) = hash.parse::<B256>() else {
        return Response::error(400, "expected a transaction hash");
    };
    let chain = lock(&shared.chain);
    if chain.l2.actions.iter().any(|a| a.tx.hash == hash) {
        return Response::json(200, &json!({"status": "pending"}));
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
        (Some(e), Some((b, l1_tx))) => Response::json(
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
        _ => Response::json(200, &json!({"status": "none"})),
    }
}

fn admin_fault(shared: &Shared, req: &Request) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return Response::error(400, "expected a JSON body");
    };
    let mut chain = lock(&shared.chain);
    match crate::faults::apply(&mut chain, &body) {
        Ok(v) => Response::json(200, &v),
        Err(msg) => Response::error(400, &msg),
    }
}

/// Used by tests: the hash tree root of a light-client header's beacon part.
pub fn beacon_root(h: &preconf_light::beacon::BeaconBlockHeader) -> B256 {
    h.tree_hash_root()
}

/// Sync committee size served.
pub const SYNC_COMMITTEE_SIZE: usize = S;

fn feed_value(e: &crate::l2::L2Entry) -> Value {
    e.msg
        .to_json()
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(Value::Null)
}

fn rollup_blocks(shared: &Shared, req: &Request) -> Response {
    let chain = lock(&shared.chain);
    let from: u64 = req.param("from").and_then(|s| s.parse().ok()).unwrap_or(0);
    let forge = forged(&chain, "/rollup/blocks");
    let out: Vec<Value> = chain
        .l2
        .order
        .iter()
        .filter_map(|h| chain.l2.blocks.get(h))
        .filter(|e| e.msg.block.header.number >= from)
        .map(|e| {
            let parent_cert = chain
                .l2
                .blocks
                .get(&e.msg.block.header.parent_hash)
                .map(|p| p.msg.certificate.clone());
            match (forge, parent_cert) {
                // A real certificate, of another block (the parent's).
                (
                    Some(Forgery::BadSignature),
                    Some(c @ preconf_light::rollup::Certificate::Ecdsa(_)),
                ) if e.msg.certificate != preconf_light::rollup::Certificate::None => {
                    let mut forged = e.clone();
                    forged.msg.certificate = c;
                    feed_value(&forged)
                }
                _ => feed_value(e),
            }
        })
        .collect();
    Response::json(200, &Value::Array(out))
}

fn rollup_block(shared: &Shared, req: &Request, id: &str) -> Response {
    let chain = lock(&shared.chain);
    let Some(e) = parse_root(id).and_then(|h| chain.l2.blocks.get(&h)) else {
        return Response::error(404, "unknown L2 block");
    };
    if req.wants_ssz() {
        return match e.msg.encode_binary() {
            Ok(bytes) => Response {
                status: 200,
                content_type: "application/octet-stream",
                headers: Vec::new(),
                body: bytes,
            },
            Err(_) => Response::error(500, "feed message does not encode"),
        };
    }
    Response::json(200, &feed_value(e))
}

fn l2_rpc_route(shared: &Shared, req: &Request) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return Response::json(
            200,
            &json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "parse error"}}),
        );
    };
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
    Response::json(200, &out)
}

/// The rollup config clients need (PROTOCOL.md section 8 fields).
fn rollup_config(chain: &Chain) -> Value {
    let n = &chain.network;
    let config = preconf_light::rollup::RollupConfig {
        chain_id: crate::l2::L2_CHAIN_ID,
        sequencer: preconf_light::rollup::SequencerAuth::Key(chain.l2.address()),
        slot_ending: if chain.l2.opts.nth_rule {
            preconf_light::rollup::SlotEndingRule::NthBlock(
                u32::try_from(chain.l2.opts.blocks_per_slot).unwrap_or(u32::MAX),
            )
        } else {
            preconf_light::rollup::SlotEndingRule::Marker
        },
        stall_limit_slots: chain.l2.opts.stall_limit_slots,
        forced_inclusion_window_slots: crate::l2::FORCED_WINDOW_SLOTS,
        inbox: crate::el::INBOX_ADDRESS,
        l1: preconf_light::rollup::L1Timing {
            genesis_time: n.genesis_time(),
            seconds_per_slot: n.seconds_per_slot(),
            slots_per_epoch: n.preset().slots_per_epoch,
        },
    };
    let anchor = chain
        .l2
        .blocks
        .get(&chain.l2.genesis)
        .map(feed_value)
        .unwrap_or(Value::Null);
    let (sequencer, config_hash) = match &chain.l2.committee {
        None => (
            json!({ "kind": "key", "address": format!("{:#x}", chain.l2.address()) }),
            config.config_hash(),
        ),
        Some(c) => {
            let (hash_key, activation_key) =
                preconf_light::rollup::CommitteeAnnouncement::storage_keys(crate::l2::COMMITTEE_ID);
            (
                json!({
                    "kind": "committee",
                    "committeeId": crate::l2::COMMITTEE_ID,
                    "committeeHash": format!("{:#x}", c.hash),
                    "activationL1Slot": 0,
                    "members": c.members,
                    "storageKeys": { "hash": format!("{hash_key:#x}"), "activation": format!("{activation_key:#x}") },
                }),
                crate::l2::config_hash(&config, 2, c.hash.as_slice()),
            )
        }
    };
    json!({
        "chainId": config.chain_id,
        "sequencer": sequencer,
        "slotEnding": if chain.l2.opts.nth_rule {
            json!({ "nth": chain.l2.opts.blocks_per_slot })
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
        "blocksPerSlot": chain.l2.opts.blocks_per_slot,
        "basedEvery": chain.l2.opts.based_every,
    })
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
        while cur != c.prev && cur != chain.l2.genesis && !included.contains_key(&cur) {
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
fn l2_truth_route(shared: &Shared, req: &Request, rest: &str) -> Response {
    let chain = lock(&shared.chain);
    let from: u64 = req.param("from").and_then(|s| s.parse().ok()).unwrap_or(0);
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
    match rest.trim_start_matches('/') {
        "" => {
            let mut v = summary;
            v["blocks"] = Value::Array(all);
            Response::json(200, &v)
        }
        hash => {
            let want = hash.to_ascii_lowercase();
            match all
                .into_iter()
                .find(|b| b["hash"].as_str() == Some(want.as_str()))
            {
                Some(mut b) => {
                    b["at"] = summary;
                    Response::json(200, &b)
                }
                None => Response::error(404, "unknown L2 block"),
            }
        }
    }
}
