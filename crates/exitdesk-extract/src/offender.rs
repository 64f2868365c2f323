//! Which addresses a complaint accuses.
//!
//! Every address mention gets a role from its surroundings: a field or column
//! that names the offender ("Source IP:", a CSV `ip` column), a cue in the
//! sentence ("attacks from X", "X is an open proxy", `rhost=X`), a victim cue
//! ("against X", "-> X", "Logs are from X", a destination column), or none.
//! Addresses in mail headers, whois dumps, quoted spam and URLs never count.
//! The decision then takes the most specific tier that has candidates:
//! machine-readable report fields, then named fields and columns, then cues,
//! then the addresses the prose mentions without any cue. Addresses listed
//! together with a chosen one (`X, Y and Z`, one address per line under a
//! cue) share its role unless something marks them as victims.

use std::net::IpAddr;

use regex::Regex;

use crate::bounds::{head, tail};
use crate::formats::{Column, TableHeader};
use crate::ip::{IpFinder, Mention};
use crate::text::{Line, Region, header_key};

/// The role evidence collected for one address.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub(crate) strong: u32,
    pub(crate) weak: u32,
    pub(crate) victim: u32,
    pub(crate) plain: u32,
    /// The host of a URL the complaint reports (`https://192.0.2.7/login`).
    pub(crate) url: u32,
}

/// Compiled cue patterns.
#[derive(Debug, Clone)]
pub(crate) struct Cues {
    offender_left: Regex,
    offender_right: Regex,
    victim_left: Regex,
    key_line: Regex,
    offender_key: Regex,
    victim_key: Regex,
    /// A clause about the writer's own system: a first-person possessive and
    /// a system noun after it ("our storefront runs on X", "een webwinkel
    /// van onze klant (X)", "naše sonda na adresách X").
    own_system: Regex,
    /// A source preposition right before the address ("from X", "van X").
    source_before: Regex,
    /// A URL whose host is an address literal.
    url_host: Regex,
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
                | \bfrom\s+(?:[\w-]+\s+){0,2}(?:addresses|ips|hosts|sources|machines|systems|servers)\b[^:\n]*:
                | \b(?:ip-?adressen?|ip-?adresa|adresses?\s+ip|direcci[oó]n(?:es)?\s+ip)\b[^:\n]*:
                | \b(?:rhost|rip|srcip|src_ip|src|sip|client|remote_addr|remoteip|saddr)\s*=\s*
                | \bsrc\s+(?:[\w-]+:)?
                | \bfrom\s+\S*\s*
                | \brelay=\S*\s*
                | \btraced\s+(?:\S+\s+){0,5}?to\s+
                | \b(?:somebody|someone|anyone|jemand|alguien|qualcuno)\s+(?:at|on|using|behind)\s+
                | \bbelong(?:s|ing)?\s+to\s+your\s+[\w-]+(?:\s+[\w-]+)?\s*[,:]
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
                  \b(?:to|against|towards|dst|destination|target(?:ed)?|victim|attacked|lip|dstip|dst_ip|daddr|targeting|naar|nach|vers|hacia|verso|contra|contre|gegen|tegen|przeciw(?:ko)?|proti|против)
                | ->|=>|\x20>
                | \b(?:our|my)
                | \b(?:our|my)\s+[a-z][\w'-]*\s+(?:server|system|host|network|machine|site|honeypot|sensor|service|infrastructure)s?
                | \blogs?\s+(?:are|were)\s+from
                | \bi\s+am\s+writing\s+from
                )(?:\s+(?:our|my|the|ip|address|server|servers|host|network|system|machine|site|web\s*server|webserver|range|customer|client)s?)*\s*[\s:*(\[=\x22]*(?:[\w-]+:\s*)?$",
            ),
            own_system: crate::re::compile(
                r"(?i)\b(?:our|my|onze?|ons|mijn|unser\w*|mein\w*|notre|nos|mon|ma|mes|nuestr[oa]s?|mis?|noss[oa]s?|meu|minha|nostr[oa]|nostri|mi[oa]|nasz\w*|m[óo]j\w*|n[áa]š\w*|můj|moje|наш\w*|мо[йяё]\w*|(?:we|i)\s+(?:host|run|operate|manage|own))\b.{0,60}(?:server|serveur|servidor|serwer|boutique|tienda|negozio|loja|sklep|obchod|sitio|sito|strona|stránk|página|pagina|shop|store|storefront|site|website|webshop|webwinkel|winkel|honeypot|sensor|sonda|sond[ay]|czujnik|gateway|router|firewall|resolver|nameserver|mail\s*server|platform|forum|blog|instance|klant|kunde|client|cliente|customer|сервер|сайт|магазин|датчик)\w*",
            ),
            source_before: crate::re::compile(
                r"(?i)\b(?:from|by|van|vanaf|door|von|durch|de|desde|da|par|dal|dalla|z|ze|od|с|со|от)\s+(?:the\s+|your\s+|an?\s+)?(?:(?:ip|host|address|server|source|machine|client|system|network)\s*)?(?:address(?:es)?\s*)?[\s:*(\[\x22']*$",
            ),
            url_host: crate::re::compile(
                r"(?i)\b(?:https?|ftp)://(?:\[([0-9a-f:.]{2,45})\]|([0-9]{1,3}(?:\.[0-9]{1,3}){3}))(?::[0-9]{1,5})?(?:[/?#\s]|$)",
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
                r"(?ix)(?:dest|dst|target|victim|\bour\b|\blocal|\blip\b|abused|attacked|angegriffen|attaqu|atacad|report(?:er|ing)|sinkhole|\bcc\b|c&c|gateway|resolver|\bdns\b|\bmx\b|mail|domain|e-?mail|listener|honeypot|sensor|upstream|uplink)",
            ),
        }
    }
}

impl Cues {
    /// The addresses the subject names without marking them as victims
    /// ("TCP flood from A against B" → A).
    pub(crate) fn subject_accused(&self, ips: &IpFinder, subject: &str) -> Vec<IpAddr> {
        let mut out = Vec::new();
        for m in ips.mentions(subject) {
            let left = subject[..m.start].to_lowercase();
            if !self.victim_left.is_match(&left) && !out.contains(&m.ip) {
                out.push(m.ip);
            }
        }
        out
    }
}

/// Per-address evidence gathered over all lines.
#[derive(Debug, Default)]
pub(crate) struct Roles {
    pub(crate) order: Vec<IpAddr>,
    pub(crate) tally: std::collections::HashMap<IpAddr, Tally>,
    /// Enumerations: addresses written as one list (same sentence joined only
    /// by separators, or one per line in a block).
    pub(crate) groups: Vec<Vec<IpAddr>>,
    /// Where each address is first mentioned: (part, line), by line index.
    pub(crate) first_seen: std::collections::HashMap<IpAddr, (usize, usize)>,
    /// Addresses the subject names.
    pub(crate) in_subject: Vec<IpAddr>,
}

/// The enumeration state carried from one line to the next.
#[derive(Debug, Clone, Copy)]
struct ListTail {
    /// Index in `Roles::groups` of the line's last enumeration.
    group: usize,
    /// The line is nothing but addresses (a block list).
    ip_only: bool,
    /// The line ends with a separator after its last address ("X, Y and").
    open: bool,
}

/// Words that join the items of a list.
const LIST_WORDS: &[&str] = &["and", "or", "und", "oder", "et", "ou", "y", "o", "e", "also", "as", "well"];

/// True when `between` (the text between two addresses) only joins them as
/// list items: `, `, ` and `, ` / `, `; `, "and from". Whitespace alone does not.
fn is_list_separator(between: &str) -> bool {
    let t = between.trim_matches(|c: char| c.is_whitespace() || "()[]\"'*".contains(c));
    if t.is_empty() {
        // Only "(…)" or quoting between them: no explicit joint.
        return false;
    }
    let lower = t.to_lowercase();
    let mut joint = lower.contains([',', ';', '/', '&', '|', '+']);
    for w in lower.split(|c: char| c.is_whitespace() || ",;/&|+".contains(c)).filter(|w| !w.is_empty()) {
        if LIST_WORDS.contains(&w) {
            joint = true;
        } else if !(w == "from" && joint) {
            // "X and from Y" is still a list; any other word is not.
            return false;
        }
    }
    joint
}

/// The rest of a line once its addresses are removed holds only bullets and separators.
fn only_addresses(text: &str, mentions: &[crate::ip::Mention]) -> bool {
    let mut rest = String::new();
    let mut last = 0;
    for m in mentions {
        if m.start < last {
            continue;
        }
        rest.push_str(&text[last..m.start]);
        rest.push(' ');
        last = m.end;
    }
    rest.push_str(&text[last..]);
    let lower = rest.to_lowercase();
    lower
        .split(|c: char| c.is_whitespace() || ",;/&|-*•·()[]\"'".contains(c))
        .filter(|w| !w.is_empty())
        .all(|w| LIST_WORDS.contains(&w) || w.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

impl Roles {
    fn entry(&mut self, ip: IpAddr) -> &mut Tally {
        // One lookup: a new address is also remembered in order.
        match self.tally.entry(ip) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                self.order.push(ip);
                e.insert(Tally::default())
            }
        }
    }

    /// Splits the line's mentions into enumerations and records them; joins
    /// the first one to the previous line's list when the list goes on.
    fn enumerations(
        &mut self,
        text: &str,
        mentions: &[crate::ip::Mention],
        prev: Option<ListTail>,
    ) -> Option<ListTail> {
        if mentions.is_empty() {
            return None;
        }
        // A comma-separated row without spaces is a CSV record, not a list.
        let csv_row = text.matches(',').count() >= 2 && !text.contains(", ");
        let mut spans: Vec<Vec<IpAddr>> = vec![vec![mentions[0].ip]];
        for w in mentions.windows(2) {
            let (a, b) = (w[0], w[1]);
            let joined = b.start <= a.end || (!csv_row && is_list_separator(&text[a.end..b.start]));
            if joined {
                if let Some(last) = spans.last_mut() {
                    last.push(b.ip);
                }
            } else {
                spans.push(vec![b.ip]);
            }
        }
        let ip_only = only_addresses(text, mentions);
        let lead_free =
            text[..mentions[0].start].trim_matches(|c: char| c.is_whitespace() || "-*•·".contains(c)).is_empty();
        let continues = prev.is_some_and(|p| (p.ip_only && ip_only) || (p.open && lead_free));
        let mut first = true;
        let mut last_group = 0;
        for span in spans {
            match prev.filter(|_| first && continues) {
                Some(p) => {
                    if let Some(g) = self.groups.get_mut(p.group) {
                        g.extend(span);
                    }
                    last_group = p.group;
                }
                None => {
                    if self.groups.len() < 4096 {
                        self.groups.push(span);
                    }
                    last_group = self.groups.len().saturating_sub(1);
                }
            }
            first = false;
        }
        let last_end = mentions.iter().map(|m| m.end).max().unwrap_or(0);
        let tail = &text[last_end..];
        let open = !tail.trim().is_empty() && is_list_separator(tail);
        Some(ListTail { group: last_group, ip_only, open })
    }

    /// Records the roles of every mention in `subject`.
    pub(crate) fn subject(&mut self, cues: &Cues, ips: &IpFinder, subject: &str) {
        let mentions = ips.mentions(subject);
        self.enumerations(subject, &mentions, None);
        for m in mentions {
            if !self.in_subject.contains(&m.ip) {
                self.in_subject.push(m.ip);
            }
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
    /// `tables`: the table header each line is, if any; `found`: the
    /// addresses on each prose line (both by line index).
    pub(crate) fn lines(
        &mut self,
        cues: &Cues,
        ips: &IpFinder,
        lines: &[Line],
        tables: &[Option<TableHeader>],
        found: &[Vec<Mention>],
    ) {
        let mut header: Option<(usize, &TableHeader)> = None;
        let mut list_key: Option<(usize, bool)> = None; // (part, offender?) for a key with its values on the next lines
        let mut blank_run = 0;
        let mut list: Option<(usize, ListTail)> = None; // the previous line's enumeration, by part
        for (i, line) in lines.iter().enumerate() {
            let text = line.text.as_str();
            if text.trim().is_empty() {
                list = None;
                blank_run += 1;
                if blank_run > 2 {
                    list_key = None;
                }
                // One blank line may set a header apart from its rows.
                let under_header = i > 0 && tables.get(i - 1).is_some_and(Option::is_some);
                if header.as_ref().is_some_and(|(p, _)| *p == line.part) && !under_header {
                    header = None;
                }
                continue;
            }
            blank_run = 0;
            if line.region == Region::Header {
                // Only the ARF field names the offender inside a header block.
                if header_key(text.trim_start()).as_deref() == Some("source-ip") {
                    for m in ips.mentions(text) {
                        self.first_seen.entry(m.ip).or_insert((line.part, i));
                        self.entry(m.ip).strong += 1;
                    }
                }
                continue;
            }
            if line.region != Region::Prose {
                list = None;
                continue;
            }
            if let Some(h) = tables.get(i).and_then(Option::as_ref) {
                header = Some((line.part, h));
                list_key = None;
                list = None;
                continue;
            }
            let own;
            let mentions: &[Mention] = match found.get(i) {
                Some(m) => m,
                None => {
                    own = ips.mentions(text);
                    &own
                }
            };
            for m in mentions {
                self.first_seen.entry(m.ip).or_insert((line.part, i));
            }
            let prev = list.filter(|(p, _)| *p == line.part).map(|(_, t)| t);
            let in_table = header.as_ref().is_some_and(|(p, _)| *p == line.part);
            list = if in_table { None } else { self.enumerations(text, mentions, prev).map(|t| (line.part, t)) };
            if let Some((part, h)) = &header {
                if *part == line.part && !mentions.is_empty() {
                    let row = h.row(text);
                    let mut used = false;
                    for (col, cell) in row {
                        // Only address columns say anything about roles.
                        if !matches!(col, Column::Ip | Column::DestIp) {
                            continue;
                        }
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
            // A "key" holding an address is a sentence that ends in a colon
            // ("Attacks from 192.0.2.1:"), not a field name.
            let key = key.filter(|(_, vstart)| !mentions.iter().any(|m| m.start < *vstart));
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
                        for m in mentions {
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
            for m in mentions {
                self.cue(cues, lines, i, m.start, m.end, m.ip);
            }
        }
    }

    fn cue(&mut self, cues: &Cues, lines: &[Line], i: usize, start: usize, end: usize, ip: IpAddr) {
        let text = &lines[i].text;
        let mut left = tail(&text[..start], 160).to_lowercase();
        if left.trim().len() < 3 {
            // The cue may end the previous line: "the IP address\n192.0.2.1",
            // or the sentence that ends there ("… from three addresses in
            // your network overloaded our\ncatalogue last night:\n192.0.2.1").
            let mut above = lines[..i].iter().rev().take(4).filter(|l| !l.text.trim().is_empty());
            if let Some(prev) = above.next().filter(|p| p.part == lines[i].part) {
                let mut said = prev.text.to_lowercase();
                if let Some(before) = above.next().filter(|b| {
                    b.part == lines[i].part
                        && said.trim_end().ends_with(':')
                        && !b.text.trim_end().ends_with(['.', ':'])
                }) {
                    said = format!("{} {said}", before.text.to_lowercase());
                }
                left = format!("{said} {left}");
            }
        }
        let left = tail(&left, 120);
        let right = head(&text[end..], 80).to_lowercase();
        // A delivery line of a mail log ("to=<x>, relay=mx.example[IP]:25")
        // names the next hop the mail went to; `relay=` alone (sendmail's
        // connecting client) names the sender.
        let delivery =
            left.contains("to=<") && left.rfind("relay=").is_some_and(|p| !left[p..].contains(char::is_whitespace));
        // "… traced all of the submissions to X": the "to" names the source.
        // (the sentence may start on the line above)
        let above = match i.checked_sub(1).map(|k| &lines[k]) {
            Some(prev) if prev.part == lines[i].part && !left.contains("traced ") => prev.text.to_lowercase(),
            _ => String::new(),
        };
        let said = format!("{above} {left}");
        let traced = said.rfind("traced ").is_some_and(|p| {
            let rest = said[p..].trim_end();
            rest.ends_with(" to") && rest.split_whitespace().count() <= 8
        });
        let t = self.entry(ip);
        if traced {
            t.weak += 1;
        } else if delivery || cues.victim_left.is_match(left) {
            t.victim += 1;
        } else if !cues.source_before.is_match(left)
            && !cues.offender_right.is_match(&right)
            && own_clause(left).is_some_and(|c| names_own_system(&cues.own_system, c))
        {
            // "Our storefront runs on X", "the shop itself (it's on X)": the
            // writer's own system, not a source.
            t.victim += 1;
        } else if cues.offender_left.is_match(left) || cues.offender_right.is_match(&right) {
            t.weak += 1;
        } else {
            t.plain += 1;
        }
    }

    /// The accused addresses: the most specific tier that has any, plus the
    /// addresses listed together with them that nothing marks as victims.
    /// The addresses marked as targets (a victim cue more often than an
    /// offender cue), not among `accused`, public only, in the order first
    /// seen; at most `max`.
    pub(crate) fn targets(&self, accused: &[IpAddr], max: usize) -> Vec<IpAddr> {
        self.order
            .iter()
            .filter(|ip| !accused.contains(ip) && crate::ip::non_public_kind(**ip).is_none())
            .filter(|ip| self.tally.get(ip).is_some_and(|t| t.victim > 0 && t.victim > t.strong + t.weak))
            .take(max)
            .copied()
            .collect()
    }

    pub(crate) fn decide(&self, structured: &[IpAddr]) -> Vec<IpAddr> {
        let chosen = self.tier(structured);
        if !structured.is_empty() || chosen.is_empty() {
            return chosen;
        }
        let mut set: std::collections::HashSet<IpAddr> = chosen.iter().copied().collect();
        let before = set.len();
        // Lists can chain (an address in two lists); a few rounds reach the fixed point.
        for _ in 0..4 {
            let n = set.len();
            for g in &self.groups {
                if g.iter().any(|ip| set.contains(ip)) {
                    for ip in g {
                        if self.tally.get(ip).is_some_and(|t| t.victim == 0) {
                            set.insert(*ip);
                        }
                    }
                }
            }
            if set.len() == n {
                break;
            }
        }
        if set.len() == before {
            return chosen;
        }
        self.order.iter().copied().filter(|ip| set.contains(ip)).collect()
    }

    /// Why an accused address was chosen, for the evidence list: where it is
    /// first mentioned, the rule, and a confidence.
    /// When nothing else names an accused address: the hosts of the URLs
    /// the complaint's own text gives as address literals (a phishing page at
    /// `https://[2001:db8::7]/verify`): the content it reports is served
    /// there. Quoted spam and mail headers do not count.
    pub(crate) fn url_hosts(&mut self, cues: &Cues, lines: &[Line]) -> Vec<IpAddr> {
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate().filter(|(_, l)| l.region == Region::Prose && l.text.contains("://")) {
            for c in cues.url_host.captures_iter(&l.text) {
                let Some(ip) = c.get(1).or_else(|| c.get(2)).and_then(|m| m.as_str().parse::<IpAddr>().ok()) else {
                    continue;
                };
                if out.len() < 8 && !out.contains(&ip) {
                    out.push(ip);
                    self.first_seen.entry(ip).or_insert((l.part, i));
                    self.entry(ip).url += 1;
                }
            }
        }
        out
    }

    pub(crate) fn explain(&self, ip: IpAddr, structured: &[IpAddr], lines: &[Line]) -> (String, &'static str, u8) {
        let place = match self.first_seen.get(&ip) {
            Some((_, line)) => crate::text::place(lines, *line),
            None if self.in_subject.contains(&ip) => "subject".to_string(),
            None => "report structure".to_string(),
        };
        if structured.contains(&ip) {
            return (place, "field of a machine-readable report", 95);
        }
        let t = self.tally.get(&ip).cloned().unwrap_or_default();
        let (rule, confidence) = if t.strong > 0 {
            ("named field or address column", 85)
        } else if t.weak > 0 {
            ("offender cue in the sentence", 65)
        } else if t.plain > 0 {
            ("mentioned without a cue", 40)
        } else if t.url > 0 {
            ("host of a URL the complaint reports", 50)
        } else {
            ("listed together with an accused address", 55)
        };
        (place, rule, confidence)
    }

    fn tier(&self, structured: &[IpAddr]) -> Vec<IpAddr> {
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

/// The clause names the writer's own system and only links it to the
/// address after it ("runs on", "(it's on", "na adresách"): no verb acts
/// between ("our gateway flagged X" names X as a source).
fn names_own_system(own: &Regex, clause: &str) -> bool {
    const LINKS: &[&str] = &[
        "hébergé",
        "hébergée",
        "héberge",
        "le",
        "la",
        "chez",
        "gehostet",
        "gehost",
        "bei",
        "alojado",
        "alojada",
        "el",
        "ospitato",
        "ospitata",
        "sul",
        "il",
        "hospedado",
        "hospedada",
        "размещён",
        "размещен",
        "находится",
        "jest",
        "hostowany",
        "je",
        "hostován",
        "staat",
        "draaien",
        "itself",
        "it",
        "s",
        "is",
        "are",
        "was",
        "runs",
        "run",
        "running",
        "hosted",
        "located",
        "lives",
        "sits",
        "reachable",
        "which",
        "that",
        "on",
        "at",
        "in",
        "under",
        "with",
        "the",
        "its",
        "address",
        "addresses",
        "ip",
        "ips",
        "ipv4",
        "ipv6",
        "honeypot",
        "sensor",
        "server",
        "ist",
        "läuft",
        "auf",
        "unter",
        "der",
        "die",
        "adresse",
        "est",
        "sur",
        "à",
        "l",
        "es",
        "en",
        "está",
        "é",
        "em",
        "no",
        "è",
        "su",
        "all",
        "indirizzo",
        "draait",
        "op",
        "adres",
        "na",
        "adrese",
        "adresách",
        "adresie",
        "adresach",
        "на",
        "адресе",
        "адресах",
        "dirección",
        "endereço",
    ];
    let Some(m) = own.find(clause) else { return false };
    // Host names in between ("we host the website example.org on X") link too.
    let tail: String = clause[m.end()..]
        .split_whitespace()
        // (also the rest of a name the match ended inside: "our shop
        // (www.bakery-shop.example, hosted on X" matches up to "bakery-shop")
        .filter(|w| !w.trim_end_matches(|c: char| !c.is_alphanumeric()).contains('.'))
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<String> =
        tail.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.len() <= 6 && words.iter().all(|w| LINKS.contains(&w.as_str()))
}

/// The clause that ends at the address: the text after the last sentence
/// break (`.`, `!`, `?`, `;` before a space) in `left`, if it has words.
fn own_clause(left: &str) -> Option<&str> {
    let b = left.as_bytes();
    let start = (1..b.len())
        .rev()
        .find(|&k| matches!(b[k - 1], b'.' | b'!' | b'?' | b';') && b[k].is_ascii_whitespace())
        .unwrap_or(0);
    let clause = &left[start..];
    (!clause.trim().is_empty()).then_some(clause)
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn list_separators() {
        for joint in [", ", " and ", " & ", " / ", "; ", ", and ", " and from ", " oder ", ") and ("] {
            assert!(is_list_separator(joint), "{joint:?}");
        }
        for other in [" ", " - ", " to ", " from ", " against ", ", against ", " (our web server), ", ":"] {
            assert!(!is_list_separator(other), "{other:?}");
        }
    }

    #[test]
    fn the_writers_own_system_is_no_source() {
        let cues = Cues::new();
        let own = |left: &str| {
            !cues.source_before.is_match(left)
                && own_clause(left).is_some_and(|c| names_own_system(&cues.own_system, c))
        };
        for left in [
            "the first order. our storefront runs on ",
            "our hosting company says the shop itself (it's on ",
            "een webwinkel van onze klant (",
            "naše síťová sonda (honeypot) na adresách ",
            "we host the website example.org on ",
            "náš server ",
            "l'attaquant a surchargé notre boutique (",
            "since this morning our shop (www.bakery-shop.example, hosted on ",
        ] {
            assert!(own(left), "{left:?}");
        }
        for left in [
            "our payment gateway flagged ",
            "our server was attacked from ",
            "our honeypot saw connections from the ip ",
            "your server ",
            "we blocked ",
        ] {
            assert!(!own(left), "{left:?}");
        }
    }

    #[test]
    fn url_hosts_are_address_literals_of_prose_urls() {
        let cues = Cues::new();
        let lines = crate::text::prose_lines(
            "The link goes to https://[2001:db8:a0b::7]:443/parcel/verify and\nhttp://192.0.2.7/login.php, not https://example.org/.\n",
        );
        let mut roles = Roles::default();
        let hosts = roles.url_hosts(&cues, &lines);
        assert_eq!(hosts, vec!["2001:db8:a0b::7".parse::<IpAddr>().unwrap(), "192.0.2.7".parse().unwrap()]);
        assert_eq!(roles.explain(hosts[0], &[], &lines).1, "host of a URL the complaint reports");
    }

    #[test]
    fn victims_behind_a_described_system() {
        let cues = Cues::new();
        for left in [
            "has been used for network abuse against one of our monitored systems (ip: ",
            "attacks against our protected servers ",
            "targeted against our ip address ",
        ] {
            assert!(cues.victim_left.is_match(left), "{left:?}");
        }
        for left in ["the ip address '", "we saw attacks from ", "our report about "] {
            assert!(!cues.victim_left.is_match(left), "{left:?}");
        }
        for left in [
            "it lists an additional ip belonging to your company, ",
            "one host belongs to your network: ",
            "a crawler running from three addresses in your network overloaded our catalogue last night: ",
        ] {
            assert!(cues.offender_left.is_match(left), "{left:?}");
        }
        // A key naming another role than the accused host's.
        for key in ["upstream ip", "destination ip", "honeypot address", "attacked host", "reporter ip"] {
            assert!(cues.victim_key.is_match(key), "{key:?}");
        }
        // The reported address is the accused one.
        for key in ["ip address", "reported address", "reported ip"] {
            assert!(!cues.victim_key.is_match(key), "{key:?}");
        }
    }

    #[test]
    fn address_only_lines() {
        let f = IpFinder::new();
        for line in ["192.0.2.1", "  - 192.0.2.1,", "192.0.2.1 and 2001:db8::1", "198.51.100.52 (and 44, and 21)"] {
            assert!(only_addresses(line, &f.mentions(line)), "{line:?}");
        }
        for line in ["192.0.2.1 attacked us", "Source: 192.0.2.1"] {
            assert!(!only_addresses(line, &f.mentions(line)), "{line:?}");
        }
    }
}
