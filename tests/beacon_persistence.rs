//! `to_bytes` / `from_bytes`: a restored client continues syncing; corrupted
//! or foreign bytes give typed errors.

mod common;

use common::mainnet::*;
use preconf_light::ErrorCode;
use preconf_light::beacon::{BeaconError, LightClient, MainnetLightClient, Network};
use preconf_light::ssz::sha256;

#[test]
fn restored_store_continues_syncing_to_the_same_head() {
    let ups = updates("helios/capella-lc/updates.json");
    let mut a = capella_client();
    for u in &ups[..3] {
        a.process_update(&u.data, at(u.data.signature_slot) + 1)
            .unwrap();
    }
    let bytes = a.to_bytes();
    let mut b = MainnetLightClient::from_bytes(Network::mainnet(), &bytes).unwrap();
    assert_eq!(b.finalized(), a.finalized());
    assert_eq!(b.optimistic(), a.optimistic());
    assert_eq!(b.to_bytes(), bytes, "serialization is stable");
    for c in [&mut a, &mut b] {
        for u in &ups[3..] {
            c.process_update(&u.data, at(u.data.signature_slot) + 1)
                .unwrap();
        }
        let fin = finality("helios/capella-lc/finality.json");
        c.process_finality_update(&fin.data, fin.fork, at(7_109_431) + 1)
            .unwrap();
    }
    assert_eq!(b.finalized(), a.finalized());
    assert_eq!(b.optimistic().execution.unwrap().block_number, 17_923_112);
}

#[test]
fn fulu_store_round_trips_with_its_next_committee() {
    // (Stores holding a best_valid_update are round-tripped at every step
    // of the spec sync vectors, see tests/light_client_vectors.rs.)
    let (mut c, slot) = fulu_client();
    let u = updates("sp1-helios/fulu-lc/updates.json");
    c.process_update(&u[0].data, at(slot)).unwrap();
    let mut restored = MainnetLightClient::from_bytes(Network::mainnet(), &c.to_bytes()).unwrap();
    assert!(restored.store().next_sync_committee().is_some());
    assert_eq!(
        restored.store().next_sync_committee(),
        c.store().next_sync_committee()
    );
    let fin = finality("sp1-helios/fulu-lc/finality_update.json");
    restored
        .process_finality_update(&fin.data, fin.fork, at(slot))
        .unwrap();
    assert_eq!(restored.finalized().slot, 14_561_952);
}

fn rehash(bytes: &mut Vec<u8>) {
    let n = bytes.len() - 32;
    bytes.truncate(n);
    let h = sha256(bytes);
    bytes.extend_from_slice(h.as_slice());
}

#[test]
fn corrupted_and_foreign_bytes_are_rejected() {
    let c = capella_client();
    let bytes = c.to_bytes();
    // any flipped byte fails the integrity check
    for i in (0..bytes.len()).step_by(1013) {
        let mut bad = bytes.clone();
        bad[i] ^= 0x40;
        let e = MainnetLightClient::from_bytes(Network::mainnet(), &bad).unwrap_err();
        assert!(matches!(e, BeaconError::StoreCorrupted(_)), "byte {i}: {e}");
        assert_eq!(e.code(), "STORE_CORRUPTED");
    }
    // truncated, empty, garbage
    for bad in [
        &bytes[..bytes.len() - 1],
        &bytes[..10],
        &[][..],
        &b"garbage garbage garbage garbage garbage"[..],
    ] {
        assert!(matches!(
            MainnetLightClient::from_bytes(Network::mainnet(), bad),
            Err(BeaconError::StoreCorrupted(_))
        ));
    }
    // another network
    let e = MainnetLightClient::from_bytes(Network::sepolia(), &bytes).unwrap_err();
    assert_eq!(e, BeaconError::WrongNetwork);
    // another preset
    let mut minimal = Network::mainnet().config();
    minimal.preset = preconf_light::beacon::Preset::MINIMAL;
    let e = LightClient::<512>::from_bytes(Network::custom(minimal).unwrap(), &bytes).unwrap_err();
    assert!(matches!(e, BeaconError::PresetMismatch { .. }));
    // a future format version (with a valid hash)
    let mut v2 = bytes.clone();
    v2[8] = 2;
    rehash(&mut v2);
    assert_eq!(
        MainnetLightClient::from_bytes(Network::mainnet(), &v2).unwrap_err(),
        BeaconError::StoreVersion(2)
    );
    // valid hash over a damaged body: typed error, no panic (offsets: magic
    // 8, version 2, root 32, size 4, body length 4, then the length prefix of
    // the finalized header at 50..54)
    for (at_byte, value) in [(46usize, 0xffu8), (50, 0xff), (53, 0x7f)] {
        let mut body = bytes.clone();
        body[at_byte] = value;
        rehash(&mut body);
        let e = MainnetLightClient::from_bytes(Network::mainnet(), &body).unwrap_err();
        assert!(matches!(e, BeaconError::StoreCorrupted(_)), "{e}");
    }
}
