//! The relay history: for each (fingerprint, address), intervals of
//! consensus hours in which the relay was listed there, with its kept flags,
//! nickname and policy summary; full policies from server descriptors as
//! change points per relay; exit-list observations as spans per address.
//! Documents can come in any order; the index grows with the number of
//! changes, not of hours (a relay listed unchanged for a year is one run).
//! The last consensus of each flavour is remembered (not saved), so that an
//! entry repeated the next hour costs no lookups.
//!
//! A run `[start, end]` means: listed with these attributes in every
//! imported consensus whose hour lies in `[start, end]`. Hours without an
//! imported consensus inside a run are "no data", never "listed".

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;
use std::net::IpAddr;

use crate::consensus::{Consensus, Flavour, RouterStatus};
use crate::exitlist::ExitList;
use crate::microdesc::Microdesc;
use crate::policy::ExitPolicy;
use crate::ports::PortSummary;
use crate::serverdesc::ServerDescriptor;
use crate::time::{HOUR, Hour, hour_of};
use crate::{Fingerprint, Flags};

/// How long an exit-list observation attaches to its relay (ExoneraTor: [S, S + 24 h)).
pub const EXIT_LIST_ATTACH: i64 = 24 * HOUR;

/// A value table where equal values share one id.
#[derive(Debug, Clone)]
pub(crate) struct Interner<T: Eq + Hash + Clone> {
    pub(crate) values: Vec<T>,
    ids: HashMap<T, u32>,
}

impl<T: Eq + Hash + Clone> Default for Interner<T> {
    fn default() -> Self {
        Interner { values: Vec::new(), ids: HashMap::new() }
    }
}

impl<T: Eq + Hash + Clone> Interner<T> {
    pub(crate) fn intern(&mut self, v: &T) -> u32 {
        if let Some(&id) = self.ids.get(v) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(v.clone());
        self.ids.insert(v.clone(), id);
        id
    }

    pub(crate) fn get(&self, id: u32) -> Option<&T> {
        self.values.get(id as usize)
    }

    pub(crate) fn from_values(values: Vec<T>) -> Interner<T> {
        let ids = values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect();
        Interner { values, ids }
    }
}

/// IPv4 (`p`) and IPv6 (`p6`) summaries as known from one source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct SummaryPair {
    pub(crate) p: Option<PortSummary>,
    pub(crate) p6: Option<PortSummary>,
    /// Whether `p6` is known (microdescriptors say it; ns consensuses do not).
    pub(crate) p6_known: bool,
}

/// Where a run's policy summary comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PolicyRef {
    /// No summary (microdesc consensus whose microdescriptor is unknown, and
    /// the digest was not kept).
    Unknown,
    /// A summary pair id.
    Summary(u32),
    /// A microdescriptor digest id, resolved when its microdescriptor arrives.
    Microdesc(u32),
}

/// What a run records besides its hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Attrs {
    pub(crate) flags: Flags,
    pub(crate) nickname: u32,
    pub(crate) policy: PolicyRef,
}

/// Consecutive imported consensus hours with the same attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) start: Hour,
    pub(crate) end: Hour,
    pub(crate) attrs: u32,
}

/// One (relay, address) pair and its runs, sorted by start.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub(crate) relay: u32,
    pub(crate) addr: IpAddr,
    pub(crate) runs: Vec<Run>,
}

/// A stretch of identical descriptor policies: first and last publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DescRun {
    pub(crate) first: i64,
    pub(crate) last: i64,
    pub(crate) policy: u32,
    /// `ipv6-policy` as a summary pair id (p6 only).
    pub(crate) ipv6: u32,
}

/// Per relay: identity, descriptor policy history, latest advertised bandwidth.
#[derive(Debug, Clone)]
pub(crate) struct Relay {
    pub(crate) fingerprint: Fingerprint,
    pub(crate) descriptors: Vec<DescRun>,
    /// (published, advertised bytes/s) of the newest descriptor.
    pub(crate) bandwidth: Option<(i64, u64)>,
    pub(crate) keys: Vec<u32>,
}

/// Exit-list sightings of one relay at one address: merged spans of scan
/// times (scans less than a day apart join).
#[derive(Debug, Clone)]
pub(crate) struct ExitSighting {
    pub(crate) relay: u32,
    pub(crate) spans: Vec<(i64, i64)>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Whether the index changed (false: the document was already known).
    pub changed: bool,
    /// Entries read from the document.
    pub entries: usize,
}

/// The relay history index.
#[derive(Debug, Clone, Default)]
pub struct RelayIndex {
    pub(crate) relays: Vec<Relay>,
    pub(crate) relay_ids: HashMap<Fingerprint, u32>,
    pub(crate) keys: Vec<Key>,
    pub(crate) key_ids: HashMap<(u32, IpAddr), u32>,
    pub(crate) by_addr: BTreeMap<IpAddr, Vec<u32>>,
    pub(crate) attrs: Interner<Attrs>,
    pub(crate) nicknames: Interner<String>,
    pub(crate) summaries: Interner<SummaryPair>,
    pub(crate) policies: Interner<ExitPolicy>,
    /// Per policy id: does it allow any IPv4 exit (computed once; costly for long policies).
    pub(crate) policy_exits: Vec<bool>,
    pub(crate) md_digests: Interner<[u8; 32]>,
    /// Microdescriptor digest id → summary pair id.
    pub(crate) md_summaries: HashMap<u32, u32>,
    pub(crate) hours: BTreeSet<Hour>,
    pub(crate) hours_ns: BTreeSet<Hour>,
    pub(crate) hours_md: BTreeSet<Hour>,
    pub(crate) hours_onionoo: BTreeSet<Hour>,
    /// Moments of imported exit lists (Downloaded, else newest scan).
    pub(crate) exit_lists: BTreeSet<i64>,
    pub(crate) sightings: BTreeMap<IpAddr, Vec<ExitSighting>>,
    /// Per flavour, what the last consensus added resolved each entry to
    /// (not saved; a cache for the next hour, where most entries repeat).
    pub(crate) memo: [Memo; 3],
}

/// The entries of the last consensus of a flavour, as the index resolved
/// them: an entry whose fingerprint, nickname, kept flags, policy input and
/// addresses equal the remembered ones maps to the same relay, attributes
/// and keys without hashing anything.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    entries: Vec<MemoEntry>,
    /// Addresses and key ids of the entries, in `RouterStatus::addresses` order.
    keys: Vec<(IpAddr, u32)>,
}

/// Nicknames up to this length are kept inline (tor's limit is 19).
const NICK_INLINE: usize = 23;

#[derive(Debug, Clone)]
struct MemoEntry {
    fingerprint: Fingerprint,
    relay: u32,
    attrs: Attrs,
    /// `attrs` interned, when it was (an hour already covered by another
    /// flavour records merged attributes instead).
    attrs_id: Option<u32>,
    /// The nickname when it fits, else `nick_len` is `u8::MAX` and the
    /// nickname table is asked.
    nick: [u8; NICK_INLINE],
    nick_len: u8,
    md_digest: Option<[u8; 32]>,
    keys: (u32, u32),
}

impl Memo {
    /// The remembered entry `r` repeats, if any. `cursor` is where the
    /// next entry is expected: consensuses list entries by identity, so the
    /// remembered entries are tried from there, then by binary search (an
    /// entry out of order only costs a miss; equality is always checked).
    fn find(&self, r: &RouterStatus, flavour: Flavour, cursor: &mut usize, ix: &RelayIndex) -> Option<&MemoEntry> {
        let fp = r.fingerprint;
        let near = self.entries.get(*cursor..).unwrap_or_default().iter().take(8).position(|e| e.fingerprint == fp);
        let at = match near {
            Some(d) => *cursor + d,
            None => {
                let i = self.entries.partition_point(|e| e.fingerprint < fp);
                self.entries.get(i).filter(|e| e.fingerprint == fp)?;
                i
            }
        };
        *cursor = at + 1;
        let e = self.entries.get(at)?;
        let nick_ok = if e.nick_len == u8::MAX {
            ix.nicknames.get(e.attrs.nickname).is_some_and(|n| n.as_bytes() == r.nickname.as_bytes())
        } else {
            e.nick.get(..usize::from(e.nick_len)) == Some(r.nickname.as_bytes())
        };
        if !nick_ok || e.attrs.flags != r.flags.masked(Flags::KEPT) {
            return None;
        }
        // The policy input of `attrs_of`: the digest (microdesc; its summary
        // is looked up again only after new microdescriptors, which clear
        // the memo), else the `p` summary.
        let policy_ok = match (flavour, e.attrs.policy) {
            (Flavour::Microdesc, _) => e.md_digest == r.md_digest,
            (Flavour::Ns | Flavour::Onionoo, PolicyRef::Summary(id)) => {
                ix.summaries.get(id).is_some_and(|s| s.p == r.policy && s.p6.is_none() && !s.p6_known)
            }
            (Flavour::Ns | Flavour::Onionoo, _) => false,
        };
        if !policy_ok {
            return None;
        }
        let keys = self.keys.get(e.keys.0 as usize..e.keys.1 as usize)?;
        let mut addrs = r.addresses();
        for &(a, _) in keys {
            if addrs.next() != Some(a) {
                return None;
            }
        }
        addrs.next().is_none().then_some(e)
    }
}

fn find_run(runs: &[Run], h: Hour) -> Option<usize> {
    let i = runs.partition_point(|r| r.end < h);
    (i < runs.len() && runs[i].start <= h).then_some(i)
}

impl RelayIndex {
    /// An empty index.
    pub fn new() -> RelayIndex {
        RelayIndex::default()
    }

    pub(crate) fn relay_id(&mut self, fp: Fingerprint) -> u32 {
        if let Some(&id) = self.relay_ids.get(&fp) {
            return id;
        }
        let id = self.relays.len() as u32;
        self.relays.push(Relay { fingerprint: fp, descriptors: Vec::new(), bandwidth: None, keys: Vec::new() });
        self.relay_ids.insert(fp, id);
        id
    }

    fn key_id(&mut self, relay: u32, addr: IpAddr) -> u32 {
        if let Some(&id) = self.key_ids.get(&(relay, addr)) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(Key { relay, addr, runs: Vec::new() });
        self.key_ids.insert((relay, addr), id);
        self.by_addr.entry(addr).or_default().push(id);
        if let Some(r) = self.relays.get_mut(relay as usize) {
            r.keys.push(id);
        }
        id
    }

    fn prev_hour(&self, h: Hour) -> Option<Hour> {
        self.hours.range(..h).next_back().copied()
    }

    fn next_hour(&self, h: Hour) -> Option<Hour> {
        self.hours.range(h + 1..).next().copied()
    }

    /// Records `attrs` for `key` at covered hour `h` (between the covered
    /// hours `prev` and `next`), splitting and merging runs.
    fn set_hour_between(&mut self, key: u32, h: Hour, attrs: u32, prev: Option<Hour>, next: Option<Hour>) {
        let Some(k) = self.keys.get_mut(key as usize) else { return };
        let runs = &mut k.runs;
        let mut i = match find_run(runs, h) {
            Some(i) if runs[i].attrs == attrs => return,
            Some(i) => {
                let old = runs[i];
                let mut pieces = Vec::with_capacity(3);
                if old.start < h {
                    pieces.push(Run { start: old.start, end: prev.unwrap_or(old.start), attrs: old.attrs });
                }
                pieces.push(Run { start: h, end: h, attrs });
                if old.end > h {
                    pieces.push(Run { start: next.unwrap_or(old.end), end: old.end, attrs: old.attrs });
                }
                let at = i + usize::from(old.start < h);
                runs.splice(i..=i, pieces);
                at
            }
            None => {
                let i = runs.partition_point(|r| r.end < h);
                runs.insert(i, Run { start: h, end: h, attrs });
                i
            }
        };
        // Merge with the run ending at the previous covered hour.
        if i > 0 && prev.is_some_and(|p| runs[i - 1].end == p) && runs[i - 1].attrs == attrs {
            runs[i - 1].end = runs[i].end;
            runs.remove(i);
            i -= 1;
        }
        if i + 1 < runs.len() && next.is_some_and(|n| runs[i + 1].start == n) && runs[i + 1].attrs == attrs {
            runs[i].end = runs[i + 1].end;
            runs.remove(i + 1);
        }
    }

    /// The relay was absent at newly covered hour `h`: cut any run spanning it.
    fn clear_hour(&mut self, key: u32, h: Hour) {
        let prev = self.prev_hour(h);
        let next = self.next_hour(h);
        let Some(k) = self.keys.get_mut(key as usize) else { return };
        let Some(i) = find_run(&k.runs, h) else { return };
        let old = k.runs[i];
        let mut pieces = Vec::with_capacity(2);
        if old.start < h {
            pieces.push(Run { start: old.start, end: prev.unwrap_or(old.start), attrs: old.attrs });
        }
        if old.end > h {
            pieces.push(Run { start: next.unwrap_or(old.end), end: old.end, attrs: old.attrs });
        }
        k.runs.splice(i..=i, pieces);
    }

    fn attrs_of(&mut self, r: &RouterStatus, flavour: Flavour) -> Attrs {
        let nickname = self.nicknames.intern(&r.nickname.to_string());
        let policy = match (flavour, &r.policy, r.md_digest) {
            (Flavour::Ns, p, _) => {
                PolicyRef::Summary(self.summaries.intern(&SummaryPair { p: p.clone(), p6: None, p6_known: false }))
            }
            (Flavour::Microdesc, _, Some(d)) => {
                let id = self.md_digests.intern(&d);
                match self.md_summaries.get(&id) {
                    Some(&s) => PolicyRef::Summary(s),
                    None => PolicyRef::Microdesc(id),
                }
            }
            (Flavour::Microdesc, _, None) => PolicyRef::Unknown,
            (Flavour::Onionoo, p, _) => {
                PolicyRef::Summary(self.summaries.intern(&SummaryPair { p: p.clone(), p6: None, p6_known: false }))
            }
        };
        Attrs { flags: r.flags.masked(Flags::KEPT), nickname, policy }
    }

    /// Combines what two flavours of the same hour said: keeps every known part.
    fn merge_attrs(&mut self, old: Attrs, new: Attrs) -> Attrs {
        let policy = match (old.policy, new.policy) {
            (PolicyRef::Summary(a), PolicyRef::Summary(b)) if a != b => {
                let (Some(x), Some(y)) = (self.summaries.get(a).cloned(), self.summaries.get(b).cloned()) else {
                    return old;
                };
                let pair = SummaryPair {
                    p: x.p.clone().or(y.p.clone()),
                    p6: if x.p6_known { x.p6 } else { y.p6 },
                    p6_known: x.p6_known || y.p6_known,
                };
                PolicyRef::Summary(self.summaries.intern(&pair))
            }
            (PolicyRef::Summary(a), _) | (_, PolicyRef::Summary(a)) => PolicyRef::Summary(a),
            (PolicyRef::Microdesc(a), _) | (_, PolicyRef::Microdesc(a)) => PolicyRef::Microdesc(a),
            _ => PolicyRef::Unknown,
        };
        Attrs { flags: Flags(old.flags.0 | new.flags.0), nickname: old.nickname, policy }
    }

    /// Adds a consensus. Re-adding the same flavour and hour changes nothing.
    pub fn add_consensus(&mut self, c: &Consensus) -> ImportOutcome {
        let Some(h) = hour_of(c.valid_after) else { return ImportOutcome::default() };
        let flavour_hours = match c.flavour {
            Flavour::Ns => &mut self.hours_ns,
            Flavour::Microdesc => &mut self.hours_md,
            Flavour::Onionoo => &mut self.hours_onionoo,
        };
        if !flavour_hours.insert(h) {
            return ImportOutcome { changed: false, entries: c.relays.len() };
        }
        let newly_covered = self.hours.insert(h);
        let inside = newly_covered && self.hours.range(h + 1..).next().is_some();
        let (prev, next) = (self.prev_hour(h), self.next_hour(h));
        let mut present: Vec<bool> = Vec::new();
        let slot = c.flavour as usize;
        let old_memo = std::mem::take(&mut self.memo[slot]);
        let mut memo =
            Memo { entries: Vec::with_capacity(c.relays.len()), keys: Vec::with_capacity(old_memo.keys.len()) };
        let mut cursor = 0;
        let mut addr_keys: Vec<(IpAddr, u32)> = Vec::new();
        for r in &c.relays {
            addr_keys.clear();
            let (relay, attrs, mut attrs_id) = match old_memo.find(r, c.flavour, &mut cursor, self) {
                Some(e) => {
                    if let Some(keys) = old_memo.keys.get(e.keys.0 as usize..e.keys.1 as usize) {
                        addr_keys.extend_from_slice(keys);
                    }
                    (e.relay, e.attrs, e.attrs_id)
                }
                None => {
                    let relay = self.relay_id(r.fingerprint);
                    let attrs = self.attrs_of(r, c.flavour);
                    for addr in r.addresses() {
                        addr_keys.push((addr, self.key_id(relay, addr)));
                    }
                    (relay, attrs, None)
                }
            };
            let start = memo.keys.len() as u32;
            memo.keys.extend_from_slice(&addr_keys);
            for &(_, key) in &addr_keys {
                let a = if newly_covered {
                    attrs
                } else {
                    let old = self.keys[key as usize].runs.iter().find(|x| x.start <= h && h <= x.end).map(|x| x.attrs);
                    match old.and_then(|id| self.attrs.get(id).copied()) {
                        Some(o) => self.merge_attrs(o, attrs),
                        None => attrs,
                    }
                };
                let id = match attrs_id {
                    Some(id) if newly_covered => id,
                    _ => self.attrs.intern(&a),
                };
                if newly_covered {
                    attrs_id = Some(id);
                }
                self.set_hour_between(key, h, id, prev, next);
                if inside {
                    if present.len() < self.keys.len() {
                        present.resize(self.keys.len(), false);
                    }
                    present[key as usize] = true;
                }
            }
            let mut nick = [0u8; NICK_INLINE];
            let nick_len = match nick.get_mut(..r.nickname.len()) {
                Some(n) => {
                    n.copy_from_slice(r.nickname.as_bytes());
                    r.nickname.len() as u8
                }
                None => u8::MAX,
            };
            memo.entries.push(MemoEntry {
                fingerprint: r.fingerprint,
                relay,
                attrs,
                attrs_id,
                nick,
                nick_len,
                md_digest: r.md_digest,
                keys: (start, memo.keys.len() as u32),
            });
        }
        self.memo[slot] = memo;
        if inside {
            present.resize(self.keys.len(), false);
            let absent: Vec<u32> = present.iter().enumerate().filter(|(_, p)| !**p).map(|(k, _)| k as u32).collect();
            for key in absent {
                self.clear_hour(key, h);
            }
        }
        ImportOutcome { changed: true, entries: c.relays.len() }
    }

    /// Adds microdescriptors: their summaries answer for md consensus entries.
    pub fn add_microdescs(&mut self, mds: &[Microdesc]) -> ImportOutcome {
        let mut changed = false;
        for m in mds {
            let id = self.md_digests.intern(&m.digest);
            if self.md_summaries.contains_key(&id) {
                continue;
            }
            let pair = SummaryPair { p: m.p.clone(), p6: m.p6.clone(), p6_known: true };
            let s = self.summaries.intern(&pair);
            self.md_summaries.insert(id, s);
            changed = true;
            // Microdesc entries remembered as unresolved would now resolve.
            self.memo[Flavour::Microdesc as usize] = Memo::default();
        }
        ImportOutcome { changed, entries: mds.len() }
    }

    /// Adds server descriptors: full policies as change points per relay.
    pub fn add_descriptors(&mut self, ds: &[ServerDescriptor]) -> ImportOutcome {
        let mut changed = false;
        for d in ds {
            let Some(fp) = d.fingerprint else { continue };
            let relay = self.relay_id(fp);
            let policy = self.policies.intern(&d.policy);
            if policy as usize == self.policy_exits.len() {
                self.policy_exits.push(d.policy.allows_any(false));
            }
            let ipv6 = self.summaries.intern(&SummaryPair { p: None, p6: d.ipv6_policy.clone(), p6_known: true });
            let t = d.published;
            let Some(r) = self.relays.get_mut(relay as usize) else { continue };
            if let Some(adv) = d.advertised_bandwidth() {
                if r.bandwidth.is_none_or(|(p, _)| p < t) {
                    r.bandwidth = Some((t, adv));
                    changed = true;
                }
            }
            let runs = &mut r.descriptors;
            let i = runs.partition_point(|x| x.first <= t);
            // runs[i-1] starts at or before t.
            if i > 0 && runs[i - 1].policy == policy && runs[i - 1].ipv6 == ipv6 {
                if runs[i - 1].last < t {
                    runs[i - 1].last = t;
                    changed = true;
                }
                continue;
            }
            if i > 0 && runs[i - 1].last >= t {
                // t falls inside a run with another policy: split it.
                let old = runs[i - 1];
                runs[i - 1].last = t - 1;
                runs.insert(i, DescRun { first: t, last: t, policy, ipv6 });
                runs.insert(i + 1, DescRun { first: t + 1, ..old });
            } else if i < runs.len() && runs[i].policy == policy && runs[i].ipv6 == ipv6 {
                runs[i].first = t;
            } else {
                runs.insert(i, DescRun { first: t, last: t, policy, ipv6 });
            }
            changed = true;
        }
        ImportOutcome { changed, entries: ds.len() }
    }

    /// Adds an Onionoo snapshot: its relays as a consensus of its hour, its
    /// full policies as descriptors, its exit addresses as sightings.
    pub fn add_onionoo(&mut self, snap: &crate::onionoo::OnionooSnapshot) -> ImportOutcome {
        let a = self.add_consensus(&snap.consensus);
        let b = self.add_descriptors(&snap.descriptors);
        let c = self.add_exit_list(&snap.exit_list);
        ImportOutcome { changed: a.changed || b.changed || c.changed, entries: a.entries }
    }

    /// Adds an exit list: each `ExitAddress` at scan time S attaches to the
    /// relay for [S, S + 24 h).
    pub fn add_exit_list(&mut self, list: &ExitList) -> ImportOutcome {
        let Some(moment) = list.downloaded.or_else(|| list.newest_scan()) else {
            return ImportOutcome::default();
        };
        let mut changed = self.exit_lists.insert(moment);
        for e in &list.entries {
            let relay = self.relay_id(e.fingerprint);
            for &(addr, scan) in &e.addresses {
                let sightings = self.sightings.entry(addr).or_default();
                let s = match sightings.iter_mut().position(|s| s.relay == relay) {
                    Some(i) => &mut sightings[i],
                    None => {
                        sightings.push(ExitSighting { relay, spans: Vec::new() });
                        let last = sightings.len() - 1;
                        &mut sightings[last]
                    }
                };
                changed |= add_scan(&mut s.spans, scan);
            }
        }
        ImportOutcome { changed, entries: list.entries.len() }
    }
}

/// Adds a scan time to merged spans; scans less than a day apart join.
fn add_scan(spans: &mut Vec<(i64, i64)>, t: i64) -> bool {
    let i = spans.partition_point(|s| s.1 < t);
    if i < spans.len() && spans[i].0 <= t {
        return false;
    }
    let joins_prev = i > 0 && t - spans[i - 1].1 < EXIT_LIST_ATTACH;
    let joins_next = i < spans.len() && spans[i].0 - t < EXIT_LIST_ATTACH;
    match (joins_prev, joins_next) {
        (true, true) => {
            spans[i - 1].1 = spans[i].1;
            spans.remove(i);
        }
        (true, false) => spans[i - 1].1 = t,
        (false, true) => spans[i].0 = t,
        (false, false) => spans.insert(i, (t, t)),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consensus::parse_consensus;

    fn consensus(hour: &str, relays: &[(&str, &str, &str)]) -> Consensus {
        let mut text =
            format!("network-status-version 3\nvote-status consensus\nvalid-after 2026-11-20 {hour}:00:00\n");
        for (id, ip, flags) in relays {
            text.push_str(&format!("r n{id} {id} 2038-01-01 00:00:00 {ip} 443 0\ns {flags}\np accept 80,443\n"));
        }
        parse_consensus(&text).unwrap_or_else(|e| panic!("{e}"))
    }

    const A: &str = "AAoQ1DAR6kkoo19hBAX5K0QztNw";
    const B: &str = "ABElTMhEQ2myDvERVriZBDgiGlQ";

    fn runs(ix: &RelayIndex, ip: &str) -> Vec<(Hour, Hour)> {
        let ip: IpAddr = ip.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        ix.by_addr
            .get(&ip)
            .into_iter()
            .flatten()
            .flat_map(|&k| ix.keys[k as usize].runs.iter().map(|r| (r.start, r.end)))
            .collect()
    }

    #[test]
    fn runs_do_not_depend_on_import_order() {
        let docs = [
            consensus("10", &[(A, "192.0.2.1", "Exit Running Valid"), (B, "192.0.2.2", "Running Valid")]),
            consensus("11", &[(A, "192.0.2.1", "Exit Running Valid")]),
            consensus("12", &[(A, "192.0.2.1", "Exit Running Valid"), (B, "192.0.2.2", "Running Valid")]),
            consensus("13", &[(A, "192.0.2.1", "Running Valid"), (B, "192.0.2.2", "Running Valid")]),
        ];
        let orders: [[usize; 4]; 4] = [[0, 1, 2, 3], [3, 2, 1, 0], [0, 2, 3, 1], [2, 0, 3, 1]];
        let mut seen = Vec::new();
        for order in orders {
            let mut ix = RelayIndex::new();
            for i in order {
                assert!(ix.add_consensus(&docs[i]).changed);
            }
            assert!(!ix.add_consensus(&docs[0]).changed);
            let a: Vec<_> = runs(&ix, "192.0.2.1").into_iter().map(|(s, e)| (s % 24, e % 24)).collect();
            let b: Vec<_> = runs(&ix, "192.0.2.2").into_iter().map(|(s, e)| (s % 24, e % 24)).collect();
            seen.push((a, b));
        }
        for s in &seen {
            assert_eq!(s, &(vec![(10, 12), (13, 13)], vec![(10, 10), (12, 13)]));
        }
    }

    #[test]
    fn memo_changes_nothing() {
        // Entries repeat, change nickname, flags, address, policy; a relay
        // leaves and returns; hours arrive out of order and twice.
        let hour = |h: &str, nick: &str, ip: &str, flags: &str, p: &str| {
            let mut text =
                format!("network-status-version 3\nvote-status consensus\nvalid-after 2026-11-20 {h}:00:00\n");
            text.push_str(&format!(
                "r {nick} {A} 2038-01-01 00:00:00 {ip} 443 0\na [2001:db8::1]:443\ns {flags}\np {p}\n"
            ));
            if h != "13" {
                text.push_str(&format!(
                    "r b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running Valid\np reject 1-65535\n"
                ));
            }
            parse_consensus(&text).unwrap_or_else(|e| panic!("{e}"))
        };
        let docs = [
            hour("10", "a", "192.0.2.1", "Exit Running Valid", "accept 80,443"),
            hour("11", "a", "192.0.2.1", "Exit Running Valid", "accept 80,443"),
            hour("12", "a2", "192.0.2.1", "Exit Running Valid", "accept 80,443"),
            hour("13", "a2", "192.0.2.9", "Exit Running Valid", "accept 80,443"),
            hour("14", "a2", "192.0.2.9", "Running Valid", "accept 80,443"),
            hour("15", "a2", "192.0.2.9", "Running Valid", "accept 443"),
            hour("16", "a2", "192.0.2.9", "Running Valid", "accept 443"),
        ];
        for order in [[0, 1, 2, 3, 4, 5, 6, 1], [6, 5, 4, 3, 2, 1, 0, 6], [0, 2, 1, 4, 3, 6, 5, 0]] {
            let (mut with, mut without) = (RelayIndex::new(), RelayIndex::new());
            for i in order {
                with.add_consensus(&docs[i]);
                without.memo = Default::default();
                without.add_consensus(&docs[i]);
            }
            assert_eq!(with.to_bytes(), without.to_bytes());
        }
    }

    #[test]
    fn scans_merge_within_a_day() {
        let mut s = Vec::new();
        assert!(add_scan(&mut s, 0));
        assert!(add_scan(&mut s, 100_000));
        assert!(add_scan(&mut s, 3600));
        assert!(!add_scan(&mut s, 3600));
        assert_eq!(s, vec![(0, 3600), (100_000, 100_000)]);
        assert!(add_scan(&mut s, 50_000));
        assert_eq!(s, vec![(0, 100_000)]);
    }
}
