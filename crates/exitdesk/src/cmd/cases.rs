//! The case workflow: `ingest`, `queue`, `show`, `draft CASE`, `approve`,
//! `send`, `note`, `close`, `reopen`, `followups`, `reporter`, `stats`,
//! `report transparency`, `reprocess`. The app's use-cases are async (the
//! store is); each command runs them on a one-thread runtime.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exitdesk_app::{CaseView, Desk, IngestReport, draft_of, open_store, outbox_dir, readable_draft, sanitize};
use exitdesk_cases::By;
use exitdesk_model::{CaseState, Classification, Clock, Complaint, Kind, Verdict, format_utc};
use exitdesk_store::{CaseFilter, CaseRecord, Store};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;

use crate::cli::{ReportAction, ReporterAction};
use crate::out::{emit, fail};

/// A one-thread runtime for the store's async code.
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(fail)
}

/// Runs `f` with the opened store.
pub(crate) fn with_store<F>(desk: &Desk, data_dir: &Path, f: F) -> ExitCode
where
    F: AsyncFnOnce(&Store) -> ExitCode,
{
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    rt.block_on(async {
        let url = std::env::var_os("EXITDESK_STORE_URL").and_then(|v| v.into_string().ok());
        let store = match open_store(&desk.config, data_dir, url.as_deref()).await {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        let code = f(&store).await;
        store.close().await;
        code
    })
}

/// Who is acting: `$EXITDESK_OPERATOR`, else the configured operator, else `$USER`.
pub(crate) fn actor(desk: &Desk) -> String {
    if let Some(a) =
        std::env::var_os("EXITDESK_OPERATOR").and_then(|v| v.into_string().ok()).filter(|a| !a.trim().is_empty())
    {
        return sanitize(a.trim());
    }
    if let Some(o) = &desk.config.operator {
        return sanitize(&o.name);
    }
    std::env::var_os("USER")
        .and_then(|v| v.into_string().ok())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "operator".into())
}

/// Parses a case id (`12` or `#12`).
pub(crate) fn case_id(s: &str) -> Result<i64, ExitCode> {
    s.trim().trim_start_matches('#').parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        eprintln!("exitdesk: {s:?} is not a case id (a number, as `exitdesk queue` shows)");
        ExitCode::from(2)
    })
}

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

fn when(t: i64) -> String {
    Timestamp::from_second(t).map(format_utc).unwrap_or_else(|_| t.to_string())
}

/// "in 5 h", "3 h overdue".
fn relative(deadline: i64, now: i64) -> String {
    let d = deadline - now;
    let (n, unit) = if d.abs() >= 2 * 86_400 { (d.abs() / 86_400, "d") } else { (d.abs() / 3600, "h") };
    if d >= 0 { format!("in {n} {unit}") } else { format!("{n} {unit} overdue") }
}

// ---- ingest -------------------------------------------------------------

pub(crate) fn ingest(desk: &Desk, data_dir: &Path, clock: &dyn Clock, paths: &[PathBuf]) -> ExitCode {
    let now = clock.now();
    with_store(desk, data_dir, async |store| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let report = desk
            .ingest(store, paths, now, |r: &IngestReport| {
                if r.read.is_multiple_of(25) {
                    bar.set_message(format!("{} messages read, {} new cases, {} joined", r.read, r.opened, r.joined));
                    bar.tick();
                }
            })
            .await;
        bar.finish_and_clear();
        let report = match report {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        for u in &report.unreadable {
            eprintln!("exitdesk: {u}");
        }
        let mut s = String::new();
        let _ = writeln!(s, "ingested {} message(s)", report.read);
        let rows = [
            ("new cases", report.opened),
            ("joined an open case", report.joined),
            ("needing a human", report.needs_human),
            ("our own mail come back (filed, no reply)", report.own),
            ("already stored (unchanged)", report.duplicates),
            ("finished from an interrupted run", report.recovered),
            ("set aside unread (see `exitdesk queue --state needs-human`)", report.set_aside),
            ("unreadable inputs", report.unreadable.len() as u64),
        ];
        for (what, n) in rows {
            let _ = writeln!(s, "  {n:>7}  {what}");
        }
        if report.opened + report.joined > 0 {
            let _ = writeln!(s, "next: `exitdesk queue`");
        }
        let code = emit(&s);
        if code != ExitCode::SUCCESS {
            return code;
        }
        if !report.unreadable.is_empty() {
            ExitCode::from(2)
        } else if report.needs_human > 0 || report.read == 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    })
}

pub(crate) fn reprocess(desk: &Desk, data_dir: &Path, clock: &dyn Clock) -> ExitCode {
    let now = clock.now();
    with_store(desk, data_dir, async |store| match desk.reprocess(store, now).await {
        Ok((0, _)) => {
            eprintln!("exitdesk: the store holds no messages yet (`exitdesk ingest PATH` adds some)");
            ExitCode::from(1)
        }
        Ok((n, d)) => emit(&format!("reprocessed {n} message(s); {d} case draft(s) brought up to date\n")),
        Err(e) => fail(e),
    })
}

// ---- queue --------------------------------------------------------------

/// How many cases the queue table shows by default: the most urgent.
const QUEUE_PAGE: i64 = 50;

pub(crate) struct QueueArgs {
    pub(crate) states: Vec<String>,
    pub(crate) scenario: Option<String>,
    pub(crate) reporter: Option<String>,
    pub(crate) exit: Option<String>,
    pub(crate) all: bool,
    pub(crate) limit: Option<u32>,
    pub(crate) json: bool,
}

fn case_json(c: &CaseRecord) -> serde_json::Value {
    let ts = |t: Option<i64>| t.map(when);
    serde_json::json!({
        "id": c.id,
        "state": c.state.as_str(),
        "scenario": c.scenario,
        "subkind": c.subkind,
        "kind": c.kind.as_str(),
        "deadline": ts(c.deadline),
        "reporter": c.reporter,
        "forwarder": c.forwarder,
        "ticket_id": c.thread,
        "exit_ips": c.exit_ips,
        "ports": c.ports,
        "messages": c.messages,
        "opened_at": when(c.opened_at),
        "updated_at": when(c.updated_at),
        "follow_up": ts(c.follow_up),
        "first_reply_at": ts(c.first_reply_at),
        "flood_period": c.flood_period,
        "country": c.country,
    })
}

pub(crate) fn queue(desk: &Desk, data_dir: &Path, clock: &dyn Clock, a: QueueArgs) -> ExitCode {
    let mut states = Vec::new();
    for s in &a.states {
        match CaseState::from_name(s) {
            Some(st) => states.push(st),
            None => {
                let all: Vec<&str> = CaseState::ALL.iter().map(|s| s.as_str()).collect();
                return fail(format!("unknown state {s:?}; one of: {}", all.join(", ")));
            }
        }
    }
    if let Some(s) = &a.scenario {
        if exitdesk_model::Scenario::from_id(s).is_none() {
            return fail(format!("unknown scenario {s:?} (`exitdesk classify --help` lists them)"));
        }
    }
    let filter = CaseFilter {
        states,
        include_closed: a.all,
        scenario: a.scenario.as_deref().and_then(exitdesk_model::Scenario::from_id).map(|s| s.as_str().to_string()),
        reporter: a.reporter.clone(),
        exit: a.exit.as_deref().and_then(exitdesk_app::parse_ip_text),
        limit: match (a.limit, a.json) {
            (Some(0), _) | (None, true) => None,
            (Some(n), _) => Some(i64::from(n)),
            (None, false) => Some(QUEUE_PAGE),
        },
        ..CaseFilter::default()
    };
    let now = clock.now();
    with_store(desk, data_dir, async |store| {
        let q = match desk.queue(store, &filter, now).await {
            Ok(q) => q,
            Err(e) => return fail(e),
        };
        if a.json {
            let mut s = String::new();
            for c in &q.cases {
                let _ = writeln!(s, "{}", case_json(c));
            }
            let code = emit(&s);
            return if q.cases.is_empty() && code == ExitCode::SUCCESS { ExitCode::from(1) } else { code };
        }
        if q.counts.is_empty() {
            eprintln!("exitdesk: no cases yet; `exitdesk ingest PATH...` reads complaints into the store");
            return ExitCode::from(1);
        }
        let text = render_queue(&q.cases, &q.counts, now.as_second(), color());
        let code = emit(&text);
        if q.cases.is_empty() && code == ExitCode::SUCCESS { ExitCode::from(1) } else { code }
    })
}

fn render_queue(cases: &[CaseRecord], counts: &[(CaseState, i64)], now: i64, on: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:>5}  {:<13}  {:<16}  {:<8}  {:<24}  {:<18}  {:<28}  {:>4}",
        "CASE", "STATE", "DEADLINE", "KIND", "SCENARIO", "EXIT", "REPORTER", "MSGS"
    );
    for c in cases {
        let deadline = match c.deadline {
            Some(d) if c.state.before_sending() => relative(d, now),
            Some(_) => "replied".into(),
            None => "-".into(),
        };
        let overdue = c.state.before_sending() && c.deadline.is_some_and(|d| d < now);
        let soon = c.state.before_sending() && c.deadline.is_some_and(|d| d >= now && d - now < 6 * 3600);
        let deadline = format!("{deadline:<16}");
        let deadline = if overdue {
            paint(on, "1;31", &deadline)
        } else if soon {
            paint(on, "33", &deadline)
        } else {
            deadline
        };
        let state = format!("{:<13}", c.state.as_str());
        let state = match c.state {
            CaseState::NeedsHuman => paint(on, "35", &state),
            CaseState::FollowUpDue => paint(on, "36", &state),
            CaseState::Approved => paint(on, "32", &state),
            _ => state,
        };
        let kind = format!("{:<8}", kind_label(c.kind));
        let kind = if c.kind == Kind::LawEnforcement { paint(on, "1;35", &kind) } else { kind };
        let scenario = match &c.subkind {
            Some(k) => format!("{}/{k}", c.scenario),
            None => c.scenario.clone(),
        };
        let exit = match c.exit_ips.len() {
            0 => "-".to_string(),
            1 => c.exit_ips[0].clone(),
            n => format!("{} +{}", c.exit_ips[0], n - 1),
        };
        let reporter = if c.reporter.is_empty() { "(unknown)".to_string() } else { sanitize(&c.reporter) };
        let _ = writeln!(
            s,
            "{:>5}  {state}  {deadline}  {kind}  {:<24}  {:<18}  {:<28}  {:>4}",
            c.id,
            cut(&scenario, 24),
            cut(&exit, 18),
            cut(&reporter, 28),
            c.messages
        );
    }
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts.iter().map(|(st, n)| format!("{n} {st}")).collect();
    let more = if cases.len() as i64 == QUEUE_PAGE { " (the most urgent; --limit 0 shows all)" } else { "" };
    let _ = writeln!(s, "\n{} shown{more}; {total} case(s) in the store: {}", cases.len(), parts.join(", "));
    s
}

/// A case's kind in the queue's short column (`show` and `--json` give the id).
fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Traffic => "traffic",
        Kind::Hosted => "hosted",
        Kind::LawEnforcement => "law-enf",
        Kind::Reminder => "reminder",
        Kind::NotAComplaint => "no-compl",
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}

// ---- show ---------------------------------------------------------------

pub(crate) fn show(desk: &Desk, data_dir: &Path, id: &str, json: bool) -> ExitCode {
    let id = match case_id(id) {
        Ok(i) => i,
        Err(c) => return c,
    };
    with_store(desk, data_dir, async |store| match desk.show(store, id).await {
        Ok(v) => {
            if json {
                emit(&format!("{}\n", view_json(&v)))
            } else {
                emit(&render_view(&v))
            }
        }
        Err(e) => not_found_or_fail(e),
    })
}

fn not_found_or_fail(e: exitdesk_app::AppError) -> ExitCode {
    match e {
        exitdesk_app::AppError::NotFound(m) | exitdesk_app::AppError::Refused(m) => {
            eprintln!("exitdesk: {m}");
            ExitCode::from(1)
        }
        e => fail(e),
    }
}

fn view_json(v: &CaseView) -> serde_json::Value {
    let messages: Vec<serde_json::Value> = v
        .messages
        .iter()
        .map(|m| {
            let d = m.derived.as_ref();
            let parse = |s: Option<&String>| -> serde_json::Value {
                s.and_then(|s| serde_json::from_str(s).ok()).unwrap_or(serde_json::Value::Null)
            };
            serde_json::json!({
                "sha256": m.sha256,
                "source": m.source,
                "received_at": when(m.received_at),
                "size": m.size,
                "needs_human": d.map(|d| d.needs_human),
                "problems": parse(d.map(|d| &d.problems)),
                "complaint": parse(d.map(|d| &d.complaint)),
                "classification": parse(d.map(|d| &d.classification)),
                "verdicts": parse(d.map(|d| &d.verdicts)),
            })
        })
        .collect();
    let drafts: Vec<serde_json::Value> = v
        .drafts
        .iter()
        .map(|d| {
            serde_json::json!({
                "version": d.version,
                "kind": d.kind,
                "author": d.author,
                "created_at": when(d.created_at),
                "sent_at": d.sent_at.map(when),
                "text": match draft_of(d) { Ok(Some(r)) => readable_draft(&r), _ => d.draft.clone() },
            })
        })
        .collect();
    serde_json::json!({
        "case": case_json(&v.case),
        "messages": messages,
        "history": v.history.iter().map(|t| serde_json::json!({
            "at": when(t.at), "from": t.from.map(|s| s.as_str()), "to": t.to.as_str(), "actor": t.actor, "reason": t.reason,
        })).collect::<Vec<_>>(),
        "notes": v.notes.iter().map(|n| serde_json::json!({"at": when(n.at), "author": n.author, "text": n.text})).collect::<Vec<_>>(),
        "drafts": drafts,
    })
}

fn render_view(v: &CaseView) -> String {
    let c = &v.case;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "case {}  [{}]  {}",
        c.id,
        c.state,
        c.subkind.as_ref().map(|k| format!("{}/{k}", c.scenario)).unwrap_or(c.scenario.clone())
    );
    let _ = writeln!(s, "  kind:       {}", c.kind);
    if let Some(subj) = &c.subject {
        let _ = writeln!(s, "  subject:    {}", sanitize(subj));
    }
    let reporter = match &c.reporter_name {
        Some(n) => format!("{} <{}>", sanitize(n), sanitize(&c.reporter)),
        None => sanitize(&c.reporter),
    };
    let _ = writeln!(s, "  reporter:   {}", if reporter.is_empty() { "(unknown)".into() } else { reporter });
    if let Some(f) = &c.forwarder {
        let _ = writeln!(s, "  forwarder:  {}", sanitize(f));
    }
    if let Some(t) = &c.thread {
        let _ = writeln!(s, "  ticket:     {}", sanitize(t));
    }
    let _ = writeln!(s, "  exits:      {}", if c.exit_ips.is_empty() { "-".into() } else { c.exit_ips.join(", ") });
    if !c.ports.is_empty() {
        let ports: Vec<String> = c.ports.iter().map(u16::to_string).collect();
        let _ = writeln!(s, "  ports:      {}", ports.join(", "));
    }
    let _ = writeln!(s, "  opened:     {}", when(c.opened_at));
    let _ = writeln!(s, "  deadline:   {}", c.deadline.map(when).unwrap_or_else(|| "none".into()));
    if let Some(f) = c.follow_up {
        let _ = writeln!(s, "  follow-up:  {}", when(f));
    }
    if let Some(p) = &c.flood_period {
        let _ = writeln!(s, "  flood:      one digest case for {p}");
    }
    if let Some(r) = &v.reporter {
        let intro = match (r.tor_aware, r.intro_sent_at) {
            (true, _) => "marked Tor-aware: no intro".to_string(),
            (false, Some(t)) => format!("full intro sent {}: short intro next", when(t)),
            (false, None) => "never received the Tor intro".to_string(),
        };
        let _ = writeln!(s, "  memory:     {} message(s) from them; {intro}", r.messages);
    }

    let _ = writeln!(s, "\nmessages ({}):", v.messages.len());
    for m in &v.messages {
        let _ = writeln!(
            s,
            "  {}  {}  {} bytes  {}",
            &m.sha256[..12.min(m.sha256.len())],
            when(m.received_at),
            m.size,
            sanitize(&m.source)
        );
        let Some(d) = &m.derived else {
            let _ = writeln!(s, "      (not processed yet)");
            continue;
        };
        if let Ok(problems) = serde_json::from_str::<Vec<String>>(&d.problems) {
            for p in problems {
                let _ = writeln!(s, "      problem: {}", sanitize(&p));
            }
        }
        if let Ok(cp) = serde_json::from_str::<Complaint>(&d.complaint) {
            for e in cp.events.iter().take(5) {
                let time = e
                    .time_utc
                    .map(format_utc)
                    .or_else(|| e.time_local.map(|l| format!("{} (zone unknown)", exitdesk_model::format_local(l))))
                    .unwrap_or_else(|| "no time".into());
                let ip = e.ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into());
                let port = e.dest_port.map(|p| format!(" → port {p}")).unwrap_or_default();
                let _ = writeln!(s, "      event: {ip} at {time}{port}");
            }
            if cp.events.len() > 5 {
                let _ = writeln!(s, "      … and {} more event(s)", cp.events.len() - 5);
            }
        }
        if let Ok(vs) = serde_json::from_str::<Vec<Verdict>>(&d.verdicts) {
            for v in vs.iter().take(5) {
                let what = [v.nickname.as_deref(), v.consensus.as_deref(), v.policy.as_deref()]
                    .iter()
                    .flatten()
                    .map(|x| sanitize(x))
                    .collect::<Vec<_>>()
                    .join("; ");
                let ip = v.ip.map(|i| i.to_string()).unwrap_or_default();
                let _ = writeln!(s, "      verdict: {ip} {} {}", v.kind.as_str(), what);
            }
        }
        if let Ok(cl) = serde_json::from_str::<Classification>(&d.classification) {
            let labels: Vec<String> = cl.labels.iter().map(|l| l.id()).collect();
            let _ = writeln!(s, "      classified: {} (confidence {:.2})", labels.join(", "), cl.confidence);
            for sig in cl.signals.iter().take(6) {
                let _ = writeln!(s, "        {:.2}  {:<28} {}", sig.weight, sig.rule, sanitize(&sig.matched));
            }
        }
    }
    if !v.notes.is_empty() {
        let _ = writeln!(s, "\nnotes:");
        for n in &v.notes {
            let _ = writeln!(s, "  {}  {}: {}", when(n.at), sanitize(&n.author), sanitize(&n.text));
        }
    }
    let _ = writeln!(s, "\nhistory:");
    for t in &v.history {
        let from = t.from.map(|f| format!("{f} → ")).unwrap_or_default();
        let _ = writeln!(s, "  {}  {from}{}  by {}: {}", when(t.at), t.to, sanitize(&t.actor), sanitize(&t.reason));
    }
    match v.drafts.last() {
        Some(d) => {
            let sent = d.sent_at.map(|t| format!(", sent {}", when(t))).unwrap_or_default();
            let _ = writeln!(s, "\ndraft version {} ({}, by {}{sent}):\n", d.version, d.kind, sanitize(&d.author));
            match draft_of(d) {
                Ok(Some(r)) => s.push_str(&readable_draft(&r)),
                Ok(None) => s.push_str(&d.draft),
                Err(e) => {
                    let _ = writeln!(s, "(damaged: {e})");
                }
            }
        }
        None => {
            let _ = writeln!(s, "\nno draft");
        }
    }
    s
}

// ---- draft CASE ---------------------------------------------------------

pub(crate) fn draft_case(
    desk: &Desk,
    data_dir: &Path,
    clock: &dyn Clock,
    id: i64,
    edit: bool,
    regenerate: bool,
    eml: bool,
) -> ExitCode {
    let now = clock.now();
    let who = actor(desk);
    with_store(desk, data_dir, async |store| {
        if regenerate {
            if let Err(e) = desk.regenerate(store, id, &who, now).await {
                return not_found_or_fail(e);
            }
        }
        let (record, reply) = match desk.current_draft(store, id).await {
            Ok(d) => d,
            Err(e) => return not_found_or_fail(e),
        };
        let Some(reply) = reply else {
            eprintln!("exitdesk: case {id} needs no reply; its note:");
            return emit(&record.draft);
        };
        if !edit {
            if eml {
                return match reply.to_message() {
                    Ok(b) => emit(&String::from_utf8_lossy(&b)),
                    Err(e) => fail(e),
                };
            }
            for w in &reply.warnings {
                eprintln!("exitdesk: case {id}: warning: {w}");
            }
            return emit(&readable_draft(&reply));
        }
        let text = readable_draft(&reply);
        let edited = match run_editor(data_dir, id, &text) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        if edited.replace("\r\n", "\n").trim_end() == text.trim_end() {
            eprintln!("exitdesk: case {id}: no change; the draft stays version {}", record.version);
            return ExitCode::from(1);
        }
        match desk.edit_draft(store, id, &edited, &who, now).await {
            Ok(v) => {
                eprintln!(
                    "exitdesk: case {id}: your edit is draft version {v}; `exitdesk approve {id}` when it is ready"
                );
                ExitCode::SUCCESS
            }
            Err(e) => not_found_or_fail(e),
        }
    })
}

/// Opens the text in `$VISUAL` / `$EDITOR` (default `vi`) in a private
/// temporary file, and returns what was saved.
fn run_editor(data_dir: &Path, id: i64, text: &str) -> Result<String, String> {
    use std::io::Write;
    let editor = std::env::var_os("VISUAL")
        .and_then(|v| v.into_string().ok())
        .filter(|e| !e.trim().is_empty())
        .or_else(|| std::env::var_os("EDITOR").and_then(|v| v.into_string().ok()).filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    let dir = data_dir.join("edit");
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("case-{id}-{}.txt", std::process::id()));
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    drop(f);
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program).args(parts).arg(&path).status();
    let result = match status {
        Ok(st) if st.success() => std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display())),
        Ok(st) => Err(format!("the editor {program:?} exited with {st}; the draft is unchanged")),
        Err(e) => Err(format!("cannot start the editor {program:?} ($VISUAL / $EDITOR): {e}")),
    };
    let _ = std::fs::remove_file(&path);
    result
}

// ---- approve, send, note, close, reopen, followups ------------------------

pub(crate) enum Step {
    Approve,
    Send,
    Note(String),
    Close(Option<String>),
    Reopen(Option<String>),
}

pub(crate) fn step(desk: &Desk, data_dir: &Path, clock: &dyn Clock, id: &str, what: Step) -> ExitCode {
    let id = match case_id(id) {
        Ok(i) => i,
        Err(c) => return c,
    };
    let now = clock.now();
    let who = actor(desk);
    let outbox = outbox_dir(&desk.config, data_dir);
    with_store(desk, data_dir, async |store| {
        let done = match &what {
            Step::Approve => desk
                .approve(store, id, &who, now)
                .await
                .map(|()| format!("case {id} approved; `exitdesk send {id}` sends it\n")),
            Step::Send => desk.send(store, id, &outbox, &who, now).await.map(|s| {
                let mut m = String::new();
                if s.resumed {
                    m.push_str(&format!(
                        "case {id}: finished the send of version {} that an earlier run began\n",
                        s.version
                    ));
                }
                m.push_str(&format!("case {id}: reply written to {}\n", s.path.display()));
                if let Some(f) = s.follow_up {
                    m.push_str(&format!("follow-up planned for {}\n", when(f)));
                }
                m
            }),
            Step::Note(text) => {
                desk.note(store, id, text, &who, now).await.map(|()| format!("case {id}: note added\n"))
            }
            Step::Close(why) => {
                desk.close(store, id, why.as_deref(), &who, now).await.map(|()| format!("case {id} closed\n"))
            }
            Step::Reopen(why) => desk
                .reopen(store, id, why.as_deref(), &who, now)
                .await
                .map(|()| format!("case {id} reopened (needs-human)\n")),
        };
        match done {
            Ok(m) => emit(&m),
            Err(e) => not_found_or_fail(e),
        }
    })
}

pub(crate) fn followups(desk: &Desk, data_dir: &Path, clock: &dyn Clock, json: bool) -> ExitCode {
    let now = clock.now();
    with_store(desk, data_dir, async |store| {
        let cases = match desk.followups(store, now).await {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        if cases.is_empty() {
            eprintln!("exitdesk: no follow-ups planned");
            return ExitCode::from(1);
        }
        let mut s = String::new();
        for c in &cases {
            if json {
                let _ = writeln!(s, "{}", case_json(c));
            } else {
                let due =
                    c.follow_up.map(|f| format!("{} ({})", when(f), relative(f, now.as_second()))).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "{:>5}  {:<13}  {due}  {}  {}",
                    c.id,
                    c.state.as_str(),
                    c.scenario,
                    sanitize(&c.reporter)
                );
            }
        }
        emit(&s)
    })
}

// ---- reporter -------------------------------------------------------------

pub(crate) fn reporter(desk: &Desk, data_dir: &Path, clock: &dyn Clock, action: ReporterAction) -> ExitCode {
    let now = clock.now();
    with_store(desk, data_dir, async |store| {
        let r = match &action {
            ReporterAction::Show { address } => match desk.reporter(store, address).await {
                Ok(r) => {
                    let mut s = String::new();
                    let _ = writeln!(s, "{}", sanitize(&r.address));
                    if let Some(n) = &r.name {
                        let _ = writeln!(s, "  name:        {}", sanitize(n));
                    }
                    let _ = writeln!(s, "  first seen:  {}", when(r.first_seen));
                    let _ = writeln!(s, "  messages:    {}", r.messages);
                    let _ = writeln!(
                        s,
                        "  Tor-aware:   {}",
                        if r.tor_aware { "yes (replies carry no intro)" } else { "no" }
                    );
                    let _ = writeln!(
                        s,
                        "  intro sent:  {}",
                        r.intro_sent_at
                            .map(|t| format!("{} (replies now carry the short intro)", when(t)))
                            .unwrap_or_else(|| "never".into())
                    );
                    let _ = writeln!(s, "  language:    {}", r.language.as_deref().unwrap_or("not set"));
                    return emit(&s);
                }
                Err(e) => Err(e),
            },
            ReporterAction::MarkTorAware { address, undo } => {
                desk.mark_tor_aware(store, address, !undo, now).await.map(|()| {
                    if *undo {
                        format!("{address}: no longer marked Tor-aware\n")
                    } else {
                        format!("{address}: marked Tor-aware; replies to them carry no intro\n")
                    }
                })
            }
            ReporterAction::Lang { address, code } => desk
                .set_reporter_language(store, address, code, now)
                .await
                .map(|()| format!("{address}: language {code}\n")),
        };
        match r {
            Ok(m) => emit(&sanitize_lines(&m)),
            Err(e) => not_found_or_fail(e),
        }
    })
}

fn sanitize_lines(s: &str) -> String {
    s.lines().map(sanitize).collect::<Vec<_>>().join("\n") + "\n"
}

// ---- stats, report --------------------------------------------------------

pub(crate) fn stats(desk: &Desk, data_dir: &Path, by: &str, since: Option<&str>, format: &str) -> ExitCode {
    let Some(by) = By::from_name(by) else { return fail(format!("cannot group by {by:?}")) };
    let since = match since {
        None => None,
        Some(s) => match parse_day(s) {
            Some(t) => Some(t),
            None => return fail(format!("--since {s:?}: expected a date like 2026-01-01")),
        },
    };
    with_store(desk, data_dir, async |store| {
        let table = match desk.stats(store, by, since).await {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        if table.rows.is_empty() {
            eprintln!("exitdesk: no cases to count{}", if since.is_some() { " in that period" } else { " yet" });
            return ExitCode::from(1);
        }
        match format {
            "csv" => emit(&table.render_csv()),
            "json" => match serde_json::to_string_pretty(&table) {
                Ok(j) => emit(&(j + "\n")),
                Err(e) => fail(e),
            },
            _ => emit(&table.render_table()),
        }
    })
}

/// `2026-01-01` (or a full instant) as Unix seconds, UTC.
fn parse_day(s: &str) -> Option<i64> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t.as_second());
    }
    let d: jiff::civil::Date = s.parse().ok()?;
    d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp().as_second())
}

pub(crate) fn report(desk: &Desk, data_dir: &Path, clock: &dyn Clock, action: ReportAction) -> ExitCode {
    let ReportAction::Transparency { month, out } = action;
    let now = clock.now();
    with_store(desk, data_dir, async |store| {
        let r = match desk.transparency(store, &month, now).await {
            Ok(r) => r,
            Err(e) => return not_found_or_fail(e),
        };
        match &out {
            None => emit(&r.markdown),
            Some(dir) => {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    return fail(format!("{}: {e}", dir.display()));
                }
                let md = dir.join(format!("transparency-{month}.md"));
                let svg = dir.join(&r.svg_file);
                for (path, body) in [(&md, &r.markdown), (&svg, &r.svg)] {
                    if let Err(e) = std::fs::write(path, body) {
                        return fail(format!("{}: {e}", path.display()));
                    }
                }
                emit(&format!("wrote {} and {}\n", md.display(), svg.display()))
            }
        }
    })
}
