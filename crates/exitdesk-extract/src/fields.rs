//! The remaining facts: reference ids, who complained (and who forwarded),
//! whether an answer is expected, the language of the prose, and whether the
//! message wraps someone else's complaint.

use std::net::IpAddr;

use regex::Regex;

use crate::ip::IpFinder;
use crate::mime::{Addr, Doc, PartKind};
use crate::text::{Line, Region, header_key};

/// How the ticket id was found.
#[derive(Debug, Clone)]
pub(crate) struct TicketEvidence {
    pub(crate) place: String,
    pub(crate) rule: &'static str,
    pub(crate) confidence: u8,
}

/// The outer message, as the forward decision needs it.
#[derive(Debug, Default)]
pub(crate) struct Outer<'a> {
    pub(crate) subject: Option<&'a str>,
    /// The domains the message comes from (`From:`, a list's original
    /// sender, `Reply-To:`), lower case.
    pub(crate) sender_domains: Vec<String>,
    /// The accused addresses.
    pub(crate) reported: &'a [IpAddr],
    /// For each text part, how many `message/rfc822` envelopes enclose it.
    pub(crate) nested: Vec<u8>,
}

/// The forward decision: where the wrapped complaint starts (none: the
/// message is the sender's own), the line that decided and the rule.
#[derive(Debug, Default, Clone)]
pub(crate) struct Wrapping {
    pub(crate) start: Option<usize>,
    pub(crate) line: Option<usize>,
    pub(crate) rule: &'static str,
}

/// True when two mail domains belong to one organisation: equal, or equal
/// in their last two labels (three under a two-letter second level such as
/// `co.uk`).
pub(crate) fn same_organisation(a: &str, b: &str) -> bool {
    fn base(d: &str) -> String {
        let labels: Vec<&str> = d.trim_end_matches('.').rsplit('.').collect();
        let take = if labels.len() > 2 && labels[1].len() <= 3 && labels[0].len() == 2 { 3 } else { 2 };
        labels.iter().take(take).rev().copied().collect::<Vec<_>>().join(".")
    }
    !a.is_empty() && !b.is_empty() && base(&a.to_ascii_lowercase()) == base(&b.to_ascii_lowercase())
}

/// Compiled patterns for ids, forwards and reply hints.
#[derive(Debug, Clone)]
pub(crate) struct FieldPatterns {
    subject_ids: Vec<(u32, &'static str, Regex)>,
    subject_token: Regex,
    /// "Merci de rappeler la référence X" and its Spanish/Portuguese kin.
    keep_reference: Regex,
    keep_in_subject: Regex,
    report_id: Regex,
    /// "Our reference for this incident is X", "the case number is X".
    reference_is: Regex,
    id_line: Regex,
    bracket_token: Regex,
    forward_marker: Regex,
    provider_intro: Regex,
    separator: Regex,
    original_marker: Regex,
    attribution: Regex,
    to_customer: Regex,
    complaint_word: Regex,
    no_reply: Regex,
    no_reply_subject: Regex,
    web_form: Regex,
    contact: Regex,
    email: Regex,
    via_group: Regex,
}

impl FieldPatterns {
    pub(crate) fn new() -> FieldPatterns {
        let re = crate::re::compile;
        FieldPatterns {
            // Subject id shapes, each with a score: the best-scored candidate
            // wins, the earliest among equals (see `ticket`).
            subject_ids: vec![
                (100, "bracketed ticket id", re(r"(?i)\[\s*Ticket\s*ID:\s*([^\]]+?)\s*\]")),
                (100, "bracketed abuse id", re(r"\[(AbuseID:[^\]\s]+)\]")),
                (100, "SpamCop id", re(r"(?i)\[SpamCop[^\]]*?\bid:\s*([0-9]+)\]")),
                // `[EXN-552190] Fwd: Notice … ID 40417733`: the tag a forwarder's
                // tracker put before the forwarded subject is its own id.
                (
                    95,
                    "forwarder's tag before Fwd:",
                    re(
                        r"(?i)^\s*\[\s*([A-Za-z0-9][\w.:#/-]*[0-9][\w.:#/-]*)\s*\]\s*(?:fwd?|wg|tr|rv|i|inoltro|doorst)\s*:",
                    ),
                ),
                // `[CERT-X #123]`, `(RWT #177003)`, `[NKSC/CERT-LT #432928]`
                (
                    90,
                    "bracketed tracker id with #",
                    re(r"[\[(]\s*([A-Za-z][\w.|/]*(?:\s*-\s*[\w.|/-]+)*\s?#\s?[0-9][0-9A-Za-z./-]*)\s*[\])]"),
                ),
                (85, "bracketed #number", re(r"\[\s*(#\s?[0-9]{3,})\s*\]")),
                // `(#AB-4821-7730)`: a tracker's # before a lettered id, the id without it
                (85, "bracketed #id", re(r"[\[(]\s*#\s?([A-Za-z][\w]*-[\w-]*[0-9][\w-]*)\s*[\])]")),
                // `[Case 2025-0417-88213]`: a tracker's word and its id, kept
                // whole like `[Queue #1]` (a label with a colon goes)
                (84, "bracketed word and id", re(r"\[\s*([A-Za-z][A-Za-z.]{1,15}\s[0-9][\w./-]{3,}[0-9])\s*\]")),
                // `[#a1b2c3]`, `[~ABC-123-45678]`: a tracker's marker before the id
                (85, "tracker-marked id", re(r"\[[#~]([A-Za-z0-9][\w.:-]{3,})\]")),
                // `#HE-DE:0a1b2c3d4e5f67890#`: an id between hash delimiters
                (80, "id between # delimiters", re(r"(?:^|\s)#([A-Za-z0-9][\w.:-]{5,}[A-Za-z0-9])#(?:\s|$)")),
                // A German prosecutor's or court's file number (`Az. 512 Js
                // 40321/25`: department, register, number/year), spaces and all.
                (
                    75,
                    "German file number",
                    re(
                        r"(?i)\b(?:az\.?|aktenzeichen|gesch[äa]ftszeichen)\s*:?\s*([0-9]{1,4}\s+[A-Za-z]{1,4}\s+[0-9]{1,7}/[0-9]{2,4})\b",
                    ),
                ),
                (
                    70,
                    "labelled id",
                    re(
                        r"(?i)\b(?:case|notice|ticket|incident|report|reference|r[ée]f|rid|complaint|journal|vorgang|ticketnummer|az\.|aktenzeichen|referencia|expediente|dossier|pv|proc[eè]s[- ]verbal|rif|riferimento|protocollo|pratica|segnalazione|kenmerk|zaak|melding|zg[lł]oszeni[ea]|sprawa|caso|protocolo|chamado|incidente|ocorr[êe]ncia|folio|r[ée]f[ée]rence|inqu[ée]rito|processo|№)\.?(?:\s*|-)(?:id|no\.?|number|nr\.?|n[.º°]|n\.?\s?[º°]|nº)?\s*[:#]?\s*#?\s*\[?([A-Za-z0-9][\w.\-/]*[0-9][\w.\-/]*)\]?",
                    ),
                ),
                // The same in Cyrillic: `Заявка ABZ-3381`, `Обращение № 4711`.
                (
                    70,
                    "labelled id",
                    re(
                        r"(?:[Зз]аявк[аиеу]|[Оо]бращени[ея]|[Тт]икет|[Дд]ело|[Ии]нцидент)\s*(?:№|N|#)?\s*:?\s*([A-Za-z0-9][\w.\-/]*[0-9][\w.\-]*)",
                    ),
                ),
                (60, "ID: number", re(r"\bID\s*[:#]?\s*([0-9]{5,})\b")),
                // "Abuse Notification ID: 8f3a2b1c-4d5e-…": a labelled id of letters, digits and dashes
                (
                    58,
                    "labelled ID",
                    re(
                        r"(?i)\b(?:notification|notice|report|case|ticket|incident|complaint|reference)\s+id\s*[:#]\s*([A-Za-z0-9][A-Za-z0-9-]{5,}[A-Za-z0-9])",
                    ),
                ),
                (50, "leading id with a colon", re(r"^\s*([A-Za-z][A-Za-z0-9]*[_-][\w-]*[0-9][\w-]*)\s*:")),
                (45, "bracketed token", re(r"\[([A-Za-z0-9][\w.:-]{4,})\]")),
                // `(CERT-437124)`: in parentheses only a lettered id with a dash
                // (a bare number there is a count)
                (
                    45,
                    "lettered id in parentheses",
                    re(r"\(([A-Za-z][A-Za-z0-9]*[-_][A-Za-z0-9-]*[0-9][A-Za-z0-9-]*)\)"),
                ),
                // "Issue 61868358": a tracker's word, weaker than any bracketed id
                (40, "issue number", re(r"(?i)\bissue\s*(?:no\.?|n[.º°]|#)?\s*:?\s*([0-9]{4,})\b")),
                // A bare token of letters, a dash and digits: `ENF-6917516`
                (20, "bare dashed id", re(r"(?:^|\s)([A-Za-z][A-Za-z0-9]*-[0-9][0-9-]{4,})(?:[\s,;:]|$)")),
                // A bare number of six or more digits: `BELL 555455542917`
                (15, "bare long number", re(r"(?:^|\s)([0-9]{6,20})(?:[\s,;:]|$)")),
            ],
            keep_reference: re(
                r"(?i)(?:rappeler|indiquer|mentionner|conserver|reprendre)[ \t]+(?:la|notre)[ \t]+r[ée]f[ée]rence[ \t]+([A-Za-z0-9][A-Za-z0-9./_-]{3,59})|(?:indique|mantenga|incluya|cite)[ \t]+(?:la|el|nuestra|nuestro)[ \t]+(?:referencia|n[úu]mero de (?:caso|expediente|referencia))[ \t]+([A-Za-z0-9][A-Za-z0-9./_-]{3,59})|(?:mantenha|inclua|indique)[ \t]+(?:a|o)[ \t]+(?:refer[êe]ncia|n[úu]mero do (?:caso|processo))[ \t]+([A-Za-z0-9][A-Za-z0-9./_-]{3,59})|(?:vermeld|noem|gebruik)[ \t]+(?:[a-z]+[ \t]+){0,5}?(?:onze|de|het|uw)[ \t]+(?:referentie|kenmerk|ticketnummer|zaaknummer|dossiernummer)[ \t]+([A-Za-z0-9][A-Za-z0-9./_-]{3,59})|(?:indicare|citare|riportare)[ \t]+(?:il|la)[ \t]+(?:nostro[ \t]+|nostra[ \t]+)?(?:riferimento|numero di pratica|pratica)[ \t]+([A-Za-z0-9][A-Za-z0-9./_-]{3,59})",
            ),
            subject_token: re(r"[A-Za-z0-9][A-Za-z0-9_#.-]*[A-Za-z0-9]"),
            keep_in_subject: re(
                r#"(?i)(?:include|keep|quote|leave|maintain|reference|use)\s+(?:always\s+)?(?:the\s+|our\s+|this\s+)?(?:(?:incident|case|ticket|abuse|complaint|report)\s+)?(?:string|identifier|reference(?:\s+number)?|ticket(?:\s+number)?|id|abuse\s*id|number)?\s*[:"“'\[(]*\s*([^\s"”'\])]{4,60})\s*["”'\])]*\s+(?:unchanged\s+)?in\s+(?:the\s+subject|(?:any|all|your|every)\s+(?:reply|replies|response|responses|correspondence|communication))"#,
            ),
            report_id: re(r"(?i)\breport[- ]id\s*:\s*([\w.@-]{4,})"),
            reference_is: re(
                r"(?i)\b(?:reference|ref|case|ticket|incident|report)(?:\s+(?:number|no\.?|id))?(?:\s+(?:for|of)\s+(?:this|the|your)\s+\w+)?\s+(?:is|was)\s*:?\s*([A-Za-z0-9][\w.\-/]*[0-9][\w.\-/]*)",
            ),
            id_line: re(
                r"(?i)^\s*[-*•]?\s*(?:(?:our|your|the|my)\s+)?(?:reference|ref\.?|ticket|case|incident|complaint|report|notice|vorgang|aktenzeichen|referencia|expediente|dossier|r[ée]f[ée]rence)(?:\s*(?:id|no\.?|number|nr\.?|nummer|n[úuo°]mero|#))?\s*[:#]\s*#?\s*([A-Za-z0-9][\w.\-/#]*[0-9][\w.\-]*?)[.,;]?\s*$",
            ),
            bracket_token: re(r"\[([A-Za-z0-9][\w-]{7,})\]"),
            forward_marker: re(r"(?ix)^\s*(?:
                   -{2,}\s*(?:begin\s+)?forwarded\s+(?:message|complaint|report|notice|e-?mail|mail)\s*-*:?
                 | begin\s+forwarded\s+message\s*:?
                 | -{2,}\s*weitergeleitete\s+nachricht.*
                 | -{2,}\s*message\s+(?:transféré|d'origine).*
                 | ={2,}\s*abuse\s+report\s+begins\s*={2,}
                 | -+\s*forwarded\s+by\b.*
                 | -{2,}\s*(?:(?:original|ursprüngliche)\s+(?:complaint|beschwerde|report|meldung)|plainte\s+d'origine|(?:segnalazione|messaggio|reclamo)\s+original[ea]|(?:denuncia|queja|mensaje|reporte)\s+original|oorspronkelijke?\s+(?:melding|klacht|bericht))\s*-{2,}
                 | (?:the\s+)?original\s+(?:notification|complaint|report|notice|message)\s+(?:is\s+)?(?:placed\s+|included\s+|quoted\s+|shown\s+)?below\s*:?
                 | -*\s*the\s+following\s+(?:material|complaint|report|message|notice|evidence)\s+was\s+(?:provided|sent|submitted|forwarded|reported)\s+to\s+us\b.*
                 )\s*$"),
            provider_intro: re(
                r"(?i)\bwe(?:\s+have|'ve)\s+received\s+(?:an?|the\s+following|the\s+below|below|this|a\s+new)\s+(?:abuse\s+|copyright\s+|spam\s+)?(?:report|complaint|message|notification|notice)|\bwe(?:\s+have|'ve)\s+received\s+the\s+(?:abuse\s+|copyright\s+|spam\s+)?(?:report|complaint|message|notification|notice)\s+below|\babbiamo\s+ricevuto\s+(?:la|una|il|un)\s+(?:seguente\s+)?(?:segnalazione|reclamo|notifica)|\bhemos\s+recibido\s+(?:la|una|el|un)\s+(?:siguiente\s+)?(?:denuncia|queja|notificaci[oó]n|reporte|reclamaci[oó]n)|\bnous\s+avons\s+re[çc]u\s+(?:la|une|le|un)\s+(?:plainte|signalement|notification)|\bwir\s+haben\s+(?:die|eine|folgende)\s+(?:folgende\s+)?(?:beschwerde|meldung|abuse-meldung)|\bhas\s+received\s+an?\s+abuse\s+(?:report|complaint|message|notification|notice)|\bwe\s+have\s+been\s+notified\s+of\s+(?:(?:a\s+)?(?:potential|possible|suspected)\s+)?abuse\b|\bwe\s+are\s+(?:automatically\s+)?forwarding\b|\bforwarding\s+this\s+(?:report|complaint|message)",
            ),
            separator: re(r"^\s*(?:-{4,}|={4,}|\*{4,})\s*$"),
            original_marker: re(
                r"(?i)^\s*-{2,}\s*(?:original\s+message|ursprüngliche\s+nachricht|message\s+d'origine)\s*-{2,}\s*$",
            ),
            // "On Mon, 2 Mar 2025 at 10:00, X <x@example.org> wrote:" and its kin.
            attribution: re(
                r"(?i)^(?:on|am|le|el|il|op)\s.{4,200}\s(?:wrote|schrieb|a\s+écrit|escribió|ha\s+scritto|schreef)\s*:\s*$",
            ),
            to_customer: re(
                r"(?i)\byour\s+(?:customers?|clients?|subscribers?|lessees?)\b|\bdear\s+(?:\w+\s+)?(?:customer|client)\b|\bassigned\s+to\s+your?\b|\byou\s+are\s+(?:currently\s+)?using\b|\bregarding\s+your\s+services?\b|\bas\s+your\s+(?:hosting\s+|service\s+|network\s+)?provider\b|\bsehr\s+geehrte[rs]?\s+kund(?:e|in)\b|\bihrem\s+vertrag\b|\bch(?:er|ère)\s+client(?:e)?\b|\bestimad[oa]\s+cliente\b",
            ),
            complaint_word: re(
                r"(?i)\b(?:abuse|complaint|infring\w*|copyright|dmca|attack\w*|unauthori[sz]ed|phishing|malware|incident|violation|takedown|fraud\w*|brute[\s-]?force|flood\w*|ddos|port[\s-]?scan\w*|scanning)\b",
            ),
            no_reply: re(
                r"(?ix)(?:you\s+do\s+not\s+need\s+to\s+(?:respond|reply|answer)|no\s+(?:reply|response|answer)\s+(?:is\s+)?(?:needed|necessary|required|expected)|there\s+is\s+no\s+need\s+to\s+(?:reply|respond)|we\s+do\s+not\s+(?:respond|reply)\s+to\s+(?:report\s+)?replies|replies\s+(?:to\s+this\s+\S+\s+)?(?:are|will)\s+not\s+(?:be\s+)?(?:read|monitored|processed|answered|handled)|for\s+your\s+information\s+only|no\s+resolve-messages|keine\s+antwort\s+(?:erforderlich|notwendig|nötig)
                 | (?:please\s+)?do\s+not\s+(?:reply|respond)\s+to\s+(?:this\s+(?:e-?mail|message|mail|address|notification)|it\b)
                 | replies\s+(?:are|will\s+be)\s+(?:discarded|ignored|deleted)
                 | u\s+hoeft\s+(?:niet\s+op\s+(?:dit|deze)\s+(?:bericht|e-?mail|melding)\s+te\s+(?:reageren|antwoorden)|hierop\s+niet\s+te\s+(?:reageren|antwoorden))
                 | bitte\s+antworten\s+sie\s+nicht\s+auf\s+diese
                 | (?:merci\s+de\s+|veuillez\s+)?ne\s+pas\s+r[ée]pondre\s+[àa]\s+ce(?:t)?\s+(?:e-?mail|courriel|message)
                 | no\s+(?:responda|conteste)\s+a\s+este\s+(?:correo|mensaje)|no\s+es\s+necesario\s+(?:responder|contestar)
                 | non\s+rispond(?:ere|a)\s+a\s+questa?\s+(?:e-?mail|messaggio|mail)|non\s+[èe]\s+necessario\s+rispondere
                 | n[ãa]o\s+responda\s+a\s+est[ae]\s+(?:e-?mail|mensagem)
                 | nie\s+odpowiadaj\w*\s+na\s+t[ęe]\s+wiadomo[śs][ćc]
                 | neodpov[íi]dejte\s+na\s+(?:tento|tuto)
                 | your\s+reply\s+will\s+not\s+be\s+(?:delivered|read)
                 | (?:address|mailbox|inbox|@[\w.-]+)\)?\s+is\s+not\s+(?:monitored|read|attended)
                 | replies\s+to\s+(?:the\s+|this\s+)?(?:sender(?:'s)?\s+|sending\s+)?(?:e-?mail\s+)?address\s+(?:are|will)\s+not\s+(?:be\s+)?(?:read|monitored|processed|answered|handled)
                 | (?:can\s*not|can't|cannot)\s+(?:go\s+through|read|monitor|check)\s+this\s+(?:e-?mail\s+)?(?:inbox|mailbox)
                 | antworten\s+(?:an|auf)\s+(?:die(?:se)?\s+)?(?:absenderadresse|absender|e-?mail|nachricht|adresse)\b.{0,120}?\bnicht\s+(?:gelesen|bearbeitet))",
            ),
            // One token (`noreply`, `no-reply`) or a bracketed phrase: "No
            // reply received" in a reminder's subject asks for one.
            no_reply_subject: re(
                r"(?i)(?:^|[\s/|(\[])no-?reply(?:$|[\s/|)\]])|[\[(]\s*(?:no|do\s+not|please\s+do\s+not)\s+reply\s*[\])]",
            ),
            web_form: re(
                r"(?im)\bform\s+submitted|\bweb\s*form\s+submission|\b(?:sent|submitted|generated)\s+(?:from|via|through|by|using)\s+(?:(?:a|the)\s+(?:contact\s+|web\s*|abuse\s+|report\s+)?|our\s+(?:web\s*|abuse\s+|report\s+))form\b|^\s*form\s+(?:name|id)\s*:",
            ),
            contact: re(
                r"(?i)(?:abuse\s+report\s+from|complaint\s+from|contact\s+us\s+(?:by\s+using|at|via)|reported\s+by|reporter(?:'s)?\s+email(?:\s+address)?)\s*:?\s*<?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})",
            ),
            email: re(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
            via_group: re(r"^'?(.*?)'?\s+via\s+\S+$"),
        }
    }

    /// The reference a reply must keep, from the subject (or a body line that
    /// asks for it), plus any further ids the subject carries, and how it was
    /// found (place, rule, confidence).
    pub(crate) fn ticket(
        &self,
        ips: &IpFinder,
        subject: Option<&str>,
        lines: &[Line],
    ) -> (Option<String>, Vec<String>, Option<TicketEvidence>) {
        let mut ticket = None;
        let mut how = None;
        let mut others = Vec::new();
        // Subjects are short; a huge one is cut before the id search.
        let subject = subject.map(|s| crate::bounds::head(s, 1024));
        if let Some(s) = subject {
            // Every shape proposes candidates; the best score wins, then the earliest.
            let mut best: Option<(u32, usize, String, &'static str)> = None;
            for (score, rule, re) in &self.subject_ids {
                if best.as_ref().is_some_and(|(b, _, _, _)| b > score) {
                    continue;
                }
                for c in re.captures_iter(s) {
                    let (Some(all), Some(m)) = (c.get(0), c.get(1)) else { continue };
                    let v = glued_token(s, all.start(), m.start(), m.end()).unwrap_or(m.as_str()).trim();
                    // "[Rif. 2024/00871]": a descriptive label goes (the README's
                    // rule), a tracker's own word stays ("[Queue 12345]").
                    let v = match v.split_once(' ') {
                        Some((word, id)) if *rule == "bracketed word and id" && is_label_word(word) => id.trim(),
                        _ => v,
                    };
                    // A tracker's marker (`[#a1b2c3]`) makes one digit enough.
                    let min_digits = if *score == 85 { 1 } else { 3 };
                    if !ips.mentions(v).is_empty()
                        || v.chars().filter(char::is_ascii_digit).count() < min_digits
                        || is_as_number(v)
                        || looks_like_date(v)
                        || v.to_ascii_uppercase().starts_with("CVE-")
                        || names_no_ticket(&s[..m.start()])
                    {
                        continue;
                    }
                    let better = best.as_ref().is_none_or(|(b, at, _, _)| score > b || (score == b && m.start() < *at));
                    if better {
                        best = Some((*score, m.start(), v.to_string(), rule));
                    }
                    break;
                }
            }
            if let Some((score, _, v, rule)) = best {
                // Scores run 15–100; confidences 30–95.
                let confidence = u8::try_from(30 + score * 65 / 100).unwrap_or(95);
                how = Some(TicketEvidence { place: "subject".into(), rule, confidence });
                ticket = Some(v);
            }
            for m in self.subject_token.find_iter(s) {
                let t = m.as_str();
                let digits = t.chars().filter(char::is_ascii_digit).count();
                let letters = t.chars().filter(char::is_ascii_alphabetic).count();
                if digits >= 3 && letters >= 1 && (t.contains('-') || t.contains('_')) && ips.mentions(t).is_empty() {
                    if ticket.as_deref().is_none_or(|tk| !tk.contains(t)) && !others.iter().any(|o| o == t) {
                        others.push(t.to_string());
                    }
                }
            }
        }
        // A forward ("Fwd: [CERT #1] …") carries the inner complaint's id in
        // its subject: the forwarder's own id, when its cover note asks to
        // quote one, is the one to keep.
        let forward = subject.is_some_and(|s| {
            let l = s.trim_start().to_lowercase();
            ["fwd:", "fw:", "wg:", "tr:", "rv:"].iter().any(|p| l.starts_with(p))
        });
        if forward && ticket.is_some() {
            let cover_end = lines
                .iter()
                .position(|l| {
                    l.quote > 0
                        || l.region == Region::Header
                        || self.forward_marker.is_match(&l.text)
                        || self.original_marker.is_match(&l.text)
                })
                .unwrap_or(lines.len());
            if let Some((v, i, rule, confidence)) = self.body_ticket(ips, &lines[..cover_end]) {
                if let Some(inner) = ticket.take() {
                    others.insert(0, inner);
                }
                ticket = Some(v);
                how = Some(TicketEvidence { place: crate::text::place(lines, i), rule, confidence });
            }
        }
        if ticket.is_none() {
            if let Some((v, i, rule, confidence)) = self.body_ticket(ips, lines) {
                ticket = Some(v);
                how = Some(TicketEvidence { place: crate::text::place(lines, i), rule, confidence });
            }
        }
        (ticket, others, how)
    }

    /// The id a body line asks to keep or quote: a request to keep it in the
    /// subject or any reply, else a labelled id the text asks to quote; with
    /// its line, rule and confidence.
    fn body_ticket(&self, ips: &IpFinder, lines: &[Line]) -> Option<(String, usize, &'static str, u8)> {
        for (i, l) in lines.iter().enumerate().filter(|(_, l)| l.region == Region::Prose) {
            let t = l.text.as_str();
            // The multilingual pattern runs in Unicode mode: only on lines that can hold it.
            let maybe_reference = t.len() <= 4096
                && (t.contains("efer")
                    || t.contains("ifer")
                    || t.contains("féren")
                    || t.contains("FÉREN")
                    || t.contains("mero")
                    || t.contains("kenmerk")
                    || t.contains("pratica"));
            let found = self
                .keep_in_subject
                .captures(t)
                .or_else(|| if maybe_reference { self.keep_reference.captures(t) } else { None });
            // The sentence's full stop is no part of the id.
            let v = found
                .as_ref()
                .and_then(|c| c.iter().skip(1).flatten().next())
                .map(|m| m.as_str().trim_end_matches(['.', ',', ';', ':']));
            if let Some(v) = v {
                if v.chars().any(|ch| ch.is_ascii_digit()) && !v.contains("#ID") {
                    return Some((v.to_string(), i, "body asks to keep it in the subject", 85));
                }
            }
        }
        self.quoted_reference(ips, lines).map(|(v, i)| (v, i, "labelled id the body asks to quote", 80))
    }

    /// A labelled id on a body line (`Our reference for this incident is X;
    /// please quote it`, `Номер обращения: 4471-25. Пожалуйста, указывайте
    /// его…`), taken when the line or the next one asks to quote it: the
    /// subject carried none.
    fn quoted_reference(&self, ips: &IpFinder, lines: &[Line]) -> Option<(String, usize)> {
        let labelled: Vec<&Regex> = self
            .subject_ids
            .iter()
            .filter(|(_, rule, _)| *rule == "labelled id")
            .map(|(_, _, re)| re)
            .chain([&self.reference_is])
            .collect();
        let prose: Vec<(usize, &Line)> =
            lines.iter().enumerate().filter(|(_, l)| l.region == Region::Prose && l.text.len() <= 600).collect();
        // The line after `k` in the paragraph, if any.
        let after = |k: usize| -> &str {
            match (prose.get(k), prose.get(k + 1)) {
                (Some((i, _)), Some((j, n))) if *j == i + 1 => n.text.as_str(),
                _ => "",
            }
        };
        for (k, (i, l)) in prose.iter().enumerate() {
            // The label may end the line and its id start the next ("…
            // rappeler la référence\nFR-ABU-2025-0312 dans votre réponse").
            let next = after(k);
            let t =
                if next.is_empty() { l.text.clone() } else { format!("{} {}", l.text.trim_end(), next.trim_start()) };
            let own = l.text.trim_end().len();
            for re in &labelled {
                let Some(c) = re.captures(&t) else { continue };
                let (Some(whole), Some(m)) = (c.get(0), c.get(1)) else { continue };
                if whole.start() >= own {
                    continue; // the next line's own, read there
                }
                let v = m.as_str().trim_end_matches(['.', ',', ';', ':', '/', '-']);
                if v.chars().filter(char::is_ascii_digit).count() < 3
                    || !ips.mentions(v).is_empty()
                    || looks_like_date(v)
                    || is_as_number(v)
                    || names_no_ticket(&t[..m.start()])
                {
                    continue;
                }
                let (at, beyond) = if m.start() >= own { (i + 1, after(k + 1)) } else { (*i, "") };
                // "Please quote our reference X …": the ask may come first.
                let ask_before = asks_to_quote(crate::bounds::tail(&t[..whole.start()], 40));
                if asks_to_quote(&t[m.end()..]) || asks_to_quote(beyond) || ask_before {
                    return Some((v.to_string(), at));
                }
            }
        }
        None
    }

    /// Report ids written in the body (`Report-ID: …`) and bracketed ids in a
    /// forwarded complaint.
    pub(crate) fn body_ids(&self, lines: &[Line], inner_from: Option<usize>) -> Vec<String> {
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if l.region != Region::Prose {
                continue;
            }
            for c in self.report_id.captures_iter(&l.text) {
                if let Some(m) = c.get(1) {
                    let v = m.as_str().trim_end_matches(['.', ')', ',']);
                    out.push(v.to_string());
                }
            }
            if inner_from.is_some_and(|f| i >= f) {
                for c in self.bracket_token.captures_iter(&l.text) {
                    if let Some(m) = c.get(1) {
                        let v = m.as_str();
                        if v.chars().any(|ch| ch.is_ascii_digit()) && v.chars().any(|ch| ch.is_ascii_alphabetic()) {
                            out.push(v.to_string());
                        }
                    }
                }
            }
        }
        out
    }

    /// The ids of a forwarded complaint: its own `Subject:` among the forward
    /// headers (read like a subject) and body lines naming a reference
    /// ("Our reference: INC-2025-1", "Ticket number: A-1").
    pub(crate) fn inner_ids(&self, ips: &IpFinder, lines: &[Line], inner_from: Option<usize>) -> Vec<String> {
        let Some(from) = inner_from else { return Vec::new() };
        let mut out = Vec::new();
        // The forward headers sit right after the marker, as in `inner_reporter`.
        for l in lines.iter().skip(from).take(12) {
            let t = l.text.trim_start();
            let key = header_key(t);
            if key.as_deref().is_some_and(|k| {
                matches!(k, "subject" | "betreff" | "objet" | "asunto" | "assunto" | "oggetto" | "onderwerp")
            }) {
                let value = t.split_once(':').map_or("", |(_, v)| v);
                let (ticket, others, _) = self.ticket(ips, Some(value), &[]);
                out.extend(ticket);
                out.extend(others);
                break;
            }
        }
        for l in lines.iter().skip(from).filter(|l| l.region == Region::Prose) {
            if l.text.len() > 200 {
                continue;
            }
            let Some(v) = self.id_line.captures(&l.text).and_then(|c| c.get(1)) else { continue };
            let v = v.as_str();
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if digits >= 3 && ips.mentions(v).is_empty() && !looks_like_date(v) {
                out.push(v.to_string());
            }
        }
        out
    }

    /// If the message wraps someone else's complaint, the line where the
    /// wrapped complaint starts.
    ///
    /// A wrapper is a provider's ticket subject, a forward marker, a
    /// provider's "we have received the following complaint", or a forward
    /// (`Fwd:`/`FW:` subject) whose body holds another party's mail: its
    /// header block, its attribution line ("On … X wrote:") or the mail
    /// attached. A sender who writes the complaint in its own words (it names
    /// an accused address before the quoted part) and quotes its own earlier
    /// notice, its logs or the spam it received is the complainant, not a
    /// forwarder, unless it speaks as a provider to its customer.
    pub(crate) fn forwarded(&self, ips: &IpFinder, outer: &Outer<'_>, lines: &[Line]) -> Wrapping {
        let body: Vec<(usize, &Line)> =
            lines.iter().enumerate().filter(|(_, l)| l.region != Region::Sample && l.region != Region::Pgp).collect();
        let lower = outer.subject.unwrap_or("").trim_start().to_lowercase();
        // A tracker's tag may come first ("[EXN-552190] Fwd: Notice …").
        let untagged = match lower.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((_, rest)) => rest.trim_start(),
            None => lower.as_str(),
        };
        let forward_subject = ["fwd:", "fw:", "wg:", "tr:", "rv:", "i:", "inoltro:", "doorst:"]
            .iter()
            .any(|p| lower.starts_with(p) || untagged.starts_with(p));
        let wrapper_subject = forward_subject
            || lower.contains("[ticket id:")
            || lower.contains("[abuseid:")
            || lower.starts_with("abuseinfo:");
        // The sender's own complaint before line `at`: a forward only when it
        // speaks as a provider there, or the forwarded mail went to an abuse desk.
        let decide = |at: usize, start: usize, rule: &'static str| {
            let own = self.own_complaint(ips, outer, &lines[..at.min(lines.len())]);
            if own && !self.relayed_to_abuse_desk(outer, &lines[at.min(lines.len())..]) {
                Wrapping {
                    start: None,
                    line: Some(at),
                    rule: "the sender's own words name the accused before the quoted part",
                }
            } else {
                Wrapping { start: Some(start), line: Some(at), rule }
            }
        };
        for (i, l) in &body {
            // "Original Message" also starts a quoted reply: only a forward's subject makes it a forward.
            if self.forward_marker.is_match(&l.text) || (wrapper_subject && self.original_marker.is_match(&l.text)) {
                return decide(*i, *i + 1, "forward marker");
            }
        }
        let intro =
            body.iter().find(|(_, l)| l.region == Region::Prose && self.provider_intro(&l.text)).map(|(i, _)| *i);
        let quoted_start = lines.iter().position(|l| l.quote > 0 && !l.text.trim().is_empty());
        let quoted_count = lines.iter().filter(|l| l.quote > 0 && !l.text.trim().is_empty()).count();
        if let Some(pos) = intro {
            let after = lines.iter().enumerate().skip(pos + 1).take(20);
            for (j, l) in after {
                // A separator line, quoting, or the "Original Message" line of a mail client.
                if self.separator.is_match(&l.text) || l.quote > 0 || self.original_marker.is_match(&l.text) {
                    return Wrapping {
                        start: Some(j + 1),
                        line: Some(pos),
                        rule: "a provider's intro, then the complaint",
                    };
                }
            }
        }
        if forward_subject {
            if let Some((at, rule)) = self.forwarded_mail(outer, lines, &body) {
                return decide(at, at, rule);
            }
        } else if let Some(at) = self.enclosed_complaint(outer, lines) {
            // A provider's cover note over the complaint it received, attached.
            return decide(at, at, "a complaint to an abuse desk, attached under a cover note");
        }
        if wrapper_subject && quoted_count >= 3 {
            return Wrapping {
                start: quoted_start,
                line: quoted_start,
                rule: "a provider's ticket subject over quoted text",
            };
        }
        Wrapping::default()
    }

    /// A provider's words introducing a complaint it relays ("we have
    /// received the following abuse report", "has received an abuse
    /// notification regarding IP addresses assigned to you"). "We have
    /// received a report of <an attack>" is how CERTs open their own
    /// incident reports: no relay unless it says whose complaint follows.
    fn provider_intro(&self, text: &str) -> bool {
        self.provider_intro.find_iter(text).any(|m| {
            let found = m.as_str().to_ascii_lowercase();
            let rest = text[m.end()..].trim_start().to_ascii_lowercase();
            let bare_report = found.ends_with(" a report") || found.ends_with(" a notice");
            !(bare_report && rest.starts_with("of "))
        })
    }

    /// The start of another party's mail in a forward: a forward header
    /// block (`From:` with `Subject:` and `Date:`/`Sent:`/`To:` below it, no
    /// transport headers), an attribution line ("On … X wrote:") naming
    /// someone outside the sender's domains, or an enclosed message that
    /// reads as a complaint under a short cover note.
    fn forwarded_mail(
        &self,
        outer: &Outer<'_>,
        lines: &[Line],
        body: &[(usize, &Line)],
    ) -> Option<(usize, &'static str)> {
        let foreign = |text: &str| self.foreign(outer, text);
        for (i, l) in body.iter().filter(|(_, l)| l.quote <= 1) {
            let t = l.text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
            let key = header_key(t);
            if key.as_deref().is_some_and(|k| matches!(k, "from" | "von" | "de")) && foreign(t) {
                let window: Vec<String> =
                    lines.iter().skip(i + 1).take(6).filter_map(|l| header_key(l.text.trim_start())).collect();
                let subject = window.iter().any(|k| matches!(k.as_str(), "subject" | "betreff" | "objet" | "asunto"));
                let dated = window.iter().any(|k| {
                    matches!(
                        k.as_str(),
                        "date" | "sent" | "to" | "datum" | "gesendet" | "an" | "envoyé" | "fecha" | "para"
                    )
                });
                let transport = window.iter().any(|k| {
                    matches!(k.as_str(), "received" | "message-id" | "return-path" | "mime-version" | "dkim-signature")
                });
                if subject && dated && !transport {
                    return Some((*i, "another party's forward headers"));
                }
            }
            if self.attribution.is_match(t) && foreign(t) {
                return Some((i + 1, "another party's attribution line"));
            }
        }
        self.enclosed_complaint(outer, lines).map(|at| (at, "an enclosed complaint under a cover note"))
    }

    /// In a forward (`Fwd:`/`FW:` subject, or an enclosed message another
    /// party sent to an abuse desk: a provider attaching the complaint it
    /// received), the first line of an enclosed message (forwarded as an
    /// attachment) that reads as a complaint, under a cover note of a few
    /// words. Enclosed bodies are otherwise samples of the offending mail.
    pub(crate) fn enclosed_complaint(&self, outer: &Outer<'_>, lines: &[Line]) -> Option<usize> {
        let lower = outer.subject.unwrap_or("").trim_start().to_lowercase();
        let enclosed = lines.iter().position(|l| outer.nested.get(l.part).is_some_and(|n| *n > 0))?;
        let forward = ["fwd:", "fw:", "wg:", "tr:", "rv:"].iter().any(|p| lower.starts_with(p));
        if !forward && !self.relayed_to_abuse_desk(outer, &lines[enclosed..]) {
            return None;
        }
        let cover: usize = lines[..enclosed]
            .iter()
            .filter(|l| l.region == Region::Prose)
            .map(|l| l.text.split_whitespace().count())
            .sum();
        // Read the enclosed body whatever its region, but not its headers.
        let complaint = lines[enclosed..]
            .iter()
            .filter(|l| l.region != Region::Header && l.region != Region::Pgp)
            .take(400)
            .any(|l| self.complaint_word.is_match(&l.text));
        (cover <= 60 && complaint).then_some(enclosed)
    }

    /// True when `text` names a mail address outside the sender's domains.
    fn foreign(&self, outer: &Outer<'_>, text: &str) -> bool {
        self.email.find(text).is_some_and(|m| {
            let domain = m.as_str().rsplit_once('@').map_or("", |(_, d)| d).to_ascii_lowercase();
            !outer.sender_domains.iter().any(|d| same_organisation(d, &domain))
        })
    }

    /// True when the forward headers right after a marker show a complaint
    /// sent to an abuse desk (`To:` a role mailbox such as `abuse@`, `noc@`,
    /// `support@`) by another party: a relayed complaint even when the
    /// forwarder's own words name the accused. (A spam sample is addressed
    /// to a person.)
    fn relayed_to_abuse_desk(&self, outer: &Outer<'_>, after: &[Line]) -> bool {
        let mut from = false;
        let mut to_desk = false;
        for l in after.iter().take(8) {
            let t = l.text.trim_start();
            match header_key(t).as_deref() {
                Some("from" | "von" | "de") => from = self.foreign(outer, t),
                Some("to" | "an" | "à" | "para") => {
                    to_desk = self.email.find_iter(t).any(|m| {
                        let local = m.as_str().split('@').next().unwrap_or("").to_ascii_lowercase();
                        ["abuse", "noc", "security", "support", "cert", "csirt", "soc", "hostmaster", "postmaster"]
                            .iter()
                            .any(|r| {
                                local == *r || local.starts_with(&format!("{r}-")) || local.ends_with(&format!("-{r}"))
                            })
                    });
                }
                _ => {}
            }
        }
        from && to_desk
    }

    /// True when the lines (those before a quoted or forwarded part) hold the
    /// sender's own complaint: an accused address named in its own prose,
    /// with no provider talking to its customer.
    fn own_complaint(&self, ips: &IpFinder, outer: &Outer<'_>, before: &[Line]) -> bool {
        let prose = || before.iter().filter(|l| l.region == Region::Prose && l.quote == 0);
        let accuses = prose().any(|l| ips.mentions(&l.text).iter().any(|m| outer.reported.contains(&m.ip)));
        accuses && !prose().any(|l| self.provider_intro(&l.text) || self.to_customer.is_match(&l.text))
    }

    /// True when the sender says no answer is expected: in the subject
    /// (`… / noreply`) or its own prose (a statement may span lines). In a
    /// forward only the forwarder's words count: the relayed complaint's
    /// "do not answer this mail" is said to the provider, not to us.
    pub(crate) fn no_reply(&self, subject: Option<&str>, lines: &[Line], inner_from: Option<usize>) -> bool {
        if subject.is_some_and(|s| self.no_reply_subject.is_match(crate::bounds::head(s, 1024))) {
            return true;
        }
        let own = &lines[..inner_from.unwrap_or(lines.len()).min(lines.len())];
        let mut prose = String::new();
        for l in own.iter().filter(|l| l.region == Region::Prose) {
            if prose.len() + l.text.len() >= 256 * 1024 {
                break;
            }
            prose.push_str(l.text.trim());
            prose.push(' ');
        }
        self.no_reply.is_match(&prose)
    }

    /// True for a complaint relayed from a web form.
    pub(crate) fn web_form(&self, lines: &[Line]) -> bool {
        lines.iter().filter(|l| l.region == Region::Prose).any(|l| self.web_form.is_match(&l.text))
    }

    /// The display name without a mailing-list relay's decoration
    /// (`'CSA SingCert (CSA)' via abuse` → `CSA SingCert (CSA)`).
    pub(crate) fn clean_name(&self, name: &str) -> String {
        self.via_group
            .captures(name)
            .and_then(|c| c.get(1))
            .map_or(name, |m| m.as_str())
            .trim_matches(['\'', '"', ' '])
            .to_string()
    }

    /// The reporter's address inside a forwarded complaint.
    pub(crate) fn inner_reporter(&self, lines: &[Line], from: usize) -> Option<Addr> {
        // The forward headers sit right after the marker; a `From:` deeper
        // down, or among `Received:`/`Message-ID:` lines, belongs to an
        // enclosed sample (the spam), not to the reporter.
        let window: Vec<&Line> = lines.iter().skip(from).take(12).collect();
        let pasted_headers = window.iter().any(|l| {
            header_key(l.text.trim_start())
                .is_some_and(|k| matches!(k.as_str(), "received" | "message-id" | "return-path" | "dkim-signature"))
        });
        for l in window.iter().filter(|_| !pasted_headers) {
            if header_key(l.text.trim_start()).as_deref().is_some_and(|k| k == "from" || k == "von" || k == "de") {
                if let Some(m) = self.email.find(&l.text) {
                    let name = l.text.split_once(':').map(|(_, v)| v).unwrap_or("");
                    let name = name.split('<').next().unwrap_or("").trim().trim_matches('"').trim();
                    return Some(Addr {
                        name: (!name.is_empty() && !name.contains('@')).then(|| name.to_string()),
                        address: Some(m.as_str().to_string()),
                    });
                }
            }
        }
        for l in lines.iter().filter(|l| l.region == Region::Prose) {
            if let Some(c) = self.contact.captures(&l.text) {
                return Some(Addr { name: None, address: c.get(1).map(|m| m.as_str().to_string()) });
            }
        }
        None
    }
}

/// A label glued to its id is one token (`CaseID-66158312`, `ID#20240101`):
/// the whole token, when the match starts at the token's start and `m_start`
/// lies inside it.
fn glued_token(s: &str, match_start: usize, m_start: usize, m_end: usize) -> Option<&str> {
    let delim = |c: char| c.is_whitespace() || "[]()<>\"'".contains(c);
    let token_start = s[..m_start].rfind(delim).map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
    let between = &s[match_start.max(token_start)..m_start];
    let starts_token = match_start <= token_start || s[token_start..match_start].trim().is_empty();
    // A label followed by ':' is a label ("id:123" → "123"); glued by
    // nothing or '#' it is part of the id.
    if !starts_token
        || token_start >= m_start
        || between.contains(char::is_whitespace)
        || between.contains(':')
        || !between.contains(char::is_alphabetic)
    {
        return None;
    }
    let token_end = s[m_end..].find(delim).map_or(s.len(), |p| m_end + p);
    Some(s[token_start..token_end].trim_end_matches(['.', ',', ';', ':']))
}

/// A word that only says what the id after it is ("Case", "Ref.", "Rif.").
fn is_label_word(word: &str) -> bool {
    const LABELS: &[&str] = &[
        "case",
        "ticket",
        "ref",
        "reference",
        "rif",
        "riferimento",
        "incident",
        "report",
        "complaint",
        "notice",
        "id",
        "no",
        "nr",
        "number",
        "referencia",
        "caso",
        "expediente",
        "folio",
        "dossier",
        "référence",
        "vorgang",
        "aktenzeichen",
        "kenmerk",
        "zaak",
        "melding",
        "pratica",
        "protocollo",
        "protocolo",
        "sprawa",
        "zgłoszenie",
    ];
    let w = word.trim_end_matches(['.', ':', '#']).to_lowercase();
    LABELS.contains(&w.as_str())
}

/// An autonomous system number (`AS64500`): a network, not a reference.
fn is_as_number(v: &str) -> bool {
    v.len() > 2 && v[..2].eq_ignore_ascii_case("as") && v[2..].bytes().all(|b| b.is_ascii_digit())
}

/// A date written as one token (`2025-03-02`, `02.03.2025`, `3/2/25`): no id.
fn looks_like_date(v: &str) -> bool {
    let parts: Vec<&str> = v.split(['-', '.', '/']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    // A date's parts: a year of two or four digits, a month and a day of
    // one or two ("2025-11-03", "03.11.25"); "2025-11-4471" and
    // "2026-0112-004" are ids.
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let day_month =
        |a: &str, b: &str| a.len() <= 2 && b.len() <= 2 && (1..=31).contains(&n(a)) && (1..=31).contains(&n(b));
    let year = |p: &str| p.len() == 4 || p.len() == 2;
    (parts[0].len() == 4 && day_month(parts[1], parts[2])) || (year(parts[2]) && day_month(parts[0], parts[1]))
}

/// ISO 639-1 code of a whatlang language.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Ces => "cs",
        Slk => "sk",
        Pol => "pl",
        Rus => "ru",
        Ukr => "uk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Tur => "tr",
        Jpn => "ja",
        Cmn => "zh",
        Kor => "ko",
        Ell => "el",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Ind => "id",
        Vie => "vi",
        Tha => "th",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        _ => "und",
    }
}

/// Language detection over the complaint's own prose.
#[derive(Clone)]
pub(crate) struct Language {
    detector: whatlang::Detector,
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Language")
    }
}

impl Language {
    pub(crate) fn new() -> Language {
        use whatlang::Lang::*;
        // Languages abuse reports are written in. Bulgarian and Serbian are left
        // out: on short Cyrillic text whatlang takes Russian for them.
        let allow = vec![
            Eng, Deu, Fra, Spa, Por, Ita, Nld, Ces, Slk, Pol, Rus, Ukr, Swe, Dan, Nob, Fin, Hun, Ron, Tur, Jpn, Cmn,
            Kor, Ell, Hrv, Slv, Lit, Lav, Est, Ind, Vie, Tha, Ara, Heb, Pes, Hin,
        ];
        Language { detector: whatlang::Detector::with_allowlist(allow) }
    }

    /// The language of the complaint's own prose: the sender's text at the top
    /// of each body part, before any pasted headers, quoted lines or enclosed
    /// message (even when short), else all prose (not logs, headers, whois or
    /// quoted spam). Of a bilingual text, the first language.
    pub(crate) fn detect(&self, doc: &Doc, lines: &[Line]) -> Option<String> {
        let mut top = Pool::default();
        let mut all = Pool::default();
        let mut signature_part = None;
        // The part whose top was left (at a header block, quote or enclosed message).
        let mut left_top: Option<usize> = None;
        for l in lines {
            let t = l.text.trim();
            let prose_part = doc.parts.get(l.part).is_some_and(|p| p.kind == PartKind::Body && p.nested == 0);
            let own = prose_part && l.region == Region::Prose;
            if prose_part && (!own || (l.quote > 0 && !t.is_empty())) {
                left_top = Some(l.part);
            }
            let at_top = own && left_top != Some(l.part) && l.quote == 0;
            if !own {
                top.end_paragraph();
                all.end_paragraph();
                continue;
            }
            // A signature ("-- " line) is the organisation's boilerplate, often
            // in its home language; the complaint's language is above it.
            if t == "--" || t == "__" {
                signature_part = Some(l.part);
            }
            let signature = signature_part == Some(l.part);
            all.add(t, signature);
            if at_top {
                top.add(t, signature);
            } else {
                top.end_paragraph();
            }
        }
        if top.is_text() {
            if let Some(lang) = self.pick(top.finish()) {
                return Some(lang);
            }
        }
        if !all.is_text() {
            return None;
        }
        self.pick(all.finish())
    }

    /// The first substantial paragraph's language, else that of all the text.
    fn pick(&self, (paragraphs, everything): (Vec<String>, String)) -> Option<String> {
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
        for p in &paragraphs {
            if letters(p) >= 100 {
                if let Some(info) = self.detector.detect(p) {
                    if info.confidence() > 0.3 {
                        return Some(iso639_1(info.lang()).to_string());
                    }
                }
            }
        }
        for text in [paragraphs.concat(), everything] {
            if letters(&text) < 12 {
                continue;
            }
            if let Some(info) = self.detector.detect(&text).filter(|i| i.is_reliable() || !text.is_ascii()) {
                return Some(iso639_1(info.lang()).to_string());
            }
            // Short ASCII prose that no detector can place: abuse desks write
            // English unless something says otherwise.
            if text.is_ascii() {
                return Some("en".to_string());
            }
        }
        None
    }
}

/// Prose gathered for language detection: paragraphs of wordy lines, and
/// every line (for texts without a wordy paragraph).
#[derive(Debug, Default)]
struct Pool {
    paragraphs: Vec<String>,
    cur: String,
    everything: String,
    /// Characters seen, and those that no text has (controls, U+FFFD).
    chars: usize,
    junk: usize,
}

impl Pool {
    fn add(&mut self, t: &str, signature: bool) {
        if self.everything.len() < 8192 {
            self.everything.push_str(t);
            self.everything.push('\n');
            if t.is_ascii() {
                // One byte a character; of ASCII only controls are junk.
                self.chars += t.len();
                self.junk += t.bytes().filter(|b| b.is_ascii_control() && *b != b'\t').count();
            } else {
                for c in t.chars() {
                    self.chars += 1;
                    if c == '\u{fffd}' || (c.is_control() && c != '\t') || ('\u{e000}'..='\u{f8ff}').contains(&c) {
                        self.junk += 1;
                    }
                }
            }
        }
        if signature {
            return;
        }
        // A few kilobytes are plenty to tell a language.
        if is_wordy(t) && self.cur.len() < 4096 && self.paragraphs.len() < 64 {
            self.cur.push_str(t);
            self.cur.push('\n');
        } else if t.is_empty() {
            self.end_paragraph();
        }
    }

    fn end_paragraph(&mut self) {
        if !self.cur.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.cur));
        }
    }

    /// Text rather than binary junk decoded as characters.
    fn is_text(&self) -> bool {
        self.chars > 0 && self.junk * 50 <= self.chars
    }

    fn finish(mut self) -> (Vec<String>, String) {
        self.end_paragraph();
        (self.paragraphs, self.everything)
    }
}

/// A line of words rather than a log line, URL or table row.
fn is_wordy(t: &str) -> bool {
    if t.is_empty() || t.starts_with("http") {
        return false;
    }
    // Log lines start with their clock time (`Mar  3 10:00:00 host …`,
    // `2025-03-03 10:00:00 …`); prose may mention one further on.
    let head = crate::bounds::head(t, 24);
    if head.as_bytes().windows(5).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit() && w[4] == b':'
    }) {
        return false;
    }
    let (mut total, mut letters, mut spaces) = (0, 0, 0);
    if t.is_ascii() {
        // The same counts by bytes (ASCII whitespace is 0x09..=0x0d and space).
        for b in t.bytes() {
            total += usize::from(!matches!(b, b'\t'..=b'\r' | b' '));
            letters += usize::from(b.is_ascii_alphabetic());
            spaces += usize::from(b == b' ');
        }
    } else {
        for c in t.chars() {
            total += usize::from(!c.is_whitespace());
            letters += usize::from(c.is_alphabetic());
            spaces += usize::from(c == ' ');
        }
    }
    letters * 2 >= total && spaces >= 2
}

/// The words before an id name something that is no ticket: a detection
/// rule (`SID 2034647`), an order, an invoice, a process.
fn names_no_ticket(before: &str) -> bool {
    let word = before.trim_end().trim_end_matches([':', '#']).trim_end();
    let last = word.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
    [
        "sid",
        "rule",
        "signature",
        "order",
        "invoice",
        "pid",
        "uid",
        "bestellung",
        "rechnung",
        "commande",
        "facture",
        "pedido",
        "factura",
        "ordine",
        "fattura",
    ]
    .contains(&last.as_str())
}

/// The text asks the reader to quote or mention an id in a reply, in one of
/// the desk's languages.
fn asks_to_quote(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "quote",
        "mention",
        "cite",
        "refer to it",
        "include it",
        "keep it",
        "keep this reference",
        "in the subject",
        "in your reply",
        "in any reply",
        "bei jeder antwort",
        "in ihrer antwort",
        "im betreff",
        "dans votre réponse",
        "en su respuesta",
        "nella risposta",
        "angeben",
        "anzugeben",
        "nennen",
        "vermelden",
        "vermeld",
        "indiquer",
        "rappeler",
        "mentionner",
        "indicar",
        "indiquen",
        "mencionar",
        "citar",
        "indicare",
        "citare",
        "riportare",
        "указывайте",
        "укажите",
        "указать",
        "podawać",
        "podać",
        "powoływać",
        "uvádějte",
        "uveďte",
        "uvést",
    ];
    let lower = text.to_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod test {
    use super::*;

    fn subject_ticket(s: &str) -> Option<String> {
        FieldPatterns::new().ticket(&IpFinder::new(), Some(s), &[]).0
    }

    #[test]
    fn subject_ids_are_scored_not_first_come() {
        for (subject, want) in [
            ("[Ticket ID: EX-12345] Abuse report", Some("EX-12345")),
            ("New Abuse Ticket (ABC #844770) Exploit listing on 192.0.2.5", Some("ABC #844770")),
            ("[ORG/CERT-XX #109695] SSH brute force", Some("ORG/CERT-XX #109695")),
            ("Abuse Ticket [#k3m9x2]", Some("k3m9x2")),
            ("[~ABC-933-45538]: Issue 55894047: scam at hxxp://example[.]org/", Some("ABC-933-45538")),
            ("FW: Issue 61868358: Fake shop at hxxps://www[.]example[.]org/a-b-c", Some("61868358")),
            ("[CERT-XX] (CERT-437124) Phishing website in your network", Some("CERT-437124")),
            ("Exploit-runs by 192.0.2.149 / no autoreply #XY-DE:09c3fdc4f39663763#", Some("XY-DE:09c3fdc4f39663763")),
            ("Suspicious activity from 192.0.2.250 against 1 host(s). Incident n. 8561937", Some("8561937")),
            ("TV Channel Infringement CaseID-66158312", Some("CaseID-66158312")),
            ("FW: [ORG-CERT] Private document ID#20240101 [ORG]", Some("ID#20240101")),
            ("Rights Notice - example.org - Some VPN ENF-6917516", Some("ENF-6917516")),
            ("ACME 555455542917 Copyright Infringement", Some("555455542917")),
            ("Accessible BGP Report: 2024-02-05", None),
            ("Exploitation of CVE-2021-44228 from 192.0.2.1", None),
            ("Attack on port 22 from 192.0.2.1", None),
            ("[SpamCop (http://192.0.2.1/) id:9868828423]", Some("9868828423")),
            ("Incident report Ref:CERTIn-73588956", Some("CERTIn-73588956")),
            ("[Case 2025-0417-88213] Fraudulent transactions from 192.0.2.131", Some("2025-0417-88213")),
            ("[Rif. 2024/00871] I: Segnalazione", Some("2024/00871")),
            ("[xarf] LoginAttack from 192.0.2.17: R-20241202-5533", Some("R-20241202-5533")),
            ("abuse report about 192.0.2.44 - login-attack [Report-ID: XC-77310452]", Some("XC-77310452")),
            ("[EX-552190] Fwd: Notice of Claimed Infringement - Notice ID 40417733", Some("EX-552190")),
            ("Takedown request - Ref. AP-2025/1147 - example.org (192.0.2.118)", Some("AP-2025/1147")),
            ("Request for information - phishing - Journal no. 4100-85431-00213-25", Some("4100-85431-00213-25")),
            ("Réquisition judiciaire - PV n° 02547/2025 - adresse IP", Some("02547/2025")),
            ("Auskunftsersuchen gem. § 100j StPO – Az. 512 Js 40321/25", Some("512 Js 40321/25")),
            ("Заявка ABZ-3381: взлом учётных записей с адреса 192.0.2.66", Some("ABZ-3381")),
            // Ids that start with a year are no dates.
            ("Заявка № 2026-0112-004: подбор паролей RDP с адреса 192.0.2.145", Some("2026-0112-004")),
            ("TR: Brute force xmlrpc.php depuis 192.0.2.150 [Dossier n° 2025-11-4471]", Some("2025-11-4471")),
            ("Pedido de informação - Inquérito n.º 1532/25.7T9LSB", Some("1532/25.7T9LSB")),
            (
                "Signalement : page d'hameçonnage hébergée sur 192.0.2.45 [Réf. PH-2025-1103-07]",
                Some("PH-2025-1103-07"),
            ),
            ("Mailbox quota exceeded (65196)", None),
            ("Requerimiento de retirada - Ref. AP-2025/1147 - example.org (192.0.2.118)", Some("AP-2025/1147")),
            ("Segnalazione n. 2025/0412 - accessi non autorizzati", Some("2025/0412")),
            ("[Feed] Infected IPs (AS64500)", None),
            ("Melding misbruik: scrapen van webwinkel (#AB-4821-7730)", Some("AB-4821-7730")),
            ("Número de caso 2025-XY-004512 - ataque contra xmlrpc.php", Some("2025-XY-004512")),
            ("[IDS] SID 2034647 ET EXPLOIT attempt - 192.0.2.144", None),
            ("Your order 123456789 has shipped", None),
            (
                "Abuse Notification ID: 8f3a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8",
                Some("8f3a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8"),
            ),
        ] {
            assert_eq!(subject_ticket(subject).as_deref(), want, "{subject:?}");
        }
    }

    #[test]
    fn body_reference_taken_only_when_asked_to_quote() {
        let p = FieldPatterns::new();
        let body = |text: &str| p.ticket(&IpFinder::new(), Some("Port scan"), &crate::text::prose_lines(text)).0;
        assert_eq!(
            body("Hello,\nOur reference for this incident is UNI-2025-0412; please quote it.\n").as_deref(),
            Some("UNI-2025-0412")
        );
        assert_eq!(
            body("Номер обращения: 4471-25. Пожалуйста, указывайте его в теме ответа.\n").as_deref(),
            Some("4471-25")
        );
        assert_eq!(
            body("Reference: OPS-7741 - please keep this reference in the subject\n").as_deref(),
            Some("OPS-7741")
        );
        assert_eq!(
            body("Aktenzeichen: 2025/0419-KW\nBitte geben Sie bei jeder Antwort unser Aktenzeichen an.\n").as_deref(),
            Some("2025/0419-KW")
        );
        assert_eq!(
            body("Notre référence : FR-2025-123. Merci de la rappeler dans votre réponse.\n").as_deref(),
            Some("FR-2025-123")
        );
        assert_eq!(
            body("Vermeld bij een antwoord alstublieft onze referentie PXP-2025-0309.\n").as_deref(),
            Some("PXP-2025-0309")
        );
        assert_eq!(
            body("Vi preghiamo di indicare il nostro riferimento GDL/2025/118 in ogni comunicazione.\n").as_deref(),
            Some("GDL/2025/118")
        );
        // A forward's subject carries the inner id; the cover note's own wins.
        let fwd = crate::text::prose_lines(
            "Please see the complaint below. Our ticket number is HOST-778899; please quote it in your reply.\n\n---------- Forwarded message ---------\nFrom: cert@example.org\nSubject: [CERT-EX #55555] SSH\n\nPlease quote CERT-EX #55555 in any reply.\n",
        );
        let (t, others, _) = p.ticket(&IpFinder::new(), Some("Fwd: [CERT-EX #55555] SSH"), &fwd);
        assert_eq!(t.as_deref(), Some("HOST-778899"));
        assert_eq!(others.first().map(String::as_str), Some("CERT-EX #55555"));
        // A labelled id nobody asks to quote is no ticket of ours.
        assert_eq!(body("Our internal case 2025-0412 was closed.\n"), None);
        assert_eq!(body("Order 123456 - please quote it.\n"), None);
    }
}
