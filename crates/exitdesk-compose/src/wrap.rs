//! Plain-text layout of a reply: paragraphs wrapped at 72 columns.
//!
//! Templates write each paragraph as one line. Here lines longer than the
//! width are wrapped at spaces; list items (`- `, `* `, `1. `) get a hanging
//! indent; lines that start with four spaces (commands, rules, URLs) are
//! kept as they are; a word longer than the line (a URL) stands alone on its
//! line rather than being broken. Runs of blank lines become one.

use std::borrow::Cow;

/// The width of a reply's text.
pub const WIDTH: usize = 72;

/// Lays out a rendered text: wrap, trim trailing spaces, one blank line between blocks.
pub fn layout(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut blank = true; // no blank lines at the start
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
                blank = true;
            }
            continue;
        }
        blank = false;
        if line.starts_with("    ") || line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        wrap_line(line, width, &mut out);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn wrap_line(line: &str, width: usize, out: &mut String) {
    let lead: usize = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let marker = list_marker(body);
    let indent = " ".repeat(lead + marker);
    let mut col = 0usize;
    let mut first = true;
    out.push_str(&line[..lead]);
    col += lead;
    for word in glue_units(body) {
        let w = word.chars().count();
        if first {
            out.push_str(&word);
            col += w;
            first = false;
        } else if col + 1 + w <= width {
            out.push(' ');
            out.push_str(&word);
            col += 1 + w;
        } else {
            out.push('\n');
            out.push_str(&indent);
            out.push_str(&word);
            col = indent.len() + w;
        }
    }
    out.push('\n');
}

/// Words a number is read with when they follow it ("600 Mbit/s").
const UNITS: &[&str] = &[
    "Mbit/s", "Gbit/s", "kbit/s", "Tbit/s", "Mbps", "Gbps", "MB", "GB", "TB", "KB", "%", "ms", "s", "seconds",
    "minutes", "hours", "days", "weeks", "months", "years",
];

/// The words of a line, with a number kept together with the word before
/// it ("port 22", "about 7000") and with a unit after it ("600 Mbit/s"),
/// so that neither "at port / 22" nor "22 / produced" is split wrongly.
/// Words are borrowed; only glued ones are copied.
fn glue_units(body: &str) -> Vec<Cow<'_, str>> {
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    let mut after_number = false;
    for w in body.split(' ').filter(|w| !w.is_empty()) {
        // A count or a port, not an address or a version ("198.51.100.7").
        let numeric = w.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && w.matches('.').count() <= 1
            && w.len() <= 10
            && w.trim_end_matches(['.', ',', ';', ':', ')'])
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ','));
        let unit = || UNITS.contains(&w.trim_end_matches(['.', ',', ';', ':', ')']));
        match out.last_mut() {
            // The number joins the word before it, unless that word ends a
            // sentence or clause, or is itself long.
            Some(prev)
                if numeric
                    && prev.chars().count() <= 12
                    && !prev.ends_with(['.', ',', ';', ':', '!', '?'])
                    && prev.chars().last().is_some_and(char::is_alphabetic) =>
            {
                let prev = prev.to_mut();
                prev.push(' ');
                prev.push_str(w);
            }
            Some(prev) if after_number && unit() => {
                let prev = prev.to_mut();
                prev.push(' ');
                prev.push_str(w);
            }
            _ => out.push(Cow::Borrowed(w)),
        }
        after_number = numeric;
    }
    out
}

/// The width of a list marker at the start of `s` ("- ", "* ", "12. "), or 0.
fn list_marker(s: &str) -> usize {
    if s.starts_with("- ") || s.starts_with("* ") {
        return 2;
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 && s[digits..].starts_with(". ") {
        return digits + 2;
    }
    0
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn wraps_paragraphs_and_lists() {
        let p = "word ".repeat(30);
        let out = layout(&format!("\n\n{p}\n\n\n- {p}\n    dig +short {p}\n"), 72);
        for l in out.lines() {
            assert!(l.len() <= 72 || l.starts_with("    dig"), "{l:?}");
        }
        assert!(!out.starts_with('\n'));
        assert!(out.contains("\n\n- word"));
        assert!(out.contains("\n  word"), "hanging indent:\n{out}");
        assert!(!out.contains("\n\n\n"));
    }

    #[test]
    fn long_words_stand_alone() {
        let url = format!("https://example.org/{}", "a".repeat(90));
        let out = layout(&format!("See {url} for more."), 72);
        assert_eq!(out, format!("See\n{url}\nfor more.\n"));
    }

    #[test]
    fn numbers_stay_with_their_units() {
        let out = layout(&format!("{} 600 Mbit/s of traffic", "word ".repeat(13)), 72);
        assert!(out.contains("600 Mbit/s"), "{out}");
    }

    #[test]
    fn numbers_stay_with_the_word_before() {
        for n in 0..40 {
            let text = format!("{}the scan was aimed at port 22 produced many complaints", "x ".repeat(n));
            let out = layout(&text, 72);
            assert!(out.contains("port 22"), "{out}");
        }
    }

    #[test]
    fn counts_characters_not_bytes() {
        let p = "ééééé ".repeat(13); // 78 chars, 143 bytes
        let out = layout(&p, 72);
        assert!(out.lines().all(|l| l.chars().count() <= 72));
    }
}
