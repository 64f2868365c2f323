//! Fuzz target: any bytes through the whole extraction.
//!
//! `Extractor::extract` catches panics and reports them as an "internal
//! error" problem, so this target turns that problem back into a crash for
//! the fuzzer to see.
//!
//! Run (stable toolchain): `cargo install cargo-fuzz && cargo fuzz run -s none -O extract`
//!
//! `-O` builds as users run exitdesk (release, no debug assertions): without
//! it, a `debug_assert!(false)` inside mail-parser on a malformed-MIME path
//! that release builds recover from stops the fuzzer.

#![no_main]

use std::sync::OnceLock;

use exitdesk_extract::Extractor;
use libfuzzer_sys::fuzz_target;

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let extractor = EXTRACTOR.get_or_init(Extractor::new);
    let c = extractor.extract(data, "fuzz");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")), "{:?}", c.problems);
});
