//! Extraction + classification of messages the process has not seen before.
//!
//! The regex crate's lazy DFAs build their states on demand and keep them, so
//! a second pass over the same text is much cheaper than the first: a
//! benchmark that loops over one message measures warm caches only. This
//! one builds a fresh `Extractor` and `Classifier` per round, reads every
//! corpus message once (first pass, cold caches) and then once more (warm),
//! the same work as `exitdesk_app::Reader::read`. Peer in the same run:
//! mail-parser parsing the same bytes.
//!
//! Corpus: `EXITDESK_CORPUS`, else `../shared/corpus` beside the repository,
//! else the repository's `examples/`. `EXITDESK_ROUNDS` rounds (default 5);
//! the median round is shown.
//!
//! `cargo bench -p exitdesk-classify --bench read`

#![allow(clippy::print_stderr, clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use exitdesk_classify::Classifier;
use exitdesk_extract::Extractor;

fn messages() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dirs = [
        std::env::var_os("EXITDESK_CORPUS").map(PathBuf::from),
        Some(root.join("../shared/corpus")),
        Some(root.join("examples")),
    ];
    for dir in dirs.into_iter().flatten() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut out: Vec<(String, Vec<u8>)> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("eml" | "txt")))
            .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
            .collect();
        if !out.is_empty() {
            out.sort();
            eprintln!("reading {} messages from {}", out.len(), dir.display());
            return out;
        }
    }
    Vec::new()
}

/// One pass: extract and classify every message; time per message.
fn pass(x: &Extractor, k: &Classifier, msgs: &[(String, Vec<u8>)]) -> (Duration, Duration, Duration) {
    let (mut ext, mut cls) = (Duration::ZERO, Duration::ZERO);
    for (name, raw) in msgs {
        let t = Instant::now();
        let c = x.extract(black_box(raw), name);
        ext += t.elapsed();
        let t = Instant::now();
        black_box(k.classify(&c));
        cls += t.elapsed();
    }
    let n = msgs.len() as u32;
    ((ext + cls) / n, ext / n, cls / n)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn us(d: Duration) -> String {
    format!("{:8.0} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // useful either: run once, quickly, when not benchmarking.
    let benching = std::env::args().any(|a| a == "--bench");
    let msgs = messages();
    if msgs.is_empty() {
        eprintln!("no messages found; nothing to benchmark");
        return;
    }
    let rounds: usize = if benching {
        std::env::var_os("EXITDESK_ROUNDS").and_then(|r| r.to_str()?.parse().ok()).unwrap_or(5)
    } else {
        1
    };
    let (mut build, mut cold, mut cold_x, mut cold_k, mut warm, mut warm_x, mut warm_k, mut peer) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..rounds {
        let t = Instant::now();
        let x = Extractor::new();
        let k = Classifier::builtin().unwrap();
        build.push(t.elapsed());
        let (a, b, c) = pass(&x, &k, &msgs);
        cold.push(a);
        cold_x.push(b);
        cold_k.push(c);
        let (a, b, c) = pass(&x, &k, &msgs);
        warm.push(a);
        warm_x.push(b);
        warm_k.push(c);
        let t = Instant::now();
        for (_, raw) in &msgs {
            black_box(mail_parser::MessageParser::default().parse(black_box(raw.as_slice())).map(|m| m.parts.len()));
        }
        peer.push(t.elapsed() / msgs.len() as u32);
    }
    let peer = median(peer);
    let ratio = |d: Duration| d.as_secs_f64() / peer.as_secs_f64();
    println!("per message, median of {rounds} rounds ({} messages):", msgs.len());
    println!("  build Extractor + Classifier  {}", us(median(build)));
    for (what, all, x, k) in [("first pass (cold)", cold, cold_x, cold_k), ("second pass (warm)", warm, warm_x, warm_k)]
    {
        let all = median(all);
        println!(
            "  {what:<19} extract+classify {} ({:6.1}× peer)  extract {}  classify {}",
            us(all),
            ratio(all),
            us(median(x)),
            us(median(k))
        );
    }
    println!("  mail-parser parse (peer)      {}", us(peer));
}
