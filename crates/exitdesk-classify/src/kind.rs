//! The kind of answer a complaint needs (DESIGN.md, "Scenarios"): traffic
//! that left the address, content or a service said to be *on* it, a data
//! request from law enforcement, a reminder of an open ticket, or no
//! complaint at all.
//!
//! The scenario says what happened; the kind says what shape the answer
//! takes, and the two are independent: a copyright notice is traffic when
//! it names a BitTorrent peer and hosted when it names a stream or a page;
//! "botnet" is traffic for an infected drone that connected somewhere and
//! hosted for a controller that runs on the address.
//!
//! How it decides, from the most specific evidence down:
//! - **not a complaint**: an automatic answer (RFC 3834, a bounce) that
//!   names no address, a test report, a ticket's closure notice; and, when
//!   no address is accused at all, a newsletter, a subscription
//!   confirmation, a copy of somebody else's support thread or an advance
//!   notice;
//! - **reminder**: the subject or the opening says it is a reminder, a
//!   second or final notice, or that no answer came;
//! - **law enforcement**: a request for records or subscriber data
//!   (a subpoena, an exigent or preservation request, "Auskunftsersuchen");
//! - **hosted** against **traffic**: cues of content or a service on the
//!   address (X-ARF `Source-Type: uri`, XARF v4 `ReportClass: Content`,
//!   copyright notices about links and streams, "is hosting", "phishing
//!   site", "openly reachable", take-down requests) are weighed against
//!   cues of traffic that left it (log lines, flows with destination
//!   ports, P2P and feedback-loop reports, "originating from", "attacked
//!   our server"). Words in the subject and the opening paragraph count
//!   twice: footers, signatures and explanations of possible causes
//!   ("your server may be compromised") sit further down.
//!
//! Every rule rests on a report format or on wording seen from several
//! senders, in the languages the corpus has; the result names the cue that
//! decided it (`Classification::kind_reason`).

use exitdesk_model::{AutoResponse, Complaint, Format, Kind, Label, Scenario, Signal};
use regex::Regex;

use crate::classify::head;

/// The opening: where a complaint says what it is about.
const OPENING: usize = 1_500;

/// How a test report's kind reason starts: a sample of a real report, whose
/// facts stand as the sample's (the caller keeps its accused addresses).
pub const TEST_REPORT_REASON: &str = "a test report";

/// A test report, in the words of several languages.
const TEST_REPORT: &str = r"(?i)\bthis is (only )?a test\b|\btest[ -]?(report|message|notification|mail)\b.{0,80}\b(disregard|ignore)|please (disregard|ignore) this (test|message)|testmeldung|message de test|mensaje de prueba|messaggio di prova";

/// A ticket's closure notice.
const CLOSED: &str = r"(?i)\b(ticket|case|incident|request|report)\b.{0,60}\b(has been|was|is now|is|have been) (closed|resolved)\b|\b(ticket|case|incident)s? (closed|resolved)\b|\b(we|i) (have )?(closed|resolved) (the|this|your) (ticket|case|incident|request)\b|ha cerrado (el|su) (ticket|caso|incidente)|\bcerrado \(|wurde geschlossen|ist (nun )?geschlossen|a été (fermé|clôturé|résolu)|è stato chiuso|is gesloten|\b(ticket|case|zaak|melding|vorgang|fall|dossier|caso|pratica|zgłoszenie|tiket|případ)\b.{0,60}\b(gesloten|geschlossen|fermée?|clôturée?|cerrado|chiuso|zamknięte|uzavřen[aýo]?)\b|\bno (further )?action (is )?(required|needed) (from|on) your (side|part)";

/// Administrative mail that accuses nothing (only when no address is named).
const ADMIN: &str = r"(?i)\bnewsletter\b|\b(monthly|weekly|daily) (digest|bulletin)\b|\bthis (month|week)'s (digest|bulletin)\b|confirm (your|the) subscription|subscription (confirmation|confirmed)|you (are|were) (registered|added|copied) as (a )?cc\b|advance notice of (potential|possible|future)|(monitoring|reputation|status) report for your (network|range|netblock)";

/// An announcement that asks for nothing (whatever addresses it lists).
const NOTICE: &str = r"(?i)\b(planned|scheduled) (maintenance|outage|works?)\b|\bmaintenance (window|notice|announcement|notification)\b|\bno action (is )?(required|needed)\b|\bwartungsarbeiten\b|\bmaintenance (programmée|planifiée)|\bmantenimiento programado";

/// A newsletter's own footer: the reader is told why the mail came (a
/// subscription), anywhere in the sender's prose.
const SUBSCRIBED: &str = r"(?i)\byou (are )?(receive|receiving|received|get|getting) this (newsletter|digest|bulletin|mailing) because you (have )?(subscribed|signed up|registered|opted in)|\bsie erhalten diese?n? newsletter,? weil sie|\bvous recevez cette? (newsletter|lettre d'information) (car|parce que) vous";

/// The subject of an automatic reply (out of office, vacation, "automatic reply").
const AUTO_SUBJECT: &str = r"(?i)^\s*(auto(matic|matische)?[ -]?(reply|response|antwort|answer)|out of (the )?office|abwesenheit|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord|autosvar|vacation|urlaub)\b";

/// A reminder of an open ticket.
const REMINDER: &str = r"(?i)\breminder\b|\b(second|2nd|third|3rd|final) (notice|notification|reminder|request|warning)\b|\blast (notice|notification|reminder|warning)\b|\b(our|this is (a|our)) last request\b|\bwe have not (yet )?(received|had|seen|got) (a|any|your) (reply|response|answer|feedback)|\bno (reply|response|answer) (has been|was|have been) received|\b(still|remains?) (unresolved|unanswered|outstanding)\b|\berinnerung\b|\bmahnung\b|zahlungserinnerung|\brappel\b|\brecordatorio\b|\bsollecito\b|\bherinnering\b|upomínk|напоминани";

/// A request for data from law enforcement.
const DATA_REQUEST: &str = r"(?i)\bsubpoena|\bexigent\b|\bpreservation (request|letter|order)\b|\bpreservation of (data|logs|records|evidence)|\bpreserve (all )?(the )?(logs|data|records)\b|\b(records?|subscriber|customer|account) (information )?(request|disclosure)\b|\brequest(s|ing)? for (the )?(disclosure|subscriber|customer|user|account holder)\b|\bdisclosure of (personal|subscriber|customer|user) (data|information|details)|auskunftsersuchen|bestandsdatenauskunft|réquisition judiciaire|requerimiento (judicial|de información)|richiesta dell'autorità giudiziaria|(?s:\b(provide|disclose|supply|furnish|send us|give us|communicate|inform us of|we (hereby )?request)\b.{0,200}\b(subscriber|account holder|identity of the (user|person|customer|subscriber)|personal data|names?,? (and )?(postal )?address(es)?|(customer|user|subscriber) (information|details|data|records)|the customer to whom|connection (logs|records)|session logs)\b)";

/// Who asks, for a data request without a legal term of art.
const AUTHORITY: &str = r"(?i)\b(police|law enforcement|prosecutor|public prosecution|district attorney|detective|constable|inspector|cyber ?crime (unit|centre|center|division|department)|gendarmerie|polizei|kriminalpolizei|staatsanwaltschaft|landeskriminalamt|policía|guardia civil|fiscal[ií]a|juzgado|comisar[ií]a|diligencias|polizia|carabinieri|procura della|tribunale|politie|openbaar ministerie|gericht|amtsgericht|commissariat|parquet|tribunal|court|magistrate|полици\w*|прокурат\w*)\b";

/// Strong legal terms: a data request on their own.
const LEGAL_TERM: &str = r"(?i)\bsubpoena|\bexigent\b|\bpreservation (request|letter|order)\b|auskunftsersuchen|bestandsdatenauskunft|réquisition judiciaire|requerimiento judicial|richiesta dell'autorità giudiziaria";

/// Content or a service on the address.
const HOSTED: &str = r"(?i)\b(is|are|being|currently|been) (being )?hosted\b|\bhosted (on|at|in|by|within|with|under) (your|the|this|our|that|an?)\b|\b(is|are) hosting\b|\byou are hosting\b|\bhosting (a|an|the)? ?(phishing|fraud|scam|malware|fake|illegal|infringing|copyright)|\byou are (the |a )?host(ing)? provider (of|for)\b|\b(phishing|scam|fraud(ulent)?|fake|counterfeit|malicious|infringing|pirate[d]?|spoofed) (\S+ ){0,3}?(site|page|website|web ?page|web ?shop|online (shop|store)|store|shop|domain|url|content|stream|kit|login page)s?\b|\bsite (de )?(phishing|hameçonnage|contrefaçon)|\bsitio (web )?(de phishing|fraudulento|falso)|betrügerische (webseite|website|seite)|\bhéberg(é|ée|és|ées)\b|\balojad[oa]s?\b|\bgehostet\b|\bspamvertised\b|\bopen (recursive )?(dns )?resolvers?\b|\b(open|publicly accessible|publicly reachable|openly reachable|accessible|exposed|unprotected|misconfigured) (dns|ntp|snmp|ssdp|memcached|ldap|rdp|smb|bgp|mdns|portmap(per)?|redis|elasticsearch|mongodb|cisco smart install|chargen|ipmi|netbios|tftp|vnc|telnet|ftp|mysql|mssql|postgres\w*|exchange|proxy) ?(resolver|service|server|instance|device|port|database)?s?\b|\b(is|are) (publicly|openly) (accessible|reachable)\b|\b(offen|öffentlich) erreichbar|\bvulnerable (service|instance)s?\b|\b(backdoor|web ?shell|implant|malware|skimmer|malicious (code|script|javascript))s? (was |were |has been |have been )?(installed|found|detected|placed|injected|planted|running) (on|in)\b|\bmalware (distribution|download|hosting|url)\b|\b(acting|acts|act|operating|operates|serving|serves|running|runs|actuando|act[uú]a|funciona(ndo)?|agit|agissant|fungiert|arbeitet) (as|como|comme|als) (an? |the |un |una |el |le |ein |eine |einen )?(\S+ ){0,2}?(c&c|c2|command[- ]and[- ]control|botnet controller|mando y control|comando y control|commande et (de )?contr[ôo]le|kontrollserver|steuerungsserver)|\b(take|taking|took) (it |this |the \w+ )?down\b|\btake-?down\b|\b(remove|removing|disable|disabling) (or (disable|remove) )?(access to )?(the|this|these|that) (infringing |illegal |unlawful |offending |fraudulent |phishing )?(material|content|site|page|website|url|stream|files?|links?)s?\b|\bmaking (it )?available\b|\bprovid(es|ing) access to\b|\bstreaming (server|url|link)s?\b|\b(website|web ?site|site|page|url|domain) (located |found )?(at|on) (your|the) (ip|server|network|address)";

/// An IPv4 address literal.
const ADDRESS: &str = r"\b(?:\d{1,3}\.){3}\d{1,3}\b";

/// Just after a hosting cue: it speaks of somewhere else.
const ELSEWHERE: &str = r"(?i)^.{0,12}(elsewhere|abroad|(at|by|with) (an?other|a different|a third[- ]party|an external)|not (on|at|in) your)";

/// Just before an accused address: traffic *from* it ("attacks from 192.0.2.7").
const FROM_ADDRESS: &str =
    r"(?i)\bfrom\s+(the\s+)?((ip|ip address|ip-address|address|host|server|source|source ip)\s+)?$";

/// Just before an accused address: something *on* it ("a phishing page on 192.0.2.7").
const ON_ADDRESS: &str = r"(?i)\b(server|site|page|shop|store|service|resolver|panel|content|stream|url|domain|files?|kit|website|portal|instance|c&c|c2)\b[^.\n]{0,30}\b(on|at|under|auf|sur|en|op)\s+(the\s+)?((ip|ip address|address|host|server)\s+)?$";

/// Traffic that left the address.
const TRAFFIC: &str = r"(?i)\b(coming|came|come|originat\w*|sent|launched|performed|initiated|emanating) from\b|\battack(ed|ing|s)? (on |against )?(our|my|one of our|several of our|the following)\b|\bfrom (your|the|this|that) (ip|address|network|server|host|system|customer)\b|\b(e-?mail|mail|spam|connections?|requests?|packets?|traffic|probes?) (sent )?from\b|\bparticipat\w* in\b|\bscann?(ed|ing) (our|my|the)\b|\b(login|log-in|authentication|intrusion) attempts?\b|\bpeer ?ip\b|\binfringer'?s? ip\b";

/// The compiled rules.
#[derive(Debug, Clone)]
pub(crate) struct KindRules {
    test_report: Regex,
    closed: Regex,
    admin: Regex,
    notice: Regex,
    subscribed: Regex,
    auto_subject: Regex,
    reminder: Regex,
    data_request: Regex,
    authority: Regex,
    legal_term: Regex,
    hosted: Regex,
    traffic: Regex,
    from_address: Regex,
    on_address: Regex,
    elsewhere: Regex,
    address: Regex,
}

/// The decision and the cue behind it.
pub(crate) struct Decided {
    pub(crate) kind: Kind,
    pub(crate) reason: Option<String>,
}

impl KindRules {
    pub(crate) fn new() -> Result<KindRules, regex::Error> {
        Ok(KindRules {
            test_report: Regex::new(TEST_REPORT)?,
            closed: Regex::new(CLOSED)?,
            admin: Regex::new(ADMIN)?,
            notice: Regex::new(NOTICE)?,
            subscribed: Regex::new(SUBSCRIBED)?,
            auto_subject: Regex::new(AUTO_SUBJECT)?,
            reminder: Regex::new(REMINDER)?,
            data_request: Regex::new(DATA_REQUEST)?,
            authority: Regex::new(AUTHORITY)?,
            legal_term: Regex::new(LEGAL_TERM)?,
            hosted: Regex::new(HOSTED)?,
            traffic: Regex::new(TRAFFIC)?,
            from_address: Regex::new(FROM_ADDRESS)?,
            on_address: Regex::new(ON_ADDRESS)?,
            elsewhere: Regex::new(ELSEWHERE)?,
            address: Regex::new(ADDRESS)?,
        })
    }

    /// Decides the kind of `c`, whose prose without boilerplate is `prose`,
    /// from the scenario signals and labels already decided.
    pub(crate) fn decide(&self, c: &Complaint, prose: &str, signals: &[Signal], labels: &[Label]) -> Decided {
        let subject = c.subject.as_deref().unwrap_or("");
        let opening = head(prose, OPENING);
        let front = format!("{subject}\n{opening}");
        let accused = !c.reported_ips.is_empty();
        let decided = |kind: Kind, why: String| Decided { kind, reason: Some(why) };

        match c.auto_response {
            // A delivery report is never a complaint, whatever it quotes.
            Some(AutoResponse::Bounce) => return decided(Kind::NotAComplaint, "a delivery status report".into()),
            // An automatic reply: not a complaint when it accuses nobody or
            // says what it is (an out-of-office). Reporting systems also
            // mark their reports as automatic; those accuse with evidence.
            Some(AutoResponse::AutoReply) if !accused || self.auto_subject.is_match(subject) => {
                return decided(Kind::NotAComplaint, "an automatic reply".into());
            }
            _ => {}
        }
        if let Some(m) = self.test_report.find(&front) {
            return decided(Kind::NotAComplaint, format!("{TEST_REPORT_REASON}: {:?}", shown(m.as_str())));
        }
        // A reminder says so in its subject, whatever its text tells of the
        // old ticket ("… was closed and passed on to the next level").
        if let Some(m) = self.reminder.find(subject) {
            return decided(Kind::Reminder, format!("a reminder: {:?}", shown(m.as_str())));
        }
        if let Some(m) = self.closed.find(&front) {
            return decided(Kind::NotAComplaint, format!("a closure notice: {:?}", shown(m.as_str())));
        }
        if let Some(m) = self.notice.find(&front) {
            return decided(Kind::NotAComplaint, format!("an announcement: {:?}", shown(m.as_str())));
        }
        // A newsletter, whatever addresses it lists (its footer says why it came).
        if c.forwarder.is_none() {
            if let Some(m) = self.subscribed.find(prose) {
                return decided(Kind::NotAComplaint, format!("a newsletter: {:?}", shown(m.as_str())));
            }
        }
        // Administrative mail accuses nothing (a newsletter may list
        // addresses, but with no word that accuses them); a provider
        // forwarding it means a complaint (a helpdesk's "you are copied"
        // wrapper is not the point).
        let uncued = |e: &exitdesk_model::Evidence| e.fact != "reported_ip" || e.confidence <= 40;
        let weakly = accused && c.evidence.iter().any(|e| e.fact == "reported_ip") && c.evidence.iter().all(uncued);
        if (!accused || weakly) && c.forwarder.is_none() {
            if let Some(m) = self.admin.find(&front) {
                return decided(Kind::NotAComplaint, format!("accuses no address: {:?}", shown(m.as_str())));
            }
        }
        if let Some(m) = self.reminder.find(&front) {
            return decided(Kind::Reminder, format!("a reminder: {:?}", shown(m.as_str())));
        }
        let legal = self.legal_term.find(&front).or_else(|| self.legal_term.find(prose));
        let asked = || self.data_request.find(&front).or_else(|| self.data_request.find(prose));
        if let Some(m) = legal.or_else(|| asked().filter(|_| self.authority.is_match(&front))) {
            return decided(Kind::LawEnforcement, format!("a request for data: {:?}", shown(m.as_str())));
        }

        // Hosted against traffic: structured evidence first, then words
        // (twice in the subject and the opening).
        let mut hosted = 0.0;
        let mut hosted_why = None;
        let mut traffic = 0.0;
        let field = |k: &str| c.text.field(k).unwrap_or("");
        let source_type = field("xarf.source-type");
        if source_type.starts_with("uri") || source_type.starts_with("url") {
            hosted += 1.0;
            hosted_why.get_or_insert_with(|| format!("X-ARF Source-Type: {source_type}"));
        } else if source_type.starts_with("ip") {
            traffic += 0.5;
        }
        match field("xarf4.class") {
            "content" => {
                hosted += 1.0;
                hosted_why.get_or_insert_with(|| "XARF ReportClass: Content".to_string());
            }
            "activity" => traffic += 1.0,
            _ => {}
        }
        for l in labels {
            match (l.scenario, l.subkind.as_deref()) {
                (Scenario::Copyright, Some("links" | "streaming")) => {
                    hosted += 0.8;
                    hosted_why.get_or_insert_with(|| format!("a copyright notice about {}", l.id()));
                }
                (Scenario::Copyright, Some("p2p")) => traffic += 1.0,
                // Posts and mail sent from the address: what they advertise
                // ("fake watch shops") is elsewhere, unless the complaint
                // says the advertised site is on the address.
                (Scenario::GoogleGroupsSpam | Scenario::CommentSpam, _) => traffic += 1.0,
                (Scenario::WebmailSpam, _) => traffic += 0.5,
                _ => {}
            }
        }
        for s in signals {
            let strong = s.weight >= 0.8;
            if strong && (s.rule.starts_with("log.") || s.rule == "acns.notice" || s.rule.starts_with("arf.")) {
                traffic += 1.0;
            }
        }
        if c.format == Format::Arf {
            traffic += 1.0;
        }
        if c.events.iter().any(|e| e.dest_port.is_some()) {
            traffic += 0.5;
        }
        // Where the subject or the opening places an accused address: traffic
        // from it, or something on it. The strongest cue of all.
        let (from, on) = self.around_addresses(c, &front);
        if from {
            traffic += 1.0;
        }
        if let Some(on) = on {
            hosted += 1.0;
            hosted_why = Some(format!("{:?}", shown(&on)));
        }
        // A reported location whose host is an accused address literal
        // (`hxxp://192.0.2.7/bins/mips`): something is served from it.
        if let Some(u) = c.reported_urls.iter().find(|u| url_on_accused(u, &c.reported_ips)) {
            hosted += 0.7;
            hosted_why.get_or_insert_with(|| format!("a location on the address: {:?}", shown(u)));
        }
        let mut hosted_words = 0.0;
        for (text, w) in [(front.as_str(), 0.7), (prose, 0.35)] {
            let here = |m: &regex::Match<'_>| {
                !self.elsewhere.is_match(&text[m.end()..]) && !self.other_address_after(c, &text[m.end()..])
            };
            for m in self.hosted.find_iter(text).filter(here).take(4) {
                hosted_words += w;
                hosted_why.get_or_insert_with(|| format!("{:?}", shown(m.as_str())));
            }
        }
        hosted += f64::min(hosted_words, 2.0);
        let mut traffic_words = 0.0;
        for (text, w) in [(front.as_str(), 0.5), (prose, 0.25)] {
            traffic_words += w * self.traffic.find_iter(text).take(4).count() as f64;
        }
        traffic += f64::min(traffic_words, 1.5);
        if hosted >= 0.7 && hosted > traffic {
            return Decided {
                kind: Kind::Hosted,
                reason: hosted_why.map(|w| format!("content or a service on the address: {w}")),
            };
        }
        Decided { kind: Kind::Traffic, reason: None }
    }
}

impl KindRules {
    /// Whether a hosting cue places something on an address that is not
    /// accused: "my blog, hosted on the server 192.0.2.33" speaks of the
    /// complainant's own server (an address literal within 40 characters
    /// after the cue, before the end of the sentence, that is no offender).
    fn other_address_after(&self, c: &Complaint, after: &str) -> bool {
        let near = head(after, 40);
        // The sentence ends at a dot followed by white space (an address's
        // own dots are not followed by any) or a semicolon.
        let end = near.find(". ").or_else(|| near.find(".\n")).or_else(|| near.find(';')).unwrap_or(near.len());
        let near = &near[..end];
        self.address
            .find_iter(near)
            .any(|m| m.as_str().parse::<std::net::IpAddr>().is_ok_and(|ip| !c.reported_ips.contains(&ip)))
    }

    /// Whether `text` names an accused address as the source of traffic
    /// ("from 192.0.2.7"), and the words that place something on one
    /// ("C&C server on 192.0.2.7"), if any.
    fn around_addresses(&self, c: &Complaint, text: &str) -> (bool, Option<String>) {
        let (mut from, mut on) = (false, None);
        for ip in c.reported_ips.iter().take(8) {
            let ip = ip.to_string();
            for (at, _) in text.match_indices(&ip) {
                let after = text[at + ip.len()..].chars().next();
                if after.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == ':')
                    || text[at + ip.len()..].starts_with('.')
                        && text[at + ip.len() + 1..].starts_with(|ch: char| ch.is_ascii_digit())
                {
                    continue;
                }
                let before = &text[head(text, at.saturating_sub(60)).len()..at];
                from |= self.from_address.is_match(before);
                if on.is_none() {
                    on = self.on_address.find(before).map(|m| format!("{}{ip}", m.as_str()));
                }
            }
        }
        (from, on)
    }
}

/// Whether the URL's host is one of `accused` (written as a literal, perhaps
/// defanged: `hxxp://192.0.2[.]7:8080/x`, `http://[2001:db8::7]/`).
fn url_on_accused(url: &str, accused: &[std::net::IpAddr]) -> bool {
    let clean = url.replace("[.]", ".").replace("(.)", ".");
    let Some((_, rest)) = clean.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { authority }),
    };
    host.parse::<std::net::IpAddr>().is_ok_and(|ip| accused.contains(&ip))
}

/// A match, shortened for the reason shown to the operator.
fn shown(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    head(&s, 60).to_string()
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use exitdesk_model::ComplaintText;

    fn complaint(subject: &str, prose: &str, ips: &[&str]) -> Complaint {
        Complaint {
            subject: Some(subject.into()),
            reported_ips: ips.iter().map(|i| i.parse().unwrap()).collect(),
            text: ComplaintText { prose: prose.into(), ..ComplaintText::default() },
            ..Complaint::default()
        }
    }

    fn kind(c: &Complaint) -> Kind {
        KindRules::new().unwrap().decide(c, &c.text.prose, &[], &[]).kind
    }

    #[test]
    fn locations_on_an_accused_address() {
        let ips: Vec<std::net::IpAddr> = vec!["192.0.2.7".parse().unwrap(), "2001:db8::7".parse().unwrap()];
        assert!(url_on_accused("hxxp://192.0.2[.]7/bins/mips", &ips));
        assert!(url_on_accused("http://192.0.2.7:8080/x", &ips));
        assert!(url_on_accused("http://[2001:db8::7]:8443/", &ips));
        assert!(!url_on_accused("http://198.51.100.7/", &ips));
        assert!(!url_on_accused("http://www.example.org/192.0.2.7", &ips));
    }

    #[test]
    fn content_on_the_address_is_hosted() {
        let c = complaint(
            "Phishing site at 192.0.2.10",
            "Dear abuse team,\nthe phishing site http://192.0.2.10/bank/login is hosted on your network. Please take it down.",
            &["192.0.2.10"],
        );
        assert_eq!(kind(&c), Kind::Hosted);
        let open = complaint(
            "Open DNS resolver",
            "We found an open resolver on 192.0.2.53, publicly accessible from the Internet.",
            &["192.0.2.53"],
        );
        assert_eq!(kind(&open), Kind::Hosted);
    }

    #[test]
    fn traffic_from_the_address_stays_traffic_despite_cleanup_advice() {
        let c = complaint(
            "SSH attack from 192.0.2.7",
            "The address 192.0.2.7 attacked our server with failed login attempts.\n\nYour server may be compromised and hosted malware could be the cause.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&c), Kind::Traffic);
    }

    #[test]
    fn words_about_something_else_do_not_make_it_hosted_or_a_reminder() {
        // A hosting company's name in the signature.
        let c = complaint(
            "Tentatives d'authentification SMTP depuis 192.0.2.90",
            "Bonjour,\nnotre serveur a reçu des tentatives d'authentification SMTP depuis 192.0.2.90.\n\
             Cordialement,\nHébergement Exemple SAS",
            &["192.0.2.90"],
        );
        assert_eq!(kind(&c), Kind::Traffic);
        // A table's column named "last request".
        let c = complaint(
            "Account takeover activity from your network",
            "Logins from your address 192.0.2.91:\naddress      first request      last request\n\
             192.0.2.91   2025-10-01 10:00   2025-10-01 11:00",
            &["192.0.2.91"],
        );
        assert_eq!(kind(&c), Kind::Traffic);
        // Spam posts describing what they advertise.
        let c = complaint(
            "Spam posted to our group from 192.0.2.99",
            "Someone at 192.0.2.99 joined our group and sent three spam posts (fake watch shops) to all members.",
            &["192.0.2.99"],
        );
        let labels = [Label { scenario: Scenario::GoogleGroupsSpam, subkind: None, score: 0.9 }];
        assert_eq!(KindRules::new().unwrap().decide(&c, &c.text.prose, &[], &labels).kind, Kind::Traffic);
    }

    #[test]
    fn administrative_mail_is_not_a_complaint() {
        let test = complaint("Login attack", "This is a test report. Please disregard.", &["192.0.2.7"]);
        assert_eq!(kind(&test), Kind::NotAComplaint);
        let closed = complaint("Ticket #123", "Your ticket #123 has been closed.", &[]);
        assert_eq!(kind(&closed), Kind::NotAComplaint);
        let gesloten = complaint("[AB-1] Ticket gesloten", "Uw ticket AB-1 is door onze medewerker gesloten.", &[]);
        assert_eq!(kind(&gesloten), Kind::NotAComplaint);
        let news = complaint("Our monthly newsletter", "Read about our new products.", &[]);
        assert_eq!(kind(&news), Kind::NotAComplaint);
        let mut auto = complaint("Out of office", "I am away until Monday.", &[]);
        auto.auto_response = Some(AutoResponse::AutoReply);
        assert_eq!(kind(&auto), Kind::NotAComplaint);
    }

    #[test]
    fn a_forwarded_helpdesk_notice_is_no_administrative_mail() {
        let mut c = complaint(
            "FW: [CERT-X] Private document on a public website",
            "You are registered as a CC on this support request. Dear team, a private document is published without permission.",
            &[],
        );
        assert_eq!(kind(&c), Kind::NotAComplaint);
        c.forwarder =
            Some(exitdesk_model::Party { address: Some("abuse@cdn.example.com".into()), ..Default::default() });
        assert_ne!(kind(&c), Kind::NotAComplaint, "a provider's forward was taken for a CC notice");
    }

    #[test]
    fn a_newsletter_that_lists_addresses_without_accusing_them_is_no_complaint() {
        let mut c = complaint(
            "Threat Digest #12: scanners of the month",
            "Welcome to this month's digest!\n* Top scanning sources: 192.0.2.14, 198.51.100.20.\n\
             Unsubscribe: https://example.org/u",
            &["192.0.2.14", "198.51.100.20"],
        );
        for ip in ["192.0.2.14", "198.51.100.20"] {
            c.evidence.push(exitdesk_model::Evidence {
                fact: "reported_ip".into(),
                value: ip.into(),
                place: "part 1 line 2".into(),
                rule: "mentioned without a cue".into(),
                confidence: 40,
            });
        }
        assert_eq!(kind(&c), Kind::NotAComplaint);
        // The same addresses named by a cue are accused.
        for e in &mut c.evidence {
            e.confidence = 65;
        }
        assert_ne!(kind(&c), Kind::NotAComplaint);
    }

    #[test]
    fn a_newsletter_footer_makes_a_newsletter_whatever_it_lists() {
        let c = complaint(
            "Threat Digest #47",
            "Top scanning sources this month: 192.0.2.14, 198.51.100.201.\nYou receive this newsletter because you subscribed at example.com.",
            &["192.0.2.14", "198.51.100.201"],
        );
        assert_eq!(kind(&c), Kind::NotAComplaint);
    }

    #[test]
    fn a_newsletter_word_beside_an_accused_address_is_still_a_complaint() {
        let c = complaint("Spam from 192.0.2.7", "Mail from 192.0.2.7 carried our newsletter's name.", &["192.0.2.7"]);
        assert_eq!(kind(&c), Kind::Traffic);
    }

    #[test]
    fn a_server_acting_as_a_botnet_controller_is_hosted() {
        let en = complaint(
            "Botnet controller",
            "The address 192.0.2.7 in your network is acting as a command-and-control server for a botnet.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&en), Kind::Hosted);
        let es = complaint(
            "Incidente",
            "La dirección IP 192.0.2.7 de su red está actuando como servidor de mando y control de una botnet.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&es), Kind::Hosted);
        // An infected machine talking to a controller is traffic.
        let drone = complaint(
            "Infected host",
            "The address 192.0.2.7 connected to a known C&C server; it is likely infected.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&drone), Kind::Traffic);
    }

    #[test]
    fn the_complainants_own_hosting_is_not_the_offenders() {
        let fr = complaint(
            "Spam de commentaires",
            "Je tiens un petit blog (hébergé sur le\nserveur 198.51.100.33). Depuis le 7 mars, l'adresse 192.0.2.7 y dépose des commentaires publicitaires.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&fr), Kind::Traffic);
        let en = complaint(
            "Comment spam",
            "Our forum, hosted on the server 198.51.100.33, receives spam posts from 192.0.2.7 every night.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&en), Kind::Traffic);
        let on = complaint("Phishing", "A phishing page is hosted on 192.0.2.7; please remove it.", &["192.0.2.7"]);
        assert_eq!(kind(&on), Kind::Hosted);
    }

    #[test]
    fn reminders_and_data_requests() {
        let r = complaint(
            "Reminder: [Ticket#42] SSH attack",
            "We have not received a response to our report.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&r), Kind::Reminder);
        let de = complaint("Erinnerung: Abuse-Meldung", "Bitte antworten Sie.", &["192.0.2.7"]);
        assert_eq!(kind(&de), Kind::Reminder);
        let le = complaint(
            "Request",
            "Detective Constable A. Example, cyber crime unit. In an ongoing investigation we are requesting any information you can give us about the account holder of 192.0.2.7 for this case.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&le), Kind::LawEnforcement);
        // The same request with no authority and no legal term is what a
        // provider's own form says about its customer: not a police request.
        let provider = complaint(
            "Request",
            "We are requesting any information you can give us about the account holder of 192.0.2.7 for this case.",
            &["192.0.2.7"],
        );
        assert_ne!(kind(&provider), Kind::LawEnforcement);
        let subpoena = complaint("Subpoena", "Attached is a subpoena for subscriber records.", &["192.0.2.7"]);
        assert_eq!(kind(&subpoena), Kind::LawEnforcement);
    }

    #[test]
    fn evidence_preservation_is_not_a_data_request() {
        let c = complaint(
            "Notice of infringement",
            "Infringer's IP Address: 192.0.2.7\nYou should not destroy any evidence relating to this notice.",
            &["192.0.2.7"],
        );
        assert_eq!(kind(&c), Kind::Traffic);
    }
}
