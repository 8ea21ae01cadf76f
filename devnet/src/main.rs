//! `preconf-devnet`: the project's local network.
//!
//! Today it serves the demo page (`web-demo/`) and the built npm package on
//! 127.0.0.1. The simulated L1 beacon chain, execution layer and rollup
//! sequencer described in the devnet issue are not implemented yet.

mod http;

use std::path::PathBuf;
use std::process::ExitCode;

/// Command-line options.
#[derive(Debug)]
struct Options {
    seed: u64,
    port: u16,
    root: PathBuf,
}

const USAGE: &str = "usage: preconf-devnet [--seed N] [--port P] [--root DIR]\n\
  --seed N    determinism seed (default 1)\n\
  --port P    port on 127.0.0.1 (default 8645, env PRECONF_DEVNET_PORT)\n\
  --root DIR  folder served at / (default: web-demo/build)";

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut opts = Options {
        seed: 1,
        port: std::env::var("PRECONF_DEVNET_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(8645),
        root: PathBuf::from("web-demo/build"),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--seed" => {
                opts.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--port" => {
                opts.port = value("--port")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?
            }
            "--root" => opts.root = PathBuf::from(value("--root")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    if !opts.root.is_dir() {
        eprintln!(
            "preconf-devnet: {} is not a folder (run `make demo`)",
            opts.root.display()
        );
        return ExitCode::from(2);
    }
    match http::serve(&opts.root, opts.port, opts.seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("preconf-devnet: {e}");
            ExitCode::FAILURE
        }
    }
}
