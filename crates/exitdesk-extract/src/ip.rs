//! IP addresses in text: every form a complaint writes, nothing that only
//! looks like one.
//!
//! IPv4 with trailing punctuation or `/port`, IPv6 compressed or not, IPv4-mapped
//! IPv6 (normalised to IPv4). Rejected: addresses inside URLs or hostnames
//! (`94.189.128.164.static.example`), five-octet strings, version numbers with
//! octets over 255. Masked addresses (`1.2.3.xxx`) are reported separately.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use regex::Regex;

/// One address found on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mention {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) ip: IpAddr,
}

/// Compiled address patterns.
#[derive(Debug, Clone)]
pub(crate) struct IpFinder {
    v6: Regex,
    masked: Regex,
    abbreviated: Regex,
}

impl IpFinder {
    pub(crate) fn new() -> IpFinder {
        IpFinder {
            v6: crate::re::compile(r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"),
            masked: crate::re::compile(
                r"(?:[0-9]{1,3}|[xX*]{1,3})\.(?:[0-9]{1,3}|[xX*]{1,3})\.(?:[0-9]{1,3}|[xX*]{1,3})\.(?:[0-9]{1,3}|[xX*]{1,3})\b",
            ),
            abbreviated: crate::re::compile(
                r"^\s*\(\s*(?:and\s+|also\s+|&\s*)?\.?([0-9]{1,3}(?:\s*(?:,|and|&|or|/)\s*(?:and\s+)?\.?[0-9]{1,3})*)\b[ a-zA-Z.…]{0,12}\)",
            ),
        }
    }

    /// Every usable address on the line, in order.
    pub(crate) fn mentions(&self, line: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        let b = line.as_bytes();
        // A table cell is often one bare dotted quad and nothing else: the
        // search below would find just that quad (no neighbours, no URL, no
        // list after it), so it is the address, or nothing if it is invalid.
        if is_bare_quad(b) {
            if let Some(ip) = parse_v4(line) {
                out.push(Mention { start: 0, end: line.len(), ip: IpAddr::V4(ip) });
            }
            return out;
        }
        // Every dotted quad holds a digit, a dot and a digit in a row.
        if has_digit_dot_digit(b) {
            let mut from = 0;
            while let Some((s, e)) = find_quad(b, from) {
                from = e;
                if s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'.') {
                    continue;
                }
                if let Some(&n) = b.get(e) {
                    if n.is_ascii_alphanumeric() {
                        continue;
                    }
                    if n == b'.' && b.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric()) && !tcpdump_port(line, s, e)
                    {
                        continue;
                    }
                }
                if in_url(line, s) {
                    continue;
                }
                let Some(ip) = parse_v4(&line[s..e]) else {
                    continue;
                };
                out.push(Mention { start: s, end: e, ip: IpAddr::V4(ip) });
                // "192.0.2.52 (and 44, and 21)", "192.0.2.10, .11 and .12": the
                // same /24, last octets listed.
                let o = ip.octets();
                // The abbreviated form opens with `(` after optional whitespace.
                let paren = line[e..].trim_start().starts_with('(');
                let listed: Vec<u8> = match paren.then(|| self.abbreviated.captures(&line[e..])).flatten() {
                    Some(c) => {
                        c[1].split(|ch: char| !ch.is_ascii_digit()).filter_map(|n| n.parse::<u8>().ok()).collect()
                    }
                    None => last_octets(&line[e..], o[3]),
                };
                for n in listed {
                    out.push(Mention { start: s, end: e, ip: IpAddr::V4(Ipv4Addr::new(o[0], o[1], o[2], n)) });
                }
            }
        }
        if line.contains("::") || line.bytes().filter(|c| *c == b':').count() >= 7 {
            let mut v6s = Vec::new();
            for m in self.v6.find_iter(line) {
                let mut e = m.end();
                let s = m.start();
                while e > s && matches!(b[e - 1], b'.' | b':') && !line[s..e].ends_with("::") {
                    e -= 1;
                }
                let cand = &line[s..e];
                let colons = cand.bytes().filter(|c| *c == b':').count();
                // Full form: eight groups, or six and a dotted quad (`0:0:0:0:0:ffff:192.0.2.1`).
                let full = colons == 7 || (colons == 6 && cand.contains('.'));
                if colons < 2 || !(cand.contains("::") || full) || cand.contains(":::") {
                    continue;
                }
                if s > 0 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b':' | b'.')) {
                    continue;
                }
                if b.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) {
                    continue;
                }
                if in_url(line, s) {
                    continue;
                }
                let Ok(v6) = cand.parse::<Ipv6Addr>() else {
                    continue;
                };
                if v6.is_unspecified() {
                    continue;
                }
                let ip = match v6.to_ipv4_mapped() {
                    Some(v4) => IpAddr::V4(v4),
                    None => IpAddr::V6(v6),
                };
                v6s.push(Mention { start: s, end: e, ip });
            }
            // v6s is in order: find the one that could contain each v4 mention.
            out.retain(|m4| {
                let i = v6s.partition_point(|m6| m6.start <= m4.start);
                i == 0 || v6s[i - 1].end < m4.end
            });
            out.extend(v6s);
            out.sort_by_key(|m| m.start);
        }
        out
    }

    /// Masked or invalid dotted quads on the line (`1.2.3.xxx`, `1.2.3.4.5`).
    pub(crate) fn masked(&self, line: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if !(line.contains('x') || line.contains('X') || line.contains('*')) {
            return out;
        }
        let b = line.as_bytes();
        for m in self.masked.find_iter(line) {
            let t = m.as_str();
            if !t.contains(['x', 'X', '*']) || !t.starts_with(|c: char| c.is_ascii_digit() || c == 'x' || c == 'X') {
                continue;
            }
            if m.start() > 0 && (b[m.start() - 1].is_ascii_alphanumeric() || b[m.start() - 1] == b'.') {
                continue;
            }
            out.push((m.start(), m.end()));
        }
        out
    }

    /// Dotted quads followed by a fifth number (`92.222.64.5.4`): invalid.
    pub(crate) fn five_octets(&self, line: &str) -> Vec<String> {
        let b = line.as_bytes();
        let mut out = Vec::new();
        if !has_digit_dot_digit(b) {
            return out;
        }
        let mut from = 0;
        while let Some((s, e)) = find_quad(b, from) {
            from = e;
            if b.get(e) == Some(&b'.') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
                let mut f = e + 1;
                while f < b.len() && b[f].is_ascii_digit() {
                    f += 1;
                }
                // A fifth number above 255 is a port (`192.0.2.5.51234`, as
                // flow tools write address and port), not a fifth octet.
                let port = line[e + 1..f].parse::<u32>().is_ok_and(|n| (256..=65_535).contains(&n));
                if !b.get(f).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
                    && !tcpdump_port(line, s, e)
                    && !port
                {
                    out.push(line[s..f].to_string());
                }
            }
        }
        out
    }
}

/// True when the quad at `s..e` is followed by a tcpdump port: `.55375 > `
/// (the source) or `.1433:` after a `>` (the destination).
fn tcpdump_port(line: &str, s: usize, e: usize) -> bool {
    let b = line.as_bytes();
    if b.get(e) != Some(&b'.') {
        return false;
    }
    let digits = b[e + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=5).contains(&digits) {
        return false;
    }
    let rest = &line[e + 1 + digits..];
    rest.starts_with(" > ") || (rest.starts_with(':') && line[..s].trim_end().ends_with('>'))
}

/// Words after a list of small numbers that make them counts, not octets
/// ("192.0.2.1, 22 and 80 other hosts").
const COUNT_WORDS: &[&str] = &[
    "other",
    "more",
    "times",
    "attempts",
    "hits",
    "connections",
    "requests",
    "ports",
    "port",
    "days",
    "hours",
    "minutes",
    "seconds",
    "packets",
    "hosts",
    "ips",
    "addresses",
    "%",
];

/// Last octets listed right after an address without parentheses:
/// `, .11 and .12` (dotted: always octets) or `, 53 and 54` (bare numbers:
/// only two or more, rising, above the address's own last octet, and not
/// counted things).
fn last_octets(rest: &str, own: u8) -> Vec<u8> {
    let b = rest.as_bytes();
    let mut i = 0;
    let mut items: Vec<(u8, bool)> = Vec::new();
    loop {
        let mut j = i;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        // A separator is required before each item.
        let sep_len = [",", "&", "and ", "or ", "und ", "y ", "e ", "et ", "en ", "i ", "a ", "oraz ", "и "]
            .iter()
            .find(|p| rest[j..].starts_with(**p))
            .map(|p| p.len());
        let Some(len) = sep_len else { break };
        j += len;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if rest[j..].starts_with("and ") {
            j += 4;
        }
        let dotted = b.get(j) == Some(&b'.');
        if dotted {
            j += 1;
        }
        let d0 = j;
        while j < b.len() && b[j].is_ascii_digit() && j - d0 < 4 {
            j += 1;
        }
        let Ok(n) = rest[d0..j].parse::<u8>() else { break };
        if j - d0 > 3 {
            break;
        }
        // The number ends the item: not the start of another address or a time.
        match b.get(j) {
            Some(c) if c.is_ascii_alphanumeric() || *c == b':' => break,
            Some(b'.') if b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) => break,
            _ => {}
        }
        items.push((n, dotted));
        i = j;
        if items.len() >= 64 {
            break;
        }
    }
    if items.is_empty() {
        return Vec::new();
    }
    if items[0].1 {
        return items.iter().take_while(|(_, d)| *d).map(|(n, _)| *n).collect();
    }
    let next_word: String = rest[i..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '%')
        .collect::<String>()
        .to_lowercase();
    let rising = items.windows(2).all(|w| w[0].0 < w[1].0) && items[0].0 > own;
    if items.len() >= 2 && rising && !items.iter().any(|(_, d)| *d) && !COUNT_WORDS.contains(&next_word.as_str()) {
        items.iter().map(|(n, _)| *n).collect()
    } else {
        Vec::new()
    }
}

/// The next dotted quad at or after `from`: the leftmost-first match of
/// `[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}` (greedy), as a byte range.
/// A byte scan: the pattern, run per line, cost more than the rest of the
/// address search.
fn find_quad(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A run of digits: a quad can only start in its last three digits,
        // and only if a dot follows the run. What follows the dot is the
        // same for every such start, so the leftmost one decides.
        let mut z = i;
        while z < b.len() && b[z].is_ascii_digit() {
            z += 1;
        }
        if b.get(z) == Some(&b'.') {
            let s = i.max(z.saturating_sub(3));
            if let Some(e) = quad_at(b, s) {
                return Some((s, e));
            }
        }
        i = z;
    }
    None
}

/// The end of a dotted quad starting at `s`, if one does. Each of the first
/// three numbers takes up to three digits and must be followed by a dot
/// (fewer digits would leave a digit where the dot goes); the last takes up
/// to three.
fn quad_at(b: &[u8], s: usize) -> Option<usize> {
    let digits = |at: usize| b[at.min(b.len())..].iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    let mut i = s;
    for _ in 0..3 {
        let n = digits(i);
        if n == 0 || b.get(i + n) != Some(&b'.') {
            return None;
        }
        i += n + 1;
    }
    let n = digits(i);
    (n > 0).then_some(i + n)
}

/// True when `b` is exactly `[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}`.
fn is_bare_quad(b: &[u8]) -> bool {
    quad_at(b, 0) == Some(b.len())
}

/// True when `b` holds `[0-9].[0-9]` somewhere.
fn has_digit_dot_digit(b: &[u8]) -> bool {
    b.windows(3).any(|w| w[1] == b'.' && w[0].is_ascii_digit() && w[2].is_ascii_digit())
}

/// The first four dot-separated numbers of `s` as an address (each read as
/// `u8::from_str` reads it), unless it is `0.0.0.0` or `255.255.255.255`.
/// Read by bytes: splitting the `str` and `parse` cost more than the search.
fn parse_v4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = s.as_bytes();
    for o in &mut octets {
        // This number runs to the next dot; a missing part reads as empty.
        let end = rest.iter().position(|b| *b == b'.').unwrap_or(rest.len());
        let part = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        let digits = part.strip_prefix(b"+").unwrap_or(part);
        if digits.is_empty() {
            return None;
        }
        let mut n = 0u32;
        for d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u32::from(d - b'0');
            if n > 255 {
                return None;
            }
        }
        *o = n as u8;
    }
    let ip = Ipv4Addr::from(octets);
    (!ip.is_unspecified() && !ip.is_broadcast()).then_some(ip)
}

/// True when the address at `pos` is part of a URL (`http://1.2.3.4/`, `?ip=`).
fn in_url(line: &str, pos: usize) -> bool {
    // A URL token is short; look back a bounded way (no quadratic rescans).
    use crate::bounds::{after_char, tail};
    let before = tail(&line[..pos], 256);
    let token_start = before
        .rfind(|c: char| c.is_whitespace() || c == '<' || c == '"' || c == '(')
        .map_or(0, |p| after_char(before, p));
    let token = &before[token_start..];
    token.contains("://") || token.contains('?') || token.contains("www.") || token.contains('=') && token.contains('&')
}

/// What kind of address this is when it cannot be a host on the public
/// internet (private, loopback, link-local, shared, multicast, reserved):
/// no exit relay has one, so a complaint naming it needs a human. The
/// documentation ranges (RFC 5737, RFC 3849) are not listed: exitdesk's own
/// examples and tests use them as stand-ins for real addresses.
pub(crate) fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            match (a, b) {
                (10, _) | (172, 16..=31) | (192, 168) => Some("private (RFC 1918)"),
                (127, _) => Some("loopback"),
                (169, 254) => Some("link-local"),
                (100, 64..=127) => Some("shared carrier-grade NAT (RFC 6598)"),
                (0, _) => Some("\"this network\" (0.0.0.0/8)"),
                (198, 18..=19) => Some("benchmarking (RFC 2544)"),
                (224..=239, _) => Some("multicast"),
                (240..=255, _) => Some("reserved"),
                _ => None,
            }
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Some("loopback")
            } else if v6.is_unspecified() {
                Some("unspecified")
            } else if first & 0xfe00 == 0xfc00 {
                Some("unique local (private)")
            } else if first & 0xffc0 == 0xfe80 {
                Some("link-local")
            } else if first & 0xff00 == 0xff00 {
                Some("multicast")
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ips(line: &str) -> Vec<String> {
        IpFinder::new().mentions(line).iter().map(|m| m.ip.to_string()).collect()
    }

    /// Found by the draft fuzz target (fuzz/regressions/draft/): a
    /// multi-byte space before an address panicked in the URL check.
    #[test]
    fn multibyte_space_before_an_address() {
        for ws in ['\u{2029}', '\u{202f}', '\u{3000}', '\u{a0}'] {
            assert_eq!(ips(&format!("<IP_Addr{ws}ess>198.51.100.200</IP_Address>")), ["198.51.100.200"]);
            assert_eq!(ips(&format!("see{ws}http://198.51.100.9/x and 203.0.113.9")), ["203.0.113.9"]);
            assert_eq!(ips(&format!("from{ws}192.0.2.7 at 10:00")), ["192.0.2.7"]);
            assert!(ips(&format!("see{ws}http://192.0.2.7/x")).is_empty());
        }
    }

    /// `parse_v4` reads what splitting at dots and `u8::from_str` read.
    #[test]
    fn parse_v4_is_split_and_parse() {
        let reference = |s: &str| -> Option<Ipv4Addr> {
            let mut octets = [0u8; 4];
            let mut parts = s.split('.');
            for o in &mut octets {
                *o = parts.next()?.parse::<u8>().ok()?;
            }
            let ip = Ipv4Addr::from(octets);
            (!ip.is_unspecified() && !ip.is_broadcast()).then_some(ip)
        };
        for s in [
            "192.0.2.1",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3.256",
            "010.001.1.1",
            "00000000001.2.3.4",
            "99999999999999.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            "+1.2.3.4",
            "+.2.3.4",
            "++1.2.3.4",
            "-1.2.3.4",
            "1.2.3.4x",
            "",
        ] {
            assert_eq!(parse_v4(s), reference(s), "{s}");
        }
        assert!(is_bare_quad(b"192.0.2.1") && !is_bare_quad(b"192.0.2.1.") && !is_bare_quad(b"1.2.3.4567"));
    }

    #[test]
    fn forms() {
        assert_eq!(ips("Ip:                  198.51.100.11."), vec!["198.51.100.11"]);
        assert_eq!(
            ips("src nudo34-128:198.51.100.11/33972 dst x:213.134.43.251/2375"),
            vec!["198.51.100.11", "213.134.43.251"]
        );
        assert_eq!(ips("hosts 198.51.100.12, 2001:db8:1::a001."), vec!["198.51.100.12", "2001:db8:1::a001"]);
        assert_eq!(ips("mapped ::ffff:192.0.2.9 here"), vec!["192.0.2.9"]);
        assert_eq!(ips("full 0:0:0:0:0:ffff:203.0.113.12 form"), vec!["203.0.113.12"]);
        assert_eq!(ips("[2001:db8::1]:443"), vec!["2001:db8::1"]);
        assert_eq!(ips("connect from host.example[198.51.100.13]"), vec!["198.51.100.13"]);
    }

    #[test]
    fn abbreviated_lists_are_expanded() {
        assert_eq!(ips("from 192.0.2.52 (and 44, and 21) again"), vec!["192.0.2.52", "192.0.2.44", "192.0.2.21"]);
        assert_eq!(ips("hosts 192.0.2.5 (.6, .7)"), vec!["192.0.2.5", "192.0.2.6", "192.0.2.7"]);
        assert_eq!(ips("host 192.0.2.5 (our web server)"), vec!["192.0.2.5"]);
        assert_eq!(ips("IPs 192.0.2.10, .11 and .12 attacked"), vec!["192.0.2.10", "192.0.2.11", "192.0.2.12"]);
        assert_eq!(ips("desde 192.0.2.130, .131 y .134, de"), vec!["192.0.2.130", "192.0.2.131", "192.0.2.134"]);
        assert_eq!(
            ips("from 198.51.100.52, 53 and 54 at 10:00"),
            vec!["198.51.100.52", "198.51.100.53", "198.51.100.54"]
        );
        // Numbers that are counts, ports, times or other addresses are not octets.
        assert_eq!(ips("from 192.0.2.1, 22 and 80 other hosts"), vec!["192.0.2.1"]);
        assert_eq!(ips("from 192.0.2.9, 3 and 4"), vec!["192.0.2.9"]);
        assert_eq!(ips("from 192.0.2.1, 198.51.100.2"), vec!["192.0.2.1", "198.51.100.2"]);
        assert_eq!(ips("192.0.2.1, 10:00:00"), vec!["192.0.2.1"]);
        assert_eq!(ips("192.0.2.1, 5"), vec!["192.0.2.1"]);
    }

    #[test]
    fn rejects() {
        assert!(ips("http://192.0.2.1/path and https://x/check/198.51.100.2").is_empty());
        assert!(ips("94.189.128.164.static.wline.lns.example.ch").is_empty());
        assert!(ips("92.222.64.5.4 is not an address").is_empty());
        assert!(ips("Chrome/91.0.4472.124 and 1.2.3").is_empty());
        assert!(ips("Sep 22 01:20:17 and 12:34:56").is_empty());
        assert!(ips("view.html?ip=198.51.100.14").is_empty());
    }

    /// The byte scan finds what the pattern it replaced found.
    #[test]
    fn quad_scan_is_the_pattern() {
        let re = regex::Regex::new(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}").unwrap();
        let mut hays: Vec<String> = [
            "1.2.3.4",
            "1234.5.6.7.8",
            "a1.2.3.4567",
            "12.34.56.789.1.2.3.4",
            "1..2.3.4 1.2.3. 1.2.3.4.5.6.7.8",
            "999.999.999.9999 0.0.0.0x",
            "é1.2.3.4é 10.0.0.1/24, 10.0.0",
            "",
            "1.2.3",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every short string over the characters that matter.
        let alphabet = ['1', '.', 'x'];
        for n in 1..=9u32 {
            for k in 0..3usize.pow(n) {
                let mut k = k;
                let mut s = String::new();
                for _ in 0..n {
                    s.push(alphabet[k % 3]);
                    k /= 3;
                }
                hays.push(s);
            }
        }
        for h in hays {
            let want: Vec<(usize, usize)> = re.find_iter(&h).map(|m| (m.start(), m.end())).collect();
            let mut got = Vec::new();
            let mut from = 0;
            while let Some((s, e)) = find_quad(h.as_bytes(), from) {
                got.push((s, e));
                from = e;
            }
            assert_eq!(got, want, "{h:?}");
        }
    }

    #[test]
    fn masked_and_invalid() {
        let f = IpFinder::new();
        assert_eq!(f.masked("IP: 91.78.17.xxx and 5.101.73.XXX:22 and 3.xxx.xxx.xxx").len(), 3);
        assert!(f.masked("162.248.89.x.34696").len() == 1);
        assert_eq!(f.five_octets("host 92.222.64.5.4 here"), vec!["92.222.64.5.4"]);
        // Flow records write a port as a fifth number.
        assert!(f.five_octets("14:22:10.118 e tcp 192.0.2.5.51234 -> 198.51.100.9.443 CON").is_empty());
        // tcpdump writes address.port: no five numbers, both addresses read.
        let line = "12:43:22.038193 192.0.2.151.55375 > 198.51.100.105.1433: S 73356";
        assert!(f.five_octets(line).is_empty());
        let found: Vec<String> = f.mentions(line).iter().map(|m| m.ip.to_string()).collect();
        assert_eq!(found, ["192.0.2.151", "198.51.100.105"]);
    }

    #[test]
    fn non_public_addresses() {
        for (ip, public) in [
            ("10.17.18.1", false),
            ("172.16.10.13", false),
            ("172.32.0.1", true),
            ("192.168.2.200", false),
            ("127.0.0.1", false),
            ("100.64.0.1", false),
            ("100.128.0.1", true),
            ("224.0.0.1", false),
            ("255.255.255.255", false),
            ("192.0.2.7", true),
            ("198.51.100.7", true),
            ("::1", false),
            ("fd00::1", false),
            ("fe80::1", false),
            ("2001:db8::1", true),
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(non_public_kind(ip).is_none(), public, "{ip}");
        }
    }
}
