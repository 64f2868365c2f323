//! Which addresses a complaint accuses.
//!
//! Every address mention gets a role from its surroundings: a field or column
//! that names the offender ("Source IP:", a CSV `ip` column), a cue in the
//! sentence ("attacks from X", "X is an open proxy", `rhost=X`), a victim cue
//! ("against X", "-> X", "Logs are from X", a destination column), or none.
//! Addresses in mail headers, whois dumps, quoted spam and URLs never count.
//! The decision then takes the most specific tier that has candidates:
//! machine-readable report fields, then named fields and columns, then cues,
//! then the addresses the prose mentions without any cue.

use std::net::IpAddr;

use regex::Regex;

use crate::bounds::{head, tail};
use crate::formats::{Column, TableHeader};
use crate::ip::IpFinder;
use crate::text::{Line, Region, header_key};

/// The role evidence collected for one address.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub(crate) strong: u32,
    pub(crate) weak: u32,
    pub(crate) victim: u32,
    pub(crate) plain: u32,
}

/// Compiled cue patterns.
#[derive(Debug)]
pub(crate) struct Cues {
    offender_left: Regex,
    offender_right: Regex,
    victim_left: Regex,
    key_line: Regex,
    offender_key: Regex,
    victim_key: Regex,
}

impl Cues {
    pub(crate) fn new() -> Cues {
        Cues {
            offender_left: crate::re::compile(
                r"(?x)(?:
                  \b(?:from|by|about|regarding|concerning|of|for|on|über|von|de|desde|da)\s+(?:the\s+|your\s+|an?\s+)?(?:(?:ip|host|address|server|source|machine|client|system|network|ip-adresse)\s*)?(?:address(?:es)?\s*|v[46]\s*)?
                | \bip(?:v[46])?(?:\s*-?\s*(?:address(?:es)?|adress(?:e|en)?|adresa|adresy))?
                | \b(?:hosts?|attackers?|offenders?|sources?|origin|drone|bot|proxy)
                | following\s+(?:ip|host|address|system)[^:\n]*:
                | \b(?:ip-?adressen?|ip-?adresa|adresses?\s+ip|direcci[oó]n(?:es)?\s+ip)\b[^:\n]*:
                | \b(?:rhost|rip|srcip|src_ip|src|sip|client|remote_addr|remoteip|saddr)\s*=\s*
                | \bsrc\s+(?:[\w-]+:)?
                | \bfrom\s+\S*\s*
                | \brelay=\S*\s*
                | \btraced\s+(?:\S+\s+){0,5}?to\s+
                )[\s:*(\[\x22'=]*$",
            ),
            offender_right: crate::re::compile(
                r"(?x)^(?:
                  [\])*'\x22]*\s*,?\s*(?:is|has|was|were|had|appears)\s+(?:an?\s+|been\s+|also\s+)?(?:open|attack|scan|host|infect|listed|send|try|tried|found|detect|compromis|perform|participat|used|running|making|generat|abus|brute|involved|block|report|seen|observed|spam|connect|access|deliver|distribut|shar)
                | \s+-\s+-\s+\[
                | [:/.]\d{1,5}\s*(?:->|=>)
                | \s+\d{1,5}\s+(?:->|=>)
                | \s+port\s+\d
                | \s+-\s+[a-z]+/[a-z]
                )",
            ),
            victim_left: crate::re::compile(
                r"(?x)(?:
                  \b(?:to|against|towards|dst|destination|target(?:ed)?|victim|attacked|lip|dstip|dst_ip|daddr|targeting)
                | ->|=>|\x20>
                | \b(?:our|my)
                | \blogs?\s+(?:are|were)\s+from
                | \bi\s+am\s+writing\s+from
                )(?:\s+(?:our|my|the|ip|address|server|servers|host|network|system|machine|site|web\s*server|webserver|range|customer|client)s?)*\s*[\s:*(\[=\x22]*(?:[\w-]+:)?$",
            ),
            key_line: crate::re::compile(r"^\s*[-*•]?\s*([^\s\d:=*•-][^:=]{0,45}?)\s*[:=]\s*(.*)$"),
            offender_key: crate::re::compile(
                r"(?ix)(?:
                  \bip\b|_ip\b|\bips\b|\bipv[46]\b|\bip-?adress|\bip\s*adres|\badresse\s+ip|\bdirecci[oó]n\s+ip|\bendere[cç]o\s+ip
                | \baddress(?:es)?\b|\bsource\b|\bsrc\b|\battacker|\boffend|\binfringer|\bhost\b|\bdrone|\binfected|\borigin
                | \bip/cidr
                )",
            ),
            victim_key: crate::re::compile(
                r"(?ix)(?:dest|dst|target|victim|\bour\b|\blocal|\blip\b|abused|report(?:er|ed|ing)|sinkhole|\bcc\b|c&c|gateway|resolver|\bdns\b|\bmx\b|mail|domain|e-?mail|listener|honeypot|sensor)",
            ),
        }
    }
}

/// Per-address evidence gathered over all lines.
#[derive(Debug, Default)]
pub(crate) struct Roles {
    pub(crate) order: Vec<IpAddr>,
    pub(crate) tally: std::collections::HashMap<IpAddr, Tally>,
}

impl Roles {
    fn entry(&mut self, ip: IpAddr) -> &mut Tally {
        if !self.tally.contains_key(&ip) {
            self.order.push(ip);
        }
        self.tally.entry(ip).or_default()
    }

    /// Records the roles of every mention in `subject`.
    pub(crate) fn subject(&mut self, cues: &Cues, ips: &IpFinder, subject: &str) {
        for m in ips.mentions(subject) {
            let left = subject[..m.start].to_lowercase();
            let t = self.entry(m.ip);
            if cues.victim_left.is_match(&left) {
                t.victim += 1;
            } else {
                t.weak += 1;
            }
        }
    }

    /// Records the roles of every mention in the lines.
    pub(crate) fn lines(&mut self, cues: &Cues, ips: &IpFinder, lines: &[Line]) {
        let mut header: Option<(usize, TableHeader)> = None;
        let mut list_key: Option<(usize, bool)> = None; // (part, offender?) for a key with its values on the next lines
        let mut blank_run = 0;
        for (i, line) in lines.iter().enumerate() {
            let text = line.text.as_str();
            if text.trim().is_empty() {
                blank_run += 1;
                if blank_run > 2 {
                    list_key = None;
                }
                if header.as_ref().is_some_and(|(p, _)| *p == line.part) {
                    header = None;
                }
                continue;
            }
            blank_run = 0;
            if line.region == Region::Header {
                // Only the ARF field names the offender inside a header block.
                if header_key(text.trim_start()).as_deref() == Some("source-ip") {
                    for m in ips.mentions(text) {
                        self.entry(m.ip).strong += 1;
                    }
                }
                continue;
            }
            if line.region != Region::Prose {
                continue;
            }
            if let Some(h) = TableHeader::parse(text) {
                header = Some((line.part, h));
                list_key = None;
                continue;
            }
            let mentions = ips.mentions(text);
            if let Some((part, h)) = &header {
                if *part == line.part && !mentions.is_empty() {
                    let row = h.row(text);
                    let mut used = false;
                    for (col, cell) in row {
                        let Some(m) = ips.mentions(&cell).first().copied() else {
                            continue;
                        };
                        match col {
                            Column::Ip => {
                                self.entry(m.ip).strong += 1;
                                used = true;
                            }
                            Column::DestIp => {
                                self.entry(m.ip).victim += 1;
                                used = true;
                            }
                            _ => {}
                        }
                    }
                    if used {
                        continue;
                    }
                }
            }
            // A key ends at the first ':' or '=' within the first 48 bytes, and a
            // ':' is followed by a space or the line's end (not "10:00:00").
            let b = text.as_bytes();
            let keyed = b
                .iter()
                .take(48)
                .position(|c| *c == b':' || *c == b'=')
                .is_some_and(|p| b[p] == b'=' || b.get(p + 1).is_none_or(|n| n.is_ascii_whitespace()));
            let key = keyed.then(|| cues.key_line.captures(text)).flatten().and_then(|c| {
                let k = c.get(1)?;
                let v = c.get(2)?;
                Some((k.as_str().to_lowercase(), v.start()))
            });
            if let Some((k, vstart)) = &key {
                let offender = cues.offender_key.is_match(k) && !cues.victim_key.is_match(k);
                let victim = cues.victim_key.is_match(k) && cues.offender_key.is_match(k);
                if text[*vstart..].trim().is_empty() {
                    list_key = (offender || victim).then_some((line.part, offender));
                    continue;
                }
                if offender || victim {
                    if let Some(m) = mentions.iter().find(|m| m.start >= *vstart) {
                        let between = &text[*vstart..m.start];
                        if between.trim_matches(|c: char| c.is_whitespace() || "*\"'([<".contains(c)).is_empty() {
                            let t = self.entry(m.ip);
                            if offender {
                                t.strong += 1;
                            } else {
                                t.victim += 1;
                            }
                            for other in mentions.iter().filter(|o| o.start > m.start) {
                                self.cue(cues, lines, i, other.start, other.end, other.ip);
                            }
                            continue;
                        }
                    }
                }
            }
            if let Some((part, offender)) = list_key {
                if part == line.part && !mentions.is_empty() && key.is_none() {
                    let first = mentions[0];
                    if text[..first.start].trim().is_empty() {
                        for m in &mentions {
                            let t = self.entry(m.ip);
                            if offender {
                                t.strong += 1;
                            } else {
                                t.victim += 1;
                            }
                        }
                        continue;
                    }
                }
                if key.is_some() {
                    list_key = None;
                }
            }
            for m in &mentions {
                self.cue(cues, lines, i, m.start, m.end, m.ip);
            }
        }
    }

    fn cue(&mut self, cues: &Cues, lines: &[Line], i: usize, start: usize, end: usize, ip: IpAddr) {
        let text = &lines[i].text;
        let mut left = tail(&text[..start], 160).to_lowercase();
        if left.trim().len() < 3 {
            // The cue may end the previous line: "the IP address\n192.0.2.1".
            if let Some(prev) = lines[..i].iter().rev().take(3).find(|l| !l.text.trim().is_empty()) {
                if prev.part == lines[i].part {
                    left = format!("{} {}", prev.text.to_lowercase(), left);
                }
            }
        }
        let left = tail(&left, 120);
        let right = head(&text[end..], 80).to_lowercase();
        let t = self.entry(ip);
        if cues.victim_left.is_match(left) {
            t.victim += 1;
        } else if cues.offender_left.is_match(left) || cues.offender_right.is_match(&right) {
            t.weak += 1;
        } else {
            t.plain += 1;
        }
    }

    /// The accused addresses: the most specific tier that has any.
    pub(crate) fn decide(&self, structured: &[IpAddr]) -> Vec<IpAddr> {
        if !structured.is_empty() {
            let mut out = Vec::new();
            for ip in structured {
                if !out.contains(ip) {
                    out.push(*ip);
                }
            }
            return out;
        }
        let pick = |f: &dyn Fn(&Tally) -> bool| -> Vec<IpAddr> {
            self.order.iter().copied().filter(|ip| self.tally.get(ip).is_some_and(f)).collect()
        };
        let strong = pick(&|t| t.strong > 0 && t.strong + t.weak > t.victim);
        if !strong.is_empty() {
            return strong;
        }
        let weak = pick(&|t| t.weak > 0 && t.weak + t.plain > t.victim);
        if !weak.is_empty() {
            return weak;
        }
        let plain = pick(&|t| t.plain > 0 && t.victim == 0);
        if plain.len() <= 8 { plain } else { Vec::new() }
    }
}
