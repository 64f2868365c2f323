//! No template and no rendered draft carries a stale link or figure of the
//! seed (the list of `../shared/reference/facts.md`).

use exitdesk_compose::{Composer, IntroLevel, NetworkConfig, Outcome, ReplyConfig, Templates};
use exitdesk_model::{Scenario, VerdictKind};

use crate::util::{Ask, complaint, now, operator};

/// Stale items from facts.md: old site, dead services, outdated figures and advice.
const STALE: &[&str] = &[
    "2019.www.torproject.org",
    "torusers.html",
    "overview.html",
    "TorBulkExitList.py",
    "tordnsel",
    "exitlist.torproject.org",
    "code.google.com",
    "recaptcha/intro",
    "HTTPS Everywhere",
    "https-everywhere",
    "5000 volunteers",
    "5,000 volunteers",
    "800 or so",
    "800 exits",
    "nearly a gigabit",
    "almost a gigabit",
    "98%",
    "free.avg.com",
    "lavasoft",
    "safer-networking",
    "Spybot",
    "AdAware",
    "kvz.io",
    "guerilla-ciso",
    "cd34.com",
    "deflate.medialayer",
    "trac.torproject.org",
    "gitweb",
    "git.torproject.org",
    "DirPortFrontPage",
    "NNTP-Posting-Host",
    "killfile",
    "TMG",
    "boingboing",
];

fn assert_fresh(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for s in STALE {
        assert!(!lower.contains(&s.to_lowercase()), "{what} contains the stale item {s:?}");
    }
}

#[test]
fn template_sources_are_current() {
    let t = Templates::builtin();
    let mut n = 0;
    for name in t.names() {
        assert_fresh(name, t.source(name).unwrap());
        n += 1;
    }
    assert!(n >= 24, "{n} templates");
}

#[test]
fn every_rendered_draft_is_current() {
    let c = complaint();
    let mut checked = 0;
    for s in Scenario::ALL {
        for intro in [IntroLevel::Full, IntroLevel::Short, IntroLevel::None] {
            for verdict in
                [None, Some(VerdictKind::Exit), Some(VerdictKind::NotRelay), Some(VerdictKind::PolicyRejects)]
            {
                for network in [crate::util::network(), NetworkConfig::default()] {
                    let scenarios = [(s, None)];
                    let mut ask = Ask::new(&c, &scenarios);
                    ask.intro = intro;
                    ask.verdict = verdict;
                    ask.network = network;
                    if let Outcome::Draft(d) = ask.outcome() {
                        assert_fresh(&format!("draft {s} {intro:?} {verdict:?}"), &d.body);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 12 * 3 * 4 * 2);
    let composer = Composer::builtin().unwrap();
    for notes in [false, true] {
        let text = composer
            .playbook(notes, Some(&c), &operator(), &NetworkConfig::default(), &ReplyConfig::default(), now())
            .unwrap();
        assert_fresh("playbook", &text);
    }
}
