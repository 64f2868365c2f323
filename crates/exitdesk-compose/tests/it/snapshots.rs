//! Snapshot tests: one draft per scenario, per intro level and per verdict
//! block, plus the no-reply note and the playbook. The expected text lives
//! in `tests/snapshots/NAME.txt`; `EXITDESK_BLESS=1` rewrites it; a mismatch
//! writes `NAME.txt.failed` beside it.

use std::path::{Path, PathBuf};

use exitdesk_compose::{Composer, IntroLevel, NetworkConfig, Outcome, ReplyConfig, WIDTH};
use exitdesk_model::{Delivery, Scenario, VerdictKind};

use crate::util::{Ask, complaint, network, now, operator, show};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn check(name: &str, got: &str, failures: &mut Vec<String>) {
    let body = got.split_once("\n\n").filter(|_| got.starts_with("To:")).map_or(got, |(_, b)| b);
    for line in body.lines() {
        assert!(
            line.chars().count() <= WIDTH || line.starts_with("    ") || !line.contains(' '),
            "{name}: line longer than {WIDTH} columns: {line:?}"
        );
    }
    let path = dir().join(format!("{name}.txt"));
    if std::env::var_os("EXITDESK_BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let failed = dir().join(format!("{name}.txt.failed"));
    match std::fs::read_to_string(&path) {
        Ok(want) if want == got => {
            let _ = std::fs::remove_file(failed);
        }
        _ => {
            std::fs::write(&failed, got).unwrap();
            failures.push(name.to_string());
        }
    }
}

fn finish(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "snapshots differ (see the .failed files in {}; bless with EXITDESK_BLESS=1 if intended): {failures:?}",
        dir().display()
    );
}

#[test]
fn one_draft_per_scenario() {
    let c = complaint();
    let mut failures = Vec::new();
    let subkinds = [
        (Scenario::DosScraping, Some("port_scan")),
        (Scenario::Other, Some("botnet")),
        (Scenario::Other, Some("law_enforcement")),
        (Scenario::Other, Some("phishing")),
    ];
    let plain = Scenario::ALL.map(|s| (s, None));
    for (s, k) in plain.iter().chain(subkinds.iter()) {
        let scenarios = [(*s, *k)];
        let d = Ask::new(&c, &scenarios).draft();
        let name = match k {
            Some(k) => format!("scenario-{}-{k}", s.as_str()),
            None => format!("scenario-{}", s.as_str()),
        };
        check(&name, &show(&d), &mut failures);
    }
    finish(failures);
}

/// Copyright notices by kind, UDP floods, and an account owner writing
/// for themselves: the blocks say only what fits the facts.
#[test]
fn blocks_follow_the_facts() {
    let mut failures = Vec::new();
    let mut p2p = complaint();
    p2p.reported_ports = vec![6881];
    p2p.text.fields.push(("acns.protocol".into(), "bittorrent".into()));
    let mut high_port = p2p.clone();
    high_port.reported_ports = vec![51413];
    let mut udp = complaint();
    for e in &mut udp.events {
        e.protocol = Some("udp".into());
        e.dest_port = Some(123);
    }
    let mut person = complaint();
    person.forwarder = None;
    person.complainant.address = Some("sam.reporter@gmail.com".into());
    let cases = [
        ("copyright-p2p-default-port", &p2p, (Scenario::Copyright, Some("p2p"))),
        ("copyright-p2p-other-port", &high_port, (Scenario::Copyright, Some("p2p"))),
        ("copyright-links", &complaint(), (Scenario::Copyright, Some("links"))),
        ("copyright-streaming", &complaint(), (Scenario::Copyright, Some("streaming"))),
        ("dos_scraping-udp", &udp, (Scenario::DosScraping, Some("flood"))),
        ("dos_scraping-tcp-flood", &complaint(), (Scenario::DosScraping, Some("flood"))),
        ("account_compromise-person", &person, (Scenario::AccountCompromise, None)),
    ];
    for (name, c, label) in cases {
        let scenarios = [label];
        let mut ask = Ask::new(c, &scenarios);
        ask.intro = IntroLevel::None;
        check(&format!("facts-{name}"), &show(&ask.draft()), &mut failures);
    }
    finish(failures);
}

#[test]
fn each_intro_level() {
    // The full intro is for a site owner writing directly (a provider's
    // forward gets the short one even when the full one is asked for).
    let mut c = complaint();
    c.forwarder = None;
    let scenarios = [(Scenario::SshBruteforce, Some("ssh"))];
    let mut failures = Vec::new();
    let mut lengths = Vec::new();
    for level in [IntroLevel::Full, IntroLevel::Short, IntroLevel::None] {
        let mut ask = Ask::new(&c, &scenarios);
        ask.intro = level;
        let d = ask.draft();
        lengths.push(d.body.len());
        check(&format!("intro-{}", level.as_str()), &show(&d), &mut failures);
    }
    assert!(lengths[0] > lengths[1] && lengths[1] > lengths[2], "full > short > none: {lengths:?}");
    finish(failures);
}

#[test]
fn each_verdict_block() {
    let c = complaint();
    let scenarios = [(Scenario::SshBruteforce, None)];
    let mut failures = Vec::new();
    for (name, kind) in [
        ("exit", VerdictKind::Exit),
        ("not_exit", VerdictKind::NotRelay),
        ("policy_rejects", VerdictKind::PolicyRejects),
    ] {
        let mut ask = Ask::new(&c, &scenarios);
        ask.verdict = Some(kind);
        ask.intro = IntroLevel::Short;
        let d = ask.draft();
        if kind != VerdictKind::Exit {
            assert!(!d.body.contains("dig +short"), "{name}: no blocking kit for traffic that was not ours");
        }
        check(&format!("verdict-{name}"), &show(&d), &mut failures);
    }
    finish(failures);
}

#[test]
fn two_scenarios_and_no_live_figures() {
    let c = complaint();
    let scenarios = [(Scenario::Threats, Some("harassment")), (Scenario::Copyright, None)];
    let mut ask = Ask::new(&c, &scenarios);
    ask.network = NetworkConfig::default();
    let d = ask.draft();
    let mut failures = Vec::new();
    check("two-scenarios-no-figures", &show(&d), &mut failures);
    finish(failures);
}

#[test]
fn no_reply_needed_gives_a_note() {
    let mut c = complaint();
    c.no_reply_needed = true;
    let scenarios = [(Scenario::DosScraping, Some("port_scan"))];
    let Outcome::Note(note) = Ask::new(&c, &scenarios).outcome() else { panic!("expected a note") };
    assert!(note.contains("--force"));
    let mut failures = Vec::new();
    check("note-no-reply", &note, &mut failures);
    finish(failures);
}

#[test]
fn playbook_and_call_notes() {
    let composer = Composer::builtin().unwrap();
    let mut failures = Vec::new();
    for (name, notes) in [("playbook-threats", false), ("playbook-call-notes", true)] {
        let text = composer
            .playbook(notes, Some(&complaint()), &operator(), &network(), &ReplyConfig::default(), now())
            .unwrap();
        check(name, &text, &mut failures);
        // Without a complaint, too.
        composer.playbook(notes, None, &operator(), &NetworkConfig::default(), &ReplyConfig::default(), now()).unwrap();
    }
    finish(failures);
}

#[test]
fn a_provider_gets_the_short_intro() {
    let c = complaint();
    let scenarios = [(Scenario::SshBruteforce, Some("ssh"))];
    let d = Ask::new(&c, &scenarios).draft();
    assert_eq!(d.intro, IntroLevel::Short, "a forwarded complaint gets the short intro");
    assert!(!d.body.contains("run by volunteers"), "{}", d.body);
    assert!(!d.body.contains("follow up within"), "no empty follow-up promise: {}", d.body);
    let flat = d.body.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("not yet checked"), "says what was not verified: {}", d.body);
}

#[test]
fn spam_reasoning_follows_the_headers() {
    let mut c = complaint();
    c.dest_ports = vec![25];
    let scenarios = [(Scenario::WebmailSpam, None)];
    let d = Ask::new(&c, &scenarios).draft();
    assert!(d.body.contains("port 25") && d.body.contains("not yet checked"), "{}", d.body);
    assert!(!d.body.contains("web page"), "no web relay without evidence: {}", d.body);
    // A login recorded on the accused address's hop (extraction reads the chain).
    c.delivery = Some(Delivery::Submitted);
    let d = Ask::new(&c, &scenarios).draft();
    assert!(d.body.contains("authenticated submission"), "{}", d.body);
}

#[test]
fn a_question_about_action_is_answered_and_a_signer_greeted() {
    let mut c = complaint();
    c.forwarder = None;
    c.complainant.name = None;
    c.requests.action = true;
    c.requests.signer = Some("Jane Doe".into());
    let scenarios = [(Scenario::SshBruteforce, Some("ssh"))];
    let d = Ask::new(&c, &scenarios).draft();
    assert!(d.body.starts_with("Hello Jane Doe,"), "{}", d.body);
    // The answer is in the first paragraph, not after the advice.
    let first = d.body.split("\n\n").nth(1).unwrap_or_default();
    assert!(first.contains("You asked what we have done"), "{}", d.body);
    // A forwarded complaint's signer may be the enclosed complainant: not greeted.
    let mut f = complaint();
    f.requests.signer = Some("Jane Doe".into());
    if let Some(p) = f.forwarder.as_mut() {
        p.name = None;
    }
    let d = Ask::new(&f, &scenarios).draft();
    assert!(!d.body.contains("Jane Doe"), "{}", d.body);
}

#[test]
fn a_report_to_several_networks() {
    let c = crate::networks::round_up();
    let scenarios = [(Scenario::Other, Some("phishing"))];
    let mut failures = Vec::new();
    for (name, networks) in
        [("several-networks-ours-known", vec!["AS64500".to_string()]), ("several-networks-unknown", vec![])]
    {
        let mut ask = Ask::new(&c, &scenarios);
        ask.kind = exitdesk_model::Kind::Hosted;
        ask.our_addresses = c.reported_ips.clone();
        ask.networks = networks;
        check(name, &show(&ask.draft()), &mut failures);
    }
    finish(failures);
}

#[test]
fn a_request_to_confirm_receipt_is_answered_once() {
    let mut c = complaint();
    c.requests.receipt = true;
    let scenarios = [(Scenario::SshBruteforce, Some("ssh"))];
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(body.contains("As asked, we confirm that the report reached us."), "{body}");
    c.forwarder = None;
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(body.contains("As asked, we confirm that your report reached us."), "{body}");
    // A written statement answers both.
    c.requests.confirmation = true;
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(body.contains("this message is our written statement") && !body.contains("reached us"), "{body}");
}
