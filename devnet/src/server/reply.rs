//! Response builders and request helpers shared by the route modules.

use axum::body::Body;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A JSON response.
pub fn json(code: u16, v: &Value) -> Response {
    bytes(code, "application/json", v.to_string().into_bytes())
}

/// A Beacon-API-style error: `{"code": status, "message": ...}`.
pub fn error(code: u16, message: &str) -> Response {
    json(code, &json!({ "code": code, "message": message }))
}

/// A body with its content type.
pub fn bytes(code: u16, content_type: &'static str, body: Vec<u8>) -> Response {
    (
        status(code),
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        Body::from(body),
    )
        .into_response()
}

/// An SSZ response with its `Eth-Consensus-Version`.
pub fn ssz(body: Vec<u8>, version: &str) -> Response {
    let mut res = bytes(200, "application/octet-stream", body);
    if let Ok(v) = HeaderValue::from_str(version) {
        res.headers_mut().insert("eth-consensus-version", v);
    }
    res
}

/// Whether the client asked for SSZ / binary (`Accept: application/octet-stream`).
pub fn wants_ssz(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/octet-stream"))
}

/// The query's pairs, percent-decoded; an undecodable query reads as empty.
pub fn params(uri: &Uri) -> Vec<(String, String)> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

/// The first value of query parameter `name`.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A numeric query parameter, `default` when absent or not a number.
pub fn param_u64(params: &[(String, String)], name: &str, default: u64) -> u64 {
    param(params, name)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// No such file or route.
pub async fn not_found() -> Response {
    error(404, "not found")
}

/// No route: 404 for reads, 405 for any other method.
pub async fn no_route(method: Method) -> Response {
    if method == Method::GET || method == Method::HEAD {
        error(404, "not found")
    } else {
        error(405, "method not allowed")
    }
}
