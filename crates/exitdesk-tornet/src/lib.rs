//! exitdesk-tornet: Tor's own network documents, read by tolerant line
//! parsers (consensuses of both flavours, microdescriptors, server
//! descriptors, exit lists), folded into a relay history index of intervals,
//! and queried: was this address a Tor exit at that hour, and did its
//! policy allow that port? Also the blocking lists (exits that can reach a
//! destination). Pure: takes bytes, returns values; files, archives and
//! HTTP live in `exitdesk-app`.

mod codec;
mod consensus;
mod doc;
mod exitlist;
mod exits;
mod fingerprint;
mod flags;
mod index;
mod meta;
mod microdesc;
mod onionoo;
mod policy;
mod ports;
mod serverdesc;
pub mod time;
mod verify;

use std::fmt;

pub use codec::CodecError;
pub use consensus::{
    Consensus, ConsensusMemo, Flavour, Nickname, RouterEntry, RouterStatus, parse_consensus, parse_consensus_kept,
    parse_consensus_with,
};
pub use doc::{DocKind, DocResult, Document, detect, parse_document, parse_document_kept, parse_document_with};
pub use exitlist::{ExitList, ExitListEntry, parse_exit_list};
pub use exits::{BlockFormat, ExitAddress, NetworkFacts, render_blocklist};
pub use fingerprint::{Fingerprint, base64_encode};
pub use flags::{FLAG_NAMES, Flags};
pub use index::{EXIT_LIST_ATTACH, ImportOutcome, RelayIndex};
pub use meta::type_annotation;
pub use microdesc::{Microdesc, parse_microdescs};
pub use onionoo::{OnionooSnapshot, parse_onionoo};
pub use policy::{AddrPattern, Decision, ExitPolicy, PolicyRule};
pub use ports::{PortList, PortSummary};
pub use serverdesc::{ServerDescriptor, parse_server_descriptors};
pub use verify::{
    DESCRIPTOR_FRESH, DayAnswer, DayMatch, ExitListHit, Nearby, Ours, PolicySource, Query, RelayHit, Verification,
    ZONE_EAST, ZONE_WEST, hour_ranges,
};

/// A problem at a line of a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub struct DocError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// Problems after this one that are not listed: a document lists at
    /// most `MAX_PROBLEMS` and counts the rest on the last one.
    #[serde(skip_serializing_if = "is_zero")]
    pub unlisted: usize,
}

/// Problems listed per document; past it they are only counted
/// (`DocError::unlisted`), so that a hostile document of bad lines costs
/// no more memory than its text.
pub const MAX_PROBLEMS: usize = 1000;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl DocError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> DocError {
        DocError { line, message: message.into(), unlisted: 0 }
    }

    /// This problem and those counted on it.
    pub fn count(&self) -> usize {
        1 + self.unlisted
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)?;
        if self.unlisted > 0 {
            write!(f, " (and {} more problems after it, not listed)", self.unlisted)?;
        }
        Ok(())
    }
}

pub(crate) fn ser_b64<S: serde::Serializer>(d: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fingerprint::base64_encode(d))
}
