#![doc = include_str!("../README.md")]

mod check;
mod compose;
mod config;
mod context;
mod err;
mod templates;
mod wrap;

pub use compose::{
    Attachment, Blocklist, Composer, Draft, DraftRequest, IntroLevel, Mailbox, Outcome, is_no_reply, wants_blocking_kit,
};
pub use config::{NetworkConfig, OperatorConfig, ReplyConfig};
pub use err::{ComposeError, Result};
pub use templates::{EXTENSION, Templates};
pub use wrap::{WIDTH, layout};
