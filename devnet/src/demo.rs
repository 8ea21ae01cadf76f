//! Demo-page conveniences: the devnet signs with one of its own (public) L2
//! user keys and submits, so the page needs no secp256k1 library.
//!
//! ```text
//!  POST /devnet/demo/transfer ──► transfer(seq) ──► signed EIP-1559 transfer ──► mempool
//!  POST /devnet/demo/action   ──► action(seq)   ──► signed Burner call ──► queued action
//! ```
//!
//! Both pick the nonce from the sequencer's tip plus everything queued, so
//! they can be called any number of times in a row.

use alloy_primitives::{Address, B256, Bytes, U256};

use crate::el::{TxFields, sign_eip1559};
use crate::keys::Account;
use crate::l2::{CrossAction, L2_BASE_FEE, L2_CHAIN_ID, Sequencer, TRANSFER_GAS};
use crate::l2_evm::{BURNER_ADDRESS, burn_calldata};

/// Value of a demo transfer (0.001 ETH).
pub const TRANSFER_VALUE: u64 = 1_000_000_000_000_000;

/// Value burned on L2 (and minted on L1) by a demo action (0.0001 ETH).
pub const ACTION_VALUE: u64 = 100_000_000_000_000;

/// Gas limit of a demo Burner call (a storage write and a log).
pub const ACTION_GAS: u64 = 100_000;

/// L1 recipient of the demo actions' mint.
pub const ACTION_RECIPIENT: Address = Address::repeat_byte(0xd0);

/// The seeded users with no L2 leg queued for a based block (their
/// transfers would run before the queued leg's nonce).
fn free_users(seq: &Sequencer) -> Vec<&Account> {
    seq.users()
        .iter()
        .filter(|u| !seq.actions.iter().any(|x| x.tx.from == u.address))
        .collect()
}

/// Signs and submits a transfer between two seeded users; returns its hash.
///
/// # Errors
/// A message when every user has a queued action, or the sequencer refuses the transaction.
pub fn transfer(seq: &mut Sequencer) -> Result<B256, String> {
    let users = free_users(seq);
    let from = users
        .first()
        .ok_or("every user has a queued action; wait for the next based block")?;
    let to = seq
        .users()
        .iter()
        .map(|u| u.address)
        .find(|a| *a != from.address)
        .ok_or("the devnet has a single user")?;
    let tx = sign_eip1559(
        from,
        TxFields {
            chain_id: L2_CHAIN_ID,
            nonce: seq.pending_nonce(from.address),
            max_fee: L2_BASE_FEE,
            gas: TRANSFER_GAS,
            to,
            value: U256::from(TRANSFER_VALUE),
            input: Bytes::new(),
        },
    );
    seq.submit_raw(&tx.envelope)
}

/// Signs and queues a cross-domain action (a `burn(recipient)` call of the
/// Burner with value) from the last seeded user without one queued.
///
/// # Errors
/// A message when every user has a queued action, or the sequencer refuses it.
pub fn action(seq: &mut Sequencer) -> Result<CrossAction, String> {
    let users = free_users(seq);
    let from = users
        .last()
        .ok_or("every user has a queued action; wait for the next based block")?;
    let tx = sign_eip1559(
        from,
        TxFields {
            chain_id: L2_CHAIN_ID,
            nonce: seq.pending_nonce(from.address),
            max_fee: L2_BASE_FEE,
            gas: ACTION_GAS,
            to: BURNER_ADDRESS,
            value: U256::from(ACTION_VALUE),
            input: burn_calldata(ACTION_RECIPIENT),
        },
    );
    seq.submit_action(&tx.envelope)
}
