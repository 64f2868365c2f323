#![doc = include_str!("../README.md")]

mod records;
mod schema;
mod store;

pub use records::{
    Approval, CaseFilter, CaseRecord, Derived, DraftHead, DraftRecord, MessageInfo, NoteRecord, ReporterRecord,
    SendRecord, StatsGrouping, StatsKey, StoredMessage,
};
pub use schema::Dialect;
pub use store::{STORE_FILE, Store, StoreError, Tx, sha256_hex_check};

/// Result alias of the store.
pub type Result<T> = std::result::Result<T, StoreError>;
