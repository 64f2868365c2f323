//! Relay flags of a consensus `s` line, as a bit set.

use std::fmt;

use serde::{Serialize, Serializer};

/// The flags exitdesk knows (dir-spec §3.4.1 `known-flags`, 2014–2026).
pub const FLAG_NAMES: [&str; 14] = [
    "Authority",
    "BadExit",
    "Exit",
    "Fast",
    "Guard",
    "HSDir",
    "MiddleOnly",
    "NoEdConsensus",
    "Running",
    "Stable",
    "StaleDesc",
    "Sybil",
    "V2Dir",
    "Valid",
];

/// A set of relay flags. Unknown flags are dropped.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Flags(pub u16);

impl Flags {
    /// `BadExit`.
    pub const BAD_EXIT: Flags = Flags(1 << 1);
    /// `Exit`.
    pub const EXIT: Flags = Flags(1 << 2);
    /// `MiddleOnly`.
    pub const MIDDLE_ONLY: Flags = Flags(1 << 6);
    /// `Running`.
    pub const RUNNING: Flags = Flags(1 << 8);
    /// `Valid`.
    pub const VALID: Flags = Flags(1 << 13);
    /// `Authority`.
    pub const AUTHORITY: Flags = Flags(1);
    /// The flags the relay history keeps: the ones that bear on abuse
    /// (`Exit`, `BadExit`, `Running`, `Valid`, `MiddleOnly`, `Authority`).
    /// `Guard`, `Stable`, `Fast`, `HSDir`… change often and would split
    /// history intervals for nothing.
    pub const KEPT: Flags = Flags(1 | 1 << 1 | 1 << 2 | 1 << 6 | 1 << 8 | 1 << 13);

    /// Parses an `s` line's arguments.
    pub fn parse(s: &str) -> Flags {
        let mut bits = 0u16;
        for w in s.split_ascii_whitespace() {
            let i = match w {
                "Authority" => 0,
                "BadExit" => 1,
                "Exit" => 2,
                "Fast" => 3,
                "Guard" => 4,
                "HSDir" => 5,
                "MiddleOnly" => 6,
                "NoEdConsensus" => 7,
                "Running" => 8,
                "Stable" => 9,
                "StaleDesc" => 10,
                "Sybil" => 11,
                "V2Dir" => 12,
                "Valid" => 13,
                _ => continue,
            };
            bits |= 1 << i;
        }
        Flags(bits)
    }

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The names of the flags set, in lexical order.
    pub fn names(self) -> Vec<&'static str> {
        FLAG_NAMES.iter().enumerate().filter(|(i, _)| self.0 & (1 << i) != 0).map(|(_, n)| *n).collect()
    }

    /// Only the flags in `mask`.
    pub fn masked(self, mask: Flags) -> Flags {
        Flags(self.0 & mask.0)
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(" "))
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flags({self})")
    }
}

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}
