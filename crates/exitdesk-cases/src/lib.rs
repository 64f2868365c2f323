#![doc = include_str!("../README.md")]

mod config;
mod deadline;
mod facts;
mod join;
mod kind;
mod state;
mod stats;
mod transparency;

pub use config::{CasesConfig, FloodPeriod, ProviderRule};
pub use deadline::{deadline, follow_up_date, provider};
pub use facts::{CaseFacts, country_of, domain_of};
pub use join::{CaseKey, Decision, OpenCase, decide, period_key};
pub use kind::kind_after_join;
pub use state::{Action, after_join, check_action};
pub use stats::{By, GroupKey, StatsRow, StatsTable, stats, stats_from_counts};
pub use transparency::{TransparencyReport, transparency_report};
