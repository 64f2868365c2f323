//! Time is injected: stages take a [`Clock`], tests pin it.

use jiff::Timestamp;

/// A source of "now".
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// A clock that always says the same instant (tests, reproducible runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}
