//! `preconf-devnet`: the project's local network.
//!
//! ```text
//!  ticker (or POST /devnet/admin/advance) ──► Chain::advance_to(slot)
//!      per slot: sync committee of the slot's period signs the parent root (blst),
//!      an execution block commits to the inbox (signed tx, receipt + log, state trie),
//!      beacon state/body leaf arrays give header state_root/body_root
//!      before each L1 block: the L2 sequencer certifies the slot's blocks (ECDSA key
//!      or BLS committee), a builder may add a based block, and the L1 block commits
//!      them in the inbox (PROTOCOL.md); stall rule -> based mode
//!      the L2 side is written with the sequencer SDK (`preconf-sequencer`):
//!      certificates, headers, slot-ending and based blocks, inbox calldata
//!  HTTP on 127.0.0.1 (axum, `server`) ──► Beacon API light-client endpoints (JSON /
//!      SSZ), headers, blocks, SSE events, L1 JSON-RPC, sequencer feed (JSON, binary,
//!      SSE, WebSocket), L2 JSON-RPC, /devnet/client-config, /devnet/admin/*,
//!      /devnet/truth, demo page at / (API alone when the page folder is missing)
//! ```
//!
//! Everything is deterministic for a seed and a genesis time, except when
//! slots are produced by the wall-clock ticker (the schedule is, the timing
//! of fault requests is not).

pub mod beacon_json;
pub mod chain;
pub mod demo;
pub mod el;
pub mod faults;
pub mod keys;
pub mod l2;
pub mod l2_evm;
pub mod l2_rpc;
pub mod merkle;
pub mod rpc;
pub mod server;
pub mod tx;

use std::path::PathBuf;

use chain::Forgery;

/// Devnet options (the command line).
#[derive(Debug, Clone)]
pub struct Options {
    /// Determinism seed.
    pub seed: u64,
    /// Port on 127.0.0.1 (0 = any).
    pub port: u16,
    /// Folder served at `/`, if any.
    pub root: Option<PathBuf>,
    /// L1 slot time in milliseconds.
    pub slot_ms: u64,
    /// Genesis time (unix seconds); `None` = now.
    pub genesis_time: Option<u64>,
    /// No ticker: slots advance only through `POST /devnet/admin/advance`.
    pub manual: bool,
    /// Miss every N-th slot (0 = never).
    pub miss_every: u64,
    /// Reorg every N slots (0 = never) ...
    pub reorg_every: u64,
    /// ... by this depth.
    pub reorg_depth: usize,
    /// Light-client update endpoints withhold data.
    pub withhold_updates: bool,
    /// Finality does not advance.
    pub stall_finality: bool,
    /// Forged responses: (endpoint path or JSON-RPC method, kind).
    pub forge: Vec<(String, Forgery)>,
    /// L2 sequencer and builder settings.
    pub l2: l2::L2Options,
    /// Fault requests (admin JSON bodies) applied at start.
    pub faults: Vec<serde_json::Value>,
    /// Fault requests applied before every N-th slot: (N, body).
    pub fault_every: Vec<(u64, serde_json::Value)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 1,
            port: 8645,
            root: None,
            slot_ms: 2000,
            genesis_time: None,
            manual: false,
            miss_every: 0,
            reorg_every: 0,
            reorg_depth: 1,
            withhold_updates: false,
            stall_finality: false,
            forge: Vec::new(),
            l2: l2::L2Options::default(),
            faults: Vec::new(),
            fault_every: Vec::new(),
        }
    }
}

/// Default sequenced-block interval (ms) when `--l2-blocks-per-slot` is not given.
pub const DEFAULT_L2_BLOCK_MS: u64 = 250;

/// Usage text.
pub const USAGE: &str = "usage: preconf-devnet [options]\n\
  --seed N             determinism seed (default 1)\n\
  --port P             port on 127.0.0.1, 0 = any (default 8645, env PRECONF_DEVNET_PORT)\n\
  --root DIR           folder served at / (default: web-demo/build)\n\
  --slot-ms MS         L1 slot time in milliseconds (default 2000)\n\
  --slot-time SECS     L1 slot time in seconds (e.g. 12)\n\
  --genesis-time T     genesis unix time (default: now)\n\
  --manual             no clock: slots advance only via POST /devnet/admin/advance\n\
  --miss-every N       fault: the proposer of every N-th slot misses\n\
  --reorg-every N      fault: every N slots, reorg the L1 head ...\n\
  --reorg-depth D      ... by D blocks (default 1)\n\
  --withhold-updates   fault: light-client update endpoints answer 404\n\
  --stall-finality     fault: finality stops advancing\n\
  --forge EP=KIND      fault: forge responses of endpoint EP (a path such as\n\
                       /eth/v1/beacon/light_client/finality_update, or a JSON-RPC\n\
                       method such as eth_getBlockReceipts); KIND is bad_signature,\n\
                       bad_branch or wrong_receipt (repeatable)\n\
  --fault JSON         apply a fault at start, same body as POST /devnet/admin/fault,\n\
                       e.g. '{\"kind\":\"no_builder\"}' (repeatable)\n\
  --fault-every N=JSON apply a fault before every N-th slot, e.g.\n\
                       '5={\"kind\":\"late_slot_ending\"}' (repeatable)\n\
  --l2-block-ms MS     sequenced-block interval (default 250: blocks per slot = slot time / MS)\n\
  --l2-blocks-per-slot N  certified L2 blocks per L1 slot, the last slot-ending (overrides)\n\
  --slot-ending R      marker (default) or nth: the N-th block of a slot is slot-ending by rule\n\
  --based-every N      a based block on the slot-ending block every N-th L1 slot (default 0: never)\n\
  --stall-limit K      the rollup's stall limit in slots (default 10)\n\
  --cert key|committee sequencer certificates: one secp256k1 key (default) or a\n\
                       weighted BLS committee announced in the inbox";

/// Parses the command line.
///
/// # Errors
/// A message (with the usage) for a bad argument.
pub fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut opts = Options {
        port: std::env::var("PRECONF_DEVNET_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(8645),
        root: Some(PathBuf::from("web-demo/build")),
        ..Options::default()
    };
    let mut blocks_per_slot: Option<u64> = None;
    let mut l2_block_ms: Option<u64> = None;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        fn num<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e| format!("{name}: {e}"))
        }
        match arg.as_str() {
            "--seed" => opts.seed = num("--seed", value("--seed")?)?,
            "--port" => opts.port = num("--port", value("--port")?)?,
            "--root" => opts.root = Some(PathBuf::from(value("--root")?)),
            "--slot-ms" => opts.slot_ms = num("--slot-ms", value("--slot-ms")?)?,
            "--slot-time" => {
                opts.slot_ms =
                    num::<u64>("--slot-time", value("--slot-time")?)?.saturating_mul(1000)
            }
            "--genesis-time" => {
                opts.genesis_time = Some(num("--genesis-time", value("--genesis-time")?)?)
            }
            "--manual" => opts.manual = true,
            "--miss-every" => opts.miss_every = num("--miss-every", value("--miss-every")?)?,
            "--reorg-every" => opts.reorg_every = num("--reorg-every", value("--reorg-every")?)?,
            "--reorg-depth" => opts.reorg_depth = num("--reorg-depth", value("--reorg-depth")?)?,
            "--l2-blocks-per-slot" => {
                blocks_per_slot = Some(num("--l2-blocks-per-slot", value("--l2-blocks-per-slot")?)?)
            }
            "--cert" => {
                opts.l2.committee = match value("--cert")?.as_str() {
                    "key" => false,
                    "committee" => true,
                    other => return Err(format!("--cert: key or committee, got {other}")),
                }
            }
            "--slot-ending" => {
                opts.l2.nth_rule = match value("--slot-ending")?.as_str() {
                    "marker" => false,
                    "nth" => true,
                    other => return Err(format!("--slot-ending: marker or nth, got {other}")),
                }
            }
            "--l2-block-ms" => {
                l2_block_ms = Some(num::<u64>("--l2-block-ms", value("--l2-block-ms")?)?)
            }
            "--based-every" => opts.l2.based_every = num("--based-every", value("--based-every")?)?,
            "--stall-limit" => {
                opts.l2.stall_limit_slots = num("--stall-limit", value("--stall-limit")?)?
            }
            "--withhold-updates" => opts.withhold_updates = true,
            "--stall-finality" => opts.stall_finality = true,
            "--forge" => {
                let v = value("--forge")?;
                let (ep, kind) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--forge: expected EP=KIND, got {v}"))?;
                let kind =
                    Forgery::parse(kind).ok_or_else(|| format!("--forge: unknown kind {kind}"))?;
                opts.forge.push((ep.to_string(), kind));
            }
            "--fault" => opts.faults.push(faults::parse_body(&value("--fault")?)?),
            "--fault-every" => opts
                .fault_every
                .push(faults::parse_every(&value("--fault-every")?)?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if opts.slot_ms == 0 {
        return Err("--slot-ms must be positive".into());
    }
    opts.l2.blocks_per_slot = match (blocks_per_slot, l2_block_ms) {
        (Some(n), _) => n,
        (None, Some(0)) => return Err("--l2-block-ms must be positive".into()),
        (None, Some(ms)) => (opts.slot_ms / ms).max(1),
        (None, None) => (opts.slot_ms / DEFAULT_L2_BLOCK_MS).max(1),
    };
    if opts.l2.blocks_per_slot == 0 || opts.l2.stall_limit_slots == 0 {
        return Err("--l2-blocks-per-slot and --stall-limit must be positive".into());
    }
    Ok(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_parse_and_bad_ones_are_refused() {
        let o = parse(&[
            "--seed",
            "5",
            "--port",
            "0",
            "--slot-time",
            "12",
            "--manual",
            "--miss-every",
            "7",
            "--forge",
            "eth_getProof=bad_branch",
        ])
        .expect("valid");
        assert_eq!(
            (o.seed, o.port, o.slot_ms, o.manual, o.miss_every),
            (5, 0, 12_000, true, 7)
        );
        assert_eq!(
            o.forge,
            vec![("eth_getProof".to_string(), Forgery::BadBranch)]
        );
        let o = parse(&[
            "--fault",
            r#"{"kind":"no_builder"}"#,
            "--fault-every",
            r#"5={"kind":"late_slot_ending"}"#,
        ])
        .expect("valid");
        assert_eq!(o.faults, vec![serde_json::json!({"kind": "no_builder"})]);
        assert_eq!(
            o.fault_every,
            vec![(5, serde_json::json!({"kind": "late_slot_ending"}))]
        );
        assert!(parse(&["--fault", r#"{"kind":"meteor"}"#]).is_err());
        assert!(parse(&["--fault", "not json"]).is_err());
        assert!(parse(&["--fault-every", r#"0={"kind":"equivocate"}"#]).is_err());
        assert!(parse(&["--forge", "eth_getProof=nonsense"]).is_err());
        assert!(parse(&["--forge", "eth_getProof"]).is_err());
        assert!(parse(&["--slot-ms", "0"]).is_err());
        assert!(parse(&["--seed"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
