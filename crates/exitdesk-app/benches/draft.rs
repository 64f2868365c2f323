//! Classify + render one draft, beside extracting the same message (the
//! peer measured in the same run: the ratio is what to read, not the
//! absolute time on a noisy machine).
//!
//! Run: `cargo bench -p exitdesk-app --bench draft`.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use exitdesk_app::{Config, Desk, DraftOptions};
use exitdesk_compose::Outcome;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let desk = Desk::new(Config::load(&root.join("examples/exitdesk.toml")).unwrap()).unwrap();
    let now: jiff::Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
    let mut g = c.benchmark_group("draft");
    for name in ["01-fail2ban-ssh.eml", "02-hoster-netscan-forward.eml", "05-acns-dmca.eml"] {
        let raw = std::fs::read(root.join("examples").join(name)).unwrap();
        let m = desk.reader().unwrap().read(&raw, name);
        g.bench_function(format!("extract (peer) {name}"), |b| {
            b.iter(|| std::hint::black_box(desk.reader().unwrap().extractor.extract(&raw, name)))
        });
        g.bench_function(format!("classify+draft {name}"), |b| {
            b.iter(|| {
                let k = desk.reader().unwrap().classifier.classify(&m.complaint);
                let mut m2 = m.clone();
                m2.classification = k;
                let Outcome::Draft(d) = desk.draft(&m2, DraftOptions::default(), now).unwrap() else { panic!() };
                std::hint::black_box(d.to_message().unwrap())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
