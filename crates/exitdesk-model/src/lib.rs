#![doc = include_str!("../README.md")]

mod case;
mod channel;
mod clock;
mod complaint;
mod line;
mod network;
mod scenario;
mod stats;
mod timefmt;
mod verdict;

pub use case::{CaseState, Transition};
pub use channel::Channel;
pub use clock::{Clock, FixedClock};
pub use complaint::{
    AddressRole, AutoResponse, Complaint, ComplaintText, Delivery, Event, Evidence, Format, Party, Requests, Role,
    ZoneSource,
};
pub use line::one_line;
pub use network::{Network, NetworkClaim, SEVERAL_DESKS, group as group_networks};
pub use scenario::{Classification, Kind, Label, Scenario, Signal};
pub use stats::StatsCounts;
pub use timefmt::{format_local, format_utc, format_utc_text, parse_local, parse_utc};
pub use verdict::{Verdict, VerdictKind, exonerator_url};
