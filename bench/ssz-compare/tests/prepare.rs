//! Writes the three inputs (real mainnet Capella data) to `data/` and checks
//! that every implementation decodes them to the same roots, and that an
//! input cut in half is refused by each. Run with all features:
//! `cargo test --release --features inhouse,sigp,sszrs`.

use preconf_light::beacon::{Fork, LightClientUpdate};
use preconf_light::ssz::SszEncode;

const FIX: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/mainnet/helios/capella-lc"
);

fn inputs() -> [Vec<u8>; 3] {
    let updates: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIX}/updates.json")).unwrap())
            .unwrap();
    let update: LightClientUpdate<512> =
        preconf_light::beacon::update_from_data(&updates[0]["data"], Fork::Capella).unwrap();
    let update_ssz = update.to_ssz_fork(Fork::Capella);
    let header_ssz = update.attested_header.execution.to_capella().to_ssz();
    // SignedBeaconBlock { message: offset, signature } → BeaconBlock { slot,
    // proposer_index, parent_root, state_root, body: offset }.
    let block = std::fs::read(format!("{FIX}/beacon_block_7109344.ssz")).unwrap();
    let message = u32::from_le_bytes(block[0..4].try_into().unwrap()) as usize;
    let body_at =
        u32::from_le_bytes(block[message + 80..message + 84].try_into().unwrap()) as usize;
    let body_ssz = block[message + body_at..].to_vec();
    [update_ssz, header_ssz, body_ssz]
}

#[test]
fn all_implementations_agree_on_real_capella_data() {
    let data = inputs();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in ["update", "header", "body"].iter().zip(&data) {
        std::fs::write(format!("{dir}/{name}.ssz"), bytes).unwrap();
    }
    let impls: [(&str, [fn(&[u8]) -> Option<[u8; 32]>; 3]); 3] = [
        (
            "inhouse",
            [
                ssz_compare::inhouse::update,
                ssz_compare::inhouse::header,
                ssz_compare::inhouse::body,
            ],
        ),
        (
            "sigp",
            [
                ssz_compare::sigp::update,
                ssz_compare::sigp::header,
                ssz_compare::sigp::body,
            ],
        ),
        (
            "ssz_rs",
            [
                ssz_compare::sszrs::update,
                ssz_compare::sszrs::header,
                ssz_compare::sszrs::body,
            ],
        ),
    ];
    for (i, bytes) in data.iter().enumerate() {
        let roots: Vec<_> = impls
            .iter()
            .map(|(n, f)| (n, f[i](bytes).unwrap_or_else(|| panic!("{n} {i}"))))
            .collect();
        assert!(
            roots.iter().all(|(_, r)| *r == roots[0].1),
            "{i}: {roots:?}"
        );
        // Cut in half: offsets past the end or a short fixed part, invalid
        // for every container here (dropping one byte can leave a valid
        // value: the last field may be a shorter byte list).
        for (n, f) in &impls {
            assert!(
                f[i](&bytes[..bytes.len() / 2]).is_none(),
                "{n} {i} accepted a truncated input"
            );
        }
    }
    // The update's root is the one the client checks against (block 7109344's body root for the body).
    let body_root = ssz_compare::inhouse::body(&data[2]).unwrap();
    println!("body root 0x{}", alloy_primitives::hex::encode(body_root));
}
