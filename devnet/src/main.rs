//! `preconf-devnet`: a simulated L1 (beacon chain with a real sync committee,
//! execution blocks, state) behind the Beacon API and JSON-RPC, and the demo
//! page, on 127.0.0.1. See the library docs for the pipeline.

use std::process::ExitCode;

fn main() -> ExitCode {
    let opts = match preconf_devnet::parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match preconf_devnet::server::start(opts) {
        Ok(handle) => {
            handle.join();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("preconf-devnet: {e}");
            ExitCode::FAILURE
        }
    }
}
