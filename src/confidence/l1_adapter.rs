//! The L1 adapter: the only way to build the engine's verified L1 inputs.
//!
//! Every constructor here takes values another module of this crate already
//! verified and checks that they fit together; none accepts a bare claim.
//!
//! ```text
//!  LightClient finalized()/optimistic()  ─► from_light_client ─► Verified<L1Header>
//!     (sync-committee signed, execution branch checked)            │ .l1_block()
//!  Verified<L1Header> (child) + Verified<ExecutionBlock> (parent)  ▼
//!     ─► parent_header ─► Verified<L1Header> of the parent     Verified<L1Block>
//!  Verified<L1Header> + Verified<VerifiedReceipts>
//!     ─► inbox_logs ─► Verified<InboxLogs>
//!     ─► l1_tx_receipt (+ Verified<ExecutionBlock> with tx hashes) ─► Verified<L1TxReceipt>
//!  LightClient finalized()        ─► finalized_checkpoint ─► Verified<FinalizedCheckpoint>
//!  Verified<L1Header> (finalized) + eth_getProof of the inbox
//!     ─► anchor_from_storage ─► Verified<RollupAnchor>
//!     ─► committee_announcement ─► Verified<CommitteeAnnouncement> ─► verify_committee
//!  Verified<ProofReceipt> + program vkey ─► batch_public_values ─► Verified<BatchPublicValues>
//! ```
//!
//! What each path proves:
//! - **Light-client path** ([`from_light_client`]): the beacon header is the
//!   light client's finalized or optimistic header (a sync-committee
//!   signature, or a finality branch under one), and its execution payload
//!   header was checked against the beacon body root by the execution branch
//!   when it entered the store. Pre-Capella headers carry no execution payload
//!   and are rejected.
//! - **Parent path** ([`parent_header`]): an execution header whose keccak
//!   hash is the `parent_hash` of a verified L1 block is that block's
//!   execution parent; since every post-merge beacon block carries exactly one
//!   payload and the payload's parent is the beacon parent's payload, its
//!   beacon root is the child's verified beacon `parent_root`. Its own beacon
//!   parent root is the header's EIP-4788 `parentBeaconBlockRoot` (Deneb and
//!   later; earlier headers are rejected), committed by the same hash. Its slot
//!   is `(timestamp - genesisTime) / secondsPerSlot`, which consensus fixes
//!   exactly (`timestamp == genesisTime + slot * secondsPerSlot`); a timestamp
//!   off a slot boundary, or a slot not before the child's, is rejected.
//!   Finality is inherited: the parent of a finalized block is finalized.
//! - **Receipts** ([`inbox_logs`], [`l1_tx_receipt`]): the receipts list was
//!   rebuilt into the header's receipts root, so it is the block's complete
//!   list, in order; the inbox logs are all of its logs from the inbox.
//! - **Storage** ([`anchor_from_storage`], [`committee_announcement`]):
//!   `eth_getProof` words proven against the header's state root.

use alloy_primitives::{Address, B256, U256};

use crate::beacon::{HeaderSummary, LightClient};
use crate::execution::{
    ExecutionBlock, ExecutionError, VerifiedReceipts, verify_account_proof_for,
};
use crate::proof::{ProgramVkey, ProofError, ProofReceipt, ProvenBatch};
use crate::rollup::certificate::CommitteeAnnouncement;
use crate::rollup::{
    BatchPublicValues, FinalizedCheckpoint, InboxLogs, L1Block, L1Log, L1Timing, L1TxReceipt,
    L2Header, RollupAnchor, RollupConfig, RollupError,
};
use crate::{ErrorCode, Verified};

/// Storage slot of the inbox's committed L2 head (`committedHead`, PROTOCOL.md section 5).
pub const COMMITTED_HEAD_SLOT: B256 = B256::ZERO;

/// An L1 block with the execution roots the adapter checks receipts and proofs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct L1Header {
    /// The block as the engine consumes it.
    pub block: L1Block,
    /// Execution state root.
    pub state_root: B256,
    /// Execution receipts root.
    pub receipts_root: B256,
    /// Whether the block is at or below the light client's finalized header.
    pub finalized: bool,
}

impl Verified<L1Header> {
    /// The engine input: the same block without the roots.
    pub fn l1_block(&self) -> Verified<L1Block> {
        Verified::new_unchecked(self.block)
    }
}

/// Which verified header of the light client to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LightClientHead {
    /// The finalized header.
    Finalized,
    /// The optimistic (latest attested) header.
    Optimistic,
}

/// Why an L1 input could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum L1VerifyError {
    /// The beacon header predates Capella: it carries no execution payload.
    #[error("beacon header of slot {slot} has no execution payload (pre-Capella)")]
    NoExecutionPayload {
        /// Beacon slot.
        slot: u64,
    },
    /// The execution timestamp is not the start of the header's slot in the rollup's L1 timing.
    #[error("timestamp {timestamp} is not the start of slot {slot} in the configured L1 timing")]
    TimingMismatch {
        /// Beacon slot.
        slot: u64,
        /// Execution timestamp.
        timestamp: u64,
    },
    /// The offered parent does not hash to the child's `parent_hash`.
    #[error("block {got} is not the parent {expected}")]
    NotParent {
        /// The child's parent hash.
        expected: B256,
        /// The offered block's hash.
        got: B256,
    },
    /// The parent's number is not the child's minus one.
    #[error("parent number {parent} does not precede child number {child}")]
    ParentNumber {
        /// Parent number.
        parent: u64,
        /// Child number.
        child: u64,
    },
    /// The execution header has no `parentBeaconBlockRoot` (pre-Deneb).
    #[error("execution header {0} has no parentBeaconBlockRoot (pre-Deneb)")]
    NoParentBeaconRoot(B256),
    /// The timestamp is before genesis or not on a slot boundary.
    #[error("timestamp {0} is not on a slot boundary")]
    TimestampNotOnSlot(u64),
    /// The parent's slot is not before the child's.
    #[error("parent slot {parent} is not before child slot {child}")]
    SlotNotBefore {
        /// Parent slot.
        parent: u64,
        /// Child slot.
        child: u64,
    },
    /// The receipts were verified against another receipts root.
    #[error("receipts root {got} is not the block's {expected}")]
    ReceiptsRootMismatch {
        /// The block's receipts root.
        expected: B256,
        /// The receipts' root.
        got: B256,
    },
    /// The execution block is not the L1 header's.
    #[error("execution block {got} is not the L1 block {expected}")]
    BlockMismatch {
        /// The L1 header's block hash.
        expected: B256,
        /// The offered block's hash.
        got: B256,
    },
    /// The block's transactions were not verified (hashes only).
    #[error("the block's transaction list is not verified; fetch it with full transactions")]
    TransactionsUnverified,
    /// The transaction is not in the block.
    #[error("transaction {0} is not in the block")]
    TransactionNotInBlock(B256),
    /// The anchor or announcement needs a finalized L1 block.
    #[error("L1 block {0} is not finalized")]
    NotFinalized(B256),
    /// The proven committed head is not the offered L2 header's hash.
    #[error("inbox committed head {proven} is not the L2 header {header}")]
    CommittedHeadMismatch {
        /// The storage word.
        proven: B256,
        /// The header's hash.
        header: B256,
    },
    /// The inbox has no committee under this id.
    #[error("committee {0} is not announced")]
    CommitteeNotAnnounced(u64),
    /// A storage word does not fit its type.
    #[error("storage word {0} out of range")]
    StorageWordRange(&'static str),
    /// The proof is for another program than the rollup's batch program.
    #[error("proof is for another program")]
    ProgramMismatch,
    /// The execution layer rejected a proof or response.
    #[error(transparent)]
    Execution(#[from] ExecutionError),
    /// The rollup layer rejected a value.
    #[error(transparent)]
    Rollup(#[from] RollupError),
    /// The proof layer rejected a proof.
    #[error(transparent)]
    Proof(#[from] ProofError),
}

impl ErrorCode for L1VerifyError {
    fn code(&self) -> &'static str {
        match self {
            Self::NoExecutionPayload { .. } => "NO_EXECUTION_PAYLOAD",
            Self::TimingMismatch { .. } => "L1_TIMING_MISMATCH",
            Self::NotParent { .. } => "NOT_PARENT",
            Self::ParentNumber { .. } => "PARENT_NUMBER_MISMATCH",
            Self::NoParentBeaconRoot(_) => "NO_PARENT_BEACON_ROOT",
            Self::TimestampNotOnSlot(_) => "TIMESTAMP_NOT_ON_SLOT",
            Self::SlotNotBefore { .. } => "PARENT_SLOT_NOT_BEFORE",
            Self::ReceiptsRootMismatch { .. } => "RECEIPTS_ROOT_MISMATCH",
            Self::BlockMismatch { .. } => "L1_BLOCK_MISMATCH",
            Self::TransactionsUnverified => "TRANSACTIONS_UNVERIFIED",
            Self::TransactionNotInBlock(_) => "TRANSACTION_NOT_IN_BLOCK",
            Self::NotFinalized(_) => "L1_NOT_FINALIZED",
            Self::CommittedHeadMismatch { .. } => "COMMITTED_HEAD_MISMATCH",
            Self::CommitteeNotAnnounced(_) => "COMMITTEE_NOT_ANNOUNCED",
            Self::StorageWordRange(_) => "STORAGE_WORD_RANGE",
            Self::ProgramMismatch => "PROGRAM_MISMATCH",
            Self::Execution(e) => e.code(),
            Self::Rollup(e) => e.code(),
            Self::Proof(e) => e.code(),
        }
    }
}

/// Builds an L1 header from a light-client header summary (crate-internal:
/// the summary must come from the light client's store).
pub(crate) fn from_summary(
    summary: &HeaderSummary,
    finalized: bool,
    timing: &L1Timing,
) -> Result<Verified<L1Header>, L1VerifyError> {
    let exec = summary
        .execution
        .ok_or(L1VerifyError::NoExecutionPayload { slot: summary.slot })?;
    if timing.slot_start(summary.slot) != exec.timestamp {
        return Err(L1VerifyError::TimingMismatch {
            slot: summary.slot,
            timestamp: exec.timestamp,
        });
    }
    Ok(Verified::new_unchecked(L1Header {
        block: L1Block {
            slot: summary.slot,
            beacon_root: summary.beacon_root,
            parent_beacon_root: summary.parent_root,
            block_hash: exec.block_hash,
            parent_block_hash: exec.parent_hash,
            block_number: exec.block_number,
            timestamp: exec.timestamp,
        },
        state_root: exec.state_root,
        receipts_root: exec.receipts_root,
        finalized,
    }))
}

/// The light client's finalized or optimistic header as an L1 header.
///
/// # Errors
/// [`L1VerifyError::NoExecutionPayload`] before Capella;
/// [`L1VerifyError::TimingMismatch`] if the rollup's L1 timing disagrees with
/// the beacon chain's.
pub fn from_light_client<const S: usize>(
    client: &LightClient<S>,
    head: LightClientHead,
    timing: &L1Timing,
) -> Result<Verified<L1Header>, L1VerifyError> {
    match head {
        LightClientHead::Finalized => from_summary(&client.finalized(), true, timing),
        LightClientHead::Optimistic => {
            let (opt, fin) = (client.optimistic(), client.finalized());
            from_summary(&opt, opt.beacon_root == fin.beacon_root, timing)
        }
    }
}

/// The slot whose start is `timestamp`.
fn slot_of_timestamp(timing: &L1Timing, timestamp: u64) -> Result<u64, L1VerifyError> {
    let since = timestamp
        .checked_sub(timing.genesis_time)
        .ok_or(L1VerifyError::TimestampNotOnSlot(timestamp))?;
    if timing.seconds_per_slot == 0 || since % timing.seconds_per_slot != 0 {
        return Err(L1VerifyError::TimestampNotOnSlot(timestamp));
    }
    Ok(since / timing.seconds_per_slot)
}

/// The L1 header of a verified block's execution parent (see the module docs).
///
/// # Errors
/// [`L1VerifyError::NotParent`], [`L1VerifyError::ParentNumber`],
/// [`L1VerifyError::NoParentBeaconRoot`], [`L1VerifyError::TimestampNotOnSlot`]
/// or [`L1VerifyError::SlotNotBefore`].
pub fn parent_header(
    child: &Verified<L1Header>,
    parent: &Verified<ExecutionBlock>,
    timing: &L1Timing,
) -> Result<Verified<L1Header>, L1VerifyError> {
    let c = &child.block;
    if parent.hash != c.parent_block_hash {
        return Err(L1VerifyError::NotParent {
            expected: c.parent_block_hash,
            got: parent.hash,
        });
    }
    let h = &parent.header;
    if h.number.checked_add(1) != Some(c.block_number) {
        return Err(L1VerifyError::ParentNumber {
            parent: h.number,
            child: c.block_number,
        });
    }
    let grandparent_root = h
        .parent_beacon_block_root
        .ok_or(L1VerifyError::NoParentBeaconRoot(parent.hash))?;
    let slot = slot_of_timestamp(timing, h.timestamp)?;
    if slot >= c.slot {
        return Err(L1VerifyError::SlotNotBefore {
            parent: slot,
            child: c.slot,
        });
    }
    Ok(Verified::new_unchecked(L1Header {
        block: L1Block {
            slot,
            beacon_root: c.parent_beacon_root,
            parent_beacon_root: grandparent_root,
            block_hash: parent.hash,
            parent_block_hash: h.parent_hash,
            block_number: h.number,
            timestamp: h.timestamp,
        },
        state_root: h.state_root,
        receipts_root: h.receipts_root,
        finalized: child.finalized,
    }))
}

fn check_receipts(header: &L1Header, receipts: &VerifiedReceipts) -> Result<(), L1VerifyError> {
    if receipts.receipts_root != header.receipts_root {
        return Err(L1VerifyError::ReceiptsRootMismatch {
            expected: header.receipts_root,
            got: receipts.receipts_root,
        });
    }
    Ok(())
}

/// All of the block's logs emitted by `inbox`, in log order.
///
/// # Errors
/// [`L1VerifyError::ReceiptsRootMismatch`] if the receipts are not the block's.
pub fn inbox_logs(
    header: &Verified<L1Header>,
    receipts: &Verified<VerifiedReceipts>,
    inbox: Address,
) -> Result<Verified<InboxLogs>, L1VerifyError> {
    check_receipts(header, receipts)?;
    let logs = receipts
        .logs
        .iter()
        .filter(|l| l.address == inbox)
        .map(|l| L1Log {
            address: l.address,
            topics: l.topics.clone(),
            data: l.data.clone(),
        })
        .collect();
    Ok(Verified::new_unchecked(InboxLogs {
        beacon_root: header.block.beacon_root,
        block_hash: header.block.block_hash,
        logs,
    }))
}

/// The receipt of transaction `tx_hash` in a verified L1 block.
///
/// # Errors
/// [`L1VerifyError::BlockMismatch`], [`L1VerifyError::ReceiptsRootMismatch`],
/// [`L1VerifyError::TransactionsUnverified`] (block fetched with hashes only)
/// or [`L1VerifyError::TransactionNotInBlock`].
pub fn l1_tx_receipt(
    header: &Verified<L1Header>,
    block: &Verified<ExecutionBlock>,
    receipts: &Verified<VerifiedReceipts>,
    tx_hash: B256,
) -> Result<Verified<L1TxReceipt>, L1VerifyError> {
    if block.hash != header.block.block_hash {
        return Err(L1VerifyError::BlockMismatch {
            expected: header.block.block_hash,
            got: block.hash,
        });
    }
    check_receipts(header, receipts)?;
    let hashes = block
        .transaction_hashes
        .as_ref()
        .ok_or(L1VerifyError::TransactionsUnverified)?;
    let receipt = hashes
        .iter()
        .position(|h| *h == tx_hash)
        .and_then(|i| receipts.receipts.get(i))
        .ok_or(L1VerifyError::TransactionNotInBlock(tx_hash))?;
    Ok(Verified::new_unchecked(L1TxReceipt {
        tx_hash,
        beacon_root: header.block.beacon_root,
        success: receipt.success,
    }))
}

/// The light client's finalized checkpoint.
pub fn finalized_checkpoint<const S: usize>(
    client: &LightClient<S>,
) -> Verified<FinalizedCheckpoint> {
    let f = client.finalized();
    Verified::new_unchecked(FinalizedCheckpoint {
        slot: f.slot,
        beacon_root: f.beacon_root,
    })
}

/// The checkpoint of a finalized L1 header.
///
/// # Errors
/// [`L1VerifyError::NotFinalized`] for a header not known to be finalized.
pub fn checkpoint_of(
    header: &Verified<L1Header>,
) -> Result<Verified<FinalizedCheckpoint>, L1VerifyError> {
    if !header.finalized {
        return Err(L1VerifyError::NotFinalized(header.block.beacon_root));
    }
    Ok(Verified::new_unchecked(FinalizedCheckpoint {
        slot: header.block.slot,
        beacon_root: header.block.beacon_root,
    }))
}

/// The engine's trust root from the inbox's storage at a finalized L1 block.
///
/// `proof` is the `eth_getProof` answer for `config.inbox` and exactly the key
/// [`COMMITTED_HEAD_SLOT`] at that block; the proven word must be the hash of
/// `l2_header`. A zero word means nothing is committed there yet: the rollup
/// is at its genesis, `l2_header` must be that genesis (block 0) and the
/// anchor is [`anchor_from_genesis`]'s, now proven. The anchor's last
/// commitment slot is taken to be the L1 block's slot: exact when that block
/// carries the commitment (pick such a block), otherwise based mode is
/// recognised up to that many slots late.
///
/// # Errors
/// [`L1VerifyError::NotFinalized`], the proof's [`ExecutionError`],
/// [`RollupError::WrongChainId`], [`L1VerifyError::CommittedHeadMismatch`],
/// or [`RollupError::BadParentLink`] for a zero word and a non-genesis header.
pub fn anchor_from_storage(
    config: &RollupConfig,
    l1: &Verified<L1Header>,
    proof: &serde_json::Value,
    l2_header: L2Header,
) -> Result<Verified<RollupAnchor>, L1VerifyError> {
    if !l1.finalized {
        return Err(L1VerifyError::NotFinalized(l1.block.beacon_root));
    }
    let words = storage_words(l1, config.inbox, &[COMMITTED_HEAD_SLOT], proof)?;
    let proven = words.first().map(|w| B256::from(*w)).unwrap_or_default();
    if proven == B256::ZERO {
        return anchor_from_genesis(config, l1, l2_header);
    }
    anchor_at(config, l1, proven, l2_header)
}

/// The storage words at `keys` of `address`, proven against the header's state root.
pub(crate) fn storage_words(
    l1: &Verified<L1Header>,
    address: Address,
    keys: &[B256],
    proof: &serde_json::Value,
) -> Result<Vec<U256>, L1VerifyError> {
    let account = verify_account_proof_for(l1.state_root, address, keys, proof)?;
    Ok(account.storage.iter().map(|s| s.value).collect())
}

fn anchor_at(
    config: &RollupConfig,
    l1: &Verified<L1Header>,
    proven_head: B256,
    l2_header: L2Header,
) -> Result<Verified<RollupAnchor>, L1VerifyError> {
    if l2_header.chain_id != config.chain_id {
        return Err(RollupError::WrongChainId {
            expected: config.chain_id,
            got: l2_header.chain_id,
        }
        .into());
    }
    let hash = l2_header.hash();
    if proven_head != hash {
        return Err(L1VerifyError::CommittedHeadMismatch {
            proven: proven_head,
            header: hash,
        });
    }
    Ok(Verified::new_unchecked(RollupAnchor {
        l1_block: l1.block,
        l2_header,
        last_commit_slot: l1.block.slot,
    }))
}

/// The engine's trust root at the rollup's genesis: `genesis` (block 0 of the
/// trusted rollup config) is taken as committed as of the finalized L1 block
/// `l1`. Sound only if the inbox holds no commitment at `l1`; prefer
/// [`anchor_from_storage`] once the rollup has committed.
///
/// # Errors
/// [`L1VerifyError::NotFinalized`], [`RollupError::WrongChainId`], or
/// [`RollupError::BadParentLink`] for a non-zero number.
pub fn anchor_from_genesis(
    config: &RollupConfig,
    l1: &Verified<L1Header>,
    genesis: L2Header,
) -> Result<Verified<RollupAnchor>, L1VerifyError> {
    if !l1.finalized {
        return Err(L1VerifyError::NotFinalized(l1.block.beacon_root));
    }
    if genesis.number != 0 {
        return Err(RollupError::BadParentLink("genesis must be block 0").into());
    }
    anchor_at(config, l1, genesis.hash(), genesis)
}

/// Committee `committee_id`'s announcement proven from the inbox storage at `l1`.
///
/// `proof` is the `eth_getProof` answer for `config.inbox` and exactly the two
/// keys of [`CommitteeAnnouncement::storage_keys`], in order. Pass the result
/// to [`super::certificate::verify_committee`] with the member list.
///
/// # Errors
/// The proof's [`ExecutionError`], [`L1VerifyError::CommitteeNotAnnounced`]
/// for a zero hash, [`L1VerifyError::StorageWordRange`] for an activation slot
/// over u64.
pub fn committee_announcement(
    config: &RollupConfig,
    l1: &Verified<L1Header>,
    proof: &serde_json::Value,
    committee_id: u64,
) -> Result<Verified<CommitteeAnnouncement>, L1VerifyError> {
    let (hash_key, activation_key) = CommitteeAnnouncement::storage_keys(committee_id);
    let words = storage_words(l1, config.inbox, &[hash_key, activation_key], proof)?;
    let word = |i: usize| words.get(i).copied().unwrap_or_default();
    let committee_hash = B256::from(word(0));
    if committee_hash == B256::ZERO {
        return Err(L1VerifyError::CommitteeNotAnnounced(committee_id));
    }
    let activation = word(1);
    if activation > U256::from(u64::MAX) {
        return Err(L1VerifyError::StorageWordRange("committeeActivation"));
    }
    Ok(Verified::new_unchecked(CommitteeAnnouncement {
        committee_id,
        committee_hash,
        activation_l1_slot: activation.to::<u64>(),
    }))
}

/// The batch claim of a verified SP1 proof of the rollup's batch program.
///
/// The engine's `mark_proven` then checks the config hash, number and post-state root.
///
/// # Errors
/// [`L1VerifyError::ProgramMismatch`] for another program;
/// [`RollupError::Malformed`] for public values that are not a batch claim.
pub fn batch_public_values(
    receipt: &Verified<ProofReceipt>,
    program_vkey: &ProgramVkey,
) -> Result<Verified<BatchPublicValues>, L1VerifyError> {
    if receipt.program_vkey != *program_vkey {
        return Err(L1VerifyError::ProgramMismatch);
    }
    let values = BatchPublicValues::decode(&receipt.public_values)?;
    Ok(Verified::new_unchecked(values))
}

/// The batch claim of a proof already bound to the client's blocks.
pub fn batch_values_of(batch: Verified<ProvenBatch>) -> Verified<BatchPublicValues> {
    batch.map(|b| BatchPublicValues {
        l1_head: b.claim.l1_head,
        l2_pre_root: b.claim.l2_pre_root,
        l2_post_root: b.claim.l2_post_root,
        l2_block_number: b.claim.l2_block_number,
        l2_block_hash: b.claim.l2_block_hash,
        config_hash: b.claim.rollup_config_hash,
    })
}
