//! Tor network data at the edges: the relay index file in the data folder,
//! imports from documents, folders, CollecTor tarballs (`.tar`, `.tar.xz`)
//! and tor's DataDirectory, and `sync` from CollecTor's `recent/` folders
//! and Onionoo over HTTP(S). Parsing and the index itself are
//! `exitdesk-tornet`'s (pure); this module only moves bytes.

use std::collections::{BTreeSet, HashSet};
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, mpsc};
use std::time::Duration;

use exitdesk_tornet::{
    ConsensusMemo, Document, Fingerprint, Ours, RelayIndex, parse_document, parse_document_kept, parse_onionoo,
};
use serde::Deserialize;

use crate::err::{AppError, Result};

/// The index file inside the data folder.
pub const INDEX_FILE: &str = "tornet/index.bin";
/// What `sync` already fetched (CollecTor's `recent/` files never change).
const SYNCED_FILE: &str = "tornet/synced.txt";
/// Largest document imported (a file, a decompressed `.xz`/`.gz`, an
/// archive member). Real ones are a few MB (a consensus about 3 MB). A
/// larger one is skipped and reported, never cut: the first part of a
/// consensus or of a descriptor file would record an hour or a relay set
/// with most relays missing, i.e. wrong verdicts ("not a relay then").
pub const MAX_DOCUMENT: u64 = 256 << 20;
/// Bytes of archive members in flight at once (read, being parsed, parsed
/// and not yet added to the index): the reader waits when they are used
/// up. Two of the largest documents, so that reading one overlaps parsing
/// another; a month of real members (a few MB each) never waits. This, not
/// the number of members or of cores, bounds an import's memory.
const IN_FLIGHT: u64 = 2 * MAX_DOCUMENT;
/// Largest document a parser's `ConsensusMemo` keeps for the next hour
/// (two flavours per parser, at most 8 parsers: 256 MiB at worst). Larger
/// ones are parsed without it.
const MEMO_MAX: usize = 16 << 20;
/// Bytes of spare member buffers kept for reuse.
const SPARE_MAX: usize = 64 << 20;

/// `[tornet]`: our relays and where to fetch network data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TornetConfig {
    /// Fingerprints of our relays (40 hex digits).
    #[serde(default)]
    pub our_fingerprints: Vec<String>,
    /// Addresses of our relays (OR addresses and outbound exit addresses).
    #[serde(default)]
    pub our_addresses: Vec<IpAddr>,
    /// tor's DataDirectory folders: their `fingerprint` files name our relays.
    #[serde(default)]
    pub data_directories: Vec<PathBuf>,
    /// CollecTor base URL.
    #[serde(default = "default_collector")]
    pub collector_url: String,
    /// Onionoo base URL.
    #[serde(default = "default_onionoo")]
    pub onionoo_url: String,
}

fn default_collector() -> String {
    "https://collector.torproject.org".to_string()
}

fn default_onionoo() -> String {
    "https://onionoo.torproject.org".to_string()
}

impl Default for TornetConfig {
    fn default() -> Self {
        TornetConfig {
            our_fingerprints: Vec::new(),
            our_addresses: Vec::new(),
            data_directories: Vec::new(),
            collector_url: default_collector(),
            onionoo_url: default_onionoo(),
        }
    }
}

impl TornetConfig {
    /// Our relays: configured fingerprints and addresses, plus the
    /// `fingerprint` file of each configured DataDirectory.
    pub fn ours(&self) -> Result<Ours> {
        let mut ours = Ours::default();
        for f in &self.our_fingerprints {
            let fp = Fingerprint::from_hex(f)
                .ok_or_else(|| AppError::Tornet(format!("[tornet] our_fingerprints: {f:?} is not 40 hex digits")))?;
            ours.fingerprints.insert(fp);
        }
        ours.addresses.extend(self.our_addresses.iter().copied());
        for dir in &self.data_directories {
            ours.fingerprints.insert(read_fingerprint_file(dir)?);
        }
        Ok(ours)
    }
}

/// Reads tor's `DataDirectory/fingerprint` (`Nickname HEX`).
pub fn read_fingerprint_file(dir: &Path) -> Result<Fingerprint> {
    let path = dir.join("fingerprint");
    let text = std::fs::read_to_string(&path).map_err(|source| AppError::Read { path: path.clone(), source })?;
    text.split_whitespace()
        .find_map(Fingerprint::from_hex)
        .ok_or_else(|| AppError::Tornet(format!("{}: no fingerprint in it", path.display())))
}

/// Loads the index from the data folder (empty when there is none yet).
pub fn load_index(data_dir: &Path) -> Result<RelayIndex> {
    let path = data_dir.join(INDEX_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => RelayIndex::from_bytes(&bytes)
            .map_err(|e| AppError::Tornet(format!("{}: {e}; move it away and import again", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(RelayIndex::new()),
        Err(source) => Err(AppError::Read { path, source }),
    }
}

/// Writes the index atomically (temporary file, then rename).
pub fn save_index(data_dir: &Path, ix: &RelayIndex) -> Result<()> {
    let path = data_dir.join(INDEX_FILE);
    write_atomic(&path, &ix.to_bytes())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let werr = |p: &Path| {
        let p = p.to_path_buf();
        move |source| AppError::Write { path: p, source }
    };
    if let Some(dir) = path.parent() {
        create_private_dir(dir).map_err(werr(dir))?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(werr(&tmp))?;
    std::fs::rename(&tmp, path).map_err(werr(path))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Documents read.
    pub documents: usize,
    /// Documents that changed the index.
    pub new: usize,
    /// Documents already known.
    pub known: usize,
    /// Files or archive members that were not imported, with the reason.
    pub failed: Vec<(String, String)>,
    /// Entries skipped inside documents (bad lines), with the first few messages.
    pub entry_errors: usize,
    /// See `entry_errors`.
    pub entry_error_samples: Vec<String>,
    /// Files that are not Tor documents (skipped quietly in folders).
    pub ignored: usize,
    /// Documents over `MAX_DOCUMENT`, skipped (each also in `failed`, with its size).
    pub too_large: usize,
}

impl ImportReport {
    fn merge(&mut self, o: ImportReport) {
        self.documents += o.documents;
        self.new += o.new;
        self.known += o.known;
        self.failed.extend(o.failed);
        self.entry_errors += o.entry_errors;
        for s in o.entry_error_samples {
            if self.entry_error_samples.len() < 10 {
                self.entry_error_samples.push(s);
            }
        }
        self.ignored += o.ignored;
        self.too_large += o.too_large;
    }

    /// Records a document over `MAX_DOCUMENT` (`size` says how large).
    fn skip_too_large(&mut self, name: String, size: &str) {
        self.too_large += 1;
        self.failed.push((name, too_large_reason(size)));
    }
}

/// Progress of a long import: bytes of input consumed out of the total.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Input bytes consumed (compressed bytes for archives).
    pub done: u64,
    /// All input bytes.
    pub total: u64,
    /// Documents so far.
    pub documents: usize,
}

/// A document parsed, not yet added.
pub enum Parsed {
    /// A Tor document and the entries it skipped.
    Doc(Document, Vec<exitdesk_tornet::DocError>),
    /// An Onionoo snapshot and the relays it skipped.
    Onionoo(Box<exitdesk_tornet::OnionooSnapshot>, Vec<exitdesk_tornet::DocError>),
}

/// Parses one document (pure work; runs on any thread).
pub fn parse_bytes(bytes: &[u8]) -> std::result::Result<Parsed, exitdesk_tornet::DocError> {
    if is_json(bytes) {
        parse_onionoo(bytes).map(|(snap, errors)| Parsed::Onionoo(Box::new(snap), errors))
    } else {
        parse_document(bytes).map(|(doc, errors)| Parsed::Doc(doc, errors))
    }
}

/// Onionoo answers are JSON objects; Tor documents never start with `{`.
fn is_json(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// `parse_bytes` for a worker parsing one hour after another: consensuses
/// reuse what `memo` remembers of the previous one, and the memo keeps
/// their text. Returns a buffer to reuse for the next member.
fn parse_kept(
    bytes: Vec<u8>,
    memo: &mut ConsensusMemo,
) -> (std::result::Result<Parsed, exitdesk_tornet::DocError>, Vec<u8>) {
    if is_json(&bytes) {
        return (parse_bytes(&bytes), bytes);
    }
    let (parsed, spare) = parse_document_kept(bytes, memo);
    (parsed.map(|(doc, errors)| Parsed::Doc(doc, errors)), spare)
}

/// Adds a parsed document to the index and the report.
fn add_parsed(
    ix: &mut RelayIndex,
    name: &str,
    parsed: std::result::Result<Parsed, exitdesk_tornet::DocError>,
    report: &mut ImportReport,
    quiet_unknown: bool,
) {
    let outcome = parsed.map(|p| match p {
        Parsed::Onionoo(snap, errors) => (ix.add_onionoo(&snap), errors),
        Parsed::Doc(doc, errors) => {
            let outcome = match &doc {
                Document::Consensus(c) => ix.add_consensus(c),
                Document::Microdescs(m) => ix.add_microdescs(m),
                Document::ServerDescriptors(d) => ix.add_descriptors(d),
                Document::ExitList(l) => ix.add_exit_list(l),
            };
            (outcome, errors)
        }
    });
    match outcome {
        Ok((outcome, errors)) => {
            report.documents += 1;
            if outcome.changed {
                report.new += 1;
            } else {
                report.known += 1;
            }
            // A document lists its first problems and counts the rest on the last one.
            report.entry_errors += errors.iter().map(exitdesk_tornet::DocError::count).sum::<usize>();
            for e in errors.iter().take(10usize.saturating_sub(report.entry_error_samples.len())) {
                report.entry_error_samples.push(format!("{name}: {e}"));
            }
        }
        Err(_) if quiet_unknown => report.ignored += 1,
        Err(e) => report.failed.push((name.to_string(), e.to_string())),
    }
}

/// Adds one document (already read) to the index.
pub fn import_bytes(ix: &mut RelayIndex, name: &str, bytes: &[u8], report: &mut ImportReport, quiet_unknown: bool) {
    add_parsed(ix, name, parse_bytes(bytes), report, quiet_unknown);
}

/// Counts bytes read through it, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What the reader sends the parsers, and the parsers the main thread.
enum Member {
    /// A member's bytes, and the budget they hold.
    Doc(String, Vec<u8>, Permit),
    /// A member parsed (or not a Tor document), holding its bytes' budget.
    Parsed(String, std::result::Result<Parsed, exitdesk_tornet::DocError>, Permit),
    /// A member over `MAX_DOCUMENT`, with its size: not read.
    TooLarge(String, u64),
    /// Reading the archive or a member failed.
    Failed(String, String),
}

fn is_tar(name: &str) -> bool {
    [".tar", ".tar.xz", ".txz", ".tar.gz", ".tgz"].iter().any(|x| name.ends_with(x))
}

/// Member buffers handed back by the parsers for the next members: a
/// month is 720 members of a few MB, and fresh buffers cost page faults
/// and zeroing on the reading thread, which sets the pace. At most
/// `SPARE_MAX` bytes are kept.
#[derive(Default, Clone)]
struct Buffers(Arc<Mutex<Vec<Vec<u8>>>>);

impl Buffers {
    fn take(&self) -> Vec<u8> {
        self.0.lock().ok().and_then(|mut v| v.pop()).unwrap_or_default()
    }

    fn give(&self, buf: Vec<u8>) {
        if let Ok(mut v) = self.0.lock() {
            let kept: usize = v.iter().map(Vec::capacity).sum();
            if kept + buf.capacity() <= SPARE_MAX {
                v.push(buf);
            }
        }
    }
}

/// The bytes of archive members that may be in flight (`IN_FLIGHT`): the
/// reader takes a `Permit` for a member before reading it, and the
/// permit goes with the member until the main thread has added it.
struct Budget {
    left: Mutex<u64>,
    freed: Condvar,
}

/// Bytes taken from a `Budget`, given back when dropped.
struct Permit {
    budget: Arc<Budget>,
    bytes: u64,
}

impl Budget {
    fn new(bytes: u64) -> Arc<Budget> {
        Arc::new(Budget { left: Mutex::new(bytes), freed: Condvar::new() })
    }

    /// Waits until `bytes` (at most `IN_FLIGHT`) are free and takes them.
    fn take(self: &Arc<Self>, bytes: u64) -> Permit {
        let bytes = bytes.min(IN_FLIGHT);
        let mut left = self.left.lock().unwrap_or_else(PoisonError::into_inner);
        while *left < bytes {
            left = self.freed.wait(left).unwrap_or_else(PoisonError::into_inner);
        }
        *left -= bytes;
        Permit { budget: Arc::clone(self), bytes }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        *self.budget.left.lock().unwrap_or_else(PoisonError::into_inner) += self.bytes;
        self.budget.freed.notify_all();
    }
}

/// Why a document was skipped: its size against `MAX_DOCUMENT`.
fn too_large_reason(size: &str) -> String {
    format!("{size}, over the {} MiB limit for one document: skipped", MAX_DOCUMENT >> 20)
}

/// Reads up to `size` bytes of `r` into `buf` (reused: only bytes never
/// written before are zeroed), as `read_to_end` would: a short member
/// yields what it has.
fn read_member(r: &mut impl Read, size: usize, buf: &mut Vec<u8>) -> std::io::Result<()> {
    if buf.len() < size {
        buf.resize(size, 0);
    }
    let mut filled = 0;
    while filled < size {
        match r.read(&mut buf[filled..size]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    Ok(())
}

/// Reads a tarball (plain, xz or gzip) on its own thread, sending members;
/// the caller parses them meanwhile (decompression and parsing overlap).
/// Each member's bytes are taken from `budget` before it is read.
fn read_tar(path: &Path, count: Arc<AtomicU64>, tx: mpsc::SyncSender<Member>, buffers: Buffers, budget: Arc<Budget>) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            let _ = tx.send(Member::Failed(name, e.to_string()));
            return;
        }
    };
    let raw = Counting { inner: std::io::BufReader::with_capacity(1 << 20, file), count };
    let mut archive = tar::Archive::new(decoder(&name, raw));
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            let _ = tx.send(Member::Failed(name, e.to_string()));
            return;
        }
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A damaged archive cannot be resynchronised: report and stop.
                let _ = tx.send(Member::Failed(format!("{name}: (archive)"), e.to_string()));
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let member = entry.path().map(|p| p.display().to_string()).unwrap_or_else(|_| "?".to_string());
        let label = format!("{name}#{member}");
        let size = entry.size();
        if size > MAX_DOCUMENT {
            // Not read: the archive reader skips its bytes.
            let _ = tx.send(Member::TooLarge(label, size));
            continue;
        }
        let mut buf = buffers.take();
        // A spare buffer may be larger than the member: its bytes count.
        let permit = budget.take(size.max(buf.capacity() as u64));
        let msg = match read_member(&mut entry, size as usize, &mut buf) {
            Ok(_) => Member::Doc(label, buf, permit),
            Err(e) => Member::Failed(label, e.to_string()),
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}

fn import_tar(
    ix: &mut RelayIndex,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
    base: (u64, u64),
    report: &mut ImportReport,
) {
    let count = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::sync_channel::<Member>(8);
    let p = path.to_path_buf();
    let c = Arc::clone(&count);
    let buffers = Buffers::default();
    let b = buffers.clone();
    let budget = Budget::new(IN_FLIGHT);
    let reader = std::thread::spawn(move || read_tar(&p, c, tx, b, budget));
    // Parsing runs on worker threads beside the decompressing reader; only
    // adding to the index is sequential (here). Members hold their budget
    // until they are added, so the channels never hold more than it.
    let rx = Arc::new(Mutex::new(rx));
    let (ptx, prx) = mpsc::sync_channel::<Member>(8);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let rx = Arc::clone(&rx);
        let ptx = ptx.clone();
        let buffers = buffers.clone();
        handles.push(std::thread::spawn(move || {
            // Each worker remembers the entries of the last consensus it parsed.
            let mut memo = ConsensusMemo::default();
            loop {
                let next = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => return,
                };
                let msg = match next {
                    // The memo would keep the buffer: large ones are parsed without it.
                    Ok(Member::Doc(name, bytes, permit)) if bytes.capacity() > MEMO_MAX => {
                        Member::Parsed(name, parse_bytes(&bytes), permit)
                    }
                    Ok(Member::Doc(name, bytes, permit)) => {
                        let (parsed, spare) = parse_kept(bytes, &mut memo);
                        buffers.give(spare);
                        Member::Parsed(name, parsed, permit)
                    }
                    Ok(other) => other,
                    Err(_) => return,
                };
                if ptx.send(msg).is_err() {
                    return;
                }
            }
        }));
    }
    drop(ptx);
    for msg in prx {
        match msg {
            // Members of archives that are not Tor documents are skipped quietly, as in folders.
            Member::Parsed(name, parsed, permit) => {
                add_parsed(ix, &name, parsed, report, true);
                drop(permit);
            }
            Member::TooLarge(name, size) => report.skip_too_large(name, &format!("{size} bytes")),
            Member::Failed(name, reason) => report.failed.push((name, reason)),
            Member::Doc(..) => {}
        }
        progress(Progress { done: base.0 + count.load(Ordering::Relaxed), total: base.1, documents: report.documents });
    }
    // Join every thread (no short circuit), then see whether one panicked.
    let joined: Vec<bool> = handles.into_iter().map(|h| h.join().is_err()).collect();
    let stopped = joined.contains(&true) | reader.join().is_err();
    if stopped {
        report.failed.push((path.display().to_string(), "archive reader stopped unexpectedly".to_string()));
    }
}

/// tor DataDirectory files worth reading.
fn is_tor_cache(name: &str) -> bool {
    name.starts_with("cached-")
        && ["consensus", "microdesc-consensus", "microdescs", "descriptors"]
            .iter()
            .any(|k| name.trim_start_matches("cached-").trim_end_matches(".new") == *k)
}

fn collect(path: &Path, out: &mut Vec<(PathBuf, bool)>, depth: usize) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_dir() {
        out.push((path.to_path_buf(), false));
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    // A tor DataDirectory: only its caches (keys and state stay untouched).
    let datadir = entries.iter().any(|p| p.file_name().is_some_and(|n| n == "fingerprint"))
        && entries.iter().any(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("cached-")));
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if datadir {
            if is_tor_cache(name) {
                out.push((p, false));
            }
        } else if p.is_dir() {
            if depth < 8 {
                collect(&p, out, depth + 1)?;
            }
        } else {
            out.push((p, true));
        }
    }
    Ok(())
}

/// Imports files, folders (recursively; tor DataDirectories by their
/// `cached-*` files) and tarballs. Failures are reported per file or
/// member; everything else goes on.
pub fn import_paths(ix: &mut RelayIndex, paths: &[PathBuf], progress: &mut dyn FnMut(Progress)) -> ImportReport {
    let mut report = ImportReport::default();
    let mut files = Vec::new();
    for p in paths {
        if let Err(e) = collect(p, &mut files, 0) {
            report.failed.push((p.display().to_string(), e.to_string()));
        }
    }
    let total: u64 = files.iter().filter_map(|(p, _)| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let mut done = 0u64;
    for (path, in_folder) in files {
        let name = path.display().to_string();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if is_tar(&name) {
            let mut r = ImportReport::default();
            import_tar(ix, &path, progress, (done, total), &mut r);
            report.merge(r);
        } else if size > MAX_DOCUMENT {
            report.skip_too_large(name, &format!("{size} bytes"));
        } else {
            match read_document(&path) {
                Ok(Some(bytes)) => import_bytes(ix, &name, &bytes, &mut report, in_folder),
                Ok(None) => report.skip_too_large(name, &format!("more than {MAX_DOCUMENT} bytes once decompressed")),
                Err(e) => report.failed.push((name, e)),
            }
        }
        done += size;
        progress(Progress { done, total, documents: report.documents });
    }
    report
}

/// Decompresses by file name: `.xz`/`.txz`, `.gz`/`.tgz`, else as is.
fn decoder<'a, R: Read + 'a>(name: &str, raw: R) -> Box<dyn Read + 'a> {
    if name.ends_with(".xz") || name.ends_with(".txz") {
        Box::new(liblzma::read::XzDecoder::new_multi_decoder(raw))
    } else if name.ends_with(".gz") || name.ends_with(".tgz") {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    }
}

/// Reads a document, decompressing `.xz` and `.gz`; `None` when it is
/// larger than `MAX_DOCUMENT` (read no further).
fn read_document(path: &Path) -> std::result::Result<Option<Vec<u8>>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = decoder(&path.to_string_lossy(), file);
    let mut buf = Vec::new();
    reader.by_ref().take(MAX_DOCUMENT + 1).read_to_end(&mut buf).map_err(|e| e.to_string())?;
    Ok((buf.len() as u64 <= MAX_DOCUMENT).then_some(buf))
}

/// What `sync` fetches from CollecTor's `recent/` folder.
pub const SYNC_FOLDERS: [&str; 4] = [
    "recent/relay-descriptors/consensuses",
    "recent/relay-descriptors/microdescs/micro",
    "recent/relay-descriptors/server-descriptors",
    "recent/exit-lists",
];

/// The fields exitdesk asks Onionoo for.
pub const ONIONOO_QUERY: &str = "details?type=relay&running=true&fields=fingerprint,nickname,or_addresses,exit_addresses,flags,exit_policy,exit_policy_summary,exit_policy_v6_summary,advertised_bandwidth,running";

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// Files listed in CollecTor's index under the folders synced.
    pub listed: usize,
    /// Files downloaded now.
    pub downloaded: usize,
    /// Bytes downloaded.
    pub bytes: u64,
    /// The import of what was downloaded.
    pub import: ImportReport,
    /// `relays_published` of the Onionoo snapshot, when fetched.
    pub onionoo: Option<String>,
}

#[derive(Deserialize)]
struct IndexDir {
    path: String,
    #[serde(default)]
    directories: Vec<IndexDir>,
    #[serde(default)]
    files: Vec<IndexFile>,
}

#[derive(Deserialize)]
struct IndexFile {
    path: String,
    #[serde(default)]
    sha256: Option<String>,
}

fn walk(dir: &IndexDir, prefix: &str, out: &mut Vec<(String, Option<String>)>) {
    let here = if prefix.is_empty() { dir.path.clone() } else { format!("{prefix}/{}", dir.path) };
    for f in &dir.files {
        out.push((format!("{here}/{}", f.path), f.sha256.clone()));
    }
    for d in &dir.directories {
        walk(d, &here, out);
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(300)))
        .timeout_connect(Some(Duration::from_secs(20)))
        .user_agent(concat!("exitdesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn get(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>> {
    let fail = |e: String| AppError::Tornet(format!("GET {url}: {e}"));
    let mut resp = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    resp.body_mut().with_config().limit(MAX_DOCUMENT).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => fail(too_large_reason(&format!("more than {MAX_DOCUMENT} bytes"))),
        e => fail(e.to_string()),
    })
}

/// SHA-256 as CollecTor's index writes it (base64; compared without padding).
fn sha256_b64(bytes: &[u8]) -> String {
    use sha2::Digest;
    exitdesk_tornet::base64_encode(&sha2::Sha256::digest(bytes))
}

/// Downloads what is new in CollecTor's `recent/` folders (per its
/// `index/index.json`) and the current network from Onionoo, and imports it.
pub fn sync(
    ix: &mut RelayIndex,
    data_dir: &Path,
    cfg: &TornetConfig,
    onionoo: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport> {
    let agent = agent();
    let base = cfg.collector_url.trim_end_matches('/');
    let index_bytes = get(&agent, &format!("{base}/index/index.json"))?;
    let root: IndexDir = serde_json::from_slice(&index_bytes)
        .map_err(|e| AppError::Tornet(format!("{base}/index/index.json: not a CollecTor index: {e}")))?;
    let mut files = Vec::new();
    for d in &root.directories {
        walk(d, "", &mut files);
    }
    files.retain(|(p, _)| SYNC_FOLDERS.iter().any(|f| p.starts_with(&format!("{f}/"))));
    let synced_path = data_dir.join(SYNCED_FILE);
    let mut synced: BTreeSet<String> =
        std::fs::read_to_string(&synced_path).unwrap_or_default().lines().map(str::to_string).collect();
    let listed: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    // Forget what CollecTor no longer lists (older than 72 h).
    synced.retain(|p| listed.contains(p.as_str()));
    let mut report = SyncReport { listed: files.len(), ..SyncReport::default() };
    let todo: Vec<_> = files.iter().filter(|(p, _)| !synced.contains(p)).collect();
    let total = todo.len() as u64;
    for (i, (path, sha)) in todo.into_iter().enumerate() {
        let url = format!("{base}/{path}");
        match get(&agent, &url) {
            Ok(bytes) => {
                if let Some(want) = sha {
                    if sha256_b64(&bytes) != want.trim_end_matches('=') {
                        report
                            .import
                            .failed
                            .push((url, "SHA-256 differs from CollecTor's index; not imported".to_string()));
                        continue;
                    }
                }
                report.downloaded += 1;
                report.bytes += bytes.len() as u64;
                import_bytes(ix, path, &bytes, &mut report.import, false);
                synced.insert(path.clone());
            }
            Err(e) => report.import.failed.push((url, e.to_string())),
        }
        progress(Progress { done: i as u64 + 1, total, documents: report.import.documents });
    }
    if onionoo {
        let url = format!("{}/{ONIONOO_QUERY}", cfg.onionoo_url.trim_end_matches('/'));
        match get(&agent, &url) {
            Ok(bytes) => {
                let parsed = parse_bytes(&bytes);
                if let Ok(Parsed::Onionoo(snap, _)) = &parsed {
                    report.onionoo = Some(exitdesk_tornet::time::format_datetime(snap.consensus.valid_after));
                }
                add_parsed(ix, &url, parsed, &mut report.import, false);
            }
            Err(e) => report.import.failed.push((url, e.to_string())),
        }
    }
    let text: String = synced.iter().map(|p| format!("{p}\n")).collect();
    write_atomic(&synced_path, text.as_bytes())?;
    Ok(report)
}
