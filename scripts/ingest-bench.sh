#!/usr/bin/env bash
# Ingest end to end (store, extract, verify, classify, case, draft) into
# SQLite and into PostgreSQL, side by side, against extraction alone
# (`exitdesk extract --json`, the stage ingest starts with) on the same mbox.
#
# The mbox is the corpus mix: every message of ../shared/corpus (or of
# examples/ when the corpus is absent; the script says which), repeated with
# its Date moved one day per copy and a sequence header (distinct bytes), so
# that cases join as in real life (same reporter, exit and scenario within
# 14 days) without one endless flood.
#
# Usage: scripts/ingest-bench.sh [COPIES]   (default 90: about 5,000 messages)
#        REPEAT=5 scripts/ingest-bench.sh     (runs per figure, median reported; default 3)
#        EXITDESK_BENCH_BIN=/path/to/exitdesk scripts/ingest-bench.sh   (another build)
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-90}
work=$(mktemp -d)
chmod 755 "$work"
trap 'scripts/pg-test-server.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

src=../shared/corpus
[ -d "$src" ] || src=examples
# EXITDESK_BENCH_BIN: another build to measure (e.g. an older commit's), same mix.
bin=${EXITDESK_BENCH_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release -q -p exitdesk
    bin=target/release/exitdesk
fi

python3 - "$src" "$copies" "$work/mix.mbox" <<'PY'
import email.utils, os, sys, datetime
src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(f for f in os.listdir(src) if f.endswith(".eml"))
base = datetime.datetime(2025, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
with open(out, "wb") as o:
    for k in range(copies):
        for f in files:
            raw = open(os.path.join(src, f), "rb").read().replace(b"\r\n", b"\n")
            head, sep, body = raw.partition(b"\n\n")
            lines = head.split(b"\n")
            date = email.utils.format_datetime(base + datetime.timedelta(days=k)).encode()
            lines = [b"Date: " + date if l.lower().startswith(b"date:") else l for l in lines]
            o.write(b"From bench@example.org Mon Jan  1 00:00:00 2024\n")
            o.write(b"X-Bench-Seq: %d\n" % k)
            msg = b"\n".join(lines) + sep + body
            for line in msg.split(b"\n"):
                if line.lstrip(b">").startswith(b"From "):
                    line = b">" + line
                o.write(line + b"\n")
            o.write(b"\n")
PY
msgs=$(grep -c '^From bench@' "$work/mix.mbox")
echo "mix: $msgs messages from $src ($copies copies), $(( $(stat -c %s "$work/mix.mbox") / 1024 )) KiB"

# Wall-clock seconds, then CPU seconds (user + system, every thread).
timeit() {
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/time" | awk '{ printf "%.2f %.2f", $1, $2 + $3 }'
}
# The run of median wall time among REPEAT runs (default 3), runs of the
# peer and of ingest taking turns: this host is shared and noisy.
repeat=${REPEAT:-3}
median() { sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }

export EXITDESK_NOW=2025-06-01T00:00:00Z
: >"$work/ext" && : >"$work/sq"
for _ in $(seq "$repeat"); do
    timeit "$bin" extract --json "$work/mix.mbox" >>"$work/ext" && echo >>"$work/ext"
    rm -rf "$work/sqlite"
    timeit "$bin" --data-dir "$work/sqlite" --config examples/exitdesk.toml ingest "$work/mix.mbox" >>"$work/sq" && echo >>"$work/sq"
done
read -r ext ext_cpu <<<"$(median <"$work/ext")"
read -r sq sq_cpu <<<"$(median <"$work/sq")"
read -r again _ <<<"$(timeit "$bin" --data-dir "$work/sqlite" --config examples/exitdesk.toml ingest "$work/mix.mbox")"
cases=$("$bin" --data-dir "$work/sqlite" queue --all --json | wc -l)
# Ingest reads on every core, extract --json on one: the share outside
# extraction is of the CPU time (what ingest spends beyond reading).
echo "median of $repeat runs each (wall s, msg/s, CPU s):"
echo "extract --json (peer):   ${ext}s  $(calc "$msgs / $ext") msg/s  (CPU ${ext_cpu}s)"
echo "ingest into SQLite:      ${sq}s  $(calc "$msgs / $sq") msg/s  ($cases cases; CPU ${sq_cpu}s, $(calc "100 * ($sq_cpu - $ext_cpu) / $sq_cpu")% outside extraction)"
echo "  every run: $(tr '\n' ' ' <"$work/sq" | sed 's/  */ /g')"
echo "ingest again (no-op):    ${again}s  $(calc "$msgs / $again") msg/s"

if url=$(scripts/pg-test-server.sh start "$work/pg" 15433 2>/dev/null); then
    pgurl="${url%/postgres}/postgres"
    read -r pg pg_cpu <<<"$(EXITDESK_STORE_URL="$pgurl" timeit "$bin" --data-dir "$work/pgdata" --config examples/exitdesk.toml ingest "$work/mix.mbox")"
    echo "ingest into PostgreSQL:  ${pg}s  $(calc "$msgs / $pg") msg/s  (one run; CPU of exitdesk ${pg_cpu}s, $(calc "100 * ($pg_cpu - $ext_cpu) / $pg_cpu")% outside extraction; the server's not counted)"
else
    echo "PostgreSQL: not started (no server binaries?); skipped"
fi
