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
}

impl DocError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> DocError {
        DocError { line, message: message.into() }
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

pub(crate) fn ser_b64<S: serde::Serializer>(d: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fingerprint::base64_encode(d))
}
