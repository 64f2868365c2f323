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

/// The top of a `details` document without its relays (skipped unread).
#[derive(Deserialize)]
struct Published {
    relays_published: String,
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
/// skipped with an error naming their position. The relays are read one
/// at a time as the JSON is read (never all as JSON values at once: a
/// `[{},{},…]` of 256 MiB took tens of GB that way).
pub fn parse_onionoo(bytes: &[u8]) -> Result<(OnionooSnapshot, Vec<DocError>), DocError> {
    let not_onionoo = |e: serde_json::Error| DocError::new(e.line(), format!("not an Onionoo details document: {e}"));
    // The hour first (it may come after the relays), then the relays.
    let d: Published = serde_json::from_slice(bytes).map_err(not_onionoo)?;
    let t = parse_words(&mut d.relays_published.split_ascii_whitespace())
        .ok_or_else(|| DocError::new(1, format!("bad relays_published {:?}", d.relays_published)))?;
    let mut fold = Fold {
        t,
        next: 0,
        errors: Problems::default(),
        relays: Vec::new(),
        descriptors: Vec::new(),
        entries: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde::Deserializer::deserialize_map(&mut de, Top(&mut fold)).and_then(|()| de.end()).map_err(not_onionoo)?;
    let Fold { relays, descriptors, entries, errors, .. } = fold;
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

/// The snapshot being built, one relay at a time.
struct Fold {
    /// `relays_published`.
    t: i64,
    /// Position of the next relay (0-based).
    next: usize,
    errors: Problems,
    relays: Vec<RouterStatus>,
    descriptors: Vec<ServerDescriptor>,
    entries: Vec<ExitListEntry>,
}

impl Fold {
    fn add(&mut self, v: serde_json::Value) {
        let i = self.next;
        self.next += 1;
        let r: OnionooRelay = match serde_json::from_value(v) {
            Ok(r) => r,
            Err(e) => {
                self.errors.push(DocError::new(i + 1, format!("relay {}: {e}", i + 1)));
                return;
            }
        };
        if r.running == Some(false) {
            return;
        }
        let Some(fp) = Fingerprint::from_hex(&r.fingerprint) else {
            self.errors.push(DocError::new(i + 1, format!("relay {}: bad fingerprint", i + 1)));
            return;
        };
        let addrs: Vec<std::net::SocketAddr> = r.or_addresses.iter().filter_map(|a| a.parse().ok()).collect();
        let Some(v4) = addrs.iter().find_map(|a| match a.ip() {
            IpAddr::V4(ip) => Some((ip, a.port())),
            IpAddr::V6(_) => None,
        }) else {
            self.errors.push(DocError::new(i + 1, format!("relay {}: no IPv4 OR address", i + 1)));
            return;
        };
        let mut flags = Flags::parse(&r.flags.join(" "));
        flags = Flags(flags.0 | Flags::RUNNING.0);
        let policy = r.exit_policy_summary.as_ref().and_then(summary);
        let nickname = r.nickname.clone().unwrap_or_else(|| "Unnamed".to_string());
        self.relays.push(RouterStatus::new(
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
            Ok(rules) if !rules.is_empty() => self.descriptors.push(ServerDescriptor {
                nickname,
                address: v4.0,
                or_port: v4.1,
                or_addresses: Vec::new(),
                published: self.t,
                fingerprint: Some(fp),
                policy: ExitPolicy { rules },
                ipv6_policy: r.exit_policy_v6_summary.as_ref().and_then(summary),
                bandwidth: r.advertised_bandwidth.map(|b| (b, b, b)),
                family: Vec::new(),
                family_cert: false,
                hibernating: false,
            }),
            Ok(_) => {}
            Err(e) => self.errors.push(DocError::new(i + 1, format!("relay {}: exit_policy: {e}", i + 1))),
        }
        let exit: Vec<(IpAddr, i64)> =
            r.exit_addresses.iter().filter_map(|a| a.parse().ok()).map(|a| (a, self.t)).collect();
        if !exit.is_empty() {
            self.entries.push(ExitListEntry {
                fingerprint: fp,
                published: None,
                last_status: Some(self.t),
                addresses: exit,
            });
        }
    }
}

/// The top object: `relays` folded, everything else skipped.
struct Top<'a>(&'a mut Fold);

impl<'de> serde::de::Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an Onionoo details object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "relays" {
                map.next_value_seed(Relays(&mut *self.0))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `relays` array, each element folded as it is read.
struct Relays<'a>(&'a mut Fold);

impl<'de> serde::de::DeserializeSeed<'de> for Relays<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Relays<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of relays")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            self.0.add(v);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relays are folded as they are read, `relays_published` may come
    /// after them, and relays that are not relays are counted past the
    /// problems cap.
    #[test]
    fn relays_are_folded_one_at_a_time() {
        let good = r#"{"fingerprint":"0000000000000000000000000000000000000001","nickname":"a","or_addresses":["192.0.2.1:443"],"flags":["Exit"],"exit_policy":["accept *:443","reject *:*"],"exit_addresses":["192.0.2.9"]}"#;
        let doc = format!(
            r#"{{"version":"8.0","relays":[{good},{}0],"bridges":[],"relays_published":"2025-10-14 07:00:00"}}"#,
            "{},".repeat(3 * crate::MAX_PROBLEMS)
        );
        let (snap, errors) = parse_onionoo(doc.as_bytes()).expect("an Onionoo document");
        assert_eq!(snap.consensus.relays.len(), 1);
        assert_eq!(snap.descriptors.len(), 1);
        assert_eq!(snap.exit_list.entries.len(), 1);
        assert_eq!(snap.descriptors.first().map(|d| d.published), Some(snap.consensus.valid_after));
        assert_eq!(errors.len(), crate::MAX_PROBLEMS);
        // 3,000 empty objects and a number.
        assert_eq!(errors.iter().map(DocError::count).sum::<usize>(), 3 * crate::MAX_PROBLEMS + 1);
        assert!(parse_onionoo(b"[1,2]").is_err());
        assert!(parse_onionoo(br#"{"relays":[],"relays_published":"2025-10-14 07:00:00"} x"#).is_err());
    }
}
