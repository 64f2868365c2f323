//! Hostile and broken messages: each yields a result with specific problems.

use std::io::Write;

use exitdesk_extract::Extractor;

use crate::util::base64;

fn problems(bytes: &[u8]) -> Vec<String> {
    let c = Extractor::new().extract(bytes, "bad");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")), "{:?}", c.problems);
    c.problems
}

fn has(problems: &[String], needle: &str) -> bool {
    problems.iter().any(|p| p.contains(needle))
}

#[test]
fn empty_message() {
    assert!(has(&problems(b""), "empty"));
    assert!(has(&problems(b"\r\n\r\n  \n"), "empty"));
}

#[test]
fn binary_junk() {
    let mut x: u32 = 12345;
    let junk: Vec<u8> = (0..65536)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    let p = problems(&junk);
    assert!(has(&p, "no offending IP address found"), "{p:?}");
    assert!(has(&p, "no mail headers and is not text"), "{p:?}");
}

#[test]
fn ten_megabyte_header() {
    let mut m = b"From: a@example.org\r\nX-Junk: ".to_vec();
    m.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    m.extend_from_slice(b"\r\nSubject: huge\r\n\r\nAttack from 192.0.2.5 at 2024-01-01 10:00:00 UTC\r\n");
    let c = Extractor::new().extract(&m, "huge");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")));
    assert_eq!(c.reported_ips.len(), 1, "{:?}", c.problems);
    assert!(c.problems.iter().any(|p| p.contains("header section is unusually large")), "{:?}", c.problems);
}

#[test]
fn thousand_deep_mime_nesting() {
    let mut m =
        String::from("From: a@example.org\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
    for i in 0..1000 {
        m.push_str(&format!("--b{i}\r\nContent-Type: multipart/mixed; boundary=\"b{}\"\r\n\r\n", i + 1));
    }
    m.push_str("--b1000\r\nContent-Type: text/plain\r\n\r\nAttack from 192.0.2.9\r\n--b1000--\r\n");
    for i in (0..1000).rev() {
        m.push_str(&format!("--b{i}--\r\n"));
    }
    let p = problems(m.as_bytes());
    assert!(has(&p, "nested deeper than 64 levels were not read"), "{p:?}");
}

#[test]
fn gzip_bomb_attachment() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'A'; 1024 * 1024];
    for _ in 0..64 {
        enc.write_all(&zeros).unwrap();
    }
    let gz = enc.finish().unwrap();
    let b64 = base64(&gz);
    let m = format!(
        "From: a@example.org\r\nSubject: bomb\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nSee attachment; attack from 192.0.2.10.\r\n--x\r\nContent-Type: application/gzip; name=\"log.txt.gz\"\r\nContent-Disposition: attachment; filename=\"log.txt.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--x--\r\n"
    );
    let c = Extractor::new().extract(m.as_bytes(), "bomb");
    assert!(
        c.problems.iter().any(|p| p.contains("the first 8.0 MiB were read") && p.contains("gzip bomb")),
        "{:?}",
        c.problems
    );
    assert_eq!(c.reported_ips.len(), 1);
}

/// The 16 MiB text bound keeps the first 16 MiB of the part it cuts (the
/// facts at its top survive), and names that part and what was left, and the
/// parts after it.
#[test]
fn text_over_the_bound_is_cut_not_dropped() {
    let filler = "y".repeat(70) + "\n";
    let mut m = String::from(
        "From: a@example.org\nSubject: s\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\nContent-Type: text/plain\n\n",
    );
    m.push_str("Attack from 192.0.2.5 at 2024-01-01 10:00:00 UTC\n");
    m.push_str(&filler.repeat(17 * 1024 * 1024 / filler.len()));
    m.push_str("--x\nContent-Type: text/plain\n\nmore text 192.0.2.6\n--x--\n");
    let c = Extractor::new().extract(m.as_bytes(), "big");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")));
    assert_eq!(c.reported_ips.first().map(ToString::to_string).as_deref(), Some("192.0.2.5"), "{:?}", c.problems);
    assert_eq!(c.events.len(), 1);
    assert!(
        has(
            &c.problems,
            "the text of text part 1 was cut at the limit of 16.0 MiB of text per message: its first 16.0 MiB were read, the 1.0 MiB after them were not"
        ),
        "{:?}",
        c.problems
    );
    assert!(has(&c.problems, "1 more text part(s) (19 bytes) after the limit"), "{:?}", c.problems);
}

/// An enclosed message's header block is its own, not everything before it
/// (mail-parser's offsets point into the outer message): 64 levels of
/// `message/rfc822` each with a long folded subject stay small.
#[test]
fn nested_messages_keep_their_own_headers() {
    let subject = format!("Subject: {}\n", vec!["word"; 400].join("\n "));
    let mut m = format!("From: inner@example.org\n{subject}\nattack from 192.0.2.1\n");
    for level in 0..64 {
        m = format!("From: l{level}@example.org\n{subject}Content-Type: message/rfc822\n\n{m}");
    }
    let c = Extractor::new().extract(m.as_bytes(), "nested");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")), "{:?}", c.problems);
    assert_eq!(c.complainant.address.as_deref(), Some("l63@example.org"));
    // The first enclosed header block is that of level 62, without the outer
    // message's headers before it.
    let h = &c.text.headers;
    assert!(h.contains("From: l62@example.org") && !h.contains("l63@example.org"), "{}", &h[..h.len().min(300)]);
}

#[test]
fn broken_headers_and_boundaries() {
    let m = b"??: garbage\r\nFrom \r\nSubject: =?UTF-8?Q?Important=3a_Please_Review_Y..\r\nContent-Type: multipart/mixed; boundary=\"nope\"\r\n\r\n--wrong\r\nAttack from 192.0.2.11\r\n";
    let c = Extractor::new().extract(m, "broken");
    assert!(!c.problems.iter().any(|p| p.contains("internal error")));
    assert_eq!(c.reported_ips.first().map(ToString::to_string).as_deref(), Some("192.0.2.11"));
}

/// Shapes that once crashed the extractor or made it quadratic (found by review
/// and fuzzing). Each must give a result; none may take long.
#[test]
fn hostile_shapes_are_handled() {
    let mail = |body: String| format!("From: a@example.org\nSubject: s\n\n{body}\n").into_bytes();
    let mut nested = String::new();
    for _ in 0..2000 {
        nested.push_str("Content-Type: application/octet-stream; name=\"a.eml\"\nContent-Disposition: attachment; filename=\"a.eml\"\n\n");
    }
    nested.push_str("attack from 192.0.2.1\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("attached messages nested 2000 deep", nested.into_bytes()),
        ("a zone run into the next timestamp", mail("2024-01-01 00:00:00 +12-05-2024 10:00:00".into())),
        ("5000 timestamps on one line", mail(format!("Time: {}", "2024-01-01 00:00:00 ".repeat(5000)))),
        (
            "20000 addresses without spaces",
            mail((0..20000).map(|i| format!("192.0.{}.{}", i / 250, i % 250 + 1)).collect::<Vec<_>>().join(",")),
        ),
        (
            "40000 empty head elements",
            format!("Content-Type: text/html\n\n{}", "<head></head>".repeat(40000)).into_bytes(),
        ),
        ("a megabyte of '<'", format!("Content-Type: text/html\n\n{}", "<".repeat(1 << 20)).into_bytes()),
        ("20000 zone keywords", mail("timezone ".repeat(20000))),
        ("40000 report ids", mail((0..40000).map(|i| format!("Report-ID: r{i:07}")).collect::<Vec<_>>().join("\n"))),
        ("40000 whois lines", mail("netname: X\n".repeat(40000))),
    ];
    for (what, bytes) in cases {
        let c = Extractor::new().extract(&bytes, "hostile");
        assert!(!c.problems.iter().any(|p| p.contains("internal error")), "{what}: {:?}", c.problems);
        if what == "5000 timestamps on one line" {
            // The 100 KB line is read in 8 KiB pieces of about 400 timestamps.
            let said = "timestamps were not read: on lines with more than 256 only the first 256 were";
            assert!(c.problems.iter().any(|p| p.ends_with(said)), "{:?}", c.problems);
        }
    }
}

#[test]
fn auto_replies_and_bounces_are_recognised() {
    use exitdesk_model::AutoResponse;
    let ex = Extractor::new();
    let auto = b"From: abuse@hoster.example\r\nSubject: Re: Abuse\r\nAuto-Submitted: auto-replied\r\n\r\nWe received your message.\r\n";
    assert_eq!(ex.extract(auto, "a").auto_response, Some(AutoResponse::AutoReply));
    let ooo = b"From: sam@reporter.example\r\nSubject: Out of Office: abuse report\r\n\r\nI am away until Monday.\r\n";
    assert_eq!(ex.extract(ooo, "b").auto_response, Some(AutoResponse::AutoReply));
    let bounce = b"From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--b--\r\n";
    assert_eq!(ex.extract(bounce, "c").auto_response, Some(AutoResponse::Bounce));
    // Reports generated by software are not auto-replies: they need an answer.
    let generated = b"From: reports@blocklist.example\r\nSubject: abuse report about 192.0.2.1\r\nAuto-Submitted: auto-generated\r\n\r\nssh login attempts from 192.0.2.1\r\n";
    assert_eq!(ex.extract(generated, "d").auto_response, None);
}

#[test]
fn header_only_message() {
    let p = problems(b"From: a@example.org\nSubject: nothing");
    assert!(!has(&p, "damaged"), "{p:?}");
    let c = Extractor::new()
        .extract(b"From: a@example.org\nSubject: hello\n\nAttack from 192.0.2.5 at 2024-01-01 10:00:00 UTC\n", "ok");
    assert!(!c.problems.iter().any(|p| p.contains("binary")), "{:?}", c.problems);
}
