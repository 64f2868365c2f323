//! The MIME walk: raw bytes to a [`Doc`] of decoded text parts.
//!
//! mail-parser does the MIME work (structure, transfer encodings, charsets,
//! RFC 2047 words); this module decides what is text: it prefers `text/plain`
//! in `multipart/alternative`, turns HTML-only bodies into text, decodes text
//! attachments (CSV with BOM, JSON, XML, YAML, logs, `.gz` with a size cap),
//! descends into nested `message/rfc822`, and records damage as problems.
//! mail-parser's types never leave this module.

use std::borrow::Cow;
use std::io::Read;

use jiff::Timestamp;
use mail_parser::{Address, HeaderName, MessageParser, MimeHeaders, PartType};

use crate::html;

/// Largest text kept from one decompressed attachment.
const GZIP_LIMIT: usize = 8 * 1024 * 1024;
/// Deepest MIME nesting walked; deeper parts are skipped with a problem.
const MAX_DEPTH: usize = 64;
/// Most parts read from one message.
const MAX_PARTS: usize = 2_000;
/// Most decoded text kept from one message, over all its parts. Real
/// complaints hold kilobytes (the largest in the corpus, 105 KB); this bounds
/// the time and memory a hostile message can take.
const MAX_TEXT: usize = 16 * 1024 * 1024;

/// A name and address from a header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Addr {
    pub(crate) name: Option<String>,
    pub(crate) address: Option<String>,
}

/// What role a text part plays in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// The readable body (or one of its inline parts).
    Body,
    /// A file attached to the message.
    Attachment,
    /// The machine-readable `message/feedback-report` block of an ARF report.
    FeedbackReport,
    /// Headers of an enclosed message (`text/rfc822-headers`, or the header
    /// block of a `message/rfc822` part).
    Headers,
}

/// One decoded text part.
#[derive(Debug, Clone)]
pub(crate) struct TextPart {
    pub(crate) kind: PartKind,
    pub(crate) filename: Option<String>,
    pub(crate) mime: String,
    /// How many `message/rfc822` envelopes enclose this part (0 = the complaint itself).
    pub(crate) nested: u8,
    pub(crate) text: String,
}

/// Most header lines (fields and continuations, over every header block)
/// handed to mail-parser, which keeps about 100 bytes for each field before
/// any bound of the walk applies. Real mail has a few hundred at most.
const MAX_HEADER_LINES: usize = 256 * 1024;
/// Most header blocks (the message, its MIME parts, enclosed messages) handed
/// to mail-parser, which keeps a few hundred bytes for each part.
const MAX_BLOCKS: usize = 16 * 1024;

/// Most `References:` ids kept from a message.
const MAX_REFERENCES: usize = 50;

/// The decoded message: the top-level headers exitdesk uses and the text parts.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub(crate) subject: Option<String>,
    pub(crate) from: Option<Addr>,
    pub(crate) reply_to: Option<Addr>,
    pub(crate) original_from: Option<Addr>,
    /// The `X-Exitdesk` header exitdesk writes into its replies, one line, bounded.
    pub(crate) exitdesk_header: Option<String>,
    pub(crate) message_id: Option<String>,
    /// The `References:` ids, oldest first (at most [`MAX_REFERENCES`]).
    pub(crate) references: Vec<String>,
    pub(crate) date: Option<Timestamp>,
    pub(crate) auto_submitted: Option<String>,
    pub(crate) x_arf: bool,
    pub(crate) feedback_report: bool,
    /// `multipart/report; report-type=delivery-status` (a bounce).
    pub(crate) delivery_status: bool,
    /// `X-Autoreply`, `X-Autorespond` or `Precedence: auto_reply` headers.
    pub(crate) autoreply_header: bool,
    pub(crate) parts: Vec<TextPart>,
    pub(crate) problems: Vec<String>,
    /// The message's own archives and spreadsheets (ZIP, XLSX, ...), which
    /// are not opened: `name (kind)`, at most five.
    pub(crate) unread_attachments: Vec<String>,
    /// A spam trap's capture, by the trap's own headers (`trap.rs`).
    pub(crate) trap: Option<crate::trap::Capture>,
    /// The addresses of the message's own `To:` and `Cc:` (at most
    /// [`MAX_RECIPIENTS`]), as written.
    pub(crate) recipients: Vec<String>,
}

/// Most `To:`/`Cc:` addresses kept.
const MAX_RECIPIENTS: usize = 200;

/// The message parser: the structured headers mail-parser reads by default
/// (what its empty configuration parses), except `Received:`, which is only
/// skipped: exitdesk reads the hops from the raw lines (`first_received_ip`),
/// and the structured parse of every hop was about 1 % of an ingest.
fn parser() -> &'static MessageParser {
    static PARSER: std::sync::OnceLock<MessageParser> = std::sync::OnceLock::new();
    PARSER.get_or_init(|| {
        use HeaderName::*;
        let mut p = MessageParser::new();
        for h in [Subject, Comments, ContentDescription, ContentLocation, ContentTransferEncoding] {
            p = p.header_text(h);
        }
        for h in [
            From,
            To,
            Cc,
            Bcc,
            ReplyTo,
            Sender,
            ResentTo,
            ResentFrom,
            ResentBcc,
            ResentCc,
            ResentSender,
            ListArchive,
            ListHelp,
            ListId,
            ListOwner,
            ListPost,
            ListSubscribe,
            ListUnsubscribe,
        ] {
            p = p.header_address(h);
        }
        for h in [Date, ResentDate] {
            p = p.header_date(h);
        }
        for h in [MessageId, References, InReplyTo, ReturnPath, ContentId, ResentMessageId] {
            p = p.header_id(h);
        }
        for h in [Keywords, ContentLanguage] {
            p = p.header_comma_separated(h);
        }
        for h in [ContentType, ContentDisposition] {
            p = p.header_content_type(h);
        }
        p.header_raw(MimeVersion).ignore_header(Received)
    })
}

impl Doc {
    /// Parses raw message bytes. Never fails: damage becomes problems.
    pub(crate) fn parse(raw: &[u8]) -> Doc {
        let mut doc = Doc::default();
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            doc.problems.push("the message is empty".into());
            return doc;
        }
        // mail-parser holds every header field and part in memory: past the
        // bounds, only the message up to that point is parsed.
        let cut = structure_cut(raw);
        let raw = match &cut {
            Some((at, _)) => &raw[..*at],
            None => raw,
        };
        doc.problems.extend(cut.map(|(_, problem)| problem));
        let Some(msg) = parser().parse(raw) else {
            doc.problems.push("no mail headers could be read; the message was read as plain text".into());
            let mut walker = Walker::new(&mut doc);
            walker.push(PartKind::Body, None, "text/plain".into(), 0, String::from_utf8_lossy(raw), 0);
            let skipped = walker.skipped();
            doc.problems.extend(skipped);
            return doc;
        };
        doc.subject = msg.subject().map(clean_header);
        doc.from = msg.from().and_then(|a| addr(a, msg.header_raw("From")));
        doc.reply_to = msg.reply_to().and_then(|a| addr(a, msg.header_raw("Reply-To")));
        doc.recipients = [msg.to(), msg.cc()]
            .into_iter()
            .flatten()
            .flat_map(|a| a.iter())
            .filter_map(|a| a.address())
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .take(MAX_RECIPIENTS)
            .collect();
        doc.original_from =
            msg.header_raw("X-Original-From").map(|raw| parse_addr_text(raw.trim())).filter(|a| a.address.is_some());
        doc.exitdesk_header =
            msg.header_raw("X-Exitdesk").map(|v| clean_header(v).chars().take(200).collect::<String>());
        doc.message_id = msg.message_id().map(str::to_string);
        // Threading only: the most recent ids, bounded.
        let refs = msg.references().as_text_list().unwrap_or_default();
        doc.references = refs[refs.len().saturating_sub(MAX_REFERENCES)..].iter().map(|r| r.to_string()).collect();
        doc.date = msg.date().and_then(|d| {
            let dt = jiff::civil::DateTime::new(
                i16::try_from(d.year).ok()?,
                i8::try_from(d.month).ok()?,
                i8::try_from(d.day).ok()?,
                i8::try_from(d.hour).ok()?,
                i8::try_from(d.minute).ok()?,
                i8::try_from(d.second).ok()?,
                0,
            )
            .ok()?;
            let secs =
                (i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60) * if d.tz_before_gmt { -1 } else { 1 };
            jiff::tz::Offset::from_seconds(secs).ok()?.to_timestamp(dt).ok()
        });
        doc.auto_submitted = msg.header_raw("Auto-Submitted").map(|s| s.trim().to_ascii_lowercase());
        let received = msg.headers_raw().filter(|(k, _)| k.eq_ignore_ascii_case("received")).map(|(_, v)| v);
        doc.trap = crate::trap::read(|name| msg.header_raw(name), received);
        doc.x_arf = msg.header_raw("X-ARF").or_else(|| msg.header_raw("X-XARF")).is_some();
        let root = msg.root_part();
        doc.feedback_report = root.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
                && ct.attribute("report-type").is_some_and(|r| r.eq_ignore_ascii_case("feedback-report"))
        });
        doc.delivery_status = root.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
                && ct.attribute("report-type").is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
        });
        doc.autoreply_header = msg.header_raw("X-Autoreply").is_some()
            || msg.header_raw("X-Autorespond").is_some()
            || msg.header_raw("Precedence").is_some_and(|p| p.trim().eq_ignore_ascii_case("auto_reply"));
        let header_bytes = root.offset_body as usize;
        if header_bytes > 256 * 1024 {
            doc.problems.push(format!(
                "the header section is unusually large ({:.1} MiB); it was read, but the message may be crafted",
                header_bytes as f64 / (1024.0 * 1024.0)
            ));
        }
        let mut walker = Walker::new(&mut doc);
        walker.message(&msg, 0, 0);
        let skipped = walker.skipped();
        doc.problems.extend(skipped);
        if doc.parts.is_empty() {
            doc.problems.push("the message has no readable text part".into());
        }
        doc
    }
}

struct Walker<'d> {
    doc: &'d mut Doc,
    parts_seen: usize,
    /// Parts past [`MAX_PARTS`] that were not read.
    parts_skipped: usize,
    /// Parts deeper than [`MAX_DEPTH`] that were not read.
    deep_skipped: usize,
    text_bytes: usize,
    /// The part cut at [`MAX_TEXT`]: its name, the bytes kept and the bytes dropped.
    text_cut: Option<(String, usize, usize)>,
    /// Text parts after the cut, and their bytes, that were not read.
    text_skipped: (usize, usize),
}

impl<'d> Walker<'d> {
    fn new(doc: &'d mut Doc) -> Walker<'d> {
        Walker {
            doc,
            parts_seen: 0,
            parts_skipped: 0,
            deep_skipped: 0,
            text_bytes: 0,
            text_cut: None,
            text_skipped: (0, 0),
        }
    }

    fn message(&mut self, msg: &mail_parser::Message<'_>, nested: u8, depth: usize) {
        self.part(msg, 0, nested, depth);
    }

    fn part(&mut self, msg: &mail_parser::Message<'_>, id: u32, nested: u8, depth: usize) {
        if depth > MAX_DEPTH {
            self.deep_skipped += count_parts(msg, id);
            return;
        }
        if self.parts_seen >= MAX_PARTS {
            self.parts_skipped += count_parts(msg, id);
            return;
        }
        self.parts_seen += 1;
        let Some(part) = msg.part(id) else { return };
        if part.is_encoding_problem {
            // Headers that end the message without a body are no damaged part.
            let bodiless = id == 0 && nested == 0 && part.offset_end <= part.offset_body;
            let problem = if bodiless {
                "the message has headers but no body".to_string()
            } else {
                format!("MIME part {} is damaged (bad encoding or boundary); read as far as possible", id + 1)
            };
            self.doc.problems.push(problem);
        }
        let mime = part
            .content_type()
            .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase())
            .unwrap_or_else(|| "text/plain".into());
        let filename = part.attachment_name().map(str::to_string);
        let is_attachment = filename.is_some() || part.content_disposition().is_some_and(|d| d.is_attachment());
        match &part.body {
            PartType::Multipart(children) => {
                if mime == "multipart/alternative" {
                    if let Some(best) = pick_alternative(msg, children) {
                        self.part(msg, best, nested, depth + 1);
                    }
                } else {
                    for child in children {
                        self.part(msg, *child, nested, depth + 1);
                    }
                }
            }
            PartType::Text(text) => {
                let kind = if mime == "message/feedback-report" {
                    PartKind::FeedbackReport
                } else if mime == "text/rfc822-headers" {
                    PartKind::Headers
                } else if is_attachment {
                    PartKind::Attachment
                } else {
                    PartKind::Body
                };
                self.push(kind, filename, mime, nested, fix_mojibake(text), 0);
            }
            PartType::Html(text) => {
                let kind = if is_attachment { PartKind::Attachment } else { PartKind::Body };
                self.push(kind, filename, mime, nested, html::to_text(&fix_mojibake(text)).into(), 0);
            }
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
                self.binary(bytes, filename, mime, nested, depth);
            }
            PartType::Message(inner) => {
                self.push(PartKind::Headers, filename, "message/rfc822".into(), nested + 1, header_text(inner), 0);
                self.message(inner, nested.saturating_add(1), depth + 1);
            }
        }
    }

    fn binary(&mut self, bytes: &[u8], filename: Option<String>, mime: String, nested: u8, depth: usize) {
        let name = filename.clone().unwrap_or_default().to_ascii_lowercase();
        if is_zip(&name, &mime, bytes) {
            self.zip(bytes, filename, nested, depth);
            return;
        }
        let gz = name.ends_with(".gz") || mime.contains("gzip") || bytes.starts_with(&[0x1f, 0x8b]);
        let data: Cow<'_, [u8]> = if gz {
            // Decompressed text counts against the message's whole text budget.
            let room = MAX_TEXT.saturating_sub(self.text_bytes).min(GZIP_LIMIT);
            let (data, problem) = gunzip(bytes, room);
            if let Some(problem) = problem {
                let problem = if room < GZIP_LIMIT && problem.contains("limit") {
                    format!("{problem}, as the message's {} of text were reached", size(MAX_TEXT))
                } else {
                    problem
                };
                self.doc.problems.push(format!("attachment {}: {problem}", display_name(&filename)));
            }
            if data.is_empty() {
                return;
            }
            Cow::Owned(data)
        } else {
            Cow::Borrowed(bytes)
        };
        let textual_name = [".txt", ".csv", ".log", ".json", ".xml", ".yaml", ".yml", ".eml", ".asc", ".tsv"]
            .iter()
            .any(|e| name.trim_end_matches(".gz").ends_with(e));
        let textual_mime = mime.starts_with("text/")
            || ["json", "xml", "csv", "yaml", "x-arf", "octet-stream", "rfc822", "feedback-report", "delivery-status"]
                .iter()
                .any(|k| mime.contains(k));
        if !(textual_name || textual_mime || gz) || !looks_textual(&data) {
            if nested == 0 && self.doc.unread_attachments.len() < 5 {
                if let Some(kind) = unread_kind(&name, &mime) {
                    self.doc.unread_attachments.push(format!("{} ({kind})", display_name(&filename)));
                }
            }
            return;
        }
        let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&data);
        if name.trim_end_matches(".gz").ends_with(".eml") || mime == "message/rfc822" {
            // An attached message: walked like a nested message/rfc822 part,
            // under the same depth, part and size limits.
            if let Some(inner) = parser().parse(data) {
                let headers = header_text(&inner);
                self.push(PartKind::Headers, filename, "message/rfc822".into(), nested.saturating_add(1), headers, 0);
                self.message(&inner, nested.saturating_add(1), depth + 1);
            }
            return;
        }
        // Not UTF-8: read as Latin-1, only as far as the text budget reaches.
        let (text, unread) = match std::str::from_utf8(data) {
            Ok(s) => (Cow::Borrowed(s), 0),
            Err(_) => {
                let read = data.len().min(MAX_TEXT - self.text_bytes);
                (data[..read].iter().map(|b| char::from(*b)).collect(), data.len() - read)
            }
        };
        // mail-parser hands some `message/feedback-report` parts over as binary.
        let kind = if mime == "message/feedback-report" { PartKind::FeedbackReport } else { PartKind::Attachment };
        self.push(kind, filename, mime, nested, text, unread);
    }

    /// The text files of a ZIP attachment, each read as an attachment of
    /// its own (`report.zip/events.csv`) under the same limits.
    fn zip(&mut self, bytes: &[u8], filename: Option<String>, nested: u8, depth: usize) {
        let room = MAX_TEXT.saturating_sub(self.text_bytes).min(GZIP_LIMIT);
        let (members, problems) = crate::zip::text_members(bytes, room);
        if members.is_empty() && nested == 0 && self.doc.unread_attachments.len() < 5 {
            // Nothing read: the archive is named among the unread ones (its
            // name may still say it holds report data: `x.csv.zip`).
            let why = problems.first().map_or("no text files".to_string(), |p| p.clone());
            self.doc.unread_attachments.push(format!("{} (ZIP archive: {why})", display_name(&filename)));
            return;
        }
        for p in problems {
            self.doc.problems.push(format!("attachment {}: {p}", display_name(&filename)));
        }
        let archive = filename.as_deref().unwrap_or("archive.zip");
        for (member, data) in members {
            // No archive inside an archive.
            if data.starts_with(b"PK\x03\x04") {
                continue;
            }
            let name = format!("{archive}/{member}");
            self.binary(&data, Some(name), "application/octet-stream".into(), nested, depth + 1);
        }
    }

    /// Keeps a decoded text part, or as much of it as the text budget
    /// ([`MAX_TEXT`]) still holds (only that much is copied); what does not
    /// fit, and the `unread` bytes of the part that were not even decoded, is
    /// counted for [`Walker::skipped`].
    fn push(
        &mut self,
        kind: PartKind,
        filename: Option<String>,
        mime: String,
        nested: u8,
        text: Cow<'_, str>,
        unread: usize,
    ) {
        let room = MAX_TEXT - self.text_bytes;
        if room == 0 {
            self.text_skipped.0 += 1;
            self.text_skipped.1 += text.len() + unread;
            return;
        }
        let kept = crate::bounds::floor_char(&text, room);
        if kept < text.len() || unread > 0 {
            let label = match &filename {
                Some(_) => format!("attachment {}", display_name(&filename)),
                None => format!("text part {}", self.doc.parts.len() + 1),
            };
            self.text_cut = Some((label, kept, text.len() - kept + unread));
            // A part cut inside a character leaves no room for more.
            self.text_bytes = MAX_TEXT;
        } else {
            self.text_bytes += kept;
        }
        let mut text = match text {
            Cow::Borrowed(s) => s[..kept].to_string(),
            Cow::Owned(mut s) => {
                s.truncate(kept);
                s
            }
        };
        if text.starts_with('\u{feff}') {
            let bom = text.len() - text.trim_start_matches('\u{feff}').len();
            text.drain(..bom);
        }
        self.doc.parts.push(TextPart { kind, filename, mime, nested, text });
    }

    /// What the bounds of the walk left unread, as problems.
    fn skipped(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some((label, kept, dropped)) = &self.text_cut {
            problems.push(format!(
                "the text of {label} was cut at the limit of {} of text per message: its first {} were read, the {} after them were not",
                size(MAX_TEXT),
                size(*kept),
                size(*dropped)
            ));
        }
        let (parts, bytes) = self.text_skipped;
        if parts > 0 {
            problems.push(format!(
                "{parts} more text part(s) ({}) after the limit of {} of text per message were not read",
                size(bytes),
                size(MAX_TEXT)
            ));
        }
        if self.parts_skipped > 0 {
            problems.push(format!(
                "the message has more than {MAX_PARTS} MIME parts: the first {MAX_PARTS} were read, the other {} were not",
                self.parts_skipped
            ));
        }
        if self.deep_skipped > 0 {
            problems.push(format!(
                "{} MIME part(s) nested deeper than {MAX_DEPTH} levels were not read",
                self.deep_skipped
            ));
        }
        problems
    }
}

/// Where to cut a message whose header lines or header blocks exceed
/// [`MAX_HEADER_LINES`] or [`MAX_BLOCKS`], and the problem saying so.
///
/// A light scan of the MIME structure: a header block starts the message,
/// follows a boundary line (`--` and a boundary declared before), or follows
/// the header block of a `message/*` part; it ends at a blank line.
fn structure_cut(raw: &[u8]) -> Option<(usize, String)> {
    let mut boundaries: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    let (mut header_lines, mut blocks) = (0usize, 1usize);
    let (mut in_headers, mut message_next) = (true, false);
    let mut at = 0;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        let start = at;
        at += line.len();
        let text = line.trim_ascii_end();
        if in_headers {
            if text.is_empty() {
                in_headers = message_next;
                blocks += usize::from(in_headers);
                message_next = false;
            } else {
                header_lines += 1;
                if header_lines > MAX_HEADER_LINES {
                    return Some((start, unread_after("header lines", MAX_HEADER_LINES, start, raw.len())));
                }
                let lower = text.to_ascii_lowercase();
                message_next |= lower.starts_with(b"content-type:") && find(&lower, b"message/").is_some();
                let param = find(&lower, b"boundary")
                    .and_then(|b| text[b + 8..].trim_ascii_start().strip_prefix(b"=").map(<[u8]>::trim_ascii_start));
                if let Some(value) = param {
                    let value = match value.strip_prefix(b"\"") {
                        Some(v) => &v[..v.iter().position(|c| *c == b'"').unwrap_or(v.len())],
                        None => &value[..value.iter().position(|c| *c == b';' || *c == b' ').unwrap_or(value.len())],
                    };
                    boundaries.insert(value);
                }
            }
        } else if let Some(rest) = text.strip_prefix(b"--") {
            let rest = rest.strip_suffix(b"--").unwrap_or(rest);
            if boundaries.contains(rest) {
                in_headers = true;
                blocks += 1;
                if blocks > MAX_BLOCKS {
                    return Some((start, unread_after("MIME parts", MAX_BLOCKS, start, raw.len())));
                }
            }
        }
    }
    None
}

fn unread_after(what: &str, bound: usize, at: usize, len: usize) -> String {
    format!(
        "the message has more than {bound} {what}: it was read up to byte {at}, the {} after it were not read",
        size(len - at)
    )
}

/// The first position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The header block of a message (`message/rfc822` part or attached `.eml`).
/// mail-parser's offsets of a nested message point into the outer message's
/// bytes, so the block starts at the part's own header offset, not at 0.
fn header_text<'m>(msg: &'m mail_parser::Message<'_>) -> Cow<'m, str> {
    let root = msg.root_part();
    let (start, end) = (root.offset_header as usize, root.offset_body as usize);
    String::from_utf8_lossy(msg.raw_message.get(start..end).unwrap_or_default())
}

/// How many parts the subtree at `id` holds (itself included), counting the
/// parts of enclosed messages too.
fn count_parts(msg: &mail_parser::Message<'_>, id: u32) -> usize {
    match msg.part(id).map(|p| &p.body) {
        Some(PartType::Multipart(children)) => 1 + children.iter().map(|c| count_parts(msg, *c)).sum::<usize>(),
        Some(PartType::Message(inner)) => 1 + count_parts(inner, 0),
        Some(_) => 1,
        None => 0,
    }
}

/// A byte count for people: `37 bytes`, `12.5 KiB`, `2.1 MiB`.
pub(crate) fn size(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes == 1 {
        "1 byte".into()
    } else if bytes < 1024 {
        format!("{bytes} bytes")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}

fn display_name(f: &Option<String>) -> String {
    f.as_deref().map_or_else(|| "(unnamed)".into(), |n| format!("{n:?}"))
}

/// Prefers a non-empty `text/plain` alternative, then HTML, then anything.
///
/// A plain part that is only a stub beside a rich HTML part loses to it:
/// mailing lists (Google Groups, Mailman) turn an HTML-only report into an
/// alternative whose plain part holds nothing but the list's footer, and some
/// senders put "view this mail in HTML" there.
fn pick_alternative(msg: &mail_parser::Message<'_>, children: &[u32]) -> Option<u32> {
    /// Below this many characters a plain part may be a stub.
    const STUB: usize = 600;
    let kind = |id: &u32| msg.part(*id).map(|p| &p.body);
    let plain = children.iter().find(|id| matches!(kind(id), Some(PartType::Text(t)) if !t.trim().is_empty()));
    let html = children.iter().find(|id| matches!(kind(id), Some(PartType::Html(_))));
    if let (Some(Some(PartType::Text(t))), Some(Some(PartType::Html(h)))) = (plain.map(kind), html.map(kind)) {
        let short = t.trim().chars().count();
        if short < STUB && h.len() > 4 * short && html::to_text(h).trim().chars().count() > 4 * short {
            return html.copied();
        }
    }
    plain
        .or(html)
        .or_else(|| children.iter().find(|id| matches!(kind(id), Some(PartType::Multipart(_)))))
        .or_else(|| children.first())
        .copied()
}

/// A ZIP archive of report files (not an office document, which is a ZIP too).
fn is_zip(name: &str, mime: &str, bytes: &[u8]) -> bool {
    const OFFICE: &[&str] = &[".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".jar", ".apk", ".epub"];
    if OFFICE.iter().any(|e| name.ends_with(e)) || mime.contains("officedocument") || mime.contains("opendocument") {
        return false;
    }
    name.ends_with(".zip") || mime.contains("/zip") || mime.contains("x-zip") || bytes.starts_with(b"PK\x03\x04")
}

/// The kind of an archive or spreadsheet attachment exitdesk does not open
/// (report data: a zipped CSV, a table of addresses), from its name or type;
/// `None` for anything else: letters (PDF, DOCX: powers of attorney, notices
/// whose text is also in the body), images, signatures, unknown binaries.
fn unread_kind(name: &str, mime: &str) -> Option<&'static str> {
    const KINDS: &[(&str, &str, &str)] = &[
        (".7z", "7z-compressed", "7z archive"),
        (".rar", "rar", "RAR archive"),
        (".xlsx", "spreadsheetml", "spreadsheet"),
        (".xls", "ms-excel", "spreadsheet"),
        (".ods", "opendocument.spreadsheet", "spreadsheet"),
    ];
    KINDS.iter().find(|(ext, m, _)| name.ends_with(ext) || mime.contains(m)).map(|(_, _, kind)| *kind)
}

/// Decompresses at most `limit` bytes (gzip bombs): what fits is kept, and a
/// problem says what was not decompressed. A damaged stream keeps what
/// decompressed before the damage.
fn gunzip(bytes: &[u8], limit: usize) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::new();
    let mut dec = flate2::bufread::MultiGzDecoder::new(bytes);
    let result = (&mut dec).take(limit as u64).read_to_end(&mut out);
    match result {
        Err(e) if out.is_empty() => (out, Some(format!("gzip data is corrupt ({e})"))),
        Err(e) => {
            let problem = format!("gzip data is damaged after {} ({e}); the text before it was read", size(out.len()));
            (out, Some(problem))
        }
        Ok(_) => {
            // Anything more to decompress? One more byte tells.
            let mut probe = [0u8; 1];
            if out.len() < limit || !matches!(dec.read(&mut probe), Ok(1)) {
                return (out, None);
            }
            let problem = format!(
                "decompressed text reached the limit of {}: the first {} were read, the rest was not decompressed ({} of its {} compressed were left; possible gzip bomb)",
                size(limit),
                size(out.len()),
                size(dec.get_ref().len()),
                size(bytes.len())
            );
            (out, Some(problem))
        }
    }
}

/// True when the bytes look like text rather than an image, PDF or archive.
fn looks_textual(data: &[u8]) -> bool {
    let sample = &data[..data.len().min(4096)];
    if sample.is_empty() {
        return false;
    }
    let control = sample.iter().filter(|b| **b < 0x09 || (**b > 0x0d && **b < 0x20)).count();
    control * 50 < sample.len()
}

/// The first mailbox of an address list. A group (`undisclosed:a@x,b@y;`)
/// names no one person: its members are never taken as the sender or as
/// where replies go. A group ends with `;` (RFC 5322 §3.4): without it
/// (`raw`, the header as written), `Abuse Dept: abuse@x` is a sloppy display
/// name, and its one address is taken.
fn addr(a: &Address<'_>, raw: Option<&str>) -> Option<Addr> {
    let first = match a {
        Address::List(list) => list.first()?,
        Address::Group(groups) if !raw.is_some_and(|r| r.trim_end().ends_with(';')) => {
            let mut members = groups.iter().flat_map(|g| g.addresses.iter());
            let first = members.next()?;
            if members.next().is_some() {
                return None;
            }
            first
        }
        Address::Group(_) => return None,
    };
    Some(Addr {
        name: first.name().map(clean_header).filter(|s| !s.is_empty()),
        address: first.address().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
    })
}

/// `"Name" <a@b>` or `a@b` from raw header text; nothing from a group
/// (`name: a@b, c@d;`) or a list.
fn parse_addr_text(raw: &str) -> Addr {
    if raw.ends_with(';') || raw.contains(',') && raw.matches('@').count() > 1 {
        return Addr::default();
    }
    if let (Some(lt), Some(gt)) = (raw.rfind('<'), raw.rfind('>')) {
        if lt < gt {
            let name = raw[..lt].trim().trim_matches('"').trim();
            return Addr {
                name: (!name.is_empty()).then(|| name.to_string()),
                address: Some(raw[lt + 1..gt].trim().to_string()),
            };
        }
    }
    Addr { name: None, address: raw.contains('@').then(|| raw.to_string()) }
}

fn clean_header(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Repairs UTF-8 that was decoded as Latin-1 (`Ã©` for `é`), a common result
/// of a mislabelled charset.
fn fix_mojibake(s: &str) -> Cow<'_, str> {
    let suspicious = s.contains('Ã') || s.contains("â€");
    if !suspicious
        || s.chars().any(|c| {
            u32::from(c) > 0xFF
                && !matches!(
                    c,
                    '€' | '‚'
                        | 'ƒ'
                        | '„'
                        | '…'
                        | '†'
                        | '‡'
                        | 'ˆ'
                        | '‰'
                        | 'Š'
                        | '‹'
                        | 'Œ'
                        | 'Ž'
                        | '‘'
                        | '’'
                        | '“'
                        | '”'
                        | '•'
                        | '–'
                        | '—'
                        | '˜'
                        | '™'
                        | 'š'
                        | '›'
                        | 'œ'
                        | 'ž'
                        | 'Ÿ'
                )
        })
    {
        return Cow::Borrowed(s);
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let code = u32::from(c);
        let b = if code <= 0xFF {
            code as u8
        } else {
            match windows_1252_byte(c) {
                Some(b) => b,
                None => return Cow::Borrowed(s),
            }
        };
        bytes.push(b);
    }
    match String::from_utf8(bytes) {
        Ok(fixed) => Cow::Owned(fixed),
        Err(_) => Cow::Borrowed(s),
    }
}

fn windows_1252_byte(c: char) -> Option<u8> {
    const MAP: &[(char, u8)] = &[
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    MAP.iter().find(|(ch, _)| *ch == c).map(|(_, b)| *b)
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn mojibake_is_repaired() {
        assert_eq!(fix_mojibake("CafÃ© â€“ ok"), "Café – ok");
        assert_eq!(fix_mojibake("plain text"), "plain text");
    }

    #[test]
    fn gzip_bomb_is_cut_and_said() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..20 {
            enc.write_all(&zeros).unwrap();
        }
        let gz = enc.finish().unwrap();
        let (text, problem) = gunzip(&gz, GZIP_LIMIT);
        assert_eq!(text.len(), GZIP_LIMIT);
        assert!(problem.unwrap().contains("the first 8.0 MiB were read"));
        let (text, problem) = gunzip(&gz[..gz.len() / 2], 1 << 30);
        assert!(!text.is_empty() && problem.unwrap().contains("damaged after"));
    }

    #[test]
    fn header_and_part_floods_are_cut_before_parsing() {
        let head = "From: a@example.org\nSubject: s\n";
        let flood = format!("{head}{}\nbody\n", "X-H: v\n".repeat(MAX_HEADER_LINES));
        let (at, problem) = structure_cut(flood.as_bytes()).unwrap();
        assert_eq!(at, head.len() + (MAX_HEADER_LINES - 2) * 7);
        assert!(problem.contains("more than 262144 header lines: it was read up to byte"), "{problem}");
        for ct in ["multipart/mixed; boundary=\"b\"", "multipart/mixed; boundary = b"] {
            let parts = format!("{head}Content-Type: {ct}\n\n{}--b--\n", "--b\n\nx\n".repeat(MAX_BLOCKS));
            let (_, problem) = structure_cut(parts.as_bytes()).unwrap();
            assert!(problem.contains("more than 16384 MIME parts"), "{problem}");
        }
        // Lines that only look like boundaries, and ordinary mail, are not cut.
        let dashes = format!("{head}\n{}", "--b\n\nx\n".repeat(MAX_BLOCKS));
        assert!(structure_cut(dashes.as_bytes()).is_none());
        assert!(structure_cut(b"From: a@example.org\nSubject: s\n\nattack from 192.0.2.1\n").is_none());
    }

    #[test]
    fn alternative_prefers_plain_and_html_only_becomes_text() {
        let raw = b"From: a@example.org\r\nSubject: t\r\nContent-Type: text/html\r\n\r\n<p>Hello<br>World</p>";
        let doc = Doc::parse(raw);
        assert_eq!(doc.parts[0].text.trim(), "Hello\nWorld");
    }
}
