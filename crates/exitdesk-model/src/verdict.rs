//! The result of checking an event against Tor network data.

use serde::{Deserialize, Serialize};

/// What the network data says about an address at the time of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// A relay at that address could exit to the destination at that hour.
    Exit,
    /// A relay was there, but its exit policy rejected that port then.
    PolicyRejects,
    /// A relay was there, but it was not an exit then.
    RelayNotExit,
    /// The address was only seen in the exit list (an exit leaving from another address).
    ExitListOnly,
    /// No relay had that address then.
    NotRelay,
    /// No network data covers that time.
    NoData,
}

impl VerdictKind {
    /// The verdict's id (`exit`, `policy_rejects`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Exit => "exit",
            VerdictKind::PolicyRejects => "policy_rejects",
            VerdictKind::RelayNotExit => "relay_not_exit",
            VerdictKind::ExitListOnly => "exit_list_only",
            VerdictKind::NotRelay => "not_relay",
            VerdictKind::NoData => "no_data",
        }
    }
}

/// The verdict for one event, with what the reply may quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What was found.
    pub kind: VerdictKind,
    /// The address checked.
    pub ip: Option<std::net::IpAddr>,
    /// The time checked (UTC), `YYYY-MM-DD HH:MM:SS UTC`.
    pub time_utc: Option<String>,
    /// The relay's nickname, when one was found.
    pub nickname: Option<String>,
    /// The relay's fingerprint, when one was found.
    pub fingerprint: Option<String>,
    /// The consensus hour(s) it was listed in.
    pub consensus: Option<String>,
    /// The destination port checked.
    pub port: Option<u16>,
    /// The policy line that decided, when known.
    pub policy: Option<String>,
    /// Free text on how the verdict was reached (for example "stated by the operator").
    pub detail: Option<String>,
}

impl Verdict {
    /// A verdict of `kind` with nothing else known.
    pub fn new(kind: VerdictKind) -> Verdict {
        Verdict {
            kind,
            ip: None,
            time_utc: None,
            nickname: None,
            fingerprint: None,
            consensus: None,
            port: None,
            policy: None,
            detail: None,
        }
    }
}

/// ExoneraTor's page for an address, on a UTC date (`YYYY-MM-DD`) when
/// one is known: the link a complainant can check a verdict with.
pub fn exonerator_url(ip: Option<std::net::IpAddr>, date: Option<&str>) -> String {
    const PAGE: &str = "https://metrics.torproject.org/exonerator.html";
    match (ip, date) {
        (Some(ip), Some(day)) => format!("{PAGE}?ip={ip}&timestamp={day}&lang=en"),
        (Some(ip), None) => format!("{PAGE}?ip={ip}&lang=en"),
        _ => PAGE.to_string(),
    }
}
