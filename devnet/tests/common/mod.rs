//! HTTP helpers shared by the devnet's integration tests (plain std TCP:
//! the devnet is served on 127.0.0.1 and tests fetch it like any client).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use alloy_primitives::B256;
use preconf_devnet::Options;
use preconf_devnet::l2::L2Options;
use preconf_light::rollup::FeedMessage;
use serde_json::{Value, json};

/// One request; answers (status, body).
pub fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Vec<u8>) {
    let (status, _, out) = http_accept(addr, method, path, "application/json", body);
    (status, out)
}

/// One request with an `Accept` header; answers (status, response head, body).
pub fn http_accept(
    addr: SocketAddr,
    method: &str,
    path: &str,
    accept: &str,
    body: &str,
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    (status, head, raw[split + 4..].to_vec())
}

/// GET SSZ (`Accept: application/octet-stream`), expecting 200 and an SSZ answer.
pub fn get_ssz(addr: SocketAddr, path: &str) -> Vec<u8> {
    let (status, head, body) = http_accept(addr, "GET", path, "application/octet-stream", "");
    assert_eq!(status, 200, "GET {path}");
    assert!(head.contains("application/octet-stream"));
    body
}

/// GET, expecting 200.
pub fn get(addr: SocketAddr, path: &str) -> String {
    let (status, body) = http(addr, "GET", path, "");
    assert_eq!(status, 200, "GET {path}");
    String::from_utf8(body).expect("utf8")
}

/// GET JSON, expecting 200.
pub fn get_json(addr: SocketAddr, path: &str) -> Value {
    serde_json::from_str(&get(addr, path)).expect("json")
}

/// POST JSON, expecting 200.
pub fn post(addr: SocketAddr, path: &str, body: Value) -> Value {
    let (status, out) = http(addr, "POST", path, &body.to_string());
    assert_eq!(status, 200, "POST {path} {body}");
    serde_json::from_slice(&out).expect("json")
}

/// L1 JSON-RPC call; answers the whole response.
pub fn rpc(addr: SocketAddr, method: &str, params: Value) -> Value {
    post(
        addr,
        "/rpc/l1",
        json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
    )
}

/// Produces `slots` slots; answers the new current slot.
pub fn advance(addr: SocketAddr, slots: u64) -> u64 {
    post(addr, "/devnet/admin/advance", json!({ "slots": slots }))["slot"]
        .as_u64()
        .expect("slot")
}

/// Applies a fault through the admin endpoint.
pub fn fault(addr: SocketAddr, body: Value) -> Value {
    post(addr, "/devnet/admin/fault", body)
}

/// Every feed message produced so far, decoded by the library.
pub fn feed(addr: SocketAddr) -> Vec<FeedMessage> {
    let v = get_json(addr, "/rollup/blocks");
    v.as_array()
        .expect("array")
        .iter()
        .map(|m| FeedMessage::from_json(&m.to_string()).expect("feed message decodes"))
        .collect()
}

/// The ground truth of one L2 block (`/devnet/truth/l2/{hash}`).
pub fn truth_of(addr: SocketAddr, hash: B256) -> Value {
    get_json(addr, &format!("/devnet/truth/l2/{hash:#x}"))["truth"].clone()
}

/// A manual-clock devnet on a free port.
pub fn start(seed: u64, l2: L2Options) -> SocketAddr {
    start_opts(Options {
        seed,
        l2,
        ..Options::default()
    })
}

/// A manual-clock devnet with these options (port, root, clock overridden).
pub fn start_opts(opts: Options) -> SocketAddr {
    preconf_devnet::server::start(Options {
        port: 0,
        root: None,
        manual: true,
        genesis_time: Some(1_700_000_000),
        slot_ms: 1000,
        ..opts
    })
    .expect("start")
    .addr
}

/// An SSE subscription; `next` answers (event, data).
pub struct Sse(BufReader<TcpStream>);

impl Sse {
    /// Subscribes to `path` and waits for the response head.
    pub fn open(addr: SocketAddr, path: &str) -> Self {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("write");
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).expect("head") > 2 {
            line.clear();
        }
        // Let the server register the subscriber.
        std::thread::sleep(Duration::from_millis(100));
        Self(reader)
    }

    /// The next event.
    pub fn next(&mut self) -> (String, String) {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            self.0.read_line(&mut line).expect("line");
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                return (event, d.trim().to_string());
            }
        }
    }
}
