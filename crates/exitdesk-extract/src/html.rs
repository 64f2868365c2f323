//! HTML to plain text that keeps the line structure of the page.
//!
//! Block elements and `<br>` become line breaks, table cells are separated by
//! two spaces, `<script>`/`<style>`/`<head>` and comments vanish, entities are
//! decoded. Source line breaks are whitespace, as a browser treats them, except
//! inside `<pre>`. The converter never fails: broken markup degrades to text.

const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "hr",
    "dt",
    "dd",
    "dl",
    "section",
    "article",
    "header",
    "footer",
    "title",
    "tbody",
    "thead",
    "center",
];
const SKIP: &[&str] = &["script", "style", "head", "xml", "o:p"];

/// Converts an HTML document or fragment to text.
pub(crate) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let b = html.as_bytes();
    let mut i = 0;
    let mut pre = 0usize;
    let mut pending_space = false;
    // Once no '>' follows some position, every later '<' is text: remember
    // that instead of searching to the end again for each one.
    let mut no_gt_from = usize::MAX;
    while i < b.len() {
        match b[i] {
            b'<' => {
                if html[i..].starts_with("<!--") {
                    i = html[i + 4..].find("-->").map_or(b.len(), |p| i + 4 + p + 3);
                    continue;
                }
                let close = if i >= no_gt_from { None } else { html[i..].find('>') };
                let Some(close) = close else {
                    // A lone '<': keep it as text.
                    no_gt_from = no_gt_from.min(i);
                    push_text(&mut out, "<", &mut pending_space);
                    i += 1;
                    continue;
                };
                let tag = &html[i + 1..i + close];
                i += close + 1;
                let closing = tag.starts_with('/');
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
                    .flat_map(char::to_lowercase)
                    .collect();
                if !closing && SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
                    let end_tag = format!("</{name}");
                    i = find_ascii_ci(b, i, end_tag.as_bytes())
                        .map_or(b.len(), |after| html[after..].find('>').map_or(b.len(), |q| after + q + 1));
                    continue;
                }
                if name == "pre" {
                    pre = if closing { pre.saturating_sub(1) } else { pre + 1 };
                }
                if BLOCK.contains(&name.as_str()) {
                    newline(&mut out);
                    pending_space = false;
                } else if name == "td" || name == "th" {
                    if !closing && !out.ends_with('\n') && !out.is_empty() {
                        out.push_str("  ");
                    }
                    pending_space = false;
                }
            }
            b'&' => {
                let (text, used) = entity(&html[i..]);
                push_text(&mut out, &text, &mut pending_space);
                i += used;
            }
            c if c.is_ascii_whitespace() => {
                if pre > 0 {
                    if c == b'\n' {
                        out.push('\n');
                    } else if c != b'\r' {
                        out.push(c as char);
                    }
                } else {
                    pending_space = true;
                }
                i += 1;
            }
            _ => {
                let start = i;
                while i < b.len() && b[i] != b'<' && b[i] != b'&' && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                push_text(&mut out, &html[start..i], &mut pending_space);
            }
        }
    }
    out
}

/// The first position at or after `from` where `needle` occurs, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len())
        .find(|&p| hay[p] == needle[0] && hay[p..p + needle.len()].eq_ignore_ascii_case(needle))
}

fn push_text(out: &mut String, text: &str, pending_space: &mut bool) {
    if *pending_space && !out.is_empty() && !out.ends_with('\n') && !out.ends_with(' ') {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(text);
}

fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Decodes one entity at the start of `s`; returns the text and bytes used.
fn entity(s: &str) -> (String, usize) {
    let end = s.as_bytes().iter().take(12).position(|c| *c == b';');
    let Some(end) = end else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()
        } else {
            num.parse::<u32>().ok()
        };
        code.and_then(char::from_u32).map(|c| if c == '\u{a0}' { ' ' } else { c })
    } else {
        Some(match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "copy" => '©',
            "reg" => '®',
            "raquo" => '»',
            "laquo" => '«',
            "hellip" => '…',
            "ndash" => '–',
            "mdash" => '—',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "euro" => '€',
            "bull" => '•',
            "middot" => '·',
            "shy" => '\u{ad}',
            _ => return ("&".into(), 1),
        })
    };
    match decoded {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn keeps_lines_and_drops_markup() {
        let t = to_text(
            "<html><head><style>p{x:y}</style></head><body><p>Hello,<br>IP&nbsp;address:\n 192.0.2.1</p>\
             <table><tr><td>a</td><td>b</td></tr></table><!-- c --><script>x()</script>&amp;&#43;&#x41;</body></html>",
        );
        assert_eq!(t, "Hello,\nIP address: 192.0.2.1\na  b\n&+A");
    }

    #[test]
    fn broken_markup_does_not_lose_text() {
        assert_eq!(to_text("a < b &unknown; <p"), "a < b &unknown; <p");
    }
}
