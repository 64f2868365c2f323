//! The parsers on the real Tor documents in `../shared/testdata/tor`
//! (counts from `SOURCES.md` and `reference/tor-data.md`). Skipped with a
//! note when the folder is absent (a fresh clone).

mod common;

use common::tor_dir;

use std::collections::HashSet;

use exitdesk_tornet::{Document, Flags, Flavour, parse_document};

fn parse(dir: &std::path::Path, rel: &str) -> (Document, Vec<exitdesk_tornet::DocError>) {
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_default();
    match parse_document(&bytes) {
        Ok(d) => d,
        Err(e) => panic!("{rel}: {e}"),
    }
}

#[test]
fn consensus_counts_match_the_reference() {
    let Some(dir) = tor_dir() else { return };
    // (file, flavour, relays, Exit flag, p not reject-all (ns), distinct IPv4, a lines)
    type Case = (&'static str, Flavour, usize, usize, Option<usize>, usize, usize);
    let cases: &[Case] = &[
        ("consensus/2022-11-19-10-00-00-consensus", Flavour::Ns, 6088, 1438, Some(1471), 5511, 2686),
        ("consensus/2020-12-05-18-00-00-consensus", Flavour::Ns, 6907, 1414, Some(1527), 6575, 1601),
        (
            "consensus-microdesc/2026-03-15-05-00-00-consensus-microdesc",
            Flavour::Microdesc,
            9372,
            2718,
            None,
            6961,
            4496,
        ),
        (
            "consensus-microdesc/2022-11-19-10-00-00-consensus-microdesc",
            Flavour::Microdesc,
            6088,
            1438,
            None,
            5511,
            2686,
        ),
    ];
    for &(rel, flavour, relays, exits, p_open, v4, a) in cases {
        let (doc, errors) = parse(&dir, rel);
        let Document::Consensus(c) = doc else { panic!("{rel}: not a consensus") };
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        assert_eq!(c.flavour, flavour, "{rel}");
        assert_eq!(c.relays.len(), relays, "{rel}");
        assert_eq!(c.relays.iter().filter(|r| r.flags.contains(Flags::EXIT)).count(), exits, "{rel}");
        if let Some(p_open) = p_open {
            let open = c.relays.iter().filter(|r| r.policy.as_ref().is_some_and(|p| !p.is_reject_all())).count();
            assert_eq!(open, p_open, "{rel}");
        } else {
            assert!(c.relays.iter().all(|r| r.md_digest.is_some()), "{rel}");
        }
        let distinct: HashSet<_> = c.relays.iter().map(|r| r.address).collect();
        assert_eq!(distinct.len(), v4, "{rel}");
        assert_eq!(c.relays.iter().map(|r| r.or_addresses.len()).sum::<usize>(), a, "{rel}");
        assert!(c.valid_after > 0 && c.valid_until.is_some_and(|u| u == c.valid_after + 3 * 3600), "{rel}");
    }
}

#[test]
fn microdescriptors_hash_to_the_consensus_digests() {
    let Some(dir) = tor_dir() else { return };
    let (doc, errors) = parse(&dir, "microdescs/2022-11-19-cached-microdescs");
    let Document::Microdescs(mds) = doc else { panic!("not microdescs") };
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(mds.len(), 1788);
    // SOURCES.md says 434; `grep -c "^p "` on the file says 407.
    assert_eq!(mds.iter().filter(|m| m.p.is_some()).count(), 407);
    assert_eq!(mds.iter().filter(|m| m.p6.is_some()).count(), 211);
    let (doc, _) = parse(&dir, "consensus-microdesc/2022-11-19-10-00-00-consensus-microdesc");
    let Document::Consensus(c) = doc else { panic!("not a consensus") };
    let wanted: HashSet<[u8; 32]> = c.relays.iter().filter_map(|r| r.md_digest).collect();
    let found = mds.iter().filter(|m| wanted.contains(&m.digest)).count();
    // The cache file is a journal: a subset of what the consensus lists, and
    // every digest computed here must be one the consensus names.
    assert!(found > 1700, "only {found} of 1788 microdescriptor digests are in the consensus");
}

#[test]
fn server_descriptors_and_exit_lists() {
    let Some(dir) = tor_dir() else { return };
    let (doc, errors) = parse(&dir, "server-descriptors/2020-12-05-cached-descriptors");
    let Document::ServerDescriptors(ds) = doc else { panic!("not descriptors") };
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ds.len(), 384);
    assert_eq!(ds.iter().filter(|d| d.ipv6_policy.is_some()).count(), 38);
    assert!(ds.iter().all(|d| d.fingerprint.is_some() && d.published > 0));
    for (rel, n) in [("exit-lists/2018-11-01-00-02-01", 931), ("exit-lists/2018-11-01-01-02-01", 935)] {
        let (doc, errors) = parse(&dir, rel);
        let Document::ExitList(l) = doc else { panic!("not an exit list") };
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(l.entries.len(), n, "{rel}");
        assert!(l.downloaded.is_some());
    }
    for rel in [
        "small/metricslib-2017-07-17-17-00-00-consensus",
        "small/metricslib-2017-07-17-17-00-00-consensus-microdesc",
        "small/metricslib-2017-07-17-17-02-00-exit-list",
        "small/metricslib-2017-07-17-17-20-00-micro",
        "small/metricslib-2017-07-17-17-20-00-server-descriptors",
        "small/stem-server_descriptor_with_ed25519",
        "small/stem-cached-microdescs",
    ] {
        let (_, errors) = parse(&dir, rel);
        assert!(errors.is_empty(), "{rel}: {errors:?}");
    }
}
