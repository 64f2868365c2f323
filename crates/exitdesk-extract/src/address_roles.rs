//! What an address the complaint names did, when its evidence shows more
//! than "the source of the traffic": a reply must not answer a client of
//! open proxies as if it ran one, nor the mail server that passed a spam on
//! as if it wrote it, nor the host of an advertised site as if it sent mail.
//!
//! Read by evidence, never by keywords alone:
//!
//! - **Proxy client**: a report record (a block of `key: value` lines) that
//!   names the proxy by keys ending in `proxy_ip` / `proxy_port` (AWS
//!   Shield's `abused_proxy_ip`, `abused_proxy_port`) and an accused address
//!   under another key: the accused connected to that proxy, at that port.
//! - **Submitter** and **mail relay**: two linked hops of the enclosed mail's
//!   `Received:` chain (the lower hop's `by` host is the upper hop's `from`
//!   host): the lower hop's address handed the mail to the server of the
//!   upper hop, which passed it on; with a login (`ESMTPA`) the lower one is
//!   a mail account's client. The upper one, when accused, is a mail server
//!   (port 25 when it handed the mail over plain SMTP into the recipient's
//!   own mail system).
//! - **Advertised site**: the resolution notation `URL -> IP`, `host
//!   resolves to IP` (on the URL's line or on the line after it).
//!
//! Also here: the recipient's mail service (`receiver`) for mail handed over
//! plain SMTP, so that a reply names it rather than "your mail server".

use std::net::IpAddr;

use exitdesk_model::{AddressRole, Role};

use crate::ip::IpFinder;
use crate::received::{Hop, registrable};
use crate::text::{Line, Region};

/// At most this many roles are kept.
const MAX_ROLES: usize = 16;

/// The roles found for `accused` (and, for an advertised site, for any
/// public address the notation names), first finding first, one per address.
pub(crate) fn read(ips: &IpFinder, lines: &[Line], chains: &[Vec<Hop>], accused: &[IpAddr]) -> Vec<AddressRole> {
    let mut out: Vec<AddressRole> = Vec::new();
    let mut add = |ip: IpAddr, role: Role, ports: Vec<u16>| {
        if out.len() < MAX_ROLES && !out.iter().any(|r| r.ip == ip) {
            out.push(AddressRole { ip, role, ports });
        }
    };
    for (ip, ports) in proxy_clients(ips, lines, accused) {
        add(ip, Role::ProxyClient, ports);
    }
    for (ip, role, ports) in mail_roles(chains, accused) {
        add(ip, role, ports);
    }
    for ip in advertised(ips, lines) {
        add(ip, Role::Advertised, Vec::new());
    }
    out
}

/// For mail an accused address handed over plain SMTP straight to the
/// recipient's mail system (`Delivery::Direct`): that system's registrable
/// domain, as the receiving hop names it (`by …outlook.com`).
pub(crate) fn receiver(chains: &[Vec<Hop>], accused: &[IpAddr]) -> Option<String> {
    match crate::received::delivery(chains, accused)? {
        (exitdesk_model::Delivery::Direct, hop) => hop.by.as_deref().map(registrable),
        _ => None,
    }
}

/// `key: value` of a report line (`key` lower-cased, no spaces in it).
fn field(text: &str) -> Option<(String, &str)> {
    let (k, v) = text.trim().split_once(':')?;
    let k = k.trim().to_ascii_lowercase();
    (!k.is_empty() && k.len() <= 40 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .then_some((k, v.trim()))
}

/// Accused addresses named in a record that also names a proxy, with the
/// proxies' ports.
fn proxy_clients(ips: &IpFinder, lines: &[Line], accused: &[IpAddr]) -> Vec<(IpAddr, Vec<u16>)> {
    let mut out: Vec<(IpAddr, Vec<u16>)> = Vec::new();
    let prose: Vec<&Line> = lines.iter().filter(|l| l.region == Region::Prose).collect();
    for block in prose.split(|l| l.text.trim().is_empty()) {
        let fields: Vec<(String, &str)> = block.iter().filter_map(|l| field(&l.text)).collect();
        let is_proxy = |k: &str| k.ends_with("proxy_ip") || k.ends_with("proxy_port");
        if !fields.iter().any(|(k, _)| is_proxy(k)) {
            continue;
        }
        let ports: Vec<u16> = fields
            .iter()
            .filter(|(k, _)| k.ends_with("proxy_port"))
            .filter_map(|(_, v)| v.parse::<u16>().ok().filter(|p| *p > 0))
            .collect();
        let clients = fields
            .iter()
            .filter(|(k, _)| !is_proxy(k))
            .flat_map(|(_, v)| ips.mentions(v).into_iter().map(|m| m.ip))
            .filter(|ip| accused.contains(ip));
        for ip in clients {
            match out.iter_mut().find(|(o, _)| *o == ip) {
                Some((_, known)) => {
                    known.extend(ports.iter().filter(|p| !known.contains(p)).copied().collect::<Vec<_>>())
                }
                None => out.push((ip, ports.clone())),
            }
        }
    }
    out
}

/// Submitters and relays from linked hops of accused addresses; a relay
/// that handed the mail over plain SMTP into the recipient's own mail
/// system (the registrable domain of the chain's topmost receiving host)
/// used port 25.
fn mail_roles(chains: &[Vec<Hop>], accused: &[IpAddr]) -> Vec<(IpAddr, Role, Vec<u16>)> {
    let mut out = Vec::new();
    for chain in chains {
        let top = chain.first().and_then(|h| h.by.as_deref()).map(registrable);
        for pair in chain.windows(2) {
            let (upper, lower) = (&pair[0], &pair[1]);
            let (Some(up), Some(low)) = (upper.ip, lower.ip) else { continue };
            if up == low || !accused.contains(&low) {
                continue;
            }
            let linked = lower.by.as_ref().is_some_and(|b| {
                upper.names.contains(b) || upper.names.iter().any(|n| registrable(n) == registrable(b))
            });
            if !linked {
                continue;
            }
            if lower.auth {
                out.push((low, Role::Submitter, Vec::new()));
            }
            if accused.contains(&up) {
                let direct = upper.smtp && top.is_some() && upper.by.as_deref().map(registrable) == top;
                out.push((up, Role::MailRelay, if direct { vec![25] } else { Vec::new() }));
            }
        }
    }
    out
}

/// Whether `text` holds a URL or a host name (a dotted name with a letter).
fn names_location(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("http://") || t.contains("https://") || t.contains("hxxp") || t.contains("www.")
}

/// The resolution notations after a location.
const ARROWS: &[&str] = &["->", "=>", "resolves to", "resolved to", "points to", "pointing to"];

/// Public addresses a location is said to resolve to.
fn advertised(ips: &IpFinder, lines: &[Line]) -> Vec<IpAddr> {
    let mut out = Vec::new();
    let mut previous: Option<&Line> = None;
    for l in lines.iter().filter(|l| l.region == Region::Prose && !l.text.trim().is_empty()) {
        let lower = l.text.to_ascii_lowercase();
        let arrow = ARROWS.iter().filter_map(|a| lower.find(a).map(|p| (p, a.len()))).min();
        if let Some((p, len)) = arrow {
            let before = &l.text[..p];
            let location = names_location(before)
                || (before.trim().is_empty() && previous.is_some_and(|o| names_location(&o.text)));
            // Only the first address after the arrow (a line `-> IP -> AS…`).
            let first = ips.mentions(&l.text[p + len..]).into_iter().next().map(|m| m.ip);
            if let Some(ip) = first.filter(|ip| location && crate::ip::non_public_kind(*ip).is_none()) {
                if !out.contains(&ip) && ips.mentions(before).is_empty() {
                    out.push(ip);
                }
            }
        }
        previous = Some(l);
    }
    out
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::text::prose_lines;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn a_proxy_record_makes_its_accused_address_a_client() {
        let text = "Offending IP addresses:\n192.0.2.7\n\nattack_target: www.example.org:80\nproxy_driver_ip: 192.0.2.7\nproxy_driver_port: 50155\nabused_proxy_ip: 198.51.xxx.xxx\nabused_proxy_port: 8282\n\nattack_target: www.example.org:80\nproxy_driver_ip: 192.0.2.7\nabused_proxy_port: 3128\n";
        let roles = read(&IpFinder::new(), &prose_lines(text), &[], &[ip("192.0.2.7")]);
        assert_eq!(roles, vec![AddressRole { ip: ip("192.0.2.7"), role: Role::ProxyClient, ports: vec![8282, 3128] }]);
    }

    #[test]
    fn a_record_without_a_proxy_key_says_nothing() {
        let text = "source_ip: 192.0.2.7\nsource_port: 50155\nproxy: yes\n";
        assert!(read(&IpFinder::new(), &prose_lines(text), &[], &[ip("192.0.2.7")]).is_empty());
    }

    #[test]
    fn linked_hops_tell_the_submitter_from_the_relay() {
        let ips = IpFinder::new();
        let upper = Hop::parse(&ips, None, "from out1.example.net ([198.51.100.20]) by mx.example.org with ESMTP id 1");
        let lower =
            Hop::parse(&ips, None, "from [203.0.113.9] (helo=example.com) by out1.example.net with esmtpa id 2");
        let accused = [ip("198.51.100.20"), ip("203.0.113.9")];
        let roles = read(&ips, &[], &[vec![upper.clone(), lower.clone()]], &accused);
        let got: Vec<(IpAddr, Role, Vec<u16>)> = roles.iter().map(|r| (r.ip, r.role, r.ports.clone())).collect();
        assert_eq!(
            got,
            vec![(ip("203.0.113.9"), Role::Submitter, vec![]), (ip("198.51.100.20"), Role::MailRelay, vec![25])]
        );
        // Unlinked hops (another server below) say nothing.
        let other = Hop::parse(&ips, None, "from [203.0.113.9] by elsewhere.example.com with esmtpa id 3");
        assert!(read(&ips, &[], &[vec![upper, other]], &accused).is_empty());
    }

    #[test]
    fn direct_delivery_names_the_receiving_service() {
        let ips = IpFinder::new();
        let top =
            Hop::parse(&ips, None, "from edge1.mail.example.net (192.0.2.1) by mx2.mail.example.net with ESMTP id 1");
        let direct =
            Hop::parse(&ips, None, "from spam.example.com (203.0.113.9) by edge1.mail.example.net with ESMTP id 2");
        let chains = [vec![top, direct]];
        assert_eq!(receiver(&chains, &[ip("203.0.113.9")]).as_deref(), Some("example.net"));
        assert_eq!(receiver(&chains, &[ip("198.51.100.1")]), None);
    }

    #[test]
    fn a_resolution_notation_names_the_advertised_site() {
        let text = "Click here:\nhttp://shop.example.com/#abc\n-> 203.0.113.50 -> AS64500 Example\n\nhttps://www.example.net/x resolves to 198.51.100.77\n";
        let roles = read(&IpFinder::new(), &prose_lines(text), &[], &[]);
        let got: Vec<IpAddr> = roles.iter().map(|r| r.ip).collect();
        assert_eq!(got, vec![ip("203.0.113.50"), ip("198.51.100.77")]);
    }

    #[test]
    fn a_flow_arrow_is_no_resolution() {
        let text = "2024-04-12 06:22:17  192.0.2.7 59547 ->    198.51.100.19 28015\n";
        assert!(read(&IpFinder::new(), &prose_lines(text), &[], &[ip("192.0.2.7")]).is_empty());
    }
}
