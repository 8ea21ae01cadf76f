//! A runtime SSZ schema, used only to hash whole `BeaconState` and
//! `BeaconBlockBody` objects for the `single_merkle_proof` vectors. Sizes
//! come from the vectors' own preset files.

use std::collections::HashMap;
use std::path::Path;

use alloy_primitives::B256;
use preconf_light::beacon::Fork;
use preconf_light::ssz::{
    FieldLen, is_valid_merkle_branch, merkleize, mix_in_length, split_container,
};

use super::vectors::{ReadTracker, parse_b256, snappy_file};

#[derive(Clone)]
pub enum T {
    Uint(usize),
    Bytes(usize),
    Vector(Box<T>, usize),
    List(Box<T>, usize),
    ByteList(usize),
    Bitvector(usize),
    Bitlist(usize),
    Container(Vec<T>),
}
use T::*;

fn basic_size(t: &T) -> Option<usize> {
    match t {
        Uint(n) => Some(*n),
        _ => None,
    }
}

fn fixed_len(t: &T) -> Option<usize> {
    match t {
        Uint(n) | Bytes(n) => Some(*n),
        Vector(e, n) => fixed_len(e).map(|l| l * n),
        Bitvector(n) => Some(n.div_ceil(8)),
        List(..) | ByteList(_) | Bitlist(_) => None,
        Container(fs) => fs.iter().map(fixed_len).sum(),
    }
}

fn pack(bytes: &[u8]) -> Vec<B256> {
    bytes
        .chunks(32)
        .map(|c| {
            let mut b = B256::ZERO;
            b[..c.len()].copy_from_slice(c);
            b
        })
        .collect()
}

fn items<'a>(e: &T, bytes: &'a [u8]) -> Vec<&'a [u8]> {
    match fixed_len(e) {
        Some(n) => bytes.chunks(n).collect(),
        None => {
            if bytes.is_empty() {
                return vec![];
            }
            let off =
                |i: usize| u32::from_le_bytes(bytes[i * 4..i * 4 + 4].try_into().unwrap()) as usize;
            let count = off(0) / 4;
            (0..count)
                .map(|i| {
                    &bytes[off(i)..if i + 1 < count {
                        off(i + 1)
                    } else {
                        bytes.len()
                    }]
                })
                .collect()
        }
    }
}

fn seq_root(e: &T, bytes: &[u8], limit: usize) -> B256 {
    match basic_size(e) {
        Some(size) => merkleize(&pack(bytes), (limit * size).div_ceil(32)),
        None => {
            let roots: Vec<B256> = items(e, bytes).into_iter().map(|b| htr(e, b)).collect();
            merkleize(&roots, limit)
        }
    }
}

pub fn htr(t: &T, bytes: &[u8]) -> B256 {
    match t {
        Uint(_) => pack(bytes)[0],
        Bytes(n) => merkleize(&pack(bytes), n.div_ceil(32)),
        Vector(e, n) => seq_root(e, bytes, *n),
        List(e, limit) => {
            let count = match fixed_len(e) {
                Some(n) => bytes.len() / n,
                None => items(e, bytes).len(),
            };
            mix_in_length(&seq_root(e, bytes, *limit), count)
        }
        ByteList(limit) => mix_in_length(&merkleize(&pack(bytes), limit.div_ceil(32)), bytes.len()),
        Bitvector(n) => merkleize(&pack(bytes), n.div_ceil(256)),
        Bitlist(n) => {
            let mut b = bytes.to_vec();
            let last = *b.last().unwrap();
            let top = 7 - last.leading_zeros() as usize;
            let len = (b.len() - 1) * 8 + top;
            let i = b.len() - 1;
            b[i] &= !(1u8 << top);
            if len.is_multiple_of(8) {
                b.pop();
            }
            mix_in_length(&merkleize(&pack(&b), n.div_ceil(256)), len)
        }
        Container(fs) => {
            let layout: Vec<FieldLen> = fs.iter().map(|f| FieldLen::of(fixed_len(f))).collect();
            let parts = split_container(bytes, &layout).unwrap();
            let roots: Vec<B256> = fs.iter().zip(parts).map(|(f, p)| htr(f, p)).collect();
            merkleize(&roots, roots.len())
        }
    }
}

fn u64t() -> T {
    Uint(8)
}
fn b32() -> T {
    Bytes(32)
}
fn c(fs: Vec<T>) -> T {
    Container(fs)
}
fn list(e: T, n: usize) -> T {
    List(Box::new(e), n)
}
fn vector(e: T, n: usize) -> T {
    Vector(Box::new(e), n)
}

struct P(HashMap<String, usize>);
impl P {
    fn g(&self, k: &str) -> usize {
        *self.0.get(k).unwrap_or_else(|| panic!("preset value {k}"))
    }
}

fn load_preset(tracker: &mut ReadTracker, preset: &str) -> P {
    let mut m = HashMap::new();
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/light_client_vectors/_spec_config/presets"
    ))
    .join(preset);
    for f in [
        "phase0",
        "altair",
        "bellatrix",
        "capella",
        "deneb",
        "electra",
        "fulu",
    ] {
        let text = tracker.read_string(&dir.join(format!("{f}.yaml")));
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            if let Some((k, v)) = line.split_once(':')
                && let Ok(n) = v.trim().parse::<u128>()
            {
                m.insert(k.trim().to_string(), n.min(usize::MAX as u128) as usize);
            }
        }
    }
    P(m)
}

fn checkpoint() -> T {
    c(vec![u64t(), b32()])
}
fn eth1_data() -> T {
    c(vec![b32(), u64t(), b32()])
}
fn header() -> T {
    c(vec![u64t(), u64t(), b32(), b32(), b32()])
}

fn exec_header(fork: Fork) -> T {
    let mut f = vec![
        b32(),
        Bytes(20),
        b32(),
        b32(),
        Bytes(256),
        b32(),
        u64t(),
        u64t(),
        u64t(),
        u64t(),
        ByteList(32),
        Uint(32),
        b32(),
        b32(),
    ];
    if fork >= Fork::Capella {
        f.push(b32());
    }
    if fork >= Fork::Deneb {
        f.push(u64t());
        f.push(u64t());
    }
    c(f)
}

fn beacon_state(p: &P, fork: Fork) -> T {
    let vrl = p.g("VALIDATOR_REGISTRY_LIMIT");
    let validator = c(vec![
        Bytes(48),
        b32(),
        u64t(),
        Uint(1),
        u64t(),
        u64t(),
        u64t(),
        u64t(),
    ]);
    let sync_committee = c(vec![
        vector(Bytes(48), p.g("SYNC_COMMITTEE_SIZE")),
        Bytes(48),
    ]);
    let mut f = vec![
        u64t(),
        b32(),
        u64t(),
        c(vec![Bytes(4), Bytes(4), u64t()]),
        header(),
        vector(b32(), p.g("SLOTS_PER_HISTORICAL_ROOT")),
        vector(b32(), p.g("SLOTS_PER_HISTORICAL_ROOT")),
        list(b32(), p.g("HISTORICAL_ROOTS_LIMIT")),
        eth1_data(),
        list(
            eth1_data(),
            p.g("EPOCHS_PER_ETH1_VOTING_PERIOD") * p.g("SLOTS_PER_EPOCH"),
        ),
        u64t(),
        list(validator, vrl),
        list(u64t(), vrl),
        vector(b32(), p.g("EPOCHS_PER_HISTORICAL_VECTOR")),
        vector(u64t(), p.g("EPOCHS_PER_SLASHINGS_VECTOR")),
        list(Uint(1), vrl),
        list(Uint(1), vrl),
        Bitvector(4),
        checkpoint(),
        checkpoint(),
        checkpoint(),
        list(u64t(), vrl),
        sync_committee.clone(),
        sync_committee,
    ];
    if fork >= Fork::Bellatrix {
        f.push(exec_header(fork));
    }
    if fork >= Fork::Capella {
        f.push(u64t());
        f.push(u64t());
        f.push(list(c(vec![b32(), b32()]), p.g("HISTORICAL_ROOTS_LIMIT")));
    }
    if fork >= Fork::Electra {
        for _ in 0..6 {
            f.push(u64t());
        }
        f.push(list(
            c(vec![Bytes(48), b32(), u64t(), Bytes(96), u64t()]),
            p.g("PENDING_DEPOSITS_LIMIT"),
        ));
        f.push(list(
            c(vec![u64t(), u64t(), u64t()]),
            p.g("PENDING_PARTIAL_WITHDRAWALS_LIMIT"),
        ));
        f.push(list(
            c(vec![u64t(), u64t()]),
            p.g("PENDING_CONSOLIDATIONS_LIMIT"),
        ));
    }
    if fork >= Fork::Fulu {
        f.push(vector(
            u64t(),
            (p.g("MIN_SEED_LOOKAHEAD") + 1) * p.g("SLOTS_PER_EPOCH"),
        ));
    }
    c(f)
}

fn block_body(p: &P, fork: Fork) -> T {
    let electra = fork >= Fork::Electra;
    let att_data = c(vec![u64t(), u64t(), b32(), checkpoint(), checkpoint()]);
    let per_committee = p.g("MAX_VALIDATORS_PER_COMMITTEE");
    let att_limit = if electra {
        per_committee * p.g("MAX_COMMITTEES_PER_SLOT")
    } else {
        per_committee
    };
    let indexed = c(vec![list(u64t(), att_limit), att_data.clone(), Bytes(96)]);
    let mut attestation = vec![Bitlist(att_limit), att_data, Bytes(96)];
    if electra {
        attestation.push(Bitvector(p.g("MAX_COMMITTEES_PER_SLOT")));
    }
    let signed_header = c(vec![header(), Bytes(96)]);
    let mut payload = vec![
        b32(),
        Bytes(20),
        b32(),
        b32(),
        Bytes(256),
        b32(),
        u64t(),
        u64t(),
        u64t(),
        u64t(),
        ByteList(32),
        Uint(32),
        b32(),
    ];
    payload.push(list(
        ByteList(p.g("MAX_BYTES_PER_TRANSACTION")),
        p.g("MAX_TRANSACTIONS_PER_PAYLOAD"),
    ));
    payload.push(list(
        c(vec![u64t(), u64t(), Bytes(20), u64t()]),
        p.g("MAX_WITHDRAWALS_PER_PAYLOAD"),
    ));
    if fork >= Fork::Deneb {
        payload.push(u64t());
        payload.push(u64t());
    }
    let mut f = vec![
        Bytes(96),
        eth1_data(),
        b32(),
        list(
            c(vec![signed_header.clone(), signed_header]),
            p.g("MAX_PROPOSER_SLASHINGS"),
        ),
        list(
            c(vec![indexed.clone(), indexed]),
            p.g(if electra {
                "MAX_ATTESTER_SLASHINGS_ELECTRA"
            } else {
                "MAX_ATTESTER_SLASHINGS"
            }),
        ),
        list(
            c(attestation),
            p.g(if electra {
                "MAX_ATTESTATIONS_ELECTRA"
            } else {
                "MAX_ATTESTATIONS"
            }),
        ),
        list(
            c(vec![
                vector(b32(), 33),
                c(vec![Bytes(48), b32(), u64t(), Bytes(96)]),
            ]),
            p.g("MAX_DEPOSITS"),
        ),
        list(
            c(vec![c(vec![u64t(), u64t()]), Bytes(96)]),
            p.g("MAX_VOLUNTARY_EXITS"),
        ),
        c(vec![Bitvector(p.g("SYNC_COMMITTEE_SIZE")), Bytes(96)]),
        c(payload),
        list(
            c(vec![c(vec![u64t(), Bytes(48), Bytes(20)]), Bytes(96)]),
            p.g("MAX_BLS_TO_EXECUTION_CHANGES"),
        ),
    ];
    if fork >= Fork::Deneb {
        f.push(list(Bytes(48), p.g("MAX_BLOB_COMMITMENTS_PER_BLOCK")));
    }
    if electra {
        f.push(c(vec![
            list(
                c(vec![Bytes(48), b32(), u64t(), Bytes(96), u64t()]),
                p.g("MAX_DEPOSIT_REQUESTS_PER_PAYLOAD"),
            ),
            list(
                c(vec![Bytes(20), Bytes(48), u64t()]),
                p.g("MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD"),
            ),
            list(
                c(vec![Bytes(20), Bytes(48), Bytes(48)]),
                p.g("MAX_CONSOLIDATION_REQUESTS_PER_PAYLOAD"),
            ),
        ]));
    }
    c(f)
}

/// Runs one `single_merkle_proof` case: the object's root (computed from
/// the schema) must be reached from `leaf` through `branch` at `leaf_index`,
/// and a flipped branch element must break it.
pub fn run_merkle_proof_case(
    tracker: &mut ReadTracker,
    case: &Path,
    ty: &str,
    fork: Fork,
    preset: &str,
) {
    let p = load_preset(tracker, preset);
    let schema = match ty {
        "BeaconState" => beacon_state(&p, fork),
        "BeaconBlockBody" => block_body(&p, fork),
        other => panic!("unknown object type {other}"),
    };
    let object = snappy_file(tracker, &case.join("object.ssz_snappy"));
    let root = htr(&schema, &object);
    let proof: serde_yaml::Value =
        serde_yaml::from_str(&tracker.read_string(&case.join("proof.yaml"))).unwrap();
    let leaf = parse_b256(proof["leaf"].as_str().unwrap());
    let gindex = proof["leaf_index"].as_u64().unwrap();
    let branch: Vec<B256> = proof["branch"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|b| parse_b256(b.as_str().unwrap()))
        .collect();
    let depth = (63 - gindex.leading_zeros()) as usize;
    let index = gindex % (1 << depth);
    assert!(
        is_valid_merkle_branch(&leaf, &branch, depth, index, &root),
        "{}: branch does not reach root",
        case.display()
    );
    let mut bad = branch.clone();
    bad[0].0[0] ^= 1;
    assert!(!is_valid_merkle_branch(&leaf, &bad, depth, index, &root));
}
