//! The two textual time forms of the extraction contract, to the second.

use jiff::Timestamp;
use jiff::civil::DateTime;

/// Formats an instant as `YYYY-MM-DDTHH:MM:SSZ` (fractions dropped).
pub fn format_utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Formats an instant for people: `YYYY-MM-DD HH:MM:SS UTC` (replies, verdicts).
pub fn format_utc_text(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Formats a wall-clock time as `YYYY-MM-DDTHH:MM:SS` (fractions dropped).
pub fn format_local(t: DateTime) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` or any RFC 3339 instant with an offset.
pub fn parse_utc(s: &str) -> Option<Timestamp> {
    s.parse::<Timestamp>().ok()
}

/// Parses `YYYY-MM-DDTHH:MM:SS` (a wall clock without zone).
pub fn parse_local(s: &str) -> Option<DateTime> {
    s.parse::<DateTime>().ok()
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trip_to_the_second() {
        let t: Timestamp = "2022-06-09T16:56:16.350Z".parse().unwrap();
        assert_eq!(format_utc(t), "2022-06-09T16:56:16Z");
        assert_eq!(format_utc_text(t), "2022-06-09 16:56:16 UTC");
        let l: DateTime = "2022-04-13T14:08:49.5".parse().unwrap();
        assert_eq!(format_local(l), "2022-04-13T14:08:49");
        assert_eq!(parse_local("2022-04-13T14:08:49").unwrap(), l.with().subsec_nanosecond(0).build().unwrap());
        assert!(parse_utc("2016-09-12T08:55:12-05:00").is_some());
    }
}
