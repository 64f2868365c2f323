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

/// Whitespace that is more than one byte in UTF-8 (no-break, narrow no-break
/// as in French mail, ideographic, paragraph separator, em space), and ASCII.
const SPACES: &[char] = &[' ', '\t', '\u{a0}', '\u{202f}', '\u{3000}', '\u{2029}', '\u{2003}', '\u{85}'];

/// The fact every generated message states on its first body line.
const FACT: &str = "Attack from 192.0.2.7 at 2024-01-02 03:04:05 UTC";

/// A hang detector, not a speed claim (speed is for `cargo bench`): a debug
/// build on a loaded 2-core machine reads about 1 MiB a second at worst; a
/// quadratic path on these multi-MiB shapes takes hours, far past a minute
/// per MiB, while the slowest honest run stays far below it.
fn time_bound(len: usize) -> std::time::Duration {
    std::time::Duration::from_secs(60 + 60 * (len as u64 >> 20))
}

/// Extracts within the hang bound, and checks that the stated fact survived.
fn assert_fact_kept(extractor: &Extractor, bytes: &[u8]) -> exitdesk_model::Complaint {
    let start = std::time::Instant::now();
    let c = extractor.extract(bytes, "prop");
    let took = start.elapsed();
    assert!(took < time_bound(bytes.len()), "{} bytes took {took:?}: a hang or a quadratic path", bytes.len());
    assert!(!c.problems.iter().any(|p| p.contains("internal error")), "panic inside extraction: {:?}", c.problems);
    let ips: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    assert_eq!(ips, ["192.0.2.7"], "{:?}", c.problems);
    assert!(c.events.iter().any(|e| e.time_utc.is_some_and(|t| t.to_string() == "2024-01-02T03:04:05Z")));
    c
}

proptest! {
    #![proptest_config(config(24))]

    /// Lines far longer than the 8 KiB a line is analysed as, their words
    /// separated by single- and multi-byte whitespace: cut without a panic,
    /// the facts kept.
    #[test]
    fn long_lines_with_multi_byte_whitespace(
        words in proptest::collection::vec(("[a-z0-9.:]{1,12}", proptest::sample::select(SPACES)), 700..6000),
        lines in 1usize..4,
    ) {
        let line: String = words.iter().map(|(w, s)| format!("{w}{s}")).collect();
        let mut mail = format!("From: a@example.org\nSubject: report\n\n{FACT}\n");
        for _ in 0..lines {
            mail.push_str(&line);
            mail.push('\n');
        }
        assert_fact_kept(&Extractor::new(), mail.as_bytes());
    }

    /// Enclosed messages and multiparts nested up to twice the 64 levels
    /// walked: the outer facts are kept, and a nesting past the bound is
    /// named in the problems.
    #[test]
    fn deep_nesting(levels in proptest::collection::vec(any::<bool>(), 0..130), subject_words in 1usize..200) {
        check_nesting(&levels, subject_words);
    }

    /// Several large parts, plain or base64: the facts of the first are kept
    /// and the time stays bounded.
    #[test]
    fn large_parts(sizes in proptest::collection::vec((0usize..3 << 20, any::<bool>()), 1..5)) {
        let mut mail = String::from(
            "From: a@example.org\nSubject: report\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\n\
             Content-Type: text/plain\n\n",
        );
        mail.push_str(FACT);
        mail.push('\n');
        for (i, (size, base64)) in sizes.iter().enumerate() {
            let text = "a line of a large log without any address in it\n".repeat(size / 48 + 1);
            if *base64 {
                mail.push_str(&format!(
                    "--x\nContent-Type: text/plain; name=\"p{i}.txt\"\nContent-Transfer-Encoding: base64\n\n{}\n",
                    crate::util::base64(text.as_bytes())
                ));
            } else {
                mail.push_str(&format!("--x\nContent-Type: text/plain\n\n{text}"));
            }
        }
        mail.push_str("--x--\n");
        assert_fact_kept(&Extractor::new(), mail.as_bytes());
    }
}

/// A message whose second part is nested `levels.len()` levels deep
/// (`true`: an enclosed message, `false`: a multipart), each enclosed message
/// with a folded subject of `subject_words` lines.
fn check_nesting(levels: &[bool], subject_words: usize) {
    let subject = vec!["word"; subject_words].join("\n ");
    let mut inner = format!("From: inner@example.org\nSubject: {subject}\n\nbody of the innermost message\n");
    for (i, rfc822) in levels.iter().enumerate() {
        inner = if *rfc822 {
            format!("From: l{i}@example.org\nSubject: {subject}\nContent-Type: message/rfc822\n\n{inner}")
        } else {
            format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n{inner}\n--b{i}--\n")
        };
    }
    let mail = format!(
        "From: a@example.org\nSubject: report\nContent-Type: multipart/mixed; boundary=\"top\"\n\n--top\n\
         Content-Type: text/plain\n\n{FACT}\n--top\n{inner}\n--top--\n"
    );
    let c = assert_fact_kept(&Extractor::new(), mail.as_bytes());
    let said = c.problems.iter().any(|p| p.contains("nested deeper than 64 levels were not read"));
    // The innermost part is about `levels` levels deep; a multipart and an
    // enclosed message add a level differently (mail-parser gives a
    // `message/rfc822` part and the enclosed message's root one part or two),
    // so the bound is asserted a level away on each side.
    if levels.len() <= 63 {
        assert!(!said, "{} levels: {:?}", levels.len(), c.problems);
    } else if levels.len() >= 66 {
        assert!(said, "{} levels: {:?}", levels.len(), c.problems);
    }
}

#[test]
fn nesting_at_the_bound() {
    for n in [62, 63, 66, 67] {
        check_nesting(&vec![true; n], 3);
        check_nesting(&(0..n).map(|i| i % 2 == 0).collect::<Vec<_>>(), 3);
    }
}
