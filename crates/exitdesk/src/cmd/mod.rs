//! The commands: resolve the configuration, call the app's use-cases, print.

mod cases;
mod draft;
mod read;
mod templates;
mod tornet;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exitdesk_app::{Config, Desk, SystemClock};
use exitdesk_model::{Clock, FixedClock};

use crate::cli::{Cli, Command};

pub(crate) fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Eval { corpus, json } => read::eval(&corpus, json),
        command => {
            let data_dir = data_dir(cli.data_dir.as_deref());
            let desk = match desk(cli.config.as_deref()) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("exitdesk: {e}");
                    return ExitCode::from(2);
                }
            };
            let clock = clock();
            match command {
                Command::Extract { paths, json, explain } => read::extract(&desk, &paths, json, explain),
                Command::Classify { paths, json } => read::classify(&desk, &paths, json),
                Command::Draft { file, edit, regenerate, intro, out, eml, verdict, force } => {
                    // A case id unless a file of that name exists.
                    let as_case = !file.exists() && file.to_str().is_some_and(|s| cases::case_id(s).is_ok());
                    if as_case || edit || regenerate {
                        let id = match cases::case_id(&file.to_string_lossy()) {
                            Ok(i) => i,
                            Err(code) => return code,
                        };
                        let desk = match with_network(desk, &data_dir) {
                            Ok(d) => d,
                            Err(code) => return code,
                        };
                        return cases::draft_case(&desk, &data_dir, &*clock, id, edit, regenerate, eml);
                    }
                    let desk = match with_network(desk, &data_dir) {
                        Ok(d) => d,
                        Err(code) => return code,
                    };
                    draft::draft(&desk, &*clock, &file, draft::Options { intro, out, eml, verdict, force })
                }
                Command::Ingest { paths, queue } => {
                    let desk = match with_network(desk, &data_dir) {
                        Ok(d) => d,
                        Err(code) => return code,
                    };
                    let code = cases::ingest(&desk, &data_dir, &*clock, &paths);
                    if queue && matches!(code, c if c == ExitCode::SUCCESS || c == ExitCode::from(1)) {
                        let all = cases::QueueArgs {
                            states: Vec::new(),
                            scenario: None,
                            reporter: None,
                            exit: None,
                            all: false,
                            limit: None,
                            json: false,
                        };
                        println!();
                        let _ = cases::queue(&desk, &data_dir, &*clock, all);
                    }
                    code
                }
                Command::Reprocess => {
                    let desk = match with_network(desk, &data_dir) {
                        Ok(d) => d,
                        Err(code) => return code,
                    };
                    cases::reprocess(&desk, &data_dir, &*clock)
                }
                Command::Queue { state, scenario, reporter, exit, all, limit, json } => cases::queue(
                    &desk,
                    &data_dir,
                    &*clock,
                    cases::QueueArgs { states: state, scenario, reporter, exit, all, limit, json },
                ),
                Command::Show { case, json } => cases::show(&desk, &data_dir, &case, json),
                Command::Approve { case } => cases::step(&desk, &data_dir, &*clock, &case, cases::Step::Approve),
                Command::Send { case } => cases::step(&desk, &data_dir, &*clock, &case, cases::Step::Send),
                Command::Note { case, text } => {
                    cases::step(&desk, &data_dir, &*clock, &case, cases::Step::Note(text.join(" ")))
                }
                Command::Close { case, why } => cases::step(&desk, &data_dir, &*clock, &case, cases::Step::Close(why)),
                Command::Reopen { case, why } => {
                    cases::step(&desk, &data_dir, &*clock, &case, cases::Step::Reopen(why))
                }
                Command::Followups { json } => cases::followups(&desk, &data_dir, &*clock, json),
                Command::Reporter { action } => cases::reporter(&desk, &data_dir, &*clock, action),
                Command::Stats { by, since, format } => cases::stats(&desk, &data_dir, &by, since.as_deref(), &format),
                Command::Report { action } => cases::report(&desk, &data_dir, &*clock, action),
                Command::Tornet { action } => tornet::tornet(&desk, &data_dir, action),
                Command::Templates { action } => templates::templates(&desk, action),
                Command::Playbook { which: _, notes, complaint } => {
                    draft::playbook(&desk, &*clock, notes, complaint.as_deref())
                }
                Command::Eval { .. } => ExitCode::from(2),
            }
        }
    }
}

/// The configuration file: `--config`, `$EXITDESK_CONFIG`, `./exitdesk.toml`,
/// then the user's config folder. None is fine: defaults apply.
fn config_path(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("EXITDESK_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let local = PathBuf::from("exitdesk.toml");
    if local.is_file() {
        return Some(local);
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let user = base.join("exitdesk").join("exitdesk.toml");
    user.is_file().then_some(user)
}

fn desk(explicit: Option<&Path>) -> exitdesk_app::Result<Desk> {
    let config = match config_path(explicit) {
        Some(p) => Config::load(&p)?,
        None => Config::default(),
    };
    for w in config.warnings() {
        eprintln!("exitdesk: warning: {w}");
    }
    Desk::new(config)
}

/// The data folder: `--data-dir`, `$EXITDESK_DATA_DIR`, then the platform's.
fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("EXITDESK_DATA_DIR").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("exitdesk")
}

/// Loads the relay index into the desk (verdicts and live figures in drafts).
fn with_network(desk: Desk, data_dir: &Path) -> Result<Desk, ExitCode> {
    let index = exitdesk_app::load_index(data_dir).map_err(|e| {
        eprintln!("exitdesk: {e}");
        ExitCode::from(2)
    })?;
    desk.with_network(index).map_err(|e| {
        eprintln!("exitdesk: {e}");
        ExitCode::from(2)
    })
}

/// The wall clock, or `$EXITDESK_NOW` (RFC 3339) for reproducible output.
fn clock() -> Box<dyn Clock> {
    let pinned = std::env::var_os("EXITDESK_NOW").and_then(|v| v.to_str().and_then(|s| s.parse().ok()));
    match pinned {
        Some(t) => Box::new(FixedClock(t)),
        None => Box::new(SystemClock),
    }
}
