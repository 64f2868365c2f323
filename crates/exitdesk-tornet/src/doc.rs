//! Which Tor document a file holds: from its `@type` annotation when
//! present (CollecTor), else from its first keyword (tor's caches).

use serde::Serialize;

use crate::DocError;
use crate::consensus::{Consensus, ConsensusMemo, parse_consensus_with};
use crate::exitlist::{ExitList, parse_exit_list};
use crate::meta::{Items, type_annotation};
use crate::microdesc::{Microdesc, parse_microdescs};
use crate::serverdesc::{ServerDescriptor, parse_server_descriptors};

/// The kinds of documents exitdesk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// A consensus (either flavour).
    Consensus,
    /// Microdescriptors.
    Microdescs,
    /// Server descriptors.
    ServerDescriptors,
    /// An exit list.
    ExitList,
}

impl DocKind {
    /// A short name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Consensus => "consensus",
            DocKind::Microdescs => "microdescriptors",
            DocKind::ServerDescriptors => "server descriptors",
            DocKind::ExitList => "exit list",
        }
    }
}

/// A parsed document.
#[derive(Debug, Clone)]
pub enum Document {
    /// A consensus.
    Consensus(Consensus),
    /// Microdescriptors.
    Microdescs(Vec<Microdesc>),
    /// Server descriptors.
    ServerDescriptors(Vec<ServerDescriptor>),
    /// An exit list.
    ExitList(ExitList),
}

/// Recognises a document. `Err` explains what it is instead (a vote, a
/// newer format version, not a Tor document at all).
pub fn detect(text: &str) -> Result<DocKind, DocError> {
    if let Some((name, major, _)) = type_annotation(text) {
        let (kind, supported) = match name {
            "network-status-consensus-3" | "network-status-microdesc-consensus-3" => (DocKind::Consensus, 1),
            "microdescriptor" => (DocKind::Microdescs, 1),
            "server-descriptor" => (DocKind::ServerDescriptors, 1),
            "tordnsel" => (DocKind::ExitList, 1),
            other => return Err(DocError::new(1, format!("@type {other} is not a document exitdesk reads"))),
        };
        if major > supported {
            return Err(DocError::new(
                1,
                format!("@type {name} {major}.x is newer than exitdesk knows ({supported}.x)"),
            ));
        }
        return Ok(kind);
    }
    let mut items = Items::new(text);
    let first = items.find(|i| !i.kw.starts_with('@'));
    match first.map(|i| i.kw) {
        Some("network-status-version") => Ok(DocKind::Consensus),
        Some("onion-key") => Ok(DocKind::Microdescs),
        Some("router") => Ok(DocKind::ServerDescriptors),
        Some("ExitNode" | "Downloaded") => Ok(DocKind::ExitList),
        Some(kw) => {
            let kw: String = kw.chars().take(40).collect();
            Err(DocError::new(
                first.map_or(1, |i| i.line),
                format!("not a Tor document exitdesk reads (starts with {kw:?})"),
            ))
        }
        None => Err(DocError::new(1, "empty document")),
    }
}

/// Detects and parses a document. Non-UTF-8 bytes (contact lines) are
/// replaced; they never carry anything exitdesk reads.
pub fn parse_document(bytes: &[u8]) -> Result<(Document, Vec<DocError>), DocError> {
    parse_document_with(bytes, None)
}

/// A document and the entries it skipped, or why it could not be read.
pub type DocResult = Result<(Document, Vec<DocError>), DocError>;

/// `parse_document_with` on bytes the memo may keep: a consensus's text
/// stays in `memo` (not copied), and the bytes the caller gets back are a
/// buffer to reuse (the previous consensus's, or `bytes` themselves).
pub fn parse_document_kept(bytes: Vec<u8>, memo: &mut ConsensusMemo) -> (DocResult, Vec<u8>) {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.into_bytes();
            return (parse_document_with(&bytes, Some(memo)), bytes);
        }
    };
    if !matches!(detect(&text), Ok(DocKind::Consensus)) {
        return (parse_document_with(text.as_bytes(), Some(memo)), text.into_bytes());
    }
    let (c, spare) = crate::consensus::parse_consensus_kept(text, memo);
    let parsed = c.map(|mut c| {
        let errors = std::mem::take(&mut c.errors);
        (Document::Consensus(c), errors)
    });
    (parsed, spare.into_bytes())
}

/// `parse_document`; consensuses reuse what `memo` remembers of the
/// previous one of their flavour (see `ConsensusMemo`; same result).
pub fn parse_document_with(
    bytes: &[u8],
    memo: Option<&mut ConsensusMemo>,
) -> Result<(Document, Vec<DocError>), DocError> {
    // Valid UTF-8 (nearly always) is borrowed; the lossy path copies.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let text = text.as_ref();
    Ok(match detect(text)? {
        DocKind::Consensus => {
            let mut c = match memo {
                Some(m) => parse_consensus_with(text, m)?,
                None => crate::consensus::parse_consensus(text)?,
            };
            let errors = std::mem::take(&mut c.errors);
            (Document::Consensus(c), errors)
        }
        DocKind::Microdescs => {
            let (m, e) = parse_microdescs(text);
            (Document::Microdescs(m), e)
        }
        DocKind::ServerDescriptors => {
            let (d, e) = parse_server_descriptors(text);
            (Document::ServerDescriptors(d), e)
        }
        DocKind::ExitList => {
            let (l, e) = parse_exit_list(text);
            (Document::ExitList(l), e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_PROBLEMS;

    /// A document of bad lines lists its first `MAX_PROBLEMS` problems and
    /// counts the rest on the last one, in each parser: its problems never
    /// cost more memory than a bounded list.
    #[test]
    fn problems_are_listed_up_to_the_cap_and_counted_past_it() {
        let n = 3 * MAX_PROBLEMS;
        let docs = [
            format!(
                "network-status-version 3\nvote-status consensus\nvalid-after 2025-10-14 07:00:00\n{}",
                "r\n".repeat(n)
            ),
            format!(
                "network-status-version 3\nvote-status consensus\nvalid-after 2025-10-14 07:00:00\n{}",
                "s Exit\n".repeat(n)
            ),
            format!("onion-key\n{}", "p accept nonsense\n".repeat(n)),
            format!("ExitNode 0000000000000000000000000000000000000000\n{}", "ExitAddress x\n".repeat(n)),
        ];
        for d in &docs {
            let (_, errors) = parse_document(d.as_bytes()).expect("a document with bad lines");
            assert_eq!(errors.len(), MAX_PROBLEMS, "{}", &d[..40]);
            assert_eq!(errors.iter().map(DocError::count).sum::<usize>(), n, "{}", &d[..40]);
            let last = errors.last().expect("problems");
            assert!(
                last.to_string().ends_with(&format!("(and {} more problems after it, not listed)", n - MAX_PROBLEMS))
            );
        }
    }
}
