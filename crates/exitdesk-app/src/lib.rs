#![doc = include_str!("../README.md")]

mod config;
mod draft;
mod err;
mod eval;
mod extract;
mod ingest;
mod summary;
mod tornet;
mod workflow;

pub use config::{Config, EXAMPLE_CONFIG, StoreConfig, TemplatesConfig};
pub use draft::{Desk, DraftOptions, Network, SystemClock, format_bandwidth, to_verdict};
pub use err::{AppError, Result};
pub use eval::{
    ConfusionRow, EvalReport, FIELDS, FieldScore, FormatRow, Label, Miss, OPTIONAL_FIELDS, eval_corpora, eval_corpus,
    load_labels, no_reply_needed,
};
pub use extract::{Classified, ExtractItem, ExtractLine, Reader, extract_stream};
pub use ingest::{IngestReport, Ingested, MAX_ATTEMPTS, SYSTEM_ACTOR, intro_for, merge, sha256_hex};
pub use summary::{render_evidence, render_summary, sanitize};
pub use tornet::{
    INDEX_FILE, ImportReport, MAX_DOCUMENT, ONIONOO_QUERY, Parsed, Progress, SYNC_FOLDERS, SyncReport, TornetConfig,
    import_bytes, import_paths, load_index, parse_bytes, read_fingerprint_file, save_index, sync,
};
pub use workflow::{CaseView, Queue, Sent, apply_edit, draft_of, facts, readable_draft};

/// Opens the case store: `url` (the CLI passes `$EXITDESK_STORE_URL`), else
/// `[store] url`, else the SQLite file in the data folder.
pub async fn open_store(
    config: &Config,
    data_dir: &std::path::Path,
    url: Option<&str>,
) -> Result<exitdesk_store::Store> {
    let url = url.filter(|u| !u.is_empty()).map(str::to_string).or_else(|| config.store.url.clone());
    Ok(match url {
        Some(u) => exitdesk_store::Store::open(&u).await?,
        None => exitdesk_store::Store::open_dir(data_dir).await?,
    })
}

/// Where `send` writes replies: `[store] outbox`, else `outbox/` in the data folder.
pub fn outbox_dir(config: &Config, data_dir: &std::path::Path) -> std::path::PathBuf {
    config.store.outbox.clone().unwrap_or_else(|| data_dir.join("outbox"))
}

/// An address as the store writes it (`[2001:DB8::1]` → `2001:db8::1`), or `None`.
pub fn parse_ip_text(s: &str) -> Option<String> {
    s.trim().trim_matches(['[', ']']).parse::<std::net::IpAddr>().ok().map(|i| i.to_string())
}
