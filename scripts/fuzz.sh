#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a bounded time, one libFuzzer
# job at a time, on the stable toolchain (`-s none`: no sanitizer, so no
# nightly `-Z` flag is needed; the coverage instrumentation is stable).
#
#   scripts/fuzz.sh smoke 30        # make test: 30 s per target, fresh corpus
#   scripts/fuzz.sh campaign 1800   # a recorded campaign: corpus kept in
#                                   # fuzz/corpus/<target>, logs in target/fuzz-campaign/
#
# Committed seeds (fuzz/seeds/<target>) are read with the corpus. The lock
# file must not change (`cargo fuzz build` on a current fuzz/Cargo.lock
# rewrites nothing). Prints one line per target: execs, edges (cov),
# features (ft), corpus size, crashes; exits non-zero on a crash.
set -euo pipefail

mode="${1:?usage: scripts/fuzz.sh smoke|campaign SECONDS [TARGET...]}"
seconds="${2:?seconds per target}"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi

lock_before="$(sha256sum Cargo.lock)"
cargo fuzz build -s none
if [ "$(sha256sum Cargo.lock)" != "$lock_before" ]; then
  echo "[fuzz] fuzz/Cargo.lock changed during the build: commit a current lock file" >&2
  exit 1
fi

case "$mode" in
  smoke) logs="$(mktemp -d)"; trap 'rm -rf "$logs"' EXIT ;;
  campaign) logs="$root/target/fuzz-campaign"; mkdir -p "$logs" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

failed=0
for t in "${targets[@]}"; do
  if [ "$mode" = smoke ]; then corpus="$logs/corpus-$t"; else corpus="corpus/$t"; fi
  mkdir -p "$corpus" "artifacts/$t"
  dirs=("$corpus")
  [ -d "seeds/$t" ] && dirs+=("seeds/$t")
  log="$logs/$t.log"
  status=0
  # One job, one process: -jobs/-workers unset. -rss_limit_mb bounds a runaway input.
  cargo fuzz run -s none "$t" "${dirs[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" >"$log" 2>&1 || status=$?
  last="$(grep -E '^#[0-9]+' "$log" | tail -n1 || true)"
  execs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")"
  cov="$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")"
  corp="$(sed -nE 's/.*corp: ([0-9]+).*/\1/p' <<<"$last")"
  crashes="$(grep -cE '^(==[0-9]+== ERROR|thread .* panicked)' "$log" || true)"
  printf '[fuzz] %-20s %ss execs %s edges %s features %s corpus %s crashes %s exit %s\n' \
    "$t" "$seconds" "$execs" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" "$status"
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "[fuzz] $t failed; log:" >&2
    grep -E -A20 'panicked|ERROR' "$log" | head -40 >&2 || tail -n 40 "$log" >&2
  fi
done
exit "$failed"
