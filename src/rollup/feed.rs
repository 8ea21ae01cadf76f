//! The sequencer feed message (binary RLP and JSON) and equivocation evidence.

use alloy_primitives::{B256, Bytes};
use alloy_rlp::{Decodable, RlpDecodable, RlpEncodable};
use serde::{Deserialize, Serialize};

use super::RollupError;
use super::certificate::Certificate;
use super::header::{L2Block, L2Header};

/// One feed message: a block, its body and its certificate. Deserializes
/// from the JSON form (PROTOCOL.md section 7).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "FeedJson")]
pub struct FeedMessage {
    /// Header and transactions.
    pub block: L2Block,
    /// Certificate (`Certificate::None` for based blocks).
    pub certificate: Certificate,
}

#[derive(RlpEncodable, RlpDecodable)]
struct FeedRlp {
    header: L2Header,
    transactions: Vec<Bytes>,
    certificate: Bytes,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeedJson {
    header: L2Header,
    transactions: Vec<Bytes>,
    certificate: Bytes,
}

fn exact<T: Decodable>(mut bytes: &[u8], what: &'static str) -> Result<T, RollupError> {
    let v = T::decode(&mut bytes).map_err(|_| RollupError::Malformed(what))?;
    if bytes.is_empty() {
        Ok(v)
    } else {
        Err(RollupError::Malformed(what))
    }
}

impl FeedMessage {
    /// Decodes `rlp([header, [tx...], certificate])`.
    ///
    /// # Errors
    /// [`RollupError::Malformed`] for bad RLP, a bad kind or a bad certificate.
    pub fn decode_binary(bytes: &[u8]) -> Result<Self, RollupError> {
        let m: FeedRlp = exact(bytes, "feed message RLP")?;
        m.header.block_kind()?;
        Ok(Self {
            block: L2Block {
                header: m.header,
                transactions: m.transactions,
            },
            certificate: Certificate::decode(&m.certificate)?,
        })
    }

    /// Encodes the binary form.
    ///
    /// # Errors
    /// As [`Certificate::encode`].
    pub fn encode_binary(&self) -> Result<Vec<u8>, RollupError> {
        Ok(alloy_rlp::encode(FeedRlp {
            header: self.block.header.clone(),
            transactions: self.block.transactions.clone(),
            certificate: self.certificate.encode()?.into(),
        }))
    }

    /// Decodes the JSON form (PROTOCOL.md section 7).
    ///
    /// # Errors
    /// [`RollupError::Malformed`] for bad JSON, a bad kind or a bad certificate.
    pub fn from_json(s: &str) -> Result<Self, RollupError> {
        let m: FeedJson =
            serde_json::from_str(s).map_err(|_| RollupError::Malformed("feed message JSON"))?;
        Self::try_from(m)
    }

    /// Encodes the JSON form.
    ///
    /// # Errors
    /// As [`Certificate::encode`], or [`RollupError::Malformed`] if serialization fails.
    pub fn to_json(&self) -> Result<String, RollupError> {
        serde_json::to_string(&FeedJson {
            header: self.block.header.clone(),
            transactions: self.block.transactions.clone(),
            certificate: self.certificate.encode()?.into(),
        })
        .map_err(|_| RollupError::Malformed("feed message JSON"))
    }
}

impl TryFrom<FeedJson> for FeedMessage {
    type Error = RollupError;

    fn try_from(m: FeedJson) -> Result<Self, RollupError> {
        m.header.block_kind()?;
        Ok(Self {
            block: L2Block {
                header: m.header,
                transactions: m.transactions,
            },
            certificate: Certificate::decode(&m.certificate)?,
        })
    }
}

/// Which rule two certificates break together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EquivocationKind {
    /// Two certified blocks at one height.
    SameHeight,
    /// Two slot-ending blocks for one slot.
    SameSlotEnding,
}

/// Proof of sequencer misbehaviour: two certified headers and both certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquivocationEvidence {
    /// The rule broken.
    pub kind: EquivocationKind,
    /// First header seen.
    pub header_a: L2Header,
    /// Its certificate.
    pub certificate_a: Certificate,
    /// Second header.
    pub header_b: L2Header,
    /// Its certificate.
    pub certificate_b: Certificate,
}

#[derive(RlpEncodable)]
struct EvidenceRlp {
    header_a: L2Header,
    cert_a: Bytes,
    header_b: L2Header,
    cert_b: Bytes,
}

impl EquivocationEvidence {
    /// Hashes of the two blocks.
    pub fn block_hashes(&self) -> (B256, B256) {
        (self.header_a.hash(), self.header_b.hash())
    }

    /// Binary evidence `rlp([headerA, certA, headerB, certB])`.
    ///
    /// # Errors
    /// As [`Certificate::encode`].
    pub fn encode(&self) -> Result<Vec<u8>, RollupError> {
        Ok(alloy_rlp::encode(EvidenceRlp {
            header_a: self.header_a.clone(),
            cert_a: self.certificate_a.encode()?.into(),
            header_b: self.header_b.clone(),
            cert_b: self.certificate_b.encode()?.into(),
        }))
    }
}
