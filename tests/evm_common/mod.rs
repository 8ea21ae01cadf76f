//! Shared helpers for the EVM tests: a full in-memory world, an independent
//! state-root and proof computation (alloy-trie's HashBuilder over the whole
//! sorted state), transaction signing, and a block producer that executes
//! blocks with revm over the *full* state (no witness, no sparse trie).
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;

use alloy_consensus::{SignableTransaction, TxEip1559};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{
    Address, B256, Bloom, Bytes, KECCAK256_EMPTY, Signature, TxKind, U256, keccak256,
};
use alloy_trie::proof::ProofRetainer;
use alloy_trie::{EMPTY_ROOT_HASH, HashBuilder, Nibbles, TrieAccount};
use k256::ecdsa::SigningKey;
use preconf_light::execution::{ExecutionHeader, Log, Receipt, receipts_root, transactions_root};
use revm::bytecode::Bytecode;
use revm::context::{BlockEnv, CfgEnv, Context, TxEnv};
use revm::database::{AccountState, CacheDB, EmptyDB};
use revm::handler::{ExecuteCommitEvm, MainBuilder, MainContext};
use revm::primitives::hardfork::SpecId;
use revm::state::AccountInfo;
use serde_json::{Value, json};

pub const CHAIN_ID: u64 = 167_001;
pub const BASE_FEE: u64 = 7;
pub const GAS_LIMIT: u64 = 30_000_000;
pub const BENEFICIARY: Address = Address::repeat_byte(0xbe);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Acct {
    pub nonce: u64,
    pub balance: U256,
    pub code: Bytes,
    pub storage: BTreeMap<B256, U256>,
}

pub type World = BTreeMap<Address, Acct>;

fn code_hash(code: &Bytes) -> B256 {
    if code.is_empty() {
        KECCAK256_EMPTY
    } else {
        keccak256(code)
    }
}

/// Storage root and proof nodes for `targets`.
fn storage_trie(acct: &Acct, targets: &[B256]) -> (B256, alloy_trie::proof::ProofNodes) {
    let mut leaves: Vec<(B256, Vec<u8>)> = acct
        .storage
        .iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(k, v)| (keccak256(k), alloy_rlp::encode(v)))
        .collect();
    leaves.sort();
    let retainer = ProofRetainer::new(
        targets
            .iter()
            .map(|k| Nibbles::unpack(keccak256(k)))
            .collect(),
    );
    let mut hb = HashBuilder::default().with_proof_retainer(retainer);
    for (k, v) in &leaves {
        hb.add_leaf(Nibbles::unpack(k), v);
    }
    let root = hb.root();
    (root, hb.take_proof_nodes())
}

fn trie_account(acct: &Acct) -> TrieAccount {
    TrieAccount {
        nonce: acct.nonce,
        balance: acct.balance,
        storage_root: storage_trie(acct, &[]).0,
        code_hash: code_hash(&acct.code),
    }
}

fn account_trie(world: &World, targets: &[Address]) -> (B256, alloy_trie::proof::ProofNodes) {
    let mut leaves: Vec<(B256, Vec<u8>)> = world
        .iter()
        .map(|(a, acct)| (keccak256(a), alloy_rlp::encode(trie_account(acct))))
        .collect();
    leaves.sort();
    let retainer = ProofRetainer::new(
        targets
            .iter()
            .map(|a| Nibbles::unpack(keccak256(a)))
            .collect(),
    );
    let mut hb = HashBuilder::default().with_proof_retainer(retainer);
    for (k, v) in &leaves {
        hb.add_leaf(Nibbles::unpack(k), v);
    }
    let root = hb.root();
    (root, hb.take_proof_nodes())
}

/// The state root of the full world (independent of the crate's sparse trie).
pub fn state_root(world: &World) -> B256 {
    account_trie(world, &[]).0
}

fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

/// An `eth_getProof` response for `address` and `slots`.
pub fn get_proof(world: &World, address: Address, slots: &[B256]) -> Value {
    let (_, nodes) = account_trie(world, &[address]);
    let account_proof: Vec<String> = nodes
        .matching_nodes_sorted(&Nibbles::unpack(keccak256(address)))
        .into_iter()
        .map(|(_, n)| hex0x(&n))
        .collect();
    let empty = Acct::default();
    let acct = world.get(&address).unwrap_or(&empty);
    let (sroot, snodes) = storage_trie(acct, slots);
    let storage_proof: Vec<Value> = slots
        .iter()
        .map(|k| {
            let proof: Vec<String> = snodes
                .matching_nodes_sorted(&Nibbles::unpack(keccak256(k)))
                .into_iter()
                .map(|(_, n)| hex0x(&n))
                .collect();
            json!({
                "key": hex0x(k.as_slice()),
                "value": format!("0x{:x}", acct.storage.get(k).copied().unwrap_or_default()),
                "proof": proof,
            })
        })
        .collect();
    let exists = world.contains_key(&address);
    json!({
        "address": hex0x(address.as_slice()),
        "balance": format!("0x{:x}", acct.balance),
        "nonce": format!("0x{:x}", acct.nonce),
        "codeHash": hex0x(if exists { code_hash(&acct.code) } else { B256::ZERO }.as_slice()),
        "storageHash": hex0x(if exists { sroot } else { B256::ZERO }.as_slice()),
        "accountProof": account_proof,
        "storageProof": storage_proof,
    })
}

/// Every storage-trie node of `address` (for witnesses that cover collapses).
pub fn all_storage_nodes(world: &World, address: Address) -> Vec<Bytes> {
    let acct = world.get(&address).cloned().unwrap_or_default();
    let slots: Vec<B256> = acct.storage.keys().copied().collect();
    let (_, nodes) = storage_trie(&acct, &slots);
    nodes
        .into_nodes_sorted()
        .into_iter()
        .map(|(_, n)| n)
        .collect()
}

pub fn key(i: u8) -> SigningKey {
    SigningKey::from_slice(&[i; 32]).expect("valid key")
}

pub fn address_of(key: &SigningKey) -> Address {
    Address::from_public_key(key.verifying_key())
}

pub fn sign(
    key: &SigningKey,
    nonce: u64,
    to: TxKind,
    value: U256,
    input: Bytes,
    gas_limit: u64,
) -> Bytes {
    let tx = TxEip1559 {
        chain_id: CHAIN_ID,
        nonce,
        gas_limit,
        max_fee_per_gas: 20,
        max_priority_fee_per_gas: 2,
        to,
        value,
        access_list: Default::default(),
        input,
    };
    let (sig, recid) = key
        .sign_prehash_recoverable(tx.signature_hash().as_slice())
        .expect("sign");
    let signed = tx.into_signed(Signature::from((sig, recid)));
    let envelope: alloy_consensus::TxEnvelope = signed.into();
    Bytes::from(envelope.encoded_2718())
}

/// The block environment of the test chain at `number`.
pub fn block_env(number: u64) -> BlockEnv {
    BlockEnv {
        number: U256::from(number),
        beneficiary: BENEFICIARY,
        timestamp: U256::from(1_700_000_000 + number * 2),
        gas_limit: GAS_LIMIT,
        basefee: BASE_FEE,
        difficulty: U256::ZERO,
        prevrandao: Some(B256::repeat_byte(0x42)),
        blob_excess_gas_and_price: Some(
            revm::context_interface::block::BlobExcessGasAndPrice::new_with_spec(0, SpecId::CANCUN),
        ),
        ..Default::default()
    }
}

/// One tx for the producer: (sender, nonce, to, value, input, gas limit).
pub struct PlainTx {
    pub key: SigningKey,
    pub nonce: u64,
    pub to: TxKind,
    pub value: U256,
    pub input: Bytes,
    pub gas_limit: u64,
}

impl PlainTx {
    pub fn raw(&self) -> Bytes {
        sign(
            &self.key,
            self.nonce,
            self.to,
            self.value,
            self.input.clone(),
            self.gas_limit,
        )
    }
}

/// A produced block: its header and the full post-state.
pub struct Produced {
    pub header: ExecutionHeader,
    pub raw_txs: Vec<Bytes>,
    pub post: World,
    pub successes: Vec<bool>,
}

/// Executes `txs` over the full `world` with revm and builds the header
/// (roots computed over the full post-state with HashBuilder).
pub fn produce(world: &World, number: u64, txs: &[PlainTx]) -> Produced {
    let mut db = CacheDB::new(EmptyDB::default());
    for (a, acct) in world {
        db.insert_account_info(
            *a,
            AccountInfo {
                balance: acct.balance,
                nonce: acct.nonce,
                code_hash: code_hash(&acct.code),
                code: Some(Bytecode::new_raw(acct.code.clone())),
                ..Default::default()
            },
        );
        for (k, v) in &acct.storage {
            db.insert_account_storage(*a, U256::from_be_bytes(k.0), *v)
                .expect("insert");
        }
    }
    let mut cfg = CfgEnv::new_with_spec(SpecId::CANCUN);
    cfg.chain_id = CHAIN_ID;
    let mut evm = Context::mainnet()
        .with_db(db)
        .with_block(block_env(number))
        .with_cfg(cfg)
        .build_mainnet();
    let mut receipts = Vec::new();
    let mut successes = Vec::new();
    let mut cumulative = 0u64;
    for t in txs {
        let env = TxEnv {
            tx_type: 2,
            caller: address_of(&t.key),
            gas_limit: t.gas_limit,
            gas_price: 20,
            gas_priority_fee: Some(2),
            kind: t.to,
            value: t.value,
            data: t.input.clone(),
            nonce: t.nonce,
            chain_id: Some(CHAIN_ID),
            ..Default::default()
        };
        let r = evm.transact_commit(env).expect("producer: valid tx");
        cumulative += r.tx_gas_used();
        successes.push(r.is_success());
        receipts.push(Receipt {
            tx_type: 2,
            success: r.is_success(),
            cumulative_gas_used: cumulative,
            logs: r
                .logs()
                .iter()
                .map(|l| Log {
                    address: l.address,
                    topics: l.data.topics().to_vec(),
                    data: l.data.data.clone(),
                })
                .collect(),
        });
    }
    let cache = &evm.ctx.journaled_state.database.cache;
    let mut post = World::new();
    for (a, acc) in &cache.accounts {
        let gone = match acc.account_state {
            AccountState::NotExisting => true,
            AccountState::Touched | AccountState::StorageCleared => acc.info.is_empty(),
            AccountState::None => false,
        };
        if gone {
            continue;
        }
        let code = match &acc.info.code {
            Some(c) => c.original_bytes(),
            None => cache
                .contracts
                .get(&acc.info.code_hash)
                .map(|c| c.original_bytes())
                .unwrap_or_default(),
        };
        post.insert(
            *a,
            Acct {
                nonce: acc.info.nonce,
                balance: acc.info.balance,
                code,
                storage: acc
                    .storage
                    .iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(k, v)| (B256::from(*k), *v))
                    .collect(),
            },
        );
    }
    let raw_txs: Vec<Bytes> = txs.iter().map(PlainTx::raw).collect();
    let env = block_env(number);
    let header = ExecutionHeader {
        parent_hash: B256::repeat_byte(1),
        ommers_hash: preconf_light::execution::EMPTY_OMMERS_HASH,
        beneficiary: BENEFICIARY,
        state_root: state_root(&post),
        transactions_root: transactions_root(&raw_txs),
        receipts_root: receipts_root(&receipts),
        logs_bloom: Bloom::default(),
        difficulty: U256::ZERO,
        number,
        gas_limit: GAS_LIMIT,
        gas_used: cumulative,
        timestamp: env.timestamp.to::<u64>(),
        extra_data: Bytes::new(),
        mix_hash: B256::repeat_byte(0x42),
        nonce: Default::default(),
        base_fee_per_gas: Some(BASE_FEE),
        withdrawals_root: Some(EMPTY_ROOT_HASH),
        blob_gas_used: Some(0),
        excess_blob_gas: Some(0),
        parent_beacon_block_root: Some(B256::ZERO),
        requests_hash: None,
    };
    Produced {
        header,
        raw_txs,
        post,
        successes,
    }
}

/// The `eth_getBlockBy*` JSON of a header (as a node would return it).
pub fn header_json(h: &ExecutionHeader) -> Value {
    let q = |n: u64| format!("{n:#x}");
    let mut v = json!({
        "parentHash": format!("{:#x}", h.parent_hash),
        "sha3Uncles": format!("{:#x}", h.ommers_hash),
        "miner": format!("{:#x}", h.beneficiary),
        "stateRoot": format!("{:#x}", h.state_root),
        "transactionsRoot": format!("{:#x}", h.transactions_root),
        "receiptsRoot": format!("{:#x}", h.receipts_root),
        "logsBloom": hex0x(h.logs_bloom.as_slice()),
        "difficulty": format!("{:#x}", h.difficulty),
        "number": q(h.number),
        "gasLimit": q(h.gas_limit),
        "gasUsed": q(h.gas_used),
        "timestamp": q(h.timestamp),
        "extraData": hex0x(&h.extra_data),
        "mixHash": format!("{:#x}", h.mix_hash),
        "nonce": hex0x(h.nonce.as_slice()),
    });
    let o = v.as_object_mut().expect("object");
    if let Some(x) = h.base_fee_per_gas {
        o.insert("baseFeePerGas".into(), q(x).into());
    }
    if let Some(x) = h.withdrawals_root {
        o.insert("withdrawalsRoot".into(), format!("{x:#x}").into());
    }
    if let Some(x) = h.blob_gas_used {
        o.insert("blobGasUsed".into(), q(x).into());
    }
    if let Some(x) = h.excess_blob_gas {
        o.insert("excessBlobGas".into(), q(x).into());
    }
    if let Some(x) = h.parent_beacon_block_root {
        o.insert("parentBeaconBlockRoot".into(), format!("{x:#x}").into());
    }
    v
}
