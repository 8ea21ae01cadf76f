//! The L2 half: a sequencer with one secp256k1 key that certifies blocks
//! (docs/PROTOCOL.md sections 1, 2.1, 3 marker rule, 7), a based-block
//! builder, and the native execution of their transactions.
//!
//! ```text
//!  per L1 slot S (before the L1 block of S is built):
//!    sequencer: `blocks_per_slot - 1` sequenced blocks, then the slot-ending
//!               block E (kind 1), all with l1Slot = S and l1Parent = the L1 head
//!    builder (every `based_every` slots, if the L1 block of S will exist):
//!               a based block B on E (kind 2, no certificate)
//!    L1 block of S: the inbox commits B (or E) with prevCommitted = the
//!               committed head of the L1 parent
//!  L1 proposer misses S: nothing commits; the sequencer starts S+1 on E
//!  L1 block of S more than K slots after the last commitment (missed L1
//!               slots, a stalled sequencer): based mode; uncommitted certified
//!               blocks are invalidated and a builder commits a based block on
//!               the committed head, ending based mode
//!  L1 reorg drops a block that carried B: B and its descendants revert; the
//!               sequencer resumes on B's parent (E)
//! ```
//!
//! Transactions (EIP-1559 transfers and contract calls) run through revm
//! ([`crate::l2_evm`]): every header's state, transactions and receipts
//! roots are real tries over the post-state. A cross-domain action's L2 leg
//! (a `Burner` call) waits for the builder's next based block, which
//! includes it only if it succeeds with its `Burned` log; the L1 block
//! committing that based block mints (see [`Sequencer::actions_between`]).
//!
//! Modules: `mempool` (what the sequencer admits), `build` (one block:
//! revm, then the SDK's rules, header and certificate), `certifier` (the
//! key or the committee, through the SDK).

use std::collections::HashMap;

use alloy_primitives::{Address, B256, U256};
use preconf_light::execution::{Receipt, receipts_root};
use preconf_light::rollup::header::{KIND_BASED, KIND_SEQUENCED, transactions_root};
use preconf_light::rollup::{Certificate, FeedMessage, L2Block, L2Header, SlotEndingRule};
use preconf_sequencer::BasedOn;
use preconf_sequencer::slot::SlotState;

use crate::el::Commit;
use crate::keys::Account;
use crate::l2_evm::{
    BURNED_EVENT, BURNER_ADDRESS, L2Account, L2BlockEnv, L2State, burner_code, execute, state_trie,
};
pub use crate::tx::decode_eip1559;

mod build;
mod certifier;
mod mempool;

use build::{Role, state_root};
pub use certifier::{SeqCertifier, SeqCommittee};

/// L2 chain id.
pub const L2_CHAIN_ID: u64 = 690_420;
/// L2 gas limit.
pub const L2_GAS_LIMIT: u64 = 30_000_000;
/// L2 base fee.
pub const L2_BASE_FEE: u64 = 1_000_000;
/// Gas of a plain transfer.
pub const TRANSFER_GAS: u64 = 21_000;
/// Initial balance of each seeded L2 account (100 ether).
pub const L2_INITIAL_BALANCE: u128 = 100_000_000_000_000_000_000;
/// Number of seeded L2 user accounts.
pub const L2_USERS: usize = 3;
/// Slots a forced-inclusion request may wait (`deadlineSlot = request slot + window`).
pub const FORCED_WINDOW_SLOTS: u64 = 4;

/// A transaction forced through the L1 inbox (PROTOCOL.md section 5).
#[derive(Debug, Clone)]
pub struct ForcedTx {
    /// The signed L2 transaction.
    pub tx: crate::el::Tx,
}

/// Sequencer and builder settings.
#[derive(Debug, Clone, Copy)]
pub struct L2Options {
    /// Certified blocks per L1 slot, the last one slot-ending (>= 1).
    pub blocks_per_slot: u64,
    /// Build a based block every N-th L1 slot (0 = never).
    pub based_every: u64,
    /// Certify with a weighted BLS committee instead of one key.
    pub committee: bool,
    /// Slot-ending by the N-th block rule (N = `blocks_per_slot`, no marker)
    /// instead of the marker rule.
    pub nth_rule: bool,
    /// Stall limit K: an L1 block more than K slots after the last
    /// commitment switches the rollup to based mode.
    pub stall_limit_slots: u64,
}

impl Default for L2Options {
    fn default() -> Self {
        Self {
            blocks_per_slot: 4,
            based_every: 0,
            committee: false,
            nth_rule: false,
            stall_limit_slots: 10,
        }
    }
}

/// Id of the devnet's (only) sequencer committee.
pub const COMMITTEE_ID: u64 = 0;
/// Weights of the committee members (member 0, the lightest, never signs:
/// 9 of 10 signs, above the 2/3 threshold).
pub const COMMITTEE_WEIGHTS: [u64; 4] = [1, 2, 3, 4];

/// One L2 block the devnet produced.
#[derive(Debug, Clone)]
pub struct L2Entry {
    /// Feed message (header, transactions, certificate).
    pub msg: FeedMessage,
    /// Block hash.
    pub hash: B256,
    /// The state after the block.
    pub state: L2State,
    /// Receipts.
    pub receipts: Vec<Receipt>,
    /// Reverted?
    pub reverted: bool,
    /// When and why it reverted: (the L1 slot being produced, reason in the
    /// library's `Reason` spelling: `l1Reorg`, `basedModeSwitch`, `equivocation`).
    pub revert: Option<(u64, &'static str)>,
    /// Cross-domain actions whose L2 leg this (based) block carries.
    pub actions: Vec<CrossAction>,
    /// Where it stands in its L1 slot (the SDK's slot rules).
    pub slot: SlotState,
    /// The users' transactions it carries (mempool, forced and the seeded
    /// transfer; not cross-domain legs), re-queued if the block reverts.
    pub user_txs: Vec<crate::el::Tx>,
}

/// A cross-domain action: burn on L2 (the `Burner` call) and mint on L1.
#[derive(Debug, Clone)]
pub struct CrossAction {
    /// The signed L2 leg.
    pub tx: crate::el::Tx,
    /// L1 recipient of the mint.
    pub recipient: Address,
    /// Amount burned on L2 and minted on L1.
    pub amount: U256,
}

impl L2Entry {
    fn mark_reverted(&mut self, slot: u64, reason: &'static str) {
        if !self.reverted {
            self.reverted = true;
            self.revert = Some((slot, reason));
        }
    }
}

/// The sequencer, the builder and every block they made.
pub struct Sequencer {
    key: Account,
    /// The SDK sequencer that certifies the blocks (key or committee).
    sdk: preconf_sequencer::Sequencer<SeqCertifier>,
    forced_user: Account,
    forced_count: u64,
    /// Forced transactions whose L1 request landed, to include next.
    pub forced_ready: Vec<ForcedTx>,
    /// Transactions sent with `eth_sendRawTransaction`, to include next.
    pub mempool: Vec<crate::el::Tx>,
    /// Cross-domain actions waiting for a based block.
    pub actions: Vec<CrossAction>,
    users: Vec<Account>,
    /// Options.
    pub opts: L2Options,
    /// Every block by hash.
    pub blocks: HashMap<B256, L2Entry>,
    /// Block hashes in production order.
    pub order: Vec<B256>,
    /// The sequencer's tip.
    pub tip: B256,
    /// Genesis (anchor) hash.
    pub genesis: B256,
    /// Feed messages not yet broadcast.
    pub outbox: Vec<B256>,
    /// Sequencer faults.
    pub faults: L2Faults,
    /// Equivocations: (extended block, twin) pairs.
    pub equivocations: Vec<(B256, B256)>,
    /// L1 slots at which based mode started.
    pub based_mode_slots: Vec<u64>,
    /// (slot, blocks of it produced so far).
    progress: (u64, u64),
    /// A slot-ending block held back by `late_slot_ending`: (slot, L1 parent, timestamp).
    late: Option<(u64, (B256, B256), u64)>,
    /// Late blocks released after their slot's L1 block, not yet broadcast.
    pub late_outbox: Vec<B256>,
}

/// Sequencer-side faults.
#[derive(Debug, Clone, Default)]
pub struct L2Faults {
    /// Slots the sequencer stays silent (no blocks, nothing to commit).
    pub stall_slots: u64,
    /// The next slot has no slot-ending block.
    pub skip_slot_ending: bool,
    /// The next slot's first height is certified twice.
    pub equivocate: bool,
    /// No based builder.
    pub no_builder: bool,
    /// The next slot's slot-ending block comes late: after the L1 block of
    /// its slot (which therefore commits nothing), so the next slot's
    /// commitment carries it.
    pub late_slot_ending: bool,
}

impl Sequencer {
    /// A sequencer for `seed` with its genesis block.
    pub fn new(seed: u64, opts: L2Options, genesis_time: u64) -> Self {
        let users: Vec<Account> = (0..L2_USERS)
            .map(|i| Account::new(seed, &format!("l2-user-{i}")))
            .collect();
        let forced_user = Account::new(seed, "l2-forced-user");
        let mut state: L2State = users
            .iter()
            .chain(std::iter::once(&forced_user))
            .map(|u| (u.address, L2Account::eoa(0, U256::from(L2_INITIAL_BALANCE))))
            .collect();
        state.insert(
            BURNER_ADDRESS,
            L2Account {
                nonce: 1,
                code: burner_code(),
                ..L2Account::default()
            },
        );
        let header = L2Header {
            chain_id: L2_CHAIN_ID,
            number: 0,
            parent_hash: B256::ZERO,
            kind: KIND_SEQUENCED,
            l1_slot: 0,
            l1_parent_beacon_root: B256::ZERO,
            l1_parent_block_hash: B256::ZERO,
            timestamp: genesis_time,
            state_root: state_root(&state),
            transactions_root: transactions_root(&[]),
            receipts_root: receipts_root(&[]),
            gas_limit: L2_GAS_LIMIT,
            gas_used: 0,
            base_fee_per_gas: L2_BASE_FEE,
        };
        let hash = header.hash();
        let entry = L2Entry {
            msg: FeedMessage {
                block: L2Block {
                    header,
                    transactions: Vec::new(),
                },
                certificate: Certificate::None,
            },
            hash,
            state,
            receipts: Vec::new(),
            reverted: false,
            revert: None,
            actions: Vec::new(),
            // Genesis ends slot 0: the first certified blocks are of slot 1.
            slot: SlotState::anchor(0, true),
            user_txs: Vec::new(),
        };
        let key = Account::new(seed, "sequencer");
        let certifier = if opts.committee {
            SeqCertifier::Committee(Box::new(SeqCommittee::new(seed)))
        } else {
            SeqCertifier::Key(key.signer().clone())
        };
        let rule = if opts.nth_rule {
            SlotEndingRule::NthBlock(u32::try_from(opts.blocks_per_slot).unwrap_or(u32::MAX))
        } else {
            SlotEndingRule::Marker
        };
        Self {
            key,
            sdk: preconf_sequencer::Sequencer::new(L2_CHAIN_ID, rule, certifier),
            forced_user,
            forced_count: 0,
            forced_ready: Vec::new(),
            mempool: Vec::new(),
            actions: Vec::new(),
            users,
            opts,
            blocks: HashMap::from([(hash, entry)]),
            order: vec![hash],
            tip: hash,
            genesis: hash,
            outbox: Vec::new(),
            faults: L2Faults::default(),
            equivocations: Vec::new(),
            based_mode_slots: Vec::new(),
            progress: (0, 0),
            late: None,
            late_outbox: Vec::new(),
        }
    }

    /// The sequencer's address (`config.sequencer` in key mode).
    pub fn address(&self) -> Address {
        self.key.address
    }

    /// The committee, in committee mode.
    pub fn committee(&self) -> Option<&SeqCommittee> {
        match self.sdk.certifier() {
            SeqCertifier::Committee(c) => Some(c),
            SeqCertifier::Key(_) => None,
        }
    }

    /// The committee hash announced on L1, in committee mode.
    pub fn committee_hash(&self) -> Option<B256> {
        self.committee().map(|c| c.hash)
    }

    fn entry(&self, hash: &B256) -> &L2Entry {
        // Every hash the sequencer refers to was inserted when produced.
        &self.blocks[hash]
    }

    /// The seeded L2 users' keys (the devnet signs with them for the demo page).
    pub fn users(&self) -> &[Account] {
        &self.users
    }

    /// The seeded L2 user accounts (address, private key), for wallets and tests.
    pub fn accounts(&self) -> Vec<(Address, String)> {
        self.users
            .iter()
            .map(|u| (u.address, u.secret_hex()))
            .collect()
    }

    /// Produces the blocks of L1 slot `slot` on L1 parent `l1_parent`
    /// (beacon root, execution hash); `lands` says whether the L1 block of the
    /// slot will exist. Returns the hash to commit (B, else E).
    pub fn produce_slot(
        &mut self,
        slot: u64,
        l1_parent: (B256, B256),
        slot_start: u64,
        lands: bool,
    ) -> Option<B256> {
        let timestamp = slot_start.saturating_sub(1);
        if self.faults.stall_slots > 0 {
            self.faults.stall_slots -= 1;
            return None;
        }
        let skip_ending = std::mem::take(&mut self.faults.skip_slot_ending);
        let n = self.opts.blocks_per_slot.max(1);
        if !skip_ending && std::mem::take(&mut self.faults.late_slot_ending) {
            // Everything but the slot-ending block now; it follows the L1 block.
            self.produce_range(slot, l1_parent, timestamp, n - 1, false);
            self.late = Some((slot, l1_parent, timestamp));
            return None;
        }
        self.produce_range(slot, l1_parent, timestamp, n, skip_ending);
        // The builder needs the slot-ending block of this slot to build on.
        let slot_ended = self
            .blocks
            .get(&self.tip)
            .is_some_and(|e| e.slot.ended && e.slot.l1_slot == slot);
        if lands
            && slot_ended
            && !self.faults.no_builder
            && (!self.actions.is_empty()
                || (self.opts.based_every > 0 && slot.is_multiple_of(self.opts.based_every)))
            && let Some(b) = self.make(
                self.tip,
                Role::Based(BasedOn::SlotEnd),
                slot,
                l1_parent,
                timestamp,
                0,
            )
        {
            self.tip = b;
        }
        Some(self.tip)
    }

    /// Releases a slot-ending block held back by `late_slot_ending` (after
    /// the L1 block of its slot); it lands in `late_outbox`.
    pub fn release_late(&mut self) {
        let Some((slot, l1_parent, timestamp)) = self.late.take() else {
            return;
        };
        let n = self.opts.blocks_per_slot.max(1);
        let before = self.outbox.len();
        self.produce_range(slot, l1_parent, timestamp, n, false);
        let late = self.outbox.split_off(before.min(self.outbox.len()));
        self.late_outbox.extend(late);
    }

    /// Releases, ahead of slot `slot`, its first `upto` sequenced blocks (never
    /// the slot-ending one, which [`Self::produce_slot`] releases just before
    /// the L1 block of the slot). Used by the wall-clock ticker.
    pub fn produce_upto(&mut self, slot: u64, l1_parent: (B256, B256), slot_start: u64, upto: u64) {
        if self.faults.stall_slots > 0 {
            return;
        }
        let n = self.opts.blocks_per_slot.max(1);
        self.produce_range(
            slot,
            l1_parent,
            slot_start.saturating_sub(1),
            upto.min(n - 1),
            false,
        );
    }

    /// Produces blocks `progress..upto` of `slot`. The slot ends (marker, or
    /// the N-th certified block of the slot on the tip's chain) at block
    /// `n - 1` unless `skip_ending`.
    fn produce_range(
        &mut self,
        slot: u64,
        l1_parent: (B256, B256),
        timestamp: u64,
        upto: u64,
        skip_ending: bool,
    ) {
        let n = self.opts.blocks_per_slot.max(1);
        let start = if self.progress.0 == slot {
            self.progress.1
        } else {
            0
        };
        for i in start..upto {
            let parent = self.tip;
            let end_slot = if self.opts.nth_rule {
                // By rule: the N-th certified block of the slot on this chain
                // (fewer when the chain was rewound within the slot).
                let p = self.entry(&parent).slot;
                let position = if p.l1_slot == slot && !p.ended {
                    u64::from(p.certified_in_slot) + 1
                } else {
                    1
                };
                position == n
            } else {
                i + 1 == n && !skip_ending
            };
            let role = Role::Certified { end_slot };
            let Some(block) = self.make(parent, role, slot, l1_parent, timestamp, 0) else {
                break;
            };
            self.tip = block;
            if i == 0 && std::mem::take(&mut self.faults.equivocate) {
                // A second certified block at the same height, never extended.
                if let Some(twin) = self.make(parent, role, slot, l1_parent, timestamp, 1) {
                    if let Some(e) = self.blocks.get_mut(&twin) {
                        e.mark_reverted(slot, "equivocation");
                    }
                    self.equivocations.push((self.tip, twin));
                }
            }
        }
        self.progress = (slot, upto.max(start));
    }

    /// Based mode (PROTOCOL.md section 5 stall rule): the L1 block of `slot`
    /// comes more than K slots after the last commitment. Every certified
    /// block above the committed head is invalidated, and a builder commits a
    /// based block on the committed head, which ends based mode; the
    /// sequencer resumes on it.
    pub fn enter_based_mode(
        &mut self,
        slot: u64,
        committed_head: B256,
        last_commit_slot: u64,
        l1_parent: (B256, B256),
        slot_start: u64,
    ) -> Option<B256> {
        let resume = self.revert_to(committed_head, slot, "basedModeSwitch");
        self.based_mode_slots.push(slot);
        let on = BasedOn::CommittedHead {
            last_commit_slot,
            stall_limit_slots: self.opts.stall_limit_slots,
        };
        self.tip = resume;
        let based = self.make(
            committed_head,
            Role::Based(on),
            slot,
            l1_parent,
            slot_start.saturating_sub(1),
            0,
        )?;
        self.tip = based;
        Some(based)
    }

    /// Reverts the sequencer's chain from its tip down to (excluding)
    /// `ancestor` and moves the tip there. The transactions those blocks
    /// carried go back to the mempool, oldest first, as a sequencer
    /// re-includes what an invalidated block held: a transaction admitted
    /// on the reverted tip (its nonce counts the reverted blocks' transfers)
    /// stays valid. Cross-domain legs are not re-queued (both legs went
    /// together).
    fn revert_to(&mut self, ancestor: B256, slot: u64, reason: &'static str) -> B256 {
        let mut requeue = Vec::new();
        let mut cur = self.tip;
        while cur != ancestor {
            let Some(e) = self.blocks.get_mut(&cur) else {
                break;
            };
            if e.msg.block.header.number == 0 {
                break;
            }
            if !e.reverted {
                requeue.extend(e.user_txs.drain(..).rev());
            }
            e.mark_reverted(slot, reason);
            cur = e.msg.block.header.parent_hash;
        }
        requeue.reverse();
        requeue.append(&mut self.mempool);
        self.mempool = requeue;
        self.tip = ancestor;
        ancestor
    }

    /// The commitment of `hash` on top of `prev`.
    pub fn commit(&self, hash: B256, prev: B256) -> Commit {
        Commit {
            block_hash: hash,
            number: self.entry(&hash).msg.block.header.number,
            prev_committed: prev,
        }
    }

    /// An L1 reorg dropped the commitments of `dropped` (committed hashes):
    /// based blocks among them (and their descendants) revert, and the
    /// sequencer resumes on the parent of the earliest reverted based block.
    pub fn l1_reorged(&mut self, dropped: &[B256], slot: u64) {
        let mut rewind_to = None;
        for h in dropped {
            // Walk the committed segment back to find based blocks.
            let mut cur = *h;
            while let Some(e) = self.blocks.get(&cur) {
                if e.msg.block.header.kind == KIND_BASED {
                    rewind_to = Some(e.msg.block.header.parent_hash);
                }
                if e.msg.block.header.kind != KIND_BASED {
                    break;
                }
                cur = e.msg.block.header.parent_hash;
            }
        }
        let Some(resume) = rewind_to else { return };
        // Revert every block on the sequencer's chain above `resume`.
        self.revert_to(resume, slot, "l1Reorg");
    }

    /// The mints of the cross-domain actions carried by the blocks from
    /// `hash` down to (excluding) `ancestor`, oldest first.
    pub fn actions_between(&self, hash: B256, ancestor: B256) -> Vec<crate::el::Mint> {
        let mut out = Vec::new();
        let mut cur = hash;
        while cur != ancestor {
            let Some(e) = self.blocks.get(&cur) else {
                break;
            };
            if e.msg.block.header.number == 0 {
                break;
            }
            for a in e.actions.iter().rev() {
                out.push(crate::el::Mint {
                    recipient: a.recipient,
                    amount: a.amount,
                    l2_tx_hash: a.tx.hash,
                });
            }
            cur = e.msg.block.header.parent_hash;
        }
        out.reverse();
        out
    }

    /// Whether `hash` descends from (or is) `ancestor`.
    pub fn descends(&self, mut hash: B256, ancestor: B256) -> bool {
        loop {
            if hash == ancestor {
                return true;
            }
            match self.blocks.get(&hash) {
                Some(e) if e.msg.block.header.number > 0 => hash = e.msg.block.header.parent_hash,
                _ => return false,
            }
        }
    }
}
