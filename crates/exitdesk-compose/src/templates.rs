//! The template set: embedded defaults, and an operator's overrides.
//!
//! Every block of a reply is one minijinja file (see `templates/README.md` for
//! the variables). The defaults are compiled into the binary; an operator's
//! folder replaces any of them by name (`scenario/ssh_bruteforce.j2`). Names
//! that are not part of the set are refused, so a typo does not go unnoticed.

use std::collections::BTreeMap;

use crate::err::{ComposeError, Result};

/// The embedded defaults: name → source.
const DEFAULTS: &[(&str, &str)] = &[
    ("greeting", include_str!("../templates/greeting.j2")),
    ("finding", include_str!("../templates/finding.j2")),
    ("evidence", include_str!("../templates/evidence.j2")),
    ("verdict/not_exit", include_str!("../templates/verdict/not_exit.j2")),
    ("verdict/policy_rejects", include_str!("../templates/verdict/policy_rejects.j2")),
    ("intro/full", include_str!("../templates/intro/full.j2")),
    ("intro/short", include_str!("../templates/intro/short.j2")),
    ("kind/hosted", include_str!("../templates/kind/hosted.j2")),
    ("kind/law_enforcement", include_str!("../templates/kind/law_enforcement.j2")),
    ("scenario/comment_spam", include_str!("../templates/scenario/comment_spam.j2")),
    ("scenario/webmail_spam", include_str!("../templates/scenario/webmail_spam.j2")),
    ("scenario/google_groups_spam", include_str!("../templates/scenario/google_groups_spam.j2")),
    ("scenario/dos_scraping", include_str!("../templates/scenario/dos_scraping.j2")),
    ("scenario/web_bruteforce", include_str!("../templates/scenario/web_bruteforce.j2")),
    ("scenario/ssh_bruteforce", include_str!("../templates/scenario/ssh_bruteforce.j2")),
    ("scenario/account_compromise", include_str!("../templates/scenario/account_compromise.j2")),
    ("scenario/hacking", include_str!("../templates/scenario/hacking.j2")),
    ("scenario/ecommerce_fraud", include_str!("../templates/scenario/ecommerce_fraud.j2")),
    ("scenario/threats", include_str!("../templates/scenario/threats.j2")),
    ("scenario/copyright", include_str!("../templates/scenario/copyright.j2")),
    ("scenario/other", include_str!("../templates/scenario/other.j2")),
    ("blocking", include_str!("../templates/blocking.j2")),
    ("offers", include_str!("../templates/offers.j2")),
    ("signature", include_str!("../templates/signature.j2")),
    ("note/no_reply", include_str!("../templates/note/no_reply.j2")),
    ("playbook/threats", include_str!("../templates/playbook/threats.j2")),
    ("playbook/call_notes", include_str!("../templates/playbook/call_notes.j2")),
];

/// The file extension of template files.
pub const EXTENSION: &str = "j2";

/// A complete template set.
#[derive(Debug, Clone)]
pub struct Templates {
    sources: BTreeMap<&'static str, String>,
    overridden: Vec<&'static str>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::builtin()
    }
}

impl Templates {
    /// The embedded defaults.
    pub fn builtin() -> Templates {
        Templates { sources: DEFAULTS.iter().map(|(n, s)| (*n, (*s).to_string())).collect(), overridden: Vec::new() }
    }

    /// Replaces templates by name (`scenario/ssh_bruteforce`, with or without
    /// `.j2`). Unknown names are an error that lists them all.
    pub fn with_overrides<I, N, S>(mut self, overrides: I) -> Result<Templates>
    where
        I: IntoIterator<Item = (N, S)>,
        N: AsRef<str>,
        S: Into<String>,
    {
        let mut unknown = Vec::new();
        for (name, source) in overrides {
            let name = name.as_ref().replace('\\', "/");
            let name = name.strip_suffix(".j2").unwrap_or(&name);
            match DEFAULTS.iter().find(|(n, _)| *n == name) {
                Some((n, _)) => {
                    self.sources.insert(n, source.into());
                    if !self.overridden.contains(n) {
                        self.overridden.push(n);
                    }
                }
                None => unknown.push(name.to_string()),
            }
        }
        if unknown.is_empty() { Ok(self) } else { Err(ComposeError::UnknownTemplates(unknown)) }
    }

    /// Every template name, in a stable order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        DEFAULTS.iter().map(|(n, _)| *n)
    }

    /// The source of a template.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name.strip_suffix(".j2").unwrap_or(name)).map(String::as_str)
    }

    /// The embedded default of a template.
    pub fn default_source(name: &str) -> Option<&'static str> {
        let name = name.strip_suffix(".j2").unwrap_or(name);
        DEFAULTS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// True when the operator replaced this template.
    pub fn is_overridden(&self, name: &str) -> bool {
        self.overridden.contains(&name)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.sources.iter().map(|(n, s)| (*n, s.as_str()))
    }
}
