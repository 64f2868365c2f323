//! The monthly transparency report: `exitdesk report transparency --month YYYY-MM`.
//!
//! Exit operators publish such reports by hand today (counts of complaints
//! and requests per month, per kind, per requesting country). This one is
//! made from the cases opened in the month (UTC), split by the case's kind:
//! complaints (traffic, content said to be hosted on our addresses, and
//! reminders of a ticket we never saw) with counts per scenario (hosted
//! content a row of its own) and per requester country, and an SVG chart of
//! complaints per ISO week stacked by scenario; law-enforcement requests in a
//! section of their own; mail that was no complaint on one line. Totals, the
//! median time to the first reply and deadline compliance cover complaints
//! and requests. It holds counts only: no mail addresses, no reporter names,
//! no exit addresses, no case ids and no complaint text ever reach it, and
//! the only text in the chart is our own labels.

use std::fmt::Write as _;

use exitdesk_model::{Kind, Scenario};
use jiff::civil::Date;

use crate::facts::CaseFacts;
use crate::stats::{DeadlineOutcome, deadline_outcome, hours_to_first_reply, median, utc_date};

/// A transparency report: Markdown plus the SVG chart it links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransparencyReport {
    /// The report.
    pub markdown: String,
    /// The chart of complaints per week by scenario (a standalone SVG file,
    /// 800×400).
    pub svg: String,
    /// The file name the Markdown links the chart as: `transparency-YYYY-MM.svg`.
    /// The caller writes [`TransparencyReport::svg`] under that name next to
    /// the Markdown.
    pub svg_file: String,
}

/// The report for `month` (`YYYY-MM`) over the cases opened in it (UTC);
/// `now` (Unix seconds) dates it and decides whether an unanswered case has
/// missed its deadline. `cases` may hold cases of other months: they are
/// left out. Fails only on a malformed month.
pub fn transparency_report(cases: &[CaseFacts], month: &str, now: i64) -> Result<TransparencyReport, String> {
    let (year, mon) = parse_month(month)?;
    let first = Date::new(year, mon, 1).map_err(|e| format!("{month:?}: {e}"))?;
    let last = first.last_of_month();
    let in_month: Vec<&CaseFacts> =
        cases.iter().filter(|c| utc_date(c.opened_at).is_some_and(|d| d.year() == year && d.month() == mon)).collect();

    let complaints: Vec<&CaseFacts> = in_month.iter().copied().filter(|c| is_complaint(c.kind)).collect();
    let weeks = weeks_of(first, &complaints);
    let name = format!("{} {year:04}", MONTHS[usize::from(mon.unsigned_abs()) - 1]);
    let key = format!("{year:04}-{mon:02}");
    let svg_file = format!("transparency-{key}.svg");
    let markdown = markdown(&in_month, &weeks, &Period { name: &name, first, last, now }, &svg_file);
    let svg = svg(&weeks, &name);
    Ok(TransparencyReport { markdown, svg, svg_file })
}

/// English month names.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Three-letter month names, for the chart's week labels.
const MONTHS_SHORT: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Parses `YYYY-MM` (year 0001 to 9999, month 01 to 12).
fn parse_month(s: &str) -> Result<(i16, i8), String> {
    let bad = || format!("{s:?} is not a month: expected YYYY-MM, like 2025-10");
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
        return Err(bad());
    }
    // All ASCII from here, so slicing by bytes is safe.
    let year: i16 = s[..4].parse().map_err(|_| bad())?;
    let month: i8 = s[5..].parse().map_err(|_| bad())?;
    if year < 1 || !(1..=12).contains(&month) {
        return Err(bad());
    }
    Ok((year, month))
}

/// Whether a case of this kind counts as a complaint (a reminder that
/// opened a case is about a complaint we never saw).
fn is_complaint(kind: Kind) -> bool {
    matches!(kind, Kind::Traffic | Kind::Hosted | Kind::Reminder)
}

/// The title and id of the complaints table's row of hosted content.
const HOSTED_ROW: (&str, &str) = ("content or a service said to be hosted on our addresses", "hosted");

/// The month being reported on, and when.
struct Period<'a> {
    /// `October 2025`.
    name: &'a str,
    /// Its first day.
    first: Date,
    /// Its last day.
    last: Date,
    /// When the report is made (Unix seconds).
    now: i64,
}

/// One ISO week overlapping the month, with the cases opened in it (days
/// outside the month not counted).
#[derive(Debug, Clone, PartialEq)]
struct Week {
    /// The ISO week number.
    week: i8,
    /// Its Monday (possibly in the month before).
    monday: Date,
    /// Cases opened, per scenario in [`Scenario::ALL`] order.
    counts: [u64; 12],
}

impl Week {
    /// `W42`.
    fn label(&self) -> String {
        format!("W{:02}", self.week)
    }

    /// `Oct 13`: the Monday's date.
    fn monday_label(&self) -> String {
        format!("{} {}", MONTHS_SHORT[usize::from(self.monday.month().unsigned_abs()) - 1], self.monday.day())
    }

    /// Cases opened in the week (within the month).
    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// The position of a scenario in [`Scenario::ALL`].
fn index_of(s: Scenario) -> usize {
    Scenario::ALL.iter().position(|&x| x == s).unwrap_or(Scenario::ALL.len() - 1)
}

/// The ISO weeks overlapping the month starting on `first`, with counts.
fn weeks_of(first: Date, cases: &[&CaseFacts]) -> Vec<Week> {
    let mut weeks: Vec<((i16, i8), Week)> = Vec::new();
    for day in 1..=first.days_in_month() {
        let Ok(date) = Date::new(first.year(), first.month(), day) else { continue };
        let iso = date.iso_week_date();
        let key = (iso.year(), iso.week());
        if weeks.last().is_none_or(|(k, _)| *k != key) {
            let monday = iso.first_of_week().map_or(date, |w| w.date());
            weeks.push((key, Week { week: iso.week(), monday, counts: [0; 12] }));
        }
    }
    for c in cases {
        let Some(date) = utc_date(c.opened_at) else { continue };
        let iso = date.iso_week_date();
        if let Some((_, w)) = weeks.iter_mut().find(|(k, _)| *k == (iso.year(), iso.week())) {
            w.counts[index_of(c.scenario)] += 1;
        }
    }
    weeks.into_iter().map(|(_, w)| w).collect()
}

/// A requester's country as the report prints it: a two-letter code in upper
/// case, else `unknown` (anything else in the field is not shown).
fn country_label(c: &CaseFacts) -> String {
    match &c.country {
        Some(code) if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) => code.to_ascii_uppercase(),
        _ => "unknown".to_string(),
    }
}

/// `n` with the singular or plural of a noun.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Cases per requester country, most frequent first, `unknown` last.
fn per_country(cases: &[&CaseFacts]) -> Vec<(String, u64)> {
    let mut countries: Vec<(String, u64)> = Vec::new();
    for c in cases {
        let label = country_label(c);
        match countries.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => countries.push((label, 1)),
        }
    }
    countries.sort_by(|a, b| (a.0 == "unknown").cmp(&(b.0 == "unknown")).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    countries
}

/// The messages a group of cases holds.
fn messages_of(cases: &[&CaseFacts]) -> u64 {
    cases.iter().map(|c| u64::from(c.messages)).sum()
}

/// The Markdown report.
fn markdown(cases: &[&CaseFacts], weeks: &[Week], p: &Period<'_>, svg_file: &str) -> String {
    let mut md = String::new();
    let of_kind = |f: fn(Kind) -> bool| -> Vec<&CaseFacts> { cases.iter().copied().filter(|c| f(c.kind)).collect() };
    let complaints = of_kind(is_complaint);
    let requests = of_kind(|k| k == Kind::LawEnforcement);
    let filed = of_kind(|k| k == Kind::NotAComplaint);
    // Replies and deadlines: over complaints and requests (filed mail wants no reply).
    let answerable = of_kind(|k| k != Kind::NotAComplaint);
    let total = complaints.len() as u64;

    let _ = writeln!(md, "# Transparency report: {}\n", p.name);
    let _ = writeln!(
        md,
        "Abuse complaints and law-enforcement requests about our Tor exit relays, counted by the cases opened \
         from {} to {} (UTC).",
        p.first, p.last
    );
    let today = utc_date(p.now);
    match today {
        Some(d) if d <= p.last => {
            let _ = writeln!(md, "Made on {d}, before the month was over: later complaints are not counted yet.");
        }
        Some(d) => {
            let _ = writeln!(md, "Made on {d}.");
        }
        None => {}
    }
    let _ = writeln!(
        md,
        "\nThis report holds counts only. It does not contain mail addresses, reporter names, \
         exit addresses, case numbers or the text of any complaint.\n"
    );

    // Totals.
    let _ = writeln!(md, "## Totals\n");
    let _ = writeln!(
        md,
        "- Complaints: {}, {}",
        count(total, "case", "cases"),
        count(messages_of(&complaints), "message", "messages")
    );
    let _ = writeln!(
        md,
        "- Law-enforcement requests: {}, {} (counted apart from complaints)",
        count(requests.len() as u64, "case", "cases"),
        count(messages_of(&requests), "message", "messages")
    );
    if !filed.is_empty() {
        let _ = writeln!(
            md,
            "- Mail that was no complaint (closure notices, newsletters, automatic replies), filed without a reply: {}, {}",
            count(filed.len() as u64, "case", "cases"),
            count(messages_of(&filed), "message", "messages")
        );
    }
    let mut hours: Vec<f64> = answerable.iter().filter_map(|c| hours_to_first_reply(c)).collect();
    let replied = hours.len() as u64;
    let _ = writeln!(md, "- Replied to: {replied} of {}", count(answerable.len() as u64, "case", "cases"));
    match median(&mut hours) {
        Some(h) => {
            let _ = writeln!(
                md,
                "- Median time to first reply: {h:.1} hours (over the {} replied to)",
                count(replied, "case", "cases")
            );
        }
        None => {
            let _ = writeln!(md, "- Median time to first reply: none (no case was replied to)");
        }
    }
    let outcomes: Vec<DeadlineOutcome> = answerable.iter().filter_map(|c| deadline_outcome(c, Some(p.now))).collect();
    let met = outcomes.iter().filter(|&&o| o == DeadlineOutcome::Met).count() as u64;
    let missed = outcomes.iter().filter(|&&o| o == DeadlineOutcome::Missed).count() as u64;
    let pending = outcomes.len() as u64 - met - missed;
    if outcomes.is_empty() {
        let _ = writeln!(md, "- Deadline compliance: no case had a reply deadline");
    } else {
        let decided = met + missed;
        let pct = if decided == 0 { String::new() } else { format!(" ({:.0}%)", met as f64 * 100.0 / decided as f64) };
        let _ = write!(
            md,
            "- Deadline compliance: {met} of {} with a reply deadline answered in time{pct}; {missed} missed \
             (answered late, or not answered when the deadline passed)",
            count(decided, "case", "cases"),
        );
        if pending > 0 {
            let _ = write!(md, "; {} not answered yet, within the deadline", count(pending, "more case", "more cases"));
        }
        md.push('\n');
    }
    md.push('\n');

    if total == 0 {
        let _ = writeln!(md, "No complaints were received in {}.\n", p.name);
    } else {
        // Per scenario, most frequent first, then in the usual order;
        // complaints about hosted content are a row of their own.
        let mut per: Vec<(&str, &str, u64, u64)> = Scenario::ALL
            .into_iter()
            .map(|s| {
                let of: Vec<&CaseFacts> =
                    complaints.iter().copied().filter(|c| c.kind != Kind::Hosted && c.scenario == s).collect();
                (s.title(), s.as_str(), of.len() as u64, messages_of(&of))
            })
            .collect();
        let hosted: Vec<&CaseFacts> = complaints.iter().copied().filter(|c| c.kind == Kind::Hosted).collect();
        per.push((HOSTED_ROW.0, HOSTED_ROW.1, hosted.len() as u64, messages_of(&hosted)));
        per.retain(|&(_, _, n, _)| n > 0);
        per.sort_by_key(|&(_, _, n, _)| std::cmp::Reverse(n));
        let _ = writeln!(md, "## Complaints per scenario\n");
        let _ = writeln!(md, "| Scenario | Id | Cases | Messages |\n|---|---|--:|--:|");
        for (title, id, n, m) in per {
            let _ = writeln!(md, "| {title} | `{id}` | {n} | {m} |");
        }
        md.push('\n');

        let _ = writeln!(md, "## Complaints per requesting country\n");
        let _ = writeln!(
            md,
            "The requester's country, told by the country-code domain of their mail address \
             (`unknown` for generic domains such as `.com`). It is never a Tor user's country.\n"
        );
        let _ = writeln!(md, "| Country | Cases |\n|---|--:|");
        for (label, n) in per_country(&complaints) {
            let _ = writeln!(md, "| {label} | {n} |");
        }
        md.push('\n');
    }

    let _ = writeln!(md, "## Law-enforcement requests\n");
    let _ = writeln!(
        md,
        "Requests for data from police, courts or other authorities, counted apart from the complaints above."
    );
    if requests.is_empty() {
        let _ = writeln!(md, "None were received in {}.\n", p.name);
    } else {
        let replied = requests.iter().filter(|c| c.first_reply_at.is_some()).count() as u64;
        let _ = writeln!(
            md,
            "\n- Requests: {}, {}\n- Replied to: {replied} of {}\n",
            count(requests.len() as u64, "case", "cases"),
            count(messages_of(&requests), "message", "messages"),
            count(requests.len() as u64, "case", "cases"),
        );
        let _ = writeln!(md, "| Requesting country | Requests |\n|---|--:|");
        for (label, n) in per_country(&requests) {
            let _ = writeln!(md, "| {label} | {n} |");
        }
        md.push('\n');
    }

    let _ = writeln!(md, "## Complaints per week\n");
    let _ = writeln!(
        md,
        "Complaints (cases) opened per ISO week (Monday to Sunday, UTC); the first and last weeks count only their \
         days in {}.\n",
        p.name
    );
    let _ = writeln!(md, "![Complaints per week by scenario]({svg_file})\n");
    let _ = writeln!(md, "| Week | From | Cases |\n|---|---|--:|");
    for w in weeks {
        let _ = writeln!(md, "| {} | {} | {} |", w.label(), w.monday, w.total());
    }
    md
}

/// The fixed colour of a scenario in the chart.
fn colour(s: Scenario) -> &'static str {
    match s {
        Scenario::CommentSpam => "#4e79a7",
        Scenario::WebmailSpam => "#f28e2b",
        Scenario::GoogleGroupsSpam => "#e15759",
        Scenario::DosScraping => "#76b7b2",
        Scenario::WebBruteforce => "#59a14f",
        Scenario::SshBruteforce => "#edc948",
        Scenario::AccountCompromise => "#b07aa1",
        Scenario::Hacking => "#ff9da7",
        Scenario::EcommerceFraud => "#9c755f",
        Scenario::Threats => "#d37295",
        Scenario::Copyright => "#8cd17d",
        Scenario::Other => "#bab0ac",
    }
}

/// Text made safe to place in XML content or an attribute.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A round tick step for an axis up to `max`: 1, 2 or 5 times a power of
/// ten, giving at most five steps.
fn tick_step(max: u64) -> u64 {
    let mut base = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = base.saturating_mul(m);
            if max.div_ceil(step) <= 5 {
                return step;
            }
        }
        base = base.saturating_mul(10);
    }
}

/// The chart: complaints per ISO week, stacked by scenario, with a legend of
/// the scenarios present. The bar segments are the only `<rect>`s.
fn svg(weeks: &[Week], month_name: &str) -> String {
    const W: f64 = 800.0;
    const H: f64 = 400.0;
    const LEFT: f64 = 60.0;
    const RIGHT: f64 = 540.0;
    const TOP: f64 = 50.0;
    const BOTTOM: f64 = 330.0;
    const FONT: &str = "font-family=\"sans-serif\"";

    let title = format!("Complaints per week by scenario, {month_name}");
    let max = weeks.iter().map(Week::total).max().unwrap_or(0);
    let step = tick_step(max.max(1));
    let top = max.max(1).div_ceil(step) * step;
    let y_of = |v: f64| BOTTOM - v / top as f64 * (BOTTOM - TOP);

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" \
         role=\"img\" aria-labelledby=\"chart-title\" style=\"background:#ffffff\">"
    );
    let t = xml_escape(&title);
    let _ = writeln!(s, "<title id=\"chart-title\">{t}</title>");
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"28\" {FONT} font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">{t}</text>"
    );

    // Y axis: grid lines, ticks and their labels.
    let _ = writeln!(s, "<g {FONT} font-size=\"11\" fill=\"#444444\" text-anchor=\"end\">");
    let mut v = 0;
    while v <= top {
        let y = y_of(v as f64);
        let _ = writeln!(s, "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{RIGHT}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/>");
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{LEFT}\" y2=\"{y:.1}\" stroke=\"#444444\"/>",
            LEFT - 5.0
        );
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\">{v}</text>", LEFT - 8.0, y + 4.0);
        v += step;
    }
    let _ = writeln!(s, "</g>");
    let mid = (TOP + BOTTOM) / 2.0;
    let _ = writeln!(
        s,
        "<text x=\"18\" y=\"{mid:.1}\" {FONT} font-size=\"12\" fill=\"#444444\" text-anchor=\"middle\" \
         transform=\"rotate(-90 18 {mid:.1})\">cases opened</text>"
    );

    // Bars, one stacked segment per scenario present in the week.
    let slot = (RIGHT - LEFT) / weeks.len().max(1) as f64;
    let bar = slot * 0.6;
    for (i, w) in weeks.iter().enumerate() {
        let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
        let cx = x + bar / 2.0;
        let mut below = 0u64;
        for (k, &n) in w.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let scenario = Scenario::ALL[k];
            let (y0, y1) = (y_of(below as f64), y_of((below + n) as f64));
            let tip = xml_escape(&format!("{}: {}, {n}", w.label(), scenario.title()));
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{tip}</title></rect>",
                y0 - y1,
                colour(scenario)
            );
            below += n;
        }
        if below > 0 {
            let _ = writeln!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" {FONT} font-size=\"11\" fill=\"#222222\" text-anchor=\"middle\">{below}</text>",
                y_of(below as f64) - 4.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"#222222\" text-anchor=\"middle\">{}</text>",
            BOTTOM + 18.0,
            xml_escape(&w.label())
        );
        let _ = writeln!(
            s,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" {FONT} font-size=\"10\" fill=\"#666666\" text-anchor=\"middle\">{}</text>",
            BOTTOM + 32.0,
            xml_escape(&w.monday_label())
        );
    }
    if max == 0 {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{mid:.1}\" {FONT} font-size=\"14\" fill=\"#666666\" text-anchor=\"middle\">No complaints this month</text>",
            (LEFT + RIGHT) / 2.0
        );
    }
    // The axes over the bars.
    let _ = writeln!(s, "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{BOTTOM}\" stroke=\"#444444\"/>");
    let _ = writeln!(s, "<line x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{RIGHT}\" y2=\"{BOTTOM}\" stroke=\"#444444\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"11\" fill=\"#666666\" text-anchor=\"middle\">ISO week (from Monday, UTC)</text>",
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 52.0
    );

    // Legend: the scenarios present, top to bottom as they stack.
    let mut present: Vec<Scenario> = Scenario::ALL
        .into_iter()
        .enumerate()
        .filter(|&(k, _)| weeks.iter().any(|w| w.counts[k] > 0))
        .map(|(_, s)| s)
        .collect();
    present.reverse();
    let _ = writeln!(s, "<g {FONT} font-size=\"12\" fill=\"#222222\">");
    for (j, scenario) in present.into_iter().enumerate() {
        let y = TOP + 10.0 + j as f64 * 22.0;
        let _ = writeln!(s, "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"{}\"/>", RIGHT + 26.0, colour(scenario));
        let _ =
            writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", RIGHT + 38.0, y + 4.0, xml_escape(scenario.title()));
    }
    let _ = writeln!(s, "</g>");
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use exitdesk_model::CaseState;

    use super::*;

    /// 2025-10-01 00:00:00 UTC (a Wednesday; ISO week 40).
    const OCT1: i64 = 1_759_276_800;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;
    /// 2025-11-05, when the October report is made.
    const NOW: i64 = OCT1 + 35 * DAY;

    fn case(id: i64, scenario: Scenario, opened_at: i64) -> CaseFacts {
        CaseFacts {
            id,
            state: CaseState::Sent,
            scenario,
            kind: Kind::Traffic,
            reporter: format!("abuse{id}@hoster.de"),
            country: Some("DE".into()),
            exit_ips: vec!["192.0.2.77".into(), "2001:db8::77".into()],
            ports: vec![22],
            opened_at,
            deadline: None,
            first_reply_at: None,
            messages: 2,
        }
    }

    /// Checks the tags nest properly; returns how many elements of each name opened.
    fn check_balanced(svg: &str) -> std::collections::BTreeMap<String, usize> {
        let mut stack: Vec<String> = Vec::new();
        let mut seen = std::collections::BTreeMap::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').unwrap() + start;
            let tag = &rest[start + 1..end];
            assert!(!tag.contains('<'), "stray < in {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "unbalanced </{name}>");
            } else {
                let name = tag.split([' ', '\n', '/']).next().unwrap().to_string();
                *seen.entry(name.clone()).or_insert(0) += 1;
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            // Text between tags holds no raw `&` other than entities.
            let text_end = rest[end..].find('<').map_or(rest.len(), |i| i + end);
            let text = &rest[end + 1..text_end];
            for (i, _) in text.match_indices('&') {
                let ent = &text[i..];
                assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| ent.starts_with(e)), "{text}");
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        seen
    }

    fn sample() -> Vec<CaseFacts> {
        let mut cases = Vec::new();
        // Week 40 (Oct 1-5): 2 copyright, 1 ssh.
        let mut a = case(101, Scenario::Copyright, OCT1 + HOUR);
        a.deadline = Some(OCT1 + 25 * HOUR);
        a.first_reply_at = Some(OCT1 + 3 * HOUR); // 2 h, met
        a.reporter = "dmca@copyright-bot.example".into();
        a.country = None;
        cases.push(a);
        let mut b = case(102, Scenario::Copyright, OCT1 + DAY);
        b.deadline = Some(OCT1 + 2 * DAY);
        b.first_reply_at = Some(OCT1 + 3 * DAY); // 48 h, missed
        b.country = Some("us".into());
        cases.push(b);
        let mut c = case(103, Scenario::SshBruteforce, OCT1 + 2 * DAY);
        c.deadline = Some(OCT1 + 3 * DAY); // unreplied, past: missed
        cases.push(c);
        // Week 42: 1 ssh, replied in 10 h, no deadline.
        let mut d = case(104, Scenario::SshBruteforce, OCT1 + 14 * DAY);
        d.first_reply_at = Some(OCT1 + 14 * DAY + 10 * HOUR);
        cases.push(d);
        // Week 44 (Oct 27-31): 1 hacking, unreplied, deadline ahead of NOW.
        let mut e = case(105, Scenario::Hacking, OCT1 + 30 * DAY);
        e.deadline = Some(NOW + DAY);
        e.country = Some("<script>".into());
        cases.push(e);
        // Other months: left out.
        cases.push(case(106, Scenario::Threats, OCT1 - 1));
        cases.push(case(107, Scenario::Threats, OCT1 + 31 * DAY));
        cases
    }

    #[test]
    fn malformed_months_are_refused() {
        for bad in [
            "",
            "2025",
            "2025-1",
            "2025-13",
            "2025-00",
            "25-10",
            "2025/10",
            "2025-10-01",
            "0000-01",
            "２０２５-10",
            "+202-10",
        ] {
            let err = transparency_report(&[], bad, NOW).unwrap_err();
            assert!(err.contains("YYYY-MM"), "{bad}: {err}");
        }
        assert!(transparency_report(&[], "2025-10", NOW).is_ok());
    }

    #[test]
    fn report_counts_the_month() {
        let r = transparency_report(&sample(), "2025-10", NOW).unwrap();
        let md = &r.markdown;
        assert!(md.starts_with("# Transparency report: October 2025\n"), "{md}");
        assert!(md.contains("from 2025-10-01 to 2025-10-31"), "{md}");
        assert!(md.contains("Made on 2025-11-05."), "{md}");
        assert!(md.contains("- Complaints: 5 cases, 10 messages"), "{md}");
        assert!(md.contains("- Replied to: 3 of 5 cases"), "{md}");
        // 2 h, 10 h, 48 h.
        assert!(md.contains("- Median time to first reply: 10.0 hours (over the 3 cases replied to)"), "{md}");
        assert!(md.contains("1 of 3 cases with a reply deadline answered in time (33%); 2 missed"), "{md}");
        assert!(md.contains("1 more case not answered yet"), "{md}");
        assert!(md.contains("| copyright notice | `copyright` | 2 | 4 |"), "{md}");
        assert!(md.contains("| SSH/service login brute force | `ssh_bruteforce` | 2 | 4 |"), "{md}");
        assert!(md.contains("| hacking attempts | `hacking` | 1 | 2 |"), "{md}");
        assert!(!md.contains("threats"), "{md}");
        // Countries: DE 2, US 1, unknown 2 (None and a bogus value), unknown last.
        let de = md.find("| DE | 2 |").unwrap();
        let us = md.find("| US | 1 |").unwrap();
        let unknown = md.find("| unknown | 2 |").unwrap();
        assert!(de < us && us < unknown, "{md}");
        assert!(md.contains("does not contain mail addresses, reporter names"), "{md}");
        assert!(md.contains("![Complaints per week by scenario](transparency-2025-10.svg)"), "{md}");
        assert_eq!(r.svg_file, "transparency-2025-10.svg");
        for week in [
            "| W40 | 2025-09-29 | 3 |",
            "| W41 | 2025-10-06 | 0 |",
            "| W42 | 2025-10-13 | 1 |",
            "| W44 | 2025-10-27 | 1 |",
        ] {
            assert!(md.contains(week), "{week} in {md}");
        }
    }

    #[test]
    fn report_holds_no_personal_data() {
        let mut cases = sample();
        cases[0].reporter = "jane.doe@secret-isp.example".into();
        // Ids unlike any coordinate or count in the output.
        for (i, c) in cases.iter_mut().enumerate() {
            c.id = 31_415_926 + i as i64;
        }
        let r = transparency_report(&cases, "2025-10", NOW).unwrap();
        for text in [&r.markdown, &r.svg] {
            for c in &cases {
                assert!(!text.contains(&c.reporter), "{} leaked", c.reporter);
                for ip in &c.exit_ips {
                    assert!(!text.contains(ip.as_str()), "{ip} leaked");
                }
                assert!(!text.contains(&c.id.to_string()), "case id {} leaked", c.id);
            }
            assert!(!text.contains('@'));
            assert!(!text.contains("hoster"));
            assert!(!text.contains("script"));
        }
    }

    #[test]
    fn law_enforcement_requests_and_hosted_content_are_counted_apart() {
        let mut cases = sample();
        // A request for data (replied to), a second one from an unknown country.
        let mut le = case(201, Scenario::Other, OCT1 + 3 * DAY);
        le.kind = Kind::LawEnforcement;
        le.reporter = "officer@police.example.nl".into();
        le.country = Some("NL".into());
        le.messages = 3;
        le.first_reply_at = Some(OCT1 + 4 * DAY);
        cases.push(le);
        let mut le2 = case(202, Scenario::Threats, OCT1 + 20 * DAY);
        le2.kind = Kind::LawEnforcement;
        le2.country = None;
        le2.messages = 1;
        cases.push(le2);
        // A phishing page said to be hosted on the address.
        let mut hosted = case(203, Scenario::Other, OCT1 + 5 * DAY);
        hosted.kind = Kind::Hosted;
        cases.push(hosted);
        // A closure notice, and a reminder that opened a case.
        let mut filed = case(204, Scenario::Other, OCT1 + 6 * DAY);
        filed.kind = Kind::NotAComplaint;
        filed.messages = 1;
        cases.push(filed);
        let mut reminder = case(205, Scenario::SshBruteforce, OCT1 + 6 * DAY);
        reminder.kind = Kind::Reminder;
        cases.push(reminder);

        let r = transparency_report(&cases, "2025-10", NOW).unwrap();
        let md = &r.markdown;
        // 5 complaints of the sample + hosted + reminder; requests apart.
        assert!(md.contains("- Complaints: 7 cases, 14 messages"), "{md}");
        assert!(md.contains("- Law-enforcement requests: 2 cases, 4 messages (counted apart from complaints)"), "{md}");
        assert!(md.contains("filed without a reply: 1 case, 1 message"), "{md}");
        // Replies over complaints and requests: 3 of the sample + the request.
        assert!(md.contains("- Replied to: 4 of 9 cases"), "{md}");
        // The hosted complaint is a row of its own, not counted as `other`.
        assert!(md.contains("| content or a service said to be hosted on our addresses | `hosted` | 1 | 2 |"), "{md}");
        assert!(!md.contains("`other`"), "{md}");
        assert!(md.contains("| SSH/service login brute force | `ssh_bruteforce` | 3 | 6 |"), "{md}");
        // The request about threats is not a threats complaint.
        assert!(!md.contains("`threats`"), "{md}");
        let le = md.find("## Law-enforcement requests").unwrap();
        let section = &md[le..md.find("## Complaints per week").unwrap()];
        assert!(section.contains("- Requests: 2 cases, 4 messages\n- Replied to: 1 of 2 cases"), "{section}");
        assert!(section.contains("| NL | 1 |") && section.contains("| unknown | 1 |"), "{section}");
        // Countries of complaints leave the requests out.
        let complaints_countries = &md[md.find("## Complaints per requesting country").unwrap()..le];
        assert!(!complaints_countries.contains("| NL |"), "{complaints_countries}");
        // The chart and weeks count complaints only: W41 has the hosted one,
        // the reminder (not the closure notice), and the request is left out.
        assert!(md.contains("| W41 | 2025-10-06 | 2 |"), "{md}");
        assert!(md.contains("| W40 | 2025-09-29 | 3 |"), "{md}");
        assert!(!md.contains("officer") && !md.contains("police.example") && !r.svg.contains("police"), "{md}");
    }

    #[test]
    fn a_month_without_requests_says_so() {
        let md = transparency_report(&sample(), "2025-10", NOW).unwrap().markdown;
        assert!(md.contains("- Law-enforcement requests: 0 cases, 0 messages"), "{md}");
        assert!(md.contains("## Law-enforcement requests\n\nRequests for data"), "{md}");
        assert!(md.contains("None were received in October 2025."), "{md}");
        assert!(!md.contains("no complaint"), "{md}");
    }

    #[test]
    fn partial_month_and_empty_month() {
        let r = transparency_report(&sample(), "2025-10", OCT1 + 20 * DAY).unwrap();
        assert!(r.markdown.contains("Made on 2025-10-21, before the month was over"), "{}", r.markdown);
        let r = transparency_report(&sample(), "2024-02", NOW).unwrap();
        assert!(r.markdown.contains("No complaints were received in February 2024."), "{}", r.markdown);
        assert!(r.markdown.contains("no case had a reply deadline"), "{}", r.markdown);
        assert!(r.markdown.contains("none (no case was replied to)"), "{}", r.markdown);
        assert!(!r.markdown.contains("## Complaints per scenario"));
        assert!(r.svg.contains("No complaints this month"));
        assert_eq!(check_balanced(&r.svg).get("rect"), None);
        // 2024-02-01 is a Thursday of W05; the 29th a Thursday of W09.
        assert!(r.markdown.contains("| W05 | 2024-01-29 | 0 |") && r.markdown.contains("| W09 | 2024-02-26 | 0 |"));
    }

    #[test]
    fn weeks_across_the_new_year() {
        // 2026-01-01 is a Thursday: ISO week 1 of 2026 starts on 2025-12-29.
        let jan1 = 1_767_225_600;
        let r = transparency_report(&[case(1, Scenario::Other, jan1)], "2026-01", jan1 + 40 * DAY).unwrap();
        assert!(r.markdown.contains("| W01 | 2025-12-29 | 1 |"), "{}", r.markdown);
        // 2025-12: its last days (29-31) are in W01 of 2026.
        let r = transparency_report(&[case(1, Scenario::Other, jan1 - DAY)], "2025-12", jan1 + 40 * DAY).unwrap();
        assert!(r.markdown.contains("| W01 | 2025-12-29 | 1 |"), "{}", r.markdown);
        assert!(r.markdown.contains("| W49 | 2025-12-01 | 0 |"), "{}", r.markdown);
    }

    #[test]
    fn svg_is_a_well_formed_stacked_chart() {
        let r = transparency_report(&sample(), "2025-10", NOW).unwrap();
        let svg = &r.svg;
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 800 400\""));
        let seen = check_balanced(svg);
        // Non-zero segments: W40 copyright + ssh, W42 ssh, W44 hacking.
        assert_eq!(seen.get("rect"), Some(&4), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 4);
        // Legend: one swatch per scenario present, with its fixed colour.
        assert_eq!(seen.get("circle"), Some(&3));
        for s in [Scenario::Copyright, Scenario::SshBruteforce, Scenario::Hacking] {
            assert!(svg.contains(&format!("fill=\"{}\"", colour(s))));
        }
        assert!(!svg.contains(colour(Scenario::Threats)));
        for label in ["W40", "W41", "W42", "W43", "W44", "Sep 29", "Oct 27"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
        // Y ticks 0..3 (max week total 3).
        for tick in 0..=3 {
            assert!(svg.contains(&format!(">{tick}</text>")), "tick {tick}");
        }
        assert!(svg.contains("hacking attempts"));
    }

    #[test]
    fn colours_are_distinct_and_ticks_round() {
        let mut colours: Vec<_> = Scenario::ALL.into_iter().map(colour).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), Scenario::ALL.len());
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(5), 1);
        assert_eq!(tick_step(6), 2);
        assert_eq!(tick_step(23), 5);
        assert_eq!(tick_step(51), 20);
        assert_eq!(tick_step(999), 200);
        assert_eq!(xml_escape("a<b & \"c\"\u{7}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn many_scenarios_in_one_week_stack_in_order() {
        let cases: Vec<CaseFacts> =
            Scenario::ALL.into_iter().enumerate().map(|(i, s)| case(i as i64, s, OCT1 + 7 * DAY)).collect();
        let r = transparency_report(&cases, "2025-10", NOW).unwrap();
        assert_eq!(check_balanced(&r.svg).get("rect"), Some(&12));
        assert_eq!(check_balanced(&r.svg).get("circle"), Some(&12));
        // The first scenario sits at the bottom (largest y).
        let ys: Vec<f64> = r
            .svg
            .match_indices("<rect x=")
            .map(|(i, _)| {
                let after: &str = r.svg[i..].split("y=\"").nth(1).unwrap();
                after[..after.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert!(ys.windows(2).all(|w| w[0] > w[1]), "{ys:?}");
    }
}
