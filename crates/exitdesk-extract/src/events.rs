//! Incident times and destinations.
//!
//! Times come from the most specific source that has any: machine-readable
//! report fields (X-ARF `Date`, XARF samples, ACNS `TimeStamp`, ARF
//! `Arrival-Date`), then lines that label an incident time ("Time:", "First
//! attempt:", "event time …"), then evidence lines (log lines, table rows, lines
//! naming the offender). Report-generation and notice dates never count. Each
//! time takes its zone from the line, else from a table header above it, else
//! from a prose statement; otherwise it stays a wall clock.

use std::borrow::Cow;
use std::collections::HashSet;
use std::net::IpAddr;

use exitdesk_model::{Event, ZoneSource};
use jiff::civil::{Date, DateTime};
use regex::Regex;

use crate::formats::{Column, TableHeader};
use crate::ip::{IpFinder, Mention};
use crate::text::{Line, Region};
use crate::time::{Found, TimeParser, Zone};

/// Where an incident time was read (its evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum At {
    /// Not known (kept for times whose reader has no place to give).
    #[default]
    Unknown,
    /// An index into the message's lines.
    Line(usize),
    /// A machine-readable report (X-ARF, XARF v4, ACNS) in this part.
    Part(usize),
    /// The `Subject:` header.
    Subject,
    /// Another header of the message itself (a trap's `Received:` hop).
    Header(&'static str),
}

impl At {
    /// The place as evidence states it (`part 2 line 14`, `subject`, …).
    pub(crate) fn describe(self, lines: &[Line]) -> String {
        match self {
            At::Line(i) => crate::text::place(lines, i),
            At::Part(p) => format!("part {} (report fields)", p + 1),
            At::Subject => "subject".to_string(),
            At::Header(name) => format!("message header {name}"),
            At::Unknown => "body".to_string(),
        }
    }
}

/// An incident time before it becomes an [`Event`].
#[derive(Debug, Clone)]
pub(crate) struct RawEvent {
    /// Where it was read.
    pub(crate) at: At,
    pub(crate) ip: Option<IpAddr>,
    pub(crate) dt: DateTime,
    pub(crate) zone: Option<Zone>,
    pub(crate) zone_source: ZoneSource,
    pub(crate) dest_ip: Option<IpAddr>,
    pub(crate) dest_port: Option<u16>,
    pub(crate) protocol: Option<String>,
}

impl RawEvent {
    pub(crate) fn from_found(f: &Found, ip: Option<IpAddr>, at: At) -> RawEvent {
        RawEvent {
            at,
            ip,
            dt: f.dt,
            zone_source: if f.zone.is_some() { ZoneSource::Inline } else { ZoneSource::Unknown },
            zone: f.zone.clone(),
            dest_ip: None,
            dest_port: None,
            protocol: None,
        }
    }

    pub(crate) fn into_event(self) -> Event {
        Event {
            ip: self.ip,
            time_utc: self.zone.as_ref().and_then(|z| z.to_utc(self.dt)),
            time_local: Some(self.dt),
            zone_source: if self.zone.is_some() { self.zone_source } else { ZoneSource::Unknown },
            zone: self.zone.as_ref().map(|z| z.label().to_string()),
            dest_ip: self.dest_ip,
            dest_port: self.dest_port,
            protocol: self.protocol,
        }
    }
}

/// Destination facts read from one line.
#[derive(Debug, Default, Clone)]
pub(crate) struct Flow {
    pub(crate) dest_ip: Option<IpAddr>,
    pub(crate) dest_port: Option<u16>,
    pub(crate) protocol: Option<String>,
}

/// Compiled patterns for incident cues and destinations.
#[derive(Debug, Clone)]
pub(crate) struct EventPatterns {
    incident: Regex,
    meta: Regex,
    arrow: Regex,
    asa_dst: Regex,
    to_hostport: Regex,
    kv_port: Regex,
    kv_dst: Regex,
    proto: Regex,
    port_statement: Regex,
    slash_port: Regex,
    target_hostport: Regex,
    victim_port: Regex,
    tcpdump: Regex,
    log_start: Regex,
    ipish: Regex,
}

impl EventPatterns {
    pub(crate) fn new() -> EventPatterns {
        EventPatterns {
            incident: crate::re::compile(
                r"(?ix)(?:\btime\b|\btimes\b|date/time|datetime|timestamp|\bfirst\s+(?:attempt|seen|detected|event)|\blast\s+(?:attempt|seen|detected|event)|\bevent\s+time|\bdetect(?:ed|ion)|\bincident|\battack\w*\s+(?:on|at)|\bactivity\s+on|\boccurr|\bobserv(?:ed|ation)|\bmost\s+recent|\bdate\s+and\s+time|\bon\s*:|\bat\s+time|\bseen|\bčas\b|\bzeitpunkt|\bfecha|\bhora\b|\bwhen\b|\bzeitraum\b|\bzeitfenster\b|\bwindow\b|\btime\s?frame\b|\bplage\s+horaire\b|\bintervalo\b|\bintervallo\b|\bp[ée]riode?\b|\bper[íi]odo\b|\bokres\b|\bпериод\b|\bsince\b|\bdepuis\b|\bseit\b|\bdesde\b|\bsinds\b|\bprotokolliert|\bregistriert|\bfestgestellt|\bbeobachtet|\berfasst|\benregistr|\bobserv[ée]|\bd[ée]tect[ée]|\bregistrad[oa]|\bdetectad[oa]|\bobservad[oa]|\brilevat[oa]|\bregistrat[oa]|\bgeregistreerd|\bwaargenomen|\bbetween\b|\bperiod\b|\barriv|\bposted|\bplaced|\bsubmitted|\bstart(?:ed|ing)|\bbegan|\bbeginning|\bhappened|\blogged|\brecorded|\blatest\b|\bhits?\b|\bconnect(?:ed|ion)|\bscann?(?:ed|ing)|\bprob(?:ed|ing))",
            ),
            meta: crate::re::compile(
                r"(?ix)(?:generated|report(?:ed)?\s+(?:date|to|on|at)|was\s+reported|notice\s+date|^\s*sent\s*:|\b(?:report|notice|notification|this\s+(?:e-?mail|message))\s+(?:was\s+|is\s+)?sent\b|(?:received|got)\s+(?:an?|the|this|your)\s+(?:(?:abuse|spam|following|new)\s+)*(?:report|complaint|notification|notice|message|e-?mail)|\bcreat(?:ed|ion)\b(?:\s+(?:date|time|on|at))?\s*[:=]|\b(?:ticket|report|case|notification|notice|message|e-?mail)\s+(?:was\s+|has\s+been\s+)?(?:created|opened|generated)|\b(?:date|time)\s+(?:created|opened)\b|\b(?:wrote|schrieb|a\s+écrit|escribió|ha\s+scritto|schreef|escreveu|napsal|napisał|написал)\s*:\s*$|\bpreviously\s+(?:contacted|notified|informed|reported|wrote)|\bprevious\s*[:=]|\bwithin\s+[0-9]+\s+(?:hours|days|working\s+days|business\s+days)\b|\binnerhalb\s+(?:von\s+)?[0-9]+\s+(?:stunden|tagen|werktagen)\b|\bsous\s+[0-9]+\s+(?:heures|jours)\b|\bbinnen\s+[0-9]+\s+(?:uur|dagen|werkdagen)\b|\bentro\s+[0-9]+\s+(?:ore|giorni)\b|\ben\s+(?:un\s+plazo\s+de\s+)?[0-9]+\s+(?:horas|días)\b|\b(?:first|earlier|previous|original)\s+(?:notice|notification|report|complaint|message|e-?mail)\b|^\s*(?:date\s+|time\s+)?submitted\s*(?:at|on)?\s*:|\bopened\s*(?:on|at)?\s*:|last[- ]modified|printed|deadline|\bafter\s+the\b|\buntil\b|expir|\bvalid\b|registered|updated|\bdatum(?:\s*[:=]|\s*$|\s+(?:des|der|vom|dieser|dieses)\b)|^\s*date\s*:|\bkick-?off\b|\bko\b|please\s+respond|(?:respond|reply|replies|answer|statement|response)\s+(?:by|before|within)\b|\bby\s+no\s+later|\berstellt|\bgesendet|\bversandt|\bfrist\b|spätestens|\bbis\s+zum\b|\bgénéré|\benvoy[ée]|\bavant\s+le\b|au\s+plus\s+tard|date\s+limite|\bdélai|jusqu'au|\bgenerad[oa]|\benviad[oa]|\bantes\s+del?\b|a\s+más\s+tardar|fecha\s+límite|\bplazo\b|hasta\s+el\b|\bgenerat[oa]|\binviat[oa]|\bentro\s+il\b|\bscadenza|\bgerad[oa]|\bprazo\b|\bgegenereerd|\bverzonden|\buiterlijk|\bwygenerowan|\bwysłan|\bdo\s+dnia\b|\btermin\b|\bvygenerován|\bodeslán|\blhůt|nejpozději|сформирован|отправлен|срок|не\s+позднее)",
            ),
            arrow: crate::re::compile(
                r"(?:->|=>)\s*(?:[A-Za-z][\w-]*:)?((?:\d{1,3}\.){3}\d{1,3}|\S+?)(?:[:/.](\d{1,5})\b|\s+(\d{1,5})\b)",
            ),
            asa_dst: crate::re::compile(r"\bdst\s+(?:[\w-]+:)?([0-9a-fA-F.:]+)/(\d{1,5})\b"),
            to_hostport: crate::re::compile(r"(?i)\b(?:to|against|towards|targeting)\s+([0-9xX*.]{7,15}):(\d{1,5})\b"),
            kv_port: crate::re::compile(
                r"(?i)\b(?:dstport|dst_port|dport|dpt|dest_port|destport|destination_port|destinationport)\x22?\s*[=:]\s*\x22?(\d{1,5})\b",
            ),
            kv_dst: crate::re::compile(
                r"(?i)\b(?:dstip|dst_ip|dst|dest_ip|destination_ip)\s*=\s*\x22?([0-9a-fA-F.:]+)",
            ),
            proto: crate::re::compile(r"(?i)\b(tcp|udp|icmp)\b|\bproto(?:col)?\s*=\s*\x22?(\d{1,3}|tcp|udp)"),
            port_statement: crate::re::compile(
                r"(?ix)\b(?:destination|dest\.?|dst|target|victim|ziel)[\s_-]?ports?\b\s*(?:will\s+be|is|was|are|were|:|=)?\s*(?:(?:tcp|udp)[\s/]*)?(\d{1,5}(?:\s*(?:,|and|und|&|/)\s*\d{1,5})*)\b|\bto\s+ports?\s+(\d{1,5}(?:\s*(?:,|and|&)\s*\d{1,5})*)\b|\bon\s+ports?\s+(\d{1,5}(?:\s*(?:,|and|&)\s*\d{1,5})*)\b|\bfor\s+(?:(?:tcp|udp)\s+)?ports?\s+(\d{1,5}(?:\s*(?:,|and|&)\s*\d{1,5})*)\b|\((?:[^()]{0,80},\s*)?(?:tcp|udp)[\s/]+(\d{1,5})\s*\)|(?:\bport\s+(?:de\s+)?destination|\bpuerto\s+(?:de\s+)?destino|\bporta\s+(?:di\s+|de\s+)?(?:destinazione|destino)|\bport\s+docelowy|\bdoelpoort|порт\s+назначения|\bna\s+porcie)\s*:?\s*(\d{1,5}(?:\s*(?:,|and|et|y|e|en|i|и|&)\s*\d{1,5})*)\b",
            ),
            slash_port: crate::re::compile(r"(?i)(?:^|[\s:(])(\d{1,5})/(tcp|udp)\b"),
            target_hostport: crate::re::compile(r"(?i)\b(?:attack_)?target\w*\s*:\s*[\w.-]+:(\d{1,5})\b"),
            victim_port: crate::re::compile(
                r"(?i)\b(?:against|to|towards|targeting|attacked|attacking)\s+(?:(?:our|my|the|your)\s+)?(?:(?:web\s*|mail\s*|ssh\s*)?(?:server|host|machine|system|ip|address|site|network)s?\s+)?(?:(?:\d{1,3}\.){3}\d{1,3}|\[?[0-9a-f]{0,4}:[0-9a-f:]*:[0-9a-f]{1,4}\]?)\s+(?:on\s+)?(?:(?:tcp|udp)[\s/]*)?port\s+(?:(?:tcp|udp)[\s/]*)?(\d{1,5})\b",
            ),
            // tcpdump: `192.0.2.1.55375 > 198.51.100.105.1433:` (the last dot
            // separates the port; the destination may be masked)
            tcpdump: crate::re::compile(
                r"\b((?:\d{1,3}\.){3}\d{1,3})\.(\d{1,5})\s+>\s+(?:[0-9xX*]{1,3}\.){3}[0-9xX*]{1,3}\.(\d{1,5}):",
            ),
            log_start: crate::re::compile(r"^\s*(?:\d{1,6}\s+|\(|\[|/[\w./-]+:|<\d+>)?"),
            ipish: crate::re::compile(
                r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.(?:\d{1,3}|[xX*]{1,3})\b|\b[0-9a-fA-F]{1,4}:[0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}:[0-9a-fA-F:]*",
            ),
        }
    }

    /// Destination address, port and protocol written on a line.
    pub(crate) fn flow(&self, ips: &IpFinder, line: &str) -> Flow {
        let mut f = Flow::default();
        // Each pattern needs some literal bytes; a line without them is not searched.
        let b = line.as_bytes();
        let (colon, equals) = (b.contains(&b':'), b.contains(&b'='));
        let asa_dst = if line.contains("dst") { self.asa_dst.captures(line) } else { None };
        let arrow = || if line.contains("->") || line.contains("=>") { self.arrow.captures(line) } else { None };
        let to_hostport = || if colon { self.to_hostport.captures(line) } else { None };
        if let Some(c) = asa_dst {
            f.dest_ip = c.get(1).and_then(|m| ips.mentions(m.as_str()).first().map(|x| x.ip));
            f.dest_port = c.get(2).and_then(|m| m.as_str().parse().ok());
        } else if let Some(c) = arrow() {
            f.dest_ip = c.get(1).and_then(|m| ips.mentions(m.as_str()).first().map(|x| x.ip));
            f.dest_port = c.get(2).or(c.get(3)).and_then(|m| m.as_str().parse().ok());
        } else if let Some(c) = to_hostport() {
            f.dest_ip = c.get(1).and_then(|m| ips.mentions(m.as_str()).first().map(|x| x.ip));
            f.dest_port = c.get(2).and_then(|m| m.as_str().parse().ok());
        }
        // Every key of `kv_port` holds "port" or "dpt".
        let port_key = || find_ci(b, b"port") || find_ci(b, b"dpt");
        if f.dest_port.is_none() && (colon || equals) && port_key() {
            f.dest_port = self.kv_port.captures(line).and_then(|c| c.get(1)?.as_str().parse().ok());
        }
        if f.dest_ip.is_none() && equals {
            f.dest_ip = self.kv_dst.captures(line).and_then(|c| ips.mentions(c.get(1)?.as_str()).first().map(|x| x.ip));
        }
        if let Some(m) = self.proto.find(line) {
            f.protocol = Some(match proto_value(m.as_str()) {
                (p, false) => p.to_ascii_lowercase(),
                (p, true) => match p {
                    "6" => "tcp".to_string(),
                    "17" => "udp".to_string(),
                    "1" => "icmp".to_string(),
                    other => other.to_ascii_lowercase(),
                },
            });
        }
        f.dest_port = f.dest_port.filter(|p| *p > 0);
        f
    }

    /// Destination ports of tcpdump lines whose source is one of `offenders`
    /// (`src.port > dst.port:`; a reply in the other direction does not
    /// count). A packet from a service port (< 1024) to a high port is the
    /// service answering (an NTP or DNS reflection): its service is the
    /// reported host's, and the high port names no attacked service.
    pub(crate) fn tcpdump_ports(&self, line: &str, offenders: &[IpAddr]) -> Vec<u16> {
        if offenders.is_empty() || !line.contains(" > ") {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in self.tcpdump.captures_iter(line) {
            let src = c.get(1).and_then(|m| m.as_str().parse::<IpAddr>().ok());
            let sport = c.get(2).and_then(|m| m.as_str().parse::<u16>().ok());
            let dport = c.get(3).and_then(|m| m.as_str().parse::<u16>().ok());
            let (Some(src), Some(sport), Some(dport)) = (src, sport, dport) else { continue };
            if offenders.contains(&src) && dport > 0 && !(sport < 1024 && dport >= 1024) {
                out.push(dport);
            }
        }
        out
    }

    /// Victim-side ports stated in prose ("destination port will be TCP 443",
    /// "TCP to port 3389", "Incident type: 22/tcp", "attack_target: host:80",
    /// "against 192.0.2.20 port 22").
    pub(crate) fn stated_ports(&self, line: &str) -> Vec<u16> {
        let mut out = Vec::new();
        // Every form names the port with digits.
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            return out;
        }
        let lower = line.to_ascii_lowercase();
        // "… against 192.0.2.20:22", "to 192.0.2.0:3389"
        if lower.contains(':') && ["to ", "against", "toward", "targeting"].iter().any(|w| lower.contains(w)) {
            for c in self.to_hostport.captures_iter(line) {
                if let Some(p) = c.get(2).and_then(|m| m.as_str().parse().ok()) {
                    out.push(p);
                }
            }
        }
        let port = lower.contains("port")
            || lower.contains("puerto")
            || lower.contains("poort")
            || lower.contains("porci")
            || (!line.is_ascii() && line.to_lowercase().contains("порт"));
        let slash = lower.contains("/tcp") || lower.contains("/udp");
        let target = lower.contains("target");
        if !(port || slash || target || lower.contains("tcp ") || lower.contains("udp ")) {
            out.retain(|p| *p > 0);
            return out;
        }
        // Each pattern below needs a literal of its own (ASCII letters
        // without other case forms): a line without it is not searched.
        // `port_statement`: "port", or a "(…, tcp 22)" parenthetical.
        if port || (line.contains('(') && (lower.contains("tcp") || lower.contains("udp"))) {
            for c in self.port_statement.captures_iter(line) {
                if let Some(list) = c.get(1).or(c.get(2)).or(c.get(3)).or(c.get(4)).or(c.get(5)).or(c.get(6)) {
                    for p in list.as_str().split(|ch: char| !ch.is_ascii_digit()).filter_map(|n| n.parse().ok()) {
                        out.push(p);
                    }
                }
            }
        }
        // `slash_port`: "/tcp" or "/udp".
        if slash && !lower.contains("source port") && !lower.contains("src") {
            for c in self.slash_port.captures_iter(line) {
                if let Some(p) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                    out.push(p);
                }
            }
        }
        // "against 192.0.2.20 port 22", "to our server 192.0.2.1 port 443"
        if port {
            for c in self.victim_port.captures_iter(line) {
                if let Some(p) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                    out.push(p);
                }
            }
        }
        if target {
            for c in self.target_hostport.captures_iter(line) {
                if let Some(p) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                    out.push(p);
                }
            }
        }
        out.retain(|p| *p > 0);
        out
    }

    fn is_incident(&self, before: &str) -> bool {
        self.incident.is_match(before)
    }

    pub(crate) fn is_meta(&self, line: &str) -> bool {
        self.meta.find_iter(line).any(|m| !span_until(line, m.start(), m.as_str()))
    }

    /// A log line: it starts with its timestamp and names an address (on
    /// the line, or on the next one when the log was wrapped).
    fn is_log_line(&self, line: &str, next: Option<&str>, first: &Found) -> bool {
        let prefix = self.log_start.find(line).map_or(0, |m| m.end());
        first.start <= prefix.max(line.len() - line.trim_start().len()) + 1
            && (self.ipish.is_match(line) || next.is_some_and(|n| self.ipish.is_match(n)))
    }
}

/// The protocol a match of `EventPatterns::proto` names, without a captures
/// search: the whole match for its first branch (`tcp`, `udp`, `icmp`), else
/// the value after `proto=` (its second group: the trailing digits, or the
/// trailing `tcp`/`udp`), with `true`.
fn proto_value(m: &str) -> (&str, bool) {
    if !m.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("proto")) {
        return (m, false);
    }
    let digits = m.bytes().rev().take_while(u8::is_ascii_digit).count();
    let len = if digits > 0 { digits } else { 3 };
    (m.get(m.len().saturating_sub(len)..).unwrap_or(m), true)
}

/// True when `hay` holds `needle` (lower-case ASCII), ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Everything the event search needs from the rest of the extraction.
pub(crate) struct Context<'a> {
    pub(crate) times: &'a TimeParser,
    pub(crate) ips: &'a IpFinder,
    pub(crate) pats: &'a EventPatterns,
    pub(crate) lines: &'a [Line],
    /// The table header each line is, if any (by line index).
    pub(crate) tables: &'a [Option<TableHeader>],
    /// The addresses on each non-blank prose line (by line index).
    pub(crate) mentions: &'a [Vec<Mention>],
    pub(crate) reference: Option<Date>,
    pub(crate) offenders: &'a HashSet<IpAddr>,
    /// Read ambiguous `a/b/yyyy` dates day first.
    pub(crate) day_first: bool,
}

/// Per-line facts computed once.
struct Scan<'l> {
    found: Vec<Found>,
    /// The times took their date from the line above (`dated_by_line_above`).
    continued: bool,
    table_zone: Option<Zone>,
    row: Option<Vec<(Column, Cow<'l, str>)>>,
}

/// Finds incident times in the lines (tiers 2 to 4; tier 1, report fields, is the caller's).
/// Most timestamps read from one line.
pub(crate) const MAX_TIMES_PER_LINE: usize = 256;

/// The events of the lines, and how many timestamps were left unread on
/// lines with more than [`MAX_TIMES_PER_LINE`].
pub(crate) fn find(ctx: &Context<'_>) -> (Vec<RawEvent>, usize) {
    let (mut events, unread) = find_lines(ctx);
    paragraphs(ctx, &mut events);
    if events.is_empty() {
        date_from_earlier_paragraph(ctx, &mut events);
    }
    (events, unread)
}

/// The paragraphs of prose: runs of non-blank prose lines of one part, each
/// at most 300 bytes long (a longer line is a log or a blob).
fn prose_paragraphs(ctx: &Context<'_>) -> Vec<std::ops::Range<usize>> {
    let lines = ctx.lines;
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let part = lines[i].part;
        let para = move |k: usize| {
            lines[k].region == Region::Prose
                && lines[k].part == part
                && !lines[k].text.trim().is_empty()
                && lines[k].text.len() <= 300
        };
        if !para(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && para(i) {
            i += 1;
        }
        out.push(start..i);
    }
    out
}

/// The lines of `range` joined by spaces, and where each line starts in it.
fn join_lines(ctx: &Context<'_>, range: std::ops::Range<usize>) -> (String, Vec<usize>) {
    let mut joined = String::new();
    let mut starts = Vec::new();
    for k in range {
        if !joined.is_empty() {
            joined.push(' ');
        }
        starts.push(joined.len());
        joined.push_str(ctx.lines[k].text.trim());
    }
    (joined, starts)
}

/// Clocks in a paragraph of their own, whose date a sentence of an earlier
/// paragraph gives ("On Friday 7 November 2025 we found that 203.0.113.9
/// served malware …\n\nThe file was reachable from 8:15 to 9:02 (CET)."):
/// read as if the two sentences were one statement. Only when nothing else
/// in the message gave a time, when its prose states exactly one date (in a
/// sentence that is no report, mail or deadline time), and only for
/// clocks a word introduces, in a paragraph that states no date itself and
/// gives a span or a zone.
fn date_from_earlier_paragraph(ctx: &Context<'_>, events: &mut Vec<RawEvent>) {
    let paras = prose_paragraphs(ctx);
    let mut dated: Option<(usize, String)> = None;
    let mut dates = std::collections::BTreeSet::new();
    for (n, range) in paras.iter().enumerate() {
        if range.len() > PARAGRAPH_LINES {
            continue;
        }
        let (joined, _) = join_lines(ctx, range.clone());
        for sentence in joined.split(". ") {
            let found = ctx.times.clockless_date_spans(sentence, ctx.day_first);
            if found.is_empty() || ctx.pats.is_meta(sentence) {
                continue;
            }
            if dated.is_none() {
                dated = Some((n, sentence[found[0].0.clone()].to_string()));
            }
            dates.extend(found.into_iter().map(|(_, d)| d));
        }
    }
    // The date as written, read as a sentence of its own before the clocks.
    let Some((first, date)) = dated.filter(|_| dates.len() == 1) else { return };
    let ip = (ctx.offenders.len() == 1).then(|| ctx.offenders.iter().next().copied()).flatten();
    for range in paras.iter().skip(first + 1).filter(|r| r.len() <= PARAGRAPH_LINES) {
        let (text, starts) = join_lines(ctx, range.clone());
        if !has_clock_time(&text) || !ctx.times.clockless_dates(&text, ctx.day_first).is_empty() {
            continue;
        }
        let lead = format!("{date}. ");
        let joined = date_then_clocks(ctx, &format!("{lead}{text}"));
        let line_of = |pos: usize| range.start + starts.iter().rposition(|s| *s <= pos).unwrap_or(0);
        let found: Vec<Found> = ctx
            .times
            .find_dated(&joined, ctx.reference, ctx.day_first)
            .into_iter()
            .filter(|f| f.start >= lead.len() && !ctx.pats.is_meta(sentence_before(&joined, f.start)))
            .collect();
        let zone = found.iter().any(|f| f.zone.is_none()).then(|| message_zone(ctx)).flatten();
        // One clock with no zone ("La partita è iniziata alle 20:45.") may
        // time another event: a span or a stated zone marks the incident's.
        if found.is_empty() || found.len() < 2 && found.iter().all(|f| f.zone.is_none()) && zone.is_none() {
            continue;
        }
        for f in &found {
            let mut ev = RawEvent::from_found(f, ip, At::Line(line_of(f.start - lead.len())));
            if ev.zone.is_none() && zone.is_some() {
                ev.zone = zone.clone();
                ev.zone_source = ZoneSource::Prose;
            }
            events.push(ev);
        }
        return;
    }
}

/// Most lines a paragraph read as one statement may have.
const PARAGRAPH_LINES: usize = 12;

/// Statements that wrapping or a sentence break cut apart, read over their
/// whole paragraph ("… at 11:42:10 PM and 11:58:55 PM AEDT on Monday 19
/// February\n2024", "… am 2. Januar 2025 um 18:22:31 Uhr MEZ; der Versand\n
/// endete um 19:05:12 Uhr", "… on Tuesday, 14 May 2024. It arrived\nat
/// 02:17:45 and the last … at 02:58:03"). A paragraph of prose (two to
/// [`PARAGRAPH_LINES`] lines, none a log line) whose joined text gives more
/// times than its lines gave, all of those among them, gives its times
/// instead; a paragraph gives times where its lines gave none only when no
/// line of the message gave any.
fn paragraphs(ctx: &Context<'_>, events: &mut Vec<RawEvent>) {
    let lines = ctx.lines;
    let nothing_yet = events.is_empty();
    for range in prose_paragraphs(ctx) {
        let start = range.start;
        if range.len() < 2 || range.len() > PARAGRAPH_LINES {
            continue;
        }
        // A log, a table or a block of fields: each line is its own record.
        let logged = range.clone().any(|k| {
            let t = lines[k].text.trim_start();
            ctx.times.find(t, ctx.reference).first().is_some_and(|f| f.start <= 3)
        });
        let fields = range.clone().filter(|k| is_field_line(&lines[*k].text)).count();
        if logged || fields >= 2 {
            continue;
        }
        let (joined, starts) = join_lines(ctx, range.clone());
        let joined = date_then_clocks(ctx, &joined);
        let line_of = |pos: usize| start + starts.iter().rposition(|s| *s <= pos).unwrap_or(0);
        // A report, mail or deadline time, by its sentence or by its own line.
        let found: Vec<Found> = ctx
            .times
            .find_dated(&joined, ctx.reference, ctx.day_first)
            .into_iter()
            .filter(|f| {
                // Its own line up to the time ("… and kept going until" ends a
                // line whose next one goes on "about 1:45 AM": no deadline).
                let k = line_of(f.start);
                let own = &lines[k].text;
                let upto = crate::bounds::head(own, f.start.saturating_sub(starts[k - start]) + 1);
                !ctx.pats.is_meta(sentence_before(&joined, f.start)) && !ctx.pats.is_meta(upto)
            })
            .collect();
        let here: Vec<usize> =
            (0..events.len()).filter(|e| matches!(events[*e].at, At::Line(k) if range.contains(&k))).collect();
        let all_here = here.iter().all(|e| found.iter().any(|f| f.dt == events[*e].dt));
        let more = found.len() > here.len() && all_here;
        // The same times, with the zone a wrapped phrase gives ("(ora legale\nitaliana, UTC+2)").
        let zoned = found.len() == here.len()
            && all_here
            && here
                .iter()
                .any(|e| events[*e].zone.is_none() && found.iter().any(|f| f.dt == events[*e].dt && f.zone.is_some()));
        if !(more || zoned) || (here.is_empty() && !nothing_yet) {
            continue;
        }
        let zone = found.iter().any(|f| f.zone.is_none()).then(|| message_zone(ctx)).flatten();
        let ip = (ctx.offenders.len() == 1).then(|| ctx.offenders.iter().next().copied()).flatten();
        let kept: Vec<RawEvent> = here.iter().map(|e| events[*e].clone()).collect();
        let at = |pos: usize| At::Line(line_of(pos));
        let mut add: Vec<RawEvent> = found
            .iter()
            .map(|f| {
                let mut ev = RawEvent::from_found(f, ip, at(f.start));
                if let Some(old) = kept.iter().find(|k| k.dt == f.dt && (k.zone.is_some() || f.zone.is_none())) {
                    ev = old.clone();
                } else if let Some(old) = kept.iter().find(|k| k.dt == f.dt) {
                    // Its line's facts, with the zone the paragraph gives.
                    ev = RawEvent { zone: f.zone.clone(), zone_source: ZoneSource::Inline, ..old.clone() };
                } else if ev.zone.is_none() && zone.is_some() {
                    ev.zone = zone.clone();
                    ev.zone_source = ZoneSource::Prose;
                }
                ev
            })
            .collect();
        for e in here.iter().rev() {
            events.remove(*e);
        }
        events.append(&mut add);
    }
}

/// A `Key: value` line (a short key of words, no digits).
fn is_field_line(text: &str) -> bool {
    text.trim_start().trim_start_matches('*').split_once(':').is_some_and(|(k, _)| {
        let k = k.trim_end_matches('*');
        !k.is_empty() && k.len() <= 32 && k.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '_')
    })
}

/// A sentence that gives only a date, then one whose clocks have none
/// ("… on Tuesday, 14 May 2024. It arrived at 02:17:45 …"): read as one
/// sentence (the full stop between becomes a comma).
fn date_then_clocks(ctx: &Context<'_>, text: &str) -> String {
    let mut out = text.to_string();
    for (i, _) in text.match_indices(". ") {
        let next_upper = text[i + 2..].starts_with(|c: char| c.is_uppercase());
        // "7. März": a day's dot, no sentence end (a year's is).
        let digits = text[..i].bytes().rev().take_while(u8::is_ascii_digit).count();
        if i == 0 || !next_upper || (1..=2).contains(&digits) {
            continue;
        }
        let before = &text[sentence_start(text, i)..i];
        let after_end = text[i + 2..].find(". ").map_or(text.len(), |e| i + 2 + e);
        let after = &text[i + 2..after_end];
        let dates = ctx.times.clockless_dates(before, ctx.day_first);
        let dated_clock = !ctx.times.find_dated(before, ctx.reference, ctx.day_first).is_empty();
        let clock_only = has_clock_time(after)
            && ctx.times.clockless_dates(after, ctx.day_first).is_empty()
            && ctx.times.find_dated(after, ctx.reference, ctx.day_first).is_empty();
        if dates.len() == 1 && !dated_clock && clock_only {
            out.replace_range(i..=i, ",");
        }
    }
    out
}

/// Where the sentence holding byte `at` starts.
fn sentence_start(text: &str, at: usize) -> usize {
    text[..at].rfind(". ").map_or(0, |p| p + 2)
}

/// The text of the sentence before byte `at` (at most 120 bytes).
fn sentence_before(text: &str, at: usize) -> &str {
    let s = sentence_start(text, at).max(at.saturating_sub(120));
    let s = (s..=at).find(|k| text.is_char_boundary(*k)).unwrap_or(at);
    &text[s..at]
}

/// The first zone a sentence of the message states ("All times are UTC").
fn message_zone(ctx: &Context<'_>) -> Option<Zone> {
    let lines = ctx.lines;
    (0..lines.len()).filter(|i| lines[*i].region == Region::Prose).find_map(|i| {
        ctx.times.prose_zone(&lines[i].text).or_else(|| {
            // A statement wrapped onto the next line ("… beziehen sich auf die
            // mitteleuropäische\nSommerzeit (MESZ).").
            let next = lines.get(i + 1).filter(|n| n.part == lines[i].part && n.region == Region::Prose)?;
            ctx.times.prose_zone(&format!("{} {}", lines[i].text.trim_end(), next.text.trim_start()))
        })
    })
}

/// The events of the lines, one line at a time (see [`find`]).
fn find_lines(ctx: &Context<'_>) -> (Vec<RawEvent>, usize) {
    let lines = ctx.lines;
    let mut unread = 0;
    // Prose zone statements, by part, in order.
    let mut prose: Vec<(usize, usize, Zone)> = Vec::new();
    let mut scans: Vec<Option<Scan>> = Vec::with_capacity(lines.len());
    let mut header: Option<(usize, TableHeader, Option<Zone>)> = None;
    // (part, line, the one date stated without a clock in that part, if one)
    let mut block_date: Option<(usize, usize, Option<jiff::civil::Date>)> = None;
    // Lines of bare clocks and the date they would take.
    let mut bare_logs: Vec<(usize, jiff::civil::Date)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.region != Region::Prose {
            scans.push(None);
            continue;
        }
        let text = line.text.as_str();
        if text.trim().is_empty() {
            // One blank line may set a header apart from its rows.
            let under_header = i > 0 && ctx.tables.get(i - 1).is_some_and(Option::is_some);
            if header.as_ref().is_some_and(|h| h.0 == line.part) && !under_header {
                header = None;
            }
            scans.push(None);
            continue;
        }
        // A zone statement may wrap onto the next line ("Times are Pacific\nTime.").
        let (statement, mentions_zone) = ctx.times.prose_zone_mention(text);
        let statement = statement.or_else(|| {
            let next = lines.get(i + 1).filter(|n| n.part == line.part && n.region == Region::Prose)?;
            if next.text.trim().is_empty() || !mentions_zone {
                return None;
            }
            ctx.times.prose_zone(&format!("{} {}", text, next.text.trim()))
        });
        if let Some(z) = statement.filter(|_| prose.len() < 64) {
            prose.push((line.part, i, z));
        }
        if let Some(h) = ctx.tables.get(i).and_then(Option::clone) {
            let z = ctx.times.table_zone(text);
            header = Some((line.part, h, z));
            scans.push(None);
            continue;
        }
        if let Some(z) = ctx.times.table_zone(text) {
            header = Some((line.part, TableHeader { columns: Vec::new(), sep: None, wide: Vec::new() }, Some(z)));
            scans.push(None);
            continue;
        }
        let mut found = ctx.times.find_dated(text, ctx.reference, ctx.day_first);
        let continued = found.is_empty();
        if continued {
            found = dated_by_line_above(ctx, i);
        }
        // A log of bare clocks (tcpdump, flow records) under the one date
        // the text states before it: read only when no line gives a time.
        if found.is_empty() && starts_with_clock(text) && bare_logs.len() < 10_000 {
            if let Some(d) = block_date.as_ref().filter(|b| b.0 == line.part && i - b.1 <= 40).and_then(|b| b.2) {
                bare_logs.push((i, d));
            }
        }
        let continued = continued && !found.is_empty();
        // "… 05:30:00 to 05:36:00PM\nIST. (UTC +5:30)": a zone starting the
        // next line holds for times that end this one (a comma between:
        // "at 10:03:55 PM,\nPacific Standard Time.").
        if found.last().is_some_and(|f| f.zone.is_none() && text[f.end..].trim().trim_end_matches(',').is_empty()) {
            let next = lines.get(i + 1).filter(|n| n.part == line.part && n.region == Region::Prose);
            if let Some(z) = next.and_then(|n| ctx.times.leading_zone(&n.text)) {
                for f in found.iter_mut().filter(|f| f.zone.is_none()) {
                    f.zone = Some(z.clone());
                }
            }
        }
        // "… 11.10.2025 с 01:12:40" / "по 03:55:02 (UTC+3)": a statement
        // that goes on to the next line may give its zone there.
        if found.last().is_some_and(|f| f.zone.is_none() && ends_line(&text[f.end..])) {
            let next = lines.get(i + 1).filter(|n| n.part == line.part && n.region == Region::Prose);
            // Also "… e as 15h10 (hora de\nLisboa)": a zone phrase broken by
            // the wrap of the line.
            let broken = found.last().is_some_and(|f| !text[f.end..].trim().is_empty());
            if let Some(n) = next.filter(|n| broken || has_clock_time(&n.text)) {
                let joined = format!("{} {}", text.trim_end(), n.text.trim_start());
                let ahead = ctx.times.find_dated(&joined, ctx.reference, ctx.day_first);
                // "… on 2 Dec 2025 at 23:40 and on\n3 Dec 2025 at 00:12 (UK
                // time)": the zone that ends the statement holds for it all.
                let closing = ahead.iter().filter(|g| g.start >= text.trim_end().len()).find_map(|g| g.zone.clone());
                for f in found.iter_mut().filter(|f| f.zone.is_none()) {
                    let same = ahead.iter().find(|g| g.dt == f.dt && g.start < text.len());
                    if let Some(z) = same.and_then(|g| g.zone.clone()).or_else(|| closing.clone()) {
                        f.zone = Some(z);
                    }
                }
            }
        }
        // "… and the last on Sunday 9 November\n2025 at 00:02 (UK time)": a
        // time whose date the wrap of the line cut in two.
        if let Some(n) =
            found.last().filter(|f| wrapped_statement(&text[f.end..])).and_then(|_| lines.get(i + 1)).filter(|n| {
                n.part == line.part
                    && n.region == Region::Prose
                    && n.text.trim_start().starts_with(|c: char| c.is_ascii_digit())
            })
        {
            let cut = text.trim_end().len();
            let last_end = found.last().map_or(0, |f| f.end).min(cut);
            let joined = format!("{} {}", text.trim_end(), n.text.trim_start());
            let ahead = ctx.times.find_dated(&joined, ctx.reference, ctx.day_first);
            let closing = ahead.iter().filter(|g| g.end > cut).find_map(|g| g.zone.clone());
            // Only a time the next line does not give alone (its date began here).
            let alone = ctx.times.find_dated(&n.text, ctx.reference, ctx.day_first);
            for g in ahead.iter().filter(|g| g.start >= last_end && g.end > cut) {
                if !found.iter().any(|f| f.dt == g.dt) && !alone.iter().any(|a| a.dt == g.dt) {
                    found.push(Found { start: last_end, end: cut, dt: g.dt, zone: g.zone.clone() });
                }
            }
            for f in found.iter_mut().filter(|f| f.zone.is_none()) {
                f.zone = closing.clone();
            }
        }
        // A log line's later time that a word marks as another event's
        // ("… in session 9f1c (previous: 2026-03-18 19:44:02)", "… expires
        // 2026-…") is no time of this record.
        if found.len() > 1 && found[0].start <= 3 {
            let mut k = 1;
            while k < found.len() {
                let gap = &text[found[k - 1].end.min(found[k].start)..found[k].start];
                if ctx.pats.is_meta(gap) {
                    found.remove(k);
                } else {
                    k += 1;
                }
            }
        }
        // Hundreds of times on one line are a table flattened into a line, or
        // an attack on the extractor; the first ones are enough.
        unread += found.len().saturating_sub(MAX_TIMES_PER_LINE);
        found.truncate(MAX_TIMES_PER_LINE);
        // Kept for every line: no spare capacity (a 16 MiB log has 10^5 lines).
        found.shrink_to_fit();
        let (table_zone, row) = match &header {
            Some((p, h, z)) if *p == line.part => (z.clone(), (!h.columns.is_empty()).then(|| h.row(text))),
            _ => (None, None),
        };
        // A time column in Unix time (a row with no written time), else a
        // log line or a field in Unix time.
        if found.is_empty() {
            let cell = || row.iter().flatten().filter(|(c, _)| *c == Column::Time).find_map(|(_, v)| unix_time(v));
            if let Some(dt) = cell().or_else(|| unix_log_time(text)).or_else(|| unix_time_field(text)) {
                found.push(Found { start: 0, end: text.len(), dt, zone: Zone::fixed_minutes(0, "UTC (Unix time)") });
            } else if let Some((dt, zone)) = date_time_fields(text) {
                found.push(Found { start: 0, end: text.len(), dt, zone: Some(zone) });
            }
        }
        // The dates stated without a clock so far in this part: one date
        // dates the bare clocks below it; two different ones date nothing.
        for d in ctx.times.clockless_dates(text, ctx.day_first).into_iter().take(4) {
            block_date = match block_date {
                Some((p, _, Some(old))) if p == line.part && old != d => Some((p, i, None)),
                Some((p, _, None)) if p == line.part => Some((p, i, None)),
                _ => Some((line.part, i, Some(d))),
            };
        }
        scans.push(Some(Scan { found, continued, table_zone, row }));
    }
    if scans.iter().flatten().all(|s| s.found.is_empty()) {
        for (i, d) in bare_logs {
            if let Some(Some(scan)) = scans.get_mut(i) {
                scan.found = dated_by(ctx, d, &lines[i].text);
            }
        }
    }
    let zone_for = |i: usize, part: usize| -> Option<Zone> {
        prose
            .iter()
            .rev()
            .find(|(p, at, _)| *p == part && *at <= i)
            .or_else(|| prose.iter().find(|(p, _, _)| *p == part))
            .or_else(|| prose.first())
            .map(|(_, _, z)| z.clone())
    };
    // The offender a line names (its first), else the only one there is.
    // With none or one offender, what the line says does not matter.
    let line_ip = |i: usize, mentions: Option<&[Mention]>| -> Option<IpAddr> {
        if ctx.offenders.len() <= 1 {
            return ctx.offenders.iter().next().copied();
        }
        let own;
        let ms = match mentions.or_else(|| ctx.mentions.get(i).map(Vec::as_slice)) {
            Some(ms) => ms,
            None => {
                own = ctx.ips.mentions(&lines[i].text);
                &own
            }
        };
        ms.iter().map(|m| m.ip).find(|ip| ctx.offenders.contains(ip))
    };
    // Everything about a line is worked out once, then shared by its times.
    // `mentions`: the line's addresses, when the caller has them.
    let finish_line = |i: usize, scan: &Scan, mentions: Option<&[Mention]>| -> Vec<RawEvent> {
        let ip = line_ip(i, mentions);
        // A table row's own cells win over what the line's text says (the
        // last usable cell of a kind counts), so the text is read only for
        // what the cells leave open.
        let (mut dest_ip, mut dest_port, mut protocol) = (None, None, None);
        if let Some(row) = &scan.row {
            for (col, cell) in row {
                match col {
                    Column::DestPort => dest_port = cell.trim().parse().ok().filter(|p| *p > 0).or(dest_port),
                    Column::DestIp => dest_ip = ctx.ips.mentions(cell).first().map(|m| m.ip).or(dest_ip),
                    Column::Protocol if !cell.is_empty() && cell.chars().all(|c| c.is_ascii_alphabetic()) => {
                        protocol = Some(cell.to_ascii_lowercase());
                    }
                    _ => {}
                }
            }
        }
        if dest_ip.is_none() || dest_port.is_none() || protocol.is_none() {
            let flow = ctx.pats.flow(ctx.ips, &lines[i].text);
            dest_ip = dest_ip.or(flow.dest_ip);
            dest_port = dest_port.or(flow.dest_port);
            protocol = protocol.or(flow.protocol);
        }
        let prose_zone;
        let (zone, source) = match &scan.table_zone {
            Some(z) => (Some(z), ZoneSource::Table),
            None => {
                prose_zone = zone_for(i, lines[i].part);
                (prose_zone.as_ref(), ZoneSource::Prose)
            }
        };
        // The last event takes the protocol itself: most lines have one time.
        let last = scan.found.len().saturating_sub(1);
        scan.found
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let mut ev = RawEvent::from_found(f, ip, At::Line(i));
                if ev.zone.is_none() && zone.is_some() {
                    ev.zone = zone.cloned();
                    ev.zone_source = source;
                }
                ev.dest_ip = dest_ip;
                ev.dest_port = dest_port;
                ev.protocol = if k == last { protocol.take() } else { protocol.clone() };
                ev
            })
            .collect()
    };

    // Tier 2: labelled incident times.
    let mut keyed = Vec::new();
    // The last line whose times were labelled: a line that only continues
    // its statement with more times (a value list under the label, the
    // sentence going on) is labelled too.
    let mut last_keyed: Option<(usize, bool, usize)> = None;
    // Lines with times that state a report, notice or deadline date (tiers 2 and 3).
    let mut meta = vec![false; lines.len()];
    for (i, scan) in scans.iter().enumerate() {
        let Some(scan) = scan else { continue };
        let text = &lines[i].text;
        if scan.found.is_empty() {
            continue;
        }
        // A log line's words after its timestamp are the log's content
        // (a user named "ko", a "deadline" in a URL), not a statement about
        // the time: only what precedes the time can make it a report date.
        let next = lines.get(i + 1).filter(|n| n.part == lines[i].part).map(|n| n.text.as_str());
        // A sentence that goes on from the line above ("… no reply by\n<time>")
        // says what the time is there (such a line is no log line, though it
        // starts with its time).
        let start = scan.found[0].start;
        let joined = context_before(lines, i, start);
        let said = if joined.len() == start && ctx.pats.is_log_line(text, next, &scan.found[0]) {
            Cow::Borrowed(&text[..start])
        } else {
            Cow::Owned(joined + &text[start..])
        };
        let record = event_record_date(lines, i) || listed_dates(lines, i);
        if !record && ctx.pats.is_meta(&said) {
            meta[i] = true;
            continue;
        }
        let before = if scan.row.is_some() {
            text[..scan.found[0].start].to_string()
        } else {
            context_before(lines, i, scan.found[0].start)
        };
        // A row of a table (under a header) whose row above was labelled.
        let row = scan.row.is_some() || scan.table_zone.is_some();
        let next_row = row && last_keyed.is_some_and(|(k, was_row, _)| was_row && k + 1 == i);
        let start = scan.found[0].start;
        let sibling =
            last_keyed.is_some_and(|(k, _, at)| k + 1 == i && same_row_shape(&lines[k].text, at, text, start));
        if next_row
            || record
            || sibling
            || ctx.pats.is_incident(crate::bounds::tail(&before, 60))
            || continues_keyed(lines, i, last_keyed.map(|(k, _, _)| k), &scan.found[0])
        {
            keyed.extend(finish_line(i, scan, None));
            last_keyed = Some((i, row, start));
        }
    }
    // A statement to the minute ("entre 14h22 et 14h40") over a log with
    // seconds: the log's lines inside the stated span are the same events,
    // told more precisely (read below, taken at the end if they fit).
    // A placeholder ("Unix time (seconds since 1970-01-01 00:00 UTC)") labels
    // nothing: the evidence lines below decide.
    keyed.retain(|e| e.dt.year() >= 2000);
    let coarse = !keyed.is_empty() && keyed.iter().all(|e| e.dt.second() == 0);
    if !keyed.is_empty() && !coarse {
        drop_restated(&mut keyed);
        return (keyed, unread);
    }

    // Tier 3: evidence lines.
    let mut out = Vec::new();
    let mut accepted_above: Option<usize> = None;
    let mut csv_ports: Vec<(usize, u16)> = Vec::new();
    for (i, scan) in scans.iter().enumerate() {
        let Some(scan) = scan else { continue };
        if scan.found.is_empty() {
            continue;
        }
        let text = &lines[i].text;
        if meta[i] {
            continue;
        }
        // Without offenders no line names one: its addresses do not matter.
        let own;
        let mentions: &[Mention] = match ctx.mentions.get(i) {
            _ if ctx.offenders.is_empty() => &[],
            Some(m) => m,
            None => {
                own = ctx.ips.mentions(text);
                &own
            }
        };
        let in_table = scan.row.is_some();
        // The tests are pure: the cheap ones go first and decide alone when they hold.
        let names_offender = || {
            mentions.iter().any(|m| ctx.offenders.contains(&m.ip))
                || (!ctx.offenders.is_empty()
                    && ctx
                        .ips
                        .mentions(&context_before(lines, i, scan.found[0].start))
                        .iter()
                        .any(|m| ctx.offenders.contains(&m.ip)))
        };
        let log = || {
            let next = lines.get(i + 1).filter(|n| n.part == lines[i].part).map(|n| n.text.as_str());
            ctx.pats.is_log_line(text, next, &scan.found[0])
        };
        let lone = || is_lone_time(text, &scan.found) && near_lone_offender(ctx, i);
        // A statement that began on the line above, taken.
        let goes_on = || scan.continued && i > 0 && accepted_above == Some(i - 1);
        if in_table || names_offender() || log() || lone() || goes_on() {
            accepted_above = Some(i);
            let first_new = out.len();
            out.extend(finish_line(i, scan, Some(mentions)));
            if !in_table {
                if let Some(p) = headerless_csv_port(ctx.ips, text) {
                    csv_ports.extend((first_new..out.len()).map(|e| (e, p)));
                }
            }
        }
    }
    if coarse {
        let first = keyed.iter().map(|e| e.dt).min().unwrap_or(DateTime::MIN);
        let last = keyed.iter().map(|e| e.dt).max().unwrap_or(DateTime::MAX);
        let fits = |dt: DateTime| {
            dt >= first && dt.saturating_sub(jiff::Span::new().minutes(1)) < last && dt.date() == first.date()
        };
        let precise = !out.is_empty() && out.iter().all(|e| fits(e.dt)) && out.iter().any(|e| e.dt.second() != 0);
        if !precise {
            return (keyed, unread);
        }
        // The statement's own line, read again among the evidence lines, goes.
        drop_restated(&mut out);
        // The statement's zone holds for its log lines that state none.
        if let Some(k) = keyed.iter().find(|k| k.zone.is_some()) {
            for e in out.iter_mut().filter(|e| e.zone.is_none()) {
                e.zone = k.zone.clone();
                e.zone_source = k.zone_source;
            }
        }
        return (out, unread);
    }
    // Tier 4: the complaint names an offender; any other full timestamp its
    // sender wrote (not a report, notice or deadline date) is the incident.
    if out.is_empty() && !ctx.offenders.is_empty() {
        for (i, scan) in scans.iter().enumerate() {
            let Some(scan) = scan else { continue };
            if scan.found.is_empty() || meta[i] || ctx.pats.is_meta(&context_before(lines, i, lines[i].text.len())) {
                continue;
            }
            out.extend(finish_line(i, scan, None));
        }
    }
    // A headerless CSV names no columns; a port right after the address that
    // is the same on every row is the service attacked (source ports vary).
    if csv_ports.len() >= 2 && csv_ports.iter().all(|(_, p)| *p == csv_ports[0].1) {
        for (e, p) in csv_ports {
            if out[e].dest_port.is_none() {
                out[e].dest_port = Some(p);
            }
        }
    }
    (out, unread)
}

/// A span stated to the minute beside log lines with seconds inside it
/// ("entre 14h22 et 14h40" over `14:22:05 … 14:39:41`) says nothing more:
/// the minute-only times within the lines' span (a minute either side, same
/// day) go.
fn drop_restated(events: &mut Vec<RawEvent>) {
    let fine = events.iter().filter(|e| e.dt.second() != 0).map(|e| e.dt);
    let (Some(lo), Some(hi)) = (fine.clone().min(), fine.max()) else { return };
    let minute = jiff::Span::new().minutes(1);
    let within =
        |dt: DateTime| dt.saturating_add(minute) > lo && dt.saturating_sub(minute) < hi && dt.date() == lo.date();
    events.retain(|e| e.dt.second() != 0 || !within(e.dt));
}

/// In a comma-separated row, the integer cell right after an address cell.
fn headerless_csv_port(ips: &IpFinder, text: &str) -> Option<u16> {
    if text.matches(',').count() < 2 {
        return None;
    }
    let cells: Vec<&str> = text.split(',').map(str::trim).collect();
    let at = cells.iter().position(|c| ips.mentions(c).first().is_some_and(|m| m.start == 0 && m.end == c.len()))?;
    cells.get(at + 1)?.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The times of line `i` whose date ends the line above, in the same
/// sentence ("… no dia 15/06/2025 entre" / "02:11:09 e 02:48:30 (…)"); their
/// places are those on line `i` (from its start when they began above).
fn dated_by_line_above(ctx: &Context<'_>, i: usize) -> Vec<Found> {
    let text = &ctx.lines[i].text;
    let Some(prev) = i.checked_sub(1).map(|k| &ctx.lines[k]) else { return Vec::new() };
    if prev.part != ctx.lines[i].part || prev.region != Region::Prose || !has_clock_time(text) {
        return Vec::new();
    }
    // The date ends the line above, or a full time does that the line goes on from.
    let last_time = || ctx.times.time_tail(&prev.text, ctx.reference, ctx.day_first);
    let Some(at) = ctx.times.date_tail(&prev.text).or_else(last_time) else { return Vec::new() };
    let tail = prev.text[at..].trim_end();
    // "Fecha: 07/03/2025" over "Hora: 14:22:10 (UTC)": the field name of
    // the clock's line goes (a short key without digits).
    let lead = text.len() - text.trim_start().len();
    let lead = match text.trim_start().split_once(':') {
        Some((key, rest))
            if key.len() <= 24
                && !key.contains(|c: char| c.is_ascii_digit())
                && rest.starts_with(' ')
                && !tail.contains(':') =>
        {
            text.len() - rest.trim_start().len()
        }
        _ => lead,
    };
    let joined = format!("{tail} {}", &text[lead..]);
    let place = |p: usize| if p <= tail.len() { 0 } else { (p - tail.len() - 1 + lead).min(text.len()) };
    let mut found = ctx.times.find_dated(&joined, ctx.reference, ctx.day_first);
    found.retain(|f| f.end > tail.len());
    for f in &mut found {
        f.start = place(f.start);
        f.end = place(f.end).max(f.start);
    }
    found
}

/// What follows a time goes on as one statement to the line's end ("and the
/// last on Sunday 9 November"): a few words, no sentence end.
fn wrapped_statement(rest: &str) -> bool {
    let words = rest.split_whitespace().count();
    (1..=8).contains(&words) && !rest.contains(['.', '!', '?', ';', ':'])
}

/// What follows a time leaves its statement open to the next line: at most
/// three words (`and on`, `с`, `entre`), no digits, no sentence end.
fn ends_line(rest: &str) -> bool {
    rest.split_whitespace().count() <= 3 && !rest.contains(|c: char| c.is_ascii_digit() || ".!?;:".contains(c))
}

/// Line `i` is one of several `Date:` lines in a row with nothing else
/// between them (the dates of the posts or mails a complaint lists: "Their
/// Date headers:"), not a message's own header block.
fn listed_dates(lines: &[Line], i: usize) -> bool {
    let is_date = |k: usize| {
        lines.get(k).is_some_and(|l| {
            l.part == lines[i].part
                && l.region == Region::Prose
                && l.text.trim_start().split_once(':').is_some_and(|(key, _)| key.trim().eq_ignore_ascii_case("date"))
        })
    };
    is_date(i) && ((i > 0 && is_date(i - 1)) || is_date(i + 1))
}

/// Line `i` is the `Date:` field of a pasted Windows event record (the
/// Event Viewer's text: `Log Name:`, `Source:`, `Date:`, `Event ID:` in any
/// of its languages): the time of the event, no mail's date.
fn event_record_date(lines: &[Line], i: usize) -> bool {
    let key = |t: &str| t.trim_start().split_once(':').map(|(k, _)| k.trim().to_lowercase());
    let date_key = key(&lines[i].text)
        .is_some_and(|k| ["date", "datum", "date et heure", "fecha", "data", "datum a čas"].contains(&k.as_str()));
    date_key
        && (i.saturating_sub(4)..(i + 5).min(lines.len())).any(|j| {
            lines[j].part == lines[i].part
                && key(&lines[j].text).is_some_and(|k| {
                    ["event id", "ereignis-id", "id de l'événement", "id. del evento", "id evento", "id události"]
                        .contains(&k.as_str())
                })
        })
}

/// Line `i` goes on with the statement of the labelled line `keyed` right
/// above it: its first time starts it ("Times:  A\n        B", "… started at
/// A and is still going on\n(B)") and the line above does not end a sentence.
fn continues_keyed(lines: &[Line], i: usize, keyed: Option<usize>, first: &Found) -> bool {
    let Some(k) = keyed.filter(|k| k + 1 == i) else { return false };
    let above = lines[k].text.trim_end();
    lines[k].part == lines[i].part && !above.ends_with(['.', '!', '?']) && {
        // Nothing before the time but a bracket or a few linking words
        // ("on 8 March 2025, 09:05", "and until 14:30").
        let before = lines[i].text[..first.start].trim_matches(|c: char| c.is_whitespace() || "([-–~".contains(c));
        before.is_empty()
            || (before.split_whitespace().count() <= 3
                && !before.contains(|c: char| c.is_ascii_digit() || ".!?;:".contains(c)))
    }
}

/// Line `b`, whose first time starts at `b_at`, is a row like line `a` (first
/// time at `a_at`) right above it: the time in the same column, after
/// cells of the same shape (an order number, a row number). A label that
/// made the first row an incident time (its column name, "Placed") holds
/// for the rows below.
fn same_row_shape(a: &str, a_at: usize, b: &str, b_at: usize) -> bool {
    let shape = |s: &str| -> String {
        let mut out = String::new();
        for c in s.chars() {
            let k = if c.is_ascii_digit() {
                '9'
            } else if c.is_alphabetic() {
                'a'
            } else if c.is_whitespace() {
                ' '
            } else {
                c
            };
            if !(out.ends_with(k) && "9a ".contains(k)) {
                out.push(k);
            }
        }
        out
    };
    a_at.abs_diff(b_at) <= 2 && a_at > 0 && shape(&a[..a_at]) == shape(&b[..b_at])
}

/// The text before `pos` on line `i`, preceded by the previous line of the
/// same paragraph when the sentence continues from it.
fn context_before(lines: &[Line], i: usize, pos: usize) -> String {
    let text = &lines[i].text;
    let mut s = String::new();
    if text[..pos].trim().len() < 24 && i > 0 {
        let prev = &lines[i - 1];
        let p = prev.text.trim_end();
        // Only a sentence continues onto the next line: not a header row or a log line.
        let sentence = p.split_whitespace().count() >= 4 && p.matches(',').count() < 3 && !has_clock_time(p);
        if prev.part == lines[i].part && prev.region == Region::Prose && sentence && !p.ends_with(['.', ':', '!', '?'])
        {
            s.push_str(p);
            s.push(' ');
        }
    }
    s.push_str(&text[..pos]);
    s
}

/// True when the text holds a time of day (`12:34`): such a line has its own
/// times and is no sentence continuing onto the next line.
/// The line starts with a clock (`17:05:12.004512 IP …`, `14:22:10 …`).
fn starts_with_clock(s: &str) -> bool {
    let t = s.trim_start().as_bytes();
    let digits = t.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=2).contains(&digits)
        && t.get(digits) == Some(&b':')
        && t.get(digits + 1..digits + 3).is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        && t.get(digits + 3) == Some(&b':')
}

/// The times of a line of bare clocks, dated `d`; their places are on the line.
fn dated_by(ctx: &Context<'_>, d: jiff::civil::Date, text: &str) -> Vec<Found> {
    let prefix = format!("{d} ");
    let lead = text.len() - text.trim_start().len();
    let joined = format!("{prefix}{}", text.trim_start());
    let mut found = ctx.times.find_dated(&joined, ctx.reference, ctx.day_first);
    found.retain(|f| f.end > prefix.len());
    for f in &mut found {
        f.start = (f.start.saturating_sub(prefix.len()) + lead).min(text.len());
        f.end = (f.end.saturating_sub(prefix.len()) + lead).min(text.len()).max(f.start);
    }
    found
}

pub(crate) use crate::time::has_clock_time;

/// The line is nothing but its timestamp(s).
fn is_lone_time(text: &str, found: &[Found]) -> bool {
    let mut rest = String::new();
    let mut last = 0;
    for f in found {
        if f.start < last {
            continue;
        }
        rest.push_str(&text[last..f.start]);
        last = f.end;
    }
    rest.push_str(&text[last..]);
    rest.chars().all(|c| !c.is_alphanumeric())
}

/// A line within two of `i` holds nothing but an offending address.
fn near_lone_offender(ctx: &Context<'_>, i: usize) -> bool {
    let lo = i.saturating_sub(2);
    let hi = (i + 3).min(ctx.lines.len());
    (lo..hi).filter(|j| *j != i).any(|j| {
        let t = ctx.lines[j].text.trim();
        ctx.ips.mentions(t).first().is_some_and(|m| ctx.offenders.contains(&m.ip) && m.start == 0 && t.len() == m.end)
    })
}

/// Whether the meta word `word` at `at` is the "until" of a span of clocks
/// ("from 14:22 until 15:10"): right after a clock and right before another.
fn span_until(line: &str, at: usize, word: &str) -> bool {
    if !word.eq_ignore_ascii_case("until") {
        return false;
    }
    let before = line[..at].trim_end();
    // "Observed until:", "seen until": the end of what was observed.
    let observed = ["observed", "seen", "active", "detected", "lasted", "continued", "ongoing", "logged"];
    if before
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .is_some_and(|w| observed.iter().any(|o| w.eq_ignore_ascii_case(o)))
    {
        return true;
    }
    let after = line[at + word.len()..].trim_start();
    // "11:47 a.m. until noon": the marker's dot is no sentence end.
    let before = before.trim_end_matches('.');
    let clock_end = before.len() >= 4 && {
        let b = before.as_bytes();
        b[b.len() - 1].is_ascii_digit() && b[b.len() - 2].is_ascii_digit() && b[b.len() - 3] == b':'
    } || before.ends_with(['m', 'M'])
        && before.trim_end_matches(['m', 'M', '.', 'a', 'A', 'p', 'P', ' ']).ends_with(|c: char| c.is_ascii_digit());
    // "… began at 11:10 PM on Tuesday, … and kept going until about 1:45
    // AM": a clock earlier in the sentence begins the span; an estimate's
    // word may stand before its end.
    let sentence = &before[before.rfind(". ").map_or(0, |p| p + 2)..];
    let clock_end = clock_end || has_clock_time(sentence);
    let after = crate::clocks::ESTIMATE_WORDS
        .iter()
        .find_map(|w| {
            let rest = after.get(..w.len()).filter(|h| h.eq_ignore_ascii_case(w)).map(|_| &after[w.len()..])?;
            rest.starts_with(' ').then(|| rest.trim_start())
        })
        .unwrap_or(after);
    let lower_after = after.to_ascii_lowercase();
    let clock_next = after.bytes().take_while(u8::is_ascii_digit).count() > 0
        && after.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(':')
        || ["noon", "midnight", "midday"].iter().any(|w| lower_after.starts_with(w))
        // The text read ends there: the time being judged comes next.
        || after.trim().is_empty();
    clock_end && clock_next
}

/// The Unix time a log line is stamped with, where its format writes one:
/// a line that starts with seconds and their fraction and names an address
/// (squid's native `access.log`, Zeek's logs: `1749902597.204  112
/// 198.51.100.61 TCP_MISS/200 …`), or a Linux audit record
/// (`type=USER_AUTH msg=audit(1757041491.431:8812): …`).
fn unix_log_time(line: &str) -> Option<DateTime> {
    let t = line.trim_start();
    let lead = t.split_whitespace().next()?;
    if lead.len() >= 14 && lead.as_bytes().get(10) == Some(&b'.') && t.len() > lead.len() {
        let rest = &t[lead.len()..];
        let names_address = rest.split(|c: char| c.is_whitespace() || c == '/' || c == ',').any(|w| {
            w.parse::<IpAddr>().is_ok() || w.rsplit_once(':').is_some_and(|(a, _)| a.parse::<IpAddr>().is_ok())
        });
        if names_address {
            return unix_time(lead);
        }
    }
    let at = t.find("msg=audit(")?;
    let inner = &t[at + "msg=audit(".len()..];
    let stamp = inner.split_once(':')?.0;
    stamp.contains('.').then(|| unix_time(stamp)).flatten()
}

/// A field whose name says it is an incident time and whose value is Unix
/// time: a JSON member (`"start_ms": 1741549331412,`), a YAML or `key=value`
/// field (`first_seen_epoch: 1751328013`). See [`crate::formats::is_time_key`].
fn unix_time_field(line: &str) -> Option<DateTime> {
    let t = line.trim().trim_end_matches(',');
    let (key, value) = t.split_once(':').or_else(|| t.split_once('='))?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || key.len() > 40 || !crate::formats::is_time_key(key) {
        return None;
    }
    unix_time(value.trim())
}

/// A firewall log record that writes its date, clock and zone as separate
/// fields (FortiGate: `date=2025-11-14 time=10:22:31 … tz="+0100"`). Read
/// only with its `tz` field on the line: without it the zone is elsewhere.
fn date_time_fields(line: &str) -> Option<(DateTime, Zone)> {
    let value = |key: &str| -> Option<&str> {
        let at =
            line.find(key).filter(|p| *p == 0 || line.as_bytes()[p - 1] == b' ' || line.as_bytes()[p - 1] == b'|')?;
        let v = line[at + key.len()..].trim_start_matches('"');
        Some(&v[..v.find(['"', ' ']).unwrap_or(v.len())])
    };
    let (date, clock, tz) = (value("date=")?, value("time=")?, value("tz=")?);
    let dt: DateTime = format!("{date}T{clock}").parse().ok()?;
    let (sign, digits) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let minutes: i32 = digits[..2].parse::<i32>().ok()? * 60 + digits[2..].parse::<i32>().ok()?;
    Some((dt, Zone::fixed_minutes(sign * minutes, tz)?))
}

/// A table cell in Unix time: ten digits of seconds (or thirteen of
/// milliseconds) since 1970, in this century, as a UTC wall clock.
fn unix_time(cell: &str) -> Option<DateTime> {
    let t = cell.trim().trim_matches('"');
    let whole = t.split_once('.').map_or(t, |(w, frac)| if frac.bytes().all(|b| b.is_ascii_digit()) { w } else { "" });
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds: i64 = match whole.len() {
        10 => whole.parse().ok()?,
        13 => whole.parse::<i64>().ok()? / 1000,
        _ => return None,
    };
    if !(946_684_800..4_102_444_800).contains(&seconds) {
        return None;
    }
    let ts = jiff::Timestamp::from_second(seconds).ok()?;
    Some(jiff::tz::Offset::UTC.to_datetime(ts))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod test {
    use super::*;

    #[test]
    fn unix_time_cells() {
        assert_eq!(unix_time("1744750712").unwrap().to_string(), "2025-04-15T20:58:32");
        assert_eq!(unix_time(" 1744750712123 ").unwrap().to_string(), "2025-04-15T20:58:32");
        assert_eq!(unix_time("1744750712.25").unwrap().to_string(), "2025-04-15T20:58:32");
        assert!(unix_time("174475071").is_none());
        assert!(unix_time("9999999999").is_none());
        assert!(unix_time("17447507x2").is_none());
    }

    #[test]
    fn unix_times_in_logs_and_fields() {
        let at = |s: &str| unix_log_time(s).or_else(|| unix_time_field(s)).map(|d| d.to_string());
        let squid = "1749902597.204    112 198.51.100.61 TCP_MISS/200 18817 GET https://shop.example.org/ - DIRECT/192.0.2.40 text/html";
        assert_eq!(at(squid).as_deref(), Some("2025-06-14T12:03:17"));
        let audit = "type=USER_AUTH msg=audit(1757041491.431:8812): pid=1 acct=\"root\" addr=198.51.100.17 res=failed";
        assert_eq!(at(audit).as_deref(), Some("2025-09-05T03:04:51"));
        assert_eq!(at("  \"start_ms\": 1741549331412,").as_deref(), Some("2025-03-09T19:42:11"));
        assert_eq!(at("\"first_seen_ms\": 1751328013000,").as_deref(), Some("2025-07-01T00:00:13"));
        assert_eq!(at("last_seen_epoch: 1751568302").as_deref(), Some("2025-07-03T18:45:02"));
        // A report's own time, a count, a number without an address: none.
        assert_eq!(at("\"exported_ms\": 1741590330000"), None);
        assert_eq!(at("\"peak_bps\": 14496032000,"), None);
        assert_eq!(at("1749902597.204 bytes were sent"), None);
        let forti = "date=2025-11-14 time=10:22:31 devname=\"FGT\" srcip=192.0.2.206 dstport=443 tz=\"+0100\"";
        let (dt, zone) = date_time_fields(forti).unwrap();
        assert_eq!(zone.to_utc(dt).map(exitdesk_model::format_utc).as_deref(), Some("2025-11-14T09:22:31Z"));
        assert!(date_time_fields("date=2025-11-14 time=10:22:31 devname=FGT").is_none());
    }

    #[test]
    fn until_between_two_clocks_is_a_span() {
        assert!(span_until("from 14:22 until 15:10 UTC", 11, "until"));
        assert!(span_until("from 2:22 PM until 3:10 PM", 13, "until"));
        assert!(span_until("from 11:47 a.m. until noon (EDT)", 16, "until"));
        assert!(!span_until("valid until 2025-12-01", 6, "until"));
        assert!(!span_until("blocked until 15:10", 8, "until"));
        let s = "It began at 11:10 PM on Tuesday, October 21, 2025, and kept going until about 1:45 AM";
        assert!(span_until(s, s.find("until").unwrap(), "until"));
        assert!(span_until("Observed until: 2025-04-11 16:05:48 UTC", 9, "until"));
        assert!(!span_until("Blocked until: 2025-04-11 16:05:48 UTC", 8, "until"));
    }

    #[test]
    fn ticket_fields_are_no_incident() {
        let pats = EventPatterns::new();
        for line in [
            "Date Opened: 2021-09-23 02:00:02",
            "Creation Date: 2023-01-27T14:58:03.0Z",
            "created:        2021-11-30T12:00:04Z",
            "Ticket created on 2021-09-23 02:00:02",
            "Opened: 2021-09-23 02:00:02",
            "Datum: 03.05.2025 10:00",
            "Datum des Schreibens: 03.05.2025 10:00",
            // A response window, then its deadline.
            "send us a short statement within 48 hours, i.e. before 06.06.2025 09:14",
            "Bitte nehmen Sie innerhalb von 24 Stunden Stellung, also bis 06.06.2025 09:14",
            "login from 192.0.2.1 in session 9f1c (previous: 2026-03-18 19:44:02)",
            "This notification was created on 17.02.2025 at 14:02 (UTC +03:00)",
        ] {
            assert!(pats.is_meta(line), "{line}");
        }
        for line in [
            "Datum/Uhrzeit:  03.05.2025, 21:44:18 Uhr (MESZ)",
            "On December 5, 2022 a new account was created using the name and at 4:37 pm it wrote",
            "2021-09-23 02:00:02 connection opened from 192.0.2.1",
        ] {
            assert!(!pats.is_meta(line), "{line}");
        }
    }

    /// `proto_value` reads what the captures of `proto` give.
    #[test]
    fn proto_value_is_the_groups() {
        let pats = EventPatterns::new();
        let lines = [
            "2024-04-12 06:22:17  198.51.100.10 59547 ->    37.27.128.19 28015   64 TCP",
            "SRC=192.0.2.1 DST=198.51.100.2 PROTO=UDP SPT=1 DPT=53",
            "proto=6 dport=22",
            "protocol = \"17\" x",
            "Protocol=tcp",
            "proto=1234",
            "PROTOCOL=Udp icmp",
            "icmp echo, then tcp",
            "proto=١٢ tcp",
            "protox=6 udp",
            "ICMP",
        ];
        for line in lines {
            let c = pats.proto.captures(line).unwrap();
            let m = pats.proto.find(line).unwrap();
            let want = match (c.get(1), c.get(2)) {
                (Some(g), _) => (g.as_str(), false),
                (None, Some(g)) => (g.as_str(), true),
                (None, None) => unreachable!(),
            };
            assert_eq!(proto_value(m.as_str()), want, "{line}");
        }
    }
}
