//! A literal prefilter for the keyword table, exact on ASCII text.
//!
//! Searching the whole table at once (a `RegexSet`) makes the lazy DFA track
//! every pattern at every position: each new line of text the process has
//! not seen before builds new DFA states, about 0.1 ms a line. Instead, one
//! Aho-Corasick pass finds the literals every match of a pattern must start
//! with, and only the patterns whose literals occur are searched, each with
//! its own (small, quickly warm) regex.
//!
//! Exactness: for each pattern, the prefix literals of its case-sensitive
//! form (regex-syntax's literal extractor) are a finite set such that every
//! match starts with one of them. The table is compiled case-insensitively;
//! on ASCII text, Unicode case folding of ASCII letters only adds non-ASCII
//! partners (which ASCII text does not hold) — except for the Kelvin sign
//! and the long s, so patterns holding those get no prefilter — and a
//! case-insensitive match is a case-sensitive match up to ASCII case, which
//! the ASCII-case-insensitive literal search sees. Non-ASCII text goes to
//! the full set (`None` from [`Prefilter::candidates`]).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// The two characters outside ASCII whose simple case folding reaches ASCII
/// letters (`k`, `s`): text that holds them gets the whole set.
const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Which patterns of a table can match a text.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// For ASCII text.
    ascii: Literals,
    /// For other text.
    other: Literals,
    /// The size of the table.
    len: usize,
}

/// Literals, one automaton for the whole table.
#[derive(Debug)]
struct Literals {
    /// The literals of every pattern that has a finite set of them (`None`
    /// if the automaton could not be built: then every text gets the set).
    ac: Option<AhoCorasick>,
    /// The pattern (index into the table) of each literal.
    owner: Vec<usize>,
    /// Patterns without usable literals: always candidates.
    always: Vec<usize>,
}

/// The prefix literals every match of `hir` starts with, if finite and
/// none empty.
fn extract(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The prefix literals every match of `pattern` in ASCII text starts with.
fn ascii_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    if pattern.contains(FOLDS_TO_ASCII) {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    // `\d` and the like are large Unicode classes; on ASCII text their
    // ASCII forms are the same, and have few literals.
    extract(&hir).or_else(|| {
        let hir = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(pattern).ok()?;
        extract(&hir)
    })
}

/// The prefix literals every match of `pattern` in any text starts with,
/// cut before their first non-ASCII byte: the ASCII-case-insensitive search
/// does not know the case variants of other letters.
fn other_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    if pattern.contains(FOLDS_TO_ASCII) {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut lits: Vec<Vec<u8>> =
        extract(&hir)?.into_iter().map(|l| l.iter().copied().take_while(u8::is_ascii).collect::<Vec<u8>>()).collect();
    if lits.iter().any(Vec::is_empty) {
        return None;
    }
    lits.sort();
    lits.dedup();
    Some(lits)
}

impl Literals {
    fn new(patterns: &[&str], prefixes: fn(&str) -> Option<Vec<Vec<u8>>>, kind: AhoCorasickKind) -> Literals {
        let mut lits: Vec<Vec<u8>> = Vec::new();
        let mut owner = Vec::new();
        let mut always = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            match prefixes(p) {
                Some(ls) => {
                    for l in ls {
                        lits.push(l);
                        owner.push(i);
                    }
                }
                None => always.push(i),
            }
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&lits)
            .or_else(|_| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&lits)
            })
            .or_else(|_| AhoCorasick::builder().ascii_case_insensitive(true).build(&lits))
            .ok();
        Literals { ac, owner, always }
    }

    fn candidates(&self, text: &str, len: usize) -> Option<Vec<bool>> {
        let ac = self.ac.as_ref()?;
        let mut out = vec![false; len];
        for &i in &self.always {
            out[i] = true;
        }
        for m in ac.find_overlapping_iter(text) {
            if let Some(&i) = self.owner.get(m.pattern().as_usize()) {
                out[i] = true;
            }
        }
        Some(out)
    }
}

impl Prefilter {
    /// The prefilter of `patterns` (as they are compiled: case-insensitive).
    pub(crate) fn new(patterns: &[&str]) -> Prefilter {
        Prefilter {
            // Most text is ASCII: its automaton is a DFA, since overlapping
            // search over every byte of the prose is most of the prefilter's
            // cost and a DFA takes one transition per byte (an NFA follows
            // failure links); it takes ~0.1 s to build. Other text gets the
            // NFA, quick to build. Every kind finds the same matches.
            ascii: Literals::new(patterns, ascii_prefixes, AhoCorasickKind::DFA),
            other: Literals::new(patterns, other_prefixes, AhoCorasickKind::ContiguousNFA),
            len: patterns.len(),
        }
    }

    /// Which patterns may match `text` (`true` at their index); `None` when
    /// that cannot be said cheaply (search the text with the whole set).
    pub(crate) fn candidates(&self, text: &str) -> Option<Vec<bool>> {
        if text.is_ascii() {
            self.ascii.candidates(text, self.len)
        } else if text.contains(FOLDS_TO_ASCII) {
            None
        } else {
            self.other.candidates(text, self.len)
        }
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(ascii_prefixes(r"ab(c|d)").unwrap(), [b"abc".to_vec(), b"abd".to_vec()]);
        assert_eq!(ascii_prefixes(r"\b\d+ links").unwrap().len(), 10);
        assert!(other_prefixes(r"\b\d+ links").is_none());
        assert!(ascii_prefixes(r".*x").is_none());
        assert!(ascii_prefixes(r"x?").is_none());
        assert!(ascii_prefixes("\u{212A}elvin").is_none());
        assert_eq!(other_prefixes("f[óo]rum|спам|útok"), None);
        assert_eq!(other_prefixes("f[óo]rum|spüm").unwrap(), [b"f".to_vec(), b"forum".to_vec(), b"sp".to_vec()]);
        let p = Prefilter::new(&["spam", "(?-i:DoS)", r"\w+x", "спам"]);
        assert_eq!(p.candidates("SPAM dos"), Some(vec![true, true, true, false]));
        assert_eq!(p.candidates("ham"), Some(vec![false, false, true, false]));
        assert_eq!(p.candidates("späm"), Some(vec![false, false, true, true]));
        assert_eq!(p.candidates("SPAM ÿ"), Some(vec![true, false, true, true]));
        assert_eq!(p.candidates("\u{17F}pam"), None);
    }

    /// Only two characters outside ASCII are case variants of ASCII letters.
    #[test]
    fn unicode_folds_into_ascii() {
        let letters = regex::Regex::new("(?i)^[a-z]$").unwrap();
        let found: Vec<char> = (0x80..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| letters.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(found, ['\u{17F}', '\u{212A}']);
    }
}
