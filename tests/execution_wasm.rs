//! The execution module inside WebAssembly: the same real mainnet data must
//! verify, and the timings of the two benchmarked operations are printed.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --release --target wasm32-unknown-unknown --test execution_wasm -- --nocapture`
#![cfg(target_arch = "wasm32")]

use alloy_primitives::{B256, b256};
use preconf_light::execution::{verify_account_proof, verify_receipts};
use serde_json::Value;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const RECEIPTS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun/receipts_21925176.json"
));
const PROOF: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun/getproof_deposit_contract_21925176.json"
));
const RECEIPTS_ROOT: B256 =
    b256!("0xf883e1a2fb8df9d1d988dec80f13c8aca724590ac357e45e30e0d48b1fbd64ee");
const STATE_ROOT: B256 =
    b256!("0x7b3d5a01f69b7d2ea7479fd7ae35f4bac2700ab6d6d7b4807a7fedf53ced710e");
/// Timed batches.
const BATCHES: usize = 15;
/// Median over `BATCHES` batches of `runs` calls of the mean time of `f`, in
/// milliseconds (`Date.now()` has millisecond resolution, hence the batches).
fn median_ms(runs: u32, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = js_sys::Date::now();
            for _ in 0..runs {
                f();
            }
            (js_sys::Date::now() - start) / f64::from(runs)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[wasm_bindgen_test]
fn receipts_and_proof_verify_in_wasm() {
    let receipts: Value = serde_json::from_str(RECEIPTS).unwrap();
    let proof: Value = serde_json::from_str(PROOF).unwrap();
    let verified = verify_receipts(RECEIPTS_ROOT, &receipts).expect("receipts verify");
    assert_eq!(verified.receipts.len(), 202);
    let state = verify_account_proof(STATE_ROOT, &proof).expect("proof verifies");
    assert_eq!(state.nonce, 1);

    let mut wrong = RECEIPTS_ROOT;
    wrong.0[0] ^= 1;
    assert!(verify_receipts(wrong, &receipts).is_err());

    let receipts_ms = median_ms(10, || {
        verify_receipts(RECEIPTS_ROOT, &receipts).unwrap();
    });
    let proof_ms = median_ms(200, || {
        verify_account_proof(STATE_ROOT, &proof).unwrap();
    });
    console_log!("wasm median verify_receipts (202, from serde_json::Value): {receipts_ms} ms");
    console_log!("wasm median verify_account_proof (account + 1 slot): {proof_ms} ms");
}
