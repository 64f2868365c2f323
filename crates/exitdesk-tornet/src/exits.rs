//! The newest network from the index: live figures for the replies (relay
//! and exit counts, our advertised bandwidth) and the blocking kit — the
//! exits whose policy lets them reach a destination now, as plain lists or
//! firewall/web-server snippets.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::net::IpAddr;

use serde::Serialize;

use crate::index::RelayIndex;
use crate::time::{HOUR, Hour, format_hour, hour_start};
use crate::verify::{Ours, PolicySource};
use crate::{EXIT_LIST_ATTACH, Fingerprint, Flags};

/// Figures of the newest imported consensus.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkFacts {
    /// Its hour, `YYYY-MM-DD HH:00` UTC.
    pub as_of: String,
    /// Relays listed.
    pub relays: u32,
    /// Relays whose policy allows some exit traffic (ExoneraTor's "exit").
    pub exits: u32,
    /// Relays with the Exit flag.
    pub exit_flag: u32,
    /// Our relays listed, and how many of them are exits.
    pub ours: u32,
    /// See `ours`.
    pub our_exits: u32,
    /// Sum of our relays' advertised bandwidth (bytes/s), from their newest descriptors.
    pub our_bandwidth: Option<u64>,
}

/// One exit in a blocking list.
#[derive(Debug, Clone, Serialize)]
pub struct ExitAddress {
    /// An address the exit's traffic leaves from.
    pub address: IpAddr,
    /// The exit.
    pub fingerprint: Fingerprint,
    /// Its nickname.
    pub nickname: String,
    /// What the "can reach" answer rests on.
    pub policy_source: PolicySource,
    /// Seen by the exit scanner rather than listed as an OR address.
    pub exit_list: bool,
}

/// Blocking-list output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockFormat {
    /// One address per line.
    Plain,
    /// `address,fingerprint,nickname,policy_source,exit_list`.
    Csv,
    /// An nftables table with address sets.
    Nft,
    /// iptables/ip6tables commands.
    Iptables,
    /// ipset restore input.
    Ipset,
    /// nginx `deny` lines.
    Nginx,
    /// Apache 2.4 `Require not ip`.
    Apache,
}

impl BlockFormat {
    /// The format called `name` (`plain`, `csv`, `nft`, …).
    pub fn from_name(name: &str) -> Option<BlockFormat> {
        BlockFormat::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// Every format with its name.
    pub const ALL: [(&'static str, BlockFormat); 7] = [
        ("plain", BlockFormat::Plain),
        ("csv", BlockFormat::Csv),
        ("nft", BlockFormat::Nft),
        ("iptables", BlockFormat::Iptables),
        ("ipset", BlockFormat::Ipset),
        ("nginx", BlockFormat::Nginx),
        ("apache", BlockFormat::Apache),
    ];
}

impl RelayIndex {
    /// The newest consensus hour imported.
    pub fn latest_hour(&self) -> Option<Hour> {
        self.hours.last().copied()
    }

    /// The first and last consensus hours and how many are imported.
    pub fn coverage(&self) -> (Option<Hour>, Option<Hour>, usize) {
        (self.hours.first().copied(), self.hours.last().copied(), self.hours.len())
    }

    /// Counts: relays, (relay, address) keys, runs, descriptors, exit-list sightings, exit lists.
    pub fn stats(&self) -> [usize; 6] {
        [
            self.relays.len(),
            self.keys.len(),
            self.keys.iter().map(|k| k.runs.len()).sum(),
            self.relays.iter().map(|r| r.descriptors.len()).sum(),
            self.sightings.values().map(Vec::len).sum(),
            self.exit_lists.len(),
        ]
    }

    /// Relay ids listed at `h`, each with the attributes of its first listed key.
    fn listed_at(&self, h: Hour) -> BTreeMap<u32, crate::index::Attrs> {
        let mut out = BTreeMap::new();
        for (id, k) in self.keys.iter().enumerate() {
            if let Some(a) = self.attrs_at(id as u32, h) {
                out.entry(k.relay).or_insert(a);
            }
        }
        out
    }

    /// Live figures from the newest consensus.
    pub fn network_facts(&self, ours: &Ours) -> Option<NetworkFacts> {
        let h = self.latest_hour()?;
        let listed = self.listed_at(h);
        let (mut exits, mut exit_flag, mut our, mut our_exits, mut bw, mut any_bw) = (0, 0, 0, 0, 0u64, false);
        for (&id, a) in &listed {
            let Some(relay) = self.relays.get(id as usize) else { continue };
            let exit = self.policy_allows(id, a, h, false, None, None).0;
            exits += u32::from(exit);
            exit_flag += u32::from(a.flags.contains(Flags::EXIT));
            let mine = ours.fingerprints.contains(&relay.fingerprint)
                || relay
                    .keys
                    .iter()
                    .any(|&k| self.keys.get(k as usize).is_some_and(|k| ours.addresses.contains(&k.addr)));
            if mine {
                our += 1;
                our_exits += u32::from(exit);
                if let Some((_, b)) = relay.bandwidth {
                    bw += b;
                    any_bw = true;
                }
            }
        }
        Some(NetworkFacts {
            as_of: format_hour(h),
            relays: listed.len() as u32,
            exits,
            exit_flag,
            ours: our,
            our_exits,
            our_bandwidth: any_bw.then_some(bw),
        })
    }

    /// The exits of the newest consensus whose policy lets them reach
    /// `dest`:`port`, with every address their traffic can leave from:
    /// OR addresses of the family, plus exit-list addresses seen in the
    /// last day. IPv6 addresses are listed when the IPv6 policy allows the
    /// port (so the list also serves a dual-stack server).
    pub fn exits_to(&self, dest: IpAddr, port: u16) -> (Option<String>, Vec<ExitAddress>) {
        let Some(h) = self.latest_hour() else { return (None, Vec::new()) };
        let listed = self.listed_at(h);
        // Exit-list addresses seen in the last day, per relay (one pass).
        let now = hour_start(h) + HOUR;
        let mut recent: BTreeMap<u32, Vec<IpAddr>> = BTreeMap::new();
        for (addr, list) in &self.sightings {
            for s in list.iter().filter(|s| s.spans.iter().any(|&(_, last)| now - last < EXIT_LIST_ATTACH)) {
                recent.entry(s.relay).or_default().push(*addr);
            }
        }
        let mut out = Vec::new();
        for (&id, a) in &listed {
            let Some(relay) = self.relays.get(id as usize) else { continue };
            let nickname = self.nicknames.get(a.nickname).cloned().unwrap_or_default();
            for v6 in [false, true] {
                let d = if dest.is_ipv6() == v6 { Some(dest) } else { None };
                let (_, allows, source) = self.policy_allows(id, a, h, v6, d, Some(port));
                if allows != Some(true) && !(allows.is_none() && a.flags.contains(Flags::EXIT)) {
                    continue;
                }
                for &k in &relay.keys {
                    let Some(key) = self.keys.get(k as usize) else { continue };
                    if key.addr.is_ipv6() == v6 && self.attrs_at(k, h).is_some() {
                        out.push(ExitAddress {
                            address: key.addr,
                            fingerprint: relay.fingerprint,
                            nickname: nickname.clone(),
                            policy_source: source,
                            exit_list: false,
                        });
                    }
                }
                if !v6 {
                    // An address also listed as an OR address is dropped by
                    // the stable sort and dedup below (the OR entry comes first).
                    for addr in recent.get(&id).map_or(&[][..], Vec::as_slice) {
                        out.push(ExitAddress {
                            address: *addr,
                            fingerprint: relay.fingerprint,
                            nickname: nickname.clone(),
                            policy_source: source,
                            exit_list: true,
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| a.address.cmp(&b.address).then(a.fingerprint.cmp(&b.fingerprint)));
        out.dedup_by(|a, b| a.address == b.address);
        (Some(format_hour(h)), out)
    }
}

/// Renders a blocking list. `header` goes into the formats that take comments.
pub fn render_blocklist(list: &[ExitAddress], format: BlockFormat, dest: IpAddr, port: u16, as_of: &str) -> String {
    let mut s = String::new();
    let v4: Vec<String> = list.iter().filter(|e| e.address.is_ipv4()).map(|e| e.address.to_string()).collect();
    let v6: Vec<String> = list.iter().filter(|e| e.address.is_ipv6()).map(|e| e.address.to_string()).collect();
    let summaries = list.iter().filter(|e| e.policy_source != PolicySource::Descriptor).count();
    let mut header = format!(
        "Tor exits whose exit policy allowed connections to {} port {port} in the consensus of {as_of} UTC: {} IPv4, {} IPv6 addresses (exitdesk).",
        dest,
        v4.len(),
        v6.len()
    );
    if summaries > 0 {
        let _ = write!(
            header,
            " {summaries} from policy summaries (true for most destinations), the rest from full descriptor policies."
        );
    }
    let comment = |s: &mut String, prefix: &str| {
        let _ = writeln!(s, "{prefix} {header}");
        let _ = writeln!(s, "{prefix} Tor's network changes every hour: regenerate this list often.");
    };
    match format {
        BlockFormat::Plain => {
            for a in v4.iter().chain(&v6) {
                let _ = writeln!(s, "{a}");
            }
        }
        BlockFormat::Csv => {
            let _ = writeln!(s, "address,fingerprint,nickname,policy_source,exit_list");
            for e in list {
                let _ = writeln!(
                    s,
                    "{},{},{},{},{}",
                    e.address,
                    e.fingerprint,
                    e.nickname,
                    e.policy_source.as_str(),
                    e.exit_list
                );
            }
        }
        BlockFormat::Nft => {
            comment(&mut s, "#");
            let _ = writeln!(s, "table inet tor_exits {{");
            for (name, ty, addrs) in [("exits4", "ipv4_addr", &v4), ("exits6", "ipv6_addr", &v6)] {
                let _ = writeln!(s, "    set {name} {{\n        type {ty}");
                if !addrs.is_empty() {
                    let _ = writeln!(s, "        elements = {{ {} }}", addrs.join(", "));
                }
                let _ = writeln!(s, "    }}");
            }
            let _ = writeln!(s, "    chain input {{\n        type filter hook input priority 0; policy accept;");
            let _ = writeln!(
                s,
                "        ip saddr @exits4 tcp dport {port} drop\n        ip6 saddr @exits6 tcp dport {port} drop"
            );
            let _ = writeln!(s, "    }}\n}}");
        }
        BlockFormat::Iptables => {
            comment(&mut s, "#");
            for a in &v4 {
                let _ = writeln!(s, "iptables -A INPUT -s {a} -p tcp --dport {port} -j DROP");
            }
            for a in &v6 {
                let _ = writeln!(s, "ip6tables -A INPUT -s {a} -p tcp --dport {port} -j DROP");
            }
        }
        BlockFormat::Ipset => {
            comment(&mut s, "#");
            let _ = writeln!(s, "# Load with `ipset restore < FILE`, then:");
            let _ =
                writeln!(s, "#   iptables -A INPUT -m set --match-set tor-exits4 src -p tcp --dport {port} -j DROP");
            let _ =
                writeln!(s, "#   ip6tables -A INPUT -m set --match-set tor-exits6 src -p tcp --dport {port} -j DROP");
            let _ = writeln!(s, "create tor-exits4 hash:ip family inet -exist");
            for a in &v4 {
                let _ = writeln!(s, "add tor-exits4 {a} -exist");
            }
            let _ = writeln!(s, "create tor-exits6 hash:ip family inet6 -exist");
            for a in &v6 {
                let _ = writeln!(s, "add tor-exits6 {a} -exist");
            }
        }
        BlockFormat::Nginx => {
            comment(&mut s, "#");
            for a in v4.iter().chain(&v6) {
                let _ = writeln!(s, "deny {a};");
            }
        }
        BlockFormat::Apache => {
            comment(&mut s, "#");
            let _ = writeln!(s, "<RequireAll>\n    Require all granted");
            for chunk in v4.iter().chain(&v6).collect::<Vec<_>>().chunks(16) {
                let line: Vec<&str> = chunk.iter().map(|a| a.as_str()).collect();
                let _ = writeln!(s, "    Require not ip {}", line.join(" "));
            }
            let _ = writeln!(s, "</RequireAll>");
        }
    }
    s
}
