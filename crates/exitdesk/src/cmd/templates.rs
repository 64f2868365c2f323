//! `templates list|show|export`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use exitdesk_app::Desk;
use exitdesk_compose::{EXTENSION, Templates};

use crate::cli::TemplatesAction;
use crate::out::{Written, print};

pub(crate) fn templates(desk: &Desk, action: TemplatesAction) -> ExitCode {
    let set = match desk.config.templates() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("exitdesk: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match action {
        TemplatesAction::List => {
            let mut s = String::new();
            for name in set.names() {
                let mark = if set.is_overridden(name) { "  (overridden)" } else { "" };
                let _ = writeln!(s, "{name}.{EXTENSION}{mark}");
            }
            s
        }
        TemplatesAction::Show { name, default } => {
            let source = if default { Templates::default_source(&name) } else { set.source(&name) };
            match source {
                Some(src) => src.to_string(),
                None => {
                    eprintln!("exitdesk: no template named {name:?}; `exitdesk templates list` shows the names");
                    return ExitCode::from(1);
                }
            }
        }
        TemplatesAction::Export { dir, force } => return export(&set, &dir, force),
        TemplatesAction::Check => {
            let cfg = &desk.config;
            let problems = match desk.composer() {
                Ok(c) => c.check(&cfg.operator(), &cfg.network, &cfg.reply),
                Err(e) => {
                    eprintln!("exitdesk: {e}");
                    return ExitCode::from(2);
                }
            };
            if problems.is_empty() {
                let overridden = set.names().filter(|n| set.is_overridden(n)).count();
                format!(
                    "all {} templates render ({overridden} overridden by your template folder)\n",
                    set.names().count()
                )
            } else {
                for p in &problems {
                    eprintln!("exitdesk: {p}");
                }
                return ExitCode::from(2);
            }
        }
    };
    match print(&text) {
        Written::Failed(e) => {
            eprintln!("exitdesk: writing output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn export(set: &Templates, dir: &Path, force: bool) -> ExitCode {
    let mut written = 0;
    let mut kept = Vec::new();
    for name in set.names() {
        let path = dir.join(format!("{name}.{EXTENSION}"));
        if path.exists() && !force {
            kept.push(path.display().to_string());
            continue;
        }
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, set.source(name).unwrap_or_default()));
        if let Err(e) = result {
            eprintln!("exitdesk: {}: {e}", path.display());
            return ExitCode::from(2);
        }
        written += 1;
    }
    eprintln!(
        "exitdesk: wrote {written} template(s) to {}; set [templates] dir = {:?} in exitdesk.toml to use them",
        dir.display(),
        dir.display().to_string()
    );
    if !kept.is_empty() {
        eprintln!("exitdesk: kept {} existing file(s) (--force overwrites them)", kept.len());
    }
    ExitCode::SUCCESS
}
