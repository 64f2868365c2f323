//! Verification: was an address a Tor relay, an exit, and did its policy
//! allow the destination, at the hour of an event? Mirrors ExoneraTor
//! ("exit" = the policy accepts, not the Exit flag; exit-list addresses
//! attach to their relay for a day; ±1 day answer by UTC date; nearby
//! addresses in the same /24 or /48), at hour precision and per port.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use exitdesk_model::VerdictKind;
use serde::Serialize;

use crate::index::{Attrs, EXIT_LIST_ATTACH, PolicyRef, RelayIndex};
use crate::ports::PortSummary;
use crate::time::{HOUR, Hour, format_date, format_datetime, format_hour, hour_of, hour_start};
use crate::{Fingerprint, Flags};

/// How long after its publication a descriptor's policy is trusted (relays
/// republish every 18 h; tor keeps descriptors up to 48 h, plus slack).
pub const DESCRIPTOR_FRESH: i64 = 72 * HOUR;
/// Zone offsets in use span UTC−12 to UTC+14.
pub const ZONE_WEST: i64 = 12 * HOUR;
/// See [`ZONE_WEST`].
pub const ZONE_EAST: i64 = 14 * HOUR;
/// A consensus stays valid for 3 hours after its valid-after.
const VALID_FOR: u32 = 3;

/// Our relays, to mark hits as ours.
#[derive(Debug, Clone, Default)]
pub struct Ours {
    /// Our fingerprints.
    pub fingerprints: HashSet<Fingerprint>,
    /// Our addresses (OR or outbound exit addresses).
    pub addresses: HashSet<IpAddr>,
}

impl Ours {
    fn is_ours(&self, fp: &Fingerprint, addr: IpAddr) -> bool {
        self.fingerprints.contains(fp) || self.addresses.contains(&addr)
    }
}

/// What to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// The reported address.
    pub ip: IpAddr,
    /// Earliest UTC instant the event may have happened (Unix seconds).
    pub from: i64,
    /// Latest UTC instant (equal to `from` for an exact time).
    pub to: i64,
    /// The time was written without a zone; `from..to` spans every zone.
    pub zone_unknown: bool,
    /// The destination the complaint names.
    pub dest: Option<IpAddr>,
    /// The destination port.
    pub port: Option<u16>,
}

impl Query {
    /// An exact UTC instant.
    pub fn at(ip: IpAddr, utc: i64) -> Query {
        Query { ip, from: utc, to: utc, zone_unknown: false, dest: None, port: None }
    }

    /// A wall-clock time of unknown zone (`local` read as if it were UTC):
    /// every instant it can stand for, UTC−12 to UTC+14.
    pub fn any_zone(ip: IpAddr, local: i64) -> Query {
        Query { ip, from: local - ZONE_EAST, to: local + ZONE_WEST, zone_unknown: true, dest: None, port: None }
    }
}

/// Where the policy answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicySource {
    /// The full policy of the relay's server descriptor (exact for the destination address).
    Descriptor,
    /// A port summary (`p`/`p6`, `ipv6-policy`): true "for most addresses".
    Summary,
    /// No policy known: the Exit flag stands in.
    Flag,
}

impl PolicySource {
    /// `descriptor`, `summary` or `flag`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicySource::Descriptor => "descriptor",
            PolicySource::Summary => "summary",
            PolicySource::Flag => "flag",
        }
    }
}

/// One relay listed at the address during the checked hours.
#[derive(Debug, Clone, Serialize)]
pub struct RelayHit {
    /// Fingerprint.
    pub fingerprint: Fingerprint,
    /// Nickname.
    pub nickname: String,
    /// The matching OR address.
    pub address: IpAddr,
    /// Kept flags (Exit, BadExit, Running, Valid, …).
    pub flags: Flags,
    /// Consensus hours it was listed in (ranges, UTC).
    pub hours: Vec<String>,
    /// How many checked consensus hours listed it.
    pub hours_listed: usize,
    /// Its policy allowed some exit traffic then.
    pub exit: bool,
    /// Its policy allowed the destination/port then (`None`: no port given or no policy known).
    pub allows: Option<bool>,
    /// What the policy answer rests on.
    pub policy_source: PolicySource,
    /// The deciding rule or summary.
    pub policy: Option<String>,
    /// One of ours.
    pub ours: bool,
}

/// The address seen in an exit list for a relay listed elsewhere.
#[derive(Debug, Clone, Serialize)]
pub struct ExitListHit {
    /// The relay's fingerprint.
    pub fingerprint: Fingerprint,
    /// Its nickname (when a consensus named it).
    pub nickname: Option<String>,
    /// First and last scan that saw the address (UTC).
    pub scanned: (String, String),
    /// One of ours.
    pub ours: bool,
}

/// A relay near the address (same /24 or /48).
#[derive(Debug, Clone, Serialize)]
pub struct Nearby {
    /// Its address.
    pub address: IpAddr,
    /// Fingerprint.
    pub fingerprint: Fingerprint,
    /// Nickname.
    pub nickname: String,
}

/// ExoneraTor's view: the UTC date ±1 day.
#[derive(Debug, Clone, Serialize)]
pub struct DayAnswer {
    /// The date asked for (UTC).
    pub date: String,
    /// Whether any consensus of the three days is imported.
    pub relevant_statuses: bool,
    /// Relays listed at the address in the window.
    pub matches: Vec<DayMatch>,
}

/// One relay in the ±1 day answer.
#[derive(Debug, Clone, Serialize)]
pub struct DayMatch {
    /// Fingerprint.
    pub fingerprint: Fingerprint,
    /// Nickname.
    pub nickname: String,
    /// First and last consensus hour listed (UTC).
    pub first: String,
    /// See `first`.
    pub last: String,
    /// Policy allowed some exit traffic (ExoneraTor's "exit").
    pub exit: bool,
    /// Through the exit list only.
    pub exit_list: bool,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The verdict.
    pub verdict: VerdictKind,
    /// One of our relays is involved.
    pub ours: bool,
    /// The address.
    pub ip: IpAddr,
    /// The span checked, UTC.
    pub from: String,
    /// See `from`.
    pub to: String,
    /// The time had no zone: every zone was checked.
    pub zone_unknown: bool,
    /// Destination address.
    pub dest: Option<IpAddr>,
    /// Destination port.
    pub port: Option<u16>,
    /// The consensus hours the answer rests on.
    pub consensus_hours: Vec<String>,
    /// Relays at the address.
    pub relays: Vec<RelayHit>,
    /// Exit-list sightings of the address.
    pub exit_list: Vec<ExitListHit>,
    /// Relays nearby (when the address was not a relay).
    pub nearby: Vec<Nearby>,
    /// ExoneraTor's ±1 day view.
    pub day: DayAnswer,
    /// The ExoneraTor page a complainant can check.
    pub exonerator: String,
    /// One sentence for people.
    pub summary: String,
    /// Caveats (zone span, partial data, what to import).
    pub notes: Vec<String>,
}

/// Consecutive hours as readable ranges.
pub fn hour_ranges(hours: &[Hour]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < hours.len() {
        let mut j = i;
        while j + 1 < hours.len() && hours[j + 1] == hours[j] + 1 {
            j += 1;
        }
        if i == j {
            out.push(format_hour(hours[i]));
        } else {
            out.push(format!("{} to {}", format_hour(hours[i]), format_hour(hours[j])));
        }
        i = j + 1;
    }
    out
}

/// A policy evaluation at one hour.
struct Eval {
    exit: bool,
    allows: Option<bool>,
    source: PolicySource,
    text: Option<String>,
}

impl RelayIndex {
    /// The consensus hours an instant range rests on: every imported hour
    /// inside it, or else the newest one still valid at its start.
    pub fn hours_for(&self, from: i64, to: i64) -> Vec<Hour> {
        let (Some(a), Some(b)) = (hour_of(from), hour_of(to)) else { return Vec::new() };
        let inside: Vec<Hour> = self.hours.range(a..=b.max(a)).copied().collect();
        if inside.first() == Some(&a) {
            return inside;
        }
        let earlier = self.hours.range(a.saturating_sub(VALID_FOR - 1)..a).next_back().copied();
        earlier.into_iter().chain(inside).collect()
    }

    pub(crate) fn attrs_at(&self, key: u32, h: Hour) -> Option<Attrs> {
        let runs = &self.keys.get(key as usize)?.runs;
        let i = runs.partition_point(|r| r.end < h);
        let r = runs.get(i).filter(|r| r.start <= h)?;
        self.attrs.get(r.attrs).copied()
    }

    fn relay_listed(&self, relay: u32, h: Hour) -> Option<Attrs> {
        let r = self.relays.get(relay as usize)?;
        r.keys.iter().find_map(|&k| self.attrs_at(k, h))
    }

    fn nickname(&self, a: &Attrs) -> String {
        self.nicknames.get(a.nickname).cloned().unwrap_or_default()
    }

    fn summary_of(&self, a: &Attrs) -> Option<&crate::index::SummaryPair> {
        match a.policy {
            PolicyRef::Summary(id) => self.summaries.get(id),
            PolicyRef::Microdesc(d) => self.md_summaries.get(&d).and_then(|&s| self.summaries.get(s)),
            PolicyRef::Unknown => None,
        }
    }

    /// (exit at all, allows dest/port, source) for relay `relay` at `h`.
    pub(crate) fn policy_allows(
        &self,
        relay: u32,
        a: &Attrs,
        h: Hour,
        v6: bool,
        dest: Option<IpAddr>,
        port: Option<u16>,
    ) -> (bool, Option<bool>, PolicySource) {
        let e = self.evaluate(relay, a, h, v6, dest, port, false);
        (e.exit, e.allows, e.source)
    }

    /// The relay's policy at `h` for traffic of family `v6` to `dest`:`port`.
    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        relay: u32,
        a: &Attrs,
        h: Hour,
        v6: bool,
        dest: Option<IpAddr>,
        port: Option<u16>,
        text: bool,
    ) -> Eval {
        let t = hour_start(h) + HOUR - 1;
        let desc = self.relays.get(relay as usize).and_then(|r| {
            let i = r.descriptors.partition_point(|d| d.first <= t);
            r.descriptors.get(i.checked_sub(1)?).filter(|d| t <= d.last + DESCRIPTOR_FRESH)
        });
        if let Some(d) = desc {
            if !v6 {
                if let Some(policy) = self.policies.get(d.policy) {
                    let exit =
                        self.policy_exits.get(d.policy as usize).copied().unwrap_or_else(|| policy.allows_any(false));
                    let (allows, text) = match (port, dest) {
                        (Some(p), Some(ip @ IpAddr::V4(_))) => {
                            let dec = policy.decide(ip, p);
                            let text = match dec.rule.and_then(|i| policy.rules.get(i)) {
                                Some(r) => r.to_string(),
                                None => "no rule matched (accepted by default)".to_string(),
                            };
                            (Some(dec.accept), Some(text))
                        }
                        (Some(p), _) => {
                            (Some(policy.allows_port_somewhere(p, false)), text.then(|| policy.to_string()))
                        }
                        (None, _) => (None, text.then(|| policy.to_string())),
                    };
                    return Eval { exit, allows, source: PolicySource::Descriptor, text };
                }
            } else if let Some(pair) = self.summaries.get(d.ipv6) {
                let s = pair.p6.clone().unwrap_or_else(PortSummary::reject_all);
                return Eval {
                    exit: !s.is_reject_all(),
                    allows: port.map(|p| s.allows(p)),
                    source: PolicySource::Descriptor,
                    text: Some(format!("ipv6-policy {s}")),
                };
            }
        }
        // A microdesc consensus whose microdescriptor is not imported: the
        // relay's nearest known summary within a day stands in.
        let pair = self.summary_of(a).or_else(|| self.nearest_summary(relay, h));
        let summary = pair.and_then(|pair| {
            if v6 && pair.p6_known {
                Some(("p6", pair.p6.clone().unwrap_or_else(PortSummary::reject_all)))
            } else if pair.p6_known {
                Some(("p", pair.p.clone().unwrap_or_else(PortSummary::reject_all)))
            } else {
                pair.p.clone().map(|p| ("p", p))
            }
        });
        match summary {
            Some((kw, s)) => Eval {
                exit: !s.is_reject_all(),
                allows: port.map(|p| s.allows(p)),
                source: PolicySource::Summary,
                text: Some(format!("{kw} {s}")),
            },
            None => Eval {
                exit: a.flags.contains(Flags::EXIT),
                allows: None,
                source: PolicySource::Flag,
                text: Some(if a.flags.contains(Flags::EXIT) { "Exit flag" } else { "no Exit flag" }.to_string()),
            },
        }
    }

    fn nearest_summary(&self, relay: u32, h: Hour) -> Option<&crate::index::SummaryPair> {
        let r = self.relays.get(relay as usize)?;
        let mut best: Option<(u32, &crate::index::SummaryPair)> = None;
        for &k in &r.keys {
            for run in self.keys.get(k as usize).map_or(&[][..], |k| k.runs.as_slice()) {
                let dist = if h < run.start { run.start - h } else { h.saturating_sub(run.end) };
                if dist > 24 || best.is_some_and(|(d, _)| d <= dist) {
                    continue;
                }
                if let Some(pair) = self.attrs.get(run.attrs).and_then(|a| self.summary_of(a)) {
                    best = Some((dist, pair));
                }
            }
        }
        best.map(|(_, p)| p)
    }

    /// Answers a query. `ours` marks our relays.
    pub fn verify(&self, q: &Query, ours: &Ours) -> Verification {
        let hours = self.hours_for(q.from, q.to);
        let v6 = q.dest.map_or(q.ip.is_ipv6(), |d| d.is_ipv6());
        let keys: &[u32] = self.by_addr.get(&q.ip).map_or(&[], Vec::as_slice);
        let mut relays = Vec::new();
        for &k in keys {
            let Some(key) = self.keys.get(k as usize) else { continue };
            let Some(relay) = self.relays.get(key.relay as usize) else { continue };
            let mut listed = Vec::new();
            let mut best: Option<(Attrs, Hour, u8)> = None;
            for &h in &hours {
                let Some(a) = self.attrs_at(k, h) else { continue };
                listed.push(h);
                let r = rank(&self.evaluate(key.relay, &a, h, v6, q.dest, q.port, false));
                if best.is_none_or(|(_, _, b)| r > b) {
                    best = Some((a, h, r));
                }
            }
            let Some((a, h, _)) = best else { continue };
            let e = self.evaluate(key.relay, &a, h, v6, q.dest, q.port, true);
            relays.push(RelayHit {
                fingerprint: relay.fingerprint,
                nickname: self.nickname(&a),
                address: key.addr,
                flags: a.flags,
                hours: hour_ranges(&listed),
                hours_listed: listed.len(),
                exit: e.exit,
                allows: e.allows,
                policy_source: e.source,
                policy: e.text,
                ours: ours.is_ours(&relay.fingerprint, key.addr),
            });
        }
        let exit_list = self.exit_list_hits(q, &hours, ours);
        let verdict = if !relays.is_empty() {
            let counts_as_exit = |r: &RelayHit| match (q.port, r.allows) {
                (Some(_), Some(a)) => a,
                _ => r.exit,
            };
            if relays.iter().any(counts_as_exit) {
                VerdictKind::Exit
            } else if q.port.is_some() && relays.iter().any(|r| r.exit) {
                VerdictKind::PolicyRejects
            } else {
                VerdictKind::RelayNotExit
            }
        } else if !exit_list.is_empty() {
            VerdictKind::ExitListOnly
        } else if hours.is_empty() {
            VerdictKind::NoData
        } else {
            VerdictKind::NotRelay
        };
        let nearby = if matches!(verdict, VerdictKind::NotRelay) { self.nearby(q.ip, &hours) } else { Vec::new() };
        let day_date = format_date(if q.zone_unknown { (q.from + q.to) / 2 } else { q.from });
        let day = self.day_answer(q.ip, (q.from + q.to) / 2, &day_date);
        let ours_any = relays.iter().any(|r| r.ours) || exit_list.iter().any(|e| e.ours);
        let mut notes = Vec::new();
        if q.zone_unknown {
            notes.push(format!(
                "the time was written without a time zone: every zone from UTC-12 to UTC+14 was checked ({} to {} UTC)",
                format_datetime(q.from),
                format_datetime(q.to)
            ));
        }
        if let (Some(a), Some(b)) = (hour_of(q.from), hour_of(q.to)) {
            let span = (b - a + 1) as usize;
            let covered = self.hours.range(a..=b.max(a)).count();
            if !hours.is_empty() && covered < span && span > 1 {
                notes.push(format!("consensuses cover {covered} of the {span} hours in the span"));
            }
        }
        if hours.is_empty() {
            notes.push(self.no_data_note(q.from));
        }
        if relays.iter().any(|r| r.policy_source == PolicySource::Summary) && q.port.is_some() {
            notes.push("the port was checked against the policy summary, which holds for most destination addresses; import server descriptors for an exact answer".to_string());
        }
        let summary = summarise(verdict, q, &relays, &exit_list, &hours);
        Verification {
            verdict,
            ours: ours_any,
            ip: q.ip,
            from: format_datetime(q.from),
            to: format_datetime(q.to),
            zone_unknown: q.zone_unknown,
            dest: q.dest,
            port: q.port,
            consensus_hours: hour_ranges(&hours),
            relays,
            exit_list,
            nearby,
            exonerator: exitdesk_model::exonerator_url(Some(q.ip), Some(&day_date)),
            day,
            summary,
            notes,
        }
    }

    fn no_data_note(&self, t: i64) -> String {
        let month = format_date(t).chars().take(7).collect::<String>();
        let have = match (self.hours.first(), self.hours.last()) {
            (Some(&a), Some(&b)) => format!("the index covers {} to {} UTC", format_hour(a), format_hour(b)),
            _ => "the index is empty".to_string(),
        };
        format!(
            "no consensus covers that time ({have}); import CollecTor's consensuses-{month}.tar.xz, or run `exitdesk tornet sync` for the last three days"
        )
    }

    fn exit_list_hits(&self, q: &Query, hours: &[Hour], ours: &Ours) -> Vec<ExitListHit> {
        let Some(sightings) = self.sightings.get(&q.ip) else { return Vec::new() };
        let mut out = Vec::new();
        for s in sightings {
            let attached = |first: i64, last: i64| {
                if hours.is_empty() {
                    // No consensus: the scan itself shows the address in use.
                    first - HOUR <= q.to && q.from < last + EXIT_LIST_ATTACH
                } else {
                    hours.iter().any(|&h| {
                        let va = hour_start(h);
                        first <= va && va < last + EXIT_LIST_ATTACH && self.relay_listed(s.relay, h).is_some()
                    })
                }
            };
            let Some(&(first, last)) = s.spans.iter().find(|&&(f, l)| attached(f, l)) else { continue };
            let Some(relay) = self.relays.get(s.relay as usize) else { continue };
            let nickname = hours.iter().find_map(|&h| self.relay_listed(s.relay, h)).map(|a| self.nickname(&a));
            out.push(ExitListHit {
                fingerprint: relay.fingerprint,
                nickname,
                scanned: (format_datetime(first), format_datetime(last)),
                ours: ours.is_ours(&relay.fingerprint, q.ip),
            });
        }
        out
    }

    fn nearby(&self, ip: IpAddr, hours: &[Hour]) -> Vec<Nearby> {
        let (lo, hi) = match ip {
            IpAddr::V4(a) => {
                let n = u32::from(a) & 0xFFFF_FF00;
                (IpAddr::V4(n.into()), IpAddr::V4((n | 0xFF).into()))
            }
            IpAddr::V6(a) => {
                let n = u128::from(a) & !((1u128 << 80) - 1);
                (IpAddr::V6(n.into()), IpAddr::V6((n | ((1u128 << 80) - 1)).into()))
            }
        };
        let mut out = Vec::new();
        for (addr, keys) in self.by_addr.range(lo..=hi) {
            for &k in keys {
                let Some(key) = self.keys.get(k as usize) else { continue };
                if let Some(a) = hours.iter().find_map(|&h| self.attrs_at(k, h)) {
                    let Some(relay) = self.relays.get(key.relay as usize) else { continue };
                    out.push(Nearby { address: *addr, fingerprint: relay.fingerprint, nickname: self.nickname(&a) });
                }
            }
        }
        // The closest addresses first; a crowded /24 is cut to 16.
        let distance = |a: &IpAddr| match (a, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => u128::from(u32::from(*a).abs_diff(u32::from(b))),
            (IpAddr::V6(a), IpAddr::V6(b)) => u128::from(*a).abs_diff(u128::from(b)),
            _ => u128::MAX,
        };
        out.sort_by_key(|n| (distance(&n.address), n.address, n.fingerprint));
        out.truncate(16);
        out
    }

    fn day_answer(&self, ip: IpAddr, t: i64, date: &str) -> DayAnswer {
        let day_start = t.div_euclid(86_400) * 86_400;
        let (Some(a), Some(b)) = (hour_of(day_start - 86_400), hour_of(day_start + 2 * 86_400 - 1)) else {
            return DayAnswer { date: date.to_string(), relevant_statuses: false, matches: Vec::new() };
        };
        let window: Vec<Hour> = self.hours.range(a..=b).copied().collect();
        // (nickname attrs, first hour, last hour, exit, exit list only) per relay.
        let mut per: BTreeMap<Fingerprint, (Attrs, Hour, Hour, bool, bool)> = BTreeMap::new();
        let mut note = |fp: Fingerprint, a: Attrs, h: Hour, exit: bool, via_list: bool| {
            let m = per.entry(fp).or_insert((a, h, h, false, via_list));
            m.1 = m.1.min(h);
            m.2 = m.2.max(h);
            m.3 |= exit;
            m.4 &= via_list;
        };
        for &k in self.by_addr.get(&ip).map_or(&[][..], Vec::as_slice) {
            let Some(key) = self.keys.get(k as usize) else { continue };
            let Some(relay) = self.relays.get(key.relay as usize) else { continue };
            // Policies change rarely: evaluate when the attributes change.
            let mut last: Option<(Attrs, bool)> = None;
            for &h in &window {
                if let Some(a) = self.attrs_at(k, h) {
                    let exit = match last {
                        Some((prev, exit)) if prev == a => exit,
                        _ => self.evaluate(key.relay, &a, h, ip.is_ipv6(), None, None, false).exit,
                    };
                    last = Some((a, exit));
                    note(relay.fingerprint, a, h, exit, false);
                }
            }
        }
        for s in self.sightings.get(&ip).map_or(&[][..], Vec::as_slice) {
            let Some(relay) = self.relays.get(s.relay as usize) else { continue };
            for &h in &window {
                let va = hour_start(h);
                if s.spans.iter().any(|&(f, l)| f <= va && va < l + EXIT_LIST_ATTACH) {
                    if let Some(a) = self.relay_listed(s.relay, h) {
                        note(relay.fingerprint, a, h, true, true);
                    }
                }
            }
        }
        let matches = per
            .into_iter()
            .map(|(fp, (a, first, last, exit, exit_list))| DayMatch {
                fingerprint: fp,
                nickname: self.nickname(&a),
                first: format_hour(first),
                last: format_hour(last),
                exit,
                exit_list,
            })
            .collect();
        DayAnswer { date: date.to_string(), relevant_statuses: !window.is_empty(), matches }
    }
}

fn rank(e: &Eval) -> u8 {
    match (e.allows, e.exit) {
        (Some(true), _) => 3,
        (None, true) => 2,
        (Some(false), true) => 1,
        _ => 0,
    }
}

fn summarise(v: VerdictKind, q: &Query, relays: &[RelayHit], list: &[ExitListHit], hours: &[Hour]) -> String {
    let port = q.port.map(|p| format!(" port {p}")).unwrap_or_default();
    let when = match hour_ranges(hours).as_slice() {
        [] => "at that time".to_string(),
        [one] if !one.contains(" to ") => format!("in the consensus of {one} UTC"),
        many => format!("in the consensuses of {} UTC", many.join(", ")),
    };
    let names = |rs: &[RelayHit]| {
        rs.iter().map(|r| format!("{} ({})", r.nickname, r.fingerprint)).collect::<Vec<_>>().join(", ")
    };
    match v {
        VerdictKind::Exit => {
            let r: Vec<RelayHit> = relays.iter().filter(|r| r.allows.unwrap_or(r.exit)).cloned().collect();
            format!(
                "{} was a Tor exit {when}: relay {}, whose exit policy allowed{}.",
                q.ip,
                names(&r),
                if port.is_empty() { " exit traffic".to_string() } else { port }
            )
        }
        VerdictKind::PolicyRejects => {
            format!("{} was a Tor exit {when} (relay {}), but its exit policy rejected{port}.", q.ip, names(relays))
        }
        VerdictKind::RelayNotExit => {
            format!(
                "{} was a Tor relay {when} (relay {}), but not an exit: its policy allowed no exit traffic.",
                q.ip,
                names(relays)
            )
        }
        VerdictKind::ExitListOnly => format!(
            "{} was not a relay's own address {when}, but Tor's exit scanner saw exit {} leave from it.",
            q.ip,
            list.iter().map(|e| e.fingerprint.to_hex()).collect::<Vec<_>>().join(", ")
        ),
        VerdictKind::NotRelay => format!("{} was not a Tor relay {when}.", q.ip),
        VerdictKind::NoData => format!("No Tor network data covers {} UTC.", format_datetime(q.from)),
    }
}
