//! The sequencer feed over WebSocket, block witnesses for re-execution and
//! `eth_getCode` on L2, fetched over HTTP and checked with the library.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use alloy_primitives::{Address, B256, U256};
use common::*;
use preconf_devnet::l2::{L2_BASE_FEE, L2Options, decode_eip1559};
use preconf_light::execution::verify_account_proof_for;
use preconf_light::rollup::FeedMessage;
use serde_json::{Value, json};

fn l2() -> L2Options {
    L2Options {
        blocks_per_slot: 3,
        based_every: 2,
        stall_limit_slots: 10,
        committee: false,
        nth_rule: false,
    }
}

/// Reads one server frame: (opcode, payload).
fn read_frame(s: &mut TcpStream) -> (u8, Vec<u8>) {
    let mut head = [0u8; 2];
    s.read_exact(&mut head).expect("frame head");
    assert_eq!(head[0] & 0x80, 0x80, "final frame");
    assert_eq!(head[1] & 0x80, 0, "server frames are unmasked");
    let len = match head[1] & 0x7f {
        126 => {
            let mut b = [0u8; 2];
            s.read_exact(&mut b).expect("len16");
            usize::from(u16::from_be_bytes(b))
        }
        127 => {
            let mut b = [0u8; 8];
            s.read_exact(&mut b).expect("len64");
            usize::try_from(u64::from_be_bytes(b)).expect("len")
        }
        n => usize::from(n),
    };
    let mut payload = vec![0u8; len];
    s.read_exact(&mut payload).expect("payload");
    (head[0] & 0x0f, payload)
}

#[test]
fn the_sequencer_feed_streams_over_websocket() {
    let addr = start(31, l2());
    advance(addr, 1);
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    write!(
        s,
        "GET /rollup/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .expect("write");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).expect("head");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).expect("utf8");
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    // RFC 6455 section 1.3: the accept value of this key.
    let accept = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("sec-websocket-accept")
            .then(|| value.trim())
    });
    assert_eq!(accept, Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "{head}");
    std::thread::sleep(Duration::from_millis(100));
    let slot = advance(addr, 1);
    assert_eq!(slot % 2, 0, "a based slot");
    let mut got = Vec::new();
    while got.len() < 4 {
        let (op, payload) = read_frame(&mut s);
        if op == 0x1 {
            got.push(
                FeedMessage::from_json(std::str::from_utf8(&payload).expect("utf8"))
                    .expect("feed message"),
            );
        }
    }
    assert!(got.iter().all(|m| m.block.header.l1_slot == slot));
    for pair in got.windows(2) {
        assert_eq!(
            pair[1].block.header.parent_hash,
            pair[0].block.header.hash()
        );
    }
    // Without the upgrade headers the endpoint refuses.
    assert_eq!(http(addr, "GET", "/rollup/ws", "").0, 426);
}

fn l2_rpc(addr: std::net::SocketAddr, method: &str, params: Value) -> Value {
    post(
        addr,
        "/rpc/l2",
        json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
    )
}

#[test]
fn block_witnesses_prove_the_pre_state_and_reexecution_reaches_the_post_state() {
    let addr = start(32, l2());
    fault(addr, json!({"kind": "force_tx"}));
    advance(addr, 3);
    let msgs = feed(addr);
    let mut checked = 0;
    for m in msgs.iter().skip(1) {
        let header = &m.block.header;
        let hash = header.hash();
        let w = get_json(addr, &format!("/rollup/witness/{hash:#x}"));
        let parent = msgs
            .iter()
            .find(|p| p.block.header.hash() == header.parent_hash)
            .expect("parent in feed");
        let pre_root = parent.block.header.state_root;
        assert_eq!(w["preStateRoot"], json!(format!("{pre_root:#x}")));
        // Every proof verifies against the parent's certified state root.
        let mut state: BTreeMap<Address, (u64, U256)> = BTreeMap::new();
        for p in w["proofs"].as_array().expect("proofs") {
            let a: Address = p["address"].as_str().expect("address").parse().expect("a");
            let acc = verify_account_proof_for(pre_root, a, &[], p).expect("pre-state proof");
            state.insert(a, (acc.nonce, acc.balance));
        }
        // Re-execute the transfers over the proven pre-state.
        let raws = w["transactions"].as_array().expect("txs");
        assert_eq!(raws.len(), m.block.transactions.len());
        for raw in raws {
            let raw =
                hex::decode(raw.as_str().expect("hex").trim_start_matches("0x")).expect("hex");
            let tx = decode_eip1559(&raw).expect("transaction");
            let (nonce, balance) = state.get_mut(&tx.from).expect("sender proven");
            assert_eq!(*nonce, tx.nonce);
            *nonce += 1;
            *balance -= tx.value + U256::from(tx.gas) * U256::from(L2_BASE_FEE);
            state.get_mut(&tx.to).expect("recipient proven").1 += tx.value;
        }
        // The post-state equals what eth_getProof proves under the block's own root.
        for (a, (nonce, balance)) in &state {
            let proof = l2_rpc(
                addr,
                "eth_getProof",
                json!([format!("{a:#x}"), [], format!("{hash:#x}")]),
            )["result"]
                .clone();
            let acc = verify_account_proof_for(header.state_root, *a, &[], &proof)
                .expect("post-state proof");
            assert_eq!((acc.nonce, acc.balance), (*nonce, *balance), "{a}");
        }
        checked += 1;
    }
    assert!(checked >= 9, "{checked}");
    assert_eq!(
        http(
            addr,
            "GET",
            &format!("/rollup/witness/{:#x}", B256::ZERO),
            ""
        )
        .0,
        404
    );
    // L2 accounts hold no code.
    let user = w_first_address(addr);
    assert_eq!(
        l2_rpc(addr, "eth_getCode", json!([user, "latest"]))["result"],
        json!("0x")
    );
}

fn w_first_address(addr: std::net::SocketAddr) -> String {
    get_json(addr, "/devnet/accounts")["l2"][0]["address"]
        .as_str()
        .expect("address")
        .to_string()
}
