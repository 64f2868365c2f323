//! Posting headers of a group or news post pasted or enclosed in a complaint
//! (Google Groups, Usenet: `Injection-Info: …; posting-host=IP;`,
//! `NNTP-Posting-Host: IP`, RFC 5536): the post's own `Date:` is when the
//! address that injected it posted it, with the offset the server wrote.
//!
//! Read only when the posting host is an accused address, and only the
//! `Date:` of the same header block (the lines up to a blank line).

use std::net::IpAddr;

use jiff::civil::Date;

use crate::events::{At, RawEvent};
use crate::ip::IpFinder;
use crate::text::Line;
use crate::time::TimeParser;

/// The incident times of the posts whose posting host is accused.
pub(crate) fn times(
    parser: &TimeParser,
    ips: &IpFinder,
    lines: &[Line],
    offenders: &[IpAddr],
    reference: Option<Date>,
) -> Vec<RawEvent> {
    let mut out = Vec::new();
    if offenders.is_empty() {
        return out;
    }
    let mut start = 0;
    while start < lines.len() {
        let part = lines[start].part;
        let end = (start..lines.len())
            .find(|&j| lines[j].text.trim().is_empty() || lines[j].part != part)
            .unwrap_or(lines.len());
        let block = &lines[start..end];
        let first = start;
        start = end + 1;
        // A block of a few header lines, not a page of prose.
        if block.is_empty() || block.len() > 40 {
            continue;
        }
        let host = block.iter().enumerate().find_map(|(k, l)| {
            let lower = l.text.to_ascii_lowercase();
            let at = lower.find("posting-host")?;
            // The value may wrap onto the next, indented line.
            let mut value = l.text[at..].to_string();
            if let Some(next) = block.get(k + 1).filter(|n| n.text.starts_with([' ', '\t'])) {
                value.push(' ');
                value.push_str(next.text.trim());
            }
            ips.mentions(&value).into_iter().map(|m| m.ip).find(|ip| offenders.contains(ip))
        });
        let Some(host) = host else { continue };
        for (k, l) in block.iter().enumerate() {
            let t = l.text.trim_start();
            let Some((key, value)) = t.split_once(':') else { continue };
            if key.eq_ignore_ascii_case("date") {
                let at = At::Line(first + k);
                out.extend(
                    parser.find(value, reference).iter().take(1).map(|f| RawEvent::from_found(f, Some(host), at)),
                );
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod test {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        let accused: IpAddr = "192.0.2.44".parse().unwrap();
        times(&TimeParser::new(), &IpFinder::new(), &crate::text::prose_lines(text), &[accused], None)
            .into_iter()
            .filter_map(|e| e.into_event().time_utc.map(exitdesk_model::format_utc))
            .collect()
    }

    #[test]
    fn the_date_of_a_post_from_the_accused_host() {
        let text = "Two examples:\n\n  From: A <a@example.org>\n  Subject: x\n  Date: Tue, 4 Nov 2025 06:31:57 -0800 (PST)\n  Injection-Info: groups.example.com; posting-host=192.0.2.44;\n   posting-account=Xq2f\n\n  From: B <b@example.org>\n  Date: Tue, 4 Nov 2025 07:02:12 -0800 (PST)\n  Injection-Info: groups.example.com;\n   posting-host=192.0.2.44; posting-account=7mUo\n";
        assert_eq!(read(text), ["2025-11-04T14:31:57Z", "2025-11-04T15:02:12Z"]);
    }

    #[test]
    fn posts_from_other_hosts_give_nothing() {
        let text = "  Date: Tue, 4 Nov 2025 06:31:57 -0800\n  Injection-Info: groups.example.com; posting-host=198.51.100.9;\n\n  Date: Tue, 4 Nov 2025 07:02:12 -0800\n  Subject: no posting host\n";
        assert!(read(text).is_empty());
    }
}
