//! `queue` and `stats` (every grouping, with and without `--since`) over a
//! store of 100,000 cases, on SQLite and (when
//! `EXITDESK_BENCH_PG_URL` names a server) on PostgreSQL side by side: the
//! same use-cases the CLI calls. The peer in the same run is reading the same
//! rows without decoding them into cases (`SELECT COUNT(*)` over the table is
//! the floor a query over every case cannot beat).
//!
//! After loading, [`Store::maintain`] does what PostgreSQL's autovacuum does
//! by itself within a minute of a bulk load (statistics, visibility map).
//!
//! Run: `cargo bench -p exitdesk-app --bench store` (optionally with
//! `EXITDESK_BENCH_PG_URL=$(scripts/pg-test-server.sh start /tmp/pgb 15434)`).

#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use exitdesk_app::{Config, Desk};
use exitdesk_cases::By;
use exitdesk_model::{CaseState, Kind, Scenario};
use exitdesk_store::{CaseFilter, CaseRecord, Store};

const CASES: i64 = 100_000;

async fn fill(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let (n, _) = tx.message_counts().await.unwrap();
    let have: i64 = tx.case_counts().await.unwrap().iter().map(|(_, n)| n).sum();
    tx.commit().await.unwrap();
    if have >= CASES || n > 0 {
        return;
    }
    let start = 1_735_689_600; // 2025-01-01
    for chunk in 0..(CASES / 10_000) {
        let mut tx = store.begin().await.unwrap();
        for i in chunk * 10_000..(chunk + 1) * 10_000 {
            let scenario = Scenario::ALL[(i % 12) as usize];
            let state = CaseState::ALL[(i % 8) as usize];
            let opened = start + i * 300;
            let rec = CaseRecord {
                id: 0,
                state,
                scenario: scenario.as_str().into(),
                subkind: None,
                kind: Kind::ALL[(i % 5) as usize],
                reporter: format!("abuse{}@reporter{}.example", i % 50, i % 700),
                reporter_name: None,
                forwarder: None,
                thread: None,
                exit_ips: vec![format!("198.51.100.{}", i % 200)],
                ports: vec![[22, 80, 443, 25][(i % 4) as usize]],
                flood_period: None,
                country: Some(["DE", "US", "FR", "NL"][(i % 4) as usize].into()),
                language: Some("en".into()),
                subject: Some(format!("Abuse report {i}")),
                opened_at: opened,
                updated_at: opened,
                last_arrival: opened,
                deadline: (i % 3 != 0).then_some(opened + 86_400),
                follow_up: None,
                first_reply_at: (i % 2 == 0).then_some(opened + 3600 * (i % 30)),
                messages: 1 + i % 3,
            };
            tx.insert_case(&rec).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let desk = Desk::new(Config::default()).unwrap();
    let now: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let dir = std::env::temp_dir().join("exitdesk-bench-store");
    let mut stores = vec![("sqlite", rt.block_on(Store::open_dir(&dir)).unwrap())];
    if let Some(url) =
        std::env::var_os("EXITDESK_BENCH_PG_URL").and_then(|v| v.into_string().ok()).filter(|u| !u.is_empty())
    {
        stores.push(("postgres", rt.block_on(Store::open(&url)).unwrap()));
    }
    let mut g = c.benchmark_group("store-100k");
    g.sample_size(10);
    for (name, store) in &stores {
        rt.block_on(fill(store));
        // What autovacuum does on its own shortly after a bulk load.
        rt.block_on(store.maintain()).unwrap();
        let page = CaseFilter { limit: Some(50), ..CaseFilter::default() };
        g.bench_function(format!("{name}: queue (the 50 most urgent, counts per state)"), |b| {
            b.iter(|| std::hint::black_box(rt.block_on(desk.queue(store, &page, now)).unwrap()))
        });
        g.bench_function(format!("{name}: queue --json (every open case)"), |b| {
            b.iter(|| std::hint::black_box(rt.block_on(desk.queue(store, &CaseFilter::default(), now)).unwrap()))
        });
        let f = CaseFilter { states: vec![CaseState::NeedsHuman], limit: Some(50), ..CaseFilter::default() };
        g.bench_function(format!("{name}: queue --state needs-human"), |b| {
            b.iter(|| std::hint::black_box(rt.block_on(desk.queue(store, &f, now)).unwrap()))
        });
        // Every grouping, over every case and with `--since 2025-10-01` (the
        // last quarter of the cases).
        for since in [None, Some(1_759_276_800)] {
            for by in [By::Scenario, By::Month, By::Exit, By::Reporter, By::Port] {
                let label = if since.is_some() { " --since 2025-10-01" } else { "" };
                g.bench_function(format!("{name}: stats --by {}{label}", by.as_str()), |b| {
                    b.iter(|| std::hint::black_box(rt.block_on(desk.stats(store, by, since)).unwrap()))
                });
            }
        }
        g.bench_function(format!("{name}: peer: count the case rows"), |b| {
            b.iter(|| {
                rt.block_on(async {
                    let mut tx = store.begin().await.unwrap();
                    let n = tx.case_counts().await.unwrap();
                    tx.commit().await.unwrap();
                    std::hint::black_box(n)
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
