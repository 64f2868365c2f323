//! The relay history and verification on real documents of 2020-12-05
//! (ns consensus 18:00, md consensus 19:00, server descriptors of the same
//! tor cache) and the 2018-11-01 exit lists.

mod common;

use common::tor_dir;

use std::net::IpAddr;
use std::path::Path;

use exitdesk_model::VerdictKind;
use exitdesk_tornet::time::parse_datetime;
use exitdesk_tornet::{BlockFormat, Document, Ours, PolicySource, Query, RelayIndex, parse_document, render_blocklist};

fn add(ix: &mut RelayIndex, dir: &Path, rel: &str) -> bool {
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_default();
    let (doc, _) = parse_document(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
    match doc {
        Document::Consensus(c) => ix.add_consensus(&c).changed,
        Document::Microdescs(m) => ix.add_microdescs(&m).changed,
        Document::ServerDescriptors(d) => ix.add_descriptors(&d).changed,
        Document::ExitList(l) => ix.add_exit_list(&l).changed,
    }
}

fn t(s: &str) -> i64 {
    let (d, h) = s.split_once(' ').unwrap_or((s, "00:00:00"));
    parse_datetime(d, h).unwrap_or(0)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

fn index_2020(dir: &Path) -> RelayIndex {
    let mut ix = RelayIndex::new();
    for rel in [
        "consensus-microdesc/2020-12-05-19-00-00-consensus-microdesc",
        "server-descriptors/2020-12-05-cached-descriptors",
        "consensus/2020-12-05-18-00-00-consensus",
    ] {
        assert!(add(&mut ix, dir, rel), "{rel}");
        assert!(!add(&mut ix, dir, rel), "re-import of {rel} changed the index");
    }
    ix
}

#[test]
fn verdicts_on_real_data() {
    let Some(dir) = tor_dir() else { return };
    let ix = index_2020(&dir);
    let ours = Ours::default();
    // relayon0220, 185.220.101.150, `p accept 80,443`, descriptor known.
    let mut q = Query::at(ip("185.220.101.150"), t("2020-12-05 18:30:00"));
    q.port = Some(443);
    q.dest = Some(ip("203.0.113.5"));
    let v = ix.verify(&q, &ours);
    assert_eq!(v.verdict, VerdictKind::Exit, "{v:#?}");
    assert_eq!(v.relays[0].nickname, "relayon0220");
    assert_eq!(v.relays[0].policy_source, PolicySource::Descriptor);
    assert_eq!(v.consensus_hours, vec!["2020-12-05 18:00"]);
    q.port = Some(22);
    let v = ix.verify(&q, &ours);
    assert_eq!(v.verdict, VerdictKind::PolicyRejects, "{v:#?}");
    // A relay that is not an exit.
    let ns = std::fs::read_to_string(dir.join("consensus/2020-12-05-18-00-00-consensus")).unwrap_or_default();
    let middle = ns
        .split("\nr ")
        .skip(1)
        .find(|e| e.contains("\np reject 1-65535"))
        .and_then(|e| e.split_whitespace().nth(5))
        .map(ip);
    if let Some(m) = middle {
        let v = ix.verify(&Query::at(m, t("2020-12-05 18:10:00")), &ours);
        assert_eq!(v.verdict, VerdictKind::RelayNotExit, "{v:#?}");
    }
    // Same /24 as relayon0220 but not a relay: nearby relays are named.
    let v = ix.verify(&Query::at(ip("185.220.101.254"), t("2020-12-05 18:30:00")), &ours);
    assert_eq!(v.verdict, VerdictKind::NotRelay);
    assert_eq!(v.nearby[0].address, ip("185.220.101.220"), "{:?}", v.nearby);
    assert_eq!(v.nearby.len(), 16);
    // Outside the data.
    let v = ix.verify(&Query::at(ip("185.220.101.150"), t("2020-12-07 18:30:00")), &ours);
    assert_eq!(v.verdict, VerdictKind::NoData);
    assert!(v.notes.iter().any(|n| n.contains("consensuses-2020-12.tar.xz")), "{:?}", v.notes);
    // Within 3 h of the last consensus: still valid.
    let v = ix.verify(&Query::at(ip("185.220.101.150"), t("2020-12-05 21:30:00")), &ours);
    assert_eq!(v.verdict, VerdictKind::Exit);
    // No zone: every zone, noted; and the ±1 day answer.
    let v = ix.verify(&Query::any_zone(ip("185.220.101.150"), t("2020-12-05 09:00:00")), &ours);
    assert_eq!(v.verdict, VerdictKind::Exit);
    assert!(v.zone_unknown && v.notes[0].contains("UTC-12"));
    assert!(v.day.matches.iter().any(|m| m.nickname == "relayon0220"), "{:?}", v.day);
    assert!(v.exonerator.contains("ip=185.220.101.150&timestamp=2020-12-05"));
    // Ours.
    let mut mine = Ours::default();
    mine.addresses.insert(ip("185.220.101.150"));
    assert!(ix.verify(&Query::at(ip("185.220.101.150"), t("2020-12-05 18:30:00")), &mine).ours);
}

#[test]
fn the_index_survives_a_round_trip_and_rejects_damage() {
    let Some(dir) = tor_dir() else { return };
    let ix = index_2020(&dir);
    let bytes = ix.to_bytes();
    let back = RelayIndex::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.stats(), ix.stats());
    assert_eq!(back.to_bytes(), bytes);
    let q = Query::at(ip("185.220.101.150"), t("2020-12-05 18:30:00"));
    assert_eq!(back.verify(&q, &Ours::default()).verdict, VerdictKind::Exit);
    for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(RelayIndex::from_bytes(&bytes[..cut]).is_err());
    }
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 3] ^= 0x40;
    assert!(RelayIndex::from_bytes(&flipped).is_err());
}

#[test]
fn exit_lists_and_blocking_lists() {
    let Some(dir) = tor_dir() else { return };
    let mut ix = RelayIndex::new();
    assert!(add(&mut ix, &dir, "exit-lists/2018-11-01-00-02-01"));
    assert!(add(&mut ix, &dir, "exit-lists/2018-11-01-01-02-01"));
    assert!(!add(&mut ix, &dir, "exit-lists/2018-11-01-00-02-01"));
    // No consensus of that day: the scan itself is the evidence.
    let v = ix.verify(&Query::at(ip("162.247.74.201"), t("2018-10-31 12:00:00")), &Ours::default());
    assert_eq!(v.verdict, VerdictKind::ExitListOnly, "{v:#?}");
    let ix = index_2020(&dir);
    let (as_of, list) = ix.exits_to(ip("203.0.113.5"), 443);
    assert_eq!(as_of.as_deref(), Some("2020-12-05 19:00"));
    assert!(list.len() > 1000, "{}", list.len());
    assert!(list.iter().any(|e| e.address.is_ipv6()));
    let (_, ssh) = ix.exits_to(ip("203.0.113.5"), 25);
    assert!(ssh.len() < list.len() / 2, "{} vs {}", ssh.len(), list.len());
    for (name, f) in BlockFormat::ALL {
        let out = render_blocklist(&ssh, f, ip("203.0.113.5"), 25, "2020-12-05 19:00");
        assert!(out.contains(&ssh[0].address.to_string()), "{name}");
    }
    let facts = ix.network_facts(&Ours::default()).unwrap_or_else(|| panic!("no facts"));
    assert_eq!(facts.relays, 6903);
    assert!(facts.exit_flag > 1300 && facts.exits >= facts.exit_flag, "{facts:?}");
}
