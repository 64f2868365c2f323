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
}

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
                r"(?i)\b(?:(?:feedback|inform|advise|notify|update|report)\b[^.\n]{0,50}\b(?:actions?|measures|steps)\s+(?:taken|undertaken|you\s+(?:have\s+)?taken)|feedback\s+(?:on|about|regarding)\s+(?:the\s+|any\s+)?(?:actions?|measures|steps)|(?:advise|inform|notify|tell)\s+(?:me|us)\s+(?:of|about|on|regarding)\s+(?:the\s+|any\s+)?(?:actions?|measures|steps)|(?:let\s+(?:me|us)\s+know|report\s+back)\b[^.\n]{0,40}\b(?:actions?|measures|steps|done)|(?:identify|stop)\s+the\s+(?:attacker|offender|sender|user)[^.\n]{0,60}\b(?:inform|notify|tell|let)\s+(?:me|us)|(?:mitteilung|rückmeldung|teilen\s+sie\s+uns)[^.\n]{0,60}\bma(?:ß|ss)nahmen|(?:mesures|actions)\s+(?:prises|entreprises)|(?:inform|notify|tell|update|advise)\s+(?:me|us|[A-Z][\w-]{1,15})\s+(?:about|of|on|regarding)\s+(?:the\s+)?(?:results?|outcome))",
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
                r"(?i)\b(?:confirm|confirmation)\b[^.\n]{0,60}\b(?:in\s+writing|by\s+(?:e-?mail|return|reply)|written|receipt|that\s+(?:the|this|you)|resolved|resolution|stopped|actions?\s+taken|measures)",
            ),
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
        out.confirmation = self.confirm.is_match(text);
        out.unblock = self.unblock.is_match(text);
        out.listed = self.listed.is_match(text);
        out.action = self.action.is_match(text);
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
