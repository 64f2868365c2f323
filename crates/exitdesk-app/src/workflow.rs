//! The operator's workflow over the store: queue, show, draft (edit),
//! approve, send (to an outbox folder), notes, close, reopen, follow-ups,
//! reporter memory, statistics and the transparency report. Every change
//! records a transition (who, when, why).
//!
//! Approved means approved: an approval names the draft version and the
//! digest of its text, and `send` sends exactly that version. A send is
//! recorded ("sending") before any byte is written, the file goes to a
//! temporary name, is synced and renamed into place, and only then is the
//! send completed: a run killed anywhere leaves a send that the next `send`
//! finishes with the same bytes, never a second or an unapproved reply.

use std::path::{Path, PathBuf};

use exitdesk_cases::{Action, By, CaseFacts, StatsTable, TransparencyReport, check_action, follow_up_date};
use exitdesk_compose::{Draft, IntroLevel, Mailbox, valid_address};
use exitdesk_model::{CaseState, Scenario, Transition, format_utc};
use exitdesk_store::{
    Approval, CaseFilter, CaseRecord, DraftRecord, MessageInfo, NoteRecord, ReporterRecord, SendRecord, Store, Tx,
};
use jiff::Timestamp;

use crate::draft::Desk;
use crate::err::{AppError, Result};
use crate::ingest::{SYSTEM_ACTOR, sha256_hex};

/// A queue: the cases in order, and how many there are per state.
#[derive(Debug, Clone)]
pub struct Queue {
    /// The cases shown, by deadline (none last), then age.
    pub cases: Vec<CaseRecord>,
    /// Cases per state in the whole store.
    pub counts: Vec<(CaseState, i64)>,
}

/// Everything about one case.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The case.
    pub case: CaseRecord,
    /// Its messages (with their derived facts).
    pub messages: Vec<MessageInfo>,
    /// Its history.
    pub history: Vec<Transition>,
    /// Its draft versions.
    pub drafts: Vec<DraftRecord>,
    /// Its notes.
    pub notes: Vec<NoteRecord>,
    /// What is remembered of the reporter.
    pub reporter: Option<ReporterRecord>,
}

/// What `send` did.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The file written to the outbox.
    pub path: PathBuf,
    /// The follow-up date planned, if the reply offers one.
    pub follow_up: Option<i64>,
    /// The draft version sent.
    pub version: i64,
    /// It finished a send that an earlier run began and did not complete
    /// (killed, disk full); the case may have changed since, so a newer
    /// approved draft may still wait for `send`.
    pub resumed: bool,
}

fn missing(id: i64) -> AppError {
    AppError::NotFound(format!("there is no case {id} (`exitdesk queue` lists them)"))
}

/// A case, locked for this transaction (it may be changed and written back).
async fn load(tx: &mut Tx, id: i64) -> Result<CaseRecord> {
    tx.case_for_update(id).await?.ok_or_else(|| missing(id))
}

async fn change(tx: &mut Tx, rec: &mut CaseRecord, to: CaseState, actor: &str, why: &str, at: i64) -> Result<()> {
    let from = rec.state;
    rec.state = to;
    rec.updated_at = at;
    tx.update_case(rec).await?;
    tx.add_transition(
        rec.id,
        &Transition { from: Some(from), to, actor: actor.to_string(), at, reason: why.chars().take(500).collect() },
    )
    .await?;
    Ok(())
}

/// The draft as a person reads and edits it: the headers decoded, a blank
/// line, the text (`draft FILE` prints it; `draft CASE --edit` edits it).
pub fn readable_draft(d: &Draft) -> String {
    // A name with RFC 5322 specials is quoted, as it is in the sent mail.
    let mailbox = |m: &Mailbox| match &m.name {
        Some(n) if n.contains(['@', ',', ';', ':', '<', '>', '(', ')', '[', ']', '"', '\\', '.']) => {
            format!("\"{}\" <{}>", n.replace(['"', '\\'], ""), m.address)
        }
        Some(n) => format!("{n} <{}>", m.address),
        None => format!("<{}>", m.address),
    };
    let mut s = String::new();
    s.push_str(&format!("From: {}\n", mailbox(&d.from)));
    s.push_str(&format!(
        "To: {}\n",
        d.to.as_ref().map(mailbox).unwrap_or_else(|| "(no usable address; see the warning)".into())
    ));
    s.push_str(&format!("Subject: {}\n", d.subject));
    if let Some(id) = &d.in_reply_to {
        s.push_str(&format!("In-Reply-To: <{id}>\n"));
    }
    if !d.references.is_empty() {
        let refs: Vec<String> = d.references.iter().map(|r| format!("<{r}>")).collect();
        s.push_str(&format!("References: {}\n", refs.join(" ")));
    }
    // As the message will carry it (RFC 5322 date-time).
    let date = jiff::fmt::rfc2822::to_string(&d.date.to_zoned_datetime(jiff::tz::TimeZone::UTC))
        .unwrap_or_else(|_| format_utc(d.date));
    s.push_str(&format!("Date: {date}\n"));
    s.push_str(&format!("Message-ID: <{}>\n", d.message_id));
    s.push_str(&format!("Auto-Submitted: {}\n", d.auto_submitted));
    s.push('\n');
    s.push_str(&d.body);
    s
}

/// Applies an operator's edit of [`readable_draft`] text to a draft: `To:` and
/// `Subject:` may change, the text after the first blank line is the new body;
/// the other header lines are informational.
pub fn apply_edit(base: &Draft, edited: &str) -> std::result::Result<Draft, String> {
    let edited = edited.replace("\r\n", "\n");
    let (head, body) =
        edited.split_once("\n\n").ok_or("the edited draft has no blank line between headers and text")?;
    let mut d = base.clone();
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("not a header line: {:?}", line.chars().take(60).collect::<String>()));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "to" => {
                d.to = parse_mailbox(value);
                if let Some(to) = &d.to {
                    valid_address(&to.address).map_err(|why| format!("the To: address cannot be used: {why}"))?;
                }
            }
            "subject" => {
                if value.is_empty() {
                    return Err("the subject is empty".into());
                }
                d.subject = value.chars().filter(|c| !c.is_control()).take(300).collect();
            }
            _ => {}
        }
    }
    if body.trim().is_empty() {
        return Err("the text is empty".into());
    }
    d.body = body.to_string();
    Ok(d)
}

fn parse_mailbox(v: &str) -> Option<Mailbox> {
    let v: String = v.chars().filter(|c| !c.is_control()).collect();
    let (name, address) = match (v.rfind('<'), v.rfind('>')) {
        (Some(a), Some(b)) if a < b => {
            let name = v[..a].trim().trim_matches('"').trim();
            (if name.is_empty() { None } else { Some(name.to_string()) }, v[a + 1..b].trim().to_string())
        }
        _ => (None, v.trim().to_string()),
    };
    // Checked whole by `valid_address` (no length cut here).
    let ok = address.contains('@') && !address.contains(char::is_whitespace);
    ok.then_some(Mailbox { name, address })
}

impl Desk {
    /// Moves waiting cases whose follow-up date has come to follow-up-due.
    pub async fn tick(&self, store: &Store, now: Timestamp) -> Result<usize> {
        let t = now.as_second();
        let mut tx = store.begin().await?;
        let due = tx.due_follow_ups(t).await?;
        for id in &due {
            let mut rec = load(&mut tx, *id).await?;
            change(&mut tx, &mut rec, CaseState::FollowUpDue, SYSTEM_ACTOR, "the follow-up date has come", t).await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }

    /// The queue.
    pub async fn queue(&self, store: &Store, filter: &CaseFilter, now: Timestamp) -> Result<Queue> {
        self.tick(store, now).await?;
        let mut tx = store.begin().await?;
        let cases = tx.cases(filter).await?;
        let counts = tx.case_counts().await?;
        tx.commit().await?;
        Ok(Queue { cases, counts })
    }

    /// One case, whole.
    pub async fn show(&self, store: &Store, id: i64) -> Result<CaseView> {
        let mut tx = store.begin().await?;
        let case = load(&mut tx, id).await?;
        let messages = tx.case_messages(id).await?;
        let history = tx.transitions(id).await?;
        let drafts = tx.drafts(id).await?;
        let notes = tx.notes(id).await?;
        let reporter = if case.reporter.is_empty() { None } else { tx.reporter(&case.reporter).await? };
        tx.commit().await?;
        Ok(CaseView { case, messages, history, drafts, notes, reporter })
    }

    /// The newest draft of a case: the reply (or the note when none is needed).
    pub async fn current_draft(&self, store: &Store, id: i64) -> Result<(DraftRecord, Option<Draft>)> {
        let mut tx = store.begin().await?;
        load(&mut tx, id).await?;
        let d = tx.latest_draft(id).await?.ok_or_else(|| {
            AppError::NotFound(format!("case {id} has no draft (it may need none; `exitdesk show {id}` tells)"))
        })?;
        tx.commit().await?;
        let reply = draft_of(&d)?;
        Ok((d, reply))
    }

    /// Keeps an operator's edit of the current draft as a new version.
    pub async fn edit_draft(&self, store: &Store, id: i64, edited: &str, actor: &str, now: Timestamp) -> Result<i64> {
        let t = now.as_second();
        let mut tx = store.begin().await?;
        let mut rec = load(&mut tx, id).await?;
        let last = tx.latest_draft(id).await?;
        let to = check_action(rec.state, Action::Edit, last.is_some()).map_err(AppError::Refused)?;
        let base = match last.as_ref().map(draft_of).transpose()?.flatten() {
            Some(d) => d,
            None => return Err(AppError::Refused(format!("case {id} has no reply draft to edit"))),
        };
        let mut d = apply_edit(&base, edited).map_err(AppError::Refused)?;
        d.date = now;
        let version = tx
            .add_draft(&DraftRecord {
                case_id: id,
                version: 0,
                created_at: t,
                author: actor.to_string(),
                kind: "edited".into(),
                draft: crate::ingest::json(&d)?,
                sent_at: None,
            })
            .await?;
        let mut why = format!("draft edited (version {version})");
        if rec.state == CaseState::Approved {
            why.push_str("; the approval of the previous version no longer holds: approve again");
        }
        change(&mut tx, &mut rec, to, actor, &why, t).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Drafts the case's reply again from its messages (a new version).
    pub async fn regenerate(&self, store: &Store, id: i64, actor: &str, now: Timestamp) -> Result<()> {
        let mut tx = store.begin().await?;
        let rec = load(&mut tx, id).await?;
        check_action(rec.state, Action::Edit, true).map_err(AppError::Refused)?;
        // A regeneration is asked for: mark the operator's newest edit as superseded by going through redraft.
        let last = tx.latest_draft(id).await?;
        if last.as_ref().is_some_and(|d| d.kind == "edited" && d.sent_at.is_none()) {
            return Err(AppError::Refused(format!(
                "case {id}'s newest draft is your own edit; edit it again (`exitdesk draft {id} --edit`) instead of regenerating over it"
            )));
        }
        self.redraft(&mut tx, id, now, actor, &format!("regenerated by {actor}")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approves the current draft for sending.
    pub async fn approve(&self, store: &Store, id: i64, actor: &str, now: Timestamp) -> Result<()> {
        let t = now.as_second();
        let mut tx = store.begin().await?;
        let mut rec = load(&mut tx, id).await?;
        let last = tx.latest_draft(id).await?;
        let has_reply = last.as_ref().is_some_and(|d| d.kind != "note");
        let to = check_action(rec.state, Action::Approve, has_reply).map_err(AppError::Refused)?;
        let Some(last) = last else { return Err(AppError::Refused(format!("case {id} has no draft"))) };
        if last.sent_at.is_some() {
            return Err(AppError::Refused(format!(
                "case {id}'s draft version {} was sent already; `exitdesk draft {id} --edit` or `--regenerate` makes a new one",
                last.version
            )));
        }
        let digest = sha256_hex(last.draft.as_bytes());
        tx.set_approval(id, &Approval { version: last.version, digest: Some(digest) }).await?;
        change(&mut tx, &mut rec, to, actor, &format!("draft version {} approved", last.version), t).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the approved reply into the outbox folder as an `.eml` and marks
    /// it sent; plans the follow-up when the reply offers one.
    ///
    /// Exactly the approved draft version is sent (its text's digest is
    /// checked; a draft changed since its approval returns the case to
    /// drafted). The send is recorded first, with the reply's bytes; the
    /// file is then written to a temporary name, synced and renamed into
    /// place, and the send completed. A send an earlier run began and did
    /// not complete is finished first, with the same bytes (whatever
    /// happened to the case since): a reply is written once, and a file
    /// left cut or empty is written again.
    pub async fn send(&self, store: &Store, id: i64, outbox: &Path, actor: &str, now: Timestamp) -> Result<Sent> {
        let (pending, resumed) = self.begin_send(store, id, outbox, actor, now).await?;
        self.finish_send(store, &pending, resumed, now).await
    }

    /// The send to make: one begun before and not completed, else the
    /// approved version's, recorded (committed) before anything is written.
    async fn begin_send(
        &self,
        store: &Store,
        id: i64,
        outbox: &Path,
        actor: &str,
        now: Timestamp,
    ) -> Result<(SendRecord, bool)> {
        let t = now.as_second();
        let mut tx = store.begin().await?;
        let mut rec = load(&mut tx, id).await?;
        if let Some(s) = tx.sends(id).await?.into_iter().find(|s| s.completed_at.is_none()) {
            tx.commit().await?;
            return Ok((s, true));
        }
        check_action(rec.state, Action::Send, true).map_err(AppError::Refused)?;
        let approval = tx.approval(id).await?.ok_or_else(|| {
            AppError::Refused(format!("case {id} is approved but the store does not say which draft; approve it again"))
        })?;
        let latest = tx.latest_draft(id).await?.map(|d| d.version);
        let approved = tx.draft(id, approval.version).await?;
        let digest = approved.as_ref().map(|d| sha256_hex(d.draft.as_bytes()));
        let unchanged = latest == Some(approval.version)
            && approved.as_ref().is_some_and(|d| d.sent_at.is_none())
            && approval.digest.as_ref().is_none_or(|a| Some(a) == digest.as_ref());
        let Some(approved) = approved.filter(|_| unchanged) else {
            let why = format!("draft version {} changed after its approval; approve it again", approval.version);
            change(&mut tx, &mut rec, CaseState::Drafted, SYSTEM_ACTOR, &why, t).await?;
            tx.commit().await?;
            return Err(AppError::Refused(format!(
                "case {id}: the draft changed after it was approved (version {}); it is drafted again: review it \
                 (`exitdesk draft {id}`) and approve it again",
                approval.version
            )));
        };
        let Some(mut draft) = draft_of(&approved)? else {
            return Err(AppError::Refused(format!("case {id}'s approved draft is a note, not a reply")));
        };
        if draft.to.is_none() {
            return Err(AppError::Refused(format!(
                "case {id}'s draft has no recipient; `exitdesk draft {id} --edit` and fill in the To: line"
            )));
        }
        // Defence in depth: drafting never addresses one of our own
        // addresses, but an operator's edit can.
        if let Some(to) = draft.to.as_ref().filter(|to| self.config.operator().is_own(&to.address)) {
            return Err(AppError::Refused(format!(
                "case {id}'s draft is addressed to our own address {}; exitdesk never sends a reply to itself",
                to.address
            )));
        }
        draft.date = now;
        draft.case = Some(id);
        let bytes = draft.to_message()?;
        let path = outbox.join(format!("case-{id}-v{}.eml", approved.version));
        let path = path
            .to_str()
            .ok_or_else(|| AppError::Refused(format!("the outbox path {} is not valid UTF-8", outbox.display())))?
            .to_string();
        let s = SendRecord {
            case_id: id,
            version: approved.version,
            message_id: draft.message_id.clone(),
            path,
            sha256: sha256_hex(&bytes),
            bytes,
            actor: actor.to_string(),
            started_at: t,
            completed_at: None,
        };
        tx.begin_send(&s).await?;
        tx.commit().await?;
        Ok((s, false))
    }

    /// Puts a begun send's file in place and completes the send, in one
    /// transaction that holds the case (two runs take turns).
    async fn finish_send(&self, store: &Store, s: &SendRecord, resumed: bool, now: Timestamp) -> Result<Sent> {
        let (t, id, version) = (now.as_second(), s.case_id, s.version);
        let path = PathBuf::from(&s.path);
        let mut tx = store.begin().await?;
        let mut rec = load(&mut tx, id).await?;
        let done = tx.sends(id).await?.iter().any(|x| x.version == version && x.completed_at.is_some());
        if done {
            // Another run finished it meanwhile.
            tx.commit().await?;
            return Ok(Sent { path, follow_up: rec.follow_up, version, resumed });
        }
        place_file(&path, &s.bytes, &s.sha256)?;
        tx.complete_send(id, version, t).await?;
        tx.mark_sent(id, version, t).await?;
        let draft = match tx.draft(id, version).await? {
            Some(d) => draft_of(&d)?,
            None => None,
        };
        if rec.first_reply_at.is_none() {
            rec.first_reply_at = Some(t);
        }
        let why = format!("reply version {version} written to the outbox");
        let still_approved =
            rec.state == CaseState::Approved && tx.approval(id).await?.is_some_and(|a| a.version == version);
        let mut follow_up = None;
        if still_approved {
            let to = check_action(rec.state, Action::Send, true).map_err(AppError::Refused)?;
            // Every sent reply waits for an answer (or a repeat of the
            // complaint) for `follow_up_days`, then surfaces again: the
            // operator's check, whether or not the letter promised one
            // (only replies to threats do; elsewhere a promise from an exit
            // operator is filler, issue 16's review).
            let promised = draft.as_ref().is_some_and(|d| d.follow_up);
            follow_up = Some(follow_up_date(t, self.config.reply.follow_up_days));
            rec.follow_up = follow_up;
            change(&mut tx, &mut rec, to, &s.actor, &why, t).await?;
            if let Some(f) = follow_up {
                let due = format_utc(Timestamp::from_second(f).unwrap_or(now));
                let why = if promised {
                    format!("the reply offers a follow-up; due {due}")
                } else {
                    format!("waiting for an answer or a repeat; check due {due}")
                };
                change(&mut tx, &mut rec, CaseState::Waiting, SYSTEM_ACTOR, &why, t).await?;
            }
        } else {
            // The case changed after this send began (a message joined, a
            // draft was edited): it keeps its state; the history says what went out.
            let state = rec.state;
            let why = format!("{why} (its send began before the case changed)");
            change(&mut tx, &mut rec, state, &s.actor, &why, t).await?;
        }
        if !rec.reporter.is_empty() && draft.as_ref().is_some_and(|d| d.intro == IntroLevel::Full) {
            let mut r = tx.reporter_for_update(&rec.reporter).await?.unwrap_or_else(|| ReporterRecord {
                address: rec.reporter.clone(),
                first_seen: t,
                ..ReporterRecord::default()
            });
            r.intro_sent_at = Some(t);
            tx.put_reporter(&r).await?;
        }
        tx.commit().await?;
        Ok(Sent { path, follow_up, version, resumed })
    }

    /// Adds a note.
    pub async fn note(&self, store: &Store, id: i64, text: &str, actor: &str, now: Timestamp) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::Refused("the note is empty".into()));
        }
        let mut tx = store.begin().await?;
        load(&mut tx, id).await?;
        tx.add_note(id, &NoteRecord { at: now.as_second(), author: actor.to_string(), text: text.to_string() }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a case (why: the operator's words, or a default).
    pub async fn close(&self, store: &Store, id: i64, why: Option<&str>, actor: &str, now: Timestamp) -> Result<()> {
        self.simple(store, id, Action::Close, why.unwrap_or("closed"), actor, now).await
    }

    /// Reopens a closed case; it waits for a person.
    pub async fn reopen(&self, store: &Store, id: i64, why: Option<&str>, actor: &str, now: Timestamp) -> Result<()> {
        self.simple(store, id, Action::Reopen, why.unwrap_or("reopened"), actor, now).await
    }

    async fn simple(&self, store: &Store, id: i64, a: Action, why: &str, actor: &str, now: Timestamp) -> Result<()> {
        let mut tx = store.begin().await?;
        let mut rec = load(&mut tx, id).await?;
        let to = check_action(rec.state, a, true).map_err(AppError::Refused)?;
        change(&mut tx, &mut rec, to, actor, why, now.as_second()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cases with a follow-up planned (waiting or due), soonest first.
    pub async fn followups(&self, store: &Store, now: Timestamp) -> Result<Vec<CaseRecord>> {
        self.tick(store, now).await?;
        let mut tx = store.begin().await?;
        let filter = CaseFilter { states: vec![CaseState::FollowUpDue, CaseState::Waiting], ..CaseFilter::default() };
        let mut cases = tx.cases(&filter).await?;
        tx.commit().await?;
        cases.sort_by_key(|c| (c.follow_up.unwrap_or(i64::MAX), c.id));
        Ok(cases)
    }

    /// What is remembered of a reporter.
    pub async fn reporter(&self, store: &Store, address: &str) -> Result<ReporterRecord> {
        let address = address.trim().to_ascii_lowercase();
        let mut tx = store.begin().await?;
        let r = tx.reporter(&address).await?;
        tx.commit().await?;
        r.ok_or_else(|| AppError::NotFound(format!("no reporter {address} in the store")))
    }

    /// Marks a reporter as familiar with Tor (replies to them carry no intro), or not.
    pub async fn mark_tor_aware(&self, store: &Store, address: &str, aware: bool, now: Timestamp) -> Result<()> {
        self.update_reporter(store, address, now, |r| r.tor_aware = aware).await
    }

    /// Notes a reporter's preferred language (ISO 639-1).
    pub async fn set_reporter_language(&self, store: &Store, address: &str, lang: &str, now: Timestamp) -> Result<()> {
        let lang = lang.trim().to_ascii_lowercase();
        if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(AppError::Refused(format!("{lang:?} is not an ISO 639-1 code (two letters, like de)")));
        }
        self.update_reporter(store, address, now, |r| r.language = Some(lang)).await
    }

    async fn update_reporter(
        &self,
        store: &Store,
        address: &str,
        now: Timestamp,
        f: impl FnOnce(&mut ReporterRecord),
    ) -> Result<()> {
        let address = address.trim().to_ascii_lowercase();
        if !address.contains('@') {
            return Err(AppError::Refused(format!("{address:?} is not a mail address")));
        }
        let mut tx = store.begin().await?;
        let mut r = tx.reporter_for_update(&address).await?.unwrap_or_else(|| ReporterRecord {
            address: address.clone(),
            first_seen: now.as_second(),
            ..ReporterRecord::default()
        });
        f(&mut r);
        tx.put_reporter(&r).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `exitdesk stats`: the database sums per group; the table is made from the sums.
    pub async fn stats(&self, store: &Store, by: By, since: Option<i64>) -> Result<StatsTable> {
        use exitdesk_cases::GroupKey;
        use exitdesk_store::{StatsGrouping, StatsKey};
        let grouping = match by {
            By::Month => StatsGrouping::Month,
            By::Scenario => StatsGrouping::Scenario,
            By::Kind => StatsGrouping::Kind,
            By::Reporter => StatsGrouping::Reporter,
            By::Exit => StatsGrouping::Exit,
            By::Port => StatsGrouping::Port,
        };
        let mut tx = store.begin().await?;
        let (groups, none, total) = tx.stats(grouping, since.unwrap_or(i64::MIN)).await?;
        tx.commit().await?;
        let groups = groups
            .into_iter()
            .filter_map(|(k, c)| {
                let key = match (k, by) {
                    (StatsKey::Int(d), By::Month) => GroupKey::Day(d),
                    (StatsKey::Int(p), _) => GroupKey::Port(u16::try_from(p).ok()?),
                    (StatsKey::Text(t), _) => GroupKey::Text(t),
                    (StatsKey::None, _) => return None,
                };
                Some((key, c))
            })
            .collect();
        Ok(exitdesk_cases::stats_from_counts(by, since, groups, none, total))
    }

    /// `exitdesk report transparency --month YYYY-MM`: over the cases opened that month.
    pub async fn transparency(&self, store: &Store, month: &str, now: Timestamp) -> Result<TransparencyReport> {
        let bounds = month_bounds(month);
        let mut tx = store.begin().await?;
        let filter = CaseFilter {
            include_closed: true,
            since: bounds.map(|b| b.0),
            until: bounds.map(|b| b.1),
            ..CaseFilter::default()
        };
        let cases = tx.cases(&filter).await?;
        tx.commit().await?;
        let facts: Vec<CaseFacts> = cases.iter().map(facts).collect();
        exitdesk_cases::transparency_report(&facts, month, now.as_second()).map_err(AppError::Refused)
    }
}

/// The first second of a `YYYY-MM` month and of the next one (UTC).
fn month_bounds(month: &str) -> Option<(i64, i64)> {
    let (y, m) = month.trim().split_once('-')?;
    let (y, m): (i16, i8) = (y.parse().ok()?, m.parse().ok()?);
    let first = jiff::civil::Date::new(y, m, 1).ok()?;
    let next = first.checked_add(jiff::Span::new().months(1)).ok()?;
    let at =
        |d: jiff::civil::Date| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp().as_second());
    Some((at(first)?, at(next)?))
}

/// A case as statistics see it.
pub fn facts(c: &CaseRecord) -> CaseFacts {
    CaseFacts {
        id: c.id,
        state: c.state,
        scenario: Scenario::from_id(&c.scenario).unwrap_or(Scenario::Other),
        kind: c.kind,
        reporter: c.reporter.clone(),
        country: c.country.clone(),
        exit_ips: c.exit_ips.clone(),
        ports: c.ports.clone(),
        opened_at: c.opened_at,
        deadline: c.deadline,
        first_reply_at: c.first_reply_at,
        messages: u32::try_from(c.messages).unwrap_or(u32::MAX),
    }
}

/// The reply a draft record holds (`None` for a note).
pub fn draft_of(d: &DraftRecord) -> Result<Option<Draft>> {
    if d.kind == "note" {
        return Ok(None);
    }
    serde_json::from_str(&d.draft)
        .map(Some)
        .map_err(|e| AppError::Store(format!("draft version {} of case {} is damaged: {e}", d.version, d.case_id)))
}

/// Puts `bytes` at `path`, owner-only, in a private folder, unless the file
/// there already holds them (digest `sha256`): written to a temporary name
/// beside it, synced, renamed into place, the folder synced. A file left
/// cut or empty is replaced; temporary files a killed run left are removed.
/// The caller holds the case, so no other run writes this file meanwhile.
fn place_file(path: &Path, bytes: &[u8], sha256: &str) -> Result<()> {
    use std::io::Write;
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return Err(AppError::Refused(format!("{} is not a file path in a folder", path.display())));
    };
    if !dir.is_dir() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir).map_err(|e| write_error(dir, e))?;
    }
    let in_place = std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|b| sha256_hex(&b) == sha256);
    if !in_place {
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o600);
            }
            let mut f = o.open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(write_error(path, e));
        }
        std::fs::rename(&tmp, path).map_err(|e| write_error(path, e))?;
    }
    // The rename (or one a killed run made) is durable once the folder is.
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| write_error(dir, e))?;
    remove_strays(dir, name);
    Ok(())
}

/// Removes the temporary files of `name` that killed runs left in `dir`.
fn remove_strays(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let n = e.file_name();
        if n.to_str().is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tmp")) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// An outbox write that failed; a full disk says so plainly.
fn write_error(path: &Path, e: std::io::Error) -> AppError {
    // ENOSPC (28) and EDQUOT (122 on Linux) as the OS reports them.
    if e.kind() == std::io::ErrorKind::StorageFull || e.kind() == std::io::ErrorKind::QuotaExceeded {
        return AppError::NoSpace {
            path: path.to_path_buf(),
            what: "the send is recorded as begun (nothing was sent): free some space and run `exitdesk send` \
                   again to finish it"
                .into(),
        };
    }
    AppError::Write { path: path.to_path_buf(), source: e }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn draft() -> Draft {
        Draft {
            from: Mailbox { name: Some("Exit Operator".into()), address: "abuse@exit.example.org".into() },
            to: Some(Mailbox { name: None, address: "abuse@hoster.example.com".into() }),
            subject: "Re: Abuse [Ticket#1]".into(),
            in_reply_to: Some("a@b.example".into()),
            references: Vec::new(),
            message_id: "m@exit.example.org".into(),
            date: Timestamp::UNIX_EPOCH,
            auto_submitted: "no".into(),
            body: "Hello,\n\ntext\n".into(),
            warnings: Vec::new(),
            statement_link: None,
            attachments: Vec::new(),
            follow_up: true,
            intro: IntroLevel::Full,
            case: None,
        }
    }

    #[test]
    fn edits_change_recipient_subject_and_body_only() {
        let d = draft();
        let text = readable_draft(&d).replace("text", "new text").replace("Ticket#1]", "Ticket#1] ok");
        let e = apply_edit(&d, &text.replace("<abuse@hoster.example.com>", "Desk <desk@hoster.example.com>")).unwrap();
        assert_eq!(e.body, "Hello,\n\nnew text\n");
        assert_eq!(e.subject, "Re: Abuse [Ticket#1] ok");
        assert_eq!(e.to.unwrap().address, "desk@hoster.example.com");
        assert_eq!(e.message_id, d.message_id);
        assert!(apply_edit(&d, "no headers").is_err());
        assert!(apply_edit(&d, "To: x@y.example\n\n  \n").is_err());
        let e = apply_edit(&d, "To: nobody\nSubject: s\n\nbody").unwrap();
        assert!(e.to.is_none());
        let long = format!("To: <{}@hoster.example.com>\n\nbody", "a".repeat(250));
        assert!(apply_edit(&d, &long).unwrap_err().contains("longer than 254"));
        assert!(apply_edit(&d, "To: a@b\n\nbody").unwrap_err().contains("not a valid mail address"));
    }
}
