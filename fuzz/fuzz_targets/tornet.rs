//! Fuzz target: Tor documents and index files from hostile bytes.
//!
//! The input is one or more documents separated by a line `%%` (so a seed
//! can hold a miniature network: consensus, descriptors, exit list). Each is
//! parsed and added to one index, which must then round-trip through its file
//! format: saved, loaded back, saved again to the same bytes, and the loaded
//! index giving the same answers (`verify`, live figures, blocking lists) as
//! the one built. The input is also read as an index file: that may fail, but
//! never panic, and what loads answers queries without panicking.
//!
//! Run: see `fuzz/README.md` (`fuzz/run.sh tornet 60`).

#![no_main]

use std::net::IpAddr;

use exitdesk_tornet::{Document, Ours, Query, RelayIndex, parse_document, parse_onionoo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut ix = RelayIndex::new();
    for doc in split(data) {
        if let Ok((doc, _)) = parse_document(doc) {
            match doc {
                Document::Consensus(c) => ix.add_consensus(&c),
                Document::Microdescs(m) => ix.add_microdescs(&m),
                Document::ServerDescriptors(d) => ix.add_descriptors(&d),
                Document::ExitList(l) => ix.add_exit_list(&l),
            };
        }
        if let Ok((snap, _)) = parse_onionoo(doc) {
            ix.add_onionoo(&snap);
        }
    }
    let addrs = addresses(data);
    let bytes = ix.to_bytes();
    let back = RelayIndex::from_bytes(&bytes).unwrap_or_else(|e| panic!("a saved index loads: {e}"));
    assert!(back.to_bytes() == bytes, "save → load → save changed the bytes");
    assert_eq!(back.stats(), ix.stats(), "stats after loading");
    assert_eq!(back.coverage(), ix.coverage(), "coverage after loading");
    assert_eq!(answers(&back, &addrs), answers(&ix, &addrs), "answers after loading");

    if let Ok(loaded) = RelayIndex::from_bytes(data) {
        answers(&loaded, &addrs);
        let again = loaded.to_bytes();
        let reloaded = RelayIndex::from_bytes(&again).unwrap_or_else(|e| panic!("a loaded index saves and loads: {e}"));
        assert!(reloaded.to_bytes() == again, "load → save → load → save changed the bytes");
    }
});

/// The documents of the input: split at lines `%%`.
fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(4).position(|w| w == b"\n%%\n") {
            Some(i) => {
                rest = Some(&r[i + 4..]);
                Some(&r[..=i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Up to eight addresses written in the input (so queries hit its relays),
/// plus two documentation addresses.
fn addresses(data: &[u8]) -> Vec<IpAddr> {
    let text = String::from_utf8_lossy(&data[..data.len().min(1 << 16)]);
    let mut out: Vec<IpAddr> = ["192.0.2.1", "2001:db8::1"].iter().filter_map(|a| a.parse().ok()).collect();
    let words = text.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"'));
    for w in words.filter(|w| w.len() >= 7).take(10_000) {
        if let Ok(ip) = w.parse::<IpAddr>() {
            if !out.contains(&ip) {
                out.push(ip);
            }
            if out.len() >= 10 {
                break;
            }
        }
    }
    out
}

/// Everything the index answers for these addresses, as text to compare.
fn answers(ix: &RelayIndex, addrs: &[IpAddr]) -> Vec<String> {
    let (first, last, _) = ix.coverage();
    let mut times: Vec<i64> = vec![1_700_000_000];
    times.extend([first, last].into_iter().flatten().map(|h| i64::from(h) * 3600 + 1800));
    let ours = Ours { addresses: addrs.iter().take(1).copied().collect(), ..Ours::default() };
    let mut out = vec![format!("{:?}", ix.network_facts(&ours))];
    for &ip in addrs {
        for &t in &times {
            let mut q = Query::at(ip, t);
            q.port = Some(443);
            out.push(format!("{:?}", ix.verify(&q, &ours)));
            let mut q = Query::any_zone(ip, t);
            q.dest = addrs.last().copied();
            q.port = Some(22);
            out.push(format!("{:?}", ix.verify(&q, &ours)));
        }
        out.push(format!("{:?}", ix.exits_to(ip, 80)));
    }
    out
}
