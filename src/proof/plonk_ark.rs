//! Plonk verification on arkworks: gnark's BN254 Plonk verifier with one
//! BSB22 commitment, the shape SP1 emits (reimplemented from the protocol;
//! checked against sp1-verifier by the fixture and mutation tests).
//!
//! Steps: Fiat–Shamir challenges γ, β, α, ζ (sha256 transcript, each
//! challenge hashing its name, the previous challenge and its bindings);
//! public-input and BSB22 Lagrange terms; the linearised-polynomial
//! commitment (one MSM); folding of the batch opening at ζ with a fresh γ';
//! challenge u; one two-pairing KZG check of the openings at ζ and ζω.

use std::sync::OnceLock;

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, Field, One, PrimeField, Zero};
use ark_serialize::CanonicalDeserialize;
use sha2::{Digest, Sha256};

use super::versions::{ProofSystem, RELEASE_COUNT, Sp1Release, Sp1Verifier};

/// Transcript challenge names, in order.
const GAMMA: &[u8] = b"gamma";
const BETA: &[u8] = b"beta";
const ALPHA: &[u8] = b"alpha";
const ZETA: &[u8] = b"zeta";
const U: &[u8] = b"u";
/// Domain separation tag of the BSB22 commitment hash-to-field.
const BSB22_DST: &[u8] = b"BSB22-Plonk";
/// Output length of expand_message_xmd for one BN254 scalar (32 + 16 bytes).
const HASH_TO_FIELD_LEN: usize = 48;
/// sha256 block size, the zero prefix of expand_message_xmd.
const SHA256_BLOCK_LEN: usize = 64;
/// Length of the gnark Plonk verifying key SP1 ships.
const VK_LEN: usize = 34368;
/// Bytes of precomputed pairing lines in the key, unused here.
const VK_LINES_LEN: usize = 33792;

/// A parsed Plonk verifying key.
pub(crate) struct PlonkVk {
    size: u64,
    size_inv: Fr,
    generator: Fr,
    nb_public: usize,
    coset_shift: Fr,
    s: [G1Affine; 3],
    ql: G1Affine,
    qr: G1Affine,
    qm: G1Affine,
    qo: G1Affine,
    qk: G1Affine,
    qcp: G1Affine,
    g1: G1Affine,
    g2: [G2Affine; 2],
    commitment_index: u64,
}

/// A parsed Plonk proof body.
struct PlonkProof {
    lro: [G1Affine; 3],
    h: [G1Affine; 3],
    /// l, r, o, s1, s2 at ζ, then the BSB22 claimed value.
    claimed: [Fr; 6],
    z: G1Affine,
    z_shifted_value: Fr,
    batched_h: G1Affine,
    z_shifted_h: G1Affine,
    bsb22: G1Affine,
}

fn read<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn fr_canonical(bytes: &[u8; 32]) -> Option<Fr> {
    let mut le = *bytes;
    le.reverse();
    Fr::deserialize_compressed(&le[..]).ok()
}

fn fq_canonical(bytes: &[u8; 32]) -> Option<Fq> {
    let mut le = *bytes;
    le.reverse();
    Fq::deserialize_compressed(&le[..]).ok()
}

/// An uncompressed gnark G1 point (x ‖ y, big-endian) that is on the curve.
fn g1_uncompressed(bytes: &[u8], at: usize) -> Option<G1Affine> {
    let x = fq_canonical(&read::<32>(bytes, at)?)?;
    let y = fq_canonical(&read::<32>(bytes, at.checked_add(32)?)?)?;
    let p = G1Affine::new_unchecked(x, y);
    // BN254 G1 has cofactor 1: on the curve means in the group.
    p.is_on_curve().then_some(p)
}

/// An uncompressed G2 point (x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0) in the subgroup.
fn g2_uncompressed(bytes: &[u8; 128]) -> Option<G2Affine> {
    let f = |at: usize| fq_canonical(&read::<32>(bytes, at)?);
    let x = Fq2::new(f(32)?, f(0)?);
    let y = Fq2::new(f(96)?, f(64)?);
    let p = G2Affine::new_unchecked(x, y);
    (p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()).then_some(p)
}

fn g1_compressed(bytes: &[u8], at: usize) -> Option<G1Affine> {
    let p = sp1_verifier::converter::unchecked_compressed_x_to_g1_point(
        bytes.get(at..at.checked_add(32)?)?,
    )
    .ok()?;
    let raw = sp1_verifier::converter::g1_point_to_uncompressed_bytes(&p).ok()?;
    g1_uncompressed(&raw, 0)
}

fn g2_compressed(bytes: &[u8], at: usize) -> Option<G2Affine> {
    let p = sp1_verifier::converter::unchecked_compressed_x_to_g2_point(
        bytes.get(at..at.checked_add(64)?)?,
    )
    .ok()?;
    g2_uncompressed(&sp1_verifier::converter::g2_point_to_uncompressed_bytes(&p).ok()?)
}

/// Parses a gnark Plonk key with one BSB22 commitment.
fn parse_vk(b: &[u8]) -> Option<PlonkVk> {
    if b.len() != VK_LEN {
        return None;
    }
    let u64_at = |at| read::<8>(b, at).map(u64::from_be_bytes);
    let fr_at = |at| fr_canonical(&read::<32>(b, at)?);
    if read::<4>(b, 368).map(u32::from_be_bytes) != Some(1) {
        return None;
    }
    let lines_end = 564 + VK_LINES_LEN;
    if read::<4>(b, lines_end).map(u32::from_be_bytes) != Some(1) {
        return None;
    }
    Some(PlonkVk {
        size: u64_at(0)?,
        size_inv: fr_at(8)?,
        generator: fr_at(40)?,
        nb_public: usize::try_from(u64_at(72)?).ok()?,
        coset_shift: fr_at(80)?,
        s: [
            g1_compressed(b, 112)?,
            g1_compressed(b, 144)?,
            g1_compressed(b, 176)?,
        ],
        ql: g1_compressed(b, 208)?,
        qr: g1_compressed(b, 240)?,
        qm: g1_compressed(b, 272)?,
        qo: g1_compressed(b, 304)?,
        qk: g1_compressed(b, 336)?,
        qcp: g1_compressed(b, 372)?,
        g1: g1_compressed(b, 404)?,
        g2: [g2_compressed(b, 436)?, g2_compressed(b, 500)?],
        commitment_index: u64_at(lines_end + 4)?,
    })
}

/// The release's Plonk key, parsed once per process.
pub(crate) fn vk(release: Sp1Release) -> Option<&'static PlonkVk> {
    static CACHE: [OnceLock<Option<PlonkVk>>; RELEASE_COUNT] =
        [const { OnceLock::new() }; RELEASE_COUNT];
    CACHE
        .get(release.index())?
        .get_or_init(|| parse_vk(Sp1Verifier::of(release, ProofSystem::Plonk).vk_bytes()))
        .as_ref()
}

/// Parses a proof body; `None` if a point is off the curve or a value non-canonical.
fn parse_proof(b: &[u8]) -> Option<PlonkProof> {
    let fr_at = |at| fr_canonical(&read::<32>(b, at)?);
    Some(PlonkProof {
        lro: [
            g1_uncompressed(b, 0)?,
            g1_uncompressed(b, 64)?,
            g1_uncompressed(b, 128)?,
        ],
        h: [
            g1_uncompressed(b, 192)?,
            g1_uncompressed(b, 256)?,
            g1_uncompressed(b, 320)?,
        ],
        claimed: [
            fr_at(384)?,
            fr_at(416)?,
            fr_at(448)?,
            fr_at(480)?,
            fr_at(512)?,
            fr_at(768)?,
        ],
        z: g1_uncompressed(b, 544)?,
        z_shifted_value: fr_at(608)?,
        batched_h: g1_uncompressed(b, 640)?,
        z_shifted_h: g1_uncompressed(b, 704)?,
        bsb22: g1_uncompressed(b, 800)?,
    })
}

fn fr_bytes(x: &Fr) -> Vec<u8> {
    x.into_bigint().to_bytes_be()
}

fn g1_bytes(p: &G1Affine) -> Vec<u8> {
    match p.xy() {
        Some((x, y)) => [x.into_bigint().to_bytes_be(), y.into_bigint().to_bytes_be()].concat(),
        None => vec![0; 64],
    }
}

/// The sha256 Fiat–Shamir transcript: challenge = H(name ‖ previous ‖ bindings).
struct Transcript {
    previous: Option<[u8; 32]>,
    bindings: Vec<u8>,
}

impl Transcript {
    fn new() -> Self {
        Self {
            previous: None,
            bindings: Vec::new(),
        }
    }
    fn bind(&mut self, data: &[u8]) {
        self.bindings.extend_from_slice(data);
    }
    fn bind_point(&mut self, p: &G1Affine) {
        self.bind(&g1_bytes(p));
    }
    /// Returns the raw hash and the challenge reduced mod r.
    fn challenge(&mut self, name: &[u8]) -> Fr {
        let mut h = Sha256::new();
        h.update(name);
        if let Some(prev) = self.previous {
            h.update(prev);
        }
        h.update(&self.bindings);
        let raw: [u8; 32] = h.finalize().into();
        self.previous = Some(raw);
        self.bindings.clear();
        Fr::from_be_bytes_mod_order(&raw)
    }
}

/// RFC 9380 expand_message_xmd (sha256) to 48 bytes, reduced mod r.
fn hash_to_field(msg: &[u8]) -> Fr {
    let dst_len = [BSB22_DST.len() as u8];
    let len = HASH_TO_FIELD_LEN as u16;
    let b0: [u8; 32] = Sha256::new()
        .chain_update([0u8; SHA256_BLOCK_LEN])
        .chain_update(msg)
        .chain_update(len.to_be_bytes())
        .chain_update([0u8])
        .chain_update(BSB22_DST)
        .chain_update(dst_len)
        .finalize()
        .into();
    let b1: [u8; 32] = Sha256::new()
        .chain_update(b0)
        .chain_update([1u8])
        .chain_update(BSB22_DST)
        .chain_update(dst_len)
        .finalize()
        .into();
    let xored: Vec<u8> = b0.iter().zip(b1.iter()).map(|(a, b)| a ^ b).collect();
    let b2: [u8; 32] = Sha256::new()
        .chain_update(xored)
        .chain_update([2u8])
        .chain_update(BSB22_DST)
        .chain_update(dst_len)
        .finalize()
        .into();
    let mut out = [0u8; HASH_TO_FIELD_LEN];
    out[..32].copy_from_slice(&b1);
    out[32..].copy_from_slice(&b2[..HASH_TO_FIELD_LEN - 32]);
    Fr::from_be_bytes_mod_order(&out)
}

/// Outcome of parsing and checking one proof.
pub(crate) enum ArkPlonkOutcome {
    /// Verifies.
    Valid,
    /// A point or scalar of the body is malformed.
    Malformed,
    /// Well formed, does not verify.
    Invalid,
}

/// Verifies a Plonk proof body (already length-checked) for canonical inputs.
pub(crate) fn verify(release: Sp1Release, body: &[u8], inputs: &[[u8; 32]]) -> ArkPlonkOutcome {
    let Some(proof) = parse_proof(body) else {
        return ArkPlonkOutcome::Malformed;
    };
    let Some(vk) = vk(release) else {
        return ArkPlonkOutcome::Invalid;
    };
    match check(vk, &proof, inputs) {
        Some(true) => ArkPlonkOutcome::Valid,
        _ => ArkPlonkOutcome::Invalid,
    }
}

fn msm(bases: &[G1Affine], scalars: &[Fr]) -> Option<G1Projective> {
    G1Projective::msm(bases, scalars).ok()
}

/// The verifier's algebra; `None` for a degenerate case (a zero denominator).
fn check(vk: &PlonkVk, proof: &PlonkProof, inputs: &[[u8; 32]]) -> Option<bool> {
    if inputs.len() != vk.nb_public {
        return Some(false);
    }
    let public: Vec<Fr> = inputs.iter().map(fr_canonical).collect::<Option<_>>()?;

    let mut fs = Transcript::new();
    for p in [
        &vk.s[0], &vk.s[1], &vk.s[2], &vk.ql, &vk.qr, &vk.qm, &vk.qo, &vk.qk, &vk.qcp,
    ] {
        fs.bind_point(p);
    }
    for w in inputs {
        fs.bind(w);
    }
    proof.lro.iter().for_each(|p| fs.bind_point(p));
    let gamma = fs.challenge(GAMMA);
    let beta = fs.challenge(BETA);
    fs.bind_point(&proof.bsb22);
    fs.bind_point(&proof.z);
    let alpha = fs.challenge(ALPHA);
    proof.h.iter().for_each(|p| fs.bind_point(p));
    let zeta = fs.challenge(ZETA);

    let one = Fr::one();
    let zh_zeta = zeta.pow([vk.size]) - one;
    let lagrange_one = zh_zeta * (zeta - one).inverse()? * vk.size_inv;

    // PI(ζ) = Σ Lᵢ(ζ)·wᵢ with Lᵢ(ζ) = (ζⁿ − 1)·ωⁱ / (n·(ζ − ωⁱ)).
    let mut pi = Fr::zero();
    let mut w_i = one;
    for x in &public {
        pi += zh_zeta * w_i * (zeta - w_i).inverse()? * vk.size_inv * x;
        w_i *= vk.generator;
    }
    // The BSB22 commitment's hashed value sits at wire nb_public + index.
    let hashed = hash_to_field(&g1_bytes(&proof.bsb22));
    let exponent = (vk.nb_public as u64).checked_add(vk.commitment_index)?;
    let w_pow = vk.generator.pow([exponent]);
    pi += zh_zeta * w_pow * (zeta - w_pow).inverse()? * vk.size_inv * hashed;

    let [l, r, o, s1, s2, qc] = proof.claimed;
    let zu = proof.z_shifted_value;
    let alpha2_l1 = lagrange_one * alpha * alpha;

    let perm_l = l + beta * s1 + gamma;
    let perm_r = r + beta * s2 + gamma;
    let const_lin = -(perm_l * perm_r * (o + gamma) * alpha * zu - alpha2_l1 + pi);
    let s1_coeff = perm_l * perm_r * beta * alpha * zu;
    let u_shift = vk.coset_shift;
    let s2_coeff = -(alpha
        * (l + beta * zeta + gamma)
        * (r + beta * u_shift * zeta + gamma)
        * (o + beta * u_shift * u_shift * zeta + gamma));
    let coeff_z = alpha2_l1 + s2_coeff;
    let zeta_n2 = zeta.pow([vk.size.checked_add(2)?]);
    let h1_coeff = -(zeta_n2 * zh_zeta);
    let h2_coeff = -(zeta_n2 * zeta_n2 * zh_zeta);

    let linearised = msm(
        &[
            proof.bsb22,
            vk.ql,
            vk.qr,
            vk.qm,
            vk.qo,
            vk.qk,
            vk.s[2],
            proof.z,
            proof.h[0],
            proof.h[1],
            proof.h[2],
        ],
        &[
            qc,
            l,
            r,
            l * r,
            o,
            one,
            s1_coeff,
            coeff_z,
            -zh_zeta,
            h1_coeff,
            h2_coeff,
        ],
    )?
    .into_affine();

    // Fold the batch opening at ζ with γ' from its own transcript.
    let digests = [
        linearised,
        proof.lro[0],
        proof.lro[1],
        proof.lro[2],
        vk.s[0],
        vk.s[1],
        vk.qcp,
    ];
    let claimed = [const_lin, l, r, o, s1, s2, qc];
    let mut fold_fs = Transcript::new();
    fold_fs.bind(&fr_bytes(&zeta));
    digests.iter().for_each(|d| fold_fs.bind_point(d));
    claimed.iter().for_each(|c| fold_fs.bind(&fr_bytes(c)));
    fold_fs.bind(&fr_bytes(&zu));
    let gamma_fold = fold_fs.challenge(GAMMA);
    let powers: Vec<Fr> = std::iter::successors(Some(one), |p| Some(*p * gamma_fold))
        .take(digests.len())
        .collect();
    let folded_digest = msm(&digests, &powers)?.into_affine();
    let folded_eval: Fr = claimed.iter().zip(&powers).map(|(c, p)| *c * p).sum();

    fs.bind(&fr_bytes(&gamma_fold));
    for p in [
        &folded_digest,
        &proof.z,
        &proof.batched_h,
        &proof.z_shifted_h,
    ] {
        fs.bind_point(p);
    }
    let u = fs.challenge(U);

    // KZG: both openings (at ζ and ζω) in one two-pairing check.
    let shifted_zeta = zeta * vk.generator;
    let folded_quotients = proof.batched_h.into_group() + proof.z_shifted_h.into_group() * u;
    let lhs = folded_digest.into_group() + proof.z.into_group() * u
        - vk.g1.into_group() * (folded_eval + u * zu)
        + proof.batched_h.into_group() * zeta
        + proof.z_shifted_h.into_group() * (u * shifted_zeta);
    let result = Bn254::multi_pairing(
        [lhs.into_affine(), (-folded_quotients).into_affine()],
        [vk.g2[0], vk.g2[1]],
    );
    Some(result.is_zero())
}
