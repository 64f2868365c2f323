//! Who the reporter is: never a member of a group or an undisclosed list;
//! exitdesk's own `X-Exitdesk` header is read.

use exitdesk_extract::Extractor;
use exitdesk_model::Complaint;

const BODY: &str = "Date: Tue, 04 Mar 2025 09:00:00 +0000\nSubject: SSH attack\n\n\
    We saw SSH login attempts from 192.0.2.44 at 2025-03-03 10:00:00 UTC.\n";

/// The complaint of a message with these headers, the same with LF and CRLF.
fn extract(headers: &str) -> Complaint {
    let lf = format!("{headers}\n{BODY}");
    let x = Extractor::new();
    let c = x.extract(lf.as_bytes(), "test");
    let crlf = x.extract(lf.replace('\n', "\r\n").as_bytes(), "test");
    assert_eq!(c.complainant, crlf.complainant);
    assert_eq!(c.exitdesk_header, crlf.exitdesk_header);
    c
}

#[test]
fn a_reply_to_group_is_not_the_reporter() {
    let c = extract("From: Reporter <abuse@victim.example.org>\nReply-To: undisclosed:a@example.com,b@example.org;");
    assert_eq!(c.complainant.address.as_deref(), Some("abuse@victim.example.org"));
    assert_eq!(c.complainant.reply_to, None, "a group member became the reply address");
    let c = extract("From: abuse@victim.example.org\nReply-To: Team: ;");
    assert_eq!(c.complainant.reply_to, None);
}

#[test]
fn a_from_group_names_no_reporter() {
    let c = extract("From: undisclosed-recipients: bystander@example.com;\nTo: undisclosed-recipients:;");
    assert_eq!(c.complainant.address, None, "a group member became the reporter");
    assert_eq!(c.complainant.reply_to, None);
    let c = extract("From: abuse@victim.example.org\nTo: undisclosed-recipients:;");
    assert_eq!(c.complainant.address.as_deref(), Some("abuse@victim.example.org"));
    // A group in X-Original-From is not taken either.
    let c = extract("From: list@example.com\nX-Original-From: all: a@example.com, b@example.org;");
    assert_eq!(c.complainant.address.as_deref(), Some("list@example.com"));
}

#[test]
fn a_reply_to_list_keeps_its_first_mailbox() {
    let c = extract("From: abuse@victim.example.org\nReply-To: desk@victim.example.org, other@example.com");
    assert_eq!(c.complainant.reply_to.as_deref(), Some("desk@victim.example.org"));
}

#[test]
fn our_own_header_is_read() {
    let c = extract("From: abuse@victim.example.org\nX-Exitdesk: reply;\n case=7");
    assert_eq!(c.exitdesk_header.as_deref(), Some("reply; case=7"));
    assert_eq!(extract("From: abuse@victim.example.org").exitdesk_header, None);
    let json = serde_json::to_value(extract("From: abuse@victim.example.org")).unwrap();
    assert!(json.get("exitdesk_header").is_none(), "absent from the JSON when absent");
}

#[test]
fn an_unterminated_group_is_a_display_name() {
    // No `;`: a display name with a colon, not a group (RFC 5322 §3.4).
    let c = extract("From: Abuse Dept: abuse@victim.example.org");
    assert_eq!(c.complainant.address.as_deref(), Some("abuse@victim.example.org"));
    let c = extract("From: \"Abuse: Dept\" <abuse@victim.example.org>");
    assert_eq!(c.complainant.address.as_deref(), Some("abuse@victim.example.org"));
    // Several members without `;` are still no one person.
    let c = extract("From: abuse@victim.example.org\nReply-To: team: a@example.com, b@example.org");
    assert_eq!(c.complainant.reply_to, None);
}
