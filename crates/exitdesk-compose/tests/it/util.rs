//! A synthetic complaint (documentation addresses only) and draft helpers.

use exitdesk_compose::{
    Composer, Draft, DraftRequest, IntroLevel, NetworkConfig, OperatorConfig, Outcome, ReplyConfig,
};
use exitdesk_model::{Classification, Complaint, Event, Label, Party, Scenario, Verdict, VerdictKind, ZoneSource};
use jiff::Timestamp;

pub(crate) fn now() -> Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

pub(crate) fn operator() -> OperatorConfig {
    OperatorConfig {
        name: "Alex Example".into(),
        email: "abuse@exit.example.org".into(),
        organisation: Some("Example Exit Collective".into()),
        website: Some("https://exit.example.org/".into()),
        jurisdiction: Some("de".into()),
        own_addresses: vec!["exits@exit.example.org".into(), "relays.example.org".into()],
        networks: Vec::new(),
    }
}

pub(crate) fn network() -> NetworkConfig {
    NetworkConfig {
        relays: Some(7000),
        exits: Some(2500),
        our_exits: Some(3),
        our_bandwidth: Some("600 Mbit/s".into()),
        as_of: Some("2026-11-20".into()),
    }
}

/// A forwarded complaint: a hoster passes on a reporter's mail.
pub(crate) fn complaint() -> Complaint {
    Complaint {
        source: "synthetic.eml".into(),
        ticket_id: Some("AbuseID:1A2B3C:4D".into()),
        reported_ips: vec!["198.51.100.7".parse().unwrap()],
        dest_ports: vec![22],
        events: vec![Event {
            ip: Some("198.51.100.7".parse().unwrap()),
            time_utc: Some("2026-11-20T14:03:00Z".parse().unwrap()),
            time_local: Some("2026-11-20T15:03:00".parse().unwrap()),
            zone_source: ZoneSource::Inline,
            zone: Some("+01:00".into()),
            dest_ip: Some("203.0.113.10".parse().unwrap()),
            dest_port: Some(22),
            protocol: Some("tcp".into()),
        }],
        complainant: Party {
            name: Some("Sam Reporter".into()),
            address: Some("abuse@reporter.example".into()),
            ..Party::default()
        },
        forwarder: Some(Party {
            name: Some("Example Hosting Abuse Team".into()),
            address: Some("abuse@hoster.example".into()),
            ..Party::default()
        }),
        subject: Some("Abuse Message [AbuseID:1A2B3C:4D]: SSH attack from 198.51.100.7".into()),
        message_id: Some("abuse-1a2b3c@hoster.example".into()),
        ..Complaint::default()
    }
}

pub(crate) fn classification(scenarios: &[(Scenario, Option<&str>)]) -> Classification {
    Classification {
        labels: scenarios
            .iter()
            .map(|(s, k)| Label { scenario: *s, subkind: k.map(str::to_string), score: 0.9 })
            .collect(),
        kind: exitdesk_model::Kind::Traffic,
        kind_reason: None,
        confidence: 0.9,
        signals: Vec::new(),
        rule: None,
    }
}

pub(crate) fn verdict(kind: VerdictKind) -> Verdict {
    Verdict {
        ip: Some("198.51.100.7".parse().unwrap()),
        time_utc: Some("2026-11-20 14:03:00 UTC".into()),
        nickname: Some("ExampleExit1".into()),
        fingerprint: Some("0123456789ABCDEF0123456789ABCDEF01234567".into()),
        consensus: Some("2026-11-20 14:00 UTC".into()),
        port: Some(22),
        policy: Some(match kind {
            VerdictKind::PolicyRejects => "reject *:22".into(),
            _ => "accept *:*".into(),
        }),
        detail: None,
        ..Verdict::new(kind)
    }
}

pub(crate) struct Ask<'a> {
    pub(crate) complaint: &'a Complaint,
    pub(crate) scenarios: &'a [(Scenario, Option<&'a str>)],
    pub(crate) intro: IntroLevel,
    pub(crate) verdict: Option<VerdictKind>,
    pub(crate) network: NetworkConfig,
    pub(crate) our_addresses: Vec<std::net::IpAddr>,
    pub(crate) channel: Option<exitdesk_model::Channel>,
    pub(crate) kind: exitdesk_model::Kind,
    pub(crate) force: bool,
    /// `[operator] networks`.
    pub(crate) networks: Vec<String>,
}

impl<'a> Ask<'a> {
    pub(crate) fn new(complaint: &'a Complaint, scenarios: &'a [(Scenario, Option<&'a str>)]) -> Ask<'a> {
        Ask {
            complaint,
            scenarios,
            intro: IntroLevel::Full,
            verdict: None,
            network: network(),
            our_addresses: vec!["198.51.100.7".parse().unwrap()],
            channel: None,
            kind: exitdesk_model::Kind::Traffic,
            force: false,
            networks: Vec::new(),
        }
    }

    pub(crate) fn outcome(&self) -> Outcome {
        let mut k = classification(self.scenarios);
        k.kind = self.kind;
        let v = self.verdict.map(verdict);
        let composer = Composer::builtin().unwrap();
        let mut op = operator();
        op.networks = self.networks.clone();
        composer
            .draft(&DraftRequest {
                complaint: self.complaint,
                classification: &k,
                verdict: v.as_ref(),
                intro: self.intro,
                operator: &op,
                network: &self.network,
                reply: &ReplyConfig::default(),
                now: now(),
                blocklist: None,
                force: self.force,
                our_addresses: &self.our_addresses,
                channel: self.channel,
            })
            .unwrap()
    }

    pub(crate) fn draft(&self) -> Draft {
        match self.outcome() {
            Outcome::Draft(d) => *d,
            other => panic!("expected a draft, got {other:?}"),
        }
    }
}

/// The draft as its snapshot shows it: the addressing, then the text.
pub(crate) fn show(d: &Draft) -> String {
    let to = d.to.as_ref().map_or("(none)".to_string(), |m| m.address.clone());
    format!(
        "To: {to}\nSubject: {}\nIn-Reply-To: {}\nAuto-Submitted: {}\n\n{}",
        d.subject,
        d.in_reply_to.as_deref().unwrap_or("(none)"),
        d.auto_submitted,
        d.body
    )
}
