//! Application errors: each says what the operator must fix.

use std::path::PathBuf;

/// An error that stops a use-case (as opposed to a per-message problem).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A labels file is not in the expected format.
    #[error("{path}: not a labels file: {reason}")]
    Labels {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The configuration file is invalid.
    #[error("{path}: {reason}")]
    Config {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        reason: String,
    },
    /// The classifier could not be built from the configuration.
    #[error("configuration: {0}")]
    Classify(#[from] exitdesk_classify::ClassifyError),
    /// Templates could not be loaded, compiled or rendered.
    #[error("{0}")]
    Compose(#[from] exitdesk_compose::ComposeError),
    /// Tor network data could not be read, fetched or stored.
    #[error("{0}")]
    Tornet(String),
    /// The case store failed.
    #[error("{0}")]
    Store(String),
    /// A store statement or transaction failed (it says whether running it
    /// again may help: [`exitdesk_store::StoreError::is_transient`]).
    #[error("{0}")]
    Db(exitdesk_store::StoreError),
    /// A case, reporter or draft asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The workflow does not allow what was asked (and says why).
    #[error("{0}")]
    Refused(String),
    /// The disk is full: a file could not be written whole.
    #[error("no space left on device while writing {}; {what}", path.display())]
    NoSpace {
        /// The file.
        path: PathBuf,
        /// What stands and what to do.
        what: String,
    },
    /// A file could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl From<exitdesk_store::StoreError> for AppError {
    fn from(e: exitdesk_store::StoreError) -> Self {
        AppError::Db(e)
    }
}

impl AppError {
    /// Whether running the failed transaction again may succeed (the store
    /// was busy, a deadlock, a serialization failure): nothing else is retried.
    pub fn is_transient(&self) -> bool {
        matches!(self, AppError::Db(e) if e.is_transient())
    }

    /// Whether the store itself is in trouble (full, unreachable, busy):
    /// a run stops on it rather than setting a message aside.
    pub fn is_store_trouble(&self) -> bool {
        matches!(self, AppError::Db(e) if e.is_store_trouble())
    }

    /// The error with the store it is about, where that helps (a full
    /// disk names the database file).
    pub fn at(self, store: &exitdesk_store::Store) -> AppError {
        match self {
            AppError::Db(e) => AppError::Db(store.locate(e)),
            e => e,
        }
    }
}

/// Result alias for use-cases.
pub type Result<T> = std::result::Result<T, AppError>;
