//! What the complaint asks for, read from its prose: a reply address given
//! in the text ("please send replies to …"), a deadline, a written
//! confirmation, a statement link or portal, an unblocking or delisting
//! request. Each becomes an answer (the recipient) or an operator to-do
//! (a warning shown with the draft, never part of the letter).
//!
//! The patterns are general phrasings that many senders use, not one
//! sender's sentence. Whatever is found is complaint content: it is
//! cleaned to one bounded line before anyone sees it. Read at extraction
//! (the prose is not stored), so that a draft made later from the stored
//! facts still answers them.

use exitdesk_model::Requests;
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
}

const EMAIL: &str = r"<?(?:mailto:)?([A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+)";

impl RequestReader {
    pub(crate) fn new() -> RequestReader {
        let re = crate::re::compile;
        RequestReader {
            reply_to: vec![
                // "please reply to x@y", "send your replies to: x@y", "respond only to x@y"
                re(&format!(
                    r"(?i)\b(?:reply|replies|respond|responses?|answers?|write\s+back|direct\s+(?:any\s+|all\s+|your\s+)?(?:replies|responses|correspondence))\b(?:\s+(?:only|directly|exclusively|by\s+e-?mail))?\s+(?:to|at)\s*:?\s*{EMAIL}"
                )),
                // "replies should be sent to x@y", "correspondence must be addressed to x@y"
                re(&format!(
                    r"(?i)\b(?:replies|responses|answers|correspondence)\s+(?:should|must|can|may)\s+(?:only\s+)?be\s+(?:sent|directed|addressed|mailed)\s+(?:only\s+)?to\s*:?\s*{EMAIL}"
                )),
            ],
            deadline: re(
                r"(?i)\b(?:within|in\s+the\s+next|no\s+later\s+than|not\s+later\s+than)\s+((?:\d{1,3}|twenty-four|forty-eight|seventy-two|one|two|three|five|seven|ten|fourteen)\s*(?:\(\d{1,3}\)\s*)?(?:business\s+|working\s+|calendar\s+)?(?:hours?|hrs?|h|days?))\b",
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
        out.reply_to = self
            .reply_to
            .iter()
            .flat_map(|r| r.captures_iter(text))
            .filter(|c| c.get(0).is_some_and(|m| !negated(m.start())))
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().trim_end_matches('.').to_ascii_lowercase())
            .next();
        out.deadline = self.deadline.captures(text).and_then(|c| c.get(1)).map(|m| clean(m.as_str(), 40));
        out.confirmation = self.confirm.is_match(text);
        out.unblock = self.unblock.is_match(text);
        out.link = text
            .lines()
            .filter(|l| self.link_words.is_match(l))
            .flat_map(|l| self.url.find_iter(l))
            .map(|m| m.as_str().trim_end_matches(['.', ',', ';', ':']))
            // A bare home page is a signature, not a form: a link for the
            // answer has a path or a query.
            .find(|u| u.splitn(4, '/').nth(3).is_some_and(|rest| rest.len() > 1))
            .map(|u| clean(u, 300));
        out
    }
}

/// One safe line of at most `max` characters: control and bidi characters
/// and runs of white space become one space.
fn clean(s: &str, max: usize) -> String {
    let line: String = s
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                ' '
            } else {
                c
            }
        })
        .collect();
    line.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
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
        assert_eq!(read("Please do not reply to robot@example.org.").reply_to, None);
    }

    #[test]
    fn deadlines_confirmations_links_unblocking() {
        let r = read(
            "Please confirm in writing within 48 hours that the issue is resolved.\n\
             Submit your statement here: https://abuse.example.org/statement/abc123.\n\
             To request unblocking, reply to this ticket.",
        );
        assert_eq!(r.deadline.as_deref(), Some("48 hours"));
        assert!(r.confirmation);
        assert_eq!(r.link.as_deref(), Some("https://abuse.example.org/statement/abc123"));
        assert!(r.unblock);
        assert_eq!(read("Reply form: https://www.example.org/").link, None, "a home page is no form");
        let none = read("We saw 12 login attempts on https://www.example.org/login from your address.");
        assert_eq!(none, Requests::default());
    }
}
