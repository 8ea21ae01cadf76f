//! The HTTP server itself: CORS (preflight answered, any origin), request
//! body limits, the API alone when the page folder is missing, the client
//! config as the npm client's options, and L1 `eth_getCode`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use alloy_primitives::{Address, B256, keccak256};
use common::*;
use preconf_devnet::Options;
use preconf_devnet::el::{INBOX_ADDRESS, MINTER_ADDRESS};
use preconf_devnet::l2::L2Options;
use preconf_light::execution::verify_account_proof_for;
use serde_json::{Value, json};

/// Raw request with extra headers; answers (status, lowercased head, body).
fn request(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s.write_all(head.as_bytes()).expect("head");
    // A large body may be refused before it is read: write it from another
    // thread and read the answer here.
    let mut writer = s.try_clone().expect("clone");
    let body = body.to_vec();
    let w = std::thread::spawn(move || {
        let _ = writer.write_all(&body);
    });
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let _ = w.join();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    (status, head, raw[split + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        (n.trim() == name).then(|| v.trim())
    })
}

#[test]
fn cors_preflight_is_answered_and_every_answer_allows_any_origin() {
    let addr = start(41, L2Options::default());
    // The preflight a browser sends before a JSON POST from another origin
    // (Fetch standard, CORS protocol).
    for path in ["/rpc/l1", "/rpc/l2", "/devnet/admin/advance", "/"] {
        let (status, head, _) = request(
            addr,
            &format!(
                "OPTIONS {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://localhost:5173\r\n\
                 Access-Control-Request-Method: POST\r\n\
                 Access-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n"
            ),
            b"",
        );
        assert!((200..300).contains(&status), "{path}: preflight {status}");
        assert_eq!(header(&head, "access-control-allow-origin"), Some("*"));
        let methods = header(&head, "access-control-allow-methods").expect("methods");
        assert!(methods.contains("post"), "{methods}");
        let headers = header(&head, "access-control-allow-headers").expect("headers");
        assert!(
            headers == "*" || headers.contains("content-type"),
            "{headers}"
        );
    }
    // Simple requests carry the header too, with or without an Origin.
    for origin in ["Origin: http://localhost:5173\r\n", ""] {
        let (status, head, _) = request(
            addr,
            &format!(
                "GET /eth/v1/beacon/genesis HTTP/1.1\r\nHost: {addr}\r\n{origin}Connection: close\r\n\r\n"
            ),
            b"",
        );
        assert_eq!(status, 200);
        assert_eq!(header(&head, "access-control-allow-origin"), Some("*"));
        assert_eq!(header(&head, "cache-control"), Some("no-store"));
    }
    // An SSZ answer's fork header is readable cross-origin.
    let (_, head, _) = request(
        addr,
        &format!(
            "GET /eth/v1/beacon/light_client/optimistic_update HTTP/1.1\r\nHost: {addr}\r\n\
             Origin: http://localhost:5173\r\nConnection: close\r\n\r\n"
        ),
        b"",
    );
    let exposed = header(&head, "access-control-expose-headers").unwrap_or("");
    assert!(exposed.contains("eth-consensus-version"), "{head}");
}

#[test]
fn request_bodies_over_one_mib_are_refused_with_413() {
    let addr = start(42, L2Options::default());
    let big = vec![b' '; (1 << 20) + 1];
    for path in [
        "/rpc/l1",
        "/rpc/l2",
        "/devnet/action",
        "/devnet/admin/fault",
    ] {
        let (status, _, _) = request(
            addr,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                big.len()
            ),
            &big,
        );
        assert_eq!(status, 413, "{path}");
    }
    // Just under the limit is read whole (and is not JSON-RPC).
    let under = vec![b' '; (1 << 20) - 16];
    let (status, _, body) = request(
        addr,
        &format!(
            "POST /rpc/l1 HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            under.len()
        ),
        &under,
    );
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["error"]["code"], json!(-32700));
}

#[test]
fn unknown_routes_and_methods() {
    let addr = start(43, L2Options::default());
    assert_eq!(http(addr, "GET", "/nothing/here", "").0, 404);
    assert_eq!(http(addr, "GET", "/", "").0, 404, "no page folder");
    assert_eq!(http(addr, "POST", "/nothing/here", "{}").0, 405);
    assert_eq!(http(addr, "DELETE", "/rpc/l1", "").0, 405);
    assert_eq!(
        http(addr, "GET", "/eth/v1/beacon/light_client/nope", "").0,
        404
    );
    // HEAD answers like GET, without a body.
    let (status, body) = http(addr, "HEAD", "/devnet/client-config", "");
    assert_eq!((status, body.len()), (200, 0));
}

#[test]
fn the_binary_serves_the_api_alone_when_the_page_folder_is_missing() {
    let missing = std::env::temp_dir().join(format!("no-such-page-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_preconf-devnet"))
        .args(["--seed", "5", "--port", "0", "--manual", "--root"])
        .arg(&missing)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the devnet");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("startup line");
    let url = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .map(|w| w.trim_end_matches('/').to_string());
    let Some(url) = url else {
        let _ = child.kill();
        panic!("no URL in {line:?}");
    };
    assert!(line.contains("no page"), "{line}");
    let addr: SocketAddr = url.parse().expect("address");
    let config = get_json(addr, "/devnet/client-config");
    assert!(config["network"].is_object());
    assert_eq!(http(addr, "GET", "/", "").0, 404);
    assert_eq!(advance(addr, 1), 1);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn client_config_is_the_npm_clients_options_and_keeps_the_old_fields() {
    let addr = start(44, L2Options::default());
    advance(addr, 2);
    let c = get_json(addr, "/devnet/client-config");
    let base = format!("http://{addr}");
    // `createPreconfClient` option names (pkg/src/client/types.ts).
    assert_eq!(c["beaconApiUrl"], json!(base));
    assert_eq!(c["l1RpcUrl"], json!(format!("{base}/rpc/l1")));
    assert_eq!(c["l2RpcUrl"], json!(format!("{base}/rpc/l2")));
    assert_eq!(c["sequencerFeedUrl"], json!(format!("{base}/rollup/feed")));
    assert_eq!(c["l2BlockUrl"], json!(format!("{base}/rollup/block")));
    assert_eq!(c["chainId"], json!(31_337));
    assert!(c["network"].is_object() && c["rollup"].is_object());
    assert!(
        c["trustedCheckpoint"]
            .as_str()
            .is_some_and(|s| s.len() == 66)
    );
    // `{l2BlockUrl}/{hash}` answers a feed message.
    let tip = feed(addr).last().expect("a block").block.header.hash();
    let (status, body) = http(addr, "GET", &format!("/rollup/block/{tip:#x}"), "");
    assert_eq!(status, 200);
    assert!(serde_json::from_slice::<Value>(&body).is_ok());
    // The old fields stay.
    for key in ["slotMs", "l1ChainId", "inboxAddress"] {
        assert!(!c[key].is_null(), "{key}");
    }
    for key in [
        "beaconApi",
        "l1Rpc",
        "sequencerFeed",
        "sequencerFeedWs",
        "l2Rpc",
        "l2Blocks",
    ] {
        assert!(c["endpoints"][key].is_string(), "endpoints.{key}");
    }
}

#[test]
fn l1_get_code_answers_for_every_account_the_l1_state_knows() {
    let addr = start(45, L2Options::default());
    advance(addr, 2);
    let block = rpc(addr, "eth_getBlockByNumber", json!(["latest", false]))["result"].clone();
    let state_root: B256 = block["stateRoot"]
        .as_str()
        .expect("root")
        .parse()
        .expect("hex");
    let truth = get_json(addr, "/devnet/truth");
    assert!(truth["canonical"].is_array());
    let committer: Address = rpc(
        addr,
        "eth_getTransactionByHash",
        json!([block["transactions"][0]]),
    )["result"]["from"]
        .as_str()
        .expect("committer")
        .parse()
        .expect("address");
    for account in [
        INBOX_ADDRESS,
        MINTER_ADDRESS,
        committer,
        Address::repeat_byte(0x77),
    ] {
        let code = rpc(
            addr,
            "eth_getCode",
            json!([format!("{account:#x}"), "latest"]),
        );
        let code = code["result"].as_str().unwrap_or_else(|| panic!("{code}"));
        let code = hex::decode(&code[2..]).expect("hex");
        // The code hashes to the account's proven codeHash.
        let proof = rpc(
            addr,
            "eth_getProof",
            json!([format!("{account:#x}"), [], "latest"]),
        )["result"]
            .clone();
        let proven = verify_account_proof_for(state_root, account, &[], &proof).expect("proof");
        assert_eq!(keccak256(&code), proven.code_hash, "{account}");
    }
    let inbox = rpc(
        addr,
        "eth_getCode",
        json!([format!("{INBOX_ADDRESS:#x}"), "0x1"]),
    );
    assert_ne!(
        inbox["result"],
        json!("0x"),
        "the inbox has code at block 1"
    );
    let bad = rpc(addr, "eth_getCode", json!(["0x12", "latest"]));
    assert_eq!(bad["error"]["code"], json!(-32602));
}

/// #17: a transfer sent while the sequencer is stalled (wall-clock mode, the
/// devnet the demo runs) lands once the rollup moves on. The stall starts
/// after blocks of the next slot were released: the transfer's nonce counts
/// their transfers, and the based-mode switch that the stall causes
/// reverts them. (Before the fix the transfer, nonce-gapped on the
/// committed head, was dropped and never landed; `--manual` mode, which
/// releases nothing ahead, did not show it.)
#[test]
fn a_transfer_sent_during_a_sequencer_stall_lands() {
    let stall_limit = 3;
    let handle = preconf_devnet::server::start(Options {
        seed: 46,
        port: 0,
        root: None,
        slot_ms: 1000,
        l2: L2Options {
            blocks_per_slot: 4,
            stall_limit_slots: stall_limit,
            ..L2Options::default()
        },
        ..Options::default()
    })
    .expect("start");
    let addr = handle.addr;
    let truth = || get_json(addr, "/devnet/truth/l2");
    let wait_slot = |target: u64| {
        for _ in 0..400 {
            let slot = truth()["l1Slot"].as_u64().expect("slot");
            if slot >= target {
                return slot;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the devnet's clock did not reach slot {target}");
    };
    wait_slot(2);
    // Wait until 3 of the next slot's 4 blocks are out (one transfer from
    // each of the 3 users), then stall the sequencer past K.
    let start_slot = loop {
        let t = truth();
        let next = t["l1Slot"].as_u64().expect("slot") + 1;
        let ahead = t["blocks"]
            .as_array()
            .expect("blocks")
            .iter()
            .filter(|b| b["l1Slot"].as_u64() == Some(next))
            .count();
        if ahead >= 3 {
            break next - 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    fault(
        addr,
        json!({"kind": "sequencer_stall", "slots": stall_limit + 2}),
    );
    let sent = post(addr, "/devnet/demo/transfer", json!({}));
    let tx: B256 = sent["txHash"]
        .as_str()
        .expect("hash")
        .parse()
        .expect("hash");
    wait_slot(start_slot + stall_limit + 6);
    assert!(
        !truth()["basedModeSlots"]
            .as_array()
            .expect("slots")
            .is_empty(),
        "the stall switched the rollup to based mode"
    );
    let receipt = post(
        addr,
        "/rpc/l2",
        json!({"jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionReceipt", "params": [format!("{tx:#x}")]}),
    );
    let block: B256 = receipt["result"]["blockHash"]
        .as_str()
        .unwrap_or_else(|| panic!("the transfer never landed: {receipt}"))
        .parse()
        .expect("hash");
    let fate = truth_of(addr, block);
    assert!(
        fate["fate"] == json!("included") || fate["fate"] == json!("finalized"),
        "{fate}"
    );
}
