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
//! the ASCII-case-insensitive literal search sees. Other text gets literals
//! whose non-ASCII letters are spelt in each of their simple case variants
//! (what the case-insensitive regex matches); text holding the Kelvin sign
//! or the long s goes to the full set (`None` from
//! [`Prefilter::candidates`]). Literals of one byte (a digit, a quote) occur
//! nearly everywhere: their pattern gets none and is always a candidate.
//!
//! The same argument holds for each match, not only for each text: every
//! match of a pattern starts where one of its literals (or spellings) occurs
//! (up to ASCII case). [`Prefilter::occurrences`] keeps those places: the caller can
//! try a pattern only there (anchored searches) instead of scanning the
//! whole text once per candidate, and can tell the candidates of each line
//! of a text from one pass over it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// The two characters outside ASCII whose simple case folding reaches ASCII
/// letters (`k`, `s`): text that holds them gets the whole set.
const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Which patterns of a table can match a text.
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    /// For ASCII text.
    ascii: Literals,
    /// For other text.
    other: Literals,
    /// The size of the table.
    len: usize,
}

/// Literals, one automaton for the whole table.
#[derive(Debug, Clone)]
struct Literals {
    /// The literals of every pattern that has a finite set of them (`None`
    /// if the automaton could not be built: then every text gets the set).
    ac: Option<AhoCorasick>,
    /// The pattern (index into the table) of each literal.
    owner: Vec<usize>,
    /// Patterns without usable literals: always candidates.
    always: Vec<usize>,
}

/// Literals shorter than this occur too often (a digit, a quote) to be
/// worth their places: their pattern gets none (always a candidate).
const MIN_LITERAL: usize = 2;
/// Case variants kept per literal of non-ASCII text (see [`other_prefixes`]).
const MAX_VARIANTS: usize = 16;

/// The prefix literals every match of `hir` starts with, if finite and
/// none shorter than [`MIN_LITERAL`].
fn extract(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < MIN_LITERAL) {
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

/// The prefix literals every match of `pattern` in any text starts with.
/// The ASCII-case-insensitive search does not know the case variants of
/// other letters, so each non-ASCII letter is spelt in each of its simple
/// case variants (what the case-insensitive regex matches), and a literal
/// is cut where that would make more than [`MAX_VARIANTS`] spellings.
fn other_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    if pattern.contains(FOLDS_TO_ASCII) {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut lits: Vec<Vec<u8>> = Vec::new();
    for l in extract(&hir)? {
        lits.extend(spellings(&l));
    }
    if lits.iter().any(|l| l.len() < MIN_LITERAL) {
        return None;
    }
    lits.sort();
    lits.dedup();
    Some(lits)
}

/// The case spellings of the literal `lit` (UTF-8, maybe cut inside a
/// character) up to ASCII case, cut before the letter that would make more
/// than [`MAX_VARIANTS`] of them.
fn spellings(lit: &[u8]) -> Vec<Vec<u8>> {
    let text = match std::str::from_utf8(lit) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&lit[..e.valid_up_to()]).unwrap_or(""),
    };
    let mut out: Vec<Vec<u8>> = vec![Vec::new()];
    for ch in text.chars() {
        if ch.is_ascii() {
            for o in &mut out {
                o.push(ch as u8);
            }
            continue;
        }
        let mut class = regex_syntax::hir::ClassUnicode::new([regex_syntax::hir::ClassUnicodeRange::new(ch, ch)]);
        if class.try_case_fold_simple().is_err() {
            break;
        }
        let variants: Vec<char> = class.iter().flat_map(|r| r.start()..=r.end()).collect();
        if variants.is_empty() || out.len() * variants.len() > MAX_VARIANTS {
            break;
        }
        out = out
            .iter()
            .flat_map(|o| {
                variants.iter().map(move |v| {
                    let mut o = o.clone();
                    o.extend_from_slice(v.encode_utf8(&mut [0; 4]).as_bytes());
                    o
                })
            })
            .collect();
    }
    out
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

    fn occurrences(&self, text: &str) -> Option<Occurrences<'_>> {
        let ac = self.ac.as_ref()?;
        let mut found: Vec<Occurrence> = ac
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let pattern = *self.owner.get(m.pattern().as_usize())?;
                Some(Occurrence { start: m.start(), end: m.end(), pattern })
            })
            .collect();
        // By start, then pattern, the shortest literal first; one per
        // start and pattern (a longer literal there says nothing more).
        found.sort_unstable_by_key(|o| (o.start, o.pattern, o.end));
        found.dedup_by_key(|o| (o.start, o.pattern));
        Some(Occurrences { always: &self.always, found })
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

/// One place where a literal of a pattern occurs in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence {
    /// Byte offsets of the literal in the text.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The pattern (index into the table) the literal belongs to.
    pub(crate) pattern: usize,
}

/// Where the patterns of a table may match in one text: every match of a
/// pattern starts at one of its occurrences, or the pattern is in `always`.
#[derive(Debug)]
pub(crate) struct Occurrences<'p> {
    /// Patterns without usable literals: they may match anywhere.
    pub(crate) always: &'p [usize],
    /// Every occurrence, by start, then pattern; one per start and pattern
    /// (the one with the shortest literal).
    pub(crate) found: Vec<Occurrence>,
}

impl Occurrences<'_> {
    /// The start offsets of each pattern's occurrences, ascending, in one
    /// flat list: pattern `i` owns `starts[bounds[i]..bounds[i + 1]]`.
    pub(crate) fn by_pattern(&self, len: usize) -> (Vec<usize>, Vec<usize>) {
        let mut bounds = vec![0usize; len + 1];
        for o in &self.found {
            if let Some(b) = bounds.get_mut(o.pattern + 1) {
                *b += 1;
            }
        }
        for i in 0..len {
            bounds[i + 1] += bounds[i];
        }
        let mut next = bounds.clone();
        let mut starts = vec![0usize; self.found.len()];
        for o in &self.found {
            if let Some(n) = next.get_mut(o.pattern) {
                if let Some(s) = starts.get_mut(*n) {
                    *s = o.start;
                }
                *n += 1;
            }
        }
        (starts, bounds)
    }

    /// The occurrences that lie wholly inside `range` (byte offsets of the
    /// text), by start.
    pub(crate) fn within(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &Occurrence> {
        let from = self.found.partition_point(|o| o.start < range.start);
        self.found[from..].iter().take_while(move |o| o.start < range.end).filter(move |o| o.end <= range.end)
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

    /// Where the literals of the patterns occur in `text` (see
    /// [`Occurrences`]); `None` when that cannot be said cheaply (as for
    /// [`Prefilter::candidates`]).
    pub(crate) fn occurrences(&self, text: &str) -> Option<Occurrences<'_>> {
        if text.is_ascii() {
            self.ascii.occurrences(text)
        } else if text.contains(FOLDS_TO_ASCII) {
            None
        } else {
            self.other.occurrences(text)
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
        // One digit is too common a literal; two are not.
        assert!(ascii_prefixes(r"\b\d+ links").is_none());
        assert_eq!(ascii_prefixes(r"\b\d\d+ links").unwrap().len(), 100);
        assert!(other_prefixes(r"\b\d+ links").is_none());
        assert!(ascii_prefixes(r".*x").is_none());
        assert!(ascii_prefixes(r"x?").is_none());
        assert!(ascii_prefixes("\u{212A}elvin").is_none());
        let spelt = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        // `с` has three case variants (`С`, `ᲃ`): 3 × 2 × 2 spellings of `спа`,
        // the fourth letter would make 24.
        let got = other_prefixes("f[óo]rum|спам").unwrap();
        assert_eq!(got.len(), 15);
        for want in spelt(&["forum", "fÓrum", "fórum", "спа", "СПА", "ᲃпА"]) {
            assert!(got.contains(&want), "{want:?}");
        }
        assert_eq!(other_prefixes("spüm|\\d+ links"), None);
        assert_eq!(other_prefixes("xy|spüm").unwrap(), spelt(&["spÜm", "spüm", "xy"]));
        let p = Prefilter::new(&["spam", "(?-i:DoS)", r"\w+x", "спам"]);
        assert_eq!(p.candidates("SPAM dos"), Some(vec![true, true, true, false]));
        assert_eq!(p.candidates("ham"), Some(vec![false, false, true, false]));
        assert_eq!(p.candidates("späm"), Some(vec![false, false, true, false]));
        assert_eq!(p.candidates("SPAM ÿ"), Some(vec![true, false, true, false]));
        assert_eq!(p.candidates("ÿ СПАМ"), Some(vec![false, false, true, true]));
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
