//! The values templates see. Everything taken from a complaint passes
//! through [`clean`]: one line, no control characters, bounded length. The
//! values are data to minijinja; nothing here ever becomes template source.

use std::net::IpAddr;

use exitdesk_model::{
    AddressRole, Complaint, Delivery, Event, Party, Role, Scenario, Verdict, VerdictKind, format_local, format_utc_text,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::config::{NetworkConfig, OperatorConfig};

/// Most events listed in a reply.
const MAX_EVENTS: usize = 10;
/// Longest value taken from a complaint (names, subjects, hosts).
const MAX_VALUE: usize = 200;

pub(crate) use exitdesk_model::one_line as clean;

fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| clean(s, MAX_VALUE)).filter(|s| !s.is_empty())
}

#[derive(Debug, Serialize)]
pub(crate) struct PartyV {
    name: Option<String>,
    address: Option<String>,
    organisation: Option<String>,
}

impl PartyV {
    pub(crate) fn from(p: &Party) -> PartyV {
        PartyV { name: opt(&p.name), address: opt(&p.address), organisation: opt(&p.organisation) }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventV {
    ip: Option<String>,
    time_utc: Option<String>,
    time_reported: Option<String>,
    dest_ip: Option<String>,
    dest_port: Option<u16>,
    protocol: Option<String>,
}

/// The zone of a reported time as a reader expects it: an IANA name
/// (`Europe/London`), a clean abbreviation or offset (`CEST`, `GMT+8`,
/// `+01:00`), or, when the message wrote it some other way (`+ GMT - 3`,
/// a name followed by the reporter's explanation), the offset that the
/// wall clock and the UTC instant imply (`UTC-03:00`). None when nothing
/// clean can be said.
pub(crate) fn zone_label(zone: &str, offset_seconds: Option<i64>) -> Option<String> {
    let z = zone.trim();
    let first = z.split(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | ',' | ';')).next().unwrap_or("");
    let iana = first.contains('/')
        && first.starts_with(|c: char| c.is_ascii_uppercase())
        && first.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    if iana {
        return Some(first.to_string());
    }
    let abbreviation = (2..=5).contains(&z.len()) && z.chars().all(|c| c.is_ascii_uppercase());
    if abbreviation || is_offset(z) {
        return Some(z.to_string());
    }
    offset_seconds.map(offset_label)
}

/// `+01:00`, `-0300`, `+8`, `UTC+8`, `GMT-03:30`.
fn is_offset(z: &str) -> bool {
    let rest = z.strip_prefix("UTC").or_else(|| z.strip_prefix("GMT")).unwrap_or(z);
    let Some(digits) = rest.strip_prefix(['+', '-']) else { return false };
    let (h, m) = digits.split_once(':').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    match (h.len(), m.len()) {
        (1 | 2, 0) | (1 | 2, 2) => all_digits(h) && all_digits(m),
        (4, 0) => all_digits(h),
        _ => false,
    }
}

/// `UTC`, `UTC+08:00`, `UTC-03:30`.
fn offset_label(seconds: i64) -> String {
    if seconds == 0 {
        return "UTC".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn event(e: &Event) -> EventV {
    let offset = match (e.time_local, e.time_utc) {
        (Some(l), Some(u)) => Some(l.duration_since(u.to_zoned_datetime(TimeZone::UTC).datetime()).as_secs()),
        _ => None,
    };
    let reported = e.time_local.map(|l| {
        let wall = format_local(l).replace('T', " ");
        match &e.zone {
            Some(z)
                if matches!(
                    z.trim().to_ascii_uppercase().as_str(),
                    "Z" | "UTC" | "GMT" | "+00:00" | "+0000" | "UTC+0"
                ) =>
            {
                format!("{wall} UTC")
            }
            Some(z) => match zone_label(&clean(z, 80), offset) {
                Some(label) => format!("{wall} {label}"),
                None => format!("{wall} (local time)"),
            },
            None if e.time_utc.is_some() => format!("{wall} UTC"),
            None => format!("{wall} (time zone not stated)"),
        }
    });
    EventV {
        ip: e.ip.map(|i| i.to_string()),
        time_utc: e.time_utc.map(format_utc_text),
        time_reported: reported,
        dest_ip: e.dest_ip.map(|i| i.to_string()),
        dest_port: e.dest_port,
        protocol: e.protocol.as_deref().map(|p| clean(p, 10)),
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct VerdictV {
    kind: &'static str,
    ip: Option<String>,
    time_utc: Option<String>,
    nickname: Option<String>,
    fingerprint: Option<String>,
    consensus: Option<String>,
    port: Option<u16>,
    policy: Option<String>,
    detail: Option<String>,
}

/// The reply block a verdict selects: `exit`, `not_exit`, `policy_rejects`, or
/// none when there is nothing to say.
pub(crate) fn verdict_block(v: &Verdict) -> Option<&'static str> {
    match v.kind {
        VerdictKind::Exit | VerdictKind::ExitListOnly => Some("exit"),
        VerdictKind::PolicyRejects => Some("policy_rejects"),
        VerdictKind::RelayNotExit | VerdictKind::NotRelay => Some("not_exit"),
        VerdictKind::NoData => None,
    }
}

fn verdict(v: &Verdict) -> Option<VerdictV> {
    Some(VerdictV {
        kind: verdict_block(v)?,
        ip: v.ip.map(|i| i.to_string()),
        time_utc: opt(&v.time_utc),
        nickname: opt(&v.nickname),
        fingerprint: opt(&v.fingerprint),
        consensus: opt(&v.consensus),
        port: v.port,
        policy: opt(&v.policy),
        detail: opt(&v.detail),
    })
}

#[derive(Debug, Serialize)]
pub(crate) struct Links {
    what_is_tor: &'static str,
    personas: &'static str,
    abuse_faq: &'static str,
    pub(crate) exonerator: String,
    relay_search: &'static str,
    bulk_list: &'static str,
    exit_addresses: &'static str,
}

pub(crate) fn links(ip: Option<IpAddr>, when: Option<Timestamp>) -> Links {
    links_on(ip, when.map(|t| t.to_zoned_datetime(TimeZone::UTC).strftime("%Y-%m-%d").to_string()))
}

/// [`links`] for a day (`YYYY-MM-DD`), when only the day is known.
pub(crate) fn links_on(ip: Option<IpAddr>, day: Option<String>) -> Links {
    Links {
        what_is_tor: "https://support.torproject.org/about/what-is-tor/",
        personas: "https://community.torproject.org/user-research/personas/",
        abuse_faq: "https://support.torproject.org/abuse/",
        exonerator: exitdesk_model::exonerator_url(ip, day.as_deref()),
        relay_search: "https://metrics.torproject.org/rs.html",
        bulk_list: "https://check.torproject.org/torbulkexitlist",
        exit_addresses: "https://check.torproject.org/exit-addresses",
    }
}

/// The DNS exit list name for an IPv4 address (`<reversed>.dnsel.torproject.org`).
pub(crate) fn dnsel(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            Some(format!("{}.{}.{}.{}.dnsel.torproject.org", o[3], o[2], o[1], o[0]))
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().and_then(|v4| dnsel(IpAddr::V4(v4))),
    }
}

/// Mail providers whose users are people, not services.
const FREEMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "t-online.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "seznam.cz",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
    "uol.com.br",
    "bol.com.br",
    "qq.com",
    "163.com",
    "mail.com",
    "zoho.com",
    "tutanota.com",
];

/// The reporter writes as a person (a private mailbox), not for a service.
fn is_person(p: &Party) -> bool {
    let domain = p.address.as_deref().and_then(|a| a.rsplit_once('@')).map(|(_, d)| d.to_ascii_lowercase());
    match domain {
        Some(d) => FREEMAIL.iter().any(|f| d == *f || d.starts_with("yahoo.") || d.starts_with("hotmail.")),
        None => false,
    }
}

/// Ports of UDP services abused for reflection and amplification.
const UDP_REFLECTION_PORTS: &[u16] = &[19, 53, 123, 161, 389, 1900, 3702, 5353, 11211];

/// What a copyright notice is about: `p2p`, `streaming`, `links` or `notice`.
fn copyright_kind(c: &Complaint, scenarios: &[(Scenario, Option<String>)]) -> &'static str {
    let sub = scenarios.iter().find(|(s, _)| *s == Scenario::Copyright).and_then(|(_, k)| k.as_deref());
    let protocol = c.text.field("acns.protocol").unwrap_or("");
    match sub {
        Some("p2p") => "p2p",
        Some("streaming") => "streaming",
        Some("links") => "links",
        _ if ["torrent", "p2p", "donkey", "gnutella"].iter().any(|p| protocol.contains(p)) => "p2p",
        _ => "notice",
    }
}

/// A file-sharing protocol as people write it.
fn protocol_name(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "bittorrent" | "bit torrent" | "torrent" => "BitTorrent".into(),
        "edonkey" | "edonkey2000" | "ed2k" => "eDonkey".into(),
        "gnutella" => "Gnutella".into(),
        other => clean(other, 30),
    }
}

/// Everything a reply block may use.
#[derive(Debug, Serialize)]
pub(crate) struct ReplyContext {
    pub(crate) ticket_id: Option<String>,
    pub(crate) subject: Option<String>,
    pub(crate) recipient: &'static str,
    pub(crate) reporter: PartyV,
    pub(crate) forwarder: Option<PartyV>,
    pub(crate) scenarios: Vec<&'static str>,
    pub(crate) subkinds: Vec<String>,
    pub(crate) ips: Vec<String>,
    pub(crate) events: Vec<EventV>,
    pub(crate) event_count: usize,
    /// The earliest event (by UTC time; else the first listed).
    pub(crate) first: Option<EventV>,
    /// The latest event by UTC time, over every address: rows may come in
    /// any order, and one address's rows may follow another's.
    pub(crate) last: Option<EventV>,
    pub(crate) dest_ips: Vec<String>,
    pub(crate) dest_ports: Vec<u16>,
    pub(crate) web_server: Option<String>,
    pub(crate) operator: OperatorConfig,
    pub(crate) network: NetworkConfig,
    pub(crate) verdict: Option<VerdictV>,
    pub(crate) links: Links,
    /// The incident's day when no time is known (`YYYY-MM-DD`).
    pub(crate) incident_date: Option<String>,
    /// ExoneraTor links for up to two more of the reported addresses.
    pub(crate) more_exonerators: Vec<String>,
    pub(crate) dnsel_queries: Vec<String>,
    pub(crate) blocklist: Option<crate::compose::Blocklist>,
    pub(crate) intro: &'static str,
    pub(crate) follow_up_days: u32,
    pub(crate) today: String,
    /// The name to greet (none: a neutral "Hello,").
    pub(crate) greet: Option<String>,
    /// The reporter writes for themselves, not for a service they run.
    pub(crate) reporter_is_person: bool,
    /// Copyright notices: `p2p`, `streaming`, `links` or `notice`.
    pub(crate) copyright_kind: &'static str,
    /// The file-sharing protocol a notice names (`BitTorrent`).
    pub(crate) p2p_protocol: Option<String>,
    /// The port a notice gives for the reported host.
    pub(crate) p2p_port: Option<u16>,
    /// The reported traffic was UDP (which Tor cannot carry).
    pub(crate) udp: bool,
    /// The complaint's kind: `traffic`, `hosted`, `law_enforcement`, …
    pub(crate) kind: &'static str,
    /// What is known about the reported addresses being ours: `verified`
    /// (the network data: see `verdict`), `configured` (the operator's
    /// configuration lists them), `unverified`, `special` (none of them can
    /// be: private, reserved, documentation) or `none` (no address given).
    pub(crate) ours: &'static str,
    /// Reported addresses that cannot be ours, each with the reason.
    pub(crate) special: Vec<String>,
    /// Reported addresses neither configured nor verified as ours (the
    /// `disputed` ones among them).
    pub(crate) unverified: Vec<String>,
    /// Of `unverified`, those the configuration lists but the complaint
    /// places in another network than the rest of what we would claim (or
    /// in one that is not ours): not called ours on the configuration's
    /// word alone (see `Complaint::disputed`).
    pub(crate) disputed: Vec<String>,
    /// `disputed` as one phrase (`a`, `a and b`, `a, b and 3 more`).
    pub(crate) disputed_text: String,
    /// `unverified` without `disputed`: not in our configuration at all.
    pub(crate) unlisted: Vec<String>,
    /// The report concerns several networks: `desks` (it went to the abuse
    /// desks of several organisations, naming several addresses) or
    /// `networks` (it places the addresses in several networks, not all
    /// ours); none otherwise. The letter then says, in one sentence, that
    /// we answer only for our own addresses.
    pub(crate) several: Option<&'static str>,
    /// Every address the letter would answer for is `disputed` (none
    /// verified): it claims none of them, gives no record links for them,
    /// and says nothing of what runs there; it says we are checking.
    pub(crate) unclaimed: bool,
    /// The first location reported as served from the address (defanged),
    /// and how many more there are.
    pub(crate) urls: Vec<String>,
    pub(crate) urls_more: usize,
    /// A reported location names the address itself, not a domain.
    pub(crate) url_on_ip: bool,
    /// Reported addresses the configuration lists as ours, when others
    /// reported are not (a complaint naming several sources); else empty.
    pub(crate) mine: Vec<String>,
    /// Reported addresses the evidence gives a role no Tor exit has (the
    /// mail server that passed a spam on, the advertised site's host): left
    /// out of what is said to be ours, each said for what it is.
    pub(crate) apart: Vec<String>,
    /// The reported addresses as one phrase, long lists summarised.
    pub(crate) ips_text: String,
    /// The destination ports as a phrase (`port 22`, `ports 22, 80 and 3 more`), or none.
    pub(crate) ports_text: Option<String>,
    /// The ports again, once named: `that port` or `those ports`.
    pub(crate) ports_ref: &'static str,
    /// Reported destination ports that Tor's default exit policy rejects.
    pub(crate) default_rejected: Vec<String>,
    /// Services attacked, from the ports and subkinds: `ssh`, `smtp`,
    /// `imap`, `pop`, `rdp`, `ftp`, `telnet`, `web`, `sql`, `vnc`.
    pub(crate) services: Vec<&'static str>,
    /// Hardening advice helps this recipient (a site owner writing
    /// directly), not a CERT, a provider or a forwarder.
    pub(crate) advise: bool,
    /// The blocking kit follows as an appendix.
    /// The text is a statement to paste (the provider takes answers
    /// through a link or its panel, or gives a link and no usable mail
    /// address): no salutation, no invitation to reply.
    pub(crate) statement: bool,
    pub(crate) appendix: bool,
    /// The reporter speaks for a CERT, an abuse desk or a reporting service
    /// (not for a network or site of their own).
    pub(crate) intermediary: bool,
    /// The enclosed mail was submitted from an accused address through an
    /// authenticated account (RFC 3848 `ESMTPA`/`ESMTPSA` in the Received
    /// header naming it): a misused mail account, not port 25 from the exit.
    pub(crate) mail_auth: bool,
    /// The enclosed mail's headers show an accused address delivering it
    /// to a mail server directly (plain SMTP, no login).
    pub(crate) direct_delivery: bool,
    /// The complaint asks what was done about it: the letter says so in one
    /// plain sentence.
    pub(crate) asked_action: bool,
    /// A deadline and a link for answers the complaint gives (for the note
    /// shown when no reply is needed: the operator's to-dos).
    pub(crate) asked_deadline: Option<String>,
    pub(crate) answer_link: Option<String>,
    /// Reported addresses that cannot be on the Internet, whatever the
    /// configuration says (each with the reason).
    pub(crate) non_public: Vec<String>,
    /// Private or reserved destinations the report names (a line with a
    /// destination cue: `dstip=`, "Destination IP", "Target"), at most three:
    /// no Tor exit connects to them.
    pub(crate) private_dests: Vec<String>,
    /// The complaint's web log shows only refused requests (every status
    /// 4xx or 5xx), and which statuses (`403`, `403 and 404`); else none.
    pub(crate) web_refused: Option<String>,
    /// The log shows a login form posted and answered with a redirect: on
    /// most sites, a login that succeeded.
    pub(crate) login_redirect: bool,
    /// Public addresses the subject names that the complaint does not accuse
    /// (at most three): said, so that none is dropped silently.
    pub(crate) also_named: Vec<String>,
    /// The reporter already bans attackers (a fail2ban report, "was
    /// automatically blocked"): no advice to do so.
    pub(crate) bans_already: bool,
    /// The complaint calls the address an open proxy.
    pub(crate) open_proxy: bool,
    /// The complaint asks how to block or filter Tor.
    pub(crate) asks_blocking: bool,
    /// The complaint asks for a written confirmation or statement.
    pub(crate) asked_confirmation: bool,
    /// The complaint asks us to confirm that it reached us.
    pub(crate) asked_receipt: bool,
    /// The complaint says harm was done (a compromise, stolen data, a
    /// defacement), not only attempted.
    pub(crate) harm: bool,
    /// The reporter put the address on a block list of its own and says
    /// how to be removed: the reply asks for removal.
    pub(crate) listed: bool,
    /// The first event is on or after 2024-10-01 (the spoofed-SYN wave
    /// against Tor relays may be cited).
    pub(crate) after_spoofing_wave: bool,
    /// Every accused address connected to open proxies, as the report shows
    /// (it used them, it runs none); `ports_text` then names the proxies' ports
    /// and `target_ports_text` the ports the proxies reached.
    pub(crate) proxy_client: bool,
    pub(crate) target_ports_text: Option<String>,
    /// Addresses of a spam complaint by what its evidence shows they did:
    /// `submitter` (logged in to a mail account), `relay` (the mail server
    /// that passed it on), `advertised` (where the advertised site points).
    pub(crate) submitters: Vec<String>,
    pub(crate) relays: Vec<String>,
    pub(crate) advertised: Vec<String>,
    /// A relay among them handed the mail over plain SMTP (port 25) into
    /// the recipient's own mail system.
    pub(crate) relay_port_25: bool,
    /// The spam trap whose capture this is, or none.
    pub(crate) trap: Option<String>,
    /// Accused addresses whose rows in the report are the same (a
    /// reporting artefact).
    pub(crate) identical_rows: Vec<String>,
    /// A reported location reads as a test (a word `test` or `testing` in its
    /// host or path): the letter says that no answer is needed if it was one.
    pub(crate) test_location: Option<String>,
    /// The recipient's mail service that took the mail over plain SMTP
    /// (a registrable domain, `outlook.com`), or none.
    pub(crate) delivered_to: Option<String>,
}

/// Names of an open proxy, in the languages the corpus shows.
const OPEN_PROXY: &[&str] =
    &["open proxy", "open proxies", "offener proxy", "offene proxy", "proxy ouvert", "proxy abierto"];

/// Words just before "open proxies" that make the accused their user, not
/// their operator ("hiding behind open proxies", "connected through an
/// open proxy").
const PROXY_USE: &[&str] = &["behind", "through", "via", "using", "used", "uses", "use", "abusing", "over"];

/// The prose says the accused address is (or runs) an open proxy: a name
/// of one not preceded, within three words, by a word of using one.
fn calls_open_proxy(prose: &str) -> bool {
    let p = prose.to_lowercase();
    OPEN_PROXY.iter().any(|w| {
        p.match_indices(w).take(20).any(|(at, _)| {
            let before: Vec<&str> = p[..at].split_whitespace().rev().take(3).collect();
            !before.iter().any(|b| PROXY_USE.contains(&b.trim_matches(|c: char| !c.is_alphanumeric())))
        })
    })
}

/// The ports as a phrase: `port 22`, `ports 22, 80 and 3 more`, or none.
fn ports_phrase(ports: &[u16]) -> Option<String> {
    let strings: Vec<String> = ports.iter().map(ToString::to_string).collect();
    match strings.len() {
        0 => None,
        1 => Some(format!("port {}", strings[0])),
        _ => Some(format!("ports {}", summary(&strings))),
    }
}

/// The addresses of `roles` that played `role`, as text.
fn with_role(roles: &[AddressRole], role: Role) -> Vec<String> {
    roles.iter().filter(|r| r.role == role).map(|r| r.ip.to_string()).take(LIST_NAMED).collect()
}

/// At most this many items of a list are named; the rest are counted.
const LIST_NAMED: usize = 3;

/// `a`, `a and b`, `a, b and c`, `a, b, c and N more`.
pub(crate) fn summary(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ if items.len() <= LIST_NAMED => {
            format!("{} and {}", items[..items.len() - 1].join(", "), items[items.len() - 1])
        }
        _ => format!("{} and {} more", items[..LIST_NAMED].join(", "), items.len() - LIST_NAMED),
    }
}

/// The services a complaint's destination ports and subkinds name.
pub(crate) fn services(ports: &[u16], scenarios: &[(Scenario, Option<String>)], prose: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut add = |s: &'static str| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for p in ports {
        match p {
            22 | 2222 => add("ssh"),
            25 | 465 | 587 | 2525 => add("smtp"),
            143 | 993 => add("imap"),
            110 | 995 => add("pop"),
            3389 => add("rdp"),
            20 | 21 | 990 => add("ftp"),
            23 | 2323 => add("telnet"),
            80 | 443 | 8080 | 8443 => add("web"),
            1433 | 3306 | 5432 => add("sql"),
            5900..=5903 => add("vnc"),
            _ => {}
        }
    }
    for (_, k) in scenarios {
        match k.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("ssh") => add("ssh"),
            Some("smtp" | "smtp_auth" | "smtp-auth") => add("smtp"),
            Some("imap") => add("imap"),
            Some("pop" | "pop3") => add("pop"),
            Some("rdp") => add("rdp"),
            Some("ftp") => add("ftp"),
            Some("telnet") => add("telnet"),
            Some("mail") => mail_services(prose).into_iter().for_each(&mut add),
            _ => {}
        }
    }
    out
}

/// Which mail logins a login report's text shows: SMTP AUTH (a mail
/// server's log: Postfix's `smtpd`, sendmail's `sm-mta`, Exim, SASL
/// failures, the `535 5.7.8` reply), IMAP or POP (Dovecot's `imap-login`,
/// `pop3-login`, or the protocol named); both SMTP AUTH and IMAP when the
/// text names none.
fn mail_services(prose: &str) -> Vec<&'static str> {
    let p = prose.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| p.contains(w));
    let mut out = Vec::new();
    if has(&["smtp", "sasl", "postfix/", "sm-mta", "exim", "submission", "535 5.7.8"]) {
        out.push("smtp");
    }
    if has(&["imap"]) {
        out.push("imap");
    }
    if has(&["pop3", "pop-login", " pop "]) {
        out.push("pop");
    }
    if out.is_empty() {
        out = vec!["smtp", "imap"];
    }
    out
}

/// The day to check: the event's, else the complaint's incident date.
fn day(when: Option<Timestamp>, c: &Complaint, hosted: bool) -> Option<String> {
    // A wall clock without a zone still names the day within a day, and
    // ExoneraTor looks a day either side.
    let local = || c.events.iter().find_map(|e| e.time_local).map(|l| l.date().to_string());
    // Content said to be on the address is there when the notice is sent:
    // its date is the day to check.
    let sent =
        || c.date.filter(|_| hosted).map(|t| t.to_zoned_datetime(TimeZone::UTC).strftime("%Y-%m-%d").to_string());
    when.map(|t| t.to_zoned_datetime(TimeZone::UTC).strftime("%Y-%m-%d").to_string())
        .or_else(|| c.incident_date.clone())
        .or_else(local)
        .or_else(sent)
}

/// The web requests a complaint's log shows, as (method, path, status): on
/// a line with an HTTP method, the first three-digit token (100–599) after
/// the request's path (`"GET /x HTTP/1.1" 404 196`, `GET - /x - 403 - 0`).
fn http_requests(prose: &str) -> Vec<(&'static str, String, u16)> {
    const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"];
    let mut out = Vec::new();
    for line in prose.lines().take(5000) {
        let tokens: Vec<&str> = head(line, 2000)
            .split_whitespace()
            .map(|t| t.trim_matches(|c: char| matches!(c, '"' | '\'' | '[' | ']')))
            .collect();
        let Some((m, method)) =
            tokens.iter().enumerate().find_map(|(i, t)| METHODS.iter().find(|m| *m == t).map(|m| (i, *m)))
        else {
            continue;
        };
        let Some(path) = tokens.iter().skip(m + 1).take(3).position(|t| t.starts_with('/')) else { continue };
        let status = tokens
            .iter()
            .skip(m + 2 + path)
            .take(4)
            .find_map(|t| t.parse::<u16>().ok().filter(|n| t.len() == 3 && (100..600).contains(n)));
        if let Some(n) = status {
            out.push((method, clean(tokens[m + 1 + path], 200).to_ascii_lowercase(), n));
            if out.len() >= 1000 {
                break;
            }
        }
    }
    out
}

/// The distinct statuses of [`http_requests`], ascending.
fn http_statuses(prose: &str) -> Vec<u16> {
    let mut out: Vec<u16> = http_requests(prose).into_iter().map(|(_, _, s)| s).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A login form posted and answered with a redirect (3xx), which is how
/// most web applications (WordPress's `wp-login.php` among them) answer a
/// login that succeeded; a failed one gets the form again (200).
fn login_redirect(prose: &str) -> bool {
    http_requests(prose).iter().any(|(m, path, s)| {
        *m == "POST" && ["login", "signin", "logon"].iter().any(|w| path.contains(w)) && (300..400).contains(s)
    })
}

/// Every status refused the request (4xx, 5xx): the statuses as a phrase.
fn web_refused(statuses: &[u16]) -> Option<String> {
    if statuses.is_empty() || statuses.iter().any(|s| *s < 400) {
        return None;
    }
    let named: Vec<String> = statuses.iter().map(ToString::to_string).collect();
    Some(summary(&named))
}

/// The addresses written in `s` (IPv4 and IPv6, each once, in order).
fn addresses_in(s: &str) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Vec::new();
    for token in s.split(|ch: char| !(ch.is_ascii_hexdigit() || ch == '.' || ch == ':')) {
        let token = token.trim_matches(['.', ':']);
        if let Ok(ip) = token.parse::<IpAddr>() {
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

/// Private or reserved destinations named on the report's lines about
/// destinations (`dstip=`, `dst:`, "Destination IP", "Target"), other than
/// the accused addresses; documentation addresses stand in for real ones in
/// examples and are left out. At most three.
fn private_dests(c: &Complaint, accused: &[IpAddr]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in c.text.prose.lines().take(5000) {
        let line = head(line, 1000);
        let l = line.to_ascii_lowercase();
        for cue in ["dst", "destination", "target"] {
            for (at, _) in l.match_indices(cue) {
                // The value right after the key: `dstip=IP`, `Destination IP : IP,IP`.
                let rest = line[at + cue.len()..].trim_start_matches(|ch: char| {
                    ch.is_ascii_alphabetic() || matches!(ch, ' ' | '\t' | '=' | ':' | '_' | '-')
                });
                let value: String =
                    rest.chars().take_while(|ch| ch.is_ascii_hexdigit() || matches!(ch, '.' | ':' | ',')).collect();
                for ip in addresses_in(&value) {
                    let private = crate::names::special_address(ip).is_some_and(|why| !why.contains("documentation"));
                    let s = ip.to_string();
                    if private && !accused.contains(&ip) && !out.contains(&s) && out.len() < 3 {
                        out.push(s);
                    }
                }
            }
        }
    }
    out
}

/// The complaint asks how to block or filter Tor, or for the exit list.
fn asks_blocking(prose: &str) -> bool {
    let p = prose.to_lowercase();
    const ASKS: &[&str] = &[
        "block tor",
        "blocking tor",
        "block all tor",
        "filter tor",
        "ban tor",
        "list of tor",
        "tor exit list",
        "tor exit node list",
        "list of exit",
        "how can we block",
        "how do we block",
        "how can i block",
        "how do i block",
        "how to block",
        "tor blockieren",
        "bloquer tor",
        "bloquear tor",
    ];
    ASKS.iter().any(|w| p.contains(w))
}

/// Tor's default exit policy rejects this port (tor(1), ExitPolicy: 25,
/// 119, 135–139, 445, 563, 1214, 4661–4666, 6346–6429, 6699, 6881–6999).
fn default_policy_rejects(port: u16) -> bool {
    matches!(port, 25 | 119 | 135..=139 | 445 | 563 | 1214 | 4661..=4666 | 6346..=6429 | 6699 | 6881..=6999)
}

/// Words that say an attack succeeded, not only that it was tried.
fn harm_done(prose: &str) -> bool {
    const HARM: &[&str] = &[
        "compromised",
        "defaced",
        "defacement",
        "was hacked",
        "been hacked",
        "data breach",
        "were stolen",
        "was stolen",
        "exfiltrat",
        "leaked",
        "webshell",
        "web shell",
        "backdoor",
        "ransom",
        "encrypted our",
    ];
    // Said of the accused ("this IP may be compromised", "your server
    // appears hacked") or hedged, a harm word is no report of an intrusion.
    const NOT_HARM: &[&str] = &[
        "may ",
        "might ",
        "could ",
        "possibly",
        "probably",
        "likely",
        "perhaps",
        "suspect",
        "appears",
        "seems",
        "if ",
        "your ",
        "ip address",
        "this ip",
        "the ip",
        "this host",
        "the host",
        "attempt",
        "tried",
        "probe",
        "blocked",
    ];
    let p = prose.to_lowercase();
    p.split(['.', '!', '?', '\n'])
        .any(|s| HARM.iter().any(|w| s.contains(w)) && !NOT_HARM.iter().any(|n| s.contains(n)))
}

/// The host of a (defanged) location is an IP address, not a name.
/// Words that mark a test when they stand alone in a location or a subject.
const TEST_WORDS: &[&str] = &["test", "testing"];

/// `text` has one of [`TEST_WORDS`] as a word of its own (between
/// characters that are not letters or digits): `…-for-a-test`, `[TEST]`,
/// not `contest` or `pentest`.
pub(crate) fn reads_as_test(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| TEST_WORDS.iter().any(|t| w.eq_ignore_ascii_case(t)))
}

/// The host of a (defanged) URL: `hxxps://www[.]example[.]org/a/b?c` →
/// `www[.]example[.]org`; a bare host as it is.
fn url_host(u: &str) -> &str {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    // No user part (`user@host`).
    host.rsplit_once('@').map_or(host, |(_, h)| h)
}

fn url_host_is_address(u: &str) -> bool {
    let refanged = u.replace("[.]", ".").replace("(.)", ".").replace(' ', "");
    let rest = refanged.split_once("://").map_or(refanged.as_str(), |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.trim_start_matches('[').split(']').next().unwrap_or(host);
    host.parse::<IpAddr>().is_ok() || host.rsplit_once(':').is_some_and(|(h, _)| h.parse::<IpAddr>().is_ok())
}

/// Who says the addresses are ours, for [`ReplyContext`].
pub(crate) struct Ownership {
    pub(crate) ours: &'static str,
    pub(crate) special: Vec<String>,
    pub(crate) unverified: Vec<String>,
    pub(crate) mine: Vec<String>,
}

/// What is known about `ips` being ours: the verdict, else the configured
/// addresses, less the `disputed` ones (configured, but placed by the
/// complaint in another network). A private or reserved address is never
/// ours; a documentation address only when the configuration names it
/// (synthetic tests do).
pub(crate) fn ownership(
    ips: &[IpAddr],
    configured: &[IpAddr],
    disputed: &[IpAddr],
    verdict: Option<&Verdict>,
) -> Ownership {
    // A private or reserved address is on no one's Internet server, even
    // when listed (a documentation address may be listed: tests use them).
    let in_config = |ip: &IpAddr| {
        configured.contains(ip) && crate::names::special_address(*ip).is_none_or(|why| why.contains("documentation"))
    };
    let listed = |ip: &IpAddr| in_config(ip) && !disputed.contains(ip);
    let special: Vec<String> = ips
        .iter()
        .filter(|ip| !in_config(ip))
        .filter_map(|ip| crate::names::special_address(*ip).map(|why| format!("{ip} ({why})")))
        .collect();
    let unverified: Vec<String> = ips
        .iter()
        .filter(|ip| !listed(ip) && (in_config(ip) || crate::names::special_address(**ip).is_none()))
        .filter(|ip| !verdict.is_some_and(|v| v.ip == Some(**ip) && verdict_block(v).is_some()))
        .map(ToString::to_string)
        .collect();
    let ours = if ips.is_empty() {
        "none"
    } else if verdict.and_then(verdict_block).is_some() {
        "verified"
    } else if special.len() == ips.len() {
        "special"
    } else if unverified.is_empty() && special.is_empty() {
        "configured"
    } else {
        "unverified"
    };
    // Named only when the answer differs per address.
    let mine = if ours == "unverified" {
        ips.iter().filter(|ip| listed(ip)).map(ToString::to_string).collect()
    } else {
        Vec::new()
    };
    Ownership { ours, special, unverified, mine }
}

/// Reporter names and addresses that speak for a CERT, a provider's abuse
/// desk or a reporting service rather than for a site of their own.
const INTERMEDIARIES: &[&str] =
    &["cert", "csirt", "cirt", "ncsc", "govcert", "abuse-desk", "abusedesk", "shadowserver", "isac"];

/// Hardening advice helps the recipient: a reporter writing directly about
/// their own service, not a forwarder, a CERT or an automated report.
fn advise(c: &Complaint) -> bool {
    // A list operator's trap or honeypot wants no hardening.
    if c.forwarder.is_some()
        || c.requests.listed
        || c.trap.is_some()
        || matches!(c.format, exitdesk_model::Format::Arf | exitdesk_model::Format::Xarf)
    {
        return false;
    }
    !desk(c)
}

/// The complaint comes from a CERT, an abuse desk or a security operations
/// centre: by its sender, or by the signature of its text (the last lines
/// before any quoted or forwarded part).
fn desk(c: &Complaint) -> bool {
    const SIGNED: &[&str] = &[
        "security operation center",
        "security operations center",
        "security operations centre",
        "security operation centre",
        "(soc)",
        "abuse team",
        "abuse department",
        "abuse desk",
        "network operations center",
        "incident response team",
        "threat research",
        "threat intelligence",
    ];
    if intermediary(&c.complainant) {
        return true;
    }
    let lines: Vec<&str> = c.text.prose.lines().filter(|l| !l.trim().is_empty()).collect();
    let end = lines
        .iter()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with('>') || l.starts_with("-----") || l.to_ascii_lowercase().starts_with("begin forwarded")
        })
        .unwrap_or(lines.len());
    let signed = |l: &&str| {
        let l = l.to_ascii_lowercase();
        SIGNED.iter().any(|w| l.contains(w))
    };
    // The last lines, and the lines after a closing ("Thanks,", "Regards,")
    // wherever it is: a report's sample data often follows the signature.
    const CLOSINGS: &[&str] = &["thanks", "thank you", "regards", "sincerely", "best,", "cheers"];
    let closing = |l: &str| {
        let l = l.trim().to_ascii_lowercase();
        l.len() < 40 && CLOSINGS.iter().any(|c| l.starts_with(c))
    };
    lines[end.saturating_sub(15)..end].iter().any(signed)
        || lines[..end].iter().enumerate().any(|(i, l)| closing(l) && lines[i + 1..end].iter().take(3).any(signed))
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The reporter's name or address names a CERT, an abuse desk or a
/// reporting service.
fn intermediary(p: &Party) -> bool {
    let hay = [p.name.as_deref(), p.address.as_deref(), p.organisation.as_deref()]
        .into_iter()
        .flatten()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    INTERMEDIARIES.iter().any(|w| hay.contains(w))
}

/// The inputs [`ReplyContext::new`] combines.
pub(crate) struct Parts<'a> {
    pub(crate) complaint: &'a Complaint,
    pub(crate) scenarios: &'a [(Scenario, Option<String>)],
    pub(crate) verdict: Option<&'a Verdict>,
    pub(crate) operator: &'a OperatorConfig,
    pub(crate) network: &'a NetworkConfig,
    pub(crate) blocklist: Option<&'a crate::compose::Blocklist>,
    pub(crate) intro: &'static str,
    pub(crate) follow_up_days: u32,
    pub(crate) now: Timestamp,
    pub(crate) kind: exitdesk_model::Kind,
    pub(crate) configured: &'a [IpAddr],
    /// The recipient's name as the draft addresses it (none when the reply
    /// goes to an address the text gave).
    pub(crate) recipient_name: Option<&'a str>,
    pub(crate) statement: bool,
    pub(crate) appendix: bool,
}

impl ReplyContext {
    pub(crate) fn new(p: Parts<'_>) -> ReplyContext {
        let c = p.complaint;
        let mut ips: Vec<IpAddr> = c.reported_ips.clone();
        for e in &c.events {
            if let Some(ip) = e.ip {
                if !ips.contains(&ip) {
                    ips.push(ip);
                }
            }
        }
        let mut dest_ips: Vec<String> = Vec::new();
        // The events' destinations, then the targets the text names.
        for d in c.events.iter().filter_map(|e| e.dest_ip).chain(c.target_ips.iter().copied()) {
            let d = d.to_string();
            if !dest_ips.contains(&d) && dest_ips.len() < 20 {
                dest_ips.push(d);
            }
        }
        let first_ev = c.events.iter().filter(|e| e.time_utc.is_some()).min_by_key(|e| e.time_utc).or(c.events.first());
        let last_ev = c.events.iter().filter(|e| e.time_utc.is_some()).max_by_key(|e| e.time_utc);
        let hosted = p.kind == exitdesk_model::Kind::Hosted;
        let has = |sc: Scenario, sub: &str| p.scenarios.iter().any(|(s, k)| *s == sc && k.as_deref() == Some(sub));
        let dos = p.scenarios.iter().any(|(s, _)| *s == Scenario::DosScraping);
        let reflection_port = c
            .reported_ports
            .iter()
            .chain(&c.dest_ports)
            .chain(c.events.iter().filter_map(|e| e.dest_port.as_ref()))
            .any(|port| UDP_REFLECTION_PORTS.contains(port));
        let udp = has(Scenario::DosScraping, "udp")
            || c.events.iter().any(|e| e.protocol.as_deref().is_some_and(|p| p.trim().eq_ignore_ascii_case("udp")))
            || (dos && reflection_port && has(Scenario::DosScraping, "flood"));
        // An address the evidence shows serving mail or a site is no exit's:
        // it is answered by its role, not claimed as ours (unless every
        // address is one: then the usual answer, and a warning).
        let apart_ips: Vec<IpAddr> = ips
            .iter()
            .copied()
            .filter(|ip| {
                c.address_roles.iter().any(|r| r.ip == *ip && matches!(r.role, Role::MailRelay | Role::Advertised))
            })
            .collect();
        let apart_ips = if apart_ips.len() == ips.len() { Vec::new() } else { apart_ips };
        let owned: Vec<IpAddr> = ips.iter().copied().filter(|ip| !apart_ips.contains(ip)).collect();
        // The configuration says "ours", the complaint places the address in
        // another network: evidence that conflicts. The letter then does not
        // call it ours (a warning and the case's problem send it to a
        // human), unless the network data verified it. An operator would
        // rather say too little than answer for another network's address:
        // a wrong "ours" tells the reporter to stop looking for the real
        // host, and the verified or undisputed addresses are still answered.
        let asns = p.operator.asns();
        let verified = |ip: &IpAddr| p.verdict.is_some_and(|v| v.ip == Some(*ip) && verdict_block(v).is_some());
        let claimed: Vec<IpAddr> =
            owned.iter().copied().filter(|ip| p.configured.contains(ip) && !verified(ip)).collect();
        let disputed_ips = c.disputed(&asns, &claimed);
        let configured: Vec<IpAddr> = p.configured.iter().copied().filter(|ip| !disputed_ips.contains(ip)).collect();
        let mut owner = ownership(&owned, p.configured, &disputed_ips, p.verdict);
        if !apart_ips.is_empty() && owner.mine.is_empty() && matches!(owner.ours, "configured" | "unverified") {
            // Name the addresses meant, since the first paragraph lists all.
            owner.mine = owned.iter().filter(|ip| configured.contains(ip)).map(ToString::to_string).collect();
        }
        let disputed: Vec<String> = disputed_ips.iter().map(ToString::to_string).collect();
        let unclaimed = !owned.is_empty() && owned.iter().all(|ip| disputed_ips.contains(ip));
        let several = if c.sent_to_several() {
            Some("desks")
        } else if c.names_several_networks(&asns) {
            Some("networks")
        } else {
            None
        };
        let ip_strings: Vec<String> = ips.iter().map(ToString::to_string).collect();
        let spam = p.scenarios.iter().any(|(s, _)| *s == Scenario::WebmailSpam);
        let mut ports: Vec<u16> = c.dest_ports.clone();
        // An X-ARF login report's `Port`/`Ports` is the port of the service
        // attacked (its schema pairs it with `Service`); extraction makes a
        // login-attack report's a destination port, and keeps other reports'
        // among the reported host's ports.
        let xarf_service = c.format == exitdesk_model::Format::Xarf && c.text.field("xarf.service").is_some();
        let attacked = if xarf_service { c.reported_ports.as_slice() } else { &[] };
        for port in c.events.iter().filter_map(|e| e.dest_port).chain(attacked.iter().copied()) {
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
        // A client of open proxies connected to the proxies' ports; the
        // ports reported are the ones the proxies reached.
        let proxies: Vec<&AddressRole> = c.address_roles.iter().filter(|r| r.role == Role::ProxyClient).collect();
        let proxy_client = !ips.is_empty() && ips.iter().all(|ip| proxies.iter().any(|r| r.ip == *ip));
        let target_ports_text = if proxy_client { ports_phrase(&ports) } else { None };
        let mut proxy_ports: Vec<u16> = Vec::new();
        for port in proxies.iter().flat_map(|r| r.ports.iter().copied()) {
            if !proxy_ports.contains(&port) {
                proxy_ports.push(port);
            }
        }
        if proxy_client {
            ports = proxy_ports;
        }
        let ports_text = ports_phrase(&ports);
        let default_rejected: Vec<String> =
            ports.iter().filter(|p| default_policy_rejects(**p)).take(5).map(ToString::to_string).collect();
        let spoofing_wave: Timestamp = Timestamp::from_second(1_727_740_800).unwrap_or(Timestamp::UNIX_EPOCH);
        // With several sources, the link checks one of ours.
        let link_ip = match owner.mine.first().and_then(|ip| ip.parse::<IpAddr>().ok()) {
            Some(mine) => Some(mine),
            None => first_ev.and_then(|e| e.ip).filter(|ip| !apart_ips.contains(ip)).or(owned.first().copied()),
        };
        // The last timed event of the linked address, when it is two days or
        // more after the first: ExoneraTor's answer covers a day either side.
        let later_day = last_of_days(&c.events, link_ip).map(|b| links_on(link_ip, day(Some(b), c, hosted)).exonerator);
        // Reported locations by their host (defanged as extraction wrote it):
        // the path says nothing the recipient needs, a URL on an address
        // stays whole (its path is all that tells it apart).
        let mut located: Vec<String> = Vec::new();
        for u in &c.reported_urls {
            let shown = if url_host_is_address(u) { clean(u, MAX_VALUE) } else { clean(url_host(u), MAX_VALUE) };
            if !shown.is_empty() && !located.contains(&shown) {
                located.push(shown);
            }
        }
        ReplyContext {
            ticket_id: opt(&c.ticket_id),
            subject: opt(&c.subject),
            recipient: if c.forwarder.is_some() { "forwarder" } else { "reporter" },
            reporter: PartyV::from(&c.complainant),
            forwarder: c.forwarder.as_ref().map(PartyV::from),
            scenarios: p.scenarios.iter().map(|(s, _)| s.as_str()).collect(),
            subkinds: p
                .scenarios
                .iter()
                .filter_map(|(s, k)| k.as_ref().map(|k| format!("{s}/{}", clean(k, 40))))
                .collect(),
            ips: ips.iter().take(50).map(ToString::to_string).collect(),
            events: c.events.iter().take(MAX_EVENTS).map(event).collect(),
            event_count: c.events.len(),
            first: first_ev.map(event),
            last: last_ev.map(event),
            dest_ips,
            dest_ports: c.dest_ports.iter().copied().take(20).collect(),
            web_server: opt(&c.web_server),
            operator: p.operator.clone(),
            network: p.network.clone(),
            verdict: p.verdict.and_then(verdict),
            // ExoneraTor looks a day either side: events that go on for days
            // get a second link, on the last one's day.
            more_exonerators: later_day
                .into_iter()
                .chain(
                    ips.iter()
                        .filter(|ip| Some(**ip) != link_ip && crate::names::special_address(**ip).is_none())
                        .filter(|ip| owner.mine.is_empty() || configured.contains(ip))
                        .filter(|ip| !apart_ips.contains(ip))
                        .take(2)
                        .map(|ip| {
                            let when = c.events.iter().find(|e| e.ip == Some(*ip) && e.time_utc.is_some()).or(first_ev);
                            links_on(Some(*ip), day(when.and_then(|e| e.time_utc), c, hosted)).exonerator
                        }),
                )
                .collect(),
            links: links_on(link_ip, day(first_ev.and_then(|e| e.time_utc), c, hosted)),
            incident_date: c.incident_date.clone().filter(|_| first_ev.and_then(|e| e.time_utc).is_none()),
            dnsel_queries: ips.iter().filter_map(|ip| dnsel(*ip)).take(10).collect(),
            blocklist: p.blocklist.cloned(),
            intro: p.intro,
            follow_up_days: p.follow_up_days,
            today: p.now.to_zoned_datetime(TimeZone::UTC).strftime("%Y-%m-%d").to_string(),
            // The recipient's display name, else (for a direct complaint)
            // the name the text is signed with.
            greet: p.recipient_name.and_then(crate::names::person_name).or_else(|| {
                c.forwarder
                    .is_none()
                    .then(|| c.requests.signer.as_deref().and_then(crate::names::person_name))
                    .flatten()
            }),
            reporter_is_person: is_person(&c.complainant),
            copyright_kind: copyright_kind(c, p.scenarios),
            p2p_protocol: c.text.field("acns.protocol").map(protocol_name).filter(|p| !p.is_empty()),
            p2p_port: c.reported_ports.first().copied(),
            udp,
            kind: p.kind.as_str(),
            ours: owner.ours,
            special: owner.special,
            unlisted: owner.unverified.iter().filter(|ip| !disputed.contains(ip)).cloned().collect(),
            unverified: owner.unverified,
            disputed_text: summary(&disputed),
            disputed,
            several,
            unclaimed,
            mine: owner.mine,
            apart: apart_ips
                .iter()
                .map(|ip| {
                    let relay = c.address_roles.iter().any(|r| r.ip == *ip && r.role == Role::MailRelay);
                    format!(
                        "{ip}{}",
                        if relay {
                            ", the mail server that passed the message on,"
                        } else {
                            ", the advertised site's host,"
                        }
                    )
                })
                .collect(),
            urls: located.iter().take(1).cloned().collect(),
            urls_more: located.len().saturating_sub(1),
            url_on_ip: c.reported_urls.iter().any(|u| url_host_is_address(u)),
            ips_text: summary(&ip_strings),
            ports_ref: if ports.len() > 1 { "those ports" } else { "that port" },
            ports_text,
            default_rejected,
            services: services(&ports, p.scenarios, &c.text.prose),
            advise: advise(c),
            appendix: p.appendix,
            statement: p.statement,
            intermediary: desk(c),
            mail_auth: c.delivery == Some(Delivery::Submitted),
            // A trap's capture was handed to the trap's mail server by the
            // address it names.
            direct_delivery: c.delivery == Some(Delivery::Direct) || c.trap.is_some(),
            asked_action: c.requests.action,
            asked_deadline: c.requests.deadline.clone(),
            answer_link: c.requests.link.clone(),
            non_public: ips
                .iter()
                .filter_map(|ip| crate::names::special_address(*ip).map(|why| (ip, why)))
                // Documentation ranges stand in for real addresses in examples.
                .filter(|(_, why)| !why.contains("documentation"))
                .map(|(ip, why)| format!("{ip} ({why})"))
                .collect(),
            private_dests: private_dests(c, &ips),
            web_refused: web_refused(&http_statuses(&c.text.prose)),
            login_redirect: login_redirect(&c.text.prose),
            also_named: c
                .subject
                .as_deref()
                .map(|s| addresses_in(head(s, 1024)))
                .unwrap_or_default()
                .into_iter()
                .filter(|ip| !ips.contains(ip) && !c.target_ips.contains(ip))
                .filter(|ip| !c.events.iter().any(|e| e.dest_ip == Some(*ip)))
                // In spam, the advertised site's host is answered by its role.
                .filter(|ip| !(spam && c.address_roles.iter().any(|r| r.ip == *ip && r.role == Role::Advertised)))
                .filter(|ip| crate::names::special_address(*ip).is_none())
                .take(3)
                .map(|ip| ip.to_string())
                .collect(),
            asks_blocking: asks_blocking(&c.text.prose),
            open_proxy: !proxy_client && calls_open_proxy(&c.text.prose),
            bans_already: {
                let p = c.text.prose.to_lowercase();
                [
                    "fail2ban",
                    "automatically blocked",
                    "automatically banned",
                    "has been banned",
                    "has been blocked",
                    "was blocked",
                    "was banned",
                ]
                .iter()
                .any(|w| p.contains(w))
            },
            asked_confirmation: c.requests.confirmation,
            asked_receipt: c.requests.receipt,
            harm: harm_done(&c.text.prose),
            listed: c.requests.listed && c.forwarder.is_none(),
            after_spoofing_wave: first_ev.and_then(|e| e.time_utc).is_some_and(|t| t >= spoofing_wave),
            proxy_client,
            target_ports_text,
            submitters: with_role(&c.address_roles, Role::Submitter),
            relays: with_role(&c.address_roles, Role::MailRelay),
            relay_port_25: c.address_roles.iter().any(|r| r.role == Role::MailRelay && r.ports.contains(&25)),
            trap: opt(&c.trap),
            advertised: with_role(&c.address_roles, Role::Advertised),
            identical_rows: c.identical_rows.iter().take(LIST_NAMED).map(ToString::to_string).collect(),
            delivered_to: c.delivered_to.as_deref().map(|d| clean(d, 80)),
            test_location: c.reported_urls.iter().find(|u| reads_as_test(u)).map(|u| clean(url_host(u), MAX_VALUE)),
        }
    }
}

/// What the playbook knows about the case, when there is one.
#[derive(Debug, Serialize)]
pub(crate) struct CaseV {
    ticket_id: Option<String>,
    reporter_name: Option<String>,
    ips: Vec<String>,
    first_time: Option<String>,
}

impl CaseV {
    pub(crate) fn from(c: &Complaint) -> CaseV {
        CaseV {
            ticket_id: opt(&c.ticket_id),
            reporter_name: opt(&c.complainant.name).or_else(|| opt(&c.complainant.organisation)),
            ips: c.reported_ips.iter().take(20).map(ToString::to_string).collect(),
            first_time: c.events.iter().find_map(|e| e.time_utc).map(format_utc_text),
        }
    }
}

/// The values of the playbook and the call-notes form.
#[derive(Debug, Serialize)]
pub(crate) struct PlaybookContext {
    pub(crate) operator: OperatorConfig,
    pub(crate) network: NetworkConfig,
    pub(crate) links: Links,
    pub(crate) follow_up_days: u32,
    pub(crate) today: String,
    pub(crate) case: Option<CaseV>,
}

/// The time of the last event of `ip` (or of no address), when it is two
/// days or more after the first: a second ExoneraTor day to look at.
fn last_of_days(events: &[exitdesk_model::Event], ip: Option<IpAddr>) -> Option<Timestamp> {
    let timed = || events.iter().filter(|e| e.ip.is_none() || e.ip == ip).filter_map(|e| e.time_utc);
    let (first, last) = (timed().min()?, timed().max()?);
    (last.as_second() - first.as_second() >= 2 * 86_400).then_some(last)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn events_over_days_get_a_second_day() {
        let ip = IpAddr::from([192, 0, 2, 7]);
        let at = |t: &str| exitdesk_model::Event { ip: Some(ip), time_utc: t.parse().ok(), ..Default::default() };
        let span = [at("2025-03-01T10:00:00Z"), at("2025-03-05T10:00:00Z")];
        assert_eq!(last_of_days(&span, Some(ip)).map(|t| t.to_string()).as_deref(), Some("2025-03-05T10:00:00Z"));
        let close = [at("2025-03-01T10:00:00Z"), at("2025-03-02T09:00:00Z")];
        assert_eq!(last_of_days(&close, Some(ip)), None);
    }

    #[test]
    fn an_open_proxy_used_is_not_one_run() {
        assert!(calls_open_proxy("192.0.2.7 is open proxy, see the list"));
        assert!(calls_open_proxy("We found an open proxy on 192.0.2.7."));
        assert!(!calls_open_proxy("hosts on your network hiding behind open proxies"));
        assert!(!calls_open_proxy("logins made through an open proxy"));
    }

    #[test]
    fn a_test_word_must_stand_alone() {
        assert!(reads_as_test("hxxps://no-such-site.example[.]org/crafted-for-a-test"));
        assert!(reads_as_test("[TEST] abuse notice"));
        assert!(!reads_as_test("hxxp://contest.example[.]org/pentest"));
    }

    #[test]
    fn url_host_keeps_only_the_defanged_host() {
        assert_eq!(url_host("hxxps://www[.]example[.]org/a/b.html?c=1"), "www[.]example[.]org");
        assert_eq!(url_host("hxxp://user@shop.example[.]com#x"), "shop.example[.]com");
        assert_eq!(url_host("example[.]net"), "example[.]net");
    }

    #[test]
    fn clean_makes_one_safe_line() {
        assert_eq!(clean("a\r\nBcc: x@example.org\t b", 200), "a Bcc: x@example.org b");
        assert_eq!(clean("  x  ", 200), "x");
        assert_eq!(clean(&"y".repeat(500), 10).chars().count(), 11);
        assert_eq!(clean("\u{202e}evil", 200), "evil");
    }

    #[test]
    fn lists_are_summarised() {
        let ips: Vec<String> = (1..=9).map(|i| format!("192.0.2.{i}")).collect();
        assert_eq!(summary(&ips[..1]), "192.0.2.1");
        assert_eq!(summary(&ips[..2]), "192.0.2.1 and 192.0.2.2");
        assert_eq!(summary(&ips[..3]), "192.0.2.1, 192.0.2.2 and 192.0.2.3");
        assert_eq!(summary(&ips), "192.0.2.1, 192.0.2.2, 192.0.2.3 and 6 more");
    }

    #[test]
    fn services_from_ports() {
        assert_eq!(services(&[22, 2222], &[], ""), ["ssh"]);
        assert_eq!(services(&[587, 993, 3389], &[], ""), ["smtp", "imap", "rdp"]);
        assert_eq!(services(&[], &[(Scenario::SshBruteforce, Some("ssh".into()))], ""), ["ssh"]);
        let mail = [(Scenario::SshBruteforce, Some("mail".into()))];
        let postfix = "Jan 1 00:00:01 mx postfix/smtpd[1]: warning: x[192.0.2.7]: SASL LOGIN authentication failed";
        assert_eq!(services(&[], &mail, postfix), ["smtp"]);
        assert_eq!(services(&[], &mail, "dovecot: imap-login: Disconnected (auth failed)"), ["imap"]);
        assert_eq!(services(&[], &mail, "Service: mail"), ["smtp", "imap"]);
    }

    #[test]
    fn private_destinations_on_destination_lines() {
        let c = Complaint {
            reported_ips: vec![IpAddr::from([192, 0, 2, 7])],
            text: exitdesk_model::ComplaintText {
                prose: "srcip=192.0.2.7 dstip=192.168.10.2 dstport=80\nDestination IP : 10.0.0.5,203.0.113.9\n\
                        Our office 10.9.9.9 saw it.\nAug 10 10.10.1.1 Deny tcp src 192.0.2.7 dst out:203.0.113.5/22"
                    .into(),
                ..Default::default()
            },
            ..Complaint::default()
        };
        assert_eq!(private_dests(&c, &c.reported_ips), ["192.168.10.2", "10.0.0.5"]);
        assert_eq!(
            addresses_in("Abuse from 192.0.2.7, 2001:db8::1 and 192.0.2.7."),
            [IpAddr::from([192, 0, 2, 7]), "2001:db8::1".parse::<IpAddr>().unwrap_or(IpAddr::from([0, 0, 0, 0]))]
        );
    }

    #[test]
    fn web_logs_say_what_was_refused() {
        let combined = "192.0.2.7 - - [10/Jan/2024:12:00:01 +0000] \"GET /.env HTTP/1.1\" 404 196 \"-\" \"x\"\n\
                        192.0.2.7 - - [10/Jan/2024:12:00:02 +0000] \"GET /wp-admin/ HTTP/1.1\" 403 12";
        assert_eq!(http_statuses(combined), [403, 404]);
        assert_eq!(web_refused(&http_statuses(combined)).as_deref(), Some("403 and 404"));
        let dashed =
            "23-11-2023 6:18:04 - host.example - 192.0.2.7 - GET - /wp-content/x.php - 403 - 0 -  - Mozilla/5.0";
        assert_eq!(http_statuses(dashed), [403]);
        let login = "192.0.2.7 - - [08/Aug/2020:00:45:54 +0200] \"POST /wp-login.php HTTP/1.1\" 200 21599";
        assert_eq!(web_refused(&http_statuses(login)), None);
        assert_eq!(http_statuses("We saw 404 errors from GET requests."), Vec::<u16>::new());
        assert!(!login_redirect(login));
        let table = "Jan 24 2022 @ 15:26:12 +01:00\t192.0.2.7\tPOST //wp-login.php HTTP/1.1\tPOST\t302";
        assert!(login_redirect(table));
    }

    #[test]
    fn harm_is_an_intrusion_not_a_hedge() {
        assert!(harm_done("Our web server was compromised and a webshell was uploaded."));
        assert!(!harm_done("This IP address may be compromised and may also be attacking other networks."));
        assert!(!harm_done("Your server appears to be compromised."));
        assert!(!harm_done("Probes for a web shell were blocked."));
    }

    #[test]
    fn zones_are_printed_clean() {
        assert_eq!(
            zone_label("Europe/London (\"is Greenwich, London UK\")", Some(0)).as_deref(),
            Some("Europe/London")
        );
        assert_eq!(zone_label("+ GMT - 3", Some(-3 * 3600)).as_deref(), Some("UTC-03:00"));
        assert_eq!(zone_label("GMT+8", Some(8 * 3600)).as_deref(), Some("GMT+8"));
        assert_eq!(zone_label("CEST", None).as_deref(), Some("CEST"));
        assert_eq!(zone_label("+01:00", None).as_deref(), Some("+01:00"));
        assert_eq!(zone_label("our local time", None), None);
    }

    #[test]
    fn dnsel_names() {
        assert_eq!(
            dnsel("198.51.100.7".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))).as_deref(),
            Some("7.100.51.198.dnsel.torproject.org")
        );
        assert_eq!(dnsel("2001:db8::1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))), None);
    }
}
