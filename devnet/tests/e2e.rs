//! End-to-end soundness: the devnet on loopback, the library's engine fed
//! ONLY with what a client fetched over HTTP and verified, random faults
//! over thousands of L1 slots and several seeds, and the engine's levels
//! checked against the devnet's ground truth (`/devnet/truth/l2`).
//!
//! ```text
//!  per L1 slot:  random fault (admin API) ─► POST /devnet/admin/advance
//!   L2: /rollup/blocks ─► engine.step(Input::L2Block) (certificate, rules)
//!   L1: LC updates (sync committee) ─► optimistic / finalized headers
//!       ─► l1_adapter::from_light_client ─► engine.step(Input::L1Heads)
//!       ─► while the step needs: eth_getBlockByHash ─► Input::L1Block (the
//!          parent path back to a held block), eth_getBlockReceipts ─►
//!          Input::L1Receipts (inbox logs);  engine.step(Input::Tick(slot start))
//!   forged responses (admin `forge`): the verifier rejects, no level moves
//!   truth: levels vs /devnet/truth/l2 (the invariants below)
//! ```
//!
//! Invariants (the rollup-core issue's soundness rules):
//! 1. `finalized` only for blocks the truth has finalized;
//! 2. `included` only for blocks the truth has committed now or within the
//!    verification lag of docs/PROTOCOL.md section 9 ([`LAG_SLOTS`] plus one
//!    per missed L1 slot since the truth last called them committed: a
//!    change of the L1 chain is verifiable only once the next L1 block's
//!    sync aggregate signs it, so a reorg followed by missed slots stays
//!    invisible until a block of the new branch is signed);
//! 3. every true revert of a block the engine ranked above `pending` is
//!    reported (`reverted`, or `pending` with reason `equivocation`) within
//!    the same verification lag of the revert;
//! 4. levels go down only with a typed reason;
//! 5. forged responses are rejected and change no level. A forgery that
//!    changes nothing (the forged answer equals the genuine one, e.g. a
//!    "wrong receipt" of a block without logs) is not a lie: it is skipped
//!    and counted, and every run must check some real forgeries.
//!
//! CI runs 4 seeds × 500 slots (`E2E_SLOTS=N` per seed); the long soak
//! (seeds 10–15 × 3000 slots) is `make soak-e2e`, i.e.
//! `cargo test --profile soak -p preconf-devnet --test e2e -- --ignored`
//! (release optimization with unwinding; see the `soak` profile in Cargo.toml).

mod common;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;

use alloy_primitives::B256;
use common::*;
use preconf_devnet::Options;
use preconf_devnet::keys::derive;
use preconf_devnet::l2::L2Options;
use preconf_light::beacon::{
    BeaconError, MinimalLightClient, Network, bootstrap_from_json, finality_update_from_json,
    optimistic_update_from_json, updates_from_json,
};
use preconf_light::confidence::l1_adapter::{
    LightClientHead, anchor_from_genesis, from_light_client,
};
use preconf_light::confidence::{Engine, Event, Input, Level, Query, Step};
use preconf_light::execution::{verify_block, verify_block_receipts};
use preconf_light::rollup::{
    FeedMessage, L1Timing, RollupConfig, RollupSetup, SequencerAuth, SlotEndingRule,
};
use serde_json::{Value, json};

/// Slots a verified L1 view may trail the devnet's truth (see invariant 2),
/// plus one per missed L1 slot in between ([`lag_allowance`]). From
/// docs/PROTOCOL.md section 9, "Verification lag": a change of the canonical
/// L1 chain in the block of slot `s` is verifiable from `slotStart(s + 2)`
/// (the ETA `slot-ending -> included` is `slotStart(S + 2)`), one slot later
/// per missed slot after `s`.
const LAG_SLOTS: u64 = 2;
/// The client polls the finality update every this many slots.
const FINALITY_POLL_SLOTS: u64 = 4;
/// Feed messages re-fetched below the highest number seen (refused blocks are retried).
const FEED_WINDOW: u64 = 16;

/// The client: a light client, the engine, and what it has ingested.
struct Client {
    addr: SocketAddr,
    network: Network,
    lc: MinimalLightClient,
    engine: Engine,
    timing: L1Timing,
    /// L2 blocks offered to the engine (accepted or not).
    seen_l2: HashSet<B256>,
    /// Highest L2 number fetched from the feed.
    feed_from: u64,
    /// Level drops without a reason (invariant 4).
    untyped_drops: Vec<String>,
    /// Largest observed revert-report lag, in slots.
    max_revert_lag: u64,
    /// True reverts the engine has reported.
    reported: HashSet<B256>,
    /// Forgeries checked (the forged answer differed from the genuine one).
    forgeries_checked: u64,
    /// Forgeries skipped because the forged answer equalled the genuine one.
    forgeries_unchanged: u64,
}

fn rollup_config(config: &Value) -> RollupConfig {
    let r = &config["rollup"];
    RollupConfig {
        chain_id: r["chainId"].as_u64().expect("chain id"),
        sequencer: SequencerAuth::Key(
            r["sequencer"]["address"]
                .as_str()
                .expect("key mode")
                .parse()
                .expect("address"),
        ),
        slot_ending: SlotEndingRule::Marker,
        stall_limit_slots: r["stallLimitSlots"].as_u64().expect("K"),
        forced_inclusion_window_slots: r["forcedInclusionWindowSlots"].as_u64().expect("w"),
        inbox: r["inbox"]
            .as_str()
            .expect("inbox")
            .parse()
            .expect("address"),
        l1: L1Timing {
            genesis_time: r["l1"]["genesisTime"].as_u64().expect("genesis"),
            seconds_per_slot: r["l1"]["secondsPerSlot"].as_u64().expect("sps"),
            slots_per_epoch: r["l1"]["slotsPerEpoch"].as_u64().expect("spe"),
        },
    }
}

impl Client {
    fn new(addr: SocketAddr) -> Self {
        let config = get_json(addr, "/devnet/client-config");
        let network = Network::from_json(&config["network"]).expect("network");
        let checkpoint: B256 = config["trustedCheckpoint"]
            .as_str()
            .expect("cp")
            .parse()
            .expect("root");
        let boot = bootstrap_from_json::<32>(&get(
            addr,
            &format!("/eth/v1/beacon/light_client/bootstrap/{checkpoint:#x}"),
        ))
        .expect("bootstrap decodes");
        let lc = MinimalLightClient::from_bootstrap(network.clone(), checkpoint, &boot.data)
            .expect("bootstrap verifies");
        let rollup = rollup_config(&config);
        let timing = rollup.l1;
        let genesis = FeedMessage::from_json(&config["rollup"]["genesis"].to_string())
            .expect("genesis feed message");
        let l1 = from_light_client(&lc, LightClientHead::Finalized, &timing)
            .expect("the trusted checkpoint is an L1 block");
        let anchor =
            anchor_from_genesis(&rollup, &l1, genesis.block.header.clone()).expect("anchor");
        let setup = RollupSetup {
            config: rollup,
            genesis: Some(genesis.block.header.clone()),
            batch_program_vkey: None,
        };
        let engine = Engine::new(setup, l1, anchor).expect("engine");
        Self {
            addr,
            network,
            lc,
            engine,
            timing,
            seen_l2: HashSet::from([genesis.block.header.hash()]),
            feed_from: 0,
            untyped_drops: Vec::new(),
            max_revert_lag: 0,
            reported: HashSet::new(),
            forgeries_checked: 0,
            forgeries_unchanged: 0,
        }
    }

    fn record(&mut self, events: &[Event]) {
        for e in events {
            if let Event::LevelChanged {
                subject,
                from,
                to,
                reason,
                ..
            } = e
                && to.rank() < from.rank()
                && reason.is_none()
            {
                self.untyped_drops
                    .push(format!("{subject:?} {from:?} -> {to:?}"));
            }
        }
    }

    /// New feed messages, offered to the engine in order.
    fn sync_l2(&mut self) {
        let feed = get_json(
            self.addr,
            &format!("/rollup/blocks?from={}", self.feed_from),
        );
        for m in feed.as_array().expect("array") {
            let msg = FeedMessage::from_json(&m.to_string()).expect("feed message decodes");
            let hash = msg.block.header.hash();
            self.feed_from = self
                .feed_from
                .max(msg.block.header.number.saturating_sub(FEED_WINDOW));
            if self.seen_l2.contains(&hash) {
                continue;
            }
            // A block refused now (its parent or L1 parent not known yet, or
            // breaking a rule) is offered again with the next fetch.
            if let Ok(step) = self.engine.step(Input::L2Block(msg)) {
                self.seen_l2.insert(hash);
                self.record(&step.events);
            }
        }
    }

    /// A committed header the derivation waits for, fetched by hash.
    fn fetch_awaited(&mut self) {
        for _ in 0..8 {
            let Some(hash) = self.engine.needs().l2_block else {
                return;
            };
            let (status, body) = http(self.addr, "GET", &format!("/rollup/block/{hash:#x}"), "");
            if status != 200 {
                return;
            }
            let msg = FeedMessage::from_json(std::str::from_utf8(&body).expect("utf8"))
                .expect("feed message");
            match self.engine.step(Input::L2Block(msg)) {
                Ok(step) => {
                    self.seen_l2.insert(hash);
                    self.record(&step.events);
                }
                Err(_) => return,
            }
        }
    }

    /// Light-client updates, then the L1 chain up to the optimistic head.
    fn sync_l1(&mut self, slot: u64) {
        let period = self.lc.finalized_period();
        let behind = self.network.period_at_slot(slot).saturating_sub(period);
        if behind > 0 {
            let text = get(
                self.addr,
                &format!(
                    "/eth/v1/beacon/light_client/updates?start_period={period}&count={}",
                    behind + 1
                ),
            );
            for u in updates_from_json::<32>(&text).expect("updates decode") {
                match self.lc.process_update_at_slot(&u.data, slot) {
                    Ok(_) | Err(BeaconError::NotRelevant { .. }) => {}
                    Err(e) => panic!("slot {slot}: genuine update rejected: {e}"),
                }
            }
        }
        // The finalized checkpoint moves once an epoch: poll it every few slots.
        if slot.is_multiple_of(FINALITY_POLL_SLOTS) {
            let fin = finality_update_from_json::<32>(&get(
                self.addr,
                "/eth/v1/beacon/light_client/finality_update",
            ))
            .expect("finality decodes");
            match self
                .lc
                .process_update_at_slot(&fin.data.into_update(fin.fork), slot)
            {
                Ok(_) | Err(BeaconError::NotRelevant { .. }) => {}
                Err(e) => panic!("slot {slot}: genuine finality update rejected: {e}"),
            }
        }
        let opt = optimistic_update_from_json::<32>(&get(
            self.addr,
            "/eth/v1/beacon/light_client/optimistic_update",
        ))
        .expect("optimistic decodes");
        match self
            .lc
            .process_update_at_slot(&opt.data.into_update(opt.fork), slot)
        {
            Ok(_) | Err(BeaconError::NotRelevant { .. }) => {}
            Err(e) => panic!("slot {slot}: genuine optimistic update rejected: {e}"),
        }
        let head = from_light_client(&self.lc, LightClientHead::Optimistic, &self.timing)
            .expect("optimistic header");
        let finalized = from_light_client(&self.lc, LightClientHead::Finalized, &self.timing)
            .expect("finalized header");
        // The engine walks back to a block it holds and asks for each
        // parent and each block's receipts; every answer is verified inside.
        let mut step = self
            .engine
            .step(Input::L1Heads { head, finalized })
            .expect("verified heads");
        loop {
            self.record(&step.events);
            step = if let Some(hash) = step.needs.l1_block {
                let block = rpc(
                    self.addr,
                    "eth_getBlockByHash",
                    json!([format!("{hash:#x}"), false]),
                );
                self.engine
                    .step(Input::L1Block(block))
                    .expect("verified L1 parent extends a known block")
            } else if let Some(hash) = step.needs.l1_receipts.first().copied() {
                let receipts = rpc(
                    self.addr,
                    "eth_getBlockReceipts",
                    json!([format!("{hash:#x}")]),
                );
                self.engine
                    .step(Input::L1Receipts {
                        block_hash: hash,
                        receipts,
                    })
                    .expect("receipts verify")
            } else {
                break;
            };
        }
        self.fetch_awaited();
        let now = self.timing.genesis_time + slot * self.timing.seconds_per_slot;
        let step: Step = self.engine.step(Input::Tick(now)).expect("tick");
        self.record(&step.events);
    }

    fn level_of(&self, hash: &B256) -> Option<Level> {
        self.engine
            .query(&Query::Block(*hash))
            .into_status()
            .map(|s| s.level)
    }

    fn levels(&self) -> HashMap<B256, Level> {
        self.seen_l2
            .iter()
            .filter_map(|h| self.level_of(h).map(|l| (*h, l)))
            .collect()
    }
}

/// Switches the forgery `forgery` of `endpoint` on or off.
fn forge(addr: SocketAddr, endpoint: &str, forgery: &str, on: bool) {
    fault(
        addr,
        json!({"kind": "forge", "endpoint": endpoint, "forgery": forgery, "on": on}),
    );
}

/// `fetch` with the forgery of `endpoint` off, then on (the devnet's clock is
/// manual, so nothing else changes in between): (genuine, forged).
fn genuine_and_forged<T>(
    addr: SocketAddr,
    endpoint: &str,
    forgery: &str,
    fetch: impl Fn() -> T,
) -> (T, T) {
    forge(addr, endpoint, forgery, false);
    let genuine = fetch();
    forge(addr, endpoint, forgery, true);
    let forged = fetch();
    forge(addr, endpoint, forgery, false);
    (genuine, forged)
}

/// A forged response on a random endpoint: the verifier must refuse it and
/// nothing may move. A forgery that leaves the answer as it was (nothing to
/// forge in it) is no lie: it is counted and its check skipped.
fn check_forgery(c: &mut Client, r: u8, slot: u64) {
    let before = c.levels();
    let addr = c.addr;
    match r % 3 {
        0 => {
            const EP: &str = "/eth/v1/beacon/light_client/optimistic_update";
            let (genuine, forged) = genuine_and_forged(addr, EP, "bad_signature", || get(addr, EP));
            if genuine == forged {
                c.forgeries_unchanged += 1;
            } else {
                c.forgeries_checked += 1;
                let opt = optimistic_update_from_json::<32>(&forged).expect("decodes");
                let out =
                    c.lc.verify_update_at_slot(&opt.data.into_update(opt.fork), slot);
                assert!(
                    matches!(out, Err(ref e) if !matches!(e, BeaconError::NotRelevant { .. })),
                    "slot {slot}: forged signature accepted: {out:?}"
                );
            }
        }
        1 => {
            let head =
                from_light_client(&c.lc, LightClientHead::Optimistic, &c.timing).expect("head");
            let hash = format!("{:#x}", head.block.block_hash);
            let block = verify_block(
                &rpc(addr, "eth_getBlockByHash", json!([hash, true])),
                Some(head.block.block_hash),
            )
            .expect("block");
            let (genuine, forged) =
                genuine_and_forged(addr, "eth_getBlockReceipts", "wrong_receipt", || {
                    rpc(addr, "eth_getBlockReceipts", json!([hash]))
                });
            // A block without logs has nothing to forge (both answers verify),
            // and a head a reorg has just dropped has no receipts to serve
            // (the RPC answers null for a block off its canonical chain).
            if genuine == forged {
                c.forgeries_unchanged += 1;
            } else {
                c.forgeries_checked += 1;
                assert!(
                    verify_block_receipts(&block, &genuine).is_ok(),
                    "slot {slot}: genuine receipts refused"
                );
                let out = verify_block_receipts(&block, &forged);
                assert!(out.is_err(), "slot {slot}: forged receipt accepted");
            }
        }
        _ => {
            let path = format!("/rollup/blocks?from={}", c.feed_from);
            let (genuine, forged) =
                genuine_and_forged(addr, "/rollup/blocks", "bad_signature", || {
                    get_json(addr, &path)
                });
            let genuine = genuine.as_array().expect("array");
            let forged = forged.as_array().expect("array");
            assert_eq!(genuine.len(), forged.len(), "slot {slot}: feed length");
            for (g, m) in genuine.iter().zip(forged) {
                // Blocks without a certificate, or whose parent has none to
                // borrow, are served as they are.
                if g == m {
                    c.forgeries_unchanged += 1;
                    continue;
                }
                c.forgeries_checked += 1;
                let msg = FeedMessage::from_json(&m.to_string()).expect("decodes");
                assert!(
                    c.engine.verify_l2_block(msg).is_err(),
                    "slot {slot}: forged certificate accepted"
                );
            }
        }
    }
    assert_eq!(before, c.levels(), "slot {slot}: a forgery moved a level");
}

/// The L1 slots the devnet has missed so far (`/devnet/truth`).
fn missed_slots(addr: SocketAddr) -> Vec<u64> {
    get_json(addr, "/devnet/truth")["missedSlots"]
        .as_array()
        .expect("missed")
        .iter()
        .filter_map(Value::as_u64)
        .collect()
}

/// A cache of the devnet's missed slots (the list only grows).
#[derive(Default)]
struct Missed {
    slots: Vec<u64>,
    read_at: Option<u64>,
}

impl Missed {
    /// [`lag_allowance`] at `slot` for a change after `since`; re-reads the
    /// list (once per slot) when the cached one would not allow `lag`, or
    /// when asked for the full allowance (`lag` 0 after the base lag).
    fn allowance(&mut self, addr: SocketAddr, since: u64, slot: u64, lag: u64) -> u64 {
        let cached = lag_allowance(&self.slots, since, slot);
        if (lag > cached || lag == 0) && self.read_at != Some(slot) {
            self.slots = missed_slots(addr);
            self.read_at = Some(slot);
            return lag_allowance(&self.slots, since, slot);
        }
        cached
    }
}

/// The verification lag allowed at `slot` for a truth change after slot
/// `since` (docs/PROTOCOL.md section 9, "Verification lag"): [`LAG_SLOTS`],
/// plus one per L1 slot in `(since, slot]` that the devnet missed (`missed`,
/// ascending).
fn lag_allowance(missed: &[u64], since: u64, slot: u64) -> u64 {
    let n = missed.iter().filter(|m| **m > since && **m <= slot).count() as u64;
    LAG_SLOTS + n
}

/// Truth history: block -> slots at which the truth called it committed.
#[derive(Default)]
struct TruthLog {
    committed_at: HashMap<B256, u64>,
    reverted_at: HashMap<B256, (u64, String)>,
}

fn run(seed: u64, slots: u64) -> (u64, u64) {
    let addr = start_opts(Options {
        seed,
        l2: L2Options {
            blocks_per_slot: 2,
            based_every: 3,
            stall_limit_slots: 6,
            committee: false,
            nth_rule: false,
        },
        ..Options::default()
    });
    advance(addr, 1);
    let mut c = Client::new(addr);
    let mut log = TruthLog::default();
    let mut checks = 0u64;
    let mut slot = 1;
    let mut history: Vec<(u64, Value)> = Vec::new();
    let mut truth_from = 0u64;
    // The devnet's missed L1 slots (they only grow), re-read at most once a
    // slot and only when a check would fail or a revert would settle with
    // the cached list: a stale list only makes the allowance smaller.
    let mut missed = Missed::default();
    // Reverted blocks past their report lag (no longer keep truth_from low).
    let mut settled_reverts: HashSet<B256> = HashSet::new();
    // Wall time: devnet advance, L2 sync, L1 sync, truth checks.
    let mut timing = [std::time::Duration::ZERO; 4];
    while slot < slots {
        let r = derive(seed, "e2e", slot)[0];
        let body = match r {
            0..=9 => Some(json!({"kind": "missed_slot", "count": 1 + u64::from(r % 3)})),
            10..=15 => Some(json!({"kind": "reorg", "depth": 1 + u64::from(r % 2)})),
            16..=18 => Some(json!({"kind": "equivocate"})),
            19..=23 => Some(json!({"kind": "force_tx"})),
            24..=26 => Some(json!({"kind": "sequencer_stall", "slots": 2 + u64::from(r % 6)})),
            27..=29 => Some(json!({"kind": "skip_slot_ending"})),
            30..=32 => Some(json!({"kind": "late_slot_ending"})),
            33..=34 => Some(json!({"kind": "no_builder", "on": r == 33})),
            _ => None,
        };
        if let Some(b) = body {
            history.push((slot, b.clone()));
            fault(addr, b);
        }
        let t0 = std::time::Instant::now();
        slot = advance(addr, 1);
        let t1 = std::time::Instant::now();
        c.sync_l2();
        let t2 = std::time::Instant::now();
        c.sync_l1(slot);
        let t3 = std::time::Instant::now();
        timing[0] += t1 - t0;
        timing[1] += t2 - t1;
        timing[2] += t3 - t2;
        if (35..=40).contains(&r) {
            check_forgery(&mut c, r, slot);
        }
        // Ground truth now.
        // Blocks below the lowest non-finalized number are finalized for good.
        let truth = get_json(addr, &format!("/devnet/truth/l2?from={truth_from}"));
        let mut lowest_open = u64::MAX;
        for b in truth["blocks"].as_array().expect("blocks") {
            let hash: B256 = b["hash"].as_str().expect("hash").parse().expect("b256");
            let fate = b["truth"]["fate"].as_str().expect("fate");
            let settled = fate == "finalized"
                || (fate == "reverted"
                    && (settled_reverts.contains(&hash)
                        || b["truth"]["atL1Slot"].as_u64().is_some_and(|at| {
                            let past = slot > at + LAG_SLOTS + 1
                                && slot > at + missed.allowance(addr, at, slot, 0) + 1;
                            if past {
                                settled_reverts.insert(hash);
                            }
                            past
                        })));
            if !settled {
                lowest_open = lowest_open.min(b["number"].as_u64().expect("number"));
            }
            match fate {
                "included" | "finalized" => {
                    log.committed_at.insert(hash, slot);
                }
                "reverted" => {
                    let at = b["truth"]["atL1Slot"].as_u64().unwrap_or(slot);
                    let reason = b["truth"]["reason"].as_str().unwrap_or("").to_string();
                    log.reverted_at.entry(hash).or_insert((at, reason));
                }
                _ => {}
            }
            let Some(level) = c.level_of(&hash) else {
                continue;
            };
            checks += 1;
            match level {
                Level::Finalized => assert_eq!(
                    fate, "finalized",
                    "seed {seed} slot {slot}: {hash} finalized by the engine, truth {fate}"
                ),
                Level::Included => assert!(
                    matches!(fate, "included" | "finalized")
                        || log.committed_at.get(&hash).is_some_and(|s| {
                            let lag = slot - s;
                            lag <= LAG_SLOTS || lag <= missed.allowance(addr, *s, slot, lag)
                        }),
                    "seed {seed} slot {slot}: {hash} included by the engine, truth {fate}"
                ),
                _ => {}
            }
            if let Some((at, reason)) = log.reverted_at.get(&hash) {
                let reported = level == Level::Reverted
                    || (level == Level::Pending && reason == "equivocation");
                if !reported {
                    let lag = slot.saturating_sub(*at);
                    let allowed = if lag > LAG_SLOTS {
                        missed.allowance(addr, *at, slot, lag)
                    } else {
                        LAG_SLOTS
                    };
                    if lag > allowed {
                        eprintln!(
                            "block {b}\nengine {:?}\nfaults {:?}\nbased {}",
                            c.engine.query(&Query::Block(hash)).into_status(),
                            &history[history.len().saturating_sub(8)..],
                            truth["basedModeSlots"]
                        );
                    }
                    assert!(
                        lag <= allowed,
                        "seed {seed} slot {slot}: {hash} reverted ({reason}) at {at}, engine still {level:?}"
                    );
                } else if c.reported.insert(hash) {
                    c.max_revert_lag = c.max_revert_lag.max(slot.saturating_sub(*at));
                }
            }
        }
        timing[3] += t3.elapsed();
        // Settled blocks (finalized; reverted and past the report lag) are
        // skipped from now on.
        if lowest_open != u64::MAX {
            truth_from = truth_from.max(lowest_open);
        }
    }
    assert!(
        c.untyped_drops.is_empty(),
        "seed {seed}: level drops without a reason: {:?}",
        c.untyped_drops
    );
    eprintln!(
        "seed {seed}: advance {:?}, L2 sync {:?}, L1 sync {:?}, truth {:?}",
        timing[0], timing[1], timing[2], timing[3]
    );
    eprintln!(
        "seed {seed}: {} forgeries checked, {} forged answers equal to the genuine ones (skipped)",
        c.forgeries_checked, c.forgeries_unchanged
    );
    assert!(
        c.forgeries_checked > 0,
        "seed {seed}: no forgery was checked"
    );
    let included = c
        .levels()
        .values()
        .filter(|l| matches!(l, Level::Included | Level::Finalized))
        .count();
    assert!(
        included as u64 > slots / 4,
        "seed {seed}: only {included} blocks reached included"
    );
    (checks, c.max_revert_lag)
}

#[test]
fn engine_levels_are_sound_against_ground_truth_under_random_faults() {
    let slots_env = std::env::var("E2E_SLOTS").ok().and_then(|s| s.parse().ok());
    const DEFAULT_SLOTS: u64 = 500;
    let slots: u64 = slots_env.unwrap_or(DEFAULT_SLOTS);
    let mut total_slots = 0;
    for seed in [3, 1, 2, 4] {
        let (checks, lag) = run(seed, slots);
        assert!(checks > 1000, "seed {seed}: {checks} checks");
        eprintln!("seed {seed}: {checks} level checks, largest revert-report lag {lag} slots");
        total_slots += slots;
    }
    assert!(total_slots >= 2000);
}

#[test]
#[ignore = "soak: make soak-e2e (cargo test --profile soak ... -- --ignored)"]
fn engine_levels_soak() {
    // Every seed runs even when an earlier one fails, so one failure does
    // not hide the others; the test fails at the end if any did.
    // E2E_SOAK_SEEDS=12,14 re-runs some seeds (default 10..=15).
    let seeds: Vec<u64> = std::env::var("E2E_SOAK_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| (10..16).collect());
    let mut failed = Vec::new();
    for seed in seeds {
        let started = std::time::Instant::now();
        match std::panic::catch_unwind(|| run(seed, 3000)) {
            Ok((checks, lag)) => eprintln!(
                "soak seed {seed}: 3000 slots passed in {:?}: {checks} level checks, largest revert-report lag {lag} slots",
                started.elapsed()
            ),
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                eprintln!(
                    "soak seed {seed}: FAILED after {:?}: {msg}",
                    started.elapsed()
                );
                failed.push((seed, msg));
            }
        }
    }
    assert!(failed.is_empty(), "soak seeds failed: {failed:?}");
}
