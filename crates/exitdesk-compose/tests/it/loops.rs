//! Never mail ourselves: our own addresses are never a recipient, our own
//! replies coming back get no draft, and addresses that are invalid or too
//! long are never written into `To:`, cut or raw.

use exitdesk_compose::{Outcome, is_own_message_id, own_header_case, own_mail};
use exitdesk_model::Scenario;
use mail_parser::MessageParser;

use crate::util::{Ask, complaint, operator};

const SSH: [(Scenario, Option<&str>); 1] = [(Scenario::SshBruteforce, None)];

fn refused(c: &exitdesk_model::Complaint) -> String {
    match Ask::new(c, &SSH).outcome() {
        Outcome::Refused(why) => why,
        other => panic!("expected no draft, got {other:?}"),
    }
}

#[test]
fn own_addresses_are_recognised() {
    let op = operator();
    assert!(op.is_own("abuse@exit.example.org"));
    assert!(op.is_own(" <Abuse@EXIT.example.org> "));
    assert!(op.is_own("exits@exit.example.org"), "an own_addresses entry");
    assert!(op.is_own("anyone@relays.example.org"), "a whole own domain");
    assert!(!op.is_own("anyone@sub.relays.example.org"), "a domain entry is that domain only");
    assert!(!op.is_own("other@exit.example.org"));
    assert!(!op.is_own("abuse@hoster.example"));
    assert!(!op.is_own(""));
    assert!(op.problems().is_empty(), "{:?}", op.problems());
    let mut bad = op.clone();
    bad.own_addresses.push("not an address".into());
    bad.email = "x".repeat(300) + "@exit.example.org";
    assert_eq!(bad.problems().len(), 2, "{:?}", bad.problems());
}

#[test]
fn reply_to_ours_goes_to_the_from_address() {
    let mut c = complaint();
    c.forwarder.as_mut().unwrap().reply_to = Some("ABUSE@exit.example.org".into());
    let d = Ask::new(&c, &SSH).draft();
    assert_eq!(d.to.unwrap().address, "abuse@hoster.example");
    assert!(d.warnings.iter().any(|w| w.contains("our own address")), "{:?}", d.warnings);
}

#[test]
fn forwarded_by_us_goes_to_the_reporter() {
    // The operator forwarded a complaint to the desk from an own mailbox.
    let mut c = complaint();
    c.forwarder.as_mut().unwrap().address = Some("exits@exit.example.org".into());
    let d = Ask::new(&c, &SSH).draft();
    assert_eq!(d.to.unwrap().address, "abuse@reporter.example");
}

#[test]
fn only_our_own_addresses_means_no_draft() {
    let mut c = complaint();
    c.forwarder.as_mut().unwrap().address = Some("exits@exit.example.org".into());
    c.complainant.address = Some("abuse@exit.example.org".into());
    assert!(refused(&c).contains("never drafts a reply to itself"));
    // A direct message from one of our own domains.
    let mut c = complaint();
    c.forwarder = None;
    c.complainant.address = Some("ops@relays.example.org".into());
    assert!(refused(&c).contains("our own address"));
    // Reply-To ours and From ours.
    let mut c = complaint();
    c.forwarder = None;
    c.complainant.address = Some("abuse@exit.example.org".into());
    c.complainant.reply_to = Some("exits@exit.example.org".into());
    refused(&c);
}

#[test]
fn our_replies_coming_back_get_no_draft() {
    let d = Ask::new(&complaint(), &SSH).draft();
    assert!(is_own_message_id(&d.message_id, &operator()), "{}", d.message_id);
    assert!(is_own_message_id(&format!("<{}>", d.message_id), &operator()));
    assert!(!is_own_message_id("exitdesk.1.2@hoster.example", &operator()), "another operator's desk");
    assert!(!is_own_message_id("abuse-1a2b3c@exit.example.org", &operator()), "not our form");

    // Our reply read back: its Message-ID, and our header.
    let mut back = complaint();
    back.forwarder = None;
    back.complainant.address = Some("abuse@hoster.example".into());
    back.message_id = Some(d.message_id.clone());
    assert!(refused(&back).contains("Message-ID"));
    back.message_id = Some("copy-1@hoster.example".into());
    back.exitdesk_header = Some("reply; case=12".into());
    assert!(refused(&back).contains("X-Exitdesk"));
    assert!(own_mail(&back, &operator()).is_some());

    // A complainant's answer to our reply names our Message-ID in its
    // threading headers: it is a conversation, read and answered.
    let mut answer = complaint();
    answer.message_id = Some("answer-1@hoster.example".into());
    answer.references = vec![d.message_id.clone()];
    assert!(own_mail(&answer, &operator()).is_none());
    Ask::new(&answer, &SSH).draft();
}

#[test]
fn replies_carry_our_header() {
    let mut d = Ask::new(&complaint(), &SSH).draft();
    d.case = Some(42);
    let bytes = d.to_message().unwrap();
    let msg = MessageParser::default().parse(&bytes).unwrap();
    let value = msg.header_raw("X-Exitdesk").unwrap().trim().to_string();
    assert_eq!(value, "reply; case=42");
    assert_eq!(own_header_case(&value), Some(42));
    assert_eq!(own_header_case("reply"), None);
    assert_eq!(own_header_case("reply; case=-3"), None);
    d.case = None;
    let msg = String::from_utf8(d.to_message().unwrap()).unwrap();
    assert!(msg.contains("\r\nX-Exitdesk: reply\r\n"), "{msg}");
}

#[test]
fn overlong_and_invalid_addresses_are_not_used() {
    let long = format!("{}@{}.example", "a".repeat(60), "b".repeat(200));
    assert!(long.len() > 254);
    let mut c = complaint();
    c.forwarder.as_mut().unwrap().address = Some(long.clone());
    let d = Ask::new(&c, &SSH).draft();
    assert!(d.to.is_none(), "{:?}", d.to);
    assert!(
        d.warnings.iter().any(|w| w == "the forwarder's address is longer than 254 characters; not used"),
        "{:?}",
        d.warnings
    );
    assert!(!d.warnings.iter().any(|w| w.contains(&long)), "the address is not echoed");
    let msg = String::from_utf8(d.to_message().unwrap()).unwrap();
    assert!(!msg.contains("\r\nTo:") && !msg.contains('…'));

    // A long Reply-To falls back to the From address.
    c.forwarder.as_mut().unwrap().reply_to = Some(long);
    c.forwarder.as_mut().unwrap().address = Some("abuse@hoster.example".into());
    let d = Ask::new(&c, &SSH).draft();
    assert_eq!(d.to.unwrap().address, "abuse@hoster.example");
    assert!(d.warnings.iter().any(|w| w.contains("Reply-To is longer than 254")), "{:?}", d.warnings);

    for bad in
        ["a@b", "a b@hoster.example", "a@hoster..example", "\"a\"@hoster.example", "ä@hoster.example", "a@-x.example"]
    {
        let mut c = complaint();
        c.forwarder.as_mut().unwrap().address = Some(bad.into());
        let d = Ask::new(&c, &SSH).draft();
        assert!(d.to.is_none(), "{bad} was used");
        assert!(d.warnings.iter().any(|w| w.contains("not a valid mail address; not used")), "{:?}", d.warnings);
    }

    // An edited draft is checked again when written.
    let mut d = Ask::new(&complaint(), &SSH).draft();
    d.to.as_mut().unwrap().address = "x@y.example>\r\nBcc: z@y.example".into();
    let e = d.to_message().unwrap_err().to_string();
    assert!(e.contains("To address cannot be used"), "{e}");
}

#[test]
fn display_names_are_encoded() {
    for name in ["Doe, \"Jane\" <evil@attacker.example>", "Zoë \\ Ünïcode; x:", "=?utf-8?q?fake?= name"] {
        let mut c = complaint();
        c.forwarder.as_mut().unwrap().name = Some(name.into());
        let d = Ask::new(&c, &SSH).draft();
        let bytes = d.to_message().unwrap();
        let msg = MessageParser::default().parse(&bytes).unwrap();
        let to = msg.to().unwrap();
        let list = to.as_list().unwrap();
        assert_eq!(list.len(), 1, "{name}: one mailbox");
        assert_eq!(list[0].address(), Some("abuse@hoster.example"), "{name}");
        // As written; an encoded word in the name is decoded first (a
        // reader shows it decoded too), never written raw.
        let want = if name.starts_with("=?") { "fake name".to_string() } else { name.to_string() };
        assert_eq!(list[0].name(), Some(want.as_str()), "{name}: the name reads back as written");
    }
}
