//! Microdescriptors (dir-spec §3.3): the exit-policy summaries `p` (IPv4)
//! and `p6` (IPv6) of a microdesc consensus entry, found by the SHA-256 of
//! the document. A missing `p`/`p6` means `reject 1-65535`.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::DocError;
use crate::meta::{Items, Problems};
use crate::ports::PortSummary;

/// One microdescriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Microdesc {
    /// SHA-256 of the document text (what the consensus `m` line names).
    #[serde(serialize_with = "crate::ser_b64")]
    pub digest: [u8; 32],
    /// IPv4 summary (`p`); `None` when absent (= reject all).
    pub p: Option<PortSummary>,
    /// IPv6 summary (`p6`); `None` when absent (= reject all).
    pub p6: Option<PortSummary>,
    /// `family` members as written (`$HEX` or nicknames).
    pub family: Vec<String>,
}

impl Microdesc {
    /// The IPv4 summary, absence read as reject-all.
    pub fn ipv4_policy(&self) -> PortSummary {
        self.p.clone().unwrap_or_else(PortSummary::reject_all)
    }
}

/// (start offset, `p`, `p6`, family, broken)
type Partial = (usize, Option<PortSummary>, Option<PortSummary>, Vec<String>, bool);

/// Parses concatenated microdescriptors (a CollecTor `micro` file, a tor
/// `cached-microdescs` file, or one descriptor). Bad ones are skipped.
pub fn parse_microdescs(text: &str) -> (Vec<Microdesc>, Vec<DocError>) {
    let mut items = Items::new(text);
    let mut out = Vec::new();
    let mut errors = Problems::default();
    let mut current: Option<Partial> = None;
    let finish = |cur: Option<Partial>, end: usize, out: &mut Vec<Microdesc>| {
        if let Some((start, p, p6, family, broken)) = cur {
            if !broken {
                let digest: [u8; 32] = Sha256::digest(&text.as_bytes()[start..end]).into();
                out.push(Microdesc { digest, p, p6, family });
            }
        }
    };
    for item in items.by_ref() {
        if item.kw == "onion-key" || item.kw.starts_with('@') {
            finish(current.take(), item.offset, &mut out);
            if item.kw == "onion-key" {
                current = Some((item.offset, None, None, Vec::new(), false));
            }
            continue;
        }
        let Some(cur) = current.as_mut() else {
            errors.push(DocError::new(item.line, format!("`{}` before any `onion-key`", item.kw)));
            continue;
        };
        match item.kw {
            "p" | "p6" => match PortSummary::parse(item.args) {
                Ok(s) if item.kw == "p" => cur.1 = Some(s),
                Ok(s) => cur.2 = Some(s),
                Err(e) => {
                    errors.push(DocError::new(
                        item.line,
                        format!("bad `{}` line: {e}; microdescriptor skipped", item.kw),
                    ));
                    cur.4 = true;
                }
            },
            "family" => cur.3 = item.args.split_ascii_whitespace().map(str::to_string).collect(),
            _ => {}
        }
    }
    finish(current.take(), items.pos(), &mut out);
    errors.extend(items.finish());
    (out, errors.into_vec())
}
