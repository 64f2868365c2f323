//! Cutting strings at byte counts without splitting a character.
//!
//! Complaint text is mostly ASCII but not always; every bounded window taken
//! from it goes through these helpers so a multi-byte character is never cut.

/// The largest char boundary of `s` at or below `i`.
pub(crate) fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// At most the first `n` bytes of `s`.
pub(crate) fn head(s: &str, n: usize) -> &str {
    &s[..floor_char(s, n)]
}

/// At most the last `n` bytes of `s`.
pub(crate) fn tail(s: &str, n: usize) -> &str {
    let mut from = s.len().saturating_sub(n);
    while !s.is_char_boundary(from) {
        from += 1;
    }
    &s[from..]
}

/// The byte just after the character that starts at `i` (`i` itself at the
/// end): where to resume after a separator found by a search, whatever the
/// width of that separator (U+00A0, U+202F, U+3000 are two or three bytes).
pub(crate) fn after_char(s: &str, i: usize) -> usize {
    i + s.get(i..).and_then(|r| r.chars().next()).map_or(0, char::len_utf8)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn never_splits_a_character() {
        let s = "aé€b";
        assert_eq!(head(s, 2), "a");
        assert_eq!(head(s, 3), "aé");
        assert_eq!(tail(s, 2), "b");
        assert_eq!(tail(s, 4), "€b");
        assert_eq!(head(s, 99), s);
        assert_eq!(tail(s, 99), s);
        assert_eq!(floor_char(s, 5), 3);
        assert_eq!(after_char("a\u{202f}b", 1), 4);
        assert_eq!(after_char("a b", 1), 2);
        assert_eq!(after_char("a", 1), 1);
    }
}
