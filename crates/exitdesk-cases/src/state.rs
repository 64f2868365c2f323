//! The case state machine: what an operator may do from where.
//!
//! ```text
//! new ─┐
//! needs-human ─┼─ approve ─► approved ─ send ─► sent ─► waiting (follow-up planned)
//! drafted ─────┘    ▲                                      │ date reached
//!    ▲              └── edit, regenerate, reprocess or a   ▼
//!    │                  joined message changing the draft (withdraws approval)
//!    └──────── a new message joins / edit ◄──────── follow-up-due
//! any open state ─ close ─► closed ─ reopen ─► needs-human
//! ```

use exitdesk_model::CaseState;

/// An operator's action on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Approve the current draft for sending.
    Approve,
    /// Send the approved draft.
    Send,
    /// Keep an edited draft as the new version.
    Edit,
    /// Close the case.
    Close,
    /// Reopen a closed case.
    Reopen,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Send => "send",
            Action::Edit => "edit the draft of",
            Action::Close => "close",
            Action::Reopen => "reopen",
        }
    }
}

/// The state after `action` from `state`, or why it is not allowed.
pub fn check_action(state: CaseState, action: Action, has_draft: bool) -> Result<CaseState, String> {
    use CaseState as S;
    let no = |why: &str| Err(format!("cannot {} a case that is {state}: {why}", action.verb()));
    match action {
        Action::Approve => match state {
            S::New | S::NeedsHuman | S::Drafted if has_draft => Ok(S::Approved),
            S::New | S::NeedsHuman | S::Drafted => no("it has no draft yet (`exitdesk draft CASE --edit` writes one)"),
            S::Approved => no("it is already approved"),
            S::Closed => no("reopen it first"),
            S::Sent | S::Waiting | S::FollowUpDue => no("its reply was sent; edit a new draft to answer again"),
        },
        Action::Send => match state {
            S::Approved => Ok(S::Sent),
            S::New | S::NeedsHuman | S::Drafted => no("approve the draft first"),
            S::Sent | S::Waiting | S::FollowUpDue => no("its reply was already sent (replies are never sent twice)"),
            S::Closed => no("reopen it first"),
        },
        Action::Edit => match state {
            S::Closed => no("reopen it first"),
            _ => Ok(S::Drafted),
        },
        Action::Close => match state {
            S::Closed => no("it is already closed"),
            _ => Ok(S::Closed),
        },
        Action::Reopen => match state {
            S::Closed => Ok(S::NeedsHuman),
            _ => no("it is open"),
        },
    }
}

/// The state of a case after a new message joined it (and its draft was
/// brought up to date): a reply is needed again, and an approval given before
/// the message arrived no longer holds.
pub fn after_join(state: CaseState) -> CaseState {
    match state {
        CaseState::NeedsHuman => CaseState::NeedsHuman,
        _ => CaseState::Drafted,
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_workflow_and_its_refusals() {
        use CaseState as S;
        assert_eq!(check_action(S::Drafted, Action::Approve, true), Ok(S::Approved));
        assert_eq!(check_action(S::NeedsHuman, Action::Approve, true), Ok(S::Approved));
        assert!(check_action(S::New, Action::Approve, false).unwrap_err().contains("no draft"));
        assert_eq!(check_action(S::Approved, Action::Send, true), Ok(S::Sent));
        assert!(check_action(S::Drafted, Action::Send, true).unwrap_err().contains("approve"));
        assert!(check_action(S::Sent, Action::Send, true).unwrap_err().contains("never sent twice"));
        assert_eq!(check_action(S::Approved, Action::Edit, true), Ok(S::Drafted));
        assert_eq!(check_action(S::Waiting, Action::Close, true), Ok(S::Closed));
        assert!(check_action(S::Closed, Action::Close, true).is_err());
        assert_eq!(check_action(S::Closed, Action::Reopen, true), Ok(S::NeedsHuman));
        assert!(check_action(S::Drafted, Action::Reopen, true).is_err());
        assert_eq!(after_join(S::Waiting), S::Drafted);
        assert_eq!(after_join(S::NeedsHuman), S::NeedsHuman);
    }
}
