//! The command line, run as a user runs it.

#![allow(clippy::unwrap_used, missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn exitdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exitdesk"))
        .args(args)
        .current_dir(workspace())
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn extract_json_over_the_examples_folder() {
    let out = exitdesk(&["extract", "--json", "examples"]);
    let items = json_lines(&out);
    assert_eq!(items.len(), 14, "11 files and 3 mbox messages");
    for key in exitdesk_model::Complaint::CONTRACT_KEYS {
        assert!(items.iter().all(|i| i.get(key).is_some()), "missing {key}");
    }
    let sources: Vec<&str> = items.iter().map(|i| i["source"].as_str().unwrap()).collect();
    assert!(sources.contains(&"examples/mailbox.mbox#1") && sources.contains(&"examples/mailbox.mbox#3"));
    // Every shipped example reads cleanly.
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_message_with_problems_is_exit_1() {
    let dir = std::env::temp_dir().join(format!("exitdesk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("vague.eml");
    std::fs::write(&f, "From: a@example.org\nSubject: spam\n\nYou sent us spam yesterday.\n").unwrap();
    let out = exitdesk(&["extract", "--json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let items = json_lines(&out);
    assert!(items[0]["problems"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("no offending IP")));
}

#[test]
fn readable_summary_by_default() {
    let out = exitdesk(&["extract", "examples/01-fail2ban-ssh.eml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("reported:   203.0.113.45"), "{text}");
    assert!(text.contains("2025-10-14T07:11:02Z"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exitdesk"))
        .args(["extract", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"From: a@example.org\nSubject: scan from 192.0.2.44\n\nPort scan from 192.0.2.44 at 2024-02-03 04:05:06 UTC.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let items = json_lines(&out);
    assert_eq!(items[0]["source"], "-");
    assert_eq!(items[0]["reported_ips"][0], "192.0.2.44");
    assert_eq!(items[0]["events"][0]["time_utc"], "2024-02-03T04:05:06Z");
}

#[test]
fn unreadable_path_is_exit_2_and_the_rest_goes_on() {
    let out = exitdesk(&["extract", "--json", "no-such-file.eml", "examples/05-acns-dmca.eml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json_lines(&out).len(), 1);
    assert!(String::from_utf8(out.stderr).unwrap().contains("no-such-file.eml"));
}

#[test]
fn usage_error_is_exit_2() {
    assert_eq!(exitdesk(&["extract"]).status.code(), Some(2));
    assert_eq!(exitdesk(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn eval_on_the_examples() {
    let out = exitdesk(&["eval", "--corpus", "examples"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("reported_ips") && text.contains("11/11"), "{text}");
    let out = exitdesk(&["eval", "--corpus", "examples", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["messages"], 11);
}
