#![doc = include_str!("../README.md")]

mod check;
mod compose;
mod config;
mod context;
mod err;
mod names;
mod templates;
mod wrap;

pub use compose::{
    APPENDIX, Attachment, Blocklist, Composer, Draft, DraftRequest, IntroLevel, Mailbox, OWN_HEADER, Outcome,
    is_no_reply, is_own_message_id, own_header_case, own_mail, valid_address, wants_blocking_kit,
};
pub use config::{NetworkConfig, OperatorConfig, ReplyConfig};
pub use err::{ComposeError, Result};
pub use templates::{EXTENSION, Templates};
pub use wrap::{WIDTH, layout};
