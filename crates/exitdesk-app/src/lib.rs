#![doc = include_str!("../README.md")]

mod err;
mod eval;
mod extract;
mod summary;

pub use err::{AppError, Result};
pub use eval::{EvalReport, FIELDS, FieldScore, FormatRow, Label, Miss, eval_corpus, load_labels};
pub use extract::{ExtractItem, extract_stream};
pub use summary::{render_summary, sanitize};
