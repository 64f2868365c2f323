//! Opening the store (SQLite file or PostgreSQL URL), migrations, and the
//! transaction every read and write goes through.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use exitdesk_model::{CaseState, Kind, StatsCounts, Transition};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Connection, Executor, Row};

use crate::Result;
use crate::records::{
    Approval, CaseFilter, CaseRecord, Derived, DraftHead, DraftRecord, MessageInfo, NoteRecord, ReporterRecord,
    SendRecord, StatsGrouping, StatsKey, StoredMessage,
};
use crate::schema::{Dialect, MIGRATIONS};

/// The SQLite file's name in the data folder.
pub const STORE_FILE: &str = "exitdesk.db";

/// A store error: what failed, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open the store {what}: {reason}")]
    Open {
        /// The file or URL (without password).
        what: String,
        /// Why.
        reason: String,
    },
    /// The disk under the store, or the database itself, is full: nothing
    /// of the failed transaction was written; free space and run again.
    #[error("no space left for the store{}: {reason} (free space, then run the command again: nothing was lost)", what.as_ref().map(|w| format!(" {w}")).unwrap_or_default())]
    Full {
        /// The file or URL (without password), when known.
        what: Option<String>,
        /// What the database said.
        reason: String,
    },
    /// The store was busy (a lock held by another run, a deadlock or a
    /// serialization failure): the transaction may succeed when run again.
    #[error("store busy: {0}")]
    Busy(String),
    /// The connection to the store failed (I/O, a closed pool): the
    /// operator must act.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A statement failed.
    #[error("store: {0}")]
    Db(String),
    /// A stored value could not be read back.
    #[error("store: damaged row: {0}")]
    Damaged(String),
}

impl From<sqlx::Error> for StoreError {
    /// Sorts a database error by what the caller should do: only
    /// [`StoreError::Busy`] is worth running again.
    fn from(e: sqlx::Error) -> Self {
        let text = e.to_string();
        match &e {
            sqlx::Error::Database(d) => {
                let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
                // SQLite's (extended) result codes: the primary code is the low byte.
                let sqlite = code.parse::<i32>().ok().map(|c| c & 0xff);
                match (sqlite, code.as_str()) {
                    // SQLITE_FULL; PostgreSQL's disk_full, out_of_memory-class.
                    (Some(13), _) | (_, "53100") => StoreError::Full { what: None, reason: text },
                    // SQLITE_BUSY, SQLITE_LOCKED; serialization_failure,
                    // deadlock_detected, lock_not_available.
                    (Some(5 | 6), _) | (_, "40001" | "40P01" | "55P03") => StoreError::Busy(text),
                    _ => StoreError::Db(text),
                }
            }
            sqlx::Error::Io(io) if io.raw_os_error() == Some(28) => StoreError::Full { what: None, reason: text },
            sqlx::Error::PoolTimedOut => StoreError::Busy(text),
            sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(text)
            }
            _ => StoreError::Db(text),
        }
    }
}

impl StoreError {
    /// Whether running the transaction again may succeed (busy, deadlock,
    /// serialization failure); nothing else is retried.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }

    /// Whether the store itself is in trouble (full, busy, unreachable,
    /// not opened), as opposed to one statement failing on what it was
    /// given: a run stops on these instead of setting a message aside.
    pub fn is_store_trouble(&self) -> bool {
        matches!(
            self,
            StoreError::Full { .. } | StoreError::Busy(_) | StoreError::Unavailable(_) | StoreError::Open { .. }
        )
    }
}

/// The case store: a pool of connections to SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    /// The file or URL (without password), for messages.
    what: std::sync::Arc<str>,
}

/// A URL with its password hidden, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Checks that a text is a SHA-256 in lower-case hex.
pub fn sha256_hex_check(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Store {
    /// Opens (creating if needed) the SQLite store in a data folder: the
    /// folder and the file are created private (0700, 0600); WAL journal.
    pub async fn open_dir(dir: &Path) -> Result<Store> {
        let what = dir.join(STORE_FILE).display().to_string();
        let fail = |reason: String| StoreError::Open { what: what.clone(), reason };
        create_private_dir(dir).map_err(|e| fail(e.to_string()))?;
        let file = dir.join(STORE_FILE);
        create_private_file(&file).map_err(|e| fail(e.to_string()))?;
        let path = file.to_str().ok_or_else(|| fail("the path is not valid UTF-8".into()))?;
        let url = format!("sqlite://{}?mode=rwc", encode_path(path));
        Store::open(&url).await
    }

    /// Opens a store by URL: `sqlite://PATH?mode=rwc` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_at(url, MIGRATIONS.len()).await
    }

    /// Opens a store with the first `migrations` migrations applied.
    async fn open_at(url: &str, migrations: usize) -> Result<Store> {
        let what = redact(url);
        let fail = |reason: String| StoreError::Open { what: what.clone(), reason };
        let dialect =
            Dialect::of_url(url).ok_or_else(|| fail("the URL must start with sqlite:// or postgres://".into()))?;
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(if dialect == Dialect::Sqlite { 1 } else { 4 })
            .acquire_timeout(Duration::from_secs(30))
            // A connection whose transaction could not be rolled back (SQLite
            // rolls back by itself on a full disk, and the ROLLBACK sent
            // after it fails) still counts a transaction open: every later
            // BEGIN on it would fail ("begin_with at non-zero transaction
            // depth"), hiding the first error. It is closed instead of reused.
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA cache_size = -65536").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let what = match dialect {
            Dialect::Sqlite => sqlite_path(url),
            Dialect::Postgres => what.clone(),
        };
        let store = Store { pool, dialect, what: what.into() };
        store.migrate(migrations).await.map_err(|e| fail(e.to_string()))?;
        Ok(store)
    }

    /// The database behind it.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Says which store an error is about, where it matters to the
    /// operator (a full disk: the file's path, or the server's URL).
    pub fn locate(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Full { what: None, reason } => StoreError::Full { what: Some(self.what.to_string()), reason },
            e => e,
        }
    }

    /// Applies the first `upto` migrations this version knows that the database lacks.
    async fn migrate(&self, upto: usize) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if self.dialect == Dialect::Postgres {
            // Servers starting together take turns (CREATE TABLE IF NOT
            // EXISTS is not safe against itself on PostgreSQL); SQLite's
            // write lock does the same there.
            tx.execute("SELECT pg_advisory_xact_lock(7400200501)").await?;
        }
        tx.execute("CREATE TABLE IF NOT EXISTS exitdesk_schema (version BIGINT NOT NULL, name TEXT NOT NULL)").await?;
        let done: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM exitdesk_schema").fetch_one(&mut *tx).await?.try_get("n")?;
        let done = usize::try_from(done).unwrap_or(0);
        if done > MIGRATIONS.len() {
            return Err(StoreError::Db(format!(
                "the store was written by a newer exitdesk (schema {done}, this one knows {}); upgrade exitdesk",
                MIGRATIONS.len()
            )));
        }
        for (i, (name, text)) in MIGRATIONS.iter().enumerate().take(upto).skip(done) {
            for stmt in self.dialect.sql(text).split(';').map(str::trim).filter(|s| !s.is_empty()) {
                tx.execute(built(stmt.to_string())).await?;
            }
            sqlx::query("INSERT INTO exitdesk_schema (version, name) VALUES ($1, $2)")
                .bind(i as i64 + 1)
                .bind(*name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Starts a transaction: every read and write goes through one. On
    /// SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so that a
    /// transaction that reads and then writes never finds, at its first
    /// write, that another process wrote in between (it waits for the lock
    /// at the start instead, up to the busy timeout).
    pub async fn begin(&self) -> Result<Tx> {
        let tx = match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        };
        Ok(Tx { tx, dialect: self.dialect, later: Later::default() })
    }

    /// Creates the PostgreSQL database `name` afresh (dropping one of that
    /// name) on the server `admin_url` connects to, and opens it: for tests,
    /// each with a database of its own. `name` is letters, digits and `_`.
    pub async fn create_fresh_database(admin_url: &str, name: &str) -> Result<Store> {
        Store::create_fresh_database_at(admin_url, name, MIGRATIONS.len()).await
    }

    /// [`Store::create_fresh_database`] with the first `migrations` migrations applied.
    async fn create_fresh_database_at(admin_url: &str, name: &str, migrations: usize) -> Result<Store> {
        let fail = |reason: String| StoreError::Open { what: redact(admin_url), reason };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(fail(format!("{name:?} is not a plain database name")));
        }
        let (base, _) = admin_url.rsplit_once('/').ok_or_else(|| fail("no database in the URL".into()))?;
        let admin = Store::open(admin_url).await?;
        for stmt in [format!("DROP DATABASE IF EXISTS {name}"), format!("CREATE DATABASE {name}")] {
            admin.pool.execute(built(stmt)).await?;
        }
        admin.close().await;
        Store::open_at(&format!("{base}/{name}"), migrations).await
    }

    /// Brings the planner's statistics up to date after a bulk load, as
    /// PostgreSQL's autovacuum does on its own within a minute or so
    /// (`VACUUM ANALYZE`: statistics, and the visibility map that lets
    /// statistics be read from the covering indexes alone); on SQLite,
    /// `PRAGMA optimize`.
    pub async fn maintain(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match self.dialect {
            Dialect::Sqlite => conn.execute("PRAGMA optimize").await?,
            Dialect::Postgres => conn.execute("VACUUM ANALYZE").await?,
        };
        Ok(())
    }

    /// Caps the SQLite file at its present size on the connection open
    /// now, until that connection is closed: a write that needs a new page
    /// fails as on a full disk (`database or disk is full`). For tests of
    /// a full disk without a small file system; a no-op on PostgreSQL.
    #[doc(hidden)]
    pub async fn cap_size_for_tests(&self) -> Result<()> {
        if self.dialect == Dialect::Sqlite {
            let mut conn = self.pool.acquire().await?;
            // Never below the pages in use: this is the present size.
            conn.execute("PRAGMA max_page_count = 1").await?;
        }
        Ok(())
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The file a SQLite URL names (`sqlite://PATH?mode=rwc`, as
/// [`encode_path`] wrote it).
fn sqlite_path(url: &str) -> String {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or(path);
    path.replace("%3F", "?").replace("%23", "#").replace("%25", "%")
}

/// Percent-encodes what sqlx's SQLite URL parser would take as syntax.
fn encode_path(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => s.push_str("%25"),
            '?' => s.push_str("%3F"),
            '#' => s.push_str("%23"),
            c => s.push(c),
        }
    }
    s
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Creates the database file owner-only before SQLite opens it (SQLite gives
/// its `-wal` and `-shm` files the same mode).
fn create_private_file(file: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(file).map(drop)
}

/// One transaction. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx {
    tx: sqlx::Transaction<'static, Any>,
    dialect: Dialect,
    later: Later,
}

/// Writes that nothing in the transaction reads back at once, kept to be
/// written together (one statement per few dozen or hundred rows) at the
/// commit, or before a read of their table: reporters' message counts,
/// case history, what was derived of claimed messages, and cases' exit and
/// port rows. A method that reads one of those tables writes its kept rows
/// first. Dropped with the transaction when it rolls back.
#[derive(Debug, Default)]
struct Later {
    /// Per reporter (in first-counted order): the last name given, the
    /// earliest time seen and how many messages.
    reporters: Vec<(String, Option<String>, i64, i64)>,
    reporter_at: std::collections::HashMap<String, usize>,
    /// Case id and transition, in the order recorded.
    transitions: Vec<(i64, Transition)>,
    /// Messages this transaction claimed (see [`Tx::claim`]): unprocessed
    /// in the table, so what is derived of them can wait.
    claimed: std::collections::HashSet<String>,
    /// What processing derived of claimed messages, in order (by SHA-256):
    /// written before the messages table is read, except by
    /// [`Tx::messages_from_between`], which counts these too.
    derived: Vec<(String, Derived)>,
    derived_at: std::collections::HashMap<String, usize>,
    /// Cases whose exit and port rows are to be written, in first-changed
    /// order: the latest lists and statistics, and whether rows written
    /// before are to be replaced. Written before those tables are read.
    lists: Vec<(i64, ListRows, bool)>,
    lists_at: std::collections::HashMap<i64, usize>,
}

/// A case's exit and port rows: its lists and its statistics columns.
#[derive(Debug, PartialEq)]
struct ListRows {
    exit_ips: Vec<String>,
    ports: Vec<u16>,
    opened_at: i64,
    messages: i64,
    reply_bucket: Option<i64>,
    is_open: i64,
    deadline_met: i64,
    deadline_missed: i64,
}

impl ListRows {
    fn of(c: &CaseRecord) -> ListRows {
        ListRows {
            exit_ips: c.exit_ips.clone(),
            ports: c.ports.clone(),
            opened_at: c.opened_at,
            messages: c.messages,
            reply_bucket: reply_bucket(c),
            is_open: b(c.state.is_open()),
            deadline_met: b(deadline_met(c)),
            deadline_missed: b(deadline_missed(c)),
        }
    }
}

const CASE_COLUMNS: &str = "id, state, scenario, subkind, kind, reporter, reporter_name, forwarder, thread, exit_ips, ports, \
     flood_period, country, language, subject, opened_at, updated_at, last_arrival, deadline, follow_up, first_reply_at, messages";

/// SQL text put together here from constants (column lists, migration
/// texts) and placeholder numbers only; values are always bound.
fn built(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

/// Rows per multi-row statement: bound parameters stay far below both
/// databases' limits (SQLite 32,766, PostgreSQL 65,535).
const ROWS_PER_STATEMENT: usize = 500;

/// The `n`th placeholder (from 1) of a statement whose values all bind in
/// order: `$n` on PostgreSQL; `?` on SQLite, where sqlx finds each `$n` by
/// walking the statement's list of parameter names (quadratic in a
/// statement of a few hundred rows).
fn mark(dialect: Dialect, n: usize) -> String {
    match dialect {
        Dialect::Postgres => format!("${n}"),
        Dialect::Sqlite => "?".into(),
    }
}

/// `($1, $2), ($3, $4), …`: `rows` groups of `width` placeholders (see [`mark`]).
fn placeholders(dialect: Dialect, rows: usize, width: usize) -> String {
    let mut out = String::with_capacity(rows * width * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&mark(dialect, r * width + c + 1));
        }
        out.push(')');
    }
    out
}

/// `$1, $2, …, $n`: `n` placeholders (see [`mark`]), for an `IN (…)` list
/// that a statement starts with.
fn in_list(dialect: Dialect, n: usize) -> String {
    (1..=n).map(|i| mark(dialect, i)).collect::<Vec<_>>().join(", ")
}

fn b(v: bool) -> i64 {
    i64::from(v)
}

fn list(items: &[String]) -> String {
    if items.is_empty() { String::new() } else { format!(" {} ", items.join(" ")) }
}

fn unlist(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn case_from(row: &AnyRow) -> Result<CaseRecord> {
    let state: String = row.try_get("state")?;
    let kind: String = row.try_get("kind")?;
    let ports: String = row.try_get("ports")?;
    Ok(CaseRecord {
        id: row.try_get("id")?,
        state: CaseState::from_name(&state)
            .ok_or_else(|| StoreError::Damaged(format!("unknown case state {state:?}")))?,
        scenario: row.try_get("scenario")?,
        subkind: row.try_get("subkind")?,
        kind: Kind::from_id(&kind).ok_or_else(|| StoreError::Damaged(format!("unknown case kind {kind:?}")))?,
        reporter: row.try_get("reporter")?,
        reporter_name: row.try_get("reporter_name")?,
        forwarder: row.try_get("forwarder")?,
        thread: row.try_get("thread")?,
        exit_ips: unlist(&row.try_get::<String, _>("exit_ips")?),
        ports: ports.split_whitespace().filter_map(|p| p.parse().ok()).collect(),
        flood_period: row.try_get("flood_period")?,
        country: row.try_get("country")?,
        language: row.try_get("language")?,
        subject: row.try_get("subject")?,
        opened_at: row.try_get("opened_at")?,
        updated_at: row.try_get("updated_at")?,
        last_arrival: row.try_get("last_arrival")?,
        deadline: row.try_get("deadline")?,
        follow_up: row.try_get("follow_up")?,
        first_reply_at: row.try_get("first_reply_at")?,
        messages: row.try_get("messages")?,
    })
}

fn draft_from(row: &AnyRow) -> Result<DraftRecord> {
    Ok(DraftRecord {
        case_id: row.try_get("case_id")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        author: row.try_get("author")?,
        kind: row.try_get("kind")?,
        draft: row.try_get("draft")?,
        sent_at: row.try_get("sent_at")?,
    })
}

fn info_from(row: &AnyRow) -> Result<MessageInfo> {
    let processed_at: Option<i64> = row.try_get("processed_at")?;
    let derived = match processed_at {
        None => None,
        Some(processed_at) => Some(Derived {
            processed_at,
            arrived_at: row.try_get::<Option<i64>, _>("arrived_at")?.unwrap_or(processed_at),
            case_id: row.try_get("case_id")?,
            reporter: row.try_get("reporter")?,
            needs_human: row.try_get::<i64, _>("needs_human")? != 0,
            scenario: row.try_get("scenario")?,
            complaint: row.try_get::<Option<String>, _>("complaint")?.unwrap_or_default(),
            classification: row.try_get::<Option<String>, _>("classification")?.unwrap_or_default(),
            verdicts: row.try_get::<Option<String>, _>("verdicts")?.unwrap_or_default(),
            problems: row.try_get::<Option<String>, _>("problems")?.unwrap_or_default(),
        }),
    };
    Ok(MessageInfo {
        sha256: row.try_get("sha256")?,
        source: row.try_get("source")?,
        received_at: row.try_get("received_at")?,
        size: row.try_get("size")?,
        truncated: row.try_get::<i64, _>("truncated")? != 0,
        derived,
    })
}

const REPORTER_COLUMNS: &str = "address, name, tor_aware, language, intro_sent_at, first_seen, messages";

fn reporter_from(r: &AnyRow) -> Result<ReporterRecord> {
    Ok(ReporterRecord {
        address: r.try_get("address")?,
        name: r.try_get("name")?,
        tor_aware: r.try_get::<i64, _>("tor_aware")? != 0,
        language: r.try_get("language")?,
        intro_sent_at: r.try_get("intro_sent_at")?,
        first_seen: r.try_get("first_seen")?,
        messages: r.try_get("messages")?,
    })
}

const INFO_COLUMNS: &str = "sha256, source, received_at, size, truncated, processed_at, arrived_at, case_id, reporter, \
     needs_human, scenario, complaint, classification, verdicts, problems";

impl Tx {
    /// The database behind the transaction.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Makes every change of the transaction durable.
    pub async fn commit(mut self) -> Result<()> {
        self.write_reporter_counts().await?;
        self.write_transitions().await?;
        self.write_derived().await?;
        self.write_lists().await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Writes the reporter counts kept for later.
    async fn write_reporter_counts(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.later.reporters);
        self.later.reporter_at.clear();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO reporters (address, name, first_seen, messages) VALUES {} \
                 ON CONFLICT (address) DO UPDATE SET messages = reporters.messages + excluded.messages, \
                 name = COALESCE(excluded.name, reporters.name), first_seen = CASE WHEN excluded.first_seen < \
                 reporters.first_seen THEN excluded.first_seen ELSE reporters.first_seen END",
                placeholders(self.dialect, chunk.len(), 4)
            );
            let mut q = sqlx::query(built(sql));
            for (address, name, seen, n) in chunk {
                q = q.bind(address).bind(name).bind(*seen).bind(*n);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Writes the transitions kept for later, in order.
    async fn write_transitions(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.later.transitions);
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO transitions (case_id, at, from_state, to_state, actor, reason) VALUES {}",
                placeholders(self.dialect, chunk.len(), 6)
            );
            let mut q = sqlx::query(built(sql));
            for (case_id, t) in chunk {
                q = q
                    .bind(*case_id)
                    .bind(t.at)
                    .bind(t.from.map(|s| s.as_str()))
                    .bind(t.to.as_str())
                    .bind(&t.actor)
                    .bind(&t.reason);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Writes what was derived of claimed messages, kept for later: one
    /// statement per few dozen messages.
    async fn write_derived(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.later.derived);
        self.later.derived_at.clear();
        for chunk in rows.chunks(ROWS_PER_STATEMENT / 10) {
            // A VALUES list's columns are column1, column2, … in both databases.
            let sql = format!(
                "UPDATE messages SET processed_at = v.column1, case_id = v.column2, reporter = v.column3, \
                 needs_human = v.column4, scenario = v.column5, complaint = v.column6, classification = v.column7, \
                 verdicts = v.column8, problems = v.column9, arrived_at = v.column10 FROM (VALUES {}) AS v \
                 WHERE messages.sha256 = v.column11",
                placeholders(self.dialect, chunk.len(), 11)
            );
            let mut q = sqlx::query(built(sql));
            for (sha256, d) in chunk {
                q = q
                    .bind(d.processed_at)
                    .bind(d.case_id)
                    .bind(&d.reporter)
                    .bind(b(d.needs_human))
                    .bind(&d.scenario)
                    .bind(&d.complaint)
                    .bind(&d.classification)
                    .bind(&d.verdicts)
                    .bind(&d.problems)
                    .bind(d.arrived_at)
                    .bind(sha256);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Writes the exit and port rows of the cases kept for later: the
    /// replaced ones' rows are deleted, then every row inserted, one
    /// statement per few hundred rows and table. The first row of each
    /// case's list is marked `is_first` (each case counted once in totals).
    async fn write_lists(&mut self) -> Result<()> {
        let cases = std::mem::take(&mut self.later.lists);
        self.later.lists_at.clear();
        let replaced: Vec<i64> = cases.iter().filter(|(_, _, replace)| *replace).map(|(id, _, _)| *id).collect();
        for table in ["case_exits", "case_ports"] {
            self.rows_in(&format!("DELETE FROM {table} WHERE case_id IN ({{in}})"), &replaced).await?;
        }
        // One row per exit address ('' for none) and per port (-1 for none).
        enum Key<'a> {
            Ip(&'a str),
            Port(i64),
        }
        let mut exits: Vec<(i64, Key, &ListRows, bool)> = Vec::new();
        let mut ports: Vec<(i64, Key, &ListRows, bool)> = Vec::new();
        for (id, rows, _) in &cases {
            if rows.exit_ips.is_empty() {
                exits.push((*id, Key::Ip(""), rows, true));
            }
            for (i, ip) in rows.exit_ips.iter().enumerate() {
                exits.push((*id, Key::Ip(ip), rows, i == 0));
            }
            if rows.ports.is_empty() {
                ports.push((*id, Key::Port(-1), rows, true));
            }
            for (i, p) in rows.ports.iter().enumerate() {
                ports.push((*id, Key::Port((*p).into()), rows, i == 0));
            }
        }
        const COLUMNS: &str = "opened_at, messages, reply_bucket, is_open, deadline_met, deadline_missed, is_first";
        for (table, key, all) in [("case_exits", "ip", exits), ("case_ports", "port", ports)] {
            for chunk in all.chunks(ROWS_PER_STATEMENT) {
                let sql = format!(
                    "INSERT INTO {table} (case_id, {key}, {COLUMNS}) VALUES {}",
                    placeholders(self.dialect, chunk.len(), 9)
                );
                let mut q = sqlx::query(built(sql));
                for (id, k, r, first) in chunk {
                    q = match k {
                        Key::Ip(ip) => q.bind(*id).bind(*ip),
                        Key::Port(p) => q.bind(*id).bind(*p),
                    };
                    q = q
                        .bind(r.opened_at)
                        .bind(r.messages)
                        .bind(r.reply_bucket)
                        .bind(r.is_open)
                        .bind(r.deadline_met)
                        .bind(r.deadline_missed)
                        .bind(b(*first));
                }
                q.execute(&mut *self.tx).await?;
            }
        }
        Ok(())
    }

    /// Keeps a case's exit and port rows to be written (see [`Tx::write_lists`]);
    /// `replace`: rows written before are to go.
    fn keep_lists(&mut self, id: i64, rows: ListRows, replace: bool) {
        let later = &mut self.later;
        match later.lists_at.get(&id) {
            Some(&i) => {
                later.lists[i].1 = rows;
                later.lists[i].2 |= replace;
            }
            None => {
                later.lists_at.insert(id, later.lists.len());
                later.lists.push((id, rows, replace));
            }
        }
    }

    /// The rows of `sql` for every key: its `{in}` is filled with an `IN`
    /// list of placeholders, and it runs once per few hundred keys.
    async fn rows_in<'k, K>(&mut self, sql: &str, keys: &'k [K]) -> Result<Vec<AnyRow>>
    where
        K: 'k + Copy + Send + sqlx::Encode<'k, Any> + sqlx::Type<Any>,
    {
        let mut out = Vec::new();
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let mut q = sqlx::query(built(sql.replace("{in}", &in_list(self.dialect, chunk.len()))));
            for k in chunk {
                q = q.bind(*k);
            }
            out.extend(q.fetch_all(&mut *self.tx).await?);
        }
        Ok(out)
    }

    // ---- messages -------------------------------------------------------

    /// Stores a raw message unless one with the same SHA-256 is there; true when it was new.
    pub async fn put_message(&mut self, m: &StoredMessage) -> Result<bool> {
        Ok(self.put_messages(&[m]).await?.first().is_some_and(Option::is_none))
    }

    /// Stores raw messages (each unless one with the same SHA-256 is
    /// there) in a few statements; for each message, in order, what was
    /// there before: `None` when it is new (or came earlier in `msgs`),
    /// else `Some((processed, case))`.
    pub async fn put_messages(&mut self, msgs: &[&StoredMessage]) -> Result<Vec<Option<(bool, Option<i64>)>>> {
        self.write_derived().await?;
        let mut fresh = std::collections::HashSet::new();
        let mut unique: Vec<&StoredMessage> = Vec::with_capacity(msgs.len());
        let mut seen = std::collections::HashSet::new();
        for m in msgs {
            if seen.insert(m.sha256.as_str()) {
                unique.push(m);
            }
        }
        for chunk in unique.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO messages (sha256, size, source, received_at, truncated) VALUES {} \
                 ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
                placeholders(self.dialect, chunk.len(), 5)
            );
            let mut q = sqlx::query(built(sql));
            for m in chunk {
                q = q.bind(&m.sha256).bind(m.raw.len() as i64).bind(&m.source).bind(m.received_at).bind(b(m.truncated));
            }
            for row in q.fetch_all(&mut *self.tx).await? {
                fresh.insert(row.try_get::<String, _>("sha256")?);
            }
        }
        let new: Vec<&&StoredMessage> = unique.iter().filter(|m| fresh.contains(&m.sha256)).collect();
        // Bytes in statements of at most 16 MiB (and the row limit).
        let mut start = 0;
        while start < new.len() {
            let (mut end, mut bytes) = (start, 0usize);
            while end < new.len() && end - start < ROWS_PER_STATEMENT && (end == start || bytes < 16 << 20) {
                bytes += new[end].raw.len();
                end += 1;
            }
            let sql = format!(
                "INSERT INTO message_bytes (sha256, raw) VALUES {}",
                placeholders(self.dialect, end - start, 2)
            );
            let mut q = sqlx::query(built(sql));
            for m in &new[start..end] {
                q = q.bind(&m.sha256).bind(&m.raw);
            }
            q.execute(&mut *self.tx).await?;
            start = end;
        }
        let old: Vec<&str> = unique.iter().map(|m| m.sha256.as_str()).filter(|sha| !fresh.contains(*sha)).collect();
        let mut before = std::collections::HashMap::new();
        for row in
            self.rows_in("SELECT sha256, processed_at, case_id FROM messages WHERE sha256 IN ({in})", &old).await?
        {
            let processed = row.try_get::<Option<i64>, _>("processed_at")?.is_some();
            before.insert(row.try_get::<String, _>("sha256")?, (processed, row.try_get::<Option<i64>, _>("case_id")?));
        }
        let mut first = std::collections::HashSet::new();
        Ok(msgs
            .iter()
            .map(|m| {
                if fresh.contains(&m.sha256) && first.insert(m.sha256.as_str()) {
                    None
                } else if fresh.contains(&m.sha256) {
                    // The same bytes twice in `msgs`: stored by the first.
                    Some((false, None))
                } else {
                    Some(before.get(&m.sha256).copied().unwrap_or((false, None)))
                }
            })
            .collect())
    }

    /// Takes stored, unprocessed messages for processing in this
    /// transaction, as [`Tx::claim`] does one by one, in one statement per
    /// few hundred; the ones taken come back.
    pub async fn claim_all(&mut self, sha256s: &[&str]) -> Result<std::collections::HashSet<String>> {
        self.write_derived().await?;
        let mut out = std::collections::HashSet::new();
        let sql =
            "UPDATE messages SET processed_at = NULL WHERE processed_at IS NULL AND sha256 IN ({in}) RETURNING sha256";
        for row in self.rows_in(sql, sha256s).await? {
            out.insert(row.try_get::<String, _>("sha256")?);
        }
        self.later.claimed.extend(out.iter().cloned());
        Ok(out)
    }

    /// A message's row without its bytes.
    pub async fn message_info(&mut self, sha256: &str) -> Result<Option<MessageInfo>> {
        self.write_derived().await?;
        let row = sqlx::query(built(format!("SELECT {INFO_COLUMNS} FROM messages WHERE sha256 = $1")))
            .bind(sha256)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(info_from).transpose()
    }

    /// A message's bytes and origin.
    pub async fn message(&mut self, sha256: &str) -> Result<Option<StoredMessage>> {
        self.write_derived().await?;
        let row = sqlx::query(
            "SELECT m.sha256 AS sha256, m.source AS source, m.received_at AS received_at, m.truncated AS truncated, \
             b.raw AS raw FROM messages m JOIN message_bytes b ON b.sha256 = m.sha256 WHERE m.sha256 = $1",
        )
        .bind(sha256)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| {
            Ok(StoredMessage {
                sha256: r.try_get("sha256")?,
                source: r.try_get("source")?,
                received_at: r.try_get("received_at")?,
                truncated: r.try_get::<i64, _>("truncated")? != 0,
                raw: r.try_get("raw")?,
            })
        })
        .transpose()
    }

    /// Messages stored but not (completely) processed, oldest first.
    pub async fn pending(&mut self, limit: i64) -> Result<Vec<String>> {
        self.write_derived().await?;
        let rows =
            sqlx::query("SELECT sha256 FROM messages WHERE processed_at IS NULL ORDER BY received_at, sha256 LIMIT $1")
                .bind(limit)
                .fetch_all(&mut *self.tx)
                .await?;
        rows.iter().map(|r| Ok(r.try_get("sha256")?)).collect()
    }

    /// Counts a processing attempt of each of these messages that is still
    /// pending, before it is read: committed first, so that a run that dies
    /// while processing it leaves the count behind (see [`Tx::pending_tries`]).
    pub async fn start_attempts(&mut self, sha256s: &[&str]) -> Result<()> {
        self.write_derived().await?;
        self.rows_in(
            "UPDATE messages SET attempts = attempts + 1 WHERE processed_at IS NULL AND sha256 IN ({in})",
            sha256s,
        )
        .await?;
        Ok(())
    }

    /// Pending messages with the processing attempts that began and never
    /// completed: fewest attempts first, then smallest (the likeliest to
    /// have killed a run come last), then oldest.
    pub async fn pending_tries(&mut self, limit: i64) -> Result<Vec<(String, i64)>> {
        self.write_derived().await?;
        let rows = sqlx::query(
            "SELECT sha256, attempts FROM messages WHERE processed_at IS NULL \
             ORDER BY attempts, size, received_at, sha256 LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("sha256")?, r.try_get("attempts")?))).collect()
    }

    /// Every stored message's SHA-256 for `reprocess`: those whose first
    /// processing needed the fewest attempts first, then oldest. A message
    /// that once stopped a run (more attempts than one; set aside unread)
    /// is read last, so that it can stop a reprocess only after every
    /// other message was read again.
    /// Each comes with the number of processing attempts it took.
    pub async fn all_messages(&mut self) -> Result<Vec<(String, i64)>> {
        self.write_derived().await?;
        let rows = sqlx::query("SELECT sha256, attempts FROM messages ORDER BY attempts, received_at, sha256")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("sha256")?, r.try_get("attempts")?))).collect()
    }

    /// Records what processing derived from a message. For a message this
    /// transaction claimed, the row is written later (at the commit, or
    /// before the messages table is read), with others in one statement.
    pub async fn set_derived(&mut self, sha256: &str, d: Derived) -> Result<()> {
        let later = &mut self.later;
        let claimed = later.claimed.contains(sha256);
        match later.derived_at.get(sha256) {
            Some(&i) => later.derived[i].1 = d,
            None => {
                later.derived_at.insert(sha256.to_string(), later.derived.len());
                later.derived.push((sha256.to_string(), d));
            }
        }
        if !claimed {
            // Processed before (`reprocess`): its row holds counted values, written now.
            return self.write_derived().await;
        }
        Ok(())
    }

    /// The messages of a case, in arrival order.
    pub async fn case_messages(&mut self, case_id: i64) -> Result<Vec<MessageInfo>> {
        self.case_messages_first(case_id, i64::MAX).await
    }

    /// The first `limit` messages of a case, in arrival order.
    pub async fn case_messages_first(&mut self, case_id: i64, limit: i64) -> Result<Vec<MessageInfo>> {
        self.write_derived().await?;
        let rows = sqlx::query(built(format!(
            "SELECT {INFO_COLUMNS} FROM messages WHERE case_id = $1 ORDER BY received_at, sha256 LIMIT $2"
        )))
        .bind(case_id)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(info_from).collect()
    }

    /// What was derived of the first `limit` messages of each of these
    /// cases (in arrival order, as [`Tx::case_messages_first`]), for the
    /// processed ones: `(case, complaint, classification)` JSON, by case.
    pub async fn cases_facts_first(&mut self, ids: &[i64], limit: i64) -> Result<Vec<(i64, String, String)>> {
        self.write_derived().await?;
        let mut out = Vec::new();
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "SELECT case_id, complaint, classification FROM (SELECT case_id, complaint, classification, \
                 ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY received_at, sha256) AS k FROM messages \
                 WHERE case_id IN ({})) t WHERE k <= {} AND complaint IS NOT NULL ORDER BY case_id, k",
                in_list(self.dialect, chunk.len()),
                mark(self.dialect, chunk.len() + 1)
            );
            let mut q = sqlx::query(built(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.bind(limit).fetch_all(&mut *self.tx).await? {
                out.push((
                    row.try_get("case_id")?,
                    row.try_get("complaint")?,
                    row.try_get::<Option<String>, _>("classification")?.unwrap_or_default(),
                ));
            }
        }
        Ok(out)
    }

    /// How many processed messages from a reporter arrived in `[from, to]`
    /// (those processed in this transaction and not yet written included).
    pub async fn messages_from_between(&mut self, reporter: &str, from: i64, to: i64) -> Result<i64> {
        let kept = self
            .later
            .derived
            .iter()
            .filter(|(_, d)| d.reporter.as_deref() == Some(reporter) && (from..=to).contains(&d.arrived_at))
            .count();
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM messages WHERE reporter = $1 AND arrived_at >= $2 AND arrived_at <= $3",
        )
        .bind(reporter)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get::<i64, _>("n")? + kept as i64)
    }

    /// Counts: stored messages, processed ones.
    pub async fn message_counts(&mut self) -> Result<(i64, i64)> {
        self.write_derived().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n, COUNT(processed_at) AS p FROM messages")
            .fetch_one(&mut *self.tx)
            .await?;
        Ok((row.try_get("n")?, row.try_get("p")?))
    }

    // ---- cases ----------------------------------------------------------

    /// Opens a case; returns its id (the record's `id` is ignored).
    pub async fn insert_case(&mut self, c: &CaseRecord) -> Result<i64> {
        self.insert_case_marked(c, false).await
    }

    /// Opens a case, its draft marked out of date when `stale` (see
    /// [`Tx::mark_stale`]); returns its id.
    pub async fn insert_case_marked(&mut self, c: &CaseRecord, stale: bool) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO cases (state, scenario, subkind, reporter, reporter_name, forwarder, thread, exit_ips, ports, \
             flood_period, country, language, subject, opened_at, updated_at, deadline, follow_up, first_reply_at, messages, \
             last_arrival, opened_day, reply_bucket, is_open, deadline_met, deadline_missed, draft_stale, opened_month, \
             kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
             $21, $22, $23, $24, $25, $26, $27, $28) RETURNING id",
        )
        .bind(c.state.as_str())
        .bind(&c.scenario)
        .bind(&c.subkind)
        .bind(&c.reporter)
        .bind(&c.reporter_name)
        .bind(&c.forwarder)
        .bind(&c.thread)
        .bind(list(&c.exit_ips))
        .bind(ports_text(&c.ports))
        .bind(&c.flood_period)
        .bind(&c.country)
        .bind(&c.language)
        .bind(&c.subject)
        .bind(c.opened_at)
        .bind(c.updated_at)
        .bind(c.deadline)
        .bind(c.follow_up)
        .bind(c.first_reply_at)
        .bind(c.messages)
        .bind(c.last_arrival)
        .bind(opened_day(c))
        .bind(reply_bucket(c))
        .bind(b(c.state.is_open()))
        .bind(b(deadline_met(c)))
        .bind(b(deadline_missed(c)))
        .bind(b(stale))
        .bind(opened_month(c.opened_at))
        .bind(c.kind.as_str())
        .fetch_one(&mut *self.tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        self.keep_lists(id, ListRows::of(c), false);
        Ok(id)
    }

    /// Writes a case's changed fields back.
    pub async fn update_case(&mut self, c: &CaseRecord) -> Result<()> {
        self.update_case_rows(&[c], None).await?;
        self.keep_lists(c.id, ListRows::of(c), true);
        Ok(())
    }

    /// Writes a case back that was `before` when this transaction read it,
    /// touching only what changed: its exit and port rows are written again
    /// (at the commit) when its lists or their statistics columns changed,
    /// and left alone otherwise. `stale`, when given, marks the case's draft
    /// out of date or up to date (see [`Tx::mark_stale`]).
    pub async fn update_case_from(&mut self, before: &CaseRecord, c: &CaseRecord, stale: Option<bool>) -> Result<()> {
        self.update_cases_from(&[(before, c)], stale).await
    }

    /// [`Tx::update_case_from`] for many cases (`(before, now)`), their rows
    /// written a few dozen per statement.
    pub async fn update_cases_from(&mut self, cases: &[(&CaseRecord, &CaseRecord)], stale: Option<bool>) -> Result<()> {
        for (before, c) in cases {
            let rows = ListRows::of(c);
            if ListRows::of(before) != rows {
                self.keep_lists(c.id, rows, true);
            }
        }
        self.update_case_rows(&cases.iter().map(|(_, c)| *c).collect::<Vec<_>>(), stale).await
    }

    /// Writes cases' rows (not their exit and port rows). A NULL `stale`
    /// keeps each draft flag as it is.
    async fn update_case_rows(&mut self, cases: &[&CaseRecord], stale: Option<bool>) -> Result<()> {
        for chunk in cases.chunks(ROWS_PER_STATEMENT / 21) {
            // A VALUES list's columns are column1, column2, … in both databases.
            let sql = format!(
                "UPDATE cases SET state = v.column1, scenario = v.column2, subkind = v.column3, \
                 reporter_name = v.column4, exit_ips = v.column5, ports = v.column6, updated_at = v.column7, \
                 deadline = v.column8, follow_up = v.column9, first_reply_at = v.column10, messages = v.column11, \
                 language = v.column12, thread = v.column13, last_arrival = v.column15, reply_bucket = v.column16, \
                 is_open = v.column17, deadline_met = v.column18, deadline_missed = v.column19, \
                 draft_stale = COALESCE(v.column20, cases.draft_stale), kind = v.column21 \
                 FROM (VALUES {}) AS v WHERE cases.id = v.column14",
                placeholders(self.dialect, chunk.len(), 21)
            );
            let mut q = sqlx::query(built(sql));
            for c in chunk {
                q = q
                    .bind(c.state.as_str())
                    .bind(&c.scenario)
                    .bind(&c.subkind)
                    .bind(&c.reporter_name)
                    .bind(list(&c.exit_ips))
                    .bind(ports_text(&c.ports))
                    .bind(c.updated_at)
                    .bind(c.deadline)
                    .bind(c.follow_up)
                    .bind(c.first_reply_at)
                    .bind(c.messages)
                    .bind(&c.language)
                    .bind(&c.thread)
                    .bind(c.id)
                    .bind(c.last_arrival)
                    .bind(reply_bucket(c))
                    .bind(b(c.state.is_open()))
                    .bind(b(deadline_met(c)))
                    .bind(b(deadline_missed(c)))
                    .bind(stale.map(b))
                    .bind(c.kind.as_str());
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// One case.
    pub async fn case(&mut self, id: i64) -> Result<Option<CaseRecord>> {
        let row = sqlx::query(built(format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(case_from).transpose()
    }

    /// One case, to be changed and written back in this transaction: on
    /// PostgreSQL its row stays locked until the end of it, so that two
    /// writers (two ingests, an ingest and an operator) take turns instead
    /// of one overwriting the other's change. (SQLite transactions here hold
    /// the write lock from their start.)
    pub async fn case_for_update(&mut self, id: i64) -> Result<Option<CaseRecord>> {
        Ok(self.cases_for_update(&[id]).await?.pop())
    }

    /// Cases to be changed and written back in this transaction, as
    /// [`Tx::case_for_update`] reads one, in id order (the order their rows
    /// are locked in, the same for every writer); ids not found are left out.
    pub async fn cases_for_update(&mut self, ids: &[i64]) -> Result<Vec<CaseRecord>> {
        let lock = if self.dialect == Dialect::Postgres { " FOR UPDATE" } else { "" };
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id IN ({{in}}) ORDER BY id{lock}");
        let mut out = self.rows_in(&sql, ids).await?.iter().map(case_from).collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|c| c.id);
        Ok(out)
    }

    /// A reporter's open cases (what joining looks at): those of the same
    /// ticket, the flood digests, and those of the same scenario (any, for
    /// `"*"`) changed at or after `since`; the newest 50.
    pub async fn open_cases_of(
        &mut self,
        reporter: &str,
        thread: Option<&str>,
        scenario: &str,
        since: i64,
    ) -> Result<Vec<CaseRecord>> {
        if self.dialect == Dialect::Postgres {
            // Deciding for a reporter takes turns until the commit: two
            // servers (or runs) reading "no open case" for the same
            // reporter at once would each open one. A hash collision only
            // makes two reporters wait for each other. SQLite has one
            // writer at a time already.
            sqlx::query("SELECT pg_advisory_xact_lock(7402, hashtext($1))")
                .bind(reporter)
                .execute(&mut *self.tx)
                .await?;
        }
        let rows = sqlx::query(built(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE reporter = $1 AND state <> 'closed' AND state <> 'needs-human' \
             AND (thread = $2 OR flood_period IS NOT NULL OR ((scenario = $3 OR $3 = '*') AND last_arrival >= $4)) \
             ORDER BY updated_at DESC LIMIT 50"
        )))
        .bind(reporter)
        .bind(thread)
        .bind(scenario)
        .bind(since)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(case_from).collect()
    }

    /// Takes a stored, unprocessed message for processing in this
    /// transaction: true when it is one. The statement writes (a no-op), so
    /// it takes the row's lock on PostgreSQL and the write lock on SQLite
    /// first: a second process or server trying the same message waits, then
    /// finds it processed, and nothing is processed twice.
    pub async fn claim(&mut self, sha256: &str) -> Result<bool> {
        self.write_derived().await?;
        let r = sqlx::query("UPDATE messages SET processed_at = NULL WHERE sha256 = $1 AND processed_at IS NULL")
            .bind(sha256)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 1 {
            self.later.claimed.insert(sha256.to_string());
        }
        Ok(r.rows_affected() == 1)
    }

    /// Whether a stored message's processing committed (`None`: not stored).
    pub async fn is_processed(&mut self, sha256: &str) -> Result<Option<bool>> {
        self.write_derived().await?;
        let row = sqlx::query("SELECT processed_at FROM messages WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| Ok(r.try_get::<Option<i64>, _>("processed_at")?.is_some())).transpose()
    }

    /// The case a processed message went to.
    pub async fn case_of_message(&mut self, sha256: &str) -> Result<Option<i64>> {
        self.write_derived().await?;
        let row = sqlx::query("SELECT case_id FROM messages WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get::<Option<i64>, _>("case_id")).transpose()?.flatten())
    }

    /// Cases matching a filter, by deadline (none last), then age.
    pub async fn cases(&mut self, f: &CaseFilter) -> Result<Vec<CaseRecord>> {
        let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let mut push = |sql: &mut String, cond: &str, v: String| {
            binds.push(v);
            sql.push_str(&cond.replace("$?", &format!("${}", binds.len())));
        };
        if !f.states.is_empty() {
            sql.push_str(" AND state IN (");
            for (i, s) in f.states.iter().enumerate() {
                push(&mut sql, if i == 0 { "$?" } else { ", $?" }, s.as_str().to_string());
            }
            sql.push(')');
        } else if !f.include_closed {
            sql.push_str(" AND state <> 'closed'");
        }
        if let Some(s) = &f.scenario {
            push(&mut sql, " AND scenario = $?", s.clone());
        }
        if let Some(r) = &f.reporter {
            push(&mut sql, " AND reporter LIKE $?", format!("%{}%", like_escape(&r.to_ascii_lowercase())));
        }
        if let Some(e) = &f.exit {
            push(&mut sql, " AND exit_ips LIKE $?", format!("% {} %", like_escape(e)));
        }
        let mut ints: Vec<i64> = Vec::new();
        for (cond, v) in [(" AND opened_at >= ", f.since), (" AND opened_at < ", f.until)] {
            if let Some(v) = v {
                ints.push(v);
                sql.push_str(&format!("{cond}${}", binds.len() + ints.len()));
            }
        }
        // Two walks in index order (deadline, then the cases without one, by
        // age), so that a page of the most urgent cases reads only that page.
        let mut out = Vec::new();
        for (cond, order) in [
            (" AND deadline IS NOT NULL", " ORDER BY deadline, opened_at, id"),
            (" AND deadline IS NULL", " ORDER BY opened_at, id"),
        ] {
            let left = f.limit.map(|n| n.max(0) - out.len() as i64);
            if left.is_some_and(|n| n <= 0) {
                break;
            }
            let mut text = format!("{sql}{cond}{order}");
            if left.is_some() {
                text.push_str(&format!(" LIMIT ${}", binds.len() + ints.len() + 1));
            }
            let mut q = sqlx::query(built(text));
            for v in &binds {
                q = q.bind(v.as_str());
            }
            for v in &ints {
                q = q.bind(*v);
            }
            if let Some(n) = left {
                q = q.bind(n);
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                out.push(case_from(&r)?);
            }
        }
        Ok(out)
    }

    /// Marks a case's draft out of date (a message joined it); the app
    /// drafts it again once per run instead of once per message.
    pub async fn mark_stale(&mut self, case_id: i64) -> Result<()> {
        sqlx::query("UPDATE cases SET draft_stale = 1 WHERE id = $1").bind(case_id).execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Cases whose draft is out of date.
    pub async fn stale_cases(&mut self) -> Result<Vec<i64>> {
        let rows =
            sqlx::query("SELECT id FROM cases WHERE draft_stale = 1 ORDER BY id").fetch_all(&mut *self.tx).await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Marks a case's draft up to date.
    pub async fn clear_stale(&mut self, case_id: i64) -> Result<()> {
        self.clear_stale_all(&[case_id]).await
    }

    /// Marks the drafts of these cases up to date.
    pub async fn clear_stale_all(&mut self, ids: &[i64]) -> Result<()> {
        self.rows_in("UPDATE cases SET draft_stale = 0 WHERE id IN ({in})", ids).await?;
        Ok(())
    }

    /// Statistics computed in the database: the counts per group of cases
    /// opened at or after `since`, the counts of cases naming no exit/port
    /// (for those groupings), and the total (each case once). One scan per
    /// call: exits and ports take the total from their rows marked
    /// `is_first` (one per case).
    pub async fn stats(
        &mut self,
        by: StatsGrouping,
        since: i64,
    ) -> Result<(Vec<(StatsKey, StatsCounts)>, Option<StatsCounts>, StatsCounts)> {
        self.write_derived().await?;
        self.write_lists().await?;
        let (key, from, int_key, lists) = match by {
            StatsGrouping::Month => ("c.opened_month", "cases c", true, false),
            StatsGrouping::Scenario => ("c.scenario", "cases c", false, false),
            StatsGrouping::Kind => ("c.kind", "cases c", false, false),
            StatsGrouping::Reporter => ("c.reporter", "cases c", false, false),
            StatsGrouping::Exit => ("c.ip", "case_exits c", false, true),
            StatsGrouping::Port => ("c.port", "case_ports c", true, true),
        };
        let (first, group_first) = if lists { (", c.is_first AS f", ", f") } else { ("", "") };
        // Without a cutoff, no condition at all: a bound `opened_at >= $1`
        // is planned for a third of the rows (PostgreSQL's generic plan
        // walked the opening index and then the table).
        let all = since == i64::MIN;
        let cond = if all { "" } else { " WHERE c.opened_at >= $1" };
        // Counts per key and reply-time bucket (grouped in the covering
        // index's order, so that it serves them sorted), then one row per key
        // (per key and first-row mark for exits and ports) carrying its
        // buckets as text, `minutes:cases,…`: each row returned costs about
        // 25 µs through sqlx's `Any` driver, and keys times buckets can be
        // many times the keys.
        let sql = format!(
            "SELECT k{group_first}, CAST(SUM(g.cases) AS BIGINT) AS cases, \
             CAST(SUM(g.messages) AS BIGINT) AS messages, CAST(SUM(g.open) AS BIGINT) AS open, \
             CAST(SUM(g.replied) AS BIGINT) AS replied, CAST(SUM(g.met) AS BIGINT) AS met, \
             CAST(SUM(g.missed) AS BIGINT) AS missed, \
             string_agg(CAST(g.b AS TEXT) || ':' || CAST(g.replied AS TEXT), ',') AS h \
             FROM (SELECT {key} AS k, {STATS_BUCKET} AS b{first}, {STATS_AGG} FROM {from}{cond} \
             GROUP BY {key}, {STATS_BUCKET}{group_first_inner}) g GROUP BY k{group_first}",
            group_first_inner = if lists { ", c.is_first" } else { "" },
        );
        // PostgreSQL over every case: walking the covering index in order and
        // summing each group as it ends (GroupAggregate over an index-only
        // scan) takes about half the time of hashing every row into its
        // group, in parallel workers or not, which the planner prefers by its
        // estimates (100,000 cases: 23 ms against 38-44 ms). With a cutoff,
        // its own plan (the opening index, then hashing) is the faster one.
        let planned = self.dialect == Dialect::Postgres && all;
        if planned {
            self.tx.execute("SET LOCAL enable_hashagg = off").await?;
            self.tx.execute("SET LOCAL max_parallel_workers_per_gather = 0").await?;
        }
        let mut q = sqlx::query(built(sql));
        if !all {
            q = q.bind(since);
        }
        let rows = q.fetch_all(&mut *self.tx).await?;
        if planned {
            self.tx.execute("SET LOCAL enable_hashagg TO DEFAULT").await?;
            self.tx.execute("SET LOCAL max_parallel_workers_per_gather TO DEFAULT").await?;
        }
        let mut groups: std::collections::BTreeMap<StatsKey, StatsCounts> = std::collections::BTreeMap::new();
        let mut total = StatsCounts::default();
        for r in &rows {
            let k = if int_key { StatsKey::Int(r.try_get("k")?) } else { StatsKey::Text(r.try_get("k")?) };
            let counts = counts_row(r)?;
            if !lists || r.try_get::<i64, _>("f")? == 1 {
                total.add(&counts);
            }
            groups.entry(k).or_default().add(&counts);
        }
        // Exits and ports: the row of the cases naming none apart.
        let none = if lists {
            groups.remove(&if int_key { StatsKey::Int(-1) } else { StatsKey::Text(String::new()) })
        } else {
            None
        };
        Ok((groups.into_iter().collect(), none.filter(|n| n.cases > 0), total))
    }

    /// Cases per state.
    pub async fn case_counts(&mut self) -> Result<Vec<(CaseState, i64)>> {
        let rows =
            sqlx::query("SELECT state, COUNT(*) AS n FROM cases GROUP BY state").fetch_all(&mut *self.tx).await?;
        let mut out = Vec::new();
        for r in &rows {
            let s: String = r.try_get("state")?;
            if let Some(state) = CaseState::from_name(&s) {
                out.push((state, r.try_get("n")?));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Moves waiting cases whose follow-up date has come to follow-up-due;
    /// returns their ids (the caller records the transitions).
    pub async fn due_follow_ups(&mut self, now: i64) -> Result<Vec<i64>> {
        let rows =
            sqlx::query("SELECT id FROM cases WHERE state = 'waiting' AND follow_up IS NOT NULL AND follow_up <= $1")
                .bind(now)
                .fetch_all(&mut *self.tx)
                .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    // ---- history, drafts, notes ----------------------------------------

    /// Records a state change (written at the commit, or before the
    /// history is read).
    pub async fn add_transition(&mut self, case_id: i64, t: &Transition) -> Result<()> {
        self.later.transitions.push((case_id, t.clone()));
        Ok(())
    }

    /// A case's history, oldest first.
    pub async fn transitions(&mut self, case_id: i64) -> Result<Vec<Transition>> {
        self.write_transitions().await?;
        let rows = sqlx::query(
            "SELECT at, from_state, to_state, actor, reason FROM transitions WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                let from: Option<String> = r.try_get("from_state")?;
                let to: String = r.try_get("to_state")?;
                Ok(Transition {
                    from: from.as_deref().and_then(CaseState::from_name),
                    to: CaseState::from_name(&to)
                        .ok_or_else(|| StoreError::Damaged(format!("unknown state {to:?}")))?,
                    actor: r.try_get("actor")?,
                    at: r.try_get("at")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    /// Adds a draft version (the record's `version` is ignored); returns the version.
    pub async fn add_draft(&mut self, d: &DraftRecord) -> Result<i64> {
        let got = self.add_drafts(&[d]).await?;
        got.get(&d.case_id).copied().ok_or_else(|| StoreError::Damaged("a draft was not added".into()))
    }

    /// Adds a draft version to each of these cases (one draft per case; the
    /// records' `version` is ignored), a few dozen per statement; returns
    /// the version each case's draft got.
    pub async fn add_drafts(&mut self, drafts: &[&DraftRecord]) -> Result<std::collections::HashMap<i64, i64>> {
        let mut out = std::collections::HashMap::new();
        for chunk in drafts.chunks(ROWS_PER_STATEMENT / 10) {
            // A VALUES list's columns are column1, column2, … in both databases.
            let sql = format!(
                "INSERT INTO drafts (case_id, version, created_at, author, kind, draft) \
                 SELECT v.column1, (SELECT COUNT(*) FROM drafts d WHERE d.case_id = v.column1) + 1, v.column2, \
                 v.column3, v.column4, v.column5 FROM (VALUES {}) AS v RETURNING case_id, version",
                placeholders(self.dialect, chunk.len(), 5)
            );
            let mut q = sqlx::query(built(sql));
            for d in chunk {
                q = q.bind(d.case_id).bind(d.created_at).bind(&d.author).bind(&d.kind).bind(&d.draft);
            }
            for row in q.fetch_all(&mut *self.tx).await? {
                out.insert(row.try_get("case_id")?, row.try_get("version")?);
            }
        }
        Ok(out)
    }

    /// Replaces a draft version's content (a generated draft nobody approved
    /// or edited yet, brought up to date when a message joins).
    pub async fn replace_draft(&mut self, d: &DraftRecord) -> Result<()> {
        self.replace_drafts(&[d]).await
    }

    /// [`Tx::replace_draft`] for many drafts, a few dozen per statement.
    pub async fn replace_drafts(&mut self, drafts: &[&DraftRecord]) -> Result<()> {
        for chunk in drafts.chunks(ROWS_PER_STATEMENT / 10) {
            let sql = format!(
                "UPDATE drafts SET created_at = v.column1, author = v.column2, kind = v.column3, draft = v.column4 \
                 FROM (VALUES {}) AS v WHERE drafts.case_id = v.column5 AND drafts.version = v.column6 \
                 AND drafts.sent_at IS NULL",
                placeholders(self.dialect, chunk.len(), 6)
            );
            let mut q = sqlx::query(built(sql));
            for d in chunk {
                q = q.bind(d.created_at).bind(&d.author).bind(&d.kind).bind(&d.draft).bind(d.case_id).bind(d.version);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Every draft version of a case, oldest first.
    pub async fn drafts(&mut self, case_id: i64) -> Result<Vec<DraftRecord>> {
        let rows = sqlx::query(
            "SELECT case_id, version, created_at, author, kind, draft, sent_at FROM drafts WHERE case_id = $1 ORDER BY version",
        )
        .bind(case_id)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(draft_from).collect()
    }

    /// The newest draft version of a case.
    pub async fn latest_draft(&mut self, case_id: i64) -> Result<Option<DraftRecord>> {
        let row = sqlx::query(
            "SELECT case_id, version, created_at, author, kind, draft, sent_at FROM drafts WHERE case_id = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(case_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(draft_from).transpose()
    }

    /// The newest draft version of each of these cases that has one,
    /// without its text.
    pub async fn latest_draft_heads(&mut self, ids: &[i64]) -> Result<std::collections::HashMap<i64, DraftHead>> {
        let sql = "SELECT d.case_id AS case_id, d.version AS version, d.kind AS kind, d.sent_at AS sent_at, \
                   CAST(CASE WHEN c.approved_version = d.version THEN 1 ELSE 0 END AS BIGINT) AS approved \
                   FROM drafts d JOIN cases c ON c.id = d.case_id WHERE d.case_id IN ({in}) \
                   AND d.version = (SELECT MAX(e.version) FROM drafts e WHERE e.case_id = d.case_id)";
        let mut out = std::collections::HashMap::new();
        for row in self.rows_in(sql, ids).await? {
            let head = DraftHead {
                version: row.try_get("version")?,
                kind: row.try_get("kind")?,
                sent_at: row.try_get("sent_at")?,
                approved: row.try_get::<i64, _>("approved")? != 0,
            };
            out.insert(row.try_get("case_id")?, head);
        }
        Ok(out)
    }

    /// One draft version of a case.
    pub async fn draft(&mut self, case_id: i64, version: i64) -> Result<Option<DraftRecord>> {
        let row = sqlx::query(
            "SELECT case_id, version, created_at, author, kind, draft, sent_at FROM drafts WHERE case_id = $1 \
             AND version = $2",
        )
        .bind(case_id)
        .bind(version)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(draft_from).transpose()
    }

    /// Records what a case's approval is given to (read back while the
    /// case is approved, by `send`).
    pub async fn set_approval(&mut self, case_id: i64, a: &Approval) -> Result<()> {
        sqlx::query("UPDATE cases SET approved_version = $1, approved_digest = $2 WHERE id = $3")
            .bind(a.version)
            .bind(a.digest.as_deref())
            .bind(case_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// What the case's last approval was given to, if any.
    pub async fn approval(&mut self, case_id: i64) -> Result<Option<Approval>> {
        let row = sqlx::query("SELECT approved_version, approved_digest FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let version: Option<i64> = row.try_get("approved_version")?;
        Ok(match version {
            Some(version) => Some(Approval { version, digest: row.try_get("approved_digest")? }),
            None => None,
        })
    }

    /// Records that a reply is being sent (before any byte of it is
    /// written); its `completed_at` is ignored.
    pub async fn begin_send(&mut self, s: &SendRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO sends (case_id, version, message_id, path, sha256, bytes, actor, started_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(s.case_id)
        .bind(s.version)
        .bind(&s.message_id)
        .bind(&s.path)
        .bind(&s.sha256)
        .bind(&s.bytes)
        .bind(&s.actor)
        .bind(s.started_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The replies of a case being sent or sent, by version.
    pub async fn sends(&mut self, case_id: i64) -> Result<Vec<SendRecord>> {
        let rows = sqlx::query(
            "SELECT case_id, version, message_id, path, sha256, bytes, actor, started_at, completed_at FROM sends \
             WHERE case_id = $1 ORDER BY version",
        )
        .bind(case_id)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SendRecord {
                    case_id: r.try_get("case_id")?,
                    version: r.try_get("version")?,
                    message_id: r.try_get("message_id")?,
                    path: r.try_get("path")?,
                    sha256: r.try_get("sha256")?,
                    bytes: r.try_get("bytes")?,
                    actor: r.try_get("actor")?,
                    started_at: r.try_get("started_at")?,
                    completed_at: r.try_get("completed_at")?,
                })
            })
            .collect()
    }

    /// Marks a send completed (its file is in place).
    pub async fn complete_send(&mut self, case_id: i64, version: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE sends SET completed_at = $1 WHERE case_id = $2 AND version = $3")
            .bind(at)
            .bind(case_id)
            .bind(version)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Marks a draft version sent.
    pub async fn mark_sent(&mut self, case_id: i64, version: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE drafts SET sent_at = $1 WHERE case_id = $2 AND version = $3")
            .bind(at)
            .bind(case_id)
            .bind(version)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Adds a note to a case.
    pub async fn add_note(&mut self, case_id: i64, n: &NoteRecord) -> Result<()> {
        sqlx::query("INSERT INTO notes (case_id, at, author, text) VALUES ($1, $2, $3, $4)")
            .bind(case_id)
            .bind(n.at)
            .bind(&n.author)
            .bind(&n.text)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// A case's notes, oldest first.
    pub async fn notes(&mut self, case_id: i64) -> Result<Vec<NoteRecord>> {
        let rows = sqlx::query("SELECT at, author, text FROM notes WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| Ok(NoteRecord { at: r.try_get("at")?, author: r.try_get("author")?, text: r.try_get("text")? }))
            .collect()
    }

    // ---- reporters ------------------------------------------------------

    /// What is remembered of a reporter.
    pub async fn reporter(&mut self, address: &str) -> Result<Option<ReporterRecord>> {
        self.reporter_locked(address, false).await
    }

    /// A reporter, to be changed and written back in this transaction (see
    /// [`Tx::case_for_update`]).
    pub async fn reporter_for_update(&mut self, address: &str) -> Result<Option<ReporterRecord>> {
        self.reporter_locked(address, true).await
    }

    /// Counts a message from a reporter (recording them when new). The
    /// counts are written at the commit (or before a reporter is read), one
    /// upsert per few hundred reporters that adds to what is there: two
    /// writers at once both count.
    pub async fn count_reporter_message(&mut self, address: &str, name: Option<&str>, seen: i64) -> Result<()> {
        let later = &mut self.later;
        match later.reporter_at.get(address) {
            Some(&i) => {
                let (_, last_name, first_seen, n) = &mut later.reporters[i];
                if name.is_some() {
                    *last_name = name.map(str::to_string);
                }
                *first_seen = (*first_seen).min(seen);
                *n += 1;
            }
            None => {
                later.reporter_at.insert(address.to_string(), later.reporters.len());
                later.reporters.push((address.to_string(), name.map(str::to_string), seen, 1));
            }
        }
        Ok(())
    }

    async fn reporter_locked(&mut self, address: &str, lock: bool) -> Result<Option<ReporterRecord>> {
        self.write_reporter_counts().await?;
        let lock = if lock && self.dialect == Dialect::Postgres { " FOR UPDATE" } else { "" };
        let row = sqlx::query(built(format!("SELECT {REPORTER_COLUMNS} FROM reporters WHERE address = $1{lock}")))
            .bind(address)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(reporter_from).transpose()
    }

    /// What is remembered of each of these reporters that is known, by address.
    pub async fn reporters(&mut self, addresses: &[&str]) -> Result<std::collections::HashMap<String, ReporterRecord>> {
        self.write_reporter_counts().await?;
        let sql = format!("SELECT {REPORTER_COLUMNS} FROM reporters WHERE address IN ({{in}})");
        let mut out = std::collections::HashMap::new();
        for row in self.rows_in(&sql, addresses).await? {
            let r = reporter_from(&row)?;
            out.insert(r.address.clone(), r);
        }
        Ok(out)
    }

    /// Writes a reporter's record (inserting or replacing it).
    pub async fn put_reporter(&mut self, r: &ReporterRecord) -> Result<()> {
        self.write_reporter_counts().await?;
        sqlx::query(
            "INSERT INTO reporters (address, name, tor_aware, language, intro_sent_at, first_seen, messages) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (address) DO UPDATE SET name = $2, tor_aware = $3, \
             language = $4, intro_sent_at = $5, first_seen = $6, messages = $7",
        )
        .bind(&r.address)
        .bind(&r.name)
        .bind(b(r.tor_aware))
        .bind(&r.language)
        .bind(r.intro_sent_at)
        .bind(r.first_seen)
        .bind(r.messages)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

/// The counts every statistics query computes (from the columns computed
/// when a case is written: the covering indexes hold them all).
const STATS_AGG: &str = "COUNT(*) AS cases, CAST(COALESCE(SUM(c.messages), 0) AS BIGINT) AS messages, \
    CAST(COALESCE(SUM(c.is_open), 0) AS BIGINT) AS open, COUNT(c.reply_bucket) AS replied, \
    CAST(COALESCE(SUM(c.deadline_met), 0) AS BIGINT) AS met, \
    CAST(COALESCE(SUM(c.deadline_missed), 0) AS BIGINT) AS missed";

/// The time to the first reply in buckets (see [`reply_bucket`]).
const STATS_BUCKET: &str = "c.reply_bucket";

/// The UTC day a case was opened (Unix seconds / 86 400, rounded down).
fn opened_day(c: &CaseRecord) -> i64 {
    c.opened_at.div_euclid(86_400)
}

/// The Unix day of the first of the UTC month a case was opened (the
/// opening day itself outside the years 1 to 9999, as migration 3 computes
/// it; it names the same month).
fn opened_month(opened_at: i64) -> i64 {
    let day = opened_at.div_euclid(86_400);
    if !(-62_135_596_800..253_402_300_800).contains(&opened_at) {
        return day;
    }
    // Days to civil date (H. Hinnant's algorithm), keeping the day of the month.
    let z = day + 719_468;
    let doe = z - z.div_euclid(146_097) * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day_of_month = doy - (153 * mp + 2) / 5 + 1;
    day - (day_of_month - 1)
}

/// The time to the first reply in buckets: minutes up to a day, then hours
/// (1440 + hours), so that a group has at most a few thousand; `None` when no
/// reply was sent.
fn reply_bucket(c: &CaseRecord) -> Option<i64> {
    let d = (c.first_reply_at? - c.opened_at).max(0);
    Some(if d < 86_400 { d / 60 } else { 1440 + d / 3600 })
}

fn deadline_met(c: &CaseRecord) -> bool {
    matches!((c.deadline, c.first_reply_at), (Some(d), Some(r)) if r <= d)
}

fn deadline_missed(c: &CaseRecord) -> bool {
    matches!((c.deadline, c.first_reply_at), (Some(d), Some(r)) if r > d)
}

/// The counts of one key's row: sums, and the reply-time buckets as
/// `bucket:cases` pairs (see [`reply_bucket`]).
fn counts_row(r: &AnyRow) -> Result<StatsCounts> {
    let n = |col: &str| -> Result<u64> { Ok(u64::try_from(r.try_get::<i64, _>(col)?).unwrap_or(0)) };
    let mut g = StatsCounts {
        cases: n("cases")?,
        messages: n("messages")?,
        open: n("open")?,
        replied: n("replied")?,
        met: n("met")?,
        missed: n("missed")?,
        reply_minutes: Vec::new(),
    };
    let pairs: Option<String> = r.try_get("h")?;
    for pair in pairs.iter().flat_map(|h| h.split(',')) {
        let parsed = pair.split_once(':').and_then(|(b, n)| Some((b.parse::<i64>().ok()?, n.parse::<u64>().ok()?)));
        let Some((b, cases)) = parsed else {
            return Err(StoreError::Db(format!("a reply-time bucket the store did not write: {pair:?}")));
        };
        let minutes = if b < 1440 { b } else { (b - 1440) * 60 };
        g.reply_minutes.push((minutes, cases));
    }
    Ok(g)
}

fn ports_text(ports: &[u16]) -> String {
    ports.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")
}

/// Escapes `%`, `_` and `\` for a LIKE pattern (the store's LIKEs use `\` … no
/// ESCAPE clause is portable, so these characters are simply dropped).
fn like_escape(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod test {
    use super::*;

    #[test]
    fn urls_are_redacted_and_paths_encoded() {
        assert_eq!(redact("postgres://desk:secret@db.example:5432/x"), "postgres://desk:***@db.example:5432/x");
        assert_eq!(redact("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
        assert_eq!(encode_path("/tmp/a?b#c%d"), "/tmp/a%3Fb%23c%25d");
        assert!(sha256_hex_check(&"a".repeat(64)));
        assert!(!sha256_hex_check("A"));
    }

    #[test]
    fn months_start_on_their_first_day() {
        let month = opened_month;
        assert_eq!(month(0), 0);
        assert_eq!(month(86_400 * 31 - 1), 0, "1970-01-31 23:59:59");
        assert_eq!(month(86_400 * 31), 31, "1970-02-01");
        assert_eq!(month(1_741_996_800), 20_148, "2025-03-15 is in the month of 2025-03-01");
        assert_eq!(month(1_709_164_800), 19_754, "2024-02-29 is in the month of 2024-02-01");
        assert_eq!(month(-1), -31, "1969-12-31 is in the month of 1969-12-01");
        assert_eq!(month(i64::MAX), i64::MAX.div_euclid(86_400), "outside the calendar: the day");
    }

    /// A fresh SQLite store in a temporary folder with only the first
    /// `upto` migrations applied (as an older exitdesk left it): the
    /// folder, the URL to open it again, and the store.
    async fn old_store(name: &str, upto: usize) -> (std::path::PathBuf, String, Store) {
        let dir = std::env::temp_dir().join(format!("exitdesk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", encode_path(dir.join(STORE_FILE).to_str().unwrap()));
        let old = Store::open_at(&url, upto).await.unwrap();
        (dir, url, old)
    }

    /// A store written before migration 3 gets months, and one first row per
    /// case in its exit and port lists (even a list naming an address twice).
    #[tokio::test]
    async fn statistics_columns_are_filled_for_old_cases() {
        let (dir, url, old) = old_store("migrate3", 2).await;
        for (id, opened_at) in [(1_i64, 1_741_996_800_i64), (2, 1_709_164_800)] {
            sqlx::query(
                "INSERT INTO cases (id, state, scenario, reporter, exit_ips, ports, opened_at, updated_at, \
                 last_arrival, messages, opened_day) VALUES ($1, 'new', 'other', 'r', '', '', $2, $2, $2, 1, $3)",
            )
            .bind(id)
            .bind(opened_at)
            .bind(opened_at / 86_400)
            .execute(&old.pool)
            .await
            .unwrap();
            for (table, key) in [("case_exits", "ip"), ("case_ports", "port")] {
                for k in ["1", "2", "1"] {
                    sqlx::query(built(format!(
                        "INSERT INTO {table} (case_id, {key}, opened_at, messages, is_open, deadline_met, \
                         deadline_missed) VALUES ($1, {k}, $2, 1, 1, 0, 0)"
                    )))
                    .bind(id)
                    .bind(opened_at)
                    .execute(&old.pool)
                    .await
                    .unwrap();
                }
            }
        }
        old.close().await;
        let store = Store::open(&url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let (months, _, total) = tx.stats(StatsGrouping::Month, i64::MIN).await.unwrap();
        let keys: Vec<StatsKey> = months.into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![StatsKey::Int(19_754), StatsKey::Int(20_148)]);
        assert_eq!(total.cases, 2);
        for by in [StatsGrouping::Exit, StatsGrouping::Port] {
            let (groups, _, total) = tx.stats(by, i64::MIN).await.unwrap();
            assert_eq!(total.cases, 2, "{by:?}: each case once");
            assert_eq!(groups.iter().map(|(_, c)| c.cases).sum::<u64>(), 6, "{by:?}");
        }
        tx.commit().await.unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A case approved before migration 4 is taken as approved for the
    /// newest version made before its approval (not one an old `reprocess`
    /// added after it); sends are recorded and completed.
    #[tokio::test]
    async fn old_approvals_name_the_version_approved() {
        let (dir, url, old) = old_store("migrate4", 3).await;
        for (id, state) in [(1_i64, "approved"), (2, "drafted")] {
            sqlx::query(
                "INSERT INTO cases (id, state, scenario, reporter, exit_ips, ports, opened_at, updated_at, \
                 last_arrival, messages) VALUES ($1, $2, 'other', 'r', '', '', 10, 10, 10, 1)",
            )
            .bind(id)
            .bind(state)
            .execute(&old.pool)
            .await
            .unwrap();
            for (version, at) in [(1_i64, 10_i64), (2, 30)] {
                sqlx::query(
                    "INSERT INTO drafts (case_id, version, created_at, author, kind, draft) \
                     VALUES ($1, $2, $3, 'exitdesk', 'generated', '{}')",
                )
                .bind(id)
                .bind(version)
                .bind(at)
                .execute(&old.pool)
                .await
                .unwrap();
            }
            sqlx::query(
                "INSERT INTO transitions (case_id, at, from_state, to_state, actor, reason) \
                 VALUES ($1, 20, 'drafted', 'approved', 'ops', 'draft version 1 approved')",
            )
            .bind(id)
            .execute(&old.pool)
            .await
            .unwrap();
        }
        old.close().await;
        let store = Store::open(&url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.approval(1).await.unwrap(), Some(Approval { version: 1, digest: None }));
        assert_eq!(tx.approval(2).await.unwrap(), None, "only approved cases");
        let heads = tx.latest_draft_heads(&[1, 2]).await.unwrap();
        assert!(!heads[&1].approved, "version 2 was never approved");
        tx.set_approval(1, &Approval { version: 2, digest: Some("ab".into()) }).await.unwrap();
        assert!(tx.latest_draft_heads(&[1]).await.unwrap()[&1].approved);
        let send = SendRecord {
            case_id: 1,
            version: 2,
            message_id: "m@exit.example.org".into(),
            path: "/outbox/case-1-v2.eml".into(),
            sha256: "cd".into(),
            bytes: b"\0reply\r\n".to_vec(),
            actor: "ops".into(),
            started_at: 40,
            completed_at: None,
        };
        tx.begin_send(&send).await.unwrap();
        assert!(tx.begin_send(&send).await.is_err(), "one send per version");
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.sends(1).await.unwrap(), vec![send.clone()]);
        tx.complete_send(1, 2, 50).await.unwrap();
        assert_eq!(tx.sends(1).await.unwrap()[0].completed_at, Some(50));
        assert_eq!(tx.draft(1, 1).await.unwrap().unwrap().version, 1);
        tx.commit().await.unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A store written before migration 6, on SQLite and (with
    /// `EXITDESK_TEST_PG_URL`) on PostgreSQL: each case takes the kind of its
    /// opening message's stored classification, law enforcement when any of
    /// its complainants' messages is a request for data, else traffic.
    /// A case of the test below: id, opened_at, its messages (processed_at,
    /// arrived_at, reporter, classification).
    type OldCase = (i64, i64, Vec<(i64, i64, Option<&'static str>, Option<String>)>);

    #[tokio::test]
    #[allow(clippy::print_stdout)]
    async fn old_cases_take_the_kind_of_their_first_message() {
        let (dir, url, old) = old_store("migrate6", 5).await;
        let mut olds = vec![(url, old)];
        let admin = std::env::var_os("EXITDESK_TEST_PG_URL").and_then(|v| v.into_string().ok());
        if let Some(admin) = admin.filter(|u| !u.is_empty()) {
            let name = format!("exitdesk_migrate6_{}", std::process::id());
            let pg = Store::create_fresh_database_at(&admin, &name, 5).await.unwrap();
            let (base, _) = admin.rsplit_once('/').unwrap();
            olds.push((format!("{base}/{name}"), pg));
        } else {
            println!("old_cases_take_the_kind_of_their_first_message: PostgreSQL skipped (EXITDESK_TEST_PG_URL)");
        }
        let class = |kind: &str| {
            format!(
                r#"{{"labels":[{{"scenario":"other","score":0.5}}],"kind":"{kind}","confidence":0.5,"signals":[{{"rule":"x","scenario":"other","weight":0.4,"matched":"\"kind\":\"hosted\""}}]}}"#
            )
        };
        // (case, opened_at, its messages: (processed_at, arrived_at, reporter, classification)).
        let cases: Vec<OldCase> = vec![
            // Opened by a hosted-content complaint; a reminder joined later.
            (
                1,
                100,
                vec![
                    (200, 100, Some("r@x.example"), Some(class("hosted"))),
                    (300, 150, Some("r@x.example"), Some(class("reminder"))),
                ],
            ),
            // Processed in one batch: the message that arrived when the case opened decides.
            (
                2,
                100,
                vec![
                    (200, 90, Some("r@x.example"), Some(class("not_a_complaint"))),
                    (200, 100, Some("r@x.example"), Some(class("reminder"))),
                ],
            ),
            // A request for data joined a traffic complaint.
            (
                3,
                100,
                vec![
                    (200, 100, Some("r@x.example"), Some(class("traffic"))),
                    (300, 300, Some("r@x.example"), Some(class("law_enforcement"))),
                ],
            ),
            // Our own reply filed with the case (no reporter) does not count.
            (
                4,
                100,
                vec![
                    (200, 100, Some("r@x.example"), Some(class("traffic"))),
                    (300, 300, None, Some(class("law_enforcement"))),
                ],
            ),
            // Stored before kinds existed (no field), damaged, or no message at all.
            (
                5,
                100,
                vec![(200, 100, Some("r@x.example"), Some(r#"{"labels":[],"confidence":0.1,"signals":[]}"#.into()))],
            ),
            (6, 100, vec![(200, 100, Some("r@x.example"), Some("{not json".into()))]),
            (7, 100, vec![(200, 100, Some("r@x.example"), None)]),
            (8, 100, vec![]),
        ];
        let want = ["hosted", "reminder", "law_enforcement", "traffic", "traffic", "traffic", "traffic", "traffic"];
        for (url, old) in olds {
            let mut n = 0;
            for (id, opened_at, messages) in &cases {
                sqlx::query(
                    "INSERT INTO cases (id, state, scenario, reporter, exit_ips, ports, opened_at, updated_at, \
                     last_arrival, messages) VALUES ($1, 'new', 'other', 'r@x.example', '', '', $2, $2, $2, 1)",
                )
                .bind(id)
                .bind(opened_at)
                .execute(&old.pool)
                .await
                .unwrap();
                for (processed_at, arrived_at, reporter, classification) in messages {
                    n += 1;
                    sqlx::query(
                        "INSERT INTO messages (sha256, size, source, received_at, processed_at, arrived_at, case_id, \
                         reporter, classification) VALUES ($1, 1, 'old', 1, $2, $3, $4, $5, $6)",
                    )
                    .bind(format!("{n:064x}"))
                    .bind(processed_at)
                    .bind(arrived_at)
                    .bind(id)
                    .bind(*reporter)
                    .bind(classification.as_deref())
                    .execute(&old.pool)
                    .await
                    .unwrap();
                }
            }
            old.close().await;
            let store = Store::open(&url).await.unwrap();
            let mut tx = store.begin().await.unwrap();
            for ((id, _, _), want) in cases.iter().zip(want) {
                assert_eq!(tx.case(*id).await.unwrap().unwrap().kind.as_str(), want, "{} case {id}", redact(&url));
            }
            let (groups, _, total) = tx.stats(StatsGrouping::Kind, i64::MIN).await.unwrap();
            assert_eq!(total.cases, 8);
            assert_eq!(groups.len(), 4, "{groups:?}");
            tx.commit().await.unwrap();
            store.close().await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A store written before the bytes moved to their own table keeps them.
    #[tokio::test]
    async fn the_raw_bytes_survive_their_move() {
        let (dir, url, old) = old_store("migrate", 1).await;
        let raw: Vec<u8> = (0..=255u8).chain(*b"\r\n\0end").collect();
        let sha = "0".repeat(64);
        sqlx::query("INSERT INTO messages (sha256, raw, size, source, received_at) VALUES ($1, $2, $3, 'old', 7)")
            .bind(&sha)
            .bind(&raw)
            .bind(raw.len() as i64)
            .execute(&old.pool)
            .await
            .unwrap();
        old.close().await;
        let store = Store::open(&url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let m = tx.message(&sha).await.unwrap().unwrap();
        assert_eq!((m.raw, m.source.as_str(), m.received_at), (raw, "old", 7));
        assert_eq!(tx.pending(10).await.unwrap(), vec![sha]);
        tx.commit().await.unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
