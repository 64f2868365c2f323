//! Integration tests of exitdesk-compose: one binary.

#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

mod findings;
mod hostile;
mod loops;
mod networks;
mod snapshots;
mod stale;
mod util;
