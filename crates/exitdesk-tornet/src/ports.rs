//! Port lists and exit-policy summaries (`p accept 80,443`, `p6 reject
//! 1-65535`, `ipv6-policy …`): which ports a relay exits to "for most
//! addresses" (dir-spec §3.8.2).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Sorted, merged, inclusive port ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct PortList(pub Vec<(u16, u16)>);

impl PortList {
    /// Parses `20-23,43,53`. Ports are 1–65535 (0 is read, as some old
    /// relays write it, but never matches).
    pub fn parse(s: &str) -> Result<PortList, String> {
        // Hand-rolled: summaries of exits list a hundred ranges, thousands
        // of times per consensus.
        let b = s.as_bytes();
        let mut ranges: Vec<(u16, u16)> = Vec::with_capacity(b.len() / 4 + 1);
        let mut i = 0;
        let num = |i: &mut usize| -> Option<u16> {
            let start = *i;
            let mut n: u32 = 0;
            while *i < b.len() && b[*i].is_ascii_digit() && *i - start < 6 {
                n = n * 10 + u32::from(b[*i] - b'0');
                *i += 1;
            }
            if *i == start { None } else { u16::try_from(n).ok() }
        };
        let mut sorted = true;
        loop {
            let bad = || format!("bad port list {:?}", s.chars().take(60).collect::<String>());
            let lo = num(&mut i).ok_or_else(bad)?;
            let hi = if b.get(i) == Some(&b'-') {
                i += 1;
                num(&mut i).ok_or_else(bad)?
            } else {
                lo
            };
            if lo > hi {
                return Err(format!("bad port range {lo}-{hi}"));
            }
            if ranges.last().is_some_and(|l| l.0 > lo) {
                sorted = false;
            }
            ranges.push((lo, hi));
            match b.get(i) {
                None => break,
                Some(b',') => i += 1,
                Some(_) => return Err(bad()),
            }
        }
        if !sorted {
            ranges.sort_unstable();
        }
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        Ok(PortList(merged))
    }

    /// Whether `port` is in the list.
    pub fn contains(&self, port: u16) -> bool {
        let i = self.0.partition_point(|&(_, hi)| hi < port);
        self.0.get(i).is_some_and(|&(lo, _)| lo <= port)
    }

    /// Whether the list covers every port 1–65535.
    pub fn covers_all(&self) -> bool {
        matches!(self.0.as_slice(), [(lo, 65535)] if *lo <= 1)
    }
}

impl fmt::Display for PortList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (lo, hi)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if lo == hi { write!(f, "{lo}")? } else { write!(f, "{lo}-{hi}")? }
        }
        Ok(())
    }
}

/// An exit-policy summary: accept or reject a port list, for most addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortSummary {
    /// `accept` (true) or `reject` (false).
    pub accept: bool,
    /// The ports.
    pub ports: PortList,
}

impl PortSummary {
    /// `reject 1-65535`: what a missing `p`/`p6`/`ipv6-policy` means.
    pub fn reject_all() -> PortSummary {
        PortSummary { accept: false, ports: PortList(vec![(1, 65535)]) }
    }

    /// Parses the arguments of a `p`/`p6`/`ipv6-policy` line:
    /// `accept 80,443` or `reject 1-65535`.
    pub fn parse(args: &str) -> Result<PortSummary, String> {
        let mut words = args.split_ascii_whitespace();
        let accept = match words.next() {
            Some("accept") => true,
            Some("reject") => false,
            other => return Err(format!("expected accept or reject, found {:?}", other.unwrap_or(""))),
        };
        let ports = PortList::parse(words.next().ok_or("missing port list")?)?;
        Ok(PortSummary { accept, ports })
    }

    /// Whether the summary lets the relay exit to `port` (for most addresses).
    pub fn allows(&self, port: u16) -> bool {
        port != 0 && self.accept == self.ports.contains(port)
    }

    /// Whether no port at all is allowed (`reject 1-65535`, or an empty accept).
    pub fn is_reject_all(&self) -> bool {
        if self.accept { self.ports.0.iter().all(|&(_, hi)| hi == 0) } else { self.ports.covers_all() }
    }
}

impl fmt::Display for PortSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", if self.accept { "accept" } else { "reject" }, self.ports)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_semantics() {
        let p = PortSummary::parse("accept 20-23,43,53,79-81,443").unwrap_or_else(|_| PortSummary::reject_all());
        assert!(p.allows(22) && p.allows(80) && p.allows(443) && !p.allows(25) && !p.allows(0));
        assert_eq!(p.to_string(), "accept 20-23,43,53,79-81,443");
        let r = PortSummary::parse("reject 25,119,135-139").unwrap_or_else(|_| PortSummary::reject_all());
        assert!(r.allows(80) && !r.allows(137) && !r.is_reject_all());
        assert!(PortSummary::reject_all().is_reject_all());
        assert!(PortSummary::parse("maybe 80").is_err());
        assert!(PortSummary::parse("accept 80-20").is_err());
        assert!(PortSummary::parse("accept 99999").is_err());
        assert_eq!(PortList::parse("443,80,81-90,91").map(|p| p.to_string()).as_deref(), Ok("80-91,443"));
    }
}
