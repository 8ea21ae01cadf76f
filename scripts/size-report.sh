#!/usr/bin/env bash
# Where the bytes of a wasm module go: twiggy's per-function sizes (the cargo
# output, before wasm-bindgen strips the names) summed per crate and per
# preconf_light module. `cargo install twiggy` first.
# Usage: size-report.sh <cargo-built .wasm> [rows]
set -euo pipefail
wasm="$1"; rows="${2:-25}"
twiggy top -n 1000000 -f csv "$wasm" | python3 -c '
import csv, re, sys, collections
rows = int(sys.argv[1])
by_crate, by_module = collections.Counter(), collections.Counter()
for r in csv.DictReader(sys.stdin):
    name, size = r["Name"], int(r["ShallowSize"])
    if name.startswith(("\"function names\"", "custom section", "export ")) or "__wbindgen_describe" in name:
        continue  # stripped from the shipped file (names, wasm-bindgen descriptors)
    if name.startswith("data segment"):
        key = "(data: string and table constants)"
    elif re.fullmatch(r"[A-Za-z0-9_]+", name):
        key = "(C: blst)"
    else:
        m = re.match(r"^<?&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)", name)
        key = m.group(1) if m else "(other)"
    by_crate[key] += size
    m = re.search(r"preconf_light::([a-z_0-9]+(?:::[a-z_0-9]+)?)", name)
    if m:
        by_module[m.group(1)] += size
total = sum(by_crate.values())
print(f"code + data: {total} bytes (names and custom sections excluded)")
print("| crate | bytes | share |\n|---|---|---|")
for k, v in by_crate.most_common(rows):
    print(f"| {k} | {v} | {100 * v / total:.1f}% |")
print("\n| preconf_light module | bytes |\n|---|---|")
for k, v in by_module.most_common(rows):
    print(f"| {k} | {v} |")
' "$rows"
