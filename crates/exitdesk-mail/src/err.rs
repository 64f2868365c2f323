//! Intake errors: each names the path and what went wrong.

use std::path::PathBuf;

/// A failure to read one input item. The stream goes on after it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntakeError {
    /// The path does not exist.
    #[error("{path}: no such file or folder")]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// Reading failed.
    #[error("{path}: {source}")]
    Io {
        /// The path being read (`-` for standard input).
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl IntakeError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> IntakeError {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            IntakeError::NotFound { path }
        } else {
            IntakeError::Io { path, source }
        }
    }
}

/// Result alias for intake.
pub type Result<T> = std::result::Result<T, IntakeError>;
