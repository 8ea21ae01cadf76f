//! Keys derived from the seed: the BLS validator keys whose sync committees
//! sign the simulated beacon chain, and the secp256k1 accounts (the L1
//! committer, the L2 users, the sequencer key).

use alloy_primitives::{Address, B256};
use blst::min_pk::{AggregatePublicKey, AggregateSignature, PublicKey, SecretKey, Signature};
use preconf_light::bls::ETH_DST;
use preconf_light::ssz::sha256;
use preconf_sequencer::EcdsaSigner;

/// Number of validators; each period's sync committee is drawn from them.
pub const VALIDATOR_COUNT: usize = 64;

/// A validator's BLS key pair.
pub struct Validator {
    secret: SecretKey,
    /// Compressed public key.
    pub pubkey: [u8; 48],
    public: PublicKey,
}

/// 32 bytes derived from the seed and a label (domain-separated sha256).
pub fn derive(seed: u64, label: &str, index: u64) -> B256 {
    let mut pre = Vec::with_capacity(label.len() + 16);
    pre.extend_from_slice(b"preconf-devnet/");
    pre.extend_from_slice(label.as_bytes());
    pre.extend_from_slice(&seed.to_le_bytes());
    pre.extend_from_slice(&index.to_le_bytes());
    sha256(&pre)
}

impl Validator {
    /// The `index`-th validator of `seed` (EIP-2333 `KeyGen` from seeded key material).
    pub fn new(seed: u64, index: u64) -> Self {
        let ikm = derive(seed, "bls", index);
        // key_gen fails only for key material shorter than 32 bytes.
        let secret = match SecretKey::key_gen(ikm.as_slice(), &[]) {
            Ok(s) => s,
            Err(e) => panic!("blst key_gen rejected 32-byte key material: {e:?}"),
        };
        let public = secret.sk_to_pk();
        Self {
            pubkey: public.compress(),
            secret,
            public,
        }
    }

    /// Signs `message` (a signing root) with the Ethereum POP ciphersuite.
    pub fn sign(&self, message: &[u8]) -> Signature {
        self.secret.sign(message, ETH_DST, &[])
    }
}

/// Order `r` of the BLS12-381 scalar field (secret keys live in `[1, r)`).
const BLS_R: alloy_primitives::U256 = alloy_primitives::uint!(
    0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001_U256
);

/// The aggregate of every member's signature of `message`, computed as one
/// signature by the sum of their secret keys modulo `r` (the same point:
/// `sum(sk_i * H(m)) = (sum sk_i mod r) * H(m)`), 32 times cheaper.
pub fn aggregate_sign(validators: &[Validator], members: &[usize], message: &[u8]) -> [u8; 96] {
    use alloy_primitives::U256;
    let sum = members
        .iter()
        .filter_map(|m| validators.get(*m))
        .fold(U256::ZERO, |acc, v| {
            acc.add_mod(U256::from_be_bytes(v.secret.to_bytes()), BLS_R)
        });
    match SecretKey::from_bytes(&sum.to_be_bytes::<32>()) {
        Ok(sk) => sk.sign(message, ETH_DST, &[]).compress(),
        // A zero sum (no members, or keys cancelling): aggregate the slow way.
        Err(_) => {
            let sigs: Vec<Signature> = members
                .iter()
                .filter_map(|m| validators.get(*m))
                .map(|v| v.sign(message))
                .collect();
            aggregate_signatures(&sigs)
        }
    }
}

/// Aggregates member signatures into one compressed signature.
pub fn aggregate_signatures(sigs: &[Signature]) -> [u8; 96] {
    let refs: Vec<&Signature> = sigs.iter().collect();
    match AggregateSignature::aggregate(&refs, false) {
        Ok(agg) => agg.to_signature().compress(),
        // An empty participation: the G2 point at infinity.
        Err(_) => {
            let mut inf = [0u8; 96];
            inf[0] = 0xc0;
            inf
        }
    }
}

/// Aggregate public key of `members` (compressed).
pub fn aggregate_pubkey(validators: &[Validator], members: &[usize]) -> [u8; 48] {
    let keys: Vec<&PublicKey> = members
        .iter()
        .filter_map(|i| validators.get(*i).map(|v| &v.public))
        .collect();
    match AggregatePublicKey::aggregate(&keys, false) {
        Ok(agg) => agg.to_public_key().compress(),
        Err(e) => panic!("aggregating committee keys: {e:?}"),
    }
}

/// A secp256k1 account derived from the seed (L1 committer, L2 users, the
/// sequencer key): the SDK's [`EcdsaSigner`].
pub struct Account {
    signer: EcdsaSigner,
    /// Its address.
    pub address: Address,
}

impl Account {
    /// The account labelled `label` for `seed`.
    pub fn new(seed: u64, label: &str) -> Self {
        let mut index = 0;
        loop {
            // A 32-byte string is a valid scalar except with negligible probability.
            if let Ok(signer) = EcdsaSigner::from_bytes(derive(seed, label, index).as_slice()) {
                return Self::from_signer(signer);
            }
            index += 1;
        }
    }

    fn from_signer(signer: EcdsaSigner) -> Self {
        Self {
            address: signer.address(),
            signer,
        }
    }

    /// The private key (devnet accounts are public by design).
    pub fn secret_hex(&self) -> String {
        format!("{:#x}", self.signer.secret_bytes())
    }

    /// An account from its private key.
    ///
    /// # Errors
    /// If the bytes are not a valid secp256k1 scalar.
    pub fn from_secret(secret: &[u8]) -> Result<Self, String> {
        EcdsaSigner::from_bytes(secret)
            .map(Self::from_signer)
            .map_err(|e| e.to_string())
    }

    /// The signer (a sequencer certifier, or a transaction signer).
    pub fn signer(&self) -> &EcdsaSigner {
        &self.signer
    }

    /// Signs a 32-byte hash (low `s`, y parity).
    pub fn sign_hash(&self, hash: B256) -> alloy_primitives::Signature {
        match self.signer.sign_hash(hash) {
            Ok(sig) => sig,
            Err(e) => panic!("secp256k1 signing of a 32-byte hash failed: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summed_key_signature_equals_the_aggregate_of_member_signatures() {
        let validators: Vec<Validator> = (0..6).map(|i| Validator::new(3, i)).collect();
        let members = [0, 2, 3, 3, 5];
        let message = [7u8; 32];
        let sigs: Vec<Signature> = members
            .iter()
            .map(|m| validators[*m].sign(&message))
            .collect();
        assert_eq!(
            aggregate_sign(&validators, &members, &message),
            aggregate_signatures(&sigs)
        );
    }
}
