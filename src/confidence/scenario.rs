//! A deterministic scenario generator that knows each block's true fate.
//!
//! Each step is one L1 slot: the sequencer certifies 1-3 blocks (the last one
//! slot-ending), sometimes equivocates; a based builder sometimes builds on
//! the slot-ending block (or on the committed head in based mode); the L1
//! proposer sometimes misses the slot; the L1 block sometimes reorgs out the
//! previous one or two blocks; the batch poster sometimes stalls for several
//! slots. The truth (committed, finalized, reverted) is recomputed naively
//! from the generator's own L1 chain and compared with the engine.

use std::collections::{HashMap, HashSet};

use alloy_primitives::B256;

use super::*;
use crate::Verified;
use crate::rollup::l1::encode_commit_log;
use crate::rollup::testkit::*;
use crate::rollup::{FinalizedCheckpoint, L1Block, L1Log, L2Header};

/// The stall limit of the test config (the protocol default).
const STALL_K: u64 = crate::rollup::config::DEFAULT_STALL_LIMIT_SLOTS;

/// splitmix64: a small deterministic PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Open,
    Committed,
    Finalized,
    Reverted,
}

struct World {
    rng: Rng,
    key: k256::ecdsa::SigningKey,
    eng: Engine,
    /// The generator's canonical L1 chain (index 0 = genesis) and the logs of each block.
    l1: Vec<L1Block>,
    l1_logs: HashMap<B256, Vec<(B256, u64)>>,
    blocks: HashMap<B256, L2Header>,
    order: Vec<B256>,
    seq_tip: L2Header,
    stall_until: u64,
    finalized_slot: u64,
    salt: u64,
    /// Fate of each block at the previous step.
    prev_truth: HashMap<B256, Fate>,
    stats: Stats,
}

#[derive(Debug, Default)]
struct Stats {
    reorgs: u64,
    missed: u64,
    based_included: u64,
    based_mode_slots: u64,
    equivocations: u64,
    reverted: u64,
    finalized: u64,
}

/// The truth derived from the generator's L1 chain.
struct Truth {
    fate: HashMap<B256, Fate>,
    committed_hash: B256,
    last_commit_slot: u64,
    based_mode: bool,
}

impl World {
    fn new(seed: u64) -> Self {
        let key = signing_key(1);
        let eng = Engine::with_config(config(&key), anchor()).unwrap();
        let a = anchor_header();
        let mut blocks = HashMap::new();
        blocks.insert(a.hash(), a.clone());
        Self {
            rng: Rng(seed),
            key,
            eng,
            l1: vec![l1_genesis()],
            l1_logs: HashMap::new(),
            blocks,
            order: vec![a.hash()],
            seq_tip: a,
            stall_until: 0,
            finalized_slot: 0,
            salt: 0,
            prev_truth: HashMap::new(),
            stats: Stats::default(),
        }
    }

    fn head(&self) -> L1Block {
        *self.l1.last().unwrap()
    }

    fn add_l2(&mut self, parent: &L2Header, kind: u8, slot: u64) -> L2Header {
        self.salt += 1;
        let head = self.head();
        let b = l2_child(parent, kind, slot, &head, vec![], self.salt);
        let h = b.header.clone();
        let msg = if kind == BASED {
            based(b)
        } else {
            certified(&self.key, b)
        };
        let events = self.eng.ingest_feed_message(msg).unwrap();
        self.check_events(&events);
        self.blocks.insert(h.hash(), h.clone());
        self.order.push(h.hash());
        h
    }

    /// Naive derivation over the generator's canonical chain (PROTOCOL.md section 5).
    fn truth(&self) -> Truth {
        let anchor = anchor_header().hash();
        let mut committed = anchor;
        let mut committed_number = 0;
        let mut last_commit_slot = 0;
        let mut based_mode = false;
        let mut commit_slot: HashMap<B256, u64> = HashMap::from([(anchor, 0)]);
        for b in self.l1.iter().skip(1) {
            if b.slot > last_commit_slot + STALL_K {
                based_mode = true;
            }
            for (hash, number) in self.l1_logs.get(&b.beacon_root).into_iter().flatten() {
                let mut cur = *hash;
                while cur != committed {
                    commit_slot.insert(cur, b.slot);
                    cur = self.blocks[&cur].parent_hash;
                }
                committed = *hash;
                committed_number = *number;
                last_commit_slot = b.slot;
                based_mode = false;
            }
        }
        let head_slot = self.head().slot;
        let mut fate: HashMap<B256, Fate> = HashMap::new();
        let mut on_chain = HashSet::new();
        let mut cur = committed;
        loop {
            on_chain.insert(cur);
            if cur == anchor {
                break;
            }
            cur = self.blocks[&cur].parent_hash;
        }
        for h in &self.order {
            let b = &self.blocks[h];
            let f = if on_chain.contains(h) {
                if commit_slot
                    .get(h)
                    .is_some_and(|s| *s <= self.finalized_slot)
                {
                    Fate::Finalized
                } else {
                    Fate::Committed
                }
            } else if b.number <= committed_number
                || fate.get(&b.parent_hash) == Some(&Fate::Reverted)
                || (b.kind == BASED && head_slot >= b.l1_slot)
                || (b.kind != BASED && based_mode)
            {
                Fate::Reverted
            } else {
                Fate::Open
            };
            fate.insert(*h, f);
        }
        Truth {
            fate,
            committed_hash: committed,
            last_commit_slot,
            based_mode,
        }
    }

    fn check_events(&self, events: &[Event]) {
        for e in events {
            match e {
                Event::LevelChanged {
                    from, to, reason, ..
                } => {
                    if to.rank() < from.rank() {
                        assert!(
                            reason.is_some(),
                            "downgrade {from:?} -> {to:?} without a reason"
                        );
                    } else {
                        assert!(reason.is_none(), "upgrade with a reason");
                    }
                }
                Event::CommitmentRejected(r) => {
                    let b = self.blocks.get(&r.l2_hash);
                    let p = b.and_then(|b| self.blocks.get(&b.parent_hash));
                    panic!(
                        "generator posted a rejected commitment: {r:?}\nblock {b:?}\nparent {p:?}\nl1 {:?}",
                        &self.l1[self.l1.len().saturating_sub(3)..]
                    )
                }
                _ => {}
            }
        }
    }

    fn step(&mut self, slot: u64) {
        let truth = self.truth();
        let committed = self.blocks[&truth.committed_hash].clone();
        let k = STALL_K;
        // This slot's L1 block (if any) switches to based mode before its logs.
        let based_mode_now = truth.based_mode || slot > truth.last_commit_slot + k;
        if !based_mode_now && self.rng.chance(3) {
            self.stall_until = slot + self.rng.range(5, 15);
        }
        // 1. The sequencer certifies 1-3 blocks of this slot, the last slot-ending.
        let mut slot_ending = None;
        if !based_mode_now {
            let n = self.rng.range(1, 3);
            let mut tip = self.seq_tip.clone();
            for i in 0..n {
                let kind = if i + 1 == n { SLOT_ENDING } else { SEQUENCED };
                let b = self.add_l2(&tip, kind, slot);
                if kind == SEQUENCED && self.rng.chance(4) {
                    self.add_l2(&tip, SEQUENCED, slot); // equivocation: a twin, abandoned
                    self.stats.equivocations += 1;
                }
                tip = b;
            }
            self.seq_tip = tip.clone();
            slot_ending = Some(tip);
        }
        // 2. A based builder, on the slot-ending block, or on the committed head in based mode.
        let mut based_tip = None;
        let builder = if based_mode_now { 60 } else { 30 };
        if self.rng.chance(builder) {
            let parent = if based_mode_now {
                Some(committed.clone())
            } else {
                slot_ending.clone()
            };
            if let Some(mut p) = parent {
                for _ in 0..self.rng.range(1, 2) {
                    p = self.add_l2(&p, BASED, slot);
                }
                based_tip = Some(p);
            }
        }
        // 3. The L1 block of this slot: missed, reorging, or normal.
        if self.rng.chance(10) {
            self.stats.missed += 1;
        } else {
            let finalized_len = self
                .l1
                .iter()
                .filter(|b| b.slot <= self.finalized_slot)
                .count();
            let mut reorged = false;
            if self.rng.chance(6) {
                let depth = self.rng.range(1, 2) as usize;
                if self.l1.len() > finalized_len + depth {
                    self.l1.truncate(self.l1.len() - depth);
                    reorged = true;
                    self.stats.reorgs += 1;
                }
            }
            let parent = self.head();
            self.salt += 1;
            let block = l1_child(&parent, slot, self.salt);
            // Commitments valid on this (possibly reorged) chain.
            let mut commits: Vec<(B256, u64)> = Vec::new();
            let mut logs_: Vec<L1Log> = Vec::new();
            let t = self.truth();
            let in_based_mode = t.based_mode || slot > t.last_commit_slot + k;
            let mut prev = t.committed_hash;
            let poster_up = slot >= self.stall_until && self.rng.chance(70);
            if !in_based_mode && poster_up {
                // The latest certified block on the sequencer's chain that extends the committed chain.
                let tip = self.seq_tip.clone();
                // Based blocks are committed only in their own slot's L1 block, so a
                // sequencer batch never carries an uncommitted based block of an earlier slot.
                if t.fate.get(&tip.hash()) == Some(&Fate::Open)
                    && self.extends(&tip, prev)
                    && !self.based_between(&tip, prev)
                {
                    logs_.push(encode_commit_log(inbox(), tip.hash(), tip.number, prev));
                    commits.push((tip.hash(), tip.number));
                    prev = tip.hash();
                }
            }
            if let Some(bt) = &based_tip {
                let matches = bt.l1_parent_beacon_root == parent.beacon_root;
                let parent_ok = if in_based_mode {
                    self.extends(bt, t.committed_hash)
                        && bt.number == t.committed_hash_number(self) + self.based_run(bt)
                } else {
                    self.extends(bt, prev)
                };
                if !reorged && matches && parent_ok && t.fate.get(&bt.hash()) == Some(&Fate::Open) {
                    logs_.push(encode_commit_log(inbox(), bt.hash(), bt.number, prev));
                    commits.push((bt.hash(), bt.number));
                    self.stats.based_included += 1;
                }
            }
            self.l1.push(block);
            self.l1_logs.insert(block.beacon_root, commits);
            let ev = self
                .eng
                .apply_l1_block(Verified::new_unchecked(block))
                .unwrap();
            self.check_events(&ev);
            let ev = self.eng.apply_inbox_logs(logs(&block, logs_)).unwrap();
            self.check_events(&ev);
        }
        // 4. Finality lags three epochs.
        let target = slot.saturating_sub(3 * SPE);
        if let Some(f) = self.l1.iter().rev().find(|b| b.slot <= target).copied()
            && f.slot > self.finalized_slot
        {
            {
                self.finalized_slot = f.slot;
                let ev = self
                    .eng
                    .apply_finalized(Verified::new_unchecked(FinalizedCheckpoint {
                        slot: f.slot,
                        beacon_root: f.beacon_root,
                    }))
                    .unwrap();
                self.check_events(&ev);
            }
        }
        let ev = self.eng.advance_clock(GENESIS + slot * SPS + SPS - 1);
        self.check_events(&ev);
        // 5. Truth, sequencer reaction, invariants.
        let truth = self.truth();
        if truth.based_mode {
            self.stats.based_mode_slots += 1;
        }
        // The sequencer continues on included based blocks, and abandons reverted blocks.
        let committed = self.blocks[&truth.committed_hash].clone();
        if committed.number >= self.seq_tip.number || truth.based_mode {
            self.seq_tip = committed;
        }
        while truth.fate.get(&self.seq_tip.hash()) == Some(&Fate::Reverted) {
            self.seq_tip = self.blocks[&self.seq_tip.parent_hash].clone();
        }
        self.check_invariants(&truth, slot);
        self.prev_truth = truth.fate;
    }

    /// Whether `b` descends from (or is) `ancestor`.
    fn extends(&self, b: &L2Header, ancestor: B256) -> bool {
        let mut cur = b.hash();
        loop {
            if cur == ancestor {
                return true;
            }
            match self.blocks.get(&cur) {
                Some(h) if h.number > 0 => cur = h.parent_hash,
                _ => return false,
            }
        }
    }

    /// Whether a based block lies between `ancestor` (excluded) and `b` (included).
    fn based_between(&self, b: &L2Header, ancestor: B256) -> bool {
        let mut cur = b;
        let mut hash = b.hash();
        while hash != ancestor && cur.number > 0 {
            if cur.kind == BASED {
                return true;
            }
            hash = cur.parent_hash;
            cur = &self.blocks[&hash];
        }
        false
    }

    /// Number of consecutive based blocks ending at `b`.
    fn based_run(&self, b: &L2Header) -> u64 {
        let mut n = 0;
        let mut cur = b.clone();
        while cur.kind == BASED {
            n += 1;
            cur = self.blocks[&cur.parent_hash].clone();
        }
        n
    }

    fn check_invariants(&mut self, truth: &Truth, slot: u64) {
        for h in &self.order {
            let level = self.eng.level_of_block(h).unwrap();
            let fate = truth.fate[h];
            match level {
                Level::Included => assert!(
                    matches!(fate, Fate::Committed | Fate::Finalized),
                    "slot {slot}: engine says included, truth {fate:?}"
                ),
                Level::Finalized => {
                    assert_eq!(fate, Fate::Finalized, "slot {slot}: engine says finalized");
                }
                _ => {}
            }
            if fate == Fate::Reverted && self.prev_truth.get(h) == Some(&Fate::Reverted) {
                assert_eq!(
                    level,
                    Level::Reverted,
                    "slot {slot}: true revert not reported within one slot"
                );
            }
            if fate == Fate::Reverted && self.prev_truth.get(h) != Some(&Fate::Reverted) {
                self.stats.reverted += 1;
            }
            if fate == Fate::Finalized && self.prev_truth.get(h) != Some(&Fate::Finalized) {
                self.stats.finalized += 1;
            }
        }
    }
}

impl Truth {
    fn committed_hash_number(&self, w: &World) -> u64 {
        w.blocks[&self.committed_hash].number
    }
}

fn run(seed: u64, slots: u64) -> Stats {
    let mut w = World::new(seed);
    for slot in 1..=slots {
        w.step(slot);
    }
    w.stats
}

/// Seeds run by the default test (each runs 300 L1 slots; about 1.5 s per
/// seed in a debug build).
const SEEDS: u64 = 10;
/// Seeds run by the long test (`cargo test --release -- --ignored`).
const LONG_SEEDS: u64 = 50;

#[test]
fn scenarios_respect_the_invariants_over_many_seeds() {
    run_seeds(0..SEEDS);
}

#[test]
#[ignore = "long: run with --release -- --ignored"]
fn scenarios_respect_the_invariants_over_fifty_seeds() {
    run_seeds(1000..1000 + LONG_SEEDS);
}

fn run_seeds(seeds: core::ops::Range<u64>) {
    let mut total = Stats::default();
    for seed in seeds {
        let s = run(seed, 300);
        total.reorgs += s.reorgs;
        total.missed += s.missed;
        total.based_included += s.based_included;
        total.based_mode_slots += s.based_mode_slots;
        total.equivocations += s.equivocations;
        total.reverted += s.reverted;
        total.finalized += s.finalized;
    }
    // The generator must actually exercise every feature.
    eprintln!("scenario totals: {total:?}");
    assert!(total.reorgs > 50, "{total:?}");
    assert!(total.missed > 100, "{total:?}");
    assert!(total.based_included > 100, "{total:?}");
    assert!(total.based_mode_slots > 10, "{total:?}");
    assert!(total.equivocations > 20, "{total:?}");
    assert!(total.reverted > 100, "{total:?}");
    assert!(total.finalized > 1000, "{total:?}");
}
