//! The command line's shape (clap). Resolving it against the configuration
//! happens in `cmd`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The abuse desk for Tor exit relay operators.
#[derive(Debug, Parser)]
#[command(name = "exitdesk", version, about, long_about = None)]
pub struct Cli {
    /// The configuration file (default: $EXITDESK_CONFIG, ./exitdesk.toml,
    /// then ~/.config/exitdesk/exitdesk.toml; none is needed to start).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Read complaints and print their facts (offending IPs, incident times,
    /// ports, ticket id, reporter, language, scenario, problems).
    Extract {
        /// Message files, folders of them, mbox files, Maildir folders, or `-` for stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print JSON Lines, one object per message, instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Say what complaints are about: scenarios, confidence and the signals behind them.
    Classify {
        /// Message files, folders, mbox files, Maildir folders, or `-` for stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print JSON Lines instead of the readable explanation.
        #[arg(long)]
        json: bool,
    },
    /// Draft the reply to a complaint (printed for reading; `--out` writes the .eml).
    Draft {
        /// The complaint (a message file, an mbox, or `-`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// How much Tor introduction the reply carries.
        #[arg(long, value_enum, default_value_t = Intro::Full)]
        intro: Intro,
        /// Write the reply as an RFC 5322 message to this file (created private).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Print the RFC 5322 message itself (for piping to `sendmail -t`).
        #[arg(long, conflicts_with = "out")]
        eml: bool,
        /// State the network-data verdict for the reported address yourself
        /// (for example after checking ExoneraTor).
        #[arg(long, value_enum)]
        verdict: Option<VerdictArg>,
        /// Draft even when the complaint says no reply is needed.
        #[arg(long)]
        force: bool,
    },
    /// The reply templates: list them, show one, or export them to edit.
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Conversation playbooks for serious cases.
    Playbook {
        /// The playbook.
        #[arg(value_enum)]
        which: PlaybookName,
        /// Print the call-notes form that records what was agreed, instead.
        #[arg(long)]
        notes: bool,
        /// Fill in the case from this complaint.
        #[arg(long, value_name = "FILE")]
        complaint: Option<PathBuf>,
    },
    /// Score extraction and classification against a labelled folder (`labels.json` beside the messages).
    Eval {
        /// The folder holding `labels.json` and the messages.
        #[arg(long, value_name = "DIR")]
        corpus: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TemplatesAction {
    /// List the templates, marking the ones your template folder overrides.
    List,
    /// Print a template's source (the one in use).
    Show {
        /// The name (`scenario/ssh_bruteforce`).
        name: String,
        /// Print the embedded default even when it is overridden.
        #[arg(long)]
        default: bool,
    },
    /// Render every template with sample values and report any error.
    Check,
    /// Write the templates in use as files to a folder, ready to edit.
    Export {
        /// The folder (created if needed).
        dir: PathBuf,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Intro {
    Full,
    Short,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum VerdictArg {
    /// The address was our exit and could reach the destination.
    Exit,
    /// The address was not a Tor exit at that time.
    NotExit,
    /// Our exit policy did not allow that port at that time.
    PolicyRejects,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PlaybookName {
    /// Threats of violence and harassment: a conversation, not a letter.
    Threats,
}
