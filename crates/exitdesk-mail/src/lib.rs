#![doc = include_str!("../README.md")]

mod err;
mod intake;
mod mbox;

pub use err::{IntakeError, Result};
pub use intake::{Intake, RawMessage, Skipped};
pub use mbox::MboxReader;
