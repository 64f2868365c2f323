//! Complaint → classification: collect signals, combine them per scenario,
//! pick the labels, apply the operator's rules.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use exitdesk_model::{Classification, Complaint, Format, Kind, Label, Scenario, Signal};
use regex::{Regex, RegexSet, RegexSetBuilder};
use regex_automata::{Anchored, Input, meta, util::syntax};

use crate::err::{ClassifyError, Result};
use crate::kind::KindRules;
use crate::patterns::{LOGIN_RULES, PATTERNS};
use crate::prefilter::{Occurrences, Prefilter};
use crate::rules::{ClassifyConfig, CompiledRule, RuleAction};

/// Below this score nothing is said about a scenario: the result is `other`.
const MIN_SCORE: f64 = 0.3;
/// A second label needs this score on its own …
const SECOND_MIN: f64 = 0.8;
/// … and at least this share of the primary's score.
const SECOND_SHARE: f64 = 0.85;
/// Threats with at least this score come first, whatever else is reported.
const THREATS_LEAD: f64 = 0.8;
/// Subject hits are stronger than the same words deep in the prose.
const SUBJECT_BONUS: f64 = 0.1;
/// Scenarios named on one line (or two) that make it a list of abuse types.
const ENUMERATION_KINDS: usize = 3;
/// Longer prose (logs) is not searched for enumerations.
const ENUMERATION_LINES: usize = 3000;
/// Matches of one rule that still add weight.
const MAX_HITS: usize = 5;
/// Anchored tries of one pattern that found nothing, after which the rest
/// of the text is scanned instead (the same matches; cheaper where its
/// literals are common).
const MAX_MISSES: usize = 64;
/// How much of a subject or prose is searched.
const SUBJECT_CAP: usize = 1024;

/// What a match in a low-weight zone (signature, disclaimer, guess) counts.
const LOW_ZONE: f64 = 0.4;

/// A signature separator (`-- `, `--`).
const SIGNATURE: &str = r"^\s*--\s*$";
/// The start of a forwarded or quoted message: a new message, no longer the signature.
const FORWARD: &str = r"(?i)^[ \t>]*(-{2,}\s*(original message|forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]|mensaje reenviado)|begin forwarded message|-{3,} ?(weitergeleitete|forwarded|original)|on .{1,120} wrote:\s*$|am .{1,120} schrieb.{0,40}:\s*$|le .{1,120} a [ée]crit\s*:\s*$|===+ ?(abuse report|begin|complaint))";
/// A legal disclaimer: its paragraph weighs little.
const DISCLAIMER: &str = r"(?i)confidentiality notice|\bdisclaimer\b|(this|the) (e-?mail|message|communication)( and any (files|attachments)( transmitted with it)?)? (is|are|may be|contains?|may contain) (confidential|privileged|intended (only|solely))|if you (are not the intended recipient|have received this (e-?mail|message|communication) in error|received this (e-?mail|message) in error)|\bdatenschutz|protecci[oó]n de datos|reglamento general de protecci|données personnelles|\bgdpr\b|\bdsgvo\b";
/// A guess at the cause ("it is possible that this is a reflection
/// attack", "the host is likely one of the following:"), not a statement.
const HEDGE: &str = r"(?i)\b(it is (possible|likely|probable|conceivable) that|it (may|might|could) (also )?be (that|the result)|is (probably|likely|possibly) one of|one of the following|possible (causes|explanations|reasons)|this (may|might|could) (also )?(be|indicate|mean))\b";

/// The low-weight zones of the prose.
#[derive(Debug, Clone)]
struct Zones {
    signature: Regex,
    forward: Regex,
    disclaimer: Regex,
    hedge: Regex,
}

impl Zones {
    fn new() -> Result<Zones> {
        let build = |p: &str| Regex::new(p).map_err(|e| ClassifyError::Builtin(e.to_string()));
        Ok(Zones {
            signature: build(SIGNATURE)?,
            forward: build(FORWARD)?,
            disclaimer: build(DISCLAIMER)?,
            hedge: build(HEDGE)?,
        })
    }

    /// `prose` split into what the reporter states and what weighs little:
    /// a signature (from its separator to the end of that message: a
    /// forwarded message starts anew), a legal disclaimer's paragraph, and
    /// a guess at the cause with the list it introduces. The second text is
    /// empty when nothing weighs little.
    fn split(&self, prose: &str) -> (String, String) {
        let mut main = String::with_capacity(prose.len());
        let mut low = String::new();
        let mut in_signature = false;
        let mut in_paragraph = false;
        // A list announced by a colon may start after a blank line.
        let mut list_ahead = false;
        for line in prose.lines() {
            let blank = line.trim().is_empty();
            if self.forward.is_match(line) {
                in_signature = false;
                in_paragraph = false;
            } else if self.signature.is_match(line) {
                in_signature = true;
            } else if blank {
                in_paragraph = list_ahead && in_paragraph;
                list_ahead = false;
            } else if self.disclaimer.is_match(line) {
                in_paragraph = true;
            } else if let Some(m) = self.hedge.find(line) {
                // The guess's own sentence, and the list it introduces.
                in_paragraph = line[m.start()..].trim_end().ends_with(':');
                list_ahead = in_paragraph;
                low.push_str(line);
                low.push('\n');
                continue;
            }
            if !blank {
                list_ahead = false;
            }
            let target = if in_signature || in_paragraph { &mut low } else { &mut main };
            target.push_str(line);
            target.push('\n');
        }
        if low.is_empty() {
            return (prose.to_string(), low);
        }
        (main, low)
    }
}

/// Sub-kinds of `other` that explain an act rather than report one.
const EXPLAINS: &[&str] = &["botnet", "malware", "compromised"];
/// The score an act needs to lead over its explanation.
const ACT_MIN: f64 = 0.7;
/// Rules too generic to decide a scenario on their own.
const WEAK_ALONE: &[&str] = &["kw.attack_generic"];
/// Sub-kinds that say no more than the scenario itself.
const GENERIC_SUBKINDS: &[&str] = &["notice"];

/// Ports whose login attempts are "SSH and other non-web services".
const SERVICE_PORTS: &[u16] = &[21, 22, 23, 25, 110, 143, 465, 587, 993, 995, 1433, 2222, 3306, 3389, 5432, 5900];
/// Ports of websites.
const WEB_PORTS: &[u16] = &[80, 443, 8000, 8080, 8443];

/// Classifies complaints. Build once (it compiles every pattern), then call
/// [`Classifier::classify`] as often as needed; it is a pure function.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// The table's patterns as compiled (ASCII word boundaries).
    sources: Vec<String>,
    /// The whole table as one set, built on first use: only text the
    /// prefilter cannot judge (see [`Prefilter::candidates`]) needs it, and
    /// it is most of the start-up cost. `None` if it cannot be built: then
    /// each pattern is searched on its own (the same answer, slower).
    set: OnceLock<Option<RegexSet>>,
    /// Each pattern on its own (as `regex::Regex` compiles it; the meta
    /// regex for anchored searches).
    each: Vec<meta::Regex>,
    /// Which patterns may match an ASCII text (then only those are searched).
    prefilter: Prefilter,
    /// The keywords that name a scenario in a list of abuse types (`kw.*`
    /// but the generic words), by index into the table …
    enumerating: Vec<usize>,
    /// `true` at the index of each enumerating keyword.
    is_enumerating: Vec<bool>,
    /// … searched together when the prefilter cannot help (built on first
    /// use, like `set`).
    enumeration: OnceLock<Option<RegexSet>>,
    rules: Vec<CompiledRule>,
    /// `Category: …` / `Incident type: …` lines: the reporter's own label.
    labelled: Regex,
    /// Words that place a login attack on a website (routing only).
    web_context: Regex,
    /// Mailing-list and forwarding footers.
    footer_line: Regex,
    /// The reporter's tool names.
    tool_names: Regex,
    /// Where the low-weight zones of the prose begin and end.
    zones: Zones,
    /// The kind of answer (traffic, hosted, …).
    kinds: KindRules,
}

/// Lines where a reporter names the kind of incident.
const LABELLED: &str = r"(?im)^[ \t>*|-]*(category|incident[ _-]?type|attack[ _-]?type|abuse[ _-]?type|type of (abuse|attack|incident)|classification|report[ _-]?type|kategorie|art des vorfalls|vorfallstyp|type d.(attaque|incident)|tipo de (ataque|incidente|abuso)|typ (útoku|incidentu)|тип (атаки|инцидента)|categoria)\s*[:=]\s*(?P<v>[^\r\n]{1,120})";

/// Evidence that the login target is a website: web requests, login pages,
/// admin panels and CMS names, in the languages of the keyword table.
const WEB_CONTEXT: &str = r"(?i)\b(post|get) /\S*|\bhttp/1\.[01]\S*\s+(401|403)|\bhttp (401|403)\b|log-?in (form|page)|sign-?in (form|page|requests?)|web application|\bwaf\b|wordpress|wp-login|wp-admin|xmlrpc|customer portal|web portal|webmail login|admin(istrator|istration)?[ -]?(panel|area|page|interface|dashboard|backend|console|section|login)|(web ?site|web|site|cms|shop|store)('s)?[ -]admin|/administrator\b|\bcms\b|joomla|drupal|magento|typo3|prestashop|\bcpanel\b|\bplesk\b|(login|sign-?in) (to|on|of) (our|the|my) (web ?site|web shop|online shop|shop)|admin-?bereich|administrationsbereich|anmeldeseite|login-?seite|(unsere[rmn]?|die|der) (webseite|website|homepage)|administrac|přihlašovací stránk|(našeho |na náš )web\b|panel de (administraci[oó]n|control)|p[áa]gina de (acceso|inicio de sesi[oó]n|login|administraci)|(nuestro|el) sitio web|panneau d.administration|interface d.administration|page de (connexion|login)|(notre|le) site (web|internet)|painel (de )?(administra|controle)|p[áa]gina de (login|entrada)|(nosso|o) site\b|админк|панел\S* (администратор|управлени)|страниц\S* (входа|авторизации)|сайт";

/// Lines that mailing lists, forwarding systems and signatures append to
/// every message: they describe the channel, never the incident.
const FOOTER_LINE: &str = r"(?i)^[ \t>]*(you received this (message|e-?mail) because you are subscribed to|to unsubscribe from this (group|list)|to post to this group|to view this discussion on the web|for more options, visit|visit this group at|\S+ mailing list\s*$|https?://\S+/(mailman|listinfo)/)";

/// Names of the reporter's own tools: an "intrusion detection system" that
/// reports a login attack is not evidence of an intrusion.
const TOOL_NAMES: &str = r"(?i)\bintrusion (detection|prevention)( and prevention)?( systems?| sensors?| software| engines?)?|\b(ids|ips)/(ids|ips)\b|\bspam ?(filter|assassin)s?\b|anti-?virus( software| scanner)?";

impl Classifier {
    /// The built-in patterns plus the operator's rules.
    pub fn new(config: &ClassifyConfig) -> Result<Classifier> {
        let sources: Vec<String> = PATTERNS.iter().map(|p| ascii_boundaries(p.regex)).collect();
        // The patterns and their prefilter are compiled at once on two
        // threads: each is half of the start-up (about 0.3 G instructions).
        let (each, prefilter) = std::thread::scope(|s| {
            let prefilter = s.spawn(|| Prefilter::new(&sources.iter().map(String::as_str).collect::<Vec<_>>()));
            let each = sources.iter().map(|s| one_regex(s)).collect::<std::result::Result<Vec<_>, _>>();
            (each, prefilter.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        let each = each.map_err(ClassifyError::Builtin)?;
        let enumerating: Vec<usize> = (0..PATTERNS.len()).filter(|&i| names_scenario(PATTERNS[i].rule)).collect();
        let is_enumerating = PATTERNS.iter().map(|p| names_scenario(p.rule)).collect();
        let rules = config.rules.iter().enumerate().map(|(i, r)| r.compile(i)).collect::<Result<Vec<_>>>()?;
        let build = |p: &str| Regex::new(&ascii_boundaries(p)).map_err(|e| ClassifyError::Builtin(e.to_string()));
        Ok(Classifier {
            sources,
            set: OnceLock::new(),
            each,
            prefilter,
            enumerating,
            is_enumerating,
            enumeration: OnceLock::new(),
            rules,
            labelled: build(LABELLED)?,
            web_context: build(WEB_CONTEXT)?,
            footer_line: build(FOOTER_LINE)?,
            tool_names: build(TOOL_NAMES)?,
            zones: Zones::new()?,
            kinds: KindRules::new().map_err(|e| ClassifyError::Builtin(e.to_string()))?,
        })
    }

    /// The built-in patterns only.
    pub fn builtin() -> Result<Classifier> {
        Classifier::new(&ClassifyConfig::default())
    }

    /// Classifies one complaint.
    pub fn classify(&self, c: &Complaint) -> Classification {
        let mut signals = Vec::new();
        self.field_signals(c, &mut signals);
        let (named, prose) = self.text_signals(c, &mut signals);
        port_signals(c, &mut signals);
        let web_context = self.web_context.is_match(&c.text.prose)
            || c.subject.as_deref().is_some_and(|s| self.web_context.is_match(head(s, SUBJECT_CAP)));
        route_logins(c, web_context, &mut signals);
        route_code_edits(&mut signals);
        route_generic_spam(&mut signals);
        route_trademark(&mut signals);
        route_sextortion(&mut signals);
        let mut out = decide(signals, &named);
        let kind = self.kinds.decide(c, &prose, &out.signals, &out.labels);
        out.kind = kind.kind;
        out.kind_reason = kind.reason;
        shape_by_kind(&mut out);
        self.apply_rules(c, &mut out);
        out
    }

    /// Report-format fields: the reporter's own machine-readable category.
    fn field_signals(&self, c: &Complaint, out: &mut Vec<Signal>) {
        let t = &c.text;
        let clean = |v: &str| v.trim().trim_matches(|ch| ch == '"' || ch == '\'').to_ascii_lowercase();
        // Only the registered ARF feedback types (RFC 5965, 6591, 6650) say
        // what the report is about; other values ("xarf") name a format.
        let arf = t.field("arf.feedback-type").map(clean).and_then(|v| {
            let (scenario, subkind, w) = match v.as_str() {
                "abuse" | "fraud" | "auth-failure" | "dmarc" => (Scenario::WebmailSpam, None, 0.9),
                "other" => (Scenario::WebmailSpam, None, 0.6),
                "virus" => (Scenario::Other, Some("malware"), 0.7),
                "not-spam" => (Scenario::Other, None, 0.4),
                _ => return None,
            };
            Some(signal("arf.feedback_type", scenario, subkind, w, &format!("Feedback-Type: {v}")))
        });
        if let Some(arf) = arf {
            out.push(arf);
        } else if c.format == Format::Arf {
            out.push(signal("format.arf", Scenario::WebmailSpam, None, 0.85, "ARF feedback report"));
        }
        if t.field("acns.notice").is_some() || c.format == Format::Acns {
            let p2p = t.field("acns.protocol").is_some_and(|p| p.contains("torrent") || p.contains("p2p"));
            out.push(signal(
                "acns.notice",
                Scenario::Copyright,
                Some(if p2p { "p2p" } else { "notice" }),
                0.95,
                "ACNS infringement notice",
            ));
        }
        // X-ARF 0.1/0.2 and XARF v4 share most words; v4 uses `_`.
        let category = t.field("xarf4.category").or_else(|| t.field("xarf.category")).map(clean).unwrap_or_default();
        let kind = t.field("xarf4.type").or_else(|| t.field("xarf.report-type")).map(clean).unwrap_or_default();
        let service = t.field("xarf.service").map(clean).unwrap_or_default();
        let norm = kind.replace(['-', ' '], "_").to_ascii_lowercase();
        let norm = camel_to_snake(&norm);
        let shown = format!("X-ARF {}{}{}", category, if kind.is_empty() { "" } else { "/" }, kind);
        let mapped: Option<(&str, Scenario, Option<&str>, f64)> = match norm.as_str() {
            "login_attack" | "loginattack" | "login" | "brute_force" | "bruteforce" => {
                Some(("xarf.login_attack", Scenario::SshBruteforce, None, 0.9))
            }
            "port_scan" | "portscan" | "scan" | "reconnaissance" => {
                Some(("xarf.type", Scenario::DosScraping, Some("port_scan"), 0.9))
            }
            "ddos" | "dos" | "flood" => Some(("xarf.type", Scenario::DosScraping, Some("flood"), 0.9)),
            "harvesting" | "scraping" | "badbot" | "bot" if category != "infrastructure" => {
                Some(("xarf.type", Scenario::DosScraping, Some("scraping"), 0.85))
            }
            "regbot" | "comment_spam" | "forum_spam" | "suspicious_registration" => {
                Some(("xarf.type", Scenario::CommentSpam, Some("comment"), 0.9))
            }
            "spam" | "bulk_messaging" | "bulk_mail" => Some(("xarf.type", Scenario::WebmailSpam, None, 0.9)),
            "phishing" => Some(("xarf.type", Scenario::Other, Some("phishing"), 0.85)),
            "malware" | "malware_attack" | "malware_distribution" => {
                Some(("xarf.type", Scenario::Other, Some("malware"), 0.8))
            }
            "bot_infection" | "botnet" | "infected_host" | "compromised_server" | "drone" => {
                Some(("xarf.type", Scenario::Other, Some("botnet"), 0.85))
            }
            "sql_injection" | "exploit" | "vulnerability_scan" | "hack_attempt" | "remote_compromise" => {
                Some(("xarf.type", Scenario::Hacking, None, 0.85))
            }
            // Generic: any unwanted web request (scrapers included).
            "web_attack" | "webattack" | "attack" => Some(("xarf.type", Scenario::Hacking, None, 0.5)),
            "fraud" if category != "fraud" => Some(("xarf.type", Scenario::EcommerceFraud, None, 0.6)),
            "copyright" | "p2p" | "cyberlocker" | "link_site" | "ugc_platform" | "usenet" => {
                Some(("xarf.type", Scenario::Copyright, None, 0.9))
            }
            _ => None,
        };
        if let Some((rule, scenario, subkind, w)) = mapped {
            out.push(signal(rule, scenario, subkind, w, &shown));
        } else if category == "copyright" {
            out.push(signal("xarf.category", Scenario::Copyright, None, 0.9, &shown));
        } else if category == "messaging" {
            out.push(signal("xarf.category", Scenario::WebmailSpam, None, 0.8, &shown));
        } else if category == "reputation" {
            out.push(signal("xarf.category", Scenario::Other, Some("blocklist"), 0.6, &shown));
        }
        if !service.is_empty() {
            let web = matches!(service.as_str(), "http" | "https" | "www" | "web" | "apache" | "nginx" | "wordpress");
            if !web && service != "regbot" {
                let sub = match service.as_str() {
                    "mail" | "imap" | "pop3" | "smtp" | "postfix" | "dovecot" | "courier" | "sasl" => "mail",
                    "ssh" | "sshd" => "ssh",
                    other => other,
                };
                out.push(signal(
                    "xarf.service",
                    Scenario::SshBruteforce,
                    Some(sub),
                    0.3,
                    &format!("Service: {service}"),
                ));
            }
        }
    }

    /// Keywords and log lines in the subject and the prose. Returns the
    /// rules that matched in the subject or in the reporter's own label
    /// line (the reporter names those scenarios), and the prose without
    /// its boilerplate.
    fn text_signals(&self, c: &Complaint, out: &mut Vec<Signal>) -> (BTreeSet<&'static str>, String) {
        let subject = c.subject.as_deref().map(|s| head(s, SUBJECT_CAP)).unwrap_or("");
        let (filtered, occurrences) = self.without_boilerplate(&c.text.prose);
        let prose = filtered.as_str();
        // Signatures, disclaimers and guesses weigh less than what the
        // reporter states.
        let (main, low) = self.zones.split(prose);
        // Phrases broken by the sender's line wrapping ("credential\nstuffing")
        // are read whole.
        let (main, low) = (unwrapped(&main), unwrapped(&low));
        // The reporter's own label ("Category: Comment spam") counts like the subject.
        let mut labels = String::new();
        for m in self.labelled.captures_iter(prose).take(20) {
            if let Some(v) = m.name("v") {
                labels.push_str(v.as_str());
                labels.push('\n');
            }
        }
        let mut best: BTreeMap<usize, (f64, String)> = BTreeMap::new();
        let mut named = BTreeSet::new();
        let mut occurrences = Some(occurrences);
        let whole = low.is_empty();
        let zones = [
            (subject, SUBJECT_BONUS, 1.0),
            (labels.as_str(), SUBJECT_BONUS, 1.0),
            (main.as_ref(), 0.0, 1.0),
            (low.as_ref(), 0.0, LOW_ZONE),
        ];
        for (zone, (text, bonus, factor)) in zones.into_iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            // The prose's occurrences are known from removing its boilerplate.
            let known = if zone == 2 && whole && matches!(main, Cow::Borrowed(_)) {
                occurrences.take().flatten()
            } else {
                None
            };
            for (i, hits, shown) in self.hits(text, known) {
                let Some(pat) = PATTERNS.get(i) else { continue };
                if bonus > 0.0 {
                    named.insert(pat.rule);
                }
                // Repeated, distinct evidence counts more than one passing word.
                let exponent = 1.0 + 0.5 * (hits as f64 - 1.0);
                let w = ((1.0 - (1.0 - pat.weight).powf(exponent)) * factor + bonus).min(0.95);
                if best.get(&i).is_none_or(|(old, _)| *old < w) {
                    best.insert(i, (w, shown.to_string()));
                }
            }
        }
        for (i, (w, shown)) in best {
            if let Some(pat) = PATTERNS.get(i) {
                out.push(signal(pat.rule, pat.scenario, pat.subkind, w, &shown));
            }
        }
        // A whole mail enclosed with its headers, as spam reports do.
        let h = c.text.headers.to_ascii_lowercase();
        if h.contains("received:") && (h.contains("\nsubject:") || h.starts_with("subject:")) {
            out.push(signal("enclosed_mail", Scenario::WebmailSpam, None, 0.35, "a mail is enclosed with its headers"));
        }
        // A spam trap passes on the mail its trap address received: spam by
        // definition, whatever the mail says.
        if let Some(trap) = &c.trap {
            out.push(signal("format.trap", Scenario::WebmailSpam, None, 0.9, &format!("a {trap} spam-trap capture")));
        }
        if let Some(host) = &c.web_server {
            out.push(signal(
                "web_server",
                Scenario::WebmailSpam,
                None,
                0.5,
                &format!("sent by web software on {host}"),
            ));
        }
        (named, filtered)
    }

    /// The patterns (indices into the table) that match somewhere in
    /// `text`, ascending: what a set of the whole table says.
    fn matches(&self, text: &str) -> Vec<usize> {
        match self.prefilter.candidates(text) {
            Some(may) => (0..PATTERNS.len()).filter(|&i| may[i] && self.each[i].is_match(text)).collect(),
            None => match self.set.get_or_init(|| self.build_set(0..PATTERNS.len(), 128 << 20)) {
                Some(set) => set.matches(text).into_iter().collect(),
                None => (0..PATTERNS.len()).filter(|&i| self.each[i].is_match(text)).collect(),
            },
        }
    }

    /// The patterns that match somewhere in `text` (as [`Classifier::matches`]),
    /// each with its number of matches (at least 1, at most [`MAX_HITS`])
    /// and its first match: what `find_iter` over the whole text gives.
    ///
    /// Where the prefilter knows the occurrences of each pattern's literals
    /// (`known`, or found here), a pattern is tried only there: anchored
    /// searches at its occurrences in increasing order, skipping those
    /// inside the previous match. Every match starts at an occurrence, and
    /// an anchored search finds the match a leftmost-first scan finds at
    /// that start, so these are `find_iter`'s matches.
    fn hits<'t>(&self, text: &'t str, known: Option<Occurrences<'_>>) -> Vec<(usize, usize, &'t str)> {
        let Some(occ) = known.or_else(|| self.prefilter.occurrences(text)) else {
            return self.matches(text).into_iter().map(|i| self.scan(text, i, 0).unwrap_or((i, 1, ""))).collect();
        };
        let (starts, bounds) = occ.by_pattern(PATTERNS.len());
        let mut out = Vec::new();
        for i in 0..PATTERNS.len() {
            let hit = if occ.always.contains(&i) {
                self.scan(text, i, 0)
            } else {
                match (bounds.get(i), bounds.get(i + 1)) {
                    (Some(&lo), Some(&hi)) if lo < hi => self.tries(text, i, starts.get(lo..hi).unwrap_or(&[])),
                    _ => None,
                }
            };
            out.extend(hit);
        }
        out
    }

    /// Pattern `i`'s matches in `text` (see [`Classifier::hits`]) by
    /// anchored searches at `starts` (ascending): every match must start at
    /// one of them. After [`MAX_MISSES`] tries that found nothing, the rest
    /// of the text is scanned instead.
    fn tries<'t>(&self, text: &'t str, i: usize, starts: &[usize]) -> Option<(usize, usize, &'t str)> {
        let re = self.each.get(i)?;
        let mut first: Option<&'t str> = None;
        let mut count = 0;
        let mut at = 0;
        let mut misses = 0;
        for &p in starts {
            if p < at {
                continue;
            }
            if misses == MAX_MISSES {
                return match first {
                    None => self.scan(text, i, at),
                    Some(shown) => {
                        let more = re.find_iter(Input::new(text).span(at..text.len())).take(MAX_HITS - count).count();
                        Some((i, count + more, shown))
                    }
                };
            }
            // The start is known: a half search (no reverse pass) says the end.
            match re.search_half(&Input::new(text).span(p..text.len()).anchored(Anchored::Yes)) {
                Some(m) => {
                    first = first.or_else(|| text.get(p..m.offset()));
                    count += 1;
                    at = m.offset();
                    if count == MAX_HITS {
                        break;
                    }
                }
                None => misses += 1,
            }
        }
        Some((i, count, first?))
    }

    /// Pattern `i`'s matches in `text` from byte `from` on (a match that
    /// cannot start before it), by scanning.
    fn scan<'t>(&self, text: &'t str, i: usize, from: usize) -> Option<(usize, usize, &'t str)> {
        let mut found = self.each.get(i)?.find_iter(Input::new(text).span(from..text.len()));
        let first = found.next()?;
        Some((i, 1 + found.take(MAX_HITS - 1).count(), text.get(first.range()).unwrap_or("")))
    }

    /// The enumerating keywords (indices into the table) that match
    /// somewhere in `text`, ascending.
    fn enumeration_matches(&self, text: &str) -> Vec<usize> {
        match self.prefilter.candidates(text) {
            Some(may) => self.enumerating.iter().copied().filter(|&i| may[i] && self.each[i].is_match(text)).collect(),
            None => match self.enumeration.get_or_init(|| self.build_set(self.enumerating.iter().copied(), 64 << 20)) {
                Some(set) => set.matches(text).into_iter().map(|j| self.enumerating[j]).collect(),
                None => self.enumerating.iter().copied().filter(|&i| self.each[i].is_match(text)).collect(),
            },
        }
    }

    /// One set of the table's patterns `which`, as `each` compiles them.
    fn build_set(&self, which: impl Iterator<Item = usize>, dfa_limit: usize) -> Option<RegexSet> {
        let sources: Vec<&str> = which.filter_map(|i| self.sources.get(i)).map(String::as_str).collect();
        RegexSetBuilder::new(&sources)
            .case_insensitive(true)
            .size_limit(64 << 20)
            // The lazy DFA of ~400 patterns outgrows the default 2 MiB
            // cache and falls back to the (10× slower) PikeVM; a bigger
            // cache keeps it on the fast path (see doc/BENCHMARKS.md, ingest).
            .dfa_size_limit(dfa_limit)
            .build()
            .ok()
    }

    /// The prose without what describes the channel rather than the
    /// incident: mailing-list footers, the reporter's tool names
    /// ("intrusion detection system") and lists of abuse types; with the
    /// occurrences of the patterns' literals in it when they were found on
    /// the way (see [`Classifier::without_enumerations`]).
    fn without_boilerplate(&self, prose: &str) -> (String, Option<Occurrences<'_>>) {
        let mut kept = String::with_capacity(prose.len());
        for line in prose.lines() {
            if !self.footer_line.is_match(line) {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        let kept = self.tool_names.replace_all(&kept, " ");
        self.without_enumerations(&kept)
    }

    /// The prose without boilerplate that enumerates abuse types ("we
    /// handle spam, DDoS, port scans, hacking attempts and copyright
    /// infringement"): a line, or two adjacent lines, whose keywords speak
    /// for three or more scenarios describe a policy, not this incident.
    ///
    /// One prefilter pass over the whole prose tells each line's candidate
    /// patterns (the occurrences wholly inside it); they are returned when
    /// no line was dropped (the result is then the same text).
    fn without_enumerations(&self, prose: &str) -> (String, Option<Occurrences<'_>>) {
        let lines: Vec<&str> = prose.lines().collect();
        if lines.len() > ENUMERATION_LINES {
            return (prose.to_string(), None);
        }
        // `other` holds unrelated matters (botnet, phishing, malware, a
        // trademark): in a list of abuse types each counts on its own.
        let scenarios = |found: Vec<usize>| -> Vec<(Scenario, Option<&str>)> {
            let mut v: Vec<(Scenario, Option<&str>)> = found
                .into_iter()
                .filter_map(|i| PATTERNS.get(i))
                .map(|p| (p.scenario, if p.scenario == Scenario::Other { p.subkind } else { None }))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let kinds = |text: &str| scenarios(self.enumeration_matches(text));
        let occ = self.prefilter.occurrences(prose);
        // One pattern-set pass per line; a pair of lines is searched again
        // (for phrases broken across the lines) only when one of them
        // already names a scenario.
        let per_line: Vec<Vec<(Scenario, Option<&str>)>> = match &occ {
            Some(occ) => {
                // A pattern without literals that matches nowhere in the
                // prose matches on none of its lines.
                let anywhere: Vec<usize> = occ
                    .always
                    .iter()
                    .copied()
                    .filter(|&i| self.is_enumerating.get(i).copied().unwrap_or(false))
                    .filter(|&i| self.each.get(i).is_some_and(|re| re.is_match(prose)))
                    .collect();
                lines.iter().map(|l| scenarios(self.line_enumeration_matches(prose, l, occ, &anywhere))).collect()
            }
            None => lines.iter().map(|l| kinds(l)).collect(),
        };
        let mut drop = vec![false; lines.len()];
        for i in 0..lines.len() {
            // A sentence that goes on to the next line takes that line along.
            let continues = i + 1 < lines.len()
                && !lines[i].trim_end().ends_with(['.', '!', '?', ':'])
                && !lines[i + 1].trim().is_empty();
            if per_line[i].len() >= ENUMERATION_KINDS {
                drop[i] = true;
                if continues {
                    drop[i + 1] = true;
                }
            } else if continues
                && !(per_line[i].is_empty() && per_line[i + 1].is_empty())
                && kinds(&format!("{} {}", lines[i], lines[i + 1])).len() >= ENUMERATION_KINDS
            {
                drop[i] = true;
                drop[i + 1] = true;
            }
        }
        if !drop.contains(&true) {
            return (prose.to_string(), occ);
        }
        let mut out = String::with_capacity(prose.len());
        for (line, dropped) in lines.iter().zip(drop) {
            if !dropped {
                out.push_str(line);
                out.push('\n');
            }
        }
        (out, None)
    }

    /// [`Classifier::enumeration_matches`] of `line`, a line of `text`
    /// (a slice of it), from the occurrences in `text`: the candidates are
    /// the patterns with an occurrence wholly inside the line, tried at
    /// those places (the line is the haystack, as it is for
    /// `enumeration_matches`), and the enumerating patterns without
    /// literals in `always` (those that match somewhere in `text`: a match
    /// in a line is one in the text, since no pattern looks at `^`/`$` and
    /// a line's neighbours are line breaks, not word characters).
    fn line_enumeration_matches(&self, text: &str, line: &str, occ: &Occurrences<'_>, always: &[usize]) -> Vec<usize> {
        let base = (line.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        if base > text.len() || text.get(base..base + line.len()) != Some(line) {
            return self.enumeration_matches(line);
        }
        // (pattern, start in the line) of the enumerating candidates.
        let mut tries: Vec<(usize, usize)> = occ
            .within(base..base + line.len())
            .filter(|o| self.is_enumerating.get(o.pattern).copied().unwrap_or(false))
            .map(|o| (o.pattern, o.start - base))
            .collect();
        tries.sort_unstable();
        let mut found: Vec<usize> = Vec::new();
        let mut k = 0;
        while let Some(&(i, first)) = tries.get(k) {
            let group = k;
            k += tries[group..].iter().take_while(|t| t.0 == i).count();
            let Some(re) = self.each.get(i) else { continue };
            // A few anchored tries; where the literals are common, one
            // search of the rest of the line.
            let starts = tries.get(group..k).unwrap_or(&[]);
            let hit = if starts.len() <= 4 {
                starts.iter().any(|&(_, p)| re.is_match(Input::new(line).span(p..line.len()).anchored(Anchored::Yes)))
            } else {
                re.is_match(Input::new(line).span(first..line.len()))
            };
            if hit {
                found.push(i);
            }
        }
        for &i in always {
            if self.each.get(i).is_some_and(|re| re.is_match(line)) {
                found.push(i);
            }
        }
        found.sort_unstable();
        found
    }

    /// The operator's rules: set the scenario (replacing the built-in
    /// labels), or add one.
    fn apply_rules(&self, c: &Complaint, out: &mut Classification) {
        for rule in &self.rules {
            if !rule.matches(c) {
                continue;
            }
            let label = Label { scenario: rule.scenario, subkind: rule.subkind.clone(), score: 1.0 };
            out.signals.insert(
                0,
                Signal {
                    rule: format!("config.{}", rule.name),
                    scenario: rule.scenario,
                    subkind: rule.subkind.clone(),
                    weight: 1.0,
                    matched: rule.describe(),
                },
            );
            match rule.action {
                // The operator's decision replaces the built-in labels
                // (their signals stay listed, for the record).
                RuleAction::Set => {
                    out.labels = vec![label];
                    out.confidence = 1.0;
                }
                RuleAction::Add => {
                    if !out.labels.iter().any(|l| l.scenario == rule.scenario) {
                        out.labels.push(label);
                    }
                }
            }
            out.rule = Some(rule.name.clone());
            return;
        }
    }
}

/// Ports and protocols: weak, but they decide between similar scenarios.
fn port_signals(c: &Complaint, out: &mut Vec<Signal>) {
    let ports: Vec<u16> = c.dest_ports.iter().copied().chain(c.events.iter().filter_map(|e| e.dest_port)).collect();
    if let Some(p) = ports.iter().find(|p| SERVICE_PORTS.contains(p)) {
        out.push(signal("port.login_service", Scenario::SshBruteforce, None, 0.2, &format!("destination port {p}")));
    }
}

/// Login attempts against a website are web brute force; against anything
/// else (SSH, mail, FTP, RDP, or not stated) they get the SSH reply.
fn route_logins(c: &Complaint, web_context: bool, signals: &mut [Signal]) {
    let has = |rule: &str| signals.iter().any(|s| s.rule == rule);
    let ports: Vec<u16> = c.dest_ports.iter().copied().chain(c.events.iter().filter_map(|e| e.dest_port)).collect();
    let service_ports = ports.iter().filter(|p| SERVICE_PORTS.contains(p)).count();
    let web_ports = ports.iter().filter(|p| WEB_PORTS.contains(p)).count();
    let mut web = 0.0f64;
    let mut service = 0.0f64;
    for s in signals.iter() {
        match s.scenario {
            Scenario::WebBruteforce => web = web.max(s.weight),
            Scenario::SshBruteforce if !LOGIN_RULES.contains(&s.rule.as_str()) => service = service.max(s.weight),
            _ => {}
        }
    }
    if web_context {
        web = web.max(0.45);
    }
    if web_ports > service_ports {
        web = web.max(0.5);
    } else if service_ports > 0 {
        service = service.max(0.5);
    }
    if c.text.field("xarf.service").is_some_and(|s| matches!(s.trim_matches('"'), "http" | "https" | "www" | "web")) {
        web = web.max(0.8);
    }
    if web > service && LOGIN_RULES.iter().any(|r| has(r)) {
        for s in signals.iter_mut().filter(|s| LOGIN_RULES.contains(&s.rule.as_str())) {
            s.scenario = Scenario::WebBruteforce;
        }
    }
}

/// Requests for a CMS's code editor make the logins before them part of
/// an intrusion: the log shows more than password guessing.
fn route_code_edits(signals: &mut [Signal]) {
    if !signals.iter().any(|s| s.rule == "log.cms_code_edit") {
        return;
    }
    for s in signals.iter_mut().filter(|s| s.scenario == Scenario::WebBruteforce) {
        s.scenario = Scenario::Hacking;
        s.subkind = Some("exploit".into());
    }
}

/// "Spam" alone means the comment-spam reply when the complaint is about
/// posts or registrations, and the Google Groups reply when it names Google Groups.
fn route_generic_spam(signals: &mut [Signal]) {
    // Spam posted through Google Groups has its own reply.
    if signals.iter().any(|s| s.scenario == Scenario::GoogleGroupsSpam && s.weight >= 0.5) {
        for s in signals.iter_mut().filter(|s| matches!(s.rule.as_str(), "kw.spam" | "kw.comment_spam" | "kw.forum")) {
            s.scenario = Scenario::GoogleGroupsSpam;
            s.subkind = None;
        }
        return;
    }
    // Any sign of a forum, wiki or registration makes a bare "spam" the
    // comment-spam kind, unless the complaint is about e-mail.
    let comment = signals.iter().any(|s| s.scenario == Scenario::CommentSpam);
    let mail = signals.iter().any(|s| s.scenario == Scenario::WebmailSpam && s.rule != "kw.spam");
    if comment && !mail {
        for s in signals.iter_mut().filter(|s| s.rule == "kw.spam") {
            s.scenario = Scenario::CommentSpam;
        }
    }
}

/// Copyright words that trademark notices share ("infringement notice",
/// "intellectual property") speak for a trademark notice when the complaint
/// names a trademark and nothing that only copyright has (the word itself,
/// DMCA, a P2P or streaming notice, a report field).
fn route_trademark(signals: &mut [Signal]) {
    if !signals.iter().any(|s| s.rule == "kw.trademark") {
        return;
    }
    const SHARED: &[&str] = &["kw.ip_rights", "kw.infringement", "kw.copyright_links"];
    if signals.iter().any(|s| s.scenario == Scenario::Copyright && !SHARED.contains(&s.rule.as_str())) {
        return;
    }
    for s in signals.iter_mut().filter(|s| SHARED.contains(&s.rule.as_str())) {
        s.scenario = Scenario::Other;
        s.subkind = Some("trademark".into());
    }
}

/// Sextortion spam ("SPAM_BLACKMAIL") names blackmail as the spam's
/// content: that word then speaks for the spam, not for a threat against
/// the reporter.
fn route_sextortion(signals: &mut [Signal]) {
    if !signals.iter().any(|s| s.rule == "kw.sextortion_spam") {
        return;
    }
    for s in signals.iter_mut().filter(|s| s.scenario == Scenario::Threats) {
        let m = s.matched.to_lowercase();
        if ["blackmail", "extortion", "erpress"].iter().any(|w| m.contains(w)) {
            s.scenario = Scenario::WebmailSpam;
            s.subkind = Some("sextortion".into());
        }
    }
}

/// Scenarios whose reply speaks of traffic that left the address.
const TRAFFIC_ONLY: &[Scenario] = &[
    Scenario::Hacking,
    Scenario::EcommerceFraud,
    Scenario::WebmailSpam,
    Scenario::SshBruteforce,
    Scenario::WebBruteforce,
    Scenario::AccountCompromise,
];

/// The kind of answer bounds the scenario: a complaint about what runs *on*
/// the address (a vulnerable server, a scam site, a spamvertised page) gets
/// no reply block written for traffic from it; a request for data is a
/// law-enforcement matter (its scenario is the offence it names, if any); a message that is
/// no complaint (a closure notice, an automatic reply) quotes words of the
/// case it is about, which decide nothing. The scenario stays where a log
/// line or a report field proves it, or where its evidence is very strong
/// (not-a-complaint only); a signal `kind.*` says when the kind decided.
fn shape_by_kind(out: &mut Classification) {
    // Something on the address: its infection or compromise is the matter
    // (see `order.act_first`), not the act it may explain.
    if out.kind == Kind::Hosted && out.signals.iter().any(|s| s.rule == "order.act_first") {
        if let Some(i) = out.labels.iter().position(|l| l.scenario == Scenario::Other) {
            let other = out.labels.remove(i);
            out.labels.insert(0, other);
            out.signals.retain(|s| s.rule != "order.act_first");
        }
    }
    let Some(primary) = out.labels.first().cloned() else { return };
    if primary.scenario == Scenario::Other && out.kind != Kind::LawEnforcement {
        return;
    }
    let proven = out.signals.iter().any(|s| {
        s.scenario == primary.scenario
            && s.weight >= 0.8
            && (s.rule.starts_with("log.") || (is_field_rule(&s.rule) && s.rule != "web_server"))
    });
    // A reflector the victim saw in a flood: the flood is the matter.
    let seen = out.signals.iter().any(|s| s.rule == "kw.reflection_seen");
    let (rule, subkind, why) = match out.kind {
        // An open service's report names the amplification it could serve
        // ("can be abused for DNS amplification"): the service is the
        // matter, unless a log shows the flood itself.
        Kind::Hosted
            if (TRAFFIC_ONLY.contains(&primary.scenario)
                || (matches!(primary.subkind.as_deref(), Some("udp" | "flood" | "amplification")) && !seen))
                && !proven =>
        {
            let sub = out.signals.iter().find(|s| s.scenario == Scenario::Other).and_then(|s| s.subkind.clone());
            ("kind.hosted", sub, "content or a service on the address: no traffic reply")
        }
        // A request for data keeps the offence it investigates as its
        // scenario (the corpus labels a police request about threats
        // `threats`); only a request that names none is other/law_enforcement.
        Kind::LawEnforcement
            if primary.scenario == Scenario::Other && primary.subkind.as_deref() != Some("law_enforcement") =>
        {
            ("kind.law_enforcement", Some("law_enforcement".to_string()), "a request for data")
        }
        // A closure notice, an automatic reply or a bounce only quotes the
        // matter it is about, however clearly; other no-complaints (a
        // rejected notice) keep a scenario they prove.
        Kind::NotAComplaint if (!proven && primary.score < 0.9) || quotes_only(out.kind_reason.as_deref()) => {
            ("kind.not_a_complaint", None, "no complaint: the words it quotes decide nothing")
        }
        _ => return,
    };
    let other = out
        .signals
        .iter()
        .filter(|s| s.scenario == Scenario::Other)
        .fold(0.0, |acc, s| 1.0 - (1.0 - acc) * (1.0 - s.weight));
    out.labels = vec![Label { scenario: Scenario::Other, subkind: subkind.clone(), score: round2(other) }];
    out.confidence = round2(other.max(0.5).min(out.confidence.max(0.5)));
    out.signals.insert(
        0,
        Signal {
            rule: rule.into(),
            scenario: Scenario::Other,
            subkind,
            weight: 0.0,
            matched: format!("{why} (was {})", primary.id()),
        },
    );
}

/// A no-complaint whose words are all quoted: a closure notice, an
/// automatic reply, a delivery report (see `KindRules::decide`).
fn quotes_only(reason: Option<&str>) -> bool {
    reason.is_some_and(|r| {
        ["a closure notice", "an automatic reply", "a delivery status report"].iter().any(|p| r.starts_with(p))
    })
}

/// `text` with each line break that wraps a sentence (a letter or a comma
/// before it, a lower-case letter after it) made a space: hard-wrapped mail
/// breaks phrases ("credential\nstuffing", "port\nscan") the keyword table
/// reads as one. The text keeps its length and its other lines (log lines,
/// tables and headings start otherwise).
fn unwrapped(text: &str) -> Cow<'_, str> {
    let wraps = |i: usize| {
        let before = text[..i].chars().next_back().is_some_and(|c| c.is_alphabetic() || c == ',');
        let after = text[i + 1..].chars().next().is_some_and(char::is_lowercase);
        before && after
    };
    let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).filter(|&i| wraps(i)).collect();
    if breaks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for i in breaks {
        bytes[i] = b' ';
    }
    // A newline byte replaced by a space byte keeps the text UTF-8.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// Rules whose matches are report-format fields: the reporter's machine
/// saying what the report is about.
fn is_field_rule(rule: &str) -> bool {
    ["arf.", "xarf.", "acns.", "format.", "web_server"].iter().any(|p| rule.starts_with(p))
}

/// A second label needs evidence of its own, independent of the first: a
/// report-format field, a log line, the subject or the reporter's category
/// line naming it, or at least two different clear keywords (weight ≥ 0.5)
/// in the prose. One passing word ("infringes", "botnets" in an
/// explanation) is not enough.
fn has_own_evidence(sc: Scenario, signals: &[Signal], named: &BTreeSet<&'static str>) -> bool {
    let mut clear = BTreeSet::new();
    for s in signals.iter().filter(|s| s.scenario == sc) {
        if ((is_field_rule(&s.rule) || s.rule.starts_with("log.")) && s.weight >= 0.5)
            || named.contains(s.rule.as_str())
        {
            return true;
        }
        let base = PATTERNS.iter().find(|p| p.rule == s.rule).map_or(0.0, |p| p.weight);
        if s.rule.starts_with("kw.") && base >= 0.5 {
            clear.insert(s.rule.as_str());
        }
    }
    clear.len() >= 2
}

/// Combines signals per scenario and picks the labels.
///
/// Scores: `1 − Π(1 − w)` over a scenario's signals. The primary label is
/// the best-scored scenario (threats excepted, see below); secondary labels
/// need a high score and evidence of their own. The confidence is the
/// primary's score, lowered by half the score of the best scenario that was
/// *not* kept (a quarter when that rival rests on weak evidence), and never
/// below the score of a secondary label: the primary is the strongest
/// label. Strong threats lead whatever their score, because their playbook
/// governs the reply; a signal `order.threats_first` then says so.
fn decide(mut signals: Vec<Signal>, named: &BTreeSet<&'static str>) -> Classification {
    signals.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.rule.cmp(&b.rule)));
    let mut scores: BTreeMap<Scenario, f64> = BTreeMap::new();
    for s in &signals {
        let e = scores.entry(s.scenario).or_insert(0.0);
        *e = 1.0 - (1.0 - *e) * (1.0 - s.weight);
    }
    // A scenario with nothing but a generic word ("attack") says nothing.
    let weak_only =
        |sc: Scenario| signals.iter().filter(|s| s.scenario == sc).all(|s| WEAK_ALONE.contains(&s.rule.as_str()));
    let mut ranked: Vec<(Scenario, f64)> = scores.into_iter().filter(|(sc, _)| !weak_only(*sc)).collect();
    // Ties go to the more specific scenario (the order of DESIGN.md, `other` last).
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // The strongest specific sub-kind; a generic one ("notice") only when
    // nothing more specific fired.
    let subkind_of = |sc: Scenario| {
        let mine = || signals.iter().filter(|s| s.scenario == sc); // strongest first
        mine()
            .find_map(|s| s.subkind.clone().filter(|k| !GENERIC_SUBKINDS.contains(&k.as_str())))
            .or_else(|| mine().find_map(|s| s.subkind.clone()))
    };
    if ranked.first().is_none_or(|(_, s)| *s < MIN_SCORE) {
        let score = ranked.first().map_or(0.0, |r| r.1);
        return Classification {
            labels: vec![Label { scenario: Scenario::Other, subkind: subkind_of(Scenario::Other), score }],
            confidence: 0.2,
            signals,
            rule: None,
            kind: Kind::default(),
            kind_reason: None,
        };
    }
    let best_score = ranked[0].1;
    // Serious-case precedence: strongly evidenced threats or harassment lead,
    // because their playbook governs the whole answer.
    let mut promoted = false;
    if let Some(i) = ranked.iter().position(|(s, score)| *s == Scenario::Threats && *score >= THREATS_LEAD) {
        promoted = i > 0;
        let threats = ranked.remove(i);
        ranked.insert(0, threats);
    }
    let mut act_first = false;
    // An infection or a compromise explains why an address did something;
    // when the complaint reports that act (a flood, a brute force) the
    // reply answers the act.
    if !promoted
        && ranked.len() > 1
        && ranked[0].0 == Scenario::Other
        && EXPLAINS.contains(&subkind_of(Scenario::Other).as_deref().unwrap_or(""))
    {
        if let Some(i) = ranked.iter().position(|(sc, score)| *sc != Scenario::Other && *score >= ACT_MIN) {
            let act = ranked.remove(i);
            ranked.insert(0, act);
            act_first = true;
        }
    }
    let (top, top_score) = ranked[0];
    let mut labels = vec![Label { scenario: top, subkind: subkind_of(top), score: top_score }];
    let mut rival: Option<(Scenario, f64)> = None;
    for &(sc, score) in ranked.iter().skip(1) {
        let keep = labels.len() < 3
            && score >= SECOND_MIN
            && score >= SECOND_SHARE * best_score
            && has_own_evidence(sc, &signals, named);
        if keep {
            labels.push(Label { scenario: sc, subkind: subkind_of(sc), score });
        } else if rival.is_none() {
            rival = Some((sc, score));
        }
    }
    let penalty =
        rival.map_or(0.0, |(sc, score)| if has_own_evidence(sc, &signals, named) { 0.5 * score } else { 0.25 * score });
    let mut confidence = (top_score - penalty).clamp(0.0, 1.0);
    if act_first {
        signals.insert(
            0,
            Signal {
                rule: "order.act_first".into(),
                scenario: top,
                subkind: None,
                weight: 0.0,
                matched: "the reported act leads; the infection or compromise explains it".into(),
            },
        );
    }
    if !promoted {
        confidence = labels.iter().skip(1).map(|l| l.score).fold(confidence, f64::max);
    } else {
        signals.insert(
            0,
            Signal {
                rule: "order.threats_first".into(),
                scenario: Scenario::Threats,
                subkind: None,
                weight: 0.0,
                matched: "threats lead the reply whatever else scores higher: their playbook governs it".into(),
            },
        );
    }
    Classification {
        labels,
        kind: Kind::default(),
        kind_reason: None,
        confidence: round2(confidence),
        signals,
        rule: None,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn signal(rule: &str, scenario: Scenario, subkind: Option<&str>, weight: f64, matched: &str) -> Signal {
    Signal {
        rule: rule.to_string(),
        scenario,
        subkind: subkind.map(str::to_string),
        weight: (weight * 100.0).round() / 100.0,
        matched: shorten(matched),
    }
}

/// At most 80 characters, one line, no control characters.
fn shorten(s: &str) -> String {
    let mut out: String =
        s.chars().map(|c| if c.is_control() { ' ' } else { c }).take(80).collect::<String>().trim().to_string();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

pub(crate) fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `LoginAttack` → `login_attack` (X-ARF 0.2 writes types in camel case).
fn camel_to_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Keywords that name a scenario when a line lists abuse types.
fn names_scenario(rule: &str) -> bool {
    rule.starts_with("kw.") && !matches!(rule, "kw.attack_generic" | "kw.scan_generic")
}

/// One pattern as `regex::RegexBuilder::new(s).case_insensitive(true)`
/// builds it (the same configuration, as a meta regex).
fn one_regex(source: &str) -> std::result::Result<meta::Regex, String> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(10 << 20))
                .hybrid_cache_capacity(2 << 20)
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .utf8_empty(true),
        )
        .syntax(syntax::Config::new().case_insensitive(true).utf8(true))
        .build(source)
        .map_err(|e| e.to_string())
}

/// `\b` in Unicode mode stops the fast DFA engines on non-ASCII text; the
/// patterns only need word boundaries next to ASCII letters.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use exitdesk_model::{ComplaintText, Event};

    fn complaint(subject: &str, prose: &str) -> Complaint {
        Complaint {
            subject: Some(subject.into()),
            text: ComplaintText { prose: prose.into(), ..ComplaintText::default() },
            ..Complaint::default()
        }
    }

    fn top(c: &Complaint) -> String {
        let k = Classifier::builtin().unwrap().classify(c);
        k.labels[0].id()
    }

    #[test]
    fn a_request_for_data_keeps_the_offence_it_investigates() {
        let c = complaint(
            "Request for subscriber information",
            "The Cyber Crime Unit is investigating death threats sent to a school from 192.0.2.9. \
             Under the Telecommunications Act we request the name and address of the customer to whom the address \
             was assigned at that time.",
        );
        let k = Classifier::builtin().unwrap().classify(&c);
        assert_eq!(k.kind, Kind::LawEnforcement);
        assert_eq!(k.labels[0].scenario, Scenario::Threats, "{k:?}");
        let c = complaint(
            "Preservation request",
            "The police request the preservation of data: please preserve the logs of 192.0.2.9 for 90 days.",
        );
        assert_eq!(top(&c), "other/law_enforcement");
    }

    #[test]
    fn phrases_broken_by_line_wrapping_are_read() {
        let c = complaint(
            "Forum accounts",
            "Since Monday 192.0.2.66 tried thousands of logins on our forum with stolen lists (credential\n\
             stuffing); 37 accounts were taken over.",
        );
        assert_eq!(top(&c), "account_compromise");
        assert_eq!(unwrapped("Jan 10 sshd\nJan 11 sshd"), "Jan 10 sshd\nJan 11 sshd");
        assert_eq!(unwrapped("a port\nscan."), "a port scan.");
    }

    #[test]
    fn an_open_service_is_no_flood() {
        let c = complaint(
            "Open DNS resolver on 192.0.2.53",
            "We found an open recursive resolver on 192.0.2.53 (UDP port 53), publicly accessible from the \
             Internet. Open resolvers can be abused for DNS amplification attacks. Please restrict it.",
        );
        let k = Classifier::builtin().unwrap().classify(&c);
        assert_eq!(k.kind, Kind::Hosted);
        assert_eq!(k.labels[0].scenario, Scenario::Other, "{k:?}");
        // A reflector seen in a flood is reported for the flood.
        let c = complaint(
            "NTP amplification from 192.0.2.123",
            "A public NTP server on 192.0.2.123, UDP port 123, participated in a large attack against a customer \
             of ours, answering spoofed monlist requests. Please restrict it; open NTP servers are abused so.",
        );
        assert_eq!(top(&c), "dos_scraping/udp");
        // A flood the victim reports stays a flood.
        let c = complaint("UDP flood from 192.0.2.53", "192.0.2.53 sent a UDP flood of 2 Gbit/s against our server.");
        assert_eq!(top(&c), "dos_scraping/udp");
    }

    #[test]
    fn log_lines_decide() {
        let c = complaint(
            "Abuse",
            "Jan 10 12:00:01 host sshd[123]: Failed password for root from 192.0.2.7 port 4711 ssh2",
        );
        assert_eq!(top(&c), "ssh_bruteforce/ssh");
        let c = complaint("Abuse", "192.0.2.7 - - [10/Jan/2024:12:00:01 +0000] \"POST /wp-login.php HTTP/1.1\" 200");
        assert_eq!(top(&c), "web_bruteforce/wordpress");
        let c = complaint("Abuse", "GET /index.php?id=1%20UNION%20SELECT%20password%20FROM%20users");
        assert_eq!(top(&c), "hacking/sql_injection");
    }

    #[test]
    fn login_attempts_follow_the_target() {
        let mut c = complaint("Login attempts from your network", "We saw failed login attempts.");
        assert_eq!(top(&c), "ssh_bruteforce");
        c.events.push(Event { dest_port: Some(443), ..Event::default() });
        assert_eq!(top(&c), "web_bruteforce");
    }

    #[test]
    fn languages() {
        assert_eq!(top(&complaint("Portscan von Ihrer IP", "")), "dos_scraping/port_scan");
        assert_eq!(top(&complaint("Escaneo de puertos", "")), "dos_scraping/port_scan");
        assert_eq!(top(&complaint("Útok hrubou silou", "")), "ssh_bruteforce");
        assert_eq!(top(&complaint("Нарушение авторских прав", "")), "copyright/notice");
        assert_eq!(top(&complaint("Tentativas de login por força bruta", "")), "ssh_bruteforce");
        assert_eq!(top(&complaint("Notification de droit d'auteur", "")), "copyright/notice");
    }

    #[test]
    fn nothing_is_other_with_low_confidence() {
        let k = Classifier::builtin().unwrap().classify(&complaint("Hello", "Please look into this."));
        assert_eq!(k.scenario(), Scenario::Other);
        assert!(k.confidence < 0.5);
    }

    #[test]
    fn two_scenarios() {
        let c = complaint(
            "Death threats and DDoS",
            "The user sent death threats to our staff and then flooded our server with a DDoS attack.",
        );
        let k = Classifier::builtin().unwrap().classify(&c);
        let got: Vec<Scenario> = k.scenarios();
        assert!(got.contains(&Scenario::Threats) && got.contains(&Scenario::DosScraping), "{got:?}");
    }

    #[test]
    fn boilerplate_lists_of_abuse_types_do_not_count() {
        let c = complaint(
            "Abuse report",
            "We handle reports about spam, DDoS attacks, port scanning, hacking attempts and\ncopyright infringement.\n\nOur customer received unsolicited e-mail sent through your web form.\n",
        );
        let k = Classifier::builtin().unwrap().classify(&c);
        assert_eq!(k.scenario(), Scenario::WebmailSpam, "{:?}", k.signals);
        assert_eq!(k.labels.len(), 1);
    }

    fn labels(c: &Complaint) -> Vec<String> {
        Classifier::builtin().unwrap().classify(c).labels.iter().map(|l| l.id()).collect()
    }

    #[test]
    fn code_editor_requests_after_a_login_are_an_intrusion() {
        let log = "203.0.113.9 \"POST /wp-login.php HTTP/1.1\" 302\n203.0.113.9 \"GET /wp-admin/theme-editor.php?file=header.php HTTP/1.1\" 200";
        assert_eq!(top(&complaint("Suspicious activity", log)), "hacking/exploit");
        let guessing =
            "203.0.113.9 \"POST /wp-login.php HTTP/1.1\" 200\n203.0.113.9 \"POST /wp-login.php HTTP/1.1\" 200";
        assert!(top(&complaint("Suspicious activity", guessing)).starts_with("web_bruteforce"));
    }

    #[test]
    fn login_attacks_on_a_website_admin_are_web_brute_force() {
        for (subject, prose) in [
            (
                "Brute force on our website admin",
                "From IP 192.0.2.5 there were thousands of login attempts on the admin panel of our website.",
            ),
            (
                "Brute-Force auf unsere Webseite",
                "Von der IP 192.0.2.5 gab es tausende Anmeldeversuche im Admin-Bereich unserer Webseite.",
            ),
            (
                "Útok hrubou silou na přihlášení",
                "Z IP 192.0.2.5 probíhaly tisíce pokusů o přihlášení do administrace našeho webu.",
            ),
            (
                "Fuerza bruta",
                "Desde la IP 192.0.2.5 hubo miles de intentos de acceso al panel de administración de nuestro sitio web.",
            ),
        ] {
            assert_eq!(top(&complaint(subject, prose)), "web_bruteforce", "{subject}");
        }
        // Without a website, login attempts stay with the SSH reply.
        assert_eq!(top(&complaint("Brute force", "Thousands of login attempts from 192.0.2.5.")), "ssh_bruteforce");
    }

    #[test]
    fn service_overload_in_plain_words_is_dos() {
        for (subject, prose) in [
            (
                "Server overloaded",
                "From IP 192.0.2.5 we received thousands of requests per second which took our server down.",
            ),
            (
                "Sobrecarga del servidor",
                "Desde la IP 192.0.2.5 recibimos miles de peticiones por segundo que dejaron caído el servidor.",
            ),
            (
                "Überlastung",
                "Von der IP 192.0.2.5 kamen tausende Anfragen pro Sekunde, unser Server war nicht mehr erreichbar.",
            ),
            ("Surcharge", "Depuis l'adresse 192.0.2.5 nous avons reçu des milliers de requêtes par seconde."),
            ("Přetížení serveru", "Z IP 192.0.2.5 přicházely tisíce požadavků za sekundu."),
            ("Перегрузка сервера", "С IP 192.0.2.5 приходили тысячи запросов в секунду."),
            ("Sobrecarga", "Do IP 192.0.2.5 recebemos milhares de requisições por segundo e o servidor caiu."),
        ] {
            assert_eq!(top(&complaint(subject, prose)), "dos_scraping/flood", "{subject}");
        }
    }

    #[test]
    fn udp_reflection_has_its_own_subkind() {
        let c = complaint(
            "Exploitable NTP server used for an attack",
            "Your server answered monlist queries in an NTP amplification attack.",
        );
        assert_eq!(top(&c), "dos_scraping/udp");
    }

    #[test]
    fn comment_spam_in_more_languages() {
        for (subject, prose) in [
            (
                "Spam dans les commentaires",
                "Depuis l'IP 192.0.2.5 nous avons reçu des centaines de commentaires indésirables sur notre blog.",
            ),
            ("Spam no fórum", "Do IP 192.0.2.5 foram publicados centenas de comentários de spam no nosso fórum."),
            ("Spam v komentářích", "Z IP 192.0.2.5 přišly stovky spamových komentářů na náš blog."),
            ("Спам в комментариях", "С IP 192.0.2.5 на наш блог пришли сотни спам-комментариев."),
            ("Spam comments on our blog", "From IP 192.0.2.5 we received hundreds of spam comments on our blog."),
        ] {
            assert_eq!(
                Classifier::builtin().unwrap().classify(&complaint(subject, prose)).scenario(),
                Scenario::CommentSpam,
                "{subject}"
            );
        }
    }

    #[test]
    fn one_passing_word_adds_no_second_label() {
        // A law that "this page infringes" is not a copyright notice.
        let c = complaint(
            "Abuse report regarding one of your customers",
            "This is evidently harassment: the thread attacks our client, and we ask for the page to be taken down under the Protection from Harassment Act which this page infringes.",
        );
        assert_eq!(labels(&c), ["threats/harassment"]);
        // An explanation that mentions botnets does not make a scraping report a botnet report.
        let c = complaint(
            "Web attacks from 192.0.2.5",
            "Issue: client software detected as known botware. Blocks of this nature require automation distributed among several hosts (e.g. botnets).",
        );
        assert_eq!(labels(&c), ["dos_scraping/scraping"]);
        // A mailing-list footer is not a report about the list.
        let c = complaint(
            "abuse report about 192.0.2.5 -- service: ssh",
            "Jan 10 12:00:01 host sshd[123]: Failed password for root from 192.0.2.5 port 4711 ssh2\n\n-- \nYou received this message because you are subscribed to the Google Groups \"Abuse Desk\" group.\nTo unsubscribe from this group and stop receiving emails from it, send an email to desk+unsubscribe@example.org.\n",
        );
        assert_eq!(labels(&c), ["ssh_bruteforce/ssh"]);
        // The reporter's "intrusion detection system" is a tool, not an intrusion.
        let c = complaint(
            "Login attacks from 192.0.2.5",
            "This is an automated report from our intrusion detection system.\n192.0.2.5 - - [10/Jan/2024:12:00:01 +0000] \"POST /wp-login.php HTTP/1.1\" 200",
        );
        assert_eq!(labels(&c), ["web_bruteforce/wordpress"]);
    }

    #[test]
    fn a_trap_capture_is_spam_whatever_it_says() {
        let mut c = complaint("Your mailbox is full", "Verify your mailbox here to keep receiving mail.");
        c.trap = Some("Example Trap".into());
        let k = Classifier::builtin().unwrap().classify(&c);
        assert_eq!(k.scenarios().first(), Some(&Scenario::WebmailSpam), "{:?}", k.labels);
    }

    #[test]
    fn unknown_feedback_types_are_not_spam() {
        let mut c = complaint("Abuse report about 192.0.2.5 (LoginAttack)", "");
        c.text.fields.push(("arf.feedback-type".into(), "xarf".into()));
        let k = Classifier::builtin().unwrap().classify(&c);
        assert!(!k.scenarios().contains(&Scenario::WebmailSpam), "{:?}", k.labels);
    }

    #[test]
    fn the_primary_is_never_shown_weaker_than_a_secondary() {
        let c = complaint(
            "SSH brute force and port scan",
            "Jan 10 12:00:01 host sshd[123]: Failed password for root from 192.0.2.7 port 4711 ssh2\nThe same address ran a port scan of our network.",
        );
        let k = Classifier::builtin().unwrap().classify(&c);
        assert!(k.labels.len() >= 2, "{:?}", k.labels);
        for l in k.labels.iter().skip(1) {
            assert!(k.confidence >= (l.score * 100.0).round() / 100.0, "{} < {}", k.confidence, l.score);
        }
    }

    #[test]
    fn copyright_notices_say_what_kind() {
        let c = complaint(
            "Copyright Infringement Notice",
            "The following infringing links point to copyrighted material: 121 links",
        );
        assert_eq!(top(&c), "copyright/links");
        let c = complaint(
            "Live stream copyright infringement notification",
            "Copyright: a live video stream of the event is retransmitted.",
        );
        assert_eq!(top(&c), "copyright/streaming");
        let c = complaint(
            "Notice of copyright infringement",
            "Protocol: BitTorrent\nInfohash: 0123456789abcdef0123456789abcdef01234567",
        );
        assert_eq!(top(&c), "copyright/p2p");
        // "dos" is a Portuguese and Spanish word.
        let c = complaint(
            "Notificação de direitos autorais",
            "A transmissão dos jogos do campeonato é protegida por direitos autorais.",
        );
        assert_eq!(labels(&c).len(), 1, "{:?}", labels(&c));
    }

    /// The prefiltered search finds what the whole set finds, on every
    /// line, pair of lines and prose of the shipped messages (and the
    /// shared corpus when it is there), and on texts with awkward letters.
    #[test]
    fn prefiltered_search_is_exact() {
        let k = Classifier::builtin().unwrap();
        let x = exitdesk_extract::Extractor::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts: Vec<String> = [
            "Spam ſpam \u{212A}ill SPAM",
            "Überlastung durch DDoS-Angriff, Portscan und Spam",
            "СПАМ и брутфорс: попытки входа",
            "\u{0663} links to infringing pages; 12 links",
            "fórum spam ÿ failed password for root",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for dir in
            ["examples", "crates/exitdesk-app/tests/holdout", "crates/exitdesk-app/tests/holdout2", "../shared/corpus"]
        {
            let Ok(rd) = std::fs::read_dir(root.join(dir)) else { continue };
            for e in rd.flatten() {
                let Ok(raw) = std::fs::read(e.path()) else { continue };
                let c = x.extract(&raw, "test");
                texts.extend(c.subject);
                texts.push(c.text.prose);
            }
        }
        let whole = k.build_set(0..PATTERNS.len(), 128 << 20).unwrap();
        let set = |t: &str| whole.matches(t).into_iter().collect::<Vec<_>>();
        // Each pattern on its own (the fallback when a set cannot be built) says the same.
        for text in &texts {
            let each: Vec<usize> = (0..PATTERNS.len()).filter(|&i| k.each[i].is_match(text)).collect();
            assert_eq!(each, set(text), "{text}");
        }
        let enumerating =
            |t: &str| set(t).into_iter().filter(|&i| names_scenario(PATTERNS[i].rule)).collect::<Vec<_>>();
        for text in &texts {
            assert_eq!(k.matches(text), set(text), "{text}");
            assert_eq!(k.hits(text, None).iter().map(|h| h.0).collect::<Vec<_>>(), set(text), "{text}");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                assert_eq!(k.enumeration_matches(line), enumerating(line), "{line}");
                if let Some(next) = lines.get(i + 1) {
                    let pair = format!("{line} {next}");
                    assert_eq!(k.enumeration_matches(&pair), enumerating(&pair), "{pair}");
                }
            }
        }
    }

    /// Anchored searches at the literals' occurrences find what `find_iter`
    /// over the whole text finds (count and first match), on the subjects
    /// and proses of the shipped messages and the corpus, their lines and
    /// texts that make a pattern miss often; and the candidates of a line
    /// from the occurrences in the whole text are those of the line.
    #[test]
    fn anchored_hits_are_find_iter() {
        let k = Classifier::builtin().unwrap();
        let x = exitdesk_extract::Extractor::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts: Vec<String> = vec![
            "spam ".repeat(3) + &"s ".repeat(500) + "spam",
            "1 ".repeat(400) + "12 links, 7 links and 3 links",
            "Failed password for root ".repeat(9),
            "Überlastung: spam, Spam, SPAM, fórum spam, \u{212A}ill ſpam".into(),
        ];
        for dir in
            ["examples", "crates/exitdesk-app/tests/holdout", "crates/exitdesk-app/tests/holdout2", "../shared/corpus"]
        {
            let Ok(rd) = std::fs::read_dir(root.join(dir)) else { continue };
            for e in rd.flatten() {
                let Ok(raw) = std::fs::read(e.path()) else { continue };
                let c = x.extract(&raw, "test");
                texts.extend(c.subject);
                let (filtered, _) = k.without_boilerplate(&c.text.prose);
                texts.push(filtered);
                texts.push(c.text.prose);
            }
        }
        fn scanned<'t>(k: &Classifier, t: &'t str) -> Vec<(usize, usize, &'t str)> {
            (0..PATTERNS.len()).filter_map(|i| k.scan(t, i, 0)).collect()
        }
        let whole = k.build_set(k.enumerating.iter().copied(), 64 << 20).unwrap();
        for text in &texts {
            assert_eq!(k.hits(text, None), scanned(&k, text), "{text}");
            for line in text.lines() {
                assert_eq!(k.hits(line, None), scanned(&k, line), "{line}");
            }
            if let Some(occ) = k.prefilter.occurrences(text) {
                let always: Vec<usize> =
                    occ.always.iter().copied().filter(|&i| k.is_enumerating[i] && k.each[i].is_match(text)).collect();
                for line in text.lines() {
                    let want: Vec<usize> = whole.matches(line).into_iter().map(|j| k.enumerating[j]).collect();
                    assert_eq!(k.line_enumeration_matches(text, line, &occ, &always), want, "{line}");
                }
            }
        }
    }

    #[test]
    fn signatures_disclaimers_and_guesses_weigh_little() {
        // A relay's footer after the signature separator is not the complaint.
        let c = complaint(
            "Abuse report",
            "Please look into 192.0.2.5.\n\n--\nThis e-mail was sent from a contact form on example.org\n",
        );
        assert_eq!(labels(&c), ["other"]);
        // A guess at the cause and the list it introduces weigh less than the act reported.
        let c = complaint(
            "Attack from 192.0.2.5",
            "192.0.2.5 took part in a DDoS attack against our customer.\n\nIt is likely that this host is one of the following:\n\n- a router with a default password\n- a server whose SSH password was brute-forced\n- a desktop reached over RDP\n",
        );
        assert_eq!(top(&c), "dos_scraping/flood");
    }

    #[test]
    fn a_generic_word_alone_decides_nothing() {
        let c = complaint("Your server 192.0.2.5 has been registered as an attack source", "");
        assert_eq!(labels(&c), ["other"]);
    }

    #[test]
    fn the_act_leads_over_its_explanation() {
        let c = complaint(
            "DDoS from your network",
            "Infected servers in your network took part in a DDoS attack; they are infected with malware.",
        );
        assert_eq!(top(&c), "dos_scraping/flood");
    }

    #[test]
    fn trademark_notices_are_not_copyright() {
        let c = complaint(
            "Trademark Infringement Notice",
            "The site on 192.0.2.5 uses our client's trademark without permission; we hold the intellectual property rights.",
        );
        assert_eq!(top(&c), "other/trademark");
        let c = complaint("DMCA notice", "Copyright and trademark infringement on the site at 192.0.2.5.");
        assert_eq!(top(&c), "copyright/notice");
    }

    #[test]
    fn the_kind_bounds_the_scenario() {
        // Something on the address gets no traffic reply.
        let c = complaint(
            "Fraudulent website removal request",
            "We request the takedown of this fraudulent website hosted on your server 192.0.2.5.",
        );
        let k = Classifier::builtin().unwrap().classify(&c);
        assert_eq!(k.kind, Kind::Hosted);
        assert_eq!(k.scenario(), Scenario::Other, "{:?}", k.signals);
        // A closure notice quotes the case's words; they decide nothing.
        let c = complaint("Ticket closed", "The ticket about login attempts over SSH from 192.0.2.5 has been closed.");
        let k = Classifier::builtin().unwrap().classify(&c);
        assert_eq!(k.kind, Kind::NotAComplaint);
        assert_eq!(k.scenario(), Scenario::Other, "{:?}", k.signals);
    }

    #[test]
    fn bulk_extortion_spam_is_spam_and_a_letter_is_a_threat() {
        let c = complaint("[Ticket#1] SPAM_BLACKMAIL", "Our filter logged spam from 192.0.2.5.");
        assert_eq!(top(&c), "webmail_spam/sextortion");
        let c = complaint("Extortion email from your IP", "Someone tries to blackmail me from 192.0.2.5.");
        assert_eq!(Classifier::builtin().unwrap().classify(&c).scenario(), Scenario::Threats);
    }

    #[test]
    fn camel() {
        assert_eq!(camel_to_snake("LoginAttack"), "login_attack");
    }
}
