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

fn exitdesk_env(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exitdesk"))
        .args(args)
        .current_dir(workspace())
        .env("EXITDESK_NOW", "2026-11-25T10:00:00Z")
        .env_remove("EXITDESK_CONFIG")
        .env("HOME", std::env::temp_dir())
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exitdesk-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn extract_json_carries_the_scenario() {
    let out = exitdesk(&["extract", "--json", "examples/05-acns-dmca.eml"]);
    let items = json_lines(&out);
    assert_eq!(items[0]["scenario"], "copyright");
    assert!(items[0]["confidence"].as_f64().unwrap() > 0.5);
    assert!(items[0].get("subkind").is_some());
}

#[test]
fn classify_explains_itself() {
    let out = exitdesk(&["classify", "examples/01-fail2ban-ssh.eml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("scenario:   ssh_bruteforce"), "{text}");
    assert!(text.contains("log.sshd"), "{text}");
    let out = exitdesk(&["classify", "--json", "examples/06-xarf4-web-bruteforce.eml"]);
    let items = json_lines(&out);
    assert_eq!(items[0]["scenario"], "web_bruteforce");
    assert!(!items[0]["signals"].as_array().unwrap().is_empty());
}

#[test]
fn draft_prints_a_reply_and_writes_an_eml() {
    let out = exitdesk_env(&["--config", "examples/exitdesk.toml", "draft", "examples/02-hoster-netscan-forward.eml"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("From: Alex Example <abuse@exit.example.org>\n"), "{text}");
    assert!(text.contains("\nSubject: Re: "), "{text}");
    assert!(text.contains("Auto-Submitted: no"));
    assert!(text.contains("Date: Wed, 25 Nov 2026 10:00:00 +0000"), "{text}");

    let dir = temp("draft");
    let path = dir.join("reply.eml");
    let out = exitdesk_env(&[
        "--config",
        "examples/exitdesk.toml",
        "draft",
        "examples/01-fail2ban-ssh.eml",
        "--intro",
        "short",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let eml = std::fs::read_to_string(&path).unwrap();
    assert!(eml.contains("\r\nIn-Reply-To: <"), "{eml}");
    assert!(eml.contains("Date: Wed, 25 Nov 2026 10:00:00 +0000"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn draft_without_config_warns_about_placeholders() {
    let out = exitdesk_env(&["draft", "examples/01-fail2ban-ssh.eml", "--eml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("operator is not configured"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MIME-Version: 1.0"));
}

#[test]
fn no_reply_needed_prints_a_note() {
    let dir = temp("noreply");
    let f = dir.join("info.eml");
    std::fs::write(
        &f,
        "From: Hoster Abuse <abuse@hoster.example>\nTo: customer@example.org\nSubject: AbuseInfo: port scan from 198.51.100.7\nDate: Tue, 24 Nov 2026 10:00:00 +0000\nMessage-ID: <x1@hoster.example>\n\nThis is an informational notice; no reply is required.\nPort scan from 198.51.100.7 at 2026-11-24 09:00:00 UTC.\n",
    )
    .unwrap();
    let out = exitdesk_env(&["draft", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--force"));
    let out = exitdesk_env(&["draft", f.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn templates_list_show_export() {
    let out = exitdesk_env(&["templates", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("scenario/ssh_bruteforce.j2") && text.contains("intro/full.j2"), "{text}");
    let out = exitdesk_env(&["templates", "show", "intro/short"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.is_empty());
    let out = exitdesk_env(&["templates", "show", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    let dir = temp("export");
    let out = exitdesk_env(&["templates", "export", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("scenario/copyright.j2").is_file());

    // An override is used, and an unknown file name is refused.
    std::fs::write(dir.join("signature.j2"), "-- \nOverridden signature for {{ operator.name }}\n").unwrap();
    let cfg = dir.join("exitdesk.toml");
    std::fs::write(&cfg, format!("[templates]\ndir = {:?}\n", dir.to_str().unwrap())).unwrap();
    let out = exitdesk_env(&["--config", cfg.to_str().unwrap(), "draft", "examples/01-fail2ban-ssh.eml"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Overridden signature for Exit Operator"));
    let out = exitdesk_env(&["--config", cfg.to_str().unwrap(), "templates", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("signature.j2  (overridden)"));
    std::fs::write(dir.join("signatur.j2"), "typo").unwrap();
    let out = exitdesk_env(&["--config", cfg.to_str().unwrap(), "draft", "examples/01-fail2ban-ssh.eml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown template name(s): signatur"));
}

#[test]
fn a_broken_template_is_a_clear_error() {
    let dir = temp("broken");
    std::fs::write(dir.join("greeting.j2"), "Hello {{ reporter.nmae }},\n").unwrap();
    let cfg = dir.join("exitdesk.toml");
    std::fs::write(&cfg, format!("[templates]\ndir = {:?}\n", dir.to_str().unwrap())).unwrap();
    let out = exitdesk_env(&["--config", cfg.to_str().unwrap(), "draft", "examples/01-fail2ban-ssh.eml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("greeting.j2") && err.contains("undefined") && err.contains("reporter.nmae"), "{err}");
    let out = exitdesk_env(&["--config", cfg.to_str().unwrap(), "templates", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("greeting.j2"));
    let out = exitdesk_env(&["templates", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn playbook_threats_and_call_notes() {
    let out = exitdesk_env(&["playbook", "threats"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("within 7 days"), "{text}");
    let out = exitdesk_env(&["playbook", "threats", "--notes", "--complaint", "examples/11-harassment-threat.eml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("2026-11-25"));
}

#[test]
fn a_bad_config_is_a_clear_error() {
    let dir = temp("badcfg");
    let cfg = dir.join("exitdesk.toml");
    std::fs::write(&cfg, "[operator]\nname = \"x\"\nemail = \"a@b.example\"\nphone = 1\n").unwrap();
    let out = exitdesk_env(&["--config", cfg.to_str().unwrap(), "draft", "examples/01-fail2ban-ssh.eml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("phone"));
}
