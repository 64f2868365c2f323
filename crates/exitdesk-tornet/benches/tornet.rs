//! Benchmarks of exitdesk-tornet (filled in below).

fn main() {}
