//! Golden tests: each message's extraction against what it was.
//!
//! The shipped examples are ours: their expected JSON lives beside them in
//! `tests/golden/examples/NAME.json`, readable in a diff. The corpus is not
//! ours, and what extraction finds in it is personal data: the repository
//! keeps only the SHA-256 of each message's expected JSON, one
//! `DIGEST  MESSAGE` line per message in `tests/golden/corpus.sha256`, where
//! MESSAGE is the SHA-256 of the message's bytes (the corpus's file names
//! can carry people's names: they stay out of the repository too).
//!
//! Every message is checked with LF and with CRLF line endings: both must give
//! the expected JSON. A mismatch writes the JSON it got as `NAME.json.failed`
//! (beside the examples' files; for the corpus under cargo's scratch folder
//! for tests, `target/tmp/golden-corpus/`).
//! `EXITDESK_BLESS=1 cargo test -p exitdesk-extract --test it golden`
//! rewrites the expected files after a deliberate change (review the diff).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use exitdesk_extract::Extractor;
use sha2::{Digest, Sha256};

use crate::util::{corpus, messages, to_crlf, to_lf, workspace};

/// Where a folder's expected JSON is kept.
enum Expected {
    /// `NAME.json` files in this folder.
    Files(PathBuf),
    /// The SHA-256 of each message's JSON, in this file; what a mismatch
    /// gave is written to the folder.
    Digests(PathBuf, PathBuf),
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn check_folder(inputs: &Path, expected: &Expected) -> usize {
    let bless = std::env::var_os("EXITDESK_BLESS").is_some_and(|v| v == "1");
    let extractor = Extractor::new();
    let mut failures = Vec::new();
    let files = messages(inputs);
    let digests: BTreeMap<String, String> = match expected {
        Expected::Files(_) => BTreeMap::new(),
        Expected::Digests(file, _) => std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once("  "))
            .map(|(d, message)| (message.to_string(), d.to_string()))
            .collect(),
    };
    let mut blessed = BTreeMap::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let raw = std::fs::read(path).unwrap();
        let render = |bytes: &[u8]| {
            let c = extractor.extract(bytes, &name);
            serde_json::to_string_pretty(&c).unwrap() + "\n"
        };
        let lf = render(&to_lf(&raw));
        let crlf = render(&to_crlf(&raw));
        // The expected JSON itself, or its digest.
        let (want, digest, failed) = match expected {
            Expected::Files(dir) => {
                let expected_path = dir.join(format!("{name}.json"));
                if bless {
                    std::fs::write(&expected_path, &lf).unwrap();
                }
                (
                    std::fs::read_to_string(&expected_path).unwrap_or_default(),
                    false,
                    dir.join(format!("{name}.json.failed")),
                )
            }
            Expected::Digests(_, dir) => {
                std::fs::create_dir_all(dir).unwrap();
                let key: String = Sha256::digest(&raw).iter().map(|b| format!("{b:02x}")).collect();
                blessed.insert(key.clone(), sha256_hex(&lf));
                let want = if bless { sha256_hex(&lf) } else { digests.get(&key).cloned().unwrap_or_default() };
                (want, true, dir.join(format!("{name}.json.failed")))
            }
        };
        let is_expected = |got: &str| if digest { sha256_hex(got) == want } else { got == want };
        if !is_expected(&lf) {
            std::fs::write(&failed, &lf).unwrap();
            failures.push(format!("{name} (LF)"));
        } else if !is_expected(&crlf) {
            std::fs::write(&failed, &crlf).unwrap();
            failures.push(format!("{name} (CRLF)"));
        } else {
            let _ = std::fs::remove_file(&failed);
        }
    }
    if let (true, Expected::Digests(file, _)) = (bless, expected) {
        let text: String = blessed.iter().map(|(message, d)| format!("{d}  {message}\n")).collect();
        std::fs::write(file, text).unwrap();
    }
    let shown = match expected {
        Expected::Files(dir) | Expected::Digests(_, dir) => dir.display().to_string(),
    };
    assert!(
        failures.is_empty(),
        "golden mismatches (see the .failed files in {shown}; bless with EXITDESK_BLESS=1 if intended): {failures:?}"
    );
    files.len()
}

#[test]
fn examples_match_their_golden_json() {
    let root = workspace();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/examples");
    let n = check_folder(&root.join("examples"), &Expected::Files(dir));
    assert!(n >= 10, "only {n} example messages were checked");
}

#[test]
fn corpus_matches_its_golden_digests() {
    let Some(dir) = corpus() else { return };
    let digests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/corpus.sha256");
    let failed = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-corpus");
    let n = check_folder(&dir, &Expected::Digests(digests, failed));
    assert!(n >= 50, "only {n} corpus messages were checked");
}
