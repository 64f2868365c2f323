//! `tornet import|sync|verify|exits|status`.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exitdesk_app::{Desk, ImportReport, Progress, TornetConfig, load_index, save_index};
use exitdesk_model::VerdictKind;
use exitdesk_tornet::time::format_hour;
use exitdesk_tornet::{BlockFormat, Query, RelayIndex, Verification, render_blocklist};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::TornetAction;
use crate::out::{emit, fail};

pub(crate) fn tornet(desk: &Desk, data_dir: &Path, action: TornetAction) -> ExitCode {
    let mut ix = match load_index(data_dir) {
        Ok(ix) => ix,
        Err(e) => return fail(e),
    };
    match action {
        TornetAction::Import { paths } => import(&mut ix, data_dir, &paths),
        TornetAction::Sync { collector_url, onionoo_url, no_onionoo } => {
            let mut cfg = desk.config.tornet.clone();
            if let Some(u) = collector_url {
                cfg.collector_url = u;
            }
            if let Some(u) = onionoo_url {
                cfg.onionoo_url = u;
            }
            sync(&mut ix, data_dir, &cfg, !no_onionoo)
        }
        TornetAction::Verify { ip, time, dest, port, json } => {
            verify(desk, &ix, &ip, &time, dest.as_deref(), port, json)
        }
        TornetAction::Exits { to, format } => exits(&ix, &to, &format),
        TornetAction::Status { json } => status(desk, &ix, data_dir, json),
    }
}

fn bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {percent:>3}% {msg} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn report_import(r: &ImportReport, what: &str) {
    eprintln!(
        "exitdesk: {what}: {} documents read, {} new, {} already known{}{}",
        r.documents,
        r.new,
        r.known,
        if r.ignored > 0 { format!(", {} files that are not Tor documents skipped", r.ignored) } else { String::new() },
        if r.too_large > 0 {
            format!(", {} documents over the {} MiB limit skipped", r.too_large, exitdesk_app::MAX_DOCUMENT >> 20)
        } else {
            String::new()
        }
    );
    if r.entry_errors > 0 {
        eprintln!("exitdesk: {} bad entries skipped inside documents, for example:", r.entry_errors);
        for s in &r.entry_error_samples {
            eprintln!("  {s}");
        }
    }
    for (name, why) in &r.failed {
        eprintln!("exitdesk: not imported: {name}: {why}");
    }
}

fn import(ix: &mut RelayIndex, data_dir: &Path, paths: &[PathBuf]) -> ExitCode {
    let bar = bar();
    let mut progress = |p: Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        bar.set_message(format!("{} documents", p.documents));
    };
    let r = exitdesk_app::import_paths(ix, paths, &mut progress);
    bar.finish_and_clear();
    report_import(&r, "import");
    if r.new > 0 {
        if let Err(e) = save_index(data_dir, ix) {
            return fail(e);
        }
    }
    if r.documents == 0 { ExitCode::from(if r.failed.is_empty() { 1 } else { 2 }) } else { ExitCode::SUCCESS }
}

fn sync(ix: &mut RelayIndex, data_dir: &Path, cfg: &TornetConfig, onionoo: bool) -> ExitCode {
    let bar = bar();
    let mut progress = |p: Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        bar.set_message(format!("files, {} documents", p.documents));
    };
    let result = exitdesk_app::sync(ix, data_dir, cfg, onionoo, &mut progress);
    bar.finish_and_clear();
    let r = match result {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    eprintln!(
        "exitdesk: sync: {} files listed by CollecTor, {} downloaded ({:.1} MB){}",
        r.listed,
        r.downloaded,
        r.bytes as f64 / 1e6,
        r.onionoo.as_ref().map(|t| format!("; Onionoo network of {t} UTC")).unwrap_or_default()
    );
    report_import(&r.import, "sync");
    if r.import.new > 0 {
        if let Err(e) = save_index(data_dir, ix) {
            return fail(e);
        }
    }
    if r.import.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) }
}

/// A time as the operator writes it: instant (with zone), wall clock
/// (no zone: every zone) or a date (the whole UTC day).
pub(crate) fn parse_time(s: &str) -> Result<(i64, i64, bool), String> {
    let t = s.trim();
    let t = t
        .strip_suffix(" UTC")
        .or_else(|| t.strip_suffix("UTC"))
        .map(|x| format!("{}Z", x.trim()))
        .unwrap_or(t.to_string());
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok((ts.as_second(), ts.as_second(), false));
    }
    if let (false, Ok(d)) = (t.contains(':'), t.parse::<jiff::civil::Date>()) {
        let ts = jiff::tz::Offset::UTC
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .map_err(|e| e.to_string())?;
        return Ok((ts.as_second(), ts.as_second() + 86_399, false));
    }
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        let ts = jiff::tz::Offset::UTC.to_timestamp(dt).map_err(|e| e.to_string())?;
        let l = ts.as_second();
        return Ok((l - exitdesk_tornet::ZONE_EAST, l + exitdesk_tornet::ZONE_WEST, true));
    }
    Err(format!(
        "cannot read the time {s:?}; write 2026-11-20T10:30:00Z, 2026-11-20 10:30:00+01:00, 2026-11-20 10:30 (zone unknown) or 2026-11-20"
    ))
}

fn parse_ip(s: &str, what: &str) -> Result<IpAddr, String> {
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("{what} {s:?} is not an IP address"))
}

fn verify(
    desk: &Desk,
    ix: &RelayIndex,
    ip: &str,
    time: &str,
    dest: Option<&str>,
    port: Option<u16>,
    json: bool,
) -> ExitCode {
    let ip = match parse_ip(ip, "address") {
        Ok(i) => i,
        Err(e) => return fail(e),
    };
    let (from, to, zone_unknown) = match parse_time(time) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let dest = match dest.map(|d| parse_ip(d, "--dest")).transpose() {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let ours = match desk.config.tornet.ours() {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let v = ix.verify(&Query { ip, from, to, zone_unknown, dest, port }, &ours);
    let text = if json {
        match serde_json::to_string(&v) {
            Ok(s) => s + "\n",
            Err(e) => return fail(e),
        }
    } else {
        readable(&v)
    };
    let code = emit(&text);
    if code != ExitCode::SUCCESS {
        return code;
    }
    match v.verdict {
        VerdictKind::NotRelay | VerdictKind::NoData => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// The verification for people.
pub(crate) fn readable(v: &Verification) -> String {
    let mut s = String::new();
    let when = if v.from == v.to { format!("{} UTC", v.from) } else { format!("{} to {} UTC", v.from, v.to) };
    let target = match (v.dest, v.port) {
        (Some(d), Some(p)) => format!(", to {d} port {p}"),
        (Some(d), None) => format!(", to {d}"),
        (None, Some(p)) => format!(", port {p}"),
        (None, None) => String::new(),
    };
    let _ = writeln!(s, "{} at {when}{target}", v.ip);
    let _ = writeln!(s, "verdict: {}{}", v.verdict.as_str(), if v.ours { " (one of ours)" } else { "" });
    let _ = writeln!(s, "  {}", v.summary);
    for r in &v.relays {
        let _ = writeln!(s, "  relay {} {} at {}", r.nickname, r.fingerprint, r.address);
        let _ = writeln!(s, "    flags: {}", r.flags);
        let _ = writeln!(s, "    listed: {} UTC ({} consensus hours)", r.hours.join(", "), r.hours_listed);
        let decision = match r.allows {
            Some(true) => " -> allowed",
            Some(false) => " -> rejected",
            None => "",
        };
        let _ = writeln!(
            s,
            "    policy ({}): {}{decision}",
            r.policy_source.as_str(),
            r.policy.as_deref().unwrap_or("unknown")
        );
        if r.ours {
            let _ = writeln!(s, "    one of ours");
        }
    }
    for e in &v.exit_list {
        let _ = writeln!(
            s,
            "  exit list: exit {} {} left from this address (scans {} to {} UTC)",
            e.nickname.as_deref().unwrap_or("(not in the checked consensuses)"),
            e.fingerprint,
            e.scanned.0,
            e.scanned.1
        );
    }
    if !v.nearby.is_empty() {
        let _ = writeln!(s, "  relays nearby (same /24 or /48):");
        for n in &v.nearby {
            let _ = writeln!(s, "    {} {} {}", n.address, n.nickname, n.fingerprint);
        }
    }
    let _ = writeln!(s, "  ExoneraTor view ({} ±1 day):", v.day.date);
    if !v.day.relevant_statuses {
        let _ = writeln!(s, "    no consensus of those days imported");
    } else if v.day.matches.is_empty() {
        let _ = writeln!(s, "    not a relay on those days");
    }
    for m in &v.day.matches {
        let _ = writeln!(
            s,
            "    {} {} listed {} to {} UTC, exit: {}{}",
            m.nickname,
            m.fingerprint,
            m.first,
            m.last,
            if m.exit { "yes" } else { "no" },
            if m.exit_list { " (exit list)" } else { "" }
        );
    }
    for n in &v.notes {
        let _ = writeln!(s, "  note: {n}");
    }
    let _ = writeln!(s, "  for the complainant: {}", v.exonerator);
    s
}

fn exits(ix: &RelayIndex, to: &str, format: &str) -> ExitCode {
    let Ok(sa) = to.parse::<SocketAddr>() else {
        return fail(format!("--to {to:?}: write IP:PORT, for example 192.0.2.10:443 or [2001:db8::1]:443"));
    };
    let (as_of, list) = ix.exits_to(sa.ip(), sa.port());
    let Some(as_of) = as_of else {
        return fail("no consensus imported: run `exitdesk tornet sync` or `exitdesk tornet import` first");
    };
    let Some(f) = BlockFormat::from_name(format) else {
        return fail(format!("--format {format:?} is not a blocking-list format"));
    };
    eprintln!("exitdesk: {} exit addresses could reach {to} in the network of {as_of} UTC", list.len());
    emit(&render_blocklist(&list, f, sa.ip(), sa.port(), &as_of))
}

fn status(desk: &Desk, ix: &RelayIndex, data_dir: &Path, json: bool) -> ExitCode {
    let ours = match desk.config.tornet.ours() {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let (first, last, hours) = ix.coverage();
    let [relays, keys, runs, descriptors, sightings, exit_lists] = ix.stats();
    let facts = ix.network_facts(&ours);
    let file = data_dir.join(exitdesk_app::INDEX_FILE);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    if json {
        let v = serde_json::json!({
            "index": file.display().to_string(),
            "bytes": size,
            "first_hour": first.map(format_hour),
            "last_hour": last.map(format_hour),
            "consensus_hours": hours,
            "relays": relays, "addresses": keys, "runs": runs, "descriptor_changes": descriptors,
            "exit_list_sightings": sightings, "exit_lists": exit_lists,
            "network": facts,
        });
        return emit(&format!("{v}\n"));
    }
    let mut s = String::new();
    let _ = writeln!(s, "index: {} ({:.1} MB)", file.display(), size as f64 / 1e6);
    match (first, last) {
        (Some(a), Some(b)) => {
            let _ = writeln!(s, "consensus hours: {hours}, from {} to {} UTC", format_hour(a), format_hour(b));
        }
        _ => {
            let _ = writeln!(s, "no consensus imported yet: run `exitdesk tornet sync` or `exitdesk tornet import`");
        }
    }
    let _ = writeln!(
        s,
        "relays seen: {relays} ({keys} addresses, {runs} intervals); descriptor policy changes: {descriptors}; exit lists: {exit_lists} ({sightings} sightings)"
    );
    if let Some(f) = facts {
        let _ = writeln!(
            s,
            "newest network ({} UTC): {} relays, {} exits by policy ({} with the Exit flag)",
            f.as_of, f.relays, f.exits, f.exit_flag
        );
        let bw = f.our_bandwidth.map(exitdesk_app::format_bandwidth).unwrap_or_else(|| "unknown".into());
        let _ = writeln!(s, "ours: {} listed, {} exits, advertised bandwidth {bw}", f.ours, f.our_exits);
    }
    if ours.fingerprints.is_empty() && ours.addresses.is_empty() {
        let _ = writeln!(s, "our relays are not configured: set [tornet] our_fingerprints or data_directories");
    }
    emit(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("2020-12-05T18:30:00Z"), Ok((1_607_193_000, 1_607_193_000, false)));
        assert_eq!(parse_time("2020-12-05 18:30:00 UTC"), Ok((1_607_193_000, 1_607_193_000, false)));
        assert_eq!(parse_time("2020-12-05 19:30:00+01:00"), Ok((1_607_193_000, 1_607_193_000, false)));
        let (a, b, unknown) = parse_time("2020-12-05 18:30").unwrap_or((0, 0, false));
        assert!(unknown && a == 1_607_193_000 - 14 * 3600 && b == 1_607_193_000 + 12 * 3600);
        assert_eq!(parse_time("2020-12-05").map(|t| t.1 - t.0), Ok(86_399));
        assert!(parse_time("yesterday").is_err());
    }
}
