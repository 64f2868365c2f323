//! The networks a complaint itself attributes its accused addresses to, and
//! the organisations it was sent to at once: what an answer may claim.
//!
//! A report sent to several networks' abuse desks at once (a CERT's round-up
//! of phishing URLs, a complainant writing to everyone in the chain) names
//! addresses that are not all on one network: each desk answers for its own.
//! When the complaint says which network announces each address ("is
//! announced by NAME (ASN)", an `ASN` column, a whois `origin:`), an answer
//! must not call an address ours that the complaint places in another network
//! than the rest of what we would claim, unless Tor's network data verified
//! it: the configuration and the complaint then disagree, and evidence that
//! conflicts goes to a human; it is never settled by a guess.
//!
//! Networks are told apart by what the complaint writes: claims about one
//! address, claims with a common ASN, and (without one) claims with a common
//! name are one network. The operator's own networks (`[operator] networks`,
//! ASNs) make an attribution to one of them consistent and an attribution to
//! another ASN a conflict.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::{Complaint, Role};

/// What a complaint says about the network of one accused address: its
/// autonomous system number and/or a name (an AS name, a whois `netname`).
/// An address may have several claims (a whois dump with a `netname` and two
/// `origin`s); they are facets of one network.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetworkClaim {
    /// The accused address.
    pub ip: IpAddr,
    /// The autonomous system number the complaint gives, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    /// The network's name as written (complaint content: one bounded line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One network as the complaint names it: its ASNs and names, and the
/// accused addresses it is said to hold, in the complaint's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Network {
    /// The ASNs given for it.
    pub asns: Vec<u32>,
    /// The names given for it.
    pub names: Vec<String>,
    /// The accused addresses attributed to it.
    pub ips: Vec<IpAddr>,
}

/// A report addressed to the abuse desks of this many organisations (or
/// more) at once was sent to several networks.
pub const SEVERAL_DESKS: usize = 3;

impl Network {
    /// `NAME (AS64500)`, `NAME (AS64500, AS64501)`, `AS64500` or `NAME`.
    pub fn label(&self) -> String {
        self.label_for(&[])
    }

    /// [`Network::label`], with `, ours` after the ASNs when one is among `ours`.
    pub fn label_for(&self, ours: &[u32]) -> String {
        let mut asns: Vec<String> = self.asns.iter().map(|a| format!("AS{a}")).collect();
        if self.is_ours(ours) {
            asns.push("ours".into());
        }
        match (self.names.first(), asns.is_empty()) {
            (Some(n), false) => format!("{n} ({})", asns.join(", ")),
            (Some(n), true) => n.clone(),
            (None, _) => asns.join(", "),
        }
    }

    /// One of its ASNs is one of `ours`.
    pub fn is_ours(&self, ours: &[u32]) -> bool {
        self.asns.iter().any(|a| ours.contains(a))
    }
}

/// The claims grouped into networks, in the order of their first claim.
pub fn group(claims: &[NetworkClaim]) -> Vec<Network> {
    // Union-find over the claims: one address, one ASN or one name (when
    // neither has an ASN in common) is one network.
    let n = claims.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let same_name = |a: &NetworkClaim, b: &NetworkClaim| match (&a.name, &b.name) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    };
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&claims[i], &claims[j]);
            let asn_clash = matches!((a.asn, b.asn), (Some(x), Some(y)) if x != y);
            let same = a.ip == b.ip || (a.asn.is_some() && a.asn == b.asn) || (!asn_clash && same_name(a, b));
            if same {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[rj.max(ri)] = rj.min(ri);
            }
        }
    }
    let mut roots: Vec<usize> = Vec::new();
    let mut out: Vec<Network> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        let r = root(&mut parent, i);
        let at = match roots.iter().position(|x| *x == r) {
            Some(at) => at,
            None => {
                roots.push(r);
                out.push(Network::default());
                out.len() - 1
            }
        };
        let net = &mut out[at];
        if let Some(a) = c.asn.filter(|a| !net.asns.contains(a)) {
            net.asns.push(a);
        }
        if let Some(name) = c.name.as_ref().filter(|x| !net.names.iter().any(|y| y.eq_ignore_ascii_case(x))) {
            net.names.push(name.clone());
        }
        if !net.ips.contains(&c.ip) {
            net.ips.push(c.ip);
        }
    }
    out
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and N more`.
fn summary(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ if items.len() <= 3 => format!("{} and {}", items[..items.len() - 1].join(", "), items[items.len() - 1]),
        _ => format!("{} and {} more", items[..3].join(", "), items.len() - 3),
    }
}

impl Complaint {
    /// The networks the complaint attributes the accused addresses to,
    /// leaving out addresses its evidence shows serving mail or a site
    /// ([`Role::MailRelay`], [`Role::Advertised`]): an answer names them by
    /// that role, never as its own, so their network is no conflict (unless
    /// every attributed address has such a role).
    pub fn named_networks(&self) -> Vec<Network> {
        let kept: Vec<NetworkClaim> = self.networks.iter().filter(|c| !self.apart(&c.ip)).cloned().collect();
        group(if kept.is_empty() { &self.networks } else { &kept })
    }

    /// The evidence shows the address serving mail or a site.
    fn apart(&self, ip: &IpAddr) -> bool {
        self.address_roles.iter().any(|r| r.ip == *ip && matches!(r.role, Role::MailRelay | Role::Advertised))
    }

    /// The report was addressed to the abuse desks of several organisations
    /// at once ([`SEVERAL_DESKS`] or more) and accuses more than one address
    /// (besides those its evidence shows serving mail or a site, answered
    /// by that role): some of them are other networks' to answer for. (With
    /// one address the desks are the chain responsible for it: its
    /// provider, the upstream, a registry; the answer for that address is
    /// the answer.)
    pub fn sent_to_several(&self) -> bool {
        let accused = self.reported_ips.iter().filter(|ip| !self.apart(ip)).count();
        self.abuse_desks.len() >= SEVERAL_DESKS && accused >= 2
    }

    /// The complaint names addresses in two or more networks, not all of
    /// them among `ours` (ASNs).
    pub fn names_several_networks(&self, ours: &[u32]) -> bool {
        let nets = self.named_networks();
        nets.len() >= 2 && !nets.iter().all(|n| n.is_ours(ours))
    }

    /// Of `claimed` (the addresses an answer would call ours on the
    /// strength of the configuration alone), those the complaint's own
    /// attribution disputes:
    ///
    /// - attributed to ASNs none of which is one of `ours`, when `ours`
    ///   (the operator's networks) is known;
    /// - otherwise, when the claimed addresses are attributed to two or more
    ///   networks (none of them ours), each attributed one: an operator's
    ///   exits do not sit in several networks of one report, and which of
    ///   them is really ours cannot be told from here.
    ///
    /// Addresses the complaint attributes to no network are not disputed.
    pub fn disputed(&self, ours: &[u32], claimed: &[IpAddr]) -> Vec<IpAddr> {
        let nets = self.named_networks();
        let of = |ip: &IpAddr| nets.iter().position(|n| n.ips.contains(ip));
        let mut claimed_nets: Vec<usize> = claimed.iter().filter_map(of).collect();
        claimed_nets.sort_unstable();
        claimed_nets.dedup();
        let foreign: Vec<usize> = claimed_nets.iter().copied().filter(|i| !nets[*i].is_ours(ours)).collect();
        claimed
            .iter()
            .copied()
            .filter(|ip| {
                let Some(at) = of(ip) else { return false };
                let net = &nets[at];
                if net.is_ours(ours) {
                    false
                } else if !ours.is_empty() && !net.asns.is_empty() {
                    true
                } else {
                    claimed_nets.len() >= 2 && foreign.contains(&at)
                }
            })
            .collect()
    }

    /// Why the accused addresses need a human before an answer, from what
    /// the complaint says of their networks and recipients (`ours`: the
    /// operator's ASNs, possibly none): the report names several networks,
    /// or went to several organisations' abuse desks with several addresses
    /// (answer only for addresses on your network); or it places the
    /// address in a network that is not one of ours.
    pub fn network_problem(&self, ours: &[u32]) -> Option<String> {
        let nets = self.named_networks();
        let several_nets = self.names_several_networks(ours);
        if several_nets || self.sent_to_several() {
            let mut said = Vec::new();
            if self.sent_to_several() {
                let desks: Vec<String> = self.abuse_desks.iter().map(|d| crate::one_line(d, 80)).collect();
                said.push(format!(
                    "went to the abuse desks of {} organisations at once ({})",
                    desks.len(),
                    summary(&desks)
                ));
            }
            if several_nets {
                let each: Vec<String> = nets
                    .iter()
                    .take(5)
                    .map(|n| {
                        let ips: Vec<String> = n.ips.iter().map(ToString::to_string).collect();
                        format!("{} for {}", n.label_for(ours), summary(&ips))
                    })
                    .collect();
                let more = nets.len().saturating_sub(5);
                said.push(format!(
                    "names {} networks: {}{}",
                    nets.len(),
                    each.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                ));
            } else {
                let accused = self.reported_ips.iter().filter(|ip| !self.apart(ip)).count();
                said.push(format!("accuses {accused} addresses"));
            }
            return Some(format!("the report {}; answer only for addresses on your network", said.join(" and ")));
        }
        // One network named, with ASNs, none of them ours.
        if let [net] = nets.as_slice() {
            if !ours.is_empty() && !net.asns.is_empty() && !net.is_ours(ours) {
                let ips: Vec<String> = net.ips.iter().map(ToString::to_string).collect();
                let mine: Vec<String> = ours.iter().map(|a| format!("AS{a}")).collect();
                return Some(format!(
                    "the report places {} in {}, not in one of our networks ({}): check that the address is ours \
                     before answering",
                    summary(&ips),
                    net.label(),
                    mine.join(", ")
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::AddressRole;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn claim(a: &str, asn: Option<u32>, name: Option<&str>) -> NetworkClaim {
        NetworkClaim { ip: ip(a), asn, name: name.map(str::to_string) }
    }

    fn report(claims: Vec<NetworkClaim>) -> Complaint {
        let mut ips: Vec<IpAddr> = Vec::new();
        for c in &claims {
            if !ips.contains(&c.ip) {
                ips.push(c.ip);
            }
        }
        Complaint { reported_ips: ips, networks: claims, ..Complaint::default() }
    }

    #[test]
    fn claims_group_by_address_asn_and_name() {
        let claims = vec![
            claim("192.0.2.7", Some(64500), Some("EXAMPLE-NET")),
            claim("192.0.2.8", Some(64500), Some("EXAMPLE-NET")),
            claim("198.51.100.9", None, Some("OTHER-POOL")),
            claim("198.51.100.9", Some(64501), None),
            claim("198.51.100.9", Some(64502), None),
            claim("203.0.113.5", None, Some("other-pool")),
        ];
        let nets = group(&claims);
        assert_eq!(nets.len(), 2);
        assert_eq!(nets[0].label(), "EXAMPLE-NET (AS64500)");
        assert_eq!(nets[0].ips, vec![ip("192.0.2.7"), ip("192.0.2.8")]);
        assert_eq!(nets[1].label(), "OTHER-POOL (AS64501, AS64502)");
        assert_eq!(nets[1].ips, vec![ip("198.51.100.9"), ip("203.0.113.5")]);
        // The same name with different ASNs is two networks.
        let two =
            group(&[claim("192.0.2.7", Some(64500), Some("CLOUD")), claim("192.0.2.8", Some(64501), Some("CLOUD"))]);
        assert_eq!(two.len(), 2);
    }

    #[test]
    fn several_networks_need_a_human() {
        let c = report(vec![
            claim("192.0.2.7", Some(64500), Some("EXAMPLE-NET")),
            claim("198.51.100.9", Some(64501), Some("OTHER-NET")),
            claim("198.51.100.10", Some(64501), Some("OTHER-NET")),
        ]);
        assert_eq!(
            c.network_problem(&[]).as_deref(),
            Some(
                "the report names 2 networks: EXAMPLE-NET (AS64500) for 192.0.2.7, OTHER-NET (AS64501) for \
                 198.51.100.9 and 198.51.100.10; answer only for addresses on your network"
            )
        );
        assert!(c.network_problem(&[64500]).unwrap().contains("EXAMPLE-NET (AS64500, ours) for 192.0.2.7"));
        // Both networks ours: consistent.
        assert_eq!(c.network_problem(&[64500, 64501]), None);
        // The configuration alone cannot tell which is ours: every claimed
        // attributed address is disputed; with our ASN known, the other network's.
        let claimed = [ip("192.0.2.7"), ip("198.51.100.9")];
        assert_eq!(c.disputed(&[], &claimed), claimed.to_vec());
        assert_eq!(c.disputed(&[64500], &claimed), vec![ip("198.51.100.9")]);
        // Claiming only addresses of one network: nothing disputed.
        assert!(c.disputed(&[], &[ip("198.51.100.9"), ip("198.51.100.10")]).is_empty());
    }

    #[test]
    fn one_network_not_ours_is_a_conflict() {
        let c = report(vec![claim("192.0.2.7", Some(64501), Some("OTHER-NET"))]);
        assert_eq!(c.network_problem(&[]), None);
        assert!(c.disputed(&[], &[ip("192.0.2.7")]).is_empty());
        let p = c.network_problem(&[64500]).unwrap();
        assert!(p.contains("places 192.0.2.7 in OTHER-NET (AS64501), not in one of our networks (AS64500)"), "{p}");
        assert_eq!(c.disputed(&[64500], &[ip("192.0.2.7")]), vec![ip("192.0.2.7")]);
        assert_eq!(c.network_problem(&[64501]), None);
    }

    #[test]
    fn several_desks_with_several_addresses() {
        let mut c = Complaint {
            reported_ips: vec![ip("192.0.2.7"), ip("198.51.100.9")],
            abuse_desks: vec!["example.com".into(), "example.net".into(), "example.org".into()],
            ..Complaint::default()
        };
        assert_eq!(
            c.network_problem(&[]).as_deref(),
            Some(
                "the report went to the abuse desks of 3 organisations at once (example.com, example.net and \
                 example.org) and accuses 2 addresses; answer only for addresses on your network"
            )
        );
        // The second address is the mail server that passed a spam on.
        c.address_roles = vec![AddressRole { ip: ip("198.51.100.9"), role: Role::MailRelay, ports: vec![] }];
        assert_eq!(c.network_problem(&[]), None);
        c.address_roles.clear();
        c.reported_ips.truncate(1);
        assert_eq!(c.network_problem(&[]), None);
    }

    #[test]
    fn an_advertised_site_is_no_network_of_ours() {
        let mut c =
            report(vec![claim("192.0.2.7", Some(64500), None), claim("203.0.113.80", Some(64501), Some("SITE-HOST"))]);
        c.address_roles = vec![AddressRole { ip: ip("203.0.113.80"), role: Role::Advertised, ports: vec![] }];
        assert_eq!(c.network_problem(&[]), None);
    }
}
