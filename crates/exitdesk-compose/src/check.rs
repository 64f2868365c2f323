//! `templates check`: render every block with sample values, so an edited
//! template set fails here rather than on a real complaint under a deadline.

use exitdesk_model::{
    Classification, Complaint, Event, Kind, Label, Party, Scenario, Verdict, VerdictKind, ZoneSource,
};
use jiff::Timestamp;

use crate::compose::{Composer, DraftRequest, IntroLevel, Outcome};
use crate::config::{NetworkConfig, OperatorConfig, ReplyConfig};
use crate::wrap::WIDTH;

/// A synthetic forwarded complaint (documentation addresses only).
fn sample(forwarded: bool, no_reply: bool) -> Complaint {
    Complaint {
        source: "sample".into(),
        ticket_id: Some("SAMPLE-12345".into()),
        reported_ips: vec![std::net::IpAddr::from([192, 0, 2, 7])],
        dest_ports: vec![22],
        events: vec![Event {
            ip: Some(std::net::IpAddr::from([192, 0, 2, 7])),
            time_utc: Timestamp::from_second(1_763_647_380).ok(),
            time_local: None,
            zone_source: ZoneSource::Inline,
            zone: None,
            dest_ip: Some(std::net::IpAddr::from([203, 0, 113, 10])),
            dest_port: Some(22),
            protocol: Some("tcp".into()),
        }],
        complainant: Party {
            name: Some("Sample Reporter".into()),
            address: Some("abuse@reporter.example".into()),
            ..Party::default()
        },
        forwarder: forwarded.then(|| Party {
            name: Some("Sample Hosting".into()),
            address: Some("abuse@hoster.example".into()),
            ..Party::default()
        }),
        no_reply_needed: no_reply,
        subject: Some("Sample complaint".into()),
        message_id: Some("sample@hoster.example".into()),
        ..Complaint::default()
    }
}

impl Composer {
    /// Renders every block with sample values: each scenario, each intro
    /// level, each verdict, with and without live figures, forwarded and
    /// direct, plus the note and the playbooks. Returns every problem found
    /// (render errors, lines wider than 72 columns that are not indented).
    pub fn check(&self, operator: &OperatorConfig, network: &NetworkConfig, reply: &ReplyConfig) -> Vec<String> {
        let mut problems: Vec<String> = Vec::new();
        let now = Timestamp::from_second(1_764_064_800).unwrap_or(Timestamp::UNIX_EPOCH);
        let mut note = |p: String| {
            if !problems.contains(&p) {
                problems.push(p);
            }
        };
        let empty = NetworkConfig::default();
        let verdicts = [None, Some(VerdictKind::Exit), Some(VerdictKind::NotRelay), Some(VerdictKind::PolicyRejects)];
        let ours = [std::net::IpAddr::from([192, 0, 2, 7])];
        let answered = [
            (Kind::Traffic, &ours[..]),
            (Kind::Traffic, &[][..]),
            (Kind::Hosted, &ours[..]),
            (Kind::LawEnforcement, &[][..]),
        ];
        for s in Scenario::ALL {
            for (answer, our_addresses) in answered {
                let k = Classification {
                    labels: vec![Label { scenario: s, subkind: None, score: 1.0 }],
                    confidence: 1.0,
                    signals: Vec::new(),
                    rule: None,
                    kind: answer,
                    kind_reason: None,
                };
                for intro in [IntroLevel::Full, IntroLevel::Short, IntroLevel::None] {
                    for kind in verdicts {
                        for (net, forwarded) in [(network, true), (&empty, false)] {
                            let c = sample(forwarded, false);
                            let v = kind.map(|kind| Verdict {
                                ip: c.reported_ips.first().copied(),
                                port: Some(22),
                                ..Verdict::new(kind)
                            });
                            let req = DraftRequest {
                                complaint: &c,
                                classification: &k,
                                verdict: v.as_ref(),
                                intro,
                                operator,
                                network: net,
                                reply,
                                now,
                                blocklist: None,
                                force: false,
                                our_addresses,
                                channel: None,
                            };
                            match self.draft(&req) {
                                Ok(Outcome::Draft(d)) => {
                                    for line in d.body.lines() {
                                        if line.chars().count() > WIDTH
                                            && !line.starts_with("    ")
                                            && line.contains(' ')
                                        {
                                            note(format!("{s}: a line is wider than {WIDTH} columns: {line:?}"));
                                        }
                                    }
                                }
                                Ok(_) => note(format!("{s}: no draft for a plain sample complaint")),
                                Err(e) => {
                                    note(format!("{s} ({answer}, intro {}, verdict {kind:?}): {e}", intro.as_str()))
                                }
                            }
                        }
                    }
                }
            }
        }
        let c = sample(true, true);
        let k = Classification {
            labels: vec![Label { scenario: Scenario::DosScraping, subkind: Some("port_scan".into()), score: 1.0 }],
            confidence: 1.0,
            signals: Vec::new(),
            rule: None,
            kind: Kind::default(),
            kind_reason: None,
        };
        let req = DraftRequest {
            complaint: &c,
            classification: &k,
            verdict: None,
            intro: IntroLevel::Full,
            operator,
            network,
            reply,
            now,
            blocklist: None,
            force: false,
            our_addresses: &[],
            channel: None,
        };
        if let Err(e) = self.draft(&req) {
            note(format!("note/no_reply: {e}"));
        }
        for notes in [false, true] {
            for complaint in [None, Some(&c)] {
                if let Err(e) = self.playbook(notes, complaint, operator, network, reply, now) {
                    note(e.to_string());
                }
            }
        }
        problems
    }
}
