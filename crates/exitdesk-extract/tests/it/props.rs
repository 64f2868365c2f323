//! Property tests: no input makes extraction panic, and every input gives a
//! result. Panics inside the extractor are caught and reported as an
//! "internal error" problem; these tests fail if that ever happens.

use exitdesk_extract::Extractor;
use proptest::prelude::*;

use crate::util::{corpus, messages, workspace};

fn assert_sound(extractor: &Extractor, bytes: &[u8]) {
    let c = extractor.extract(bytes, "prop");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")), "panic inside extraction: {:?}", c.problems);
    assert_eq!(c.source, "prop");
    serde_json::to_string(&c).unwrap();
}

fn samples() -> Vec<Vec<u8>> {
    let mut dirs = vec![workspace().join("examples")];
    if let Some(c) = corpus() {
        dirs.push(c);
    }
    dirs.iter().flat_map(|d| messages(d)).map(|p| std::fs::read(p).unwrap()).collect()
}

// A fixed seed keeps CI deterministic; exploration is the fuzzer's job.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, rng_seed: proptest::test_runner::RngSeed::Fixed(0x00e1_7de5), ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let extractor = Extractor::new();
        assert_sound(&extractor, &bytes);
    }

    #[test]
    fn arbitrary_text_lines(lines in proptest::collection::vec("[ -~\t]{0,120}", 0..60)) {
        let extractor = Extractor::new();
        assert_sound(&extractor, lines.join("\n").as_bytes());
    }

    /// Lines stitched from the words extraction reacts to and arbitrary
    /// Unicode, so that multi-byte text lands right after keys, cues and times.
    #[test]
    fn keywords_next_to_unicode(
        lines in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just("time zone: ".to_string()),
                    Just("All times are ".to_string()),
                    Just("IP: ".to_string()),
                    Just("attack from ".to_string()),
                    Just("192.0.2.1".to_string()),
                    Just("2001:db8::1".to_string()),
                    Just("2024-01-02 03:04:05".to_string()),
                    Just("Sep 22 01:20:17".to_string()),
                    Just(" (GMT+8)".to_string()),
                    Just("currently ".to_string()),
                    Just("destination port ".to_string()),
                    Just(",".to_string()),
                    Just("> ".to_string()),
                    Just("-> ".to_string()),
                    Just("Subject: ".to_string()),
                    Just("-----BEGIN PGP SIGNED MESSAGE-----".to_string()),
                    "\\PC{0,12}",
                ],
                0..10,
            ),
            0..30,
        )
    ) {
        let text: Vec<String> = lines.into_iter().map(|parts| parts.concat()).collect();
        let extractor = Extractor::new();
        assert_sound(&extractor, text.join("\n").as_bytes());
        let mail = format!("From: a@example.org\nSubject: {}\n\n{}", text.first().map_or("", String::as_str), text.join("\n"));
        assert_sound(&extractor, mail.as_bytes());
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn real_messages_truncated_or_mutated(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..32),
        insert in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let all = samples();
        let mut bytes = all[pick.index(all.len())].clone();
        let at = cut.index(bytes.len() + 1);
        bytes.truncate(at.max(bytes.len() / 2));
        for (i, b) in &flips {
            if !bytes.is_empty() {
                let i = i.index(bytes.len());
                bytes[i] = *b;
            }
        }
        let pos = cut.index(bytes.len() + 1);
        bytes.splice(pos..pos, insert);
        let extractor = Extractor::new();
        assert_sound(&extractor, &bytes);
        // And the plain truncation alone.
        let mut t = all[pick.index(all.len())].clone();
        t.truncate(at);
        assert_sound(&extractor, &t);
    }
}
