#![doc = include_str!("../README.md")]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use exitdesk_app::{ExtractItem, eval_corpus, extract_stream, render_summary};
use exitdesk_extract::Extractor;

/// The abuse desk for Tor exit relay operators.
#[derive(Debug, Parser)]
#[command(name = "exitdesk", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read complaints and print their facts (offending IPs, incident times,
    /// ports, ticket id, reporter, language, problems).
    Extract {
        /// Message files, folders of them, mbox files, Maildir folders, or `-` for stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print JSON Lines, one object per message, instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Score extraction against a labelled folder (`labels.json` beside the messages).
    Eval {
        /// The folder holding `labels.json` and the messages.
        #[arg(long, value_name = "DIR")]
        corpus: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Extract { paths, json } => extract(&paths, json),
        Command::Eval { corpus, json } => eval(&corpus, json),
    }
}

fn extract(paths: &[PathBuf], json: bool) -> ExitCode {
    let extractor = Extractor::new();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut problems = false;
    let mut errors = false;
    let mut count = 0usize;
    for item in extract_stream(&extractor, paths) {
        let written = match item {
            ExtractItem::Complaint(c) => {
                count += 1;
                problems |= !c.problems.is_empty();
                if json {
                    match serde_json::to_string(&c) {
                        Ok(line) => writeln!(out, "{line}"),
                        Err(e) => {
                            eprintln!("exitdesk: {}: cannot encode as JSON: {e}", c.source);
                            errors = true;
                            Ok(())
                        }
                    }
                } else {
                    writeln!(out, "{}", render_summary(&c))
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

fn eval(corpus: &std::path::Path, json: bool) -> ExitCode {
    let extractor = Extractor::new();
    match eval_corpus(corpus, &extractor) {
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
            let mut out = std::io::stdout().lock();
            if let Err(e) = writeln!(out, "{text}") {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return ExitCode::from(2);
                }
            }
            if report.messages == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("exitdesk: {e}");
            ExitCode::from(2)
        }
    }
}
