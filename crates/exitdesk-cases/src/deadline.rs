//! When a reply is due, and when to follow up.

use exitdesk_model::Complaint;

use crate::config::{CasesConfig, ProviderRule};
use crate::facts::domain_of;

/// When the reply to a complaint that arrived at `received_at` is due (Unix
/// seconds): the provider's rule for the forwarder's (or reporter's) mail
/// domain, else 24 h (configurable) for forwarded complaints, else the direct
/// deadline; none when no reply is needed or the message is an automatic answer.
pub fn deadline(c: &Complaint, received_at: i64, cfg: &CasesConfig) -> Option<i64> {
    if c.no_reply_needed || c.auto_response.is_some() {
        return None;
    }
    let rule = provider(c, cfg);
    let hours = match rule {
        Some(r) => r.deadline_hours,
        None if c.forwarder.is_some() => cfg.forwarded_deadline_hours,
        None => cfg.direct_deadline_hours,
    };
    (hours > 0).then(|| received_at + i64::from(hours) * 3600)
}

/// The provider rule for the forwarder's (or, for a direct complaint, the
/// reporter's) mail domain: the most specific matching `domain`.
pub fn provider<'a>(c: &Complaint, cfg: &'a CasesConfig) -> Option<&'a ProviderRule> {
    let party = c.reply_party();
    let domain = party.address.as_deref().or(party.reply_to.as_deref()).and_then(domain_of)?;
    cfg.providers
        .iter()
        .filter(|r| {
            let want = r.domain.trim().trim_start_matches('@').to_ascii_lowercase();
            domain == want || domain.ends_with(&format!(".{want}"))
        })
        .max_by_key(|r| r.domain.len())
}

/// The follow-up date for a reply sent at `sent_at` that offers one.
pub fn follow_up_date(sent_at: i64, days: u32) -> i64 {
    sent_at + i64::from(days.max(1)) * 86_400
}

#[cfg(test)]
mod test {
    use exitdesk_model::Party;

    use super::*;

    fn party(a: &str) -> Party {
        Party { address: Some(a.into()), ..Party::default() }
    }

    #[test]
    fn deadlines_by_provider_forwarded_direct_and_none() {
        let mut cfg = CasesConfig::default();
        cfg.providers.push(ProviderRule {
            domain: "hoster.example".into(),
            deadline_hours: 48,
            channel: exitdesk_model::Channel::Mail,
        });
        let fwd = Complaint { forwarder: Some(party("abuse@mail.hoster.example")), ..Complaint::default() };
        assert_eq!(deadline(&fwd, 0, &cfg), Some(48 * 3600));
        let fwd = Complaint { forwarder: Some(party("abuse@other.example")), ..Complaint::default() };
        assert_eq!(deadline(&fwd, 0, &cfg), Some(24 * 3600));
        let direct = Complaint { complainant: party("admin@site.example"), ..Complaint::default() };
        assert_eq!(deadline(&direct, 10, &cfg), Some(10 + 72 * 3600));
        let quiet = Complaint { no_reply_needed: true, ..fwd };
        assert_eq!(deadline(&quiet, 0, &cfg), None);
        cfg.direct_deadline_hours = 0;
        assert_eq!(deadline(&direct, 0, &cfg), None);
        assert_eq!(follow_up_date(0, 7), 7 * 86_400);
    }
}
