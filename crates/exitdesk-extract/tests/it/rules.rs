//! Extraction rules on small synthetic complaints (documentation addresses,
//! example.org names): lists of offenders, report-time lines, the language of
//! the prose, ARF without `Source-IP`, ids of forwarded complaints,
//! abbreviated lists, victim ports and masked addresses.

use exitdesk_extract::Extractor;
use exitdesk_model::Complaint;

fn extract(body: &str) -> Complaint {
    let msg = if body.starts_with("From:") {
        body.to_string()
    } else {
        format!(
            "From: abuse@victim.example.org\nTo: abuse@hoster.example.com\nSubject: Abuse\nDate: Tue, 04 Mar 2025 09:00:00 +0000\n\n{body}"
        )
    };
    Extractor::new().extract(msg.as_bytes(), "test")
}

fn ips(body: &str) -> Vec<String> {
    extract(body).reported_ips.iter().map(ToString::to_string).collect()
}

#[test]
fn listed_offenders_share_the_cue() {
    assert_eq!(
        ips("Offending IPs: 192.0.2.60, 192.0.2.61, 192.0.2.62\nTime: 2025-03-03T10:00:00Z\n"),
        ["192.0.2.60", "192.0.2.61", "192.0.2.62"]
    );
    assert_eq!(
        ips(
            "We have detected attacks from the following IP addresses:\n\n192.0.2.40\n192.0.2.41\n192.0.2.42\n\nTime: 2025-03-03T10:00:00Z\n"
        ),
        ["192.0.2.40", "192.0.2.41", "192.0.2.42"]
    );
    assert_eq!(ips("Attacks from 192.0.2.30 and 192.0.2.31 at 2025-03-03T10:00:00Z\n"), ["192.0.2.30", "192.0.2.31"]);
    assert_eq!(
        ips("Attacks from 2001:db8::30 and 2001:db8::31 at 2025-03-03T10:00:00Z\n"),
        ["2001:db8::30", "2001:db8::31"]
    );
    assert_eq!(
        ips("Your hosts 192.0.2.50 and 192.0.2.51 scanned our network at 2025-03-03T10:00:00Z.\n"),
        ["192.0.2.50", "192.0.2.51"]
    );
    // A list that goes on over a line break.
    assert_eq!(
        ips(
            "Login attempts on our server from 192.0.2.9 and from\n2001:db8::1 and 203.0.113.10 were logged at 2025-03-03T10:00:00Z.\n"
        ),
        ["192.0.2.9", "2001:db8::1", "203.0.113.10"]
    );
    // The full IPv4-mapped form joins the list too.
    assert_eq!(
        ips(
            "Attacks from [::ffff:203.0.113.11] and 0:0:0:0:0:ffff:203.0.113.12 on our server.\n2025-03-03 10:00:00 UTC\n"
        ),
        ["203.0.113.11", "203.0.113.12"]
    );
}

#[test]
fn lists_do_not_pull_in_victims_or_other_regions() {
    // Victims listed together stay victims.
    assert_eq!(
        ips("Attacks from 192.0.2.1 and 192.0.2.2 against 198.51.100.1 and 198.51.100.2 at 2025-03-03T10:00:00Z\n"),
        ["192.0.2.1", "192.0.2.2"]
    );
    assert_eq!(
        ips("Attack from 192.0.2.21 at 2025-03-03 10:00:00 UTC, against 198.51.100.5 (our web server).\n"),
        ["192.0.2.21"]
    );
    // URL hosts, DNSBL lines and pasted Received hops are no list members.
    let c = ips(
        "Attacks from 192.0.2.201, 192.0.2.202 at 2025-03-03T10:00:00Z.\nSee http://198.51.100.99/report?ip=192.0.2.203\nListed: 192.0.2.204 listed in zen.example.org\n\nReceived: from mail.example.org (mail.example.org [198.51.100.77])\n\tby mx.example.org; Mon, 3 Mar 2025 10:00:00 +0000\n",
    );
    assert_eq!(c, ["192.0.2.201", "192.0.2.202"]);
}

#[test]
fn abbreviated_lists_are_expanded() {
    assert_eq!(
        ips("Your IPs 192.0.2.10, .11 and .12 attacked us at 2025-03-03T10:00:00Z\n"),
        ["192.0.2.10", "192.0.2.11", "192.0.2.12"]
    );
    assert_eq!(
        ips("Attacks from 198.51.100.52, 53 and 54 at 2025-03-03T10:00:00Z\n"),
        ["198.51.100.52", "198.51.100.53", "198.51.100.54"]
    );
}

#[test]
fn a_receipt_of_spam_is_no_report_time() {
    let c = extract("Hi, we received spam from your IP 192.0.2.140 at 2025-03-03 11:00:00 UTC.\n");
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(|t| t.to_string()).collect();
    assert_eq!(times, ["2025-03-03T11:00:00Z"]);
    // Receipt of the report itself is still no incident time.
    let c = extract(
        "Attack from 192.0.2.1 at 2025-03-02 10:00:00 UTC.\nWe received this report at 2025-03-04 08:00:00 UTC.\n",
    );
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(|t| t.to_string()).collect();
    assert_eq!(times, ["2025-03-02T10:00:00Z"]);
}

const RUSSIAN: &str = "Здравствуйте! Предлагаем вам лучшие цены на наши товары. Покупайте сейчас и получите скидку пятьдесят процентов на все товары в нашем магазине. Доставка бесплатно по всей стране.";

#[test]
fn language_is_that_of_the_prose_not_of_the_quoted_spam() {
    let quoted = format!(
        "Hi, spam was sent from your IP 192.0.2.140 at 2025-03-03 11:00:00 UTC. Copy below.\n\n{}",
        format!("> {RUSSIAN}\n").repeat(6)
    );
    assert_eq!(extract(&quoted).language.as_deref(), Some("en"));
    let pasted = format!(
        "Hi, we received spam from your IP 192.0.2.140 at 2025-03-03 11:00:00 UTC. No reply is needed.\n\n-------- spam follows --------\nReceived: from x ([192.0.2.140]) by mx.victim.example.org\nFrom: shop@spam.example.com\nSubject: sale\n\n{}\n",
        RUSSIAN.repeat(6)
    );
    assert_eq!(extract(&pasted).language.as_deref(), Some("en"));
    let original = format!(
        "Hi, spam was sent from your IP 192.0.2.140 at 2025-03-03 11:00:00 UTC. Copy below.\n\nOriginal message:\n\nFrom: shop@spam.example.com\nSubject: sale\nDate: Mon, 03 Mar 2025 10:59:00 +0000\n\n{}\n",
        format!("{RUSSIAN}\n").repeat(6)
    );
    assert_eq!(extract(&original).language.as_deref(), Some("en"));
    // Russian prose is Russian, not Bulgarian.
    assert_eq!(extract(&format!("{RUSSIAN} Атака с адреса 192.0.2.1.\n")).language.as_deref(), Some("ru"));
}

#[test]
fn binary_junk_has_no_language() {
    let mut x: u32 = 99;
    let junk: Vec<u8> = (0..16384)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    let c = Extractor::new().extract(&junk, "junk");
    assert_eq!(c.language, None);
}

fn arf(received: &str) -> Complaint {
    let msg = format!(
        "From: fbl@isp.example.com\nTo: abuse@hoster.example.net\nSubject: spam report\nDate: Mon, 03 Mar 2025 12:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"R\"\n\n--R\nContent-Type: text/plain\n\nThis is an email abuse report.\n--R\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: FBL/1.0\nVersion: 1\nArrival-Date: Mon, 03 Mar 2025 11:50:00 +0000\n\n--R\nContent-Type: message/rfc822\n\n{received}From: spammer@example.org\nSubject: Buy now\n\nspam\n--R--\n"
    );
    Extractor::new().extract(msg.as_bytes(), "arf")
}

#[test]
fn arf_without_source_ip_takes_the_first_untrusted_hop() {
    // The reporter's own MX hop is skipped.
    let c = arf(
        "Received: from mx.isp.example.com (mx.isp.example.com [198.51.100.2]) by inbound.isp.example.com; Mon, 03 Mar 2025 11:49:59 +0000\nReceived: from unknown (HELO spam) ([192.0.2.77]) by mx.isp.example.com with SMTP; Mon, 03 Mar 2025 11:49:58 +0000\nReceived: from localhost (localhost [127.0.0.1]) by spam; Mon, 03 Mar 2025 11:49:57 +0000\n",
    );
    assert_eq!(c.reported_ips.iter().map(ToString::to_string).collect::<Vec<_>>(), ["192.0.2.77"]);
    // Internal addresses are skipped, folded headers are read whole.
    let c = arf(
        "Received: from internal (internal [10.0.0.5])\n\tby inbound.isp.example.com; Mon, 03 Mar 2025 11:49:59 +0000\nReceived: from cgnat (cgnat [100.64.1.1]) by internal; Mon, 03 Mar 2025 11:49:59 +0000\nReceived: from ula ([fd00::1]) by cgnat; Mon, 03 Mar 2025 11:49:59 +0000\nReceived: from sender.example.org\n\t(sender.example.org [203.0.113.25])\n\tby mx.isp.example.com with SMTP; Mon, 03 Mar 2025 11:49:58 +0000\n",
    );
    assert_eq!(c.reported_ips.iter().map(ToString::to_string).collect::<Vec<_>>(), ["203.0.113.25"]);
}

#[test]
fn forwarded_complaint_ids_reach_other_ids() {
    let c = extract(
        "From: Provider Abuse <abuse@provider.example.com>\nTo: op@example.org\nSubject: Abuse Message [AbuseID:ABC123:1F]: Hacking attempts\nDate: Mon, 03 Mar 2025 12:00:00 +0000\n\nDear Sir or Madam,\n\nwe have received the following complaint.\n\n---------- Forwarded message ---------\nFrom: CERT <cert@cert.example.org>\nSubject: [CERT#998877] Attack from 192.0.2.88\nDate: Sun, 2 Mar 2025 10:00:00 +0100\n\nHello, we saw attacks from 192.0.2.88 against our server.\nOur reference: INC-2025-4711\n2025-03-02 09:59:00 UTC 192.0.2.88 -> 198.51.100.9:443\n",
    );
    assert_eq!(c.ticket_id.as_deref(), Some("AbuseID:ABC123:1F"));
    assert!(c.other_ids.contains(&"CERT#998877".to_string()), "{:?}", c.other_ids);
    assert!(c.other_ids.contains(&"INC-2025-4711".to_string()), "{:?}", c.other_ids);
    let c = extract(
        "From: Support <support@host.example.com>\nTo: op@example.org\nSubject: [Ticket ID: 556677] Abuse complaint\nDate: Mon, 03 Mar 2025 12:00:00 +0000\n\nHello,\n\nplease see the complaint below.\n\n-------- Original Message --------\nSubject: Abuse report #A-12345 for 192.0.2.89\nFrom: noc@victim.example.org\n\nTicket number: A-12345\nReport date: 2025-03-02\nAttack from 192.0.2.89 at 2025-03-02 09:59:00 UTC.\n",
    );
    assert_eq!(c.ticket_id.as_deref(), Some("556677"));
    assert_eq!(c.other_ids, ["A-12345"]);
}

#[test]
fn victim_ports_after_the_address() {
    let c = extract("SSH brute force against 203.0.113.250 port 22 from 192.0.2.1.\n2025-03-03 10:00:00 UTC\n");
    assert_eq!(c.dest_ports, [22]);
    let c = extract("Attack from 192.0.2.1 against our server 198.51.100.1 port 22 at 2025-03-03T10:00:00Z\n");
    assert_eq!(c.dest_ports, [22]);
    // The offender's own (source) port is no destination.
    let c = extract("Failed password for root from 192.0.2.1 port 4444 at 2025-03-03T10:00:00Z\n");
    assert!(c.dest_ports.is_empty(), "{:?}", c.dest_ports);
}

#[test]
fn masked_addresses_are_named_beside_readable_ones() {
    let c =
        extract("Port scans from 198.51.100.52 at 2025-03-03T10:00:00Z.\nAnother host 203.0.113.xxx was seen too.\n");
    assert_eq!(c.reported_ips.len(), 1);
    assert!(c.problems.iter().any(|p| p.contains("203.0.113.xxx") && p.contains("masked")), "{:?}", c.problems);
}

#[test]
fn log_content_does_not_make_a_report_date() {
    // A user named "ko" (a kick-off elsewhere) or "deadline" inside the log
    // line is the log's content; the zone is a standard/summer pair in prose.
    let c = extract(
        "Host of attacker: 192.0.2.44\n\nLogfile entries (time is CE(S)T):\n\
         Sun Aug 23 01:38:42 2020: user: network service: ssh target: 198.51.100.7 source: 192.0.2.44\n\
         Sun Aug 23 01:22:31 2020: user: ko service: ssh target: 198.51.100.7 source: 192.0.2.44\n\
         Sun Aug 23 01:16:45 2020: user: deadline service: ssh target: 198.51.100.7 source: 192.0.2.44\n...\n",
    );
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(|t| t.to_string()).collect();
    assert_eq!(times, ["2020-08-22T23:16:45Z", "2020-08-22T23:22:31Z", "2020-08-22T23:38:42Z"], "{:?}", c.problems);
    // A report date stays a report date.
    let c =
        extract("Attack from 192.0.2.44\nReport generated: 2025-03-03 10:00:00 UTC\nTime: 2025-03-02 08:00:00 UTC\n");
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(|t| t.to_string()).collect();
    assert_eq!(times, ["2025-03-02T08:00:00Z"]);
}

#[test]
fn victims_in_a_described_system_and_abbreviated_columns() {
    assert_eq!(
        ips("the IP address '192.0.2.13', which belongs to your address space, has been used\n\
             for network abuse against one of our monitored systems (IP: 198.51.100.16). The entire\n\
             log is attached (timezone is UTC+0200).\n\
             Oct 16 08:35:46 localhost sshd[13178]: Invalid user katie from 192.0.2.13 port 54950\n"),
        ["192.0.2.13"]
    );
    let c = extract(
        "Here is the list of IPs with these column names:\n\n\
         Time,Destination IP,Dest. Port,Source IP,Sc. Port,Type\n\
         2021-04-09 09:59:57.406184 CET +0000,198.51.100.4,445,192.0.2.157,4206,Worm\n",
    );
    let ips: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    assert_eq!(ips, ["192.0.2.157"]);
    assert_eq!(c.dest_ports, [445]);
    assert_eq!(c.events[0].time_utc.unwrap().to_string(), "2021-04-09T09:59:57Z");
    assert!(c.problems.iter().any(|p| p.contains("CET +0000")), "{:?}", c.problems);
}

#[test]
fn disagreements_and_odd_addresses_become_problems() {
    // The subject accuses an address the body does not: a human decides.
    let c = extract(
        "From: a@example.org\nSubject: Please stop this scammer, IPs: 203.0.113.189, 198.51.100.208\n\
         Date: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         The spam came from 198.51.100.208 at 2025-03-03 10:00:00 UTC.\n\
         The site resolves: hxxp://example[.]org -> 203.0.113.189\n",
    );
    assert!(
        c.problems.iter().any(|p| p.contains("candidate offenders disagree") && p.contains("203.0.113.189")),
        "{:?}",
        c.problems
    );
    // A private offender is reported as such.
    let c = extract("Attacks from 10.1.2.3 at 2025-03-03 10:00:00 UTC\n");
    assert!(c.problems.iter().any(|p| p.contains("10.1.2.3 is a private")), "{:?}", c.problems);
    // "CET" for a summer date may mean the local clock.
    let c =
        extract("Attacks from 192.0.2.5. Logfiles are always in CET.\n2022-05-31 17:18:53 login failed 192.0.2.5\n");
    assert!(c.problems.iter().any(|p| p.contains("CEST is in force")), "{:?}", c.problems);
    // A subject naming the accused agrees with the body: no problem.
    let c = extract(
        "From: a@example.org\nSubject: Attack from 192.0.2.9 against 198.51.100.1\nDate: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         We saw attacks from 192.0.2.9 against our server 198.51.100.1 at 2025-03-03 10:00:00 UTC.\n",
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
}

#[test]
fn an_unread_archive_is_named() {
    let msg = "From: a@example.org\nSubject: Report\nDate: Tue, 04 Mar 2025 09:00:00 +0000\nMIME-Version: 1.0\n\
               Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\
               Attack from 192.0.2.5 at 2025-03-03 10:00:00 UTC; the full list is attached.\n\
               --b\nContent-Type: application/zip; name=\"report.zip\"\nContent-Disposition: attachment; filename=\"report.zip\"\n\
               Content-Transfer-Encoding: base64\n\nUEsDBBQAAAAIAAAAIQA=\n--b--\n";
    let c = Extractor::new().extract(msg.as_bytes(), "test");
    assert!(c.problems.iter().any(|p| p.contains("report.zip") && p.contains("ZIP archive")), "{:?}", c.problems);
}

/// A one-member ZIP archive (stored, no compression) of `data`.
fn stored_zip(name: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b"PK\x03\x04\x14\x00\x00\x00\x00\x00".to_vec();
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let cd = out.len() as u32;
    let mut c = b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00".to_vec();
    c.extend_from_slice(&[0; 8]);
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(&(name.len() as u16).to_le_bytes());
    c.extend_from_slice(&[0; 16]);
    c.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&c);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    out.extend_from_slice(&(c.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn a_zipped_report_is_read() {
    use base64::Engine as _;
    let csv = "\"timestamp\",\"ip\",\"protocol\",\"port\"\n\"2025-03-07 10:00:00\",\"192.0.2.44\",\"tcp\",\"179\"\n";
    let z = base64::engine::general_purpose::STANDARD.encode(stored_zip("events.csv", csv.as_bytes()));
    let msg = format!(
        "From: reports@example.org\nSubject: Accessible service report\nDate: Sat, 08 Mar 2025 09:00:00 +0000\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThe report is attached.\n\
         --b\nContent-Type: application/zip; name=\"report.zip\"\nContent-Disposition: attachment; filename=\"report.zip\"\n\
         Content-Transfer-Encoding: base64\n\n{z}\n--b--\n"
    );
    let c = Extractor::new().extract(msg.as_bytes(), "test");
    let ips: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    assert_eq!(ips, ["192.0.2.44"], "{:?}", c.problems);
    assert!(!c.problems.iter().any(|p| p.contains("ZIP")), "{:?}", c.problems);
}

#[test]
fn more_incident_labels() {
    let c = extract(
        "Associated IP Addresses:\n192.0.2.160\n192.0.2.72\n\n\
         First detection of malicious activity: 18-12-2020 08:46 EET\n\
         Most recent observation of malicious activity: 12-01-2021 15:32 EET\n",
    );
    let ips: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    assert_eq!(ips, ["192.0.2.160", "192.0.2.72"]);
    let times: Vec<String> = c.events.iter().filter_map(|e| e.time_utc).map(|t| t.to_string()).collect();
    assert_eq!(times, ["2020-12-18T06:46:00Z", "2021-01-12T13:32:00Z"]);
}

#[test]
fn ports_from_tcpdump_and_server_columns() {
    // tcpdump on one line, and tcpdump -v with the flow on a later line; a
    // reply in the other direction names no destination port.
    let c = extract(
        "SYN sweep from 192.0.2.151:\n\
         Dec 31 12:43:22.038193 192.0.2.151.55375 > xxx.xxx.xxx.105.1433: S 73356:73356(0) win 1024\n\
         Dec 31 12:43:22.241393 192.0.2.151.55490 > xxx.xxx.xxx.127.1433: S 23906:23906(0) win 1024\n",
    );
    assert_eq!(c.dest_ports, [1433]);
    let c = extract(
        "Flood from 192.0.2.200. Date/timestamps (at the very left) are UTC.\n\n\
         2017-10-22 21:04:10.161427 IP (tos 0x0, ttl 53, id 12492, offset 0, flags [none], proto TCP (6), length 1064)\n\
         \x20   192.0.2.200.42427 > 198.51.100.x.443: Flags [.], seq 329192453:329193477, ack 1, win 54208, length 1024\n\
         2017-10-22 21:04:10.161500 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 40)\n\
         \x20   198.51.100.9.443 > 192.0.2.200.42427: Flags [R], seq 1, win 0, length 0\n",
    );
    assert_eq!(c.dest_ports, [443]);
    // A reflection: the reported host's service answers to a high port.
    let c = extract(
        "Open NTP server 192.0.2.4 used in a reflection attack. Times are UTC.\n\
         2015-12-05 16:23:07.269057 IP 192.0.2.4.123 > 198.51.100.x.34696: NTPv2, Reserved, length 440\n",
    );
    assert!(c.dest_ports.is_empty(), "{:?}", c.dest_ports);
    let c = extract(
        "Please find a list of infected IP addresses attached.\n\n\
         # Timestamp,ClientIP,Botname,ServerIP,Domainname,ClientPort,ServerPort\n\
         08.05.2023 09:31:00 +0000,192.0.2.215,ssh-brute-force,198.51.100.4,,53010,22\n",
    );
    let ips: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    assert_eq!(ips, ["192.0.2.215"]);
    assert_eq!(c.dest_ports, [22]);
}

#[test]
fn targets_are_the_complainants_own_systems() {
    let c = extract(
        "From: a@example.org\nSubject: Attack\nDate: Tue, 04 Mar 2025 09:00:00 +0000\n\n\
         We saw attacks from 192.0.2.9 against our server 198.51.100.1 at 2025-03-03 10:00:00 UTC.\n\
         2025-03-03 10:00:01 UTC 192.0.2.9:40000 -> 198.51.100.2:22\n",
    );
    let accused: Vec<String> = c.reported_ips.iter().map(ToString::to_string).collect();
    let targets: Vec<String> = c.target_ips.iter().map(ToString::to_string).collect();
    assert_eq!(accused, ["192.0.2.9"]);
    assert_eq!(targets, ["198.51.100.1", "198.51.100.2"]);
}

fn utc_times(body: &str) -> Vec<String> {
    extract(body).events.iter().filter_map(|e| e.time_utc.map(exitdesk_model::format_utc)).collect()
}

#[test]
fn a_labelled_statement_goes_on_over_lines() {
    // A value list under its label.
    assert_eq!(
        utc_times(
            "IP address:               2001:db8::5\nDates/times of activity:  2025-02-14 03:22:10 UTC\n                           2025-02-14 03:40:56 UTC\n"
        ),
        ["2025-02-14T03:22:10Z", "2025-02-14T03:40:56Z"]
    );
    // The sentence goes on to the next line.
    assert_eq!(
        utc_times(
            "Your IP 192.0.2.25 floods us. It started at 2025-07-19 20:15 UTC and it is still going on now\n(2025-07-19 22:30 UTC).\n"
        ),
        ["2025-07-19T20:15:00Z", "2025-07-19T22:30:00Z"]
    );
    // The end of what was observed is no deadline.
    assert_eq!(
        utc_times(
            "IP address:      192.0.2.9\nObserved from:   2025-04-11 14:22:10 UTC\nObserved until:  2025-04-11 16:05:48 UTC\n"
        ),
        ["2025-04-11T14:22:10Z", "2025-04-11T16:05:48Z"]
    );
    // A sentence that ended does not lend its label to the next line's time.
    assert_eq!(
        utc_times("Attack seen at 2025-07-19 20:15 UTC from 192.0.2.25.\n2025-08-01 00:00 UTC we delete this ticket\n"),
        ["2025-07-19T20:15:00Z"]
    );
}

#[test]
fn a_deadline_sentence_broken_before_its_time_is_no_incident() {
    let c = extract(
        "On 02.10.2025 we forwarded to you a complaint about 192.0.2.9.\nThis is the final reminder. If we receive no reply by\n04.10.2025 16:00 CEST, the IP address 192.0.2.9 will be null-routed.\n",
    );
    assert!(c.events.is_empty(), "{:?}", c.events);
    assert_eq!(c.incident_date, None);
}

#[test]
fn since_in_other_languages_labels_a_time() {
    assert_eq!(
        utc_times(
            "Depuis le 7 mars 2025 à 14h22 (heure de Paris), des commentaires publicitaires\nsont publiés depuis l'adresse 192.0.2.201.\nLe dernier est arrivé le 8 mars 2025 à 9h05.\n"
        ),
        ["2025-03-07T13:22:00Z", "2025-03-08T08:05:00Z"]
    );
}

#[test]
fn an_enclosed_complaint_to_an_abuse_desk_is_a_forward() {
    let raw = "From: Hoster Abuse <abuse@hoster.example.net>\nTo: abuse@exits.example.org\nSubject: [HX-1] flood from 192.0.2.61\n\
        Date: Thu, 11 Dec 2025 19:05:31 +0100\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
        Content-Type: text/plain\n\nHello,\n\nplease find attached a complaint we received about 192.0.2.61.\n\n--b\n\
        Content-Type: message/rfc822\n\nFrom: NOC <noc@victim.example.com>\nTo: abuse@hoster.example.net\n\
        Subject: SYN flood from 192.0.2.61\nDate: Thu, 11 Dec 2025 18:40:22 +0000\n\
        MIME-Version: 1.0\nContent-Type: text/plain\n\n\
        We observed a SYN flood attack from 192.0.2.61 towards our frontend.\n\n\
        Time (UTC)           Source          Destination     Dst port  Packets/s\n\
        2025-12-11 18:02:10  192.0.2.61      198.51.100.99   443        92,400\n\
        2025-12-11 18:17:10  192.0.2.61      198.51.100.99   80         64,030\n\n--b--\n";
    let c = extract(raw);
    assert_eq!(c.format, exitdesk_model::Format::ForwardedIsp);
    assert_eq!(c.events.len(), 2, "{:?}", c.events);
    assert_eq!(c.dest_ports, [443, 80]);
    // The same mail enclosed as a sample addressed to a person stays a sample.
    let sample = raw.replace("To: abuse@hoster.example.net", "To: jane@hoster.example.net");
    assert_ne!(extract(&sample).format, exitdesk_model::Format::ForwardedIsp);
}

#[test]
fn every_row_under_a_labelled_column_counts() {
    assert_eq!(
        utc_times(
            "All three orders came from 192.0.2.201.\n\n  Order no.    Zeitpunkt (MESZ)        Amount\n  100482731    14.10.2025 21:07:33     389,90 EUR\n  100482735    14.10.2025 21:19:02     412,50 EUR\n  100482740    14.10.2025 21:26:48     296,00 EUR\n"
        ),
        ["2025-10-14T19:07:33Z", "2025-10-14T19:19:02Z", "2025-10-14T19:26:48Z"]
    );
}

#[test]
fn the_next_hop_of_a_mail_delivery_is_no_offender() {
    assert_eq!(
        ips(
            "Every spam came from 192.0.2.15 through our contact form.\n\nJul 14 03:22:11 web01 postfix/smtp[1834]: 4F2A1C0E1: to=<a@mail.example.net>, relay=mx.mail.example.net[198.51.100.2]:25, delay=1.1, status=sent (250 Ok)\n"
        ),
        ["192.0.2.15"]
    );
    // sendmail's relay= is the connecting client.
    assert_eq!(
        ips(
            "Oct 30 06:19:20 hera sm-mta[22510]: 49U5JHiF022510: AUTH failure (PLAIN): authentication failure, relay=host.example.net [192.0.2.94] (may be forged)\n"
        ),
        ["192.0.2.94"]
    );
}

#[test]
fn the_date_of_a_pasted_windows_event_is_an_incident_time() {
    let body = "Logon attempts from 192.0.2.23 on our terminal server. First event (times in UTC):\n\n  Log Name:      Security\n  Source:        Microsoft-Windows-Security-Auditing\n  Date:          11.02.2025 23:41:07\n  Event ID:      4625\n\nThe last one was logged at 12.02.2025 07:12:55 UTC.\n";
    assert_eq!(utc_times(body), ["2025-02-11T23:41:07Z", "2025-02-12T07:12:55Z"]);
    // A pasted mail's Date: line stays a mail's date.
    let mail = "Logon attempts from 192.0.2.23, the last logged at 12.02.2025 07:12:55 UTC.\n\n  From: a@example.org\n  Date:          11.02.2025 23:41:07\n  Subject: x\n";
    assert_eq!(utc_times(mail), ["2025-02-12T07:12:55Z"]);
}

#[test]
fn logged_in_other_languages_labels_a_time() {
    assert_eq!(
        utc_times(
            "Anmeldeversuche von 192.0.2.23. Erstes Ereignis: siehe oben.\nBis heute wurden 2.318 Ereignisse protokolliert, das letzte am\n12.02.2025 um 07:12:55 Uhr (MEZ).\n"
        ),
        ["2025-02-12T06:12:55Z"]
    );
}

#[test]
fn a_date_ending_the_line_above_dates_its_clocks() {
    assert_eq!(
        utc_times(
            "Tentativas a partir do endereço IP\n192.0.2.181, que pertence à rede de vocês, no dia 15/06/2025 entre\n02:11:09 e 02:48:30 (horário de Brasília).\n"
        ),
        ["2025-06-15T05:11:09Z", "2025-06-15T05:48:30Z"]
    );
    assert_eq!(
        utc_times(
            "La dirección IP 192.0.2.123 se observó por última vez el 20 de noviembre de 2025 a las\n06:00:12 (hora peninsular, UTC+1).\n"
        ),
        ["2025-11-20T05:00:12Z"]
    );
    // A sentence that ended above lends no date.
    assert!(utc_times("Attacks from 192.0.2.5 were seen on 15/06/2025.\n02:11:09 is when our backup ran\n").is_empty());
}

#[test]
fn a_zone_starting_the_next_line_after_a_comma() {
    assert_eq!(
        utc_times(
            "Both messages were submitted from 192.0.2.111.\nThe messages arrived on March 2, 2026 at 9:47:12 PM and at 10:03:55 PM,\nPacific Standard Time.\n"
        ),
        ["2026-03-03T05:47:12Z", "2026-03-03T06:03:55Z"]
    );
}

#[test]
fn a_span_going_on_to_the_next_line_gives_both_ends_their_date_and_zone() {
    assert_eq!(
        utc_times(
            "С IP-адреса 192.0.2.66, принадлежащего вашей сети, 11.10.2025 с 01:12:40\nпо 03:55:02 по московскому времени (UTC+3) выполнялись попытки входа.\n"
        ),
        ["2025-10-10T22:12:40Z", "2025-10-11T00:55:02Z"]
    );
}

#[test]
fn a_body_asking_to_quote_an_id_in_replies_gives_the_ticket() {
    let c = extract(
        "Brute force from 192.0.2.58 against our sites.\n\nPlease quote incident ID PWH-SEC-10422 in any reply.\n",
    );
    assert_eq!(c.ticket_id.as_deref(), Some("PWH-SEC-10422"));
}

#[test]
fn who_did_it_in_private_complainants_words() {
    assert_eq!(
        ips(
            "I run a small blog (it's on a cheap VPS at\n192.0.2.44) and since yesterday somebody at 198.51.100.31 has\nbeen downloading every page.\n"
        ),
        ["198.51.100.31"]
    );
    assert_eq!(
        ips("Our clinic received threatening messages. Our web host traced all of the submissions to 198.51.100.45.\n"),
        ["198.51.100.45"]
    );
    assert_eq!(ips("Our web host traced\nall of the submissions to 198.51.100.45.\n"), ["198.51.100.45"]);
}

#[test]
fn an_auto_reply_or_a_bounce_accuses_nobody() {
    let ooo = "From: jane@example.org\nSubject: Automatic reply: Re: abuse report for 192.0.2.88\nDate: Tue, 04 Mar 2025 09:00:00 +0000\n\nI am out of the office until Monday.\n\n> Your address 192.0.2.88 attacked our server.\n";
    assert!(ips(ooo).is_empty());
    // A tracker's complaint sent with Auto-Submitted: auto-replied still accuses.
    let tracker = "From: cert@example.org\nSubject: [CERT #1] SSH brute-force\nAuto-Submitted: auto-replied\nDate: Tue, 04 Mar 2025 09:00:00 +0000\n\nThe address 192.0.2.88 attacked our server.\n";
    assert_eq!(ips(tracker), ["192.0.2.88"]);
}

#[test]
fn an_accused_network_is_a_problem() {
    let c = extract("Scans from your network 192.0.2.0/24 against our hosts at 2025-03-03T10:00:00Z.\n");
    assert!(c.problems.iter().any(|p| p.contains("192.0.2.0/24")), "{:?}", c.problems);
    let c = extract("Scans from 192.0.2.7/32 against our hosts at 2025-03-03T10:00:00Z.\n");
    assert!(!c.problems.iter().any(|p| p.contains("network")), "{:?}", c.problems);
}

#[test]
fn an_accused_network_named_with_its_host_is_no_problem() {
    let c =
        extract("We saw a flood from 203.0.113.160, part of the subnet 203.0.113.160/28, at 2025-03-03T10:00:00Z.\n");
    assert!(!c.problems.iter().any(|p| p.contains("network")), "{:?}", c.problems);
}

fn times(body: &str) -> Vec<String> {
    extract(body).events.iter().filter_map(|e| e.time_utc).map(|t| t.to_string()).collect()
}

#[test]
fn statements_over_wrapped_lines_keep_their_times_and_zone() {
    // The second date cut by the wrap; the zone closes the statement.
    assert_eq!(
        times(
            "All posts came from 203.0.113.210. The first was\nsent on Saturday 8 November 2025 at 23:14 and the last on Sunday 9 November\n2025 at 00:02 (UK time).\n"
        ),
        ["2025-11-08T23:14:00Z", "2025-11-09T00:02:00Z"]
    );
    // A time continuing a keyed statement after a linking word.
    assert_eq!(
        times(
            "Spam from 203.0.113.23. The first one arrived on 7 March 2025, 14:22 (UTC+1), and the last one\non 8 March 2025, 09:05 (UTC+1).\n"
        ),
        ["2025-03-07T13:22:00Z", "2025-03-08T08:05:00Z"]
    );
    // A zone phrase broken by the wrap.
    assert_eq!(
        times(
            "Ataque a partir de 203.0.113.212: no dia 11 de novembro de 2025, entre as 14h22 e as 15h10 (hora de\nLisboa), o nosso site recebeu pedidos.\n"
        ),
        ["2025-11-11T14:22:00Z", "2025-11-11T15:10:00Z"]
    );
}

#[test]
fn a_coarse_stated_span_gives_way_to_its_log_lines() {
    let body = "Détecté le 7 mars 2025 entre 14h22 et 14h40 (heure de Paris) : un balayage depuis 198.51.100.140.\n\nExtrait (heure de Paris) :\n07/03/2025 14:22:05  TCP 198.51.100.140:41022 -> 192.0.2.17:22  SYN\n07/03/2025 14:39:41  TCP 198.51.100.140:41377 -> 192.0.2.250:8080  SYN\n";
    assert_eq!(times(body), ["2025-03-07T13:22:05Z", "2025-03-07T13:39:41Z"]);
}

#[test]
fn more_written_forms_of_a_time() {
    // A date field over a time field.
    assert_eq!(times("IP: 192.0.2.1\nDate: 2025-03-07\nTime: 14:22:10 UTC\n"), ["2025-03-07T14:22:10Z"]);
    // A US region's short name after a clock.
    assert_eq!(times("Intrusion attempt from 192.0.2.1 on 3/7/2025 at 2:22 p.m. ET\n"), ["2025-03-07T19:22:00Z"]);
    // Words between a numeric date and its clock; a dash date.
    assert_eq!(times("Attacco da 192.0.2.1 il giorno 07/03/2025 alle ore 14:22:10 (CET).\n"), ["2025-03-07T13:22:10Z"]);
    assert_eq!(times("Aanval vanaf 192.0.2.1 op 07-03-2025 om 14:22:10 uur (CET).\n"), ["2025-03-07T13:22:10Z"]);
    // A time window field; a list of the posts' Date lines.
    assert_eq!(
        times("Source: 203.0.113.xxx\nWindow:   2025-11-09T06:00:13Z - 2025-11-09T06:17:40Z\n"),
        ["2025-11-09T06:00:13Z", "2025-11-09T06:17:40Z"]
    );
    assert_eq!(
        times(
            "Spam posts from 192.0.2.99. Their Date headers:\n\n  Date: Mon, 17 Nov 2025 03:12:44 -0800\n  Date: Mon, 17 Nov 2025 04:40:19 -0800\n"
        ),
        ["2025-11-17T11:12:44Z", "2025-11-17T12:40:19Z"]
    );
}

fn ports(body: &str) -> Vec<u16> {
    extract(body).dest_ports
}

#[test]
fn destination_port_fields_in_the_desk_languages() {
    let head = "The address 192.0.2.1 attacked our server at 2025-06-09 10:00:00 UTC.\n";
    for field in [
        "Port de destination : 443",
        "Puerto de destino: 443",
        "Porta di destinazione: 443",
        "Doelpoort: 443",
        "Port docelowy: 443",
        "Порт назначения: 443",
        "Porta de destino: 443",
    ] {
        assert_eq!(ports(&format!("{head}{field}\n")), [443], "{field}");
    }
    assert_eq!(ports(&format!("{head}Atak na porcie 8080.\n")), [8080]);
    // A JSON record's quoted key.
    assert_eq!(ports("{\"timestamp\":\"2025-06-09T10:00:01Z\",\"src_ip\":\"192.0.2.1\",\"dest_port\":22}\n"), [22]);
}

#[test]
fn a_day_and_month_without_a_year_take_the_messages_year() {
    // The message is dated 4 March 2025: 3 March is this year's, 20 December last year's.
    assert_eq!(times("On 3 March at 14:22 UTC the address 192.0.2.1 attacked our server.\n"), ["2025-03-03T14:22:00Z"]);
    assert_eq!(times("On December 20 at 9:05 pm UTC the address 192.0.2.1 attacked us.\n"), ["2024-12-20T21:05:00Z"]);
    // A month must be a whole month name.
    assert!(times("Port 22 at 14:22 UTC was hit by 192.0.2.1.\n").is_empty());
}
