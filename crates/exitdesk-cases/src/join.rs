//! Which case a complaint joins, or whether it opens one; flood control.

use std::net::IpAddr;

use exitdesk_model::{CaseState, Complaint, Scenario};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::config::{CasesConfig, FloodPeriod};

/// What joining looks at in a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseKey {
    /// Who the reply goes to: the forwarder's address for forwarded mail, else
    /// the reporter's (reply-to first), lower case; empty when unknown.
    pub reporter: String,
    /// The forwarder's (or reporter's) ticket id, which a thread keeps.
    pub thread: Option<String>,
    /// The reported addresses, canonical text.
    pub exits: Vec<String>,
    /// The primary scenario.
    pub scenario: Scenario,
    /// The message follows up a case (a reminder, a closure notice): it
    /// joins the reporter's case about the same exits whatever its
    /// scenario, which a follow-up seldom restates.
    pub follow_up: bool,
}

impl CaseKey {
    /// The key of a classified complaint.
    pub fn of(c: &Complaint, scenario: Scenario) -> CaseKey {
        let party = c.reply_party();
        let reporter = party
            .reply_to
            .as_deref()
            .or(party.address.as_deref())
            .map(|a| a.trim().to_ascii_lowercase())
            .unwrap_or_default();
        // A message that accuses nobody joins by the addresses it names.
        let ips = if c.reported_ips.is_empty() { &c.named_ips } else { &c.reported_ips };
        let mut exits: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
        exits.sort();
        exits.dedup();
        CaseKey { reporter, thread: c.ticket_id.clone(), exits, scenario, follow_up: false }
    }
}

/// An open case, as joining sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    /// The case id.
    pub id: i64,
    /// As in [`CaseKey::reporter`].
    pub reporter: String,
    /// As in [`CaseKey::thread`].
    pub thread: Option<String>,
    /// Every exit address the case's complaints named.
    pub exits: Vec<String>,
    /// The case's scenario.
    pub scenario: Scenario,
    /// Where it stands (closed cases are never offered).
    pub state: CaseState,
    /// When its newest message arrived (Unix seconds): the window counts from it.
    pub last_arrival: i64,
    /// The flood period it collects (`2025-10-14`, `2025-W42`), for flood cases.
    pub flood_period: Option<String>,
}

/// Where a complaint goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Into this open case.
    Join {
        /// The case.
        case: i64,
        /// Why, for the case history.
        why: String,
    },
    /// Into a new case.
    Open {
        /// The flood period, when the reporter is in flood mode.
        flood_period: Option<String>,
        /// Why, for the case history.
        why: String,
    },
}

/// The flood period an instant falls in: `2025-10-14` or `2025-W42` (UTC).
pub fn period_key(at: i64, period: FloodPeriod) -> String {
    let date = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH).to_zoned_datetime(TimeZone::UTC).date();
    match period {
        FloodPeriod::Day => date.to_string(),
        FloodPeriod::Week => {
            let w = date.iso_week_date();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
    }
}

/// Decides where a complaint with `key`, arrived at `received_at`, goes.
/// `open` holds the reporter's open cases; `recent` counts the reporter's
/// messages in the 24 hours before this one.
pub fn decide(key: &CaseKey, received_at: i64, open: &[OpenCase], recent: u32, cfg: &CasesConfig) -> Decision {
    if key.reporter.is_empty() {
        return Decision::Open { flood_period: None, why: "the reporter's address is unknown".into() };
    }
    let mine = || open.iter().filter(|c| c.state.is_open() && c.reporter == key.reporter);
    if let Some(t) = &key.thread {
        if let Some(c) = mine().filter(|c| c.thread.as_ref() == Some(t)).max_by_key(|c| c.last_arrival) {
            return Decision::Join { case: c.id, why: format!("same ticket {t}") };
        }
    }
    if cfg.flood_per_day > 0 && recent + 1 >= cfg.flood_per_day {
        let period = period_key(received_at, cfg.flood_period);
        if let Some(c) = mine().find(|c| c.flood_period.as_deref() == Some(period.as_str())) {
            return Decision::Join {
                case: c.id,
                why: format!("flood control: {} messages in 24 h, digest for {period}", recent + 1),
            };
        }
        return Decision::Open {
            flood_period: Some(period.clone()),
            why: format!("flood control: {} messages in 24 h, one case for {period}", recent + 1),
        };
    }
    let window = i64::from(cfg.window_days) * 86_400;
    let overlaps =
        |c: &OpenCase| (c.exits.is_empty() && key.exits.is_empty()) || c.exits.iter().any(|e| key.exits.contains(e));
    if let Some(c) = mine()
        .filter(|c| c.flood_period.is_none() && (c.scenario == key.scenario || key.follow_up) && overlaps(c))
        .filter(|c| received_at - c.last_arrival <= window)
        .max_by_key(|c| c.last_arrival)
    {
        let exit = c.exits.iter().find(|e| key.exits.contains(e)).map(String::as_str).unwrap_or("no address");
        return Decision::Join {
            case: c.id,
            why: format!("same reporter, exit {exit} and scenario {} within {} days", key.scenario, cfg.window_days),
        };
    }
    Decision::Open { flood_period: None, why: "no open case of this reporter matches".into() }
}

#[cfg(test)]
mod test {
    use super::*;

    fn key(reporter: &str, thread: Option<&str>, exits: &[&str], s: Scenario) -> CaseKey {
        CaseKey {
            reporter: reporter.into(),
            thread: thread.map(Into::into),
            exits: exits.iter().map(|e| e.to_string()).collect(),
            scenario: s,
            follow_up: false,
        }
    }

    fn case(id: i64, k: &CaseKey, last_arrival: i64) -> OpenCase {
        OpenCase {
            id,
            reporter: k.reporter.clone(),
            thread: k.thread.clone(),
            exits: k.exits.clone(),
            scenario: k.scenario,
            state: CaseState::Drafted,
            last_arrival,
            flood_period: None,
        }
    }

    const DAY: i64 = 86_400;

    #[test]
    fn joins_same_reporter_exit_and_scenario_within_the_window() {
        let cfg = CasesConfig::default();
        let k = key("abuse@a.example", None, &["192.0.2.1"], Scenario::SshBruteforce);
        let open = [case(7, &k, 1_000_000)];
        let d = decide(&k, 1_000_000 + 3 * DAY, &open, 0, &cfg);
        assert!(matches!(d, Decision::Join { case: 7, .. }), "{d:?}");
        // Too late, other scenario, other exit, other reporter: a new case.
        assert!(matches!(decide(&k, 1_000_000 + 15 * DAY, &open, 0, &cfg), Decision::Open { .. }));
        let mut other = key("abuse@a.example", None, &["192.0.2.1"], Scenario::Copyright);
        assert!(matches!(decide(&other, 1_000_100, &open, 0, &cfg), Decision::Open { .. }));
        // A follow-up (a reminder) joins whatever its scenario.
        other.follow_up = true;
        assert!(matches!(decide(&other, 1_000_100, &open, 0, &cfg), Decision::Join { case: 7, .. }));
        let other = key("abuse@a.example", None, &["192.0.2.9"], Scenario::SshBruteforce);
        assert!(matches!(decide(&other, 1_000_100, &open, 0, &cfg), Decision::Open { .. }));
        let other = key("abuse@b.example", None, &["192.0.2.1"], Scenario::SshBruteforce);
        assert!(matches!(decide(&other, 1_000_100, &open, 0, &cfg), Decision::Open { .. }));
        // Closed cases are never joined.
        let mut closed = case(7, &k, 1_000_000);
        closed.state = CaseState::Closed;
        assert!(matches!(decide(&k, 1_000_100, &[closed], 0, &cfg), Decision::Open { .. }));
    }

    #[test]
    fn a_ticket_id_joins_its_thread_whatever_else() {
        let cfg = CasesConfig::default();
        let first = key("abuse@hoster.example", Some("AbuseID:1234"), &["192.0.2.1"], Scenario::DosScraping);
        let open = [case(3, &first, 0)];
        let again = key("abuse@hoster.example", Some("AbuseID:1234"), &[], Scenario::Other);
        assert!(matches!(decide(&again, 40 * DAY, &open, 0, &cfg), Decision::Join { case: 3, .. }));
    }

    #[test]
    fn flood_mode_gives_one_case_per_period() {
        let cfg = CasesConfig::default();
        let k = key("reports@blocklist.example", None, &["192.0.2.1"], Scenario::SshBruteforce);
        let at = 1_760_400_000; // 2025-10-14
        let d = decide(&k, at, &[], 19, &cfg);
        let Decision::Open { flood_period: Some(p), .. } = d else { panic!("{d:?}") };
        assert_eq!(p, "2025-10-14");
        let mut flood = case(9, &k, at);
        flood.flood_period = Some(p);
        flood.exits = vec!["198.51.100.1".into()];
        flood.scenario = Scenario::Hacking;
        assert!(matches!(decide(&k, at + 60, &[flood.clone()], 25, &cfg), Decision::Join { case: 9, .. }));
        // The next day opens the next digest.
        assert!(matches!(decide(&k, at + DAY, &[flood], 25, &cfg), Decision::Open { flood_period: Some(_), .. }));
        assert_eq!(period_key(at, FloodPeriod::Week), "2025-W42");
    }

    #[test]
    fn unknown_reporters_never_join() {
        let cfg = CasesConfig::default();
        let k = key("", None, &["192.0.2.1"], Scenario::SshBruteforce);
        assert!(matches!(decide(&k, 0, &[case(1, &k, 0)], 0, &cfg), Decision::Open { .. }));
    }
}
