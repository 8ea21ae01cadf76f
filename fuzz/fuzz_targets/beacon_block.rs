//! Fuzz the full beacon-block decoders: SSZ under every fork name (the first
//! byte picks the fork, then decode, re-encode, body root, payload check)
//! and the Beacon-API JSON form. No input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preconf_light::execution::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector & 0x80 == 0 {
        fuzzing::beacon_block_ssz(rest);
    } else {
        fuzzing::beacon_block_json(rest);
    }
});
