#!/usr/bin/env bash
# Import of a month of hourly consensuses from a CollecTor-style .tar.xz,
# side by side with `xz -d` of the same file (decompression is the floor).
#
# No real month is at hand here, so one is built from a real sample: the
# 2022-11-19 10:00 ns consensus (6088 relays) becomes 720 hourly
# consensuses of 2022-11 in CollecTor's layout, with churn (each hour a
# few hundred relays drop out or come back, as in real data) so that the
# index does real work. Usage: scripts/tornet-import-bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
TOR=${EXITDESK_TOR_TESTDATA:-../shared/testdata/tor}
SRC="$TOR/consensus/2022-11-19-10-00-00-consensus"
[ -f "$SRC" ] || { echo "skipped: $SRC not found (set EXITDESK_TOR_TESTDATA)"; exit 0; }
WORK=target/tornet-month
MONTH=$WORK/consensuses-2022-11.tar.xz
mkdir -p "$WORK"
if [ ! -f "$MONTH" ]; then
    echo "building $MONTH (once; cached) ..."
    python3 - "$SRC" "$WORK" <<'PY'
import io, random, sys, tarfile
src, work = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8", errors="replace").read()
head, rest = text.split("\nr ", 1)
entries = ("r " + rest).split("\nr ")
footer_at = entries[-1].find("\ndirectory-footer")
tail = entries[-1][footer_at:]
entries[-1] = entries[-1][:footer_at]
entries = [e if e.startswith("r ") else "r " + e for e in entries]
rng = random.Random(2022)
offline = {}
with tarfile.open(f"{work}/consensuses-2022-11.tar", "w") as tar:
    for day in range(1, 31):
        for hour in range(24):
            # ~0.5 %/h of relays go offline for 1-48 h.
            for i in rng.sample(range(len(entries)), len(entries) // 200):
                offline[i] = day * 24 + hour + rng.randint(1, 48)
            now = day * 24 + hour
            live = [e for i, e in enumerate(entries) if offline.get(i, 0) <= now]
            va = f"2022-11-{day:02d} {hour:02d}:00:00"
            h = head.replace("valid-after 2022-11-19 10:00:00", f"valid-after {va}")
            body = h + "\n" + "\n".join(live) + tail
            data = body.encode()
            name = f"consensuses-2022-11/{day:02d}/2022-11-{day:02d}-{hour:02d}-00-00-consensus"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
PY
    xz -T0 -6 "$WORK/consensuses-2022-11.tar"
fi
cargo build -q --release -p exitdesk
BIN=target/release/exitdesk
ls -l "$MONTH" | awk '{printf "file: %s, %.1f MB compressed\n", $9, $5/1e6}'
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
xs=(); os=()
for i in $(seq "$RUNS"); do
    s=$(date +%s.%N); xz -d -c "$MONTH" >/dev/null; e=$(date +%s.%N)
    xs+=("$(echo "$e - $s" | bc)")
    rm -rf "$WORK/data"
    s=$(date +%s.%N); "$BIN" --data-dir "$WORK/data" tornet import "$MONTH" 2>"$WORK/import.log"; e=$(date +%s.%N)
    os+=("$(echo "$e - $s" | bc)")
done
X=$(printf '%s\n' "${xs[@]}" | median)
O=$(printf '%s\n' "${os[@]}" | median)
cat "$WORK/import.log"
"$BIN" --data-dir "$WORK/data" tornet status | head -3
printf 'xz -d: %.2f s   exitdesk tornet import: %.2f s   ratio: %.2f (target <= 1.5)\n' "$X" "$O" "$(echo "$O / $X" | bc -l)"
