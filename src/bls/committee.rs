//! [`SyncCommitteeKeys`]: a sync committee decoded once per period.
//!
//! # Pipeline
//!
//! 1. The beacon module verifies the Merkle branch of a `SyncCommittee`
//!    (bootstrap: against the trusted block's state root; rotation: against
//!    an attested state signed by the current committee).
//! 2. Only then are its 512 compressed keys decoded here, once, into curve
//!    points, and summed ([`SyncCommitteeKeys::decode`]).
//! 3. Every update of the period calls
//!    [`SyncCommitteeKeys::fast_aggregate_verify`], which only adds (or
//!    subtracts) points and runs one pairing check.
//!
//! # May authenticated keys skip the G1 subgroup check?
//!
//! **Decision: yes.** Keys that reached us inside a `SyncCommittee` whose
//! Merkle branch was verified against a state root the light client already
//! trusts may be decoded with [`KeyCheck::Authenticated`]: on-curve and
//! not-infinity checks stay, the prime-order subgroup check is skipped.
//! Keys from anywhere else use [`KeyCheck::Full`]. Signatures are *never*
//! exempt: every signature comes straight from the network and always gets
//! its G2 subgroup check. The reasoning:
//!
//! **What the subgroup check protects.** A compressed 48-byte string can
//! decode to any point of `E(Fp)`, a group of order `h·r` where the cofactor
//! `h` (about 2^125) is coprime to the prime `r`. Such a point is
//! `P_r + T` with `T` of order dividing `h`. The pairing and the security
//! proofs of BLS (co-CDH, the proof-of-possession defence against rogue keys)
//! are stated on the order-`r` subgroup only; off it, nothing guarantees
//! that the Miller loop plus final exponentiation behaves bilinearly in the
//! key, so none of the guarantees apply. Concretely the check defends against:
//! - *small-subgroup attacks*, where a party is made to combine its secret
//!   with a low-order point and leaks the secret modulo small factors of `h`.
//!   The light client holds no secret at all, so there is nothing to leak;
//! - *key malleability / non-uniqueness*: `P_r` and `P_r + T` are distinct
//!   encodings that can accept the same signatures, and torsion parts can be
//!   arranged to cancel inside an aggregate. That lets an adversary who
//!   **chooses keys** craft aggregates whose behaviour the proofs do not
//!   cover, in the same family as rogue-key attacks (a key chosen as a
//!   function of the others so that the aggregate is one the attacker can
//!   sign for).
//!
//! In every case the attacker must be able to **choose a key that ends up in
//! the committee we aggregate over**. A check on a key the attacker cannot
//! choose protects nothing.
//!
//! **How a sync committee key gets there.** A validator's key enters the
//! beacon state only through a deposit whose proof-of-possession signature
//! is verified by every consensus client with the spec's `bls.Verify`, whose
//! `KeyValidate` includes this very subgroup check; a deposit that fails is
//! skipped and creates no validator. Sync committees are then sampled from
//! active validators by the state transition, so every key in a real
//! committee has passed `KeyValidate` (and a proof of possession, which also
//! rules out rogue keys) under consensus of the whole network.
//!
//! **What an attacker would need to feed us a bad key anyway.** Our keys are
//! authenticated by a SHA-256 Merkle branch to a state root we already
//! verified. To put an arbitrary key in front of this code they must
//! (a) find a second preimage or collision in SHA-256 to forge the branch,
//! or (b) have the previous committee (a 2/3 supermajority of 512 members
//! in normal operation; after the update timeout, whatever participation the
//! sync protocol's `force_update` accepts, a trade-off it makes for every
//! key, checked or not) sign a header of a state the chain never produced,
//! or (c) hand the user a wrong trusted checkpoint. Each of these already
//! lets the attacker install 512 keys whose secrets it knows, and then sign
//! anything; a non-subgroup key gives it nothing more. So the subgroup check
//! on authenticated keys cannot change the outcome of any attack, while
//! costing a large share of the cold decode (measured in
//! `docs/BENCHMARKS.md`, section BLS).
//!
//! **What still must hold without the check.** Arithmetic on a non-subgroup
//! point must stay safe: both backends use complete addition on `E(Fp)`
//! (no panics, no undefined cases), the on-curve check is kept (an
//! off-curve "point" would put us on a different curve, a twist attack
//! surface), infinity keys are still refused (Ethereum rejects them and an
//! identity aggregate would accept the identity signature for every
//! message), and an aggregate key equal to infinity is refused at verify
//! time. The caller's duty is ordering: decode with
//! [`KeyCheck::Authenticated`] **only after** the committee's branch has been
//! verified (verify, then apply).

use core::marker::PhantomData;

use super::{BlsBackend, BlsError, DefaultBackend, KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// The decompressed keys of one sync committee and their sum.
///
/// Decoding 512 compressed keys is the most expensive step of a cold start, so
/// a committee is decoded once when it becomes known and reused for every
/// update signed in its period.
#[derive(Clone)]
pub struct SyncCommitteeKeys<B: BlsBackend = DefaultBackend> {
    keys: Vec<B::PublicKey>,
    total: B::PublicKey,
    _backend: PhantomData<B>,
}

impl<B: BlsBackend> core::fmt::Debug for SyncCommitteeKeys<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // 512 points are noise in a log; the size says which committee shape it is.
        f.debug_struct("SyncCommitteeKeys")
            .field("len", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl<B: BlsBackend> SyncCommitteeKeys<B> {
    /// Decodes every member key with the given check and sums them.
    ///
    /// # Errors
    /// [`BlsError::InvalidPublicKey`] or [`BlsError::InfinityPublicKey`] for
    /// the first bad key; [`BlsError::NoParticipants`] for an empty committee.
    pub fn decode(keys: &[[u8; PUBLIC_KEY_LEN]], check: KeyCheck) -> Result<Self, BlsError> {
        let keys = keys
            .iter()
            .map(|k| B::decode_public_key(k, check))
            .collect::<Result<Vec<_>, _>>()?;
        let total = B::aggregate(keys.iter()).ok_or(BlsError::NoParticipants)?;
        Ok(Self {
            keys,
            total,
            _backend: PhantomData,
        })
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the committee has no members (never true for a decoded one).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// `FastAggregateVerify` of `signature` over `message` by the members whose
    /// `participation` bit is set.
    ///
    /// When more than half the committee participates, the aggregate is the
    /// committee total minus the absent members, which needs fewer additions.
    ///
    /// # Errors
    /// [`BlsError::ParticipationLength`] if the bitfield does not match the
    /// committee; [`BlsError::NoParticipants`] if no bit is set;
    /// [`BlsError::InvalidSignature`] if the signature does not verify.
    pub fn fast_aggregate_verify(
        &self,
        participation: &[bool],
        message: &[u8],
        signature: &[u8; SIGNATURE_LEN],
    ) -> Result<(), BlsError> {
        if participation.len() != self.keys.len() {
            return Err(BlsError::ParticipationLength {
                expected: self.keys.len(),
                got: participation.len(),
            });
        }
        let present = participation.iter().filter(|b| **b).count();
        if present == 0 {
            return Err(BlsError::NoParticipants);
        }
        let aggregate = if present * 2 > self.keys.len() && present < self.keys.len() {
            let absent = self.members_where(participation, false);
            let absent_sum = B::aggregate(absent).ok_or(BlsError::NoParticipants)?;
            B::subtract(&self.total, &absent_sum)
        } else if present == self.keys.len() {
            self.total.clone()
        } else {
            B::aggregate(self.members_where(participation, true)).ok_or(BlsError::NoParticipants)?
        };
        B::verify(&aggregate, message, signature)
    }

    fn members_where<'a>(
        &'a self,
        participation: &'a [bool],
        bit: bool,
    ) -> impl Iterator<Item = &'a B::PublicKey> + 'a {
        self.keys
            .iter()
            .zip(participation)
            .filter(move |(_, p)| **p == bit)
            .map(|(k, _)| k)
    }
}
