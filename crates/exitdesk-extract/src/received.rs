//! `Received:` chains of the mail a complaint encloses or pastes: which hop
//! handed it to the recipient's systems, who sent it, and when.
//!
//! A spam complaint from a person often carries the spam's headers (an
//! enclosed `message/rfc822`, `text/rfc822-headers`, or a block pasted into
//! the body). Each `Received:` header is one hop, newest on top: `from HELO
//! (RDNS [IP]) by HOST …; DATE`. Walking down from the top, hops from internal
//! addresses (private, loopback, CGNAT, …) and from hosts of the receiving
//! side (a `from` host under the domain of a `by` host above it, or under the
//! complainant's own mail domain) are skipped: the first hop left handed the
//! message to the recipient. Hops below it count only while they are linked to
//! it (their `by` host is the sender's): an authenticated submission there
//! (`with ESMTPA`, `ESMTPSA`, "authenticated") names the client that wrote the
//! message (a compromised account), and another outside sender there makes
//! the chain ambiguous. Unlinked lower hops may be forged and are not read.
//! The complaint's own headers (the outer message) are never lines, so never
//! read here.

use std::net::IpAddr;

use jiff::civil::Date;

use crate::ip::IpFinder;
use crate::text::{Line, Region, header_key};
use crate::time::{Found, TimeParser};

/// One `Received:` header.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    /// Where its `Received:` line is: part and line index.
    pub(crate) part: usize,
    pub(crate) line: usize,
    /// The `from` host names the receiving server recorded (the reverse-DNS
    /// name when there is one, else the HELO name).
    pub(crate) names: Vec<String>,
    /// The connecting address (the one in the `from` clause's parentheses,
    /// else the first one of the clause).
    pub(crate) ip: Option<IpAddr>,
    /// The receiving host.
    pub(crate) by: Option<String>,
    /// An authenticated submission (`with ESMTPA`, `ESMTPSA`, "authenticated").
    pub(crate) auth: bool,
    /// Plain SMTP (`with SMTP`, `ESMTP`, `ESMTPS`: RFC 3848; Microsoft's
    /// `with Microsoft SMTP Server`), no login.
    pub(crate) smtp: bool,
    /// The date after the last `;`, with its own offset.
    pub(crate) time: Option<Found>,
}

impl Hop {
    /// Reads one unfolded `Received:` value.
    pub(crate) fn parse(ips: &IpFinder, times: Option<(&TimeParser, Option<Date>)>, value: &str) -> Hop {
        let lower = value.to_ascii_lowercase();
        let (from, by) = match lower.find(" by ").or_else(|| lower.starts_with("by ").then_some(0)) {
            Some(p) => (&lower[..p], Some(&lower[p..])),
            None => (lower.as_str(), None),
        };
        let from = from.trim();
        let from = from.strip_prefix("from").unwrap_or(from);
        // `from HELO (RDNS [IP])`: the reverse-DNS name is the receiver's
        // own finding, the HELO name the sender's claim.
        let (helo, paren) = match from.find('(') {
            Some(p) => (&from[..p], Some(&from[p + 1..from[p..].find(')').map_or(from.len(), |e| p + e)])),
            None => (from, None),
        };
        let rdns: Vec<String> = paren.map(|p| p.split_whitespace().filter_map(host).collect()).unwrap_or_default();
        let names = if rdns.is_empty() { helo.split_whitespace().take(2).filter_map(host).collect() } else { rdns };
        let ip = paren
            .and_then(|p| ips.mentions(p).first().map(|m| m.ip))
            .or_else(|| ips.mentions(from).first().map(|m| m.ip));
        let by =
            by.and_then(|b| b.trim_start().strip_prefix("by")).and_then(|b| b.split_whitespace().next()).and_then(host);
        let auth = lower.contains("authenticated")
            || lower.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
                w[0] == "with"
                    && matches!(
                        w[1].trim_end_matches([';', ',', ')']),
                        "esmtpa" | "esmtpsa" | "lmtpa" | "lmtpsa" | "utf8smtpa" | "utf8smtpsa" | "asmtp"
                    )
            });
        let smtp = !auth
            && lower.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
                w[0] == "with"
                    && matches!(w[1].trim_end_matches([';', ',', ')']), "smtp" | "esmtp" | "esmtps" | "microsoft")
            });
        let time = times.and_then(|(t, reference)| {
            let tail = value.rfind(';').map_or(value, |p| &value[p + 1..]);
            t.find(tail, reference).into_iter().next().or_else(|| t.find(value, reference).into_iter().last())
        });
        Hop { part: 0, line: 0, names, ip, by, auth, smtp, time }
    }
}

/// A host name: letters, digits, dots and dashes, with a dot and a letter.
fn host(s: &str) -> Option<String> {
    let h: String = s
        .trim_matches(|c: char| "()[]<>;,".contains(c))
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    let h = h.trim_end_matches('.').to_ascii_lowercase();
    (h.contains('.') && h.chars().any(|c| c.is_ascii_alphabetic())).then_some(h)
}

/// Second-level labels under which a country's names are registered (`co.uk`, `com.br`).
const SECOND_LEVEL: &[&str] = &["co", "com", "net", "org", "gov", "edu", "ac", "ne", "or", "go", "gob", "mil"];

/// The registrable domain of a host: its last two labels, or three under a
/// country's second-level label (`mail.example.co.uk` → `example.co.uk`).
pub(crate) fn registrable(host: &str) -> String {
    let labels: Vec<&str> = host.trim_end_matches('.').rsplit('.').collect();
    let keep = if labels.len() >= 3 && labels[0].len() == 2 && SECOND_LEVEL.contains(&labels[1]) { 3 } else { 2 };
    let mut kept: Vec<&str> = labels.into_iter().take(keep).collect();
    kept.reverse();
    kept.join(".")
}

/// An address that never faces the Internet: private, loopback, link-local,
/// shared (CGNAT), unique-local; IPv4-mapped IPv6 is judged as IPv4.
pub(crate) fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback() || v6.is_unspecified() || (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

/// What a chain says about its sender (indices into the chain).
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    /// The hop that handed the message to the recipient's systems.
    pub(crate) handed: usize,
    /// The sender: an authenticated client below `handed`, else `handed`.
    pub(crate) origin: usize,
    /// Other outside senders linked below `handed` (the chain is ambiguous).
    pub(crate) others: Vec<IpAddr>,
}

/// Reads the sender of one chain (hops newest first). `own`: the
/// registrable domains of the complainant's mail. With `earliest`, a chain
/// whose every hop looks like the recipient's own gives its earliest public
/// hop (ARF reports, whose enclosed message is the reported one by format).
pub(crate) fn sender(hops: &[Hop], own: &[String], earliest: bool) -> Option<Sender> {
    let mut side: Vec<String> = own.to_vec();
    let mut handed = None;
    for (k, h) in hops.iter().enumerate() {
        if let Some(by) = &h.by {
            let d = registrable(by);
            if !side.contains(&d) {
                side.push(d);
            }
        }
        let Some(ip) = h.ip else { continue };
        if is_internal(ip) || h.names.iter().any(|n| side.contains(&registrable(n))) {
            continue;
        }
        handed = Some(k);
        break;
    }
    let Some(k) = handed else {
        if !earliest {
            return None;
        }
        let k = hops.iter().rposition(|h| h.ip.is_some_and(|ip| !is_internal(ip)))?;
        return Some(Sender { handed: k, origin: k, others: Vec::new() });
    };
    let top = &hops[k];
    let theirs: Vec<String> = top.names.iter().map(|n| registrable(n)).collect();
    let mut origin = k;
    let mut others = Vec::new();
    for (j, low) in hops.iter().enumerate().skip(k + 1) {
        let linked = low.by.as_ref().is_some_and(|b| top.names.contains(b) || theirs.contains(&registrable(b)));
        if !linked {
            break;
        }
        let Some(ip) = low.ip.filter(|ip| !is_internal(*ip)) else { continue };
        if low.auth {
            origin = j;
            break;
        }
        if low.names.iter().any(|n| theirs.contains(&registrable(n))) || Some(ip) == top.ip {
            continue;
        }
        others.push(ip);
        break;
    }
    Some(Sender { handed: k, origin, others })
}

/// The hop that stands for the incident in one chain.
#[derive(Debug, Clone)]
pub(crate) struct Pick {
    pub(crate) hop: Hop,
    /// The chain chose the accused address (nothing else named one).
    pub(crate) accused: bool,
    /// The hop that handed the message to the recipient, when another.
    pub(crate) handed: Option<IpAddr>,
    /// Other outside senders the chain names (ambiguous).
    pub(crate) others: Vec<IpAddr>,
}

/// How the chains show an accused address sending: a hop from it with a
/// login (a mail account's client), else a hop from it over plain SMTP
/// into the recipient's own mail system (its receiving host under the
/// registrable domain of the chain's topmost one). A hop into another
/// organisation's server, a relay on the way, says neither.
pub(crate) fn delivery<'h>(chains: &'h [Vec<Hop>], accused: &[IpAddr]) -> Option<(exitdesk_model::Delivery, &'h Hop)> {
    let from_accused = |h: &&Hop| h.ip.is_some_and(|ip| accused.contains(&ip));
    let submitted = chains.iter().flatten().filter(from_accused).find(|h| h.auth);
    if let Some(h) = submitted {
        return Some((exitdesk_model::Delivery::Submitted, h));
    }
    chains.iter().find_map(|chain| {
        let top = registrable(chain.first()?.by.as_deref()?);
        let direct = chain
            .iter()
            .filter(from_accused)
            .find(|h| h.smtp && h.by.as_deref().map(registrable).as_ref() == Some(&top));
        direct.map(|h| (exitdesk_model::Delivery::Direct, h))
    })
}

/// One hop per chain: when the complaint accuses addresses already
/// (`reported`), the hop of an accused address nearest the origin (only the
/// trustworthy part of the chain, from the top down to its sender); else the
/// chain's sender. Chains repeated (an attachment copying an enclosed
/// message) give one pick.
pub(crate) fn picks(chains: &[Vec<Hop>], own: &[String], reported: &[IpAddr]) -> Vec<Pick> {
    let mut out: Vec<Pick> = Vec::new();
    for chain in chains {
        let s = sender(chain, own, false);
        let pick = if reported.is_empty() {
            s.map(|s| Pick {
                hop: chain[s.origin].clone(),
                accused: true,
                handed: chain[s.handed].ip.filter(|_| s.handed != s.origin),
                others: s.others,
            })
        } else {
            let end = s.map_or(chain.len(), |s| s.origin + 1);
            chain[..end]
                .iter()
                .rev()
                .find(|h| h.time.is_some() && h.ip.is_some_and(|ip| reported.contains(&ip)))
                .map(|h| Pick { hop: h.clone(), accused: false, handed: None, others: Vec::new() })
        };
        if let Some(p) = pick {
            let same = |o: &Pick| {
                o.hop.ip == p.hop.ip && o.hop.time.as_ref().map(|f| f.dt) == p.hop.time.as_ref().map(|f| f.dt)
            };
            if !out.iter().any(same) {
                out.push(p);
            }
        }
    }
    out
}

/// The `Received:` chains in the lines: the hops of each header block (of an
/// enclosed message, or pasted into a body), newest first, at most 64 per
/// chain and 32 chains. With `samples`, also the headers of a spam sample
/// quoted under an "offending message" marker.
pub(crate) fn chains(
    ips: &IpFinder,
    times: &TimeParser,
    lines: &[Line],
    reference: Option<Date>,
    samples: bool,
) -> Vec<Vec<Hop>> {
    let mut out: Vec<Vec<Hop>> = Vec::new();
    let mut last_end: Option<(usize, usize)> = None; // (part, line after the previous record)
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let read = l.region == Region::Header || (samples && l.region == Region::Sample);
        if !read || header_key(l.text.trim_start()).as_deref() != Some("received") {
            i += 1;
            continue;
        }
        let (value, end) = record(times, lines, i);
        let mut hop = Hop::parse(ips, Some((times, reference)), &value);
        hop.part = l.part;
        hop.line = i;
        let same = last_end.is_some_and(|(p, e)| p == l.part && !breaks_chain(&lines[e.min(i)..i]));
        let chains = out.len();
        match out.last_mut() {
            Some(chain) if same => {
                if chain.len() < 64 {
                    chain.push(hop);
                }
            }
            _ if chains < 32 => out.push(vec![hop]),
            _ => break,
        }
        last_end = Some((l.part, end));
        i = end.max(i + 1);
    }
    out
}

/// The unfolded value of the `Received:` header on line `i`, and the index
/// of the first line after it. Pasted headers lose their folding: a
/// continuation may be unindented or follow a blank line, so the record
/// runs until the next header, its date with its offset (after a `;`), a
/// sentence, two blank lines or 16 lines.
fn record(times: &TimeParser, lines: &[Line], i: usize) -> (String, usize) {
    let first = &lines[i];
    let mut value = first.text.split_once(':').map_or("", |(_, v)| v).trim().to_string();
    // A date with its offset ends the record (a folded offset may follow a bare date).
    let dated = |v: &str| v.rfind(';').is_some_and(|p| times.find(&v[p + 1..], None).iter().any(|f| f.zone.is_some()));
    let mut j = i + 1;
    let mut blanks = 0;
    while j < lines.len() && j - i <= 16 && lines[j].part == first.part && !dated(&value) {
        let t = &lines[j].text;
        if t.trim().is_empty() {
            blanks += 1;
            if blanks >= 2 {
                break;
            }
            j += 1;
            continue;
        }
        let indented = t.starts_with([' ', '\t']);
        if !indented && (header_key(t).is_some() || blanks > 0 || t.split_whitespace().count() >= 6) {
            break;
        }
        blanks = 0;
        value.push(' ');
        value.push_str(t.trim());
        j += 1;
    }
    (value, j)
}

/// Lines between two `Received:` records that end a chain: a sentence of
/// prose, or a forward or MIME boundary line.
fn breaks_chain(between: &[Line]) -> bool {
    between.iter().any(|l| {
        let t = l.text.trim();
        let prose = l.region == Region::Prose && !l.text.starts_with([' ', '\t']) && t.split_whitespace().count() >= 8;
        prose || t.starts_with("--") || t.to_ascii_lowercase().contains("forwarded message")
    })
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn hops(text: &str) -> Vec<Hop> {
        let ips = IpFinder::new();
        let times = TimeParser::new();
        let mut out = Vec::new();
        for v in text.split("\nReceived: ").map(|v| v.trim_start_matches("Received: ")) {
            out.push(Hop::parse(&ips, Some((&times, None)), &v.replace('\n', " ")));
        }
        out
    }

    fn utc(h: &Hop) -> String {
        let f = h.time.as_ref().unwrap();
        exitdesk_model::format_utc(f.zone.as_ref().unwrap().to_utc(f.dt).unwrap())
    }

    #[test]
    fn the_hop_that_handed_it_over() {
        let chain = hops(
            "Received: from a1.mail.example.org (2001:db8::5)\n by a2.mail.example.org with HTTPS; Tue, 14 Feb 2023 19:18:51 +0000\n\
             Received: from sender.example.net (198.51.100.7) by mx1.eop.example.org (10.1.2.3) with Microsoft SMTP Server; Tue, 14 Feb 2023 19:18:50 +0000\n\
             Received: by sender.example.net (Postfix, from userid 0) id 7; Tue, 14 Feb 2023 19:10:00 +0000",
        );
        let s = sender(&chain, &[], false).unwrap();
        assert_eq!(chain[s.handed].ip, "198.51.100.7".parse().ok());
        assert_eq!(s.origin, s.handed);
        assert!(s.others.is_empty());
        assert_eq!(utc(&chain[s.origin]), "2023-02-14T19:18:50Z");
    }

    #[test]
    fn an_authenticated_client_below_is_the_origin() {
        let chain = hops(
            "Received: from out1.relay.example.net ([198.51.100.20]) by mx.example.org; Wed, 08 Feb 2023 01:27:00 +0100\n\
             Received: from [203.0.113.9] (helo=x) by out1.relay.example.net with esmtpa (Exim 4.68) id 1; Wed, 08 Feb 2023 01:26:58 +0100",
        );
        let s = sender(&chain, &[], false).unwrap();
        assert_eq!(chain[s.handed].ip, "198.51.100.20".parse().ok());
        assert_eq!(chain[s.origin].ip, "203.0.113.9".parse().ok());
        assert_eq!(utc(&chain[s.origin]), "2023-02-08T00:26:58Z");
    }

    #[test]
    fn the_complainants_own_relays_are_skipped() {
        let chain = hops(
            "Received: from smtp6.mail.example.edu (192.0.2.44) by x1.protection.example.com (10.1.1.1); Wed, 21 Sep 2022 04:41:52 +0000\n\
             Received: from pmu4.example.gov.br ([198.51.100.19]) by smtp6.mail.example.edu with ESMTP; Tue, 20 Sep 2022 23:41:40 -0500 (CDT)\n\
             Received: by pmu4.example.gov.br (Postfix, from userid 5001) id 4; Tue, 20 Sep 2022 19:02:16 -0300\n\
             Received: from [203.0.113.206] (unknown [203.0.113.206]) by pmu4.example.gov.br (Postfix) with ESMTPSA id 4;\tTue, 20 Sep 2022 09:59:29 -0300 (-03)",
        );
        assert_eq!(chain[sender(&chain, &[], false).unwrap().handed].ip, "192.0.2.44".parse().ok());
        let s = sender(&chain, &["example.edu".to_string()], false).unwrap();
        assert_eq!(chain[s.handed].ip, "198.51.100.19".parse().ok());
        assert_eq!(chain[s.origin].ip, "203.0.113.206".parse().ok());
        assert_eq!(utc(&chain[s.origin]), "2022-09-20T12:59:29Z");
    }

    #[test]
    fn another_outside_sender_below_is_ambiguous() {
        let chain = hops(
            "Received: from relay.example.net (relay.example.net [198.51.100.1]) by mx.example.org; Mon, 1 Jan 2024 10:00:05 +0000\n\
             Received: from other.example.com (other.example.com [203.0.113.5]) by relay.example.net; Mon, 1 Jan 2024 10:00:01 +0000",
        );
        let s = sender(&chain, &[], false).unwrap();
        assert_eq!(chain[s.origin].ip, "198.51.100.1".parse().ok());
        assert_eq!(s.others, vec!["203.0.113.5".parse::<IpAddr>().unwrap()]);
        // A lower hop not linked to the sender may be forged: not read.
        let chain = hops(
            "Received: from relay.example.net (relay.example.net [198.51.100.1]) by mx.example.org; Mon, 1 Jan 2024 10:00:05 +0000\n\
             Received: from other.example.com (other.example.com [203.0.113.5]) by elsewhere.example.com; Mon, 1 Jan 2024 10:00:01 +0000",
        );
        assert!(sender(&chain, &[], false).unwrap().others.is_empty());
    }

    #[test]
    fn a_forged_helo_does_not_make_a_hop_internal() {
        // The HELO claims the recipient's domain; the reverse-DNS name does not.
        let chain = hops(
            "Received: from mx.example.org (host.example.net [198.51.100.9]) by mx2.example.org; Mon, 1 Jan 2024 10:00:05 +0000",
        );
        assert_eq!(chain[sender(&chain, &[], false).unwrap().handed].ip, "198.51.100.9".parse().ok());
    }

    #[test]
    fn domains() {
        assert_eq!(registrable("a.b.example.org"), "example.org");
        assert_eq!(registrable("mail.example.co.uk"), "example.co.uk");
        assert_eq!(registrable("pmu4.uberaba.example.br"), "example.br");
        assert_eq!(registrable("example.org"), "example.org");
    }

    #[test]
    fn pasted_records_lose_their_folding() {
        let text = "Received: from s.example.net (s.example.net. [198.51.100.7])\n\n        by mx.example.org with ESMTPS id\n41be03b.2024.09.19.13.20.03\n\n        (version=TLS1_2);\n\n        Thu, 19 Sep 2024 13:20:03 -0700 (PDT)\n\nReceived-SPF: pass\nDear abuse team, here is more text that follows.";
        let lines: Vec<Line> =
            text.split('\n').map(|t| Line { part: 0, text: t.to_string(), quote: 0, region: Region::Header }).collect();
        let ips = IpFinder::new();
        let times = TimeParser::new();
        let c = chains(&ips, &times, &lines, None, false);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0][0].by.as_deref(), Some("mx.example.org"));
        assert_eq!(utc(&c[0][0]), "2024-09-19T20:20:03Z");
    }
}
