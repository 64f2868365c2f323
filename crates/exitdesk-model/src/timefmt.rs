//! The two textual time forms of the extraction contract, to the second.

use jiff::Timestamp;
use jiff::civil::DateTime;

/// Formats an instant as `YYYY-MM-DDTHH:MM:SSZ` (fractions dropped).
pub fn format_utc(t: Timestamp) -> String {
    let mut s = String::with_capacity(20);
    if civil(&mut s, jiff::tz::Offset::UTC.to_datetime(t)) {
        s.push('Z');
        return s;
    }
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Writes `YYYY-MM-DDTHH:MM:SS` as `strftime("%Y-%m-%dT%H:%M:%S")` does,
/// without parsing a format (a complaint's JSON holds two such times per
/// event); false for years it leaves to `strftime` (before 0).
fn civil(s: &mut String, dt: DateTime) -> bool {
    let Ok(year) = u16::try_from(dt.year()) else { return false };
    if year > 9999 {
        return false;
    }
    let digit = |v: u16| char::from(b'0' + (v % 10) as u8);
    for d in [year / 1000, year / 100, year / 10, year] {
        s.push(digit(d));
    }
    for (sep, v) in [('-', dt.month()), ('-', dt.day()), ('T', dt.hour()), (':', dt.minute()), (':', dt.second())] {
        let v = u16::try_from(v).unwrap_or(0);
        s.push(sep);
        s.push(digit(v / 10));
        s.push(digit(v));
    }
    true
}

/// Formats an instant for people: `YYYY-MM-DD HH:MM:SS UTC` (replies, verdicts).
pub fn format_utc_text(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Formats a wall-clock time as `YYYY-MM-DDTHH:MM:SS` (fractions dropped).
pub fn format_local(t: DateTime) -> String {
    let mut s = String::with_capacity(19);
    if civil(&mut s, t) {
        return s;
    }
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

    /// The hand-written forms are what `strftime` writes, over the whole range.
    #[test]
    fn same_as_strftime() {
        let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        let mut t = min;
        while t < max {
            let ts = Timestamp::from_second(t).unwrap();
            assert_eq!(format_utc(ts), ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
            let dt = jiff::tz::Offset::UTC.to_datetime(ts);
            assert_eq!(format_local(dt), dt.strftime("%Y-%m-%dT%H:%M:%S").to_string());
            t += 86_400 * 97 + 3_671;
        }
        for (y, mo, d, h, mi, sec) in
            [(0, 1, 1, 0, 0, 0), (999, 12, 31, 23, 59, 59), (9999, 12, 31, 23, 59, 59), (-1, 6, 1, 1, 2, 3)]
        {
            let dt = DateTime::new(y, mo, d, h, mi, sec, 0).unwrap();
            assert_eq!(format_local(dt), dt.strftime("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
}
