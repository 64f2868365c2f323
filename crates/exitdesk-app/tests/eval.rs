//! The eval test: extraction must stay at or above the targets.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::path::{Path, PathBuf};

use exitdesk_app::eval_corpus;
use exitdesk_classify::Classifier;
use exitdesk_extract::Extractor;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn shared_corpus_meets_the_targets() {
    let dir =
        std::env::var_os("EXITDESK_CORPUS").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/corpus"));
    if !dir.join("labels.json").is_file() {
        println!("skipping: no corpus at {} (set EXITDESK_CORPUS to run this test)", dir.display());
        return;
    }
    let report = eval_corpus(&dir, &Extractor::new(), &Classifier::builtin().unwrap()).unwrap();
    println!("{}", report.render_text());
    assert!(report.messages >= 142);
    // Pinned at the score measured on the 142 messages on 2026-12-07 (never
    // lower): messages fully right per field.
    for (field, right) in [
        ("reported_ips", 140),
        ("ticket_id", 142),
        ("format", 138),
        ("timestamps", 140),
        ("dest_ports", 137),
        ("language", 137),
        ("scenario", 138),
    ] {
        let target = f64::from(right) / 142.0;
        let share = report.field(field).unwrap().share;
        assert!(share >= target, "{field}: {:.1}% fully right, target {:.1}%", share * 100.0, target * 100.0);
    }
    // Scored where labelled (the 86 of the second batch), pinned likewise.
    let no_reply = report.field("no_reply_needed").unwrap();
    assert!(
        no_reply.messages >= 86 && no_reply.right >= 85,
        "no_reply_needed: {}/{}",
        no_reply.right,
        no_reply.messages
    );
    assert!(report.silent_errors.len() <= 2, "silent errors: {:?}", report.silent_errors);
}

#[test]
fn shipped_examples_are_all_right() {
    let report =
        eval_corpus(&workspace().join("examples"), &Extractor::new(), &Classifier::builtin().unwrap()).unwrap();
    println!("{}", report.render_text());
    assert!(report.messages >= 10);
    assert!(report.misses.is_empty(), "{}", report.render_text());
}

#[test]
fn missing_labels_is_a_clear_error() {
    let err = eval_corpus(Path::new("/nonexistent/exitdesk"), &Extractor::new(), &Classifier::builtin().unwrap())
        .unwrap_err();
    assert!(err.to_string().contains("labels.json"), "{err}");
}

/// Scores the synthetic set `tests/NAME`, and prints the report.
fn eval_holdout(name: &str) -> exitdesk_app::EvalReport {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name);
    let report = eval_corpus(&dir, &Extractor::new(), &Classifier::builtin().unwrap()).unwrap();
    println!("{}", report.render_text());
    report
}

/// Synthetic complaints written apart from the classifier's rules
/// (`tests/holdout`: 30, `tests/holdout2`: 41; documentation addresses
/// only): the classifier must generalise beyond the corpus it was tuned on.
#[test]
fn holdout_scenarios_generalise() {
    for (name, n) in [("holdout", 30), ("holdout2", 41)] {
        let report = eval_holdout(name);
        assert_eq!(report.messages, n);
        let share = report.field("scenario").unwrap().share;
        assert!(share >= 0.9, "{name}: scenario {:.1}% right, target 90%", share * 100.0);
        assert!(report.field("language").unwrap().share >= 0.9);
    }
}

/// Synthetic complaints of every kind of answer (`tests/holdout-kinds`: 30,
/// documentation addresses only): hosted content, police requests, reminders,
/// bounces and auto-replies next to ordinary traffic reports. Written blind to
/// the kind rules; the rules were then corrected where they failed here, so
/// this set now pins them rather than proving they generalise (the corpus
/// kinds, labelled by hand, are the blind check: see the closing notes).
#[test]
fn holdout_kinds_are_decided() {
    let report = eval_holdout("holdout-kinds");
    assert_eq!(report.messages, 30);
    let kind = report.field("kind").unwrap();
    assert!(kind.right >= 30, "kind: {}/{}", kind.right, kind.messages);
    let no_reply = report.field("no_reply_needed").unwrap();
    assert!(no_reply.right >= 30, "no_reply_needed: {}/{}", no_reply.right, no_reply.messages);
    // Pinned at the score measured on 2026-12-07 (never lower).
    assert!(report.field("scenario").unwrap().right >= 29);
    assert!(report.field("ticket_id").unwrap().right >= 30);
    assert!(report.silent_errors.is_empty(), "silent errors: {:?}", report.silent_errors);
}

/// Each field is right for at least its pinned number of messages.
fn assert_pinned(report: &exitdesk_app::EvalReport, pins: &[(&str, usize)]) {
    for (field, right) in pins {
        let got = report.field(field).unwrap().right;
        assert!(got >= *right, "{field}: {got}/{}, pinned at {right}", report.messages);
    }
}

/// The first blind set (`tests/holdout-blind`: 40 synthetic complaints in
/// ten languages, written by a session that never read exitdesk's rules,
/// code or tests, to the corpus label conventions; documentation addresses
/// only). Its misses were read in the fourth session of 2026-12-07, so it is
/// a development set now: `holdout-blind2` took its place as the blind one.
/// Pinned at the score measured on 2026-12-07 (never lower): messages fully
/// right per field.
#[test]
fn holdout_blind_is_measured() {
    let report = eval_holdout("holdout-blind");
    assert_eq!(report.messages, 40);
    assert_pinned(
        &report,
        &[
            ("reported_ips", 40),
            ("timestamps", 39),
            ("dest_ports", 39),
            ("ticket_id", 40),
            ("format", 39),
            ("language", 40),
            ("scenario", 40),
            ("no_reply_needed", 39),
            ("kind", 40),
        ],
    );
    // Partial time lists (true but incomplete) count as silent errors.
    assert!(report.silent_errors.is_empty(), "silent errors: {:?}", report.silent_errors);
}

/// The blind set (`tests/holdout-blind2`: 40 synthetic complaints in nine
/// languages, written like the first by a session that read no exitdesk
/// code, tests or rules; documentation addresses only). Nobody working on
/// the rules reads its messages, labels or misses: only the scores below,
/// which measure how extraction does on senders it was not built against.
/// Pinned at the score measured when it was added (2026-12-07, never lower).
#[test]
fn holdout_blind2_is_measured() {
    // Not printed: its misses would show the messages to whoever reads the log.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/holdout-blind2");
    let report = eval_corpus(&dir, &Extractor::new(), &Classifier::builtin().unwrap()).unwrap();
    assert_eq!(report.messages, 40);
    assert_pinned(
        &report,
        &[
            ("reported_ips", 37),
            ("timestamps", 34),
            ("dest_ports", 37),
            ("ticket_id", 36),
            ("format", 35),
            ("language", 40),
            ("scenario", 36),
            ("no_reply_needed", 37),
            ("kind", 37),
        ],
    );
    assert!(report.silent_errors.len() <= 1, "silent errors: {}", report.silent_errors.len());
}

/// Every field of the older synthetic sets, pinned at the score measured on
/// 2026-12-07 (never lower): messages fully right per field, and at most so
/// many silent errors.
#[test]
fn holdout_facts_are_pinned() {
    type Pins<'a> = &'a [(&'a str, usize)];
    let sets: [(&str, Pins, usize); 11] = [
        (
            "holdout",
            &[("reported_ips", 30), ("timestamps", 30), ("dest_ports", 30), ("ticket_id", 30), ("format", 30)],
            0,
        ),
        (
            "holdout2",
            &[("reported_ips", 41), ("timestamps", 40), ("dest_ports", 41), ("ticket_id", 41), ("format", 40)],
            1,
        ),
        // Written blind to the rules on 2026-12-07 for times, zones, ports and
        // accused addresses (30 traffic complaints), then read as a
        // development set.
        (
            "holdout-times",
            &[
                ("reported_ips", 29),
                ("timestamps", 30),
                ("dest_ports", 30),
                ("ticket_id", 30),
                ("format", 30),
                ("scenario", 29),
                ("kind", 30),
            ],
            2,
        ),
        // Written blind to the code for accused addresses and ticket ids (30:
        // victims' and servers' addresses beside the accused one, tickets in
        // every style, decoy ids); first measured blind at ips 22, tickets 23,
        // then read as a development set.
        (
            "holdout-ids",
            &[
                ("reported_ips", 29),
                ("timestamps", 29),
                ("dest_ports", 29),
                ("ticket_id", 30),
                ("format", 26),
                ("scenario", 29),
                ("kind", 29),
            ],
            0,
        ),
        // Written blind to the code in the shapes of real mail (30: every
        // kind, ten languages); first measured blind at ips 26, times 27,
        // ports 25, tickets 30, scenario 27, silent errors 3, then read as a
        // development set.
        (
            "holdout-blind3",
            &[
                ("reported_ips", 29),
                ("timestamps", 30),
                ("dest_ports", 30),
                ("ticket_id", 30),
                ("format", 28),
                ("scenario", 28),
                ("kind", 30),
            ],
            0,
        ),
        // Written blind to the code on 2026-12-07 (40: real-mail shapes, times
        // and ticket ids in many forms, every kind, ten languages); first
        // measured blind at ips 36, times 36, ports 37, tickets 37, scenario
        // 37, kind 39, silent errors 5, then read as a development set.
        (
            "holdout-blind4",
            &[
                ("reported_ips", 38),
                ("timestamps", 39),
                ("dest_ports", 40),
                ("ticket_id", 40),
                ("format", 40),
                ("scenario", 39),
                ("kind", 40),
            ],
            2,
        ),
        // A second one like it, written to differ (times across lines and
        // sentences, HTML tables, mixed zones, subject ids after a colon);
        // first measured blind at ips 39, times 34, ports 37, tickets 37,
        // scenario 38, kind 38, silent errors 2.
        (
            "holdout-blind5",
            &[
                ("reported_ips", 40),
                ("timestamps", 40),
                ("dest_ports", 39),
                ("ticket_id", 40),
                ("format", 40),
                ("scenario", 39),
                ("kind", 39),
            ],
            0,
        ),
        // A third, written to cover what the first two did not (tracker and
        // panel mails, forwards of forwards, times only in attachments,
        // local clock forms, legal requests); first measured blind at ips
        // 36, times 25, ports 36, tickets 37, scenario 37, kind 37, silent
        // errors 3.
        (
            "holdout-blind6",
            &[
                ("reported_ips", 37),
                ("timestamps", 38),
                ("dest_ports", 38),
                ("ticket_id", 37),
                ("format", 37),
                ("scenario", 37),
                ("kind", 37),
            ],
            1,
        ),
        // A fourth (2026-12-08), written to differ from all before it (log
        // formats in Unix time, squid, auditd, Traefik JSON, Roundcube;
        // typographic minus signs; tickets only in the body; forwards in
        // Swedish and French); first measured blind at ips 34, times 27,
        // ports 39, tickets 33, scenario 35, kind 37, silent errors 5.
        (
            "holdout-blind7",
            &[
                ("reported_ips", 35),
                ("timestamps", 35),
                ("dest_ports", 39),
                ("ticket_id", 38),
                ("format", 37),
                ("scenario", 35),
                ("kind", 37),
            ],
            3,
        ),
        // A fifth (2026-12-08): ticket systems in other styles (Jira,
        // Freshdesk, Zammad, Salesforce), times only in attached logs, several
        // accused addresses over several days, enclosed spam, languages not
        // used before (hu, da, fi, tr, uk, ro, el, ja); first measured blind
        // at ips 37, times 27, ports 36, tickets 36, scenario 36, kind 35,
        // silent errors 2.
        (
            "holdout-blind8",
            &[
                ("reported_ips", 37),
                ("timestamps", 33),
                ("dest_ports", 36),
                ("ticket_id", 36),
                ("format", 39),
                ("scenario", 36),
                ("kind", 35),
            ],
            // Measured at 3 when pinned: 11's times became right (a zone in
            // a Hungarian sentence) while its IPv6 address is still missed.
            3,
        ),
        (
            "holdout-kinds",
            &[("reported_ips", 30), ("timestamps", 29), ("dest_ports", 30), ("ticket_id", 30), ("format", 28)],
            0,
        ),
    ];
    for (name, pins, silent) in sets {
        let report = eval_holdout(name);
        assert_pinned(&report, pins);
        assert!(report.silent_errors.len() <= silent, "{name} silent errors: {:?}", report.silent_errors);
    }
}
