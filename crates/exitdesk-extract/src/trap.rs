//! Spam-trap captures: a trap network passes on the spam its trap address
//! received, as it arrived, with headers of its own that name the address
//! that connected to the trap's mail server. Such a message has no
//! complaint prose and no enclosed mail: the accused address is only in
//! those headers, and the message's own `From` and `Reply-To` are the
//! spam's, not a reporter's.
//!
//! Read by format, never by wording. Known formats (a marker header that
//! only the trap writes, and the header with the connecting address):
//!
//! - Project Honey Pot: `X-HP-HPID` or `X-HP-Abuse` with `X-HP-ConnectIP`
//!   (its captures also carry `X-HP-EnvFromUser`, `X-HP-Client-Helo`, …).

use std::net::IpAddr;

use exitdesk_model::Evidence;

use crate::mime::Doc;

/// One trap network's headers.
struct TrapFormat {
    /// The trap network, as the draft names it.
    name: &'static str,
    /// Headers only its captures carry (any one suffices).
    markers: &'static [&'static str],
    /// The header naming the address that connected to the trap.
    connect: &'static str,
}

const FORMATS: &[TrapFormat] =
    &[TrapFormat { name: "Project Honey Pot", markers: &["X-HP-HPID", "X-HP-Abuse"], connect: "X-HP-ConnectIP" }];

/// A capture: which trap, and the connecting address when it is a valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capture {
    pub(crate) name: &'static str,
    pub(crate) ip: Option<IpAddr>,
    /// The header the address was read from.
    header: &'static str,
    /// The `Received:` value of the trap's own hop from that address (its
    /// date is the capture's time), bounded.
    pub(crate) hop: Option<String>,
}

/// Reads the message's own headers (`header` returns a raw value by name;
/// `received` the raw `Received:` values, newest first).
pub(crate) fn read<'a>(
    header: impl Fn(&'static str) -> Option<&'a str>,
    received: impl Iterator<Item = &'a str>,
) -> Option<Capture> {
    let f = FORMATS.iter().find(|f| f.markers.iter().any(|m| header(m).is_some()))?;
    let value = header(f.connect)?;
    let ip = crate::bounds::head(value.trim(), 64).trim_matches(['[', ']']).parse::<IpAddr>().ok();
    // The hop whose `from` names the address in brackets or parentheses.
    let hop = ip.and_then(|ip| {
        let (bracketed, parenthesised) = (format!("[{ip}]"), format!("({ip})"));
        received.take(32).map(|v| crate::bounds::head(v, 2048)).find(|v| {
            let from = v.split(" by ").next().unwrap_or(v);
            from.contains(&bracketed) || from.contains(&parenthesised)
        })
    });
    Some(Capture { name: f.name, ip, header: f.connect, hop: hop.map(str::to_string) })
}

/// A capture accuses its connecting address when nothing else does.
pub(crate) fn accuse(doc: &Doc, reported: &mut Vec<IpAddr>) {
    if reported.is_empty() {
        reported.extend(doc.trap.as_ref().and_then(|t| t.ip));
    }
}

/// The evidence of an address a capture accused: its header.
pub(crate) fn explain(doc: &Doc, evidence: &mut [Evidence]) {
    let Some(Capture { name, ip: Some(ip), header, .. }) = &doc.trap else { return };
    let value = ip.to_string();
    for e in evidence.iter_mut().filter(|e| e.fact == "reported_ip" && e.value == value) {
        e.place = format!("message header {header}");
        e.rule = format!("{name} trap capture: the address that connected to the trap");
        e.confidence = 80;
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn headers<'a>(h: &'a [(&'a str, &'a str)]) -> impl Fn(&'static str) -> Option<&'a str> {
        move |name| h.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    #[test]
    fn honey_pot_captures() {
        let h = [("X-HP-ConnectIP", " 192.0.2.7"), ("X-HP-Abuse", "YES")];
        let hops = [
            "from mx.example.org by relay.example.net",
            "from x.example.com (unknown [192.0.2.7])\n\tby trap.example.org; Fri, 14 Jan 2022 10:57:39 -0700",
        ];
        let c = read(headers(&h), hops.into_iter());
        assert_eq!(c.as_ref().map(|c| c.name), Some("Project Honey Pot"));
        assert_eq!(c.as_ref().and_then(|c| c.hop.as_deref()), Some(hops[1]));
        assert_eq!(c.and_then(|c| c.ip), "192.0.2.7".parse().ok());
    }

    #[test]
    fn the_address_header_alone_is_no_capture() {
        assert_eq!(read(headers(&[("X-HP-ConnectIP", "192.0.2.7")]), std::iter::empty()), None);
        assert_eq!(read(headers(&[("X-Originating-IP", "[192.0.2.7]")]), std::iter::empty()), None);
    }

    #[test]
    fn a_bad_address_is_kept_as_none() {
        let h = [("X-HP-HPID", "0a1b"), ("X-HP-ConnectIP", "192.0.2.xxx")];
        assert_eq!(read(headers(&h), std::iter::empty()).map(|c| c.ip), Some(None));
        let long = "9".repeat(10_000);
        let h = [("X-HP-HPID", "0a1b"), ("X-HP-ConnectIP", long.as_str())];
        assert_eq!(read(headers(&h), std::iter::empty()).map(|c| c.ip), Some(None));
    }
}
