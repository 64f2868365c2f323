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
/// A pattern that names a non-ASCII letter is compiled in Unicode mode: in
/// ASCII mode `\b` never sits next to such a letter, so `\bсрок\b` or
/// `\bčas\b` would never match.
pub(crate) fn compile(pattern: &str) -> Regex {
    let ascii = if pattern.is_ascii() { RegexBuilder::new(pattern).unicode(false).build().ok() } else { None };
    ascii.map_or_else(|| Regex::new(pattern), Ok).unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
}

#[cfg(test)]
mod test {
    #[test]
    fn word_boundaries_beside_non_ascii_letters() {
        let r = super::compile(r"(?i)\bсрок\b|\bčas\b");
        assert!(r.is_match("крайний срок 1"));
        assert!(r.is_match("v čas 1"));
        assert!(!super::compile(r"\bport\b").is_match("passport"));
    }
}
