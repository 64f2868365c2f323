//! Prints what exitdesk-tornet's parsers read from Tor documents, one JSON
//! object per file and line, for cross-checking against other parsers
//! (`scripts/tornet-vs-stem.py`); or times the parse of one file.
//!
//! ```sh
//! cargo run --release -p exitdesk-tornet --example dump -- FILE...
//! cargo run --release -p exitdesk-tornet --example dump -- --time 20 FILE
//! ```
//!
//! Per kind:
//! - consensus: `{file, kind, flavour, valid_after, relays, entries: [[fingerprint,
//!   nickname, ipv4, or_port, [a addresses], [flags], p or null, m (base64) or null]], errors}`
//! - microdescriptors: `{file, kind, count, entries: [{digest, p, p6}], errors}`
//! - server descriptors: `{file, kind, count, entries: [{fingerprint, nickname,
//!   published, policy: [rules], ipv6_policy}], errors}`
//! - exit list: `{file, kind, downloaded, count, entries: [{fingerprint, published,
//!   last_status, addresses: [[ip, time]]}], errors}`
//!
//! Times are `YYYY-MM-DD HH:MM:SS` (UTC). A file that is not a document
//! exitdesk reads gives `{file, error}`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Instant;

use exitdesk_tornet::time::format_datetime;
use exitdesk_tornet::{DocError, Document, PortSummary, parse_document};
use serde_json::{Value, json};

/// Standard base64 without padding, as the consensus `m` lines write digests.
fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn summary(s: Option<&PortSummary>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn time(t: Option<i64>) -> Value {
    t.map_or(Value::Null, |t| Value::String(format_datetime(t)))
}

fn errors(errs: &[DocError]) -> Value {
    errs.iter().map(|e| Value::String(e.to_string())).collect()
}

fn dump(file: &str, bytes: &[u8]) -> Value {
    let (doc, errs) = match parse_document(bytes) {
        Ok(d) => d,
        Err(e) => return json!({ "file": file, "error": e.to_string() }),
    };
    match doc {
        Document::Consensus(c) => {
            let entries: Vec<Value> = c
                .relays
                .iter()
                .map(|r| {
                    json!([
                        r.fingerprint.to_hex(),
                        r.nickname,
                        r.address.to_string(),
                        r.or_port,
                        r.or_addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
                        r.flags.names(),
                        summary(r.policy.as_ref()),
                        r.md_digest.map(|d| b64(&d)),
                    ])
                })
                .collect();
            json!({
                "file": file,
                "kind": "consensus",
                "flavour": c.flavour.as_str(),
                "method": c.method,
                "valid_after": format_datetime(c.valid_after),
                "relays": c.relays.len(),
                "entries": entries,
                "errors": errors(&errs),
            })
        }
        Document::Microdescs(mds) => {
            let entries: Vec<Value> = mds
                .iter()
                .map(|m| json!({ "digest": b64(&m.digest), "p": summary(m.p.as_ref()), "p6": summary(m.p6.as_ref()) }))
                .collect();
            json!({ "file": file, "kind": "microdescs", "count": mds.len(), "entries": entries, "errors": errors(&errs) })
        }
        Document::ServerDescriptors(ds) => {
            let entries: Vec<Value> = ds
                .iter()
                .map(|d| {
                    json!({
                        "fingerprint": d.fingerprint.map(|f| f.to_hex()),
                        "nickname": d.nickname,
                        "published": format_datetime(d.published),
                        "policy": d.policy.rules.iter().map(ToString::to_string).collect::<Vec<_>>(),
                        "ipv6_policy": summary(d.ipv6_policy.as_ref()),
                    })
                })
                .collect();
            json!({
                "file": file,
                "kind": "server-descriptors",
                "count": ds.len(),
                "entries": entries,
                "errors": errors(&errs),
            })
        }
        Document::ExitList(l) => {
            let entries: Vec<Value> = l
                .entries
                .iter()
                .map(|e| {
                    json!({
                        "fingerprint": e.fingerprint.to_hex(),
                        "published": time(e.published),
                        "last_status": time(e.last_status),
                        "addresses": e.addresses.iter().map(|(ip, t)| json!([ip.to_string(), format_datetime(*t)])).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "file": file,
                "kind": "exit-list",
                "downloaded": time(l.downloaded),
                "count": l.entries.len(),
                "entries": entries,
                "errors": errors(&errs),
            })
        }
    }
}

/// Parses `bytes` `runs` times; (median, min) in milliseconds.
fn time_parse(bytes: &[u8], runs: usize) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut items = 0;
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        let parsed = parse_document(std::hint::black_box(bytes));
        let dt = t0.elapsed().as_secs_f64() * 1e3;
        items = match std::hint::black_box(parsed) {
            Ok((Document::Consensus(c), _)) => c.relays.len(),
            Ok((Document::Microdescs(m), _)) => m.len(),
            Ok((Document::ServerDescriptors(d), _)) => d.len(),
            Ok((Document::ExitList(l), _)) => l.entries.len(),
            Err(_) => 0,
        };
        times.push(dt);
    }
    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    (median, times[0], items)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        eprintln!("usage: dump FILE...\n       dump --time N FILE");
        return ExitCode::from(2);
    }
    if args[0] == "--time" {
        let (Some(n), Some(file), None) = (args.get(1).and_then(|n| n.parse::<usize>().ok()), args.get(2), args.get(3))
        else {
            eprintln!("usage: dump --time N FILE");
            return ExitCode::from(2);
        };
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let (median, min, items) = time_parse(&bytes, n);
        println!(
            "{}",
            json!({ "file": file, "runs": n.max(1), "bytes": bytes.len(), "items": items, "median_ms": median, "min_ms": min })
        );
        return ExitCode::SUCCESS;
    }
    let mut status = ExitCode::SUCCESS;
    for file in &args {
        match std::fs::read(file) {
            Ok(bytes) => println!("{}", dump(file, &bytes)),
            Err(e) => {
                eprintln!("{file}: {e}");
                println!("{}", json!({ "file": file, "error": e.to_string() }));
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
