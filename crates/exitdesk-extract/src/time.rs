//! Timestamps and time zones as complaints write them.
//!
//! [`TimeParser::find`] finds every full timestamp (date and time of day) on a
//! line, in all the forms seen in real complaints: RFC 2822, ISO 8601 with or
//! without `T`/fraction/zone, ctime, syslog without a year, Apache, `DD.MM.YYYY`,
//! `DD-Mon-YYYY`, `MM/DD`, `Mon DD, YYYY @ HH:MM`, 12-hour clocks, ranges. A
//! zone written right after the time (or in parentheses on the line) comes with
//! it. Zones stated elsewhere are read by [`TimeParser::prose_zone`] ("All times
//! are UTC-7") and [`TimeParser::table_zone`] (`TIME (UTC)` column headers).
//! Nothing is guessed: a time without a stated zone stays a wall clock.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use regex::{Regex, RegexBuilder};

use crate::bounds::head;
use crate::clocks::Clocks;
use crate::local::{LocalDates, local_zone};

/// A time zone as a complaint states it.
#[derive(Debug, Clone)]
pub(crate) enum Zone {
    /// A fixed offset (`+0200`, `GMT-3`, `CEST`).
    Fixed { offset: Offset, label: String },
    /// A region with daylight-saving rules (`Europe/Berlin`).
    Named { tz: TimeZone, label: String },
}

impl Zone {
    fn fixed_seconds(seconds: i32, label: impl Into<String>) -> Option<Zone> {
        // Real offsets lie within ±14 h; anything else is a misread.
        if seconds.abs() > 14 * 3600 {
            return None;
        }
        Some(Zone::Fixed { offset: Offset::from_seconds(seconds).ok()?, label: label.into() })
    }

    pub(crate) fn fixed_minutes(minutes: i32, label: &str) -> Option<Zone> {
        Zone::fixed_seconds(minutes * 60, label)
    }

    /// A region, labelled with the words that named it.
    pub(crate) fn named_labelled(iana: &str, words: &str) -> Option<Zone> {
        let tz = TimeZone::get(iana).ok()?;
        Some(Zone::Named { tz, label: format!("{iana} (\"{words}\")") })
    }

    fn named(iana: &str) -> Option<Zone> {
        let tz = TimeZone::get(iana).ok()?;
        Some(Zone::Named { tz, label: iana.to_string() })
    }

    /// The instant this wall clock denotes in this zone.
    pub(crate) fn to_utc(&self, dt: DateTime) -> Option<Timestamp> {
        match self {
            Zone::Fixed { offset, .. } => offset.to_timestamp(dt).ok(),
            Zone::Named { tz, .. } => tz.to_ambiguous_timestamp(dt).compatible().ok(),
        }
    }

    /// How the message named the zone.
    pub(crate) fn label(&self) -> &str {
        match self {
            Zone::Fixed { label, .. } | Zone::Named { label, .. } => label,
        }
    }
}

/// One timestamp found on a line.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Byte range of the timestamp (and its inline zone) in the line.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The wall clock as written.
    pub(crate) dt: DateTime,
    /// The zone written with it, if any.
    pub(crate) zone: Option<Zone>,
}

/// Zone abbreviations and their offsets in minutes. Where an abbreviation is
/// ambiguous the reading most common in abuse mail wins (`CST` is US Central,
/// `IST` is India), and the choice is documented here rather than guessed per
/// message.
const ABBREVIATIONS: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("UT", 0),
    ("Z", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("IST", 330),
    ("CET", 60),
    ("CEST", 120),
    ("MET", 60),
    ("MEST", 120),
    ("MEZ", 60),
    ("MESZ", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("AST", -240),
    ("ADT", -180),
    ("NST", -210),
    ("BRT", -180),
    ("BRST", -120),
    ("ART", -180),
    ("JST", 540),
    ("KST", 540),
    ("HKT", 480),
    ("SGT", 480),
    ("PHT", 480),
    ("AWST", 480),
    ("ACST", 570),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("ALMT", 360),
    ("ICT", 420),
    ("WIB", 420),
    ("PKT", 300),
    ("NPT", 345),
    ("SAST", 120),
    ("EAT", 180),
    ("WAT", 60),
    ("CAT", 120),
];

/// Zones written out in words, longest first (a prefix of a longer name
/// comes after it): a name that says "standard", "daylight" or "summer" is
/// that fixed offset; one that does not ("Eastern Time", "Central European
/// Time") is the region, summer or winter by date.
const LONG_ZONES: &[(&str, LongZone)] = &[
    ("coordinated universal time", LongZone::Fixed(0)),
    ("universal time coordinated", LongZone::Fixed(0)),
    ("greenwich mean time", LongZone::Fixed(0)),
    ("universal time", LongZone::Fixed(0)),
    ("central european summer time", LongZone::Fixed(120)),
    ("central european standard time", LongZone::Fixed(60)),
    ("central european time", LongZone::Region("Europe/Berlin")),
    ("eastern european summer time", LongZone::Fixed(180)),
    ("eastern european standard time", LongZone::Fixed(120)),
    ("eastern european time", LongZone::Region("Europe/Helsinki")),
    ("western european summer time", LongZone::Fixed(60)),
    ("western european time", LongZone::Region("Europe/Lisbon")),
    ("british summer time", LongZone::Fixed(60)),
    ("moscow standard time", LongZone::Fixed(180)),
    ("moscow time", LongZone::Fixed(180)),
    ("eastern standard time", LongZone::Fixed(-300)),
    ("eastern daylight time", LongZone::Fixed(-240)),
    ("eastern time", LongZone::Region("America/New_York")),
    ("central standard time", LongZone::Fixed(-360)),
    ("central daylight time", LongZone::Fixed(-300)),
    ("central time", LongZone::Region("America/Chicago")),
    ("mountain standard time", LongZone::Fixed(-420)),
    ("mountain daylight time", LongZone::Fixed(-360)),
    ("mountain time", LongZone::Region("America/Denver")),
    ("pacific standard time", LongZone::Fixed(-480)),
    ("pacific daylight time", LongZone::Fixed(-420)),
    ("pacific time", LongZone::Region("America/Los_Angeles")),
    ("alaska standard time", LongZone::Fixed(-540)),
    ("alaska daylight time", LongZone::Fixed(-480)),
    ("hawaii standard time", LongZone::Fixed(-600)),
    ("atlantic standard time", LongZone::Fixed(-240)),
    ("atlantic daylight time", LongZone::Fixed(-180)),
    ("brasilia time", LongZone::Fixed(-180)),
    ("india standard time", LongZone::Fixed(330)),
    ("indian standard time", LongZone::Fixed(330)),
    ("china standard time", LongZone::Fixed(480)),
    ("singapore standard time", LongZone::Fixed(480)),
    ("singapore time", LongZone::Fixed(480)),
    ("hong kong time", LongZone::Fixed(480)),
    ("japan standard time", LongZone::Fixed(540)),
    ("korea standard time", LongZone::Fixed(540)),
    ("australian eastern standard time", LongZone::Fixed(600)),
    ("australian eastern daylight time", LongZone::Fixed(660)),
    ("australian eastern time", LongZone::Region("Australia/Sydney")),
    ("new zealand standard time", LongZone::Fixed(720)),
    ("new zealand daylight time", LongZone::Fixed(780)),
];

/// What a long zone name states.
#[derive(Debug, Clone, Copy)]
enum LongZone {
    /// A fixed offset, in minutes.
    Fixed(i32),
    /// A region with its summer rule.
    Region(&'static str),
}

/// A zone written out in words at the start of `text` (ASCII case ignored),
/// and the bytes it takes.
fn long_zone_at(text: &str) -> Option<(Zone, usize)> {
    let b = text.as_bytes();
    for (name, zone) in LONG_ZONES {
        let n = name.len();
        let matches = b.len() >= n
            && b[..n].eq_ignore_ascii_case(name.as_bytes())
            && !b.get(n).is_some_and(|c| c.is_ascii_alphanumeric());
        if matches {
            let label = &text[..n];
            let z = match zone {
                LongZone::Fixed(m) => Zone::fixed_seconds(m * 60, label)?,
                LongZone::Region(iana) => Zone::named_labelled(iana, label)?,
            };
            return Some((z, n));
        }
    }
    None
}

/// A zone written out in words anywhere in `text`.
fn long_zone_in(text: &str) -> Option<Zone> {
    let lower = text.to_ascii_lowercase();
    // Every name ends with "time" or "coordinated".
    if !lower.contains("time") && !lower.contains("coordinated") {
        return None;
    }
    LONG_ZONES.iter().find_map(|(name, _)| {
        let at = lower
            .match_indices(name)
            .map(|(i, _)| i)
            .find(|i| !lower[..*i].ends_with(|c: char| c.is_ascii_alphanumeric()))?;
        long_zone_at(&text[at..]).map(|(z, _)| z)
    })
}

/// Standard/summer abbreviation pairs that name a region with DST.
const DST_PAIRS: &[(&str, &str, &str)] = &[
    ("CET", "CEST", "Europe/Berlin"),
    ("MET", "MEST", "Europe/Berlin"),
    ("MEZ", "MESZ", "Europe/Berlin"),
    ("GMT", "BST", "Europe/London"),
    ("WET", "WEST", "Europe/Lisbon"),
    ("EET", "EEST", "Europe/Helsinki"),
    ("EST", "EDT", "America/New_York"),
    ("CST", "CDT", "America/Chicago"),
    ("MST", "MDT", "America/Denver"),
    ("PST", "PDT", "America/Los_Angeles"),
    ("AEST", "AEDT", "Australia/Sydney"),
    ("NZST", "NZDT", "Pacific/Auckland"),
];

/// Place words that name a region with its own DST rules. Longer, more
/// specific phrases come first.
const PLACES: &[(&str, &str)] = &[
    ("greenwich mean", "UTC"),
    ("central european", "Europe/Berlin"),
    ("eastern european", "Europe/Helsinki"),
    ("western european", "Europe/Lisbon"),
    ("london", "Europe/London"),
    ("british", "Europe/London"),
    ("berlin", "Europe/Berlin"),
    ("german", "Europe/Berlin"),
    ("austria", "Europe/Vienna"),
    ("vienna", "Europe/Vienna"),
    ("zurich", "Europe/Zurich"),
    ("swiss", "Europe/Zurich"),
    ("paris", "Europe/Paris"),
    ("french", "Europe/Paris"),
    ("amsterdam", "Europe/Amsterdam"),
    ("dutch", "Europe/Amsterdam"),
    ("prague", "Europe/Prague"),
    ("czech", "Europe/Prague"),
    ("warsaw", "Europe/Warsaw"),
    ("madrid", "Europe/Madrid"),
    ("lisbon", "Europe/Lisbon"),
    ("moscow", "Europe/Moscow"),
    ("eastern time", "America/New_York"),
    ("new york", "America/New_York"),
    ("pacific time", "America/Los_Angeles"),
    ("los angeles", "America/Los_Angeles"),
    ("mountain time", "America/Denver"),
    ("central time", "America/Chicago"),
    ("tokyo", "Asia/Tokyo"),
    ("singapore", "Asia/Singapore"),
    ("hong kong", "Asia/Hong_Kong"),
    ("seoul", "Asia/Seoul"),
    ("sydney", "Australia/Sydney"),
    ("sao paulo", "America/Sao_Paulo"),
    ("greenwich", "Europe/London"),
    ("uk time", "Europe/London"),
    ("uk", "Europe/London"),
];

/// `CET`/`CEST` → `CE(S)T`: the summer name with its extra letters in
/// parentheses, when it is the standard name with letters inserted.
fn contracted_pair(std: &str, dst: &str) -> Option<String> {
    let prefix = std.bytes().zip(dst.bytes()).take_while(|(a, b)| a == b).count();
    let suffix = std.len() - prefix;
    let inserted = dst.len().checked_sub(std.len())?;
    (inserted > 0 && dst.ends_with(&std[prefix..]))
        .then(|| format!("{}({}){}", &std[..prefix], &dst[prefix..prefix + inserted], &dst[dst.len() - suffix..]))
}

fn abbreviation(word: &str) -> Option<i32> {
    ABBREVIATIONS.iter().find(|(a, _)| *a == word).map(|(_, m)| *m)
}

/// For a standard-time name written for a date when its region keeps summer
/// time (`CET` for a July time, `EST` in August), the summer name: the
/// writer may have meant the local clock, an hour apart. `GMT` is left
/// alone (it is also UTC).
pub(crate) fn standard_name_in_summer(label: &str, at: Timestamp) -> Option<&'static str> {
    let (_, dst, iana) = DST_PAIRS.iter().find(|(std, _, _)| *std == label && *std != "GMT")?;
    let tz = TimeZone::get(iana).ok()?;
    tz.to_offset_info(at).dst().is_dst().then_some(*dst)
}

/// For a zone written as a name and an offset that disagree (`CET +0000`),
/// the offset the name alone would give, in seconds.
pub(crate) fn abbreviation_conflict(label: &str) -> Option<i32> {
    let (word, offset) = label.split_once(' ')?;
    // `GMT +02`, `UTC -3` are offsets from GMT, not two statements.
    if matches!(word, "GMT" | "UTC" | "UT") {
        return None;
    }
    let named = abbreviation(word)? * 60;
    let (zone, _) = zone_after(offset)?;
    let Zone::Fixed { offset, .. } = zone else { return None };
    (offset.seconds() != named).then_some(named)
}

/// A whole month name (English, or a language [`crate::local`] reads) or its
/// English three-letter form; never a word that only starts like one.
fn whole_month(word: &str) -> Option<i8> {
    const EN: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = word.to_lowercase();
    let english = EN.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower.as_str())));
    english.and_then(|i| i8::try_from(i + 1).ok()).or_else(|| crate::local::month(&lower))
}

pub(crate) fn month_number(name: &str) -> Option<i8> {
    let p: String = name.chars().take(3).flat_map(char::to_lowercase).collect();
    Some(match p.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

const MON: &str = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const DOW: &str = r"(?i:mon|tue|wed|thu|fri|sat|sun)[a-zA-Z]*\.?";

fn time_part(p: &str, seconds_required: bool) -> String {
    let sec = if seconds_required { "" } else { "?" };
    format!(
        r"(?P<{p}h>[0-9]{{1,2}}):(?P<{p}mi>[0-9]{{2}})(?::(?P<{p}s>[0-9]{{2}})){sec}(?:\.(?P<{p}f>[0-9]{{1,9}}))?(?:\s?(?P<{p}ap>[AaPp](?:\.\s?)?[Mm]\.?))?"
    )
}

/// Keywords that introduce a zone statement on their own ("hora de Madrid,
/// UTC+1", "время московское, UTC+3"), without "is"/"are"/":" after them.
const STRONG_ZONE_WORDS: &[&str] = &[
    "server time",
    "zeitangaben",
    "horário",
    "horario",
    "hora",
    "heure",
    "fuseau",
    "время",
    "часов",
    "orari",
    "fuso",
    "tijd",
    "godziny",
    "czas",
    "časy",
    "čas",
];

/// The capture groups [`TimeParser::build`] reads, by id: the date groups
/// of each branch, then the time-of-day groups (`h`, `mi`, `s`, `ap`) of
/// each branch prefix, in [`TIME_PREFIXES`] order.
const DATE_GROUPS: [&str; 27] = [
    "iy", "im", "id", "yy", "ymon", "yd", "cy", "cmon", "cd", "cz", "ay", "amon", "ad", "ry", "rmon", "rd", "my",
    "mmon", "md", "ny", "n1", "n2", "nsep", "sd", "smon", "pd", "pm",
];

/// The branch prefixes of the time-of-day groups (see `time_part`).
const TIME_PREFIXES: [char; 9] = ['i', 'y', 'c', 'a', 'r', 'm', 'n', 's', 'p'];

/// The time-of-day group suffixes (see `time_part`).
const TIME_SUFFIXES: [&str; 4] = ["h", "mi", "s", "ap"];

/// Number of group ids.
const GROUP_IDS: usize = DATE_GROUPS.len() + TIME_PREFIXES.len() * TIME_SUFFIXES.len();

/// The id of a date group (a name of [`DATE_GROUPS`]).
/// The date forms with a month name, in the order they are tried: their
/// prefix and the groups of their year, month name and day.
const NAMED_MONTH_FORMS: [(char, usize, usize, usize); 5] = [
    ('y', date_group("yy"), date_group("ymon"), date_group("yd")),
    ('c', date_group("cy"), date_group("cmon"), date_group("cd")),
    ('a', date_group("ay"), date_group("amon"), date_group("ad")),
    ('r', date_group("ry"), date_group("rmon"), date_group("rd")),
    ('m', date_group("my"), date_group("mmon"), date_group("md")),
];

const fn date_group(name: &str) -> usize {
    let mut i = 0;
    while i < DATE_GROUPS.len() {
        if str_eq(DATE_GROUPS[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("unknown date group")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The name of a group id.
fn group_name(id: usize) -> String {
    match DATE_GROUPS.get(id) {
        Some(n) => (*n).to_string(),
        None => {
            let t = id - DATE_GROUPS.len();
            format!("{}{}", TIME_PREFIXES[t / TIME_SUFFIXES.len()], TIME_SUFFIXES[t % TIME_SUFFIXES.len()])
        }
    }
}

/// Where a regex keeps each group [`TimeParser::build`] reads: reading a
/// group by index instead of by name spares a hash of the name per read.
#[derive(Debug, Clone, Default)]
struct Groups {
    index: Vec<Option<usize>>,
}

impl Groups {
    fn of(re: &Regex) -> Groups {
        let mut index = vec![None; GROUP_IDS];
        for (i, name) in re.capture_names().enumerate() {
            if let Some(name) = name {
                if let Some(id) = (0..GROUP_IDS).find(|id| group_name(*id) == name) {
                    index[id] = Some(i);
                }
            }
        }
        Groups { index }
    }

    /// Group `id` of `caps` (captures of the regex these groups are of), as `caps.name` would give it.
    fn get<'l>(&self, caps: &regex::Captures<'l>, id: usize) -> Option<regex::Match<'l>> {
        caps.get(self.index.get(id).copied().flatten()?)
    }
}

/// The timestamp pattern and its branches.
#[derive(Debug, Clone)]
struct Stamps {
    stamp: Regex,
    /// The branches of `stamp`, in order, each anchored at the start: the
    /// groups of a match are read with the branch that made it (a small
    /// search) rather than with the whole alternation. Empty if they could
    /// not be built (then `stamp` reads them).
    branches: Vec<Regex>,
    /// The groups of `stamp`, and of each branch.
    stamp_groups: Groups,
    branch_groups: Vec<Groups>,
}

impl Stamps {
    /// The groups of `m`, a match of `stamp` in `line`: those of the first
    /// branch that matches where `m` starts (the one the alternation took,
    /// leftmost-first), else of `stamp` itself. Only the groups' text is read.
    fn new(stamp: Regex, branches: Vec<Regex>) -> Stamps {
        let stamp_groups = Groups::of(&stamp);
        let branch_groups = branches.iter().map(Groups::of).collect();
        Stamps { stamp, branches, stamp_groups, branch_groups }
    }

    fn captures<'l>(&self, line: &'l str, m: regex::Match<'l>) -> Option<(regex::Captures<'l>, &Groups)> {
        let rest = &line[m.start()..];
        // Branches that cannot start with the match's first byte are skipped:
        // a digit starts all but 2, 5 and 7 (a weekday or month name first);
        // a letter starts only 2, 4, 5 and 7.
        let first = rest.as_bytes().first().copied().unwrap_or(0);
        let possible = |i: &usize| {
            if first.is_ascii_digit() {
                !matches!(*i, 2 | 5 | 7)
            } else if first.is_ascii_alphabetic() {
                matches!(*i, 2 | 4 | 5 | 7)
            } else {
                true
            }
        };
        let own = self
            .branches
            .iter()
            .enumerate()
            .filter(|(i, _)| possible(i))
            .find_map(|(i, b)| Some((b.captures(rest)?, &self.branch_groups[i])));
        if let Some((c, g)) = own {
            if c.get(0).is_some_and(|w| w.end() == m.len()) {
                return Some((c, g));
            }
        }
        Some((self.stamp.captures_at(line, m.start())?, &self.stamp_groups))
    }
}

/// Compiled patterns for timestamps and zone statements. Build once, reuse.
#[derive(Debug, Clone)]
pub(crate) struct TimeParser {
    /// The timestamp forms, for any line.
    all: Stamps,
    /// The same forms for ASCII lines (see `new`); `None` if they did not build.
    ascii: Option<Stamps>,
    prose_kw: Regex,
    /// Zone keywords with non-ASCII letters; searched only on non-ASCII lines.
    prose_kw_intl: Regex,
    table_hdr: Regex,
    paren: Regex,
    iana: Regex,
    numeric_zone: Regex,
    word: Regex,
    /// A date with a month name and no clock (`December 5, 2022`, `5th of December 2022`).
    split_date: Regex,
    /// A clock introduced by "at" (`at approximately 4:37 pm`).
    split_clock: Regex,
    /// A day and month name without a year, then a clock after a linking
    /// word ("on 7 March at 14:22", "am 7. März um 14:22").
    yearless: Regex,
    /// Dates and clocks written the way natives write them outside English.
    local: LocalDates,
    /// Clocks written apart from their date.
    clocks: Clocks,
    /// Whether day-month-year dates with a month name outside English are
    /// read (on; the unit tests of other forms may turn it off; see the
    /// crate README for what it changed on the synthetic sets).
    month_names: bool,
}

impl TimeParser {
    pub(crate) fn new() -> TimeParser {
        let branches = [
            // 2024-01-10 09:47:51, 2024-01-10T09:47:51.350Z, 2019/06/21 08:52:58, 2024-01-10:09:47:51,
            // 2024-01-10 - 09:47:51
            format!(
                r"(?P<iy>[0-9]{{4}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})(?:[Tt]\s*|\s+-\s+|\s+(?:at\s+|um\s+|à\s+|a\s+las\s+|às\s+)?|:|\s*,\s*){}",
                time_part("i", false)
            ),
            // 2023/Sep/25 00:00:02
            format!(r"(?P<yy>[0-9]{{4}})/(?P<ymon>{MON})/(?P<yd>[0-9]{{1,2}})\s+{}", time_part("y", false)),
            // Tue Aug  7 09:30:21 2018 (ctime), optionally with a zone before the year
            format!(
                r"{DOW}\s+(?P<cmon>{MON})\s+(?P<cd>[0-9]{{1,2}})\s+{}\s+(?:(?P<cz>[A-Z]{{2,5}})\s+)?(?P<cy>[0-9]{{4}})",
                time_part("c", true)
            ),
            // [30/Mar/2022:21:19:45 -0600] (Apache)
            format!(r"(?P<ad>[0-9]{{1,2}})/(?P<amon>{MON})/(?P<ay>[0-9]{{4}}):{}", time_part("a", true)),
            // Fri, 31 Jan 2014 07:19:02 +0100 ; 21-sep-2016 06:30:00 ; 28-Oct-2024 19:39:11 ;
            // 10th January 2023, 05:30:00
            format!(
                r"(?:{DOW},?\s+)?(?P<rd>[0-9]{{1,2}})(?:st|nd|rd|th)?[\s-](?:of\s+)?(?P<rmon>{MON})\.?[\s-](?P<ry>[0-9]{{4}}|[0-9]{{2}}),?\s+{}",
                time_part("r", false)
            ),
            // Nov 19, 2022 @ 21:28:49.283 ; April 22nd, 2021 at 4:36:58 PM
            format!(
                r"(?:{DOW},?\s+)?(?P<mmon>{MON})\.?\s+(?P<md>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>[0-9]{{4}})(?:\s*(?:@|at|,|-)\s*|\s+){}",
                time_part("m", false)
            ),
            // 23-11-2023 6:18:04 ; 03.08.2017 17:44:58 ; 23/01/22 17:29:34
            format!(
                r"(?P<n1>[0-9]{{1,2}})(?P<nsep>[./-])(?P<n2>[0-9]{{1,2}})[./-](?P<ny>[0-9]{{4}}|[0-9]{{2}})(?:\s+(?:at\s+|um\s+|à\s+|a\s+las\s+|às\s+)?|\s*,\s*|\s*-\s*){}",
                time_part("n", false)
            ),
            // Sep 22 01:20:17 (syslog, no year)
            format!(r"(?P<smon>{MON})\s+(?P<sd>[0-9]{{1,2}})\s+{}", time_part("s", true)),
            // 12/15 18:00:17 (month/day, no year)
            format!(r"(?P<pm>[0-9]{{1,2}})/(?P<pd>[0-9]{{1,2}})\s+{}", time_part("p", true)),
        ];
        // For ASCII lines: the same branches without the alternatives that
        // need a non-ASCII letter (they cannot match such a line), compiled
        // in ASCII mode, where the lazy DFA has far fewer states to build.
        let ascii_branches: Vec<String> =
            branches.iter().map(|b| b.replace(r"|à\s+", "").replace(r"|às\s+", "")).collect();
        let ascii = ascii_branches
            .iter()
            .all(|b| b.is_ascii())
            .then(|| {
                let build = |p: &str| RegexBuilder::new(p).unicode(false).build().ok();
                let stamp = build(&ascii_branches.join("|"))?;
                let anchored: Option<Vec<Regex>> = ascii_branches.iter().map(|b| build(&format!("^(?:{b})"))).collect();
                Some(Stamps::new(stamp, anchored?))
            })
            .flatten();
        let stamp = crate::re::compile(&branches.join("|"));
        // Each branch alone, anchored, in the mode the whole compiled in
        // (Unicode or not changes what `\s` and `(?i)` match).
        let unicode = RegexBuilder::new(&branches.join("|")).unicode(false).build().is_err();
        let anchored: Option<Vec<Regex>> =
            branches.iter().map(|b| RegexBuilder::new(&format!("^(?:{b})")).unicode(unicode).build().ok()).collect();
        TimeParser {
            all: Stamps::new(stamp, anchored.unwrap_or_default()),
            ascii,
            prose_kw: crate::re::compile(
                r"(?i)\b(?:time\s*-?\s*zone|timezone|zeitzone|all\s+times|times|timestamps?|date/timestamps?|dates\s+and\s+times|log\s*files|logs|clocks?|server\s+time|zeiten|uhrzeiten|zeitangaben|horario|horas?|heures?|fuseau\s+horaire|(?:server|board|log|local|system|sensor|forum)\s+time|tijden|tijdzone|orari|fuso\s+orario|czas|czasu|godziny|zeitstempel|time\s+is|(?:host|server|system|clock|sensor|machine)s?\s+(?:runs?|is|are|set)\s+(?:on|in|to))\b",
            ),
            prose_kw_intl: crate::re::compile(r"(?i)horário|время|часов[ао]й пояс|\bčasy\b|\bčas\b"),
            table_hdr: crate::re::compile(
                r"(?i)\b(?:time|timestamp|date|datetime|date/time|time\s+range|zeit|zeitpunkt|zeitstempel|datum|uhrzeit|tijd|tijdstip|heure|horodatage|fecha|hora|data|ora|orario|czas|start|end|begin|beginn|ende|inicio|début|debut|(?:first|last)\s+seen)\s*\(\s*([^()]{1,24})\)",
            ),
            paren: crate::re::compile(r"\(\s*([^()]{1,24}?)\s*\)"),
            iana: crate::re::compile(
                r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc|US|Canada)/[A-Za-z_]+(?:/[A-Za-z_]+)?",
            ),
            numeric_zone: crate::re::compile(
                r"(?i)(?:\b(?:utc|gmt)\s*(?P<gs>[+\-\u{2212}\u{2013}])\s*(?P<gd>[0-9]{1,4})(?::(?P<gm>[0-9]{2}))?|(?P<s>[+-])(?P<h>[0-9]{2}):?(?P<m>[0-9]{2})\b|\((?P<ps>[+-])(?P<pd>[0-9]{1,2})\))",
            ),
            word: crate::re::compile(r"\b[A-Za-z]{2,5}\b"),
            yearless: crate::re::compile(
                r"(?i)\b(?:(?P<d1>[0-9]{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+|de\s+)?(?P<m1>\p{L}{3,12})|(?P<m2>\p{L}{3,12})\.?\s+(?P<d2>[0-9]{1,2})(?:st|nd|rd|th)?)(?:\s*,?\s+(?:at|um|à|a\s+las|alle|às|om|o\s+godz\.?|v|в)\s+|\s*,\s*)(?:around\s+|about\s+|approximately\s+|gegen\s+|ca\.\s+)?(?P<h>[0-9]{1,2})(?::|h)(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?:\s*(?P<ap>[AaPp])(?:\.\s?)?[Mm]\.?)?",
            ),
            split_date: crate::re::compile(&format!(
                r"\b(?:(?P<mon>{MON})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>[0-9]{{4}})|(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{MON})\.?,?\s+(?P<y2>[0-9]{{4}}))\b"
            )),
            split_clock: crate::re::compile(
                r"(?i)\b(?:at|around|about|approximately|approx\.|@)\s+(?:(?:approximately|approx\.|around|about)\s+)?(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?:\s?(?P<ap>[AaPp])(?:\.\s?)?[Mm]\.?)?\b\.?",
            ),
            local: LocalDates::new(),
            clocks: Clocks::new(),
            month_names: true,
        }
    }

    /// Every full timestamp on `line`. `reference` (the message date) supplies
    /// the year where the line omits it.
    pub(crate) fn find(&self, line: &str, reference: Option<Date>) -> Vec<Found> {
        self.find_dated(line, reference, false)
    }

    /// [`TimeParser::find`], reading an ambiguous `a/b/yyyy` (both numbers up
    /// to 12) day first when `day_first` (complaints written outside the US).
    pub(crate) fn find_dated(&self, line: &str, reference: Option<Date>, day_first: bool) -> Vec<Found> {
        let mut out = self.find_main(line, reference, day_first);
        self.find_local(line, &mut out);
        if let Some(r) = reference {
            self.find_yearless(line, r, &mut out);
        }
        if out.is_empty() {
            out.extend(self.find_split(line));
        }
        self.find_clocks(line, day_first, &mut out);
        TimeParser::share_span_zone(line, &mut out);
        out
    }

    /// Clocks written apart from their date (see [`crate::clocks`]): each
    /// takes the date right after it ("15:10 CET on 7 March 2025"), else
    /// that of the nearest time or date before it in the sentence; its zone
    /// is its own, else the one the span states after its last end, else
    /// the earlier time's, else the line's. A second end earlier than the
    /// first crosses midnight; another earlier clock is not read.
    fn find_clocks(&self, line: &str, day_first: bool, out: &mut Vec<Found>) {
        if !line.bytes().any(|b| b.is_ascii_digit()) || line.len() > 2_000 || self.local.is_quote_header(line) {
            return;
        }
        let taken: Vec<(usize, usize)> = out.iter().map(|f| (f.start, f.end)).collect();
        let bare = self.clocks.bare(line, &taken);
        if bare.is_empty() {
            return;
        }
        let dates = self.clocks.dates_in(line, day_first);
        // Times found here: the Found, and whether it is a second end joined to the one before.
        let mut added: Vec<(Found, bool)> = Vec::new();
        for (k, b) in bare.iter().enumerate() {
            let after = b.end + self.local.suffix_len(&line[b.end..]);
            let own = self.zone_at(&line[after..]).map(|(z, used)| (z, after + used));
            if !b.cued && own.is_none() {
                continue;
            }
            let end = own.as_ref().map_or(b.end, |(_, e)| *e);
            // The date right after it: only link words, the zone and later ends of the span between.
            let date_after = dates.iter().find(|d| {
                d.start >= end && d.start - end <= 60 && !taken.iter().any(|(s, e)| *s < d.end && d.start < *e) && {
                    let mut gap = line[end..d.start].to_string();
                    for later in bare[k + 1..].iter().filter(|x| x.end <= d.start) {
                        if !later.second_end {
                            return false;
                        }
                        gap = gap.replace(&line[later.start..later.end], " ");
                    }
                    let g = gap.trim().trim_end_matches(',').trim().to_lowercase();
                    // "… on Monday 19 February 2024": the weekday is part of a
                    // day-first date. (Before a month-first one, "at 12:30 a.m.
                    // on Sunday, May 14, 2023", the one such statement seen is
                    // a broadcast's schedule: left unread.)
                    let day_first = line[d.start..].starts_with(|c: char| c.is_ascii_digit());
                    let g = if day_first { without_weekday(&g) } else { g };
                    !sentence_break(&gap)
                        && !opens_next_time(line, end, d.start..d.end)
                        && [
                            "", "on", "am", "vom", "le", "du", "el", "del", "de", "il", "op", "em", "dne", "dnia",
                            "of", "on the",
                        ]
                        .iter()
                        .any(|w| g == *w || g.ends_with(&format!(" {w}")) || g.ends_with(&format!(") {w}")))
                }
            });
            // Else the nearest time (full or read here) or date before it in the sentence.
            let earlier = out
                .iter()
                .chain(added.iter().map(|(f, _)| f))
                .filter(|f| f.end <= b.start)
                .max_by_key(|f| f.end)
                .filter(|f| {
                    let gap = &line[f.end..b.start];
                    b.start - f.end <= 100 && !sentence_break(gap) || b.start - f.end <= 240 && opens_with_end(gap, b)
                });
            let date_before = dates
                .iter()
                .filter(|d| d.end <= b.start && b.start - d.end <= 120 && !sentence_break(&line[d.end..b.start]))
                .max_by_key(|d| d.end);
            // A date later in the sentence that is not this clock's own makes the reading unsure.
            // (One after "and on" starts the next time: "at 23:40 and on 3 Dec 2025 at 00:12".)
            let later_date = dates.iter().any(|d| {
                d.start >= end
                    && d.start - end <= 60
                    && !sentence_break(&line[end..d.start])
                    && !opens_next_time(line, end, d.start..d.end)
            });
            if date_after.is_none() && later_date {
                continue;
            }
            // A clock no word introduces ("…; 10:15 PM PST: last probe") only continues a full time.
            let (date_after, date_before) = if b.cued { (date_after, date_before) } else { (None, None) };
            let (date, anchor) = match (date_after, earlier, date_before) {
                (Some(d), _, _) => (d.date, None),
                (None, Some(f), Some(d)) if d.end > f.end => (d.date, None),
                (None, Some(f), _) => (f.dt.date(), Some(f.clone())),
                (None, None, Some(d)) => (d.date, None),
                (None, None, None) => continue,
            };
            let Ok(mut dt) = DateTime::new(date.year(), date.month(), date.day(), b.hour, b.minute, b.second, 0) else {
                continue;
            };
            let mut zone = own.map(|(z, _)| z);
            if let Some(a) = &anchor {
                if dt < a.dt {
                    // Only the end of a span crosses midnight; a further time ("and again at") may not.
                    let again = crate::bounds::tail(&line[..b.start], 24).to_lowercase().contains("again");
                    if !b.second_end || again {
                        continue;
                    }
                    let Ok(next) = dt.checked_add(jiff::Span::new().days(1)) else { continue };
                    dt = next;
                }
                if zone.is_none() {
                    zone = a.zone.clone();
                }
            }
            let joined = b.second_end && earlier.is_some_and(|f| b.start - f.end <= 12);
            // "14:22–15:10 UTC", "om 14:22 en eindigde om 15:10 CET": a zone
            // written once for the sentence holds for its earlier time too.
            if let (true, Some(z)) = (earlier.is_some(), &zone) {
                let prev_end = earlier.map(|f| f.end);
                for f in out.iter_mut().chain(added.iter_mut().map(|(f, _)| f)) {
                    if Some(f.end) == prev_end && f.zone.is_none() {
                        f.zone = Some(z.clone());
                    }
                }
            }
            added.push((Found { start: b.start, end, dt, zone }, joined));
        }
        if added.is_empty() {
            return;
        }
        let line_zone = self.line_zone(line);
        for (f, _) in added {
            let zone = f.zone.clone().or_else(|| line_zone.clone());
            out.push(Found { zone, ..f });
        }
        out.sort_by_key(|f| f.start);
    }

    /// "between A and B PST": a zone written once after the second of two
    /// full times joined by a span word holds for both.
    fn share_span_zone(line: &str, out: &mut [Found]) {
        for i in 1..out.len() {
            let (a, b) = (&out[i - 1], &out[i]);
            if a.zone.is_none() && b.zone.is_some() && a.end <= b.start {
                let gap = line[a.end..b.start].trim().to_lowercase();
                if [
                    "and",
                    "to",
                    "until",
                    "through",
                    "-",
                    "–",
                    "bis",
                    "und",
                    "et",
                    "au",
                    "y",
                    "e",
                    "tot",
                    "do",
                    "до",
                    "a",
                    "по",
                    "and on",
                    "and at",
                    "und am",
                    "et le",
                    "y el",
                    "and again at",
                    "and again",
                ]
                .contains(&gap.as_str())
                {
                    out[i - 1].zone = out[i].zone.clone();
                }
            }
        }
    }

    /// A date with a month name and a clock apart in one sentence: "On
    /// December 5, 2022 a new account … at approximately 4:37 pm (Central
    /// Standard Time)", "at 4:37 pm on December 5, 2022". The clock is
    /// introduced by "at" (or "around", "approximately"); the date comes
    /// before it in the same sentence, or right after it ("on …").
    fn find_split(&self, line: &str) -> Option<Found> {
        // A clock needs a colon and a digit after it.
        if !line.as_bytes().windows(2).any(|w| w[0] == b':' && w[1].is_ascii_digit()) {
            return None;
        }
        let clock = self.split_clock.captures(line)?;
        let whole = clock.get(0)?;
        let dates: Vec<regex::Captures<'_>> = self.split_date.captures_iter(line).collect();
        // The nearest date before the clock with no sentence end between, else one right after it.
        let before = dates.iter().rev().find(|d| {
            d.get(0).is_some_and(|m| {
                m.end() <= whole.start()
                    && whole.start() - m.end() <= 240
                    && !line[m.end()..whole.start()].contains(". ")
            })
        });
        let after = || {
            dates.iter().find(|d| {
                d.get(0).is_some_and(|m| {
                    m.start() >= whole.end() && {
                        // "at 11:10 PM on Tuesday, October 21, 2025": a weekday may
                        // come between, when no other date comes before the clock
                        // ("It begins on 13 May 2023 and ends at 12:30 a.m. on
                        // Sunday, May 14, 2023" is a schedule, left unread).
                        let written = line[whole.end()..m.start()].trim().to_ascii_lowercase();
                        let gap = without_weekday(written.trim_end_matches(',').trim_end());
                        let weekday = gap.len() < written.trim_end_matches(',').trim_end().len();
                        let next = opens_next_time(line, whole.end(), m.start()..m.end());
                        (!weekday || before.is_none())
                            && (gap == "on" || gap.ends_with(" on") && !next || gap.is_empty())
                    }
                })
            })
        };
        // A date later in the sentence, not linked to the clock, may be its
        // own ("ends at 12:30 a.m. on Sunday, May 14"): not read.
        let unsure = || {
            dates.iter().any(|d| {
                d.get(0).is_some_and(|m| {
                    m.start() >= whole.end()
                        && m.start() - whole.end() <= 60
                        && !sentence_break(&line[whole.end()..m.start()])
                        && !opens_next_time(line, whole.end(), m.start()..m.end())
                })
            })
        };
        let d = match after() {
            Some(d) => d,
            None if unsure() => return None,
            None => before?,
        };
        let num = |c: &regex::Captures<'_>, a: &str, b: &str| {
            c.name(a).or_else(|| c.name(b)).and_then(|m| m.as_str().parse::<i32>().ok())
        };
        let month = month_number(d.name("mon").or_else(|| d.name("mon2"))?.as_str())?;
        let (year, day) = (num(d, "y", "y2")?, num(d, "d", "d2")?);
        let mut hour = num(&clock, "h", "h")?;
        let minute = num(&clock, "mi", "mi")?;
        let second = num(&clock, "s", "s").unwrap_or(0);
        if let Some(ap) = clock.name("ap") {
            if !(1..=12).contains(&hour) {
                return None;
            }
            let pm = ap.as_str().eq_ignore_ascii_case("p");
            hour = match (pm, hour) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        if !(1970..=2100).contains(&year) {
            return None;
        }
        let dt = DateTime::new(
            i16::try_from(year).ok()?,
            month,
            i8::try_from(day).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            0,
        )
        .ok()?;
        let dm = d.get(0)?;
        // A sentence's full stop is no part of the clock; the dot of "p.m." is.
        let clock_end = whole.end() - usize::from(whole.as_str().ends_with('.') && clock.name("ap").is_none());
        let (zone, used) = match zone_after(&line[clock_end..]) {
            Some((z, used)) => (Some(z), used),
            None => (self.line_zone(line), 0),
        };
        // The time is the clock (and the date right after it): the words
        // between an earlier date and the clock stay free for other clocks
        // of the sentence ("on 15 October 2025, at noon and again at 12:40").
        let end = (clock_end + used).max(dm.end());
        Some(Found { start: whole.start(), end, dt, zone })
    }

    /// Local-style dates (see [`crate::local`]) not already read, a zone word
    /// after a clock ("14:22 Uhr MEZ", "à 14h22, heure de Paris"), and the
    /// bare second end of a span ("zwischen 14:00 und 14:30 Uhr").
    fn find_local(&self, line: &str, out: &mut Vec<Found>) {
        // Every local form has a four-digit year.
        if !line.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit)) {
            return;
        }
        let before = out.len();
        let stamps = if self.month_names { self.local.find(line) } else { Vec::new() };
        for s in stamps {
            if !out.iter().any(|f| s.start < f.end && f.start < s.end) {
                out.push(Found { start: s.start, end: s.end, dt: s.dt, zone: None });
            }
        }
        if out.len() > before {
            out.sort_by_key(|f| f.start);
        }
        let mut spans = Vec::new();
        for (i, f) in out.iter_mut().enumerate() {
            let mut end = f.end;
            if f.zone.is_none() {
                end += self.local.suffix_len(&line[end..]);
                f.zone = self.zone_at(&line[end..]).map(|(z, used)| {
                    f.end = end + used;
                    z
                });
            }
            if let Some((dt, used, pm)) = self.local.span_end(&line[f.end..], f.dt.date()) {
                let s_end = f.end + used;
                let after = s_end + self.local.suffix_len(&line[s_end..]);
                let zone = self.zone_at(&line[after..]);
                // "05:30:00 to 05:36:00PM": one marker for both ends, when
                // the first has none and stays before the second with it.
                if let Some(pm) = pm {
                    let written = line[f.start..f.end].to_ascii_lowercase();
                    let marked = written.contains("am") || written.contains("pm") || written.contains("m.");
                    let hour = crate::local::twelve_hour(f.dt.hour(), pm);
                    if let Some(first) = hour.filter(|_| !marked).and_then(|h| f.dt.with().hour(h).build().ok()) {
                        if first <= dt {
                            f.dt = first;
                        }
                    }
                }
                spans.push((i, dt, f.end, s_end, zone));
            }
        }
        for (i, dt, start, end, zone) in spans.into_iter().rev() {
            let zone = match zone {
                Some((z, _)) => {
                    // A zone after the second end holds for the first too.
                    if out[i].zone.is_none() {
                        out[i].zone = Some(z.clone());
                    }
                    Some(z)
                }
                None => out[i].zone.clone(),
            };
            if !out.iter().any(|f| f.start < end && start < f.end && f.start != out[i].start) {
                out.insert(i + 1, Found { start, end, dt, zone });
            }
        }
        if out.len() > before && out.iter().any(|f| f.zone.is_none()) {
            if let Some(z) = self.line_zone(line) {
                for f in out.iter_mut().filter(|f| f.zone.is_none()) {
                    f.zone = Some(z.clone());
                }
            }
        }
    }

    /// Dates without a year before a clock ("on 7 March at 14:22 UTC", "am
    /// 7. März um 14:22 Uhr"): the year is the message's (`reference`), or
    /// the one before when that would put the day more than two days after
    /// the message, as for syslog lines. Only a whole month name counts.
    fn find_yearless(&self, line: &str, reference: Date, out: &mut Vec<Found>) {
        if line.len() > 2_000 || !line.bytes().any(|b| b.is_ascii_digit()) || !line.contains(':') && !line.contains('h')
        {
            return;
        }
        let mut found = Vec::new();
        for c in self.yearless.captures_iter(line) {
            let Some(all) = c.get(0) else { continue };
            if out.iter().any(|f| all.start() < f.end && f.start < all.end()) {
                continue;
            }
            let word = c.name("m1").or(c.name("m2")).map_or("", |m| m.as_str());
            let Some(month) = whole_month(word) else { continue };
            let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i8>().ok());
            let (Some(day), Some(mut hour), Some(minute)) = (num("d1").or(num("d2")), num("h"), num("mi")) else {
                continue;
            };
            if let Some(ap) = c.name("ap") {
                let Some(h) = crate::local::twelve_hour(hour, ap.as_str().eq_ignore_ascii_case("p")) else { continue };
                hour = h;
            }
            let mut year = reference.year();
            let Ok(candidate) = Date::new(year, month, day) else { continue };
            if reference.checked_add(jiff::Span::new().days(2)).is_ok_and(|limit| candidate > limit) {
                year -= 1;
            }
            let Ok(dt) = DateTime::new(year, month, day, hour, minute, num("s").unwrap_or(0), 0) else { continue };
            let mut end = all.end();
            end += self.local.suffix_len(&line[end..]);
            let zone = self.zone_at(&line[end..]).map(|(z, used)| {
                end += used;
                z
            });
            found.push(Found { start: all.start(), end, dt, zone });
        }
        if !found.is_empty() {
            out.extend(found);
            out.sort_by_key(|f| f.start);
        }
    }

    /// The dates written without a clock on `line` ("On 2025-08-19 our
    /// site…", "дамп, снятый 02.09.2025").
    pub(crate) fn clockless_dates(&self, line: &str, day_first: bool) -> Vec<Date> {
        self.clocks.dates_in(line, day_first).into_iter().map(|d| d.date).collect()
    }

    /// [`TimeParser::clockless_dates`] with where each is written (byte range).
    pub(crate) fn clockless_date_spans(&self, line: &str, day_first: bool) -> Vec<(std::ops::Range<usize>, Date)> {
        self.clocks.dates_in(line, day_first).into_iter().map(|d| (d.start..d.end, d.date)).collect()
    }

    /// Where a date that ends the line starts, when at most three words
    /// follow it ("… on 15/06/2025 between", "el 20 de noviembre de 2025 a
    /// las"): the date of clocks written on the next line.
    pub(crate) fn date_tail(&self, line: &str) -> Option<usize> {
        let d = self.clocks.dates(line).into_iter().last()?;
        let rest = line.get(d.end..)?;
        let words = rest.split_whitespace().count();
        (words <= 3 && !rest.contains(|c: char| c.is_ascii_digit() || ".!?;".contains(c))).then_some(d.start)
    }

    /// Where the statement that ends the line starts, when a full time ends
    /// it with at most three words after it ("… 11.10.2025 с 01:12:40"): at
    /// that time's date when it is written apart before the clock.
    pub(crate) fn time_tail(&self, line: &str, reference: Option<Date>, day_first: bool) -> Option<usize> {
        let f = self.find_dated(line, reference, day_first).pop()?;
        let rest = line.get(f.end..)?;
        if rest.split_whitespace().count() > 3 || rest.contains(|c: char| c.is_ascii_digit() || ".!?;:".contains(c)) {
            return None;
        }
        let date = self.clocks.dates(line).into_iter().rev().find(|d| d.end <= f.start && f.start - d.end <= 24);
        Some(date.map_or(f.start, |d| d.start.min(f.start)))
    }

    /// A zone that starts a line (`IST. (UTC +5:30)`), for a time that ended
    /// the line before: a name or a parenthesis, not a bare sign (a line
    /// starting with "-10" is no offset).
    pub(crate) fn leading_zone(&self, text: &str) -> Option<Zone> {
        let t = text.trim_start();
        if !t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '(') {
            return None;
        }
        zone_after(t).map(|(z, _)| z)
    }

    /// A zone written right at the start of `rest` (after a clock): an
    /// abbreviation or offset, else a local zone phrase within a few words.
    fn zone_at(&self, rest: &str) -> Option<(Zone, usize)> {
        if let Some(z) = zone_after(rest) {
            return Some(z);
        }
        let near = head(rest, 40);
        let near = &near[..near.find(['\n', ';']).unwrap_or(near.len())];
        let t = near.trim_start_matches([' ', ',', '(', '-']);
        // The zone must come first: "(heure de Paris)", ", hora peninsular".
        let z = local_zone(head(t, 30))?;
        let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
        let z_first = [
            "heure",
            "hora",
            "horário",
            "horario",
            "ora",
            "czasu",
            "время",
            "по",
            "мск",
            "msk",
            "sečt",
            "seč",
            "selč",
            "mez",
            "mesz",
            "deutscher",
            "nederlandse",
            "московского",
        ]
        .iter()
        .any(|w| first.trim_end_matches([',', ')', '.']) == *w);
        z_first.then_some((z, 0))
    }

    fn find_main(&self, line: &str, reference: Option<Date>, day_first: bool) -> Vec<Found> {
        let mut out = Vec::new();
        // Cheap filter: every supported form has a digit, a colon and a digit.
        if !line.as_bytes().windows(2).any(|w| w[0] == b':' && w[1].is_ascii_digit()) {
            return out;
        }
        let bytes = line.as_bytes();
        let stamps = match &self.ascii {
            Some(a) if line.is_ascii() => a,
            _ => &self.all,
        };
        for m in stamps.stamp.find_iter(line) {
            // A timestamp does not start inside a word or number; one that
            // starts with a month name may follow a digit, as in log lines
            // whose line breaks were lost ("…ssh2Sep 22 01:20:19 …").
            if m.start() > 0 {
                let prev = bytes[m.start() - 1];
                let alpha_start = bytes[m.start()].is_ascii_alphabetic();
                if prev.is_ascii_alphabetic() || (!alpha_start && prev.is_ascii_digit()) {
                    continue;
                }
            }
            if bytes.get(m.end()).is_some_and(|b| b.is_ascii_digit()) {
                continue;
            }
            // A zone read past the match may overlap the next match: skip it.
            if out.last().is_some_and(|f: &Found| m.start() < f.end) {
                continue;
            }
            let Some((caps, groups)) = stamps.captures(line, m) else { continue };
            let Some((dt, ctime_zone)) = self.build(&caps, groups, reference, day_first) else {
                continue;
            };
            let mut end = m.end();
            let mut zone = None;
            if let Some(z) = ctime_zone.and_then(|w| abbreviation(w).and_then(|mins| Zone::fixed_seconds(mins * 60, w)))
            {
                zone = Some(z);
            } else if let Some((z, used)) = zone_after(&line[end..]) {
                zone = Some(z);
                end += used;
            }
            let dt = match &zone {
                Some(z) if !day_first => {
                    day_first_by_zone(m.as_str(), z.label()).map_or(dt, |d| d.to_datetime(dt.time()))
                }
                _ => dt,
            };
            out.push(Found { start: m.start(), end, dt, zone });
        }
        if out.iter().any(|f| f.zone.is_none()) {
            if let Some(z) = self.line_zone(line) {
                for f in out.iter_mut().filter(|f| f.zone.is_none()) {
                    f.zone = Some(z.clone());
                }
            }
        }
        out
    }

    /// A zone stated in parentheses or as "time zone: X" anywhere on the line,
    /// applying to times on that line that carry none themselves.
    fn line_zone(&self, line: &str) -> Option<Zone> {
        // The parenthesis pattern needs a `(`; every key below, "zone".
        if line.as_bytes().contains(&b'(') {
            for caps in self.paren.captures_iter(line) {
                if let Some(z) = caps.get(1).and_then(|m| self.zone_phrase(m.as_str(), true)) {
                    return Some(z);
                }
            }
        }
        if find_ascii_ci(line, b"zone").is_some() {
            let lower = line.to_ascii_lowercase();
            for key in ["time zone:", "timezone:", "time zone is", "timezone is"] {
                if let Some(p) = lower.find(key) {
                    let tail = &line[p + key.len()..];
                    return self.zone_phrase(head(tail, 40), false);
                }
            }
        }
        // A zone word in the language of the line ("heure de Paris", "MESZ").
        local_zone(line)
    }

    fn build<'l>(
        &self,
        caps: &regex::Captures<'l>,
        groups: &Groups,
        reference: Option<Date>,
        day_first: bool,
    ) -> Option<(DateTime, Option<&'l str>)> {
        let num = |id: usize| groups.get(caps, id).and_then(|m| m.as_str().parse::<i32>().ok());
        let text = |id: usize| groups.get(caps, id).map(|m| m.as_str());
        let (prefix, year, month, day, czone): (char, Option<i32>, i32, i32, Option<&str>) =
            if let Some(y) = num(const { date_group("iy") }) {
                ('i', Some(y), num(const { date_group("im") })?, num(const { date_group("id") })?, None)
            } else if let Some((p, y, mon, d)) =
                NAMED_MONTH_FORMS.iter().find_map(|&(p, y, mon, d)| Some((p, num(y)?, mon, d)))
            {
                // Only the `c` form (ctime-like) carries a zone of its own.
                let zone = if p == 'c' { text(const { date_group("cz") }) } else { None };
                (p, Some(y), month_number(text(mon)?)?.into(), num(d)?, zone)
            } else if let Some(y) = num(const { date_group("ny") }) {
                let (a, b) = (num(const { date_group("n1") })?, num(const { date_group("n2") })?);
                let sep = text(const { date_group("nsep") })?;
                // Dots and dashes are day-first everywhere they are used; a
                // slash is month-first unless the first number cannot be a month,
                // or the complaint is written in a language whose readers put
                // the day first.
                // Either way, a reading whose month cannot be one gives way to
                // the other (`3-17-2022` is March 17th).
                let month_first = a <= 12 && (b > 12 || (sep == "/" && !day_first));
                let (d, mo) = if month_first { (b, a) } else { (a, b) };
                ('n', Some(y), mo, d, None)
            } else if let Some(d) = num(const { date_group("sd") }) {
                ('s', None, month_number(text(const { date_group("smon") })?)?.into(), d, None)
            } else if let Some(d) = num(const { date_group("pd") }) {
                ('p', None, num(const { date_group("pm") })?, d, None)
            } else {
                return None;
            };
        let [h, mi, sec, ap] = time_group_ids(prefix);
        let mut hour = num(h)?;
        let minute = num(mi)?;
        let second = num(sec).unwrap_or(0).min(59);
        if let Some(ap) = text(ap) {
            let pm = ap.starts_with(['p', 'P']);
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (pm, hour) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        let year = match year {
            Some(y) if y < 100 => 2000 + y,
            Some(y) => y,
            None => {
                let r = reference?;
                let mut y = i32::from(r.year());
                // A December log line in a January message is last year's.
                let candidate =
                    Date::new(i16::try_from(y).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
                if candidate > r.checked_add(jiff::Span::new().days(2)).ok()? {
                    y -= 1;
                }
                y
            }
        };
        if !(1970..=2100).contains(&year) {
            return None;
        }
        let dt = DateTime::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            0,
        )
        .ok()?;
        Some((dt, czone))
    }

    /// A zone stated in prose on this line ("All times are UTC-7",
    /// "Timezone in Europe/Moscow (+3)"), if the line makes such a statement.
    pub(crate) fn prose_zone(&self, line: &str) -> Option<Zone> {
        self.prose_zone_mention(line).0
    }

    /// [`TimeParser::prose_zone`], and, when it finds none, whether the line
    /// has a word that starts a zone statement ([`TimeParser::mentions_zone`]),
    /// from the same keyword search (`true` when it finds one).
    pub(crate) fn prose_zone_mention(&self, line: &str) -> (Option<Zone>, bool) {
        // "… currently MESZ (GMT +02:00)": a zone right after "currently".
        // A line without "currently" has no "currently " either: one search
        // answers both questions for most lines.
        let currently = find_ascii_ci(line, b"currently").is_some();
        if let Some(p) = currently.then(|| find_ascii_ci(line, b"currently ")).flatten() {
            let tail: Vec<&str> = line[p + 10..].split_whitespace().take(4).collect();
            if let Some(z) = self.zone_phrase(&tail.join(" "), true) {
                return (Some(z), true);
            }
        }
        let intl: Vec<regex::Match<'_>> =
            if line.is_ascii() { Vec::new() } else { self.prose_kw_intl.find_iter(line).collect() };
        // A keyword (or, on a non-ASCII line, an international one) was seen.
        let mut keyword = false;
        for m in self.prose_kw.find_iter(line).chain(intl) {
            keyword = true;
            let rest = &line[m.end()..];
            let rest = head(rest, 110);
            let mut tail = &rest[..sentence_end(rest)];
            // Skip a parenthetical right after the keyword: "Date/timestamps (far left) are UTC".
            let t = tail.trim_start();
            if t.starts_with('(') {
                if let Some(close) = t.find(')') {
                    // "… and times (UTC) are listed in the attached file": the
                    // parenthetical is the zone itself.
                    if let Some(z) = self.zone_phrase(&t[1..close], true) {
                        return (Some(z), true);
                    }
                    tail = &t[close + 1..];
                }
            }
            let mut t = tail.trim_start();
            // "All the times above are PDT", "times below in UTC": a word
            // placing the times comes between the keyword and the statement.
            for filler in ["above ", "below ", "here ", "shown above ", "listed above ", "in this report "] {
                if let Some(rest) =
                    t.get(..filler.len()).filter(|h| h.eq_ignore_ascii_case(filler)).map(|_| &t[filler.len()..])
                {
                    t = rest.trim_start();
                    break;
                }
            }
            let lower = t.to_ascii_lowercase();
            // "timestamp GMT-02:00", "(Zeitstempel UTC)": a zone right after the keyword.
            let first = t.split_whitespace().next().unwrap_or("").trim_end_matches([')', ',', ';', '.', ':']);
            let adjacent = !first.is_empty() && self.zone_phrase(first, true).is_some();
            let connected = adjacent
                || [
                    ":",
                    "are",
                    "is",
                    "in",
                    "adjusted",
                    "shown",
                    "given",
                    "expressed",
                    "listed",
                    "sind",
                    "=",
                    "-",
                    // "The server clock runs on UTC", "clocks are set to", "logs use CET"
                    "run",
                    "set to",
                    "use",
                    "keep",
                    "synchroni",
                    "on ",
                ]
                .iter()
                .any(|c| lower.starts_with(c))
                || m.as_str().to_ascii_lowercase().contains("zone")
                || STRONG_ZONE_WORDS.iter().any(|w| m.as_str().to_lowercase().starts_with(w));
            if !connected {
                continue;
            }
            // "Time: 2015-05-15 17:03:11-07:00" is an inline field, not a statement.
            if !self.find(t, Some(Date::constant(2000, 1, 1))).is_empty() {
                continue;
            }
            if let Some(z) = self.zone_phrase(t, false) {
                return (Some(z), true);
            }
        }
        // "Sample traffic (tcpdump -tttt, UTC):": a zone closing the
        // parenthetical that introduces the lines below.
        let t = line.trim_end();
        // Also "Tijden in Nederlandse tijd (CEST, UTC+2).": a zone keyword
        // on the line, the zone in its closing parenthetical.
        // And, in any language, a short sentence of words alone whose
        // closing parenthetical is a zone ("Alle tidspunkter er dansk tid
        // (CET).", "Saatler Türkiye saatidir (UTC+3)."): read strictly below.
        let words_only = |x: &str| {
            x.rfind('(').is_some_and(|open| {
                let before = &x[..open];
                x.len() <= 120 && !before.bytes().any(|b| b.is_ascii_digit()) && before.split_whitespace().count() >= 3
            })
        };
        let closing = t.strip_suffix("):").or_else(|| {
            t.strip_suffix(").").or_else(|| t.strip_suffix(')')).filter(|x| {
                self.prose_kw.is_match(t) || (!t.is_ascii() && self.prose_kw_intl.is_match(t)) || words_only(x)
            })
        });
        if let Some(inner) = closing.and_then(|x| x.rsplit_once('(')).map(|(_, inner)| inner) {
            let last = inner.rsplit(',').next().unwrap_or(inner).trim();
            // "UTC", or "BST / UTC+1": the last written form is the most explicit.
            for piece in last.rsplit('/').map(str::trim).take(2) {
                if piece.len() <= 12 && piece.split_whitespace().count() == 1 {
                    if let Some(z) = self.zone_phrase(piece, true) {
                        return (Some(z), true);
                    }
                }
            }
        }
        (None, keyword || currently)
    }

    /// True when the line has a word that starts a zone statement.
    #[cfg(test)]
    pub(crate) fn mentions_zone(&self, line: &str) -> bool {
        self.prose_kw.is_match(line)
            || find_ascii_ci(line, b"currently").is_some()
            || (!line.is_ascii() && self.prose_kw_intl.is_match(line))
    }

    /// The zone named by a column header on this line (`TIME (UTC)`,
    /// `timestamp(UTC+0)`), if the line is such a header.
    pub(crate) fn table_zone(&self, line: &str) -> Option<Zone> {
        // A column named with its zone: `timestamp_utc`, `utc_time`, `date_gmt`.
        if let Some(z) = self.column_zone(line) {
            return Some(z);
        }
        // The pattern needs a parenthesis: most lines have none.
        if !line.as_bytes().contains(&b'(') {
            return None;
        }
        let caps = self.table_hdr.captures(line)?;
        if !self.find(line, Some(Date::constant(2000, 1, 1))).is_empty() {
            return None;
        }
        self.zone_phrase(caps.get(1)?.as_str(), true)
    }

    /// UTC from a header line whose time column is named with it
    /// (`timestamp_utc`, `time_utc`, `utc_time`, `datetime_gmt`): a CSV or
    /// TSV header, not a data row (it holds no time).
    fn column_zone(&self, line: &str) -> Option<Zone> {
        let lower = crate::bounds::head(line, 512).to_ascii_lowercase();
        if !(lower.contains("_utc") || lower.contains("utc_") || lower.contains("_gmt") || lower.contains("gmt_")) {
            return None;
        }
        let named = lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| {
            let parts: Vec<&str> = w.split('_').collect();
            parts.len() == 2
                && parts.iter().any(|p| matches!(*p, "utc" | "gmt"))
                && parts.iter().any(|p| matches!(*p, "time" | "timestamp" | "date" | "datetime" | "ts" | "seen"))
        });
        if !named || !self.find(line, Some(Date::constant(2000, 1, 1))).is_empty() {
            return None;
        }
        self.zone_phrase("UTC", true)
    }

    /// Reads a zone out of a short phrase. `strict` phrases (in parentheses or
    /// headers) must be short (a zone and a word or two, "UK time, BST");
    /// loose ones may carry a sentence.
    pub(crate) fn zone_phrase(&self, phrase: &str, strict: bool) -> Option<Zone> {
        let aliased;
        let phrase = if phrase.contains("МСК") {
            aliased = phrase.replace("МСК", "MSK");
            aliased.as_str()
        } else {
            phrase
        };
        if strict && phrase.split_whitespace().count() > 4 {
            return None;
        }
        let strict = strict && phrase.split_whitespace().count() <= 1;
        // "CE(S)T", "ME(S)Z": a pair of standard and summer time written as one.
        let upper = phrase.to_ascii_uppercase();
        if upper.contains('(') {
            for (std, dst, iana) in DST_PAIRS {
                if let Some(contracted) = contracted_pair(std, dst) {
                    if upper.contains(&contracted) {
                        return Zone::named(iana);
                    }
                }
            }
        }
        if let Some(m) = self.iana.find(phrase) {
            if let Some(z) = Zone::named(m.as_str()) {
                return Some(z);
            }
        }
        let lower = format!(" {} ", phrase.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), " "));
        if let Some(z) = long_zone_in(phrase) {
            return Some(z);
        }
        if !strict {
            if let Some(z) = local_zone(phrase) {
                return Some(z);
            }
            for (word, iana) in PLACES {
                if lower.contains(&format!(" {word}")) {
                    if *iana == "UTC" {
                        return Zone::fixed_seconds(0, "GMT");
                    }
                    return Zone::named(iana).map(|z| match z {
                        Zone::Named { tz, .. } => Zone::Named { tz, label: format!("{iana} (\"{}\")", phrase.trim()) },
                        other => other,
                    });
                }
            }
            let words: Vec<&str> = self.word.find_iter(phrase).map(|m| m.as_str()).collect();
            for (std, dst, iana) in DST_PAIRS {
                if words.contains(std) && words.contains(dst) {
                    return Zone::named(iana);
                }
            }
        }
        // "(times) are US Pacific.", "(times) are Eastern": a US region as
        // the statement's last word.
        let first_sentence = phrase.split(". ").next().unwrap_or(phrase);
        for (at, _) in first_sentence.match_indices(|c: char| c.is_ascii_uppercase()) {
            if at > 0 && !first_sentence[..at].ends_with(' ') {
                continue;
            }
            if let Some((z, used)) = us_region_at(&first_sentence[at..]) {
                let rest = first_sentence[at + used..].trim_start();
                if rest.is_empty() || rest.starts_with(['.', ',', ';', ')']) {
                    return Some(z);
                }
            }
        }
        if let Some(c) = self.numeric_zone.captures(phrase) {
            let (sign, hours, minutes) = if let Some(s) = c.name("gs") {
                let d = c.name("gd").map(|m| m.as_str()).unwrap_or("0");
                let (h, mi) = if d.len() > 2 {
                    let (a, b) = d.split_at(d.len() - 2);
                    (a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)
                } else {
                    (d.parse::<i32>().ok()?, c.name("gm").and_then(|m| m.as_str().parse().ok()).unwrap_or(0))
                };
                (s.as_str(), h, mi)
            } else if let Some(s) = c.name("s") {
                (s.as_str(), c.name("h")?.as_str().parse().ok()?, c.name("m")?.as_str().parse().ok()?)
            } else {
                (c.name("ps")?.as_str(), c.name("pd")?.as_str().parse().ok()?, 0)
            };
            if minutes < 60 {
                let secs = (hours * 3600 + minutes * 60) * if sign == "+" { 1 } else { -1 };
                return Zone::fixed_seconds(secs, c.get(0)?.as_str().trim_matches(['(', ')']).to_string());
            }
        }
        let words: Vec<&str> = self.word.find_iter(phrase).map(|m| m.as_str()).collect();
        if strict && words.len() != 1 {
            return None;
        }
        for w in words {
            let upper = w.to_ascii_uppercase();
            // Lower-case words only count for the unambiguous UTC/GMT.
            let ok = w == upper || upper == "UTC" || upper == "GMT";
            if ok {
                if let Some(mins) = abbreviation(&upper) {
                    if upper != "Z" {
                        return Zone::fixed_seconds(mins * 60, upper);
                    }
                }
            }
        }
        None
    }
}

/// The group ids of a branch's time of day (see [`Groups`]).
/// Zone abbreviations of places that write the day before the month.
const DAY_FIRST_ZONES: &[&str] = &[
    "BST", "WET", "WEST", "CET", "CEST", "MEZ", "MESZ", "EET", "EEST", "MSK", "IST", "AEST", "AEDT", "ACST", "ACDT",
    "AWST", "NZST", "NZDT", "BRT", "ART", "SAST",
];

/// An ambiguous slash date (`09/08/2025`, both numbers up to 12) read
/// month first, followed by the zone of a place that writes the day first
/// (`BST`, `CET`, ...): the date read day first.
fn day_first_by_zone(stamp: &str, zone: &str) -> Option<jiff::civil::Date> {
    let word = zone.split_whitespace().next()?;
    if !DAY_FIRST_ZONES.iter().any(|z| z.eq_ignore_ascii_case(word)) {
        return None;
    }
    let mut it = stamp.splitn(3, '/');
    let a: i8 = it.next()?.trim().parse().ok()?;
    let b: i8 = it.next()?.trim().parse().ok()?;
    let rest = it.next()?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let y: i16 = match digits.len() {
        4 => digits.parse().ok()?,
        2 => 2000 + digits.parse::<i16>().ok()?,
        _ => return None,
    };
    if a > 12 || b > 12 || a == b {
        return None;
    }
    jiff::civil::Date::new(y, b, a).ok()
}

fn time_group_ids(prefix: char) -> [usize; 4] {
    let p = TIME_PREFIXES.iter().position(|c| *c == prefix).unwrap_or(TIME_PREFIXES.len() - 1);
    let first = DATE_GROUPS.len() + p * TIME_SUFFIXES.len();
    [first, first + 1, first + 2, first + 3]
}

/// Whether the words between a clock and a later date start the next time
/// ("… at 23:40 and on 3 Dec 2025 at 00:12"): that date is not the clock's.
fn opens_next_time(line: &str, from: usize, date: std::ops::Range<usize>) -> bool {
    let g = line[from.min(date.start)..date.start].to_lowercase();
    // "and on", "and the last on Sunday", "und am", "et le", "y el", "e il", "en op".
    let joined = g
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ["and", "or", "und", "oder", "et", "ou", "y", "o", "e", "ed", "en", "i", "и", "или"].contains(&w));
    // The date has a clock of its own right after it ("… 9 November 2025 at
    // 00:02"); a date that ends a span ("between 2:10 AM and 4:55 AM EST on
    // January 9, 2025") has none.
    joined && has_clock_time(crate::bounds::head(&line[date.end..], 24))
}

/// True when the text holds a time of day (`12:34`): such a line is a log
/// line or a time statement, not a sentence going on to the next line.
pub(crate) fn has_clock_time(s: &str) -> bool {
    s.as_bytes()
        .windows(4)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit())
}

/// Parses a zone written right after a time: ` +0200`, `Z`, `-07:00`,
/// ` (GMT+8)`, ` UTC`, ` CEST`, ` + GMT - 3`. Returns the zone and the bytes used.
fn zone_after(rest: &str) -> Option<(Zone, usize)> {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let paren = b.get(i) == Some(&b'(');
    if paren {
        i += 1;
    }
    let start = i;
    let digits = |from: usize, max: usize| {
        let mut j = from;
        while j < b.len() && j - from < max && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let finish = |z: Zone, mut j: usize| {
        if paren && b.get(j) == Some(&b')') {
            j += 1;
        }
        Some((z, j))
    };
    // Z
    if b.get(i) == Some(&b'Z') && !b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return finish(Zone::fixed_seconds(0, "Z")?, i + 1);
    }
    // +0200, -07:00, +02
    if let Some(&s) = b.get(i).filter(|c| **c == b'+' || **c == b'-') {
        let h_end = digits(i + 1, 2);
        if h_end == i + 3 {
            let mut m_start = h_end;
            if b.get(m_start) == Some(&b':') {
                m_start += 1;
            }
            let m_end = digits(m_start, 2);
            let sign = if s == b'-' { -1 } else { 1 };
            let h: i32 = rest[i + 1..h_end].parse().ok()?;
            if m_end == m_start + 2 && !b.get(m_end).is_some_and(|c| c.is_ascii_digit()) {
                let m: i32 = rest[m_start..m_end].parse().ok()?;
                if m < 60 {
                    return finish(Zone::fixed_seconds(sign * (h * 3600 + m * 60), &rest[start..m_end])?, m_end);
                }
            } else if !b.get(h_end).is_some_and(|c| c.is_ascii_digit() || *c == b':') {
                return finish(Zone::fixed_seconds(sign * h * 3600, &rest[start..h_end])?, h_end);
            }
        }
        // "+ GMT - 3"
        let mut j = i + 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if s == b'+' && (rest[j..].starts_with("GMT") || rest[j..].starts_with("UTC")) {
            return gmt_offset(rest, j, start).and_then(|(z, e)| finish(z, e));
        }
        return None;
    }
    if rest[i..].starts_with("UTC") || rest[i..].starts_with("GMT") {
        return gmt_offset(rest, i, start).and_then(|(z, e)| finish(z, e));
    }
    // Abbreviation
    let mut j = i;
    while j < b.len() && b[j].is_ascii_uppercase() {
        j += 1;
    }
    if (2..=5).contains(&(j - i)) && !b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
        let w = &rest[i..j];
        if let Some(mins) = abbreviation(w) {
            // "CET +0000": a numeric offset after the name is the more
            // specific statement and wins; the label keeps both, so that a
            // disagreement can be flagged (`abbreviation_conflict`).
            let k = j + b[j..].iter().take_while(|c| **c == b' ').count();
            if k > j && b.get(k).is_some_and(|c| *c == b'+' || *c == b'-') {
                if let Some((Zone::Fixed { offset, .. }, e)) = zone_after(&rest[k..]) {
                    let label = format!("{w} {}", &rest[k..k + e]);
                    return finish(Zone::fixed_seconds(offset.seconds(), label)?, k + e);
                }
            }
            return finish(Zone::fixed_seconds(mins * 60, w)?, j);
        }
    }
    // "(Central Standard Time)", "Eastern Time", "9:47 PM Pacific"
    if let Some((z, used)) = long_zone_at(&rest[i..]).or_else(|| us_region_at(&rest[i..])) {
        return finish(z, i + used);
    }
    // "(ora legale italiana, UTC+2)", "(ora italiana, CET)": words naming the
    // zone, then its offset or abbreviation after a comma, in one parenthetical.
    if paren {
        let close = rest[i..].find(')').filter(|c| *c <= 48).map(|c| i + c)?;
        let inner = &rest[i..close];
        let (_, last) = inner.rsplit_once(", ")?;
        // Only an offset in numbers ("UTC+2", "GMT+1", "+02:00"): words and
        // an abbreviation ("UK time, BST") are read where local zone words
        // are, with the region's daylight rules.
        if !last.contains(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let at = i + inner.len() - last.len();
        let (z, used) = zone_after(&rest[at..close])?;
        return (at + used == close).then_some((z, close + 1));
    }
    None
}

/// A US region named by one word right after a clock ("9:47 PM Pacific",
/// "10:00 Eastern."): capitalised, and not the start of a longer name
/// ("Central European", "Pacific Ocean").
fn us_region_at(text: &str) -> Option<(Zone, usize)> {
    const REGIONS: [(&str, &str); 8] = [
        ("Pacific", "America/Los_Angeles"),
        ("Mountain", "America/Denver"),
        ("Central", "America/Chicago"),
        ("Eastern", "America/New_York"),
        // "2:22 p.m. ET": the regions' short names, upper case, only here.
        ("PT", "America/Los_Angeles"),
        ("MT", "America/Denver"),
        ("CT", "America/Chicago"),
        ("ET", "America/New_York"),
    ];
    let (word, iana) =
        REGIONS.iter().find(|(w, _)| text.starts_with(w) || (w.len() > 2 && text.starts_with(&w.to_uppercase())))?;
    let rest = &text[word.len()..];
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '/' || c == '-')
        || rest.trim_start().starts_with(char::is_uppercase)
    {
        return None;
    }
    Some((Zone::named_labelled(iana, &text[..word.len()])?, word.len()))
}

/// `GMT`, `UTC+8`, `GMT -0600`, `GMT - 3` starting at `at`.
fn gmt_offset(rest: &str, at: usize, label_start: usize) -> Option<(Zone, usize)> {
    let b = rest.as_bytes();
    let mut j = at + 3;
    let mut k = j;
    while k < b.len() && b[k] == b' ' {
        k += 1;
    }
    // The sign: ASCII, or a typographic minus or en dash ("UTC−5", "GMT–3").
    let sign = match b.get(k) {
        Some(b'+') => Some((1, 1)),
        Some(b'-') => Some((-1, 1)),
        _ if rest[k..].starts_with(['\u{2212}', '\u{2013}']) => Some((-1, 3)),
        _ => None,
    };
    if let Some((sign, sign_len)) = sign {
        let mut d = k + sign_len;
        while d < b.len() && b[d] == b' ' {
            d += 1;
        }
        let mut e = d;
        while e < b.len() && e - d < 4 && b[e].is_ascii_digit() {
            e += 1;
        }
        if e > d && !b.get(e).is_some_and(|c| c.is_ascii_digit()) {
            let ds = &rest[d..e];
            let (h, mut m) = if ds.len() > 2 {
                let (a, bb) = ds.split_at(ds.len() - 2);
                (a.parse::<i32>().ok()?, bb.parse::<i32>().ok()?)
            } else {
                (ds.parse::<i32>().ok()?, 0)
            };
            let mut end = e;
            if ds.len() <= 2 && b.get(e) == Some(&b':') {
                let me = (e + 1..b.len().min(e + 3)).take_while(|x| b[*x].is_ascii_digit()).last();
                if let Some(me) = me.filter(|me| *me == e + 2) {
                    m = rest[e + 1..=me].parse().ok()?;
                    end = me + 1;
                }
            }
            if m >= 60 {
                return None;
            }
            return Some((Zone::fixed_seconds(sign * (h * 3600 + m * 60), rest[label_start..end].trim())?, end));
        }
    }
    if b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    j = j.min(rest.len());
    Some((Zone::fixed_seconds(0, &rest[at..at + 3])?, j))
}

/// Where `needle` (lower-case ASCII) first occurs in `hay`, ignoring ASCII
/// case: `hay.to_ascii_lowercase().find(needle)`, without the copy.
fn find_ascii_ci(hay: &str, needle: &[u8]) -> Option<usize> {
    // Candidates by the first byte (either case), then the rest compared.
    let (&first, rest) = needle.split_first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let h = hay.as_bytes();
    let last = h.len().checked_sub(needle.len())?;
    let mut from = 0;
    while from <= last {
        let i = from + h[from..=last].iter().position(|b| *b == lower || *b == upper)?;
        if h[i + 1..i + needle.len()].eq_ignore_ascii_case(rest) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// `gap` without a weekday name (and its comma) at its end.
fn without_weekday(gap: &str) -> String {
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    let t = gap.trim_end().trim_end_matches(',').trim_end_matches('.');
    match DAYS.iter().find(|d| t.ends_with(*d) && !t[..t.len() - d.len()].ends_with(char::is_alphanumeric)) {
        Some(d) => t[..t.len() - d.len()].trim_end().trim_end_matches(',').trim_end().to_string(),
        None => gap.to_string(),
    }
}

/// Whether `gap` ends a sentence: a full stop (not after a digit: "7. März"),
/// `!` or `?`, then a space and a capital letter.
fn sentence_break(gap: &str) -> bool {
    let mut prev = ' ';
    for (i, c) in gap.char_indices() {
        if matches!(c, '.' | '!' | '?') && !prev.is_ascii_digit() {
            let rest = gap[i + c.len_utf8()..].trim_start();
            if gap[i + c.len_utf8()..].starts_with(char::is_whitespace) && rest.starts_with(char::is_uppercase) {
                return true;
            }
        }
        prev = c;
    }
    false
}

/// Whether the clock `b` ends a span and its word opens the sentence after
/// `gap`, the text since the last full time ("… begann um 14:22 Uhr (MEZ)
/// ein Flood. Bis 15:10 Uhr gingen …", "… started at 14:22 UTC. Until 15:10
/// the shop was down"): the next sentence goes on with the same statement,
/// and only one sentence lies between.
fn opens_with_end(gap: &str, b: &crate::clocks::Bare) -> bool {
    if !b.second_end {
        return false;
    }
    let breaks: Vec<usize> = gap
        .char_indices()
        .filter(|(i, c)| {
            matches!(c, '.' | '!' | '?')
                && !gap[..*i].ends_with(|p: char| p.is_ascii_digit())
                && sentence_break(&gap[*i..])
        })
        .map(|(i, _)| i)
        .collect();
    let [at] = breaks[..] else { return false };
    let opening = gap[at + 1..].trim().to_lowercase();
    [
        "until",
        "till",
        "bis",
        "jusqu'à",
        "jusqu’à",
        "hasta las",
        "hasta",
        "fino alle",
        "tot",
        "do",
        "до",
        "até às",
        "até",
    ]
    .contains(&opening.as_str())
}

fn sentence_end(s: &str) -> usize {
    let b = s.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'.' && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()) {
            return i;
        }
    }
    s.len()
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn one(line: &str) -> (String, Option<String>) {
        let p = TimeParser::new();
        let found = p.find(line, Some(Date::constant(2022, 4, 14)));
        assert_eq!(found.len(), 1, "{line:?} gave {found:?}");
        let f = &found[0];
        let utc = f.zone.as_ref().and_then(|z| z.to_utc(f.dt)).map(exitdesk_model::format_utc);
        (exitdesk_model::format_local(f.dt), utc)
    }

    #[track_caller]
    fn check(line: &str, local: &str, utc: Option<&str>) {
        let (l, u) = one(line);
        assert_eq!(l, local, "local of {line:?}");
        assert_eq!(u.as_deref(), utc, "utc of {line:?}");
    }

    #[test]
    fn comma_between_date_and_clock() {
        check("Datum/Uhrzeit:  03.05.2025, 21:44:18 Uhr (MESZ)", "2025-05-03T21:44:18", Some("2025-05-03T19:44:18Z"));
        check("Date: 2025-05-03, 21:44:18 UTC", "2025-05-03T21:44:18", Some("2025-05-03T21:44:18Z"));
    }

    #[test]
    fn rfc2822() {
        check("Date: Fri, 31 Jan 2014 07:19:02 +0100", "2014-01-31T07:19:02", Some("2014-01-31T06:19:02Z"));
        check("on: *Mon,  7 Jun 2010 22:32:19 +0200*.", "2010-06-07T22:32:19", Some("2010-06-07T20:32:19Z"));
        check("received on Tue, 19 Jan 2016 14:32:40 -0500 (EST)", "2016-01-19T14:32:40", Some("2016-01-19T19:32:40Z"));
        check("Tue, 19 Jan 2016 14:32:49 EST", "2016-01-19T14:32:49", Some("2016-01-19T19:32:49Z"));
        check("30 May 2019 19:08:20", "2019-05-30T19:08:20", None);
    }

    #[test]
    fn iso_forms() {
        check("Time: 2015-05-15 17:03:11-07:00", "2015-05-15T17:03:11", Some("2015-05-16T00:03:11Z"));
        check("of 2022-06-09T16:56:16.350Z", "2022-06-09T16:56:16", Some("2022-06-09T16:56:16Z"));
        check("198.51.100.19,2021-03-12T19:49:25.314000,42306,62223", "2021-03-12T19:49:25", None);
        check("2024-04-12 06:22:17  198.51.100.10 59547 ->", "2024-04-12T06:22:17", None);
        check("Time of detection: 2019-06-07 05:55:00 +0200", "2019-06-07T05:55:00", Some("2019-06-07T03:55:00Z"));
        check("2016-02-11T15:01:42.72Z", "2016-02-11T15:01:42", Some("2016-02-11T15:01:42Z"));
        check("attack_timestamp: 2024-04-17 22:28:54.000 UTC", "2024-04-17T22:28:54", Some("2024-04-17T22:28:54Z"));
        check("2021-03-10 12:58:29,198.51.100.17,80,Sality", "2021-03-10T12:58:29", None);
    }

    #[test]
    fn odd_zones() {
        check("2024-01-10:09:47:51 + GMT - 3", "2024-01-10T09:47:51", Some("2024-01-10T12:47:51Z"));
        check("activity on 2023/Sep/25 00:00:02 (GMT+8):", "2023-09-25T00:00:02", Some("2023-09-24T16:00:02Z"));
        check("First attempt: 21-sep-2016 06:30:00 GMT-0400", "2016-09-21T06:30:00", Some("2016-09-21T10:30:00Z"));
        check("23/01/22 17:29:34 CST", "2022-01-23T17:29:34", Some("2022-01-23T23:29:34Z"));
        check("12:00 2020-01-02 09:00:00 UTC+1", "2020-01-02T09:00:00", Some("2020-01-02T08:00:00Z"));
        // A name and an offset: the offset wins, the disagreement is kept.
        check("2021-04-09 09:59:57.406184 CET +0000,x", "2021-04-09T09:59:57", Some("2021-04-09T09:59:57Z"));
        check("2021-04-09 09:59:57 CEST +02:00", "2021-04-09T09:59:57", Some("2021-04-09T07:59:57Z"));
        assert_eq!(abbreviation_conflict("CET +0000"), Some(3600));
        assert_eq!(abbreviation_conflict("CEST +02:00"), None);
        assert_eq!(abbreviation_conflict("CET"), None);
        assert_eq!(abbreviation_conflict("GMT +02"), None);
        let summer: Timestamp = "2022-05-31T15:18:53Z".parse().unwrap();
        let winter: Timestamp = "2022-01-31T15:18:53Z".parse().unwrap();
        assert_eq!(standard_name_in_summer("CET", summer), Some("CEST"));
        assert_eq!(standard_name_in_summer("CET", winter), None);
        assert_eq!(standard_name_in_summer("EST", summer), Some("EDT"));
        assert_eq!(standard_name_in_summer("GMT", summer), None);
        assert_eq!(standard_name_in_summer("UTC", summer), None);
    }

    #[test]
    fn zones_in_words() {
        check("2022-12-05 16:37:00 (Central Standard Time)", "2022-12-05T16:37:00", Some("2022-12-05T22:37:00Z"));
        check("2022-07-05 16:37:00 Eastern Time", "2022-07-05T16:37:00", Some("2022-07-05T20:37:00Z"));
        check("2022-07-05 16:37:00 Pacific Daylight Time", "2022-07-05T16:37:00", Some("2022-07-05T23:37:00Z"));
        check("2022-07-05 16:37:00 (Coordinated Universal Time)", "2022-07-05T16:37:00", Some("2022-07-05T16:37:00Z"));
        check("2022-07-05 16:37:00 Indian Standard Time", "2022-07-05T16:37:00", Some("2022-07-05T11:07:00Z"));
        prose("All times are Central European Summer Time.", Some("2024-07-01T10:00:00Z"));
        prose("Times are given in Greenwich Mean Time", Some("2024-07-01T12:00:00Z"));
    }

    #[test]
    fn a_date_and_a_clock_apart_in_one_sentence() {
        check(
            "On December 5, 2022  a new account was created and at approximately 4:37 pm (Central Standard Time) it wrote",
            "2022-12-05T16:37:00",
            Some("2022-12-05T22:37:00Z"),
        );
        check("it began at 4:37 pm on 5th of December 2022, from 192.0.2.1", "2022-12-05T16:37:00", None);
        check("It began at 11:10 PM on Tuesday, October 21, 2025, and kept going", "2025-10-21T23:10:00", None);
        // The dot of "p.m." is the clock's: the zone after it is read.
        check(
            "On 15 October 2025 at 12:40 p.m. JST, someone posted",
            "2025-10-15T12:40:00",
            Some("2025-10-15T03:40:00Z"),
        );
        // Another clock between the date and this one takes the same date and zone.
        local(
            "On Wednesday 15 October 2025, at noon and again at 12:40 p.m. JST, someone posted",
            &[
                ("2025-10-15T12:00:00", Some("2025-10-15T03:00:00Z")),
                ("2025-10-15T12:40:00", Some("2025-10-15T03:40:00Z")),
            ],
        );
        // A date after "and on" is the next time's.
        local(
            "posts were made on 2 Dec 2025 at 23:40 and on 3 Dec 2025 at 00:12 (UK time) from 192.0.2.66",
            &[
                ("2025-12-02T23:40:00", Some("2025-12-02T23:40:00Z")),
                ("2025-12-03T00:12:00", Some("2025-12-03T00:12:00Z")),
            ],
        );
        let p = TimeParser::new();
        // A sentence end between them, or no "at" before the clock: not one time.
        assert!(p.find("On December 5, 2022 we wrote. Then at 4:37 pm it came", None).is_empty());
        assert!(p.find("On December 5, 2022 the score was 4:37", None).is_empty());
    }

    #[test]
    fn spans_and_dates_in_more_forms() {
        check("Monitored At: 2022-04-14 - 10:18:00", "2022-04-14T10:18:00", None);
        check("attack on 10th January 2023, 05:30:00 UTC", "2023-01-10T05:30:00", Some("2023-01-10T05:30:00Z"));
        local(
            "on 10th January 2023, 05:30:00 to 05:36:00PM IST",
            &[
                ("2023-01-10T17:30:00", Some("2023-01-10T12:00:00Z")),
                ("2023-01-10T17:36:00", Some("2023-01-10T12:06:00Z")),
            ],
        );
        // The marker would put the first end after the second: it stays as written.
        local(
            "on 2023-01-10 11:30 to 1:15 PM UTC",
            &[
                ("2023-01-10T11:30:00", Some("2023-01-10T11:30:00Z")),
                ("2023-01-10T13:15:00", Some("2023-01-10T13:15:00Z")),
            ],
        );
        let p = TimeParser::new();
        assert!(p.leading_zone("IST. (UTC +5:30)").is_some());
        assert!(p.leading_zone("-10 attempts were seen").is_none());
        assert!(p.leading_zone("Thanks").is_none());
    }

    #[test]
    fn key_zone_on_the_line() {
        let p = TimeParser::new();
        let f = p.find("Date/Time(GMT+9): 2019/06/21 08:52:58 ~ 2019/06/21 08:52:58", None);
        assert_eq!(f.len(), 2);
        assert_eq!(
            exitdesk_model::format_utc(f[0].zone.as_ref().unwrap().to_utc(f[0].dt).unwrap()),
            "2019-06-20T23:52:58Z"
        );
        let f = p.find("(2017/08/10 14:23:54, Time zone: CEST (GMT +02) - The last 100 lines", None);
        assert_eq!(
            exitdesk_model::format_utc(f[0].zone.as_ref().unwrap().to_utc(f[0].dt).unwrap()),
            "2017-08-10T12:23:54Z"
        );
    }

    #[test]
    fn ctime_syslog_apache() {
        check("> Tue Aug  7 09:30:21 2018 TCP   198.51.100.20 47307 =>", "2018-08-07T09:30:21", None);
        check("Sep 22 01:20:17 shared01 dovecot: imap-login", "2021-09-22T01:20:17", None);
        check("Apr 13 14:08:49 s01 postfix/smtpd[1685783]: connect", "2022-04-13T14:08:49", None);
        check(
            "198.51.100.15 - - [30/Mar/2022:21:19:45 -0600] \"GET /_profiler/phpinfo HTTP/1.1\"",
            "2022-03-30T21:19:45",
            Some("2022-03-31T03:19:45Z"),
        );
        check("/var/log/mail.info:Nov  2 13:47:32 hera sm-mta[31775]", "2021-11-02T13:47:32", None);
    }

    #[test]
    fn impossible_months_swap() {
        check("3-17-2022 17:22 x", "2022-03-17T17:22:00", None);
        check("17-03-2022 17:22 x", "2022-03-17T17:22:00", None);
        check("03.04.2022 17:22:00 x", "2022-04-03T17:22:00", None);
    }

    #[test]
    fn numeric_dates() {
        check("23-11-2023 6:18:04 - host - 198.51.100.16", "2023-11-23T06:18:04", None);
        check("03.08.2017 17:44:58 blocked", "2017-08-03T17:44:58", None);
        check("12/15 18:00:17 sshd", "2021-12-15T18:00:17", None);
        check("0   28-Oct-2024 19:39:11   DENIED", "2024-10-28T19:39:11", None);
    }

    #[test]
    fn spelled_out() {
        check("\"Nov 19, 2022 @ 21:28:49.283\",India", "2022-11-19T21:28:49", None);
        check("on April 22nd, 2021 at 4:36:58 PM UTC", "2021-04-22T16:36:58", Some("2021-04-22T16:36:58Z"));
    }

    #[test]
    fn more_abbreviations_and_forms() {
        check("Mon, 12 Jan 2015 22:10:00 BRST", "2015-01-12T22:10:00", Some("2015-01-13T00:10:00Z"));
        check("2019-02-01 10:00:00 ALMT", "2019-02-01T10:00:00", Some("2019-02-01T04:00:00Z"));
        check("Thu, 8 Mar 2005 12:00:00 +0000", "2005-03-08T12:00:00", Some("2005-03-08T12:00:00Z"));
        check("Wed Oct 28 19:39:11 CET 2020", "2020-10-28T19:39:11", Some("2020-10-28T18:39:11Z"));
        check("2015-05-15 17:03:11-07:00", "2015-05-15T17:03:11", Some("2015-05-16T00:03:11Z"));
        check("2023-01-02 10:00:00 +05:30", "2023-01-02T10:00:00", Some("2023-01-02T04:30:00Z"));
        check("05/30/2019 08:00:00 PM EDT", "2019-05-30T20:00:00", Some("2019-05-31T00:00:00Z"));
        check("31/05/2019 08:00:00", "2019-05-31T08:00:00", None);
        check("sent on 09.03.2025 at 08:15:00 CET.", "2025-03-09T08:15:00", Some("2025-03-09T07:15:00Z"));
        check("Время (МСК): 2025-03-11 09:41:12", "2025-03-11T09:41:12", Some("2025-03-11T06:41:12Z"));
    }

    #[track_caller]
    fn local(line: &str, want: &[(&str, Option<&str>)]) {
        let p = TimeParser { month_names: true, ..TimeParser::new() };
        let f = p.find(line, Some(Date::constant(2025, 12, 1)));
        let got: Vec<(String, Option<String>)> = f
            .iter()
            .map(|f| {
                let utc = f.zone.as_ref().and_then(|z| z.to_utc(f.dt)).map(exitdesk_model::format_utc);
                (exitdesk_model::format_local(f.dt), utc)
            })
            .collect();
        let want: Vec<(String, Option<String>)> =
            want.iter().map(|(l, u)| ((*l).to_string(), u.map(str::to_string))).collect();
        assert_eq!(got, want, "{line}");
    }

    #[test]
    fn month_names_outside_english() {
        local("am 7. März 2025 um 14:22 Uhr wurde 192.0.2.1", &[("2025-03-07T14:22:00", None)]);
        local("am 07.03.2025 um 14:22 Uhr MEZ", &[("2025-03-07T14:22:00", Some("2025-03-07T13:22:00Z"))]);
        local("le 7 mars 2025 à 14h22 (heure de Paris)", &[("2025-03-07T14:22:00", Some("2025-03-07T13:22:00Z"))]);
        local("le 7 juillet 2025 à 14 h 22, heure de Paris", &[("2025-07-07T14:22:00", Some("2025-07-07T12:22:00Z"))]);
        local(
            "le samedi 18 janvier 2025 à 22 h 41 min 07 s (heure de Paris)",
            &[("2025-01-18T22:41:07", Some("2025-01-18T21:41:07Z"))],
        );
        local(
            "no dia 18 de janeiro de 2026, às 03h41m12s (hora de Lisboa), a partir do endereço",
            &[("2026-01-18T03:41:12", Some("2026-01-18T03:41:12Z"))],
        );
        local("le 07/03/2025 à 14h22", &[("2025-03-07T14:22:00", None)]);
        local(
            "el 20 de noviembre de 2025 a las 06:00:12 hora peninsular",
            &[("2025-11-20T06:00:12", Some("2025-11-20T05:00:12Z"))],
        );
        local("il 7 marzo 2025 alle 14:22", &[("2025-03-07T14:22:00", None)]);
        local(
            "em 15 de junho de 2025 às 02:11:09 (horário de Brasília)",
            &[("2025-06-15T02:11:09", Some("2025-06-15T05:11:09Z"))],
        );
        local("op 7 maart 2025 om 14:22 (CET)", &[("2025-03-07T14:22:00", Some("2025-03-07T13:22:00Z"))]);
        local(
            "dnia 9 sierpnia 2025 o godz. 21:47 czasu polskiego",
            &[("2025-08-09T21:47:00", Some("2025-08-09T19:47:00Z"))],
        );
        local("dne 21. července 2025 v 03:10 SELČ", &[("2025-07-21T03:10:00", Some("2025-07-21T01:10:00Z"))]);
        local("11 октября 2025 г. в 01:12 МСК", &[("2025-10-11T01:12:00", Some("2025-10-10T22:12:00Z"))]);
        local(
            "11 октября 2025 г. в 01:12 (время московское)",
            &[("2025-10-11T01:12:00", Some("2025-10-10T22:12:00Z"))],
        );
        local("le 7 mars 2025 à 14h22 UTC+1", &[("2025-03-07T14:22:00", Some("2025-03-07T13:22:00Z"))]);
        // Not a month, not a clock, not a date.
        local("7 Äpfel 2025 um 14:22", &[]);
        local("le 31 février 2025 à 14h22", &[]);
        local("Version 7 mars 2025 build 14h", &[]);
        local("Le 7 mars 2025 à 14h22, Alice <a@example.org> a écrit :", &[]);
        local("Am 7. März 2025 um 14:22 schrieb Bob <b@example.org>:", &[]);
    }

    /// Both ends (UTC) of a statement.
    fn ends(line: &str, want: &[&str]) {
        let p = TimeParser::new();
        let got: Vec<String> = p
            .find(line, Some(Date::constant(2025, 12, 1)))
            .iter()
            .map(|f| match f.zone.as_ref().and_then(|z| z.to_utc(f.dt)) {
                Some(t) => exitdesk_model::format_utc(t),
                None => exitdesk_model::format_local(f.dt),
            })
            .collect();
        assert_eq!(got, want, "{line}");
    }

    #[test]
    fn clocks_apart_from_their_date() {
        let span = ["2025-03-07T13:22:00Z", "2025-03-07T14:10:00Z"];
        ends("The attacks ran from 14:22 to 15:10 CET on 7 March 2025.", &span);
        ends("Die Angriffe erfolgten am 7. März 2025 von 14:22 bis 15:10 Uhr MEZ.", &span);
        ends("le 7 mars 2025 entre 14h22 et 15h10 (heure de Paris)", &span);
        // The end opens the next sentence.
        ends("Am 07.03.2025 um 14:22 Uhr (MEZ) begann ein Flood auf den Shop. Bis 15:10 Uhr ging nichts.", &span);
        ends("It started on 7 March 2025 at 14:22 CET. Until 15:10 the shop was down.", &span);
        ends("It started on 7 March 2025 at 14:22 CET. The shop was down. Until 15:10 it was slow.", &span[..1]);
        ends("On March 7, 14:22:10 UTC we saw it.", &["2025-03-07T14:22:10Z"]);
        ends("il 12/05/2025 alle ore 16:20:31 (ora legale italiana, UTC+2). Vi", &["2025-05-12T14:20:31Z"]);
        ends(
            "It ran between 11:42:10 PM and 11:58:55 PM AEDT on Monday 19 February 2024, peaking.",
            &["2024-02-19T12:42:10Z", "2024-02-19T12:58:55Z"],
        );
        ends(
            "el día 5 de noviembre de 2024, entre las 11:48:03 p. m. y las 11:59:41 p. m. (UTC-6), nuestro portal",
            &["2024-11-06T05:48:03Z", "2024-11-06T05:59:41Z"],
        );
        ends("Il 7 marzo 2025 dalle 14:22 alle 15:10 CET", &span);
        ends(
            "Scans from 192.0.2.10 between 03:10:44 and 03:58:02 (CEST) on 2025-06-04.",
            &["2025-06-04T01:10:44Z", "2025-06-04T01:58:02Z"],
        );
        ends(
            "first seen 2025-11-03 08:12:45 UTC, last seen 08:31:02",
            &["2025-11-03T08:12:45Z", "2025-11-03T08:31:02Z"],
        );
        ends(
            "at 14:22 on 7 March 2025 and again at 09:05 on 8 March 2025 (UTC)",
            &["2025-03-07T14:22:00Z", "2025-03-08T09:05:00Z"],
        );
        ends(
            "On 2025-03-07 14:22–15:10 UTC the host 203.0.113.5 scanned us.",
            &["2025-03-07T14:22:00Z", "2025-03-07T15:10:00Z"],
        );
        ends(
            "el 4 de junio de 2025 entre las 02:11:09 y las 02:48:30 (hora peninsular)",
            &["2025-06-04T00:11:09Z", "2025-06-04T00:48:30Z"],
        );
        ends("11 октября 2025 г. с 01:12:40 до 03:55:02 (МСК)", &["2025-10-10T22:12:40Z", "2025-10-11T00:55:02Z"]);
        ends("21. července 2025 od 21:47:03 do 22:05:41 SELČ", &["2025-07-21T19:47:03Z", "2025-07-21T20:05:41Z"]);
        ends(
            "9 sierpnia 2025 od 21:47:03 do 22:05:41 czasu polskiego",
            &["2025-08-09T19:47:03Z", "2025-08-09T20:05:41Z"],
        );
        ends(
            "entre las 02:10:05 y las 02:47:33 del 15/12/2025 (hora de Madrid, CET)",
            &["2025-12-15T01:10:05Z", "2025-12-15T01:47:33Z"],
        );
        ends("em 3 de outubro de 2025, das 14:22 às 15:10 (UTC-3)", &["2025-10-03T17:22:00Z", "2025-10-03T18:10:00Z"]);
        ends("2025-11-03 21:47 PST through 22:05 PST", &["2025-11-04T05:47:00Z", "2025-11-04T06:05:00Z"]);
        ends(
            "Nov 12, 2025 9:47 PM PST: first probe; 10:15 PM PST: last probe.",
            &["2025-11-13T05:47:00Z", "2025-11-13T06:15:00Z"],
        );
        // A zone written once after the second of two full times holds for both.
        ends(
            "between 2025-11-03 08:12:45 and 2025-11-03 08:31:02 PST",
            &["2025-11-03T16:12:45Z", "2025-11-03T16:31:02Z"],
        );
        ends(
            "De aanval begon op 7 maart 2025 om 14:22 en eindigde om 15:10 CET.",
            &["2025-03-07T13:22:00Z", "2025-03-07T14:10:00Z"],
        );
        ends(
            "On 7 March 2025 the attack lasted from 14:22 until 15:10 (UTC-3).",
            &["2025-03-07T17:22:00Z", "2025-03-07T18:10:00Z"],
        );
        // A second end before the first crosses midnight.
        ends("am 7. März 2025 von 23:50 bis 00:20 Uhr MEZ", &["2025-03-07T22:50:00Z", "2025-03-07T23:20:00Z"]);
        // No zone stated: wall clocks.
        ends(
            "On 7 March 2025 from 14:22 to 15:10 the host attacked us",
            &["2025-03-07T14:22:00", "2025-03-07T15:10:00"],
        );
    }

    #[test]
    fn clocks_apart_that_are_not_read() {
        for line in [
            // The clock's own date is unclear (a weekday between), or it is a notice's time.
            "It begins on 13 May 2023 and ends at 12:30 a.m. on Sunday, May 14, 2023.",
            "KO 15:00 UTC on 22 Oct 2017.",
            "Please answer by 15:00 UTC on 22 Oct 2017.",
            // No word introduces it, and no full time before it.
            "On 7 March 2025 ratio 14:22 was seen",
            // Addresses and ports are no clocks.
            "On 7 March 2025 at 192.0.2.1:8080 and 2001:db8::12:34",
        ] {
            assert!(TimeParser::new().find(line, Some(Date::constant(2025, 12, 1))).is_empty(), "{line}");
        }
        // A clock before the first, with no span word, is not taken as the same day.
        ends("first seen 2025-11-03 08:12:45 UTC, again at 07:01:02", &["2025-11-03T08:12:45Z"]);
    }

    #[test]
    fn us_region_in_one_word() {
        ends("on 12 November 2025 at 9:47 PM Pacific.", &["2025-11-13T05:47:00Z"]);
        ends("on 12 November 2025 at 9:47 PM Eastern, the host", &["2025-11-13T02:47:00Z"]);
        // "Central European" is no US region.
        ends("on 12 November 2025 at 9:47 PM Central European", &["2025-11-12T21:47:00"]);
    }

    #[test]
    fn spans_give_both_ends() {
        local(
            "zwischen 7. März 2025 14:22 und 14:40 Uhr MEZ",
            &[
                ("2025-03-07T14:22:00", Some("2025-03-07T13:22:00Z")),
                ("2025-03-07T14:40:00", Some("2025-03-07T13:40:00Z")),
            ],
        );
        local("entre le 7 mars 2025 à 14h22 et 15h05", &[("2025-03-07T14:22:00", None), ("2025-03-07T15:05:00", None)]);
        local(
            "between 2025-03-07 14:22 UTC and 14:40",
            &[
                ("2025-03-07T14:22:00", Some("2025-03-07T14:22:00Z")),
                ("2025-03-07T14:40:00", Some("2025-03-07T14:40:00Z")),
            ],
        );
        local(
            "from 2025-03-07 14:22 UTC to 2025-03-07 14:40 UTC",
            &[
                ("2025-03-07T14:22:00", Some("2025-03-07T14:22:00Z")),
                ("2025-03-07T14:40:00", Some("2025-03-07T14:40:00Z")),
            ],
        );
    }

    #[test]
    fn local_zones_in_prose() {
        prose("Alle Zeiten in MESZ.", Some("2024-07-01T10:00:00Z"));
        prose("Les heures sont en heure de Paris.", Some("2024-07-01T10:00:00Z"));
        prose("Wszystkie godziny podano według czasu polskiego.", Some("2024-07-01T10:00:00Z"));
        prose("Horas en hora peninsular.", Some("2024-07-01T10:00:00Z"));
        prose("Všechny časy jsou v SEČ.", Some("2024-07-01T11:00:00Z"));
    }

    #[test]
    fn ranges_give_both_ends() {
        let p = TimeParser::new();
        let f = p.find("2016-03-07 16:32 ~ 2016-03-07 17:02,   198.51.100.18, Account Takeover", None);
        assert_eq!(f.len(), 2);
        assert_eq!(exitdesk_model::format_local(f[1].dt), "2016-03-07T17:02:00");
        let f = p.find("Sat, 26 Mar 2022 19:21:40 +0000 - Mon, 28 Mar 2022 02:21:05 +0000", None);
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn not_timestamps() {
        let p = TimeParser::new();
        for line in [
            "TCP to port 3389 blocked at 6:12AM, 7:25AM, 8:31AM EST",
            "Der Timestamp ist bei allen IP-Adressen der 15.09.22.",
            "Monday - Thursday 9:00am - 6:00pm (GMT+8)",
            "KO 15:00 UTC on 22 Oct 2017.",
            "version 10.0.1 build 2019",
            "Arrival-Date: 30 May 2019",
        ] {
            assert!(p.find(line, Some(Date::constant(2022, 1, 1))).is_empty(), "{line}");
        }
    }

    #[test]
    fn log_lines_run_together() {
        let p = TimeParser::new();
        let f = p.find(
            "Sep 22 01:20:17 h sshd[1]: Failed from 192.0.2.1 port 22 ssh2Sep 22 01:20:19 h sshd[1]: Failed",
            Some(Date::constant(2022, 10, 1)),
        );
        assert_eq!(f.len(), 2);
        assert!(p.find("x12023-01-01 10:00:00", None).is_empty());
    }

    /// A match's groups read with its branch are those the whole alternation gives.
    #[test]
    fn branch_groups_are_the_alternations() {
        let parser = TimeParser::new();
        assert_eq!(parser.all.branches.len(), 9);
        let ascii = parser.ascii.as_ref().unwrap();
        assert_eq!(ascii.branches.len(), 9);
        let lines = [
            "Date: Fri, 31 Jan 2014 07:19:02 +0100 and 2024-01-10T09:47:51.350Z",
            "2023/Sep/25 00:00:02 ; Tue Aug  7 09:30:21 CET 2018 [30/Mar/2022:21:19:45 -0600]",
            "Nov 19, 2022 @ 21:28:49.283 ; April 22nd, 2021 at 4:36:58 PM, 23-11-2023 6:18:04",
            "03.08.2017 17:44:58 Sep 22 01:20:17 12/15 18:00:17 05/30/2019 08:00:00 PM EDT",
            "sent on 09.03.2025 à 08:15:00, le 2025-03-09 às 08:15 Sat, 26 Mar 2022 19:21:40 - Mon, 28 Mar 22 02:21:05",
        ];
        for (p, line) in lines.iter().map(|l| (&parser.all, *l)).chain(lines.iter().map(|l| (ascii, *l))) {
            let mut n = 0;
            for m in p.stamp.find_iter(line) {
                let whole = p.stamp.captures_at(line, m.start()).unwrap();
                let rest = &line[m.start()..];
                let own = p.branches.iter().find_map(|b| b.captures(rest)).unwrap();
                assert_eq!(own.get(0).unwrap().as_str(), m.as_str());
                for name in p.stamp.capture_names().flatten() {
                    assert_eq!(own.name(name).map(|g| g.as_str()), whole.name(name).map(|g| g.as_str()), "{name}");
                }
                n += 1;
            }
            assert!(n >= 2, "{line}");
        }
        // On ASCII text both sets find the same timestamps with the same groups.
        for line in lines.iter().filter(|l| l.is_ascii()) {
            let a: Vec<_> = ascii.stamp.captures_iter(line).collect();
            let u: Vec<_> = parser.all.stamp.captures_iter(line).collect();
            assert_eq!(a.len(), u.len());
            for (a, u) in a.iter().zip(&u) {
                for name in parser.all.stamp.capture_names().flatten() {
                    assert_eq!(a.name(name).map(|g| g.range()), u.name(name).map(|g| g.range()), "{name}");
                }
            }
        }
    }

    /// Group ids read what the group names read, from the whole pattern and from each branch.
    #[test]
    fn group_ids_are_the_names() {
        let parser = TimeParser::new();
        let ascii = parser.ascii.as_ref().unwrap();
        for p in [&parser.all, ascii] {
            for id in 0..GROUP_IDS {
                assert!(p.stamp_groups.index[id].is_some(), "{}", group_name(id));
            }
            let line = "2024-01-10 09:47:51 PM, Tue Aug  7 09:30:21 CET 2018, 23-11-2023 6:18:04, Sep 22 01:20:17";
            for m in p.stamp.find_iter(line) {
                let (caps, groups) = p.captures(line, m).unwrap();
                let whole = p.stamp.captures_at(line, m.start()).unwrap();
                for id in 0..GROUP_IDS {
                    let name = group_name(id);
                    assert_eq!(groups.get(&caps, id).map(|g| g.as_str()), caps.name(&name).map(|g| g.as_str()));
                    assert_eq!(groups.get(&caps, id).map(|g| g.as_str()), whole.name(&name).map(|g| g.as_str()));
                    assert_eq!(p.stamp_groups.get(&whole, id).map(|g| g.range()), whole.name(&name).map(|g| g.range()));
                }
            }
        }
        assert_eq!(time_group_ids('n').map(group_name), ["nh", "nmi", "ns", "nap"]);
    }

    #[test]
    fn case_blind_find() {
        for hay in [
            "",
            "cur",
            "Currently MESZ",
            "we are CURRENTLY ",
            "é currently x",
            "currentl",
            "currcurrently ccurrently ",
            "Time ZoneZONE zon",
            "ééé zoné zone",
        ] {
            assert_eq!(find_ascii_ci(hay, b"currently "), hay.to_ascii_lowercase().find("currently "), "{hay}");
            assert_eq!(find_ascii_ci(hay, b"zone"), hay.to_ascii_lowercase().find("zone"), "{hay}");
            assert_eq!(find_ascii_ci(hay, b"c"), hay.to_ascii_lowercase().find('c'), "{hay}");
        }
    }

    #[test]
    fn non_ascii_after_a_zone_key_does_not_panic() {
        let p = TimeParser::new();
        let line = format!("2024-01-01 10:00:00, time zone: {}", "ü".repeat(30));
        assert_eq!(p.find(&line, None).len(), 1);
    }

    #[test]
    fn year_rolls_back_over_new_year() {
        let p = TimeParser::new();
        let f = p.find("Dec 30 23:59:01 host sshd", Some(Date::constant(2022, 1, 2)));
        assert_eq!(exitdesk_model::format_local(f[0].dt), "2021-12-30T23:59:01");
    }

    #[track_caller]
    fn prose(line: &str, expect: Option<&str>) {
        let p = TimeParser::new();
        let z = p.prose_zone(line);
        let dt: DateTime = "2024-07-01T12:00:00".parse().unwrap();
        let got = z.map(|z| exitdesk_model::format_utc(z.to_utc(dt).unwrap()));
        assert_eq!(got.as_deref(), expect, "{line}");
    }

    #[test]
    fn slash_dates_follow_the_language() {
        let p = TimeParser::new();
        let us = p.find_dated("03/11/2025 21:07:33", None, false);
        let fr = p.find_dated("03/11/2025 21:07:33", None, true);
        assert_eq!(format!("{:?}", us[0].dt.date()), "2025-03-11");
        assert_eq!(format!("{:?}", fr[0].dt.date()), "2025-11-03");
        // A first number above 12 is a day in any language.
        assert_eq!(format!("{:?}", p.find_dated("25/11/2025 21:07:33", None, false)[0].dt.date()), "2025-11-25");
        // The zone of a place that writes the day first decides an English text's slash date.
        let date = |line: &str| format!("{:?}", p.find_dated(line, None, false)[0].dt.date());
        assert_eq!(date("Observed: 09/08/2025 20:03:41 BST"), "2025-08-09");
        assert_eq!(date("Observed: 09/08/2025 20:03:41 CEST"), "2025-08-09");
        assert_eq!(date("Observed: 09/08/2025 20:03:41 EDT"), "2025-09-08");
        assert_eq!(date("Observed: 09/08/2025 20:03:41"), "2025-09-08");
    }

    #[test]
    fn prose_zones() {
        prose("All times are UTC-7", Some("2024-07-01T19:00:00Z"));
        // A typographic minus or en dash is a minus, never UTC itself.
        prose("Todas las horas en UTC\u{2212}5.", Some("2024-07-01T17:00:00Z"));
        check("2025-08-01 23:48 GMT\u{2013}3", "2025-08-01T23:48:00", Some("2025-08-02T02:48:00Z"));
        prose("Logs are from 45.33.216.244. Times are GMT -0600:", Some("2024-07-01T18:00:00Z"));
        prose("Timezone in Europe/Moscow (+3).", Some("2024-07-01T09:00:00Z"));
        prose("Note: Local timezone is +0200 (CEST)", Some("2024-07-01T10:00:00Z"));
        prose("LOGFILES ARE ALWAYS IN CET - clocks synced to ptbtime1.ptb.de", Some("2024-07-01T11:00:00Z"));
        prose("Date/timestamps (far left) are UTC.", Some("2024-07-01T12:00:00Z"));
        prose("The time zone is Greenwich, London UK.", Some("2024-07-01T11:00:00Z"));
        prose("log data below, with timestamps adjusted to our GMT +8 timezone:", Some("2024-07-01T04:00:00Z"));
        prose("All times are Austrian local times, UTC+1/MET or UTC+2/MEST", Some("2024-07-01T10:00:00Z"));
        prose("All timestamps are in Central European Time (Berlin).", Some("2024-07-01T10:00:00Z"));
        prose("From our mail log (server time is EST, UTC-5):", Some("2024-07-01T17:00:00Z"));
        prose("Trecho do registro do servidor (horário de Brasília, UTC-3):", Some("2024-07-01T15:00:00Z"));
        prose("can tell. Sensor clock is UTC.", Some("2024-07-01T12:00:00Z"));
        prose("В журнале указано (время московское, UTC+3):", Some("2024-07-01T09:00:00Z"));
        // Madrid is named: its summer time applies on this July date.
        prose("Fechas de esos mensajes (hora de Madrid, UTC+1):", Some("2024-07-01T10:00:00Z"));
        prose("Erfassungsdaten (Zeitangaben in UTC):", Some("2024-07-01T12:00:00Z"));
        prose("Sample traffic (tcpdump -tttt, UTC):", Some("2024-07-01T12:00:00Z"));
        prose("Excerpt from the admin log (board time is UK, BST / UTC+1):", Some("2024-07-01T11:00:00Z"));
        prose("Tijden in Nederlandse tijd (CEST, UTC+2).", Some("2024-07-01T10:00:00Z"));
        prose("il log qui sotto (orari in ora legale italiana, UTC+2).", Some("2024-07-01T10:00:00Z"));
        prose("Our logs: currently MESZ (GMT +02:00)", Some("2024-07-01T10:00:00Z"));
        prose("The server clock runs on UTC.", Some("2024-07-01T12:00:00Z"));
        prose("Our clocks are set to CEST (UTC+2).", Some("2024-07-01T10:00:00Z"));
        prose("The logs use UTC.", Some("2024-07-01T12:00:00Z"));
        prose("The server is currently blocked for 8 hours", None);
        prose("Time zone: CEST (GMT +02)", Some("2024-07-01T10:00:00Z"));
        prose("Time: 2015-05-15 17:03:11-07:00", None);
        prose("The time listed is from the server-time of the Blocklist-user", None);
        prose("Monday - Thursday 9:00am - 6:00pm (GMT+8)", None);
        // A zone right after the keyword, and a standard/summer pair written as one.
        prose("Column 1: initial timestamp  GMT-02:00", Some("2024-07-01T14:00:00Z"));
        prose("Netzbereich, zum angegebenen Zeitpunkt (Zeitstempel UTC)", Some("2024-07-01T12:00:00Z"));
        prose("Logfile entries (time is CE(S)T):", Some("2024-07-01T10:00:00Z"));
        prose("Alle Zeiten in ME(S)Z", Some("2024-07-01T10:00:00Z"));
        prose("The time is short: please act today", None);
        prose("timestamps are missing from this report", None);
        // A word placing the times between keyword and statement; never a
        // cut inside a character.
        prose("P.S. All the times above are Pacific (PDT), that's what our router is", Some("2024-07-01T19:00:00Z"));
        prose("All times are US Pacific.", Some("2024-07-01T19:00:00Z"));
        // A sentence of words whose closing parenthetical is a zone, in any language.
        prose("Alle tidspunkter er dansk tid (CET).", Some("2024-07-01T11:00:00Z"));
        prose("Saatler Türkiye saatidir (UTC+3).", Some("2024-07-01T09:00:00Z"));
        prose("Aikaleimat ovat Suomen aikaa (EET, UTC+2).", Some("2024-07-01T10:00:00Z"));
        prose("Az időpontok közép-európai idő szerint értendők (CET).", Some("2024-07-01T11:00:00Z"));
        prose("The times below are in UTC.", Some("2024-07-01T12:00:00Z"));
        prose("Times here: время московское, UTC+3", Some("2024-07-01T09:00:00Z"));
        prose("Zeiten 時間", None);
        prose(
            "The affected addresses, ports and times (UTC) are listed in the attached file.",
            Some("2024-07-01T12:00:00Z"),
        );
        prose("Timestamps (far left) are in seconds.", None);
    }

    /// The keyword search `prose_zone_mention` shares gives what `mentions_zone` says.
    #[test]
    fn mention_is_mentions_zone() {
        let p = TimeParser::new();
        let lines = [
            "All times are UTC-7",
            "The server is currently blocked for 8 hours",
            "it is currently",
            "CURRENTLY",
            "The time listed is from the server-time of the Blocklist-user",
            "Monday - Thursday 9:00am - 6:00pm (GMT+8)",
            "Time: 2015-05-15 17:03:11-07:00",
            "2024-04-12 06:22:17  198.51.100.10 59547 ->    37.27.128.19 28015   64 TCP",
            "Sample traffic (tcpdump -tttt):",
            "В журнале указано (время):",
            "Trecho do registro do servidor (horário):",
            "nothing to see here",
            "",
            "Timestamps below",
            "Zeitangaben folgen",
        ];
        for line in lines {
            let (zone, mention) = p.prose_zone_mention(line);
            assert_eq!(zone.as_ref().map(Zone::label), p.prose_zone(line).as_ref().map(Zone::label), "{line}");
            if zone.is_none() {
                assert_eq!(mention, p.mentions_zone(line), "{line}");
            }
        }
    }

    #[test]
    fn winter_and_summer_for_named_zones() {
        let p = TimeParser::new();
        let z = p.prose_zone("The time zone is Greenwich, London UK.").unwrap();
        let winter: DateTime = "2023-11-23T06:18:04".parse().unwrap();
        assert_eq!(exitdesk_model::format_utc(z.to_utc(winter).unwrap()), "2023-11-23T06:18:04Z");
    }

    #[test]
    fn table_headers() {
        let p = TimeParser::new();
        assert!(p.table_zone("TIME (UTC)           SRC         SRC-PORT -> DST").is_some());
        assert!(p.table_zone("IP,timestamp(UTC+0),source_port,destination_port").is_some());
        assert!(p.table_zone("       Approximate Time Range (UTC),      IP Address, Reason").is_some());
        assert!(p.table_zone("Date/Time(GMT+9): 2019/06/21 08:52:58").is_none());
        assert!(p.table_zone("| Infected Server | Last Seen (UTC)  |").is_some());
        assert!(p.table_zone("timestamp_utc,src_ip,src_port,dst_ip,dst_port").is_some());
        assert!(p.table_zone("utc_time\tsource\tport").is_some());
        assert!(p.table_zone("2025-07-16 03:12:09_utc,192.0.2.1").is_none());
        assert!(p.table_zone("user_gmt_offset,name").is_none());
        assert!(p.table_zone("Tijdstip (UTC)   Bron-IP   Doelpoort").is_some());
        assert!(p.table_zone("Fecha (UTC) | IP origen | Puerto").is_some());
        assert_eq!(contracted_pair("CET", "CEST").as_deref(), Some("CE(S)T"));
        assert_eq!(contracted_pair("EST", "EDT"), None);
    }
}
