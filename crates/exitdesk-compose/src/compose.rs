//! Blocks → draft → RFC 5322 reply.
//!
//! A draft is assembled in the order of DESIGN.md "Replies": greeting and
//! reference; evidence (or the verdict block that says the traffic cannot
//! have been ours); the Tor intro at the requested level; one block per
//! scenario; the blocking kit where it helps; offers; signature.

use exitdesk_model::{AutoResponse, Classification, Complaint, Scenario, Verdict};
use jiff::Timestamp;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::raw::Raw;
use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::config::{NetworkConfig, OperatorConfig, ReplyConfig};
use crate::context::{CaseV, Parts, PlaybookContext, ReplyContext, clean, links, verdict_block};
use crate::err::{ComposeError, Result, detail};
use crate::templates::Templates;
use crate::wrap::{WIDTH, layout};

/// Instructions a single template may run (bounds a runaway operator template).
const FUEL: u64 = 2_000_000;
/// Longest subject kept from the complaint.
const MAX_SUBJECT: usize = 180;
/// Most message ids carried in `References`.
const MAX_REFERENCES: usize = 20;
/// The longest address a recipient may have (RFC 5321 path limit less the brackets).
const MAX_ADDRESS: usize = 254;

/// How much of the Tor intro a reply carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IntroLevel {
    /// For a first contact.
    #[default]
    Full,
    /// For someone who already received the full intro.
    Short,
    /// For someone who knows Tor.
    None,
}

impl IntroLevel {
    /// The level's name.
    pub fn as_str(self) -> &'static str {
        match self {
            IntroLevel::Full => "full",
            IntroLevel::Short => "short",
            IntroLevel::None => "none",
        }
    }

    /// Parses `full`, `short` or `none`.
    pub fn from_name(s: &str) -> Option<IntroLevel> {
        [IntroLevel::Full, IntroLevel::Short, IntroLevel::None].into_iter().find(|l| l.as_str() == s)
    }
}

/// Everything one draft is made of.
#[derive(Debug, Clone, Copy)]
pub struct DraftRequest<'a> {
    /// The complaint answered.
    pub complaint: &'a Complaint,
    /// Its scenarios.
    pub classification: &'a Classification,
    /// The verdict of the network-data check, if one was made.
    pub verdict: Option<&'a Verdict>,
    /// How much Tor intro to include.
    pub intro: IntroLevel,
    /// Who signs.
    pub operator: &'a OperatorConfig,
    /// Live figures.
    pub network: &'a NetworkConfig,
    /// Addressing and marking.
    pub reply: &'a ReplyConfig,
    /// The time of drafting (the `Date:` header).
    pub now: Timestamp,
    /// Draft even when the complaint says no reply is needed.
    pub force: bool,
    /// The exits that could reach the complainant's service, to attach.
    pub blocklist: Option<&'a Blocklist>,
}

/// A list of exit addresses that could reach the complainant's service,
/// attached to the reply (made by `exitdesk-tornet` from network data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocklist {
    /// The destination address.
    pub dest: String,
    /// The destination port.
    pub port: u16,
    /// The consensus hour the list is from (`YYYY-MM-DD HH:00`).
    pub as_of: String,
    /// How many addresses.
    pub addresses: usize,
    /// Some exits were judged by their policy summary only.
    pub from_summaries: bool,
    /// The attachment's file name.
    pub file_name: String,
    /// The attachment (one address per line, with a comment header).
    #[serde(skip)]
    pub body: String,
}

/// A file attached to a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Content.
    pub body: String,
}

/// The result of asking for a draft.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A reply to review and send.
    Draft(Box<Draft>),
    /// No reply is needed; a note for the operator instead.
    Note(String),
    /// No reply may be drafted (an auto-reply or a bounce); the reason.
    Refused(String),
}

/// A mailbox: display name and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Display name.
    pub name: Option<String>,
    /// Address.
    pub address: String,
}

/// An unsent reply. (De)serialisable: the store keeps drafts as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    /// The operator.
    pub from: Mailbox,
    /// The recipient, when a usable address exists.
    pub to: Option<Mailbox>,
    /// `Re:` subject keeping the ticket id.
    pub subject: String,
    /// The complaint's `Message-ID`, for threading.
    pub in_reply_to: Option<String>,
    /// The thread so far for `References` (RFC 5322 §3.6.4): the
    /// complaint's own `References`, then its `Message-ID`; at most
    /// twenty ids, the most recent kept.
    #[serde(default)]
    pub references: Vec<String>,
    /// This draft's own `Message-ID` (without brackets).
    pub message_id: String,
    /// When it was drafted.
    #[serde(serialize_with = "ser_time", deserialize_with = "de_time")]
    pub date: Timestamp,
    /// The `Auto-Submitted` value.
    pub auto_submitted: String,
    /// The text, wrapped at 72 columns.
    pub body: String,
    /// Things the operator must know before sending (no usable address, placeholders).
    pub warnings: Vec<String>,
    /// Files attached (the exits that could reach the complainant's service).
    pub attachments: Vec<Attachment>,
    /// The reply promises a follow-up (the offers block set `follow_up`):
    /// sending it plans one.
    #[serde(default)]
    pub follow_up: bool,
    /// The Tor intro it carries.
    #[serde(default)]
    pub intro: IntroLevel,
}

fn de_time<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Timestamp, D::Error> {
    let s = String::deserialize(d)?;
    exitdesk_model::parse_utc(&s).ok_or_else(|| serde::de::Error::custom(format!("not an instant: {s}")))
}

fn ser_time<S: serde::Serializer>(t: &Timestamp, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&exitdesk_model::format_utc(*t))
}

/// Renders replies from a template set.
#[derive(Debug)]
pub struct Composer {
    env: Environment<'static>,
}

impl Composer {
    /// Compiles every template of the set; a syntax error names the file and line.
    pub fn new(templates: &Templates) -> Result<Composer> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Keep template sources for errors in release builds too (minijinja
        // keeps them only under debug assertions by default): `detail` names
        // the undefined expression from them. Values never enter the message.
        env.set_debug(true);
        env.set_fuel(Some(FUEL));
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| ComposeError::Syntax { name: "(syntax)".into(), detail: detail(&e) })?;
        env.set_syntax(syntax);
        // Plain text: nothing is HTML-escaped. The only include/import
        // source is this set; complaint values are never parsed.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        for (name, source) in templates.iter() {
            env.add_template_owned(name.to_string(), source.to_string())
                .map_err(|e| ComposeError::Syntax { name: format!("{name}.j2"), detail: detail(&e) })?;
        }
        Ok(Composer { env })
    }

    /// The default template set.
    pub fn builtin() -> Result<Composer> {
        Composer::new(&Templates::builtin())
    }

    fn render<S: Serialize>(&self, name: &str, ctx: &S) -> Result<String> {
        let fail = |e: minijinja::Error| ComposeError::Render { name: format!("{name}.j2"), detail: detail(&e) };
        let t = self.env.get_template(name).map_err(fail)?;
        t.render(minijinja::value::Serde(ctx)).map_err(fail)
    }

    /// Renders a block and reads a top-level `{% set flag = … %}` it made
    /// (false when the template sets none): the offers block says whether
    /// the reply promises a follow-up, so the case can plan one.
    fn render_with_flag<S: Serialize>(&self, name: &str, ctx: &S, flag: &str) -> Result<(String, bool)> {
        let fail = |e: minijinja::Error| ComposeError::Render { name: format!("{name}.j2"), detail: detail(&e) };
        let t = self.env.get_template(name).map_err(fail)?;
        let captured = t.render_captured(minijinja::value::Serde(ctx)).map_err(fail)?;
        let set = captured.state().lookup(flag).is_some_and(|v| v.is_true());
        Ok((captured.into_output(), set))
    }

    /// Drafts the reply to one complaint (or says why there is none).
    pub fn draft(&self, req: &DraftRequest<'_>) -> Result<Outcome> {
        let c = req.complaint;
        if let Some(kind) = c.auto_response {
            return Ok(Outcome::Refused(match kind {
                AutoResponse::AutoReply => {
                    "the message is an automatic reply (RFC 3834); exitdesk never answers one".into()
                }
                AutoResponse::Bounce => {
                    "the message is a bounce (delivery status notification); it needs no reply".into()
                }
            }));
        }
        let scenarios: Vec<(Scenario, Option<String>)> =
            req.classification.labels.iter().map(|l| (l.scenario, l.subkind.clone())).collect();
        let ctx = ReplyContext::new(Parts {
            complaint: c,
            scenarios: &scenarios,
            verdict: req.verdict,
            operator: req.operator,
            network: req.network,
            blocklist: req.blocklist,
            intro: req.intro.as_str(),
            follow_up_days: req.reply.follow_up_days,
            now: req.now,
        });
        if c.no_reply_needed && !req.force {
            return Ok(Outcome::Note(layout(&self.render("note/no_reply", &ctx)?, WIDTH)));
        }
        let (body, follow_up) = self.body(req, &scenarios, &ctx)?;
        let mut warnings = Vec::new();
        if req.operator.is_placeholder() {
            warnings.push(
                "the operator is not configured: the draft is signed with placeholder values; set [operator] in exitdesk.toml"
                    .into(),
            );
        }
        let to = recipient(c, req.reply, &mut warnings);
        let subject = subject(c);
        let in_reply_to = c.message_id.as_deref().and_then(message_id);
        let references = references(&c.references, in_reply_to.as_deref());
        let message_id = own_message_id(&req.operator.email, in_reply_to.as_deref(), &subject, req.now, &body);
        let from = Mailbox { name: Some(clean(&req.operator.name, 100)), address: clean(&req.operator.email, 200) };
        Ok(Outcome::Draft(Box::new(Draft {
            from,
            to,
            subject,
            in_reply_to,
            references,
            message_id,
            date: req.now,
            auto_submitted: clean(&req.reply.auto_submitted, 40),
            body,
            warnings,
            follow_up,
            intro: req.intro,
            attachments: req
                .blocklist
                .map(|b| Attachment {
                    name: clean(&b.file_name, 80),
                    content_type: "text/plain".to_string(),
                    body: b.body.clone(),
                })
                .into_iter()
                .collect(),
        })))
    }

    fn body(
        &self,
        req: &DraftRequest<'_>,
        scenarios: &[(Scenario, Option<String>)],
        ctx: &ReplyContext,
    ) -> Result<(String, bool)> {
        let mut blocks: Vec<String> = Vec::new();
        blocks.push(self.render("greeting", ctx)?);
        let block = req.verdict.and_then(verdict_block);
        match block {
            Some("not_exit") => blocks.push(self.render("verdict/not_exit", ctx)?),
            Some("policy_rejects") => blocks.push(self.render("verdict/policy_rejects", ctx)?),
            _ => blocks.push(self.render("evidence", ctx)?),
        }
        match req.intro {
            IntroLevel::Full => blocks.push(self.render("intro/full", ctx)?),
            IntroLevel::Short => blocks.push(self.render("intro/short", ctx)?),
            IntroLevel::None => {}
        }
        let mut seen = Vec::new();
        for (s, _) in scenarios {
            if !seen.contains(s) {
                seen.push(*s);
                blocks.push(self.render(&format!("scenario/{}", s.as_str()), ctx)?);
            }
        }
        let ours = !matches!(block, Some("not_exit" | "policy_rejects"));
        // Blocking Tor does not help against UDP (which cannot come through
        // Tor), nor a person whose own account was misused.
        let kit = seen.iter().any(|s| {
            wants_blocking_kit(*s)
                && !(ctx.udp && *s == Scenario::DosScraping)
                && !(ctx.reporter_is_person && *s == Scenario::AccountCompromise)
        });
        if ours && kit {
            blocks.push(self.render("blocking", ctx)?);
        }
        let (offers, follow_up) = self.render_with_flag("offers", ctx, "follow_up")?;
        blocks.push(offers);
        blocks.push(self.render("signature", ctx)?);
        let text: Vec<String> = blocks.into_iter().map(|b| b.trim().to_string()).filter(|b| !b.is_empty()).collect();
        Ok((layout(&text.join("\n\n"), WIDTH), follow_up))
    }

    /// The threats-of-violence conversation playbook (`call_notes: false`) or
    /// the call-notes form (`true`), optionally about one complaint.
    pub fn playbook(
        &self,
        call_notes: bool,
        complaint: Option<&Complaint>,
        operator: &OperatorConfig,
        network: &NetworkConfig,
        reply: &ReplyConfig,
        now: Timestamp,
    ) -> Result<String> {
        let ctx = PlaybookContext {
            operator: operator.clone(),
            network: network.clone(),
            links: links(
                complaint.and_then(|c| c.reported_ips.first().copied()),
                complaint.and_then(|c| c.events.iter().find_map(|e| e.time_utc)),
            ),
            follow_up_days: reply.follow_up_days,
            today: now.to_zoned_datetime(jiff::tz::TimeZone::UTC).strftime("%Y-%m-%d").to_string(),
            case: complaint.map(CaseV::from),
        };
        let name = if call_notes { "playbook/call_notes" } else { "playbook/threats" };
        Ok(layout(&self.render(name, &ctx)?, WIDTH))
    }
}

/// Scenarios where telling the complainant how to flag or block Tor helps.
/// Copyright, threats, spam sent through someone's web server and generic
/// reports are not solved by blocking exits.
pub fn wants_blocking_kit(s: Scenario) -> bool {
    matches!(
        s,
        Scenario::CommentSpam
            | Scenario::DosScraping
            | Scenario::WebBruteforce
            | Scenario::SshBruteforce
            | Scenario::AccountCompromise
            | Scenario::Hacking
            | Scenario::EcommerceFraud
    )
}

/// Local parts that never read replies.
const NO_REPLY: &[&str] =
    &["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "mailer-daemon", "nobody"];

/// True when an address will not read replies.
pub fn is_no_reply(address: &str, extra: &[String]) -> bool {
    let a = address.to_ascii_lowercase();
    let local = a.split('@').next().unwrap_or("");
    NO_REPLY.iter().any(|n| local.contains(n))
        || extra.iter().any(|e| !e.is_empty() && a.contains(&e.to_ascii_lowercase()))
}

/// A single mailbox a `To:` can carry: an RFC 5322 addr-spec in dot-atom
/// form (`local@domain`, UTF-8 allowed as in RFC 6532), at most 254 bytes.
/// Anything else (a group, a quoted or bracketed part, a longer address) is
/// refused whole, never cut or repaired.
fn usable(address: &str) -> Option<String> {
    let a = address.trim().trim_start_matches('<').trim_end_matches('>');
    let atext = |c: char| {
        c.is_ascii_alphanumeric()
            || "!#$%&'*+-/=?^_`{|}~".contains(c)
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    let dot_atom = |s: &str| !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.chars().all(atext));
    let (local, domain) = a.rsplit_once('@')?;
    let ok = a.len() <= MAX_ADDRESS && dot_atom(local) && dot_atom(domain) && domain.contains('.');
    ok.then(|| a.to_string())
}

/// The forwarder for forwarded complaints, the reporter for direct ones;
/// `Reply-To` before `From`; never a no-reply address.
fn recipient(c: &Complaint, reply: &ReplyConfig, warnings: &mut Vec<String>) -> Option<Mailbox> {
    let (party, role) = match &c.forwarder {
        Some(f) => (f, "forwarder"),
        None => (&c.complainant, "reporter"),
    };
    let mut refused = Vec::new();
    let mut invalid = false;
    for candidate in [&party.reply_to, &party.address].into_iter().flatten() {
        let Some(a) = usable(candidate) else {
            invalid = true;
            continue;
        };
        if is_no_reply(&a, &reply.no_reply_addresses) {
            refused.push(a);
            continue;
        }
        return Some(Mailbox {
            name: party.name.as_deref().map(|n| clean(n, 100)).filter(|n| !n.is_empty()),
            address: a,
        });
    }
    warnings.push(if refused.is_empty() && invalid {
        format!(
            "no usable reply address: the {role}'s is not one plain address of at most {MAX_ADDRESS} characters; add a To: address before sending"
        )
    } else if refused.is_empty() {
        format!("no usable reply address: the {role} gave none; add a To: address before sending")
    } else {
        format!(
            "no usable reply address: {} is a no-reply address; answer through the {role}'s web form or find a contact address",
            refused.join(", ")
        )
    });
    None
}

/// `Re: <subject>`, keeping the ticket id (added when the subject lacks it).
fn subject(c: &Complaint) -> String {
    let mut s = c.subject.as_deref().map(|s| clean(s, MAX_SUBJECT)).unwrap_or_default();
    if s.is_empty() {
        s = match c.reported_ips.first() {
            Some(ip) => format!("Abuse complaint about {ip}"),
            None => "Your abuse complaint".into(),
        };
    }
    let lower = s.to_ascii_lowercase();
    let is_reply = ["re:", "aw:", "sv:", "antw:", "réf:", "ref:", "re :"].iter().any(|p| lower.starts_with(p));
    let mut out = if is_reply { s } else { format!("Re: {s}") };
    if let Some(id) = c.ticket_id.as_deref().map(|i| clean(i, 100)).filter(|i| !i.is_empty()) {
        if !out.contains(&id) {
            out.push_str(&format!(" [{id}]"));
        }
    }
    out
}

/// A message id as the complaint gave it, without brackets, or none when it
/// could not be a message id (whitespace, brackets, control characters).
fn message_id(raw: &str) -> Option<String> {
    let id = raw.trim().trim_start_matches('<').trim_end_matches('>');
    let ok = !id.is_empty()
        && id.len() <= 250
        && id.contains('@')
        && id.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '\\'));
    ok.then(|| id.to_string())
}

/// The parent's `References` (each checked, duplicates dropped) followed by
/// its `Message-ID`, the most recent [`MAX_REFERENCES`] kept.
fn references(parent_refs: &[String], parent_id: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in parent_refs.iter().filter_map(|r| message_id(r)).chain(parent_id.map(str::to_string)) {
        out.retain(|o| *o != id);
        out.push(id);
    }
    let excess = out.len().saturating_sub(MAX_REFERENCES);
    out.drain(..excess);
    out
}

/// A stable id for this draft: FNV-1a over what makes it unique.
fn own_message_id(
    operator_email: &str,
    in_reply_to: Option<&str>,
    subject: &str,
    now: Timestamp,
    body: &str,
) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [in_reply_to.unwrap_or(""), subject, &now.as_second().to_string(), body] {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let domain = operator_email
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| d.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')) && d.contains('.'))
        .unwrap_or("exitdesk.invalid");
    format!("exitdesk.{}.{h:016x}@{domain}", now.as_second())
}

impl Draft {
    /// The reply as an RFC 5322 message (CRLF line ends, UTF-8 text/plain).
    pub fn to_message(&self) -> Result<Vec<u8>> {
        let mut b = MessageBuilder::new().from(Address::new_address(self.from.name.clone(), self.from.address.clone()));
        // Plain ASCII is folded at spaces; only other text is RFC 2047-encoded.
        b = if self.subject.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
            b.header("Subject", Raw::new(self.subject.clone()))
        } else {
            b.subject(self.subject.clone())
        };
        let mut b = b
            .message_id(self.message_id.clone())
            .date(self.date.as_second())
            .header("Auto-Submitted", Raw::new(self.auto_submitted.clone()))
            .text_body(self.body.clone());
        if let Some(to) = &self.to {
            b = b.to(Address::new_address(to.name.clone(), to.address.clone()));
        }
        if let Some(id) = &self.in_reply_to {
            b = b.in_reply_to(id.clone());
        }
        // A draft read back from storage is checked again.
        let refs = references(&self.references, self.in_reply_to.as_deref());
        if !refs.is_empty() {
            b = b.references(refs);
        }
        for a in &self.attachments {
            b = b.attachment(a.content_type.clone(), a.name.clone(), a.body.clone().into_bytes());
        }
        b.write_to_vec().map_err(|e| ComposeError::Message(e.to_string()))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn no_reply_addresses() {
        assert!(is_no_reply("noreply@blocklist.example", &[]));
        assert!(is_no_reply("Do-Not-Reply@x.example", &[]));
        assert!(!is_no_reply("abuse@x.example", &[]));
        assert!(is_no_reply("bot@reports.example", &["reports.example".into()]));
    }

    #[test]
    fn subjects_keep_the_ticket() {
        let mut c = Complaint { subject: Some("Abuse [AbuseID:1A2B:3C]".into()), ..Complaint::default() };
        c.ticket_id = Some("AbuseID:1A2B:3C".into());
        assert_eq!(subject(&c), "Re: Abuse [AbuseID:1A2B:3C]");
        c.subject = Some("RE: Abuse".into());
        assert_eq!(subject(&c), "RE: Abuse [AbuseID:1A2B:3C]");
        c.subject = Some("Abuse\r\nBcc: victim@example.org".into());
        assert_eq!(subject(&c), "Re: Abuse Bcc: victim@example.org [AbuseID:1A2B:3C]");
    }

    #[test]
    fn references_carry_the_thread() {
        let parent: Vec<String> = (0..30).map(|i| format!("<m{i}@a.example>")).collect();
        let r = references(&parent, Some("p@a.example"));
        assert_eq!(r.len(), MAX_REFERENCES);
        assert_eq!(r.last().map(String::as_str), Some("p@a.example"));
        assert_eq!(r.first().map(String::as_str), Some("m11@a.example"));
        let r = references(&["bad id".into(), "<p@a.example>".into()], Some("p@a.example"));
        assert_eq!(r, ["p@a.example"]);
    }

    #[test]
    fn recipients_are_plain_addr_specs() {
        assert_eq!(usable(" <abuse@hoster.example.com> ").as_deref(), Some("abuse@hoster.example.com"));
        assert_eq!(usable("sécurité@exemple.example").as_deref(), Some("sécurité@exemple.example"));
        // Found by the draft fuzz target (fuzz/regressions/draft/): these were
        // written into `To:` as they came.
        for bad in ["x[y]@reports.example.org", "a:b@reports.example.org", "undisclosed:a@x.example,b@y.example;"] {
            assert_eq!(usable(bad), None, "{bad}");
        }
        for bad in ["a..b@x.example", ".a@x.example", "a@x", "a b@x.example", "a\\b@x.example", "a@x\u{202f}y.example"]
        {
            assert_eq!(usable(bad), None, "{bad}");
        }
        // Longer than 254 bytes: refused whole, never cut.
        let long = format!("{}@reports.example.org", "a".repeat(240));
        assert_eq!(usable(&long), None);
        let fits = format!("{}@reports.example.org", "a".repeat(254 - 20));
        assert_eq!(usable(&fits).map(|a| a.len()), Some(254));
    }

    #[test]
    fn message_ids_are_checked() {
        assert_eq!(message_id("<a.b@c.example>").as_deref(), Some("a.b@c.example"));
        assert_eq!(message_id("a b@c"), None);
        assert_eq!(message_id("a@c>\r\nBcc: x"), None);
    }
}
