//! Errors of composing: template problems (the operator must act) or a
//! value that cannot go into a mail.

/// What can go wrong when composing.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// Override files whose names are not part of the template set.
    #[error("unknown template name(s): {}; run `exitdesk templates list` for the names", .0.join(", "))]
    UnknownTemplates(Vec<String>),
    /// A template does not parse.
    #[error("template {name}: {detail}")]
    Syntax {
        /// The template.
        name: String,
        /// minijinja's message, with the line.
        detail: String,
    },
    /// A template failed while rendering (an undefined variable, a bad filter…).
    #[error("template {name} could not be rendered: {detail}")]
    Render {
        /// The template.
        name: String,
        /// minijinja's message, with the line.
        detail: String,
    },
    /// The reply message could not be written.
    #[error("cannot build the reply message: {0}")]
    Message(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, ComposeError>;

/// minijinja's error with the causes it chains (undefined variable names, lines).
pub(crate) fn detail(e: &minijinja::Error) -> String {
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}
