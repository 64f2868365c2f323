//! A report sent to several networks, or placing its addresses in several:
//! the letter answers only for what is ours, says so in one sentence, and
//! never calls an address ours that the complaint places in another network
//! than the rest (or than `[operator] networks`) unless network data
//! verified it; the operator is warned.

use std::net::IpAddr;

use exitdesk_compose::IntroLevel;
use exitdesk_model::{Complaint, Kind, NetworkClaim, Party, Scenario, VerdictKind};

use crate::util::{Ask, complaint};

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A CERT's phishing round-up sent to the abuse desks of three
/// organisations: 198.51.100.7 announced by AS64500, 203.0.113.80 and
/// 203.0.113.81 by AS64501.
pub(crate) fn round_up() -> Complaint {
    let mut c = complaint();
    c.forwarder = None;
    c.events.clear();
    c.dest_ports.clear();
    c.complainant =
        Party { name: Some("Example CERT".into()), address: Some("reports@cert.example".into()), ..Party::default() };
    c.ticket_id = Some("CERT-2026-0042".into());
    c.subject = Some("[CERT-2026-0042] Phishing sites (EXAMPLE-HOSTING (64500)|OTHER-CLOUD (64501))".into());
    c.reported_ips = vec![ip("198.51.100.7"), ip("203.0.113.80"), ip("203.0.113.81")];
    c.reported_urls = vec!["hxxps://login-example.example[.]com/".into()];
    c.incident_date = Some("2026-11-20".into());
    c.networks = vec![
        NetworkClaim { ip: ip("198.51.100.7"), asn: Some(64500), name: Some("EXAMPLE-HOSTING".into()) },
        NetworkClaim { ip: ip("203.0.113.80"), asn: Some(64501), name: Some("OTHER-CLOUD".into()) },
        NetworkClaim { ip: ip("203.0.113.81"), asn: Some(64501), name: Some("OTHER-CLOUD".into()) },
    ];
    c.abuse_desks = vec!["example.com".into(), "example.net".into(), "example.org".into()];
    c
}

const PHISHING: [(Scenario, Option<&str>); 1] = [(Scenario::Other, Some("phishing"))];

fn ask(c: &Complaint) -> Ask<'_> {
    let mut a = Ask::new(c, &PHISHING);
    a.kind = Kind::Hosted;
    a.intro = IntroLevel::None;
    a
}

fn draft(a: &Ask<'_>) -> (String, Vec<String>) {
    let d = a.draft();
    (flat(&d.body), d.warnings)
}

#[test]
fn configured_addresses_in_several_networks_are_not_called_ours() {
    let c = round_up();
    let mut a = ask(&c);
    a.our_addresses = c.reported_ips.clone();
    let (body, warnings) = draft(&a);
    assert!(!body.contains("of our Tor exit relays"), "nothing called ours: {body}");
    assert!(body.contains("we are checking whether any of them is ours and will answer for those that are."), "{body}");
    // Claiming none, it gives no record links and says nothing of what runs there.
    assert!(!body.contains("exonerator") && !body.contains("not hosted there"), "{body}");
    let all = warnings.join("\n");
    assert!(
        all.contains(
            "names 2 networks: EXAMPLE-HOSTING (AS64500) for 198.51.100.7, OTHER-CLOUD (AS64501) for 203.0.113.80 \
             and 203.0.113.81; answer only for addresses on your network"
        ),
        "{all}"
    );
    assert!(all.contains("which of them is ours cannot be told from the configuration"), "{all}");
    assert!(!all.contains("not in [tornet] our_addresses"), "they are configured: {all}");
}

#[test]
fn our_networks_tell_which_address_is_ours() {
    let c = round_up();
    let mut a = ask(&c);
    a.our_addresses = c.reported_ips.clone();
    a.networks = vec!["AS64500".into()];
    let (body, warnings) = draft(&a);
    assert!(body.contains("198.51.100.7 is the address of one of our Tor exit relays"), "{body}");
    assert!(
        body.contains(
            "the report places 203.0.113.80 and 203.0.113.81 in other networks, so we do not answer for them"
        ),
        "{body}"
    );
    assert!(!body.contains("exonerator.html?ip=203.0.113.80"), "no check offered for another network's: {body}");
    let all = warnings.join("\n");
    assert!(all.contains("EXAMPLE-HOSTING (AS64500, ours) for 198.51.100.7"), "{all}");
    assert!(all.contains("places them in networks not in [operator] networks"), "{all}");
    // Both networks ours: nothing in dispute, no human needed.
    a.networks = vec!["AS64500".into(), "64501".into()];
    let (body, warnings) = draft(&a);
    assert!(body.contains("They are addresses of our Tor exit relays"), "{body}");
    assert!(body.contains("went to the abuse desks of several networks"), "the desks still say so: {body}");
    assert!(!warnings.join("\n").contains("names 2 networks"), "{warnings:?}");
}

#[test]
fn only_configured_addresses_are_answered() {
    let c = round_up();
    let a = ask(&c);
    let (body, warnings) = draft(&a);
    assert!(body.contains("198.51.100.7 is the address of one of our Tor exit relays"), "{body}");
    assert!(body.contains("we answer only for the addresses that are ours"), "{body}");
    assert!(!warnings.join("\n").contains("[tornet] our_addresses lists"), "nothing disputed: {warnings:?}");
}

#[test]
fn network_data_outweighs_the_attribution() {
    let c = round_up();
    let mut a = ask(&c);
    a.our_addresses = c.reported_ips.clone();
    // Our networks are AS64501's: 198.51.100.7 (AS64500) is disputed, but
    // the network data verified it as our exit.
    a.networks = vec!["AS64501".into()];
    a.verdict = Some(VerdictKind::Exit);
    let (body, warnings) = draft(&a);
    assert!(body.contains("Our records show that 198.51.100.7 was the address of our Tor exit relay"), "{body}");
    assert!(!warnings.join("\n").contains("our_addresses lists 198.51.100.7"), "{warnings:?}");
}

#[test]
fn one_address_or_one_network_of_ours_is_answered_as_usual() {
    // One address, sent to several desks (its provider, the upstream, a registry).
    let mut c = round_up();
    c.reported_ips.truncate(1);
    c.networks.truncate(1);
    let (body, warnings) = draft(&ask(&c));
    assert!(!body.contains("several networks"), "{body}");
    assert!(body.contains("It is the address of one of our Tor exit relays"), "{body}");
    assert!(!warnings.join("\n").contains("answer only for"), "{warnings:?}");
    // One network, and it is not ours.
    let mut a = ask(&c);
    a.networks = vec!["AS64509".into()];
    let (body, warnings) = draft(&a);
    assert!(!body.contains("of our Tor exit relays"), "{body}");
    let all = warnings.join("\n");
    assert!(
        all.contains("places 198.51.100.7 in EXAMPLE-HOSTING (AS64500), not in one of our networks (AS64509)"),
        "{all}"
    );
}
