//! The networks a complaint attributes its accused addresses to, and the
//! abuse desks of several organisations it was sent to at once: a report
//! sent to many networks names addresses that are not all one operator's,
//! and a reply answers only for its own (see `exitdesk_model::Network`).
//!
//! Read by format, each used by several senders, never by one sample's
//! wording:
//!
//! - **"announced by"**: `192.0.2.7 is announced by NAME, CC (64500)` or
//!   `… announced by AS64500 NAME`, on the address's line or on the line
//!   after it (a line that names no address itself).
//! - **An AS number beside the address**: a line naming exactly one
//!   address, an accused one, and one AS number (`AS64500`, `ASN: 64500`,
//!   `(AS64500)`): `192.0.2.7 AS64500 EXAMPLE-NET`, `-> 192.0.2.7 -> AS64500
//!   Example`, `IP: 192.0.2.7 | ASN: 64500`.
//! - **Tables**: a header row with an address column (`ip`, `source_ip`,
//!   …) and an AS column (`asn`, `as`, `origin_as`, …), and optionally a
//!   name column (`as name`, `netname`, …), separated by `,` `;` `|` or tabs
//!   (CSV feeds' `"asn","ip",…`, Team Cymru's `AS | IP | AS Name`); the rows
//!   below it, up to a blank line.
//! - **Records**: a block of `key: value` lines with an AS key (`ASN`,
//!   `origin`, `OriginAS`) or a name key (`AS name`, `netname`) and either
//!   exactly one accused address, or (whois objects) a range
//!   (`inetnum`, `inet6num`, `route`, `route6`, `NetRange`, `CIDR`) that
//!   holds accused addresses.
//!
//! An AS number said of the victim ("our AS64500", a `dst`/`target` key)
//! is no claim. Names are complaint content: one bounded line.
//!
//! Abuse desks: the abuse-type mailboxes (`abuse@`, `security@`, `cert@`,
//! `noc@`, `phishing@`…) of the message's `To:` and `Cc:`, or of those of a
//! pasted or enclosed original, or (under a salutation to "abuse teams" or
//! "all") listed in the text; by registrable domain, the sender's own left
//! out; kept when there are [`SEVERAL_DESKS`] or more.

use std::net::IpAddr;

use exitdesk_model::{NetworkClaim, SEVERAL_DESKS, one_line};

use crate::ip::IpFinder;
use crate::received::registrable;
use crate::text::{Line, Region};

/// At most this many claims are kept.
const MAX_CLAIMS: usize = 64;
/// Longest network name kept.
const MAX_NAME: usize = 60;
/// Longest line read for an AS number beside an address.
const MAX_LINE: usize = 300;
/// Most lines of one `key: value` record.
const MAX_RECORD: usize = 60;

/// One claim, the line it was read on and the rule that read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) claim: NetworkClaim,
    pub(crate) line: usize,
    pub(crate) rule: &'static str,
}

/// The network claims of `accused` addresses, first finding first.
pub(crate) fn read(ips: &IpFinder, lines: &[Line], accused: &[IpAddr]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    if accused.is_empty() {
        return out;
    }
    let mut add = |ip: IpAddr, asn: Option<u32>, name: Option<String>, line: usize, rule: &'static str| {
        if out.len() >= MAX_CLAIMS || (asn.is_none() && name.is_none()) || !accused.contains(&ip) {
            return;
        }
        let claim = NetworkClaim { ip, asn, name };
        if !out.iter().any(|f| f.claim == claim) {
            out.push(Found { claim, line, rule });
        }
    };
    let mut used = vec![false; lines.len()];
    announced(ips, lines, &mut add, &mut used);
    tables(ips, lines, &mut add, &mut used);
    records(ips, lines, accused, &mut add, &mut used);
    beside(ips, lines, &mut add, &used);
    out
}

fn readable(l: &Line) -> bool {
    matches!(l.region, Region::Prose | Region::Whois)
}

/// The distinct addresses a text names.
fn distinct(ips: &IpFinder, text: &str) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Vec::new();
    for m in ips.mentions(text) {
        if !out.contains(&m.ip) {
            out.push(m.ip);
        }
    }
    out
}

type Add<'a> = dyn FnMut(IpAddr, Option<u32>, Option<String>, usize, &'static str) + 'a;

/// `… is announced by NAME (ASN)` after the address, on its line or the next.
fn announced(ips: &IpFinder, lines: &[Line], add: &mut Add<'_>, used: &mut [bool]) {
    const CUE: &str = "announced by";
    for (i, l) in lines.iter().enumerate().filter(|(_, l)| readable(l)) {
        let lower = l.text.to_ascii_lowercase();
        let Some(at) = lower.find(CUE) else { continue };
        let here = distinct(ips, &l.text[..at]);
        let ip = match here.as_slice() {
            [one] => Some(*one),
            [] if distinct(ips, &l.text[at..]).is_empty() => {
                // The address on the line before (the nearest one with text).
                lines[..i]
                    .iter()
                    .rev()
                    .take(3)
                    .find(|p| !p.text.trim().is_empty())
                    .filter(|p| p.part == l.part && readable(p))
                    .map(|p| distinct(ips, &p.text))
                    .and_then(|d| if let [one] = d.as_slice() { Some(*one) } else { None })
            }
            _ => None,
        };
        let Some(ip) = ip else { continue };
        let (asn, name) = as_and_name(&l.text[at + CUE.len()..]);
        add(ip, asn, name, i, "\"is announced by\" a network beside the address");
        used[i] = true;
    }
}

/// The AS number and name of a text such as `NAME, CC (64500). More`,
/// `NAME (AS64500)`, `AS64500 NAME`.
fn as_and_name(rest: &str) -> (Option<u32>, Option<String>) {
    if let Some((open, asn)) = paren_asn(rest) {
        return (Some(asn), name(&rest[..open]));
    }
    if let Some((start, end, asn)) = as_token(rest) {
        return (Some(asn), name(&rest[end..]).or_else(|| name(&rest[..start])));
    }
    (None, name(rest))
}

/// A network name at the start of `s`: up to a separator (`|`, `;`, a
/// tab, a parenthesis, `/`, a comma, two spaces, a sentence's end), with a
/// letter in it, no address or URL.
fn name(s: &str) -> Option<String> {
    let s = s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ':' | '=' | '>' | '|' | '(' | '"'));
    let mut end = s.len();
    for stop in ["|", ";", "\t", "(", ")", "/", ",", "  ", ". ", "\""] {
        if let Some(p) = s.find(stop) {
            end = end.min(p);
        }
    }
    let n = s[..end].trim().trim_end_matches(['.', ':', '-', '=']).trim();
    let ok = n.chars().any(|c| c.is_alphabetic())
        && !n.contains('@')
        && !n.contains("://")
        && n.chars().count() <= MAX_NAME
        && !n.eq_ignore_ascii_case("as")
        && !n.eq_ignore_ascii_case("asn");
    ok.then(|| one_line(n, MAX_NAME)).filter(|n| !n.is_empty())
}

/// The name right before a parenthesis at `open`: the last piece of the
/// text before it (after an arrow or a separator), as [`name`] reads it.
fn name_before(s: &str) -> Option<String> {
    let cut = ["|", ";", "\t", "->", "=>"].iter().filter_map(|sep| s.rfind(sep).map(|p| p + sep.len())).max();
    name(&s[cut.unwrap_or(0)..])
}

/// A valid public AS number.
fn asn(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|n| *n > 0 && *n < u32::MAX)
}

/// `(64500)`, `(AS64500)`, `( AS 64500 )`: where the parenthesis opens, and the number.
fn paren_asn(s: &str) -> Option<(usize, u32)> {
    for (open, _) in s.match_indices('(') {
        let inner = s[open + 1..].trim_start();
        let inner = inner
            .strip_prefix("ASN")
            .or_else(|| inner.strip_prefix("AS"))
            .or_else(|| inner.strip_prefix("as"))
            .unwrap_or(inner)
            .trim_start_matches([' ', ':']);
        let digits: String = inner.chars().take_while(char::is_ascii_digit).collect();
        if inner[digits.len()..].trim_start().starts_with(')') {
            if let Some(n) = asn(&digits) {
                return Some((open, n));
            }
        }
    }
    None
}

/// The first AS number token: `AS64500`, `AS 64500`, `AS:64500`, `ASN:
/// 64500`, `asn=64500`, `as64500`: its start, its end and the number.
fn as_token(s: &str) -> Option<(usize, usize, u32)> {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(2) {
        if !(b[i] == b'A' || b[i] == b'a') || !(b[i + 1] == b'S' || b[i + 1] == b's') {
            continue;
        }
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
            continue;
        }
        let upper = b[i] == b'A' && b[i + 1] == b'S';
        let mut j = i + 2;
        let n_letter = j < b.len() && (b[j] == b'N' || b[j] == b'n');
        if n_letter {
            j += 1;
        }
        // Separators: any after ASN; one space or colon after AS; none after `as`.
        let max_sep = if n_letter {
            3
        } else if upper {
            1
        } else {
            0
        };
        let mut seps = 0;
        while j < b.len() && seps < max_sep && matches!(b[j], b' ' | b':' | b'#' | b'=') {
            j += 1;
            seps += 1;
        }
        let start_digits = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == start_digits || (j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'.')) {
            continue;
        }
        if let Some(n) = asn(&s[start_digits..j]) {
            return Some((i, j, n));
        }
    }
    None
}

/// Words before an AS number that make it the victim's, not the accused's.
const VICTIM_SIDE: &[&str] = &["our ", "target", "victim", "dst", "destination", "dest "];

/// A line naming exactly one address, accused, and an AS number.
fn beside(ips: &IpFinder, lines: &[Line], add: &mut Add<'_>, used: &[bool]) {
    for (i, l) in lines.iter().enumerate() {
        if used[i] || l.region != Region::Prose || l.text.len() > MAX_LINE {
            continue;
        }
        let mentions = ips.mentions(&l.text);
        let [m] = distinct_mentions(&mentions) else { continue };
        let text = &l.text;
        // The number outside the address's own text.
        let (asn_at, asn, named) = if let Some((open, n)) = paren_asn(text).filter(|(o, _)| *o >= m.end || *o < m.start)
        {
            let before = if open >= m.end { &text[m.end..open] } else { &text[..open] };
            (open, n, name_before(before))
        } else if let Some((s, e, n)) = outside_token(text, m.start, m.end) {
            (s, n, name(&text[e..]).or_else(|| if s >= m.end { None } else { name_before(&text[..s]) }))
        } else {
            continue;
        };
        let before = crate::bounds::tail(&text[..asn_at], 24).to_ascii_lowercase();
        if VICTIM_SIDE.iter().any(|w| before.contains(w)) {
            continue;
        }
        add(m.ip, Some(asn), named, i, "an AS number on the line of the accused address");
    }
}

/// The mentions when they are all one address: that address once.
fn distinct_mentions(mentions: &[crate::ip::Mention]) -> &[crate::ip::Mention] {
    match mentions.first() {
        Some(first) if mentions.iter().all(|m| m.ip == first.ip) => &mentions[..1],
        _ => &[],
    }
}

/// The first AS number token outside `[start, end)`.
fn outside_token(text: &str, start: usize, end: usize) -> Option<(usize, usize, u32)> {
    if let Some((s, e, n)) = as_token(&text[end..]) {
        return Some((s + end, e + end, n));
    }
    as_token(&text[..start])
}

/// Header cells of an address column.
const IP_COLUMNS: &[&str] = &[
    "ip",
    "ip address",
    "ip_address",
    "ipaddress",
    "ip-address",
    "ip addr",
    "address",
    "addr",
    "src_ip",
    "source_ip",
    "source ip",
    "srcip",
    "src ip",
    "source",
    "src",
    "ip_str",
    "ipv4",
    "ipv6",
    "offender",
    "offending ip",
];
/// Header cells of an AS number column.
const ASN_COLUMNS: &[&str] = &[
    "asn",
    "as",
    "as number",
    "as_number",
    "asnumber",
    "as-number",
    "as num",
    "origin",
    "origin as",
    "origin_as",
    "originas",
    "src_asn",
    "source_asn",
    "source asn",
    "bgp origin as",
];
/// Header cells of a network name column.
const NAME_COLUMNS: &[&str] = &[
    "as name",
    "as_name",
    "asname",
    "as-name",
    "as org",
    "as_org",
    "asorg",
    "as owner",
    "as_owner",
    "as description",
    "as_desc",
    "netname",
    "net name",
];

/// A row's cells: `sep`-separated, double quotes around a CSV cell honoured.
fn cells(text: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let quotes = matches!(sep, ',' | ';');
    for c in text.chars() {
        if quotes && c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_string());
    out
}

/// A header cell as the column lists write it.
fn header_cell(c: &str) -> String {
    c.trim_matches(|ch: char| ch.is_whitespace() || matches!(ch, '"' | '\'' | '#' | '*' | '[' | ']'))
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows under a header with an address and an AS column.
fn tables(ips: &IpFinder, lines: &[Line], add: &mut Add<'_>, used: &mut [bool]) {
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        i += 1;
        if !readable(l) || l.text.len() > 4000 {
            continue;
        }
        let Some((sep, ip_col, asn_col, name_col)) = ['\t', '|', ';', ','].into_iter().find_map(|sep| {
            if !l.text.contains(sep) {
                return None;
            }
            let head: Vec<String> = cells(&l.text, sep).iter().map(|c| header_cell(c)).collect();
            let ip_col = head.iter().position(|c| IP_COLUMNS.contains(&c.as_str()))?;
            let asn_col = head.iter().position(|c| ASN_COLUMNS.contains(&c.as_str()))?;
            let name_col = head.iter().position(|c| NAME_COLUMNS.contains(&c.as_str()));
            Some((sep, ip_col, asn_col, name_col))
        }) else {
            continue;
        };
        while i < lines.len() {
            let row = &lines[i];
            if row.text.trim().is_empty() || !readable(row) || row.part != l.part {
                break;
            }
            i += 1;
            // A rule under the header (`---+---`).
            if !row.text.chars().any(char::is_alphanumeric) {
                continue;
            }
            if !row.text.contains(sep) {
                break;
            }
            let cs = cells(&row.text, sep);
            let (Some(ip_cell), Some(asn_cell)) = (cs.get(ip_col), cs.get(asn_col)) else { continue };
            let [ip] = distinct(ips, ip_cell)[..] else { continue };
            let digits = asn_cell.trim_matches('"').trim();
            let digits = digits.strip_prefix("AS").or_else(|| digits.strip_prefix("as")).unwrap_or(digits).trim();
            let n = asn(digits);
            let named = name_col.and_then(|c| cs.get(c)).and_then(|c| name(c.trim_matches('"')));
            if n.is_some() || named.is_some() {
                add(ip, n, named, i - 1, "an AS column beside the address column of a table");
                used[i - 1] = true;
            }
        }
    }
}

/// A `key: value` line's key, normalised (lower case, no spaces, `_`, `-`), and value.
fn key_value(text: &str) -> Option<(String, &str)> {
    let (k, v) = text.trim().split_once(':')?;
    let key: String =
        k.chars().filter(|c| !matches!(c, ' ' | '_' | '-' | '\t')).collect::<String>().to_ascii_lowercase();
    let plain = !key.is_empty() && k.trim().len() <= 30 && key.chars().all(|c| c.is_ascii_alphanumeric());
    plain.then(|| (key, v.trim_matches(|c: char| c.is_whitespace())))
}

/// Record keys whose value is an AS number.
const ASN_KEYS: &[&str] = &["asn", "as", "asnumber", "origin", "originas", "sourceasn", "srcasn", "asnum"];
/// Record keys whose value is a network's name.
const NAME_KEYS: &[&str] = &["asname", "asorg", "asowner", "asdescription", "netname", "orgname"];
/// Whois keys whose value is an address range.
const RANGE_KEYS: &[&str] = &["inetnum", "inet6num", "route", "route6", "netrange", "cidr"];

/// Blocks of `key: value` lines: a record naming one accused address, or
/// whois objects whose range holds accused addresses.
fn records(ips: &IpFinder, lines: &[Line], accused: &[IpAddr], add: &mut Add<'_>, used: &mut [bool]) {
    let mut i = 0;
    while i < lines.len() {
        if !readable(&lines[i]) || lines[i].text.trim().is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len()
            && readable(&lines[i])
            && !lines[i].text.trim().is_empty()
            && lines[i].part == lines[start].part
        {
            i += 1;
        }
        let block = &lines[start..i];
        let fields: Vec<(usize, String, &str)> = block
            .iter()
            .enumerate()
            .filter_map(|(k, l)| key_value(&l.text).map(|(key, v)| (start + k, key, v)))
            .collect();
        let asns: Vec<(usize, u32)> = fields
            .iter()
            .filter(|(_, k, _)| ASN_KEYS.contains(&k.as_str()))
            .filter_map(|(at, _, v)| {
                let v = v.strip_prefix("AS").or_else(|| v.strip_prefix("as")).unwrap_or(v).trim_start();
                let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
                asn(&digits).map(|n| (*at, n))
            })
            .collect();
        let names: Vec<(usize, String)> = fields
            .iter()
            .filter(|(_, k, _)| NAME_KEYS.contains(&k.as_str()))
            .filter_map(|(at, _, v)| name(v).map(|n| (*at, n)))
            .collect();
        if asns.is_empty() && names.is_empty() {
            continue;
        }
        let ranges: Vec<(u128, u128, bool)> = fields
            .iter()
            .filter(|(_, k, _)| RANGE_KEYS.contains(&k.as_str()))
            .flat_map(|(_, _, v)| ranges(v))
            .collect();
        let held: Vec<IpAddr> = if ranges.is_empty() {
            if block.len() > MAX_RECORD {
                continue;
            }
            let mut named: Vec<IpAddr> = Vec::new();
            for (_, k, v) in &fields {
                if VICTIM_SIDE.iter().any(|w| k.starts_with(w.trim())) {
                    continue;
                }
                for ip in distinct(ips, v) {
                    if !named.contains(&ip) {
                        named.push(ip);
                    }
                }
            }
            match named.as_slice() {
                [one] if accused.contains(one) => vec![*one],
                _ => continue,
            }
        } else {
            accused.iter().copied().filter(|ip| ranges.iter().any(|r| holds(*r, *ip))).collect()
        };
        let rule = if ranges.is_empty() {
            "a record naming the address, with an AS or network name key"
        } else {
            "a whois object whose range holds the address"
        };
        for ip in held {
            let first_name = names.first().map(|(_, n)| n.clone());
            if asns.is_empty() {
                for (at, n) in &names {
                    add(ip, None, Some(n.clone()), *at, rule);
                    used[*at] = true;
                }
            }
            for (k, (at, n)) in asns.iter().enumerate() {
                add(ip, Some(*n), if k == 0 { first_name.clone() } else { None }, *at, rule);
                used[*at] = true;
            }
        }
    }
}

/// The ranges a whois value writes: `a - b`, `a/len` (several, comma-separated).
fn ranges(v: &str) -> Vec<(u128, u128, bool)> {
    let mut out = Vec::new();
    if let Some((a, b)) = v.split_once(" - ").or_else(|| v.split_once('-').filter(|_| !v.contains('/'))) {
        if let (Some(a), Some(b)) = (number(a.trim()), number(b.trim())) {
            if a.1 == b.1 && a.0 <= b.0 {
                out.push((a.0, b.0, a.1));
            }
        }
        return out;
    }
    for piece in v.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let Some((addr, len)) = piece.split_once('/') else { continue };
        let (Some((base, v4)), Ok(len)) = (number(addr), len.parse::<u32>()) else { continue };
        let bits = if v4 { 32 } else { 128 };
        if len > bits {
            continue;
        }
        let host = bits - len;
        let mask: u128 = if host >= 128 { u128::MAX } else { (1u128 << host) - 1 };
        out.push((base & !mask, base | mask, v4));
    }
    out
}

/// An address as a number, and whether it is IPv4.
fn number(s: &str) -> Option<(u128, bool)> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some((u128::from(u32::from(v4)), true)),
        IpAddr::V6(v6) => Some((u128::from(v6), false)),
    }
}

fn holds((lo, hi, v4): (u128, u128, bool), ip: IpAddr) -> bool {
    match number(&ip.to_string()) {
        Some((n, is4)) => is4 == v4 && lo <= n && n <= hi,
        None => false,
    }
}

/// Local parts (or their pieces) of an abuse-type mailbox.
const DESK_WORDS: &[&str] = &[
    "security",
    "secure",
    "cert",
    "cirt",
    "soc",
    "noc",
    "ioc",
    "incident",
    "incidents",
    "dmca",
    "copyright",
    "spam",
    "fraud",
];
/// Substrings of an abuse-type mailbox's local part.
const DESK_PARTS: &[&str] = &["abuse", "phish", "malware", "csirt", "hostmaster"];

/// `local@domain` is an abuse desk's mailbox: its registrable domain.
fn desk(address: &str) -> Option<String> {
    let a = address.trim().trim_matches(|c| matches!(c, '<' | '>' | '"' | ',' | ';')).to_ascii_lowercase();
    let (local, domain) = a.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    let ok_domain = domain.contains('.')
        && domain.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && !domain.starts_with('.');
    let abuse = DESK_PARTS.iter().any(|p| local.contains(p))
        || local.split(['.', '_', '-', '+']).any(|w| DESK_WORDS.contains(&w));
    (ok_domain && abuse).then(|| registrable(domain))
}

/// The mail addresses written in `text`.
fn addresses(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"' | '(' | ')' | '[' | ']'))
        .filter(|w| w.contains('@') && w.len() <= 254)
        .collect()
}

/// A greeting to several abuse teams: `Dear abuse teams,`, `Dear all,`.
fn plural_greeting(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    let Some(rest) = ["dear ", "hello ", "hi ", "to ", "greetings "].iter().find_map(|g| t.strip_prefix(g)) else {
        return false;
    };
    let rest = rest.trim_end_matches([',', ':', '!', '.']).trim();
    rest == "all"
        || rest.split_whitespace().last().is_some_and(|w| {
            matches!(w, "teams" | "departments" | "desks" | "contacts" | "administrators" | "admins")
                && ["abuse", "security", "noc", "cert", "network"].iter().any(|k| rest.contains(k))
        })
}

/// The abuse desks a report was sent to at once (registrable domains,
/// first seen first), when there are [`SEVERAL_DESKS`] or more; the
/// sender's own `own` domains left out. Each source counts on its own (the
/// message's `To:`/`Cc:`; each block of pasted or enclosed headers; the
/// text under a plural greeting); the largest is kept, with the line it
/// starts at (none for the message's own headers).
pub(crate) fn abuse_desks(recipients: &[String], lines: &[Line], own: &[String]) -> (Vec<String>, Option<usize>) {
    let collect = |addrs: &mut dyn Iterator<Item = &str>| {
        let mut out: Vec<String> = Vec::new();
        for d in addrs.filter_map(desk) {
            if !own.contains(&d) && !out.contains(&d) {
                out.push(d);
            }
        }
        out
    };
    let mut best = (collect(&mut recipients.iter().map(String::as_str)), None);
    // Pasted or enclosed headers: `To:`/`Cc:` and their folded lines.
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let key = l.text.split_once(':').map(|(k, _)| k.trim().to_ascii_lowercase());
        if l.region != Region::Header || !matches!(key.as_deref(), Some("to" | "cc")) {
            i += 1;
            continue;
        }
        let start = i;
        let mut text = String::new();
        while i < lines.len() && lines[i].region == Region::Header {
            let t = &lines[i].text;
            let k = t.split_once(':').map(|(k, _)| k.trim().to_ascii_lowercase());
            let folded = t.starts_with([' ', '\t']);
            if i > start && !folded && !matches!(k.as_deref(), Some("to" | "cc")) {
                break;
            }
            text.push_str(t);
            text.push(' ');
            i += 1;
        }
        let found = collect(&mut addresses(&text).into_iter());
        if found.len() > best.0.len() {
            best = (found, Some(start));
        }
    }
    // A list in the text, under a greeting to several abuse teams.
    if let Some(at) = lines.iter().position(|l| l.region == Region::Prose && plural_greeting(&l.text)) {
        let found = collect(&mut lines.iter().filter(|l| l.region == Region::Prose).flat_map(|l| addresses(&l.text)));
        if found.len() > best.0.len() {
            best = (found, Some(at));
        }
    }
    if best.0.len() >= SEVERAL_DESKS { best } else { (Vec::new(), None) }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::text::prose_lines;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn claims(text: &str, accused: &[&str]) -> Vec<(IpAddr, Option<u32>, Option<String>)> {
        let accused: Vec<IpAddr> = accused.iter().map(|a| ip(a)).collect();
        read(&IpFinder::new(), &prose_lines(text), &accused)
            .into_iter()
            .map(|f| (f.claim.ip, f.claim.asn, f.claim.name))
            .collect()
    }

    fn c(a: &str, asn: Option<u32>, name: Option<&str>) -> (IpAddr, Option<u32>, Option<String>) {
        (ip(a), asn, name.map(str::to_string))
    }

    #[test]
    fn announced_by_after_the_address() {
        let text = "hxxps://shop.example.com/login\n\t192.0.2.7\n\t\tis announced by EXAMPLE-NET, US (64500). Position 1/2.\n\n\
                    hxxps://www.example.net/\n\t198.51.100.9\n\t\tis announced by Other Hosting SAS, FR (64501).\n\
                    203.0.113.5 is announced by AS64502 Third Net\n";
        assert_eq!(
            claims(text, &["192.0.2.7", "198.51.100.9", "203.0.113.5"]),
            vec![
                c("192.0.2.7", Some(64500), Some("EXAMPLE-NET")),
                c("198.51.100.9", Some(64501), Some("Other Hosting SAS")),
                c("203.0.113.5", Some(64502), Some("Third Net")),
            ]
        );
        // Only accused addresses.
        assert!(claims(text, &["203.0.113.99"]).is_empty());
    }

    #[test]
    fn an_as_number_beside_the_address() {
        let text = "-> 192.0.2.7 -> AS64500 - Example Hosting LLC/host.example.net\n\
                    Source: 198.51.100.9 (AS64501)\n\
                    198.51.100.10 GOOGLEISH (AS64502) seen 3 times\n\
                    203.0.113.5 attacked our network AS64503\n\
                    192.0.2.8 connected to 203.0.113.9 in AS64504\n";
        assert_eq!(
            claims(text, &["192.0.2.7", "198.51.100.9", "198.51.100.10", "203.0.113.5", "192.0.2.8"]),
            vec![
                c("192.0.2.7", Some(64500), Some("Example Hosting LLC")),
                c("198.51.100.9", Some(64501), None),
                c("198.51.100.10", Some(64502), Some("GOOGLEISH")),
            ]
        );
    }

    #[test]
    fn tables_with_an_as_column() {
        let cymru = "AS      | IP               | AS Name\n64500   | 192.0.2.7        | EXAMPLE-NET, US\n\
                     64501   | 198.51.100.9     | OTHER-NET, FR\n";
        assert_eq!(
            claims(cymru, &["192.0.2.7", "198.51.100.9"]),
            vec![c("192.0.2.7", Some(64500), Some("EXAMPLE-NET")), c("198.51.100.9", Some(64501), Some("OTHER-NET"))]
        );
        let csv = "\"asn\",\"ip\",\"timestamp\"\n\"64500\",\"192.0.2.7\",\"2024-01-02 03:04:05\"\n\
                   \"64500\",\"192.0.2.8\",\"2024-01-02 03:04:06\"\n";
        assert_eq!(
            claims(csv, &["192.0.2.7", "192.0.2.8"]),
            vec![c("192.0.2.7", Some(64500), None), c("192.0.2.8", Some(64500), None)]
        );
        // A victim-side AS column is not the accused's.
        let dst = "ip,dst_ip,dst_asn\n192.0.2.7,203.0.113.9,64509\n";
        assert!(claims(dst, &["192.0.2.7"]).is_empty());
    }

    #[test]
    fn records_and_whois_objects() {
        let record = "IP: 192.0.2.7\nASN: 64500\nAS Name: EXAMPLE-NET\nFirst seen: 2024-01-02\n";
        assert_eq!(claims(record, &["192.0.2.7"]), vec![c("192.0.2.7", Some(64500), Some("EXAMPLE-NET"))]);
        let whois = "inetnum:        192.0.2.0 - 192.0.2.255\nnetname:        EXAMPLE-POOL\ncountry:        DE\n\n\
                     route:          192.0.2.0/24\ndescr:          Example\norigin:         AS64500\n\n\
                     route:          192.0.2.0/24\norigin:         AS64501\n\n\
                     route:          198.51.100.0/24\norigin:         AS64509\n";
        assert_eq!(
            claims(whois, &["192.0.2.7"]),
            vec![
                c("192.0.2.7", None, Some("EXAMPLE-POOL")),
                c("192.0.2.7", Some(64500), None),
                c("192.0.2.7", Some(64501), None)
            ]
        );
        // A record with two addresses does not say whose AS it is.
        let two = "Source: 192.0.2.7\nTarget: 198.51.100.9\nOther: 203.0.113.5\nASN: 64500\n";
        assert_eq!(claims(two, &["192.0.2.7", "203.0.113.5"]), vec![]);
        let v6 = "inet6num: 2001:db8::/32\nnetname: DOC-SIX\n";
        assert_eq!(claims(v6, &["2001:db8::7"]), vec![c("2001:db8::7", None, Some("DOC-SIX"))]);
    }

    #[test]
    fn as_tokens() {
        assert_eq!(as_token("AS64500 x"), Some((0, 7, 64500)));
        assert_eq!(as_token("ASN: 64500"), Some((0, 10, 64500)));
        assert_eq!(as_token("x as64500"), Some((2, 9, 64500)));
        assert_eq!(as_token("has 64500"), None);
        assert_eq!(as_token("as 2 hosts"), None);
        assert_eq!(as_token("AS64500.5"), None);
        assert_eq!(paren_asn("NAME, US (8068). Pos"), Some((9, 8068)));
        assert_eq!(paren_asn("(see 1)"), None);
    }

    #[test]
    fn several_abuse_desks() {
        let to = vec![
            "abuse@example.com".to_string(),
            "security@mail.example.net".into(),
            "phishing@example.org".into(),
            "abuse@reporter.example".into(),
            "sales@example.info".into(),
        ];
        let own = vec!["reporter.example".to_string()];
        assert_eq!(abuse_desks(&to, &[], &own).0, vec!["example.com", "example.net", "example.org"]);
        assert!(abuse_desks(&to[..2], &[], &own).0.is_empty());
        // A pasted original's To: list.
        let mut lines = prose_lines("To: abuse@example.com, noc@example.net,\n cert@example.org\nSubject: x\n");
        for l in &mut lines {
            l.region = Region::Header;
        }
        assert_eq!(
            abuse_desks(&[], &lines, &own),
            (vec!["example.com".into(), "example.net".into(), "example.org".into()], Some(0))
        );
        // A list in the text counts only under a greeting to several teams.
        let text =
            "Dear abuse teams,\n\nThis report went to abuse@example.com, abuse@example.net, abuse@example.org.\n";
        assert_eq!(abuse_desks(&[], &prose_lines(text), &own).0.len(), 3);
        let single = "Dear abuse team,\n\nCopies: abuse@example.com, abuse@example.net, abuse@example.org.\n";
        assert!(abuse_desks(&[], &prose_lines(single), &own).0.is_empty());
    }
}
