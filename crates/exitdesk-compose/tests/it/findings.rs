//! The specific finding of a complaint's own evidence comes right after the
//! first paragraph, before the independent check, and each address is
//! answered by what the evidence shows it did.

use exitdesk_model::{AddressRole, Delivery, Role, Scenario};

use crate::util::{Ask, complaint};

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where `needle` starts in the flattened body (panics when absent).
fn at(body: &str, needle: &str) -> usize {
    flat(body).find(needle).unwrap_or_else(|| panic!("{needle:?} not in: {body}"))
}

#[test]
fn the_finding_comes_before_the_independent_check() {
    let mut c = complaint();
    c.forwarder = None;
    c.dest_ports = vec![80];
    c.text.prose = "GET /wp-login.php HTTP/1.1\" 403 512\nPOST /xmlrpc.php HTTP/1.1\" 403 0\n".into();
    let scenarios = [(Scenario::Hacking, None)];
    let body = Ask::new(&c, &scenarios).draft().body;
    assert!(at(&body, "every request answered with 403") < at(&body, "ExoneraTor"), "{body}");
    assert_eq!(flat(&body).matches("answered with 403").count(), 1, "said once: {body}");
}

#[test]
fn direct_delivery_is_a_fact_naming_the_recipients_mail_service() {
    let mut c = complaint();
    c.delivery = Some(Delivery::Direct);
    c.delivered_to = Some("mail.example.net".into());
    let scenarios = [(Scenario::WebmailSpam, None)];
    let body = Ask::new(&c, &scenarios).draft().body;
    assert!(
        at(&body, "straight to the mail service of mail.example.net over SMTP (port 25)") < at(&body, "ExoneraTor")
    );
    assert!(!flat(&body).contains("your mail server"), "{body}");
}

#[test]
fn a_client_of_open_proxies_is_not_answered_as_one() {
    let mut c = complaint();
    c.dest_ports = vec![80];
    c.events[0].dest_port = None;
    c.text.prose = "hosts hiding behind open proxies\n".into();
    c.address_roles =
        vec![AddressRole { ip: "198.51.100.7".parse().unwrap(), role: Role::ProxyClient, ports: vec![3128] }];
    let scenarios = [(Scenario::AccountCompromise, None)];
    let body = flat(&Ask::new(&c, &scenarios).draft().body);
    assert!(body.contains("to port 3128"), "the port our address connected to: {body}");
    assert!(body.contains("the proxies then made the requests to the targets on port 80"), "{body}");
    assert!(!body.contains("As for an open proxy"), "{body}");
}

#[test]
fn spam_addresses_are_told_apart_by_role() {
    let mut c = complaint();
    c.forwarder = None;
    c.reported_ips = vec!["198.51.100.7".parse().unwrap(), "192.0.2.25".parse().unwrap()];
    c.delivery = Some(Delivery::Submitted);
    c.subject = Some("Spam from 198.51.100.7, 192.0.2.25, 203.0.113.80".into());
    c.address_roles = vec![
        AddressRole { ip: "198.51.100.7".parse().unwrap(), role: Role::Submitter, ports: vec![] },
        AddressRole { ip: "192.0.2.25".parse().unwrap(), role: Role::MailRelay, ports: vec![] },
        AddressRole { ip: "203.0.113.80".parse().unwrap(), role: Role::Advertised, ports: vec![] },
    ];
    let scenarios = [(Scenario::WebmailSpam, None)];
    let mut ask = Ask::new(&c, &scenarios);
    // Even configured, the mail server is not said to be one of our exits.
    ask.our_addresses.push("192.0.2.25".parse().unwrap());
    let d = ask.draft();
    let body = flat(&d.body);
    assert!(body.contains("198.51.100.7 is the address of one of our Tor exit relays"), "{body}");
    assert!(!body.contains("are addresses of our Tor exit relays"), "{body}");
    assert!(body.contains("We do not count 192.0.2.25, the mail server that passed the message on, among our exits"));
    assert!(!body.contains("exonerator.html?ip=192.0.2.25"), "no check of an address that is not ours: {body}");
    assert!(body.contains("198.51.100.7 submitted it by logging in to a mail account"), "{body}");
    assert!(body.contains("192.0.2.25, the mail server that took the login, passed it on"), "{body}");
    assert!(!body.contains("on port 25"), "no port the evidence does not show: {body}");
    assert!(body.contains("203.0.113.80 is where the advertised site points"), "{body}");
    assert!(!body.contains("does not show sending anything"), "answered by its role instead: {body}");
    assert!(d.warnings.iter().any(|w| w.contains("192.0.2.25 passing on mail")), "{:?}", d.warnings);
}

#[test]
fn identical_rows_are_called_an_artefact() {
    let mut c = complaint();
    c.reported_ips = vec!["198.51.100.7".parse().unwrap(), "198.51.100.8".parse().unwrap()];
    c.identical_rows = c.reported_ips.clone();
    let scenarios = [(Scenario::SshBruteforce, None)];
    let body = Ask::new(&c, &scenarios).draft().body;
    assert!(at(&body, "looks like an artefact of the report") < at(&body, "ExoneraTor"), "{body}");
    assert!(flat(&body).contains("send the rows observed for each address"), "{body}");
}
