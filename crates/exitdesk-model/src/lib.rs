#![doc = include_str!("../README.md")]

mod complaint;
mod timefmt;

pub use complaint::{Complaint, Event, Format, Party, ZoneSource};
pub use timefmt::{format_local, format_utc, parse_local, parse_utc};
