//! What certifies the devnet's blocks, through the sequencer SDK: the
//! sequencer key, or the weighted BLS committee.

use alloy_primitives::B256;
use preconf_light::rollup::Certificate;
use preconf_light::rollup::certificate::CommitteeMember;
use preconf_sequencer::{
    Certifier, Committee, EcdsaSigner, LocalCommittee, MemberSigner, SequencerError,
};

use super::{COMMITTEE_ID, COMMITTEE_WEIGHTS};

/// The sequencer committee (PROTOCOL.md section 2.2), signing through the
/// SDK: members 1..=3 sign, member 0 (the lightest) never does.
pub struct SeqCommittee {
    local: LocalCommittee,
    /// Members as announced.
    pub members: Vec<CommitteeMember>,
    /// `committee_hash(COMMITTEE_ID, members)`.
    pub hash: B256,
}

impl SeqCommittee {
    pub(super) fn new(seed: u64) -> Self {
        let signers: Vec<MemberSigner> = (0..COMMITTEE_WEIGHTS.len() as u64)
            .map(|i| {
                let ikm = crate::keys::derive(seed ^ 0x5eed_c0de, "bls", i);
                match MemberSigner::from_ikm(ikm.as_slice()) {
                    Ok(k) => k,
                    Err(e) => panic!("32 bytes of key material refused: {e}"),
                }
            })
            .collect();
        let members: Vec<CommitteeMember> = signers
            .iter()
            .zip(COMMITTEE_WEIGHTS)
            .map(|(k, weight)| CommitteeMember {
                pubkey: k.pubkey(),
                weight,
            })
            .collect();
        let committee = match Committee::new(COMMITTEE_ID, members.clone()) {
            Ok(c) => c,
            Err(e) => panic!("the devnet committee is valid: {e}"),
        };
        let hash = committee.hash();
        let local =
            match LocalCommittee::new(committee, signers.into_iter().enumerate().skip(1).collect())
            {
                Ok(l) => l,
                Err(e) => panic!("the devnet committee's signers are its members: {e}"),
            };
        Self {
            local,
            members,
            hash,
        }
    }
}

/// What certifies the devnet's blocks: the sequencer key or the committee.
pub enum SeqCertifier {
    /// One secp256k1 key (section 2.1).
    Key(EcdsaSigner),
    /// The weighted BLS committee (section 2.2).
    Committee(Box<SeqCommittee>),
}

impl Certifier for SeqCertifier {
    fn certify(&self, chain_id: u64, block_hash: B256) -> Result<Certificate, SequencerError> {
        match self {
            Self::Key(k) => k.certify(chain_id, block_hash),
            Self::Committee(c) => c.local.certify(chain_id, block_hash),
        }
    }
}
