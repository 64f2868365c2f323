//! The readable one-message summary printed by `exitdesk extract`.
//!
//! Complaint text is untrusted: every value is passed through [`sanitize`],
//! which escapes control characters (terminal escape sequences, CR tricks).

use std::fmt::Write;

use exitdesk_model::{Complaint, Party, format_local, format_utc};

/// Escapes control characters so complaint text cannot drive the terminal.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn party(p: &Party) -> String {
    let mut s = String::new();
    if let Some(n) = &p.name {
        s.push_str(&sanitize(n));
    }
    if let Some(a) = &p.address {
        if !s.is_empty() {
            s.push(' ');
        }
        let _ = write!(s, "<{}>", sanitize(a));
    }
    if let Some(r) = &p.reply_to {
        let _ = write!(s, " (reply to {})", sanitize(r));
    }
    if s.is_empty() { "unknown".into() } else { s }
}

/// A few readable lines about one complaint.
pub fn render_summary(c: &Complaint) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  [{}{}]",
        sanitize(&c.source),
        c.format,
        c.language.as_deref().map(|l| format!(", {l}")).unwrap_or_default()
    );
    if let Some(subject) = &c.subject {
        let _ = writeln!(s, "  subject:    {}", sanitize(subject));
    }
    let _ = writeln!(s, "  ticket:     {}", c.ticket_id.as_deref().map(sanitize).unwrap_or_else(|| "none".into()));
    if !c.other_ids.is_empty() {
        let _ = writeln!(s, "  other ids:  {}", c.other_ids.iter().map(|i| sanitize(i)).collect::<Vec<_>>().join(", "));
    }
    let ips: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    let _ = writeln!(s, "  reported:   {}", if ips.is_empty() { "none".into() } else { ips.join(", ") });
    let times: Vec<String> = c
        .events
        .iter()
        .filter_map(|e| {
            e.time_utc.map(format_utc).or_else(|| e.time_local.map(|l| format!("{} (zone unknown)", format_local(l))))
        })
        .collect();
    match times.len() {
        0 => {
            let _ = writeln!(s, "  when:       not stated");
        }
        1 => {
            let _ = writeln!(s, "  when:       {}", times[0]);
        }
        n => {
            let _ = writeln!(s, "  when:       {} … {} ({n} events)", times[0], times[n - 1]);
        }
    }
    if !c.dest_ports.is_empty() {
        let ports: Vec<String> = c.dest_ports.iter().map(ToString::to_string).collect();
        let _ = writeln!(s, "  dest ports: {}", ports.join(", "));
    }
    let _ = writeln!(s, "  from:       {}", party(&c.complainant));
    if let Some(f) = &c.forwarder {
        let _ = writeln!(s, "  forwarder:  {}", party(f));
    }
    if c.no_reply_needed {
        let _ = writeln!(s, "  reply:      the sender says no answer is needed");
    }
    for p in &c.problems {
        let _ = writeln!(s, "  problem:    {}", sanitize(p));
    }
    s
}

/// The evidence behind the facts, one line each (`exitdesk extract --explain`):
/// fact, value, confidence, rule and place. Complaint text is escaped.
pub fn render_evidence(c: &Complaint) -> String {
    let mut s = String::new();
    if c.evidence.is_empty() {
        let _ = writeln!(s, "  evidence:   (none recorded)");
    }
    for e in &c.evidence {
        let _ = writeln!(
            s,
            "  evidence:   {:<11} {}  [{}%] {} ({})",
            e.fact,
            sanitize(&e.value),
            e.confidence,
            sanitize(&e.rule),
            sanitize(&e.place)
        );
    }
    s
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn evidence_lines_are_escaped() {
        let c = Complaint {
            evidence: vec![exitdesk_model::Evidence {
                fact: "ticket_id".into(),
                value: "A-1\u{1b}[31m".into(),
                place: "subject".into(),
                rule: "labelled id".into(),
                confidence: 75,
            }],
            ..Complaint::default()
        };
        let out = render_evidence(&c);
        assert!(out.contains("ticket_id") && out.contains("[75%]") && out.contains("\\u{1b}"), "{out}");
        assert!(render_evidence(&Complaint::default()).contains("none recorded"));
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(sanitize("a\u{1b}[31mred\r\n"), "a\\u{1b}[31mred\\r\\n");
    }
}
