//! The extract and classify use-cases: a lazy stream of complaints, each
//! with its classification, from the inputs.

use std::path::Path;

use exitdesk_classify::Classifier;
use exitdesk_extract::Extractor;
use exitdesk_mail::{Intake, IntakeError};
use exitdesk_model::{Classification, Complaint};
use serde::Serialize;

/// A complaint and what it is about.
#[derive(Debug, Clone)]
pub struct Classified {
    /// The extracted facts.
    pub complaint: Complaint,
    /// The scenarios, with their reasons.
    pub classification: Classification,
}

/// The JSON line of `exitdesk extract --json`: the complaint's contract keys
/// plus `scenario`, `subkind` and `confidence`.
#[derive(Debug, Serialize)]
pub struct ExtractLine<'a> {
    #[serde(flatten)]
    complaint: &'a Complaint,
    /// Top-level scenario id of the primary label.
    scenario: &'static str,
    /// Its sub-kind, or null.
    subkind: Option<&'a str>,
    /// The classifier's confidence, 0 to 1.
    confidence: f64,
    /// Every label (`scenario` or `scenario/subkind`), primary first.
    scenarios: Vec<String>,
}

impl Classified {
    /// The `extract --json` view.
    pub fn extract_line(&self) -> ExtractLine<'_> {
        ExtractLine {
            complaint: &self.complaint,
            scenario: self.classification.scenario().as_str(),
            subkind: self.classification.subkind(),
            confidence: self.classification.confidence,
            scenarios: self.classification.labels.iter().map(|l| l.id()).collect(),
        }
    }
}

/// The pure stages that read a message: extraction, then classification.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Bytes → complaint.
    pub extractor: Extractor,
    /// Complaint → scenarios.
    pub classifier: Classifier,
}

impl Reader {
    /// What a message set aside unread stands for: no facts, the one
    /// problem that says why (classified as the empty complaint it is).
    pub fn unread(&self, source: &str, problem: String) -> Classified {
        let complaint = Complaint { source: source.to_string(), problems: vec![problem], ..Complaint::default() };
        let classification = self.classifier.classify(&complaint);
        Classified { complaint, classification }
    }

    /// Extracts and classifies one message.
    pub fn read(&self, raw: &[u8], source: &str) -> Classified {
        let complaint = self.extractor.extract(raw, source);
        let classification = self.classifier.classify(&complaint);
        settle(complaint, classification)
    }
}

/// The facts as the classification leaves them: a message that is no
/// complaint (a closure notice, an auto-reply, a newsletter) accuses nobody
/// ([`Complaint::accuse_nobody`]); a test report keeps its sample's facts.
pub(crate) fn settle(mut complaint: Complaint, classification: Classification) -> Classified {
    let test =
        classification.kind_reason.as_deref().is_some_and(|r| r.starts_with(exitdesk_classify::TEST_REPORT_REASON));
    if classification.kind == exitdesk_model::Kind::NotAComplaint && (!test || shows_examples(&complaint.text.prose)) {
        complaint.accuse_nobody();
    }
    if classification.kind == exitdesk_model::Kind::Hosted {
        complaint.ports_are_its_own();
    }
    Classified { complaint, classification }
}

/// A test report that says its values are examples ("Source IP: 192.0.2.1
/// (example)", "An example record as you would receive it", "It does not
/// concern any real incident"): they accuse nobody. (A test report that
/// says no such thing keeps its sample's facts: they may be real ones.)
fn shows_examples(prose: &str) -> bool {
    let lower = prose.to_lowercase();
    [
        "(example)",
        "(sample)",
        "(dummy)",
        "example record",
        "sample record",
        "example values",
        "sample values",
        "example data",
        "sample data",
        "not concern any real",
        "no real incident",
        "not a real incident",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// One item of the stream: a complaint, or an input that could not be read.
#[derive(Debug)]
pub enum ExtractItem {
    /// A message was read, extracted (possibly with problems) and classified.
    Complaint(Box<Classified>),
    /// An input could not be read at all.
    Unreadable(IntakeError),
}

/// Extracts and classifies every message the inputs hold, lazily, one at a time.
pub fn extract_stream<'e, P: AsRef<Path>>(
    reader: &'e Reader,
    inputs: impl IntoIterator<Item = P>,
) -> impl Iterator<Item = ExtractItem> + 'e {
    Intake::new(inputs).map(move |item| match item {
        Ok(raw) => {
            let mut c = reader.read(&raw.bytes, &raw.source);
            if raw.truncated {
                c.complaint
                    .problems
                    .insert(0, "the message is larger than 64 MiB; only the first 64 MiB were read".into());
            }
            ExtractItem::Complaint(Box::new(c))
        }
        Err(e) => ExtractItem::Unreadable(e),
    })
}
