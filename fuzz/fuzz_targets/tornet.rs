//! Tor documents and index files from hostile bytes: parsing, indexing,
//! verifying and reading an index never panic.
#![no_main]

use exitdesk_tornet::{Document, Ours, Query, RelayIndex, parse_document, parse_onionoo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut ix = RelayIndex::new();
    if let Ok((doc, _)) = parse_document(data) {
        match doc {
            Document::Consensus(c) => {
                ix.add_consensus(&c);
            }
            Document::Microdescs(m) => {
                ix.add_microdescs(&m);
            }
            Document::ServerDescriptors(d) => {
                ix.add_descriptors(&d);
            }
            Document::ExitList(l) => {
                ix.add_exit_list(&l);
            }
        }
    }
    if let Ok((snap, _)) = parse_onionoo(data) {
        ix.add_onionoo(&snap);
    }
    let ip = "192.0.2.1".parse().unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let mut q = Query::any_zone(ip, 1_700_000_000);
    q.port = Some(443);
    let _ = ix.verify(&q, &Ours::default());
    let bytes = ix.to_bytes();
    let _ = RelayIndex::from_bytes(&bytes).map(|b| b.stats());
    let _ = RelayIndex::from_bytes(data);
});
