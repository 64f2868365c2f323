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
#[derive(Debug)]
pub(crate) struct IpFinder {
    v4: Regex,
    v6: Regex,
    masked: Regex,
    abbreviated: Regex,
}

impl IpFinder {
    pub(crate) fn new() -> IpFinder {
        IpFinder {
            v4: crate::re::compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"),
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
        if line.contains('.') {
            for m in self.v4.find_iter(line) {
                let (s, e) = (m.start(), m.end());
                if s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'.') {
                    continue;
                }
                if let Some(&n) = b.get(e) {
                    if n.is_ascii_alphanumeric() {
                        continue;
                    }
                    if n == b'.' && b.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
                        continue;
                    }
                }
                if in_url(line, s) {
                    continue;
                }
                let Some(ip) = parse_v4(m.as_str()) else {
                    continue;
                };
                out.push(Mention { start: s, end: e, ip: IpAddr::V4(ip) });
                // "192.0.2.52 (and 44, and 21)": the same /24, last octets listed.
                if let Some(c) = self.abbreviated.captures(&line[e..]) {
                    let o = ip.octets();
                    for n in c[1].split(|ch: char| !ch.is_ascii_digit()).filter_map(|n| n.parse::<u8>().ok()) {
                        out.push(Mention { start: s, end: e, ip: IpAddr::V4(Ipv4Addr::new(o[0], o[1], o[2], n)) });
                    }
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
                if colons < 2 || !(cand.contains("::") || colons == 7) || cand.contains(":::") {
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
        for m in self.v4.find_iter(line) {
            let e = m.end();
            if b.get(e) == Some(&b'.') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
                let mut f = e + 1;
                while f < b.len() && b[f].is_ascii_digit() {
                    f += 1;
                }
                if !b.get(f).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.') {
                    out.push(line[m.start()..f].to_string());
                }
            }
        }
        out
    }
}

fn parse_v4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut octets {
        *o = parts.next()?.parse::<u8>().ok()?;
    }
    let ip = Ipv4Addr::from(octets);
    (!ip.is_unspecified() && !ip.is_broadcast()).then_some(ip)
}

/// True when the address at `pos` is part of a URL (`http://1.2.3.4/`, `?ip=`).
fn in_url(line: &str, pos: usize) -> bool {
    // A URL token is short; look back a bounded way (no quadratic rescans).
    let before = crate::bounds::tail(&line[..pos], 256);
    let token_start =
        before.rfind(|c: char| c.is_whitespace() || c == '<' || c == '"' || c == '(').map_or(0, |p| p + 1);
    let token = &before[token_start..];
    token.contains("://") || token.contains('?') || token.contains("www.") || token.contains('=') && token.contains('&')
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ips(line: &str) -> Vec<String> {
        IpFinder::new().mentions(line).iter().map(|m| m.ip.to_string()).collect()
    }

    #[test]
    fn forms() {
        assert_eq!(ips("Ip:                  207.154.202.251."), vec!["207.154.202.251"]);
        assert_eq!(
            ips("src nudo34-128:207.154.202.251/33972 dst x:213.134.43.251/2375"),
            vec!["207.154.202.251", "213.134.43.251"]
        );
        assert_eq!(
            ips("hosts 178.62.111.35, 2a03:b0c0:1:d0::24a:a001."),
            vec!["178.62.111.35", "2a03:b0c0:1:d0::24a:a001"]
        );
        assert_eq!(ips("mapped ::ffff:192.0.2.9 here"), vec!["192.0.2.9"]);
        assert_eq!(ips("[2001:db8::1]:443"), vec!["2001:db8::1"]);
        assert_eq!(ips("connect from host.example[78.94.146.84]"), vec!["78.94.146.84"]);
    }

    #[test]
    fn abbreviated_lists_are_expanded() {
        assert_eq!(ips("from 192.0.2.52 (and 44, and 21) again"), vec!["192.0.2.52", "192.0.2.44", "192.0.2.21"]);
        assert_eq!(ips("hosts 192.0.2.5 (.6, .7)"), vec!["192.0.2.5", "192.0.2.6", "192.0.2.7"]);
        assert_eq!(ips("host 192.0.2.5 (our web server)"), vec!["192.0.2.5"]);
    }

    #[test]
    fn rejects() {
        assert!(ips("http://192.0.2.1/path and https://x/check/198.51.100.2").is_empty());
        assert!(ips("94.189.128.164.static.wline.lns.example.ch").is_empty());
        assert!(ips("92.222.64.5.4 is not an address").is_empty());
        assert!(ips("Chrome/91.0.4472.124 and 1.2.3").is_empty());
        assert!(ips("Sep 22 01:20:17 and 12:34:56").is_empty());
        assert!(ips("view.html?ip=45.55.86.19").is_empty());
    }

    #[test]
    fn masked_and_invalid() {
        let f = IpFinder::new();
        assert_eq!(f.masked("IP: 91.78.17.xxx and 5.101.73.XXX:22 and 3.xxx.xxx.xxx").len(), 3);
        assert!(f.masked("162.248.89.x.34696").len() == 1);
        assert_eq!(f.five_octets("host 92.222.64.5.4 here"), vec!["92.222.64.5.4"]);
    }
}
