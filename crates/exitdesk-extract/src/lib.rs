#![doc = include_str!("../README.md")]

mod address_roles;
mod bounds;
mod clocks;
mod dates;
mod events;
mod extract;
mod fields;
mod formats;
mod html;
mod ip;
mod local;
mod mime;
mod networks;
mod offender;
mod ports;
mod posting;
mod re;
mod received;
mod requests;
mod rows;
mod text;
mod time;
mod trap;
mod urls;
mod zip;

pub use extract::Extractor;
