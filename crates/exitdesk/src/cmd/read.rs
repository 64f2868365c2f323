//! `extract`, `classify`, `eval`: reading complaints.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use exitdesk_app::{
    Classified, Desk, ExtractItem, eval_corpora, extract_stream, render_evidence, render_summary, sanitize,
};
use exitdesk_classify::Classifier;
use exitdesk_extract::Extractor;

/// Runs `f` over every message; prints what it returns; exit 0 clean, 1
/// problems or nothing found, 2 unreadable input or output failure.
fn each(desk: &Desk, paths: &[PathBuf], mut f: impl FnMut(&Classified) -> Result<String, String>) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut problems = false;
    let mut errors = false;
    let mut count = 0usize;
    let reader = match desk.reader() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("exitdesk: {e}");
            return ExitCode::from(2);
        }
    };
    for item in extract_stream(reader, paths) {
        let written = match item {
            ExtractItem::Complaint(c) => {
                count += 1;
                problems |= !c.complaint.problems.is_empty();
                match f(&c) {
                    Ok(text) => writeln!(out, "{text}"),
                    Err(e) => {
                        eprintln!("exitdesk: {}: {e}", sanitize(&c.complaint.source));
                        errors = true;
                        Ok(())
                    }
                }
            }
            ExtractItem::Unreadable(e) => {
                let _ = out.flush();
                eprintln!("exitdesk: {e}");
                errors = true;
                Ok(())
            }
        };
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("exitdesk: writing output: {e}");
            return ExitCode::from(2);
        }
    }
    if let Err(e) = out.flush() {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("exitdesk: writing output: {e}");
            return ExitCode::from(2);
        }
    }
    if count == 0 && !errors {
        eprintln!("exitdesk: no messages found in the given paths");
        return ExitCode::from(1);
    }
    if errors {
        ExitCode::from(2)
    } else if problems {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(crate) fn extract(desk: &Desk, paths: &[PathBuf], json: bool, explain: bool) -> ExitCode {
    each(desk, paths, |c| {
        if json {
            serde_json::to_string(&c.extract_line()).map_err(|e| format!("cannot encode as JSON: {e}"))
        } else {
            let mut s = render_summary(&c.complaint);
            let k = &c.classification;
            let labels: Vec<String> = k.labels.iter().map(|l| l.id()).collect();
            let _ = writeln!(s, "  scenario:   {} (confidence {:.2})", labels.join(" + "), k.confidence);
            let _ = writeln!(s, "  kind:       {}", k.kind);
            if explain {
                s.push_str(&render_evidence(&c.complaint));
            }
            Ok(s)
        }
    })
}

pub(crate) fn classify(desk: &Desk, paths: &[PathBuf], json: bool) -> ExitCode {
    each(desk, paths, |c| {
        let k = &c.classification;
        if json {
            let v = serde_json::json!({
                "source": c.complaint.source,
                "scenario": k.scenario().as_str(),
                "subkind": k.subkind(),
                "kind": k.kind,
                "kind_reason": k.kind_reason,
                "confidence": k.confidence,
                "labels": k.labels,
                "signals": k.signals,
                "rule": k.rule,
            });
            return serde_json::to_string(&v).map_err(|e| format!("cannot encode as JSON: {e}"));
        }
        let mut s = String::new();
        let _ = writeln!(s, "{}", sanitize(&c.complaint.source));
        if let Some(subject) = &c.complaint.subject {
            let _ = writeln!(s, "  subject:    {}", sanitize(subject));
        }
        let first = &k.labels[0];
        let _ =
            writeln!(s, "  scenario:   {}  {}  (confidence {:.2})", first.id(), first.scenario.title(), k.confidence);
        for l in k.labels.iter().skip(1) {
            let _ = writeln!(s, "  also:       {}  {}  (score {:.2})", l.id(), l.scenario.title(), l.score);
        }
        match &k.kind_reason {
            Some(why) => {
                let _ = writeln!(s, "  kind:       {} ({})", k.kind, sanitize(why));
            }
            None => {
                let _ = writeln!(s, "  kind:       {}", k.kind);
            }
        }
        if let Some(rule) = &k.rule {
            let _ = writeln!(s, "  rule:       {}", sanitize(rule));
        }
        if k.signals.is_empty() {
            let _ = writeln!(s, "  signals:    none (nothing in the message points to a scenario)");
        } else {
            let _ = writeln!(s, "  signals:");
            for sig in &k.signals {
                let target = match &sig.subkind {
                    Some(sub) => format!("{}/{sub}", sig.scenario),
                    None => sig.scenario.to_string(),
                };
                let _ = writeln!(
                    s,
                    "    {:.2}  {:<30} {:<24} {}",
                    sig.weight,
                    target,
                    sig.rule,
                    sanitize(&format!("{:?}", sig.matched))
                );
            }
        }
        Ok(s)
    })
}

pub(crate) fn eval(corpus: &[PathBuf], json: bool) -> ExitCode {
    let classifier = match Classifier::builtin() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("exitdesk: {e}");
            return ExitCode::from(2);
        }
    };
    match eval_corpora(corpus, &Extractor::new(), &classifier) {
        Ok(report) => {
            let text = if json {
                match serde_json::to_string_pretty(&report) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("exitdesk: cannot encode the report: {e}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                report.render_text()
            };
            if let crate::out::Written::Failed(_) = crate::out::print(&format!("{text}\n")) {
                return ExitCode::from(2);
            }
            if report.messages == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("exitdesk: {e}");
            ExitCode::from(2)
        }
    }
}
