//! Hostile complaint content: template syntax, header injection, huge lines.
//! The draft must still be correct, and the content must stay data.

use exitdesk_compose::Outcome;
use exitdesk_model::VerdictKind;
use exitdesk_model::{AutoResponse, Delivery, Requests, Scenario};

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
    assert!(!flat(&d.body).contains("49"), "an expression in complaint text was evaluated");
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
    let scenarios = [(Scenario::SshBruteforce, None)];
    let mut bounce = complaint();
    bounce.auto_response = Some(AutoResponse::Bounce);
    assert!(matches!(Ask::new(&bounce, &scenarios).outcome(), Outcome::Refused(_)));
    // An auto-reply that is no complaint, or accuses nobody: no draft.
    let mut auto = complaint();
    auto.auto_response = Some(AutoResponse::AutoReply);
    let mut ask = Ask::new(&auto, &scenarios);
    ask.kind = exitdesk_model::Kind::NotAComplaint;
    assert!(matches!(ask.outcome(), Outcome::Refused(_)));
    let mut empty = auto.clone();
    empty.reported_ips.clear();
    empty.events.clear();
    assert!(matches!(Ask::new(&empty, &scenarios).outcome(), Outcome::Refused(_)));
    // A ticket system marks real complaints `auto-replied` too: drafted.
    assert!(matches!(Ask::new(&auto, &scenarios).outcome(), Outcome::Draft(_)));
}

#[test]
fn reminders_and_non_complaints_get_no_letter() {
    let c = complaint();
    let scenarios = [(Scenario::SshBruteforce, None)];
    for kind in [exitdesk_model::Kind::Reminder, exitdesk_model::Kind::NotAComplaint] {
        let mut ask = Ask::new(&c, &scenarios);
        ask.kind = kind;
        match ask.outcome() {
            Outcome::Refused(why) => assert!(
                why.contains(if kind == exitdesk_model::Kind::Reminder { "reminder" } else { "no complaint" }),
                "{why}"
            ),
            other => panic!("{kind}: expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn ours_only_when_configured_or_verified() {
    let c = complaint();
    let scenarios = [(Scenario::SshBruteforce, None)];
    let configured = Ask::new(&c, &scenarios).draft();
    assert!(
        flat(&configured.body).contains("is the address of one of our Tor exit relays, according to our configuration"),
        "{}",
        configured.body
    );
    let mut ask = Ask::new(&c, &scenarios);
    ask.our_addresses.clear();
    // Unconfigured, a documentation address is never ours (the corpus test
    // in exitdesk-app checks the "not yet confirmed" wording on public ones).
    let d = ask.draft();
    assert!(!flat(&d.body).contains("according to our configuration"), "{}", d.body);
    assert!(
        flat(&d.body).contains("198.51.100.7 (a documentation address) cannot be the address of our server"),
        "{}",
        d.body
    );
    // The network data verifies what the configuration does not.
    ask.verdict = Some(VerdictKind::Exit);
    let d = ask.draft();
    assert!(flat(&d.body).contains("was the address of our Tor exit relay ExampleExit1"), "{}", d.body);
    // A private address is never ours.
    let mut private = complaint();
    private.reported_ips = vec!["10.1.2.3".parse().unwrap()];
    for e in &mut private.events {
        e.ip = private.reported_ips.first().copied();
    }
    let d = Ask::new(&private, &scenarios).draft();
    assert!(flat(&d.body).contains("10.1.2.3 (a private address) cannot be the address of our server"), "{}", d.body);
    assert!(!flat(&d.body).contains("according to our configuration"), "{}", d.body);
    // Nor does the letter go on as if it were: no advice, no intro.
    let rest = flat(&d.body).replace("any Tor relay", "");
    assert!(!rest.contains("Tor"), "{rest}");
    assert!(d.warnings.iter().any(|w| w.contains("private address")), "{:?}", d.warnings);
}

#[test]
fn hosted_content_is_answered_as_such() {
    let c = complaint();
    let scenarios = [(Scenario::Other, Some("phishing"))];
    let mut ask = Ask::new(&c, &scenarios);
    ask.kind = exitdesk_model::Kind::Hosted;
    let d = ask.draft();
    let first = d.body.split("\n\n").nth(1).unwrap_or("");
    assert!(
        flat(first)
            .contains("serves no website, stream or file, so the content or service reported is not hosted there"),
        "{first}"
    );
    // What listens there, once and without relay jargon.
    assert!(flat(&d.body).contains("listens for the Tor network's own connections"), "{}", d.body);
    assert!(!flat(&d.body).contains("ORPort"), "{}", d.body);
    assert!(!flat(&d.body).contains("reject rule"), "no traffic advice: {}", d.body);
    // A notice naming only the address gets no DNS paragraph.
    assert!(!flat(&d.body).contains("DNS"), "{}", d.body);

    // A reported location is named by its host, defanged, and only as a
    // condition (the path helps no one).
    let mut named = complaint();
    named.reported_urls = vec!["hxxp://shop-example[.]org/login".into(), "hxxp://b-example[.]org/".into()];
    let mut ask = Ask::new(&named, &scenarios);
    ask.kind = exitdesk_model::Kind::Hosted;
    let body = flat(&ask.draft().body);
    assert!(body.contains("A name in the report, such as shop-example[.]org, may resolve here"), "{body}");
    assert!(!body.contains("DNS records are wrong"), "no blame on the name: {body}");
    assert!(!body.contains("/login"), "{body}");
    assert!(!body.contains("b-example"), "one example is enough: {body}");

    // A notice whose only location reads as a test gets a note (a human
    // looks), not a letter; forced, the letter says so, once, with a warning.
    let mut test = complaint();
    test.reported_urls = vec!["hxxps://no-such-shop[.]example/made-for-a-test".into()];
    let mut ask = Ask::new(&test, &scenarios);
    ask.kind = exitdesk_model::Kind::Hosted;
    match ask.outcome() {
        Outcome::Note(n) => assert!(flat(&n).contains("reads as a test"), "{n}"),
        other => panic!("expected a note, got {other:?}"),
    }
    ask.force = true;
    let d = ask.draft();
    let body = flat(&d.body);
    assert!(body.contains("no-such-shop[.]example, reads as a test"), "{body}");
    assert_eq!(body.matches("no-such-shop").count(), 1, "{body}");
    assert!(d.warnings.iter().any(|w| w.contains("reads as a test")), "{:?}", d.warnings);
}

#[test]
fn law_enforcement_gets_a_note_to_seek_advice() {
    let c = complaint();
    let scenarios = [(Scenario::Other, Some("law_enforcement"))];
    let mut ask = Ask::new(&c, &scenarios);
    ask.kind = exitdesk_model::Kind::LawEnforcement;
    let d = ask.draft();
    assert!(flat(&d.body).contains("hold no data"), "{}", d.body);
    assert!(!flat(&d.body).contains("seek advice"), "the note is for the operator: {}", d.body);
    assert!(d.warnings.iter().any(|w| w.contains("seek advice")), "{:?}", d.warnings);
}

#[test]
fn requests_become_recipients_and_to_dos() {
    let scenarios = [(Scenario::SshBruteforce, None)];
    // Direct: a reply address in the text becomes the recipient.
    let mut direct = complaint();
    direct.forwarder = None;
    // (as extraction reads them from "Please send replies to desk@reporter.example.
    // Please confirm in writing within 48 hours.")
    direct.requests = Requests {
        reply_to: Some("desk@reporter.example".into()),
        deadline: Some("48 hours".into()),
        confirmation: true,
        ..Requests::default()
    };
    let d = Ask::new(&direct, &scenarios).draft();
    assert_eq!(d.to.as_ref().map(|m| m.address.as_str()), Some("desk@reporter.example"));
    assert!(d.warnings.iter().any(|w| w.contains("asks for replies to desk@reporter.example")), "{:?}", d.warnings);
    assert!(d.warnings.iter().any(|w| w.contains("48 hours")), "{:?}", d.warnings);
    assert!(d.warnings.iter().any(|w| w.contains("confirmation")), "{:?}", d.warnings);
    // Forwarded: only an address of the forwarder's own domain is taken.
    let mut fwd = complaint();
    fwd.requests.reply_to = Some("someone@elsewhere.example".into());
    let d = Ask::new(&fwd, &scenarios).draft();
    assert_eq!(d.to.as_ref().map(|m| m.address.as_str()), Some("abuse@hoster.example"));
    assert!(d.warnings.iter().any(|w| w.contains("decide whether to copy")), "{:?}", d.warnings);
    fwd.requests.reply_to = Some("statements@hoster.example".into());
    let d = Ask::new(&fwd, &scenarios).draft();
    assert_eq!(d.to.as_ref().map(|m| m.address.as_str()), Some("statements@hoster.example"));
}

#[test]
fn provider_channels_say_where_to_paste() {
    let scenarios = [(Scenario::SshBruteforce, None)];
    let mut c = complaint();
    c.requests.link = Some("https://hoster.example/statement/abc".into());
    let mut ask = Ask::new(&c, &scenarios);
    ask.channel = Some(exitdesk_model::Channel::Link);
    let d = ask.draft();
    assert_eq!(d.statement_link.as_deref(), Some("https://hoster.example/statement/abc"));
    assert!(
        d.warnings.iter().any(|w| w.contains("paste the text at https://hoster.example/statement/abc")),
        "{:?}",
        d.warnings
    );
    // A statement to paste: no salutation, no thanks, no "please reply".
    let body = flat(&d.body);
    assert!(body.starts_with("This statement concerns the complaint (ticket AbuseID:1A2B3C:4D)"), "{body}");
    assert!(!body.contains("please reply") && !body.contains("Thank you"), "{body}");
    ask.channel = Some(exitdesk_model::Channel::Panel);
    let d = ask.draft();
    assert!(d.warnings.iter().any(|w| w.contains("customer panel")), "{:?}", d.warnings);
    // By mail, the usual letter.
    ask.channel = Some(exitdesk_model::Channel::Mail);
    assert!(flat(&ask.draft().body).contains("please reply"));
}

#[test]
fn greetings_never_show_roles_or_encoded_words() {
    let scenarios = [(Scenario::SshBruteforce, None)];
    let mut c = complaint();
    for (name, want) in [
        ("=?utf-8?B?SsO8cmdlbiBNw7xsbGVy?=", "Hello Jürgen Müller,"),
        ("NO REPLY", "Hello,"),
        ("Report Abuse", "Hello,"),
        ("=?x-unknown?B?AAAA?=", "Hello,"),
    ] {
        c.forwarder.as_mut().unwrap().name = Some(name.into());
        let d = Ask::new(&c, &scenarios).draft();
        assert!(d.body.starts_with(&format!("{want}\n")), "{name}: {}", d.body);
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

/// The text with its line breaks undone (the body is wrapped at 72 columns).
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn spam_delivered_directly_is_answered_with_the_port_25_policy() {
    let scenarios = [(Scenario::WebmailSpam, None)];
    // Extraction reads the Received chain (exitdesk-extract's tests).
    let mut direct = complaint();
    direct.delivery = Some(Delivery::Direct);
    let body = flat(&Ask::new(&direct, &scenarios).draft().body);
    assert!(body.contains("show 198.51.100.7 handing the message straight to"), "{body}");
    // Through another organisation's server: a relay, not direct delivery.
    let relayed = complaint();
    let body = flat(&Ask::new(&relayed, &scenarios).draft().body);
    assert!(!body.contains("handing the message straight"), "{body}");
}

#[test]
fn a_security_desk_gets_no_hardening_advice() {
    let scenarios = [(Scenario::Hacking, Some("exploit"))];
    let mut c = complaint();
    c.forwarder = None;
    c.text.prose =
        "We saw exploit attempts from 198.51.100.7.\n\nRegards,\nSecurity Operation Center (SOC)\nExample Telecom\n"
            .into();
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(!body.contains("What protects the site"), "{body}");
}

#[test]
fn the_blocking_kit_only_when_asked_for() {
    let scenarios = [(Scenario::SshBruteforce, None)];
    let mut c = complaint();
    c.forwarder = None;
    let body = Ask::new(&c, &scenarios).draft().body;
    assert!(!body.contains("Appendix"), "{body}");
    c.text.prose = "SSH attacks from 198.51.100.7. How can we block Tor on our servers?\n".into();
    let body = Ask::new(&c, &scenarios).draft().body;
    assert!(body.contains("Appendix: recognising Tor exit addresses"), "{body}");
}

#[test]
fn ports_the_default_policy_rejects_are_pointed_out() {
    let scenarios = [(Scenario::Hacking, Some("exploit"))];
    let mut c = complaint();
    c.dest_ports = vec![445];
    for e in &mut c.events {
        e.dest_port = Some(445);
    }
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(body.contains("Tor's default exit policy rejects port 445; if ours did at that time"), "{body}");
    let c = complaint();
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(!body.contains("default exit policy rejects port 22"), "{body}");
}

#[test]
fn a_trap_capture_goes_to_no_one_and_is_reasoned_as_port_25() {
    // A trap's capture is the spam itself: its From is the spammer's.
    let mut c = complaint();
    c.forwarder = None;
    c.complainant.address = Some("spammer@example.org".into());
    c.complainant.reply_to = Some("victim@example.org".into());
    c.trap = Some("Example Trap".into());
    let scenarios = [(Scenario::WebmailSpam, None)];
    // Nobody wrote: a note for the operator, no thank-you letter.
    let mut ask = Ask::new(&c, &scenarios);
    match ask.outcome() {
        Outcome::Note(n) => assert!(flat(&n).contains("a spam trap's capture (Example Trap)"), "{n}"),
        other => panic!("expected a note, got {other:?}"),
    }
    ask.force = true;
    let d = ask.draft();
    assert!(d.to.is_none(), "{:?}", d.to);
    assert!(d.warnings.iter().any(|w| w.contains("spam-trap capture")), "{:?}", d.warnings);
    assert!(
        flat(&d.body).contains("handing the message straight to the Example Trap trap's mail server"),
        "{}",
        d.body
    );
    assert!(flat(&d.body).contains("port 25"), "{}", d.body);
}

#[test]
fn mail_logins_get_mail_advice_and_the_port_25_argument() {
    // A site owner writing directly about SMTP AUTH failures in a mail log,
    // with no port stated.
    let mut c = complaint();
    c.forwarder = None;
    c.dest_ports.clear();
    for e in &mut c.events {
        e.dest_port = None;
    }
    c.text.prose =
        "Jan 10 12:00:01 mx postfix/smtpd[1]: warning: unknown[198.51.100.7]: SASL LOGIN authentication failed".into();
    let scenarios = [(Scenario::SshBruteforce, Some("mail"))];
    let d = Ask::new(&c, &scenarios).draft();
    let body = flat(&d.body);
    assert!(body.contains("SMTP AUTH:"), "{}", d.body);
    assert!(!body.contains("VPN"), "{}", d.body);
    assert!(!body.contains("sshd_config"), "{}", d.body);
    assert!(body.contains("Tor's default exit policy rejects port 25"), "{}", d.body);
}

#[test]
fn what_was_not_checked_is_said_with_its_real_reason() {
    let scenarios = [(Scenario::SshBruteforce, Some("ssh"))];
    // No time at all: the complainant is asked for it.
    let mut c = complaint();
    c.events.clear();
    c.incident_date = None;
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(body.contains("if you tell us when it happened, with the time zone"), "{body}");
    assert!(!body.contains("If so,"), "{body}");
    // A day without a time of day: the check is for that day.
    c.incident_date = Some("2026-11-20".into());
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(
        body.contains("an exit on that day") && body.contains("(we could read no time of day from the report)"),
        "{body}"
    );
}

#[test]
fn a_hosted_notice_without_a_time_is_checked_on_its_own_date() {
    let mut c = complaint();
    c.events.clear();
    c.incident_date = None;
    c.date = exitdesk_model::parse_utc("2026-11-24T08:00:00Z");
    let scenarios = [(Scenario::Other, Some("phishing"))];
    let mut ask = Ask::new(&c, &scenarios);
    ask.kind = exitdesk_model::Kind::Hosted;
    let body = ask.draft().body;
    assert!(body.contains("ip=198.51.100.7&timestamp=2026-11-24"), "{body}");
}

#[test]
fn a_private_destination_is_the_internal_address_behind_a_public_one() {
    let mut c = complaint();
    c.text.prose = "srcip=198.51.100.7 dstip=192.168.10.2 dstport=80\n".into();
    let scenarios = [(Scenario::Hacking, None)];
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(
        body.contains("192.168.10.2: a private address, which no Tor exit connects to")
            && body.contains("it is the internal address behind the public one the connection reached"),
        "{body}"
    );
    assert!(!body.contains("presumably"), "{body}");
}
