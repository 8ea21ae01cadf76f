//! Building one L2 block: the transactions run in revm on the parent's
//! state, then the sequencer SDK checks the slot or based-block rules,
//! builds the header and certifies it.

use alloy_primitives::{B256, Bytes, U256, keccak256};
use preconf_light::execution::receipts_root;
use preconf_sequencer::{BasedOn, Body, L1Parent, SlotContext, Tip, build_based};

use super::{
    BURNED_EVENT, BURNER_ADDRESS, CrossAction, L2_BASE_FEE, L2_CHAIN_ID, L2_GAS_LIMIT, L2_USERS,
    L2BlockEnv, L2Entry, L2State, Sequencer, TRANSFER_GAS, execute, state_trie,
};
use crate::el::{TxFields, sign_eip1559};

/// How the devnet builds a block.
#[derive(Debug, Clone, Copy)]
pub(super) enum Role {
    /// Certified by the sequencer; `end_slot` makes it slot-ending.
    Certified {
        /// Make it the slot-ending block.
        end_slot: bool,
    },
    /// A based block (the builder).
    Based(BasedOn),
}

pub(super) fn state_root(state: &L2State) -> B256 {
    state_trie(state, None).0
}

impl Sequencer {
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

    /// Builds a block on `parent`: runs its transactions in revm, then the
    /// SDK checks the slot and based-block rules, builds the header and
    /// certifies it (or not, for a based block). `None` (logged) if the SDK
    /// refuses: the devnet never serves a block the protocol forbids.
    pub(super) fn make(
        &mut self,
        parent: B256,
        role: Role,
        l1_slot: u64,
        l1_parent: (B256, B256),
        timestamp: u64,
        variant: u64,
    ) -> Option<B256> {
        let p = self.entry(&parent);
        let number = p.msg.block.header.number + 1;
        let timestamp = timestamp.max(p.msg.block.header.timestamp) + variant;
        let parent_state = p.state.clone();
        let mut pending: Vec<(crate::el::Tx, bool)> = Vec::new();
        let mut actions = Vec::new();
        let mut user: Vec<crate::el::Tx> = Vec::new();
        if variant == 0 {
            for f in std::mem::take(&mut self.forced_ready) {
                pending.push((f.tx, false));
            }
            for tx in std::mem::take(&mut self.mempool) {
                pending.push((tx, false));
            }
            user = pending.iter().map(|(t, _)| t.clone()).collect();
            if matches!(role, Role::Based(_)) {
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
            .iter()
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
            .cloned()
            .collect();
        let executed_included = executed.included.clone();
        let p = self.entry(&parent);
        let tip = Tip {
            header: p.msg.block.header.clone(),
            slot: p.slot,
        };
        let ctx = SlotContext {
            l1_slot,
            l1_parent: L1Parent {
                beacon_root: l1_parent.0,
                block_hash: l1_parent.1,
            },
            timestamp,
        };
        let body = Body {
            transactions,
            state_root: state_root(&state),
            receipts_root: receipts_root(&receipts),
            gas_used,
            gas_limit: L2_GAS_LIMIT,
            base_fee_per_gas: L2_BASE_FEE,
        };
        let sealed = match role {
            Role::Certified { end_slot } => self.sdk.certify_next(&tip, ctx, end_slot, body),
            Role::Based(on) => build_based(&tip, on, ctx, body),
        };
        let sealed = match sealed {
            Ok(s) => s,
            Err(e) => {
                eprintln!("preconf-devnet: slot {l1_slot}: the sequencer SDK refused a block: {e}");
                // Nothing was built: what it would have carried waits for the next block.
                user.append(&mut self.mempool);
                self.mempool = user;
                self.actions = actions;
                return None;
            }
        };
        // Everything the block carries but its cross-domain legs (which
        // revert with their mint): re-queued in order if the block reverts.
        let user_txs: Vec<crate::el::Tx> = executed_included
            .into_iter()
            .filter(|t| !actions.iter().any(|a| a.tx.hash == t.hash))
            .collect();
        let hash = sealed.hash;
        self.blocks.insert(
            hash,
            L2Entry {
                msg: sealed.message,
                hash,
                state,
                receipts,
                reverted: false,
                revert: None,
                actions: landed,
                slot: sealed.tip.slot,
                user_txs,
            },
        );
        self.order.push(hash);
        self.outbox.push(hash);
        Some(hash)
    }
}
