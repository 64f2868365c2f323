#![doc = include_str!("../README.md")]

mod config;
mod draft;
mod err;
mod eval;
mod extract;
mod summary;
mod tornet;

pub use config::{Config, EXAMPLE_CONFIG, TemplatesConfig};
pub use draft::{Desk, DraftOptions, Network, SystemClock, format_bandwidth, to_verdict};
pub use err::{AppError, Result};
pub use eval::{ConfusionRow, EvalReport, FIELDS, FieldScore, FormatRow, Label, Miss, eval_corpus, load_labels};
pub use extract::{Classified, ExtractItem, ExtractLine, Reader, extract_stream};
pub use summary::{render_summary, sanitize};
pub use tornet::{
    INDEX_FILE, ImportReport, ONIONOO_QUERY, Parsed, Progress, SYNC_FOLDERS, SyncReport, TornetConfig, import_bytes,
    import_paths, load_index, parse_bytes, read_fingerprint_file, save_index, sync,
};
