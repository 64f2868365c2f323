//! The complaint extracted from one message, and its events.

use std::net::IpAddr;

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::NetworkClaim;
use crate::timefmt;

/// The outer shape of a complaint message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Free text, including logs or CSV pasted inline.
    #[default]
    Plain,
    /// RFC 5965 Abuse Reporting Format (`multipart/report; report-type=feedback-report`).
    Arf,
    /// X-ARF 0.1/0.2 (YAML `report.txt`) or XARF v4 (JSON).
    Xarf,
    /// ACNS XML copyright notice (or its text fields).
    Acns,
    /// A provider wrapping someone else's complaint; this outer shape wins.
    ForwardedIsp,
    /// Web-form relays, CSV-only or XML-only reports.
    Other,
}

impl Format {
    /// Every format, in a stable order (used for report rows).
    pub const ALL: [Format; 6] =
        [Format::Plain, Format::Arf, Format::Xarf, Format::Acns, Format::ForwardedIsp, Format::Other];

    /// The contract's name for the format.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Arf => "arf",
            Format::Xarf => "xarf",
            Format::Acns => "acns",
            Format::ForwardedIsp => "forwarded-isp",
            Format::Other => "other",
        }
    }

    /// Parses the contract's name.
    pub fn from_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the time zone of an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ZoneSource {
    /// Written on the same line (or field) as the time.
    Inline,
    /// Stated in prose elsewhere in the message ("All times are UTC-7").
    Prose,
    /// Given by a table or CSV column header ("TIME (UTC)").
    Table,
    /// Not stated anywhere: the time is kept as a wall clock.
    #[default]
    Unknown,
}

/// One reported incident.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Event {
    /// The offending address, when the incident names one.
    pub ip: Option<IpAddr>,
    /// The instant in UTC, when the zone is known.
    #[serde(with = "opt_utc")]
    pub time_utc: Option<Timestamp>,
    /// The wall clock as written in the message.
    #[serde(with = "opt_local")]
    pub time_local: Option<DateTime>,
    /// Where the zone came from.
    pub zone_source: ZoneSource,
    /// The zone as the message gave it (`+02:00`, `CEST`, `Europe/Moscow`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The victim-side address.
    pub dest_ip: Option<IpAddr>,
    /// The victim-side port.
    pub dest_port: Option<u16>,
    /// `tcp`, `udp`, … when stated.
    pub protocol: Option<String>,
}

/// A person or organisation in the exchange (reporter or forwarder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Party {
    /// Display name.
    pub name: Option<String>,
    /// Mail address.
    pub address: Option<String>,
    /// Where replies should go, when it differs from `address`.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Organisation, when it can be told.
    #[serde(default)]
    pub organisation: Option<String>,
}

/// Where one extracted fact came from: the place in the message, the rule
/// that read it there, and how sure that rule is. Additive: older stored
/// complaints have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Evidence {
    /// The fact: `ticket_id`, `reported_ip`, `time`, `dest_port`, and
    /// others (`network`, `abuse_desks`, `delivery`, `reported_url`, …).
    pub fact: String,
    /// The value as extracted (an id, an address, a time, a port).
    pub value: String,
    /// Where in the message: `subject`; `part P line L` (the part counted
    /// from 1, the line within that part's decoded text, counted from 1);
    /// `part P (report fields)` for a machine-readable report (X-ARF, XARF
    /// v4, ACNS); `prose line L` for facts read from the prose text;
    /// `headers (To, Cc)` for the message's recipients; or `report structure`.
    pub place: String,
    /// The rule that found it, in words.
    pub rule: String,
    /// How sure the rule is, 0–100: a report field or a bracketed ticket id
    /// is near 100, an address mentioned without any cue far lower.
    pub confidence: u8,
}

/// What was extracted from one message: the contract of `exitdesk extract --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Complaint {
    /// Where the message came from (`path`, or `path#N` inside an mbox).
    pub source: String,
    /// The outer shape of the message.
    pub format: Format,
    /// ISO 639-1 code of the complaint prose, when it can be told.
    pub language: Option<String>,
    /// The id a reply subject must keep (the forwarder's for forwarded mail).
    pub ticket_id: Option<String>,
    /// Other references found (inner complaint ids, report ids).
    pub other_ids: Vec<String>,
    /// The offending addresses, canonical text form.
    pub reported_ips: Vec<IpAddr>,
    /// Victim-side destination ports.
    pub dest_ports: Vec<u16>,
    /// Ports on the reported host itself (BitTorrent port, NTP 123, a phishing site's 80).
    pub reported_ports: Vec<u16>,
    /// The reported incidents.
    pub events: Vec<Event>,
    /// The incident's day (`YYYY-MM-DD`) when the complaint gives a date
    /// but no time of day: never an incident time, but a day to check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_date: Option<String>,
    /// Addresses the complaint names as the targets of what it reports
    /// (its own servers: "-> 192.0.2.7:22", "against our system (IP: …)"),
    /// public only, at most 20.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_ips: Vec<IpAddr>,
    /// The addresses a message that is no complaint names (a closure
    /// notice's "your ticket about 192.0.2.7 is closed"): it accuses nobody,
    /// but they join it to its case. See [`Complaint::accuse_nobody`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_ips: Vec<IpAddr>,
    /// Locations (URLs, host names) the complaint says are served from the
    /// accused address, defanged for display (`hxxp://`, `[.]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reported_urls: Vec<String>,
    /// Who complained.
    pub complainant: Party,
    /// The provider that passed the complaint on, for forwarded mail.
    pub forwarder: Option<Party>,
    /// The sender says no answer is expected.
    pub no_reply_needed: bool,
    /// The message's subject, decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The message's `Message-ID`, for threading a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The message ids of its `References:` header, oldest first, as
    /// written (a reply's `References` continues them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// The value of the message's own `X-Exitdesk` header, which exitdesk
    /// writes into every reply (cleaned to one line, bounded): mail that
    /// carries it is our own reply coming back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exitdesk_header: Option<String>,
    /// The message's `Date:` header as an instant.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_utc")]
    pub date: Option<Timestamp>,
    /// Specific, human-readable problems met while reading the message.
    pub problems: Vec<String>,
    /// Where the main facts came from and how sure their rules are (ticket
    /// id, accused addresses, incident times, destination ports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// The message is an automatic answer (out-of-office, bounce): never reply to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_response: Option<AutoResponse>,
    /// For spam sent through a web relay: the web host whose mail form or
    /// webmail handed the spam over (from the enclosed spam's headers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_server: Option<String>,
    /// How the enclosed mail left an accused address (its `Received:`
    /// chain), when the chain shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// For mail handed over plain SMTP (`Delivery::Direct`): the registrable
    /// domain of the host that received it (the recipient's mail service,
    /// `outlook.com`), as its `Received:` hop names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_to: Option<String>,
    /// What some addresses the complaint names did, when its evidence shows
    /// a role other than "the source of the traffic" (a client of open
    /// proxies, a mail account's client, a mail server passing on another
    /// address's mail, the host of a site the mail advertises).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address_roles: Vec<AddressRole>,
    /// The networks the complaint itself attributes accused addresses to
    /// ("is announced by NAME (AS64500)", an `ASN` column beside the
    /// address, a whois `origin:` or `netname:` for a range holding it),
    /// each claim also in `evidence` (fact `network`). What an answer may
    /// then claim as ours: see [`Complaint::disputed`] and
    /// [`Complaint::network_problem`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<NetworkClaim>,
    /// The organisations (registrable domains) whose abuse desks the report
    /// was addressed to at once, when they are three or more (`abuse@`,
    /// `security@`, `cert@`… mailboxes in its To/Cc, or listed under a
    /// salutation to "abuse teams"; the sender's own domain left out): a
    /// report sent to several networks, each of which answers only for its
    /// own addresses. See [`Complaint::sent_to_several`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abuse_desks: Vec<String>,
    /// Accused addresses whose rows in the report's table are the same
    /// (times and source ports) as another accused address's: two hosts
    /// never make the same connections, so a reporting artefact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identical_rows: Vec<IpAddr>,
    /// The message is a spam trap's capture (the trap network's name): the
    /// spam as the trap received it, its own `From` and `Reply-To` the
    /// spam's, the accused address read from the trap's headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trap: Option<String>,
    /// What the complaint asks for (a reply address, a deadline, a
    /// confirmation, a link for the answer, an unblocking procedure).
    #[serde(default, skip_serializing_if = "Requests::is_empty")]
    pub requests: Requests,
    /// The text the facts were read from, for the classifier. Personal data:
    /// never serialised (it can be recomputed from the raw message).
    #[serde(skip)]
    pub text: ComplaintText,
}

/// What a complaint asks of its reader, read from its prose. Each becomes
/// an answer (the recipient) or an operator to-do, never guessed: what is
/// not written is not there. Complaint content: cleaned to one bounded line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requests {
    /// An address the text asks replies to go to ("please reply to …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// A deadline as written: "within 48 hours", "by March 7th at 12:00 UTC".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// The sender asks for a confirmation (in writing, that it is resolved).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmation: bool,
    /// The sender asks us to confirm that the report reached us ("confirm
    /// the reception of this report", "accuser réception",
    /// "Eingangsbestätigung").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub receipt: bool,
    /// A link for the answer (a statement form, a portal, a ticket page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The sender mentions an unblocking or delisting procedure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unblock: bool,
    /// The sender lists the address on a block list of its own ("has been
    /// blacklisted", "removal from our blocklist"): a list operator, whose
    /// procedure for removal the reply follows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub listed: bool,
    /// The sender asks what was done about it ("feedback on actions
    /// taken", "advise us of the action taken", "inform us").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub action: bool,
    /// The name the text is signed with: a closing ("Regards,", "Mit
    /// freundlichen Grüßen", "Cordialement,") followed by a line that reads
    /// as a person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

impl Requests {
    /// Nothing was asked.
    pub fn is_empty(&self) -> bool {
        *self == Requests::default()
    }
}

/// How the mail a complaint encloses left an accused address, as its
/// `Received:` chain records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Submitted with a login (`with ESMTPA`/`ESMTPSA`, "authenticated"):
    /// a mail account's client sent it.
    Submitted,
    /// Handed over plain SMTP, with no login, straight to the recipient's
    /// own mail system (a receiving host in the domain of the topmost hop):
    /// a connection to port 25.
    Direct,
}

/// An address and what the complaint's evidence shows it did.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AddressRole {
    /// The address.
    pub ip: IpAddr,
    /// What it did.
    pub role: Role,
    /// The ports it connected to, when the evidence shows them: for
    /// [`Role::ProxyClient`] the proxies' ports, for [`Role::MailRelay`] 25
    /// when it handed the mail over plain SMTP into the recipient's own mail
    /// system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<u16>,
}

/// What an address did, as the complaint's evidence shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// It connected to open proxies (the report names the proxies, their
    /// ports, and this address as their client): it used them, it runs none.
    ProxyClient,
    /// It submitted the enclosed mail to a mail server with a login.
    Submitter,
    /// A mail server that received the enclosed mail from another address
    /// and passed it on (the Received chain links the two hops).
    MailRelay,
    /// The address a site the mail advertises resolves to ("URL -> IP").
    Advertised,
}

/// Kinds of automatic answers (RFC 3834, RFC 3464).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AutoResponse {
    /// An auto-reply (`Auto-Submitted: auto-replied`, out-of-office, ticket acknowledgement).
    AutoReply,
    /// A delivery status notification (bounce).
    Bounce,
}

/// The complaint's text, by region, bounded in size.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComplaintText {
    /// What the reporter and forwarder wrote, logs and tables included.
    pub prose: String,
    /// Mail headers and report fields pasted or enclosed (ARF fields, spam headers).
    pub headers: String,
    /// Quoted samples of the offending content (a spam's body).
    pub sample: String,
    /// Machine-readable report fields, lower-case keys prefixed by format
    /// (`arf.feedback-type`, `xarf.category`, `xarf.report-type`, `xarf.service`,
    /// `xarf4.category`, `xarf4.type`, `xarf4.class`, `acns.type`, `acns.protocol`).
    pub fields: Vec<(String, String)>,
    /// Attachment file names.
    pub attachments: Vec<String>,
}

impl ComplaintText {
    /// The value of a report field, if present.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

impl Complaint {
    /// A message classified as no complaint at all (closure notice,
    /// newsletter, test report, auto-reply) accuses nobody and reports no
    /// incident: its addresses move to [`Complaint::named_ips`] and its
    /// times and ports are dropped (the evidence list keeps them all).
    pub fn accuse_nobody(&mut self) {
        for ip in self.reported_ips.drain(..) {
            if !self.named_ips.contains(&ip) {
                self.named_ips.push(ip);
            }
        }
        self.events.clear();
        self.dest_ports.clear();
    }

    /// A complaint about what runs on the accused address (a phishing page,
    /// an open resolver, a C2 server) names that service's ports: they are
    /// the address's own ([`Complaint::reported_ports`]), never a victim's.
    pub fn ports_are_its_own(&mut self) {
        for p in self.dest_ports.drain(..) {
            if !self.reported_ports.contains(&p) {
                self.reported_ports.push(p);
            }
        }
        for e in &mut self.events {
            e.dest_port = None;
        }
        for e in self.evidence.iter_mut().filter(|e| e.fact == "dest_port") {
            e.fact = "reported_port".into();
            e.rule = format!("{} (the reported service's own port)", e.rule);
        }
    }

    /// The keys every `exitdesk extract --json` object carries: the contract
    /// evaluation tools rely on. Further keys may be added, none removed.
    pub const CONTRACT_KEYS: [&'static str; 13] = [
        "source",
        "format",
        "language",
        "ticket_id",
        "other_ids",
        "reported_ips",
        "dest_ports",
        "events",
        "complainant",
        "forwarder",
        "no_reply_needed",
        "problems",
        "reported_ports",
    ];

    /// True when nothing went wrong while reading the message.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// The reporter's party as the reply should address it: the forwarder for
    /// forwarded complaints, else the complainant.
    pub fn reply_party(&self) -> &Party {
        self.forwarder.as_ref().unwrap_or(&self.complainant)
    }
}

mod opt_utc {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&super::timefmt::format_utc(*t)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v {
            None => Ok(None),
            Some(s) => super::timefmt::parse_utc(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not an instant: {s}"))),
        }
    }
}

mod opt_local {
    use jiff::civil::DateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&super::timefmt::format_local(*t)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v {
            None => Ok(None),
            Some(s) => super::timefmt::parse_local(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a wall-clock time: {s}"))),
        }
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn no_complaint_accuses_nobody() {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let mut c = Complaint { reported_ips: vec![ip], events: vec![Event::default()], ..Complaint::default() };
        c.accuse_nobody();
        assert!(c.reported_ips.is_empty() && c.events.is_empty());
        assert_eq!(c.named_ips, vec![ip]);
    }

    #[test]
    fn a_hosted_service_s_ports_are_its_own() {
        let mut c = Complaint {
            dest_ports: vec![53],
            events: vec![Event { dest_port: Some(53), ..Event::default() }],
            ..Complaint::default()
        };
        c.ports_are_its_own();
        assert!(c.dest_ports.is_empty() && c.events[0].dest_port.is_none());
        assert_eq!(c.reported_ports, vec![53]);
    }

    #[test]
    fn json_contract_keys() {
        let c = Complaint {
            source: "a.eml".into(),
            events: vec![Event {
                ip: Some("192.0.2.7".parse().unwrap()),
                time_utc: Some("2024-01-02T03:04:05.6Z".parse().unwrap()),
                time_local: Some("2024-01-02T04:04:05".parse().unwrap()),
                zone_source: ZoneSource::Inline,
                ..Event::default()
            }],
            ..Complaint::default()
        };
        let v = serde_json::to_value(&c).unwrap();
        for k in Complaint::CONTRACT_KEYS {
            assert!(v.get(k).is_some(), "missing key {k}");
        }
        for k in ["ip", "time_utc", "time_local", "zone_source", "dest_ip", "dest_port", "protocol"] {
            assert!(v["events"][0].get(k).is_some(), "missing event key {k}");
        }
        for k in ["name", "address", "reply_to", "organisation"] {
            assert!(v["complainant"].get(k).is_some(), "missing complainant key {k}");
        }
        assert_eq!(v["format"], "plain");
        assert_eq!(v["events"][0]["time_utc"], "2024-01-02T03:04:05Z");
        assert_eq!(v["events"][0]["time_local"], "2024-01-02T04:04:05");
        assert_eq!(v["events"][0]["zone_source"], "inline");
        let back: Complaint = serde_json::from_value(v).unwrap();
        assert_eq!(back.events[0].ip, c.events[0].ip);
        assert_eq!(Format::from_name("forwarded-isp"), Some(Format::ForwardedIsp));
    }
}
