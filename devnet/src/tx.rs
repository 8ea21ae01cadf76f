//! Signed EIP-1559 transactions of the devnet's L1 (committer) and L2
//! (users, forced inclusion), encoded, decoded and recovered with
//! `alloy-consensus` (k256, EIP-2 low-s).
//!
//! The devnet keeps the subset its state model handles: type 2, a call to an
//! existing account (`to` required), no priority fee, no access list.

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::{Decodable2718, Encodable2718};
use alloy_primitives::{Address, B256, Bytes, TxKind, U256};

use crate::keys::Account;

/// A signed transaction with the fields the devnet reads.
#[derive(Debug, Clone)]
pub struct Tx {
    /// EIP-2718 envelope.
    pub envelope: Bytes,
    /// Transaction hash.
    pub hash: B256,
    /// Sender.
    pub from: Address,
    /// Recipient.
    pub to: Address,
    /// Nonce.
    pub nonce: u64,
    /// Value.
    pub value: U256,
    /// Gas limit.
    pub gas: u64,
    /// Max fee per gas.
    pub max_fee: u64,
    /// Chain id.
    pub chain_id: u64,
    /// Calldata.
    pub input: Bytes,
    /// Signature `(y_parity, r, s)`.
    pub signature: (bool, B256, B256),
}

/// Fields of an EIP-1559 transaction (no priority fee, no access list).
#[derive(Debug, Clone)]
pub struct TxFields {
    /// Chain id.
    pub chain_id: u64,
    /// Nonce.
    pub nonce: u64,
    /// Max fee per gas.
    pub max_fee: u64,
    /// Gas limit.
    pub gas: u64,
    /// Recipient.
    pub to: Address,
    /// Value.
    pub value: U256,
    /// Calldata.
    pub input: Bytes,
}

impl TxFields {
    fn eip1559(&self) -> TxEip1559 {
        TxEip1559 {
            chain_id: self.chain_id,
            nonce: self.nonce,
            gas_limit: self.gas,
            max_fee_per_gas: u128::from(self.max_fee),
            max_priority_fee_per_gas: 0,
            to: TxKind::Call(self.to),
            value: self.value,
            access_list: Default::default(),
            input: self.input.clone(),
        }
    }
}

fn from_signed(signed: &alloy_consensus::Signed<TxEip1559>, from: Address, envelope: Bytes) -> Tx {
    let t = signed.tx();
    let sig = signed.signature();
    Tx {
        hash: *signed.hash(),
        envelope,
        from,
        to: t.to.to().copied().unwrap_or_default(),
        nonce: t.nonce,
        value: t.value,
        gas: t.gas_limit,
        max_fee: u64::try_from(t.max_fee_per_gas).unwrap_or(u64::MAX),
        chain_id: t.chain_id,
        input: t.input.clone(),
        signature: (sig.v(), sig.r().into(), sig.s().into()),
    }
}

/// Signs an EIP-1559 transaction.
pub fn sign_eip1559(account: &Account, f: TxFields) -> Tx {
    let tx = f.eip1559();
    let signature = account.sign_hash(tx.signature_hash());
    let signed = tx.into_signed(signature);
    let envelope: Bytes = TxEnvelope::from(signed.clone()).encoded_2718().into();
    from_signed(&signed, account.address, envelope)
}

/// Decodes a signed EIP-1559 envelope with an empty access list and
/// recovers its sender.
///
/// # Errors
/// A message for another type, malformed encodings, trailing bytes, a
/// contract creation, a priority fee, an access list, or a signature that
/// does not recover (EIP-2 high `s` included).
pub fn decode_eip1559(raw: &[u8]) -> Result<Tx, String> {
    if raw.first() != Some(&2) {
        return Err("only EIP-1559 (type 2) transactions".into());
    }
    let mut buf = raw;
    let envelope = TxEnvelope::decode_2718(&mut buf).map_err(|e| e.to_string())?;
    if !buf.is_empty() {
        return Err("trailing bytes".into());
    }
    let TxEnvelope::Eip1559(signed) = envelope else {
        return Err("only EIP-1559 (type 2) transactions".into());
    };
    let t = signed.tx();
    if t.to.is_create() {
        return Err("contract creation is not supported".into());
    }
    if !t.access_list.is_empty() {
        return Err("access lists are not supported".into());
    }
    if t.max_priority_fee_per_gas != 0 {
        return Err("priority fees are not supported".into());
    }
    if u64::try_from(t.max_fee_per_gas).is_err() {
        return Err("max fee per gas above 2^64".into());
    }
    let from = signed.recover_signer().map_err(|e| e.to_string())?;
    Ok(from_signed(&signed, from, Bytes::copy_from_slice(raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(nonce: u64) -> TxFields {
        TxFields {
            chain_id: 690_420,
            nonce,
            max_fee: 1_000_000,
            gas: 21_000,
            to: Address::repeat_byte(9),
            value: U256::from(5),
            input: Bytes::new(),
        }
    }

    #[test]
    fn signed_transfers_decode_and_recover_their_sender() {
        let alice = Account::new(1, "alice");
        let tx = sign_eip1559(&alice, fields(3));
        let back = decode_eip1559(&tx.envelope).expect("decodes");
        assert_eq!(
            (back.from, back.nonce, back.hash, back.signature),
            (alice.address, 3, tx.hash, tx.signature)
        );
        let mut bad = tx.envelope.to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(decode_eip1559(&bad).map(|t| t.from) != Ok(alice.address));
        assert!(decode_eip1559(&[1, 2, 3]).is_err());
        let mut trailing = tx.envelope.to_vec();
        trailing.push(0);
        assert!(decode_eip1559(&trailing).is_err());
    }

    #[test]
    fn unsupported_fields_are_refused_by_name() {
        let alice = Account::new(1, "alice");
        let mut tx = fields(0).eip1559();
        tx.max_priority_fee_per_gas = 1;
        let signed = tx.clone().into_signed(alice.sign_hash(tx.signature_hash()));
        let raw = TxEnvelope::from(signed).encoded_2718();
        assert_eq!(
            decode_eip1559(&raw).map(|t| t.hash),
            Err("priority fees are not supported".to_string())
        );
    }
}
