//! The kind of a case: the kind of answer its opening message needed, kept
//! as messages join it, except that a law-enforcement request makes the
//! whole case one (it is counted apart in statistics and needs advice).

use exitdesk_model::Kind;

/// The kind of a case of kind `case` after a message of kind `joined` joins
/// it: unchanged, unless the message is a law-enforcement request.
///
/// A reminder or a closure notice joining a complaint's case leaves it a
/// complaint; a complaint joining a case a reminder opened leaves it as it
/// is too (the case's kind says how it started).
pub fn kind_after_join(case: Kind, joined: Kind) -> Kind {
    match joined {
        Kind::LawEnforcement => Kind::LawEnforcement,
        _ => case,
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn the_opening_kind_stays_unless_law_enforcement_joins() {
        for case in Kind::ALL {
            for joined in Kind::ALL {
                let want = if joined == Kind::LawEnforcement { Kind::LawEnforcement } else { case };
                assert_eq!(kind_after_join(case, joined), want, "{case} joined by {joined}");
            }
        }
        // Once law enforcement, always law enforcement.
        let mut k = Kind::Traffic;
        for joined in [Kind::Reminder, Kind::LawEnforcement, Kind::Traffic, Kind::NotAComplaint, Kind::Hosted] {
            k = kind_after_join(k, joined);
        }
        assert_eq!(k, Kind::LawEnforcement);
        assert_eq!(kind_after_join(Kind::Hosted, Kind::Traffic), Kind::Hosted);
        assert_eq!(kind_after_join(Kind::Traffic, Kind::Reminder), Kind::Traffic);
    }
}
