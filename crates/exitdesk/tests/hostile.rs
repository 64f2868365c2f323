//! Hostile message shapes under a memory limit: `exitdesk extract --json`
//! runs on each in a child process whose address space is capped with
//! `ulimit -v`. An allocation over the cap aborts the child, and the test
//! fails; so does a missing result, a panic, or a bound left unsaid.
//!
//! The shapes are those that once took gigabytes (16 MiB of empty lines:
//! 3.1 GB; 15 MiB of `x\n`: 1.7 GB; a folded subject 64 `message/rfc822`
//! levels deep: 220 MB for 160 KB) and their kin: header and part floods,
//! one huge line, HTML, a base64 attachment, a gzip bomb, text over the
//! 16 MiB bound.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// The address-space cap of the child: a base plus a multiple of the
/// message. Measured with `ulimit -v` lowered until the child failed: with no
/// input to speak of the program needs about 150 MiB of address space in a
/// debug build (135 MiB in release: code, thread stacks, allocator arenas);
/// the worst shape measured, 16 MiB of short log lines each with an address
/// and a time, needs about 370 MiB, i.e. 14 times the message over the base
/// (too slow for this test in a debug build; the base64 log below has longer
/// lines). Before the fixes, the empty-lines
/// shape took 3.1 GB resident and the nested one 365 MiB of address space
/// (now 143 MiB), so both failed under this cap.
fn limit_kib(message_len: usize) -> u64 {
    const BASE_MIB: u64 = 256;
    const PER_BYTE: u64 = 16;
    BASE_MIB * 1024 + PER_BYTE * message_len as u64 / 1024
}

const FROM: &str = "From: a@r.example\nSubject: s\n";

/// A multipart message with one text part then `rest`, base64 lines if asked.
fn multipart(rest: &str) -> Vec<u8> {
    format!(
        "{FROM}Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\
         Attack from 192.0.2.1 at 2024-01-01 10:00:00 UTC\n{rest}--b--\n"
    )
    .into_bytes()
}

/// Base64 with line breaks (76 characters), as mail carries it.
fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    b64.as_bytes().chunks(76).map(|l| std::str::from_utf8(l).unwrap()).collect::<Vec<_>>().join("\n")
}

/// Each shape: a name, the message, and words its problems must contain
/// (what the bound it hits says it skipped), if any.
fn shapes() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mib = 1024 * 1024;
    let mut nested = format!("{FROM}\nbody 192.0.2.1\n");
    let subject = format!("Subject: {}\n", vec!["word"; 400].join("\n "));
    for _ in 0..64 {
        nested = format!("From: a@r.example\n{subject}Content-Type: message/rfc822\n\n{nested}");
    }
    let gz = {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![b'\n'; mib];
        for _ in 0..64 {
            enc.write_all(&zeros).unwrap();
        }
        enc.finish().unwrap()
    };
    // 20 MiB of log lines, one in ten with an address and a time: decoded in
    // full, cut at the 16 MiB text bound.
    let log = (format!("192.0.2.1 2024-01-01 00:00:00 UTC {}\n", "x".repeat(165)) + &"y".repeat(199) + "\n")
        .repeat(20 * mib / 400);
    vec![
        ("empty lines", format!("{FROM}\n{}", "\n".repeat(16 * mib)).into_bytes(), "lines of text"),
        ("x lines", format!("{FROM}\n{}", "x\n".repeat(15 * mib / 2)).into_bytes(), "lines of text"),
        ("folded subject 64 levels deep", nested.into_bytes(), ""),
        ("many headers", format!("{FROM}{}\nbody\n", "X-H: v\n".repeat(2 * mib)).into_bytes(), "header lines"),
        ("many small parts", multipart(&"--b\n\nx\n".repeat(mib)), "MIME parts"),
        ("one huge line", format!("{FROM}\n{}\n", "x".repeat(17 * mib)).into_bytes(), "was cut at the limit"),
        ("huge html", format!("{FROM}Content-Type: text/html\n\n{}", "<p>a</p>".repeat(mib)).into_bytes(), ""),
        (
            "huge base64 log",
            multipart(&format!(
                "--b\nContent-Type: text/plain; name=log.txt\nContent-Transfer-Encoding: base64\n\n{}\n",
                base64(log.as_bytes())
            )),
            "the text of attachment \"log.txt\" was cut at the limit of 16.0 MiB",
        ),
        (
            "gzip bomb",
            multipart(&format!(
                "--b\nContent-Type: application/gzip; name=log.txt.gz\nContent-Transfer-Encoding: base64\n\n{}\n",
                base64(&gz)
            )),
            "possible gzip bomb",
        ),
    ]
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exitdesk-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn hostile_shapes_stay_under_the_memory_limit() {
    if !cfg!(target_os = "linux") {
        println!("skipped: `ulimit -v` in sh is how the limit is set, on Linux");
        return;
    }
    let dir = temp_dir();
    for (name, bytes, said) in shapes() {
        let file = dir.join("shape.eml");
        std::fs::write(&file, &bytes).unwrap();
        let start = std::time::Instant::now();
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v {}; exec \"$0\" extract --json \"$1\"", limit_kib(bytes.len())))
            .arg(env!("CARGO_BIN_EXE_exitdesk"))
            .arg(&file)
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        let took = start.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // 0: read cleanly, 1: read with problems; a signal (abort on a failed
        // allocation) or 2 (an error) fails.
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name} ({} bytes): {:?} under {} KiB of address space: {stderr}",
            bytes.len(),
            out.status,
            limit_kib(bytes.len())
        );
        let line = String::from_utf8(out.stdout).unwrap();
        let c: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        let problems: Vec<&str> = c["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert!(!problems.iter().any(|p| p.contains("internal error")), "{name}: {problems:?}");
        assert!(problems.iter().any(|p| p.contains(said)), "{name}: {said:?} not in {problems:?}");
        println!("{name}: {} bytes in {took:.1?}", bytes.len());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
