//! Cases: the tracked thread of messages about one matter, and its states.

use serde::{Deserialize, Serialize};

/// Where a case stands. Every change is recorded as a [`Transition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseState {
    /// Opened; no draft yet (drafting was refused or failed).
    New,
    /// A message could not be read cleanly, or needs a decision only a person can make.
    NeedsHuman,
    /// A draft reply waits for review.
    Drafted,
    /// The operator approved the draft; it can be sent.
    Approved,
    /// The reply went out.
    Sent,
    /// Sent, and a follow-up is planned (see the case's follow-up date).
    Waiting,
    /// The follow-up date has come.
    FollowUpDue,
    /// Done.
    Closed,
}

impl CaseState {
    /// Every state, in workflow order.
    pub const ALL: [CaseState; 8] = [
        CaseState::New,
        CaseState::NeedsHuman,
        CaseState::Drafted,
        CaseState::Approved,
        CaseState::Sent,
        CaseState::Waiting,
        CaseState::FollowUpDue,
        CaseState::Closed,
    ];

    /// The state's name (`needs-human`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::New => "new",
            CaseState::NeedsHuman => "needs-human",
            CaseState::Drafted => "drafted",
            CaseState::Approved => "approved",
            CaseState::Sent => "sent",
            CaseState::Waiting => "waiting",
            CaseState::FollowUpDue => "follow-up-due",
            CaseState::Closed => "closed",
        }
    }

    /// Parses a state's name (`needs-human`, also `needs_human`).
    pub fn from_name(s: &str) -> Option<CaseState> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        CaseState::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The case still needs something from the operator (or a date to come).
    pub fn is_open(self) -> bool {
        self != CaseState::Closed
    }

    /// A reply can still be drafted or changed before it goes out.
    pub fn before_sending(self) -> bool {
        matches!(self, CaseState::New | CaseState::NeedsHuman | CaseState::Drafted | CaseState::Approved)
    }
}

impl std::fmt::Display for CaseState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change of a case's state: who, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The state before (`None` when the case was opened).
    pub from: Option<CaseState>,
    /// The state after.
    pub to: CaseState,
    /// Who did it (`exitdesk` for automatic steps, else the operator's name).
    pub actor: String,
    /// When (Unix seconds).
    pub at: i64,
    /// Why, in a few words.
    pub reason: String,
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in CaseState::ALL {
            assert_eq!(CaseState::from_name(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(CaseState::from_name("NEEDS_HUMAN"), Some(CaseState::NeedsHuman));
        assert_eq!(CaseState::from_name("bogus"), None);
    }
}
