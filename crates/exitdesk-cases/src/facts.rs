//! What statistics read of a case, and the requester's country.

use exitdesk_model::{CaseState, Kind, Scenario};
use serde::Serialize;

/// One case as statistics see it: no complaint text, no personal data beyond
/// the reporter's address (which only `stats --by reporter` shows, and the
/// transparency report never does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFacts {
    /// The case id.
    pub id: i64,
    /// Where it stands.
    pub state: CaseState,
    /// The primary scenario.
    pub scenario: Scenario,
    /// The kind of answer the case needed (its opening message's kind, or
    /// law enforcement once a request for data joined it).
    pub kind: Kind,
    /// The reporter's (or forwarder's) mail address, lower case.
    pub reporter: String,
    /// The requester's country (ISO 3166-1 alpha-2, upper case), when it can be told.
    pub country: Option<String>,
    /// Our exit addresses the complaints named.
    pub exit_ips: Vec<String>,
    /// Destination ports the complaints named.
    pub ports: Vec<u16>,
    /// When the case was opened (Unix seconds; the first message's arrival).
    pub opened_at: i64,
    /// When a reply was due (Unix seconds), if ever.
    pub deadline: Option<i64>,
    /// When the first reply was sent (Unix seconds), if one was.
    pub first_reply_at: Option<i64>,
    /// How many stored messages the case holds.
    pub messages: u32,
}

/// The domain of a mail address, lower case (`abuse@Hoster.Example` → `hoster.example`).
pub fn domain_of(address: &str) -> Option<String> {
    let (_, d) = address.trim().trim_matches(['<', '>']).rsplit_once('@')?;
    let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
    (!d.is_empty()).then_some(d)
}

/// The requester's country, told by the country-code top-level domain of
/// their mail address (`cert-bund.de` → `DE`, `.uk` → `GB`). Generic domains
/// (`.com`, `.org`, `.net`, …) and the `.eu` region say nothing: `None`. This
/// is the only country information a complaint reliably carries; it is the
/// requester's, never the Tor user's.
pub fn country_of(address: &str) -> Option<String> {
    let domain = domain_of(address)?;
    let tld = domain.rsplit('.').next()?;
    if tld.len() != 2 || !tld.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let code = match tld {
        "uk" => "GB",
        "eu" | "su" | "ac" => return None,
        t => return Some(t.to_ascii_uppercase()),
    };
    Some(code.to_string())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn countries_from_cctlds_only() {
        assert_eq!(country_of("certbund@bsi.bund.de").as_deref(), Some("DE"));
        assert_eq!(country_of("abuse@isp.co.uk").as_deref(), Some("GB"));
        assert_eq!(country_of("<Abuse@Example.FR>").as_deref(), Some("FR"));
        assert_eq!(country_of("abuse@example.com"), None);
        assert_eq!(country_of("abuse@example.eu"), None);
        assert_eq!(country_of("nobody"), None);
        assert_eq!(domain_of("a@B.Example.").as_deref(), Some("b.example"));
    }
}
