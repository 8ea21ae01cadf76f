//! Fuzzes every beacon decoder: SSZ objects of every fork and both presets,
//! the `/updates` SSZ chunk list, the fork-digest prefix, Beacon API JSON
//! and persisted stores. None may panic; decodable SSZ must re-encode to
//! bytes that decode to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preconf_light::beacon::{
    self, Fork, LightClientBootstrap, LightClientFinalityUpdate, LightClientOptimisticUpdate,
    LightClientUpdate, MainnetLightClient, Network,
};

fn ssz<const S: usize>(data: &[u8], fork: Fork) {
    if let Ok(u) = LightClientUpdate::<S>::from_ssz_fork(data, fork) {
        let again = LightClientUpdate::<S>::from_ssz_fork(&u.to_ssz_fork(fork), fork);
        assert_eq!(again.as_ref(), Ok(&u));
    }
    let _ = LightClientBootstrap::<S>::from_ssz_fork(data, fork);
    let _ = LightClientFinalityUpdate::<S>::from_ssz_fork(data, fork);
    let _ = LightClientOptimisticUpdate::<S>::from_ssz_fork(data, fork);
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let fork = Fork::ALL[usize::from(selector) % Fork::ALL.len()];
    let network = Network::mainnet();
    match selector / 32 {
        0 | 1 => ssz::<32>(rest, fork),
        2 | 3 => ssz::<512>(rest, fork),
        4 => {
            let _ = beacon::updates_from_ssz::<512>(&network, rest);
            let _ = beacon::split_fork_digest(&network, rest);
        }
        5 | 6 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = beacon::updates_from_json::<32>(text);
                let _ = beacon::bootstrap_from_json::<32>(text);
                let _ = beacon::finality_update_from_json::<32>(text);
                let _ = beacon::optimistic_update_from_json::<32>(text);
            }
        }
        _ => {
            let _ = MainnetLightClient::from_bytes(network, rest);
        }
    }
});
