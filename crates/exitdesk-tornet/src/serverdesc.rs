//! Server descriptors (dir-spec §2.1.1): the relay's full exit policy
//! (`accept`/`reject` lines in order, `ipv6-policy` summary), publication
//! time, addresses, advertised bandwidth and family.

use std::net::{Ipv4Addr, SocketAddr};

use serde::Serialize;

use crate::consensus::parse_or_address;
use crate::meta::{Item, Items, Problems};
use crate::policy::{ExitPolicy, PolicyRule};
use crate::ports::PortSummary;
use crate::time::parse_words;
use crate::{DocError, Fingerprint};

/// One server descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerDescriptor {
    /// Nickname.
    pub nickname: String,
    /// IPv4 address of the `router` line.
    pub address: Ipv4Addr,
    /// OR port.
    pub or_port: u16,
    /// `or-address` lines.
    pub or_addresses: Vec<SocketAddr>,
    /// `published`.
    pub published: i64,
    /// `fingerprint` (absent in some very old descriptors).
    pub fingerprint: Option<Fingerprint>,
    /// The full IPv4 exit policy (`accept`/`reject` lines).
    pub policy: ExitPolicy,
    /// `ipv6-policy` summary; `None` = reject all.
    pub ipv6_policy: Option<PortSummary>,
    /// `bandwidth` average, burst, observed (bytes/s).
    pub bandwidth: Option<(u64, u64, u64)>,
    /// `family` members as written (old: nicknames and `$HEX`; new: canonical `$HEX`).
    pub family: Vec<String>,
    /// `family-cert` present (tor ≥ 0.4.9 family keys).
    pub family_cert: bool,
    /// `hibernating 1`.
    pub hibernating: bool,
}

impl ServerDescriptor {
    /// Advertised bandwidth: the least of average, burst and observed (as
    /// Onionoo and Relay Search compute it).
    pub fn advertised_bandwidth(&self) -> Option<u64> {
        self.bandwidth.map(|(a, b, o)| a.min(b).min(o))
    }
}

struct Partial {
    d: ServerDescriptor,
    line: usize,
    broken: bool,
    has_published: bool,
}

fn start(item: &Item<'_>) -> Result<Partial, DocError> {
    let w: Vec<&str> = item.args.split_ascii_whitespace().collect();
    if w.len() < 3 {
        return Err(DocError::new(item.line, "`router` line needs nickname, address and port"));
    }
    let address: Ipv4Addr = w[1].parse().map_err(|_| DocError::new(item.line, format!("bad address {:?}", w[1])))?;
    let or_port: u16 = w[2].parse().map_err(|_| DocError::new(item.line, format!("bad port {:?}", w[2])))?;
    Ok(Partial {
        d: ServerDescriptor {
            nickname: w[0].to_string(),
            address,
            or_port,
            or_addresses: Vec::new(),
            published: 0,
            fingerprint: None,
            policy: ExitPolicy::default(),
            ipv6_policy: None,
            bandwidth: None,
            family: Vec::new(),
            family_cert: false,
            hibernating: false,
        },
        line: item.line,
        broken: false,
        has_published: false,
    })
}

/// Parses concatenated server descriptors. A descriptor with a bad policy
/// line or without `published` is skipped whole (a partial policy could
/// claim an exit the relay never allowed).
pub fn parse_server_descriptors(text: &str) -> (Vec<ServerDescriptor>, Vec<DocError>) {
    let mut items = Items::new(text);
    let mut out = Vec::new();
    let mut errors = Problems::default();
    let mut cur: Option<Partial> = None;
    let finish = |p: Option<Partial>, out: &mut Vec<ServerDescriptor>, errors: &mut Problems| {
        if let Some(p) = p {
            if !p.has_published {
                errors.push(DocError::new(p.line, "descriptor without a valid `published` line skipped"));
            } else if !p.broken {
                out.push(p.d);
            }
        }
    };
    for item in items.by_ref() {
        if item.kw == "router" {
            finish(cur.take(), &mut out, &mut errors);
            match start(&item) {
                Ok(p) => cur = Some(p),
                Err(e) => errors.push(e),
            }
            continue;
        }
        let Some(p) = cur.as_mut() else { continue };
        match item.kw {
            "accept" | "reject" | "accept6" | "reject6" => match PolicyRule::parse(item.kw, item.args) {
                Ok(r) => p.d.policy.rules.push(r),
                Err(e) => {
                    errors.push(DocError::new(item.line, format!("bad policy line: {e}; descriptor skipped")));
                    p.broken = true;
                }
            },
            "ipv6-policy" => match PortSummary::parse(item.args) {
                Ok(s) => p.d.ipv6_policy = Some(s),
                Err(e) => {
                    errors.push(DocError::new(item.line, format!("bad ipv6-policy: {e}; descriptor skipped")));
                    p.broken = true;
                }
            },
            "published" => match parse_words(&mut item.args.split_ascii_whitespace()) {
                Some(t) => {
                    p.d.published = t;
                    p.has_published = true;
                }
                None => errors.push(DocError::new(item.line, "bad `published` time")),
            },
            "fingerprint" => p.d.fingerprint = Fingerprint::from_hex(item.args),
            "or-address" => p.d.or_addresses.extend(parse_or_address(item.args)),
            "bandwidth" => {
                let v: Vec<u64> = item.args.split_ascii_whitespace().filter_map(|x| x.parse().ok()).collect();
                if let [a, b, o, ..] = v[..] {
                    p.d.bandwidth = Some((a, b, o));
                }
            }
            "family" => p.d.family = item.args.split_ascii_whitespace().map(str::to_string).collect(),
            "family-cert" => p.d.family_cert = true,
            "hibernating" => p.d.hibernating = item.args == "1",
            _ => {}
        }
    }
    finish(cur.take(), &mut out, &mut errors);
    errors.extend(items.finish());
    (out, errors.into_vec())
}
