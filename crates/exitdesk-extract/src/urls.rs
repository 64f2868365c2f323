//! Reported locations: the URLs or host names a complaint says are served
//! from the accused address (a phishing page, a malware download, an
//! infringing stream). A reply about hosted content names them, so its
//! reader sees which report it answers.
//!
//! A location is reported when the complaint marks it as one, by one of
//! four general means:
//! - it stands on the same line as an accused address ("hxxp://x[.]com/ [192.0.2.1]",
//!   "URL (IP : 192.0.2.1)", "x.example carrying IP number 192.0.2.1");
//! - a label introduces it: `URL:`, `Domain:`, `Infringing URL:`, `Phishing site:`,
//!   `Site concerné :`, `Infringement:`;
//! - it is defanged (`hxxp`, `[.]`, `(.)`): senders defang the indicators
//!   they report, never their own links;
//! - a sentence introduces it: one ending in ':' ("the infringing content
//!   can be found at:", judged by that sentence alone when it introduces
//!   on its own, not by what the line said before it), or one pointing below ("the below-referenced web
//!   site(s)", "the infringing URLs listed below": a sentence that
//!   accuses, not one pointing to a letter of authorisation): then the first lines that start
//!   with a URL after it, even past a signature.
//!
//! Reference links are not locations: the sender's own site, scanners and
//! sandboxes (VirusTotal, urlscan), link-protection wrappers, screenshots,
//! and a rights holder's "official" or "original" site.

use std::net::IpAddr;

use regex::Regex;

use crate::re::compile as re;

/// A character of a location (not space, quote, bracket or brace).
const T: &str = r#"[^\s<>"'(){}|\[\]]"#;
/// A defanged dot: `[.]`, `(.)`, `[dot]`, spaced or not.
const D: &str = r"\s?(?:\[\.\]|\(\.\)|\[dot\])\s?";
/// At most this many locations are kept.
const MAX: usize = 8;
/// Locations longer than this are cut (with "…").
const MAX_LEN: usize = 160;

#[derive(Debug, Clone)]
pub(crate) struct UrlReader {
    url: Regex,
    label: Regex,
    intro: Regex,
    host_ip: Regex,
    skip_line: Regex,
    below: Regex,
    accusing: Regex,
}

impl UrlReader {
    pub(crate) fn new() -> UrlReader {
        UrlReader {
            // A scheme (also defanged: hxxp, hXXps, http[:]//) and a host, or a
            // defanged bare host ("evil[.]example", "evil (.) example").
            url: re(&format!(
                r"(?i)\b(?:h(?:tt|xx)ps?(?:\[:\]|:)//{T}+(?:{D}{T}+)*|[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:{D}[a-z0-9-]+)+(?:/{T}*)?)"
            )),
            label: re(
                r"(?i)^[\s>*|-]*(?:(?:reported |infringing |phishing |malicious |malware |offending )?(?:url|uri|domain)s?|(?:reported|infringing|phishing|malicious|malware|offending|fraudulent|fake) (?:link|site|website|page|location)s?|infringement|site concern[ée]|url concern[ée]e|(?:phishing|malware) (?:site|page|url))\s*[:=|]",
            ),
            // "hxxp://x (.) com, carrying IP number 192.0.2.1"
            // A sentence that introduces locations: "is available on your
            // website:", "the infringing material is located at:", "found at:".
            intro: re(
                r"(?i)\b(infring\w*|(on|at|via|from) your (web ?site|server|network|service|ip)|made available|(material|content|files?|pages?|site|streams?|videos?|copies|works?)\b[^:]{0,40}\b(located|hosted|available|found|published))\b[^:]{0,80}:\s*$",
            ),
            host_ip: re(r"(?i)\b(?:ip|address|hosted on|resolv\w* to|carrying)\b"),
            // "the below-referenced web site(s)", "the URL(s) listed below".
            below: re(
                r"(?i)\b(?:below[- ]referenced|(?:urls?|links?|sites?|locations?|files?)(?:\(s\))?\s+(?:listed\s+|referenced\s+)?below)\b",
            ),
            accusing: re(r"(?i)\b(?:infring\w*|hosting|hosted|offending|illegal\w*|pirat\w*)\b"),
            skip_line: re(
                r"(?i)\b(?:official|original|copyright holder|rights? (?:holder|owner)|copyrighted works?|work\(s\)|screenshot|more information|for more|see also|unsubscribe|privacy)\b",
            ),
        }
    }

    /// The reported locations of `prose`, each with the 1-based line it was
    /// read on; `own` is the sender's domain (their own links are no report).
    pub(crate) fn read(&self, prose: &str, accused: &[IpAddr], own: &[&str]) -> Vec<(String, usize)> {
        let ips: Vec<String> = accused.iter().map(ToString::to_string).collect();
        let mut out: Vec<(String, usize)> = Vec::new();
        // Lines introduced by a sentence ending in ':' ("located at:"),
        // each holding a URL, up to a line that holds none or two blank lines.
        let mut introduced = false;
        let mut blanks = 0;
        // Lines left until a "below" pointer lapses (0: none pending), and
        // whether its list has started.
        let mut below = 0usize;
        let mut below_started = false;
        for (n, line) in prose.lines().enumerate() {
            if out.len() >= MAX {
                break;
            }
            let trimmed = line.trim().trim_start_matches(['-', '*', '•', ' ', '\t']);
            if trimmed.is_empty() {
                blanks += 1;
                introduced &= blanks < 2;
                continue;
            }
            blanks = 0;
            // An introduction is judged by its own sentence (the one ending
            // in ':'), not by what the line said before it, when that
            // sentence introduces on its own ("The infringing content can be
            // found at:", not "It's available at:" after "the copyrighted
            // work(s)").
            let intro_line = self.intro.is_match(line.trim_end());
            let own_sentence = intro_line && self.intro.is_match(last_sentence(line).trim_end());
            let judged = if own_sentence { last_sentence(line) } else { line };
            if line.len() > 4096 || self.skip_line.is_match(judged) {
                introduced = false;
                continue;
            }
            let lower = trimmed.get(..4).unwrap_or("").to_ascii_lowercase();
            let url_line = lower == "http" || lower == "hxxp";
            let listed_below = below > 0 && url_line;
            if below > 0 {
                below_started |= url_line;
                below = if below_started && !url_line { 0 } else { below - 1 };
            }
            // Only a pointer to what is accused: not to a letter of
            // authorisation or a proof ("the secured URL below").
            if self.below.is_match(line) && self.accusing.is_match(line) && !self.skip_line.is_match(line) {
                below = BELOW_LINES;
                below_started = false;
            }
            let with_ip = ips.iter().any(|ip| contains_address(line, ip)) && !ips.is_empty();
            // "… available on your website:  https://x/": an introduction
            // and its location on one line.
            let intro_here = line.find("http").is_some_and(|i| i > 0 && self.intro.is_match(line[..i].trim_end()));
            let labelled = self.label.is_match(line) || (introduced && url_line) || intro_here || listed_below;
            introduced = if intro_line { true } else { introduced && url_line };
            for m in self.url.find_iter(line) {
                let u = m.as_str().trim_end_matches(['.', ',', ';', ':', '>']);
                let defanged = is_defanged(u);
                if !(defanged || labelled || (with_ip && (u.contains("://") || self.host_ip.is_match(line)))) {
                    continue;
                }
                if !is_location(u, own) {
                    continue;
                }
                let shown = defang(u);
                if !out.iter().any(|(x, _)| *x == shown) {
                    out.push((shown, n + 1));
                }
            }
        }
        out.truncate(MAX);
        out
    }
}

/// A "below" pointer reaches this many non-blank lines (past a signature).
const BELOW_LINES: usize = 20;

/// The last sentence of `line` (after its last ". ").
fn last_sentence(line: &str) -> &str {
    line.rfind(". ").map_or(line, |i| &line[i + 2..])
}

/// `line` holds `ip` as a whole address (not inside a longer number).
fn contains_address(line: &str, ip: &str) -> bool {
    line.match_indices(ip).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + ip.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
            && !after.is_some_and(|c| {
                c.is_ascii_digit() || (c == '.' && line[i + ip.len() + 1..].starts_with(|d: char| d.is_ascii_digit()))
            })
    })
}

fn is_defanged(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    l.starts_with("hxxp") || l.contains("[.]") || l.contains("(.)") || l.contains("[dot]") || l.contains("[:]")
}

/// The host part of a location, refanged and lower-case.
fn host(u: &str) -> String {
    let l = u
        .to_ascii_lowercase()
        .replace([' ', '\t'], "")
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("[dot]", ".")
        .replace("[:]", ":");
    let rest = l.split_once("://").map_or(l.as_str(), |(_, r)| r);
    rest.split(['/', '?', '#', ':']).next().unwrap_or("").to_string()
}

/// A report's location, not a reference link or the sender's own.
fn is_location(u: &str, own: &[&str]) -> bool {
    const REFERENCES: &[&str] = &[
        "virustotal.com",
        "urlscan.io",
        "urldefense.com",
        "safelinks.protection.outlook.com",
        "lookyloo.circl.lu",
        "any.run",
        "hybrid-analysis.com",
        "abuseipdb.com",
        "torproject.org",
        "w3.org",
        "xarf.org",
        "abusix.com",
        "abusix.org",
    ];
    let h = host(u);
    if h.len() < 4 || !h.contains('.') {
        return false;
    }
    let under = |d: &str| h == d || h.ends_with(&format!(".{d}"));
    if REFERENCES.iter().any(|d| under(d)) {
        return false;
    }
    // The sender's own domain (its last two labels).
    !own.iter().any(|d| {
        let labels: Vec<&str> = d.rsplit('.').take(2).collect();
        labels.len() == 2 && under(&format!("{}.{}", labels[1], labels[0]).to_ascii_lowercase())
    })
}

/// The location as a reply may show it: never a live link to what was
/// reported (`hxxp://`, the last dot of the host as `[.]`), cut to a
/// bounded length. Already defanged text is kept as written.
pub(crate) fn defang(u: &str) -> String {
    let mut s = if is_defanged(u) {
        u.to_string()
    } else {
        let (scheme, rest) = u.split_once("://").map_or(("", u), |(s, r)| (s, r));
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (h, path) = rest.split_at(end);
        let h = match h.rfind('.') {
            Some(i) => format!("{}[.]{}", &h[..i], &h[i + 1..]),
            None => h.to_string(),
        };
        let scheme = if scheme.is_empty() { String::new() } else { format!("{}://", scheme.replacen("tt", "xx", 1)) };
        format!("{scheme}{h}{path}")
    };
    if s.chars().count() > MAX_LEN {
        s = s.chars().take(MAX_LEN - 1).collect::<String>() + "…";
    }
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read(text: &str, ip: &str) -> Vec<String> {
        let ips: Vec<IpAddr> = ip.parse().into_iter().collect();
        UrlReader::new().read(text, &ips, &["reporter.example.net"]).into_iter().map(|(u, _)| u).collect()
    }

    #[test]
    fn a_location_beside_the_address_is_reported_and_defanged() {
        assert_eq!(read("hxxp://shop-example[.]com/ [192.0.2.7]", "192.0.2.7"), ["hxxp://shop-example[.]com/"]);
        assert_eq!(
            read("http://files.example.com/a.exe (IP : 192.0.2.7)", "192.0.2.7"),
            ["hxxp://files.example[.]com/a.exe"]
        );
        assert_eq!(
            read("hxxp://casino-example (.) com, carrying IP number 192.0.2.7", "192.0.2.7"),
            ["hxxp://casino-example (.) com"]
        );
    }

    #[test]
    fn labelled_and_defanged_locations_count() {
        assert_eq!(read("URL: http://192.0.2.7/login\n", "192.0.2.7"), ["hxxp://192.0.2[.]7/login"]);
        assert_eq!(read("Site concerné : http://bank-example.org/secure/", ""), ["hxxp://bank-example[.]org/secure/"]);
        assert_eq!(read("We found hXXps://pay-example[.]org/x on your network.", ""), ["hXXps://pay-example[.]org/x"]);
    }

    #[test]
    fn locations_introduced_by_a_sentence() {
        assert_eq!(
            read("The film was made available on your website: https://video-example.net/v/1\n", ""),
            ["hxxps://video-example[.]net/v/1"]
        );
        assert_eq!(
            read(
                "The infringing material is located at:\n\n  https://files.example.com/a\n  https://files.example.com/b\n\nThanks",
                ""
            ),
            ["hxxps://files.example[.]com/a", "hxxps://files.example[.]com/b"]
        );
        assert!(read("This content is a copy of my original work at:\nhttps://mine.example.org/\n", "").is_empty());
        // The sentence ending in ':' decides, not the one before it.
        assert_eq!(
            read(
                "I am the copyright holder of this work. The infringing content can be found at:\n\nhttps://copies.example.org/a/\n\nThis is a copy of my original work at:\n\nhttp://mine.example.org/\n",
                ""
            ),
            ["hxxps://copies.example[.]org/a/"]
        );
        assert!(
            read("Identification of the copyrighted work(s) claimed to have been infringed. It's available at:\n\nhttps://registry.example.org/1\n", "").is_empty()
        );
        // A pointer below reaches past the signature, to the first URL lines.
        assert_eq!(
            read(
                "Your service hosts the below-referenced infringing web site(s).\n\nSincerely,\nJane Roe\nAnti-Piracy\n\nhttp://files.example.com/a.mp3 a song\nhttp://files.example.com/b.mp3\nThanks\nhttp://later.example.com/\n",
                ""
            ),
            ["hxxp://files.example[.]com/a.mp3", "hxxp://files.example[.]com/b.mp3"]
        );
        assert!(read("See the URLs listed below.\n\nwe are a rights holder\n", "").is_empty());
        assert!(
            read("Our letter of authorization is at the URL below.\n\nhttp://agent.example.com/loa.pdf\n", "")
                .is_empty()
        );
        assert!(read("For more details see:\nhttps://help.example.org/\n", "").is_empty());
    }

    #[test]
    fn reference_links_and_own_links_are_not_locations() {
        assert!(read("More information: https://incident.example.com/abc [192.0.2.7]", "192.0.2.7").is_empty());
        assert!(read("URL: https://www.virustotal.com/gui/url/abc", "").is_empty());
        assert!(read("URL: https://www.reporter.example.net/report/1", "").is_empty());
        assert!(read("Official URL: https://tv.example.com/", "").is_empty());
        assert!(read("Website: https://www.cert.example.org/about", "").is_empty(), "a signature");
        assert!(read("Visit https://www.example.com/ for our terms.", "192.0.2.7").is_empty());
        assert!(read("Address 192.0.2.70 at https://a.example.com/", "192.0.2.7").is_empty(), "another address");
    }
}
