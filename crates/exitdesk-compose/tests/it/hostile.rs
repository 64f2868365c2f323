//! Hostile complaint content: template syntax, header injection, huge lines.
//! The draft must still be correct, and the content must stay data.

use exitdesk_compose::Outcome;
use exitdesk_model::{AutoResponse, Scenario};

use crate::util::{Ask, complaint};

fn hostile() -> exitdesk_model::Complaint {
    let mut c = complaint();
    let huge = "A".repeat(1 << 20);
    c.subject = Some(format!(
        "SSH attack {{{{ 7*7 }}}} {{% include 'signature' %}}\r\nBcc: victim@example.net\r\nX-Evil: 1 {huge}"
    ));
    c.complainant.name = Some("{{ operator.email }}\r\nBcc: other@example.net".into());
    c.forwarder.as_mut().unwrap().name = Some(format!("{{% for x in range(999999999) %}}x{{% endfor %}}{huge}"));
    c.ticket_id = Some("T-123\r\nX-Injected: yes".into());
    c.web_server = Some(format!("{{{{ 7*7 }}}}.example.net{huge}"));
    c.text.prose = format!("{{{{ 7*7 }}}} {huge}\n");
    c.message_id = Some("id@hoster.example>\r\nBcc: x@example.net".into());
    c
}

#[test]
fn template_syntax_in_values_is_inert() {
    let c = hostile();
    let scenarios = [(Scenario::WebmailSpam, None), (Scenario::SshBruteforce, None)];
    let d = Ask::new(&c, &scenarios).draft();
    assert!(!d.body.contains("49"), "an expression in complaint text was evaluated");
    assert!(!d.subject.contains('\r') && !d.subject.contains('\n'));
    assert!(d.subject.starts_with("Re: SSH attack {{ 7*7 }} {% include 'signature' %}"), "{}", d.subject);
    assert!(d.subject.chars().count() < 400, "subject is bounded");
    assert!(d.subject.contains("T-123 X-Injected: yes"), "the ticket id is kept, on one line: {}", d.subject);
    assert!(d.in_reply_to.is_none(), "a broken Message-ID is not echoed");
    assert!(d.body.len() < 64 * 1024, "the body is bounded: {} bytes", d.body.len());
    let msg = String::from_utf8(d.to_message().unwrap()).unwrap();
    let (head, _) = msg.split_once("\r\n\r\n").unwrap();
    for line in head.split("\r\n") {
        let name = line.split(':').next().unwrap_or("").to_ascii_lowercase();
        assert!(!matches!(name.as_str(), "bcc" | "x-evil" | "x-injected"), "header injected: {line:?}");
        assert!(line.len() <= 998, "header line too long");
    }
    assert_eq!(head.matches("\r\nSubject:").count() + usize::from(head.starts_with("Subject:")), 1);
}

#[test]
fn auto_replies_and_bounces_get_no_draft() {
    for kind in [AutoResponse::AutoReply, AutoResponse::Bounce] {
        let mut c = complaint();
        c.auto_response = Some(kind);
        let scenarios = [(Scenario::SshBruteforce, None)];
        assert!(matches!(Ask::new(&c, &scenarios).outcome(), Outcome::Refused(_)), "{kind:?}");
    }
}

#[test]
fn never_to_a_no_reply_address() {
    let mut c = complaint();
    c.forwarder.as_mut().unwrap().address = Some("noreply@hoster.example".into());
    let scenarios = [(Scenario::SshBruteforce, None)];
    let d = Ask::new(&c, &scenarios).draft();
    assert!(d.to.is_none());
    assert!(d.warnings.iter().any(|w| w.contains("no-reply")), "{:?}", d.warnings);
    // A usable Reply-To is taken instead.
    c.forwarder.as_mut().unwrap().reply_to = Some("abuse-replies@hoster.example".into());
    let d = Ask::new(&c, &scenarios).draft();
    assert_eq!(d.to.unwrap().address, "abuse-replies@hoster.example");
    // Direct complaints go to the reporter.
    c.forwarder = None;
    let d = Ask::new(&c, &scenarios).draft();
    assert_eq!(d.to.unwrap().address, "abuse@reporter.example");
}

#[test]
fn the_message_is_rfc5322() {
    let c = complaint();
    let scenarios = [(Scenario::SshBruteforce, None)];
    let d = Ask::new(&c, &scenarios).draft();
    let msg = String::from_utf8(d.to_message().unwrap()).unwrap();
    let (head, body) = msg.split_once("\r\n\r\n").unwrap();
    for h in [
        "From:",
        "To:",
        "Subject:",
        "In-Reply-To:",
        "References:",
        "Date:",
        "Message-ID:",
        "Auto-Submitted: no",
        "MIME-Version: 1.0",
    ] {
        assert!(head.contains(h), "missing {h} in\n{head}");
    }
    assert!(head.contains("<abuse-1a2b3c@hoster.example>"));
    assert!(head.contains("Date: Wed, 25 Nov 2026 10:00:00 +0000"), "{head}");
    assert!(head.contains("AbuseID:1A2B3C:4D"));
    assert!(head.to_ascii_lowercase().contains("text/plain"));
    assert!(!body.is_empty());
    assert!(msg.split("\r\n").all(|l| l.len() <= 998));
}
