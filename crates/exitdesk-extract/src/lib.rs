//! placeholder
#![allow(dead_code)]
mod html;
mod mime;
mod time;
