//! ZIP attachments: the text files inside (a CSV of events, a log, a list of
//! addresses), read within the message's text budget.
//!
//! Reporters zip their evidence (Shadowserver's CSV reports, blocklists'
//! address lists, DDoS filters' flow logs). Only what a report needs is
//! read: stored or deflated members named like text, from the central
//! directory (APPNOTE.TXT, sections 4.3.7, 4.3.12, 4.3.16). Encrypted
//! members, other compression methods, nested archives and members past
//! [`MAX_MEMBERS`] are named in a problem, never guessed at.

use std::io::Read;

/// At most this many members are read from one archive.
pub(crate) const MAX_MEMBERS: usize = 16;

/// The text members of a ZIP archive, decompressed to at most `room` bytes
/// in all, and the problems met (each a full sentence part, without the
/// attachment's name).
pub(crate) fn text_members(bytes: &[u8], room: usize) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Some(entries) = central_directory(bytes) else {
        problems.push("the ZIP archive is damaged (no central directory); it was not read".to_string());
        return (out, problems);
    };
    let mut left = room;
    let mut skipped = Vec::new();
    for e in entries {
        if e.name.ends_with('/') {
            continue;
        }
        if !is_text_name(&e.name) {
            skipped.push(e.name.clone());
            continue;
        }
        if out.len() >= MAX_MEMBERS {
            skipped.push(e.name.clone());
            continue;
        }
        if e.flags & 1 != 0 {
            problems.push(format!("member {} is encrypted and was not read", shown(&e.name)));
            continue;
        }
        let Some(data) = local_data(bytes, e.local_offset, e.compressed) else {
            problems.push(format!("member {} is damaged and was not read", shown(&e.name)));
            continue;
        };
        let limit = left.min(e.size.max(1));
        let text = match e.method {
            0 => data[..data.len().min(limit)].to_vec(),
            8 => {
                let mut text = Vec::new();
                let r = flate2::read::DeflateDecoder::new(data).take(limit as u64).read_to_end(&mut text);
                if r.is_err() && text.is_empty() {
                    problems.push(format!("member {} is damaged and was not read", shown(&e.name)));
                    continue;
                }
                text
            }
            m => {
                problems.push(format!(
                    "member {} uses compression method {m}, which exitdesk does not read",
                    shown(&e.name)
                ));
                continue;
            }
        };
        if text.len() < e.size {
            problems.push(format!(
                "member {} was read only in part ({} of {} bytes), as the message's text budget was reached",
                shown(&e.name),
                text.len(),
                e.size
            ));
        }
        left = left.saturating_sub(text.len());
        out.push((e.name, text));
        if left == 0 {
            break;
        }
    }
    if !skipped.is_empty() {
        let n = skipped.len();
        problems.push(format!(
            "{n} member{} not read (not text, or past {MAX_MEMBERS}): {}",
            if n == 1 { " was" } else { "s were" },
            skipped.iter().take(3).map(|s| shown(s)).collect::<Vec<_>>().join(", ")
        ));
    }
    (out, problems)
}

struct Entry {
    name: String,
    flags: u16,
    method: u16,
    compressed: usize,
    size: usize,
    local_offset: usize,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The entries of the central directory, found from the end record (the
/// last `PK\5\6` within the final 64 KiB + 22 bytes: the comment's room).
fn central_directory(b: &[u8]) -> Option<Vec<Entry>> {
    let from = b.len().saturating_sub(65_535 + 22);
    let end = (from..b.len().saturating_sub(21)).rev().find(|&i| b[i..].starts_with(b"PK\x05\x06"))?;
    let count = usize::from(u16_at(b, end + 10)?);
    let mut at = u32_at(b, end + 16)?;
    let mut out = Vec::new();
    for _ in 0..count.min(1024) {
        if !b.get(at..)?.starts_with(b"PK\x01\x02") {
            break;
        }
        let name_len = usize::from(u16_at(b, at + 28)?);
        let extra_len = usize::from(u16_at(b, at + 30)?);
        let comment_len = usize::from(u16_at(b, at + 32)?);
        let name = b.get(at + 46..at + 46 + name_len)?;
        out.push(Entry {
            name: String::from_utf8_lossy(name).into_owned(),
            flags: u16_at(b, at + 8)?,
            method: u16_at(b, at + 10)?,
            compressed: u32_at(b, at + 20)?,
            size: u32_at(b, at + 24)?,
            local_offset: u32_at(b, at + 42)?,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(out)
}

/// A member's compressed bytes, after its local header.
fn local_data(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    if !b.get(at..)?.starts_with(b"PK\x03\x04") {
        return None;
    }
    let start = at + 30 + usize::from(u16_at(b, at + 26)?) + usize::from(u16_at(b, at + 28)?);
    b.get(start..start.checked_add(len)?)
}

fn is_text_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".txt", ".csv", ".log", ".json", ".xml", ".tsv", ".eml", ".yaml", ".yml"].iter().any(|e| n.ends_with(e))
}

/// A member name as shown in a problem: one line, bounded.
fn shown(name: &str) -> String {
    exitdesk_model::one_line(name, 80)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    /// A ZIP archive of `(name, data, deflate)` members.
    pub(crate) fn zip(members: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data, deflate) in members {
            let body = if *deflate {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            } else {
                data.to_vec()
            };
            let method: u16 = if *deflate { 8 } else { 0 };
            let offset = out.len() as u32;
            let mut local = b"PK\x03\x04".to_vec();
            local.extend_from_slice(&20u16.to_le_bytes());
            local.extend_from_slice(&0u16.to_le_bytes());
            local.extend_from_slice(&method.to_le_bytes());
            local.extend_from_slice(&[0; 8]); // time, date, crc
            local.extend_from_slice(&(body.len() as u32).to_le_bytes());
            local.extend_from_slice(&(data.len() as u32).to_le_bytes());
            local.extend_from_slice(&(name.len() as u16).to_le_bytes());
            local.extend_from_slice(&0u16.to_le_bytes());
            local.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&local);
            out.extend_from_slice(&body);
            let mut c = b"PK\x01\x02".to_vec();
            c.extend_from_slice(&20u16.to_le_bytes()); // made by
            c.extend_from_slice(&20u16.to_le_bytes()); // needed
            c.extend_from_slice(&0u16.to_le_bytes()); // flags
            c.extend_from_slice(&method.to_le_bytes());
            c.extend_from_slice(&[0; 8]);
            c.extend_from_slice(&(body.len() as u32).to_le_bytes());
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(&(name.len() as u16).to_le_bytes());
            c.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
            c.extend_from_slice(&offset.to_le_bytes());
            c.extend_from_slice(name.as_bytes());
            central.extend_from_slice(&c);
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn text_members_are_read_and_others_named() {
        let csv = b"ip,timestamp\n192.0.2.7,2025-03-07 12:00:00\n";
        let z =
            zip(&[("report.csv", csv, true), ("notes.txt", b"stored text", false), ("logo.png", b"\x89PNG", false)]);
        let (members, problems) = text_members(&z, 1 << 20);
        assert_eq!(members.len(), 2);
        assert_eq!(members[0], ("report.csv".to_string(), csv.to_vec()));
        assert_eq!(members[1].1, b"stored text");
        assert!(problems.iter().any(|p| p.contains("logo.png")), "{problems:?}");
    }

    #[test]
    fn budget_and_damage_are_said() {
        let big = vec![b'a'; 10_000];
        let (members, problems) = text_members(&zip(&[("a.txt", &big, true)]), 100);
        assert_eq!(members[0].1.len(), 100);
        assert!(problems.iter().any(|p| p.contains("in part")), "{problems:?}");
        let (members, problems) = text_members(b"PK\x03\x04 not really", 100);
        assert!(members.is_empty());
        assert!(problems[0].contains("damaged"), "{problems:?}");
        // Cut short: no panic, a problem.
        let z = zip(&[("a.txt", b"hello", false)]);
        for cut in 0..z.len() {
            let _ = text_members(&z[..cut], 100);
        }
    }
}
