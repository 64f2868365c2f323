//! The rows the store reads and writes, as plain values.

use exitdesk_model::{CaseState, Kind};

/// A raw message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// SHA-256 of the bytes, lower-case hex: the message's address.
    pub sha256: String,
    /// Where it was first read from (`path`, `path#N`, `-`).
    pub source: String,
    /// When it was stored (Unix seconds).
    pub received_at: i64,
    /// It was larger than intake's limit and was cut.
    pub truncated: bool,
    /// The bytes, exactly as received.
    pub raw: Vec<u8>,
}

/// What processing derived from a message (all recomputable from the raw bytes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Derived {
    /// When processing committed (Unix seconds).
    pub processed_at: i64,
    /// When the message arrived as far as joining and deadlines go: its
    /// `Date:` when that is not in the future, else when it was stored.
    pub arrived_at: i64,
    /// The case it went to.
    pub case_id: Option<i64>,
    /// The reply party's address (lower case), if any.
    pub reporter: Option<String>,
    /// It waits for a person.
    pub needs_human: bool,
    /// The primary scenario id.
    pub scenario: Option<String>,
    /// The complaint (JSON).
    pub complaint: String,
    /// The classification (JSON).
    pub classification: String,
    /// The network verdicts (JSON array).
    pub verdicts: String,
    /// The problems met (JSON array of strings).
    pub problems: String,
}

/// A message's row without the raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    /// SHA-256, hex.
    pub sha256: String,
    /// Where it was first read from.
    pub source: String,
    /// When it was stored.
    pub received_at: i64,
    /// Its size in bytes.
    pub size: i64,
    /// Cut at intake's limit.
    pub truncated: bool,
    /// What processing derived, once it committed.
    pub derived: Option<Derived>,
}

/// A case row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// The id.
    pub id: i64,
    /// Where it stands.
    pub state: CaseState,
    /// Primary scenario id.
    pub scenario: String,
    /// Its sub-kind.
    pub subkind: Option<String>,
    /// The kind of answer it needs: its opening message's kind, law
    /// enforcement once a request for data joined it.
    pub kind: Kind,
    /// The reply party's address, lower case (empty when unknown).
    pub reporter: String,
    /// Their display name.
    pub reporter_name: Option<String>,
    /// The forwarder's address, for forwarded complaints.
    pub forwarder: Option<String>,
    /// The ticket id the thread keeps.
    pub thread: Option<String>,
    /// Exit addresses named, sorted.
    pub exit_ips: Vec<String>,
    /// Destination ports named, sorted.
    pub ports: Vec<u16>,
    /// For flood cases: the period collected (`2025-10-14`).
    pub flood_period: Option<String>,
    /// The requester's country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// The complaint's language.
    pub language: Option<String>,
    /// The first message's subject.
    pub subject: Option<String>,
    /// Opened (Unix seconds).
    pub opened_at: i64,
    /// Last changed.
    pub updated_at: i64,
    /// When its newest message arrived (its `Date:`): what the joining window counts from.
    pub last_arrival: i64,
    /// Reply due.
    pub deadline: Option<i64>,
    /// Follow-up planned.
    pub follow_up: Option<i64>,
    /// First reply sent.
    pub first_reply_at: Option<i64>,
    /// Stored messages it holds.
    pub messages: i64,
}

/// A draft version of a case's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecord {
    /// The case.
    pub case_id: i64,
    /// 1, 2, …: every edit or regeneration is a new version.
    pub version: i64,
    /// When it was made.
    pub created_at: i64,
    /// `exitdesk` for generated drafts, else the operator.
    pub author: String,
    /// `generated`, `edited` or `note`.
    pub kind: String,
    /// The draft (JSON of the composer's draft, or the note's text).
    pub draft: String,
    /// When it was sent, if it was.
    pub sent_at: Option<i64>,
}

/// A draft version without its text: what deciding whether to draft again needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftHead {
    /// 1, 2, …
    pub version: i64,
    /// `generated`, `edited` or `note`.
    pub kind: String,
    /// When it was sent, if it was.
    pub sent_at: Option<i64>,
    /// It is the version the case's last approval was given to (such a
    /// version is never changed in place).
    pub approved: bool,
}

/// What an approval was given to: the draft version and the SHA-256 of its
/// stored text (none for approvals recorded before digests were kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The draft version approved.
    pub version: i64,
    /// SHA-256 (hex) of the approved version's stored text.
    pub digest: Option<String>,
}

/// A reply being sent or sent: recorded before any byte of it is written,
/// completed once the file is in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRecord {
    /// The case.
    pub case_id: i64,
    /// The draft version sent (the approved one).
    pub version: i64,
    /// The reply's Message-ID (the same on every retry).
    pub message_id: String,
    /// The outbox file it goes to.
    pub path: String,
    /// SHA-256 (hex) of the bytes.
    pub sha256: String,
    /// The reply, exactly as written.
    pub bytes: Vec<u8>,
    /// Who sent it.
    pub actor: String,
    /// When the send began (Unix seconds).
    pub started_at: i64,
    /// When it was completed; `None` while it is being sent.
    pub completed_at: Option<i64>,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    /// When.
    pub at: i64,
    /// Who.
    pub author: String,
    /// What.
    pub text: String,
}

/// What exitdesk remembers of a reporter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReporterRecord {
    /// Address, lower case.
    pub address: String,
    /// Display name last seen.
    pub name: Option<String>,
    /// Marked as familiar with Tor: replies carry no intro.
    pub tor_aware: bool,
    /// Preferred language (ISO 639-1), set by the operator.
    pub language: Option<String>,
    /// When a reply with the full Tor intro was last sent to them.
    pub intro_sent_at: Option<i64>,
    /// First message from them.
    pub first_seen: i64,
    /// Messages from them.
    pub messages: i64,
}

/// Which cases a queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only these states (empty: every open state).
    pub states: Vec<CaseState>,
    /// Include closed cases when `states` is empty.
    pub include_closed: bool,
    /// Only this primary scenario id.
    pub scenario: Option<String>,
    /// Only reporters whose address contains this text.
    pub reporter: Option<String>,
    /// Only cases naming this exit address.
    pub exit: Option<String>,
    /// Only cases opened at or after this time.
    pub since: Option<i64>,
    /// Only cases opened before this time.
    pub until: Option<i64>,
    /// At most this many (the most urgent first); `None`: all.
    pub limit: Option<i64>,
}

/// What statistics group by, as the store computes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsGrouping {
    /// The UTC month the case was opened; the key is the Unix day (seconds /
    /// 86400) of the first of the month (of the opening day itself for the
    /// rare case opened outside the years 1 to 9999: the same month).
    Month,
    /// The primary scenario id.
    Scenario,
    /// The case's kind id (`traffic`, `law_enforcement`, …).
    Kind,
    /// The reporter's address.
    Reporter,
    /// Each exit address a case names (cases naming none: key `None`).
    Exit,
    /// Each destination port a case names (cases naming none: key `None`).
    Port,
}

/// The key of a statistics group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatsKey {
    /// A number: a day (Unix seconds / 86400) or a port.
    Int(i64),
    /// A text: scenario, kind, reporter, exit address.
    Text(String),
    /// Cases naming no exit or port; also the whole (the total).
    None,
}
