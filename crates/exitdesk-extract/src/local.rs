//! Dates, clocks and zones as natives write them outside English.
//!
//! [`LocalDates::find`] reads day-month-year dates with a month name (nominative
//! or, where the language uses it, genitive) in German, French, Spanish,
//! Italian, Portuguese, Dutch, Polish, Czech and Russian, with the word that
//! introduces the clock ("um", "à", "a las", "alle", "às", "om", "o godz.",
//! "v", "в") and clocks written `14:22`, `14h22` or `14 h 22`. [`local_zone`]
//! reads the zone words that follow such a time or sit in a sentence ("Uhr MEZ",
//! "heure de Paris", "hora peninsular", "horário de Brasília", "czasu
//! polskiego", "SEČ", "время московское"). [`span_end`] reads the second end of
//! a span ("zwischen X und Y", "entre X et Y") written as a bare clock.
//! Nothing is guessed: a month word must be a whole known word.

use jiff::civil::{Date, DateTime};
use regex::Regex;

use crate::time::Zone;

/// Month names, lower case, as written in day-month-year dates.
const MONTHS: &[(&str, i8)] = &[
    // de
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // fr
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    // es
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // it
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // pt
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // nl
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("april", 4),
    ("mei", 5),
    ("augustus", 8),
    ("december", 12),
    // en/de/nl shared
    ("august", 8),
    ("september", 9),
    ("november", 11),
    // pl (genitive)
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    // cs (genitive)
    ("ledna", 1),
    ("února", 2),
    ("března", 3),
    ("dubna", 4),
    ("května", 5),
    ("června", 6),
    ("července", 7),
    ("srpna", 8),
    ("září", 9),
    ("října", 10),
    ("listopadu", 11),
    ("prosince", 12),
    // ru (genitive)
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
];

/// The month a (lower- or mixed-case) month word names, if it is one.
pub(crate) fn month(word: &str) -> Option<i8> {
    let w = word.to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == w).map(|(_, n)| *n)
}

/// Zone words and the region (IANA) or fixed offset (minutes) they name.
/// Matched on the lower-cased text; longer phrases first.
const ZONE_WORDS: &[(&str, &str)] = &[
    ("heure de paris", "Europe/Paris"),
    ("heure française", "Europe/Paris"),
    ("heure francaise", "Europe/Paris"),
    ("hora peninsular", "Europe/Madrid"),
    ("hora de canarias", "Atlantic/Canary"),
    ("hora canaria", "Atlantic/Canary"),
    ("hora de madrid", "Europe/Madrid"),
    ("hora de lisboa", "Europe/Lisbon"),
    ("horário de brasília", "America/Sao_Paulo"),
    ("horario de brasilia", "America/Sao_Paulo"),
    ("hora de brasília", "America/Sao_Paulo"),
    ("horário de lisboa", "Europe/Lisbon"),
    ("ora italiana", "Europe/Rome"),
    ("czasu polskiego", "Europe/Warsaw"),
    ("czasu środkowoeuropejskiego", "Europe/Warsaw"),
    ("время московское", "Europe/Moscow"),
    ("московского времени", "Europe/Moscow"),
    ("московскому времени", "Europe/Moscow"),
    ("deutscher zeit", "Europe/Berlin"),
    ("nederlandse tijd", "Europe/Amsterdam"),
];

/// Abbreviations written outside English, with their offsets in minutes.
const LOCAL_ABBREVIATIONS: &[(&str, i32)] =
    &[("SELČ", 120), ("SEČ", 60), ("MESZ", 120), ("MEZ", 60), ("MSK", 180), ("МСК", 180)];

/// A zone named by a local phrase or abbreviation in `text` (a few words
/// after a time, or a sentence): the region's rules apply where a region is
/// named, a fixed offset where an abbreviation is.
pub(crate) fn local_zone(text: &str) -> Option<Zone> {
    let lower = text.to_lowercase();
    for (phrase, iana) in ZONE_WORDS {
        if lower.contains(phrase) {
            return Zone::named_labelled(iana, phrase);
        }
    }
    for (abbr, mins) in LOCAL_ABBREVIATIONS {
        let mut from = 0;
        while let Some(p) = text[from..].find(abbr) {
            let at = from + p;
            let before = text[..at].chars().next_back();
            let after = text[at + abbr.len()..].chars().next();
            if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
                return Zone::fixed_minutes(*mins, abbr);
            }
            from = at + abbr.len();
        }
    }
    None
}

/// One local-style timestamp: where it is, what it says.
#[derive(Debug)]
pub(crate) struct LocalStamp {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) dt: DateTime,
}

/// Compiled patterns for local-style dates. Build once, reuse.
#[derive(Debug, Clone)]
pub(crate) struct LocalDates {
    named: Regex,
    numeric: Regex,
    span: Regex,
    suffix: Regex,
    wrote: Regex,
}

/// Words that introduce the clock after a date.
const AT: &str = r"(?:um|à|a|a\s+las|alle|às|as|om|o\s+godz\.?|o\s+godzinie|o|v|ve|в|kl\.?)";

/// A clock: `14:22`, `14:22:05`, `14h22`, `14 h 22`, `22 h 41 min 07 s`, `03h41m12s`.
const CLOCK: &str = r"(?P<h>[0-9]{1,2})(?:\s*:\s*|\s?h\s?)(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})|\s?(?:min\.?|m)\s?(?P<s2>[0-9]{2})\s?s\b)?";

impl LocalDates {
    pub(crate) fn new() -> LocalDates {
        LocalDates {
            named: crate::re::compile(&format!(
                r"(?i)\b(?P<d>[0-9]{{1,2}})\.?\s+(?:de\s+)?(?P<mon>\p{{L}}+)\.?\s+(?:de\s+)?(?P<y>[0-9]{{4}})(?:\s*г\.?)?\s*,?\s*(?:{AT}\s+)?{CLOCK}"
            )),
            numeric: crate::re::compile(&format!(
                r"(?i)\b(?P<d>[0-9]{{1,2}})[./-](?P<m>[0-9]{{1,2}})[./-](?P<y>[0-9]{{4}})\s*,?\s*(?:{AT}\s+(?:ore\s+)?)?{CLOCK}"
            )),
            span: crate::re::compile(&format!(
                r"(?i)^\s*(?:Uhr\s+|h\s+)?(?:and|und|bis|et|à|au|y|e|a|hasta|até|en|tot|i|do|a\u{{017e}}|и|до|to|-|–)\s+(?:(?:à|a\s+las|las|alle|às|as|om|o\s+godz\.?|o|v|в|um)\s+)?{CLOCK}(?:\s?(?P<ap>[AaPp])(?:\.\s?)?[Mm]\.?\b)?"
            )),
            suffix: crate::re::compile(r"(?i)^\s*(?:Uhr|uur|h|horas|hrs|hod\.?|ч\.?)\b"),
            wrote: crate::re::compile(
                r"(?i)\b(?:wrote|a\s+écrit|schrieb|escribió|ha\s+scritto|escreveu|schreef|pisze|napisał|napsal|написал|пишет)",
            ),
        }
    }

    /// Every local-style timestamp on `line`.
    pub(crate) fn find(&self, line: &str) -> Vec<LocalStamp> {
        let mut out = Vec::new();
        // Every form has a digit and a four-digit year; a month word is a letter.
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            return out;
        }
        // `14h22` clocks after a numeric day-month-year date (colon clocks
        // there are read by the main forms).
        let numeric = self.numeric.captures_iter(line).map(|c| (c, true));
        // "Am 7. März 2025 um 14:22 schrieb X:": the date of a quoted mail.
        if self.wrote.is_match(line) {
            return out;
        }
        for (c, digits) in self.named.captures_iter(line).map(|c| (c, false)).chain(numeric) {
            let Some(all) = c.get(0) else { continue };
            let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i8>().ok());
            let mon = if digits { num("m") } else { c.name("mon").and_then(|m| month(m.as_str())) };
            let Some(mon) = mon else { continue };
            let (Some(d), Some(h), Some(mi)) = (num("d"), num("h"), num("mi")) else { continue };
            let Some(y) = c.name("y").and_then(|m| m.as_str().parse::<i16>().ok()) else { continue };
            if !(1970..=2100).contains(&y) {
                continue;
            }
            let s = num("s").or_else(|| num("s2")).unwrap_or(0);
            let Ok(dt) = DateTime::new(y, mon, d, h, mi, s, 0) else { continue };
            if line[all.end()..].starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            out.push(LocalStamp { start: all.start(), end: all.end(), dt });
        }
        out
    }

    /// Whether `line` introduces a quoted mail ("Am … schrieb X:", "Le … a écrit :").
    pub(crate) fn is_quote_header(&self, line: &str) -> bool {
        self.wrote.is_match(line)
    }

    /// Bytes of a clock-word suffix ("Uhr", "h") at the start of `rest`.
    pub(crate) fn suffix_len(&self, rest: &str) -> usize {
        self.suffix.find(rest).map_or(0, |m| m.end())
    }

    /// The second end of a span whose first end is on `date`: a bare clock
    /// after "und", "et", "y", "to", "-" … at the start of `rest`, with the
    /// bytes it takes and its am/pm marker, if any (`Some(true)` for pm).
    pub(crate) fn span_end(&self, rest: &str, date: Date) -> Option<(DateTime, usize, Option<bool>)> {
        let c = self.span.captures(rest)?;
        let end = c.get(0)?.end();
        if rest[end..].starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '/' || c == '-') {
            return None;
        }
        let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i8>().ok());
        let mut hour = num("h")?;
        let pm = c.name("ap").map(|m| m.as_str().eq_ignore_ascii_case("p"));
        if let Some(pm) = pm {
            hour = twelve_hour(hour, pm)?;
        }
        let second = num("s").or_else(|| num("s2")).unwrap_or(0);
        let dt = DateTime::new(date.year(), date.month(), date.day(), hour, num("mi")?, second, 0);
        Some((dt.ok()?, end, pm))
    }
}

/// A 12-hour clock's hour (1 to 12) on the 24-hour clock.
pub(crate) fn twelve_hour(hour: i8, pm: bool) -> Option<i8> {
    match (pm, hour) {
        (_, h) if !(1..=12).contains(&h) => None,
        (false, 12) => Some(0),
        (true, 12) => Some(12),
        (true, h) => Some(h + 12),
        (false, h) => Some(h),
    }
}
