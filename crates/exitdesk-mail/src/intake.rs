//! Walks the inputs and yields raw messages lazily.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::err::{IntakeError, Result};
use crate::mbox::{MAX_MESSAGE, MboxReader};

/// One message as received, with where it came from.
#[derive(Debug)]
pub struct RawMessage {
    /// `path`, or `path#N` for the N-th message of an mbox (from 1).
    pub source: String,
    /// The bytes exactly as stored.
    pub bytes: Vec<u8>,
    /// The message was larger than 64 MiB and was cut.
    pub truncated: bool,
}

/// Files skipped while walking folders because they are not mail.
#[derive(Debug, Default, Clone)]
pub struct Skipped {
    /// The skipped paths.
    pub paths: Vec<PathBuf>,
}

enum Pending {
    Path(PathBuf),
    Stdin,
}

enum Current {
    Mbox { name: String, reader: MboxReader<Box<dyn BufRead>>, n: usize },
}

/// A lazy stream of messages from files, folders, mboxes, Maildirs and stdin.
pub struct Intake {
    pending: VecDeque<Pending>,
    current: Option<Current>,
    skipped: Skipped,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake").field("pending", &self.pending.len()).finish()
    }
}

const NOT_MAIL: &[&str] = &[
    "json", "md", "markdown", "png", "jpg", "jpeg", "gif", "pdf", "zip", "gz", "xz", "tar", "html", "htm", "csv", "py",
    "rs", "toml", "yaml", "yml", "lock", "sh",
];

impl Intake {
    /// Inputs as given on the command line; `-` is standard input.
    pub fn new<I, P>(inputs: I) -> Intake
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let pending =
            inputs
                .into_iter()
                .map(|p| {
                    if p.as_ref() == Path::new("-") { Pending::Stdin } else { Pending::Path(p.as_ref().to_path_buf()) }
                })
                .collect();
        Intake { pending, current: None, skipped: Skipped::default() }
    }

    /// Files skipped so far because they did not look like mail.
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    fn open_path(&mut self, path: PathBuf) -> Option<Result<RawMessage>> {
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return Some(Err(IntakeError::io(path, e))),
        };
        if meta.is_dir() {
            return match self.expand_dir(&path) {
                Ok(()) => None,
                Err(e) => Some(Err(e)),
            };
        }
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => return Some(Err(IntakeError::io(path, e))),
        };
        let mut reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(64 * 1024, file));
        let name = path.display().to_string();
        match is_mbox(&mut reader) {
            Ok(true) => {
                self.current = Some(Current::Mbox { name, reader: MboxReader::new(reader), n: 0 });
                None
            }
            Ok(false) => Some(read_whole(reader, name, &path)),
            Err(e) => Some(Err(IntakeError::io(path, e))),
        }
    }

    fn expand_dir(&mut self, dir: &Path) -> Result<()> {
        let is_maildir = dir.join("cur").is_dir() || dir.join("new").is_dir();
        let mut found: Vec<PathBuf> = Vec::new();
        if is_maildir {
            for sub in ["new", "cur"] {
                let d = dir.join(sub);
                if d.is_dir() {
                    let mut files = list(&d)?;
                    files.retain(|p| p.is_file());
                    found.extend(files);
                }
            }
        } else {
            for p in list(dir)? {
                let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
                if hidden {
                    continue;
                }
                if p.is_dir() {
                    found.push(p);
                    continue;
                }
                let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if ext.as_deref().is_some_and(|e| NOT_MAIL.contains(&e)) {
                    self.skipped.paths.push(p);
                    continue;
                }
                found.push(p);
            }
        }
        for p in found.into_iter().rev() {
            self.pending.push_front(Pending::Path(p));
        }
        Ok(())
    }
}

fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|e| IntakeError::io(dir, e))?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| IntakeError::io(dir, e))?;
        out.push(entry.path());
    }
    out.sort();
    Ok(out)
}

fn is_mbox(reader: &mut Box<dyn BufRead>) -> std::io::Result<bool> {
    let buf = reader.fill_buf()?;
    Ok(buf.starts_with(b"From ")
        && buf.iter().take(200).position(|b| *b == b'\n').is_some_and(|nl| {
            let first = &buf[..nl];
            // "From addr date": an mbox separator has no colon right after "From".
            !first.starts_with(b"From:") && first.len() > 6
        }))
}

fn read_whole(reader: Box<dyn BufRead>, source: String, path: &Path) -> Result<RawMessage> {
    let mut bytes = Vec::new();
    let mut limited = reader.take(MAX_MESSAGE as u64 + 1);
    limited.read_to_end(&mut bytes).map_err(|e| IntakeError::io(path, e))?;
    let truncated = bytes.len() > MAX_MESSAGE;
    if truncated {
        bytes.truncate(MAX_MESSAGE);
    }
    Ok(RawMessage { source, bytes, truncated })
}

impl Iterator for Intake {
    type Item = Result<RawMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(Current::Mbox { name, reader, n }) = &mut self.current {
                match reader.next_message() {
                    Ok(Some(m)) => {
                        *n += 1;
                        return Some(Ok(RawMessage {
                            source: format!("{name}#{n}"),
                            bytes: m.bytes,
                            truncated: m.truncated,
                        }));
                    }
                    Ok(None) => self.current = None,
                    Err(e) => {
                        let path = PathBuf::from(name.clone());
                        self.current = None;
                        return Some(Err(IntakeError::io(path, e)));
                    }
                }
                continue;
            }
            match self.pending.pop_front()? {
                Pending::Stdin => {
                    let mut reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(64 * 1024, std::io::stdin()));
                    match is_mbox(&mut reader) {
                        Ok(true) => {
                            self.current =
                                Some(Current::Mbox { name: "-".into(), reader: MboxReader::new(reader), n: 0 });
                        }
                        Ok(false) => return Some(read_whole(reader, "-".into(), Path::new("-"))),
                        Err(e) => return Some(Err(IntakeError::io("-", e))),
                    }
                }
                Pending::Path(p) => {
                    if let Some(item) = self.open_path(p) {
                        return Some(item);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("exitdesk-intake-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn folders_maildirs_and_mboxes() {
        let d = tmp("mixed");
        std::fs::write(d.join("a.eml"), b"Subject: a\n\nx\n").unwrap();
        std::fs::write(d.join("labels.json"), b"[]").unwrap();
        std::fs::write(
            d.join("box.mbox"),
            b"From x Mon Jan  1 00:00:00 2024\nSubject: b\n\ny\n\nFrom x Mon Jan  1 00:00:00 2024\nSubject: c\n\nz\n",
        )
        .unwrap();
        let md = d.join("maildir");
        std::fs::create_dir_all(md.join("new")).unwrap();
        std::fs::create_dir_all(md.join("cur")).unwrap();
        std::fs::write(md.join("new").join("1.host"), b"Subject: d\n\nw\n").unwrap();
        let mut intake = Intake::new([&d]);
        let sources: Vec<String> = intake.by_ref().map(|m| m.unwrap().source).collect();
        assert_eq!(sources.len(), 4, "{sources:?}");
        assert!(sources[1].ends_with("box.mbox#1") && sources[2].ends_with("box.mbox#2"));
        assert_eq!(intake.skipped().paths.len(), 1);
    }

    #[test]
    fn missing_path_is_an_item_error_and_the_stream_goes_on() {
        let d = tmp("missing");
        std::fs::write(d.join("a.eml"), b"Subject: a\n\nx\n").unwrap();
        let items: Vec<_> = Intake::new([d.join("nope.eml"), d.join("a.eml")]).collect();
        assert!(matches!(items[0], Err(IntakeError::NotFound { .. })));
        assert!(items[1].is_ok());
    }
}
