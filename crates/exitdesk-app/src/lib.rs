#![doc = include_str!("../README.md")]

mod config;
mod draft;
mod err;
mod eval;
mod extract;
mod summary;

pub use config::{Config, EXAMPLE_CONFIG, TemplatesConfig};
pub use draft::{Desk, DraftOptions, SystemClock};
pub use err::{AppError, Result};
pub use eval::{ConfusionRow, EvalReport, FIELDS, FieldScore, FormatRow, Label, Miss, eval_corpus, load_labels};
pub use extract::{Classified, ExtractItem, ExtractLine, Reader, extract_stream};
pub use summary::{render_summary, sanitize};
