//! No input may panic: every decoder is driven with truncated, bit-flipped
//! and random variants of real mainnet data (a deterministic mini-fuzz; the
//! cargo-fuzz target `execution_decoders` runs the same entry points).

use preconf_light::execution::fuzzing;
use serde_json::Value;

const PRAGUE_YAML: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/portal-spec-tests/prague-el/block-data-22431084.yaml"
);
const CANCUN_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun"
);

/// xorshift64: a fixed pseudo-random stream, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn prague_header() -> Vec<u8> {
    let text = std::fs::read_to_string(PRAGUE_YAML).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    hex::decode(doc["header"].as_str().unwrap().trim_start_matches("0x")).unwrap()
}

#[test]
fn header_rlp_truncations_and_flips_never_panic() {
    let header = prague_header();
    for cut in 0..=header.len() {
        fuzzing::header_rlp(&header[..cut]);
    }
    let mut rng = Rng(0x5eed);
    for _ in 0..3000 {
        let mut h = header.clone();
        for _ in 0..=rng.below(3) {
            let i = rng.below(h.len());
            h[i] = rng.next() as u8;
        }
        fuzzing::header_rlp(&h);
    }
    // Length prefixes claiming far more than is there.
    fuzzing::header_rlp(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    fuzzing::header_rlp(&[0xf9, 0xff, 0xff]);
    fuzzing::header_rlp(&[0xb9, 0x00, 0x01, 0x00]);
}

#[test]
fn proof_walk_on_real_nodes_and_random_bytes_never_panics() {
    let proof: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{CANCUN_DIR}/getproof_deposit_contract_21925176.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let nodes: Vec<Vec<u8>> = proof["storageProof"][0]["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| hex::decode(n.as_str().unwrap().trim_start_matches("0x")).unwrap())
        .collect();
    let mut rng = Rng(0xfeed);
    for _ in 0..3000 {
        let mut input = vec![0u8; 32];
        input.iter_mut().for_each(|b| *b = rng.next() as u8);
        for node in &nodes {
            let mut node = node.clone();
            node.truncate(255.min(node.len()));
            if rng.below(2) == 0 && !node.is_empty() {
                let i = rng.below(node.len());
                node[i] ^= 1 << rng.below(8);
            }
            input.push(node.len() as u8);
            input.extend_from_slice(&node);
        }
        fuzzing::proof_walk(&input);
        let random: Vec<u8> = (0..rng.below(300)).map(|_| rng.next() as u8).collect();
        fuzzing::proof_walk(&random);
    }
}

/// Replaces one random scalar in `v` by a random odd value.
fn mutate(v: &mut Value, rng: &mut Rng) {
    let odd = [
        Value::Null,
        Value::from(-1),
        Value::from(1e300),
        Value::from(""),
        Value::from("0x"),
        Value::from("0xzz"),
        Value::from("0x1"),
        Value::from(format!("0x{}", "f".repeat(80))),
        Value::from(format!("0x{}", "0".repeat(513))),
        Value::Array(vec![]),
        serde_json::json!({}),
        Value::from(true),
    ];
    match v {
        Value::Object(map) if !map.is_empty() => {
            let i = rng.below(map.len());
            let key = map.keys().nth(i).unwrap().clone();
            if rng.below(4) == 0 {
                map.remove(&key);
            } else {
                mutate(map.get_mut(&key).unwrap(), rng);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.below(items.len());
            mutate(&mut items[i], rng);
        }
        other => *other = odd[rng.below(odd.len())].clone(),
    }
}

#[test]
fn mutated_rpc_json_never_panics() {
    let mut rng = Rng(0xbeef);
    for name in [
        "block_21925176.json",
        "getproof_deposit_contract_21925176.json",
        "getproof_miner_21925176.json",
    ] {
        let original: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{CANCUN_DIR}/{name}")).unwrap())
                .unwrap();
        for _ in 0..400 {
            let mut v = original.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut v, &mut rng);
            }
            fuzzing::rpc_json(serde_json::to_string(&v).unwrap().as_bytes());
        }
    }
    // Receipts are large; mutate a short prefix of the list.
    let receipts: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{CANCUN_DIR}/receipts_21925176.json")).unwrap(),
    )
    .unwrap();
    let few = Value::Array(receipts.as_array().unwrap()[..6].to_vec());
    for _ in 0..400 {
        let mut v = few.clone();
        mutate(&mut v, &mut rng);
        fuzzing::rpc_json(serde_json::to_string(&v).unwrap().as_bytes());
    }
    for junk in [
        &b"null"[..],
        b"[]",
        b"{}",
        b"\"0x\"",
        b"[[[[[]]]]]",
        b"{\"jsonrpc\":1}",
    ] {
        fuzzing::rpc_json(junk);
    }
}
