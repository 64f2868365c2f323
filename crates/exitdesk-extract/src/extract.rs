//! The extraction pipeline: bytes → [`Doc`] → lines → facts → [`Complaint`].

use std::net::IpAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};

use exitdesk_model::{AutoResponse, Complaint, ComplaintText, Evidence, Format, Party, ZoneSource};
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::events::{self, At, EventPatterns, RawEvent};
use crate::fields::{FieldPatterns, Language, Outer};
use crate::formats::{Acns, TableHeader, XarfJson, XarfYaml};
use crate::ip::{self, IpFinder, Mention};
use crate::mime::{Doc, PartKind};
use crate::offender::{Cues, Roles};
use crate::received;
use crate::text::{self, Line, Region, header_key};
use crate::time::{self, TimeParser};

/// Reads complaints. Build one and reuse it: construction compiles every
/// pattern; extraction is then a pure function of the bytes.
#[derive(Debug, Clone)]
pub struct Extractor {
    times: TimeParser,
    ips: IpFinder,
    cues: Cues,
    events: EventPatterns,
    fields: FieldPatterns,
    language: Language,
    requests: crate::requests::RequestReader,
    urls: crate::urls::UrlReader,
    dates: crate::dates::DateReader,
    ports: crate::ports::PortReader,
    /// Words that say a complaint is about unwanted mail.
    spam_words: regex::Regex,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

/// What the machine-readable report formats state.
#[derive(Debug, Default)]
struct Structured {
    ips: Vec<IpAddr>,
    events: Vec<RawEvent>,
    /// Victim-side ports of report fields, and the part that held each.
    dest_ports: Vec<(u16, At)>,
    reported_ports: Vec<u16>,
    ids: Vec<String>,
    reporter_org: Option<String>,
    reporter_email: Option<String>,
    xarf: bool,
    acns: bool,
    acns_complainant: Option<String>,
    acns_email: Option<String>,
    /// Report fields for the classifier (`xarf.category`, …).
    fields: Vec<(String, String)>,
}

/// Bounds on the text handed to the classifier (per region).
const PROSE_CAP: usize = 256 * 1024;
const HEADERS_CAP: usize = 64 * 1024;
const SAMPLE_CAP: usize = 32 * 1024;

impl Extractor {
    /// Compiles the patterns.
    pub fn new() -> Extractor {
        Extractor {
            times: TimeParser::new(),
            ips: IpFinder::new(),
            cues: Cues::new(),
            events: EventPatterns::new(),
            fields: FieldPatterns::new(),
            language: Language::new(),
            requests: crate::requests::RequestReader::new(),
            urls: crate::urls::UrlReader::new(),
            dates: crate::dates::DateReader::new(),
            ports: crate::ports::PortReader::new(),
            spam_words: crate::re::compile(
                r"(?i)\b(?:spam\w*|phish\w*|junk|unsolicited|scam\w*|uce|pourriels?|ind[ée]sirables?|unerw[üu]nscht\w*|no\s+deseados?|hame[çc]onnage|podvodn\w*)\b",
            ),
        }
    }

    /// Extracts the facts of one message. Never panics and never fails: what
    /// cannot be read is listed in `problems`.
    pub fn extract(&self, raw: &[u8], source: &str) -> Complaint {
        match catch_unwind(AssertUnwindSafe(|| self.extract_inner(raw, source))) {
            Ok(c) => c,
            Err(_) => self.after_panic(raw, source),
        }
    }

    /// What is left of a message whose extraction panicked: the facts of its
    /// headers (reporter, subject, ids, date), so that it can still be
    /// threaded and answered by a human, and a problem saying what failed.
    fn after_panic(&self, raw: &[u8], source: &str) -> Complaint {
        let mut c = catch_unwind(AssertUnwindSafe(|| self.headers_only(raw, source)))
            .unwrap_or_else(|_| Complaint { source: source.to_string(), ..Complaint::default() });
        c.problems.insert(
            0,
            "internal error while reading the text of this message (a bug in exitdesk): only its headers were \
             read, not the facts of its text; the message is kept for a human"
                .into(),
        );
        c
    }

    /// The facts of the headers alone, for a message whose text could not be
    /// read.
    fn headers_only(&self, raw: &[u8], source: &str) -> Complaint {
        let doc = Doc::parse(raw);
        let (complainant, _) = self.parties(&doc, &[], &Structured::default(), None);
        Complaint {
            source: source.to_string(),
            subject: doc.subject.clone(),
            message_id: doc.message_id.clone(),
            references: doc.references.clone(),
            date: doc.date,
            complainant,
            auto_response: auto_response(&doc),
            problems: doc.problems,
            ..Complaint::default()
        }
    }

    fn extract_inner(&self, raw: &[u8], source: &str) -> Complaint {
        let mut doc = Doc::parse(raw);
        let (mut lines, cut) = text::lines(&doc);
        doc.problems.extend(cut);
        let nested: Vec<u8> = doc.parts.iter().map(|p| p.nested).collect();
        // A complaint forwarded as an attachment is read as the complaint it
        // is, not as a sample of the offending mail.
        let enclosed = Outer { subject: doc.subject.as_deref(), nested: nested.clone(), ..Outer::default() };
        if let Some(at) = self.fields.enclosed_complaint(&enclosed, &lines) {
            for l in lines.iter_mut().skip(at) {
                if l.region == Region::Sample && nested.get(l.part).is_some_and(|n| *n > 0) {
                    l.region = Region::Prose;
                }
            }
        }
        let reference: Option<Date> = doc.date.map(|t| t.to_zoned_datetime(TimeZone::UTC).date());
        let st = self.structured(&doc, &lines, reference);

        // Who is accused.
        let mut roles = Roles::default();
        if let Some(s) = &doc.subject {
            roles.subject(&self.cues, &self.ips, s);
        }
        // Table headers, read once for the offender and the event passes.
        let tables: Vec<Option<TableHeader>> = lines
            .iter()
            .map(|l| {
                (l.region == Region::Prose && !l.text.trim().is_empty()).then(|| TableHeader::parse(&l.text)).flatten()
            })
            .collect();
        // The addresses on each prose line, found once for both passes.
        let mentions: Vec<Vec<Mention>> = lines
            .iter()
            .map(|l| {
                if l.region == Region::Prose && !l.text.trim().is_empty() {
                    // Kept for every line: no spare capacity.
                    let mut found = self.ips.mentions(&l.text);
                    found.shrink_to_fit();
                    found
                } else {
                    Vec::new()
                }
            })
            .collect();
        roles.lines(&self.cues, &self.ips, &lines, &tables, &mentions);
        let mut reported_ips = roles.decide(&st.ips);
        // A bounce, or an auto-reply that says so in its subject, accuses
        // nobody: what it quotes is the mail it answers. (An
        // `Auto-Submitted: auto-replied` header alone does not tell: CERT
        // trackers send complaints with it.)
        let subject = doc.subject.as_deref().unwrap_or("").to_lowercase();
        let says_auto = AUTO_SUBJECTS.iter().any(|a| subject.starts_with(a));
        let auto = auto_response(&doc);
        match auto {
            Some(AutoResponse::Bounce) => reported_ips.clear(),
            Some(AutoResponse::AutoReply) if says_auto => reported_ips.clear(),
            _ => {}
        }
        crate::trap::accuse(&doc, &mut reported_ips);
        if reported_ips.is_empty() && auto.is_none() {
            reported_ips = roles.url_hosts(&self.cues, &lines);
        }
        // A spam complaint carrying the spam's headers: the hop of the
        // accused address, or, when nothing else accuses one, the sender the
        // Received chain names (report fields, when any, say it instead).
        let chains = received::chains(&self.ips, &self.times, &lines, reference, false);
        let spam = if st.ips.is_empty() && st.events.is_empty() && !doc.feedback_report {
            received::picks(&chains, &own_domains(&doc), &reported_ips)
        } else {
            Vec::new()
        };
        // Only a complaint about unwanted mail accuses the sender of the mail
        // it carries: a forwarded notice or letter is no spam.
        if reported_ips.is_empty() && !spam.is_empty() && self.about_spam(&doc, &lines) {
            reported_ips = unique(spam.iter().filter_map(|p| p.hop.ip));
        }
        let spam: Vec<received::Pick> =
            spam.into_iter().filter(|p| p.hop.ip.is_some_and(|ip| reported_ips.contains(&ip))).collect();

        // When, and against what. Outside English, a/b/yyyy is day first.
        let language = self.language.detect(&doc, &lines);
        let day_first = language.as_deref().is_some_and(|l| l != "en");
        let (events, event_places, unread_times, hop_disagrees) =
            self.events(&doc, (&lines, &tables, &mentions), &st, (reference, &spam), &reported_ips, day_first);
        let reported_ports = unique(st.reported_ports.iter().copied());
        let port_places = self.dest_ports(&lines, &st, (&events, &event_places), &reported_ports, &reported_ips);
        let dest_ports: Vec<u16> = port_places.iter().map(|(p, _)| *p).collect();

        // Shape, references, people.
        let outer = Outer {
            subject: doc.subject.as_deref(),
            sender_domains: [doc.from.as_ref(), doc.original_from.as_ref(), doc.reply_to.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|a| domain_of(a.address.as_deref()))
                .collect(),
            reported: &reported_ips,
            nested,
        };
        let wrapping = self.fields.forwarded(&self.ips, &outer, &lines);
        let inner_from = wrapping.start;
        let format = self.format(&doc, &lines, &st, inner_from.is_some());
        let (ticket_id, subject_ids, ticket_how) = self.fields.ticket(&self.ips, doc.subject.as_deref(), &lines);
        let other_ids = unique(
            subject_ids
                .into_iter()
                .chain(st.ids.iter().cloned())
                .chain(self.fields.body_ids(&lines, inner_from))
                .chain(self.fields.inner_ids(&self.ips, &lines, inner_from))
                .filter(|id| Some(id) != ticket_id.as_ref()),
        );
        let (complainant, forwarder) = self.parties(&doc, &lines, &st, inner_from);
        let mut problems = self.problems(&doc, &lines, &reported_ips, &events);
        problems.extend(hop_disagrees);
        for p in spam.iter().filter(|p| p.accused && !p.others.is_empty()) {
            let ip = p.hop.ip.map(|ip| ip.to_string()).unwrap_or_default();
            let others: Vec<String> = p.others.iter().map(ToString::to_string).collect();
            problems.push(format!(
                "the Received chain of the enclosed mail names more than one outside sender: {ip} handed it over, {} \
                 handed it to {ip} before; {ip} was taken: check which is meant",
                others.join(", ")
            ));
        }
        // The subject and the body disagree about who is accused: a human decides.
        if let Some(s) = doc.subject.as_deref().map(|s| crate::bounds::head(s, 1024)) {
            let missing: Vec<String> = self
                .cues
                .subject_accused(&self.ips, s)
                .into_iter()
                .filter(|ip| !reported_ips.is_empty() && !reported_ips.contains(ip))
                .map(|ip| ip.to_string())
                .collect();
            if !missing.is_empty() {
                let accused: Vec<String> = reported_ips.iter().take(5).map(ToString::to_string).collect();
                problems.push(format!(
                    "candidate offenders disagree: the subject names {} but the body accuses {}{}; check which is meant",
                    missing.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                    accused.join(", "),
                    if reported_ips.len() > 5 { " …" } else { "" }
                ));
            }
        }
        for ip in reported_ips.iter().filter(|ip| ip::non_public_kind(**ip).is_some()).take(5) {
            if let Some(kind) = ip::non_public_kind(*ip) {
                problems
                    .push(format!("{ip} is a {kind} address: no exit relay has one; check what the complaint means"));
            }
        }
        if unread_times > 0 {
            problems.push(format!(
                "{unread_times} timestamps were not read: on lines with more than {} only the first {0} were",
                events::MAX_TIMES_PER_LINE
            ));
        }
        if looks_binary(raw) {
            let headers = doc.from.is_some() || doc.subject.is_some() || doc.date.is_some() || doc.message_id.is_some();
            if !headers {
                problems.retain(|p| p != "the message has headers but no body");
            }
            problems.insert(
                0,
                if headers {
                    "the message body is not text (binary data)".to_string()
                } else {
                    "the message has no mail headers and is not text (binary data)".to_string()
                },
            );
        }

        let mut evidence = evidence(
            (ticket_id.as_deref(), ticket_how),
            (&reported_ips, &roles, &st.ips),
            (&events, &event_places, &spam),
            (&port_places, &st.dest_ports),
            &lines,
        );
        crate::trap::explain(&doc, &mut evidence);
        // How the enclosed mail left an accused address (login or port 25).
        // (A spam sample quoted under a marker counts here: its headers say
        // how it was sent, not who is accused.)
        let with_samples;
        let sent_by = if lines.iter().any(|l| l.region == Region::Sample) {
            with_samples = received::chains(&self.ips, &self.times, &lines, reference, true);
            &with_samples
        } else {
            &chains
        };
        let delivery = received::delivery(sent_by, &reported_ips).map(|(d, hop)| {
            let (value, rule) = match d {
                exitdesk_model::Delivery::Submitted => {
                    ("submitted", "Received hop from the accused address with a login (ESMTPA, authenticated)")
                }
                exitdesk_model::Delivery::Direct => (
                    "direct",
                    "Received hop from the accused address over plain SMTP into the recipient's own mail system",
                ),
            };
            evidence.push(Evidence {
                fact: "delivery".into(),
                value: value.into(),
                place: crate::text::place(&lines, hop.line),
                rule: rule.into(),
                confidence: 80,
            });
            d
        });
        // Addresses only mentioned, with no field, column or word marking any
        // of them as the source: they may be the victim's or a server's.
        let accused_by: Vec<&Evidence> = evidence.iter().filter(|e| e.fact == "reported_ip").collect();
        if !accused_by.is_empty() && accused_by.iter().all(|e| e.confidence <= 40) {
            let named: Vec<&str> = accused_by.iter().take(5).map(|e| e.value.as_str()).collect();
            problems.push(format!(
                "no field, column or word marks {}{} as the source: the address{} may be the victim's or a server's; \
                 check which address is accused",
                named.join(", "),
                if accused_by.len() > 5 { " …" } else { "" },
                if accused_by.len() > 1 { "es are only mentioned and" } else { " is only mentioned and" }
            ));
        }
        // Why a message is (or is not) taken for a forward: the wrapper decides the reply's recipient.
        if let Some(at) = wrapping.line.filter(|at| *at < lines.len()) {
            evidence.insert(
                0,
                Evidence {
                    fact: "format".into(),
                    value: if wrapping.start.is_some() { "forwarded-isp" } else { "direct" }.into(),
                    place: crate::text::place(&lines, at),
                    rule: wrapping.rule.into(),
                    confidence: 70,
                },
            );
        }

        let (text, prose_lines) = complaint_text(&doc, &lines, st.fields);
        // Line `n` (from 1) of the prose text as evidence places it.
        let prose_place = |n: usize| match n.checked_sub(1).and_then(|k| prose_lines.get(k)) {
            Some(i) => crate::text::place(&lines, *i),
            None => format!("prose line {n}"),
        };
        let own: Vec<&str> = [&complainant, forwarder.as_ref().unwrap_or(&complainant)]
            .iter()
            .filter_map(|p| p.address.as_deref().and_then(|a| a.rsplit_once('@')).map(|(_, d)| d))
            .collect();
        let urls = self.urls.read(&text.prose, &reported_ips, &own);
        evidence.extend(urls.iter().map(|(u, line)| Evidence {
            fact: "reported_url".into(),
            value: u.clone(),
            place: prose_place(*line),
            rule: "location beside the accused address, after a label, or defanged".into(),
            confidence: 70,
        }));
        // A day without a time, only when no event has a time.
        let timed = events.iter().any(|e| e.time_utc.is_some() || e.time_local.is_some());
        let incident_date = (!timed).then(|| self.dates.read(&text.prose, &reported_ips)).flatten();
        if let Some((d, line)) = &incident_date {
            evidence.push(Evidence {
                fact: "incident_date".into(),
                value: d.to_string(),
                place: prose_place(*line),
                rule: "a date without a time on a line about the incident".into(),
                confidence: 60,
            });
        }
        // The networks the complaint attributes the accused addresses to,
        // and the other organisations' abuse desks it went to at once.
        let networks = crate::networks::read(&self.ips, &lines, &reported_ips);
        evidence.extend(networks.iter().map(|f| {
            let label = exitdesk_model::group_networks(std::slice::from_ref(&f.claim)).first().map(|n| n.label());
            Evidence {
                fact: "network".into(),
                value: format!("{}: {}", f.claim.ip, label.unwrap_or_default()),
                place: crate::text::place(&lines, f.line),
                rule: f.rule.into(),
                confidence: 75,
            }
        }));
        let mut senders = own_domains(&doc);
        if let Some(d) = domain_of(doc.reply_to.as_ref().and_then(|a| a.address.as_deref())) {
            let d = received::registrable(&d);
            if !senders.contains(&d) {
                senders.push(d);
            }
        }
        let (abuse_desks, desks_at) = crate::networks::abuse_desks(&doc.recipients, &lines, &senders);
        if !abuse_desks.is_empty() {
            evidence.push(Evidence {
                fact: "abuse_desks".into(),
                value: abuse_desks.join(", "),
                place: desks_at.map_or_else(|| "headers (To, Cc)".to_string(), |at| crate::text::place(&lines, at)),
                rule: "abuse-type mailboxes of several organisations among the recipients".into(),
                confidence: 80,
            });
        }
        Complaint {
            networks: networks.into_iter().map(|f| f.claim).collect(),
            abuse_desks,
            address_roles: crate::address_roles::read(&self.ips, &lines, sent_by, &reported_ips),
            identical_rows: crate::rows::identical(&self.ips, &lines, &reported_ips),
            delivered_to: crate::address_roles::receiver(sent_by, &reported_ips),
            delivery,
            incident_date: incident_date.map(|(d, _)| d.to_string()),
            target_ips: roles.targets(&reported_ips, 20),
            named_ips: Vec::new(),
            reported_urls: urls.into_iter().map(|(u, _)| u).collect(),
            requests: self.requests.read(&text.prose),
            source: source.to_string(),
            format,
            language,
            ticket_id,
            other_ids,
            reported_ips,
            dest_ports,
            reported_ports,
            events,
            complainant,
            forwarder,
            no_reply_needed: self.fields.no_reply(doc.subject.as_deref(), &lines, inner_from),
            subject: doc.subject.clone(),
            message_id: doc.message_id.clone(),
            exitdesk_header: doc.exitdesk_header.clone(),
            references: doc.references.clone(),
            date: doc.date,
            problems,
            evidence,
            auto_response: auto,
            web_server: web_server(&lines),
            trap: doc.trap.as_ref().map(|t| t.name.to_string()),
            text,
        }
    }

    /// Incident times: report fields, else the lines, else the subject; where
    /// each was first read; how many timestamps were left unread on
    /// over-full lines; and problems (times before 2000 ignored, the text
    /// and the Received chain disagreeing).
    fn events(
        &self,
        doc: &Doc,
        (lines, tables, mentions): (&[Line], &[Option<TableHeader>], &[Vec<Mention>]),
        st: &Structured,
        (reference, spam): (Option<Date>, &[received::Pick]),
        reported_ips: &[IpAddr],
        day_first: bool,
    ) -> (Vec<exitdesk_model::Event>, Vec<At>, usize, Vec<String>) {
        let (mut raw_events, unread) = if st.events.is_empty() {
            events::find(&events::Context {
                times: &self.times,
                ips: &self.ips,
                pats: &self.events,
                lines,
                tables,
                mentions,
                reference,
                offenders: &reported_ips.iter().copied().collect(),
                day_first,
            })
        } else {
            (st.events.clone(), 0)
        };
        // Pasted posts of a group or news server: the post's date.
        if raw_events.is_empty() {
            raw_events = crate::posting::times(&self.times, &self.ips, lines, reported_ips, reference);
        }
        // The date of the Received hop where the accused address handed the
        // spam over is the incident time: a server wrote it, with its offset.
        let hop_events: Vec<RawEvent> = spam
            .iter()
            .filter_map(|p| Some(RawEvent::from_found(p.hop.time.as_ref()?, p.hop.ip, At::Line(p.hop.line))))
            .collect();
        let mut notes = Vec::new();
        // Placeholder rows (the Unix epoch, a zeroed date) are no incident:
        // Tor, and abuse reports about its exits, began in the 2000s.
        let before = raw_events.len();
        raw_events.retain(|e| e.dt.year() >= 2000);
        if raw_events.len() < before {
            notes.push(format!(
                "{} time(s) before the year 2000 ignored (placeholders such as the Unix epoch)",
                before - raw_events.len()
            ));
        }
        if !hop_events.is_empty() {
            let at = |e: &RawEvent| e.zone.as_ref().and_then(|z| z.to_utc(e.dt));
            let hops: Vec<jiff::Timestamp> = hop_events.iter().filter_map(at).collect();
            let far = |t: &jiff::Timestamp| hops.iter().all(|h| (t.as_second() - h.as_second()).abs() > 120);
            if let Some(t) = raw_events.iter().filter_map(at).find(far) {
                notes.push(format!(
                    "the text gives the incident time {} but the Received header of the enclosed mail dates the \
                     accused address's hop {}; the header's time was used: check the incident time",
                    exitdesk_model::format_utc(t),
                    hops.first().map(|h| exitdesk_model::format_utc(*h)).unwrap_or_default()
                ));
            }
            raw_events = hop_events;
        }
        // A trap capture: the date of the trap's own hop from the accused
        // address (its server wrote it, with its offset).
        if raw_events.is_empty() {
            if let Some(t) = doc.trap.as_ref().filter(|t| t.ip.is_some()) {
                let hop = t.hop.as_deref().map(|v| received::Hop::parse(&self.ips, Some((&self.times, reference)), v));
                if let Some(f) = hop.and_then(|h| h.time) {
                    raw_events.push(RawEvent::from_found(&f, t.ip, At::Header("Received")));
                }
            }
        }
        if raw_events.is_empty() {
            // Last resort: an incident time written only in the subject.
            if let Some(subject) = doc.subject.as_deref().filter(|s| !self.events.is_meta(s)) {
                raw_events = self
                    .times
                    .find(subject, reference)
                    .iter()
                    .map(|f| RawEvent::from_found(f, None, At::Subject))
                    .collect();
            }
        }
        // "09:59:57 CET" and "09:59:57 CET +0000" in one report are one time
        // written twice: the numeric offset is the more specific statement.
        let with_offset: Vec<(jiff::civil::DateTime, String)> = raw_events
            .iter()
            .filter_map(|e| {
                let label = e.zone.as_ref()?.label();
                let (word, _) = label.split_once(' ')?;
                time::abbreviation_conflict(label).map(|_| (e.dt, word.to_string()))
            })
            .collect();
        if !with_offset.is_empty() {
            raw_events.retain(|e| {
                !e.zone.as_ref().is_some_and(|z| with_offset.iter().any(|(dt, w)| *dt == e.dt && z.label() == w))
            });
        }
        let all: Vec<(exitdesk_model::Event, At)> = raw_events
            .into_iter()
            .map(|mut ev| {
                if ev.ip.is_none() && reported_ips.len() == 1 {
                    ev.ip = Some(reported_ips[0]);
                }
                let at = ev.at;
                (ev.into_event(), at)
            })
            .collect();
        // The first place an event was read is its evidence; repeats go.
        let mut kept = unique_by(all, |(e, _)| e);
        kept.sort_by_key(|(e, _)| (e.time_utc, e.time_local));
        let (events, places) = kept.into_iter().unzip();
        (events, places, unread, notes)
    }

    /// Victim-side ports, each with where it was first read: from the events,
    /// report fields and prose statements; the reported host's own ports are
    /// kept apart.
    fn dest_ports(
        &self,
        lines: &[Line],
        st: &Structured,
        (events, places): (&[exitdesk_model::Event], &[At]),
        reported_ports: &[u16],
        offenders: &[IpAddr],
    ) -> Vec<(u16, At)> {
        let stated = lines.iter().enumerate().filter(|(_, l)| l.region == Region::Prose).flat_map(|(i, l)| {
            // A port written right after an accused address is its own.
            let own = crate::ports::accused_own(&self.ips, &l.text, offenders);
            let said = self.events.stated_ports(&l.text).into_iter().filter(move |p| !own.contains(p));
            said.chain(self.events.tcpdump_ports(&l.text, offenders)).map(move |p| (p, At::Line(i)))
        });
        let prose = self.ports.read(&self.ips, lines, offenders).into_iter().map(|(p, i)| (p, At::Line(i)));
        let from_events = events.iter().zip(places).filter_map(|(e, at)| Some((e.dest_port?, *at)));
        let mut out: Vec<(u16, At)> = Vec::new();
        for (p, at) in from_events.chain(st.dest_ports.iter().copied()).chain(stated).chain(prose) {
            if !out.iter().any(|(q, _)| *q == p) {
                out.push((p, at));
            }
        }
        out.retain(|(p, _)| !reported_ports.contains(p) || events.iter().any(|e| e.dest_port == Some(*p)));
        out
    }

    /// The outer shape: a wrapper wins over whatever it wraps.
    fn format(&self, doc: &Doc, lines: &[Line], st: &Structured, forwarded: bool) -> Format {
        if forwarded {
            Format::ForwardedIsp
        } else if st.xarf {
            Format::Xarf
        } else if doc.feedback_report {
            Format::Arf
        } else if st.acns {
            Format::Acns
        } else if self.fields.web_form(lines) || self.attachment_report(doc, lines) || Self::inline_xml(doc, lines) {
            Format::Other
        } else {
            Format::Plain
        }
    }

    /// Who complained, and who forwarded the complaint (for forwarded mail).
    fn parties(&self, doc: &Doc, lines: &[Line], st: &Structured, inner_from: Option<usize>) -> (Party, Option<Party>) {
        let from = doc.original_from.clone().or_else(|| doc.from.clone()).unwrap_or_default();
        let name = from.name.as_deref().map(|n| self.fields.clean_name(n)).filter(|n| !n.is_empty());
        let reply_to =
            doc.reply_to.as_ref().and_then(|r| r.address.clone()).filter(|r| Some(r) != from.address.as_ref());
        let organisation = |address: Option<&str>| {
            st.reporter_org.clone().or_else(|| st.acns_complainant.clone()).or_else(|| domain_of(address))
        };
        let Some(start) = inner_from else {
            let address = from.address.clone().or_else(|| st.reporter_email.clone());
            let complainant = Party { name, organisation: organisation(address.as_deref()), address, reply_to };
            return (complainant, None);
        };
        let inner = self.fields.inner_reporter(lines, start).unwrap_or_default();
        let address = inner.address.clone().or_else(|| st.reporter_email.clone()).or_else(|| st.acns_email.clone());
        let complainant = Party {
            name: inner.name.clone().or_else(|| st.acns_complainant.clone()),
            organisation: organisation(address.as_deref()),
            address,
            reply_to: None,
        };
        let forwarder =
            Party { name, organisation: domain_of(from.address.as_deref()), address: from.address.clone(), reply_to };
        (complainant, Some(forwarder))
    }

    /// What a human should know: missing or masked addresses, invalid ones,
    /// missing times or zones, plus the MIME walk's own problems.
    fn problems(
        &self,
        doc: &Doc,
        lines: &[Line],
        reported_ips: &[IpAddr],
        events: &[exitdesk_model::Event],
    ) -> Vec<String> {
        let mut problems = doc.problems.clone();
        for a in &doc.unread_attachments {
            problems.push(format!("attachment {a} was not read: it may list more addresses or times"));
        }
        if reported_ips.is_empty() {
            let masked = self.masked_offenders(lines, doc.subject.as_deref());
            if masked.is_empty() {
                problems.push("no offending IP address found".into());
            } else {
                problems.push(format!(
                    "the offending address is masked in the complaint ({}); no address to check",
                    masked.join(", ")
                ));
            }
        }
        if !reported_ips.is_empty() {
            // Masked addresses beside readable ones: say which could not be checked.
            let masked = self.masked_offenders(lines, doc.subject.as_deref());
            for m in masked.iter().take(5) {
                problems.push(format!("{m} is masked in the complaint (not a full address); ignored"));
            }
        }
        // An accused address written as a network (`192.0.2.0/24`): no single
        // host is named, unless the same address is also written alone
        // ("203.0.113.160, part of the subnet 203.0.113.160/28").
        let mut bare = Vec::new();
        let networks = unique(lines.iter().filter(|l| l.region == Region::Prose).flat_map(|l| {
            let mut nets = Vec::new();
            for m in self.ips.mentions(&l.text).into_iter().filter(|m| reported_ips.contains(&m.ip)) {
                match network_prefix(&l.text[m.end..], m.ip) {
                    Some(p) => nets.push((m.ip, format!("{}/{p}", m.ip))),
                    None => bare.push(m.ip),
                }
            }
            nets
        }));
        let networks: Vec<String> = networks.into_iter().filter(|(ip, _)| !bare.contains(ip)).map(|(_, n)| n).collect();
        for n in networks.iter().take(3) {
            problems.push(format!(
                "the accused address is written as a network ({n}): the complaint names no single host; check which is meant"
            ));
        }
        let invalid =
            unique(lines.iter().filter(|l| l.region == Region::Prose).flat_map(|l| self.ips.five_octets(&l.text)));
        for bad in invalid.iter().take(5) {
            problems.push(format!("{bad} is not a valid IP address (five numbers); ignored"));
        }
        if invalid.len() > 5 {
            problems.push(format!("{} more invalid addresses (five numbers) ignored", invalid.len() - 5));
        }
        if events.is_empty() {
            problems.push("no incident time (date and time of day) is stated".into());
        } else {
            let conflicts = unique(
                events.iter().filter_map(|e| e.zone.as_deref()).filter(|z| time::abbreviation_conflict(z).is_some()),
            );
            for z in conflicts.iter().take(3) {
                problems.push(format!(
                    "the time zone is written two ways that disagree ({z}); the numeric offset was used: check the incident time"
                ));
            }
            let summer = unique(events.iter().filter_map(|e| {
                let z = e.zone.as_deref()?;
                time::standard_name_in_summer(z, e.time_utc?).map(|dst| (z.to_string(), dst))
            }));
            for (z, dst) in summer.iter().take(2) {
                problems.push(format!(
                    "times are given in {z} for a date when {dst} is in force: if the local clock was meant, \
                     they are an hour earlier in UTC; check the incident time"
                ));
            }
            // An incident after the message was sent: a misread zone, day
            // and month swapped, or a date that is not the incident's.
            if let Some(sent) = doc.date {
                let slack = |hours: i64| jiff::SignedDuration::from_hours(hours);
                let late = events.iter().find(|e| match (e.time_utc, e.time_local) {
                    (Some(t), _) => t.duration_since(sent) > slack(1),
                    // A wall clock may be up to 14 hours ahead of UTC.
                    (None, Some(l)) => TimeZone::UTC.to_timestamp(l).is_ok_and(|t| t.duration_since(sent) > slack(15)),
                    (None, None) => false,
                });
                if let Some(e) = late {
                    let when = match (e.time_utc, e.time_local) {
                        (Some(t), _) => exitdesk_model::format_utc(t),
                        (None, Some(l)) => exitdesk_model::format_local(l),
                        (None, None) => String::new(),
                    };
                    problems.push(format!(
                        "the incident time {when} is later than the message's Date: header ({}): the date, its \
                         day-month order or the zone may be misread; check the incident time",
                        exitdesk_model::format_utc(sent)
                    ));
                }
            }
            let unknown = events.iter().filter(|e| e.zone_source == ZoneSource::Unknown).count();
            if unknown > 0 {
                problems.push(format!(
                    "time zone not stated for {unknown} incident time(s); kept as written (wall clock), not converted to UTC"
                ));
            }
        }
        problems
    }

    /// Reads X-ARF, XARF v4, ACNS and ARF fields from every part.
    fn structured(&self, doc: &Doc, lines: &[Line], reference: Option<Date>) -> Structured {
        let mut st = Structured::default();
        let add_ip = |st: &mut Structured, s: &str| {
            if let Some(m) = self.ips.mentions(s.trim()).first() {
                if !st.ips.contains(&m.ip) {
                    st.ips.push(m.ip);
                }
                Some(m.ip)
            } else {
                None
            }
        };
        let times = |s: &str| self.times.find(s, reference);
        let events_at = |text: &str, ip: Option<IpAddr>, idx: usize| -> Vec<RawEvent> {
            self.times.find(text, reference).iter().map(|f| RawEvent::from_found(f, ip, At::Part(idx))).collect()
        };
        for (idx, part) in doc.parts.iter().enumerate() {
            if part.nested > 0 {
                continue;
            }
            let t = part.text.as_str();
            if t.contains("Source:") || t.contains("source:") {
                if let Some(y) = XarfYaml::parse(t) {
                    st.xarf |= y.is_versioned() || doc.x_arf;
                    let source_is_ip = y.get("source-type").is_none_or(|k| k.to_ascii_lowercase().starts_with("ip"));
                    let ip = if source_is_ip { y.get("source").and_then(|s| add_ip(&mut st, s)) } else { None };
                    if let Some(d) = y.get("date") {
                        st.events.extend(events_at(d, ip, idx));
                    }
                    if let Some(p) =
                        y.get("port").or_else(|| y.get("ports")).and_then(|p| p.split([',', ' ']).next()?.parse().ok())
                    {
                        // In a login-attack report the port is the attacked
                        // service's (X-ARF's login-attack schema pairs it with
                        // `Service`: the port the logins were tried on), so a
                        // destination port; elsewhere it may be the source's.
                        let login = y
                            .get("report-type")
                            .is_some_and(|k| k.to_ascii_lowercase().replace('_', "-") == "login-attack");
                        if login {
                            st.dest_ports.push((p, At::Part(idx)));
                        } else {
                            st.reported_ports.push(p);
                        }
                    }
                    if let Some(id) = y.get("report-id") {
                        st.ids.push(id.to_string());
                    }
                    for key in ["category", "report-type", "service", "source-type"] {
                        if let Some(v) = y.get(key) {
                            st.fields.push((format!("xarf.{key}"), v.trim().to_ascii_lowercase()));
                        }
                    }
                    if st.reporter_email.is_none() {
                        st.reporter_email = y.get("reported-from").map(str::to_string);
                    }
                }
            }
            if t.trim_start().starts_with('{') {
                if let Some(j) = XarfJson::parse(t) {
                    st.xarf = true;
                    let ip = j.source_ip.as_deref().and_then(|s| add_ip(&mut st, s));
                    for d in j.date.iter().chain(j.sample_times.iter()) {
                        st.events.extend(events_at(d, ip, idx));
                    }
                    if let Some(p) = j.dest_port {
                        st.dest_ports.push((p, At::Part(idx)));
                    }
                    if let Some(id) = j.report_id {
                        st.ids.push(id);
                    }
                    for (key, v) in [
                        ("xarf4.category", &j.category),
                        ("xarf4.type", &j.kind),
                        ("xarf.service", &j.service),
                        ("xarf4.class", &j.class),
                    ] {
                        if let Some(v) = v {
                            st.fields.push((key.to_string(), v.trim().to_ascii_lowercase()));
                        }
                    }
                    st.reporter_org = st.reporter_org.take().or(j.reporter_org);
                    st.reporter_email = st.reporter_email.take().or(j.reporter_email);
                }
            }
            if t.contains("<Infringement") || t.contains("Infringer") {
                let acns = Acns::from_xml(t).or_else(|| Acns::from_text(t));
                if let Some(a) = acns {
                    st.acns |= a.from_xml;
                    let ip = a.ip.as_deref().and_then(|s| add_ip(&mut st, s));
                    // The XML's time, and the text fields' first and last
                    // seen (a notice carries both forms).
                    let text_form = if a.from_xml { Acns::from_text(t) } else { None };
                    let stamps = [&a.timestamp, &a.recent]
                        .into_iter()
                        .chain(text_form.as_ref().map(|x| [&x.timestamp, &x.recent]).into_iter().flatten())
                        .flatten();
                    let mut seen: Vec<&String> = Vec::new();
                    for ts in stamps {
                        if !seen.contains(&ts) {
                            seen.push(ts);
                            st.events.extend(events_at(ts, ip, idx));
                        }
                    }
                    if let Some(p) = a.port {
                        st.reported_ports.push(p);
                    }
                    if let Some(id) = a.case_id {
                        st.ids.push(id);
                    }
                    st.fields.push(("acns.notice".into(), if a.from_xml { "xml" } else { "text" }.into()));
                    if let Some(p) = &a.protocol {
                        st.fields.push(("acns.protocol".into(), p.trim().to_ascii_lowercase()));
                    }
                    st.acns_complainant = st.acns_complainant.take().or(a.complainant);
                    st.acns_email = st.acns_email.take().or(a.complainant_email);
                }
            }
        }
        st.xarf |= doc.x_arf && !st.ips.is_empty();
        // ARF: the feedback-report fields, or Source-IP lines pasted in the body.
        let mut arf_time = None;
        for (i, l) in lines.iter().enumerate().filter(|(_, l)| l.region == Region::Header) {
            let Some(key) = header_key(l.text.trim_start()) else {
                continue;
            };
            let value = l.text.split_once(':').map_or("", |(_, v)| v);
            match key.as_str() {
                "source-ip" => {
                    add_ip(&mut st, value);
                }
                "feedback-type" => {
                    let v: String =
                        value.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                    if !v.is_empty() && st.fields.iter().all(|(k, _)| k != "arf.feedback-type") {
                        st.fields.push(("arf.feedback-type".into(), v.to_ascii_lowercase()));
                    }
                }
                "arrival-date" | "received-date" if doc.feedback_report && arf_time.is_none() => {
                    arf_time = times(value).into_iter().next().map(|f| (f, i));
                }
                _ => {}
            }
        }
        if doc.feedback_report {
            if st.ips.is_empty() {
                if let Some(ip) = self.arf_sender(doc, lines, reference) {
                    st.ips.push(ip);
                }
            }
            let ip = st.ips.first().copied();
            if arf_time.is_none() {
                // The human-readable part states when the message arrived.
                arf_time = lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| {
                        l.region == Region::Prose
                            && doc.parts.get(l.part).is_some_and(|p| p.kind == PartKind::Body && p.nested == 0)
                    })
                    .find_map(|(i, l)| Some((times(&l.text).into_iter().next()?, i)));
            }
            if let Some((f, i)) = arf_time {
                st.events.push(RawEvent::from_found(&f, ip, At::Line(i)));
            }
        }
        st
    }

    /// A data report: a short body beside a CSV, XML or JSON attachment
    /// (known by its type, its name, a compressed file's inner name such as
    /// `x.csv.zip`, or CSV content under any name), the body naming no
    /// address itself.
    fn attachment_report(&self, doc: &Doc, lines: &[Line]) -> bool {
        let data_name = |f: &str| {
            let f = f.to_ascii_lowercase();
            [".csv", ".xml", ".json"].iter().any(|e| f.ends_with(e) || f.contains(&format!("{e}.")))
        };
        let has_data = doc.parts.iter().any(|p| {
            p.kind == PartKind::Attachment
                && p.nested == 0
                && (p.mime.contains("csv")
                    || p.mime.contains("xml")
                    || p.mime.contains("json")
                    || p.filename.as_deref().is_some_and(data_name)
                    || looks_like_csv(&p.text))
                && p.text.lines().count() >= 2
        }) || doc.unread_attachments.iter().any(|a| data_name(a));
        if !has_data {
            return false;
        }
        let own = |l: &&Line| {
            l.region == Region::Prose
                && doc.parts.get(l.part).is_some_and(|p| p.kind == PartKind::Body && p.nested == 0)
        };
        let words: usize = lines.iter().filter(own).map(|l| l.text.split_whitespace().count()).sum();
        // A body that names the accused itself is the report, whatever is attached.
        let names_address = lines.iter().filter(own).any(|l| !self.ips.mentions(&l.text).is_empty());
        words < 90 && !names_address
    }

    /// An XML document written into the body (`<?xml …?>` then its root
    /// element), that no known format claimed: an XML-only report. (An XML
    /// file attached is `attachment_report`'s.)
    fn inline_xml(doc: &Doc, lines: &[Line]) -> bool {
        let mut text = lines
            .iter()
            .filter(|l| {
                l.region == Region::Prose
                    && doc.parts.get(l.part).is_some_and(|p| p.kind == PartKind::Body && p.nested == 0)
            })
            .map(|l| l.text.trim())
            .filter(|t| !t.is_empty());
        while let Some(t) = text.next() {
            if t.starts_with("<?xml") {
                let root = text.next().unwrap_or("").to_ascii_lowercase();
                let element = root.starts_with('<') && root[1..].starts_with(|c: char| c.is_ascii_alphabetic());
                if element && !root.starts_with("<html") && text.by_ref().take(3).count() == 3 {
                    return true;
                }
            }
        }
        false
    }

    /// The subject or the sender's own text (not an enclosed message) calls
    /// the matter spam, phishing, junk or unsolicited mail.
    fn about_spam(&self, doc: &Doc, lines: &[Line]) -> bool {
        doc.subject.as_deref().is_some_and(|s| self.spam_words.is_match(crate::bounds::head(s, 1024)))
            || lines.iter().any(|l| {
                l.region == Region::Prose
                    && doc.parts.get(l.part).is_some_and(|p| p.nested == 0)
                    && self.spam_words.is_match(&l.text)
            })
    }

    /// ARF without `Source-IP`: the sender the `Received:` chain of the
    /// enclosed message names (its earliest public hop when every hop looks
    /// like the reporter's own).
    fn arf_sender(&self, doc: &Doc, lines: &[Line], reference: Option<Date>) -> Option<IpAddr> {
        let first_part = lines
            .iter()
            .find(|l| doc.parts.get(l.part).is_some_and(|p| p.kind == PartKind::Headers))
            .map(|l| l.part)?;
        let chains = received::chains(&self.ips, &self.times, lines, reference, false);
        let chain = chains.iter().find(|c| c.first().is_some_and(|h| h.part == first_part))?;
        let s = received::sender(chain, &own_domains(doc), true)?;
        chain[s.origin].ip
    }

    fn masked_offenders(&self, lines: &[Line], subject: Option<&str>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let texts =
            subject.into_iter().chain(lines.iter().filter(|l| l.region == Region::Prose).map(|l| l.text.as_str()));
        for t in texts {
            for (s, e) in self.ips.masked(t) {
                let before = t[..s].to_ascii_lowercase();
                let victimish = before.ends_with("to ")
                    || before.contains(" > ")
                    || before.contains("against")
                    || before.contains("abused_proxy");
                if !victimish {
                    out.push(t[s..e].to_string());
                }
            }
        }
        let mut out = unique(out);
        out.truncate(10);
        out
    }
}

/// Raw bytes that are no mail: many control bytes (NUL and the like) in the
/// first 64 KiB. Base64 and 8-bit text have none.
fn looks_binary(raw: &[u8]) -> bool {
    let sample = &raw[..raw.len().min(64 * 1024)];
    let control = sample.iter().filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)).count();
    !sample.is_empty() && control * 20 > sample.len()
}

/// An out-of-office answer, ticket acknowledgement or bounce (RFC 3834, RFC 3464).
/// The prefix length written right after an address (`/24`), when it makes
/// the address a network rather than one host (shorter than /32 or /128).
fn network_prefix(rest: &str, ip: IpAddr) -> Option<u8> {
    let digits: String = rest.strip_prefix('/')?.chars().take_while(char::is_ascii_digit).collect();
    let p: u8 = digits.parse().ok()?;
    let host = if ip.is_ipv4() { 32 } else { 128 };
    (p < host).then_some(p)
}

/// Subjects of automatic replies.
const AUTO_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto-reply",
    "autoreply",
    "auto reply",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "respuesta automática",
];

fn auto_response(doc: &Doc) -> Option<AutoResponse> {
    let from = doc.from.as_ref().and_then(|a| a.address.as_deref()).unwrap_or("").to_ascii_lowercase();
    let subject = doc.subject.as_deref().unwrap_or("").to_lowercase();
    const BOUNCE_SUBJECTS: &[&str] = &[
        "undeliverable",
        "undelivered mail",
        "delivery status notification",
        "mail delivery failed",
        "returned mail",
        "delivery failure",
        "unzustellbar",
    ];
    let mailer_daemon = from.starts_with("mailer-daemon@") || from.starts_with("postmaster@");
    if doc.delivery_status || (mailer_daemon && BOUNCE_SUBJECTS.iter().any(|b| subject.contains(b))) {
        return Some(AutoResponse::Bounce);
    }
    let auto_replied = doc.auto_submitted.as_deref().is_some_and(|a| a.starts_with("auto-replied"));
    if auto_replied || doc.autoreply_header || AUTO_SUBJECTS.iter().any(|a| subject.starts_with(a)) {
        return Some(AutoResponse::AutoReply);
    }
    None
}

/// The web host that handed over spam sent through a mail form or webmail:
/// named by PHP's `X-PHP-Script`, cPanel's `X-AntiAbuse`/`X-Get-Message-Sender-Via`,
/// or, when the spam was written by web software, the host that submitted it
/// locally (`Received: by host (… from userid …)`) or else its earliest public hop.
fn web_server(lines: &[Line]) -> Option<String> {
    let mut web_made = false;
    let mut local_submit: Option<String> = None;
    let mut earliest_public: Option<String> = None;
    let clean = |h: &str| -> Option<String> {
        let h: String = h
            .trim()
            .trim_matches(|c| c == '(' || c == ')' || c == '[' || c == ']')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            .collect();
        (h.contains('.') && h.len() <= 253 && !h.ends_with('.')).then_some(h.to_ascii_lowercase())
    };
    for l in lines.iter().filter(|l| matches!(l.region, Region::Header | Region::Sample)) {
        let t = l.text.trim_start();
        let key = header_key(t);
        let value = t.split_once(':').map_or("", |(_, v)| v).trim();
        match key.as_deref() {
            Some("x-php-script") => return clean(value.split('/').next().unwrap_or("")),
            Some("x-antiabuse") if value.to_ascii_lowercase().starts_with("primary hostname") => {
                return clean(value.rsplit('-').next().unwrap_or(""));
            }
            Some("x-get-message-sender-via") | Some("x-authenticated-sender") => {
                return clean(value.split(':').next().unwrap_or(""));
            }
            Some("x-php-originating-script") => web_made = true,
            Some("x-mailer") | Some("user-agent") => {
                let v = value.to_ascii_lowercase();
                if ["phpmailer", "roundcube", "squirrelmail", "horde", "php/", "wordpress", "rainloop", "webmail"]
                    .iter()
                    .any(|w| v.contains(w))
                {
                    web_made = true;
                }
            }
            Some("received") => {
                let v = value.to_ascii_lowercase();
                if let Some(rest) = v.strip_prefix("by ").filter(|r| r.contains("from userid")) {
                    // Submitted on the host itself by a local (web server) user.
                    local_submit = local_submit.or_else(|| rest.split_whitespace().next().and_then(clean));
                } else if let Some(rest) = v.strip_prefix("from ") {
                    let host = rest.split_whitespace().next().and_then(clean);
                    let internal = host.as_deref().is_none_or(|h| {
                        h.starts_with("localhost")
                            || h.ends_with(".internal")
                            || h.ends_with(".local")
                            || h.ends_with(".lan")
                    }) || rest.contains("[127.")
                        || rest.contains("[10.")
                        || rest.contains("[192.168.");
                    if !internal {
                        // Headers list hops newest first: the last public one is the origin.
                        earliest_public = host;
                    }
                }
            }
            _ => {}
        }
    }
    if web_made { local_submit.or(earliest_public) } else { None }
}

/// The text regions handed to the classifier, bounded; and for each line of
/// the prose text, the index of the message line it is.
fn complaint_text(doc: &Doc, lines: &[Line], fields: Vec<(String, String)>) -> (ComplaintText, Vec<usize>) {
    let mut text = ComplaintText { fields, ..ComplaintText::default() };
    let mut prose_lines = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let (buf, cap) = match l.region {
            Region::Prose => (&mut text.prose, PROSE_CAP),
            Region::Header => (&mut text.headers, HEADERS_CAP),
            Region::Sample => (&mut text.sample, SAMPLE_CAP),
            Region::Whois | Region::Pgp => continue,
        };
        if buf.len() + l.text.len() < cap {
            buf.push_str(&l.text);
            buf.push('\n');
            if l.region == Region::Prose {
                prose_lines.push(i);
            }
        }
    }
    text.attachments = doc.parts.iter().filter_map(|p| p.filename.clone()).take(100).collect();
    (text, prose_lines)
}

/// A port and where it was first read.
type PortAt = (u16, At);

/// Where the main facts came from (`Complaint::evidence`): the ticket id,
/// each accused address (at most 50), each distinct incident time's zone
/// source (at most 20) and each destination port, each with the line (or
/// report part) that held it.
fn evidence(
    (ticket, how): (Option<&str>, Option<crate::fields::TicketEvidence>),
    (reported, roles, structured): (&[IpAddr], &Roles, &[IpAddr]),
    (events, places, spam): (&[exitdesk_model::Event], &[At], &[received::Pick]),
    (ports, report_ports): (&[PortAt], &[PortAt]),
    lines: &[Line],
) -> Vec<Evidence> {
    let mut out = Vec::new();
    if let (Some(t), Some(h)) = (ticket, how) {
        out.push(Evidence {
            fact: "ticket_id".into(),
            value: t.to_string(),
            place: h.place,
            rule: h.rule.into(),
            confidence: h.confidence,
        });
    }
    let hop_place = |h: &received::Hop| crate::text::place(lines, h.line);
    for ip in reported.iter().take(50) {
        let (place, rule, confidence) = match spam.iter().find(|p| p.accused && p.hop.ip == Some(*ip)) {
            Some(p) if p.handed.is_some() => {
                (hop_place(&p.hop), "authenticated client of the sender in the Received chain of the enclosed mail", 70)
            }
            Some(p) => (
                hop_place(&p.hop),
                "hop that handed the enclosed mail to the recipient (Received chain)",
                if p.others.is_empty() { 70 } else { 50 },
            ),
            None => roles.explain(*ip, structured, lines),
        };
        out.push(Evidence { fact: "reported_ip".into(), value: ip.to_string(), place, rule: rule.into(), confidence });
    }
    let mut seen = std::collections::HashSet::new();
    let mut hop_times = Vec::new();
    for p in spam {
        let Some(f) = &p.hop.time else { continue };
        let value = match f.zone.as_ref().and_then(|z| z.to_utc(f.dt)) {
            Some(t) => exitdesk_model::format_utc(t),
            None => format!("{} (local)", exitdesk_model::format_local(f.dt)),
        };
        let ip = p.hop.ip.map(|ip| ip.to_string()).unwrap_or_default();
        hop_times.push((p.hop.ip, f.dt));
        out.push(Evidence {
            fact: "time".into(),
            value,
            place: hop_place(&p.hop),
            rule: format!("date of the Received hop of {ip} in the enclosed mail"),
            confidence: 85,
        });
    }
    let not_hops = events
        .iter()
        .zip(places)
        .filter(|(e, _)| !hop_times.iter().any(|(ip, dt)| e.ip == *ip && e.time_local == Some(*dt)));
    for (e, at) in not_hops {
        let value = match (e.time_utc, e.time_local) {
            (Some(t), _) => exitdesk_model::format_utc(t),
            (None, Some(l)) => format!("{} (local)", exitdesk_model::format_local(l)),
            (None, None) => continue,
        };
        let zone = e.zone.clone().unwrap_or_default();
        // One entry per zone source and zone: the first time stands for the rest.
        if !seen.insert((e.zone_source, zone.clone())) || out.len() >= 90 {
            continue;
        }
        let (rule, confidence) = match e.zone_source {
            ZoneSource::Inline => (format!("time with its zone on the line ({zone})"), 90),
            ZoneSource::Table => (format!("time in a table whose header names the zone ({zone})"), 85),
            ZoneSource::Prose => (format!("time; zone from a sentence of the message ({zone})"), 75),
            ZoneSource::Unknown => ("time without a stated zone (wall clock)".to_string(), 40),
        };
        out.push(Evidence { fact: "time".into(), value, place: at.describe(lines), rule, confidence });
    }
    for (p, at) in ports {
        let (rule, confidence) = if report_ports.iter().any(|(q, _)| q == p) {
            ("destination port field of a report", 90)
        } else if events.iter().any(|e| e.dest_port == Some(*p)) {
            ("destination of a flow on an incident line", 80)
        } else {
            ("port stated in the text (or a tcpdump flow)", 70)
        };
        out.push(Evidence {
            fact: "dest_port".into(),
            value: p.to_string(),
            place: at.describe(lines),
            rule: rule.into(),
            confidence,
        });
    }
    out
}

/// The values in first-seen order, without repeats.
fn unique<T: Eq + std::hash::Hash>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    unique_by(values.into_iter().collect(), |v| v)
}

/// The values in first-seen order, without repeats of their `key`.
fn unique_by<T, K: Eq + std::hash::Hash>(all: Vec<T>, key: impl Fn(&T) -> &K) -> Vec<T> {
    // The set holds references: no value is cloned to be remembered.
    let mut seen = std::collections::HashSet::with_capacity(all.len());
    let first: Vec<bool> = all.iter().map(|v| seen.insert(key(v))).collect();
    drop(seen);
    all.into_iter().zip(first).filter_map(|(v, first)| first.then_some(v)).collect()
}

/// The registrable domains of the complainant's mail (`From:` and the
/// original sender of a forward): hosts under them are the recipient's own.
fn own_domains(doc: &Doc) -> Vec<String> {
    let mut out = Vec::new();
    for party in [doc.from.as_ref(), doc.original_from.as_ref()].into_iter().flatten() {
        if let Some(d) = domain_of(party.address.as_deref()) {
            let d = received::registrable(&d);
            if !out.contains(&d) {
                out.push(d);
            }
        }
    }
    out
}

/// CSV content whatever the file is called: its first two lines (a header,
/// possibly commented with `#`, and a row) split into the same number (three
/// or more) of comma- or semicolon-separated fields.
fn looks_like_csv(text: &str) -> bool {
    let mut rows = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(2);
    let (Some(header), Some(row)) = (rows.next(), rows.next()) else { return false };
    [',', ';'].iter().any(|sep| {
        let n = header.matches(*sep).count();
        n >= 2 && row.matches(*sep).count() == n
    })
}

fn domain_of(address: Option<&str>) -> Option<String> {
    address.and_then(|a| a.rsplit_once('@')).map(|(_, d)| d.trim_end_matches('>').to_ascii_lowercase())
}

#[cfg(test)]
mod test {
    use super::*;

    fn facts(raw: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let c = Extractor::new().extract(raw.as_bytes(), "m");
        let ips = c.reported_ips.iter().map(ToString::to_string).collect();
        let times = c.events.iter().filter_map(|e| e.time_utc.map(exitdesk_model::format_utc)).collect();
        (ips, times, c.problems)
    }

    const PASTED: &str = "Received: from mx1.mail.example.org (2001:db8::5)\n by mx2.mail.example.org with SMTP; Tue, 14 Feb 2023 19:18:51 +0000\n\
        Received: from sender.example.net (198.51.100.7) by mx1.eop.example.org (10.1.2.3) with SMTP id 1; Tue, 14 Feb 2023\n 19:18:50 +0000\n\
        Received: by sender.example.net (Postfix, from userid 0) id 7; Tue, 14 Feb 2023 19:10:00 +0000\n\
        Date: Tue, 14 Feb 2023 19:10:00 +0000\nSubject: Buy now\n\nBuy our pills.\n";

    #[test]
    fn the_sender_of_pasted_spam_is_accused() {
        let raw = format!(
            "From: A Person <a@example.com>\nSubject: spam report\nDate: Wed, 15 Feb 2023 08:00:00 +0000\n\n{PASTED}"
        );
        let (ips, times, _) = facts(&raw);
        assert_eq!(ips, ["198.51.100.7"]);
        assert_eq!(times, ["2023-02-14T19:18:50Z"]);
        // A forwarded letter is no spam: its sender is not accused.
        let raw = format!(
            "From: A Person <a@example.com>\nSubject: FW: your invoice\nDate: Wed, 15 Feb 2023 08:00:00 +0000\n\n{PASTED}"
        );
        assert!(facts(&raw).0.is_empty());
    }

    #[test]
    fn the_hop_of_a_named_address_gives_the_time() {
        let raw = format!(
            "From: A Person <a@example.com>\nSubject: FW: more\nDate: Wed, 15 Feb 2023 08:00:00 +0000\n\n\
             Still more junk from 198.51.100.7, logged 2023-02-14 21:18:50 CET.\n\n{PASTED}"
        );
        let (ips, times, problems) = facts(&raw);
        assert_eq!(ips, ["198.51.100.7"]);
        assert_eq!(times, ["2023-02-14T19:18:50Z"]);
        assert!(problems.iter().any(|p| p.contains("Received header")), "{problems:?}");
    }

    #[test]
    fn one_time_written_with_a_name_and_with_a_name_and_offset() {
        let raw = "From: cert@example.org\nSubject: malware\n\nSource: 192.0.2.5\n192.0.2.5 2021-04-09 09:59:57 CET\n\n\
            time,ip\n2021-04-09 09:59:57 CET +0000,192.0.2.5\n";
        let (_, times, problems) = facts(raw);
        assert_eq!(times, ["2021-04-09T09:59:57Z"]);
        assert!(problems.iter().any(|p| p.contains("written two ways")), "{problems:?}");
    }

    #[test]
    fn a_panic_keeps_the_headers() {
        let raw = b"From: Abuse Desk <abuse@example.org>\nSubject: Report 192.0.2.1\nMessage-ID: <1@example.org>\n\
            Date: Mon, 1 Jan 2024 00:00:00 +0000\n\nattack from 192.0.2.1\n";
        let c = Extractor::new().after_panic(raw, "m");
        assert_eq!(c.source, "m");
        assert_eq!(c.complainant.address.as_deref(), Some("abuse@example.org"));
        assert_eq!(c.subject.as_deref(), Some("Report 192.0.2.1"));
        assert_eq!(c.message_id.as_deref(), Some("1@example.org"));
        assert!(c.date.is_some());
        assert!(c.problems[0].contains("internal error") && c.problems[0].contains("only its headers"));
    }
}
