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

use std::collections::HashMap;

use alloy_primitives::{Address, B256, Bytes, FixedBytes, U256, keccak256};
use preconf_light::execution::{Receipt, receipts_root};
use preconf_light::rollup::certificate::{
    CommitteeCertificate, CommitteeMember, bls_message, committee_hash, ecdsa_digest,
};
use preconf_light::rollup::header::{
    KIND_BASED, KIND_SEQUENCED, KIND_SLOT_ENDING, transactions_root,
};
use preconf_light::rollup::{Certificate, FeedMessage, L2Block, L2Header};

use crate::el::{Commit, TxFields, sign_eip1559};
use crate::keys::Account;
use crate::l2_evm::{
    BURNED_EVENT, BURNER_ADDRESS, L2Account, L2BlockEnv, L2State, burner_code, execute, state_trie,
};

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

/// The sequencer committee (PROTOCOL.md section 2.2).
pub struct SeqCommittee {
    keys: Vec<crate::keys::Validator>,
    /// Members as announced.
    pub members: Vec<CommitteeMember>,
    /// `committee_hash(COMMITTEE_ID, members)`.
    pub hash: B256,
}

impl SeqCommittee {
    fn new(seed: u64) -> Self {
        let keys: Vec<crate::keys::Validator> = (0..COMMITTEE_WEIGHTS.len() as u64)
            .map(|i| crate::keys::Validator::new(seed ^ 0x5eed_c0de, i))
            .collect();
        let members: Vec<CommitteeMember> = keys
            .iter()
            .zip(COMMITTEE_WEIGHTS)
            .map(|(k, weight)| CommitteeMember {
                pubkey: FixedBytes(k.pubkey),
                weight,
            })
            .collect();
        let hash = committee_hash(COMMITTEE_ID, &members);
        Self {
            keys,
            members,
            hash,
        }
    }

    fn certify(&self, chain_id: u64, block_hash: B256) -> Certificate {
        let message = bls_message(chain_id, COMMITTEE_ID, block_hash);
        let mut bitfield = vec![0u8; self.keys.len().div_ceil(8)];
        let mut sigs = Vec::new();
        for (i, k) in self.keys.iter().enumerate().skip(1) {
            if let Some(b) = bitfield.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
            sigs.push(k.sign(message.as_slice()));
        }
        Certificate::Committee(CommitteeCertificate {
            committee_id: COMMITTEE_ID,
            bitfield,
            signature: FixedBytes(crate::keys::aggregate_signatures(&sigs)),
        })
    }
}

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
    forced_user: Account,
    forced_count: u64,
    /// Forced transactions whose L1 request landed, to include next.
    pub forced_ready: Vec<ForcedTx>,
    /// Transactions sent with `eth_sendRawTransaction`, to include next.
    pub mempool: Vec<crate::el::Tx>,
    /// Cross-domain actions waiting for a based block.
    pub actions: Vec<CrossAction>,
    /// The committee, in committee mode.
    pub committee: Option<SeqCommittee>,
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

fn state_root(state: &L2State) -> B256 {
    state_trie(state, None).0
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
        };
        Self {
            key: Account::new(seed, "sequencer"),
            forced_user,
            forced_count: 0,
            forced_ready: Vec::new(),
            mempool: Vec::new(),
            actions: Vec::new(),
            committee: opts.committee.then(|| SeqCommittee::new(seed)),
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

    /// The committee hash announced on L1, in committee mode.
    pub fn committee_hash(&self) -> Option<B256> {
        self.committee.as_ref().map(|c| c.hash)
    }

    fn entry(&self, hash: &B256) -> &L2Entry {
        // Every hash the sequencer refers to was inserted when produced.
        &self.blocks[hash]
    }

    /// A new forced transaction: a transfer from the forced-inclusion user.
    pub fn new_forced_tx(&mut self) -> ForcedTx {
        let nonce = self.forced_count;
        self.forced_count += 1;
        let tx = sign_eip1559(
            &self.forced_user,
            TxFields {
                chain_id: L2_CHAIN_ID,
                nonce,
                max_fee: L2_BASE_FEE,
                gas: TRANSFER_GAS,
                to: self.users[0].address,
                value: U256::from(7_000_000_000u64),
                input: Bytes::new(),
            },
        );
        ForcedTx { tx }
    }

    /// Applies a transaction's upfront effects on `state` (nonce, value,
    /// maximal fee), for admission checks of later transactions.
    fn apply(state: &mut L2State, tx: &crate::el::Tx) {
        let fee = U256::from(tx.gas) * U256::from(L2_BASE_FEE);
        if let Some(a) = state.get_mut(&tx.from) {
            a.nonce += 1;
            a.balance = a.balance.saturating_sub(tx.value + fee);
        }
        if let Some(a) = state.get_mut(&tx.to) {
            a.balance += tx.value;
        }
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

    /// Accepts a signed plain transfer into the mempool: decodes the
    /// EIP-1559 envelope, recovers the sender, checks chain id, nonce, gas,
    /// fee and balance against the sequencer's tip plus the mempool.
    ///
    /// # Errors
    /// A message naming the first failed check.
    pub fn submit_raw(&mut self, raw: &[u8]) -> Result<B256, String> {
        let tx = self.admit(raw)?;
        let hash = tx.hash;
        self.mempool.push(tx);
        Ok(hash)
    }

    /// Decodes and checks a signed transaction against the tip plus
    /// everything queued (chain id, gas, fee, nonce, balance, recipient).
    fn admit(&self, raw: &[u8]) -> Result<crate::el::Tx, String> {
        let tx = decode_eip1559(raw)?;
        if tx.chain_id != L2_CHAIN_ID {
            return Err("wrong chain id".into());
        }
        if tx.gas < TRANSFER_GAS || tx.gas > L2_GAS_LIMIT || tx.max_fee < L2_BASE_FEE {
            return Err(
                "gas below 21000 or above the block limit, or max fee below the base fee".into(),
            );
        }
        let state = self.pending_state();
        let sender = state.get(&tx.from).cloned().unwrap_or_default();
        if tx.nonce != sender.nonce {
            return Err(format!("nonce {} expected {}", tx.nonce, sender.nonce));
        }
        let cost = tx.value + U256::from(tx.gas) * U256::from(L2_BASE_FEE);
        if sender.balance < cost {
            return Err("insufficient balance".into());
        }
        if !state.contains_key(&tx.to) {
            // Keep the state trie to the seeded accounts and contracts.
            return Err("recipient must be a devnet account or contract".into());
        }
        Ok(tx)
    }

    /// The tip's state with everything queued applied (forced, mempool, actions).
    fn pending_state(&self) -> L2State {
        let mut state = self.entry(&self.tip).state.clone();
        for f in &self.forced_ready {
            Self::apply(&mut state, &f.tx);
        }
        for t in self
            .mempool
            .iter()
            .chain(self.actions.iter().map(|a| &a.tx))
        {
            Self::apply(&mut state, t);
        }
        state
    }

    /// The nonce the next transaction of `address` must carry (tip plus queue).
    pub fn pending_nonce(&self, address: Address) -> u64 {
        self.pending_state().get(&address).map_or(0, |a| a.nonce)
    }

    /// Queues a cross-domain action: `raw` must be a signed call of the
    /// L2 `Burner` with value (the burn leg). The builder includes it in its
    /// next based block only if the burn succeeds and logs `Burned(recipient,
    /// value)` (the post-assertion), and the L1 block of the same slot carries
    /// the mint; otherwise neither leg happens.
    ///
    /// # Errors
    /// A message naming the first failed check.
    pub fn submit_action(&mut self, raw: &[u8]) -> Result<CrossAction, String> {
        let tx = self.admit(raw)?;
        if tx.to != BURNER_ADDRESS || tx.value.is_zero() || tx.input.len() < 36 {
            return Err(
                "an action's L2 leg calls the Burner with value and a recipient word".into(),
            );
        }
        let recipient = Address::from_slice(&tx.input[16..36]);
        let action = CrossAction {
            amount: tx.value,
            tx,
            recipient,
        };
        self.actions.push(action.clone());
        Ok(action)
    }

    /// The seeded transfer from user `from` on `state` (nonces after `pending`).
    fn transfer(
        &self,
        state: &L2State,
        pending: &[(crate::el::Tx, bool)],
        from: usize,
        number: u64,
    ) -> crate::el::Tx {
        // Senders with a queued cross-domain leg sit out, so that the leg's
        // nonce stays valid until the builder includes it.
        let from = (from..from + L2_USERS)
            .find(|i| {
                let a = self.users[i % L2_USERS].address;
                !self.actions.iter().any(|x| x.tx.from == a)
            })
            .unwrap_or(from);
        let sender = &self.users[from % L2_USERS];
        let to = self.users[(from + 1) % L2_USERS].address;
        let nonce = state.get(&sender.address).map_or(0, |a| a.nonce)
            + pending
                .iter()
                .filter(|(t, _)| t.from == sender.address)
                .count() as u64;
        let value = U256::from(1_000_000_000_000u64 + number);
        sign_eip1559(
            sender,
            TxFields {
                chain_id: L2_CHAIN_ID,
                nonce,
                max_fee: L2_BASE_FEE,
                gas: TRANSFER_GAS,
                to,
                value,
                input: Bytes::new(),
            },
        )
    }

    fn make(
        &mut self,
        parent: B256,
        kind: u8,
        l1_slot: u64,
        l1_parent: (B256, B256),
        timestamp: u64,
        variant: u64,
    ) -> B256 {
        let p = self.entry(&parent);
        let number = p.msg.block.header.number + 1;
        let timestamp = timestamp.max(p.msg.block.header.timestamp) + variant;
        let parent_state = p.state.clone();
        let mut pending: Vec<(crate::el::Tx, bool)> = Vec::new();
        let mut actions = Vec::new();
        if variant == 0 {
            for f in std::mem::take(&mut self.forced_ready) {
                pending.push((f.tx, false));
            }
            for tx in std::mem::take(&mut self.mempool) {
                pending.push((tx, false));
            }
            if kind == KIND_BASED {
                // The builder's cross-domain legs: all-or-nothing per action.
                actions = std::mem::take(&mut self.actions);
                pending.extend(actions.iter().map(|a| (a.tx.clone(), true)));
            }
        }
        let tx = self.transfer(&parent_state, &pending, number as usize, number);
        pending.push((tx, false));
        let executed = execute(
            &parent_state,
            &L2BlockEnv {
                chain_id: L2_CHAIN_ID,
                number,
                timestamp,
                gas_limit: L2_GAS_LIMIT,
                base_fee: L2_BASE_FEE,
            },
            &pending,
        );
        let state = executed.state;
        let transactions: Vec<Bytes> = executed
            .included
            .iter()
            .map(|t| t.envelope.clone())
            .collect();
        let receipts = executed.receipts;
        let gas_used = executed.gas_used;
        // Post-assertion of each action: its burn is in the block, succeeded
        // and logged Burned(recipient, amount) from the Burner.
        let topic0 = keccak256(BURNED_EVENT);
        let landed: Vec<CrossAction> = actions
            .into_iter()
            .filter(|a| {
                executed.included.iter().zip(&receipts).any(|(t, r)| {
                    t.hash == a.tx.hash
                        && r.success
                        && r.logs.iter().any(|l| {
                            l.address == BURNER_ADDRESS
                                && l.topics.first() == Some(&topic0)
                                && l.topics.get(1)
                                    == Some(&B256::left_padding_from(a.recipient.as_slice()))
                                && l.data.as_ref() == B256::from(a.amount).as_slice()
                        })
                })
            })
            .collect();
        let header = L2Header {
            chain_id: L2_CHAIN_ID,
            number,
            parent_hash: parent,
            kind,
            l1_slot,
            l1_parent_beacon_root: l1_parent.0,
            l1_parent_block_hash: l1_parent.1,
            timestamp,
            state_root: state_root(&state),
            transactions_root: transactions_root(&transactions),
            receipts_root: receipts_root(&receipts),
            gas_limit: L2_GAS_LIMIT,
            gas_used,
            base_fee_per_gas: L2_BASE_FEE,
        };
        let hash = header.hash();
        let certificate = if kind == KIND_BASED {
            Certificate::None
        } else if let Some(c) = &self.committee {
            c.certify(L2_CHAIN_ID, hash)
        } else {
            let (y, r, s) = self.key.sign_hash(ecdsa_digest(L2_CHAIN_ID, hash));
            let mut sig = [0u8; 65];
            sig[..32].copy_from_slice(r.as_slice());
            sig[32..64].copy_from_slice(s.as_slice());
            sig[64] = u8::from(y);
            Certificate::Ecdsa(FixedBytes(sig))
        };
        self.blocks.insert(
            hash,
            L2Entry {
                msg: FeedMessage {
                    block: L2Block {
                        header,
                        transactions,
                    },
                    certificate,
                },
                hash,
                state,
                receipts,
                reverted: false,
                revert: None,
                actions: landed,
            },
        );
        self.order.push(hash);
        self.outbox.push(hash);
        hash
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
        if lands
            && !skip_ending
            && !self.faults.no_builder
            && (!self.actions.is_empty()
                || (self.opts.based_every > 0 && slot.is_multiple_of(self.opts.based_every)))
        {
            self.tip = self.make(self.tip, KIND_BASED, slot, l1_parent, timestamp, 0);
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

    /// Produces blocks `progress..upto` of `slot` (block `n - 1` slot-ending
    /// unless `skip_ending`).
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
            let kind = if i + 1 == n && !skip_ending && !self.opts.nth_rule {
                KIND_SLOT_ENDING
            } else {
                KIND_SEQUENCED
            };
            let parent = self.tip;
            self.tip = self.make(parent, kind, slot, l1_parent, timestamp, 0);
            if i == 0 && std::mem::take(&mut self.faults.equivocate) {
                // A second certified block at the same height, never extended.
                let twin = self.make(parent, kind, slot, l1_parent, timestamp, 1);
                if let Some(e) = self.blocks.get_mut(&twin) {
                    e.mark_reverted(slot, "equivocation");
                }
                self.equivocations.push((self.tip, twin));
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
        l1_parent: (B256, B256),
        slot_start: u64,
    ) -> B256 {
        let mut cur = self.tip;
        while cur != committed_head {
            let Some(e) = self.blocks.get_mut(&cur) else {
                break;
            };
            if e.msg.block.header.number == 0 {
                break;
            }
            e.mark_reverted(slot, "basedModeSwitch");
            cur = e.msg.block.header.parent_hash;
        }
        self.based_mode_slots.push(slot);
        self.tip = self.make(
            committed_head,
            KIND_BASED,
            slot,
            l1_parent,
            slot_start.saturating_sub(1),
            0,
        );
        self.tip
    }

    /// The commitment of `hash` on top of `prev`.
    pub fn commit(&self, hash: B256, prev: B256) -> Commit {
        Commit {
            block_hash: hash,
            number: self.entry(&hash).msg.block.header.number,
            prev,
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
        let mut cur = self.tip;
        while cur != resume {
            let Some(e) = self.blocks.get_mut(&cur) else {
                break;
            };
            e.mark_reverted(slot, "l1Reorg");
            cur = e.msg.block.header.parent_hash;
        }
        self.tip = resume;
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

/// PROTOCOL.md section 8 `rollupConfigHash` for a given sequencer kind and
/// id (the library's own computation, without a verified committee).
pub fn config_hash(
    config: &preconf_light::rollup::RollupConfig,
    sequencer_kind: u8,
    sequencer_id: &[u8],
) -> B256 {
    config.config_hash_with(sequencer_kind, sequencer_id)
}

/// Decodes a signed EIP-1559 envelope with an empty access list and
/// recovers its sender.
///
/// # Errors
/// A message for malformed encodings or signatures.
pub fn decode_eip1559(raw: &[u8]) -> Result<crate::el::Tx, String> {
    use alloy_rlp::Decodable;
    let (ty, rest) = raw.split_first().ok_or("empty transaction")?;
    if *ty != 2 {
        return Err("only EIP-1559 (type 2) transactions".into());
    }
    let mut buf = rest;
    let header = alloy_rlp::Header::decode(&mut buf).map_err(|e| e.to_string())?;
    if !header.list || header.payload_length != buf.len() {
        return Err("malformed transaction list".into());
    }
    let b = &mut buf;
    let err = |e: alloy_rlp::Error| e.to_string();
    let chain_id = u64::decode(b).map_err(err)?;
    let nonce = u64::decode(b).map_err(err)?;
    let priority = u64::decode(b).map_err(err)?;
    let max_fee = u64::decode(b).map_err(err)?;
    let gas = u64::decode(b).map_err(err)?;
    let to = Address::decode(b).map_err(err)?;
    let value = U256::decode(b).map_err(err)?;
    let input = Bytes::decode(b).map_err(err)?;
    let access = alloy_rlp::Header::decode(b).map_err(err)?;
    if !access.list || access.payload_length != 0 {
        return Err("access lists are not supported".into());
    }
    let y = bool::decode(b).map_err(err)?;
    let r = U256::decode(b).map_err(err)?;
    let s = U256::decode(b).map_err(err)?;
    if !b.is_empty() {
        return Err("trailing fields".into());
    }
    if priority != 0 {
        return Err("priority fees are not supported".into());
    }
    let fields = TxFields {
        chain_id,
        nonce,
        max_fee,
        gas,
        to,
        value,
        input,
    };
    let mut unsigned = Vec::new();
    unsigned_eip1559(&fields, &mut unsigned);
    let signing_hash = keccak256(&unsigned);
    let sig = k256::ecdsa::Signature::from_scalars(B256::from(r).0, B256::from(s).0)
        .map_err(|e| e.to_string())?;
    let recid = k256::ecdsa::RecoveryId::new(y, false);
    let key = k256::ecdsa::VerifyingKey::recover_from_prehash(signing_hash.as_slice(), &sig, recid)
        .map_err(|e| e.to_string())?;
    let point = key.to_encoded_point(false);
    let from = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
    Ok(crate::el::Tx {
        envelope: Bytes::copy_from_slice(raw),
        hash: keccak256(raw),
        from,
        to,
        nonce,
        value,
        gas,
        max_fee,
        chain_id,
        input: fields.input,
        signature: (y, B256::from(r), B256::from(s)),
    })
}

/// The signing payload `0x02 || rlp([chainId, nonce, 0, maxFee, gas, to, value, input, []])`.
fn unsigned_eip1559(f: &TxFields, out: &mut Vec<u8>) {
    use alloy_rlp::Encodable;
    let mut payload = Vec::new();
    f.chain_id.encode(&mut payload);
    f.nonce.encode(&mut payload);
    0u64.encode(&mut payload);
    f.max_fee.encode(&mut payload);
    f.gas.encode(&mut payload);
    f.to.encode(&mut payload);
    f.value.encode(&mut payload);
    f.input.encode(&mut payload);
    alloy_rlp::Header {
        list: true,
        payload_length: 0,
    }
    .encode(&mut payload);
    out.push(2);
    alloy_rlp::Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(out);
    out.extend_from_slice(&payload);
}

#[cfg(test)]
mod tests {
    use super::*;
    use preconf_light::rollup::{L1Timing, RollupConfig, SequencerAuth, SlotEndingRule};

    #[test]
    fn signed_transfers_decode_and_recover_their_sender() {
        let alice = Account::new(1, "alice");
        let tx = sign_eip1559(
            &alice,
            TxFields {
                chain_id: L2_CHAIN_ID,
                nonce: 3,
                max_fee: L2_BASE_FEE,
                gas: TRANSFER_GAS,
                to: Address::repeat_byte(9),
                value: U256::from(5),
                input: Bytes::new(),
            },
        );
        let back = decode_eip1559(&tx.envelope).expect("decodes");
        assert_eq!(
            (back.from, back.nonce, back.hash),
            (alice.address, 3, tx.hash)
        );
        let mut bad = tx.envelope.to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(decode_eip1559(&bad).map(|t| t.from) != Ok(alice.address));
        assert!(decode_eip1559(&[1, 2, 3]).is_err());
    }

    #[test]
    fn config_hash_matches_the_library_in_key_mode() {
        let config = RollupConfig {
            chain_id: L2_CHAIN_ID,
            sequencer: SequencerAuth::Key(Address::repeat_byte(7)),
            slot_ending: SlotEndingRule::Marker,
            stall_limit_slots: 10,
            forced_inclusion_window_slots: 0,
            inbox: crate::el::INBOX_ADDRESS,
            l1: L1Timing {
                genesis_time: 1_700_000_000,
                seconds_per_slot: 2,
                slots_per_epoch: 8,
            },
        };
        assert_eq!(
            config_hash(&config, 1, Address::repeat_byte(7).as_slice()),
            config.config_hash()
        );
        assert_ne!(
            config_hash(&config, 2, Address::repeat_byte(7).as_slice()),
            config.config_hash()
        );
    }
}
