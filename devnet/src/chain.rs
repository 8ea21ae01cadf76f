//! The simulated L1: a beacon chain with a real sync committee over the
//! minimal preset, one execution block per beacon block, faults.
//!
//! Beacon states and block bodies are kept as the leaf arrays of their SSZ
//! containers (64 leaves for the Electra/Fulu `BeaconState`, 16 for
//! `BeaconBlockBody`), so the light-client generalized indices
//! (`FINALIZED_ROOT_GINDEX_ELECTRA` 169, `CURRENT/NEXT_SYNC_COMMITTEE_GINDEX_ELECTRA`
//! 86/87, `EXECUTION_PAYLOAD_GINDEX` 25) hold. Fields the devnet does not model
//! in the state (validators, balances…) are zero chunks; the body is complete
//! (a real RANDAO reveal, empty operation lists with their spec limits, the
//! sync aggregate and the full execution payload): `/eth/v2/beacon/blocks`
//! serves exactly the content whose field roots make up `body_root`.

use std::collections::{BTreeMap, HashMap};

use alloy_primitives::{B256, Bytes, FixedBytes, U256, keccak256};
use preconf_light::beacon::{
    BeaconBlockHeader, ExecutionPayloadHeader, Fork, ForkActivation, LightClientBootstrap,
    LightClientFinalityUpdate, LightClientHeader, LightClientOptimisticUpdate, LightClientUpdate,
    Network, NetworkConfig, Preset, SyncAggregate, SyncCommittee,
};
use preconf_light::ssz::{Bitvector, ByteList, FixedVector, TreeHash, merkleize, mix_in_length};

use crate::el::{BlockInput, Commit, ElBlock, ForceRequest, L1State, Mint, build_block};
use crate::keys::{Account, VALIDATOR_COUNT, Validator, aggregate_pubkey, derive};
use crate::l2::{L2Options, Sequencer};
use crate::merkle;

/// Sync committee size (minimal preset).
pub const S: usize = preconf_light::beacon::MINIMAL_SYNC_COMMITTEE_SIZE;
/// `BeaconState` leaves (Fulu has 38 fields).
const STATE_LEAVES: usize = 64;
/// `BeaconBlockBody` leaves (13 fields).
const BODY_LEAVES: usize = 16;
const STATE_GENESIS_TIME: usize = 0;
const STATE_GVR: usize = 1;
const STATE_SLOT: usize = 2;
const STATE_LATEST_BLOCK_HEADER: usize = 4;
/// `finalized_checkpoint` field index (gindex 84 → root at 169).
const STATE_FINALIZED_CHECKPOINT: usize = 20;
/// `current_sync_committee` field index (gindex 86).
const STATE_CURRENT_SYNC_COMMITTEE: usize = 22;
/// `next_sync_committee` field index (gindex 87).
const STATE_NEXT_SYNC_COMMITTEE: usize = 23;
/// `latest_execution_payload_header` field index.
const STATE_LATEST_EXECUTION_PAYLOAD_HEADER: usize = 24;
const BODY_RANDAO: usize = 0;
const BODY_GRAFFITI: usize = 2;
const BODY_SYNC_AGGREGATE: usize = 8;
/// `execution_payload` field index (gindex 25).
const BODY_EXECUTION_PAYLOAD: usize = 9;
/// `MAX_BYTES_PER_TRANSACTION` in chunks.
const TX_CHUNK_LIMIT: usize = (1 << 30) / 32;
/// `MAX_TRANSACTIONS_PER_PAYLOAD`.
const MAX_TRANSACTIONS: usize = 1 << 20;
/// `MAX_WITHDRAWALS_PER_PAYLOAD` (minimal preset).
const MAX_WITHDRAWALS: usize = 4;
/// Graffiti of every block.
pub const GRAFFITI: &[u8] = b"preconf-devnet";
/// `DOMAIN_BEACON_PROPOSER`.
const DOMAIN_BEACON_PROPOSER: [u8; 4] = [0, 0, 0, 0];
/// `DOMAIN_RANDAO`.
const DOMAIN_RANDAO: [u8; 4] = [0x02, 0, 0, 0];
/// Limits (minimal preset, Electra) of the body's lists the devnet leaves empty:
/// `(field index, list limit)`.
const EMPTY_BODY_LISTS: [(usize, usize); 7] = [
    (3, 16),    // proposer_slashings: MAX_PROPOSER_SLASHINGS
    (4, 1),     // attester_slashings: MAX_ATTESTER_SLASHINGS_ELECTRA
    (5, 8),     // attestations: MAX_ATTESTATIONS_ELECTRA
    (6, 16),    // deposits: MAX_DEPOSITS
    (7, 16),    // voluntary_exits: MAX_VOLUNTARY_EXITS
    (10, 16),   // bls_to_execution_changes: MAX_BLS_TO_EXECUTION_CHANGES
    (11, 4096), // blob_kzg_commitments: MAX_BLOB_COMMITMENTS_PER_BLOCK
];
/// `eth1_data` field index (a zero `Eth1Data`: 3 fields, 4 leaves).
const BODY_ETH1_DATA: usize = 1;
/// `execution_requests` field index.
const BODY_EXECUTION_REQUESTS: usize = 12;
/// List limits of `ExecutionRequests` (deposits, withdrawals, consolidations).
const EXECUTION_REQUEST_LIMITS: [usize; 3] = [8192, 16, 2];

/// A forged-response kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    /// The sync aggregate signs another root.
    BadSignature,
    /// A Merkle branch has one sibling changed.
    BadBranch,
    /// A receipt's log data changed.
    WrongReceipt,
}

impl Forgery {
    /// Parses `bad_signature`, `bad_branch`, `wrong_receipt`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "bad_signature" => Some(Self::BadSignature),
            "bad_branch" => Some(Self::BadBranch),
            "wrong_receipt" => Some(Self::WrongReceipt),
            _ => None,
        }
    }
    /// Name.
    pub fn name(self) -> &'static str {
        match self {
            Self::BadSignature => "bad_signature",
            Self::BadBranch => "bad_branch",
            Self::WrongReceipt => "wrong_receipt",
        }
    }
}

/// Active faults.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Slots still to be missed (no block proposed).
    pub miss_slots: u64,
    /// Miss every N-th slot (0 = never).
    pub miss_every: u64,
    /// Light-client update endpoints answer 404.
    pub withhold_updates: bool,
    /// Finality frozen at its current checkpoint.
    pub stall_finality: bool,
    /// Forged responses by endpoint path prefix.
    pub forge: BTreeMap<String, Forgery>,
}

/// A beacon block with what the devnet serves about it.
#[derive(Debug, Clone)]
pub struct Block {
    /// Header.
    pub header: BeaconBlockHeader,
    /// Block root.
    pub root: B256,
    /// Body leaves.
    pub body: Vec<B256>,
    /// Post-state leaves.
    pub state: Vec<B256>,
    /// Execution payload header.
    pub payload: ExecutionPayloadHeader,
    /// The sync aggregate in this block (signing the parent).
    pub sync_aggregate: SyncAggregate<S>,
    /// Finalized checkpoint of the post-state.
    pub finalized: (u64, B256),
    /// The execution block.
    pub el: ElBlock,
    /// The proposer's RANDAO reveal.
    pub randao_reveal: [u8; 96],
}

/// What a reorg left behind (for ground truth).
#[derive(Debug, Clone)]
pub struct Orphan {
    /// Slot.
    pub slot: u64,
    /// Beacon root.
    pub root: B256,
    /// Execution block hash.
    pub el_hash: B256,
}

/// The chain.
pub struct Chain {
    /// Seed.
    pub seed: u64,
    /// The devnet's network.
    pub network: Network,
    validators: Vec<Validator>,
    committees: HashMap<u64, (Vec<usize>, SyncCommittee<S>)>,
    /// Canonical blocks, oldest first.
    pub blocks: Vec<Block>,
    /// Every block ever produced (also orphaned ones), by root.
    pub all: HashMap<B256, Block>,
    /// Orphaned blocks.
    pub orphans: Vec<Orphan>,
    /// Slots with no block.
    pub missed: Vec<u64>,
    /// The slot the chain has been advanced to.
    pub slot: u64,
    /// Committer account.
    pub committer: Account,
    /// The L2 sequencer and builder.
    pub l2: Sequencer,
    /// Forced-inclusion transactions waiting for the next L1 block.
    pub forced_queue: Vec<crate::l2::ForcedTx>,
    /// Faults.
    pub faults: Faults,
    /// The highest finalized checkpoint any canonical block's state reached.
    pub finalized_max: (u64, B256),
    /// The finalized checkpoint of the last finality-update event sent.
    pub emitted_finality: Option<(u64, B256)>,
}

/// The devnet's network configuration.
pub fn network_config(seed: u64, genesis_time: u64, seconds_per_slot: u64) -> NetworkConfig {
    let forks = core::array::from_fn(|i| ForkActivation {
        // Version: fork index, then 0x00de 0x7e ("devnet" flavour), stable per seed.
        version: [i as u8, 0xde, 0x7e, (seed & 0xff) as u8],
        epoch: 0,
    });
    NetworkConfig {
        name: format!("preconf-devnet-{seed}"),
        preset: Preset::MINIMAL,
        genesis_time,
        seconds_per_slot: seconds_per_slot.max(1),
        genesis_validators_root: derive(seed, "genesis-validators-root", 0),
        forks,
        blob_schedule: Vec::new(),
        max_blobs_per_block_electra: 9,
    }
}

/// Bytes packed into 32-byte chunks (last one zero-padded).
fn pack_chunks(bytes: &[u8]) -> Vec<B256> {
    bytes
        .chunks(32)
        .map(|c| {
            let mut chunk = B256::ZERO;
            chunk.0[..c.len()].copy_from_slice(c);
            chunk
        })
        .collect()
}

/// SSZ `hash_tree_root` of a transaction list.
fn transactions_ssz_root(txs: &[Bytes]) -> B256 {
    let roots: Vec<B256> = txs
        .iter()
        .map(|t| mix_in_length(&merkleize(&pack_chunks(t), TX_CHUNK_LIMIT), t.len()))
        .collect();
    mix_in_length(&merkleize(&roots, MAX_TRANSACTIONS), txs.len())
}

impl Chain {
    /// A chain at genesis.
    pub fn new(seed: u64, genesis_time: u64, seconds_per_slot: u64, l2: L2Options) -> Self {
        let network = match Network::custom(network_config(seed, genesis_time, seconds_per_slot)) {
            Ok(n) => n,
            Err(e) => panic!("devnet network config rejected: {e}"),
        };
        let mut chain = Self {
            seed,
            network,
            validators: (0..VALIDATOR_COUNT as u64)
                .map(|i| Validator::new(seed, i))
                .collect(),
            committees: HashMap::new(),
            blocks: Vec::new(),
            all: HashMap::new(),
            orphans: Vec::new(),
            missed: Vec::new(),
            slot: 0,
            committer: Account::new(seed, "committer"),
            l2: Sequencer::new(seed, l2, genesis_time),
            forced_queue: Vec::new(),
            faults: Faults::default(),
            emitted_finality: None,
            finalized_max: (0, B256::ZERO),
        };
        let genesis = chain.make_block(0, None, None, &[]);
        chain.push(genesis);
        chain
    }

    /// Genesis time.
    pub fn genesis_time(&self) -> u64 {
        self.network.genesis_time()
    }

    /// The committee of `period`: members and container.
    pub fn committee(&mut self, period: u64) -> (Vec<usize>, SyncCommittee<S>) {
        if let Some(c) = self.committees.get(&period) {
            return c.clone();
        }
        let mut order: Vec<usize> = (0..VALIDATOR_COUNT).collect();
        order.sort_by_key(|i| derive(self.seed, "committee", period * 1024 + *i as u64));
        order.truncate(S);
        let pubkeys = order
            .iter()
            .map(|i| FixedBytes(self.validators[*i].pubkey))
            .collect();
        let committee = SyncCommittee {
            pubkeys: FixedVector::new(pubkeys).unwrap_or_default(),
            aggregate_pubkey: FixedBytes(aggregate_pubkey(&self.validators, &order)),
        };
        self.committees
            .insert(period, (order.clone(), committee.clone()));
        (order, committee)
    }

    /// The canonical head.
    pub fn head(&self) -> &Block {
        // The genesis block is pushed in `new` and never removed.
        &self.blocks[self.blocks.len() - 1]
    }

    fn push(&mut self, block: Block) {
        let (epoch, root) = block.finalized;
        if epoch > self.finalized_max.0 || (self.finalized_max.1.is_zero() && !root.is_zero()) {
            self.finalized_max = block.finalized;
        }
        self.all.insert(block.root, block.clone());
        self.blocks.push(block);
    }

    /// Signs `root` at `signature_slot` with the committee of its period.
    pub fn sign(&mut self, root: B256, signature_slot: u64) -> SyncAggregate<S> {
        let period = self.network.period_at_slot(signature_slot);
        let (members, _) = self.committee(period);
        let domain = self.network.sync_committee_domain(signature_slot);
        let signing_root = Network::signing_root(root, domain);
        SyncAggregate {
            sync_committee_bits: Bitvector::new(vec![true; S]).unwrap_or_default(),
            sync_committee_signature: FixedBytes(crate::keys::aggregate_sign(
                &self.validators,
                &members,
                signing_root.as_slice(),
            )),
        }
    }

    /// The finalized checkpoint a state at `slot` holds.
    fn finalized_at(&self, slot: u64) -> (u64, B256) {
        // Finality never regresses: a branch that replaces reorged blocks
        // carries the finalized checkpoint the chain already reached.
        let parent_finalized = self.finalized_max;
        if self.faults.stall_finality {
            return parent_finalized;
        }
        let epoch = self.network.epoch_at_slot(slot);
        // Epoch 0 "finalized" keeps the zero root, as on a real chain (the
        // light-client spec expects a zero root for a genesis checkpoint).
        if epoch < 3 {
            return (0, B256::ZERO);
        }
        let target = epoch - 2;
        let boundary = target * self.network.preset().slots_per_epoch;
        let root = self
            .blocks
            .iter()
            .rev()
            .find(|b| b.header.slot <= boundary)
            .map(|b| b.root)
            .unwrap_or_default();
        let candidate = (target, root);
        if candidate.0 > parent_finalized.0 {
            candidate
        } else {
            parent_finalized
        }
    }

    fn make_block(
        &mut self,
        slot: u64,
        parent: Option<&Block>,
        commit: Option<Commit>,
        mints: &[Mint],
    ) -> Block {
        let parent_root = parent.map(|p| p.root).unwrap_or_default();
        let sync_aggregate = match parent {
            Some(p) => self.sign(p.root, slot),
            None => SyncAggregate {
                sync_committee_bits: Bitvector::default(),
                sync_committee_signature: FixedBytes({
                    let mut inf = [0u8; 96];
                    inf[0] = 0xc0;
                    inf
                }),
            },
        };
        let l1_state = parent.map(|p| p.el.state.clone()).unwrap_or(L1State {
            minted: Default::default(),
            committer_nonce: 0,
            committed_head: self.l2.genesis,
            committee_hash: self.l2.committee_hash(),
        });
        let prev_randao = derive(self.seed, "randao", slot);
        let input = BlockInput {
            parent_hash: parent.map(|p| p.el.hash).unwrap_or_default(),
            number: parent.map(|p| p.el.header.number + 1).unwrap_or(0),
            timestamp: self.network.time_at_slot(slot),
            prev_randao,
            fee_recipient: alloy_primitives::Address::from_slice(
                &derive(self.seed, "coinbase", 0)[12..],
            ),
            parent_beacon_block_root: parent_root,
        };
        let requests: Vec<ForceRequest> = if parent.is_some() {
            self.forced_queue
                .iter()
                .map(|f| ForceRequest {
                    raw: f.tx.envelope.clone(),
                    tx_hash: f.tx.hash,
                    deadline_slot: slot + crate::l2::FORCED_WINDOW_SLOTS,
                })
                .collect()
        } else {
            Vec::new()
        };
        let (el, _post) = build_block(&input, &l1_state, &self.committer, &requests, commit, mints);
        let envelopes: Vec<Bytes> = el.txs.iter().map(|t| t.envelope.clone()).collect();
        let payload = ExecutionPayloadHeader {
            parent_hash: el.header.parent_hash,
            fee_recipient: el.header.beneficiary,
            state_root: el.header.state_root,
            receipts_root: el.header.receipts_root,
            logs_bloom: FixedBytes(el.header.logs_bloom.0.0),
            prev_randao,
            block_number: el.header.number,
            gas_limit: el.header.gas_limit,
            gas_used: el.header.gas_used,
            timestamp: el.header.timestamp,
            extra_data: ByteList::new(el.header.extra_data.to_vec()).unwrap_or_default(),
            base_fee_per_gas: U256::from(crate::el::BASE_FEE),
            block_hash: el.hash,
            transactions_root: transactions_ssz_root(&envelopes),
            withdrawals_root: mix_in_length(&merkleize(&[], MAX_WITHDRAWALS), 0),
            blob_gas_used: 0,
            excess_blob_gas: 0,
        };
        let proposer_index = u64::from_le_bytes(
            derive(self.seed, "proposer", slot)[..8]
                .try_into()
                .unwrap_or_default(),
        ) % VALIDATOR_COUNT as u64;
        let randao_reveal = self.randao_reveal(proposer_index as usize, slot);
        let mut body = vec![B256::ZERO; BODY_LEAVES];
        body[BODY_RANDAO] = merkle::root(&{
            let mut c = pack_chunks(&randao_reveal);
            c.resize(4, B256::ZERO);
            c
        });
        body[BODY_ETH1_DATA] = merkle::root(&[B256::ZERO; 4]);
        for (index, limit) in EMPTY_BODY_LISTS {
            body[index] = mix_in_length(&merkleize(&[], limit), 0);
        }
        body[BODY_EXECUTION_REQUESTS] = merkle::root(&[
            mix_in_length(&merkleize(&[], EXECUTION_REQUEST_LIMITS[0]), 0),
            mix_in_length(&merkleize(&[], EXECUTION_REQUEST_LIMITS[1]), 0),
            mix_in_length(&merkleize(&[], EXECUTION_REQUEST_LIMITS[2]), 0),
            B256::ZERO,
        ]);
        body[BODY_GRAFFITI] = B256::right_padding_from(GRAFFITI);
        body[BODY_SYNC_AGGREGATE] = sync_aggregate.tree_hash_root();
        body[BODY_EXECUTION_PAYLOAD] = payload.tree_hash_root();
        let body_root = merkle::root(&body);
        let finalized = self.finalized_at(slot);
        let period = self.network.period_at_slot(slot);
        let (_, current) = self.committee(period);
        let (_, next) = self.committee(period + 1);
        let mut state = vec![B256::ZERO; STATE_LEAVES];
        state[STATE_GENESIS_TIME] = merkle::u64_chunk(self.network.genesis_time());
        state[STATE_GVR] = self.network.genesis_validators_root();
        state[STATE_SLOT] = merkle::u64_chunk(slot);
        state[STATE_LATEST_BLOCK_HEADER] = BeaconBlockHeader {
            slot,
            proposer_index,
            parent_root,
            state_root: B256::ZERO,
            body_root,
        }
        .tree_hash_root();
        state[STATE_FINALIZED_CHECKPOINT] =
            preconf_light::ssz::hash_pair(&merkle::u64_chunk(finalized.0), &finalized.1);
        state[STATE_CURRENT_SYNC_COMMITTEE] = current.tree_hash_root();
        state[STATE_NEXT_SYNC_COMMITTEE] = next.tree_hash_root();
        state[STATE_LATEST_EXECUTION_PAYLOAD_HEADER] = payload.tree_hash_root();
        let header = BeaconBlockHeader {
            slot,
            proposer_index,
            parent_root,
            state_root: merkle::root(&state),
            body_root,
        };
        Block {
            root: header.tree_hash_root(),
            header,
            body,
            state,
            payload,
            sync_aggregate,
            finalized,
            el,
            randao_reveal,
        }
    }

    /// The proposer's signature over the block (`DOMAIN_BEACON_PROPOSER`).
    pub fn proposer_signature(&self, block: &Block) -> [u8; 96] {
        let epoch = self.network.epoch_at_slot(block.header.slot);
        let fork_root = self
            .network
            .fork_data_root(self.network.fork_version_at_epoch(epoch));
        let mut domain = B256::ZERO;
        domain[..4].copy_from_slice(&DOMAIN_BEACON_PROPOSER);
        domain[4..].copy_from_slice(&fork_root[..28]);
        let signing_root = Network::signing_root(block.root, domain);
        self.validators[block.header.proposer_index as usize % VALIDATOR_COUNT]
            .sign(signing_root.as_slice())
            .compress()
    }

    /// The proposer's `randao_reveal`: its signature over the epoch.
    fn randao_reveal(&self, proposer: usize, slot: u64) -> [u8; 96] {
        let epoch = self.network.epoch_at_slot(slot);
        let version = self.network.fork_version_at_epoch(epoch);
        let fork_root = self.network.fork_data_root(version);
        let mut domain = B256::ZERO;
        domain[..4].copy_from_slice(&DOMAIN_RANDAO);
        domain[4..].copy_from_slice(&fork_root[..28]);
        let signing_root = Network::signing_root(merkle::u64_chunk(epoch), domain);
        self.validators[proposer]
            .sign(signing_root.as_slice())
            .compress()
    }

    /// The L1 state after the canonical block at `index`.
    pub fn l1_state(&self, index: usize) -> L1State {
        self.blocks
            .get(index)
            .map(|b| b.el.state.clone())
            .unwrap_or_default()
    }

    /// Advances to `slot`, producing a block per slot unless a proposer misses.
    pub fn advance_to(&mut self, slot: u64) -> Vec<B256> {
        let mut produced = Vec::new();
        while self.slot < slot {
            self.slot += 1;
            let s = self.slot;
            let missed = if self.faults.miss_slots > 0 {
                self.faults.miss_slots -= 1;
                true
            } else {
                self.faults.miss_every > 0 && s.is_multiple_of(self.faults.miss_every)
            };
            let parent = self.head().clone();
            let l1_parent = (parent.root, parent.el.hash);
            let committed_head = parent.el.state.committed_head;
            let last_commit_slot = self.last_commit_slot();
            let stalled = preconf_sequencer::slot::in_based_mode(
                s,
                last_commit_slot,
                self.l2.opts.stall_limit_slots,
            );
            let to_commit = if stalled && !missed {
                self.l2.enter_based_mode(
                    s,
                    committed_head,
                    last_commit_slot,
                    l1_parent,
                    self.network.time_at_slot(s),
                )
            } else {
                self.l2
                    .produce_slot(s, l1_parent, self.network.time_at_slot(s), !missed)
            };
            if missed {
                self.missed.push(s);
                self.l2.release_late();
                continue;
            }
            let commit = to_commit.map(|h| self.l2.commit(h, committed_head));
            // The L1 legs of the cross-domain actions whose L2 legs this
            // commitment carries: minted in the same L1 block.
            let mints = commit
                .map(|c| self.l2.actions_between(c.block_hash, committed_head))
                .unwrap_or_default();
            let block = self.make_block(s, Some(&parent), commit, &mints);
            // Requests that landed: the honest sequencer includes them next.
            let landed = std::mem::take(&mut self.forced_queue);
            self.l2.forced_ready.extend(landed);
            produced.push(block.root);
            self.push(block);
            self.l2.release_late();
        }
        produced
    }

    /// Slot of the latest canonical L1 block that carried a commitment (0 at genesis).
    pub fn last_commit_slot(&self) -> u64 {
        self.blocks
            .iter()
            .rev()
            .find(|b| b.el.commit.is_some())
            .map(|b| b.header.slot)
            .unwrap_or(0)
    }

    /// Drops the last `depth` canonical blocks (never genesis); the next
    /// slot builds on the new head.
    pub fn reorg(&mut self, depth: usize) -> usize {
        // Never below the finalized checkpoint block.
        let floor = self
            .index_of(self.finalized_max.1)
            .map(|i| i + 1)
            .unwrap_or(1);
        let keep = self.blocks.len().saturating_sub(depth).max(floor);
        let dropped: Vec<Block> = self.blocks.drain(keep..).collect();
        let dropped_commits: Vec<B256> = dropped
            .iter()
            .filter_map(|b| b.el.commit.map(|c| c.block_hash))
            .collect();
        self.l2.l1_reorged(&dropped_commits, self.slot);
        for b in &dropped {
            self.orphans.push(Orphan {
                slot: b.header.slot,
                root: b.root,
                el_hash: b.el.hash,
            });
        }
        dropped.len()
    }

    /// Index of the canonical block with `root`.
    pub fn index_of(&self, root: B256) -> Option<usize> {
        self.blocks.iter().rposition(|b| b.root == root)
    }

    /// The light-client header of `block`.
    pub fn lc_header(block: &Block) -> LightClientHeader {
        let branch = merkle::branch(&block.body, BODY_EXECUTION_PAYLOAD);
        LightClientHeader {
            beacon: block.header.clone(),
            execution: block.payload.clone(),
            execution_branch: FixedVector::new(branch).unwrap_or_default(),
        }
    }

    /// Bootstrap for any known block root.
    pub fn bootstrap(&mut self, root: B256) -> Option<LightClientBootstrap<S>> {
        let block = self.all.get(&root)?.clone();
        let period = self.network.period_at_slot(block.header.slot);
        let (_, committee) = self.committee(period);
        Some(LightClientBootstrap {
            header: Self::lc_header(&block),
            current_sync_committee: committee,
            current_sync_committee_branch: merkle::branch(
                &block.state,
                STATE_CURRENT_SYNC_COMMITTEE,
            ),
        })
    }

    fn finality_parts(&self, attested: &Block) -> (LightClientHeader, Vec<B256>) {
        let (epoch, root) = attested.finalized;
        let mut branch = vec![merkle::u64_chunk(epoch)];
        branch.extend(merkle::branch(&attested.state, STATE_FINALIZED_CHECKPOINT));
        let header = if epoch == 0 {
            LightClientHeader::default()
        } else {
            self.all.get(&root).map(Self::lc_header).unwrap_or_default()
        };
        (header, branch)
    }

    /// The best update of `period`: attested and signed in that period, with
    /// the next committee and finality.
    pub fn update_for_period(&mut self, period: u64) -> Option<LightClientUpdate<S>> {
        let blocks = &self.blocks;
        let pair = blocks.windows(2).rev().find(|w| {
            matches!(w, [a, b] if self.network.period_at_slot(a.header.slot) == period
                && self.network.period_at_slot(b.header.slot) == period)
        })?;
        let (attested, signer) = match pair {
            [a, b] => (a.clone(), b.clone()),
            _ => return None,
        };
        let (_, next) = self.committee(period + 1);
        let (finalized_header, finality_branch) = self.finality_parts(&attested);
        Some(LightClientUpdate {
            attested_header: Self::lc_header(&attested),
            next_sync_committee: next,
            next_sync_committee_branch: merkle::branch(&attested.state, STATE_NEXT_SYNC_COMMITTEE),
            finalized_header,
            finality_branch,
            sync_aggregate: signer.sync_aggregate.clone(),
            signature_slot: signer.header.slot,
        })
    }

    fn latest_pair(&self) -> Option<(Block, Block)> {
        match self.blocks.as_slice() {
            [.., a, b] => Some((a.clone(), b.clone())),
            _ => None,
        }
    }

    /// The latest finality update.
    pub fn finality_update(&self) -> Option<LightClientFinalityUpdate<S>> {
        let (attested, signer) = self.latest_pair()?;
        let (finalized_header, finality_branch) = self.finality_parts(&attested);
        Some(LightClientFinalityUpdate {
            attested_header: Self::lc_header(&attested),
            finalized_header,
            finality_branch,
            sync_aggregate: signer.sync_aggregate.clone(),
            signature_slot: signer.header.slot,
        })
    }

    /// The latest optimistic update.
    pub fn optimistic_update(&self) -> Option<LightClientOptimisticUpdate<S>> {
        let (attested, signer) = self.latest_pair()?;
        Some(LightClientOptimisticUpdate {
            attested_header: Self::lc_header(&attested),
            sync_aggregate: signer.sync_aggregate.clone(),
            signature_slot: signer.header.slot,
        })
    }

    /// The fork of every block (all forks are at epoch 0).
    pub fn fork(&self) -> Fork {
        self.network
            .fork_at_epoch(self.network.epoch_at_slot(self.slot))
    }

    /// The trusted checkpoint a client may start from: the latest finalized
    /// root, or genesis.
    pub fn trusted_checkpoint(&self) -> B256 {
        let (_, root) = self.finalized_max;
        if root.is_zero() {
            self.blocks[0].root
        } else {
            root
        }
    }

    /// A canonical block by execution number.
    pub fn by_el_number(&self, n: u64) -> Option<&Block> {
        self.blocks.iter().find(|b| b.el.header.number == n)
    }

    /// Any block (canonical first) by execution hash.
    pub fn by_el_hash(&self, h: B256) -> Option<&Block> {
        self.blocks
            .iter()
            .find(|b| b.el.hash == h)
            .or_else(|| self.all.values().find(|b| b.el.hash == h))
    }

    /// Keccak of the seed (for forgeries that need a wrong root).
    pub fn wrong_root(&self) -> B256 {
        keccak256(self.seed.to_le_bytes())
    }
}

impl Chain {
    /// Root of the committee of `period`, if computed already.
    pub fn committee_root(&self, period: u64) -> Option<B256> {
        self.committees
            .get(&period)
            .map(|(_, c)| c.tree_hash_root())
    }
}
