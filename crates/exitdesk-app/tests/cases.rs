//! The store and the case workflow, end to end through the app's use-cases,
//! against SQLite always and against PostgreSQL when
//! `EXITDESK_TEST_PG_URL` names a server (`.ci/run` starts one on
//! loopback): each test gets a fresh database of its own.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::path::{Path, PathBuf};

use exitdesk_app::{Config, Desk, Ingested, open_store};
use exitdesk_compose::IntroLevel;
use exitdesk_mail::RawMessage;
use exitdesk_model::CaseState;
use exitdesk_store::{CaseFilter, Store};
use jiff::Timestamp;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn desk() -> Desk {
    Desk::new(Config::load(&workspace().join("examples/exitdesk.toml")).unwrap()).unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The backends to run on: SQLite in a fresh folder, and PostgreSQL in a
/// fresh database when a server is given.
async fn backends(test: &str) -> Vec<(String, Store, PathBuf)> {
    let dir = std::env::temp_dir().join(format!("exitdesk-cases-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut out = Vec::new();
    let store = open_store(&Config::default(), &dir, None).await.unwrap();
    out.push(("sqlite".to_string(), store, dir.clone()));
    match std::env::var_os("EXITDESK_TEST_PG_URL").and_then(|v| v.into_string().ok()).filter(|u| !u.is_empty()) {
        Some(url) => {
            let name = format!("exitdesk_{test}_{}", std::process::id());
            let store = Store::create_fresh_database(&url, &name).await.unwrap();
            out.push(("postgres".to_string(), store, dir.join("pg")));
        }
        None => println!("{test}: PostgreSQL skipped: set EXITDESK_TEST_PG_URL=postgres://… to run it there too"),
    }
    out
}

fn raw(source: &str, bytes: String) -> RawMessage {
    RawMessage { source: source.into(), bytes: bytes.into_bytes(), truncated: false }
}

/// A fail2ban-style SSH report from `from` about `ip` at `time` (UTC).
/// Ingests the usual first report (one SSH attack from our example exit,
/// from admin@site.example.org) as `source`: the case it opened.
async fn open_ssh_report(desk: &Desk, store: &Store, source: &str, now: Timestamp) -> i64 {
    let m =
        ssh_report("admin@site.example.org", "203.0.113.45", "14 Oct 2025 10:00:00 +0000", "2025-10-14 09:00:00", 1);
    let Ingested::Opened { case, .. } = desk.ingest_one(store, raw(source, m), now).await.unwrap() else { panic!() };
    case
}

fn ssh_report(from: &str, ip: &str, date: &str, time: &str, n: usize) -> String {
    format!(
        "From: Fail2Ban <{from}>\r\nTo: abuse@exit.example.net\r\nDate: {date}\r\nSubject: Abuse from {ip}\r\n\
         Message-ID: <{n}.{ip}@reports.example.org>\r\nContent-Type: text/plain\r\n\r\n\
         We have detected abuse from the IP address {ip}.\r\n\r\nIP of the attacker: {ip}\r\n\r\n\
         Log excerpt (times in UTC):\r\n\
         {time} server sshd[{n}]: Failed password for root from {ip} port 5{n:04} ssh2\r\n\
         {time} server sshd[{n}]: Failed password for admin from {ip} port 5{n:04} ssh2\r\n"
    )
}

#[tokio::test]
async fn ingesting_the_examples_twice_changes_nothing() {
    let desk = desk();
    for (db, store, _) in backends("idempotent").await {
        let now = at("2025-10-14T12:00:00Z");
        let first = desk.ingest(&store, &[workspace().join("examples")], now, |_| {}).await.unwrap();
        assert!(first.read >= 11, "{db}: {first:?}");
        assert_eq!(first.stored, first.read, "{db}");
        assert_eq!(first.opened, first.read, "{db}: every example is its own matter");
        let q = desk.queue(&store, &CaseFilter::default(), now).await.unwrap();
        assert_eq!(q.cases.len() as u64, first.opened, "{db}");
        assert!(q.cases.iter().all(|c| c.messages == 1));
        // Ordered by deadline, none last.
        let deadlines: Vec<i64> = q.cases.iter().filter_map(|c| c.deadline).collect();
        assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "{db}: {deadlines:?}");

        let again = desk.ingest(&store, &[workspace().join("examples")], now, |_| {}).await.unwrap();
        assert_eq!(again.duplicates, first.read, "{db}: {again:?}");
        assert_eq!((again.stored, again.opened, again.joined), (0, 0, 0), "{db}");
        let q2 = desk.queue(&store, &CaseFilter::default(), now).await.unwrap();
        assert_eq!(q2.cases, q.cases, "{db}");
        // Everything derived can be recomputed from the stored bytes.
        let (n, redrafted) = desk.reprocess(&store, now).await.unwrap();
        assert_eq!(n, first.read, "{db}");
        assert_eq!(redrafted, first.opened, "{db}: every case is before sending");
        let q3 = desk.queue(&store, &CaseFilter::default(), now).await.unwrap();
        assert_eq!(q3.cases.len(), q.cases.len(), "{db}");
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.message_counts().await.unwrap(), (first.read as i64, first.read as i64), "{db}");
        // The raw bytes are kept exactly.
        let original = std::fs::read(workspace().join("examples/01-fail2ban-ssh.eml")).unwrap();
        let sha = exitdesk_app::sha256_hex(&original);
        assert_eq!(tx.message(&sha).await.unwrap().unwrap().raw, original, "{db}");
        tx.commit().await.unwrap();
        store.close().await;
    }
}

#[tokio::test]
async fn complaints_join_by_reporter_exit_and_scenario_and_floods_become_digests() {
    let desk = desk();
    for (db, store, _) in backends("joining").await {
        let now = at("2025-10-20T12:00:00Z");
        let mut got = Vec::new();
        for (n, day) in [(1, "14"), (2, "15"), (3, "16")] {
            let m = ssh_report(
                "f2b@site.example.org",
                "203.0.113.45",
                &format!("{day} Oct 2025 10:00:00 +0000"),
                &format!("2025-10-{day} 09:59:0{n}"),
                n,
            );
            got.push(desk.ingest_one(&store, raw(&format!("m{n}"), m), now).await.unwrap());
        }
        let Ingested::Opened { case, needs_human: false } = got[0] else { panic!("{db}: {got:?}") };
        assert_eq!(got[1], Ingested::Joined { case }, "{db}");
        assert_eq!(got[2], Ingested::Joined { case }, "{db}");
        // Another exit address: a case of its own.
        let other =
            ssh_report("f2b@site.example.org", "198.51.100.7", "16 Oct 2025 10:00:00 +0000", "2025-10-16 09:00:00", 4);
        assert!(matches!(desk.ingest_one(&store, raw("m4", other), now).await.unwrap(), Ingested::Opened { .. }));
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.messages, 3, "{db}");
        assert_eq!(v.messages.len(), 3, "{db}");
        // The draft is one reply covering the three reports.
        let (_, d) = desk.current_draft(&store, case).await.unwrap();
        let d = d.unwrap();
        assert!(d.body.contains("203.0.113.45"), "{db}");

        // A bot sending 30 reports in a day: one digest case for the day.
        let mut cases = std::collections::BTreeSet::new();
        for n in 0..30 {
            let ip = format!("192.0.2.{}", 10 + n);
            let m = ssh_report(
                "reports@blocklist.example",
                &ip,
                "17 Oct 2025 08:00:00 +0000",
                &format!("2025-10-17 07:{:02}:00", n),
                100 + n,
            );
            match desk.ingest_one(&store, raw(&format!("b{n}"), m), now).await.unwrap() {
                Ingested::Opened { case, .. } | Ingested::Joined { case } => {
                    cases.insert(case);
                }
                d => panic!("{db}: {d:?}"),
            }
        }
        let flood: Vec<_> = {
            let q = desk
                .queue(&store, &CaseFilter { reporter: Some("blocklist".into()), ..CaseFilter::default() }, now)
                .await
                .unwrap();
            q.cases.into_iter().filter(|c| c.flood_period.is_some()).collect()
        };
        assert_eq!(flood.len(), 1, "{db}: {flood:?}");
        let digest = &flood[0];
        assert_eq!(digest.flood_period.as_deref(), Some("2025-10-17"));
        // Before flood mode: one case per address (20 - 1), then one digest for the rest.
        assert_eq!(digest.messages, 30 - 19, "{db}");
        assert_eq!(cases.len(), 20, "{db}");
        let (_, d) = desk.current_draft(&store, digest.id).await.unwrap();
        let body = d.unwrap().body;
        assert!(body.contains("192.0.2.39"), "{db}: the digest lists every event:\n{body}");
        // One generated version, brought up to date in place.
        assert_eq!(desk.show(&store, digest.id).await.unwrap().drafts.len(), 1, "{db}");
        store.close().await;
    }
}

#[tokio::test]
async fn the_workflow_from_draft_to_close_with_history_and_reporter_memory() {
    let desk = desk();
    for (db, store, dir) in backends("workflow").await {
        let now = at("2025-10-14T12:00:00Z");
        let case = open_ssh_report(&desk, &store, "w1", now).await;
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::Drafted, "{db}");
        assert_eq!(v.case.deadline, Some(at("2025-10-17T10:00:00Z").as_second()), "{db}: direct complaints: 72 h");
        let (_, d) = desk.current_draft(&store, case).await.unwrap();
        assert_eq!(d.unwrap().intro, IntroLevel::Full);

        // Send before approval: refused. Edit, approve, send, never twice.
        let outbox = dir.join("outbox");
        let e = desk.send(&store, case, &outbox, "ops", now).await.unwrap_err();
        assert!(e.to_string().contains("approve"), "{db}: {e}");
        let (_, d) = desk.current_draft(&store, case).await.unwrap();
        let text = exitdesk_app::readable_draft(&d.unwrap()).replace("Hello", "Dear admin");
        assert_eq!(desk.edit_draft(&store, case, &text, "ops", now).await.unwrap(), 2, "{db}");
        desk.approve(&store, case, "ops", now).await.unwrap();
        let sent = desk.send(&store, case, &outbox, "ops", now).await.unwrap();
        let eml = std::fs::read_to_string(&sent.path).unwrap();
        assert!(eml.contains("Dear admin"), "{db}");
        assert!(eml.contains("In-Reply-To: <1.203.0.113.45@reports.example.org>"), "{db}: {eml}");
        assert!(desk.send(&store, case, &outbox, "ops", now).await.is_err(), "{db}: never twice");
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.first_reply_at, Some(now.as_second()));
        let follow_up = v.case.follow_up.expect("the reply offers a follow-up");
        assert_eq!(v.case.state, CaseState::Waiting, "{db}");

        // The follow-up date comes: the case surfaces.
        let later = Timestamp::from_second(follow_up + 60).unwrap();
        let f = desk.followups(&store, later).await.unwrap();
        assert_eq!(f.iter().map(|c| (c.id, c.state)).collect::<Vec<_>>(), vec![(case, CaseState::FollowUpDue)]);

        desk.note(&store, case, "called them; they will block the exits", "ops", later).await.unwrap();
        desk.close(&store, case, Some("resolved"), "ops", later).await.unwrap();
        assert!(desk.close(&store, case, None, "ops", later).await.is_err());
        desk.reopen(&store, case, None, "ops", later).await.unwrap();
        let v = desk.show(&store, case).await.unwrap();
        let states: Vec<&str> = v.history.iter().map(|t| t.to.as_str()).collect();
        assert_eq!(
            states,
            ["new", "drafted", "drafted", "approved", "sent", "waiting", "follow-up-due", "closed", "needs-human"],
            "{db}"
        );
        assert!(v.history.iter().any(|t| t.actor == "ops" && t.reason == "resolved"));
        assert_eq!(v.notes.len(), 1);
        assert_eq!(v.drafts.len(), 2);
        assert!(v.drafts[1].sent_at.is_some());

        // Reporter memory: the full intro was sent, so the next reply is short;
        // marked Tor-aware, none.
        let r = desk.reporter(&store, "Admin@Site.Example.org").await.unwrap();
        assert_eq!(r.intro_sent_at, Some(now.as_second()), "{db}");
        let m = ssh_report(
            "admin@site.example.org",
            "198.51.100.99",
            "20 Oct 2025 10:00:00 +0000",
            "2025-10-20 09:00:00",
            2,
        );
        let Ingested::Opened { case: c2, .. } = desk.ingest_one(&store, raw("w2", m), later).await.unwrap() else {
            panic!()
        };
        assert_eq!(desk.current_draft(&store, c2).await.unwrap().1.unwrap().intro, IntroLevel::Short, "{db}");
        desk.mark_tor_aware(&store, "admin@site.example.org", true, later).await.unwrap();
        desk.set_reporter_language(&store, "admin@site.example.org", "de", later).await.unwrap();
        assert!(desk.set_reporter_language(&store, "admin@site.example.org", "german", later).await.is_err());
        desk.regenerate(&store, c2, "ops", later).await.unwrap();
        assert_eq!(desk.current_draft(&store, c2).await.unwrap().1.unwrap().intro, IntroLevel::None, "{db}");
        assert_eq!(desk.reporter(&store, "admin@site.example.org").await.unwrap().language.as_deref(), Some("de"));

        // Statistics and the transparency report see both cases; no personal data in the report.
        let t = desk.stats(&store, exitdesk_cases::By::Scenario, None).await.unwrap();
        assert_eq!(t.total.cases, 2, "{db}");
        let r = desk.transparency(&store, "2025-10", later).await.unwrap();
        assert!(!r.markdown.contains("site.example.org") && !r.markdown.contains("203.0.113.45"), "{db}");
        assert!(r.svg.starts_with("<svg"));
        store.close().await;
    }
}

#[tokio::test]
async fn messages_with_problems_wait_for_a_person_in_a_case_of_their_own() {
    let desk = desk();
    for (db, store, _) in backends("needs_human").await {
        let now = at("2025-10-14T12:00:00Z");
        let unreadable = raw("junk", "\u{1}\u{2} not a mail at all".into());
        let Ingested::Opened { case, needs_human: true } = desk.ingest_one(&store, unreadable, now).await.unwrap()
        else {
            panic!("{db}")
        };
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::NeedsHuman);
        let problems: Vec<String> = serde_json::from_str(&v.messages[0].derived.as_ref().unwrap().problems).unwrap();
        assert!(!problems.is_empty(), "{db}");
        let q = desk
            .queue(&store, &CaseFilter { states: vec![CaseState::NeedsHuman], ..CaseFilter::default() }, now)
            .await
            .unwrap();
        assert_eq!(q.cases.len(), 1);
        store.close().await;
    }
}

#[tokio::test]
async fn a_report_to_several_networks_waits_for_a_person() {
    let desk = desk();
    for (db, store, _) in backends("several_networks").await {
        let now = at("2025-10-14T12:00:00Z");
        let m = "From: Example CERT <cert@cert.example>\r\nTo: abuse@hoster.example, abuse@cloud.example.net, \
                 abuse@upstream.example.org\r\nDate: Tue, 14 Oct 2025 10:00:00 +0000\r\nSubject: [CERT #77] Phishing \
                 sites\r\nMessage-ID: <77@cert.example>\r\nContent-Type: text/plain\r\n\r\nDear abuse teams,\r\n\r\n\
                 the following sites host phishing pages:\r\n\r\nhxxps://login.example.com/\r\n\t203.0.113.45\r\n\
                 \t\tis announced by EXAMPLE-HOSTING, DE (64500).\r\n\r\nhxxps://pay.example.net/\r\n\t198.51.100.23\r\n\
                 \t\tis announced by OTHER-CLOUD, US (64501).\r\n\r\nPlease remove the phishing content.\r\n";
        let Ingested::Opened { case, needs_human: true } =
            desk.ingest_one(&store, raw("roundup", m.into()), now).await.unwrap()
        else {
            panic!("{db}")
        };
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::NeedsHuman);
        let problems: Vec<String> = serde_json::from_str(&v.messages[0].derived.as_ref().unwrap().problems).unwrap();
        assert!(
            problems.iter().any(|p| p.contains(
                "names 2 networks: EXAMPLE-HOSTING (AS64500) for 203.0.113.45, OTHER-CLOUD (AS64501) for \
                 198.51.100.23; answer only for addresses on your network"
            )),
            "{db}: {problems:?}"
        );
        store.close().await;
    }
}

/// A desk whose signature template differs from the default one: what an
/// upgrade or an operator's template change does to every draft.
fn desk_with_changed_signature(dir: &Path) -> Desk {
    let templates = dir.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("signature.j2"), "Best regards,\n{{ operator.name }}\n").unwrap();
    let mut config = Config::load(&workspace().join("examples/exitdesk.toml")).unwrap();
    config.templates.dir = Some(templates);
    Desk::new(config).unwrap()
}

#[tokio::test]
async fn approved_means_approved_a_changed_draft_needs_a_new_approval() {
    let desk = desk();
    for (db, store, dir) in backends("approved").await {
        let now = at("2025-10-14T12:00:00Z");
        let outbox = dir.join("outbox");
        let case = open_ssh_report(&desk, &store, "a1", now).await;

        // Reprocess with the same templates: the draft is the same, the approval stands.
        desk.approve(&store, case, "ops", now).await.unwrap();
        desk.reprocess(&store, now).await.unwrap();
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!((v.case.state, v.drafts.len()), (CaseState::Approved, 1), "{db}");

        // Reprocess with changed templates: back to drafted, with why; a new version.
        let changed = desk_with_changed_signature(&dir);
        changed.reprocess(&store, now).await.unwrap();
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!((v.case.state, v.drafts.len()), (CaseState::Drafted, 2), "{db}");
        let last = v.history.last().unwrap();
        assert!(last.reason.contains("reprocessed") && last.reason.contains("approve it again"), "{db}: {last:?}");
        assert!(desk.send(&store, case, &outbox, "ops", now).await.unwrap_err().to_string().contains("approve"));
        assert!(!outbox.exists() || std::fs::read_dir(&outbox).unwrap().count() == 0, "{db}: nothing written");

        // Approved again, then regenerated with the first templates: drafted again.
        desk.approve(&store, case, "ops", now).await.unwrap();
        desk.regenerate(&store, case, "ops", now).await.unwrap();
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!((v.case.state, v.drafts.len()), (CaseState::Drafted, 3), "{db}");
        assert!(v.history.last().unwrap().reason.contains("regenerated by ops"), "{db}");

        // Approved, then a new message joins: drafted, and the approved version is kept as it was.
        desk.approve(&store, case, "ops", now).await.unwrap();
        let approved_text = desk.show(&store, case).await.unwrap().drafts[2].draft.clone();
        let m = ssh_report(
            "admin@site.example.org",
            "203.0.113.45",
            "14 Oct 2025 11:00:00 +0000",
            "2025-10-14 10:30:00",
            2,
        );
        assert!(matches!(desk.ingest_one(&store, raw("a2", m), now).await.unwrap(), Ingested::Joined { .. }));
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::Drafted, "{db}");
        assert_eq!(v.drafts[2].draft, approved_text, "{db}: an approved version is never changed in place");
        assert!(desk.send(&store, case, &outbox, "ops", now).await.is_err(), "{db}");

        // Approved, then edited: drafted, and the history says the approval went.
        desk.approve(&store, case, "ops", now).await.unwrap();
        let (_, d) = desk.current_draft(&store, case).await.unwrap();
        let text = exitdesk_app::readable_draft(&d.unwrap()).replace("Hello", "Dear admin");
        desk.edit_draft(&store, case, &text, "ops", now).await.unwrap();
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::Drafted, "{db}");
        assert!(v.history.last().unwrap().reason.contains("approve again"), "{db}");

        // Approved at last: exactly that version is sent, once.
        desk.approve(&store, case, "ops", now).await.unwrap();
        let sent = desk.send(&store, case, &outbox, "ops", now).await.unwrap();
        let v = desk.show(&store, case).await.unwrap();
        let version = v.drafts.len() as i64;
        assert_eq!((sent.version, sent.resumed), (version, false), "{db}");
        assert!(std::fs::read_to_string(&sent.path).unwrap().contains("Dear admin"), "{db}");
        assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 1, "{db}");
        let mut tx = store.begin().await.unwrap();
        let sends = tx.sends(case).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(sends.len(), 1, "{db}");
        assert!(sends[0].completed_at.is_some(), "{db}");
        assert_eq!(std::fs::read(&sent.path).unwrap(), sends[0].bytes, "{db}");
        // A sent version cannot be approved again.
        desk.reopen(&store, case, None, "ops", now).await.ok();
        desk.close(&store, case, None, "ops", now).await.unwrap();
        desk.reopen(&store, case, None, "ops", now).await.unwrap();
        assert!(desk.approve(&store, case, "ops", now).await.unwrap_err().to_string().contains("sent already"));
        store.close().await;
    }
}

#[tokio::test]
async fn a_send_cut_short_is_finished_with_the_same_bytes() {
    let desk = desk();
    for (db, store, dir) in backends("resume").await {
        let now = at("2025-10-14T12:00:00Z");
        let outbox = dir.join("outbox");
        std::fs::create_dir_all(&outbox).unwrap();
        let m = ssh_report(
            "admin@site.example.org",
            "203.0.113.45",
            "14 Oct 2025 10:00:00 +0000",
            "2025-10-14 09:00:00",
            3,
        );
        let Ingested::Opened { case, .. } = desk.ingest_one(&store, raw("r1", m), now).await.unwrap() else { panic!() };
        desk.approve(&store, case, "ops", now).await.unwrap();
        // A run that recorded the send and was killed while writing: an
        // empty file (a full disk) and a stray temporary file are left.
        let path = outbox.join(format!("case-{case}-v1.eml"));
        let bytes = b"Message-ID: <x@exit.example.org>\r\n\r\nthe reply\r\n".to_vec();
        let mut tx = store.begin().await.unwrap();
        tx.begin_send(&exitdesk_store::SendRecord {
            case_id: case,
            version: 1,
            message_id: "x@exit.example.org".into(),
            path: path.to_str().unwrap().into(),
            sha256: exitdesk_app::sha256_hex(&bytes),
            bytes: bytes.clone(),
            actor: "ops".into(),
            started_at: now.as_second(),
            completed_at: None,
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        std::fs::write(&path, b"").unwrap();
        std::fs::write(outbox.join(format!(".case-{case}-v1.eml.99999.tmp")), b"the re").unwrap();
        // The case changes meanwhile: the begun send is still finished, the case keeps its state.
        let later = at("2025-10-14T13:00:00Z");
        let sent = desk.send(&store, case, &outbox, "ops", later).await.unwrap();
        assert!(sent.resumed, "{db}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{db}: the recorded bytes, not new ones");
        let names: Vec<String> =
            std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(names, vec![format!("case-{case}-v1.eml")], "{db}: the stray temporary file is gone");
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::Waiting, "{db}");
        assert!(desk.send(&store, case, &outbox, "ops", later).await.is_err(), "{db}: never twice");
        // A finished file is not written again: its time stays.
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        assert!(desk.send(&store, case, &outbox, "ops", later).await.is_err());
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);
        store.close().await;
    }
}

#[tokio::test]
async fn a_full_disk_says_so_with_the_path_and_the_next_run_goes_on() {
    let desk = desk();
    let dir = std::env::temp_dir().join(format!("exitdesk-cases-full-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = open_store(&Config::default(), &dir, None).await.unwrap();
    let now = at("2025-10-14T12:00:00Z");
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let n = 300;
    for i in 0..n {
        let ip = format!("203.0.113.{}", i % 250 + 1);
        let body = ssh_report(&format!("r{i}@example.org"), &ip, "Tue, 14 Oct 2025 10:00:00 +0000", "10:00:00", i);
        std::fs::write(inbox.join(format!("{i:04}.eml")), body).unwrap();
    }
    // The file cannot grow: as on a full disk.
    store.cap_size_for_tests().await.unwrap();
    let err = desk.ingest(&store, &[&inbox], now, |_| {}).await.unwrap_err().to_string();
    assert!(err.contains("no space left") && err.contains("database or disk is full"), "{err}");
    assert!(err.contains(&dir.join("exitdesk.db").display().to_string()), "the path: {err}");
    assert!(!err.contains("transaction depth"), "{err}");
    // The store still answers, and once there is space (a new connection:
    // the cap was on the old one) the next run goes on; nothing was lost or
    // processed twice.
    store.begin().await.unwrap().commit().await.unwrap();
    store.close().await;
    let store = open_store(&Config::default(), &dir, None).await.unwrap();
    let report = desk.ingest(&store, &[&inbox], now, |_| {}).await.unwrap();
    assert_eq!(report.read, n as u64);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.message_counts().await.unwrap(), (n as i64, n as i64), "each message once, all processed");
    let cases = tx.cases(&CaseFilter { include_closed: true, ..Default::default() }).await.unwrap();
    assert_eq!(cases.iter().map(|c| c.messages).sum::<i64>(), n as i64, "every message in one case");
    tx.commit().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn a_really_full_disk_leaves_the_store_usable_once_there_is_space() {
    // A small file system: a tmpfs where this test may mount one (root), else skipped.
    let dir = std::env::temp_dir().join(format!("exitdesk-cases-tmpfs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mount =
        |args: &[&str]| std::process::Command::new("mount").args(args).output().is_ok_and(|o| o.status.success());
    let d = dir.to_str().unwrap();
    if !mount(&["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", d]) {
        println!("skipped: cannot mount a small tmpfs here (needs root); the PRAGMA test covers the message");
        return;
    }
    let got = std::panic::AssertUnwindSafe(async {
        let desk = desk();
        let now = at("2025-10-14T12:00:00Z");
        let data = dir.join("data");
        let inbox = std::env::temp_dir().join(format!("exitdesk-cases-tmpfs-inbox-{}", std::process::id()));
        std::fs::create_dir_all(&inbox).unwrap();
        let n = 200;
        for i in 0..n {
            let ip = format!("203.0.113.{}", i % 250 + 1);
            let body = ssh_report(&format!("r{i}@example.org"), &ip, "Tue, 14 Oct 2025 10:00:00 +0000", "10:00:00", i);
            std::fs::write(inbox.join(format!("{i:04}.eml")), body + &"padding line of a log excerpt\r\n".repeat(300))
                .unwrap();
        }
        let store = open_store(&Config::default(), &data, None).await.unwrap();
        let err = desk.ingest(&store, &[&inbox], now, |_| {}).await.unwrap_err().to_string();
        assert!(err.contains("no space left") && err.contains(&data.display().to_string()), "{err}");
        assert!(!err.contains("transaction depth"), "{err}");
        // Space again: the same store (the same pool) goes on.
        assert!(mount(&["-o", "remount,size=64m", d]));
        let report = desk.ingest(&store, &[&inbox], now, |_| {}).await.unwrap();
        assert_eq!(report.read, n as u64);
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.message_counts().await.unwrap(), (n as i64, n as i64));
        tx.commit().await.unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(&inbox);
    });
    let result = futures_catch(got).await;
    // Lazily: a failed test may still hold the file open.
    let _ = std::process::Command::new("umount").args(["-l", d]).output();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

/// Runs a future, catching a panic (so that the test can clean up first).
async fn futures_catch<F: std::future::Future<Output = ()>>(
    f: std::panic::AssertUnwindSafe<F>,
) -> std::thread::Result<()> {
    let mut f = std::pin::pin!(f.0);
    std::future::poll_fn(|cx| match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.as_mut().poll(cx))) {
        Ok(std::task::Poll::Ready(())) => std::task::Poll::Ready(Ok(())),
        Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
        Err(p) => std::task::Poll::Ready(Err(p)),
    })
    .await
}

/// Our reply, sent to the outbox and read back in (a mail loop, or a copy
/// of our own sent mail reaching the intake), is filed with its case and
/// drafts nothing; so is mail from one of our addresses, and a reply whose
/// `X-Exitdesk` header was lost but whose `Message-ID` is ours. A
/// complainant's answer naming our reply in `In-Reply-To` is read as usual.
#[tokio::test]
async fn our_own_replies_coming_back_are_filed_without_a_draft() {
    let desk = desk();
    for (db, store, dir) in backends("loops").await {
        let now = at("2025-10-14T12:00:00Z");
        let case = open_ssh_report(&desk, &store, "l1", now).await;
        desk.approve(&store, case, "ops", now).await.unwrap();
        let sent = desk.send(&store, case, &dir.join("outbox"), "ops", now).await.unwrap();
        let eml = std::fs::read_to_string(&sent.path).unwrap();
        assert!(eml.contains(&format!("\r\nX-Exitdesk: reply; case={case}\r\n")), "{db}: {eml}");
        let cases_before = desk.queue(&store, &CaseFilter::default(), now).await.unwrap();

        // The reply itself comes back: filed with its case, nothing drafted.
        let later = at("2025-10-14T13:00:00Z");
        let got = desk.ingest_one(&store, raw("back", eml.clone()), later).await.unwrap();
        assert_eq!(got, Ingested::Filed { case: Some(case) }, "{db}");
        let v = desk.show(&store, case).await.unwrap();
        assert_eq!(v.case.state, CaseState::Waiting, "{db}: the case is left as it was");
        assert_eq!(v.drafts.len(), 1, "{db}: no new draft");
        assert!(v.notes.iter().any(|n| n.text.contains("our own reply coming back")), "{db}: {:?}", v.notes);

        // Without our header, by its Message-ID; our header on someone
        // else's message (filed, but never with the case it names); and
        // plain mail from our address.
        let no_header = eml.replace("X-Exitdesk:", "X-Other:");
        let forged = ssh_report(
            "admin@site.example.org",
            "203.0.113.45",
            "14 Oct 2025 11:00:00 +0000",
            "2025-10-14 09:30:00",
            4,
        )
        .replacen("To:", &format!("X-Exitdesk: reply; case={case}\r\nTo:"), 1);
        let from_us = String::from(
            "From: Alex Example <abuse@exit.example.org>\r\nTo: abuse@exit.example.org\r\nSubject: test\r\n\
             Message-ID: <test-1@exit.example.org>\r\n\r\nTesting the intake from 203.0.113.45.\r\n",
        );
        for (name, m) in [("no-header", no_header), ("forged", forged), ("from-us", from_us)] {
            let got = desk.ingest_one(&store, raw(name, m), later).await.unwrap();
            assert_eq!(got, Ingested::Filed { case: None }, "{db}: {name}");
        }
        assert_eq!(desk.show(&store, case).await.unwrap().notes.len(), 1, "{db}: one note, from the real reply");
        let cases_after = desk.queue(&store, &CaseFilter::default(), later).await.unwrap();
        assert_eq!(cases_after.cases.len(), cases_before.cases.len(), "{db}: no new case");

        // The complainant answers our reply: a message of theirs, read as usual.
        let id = eml.split("Message-ID: <").nth(1).unwrap().split('>').next().unwrap().to_string();
        let answer = ssh_report(
            "admin@site.example.org",
            "203.0.113.45",
            "14 Oct 2025 14:00:00 +0000",
            "2025-10-14 13:30:00",
            3,
        )
        .replacen("Content-Type:", &format!("In-Reply-To: <{id}>\r\nReferences: <{id}>\r\nContent-Type:"), 1);
        let got = desk.ingest_one(&store, raw("answer", answer), at("2025-10-14T15:00:00Z")).await.unwrap();
        assert!(matches!(got, Ingested::Joined { .. } | Ingested::Opened { .. }), "{db}: {got:?}");
        store.close().await;
    }
}

/// A `Reply-To` that is ours is never where the reply goes nor who the
/// reporter is; a `Reply-To` group makes no bystander the reporter (nor
/// records an intro sent to one); `send` refuses a draft edited to one of
/// our addresses.
#[tokio::test]
async fn reporters_are_never_ourselves_nor_a_group_member() {
    let desk = desk();
    for (db, store, dir) in backends("reporters").await {
        let now = at("2025-10-14T12:00:00Z");
        let outbox = dir.join("outbox");
        for (n, reply_to) in
            [(1, "Abuse <ABUSE@exit.example.org>"), (2, "undisclosed: bystander@example.com, other@example.net;")]
        {
            let ip = format!("203.0.113.{}", 40 + n);
            let m = ssh_report("admin@site.example.org", &ip, "14 Oct 2025 10:00:00 +0000", "2025-10-14 09:00:00", n)
                .replacen("To:", &format!("Reply-To: {reply_to}\r\nTo:"), 1);
            let Ingested::Opened { case, .. } = desk.ingest_one(&store, raw(&ip, m), now).await.unwrap() else {
                panic!()
            };
            let v = desk.show(&store, case).await.unwrap();
            assert_eq!(v.case.reporter, "admin@site.example.org", "{db}: {reply_to}");
            let (_, d) = desk.current_draft(&store, case).await.unwrap();
            assert_eq!(d.unwrap().to.unwrap().address, "admin@site.example.org", "{db}: {reply_to}");
            desk.approve(&store, case, "ops", now).await.unwrap();
            desk.send(&store, case, &outbox, "ops", now).await.unwrap();
        }
        assert!(desk.reporter(&store, "admin@site.example.org").await.unwrap().intro_sent_at.is_some(), "{db}");
        for nobody in ["bystander@example.com", "abuse@exit.example.org"] {
            assert!(desk.reporter(&store, nobody).await.is_err(), "{db}: {nobody} is no reporter");
        }

        // An operator's edit addressing ourselves is never sent.
        let m = ssh_report(
            "admin@site.example.org",
            "198.51.100.60",
            "15 Oct 2025 10:00:00 +0000",
            "2025-10-15 09:00:00",
            9,
        );
        let Ingested::Opened { case, .. } = desk.ingest_one(&store, raw("e", m), now).await.unwrap() else { panic!() };
        let (_, d) = desk.current_draft(&store, case).await.unwrap();
        let text = exitdesk_app::readable_draft(&d.unwrap())
            .replace("To: admin@site.example.org", "To: exits <abuse@exit.example.org>")
            .replace("<admin@site.example.org>", "<abuse@exit.example.org>");
        desk.edit_draft(&store, case, &text, "ops", now).await.unwrap();
        desk.approve(&store, case, "ops", now).await.unwrap();
        let e = desk.send(&store, case, &outbox, "ops", now).await.unwrap_err().to_string();
        assert!(e.contains("our own address"), "{db}: {e}");
        store.close().await;
    }
}

#[tokio::test]
async fn a_reminder_raises_the_urgency_of_its_case() {
    let desk = desk();
    for (db, store, _) in backends("reminder").await {
        let now = at("2025-10-20T12:00:00Z");
        let case = open_ssh_report(&desk, &store, "first", now).await;
        let before = desk.show(&store, case).await.unwrap().case;
        let reminder = "From: Fail2Ban <admin@site.example.org>\r\nTo: abuse@exit.example.net\r\n\
             Date: 15 Oct 2025 08:00:00 +0000\r\nSubject: Reminder: Abuse from 203.0.113.45\r\n\
             Message-ID: <reminder.1@reports.example.org>\r\nIn-Reply-To: <1.203.0.113.45@reports.example.org>\r\n\
             Content-Type: text/plain\r\n\r\nReminder: we have not received a reply to our report about 203.0.113.45.\r\n\
             IP of the attacker: 203.0.113.45\r\n"
            .to_string();
        let got = desk.ingest_one(&store, raw("reminder", reminder), now).await.unwrap();
        assert_eq!(got, Ingested::Joined { case }, "{db}");
        let after = desk.show(&store, case).await.unwrap().case;
        assert_eq!(after.state, CaseState::NeedsHuman, "{db}");
        assert!(after.deadline <= before.deadline, "{db}: {:?} after {:?}", after.deadline, before.deadline);
        store.close().await;
    }
}
