//! Test harness: an L1 made of revm blocks (Prague rules, the EIP-4788
//! beacon roots contract, block hashes), the committed inbox bytecode
//! deployed on it, and builders for L2 headers, ECDSA and BLS certificates.
#![allow(dead_code)]

use alloy_primitives::{Address, B256, Bytes, FixedBytes, Log, TxKind, U256, address, keccak256};
use k256::ecdsa::SigningKey;
use preconf_inbox::abi::revert_name;
use preconf_inbox::{
    CommitBlock, Commitment, CommitteeInput, InboxConfig, commit_calldata, deploy_code,
};
use preconf_light::bls::ETH_DST;
use preconf_light::rollup::certificate::{
    CommitteeCertificate, bls_message, committee_hash, ecdsa_digest,
};
use preconf_light::rollup::header::{KIND_BASED, KIND_SEQUENCED, KIND_SLOT_ENDING};
use preconf_light::rollup::{Certificate, CommitteeMember, L2Header};
use revm::bytecode::Bytecode;
use revm::context::result::{ExecutionResult, Output};
use revm::context::{BlockEnv, CfgEnv, Context, TxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::database::{CacheDB, EmptyDB};
use revm::handler::{ExecuteCommitEvm, MainBuilder, MainContext};
use revm::primitives::hardfork::SpecId;
use revm::state::AccountInfo;

pub const CHAIN_ID: u64 = 901;
pub const GENESIS_TIME: u64 = 1_700_000_000;
pub const SPS: u64 = 12;
pub const SPE: u64 = 4;
pub const K: u64 = 4;
pub const FORCED_WINDOW: u64 = 3;
pub const CALLER: Address = address!("0x00000000000000000000000000000000000ca11e");
/// Slot of the L1 block that deploys the inbox.
pub const DEPLOY_SLOT: u64 = 10;
const HISTORY_BUFFER_LENGTH: u64 = 8191;
const GAS_LIMIT: u64 = 60_000_000;

/// What one transaction did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub success: bool,
    pub gas_used: u64,
    pub logs: Vec<Log>,
    pub output: Bytes,
    pub created: Option<Address>,
}

impl Outcome {
    /// The inbox error name, `"<empty>"` for an empty revert, `"<ok>"` on success.
    pub fn error(&self) -> &'static str {
        if self.success {
            return "<ok>";
        }
        if self.output.is_empty() {
            return "<empty>";
        }
        revert_name(&self.output).unwrap_or("<unknown>")
    }

    /// Asserts a revert with the named error.
    #[track_caller]
    pub fn expect_err(&self, name: &str) {
        assert_eq!(
            self.error(),
            name,
            "revert data 0x{}",
            hex::encode(&self.output)
        );
    }

    /// Asserts success.
    #[track_caller]
    pub fn expect_ok(&self) {
        assert!(
            self.success,
            "reverted with {} (0x{})",
            self.error(),
            hex::encode(&self.output)
        );
    }
}

/// The L1 parent (beacon root, execution hash) of the L1 block of `slot` in
/// the tests' canonical L1 chain (every slot has a block).
pub fn l1_parent(slot: u64) -> (B256, B256) {
    let s = slot.saturating_sub(1).to_be_bytes();
    (
        keccak256([b"beacon".as_slice(), &s].concat()),
        keccak256([b"exec".as_slice(), &s].concat()),
    )
}

/// An L1 of revm blocks.
pub struct L1 {
    db: CacheDB<EmptyDB>,
    nonce: u64,
    pub spec: SpecId,
    pub number: u64,
    pub timestamp: u64,
    pub slot: u64,
}

impl L1 {
    pub fn new(spec: SpecId) -> Self {
        let mut db = CacheDB::new(EmptyDB::default());
        db.insert_account_info(
            CALLER,
            AccountInfo {
                balance: U256::from(10u128.pow(30)),
                ..Default::default()
            },
        );
        let code = alloy_eips::eip4788::BEACON_ROOTS_CODE.clone();
        db.insert_account_info(
            alloy_eips::eip4788::BEACON_ROOTS_ADDRESS,
            AccountInfo {
                code_hash: keccak256(&code),
                code: Some(Bytecode::new_raw(code)),
                nonce: 1,
                ..Default::default()
            },
        );
        Self {
            db,
            nonce: 0,
            spec,
            number: 0,
            timestamp: GENESIS_TIME,
            slot: 0,
        }
    }

    /// Starts the next L1 block, of `slot`, on the given L1 parent (what
    /// the beacon roots contract and `blockhash(number - 1)` then answer).
    pub fn enter_slot_with_parent(&mut self, slot: u64, parent: (B256, B256)) {
        self.number += 1;
        self.slot = slot;
        self.timestamp = GENESIS_TIME + slot * SPS;
        self.db
            .cache
            .block_hashes
            .insert(U256::from(self.number - 1), parent.1);
        let idx = self.timestamp % HISTORY_BUFFER_LENGTH;
        let roots = alloy_eips::eip4788::BEACON_ROOTS_ADDRESS;
        self.db
            .insert_account_storage(roots, U256::from(idx), U256::from(self.timestamp))
            .expect("storage");
        self.db
            .insert_account_storage(
                roots,
                U256::from(idx + HISTORY_BUFFER_LENGTH),
                U256::from_be_bytes(parent.0.0),
            )
            .expect("storage");
    }

    /// Removes the current block's entry from the beacon roots contract (as
    /// on a chain without EIP-4788).
    pub fn drop_beacon_root(&mut self) {
        let idx = self.timestamp % HISTORY_BUFFER_LENGTH;
        let roots = alloy_eips::eip4788::BEACON_ROOTS_ADDRESS;
        self.db
            .insert_account_storage(roots, U256::from(idx), U256::ZERO)
            .expect("storage");
    }

    /// Starts the next L1 block, of `slot`, on the canonical parent [`l1_parent`].
    pub fn enter_slot(&mut self, slot: u64) {
        self.enter_slot_with_parent(slot, l1_parent(slot));
    }

    fn transact(&mut self, kind: TxKind, data: Bytes) -> Outcome {
        let mut cfg = CfgEnv::new_with_spec(self.spec);
        cfg.chain_id = 1;
        let block = BlockEnv {
            number: U256::from(self.number),
            beneficiary: Address::ZERO,
            timestamp: U256::from(self.timestamp),
            gas_limit: GAS_LIMIT,
            basefee: 0,
            difficulty: U256::ZERO,
            prevrandao: Some(B256::ZERO),
            blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new_with_spec(0, self.spec)),
            ..Default::default()
        };
        let db = std::mem::replace(&mut self.db, CacheDB::new(EmptyDB::default()));
        let mut evm = Context::mainnet()
            .with_db(db)
            .with_block(block)
            .with_cfg(cfg)
            .build_mainnet();
        let tx = TxEnv {
            tx_type: 2,
            caller: CALLER,
            // EIP-7825 (Osaka) caps a transaction at 2^24 gas.
            gas_limit: 16_777_216,
            gas_price: 0,
            kind,
            value: U256::ZERO,
            data,
            nonce: self.nonce,
            chain_id: Some(1),
            gas_priority_fee: Some(0),
            ..Default::default()
        };
        let result = evm.transact_commit(tx).expect("a valid L1 transaction");
        self.db = evm.ctx.journaled_state.database;
        self.nonce += 1;
        let gas_used = result.tx_gas_used();
        match result {
            ExecutionResult::Success { logs, output, .. } => {
                let (output, created) = match output {
                    Output::Call(b) => (b, None),
                    Output::Create(b, a) => (b, a),
                };
                Outcome {
                    success: true,
                    gas_used,
                    logs,
                    output,
                    created,
                }
            }
            ExecutionResult::Revert { output, .. } => Outcome {
                success: false,
                gas_used,
                logs: Vec::new(),
                output,
                created: None,
            },
            ExecutionResult::Halt { reason, .. } => panic!("halt: {reason:?}"),
        }
    }

    /// Deploys `code`.
    pub fn deploy(&mut self, code: Bytes) -> Outcome {
        self.transact(TxKind::Create, code)
    }

    /// Calls `to` with `data`.
    pub fn call(&mut self, to: Address, data: Bytes) -> Outcome {
        self.transact(TxKind::Call(to), data)
    }

    /// A storage word.
    pub fn sload(&self, addr: Address, key: B256) -> U256 {
        self.db
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.storage.get(&U256::from_be_bytes(key.0)).copied())
            .unwrap_or_default()
    }

    /// The deployed code of `addr`.
    pub fn code(&self, addr: Address) -> Bytes {
        self.db
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.info.code.as_ref())
            .map(|c| c.original_bytes())
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------- signers

pub fn ecdsa_key(seed: u8) -> SigningKey {
    let mut bytes = [0u8; 32];
    bytes[31] = seed.max(1);
    bytes[0] = 0x42;
    SigningKey::from_bytes(&bytes.into()).expect("key")
}

pub fn address_of(key: &SigningKey) -> Address {
    Address::from_public_key(key.verifying_key())
}

/// The raw 65-byte `r || s || v` (v in {0, 1}) over `digest`.
pub fn ecdsa_raw(key: &SigningKey, digest: B256) -> [u8; 65] {
    let (sig, recid) = key
        .sign_prehash_recoverable(digest.as_slice())
        .expect("sign");
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&sig.to_bytes());
    out[64] = recid.to_byte();
    out
}

pub fn ecdsa_cert(key: &SigningKey, hash: B256) -> Certificate {
    Certificate::Ecdsa(FixedBytes(ecdsa_raw(key, ecdsa_digest(CHAIN_ID, hash))))
}

/// A BLS committee: secret keys and members.
#[derive(Clone)]
pub struct Committee {
    pub id: u64,
    pub secrets: Vec<blst::min_pk::SecretKey>,
    pub members: Vec<CommitteeMember>,
}

impl Committee {
    pub fn new(id: u64, seed: u64, weights: &[u64]) -> Self {
        let mut secrets = Vec::new();
        let mut members = Vec::new();
        for (i, w) in weights.iter().enumerate() {
            let ikm = keccak256([seed.to_be_bytes(), (i as u64).to_be_bytes()].concat());
            let sk = blst::min_pk::SecretKey::key_gen(ikm.as_slice(), &[]).expect("key");
            members.push(CommitteeMember {
                pubkey: FixedBytes(sk.sk_to_pk().compress()),
                weight: *w,
            });
            secrets.push(sk);
        }
        Self {
            id,
            secrets,
            members,
        }
    }

    pub fn hash(&self) -> B256 {
        committee_hash(self.id, &self.members)
    }

    pub fn input(&self) -> CommitteeInput {
        CommitteeInput {
            id: self.id,
            members: self.members.clone(),
        }
    }

    /// A certificate over the 32-byte `message` by `signers`, naming committee `id`.
    pub fn sign_message(&self, message: B256, signers: &[usize]) -> CommitteeCertificate {
        let sigs: Vec<blst::min_pk::Signature> = signers
            .iter()
            .map(|i| self.secrets[*i].sign(message.as_slice(), ETH_DST, &[]))
            .collect();
        let refs: Vec<&blst::min_pk::Signature> = sigs.iter().collect();
        let agg = blst::min_pk::AggregateSignature::aggregate(&refs, false).expect("aggregate");
        let mut bitfield = vec![0u8; self.members.len().div_ceil(8)];
        for i in signers {
            bitfield[i / 8] |= 1 << (i % 8);
        }
        CommitteeCertificate {
            committee_id: self.id,
            bitfield,
            signature: FixedBytes(agg.to_signature().compress()),
        }
    }

    /// A block certificate by `signers`.
    pub fn sign_block(&self, hash: B256, signers: &[usize]) -> Certificate {
        Certificate::Committee(self.sign_message(bls_message(CHAIN_ID, self.id, hash), signers))
    }

    /// A block certificate by every member.
    pub fn sign_all(&self, hash: B256) -> Certificate {
        let all: Vec<usize> = (0..self.members.len()).collect();
        self.sign_block(hash, &all)
    }
}

// ---------------------------------------------------------------- L2 blocks

pub fn genesis() -> L2Header {
    L2Header {
        chain_id: CHAIN_ID,
        number: 0,
        parent_hash: B256::ZERO,
        kind: KIND_SEQUENCED,
        l1_slot: 0,
        l1_parent_beacon_root: B256::ZERO,
        l1_parent_block_hash: B256::ZERO,
        timestamp: GENESIS_TIME,
        state_root: B256::repeat_byte(0x51),
        transactions_root: alloy_trie::EMPTY_ROOT_HASH,
        receipts_root: alloy_trie::EMPTY_ROOT_HASH,
        gas_limit: 30_000_000,
        gas_used: 0,
        base_fee_per_gas: 1_000_000_000,
    }
}

/// A child of `parent` of `kind` in L1 slot `slot`, naming that slot's canonical L1 parent.
pub fn child(parent: &L2Header, kind: u8, slot: u64) -> L2Header {
    let (root, hash) = l1_parent(slot);
    L2Header {
        chain_id: CHAIN_ID,
        number: parent.number + 1,
        parent_hash: parent.hash(),
        kind,
        l1_slot: slot,
        l1_parent_beacon_root: root,
        l1_parent_block_hash: hash,
        timestamp: GENESIS_TIME + slot * SPS,
        state_root: keccak256(parent.state_root),
        transactions_root: alloy_trie::EMPTY_ROOT_HASH,
        receipts_root: alloy_trie::EMPTY_ROOT_HASH,
        gas_limit: 30_000_000,
        gas_used: 21_000,
        base_fee_per_gas: 1_000_000_000,
    }
}

pub const SEQ: u8 = KIND_SEQUENCED;
pub const END: u8 = KIND_SLOT_ENDING;
pub const BASED: u8 = KIND_BASED;

// ---------------------------------------------------------------- rollups

/// Who certifies in a test rollup.
#[derive(Clone)]
pub enum Signer {
    Key(SigningKey),
    Committee(Committee),
}

impl Signer {
    pub fn certify(&self, h: &L2Header) -> Certificate {
        match self {
            Self::Key(k) => ecdsa_cert(k, h.hash()),
            Self::Committee(c) => c.sign_all(h.hash()),
        }
    }
}

/// A deployed inbox and the rollup's committed head as the test tracks it.
pub struct Rollup {
    pub l1: L1,
    pub inbox: Address,
    pub config: InboxConfig,
    pub signer: Signer,
    pub head: L2Header,
    pub committees: Vec<Committee>,
}

pub fn config(sequencer: Address, slot_ending_n: u32) -> InboxConfig {
    InboxConfig {
        chain_id: CHAIN_ID,
        sequencer,
        slot_ending_n,
        stall_limit_slots: K,
        forced_inclusion_window_slots: FORCED_WINDOW,
        genesis_time: GENESIS_TIME,
        seconds_per_slot: SPS,
        slots_per_epoch: SPE,
    }
}

impl Rollup {
    /// An ECDSA rollup deployed in L1 slot [`DEPLOY_SLOT`].
    pub fn ecdsa(slot_ending_n: u32) -> Self {
        Self::ecdsa_on(SpecId::PRAGUE, slot_ending_n)
    }

    pub fn ecdsa_on(spec: SpecId, slot_ending_n: u32) -> Self {
        let key = ecdsa_key(1);
        let config = config(address_of(&key), slot_ending_n);
        Self::deploy(spec, config, Signer::Key(key), B256::ZERO, Vec::new())
    }

    /// A committee rollup (committee 0 bootstrapped) deployed in L1 slot [`DEPLOY_SLOT`].
    pub fn committee(weights: &[u64], slot_ending_n: u32) -> Self {
        let c = Committee::new(0, 7, weights);
        let config = config(Address::ZERO, slot_ending_n);
        let mut r = Self::deploy(
            SpecId::PRAGUE,
            config,
            Signer::Committee(c.clone()),
            c.hash(),
            vec![c.clone()],
        );
        let out = r.l1.call(
            r.inbox,
            preconf_inbox::bootstrap_calldata(&c.members).expect("calldata"),
        );
        out.expect_ok();
        r
    }

    fn deploy(
        spec: SpecId,
        config: InboxConfig,
        signer: Signer,
        committee: B256,
        committees: Vec<Committee>,
    ) -> Self {
        let mut l1 = L1::new(spec);
        l1.enter_slot(DEPLOY_SLOT);
        let g = genesis();
        let out = l1.deploy(deploy_code(&config, g.hash(), committee));
        out.expect_ok();
        let inbox = out.created.expect("created");
        Self {
            l1,
            inbox,
            config,
            signer,
            head: g,
            committees,
        }
    }

    /// A certified (or based, with no certificate) block for a commitment.
    pub fn block(&self, h: L2Header) -> CommitBlock {
        let certificate = if h.kind == BASED {
            Certificate::None
        } else {
            self.signer.certify(&h)
        };
        CommitBlock {
            header: h,
            certificate,
        }
    }

    /// The committee inputs a commitment passes.
    pub fn committee_inputs(&self) -> Vec<CommitteeInput> {
        self.committees.iter().map(Committee::input).collect()
    }

    /// Commits `blocks` on the tracked head in the current L1 block.
    pub fn commit(&mut self, blocks: Vec<CommitBlock>) -> Outcome {
        self.commit_with(blocks, Vec::new())
    }

    /// Commits with forced-inclusion proofs.
    pub fn commit_with(
        &mut self,
        blocks: Vec<CommitBlock>,
        forced: Vec<preconf_inbox::ForcedInclusion>,
    ) -> Outcome {
        let last = blocks.last().map(|b| b.header.clone());
        let c = Commitment {
            head: self.head.clone(),
            blocks,
            committees: self.committee_inputs(),
            forced,
        };
        let out = self
            .l1
            .call(self.inbox, commit_calldata(&c).expect("calldata"));
        if out.success
            && let Some(h) = last
        {
            self.head = h;
        }
        out
    }

    /// Commits raw calldata (for malformed inputs).
    pub fn call(&mut self, data: Bytes) -> Outcome {
        self.l1.call(self.inbox, data)
    }

    pub fn sload(&self, key: B256) -> U256 {
        self.l1.sload(self.inbox, key)
    }

    pub fn committed_head(&self) -> B256 {
        B256::from(self.sload(preconf_inbox::storage::slot_key(0)))
    }

    pub fn state(&self) -> preconf_inbox::storage::CommitState {
        preconf_inbox::storage::CommitState::decode(self.sload(preconf_inbox::storage::slot_key(
            preconf_inbox::storage::COMMIT_STATE_SLOT,
        )))
    }
}

/// `commit` calldata from raw parts (for inputs the typed builder cannot express).
pub fn raw_commit(
    prev: B256,
    head: &[u8],
    headers: Vec<Vec<u8>>,
    certificates: Vec<Vec<u8>>,
) -> Bytes {
    use alloy_sol_types::SolCall;
    preconf_inbox::abi::PreconfInbox::commitCall {
        prevCommitted: prev,
        headHeader: head.to_vec().into(),
        headers: headers.into_iter().map(Bytes::from).collect(),
        certificates: certificates.into_iter().map(Bytes::from).collect(),
        signatures: Vec::new(),
        committees: Vec::new(),
        forced: Vec::new(),
    }
    .abi_encode()
    .into()
}

/// Every storage word a commitment can change (slots 0-6 and the first queue entries).
pub fn snapshot(r: &Rollup) -> Vec<U256> {
    let mut keys: Vec<B256> = (0..7).map(preconf_inbox::storage::slot_key).collect();
    for i in 0..4 {
        let (a, b) = preconf_inbox::storage::forced_entry_keys(i);
        keys.push(a);
        keys.push(b);
    }
    keys.iter().map(|k| r.sload(*k)).collect()
}
