//! Block environment and transactions, converted to revm's types.

use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{Transaction, TxEnvelope};
use alloy_eips::Typed2718;
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::{Address, B256, Bytes, TxKind, U256};
use revm::context::{BlockEnv, TxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::primitives::hardfork::SpecId;

use super::error::EvmError;
use crate::execution::ExecutionHeader;

/// The Ethereum rules to execute under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvmSpec {
    /// Shanghai.
    Shanghai,
    /// Cancun (EIP-4844, EIP-1153, EIP-6780).
    #[default]
    Cancun,
    /// Prague (EIP-7702, EIP-2537, EIP-7623).
    Prague,
}

impl EvmSpec {
    pub(crate) fn spec_id(self) -> SpecId {
        match self {
            Self::Shanghai => SpecId::SHANGHAI,
            Self::Cancun => SpecId::CANCUN,
            Self::Prague => SpecId::PRAGUE,
        }
    }

    /// Parses `"shanghai"`, `"cancun"` or `"prague"`.
    ///
    /// # Errors
    /// [`EvmError::InvalidInput`] for any other name.
    pub fn parse(name: &str) -> Result<Self, EvmError> {
        match name.to_ascii_lowercase().as_str() {
            "shanghai" => Ok(Self::Shanghai),
            "cancun" => Ok(Self::Cancun),
            "prague" => Ok(Self::Prague),
            _ => Err(EvmError::InvalidInput {
                field: "spec".to_owned(),
                reason: format!("unknown spec {name}"),
            }),
        }
    }
}

/// The block a simulation or re-execution runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockContext {
    /// Chain id (checked against signed transactions).
    pub chain_id: u64,
    /// Rules.
    pub spec: EvmSpec,
    /// Block number.
    pub number: u64,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Fee recipient.
    pub beneficiary: Address,
    /// Block gas limit.
    pub gas_limit: u64,
    /// Base fee per gas.
    pub base_fee: u64,
    /// `prevRandao` (the header's mix hash).
    pub prevrandao: B256,
    /// Excess blob gas (Cancun and later; zero when `None`).
    pub excess_blob_gas: Option<u64>,
}

impl BlockContext {
    /// The context of the block `header` describes.
    pub fn from_header(header: &ExecutionHeader, chain_id: u64, spec: EvmSpec) -> Self {
        Self {
            chain_id,
            spec,
            number: header.number,
            timestamp: header.timestamp,
            beneficiary: header.beneficiary,
            gas_limit: header.gas_limit,
            base_fee: header.base_fee_per_gas.unwrap_or(0),
            prevrandao: header.mix_hash,
            excess_blob_gas: header.excess_blob_gas,
        }
    }

    pub(crate) fn block_env(&self) -> BlockEnv {
        // From Cancun on, a block always has an excess blob gas (zero if unstated).
        let excess = match self.spec {
            EvmSpec::Shanghai => self.excess_blob_gas,
            EvmSpec::Cancun | EvmSpec::Prague => Some(self.excess_blob_gas.unwrap_or(0)),
        };
        let blob =
            excess.map(|excess| BlobExcessGasAndPrice::new_with_spec(excess, self.spec.spec_id()));
        BlockEnv {
            number: U256::from(self.number),
            beneficiary: self.beneficiary,
            timestamp: U256::from(self.timestamp),
            gas_limit: self.gas_limit,
            basefee: self.base_fee,
            difficulty: U256::ZERO,
            prevrandao: Some(self.prevrandao),
            blob_excess_gas_and_price: blob,
            ..Default::default()
        }
    }
}

/// An unsigned call, executed like `eth_call` (no signature; fee and
/// balance checks off unless a gas price is given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallRequest {
    /// Sender.
    pub from: Address,
    /// Callee, or `None` to create a contract from `data`.
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Calldata (or init code).
    pub data: Bytes,
    /// Gas limit (default: the block gas limit).
    pub gas_limit: Option<u64>,
}

/// One transaction of a simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimTx {
    /// An unsigned call.
    Call(CallRequest),
    /// A signed EIP-2718 transaction (legacy, 2930, 1559 or 4844).
    Signed(Bytes),
}

/// A transaction decoded, its signer recovered.
pub(crate) struct DecodedTx {
    pub(crate) env: TxEnv,
    pub(crate) tx_type: u8,
}

/// Decodes an EIP-2718 transaction and recovers its signer.
pub(crate) fn decode_signed(raw: &[u8], index: usize) -> Result<DecodedTx, EvmError> {
    let invalid = |reason: String| EvmError::InvalidTransaction { index, reason };
    let mut buf = raw;
    let tx = TxEnvelope::decode_2718(&mut buf).map_err(|e| invalid(format!("decode: {e}")))?;
    if !buf.is_empty() {
        return Err(invalid("trailing bytes".to_owned()));
    }
    if tx.authorization_list().is_some() {
        return Err(invalid(
            "EIP-7702 transactions are not supported".to_owned(),
        ));
    }
    let caller = tx
        .recover_signer()
        .map_err(|e| invalid(format!("signature: {e}")))?;
    let tx_type = tx.ty();
    let env = TxEnv {
        tx_type,
        caller,
        gas_limit: tx.gas_limit(),
        gas_price: tx.max_fee_per_gas(),
        kind: tx.kind(),
        value: tx.value(),
        data: tx.input().clone(),
        nonce: tx.nonce(),
        chain_id: tx.chain_id(),
        access_list: tx.access_list().cloned().unwrap_or_default(),
        gas_priority_fee: tx.max_priority_fee_per_gas(),
        blob_hashes: tx
            .blob_versioned_hashes()
            .map(<[B256]>::to_vec)
            .unwrap_or_default(),
        max_fee_per_blob_gas: tx.max_fee_per_blob_gas().unwrap_or(0),
        ..Default::default()
    };
    Ok(DecodedTx { env, tx_type })
}

/// A call's transaction environment.
pub(crate) fn call_env(call: &CallRequest, block: &BlockContext, nonce: u64) -> TxEnv {
    TxEnv {
        tx_type: 0,
        caller: call.from,
        gas_limit: call.gas_limit.unwrap_or(block.gas_limit),
        gas_price: 0,
        kind: call.to.map_or(TxKind::Create, TxKind::Call),
        value: call.value,
        data: call.data.clone(),
        nonce,
        chain_id: Some(block.chain_id),
        ..Default::default()
    }
}
