//! Tables whose rows for two accused addresses are the same: each row of
//! one address (time, source port, destination port) appears, identical but
//! for the address, among the rows of the other. Two hosts never make the
//! same connections at the same seconds from the same source ports, so such
//! rows are a reporting artefact (a join or copy in the reporter's
//! pipeline), and a reply asks for each address's own rows.
//!
//! Read by shape, never by wording: a row is a line naming exactly one
//! address, a time of day and at least three numbers in all (CSV, tab or
//! space separated).

use std::net::IpAddr;

use crate::ip::IpFinder;
use crate::text::{Line, Region};

/// Rows read per address at most.
const MAX_ROWS: usize = 2000;

/// Accused addresses whose rows (two or more) equal another accused
/// address's rows, in the order the complaint accuses them.
pub(crate) fn identical(ips: &IpFinder, lines: &[Line], accused: &[IpAddr]) -> Vec<IpAddr> {
    if accused.len() < 2 {
        return Vec::new();
    }
    let mut rows: Vec<(IpAddr, Vec<String>)> = accused.iter().map(|ip| (*ip, Vec::new())).collect();
    for l in lines.iter().filter(|l| l.region == Region::Prose) {
        let mentions = ips.mentions(&l.text);
        let [m] = mentions.as_slice() else { continue };
        let Some((_, own)) = rows.iter_mut().find(|(ip, _)| *ip == m.ip) else { continue };
        let rest = format!("{}\u{1}{}", &l.text[..m.start], &l.text[m.end..]);
        let numbers = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).count();
        // A time of day (`00:25:16`): rows of connections, not of counts.
        let clock = rest.as_bytes().windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
        if numbers >= 3 && clock && own.len() < MAX_ROWS {
            own.push(rest.trim().to_string());
        }
    }
    for (_, own) in rows.iter_mut() {
        own.sort();
    }
    rows.iter()
        .filter(|(ip, own)| own.len() >= 2 && rows.iter().any(|(o, theirs)| o != ip && theirs == own))
        .map(|(ip, _)| *ip)
        .collect()
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::text::prose_lines;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn the_same_rows_for_two_addresses_are_found() {
        let text = "IP,timestamp,source_port,destination_port\n192.0.2.7,2022-09-19T00:00:22Z,44592,22\n192.0.2.7,2022-09-19T00:01:23Z,44592,22\n198.51.100.8,2022-09-19T00:01:23Z,44592,22\n198.51.100.8,2022-09-19T00:00:22Z,44592,22\n";
        let accused = [ip("192.0.2.7"), ip("198.51.100.8")];
        assert_eq!(identical(&IpFinder::new(), &prose_lines(text), &accused), accused.to_vec());
    }

    #[test]
    fn rows_without_a_time_are_no_connections() {
        let text = "192.0.2.7,22,3,64500\n192.0.2.7,23,1,64500\n198.51.100.8,22,3,64500\n198.51.100.8,23,1,64500\n";
        let accused = [ip("192.0.2.7"), ip("198.51.100.8")];
        assert!(identical(&IpFinder::new(), &prose_lines(text), &accused).is_empty());
    }

    #[test]
    fn different_rows_or_one_address_say_nothing() {
        let text = "192.0.2.7,2022-09-19T00:00:22Z,44592,22\n192.0.2.7,2022-09-19T00:01:23Z,44592,22\n198.51.100.8,2022-09-19T00:00:22Z,51000,22\n198.51.100.8,2022-09-19T00:01:23Z,44592,22\n";
        let accused = [ip("192.0.2.7"), ip("198.51.100.8")];
        assert!(identical(&IpFinder::new(), &prose_lines(text), &accused).is_empty());
        assert!(identical(&IpFinder::new(), &prose_lines(text), &accused[..1]).is_empty());
    }
}
