//! `exitdesk tornet …` and drafts with network data, run as a user runs
//! them: on the synthetic data in `tor-examples`, on the real samples in
//! `../shared/testdata/tor` (skipped with a note when absent), and `sync`
//! against a real HTTP server on 127.0.0.1 serving the samples in
//! CollecTor's layout.

#![allow(clippy::unwrap_used, clippy::print_stderr, missing_docs)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("exitdesk-tornet-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn exitdesk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exitdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .current_dir(workspace())
        .env("EXITDESK_NOW", "2025-10-14T12:00:00Z")
        .env_remove("EXITDESK_CONFIG")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tor_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EXITDESK_TOR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/testdata/tor"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no Tor sample data at {} (set EXITDESK_TOR_TESTDATA)", dir.display());
        None
    }
}

#[test]
fn examples_import_verify_and_draft_with_evidence() {
    let data = temp("examples");
    let o = exitdesk(&data, &["tornet", "import", "tor-examples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 documents read, 3 new"), "{}", stderr(&o));
    let again = exitdesk(&data, &["tornet", "import", "tor-examples"]);
    assert!(stderr(&again).contains("0 new, 3 already known"), "{}", stderr(&again));
    let v = exitdesk(
        &data,
        &[
            "--config",
            "examples/exitdesk.toml",
            "tornet",
            "verify",
            "203.0.113.45",
            "2025-10-14T07:11:02Z",
            "--port",
            "22",
            "--json",
        ],
    );
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    let j: serde_json::Value = serde_json::from_str(stdout(&v).trim()).unwrap();
    assert_eq!(j["verdict"], "exit");
    assert_eq!(j["ours"], true);
    assert_eq!(j["relays"][0]["nickname"], "ExampleExit1");
    assert_eq!(j["relays"][0]["policy_source"], "summary");
    for key in ["fingerprint", "address", "flags", "hours", "hours_listed"] {
        assert!(j["relays"][0].get(key).is_some(), "{key}");
    }
    let v = exitdesk(&data, &["tornet", "verify", "203.0.113.45", "2025-10-14 07:11:02Z", "--port", "25", "--json"]);
    assert!(stdout(&v).contains("\"verdict\":\"policy_rejects\""), "{}", stdout(&v));
    let v = exitdesk(&data, &["tornet", "verify", "198.51.100.7", "2025-10-14 07:30", "--json"]);
    assert!(stdout(&v).contains("\"verdict\":\"relay_not_exit\"") && stdout(&v).contains("\"zone_unknown\":true"));
    let v = exitdesk(&data, &["tornet", "verify", "203.0.113.99", "2025-10-14T07:30:00Z"]);
    assert_eq!(v.status.code(), Some(1));
    assert!(stdout(&v).contains("verdict: not_relay") && stdout(&v).contains("203.0.113.45"), "{}", stdout(&v));
    let v = exitdesk(&data, &["tornet", "verify", "203.0.113.45", "2024-01-01T00:00:00Z"]);
    assert!(stdout(&v).contains("verdict: no_data") && stdout(&v).contains("consensuses-2024-01.tar.xz"));
    let e = exitdesk(&data, &["tornet", "exits", "--to", "192.0.2.80:443", "--format", "csv"]);
    let csv = stdout(&e);
    assert!(
        csv.contains("203.0.113.45,EEEE") && csv.contains("203.0.113.60,") && csv.contains("2001:db8:45::1"),
        "{csv}"
    );
    let e = exitdesk(&data, &["tornet", "exits", "--to", "192.0.2.80:22", "--format", "iptables"]);
    assert!(stdout(&e).contains("iptables -A INPUT -s 203.0.113.45 -p tcp --dport 22 -j DROP"));
    assert!(!stdout(&e).contains("203.0.113.60"));
    let d = exitdesk(&data, &["--config", "examples/exitdesk.toml", "draft", "examples/01-fail2ban-ssh.eml"]);
    // The letter is wrapped: compare with its line breaks as spaces.
    let text = stdout(&d).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("ExampleExit1 (fingerprint EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE01)"), "{text}");
    assert!(text.contains("consensus of 2025-10-14 07:00 UTC"), "{text}");
    let s = exitdesk(&data, &["--config", "examples/exitdesk.toml", "tornet", "status"]);
    assert!(stdout(&s).contains("3 relays") && stdout(&s).contains("ours: 1 listed, 1 exits"), "{}", stdout(&s));
}

#[test]
fn a_draft_attaches_the_exits_that_reach_the_service() {
    let data = temp("attach");
    exitdesk(&data, &["tornet", "import", "tor-examples"]);
    let mail = data.join("scan.eml");
    std::fs::write(
        &mail,
        "From: NOC <noc@victim.example.net>\r\nTo: abuse@exit.example.org\r\nSubject: SSH brute force from 203.0.113.45\r\n\
         Message-ID: <scan-1@victim.example.net>\r\nDate: Tue, 14 Oct 2025 07:40:00 +0000\r\n\r\n\
         Our server 192.0.2.80 saw SSH brute force from 203.0.113.45:\r\n\r\n\
         2025-10-14 07:31:02 UTC 203.0.113.45:51234 -> 192.0.2.80:22 sshd: Failed password for root\r\n\
         2025-10-14 07:31:09 UTC 203.0.113.45:51240 -> 192.0.2.80:22 sshd: Failed password for root\r\n",
    )
    .unwrap();
    let out = data.join("reply.eml");
    let d = exitdesk(&data, &["draft", mail.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(d.status.code(), Some(0), "{}", stderr(&d));
    let eml = std::fs::read_to_string(&out).unwrap();
    assert!(eml.contains("tor-exits-to-192.0.2.80-port-22.txt"), "{eml}");
    assert!(eml.contains("multipart/mixed"), "{eml}");
}

#[test]
fn real_samples_import_with_progress_and_bad_members_reported() {
    let Some(tor) = tor_dir() else { return };
    let data = temp("real");
    let bad = data.join("broken");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("garbage-consensus"), "network-status-version 3\nvalid-after nonsense\n").unwrap();
    let o = exitdesk(
        &data,
        &[
            "tornet",
            "import",
            tor.join("consensus/2022-11-19-10-00-00-consensus").to_str().unwrap(),
            tor.join("collector-samples").to_str().unwrap(),
            bad.join("garbage-consensus").to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert!(err.contains("not imported:") && err.contains("garbage-consensus"), "{err}");
    assert!(err.contains("new"), "{err}");
    let v = exitdesk(&data, &["tornet", "verify", "178.218.144.18", "2022-11-19 10:20:00Z", "--port", "443", "--json"]);
    let j: serde_json::Value = serde_json::from_str(stdout(&v).trim()).unwrap();
    assert_eq!(j["verdict"], "exit", "{j}");
    assert_eq!(j["relays"][0]["nickname"], "titamon3");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `python3 -m http.server` on 127.0.0.1, port chosen by the OS.
fn http_server(root: &Path) -> Option<(Server, u16)> {
    let mut child = Command::new("python3")
        .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take()?).read_line(&mut line).ok()?;
    // "Serving HTTP on 127.0.0.1 port 40215 (http://127.0.0.1:40215/) ..."
    let port = line.split(" port ").nth(1)?.split_whitespace().next()?.parse().ok()?;
    Some((Server(child), port))
}

#[test]
fn sync_from_a_local_collector_and_onionoo() {
    let Some(tor) = tor_dir() else { return };
    let root = temp("collector");
    let files = [
        (
            "recent/relay-descriptors/consensuses/2020-12-05-18-00-00-consensus",
            "consensus/2020-12-05-18-00-00-consensus",
        ),
        (
            "recent/relay-descriptors/server-descriptors/2020-12-05-19-05-00-server-descriptors",
            "server-descriptors/2020-12-05-cached-descriptors",
        ),
        ("recent/exit-lists/2018-11-01-00-02-01", "exit-lists/2018-11-01-00-02-01"),
    ];
    let mut dirs: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (dst, src) in files {
        let path = root.join(dst);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(tor.join(src), &path).unwrap();
        let (dir, name) = dst.rsplit_once('/').unwrap();
        dirs.entry(dir.to_string()).or_default().push(format!("{{\"path\":\"{name}\",\"size\":1}}"));
    }
    // CollecTor's index.json nests directories by path segment.
    let index = format!(
        "{{\"index_created\":\"2020-12-05 20:00\",\"path\":\"http://x\",\"directories\":[{{\"path\":\"recent\",\"directories\":[\
         {{\"path\":\"relay-descriptors\",\"directories\":[{{\"path\":\"consensuses\",\"files\":[{}]}},{{\"path\":\"server-descriptors\",\"files\":[{}]}}]}},\
         {{\"path\":\"exit-lists\",\"files\":[{}]}}]}}]}}",
        dirs["recent/relay-descriptors/consensuses"].join(","),
        dirs["recent/relay-descriptors/server-descriptors"].join(","),
        dirs["recent/exit-lists"].join(",")
    );
    std::fs::create_dir_all(root.join("index")).unwrap();
    std::fs::write(root.join("index/index.json"), index).unwrap();
    std::fs::copy(tor.join("onionoo/2026-03-15-02-00-00-details-running-relays.json"), root.join("details")).unwrap();
    let Some((_server, port)) = http_server(&root) else {
        eprintln!("skipped: python3 -m http.server could not start");
        return;
    };
    let base = format!("http://127.0.0.1:{port}");
    let data = temp("sync-data");
    let o = exitdesk(&data, &["tornet", "sync", "--collector-url", &base, "--onionoo-url", &base]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("3 files listed by CollecTor, 3 downloaded"), "{err}");
    assert!(err.contains("Onionoo network of 2026-03-15 02:00:00 UTC"), "{err}");
    let again = exitdesk(&data, &["tornet", "sync", "--collector-url", &base, "--onionoo-url", &base]);
    assert!(stderr(&again).contains("0 downloaded"), "{}", stderr(&again));
    let v =
        exitdesk(&data, &["tornet", "verify", "185.220.101.150", "2020-12-05T18:30:00Z", "--port", "443", "--json"]);
    assert!(stdout(&v).contains("\"verdict\":\"exit\""), "{}", stdout(&v));
    // The Onionoo snapshot is the newest network: its first relay is there.
    let v = exitdesk(&data, &["tornet", "verify", "152.53.144.50", "2026-03-15T02:30:00Z", "--json"]);
    assert!(!stdout(&v).contains("\"verdict\":\"no_data\"") && !stdout(&v).contains("not_relay"), "{}", stdout(&v));
}

/// `size` bytes: `head`, then `line` over and over (generated as read,
/// never held in memory).
struct Filler {
    head: &'static [u8],
    line: &'static [u8],
    at: u64,
    size: u64,
}

impl std::io::Read for Filler {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min((self.size - self.at) as usize);
        let mut i = 0;
        while i < n {
            let at = self.at as usize + i;
            let from = match at.checked_sub(self.head.len()) {
                None => &self.head[at..],
                Some(off) => &self.line[off % self.line.len()..],
            };
            let k = from.len().min(n - i);
            buf[i..i + k].copy_from_slice(&from[..k]);
            i += k;
        }
        self.at += n as u64;
        Ok(n)
    }
}

/// `line` repeated to 4 KiB (whole lines), for `Filler`.
fn lines(line: &str) -> &'static [u8] {
    Box::leak(line.repeat(4096 / line.len()).into_bytes().into_boxed_slice())
}

const MIB: u64 = 1 << 20;
/// The import's limit for one document (`exitdesk_app::MAX_DOCUMENT`).
const LIMIT: u64 = 256 * MIB;
/// A consensus header: a member the parser reads line by line.
const CONSENSUS_HEAD: &[u8] = b"network-status-version 3\nvote-status consensus\nvalid-after 2025-10-14 09:00:00\nfresh-until 2025-10-14 10:00:00\nvalid-until 2025-10-14 12:00:00\n";

/// Writes a `.tar.xz` of `members` (name, head, line, size), streamed.
fn tar_xz(path: &Path, members: &[(&str, &'static [u8], &'static [u8], u64)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut tar = tar::Builder::new(liblzma::write::XzEncoder::new(std::io::BufWriter::new(file), 0));
    for &(name, head, line, size) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, Filler { head, line, at: 0, size }).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

/// Runs `exitdesk` with its address space limited to `limit_mib` MiB.
fn exitdesk_limited(data: &Path, limit_mib: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; d=$1; shift; exec \"$0\" --data-dir \"$d\" \"$@\"", limit_mib * 1024))
        .arg(env!("CARGO_BIN_EXE_exitdesk"))
        .arg(data)
        .args(args)
        .current_dir(workspace())
        .env("EXITDESK_NOW", "2025-10-14T12:00:00Z")
        .env_remove("EXITDESK_CONFIG")
        // glibc reserves 64 MiB of address space per thread arena: keep
        // them few, so that the limit measures data, not reservations.
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .unwrap()
}

/// Issue 15: an archive of large members (read while the parsers are busy
/// with slow ones) is imported in memory bounded by the in-flight budget,
/// whatever the number of members and cores; a member over the limit is
/// skipped with its name and size, and the rest of the archive goes on.
#[test]
fn a_tar_xz_of_large_members_imports_in_bounded_memory() {
    let data = temp("large-members");
    let archive = data.join("hostile.tar.xz");
    let mut members: Vec<(String, &'static [u8], &'static [u8], u64)> = Vec::new();
    // Slow to parse (line by line), so that the reader runs ahead of the
    // parsers: one per parser thread on most machines.
    for i in 0..8 {
        members.push((format!("slow/{i}-consensus"), CONSENSUS_HEAD, lines("x y\n"), 3 * MIB));
    }
    // Large members, not Tor documents: 1.6 GiB in all.
    for i in 0..8 {
        members.push((format!("large/{i}"), b"", lines("x\n"), 200 * MIB));
    }
    members.push(("big/too-large-consensus".to_string(), CONSENSUS_HEAD, lines("x\n"), LIMIT + 1));
    let consensus = std::fs::read(workspace().join("tor-examples/2025-10-14-07-00-00-consensus")).unwrap();
    let consensus: &'static [u8] = Box::leak(consensus.into_boxed_slice());
    members.push(("small/2025-10-14-07-00-00-consensus".to_string(), consensus, b"\n", consensus.len() as u64));
    let list: Vec<(&str, &'static [u8], &'static [u8], u64)> =
        members.iter().map(|(n, h, l, s)| (n.as_str(), *h, *l, *s)).collect();
    tar_xz(&archive, &list);
    // The bound: the in-flight budget (two documents at the limit, 512 MiB)
    // and what the process needs anyway (it passes at 700 MiB here).
    // Without the budget the reader ran ahead: 5 large members in memory
    // at once on 2 cores (1.05 GB resident), more with more parsers.
    let o = exitdesk_limited(&data, 1000, &["tornet", "import", archive.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("1 documents over the 256 MiB limit skipped"), "{err}");
    assert!(
        err.contains(&format!(
            "not imported: {}#big/too-large-consensus: {} bytes, over the 256 MiB limit",
            archive.display(),
            LIMIT + 1
        )),
        "{err}"
    );
    assert!(err.contains("8 files that are not Tor documents skipped"), "{err}");
    // The member after the large ones was imported.
    let v = exitdesk(
        &data,
        &["--config", "examples/exitdesk.toml", "tornet", "verify", "203.0.113.45", "2025-10-14T07:11:02Z", "--json"],
    );
    let j: serde_json::Value = serde_json::from_str(stdout(&v).trim()).unwrap();
    assert_eq!(j["verdict"], "exit", "{j}");
    std::fs::remove_file(&archive).unwrap();
}

/// A single document over the limit, compressed or not, alone or in a
/// folder, is skipped with a clear message (never cut); the rest goes on.
#[test]
fn single_files_over_the_limit_are_skipped_and_said() {
    let data = temp("large-files");
    let folder = data.join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    // A plain file over the limit (sparse: nothing is written).
    let plain = folder.join("2025-10-14-09-00-00-consensus");
    std::fs::File::create(&plain).unwrap().set_len(LIMIT + 1).unwrap();
    std::fs::copy(workspace().join("tor-examples/2025-10-14-07-00-00-consensus"), folder.join("ok-consensus")).unwrap();
    // A small `.xz` that decompresses to more than the limit.
    let xz = data.join("2025-10-14-10-00-00-consensus.xz");
    let mut enc = liblzma::write::XzEncoder::new(std::fs::File::create(&xz).unwrap(), 0);
    std::io::copy(&mut Filler { head: CONSENSUS_HEAD, line: lines("x\n"), at: 0, size: LIMIT + 4096 }, &mut enc)
        .unwrap();
    enc.finish().unwrap();
    let o = exitdesk_limited(&data, 1000, &["tornet", "import", folder.to_str().unwrap(), xz.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("1 documents read, 1 new"), "{err}");
    assert!(err.contains("2 documents over the 256 MiB limit skipped"), "{err}");
    assert!(
        err.contains(&format!("not imported: {}: {} bytes, over the 256 MiB limit", plain.display(), LIMIT + 1)),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "not imported: {}: more than {LIMIT} bytes once decompressed, over the 256 MiB limit",
            xz.display()
        )),
        "{err}"
    );
    std::fs::remove_file(&xz).unwrap();
}
