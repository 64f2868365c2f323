//! Clocks written without their date, joined to the date the statement gives.
//!
//! A statement often writes its date once and its clocks apart: spans and
//! pairs ("from 14:22 to 15:10 CET on 7 March 2025", "between 03:10:44 and
//! 03:58:02 (CEST) on 2025-06-04", "first seen 2025-11-03 08:12:45 UTC, last
//! seen 08:31:02", "von 14:22 bis 15:10 Uhr", "с 01:12:40 до 03:55:02").
//! [`Clocks::bare`] finds the clocks no full timestamp covers, each with the
//! word that introduces it; [`Clocks::dates`] finds dates written without a
//! clock. `TimeParser` joins them: a clock takes the date of the full time
//! before it in the statement, or the date written in its sentence, and the
//! zone written once for the statement. A clock needs an introducing word
//! (at, from, to, and, bis, до, …) or a zone of its own: a bare number pair
//! in prose is not read.

use jiff::civil::Date;
use regex::Regex;

/// One clock without a date.
#[derive(Debug, Clone)]
pub(crate) struct Bare {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) hour: i8,
    pub(crate) minute: i8,
    pub(crate) second: i8,
    /// Whether the word before it ends a span ("to", "bis", "до", "-"):
    /// the clock is the second end of what came before.
    pub(crate) second_end: bool,
    /// Whether a word introduces it at all (first or second end).
    pub(crate) cued: bool,
}

/// One date without a clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateOnly {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) date: Date,
}

/// Words ending a span or adding a further time: the clock after them is a
/// second end ("to", "and", "bis", "au", "y", "до", "do", "–").
const SECOND_WORDS: &[&str] = &[
    "to",
    "until",
    "till",
    "through",
    "thru",
    "and",
    "again",
    "last seen",
    "ended",
    "end",
    "bis",
    "und",
    "au",
    "et",
    "à",
    "a",
    "y",
    "hasta",
    "e",
    "até",
    "às",
    "as",
    "tot",
    "en",
    "do",
    "až",
    "a\u{17e}",
    "i",
    "до",
    "по",
    "и",
    "-",
    "–",
    "—",
    "alle",
    "a las",
    "alle ore",
    "hasta las",
    "até às",
    "até as",
    "bis um",
    "jusqu'à",
    "jusqu’à",
    "do godz.",
    "do godziny",
    "e le",
    "ed alle",
];

/// Words starting a span or introducing a clock ("from", "between", "at",
/// "von", "entre", "с", "od", "first seen").
const FIRST_WORDS: &[&str] = &[
    "at",
    "from",
    "between",
    "since",
    "around",
    "about",
    "approximately",
    "approx.",
    "@",
    "first seen",
    "seen",
    "started",
    "start",
    "von",
    "zwischen",
    "ab",
    "gegen",
    "de",
    "du",
    "dès",
    "entre",
    "desde",
    "das",
    "dalle",
    "dalle ore",
    "tra",
    "fra",
    "tra le",
    "fra le",
    "dal",
    "tussen",
    "vanaf",
    "van",
    "od",
    "mezi",
    "от",
    "с",
    "со",
    "между",
    "около",
    "ore",
    "godz.",
    "godziny",
    "godzinie",
    "hod.",
    "hodin",
    "alle",
    "las",
    "om",
    "um",
    "o",
    "v",
    "ve",
    "в",
];

/// Words of an estimate that may stand between a span's word and its clock
/// ("until about 1:45 AM", "bis etwa 14:30").
pub(crate) const ESTIMATE_WORDS: &[&str] =
    &["about", "around", "approximately", "approx.", "roughly", "circa", "ca.", "etwa", "gegen", "vers", "hacia"];

/// Compiled patterns. Build once, reuse.
#[derive(Debug, Clone)]
pub(crate) struct Clocks {
    clock: Regex,
    iso: Regex,
    dotted: Regex,
    slashed: Regex,
    day_month: Regex,
    month_day: Regex,
    local: Regex,
}

impl Clocks {
    pub(crate) fn new() -> Clocks {
        const MON: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
        Clocks {
            clock: crate::re::compile(
                r"(?i)(?:(?P<h>[0-9]{1,2})(?::(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?|\s?h\s?(?P<mi2>[0-9]{2})(?:\s?(?:min\.?|m)(?:\s?(?P<s2>[0-9]{2})\s?s\b)?)?|\.(?P<mi3>[0-9]{2})\s?(?:uur|uhr)\b|\s?ч\.?\s?(?P<mi4>[0-9]{2})\s?мин\.?)(?:\s?(?P<ap>[ap])(?:\.\s?)?m\.?)?|\b(?P<noon>noon|midday|midnight)\b)",
            ),
            // Year first, with dashes, slashes or dots ("2025/08/01": WordPress, Japanese and Chinese usage).
            iso: crate::re::compile(
                r"\b(?P<y>(?:19|20)[0-9]{2})(?:-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})|/(?P<m2>[0-9]{1,2})/(?P<d2>[0-9]{1,2})|\.(?P<m3>[0-9]{1,2})\.(?P<d3>[0-9]{1,2}))\b",
            ),
            dotted: crate::re::compile(r"\b(?P<d>[0-9]{1,2})\. ?(?P<m>[0-9]{1,2})\. ?(?P<y>(?:19|20)[0-9]{2})\b"),
            slashed: crate::re::compile(r"\b(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<y>(?:19|20)[0-9]{2})\b"),
            day_month: crate::re::compile(&format!(
                r"(?i)\b(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>{MON})\.?,?\s+(?P<y>(?:19|20)[0-9]{{2}})\b"
            )),
            month_day: crate::re::compile(&format!(
                r"(?i)\b(?P<mon>{MON})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)[0-9]{{2}})\b"
            )),
            local: crate::re::compile(
                r"(?i)\b(?P<d>[0-9]{1,2})\.?\s+(?:de\s+)?(?P<mon>\p{L}+)\.?\s+(?:de\s+)?(?P<y>(?:19|20)[0-9]{2})(?:\s*г\.?)?",
            ),
        }
    }

    /// Every clock on `line` outside `taken` (byte ranges of full
    /// timestamps), in order.
    pub(crate) fn bare(&self, line: &str, taken: &[(usize, usize)]) -> Vec<Bare> {
        let mut out = Vec::new();
        let b = line.as_bytes();
        for c in self.clock.captures_iter(line) {
            let Some(all) = c.get(0) else { continue };
            let (start, mut end) = (all.start(), all.end());
            if taken.iter().any(|(s, e)| start < *e && *s < end) {
                continue;
            }
            // Not part of a number, an address, a version or a word.
            let prev = start.checked_sub(1).map(|i| b[i]);
            if prev.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, b':' | b'.' | b'/' | b'+' | b'_')) {
                continue;
            }
            let next = b.get(end).copied();
            if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == b':' || n == b'/' || n == b'_')
                || (next == Some(b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit))
            {
                // "14h22min" or "12:34:56:78": no clock. A marker's dot may be eaten.
                if !(c.name("ap").is_some() && next.is_some_and(|n| n == b' ')) {
                    continue;
                }
            }
            let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i8>().ok());
            // "until noon", "at midnight": a clock in words.
            let noon = c.name("noon").map(|m| if m.as_str().eq_ignore_ascii_case("midnight") { 0 } else { 12 });
            let Some(mut hour) = num("h").or(noon) else { continue };
            let Some(minute) =
                num("mi").or_else(|| num("mi2")).or_else(|| num("mi3")).or_else(|| num("mi4")).or(noon.map(|_| 0))
            else {
                continue;
            };
            let second = num("s").or_else(|| num("s2")).unwrap_or(0);
            if let Some(ap) = c.name("ap") {
                let Some(h) = crate::local::twelve_hour(hour, ap.as_str().eq_ignore_ascii_case("p")) else { continue };
                hour = h;
            }
            if hour > 23 || minute > 59 || second > 59 {
                continue;
            }
            if line[..start].ends_with(char::is_alphanumeric) {
                continue;
            }
            if line[end..].starts_with(|ch: char| ch.is_alphabetic()) && c.name("ap").is_none() {
                continue;
            }
            // "KO 15:00", "deadline 15:00", "by 15:00": a notice's time, not the incident's.
            let word_before = line[..start].trim_end().rsplit(|c: char| !c.is_alphanumeric() && c != '-').next();
            if word_before.is_some_and(|w| {
                ["ko", "kick-off", "kickoff", "deadline", "by", "before", "bis spätestens", "avant", "antes"]
                    .contains(&w.to_lowercase().as_str())
            }) {
                continue;
            }
            let (cued, second_end) = cue(&line[..start]);
            // A clock with a 12-hour marker ("stamps them 12:31:22 AM") is a
            // clock whatever word comes before it. (Seconds alone are not
            // enough: "date=2024-01-10 time=09:47:51 … tz=-0300" is a log's
            // fields, read as such.)
            let cued = cued || c.name("ap").is_some();
            if c.name("ap").is_some() && line[end..].starts_with('.') && !line[end..].starts_with(". ") {
                end += 1;
            }
            out.push(Bare { start, end, hour, minute, second, second_end, cued });
        }
        out
    }

    /// Every date written on `line` (with or without a clock after it).
    pub(crate) fn dates(&self, line: &str) -> Vec<DateOnly> {
        self.dates_in(line, false)
    }

    /// [`Clocks::dates`], where a slash date whose order is unclear
    /// (`02/10/2025`) is read day first when the complaint's language
    /// writes dates so (`day_first`), and not at all otherwise.
    pub(crate) fn dates_in(&self, line: &str, day_first: bool) -> Vec<DateOnly> {
        let mut out: Vec<DateOnly> = Vec::new();
        let mut push = |start: usize, end: usize, y: Option<i16>, m: Option<i8>, d: Option<i8>| {
            let (Some(y), Some(m), Some(d)) = (y, m, d) else { return };
            let Ok(date) = Date::new(y, m, d) else { return };
            if !out.iter().any(|o| start < o.end && o.start < end) {
                out.push(DateOnly { start, end, date });
            }
        };
        for c in self.iso.captures_iter(line) {
            let Some(all) = c.get(0) else { continue };
            let m = parse(&c, "m").or_else(|| parse(&c, "m2")).or_else(|| parse(&c, "m3"));
            let d = parse(&c, "d").or_else(|| parse(&c, "d2")).or_else(|| parse(&c, "d3"));
            push(all.start(), all.end(), parse(&c, "y"), m, d);
        }
        for c in self.dotted.captures_iter(line) {
            let Some(all) = c.get(0) else { continue };
            push(all.start(), all.end(), parse(&c, "y"), parse(&c, "m"), parse(&c, "d"));
        }
        // A slash date only when its order is plain: one number cannot be a month.
        for c in self.slashed.captures_iter(line) {
            let Some(all) = c.get(0) else { continue };
            let (Some(a), Some(b)) = (parse::<i8>(&c, "a"), parse::<i8>(&c, "b")) else { continue };
            let (m, d) = match (a > 12, b > 12) {
                (true, false) => (b, a),
                (false, true) => (a, b),
                (false, false) if day_first => (b, a),
                _ => continue,
            };
            push(all.start(), all.end(), parse(&c, "y"), Some(m), Some(d));
        }
        for re in [&self.day_month, &self.month_day] {
            for c in re.captures_iter(line) {
                let Some(all) = c.get(0) else { continue };
                let mon = c.name("mon").and_then(|m| english_month(m.as_str()));
                push(all.start(), all.end(), parse(&c, "y"), mon, parse(&c, "d"));
            }
        }
        for c in self.local.captures_iter(line) {
            let Some(all) = c.get(0) else { continue };
            let mon = c.name("mon").and_then(|m| crate::local::month(m.as_str()));
            push(all.start(), all.end(), parse(&c, "y"), mon, parse(&c, "d"));
        }
        out.sort_by_key(|d| d.start);
        out
    }
}

fn parse<T: std::str::FromStr>(c: &regex::Captures<'_>, name: &str) -> Option<T> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn english_month(name: &str) -> Option<i8> {
    let p: String = name.chars().take(3).flat_map(char::to_lowercase).collect();
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|m| *m == p)
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// Whether the text before a clock ends with a word that introduces it, and
/// whether that word makes it a second end.
fn cue(before: &str) -> (bool, bool) {
    let t = crate::bounds::tail(before, 40).trim_end().trim_end_matches([',', '(']).trim_end().to_lowercase();
    // "until about 1:45 AM": the estimate's word stands between the span's word and the clock.
    let t = ESTIMATE_WORDS
        .iter()
        .find_map(|w| {
            let rest = t.strip_suffix(w)?.trim_end();
            (rest.len() < t.len() - w.len() || rest.is_empty()).then_some(rest)
        })
        .filter(|rest| SECOND_WORDS.iter().any(|w| rest.ends_with(w)))
        .map_or(t.clone(), str::to_string);
    let ends = |w: &str| {
        t.ends_with(w) && {
            let rest = &t[..t.len() - w.len()];
            // A dash needs no space before it ("14:22–15:10"); a word does.
            w.starts_with(|c: char| !c.is_alphanumeric()) || !rest.ends_with(char::is_alphanumeric)
        }
    };
    // "at" after a second-end word ("and again at", "y a las") is a second end.
    let second = SECOND_WORDS.iter().any(|w| ends(w))
        || ["at", "um", "à", "a las", "las", "alle", "às", "om", "v", "в"].iter().any(|w| {
            ends(w) && {
                let rest = t[..t.len() - w.len()].trim_end();
                ["and", "again", "und", "et", "y", "e", "en", "i", "и", "a"]
                    .iter()
                    .any(|s| rest.ends_with(s) && !rest[..rest.len() - s.len()].ends_with(char::is_alphanumeric))
            }
        });
    let first = FIRST_WORDS.iter().any(|w| ends(w));
    (first || second, second)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn clocks_and_their_words() {
        let c = Clocks::new();
        let b = c.bare("from 14:22 to 15:10 CET", &[]);
        assert_eq!(b.len(), 2);
        assert!(b[0].cued && !b[0].second_end);
        assert!(b[1].cued && b[1].second_end);
        let b = c.bare("de 14h22 à 9h05", &[]);
        assert_eq!((b[0].hour, b[0].minute, b[1].hour, b[1].minute), (14, 22, 9, 5));
        assert!(b[1].second_end);
        assert!(c.bare("listening on 192.0.2.1:8080 and 2001:db8::12:34", &[]).is_empty());
        assert!(c.bare("version 1.12:30, ratio 3:45x", &[]).iter().all(|b| !b.cued));
        let b = c.bare("14:22–15:10", &[]);
        assert!(b[1].second_end);
        let hm = |line: &str| -> Vec<(i8, i8, i8)> {
            c.bare(line, &[]).iter().filter(|b| b.cued).map(|b| (b.hour, b.minute, b.second)).collect()
        };
        assert_eq!(hm("from 11:47 a.m. until noon"), [(11, 47, 0), (12, 0, 0)]);
        let b = c.bare("It began at 11:10 PM and kept going until about 1:45 AM the following morning", &[]);
        assert!(b[1].cued && b[1].second_end);
        assert_eq!(hm("the queue stamps them 12:31:22 AM and 1:58:41 AM"), [(0, 31, 22), (1, 58, 41)]);
        assert_eq!(hm("om 04.17 uur en opnieuw om 04.52 uur"), [(4, 17, 0), (4, 52, 0)]);
        assert_eq!(hm("с 14 ч. 02 мин. до 14 ч. 35 мин."), [(14, 2, 0), (14, 35, 0)]);
        assert_eq!(hm("à 22 h 41 min 07 s (heure de Paris)"), [(22, 41, 7)]);
        assert!(hm("version 1.12 uses 3.45 units").is_empty());
    }

    #[test]
    fn dates_without_clocks() {
        let c = Clocks::new();
        let d: Vec<String> = c
            .dates(
                "on 7 March 2025, 2025-06-04, 7. März 2025, 11 октября 2025 г., 03.10.2025, March 8, 2025, 21. 7. 2025",
            )
            .iter()
            .map(|d| d.date.to_string())
            .collect();
        assert_eq!(
            d,
            ["2025-03-07", "2025-06-04", "2025-03-07", "2025-10-11", "2025-10-03", "2025-03-08", "2025-07-21"]
        );
        let d: Vec<String> =
            c.dates("Enviado el 2025/08/01 a las 11:48 pm").iter().map(|d| d.date.to_string()).collect();
        assert_eq!(d, ["2025-08-01"]);
        assert!(c.dates("il giorno 02/10/2025, tra le 14:05").is_empty());
        let d: Vec<String> =
            c.dates_in("il giorno 02/10/2025, tra le 14:05", true).iter().map(|d| d.date.to_string()).collect();
        assert_eq!(d, ["2025-10-02"]);
    }
}
