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
export PRECONF_FIXTURES="$root/tests/fixtures"
node --test --test-reporter=spec ./*.test.mjs 2>&1 | tee "$work/out.log"
grep -qE '^ℹ pass [1-9]' "$work/out.log" || { echo "[pkg] FAILED: no test passed" >&2; exit 1; }
grep -qE '^ℹ fail 0' "$work/out.log" || { echo "[pkg] FAILED" >&2; exit 1; }
# make test provides everything (fixtures, the devnet binary): nothing may skip.
grep -qE '^ℹ skipped 0' "$work/out.log" || { echo "[pkg] FAILED: tests were skipped" >&2; exit 1; }
