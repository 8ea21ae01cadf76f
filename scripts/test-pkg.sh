#!/usr/bin/env bash
# Tests the npm package as a user installs it: pack it, install the tarball
# into a fresh project, import it as `preconf-light`, run node's test runner.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tarball="$(ls "$root"/pkg/preconf-light-*.tgz | head -n1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
cp "$root"/pkg/test/*.test.mjs .
# The shipped types as a TypeScript user compiles them: strict, skipLibCheck
# off (every .d.ts of the package is checked), node16 resolution of the
# package's `exports`, and a lib without `esnext` (the wasm .d.ts must carry
# what it needs itself).
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "skipLibCheck": false, "noEmit": true,
  "module": "node16", "moduleResolution": "node16", "target": "es2022", "lib": ["es2022", "dom"] },
  "files": ["consumer.ts"] }
JSON
cat > consumer.ts <<'TS'
import { createPreconfClient, init, PreconfLightError, BeaconLightClient } from 'preconf-light';
import type { PreconfClient, Status } from 'preconf-light';
export async function main(): Promise<Status> {
  await init();
  const client: PreconfClient = createPreconfClient({
    network: 'mainnet', beaconApiUrl: 'https://beacon.example', l1RpcUrl: 'https://rpc.example',
    trustedCheckpoint: '0x' + '00'.repeat(32),
  });
  try { await client.ready; } catch (e) { if (e instanceof PreconfLightError) console.log(e.code); }
  void BeaconLightClient;
  return client.status({ l1Block: 1 });
}
TS
"$root"/node_modules/.bin/tsc -p tsconfig.json || { echo "[pkg] FAILED: the shipped types do not compile (skipLibCheck false)" >&2; exit 1; }
echo "[pkg] the shipped types compile with strict and skipLibCheck false"
export PRECONF_FIXTURES="$root/tests/fixtures"
node --test --test-reporter=spec ./*.test.mjs 2>&1 | tee "$work/out.log"
grep -qE '^ℹ pass [1-9]' "$work/out.log" || { echo "[pkg] FAILED: no test passed" >&2; exit 1; }
grep -qE '^ℹ fail 0' "$work/out.log" || { echo "[pkg] FAILED" >&2; exit 1; }
# make test provides everything (fixtures, the devnet binary): nothing may skip.
grep -qE '^ℹ skipped 0' "$work/out.log" || { echo "[pkg] FAILED: tests were skipped" >&2; exit 1; }
