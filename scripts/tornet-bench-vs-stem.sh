#!/usr/bin/env bash
# Parse time of the 3.4 MB microdesc consensus of 2026-03-15 05:00 (9372
# relays): exitdesk-tornet (`dump --time N`, parse_document on the bytes)
# against stem (torproject/stem, Python) in the same run, median of N runs.
#
# stem variants:
#   validate=False          parse_file(..., validate=False), entries consumed;
#                           stem parses an entry's fields lazily, on first access
#   validate=False + fields the same, then every entry's fingerprint, nickname,
#                           address, OR port, `a` addresses, flags and `m` digest
#                           read (what exitdesk's parser produces)
#   validate=True           parse_file(..., validate=True): every field parsed
#                           and checked
#
# Usage: scripts/tornet-bench-vs-stem.sh [N]   (default 10)
# Skips (exit 0) when the sample, python3 or stem is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10}
TOR=${EXITDESK_TOR_TESTDATA:-../shared/testdata/tor}
FILE="$TOR/consensus-microdesc/2026-03-15-05-00-00-consensus-microdesc"
[ -f "$FILE" ] || { echo "skipped: $FILE not found (set EXITDESK_TOR_TESTDATA)"; exit 0; }
command -v python3 > /dev/null || { echo "skipped: no python3"; exit 0; }
python3 -c 'import stem.descriptor' 2> /dev/null || { echo "skipped: the Python package stem is not installed (pip install stem)"; exit 0; }

cargo build --release -q -p exitdesk-tornet --example dump
DUMP=${CARGO_TARGET_DIR:-target}/release/examples/dump

ours_json=$("$DUMP" --time "$N" "$FILE")
ours_ms=$(python3 -c 'import json,sys; print("%.2f" % json.loads(sys.argv[1])["median_ms"])' "$ours_json")

python3 - "$FILE" "$N" "$ours_ms" <<'PY'
import platform, statistics, sys, time
import stem, stem.descriptor as sd

path, n, ours = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
T = "network-status-microdesc-consensus-3 1.0"

def entries(validate):
    return sd.parse_file(path, descriptor_type=T, validate=validate, document_handler=sd.DocumentHandler.ENTRIES)

def lazy():
    return sum(1 for _ in entries(False))

def fields():
    k = 0
    for r in entries(False):
        k += len((r.fingerprint, r.nickname, r.address, r.or_port, r.or_addresses, r.flags, r.microdescriptor_digest))
    return k

def full():
    return sum(1 for _ in entries(True))

def median_ms(f, runs):
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)

relays = lazy()
rows = [
    ("stem validate=False", median_ms(lazy, n)),
    ("stem validate=False + fields read", median_ms(fields, n)),
    ("stem validate=True", median_ms(full, max(3, n // 2))),
]
import os
print(f"file: {path} ({os.path.getsize(path)} bytes, {relays} relays), median of {n} runs"
      f" (validate=True: {max(3, n // 2)})")
print(f"stem {stem.__version__}, Python {platform.python_version()}; exitdesk-tornet release build")
print(f"{'parser':<36} {'median ms':>10} {'stem/ours':>10}")
print(f"{'exitdesk-tornet parse_document':<36} {ours:>10.2f} {'1.0x':>10}")
for name, ms in rows:
    print(f"{name:<36} {ms:>10.1f} {ms / ours:>9.1f}x")
fast = rows[0][1] / ours
print(f"target ours <= 10 ms: {'met' if ours <= 10 else 'NOT met'} ({ours:.2f} ms); "
      f"ours >= 10x faster than stem validate=False: {'met' if fast >= 10 else 'NOT met'} ({fast:.1f}x)")
PY
