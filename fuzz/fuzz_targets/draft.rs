//! Fuzz target: any bytes through extraction, classification and drafting,
//! and the reply checked as a mail reader would see it.
//!
//! With the built-in templates a draft must always render and build. The
//! built message is then read back with mail-parser and must say what the
//! draft says: only the headers exitdesk writes, each once, every line
//! CRLF-terminated and at most 998 bytes, folded lines starting with
//! white space; `To` absent or one valid addr-spec of at most 254 bytes;
//! `Subject`, `From`, `Message-ID`, `In-Reply-To` and the body equal to the
//! draft's; the subject keeping the extracted ticket id. The draft's JSON
//! (as the store keeps it) builds the same bytes.
//!
//! Run: see `fuzz/README.md` (`fuzz/run.sh draft 60`).

#![no_main]

use std::sync::OnceLock;

use exitdesk_classify::Classifier;
use exitdesk_compose::{
    Composer, Draft, DraftRequest, IntroLevel, NetworkConfig, OperatorConfig, Outcome, ReplyConfig,
};
use exitdesk_extract::Extractor;
use exitdesk_model::Complaint;
use libfuzzer_sys::fuzz_target;
use mail_parser::{HeaderValue, MessageParser};

struct Stages {
    extractor: Extractor,
    classifier: Classifier,
    composer: Composer,
}

static STAGES: OnceLock<Stages> = OnceLock::new();

/// The headers a reply carries; anything else is an injection.
const HEADERS: &[&str] = &[
    "from",
    "to",
    "subject",
    "message-id",
    "x-exitdesk",
    "date",
    "auto-submitted",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

fuzz_target!(|data: &[u8]| {
    let s = STAGES.get_or_init(|| Stages {
        extractor: Extractor::new(),
        classifier: Classifier::builtin().expect("built-in classifier"),
        composer: Composer::builtin().expect("built-in templates"),
    });
    let c = s.extractor.extract(data, "fuzz");
    let k = s.classifier.classify(&c);
    let now = jiff::Timestamp::from_second(1_800_000_000).expect("time");
    let intro = [IntroLevel::Full, IntroLevel::Short, IntroLevel::None][data.len() % 3];
    let out = s
        .composer
        .draft(&DraftRequest {
            complaint: &c,
            classification: &k,
            verdict: None,
            intro,
            operator: &OperatorConfig::placeholder(),
            network: &NetworkConfig::default(),
            reply: &ReplyConfig::default(),
            now,
            force: true,
            blocklist: None,
            // The accused addresses as ours (when the input's first byte is
            // even), or none: both ownership paths of the letter.
            our_addresses: if data.first().is_some_and(|b| b % 2 == 0) { &c.reported_ips } else { &[] },
            channel: None,
        })
        .expect("built-in templates render for any complaint");
    if let Outcome::Draft(d) = out {
        let bytes = d.to_message().expect("the reply builds");
        check(&c, &d, &bytes);
        let json = serde_json::to_string(&d).expect("a draft serialises");
        let back: Draft = serde_json::from_str(&json).expect("a draft reads back");
        assert_eq!(back.to_message().expect("the stored draft builds"), bytes, "the stored draft builds other bytes");
    }
});

fn check(c: &Complaint, d: &Draft, bytes: &[u8]) {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a header section ends with an empty line");
    let head = &bytes[..end + 2];
    let mut seen: Vec<String> = Vec::new();
    for line in head.split_inclusive(|&b| b == b'\n') {
        let show = String::from_utf8_lossy(line);
        assert!(line.ends_with(b"\r\n"), "header line without CRLF: {show:?}");
        let text = &line[..line.len() - 2];
        assert!(!text.contains(&b'\r') && !text.contains(&b'\n'), "bare CR or LF in a header: {show:?}");
        assert!(text.len() <= 998, "header line of {} bytes (> 998)", text.len());
        if text.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            assert!(!seen.is_empty(), "the header section starts with a continuation line");
            assert!(text.iter().any(|b| !b.is_ascii_whitespace()), "a folded line of white space only");
            continue;
        }
        let colon =
            text.iter().position(|&b| b == b':').unwrap_or_else(|| panic!("header line without a name: {show:?}"));
        let name = String::from_utf8_lossy(&text[..colon]).to_ascii_lowercase();
        assert!(HEADERS.contains(&name.as_str()), "unexpected header {name:?}");
        assert!(!seen.contains(&name), "header {name:?} twice");
        seen.push(name);
    }

    let m = MessageParser::default().parse(bytes).expect("the reply parses");
    let from = m.from().and_then(|a| a.first()).and_then(|a| a.address()).expect("a From address");
    assert_eq!(from, d.from.address, "From read back");
    match &d.to {
        None => assert!(m.to().is_none(), "a To header without a recipient"),
        Some(to) => {
            let list = m.to().expect("a To header");
            assert!(list.as_group().is_none(), "To read back as a group: {:?}", to.address);
            let addrs: Vec<_> = list.iter().collect();
            assert_eq!(addrs.len(), 1, "To holds {} addresses: {:?}", addrs.len(), to.address);
            assert_eq!(addrs[0].address(), Some(to.address.as_str()), "To read back");
            assert!(addr_spec(&to.address), "To is not a valid addr-spec: {:?}", to.address);
        }
    }
    assert_eq!(m.subject(), Some(d.subject.as_str()), "Subject read back");
    assert_eq!(m.message_id(), Some(d.message_id.as_str()), "Message-ID read back");
    match &d.in_reply_to {
        Some(id) => assert_eq!(m.in_reply_to().as_text(), Some(id.as_str()), "In-Reply-To read back"),
        None => assert!(matches!(m.in_reply_to(), HeaderValue::Empty), "In-Reply-To without a parent"),
    }
    let body = m.body_text(0).expect("a text body");
    assert_eq!(body.replace("\r\n", "\n").trim_end(), d.body.replace("\r\n", "\n").trim_end(), "body read back");

    if let Some(id) = c.ticket_id.as_deref() {
        let plain = id.len() <= 100 && !id.is_empty() && id.chars().all(|ch| ch.is_ascii_graphic());
        if plain {
            assert!(d.subject.contains(id), "Subject {:?} lost the ticket id {id:?}", d.subject);
        }
    }
}

/// An RFC 5322 addr-spec in dot-atom form (UTF-8 allowed, RFC 6532), at most
/// 254 bytes: what a `To:` may carry.
fn addr_spec(a: &str) -> bool {
    let atext = |c: char| {
        c.is_ascii_alphanumeric()
            || "!#$%&'*+-/=?^_`{|}~".contains(c)
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    let dot_atom = |s: &str| !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.chars().all(atext));
    let Some((local, domain)) = a.rsplit_once('@') else { return false };
    a.len() <= 254 && dot_atom(local) && dot_atom(domain) && domain.contains('.')
}
