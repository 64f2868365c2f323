//! Statistics over cases: `exitdesk stats --by month|scenario|kind|reporter|exit|port`.
//!
//! [`stats`] groups [`CaseFacts`] and counts, per group, the cases, their
//! messages, how many are still open, how many were replied to, the median
//! time to the first reply and how many deadlines were met or missed.
//! [`StatsTable`] renders as an aligned text table or as CSV, and serialises
//! to JSON. Reporter addresses are untrusted text: the table replaces control
//! characters, the CSV quotes and neutralises spreadsheet formulas.
//!
//! The time helpers here ([`utc_date`], [`median`], [`deadline_outcome`]) are
//! shared with the transparency report.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use exitdesk_model::StatsCounts;

use crate::facts::CaseFacts;

/// What to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// The month the case was opened (UTC).
    Month,
    /// The primary scenario.
    Scenario,
    /// The case's kind (`traffic`, `hosted`, `law_enforcement`, `reminder`,
    /// `not_a_complaint`).
    Kind,
    /// The reporter's address.
    Reporter,
    /// Each exit address named.
    Exit,
    /// Each destination port named.
    Port,
}

impl By {
    /// Parses `month`, `scenario`, `kind`, `reporter`, `exit`, `port`.
    pub fn from_name(s: &str) -> Option<By> {
        match s {
            "month" => Some(By::Month),
            "scenario" => Some(By::Scenario),
            "kind" => Some(By::Kind),
            "reporter" => Some(By::Reporter),
            "exit" => Some(By::Exit),
            "port" => Some(By::Port),
            _ => None,
        }
    }

    /// The grouping's name, as [`By::from_name`] takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            By::Month => "month",
            By::Scenario => "scenario",
            By::Kind => "kind",
            By::Reporter => "reporter",
            By::Exit => "exit",
            By::Port => "port",
        }
    }
}

/// The key of the group of cases that name no exit (or no port).
pub(crate) const NONE_KEY: &str = "(none)";

/// One group, or the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatsRow {
    /// The group's key: `2025-10`, `ssh_bruteforce`, `law_enforcement`, a reporter's address, an
    /// exit address, a port, or `(none)`; `total` for the totals.
    pub key: String,
    /// Cases in it.
    pub cases: u64,
    /// Stored messages those cases hold.
    pub messages: u64,
    /// Cases not closed.
    pub open: u64,
    /// Cases with a first reply.
    pub replied: u64,
    /// The median time from opening to the first reply, in hours, over the
    /// cases replied to; `None` when none was.
    pub median_hours_to_first_reply: Option<f64>,
    /// Cases with a deadline whose first reply went out at or before it.
    pub deadlines_met: u64,
    /// Cases with a deadline whose first reply went out after it. (Without a
    /// clock, a case not replied to yet counts as neither.)
    pub deadlines_missed: u64,
}

/// The grouped counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatsTable {
    /// The grouping.
    pub by: By,
    /// The cutoff the cases were filtered with (Unix seconds), if any.
    pub since: Option<i64>,
    /// The rows, sorted: months chronologically, every other grouping by case
    /// count (descending), then key.
    pub rows: Vec<StatsRow>,
    /// Every case counted once, with the key `total`. For [`By::Exit`] and
    /// [`By::Port`] the rows can add up to more: a case naming two exits
    /// counts in both groups.
    pub total: StatsRow,
}

/// The column names after the key, as the table and the CSV print them.
const COLUMNS: [&str; 7] = ["cases", "messages", "open", "replied", "median_h", "met", "missed"];

/// The CSV header names after the key (the JSON field names).
const CSV_COLUMNS: [&str; 7] =
    ["cases", "messages", "open", "replied", "median_hours_to_first_reply", "deadlines_met", "deadlines_missed"];

impl StatsRow {
    /// The row's cells after the key: counts, then the median with one decimal
    /// (`-` when none).
    fn cells(&self, missing: &str) -> [String; 7] {
        [
            self.cases.to_string(),
            self.messages.to_string(),
            self.open.to_string(),
            self.replied.to_string(),
            self.median_hours_to_first_reply.map_or_else(|| missing.to_string(), |h| format!("{h:.1}")),
            self.deadlines_met.to_string(),
            self.deadlines_missed.to_string(),
        ]
    }
}

impl StatsTable {
    /// An aligned text table: a header line, one line per row, a totals line
    /// (and, for exits and ports, a note that a case can count in several
    /// rows). Control characters in keys are shown as `?`.
    pub fn render_table(&self) -> String {
        let mut lines: Vec<(String, [String; 7])> = Vec::with_capacity(self.rows.len() + 2);
        lines.push((self.by.as_str().to_string(), COLUMNS.map(String::from)));
        for row in &self.rows {
            lines.push((printable(&row.key), row.cells("-")));
        }
        lines.push(("total".to_string(), self.total.cells("-")));

        let key_width = lines.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        let mut widths = [0usize; 7];
        for (_, cells) in &lines {
            for (w, c) in widths.iter_mut().zip(cells) {
                *w = (*w).max(c.chars().count());
            }
        }

        let mut out = String::new();
        for (key, cells) in &lines {
            let mut line = String::new();
            line.push_str(key);
            line.extend(std::iter::repeat_n(' ', key_width - key.chars().count()));
            for (w, c) in widths.iter().zip(cells) {
                line.push_str("  ");
                line.extend(std::iter::repeat_n(' ', w - c.chars().count()));
                line.push_str(c);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if matches!(self.by, By::Exit | By::Port) {
            let what = if self.by == By::Exit { "exit" } else { "port" };
            out.push_str(&format!(
                "(a case naming several of them counts once per {what}; the total counts it once)\n"
            ));
        }
        out
    }

    /// CSV (RFC 4180, CRLF line ends): a header line, then one line per row;
    /// no totals line, so scripts can read every line alike. A field with a
    /// comma, a quote or a line break is quoted; a field a spreadsheet would
    /// take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return) gets a leading `'`. The median is empty when there is
    /// none.
    pub fn render_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<&str> = std::iter::once(self.by.as_str()).chain(CSV_COLUMNS).collect();
        push_csv_line(&mut out, header.into_iter().map(str::to_string));
        for row in &self.rows {
            push_csv_line(&mut out, std::iter::once(row.key.clone()).chain(row.cells("")));
        }
        out
    }
}

/// Groups `cases` (opened at or after `since`, Unix seconds, when given).
///
/// For [`By::Exit`] and [`By::Port`] a case counts once in each group it
/// names (an address or port named twice in one case still counts once), and
/// cases naming none go to the `(none)` row.
pub fn stats(cases: &[CaseFacts], by: By, since: Option<i64>) -> StatsTable {
    let kept: Vec<&CaseFacts> = cases.iter().filter(|c| since.is_none_or(|s| c.opened_at >= s)).collect();

    let mut groups: BTreeMap<SortKey, Vec<&CaseFacts>> = BTreeMap::new();
    for &case in &kept {
        for key in keys_of(case, by) {
            groups.entry(key).or_default().push(case);
        }
    }

    let mut rows: Vec<(SortKey, StatsRow)> =
        groups.into_iter().map(|(k, members)| (k.clone(), summarise(k.label(), &members))).collect();
    if by != By::Month {
        // Stable sort: equal counts keep the key order of the map.
        rows.sort_by_key(|(_, r)| std::cmp::Reverse(r.cases));
    }

    StatsTable {
        by,
        since,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        total: summarise("total".to_string(), &kept),
    }
}

/// The key of a group the database computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupKey {
    /// A UTC day (Unix seconds / 86 400): days are summed into months.
    Day(i64),
    /// A port.
    Port(u16),
    /// A scenario id, kind id, reporter or exit address.
    Text(String),
}

/// The row of one group's counts.
fn counts_row(c: &StatsCounts, key: String) -> StatsRow {
    StatsRow {
        key,
        cases: c.cases,
        messages: c.messages,
        open: c.open,
        replied: c.replied,
        median_hours_to_first_reply: histogram_median(&c.reply_minutes).map(|m| m / 60.0),
        deadlines_met: c.met,
        deadlines_missed: c.missed,
    }
}

/// The median of a histogram of (value, count); `None` when empty.
fn histogram_median(h: &[(i64, u64)]) -> Option<f64> {
    let mut h: Vec<(i64, u64)> = h.iter().map(|&(v, n)| (v.max(0), n)).filter(|&(_, n)| n > 0).collect();
    h.sort_unstable();
    let n: u64 = h.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let nth = |k: u64| -> i64 {
        let mut seen = 0;
        for &(v, c) in &h {
            seen += c;
            if seen > k {
                return v;
            }
        }
        h.last().map_or(0, |&(v, _)| v)
    };
    Some(if n % 2 == 1 { nth(n / 2) as f64 } else { (nth(n / 2 - 1) + nth(n / 2)) as f64 / 2.0 })
}

/// The same table as [`stats`], from counts a database computed per group
/// (`none`: the cases naming no exit or port; `total`: every case once).
/// Medians are to the minute.
pub fn stats_from_counts(
    by: By,
    since: Option<i64>,
    groups: Vec<(GroupKey, StatsCounts)>,
    none: Option<StatsCounts>,
    total: StatsCounts,
) -> StatsTable {
    let mut merged: BTreeMap<SortKey, StatsCounts> = BTreeMap::new();
    for (k, c) in groups {
        let key = match k {
            GroupKey::Day(d) => d
                .checked_mul(86_400)
                .and_then(utc_date)
                .map_or(SortKey::BadDate, |d| SortKey::Month(d.year(), d.month())),
            GroupKey::Port(p) => SortKey::Port(p),
            GroupKey::Text(t) => SortKey::Text(t),
        };
        merged.entry(key).or_default().add(&c);
    }
    if let Some(n) = none {
        merged.entry(SortKey::None).or_default().add(&n);
    }
    let mut rows: Vec<StatsRow> = merged.into_iter().map(|(k, c)| counts_row(&c, k.label())).collect();
    if by != By::Month {
        rows.sort_by_key(|r| std::cmp::Reverse(r.cases));
    }
    StatsTable { by, since, rows, total: counts_row(&total, "total".to_string()) }
}

/// A group key that sorts the way the rows should: months and ports by
/// number, text by its bytes, `(none)` and unreadable dates last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    /// A month (year, month).
    Month(i16, i8),
    /// A port.
    Port(u16),
    /// Any text key (scenario id, reporter, exit address).
    Text(String),
    /// A case opened at a time outside the calendar.
    BadDate,
    /// No exit or no port named.
    None,
}

impl SortKey {
    /// The key as the row shows it.
    fn label(&self) -> String {
        match self {
            SortKey::Month(y, m) => format!("{y:04}-{m:02}"),
            SortKey::Port(p) => p.to_string(),
            SortKey::Text(t) => t.clone(),
            SortKey::BadDate => "(bad date)".to_string(),
            SortKey::None => NONE_KEY.to_string(),
        }
    }
}

/// The groups a case counts in.
fn keys_of(case: &CaseFacts, by: By) -> Vec<SortKey> {
    match by {
        By::Month => vec![utc_date(case.opened_at).map_or(SortKey::BadDate, |d| SortKey::Month(d.year(), d.month()))],
        By::Scenario => vec![SortKey::Text(case.scenario.as_str().to_string())],
        By::Kind => vec![SortKey::Text(case.kind.as_str().to_string())],
        By::Reporter => vec![SortKey::Text(case.reporter.clone())],
        By::Exit => {
            let mut keys: Vec<SortKey> = case.exit_ips.iter().map(|ip| SortKey::Text(ip.trim().to_string())).collect();
            keys.sort();
            keys.dedup();
            if keys.is_empty() { vec![SortKey::None] } else { keys }
        }
        By::Port => {
            let mut keys: Vec<SortKey> = case.ports.iter().map(|&p| SortKey::Port(p)).collect();
            keys.sort();
            keys.dedup();
            if keys.is_empty() { vec![SortKey::None] } else { keys }
        }
    }
}

/// The counts of one group.
fn summarise(key: String, cases: &[&CaseFacts]) -> StatsRow {
    let mut row = StatsRow {
        key,
        cases: cases.len() as u64,
        messages: 0,
        open: 0,
        replied: 0,
        median_hours_to_first_reply: None,
        deadlines_met: 0,
        deadlines_missed: 0,
    };
    let mut hours = Vec::new();
    for c in cases {
        row.messages += u64::from(c.messages);
        row.open += u64::from(c.state.is_open());
        if let Some(h) = hours_to_first_reply(c) {
            row.replied += 1;
            hours.push(h);
        }
        match deadline_outcome(c, None) {
            Some(DeadlineOutcome::Met) => row.deadlines_met += 1,
            Some(DeadlineOutcome::Missed) => row.deadlines_missed += 1,
            Some(DeadlineOutcome::Pending) | None => {}
        }
    }
    row.median_hours_to_first_reply = median(&mut hours);
    row
}

/// The UTC calendar date of an instant (Unix seconds); `None` outside the
/// range jiff supports.
pub(crate) fn utc_date(secs: i64) -> Option<Date> {
    Timestamp::from_second(secs).ok().map(|ts| TimeZone::UTC.to_datetime(ts).date())
}

/// Hours from opening to the first reply, if one was sent (a reply stamped
/// before the opening, from a skewed clock, counts as 0).
pub(crate) fn hours_to_first_reply(case: &CaseFacts) -> Option<f64> {
    let reply = case.first_reply_at?;
    Some(reply.saturating_sub(case.opened_at).max(0) as f64 / 3600.0)
}

/// The median of `values` (the mean of the two middle ones for an even
/// count); `None` when empty. Sorts `values`.
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// How a case with a deadline fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeadlineOutcome {
    /// Replied at or before the deadline.
    Met,
    /// Replied after it, or not replied and the deadline has passed.
    Missed,
    /// Not replied, and the deadline has not passed (or no clock was given).
    Pending,
}

/// How `case` fared against its deadline; `None` when it has none. `now`
/// (Unix seconds) decides unreplied cases: past the deadline they missed it;
/// without `now` they are pending.
pub(crate) fn deadline_outcome(case: &CaseFacts, now: Option<i64>) -> Option<DeadlineOutcome> {
    let deadline = case.deadline?;
    Some(match case.first_reply_at {
        Some(r) if r <= deadline => DeadlineOutcome::Met,
        Some(_) => DeadlineOutcome::Missed,
        None if now.is_some_and(|n| n > deadline) => DeadlineOutcome::Missed,
        None => DeadlineOutcome::Pending,
    })
}

/// `s` with control characters (terminal escapes, line breaks) shown as `?`.
fn printable(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// Appends one CSV record and its CRLF.
fn push_csv_line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(&f));
    }
    out.push_str("\r\n");
}

/// One CSV field: formula-looking text gets a leading `'`, then text with a
/// comma, quote or line break is quoted (quotes doubled).
fn csv_field(s: &str) -> String {
    let mut f = String::with_capacity(s.len() + 3);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        f.push('\'');
    }
    f.push_str(s);
    if f.contains([',', '"', '\r', '\n']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use exitdesk_model::{CaseState, Kind, Scenario};

    use super::*;

    /// 2025-10-14 12:00:00 UTC (a Tuesday).
    const OCT14: i64 = 1_760_443_200;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;

    fn case(id: i64, scenario: Scenario, reporter: &str, opened_at: i64) -> CaseFacts {
        CaseFacts {
            id,
            state: CaseState::Drafted,
            scenario,
            kind: Kind::Traffic,
            reporter: reporter.to_string(),
            country: None,
            exit_ips: Vec::new(),
            ports: Vec::new(),
            opened_at,
            deadline: None,
            first_reply_at: None,
            messages: 1,
        }
    }

    fn keys(t: &StatsTable) -> Vec<&str> {
        t.rows.iter().map(|r| r.key.as_str()).collect()
    }

    #[test]
    fn names_round_trip() {
        for by in [By::Month, By::Scenario, By::Kind, By::Reporter, By::Exit, By::Port] {
            assert_eq!(By::from_name(by.as_str()), Some(by));
            assert_eq!(serde_json::to_value(by).unwrap(), by.as_str());
        }
        assert_eq!(By::from_name("country"), None);
    }

    #[test]
    fn months_sort_chronologically() {
        let cases = [
            case(1, Scenario::Other, "a@x.de", OCT14),
            case(2, Scenario::Other, "a@x.de", OCT14 - 60 * DAY),
            case(3, Scenario::Other, "a@x.de", OCT14 + 3 * DAY),
            case(4, Scenario::Other, "a@x.de", OCT14 - 365 * DAY),
            case(5, Scenario::Other, "a@x.de", OCT14 + 90 * DAY),
        ];
        let t = stats(&cases, By::Month, None);
        assert_eq!(keys(&t), ["2024-10", "2025-08", "2025-10", "2026-01"]);
        assert_eq!(t.rows[2].cases, 2);
        assert_eq!(t.total.cases, 5);
    }

    #[test]
    fn other_groupings_sort_by_count_then_key() {
        let cases = [
            case(1, Scenario::Hacking, "b@x.de", OCT14),
            case(2, Scenario::Copyright, "a@x.de", OCT14),
            case(3, Scenario::Copyright, "c@x.de", OCT14),
            case(4, Scenario::DosScraping, "c@x.de", OCT14),
            case(5, Scenario::Copyright, "c@x.de", OCT14),
        ];
        let t = stats(&cases, By::Scenario, None);
        assert_eq!(keys(&t), ["copyright", "dos_scraping", "hacking"]);
        assert_eq!(t.rows.iter().map(|r| r.cases).collect::<Vec<_>>(), [3, 1, 1]);
        let t = stats(&cases, By::Reporter, None);
        assert_eq!(keys(&t), ["c@x.de", "a@x.de", "b@x.de"]);
    }

    #[test]
    fn kinds_group_apart_from_scenarios() {
        let mut cases = Vec::new();
        for (id, kind) in [
            (1, Kind::Traffic),
            (2, Kind::LawEnforcement),
            (3, Kind::Traffic),
            (4, Kind::Hosted),
            (5, Kind::LawEnforcement),
            (6, Kind::Traffic),
        ] {
            let mut c = case(id, Scenario::Other, "a@x.de", OCT14);
            c.kind = kind;
            cases.push(c);
        }
        cases[1].first_reply_at = Some(OCT14 + 4 * HOUR);
        let t = stats(&cases, By::Kind, None);
        assert_eq!(keys(&t), ["traffic", "law_enforcement", "hosted"]);
        assert_eq!(t.rows.iter().map(|r| r.cases).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(t.rows[1].replied, 1);
        assert_eq!(t.total.cases, 6);
        assert!(t.render_table().starts_with("kind "), "{}", t.render_table());
        assert!(t.render_csv().starts_with("kind,cases,"));
        // The same from counts a database summed.
        let counts = |n: u64| StatsCounts { cases: n, messages: n, open: n, ..StatsCounts::default() };
        let groups = vec![(GroupKey::Text("hosted".into()), counts(1)), (GroupKey::Text("traffic".into()), counts(3))];
        let t = stats_from_counts(By::Kind, None, groups, None, counts(4));
        assert_eq!(keys(&t), ["traffic", "hosted"]);
    }

    #[test]
    fn since_keeps_cases_opened_at_or_after_it() {
        let cases = [
            case(1, Scenario::Other, "a@x.de", OCT14 - 1),
            case(2, Scenario::Other, "a@x.de", OCT14),
            case(3, Scenario::Other, "a@x.de", OCT14 + 1),
        ];
        let t = stats(&cases, By::Reporter, Some(OCT14));
        assert_eq!(t.total.cases, 2);
        assert_eq!(t.rows[0].cases, 2);
        assert_eq!(stats(&cases, By::Reporter, None).total.cases, 3);
        assert!(stats(&cases, By::Reporter, Some(OCT14 + 2)).rows.is_empty());
    }

    #[test]
    fn exits_and_ports_count_a_case_in_each_group() {
        let mut a = case(1, Scenario::SshBruteforce, "a@x.de", OCT14);
        a.exit_ips = vec!["192.0.2.1".into(), "2001:db8::1".into(), "192.0.2.1".into()];
        a.ports = vec![22, 2222, 22];
        a.messages = 4;
        let mut b = case(2, Scenario::SshBruteforce, "a@x.de", OCT14);
        b.exit_ips = vec!["192.0.2.1".into()];
        b.ports = vec![22];
        let c = case(3, Scenario::Other, "a@x.de", OCT14);

        let t = stats(&[a.clone(), b.clone(), c.clone()], By::Exit, None);
        assert_eq!(keys(&t), ["192.0.2.1", "2001:db8::1", "(none)"]);
        assert_eq!(t.rows.iter().map(|r| r.cases).collect::<Vec<_>>(), [2, 1, 1]);
        assert_eq!(t.rows[0].messages, 5);
        assert_eq!(t.total.cases, 3);
        assert_eq!(t.total.messages, 6);

        let t = stats(&[a, b, c], By::Port, None);
        assert_eq!(keys(&t), ["22", "2222", "(none)"]);
        assert_eq!(t.rows.iter().map(|r| r.cases).collect::<Vec<_>>(), [2, 1, 1]);
    }

    #[test]
    fn ports_tie_break_by_number() {
        let mut cases = Vec::new();
        for (i, p) in [443u16, 80, 8080, 25].into_iter().enumerate() {
            let mut c = case(i as i64, Scenario::Other, "a@x.de", OCT14);
            c.ports = vec![p];
            cases.push(c);
        }
        assert_eq!(keys(&stats(&cases, By::Port, None)), ["25", "80", "443", "8080"]);
    }

    #[test]
    fn counts_from_a_database_give_the_same_table() {
        let mut cases = vec![case(1, Scenario::SshBruteforce, "a@x.example", 0)];
        cases[0].first_reply_at = Some(7200);
        cases.push(case(2, Scenario::SshBruteforce, "b@x.example", 86_400 * 40));
        let direct = stats(&cases, By::Month, None);
        let day = |c: &CaseFacts| StatsCounts {
            cases: 1,
            messages: u64::from(c.messages),
            open: u64::from(c.state.is_open()),
            replied: u64::from(c.first_reply_at.is_some()),
            reply_minutes: c.first_reply_at.map(|r| vec![((r - c.opened_at) / 60, 1)]).unwrap_or_default(),
            ..StatsCounts::default()
        };
        let mut total = day(&cases[0]);
        total.add(&day(&cases[1]));
        let groups = cases.iter().map(|c| (GroupKey::Day(c.opened_at / 86_400), day(c))).collect();
        assert_eq!(stats_from_counts(By::Month, None, groups, None, total), direct);
        assert_eq!(histogram_median(&[(10, 1), (20, 1)]), Some(15.0));
        assert_eq!(histogram_median(&[(5, 3), (100, 1)]), Some(5.0));
        assert_eq!(histogram_median(&[]), None);
    }

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0]), Some(5.0));
        assert_eq!(median(&mut [9.0, 1.0, 5.0]), Some(5.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }

    #[test]
    fn replies_and_deadlines() {
        let mut met = case(1, Scenario::Other, "a@x.de", OCT14);
        met.deadline = Some(OCT14 + 24 * HOUR);
        met.first_reply_at = Some(OCT14 + 24 * HOUR);
        met.state = CaseState::Closed;
        let mut late = case(2, Scenario::Other, "a@x.de", OCT14);
        late.deadline = Some(OCT14 + 24 * HOUR);
        late.first_reply_at = Some(OCT14 + 30 * HOUR);
        let mut unreplied = case(3, Scenario::Other, "a@x.de", OCT14);
        unreplied.deadline = Some(OCT14 + 24 * HOUR);
        let mut no_deadline = case(4, Scenario::Other, "a@x.de", OCT14);
        no_deadline.first_reply_at = Some(OCT14 + 2 * HOUR);

        let t = stats(&[met.clone(), late.clone(), unreplied.clone(), no_deadline], By::Reporter, None);
        let r = &t.rows[0];
        assert_eq!((r.cases, r.open, r.replied), (4, 3, 3));
        assert_eq!(r.median_hours_to_first_reply, Some(24.0));
        assert_eq!((r.deadlines_met, r.deadlines_missed), (1, 1));
        assert_eq!(&StatsRow { key: r.key.clone(), ..t.total.clone() }, r);

        assert_eq!(deadline_outcome(&met, Some(OCT14 + 99 * DAY)), Some(DeadlineOutcome::Met));
        assert_eq!(deadline_outcome(&late, None), Some(DeadlineOutcome::Missed));
        assert_eq!(deadline_outcome(&unreplied, None), Some(DeadlineOutcome::Pending));
        assert_eq!(deadline_outcome(&unreplied, Some(OCT14 + 24 * HOUR)), Some(DeadlineOutcome::Pending));
        assert_eq!(deadline_outcome(&unreplied, Some(OCT14 + 24 * HOUR + 1)), Some(DeadlineOutcome::Missed));
        assert_eq!(deadline_outcome(&case(5, Scenario::Other, "", OCT14), Some(OCT14)), None);
    }

    #[test]
    fn table_is_aligned_with_header_and_totals() {
        let mut a = case(1, Scenario::Copyright, "dmca@bot.example", OCT14);
        a.first_reply_at = Some(OCT14 + 90 * 60);
        let cases = [a, case(2, Scenario::Copyright, "x@y.de", OCT14), case(3, Scenario::Hacking, "x@y.de", OCT14)];
        let text = stats(&cases, By::Scenario, None).render_table();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("scenario   cases  messages  open  replied  median_h  met  missed"), "{text}");
        assert!(lines[1].starts_with("copyright      2"), "{text}");
        assert!(lines[1].contains("     1.5"), "{text}");
        assert!(lines[2].starts_with("hacking        1"), "{text}");
        assert!(lines[3].starts_with("total          3"), "{text}");
        assert!(lines[2].ends_with("  -    0       0"), "{text}");
        // Every line ends at the same column.
        assert!(lines.iter().all(|l| l.chars().count() == lines[0].chars().count()), "{text}");
    }

    #[test]
    fn table_shows_control_characters_as_question_marks() {
        let cases = [case(1, Scenario::Other, "evil\u{1b}[2J@x.de\nfake", OCT14)];
        let text = stats(&cases, By::Reporter, None).render_table();
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("evil?[2J@x.de?fake"));
        assert_eq!(text.lines().count(), 3);
    }

    #[test]
    fn table_notes_multi_counting_for_exits() {
        let text = stats(&[], By::Exit, None).render_table();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.lines().nth(1).unwrap().starts_with("total"), "{text}");
        assert!(!stats(&[], By::Month, None).render_table().contains("counts once"));
    }

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        let cases = [
            case(1, Scenario::Other, "a,b@x.de", OCT14),
            case(2, Scenario::Other, "say \"hi\"@x.de", OCT14),
            case(3, Scenario::Other, "=HYPERLINK(\"http://evil\")", OCT14),
            case(4, Scenario::Other, "+1@x.de", OCT14),
            case(5, Scenario::Other, "-2@x.de", OCT14),
            case(6, Scenario::Other, "@sum", OCT14),
            case(7, Scenario::Other, "line\nbreak@x.de", OCT14),
            case(8, Scenario::Other, "plain@x.de", OCT14),
        ];
        let csv = stats(&cases, By::Reporter, None).render_csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "reporter,cases,messages,open,replied,median_hours_to_first_reply,deadlines_met,deadlines_missed"
        );
        assert!(csv.ends_with("\r\n"));
        for expected in [
            "\"a,b@x.de\",1,1,1,0,,0,0",
            "\"say \"\"hi\"\"@x.de\",1,1,1,0,,0,0",
            "\"'=HYPERLINK(\"\"http://evil\"\")\",1,1,1,0,,0,0",
            "'+1@x.de,1,1,1,0,,0,0",
            "'-2@x.de,1,1,1,0,,0,0",
            "'@sum,1,1,1,0,,0,0",
            "plain@x.de,1,1,1,0,,0,0",
        ] {
            assert!(lines.contains(&expected), "{expected} missing in {csv}");
        }
        assert!(csv.contains("\"line\nbreak@x.de\",1,"), "{csv}");
        // Header + 8 records + the empty string after the last CRLF.
        assert_eq!(lines.len(), 10, "{csv}");
        assert_eq!(csv_field("12"), "12");
        assert_eq!(csv_field("\tx"), "'\tx");
    }

    #[test]
    fn json_has_rows_and_totals() {
        let mut a = case(1, Scenario::Hacking, "a@x.de", OCT14);
        a.first_reply_at = Some(OCT14 + 2 * HOUR);
        let v = serde_json::to_value(stats(&[a], By::Scenario, Some(0))).unwrap();
        assert_eq!(v["by"], "scenario");
        assert_eq!(v["since"], 0);
        assert_eq!(v["rows"][0]["key"], "hacking");
        assert_eq!(v["rows"][0]["median_hours_to_first_reply"], 2.0);
        assert_eq!(v["total"]["cases"], 1);
    }

    #[test]
    fn dates_outside_the_calendar_do_not_panic() {
        let t = stats(&[case(1, Scenario::Other, "a@x.de", i64::MAX)], By::Month, None);
        assert_eq!(keys(&t), ["(bad date)"]);
        let mut c = case(2, Scenario::Other, "a@x.de", i64::MIN);
        c.first_reply_at = Some(i64::MAX);
        assert!(hours_to_first_reply(&c).unwrap() > 0.0);
    }
}
