#!/usr/bin/env bash
# Drafts a reply for a sample of corpus complaints, one per sender, for a
# review by the rubric of reference/reply-review.md (doc/QUALITY.md).
#
#   scripts/review-drafts.sh OUTDIR [N] [CORPUS]     default: 36 messages, ../shared/corpus
#
# Each sample is drafted as its operator would see it: a configuration is
# written beside it whose `our_addresses` are the complaint's labelled
# offending addresses (the complaint went to the operator of that address),
# with no network data for that hour (none exists in the repository), so
# every draft must say what it could not verify. OUTDIR/index.tsv lists
# complaint and draft; OUTDIR/NNN.draft.txt are the drafts (the first lines
# are the headers, then the body; a refused draft says why). Nothing is
# written into the repository: the corpus is personal data.
set -euo pipefail
out=${1:?usage: scripts/review-drafts.sh OUTDIR [N] [CORPUS]}
n=${2:-36}
cd "$(dirname "$0")/.."
corpus=$(realpath "${3:-../shared/corpus}")
[ -f "$corpus/labels.json" ] || { echo "no labels.json in $corpus" >&2; exit 2; }
cargo build -q --release -p exitdesk
mkdir -p "$out"
python3 - "$corpus" "$out" "$n" <<'PY'
import json, os, re, sys
corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
labels = json.load(open(os.path.join(corpus, "labels.json")))
# A sender is the file name's first word after the number; a CERT or CSIRT
# with its country (cert-ee, csirt-cz) is its own sender.
def sender(f):
    words = f.split("-")[1:]
    return "-".join(words[:2]) if words[0] in ("cert", "csirt") else words[0]
seen, picked = set(), []
for l in labels:
    s = sender(l["file"])
    if s not in seen:
        seen.add(s)
        picked.append(l)
# Spread over the corpus (old and new senders alike).
step = max(1, len(picked) / n)
sample = [picked[int(i * step)] for i in range(min(n, len(picked)))]
base = open("examples/exitdesk.toml").read()
with open(os.path.join(out, "index.tsv"), "w") as index:
    for l in sample:
        num = l["file"].split("-")[0]
        ips = [ip for ip in l.get("reported_ips", [])]
        cfg = re.sub(r"(?ms)^#? ?our_addresses = \[.*?\]", lambda _: "our_addresses = " + json.dumps(ips), base, count=1)
        assert "our_addresses = " + json.dumps(ips) in cfg, "examples/exitdesk.toml has no our_addresses"
        open(os.path.join(out, num + ".toml"), "w").write(cfg)
        index.write(f"{num}\t{os.path.join(corpus, l['file'])}\t{os.path.join(out, num + '.draft.txt')}\n")
PY
while IFS=$'\t' read -r num eml draft; do
    ./target/release/exitdesk --data-dir "$out/data" --config "$out/$num.toml" draft "$eml" >"$draft" 2>&1 || true
done <"$out/index.tsv"
echo "$(wc -l <"$out/index.tsv") drafts in $out (index.tsv: number, complaint, draft)"
