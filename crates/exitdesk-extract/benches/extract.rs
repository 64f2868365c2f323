//! Extraction speed over real complaints.
//!
//! Reads the shared corpus (`EXITDESK_CORPUS`, else `../shared/corpus` beside
//! the repository) or, when it is absent, the repository's own `examples/`.
//! The peer in the same run is mail-parser alone on the same bytes: MIME
//! parsing is the floor any extractor pays, so the ratio extract/parse says
//! how much the fact-finding costs on top.
//!
//! `cargo bench -p exitdesk-extract --bench extract`

#![allow(clippy::print_stderr, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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
            eprintln!("benchmarking {} messages from {}", out.len(), dir.display());
            return out;
        }
    }
    Vec::new()
}

fn bench(c: &mut Criterion) {
    let msgs = messages();
    if msgs.is_empty() {
        eprintln!("no messages found; nothing to benchmark");
        return;
    }
    let extractor = Extractor::new();
    let mut by_size: Vec<&(String, Vec<u8>)> = msgs.iter().collect();
    by_size.sort_by_key(|(_, b)| b.len());
    let (median_name, median) = by_size[by_size.len() / 2];
    eprintln!("median message: {median_name} ({} bytes)", median.len());

    let mut g = c.benchmark_group("median message");
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("exitdesk extract", |b| b.iter(|| extractor.extract(black_box(median), "bench")));
    g.bench_function("mail-parser parse (peer)", |b| {
        b.iter(|| mail_parser::MessageParser::default().parse(black_box(median.as_slice())).map(|m| m.parts.len()))
    });
    g.finish();

    let total: usize = msgs.iter().map(|(_, b)| b.len()).sum();
    let mut g = c.benchmark_group("whole corpus");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.measurement_time(Duration::from_secs(8));
    g.bench_function(format!("exitdesk extract ({} msgs, {total} bytes)", msgs.len()), |b| {
        b.iter(|| msgs.iter().map(|(_, m)| extractor.extract(black_box(m), "bench").events.len()).sum::<usize>())
    });
    g.bench_function("mail-parser parse (peer)", |b| {
        b.iter(|| {
            msgs.iter()
                .map(|(_, m)| {
                    mail_parser::MessageParser::default().parse(black_box(m.as_slice())).map_or(0, |x| x.parts.len())
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
