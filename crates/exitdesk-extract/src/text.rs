//! Lines of the decoded parts, each tagged with the region it belongs to.
//!
//! Extraction reads lines, not raw parts. Each line is de-quoted (`>`/`>>`),
//! un-dash-escaped inside inline PGP, de-fanged (`1[.]2[.]3[.]4`), and tagged:
//! prose, a header block (mail headers pasted in the body, forward headers), a
//! whois dump, a quoted sample of the offending message, or a PGP signature.
//! Later stages skip regions that never hold the offender or the incident time.

use crate::mime::{Doc, PartKind};

/// Where a line sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    /// Text written by the reporter or forwarder, logs, tables.
    Prose,
    /// Mail headers (pasted, enclosed, or forward headers), ARF report fields.
    Header,
    /// A whois/RDAP dump.
    Whois,
    /// A sample of the offending message (spam), quoted for reference.
    Sample,
    /// PGP armour.
    Pgp,
}

/// One line of text.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) part: usize,
    pub(crate) text: String,
    pub(crate) quote: u8,
    pub(crate) region: Region,
}

/// Where line `i` of `lines` is, as evidence gives it: `part P line L`, both
/// counted from 1, `L` within the part's decoded text (a line longer than
/// [`MAX_LINE`] counts as its pieces). The lines of a part are contiguous and
/// parts come in order, as [`lines`] builds them.
pub(crate) fn place(lines: &[Line], i: usize) -> String {
    let Some(l) = lines.get(i) else { return "body".to_string() };
    let start = lines[..i].partition_point(|o| o.part < l.part);
    format!("part {} line {}", l.part + 1, i - start + 1)
}

/// Lines of prose in part 0, one per line of `text` (for unit tests).
#[cfg(test)]
pub(crate) fn prose_lines(text: &str) -> Vec<Line> {
    text.lines().map(|t| Line { part: 0, text: t.to_string(), quote: 0, region: Region::Prose }).collect()
}

/// Mail header names that mark a pasted header block on their own.
const STRONG_HEADERS: &[&str] = &[
    "received",
    "return-path",
    "message-id",
    "dkim-signature",
    "domainkey-signature",
    "arc-seal",
    "arc-message-signature",
    "arc-authentication-results",
    "authentication-results",
    "received-spf",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "delivered-to",
    "references",
    "in-reply-to",
    "thread-topic",
    "thread-index",
    "precedence",
    "errors-to",
    "importance",
    "feedback-type",
    "arrival-date",
    "received-date",
    "reported-domain",
    "reported-uri",
    "original-mail-from",
    "original-rcpt-to",
    "redacted-address",
    "removal-recipient",
    "reporting-mta",
    "source-ip",
    "incidents",
    "envelope-to",
    "return-receipt-to",
    "disposition-notification-to",
    "x-priority",
    "list-id",
    "list-unsubscribe",
    "authentication-results-original",
];
/// Header names that only count next to others (forward headers, in several languages).
const WEAK_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "sent",
    "reply-to",
    "sender",
    "von",
    "an",
    "betreff",
    "datum",
    "gesendet",
    "de",
    "à",
    "objet",
    "envoyé",
    "para",
    "asunto",
    "fecha",
    "enviado",
    "user-agent",
    "version",
    "organization",
];
const WHOIS_KEYS: &[&str] = &[
    "inetnum",
    "inet6num",
    "netrange",
    "cidr",
    "netname",
    "nethandle",
    "parent",
    "nettype",
    "originas",
    "organization",
    "orgname",
    "org-name",
    "orgid",
    "org",
    "address",
    "city",
    "stateprov",
    "postalcode",
    "country",
    "regdate",
    "updated",
    "ref",
    "descr",
    "admin-c",
    "tech-c",
    "abuse-c",
    "status",
    "created",
    "last-modified",
    "source",
    "role",
    "nic-hdl",
    "abuse-mailbox",
    "route",
    "route6",
    "origin",
    "org-type",
    "person",
    "phone",
    "fax-no",
    "e-mail",
    "remarks",
    "irt",
    "notify",
    "sponsoring-org",
    "language",
    "geoloc",
    "comment",
    "resourcelink",
    "resourcelinkname",
    "mnt-by",
    "mnt-lower",
    "mnt-routes",
    "mnt-domains",
    "mnt-ref",
    "mnt-irt",
    "as-name",
    "aut-num",
    "members",
];
const WHOIS_DISTINCT: &[&str] = &[
    "inetnum",
    "inet6num",
    "netrange",
    "netname",
    "nic-hdl",
    "mnt-by",
    "route",
    "route6",
    "orgname",
    "abuse-mailbox",
    "aut-num",
    "originas",
    "nethandle",
];

/// The header name at the start of `s` (`Received: …` → `received`), if any.
pub(crate) fn header_key(s: &str) -> Option<String> {
    let colon = s.find(':')?;
    let key = &s[..colon];
    // Long names are hyphenated (`X-MS-Exchange-Organization-ExpirationStartTime`).
    let longest = if key.contains('-') { 76 } else { 40 };
    if key.is_empty() || key.len() > longest || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    if !key.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let after = s[colon + 1..].chars().next();
    if after.is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    Some(key.to_lowercase())
}

fn is_strong_header(key: &str) -> bool {
    STRONG_HEADERS.contains(&key) || key.starts_with("x-") || key.starts_with("list-") || key.starts_with("arc-")
}

/// Most lines read from one message. Every line costs a few hundred bytes in
/// the later stages whatever its length, so a message of short or empty lines
/// (16 MiB of `\n`) would otherwise take gigabytes. Real complaints have at
/// most a few thousand lines, and 16 MiB of real log lines (60 bytes and more)
/// stay under this count.
pub(crate) const MAX_LINES: usize = 256 * 1024;

/// Splits the document into tagged lines: at most [`MAX_LINES`], with a
/// problem saying what was left unread when there are more.
pub(crate) fn lines(doc: &Doc) -> (Vec<Line>, Option<String>) {
    let mut out = Vec::new();
    let mut cut = None;
    for (idx, part) in doc.parts.iter().enumerate() {
        if out.len() >= MAX_LINES {
            cut = unread(doc, idx, 0, out.len());
            break;
        }
        let base = match part.kind {
            PartKind::Headers | PartKind::FeedbackReport => Region::Header,
            _ if part.nested > 0 => Region::Sample,
            _ => Region::Prose,
        };
        let start = out.len();
        let mut pgp_signed = false;
        let mut in_sig = false;
        let mut sample = false;
        let mut skip_hash = false;
        let mut at = 0;
        for raw in part.text.split('\n') {
            if out.len() >= MAX_LINES {
                cut = unread(doc, idx, at, out.len());
                break;
            }
            at += raw.len() + 1;
            let raw = raw.trim_end_matches(['\r', ' ', '\t', '\u{a0}']);
            let (quote, body) = dequote(raw);
            let mut text = body.to_string();
            let trimmed = body.trim();
            let mut region = base;
            if trimmed.starts_with("-----BEGIN PGP SIGNED MESSAGE-----") {
                pgp_signed = true;
                skip_hash = true;
                continue;
            }
            if skip_hash {
                if trimmed.starts_with("Hash:") {
                    continue;
                }
                skip_hash = false;
            }
            if trimmed.starts_with("-----BEGIN PGP SIGNATURE-----") {
                in_sig = true;
            }
            if in_sig {
                region = Region::Pgp;
                if trimmed.starts_with("-----END PGP SIGNATURE-----") {
                    in_sig = false;
                }
            } else if pgp_signed && body.starts_with("- ") {
                text.drain(..2);
            }
            if base == Region::Prose {
                if trimmed.trim_matches(['[', ']', ' ', '-', '=']).eq_ignore_ascii_case("offending message") {
                    sample = true;
                    continue;
                }
                if sample && region == Region::Prose {
                    region = Region::Sample;
                }
            }
            if text.contains('\u{a0}') {
                text = text.replace('\u{a0}', " ");
            }
            // A typographic minus is a minus ("UTC\u{2212}5"): every zone and
            // number reader below knows only the ASCII one.
            if text.contains('\u{2212}') {
                text = text.replace('\u{2212}', "-");
            }
            defang(&mut text);
            if text.len() <= MAX_LINE {
                out.push(Line { part: idx, text, quote, region });
            } else {
                for piece in split_long(&text) {
                    out.push(Line { part: idx, text: piece.to_string(), quote, region });
                }
            }
        }
        if base == Region::Prose {
            mark_header_blocks(&mut out[start..]);
            mark_whois(&mut out[start..]);
        }
        if cut.is_some() {
            break;
        }
    }
    (out, cut)
}

/// The problem for the text left unread from byte `at` of part `idx` on, if
/// any is left.
fn unread(doc: &Doc, idx: usize, at: usize, read: usize) -> Option<String> {
    let rest = doc.parts[idx].text.get(at..).unwrap_or_default();
    let later = &doc.parts[idx + 1..];
    let bytes = rest.len() + later.iter().map(|p| p.text.len()).sum::<usize>();
    let count_lines = |t: &str| t.bytes().filter(|b| *b == b'\n').count() + usize::from(!t.ends_with('\n'));
    let lines = count_lines(rest) + later.iter().map(|p| count_lines(&p.text)).sum::<usize>();
    (bytes > 0).then(|| {
        format!(
            "the message has more than {MAX_LINES} lines of text: the first {read} were read, the other {lines} ({}) were not",
            crate::mime::size(bytes)
        )
    })
}

/// Longest line analysed as one; longer ones (HTML that lost its line breaks,
/// hostile input) are cut at whitespace so that per-line work stays bounded.
const MAX_LINE: usize = 8 * 1024;

/// Cuts a long line into pieces of at most `MAX_LINE` bytes, at whitespace
/// where there is some.
fn split_long(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > MAX_LINE {
        let mut cut = crate::bounds::floor_char(rest, MAX_LINE);
        if let Some(ws) = rest[..cut].rfind(char::is_whitespace).filter(|p| *p > MAX_LINE / 2) {
            cut = crate::bounds::after_char(rest, ws);
        }
        let (head, tail) = rest.split_at(cut);
        pieces.push(head);
        rest = tail;
    }
    pieces.push(rest);
    pieces
}

/// Strips `>` quoting; returns the depth and the rest.
fn dequote(s: &str) -> (u8, &str) {
    let mut depth = 0u8;
    let mut rest = s;
    loop {
        let t = rest.trim_start_matches(' ');
        if let Some(r) = t.strip_prefix('>') {
            depth = depth.saturating_add(1);
            rest = r.strip_prefix(' ').unwrap_or(r);
        } else {
            break;
        }
        if depth > 20 {
            break;
        }
    }
    if depth == 0 { (0, s) } else { (depth, rest) }
}

/// Undoes common de-fanging: `1[.]2[.]3[.]4`, `(dot)`, `hxxp`.
fn defang(s: &mut String) {
    if s.contains('[') || s.contains('(') {
        for pat in ["[.]", "(.)", "[dot]", "(dot)", "[:]"] {
            if s.contains(pat) {
                *s = s.replace(pat, if pat == "[:]" { ":" } else { "." });
            }
        }
    }
    if s.contains("hxxp") {
        *s = s.replace("hxxp", "http");
    }
}

fn mark_header_blocks(lines: &mut [Line]) {
    let n = lines.len();
    let mut i = 0;
    while i < n {
        if lines[i].region != Region::Prose {
            i += 1;
            continue;
        }
        let Some(key) = header_key(lines[i].text.trim_start()) else {
            i += 1;
            continue;
        };
        if !is_strong_header(&key) && !WEAK_HEADERS.contains(&key.as_str()) {
            i += 1;
            continue;
        }
        // Extend the run: header lines and their continuations. Headers
        // pasted double-spaced (a blank line after each line) go on across
        // one or two blank lines to a continuation or a strong header.
        let mut j = i;
        let mut strong = 0;
        let mut weak = Vec::new();
        while j < n && lines[j].region == Region::Prose {
            let t = &lines[j].text;
            if j > i && t.starts_with([' ', '\t']) && !t.trim().is_empty() {
                j += 1;
                continue;
            }
            if j > i && t.trim().is_empty() {
                let next = (j + 1..n.min(j + 3)).find(|k| !lines[*k].text.trim().is_empty());
                let goes_on = next.is_some_and(|k| {
                    let t = &lines[k].text;
                    lines[k].region == Region::Prose
                        && (t.starts_with([' ', '\t']) || header_key(t).is_some_and(|k| is_strong_header(&k)))
                });
                match next {
                    Some(k) if goes_on => {
                        j = k;
                        continue;
                    }
                    _ => break,
                }
            }
            match header_key(t) {
                Some(k) if is_strong_header(&k) => strong += 1,
                Some(k) if WEAK_HEADERS.contains(&k.as_str()) => weak.push(k),
                _ => break,
            }
            j += 1;
        }
        let forward_cluster = weak.len() >= 2
            && weak.iter().any(|k| matches!(k.as_str(), "from" | "von" | "de" | "sent" | "gesendet" | "to" | "an"))
            && weak.iter().any(|k| {
                matches!(
                    k.as_str(),
                    "subject" | "betreff" | "objet" | "asunto" | "date" | "datum" | "sent" | "gesendet" | "fecha"
                )
            });
        if strong > 0 || forward_cluster {
            for l in lines[i..j].iter_mut().filter(|l| !l.text.trim().is_empty()) {
                l.region = Region::Header;
            }
        }
        i = j.max(i + 1);
    }
}

fn mark_whois(lines: &mut [Line]) {
    let keyed: Vec<(bool, bool)> = lines
        .iter()
        .map(|l| {
            let t = l.text.trim_start();
            if t.starts_with('%') {
                let lower = t.to_ascii_lowercase();
                let distinct = lower.contains("ripe")
                    || lower.contains("information related")
                    || lower.contains("abuse contact")
                    || lower.contains("whois");
                return (true, distinct);
            }
            match header_key(t).or_else(|| loose_key(t)) {
                Some(k) => {
                    let base = k.trim_end_matches(|c: char| c.is_ascii_digit());
                    let known = WHOIS_KEYS.contains(&base)
                        || base.starts_with("orgabuse")
                        || base.starts_with("orgtech")
                        || base.starts_with("rabuse")
                        || base.starts_with("rtech")
                        || base.starts_with("orgnoc");
                    (known, WHOIS_DISTINCT.contains(&base))
                }
                None => (false, false),
            }
        })
        .collect();
    let distinct: Vec<usize> = keyed.iter().enumerate().filter(|(_, k)| k.1).map(|(i, _)| i).collect();
    if distinct.is_empty() {
        return;
    }
    for (i, (known, _)) in keyed.iter().enumerate() {
        // `distinct` is sorted: the nearest distinctive line is at the partition point.
        let at = distinct.partition_point(|d| *d < i);
        let near = distinct.get(at).is_some_and(|d| d - i <= 14) || at > 0 && i - distinct[at - 1] <= 14;
        if *known && lines[i].region == Region::Prose && near {
            lines[i].region = Region::Whois;
        }
    }
}

/// Whois keys are followed by padding (`inetnum:        1.2.3.0 - 1.2.3.255`).
fn loose_key(s: &str) -> Option<String> {
    let colon = s.find(':')?;
    let key = &s[..colon];
    if key.len() > 30 || key.contains(' ') || key.is_empty() {
        return None;
    }
    Some(key.to_ascii_lowercase())
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::mime::TextPart;

    fn doc(text: &str) -> Doc {
        Doc {
            parts: vec![TextPart {
                kind: PartKind::Body,
                filename: None,
                mime: "text/plain".into(),
                nested: 0,
                text: text.into(),
            }],
            ..Doc::default()
        }
    }

    #[test]
    fn regions() {
        let d = doc(
            "Hello\nReceived: from x (y [192.0.2.1])\n\tby z; Mon, 1 Jan 2024 00:00:00 +0000\nX-Foo: bar\n\nnetname: EXAMPLE\ninetnum: 192.0.2.0 - 192.0.2.255\n> > quoted 198.51.100[.]7\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\nbye",
        );
        let ls = lines(&d).0;
        let regions: Vec<Region> = ls.iter().map(|l| l.region).collect();
        assert_eq!(
            regions,
            vec![
                Region::Prose,
                Region::Header,
                Region::Header,
                Region::Header,
                Region::Prose,
                Region::Whois,
                Region::Whois,
                Region::Prose,
                Region::Pgp,
                Region::Pgp,
                Region::Pgp,
                Region::Prose
            ]
        );
        assert_eq!(ls[7].quote, 2);
        assert_eq!(ls[7].text, "quoted 198.51.100.7");
    }

    #[test]
    fn long_lines_are_cut_at_whitespace() {
        let long = "word ".repeat(5000);
        let pieces = split_long(&long);
        assert!(pieces.len() >= 3 && pieces.iter().all(|p| p.len() <= MAX_LINE));
        assert_eq!(pieces.concat(), long);
        let dense = "é".repeat(9000);
        assert_eq!(split_long(&dense).concat(), dense);
        // Multi-byte whitespace right before the cut (French, CJK, Unicode
        // paragraph separator): cut after the whole character.
        for ws in ['\u{a0}', '\u{202f}', '\u{3000}', '\u{2029}', '\u{2003}'] {
            for pad in 0..4 {
                let line = format!("{}{ws}{}", "a".repeat(MAX_LINE - ws.len_utf8() - pad), "b".repeat(100));
                let pieces = split_long(&line);
                assert_eq!(pieces.concat(), line);
                assert!(pieces[0].ends_with(ws), "{ws:?} {pad}");
            }
        }
    }

    #[test]
    fn lines_stop_at_the_cap_and_say_what_was_left() {
        let d = doc(&"x\n".repeat(MAX_LINES + 10));
        let (ls, cut) = lines(&d);
        assert_eq!(ls.len(), MAX_LINES);
        let cut = cut.expect("a problem for the lines left");
        assert!(cut.contains(&format!("the first {MAX_LINES} were read, the other 10 (20 bytes) were not")), "{cut}");
        assert!(lines(&doc("a\nb")).1.is_none());
        // Exactly the cap, and the final line break: nothing left unread.
        assert!(lines(&doc(&"x\n".repeat(MAX_LINES))).1.is_none());
    }

    #[test]
    fn forward_headers_and_dash_escapes() {
        let d = doc(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n- -- \nVon: a@example.org\nAn: b@example.org\nBetreff: x\nDatum: 2022-03-17 23:51:55\nMar 17 14:34:39 log line",
        );
        let ls = lines(&d).0;
        assert_eq!(ls[1].text, "--");
        assert_eq!(ls[2].region, Region::Header);
        assert_eq!(ls[5].region, Region::Header);
        assert_eq!(ls[6].region, Region::Prose);
    }
}
