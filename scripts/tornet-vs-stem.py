#!/usr/bin/env python3
"""Cross-checks exitdesk-tornet's parsers against stem (torproject/stem).

Every sample Tor document under the test-data folder (consensus/,
consensus-microdesc/, microdescs/, server-descriptors/, exit-lists/, small/,
and the members of the collector-samples/*.tar archives) is parsed twice: by
stem, and by our `dump` example (crates/exitdesk-tornet/examples/dump.rs),
which prints what exitdesk-tornet read as JSON. The two readings are compared
field by field:

- consensuses: header (flavour, valid-after), relay count, fingerprints,
  nickname, IPv4 + OR port, `a` addresses, flags, `p` summaries (compared as
  the exact set of allowed ports 1-65535), `m` microdescriptor digests;
- microdescriptors: digests (SHA-256 of the document), `p` and `p6`;
- server descriptors: fingerprint, nickname, published, the exit policy as a
  list of normalised rules, `ipv6-policy`;
- exit lists: entries, fingerprints, Published, LastStatus, ExitAddress
  (address and scan time).

Usage:
    scripts/tornet-vs-stem.py [TESTDATA_DIR] [--dump PATH] [--require] [-v]

TESTDATA_DIR defaults to $EXITDESK_TOR_TESTDATA, else ../shared/testdata/tor
relative to the repository root. Without --dump the script builds the example
with `cargo build --release -p exitdesk-tornet --example dump`.

Exit status: 0 when everything matches, or when stem or the test data is
missing (prints "skipped"); with --require, 1 on any mismatch and 2 when
stem or the data is missing.

Normalisations (each one is an interpretation difference, not a parsing
difference, and is applied to both sides where it applies):

- Flags: exitdesk keeps only the flags it knows (FLAG_NAMES in
  crates/exitdesk-tornet/src/flags.rs) and drops others by design; stem keeps
  every word of the `s` line. Flags outside FLAG_NAMES are taken out of stem's
  list and counted in a note, not as mismatches.
- Summaries: a missing microdescriptor `p` means `reject 1-65535` (dir-spec,
  stem's default); exitdesk keeps it as "absent" (None). Both are compared as
  the set of allowed ports, absent = none. The same holds for a missing `p6`
  / `ipv6-policy` (stem: None or `reject 1-65535` depending on the type).
  A consensus entry without `p` stays "absent" on both sides.
- Full exit policies: stem truncates a policy after the first rule that
  matches everything (`accept *:*` / `reject *:*`) and collapses a policy made
  only of rejects (or only of accepts) ending in such a rule to that one rule;
  both are semantically neutral (first match wins). Our rule list gets the
  same treatment before comparing. stem prints addresses as written
  (`1.2.3.4/24`, `/255.255.0.0` masks); rules are compared with the network
  address masked and the mask as a bit count.
"""

import argparse
import datetime
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# crates/exitdesk-tornet/src/flags.rs FLAG_NAMES.
FLAG_NAMES = {
    "Authority", "BadExit", "Exit", "Fast", "Guard", "HSDir", "MiddleOnly",
    "NoEdConsensus", "Running", "Stable", "StaleDesc", "Sybil", "V2Dir", "Valid",
}

NS = "network-status-consensus-3 1.0"
MD = "network-status-microdesc-consensus-3 1.0"
MICRO = "microdescriptor 1.0"
SERVER = "server-descriptor 1.0"
EXITLIST = "tordnsel 1.0"

KIND_LABELS = {NS: "ns consensus", MD: "md consensus", MICRO: "microdescriptors", SERVER: "server descriptors", EXITLIST: "exit list"}

SAMPLE_DIRS = ["consensus", "consensus-microdesc", "microdescs", "server-descriptors", "exit-lists", "small"]


def stem_type(path):
    """The stem descriptor type of a Tor document, from its @type line or first keyword."""
    with open(path, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace")
    for line in head.splitlines():
        if line.startswith("@type "):
            name = line.split()[1]
            return {
                "network-status-consensus-3": NS,
                "network-status-microdesc-consensus-3": MD,
                "microdescriptor": MICRO,
                "server-descriptor": SERVER,
                "tordnsel": EXITLIST,
            }.get(name)
        if line.startswith("@") or not line.strip():
            continue
        words = line.split()
        if words[0] == "network-status-version":
            return MD if "microdesc" in words[1:] else NS
        if words[0] == "onion-key":
            return MICRO
        if words[0] == "router":
            return SERVER
        if words[0] in ("ExitNode", "Downloaded"):
            return EXITLIST
        return None
    return None


def fmt_time(t):
    if t is None:
        return None
    if isinstance(t, datetime.datetime):
        return t.strftime("%Y-%m-%d %H:%M:%S")
    return str(t)


# --- port summaries -------------------------------------------------------

def merge(ranges):
    out = []
    for lo, hi in sorted((max(lo, 1), hi) for lo, hi in ranges if hi >= 1):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def allowed(is_accept, ranges):
    """The allowed ports 1-65535 of a summary, as merged ranges."""
    m = merge(ranges)
    if is_accept:
        return m
    out, nxt = [], 1
    for lo, hi in m:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = max(nxt, hi + 1)
    if nxt <= 65535:
        out.append((nxt, 65535))
    return out


def ours_summary(s):
    """Our summary string ('accept 80,443'), None = absent."""
    if s is None:
        return None
    kw, ports = s.split(None, 1)
    ranges = []
    for part in ports.split(","):
        lo, _, hi = part.partition("-")
        ranges.append((int(lo), int(hi or lo)))
    return allowed(kw == "accept", ranges)


def stem_summary(p):
    """stem's MicroExitPolicy, read through stem's own rule objects."""
    if p is None:
        return None
    return allowed(p.is_accept, [(r.min_port, r.max_port) for r in p])


def show_ports(a):
    if a is None:
        return "absent"
    if not a:
        return "no port"
    return "allows " + ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in a)[:80]


# --- full exit policies ---------------------------------------------------

def canon_rule(r):
    """A stem ExitPolicyRule as 'accept|reject NET[/BITS]:PORTS', network masked."""
    import stem.exit_policy

    kw = "accept" if r.is_accept else "reject"
    if r.is_address_wildcard():
        addr = "*"
    else:
        bits = r.get_masked_bits()
        v6 = r.get_address_type() == stem.exit_policy.AddressType.IPv6
        if bits is None:  # non-contiguous mask: keep stem's text
            addr = f"{r.address}/{r.get_mask()}"
        else:
            net = ipaddress.ip_network(f"{r.address}/{bits}", strict=False)
            full = 128 if v6 else 32
            host = f"[{net.network_address}]" if v6 else str(net.network_address)
            addr = host if bits == full else f"{host}/{bits}"
    if r.is_port_wildcard():
        ports = "*"
    elif r.min_port == r.max_port:
        ports = str(r.min_port)
    else:
        ports = f"{r.min_port}-{r.max_port}"
    return f"{kw} {addr}:{ports}"


def canon_policy(rules):
    """stem's normalisation (ExitPolicy._get_rules): cut after a catch-all,
    collapse an all-reject/all-accept policy ending in one."""
    out = []
    for r in rules:
        out.append(r)
        if r.is_address_wildcard() and r.is_port_wildcard():
            break
    if out and out[-1].is_address_wildcard() and out[-1].is_port_wildcard():
        if all(r.is_accept for r in out) or not any(r.is_accept for r in out):
            out = [out[-1]]
    return [canon_rule(r) for r in out]


def ours_policy(strings):
    import stem.exit_policy

    return canon_policy([stem.exit_policy.ExitPolicyRule(s) for s in strings])


def canon_orport(addr, port):
    ip = ipaddress.ip_address(addr.strip("[]"))
    return f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"


def canon_ours_orport(s):
    host, _, port = s.rpartition(":")
    return canon_orport(host, int(port))


# --- comparison -----------------------------------------------------------

class Result:
    def __init__(self, label, kind):
        self.label, self.kind = label, kind
        self.stem_items = self.our_items = 0
        self.compared = 0  # (item, field) pairs compared
        self.mismatches = []
        self.notes = []

    def check(self, what, key, stem_v, our_v):
        self.compared += 1
        if stem_v != our_v:
            self.mismatches.append(f"{what} {key}: stem {stem_v!r} / ours {our_v!r}")


def compare_consensus(res, path, ours, t):
    import stem.descriptor as sd

    doc = next(sd.parse_file(path, descriptor_type=t, validate=False, document_handler=sd.DocumentHandler.DOCUMENT))
    routers = doc.routers  # fingerprint -> entry
    res.stem_items, res.our_items = len(routers), ours["relays"]
    res.check("flavour", "", "microdesc" if doc.is_microdescriptor else "ns", ours["flavour"])
    res.check("valid-after", "", fmt_time(doc.valid_after), ours["valid_after"])
    res.check("relay count", "", len(routers), ours["relays"])
    mine = {}
    for e in ours["entries"]:
        if e[0] in mine:
            res.mismatches.append(f"duplicate fingerprint in our output {e[0]}")
        mine[e[0]] = e
    for fp in sorted(set(routers) - set(mine))[:50]:
        res.mismatches.append(f"missing in ours {fp}")
    for fp in sorted(set(mine) - set(routers))[:50]:
        res.mismatches.append(f"extra in ours {fp}")
    dropped = {}
    for fp, r in routers.items():
        e = mine.get(fp)
        if e is None:
            continue
        _, nick, ip, port, a, flags, p, m = e
        res.check("nickname", fp, r.nickname, nick)
        res.check("ipv4", fp, r.address, ip)
        res.check("or_port", fp, r.or_port, port)
        res.check("a", fp, sorted(canon_orport(x[0], x[1]) for x in r.or_addresses), sorted(canon_ours_orport(x) for x in a))
        for f in r.flags:
            if f not in FLAG_NAMES:
                dropped[f] = dropped.get(f, 0) + 1
        res.check("flags", fp, sorted(f for f in r.flags if f in FLAG_NAMES), sorted(flags))
        if not doc.is_microdescriptor:
            sp, op = stem_summary(r.exit_policy), ours_summary(p)
            res.compared += 1
            if sp != op:
                res.mismatches.append(f"p {fp}: stem {r.exit_policy} ({show_ports(sp)}) / ours {p} ({show_ports(op)})")
        else:
            sd_ = (r.microdescriptor_digest or "").rstrip("=") or None
            res.check("m", fp, sd_, m)
    for f, n in sorted(dropped.items()):
        res.notes.append(f"flag {f!r} on {n} entries is outside exitdesk's FLAG_NAMES (dropped by design)")


def compare_microdescs(res, path, ours):
    import stem.descriptor as sd

    descs = list(sd.parse_file(path, descriptor_type=MICRO, validate=False))
    res.stem_items, res.our_items = len(descs), ours["count"]
    res.check("count", "", len(descs), ours["count"])
    mine = {e["digest"]: e for e in ours["entries"]}
    theirs = {}
    for d in descs:
        theirs[d.digest()] = d
    for dg in sorted(set(theirs) - set(mine))[:50]:
        res.mismatches.append(f"missing in ours {dg}")
    for dg in sorted(set(mine) - set(theirs))[:50]:
        res.mismatches.append(f"extra in ours {dg}")
    for dg, d in theirs.items():
        e = mine.get(dg)
        if e is None:
            continue
        # A missing p/p6 is reject-all on both sides (see the module docstring).
        res.check("p", dg, stem_summary(d.exit_policy) or [], ours_summary(e["p"]) or [])
        res.check("p6", dg, stem_summary(d.exit_policy_v6) or [], ours_summary(e["p6"]) or [])


def compare_server_descriptors(res, path, ours):
    import stem.descriptor as sd

    descs = list(sd.parse_file(path, descriptor_type=SERVER, validate=False))
    res.stem_items, res.our_items = len(descs), ours["count"]
    res.check("count", "", len(descs), ours["count"])

    # Matched on (nickname, published, n-th such pair): the fingerprint is
    # one of the fields compared (two relays may share a nickname and a
    # publication second, e.g. "Unnamed" in the 2020-12-05 file).
    def keyed(pairs):
        seen, out = {}, {}
        for nick, published, v in pairs:
            n = seen[(nick, published)] = seen.get((nick, published), 0) + 1
            out[(nick, published, n)] = v
        return out

    mine = keyed((e["nickname"], e["published"], e) for e in ours["entries"])
    theirs = keyed((d.nickname, fmt_time(d.published), d) for d in descs)
    for k in sorted(set(theirs) - set(mine))[:50]:
        res.mismatches.append(f"missing in ours {k[0]} {theirs[k].fingerprint} {k[1]}")
    for k in sorted(set(mine) - set(theirs))[:50]:
        res.mismatches.append(f"extra in ours {k[0]} {mine[k]['fingerprint']} {k[1]}")
    for k, d in theirs.items():
        e = mine.get(k)
        if e is None:
            continue
        name = f"{k[0]}@{k[1]}"
        res.check("fingerprint", name, d.fingerprint, e["fingerprint"])
        res.check("policy", name, canon_policy(list(d.exit_policy)), ours_policy(e["policy"]))
        res.check("ipv6-policy", name, stem_summary(d.exit_policy_v6) or [], ours_summary(e["ipv6_policy"]) or [])


def compare_exit_list(res, path, ours):
    import stem.descriptor as sd

    entries = list(sd.parse_file(path, descriptor_type=EXITLIST, validate=False))
    res.stem_items, res.our_items = len(entries), ours["count"]
    res.check("count", "", len(entries), ours["count"])
    for i, (s, e) in enumerate(zip(entries, ours["entries"])):
        fp = s.fingerprint
        res.check("fingerprint", i, fp, e["fingerprint"])
        res.check("Published", fp, fmt_time(s.published), e["published"])
        res.check("LastStatus", fp, fmt_time(s.last_status), e["last_status"])
        res.check("ExitAddress", fp, [[a, fmt_time(t)] for a, t in s.exit_addresses], e["addresses"])


def compare(res, path, ours, t):
    if "error" in ours:
        res.mismatches.append(f"our parser refused the file: {ours['error']}")
        return
    if ours.get("errors"):
        res.notes.append(f"our parser reported {len(ours['errors'])} error(s), first: {ours['errors'][0]}")
    if t in (NS, MD):
        compare_consensus(res, path, ours, t)
    elif t == MICRO:
        compare_microdescs(res, path, ours)
    elif t == SERVER:
        compare_server_descriptors(res, path, ours)
    elif t == EXITLIST:
        compare_exit_list(res, path, ours)


def find_testdata(arg):
    if arg:
        return arg
    env = os.environ.get("EXITDESK_TOR_TESTDATA")
    if env:
        return env
    return os.path.normpath(os.path.join(REPO, "..", "shared", "testdata", "tor"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("testdata", nargs="?", help="Tor sample folder (default: $EXITDESK_TOR_TESTDATA or ../shared/testdata/tor)")
    ap.add_argument("--dump", help="path of a built `dump` example (default: build it)")
    ap.add_argument("--require", action="store_true", help="fail (exit 1) on mismatches, 2 when stem or data is missing")
    ap.add_argument("-v", "--verbose", action="store_true", help="show up to 20 mismatch examples per file instead of 5")
    args = ap.parse_args()

    try:
        import stem  # noqa: F401
        import stem.descriptor  # noqa: F401
    except ImportError:
        print("skipped: the Python package `stem` is not installed (pip install stem)")
        return 2 if args.require else 0

    data = find_testdata(args.testdata)
    if not os.path.isdir(data):
        print(f"skipped: no Tor sample data at {data} (pass a folder or set EXITDESK_TOR_TESTDATA)")
        return 2 if args.require else 0

    dump = args.dump
    if not dump:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "exitdesk-tornet", "--example", "dump"], cwd=REPO, check=True)
        target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
        dump = os.path.join(target, "release", "examples", "dump")

    tmp = tempfile.mkdtemp(prefix="tornet-vs-stem-")
    try:
        files = []  # (label, path, stem type)
        for sub in SAMPLE_DIRS:
            d = os.path.join(data, sub)
            if not os.path.isdir(d):
                continue
            for name in sorted(os.listdir(d)):
                p = os.path.join(d, name)
                t = stem_type(p) if os.path.isfile(p) else None
                if t:
                    files.append((f"{sub}/{name}", p, t))
        cs = os.path.join(data, "collector-samples")
        if os.path.isdir(cs):
            for name in sorted(os.listdir(cs)):
                if not name.endswith(".tar"):
                    continue
                # Members are read out of the archive into a temporary folder
                # (outside the repository), one file per member.
                with tarfile.open(os.path.join(cs, name)) as tf:
                    for m in sorted(tf.getmembers(), key=lambda m: m.name):
                        if not m.isfile():
                            continue
                        out = os.path.join(tmp, name, m.name.replace("/", "__"))
                        os.makedirs(os.path.dirname(out), exist_ok=True)
                        with tf.extractfile(m) as src, open(out, "wb") as dst:
                            shutil.copyfileobj(src, dst)
                        t = stem_type(out)
                        if t:
                            files.append((f"collector-samples/{name}:{m.name.split('/')[-1]}", out, t))

        proc = subprocess.run([dump] + [p for _, p, _ in files], capture_output=True, text=True)
        ours = {}
        for line in proc.stdout.splitlines():
            o = json.loads(line)
            ours[o["file"]] = o

        results = []
        for label, p, t in files:
            res = Result(label, KIND_LABELS[t])
            try:
                compare(res, p, ours.get(p, {"error": "no output"}), t)
            except Exception as e:  # a stem failure is reported, not fatal
                res.mismatches.append(f"comparison failed: {type(e).__name__}: {e}")
            results.append(res)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    w = max(len(r.label) for r in results)
    print(f"{'file':<{w}}  {'kind':<22} {'stem':>6} {'ours':>6} {'compared':>9} {'mismatches':>10}")
    print("-" * (w + 60))
    total_mis = 0
    for r in results:
        total_mis += len(r.mismatches)
        print(f"{r.label:<{w}}  {r.kind:<22} {r.stem_items:>6} {r.our_items:>6} {r.compared:>9} {len(r.mismatches):>10}")
        for m in r.mismatches[: 20 if args.verbose else 5]:
            print(f"{'':<{w}}    ! {m}")
        if len(r.mismatches) > (20 if args.verbose else 5):
            print(f"{'':<{w}}    ! ... {len(r.mismatches) - (20 if args.verbose else 5)} more")
        for n in r.notes:
            print(f"{'':<{w}}    note: {n}")
    print("-" * (w + 60))
    print(f"{len(results)} documents, {sum(r.compared for r in results)} field comparisons, {total_mis} mismatches")
    if total_mis and args.require:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
