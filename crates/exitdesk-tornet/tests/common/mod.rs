//! Shared by the integration tests: where the real Tor samples are.

use std::path::PathBuf;

/// `../shared/testdata/tor` (or `$EXITDESK_TOR_TESTDATA`); `None`, with a
/// printed reason, when absent (a fresh clone).
#[allow(clippy::print_stderr)]
pub(crate) fn tor_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EXITDESK_TOR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/tor"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no Tor sample data at {} (set EXITDESK_TOR_TESTDATA)", dir.display());
        None
    }
}
