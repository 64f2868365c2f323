//! Golden tests: each message beside its expected JSON.
//!
//! The expected files live in `tests/golden/{examples,corpus}/NAME.json`.
//! Every message is checked with LF and with CRLF line endings: both must give
//! the expected JSON. A mismatch writes `NAME.json.failed` next to the expected
//! file. `EXITDESK_BLESS=1 cargo test -p exitdesk-extract --test it golden`
//! rewrites the expected files after a deliberate change (review the diff).

use std::path::Path;

use exitdesk_extract::Extractor;

use crate::util::{corpus, messages, to_crlf, to_lf, workspace};

fn check_folder(inputs: &Path, golden: &Path) -> usize {
    let bless = std::env::var_os("EXITDESK_BLESS").is_some_and(|v| v == "1");
    let extractor = Extractor::new();
    let mut failures = Vec::new();
    let files = messages(inputs);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let raw = std::fs::read(path).unwrap();
        let expected_path = golden.join(format!("{name}.json"));
        let render = |bytes: &[u8]| {
            let c = extractor.extract(bytes, &name);
            serde_json::to_string_pretty(&c).unwrap() + "\n"
        };
        let lf = render(&to_lf(&raw));
        let crlf = render(&to_crlf(&raw));
        if bless {
            std::fs::write(&expected_path, &lf).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let failed = golden.join(format!("{name}.json.failed"));
        if lf != expected {
            std::fs::write(&failed, &lf).unwrap();
            failures.push(format!("{name} (LF)"));
        } else if crlf != expected {
            std::fs::write(&failed, &crlf).unwrap();
            failures.push(format!("{name} (CRLF)"));
        } else {
            let _ = std::fs::remove_file(&failed);
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches (see the .failed files in {}; bless with EXITDESK_BLESS=1 if intended): {failures:?}",
        golden.display()
    );
    files.len()
}

#[test]
fn examples_match_their_golden_json() {
    let root = workspace();
    let n = check_folder(&root.join("examples"), &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/examples"));
    assert!(n >= 10, "only {n} example messages were checked");
}

#[test]
fn corpus_matches_its_golden_json() {
    let Some(dir) = corpus() else { return };
    let n = check_folder(&dir, &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/corpus"));
    assert!(n >= 50, "only {n} corpus messages were checked");
}
