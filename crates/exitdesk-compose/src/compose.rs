//! Blocks → draft → RFC 5322 reply.
//!
//! A draft answers by the complaint's kind: traffic (the scenario blocks),
//! content or a service said to be hosted on the address (only tor runs
//! there), a law-enforcement request (no data about users exists);
//! reminders and messages that are no complaint get no letter.
//!
//! The blocks: the greeting and the specific answer (what the address is,
//! what was checked, the verdict at that time); the independent check (or
//! the verdict block that says the traffic cannot have been ours); the kind
//! or scenario blocks; the Tor intro at the requested level; offers;
//! signature; the blocking kit as an appendix, for a site owner only.
//! What the complaint asks for (a reply address, a deadline, a statement
//! link) becomes the recipient or an operator to-do.

use std::net::IpAddr;

use exitdesk_model::{AutoResponse, Channel, Classification, Complaint, Kind, Requests, Scenario, Verdict};
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
/// Longest subject kept from the complaint (mail-builder folds long ones);
/// a longer one is cut at a word, never marked with an ellipsis.
const MAX_SUBJECT: usize = 300;
/// Most message ids carried in `References`.
const MAX_REFERENCES: usize = 20;

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
    /// The addresses the operator's configuration (or the network data)
    /// names as ours: only these, or a verdict, let the draft say
    /// "our Tor exit".
    pub our_addresses: &'a [IpAddr],
    /// How the forwarding provider takes answers (from its `[[cases.providers]]` entry).
    pub channel: Option<Channel>,
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
    /// No reply may be drafted (an auto-reply that accuses nobody, a
    /// bounce, a reminder, a message that is no complaint); the reason.
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
    /// Things the operator must know or do before sending (no usable
    /// address, placeholders, unverified addresses, the complaint's
    /// requests, where to paste the text). Never part of the letter.
    pub warnings: Vec<String>,
    /// The link the complaint gives for the answer (a statement form, a
    /// portal), shown with the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_link: Option<String>,
    /// Files attached (the exits that could reach the complainant's service).
    pub attachments: Vec<Attachment>,
    /// The reply promises a follow-up (the offers block set `follow_up`):
    /// sending it plans one.
    #[serde(default)]
    pub follow_up: bool,
    /// The Tor intro it carries.
    #[serde(default)]
    pub intro: IntroLevel,
    /// The case it answers, when known (set by the app): written into the
    /// `X-Exitdesk` header, so that the reply, if it ever comes back, is
    /// filed with its case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<i64>,
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
        let kind = req.classification.kind;
        let why_kind =
            req.classification.kind_reason.as_deref().map(|r| format!(" ({})", clean(r, 120))).unwrap_or_default();
        let accuses = !c.reported_ips.is_empty() || !c.events.is_empty();
        match c.auto_response {
            Some(AutoResponse::Bounce) => {
                return Ok(Outcome::Refused(
                    "the message is a bounce (delivery status notification); it needs no reply".into(),
                ));
            }
            // A ticket system marks real complaints `auto-replied` too: only
            // an auto-reply that is no complaint, or accuses nobody, is refused.
            Some(AutoResponse::AutoReply) if kind == Kind::NotAComplaint || !accuses => {
                return Ok(Outcome::Refused(
                    "the message is an automatic reply (RFC 3834) with no complaint in it; exitdesk never answers one"
                        .into(),
                ));
            }
            _ => {}
        }
        if !req.force {
            match kind {
                Kind::Reminder => {
                    return Ok(Outcome::Refused(format!(
                        "the message is a reminder of an open ticket{why_kind}: no new letter; it belongs with the \
                         case it reminds of, whose reply is now urgent (--force drafts one anyway)"
                    )));
                }
                Kind::NotAComplaint => {
                    return Ok(Outcome::Refused(format!(
                        "the message is no complaint{why_kind}: filed without a letter (--force drafts one anyway)"
                    )));
                }
                _ => {}
            }
        }
        if let Some(why) = own_mail(c, req.operator) {
            return Ok(Outcome::Refused(why));
        }
        let mut warnings = Vec::new();
        let mut to = match recipient(c, req.reply, req.operator, &mut warnings) {
            Ok(to) => to,
            Err(why) => return Ok(Outcome::Refused(why)),
        };
        let asked = &c.requests;
        redirect(&mut to, asked, c, req, &mut warnings);
        let scenarios: Vec<(Scenario, Option<String>)> =
            req.classification.labels.iter().map(|l| (l.scenario, l.subkind.clone())).collect();
        let parts = Parts {
            complaint: c,
            scenarios: &scenarios,
            verdict: req.verdict,
            operator: req.operator,
            network: req.network,
            blocklist: req.blocklist,
            intro: req.intro.as_str(),
            follow_up_days: req.reply.follow_up_days,
            now: req.now,
            kind,
            configured: req.our_addresses,
            recipient_name: to.as_ref().and_then(|m| m.name.as_deref()),
            appendix: false,
            // Answers go through a link or a panel: a statement to paste.
            statement: matches!(req.channel, Some(Channel::Link | Channel::Panel))
                || (c.requests.link.is_some() && to.is_none()),
        };
        let mut ctx = ReplyContext::new(parts);
        ctx.appendix = self.wants_kit(req, &scenarios, &ctx);
        // The full intro helps a site owner on first contact; a CERT, a
        // provider or a forwarder knows what Tor is: two sentences suffice.
        // A claim about hosted content is answered by what runs on the
        // address (kind/hosted says what an exit does): how Tor hides its
        // users is beside the point there.
        let intro = if kind == Kind::Hosted {
            IntroLevel::None
        } else if req.intro == IntroLevel::Full && !ctx.advise {
            IntroLevel::Short
        } else {
            req.intro
        };
        ctx.intro = intro.as_str();
        // "Do not reply to this mail" with a link for statements: the answer
        // goes to the link (a warning says so), so a text is drafted.
        // A spam trap's capture nobody passed on: nobody wrote, so nobody
        // is thanked or asked to reply (the note says what it shows).
        let bare_trap = c.trap.is_some() && c.forwarder.is_none();
        // A notice whose every location reads as a test goes to a human
        // (a note), not into a letter.
        let only_tests =
            !c.reported_urls.is_empty() && c.reported_urls.iter().all(|u| crate::context::reads_as_test(u));
        if ((c.no_reply_needed && c.requests.link.is_none()) || bare_trap || only_tests) && !req.force {
            return Ok(Outcome::Note(layout(&self.render("note/no_reply", &ctx)?, WIDTH)));
        }
        let (body, follow_up) = self.body(req, intro, &scenarios, &ctx)?;
        if req.operator.is_placeholder() {
            warnings.insert(
                0,
                "the operator is not configured: the draft is signed with placeholder values; set [operator] in exitdesk.toml"
                    .into(),
            );
        }
        // A report sent to several networks, or placing its addresses in
        // several (or in one not ours): a human decides what is ours.
        if let Some(p) = c.network_problem(&req.operator.asns()) {
            warnings.push(p);
        }
        ownership_warnings(&ctx, !req.operator.asns().is_empty(), &mut warnings);
        let statement_link = request_warnings(asked, req.channel, &mut warnings);
        if kind == Kind::LawEnforcement {
            warnings.push(
                "a law-enforcement request: seek advice (a lawyer, your provider, the Tor Project's legal FAQ) before \
                 answering; the letter says only what data exists"
                    .into(),
            );
        }
        let subject = subject(c);
        let in_reply_to = c.message_id.as_deref().and_then(message_id);
        let references = references(&c.references, in_reply_to.as_deref());
        let message_id = own_message_id(req.operator, in_reply_to.as_deref(), &subject, req.now, &body);
        let from =
            Mailbox { name: Some(display_name(&req.operator.name)), address: req.operator.email.trim().to_string() };
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
            statement_link,
            follow_up,
            intro,
            case: None,
            attachments: req
                .blocklist
                // The kit's narrow list, or the one-line pointer's (offers).
                .filter(|_| ctx.appendix || (ctx.advise && kind == Kind::Traffic))
                .map(|b| Attachment {
                    name: clean(&b.file_name, 80),
                    content_type: "text/plain".to_string(),
                    body: b.body.clone(),
                })
                .into_iter()
                .collect(),
        })))
    }

    /// The blocking kit helps: the address is ours, the recipient runs the
    /// service (not a CERT or a provider), the kind is traffic, and a
    /// scenario wants it. Blocking Tor does not help against UDP (which
    /// cannot come through Tor), nor a person whose own account was misused.
    fn wants_kit(&self, req: &DraftRequest<'_>, scenarios: &[(Scenario, Option<String>)], ctx: &ReplyContext) -> bool {
        let block = req.verdict.and_then(verdict_block);
        let ours = !matches!(block, Some("not_exit" | "policy_rejects")) && ctx.ours != "special";
        // The kit is for a site owner who asks how to filter Tor; others get
        // one sentence with the list in the letter (offers).
        ours && ctx.advise
            && ctx.asks_blocking
            && req.classification.kind == Kind::Traffic
            && scenarios.iter().any(|(s, _)| {
                wants_blocking_kit(*s)
                    && !(ctx.udp && *s == Scenario::DosScraping)
                    && !(ctx.reporter_is_person && *s == Scenario::AccountCompromise)
            })
    }

    fn body(
        &self,
        req: &DraftRequest<'_>,
        intro: IntroLevel,
        scenarios: &[(Scenario, Option<String>)],
        ctx: &ReplyContext,
    ) -> Result<(String, bool)> {
        let mut blocks: Vec<String> = Vec::new();
        blocks.push(self.render("greeting", ctx)?);
        blocks.push(self.render("finding", ctx)?);
        let block = req.verdict.and_then(verdict_block);
        match block {
            Some("not_exit") => blocks.push(self.render("verdict/not_exit", ctx)?),
            Some("policy_rejects") => blocks.push(self.render("verdict/policy_rejects", ctx)?),
            _ => blocks.push(self.render("evidence", ctx)?),
        }
        // Every address private or reserved: none is ours, so nothing about
        // what our exit carried (scenario advice, the Tor intro) follows.
        let none_ours = ctx.ours == "special";
        match req.classification.kind {
            _ if none_ours => {}
            Kind::Hosted => blocks.push(self.render("kind/hosted", ctx)?),
            Kind::LawEnforcement => blocks.push(self.render("kind/law_enforcement", ctx)?),
            _ => {
                let mut seen = Vec::new();
                for (s, _) in scenarios {
                    if !seen.contains(s) {
                        seen.push(*s);
                        blocks.push(self.render(&format!("scenario/{}", s.as_str()), ctx)?);
                    }
                }
            }
        }
        match intro {
            _ if none_ours => {}
            IntroLevel::Full => blocks.push(self.render("intro/full", ctx)?),
            IntroLevel::Short => blocks.push(self.render("intro/short", ctx)?),
            IntroLevel::None => {}
        }
        let (offers, follow_up) = self.render_with_flag("offers", ctx, "follow_up")?;
        blocks.push(offers);
        blocks.push(self.render("signature", ctx)?);
        if ctx.appendix {
            blocks.push(format!("{APPENDIX}\n\n{}", self.render("blocking", ctx)?.trim()));
        }
        // Never the same block twice (two scenarios can render the same text).
        let mut text: Vec<String> = Vec::new();
        for b in blocks.into_iter().map(|b| b.trim().to_string()).filter(|b| !b.is_empty()) {
            if !text.contains(&b) {
                text.push(b);
            }
        }
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

/// The heading line of the appendix (the blocking kit) after the signature:
/// what follows it is reference material, not the letter.
pub const APPENDIX: &str = "Appendix: recognising Tor exit addresses";

/// The warnings that say what is not verified about the addresses.
fn ownership_warnings(ctx: &ReplyContext, by_asn: bool, warnings: &mut Vec<String>) {
    if !ctx.special.is_empty() {
        warnings.push(format!(
            "the complaint names {}: never one of our exits on the Internet; check the address the provider meant",
            crate::context::summary(&ctx.special)
        ));
    }
    if ctx.ours == "unverified" && !ctx.unlisted.is_empty() {
        warnings.push(format!(
            "not verified that {} is one of our exits (not in [tornet] our_addresses, and no network data for it); \
             the draft says so: check before sending",
            crate::context::summary(&ctx.unlisted)
        ));
    }
    if !ctx.disputed.is_empty() {
        let one = ctx.disputed.len() == 1;
        let (it, where_) = if one { ("it", "a network") } else { ("them", "networks") };
        warnings.push(format!(
            "[tornet] our_addresses lists {}, but the report places {it} in {}: the letter does not call {it} ours; \
             check the configuration, or verify with network data",
            crate::context::summary(&ctx.disputed),
            if by_asn {
                format!("{where_} not in [operator] networks")
            } else {
                "several networks, and which of them is ours cannot be told from the configuration (list your \
                 networks in [operator] networks)"
                    .to_string()
            }
        ));
    }
    if let Some(t) = &ctx.test_location {
        warnings.push(format!("the location reported ({t}) reads as a test: check with the sender before answering"));
    } else if ctx.subject.as_deref().is_some_and(crate::context::reads_as_test) {
        warnings.push("the subject reads as a test notice: check with the sender before answering".into());
    }
    // The headers show a mail server at work there: a Tor exit runs none.
    if !ctx.relays.is_empty() && ctx.ours != "special" {
        warnings.push(format!(
            "the headers show {} passing on mail it received from another address, as a mail server does; a Tor \
             exit runs none: check that the address is really ours before sending",
            crate::context::summary(&ctx.relays)
        ));
    }
}

/// The complaint's requests as operator to-dos; the statement link, if any.
fn request_warnings(asked: &Requests, channel: Option<Channel>, warnings: &mut Vec<String>) -> Option<String> {
    if let Some(d) = &asked.deadline {
        warnings.push(format!("the complaint asks for an answer {d}: check the case's deadline"));
    }
    if asked.confirmation {
        warnings.push(
            "the complaint asks for a confirmation (in writing, or that the matter is resolved): make sure the reply gives it"
                .into(),
        );
    }
    if asked.unblock {
        warnings.push(
            "the complaint mentions unblocking, delisting or reactivation: follow its procedure once the reply is sent"
                .into(),
        );
    }
    let link = asked.link.clone();
    match (channel, &link) {
        (Some(Channel::Link), Some(l)) => {
            warnings.push(format!("this provider takes statements through its link: paste the text at {l}"))
        }
        (Some(Channel::Link), None) => warnings.push(
            "this provider takes statements through a link in its notice, but none was found: find it in the notice and paste the text there"
                .into(),
        ),
        (Some(Channel::Panel), _) => warnings.push(
            "this provider reads statements only in its customer panel: paste the text into the ticket's statement field there; mail is not read"
                .into(),
        ),
        (_, Some(l)) => warnings.push(format!("the complaint gives a link for answers: {l}")),
        _ => {}
    }
    link
}

/// A reply address the complaint's text asks for becomes the recipient,
/// when it is a valid address, not ours and not a no-reply address. For a
/// forwarded complaint only an address in the forwarder's own domain is
/// taken (the enclosed complainant's instructions are theirs, not the
/// provider's); another is a to-do.
fn redirect(
    to: &mut Option<Mailbox>,
    asked: &Requests,
    c: &Complaint,
    req: &DraftRequest<'_>,
    warnings: &mut Vec<String>,
) {
    let Some(a) = asked.reply_to.as_deref() else { return };
    if valid_address(a).is_err() || req.operator.is_own(a) || is_no_reply(a, &req.reply.no_reply_addresses) {
        return;
    }
    if to.as_ref().is_some_and(|m| m.address.eq_ignore_ascii_case(a)) {
        return;
    }
    let domain = |x: &str| x.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
    let forwarder_domain = c.forwarder.as_ref().and_then(|f| f.address.as_deref()).and_then(domain);
    let take = match &forwarder_domain {
        Some(fd) => domain(a).is_some_and(|d| d == *fd || d.ends_with(&format!(".{fd}"))),
        None => true,
    };
    if take {
        warnings.push(format!(
            "the complaint asks for replies to {a}; the draft is addressed there{}",
            to.as_ref().map(|m| format!(" instead of {}", m.address)).unwrap_or_default()
        ));
        *to = Some(Mailbox { name: None, address: a.to_string() });
    } else {
        warnings.push(format!(
            "the complaint's text asks for replies to {a}; the draft goes to the forwarder: decide whether to copy {a}"
        ));
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

/// Longest mail address (RFC 5321 §4.5.3.1.3: a path of 256 octets,
/// brackets included).
const MAX_ADDRESS: usize = 254;

/// Checks a mail address (`local@domain`, plain ASCII, as RFC 5321 allows
/// it in a path): the reason it cannot be written into a header, if any.
/// Nothing is ever cut or repaired: an address is used whole or not at all.
pub fn valid_address(address: &str) -> std::result::Result<(), String> {
    if address.len() > MAX_ADDRESS {
        return Err(format!("the address is longer than {MAX_ADDRESS} characters"));
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("the address has no @".into());
    };
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(atom)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !local_ok || !valid_domain(domain) || !domain.contains('.') {
        return Err("it is not a valid mail address".into());
    }
    Ok(())
}

/// A host name: dot-separated labels of letters, digits and hyphens.
pub(crate) fn valid_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The recipient: the forwarder for forwarded complaints (the reporter when
/// the forwarder is ourselves: the operator forwarded the complaint to the
/// desk), the reporter for direct ones; `Reply-To` before `From`; never a
/// no-reply address, one of our own, or an address that is invalid or too
/// long (a warning says why). `Err` when the only addresses are our own:
/// there must be no draft at all.
fn recipient(
    c: &Complaint,
    reply: &ReplyConfig,
    operator: &OperatorConfig,
    warnings: &mut Vec<String>,
) -> std::result::Result<Option<Mailbox>, String> {
    // A trap's capture is the spam itself: its From and Reply-To are the
    // spammer's (or a masked trap address), never a reporter's.
    if let Some(trap) = c.trap.as_deref().filter(|_| c.forwarder.is_none()) {
        warnings.push(format!(
            "a {} spam-trap capture: its From and Reply-To are the spam's, not a reporter's; send the text to \
             whoever passed the capture on to you, or file it",
            clean(trap, 60)
        ));
        return Ok(None);
    }
    let (party, role) = match &c.forwarder {
        Some(f) if !f.address.as_deref().is_some_and(|a| operator.is_own(a)) => (f, "forwarder"),
        _ => (&c.complainant, "reporter"),
    };
    let (mut refused, mut own) = (Vec::new(), Vec::new());
    for (candidate, which) in [(&party.reply_to, "Reply-To"), (&party.address, "address")] {
        let Some(candidate) = candidate else { continue };
        let a = candidate.trim().trim_start_matches('<').trim_end_matches('>').trim();
        if let Err(why) = valid_address(a) {
            let why = if why.contains("longer") {
                format!("the {role}'s {which} is longer than {MAX_ADDRESS} characters; not used")
            } else {
                format!("the {role}'s {which} is not a valid mail address; not used")
            };
            warnings.push(why);
            continue;
        }
        if operator.is_own(a) {
            own.push(a.to_string());
            continue;
        }
        if is_no_reply(a, &reply.no_reply_addresses) {
            refused.push(a.to_string());
            continue;
        }
        if !own.is_empty() {
            warnings.push(format!(
                "the {role}'s Reply-To is our own address ({}); the reply goes to their address instead",
                own.join(", ")
            ));
        }
        return Ok(Some(Mailbox {
            name: party
                .name
                .as_deref()
                .and_then(crate::names::decode_words)
                .map(|n| display_name(&n))
                // A "name" that is an address ("ops@example.org <ops@example.org>")
                // names no one: the address alone is the recipient.
                .filter(|n| {
                    let bare = n.trim_matches(['"', '\'', '<', '>', ' ']);
                    let an_address = bare.contains('@') && !bare.contains(char::is_whitespace);
                    !n.is_empty() && !an_address
                }),
            address: a.to_string(),
        }));
    }
    if !own.is_empty() && refused.is_empty() {
        return Err(format!(
            "the {role}'s only reply address is our own ({}); exitdesk never drafts a reply to itself",
            own.join(", ")
        ));
    }
    warnings.push(if refused.is_empty() {
        format!("no usable reply address: the {role} gave none; add a To: address before sending")
    } else {
        format!(
            "no usable reply address: {} is a no-reply address; answer through the {role}'s web form or find a contact address",
            refused.join(", ")
        )
    });
    Ok(None)
}

/// A display name for a header: one bounded, printable line, with no
/// `=?` (mail-builder quotes or RFC 2047-encodes the rest, but writes an
/// atom such as `=?utf-8?q?x?=` as is, which readers would decode into
/// another name).
fn display_name(name: &str) -> String {
    clean(name, 100).replace("=?", "= ?")
}

/// The name of the header every reply carries: `X-Exitdesk: reply; case=N`.
pub const OWN_HEADER: &str = "X-Exitdesk";

/// Why a message is exitdesk's own mail coming back, if it is: it carries
/// our [`OWN_HEADER`], its `Message-ID` is one exitdesk makes for the
/// operator's domain, or it is a direct message from one of our own
/// addresses. Such mail is filed, never answered (a reply would go to
/// ourselves, and could loop).
///
/// A complainant's answer to our reply is not our mail: it names our
/// `Message-ID` in `In-Reply-To` and `References`, as any conversation
/// does, and is read like any complaint. Only the message's own headers
/// count, never the text it quotes. A message forwarded by the operator
/// (From ours, an enclosed reporter) is the reporter's complaint.
pub fn own_mail(c: &Complaint, operator: &OperatorConfig) -> Option<String> {
    if c.exitdesk_header.is_some() {
        return Some(format!(
            "the message carries exitdesk's own {OWN_HEADER} header: it is our own reply coming back"
        ));
    }
    if c.message_id.as_deref().is_some_and(|id| is_own_message_id(id, operator)) {
        return Some("the message's Message-ID is one exitdesk made: it is our own reply coming back".into());
    }
    let from = c.complainant.address.as_deref().filter(|_| c.forwarder.is_none());
    if from.is_some_and(|a| operator.is_own(a)) {
        return Some("the message comes from our own address; exitdesk never drafts a reply to itself".into());
    }
    None
}

/// The case named by an [`OWN_HEADER`] value (`reply; case=12`).
pub fn own_header_case(value: &str) -> Option<i64> {
    value.split(';').find_map(|p| p.trim().strip_prefix("case=")?.trim().parse().ok()).filter(|n| *n > 0)
}

/// True for a `Message-ID` of exitdesk's form (`exitdesk.…@domain`) in the
/// operator's domain (or one of their own domains).
pub fn is_own_message_id(id: &str, operator: &OperatorConfig) -> bool {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let Some((local, domain)) = id.rsplit_once('@') else { return false };
    let domain = domain.to_ascii_lowercase();
    local.starts_with("exitdesk.")
        && (operator.domain().is_some_and(|d| d.eq_ignore_ascii_case(&domain))
            || operator.is_own(&format!("x@{domain}"))
            || (operator.domain().is_none() && domain == FALLBACK_DOMAIN))
}

/// The `Message-ID` domain when the operator's address has none usable.
const FALLBACK_DOMAIN: &str = "exitdesk.invalid";

/// `Re: <subject>`, keeping the ticket id (added when the subject lacks it).
fn subject(c: &Complaint) -> String {
    // Whole (never cut with an ellipsis: mail-builder folds long lines),
    // without the tags a spam filter put on the complaint.
    let mut s = c.subject.as_deref().map(|s| strip_spam_tags(&whole_words(&clean(s, MAX_SUBJECT)))).unwrap_or_default();
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

/// A line `clean` cut (it ends with an ellipsis) loses the ellipsis and the
/// cut word.
fn whole_words(s: &str) -> String {
    match s.strip_suffix('…') {
        Some(cut) => cut.rsplit_once(' ').map_or(cut, |(keep, _)| keep).trim_end().to_string(),
        None => s.to_string(),
    }
}

/// A subject without spam-filter tags: `[SPAM]`, `[SUSPECTED SPAM]`,
/// `{Spam?}`, `*****SPAM*****`, `***POSSIBLE SPAM***` and the like (a
/// bracketed or starred run whose words are only "spam" and a qualifier).
fn strip_spam_tags(s: &str) -> String {
    const QUALIFIERS: &[&str] = &["spam", "suspected", "possible", "probable", "likely", "potential", "bulk", "?"];
    let is_tag = |inner: &str| {
        let words: Vec<String> = inner
            .split(|c: char| c.is_whitespace() || c == ':')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        words.iter().any(|w| w.trim_end_matches('?') == "spam")
            && words.iter().all(|w| QUALIFIERS.contains(&w.as_str()) || QUALIFIERS.contains(&w.trim_end_matches('?')))
    };
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['[', '{', '(', '*']) {
        let open = rest[i..].chars().next().unwrap_or('*');
        let (inner, end) = if open == '*' {
            let stars = rest[i..].len() - rest[i..].trim_start_matches('*').len();
            let body = &rest[i + stars..];
            match body.find('*') {
                Some(j) if stars >= 2 => {
                    let after = &body[j..];
                    let close = after.len() - after.trim_start_matches('*').len();
                    (&body[..j], i + stars + j + close)
                }
                _ => ("", i + stars),
            }
        } else {
            let close = match open {
                '[' => ']',
                '{' => '}',
                _ => ')',
            };
            match rest[i + 1..].find(close) {
                Some(j) => (&rest[i + 1..i + 1 + j], i + 1 + j + 1),
                None => ("", i + 1),
            }
        };
        if !inner.is_empty() && is_tag(inner) {
            out.push_str(&rest[..i]);
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
    operator: &OperatorConfig,
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
    let domain = operator.domain().unwrap_or(FALLBACK_DOMAIN);
    format!("exitdesk.{}.{h:016x}@{domain}", now.as_second())
}

impl Draft {
    /// The reply as an RFC 5322 message (CRLF line ends, UTF-8 text/plain).
    /// Fails when an address is not a valid mail address: it is never
    /// written cut or raw.
    pub fn to_message(&self) -> Result<Vec<u8>> {
        let bad = |who: &str, why: String| ComposeError::Message(format!("the {who} address cannot be used: {why}"));
        valid_address(&self.from.address).map_err(|why| bad("From", why))?;
        if let Some(to) = &self.to {
            valid_address(&to.address).map_err(|why| bad("To", why))?;
        }
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
            .header(
                OWN_HEADER,
                Raw::new(match self.case {
                    Some(case) => format!("reply; case={case}"),
                    None => "reply".to_string(),
                }),
            )
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
    fn subjects_lose_spam_tags() {
        let c = |s: &str| Complaint { subject: Some(s.into()), ..Complaint::default() };
        assert_eq!(subject(&c("[SUSPECTED SPAM] Notice (REF: 12)")), "Re: Notice (REF: 12)");
        assert_eq!(subject(&c("[Report id:1]*****SPAM***** Budget")), "Re: [Report id:1] Budget");
        assert_eq!(subject(&c("{Spam?} Hello [SPAM]")), "Re: Hello");
        assert_eq!(subject(&c("Spam report [case 7] *important*")), "Re: Spam report [case 7] *important*");
        assert_eq!(subject(&c("a * b [unclosed")), "Re: a * b [unclosed");
        let long = "word ".repeat(100);
        let s = subject(&c(&long));
        assert!(!s.contains('…') && s.ends_with("word") && s.len() < 320, "{s}");
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
    fn message_ids_are_checked() {
        assert_eq!(message_id("<a.b@c.example>").as_deref(), Some("a.b@c.example"));
        assert_eq!(message_id("a b@c"), None);
        assert_eq!(message_id("a@c>\r\nBcc: x"), None);
    }
}
