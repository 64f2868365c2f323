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
    // Strict mode says only "undefined value": name what was undefined.
    if e.kind() == minijinja::ErrorKind::UndefinedError {
        let expr = e.template_source().zip(e.range()).and_then(|(src, r)| src.get(r)).map(str::trim);
        if let Some(expr) = expr.filter(|x| !x.is_empty() && x.chars().count() <= 80 && !s.contains(*x)) {
            s.push_str(&format!(" (undefined: `{}`)", expr.replace(['\r', '\n'], " ")));
        }
    }
    s
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn undefined_names_are_named() {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_debug(true);
        env.add_template("t", "Hello\n{{ nobody.name }}!").unwrap();
        let e = env.get_template("t").unwrap().render(()).unwrap_err();
        let d = detail(&e);
        assert!(d.contains("nobody"), "{d}");
    }
}
