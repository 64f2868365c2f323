//! A streaming mbox reader: one message in memory at a time.

use std::io::BufRead;

/// Largest message kept whole; the rest of a bigger one is skipped.
pub(crate) const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Splits an mbox stream into messages (mboxo and mboxrd).
///
/// A message starts at a line beginning with `From ` that opens the file or
/// follows an empty line. Lines quoted as `>From ` (any number of `>`) lose one
/// `>`. The separator line itself is not part of the message.
#[derive(Debug)]
pub struct MboxReader<R> {
    reader: R,
    pending_from: bool,
    done: bool,
    line: Vec<u8>,
}

/// One message read from an mbox.
#[derive(Debug)]
pub struct MboxMessage {
    /// The message bytes (separator line excluded).
    pub bytes: Vec<u8>,
    /// The message was larger than the limit and was cut.
    pub truncated: bool,
}

impl<R: BufRead> MboxReader<R> {
    /// Wraps a reader positioned at the start of an mbox.
    pub fn new(reader: R) -> MboxReader<R> {
        MboxReader { reader, pending_from: false, done: false, line: Vec::with_capacity(256) }
    }

    /// The next message, `Ok(None)` at the end.
    pub fn next_message(&mut self) -> std::io::Result<Option<MboxMessage>> {
        if self.done {
            return Ok(None);
        }
        let mut msg = Vec::new();
        let mut truncated = false;
        let mut prev_blank = true;
        let mut started = self.pending_from;
        loop {
            self.line.clear();
            let (n, line_cut) = read_line_capped(&mut self.reader, &mut self.line, MAX_MESSAGE)?;
            if n == 0 {
                self.done = true;
                break;
            }
            truncated |= line_cut;
            if self.line.starts_with(b"From ") && prev_blank {
                if started {
                    self.pending_from = true;
                    // The blank line before the separator belongs to the mbox, not the message.
                    if msg.ends_with(b"\r\n") {
                        msg.truncate(msg.len() - 2);
                    } else if msg.ends_with(b"\n") {
                        msg.truncate(msg.len() - 1);
                    }
                    return Ok(Some(MboxMessage { bytes: msg, truncated }));
                }
                started = true;
                prev_blank = false;
                continue;
            }
            started = true;
            let content: &[u8] = {
                let gt = self.line.iter().take_while(|b| **b == b'>').count();
                if gt > 0 && self.line[gt..].starts_with(b"From ") { &self.line[1..] } else { &self.line }
            };
            prev_blank = content == b"\n" || content == b"\r\n";
            if msg.len() + content.len() <= MAX_MESSAGE {
                msg.extend_from_slice(content);
            } else {
                truncated = true;
            }
        }
        if msg.iter().all(|b| b.is_ascii_whitespace()) && !truncated {
            return Ok(None);
        }
        // The blank line that ends the last message belongs to the mbox too,
        // as before a separator: a message has the same bytes wherever it is.
        if prev_blank {
            if msg.ends_with(b"\r\n") {
                msg.truncate(msg.len() - 2);
            } else if msg.ends_with(b"\n") {
                msg.truncate(msg.len() - 1);
            }
        }
        Ok(Some(MboxMessage { bytes: msg, truncated }))
    }
}

/// Reads up to and including the next `\n`, keeping at most `cap` bytes of
/// it (a file without line breaks must not fill the memory). Returns the
/// bytes consumed and whether the line was cut.
fn read_line_capped<R: BufRead>(reader: &mut R, line: &mut Vec<u8>, cap: usize) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut cut = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((consumed, cut));
        }
        let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(p) => (&buf[..=p], true),
            None => (buf, false),
        };
        let room = cap.saturating_sub(line.len());
        if chunk.len() > room {
            cut = true;
        }
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        reader.consume(used);
        consumed += used;
        if done {
            return Ok((consumed, cut));
        }
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn splits_and_unescapes() {
        let data = b"From a@example.org Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n>From here\n\nFrom b@example.org Mon Jan  1 00:00:00 2024\nSubject: two\n\nFrom inside a paragraph stays\n";
        let mut r = MboxReader::new(&data[..]);
        let a = r.next_message().unwrap().unwrap();
        assert_eq!(a.bytes, b"Subject: one\n\nbody\nFrom here\n");
        let b = r.next_message().unwrap().unwrap();
        assert!(String::from_utf8(b.bytes).unwrap().contains("Subject: two"));
        assert!(r.next_message().unwrap().is_none());
    }

    #[test]
    fn a_message_has_the_same_bytes_first_or_last() {
        let one = "From a@example.org Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n\n";
        let two = "From b@example.org Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody\n\n";
        let read = |data: String| {
            let mut r = MboxReader::new(data.as_bytes());
            let mut out = Vec::new();
            while let Some(m) = r.next_message().unwrap() {
                out.push(m.bytes);
            }
            out
        };
        let forwards = read(format!("{one}{two}"));
        let mut backwards = read(format!("{two}{one}"));
        backwards.reverse();
        assert_eq!(forwards, backwards);
        assert_eq!(forwards[0], b"Subject: one\n\nbody\n");
    }

    #[test]
    fn a_line_without_end_is_capped() {
        let data = vec![b'x'; 1000];
        let mut line = Vec::new();
        let (n, cut) = read_line_capped(&mut &data[..], &mut line, 100).unwrap();
        assert_eq!((n, cut, line.len()), (1000, true, 100));
    }
}
