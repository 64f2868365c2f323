//! How a provider takes answers to the abuse tickets it forwards.

use serde::{Deserialize, Serialize};

/// The way a provider accepts a statement (DESIGN.md "Replies").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A reply by mail, keeping the ticket id in the subject.
    #[default]
    Mail,
    /// A statement through a link in the provider's notice.
    Link,
    /// A statement field in the provider's customer panel only.
    Panel,
}

impl Channel {
    /// The channel's id (`mail`, `link`, `panel`).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Link => "link",
            Channel::Panel => "panel",
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
