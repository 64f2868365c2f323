//! Integration tests of exitdesk-extract, linked into one binary.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr, missing_docs)]

mod bad_input;
mod evidence;
mod format;
mod golden;
mod parties;
mod props;
mod rules;
mod util;
