//! Times in Tor documents: `YYYY-MM-DD HH:MM:SS`, always UTC. Kept as Unix
//! seconds (`i64`) and consensus hours (`u32` hours since the epoch) so that
//! parsing and lookups stay allocation-free.

/// A consensus hour: hours since 1970-01-01 00:00 UTC.
pub type Hour = u32;

/// Seconds per hour.
pub const HOUR: i64 = 3600;

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0i64, |n, &b| n * 10 + i64::from(b - b'0')))
}

/// Parses `YYYY-MM-DD` and `HH:MM:SS` (two whitespace-separated arguments in
/// Tor documents) to Unix seconds. `None` for anything malformed.
pub fn parse_datetime(date: &str, time: &str) -> Option<i64> {
    let d = date.as_bytes();
    let t = time.as_bytes();
    if d.len() != 10 || d[4] != b'-' || d[7] != b'-' || t.len() != 8 || t[2] != b':' || t[5] != b':' {
        return None;
    }
    let (y, mo, da) = (digits(&d[0..4])?, digits(&d[5..7])?, digits(&d[8..10])?);
    let (h, mi, s) = (digits(&t[0..2])?, digits(&t[3..5])?, digits(&t[6..8])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, da) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Parses a time from the next two words of `words`.
pub(crate) fn parse_words<'a>(words: &mut impl Iterator<Item = &'a str>) -> Option<i64> {
    let date = words.next()?;
    let time = words.next()?;
    parse_datetime(date, time)
}

/// The consensus hour containing `secs` (`None` before 1970 or after 2^32 hours).
pub fn hour_of(secs: i64) -> Option<Hour> {
    u32::try_from(secs.div_euclid(HOUR)).ok()
}

/// The first second of `hour`.
pub fn hour_start(hour: Hour) -> i64 {
    i64::from(hour) * HOUR
}

/// `YYYY-MM-DD HH:MM:SS` for Unix seconds (UTC).
pub fn format_datetime(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => format!("@{secs}"),
    }
}

/// `YYYY-MM-DD` for Unix seconds (UTC).
pub fn format_date(secs: i64) -> String {
    format_datetime(secs).chars().take(10).collect()
}

/// `YYYY-MM-DD HH:00` for a consensus hour.
pub fn format_hour(hour: Hour) -> String {
    let s = format_datetime(hour_start(hour));
    s[..s.len().min(16)].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let t = parse_datetime("2022-11-19", "10:00:00");
        assert_eq!(t, Some(1_668_852_000));
        assert_eq!(format_datetime(1_668_852_000), "2022-11-19 10:00:00");
        assert_eq!(parse_datetime("2038-01-01", "00:00:00"), Some(2_145_916_800));
        assert_eq!(parse_datetime("2022-13-19", "10:00:00"), None);
        assert_eq!(parse_datetime("2022-11-19", "1O:00:00"), None);
        assert_eq!(parse_datetime("20221119", "10:00:00"), None);
        assert_eq!(format_hour(hour_of(1_668_852_000 + 59).unwrap_or(0)), "2022-11-19 10:00");
    }
}
