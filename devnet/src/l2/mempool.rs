//! The sequencer's intake: signed transactions (`eth_sendRawTransaction`,
//! the demo), cross-domain actions and forced transactions, admitted against
//! the tip plus everything queued.

use alloy_primitives::{Address, B256, Bytes, U256};

use super::{
    BURNER_ADDRESS, CrossAction, ForcedTx, L2_BASE_FEE, L2_CHAIN_ID, L2_GAS_LIMIT, L2State,
    Sequencer, TRANSFER_GAS, decode_eip1559,
};
use crate::el::{TxFields, sign_eip1559};

impl Sequencer {
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
}
