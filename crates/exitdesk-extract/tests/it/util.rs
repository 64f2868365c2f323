//! Where the test inputs live.

use std::path::{Path, PathBuf};

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared corpus: `EXITDESK_CORPUS`, else `../shared/corpus` beside the
/// repository. `None` (with the reason printed) when absent.
pub(crate) fn corpus() -> Option<PathBuf> {
    let dir =
        std::env::var_os("EXITDESK_CORPUS").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/corpus"));
    if dir.join("labels.json").is_file() {
        Some(dir)
    } else {
        println!("skipping: no corpus at {} (set EXITDESK_CORPUS to run these tests)", dir.display());
        None
    }
}

/// Message files (`.eml`, `.txt`) in a folder, sorted.
pub(crate) fn messages(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("eml" | "txt")))
        .collect();
    out.sort();
    out
}

pub(crate) fn to_lf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

pub(crate) fn to_crlf(b: &[u8]) -> Vec<u8> {
    let lf = to_lf(b);
    let mut out = Vec::with_capacity(lf.len() + lf.len() / 20);
    for &c in &lf {
        if c == b'\n' {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

/// Base64 with line breaks (76 characters, CRLF), as mail carries it.
pub(crate) fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    b64.as_bytes().chunks(76).map(|l| std::str::from_utf8(l).unwrap()).collect::<Vec<_>>().join("\r\n")
}
