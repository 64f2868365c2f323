//! `draft` and `playbook`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exitdesk_app::{Classified, Desk, DraftOptions, ExtractItem, extract_stream, sanitize};
use exitdesk_compose::{IntroLevel, Outcome};
use exitdesk_model::{Clock, VerdictKind};

use crate::cli::{Intro, VerdictArg};
use crate::out::{Written, print};

pub(crate) struct Options {
    pub(crate) intro: Intro,
    pub(crate) out: Option<PathBuf>,
    pub(crate) eml: bool,
    pub(crate) verdict: Option<VerdictArg>,
    pub(crate) force: bool,
}

/// Reads the messages of one input (a file, an mbox, `-`).
fn read_all(desk: &Desk, file: &Path) -> Result<Vec<Classified>, ExitCode> {
    let mut items = Vec::new();
    let reader = desk.reader().map_err(|e| {
        eprintln!("exitdesk: {e}");
        ExitCode::from(2)
    })?;
    for item in extract_stream(reader, [file]) {
        match item {
            ExtractItem::Complaint(c) => items.push(*c),
            ExtractItem::Unreadable(e) => {
                eprintln!("exitdesk: {e}");
                return Err(ExitCode::from(2));
            }
        }
    }
    if items.is_empty() {
        eprintln!("exitdesk: {}: no message found", file.display());
        return Err(ExitCode::from(1));
    }
    Ok(items)
}

pub(crate) fn draft(desk: &Desk, clock: &dyn Clock, file: &Path, o: Options) -> ExitCode {
    let items = match read_all(desk, file) {
        Ok(i) => i,
        Err(code) => return code,
    };
    if o.out.is_some() && items.len() > 1 {
        eprintln!(
            "exitdesk: {} holds {} messages; --out writes one reply (draft a single message file)",
            file.display(),
            items.len()
        );
        return ExitCode::from(2);
    }
    let opts = DraftOptions {
        intro: match o.intro {
            Intro::Full => IntroLevel::Full,
            Intro::Short => IntroLevel::Short,
            Intro::None => IntroLevel::None,
        },
        verdict: o.verdict.map(|v| match v {
            VerdictArg::Exit => VerdictKind::Exit,
            VerdictArg::NotExit => VerdictKind::NotRelay,
            VerdictArg::PolicyRejects => VerdictKind::PolicyRejects,
        }),
        force: o.force,
    };
    let mut code = ExitCode::SUCCESS;
    for (i, m) in items.iter().enumerate() {
        let source = sanitize(&m.complaint.source);
        let outcome = match desk.draft(m, opts, clock.now()) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("exitdesk: {source}: {e}");
                return ExitCode::from(2);
            }
        };
        if i > 0 && !o.eml {
            if let Written::Closed = print("\n") {
                return ExitCode::SUCCESS;
            }
        }
        match outcome {
            Outcome::Draft(d) => {
                for w in &d.warnings {
                    eprintln!("exitdesk: {source}: warning: {w}");
                }
                if m.classification.scenarios().contains(&exitdesk_model::Scenario::Threats) {
                    eprintln!(
                        "exitdesk: {source}: a serious case: talk rather than write; `exitdesk playbook threats` has the checklist"
                    );
                }
                let bytes = match d.to_message() {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("exitdesk: {source}: {e}");
                        return ExitCode::from(2);
                    }
                };
                if let Some(path) = &o.out {
                    if let Err(e) = write_private(path, &bytes) {
                        eprintln!("exitdesk: {}: {e}", path.display());
                        return ExitCode::from(2);
                    }
                    eprintln!("exitdesk: wrote the reply to {}", path.display());
                    continue;
                }
                let text =
                    if o.eml { String::from_utf8_lossy(&bytes).into_owned() } else { exitdesk_app::readable_draft(&d) };
                match print(&text) {
                    Written::Ok => {}
                    Written::Closed => return ExitCode::SUCCESS,
                    Written::Failed(e) => {
                        eprintln!("exitdesk: writing output: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            Outcome::Note(note) => {
                eprintln!("exitdesk: {source}: no reply needed; printing a note instead (--force drafts one)");
                if let Written::Failed(e) = print(&note) {
                    eprintln!("exitdesk: writing output: {e}");
                    return ExitCode::from(2);
                }
                code = ExitCode::from(1);
            }
            Outcome::Refused(reason) => {
                eprintln!("exitdesk: {source}: no draft: {reason}");
                code = ExitCode::from(1);
            }
        }
    }
    code
}

/// Writes a file readable by its owner only: replies quote personal data.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

pub(crate) fn playbook(desk: &Desk, clock: &dyn Clock, notes: bool, complaint: Option<&Path>) -> ExitCode {
    let item = match complaint {
        Some(p) => match read_all(desk, p) {
            Ok(mut items) => Some(items.remove(0)),
            Err(code) => return code,
        },
        None => None,
    };
    match desk.playbook(notes, item.as_ref().map(|m| &m.complaint), clock.now()) {
        Ok(text) => match print(&text) {
            Written::Failed(e) => {
                eprintln!("exitdesk: writing output: {e}");
                ExitCode::from(2)
            }
            _ => ExitCode::SUCCESS,
        },
        Err(e) => {
            eprintln!("exitdesk: {e}");
            ExitCode::from(2)
        }
    }
}
