//! `[cases]` in `exitdesk.toml`: joining window, flood control, deadlines.
//!
//! ```toml
//! [cases]
//! window_days = 14            # a complaint joins an open case updated this recently
//! flood_per_day = 20          # this many messages a day from one reporter: flood mode
//! flood_period = "day"        # one case per reporter per day (or "week") in flood mode
//! forwarded_deadline_hours = 24
//! direct_deadline_hours = 72  # 0: no deadline for direct complaints
//!
//! [[cases.providers]]         # per-provider deadlines, matched on the mail domain
//! domain = "hoster.example.com"
//! deadline_hours = 48
//! channel = "link"            # how it takes answers: "mail" (default), "link", "panel"
//! ```

use serde::Deserialize;

/// How long a flood case collects reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FloodPeriod {
    /// One case per reporter per UTC day.
    #[default]
    Day,
    /// One case per reporter per ISO week.
    Week,
}

/// A deadline for the complaints one provider forwards (or sends).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderRule {
    /// The mail domain (`hoster.example.com`); subdomains match too.
    pub domain: String,
    /// Hours from arrival; 0 means no deadline.
    pub deadline_hours: u32,
    /// How the provider takes answers: by mail (default), through a
    /// statement link in its notice, or only in its customer panel. For
    /// `link` and `panel` the draft is text to paste, and says where.
    #[serde(default)]
    pub channel: exitdesk_model::Channel,
}

/// The `[cases]` section.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CasesConfig {
    /// A complaint joins an open case of the same reporter, exit and scenario
    /// updated within this many days.
    pub window_days: u32,
    /// Messages from one reporter within 24 hours that switch on flood mode (0: never).
    pub flood_per_day: u32,
    /// The period of a flood case.
    pub flood_period: FloodPeriod,
    /// Deadline for forwarded complaints, in hours (0: none).
    pub forwarded_deadline_hours: u32,
    /// Deadline for complaints sent to us directly, in hours (0: none).
    pub direct_deadline_hours: u32,
    /// Per-provider deadlines.
    pub providers: Vec<ProviderRule>,
}

impl Default for CasesConfig {
    fn default() -> Self {
        CasesConfig {
            window_days: 14,
            flood_per_day: 20,
            flood_period: FloodPeriod::Day,
            forwarded_deadline_hours: 24,
            direct_deadline_hours: 72,
            providers: Vec::new(),
        }
    }
}
