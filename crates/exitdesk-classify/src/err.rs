//! Errors of the classifier: only configuration can fail.

/// What can go wrong when building a classifier.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// An operator rule is invalid (the operator must fix the configuration).
    #[error("classify rule {name:?}: {problem}")]
    Rule {
        /// The rule's name.
        name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A built-in pattern failed to compile (a bug in exitdesk).
    #[error("built-in classifier pattern does not compile (a bug in exitdesk): {0}")]
    Builtin(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, ClassifyError>;
