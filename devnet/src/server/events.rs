//! The slot ticker, chain advancement, and the event hub that feeds the
//! beacon event stream (`/eth/v1/events`), the sequencer feed over SSE
//! (`/rollup/feed`) and over WebSocket (`/rollup/ws`).
//!
//! ```text
//!  ticker / admin advance ──► advance(slot): Chain::advance_to, per L1 block:
//!      head, light_client_optimistic_update, light_client_finality_update,
//!      and a `block` event per feed message ──► Hub::publish (broadcast)
//!  subscriber (SSE or WebSocket) ──► Hub::subscribe ──► its topics only
//! ```
//!
//! The hub is a bounded broadcast channel: a subscriber that falls more than
//! [`HUB_CAPACITY`] events behind is disconnected (it reconnects and fetches
//! what it missed), so a stalled client cannot grow the devnet's memory.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::{Shared, lock, now_ms, reply};
use crate::beacon_json as bj;
use crate::chain::Chain;

/// SSE event name (and hub topic) of sequencer feed messages.
pub const ROLLUP_TOPIC: &str = "block";
/// Events a subscriber may fall behind before it is disconnected.
pub const HUB_CAPACITY: usize = 1 << 16;
/// Largest WebSocket message a feed client may send (it is read and dropped).
const MAX_WS_INCOMING: usize = 64 * 1024;
/// Idle time after which streams send a keep-alive (SSE comment, WebSocket ping).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// One event: topic and data (a JSON text).
#[derive(Debug)]
pub struct Event {
    /// Topic (SSE event name).
    pub topic: String,
    /// Data line.
    pub data: String,
}

/// Broadcast of events to every stream.
pub struct Hub {
    tx: broadcast::Sender<Arc<Event>>,
}

impl Hub {
    /// An empty hub.
    pub fn new() -> Self {
        Self {
            tx: broadcast::channel(HUB_CAPACITY).0,
        }
    }

    /// Sends events to the current subscribers (none: dropped).
    pub fn publish(&self, events: Vec<(String, Value)>) {
        for (topic, data) in events {
            let data = match data {
                Value::String(raw) => raw,
                other => other.to_string(),
            };
            let _ = self.tx.send(Arc::new(Event { topic, data }));
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

/// The next event on one of `topics`; `None` when the subscriber lagged or the hub closed.
async fn next_on(
    rx: &mut broadcast::Receiver<Arc<Event>>,
    topics: &[String],
) -> Option<Arc<Event>> {
    loop {
        match rx.recv().await {
            Ok(e) if topics.iter().any(|t| *t == e.topic) => return Some(e),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// An SSE stream of `topics` (subscribed before the response head is sent).
pub fn sse(shared: &Shared, topics: Vec<String>) -> Response {
    let rx = shared.hub.subscribe();
    let stream = futures_util::stream::unfold((rx, topics), |(mut rx, topics)| async move {
        let e = next_on(&mut rx, &topics).await?;
        let event = SseEvent::default().event(&e.topic).data(&e.data);
        Some((Ok::<_, Infallible>(event), (rx, topics)))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
        .into_response()
}

/// `GET /rollup/ws`: the feed over WebSocket, one text frame (feed message
/// JSON) per block and a ping when idle; 426 without the upgrade headers.
pub async fn feed_ws(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Ok(ws) = ws else {
        return reply::error(426, "WebSocket upgrade required");
    };
    let rx = shared.hub.subscribe();
    // Send-only: what a client sends is read and dropped, so keep it small.
    ws.max_message_size(MAX_WS_INCOMING)
        .max_frame_size(MAX_WS_INCOMING)
        .on_upgrade(move |socket| ws_feed(socket, rx))
}

async fn ws_feed(mut socket: WebSocket, mut rx: broadcast::Receiver<Arc<Event>>) {
    let topics = [ROLLUP_TOPIC.to_string()];
    loop {
        let out = tokio::select! {
            e = next_on(&mut rx, &topics) => match e {
                Some(e) => Message::Text(e.data.clone().into()),
                None => break,
            },
            // Send-only: read to answer pings and notice a close.
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
            () = tokio::time::sleep(KEEP_ALIVE) => Message::Ping(Default::default()),
        };
        if socket.send(out).await.is_err() {
            break;
        }
    }
}

/// Produces slots on the wall clock (not in `--manual` mode), releasing each
/// slot's sequenced blocks during the slot before it.
pub fn ticker(shared: &Shared) {
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
        std::thread::sleep(Duration::from_millis(wait as u64));
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
    shared.hub.publish(events);
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

/// Advances the chain to `slot` (applying scheduled reorgs and faults) and
/// publishes the events.
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
            drain_outbox(&mut chain, &mut events);
            if produced.is_empty() {
                drain_late(&mut chain, &mut events);
                continue;
            }
            l1_block_events(&mut chain, &mut events);
            drain_late(&mut chain, &mut events);
        }
    }
    shared.hub.publish(events);
}

/// The beacon events of a new L1 head: `head`, and the light-client updates
/// unless withheld (a finality update only when the finalized checkpoint moved).
fn l1_block_events(chain: &mut Chain, events: &mut Vec<(String, Value)>) {
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
    if chain.faults.withhold_updates {
        return;
    }
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
    let finalized_changed =
        attested_finalized.is_some_and(|f| !f.1.is_zero() && chain.emitted_finality != Some(f));
    if finalized_changed {
        chain.emitted_finality = attested_finalized;
        if let Some(u) = chain.finality_update() {
            events.push((
                "light_client_finality_update".into(),
                bj::envelope(fork, bj::finality_update(&u)),
            ));
        }
    }
}
