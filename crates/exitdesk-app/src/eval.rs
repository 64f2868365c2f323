//! The eval use-case: score extraction against a labelled folder.
//!
//! The folder holds `labels.json` (an array of objects in the format of the
//! shared corpus: `file`, `format`, `reported_ips`, `timestamps`, `dest_ports`,
//! `ticket_id`, `language`, other keys ignored) and the messages beside it.
//!
//! Scoring, per field: a message is *fully right* when its extracted value
//! equals the label. Sets (IPs, ports) also give precision and recall over all
//! elements. Timestamps: a labelled instant with an offset must equal some
//! event's `time_utc`; one without an offset must equal some event's
//! `time_local` whose zone is unknown (recall). An extracted incident time is
//! *consistent* (precision) when it lies within the labelled span — for an
//! unknown-zone time compared with offset labels, within the span widened by
//! the ±14 h any zone could shift it; with no labelled time, every extracted
//! time is a false positive. Fully right = recall and precision both 100 %.
//!
//! `no_reply_needed` and `kind` are scored only on messages whose label has
//! them. A *silent error* is a message whose offenders or incident times are
//! wrong while extraction flagged no problem: nothing would tell the operator
//! to look before a reply states a wrong fact. Several folders can be scored
//! as one set (`eval_corpora`).

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use exitdesk_classify::Classifier;
use exitdesk_extract::Extractor;
use exitdesk_model::{Classification, Complaint, Kind, ZoneSource, format_local, format_utc, parse_local, parse_utc};
use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::err::{AppError, Result};

/// One labelled message.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    /// File name, relative to the labels file.
    pub file: String,
    /// Expected format name.
    #[serde(default)]
    pub format: Option<String>,
    /// Expected offending addresses.
    #[serde(default)]
    pub reported_ips: Vec<String>,
    /// Expected incident times (ISO 8601, with or without offset).
    #[serde(default)]
    pub timestamps: Vec<String>,
    /// Expected destination ports.
    #[serde(default)]
    pub dest_ports: Vec<u16>,
    /// Expected ticket id (`""` or null: none).
    #[serde(default)]
    pub ticket_id: Option<String>,
    /// Expected language.
    #[serde(default)]
    pub language: Option<String>,
    /// Expected scenario id (top level; a sub-kind after `/` is ignored).
    #[serde(default)]
    pub scenario: Option<String>,
    /// Whether no reply is expected (absent: not scored).
    #[serde(default)]
    pub no_reply_needed: Option<bool>,
    /// Expected kind of answer (`traffic`, `hosted`, …; absent: not scored).
    #[serde(default)]
    pub kind: Option<String>,
}

/// Reads `labels.json` from a folder.
pub fn load_labels(dir: &Path) -> Result<Vec<Label>> {
    let path = dir.join("labels.json");
    let data = std::fs::read(&path).map_err(|source| AppError::Read { path: path.clone(), source })?;
    serde_json::from_slice(&data).map_err(|e| AppError::Labels { path, reason: e.to_string() })
}

/// The fields every label has, in report order (the per-format table shows these).
pub const FIELDS: [&str; 7] =
    ["reported_ips", "timestamps", "dest_ports", "ticket_id", "format", "language", "scenario"];

/// The fields scored only where a label has them, after [`FIELDS`].
pub const OPTIONAL_FIELDS: [&str; 2] = ["no_reply_needed", "kind"];

/// Whether the message needs no reply at all: it says none is expected, or
/// it is no complaint (an automatic answer, a closure notice, …). A
/// reminder needs one (to the ticket it recalls), though no new letter.
pub fn no_reply_needed(c: &Complaint, k: &Classification) -> bool {
    c.no_reply_needed || k.kind == Kind::NotAComplaint
}

/// The score of one field.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FieldScore {
    /// Field name.
    pub field: String,
    /// Messages scored.
    pub messages: usize,
    /// Messages fully right.
    pub right: usize,
    /// Share fully right (0..1).
    pub share: f64,
    /// Set precision over all elements (for set fields), else null.
    pub precision: Option<f64>,
    /// Set recall over all elements (for set fields), else null.
    pub recall: Option<f64>,
    #[serde(skip)]
    tp: usize,
    #[serde(skip)]
    fp: usize,
    #[serde(skip)]
    fn_: usize,
}

/// One message where a field was wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The message file.
    pub file: String,
    /// The field.
    pub field: String,
    /// The label.
    pub expected: String,
    /// What extraction gave.
    pub got: String,
}

/// Per-format scores: format name → per-field share fully right.
#[derive(Debug, Clone, Serialize)]
pub struct FormatRow {
    /// The labelled format.
    pub format: String,
    /// Messages of that format.
    pub messages: usize,
    /// Share fully right per field, in [`FIELDS`] order.
    pub shares: Vec<f64>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// The folders evaluated.
    pub corpus: Vec<PathBuf>,
    /// Messages evaluated.
    pub messages: usize,
    /// Messages whose offenders or incident times are wrong while no problem
    /// was flagged (file names).
    pub silent_errors: Vec<String>,
    /// Scores per field.
    pub fields: Vec<FieldScore>,
    /// Rows per labelled format.
    pub formats: Vec<FormatRow>,
    /// Every miss.
    pub misses: Vec<Miss>,
    /// Labelled files that could not be read.
    pub unreadable: Vec<String>,
    /// Scenario confusion matrix: rows are labels, columns what the classifier said.
    pub confusion: Vec<ConfusionRow>,
}

/// One row of the scenario confusion matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ConfusionRow {
    /// The labelled scenario.
    pub expected: String,
    /// Predicted scenario → count (only non-zero cells).
    pub predicted: std::collections::BTreeMap<String, usize>,
}

impl EvalReport {
    /// The score of a field by name.
    pub fn field(&self, name: &str) -> Option<&FieldScore> {
        self.fields.iter().find(|f| f.field == name)
    }

    /// The share of messages with a silent error (0..1).
    pub fn silent_share(&self) -> f64 {
        ratio(self.silent_errors.len(), self.messages)
    }

    /// The report as an aligned text table followed by the misses.
    pub fn render_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let dirs: Vec<String> = self.corpus.iter().map(|d| d.display().to_string()).collect();
        let _ = writeln!(s, "exitdesk eval: {} messages in {}", self.messages, dirs.join(", "));
        let _ = writeln!(s);
        let _ = writeln!(s, "{:<16} {:>8} {:>10} {:>10} {:>8}", "field", "right", "precision", "recall", "share");
        for f in &self.fields {
            if f.messages == 0 {
                let _ = writeln!(s, "{:<16} {:>8}", f.field, "(not labelled)");
                continue;
            }
            let pct = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0));
            let _ = writeln!(
                s,
                "{:<16} {:>8} {:>10} {:>10} {:>7.1}%",
                f.field,
                format!("{}/{}", f.right, f.messages),
                pct(f.precision),
                pct(f.recall),
                f.share * 100.0
            );
        }
        let _ = writeln!(
            s,
            "{:<16} {:>8} {:>10} {:>10} {:>7.1}%  (wrong offender or time, no problem flagged)",
            "silent errors",
            format!("{}/{}", self.silent_errors.len(), self.messages),
            "",
            "",
            self.silent_share() * 100.0
        );
        let _ = writeln!(s);
        let _ = write!(s, "{:<16} {:>5}", "by format", "n");
        for f in FIELDS {
            let short: String = f.chars().take(10).collect();
            let _ = write!(s, " {short:>10}");
        }
        let _ = writeln!(s);
        for row in &self.formats {
            let _ = write!(s, "{:<16} {:>5}", row.format, row.messages);
            for v in &row.shares {
                let _ = write!(s, " {:>9.0}%", v * 100.0);
            }
            let _ = writeln!(s);
        }
        if !self.confusion.is_empty() {
            let mut cols: Vec<&str> =
                self.confusion.iter().flat_map(|r| r.predicted.keys().map(String::as_str)).collect();
            cols.extend(self.confusion.iter().map(|r| r.expected.as_str()));
            cols.sort_unstable();
            cols.dedup();
            let _ = writeln!(s);
            let _ = writeln!(s, "scenario confusion (rows: label, columns: classifier)");
            let _ = write!(s, "{:<19}", "");
            for c in &cols {
                let short: String = c.chars().take(6).collect();
                let _ = write!(s, " {short:>6}");
            }
            let _ = writeln!(s);
            for row in &self.confusion {
                let _ = write!(s, "{:<19}", row.expected);
                for c in &cols {
                    match row.predicted.get(*c) {
                        Some(n) => {
                            let _ = write!(s, " {n:>6}");
                        }
                        None => {
                            let _ = write!(s, " {:>6}", ".");
                        }
                    }
                }
                let _ = writeln!(s);
            }
        }
        if !self.unreadable.is_empty() {
            let _ = writeln!(s);
            for u in &self.unreadable {
                let _ = writeln!(s, "unreadable: {u}");
            }
        }
        if !self.silent_errors.is_empty() {
            let _ = writeln!(s);
            let names: Vec<String> = self.silent_errors.iter().map(|f| crate::sanitize(f)).collect();
            let _ = writeln!(s, "silent errors: {}", names.join(", "));
        }
        if !self.misses.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "misses ({}):", self.misses.len());
            for m in &self.misses {
                let _ = writeln!(
                    s,
                    "  {} {}\n      expected: {}\n      got:      {}",
                    crate::sanitize(&m.file),
                    m.field,
                    crate::sanitize(&m.expected),
                    crate::sanitize(&m.got)
                );
            }
        }
        s
    }
}

/// Extracts every labelled message in `dir` and scores it.
pub fn eval_corpus(dir: &Path, extractor: &Extractor, classifier: &Classifier) -> Result<EvalReport> {
    eval_corpora(&[dir.to_path_buf()], extractor, classifier)
}

/// Scores the labelled messages of several folders as one set. With more
/// than one folder, file names in the report carry their folder's name.
pub fn eval_corpora(dirs: &[PathBuf], extractor: &Extractor, classifier: &Classifier) -> Result<EvalReport> {
    let mut sets = Vec::with_capacity(dirs.len());
    for dir in dirs {
        sets.push((dir, load_labels(dir)?));
    }
    let mut fields: Vec<FieldScore> = FIELDS
        .iter()
        .chain(OPTIONAL_FIELDS.iter())
        .map(|f| FieldScore { field: (*f).to_string(), ..FieldScore::default() })
        .collect();
    let mut misses = Vec::new();
    let mut unreadable = Vec::new();
    let mut silent_errors = Vec::new();
    let mut by_format: Vec<(String, usize, Vec<usize>)> = Vec::new();
    let mut messages = 0;
    let mut confusion: Vec<ConfusionRow> = Vec::new();
    let all = sets.iter().flat_map(|(dir, labels)| labels.iter().map(move |l| (*dir, l)));
    for (dir, label) in all {
        let path = dir.join(&label.file);
        let name = if dirs.len() > 1 {
            let folder = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into());
            format!("{folder}/{}", label.file)
        } else {
            label.file.clone()
        };
        let raw = match std::fs::read(&path) {
            Ok(r) => r,
            Err(e) => {
                unreadable.push(format!("{name}: {e}"));
                continue;
            }
        };
        messages += 1;
        let c = extractor.extract(&raw, &path.display().to_string());
        let k = classifier.classify(&c);
        let crate::extract::Classified { complaint: c, classification: k } = crate::extract::settle(c, k);
        if let Some(expected) = label.scenario.as_deref().and_then(|s| s.split('/').next()) {
            let row = match confusion.iter().position(|r: &ConfusionRow| r.expected == expected) {
                Some(i) => i,
                None => {
                    confusion.push(ConfusionRow { expected: expected.to_string(), predicted: Default::default() });
                    confusion.len() - 1
                }
            };
            *confusion[row].predicted.entry(k.scenario().to_string()).or_insert(0) += 1;
        }
        let results = score(label, &c, &k);
        let fmt = label.format.clone().unwrap_or_else(|| "unlabelled".into());
        let row = match by_format.iter().position(|r| r.0 == fmt) {
            Some(i) => i,
            None => {
                by_format.push((fmt.clone(), 0, vec![0; FIELDS.len()]));
                by_format.len() - 1
            }
        };
        by_format[row].1 += 1;
        let wrong_fact = !results[0].as_ref().is_none_or(|r| r.right) || !results[1].as_ref().is_none_or(|r| r.right);
        if wrong_fact && c.problems.is_empty() {
            silent_errors.push(name.clone());
        }
        for (i, r) in results.into_iter().enumerate() {
            let Some(r) = r else { continue };
            let f = &mut fields[i];
            f.messages += 1;
            f.tp += r.tp;
            f.fp += r.fp;
            f.fn_ += r.fn_;
            if r.right {
                f.right += 1;
                if let Some(n) = by_format[row].2.get_mut(i) {
                    *n += 1;
                }
            } else {
                misses.push(Miss { file: name.clone(), field: f.field.clone(), expected: r.expected, got: r.got });
            }
        }
    }
    for (i, f) in fields.iter_mut().enumerate() {
        f.share = ratio(f.right, f.messages);
        if i <= 2 {
            f.precision = Some(if f.tp + f.fp == 0 { 1.0 } else { ratio(f.tp, f.tp + f.fp) });
            f.recall = Some(if f.tp + f.fn_ == 0 { 1.0 } else { ratio(f.tp, f.tp + f.fn_) });
        }
    }
    let mut formats: Vec<FormatRow> = by_format
        .into_iter()
        .map(|(format, n, rights)| FormatRow {
            format,
            messages: n,
            shares: rights.iter().map(|r| ratio(*r, n)).collect(),
        })
        .collect();
    formats.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.format.cmp(&b.format)));
    confusion.sort_by(|a, b| a.expected.cmp(&b.expected));
    Ok(EvalReport { corpus: dirs.to_vec(), messages, silent_errors, fields, formats, misses, unreadable, confusion })
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

struct Outcome {
    right: bool,
    tp: usize,
    fp: usize,
    fn_: usize,
    expected: String,
    got: String,
}

fn set_outcome<T: Ord + Clone + ToString>(expected: &BTreeSet<T>, got: &BTreeSet<T>) -> Outcome {
    let tp = expected.intersection(got).count();
    let show = |s: &BTreeSet<T>| format!("[{}]", s.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    Outcome {
        right: expected == got,
        tp,
        fp: got.len() - tp,
        fn_: expected.len() - tp,
        expected: show(expected),
        got: show(got),
    }
}

/// One outcome per field of [`FIELDS`] then [`OPTIONAL_FIELDS`]; `None`
/// where the label does not have the field.
fn score(label: &Label, c: &Complaint, k: &Classification) -> Vec<Option<Outcome>> {
    let norm_ip = |s: &String| -> Option<IpAddr> {
        let ip: IpAddr = s.trim().parse().ok()?;
        Some(match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        })
    };
    let exp_ips: BTreeSet<IpAddr> = label.reported_ips.iter().filter_map(norm_ip).collect();
    let got_ips: BTreeSet<IpAddr> = c.reported_ips.iter().copied().collect();
    let ips = set_outcome(&exp_ips, &got_ips);

    let times = score_times(label, c);

    let exp_ports: BTreeSet<u16> = label.dest_ports.iter().copied().collect();
    let got_ports: BTreeSet<u16> = c.dest_ports.iter().copied().collect();
    let ports = set_outcome(&exp_ports, &got_ports);

    let simple = |expected: Option<&str>, got: Option<&str>| {
        let e = expected.map(str::trim).filter(|s| !s.is_empty());
        let g = got.map(str::trim).filter(|s| !s.is_empty());
        Outcome {
            right: e == g,
            tp: 0,
            fp: 0,
            fn_: 0,
            expected: e.unwrap_or("(none)").to_string(),
            got: g.unwrap_or("(none)").to_string(),
        }
    };
    let ticket = simple(label.ticket_id.as_deref(), c.ticket_id.as_deref());
    let format = simple(label.format.as_deref(), Some(c.format.as_str()));
    let language = simple(label.language.as_deref(), c.language.as_deref());
    let scenario = match label.scenario.as_deref().and_then(|s| s.split('/').next()) {
        None => Outcome { right: true, tp: 0, fp: 0, fn_: 0, expected: "(none)".into(), got: String::new() },
        Some(expected) => {
            let signals: Vec<String> =
                k.signals.iter().take(4).map(|s| format!("{} {} {:.2}", s.rule, s.scenario, s.weight)).collect();
            Outcome {
                right: expected == k.scenario().as_str(),
                tp: 0,
                fp: 0,
                fn_: 0,
                expected: expected.to_string(),
                got: format!(
                    "{} (confidence {:.2}; {})",
                    k.labels.iter().map(|l| l.id()).collect::<Vec<_>>().join(" + "),
                    k.confidence,
                    if signals.is_empty() { "no signal".into() } else { signals.join(", ") }
                ),
            }
        }
    };
    let no_reply = label.no_reply_needed.map(|want| {
        let got = no_reply_needed(c, k);
        let show = |b: bool| if b { "no reply needed" } else { "reply needed" }.to_string();
        Outcome { right: want == got, tp: 0, fp: 0, fn_: 0, expected: show(want), got: show(got) }
    });
    let kind = label.kind.as_deref().map(|want| {
        let want = Kind::from_id(want).map_or_else(|| want.to_string(), |k| k.as_str().to_string());
        Outcome { right: want == k.kind.as_str(), tp: 0, fp: 0, fn_: 0, expected: want, got: k.kind.to_string() }
    });
    let mut all: Vec<Option<Outcome>> =
        vec![ips, times, ports, ticket, format, language, scenario].into_iter().map(Some).collect();
    all.extend([no_reply, kind]);
    all
}

fn score_times(label: &Label, c: &Complaint) -> Outcome {
    let mut with_offset: Vec<Timestamp> = Vec::new();
    let mut without: Vec<DateTime> = Vec::new();
    for t in &label.timestamps {
        if let Some(ts) = parse_utc(t) {
            with_offset.push(ts);
        } else if let Some(dt) = parse_local(t) {
            without.push(dt);
        }
    }
    let utc_got: BTreeSet<Timestamp> = c.events.iter().filter_map(|e| e.time_utc.map(trunc)).collect();
    let local_got: BTreeSet<DateTime> = c
        .events
        .iter()
        .filter(|e| e.zone_source == ZoneSource::Unknown || e.time_utc.is_none())
        .filter_map(|e| e.time_local.map(trunc_local))
        .collect();
    let mut tp = 0;
    let mut fn_ = 0;
    for t in &with_offset {
        if utc_got.contains(&trunc(*t)) { tp += 1 } else { fn_ += 1 }
    }
    for t in &without {
        if local_got.contains(&trunc_local(*t)) { tp += 1 } else { fn_ += 1 }
    }
    // Precision: extracted times outside the labelled span.
    let mut fp = 0;
    let span_utc = with_offset.iter().min().zip(with_offset.iter().max());
    let span_local = without.iter().min().zip(without.iter().max());
    let slack = SignedDuration::from_hours(14);
    for t in &utc_got {
        let ok = span_utc.is_some_and(|(a, b)| a <= t && t <= b);
        if !ok {
            fp += 1;
        }
    }
    for t in &local_got {
        let in_local = span_local.is_some_and(|(a, b)| a <= t && t <= b);
        let near_utc = span_utc.is_some_and(|(a, b)| {
            let as_utc = jiff::tz::Offset::UTC.to_timestamp(*t).ok();
            as_utc.is_some_and(|u| {
                a.checked_sub(slack).is_ok_and(|lo| lo <= u) && b.checked_add(slack).is_ok_and(|hi| u <= hi)
            })
        });
        if !(in_local || near_utc) {
            fp += 1;
        }
    }
    let show_label = format!("[{}]", label.timestamps.join(", "));
    let mut got: Vec<String> = utc_got.iter().map(|t| format_utc(*t)).collect();
    got.extend(local_got.iter().map(|t| format!("{} (local)", format_local(*t))));
    let got = if got.len() > 6 {
        format!("[{} … {}] ({} distinct)", got[0], got[got.len() - 1], got.len())
    } else {
        format!("[{}]", got.join(", "))
    };
    Outcome { right: fn_ == 0 && fp == 0, tp, fp, fn_, expected: show_label, got }
}

fn trunc(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

fn trunc_local(t: DateTime) -> DateTime {
    t.with().subsec_nanosecond(0).build().unwrap_or(t)
}
