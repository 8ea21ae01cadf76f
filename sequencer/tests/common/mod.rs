//! A verified starting point for the core's verifier: a light client started
//! from a trusted finalized beacon header (with a real execution branch and a
//! real BLS sync committee), the L1 header it proves, and a rollup engine
//! anchored at the rollup's genesis on it. The SDK's output is then checked
//! by the very code a wallet runs.
#![allow(dead_code)]

use alloy_primitives::{Address, B256, FixedBytes};
use blst::min_pk::{AggregatePublicKey, PublicKey, SecretKey};
use preconf_light::beacon::{
    BeaconBlockHeader, ExecutionPayloadHeader, ForkActivation, LightClientHeader,
    MinimalLightClient, Network, NetworkConfig, Preset, SyncCommittee,
};
use preconf_light::confidence::Engine;
use preconf_light::confidence::l1_adapter::{
    LightClientHead, anchor_from_genesis, from_light_client,
};
use preconf_light::rollup::header::{KIND_SEQUENCED, transactions_root};
use preconf_light::rollup::{
    L1Timing, L2Header, RollupConfig, RollupSetup, SequencerAuth, SlotEndingRule,
};
use preconf_light::ssz::{FixedVector, TreeHash, hash_pair};
use preconf_sequencer::{Body, L1Parent, SlotContext};

pub const CHAIN_ID: u64 = 690_420;
pub const GENESIS_TIME: u64 = 1_700_000_000;
pub const SECONDS_PER_SLOT: u64 = 12;
pub const SLOTS_PER_EPOCH: u64 = 8;
/// The finalized L1 slot the engine is anchored at.
pub const ANCHOR_SLOT: u64 = 16;
pub const STALL_LIMIT: u64 = 10;
/// `BeaconBlockBody` field index of the execution payload (gindex 25).
const BODY_EXECUTION_PAYLOAD: usize = 9;

pub fn timing() -> L1Timing {
    L1Timing {
        genesis_time: GENESIS_TIME,
        seconds_per_slot: SECONDS_PER_SLOT,
        slots_per_epoch: SLOTS_PER_EPOCH,
    }
}

pub fn config(sequencer: SequencerAuth, slot_ending: SlotEndingRule) -> RollupConfig {
    RollupConfig {
        chain_id: CHAIN_ID,
        sequencer,
        slot_ending,
        stall_limit_slots: STALL_LIMIT,
        forced_inclusion_window_slots: 4,
        inbox: Address::repeat_byte(0x0c),
        l1: timing(),
    }
}

/// L2 block 0.
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
        transactions_root: transactions_root(&[]),
        receipts_root: B256::repeat_byte(0x52),
        gas_limit: 30_000_000,
        gas_used: 0,
        base_fee_per_gas: 1_000_000,
    }
}

/// An empty block body (a real operator passes what its EVM produced).
pub fn body(n: u8) -> Body {
    Body {
        transactions: Vec::new(),
        state_root: B256::repeat_byte(n),
        receipts_root: B256::repeat_byte(0x52),
        gas_used: 0,
        gas_limit: 30_000_000,
        base_fee_per_gas: 1_000_000,
    }
}

/// The L1 parent the blocks of `slot` name (any pair: the verifier checks it
/// against L1 only once an L1 block of that slot exists).
pub fn l1_parent(slot: u64) -> L1Parent {
    L1Parent {
        beacon_root: B256::with_last_byte(slot as u8),
        block_hash: B256::left_padding_from(&slot.to_be_bytes()),
    }
}

pub fn slot(s: u64) -> SlotContext {
    SlotContext {
        l1_slot: s,
        l1_parent: l1_parent(s),
        timestamp: GENESIS_TIME + s * SECONDS_PER_SLOT - 1,
    }
}

fn network() -> Network {
    let forks = core::array::from_fn(|i| ForkActivation {
        version: [i as u8, 0x5e, 0x9, 0],
        epoch: 0,
    });
    Network::custom(NetworkConfig {
        name: "sequencer-sdk-test".into(),
        preset: Preset::MINIMAL,
        genesis_time: GENESIS_TIME,
        seconds_per_slot: SECONDS_PER_SLOT,
        genesis_validators_root: B256::repeat_byte(0x61),
        forks,
        blob_schedule: Vec::new(),
        max_blobs_per_block_electra: 9,
    })
    .expect("network config")
}

/// Root of 16 leaves and the branch of `index`.
fn root_and_branch(mut level: Vec<B256>, mut index: usize) -> (B256, Vec<B256>) {
    let mut branch = Vec::new();
    while level.len() > 1 {
        branch.push(level[index ^ 1]);
        level = level.chunks(2).map(|p| hash_pair(&p[0], &p[1])).collect();
        index /= 2;
    }
    (level[0], branch)
}

/// An engine anchored at [`genesis`] on a finalized L1 block of [`ANCHOR_SLOT`].
pub fn engine(config: RollupConfig) -> Engine {
    engine_at(config, genesis())
}

/// An engine anchored at `genesis` (L2 block 0) on a finalized L1 block of [`ANCHOR_SLOT`].
pub fn engine_at(config: RollupConfig, genesis: L2Header) -> Engine {
    let payload = ExecutionPayloadHeader {
        block_hash: B256::repeat_byte(0xe1),
        block_number: ANCHOR_SLOT,
        timestamp: GENESIS_TIME + ANCHOR_SLOT * SECONDS_PER_SLOT,
        ..Default::default()
    };
    let mut body = vec![B256::ZERO; 16];
    body[BODY_EXECUTION_PAYLOAD] = payload.tree_hash_root();
    let (body_root, branch) = root_and_branch(body, BODY_EXECUTION_PAYLOAD);
    let header = LightClientHeader {
        beacon: BeaconBlockHeader {
            slot: ANCHOR_SLOT,
            proposer_index: 0,
            parent_root: B256::repeat_byte(0xb0),
            state_root: B256::repeat_byte(0xb1),
            body_root,
        },
        execution: payload,
        execution_branch: FixedVector::new(branch).expect("4 siblings"),
    };
    let keys: Vec<PublicKey> = (0u8..32)
        .map(|i| {
            SecretKey::key_gen(&[i + 1; 32], &[])
                .expect("32 bytes of key material")
                .sk_to_pk()
        })
        .collect();
    let refs: Vec<&PublicKey> = keys.iter().collect();
    let committee = SyncCommittee {
        pubkeys: FixedVector::new(keys.iter().map(|k| FixedBytes(k.compress())).collect())
            .expect("32 keys"),
        aggregate_pubkey: FixedBytes(
            AggregatePublicKey::aggregate(&refs, false)
                .expect("aggregate")
                .to_public_key()
                .compress(),
        ),
    };
    let lc = MinimalLightClient::from_trusted_committee(network(), header, committee)
        .expect("trusted finalized header");
    let l1 = from_light_client(&lc, LightClientHead::Finalized, &timing()).expect("L1 header");
    let anchor = anchor_from_genesis(&config, &l1, genesis.clone()).expect("genesis anchor");
    let setup = RollupSetup {
        config,
        genesis: Some(genesis),
        batch_program_vkey: None,
    };
    Engine::new(setup, l1, anchor).expect("engine")
}
