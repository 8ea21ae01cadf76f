//! The simulated execution layer: one block per beacon block, a signed
//! EIP-1559 transaction per block from the committer account to the rollup
//! inbox, receipts with the inbox's log, and a real state trie.
//!
//! The inbox is native devnet logic, not EVM bytecode. What it leaves on L1 is
//! what the contract of docs/PROTOCOL.md section 5 would: per commitment an
//! `L2BlockCommitted(bytes32 indexed blockHash, uint64 number, bytes32
//! prevCommitted)` log, and its storage word at [`COMMITTED_HEAD_SLOT`]
//! holding the committed L2 head (the anchor a client proves with
//! `eth_getProof`).
//!
//! The demo `Minter` at [`MINTER_ADDRESS`] (the L1 leg of a cross-domain
//! action) is native logic too: a committer transaction per mint, a
//! `Minted` log, and its `minted` mapping and `totalMinted` in storage.

use alloy_primitives::{Address, B64, B256, Bloom, Bytes, U256, address, keccak256};
use alloy_rlp::Encodable;
use alloy_trie::{HashBuilder, Nibbles, proof::ProofRetainer};
use preconf_light::execution::{ExecutionHeader, Log, Receipt, receipts_root, transactions_root};
use preconf_light::rollup::CommitteeAnnouncement;
use preconf_light::rollup::l1::{encode_commit_log, encode_forced_log};

use crate::keys::Account;
pub use crate::tx::{Tx, TxFields, sign_eip1559};
use preconf_sequencer::inbox::{commit_calldata, force_include_calldata};

/// A commitment the inbox records (the SDK's type: block hash, number, prevCommitted).
pub type Commit = preconf_sequencer::Commitment;

/// Address of the rollup inbox on L1.
pub const INBOX_ADDRESS: Address = address!("0x00000000000000000000000000000000000c0001");
/// L1 chain id.
pub const L1_CHAIN_ID: u64 = 31_337;
/// Constant base fee (the devnet's blocks are far below target).
pub const BASE_FEE: u64 = 1_000_000_000;
/// Gas limit of every block.
pub const GAS_LIMIT: u64 = 30_000_000;
/// Gas the inbox's `commit` costs (devnet accounting for native logic).
pub const COMMIT_GAS: u64 = 50_000;
/// Initial balance of the committer account (1000 ether).
pub const COMMITTER_BALANCE: u128 = 1_000_000_000_000_000_000_000;
/// Code placed at the inbox address: `PUSH1 0 PUSH1 0 REVERT` (calls from
/// the EVM are refused; the devnet applies commitments natively).
pub const INBOX_CODE: [u8; 5] = [0x60, 0x00, 0x60, 0x00, 0xfd];
/// Storage slot of the committed L2 head hash (devnet layout; slots 1 and 2
/// are the committee mappings of PROTOCOL.md section 2.2).
pub const COMMITTED_HEAD_SLOT: B256 = B256::ZERO;
/// Address of the demo `Minter` on L1 (the L1 leg of a cross-domain action).
pub const MINTER_ADDRESS: Address = address!("0x00000000000000000000000000000000000c0002");
/// Storage slot of the Minter's `mapping(address => uint256) minted`.
pub const MINTED_MAPPING_SLOT: u64 = 0;
/// Storage slot of the Minter's `totalMinted`.
pub const TOTAL_MINTED_SLOT: B256 = B256::with_last_byte(1);
/// `mint` selector source.
const MINT_SIGNATURE: &[u8] = b"mint(address,uint256,bytes32)";
/// `Minted(address indexed recipient, uint256 amount, bytes32 indexed l2TxHash)`.
pub const MINTED_EVENT: &[u8] = b"Minted(address,uint256,bytes32)";

/// The Minter's storage key of `minted[recipient]`: `keccak256(recipient . 0)`.
pub fn minted_slot(recipient: Address) -> B256 {
    let mut pre = [0u8; 64];
    pre[12..32].copy_from_slice(recipient.as_slice());
    pre[56..64].copy_from_slice(&MINTED_MAPPING_SLOT.to_be_bytes());
    keccak256(pre)
}

/// The L1 leg of a cross-domain action: a mint the builder's L1 block carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mint {
    /// Recipient.
    pub recipient: Address,
    /// Amount (= the L2 burn).
    pub amount: U256,
    /// The L2 burn transaction.
    pub l2_tx_hash: B256,
}

/// An execution block with its body and receipts.
#[derive(Debug, Clone)]
pub struct ElBlock {
    /// Header.
    pub header: ExecutionHeader,
    /// `keccak256(rlp(header))`.
    pub hash: B256,
    /// Transactions.
    pub txs: Vec<Tx>,
    /// Receipts, one per transaction.
    pub receipts: Vec<Receipt>,
    /// The L1 state after this block.
    pub state: L1State,
    /// The commitment this block carries.
    pub commit: Option<Commit>,
}

/// The L1 world state the devnet keeps: the committer, the inbox and the Minter.
#[derive(Debug, Clone, Default)]
pub struct L1State {
    /// The Minter's `minted` mapping (non-zero entries).
    pub minted: std::collections::BTreeMap<Address, U256>,
    /// Committer nonce (= commitments made).
    pub committer_nonce: u64,
    /// The committed L2 head.
    pub committed_head: B256,
    /// The announced sequencer committee (id 0, activation slot 0), if any.
    pub committee_hash: Option<B256>,
}

/// One account for the state trie.
struct AccountLeaf {
    nonce: u64,
    balance: U256,
    storage: Vec<(B256, U256)>,
    code_hash: B256,
}

pub fn encode_account(nonce: u64, balance: U256, storage_root: B256, code_hash: B256) -> Vec<u8> {
    let mut payload = Vec::new();
    nonce.encode(&mut payload);
    balance.encode(&mut payload);
    storage_root.encode(&mut payload);
    code_hash.encode(&mut payload);
    let mut out = Vec::new();
    alloy_rlp::Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(&payload);
    out
}

/// A trie root over `(hashed key, rlp value)` leaves, with the proof of
/// the hashed key `target` if given.
pub fn trie(mut leaves: Vec<(B256, Vec<u8>)>, target: Option<B256>) -> (B256, Vec<Bytes>) {
    leaves.sort_by_key(|(k, _)| *k);
    let target = target.map(Nibbles::unpack);
    let mut hb = HashBuilder::default()
        .with_proof_retainer(ProofRetainer::new(target.iter().copied().collect()));
    for (k, v) in &leaves {
        hb.add_leaf(Nibbles::unpack(k), v);
    }
    let root = hb.root();
    let proof = match target {
        Some(t) => hb
            .take_proof_nodes()
            .matching_nodes_sorted(&t)
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        None => Vec::new(),
    };
    (root, proof)
}

/// What `eth_getProof` returns for one account.
#[derive(Debug, Clone)]
pub struct AccountProof {
    /// Address.
    pub address: Address,
    /// Balance.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Code hash (`keccak256("")` for absent accounts).
    pub code_hash: B256,
    /// Storage root (empty root for absent accounts).
    pub storage_hash: B256,
    /// Account proof nodes.
    pub account_proof: Vec<Bytes>,
    /// `(key, value, proof)` per requested slot.
    pub storage: Vec<(B256, U256, Vec<Bytes>)>,
}

impl L1State {
    fn accounts(&self, committer: Address) -> Vec<(Address, AccountLeaf)> {
        let spent =
            U256::from(COMMIT_GAS) * U256::from(BASE_FEE) * U256::from(self.committer_nonce);
        let mut storage = vec![(
            COMMITTED_HEAD_SLOT,
            U256::from_be_bytes(self.committed_head.0),
        )];
        if let Some(h) = self.committee_hash {
            // committeeHash[0]; committeeActivation[0] = 0 is an absent (zero) word.
            let (hash_key, _) = CommitteeAnnouncement::storage_keys(crate::l2::COMMITTEE_ID);
            storage.push((hash_key, U256::from_be_bytes(h.0)));
        }
        storage.retain(|(_, v)| !v.is_zero());
        vec![
            (
                committer,
                AccountLeaf {
                    nonce: self.committer_nonce,
                    balance: U256::from(COMMITTER_BALANCE).saturating_sub(spent),
                    storage: Vec::new(),
                    code_hash: alloy_primitives::KECCAK256_EMPTY,
                },
            ),
            (
                INBOX_ADDRESS,
                AccountLeaf {
                    nonce: 1,
                    balance: U256::ZERO,
                    storage,
                    code_hash: keccak256(INBOX_CODE),
                },
            ),
            (
                MINTER_ADDRESS,
                AccountLeaf {
                    nonce: 1,
                    balance: U256::ZERO,
                    storage: {
                        let total: U256 = self.minted.values().copied().sum();
                        let mut st: Vec<(B256, U256)> = self
                            .minted
                            .iter()
                            .map(|(a, v)| (minted_slot(*a), *v))
                            .collect();
                        st.push((TOTAL_MINTED_SLOT, total));
                        st.retain(|(_, v)| !v.is_zero());
                        st
                    },
                    code_hash: keccak256(INBOX_CODE),
                },
            ),
        ]
    }

    fn storage_trie(storage: &[(B256, U256)], target: Option<B256>) -> (B256, Vec<Bytes>) {
        let leaves = storage
            .iter()
            .map(|(k, v)| (keccak256(k), alloy_rlp::encode(v)))
            .collect();
        trie(leaves, target.map(keccak256))
    }

    /// The state root, with the proof for `address` and `slots`.
    pub fn prove(
        &self,
        committer: Address,
        address: Address,
        slots: &[B256],
    ) -> (B256, AccountProof) {
        let accounts = self.accounts(committer);
        let mut leaves = Vec::new();
        let mut found = None;
        for (addr, acc) in &accounts {
            let (storage_root, _) = Self::storage_trie(&acc.storage, None);
            leaves.push((
                keccak256(addr),
                encode_account(acc.nonce, acc.balance, storage_root, acc.code_hash),
            ));
            if *addr == address {
                found = Some((acc, storage_root));
            }
        }
        let (root, account_proof) = trie(leaves, Some(keccak256(address)));
        let proof = match found {
            Some((acc, storage_root)) => AccountProof {
                address,
                balance: acc.balance,
                nonce: acc.nonce,
                code_hash: acc.code_hash,
                storage_hash: storage_root,
                account_proof,
                storage: slots
                    .iter()
                    .map(|s| {
                        let value = acc
                            .storage
                            .iter()
                            .find(|(k, _)| k == s)
                            .map(|(_, v)| *v)
                            .unwrap_or_default();
                        let (_, p) = Self::storage_trie(&acc.storage, Some(*s));
                        (*s, value, p)
                    })
                    .collect(),
            },
            None => AccountProof {
                address,
                balance: U256::ZERO,
                nonce: 0,
                code_hash: alloy_primitives::KECCAK256_EMPTY,
                storage_hash: alloy_trie::EMPTY_ROOT_HASH,
                account_proof,
                storage: slots.iter().map(|s| (*s, U256::ZERO, Vec::new())).collect(),
            },
        };
        (root, proof)
    }

    /// The code of `address` (`eth_getCode`): the inbox's and the Minter's
    /// stub, empty for the committer and for accounts the state does not hold.
    pub fn code(&self, address: Address) -> Bytes {
        if address == INBOX_ADDRESS || address == MINTER_ADDRESS {
            Bytes::from_static(&INBOX_CODE)
        } else {
            Bytes::new()
        }
    }

    /// The state root.
    pub fn root(&self, committer: Address) -> B256 {
        self.prove(committer, committer, &[]).0
    }
}

/// Inputs for building a block.
pub struct BlockInput {
    /// Parent block hash.
    pub parent_hash: B256,
    /// Block number.
    pub number: u64,
    /// Timestamp.
    pub timestamp: u64,
    /// prevRandao.
    pub prev_randao: B256,
    /// Fee recipient.
    pub fee_recipient: Address,
    /// Parent beacon block root (EIP-4788).
    pub parent_beacon_block_root: B256,
}

/// A forced-inclusion request: the L2 transaction and its deadline slot.
#[derive(Debug, Clone)]
pub struct ForceRequest {
    /// The raw L2 transaction.
    pub raw: Bytes,
    /// Its hash.
    pub tx_hash: B256,
    /// `deadlineSlot`.
    pub deadline_slot: u64,
}

/// Builds a block on `state` that carries the forced-inclusion `requests`
/// and commits `commit` (if any); returns the block and the post-state.
pub fn build_block(
    input: &BlockInput,
    state: &L1State,
    committer: &Account,
    requests: &[ForceRequest],
    commit: Option<Commit>,
    mints: &[Mint],
) -> (ElBlock, L1State) {
    let mut post = state.clone();
    let mut txs = Vec::new();
    let mut receipts: Vec<Receipt> = Vec::new();
    for r in requests {
        let tx = sign_eip1559(
            committer,
            TxFields {
                chain_id: L1_CHAIN_ID,
                nonce: post.committer_nonce,
                max_fee: BASE_FEE,
                gas: COMMIT_GAS,
                to: INBOX_ADDRESS,
                value: U256::ZERO,
                input: force_include_calldata(&r.raw),
            },
        );
        post.committer_nonce += 1;
        let log = encode_forced_log(INBOX_ADDRESS, r.tx_hash, r.deadline_slot);
        receipts.push(Receipt {
            tx_type: 2,
            success: true,
            cumulative_gas_used: COMMIT_GAS * (receipts.len() as u64 + 1),
            logs: vec![Log {
                address: log.address,
                topics: log.topics,
                data: log.data,
            }],
        });
        txs.push(tx);
    }
    if let Some(c) = commit {
        let tx = sign_eip1559(
            committer,
            TxFields {
                chain_id: L1_CHAIN_ID,
                nonce: post.committer_nonce,
                max_fee: BASE_FEE,
                gas: COMMIT_GAS,
                to: INBOX_ADDRESS,
                value: U256::ZERO,
                input: commit_calldata(&c),
            },
        );
        post.committer_nonce += 1;
        post.committed_head = c.block_hash;
        let log = encode_commit_log(INBOX_ADDRESS, c.block_hash, c.number, c.prev_committed);
        receipts.push(Receipt {
            tx_type: 2,
            success: true,
            cumulative_gas_used: COMMIT_GAS * (receipts.len() as u64 + 1),
            logs: vec![Log {
                address: log.address,
                topics: log.topics,
                data: log.data,
            }],
        });
        txs.push(tx);
    }
    for m in mints {
        // The Minter's L1 leg, after the commitment carrying the L2 burn.
        let mut data = keccak256(MINT_SIGNATURE)[..4].to_vec();
        data.extend_from_slice(B256::left_padding_from(m.recipient.as_slice()).as_slice());
        data.extend_from_slice(&m.amount.to_be_bytes::<32>());
        data.extend_from_slice(m.l2_tx_hash.as_slice());
        let tx = sign_eip1559(
            committer,
            TxFields {
                chain_id: L1_CHAIN_ID,
                nonce: post.committer_nonce,
                max_fee: BASE_FEE,
                gas: COMMIT_GAS,
                to: MINTER_ADDRESS,
                value: U256::ZERO,
                input: data.into(),
            },
        );
        post.committer_nonce += 1;
        *post.minted.entry(m.recipient).or_default() += m.amount;
        receipts.push(Receipt {
            tx_type: 2,
            success: true,
            cumulative_gas_used: COMMIT_GAS * (receipts.len() as u64 + 1),
            logs: vec![Log {
                address: MINTER_ADDRESS,
                topics: vec![
                    keccak256(MINTED_EVENT),
                    B256::left_padding_from(m.recipient.as_slice()),
                    m.l2_tx_hash,
                ],
                data: m.amount.to_be_bytes::<32>().to_vec().into(),
            }],
        });
        txs.push(tx);
    }
    let mut bloom = Bloom::ZERO;
    for r in &receipts {
        bloom.accrue_bloom(&r.bloom());
    }
    let envelopes: Vec<Bytes> = txs.iter().map(|t| t.envelope.clone()).collect();
    let gas_used = receipts.last().map(|r| r.cumulative_gas_used).unwrap_or(0);
    let header = ExecutionHeader {
        parent_hash: input.parent_hash,
        ommers_hash: preconf_light::execution::EMPTY_OMMERS_HASH,
        beneficiary: input.fee_recipient,
        state_root: post.root(committer.address),
        transactions_root: transactions_root(&envelopes),
        receipts_root: receipts_root(&receipts),
        logs_bloom: bloom,
        difficulty: U256::ZERO,
        number: input.number,
        gas_limit: GAS_LIMIT,
        gas_used,
        timestamp: input.timestamp,
        extra_data: Bytes::from_static(b"preconf-devnet"),
        mix_hash: input.prev_randao,
        nonce: B64::ZERO,
        base_fee_per_gas: Some(BASE_FEE),
        withdrawals_root: Some(alloy_trie::EMPTY_ROOT_HASH),
        blob_gas_used: Some(0),
        excess_blob_gas: Some(0),
        parent_beacon_block_root: Some(input.parent_beacon_block_root),
        // EIP-7685: sha256 of nothing when there are no requests.
        requests_hash: Some(preconf_light::ssz::sha256(&[])),
    };
    let hash = header.hash_slow();
    (
        ElBlock {
            header,
            hash,
            txs,
            receipts,
            state: post.clone(),
            commit,
        },
        post,
    )
}
