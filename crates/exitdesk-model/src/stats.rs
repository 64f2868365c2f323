//! Counts of a group of cases, as statistics sum them (in a database or in memory).

/// Counts of one group of cases: sums, and a histogram of the time to the
/// first reply for the median.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatsCounts {
    /// Cases.
    pub cases: u64,
    /// Messages they hold.
    pub messages: u64,
    /// Cases not closed.
    pub open: u64,
    /// Cases replied to.
    pub replied: u64,
    /// Replied at or before the deadline.
    pub met: u64,
    /// Replied after it.
    pub missed: u64,
    /// Minutes from opening to the first reply (to the minute within a day,
    /// to the hour beyond), with how many cases took that long.
    pub reply_minutes: Vec<(i64, u64)>,
}

impl StatsCounts {
    /// Adds another group's counts to these.
    pub fn add(&mut self, o: &StatsCounts) {
        self.cases += o.cases;
        self.messages += o.messages;
        self.open += o.open;
        self.replied += o.replied;
        self.met += o.met;
        self.missed += o.missed;
        self.reply_minutes.extend_from_slice(&o.reply_minutes);
    }
}
