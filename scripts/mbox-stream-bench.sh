#!/usr/bin/env bash
# Builds a ~1 GB mbox from the shipped examples and streams it through
# `exitdesk extract --json`, reporting throughput and peak memory (RSS).
#
# The peer in the same run is `grep -c '^From '` over the same file: the cost
# of merely reading the bytes and finding the message boundaries.
#
# Usage: scripts/mbox-stream-bench.sh [SIZE_MB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mbox="$work/big.mbox"
calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }

cargo build --release -q -p exitdesk
bin=target/release/exitdesk

# One round: every example .eml as an mbox message, plus the example mbox.
round="$work/round.mbox"
: > "$round"
for f in examples/*.eml; do
    printf 'From bench@example.org Mon Jan  1 00:00:00 2024\n' >> "$round"
    # mboxrd: quote body lines that would look like separators.
    sed -e 's/\r$//' -e 's/^\(>*From \)/>\1/' "$f" >> "$round"
    printf '\n' >> "$round"
done
cat examples/mailbox.mbox >> "$round"
printf '\n' >> "$round"
round_bytes=$(stat -c %s "$round")
rounds=$(( size_mb * 1024 * 1024 / round_bytes + 1 ))
# Doubling concatenation: fast even for a gigabyte.
cp "$round" "$mbox"
have=1
while (( have * 2 <= rounds )); do
    cat "$mbox" "$mbox" > "$work/tmp" && mv "$work/tmp" "$mbox"
    have=$(( have * 2 ))
done
while (( have < rounds )); do cat "$round" >> "$mbox"; have=$(( have + 1 )); done
bytes=$(stat -c %s "$mbox")

echo "mbox: $(( bytes / 1024 / 1024 )) MiB, $have rounds of $(grep -c '^From ' "$round") messages"

t0=$(date +%s.%N)
peer_msgs=$(grep -c '^From ' "$mbox")
t1=$(date +%s.%N)
[ "$(calc "$t1 - $t0")" = "0.0" ] && t1=$(calc "$t0 + 0.05")
peer_s=$(calc "$t1 - $t0")

/usr/bin/time -v "$bin" extract --json "$mbox" 2> "$work/time.txt" | wc -l > "$work/lines.txt" || true
msgs=$(cat "$work/lines.txt")
secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
rss_kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
cpu=$(grep 'Percent of CPU' "$work/time.txt" | awk '{print $NF}')

echo "exitdesk extract --json: $msgs messages in ${secs}s = $(calc "$msgs / $secs") msg/s, $(calc "$bytes / 1048576 / $secs") MiB/s, CPU $cpu"
echo "peak RSS: $(( rss_kb / 1024 )) MiB"
echo "peer grep -c '^From ': $peer_msgs separators in ${peer_s}s"
echo "ratio exitdesk/grep wall time: $(calc "$secs / $peer_s")x"
if (( rss_kb > 200 * 1024 )); then
    echo "FAIL: peak RSS above 200 MiB" >&2
    exit 1
fi
