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
    /// The data folder (relay index, case store, outbox). Default:
    /// $EXITDESK_DATA_DIR, then $XDG_DATA_HOME/exitdesk or ~/.local/share/exitdesk.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
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
        /// With the summary, print where each fact came from: place, rule, confidence.
        #[arg(long, conflicts_with = "json")]
        explain: bool,
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
    /// Store complaints and work them into cases: extract, verify, classify,
    /// join or open a case, draft. Ingesting a message again changes nothing.
    Ingest {
        /// Message files, folders, mbox files, Maildir folders, or `-` for stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Show the queue afterwards.
        #[arg(long)]
        queue: bool,
    },
    /// The cases, by deadline: what needs doing next.
    Queue {
        /// Only cases in this state (repeatable): new, needs-human, drafted,
        /// approved, sent, waiting, follow-up-due, closed.
        #[arg(long, value_name = "STATE")]
        state: Vec<String>,
        /// Only this scenario (`ssh_bruteforce`, …).
        #[arg(long)]
        scenario: Option<String>,
        /// Only reporters whose address contains this.
        #[arg(long)]
        reporter: Option<String>,
        /// Only cases about this exit address.
        #[arg(long, value_name = "IP")]
        exit: Option<String>,
        /// Include closed cases.
        #[arg(long)]
        all: bool,
        /// Show at most N cases, the most urgent first (default: 50 in the
        /// table, every case with --json; 0: every case).
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        /// JSON Lines, one case each.
        #[arg(long)]
        json: bool,
    },
    /// One case: facts, verdicts, classification reasons, history, draft.
    Show {
        /// The case id.
        case: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve a case's current draft for sending.
    Approve {
        /// The case id.
        case: String,
    },
    /// Send a case's approved reply: written as .eml into the outbox folder, marked sent.
    Send {
        /// The case id.
        case: String,
    },
    /// Add a note to a case.
    Note {
        /// The case id.
        case: String,
        /// The note's text.
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Close a case.
    Close {
        /// The case id.
        case: String,
        /// Why (kept in the history).
        #[arg(long)]
        why: Option<String>,
    },
    /// Reopen a closed case.
    Reopen {
        /// The case id.
        case: String,
        /// Why (kept in the history).
        #[arg(long)]
        why: Option<String>,
    },
    /// Cases with a follow-up planned, soonest first.
    Followups {
        /// JSON Lines.
        #[arg(long)]
        json: bool,
    },
    /// What exitdesk remembers of a reporter; mark them Tor-aware or note their language.
    Reporter {
        #[command(subcommand)]
        action: ReporterAction,
    },
    /// Statistics over the cases.
    Stats {
        /// Group by.
        #[arg(long, value_parser = ["month", "scenario", "kind", "reporter", "exit", "port"], default_value = "month")]
        by: String,
        /// Only cases opened on or after this date (`2026-01-01`).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["table", "csv", "json"], default_value = "table")]
        format: String,
    },
    /// Reports to publish.
    Report {
        #[command(subcommand)]
        action: ReportAction,
    },
    /// Recompute everything derived from the stored messages (after an upgrade).
    Reprocess,
    /// Draft the reply to a complaint file (printed for reading; `--out` writes
    /// the .eml), or show / edit / regenerate the draft of a stored case.
    Draft {
        /// A complaint (message file, mbox, `-`) or a case id.
        #[arg(value_name = "FILE|CASE")]
        file: PathBuf,
        /// For a case: edit the draft in $EDITOR; the edit is kept as a new version.
        #[arg(long)]
        edit: bool,
        /// For a case: draft it again from its messages (a new version).
        #[arg(long, conflicts_with = "edit")]
        regenerate: bool,
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
    /// Tor network data: import, sync, verify an address, blocking lists.
    Tornet {
        #[command(subcommand)]
        action: TornetAction,
    },
    /// Score extraction and classification against a labelled folder (`labels.json` beside the messages).
    Eval {
        /// A folder holding `labels.json` and the messages; repeat it to score several folders as one set.
        #[arg(long, value_name = "DIR", required = true)]
        corpus: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReporterAction {
    /// What is remembered: messages, intro sent, Tor-aware, language.
    Show {
        /// The reporter's mail address.
        address: String,
    },
    /// Replies to this reporter carry no Tor intro (`--undo` reverts).
    MarkTorAware {
        /// The reporter's mail address.
        address: String,
        /// Take the mark back.
        #[arg(long)]
        undo: bool,
    },
    /// Note the reporter's preferred language (ISO 639-1, like `de`).
    Lang {
        /// The reporter's mail address.
        address: String,
        /// The language code.
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReportAction {
    /// The monthly transparency report: Markdown plus an SVG chart, no personal data.
    Transparency {
        /// The month, `YYYY-MM`.
        #[arg(long)]
        month: String,
        /// Write `transparency-YYYY-MM.md` and `.svg` into this folder
        /// (default: print the Markdown, write nothing).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
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

#[derive(Debug, Subcommand)]
pub(crate) enum TornetAction {
    /// Import Tor documents: consensuses (ns, microdesc), microdescriptors,
    /// server descriptors, exit lists, Onionoo details; single files,
    /// folders, CollecTor tarballs (.tar, .tar.xz) and tor's DataDirectory.
    Import {
        /// Files, folders or tarballs.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Fetch what is new from CollecTor's recent/ folders and the current
    /// network from Onionoo, then import it.
    Sync {
        /// CollecTor base URL (default: [tornet] collector_url, else https://collector.torproject.org).
        #[arg(long, value_name = "URL")]
        collector_url: Option<String>,
        /// Onionoo base URL (default: [tornet] onionoo_url, else https://onionoo.torproject.org).
        #[arg(long, value_name = "URL")]
        onionoo_url: Option<String>,
        /// Skip Onionoo.
        #[arg(long)]
        no_onionoo: bool,
    },
    /// Was IP a Tor relay or exit at TIME, and did its policy allow the port?
    Verify {
        /// The reported address (IPv4 or IPv6).
        ip: String,
        /// When: `2026-11-20T10:30:00Z`, `2026-11-20 10:30:00+01:00`, `2026-11-20 10:30`
        /// (no zone: every zone is checked) or a date `2026-11-20` (the whole UTC day).
        time: String,
        /// The destination address of the reported traffic.
        #[arg(long, value_name = "IP")]
        dest: Option<String>,
        /// The destination port.
        #[arg(long, value_name = "PORT")]
        port: Option<u16>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// The exits whose policy lets them reach IP:PORT now (a blocking list).
    Exits {
        /// The destination: `192.0.2.10:443` or `[2001:db8::1]:443`.
        #[arg(long, value_name = "IP:PORT")]
        to: String,
        /// Output format.
        #[arg(long, default_value = "plain", value_parser = clap::builder::PossibleValuesParser::new(
            exitdesk_tornet::BlockFormat::ALL.map(|(name, _)| name)
        ))]
        format: String,
    },
    /// What the index holds: hours covered, relays, live figures, our relays.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
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
