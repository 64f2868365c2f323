//! Network-status consensuses, both flavours (dir-spec §3.4.1, §3.9): the
//! header times and, per relay, the `r`, `a`, `s`, `w`, `p` and `m` lines.
//! Everything else (votes' digests, `v`, `pr`, signatures) is read past.
//! `parse_consensus_with` (the import's) reads each entry to its end first
//! and reuses the previous consensus's status when the entry's lines repeat.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use serde::Serialize;

use crate::fingerprint::base64_decode_into;
use crate::meta::{Item, Items};
use crate::ports::PortSummary;
use crate::time::parse_words;
use crate::{DocError, Fingerprint, Flags};

/// Consensus flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavour {
    /// The full ("ns", unflavoured) consensus: `p` summaries inline.
    Ns,
    /// The microdesc consensus: policies live in microdescriptors (`m` digests).
    Microdesc,
    /// Not a consensus: an Onionoo snapshot read as one (summaries for both families).
    Onionoo,
}

impl Flavour {
    /// `ns` or `microdesc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Ns => "ns",
            Flavour::Microdesc => "microdesc",
            Flavour::Onionoo => "onionoo",
        }
    }
}

/// One router status entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouterStatus {
    /// Nickname.
    pub nickname: String,
    /// Identity fingerprint.
    pub fingerprint: Fingerprint,
    /// The `r` line's publication time (fixed to 2038 since method 33).
    pub published: Option<i64>,
    /// The IPv4 OR address.
    pub address: Ipv4Addr,
    /// The OR port.
    pub or_port: u16,
    /// Further OR addresses (`a` lines), usually IPv6.
    pub or_addresses: Vec<SocketAddr>,
    /// Flags (`s`).
    pub flags: Flags,
    /// Consensus weight (`w Bandwidth=`).
    pub bandwidth: Option<u32>,
    /// IPv4 exit-policy summary (`p`, ns flavour only).
    pub policy: Option<PortSummary>,
    /// SHA-256 of the microdescriptor (`m`, microdesc flavour only).
    pub md_digest: Option<[u8; 32]>,
}

impl RouterStatus {
    /// Every OR address: the `r` IPv4 first, then the `a` addresses.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        std::iter::once(IpAddr::V4(self.address)).chain(self.or_addresses.iter().map(|a| a.ip()))
    }
}

/// A parsed consensus.
#[derive(Debug, Clone, Serialize)]
pub struct Consensus {
    /// Flavour.
    pub flavour: Flavour,
    /// `consensus-method`.
    pub method: Option<u32>,
    /// `valid-after` (Unix seconds).
    pub valid_after: i64,
    /// `fresh-until`.
    pub fresh_until: Option<i64>,
    /// `valid-until`.
    pub valid_until: Option<i64>,
    /// The router status entries that parsed.
    pub relays: Vec<RouterStatus>,
    /// Positioned problems; the entries they concern were skipped.
    #[serde(skip)]
    pub errors: Vec<DocError>,
}

fn parse_r(args: &str, line: usize) -> Result<RouterStatus, DocError> {
    let mut w = [""; 9];
    let mut n = 0;
    for (slot, word) in w.iter_mut().zip(args.split_ascii_whitespace()) {
        *slot = word;
        n += 1;
    }
    // ns: nick id digest date time ip orport dirport; md: no digest.
    let (nick, id, date, time, ip, port) = match n {
        8.. => (w[0], w[1], w[3], w[4], w[5], w[6]),
        7 => (w[0], w[1], w[2], w[3], w[4], w[5]),
        n => return Err(DocError::new(line, format!("`r` line has {n} fields, expected 7 or 8"))),
    };
    let fingerprint =
        Fingerprint::from_base64(id).ok_or_else(|| DocError::new(line, format!("bad identity {id:?}")))?;
    let address = parse_ipv4(ip).ok_or_else(|| DocError::new(line, format!("bad address {ip:?}")))?;
    let or_port: u16 = port.parse().map_err(|_| DocError::new(line, format!("bad port {port:?}")))?;
    let published = parse_words(&mut [date, time].into_iter());
    Ok(RouterStatus {
        nickname: nick.to_string(),
        fingerprint,
        published,
        address,
        or_port,
        or_addresses: Vec::new(),
        flags: Flags::default(),
        bandwidth: None,
        policy: None,
        md_digest: None,
    })
}

/// A dotted quad, quickly (the standard parser is a tenth of the parse time).
pub(crate) fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut octets {
        let p = parts.next()?.as_bytes();
        if p.is_empty() || p.len() > 3 || (p.len() > 1 && p[0] == b'0') || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        *o = u8::try_from(v).ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// Parses `[2001:db8::1]:9001` or `192.0.2.1:9001`.
pub(crate) fn parse_or_address(s: &str) -> Option<SocketAddr> {
    s.parse().ok()
}

/// What the last consensus of each flavour parsed to, for the next one
/// (`parse_consensus_with`): hourly consensuses repeat most entries, and an
/// entry whose `r`, `a`, `s`, `p` and `m` lines are the same bytes as
/// before parses to the same status (only `w` is read again). Entries that
/// had problems are not remembered.
#[derive(Debug, Default)]
pub struct ConsensusMemo {
    slots: [MemoSlot; 2],
}

#[derive(Debug, Default)]
struct MemoSlot {
    /// The entries' lines (`w` left out), one after another.
    lines: String,
    /// Per entry: identity, its range in `lines`, its status (taken when reused).
    entries: Vec<(Fingerprint, usize, usize, Option<RouterStatus>)>,
}

impl MemoSlot {
    /// The remembered entry with these lines, if any. `cursor` is where the
    /// next one is expected (entries come by identity); then binary search.
    fn find(&self, fp: Fingerprint, lines: &str, cursor: &mut usize) -> Option<usize> {
        let near = self.entries.get(*cursor..).unwrap_or_default().iter().take(8).position(|e| e.0 == fp);
        let at = match near {
            Some(d) => *cursor + d,
            None => self.entries.partition_point(|e| e.0 < fp),
        };
        let (efp, a, b, _) = self.entries.get(at)?;
        if *efp != fp {
            return None;
        }
        *cursor = at + 1;
        (self.lines.get(*a..*b) == Some(lines)).then_some(at)
    }
}

/// A router entry read up to its end: parsed then, or found in the memo.
struct Pending<'a> {
    r: Item<'a>,
    /// `a`, `s`, `p`, `m` items in order.
    items: Vec<Item<'a>>,
    /// The last `w` line's arguments.
    w: Option<&'a str>,
}

fn bandwidth(w: Option<&str>) -> Option<u32> {
    w?.split_ascii_whitespace().find_map(|kv| kv.strip_prefix("Bandwidth=")).and_then(|v| v.parse().ok())
}

/// Parses an entry's lines as read (line by line, in order).
fn parse_entry(p: &Pending<'_>, errors: &mut Vec<DocError>) -> Option<RouterStatus> {
    let mut r = match parse_r(p.r.args, p.r.line) {
        Ok(r) => r,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    for item in &p.items {
        match item.kw {
            "a" => match parse_or_address(item.args) {
                Some(a) => r.or_addresses.push(a),
                None => errors.push(DocError::new(item.line, format!("bad `a` address {:?}", item.args))),
            },
            "s" => r.flags = Flags::parse(item.args),
            "p" => match PortSummary::parse(item.args) {
                Ok(p) => r.policy = Some(p),
                Err(e) => {
                    errors.push(DocError::new(item.line, format!("bad `p` line: {e}; entry skipped")));
                    return None;
                }
            },
            _ => {
                let mut d = [0u8; 32];
                // Old votes and method ≤ 13 consensuses list method ranges; ignore them.
                if base64_decode_into(item.args.split_ascii_whitespace().next().unwrap_or(""), &mut d) == Some(32) {
                    r.md_digest = Some(d);
                }
            }
        }
    }
    r.bandwidth = bandwidth(p.w);
    Some(r)
}

/// Memo state of one parse: the slot being read and the one being written.
struct MemoUse<'m> {
    memo: &'m mut ConsensusMemo,
    old: Option<(usize, MemoSlot)>,
    new: MemoSlot,
    cursor: usize,
}

impl MemoUse<'_> {
    fn finish_entry(&mut self, p: &Pending<'_>, flavour: Flavour, errors: &mut Vec<DocError>) -> Option<RouterStatus> {
        let (_, old) = self.old.get_or_insert_with(|| {
            let slot = usize::from(flavour == Flavour::Microdesc);
            (slot, self.memo.slots.get_mut(slot).map(std::mem::take).unwrap_or_default())
        });
        if self.new.entries.is_empty() {
            // Sized like the last one: no growing and copying while reading.
            self.new.lines.reserve(old.lines.len() + old.lines.len() / 8);
            self.new.entries.reserve(old.entries.len() + old.entries.len() / 8);
        }
        let start = self.new.lines.len();
        self.new.lines.push_str(p.r.args);
        for item in &p.items {
            self.new.lines.push('\n');
            self.new.lines.push_str(item.kw);
            self.new.lines.push(' ');
            self.new.lines.push_str(item.args);
        }
        let end = self.new.lines.len();
        let lines = self.new.lines.get(start..end).unwrap_or_default();
        let id = p.r.args.split_ascii_whitespace().nth(1).and_then(Fingerprint::from_base64);
        if let Some(fp) = id {
            if let Some(i) = old.find(fp, lines, &mut self.cursor) {
                if let Some(mut st) = old.entries.get_mut(i).and_then(|e| e.3.take()) {
                    st.bandwidth = bandwidth(p.w);
                    self.new.entries.push((fp, start, end, Some(st.clone())));
                    return Some(st);
                }
            }
        }
        let before = errors.len();
        let r = parse_entry(p, errors);
        match &r {
            Some(st) if errors.len() == before => self.new.entries.push((st.fingerprint, start, end, Some(st.clone()))),
            _ => self.new.lines.truncate(start),
        }
        r
    }

    fn done(self) {
        if let Some((slot, _)) = self.old {
            if let Some(s) = self.memo.slots.get_mut(slot) {
                *s = self.new;
            }
        }
    }
}

/// The header lines of a consensus, as read so far.
struct Header {
    flavour: Flavour,
    method: Option<u32>,
    valid_after: Option<i64>,
    fresh_until: Option<i64>,
    valid_until: Option<i64>,
    seen_version: bool,
}

impl Default for Header {
    fn default() -> Header {
        Header {
            flavour: Flavour::Ns,
            method: None,
            valid_after: None,
            fresh_until: None,
            valid_until: None,
            seen_version: false,
        }
    }
}

impl Header {
    fn finish(self, relays: Vec<RouterStatus>, errors: Vec<DocError>) -> Result<Consensus, DocError> {
        if !self.seen_version {
            return Err(DocError::new(1, "no network-status-version line: not a consensus"));
        }
        let valid_after = self.valid_after.ok_or_else(|| DocError::new(1, "no valid `valid-after` line"))?;
        let Header { flavour, method, fresh_until, valid_until, .. } = self;
        Ok(Consensus { flavour, method, valid_after, fresh_until, valid_until, relays, errors })
    }
}

/// A line outside the router entries: the header's, or one read past.
fn header_item(head: &mut Header, item: &Item<'_>, errors: &mut Vec<DocError>) -> Result<(), DocError> {
    match item.kw {
        "network-status-version" => {
            head.seen_version = true;
            let mut w = item.args.split_ascii_whitespace();
            if w.next() != Some("3") {
                return Err(DocError::new(item.line, format!("unsupported network-status-version {:?}", item.args)));
            }
            if w.next() == Some("microdesc") {
                head.flavour = Flavour::Microdesc;
            }
        }
        "vote-status" if item.args != "consensus" => {
            return Err(DocError::new(item.line, format!("a {:?}, not a consensus", item.args)));
        }
        "consensus-method" => head.method = item.args.parse().ok(),
        "valid-after" | "fresh-until" | "valid-until" => {
            let t = parse_words(&mut item.args.split_ascii_whitespace());
            if t.is_none() {
                errors.push(DocError::new(item.line, format!("bad time in `{}`", item.kw)));
            }
            match item.kw {
                "valid-after" => head.valid_after = t,
                "fresh-until" => head.fresh_until = t,
                _ => head.valid_until = t,
            }
        }
        _ => {}
    }
    Ok(())
}

/// Parses a consensus. Fails only when the header lacks `valid-after`, or
/// for a vote; bad entries are skipped with an error each.
pub fn parse_consensus(text: &str) -> Result<Consensus, DocError> {
    let mut items = Items::new(text);
    let mut head = Header::default();
    let mut relays: Vec<RouterStatus> = Vec::with_capacity(text.len() / 300);
    let mut errors = Vec::new();
    let mut current: Option<RouterStatus> = None;
    let mut skipping = false;
    for item in items.by_ref() {
        match item.kw {
            "r" => {
                relays.extend(current.take());
                match parse_r(item.args, item.line) {
                    Ok(r) => {
                        current = Some(r);
                        skipping = false;
                    }
                    Err(e) => {
                        errors.push(e);
                        skipping = true;
                    }
                }
            }
            "a" | "s" | "w" | "p" | "m" => {
                let Some(r) = current.as_mut() else {
                    if !skipping {
                        errors.push(DocError::new(item.line, format!("`{}` line outside a router entry", item.kw)));
                    }
                    continue;
                };
                match item.kw {
                    "a" => match parse_or_address(item.args) {
                        Some(a) => r.or_addresses.push(a),
                        None => errors.push(DocError::new(item.line, format!("bad `a` address {:?}", item.args))),
                    },
                    "s" => r.flags = Flags::parse(item.args),
                    "w" => {
                        r.bandwidth = item
                            .args
                            .split_ascii_whitespace()
                            .find_map(|kv| kv.strip_prefix("Bandwidth="))
                            .and_then(|v| v.parse().ok());
                    }
                    "p" => match PortSummary::parse(item.args) {
                        Ok(p) => r.policy = Some(p),
                        Err(e) => {
                            errors.push(DocError::new(item.line, format!("bad `p` line: {e}; entry skipped")));
                            current = None;
                            skipping = true;
                        }
                    },
                    _ => {
                        let mut d = [0u8; 32];
                        // Old votes and method ≤ 13 consensuses list method ranges; ignore them.
                        if base64_decode_into(item.args.split_ascii_whitespace().next().unwrap_or(""), &mut d)
                            == Some(32)
                        {
                            r.md_digest = Some(d);
                        }
                    }
                }
            }
            "directory-footer" | "directory-signature" => {
                relays.extend(current.take());
                skipping = true;
            }
            _ => header_item(&mut head, &item, &mut errors)?,
        }
    }
    relays.extend(current.take());
    errors.extend(items.finish());
    head.finish(relays, errors)
}

/// `parse_consensus`, reusing what `memo` remembers of the previous
/// consensus of the same flavour (the result is the same). Entries are
/// parsed at their end, when their lines are known.
pub fn parse_consensus_with(text: &str, memo: &mut ConsensusMemo) -> Result<Consensus, DocError> {
    let mut memo = MemoUse { memo, old: None, new: MemoSlot::default(), cursor: 0 };
    let mut items = Items::new(text);
    let mut head = Header::default();
    let mut relays: Vec<RouterStatus> = Vec::with_capacity(text.len() / 300);
    let mut errors = Vec::new();
    let mut current: Option<Pending<'_>> = None;
    // Spare item vectors, so that entries do not allocate.
    let mut spare: Vec<Item<'_>> = Vec::new();
    let mut footer = false;
    // Parses (or finds) an entry at its end; returns its item vector for reuse.
    fn finish<'a>(
        memo: &mut MemoUse<'_>,
        p: Pending<'a>,
        flavour: Flavour,
        errors: &mut Vec<DocError>,
        relays: &mut Vec<RouterStatus>,
    ) -> Vec<Item<'a>> {
        let r = memo.finish_entry(&p, flavour, errors);
        relays.extend(r);
        p.items
    }
    for item in items.by_ref() {
        match item.kw {
            "r" => {
                if let Some(p) = current.take() {
                    spare = finish(&mut memo, p, head.flavour, &mut errors, &mut relays);
                }
                spare.clear();
                current = Some(Pending { r: item, items: std::mem::take(&mut spare), w: None });
            }
            "a" | "s" | "w" | "p" | "m" => match current.as_mut() {
                Some(p) if item.kw == "w" => p.w = Some(item.args),
                Some(p) => p.items.push(item),
                None => {
                    // Before the first entry (after the footer: quietly).
                    if !footer {
                        errors.push(DocError::new(item.line, format!("`{}` line outside a router entry", item.kw)));
                    }
                }
            },
            "directory-footer" | "directory-signature" => {
                if let Some(p) = current.take() {
                    spare = finish(&mut memo, p, head.flavour, &mut errors, &mut relays);
                }
                footer = true;
            }
            _ => header_item(&mut head, &item, &mut errors)?,
        }
    }
    if let Some(p) = current.take() {
        finish(&mut memo, p, head.flavour, &mut errors, &mut relays);
    }
    memo.done();
    // Entries are parsed at their end: back to line order.
    errors.sort_by_key(|e| e.line);
    errors.extend(items.finish());
    head.finish(relays, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn same(a: &Consensus, b: &Consensus) {
        assert_eq!(
            (a.flavour, a.method, a.valid_after, a.fresh_until, a.valid_until),
            (b.flavour, b.method, b.valid_after, b.fresh_until, b.valid_until)
        );
        assert_eq!(a.relays, b.relays);
        assert_eq!(a.errors, b.errors);
    }

    #[test]
    fn memo_parses_the_same() {
        const A: &str = "AAoQ1DAR6kkoo19hBAX5K0QztNw";
        const B: &str = "ABElTMhEQ2myDvERVriZBDgiGlQ";
        let head = "network-status-version 3\nvote-status consensus\nvalid-after 2026-11-20 10:00:00\n";
        let docs = [
            format!(
                "{head}r a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\na [2001:db8::1]:443\ns Exit Running\nw Bandwidth=10\np accept 80,443\nr b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running\np reject 1-65535\ndirectory-footer\n"
            ),
            // Same entries, new bandwidth; then a changed policy, a bad `a` line.
            format!(
                "{head}r a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\na [2001:db8::1]:443\ns Exit Running\nw Bandwidth=20\np accept 80,443\nr b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running\np reject 1-65535\ndirectory-footer\n"
            ),
            format!(
                "{head}s Stray\nr a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\na nowhere\ns Exit Running\np accept 80\nvalid-until 2026-99-20 10:00:00\nr b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running\np reject 1-65535\n"
            ),
            format!(
                "{head}r a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\na nowhere\ns Exit Running\np accept 80\nr b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running\np maybe 1-65535\nw Bandwidth=5\nr bad {B}\ns Running\ndirectory-footer\np accept 1\n"
            ),
            format!(
                "{head}r b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running\np reject 1-65535\nr a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\na [2001:db8::1]:443\ns Exit Running\np accept 80,443\n"
            ),
        ];
        let mut memo = ConsensusMemo::default();
        for round in 0..2 {
            for d in &docs {
                let plain = parse_consensus(d);
                let with = parse_consensus_with(d, &mut memo);
                match (plain, with) {
                    (Ok(a), Ok(b)) => same(&a, &b),
                    (a, b) => panic!("round {round}: {:?} vs {:?}", a.err(), b.err()),
                }
            }
        }
        // Real consensuses, one after another, both flavours.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/tor");
        for f in [
            "consensus/2020-12-05-18-00-00-consensus",
            "consensus-microdesc/2020-12-05-19-00-00-consensus-microdesc",
            "consensus/2022-11-19-10-00-00-consensus",
            "consensus-microdesc/2022-11-19-10-00-00-consensus-microdesc",
            "consensus/2022-11-19-10-00-00-consensus",
            "consensus-microdesc/2026-03-15-05-00-00-consensus-microdesc",
            "consensus-microdesc/2022-11-19-10-00-00-consensus-microdesc",
        ] {
            let Ok(bytes) = std::fs::read(dir.join(f)) else { continue };
            let text = String::from_utf8_lossy(&bytes);
            match (parse_consensus(&text), parse_consensus_with(&text, &mut memo)) {
                (Ok(a), Ok(b)) => same(&a, &b),
                (a, b) => panic!("{f}: {:?} vs {:?}", a.err(), b.err()),
            }
        }
    }
}
