//! Full exit policies from server descriptors (`accept`/`reject
//! exitpattern`, dir-spec §2.1.3) and torrc-style rules: first match wins,
//! no match accepts.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// The address part of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AddrPattern {
    /// `*`: every address.
    Any,
    /// `*4`: every IPv4 address.
    Any4,
    /// `*6`: every IPv6 address.
    Any6,
    /// An IPv4 network.
    V4 {
        /// Network address (host bits zero).
        net: u32,
        /// Prefix length.
        bits: u8,
    },
    /// An IPv6 network.
    V6 {
        /// Network address (host bits zero).
        net: u128,
        /// Prefix length.
        bits: u8,
    },
}

fn mask4(bits: u8) -> u32 {
    if bits == 0 { 0 } else { u32::MAX << (32 - u32::from(bits.min(32))) }
}

fn mask6(bits: u8) -> u128 {
    if bits == 0 { 0 } else { u128::MAX << (128 - u32::from(bits.min(128))) }
}

impl AddrPattern {
    /// Whether `ip` is covered.
    pub fn matches(&self, ip: IpAddr) -> bool {
        match (*self, ip) {
            (AddrPattern::Any, _) | (AddrPattern::Any4, IpAddr::V4(_)) | (AddrPattern::Any6, IpAddr::V6(_)) => true,
            (AddrPattern::V4 { net, bits }, IpAddr::V4(a)) => u32::from(a) & mask4(bits) == net,
            (AddrPattern::V6 { net, bits }, IpAddr::V6(a)) => u128::from(a) & mask6(bits) == net,
            _ => false,
        }
    }

    /// Whether it covers every address of the family of `v6`.
    fn covers_family(&self, v6: bool) -> bool {
        match *self {
            AddrPattern::Any => true,
            AddrPattern::Any4 | AddrPattern::V4 { bits: 0, .. } => !v6,
            AddrPattern::Any6 | AddrPattern::V6 { bits: 0, .. } => v6,
            _ => false,
        }
    }

    /// Whether it can match some address of the family of `v6`.
    fn in_family(&self, v6: bool) -> bool {
        match self {
            AddrPattern::Any => true,
            AddrPattern::Any4 | AddrPattern::V4 { .. } => !v6,
            AddrPattern::Any6 | AddrPattern::V6 { .. } => v6,
        }
    }

    fn parse(s: &str) -> Result<AddrPattern, String> {
        match s {
            "*" => return Ok(AddrPattern::Any),
            "*4" => return Ok(AddrPattern::Any4),
            "*6" => return Ok(AddrPattern::Any6),
            _ => {}
        }
        let (addr, mask) = match s.split_once('/') {
            Some((a, m)) => (a, Some(m)),
            None => (s, None),
        };
        if let Some(inner) = addr.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
            let ip: Ipv6Addr = inner.parse().map_err(|_| format!("bad IPv6 address {inner:?}"))?;
            let bits = match mask {
                None => 128,
                Some(m) => m.parse::<u8>().ok().filter(|b| *b <= 128).ok_or_else(|| format!("bad mask {m:?}"))?,
            };
            return Ok(AddrPattern::V6 { net: u128::from(ip) & mask6(bits), bits });
        }
        let ip: Ipv4Addr = addr.parse().map_err(|_| format!("bad address {addr:?}"))?;
        let bits = match mask {
            None => 32,
            Some(m) if m.contains('.') => {
                let mask: Ipv4Addr = m.parse().map_err(|_| format!("bad mask {m:?}"))?;
                let m32 = u32::from(mask);
                let bits = m32.leading_ones() as u8;
                if mask4(bits) != m32 {
                    return Err(format!("non-contiguous mask {m:?}"));
                }
                bits
            }
            Some(m) => m.parse::<u8>().ok().filter(|b| *b <= 32).ok_or_else(|| format!("bad mask {m:?}"))?,
        };
        Ok(AddrPattern::V4 { net: u32::from(ip) & mask4(bits), bits })
    }
}

impl fmt::Display for AddrPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AddrPattern::Any => f.write_str("*"),
            AddrPattern::Any4 => f.write_str("*4"),
            AddrPattern::Any6 => f.write_str("*6"),
            AddrPattern::V4 { net, bits: 32 } => write!(f, "{}", Ipv4Addr::from(net)),
            AddrPattern::V4 { net, bits } => write!(f, "{}/{bits}", Ipv4Addr::from(net)),
            AddrPattern::V6 { net, bits: 128 } => write!(f, "[{}]", Ipv6Addr::from(net)),
            AddrPattern::V6 { net, bits } => write!(f, "[{}]/{bits}", Ipv6Addr::from(net)),
        }
    }
}

/// One `accept`/`reject` rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyRule {
    /// `accept` (true) or `reject`.
    pub accept: bool,
    /// Addresses covered.
    pub addr: AddrPattern,
    /// First and last port covered (`*` = 1–65535).
    pub ports: (u16, u16),
}

impl PolicyRule {
    /// Parses `accept *:80`, `reject 10.0.0.0/8:*`, `accept6 [2001:db8::]/32:443`
    /// (keyword and pattern as two strings).
    pub fn parse(keyword: &str, pattern: &str) -> Result<PolicyRule, String> {
        let (accept, v6_only) = match keyword {
            "accept" => (true, false),
            "reject" => (false, false),
            "accept6" => (true, true),
            "reject6" => (false, true),
            k => return Err(format!("not a policy keyword: {k:?}")),
        };
        let (addr, ports) = pattern.rsplit_once(':').ok_or_else(|| format!("no port in {pattern:?}"))?;
        let mut addr = AddrPattern::parse(addr)?;
        if v6_only {
            addr = match addr {
                AddrPattern::Any => AddrPattern::Any6,
                a @ (AddrPattern::Any6 | AddrPattern::V6 { .. }) => a,
                _ => return Err(format!("{keyword} needs an IPv6 pattern: {pattern:?}")),
            };
        }
        let ports = match ports {
            "*" => (1, 65535),
            p => match p.split_once('-') {
                Some((a, b)) => {
                    let lo = a.parse::<u16>().map_err(|_| format!("bad port {p:?}"))?;
                    let hi = b.parse::<u16>().map_err(|_| format!("bad port {p:?}"))?;
                    if lo > hi {
                        return Err(format!("bad port range {p:?}"));
                    }
                    (lo, hi)
                }
                None => {
                    let n = p.parse::<u16>().map_err(|_| format!("bad port {p:?}"))?;
                    (n, n)
                }
            },
        };
        Ok(PolicyRule { accept, addr, ports })
    }

    fn covers_port(&self, port: u16) -> bool {
        port != 0 && self.ports.0 <= port && port <= self.ports.1
    }

    /// Whether the rule applies to (`ip`, `port`).
    pub fn matches(&self, ip: IpAddr, port: u16) -> bool {
        self.covers_port(port) && self.addr.matches(ip)
    }
}

impl fmt::Display for PolicyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kw = if self.accept { "accept" } else { "reject" };
        match self.ports {
            (1, 65535) => write!(f, "{kw} {}:*", self.addr),
            (lo, hi) if lo == hi => write!(f, "{kw} {}:{lo}", self.addr),
            (lo, hi) => write!(f, "{kw} {}:{lo}-{hi}", self.addr),
        }
    }
}

/// An ordered exit policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ExitPolicy {
    /// The rules, first match wins.
    pub rules: Vec<PolicyRule>,
}

/// The outcome of evaluating a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Accepted?
    pub accept: bool,
    /// The index of the deciding rule (`None`: nothing matched, the default applied).
    pub rule: Option<usize>,
}

impl ExitPolicy {
    /// Parses a torrc-style list: `accept *:80, reject *:*` (commas or newlines).
    pub fn parse_list(s: &str) -> Result<ExitPolicy, String> {
        let mut rules = Vec::new();
        for item in s.split([',', '\n']).map(str::trim).filter(|i| !i.is_empty()) {
            let (kw, pat) = item.split_once(char::is_whitespace).ok_or_else(|| format!("bad rule {item:?}"))?;
            rules.push(PolicyRule::parse(kw, pat.trim())?);
        }
        Ok(ExitPolicy { rules })
    }

    /// First-match evaluation for a connection to (`ip`, `port`). A
    /// descriptor policy that matches nothing accepts (dir-spec §2.1.3).
    pub fn decide(&self, ip: IpAddr, port: u16) -> Decision {
        for (i, r) in self.rules.iter().enumerate() {
            if r.matches(ip, port) {
                return Decision { accept: r.accept, rule: Some(i) };
            }
        }
        Decision { accept: port != 0, rule: None }
    }

    /// Whether some address of the family (`v6`) is reachable on `port`:
    /// walking the rules in order, an accept for that port wins unless a
    /// reject covering the whole family came first.
    pub fn allows_port_somewhere(&self, port: u16, v6: bool) -> bool {
        if port == 0 {
            return false;
        }
        for r in &self.rules {
            if !r.covers_port(port) || !r.addr.in_family(v6) {
                continue;
            }
            if r.accept {
                return true;
            }
            if r.addr.covers_family(v6) {
                return false;
            }
        }
        true
    }

    /// Whether some port is reachable somewhere (an exit at all, for `v6`'s family).
    pub fn allows_any(&self, v6: bool) -> bool {
        // Ports where a rule starts or ends are the only points where the
        // answer can change; checking each boundary is exact.
        let mut points: Vec<u16> = vec![1, 65535];
        for r in &self.rules {
            points.push(r.ports.0.max(1));
            points.push(r.ports.1);
            points.push(r.ports.1.saturating_add(1));
        }
        points.into_iter().any(|p| self.allows_port_somewhere(p, v6))
    }
}

impl fmt::Display for ExitPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.rules.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn first_match_wins() {
        let p = ExitPolicy::parse_list(
            "reject 0.0.0.0/8:*, reject 192.0.2.7:*, reject 198.51.100.0/255.255.255.0:*, accept *:80, accept *:443, reject *:*",
        )
        .unwrap_or_default();
        assert_eq!(p.rules.len(), 6);
        assert!(p.decide(ip("203.0.113.9"), 80).accept);
        assert_eq!(p.decide(ip("192.0.2.7"), 80), Decision { accept: false, rule: Some(1) });
        assert!(!p.decide(ip("198.51.100.20"), 443).accept);
        assert!(!p.decide(ip("203.0.113.9"), 22).accept);
        assert!(p.allows_port_somewhere(443, false));
        assert!(!p.allows_port_somewhere(22, false));
        assert!(p.allows_any(false));
        assert_eq!(p.rules[2].to_string(), "reject 198.51.100.0/24:*");
        assert_eq!(ExitPolicy::parse_list("reject *:*").map(|p| p.allows_any(false)), Ok(false));
        assert_eq!(ExitPolicy::parse_list("").map(|p| p.allows_any(false)), Ok(true));
    }

    #[test]
    fn ipv6_rules() {
        let p = ExitPolicy::parse_list("reject6 [2001:db8::]/32:*, accept [::]/0:443, reject *:*").unwrap_or_default();
        assert!(!p.decide(ip("2001:db8::1"), 443).accept);
        assert!(p.decide(ip("2001:db9::1"), 443).accept);
        assert!(!p.decide(ip("192.0.2.1"), 443).accept);
        assert!(PolicyRule::parse("accept6", "192.0.2.1:80").is_err());
        assert!(PolicyRule::parse("accept", "192.0.2.1/33:80").is_err());
        assert!(PolicyRule::parse("accept", "192.0.2.1:90-80").is_err());
        assert!(PolicyRule::parse("accept", "192.0.2.1/255.0.255.0:80").is_err());
    }
}
