//! The incident's day, when a complaint gives a date but no time of day
//! ("received from IP 192.0.2.7 on 30 May 2019", "Arrival-Date: 30 May
//! 2019", a match "on 22 Oct 2017"). Such a date is no incident time (the
//! hour is unknown), but a reply can still name the day and point
//! ExoneraTor at it.
//!
//! A date counts only on a line that says it is about the incident: the
//! line names an accused address, or carries an incident word (attack,
//! infringement, detected, observed, received, incident, …), and no
//! report-making word (generated, sent, created, printed, copyright).
//! Read only when no event has a time; the first such date wins.

use std::net::IpAddr;

use jiff::civil::Date;
use regex::Regex;

use crate::re::compile as re;

#[derive(Debug, Clone)]
pub(crate) struct DateReader {
    iso: Regex,
    day_month: Regex,
    month_day: Regex,
    dotted: Regex,
    incident: Regex,
    report: Regex,
}

impl DateReader {
    pub(crate) fn new() -> DateReader {
        const MON: &str = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?";
        DateReader {
            iso: re(r"\b(20\d\d)-(\d\d)-(\d\d)\b"),
            day_month: re(&format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+{MON},?\s+(20\d\d)\b")),
            month_day: re(&format!(r"(?i)\b{MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(20\d\d)\b")),
            dotted: re(r"\b(\d{1,2})\. ?(\d{1,2})\. ?(20\d\d)\b"),
            incident: re(
                r"(?i)\b(attack\w*|infring\w*|detected|observed|seen|received|occurr\w*|incident|activity|abuse|stream\w*|match|event|arrival-date|date of (the )?(incident|attack|infringement))\b",
            ),
            report: re(
                r"(?i)\b(generated|sent|forwarded|created|printed|copyright|updated|modified|expires?|valid|until|deadline|registered)\b|©",
            ),
        }
    }

    /// The first incident date of `prose`, with its 1-based line.
    pub(crate) fn read(&self, prose: &str, accused: &[IpAddr]) -> Option<(Date, usize)> {
        let ips: Vec<String> = accused.iter().map(ToString::to_string).collect();
        let mut above = "";
        for (n, line) in prose.lines().enumerate().take(2_000) {
            // A deadline's sentence may break right before its date ("… no
            // reply by\n04.10.2025").
            let deadline = above.rsplit(|c: char| !c.is_alphabetic()).next().is_some_and(|w| {
                ["by", "before", "until", "than", "bis", "avant"].iter().any(|d| w.eq_ignore_ascii_case(d))
            });
            above = line.trim_end();
            if line.len() > 1_000 || deadline || self.report.is_match(line) {
                continue;
            }
            let about = ips.iter().any(|ip| line.contains(ip.as_str())) || self.incident.is_match(line);
            if !about {
                continue;
            }
            if let Some(d) = self.date(line) {
                return Some((d, n + 1));
            }
        }
        None
    }

    fn date(&self, line: &str) -> Option<Date> {
        let num = |s: &str| s.parse::<i16>().ok();
        let month = |s: &str| crate::time::month_number(s).map(i16::from);
        let build = |y: Option<i16>, m: Option<i16>, d: Option<i16>| -> Option<Date> {
            Date::new(y?, i8::try_from(m?).ok()?, i8::try_from(d?).ok()?).ok()
        };
        if let Some(c) = self.iso.captures(line) {
            return build(num(&c[1]), num(&c[2]), num(&c[3]));
        }
        if let Some(c) = self.day_month.captures(line) {
            return build(num(&c[3]), month(&c[2]), num(&c[1]));
        }
        if let Some(c) = self.month_day.captures(line) {
            return build(num(&c[3]), month(&c[1]), num(&c[2]));
        }
        if let Some(c) = self.dotted.captures(line) {
            return build(num(&c[3]), num(&c[2]), num(&c[1]));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read(text: &str) -> Option<String> {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        DateReader::new().read(text, &[ip]).map(|(d, _)| d.to_string())
    }

    #[test]
    fn incident_dates_in_their_forms() {
        assert_eq!(read("A message received from IP 192.0.2.7 on 30 May 2019").as_deref(), Some("2019-05-30"));
        assert_eq!(read("Arrival-Date: 30 May 2019").as_deref(), Some("2019-05-30"));
        assert_eq!(read("The infringing stream ran on October 22nd, 2017.").as_deref(), Some("2017-10-22"));
        assert_eq!(read("Attack observed 07.03.2025 from your network").as_deref(), Some("2025-03-07"));
        assert_eq!(read("Incident on 2025-03-07, details below").as_deref(), Some("2025-03-07"));
    }

    #[test]
    fn report_dates_and_other_lines_do_not_count() {
        assert_eq!(read("This report was generated on 2025-03-07."), None);
        assert_eq!(read("Copyright 2025-01-01 Example Ltd"), None);
        assert_eq!(read("Our office is closed on 24 December 2025."), None);
        assert_eq!(read("Received on 2025-02-31"), None, "no such day");
        assert_eq!(read("On 02.10.2025 we forwarded to you a complaint about 192.0.2.7"), None);
        assert_eq!(read("If we receive no reply by\n04.10.2025 16:00, 192.0.2.7 will be null-routed"), None);
    }
}
