//! Levels of L1 execution blocks (the client's `{ l1Block }` targets),
//! decided from the light client's verified execution heads and from blocks
//! proven by hash chain below them.
//!
//! ```text
//!  light client finalized / optimistic execution heads (verified)
//!  eth_getBlockByHash(need) ──► L1Blocks::insert (keccak(rlp(header)) == hash)
//!  L1Blocks::status(target) ──► a status, or the hash of the block to fetch next
//! ```
//!
//! A block's `parentHash` is committed by its own hash, so walking parent
//! hashes down from a verified head proves the canonical block at each lower
//! height: `included` on the optimistic head's chain, `finalized` at or below
//! the finalized head, `reverted` when another block holds the height. The
//! target's own hash is known from its verified child without fetching it;
//! its timestamp only if it was fetched before (the ETA then estimates it
//! one slot before its child's). The caller fetches what [`L1Answer::Need`]
//! names, inserts it and asks again, at most `max_walk` times per question.

use alloy_primitives::B256;
use serde::Serialize;

use super::query::{FINALITY_STALL_EPOCHS, STALE_HEAD_SLOTS};

use crate::Verified;
use crate::execution::ExecutionBlock;
use crate::rollup::L1Timing;

/// Most verified blocks held.
pub const L1_BLOCK_CACHE: usize = 4096;
/// A walk deeper than this many times `max_walk` is refused outright.
pub const MAX_WALK_FACTOR: u64 = 16;

/// A verified execution head of the light client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutionHead {
    /// Execution block hash.
    pub hash: B256,
    /// Its number.
    pub number: u64,
    /// Its timestamp.
    pub timestamp: u64,
}

/// The light client's verified finalized and optimistic execution heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L1Heads {
    /// At or below the finalized checkpoint.
    pub finalized: ExecutionHead,
    /// The optimistic (attested) head.
    pub optimistic: ExecutionHead,
}

/// An L1 block by number or hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum L1Target {
    /// By height.
    Number(u64),
    /// By execution block hash.
    Hash(B256),
}

/// A block verified by hash, as far as the walk needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainBlock {
    /// Its hash.
    pub hash: B256,
    /// Its number.
    pub number: u64,
    /// Its parent's hash.
    pub parent_hash: B256,
    /// Its timestamp.
    pub timestamp: u64,
}

/// The level of an L1 block (`unknown`: not at or under a verified head).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum L1Level {
    /// Not (yet) known to be on the verified chain.
    Unknown,
    /// Another block holds its height on the verified chain.
    Reverted,
    /// On the optimistic head's chain.
    Included,
    /// At or below the finalized head.
    Finalized,
}

/// When the next level is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct L1Eta {
    /// The next level.
    pub level: L1Level,
    /// Unix seconds.
    pub at: u64,
}

/// The verified block a status refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct L1Ref {
    /// Its number.
    pub number: u64,
    /// Its hash.
    pub hash: B256,
    /// Its timestamp, when the block itself was verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<u64>,
}

/// The status of an L1 block (the client's `Status` without its target and time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct L1BlockStatus {
    /// Level.
    pub level: L1Level,
    /// Codes of what can still lower it.
    pub may_revert_if: Vec<&'static str>,
    /// The next level and its expected time.
    pub eta: Option<L1Eta>,
    /// Stable code of why the level is what it is.
    pub reason_code: &'static str,
    /// In words.
    pub reason: String,
    /// The verified block, when one is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l1: Option<L1Ref>,
}

/// The answer to a status question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum L1Answer {
    /// Decided.
    Status(L1BlockStatus),
    /// Fetch this block (`eth_getBlockByHash(need, false)`), insert it, ask again.
    Need {
        /// The hash to fetch.
        need: B256,
        /// Whether it is the target itself (an RPC that does not know it
        /// means the block is not found) rather than a block on the walk.
        target: bool,
    },
}

/// Where a walk down the hash chain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// The canonical block at the height.
    Found {
        /// Its hash (named by its verified child, or the anchor's).
        hash: B256,
        /// Its timestamp, if it was verified itself.
        timestamp: Option<u64>,
        /// The verified timestamp of its child, when one was walked.
        child_timestamp: Option<u64>,
    },
    /// The next block to fetch.
    Need(B256),
    /// More than the allowed number of unverified blocks in between.
    TooDeep {
        /// Blocks between the anchor and the height.
        depth: u64,
    },
    /// A held block's number does not fit its place in the chain.
    Inconsistent(B256),
}

/// Verified execution blocks, sorted by hash (bounded: past
/// [`L1_BLOCK_CACHE`] the lowest block is dropped). A sorted `Vec` rather
/// than a map: the walk reads a few hundred blocks per question, and the
/// module is ~7 KiB (gzip) smaller than with two hash maps of new types.
#[derive(Debug, Clone, Default)]
pub struct L1Blocks {
    blocks: Vec<ChainBlock>,
}

impl L1Blocks {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Holds a block verified by hash; returns its summary.
    pub fn insert(&mut self, block: &Verified<ExecutionBlock>) -> ChainBlock {
        let b = ChainBlock {
            hash: block.hash,
            number: block.header.number,
            parent_hash: block.header.parent_hash,
            timestamp: block.header.timestamp,
        };
        if let Err(at) = self.blocks.binary_search_by(|x| x.hash.cmp(&b.hash)) {
            self.blocks.insert(at, b);
            if self.blocks.len() > L1_BLOCK_CACHE
                && let Some(lowest) = self
                    .blocks
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, x)| x.number)
                    .map(|(i, _)| i)
            {
                self.blocks.remove(lowest);
            }
        }
        b
    }

    /// A held block.
    pub fn get(&self, hash: &B256) -> Option<&ChainBlock> {
        self.blocks
            .binary_search_by(|x| x.hash.cmp(hash))
            .ok()
            .and_then(|i| self.blocks.get(i))
    }

    /// The height of `hash` if a held block is it or names it as its parent.
    pub fn known_height(&self, hash: &B256) -> Option<u64> {
        self.get(hash).map(|b| b.number).or_else(|| {
            self.blocks
                .iter()
                .find(|b| b.parent_hash == *hash)
                .and_then(|b| b.number.checked_sub(1))
        })
    }

    /// The canonical block at `number` at or below the verified `anchor`,
    /// walking held blocks' parent hashes; `fetched` blocks were fetched for
    /// this question already, at most `max_walk` may be.
    pub fn canonical_at(
        &self,
        number: u64,
        anchor: (B256, u64),
        max_walk: u64,
        fetched: u64,
    ) -> Walk {
        let (mut hash, top) = anchor;
        let depth = top.saturating_sub(number);
        if depth > MAX_WALK_FACTOR.saturating_mul(max_walk) {
            return Walk::TooDeep { depth };
        }
        let mut child_timestamp = None;
        let mut n = top;
        while n > number {
            let Some(b) = self.get(&hash) else {
                return if fetched >= max_walk {
                    Walk::TooDeep { depth }
                } else {
                    Walk::Need(hash)
                };
            };
            if b.number != n {
                return Walk::Inconsistent(hash);
            }
            hash = b.parent_hash;
            child_timestamp = Some(b.timestamp);
            n -= 1;
        }
        Walk::Found {
            hash,
            timestamp: self.get(&hash).map(|b| b.timestamp),
            child_timestamp,
        }
    }

    /// The status of any L1 block when the verified headers carry no
    /// execution block (before Capella).
    pub fn without_execution_heads() -> L1Answer {
        status(
            L1Level::Unknown,
            None,
            "NO_EXECUTION_HEADER",
            "the verified headers predate Capella and carry no execution block".into(),
            None,
        )
    }

    /// The status of an L1 block, or the block to fetch next (see the module docs).
    pub fn status(
        &self,
        target: L1Target,
        heads: &L1Heads,
        timing: &L1Timing,
        now: u64,
        (max_walk, fetched): (u64, u64),
    ) -> L1Answer {
        let (fin, opt) = (heads.finalized, heads.optimistic);
        let number = match target {
            L1Target::Number(n) => n,
            L1Target::Hash(h) if h == opt.hash => opt.number,
            L1Target::Hash(h) if h == fin.hash => fin.number,
            L1Target::Hash(h) => match self.known_height(&h) {
                Some(n) => n,
                None => {
                    return L1Answer::Need {
                        need: h,
                        target: true,
                    };
                }
            },
        };
        let now_slot = timing.slot_at(now);
        if number > opt.number {
            let eta = opt
                .timestamp
                .saturating_add((number - opt.number).saturating_mul(timing.seconds_per_slot));
            // PROTOCOL.md section 9: no ETA while the verified head lags the clock.
            let head_slot = timing.slot_at(opt.timestamp);
            let head_live = now_slot.saturating_sub(head_slot) <= STALE_HEAD_SLOTS;
            return status(
                L1Level::Unknown,
                head_live.then(|| L1Eta {
                    level: L1Level::Included,
                    at: eta.max(now),
                }),
                "ABOVE_VERIFIED_HEAD",
                format!(
                    "block {number} is above the verified L1 head {}",
                    opt.number
                ),
                None,
            );
        }
        let finalized = number <= fin.number;
        let anchor = if finalized { fin } else { opt };
        let (hash, timestamp, child_timestamp) = if number == anchor.number {
            (anchor.hash, Some(anchor.timestamp), None)
        } else {
            match self.canonical_at(number, (anchor.hash, anchor.number), max_walk, fetched) {
                Walk::Found {
                    hash,
                    timestamp,
                    child_timestamp,
                } => (hash, timestamp, child_timestamp),
                Walk::Need(need) => {
                    return L1Answer::Need {
                        need,
                        target: false,
                    };
                }
                Walk::TooDeep { depth } => {
                    return status(
                        L1Level::Unknown,
                        None,
                        "CHAIN_WALK_TOO_DEEP",
                        format!(
                            "cannot verify the block: block {number} is {depth} blocks below the verified block {}; more than {max_walk} unverified blocks in between",
                            anchor.number
                        ),
                        None,
                    );
                }
                Walk::Inconsistent(h) => {
                    return status(
                        L1Level::Unknown,
                        None,
                        "L1_RPC_FAULTY",
                        format!(
                            "cannot verify the block: block {h:#x} does not fit the hash chain"
                        ),
                        None,
                    );
                }
            }
        };
        // For the ETA only: a block not fetched itself is at least one slot older than its verified child.
        let approx_time = timestamp.unwrap_or_else(|| {
            child_timestamp
                .unwrap_or(opt.timestamp)
                .saturating_sub(timing.seconds_per_slot)
        });
        let l1 = Some(L1Ref {
            number,
            hash,
            timestamp,
        });
        if let L1Target::Hash(h) = target
            && h != hash
        {
            let chain = if finalized { "finalized" } else { "optimistic" };
            return status(
                L1Level::Reverted,
                None,
                if finalized {
                    "NOT_CANONICAL"
                } else {
                    "L1_REORG"
                },
                format!("block {number} on the verified {chain} L1 chain is {hash:#x}, not {h:#x}"),
                l1,
            );
        }
        if finalized {
            return status(
                L1Level::Finalized,
                None,
                "AT_OR_BELOW_FINALIZED",
                format!(
                    "block {number} is at or below the verified finalized L1 block {}",
                    fin.number
                ),
                l1,
            );
        }
        let at = timing.finality_eta(timing.slot_at(approx_time)).max(now);
        // Section 9: no finality ETA while the finalized checkpoint lags the clock.
        let finality_live = timing
            .epoch_of(now_slot)
            .saturating_sub(timing.epoch_of(timing.slot_at(fin.timestamp)))
            <= FINALITY_STALL_EPOCHS;
        L1Answer::Status(L1BlockStatus {
            level: L1Level::Included,
            may_revert_if: vec!["L1_REORG"],
            eta: finality_live.then_some(L1Eta {
                level: L1Level::Finalized,
                at,
            }),
            reason_code: "ON_VERIFIED_CHAIN",
            reason: format!(
                "block {number} is on the verified L1 chain (head {}, finalized {})",
                opt.number, fin.number
            ),
            l1,
        })
    }
}

fn status(
    level: L1Level,
    eta: Option<L1Eta>,
    reason_code: &'static str,
    reason: String,
    l1: Option<L1Ref>,
) -> L1Answer {
    L1Answer::Status(L1BlockStatus {
        level,
        may_revert_if: Vec::new(),
        eta,
        reason_code,
        reason,
        l1,
    })
}
