//! `exitdesk ingest` and `exitdesk reprocess`: store the raw message first,
//! then extract, verify, classify, join or open a case and draft. Messages go
//! in batches: a batch's raw bytes are committed in one transaction, and its
//! processing in another, so that a crash leaves every message of a batch
//! either untouched (and pending: the next run finishes it) or complete.
//!
//! One message never blocks the others: each processing attempt is counted
//! and committed before the message is read, so a message that kills a run
//! (out of memory, a crash) is found pending with attempts behind it. The
//! next run processes it alone, after the new mail; after
//! [`MAX_ATTEMPTS`] it is set aside unread, in a needs-human case that says
//! why. A message whose processing fails with an error is set aside at once.

use exitdesk_cases::{CaseKey, Decision, OpenCase, after_join, country_of, deadline, decide, kind_after_join};
use exitdesk_compose::{IntroLevel, Outcome, is_own_message_id, own_header_case, own_mail};
use exitdesk_mail::{Intake, IntakeError, RawMessage};
use exitdesk_model::{CaseState, Classification, Complaint, Scenario, Transition, Verdict};
use exitdesk_store::{CaseRecord, Derived, Dialect, DraftRecord, NoteRecord, ReporterRecord, Store, StoredMessage, Tx};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::draft::{Desk, DraftOptions, to_verdict};
use crate::err::{AppError, Result};
use crate::extract::{Classified, Reader};

/// Who the automatic steps are recorded as.
pub const SYSTEM_ACTOR: &str = "exitdesk";

/// Most events a case's digest draft lists (a flood of identical events says nothing more).
const MAX_DIGEST_EVENTS: usize = 200;

/// Most messages a case's draft is made from (the case keeps them all).
const MAX_DIGEST_MESSAGES: i64 = 200;

/// What became of one ingested message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// A new case was opened for it.
    Opened {
        /// The case.
        case: i64,
        /// It waits for a person (problems, or an unmatched automatic answer).
        needs_human: bool,
    },
    /// It joined an open case.
    Joined {
        /// The case.
        case: i64,
    },
    /// Our own mail coming back (our reply, or mail from one of our
    /// addresses: `exitdesk_compose::own_mail`): filed without a draft,
    /// with the case its `X-Exitdesk` header names when that case exists.
    Filed {
        /// The case it was filed with.
        case: Option<i64>,
    },
    /// The same bytes were stored and processed before: nothing changed.
    Duplicate {
        /// The case it went to then.
        case: Option<i64>,
    },
}

/// The summary of an ingest run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Messages read from the inputs.
    pub read: u64,
    /// Messages stored for the first time.
    pub stored: u64,
    /// Messages already in the store (unchanged).
    pub duplicates: u64,
    /// Messages stored earlier whose processing had not finished (a crash), finished now.
    pub recovered: u64,
    /// Messages set aside for a person, unprocessed: their processing
    /// failed, or never completed in [`MAX_ATTEMPTS`] runs (counted in
    /// `opened` and `needs_human` too: each has a needs-human case).
    pub set_aside: u64,
    /// New cases.
    pub opened: u64,
    /// Messages that joined an open case.
    pub joined: u64,
    /// Messages waiting for a person.
    pub needs_human: u64,
    /// Our own mail coming back, filed without a draft.
    pub own: u64,
    /// Inputs that could not be read at all.
    pub unreadable: Vec<String>,
}

/// The SHA-256 of a message, lower-case hex: its address in the store.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The intro level a new draft to this reporter gets: none for a reporter
/// marked as knowing Tor, short for one who already received the full intro.
pub fn intro_for(r: Option<&ReporterRecord>) -> IntroLevel {
    match r {
        Some(r) if r.tor_aware => IntroLevel::None,
        Some(r) if r.intro_sent_at.is_some() => IntroLevel::Short,
        _ => IntroLevel::Full,
    }
}

/// One case's complaints as one: the first message's complaint (threading,
/// ticket, reporter), with every event, address and port of the others — the
/// digest a flood case's draft lists.
pub fn merge(mut items: Vec<Complaint>) -> Option<Complaint> {
    if items.is_empty() {
        return None;
    }
    let mut first = items.remove(0);
    for c in items {
        for ip in c.reported_ips {
            if !first.reported_ips.contains(&ip) {
                first.reported_ips.push(ip);
            }
        }
        for p in c.dest_ports {
            if !first.dest_ports.contains(&p) {
                first.dest_ports.push(p);
            }
        }
        for e in c.events {
            if first.events.len() >= MAX_DIGEST_EVENTS {
                break;
            }
            if !first.events.contains(&e) {
                first.events.push(e);
            }
        }
        first.no_reply_needed &= c.no_reply_needed;
    }
    Some(first)
}

impl Desk {
    /// Stores and processes every message of the inputs; `progress` is told
    /// after each batch. Messages left pending by an interrupted run are
    /// finished first.
    ///
    /// The inputs are taken in batches. A batch's raw bytes are committed
    /// first (one transaction), then read — extraction and classification,
    /// the costly pure part — on reading threads, one per core, while this
    /// thread stores the next batch and processes the batch before: its
    /// messages in intake order, in one transaction, so that a crash leaves
    /// each message either untouched (and pending: the next run finishes it)
    /// or complete. Drafts of the cases that messages opened or joined are
    /// made once, at the end of the run.
    pub async fn ingest<P: AsRef<std::path::Path>>(
        &self,
        store: &Store,
        inputs: &[P],
        now: Timestamp,
        mut progress: impl FnMut(&IngestReport),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let run = self.ingest_new(store, inputs, now, &mut report, &mut progress).await;
        // Messages an interrupted run left pending, alone and after the new
        // mail: one of them may be what interrupted it.
        let run = match run {
            Ok(()) => self.finish_pending(store, now, &mut report).await,
            Err(e) => Err(e),
        };
        run.map_err(|e| e.at(store))?;
        progress(&report);
        Ok(report)
    }

    /// The new messages of the inputs, in batches (see [`Desk::ingest`]).
    async fn ingest_new<P: AsRef<std::path::Path>>(
        &self,
        store: &Store,
        inputs: &[P],
        now: Timestamp,
        report: &mut IngestReport,
        progress: &mut impl FnMut(&IngestReport),
    ) -> Result<()> {
        let mut pool = ReadPool::start(self.reader()?, cores())?;
        let mut intake = Intake::new(inputs);
        // Sequence numbers handed to the readers so far.
        let mut next_seq = 0u64;
        loop {
            let raws = next_batch(&mut intake, report);
            let exhausted = raws.is_empty();
            let start = next_seq;
            for msg in self.store_raw_batch(store, raws, now, report).await? {
                pool.send(next_seq, msg)?;
                next_seq += 1;
            }
            // The batch before this one was read meanwhile: process it (at
            // the end, this one too).
            let done = pool.take_until(if exhausted { next_seq } else { start })?;
            self.process_batch(store, done, now, report).await?;
            progress(report);
            if exhausted {
                break;
            }
        }
        Ok(())
    }

    /// Commits the raw bytes of a batch of messages in one transaction, with
    /// a processing attempt counted for each new one; the new ones come
    /// back, in order, to be processed. Ones processed before count as
    /// duplicates; ones stored by an interrupted run and still pending are
    /// left to [`Desk::finish_pending`] (one may be what interrupted it).
    ///
    /// They are written in SHA-256 order: two runs storing the same
    /// messages take the rows' locks in the same order, so neither waits
    /// for the other in a cycle (PostgreSQL would abort one of them).
    async fn store_raw_batch(
        &self,
        store: &Store,
        raws: Vec<RawMessage>,
        now: Timestamp,
        report: &mut IngestReport,
    ) -> Result<Vec<StoredMessage>> {
        if raws.is_empty() {
            return Ok(Vec::new());
        }
        let mut msgs: Vec<(usize, StoredMessage)> = raws.into_iter().map(|r| stored(r, now)).enumerate().collect();
        msgs.sort_by(|a, b| a.1.sha256.cmp(&b.1.sha256).then(a.0.cmp(&b.0)));
        let batch = async {
            let mut tx = store.begin().await?;
            let all: Vec<&StoredMessage> = msgs.iter().map(|(_, m)| m).collect();
            let got = tx.put_messages(&all).await?;
            let new: Vec<&str> =
                all.iter().zip(&got).filter(|(_, before)| before.is_none()).map(|(m, _)| m.sha256.as_str()).collect();
            tx.start_attempts(&new).await?;
            tx.commit().await?;
            Ok::<_, AppError>(got)
        }
        .await;
        let got = match batch {
            Ok(got) => got,
            Err(e) if e.is_store_trouble() && !e.is_transient() => return Err(e),
            // One message per transaction, each tried a few times.
            Err(_) => {
                let mut got = Vec::with_capacity(msgs.len());
                for (_, msg) in &msgs {
                    got.push(retrying(|| async { self.store_raw(store, msg).await }).await?);
                }
                got
            }
        };
        let new: std::collections::HashSet<String> =
            msgs.iter().zip(&got).filter(|(_, before)| before.is_none()).map(|((_, m), _)| m.sha256.clone()).collect();
        let mut out: Vec<(usize, StoredMessage)> = Vec::with_capacity(msgs.len());
        for ((i, msg), before) in msgs.into_iter().zip(got) {
            match before {
                None => out.push((i, msg)),
                Some((true, case)) => count(report, &Ingested::Duplicate { case }),
                // The same bytes twice in one batch: the first one is processed.
                Some((false, _)) if new.contains(&msg.sha256) => count(report, &Ingested::Duplicate { case: None }),
                // Pending from an interrupted run: finished at the end, alone.
                Some((false, _)) => {}
            }
        }
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().map(|(_, m)| m).collect())
    }

    /// Processes read messages, in order, in one transaction. When that
    /// fails (on PostgreSQL, two runs claiming the same messages in another
    /// order can deadlock, and the server aborts one; or one message's
    /// processing fails), each message is processed in a transaction of its
    /// own instead, tried again while the store is busy, so that the others
    /// still go through; a message whose processing fails is set aside for
    /// a person. A full or unreachable store stops the run.
    async fn process_batch(
        &self,
        store: &Store,
        items: Vec<(StoredMessage, Classified)>,
        now: Timestamp,
        report: &mut IngestReport,
    ) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let mut got = Vec::with_capacity(items.len());
        let batch = async {
            let mut tx = store.begin().await?;
            let shas: Vec<&str> = items.iter().map(|(msg, _)| msg.sha256.as_str()).collect();
            let claimed = tx.claim_all(&shas).await?;
            for (msg, m) in &items {
                got.push(match claimed.contains(&msg.sha256) {
                    true => self.process_claimed(&mut tx, &msg.sha256, now, Some(m)).await?,
                    false => None,
                });
            }
            tx.commit().await?;
            Ok::<(), AppError>(())
        }
        .await;
        match batch {
            Ok(()) => {
                for g in &got {
                    count(report, g.as_ref().unwrap_or(&Ingested::Duplicate { case: None }));
                }
                return Ok(());
            }
            Err(e) if e.is_store_trouble() && !e.is_transient() => return Err(e),
            Err(_) => {}
        }
        for (msg, m) in &items {
            let g = match retrying(|| async { self.process(store, &msg.sha256, now, Some(m)).await }).await {
                Ok(g) => g,
                Err(e) if e.is_store_trouble() => return Err(e),
                Err(e) => {
                    report.set_aside += 1;
                    let why = format!("processing failed: {e}; kept for a human");
                    self.set_aside(store, &msg.sha256, why, now).await?
                }
            };
            count(report, g.as_ref().unwrap_or(&Ingested::Duplicate { case: None }));
        }
        Ok(())
    }

    /// Finishes the messages an interrupted run left stored but
    /// unprocessed, each alone (its attempt counted and committed before
    /// it is read), the likeliest to have interrupted it last; one whose
    /// processing began [`MAX_ATTEMPTS`] times and never completed is set
    /// aside unread, in a needs-human case. Then the drafts left out of date.
    pub async fn finish_pending(&self, store: &Store, now: Timestamp, report: &mut IngestReport) -> Result<()> {
        let mut tried = std::collections::HashSet::new();
        loop {
            let mut tx = store.begin().await?;
            let pending = tx.pending_tries(100).await?;
            tx.commit().await?;
            // A message that stays pending (another run holds it) is tried once.
            let pending: Vec<(String, i64)> =
                pending.into_iter().filter(|(sha, _)| tried.insert(sha.clone())).collect();
            if pending.is_empty() {
                break;
            }
            for (sha, attempts) in pending {
                let got = if attempts >= MAX_ATTEMPTS {
                    report.set_aside += 1;
                    let why = format!(
                        "processing did not complete in {attempts} runs (the run stopped while reading it); kept for \
                         a human: `exitdesk reprocess` reads it again"
                    );
                    self.set_aside(store, &sha, why, now).await?
                } else {
                    retrying(|| async {
                        let mut tx = store.begin().await?;
                        tx.start_attempts(&[sha.as_str()]).await?;
                        tx.commit().await?;
                        Ok(())
                    })
                    .await?;
                    match retrying(|| async { self.process(store, &sha, now, None).await }).await {
                        Ok(got) => got,
                        Err(e) if e.is_store_trouble() => return Err(e),
                        Err(e) => {
                            report.set_aside += 1;
                            self.set_aside(store, &sha, format!("processing failed: {e}; kept for a human"), now)
                                .await?
                        }
                    }
                };
                if let Some(got) = got {
                    report.recovered += 1;
                    count(report, &got);
                }
            }
        }
        self.refresh_stale(store, now).await
    }

    /// Records a stored message as processed without reading it: a
    /// needs-human case whose one problem is `why` (its bytes stay in the
    /// store; `exitdesk reprocess` reads them again). `None` when another
    /// run processed it meanwhile.
    async fn set_aside(&self, store: &Store, sha: &str, why: String, now: Timestamp) -> Result<Option<Ingested>> {
        let unread = |source: &str| -> Result<Classified> { Ok(self.reader()?.unread(source, why.clone())) };
        retrying(|| async {
            let mut tx = store.begin().await?;
            let Some(info) = tx.message_info(sha).await? else { return Ok(None) };
            if !tx.claim(sha).await? {
                return Ok(None);
            }
            let got = self.process_claimed(&mut tx, sha, now, Some(&unread(&info.source)?)).await?;
            tx.commit().await?;
            Ok(got)
        })
        .await
    }

    /// Drafts again every case a message joined since its draft was made.
    pub async fn refresh_stale(&self, store: &Store, now: Timestamp) -> Result<()> {
        let mut tx = store.begin().await?;
        let stale = tx.stale_cases().await?;
        tx.commit().await?;
        // Some cases per transaction: each case's draft is whole or not made.
        for cases in stale.chunks(BATCH_CASES) {
            retrying(|| async {
                let mut tx = store.begin().await?;
                let written = self.redraft_all(&mut tx, cases, now, SYSTEM_ACTOR, "a message joined").await?;
                let rest: Vec<i64> = cases.iter().copied().filter(|c| !written.contains(c)).collect();
                tx.clear_stale_all(&rest).await?;
                tx.commit().await?;
                Ok(())
            })
            .await?;
        }
        Ok(())
    }

    /// Stores one message (a no-op when its bytes are already stored) and processes it.
    pub async fn ingest_one(&self, store: &Store, raw: RawMessage, now: Timestamp) -> Result<Ingested> {
        let msg = stored(raw, now);
        let got = match self.store_raw(store, &msg).await? {
            Some((true, case)) => Ingested::Duplicate { case },
            _ => {
                let m = read_message(self.reader()?, &msg);
                self.process(store, &msg.sha256, now, Some(&m)).await?.unwrap_or(Ingested::Duplicate { case: None })
            }
        };
        self.refresh_stale(store, now).await?;
        Ok(got)
    }

    /// Commits a message's raw bytes, with a processing attempt counted
    /// when it is new; what was there before, as [`Tx::put_messages`] says:
    /// `None` when it is new, `Some((processed, case))` when it was stored.
    async fn store_raw(&self, store: &Store, msg: &StoredMessage) -> Result<Option<(bool, Option<i64>)>> {
        let mut tx = store.begin().await?;
        let got = tx.put_messages(&[msg]).await?.into_iter().next().flatten();
        if got.is_none() {
            tx.start_attempts(&[msg.sha256.as_str()]).await?;
        }
        tx.commit().await?;
        Ok(got)
    }

    /// Processes one stored message in one transaction (`read`: what reading
    /// its bytes gave, when already done); `None` when it was already
    /// processed (by another run).
    async fn process(
        &self,
        store: &Store,
        sha: &str,
        now: Timestamp,
        read: Option<&Classified>,
    ) -> Result<Option<Ingested>> {
        let mut tx = store.begin().await?;
        let got = self.process_in(&mut tx, sha, now, read).await?;
        if got.is_some() {
            tx.commit().await?;
        }
        Ok(got)
    }

    /// Processes one stored message inside `tx`.
    async fn process_in(
        &self,
        tx: &mut Tx,
        sha: &str,
        now: Timestamp,
        read: Option<&Classified>,
    ) -> Result<Option<Ingested>> {
        if !tx.claim(sha).await? {
            return Ok(None);
        }
        self.process_claimed(tx, sha, now, read).await
    }

    /// Processes one stored message inside `tx`, which claimed it.
    async fn process_claimed(
        &self,
        tx: &mut Tx,
        sha: &str,
        now: Timestamp,
        read: Option<&Classified>,
    ) -> Result<Option<Ingested>> {
        let owned;
        let m = match read {
            Some(m) => m,
            None => {
                let Some(msg) = tx.message(sha).await? else { return Ok(None) };
                owned = read_message(self.reader()?, &msg);
                &owned
            }
        };
        let verifications = self.verify_events(&m.complaint);
        let verdicts: Vec<Verdict> = verifications.iter().map(to_verdict).collect();
        let c = &m.complaint;
        let scenario = m.classification.scenario();
        let t = now.as_second();
        let arrived = c.date.map(|d| d.as_second()).filter(|d| *d <= t && *d > 0).unwrap_or(t);
        let operator = self.config.operator();
        if let Some(why) = own_mail(c, &operator) {
            return self.file_own(tx, sha, m, &verdicts, &why, (arrived, t)).await.map(Some);
        }
        let mut key = CaseKey::of(c, scenario);
        if operator.is_own(&key.reporter) {
            key.reporter = reporter_not_ours(c, &operator);
        }
        let mut problems = c.problems.clone();
        // A report sent to several networks, or placing its addresses in
        // several (or in one not ours): what is ours to answer for is a
        // human's call (the draft says only what is not in dispute).
        problems.extend(c.network_problem(&operator.asns()));
        let mut needs_human = !problems.is_empty();

        // The reporter's open cases, as this transaction read them.
        let mut open_records = Vec::new();
        // A reminder or a closure notice rarely restates the facts (its
        // problems say so): it still belongs to the case it follows up.
        let follows_up =
            matches!(m.classification.kind, exitdesk_model::Kind::Reminder | exitdesk_model::Kind::NotAComplaint);
        key.follow_up = follows_up;
        let decision = if (needs_human && !follows_up) || key.reporter.is_empty() {
            None
        } else {
            let since = arrived - i64::from(self.config.cases.window_days) * 86_400;
            let scenarios = if follows_up { "*" } else { scenario.as_str() };
            open_records = tx.open_cases_of(&key.reporter, key.thread.as_deref(), scenarios, since).await?;
            let open: Vec<OpenCase> = open_records.iter().map(open_case).collect();
            let recent = tx.messages_from_between(&key.reporter, arrived - 86_400, arrived).await?;
            Some(decide(&key, arrived, &open, u32::try_from(recent).unwrap_or(u32::MAX), &self.config.cases))
        };
        let decision = match decision {
            // An automatic answer (out-of-office, ticket acknowledgement,
            // bounce) belongs to the case it answers; alone it needs a person.
            _ if c.auto_response.is_some() => {
                let open = if key.reporter.is_empty() {
                    Vec::new()
                } else {
                    tx.open_cases_of(&key.reporter, key.thread.as_deref(), scenario.as_str(), 0).await?
                };
                match open.iter().max_by_key(|c| c.updated_at) {
                    Some(case) => Decision::Join { case: case.id, why: "automatic answer from the reporter".into() },
                    None => {
                        needs_human = true;
                        problems.push("an automatic answer (auto-reply or bounce) that matches no open case".into());
                        Decision::Open { flood_period: None, why: "automatic answer to no open case".into() }
                    }
                }
            }
            Some(d) => d,
            None => Decision::Open {
                flood_period: None,
                why: if needs_human {
                    format!("needs a person: {}", problems.join("; "))
                } else {
                    "the reporter's address is unknown".into()
                },
            },
        };
        if key.reporter.is_empty() && !needs_human && c.auto_response.is_none() {
            needs_human = true;
            problems.push("no address to reply to: the reporter could not be told".into());
        }

        let exits: Vec<String> = key.exits.clone();
        let ports = ports_of(c);
        let (case_id, got) = match decision {
            Decision::Join { case, why } => {
                // On SQLite this transaction holds the write lock: the case
                // read above is current. PostgreSQL reads it again, locked.
                let found = match tx.dialect() {
                    Dialect::Sqlite => open_records.iter().find(|r| r.id == case).cloned(),
                    Dialect::Postgres => None,
                };
                let found = match found {
                    Some(rec) => Some(rec),
                    None => tx.case_for_update(case).await?,
                };
                let Some(mut rec) = found else {
                    return Err(AppError::Store(format!("case {case} vanished while joining")));
                };
                let was = rec.clone();
                let before = rec.state;
                for e in &exits {
                    if !rec.exit_ips.contains(e) {
                        rec.exit_ips.push(e.clone());
                    }
                }
                rec.exit_ips.sort();
                for p in &ports {
                    if !rec.ports.contains(p) {
                        rec.ports.push(*p);
                    }
                }
                rec.ports.sort_unstable();
                rec.messages += 1;
                rec.kind = kind_after_join(rec.kind, m.classification.kind);
                rec.updated_at = t;
                rec.last_arrival = rec.last_arrival.max(arrived);
                if c.auto_response.is_none() {
                    rec.state = after_join(before);
                    if rec.deadline.is_none() || !before.before_sending() {
                        rec.deadline = deadline(c, arrived, &self.config.cases);
                    }
                }
                // A reminder raises the case's urgency: the reporter is still
                // waiting (or never got our reply), so a person looks, by the
                // reminder's own deadline when that comes sooner.
                if m.classification.kind == exitdesk_model::Kind::Reminder {
                    rec.state = CaseState::NeedsHuman;
                    if let Some(d) = deadline(c, arrived, &self.config.cases) {
                        rec.deadline = Some(rec.deadline.map_or(d, |old| old.min(d)));
                    }
                }
                // A case is drafted once per run (`refresh_stale`), however
                // many messages open or join it; until then it is new, or
                // keeps its state.
                tx.update_case_from(&was, &rec, c.auto_response.is_none().then_some(true)).await?;
                if rec.state != before {
                    tx.add_transition(case, &transition(Some(before), rec.state, t, &why)).await?;
                }
                (case, Ingested::Joined { case })
            }
            Decision::Open { flood_period, why } => {
                let party = match &c.forwarder {
                    Some(f) if !f.address.as_deref().is_some_and(|a| operator.is_own(a)) => f,
                    _ => &c.complainant,
                };
                let rec = CaseRecord {
                    id: 0,
                    state: if needs_human { CaseState::NeedsHuman } else { CaseState::New },
                    scenario: scenario.as_str().to_string(),
                    subkind: m.classification.subkind().map(str::to_string),
                    kind: m.classification.kind,
                    reporter: key.reporter.clone(),
                    reporter_name: party.name.clone().or_else(|| c.complainant.name.clone()),
                    forwarder: c.forwarder.as_ref().and_then(|f| f.address.clone()).filter(|a| !operator.is_own(a)),
                    thread: key.thread.clone(),
                    exit_ips: exits.clone(),
                    ports: ports.clone(),
                    flood_period,
                    country: country_of(&key.reporter),
                    language: c.language.clone(),
                    subject: c.subject.clone(),
                    opened_at: arrived,
                    updated_at: t,
                    last_arrival: arrived,
                    deadline: deadline(c, arrived, &self.config.cases),
                    follow_up: None,
                    first_reply_at: None,
                    messages: 1,
                };
                let id = tx.insert_case_marked(&rec, c.auto_response.is_none()).await?;
                tx.add_transition(id, &transition(None, rec.state, t, &why)).await?;
                (id, Ingested::Opened { case: id, needs_human })
            }
        };

        // The reporter's memory: who they are, how many messages.
        if !key.reporter.is_empty() && c.auto_response.is_none() {
            tx.count_reporter_message(&key.reporter, c.reply_party().name.as_deref(), arrived).await?;
        }

        let derived = Derived {
            processed_at: t,
            arrived_at: arrived,
            case_id: Some(case_id),
            reporter: (!key.reporter.is_empty()).then(|| key.reporter.clone()),
            needs_human,
            scenario: Some(scenario.as_str().to_string()),
            complaint: json(&m.complaint)?,
            classification: json(&m.classification)?,
            verdicts: json(&verdicts)?,
            problems: json(&problems)?,
        };
        tx.set_derived(sha, derived).await?;
        Ok(Some(got))
    }

    /// Files our own mail coming back (`why`: how it was recognised): with
    /// the case its `X-Exitdesk` header names, when that case exists and the
    /// message's `Message-ID` is ours too (anyone can write a header; only
    /// our reply has both), without changing the case's state or draft (a
    /// note says what came back); else kept without a case. Never a draft,
    /// never a new case, never counted for a reporter.
    async fn file_own(
        &self,
        tx: &mut Tx,
        sha: &str,
        m: &Classified,
        verdicts: &[Verdict],
        why: &str,
        (arrived, t): (i64, i64),
    ) -> Result<Ingested> {
        let c = &m.complaint;
        let operator = self.config.operator();
        let named = c
            .exitdesk_header
            .as_deref()
            .and_then(own_header_case)
            .filter(|_| c.message_id.as_deref().is_some_and(|id| is_own_message_id(id, &operator)));
        let case = match named {
            Some(id) => tx.case_for_update(id).await?,
            None => None,
        };
        let note = format!("{why}; filed without a reply");
        if let Some(mut rec) = case.clone() {
            let was = rec.clone();
            rec.messages += 1;
            rec.updated_at = t;
            rec.last_arrival = rec.last_arrival.max(arrived);
            tx.update_case_from(&was, &rec, None).await?;
            tx.add_note(rec.id, &NoteRecord { at: t, author: SYSTEM_ACTOR.to_string(), text: note.clone() }).await?;
        }
        let case_id = case.map(|r| r.id);
        let derived = Derived {
            processed_at: t,
            arrived_at: arrived,
            case_id,
            reporter: None,
            needs_human: false,
            scenario: Some(m.classification.scenario().as_str().to_string()),
            complaint: json(c)?,
            classification: json(&m.classification)?,
            verdicts: json(verdicts)?,
            problems: json(&[note])?,
        };
        tx.set_derived(sha, derived).await?;
        Ok(Ingested::Filed { case: case_id })
    }

    /// Drafts (again) the reply of a case from all its messages, as a new
    /// version, unless the operator's own edit is the newest version or the
    /// case is closed. A case whose new draft is a reply moves to drafted
    /// (a needs-human case stays there). An approved case whose draft comes
    /// out the same keeps its approval; one whose draft changed gets a new
    /// version and returns to drafted, the history saying `why`. True when
    /// it wrote the case's row, marking its draft up to date.
    pub(crate) async fn redraft(
        &self,
        tx: &mut Tx,
        case_id: i64,
        now: Timestamp,
        actor: &str,
        why: &str,
    ) -> Result<bool> {
        Ok(self.redraft_all(tx, &[case_id], now, actor, why).await?.contains(&case_id))
    }

    /// [`Desk::redraft`] for many cases at once: what drafting starts from
    /// is read in a few statements for all of them, the drafts are composed
    /// on every core and written a few dozen per statement. The cases whose
    /// row it wrote come back.
    pub(crate) async fn redraft_all(
        &self,
        tx: &mut Tx,
        ids: &[i64],
        now: Timestamp,
        actor: &str,
        why: &str,
    ) -> Result<std::collections::HashSet<i64>> {
        let mut written = std::collections::HashSet::new();
        let mut cases = tx.cases_for_update(ids).await?;
        cases.retain(|c| c.state != CaseState::Closed);
        let heads = tx.latest_draft_heads(&cases.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
        // The operator's own edit, newest and unsent, is left alone.
        cases.retain(|c| !heads.get(&c.id).is_some_and(|d| d.kind == "edited" && d.sent_at.is_none()));
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let mut facts: std::collections::HashMap<i64, Vec<(String, String)>> = std::collections::HashMap::new();
        for (case, complaint, classification) in tx.cases_facts_first(&ids, MAX_DIGEST_MESSAGES).await? {
            facts.entry(case).or_default().push((complaint, classification));
        }
        let mut addresses: Vec<&str> = cases.iter().map(|c| c.reporter.as_str()).filter(|r| !r.is_empty()).collect();
        addresses.sort_unstable();
        addresses.dedup();
        let reporters = tx.reporters(&addresses).await?;
        // What approved cases' approvals were given to (few cases: one read each).
        let mut approved = std::collections::HashMap::new();
        for c in cases.iter().filter(|c| c.state == CaseState::Approved) {
            let version = tx.approval(c.id).await?.map(|a| a.version);
            if let Some(d) = match version {
                Some(v) => tx.draft(c.id, v).await?,
                None => tx.latest_draft(c.id).await?,
            } {
                approved.insert(c.id, d);
            }
        }

        // Reading the stored facts and composing: the costly pure part
        // (the templates compiled first, once).
        self.composer()?;
        let operator = self.config.operator();
        let jobs: Vec<DraftJob<'_>> = cases
            .iter()
            .map(|c| (c.id, facts.get(&c.id).map_or(&[][..], Vec::as_slice), intro_for(reporters.get(&c.reporter))))
            .collect();
        let made = par_map(&jobs, cores(), |&(case, facts, ref intro)| -> Result<Option<(&str, String)>> {
            let Some(m) = case_complaint(facts, &operator) else { return Ok(None) };
            let opts = DraftOptions { intro: *intro, verdict: None, force: false };
            Ok(match self.draft(&m, opts, now)? {
                Outcome::Draft(mut d) => {
                    d.case = Some(case);
                    Some(("generated", json(&*d)?))
                }
                Outcome::Note(note) => Some(("note", note)),
                Outcome::Refused(_) => None,
            })
        })?;

        let t = now.as_second();
        let (mut added, mut replaced, mut moved) = (Vec::new(), Vec::new(), Vec::new());
        for (rec, made) in cases.iter().zip(made) {
            let Some((kind, text)) = made? else { continue };
            let was_approved = approved.get(&rec.id);
            if was_approved.is_some_and(|d| d.kind == kind && same_draft(&d.draft, &text)) {
                continue;
            }
            // A generated draft nobody has approved yet is brought up to
            // date in place (a flood case would otherwise keep hundreds of
            // versions); an approved version is never changed.
            let replace = heads
                .get(&rec.id)
                .filter(|d| d.sent_at.is_none() && d.kind != "edited" && !d.approved)
                .filter(|_| matches!(rec.state, CaseState::New | CaseState::NeedsHuman | CaseState::Drafted))
                .map(|d| d.version);
            let record = DraftRecord {
                case_id: rec.id,
                version: replace.unwrap_or(0),
                created_at: t,
                author: actor.to_string(),
                kind: kind.into(),
                draft: text,
                sent_at: None,
            };
            match replace {
                Some(_) => replaced.push(record),
                None => added.push(record),
            }
            if kind == "generated" && matches!(rec.state, CaseState::New) {
                let mut drafted = rec.clone();
                drafted.state = CaseState::Drafted;
                drafted.updated_at = t;
                tx.add_transition(rec.id, &transition(Some(rec.state), drafted.state, t, "reply drafted")).await?;
                written.insert(rec.id);
                moved.push((rec, drafted));
            } else if let Some(d) = was_approved {
                // Approved means approved: a changed draft needs a new approval.
                let mut drafted = rec.clone();
                drafted.state = CaseState::Drafted;
                drafted.updated_at = t;
                let reason =
                    format!("{why}: the draft changed after version {} was approved; approve it again", d.version);
                tx.add_transition(rec.id, &transition(Some(rec.state), drafted.state, t, &reason)).await?;
                written.insert(rec.id);
                moved.push((rec, drafted));
            }
        }
        tx.replace_drafts(&replaced.iter().collect::<Vec<_>>()).await?;
        tx.add_drafts(&added.iter().collect::<Vec<_>>()).await?;
        tx.update_cases_from(&moved.iter().map(|(was, drafted)| (*was, drafted)).collect::<Vec<_>>(), Some(false))
            .await?;
        Ok(written)
    }

    /// Recomputes everything derived from the stored messages after an
    /// upgrade: facts, classification and verdicts of every message, and the
    /// drafts of cases not yet sent (unless the operator's edit is newest).
    /// Cases keep their messages, states and history.
    ///
    /// A message that once stopped a run (it took more than one attempt,
    /// see [`MAX_ATTEMPTS`]) could stop this one too: such messages are read
    /// last, one at a time, after every other message is read and every
    /// case redrafted, each followed by its own case's redraft. So a
    /// message that still cannot be read costs only itself.
    pub async fn reprocess(&self, store: &Store, now: Timestamp) -> Result<(u64, u64)> {
        let mut tx = store.begin().await?;
        let all = tx.all_messages().await?;
        tx.commit().await?;
        let (ordinary, risky): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, attempts)| *attempts <= 1);
        let mut done = 0;
        let mut cases = std::collections::BTreeSet::new();
        for (sha, _) in &ordinary {
            if let Some(case) = self.reread(store, sha).await? {
                done += 1;
                cases.extend(case);
            }
        }
        let mut redrafted = self.redraft_unsent(store, &cases, now).await?;
        for (sha, _) in &risky {
            if let Some(case) = self.reread(store, sha).await? {
                done += 1;
                redrafted += self.redraft_unsent(store, &case.into_iter().collect(), now).await?;
            }
        }
        Ok((done, redrafted))
    }

    /// Reads one stored, processed message again and stores what it
    /// derives: `None` when it was never processed, else its case.
    async fn reread(&self, store: &Store, sha: &str) -> Result<Option<Option<i64>>> {
        let mut tx = store.begin().await?;
        let (Some(info), Some(msg)) = (tx.message_info(sha).await?, tx.message(sha).await?) else { return Ok(None) };
        let Some(mut d) = info.derived else {
            tx.commit().await?;
            return Ok(None);
        };
        let m = read_message(self.reader()?, &msg);
        let verdicts: Vec<Verdict> = self.verify_events(&m.complaint).iter().map(to_verdict).collect();
        d.complaint = json(&m.complaint)?;
        d.classification = json(&m.classification)?;
        d.verdicts = json(&verdicts)?;
        let mut problems = m.complaint.problems.clone();
        problems.extend(m.complaint.network_problem(&self.config.operator().asns()));
        d.problems = json(&problems)?;
        d.scenario = Some(m.classification.scenario().as_str().to_string());
        let case = d.case_id;
        tx.set_derived(sha, d).await?;
        tx.commit().await?;
        Ok(Some(case))
    }

    /// Drafts again those of `cases` not yet sent; how many.
    async fn redraft_unsent(
        &self,
        store: &Store,
        cases: &std::collections::BTreeSet<i64>,
        now: Timestamp,
    ) -> Result<u64> {
        let mut redrafted = 0;
        for &case in cases {
            let mut tx = store.begin().await?;
            let Some(rec) = tx.case(case).await? else { continue };
            if rec.state.before_sending() {
                self.redraft(&mut tx, case, now, SYSTEM_ACTOR, "messages reprocessed").await?;
                redrafted += 1;
            }
            tx.commit().await?;
        }
        Ok(redrafted)
    }
}

/// Two stored drafts say the same (their making time aside).
fn same_draft(a: &str, b: &str) -> bool {
    use exitdesk_compose::Draft;
    match (serde_json::from_str::<Draft>(a), serde_json::from_str::<Draft>(b)) {
        (Ok(mut x), Ok(y)) => {
            x.date = y.date;
            serde_json::to_string(&x).ok() == serde_json::to_string(&y).ok()
        }
        _ => a == b,
    }
}

/// Processing attempts of a message (begun, never completed: the run died)
/// after which it is set aside unread for a person.
pub const MAX_ATTEMPTS: i64 = 2;

/// What one case's draft is made from: the case, its messages' stored
/// facts (complaint, classification JSON), the intro level.
type DraftJob<'a> = (i64, &'a [(String, String)], IntroLevel);

/// Most messages in one batch (one transaction to store them, one to process them).
const BATCH_MESSAGES: usize = 64;

/// Most cases drafted in one transaction at the end of a run: what they
/// start from is read in one statement each, their drafts composed on
/// every core at once. (Each brings up to 200 messages' facts to memory.)
const BATCH_CASES: usize = 128;

/// Most raw bytes in one batch (a batch holds at least one message).
const BATCH_BYTES: usize = 16 << 20;

/// The next batch of messages from the inputs (empty at their end); inputs
/// that cannot be read are noted in the report.
fn next_batch(intake: &mut Intake, report: &mut IngestReport) -> Vec<RawMessage> {
    let mut out = Vec::new();
    let mut bytes = 0;
    while out.len() < BATCH_MESSAGES && bytes < BATCH_BYTES {
        match intake.next() {
            None => break,
            Some(Err(e)) => report.unreadable.push(unreadable(&e)),
            Some(Ok(raw)) => {
                report.read += 1;
                bytes += raw.bytes.len();
                out.push(raw);
            }
        }
    }
    out
}

/// A message as the store keeps it.
fn stored(raw: RawMessage, now: Timestamp) -> StoredMessage {
    StoredMessage {
        sha256: sha256_hex(&raw.bytes),
        source: raw.source,
        received_at: now.as_second(),
        truncated: raw.truncated,
        raw: raw.bytes,
    }
}

/// Runs a transaction again when it fails for a transient reason (a
/// deadlock or serialization failure aborts one side of it on PostgreSQL; a
/// busy SQLite file times out), up to four more times; any other error
/// comes back at once.
async fn retrying<T, F, Fut>(mut f: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut attempt = 0;
    loop {
        match f().await {
            Err(e) if e.is_transient() && attempt < 4 => {
                attempt += 1;
                // Blocking is fine: this runtime runs nothing else.
                std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
            }
            other => return other,
        }
    }
}

/// Most bytes of messages read at once: reading costs memory in proportion
/// to a message's size, so the threads read side by side only messages
/// that fit together in this budget, and a larger message alone. Peak
/// memory then depends on the message size limit, not on the number of
/// cores.
const READ_BUDGET: usize = BATCH_BYTES;

/// The bytes of the messages being read, against [`READ_BUDGET`].
#[derive(Default)]
struct Budget {
    reading: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

impl Budget {
    /// Waits until `size` bytes fit beside those being read (at once when
    /// nothing is), and counts them.
    fn take(&self, size: usize) {
        let Ok(mut reading) = self.reading.lock() else { return };
        while *reading > 0 && *reading + size > READ_BUDGET {
            reading = match self.freed.wait(reading) {
                Ok(r) => r,
                Err(_) => return,
            };
        }
        *reading += size;
    }

    /// Gives `size` bytes back.
    fn give(&self, size: usize) {
        if let Ok(mut reading) = self.reading.lock() {
            *reading = reading.saturating_sub(size);
        }
        self.freed.notify_all();
    }
}

/// Reading threads: stored messages in, with sequence numbers; read
/// messages out (without their bytes, which are stored), given back in
/// sequence order.
struct ReadPool {
    jobs: Option<std::sync::mpsc::Sender<(u64, StoredMessage)>>,
    results: std::sync::mpsc::Receiver<(u64, StoredMessage, Classified)>,
    /// Results that came back before the ones due.
    early: std::collections::BTreeMap<u64, (StoredMessage, Classified)>,
    /// The next sequence number to give back.
    next: u64,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl ReadPool {
    fn start(reader: &std::sync::Arc<Reader>, n: usize) -> Result<ReadPool> {
        let (jobs, queue) = std::sync::mpsc::channel::<(u64, StoredMessage)>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        let (done, results) = std::sync::mpsc::channel();
        let budget = std::sync::Arc::new(Budget::default());
        let mut threads = Vec::new();
        for i in 0..n {
            let (reader, queue, done) = (std::sync::Arc::clone(reader), std::sync::Arc::clone(&queue), done.clone());
            let budget = std::sync::Arc::clone(&budget);
            let t = std::thread::Builder::new()
                .name(format!("exitdesk-read-{i}"))
                .spawn(move || {
                    // A thread's own copy: the compiled patterns are shared,
                    // their search caches not (a regex shared by threads
                    // hands its caches out under a lock to all but one).
                    let reader = Reader::clone(&reader);
                    loop {
                        // The lock is held only while taking a job.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => break,
                        };
                        let Ok((seq, mut msg)) = job else { break };
                        let size = msg.raw.len();
                        budget.take(size);
                        let m = read_message(&reader, &msg);
                        budget.give(size);
                        msg.raw = Vec::new();
                        if done.send((seq, msg, m)).is_err() {
                            break;
                        }
                    }
                })
                .map_err(|e| AppError::Store(format!("cannot start a reading thread: {e}")))?;
            threads.push(t);
        }
        Ok(ReadPool { jobs: Some(jobs), results, early: Default::default(), next: 0, threads })
    }

    fn send(&self, seq: u64, msg: StoredMessage) -> Result<()> {
        self.jobs
            .as_ref()
            .and_then(|j| j.send((seq, msg)).ok())
            .ok_or_else(|| AppError::Store("the reading threads stopped".into()))
    }

    /// Every read message numbered below `end`, in order (waiting for them).
    fn take_until(&mut self, end: u64) -> Result<Vec<(StoredMessage, Classified)>> {
        let mut out = Vec::new();
        while self.next < end {
            if let Some(item) = self.early.remove(&self.next) {
                out.push(item);
                self.next += 1;
                continue;
            }
            let (seq, msg, m) =
                self.results.recv().map_err(|_| AppError::Store("the reading threads stopped".into()))?;
            self.early.insert(seq, (msg, m));
        }
        Ok(out)
    }
}

impl Drop for ReadPool {
    fn drop(&mut self) {
        self.jobs = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Extracts and classifies a stored message.
fn read_message(reader: &Reader, msg: &StoredMessage) -> Classified {
    abort_on_test_marker(&msg.raw);
    let mut m = reader.read(&msg.raw, &msg.source);
    if msg.truncated {
        m.complaint.problems.insert(0, "the message is larger than 64 MiB; only the first 64 MiB were read".into());
    }
    m
}

/// A fault hook for the tests of crash recovery, compiled into debug
/// builds only: the process aborts, as an out-of-memory kill would, while
/// reading a message whose bytes contain `$EXITDESK_TEST_ABORT_ON` (at
/// least 16 bytes, so that no real mail trips it by chance).
#[cfg(debug_assertions)]
fn abort_on_test_marker(raw: &[u8]) {
    let Some(marker) = std::env::var_os("EXITDESK_TEST_ABORT_ON") else { return };
    let marker = marker.as_encoded_bytes();
    if marker.len() >= 16 && raw.windows(marker.len()).any(|w| w == marker) {
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
fn abort_on_test_marker(_: &[u8]) {}

fn count(report: &mut IngestReport, got: &Ingested) {
    match got {
        Ingested::Opened { needs_human, .. } => {
            report.stored += 1;
            report.opened += 1;
            if *needs_human {
                report.needs_human += 1;
            }
        }
        Ingested::Joined { .. } => {
            report.stored += 1;
            report.joined += 1;
        }
        Ingested::Filed { .. } => {
            report.stored += 1;
            report.own += 1;
        }
        Ingested::Duplicate { .. } => report.duplicates += 1,
    }
}

/// The reporter's address when the one a case would be keyed by is our
/// own: the reporter's when the forwarder is us (the operator forwarded the
/// complaint), the `From` address when `Reply-To` is ours; empty when every
/// address is ours.
fn reporter_not_ours(c: &Complaint, operator: &exitdesk_compose::OperatorConfig) -> String {
    let mut parties = vec![c.reply_party()];
    if c.forwarder.is_some() {
        parties.push(&c.complainant);
    }
    parties
        .into_iter()
        .flat_map(|p| [p.reply_to.as_deref(), p.address.as_deref()])
        .flatten()
        .map(|a| a.trim().to_ascii_lowercase())
        .find(|a| !a.is_empty() && !operator.is_own(a))
        .unwrap_or_default()
}

fn unreadable(e: &IntakeError) -> String {
    e.to_string()
}

fn open_case(r: &CaseRecord) -> OpenCase {
    OpenCase {
        id: r.id,
        reporter: r.reporter.clone(),
        thread: r.thread.clone(),
        exits: r.exit_ips.clone(),
        scenario: Scenario::from_id(&r.scenario).unwrap_or(Scenario::Other),
        state: r.state,
        last_arrival: r.last_arrival,
        flood_period: r.flood_period.clone(),
    }
}

fn ports_of(c: &Complaint) -> Vec<u16> {
    let mut ports: Vec<u16> = c.dest_ports.clone();
    ports.extend(c.events.iter().filter_map(|e| e.dest_port));
    ports.sort_unstable();
    ports.dedup();
    ports.truncate(50);
    ports
}

/// A transition recorded by exitdesk itself.
pub(crate) fn transition(from: Option<CaseState>, to: CaseState, at: i64, why: &str) -> Transition {
    Transition { from, to, actor: SYSTEM_ACTOR.into(), at, reason: why.chars().take(500).collect() }
}

pub(crate) fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| AppError::Store(format!("cannot serialise: {e}")))
}

/// A case's complaints as one classified complaint (see [`merge`]), from
/// the stored facts of its messages, `(complaint, classification)` JSON;
/// the classification is the first message's. Automatic answers, our own
/// mail that came back and facts that no longer read are left out.
fn case_complaint(facts: &[(String, String)], operator: &exitdesk_compose::OperatorConfig) -> Option<Classified> {
    let mut complaints = Vec::new();
    let mut classification: Option<Classification> = None;
    for (complaint, classified) in facts {
        let Ok(c) = serde_json::from_str::<Complaint>(complaint) else { continue };
        let k: Option<Classification> = serde_json::from_str(classified).ok();
        // A bounce, or an auto-reply that is no complaint or accuses nobody,
        // is filed only; a ticket system's complaint marked `auto-replied`
        // is still a complaint (compose decides the same way).
        let accuses = !c.reported_ips.is_empty() || !c.events.is_empty();
        let noise = match c.auto_response {
            Some(exitdesk_model::AutoResponse::Bounce) => true,
            Some(exitdesk_model::AutoResponse::AutoReply) => {
                !accuses || k.as_ref().is_none_or(|k| k.kind == exitdesk_model::Kind::NotAComplaint)
            }
            None => false,
        };
        if noise || own_mail(&c, operator).is_some() {
            continue;
        }
        if classification.is_none() {
            classification = k;
        }
        complaints.push(c);
    }
    let classification = classification?;
    merge(complaints).map(|complaint| Classified { complaint, classification })
}

/// Threads for the pure work of a run (reading, composing): one per core, at most four.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4)
}

/// `f` of every item, in order, on up to `threads` threads.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Result<Vec<R>> {
    if threads <= 1 || items.len() <= 1 {
        return Ok(items.iter().map(f).collect());
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let done = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(items.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut got = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        got.push((i, f(item)));
                    }
                    got
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join()).collect::<Vec<_>>()
    });
    for got in done {
        let got = got.map_err(|_| AppError::Store("a drafting thread stopped".into()))?;
        for (i, r) in got {
            out[i] = Some(r);
        }
    }
    out.into_iter().map(|r| r.ok_or_else(|| AppError::Store("a drafting thread stopped".into()))).collect()
}
