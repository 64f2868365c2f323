//! Every main fact names the place that held it: the part and the line of
//! its decoded text (counted from 1), the subject, or a report's fields.
//! Synthetic messages only.

use exitdesk_extract::Extractor;
use exitdesk_model::{Complaint, Evidence};

fn extract(msg: &str) -> Complaint {
    Extractor::new().extract(msg.as_bytes(), "test")
}

fn find<'a>(c: &'a Complaint, fact: &str, value: &str) -> &'a Evidence {
    c.evidence
        .iter()
        .find(|e| e.fact == fact && e.value == value)
        .unwrap_or_else(|| panic!("no evidence for {fact} {value}: {:#?}", c.evidence))
}

#[test]
fn times_and_ports_name_their_line() {
    let c = extract(
        "From: admin@example.org\nTo: abuse@example.net\nSubject: [Ticket#4471] SSH attack\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         Hello,\n\nYour address 192.0.2.45 attacked our server.\n\n\
         2025-03-03 08:12:45 UTC 192.0.2.45:51234 -> 198.51.100.7:22 failed password\n\
         2025-03-03 08:31:02 UTC 192.0.2.45:51240 -> 198.51.100.7:2222 failed password\n",
    );
    assert_eq!(find(&c, "time", "2025-03-03T08:12:45Z").place, "part 1 line 5");
    assert_eq!(find(&c, "dest_port", "22").place, "part 1 line 5");
    assert_eq!(find(&c, "dest_port", "2222").place, "part 1 line 6");
    assert_eq!(find(&c, "reported_ip", "192.0.2.45").place, "part 1 line 3");
    assert_eq!(find(&c, "ticket_id", "Ticket#4471").place, "subject");
}

#[test]
fn lines_count_within_their_part() {
    let c = extract(
        "From: admin@example.org\nTo: abuse@example.net\nSubject: attack\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nHello,\n\nsee the attached log of 192.0.2.45.\n\n\
         --b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"log.txt\"\n\n\
         first line\n2025-03-03 08:12:45 UTC 192.0.2.45 -> 198.51.100.7:3389\n--b--\n",
    );
    assert_eq!(find(&c, "time", "2025-03-03T08:12:45Z").place, "part 2 line 2");
    assert_eq!(find(&c, "dest_port", "3389").place, "part 2 line 2");
}

#[test]
fn locations_name_their_line() {
    let c = extract(
        "From: cert@example.org\nTo: abuse@example.net\nSubject: Phishing site on 192.0.2.80\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         Hello,\n\nA phishing page is hosted on 192.0.2.80:\n\nhxxp://login-bank[.]example.com/verify\n\n\
         Please take it down.\n",
    );
    let url = c.evidence.iter().find(|e| e.fact == "reported_url").expect("url evidence");
    assert_eq!(url.place, "part 1 line 5", "{url:?}");
}

#[test]
fn a_body_that_asks_to_quote_an_id_gives_the_ticket() {
    for line in [
        "Please quote incident ID EXA-SEC-10422 in any reply.",
        "Please include the reference EXA-SEC-10422 in the subject of your answer.",
        "Kindly quote our case number EXA-SEC-10422 in all correspondence.",
    ] {
        let c = extract(&format!(
            "From: soc@example.org\nTo: abuse@example.net\nSubject: Brute force attack from 192.0.2.58\n\
             Date: Tue, 04 Mar 2025 09:00:00 +0000\n\nHello,\n\n192.0.2.58 attacked our login page.\n\n{line}\n"
        ));
        assert_eq!(c.ticket_id.as_deref(), Some("EXA-SEC-10422"), "{line}");
        assert_eq!(find(&c, "ticket_id", "EXA-SEC-10422").place, "part 1 line 5");
    }
}

#[test]
fn an_address_only_mentioned_needs_a_human() {
    let c = extract(
        "From: admin@example.org\nTo: abuse@example.net\nSubject: Problem\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         Hello,\n\nplease have a look at 192.0.2.77, 2025-03-03 08:12:45 UTC.\n",
    );
    let e = find(&c, "reported_ip", "192.0.2.77");
    assert!(e.confidence <= 40, "{e:?}");
    assert!(c.problems.iter().any(|p| p.contains("192.0.2.77 as the source")), "{:?}", c.problems);
    // A cue is enough.
    let c = extract(
        "From: admin@example.org\nTo: abuse@example.net\nSubject: Problem\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         Hello,\n\nwe were attacked from 192.0.2.77 at 2025-03-03 08:12:45 UTC.\n",
    );
    assert!(c.problems.iter().all(|p| !p.contains("as the source")), "{:?}", c.problems);
}

#[test]
fn an_incident_after_the_message_was_sent_needs_a_human() {
    let msg = |when: &str| {
        format!(
            "From: admin@example.org\nTo: abuse@example.net\nSubject: SSH attack from 192.0.2.77\n\
             Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
             Hello,\n\nwe were attacked from 192.0.2.77 at {when}.\n"
        )
    };
    // 03/04 read as 3 April (month first in English) is a month after the mail.
    let c = extract(&msg("2025-04-03 08:12:45 UTC"));
    assert!(c.problems.iter().any(|p| p.contains("later than the message's Date")), "{:?}", c.problems);
    let c = extract(&msg("2025-03-04 08:12:45 UTC"));
    assert!(c.problems.iter().all(|p| !p.contains("later than")), "{:?}", c.problems);
}

#[test]
fn placeholder_times_are_no_incident() {
    let c = extract(
        "From: admin@example.org\nTo: abuse@example.net\nSubject: Spam from 192.0.2.77\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         All times are UTC.\n\nip,time\n192.0.2.77,1970-01-01 00:00:00\n192.0.2.77,2025-03-03 08:12:45\n",
    );
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(exitdesk_model::format_utc).collect();
    assert_eq!(times, ["2025-03-03T08:12:45Z"], "{:?}", c.events);
    assert!(c.problems.iter().any(|p| p.contains("before the year 2000")), "{:?}", c.problems);
}

/// A person's spam complaint with the spam enclosed, its `Received:` chain as given.
fn spam_with_chain(chain: &str) -> Complaint {
    extract(&format!(
        "From: Pat <pat@example.org>\nTo: abuse@example.net\nSubject: Spam from 198.51.100.7\n\
         Date: Thu, 20 Nov 2026 15:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nI received this spam from 198.51.100.7, see attached.\n\n\
         --b\nContent-Type: message/rfc822\n\n{chain}From: seller@example.com\nTo: pat@example.org\n\
         Subject: Cheap pills\nDate: Thu, 20 Nov 2026 14:02:59 +0000\n\nBuy now.\n--b--\n"
    ))
}

#[test]
fn the_chain_shows_how_the_mail_left_the_accused_address() {
    use exitdesk_model::Delivery;
    let direct = spam_with_chain(
        "Received: from mx1.example.org by mx2.example.org with ESMTP id 1; Thu, 20 Nov 2026 14:03:01 +0000\n\
         Received: from host.example.net (host.example.net [198.51.100.7])\n\tby mx1.example.org with ESMTP id 2; Thu, 20 Nov 2026 14:03:00 +0000\n",
    );
    assert_eq!(direct.delivery, Some(Delivery::Direct), "{:?}", direct.evidence);
    assert!(find(&direct, "delivery", "direct").place.starts_with("part 2 line"));
    // Through another organisation's server: a relay, not direct delivery.
    let relayed = spam_with_chain(
        "Received: from relay.example.net (relay.example.net [203.0.113.5])\n\tby mx1.example.org with ESMTP id 3; Thu, 20 Nov 2026 14:03:01 +0000\n\
         Received: from [192.168.1.2] ([198.51.100.7])\n\tby relay.example.net with ESMTP id 4; Thu, 20 Nov 2026 14:03:00 +0000\n",
    );
    assert_eq!(relayed.delivery, None);
    // A login on the accused address's hop.
    let submitted = spam_with_chain(
        "Received: from [198.51.100.7] (helo=x)\n\tby mail.example.net with ESMTPSA id x; Thu, 20 Nov 2026 14:03:00 +0000\n",
    );
    assert_eq!(submitted.delivery, Some(Delivery::Submitted));
    // A login on another address's hop (the forwarder's own) does not count.
    let other = spam_with_chain(
        "Received: from [192.0.2.9] by mx.example.org with ESMTPSA id y; Thu, 20 Nov 2026 14:03:00 +0000\n",
    );
    assert_eq!(other.delivery, None);
}

#[test]
fn a_trap_capture_is_dated_by_the_traps_own_hop() {
    let c = extract(
        "Received: from relay.example.net (relay.example.net [198.51.100.9])\n\tby forward.example.org with ESMTPS id 1; Fri, 14 Jan 2022 17:58:00 +0000\n\
         Received: from spammer.example.com (unknown [192.0.2.193])\n\tby trap.example.net (Postfix) with ESMTP id 2\n\tfor <x@example.net>; Fri, 14 Jan 2022 10:57:39 -0700 (MST)\n\
         To: x@example.net\nFrom: seller@example.com\nSubject: Your mailbox is full\nDate: Fri, 14 Jan 2022 17:57:38 +0000\n\
         X-HP-ConnectIP: 192.0.2.193\nX-HP-HPID: 0a1b2c\n\nClick here to keep your mailbox.\n",
    );
    assert_eq!(c.reported_ips.iter().map(ToString::to_string).collect::<Vec<_>>(), ["192.0.2.193"]);
    let t = find(&c, "time", "2022-01-14T17:57:39Z");
    assert_eq!(t.place, "message header Received");
}

#[test]
fn bare_clocks_take_the_one_date_stated_above_them() {
    let c = extract(
        "From: admin@example.org\nTo: abuse@example.net\nSubject: SYN flood from 192.0.2.70\n\
         Date: Wed, 03 Sep 2025 09:00:00 +0000\n\n\
         Hello,\n\n192.0.2.70 floods our server 198.51.100.7. Capture taken on 02.09.2025\n(times are UTC+3):\n\n\
         17:05:12.004512 IP 192.0.2.70.44321 > 198.51.100.7.22: Flags [S], seq 1, win 64240, length 0\n\
         17:41:58.700431 IP 192.0.2.70.40977 > 198.51.100.7.22: Flags [S], seq 2, win 64240, length 0\n",
    );
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(exitdesk_model::format_utc).collect();
    assert_eq!(times, ["2025-09-02T14:05:12Z", "2025-09-02T14:41:58Z"], "{:?}", c.events);
    assert!(c.problems.iter().all(|p| !p.contains("five numbers")), "{:?}", c.problems);
}
