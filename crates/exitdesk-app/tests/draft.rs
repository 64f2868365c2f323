//! Drafting over real and shipped complaints.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::path::{Path, PathBuf};

use exitdesk_app::{Config, Desk, DraftOptions, load_labels};
use exitdesk_compose::{IntroLevel, Outcome};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn now() -> jiff::Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

/// The labelled corpus (`$EXITDESK_CORPUS`, else `../shared/corpus`), or
/// `None` with the reason printed: the test then skips.
fn corpus() -> Option<PathBuf> {
    let dir =
        std::env::var_os("EXITDESK_CORPUS").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/corpus"));
    if !dir.join("labels.json").is_file() {
        println!("skipping: no corpus at {} (set EXITDESK_CORPUS to run this test)", dir.display());
        return None;
    }
    Some(dir)
}

fn desk() -> Desk {
    Desk::new(Config::load(&workspace().join("examples/exitdesk.toml")).unwrap()).unwrap()
}

#[test]
fn corpus_drafts_keep_the_ticket_id() {
    let Some(dir) = corpus() else { return };
    let desk = desk();
    let opts = DraftOptions { force: true, ..DraftOptions::default() };
    let mut with_ticket = 0;
    let mut refused = Vec::new();
    for label in load_labels(&dir).unwrap() {
        let raw = std::fs::read(dir.join(&label.file)).unwrap();
        let m = desk.reader().unwrap().read(&raw, &label.file);
        let d = match desk.draft(&m, opts, now()).unwrap() {
            Outcome::Draft(d) => d,
            Outcome::Note(_) => panic!("{}: a note although the draft was forced", label.file),
            Outcome::Refused(why) => {
                refused.push(format!("{}: {why}", label.file));
                continue;
            }
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
    // Pinned at today's count on the 142: a CERT's report that carries
    // `Auto-Submitted: auto-replied` is refused as an automatic reply.
    assert!(refused.len() <= 1, "drafts refused: {refused:#?}");
}

/// The words of a draft's letter: the body up to the appendix.
fn letter_words(body: &str) -> usize {
    body.split(exitdesk_compose::APPENDIX).next().unwrap_or("").split_whitespace().count()
}

fn median(v: &mut [usize]) -> usize {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// Issue 16 §4: drafts every corpus message that gets a letter (or would,
/// but for saying that no reply is needed) and pins
/// the median length of the letter (appendix not counted), with the full
/// intro and without it; no draft calls a corpus address "ours" (the
/// example configuration does not list them, and there is no network
/// data), and every public accused address is said to be unverified.
#[test]
fn corpus_draft_lengths() {
    let Some(dir) = corpus() else { return };
    let desk = desk();
    let (mut full, mut none) = (Vec::new(), Vec::new());
    for label in load_labels(&dir).unwrap() {
        let raw = std::fs::read(dir.join(&label.file)).unwrap();
        let m = desk.reader().unwrap().read(&raw, &label.file);
        for (intro, lengths) in [(IntroLevel::Full, &mut full), (IntroLevel::None, &mut none)] {
            let opts = DraftOptions { intro, ..DraftOptions::default() };
            let d = match desk.draft(&m, opts, now()).unwrap() {
                Outcome::Draft(d) => d,
                // A complaint that says no reply is needed still has a
                // letter to measure: the sample must not shrink when that
                // decision gets better (refusals stay out).
                Outcome::Note(_) => match desk.draft(&m, DraftOptions { force: true, ..opts }, now()).unwrap() {
                    Outcome::Draft(d) => d,
                    _ => continue,
                },
                Outcome::Refused(_) => continue,
            };
            let flat = d.body.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                !flat.contains("according to our configuration"),
                "{}: an unverified address called ours",
                label.file
            );
            assert!(!flat.contains("=?"), "{}: an encoded word in the letter", label.file);
            lengths.push(letter_words(&d.body));
        }
    }
    let (max_full, max_none) = (full.iter().max().copied().unwrap_or(0), none.iter().max().copied().unwrap_or(0));
    let (n, median_full, median_none) = (full.len(), median(&mut full), median(&mut none));
    println!(
        "{n} letters: median {median_full} words with the full intro (max {max_full}), {median_none} without (max {max_none})"
    );
    // Targets: ≤ 400 with the full intro, ≤ 250 without. Pinned near the
    // measured values: lower them when drafts get shorter, never raise them.
    assert!(median_full <= MEDIAN_FULL, "median {median_full} words with the full intro (pinned {MEDIAN_FULL})");
    assert!(median_none <= MEDIAN_NONE, "median {median_none} words without the intro (pinned {MEDIAN_NONE})");
    assert!(n >= 120, "only {n} corpus letters drafted");
}

/// The pinned medians of `corpus_draft_lengths`: measured 186 and 160 on
/// 2026-12-07 after a site owner's letter lost its stacked generic
/// paragraph (earlier 201 and 167: a shorter first paragraph, ExoneraTor and reject-rule
/// sentences; "no records" said once; the answer to "what was done" without
/// announcing the offer that follows), with a few words of room so that a
/// sentence added where it is needed does not fail the build (the targets
/// are 400 and 250).
const MEDIAN_FULL: usize = 190;
const MEDIAN_NONE: usize = 165;

#[test]
fn every_shipped_example_drafts() {
    let desk = desk();
    let mut n = 0;
    for item in exitdesk_app::extract_stream(desk.reader().unwrap(), [workspace().join("examples")]) {
        let exitdesk_app::ExtractItem::Complaint(m) = item else { panic!("unreadable example") };
        match desk.draft(&m, DraftOptions::default(), now()).unwrap() {
            Outcome::Draft(d) => {
                assert!(d.to.is_some(), "{}: {:?}", m.complaint.source, d.warnings);
                // Requests found in the text are to-dos; nothing about the
                // addresses or the recipient may be in doubt.
                let doubt = ["not verified", "never one of our", "reply address", "placeholder"];
                assert!(
                    !d.warnings.iter().any(|w| doubt.iter().any(|x| w.contains(x))),
                    "{}: {:?}",
                    m.complaint.source,
                    d.warnings
                );
            }
            Outcome::Note(_) => {}
            Outcome::Refused(r) => panic!("{}: {r}", m.complaint.source),
        }
        n += 1;
    }
    assert_eq!(n, 14);
}

/// A complaint body full of template syntax, a CRLF header injection in an
/// encoded subject and a 1 MB line, through the whole pipeline.
#[test]
fn hostile_complaint_through_the_pipeline() {
    let desk = desk();
    let huge = "B".repeat(1 << 20);
    let raw = format!(
        "From: Sam <sam@reporter.example>\r\nTo: abuse@exit.example.org\r\n\
         Subject: =?UTF-8?B?{}?=\r\nMessage-ID: <h1@reporter.example>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n\
         {{{{ 7*7 }}}} {{% include 'signature' %}} {{{{ operator.email }}}}\r\n\
         SSH brute force from 192.0.2.55 at 2026-11-24 09:00:00 UTC:\r\n\
         Nov 24 09:00:00 host sshd[1]: Failed password for root from 192.0.2.55 port 4242 ssh2\r\n{huge}\r\n",
        b64("SSH abuse {{ 7*7 }}\r\nBcc: victim@example.net")
    );
    let m = desk.reader().unwrap().read(raw.as_bytes(), "hostile.eml");
    assert_eq!(m.classification.scenario().as_str(), "ssh_bruteforce");
    let Outcome::Draft(d) = desk.draft(&m, DraftOptions::default(), now()).unwrap() else { panic!("no draft") };
    assert!(d.subject.starts_with("Re: SSH abuse {{ 7*7 }}"), "{}", d.subject);
    assert!(!d.body.contains("49"));
    let msg = String::from_utf8(d.to_message().unwrap()).unwrap();
    let head = msg.split("\r\n\r\n").next().unwrap();
    assert!(!head.to_ascii_lowercase().contains("\r\nbcc:"), "{head}");
    assert_eq!(d.to.unwrap().address, "sam@reporter.example");
    assert!(msg.len() < 64 * 1024);
}

fn b64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
