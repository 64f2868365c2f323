//! The store on its own, on SQLite and (with `EXITDESK_TEST_PG_URL`) on a
//! fresh PostgreSQL database: the same calls, the same answers.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use exitdesk_model::{CaseState, Kind, Transition};
use exitdesk_store::{
    CaseFilter, CaseRecord, Derived, DraftRecord, ReporterRecord, StatsGrouping, StatsKey, Store, StoredMessage,
};

async fn stores(test: &str) -> Vec<(&'static str, Store)> {
    let dir = std::env::temp_dir().join(format!("exitdesk-store-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut out = vec![("sqlite", Store::open_dir(&dir).await.unwrap())];
    match std::env::var_os("EXITDESK_TEST_PG_URL").and_then(|v| v.into_string().ok()).filter(|u| !u.is_empty()) {
        Some(url) => {
            let name = format!("exitdesk_store_{test}_{}", std::process::id());
            out.push(("postgres", Store::create_fresh_database(&url, &name).await.unwrap()));
        }
        None => println!("{test}: PostgreSQL skipped: set EXITDESK_TEST_PG_URL=postgres://… to run it there too"),
    }
    out
}

fn message(n: u8) -> StoredMessage {
    // Every byte value, CRLF and NUL included: kept exactly.
    let mut raw: Vec<u8> = (0..=255u8).collect();
    raw.push(n);
    StoredMessage {
        sha256: format!("{:064x}", n),
        source: format!("m{n}.eml"),
        received_at: 1000,
        truncated: false,
        raw,
    }
}

fn case(reporter: &str, state: CaseState, deadline: Option<i64>, exits: &[&str]) -> CaseRecord {
    CaseRecord {
        id: 0,
        state,
        scenario: "ssh_bruteforce".into(),
        subkind: None,
        kind: Kind::Traffic,
        reporter: reporter.into(),
        reporter_name: Some("Ann O'Brien; DROP TABLE cases; --".into()),
        forwarder: None,
        thread: Some("Ticket#1".into()),
        exit_ips: exits.iter().map(|e| e.to_string()).collect(),
        ports: vec![22, 443],
        flood_period: None,
        country: Some("DE".into()),
        language: Some("de".into()),
        subject: Some("Abuse 'quoted' \"double\" ünïcode".into()),
        opened_at: 100,
        updated_at: 100,
        last_arrival: 100,
        deadline,
        follow_up: None,
        first_reply_at: None,
        messages: 1,
    }
}

#[tokio::test]
async fn messages_are_kept_byte_for_byte_once() {
    for (db, store) in stores("messages").await {
        let mut tx = store.begin().await.unwrap();
        assert!(tx.put_message(&message(1)).await.unwrap(), "{db}");
        assert!(!tx.put_message(&message(1)).await.unwrap(), "{db}: the same bytes again are a no-op");
        assert!(tx.put_message(&message(2)).await.unwrap());
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.message(&message(1).sha256).await.unwrap().unwrap(), message(1), "{db}");
        assert_eq!(tx.pending(10).await.unwrap().len(), 2);
        assert_eq!(tx.is_processed(&message(1).sha256).await.unwrap(), Some(false));
        assert_eq!(tx.is_processed("0").await.unwrap(), None);
        let d =
            Derived { processed_at: 5, arrived_at: 4, case_id: Some(9), complaint: "{}".into(), ..Derived::default() };
        tx.set_derived(&message(1).sha256, d.clone()).await.unwrap();
        assert_eq!(tx.pending(10).await.unwrap(), vec![message(2).sha256], "{db}");
        assert_eq!(tx.case_of_message(&message(1).sha256).await.unwrap(), Some(9));
        assert_eq!(tx.message_counts().await.unwrap(), (2, 1));
        tx.commit().await.unwrap();
        // A transaction dropped without commit leaves nothing behind.
        {
            let mut tx = store.begin().await.unwrap();
            tx.put_message(&message(3)).await.unwrap();
        }
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.message_counts().await.unwrap(), (2, 1), "{db}: rolled back");
        tx.commit().await.unwrap();
        store.close().await;
    }
}

/// A batch of messages in a few statements: new ones, ones stored before
/// (processed or not), and the same bytes twice in the batch; then claimed
/// together.
#[tokio::test]
async fn batches_of_messages_are_stored_and_claimed_at_once() {
    for (db, store) in stores("batches").await {
        let mut tx = store.begin().await.unwrap();
        tx.put_message(&message(1)).await.unwrap();
        tx.put_message(&message(2)).await.unwrap();
        let d = Derived { processed_at: 5, arrived_at: 4, case_id: Some(9), ..Derived::default() };
        tx.set_derived(&message(2).sha256, d.clone()).await.unwrap();
        tx.commit().await.unwrap();
        let (m1, m2, m3, m4) = (message(1), message(2), message(3), message(4));
        let mut tx = store.begin().await.unwrap();
        let got = tx.put_messages(&[&m3, &m1, &m2, &m3, &m4]).await.unwrap();
        assert_eq!(got, vec![None, Some((false, None)), Some((true, Some(9))), Some((false, None)), None], "{db}");
        assert_eq!(tx.message(&m4.sha256).await.unwrap().unwrap(), m4, "{db}: bytes kept");
        assert_eq!(tx.message_counts().await.unwrap(), (4, 1));
        let claimed = tx.claim_all(&[&m1.sha256, &m2.sha256, &m3.sha256, "f00"]).await.unwrap();
        let mut claimed: Vec<String> = claimed.into_iter().collect();
        claimed.sort();
        assert_eq!(claimed, vec![m1.sha256.clone(), m3.sha256.clone()], "{db}: the unprocessed ones");
        tx.commit().await.unwrap();
        store.close().await;
    }
}

/// Writing a case back from what it was rewrites its exit and port rows
/// only when they changed, else brings their statistics up to date.
#[tokio::test]
async fn cases_written_back_keep_their_lists_right() {
    for (db, store) in stores("writeback").await {
        let mut tx = store.begin().await.unwrap();
        let id =
            tx.insert_case_marked(&case("abuse@a.example", CaseState::New, None, &["192.0.2.1"]), true).await.unwrap();
        assert_eq!(tx.stale_cases().await.unwrap(), vec![id], "{db}");
        let before = tx.case(id).await.unwrap().unwrap();
        let mut after = before.clone();
        after.messages = 3;
        after.state = CaseState::Closed;
        tx.update_case_from(&before, &after, Some(false)).await.unwrap();
        assert!(tx.stale_cases().await.unwrap().is_empty(), "{db}");
        let (groups, _, _) = tx.stats(StatsGrouping::Exit, i64::MIN).await.unwrap();
        assert_eq!(groups.len(), 1, "{db}");
        assert_eq!((groups[0].1.cases, groups[0].1.messages, groups[0].1.open), (1, 3, 0), "{db}: stats updated");
        let (groups, _, _) = tx.stats(StatsGrouping::Port, i64::MIN).await.unwrap();
        assert_eq!(groups.iter().map(|(_, c)| c.messages).sum::<u64>(), 6, "{db}: both ports updated");
        let mut moved = after.clone();
        moved.exit_ips = vec!["198.51.100.7".into(), "2001:db8::7".into()];
        moved.ports = vec![];
        tx.update_case_from(&after, &moved, None).await.unwrap();
        let (groups, _, _) = tx.stats(StatsGrouping::Exit, i64::MIN).await.unwrap();
        let keys: Vec<StatsKey> = groups.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(keys, vec![StatsKey::Text("198.51.100.7".into()), StatsKey::Text("2001:db8::7".into())], "{db}");
        let (groups, none, _) = tx.stats(StatsGrouping::Port, i64::MIN).await.unwrap();
        assert!(groups.is_empty() && none.unwrap().cases == 1, "{db}: no port now");
        assert!(tx.stale_cases().await.unwrap().is_empty(), "{db}: None keeps the flag");
        tx.commit().await.unwrap();
        store.close().await;
    }
}

/// A case keeps its kind; a change of kind is written back (in a batch of
/// cases too) and statistics group by it.
#[tokio::test]
async fn the_kind_of_a_case_is_kept_and_counted() {
    for (db, store) in stores("kind").await {
        let mut tx = store.begin().await.unwrap();
        let mut ids = Vec::new();
        for (kind, deadline) in [
            (Kind::Traffic, None),
            (Kind::Hosted, Some(500)),
            (Kind::NotAComplaint, None),
            (Kind::Traffic, Some(900)),
            (Kind::Reminder, None),
        ] {
            let mut c = case("abuse@a.example", CaseState::New, deadline, &["192.0.2.1"]);
            c.kind = kind;
            ids.push(tx.insert_case(&c).await.unwrap());
        }
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let kinds = |cs: &[CaseRecord]| cs.iter().map(|c| (c.id, c.kind)).collect::<Vec<_>>();
        let read = tx.cases_for_update(&ids).await.unwrap();
        assert_eq!(
            kinds(&read),
            ids.iter()
                .copied()
                .zip([Kind::Traffic, Kind::Hosted, Kind::NotAComplaint, Kind::Traffic, Kind::Reminder])
                .collect::<Vec<_>>(),
            "{db}"
        );
        // A request for data joins the first and the fourth case.
        let after: Vec<CaseRecord> = read
            .iter()
            .map(|c| {
                let mut n = c.clone();
                if c.id == ids[0] || c.id == ids[3] {
                    n.kind = Kind::LawEnforcement;
                    n.messages += 1;
                }
                n
            })
            .collect();
        let pairs: Vec<(&CaseRecord, &CaseRecord)> = read.iter().zip(&after).collect();
        tx.update_cases_from(&pairs, None).await.unwrap();
        let mut one = tx.case(ids[1]).await.unwrap().unwrap();
        assert_eq!(one.kind, Kind::Hosted, "{db}");
        one.state = CaseState::Drafted;
        tx.update_case(&one).await.unwrap();
        tx.commit().await.unwrap();

        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.case(ids[0]).await.unwrap().unwrap().kind, Kind::LawEnforcement, "{db}");
        assert_eq!(tx.case(ids[1]).await.unwrap().unwrap().kind, Kind::Hosted, "{db}: kept by other changes");
        let (groups, none, total) = tx.stats(StatsGrouping::Kind, i64::MIN).await.unwrap();
        let got: Vec<(StatsKey, u64, u64)> = groups.into_iter().map(|(k, c)| (k, c.cases, c.messages)).collect();
        assert_eq!(
            got,
            vec![
                (StatsKey::Text("hosted".into()), 1, 1),
                (StatsKey::Text("law_enforcement".into()), 2, 4),
                (StatsKey::Text("not_a_complaint".into()), 1, 1),
                (StatsKey::Text("reminder".into()), 1, 1),
            ],
            "{db}"
        );
        assert_eq!(none, None, "{db}");
        assert_eq!((total.cases, total.messages), (5, 7), "{db}");
        let (groups, _, _) = tx.stats(StatsGrouping::Kind, 101).await.unwrap();
        assert!(groups.is_empty(), "{db}: since filters");
        tx.commit().await.unwrap();
        store.close().await;
    }
}

#[tokio::test]
async fn cases_filters_history_drafts_and_reporters() {
    for (db, store) in stores("cases").await {
        let mut tx = store.begin().await.unwrap();
        let a = tx.insert_case(&case("abuse@a.example", CaseState::Drafted, Some(500), &["192.0.2.1"])).await.unwrap();
        let b =
            tx.insert_case(&case("abuse@b.example", CaseState::NeedsHuman, Some(200), &["2001:db8::1"])).await.unwrap();
        let c = tx.insert_case(&case("abuse@a.example", CaseState::Closed, None, &["192.0.2.10"])).await.unwrap();
        let d = tx.insert_case(&case("abuse@a.example", CaseState::New, None, &[])).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let ids = |v: Vec<CaseRecord>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        // Open cases by deadline, none last.
        assert_eq!(ids(tx.cases(&CaseFilter::default()).await.unwrap()), vec![b, a, d], "{db}");
        let all = CaseFilter { include_closed: true, ..CaseFilter::default() };
        assert_eq!(tx.cases(&all).await.unwrap().len(), 4);
        let f = CaseFilter { exit: Some("192.0.2.1".into()), include_closed: true, ..CaseFilter::default() };
        assert_eq!(ids(tx.cases(&f).await.unwrap()), vec![a], "{db}: exact address, not a prefix of 192.0.2.10");
        let f = CaseFilter { reporter: Some("A.EXAMPLE".into()), ..CaseFilter::default() };
        assert_eq!(ids(tx.cases(&f).await.unwrap()), vec![a, d], "{db}");
        let f = CaseFilter { reporter: Some("%".into()), ..CaseFilter::default() };
        assert_eq!(tx.cases(&f).await.unwrap().len(), 3, "{db}: a % in the search text is no wildcard trick");
        let f = CaseFilter { states: vec![CaseState::NeedsHuman, CaseState::Closed], ..CaseFilter::default() };
        assert_eq!(ids(tx.cases(&f).await.unwrap()), vec![b, c]);
        let f = CaseFilter { since: Some(101), ..CaseFilter::default() };
        assert!(tx.cases(&f).await.unwrap().is_empty());
        // Round trip of every field, hostile text included.
        let got = tx.case(a).await.unwrap().unwrap();
        assert_eq!(got, CaseRecord { id: a, ..case("abuse@a.example", CaseState::Drafted, Some(500), &["192.0.2.1"]) });
        let mut open = ids(tx.open_cases_of("abuse@a.example", None, "ssh_bruteforce", 0).await.unwrap());
        open.sort_unstable();
        assert_eq!(open, vec![a, d], "{db}: open, not needs-human or closed");
        assert!(tx.open_cases_of("abuse@a.example", None, "copyright", 101).await.unwrap().is_empty());
        assert_eq!(tx.open_cases_of("abuse@a.example", Some("Ticket#1"), "copyright", 101).await.unwrap().len(), 2);
        let counts = tx.case_counts().await.unwrap();
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 4);

        // History, drafts, notes, stale marks.
        let t = Transition {
            from: Some(CaseState::New),
            to: CaseState::Drafted,
            actor: "ops".into(),
            at: 7,
            reason: "x".into(),
        };
        tx.add_transition(a, &t).await.unwrap();
        assert_eq!(tx.transitions(a).await.unwrap(), vec![t]);
        let dr = DraftRecord {
            case_id: a,
            version: 0,
            created_at: 1,
            author: "exitdesk".into(),
            kind: "generated".into(),
            draft: "{}".into(),
            sent_at: None,
        };
        assert_eq!(tx.add_draft(&dr).await.unwrap(), 1);
        assert_eq!(tx.add_draft(&dr).await.unwrap(), 2);
        tx.replace_draft(&DraftRecord { version: 2, draft: "{\"v\":2}".into(), ..dr.clone() }).await.unwrap();
        tx.mark_sent(a, 2, 9).await.unwrap();
        let latest = tx.latest_draft(a).await.unwrap().unwrap();
        assert_eq!((latest.version, latest.draft.as_str(), latest.sent_at), (2, "{\"v\":2}", Some(9)), "{db}");
        tx.replace_draft(&DraftRecord { version: 2, draft: "changed".into(), ..dr }).await.unwrap();
        assert_eq!(tx.latest_draft(a).await.unwrap().unwrap().draft, "{\"v\":2}", "{db}: a sent draft never changes");
        tx.mark_stale(a).await.unwrap();
        assert_eq!(tx.stale_cases().await.unwrap(), vec![a]);
        tx.clear_stale(a).await.unwrap();
        assert!(tx.stale_cases().await.unwrap().is_empty());

        let r = ReporterRecord {
            address: "abuse@a.example".into(),
            tor_aware: true,
            first_seen: 3,
            messages: 2,
            ..ReporterRecord::default()
        };
        tx.put_reporter(&r).await.unwrap();
        tx.put_reporter(&ReporterRecord { language: Some("de".into()), ..r.clone() }).await.unwrap();
        assert_eq!(tx.reporter("abuse@a.example").await.unwrap().unwrap().language.as_deref(), Some("de"));
        tx.commit().await.unwrap();
        store.close().await;
    }
}

#[tokio::test]
async fn reopening_keeps_everything_and_bad_urls_say_why() {
    let dir = std::env::temp_dir().join(format!("exitdesk-store-reopen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = Store::open_dir(&dir).await.unwrap();
    let mut tx = s.begin().await.unwrap();
    tx.put_message(&message(7)).await.unwrap();
    tx.commit().await.unwrap();
    s.close().await;
    let s = Store::open_dir(&dir).await.unwrap();
    let mut tx = s.begin().await.unwrap();
    assert_eq!(tx.message_counts().await.unwrap().0, 1, "migrations ran once; data kept");
    tx.commit().await.unwrap();
    s.close().await;
    let e = Store::open("mysql://desk:hunter2@db.example/z").await.unwrap_err().to_string();
    assert!(e.contains("sqlite://") && e.contains("postgres://"), "{e}");
    assert!(e.contains("desk:***@db.example") && !e.contains("hunter2"), "the password never shows: {e}");
}

#[tokio::test]
async fn statistics_are_summed_in_the_database() {
    for (db, store) in stores("stats").await {
        let mut tx = store.begin().await.unwrap();
        let mut a = case("abuse@a.example", CaseState::Sent, Some(100 + 7200), &["192.0.2.1", "192.0.2.2"]);
        a.first_reply_at = Some(100 + 3600); // an hour: deadline met
        let mut b = case("abuse@b.example", CaseState::Closed, Some(100 + 60), &["192.0.2.1"]);
        b.first_reply_at = Some(100 + 2 * 86_400); // two days: missed
        b.scenario = "copyright".into();
        b.ports = vec![];
        let c = case("abuse@a.example", CaseState::Drafted, None, &[]);
        for r in [&a, &b, &c] {
            tx.insert_case(r).await.unwrap();
        }
        let (groups, none, total) = tx.stats(StatsGrouping::Scenario, i64::MIN).await.unwrap();
        assert_eq!(groups.len(), 2, "{db}");
        let ssh = &groups.iter().find(|(k, _)| *k == StatsKey::Text("ssh_bruteforce".into())).unwrap().1;
        assert_eq!((ssh.cases, ssh.open, ssh.replied, ssh.met, ssh.missed), (2, 2, 1, 1, 0), "{db}");
        assert_eq!(ssh.reply_minutes, vec![(60, 1)], "{db}");
        assert_eq!(none, None);
        assert_eq!((total.cases, total.messages, total.met, total.missed), (3, 3, 1, 1), "{db}");
        let mut minutes = total.reply_minutes.clone();
        minutes.sort_unstable();
        assert_eq!(minutes, vec![(60, 1), (2 * 24 * 60, 1)], "{db}: beyond a day, to the hour");

        let (groups, none, total) = tx.stats(StatsGrouping::Exit, i64::MIN).await.unwrap();
        let one = &groups.iter().find(|(k, _)| *k == StatsKey::Text("192.0.2.1".into())).unwrap().1;
        assert_eq!(one.cases, 2, "{db}");
        assert_eq!(none.unwrap().cases, 1, "{db}: the case naming no exit");
        assert_eq!(total.cases, 3, "{db}: each case once in the total");
        let (groups, none, _) = tx.stats(StatsGrouping::Port, i64::MIN).await.unwrap();
        assert_eq!(
            groups.iter().map(|(k, c)| (k.clone(), c.cases)).collect::<Vec<_>>(),
            vec![(StatsKey::Int(22), 2), (StatsKey::Int(443), 2)]
        );
        assert_eq!(none.unwrap().cases, 1);
        let (groups, _, total) = tx.stats(StatsGrouping::Port, 0).await.unwrap();
        assert_eq!(groups.len(), 2, "{db}");
        assert_eq!((total.cases, total.messages, total.met, total.missed), (3, 3, 1, 1), "{db}: each case once");
        let (groups, _, total) = tx.stats(StatsGrouping::Month, i64::MIN).await.unwrap();
        assert_eq!(groups, vec![(StatsKey::Int(0), total)], "{db}: 1970-01, keyed by its first day");
        let (groups, _, total) = tx.stats(StatsGrouping::Reporter, 101).await.unwrap();
        assert!(groups.is_empty() && total.cases == 0, "{db}: since filters");
        // Editing a case's exits moves it between the groups.
        let mut a2 = tx.case(1).await.unwrap().unwrap();
        a2.exit_ips = vec!["198.51.100.9".into()];
        tx.update_case(&a2).await.unwrap();
        let (groups, _, _) = tx.stats(StatsGrouping::Exit, i64::MIN).await.unwrap();
        assert!(groups.iter().any(|(k, _)| *k == StatsKey::Text("198.51.100.9".into())), "{db}");
        assert!(!groups.iter().any(|(k, _)| *k == StatsKey::Text("192.0.2.2".into())), "{db}");
        tx.commit().await.unwrap();
        store.close().await;
    }
}
