#!/usr/bin/env bash
# Bundler compatibility: a Vite app installs the packed tarball, builds, and
# runs in Chromium.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tarball="$(ls "$root"/pkg/preconf-light-*.tgz | head -n1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root"/tests/bundler/{package.json,package-lock.json,index.html,vite.config.js,src} "$work/"
cd "$work"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
npm install --no-save --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
node_modules/.bin/vite build --outDir dist >/dev/null
BUNDLER_DIST="$work/dist" node --test "$root/tests/bundler/bundler.test.mjs"
