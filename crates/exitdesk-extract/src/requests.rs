//! What the complaint asks for, read from its prose: a reply address given
//! in the text ("please send replies to …"), a deadline, a written
//! confirmation, a statement link or portal, an unblocking or delisting
//! request, a question about the action taken, and the name the text is
//! signed with (a closing line followed by a person's name). Each becomes an answer (the recipient) or an operator to-do
//! (a warning shown with the draft, never part of the letter).
//!
//! The patterns are general phrasings that many senders use, not one
//! sender's sentence. Whatever is found is complaint content: it is
//! cleaned to one bounded line before anyone sees it. Read at extraction
//! (the prose is not stored), so that a draft made later from the stored
//! facts still answers them.

use exitdesk_model::{Requests, one_line as clean};
use regex::Regex;

/// Longest text read (requests sit near the top; logs follow).
const MAX_TEXT: usize = 64 * 1024;

/// The compiled patterns (built once per composer).
#[derive(Debug, Clone)]
pub(crate) struct RequestReader {
    reply_to: Vec<Regex>,
    deadline: Regex,
    confirm: Regex,
    url: Regex,
    link_words: Regex,
    unblock: Regex,
    listed: Regex,
    deadline_date: Regex,
    action: Regex,
    closing: Regex,
    /// `action` and `confirm` in other languages (Unicode patterns, kept
    /// apart so that the English ones run in fast ASCII mode), and the
    /// request to confirm receipt in all of them.
    action_intl: Regex,
    confirm_intl: Regex,
    receipt: Regex,
}

/// Words right before a request's verb that make it a statement of the
/// sender's own ("we confirm receipt", "nous accusons réception" is caught
/// by the verb's form).
const OWN_STATEMENT: &[&str] = &["we", "wij", "wir", "hereby", "i"];

/// Words that make a signature line a role, a team or an organisation
/// rather than a person.
const NOT_A_NAME: &[&str] = &[
    "team",
    "abuse",
    "department",
    "support",
    "service",
    "services",
    "desk",
    "center",
    "centre",
    "security",
    "network",
    "operations",
    "noc",
    "cert",
    "csirt",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "ag",
    "bv",
    "sa",
    "sarl",
    "corp",
    "company",
    "group",
    "hosting",
    "admin",
    "administrator",
    "administration",
    "the",
    "your",
    "staff",
    "customer",
    "management",
    "legal",
    "compliance",
    "office",
    "ihr",
    "dein",
    "votre",
    "l'équipe",
    "equipe",
    "équipe",
];

const EMAIL: &str = r"<?(?:mailto:)?([A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+)";

impl RequestReader {
    pub(crate) fn new() -> RequestReader {
        let re = crate::re::compile;
        RequestReader {
            action: re(
                r"(?i)\b(?:(?:feedback|inform|advise|notify|update|report)\b[^.\n]{0,50}\b(?:actions?|measures|steps)\s+(?:taken|undertaken|you\s+(?:have\s+)?taken)|feedback\s+(?:on|about|regarding)\s+(?:the\s+|any\s+)?(?:actions?|measures|steps)|(?:advise|inform|notify|tell)\s+(?:me|us)\s+(?:of|about|on|regarding)\s+(?:the\s+|any\s+)?(?:actions?|measures|steps)|(?:let\s+(?:me|us)\s+know|report\s+back)\b[^.\n]{0,40}\b(?:actions?|measures|steps|done)|(?:identify|stop)\s+the\s+(?:attacker|offender|sender|user)[^.\n]{0,60}\b(?:inform|notify|tell|let)\s+(?:me|us)|(?:mitteilung|rückmeldung|teilen\s+sie\s+uns)[^.\n]{0,60}\bma(?:ß|ss)nahmen|(?:mesures|actions)\s+(?:prises|entreprises)|(?:inform|notify|tell|update|advise)\s+(?:me|us|[A-Z][\w-]{1,15})\s+(?:about|of|on|regarding)\s+(?:the\s+)?(?:results?|outcome)|(?:let\s+(?:me|us)\s+know|report\s+back)\b[^.\n]{0,40}\b(?:results?|outcome)|keep\s+(?:me|us)\s+(?:informed|updated|posted))",
            ),
            closing: re(
                r"(?im)^[ \t>]*(?:(?:best|kind|warm|many\s+thanks\s+and|with\s+best|yours)\s+)?(?:regards|greetings|wishes|sincerely|cheers|thanks|thank\s+you|yours(?:\s+(?:sincerely|truly|faithfully))?|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|(?:viele|beste|freundliche|liebe)\s+gr(?:ü|ue)(?:ß|ss)e|cordialement|bien\s+(?:à|a)\s+vous|salutations(?:\s+distingu(?:é|e)es)?)[ \t]*[,.!]?[ \t\r]*$",
            ),
            reply_to: vec![
                // "please reply to x@y", "send your replies to: x@y", "respond only to x@y"
                re(&format!(
                    r"(?i)\b(?:reply|replies|respond|responses?|answers?|write\s+back|direct\s+(?:any\s+|all\s+|your\s+)?(?:replies|responses|correspondence))\b(?:\s+(?:only|directly|exclusively|by\s+e-?mail))?\s+(?:to|at)\s*:?\s*{EMAIL}"
                )),
                // "replies should be sent to x@y", "correspondence must be addressed to x@y"
                re(&format!(
                    r"(?i)\b(?:replies|responses|answers|correspondence)\s+(?:should|must|can|may)\s+(?:only\s+)?be\s+(?:sent|directed|addressed|mailed)\s+(?:only\s+)?to\s*:?\s*{EMAIL}"
                )),
                // "for responses to this notice, please write to: x@y", "for questions, mail x@y"
                re(&format!(
                    r"(?i)\bfor\s+(?:any\s+|all\s+|your\s+)?(?:responses?|replies|answers|questions|feedback)\b[^.\n@]{{0,60}}?\b(?:write|send|mail|e-?mail|contact|reach)\w*(?:\s+(?:us|them|it))?(?:\s+(?:to|at|via|under))?\s*:?\s*{EMAIL}"
                )),
                // "you can contact us by using: x@y", "please reach us at x@y",
                // "please use the x@y e-mail address" (a bare "contact us at" is
                // often an advertisement)
                re(&format!(
                    r"(?i)\b(?:(?:please|kindly|you\s+(?:can|may|could))\s+(?:\w+\s+)??(?:contact|reach|write\s+to)\s+us\s+(?:by\s+using|using|via|at|under|through|by\s+e-?mail\s+(?:at|to))|please\s+use\s+(?:the\s+|our\s+)?(?:e-?mail\s+|address\s+)*)\s*:?\s*{EMAIL}"
                )),
                // German and French: "Antworten bitte an x@y", "wenden Sie sich an x@y",
                // "kontaktieren Sie uns unter x@y", "répondre à x@y", "contactez-nous à x@y"
                re(&format!(
                    r"(?i)(?:\bantwort(?:en)?\s+(?:bitte\s+)?(?:nur\s+)?an|\bwenden\s+sie\s+sich\s+(?:bitte\s+)?an|\b(?:kontaktieren|erreichen)\s+sie\s+uns\s+(?:bitte\s+)?(?:unter|über|per\s+e-?mail\s+an)|\bschreiben\s+sie\s+(?:uns\s+)?(?:bitte\s+)?an|\br(?:é|e)pondre\s+(?:uniquement\s+)?(?:à|a)|\br(?:é|e)ponses?\s+(?:uniquement\s+)?(?:à|a)|\bcontactez[- ]nous\s+(?:à|a|via|par\s+e-?mail\s+(?:à|a))|\b(?:é|e)crivez(?:[- ]nous)?\s+(?:à|a))\s*:?\s*{EMAIL}"
                )),
            ],
            deadline: re(
                r"(?i)\b(?:within|in\s+the\s+next|no\s+later\s+than|not\s+later\s+than|deadline\s+of\s+(?:(?:the\s+)?maximum|max\.?|at\s+most))\s+((?:\d{1,3}|twenty-four|forty-eight|seventy-two|one|two|three|five|seven|ten|fourteen)\s*(?:\(\d{1,3}\)\s*)?(?:business\s+|working\s+|calendar\s+)?(?:hours?|hrs?|h|days?))\b",
            ),
            // "before the following deadline: [December 5th at 07:48 UTC]",
            // "Deadline: 2025-03-07 12:00 UTC", "respond by 5 March 2025"
            deadline_date: re(
                r"(?i)\b(?:deadline|(?:respond|reply|answer|act|resolve\w*|remedied|removed|ceased)\s+(?:no\s+later\s+than|by|before))\s*:?\s*\[?((?:[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\.?\s+[A-Za-z]{3,9}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})[^\]\n]{0,30})",
            ),
            confirm: re(
                r"(?i)\b(?:confirm|confirmation)\b[^.\n]{0,60}\b(?:in\s+writing|by\s+(?:e-?mail|return|reply)|written|that\s+(?:the|this|you)|resolved|resolution|stopped|fixed|remediated|removed|mitigated|actions?\s+taken|measures)",
            ),
            // Requests for the results or the action taken, by language:
            // de, fr, es, it, nl, pl, pt, ru, cs, lt. Each opens with a
            // request's verb form (imperative, infinitive after "please",
            // "we ask for information"), never a statement ("le
            // informamos", "wir informieren").
            action_intl: re(concat!(
                r"(?i)(?:informieren|unterrichten|benachrichtigen)\s+sie\s+uns\b[^.\n]{0,60}?(?:ergebnis|ma(?:ß|ss)nahmen|schritte)",
                r"|teilen\s+sie\s+uns\b[^.\n]{0,60}?(?:ergebnis|ma(?:ß|ss)nahmen|schritte)",
                r"|(?:rückmeldung|mitteilung)\b[^.\n]{0,60}?ergebnis",
                r"|(?:nous\s+informer|informez[- ]nous|nous\s+tenir\s+inform\w*|tenez[- ]nous\s+inform\w*|nous\s+faire\s+part)\b[^.\n]{0,60}?(?:r[ée]sultats?|suites?\s+donn[ée]es|mesures|actions)",
                r"|(?:inf[óo]rme(?:n)?nos|informarnos|nos\s+informe(?:n)?\b|mant[ée]nga(?:n)?nos\s+informados|mantenernos\s+informados)[^.\n]{0,60}?(?:resultados?|medidas|acciones|soluci[óo]n)",
                r"|(?:informarci|informateci|ci\s+informi(?:no)?\b|tenerci\s+(?:aggiornati|informati)|comunicarci|comunicateci|darci\s+riscontro)[^.\n]{0,60}?(?:esito|risultat\w*|azioni|misure|provvediment\w*)",
                r"|(?:informeer\s+ons|laat\s+ons\s+weten|houd\s+ons\s+op\s+de\s+hoogte|ons\s+(?:te\s+)?informeren)\b[^.\n]{0,60}?(?:resultaat|resultaten|uitkomst|maatregelen|acties|genomen)",
                r"|(?:poinformowa(?:nie|ć|c)\s+nas|poinformujcie\s+nas|prosimy\s+o\s+informacj\w*|prosz[ęe]\s+o\s+informacj\w*)[^.\n]{0,60}?(?:podj[ęe]t\w*|wynik\w*|rezultat\w*|dzia[łl]a\w*)",
                r"|(?:inform(?:e|em|ar)[- ]nos|nos\s+inform(?:e|em|ar)\b|mantenha[- ]nos\s+informad\w*|aguardamos\s+(?:o\s+|seu\s+)?retorno)[^.\n]{0,60}?(?:medidas|provid[êe]ncias|resultados?|a[çc][õo]es)",
                r"|(?:сообщите|сообщить|проинформируйте|проинформировать|уведомите|уведомить|информируйте)[^.\n]{0,60}?(?:результат|приняты\w*\s+мер|мерах|действиях)",
                r"|(?:informujte\s+n[áa]s|informovat\s+n[áa]s|pros[íi]me\s+o\s+informac\w*|dejte\s+n[áa]m\s+v[ěe]d[ěe]t|zp[ěe]tnou\s+vazbu)[^.\n]{0,60}?(?:v[ýy]sled\w*|opat[řr]en\w*|krok\w*|[řr]e[šs]en\w*)",
                r"|(?:informuo(?:ti|kite)|prane[šs]ti|prane[šs]kite)\s+(?:\S+\s+){0,2}?apie\b[^.\n]{0,40}?(?:rezultat\w*|priemon\w*|veiksm\w*)",
            )),
            // Requests to confirm that the matter is resolved, by language.
            confirm_intl: re(concat!(
                r"(?i)best(?:ä|ae)tigen\s+sie\b[^.\n]{0,80}?(?:behoben|beseitigt|abgestellt|gel(?:ö|oe)st|entfernt|unterbunden)",
                r"|best(?:ä|ae)tigung\b[^.\n]{0,60}?(?:behebung|beseitigung|abstellung|l(?:ö|oe)sung)",
                r"|confirm(?:er|ez)\b[^.\n]{0,60}?(?:r[ée]solu|corrig[ée]|trait[ée]|supprim[ée]|prise\s+en\s+charge|le\s+n[ée]cessaire)",
                r"|(?:confirm(?:e|en|em|ar)|conferm(?:are|ate|i|ino))\b[^.\n]{0,60}?(?:resuel\w*|solucionad\w*|corregid\w*|eliminad\w*|resolvid\w*|corrigid\w*|removid\w*|risolt\w*|corrett\w*|rimoss\w*)",
                r"|bevestig(?:en)?\b[^.\n]{0,60}?(?:opgelost|verholpen|gestopt|verwijderd)",
                r"|potwierd(?:zi[ćc]|[źz]|[źz]cie|zenie)\b[^.\n]{0,60}?(?:usuni[ęe]\w*|rozwi[ąa]za\w*|napraw\w*)",
                r"|подтверд(?:ите|ить)[^.\n]{0,60}?(?:устран\w*|прекращ\w*|решен\w*|исправлен\w*)",
                r"|potvr(?:ďte|dte|dit|zen[íi])\b[^.\n]{0,60}?(?:vy[řr]e[šs]\w*|odstran\w*)",
                r"|patvirtin(?:kite|ti)\b[^.\n]{0,60}?(?:pa[šs]alint\w*|i[šs]spr[ęe]st\w*|sutvarkyt\w*)",
            )),
            // Requests to confirm that the report reached us, by language.
            receipt: re(concat!(
                r"(?i)\b(?:confirm|acknowledge)\s+(?:the\s+)?(?:receipt|reception)\b|\backnowledge\s+(?:this|our|the)\s+(?:report|e-?mail|message|notice)\b|\bconfirmation\s+of\s+(?:receipt|reception)\b",
                r"|best(?:ä|ae)tigen\s+sie\s+(?:uns\s+)?(?:bitte\s+)?(?:kurz\s+)?(?:den\s+)?(?:eingang|erhalt|empfang)|eingangsbest(?:ä|ae)tigung|empfangsbest(?:ä|ae)tigung",
                r"|accuse[rz]?\s+(?:de\s+)?r[ée]ception|confirm(?:er|ez)\s+(?:la\s+)?(?:bonne\s+)?r[ée]ception",
                r"|acus(?:ar|e|en)\s+(?:de\s+)?recibo|acuse\s+de\s+recibo|confirm(?:e|en|ar)\s+(?:la\s+)?recepci[óo]n",
                r"|conferm(?:are|ate|i|ino)\s+(?:(?:la|di|della)\s+)?(?:avvenuta\s+)?ricezione|conferma\s+di\s+(?:avvenuta\s+)?ricezione",
                r"|bevestig(?:en)?\s+(?:de\s+|van\s+(?:de\s+)?)?ontvangst|ontvangstbevestiging",
                r"|potwierd(?:zi[ćc]|[źz]|[źz]cie|zenie)\s+(?:\w+\s+)?(?:otrzymani\w*|odbi[óo]r\w*)",
                r"|(?:confirm(?:e|em|ar)|acus(?:ar|e|em))\s+(?:(?:o|a|de|do|da)\s+)?(?:recebimento|rece[pc][çc][ãa]o)",
                r"|подтверд(?:ите|ить)\s+(?:\w+\s+)?получени\w*",
                r"|potvr(?:ďte|dte|dit|zen[íi]\s+o)\s+(?:\w+\s+){0,2}?(?:p[řr]ijet\w*|doru[čc]en\w*|obdr[žz]en\w*)",
                r"|patvirtin(?:kite|ti)\s+(?:\w+\s+){0,2}?gavim\w*",
            )),
            url: re(r#"https?://[^\s<>"'()\[\]{}]{4,300}"#),
            link_words: re(
                r"(?i)\b(?:statement|respond|response|reply|answer|submit|form|portal|ticket|feedback|comment|appeal|dispute|counter-?notice)\b",
            ),
            unblock: re(
                r"(?i)\b(?:unblock\w*|un-block\w*|de-?list\w*|removal\s+(?:from|of)\s+(?:the\s+|our\s+)?(?:block|black|deny)\s*list|(?:lift|remove)\s+the\s+(?:block|lock|suspension|null-?route)|reactivat\w+|unlock\w*)\b",
            ),
            // The sender's own list: "has been (temporarily) blacklisted",
            // "added to our blocklist", "removal from the blacklist".
            listed: re(
                r"(?i)\b(?:(?:has|have)\s+been\s+(?:\w+\s+)?(?:black|block|deny)-?listed|(?:added|reported)\s+to\s+(?:our|the|public|several)\s+(?:\w+\s+)?(?:black|block|deny)\s*-?lists?|(?:removal|remove\w*|delist\w*)\s+(?:it\s+|the\s+address\s+)?(?:from|of)\s+(?:the\s+|our\s+|your\s+)?(?:black|block|deny)\s*-?list)\b",
            ),
        }
    }

    /// Reads the requests of a complaint's prose.
    pub(crate) fn read(&self, prose: &str) -> Requests {
        let mut end = prose.len().min(MAX_TEXT);
        while !prose.is_char_boundary(end) {
            end -= 1;
        }
        let text = &prose[..end];
        let mut out = Requests::default();
        // "do not reply to x@y" is the opposite of a request.
        let negated = |at: usize| {
            let mut from = at.saturating_sub(24);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let before = text[from..at].to_ascii_lowercase();
            before.contains("not ") || before.contains("n't ") || before.contains("never ")
        };
        // A confidentiality footer's "if you are not the intended recipient,
        // please contact us at …" is no reply address.
        let footer = |at: usize| {
            let mut from = at.saturating_sub(120);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let before = text[from..at].to_ascii_lowercase();
            before.contains("intended recipient") || before.contains("in error")
        };
        out.reply_to = self
            .reply_to
            .iter()
            .flat_map(|r| r.captures_iter(text))
            .filter(|c| c.get(0).is_some_and(|m| !negated(m.start()) && !footer(m.start())))
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().trim_end_matches('.').to_ascii_lowercase())
            .next();
        out.deadline = self
            .deadline
            .captures(text)
            .and_then(|c| c.get(1))
            .map(|m| format!("within {}", m.as_str()))
            .or_else(|| {
                let d = self.deadline_date.captures(text)?.get(1)?;
                Some(format!("by {}", d.as_str().trim_end_matches(['.', ',', ';', ' ', ']'])))
            })
            .map(|d| clean(&d, 50));
        // A request, not the sender's own statement ("we confirm receipt").
        let asked = |re: &Regex| {
            re.find_iter(text).take(20).any(|m| {
                let before = text[..m.start()].trim_end();
                let word = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
                !OWN_STATEMENT.contains(&word.as_str())
            })
        };
        out.confirmation = asked(&self.confirm) || asked(&self.confirm_intl);
        out.receipt = asked(&self.receipt);
        out.unblock = self.unblock.is_match(text);
        out.listed = self.listed.is_match(text);
        out.action = self.action.is_match(text) || asked(&self.action_intl);
        out.signer = self.signer(text);
        let lines: Vec<&str> = text.lines().collect();
        out.link = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| self.link_words.is_match(l))
            .flat_map(|(i, l)| {
                let here: Vec<&str> = self.url.find_iter(l).map(|m| m.as_str()).collect();
                // "use the above link to submit …": the last link of the
                // few lines before.
                let above = (here.is_empty() && pointer(l))
                    .then(|| lines[i.saturating_sub(6)..i].iter().rev().find_map(|p| self.url.find_iter(p).last()))
                    .flatten()
                    .map(|m| m.as_str());
                here.into_iter().chain(above)
            })
            .map(|u| u.trim_end_matches(['.', ',', ';', ':']))
            // A bare home page is a signature, not a form: a link for the
            // answer has a path or a query.
            .find(|u| u.splitn(4, '/').nth(3).is_some_and(|rest| rest.len() > 1))
            .map(|u| clean(u, 300));
        out
    }
}

/// The line points at a link given before it ("the above link", "this link").
fn pointer(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    ["the above link", "the link above", "this link", "the same link", "the link provided"]
        .iter()
        .any(|p| l.contains(p))
}

impl RequestReader {
    /// The first closing line followed (after at most one blank line) by a
    /// line that reads as a person's name: two to four words, each starting
    /// with a capital letter, letters (and `.`, `-`, `'`) only, none of them
    /// a role, team or company word.
    fn signer(&self, text: &str) -> Option<String> {
        for m in self.closing.find_iter(text) {
            let next = text[m.end()..]
                .lines()
                .skip(1)
                .map(|l| l.trim_start_matches(['>', ' ', '\t']).trim())
                // The signature separator ("-- ") may stand between.
                .filter(|l| *l != "--")
                .take(2)
                .find(|l| !l.is_empty());
            // "Jane Doe, Example Ltd", "Jane Doe - Example Ltd", "Jane Doe from Example Ltd".
            let name = next.map(|l| {
                let cut = [", ", " - ", " – ", " | ", " from ", " From ", " of ", " at "]
                    .iter()
                    .filter_map(|sep| l.find(sep))
                    .min()
                    .unwrap_or(l.len());
                &l[..cut]
            });
            if let Some(name) = name.filter(|l| is_personal_name(l)) {
                return Some(clean(name, 60));
            }
        }
        None
    }
}

/// A line that reads as a person's name (see [`RequestReader::signer`]).
fn is_personal_name(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    line.chars().count() <= 40
        && (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
                && !NOT_A_NAME.contains(&w.to_lowercase().as_str())
        })
        // Not shouting (an all-capitals line is a heading or a company).
        && line.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod test {
    use super::*;

    fn read(s: &str) -> Requests {
        RequestReader::new().read(s)
    }

    #[test]
    fn reply_addresses_in_the_text() {
        assert_eq!(read("Please reply to noc@isp.example.org.").reply_to.as_deref(), Some("noc@isp.example.org"));
        assert_eq!(
            read("Send your replies only to: <abuse-replies@isp.example.org>").reply_to.as_deref(),
            Some("abuse-replies@isp.example.org")
        );
        assert_eq!(
            read("Replies should be sent to desk@cert.example.org").reply_to.as_deref(),
            Some("desk@cert.example.org")
        );
        assert_eq!(read("Contact abuse@example.org for details.").reply_to, None);
        let reply = |s: &str| read(s).reply_to;
        let want = Some("desk@isp.example.org".to_string());
        assert_eq!(reply("You can contact us by using: desk@isp.example.org"), want);
        assert_eq!(reply("If you want to reach us, please use the desk@isp.example.org E-Mail address."), want);
        assert_eq!(reply("For responses to this notice, please write to: desk@isp.example.org"), want);
        assert_eq!(reply("Bitte wenden Sie sich an desk@isp.example.org."), want);
        assert_eq!(reply("Antworten bitte an desk@isp.example.org"), want);
        assert_eq!(reply("Merci de répondre à desk@isp.example.org."), want);
        assert_eq!(reply("Contactez-nous à desk@isp.example.org"), want);
        assert_eq!(reply("Looking for more? Contact us at sales@isp.example.org!"), None);
        assert_eq!(reply("If you are not the intended recipient, please contact us at it@isp.example.org."), None);
        assert_eq!(read("Please do not reply to robot@example.org.").reply_to, None);
    }

    #[test]
    fn deadlines_confirmations_links_unblocking() {
        let r = read(
            "Please confirm in writing within 48 hours that the issue is resolved.\n\
             Submit your statement here: https://abuse.example.org/statement/abc123.\n\
             To request unblocking, reply to this ticket.",
        );
        assert_eq!(r.deadline.as_deref(), Some("within 48 hours"));
        let d = read("Please act before the following deadline: [March 7th at 12:00:00 UTC].\nThanks");
        assert_eq!(d.deadline.as_deref(), Some("by March 7th at 12:00:00 UTC"));
        assert_eq!(read("Deadline: 2025-03-07 12:00 UTC\n").deadline.as_deref(), Some("by 2025-03-07 12:00 UTC"));
        assert_eq!(read("We read every reply by hand.").deadline, None);
        assert_eq!(
            read("We expect action with a deadline of maximum 48 hours.").deadline.as_deref(),
            Some("within 48 hours")
        );
        let above = read(
            "Details are at https://portal.example.org/reports/a1b2.\n\nIf the report is wrong, please use the above link to submit an update.",
        );
        assert_eq!(above.link.as_deref(), Some("https://portal.example.org/reports/a1b2"));
        assert!(r.confirmation);
        assert_eq!(r.link.as_deref(), Some("https://abuse.example.org/statement/abc123"));
        assert!(r.unblock);
        assert!(!r.listed, "a provider's unblocking is no block list");
        assert!(
            read("Your address has been temporarily blacklisted. Request removal from blacklist by replying.").listed
        );
        assert!(read("The address was added to our public blocklist.").listed);
        assert_eq!(read("Reply form: https://www.example.org/").link, None, "a home page is no form");
        assert!(read("We would appreciate feedback on actions taken.").action);
        assert!(read("Please advise me of the action taken.").action);
        assert!(read("d) Provide feedback on this incident with actions taken.").action);
        assert!(read("Please identify and stop the attacker and inform us.").action);
        assert!(!read("We took action against the attacker.").action);
        let none = read("We saw 12 login attempts on https://www.example.org/login from your address.");
        assert_eq!(none, Requests::default());
    }

    /// (what, sentence): `a` asks for the results or the action taken, `c`
    /// for a confirmation that the matter is resolved, `r` for one of receipt.
    const ASKED: &[(char, &str)] = &[
        ('a', "Please inform us about the results of your investigation."),
        ('a', "Kindly keep us informed."),
        ('c', "Please confirm that it was resolved."),
        ('r', "We would appreciate if you confirm the reception of this report."),
        ('r', "Please acknowledge receipt of this notice."),
        ('a', "Bitte informieren Sie uns über die ergriffenen Maßnahmen."),
        ('a', "Teilen Sie uns bitte das Ergebnis Ihrer Prüfung mit."),
        ('c', "Bitte bestätigen Sie uns, dass das Problem behoben wurde."),
        ('r', "Bitte bestätigen Sie den Eingang dieser Meldung."),
        ('a', "Merci de nous tenir informés des suites données."),
        ('c', "Merci de nous confirmer la prise en charge de cette fraude."),
        ('r', "Merci d'accuser réception de cet e-mail."),
        ('a', "Le agradeceríamos que nos informe de las medidas adoptadas."),
        ('c', "Por favor, confirme que el problema ha sido resuelto."),
        ('r', "Le rogamos acuse recibo de este mensaje."),
        ('a', "Vi preghiamo di informarci sull'esito delle verifiche."),
        ('c', "Vi chiediamo di confermare che il problema è stato risolto."),
        ('r', "Vi preghiamo di confermare la ricezione di questa segnalazione."),
        ('a', "Wilt u ons informeren over de genomen maatregelen?"),
        ('c', "Graag bevestigen dat het probleem is opgelost."),
        ('r', "Wilt u de ontvangst van dit bericht bevestigen? Graag een ontvangstbevestiging."),
        ('a', "Prosimy o informację o podjętych działaniach."),
        ('c', "Prosimy potwierdzić, że problem został rozwiązany."),
        ('r', "Prosimy o potwierdzenie otrzymania zgłoszenia."),
        ('a', "Por favor, informe-nos sobre as medidas tomadas."),
        ('c', "Solicitamos que confirme que o problema foi resolvido."),
        ('r', "Favor confirmar o recebimento desta notificação."),
        ('a', "Просим сообщить о принятых мерах."),
        ('c', "Просим подтвердить, что проблема устранена."),
        ('r', "Пожалуйста, подтвердите получение этого письма."),
        ('a', "Prosíme o informaci o přijatých opatřeních."),
        ('c', "Prosíme, potvrďte, že problém byl vyřešen."),
        ('r', "Prosíme, potvrďte přijetí tohoto hlášení."),
        ('a', "Prašome informuoti NKSC apie rezultatus."),
        ('c', "Prašome patvirtinti, kad problema išspręsta."),
        ('r', "Prašome patvirtinti šio pranešimo gavimą."),
    ];

    #[test]
    fn results_and_confirmations_in_eleven_languages() {
        for (what, sentence) in ASKED {
            let r = read(sentence);
            let got = (r.action, r.confirmation, r.receipt);
            let want = (*what == 'a', *what == 'c', *what == 'r');
            assert_eq!(got, want, "(action, confirmation, receipt) of {sentence:?}");
        }
    }

    #[test]
    fn statements_are_no_requests() {
        for sentence in [
            "We confirm receipt of your message.",
            "Nous accusons réception de votre message.",
            "Le informamos que se han detectado acciones maliciosas desde su red.",
            "Wir möchten Sie bitten, die betroffenen Kunden zeitnah zu informieren.",
            "Wir bestätigen den Eingang Ihrer Nachricht.",
            "Confirmamos que el incidente ha sido resuelto.",
            "Сообщаем, что с вашего адреса зафиксированы атаки.",
            "Potvrzujeme přijetí vašeho hlášení.",
            "Prašome imtis visų reikalingų veiksmų atakoms nutraukti.",
        ] {
            let r = read(sentence);
            assert!(!r.action && !r.confirmation && !r.receipt, "{sentence:?}: {r:?}");
        }
    }

    #[test]
    fn signers() {
        assert_eq!(
            read("Thanks for looking.\n\nBest regards,\nJane Q. Doe\nExample Org").signer.as_deref(),
            Some("Jane Q. Doe")
        );
        assert_eq!(read("Mit freundlichen Grüßen\n\nMax Mustermann\n").signer.as_deref(), Some("Max Mustermann"));
        assert_eq!(read("Cordialement,\nMarie Dupont").signer.as_deref(), Some("Marie Dupont"));
        assert_eq!(read("Sincerely,\nJane Doe From Example Design\n").signer.as_deref(), Some("Jane Doe"));
        assert_eq!(read("Regards,\nJane Doe, Example Ltd\n").signer.as_deref(), Some("Jane Doe"));
        assert!(read("Please take the necessary steps and inform CERT-XX about the results.").action);
        assert!(read("Please inform us of the outcome.").action);
        assert_eq!(read("Regards.\r\n\r\n-- \r\nJane Doe\r\n").signer.as_deref(), Some("Jane Doe"));
        assert_eq!(read("Regards,\nAbuse Team\nExample Hosting").signer, None);
        assert_eq!(read("Regards,\nEXAMPLE NETWORKS").signer, None);
        assert_eq!(read("Regards,\nExample Hosting GmbH").signer, None);
        assert_eq!(read("Jane Doe wrote this without a closing.").signer, None);
    }
}
