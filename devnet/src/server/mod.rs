//! The devnet's HTTP server (axum on a tokio runtime), bound to 127.0.0.1.
//!
//! ```text
//!  ticker thread (or POST /devnet/admin/advance) ──► Chain ──► events::Hub (broadcast)
//!  axum Router, one module per role:
//!    beacon   /eth/v1/beacon/*, /eth/v2/beacon/blocks/*, /eth/v1/events (SSE)
//!    l1_rpc   POST / and /rpc/l1 (JSON-RPC)
//!    l2       /rollup/* (feed JSON/SSE/WebSocket, blocks, witnesses), POST /rpc/l2
//!    admin    /devnet/client-config, /devnet/accounts, /devnet/admin/*
//!    truth    /devnet/truth, /devnet/truth/l2[/{hash}] (ground truth, tests only)
//!    demo     /devnet/action[/{hash}], /devnet/demo/*
//!    fallback the page folder (static files), else 404
//!  layers: CORS (preflight answered, `*`), request body limit, `Cache-Control: no-store`
//! ```
//!
//! Handlers that touch the chain run on tokio's blocking pool (the chain's
//! work is CPU-bound: BLS signing, revm); streams (SSE, WebSocket) are async
//! and read the event hub.

mod admin;
mod beacon;
mod demo;
pub mod events;
mod l1_rpc;
mod l2;
mod reply;
mod truth;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alloy_primitives::B256;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::Response;
use axum::routing::post;
use preconf_light::ssz::TreeHash;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

use crate::Options;
use crate::chain::{Chain, S};

pub use events::advance;

/// Largest request body accepted (bytes); larger requests get 413.
pub const MAX_REQUEST_BODY: usize = 1 << 20;
/// How long browsers may cache a CORS preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// State shared by the server, the ticker and in-process tests.
pub struct Shared {
    chain: Mutex<Chain>,
    hub: events::Hub,
    opts: Options,
    addr: SocketAddr,
    /// Wall-clock start of slot 0, in milliseconds.
    genesis_ms: u128,
}

/// A running devnet.
pub struct Handle {
    /// Bound address.
    pub addr: SocketAddr,
    /// Shared state (for in-process tests).
    pub shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl Handle {
    /// Blocks until the server stops (it does not, short of process exit).
    pub fn join(self) {
        let _ = self.server.join();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// The page folder to serve, if it exists; a missing one is reported and
/// the devnet serves its API alone.
fn page_root(root: Option<&PathBuf>) -> Option<PathBuf> {
    let root = root?;
    if root.is_dir() {
        Some(root.clone())
    } else {
        eprintln!(
            "preconf-devnet: {} is not a folder: serving the API only (`make demo-build` builds the page)",
            root.display()
        );
        None
    }
}

/// Starts the devnet: binds 127.0.0.1, prints the URL, starts the ticker
/// (unless manual) and the HTTP server.
///
/// # Errors
/// Binding failures, a fault given at start that does not apply, or a
/// runtime that cannot start.
pub fn start(mut opts: Options) -> std::io::Result<Handle> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", opts.port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    opts.root = page_root(opts.root.as_ref());
    let genesis_time = opts
        .genesis_time
        .unwrap_or_else(|| (now_ms() / 1000) as u64);
    let mut chain = Chain::new(
        opts.seed,
        genesis_time,
        opts.slot_ms.div_ceil(1000),
        opts.l2,
    );
    chain.faults.miss_every = opts.miss_every;
    chain.faults.withhold_updates = opts.withhold_updates;
    chain.faults.stall_finality = opts.stall_finality;
    chain.faults.forge = opts.forge.iter().cloned().collect();
    for body in &opts.faults {
        crate::faults::apply(&mut chain, body)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .thread_name("preconf-devnet")
        .build()?;
    let shared = Arc::new(Shared {
        chain: Mutex::new(chain),
        hub: events::Hub::new(),
        genesis_ms: u128::from(genesis_time) * 1000,
        opts,
        addr,
    });
    let app = router(shared.clone());
    let server = thread::Builder::new()
        .name("preconf-devnet-http".into())
        .spawn(move || {
            let served = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                axum::serve(listener, app).await
            });
            if let Err(e) = served {
                eprintln!("preconf-devnet: server stopped: {e}");
            }
        })?;
    println!(
        "preconf-devnet (seed {}) serving {} at http://{addr}/",
        shared.opts.seed,
        shared
            .opts
            .root
            .as_ref()
            .map(|r| r.display().to_string())
            .unwrap_or_else(|| "no page".into())
    );
    if !shared.opts.manual {
        let s = shared.clone();
        thread::Builder::new()
            .name("preconf-devnet-ticker".into())
            .spawn(move || events::ticker(&s))?;
    }
    Ok(Handle {
        addr,
        shared,
        server,
    })
}

/// Every route, by role, with the CORS, body-limit and no-store layers.
fn router(shared: Arc<Shared>) -> Router {
    let page = shared
        .opts
        .root
        .as_ref()
        .map(|root| ServeDir::new(root).fallback(reply::not_found.into_service()));
    // `/` is the L1 JSON-RPC for POST and the page's index for GET.
    let root = match &page {
        Some(dir) => post(l1_rpc::call).fallback_service(dir.clone()),
        None => post(l1_rpc::call).fallback(reply::no_route),
    };
    let app = Router::new()
        .route("/", root)
        .merge(beacon::routes())
        .merge(l1_rpc::routes())
        .merge(l2::routes())
        .merge(admin::routes())
        .merge(truth::routes())
        .merge(demo::routes());
    let app = match page {
        Some(dir) => app.fallback_service(dir),
        None => app.fallback(reply::no_route),
    };
    app.layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .layer(axum::middleware::map_response(no_store))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
                .allow_headers(Any)
                .expose_headers([HeaderName::from_static("eth-consensus-version")])
                .max_age(PREFLIGHT_MAX_AGE),
        )
        .with_state(shared)
}

/// Every answer is live data: never cached.
async fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Runs `f` on the chain's side of the server (tokio's blocking pool).
async fn on_chain<F>(shared: Arc<Shared>, f: F) -> Response
where
    F: FnOnce(&Shared) -> Response + Send + 'static,
{
    tokio::task::spawn_blocking(move || f(&shared))
        .await
        .unwrap_or_else(|_| reply::error(500, "internal error"))
}

/// Used by tests: the hash tree root of a light-client header's beacon part.
pub fn beacon_root(h: &preconf_light::beacon::BeaconBlockHeader) -> B256 {
    h.tree_hash_root()
}

/// Sync committee size served.
pub const SYNC_COMMITTEE_SIZE: usize = S;
