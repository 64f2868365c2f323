#!/usr/bin/env bash
# Runs the fuzz targets for a bounded time each, on the corpus kept in the
# repository (fuzz/corpus/<target>: synthetic seeds; fuzz/regressions/<target>:
# every input that ever failed). New inputs the fuzzer finds go to a throw-away
# folder, so a run leaves the repository as it was. Exit status non-zero when
# a target crashes, fails one of its checks, exceeds its memory cap
# (-rss_limit_mb) or takes longer than -timeout on one input; the failing input
# is printed (base64) so that a CI log is enough to reproduce it.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      default: 60 s, every target
#
# Needs cargo-fuzz (`cargo install --locked cargo-fuzz`); the stable toolchain
# is enough with RUSTC_BOOTSTRAP=1 and no sanitizer (`-s none`).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(extract draft tornet)
export RUSTC_BOOTSTRAP=1

# Memory cap per target process: inputs are at most -max_len bytes, so any
# message shape stays far below it unless memory grows out of proportion.
RSS_MB=${FUZZ_RSS_MB:-1024}

cargo fuzz build -s none -O

passed=0
failed=0
for t in "${targets[@]}"; do
    seeds=(corpus/"$t")
    case $t in
        extract) dict=dict/mail.dict max_len=32768 ;;
        draft) dict=dict/mail.dict max_len=32768 seeds+=(corpus/extract) ;;
        tornet) dict=dict/tor.dict max_len=16384 ;;
        *) echo "unknown target $t" >&2; exit 2 ;;
    esac
    work=$(mktemp -d)
    rm -rf "artifacts/$t"
    mkdir -p "artifacts/$t"
    echo "-- fuzz $t for ${secs}s (seeds: ${seeds[*]} regressions/$t)"
    if ! cargo fuzz run -s none -O "$t" "$work" "${seeds[@]}" "regressions/$t" -- \
        -max_total_time="$secs" -rss_limit_mb="$RSS_MB" -timeout=10 -max_len="$max_len" \
        -dict="$dict" -print_final_stats=1 -artifact_prefix="$PWD/artifacts/$t/" >"$work.log" 2>&1; then
        failed=$((failed + 1))
        grep -v "^ *[0-9]*: \|^ *at " "$work.log" | tail -40 | cut -c1-400
        for f in "artifacts/$t"/*; do
            [ -f "$f" ] || continue
            echo "failing input $f (save it as fuzz/regressions/$t/NAME; base64 below):"
            base64 -w 100 "$f" | head -200
        done
    else
        passed=$((passed + 1))
        grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$work.log" || true
        grep -E 'cov: [0-9]+' "$work.log" | tail -1 || true
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
