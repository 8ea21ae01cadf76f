//! Structure-aware fuzzing of the rollup feed decoders (docs/PROTOCOL.md
//! sections 1, 2.3, 6 and 7).
//!
//! ```text
//!  input ─► Raw bytes ─────────────► FeedMessage::decode_binary / from_json,
//!       │                             Certificate::decode, L2Header::decode_rlp
//!       ├► Message (header, txs, cert) ─► encode_binary / to_json
//!       │        ─► byte edits (flip, cut, insert, splice) or JSON edits
//!       │           (drop / replace / add a field, bad hex) ─► decode
//!       └► Evidence (two headers, two certs) ─► encode ─► read back as
//!                 rlp([headerA, certA, headerB, certB])
//! ```
//!
//! No input may panic. Whatever decodes must round-trip: a decoded message
//! re-encodes to a message that decodes to the same value (binary and
//! JSON), a decoded certificate re-encodes to the same bytes, and an
//! unedited well-formed message decodes to exactly what was encoded (an
//! unknown `kind` byte is refused).
#![no_main]

use alloy_primitives::{B256, Bytes, FixedBytes};
use alloy_rlp::Decodable;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use preconf_light::rollup::{
    Certificate, CommitteeCertificate, EquivocationEvidence, EquivocationKind, FeedMessage,
    L2Block, L2Header,
};
use serde_json::Value;

#[derive(Arbitrary, Debug)]
enum Input {
    /// Bytes given to every decoder as they are.
    Raw(Vec<u8>),
    /// A message built from fields, encoded, then edited.
    Message {
        msg: Msg,
        binary_edits: Vec<ByteEdit>,
        json_edits: Vec<JsonEdit>,
    },
    /// Equivocation evidence built from fields.
    Evidence {
        a: (Header, Cert),
        b: (Header, Cert),
        same_slot: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Header {
    chain_id: u64,
    number: u64,
    parent_hash: [u8; 32],
    /// Mostly a valid kind; sometimes any byte.
    kind: u8,
    l1_slot: u64,
    l1_parent_beacon_root: [u8; 32],
    l1_parent_block_hash: [u8; 32],
    timestamp: u64,
    state_root: [u8; 32],
    transactions_root: [u8; 32],
    receipts_root: [u8; 32],
    gas_limit: u64,
    gas_used: u64,
    base_fee_per_gas: u64,
}

impl Header {
    fn build(&self) -> L2Header {
        L2Header {
            chain_id: self.chain_id,
            number: self.number,
            parent_hash: B256::from(self.parent_hash),
            // Kinds 0..=2 are valid: keep most inputs decodable.
            kind: if self.kind < 0xf0 {
                self.kind % 3
            } else {
                self.kind
            },
            l1_slot: self.l1_slot,
            l1_parent_beacon_root: B256::from(self.l1_parent_beacon_root),
            l1_parent_block_hash: B256::from(self.l1_parent_block_hash),
            timestamp: self.timestamp,
            state_root: B256::from(self.state_root),
            transactions_root: B256::from(self.transactions_root),
            receipts_root: B256::from(self.receipts_root),
            gas_limit: self.gas_limit,
            gas_used: self.gas_used,
            base_fee_per_gas: self.base_fee_per_gas,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Cert {
    None,
    Ecdsa([u8; 65]),
    Committee {
        id: u64,
        bitfield: Vec<u8>,
        signature: [u8; 96],
    },
}

impl Cert {
    fn build(&self) -> Certificate {
        match self {
            Self::None => Certificate::None,
            Self::Ecdsa(s) => Certificate::Ecdsa(FixedBytes(*s)),
            Self::Committee {
                id,
                bitfield,
                signature,
            } => Certificate::Committee(CommitteeCertificate {
                committee_id: *id,
                bitfield: bitfield.clone(),
                signature: FixedBytes(*signature),
            }),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Msg {
    header: Header,
    transactions: Vec<Vec<u8>>,
    certificate: Cert,
}

impl Msg {
    fn build(&self) -> FeedMessage {
        FeedMessage {
            block: L2Block {
                header: self.header.build(),
                transactions: self
                    .transactions
                    .iter()
                    .map(|t| Bytes::from(t.clone()))
                    .collect(),
            },
            certificate: self.certificate.build(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum ByteEdit {
    Flip {
        at: u16,
        bit: u8,
    },
    Cut {
        at: u16,
    },
    Insert {
        at: u16,
        byte: u8,
    },
    Remove {
        at: u16,
        len: u8,
    },
    /// Copies a range of the encoding over another place (RLP lengths meet
    /// other lengths' payloads).
    Splice {
        from: u16,
        to: u16,
        len: u8,
    },
}

fn edit_bytes(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    let n = bytes.len();
    if n == 0 {
        return;
    }
    let pos = |at: u16| usize::from(at) % n;
    match *edit {
        ByteEdit::Flip { at, bit } => bytes[pos(at)] ^= 1 << (bit % 8),
        ByteEdit::Cut { at } => bytes.truncate(pos(at)),
        ByteEdit::Insert { at, byte } => bytes.insert(pos(at), byte),
        ByteEdit::Remove { at, len } => {
            let start = pos(at);
            let end = (start + usize::from(len)).min(n);
            bytes.drain(start..end);
        }
        ByteEdit::Splice { from, to, len } => {
            let (from, to) = (pos(from), pos(to));
            let len = usize::from(len).min(n - from).min(n - to);
            let chunk = bytes[from..from + len].to_vec();
            bytes[to..to + len].copy_from_slice(&chunk);
        }
    }
}

/// A JSON value a field may be replaced with.
#[derive(Arbitrary, Debug)]
enum JsonValue {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A number too large for u64.
    Huge,
    Text(String),
    Hex(Vec<u8>),
    /// An odd number of hex digits, or none after `0x`.
    BadHex(u8),
    Array(Vec<u8>),
}

impl JsonValue {
    fn build(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Int(i) => Value::from(*i),
            Self::Uint(u) => Value::from(*u),
            Self::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Self::Huge => serde_json::from_str("18446744073709551616").unwrap_or(Value::Null),
            Self::Text(s) => Value::String(s.clone()),
            Self::Hex(b) => Value::String(format!("0x{}", hex(b))),
            Self::BadHex(n) => {
                Value::String(format!("0x{}", "a".repeat(usize::from(*n % 5) * 2 + 1)))
            }
            Self::Array(b) => Value::Array(b.iter().map(|x| Value::from(*x)).collect()),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Arbitrary, Debug)]
enum JsonEdit {
    /// Removes the n-th field (of the header when `in_header`).
    Drop { in_header: bool, field: u8 },
    /// Replaces the n-th field's value.
    Replace {
        in_header: bool,
        field: u8,
        value: JsonValue,
    },
    /// Adds a field (unknown names are ignored by the reader or refused).
    Add {
        in_header: bool,
        name: String,
        value: JsonValue,
    },
    /// Replaces the n-th transaction.
    Transaction { index: u8, value: JsonValue },
    /// Replaces the whole document.
    Whole(JsonValue),
}

/// The top-level object, or its `header` object.
fn target(doc: &mut Value, in_header: bool) -> Option<&mut serde_json::Map<String, Value>> {
    let top = doc.as_object_mut()?;
    if in_header {
        top.get_mut("header")?.as_object_mut()
    } else {
        Some(top)
    }
}

fn edit_json(doc: &mut Value, edit: &JsonEdit) {
    match edit {
        JsonEdit::Drop { in_header, field } => {
            if let Some(map) = target(doc, *in_header)
                && let Some(key) = nth_key(map, *field)
            {
                map.remove(&key);
            }
        }
        JsonEdit::Replace {
            in_header,
            field,
            value,
        } => {
            if let Some(map) = target(doc, *in_header)
                && let Some(key) = nth_key(map, *field)
            {
                map.insert(key, value.build());
            }
        }
        JsonEdit::Add {
            in_header,
            name,
            value,
        } => {
            if let Some(map) = target(doc, *in_header) {
                map.insert(name.clone(), value.build());
            }
        }
        JsonEdit::Transaction { index, value } => {
            if let Some(txs) = doc.get_mut("transactions").and_then(Value::as_array_mut)
                && !txs.is_empty()
            {
                let i = usize::from(*index) % txs.len();
                txs[i] = value.build();
            }
        }
        JsonEdit::Whole(v) => *doc = v.build(),
    }
}

fn nth_key(map: &serde_json::Map<String, Value>, n: u8) -> Option<String> {
    if map.is_empty() {
        return None;
    }
    map.keys().nth(usize::from(n) % map.len()).cloned()
}

/// Every decoder on raw bytes; whatever decodes round-trips.
fn raw(data: &[u8]) {
    binary(data);
    if let Ok(text) = std::str::from_utf8(data) {
        json(text);
    }
    if let Ok(cert) = Certificate::decode(data) {
        // The section 2.3 encoding has one form per certificate.
        assert_eq!(
            cert.encode().as_deref(),
            Ok(data),
            "certificate re-encodes to its bytes"
        );
    }
    if let Ok(header) = L2Header::decode_rlp(data) {
        assert_eq!(
            L2Header::decode_rlp(&header.rlp_bytes()),
            Ok(header.clone())
        );
        assert!(header.block_kind().is_ok());
    }
}

fn binary(bytes: &[u8]) {
    if let Ok(m) = FeedMessage::decode_binary(bytes) {
        let again = m.encode_binary().expect("a decoded message encodes");
        assert_eq!(FeedMessage::decode_binary(&again), Ok(m));
    }
}

fn json(text: &str) {
    if let Ok(m) = FeedMessage::from_json(text) {
        let again = m.to_json().expect("a decoded message encodes");
        assert_eq!(FeedMessage::from_json(&again), Ok(m));
    }
}

/// An unedited message decodes to itself, or is refused for its kind or an
/// unencodable certificate.
fn well_formed(m: &FeedMessage) {
    let valid_kind = m.block.header.block_kind().is_ok();
    let Ok(bytes) = m.encode_binary() else {
        // Only a committee bitfield longer than u16::MAX cannot be encoded.
        assert!(
            matches!(&m.certificate, Certificate::Committee(c) if c.bitfield.len() > usize::from(u16::MAX))
        );
        return;
    };
    let decoded = FeedMessage::decode_binary(&bytes);
    let text = m.to_json().expect("an encodable message has a JSON form");
    let from_text = FeedMessage::from_json(&text);
    if valid_kind {
        assert_eq!(decoded.as_ref(), Ok(m), "binary round trip");
        assert_eq!(from_text.as_ref(), Ok(m), "JSON round trip");
    } else {
        assert!(
            decoded.is_err() && from_text.is_err(),
            "an unknown kind is refused"
        );
    }
}

fn evidence(a: &(Header, Cert), b: &(Header, Cert), same_slot: bool) {
    let ev = EquivocationEvidence {
        kind: if same_slot {
            EquivocationKind::SameSlotEnding
        } else {
            EquivocationKind::SameHeight
        },
        header_a: a.0.build(),
        certificate_a: a.1.build(),
        header_b: b.0.build(),
        certificate_b: b.1.build(),
    };
    let Ok(bytes) = ev.encode() else {
        return;
    };
    // Section 6: rlp([headerA, certA, headerB, certB]), certificates as strings.
    let mut buf = bytes.as_slice();
    let list = alloy_rlp::Header::decode(&mut buf).expect("evidence is an RLP list");
    assert!(
        list.list && list.payload_length == buf.len(),
        "one list, nothing after it"
    );
    let header_a = L2Header::decode(&mut buf).expect("header A");
    let cert_a = Bytes::decode(&mut buf).expect("certificate A");
    let header_b = L2Header::decode(&mut buf).expect("header B");
    let cert_b = Bytes::decode(&mut buf).expect("certificate B");
    assert!(buf.is_empty(), "four items");
    assert_eq!(header_a, ev.header_a);
    assert_eq!(header_b, ev.header_b);
    assert_eq!(Certificate::decode(&cert_a), Ok(ev.certificate_a.clone()));
    assert_eq!(Certificate::decode(&cert_b), Ok(ev.certificate_b.clone()));
    assert_eq!(ev.block_hashes(), (ev.header_a.hash(), ev.header_b.hash()));
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw(data) => raw(&data),
        Input::Message {
            msg,
            binary_edits,
            json_edits,
        } => {
            let m = msg.build();
            well_formed(&m);
            if let Ok(mut bytes) = m.encode_binary() {
                for e in &binary_edits {
                    edit_bytes(&mut bytes, e);
                }
                binary(&bytes);
                raw(&bytes);
            }
            if let Ok(text) = m.to_json()
                && let Ok(mut doc) = serde_json::from_str::<Value>(&text)
            {
                for e in &json_edits {
                    edit_json(&mut doc, e);
                }
                json(&doc.to_string());
            }
        }
        Input::Evidence { a, b, same_slot } => evidence(&a, &b, same_slot),
    }
});
