//! Network-status consensuses, both flavours (dir-spec §3.4.1, §3.9): the
//! header times and, per relay, the `r`, `a`, `s`, `w`, `p` and `m` lines.
//! Everything else (votes' digests, `v`, `pr`, signatures) is read past.
//! `parse_consensus_with` (the import's) keeps the previous consensus's
//! text and reuses its status for an entry whose bytes repeat (stepping
//! over them unread); other entries are read to their end, then parsed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use serde::Serialize;

use crate::fingerprint::base64_decode_into;
use crate::meta::{Item, Items, Problems};
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

/// One router status entry: what the entry says that repeats hour after
/// hour (`RouterEntry`, shared) and the hour's consensus weight.
///
/// Hourly consensuses repeat most entries byte for byte, so an import
/// shares one `RouterEntry` between the hours that list it: cloning a
/// status is one reference count, not a copy of its nickname, addresses
/// and policy summary. Reading goes through `Deref` (`status.nickname`);
/// writing through `DerefMut` copies a shared entry first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouterStatus {
    /// The entry's lines but `w`.
    pub entry: Arc<RouterEntry>,
    /// Consensus weight (`w Bandwidth=`).
    pub bandwidth: Option<u32>,
}

/// A relay nickname. Tor's are 1–19 characters, so this keeps up to 23
/// bytes inline (parsing an entry allocates nothing for it) and longer
/// ones on the heap. Reads as a `str`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nickname(Nick);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Nick {
    /// Length and bytes (zero after the length).
    Inline(u8, [u8; 23]),
    Heap(Box<str>),
}

impl Nickname {
    /// The nickname's bytes (no UTF-8 check).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Nick::Inline(n, b) => b.get(..usize::from(*n)).unwrap_or_default(),
            Nick::Heap(s) => s.as_bytes(),
        }
    }

    /// The nickname.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Built from a `str`, cut at its length: always valid.
            Nick::Inline(..) => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Nick::Heap(s) => s,
        }
    }
}

impl From<&str> for Nickname {
    fn from(s: &str) -> Nickname {
        let mut b = [0u8; 23];
        match b.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                Nickname(Nick::Inline(s.len() as u8, b))
            }
            None => Nickname(Nick::Heap(s.into())),
        }
    }
}

impl std::ops::Deref for Nickname {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Nickname {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Nickname {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl std::fmt::Display for Nickname {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Nickname {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Nickname {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The `r`, `a`, `s`, `p` and `m` lines of a router status entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouterEntry {
    /// Nickname.
    pub nickname: Nickname,
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
    /// IPv4 exit-policy summary (`p`, ns flavour only).
    pub policy: Option<PortSummary>,
    /// SHA-256 of the microdescriptor (`m`, microdesc flavour only).
    pub md_digest: Option<[u8; 32]>,
}

impl RouterStatus {
    /// A status of `entry` with weight `bandwidth`.
    pub fn new(entry: RouterEntry, bandwidth: Option<u32>) -> RouterStatus {
        RouterStatus { entry: Arc::new(entry), bandwidth }
    }
}

impl std::ops::Deref for RouterStatus {
    type Target = RouterEntry;
    fn deref(&self) -> &RouterEntry {
        &self.entry
    }
}

impl std::ops::DerefMut for RouterStatus {
    fn deref_mut(&mut self) -> &mut RouterEntry {
        Arc::make_mut(&mut self.entry)
    }
}

impl Serialize for RouterStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let e = &*self.entry;
        let mut st = s.serialize_struct("RouterStatus", 10)?;
        st.serialize_field("nickname", &e.nickname)?;
        st.serialize_field("fingerprint", &e.fingerprint)?;
        st.serialize_field("published", &e.published)?;
        st.serialize_field("address", &e.address)?;
        st.serialize_field("or_port", &e.or_port)?;
        st.serialize_field("or_addresses", &e.or_addresses)?;
        st.serialize_field("flags", &e.flags)?;
        st.serialize_field("bandwidth", &self.bandwidth)?;
        st.serialize_field("policy", &e.policy)?;
        st.serialize_field("md_digest", &e.md_digest)?;
        st.end()
    }
}

impl RouterEntry {
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

fn parse_r(args: &str, line: usize) -> Result<RouterEntry, DocError> {
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
    Ok(RouterEntry {
        nickname: Nickname::from(nick),
        fingerprint,
        published,
        address,
        or_port,
        or_addresses: Vec::new(),
        flags: Flags::default(),
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
/// entry whose bytes (from its `r` line to the next, its `w` line left out)
/// are the same as before parses to the same status; only `w` is read
/// again. The memo keeps the previous document's text and compares the
/// entries' bytes in place. Entries that had problems, or held anything
/// but `r`, `a`, `s`, `v`, `pr`, `w`, `p` and `m` lines, are not remembered.
#[derive(Debug, Default)]
pub struct ConsensusMemo {
    slots: [MemoSlot; 2],
    /// Entries reused so far.
    reused: u64,
}

#[derive(Debug, Default)]
struct MemoSlot {
    /// The consensus the entries are from.
    text: String,
    /// Its remembered entries, in document order.
    entries: Vec<MemoEntry>,
}

#[derive(Debug)]
struct MemoEntry {
    fingerprint: Fingerprint,
    /// Where the entry's bytes are in `MemoSlot::text`.
    chunk: Chunk,
    /// Lines of the entry, its `w` line not counted.
    lines: usize,
    /// Its entry (taken when reused).
    entry: Option<Arc<RouterEntry>>,
}

/// An entry's bytes: from its `r` line to the next line that starts with
/// `r ` (or the end), and where in them its first `w ` line is.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    start: usize,
    /// The `w` line, `w..w_end` (empty when there is none).
    w: usize,
    w_end: usize,
    end: usize,
}

impl Chunk {
    /// The chunk of the entry whose `r` line starts at `start` and ends
    /// (newline included) at `r_end`.
    fn at(text: &str, start: usize, r_end: usize, finders: &Finders) -> Chunk {
        let bytes = text.as_bytes();
        // From the `r` line's own newline, so that the next line can match.
        let from = r_end.saturating_sub(1).max(start);
        let end = bytes.get(from..).and_then(|rest| finders.r.find(rest)).map_or(bytes.len(), |i| from + i + 1);
        let body = bytes.get(from..end).unwrap_or_default();
        match finders.w.find(body) {
            Some(i) => {
                let w = from + i + 1;
                let w_end = bytes.get(w..end).and_then(|line| memchr::memchr(b'\n', line)).map_or(end, |j| w + j + 1);
                Chunk { start, w, w_end, end }
            }
            None => Chunk { start, w: end, w_end: end, end },
        }
    }

    fn has_w(&self) -> bool {
        self.w < self.w_end
    }

    /// The `w` line's arguments, as the item reader trims them.
    fn w_args<'a>(&self, text: &'a str) -> Option<&'a str> {
        self.has_w().then(|| text.get(self.w + 1..self.w_end).unwrap_or_default().trim())
    }

    /// The same bytes, `w` line left out, as `o` in `old`.
    fn same(&self, text: &str, o: &Chunk, old: &str) -> bool {
        let (t, old) = (text.as_bytes(), old.as_bytes());
        t.get(self.start..self.w) == old.get(o.start..o.w) && t.get(self.w_end..self.end) == old.get(o.w_end..o.end)
    }
}

/// The searches for entry boundaries, built once per document.
struct Finders {
    r: memchr::memmem::Finder<'static>,
    w: memchr::memmem::Finder<'static>,
}

impl MemoSlot {
    /// The remembered entry with the same bytes as `c`, if any. `cursor` is
    /// where the next one is expected (entries come by identity); else the
    /// identity is read from the `r` line and searched for.
    fn find(&self, text: &str, c: &Chunk, r_args: &str, cursor: &mut usize) -> Option<usize> {
        if let Some(e) = self.entries.get(*cursor) {
            if c.same(text, &e.chunk, &self.text) {
                *cursor += 1;
                return Some(*cursor - 1);
            }
        }
        let fp = r_args.split_ascii_whitespace().nth(1).and_then(Fingerprint::from_base64)?;
        let at = self.entries.partition_point(|e| e.fingerprint < fp);
        let e = self.entries.get(at)?;
        if e.fingerprint != fp {
            return None;
        }
        *cursor = at + 1;
        c.same(text, &e.chunk, &self.text).then_some(at)
    }
}

/// A router entry read up to its end: parsed then, or found in the memo.
struct Pending<'a> {
    r: Item<'a>,
    /// `a`, `s`, `p`, `m` items in order.
    items: Vec<Item<'a>>,
    /// The last `w` line's arguments.
    w: Option<&'a str>,
    /// The entry's bytes, and whether it may be remembered so far (only
    /// entry lines, no object, at most one `w` line and the one `Chunk`
    /// found).
    chunk: Chunk,
    clean: bool,
    w_lines: usize,
    /// Item errors and objects when the entry began.
    marks: (usize, usize),
}

fn bandwidth(w: Option<&str>) -> Option<u32> {
    w?.split_ascii_whitespace().find_map(|kv| kv.strip_prefix("Bandwidth=")).and_then(|v| v.parse().ok())
}

/// Parses an entry's lines as read (line by line, in order).
fn parse_entry(p: &Pending<'_>, errors: &mut Problems) -> Option<RouterStatus> {
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
    Some(RouterStatus::new(r, bandwidth(p.w)))
}

/// Memo state of one parse: the slot being read and the one being written.
struct MemoUse<'m> {
    memo: &'m mut ConsensusMemo,
    old: Option<(usize, MemoSlot)>,
    new: MemoSlot,
    cursor: usize,
    finders: Finders,
}

impl MemoUse<'_> {
    fn new(memo: &mut ConsensusMemo) -> MemoUse<'_> {
        let finders = Finders { r: memchr::memmem::Finder::new(b"\nr "), w: memchr::memmem::Finder::new(b"\nw ") };
        MemoUse { memo, old: None, new: MemoSlot::default(), cursor: 0, finders }
    }

    fn old(&mut self, flavour: Flavour) -> &mut MemoSlot {
        let (_, old) = self.old.get_or_insert_with(|| {
            let slot = usize::from(flavour == Flavour::Microdesc);
            (slot, self.memo.slots.get_mut(slot).map(std::mem::take).unwrap_or_default())
        });
        if self.new.entries.is_empty() {
            // Sized like the last one: no growing and copying while reading.
            self.new.entries.reserve(old.entries.len() + old.entries.len() / 8);
        }
        old
    }

    /// At an `r` line (`r_end`: just after it): the entry's status when its
    /// bytes are remembered, with the entry's chunk and line count; else
    /// the chunk, for `finish_entry`.
    fn start_entry(
        &mut self,
        text: &str,
        r: &Item<'_>,
        r_end: usize,
        flavour: Flavour,
    ) -> Result<(RouterStatus, Chunk, usize), Chunk> {
        // Entries are found by their `r ` at the start of a line; any other
        // `r` line (indented, `opt r`, a tab, no arguments) is not
        // remembered, and its chunk is not searched for: the search would
        // run to the next `r ` line, over and over (quadratic time).
        if !text.get(r.offset..).is_some_and(|t| t.starts_with("r ")) {
            let at = r.offset;
            return Err(Chunk { start: at, w: at, w_end: at, end: at });
        }
        let c = Chunk::at(text, r.offset, r_end, &self.finders);
        let mut cursor = self.cursor;
        let old = self.old(flavour);
        let Some(i) = old.find(text, &c, r.args, &mut cursor) else {
            self.cursor = cursor;
            return Err(c);
        };
        let Some(e) = old.entries.get_mut(i) else { return Err(c) };
        let Some(entry) = e.entry.take() else {
            self.cursor = cursor;
            return Err(c);
        };
        let (fingerprint, lines) = (e.fingerprint, e.lines);
        self.cursor = cursor;
        let out = RouterStatus { entry: Arc::clone(&entry), bandwidth: bandwidth(c.w_args(text)) };
        self.memo.reused += 1;
        self.new.entries.push(MemoEntry { fingerprint, chunk: c, lines, entry: Some(entry) });
        Ok((out, c, lines + usize::from(c.has_w())))
    }

    /// Parses an entry read to its end (`end`: where the line that ended it
    /// starts, after `lines` lines of it) and remembers it when it is clean.
    fn finish_entry(
        &mut self,
        p: &Pending<'_>,
        end: usize,
        lines: usize,
        marks: (usize, usize),
        errors: &mut Problems,
    ) -> Option<RouterStatus> {
        let before = errors.len();
        let r = parse_entry(p, errors);
        if let Some(st) = &r {
            let c = p.chunk;
            let w_ok = match p.w_lines {
                0 => !c.has_w(),
                1 => c.has_w(),
                _ => false,
            };
            if p.clean && w_ok && c.end == end && errors.len() == before && marks == p.marks {
                self.new.entries.push(MemoEntry {
                    fingerprint: st.fingerprint,
                    chunk: c,
                    lines: lines - p.w_lines,
                    entry: Some(Arc::clone(&st.entry)),
                });
            }
        }
        r
    }

    /// Keeps this document's entries (and a copy of its text) for the next.
    fn done(self, text: &str) {
        if let Some((slot, old)) = self.old {
            let mut new = self.new;
            new.text = old.text;
            new.text.clear();
            new.text.push_str(text);
            if let Some(s) = self.memo.slots.get_mut(slot) {
                *s = new;
            }
        }
    }

    /// `done`, keeping `text` itself; returns the text it no longer needs
    /// (the previous document's, or `text` when nothing was remembered).
    fn keep(self, text: String) -> String {
        let Some((slot, old)) = self.old else { return text };
        let mut new = self.new;
        new.text = text;
        if let Some(s) = self.memo.slots.get_mut(slot) {
            *s = new;
        }
        old.text
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
    fn finish(self, relays: Vec<RouterStatus>, errors: Problems) -> Result<Consensus, DocError> {
        if !self.seen_version {
            return Err(DocError::new(1, "no network-status-version line: not a consensus"));
        }
        let valid_after = self.valid_after.ok_or_else(|| DocError::new(1, "no valid `valid-after` line"))?;
        let Header { flavour, method, fresh_until, valid_until, .. } = self;
        Ok(Consensus { flavour, method, valid_after, fresh_until, valid_until, relays, errors: errors.into_vec() })
    }
}

/// A line outside the router entries: the header's, or one read past.
fn header_item(head: &mut Header, item: &Item<'_>, errors: &mut Problems) -> Result<(), DocError> {
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
    let mut errors = Problems::default();
    // The entry being read and its weight.
    let mut current: Option<RouterEntry> = None;
    let mut weight: Option<u32> = None;
    let mut skipping = false;
    for item in items.by_ref() {
        match item.kw {
            "r" => {
                relays.extend(current.take().map(|e| RouterStatus::new(e, weight)));
                match parse_r(item.args, item.line) {
                    Ok(r) => {
                        current = Some(r);
                        weight = None;
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
                        weight = item
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
                relays.extend(current.take().map(|e| RouterStatus::new(e, weight)));
                skipping = true;
            }
            _ => header_item(&mut head, &item, &mut errors)?,
        }
    }
    relays.extend(current.take().map(|e| RouterStatus::new(e, weight)));
    errors.extend(items.finish());
    head.finish(relays, errors)
}

/// `parse_consensus`, reusing what `memo` remembers of the previous
/// consensus of the same flavour (the result is the same). Entries are
/// parsed at their end, when their lines are known; an entry whose bytes
/// the memo has is stepped over.
pub fn parse_consensus_with(text: &str, memo: &mut ConsensusMemo) -> Result<Consensus, DocError> {
    let mut memo = MemoUse::new(memo);
    let c = read_with(text, &mut memo);
    memo.done(text);
    c
}

/// `parse_consensus_with` on a text the memo may keep (no copy): returns
/// the consensus and a text the caller can reuse as a buffer (the previous
/// consensus's, or this one's when the memo did not keep it).
pub fn parse_consensus_kept(text: String, memo: &mut ConsensusMemo) -> (Result<Consensus, DocError>, String) {
    let mut memo = MemoUse::new(memo);
    let c = read_with(&text, &mut memo);
    (c, memo.keep(text))
}

/// The body of `parse_consensus_with`; the caller tells the memo to keep
/// the text.
fn read_with(text: &str, memo: &mut MemoUse<'_>) -> Result<Consensus, DocError> {
    let mut items = Items::new(text);
    let mut head = Header::default();
    let mut relays: Vec<RouterStatus> = Vec::with_capacity(text.len() / 300);
    let mut errors = Problems::default();
    let mut current: Option<Pending<'_>> = None;
    // Spare item vectors, so that entries do not allocate.
    let mut spare: Vec<Item<'_>> = Vec::new();
    let mut footer = false;
    // Parses an entry at its end (`at`: the line that ended it, or `None`
    // at the end of the text); returns its item vector for reuse.
    fn finish<'a>(
        memo: &mut MemoUse<'_>,
        p: Pending<'a>,
        at: Option<&Item<'_>>,
        items: &Items<'_>,
        errors: &mut Problems,
        relays: &mut Vec<RouterStatus>,
    ) -> Vec<Item<'a>> {
        let (end, lines) = match at {
            Some(i) => (i.offset, i.line - p.r.line),
            None => (items.pos(), items.line() + 1 - p.r.line),
        };
        let marks = (items.errors.len(), items.objects());
        let r = memo.finish_entry(&p, end, lines, marks, errors);
        relays.extend(r);
        p.items
    }
    while let Some(item) = items.next() {
        match item.kw {
            "r" => {
                if let Some(p) = current.take() {
                    spare = finish(memo, p, Some(&item), &items, &mut errors, &mut relays);
                }
                match memo.start_entry(text, &item, items.pos(), head.flavour) {
                    Ok((st, c, lines)) => {
                        relays.push(st);
                        items.skip_to(c.end, lines.saturating_sub(1));
                    }
                    Err(c) => {
                        spare.clear();
                        current = Some(Pending {
                            r: item,
                            items: std::mem::take(&mut spare),
                            w: None,
                            chunk: c,
                            clean: true,
                            w_lines: 0,
                            marks: (items.errors.len(), items.objects()),
                        });
                    }
                }
            }
            "a" | "s" | "w" | "p" | "m" => match current.as_mut() {
                Some(p) if item.kw == "w" => {
                    p.w = Some(item.args);
                    p.w_lines += 1;
                }
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
                    spare = finish(memo, p, Some(&item), &items, &mut errors, &mut relays);
                }
                footer = true;
            }
            kw => {
                if let Some(p) = current.as_mut() {
                    p.clean &= matches!(kw, "v" | "pr");
                }
                header_item(&mut head, &item, &mut errors)?;
            }
        }
    }
    if let Some(p) = current.take() {
        finish(memo, p, None, &items, &mut errors, &mut relays);
    }
    // Entries are parsed at their end: back to line order.
    errors.sort_by_line();
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
    fn nicknames_read_as_written() {
        for n in ["a", "Unnamed", "nineteenCharacters1", "twentyfourCharactersLong", "x".repeat(300).as_str(), ""] {
            let k = Nickname::from(n);
            assert_eq!(k.as_str(), n);
            assert_eq!(k.as_bytes(), n.as_bytes());
            assert_eq!(k.to_string(), n);
            assert!(k == n);
            assert_eq!(k, Nickname::from(n));
            assert_eq!(serde_json::to_string(&k).ok(), serde_json::to_string(n).ok());
        }
        assert_ne!(Nickname::from("ab"), Nickname::from("abc"));
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
        // The same with the memo keeping the texts.
        let mut kept = ConsensusMemo::default();
        let mut reused = Vec::new();
        for round in 0..2 {
            for d in &docs {
                let plain = parse_consensus(d);
                let with = parse_consensus_with(d, &mut memo);
                let (k, _) = parse_consensus_kept(d.clone(), &mut kept);
                match (plain, with, k) {
                    (Ok(a), Ok(b), Ok(k)) => {
                        same(&a, &b);
                        same(&a, &k);
                    }
                    (a, b, k) => panic!("round {round}: {:?} vs {:?} vs {:?}", a.err(), b.err(), k.err()),
                }
                reused.push(memo.reused);
            }
        }
        // Reused: entry `a` of doc 2 (doc 1's), and again in round 2. Not
        // reused: an entry ended by the footer (its bytes run on), entries
        // with problems, and `a` of doc 1 after doc 5 (a `w` line added).
        assert_eq!(reused, [0, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
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
            match (parse_consensus(&text), parse_consensus_kept(text.to_string(), &mut kept).0) {
                (Ok(a), Ok(k)) => same(&a, &k),
                (a, k) => panic!("{f}: {:?} vs {:?}", a.err(), k.err()),
            }
        }
        assert_eq!(kept.reused, memo.reused);
        // The repeated 2022-11-19 ns consensus is reused whole but its last entry.
        if dir.exists() {
            assert!(memo.reused > 2 + 6000, "{}", memo.reused);
        }
    }

    /// `r` lines other than `r ` at the start of a line (no arguments, a
    /// tab, indented, `opt r`) parse as without the memo, and each is not
    /// searched to the next `r ` line: 200,000 of them before one real
    /// entry once took time quadratic in their number.
    #[test]
    fn odd_r_lines_parse_the_same_and_are_not_remembered() {
        const A: &str = "AAoQ1DAR6kkoo19hBAX5K0QztNw";
        const B: &str = "ABElTMhEQ2myDvERVriZBDgiGlQ";
        let head = "network-status-version 3\nvote-status consensus\nvalid-after 2026-11-20 10:00:00\n";
        let entries = format!(
            "r a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\ns Exit Running\np accept 80\nr b {B} 2038-01-01 00:00:00 192.0.2.2 443 0\ns Running\n"
        );
        let odd = format!(
            "{head}r\n\tr a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\n r a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\nopt r a {A} 2038-01-01 00:00:00 192.0.2.1 443 0\n{}{entries}directory-footer\n",
            "r\n".repeat(200_000)
        );
        let mut memo = ConsensusMemo::default();
        for _ in 0..2 {
            let plain = parse_consensus(&odd);
            let with = parse_consensus_with(&odd, &mut memo);
            match (plain, with) {
                (Ok(a), Ok(b)) => same(&a, &b),
                (a, b) => panic!("{:?} vs {:?}", a.err(), b.err()),
            }
        }
        // Only `a` (ended by `b`) the second time: odd entries are never remembered.
        assert_eq!(memo.reused, 1);
    }
}
