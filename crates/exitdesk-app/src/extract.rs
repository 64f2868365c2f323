//! The extract use-case: a lazy stream of complaints from the inputs.

use std::path::Path;

use exitdesk_extract::Extractor;
use exitdesk_mail::{Intake, IntakeError};
use exitdesk_model::Complaint;

/// One item of the stream: a complaint, or an input that could not be read.
#[derive(Debug)]
pub enum ExtractItem {
    /// A message was read and extracted (possibly with problems).
    Complaint(Box<Complaint>),
    /// An input could not be read at all.
    Unreadable(IntakeError),
}

/// Extracts every message the inputs hold, lazily, one at a time.
pub fn extract_stream<'e, P: AsRef<Path>>(
    extractor: &'e Extractor,
    inputs: impl IntoIterator<Item = P>,
) -> impl Iterator<Item = ExtractItem> + 'e {
    Intake::new(inputs).map(move |item| match item {
        Ok(raw) => {
            let mut c = extractor.extract(&raw.bytes, &raw.source);
            if raw.truncated {
                c.problems.insert(0, "the message is larger than 64 MiB; only the first 64 MiB were read".into());
            }
            ExtractItem::Complaint(Box::new(c))
        }
        Err(e) => ExtractItem::Unreadable(e),
    })
}
