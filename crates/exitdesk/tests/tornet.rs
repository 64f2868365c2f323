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
    let text = stdout(&d);
    assert!(text.contains("ExampleExit1 (fingerprint EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE01)"), "{text}");
    assert!(
        text.contains("consensus of\n2025-10-14 07:00 UTC") || text.contains("consensus of 2025-10-14 07:00 UTC"),
        "{text}"
    );
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
