//! Fuzz target: any bytes through the whole extraction, and the result checked.
//!
//! `Extractor::extract` catches panics and reports them as an "internal
//! error" problem, so this target turns that problem back into a crash for
//! the fuzzer to see. Beyond that, the complaint must be well-formed: problems
//! are non-empty text, lists are free of duplicates, events come sorted by
//! time, and the `extract --json` contract serialises and reads back equal.
//!
//! Run: see `fuzz/README.md` (`fuzz/run.sh extract 60`).
//!
//! `-O` builds as users run exitdesk (release, no debug assertions): without
//! it, a `debug_assert!(false)` inside mail-parser on a malformed-MIME path
//! that release builds recover from stops the fuzzer.

#![no_main]

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::OnceLock;

use exitdesk_extract::Extractor;
use exitdesk_model::{Complaint, ComplaintText};
use libfuzzer_sys::fuzz_target;

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let extractor = EXTRACTOR.get_or_init(Extractor::new);
    let c = extractor.extract(data, "fuzz");
    check(&c);
});

fn check(c: &Complaint) {
    assert!(!c.problems.iter().any(|p| p.contains("internal error")), "caught panic: {:?}", c.problems);
    for p in &c.problems {
        assert!(!p.trim().is_empty(), "empty problem in {:?}", c.problems);
    }
    if let Some(id) = &c.ticket_id {
        assert!(!id.trim().is_empty(), "empty ticket id");
        assert!(!c.other_ids.contains(id), "the ticket id {id:?} is also among other_ids");
    }
    unique("other_ids", &c.other_ids);
    unique("reported_ips", &c.reported_ips);
    unique("dest_ports", &c.dest_ports);
    unique("reported_ports", &c.reported_ports);
    unique("events", &c.events);
    let order: Vec<_> = c.events.iter().map(|e| (e.time_utc, e.time_local)).collect();
    assert!(order.is_sorted(), "events not sorted by time: {order:?}");

    // The `extract --json` contract: every key present, and it reads back
    // equal (`text` is never serialised).
    let json = serde_json::to_string(c).expect("a complaint serialises");
    let value: serde_json::Value = serde_json::from_str(&json).expect("its JSON parses");
    for k in Complaint::CONTRACT_KEYS {
        assert!(value.get(k).is_some(), "JSON lacks the contract key {k}");
    }
    let back: Complaint = serde_json::from_str(&json).unwrap_or_else(|e| panic!("JSON reads back: {e}\n{json}"));
    let expected = Complaint { text: ComplaintText::default(), ..c.clone() };
    assert_eq!(back, expected, "the JSON round-trip changed the complaint");
}

fn unique<T: Hash + Eq + std::fmt::Debug>(what: &str, items: &[T]) {
    let mut seen = HashSet::new();
    for i in items {
        assert!(seen.insert(i), "{what} lists {i:?} twice");
    }
}
