//! Victim-side ports in the forms the event patterns leave: a port named in
//! prose ("submission port (587)", "poort 993", "TCP port 22", "porty 23,
//! 445, 3389 a 8080/TCP", "(port\n443)"), the server port of an Apache
//! `vhost_combined` log line (`www.example.org:443 192.0.2.1 - - [...]`),
//! and the destination port of a pfSense `filterlog` line
//! (`...,tcp,60,SRC,DST,SPORT,DPORT,...`).
//!
//! Precision first: a port right after an accused address, or after a word
//! that makes it the accused host's own (source, client, from, running,
//! listening, open, hosted, ...), is no destination; a `Port:` field alone
//! says nothing about whose port it is. A statement may break over a line
//! (mail is wrapped): a prose line without a clock is read together with the
//! next one.

use std::net::IpAddr;

use regex::Regex;

use crate::ip::IpFinder;
use crate::text::{Line, Region};

/// Words before a port that make it the accused host's own port (or no
/// port of the incident at all).
const OWN_PORT_WORDS: &[&str] = &[
    "source",
    "src",
    "sport",
    "spt",
    "client",
    "from",
    "origin",
    "local",
    "quell",
    "quelle",
    "lokal",
    "lokaler",
    "sender",
    "random",
    "ephemeral",
    "high",
    "own",
    "open",
    "opened",
    "offen",
    "offenen",
    "offener",
    "abierto",
    "ouvert",
    "aperta",
    "listening",
    "listens",
    "listen",
    "running",
    "runs",
    "hosted",
    "hosting",
    "serving",
];

/// Reads victim-side ports from prose and log lines.
#[derive(Debug, Clone)]
pub(crate) struct PortReader {
    bare: Regex,
    /// The Russian port word, in Unicode mode (an ASCII `\b` never sits
    /// before a Cyrillic letter); run only on lines that hold it.
    bare_ru: Regex,
    paren: Regex,
    vhost: Regex,
    filterlog: Regex,
    endpoint: Regex,
}

impl PortReader {
    pub(crate) fn new() -> PortReader {
        PortReader {
            bare: crate::re::compile(
                r"(?i)\b(?:(?:tcp|udp)[\s/-]*)?(?:ports?|poort(?:en)?|porta|portas|porte|puertos?|porty|portu|portów|https|ssh|rdp|imaps|pop3s|telnet)(?:\s*\(\s*|\s*:\s*|\s+(?:nr\.?|no\.?|number|#)\s*|\s+)(?:(?:tcp|udp)[\s/]*)?(\d{1,5}(?:\s*(?:,|&|\band\b|\bund\b|\bet\b|\be\b|\by\b|\bi\b|\ba\b|\ben\b|\bor\b|\boder\b|и)\s*\d{1,5}\b)*)\b",
            ),
            bare_ru: Regex::new(
                r"(?i)\b(?:(?:tcp|udp)[\s/-]*)?порт(?:ы|у|ах|ов|а)?(?:\s*\(\s*|\s*:\s*|\s+)(?:(?:tcp|udp)[\s/]*)?(\d{1,5}(?:\s*(?:,|и)\s*\d{1,5}\b)*)\b",
            )
            .unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}")),
            paren: crate::re::compile(r"(?i)\((?:[^()]{0,120},\s*)?(?:tcp|udp)[\s/]+(\d{1,5})\s*\)"),
            vhost: crate::re::compile(
                r"^\s*[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}:(\d{1,5})\s+([0-9a-fA-F.:]+)\s+\S+\s+\S+\s+\[",
            ),
            endpoint: crate::re::compile(
                r"(?i)(?:^|[\s(\[,])((?:[0-9]{1,3}\.){3}[0-9]{1,3}|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?::)([0-9]{2,5})(?:[\s).,;\]]|$)",
            ),
            filterlog: crate::re::compile(
                r"(?i)\b(?:tcp|udp),\d+,((?:\d{1,3}\.){3}\d{1,3}),(?:\d{1,3}\.){3}\d{1,3},(\d{1,5}),(\d{1,5})\b",
            ),
        }
    }

    /// The destination ports the prose lines state. `offenders` are the
    /// accused addresses.
    pub(crate) fn read(&self, ips: &IpFinder, lines: &[Line], offenders: &[IpAddr]) -> Vec<(u16, usize)> {
        let mut out: Vec<(u16, usize)> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.region != Region::Prose || line.text.trim().is_empty() {
                continue;
            }
            let text = line.text.as_str();
            if let Some(p) = self.vhost_port(ips, text, offenders) {
                out.push((p, i));
                continue;
            }
            if text.contains("tcp,") || text.contains("udp,") {
                out.extend(self.filterlog_ports(text, offenders).into_iter().map(|p| (p, i)));
            }
            // A statement broken over the line's end goes on in the next one.
            let next = lines
                .get(i + 1)
                .filter(|n| n.part == line.part && n.region == Region::Prose && !crate::events::has_clock_time(text))
                .map(|n| n.text.trim());
            let joined;
            let said = match next {
                Some(n) if !n.is_empty() => {
                    joined = format!("{} {n}", text.trim_end());
                    joined.as_str()
                }
                _ => text,
            };
            out.extend(self.bare_ports(ips, said, offenders).into_iter().map(|p| (p, i)));
            out.extend(self.victim_endpoints(ips, text, offenders).into_iter().map(|p| (p, i)));
        }
        out.retain(|(p, _)| *p > 0);
        out
    }

    /// Ports named after a port word, unless the words or address right
    /// before make them the accused host's own.
    fn bare_ports(&self, ips: &IpFinder, text: &str, offenders: &[IpAddr]) -> Vec<u16> {
        let mut out = Vec::new();
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return out;
        }
        let ru = if text.contains("порт") || text.contains("Порт") {
            Some(self.bare_ru.captures_iter(text))
        } else {
            None
        };
        for c in self.bare.captures_iter(text).chain(ru.into_iter().flatten()) {
            let (Some(m), Some(list)) = (c.get(0), c.get(1)) else { continue };
            let before = &text[..m.start()];
            // `Port: 22` as a field of its own: whose port it is is not said.
            // (unless a note after it says: "Port: 443 (destination: …)")
            let after = text[m.end()..].trim_start().trim_start_matches('(').trim_start().to_lowercase();
            let says_destination = ["destination", "dest", "dst", "target", "victim", "ziel", "destino", "cible"]
                .iter()
                .any(|w| after.starts_with(w));
            let field = before.trim().is_empty() && m.as_str().contains(':') && !says_destination;
            if field || own_port(before) || near_offender(ips, before, offenders) {
                continue;
            }
            out.extend(list.as_str().split(|ch: char| !ch.is_ascii_digit()).filter_map(|n| n.parse::<u16>().ok()));
        }
        // "(https://api.example.org/login,\nTCP 443)": the protocol and port
        // of what was named in the parentheses.
        if text.contains('(') {
            for c in self.paren.captures_iter(text) {
                let (Some(m), Some(p)) = (c.get(0), c.get(1)) else { continue };
                if !near_offender(ips, &text[..m.start() + 1], offenders) && !near_offender(ips, m.as_str(), offenders)
                {
                    out.extend(p.as_str().parse::<u16>().ok());
                }
            }
        }
        out
    }

    /// Ports written after an address or host name that is not accused, in
    /// a sentence about the incident ("our server 198.51.100.33:27015",
    /// "(Server 198.51.100.14:443)", "api.example.com:443 (198.51.100.150)"):
    /// the attacked endpoint. Not in URLs (a link names a page, not the
    /// attacked service), nor on lines with an arrow or a log's shape (read
    /// by the event patterns), and only once an address is accused.
    fn victim_endpoints(&self, ips: &IpFinder, text: &str, offenders: &[IpAddr]) -> Vec<u16> {
        if offenders.is_empty()
            || !text.contains(':')
            || text.contains("->")
            || text.contains("://")
            || crate::events::has_clock_time(&self.endpoint.replace_all(text, " "))
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in self.endpoint.captures_iter(text) {
            let (Some(host), Some(port)) = (c.get(1), c.get(2)) else { continue };
            let accused = ips.mentions(host.as_str()).iter().any(|m| offenders.contains(&m.ip));
            let own = own_port(&text[..host.start()]) || near_offender(ips, &text[..host.start()], offenders);
            if !accused && !own {
                out.extend(port.as_str().parse::<u16>().ok().filter(|p| *p > 0));
            }
        }
        out
    }

    /// The server port of an Apache `vhost_combined` line whose client is
    /// accused (any client when nothing is accused).
    fn vhost_port(&self, ips: &IpFinder, text: &str, offenders: &[IpAddr]) -> Option<u16> {
        if !text.contains(" - ") && !text.contains('[') {
            return None;
        }
        let c = self.vhost.captures(text)?;
        let client = ips.mentions(c.get(2)?.as_str()).first().map(|m| m.ip)?;
        if !offenders.is_empty() && !offenders.contains(&client) {
            return None;
        }
        c.get(1)?.as_str().parse().ok()
    }

    /// Destination ports of pfSense `filterlog` lines from an accused source.
    fn filterlog_ports(&self, text: &str, offenders: &[IpAddr]) -> Vec<u16> {
        self.filterlog
            .captures_iter(text)
            .filter_map(|c| {
                let src: IpAddr = c.get(1)?.as_str().parse().ok()?;
                offenders.contains(&src).then(|| c.get(3)?.as_str().parse().ok()).flatten()
            })
            .collect()
    }
}

/// Ports written right after an accused address on `text`: `192.0.2.1:6606`,
/// `[2001:db8::1]:8888`, and `192.0.2.1 (80/tcp)` on a line whose label
/// names what the address hosts (`Hosting IP:`, `C2 address:`, `Server:`).
/// They are the accused host's own, never a destination.
pub(crate) fn accused_own(ips: &IpFinder, text: &str, offenders: &[IpAddr]) -> Vec<u16> {
    let mut out = Vec::new();
    if offenders.is_empty() {
        return out;
    }
    let lower = text.to_ascii_lowercase();
    let hosting = lower.split_once(':').is_some_and(|(key, _)| {
        ["host", "c2", "c&c", "server", "panel", "site", "url", "web"].iter().any(|w| key.contains(w))
    });
    for m in ips.mentions(text).into_iter().filter(|m| offenders.contains(&m.ip)) {
        let rest = text[m.end..].trim_start_matches([']', '"', '\'']);
        let port = if let Some(r) = rest.strip_prefix(':') {
            Some(r)
        } else if hosting {
            rest.trim_start().strip_prefix('(').map(str::trim_start)
        } else {
            None
        };
        if let Some(r) = port {
            let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
            out.extend(digits.parse::<u16>().ok().filter(|p| *p > 0));
        }
    }
    out
}

/// One of the last three words before a port word (past `(`, `,` and the
/// like) makes it the accused host's own port.
fn own_port(before: &str) -> bool {
    let mut words = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("tcp") && !w.eq_ignore_ascii_case("udp"));
    (0..3).filter_map(|_| words.next_back()).any(|w| OWN_PORT_WORDS.iter().any(|o| w.eq_ignore_ascii_case(o)))
}

/// An accused address within the 60 bytes before the port (`from
/// 192.0.2.1 port 51234`, `running on 192.0.2.1 and UDP port 123`).
fn near_offender(ips: &IpFinder, before: &str, offenders: &[IpAddr]) -> bool {
    let tail = crate::bounds::tail(before, 60);
    // "192.0.2.7 scanned ports 445 and 3389": the address acts on the ports.
    ips.mentions(tail).iter().any(|m| offenders.contains(&m.ip) && !acts_on(&tail[m.end..]))
}

/// Verb stems of an act on a victim's ports, in the languages of the port words.
const ACTS: &[&str] = &[
    "scan",
    "skan",
    "attack",
    "attaqu",
    "ataca",
    "atacó",
    "attacc",
    "atakow",
    "angegriffen",
    "angriff",
    "greift",
    "probe",
    "probing",
    "sondier",
    "tried",
    "trying",
    "connect",
    "hit",
    "hammer",
    "flood",
    "сканир",
    "атак",
];

/// The words between an address and a port word say it acted on that port.
fn acts_on(between: &str) -> bool {
    let lower = between.to_lowercase();
    ACTS.iter().any(|a| lower.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with(a)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod test {
    use super::*;

    fn read(text: &str) -> Vec<u16> {
        let offender: IpAddr = "192.0.2.7".parse().unwrap();
        let mut got: Vec<u16> = PortReader::new()
            .read(&IpFinder::new(), &crate::text::prose_lines(text), &[offender])
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        got.dedup();
        got
    }

    #[test]
    fn ports_named_in_prose() {
        assert_eq!(read("brute-force attempts against the submission port (587) of our mail server"), [587]);
        assert_eq!(read("onze mailserver (mail.example.org, 198.51.100.10, poort 993)."), [993]);
        assert_eq!(read("Service:    SSH (TCP port 22)"), [22]);
        assert_eq!(read("adres 192.0.2.7 skanował porty 445 i 3389 na serwerach"), [445, 3389]);
        assert_eq!(read("192.0.2.7 scanned ports 22 and 23"), [22, 23]);
        assert_eq!(read("against our customer portal (198.51.100.215, HTTPS 443)."), [443]);
        assert_eq!(read("192.0.2.7 started flooding our server 198.51.100.33:27015 with UDP"), [27015]);
        assert_eq!(read("our login API at api.example.com:443 (198.51.100.150) saw 192.0.2.7"), [443]);
        assert!(read("attempts from 192.0.2.7:51234 on our site").is_empty());
        assert!(read("see https://www.example.org:8443/x about 192.0.2.7").is_empty());
        assert_eq!(read("  Port:          443 (destination: the victim's web server)"), [443]);
        assert!(read("  Port:          51234").is_empty());
        assert_eq!(read("Target:      198.51.100.250, UDP port 27015 (game server)"), [27015]);
        assert_eq!(read("sul server del nostro cliente (www.example.org, porta 443)."), [443]);
        assert_eq!(read("zachytily pokusy o spojení na porty 23,\n445, 3389 a 8080/TCP."), [23, 445, 3389, 8080]);
        assert_eq!(read("Es wurden die Ports 22, 80, 443 und 5900 angefragt."), [22, 80, 443, 5900]);
        assert_eq!(read("POST requests to /wp-login.php over HTTPS (port\n443) within an hour"), [443]);
        assert_eq!(read("RDP is on the standard port 3389."), [3389]);
        assert_eq!(read("Наш сервер: 198.51.100.230, порт 443."), [443]);
        assert_eq!(
            read("an attack against our login API (https://api.example.org/v2/login,\nTCP 443) from the address"),
            [443]
        );
        assert!(read("the address 192.0.2.7 (its web server, TCP 8080) hosts the page").is_empty());
    }

    #[test]
    fn ports_of_the_accused_host_are_no_destination() {
        assert!(read("Failed password for root from 192.0.2.7 port 49965 ssh2").is_empty());
        assert!(read("A public NTP server running on IP address 192.0.2.7 and UDP port 123, took part").is_empty());
        assert!(read("Source Network Address: 192.0.2.7  Source Port: 0").is_empty());
        assert!(read("The C2 panel is listening on port 6606.").is_empty());
        assert!(read("an open resolver on port 53").is_empty());
        assert!(read("Port: 8888").is_empty());
        assert!(read("client port 51234 was used").is_empty());
    }

    #[test]
    fn ports_of_the_accused_address() {
        let ips = IpFinder::new();
        let accused: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(accused_own(&ips, "  C2 address:   192.0.2.7:6606/tcp", &[accused]), [6606]);
        assert_eq!(accused_own(&ips, "  Hosting IP:       192.0.2.7 (80/tcp)", &[accused]), [80]);
        assert!(accused_own(&ips, "SSH brute force from 192.0.2.7 (22/tcp)", &[accused]).is_empty());
        assert!(accused_own(&ips, "  Hosting IP:  198.51.100.7 (80/tcp)", &[accused]).is_empty());
    }

    #[test]
    fn ports_of_log_formats() {
        assert_eq!(
            read(
                "www.example.org:443 192.0.2.7 - - [12/Apr/2025:03:14:22 +0200] \"POST /wp-login.php HTTP/1.1\" 200 4521"
            ),
            [443]
        );
        assert!(
            read("www.example.org:8443 198.51.100.9 - - [12/Apr/2025:03:14:22 +0200] \"GET / HTTP/1.1\"").is_empty()
        );
        assert_eq!(
            read(
                "Aug 27 02:14:07 fw filterlog[6212]: 5,,,1000000103,igb0,match,block,in,4,0x0,,49,0,0,DF,6,tcp,60,192.0.2.7,198.51.100.201,41822,22,0,S,2048112211,,64240,,mss"
            ),
            [22]
        );
        assert!(
            read("fw filterlog[1]: 5,,,1,igb0,match,block,in,4,0x0,,49,0,0,DF,6,tcp,60,198.51.100.201,192.0.2.7,22,41822,0,S")
                .is_empty()
        );
    }
}
