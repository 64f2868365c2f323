//! Pattern compilation.
//!
//! Complaint text is mostly ASCII, and ASCII-mode patterns (`\b`, `\w`, `\s`
//! and case-insensitivity over ASCII) both compile and run much faster than
//! their Unicode forms: Unicode word boundaries, for one, keep the regex
//! crate's DFAs from running on non-ASCII text. Patterns that need Unicode
//! (`\p{L}`, classes that could match non-ASCII) fall back to Unicode mode.

use regex::{Regex, RegexBuilder};

/// Compiles `pattern` in ASCII mode when it can be, else in Unicode mode.
///
/// Panics only on a pattern that compiles in neither mode: a bug in a
/// constant pattern, caught by every test run.
pub(crate) fn compile(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .or_else(|_| Regex::new(pattern))
        .unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
}
