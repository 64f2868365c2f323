//! Exit lists (TorDNSEL format, `@type tordnsel 1.0`): which addresses the
//! exit scanner saw each exit use, and when.

use std::net::IpAddr;

use serde::Serialize;

use crate::meta::{Items, Problems};
use crate::time::parse_words;
use crate::{DocError, Fingerprint};

/// One `ExitNode` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExitListEntry {
    /// The exit's fingerprint.
    pub fingerprint: Fingerprint,
    /// Its descriptor's publication time.
    pub published: Option<i64>,
    /// When it was last seen in a network status.
    pub last_status: Option<i64>,
    /// Observed exit addresses with their scan times.
    pub addresses: Vec<(IpAddr, i64)>,
}

/// A parsed exit list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExitList {
    /// `Downloaded` (CollecTor copies only).
    pub downloaded: Option<i64>,
    /// The entries.
    pub entries: Vec<ExitListEntry>,
}

impl ExitList {
    /// The newest scan time in the list (its moment when `Downloaded` is absent).
    pub fn newest_scan(&self) -> Option<i64> {
        self.entries.iter().flat_map(|e| e.addresses.iter().map(|a| a.1)).max()
    }
}

/// Parses an exit list; bad entries are skipped with an error each.
pub fn parse_exit_list(text: &str) -> (ExitList, Vec<DocError>) {
    let mut items = Items::new(text);
    let mut list = ExitList { downloaded: None, entries: Vec::new() };
    let mut errors = Problems::default();
    let mut cur: Option<ExitListEntry> = None;
    let mut skipping = false;
    for item in items.by_ref() {
        let time = || parse_words(&mut item.args.split_ascii_whitespace());
        match item.kw {
            "ExitNode" => {
                list.entries.extend(cur.take());
                match Fingerprint::from_hex(item.args) {
                    Some(fingerprint) => {
                        cur = Some(ExitListEntry {
                            fingerprint,
                            published: None,
                            last_status: None,
                            addresses: Vec::new(),
                        });
                        skipping = false;
                    }
                    None => {
                        errors.push(DocError::new(
                            item.line,
                            format!("bad ExitNode fingerprint {:?}; entry skipped", item.args),
                        ));
                        skipping = true;
                    }
                }
            }
            "Downloaded" => list.downloaded = time(),
            "Published" | "LastStatus" | "ExitAddress" => {
                let Some(e) = cur.as_mut() else {
                    if !skipping {
                        errors.push(DocError::new(item.line, format!("`{}` outside an ExitNode entry", item.kw)));
                    }
                    continue;
                };
                match item.kw {
                    "Published" => e.published = time(),
                    "LastStatus" => e.last_status = time(),
                    _ => {
                        let mut w = item.args.split_ascii_whitespace();
                        let ip = w.next().and_then(|a| a.parse::<IpAddr>().ok());
                        match (ip, parse_words(&mut w)) {
                            (Some(ip), Some(t)) => e.addresses.push((ip, t)),
                            _ => errors.push(DocError::new(item.line, format!("bad ExitAddress {:?}", item.args))),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    list.entries.extend(cur.take());
    errors.extend(items.finish());
    (list, errors.into_vec())
}
