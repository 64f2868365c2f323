//! Network-status consensuses, both flavours (dir-spec §3.4.1, §3.9): the
//! header times and, per relay, the `r`, `a`, `s`, `w`, `p` and `m` lines.
//! Everything else (votes' digests, `v`, `pr`, signatures) is read past.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use serde::Serialize;

use crate::fingerprint::base64_decode_into;
use crate::meta::Items;
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

/// Parses a consensus. Fails only when the header lacks `valid-after`, or
/// for a vote; bad entries are skipped with an error each.
pub fn parse_consensus(text: &str) -> Result<Consensus, DocError> {
    let mut items = Items::new(text);
    let mut flavour = Flavour::Ns;
    let mut method = None;
    let mut valid_after = None;
    let mut fresh_until = None;
    let mut valid_until = None;
    let mut relays: Vec<RouterStatus> = Vec::with_capacity(text.len() / 300);
    let mut errors = Vec::new();
    let mut current: Option<RouterStatus> = None;
    let mut skipping = false;
    let mut seen_version = false;
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
            "network-status-version" => {
                seen_version = true;
                let mut w = item.args.split_ascii_whitespace();
                if w.next() != Some("3") {
                    return Err(DocError::new(
                        item.line,
                        format!("unsupported network-status-version {:?}", item.args),
                    ));
                }
                if w.next() == Some("microdesc") {
                    flavour = Flavour::Microdesc;
                }
            }
            "vote-status" if item.args != "consensus" => {
                return Err(DocError::new(item.line, format!("a {:?}, not a consensus", item.args)));
            }
            "consensus-method" => method = item.args.parse().ok(),
            "valid-after" | "fresh-until" | "valid-until" => {
                let t = parse_words(&mut item.args.split_ascii_whitespace());
                if t.is_none() {
                    errors.push(DocError::new(item.line, format!("bad time in `{}`", item.kw)));
                }
                match item.kw {
                    "valid-after" => valid_after = t,
                    "fresh-until" => fresh_until = t,
                    _ => valid_until = t,
                }
            }
            _ => {}
        }
    }
    relays.extend(current.take());
    errors.extend(items.finish());
    if !seen_version {
        return Err(DocError::new(1, "no network-status-version line: not a consensus"));
    }
    let valid_after = valid_after.ok_or_else(|| DocError::new(1, "no valid `valid-after` line"))?;
    Ok(Consensus { flavour, method, valid_after, fresh_until, valid_until, relays, errors })
}
