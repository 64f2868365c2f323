//! Drafting over real and shipped complaints.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::path::{Path, PathBuf};

use exitdesk_app::{Config, Desk, DraftOptions, load_labels};
use exitdesk_compose::Outcome;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn now() -> jiff::Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

fn desk() -> Desk {
    Desk::new(Config::load(&workspace().join("examples/exitdesk.toml")).unwrap()).unwrap()
}

#[test]
fn corpus_drafts_keep_the_ticket_id() {
    let dir =
        std::env::var_os("EXITDESK_CORPUS").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/corpus"));
    if !dir.join("labels.json").is_file() {
        println!("skipping: no corpus at {} (set EXITDESK_CORPUS to run this test)", dir.display());
        return;
    }
    let desk = desk();
    let opts = DraftOptions { force: true, ..DraftOptions::default() };
    let mut with_ticket = 0;
    for label in load_labels(&dir).unwrap() {
        let raw = std::fs::read(dir.join(&label.file)).unwrap();
        let m = desk.reader.read(&raw, &label.file);
        let Outcome::Draft(d) = desk.draft(&m, opts, now()).unwrap() else {
            panic!("{}: no draft", label.file);
        };
        assert!(d.body.lines().all(|l| l.chars().count() <= 72 || l.starts_with("    ") || !l.contains(' ')));
        d.to_message().unwrap();
        if let Some(ticket) = label.ticket_id.as_deref().filter(|t| !t.is_empty()) {
            with_ticket += 1;
            assert!(
                d.subject.contains(ticket),
                "{}: subject {:?} lost the ticket id {ticket:?}",
                label.file,
                d.subject
            );
        }
    }
    assert!(with_ticket >= 30, "{with_ticket} corpus messages with a ticket id");
}

#[test]
fn every_shipped_example_drafts() {
    let desk = desk();
    let mut n = 0;
    for item in exitdesk_app::extract_stream(&desk.reader, [workspace().join("examples")]) {
        let exitdesk_app::ExtractItem::Complaint(m) = item else { panic!("unreadable example") };
        match desk.draft(&m, DraftOptions::default(), now()).unwrap() {
            Outcome::Draft(d) => {
                assert!(d.to.is_some(), "{}: {:?}", m.complaint.source, d.warnings);
                assert!(d.warnings.is_empty(), "{}: {:?}", m.complaint.source, d.warnings);
            }
            Outcome::Note(_) => {}
            Outcome::Refused(r) => panic!("{}: {r}", m.complaint.source),
        }
        n += 1;
    }
    assert_eq!(n, 14);
}
