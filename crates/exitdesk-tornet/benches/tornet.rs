//! Benchmarks of exitdesk-tornet.
//!
//! - `parse/md-consensus-2026`: `parse_consensus` on the real 3.4 MB
//!   microdesc consensus of 2026-03-15 05:00 (9372 relays) from
//!   `../shared/testdata/tor` (or `$EXITDESK_TOR_TESTDATA`); skipped with a
//!   note when the sample is absent.
//! - `verify/one-year*`: `RelayIndex::verify` on a synthetic one-year relay
//!   history (8760 hourly microdesc consensuses, their microdescriptors, the
//!   exits' server descriptors and hourly exit lists), built from the
//!   relays of that 2026 consensus with the churn model below (or from 9000
//!   synthetic relays when the sample is absent). No real year of
//!   consensuses is at hand, hence the model.
//!
//! The year index is built once and cached in `target/` (its
//! `to_bytes()` plus the query list); delete `target/tornet-bench-year-*`
//! to rebuild. Its serialized size, `stats()` and build time are printed.
//!
//! Run: `cargo bench -p exitdesk-tornet --bench tornet`.

#![allow(missing_docs, clippy::print_stderr, clippy::unwrap_used)]

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use exitdesk_tornet::{
    Consensus, ExitList, ExitListEntry, ExitPolicy, Fingerprint, Flags, Flavour, Microdesc, Ours, PortSummary, Query,
    RelayIndex, RouterEntry, RouterStatus, ServerDescriptor, parse_consensus,
};

const MD_2026: &str = "consensus-microdesc/2026-03-15-05-00-00-consensus-microdesc";
/// Bump when the churn model or the query mix changes (the cache is keyed on it).
const MODEL_VERSION: u32 = 1;
const HOURS: u32 = 8760;

fn tor_dir() -> PathBuf {
    std::env::var_os("EXITDESK_TOR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/tor"))
}

fn sample_2026() -> Option<(PathBuf, String)> {
    let path = tor_dir().join(MD_2026);
    let bytes = std::fs::read(&path).ok()?;
    Some((path, String::from_utf8_lossy(&bytes).into_owned()))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

// ---------------------------------------------------------------------------
// parse

fn bench_parse(c: &mut Criterion) {
    let Some((path, text)) = sample_2026() else {
        eprintln!("parse/md-consensus-2026 skipped: no sample at {} (set EXITDESK_TOR_TESTDATA)", tor_dir().display());
        return;
    };
    let relays = parse_consensus(&text).map(|c| c.relays.len()).unwrap_or(0);
    eprintln!("parse/md-consensus-2026: {} ({} bytes, {relays} relays)", path.display(), text.len());
    let mut g = c.benchmark_group("parse");
    g.sample_size(20).measurement_time(Duration::from_secs(5)).throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("md-consensus-2026", |b| b.iter(|| parse_consensus(std::hint::black_box(&text)).unwrap()));
    g.finish();
}

// ---------------------------------------------------------------------------
// The synthetic year.
//
// Churn model (assumptions; per relay and hour unless noted). Rates were
// chosen to be plausible for the 2020s network (≈ 6–10 k relays, ≈ 2.5 k
// exits), not measured from a real year:
//
// - Downtime: 0.5 %/h of online relays go offline (restarts, reboots,
//   outages, lost reachability), for 1–6 h (60 %), 7–24 h (30 %) or 25–72 h
//   (10 %), then come back unchanged. About 5 % of relays are off at a time.
// - Arrivals and departures: 0.05 %/h of the network are new relays (new
//   identity, nickname, address; 30 % of them exits), and 0.05 %/h leave for
//   good, so the network keeps its size while ~40 k identities pass through
//   in a year (in line with the tens of thousands of fingerprints per year
//   seen in CollecTor archives).
// - Address changes: 0.02 %/h move to a new IPv4 address (dynamic lines,
//   moves); 30 % of those with IPv6 also get a new IPv6 address.
// - Flags: the index keeps only Exit, BadExit, Running, Valid, MiddleOnly
//   and Authority, so Guard/Stable/Fast/HSDir churn is not simulated. Exits
//   lose the Exit flag at 0.02 %/h (measurement, reachability) and
//   regain it after ~20 h on average; BadExit is set on ~1 exit a
//   day and lifted after ~60 days on average.
// - Policy changes are rare: 0.002 %/h (an operator turns a relay into an
//   exit, reduces or widens the policy). Class shares for exits: tor's
//   default policy 45 %, ReducedExitPolicy 30 %, web-only 80,443 15 %,
//   others 10 %; 1.5 % of non-Exit-flag relays allow a few ports (22,53),
//   exits for abuse purposes without the flag.
// - Microdescriptor digests change when the relay rotates its onion keys
//   (tor's default onion-key lifetime is 28 days, the ntor key rotates with
//   it), so 1/28 of relays a day get a new digest, plus on policy changes.
//   Microdescriptors are imported before the consensus that names them (as
//   a CollecTor month is imported: `micro` files beside the consensuses).
// - Server descriptors: exits (policy allows some port) publish every 18 h
//   while online, and at once after an address or policy change. Non-exits'
//   descriptors are not imported (the index uses descriptors for policies).
// - Exit lists: one per hour with a scan of each online exit in that hour;
//   5 % of exits leave from a different address than their OR address
//   (OutboundBindAddressExit).
// - 0.2 % of hours have no consensus (CollecTor's archive has gaps).
// - Synthetic addresses are taken from 198.18.0.0/15 (RFC 2544, benchmarking)
//   and 2001:db8::/32 (documentation); non-relay query addresses from the
//   TEST-NET ranges, which no relay uses.

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
}

const OFFLINE: f64 = 0.005;
const ARRIVE: f64 = 0.0005;
const LEAVE: f64 = 0.0005;
const MOVE: f64 = 0.0002;
const EXIT_FLAG_LOSE: f64 = 0.0002;
const EXIT_FLAG_REGAIN: f64 = 0.05;
const BADEXIT_SET: f64 = 1.0 / (24.0 * 2700.0);
const BADEXIT_CLEAR: f64 = 1.0 / (24.0 * 60.0);
const POLICY_CHANGE: f64 = 0.000_02;
const ONION_KEY_ROTATION: f64 = 1.0 / (28.0 * 24.0);
const DESCRIPTOR_EVERY: u32 = 18;
const MISSING_HOUR: f64 = 0.002;

const DEFAULT_REJECTS: &str = "25,119,135-139,445,563,1214,4661-4666,6346-6429,6699,6881-6999";
const REDUCED: &str = "20-23,43,53,79-81,88,110,143,194,220,389,443,464-465,531,543-544,554,563,587,636,706,749,873,\
902-904,981,989-995,1194,1220,1293,1500,1533,1677,1723,1755,1863,2082-2083,2086-2087,2095-2096,2102-2104,3128,3389,\
3690,4321,4643,5050,5190,5222-5223,5228,5900,6660-6669,6679,6697,8000,8008,8074,8080,8082,8087-8088,8232-8233,\
8332-8333,8443,8888,9418,9999-10000,11371,19294,19638,50002,64738";

/// Policy classes: 0 non-exit, 1 default, 2 reduced, 3 web, 4 SSH/DNS-style
/// (no Exit flag), 5 a wider custom accept list.
fn class_summary(class: u8) -> Option<PortSummary> {
    let s = match class {
        0 => return None,
        1 => format!("reject {DEFAULT_REJECTS}"),
        2 => format!("accept {REDUCED}"),
        3 => "accept 80,443".to_string(),
        4 => "accept 22,53".to_string(),
        _ => "accept 20-23,43,53,79-81,443,993,995,5222,8080,8443".to_string(),
    };
    Some(PortSummary::parse(&s).unwrap())
}

/// The full descriptor policy tor writes for a class: private networks and
/// the relay's own address rejected first (ExitPolicyRejectPrivate).
fn class_policy(class: u8, ip: Ipv4Addr) -> ExitPolicy {
    let mut s = format!(
        "reject 0.0.0.0/8:*, reject 169.254.0.0/16:*, reject 127.0.0.0/8:*, reject 192.168.0.0/16:*, \
         reject 10.0.0.0/8:*, reject 172.16.0.0/12:*, reject {ip}:*, "
    );
    match class_summary(class) {
        None => s.push_str("reject *:*"),
        Some(p) if !p.accept => {
            for (lo, hi) in &p.ports.0 {
                s.push_str(&format!("reject *:{lo}-{hi}, "));
            }
            s.push_str("accept *:*");
        }
        Some(p) => {
            for (lo, hi) in &p.ports.0 {
                s.push_str(&format!("accept *:{lo}-{hi}, "));
            }
            s.push_str("reject *:*");
        }
    }
    ExitPolicy::parse_list(&s).unwrap()
}

fn exit_class(rng: &mut Rng) -> u8 {
    match rng.below(100) {
        0..45 => 1,
        45..75 => 2,
        75..90 => 3,
        _ => 5,
    }
}

fn synthetic_v4(rng: &mut Rng) -> Ipv4Addr {
    // 198.18.0.0/15, avoiding .0 and .255.
    let host = rng.below(1 << 17) as u32;
    let host = if host & 0xFF == 0 || host & 0xFF == 0xFF { host ^ 0x11 } else { host };
    Ipv4Addr::from(0xC612_0000 | host)
}

fn synthetic_v6(rng: &mut Rng) -> SocketAddr {
    let a = Ipv6Addr::new(
        0x2001,
        0x0db8,
        rng.below(0xFFFF) as u16,
        rng.below(0x10000) as u16,
        0,
        0,
        0,
        rng.range(1, 0xFFFF) as u16,
    );
    SocketAddr::new(IpAddr::V6(a), 9001)
}

struct Sim {
    status: RouterStatus,
    class: u8,
    p6: bool,
    online: bool,
    retired: bool,
    back_at: u32,
    next_desc: u32,
    last_desc: i64,
    exit_ip: Option<Ipv4Addr>,
    policy: Option<ExitPolicy>,
}

impl Sim {
    fn microdesc(&self) -> Microdesc {
        let p = class_summary(self.class);
        let p6 = if self.p6 { p.clone() } else { None };
        Microdesc { digest: self.status.md_digest.unwrap_or_default(), p, p6, family: Vec::new() }
    }
    fn is_exit(&self) -> bool {
        self.class != 0
    }
    fn set_class(&mut self, class: u8, rng: &mut Rng) {
        self.class = class;
        self.p6 = class != 0 && !self.status.or_addresses.is_empty() && rng.chance(0.6);
        let flag = matches!(class, 1 | 2 | 3 | 5);
        self.status.flags =
            if flag { Flags(self.status.flags.0 | Flags::EXIT.0) } else { Flags(self.status.flags.0 & !Flags::EXIT.0) };
        if !flag {
            self.status.flags = Flags(self.status.flags.0 & !Flags::BAD_EXIT.0);
        }
        self.exit_ip = (class != 0 && rng.chance(0.05)).then(|| synthetic_v4(rng));
        self.policy = None;
        self.next_desc = 0;
    }
}

fn base_relays(rng: &mut Rng) -> (i64, Vec<Sim>, &'static str) {
    let sim = |status: RouterStatus| Sim {
        status,
        class: 0,
        p6: false,
        online: true,
        retired: false,
        back_at: 0,
        next_desc: 0,
        last_desc: 0,
        exit_ip: None,
        policy: None,
    };
    if let Some((_, text)) = sample_2026() {
        if let Ok(c) = parse_consensus(&text) {
            let mut out = Vec::with_capacity(c.relays.len());
            for r in c.relays {
                let exit = r.flags.contains(Flags::EXIT);
                let bad = r.flags.contains(Flags::BAD_EXIT);
                let mut s = sim(r);
                let class = if exit {
                    exit_class(rng)
                } else if rng.chance(0.015) {
                    4
                } else {
                    0
                };
                s.set_class(class, rng);
                // Descriptors every 18 h, in random phase.
                s.next_desc = rng.below(u64::from(DESCRIPTOR_EVERY)) as u32;
                if bad {
                    s.status.flags = Flags(s.status.flags.0 | Flags::BAD_EXIT.0);
                }
                out.push(s);
            }
            return (c.valid_after, out, "the relays of the 2026-03-15 05:00 md consensus");
        }
    }
    let start = exitdesk_tornet::time::parse_datetime("2026-03-15", "05:00:00").unwrap();
    let mut out: Vec<Sim> = (0..9000).map(|i| sim(new_relay(rng, &format!("synth{i}")))).collect();
    for s in &mut out {
        let class = if rng.chance(0.29) { exit_class(rng) } else { 0 };
        s.set_class(class, rng);
        s.next_desc = rng.below(u64::from(DESCRIPTOR_EVERY)) as u32;
    }
    (start, out, "9000 synthetic relays (the 2026 sample is absent)")
}

fn new_relay(rng: &mut Rng, nickname: &str) -> RouterStatus {
    let entry = RouterEntry {
        nickname: nickname.into(),
        fingerprint: Fingerprint(rng.bytes()),
        published: None,
        address: synthetic_v4(rng),
        or_port: if rng.chance(0.5) { 443 } else { 9001 },
        or_addresses: if rng.chance(0.5) { vec![synthetic_v6(rng)] } else { Vec::new() },
        flags: Flags(Flags::RUNNING.0 | Flags::VALID.0),
        policy: None,
        md_digest: Some(rng.bytes()),
    };
    RouterStatus::new(entry, Some(rng.range(20, 100_000) as u32))
}

struct Year {
    ix: RelayIndex,
    /// (ip, unix time, kind: 0 exit at that time, 1 relay address at a random time, 2 not a relay)
    queries: Vec<(IpAddr, i64, u8)>,
    build_secs: f64,
    base: &'static str,
}

fn build_year() -> Year {
    let t0 = Instant::now();
    let mut rng = Rng(0x7EB0_2026_0315_0500);
    let (start, mut sims, base) = base_relays(&mut rng);
    let mut ix = RelayIndex::new();
    let mut exit_queries: Vec<(IpAddr, i64, u8)> = Vec::new();
    let mut relay_ips: Vec<IpAddr> = Vec::new();
    let mut new_count = 0usize;
    // Every relay's first microdescriptor.
    let first: Vec<Microdesc> = sims.iter().map(Sim::microdesc).collect();
    ix.add_microdescs(&first);
    for h in 0..HOURS {
        let va = start + i64::from(h) * 3600;
        let mut mds = Vec::new();
        let mut descs = Vec::new();
        let alive = sims.iter().filter(|s| !s.retired).count();
        for s in sims.iter_mut().filter(|s| !s.retired) {
            if !s.online {
                if s.back_at > h {
                    continue;
                }
                s.online = true;
            }
            if rng.chance(LEAVE) {
                s.retired = true;
                continue;
            }
            if rng.chance(OFFLINE) {
                s.online = false;
                let d = match rng.below(10) {
                    0..6 => rng.range(1, 6),
                    6..9 => rng.range(7, 24),
                    _ => rng.range(25, 72),
                };
                s.back_at = h + d as u32;
                continue;
            }
            if rng.chance(MOVE) {
                s.status.address = synthetic_v4(&mut rng);
                if !s.status.or_addresses.is_empty() && rng.chance(0.3) {
                    s.status.or_addresses = vec![synthetic_v6(&mut rng)];
                }
                s.policy = None;
                s.next_desc = h;
            }
            if rng.chance(POLICY_CHANGE) {
                let class = if s.is_exit() && rng.chance(0.3) { 0 } else { exit_class(&mut rng) };
                s.set_class(class, &mut rng);
                s.status.md_digest = Some(rng.bytes());
                mds.push(s.microdesc());
            } else if rng.chance(ONION_KEY_ROTATION) {
                s.status.md_digest = Some(rng.bytes());
                mds.push(s.microdesc());
            }
            if matches!(s.class, 1 | 2 | 3 | 5) {
                let has = s.status.flags.contains(Flags::EXIT);
                if (has && rng.chance(EXIT_FLAG_LOSE)) || (!has && rng.chance(EXIT_FLAG_REGAIN)) {
                    s.status.flags = Flags(s.status.flags.0 ^ Flags::EXIT.0);
                }
            }
            if s.is_exit() {
                let bad = s.status.flags.contains(Flags::BAD_EXIT);
                if (bad && rng.chance(BADEXIT_CLEAR)) || (!bad && rng.chance(BADEXIT_SET)) {
                    s.status.flags = Flags(s.status.flags.0 ^ Flags::BAD_EXIT.0);
                }
            }
            if s.is_exit() && s.next_desc <= h {
                let policy = s.policy.get_or_insert_with(|| class_policy(s.class, s.status.address)).clone();
                let published = va - rng.range(60, 3540) as i64;
                s.last_desc = published;
                s.next_desc = h + DESCRIPTOR_EVERY;
                let bw = u64::from(s.status.bandwidth.unwrap_or(1000)) * 1000;
                descs.push(ServerDescriptor {
                    nickname: s.status.nickname.to_string(),
                    address: s.status.address,
                    or_port: s.status.or_port,
                    or_addresses: s.status.or_addresses.clone(),
                    published,
                    fingerprint: Some(s.status.fingerprint),
                    policy,
                    ipv6_policy: if s.p6 { class_summary(s.class) } else { None },
                    bandwidth: Some((bw, bw * 2, bw)),
                    family: Vec::new(),
                    family_cert: false,
                    hibernating: false,
                });
            }
        }
        // Arrivals.
        let arrivals = (alive as f64 * ARRIVE) as usize + usize::from(rng.chance((alive as f64 * ARRIVE).fract()));
        for _ in 0..arrivals {
            new_count += 1;
            let status = new_relay(&mut rng, &format!("new{new_count}"));
            let mut s = Sim {
                status,
                class: 0,
                p6: false,
                online: true,
                retired: false,
                back_at: 0,
                next_desc: h,
                last_desc: 0,
                exit_ip: None,
                policy: None,
            };
            let class = if rng.chance(0.3) { exit_class(&mut rng) } else { 0 };
            s.set_class(class, &mut rng);
            s.next_desc = h + 1; // its descriptor comes with the next round
            mds.push(s.microdesc());
            sims.push(s);
        }
        ix.add_microdescs(&mds);
        ix.add_descriptors(&descs);
        if !rng.chance(MISSING_HOUR) {
            let relays: Vec<RouterStatus> =
                sims.iter().filter(|s| s.online && !s.retired).map(|s| s.status.clone()).collect();
            let c = Consensus {
                flavour: Flavour::Microdesc,
                method: Some(35),
                valid_after: va,
                fresh_until: Some(va + 3600),
                valid_until: Some(va + 3 * 3600),
                relays,
                errors: Vec::new(),
            };
            ix.add_consensus(&c);
        }
        // The hour's exit scans.
        let entries: Vec<ExitListEntry> = sims
            .iter()
            .filter(|s| s.online && !s.retired && s.is_exit())
            .map(|s| ExitListEntry {
                fingerprint: s.status.fingerprint,
                published: Some(s.last_desc),
                last_status: Some(va),
                addresses: vec![(IpAddr::V4(s.exit_ip.unwrap_or(s.status.address)), va + rng.below(3600) as i64)],
            })
            .collect();
        ix.add_exit_list(&ExitList { downloaded: Some(va + 3600 + 120), entries });
        // Queries: an exit at a moment of this hour (about 1 in 4 hours), and
        // some relay address of this hour to be asked at a random moment.
        if rng.chance(0.25) {
            let exits: Vec<&Sim> =
                sims.iter().filter(|s| s.online && !s.retired && s.status.flags.contains(Flags::EXIT)).collect();
            if !exits.is_empty() {
                let s = exits[rng.below(exits.len() as u64) as usize];
                exit_queries.push((IpAddr::V4(s.status.address), va + rng.below(3600) as i64, 0));
            }
        }
        if rng.chance(0.1) {
            let s = &sims[rng.below(sims.len() as u64) as usize];
            relay_ips.push(IpAddr::V4(s.status.address));
        }
    }
    let mut queries = exit_queries;
    let year = i64::from(HOURS) * 3600;
    for ip in relay_ips {
        queries.push((ip, start + rng.below(year as u64) as i64, 1));
    }
    let n_miss = queries.len() * 3 / 7;
    for i in 0..n_miss {
        let ip = match i % 10 {
            0..3 => IpAddr::V4(Ipv4Addr::new(192, 0, 2, rng.range(1, 254) as u8)),
            3..6 => IpAddr::V4(Ipv4Addr::new(198, 51, 100, rng.range(1, 254) as u8)),
            6..9 => IpAddr::V4(Ipv4Addr::new(203, 0, 113, rng.range(1, 254) as u8)),
            _ => IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, rng.range(1, 0xFFFF) as u16)),
        };
        queries.push((ip, start + rng.below(year as u64) as i64, 2));
    }
    // Shuffle (Fisher–Yates).
    for i in (1..queries.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        queries.swap(i, j);
    }
    Year { ix, queries, build_secs: t0.elapsed().as_secs_f64(), base }
}

fn cache_paths(sample: bool) -> (PathBuf, PathBuf) {
    let tag = if sample { "sample" } else { "synthetic" };
    let dir = target_dir();
    (
        dir.join(format!("tornet-bench-year-v{MODEL_VERSION}-{tag}.idx")),
        dir.join(format!("tornet-bench-year-v{MODEL_VERSION}-{tag}.queries")),
    )
}

/// The year index: from the cache when it is there and readable, else built (and cached).
fn year() -> (Year, usize, Option<f64>) {
    let sample = sample_2026().is_some();
    let (idx_path, q_path) = cache_paths(sample);
    if let (Ok(bytes), Ok(qtext)) = (std::fs::read(&idx_path), std::fs::read_to_string(&q_path)) {
        let t0 = Instant::now();
        if let Ok(ix) = RelayIndex::from_bytes(&bytes) {
            let load = t0.elapsed().as_secs_f64();
            let mut lines = qtext.lines();
            let header = lines.next().unwrap_or("");
            let build_secs = header.strip_prefix("# build_secs ").and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
            let queries: Vec<(IpAddr, i64, u8)> = lines
                .filter_map(|l| {
                    let mut w = l.split_ascii_whitespace();
                    Some((w.next()?.parse().ok()?, w.next()?.parse().ok()?, w.next()?.parse().ok()?))
                })
                .collect();
            let base = if sample { "the relays of the 2026-03-15 05:00 md consensus" } else { "9000 synthetic relays" };
            if !queries.is_empty() {
                return (Year { ix, queries, build_secs, base }, bytes.len(), Some(load));
            }
        }
        eprintln!("verify/one-year: cached index unreadable (format changed?), rebuilding");
    }
    eprintln!("verify/one-year: building the synthetic year index (8760 hours; takes a while, cached afterwards)");
    let y = build_year();
    let bytes = y.ix.to_bytes();
    let mut q = format!("# build_secs {:.1}\n", y.build_secs);
    for (ip, t, k) in &y.queries {
        q.push_str(&format!("{ip} {t} {k}\n"));
    }
    let _ = std::fs::create_dir_all(target_dir());
    if std::fs::write(&idx_path, &bytes).and_then(|()| std::fs::write(&q_path, q)).is_err() {
        eprintln!("verify/one-year: could not write the cache {}", idx_path.display());
    }
    let len = bytes.len();
    (y, len, None)
}

/// Whether a criterion name filter on the command line excludes `name`
/// (then the year index is not built for nothing).
fn filtered_out(name: &str) -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str()) || f.contains("verify"))
}

fn bench_verify(c: &mut Criterion) {
    if filtered_out("verify/one-year") {
        return;
    }
    let (y, size, load) = year();
    let st = y.ix.stats();
    let (first, last, covered) = y.ix.coverage();
    eprintln!(
        "verify/one-year: index of {covered} consensus hours ({:?}..{:?}) from {}: {:.1} MB serialized; \
         stats: {} relays, {} (relay, address) keys, {} runs, {} descriptor runs, {} exit-list sightings, {} exit lists; \
         built in {:.1} s{}",
        first.map(exitdesk_tornet::time::format_hour),
        last.map(exitdesk_tornet::time::format_hour),
        y.base,
        size as f64 / 1e6,
        st[0],
        st[1],
        st[2],
        st[3],
        st[4],
        st[5],
        y.build_secs,
        match load {
            Some(l) => format!(" (earlier run; loaded from the cache in {:.0} ms)", l * 1e3),
            None => " (this run)".to_string(),
        }
    );
    let ours = Ours::default();
    let dest = Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 80)));
    let query =
        |&(ip, t, _): &(IpAddr, i64, u8)| Query { ip, from: t, to: t, zone_unknown: false, dest, port: Some(443) };
    let all: Vec<Query> = y.queries.iter().map(query).collect();
    // What the mix holds (verdicts per query kind), and the latency of
    // each query on its own: criterion's figure below is the mean over the
    // mix, this is the per-query distribution (best of 3 runs per query).
    let mut verdicts: HashMap<(u8, String), usize> = HashMap::new();
    let mut lat: [Vec<f64>; 4] = Default::default();
    for (q, k) in all.iter().zip(&y.queries) {
        let v = y.ix.verify(q, &ours);
        *verdicts.entry((k.2, format!("{:?}", v.verdict))).or_default() += 1;
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t0 = Instant::now();
            std::hint::black_box(y.ix.verify(std::hint::black_box(q), &ours));
            best = best.min(t0.elapsed().as_secs_f64() * 1e6);
        }
        lat[usize::from(k.2)].push(best);
        lat[3].push(best);
    }
    let mut v: Vec<_> = verdicts.into_iter().collect();
    v.sort();
    eprintln!(
        "verify/one-year: {} queries (kind 0 = exit at that time, 1 = relay address at a random time, 2 = not a relay); verdicts {:?}",
        all.len(),
        v
    );
    for l in &mut lat {
        l.sort_by(f64::total_cmp);
    }
    for (name, l) in
        [("all", &lat[3]), ("exit hits", &lat[0]), ("relay at random time", &lat[1]), ("not a relay", &lat[2])]
    {
        if l.is_empty() {
            continue;
        }
        let p = |q: f64| l[((l.len() - 1) as f64 * q) as usize];
        eprintln!(
            "verify/one-year per query, {name} ({}): median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
            l.len(),
            p(0.5),
            p(0.9),
            p(0.99),
            p(1.0)
        );
    }
    let exits: Vec<Query> = y.queries.iter().filter(|q| q.2 == 0).map(query).collect();
    let misses: Vec<Query> = y.queries.iter().filter(|q| q.2 == 2).map(query).collect();
    let mut g = c.benchmark_group("verify");
    g.sample_size(50).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    for (name, qs) in [("one-year", &all), ("one-year-exit-hits", &exits), ("one-year-not-relay", &misses)] {
        if qs.is_empty() {
            continue;
        }
        let mut i = 0usize;
        g.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % qs.len();
                std::hint::black_box(y.ix.verify(&qs[i], &ours))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_parse, bench_verify);
criterion_main!(benches);
