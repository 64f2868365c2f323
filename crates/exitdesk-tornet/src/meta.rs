//! The directory meta-format (dir-spec §1.2): keyword lines, optional
//! `-----BEGIN …-----` objects (skipped: exitdesk checks no signatures and
//! keeps no keys), `@` annotation lines from CollecTor and tor's caches.

use crate::{DocError, MAX_PROBLEMS};

/// The problems of one document: the first `MAX_PROBLEMS` listed, the
/// rest counted on the last one (`DocError::unlisted`).
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<DocError>,
    /// Listed and unlisted.
    total: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, e: DocError) {
        self.total += e.count();
        match self.list.get_mut(MAX_PROBLEMS - 1) {
            Some(last) => last.unlisted += e.count(),
            None => self.list.push(e),
        }
    }

    pub(crate) fn extend(&mut self, more: Problems) {
        for e in more.list {
            self.push(e);
        }
    }

    /// How many so far, listed or not.
    pub(crate) fn len(&self) -> usize {
        self.total
    }

    /// Orders the listed problems by line.
    pub(crate) fn sort_by_line(&mut self) {
        self.list.sort_by_key(|e| e.line);
    }

    pub(crate) fn into_vec(self) -> Vec<DocError> {
        self.list
    }
}

/// One keyword line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    /// 1-based line number.
    pub(crate) line: usize,
    /// Byte offset of the line start.
    pub(crate) offset: usize,
    /// The keyword (`r`, `accept`, `@type`, …).
    pub(crate) kw: &'a str,
    /// Everything after the keyword, trimmed.
    pub(crate) args: &'a str,
}

/// Iterates the items of a document, stepping over objects. A broken object
/// (a line that cannot be base64 before its END) is reported and the line is
/// read as an item again, so one damaged key does not swallow the rest.
pub(crate) struct Items<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    in_object: Option<usize>,
    /// `-----BEGIN` lines seen so far.
    objects: usize,
    pub(crate) errors: Problems,
}

impl<'a> Items<'a> {
    pub(crate) fn new(text: &'a str) -> Items<'a> {
        Items { text, pos: 0, line: 0, in_object: None, objects: 0, errors: Problems::default() }
    }

    /// Byte offset just after the last line read.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Number of the last line read (1-based; 0 before the first).
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// Objects begun so far (to tell whether a stretch of lines had one).
    pub(crate) fn objects(&self) -> usize {
        self.objects
    }

    /// Steps over `text[pos()..to]`, `lines` lines that hold no object
    /// (the caller knows them already).
    pub(crate) fn skip_to(&mut self, to: usize, lines: usize) {
        self.pos = to.min(self.text.len());
        self.line += lines;
    }

    /// Errors so far, plus an object still open at the end.
    pub(crate) fn finish(mut self) -> Problems {
        if let Some(start) = self.in_object.take() {
            self.errors.push(DocError::new(start, "object not closed before the end of the document"));
        }
        self.errors
    }
}

fn base64ish(line: &str) -> bool {
    line.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
}

impl<'a> Iterator for Items<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        loop {
            if self.pos >= self.text.len() {
                return None;
            }
            let rest = &self.text[self.pos..];
            let (raw, next) = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(i) => (&rest[..i], self.pos + i + 1),
                None => (rest, self.text.len()),
            };
            let offset = self.pos;
            self.pos = next;
            self.line += 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some(start) = self.in_object {
                if line.starts_with("-----END") {
                    self.in_object = None;
                    continue;
                }
                if base64ish(line.trim()) {
                    continue;
                }
                self.errors.push(DocError::new(start, "object without an END line"));
                self.in_object = None;
            } else if line.starts_with("-----BEGIN") {
                self.in_object = Some(self.line);
                self.objects += 1;
                continue;
            }
            let line = line.trim_start();
            if line.is_empty() {
                continue;
            }
            let (mut kw, mut args) = match line.find([' ', '\t']) {
                Some(i) => (&line[..i], line[i..].trim()),
                None => (line, ""),
            };
            // Descriptors before 0.2.0 wrote `opt keyword …` for optional items.
            if kw == "opt" {
                (kw, args) = match args.find([' ', '\t']) {
                    Some(i) => (&args[..i], args[i..].trim()),
                    None => (args, ""),
                };
            }
            return Some(Item { line: self.line, offset, kw, args });
        }
    }
}

/// The `@type` annotation of a document, when present: (`name`, major, minor).
pub fn type_annotation(text: &str) -> Option<(&str, u32, u32)> {
    for line in text.lines().take(16) {
        if let Some(rest) = line.strip_prefix("@type ") {
            let mut w = rest.split_ascii_whitespace();
            let name = w.next()?;
            let (major, minor) = w.next()?.split_once('.')?;
            return Some((name, major.parse().ok()?, minor.parse().ok()?));
        }
        if !line.starts_with('@') {
            break;
        }
    }
    None
}
