//! Complaint text made safe to show on one line.

/// One line, printable, at most `max` characters (a `…` marks a cut):
/// control, line-separator and bidi-override characters and runs of white
/// space become one space. For complaint text shown to anyone.
pub fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut n = 0;
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            if !space && n > 0 {
                space = true;
            }
            continue;
        }
        if space {
            if n + 1 >= max {
                break;
            }
            out.push(' ');
            n += 1;
            space = false;
        }
        if n >= max {
            out.push('…');
            return out;
        }
        out.push(c);
        n += 1;
    }
    out
}
