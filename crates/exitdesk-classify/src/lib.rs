#![doc = include_str!("../README.md")]

mod classify;
mod err;
mod kind;
mod patterns;
mod prefilter;
mod rules;

pub use classify::Classifier;
pub use err::{ClassifyError, Result};
pub use kind::TEST_REPORT_REASON;
pub use rules::{ClassifyConfig, RuleAction, RuleConfig};
