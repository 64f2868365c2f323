//! Onionoo `details` documents (the current network, protocol 8): folded
//! in as a consensus of their `relays_published` hour, with the full exit
//! policies as descriptors and the exit addresses as exit-list sightings.

use std::net::IpAddr;

use serde::Deserialize;

use crate::consensus::{Consensus, Flavour, RouterEntry, RouterStatus};
use crate::exitlist::{ExitList, ExitListEntry};
use crate::meta::Problems;
use crate::policy::{ExitPolicy, PolicyRule};
use crate::ports::{PortList, PortSummary};
use crate::serverdesc::ServerDescriptor;
use crate::time::parse_words;
use crate::{DocError, Fingerprint, Flags};

#[derive(Deserialize)]
struct Details {
    relays_published: String,
    #[serde(default)]
    relays: Vec<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OnionooRelay {
    fingerprint: String,
    nickname: Option<String>,
    or_addresses: Vec<String>,
    exit_addresses: Vec<String>,
    flags: Vec<String>,
    exit_policy: Vec<String>,
    exit_policy_summary: Option<OnionooSummary>,
    exit_policy_v6_summary: Option<OnionooSummary>,
    advertised_bandwidth: Option<u64>,
    running: Option<bool>,
}

#[derive(Deserialize)]
struct OnionooSummary {
    accept: Option<Vec<String>>,
    reject: Option<Vec<String>>,
}

fn summary(s: &OnionooSummary) -> Option<PortSummary> {
    let (accept, list) = match (&s.accept, &s.reject) {
        (Some(a), _) => (true, a),
        (None, Some(r)) => (false, r),
        _ => return None,
    };
    Some(PortSummary { accept, ports: PortList::parse(&list.join(",")).ok()? })
}

/// What an Onionoo snapshot holds.
#[derive(Debug, Clone)]
pub struct OnionooSnapshot {
    /// The relays as a consensus of the `relays_published` hour (flavour `Onionoo`).
    pub consensus: Consensus,
    /// Full exit policies, as descriptors published at that hour.
    pub descriptors: Vec<ServerDescriptor>,
    /// `exit_addresses`, as an exit list scanned at that hour.
    pub exit_list: ExitList,
}

/// Parses an Onionoo `details` response. Relays that do not parse are
/// skipped with an error naming their position.
pub fn parse_onionoo(bytes: &[u8]) -> Result<(OnionooSnapshot, Vec<DocError>), DocError> {
    let d: Details = serde_json::from_slice(bytes)
        .map_err(|e| DocError::new(e.line(), format!("not an Onionoo details document: {e}")))?;
    let t = parse_words(&mut d.relays_published.split_ascii_whitespace())
        .ok_or_else(|| DocError::new(1, format!("bad relays_published {:?}", d.relays_published)))?;
    let mut errors = Problems::default();
    let mut relays = Vec::new();
    let mut descriptors = Vec::new();
    let mut entries = Vec::new();
    for (i, v) in d.relays.into_iter().enumerate() {
        let r: OnionooRelay = match serde_json::from_value(v) {
            Ok(r) => r,
            Err(e) => {
                errors.push(DocError::new(i + 1, format!("relay {}: {e}", i + 1)));
                continue;
            }
        };
        if r.running == Some(false) {
            continue;
        }
        let Some(fp) = Fingerprint::from_hex(&r.fingerprint) else {
            errors.push(DocError::new(i + 1, format!("relay {}: bad fingerprint", i + 1)));
            continue;
        };
        let addrs: Vec<std::net::SocketAddr> = r.or_addresses.iter().filter_map(|a| a.parse().ok()).collect();
        let Some(v4) = addrs.iter().find_map(|a| match a.ip() {
            IpAddr::V4(ip) => Some((ip, a.port())),
            IpAddr::V6(_) => None,
        }) else {
            errors.push(DocError::new(i + 1, format!("relay {}: no IPv4 OR address", i + 1)));
            continue;
        };
        let mut flags = Flags::parse(&r.flags.join(" "));
        flags = Flags(flags.0 | Flags::RUNNING.0);
        let policy = r.exit_policy_summary.as_ref().and_then(summary);
        let nickname = r.nickname.clone().unwrap_or_else(|| "Unnamed".to_string());
        relays.push(RouterStatus::new(
            RouterEntry {
                nickname: nickname.as_str().into(),
                fingerprint: fp,
                published: None,
                address: v4.0,
                or_port: v4.1,
                or_addresses: addrs.iter().filter(|a| a.is_ipv6()).copied().collect(),
                flags,
                policy,
                md_digest: None,
            },
            None,
        ));
        let rules: Result<Vec<PolicyRule>, String> = r
            .exit_policy
            .iter()
            .map(|l| {
                l.split_once(' ').ok_or_else(|| format!("bad rule {l:?}")).and_then(|(k, p)| PolicyRule::parse(k, p))
            })
            .collect();
        match rules {
            Ok(rules) if !rules.is_empty() => descriptors.push(ServerDescriptor {
                nickname,
                address: v4.0,
                or_port: v4.1,
                or_addresses: Vec::new(),
                published: t,
                fingerprint: Some(fp),
                policy: ExitPolicy { rules },
                ipv6_policy: r.exit_policy_v6_summary.as_ref().and_then(summary),
                bandwidth: r.advertised_bandwidth.map(|b| (b, b, b)),
                family: Vec::new(),
                family_cert: false,
                hibernating: false,
            }),
            Ok(_) => {}
            Err(e) => errors.push(DocError::new(i + 1, format!("relay {}: exit_policy: {e}", i + 1))),
        }
        let exit: Vec<(IpAddr, i64)> = r.exit_addresses.iter().filter_map(|a| a.parse().ok()).map(|a| (a, t)).collect();
        if !exit.is_empty() {
            entries.push(ExitListEntry { fingerprint: fp, published: None, last_status: Some(t), addresses: exit });
        }
    }
    let consensus = Consensus {
        flavour: Flavour::Onionoo,
        method: None,
        valid_after: t,
        fresh_until: None,
        valid_until: None,
        relays,
        errors: Vec::new(),
    };
    Ok((
        OnionooSnapshot { consensus, descriptors, exit_list: ExitList { downloaded: Some(t), entries } },
        errors.into_vec(),
    ))
}
