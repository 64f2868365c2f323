//! The draft, classify and playbook use-cases, over one resolved configuration.

use std::net::IpAddr;

use exitdesk_classify::Classifier;
use exitdesk_compose::{Blocklist, Composer, DraftRequest, IntroLevel, NetworkConfig, Outcome, wants_blocking_kit};
use exitdesk_extract::Extractor;
use exitdesk_model::{Clock, Complaint, Verdict, VerdictKind};
use exitdesk_tornet::{BlockFormat, Ours, PolicySource, Query, RelayIndex, Verification, render_blocklist};
use jiff::Timestamp;

use crate::config::Config;
use crate::err::Result;
use crate::extract::{Classified, Reader};

/// The wall clock: the one place exitdesk reads the time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// What the operator asked for when drafting.
#[derive(Debug, Clone, Copy, Default)]
pub struct DraftOptions {
    /// How much Tor intro.
    pub intro: IntroLevel,
    /// A verdict the operator states (from ExoneraTor or their own records),
    /// until network data is imported.
    pub verdict: Option<VerdictKind>,
    /// Draft even when the complaint says no reply is needed.
    pub force: bool,
}

/// The reading and replying stages, built once from a configuration.
#[derive(Debug)]
pub struct Desk {
    /// Extraction and classification (shared with ingest's reading
    /// threads), built on first use: `reader()`.
    reader: std::sync::OnceLock<std::sync::Arc<Reader>>,
    /// Reply rendering, built on first use: `composer()`.
    composer: std::sync::OnceLock<Composer>,
    /// The configuration it was built from.
    pub config: Config,
    /// Tor network data, when imported: verdicts and live figures come from it.
    pub network: Option<Network>,
}

/// The relay index and our relays.
#[derive(Debug)]
pub struct Network {
    /// The relay history.
    pub index: RelayIndex,
    /// Our relays.
    pub ours: Ours,
}

impl Desk {
    /// A desk for `config`. The classifier rules and the templates are
    /// compiled when first needed (`reader`, `composer`): commands that
    /// only look at the store or the network data never pay for them
    /// (about 0.2 s of start-up).
    pub fn new(config: Config) -> Result<Desk> {
        Ok(Desk { reader: std::sync::OnceLock::new(), composer: std::sync::OnceLock::new(), config, network: None })
    }

    /// Extraction and classification, compiled on first use (the
    /// operator's classification rules can fail to compile).
    pub fn reader(&self) -> Result<&std::sync::Arc<Reader>> {
        if let Some(r) = self.reader.get() {
            return Ok(r);
        }
        // Both compile their patterns: at once, on two threads.
        let (extractor, classifier) = std::thread::scope(|s| {
            let extractor = s.spawn(Extractor::new);
            let classifier = Classifier::new(&self.config.classify);
            (extractor.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), classifier)
        });
        let reader = std::sync::Arc::new(Reader { extractor, classifier: classifier? });
        Ok(self.reader.get_or_init(|| reader))
    }

    /// The reply templates, compiled on first use (an override can fail to parse).
    pub fn composer(&self) -> Result<&Composer> {
        if let Some(c) = self.composer.get() {
            return Ok(c);
        }
        let composer = Composer::new(&self.config.templates()?)?;
        Ok(self.composer.get_or_init(|| composer))
    }

    /// Adds network data (an empty index is left out: it could only say "no data").
    pub fn with_network(mut self, index: RelayIndex) -> Result<Desk> {
        if index.latest_hour().is_some() || index.stats()[4] > 0 {
            let ours = self.config.tornet.ours()?;
            self.network = Some(Network { index, ours });
        }
        Ok(self)
    }

    /// Checks every event of a complaint against the network data (at most
    /// 50; a flood of identical events says nothing more).
    pub fn verify_events(&self, c: &Complaint) -> Vec<Verification> {
        let Some(n) = &self.network else { return Vec::new() };
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for e in &c.events {
            let Some(ip) = e.ip else { continue };
            let mut q = if let Some(t) = e.time_utc {
                Query::at(ip, t.as_second())
            } else if let Some(local) = e.time_local {
                let Ok(t) = jiff::tz::Offset::UTC.to_timestamp(local) else { continue };
                Query::any_zone(ip, t.as_second())
            } else {
                continue;
            };
            q.dest = e.dest_ip;
            q.port = e.dest_port.or_else(|| c.dest_ports.first().copied());
            if !seen.insert((q.ip, q.from / 3600, q.to / 3600, q.dest, q.port)) {
                continue;
            }
            out.push(n.index.verify(&q, &n.ours));
            if out.len() >= 50 {
                break;
            }
        }
        out
    }

    /// Live figures: the newest network data where there is some, else the configuration.
    pub fn network_figures(&self) -> NetworkConfig {
        let mut cfg = self.config.network.clone();
        let Some(n) = &self.network else { return cfg };
        if let Some(f) = n.index.network_facts(&n.ours) {
            cfg.relays = Some(f.relays);
            cfg.exits = Some(f.exits);
            if f.ours > 0 {
                cfg.our_exits = Some(f.our_exits);
            }
            if let Some(bw) = f.our_bandwidth {
                cfg.our_bandwidth = Some(format_bandwidth(bw));
            }
            cfg.as_of = Some(f.as_of.chars().take(10).collect());
        }
        cfg
    }

    /// The exits that could reach the complainant's service now, when the
    /// complaint names its address and port and its scenario takes the blocking kit.
    pub fn blocklist(&self, m: &Classified) -> Option<Blocklist> {
        let n = self.network.as_ref()?;
        if !m.classification.labels.iter().any(|l| wants_blocking_kit(l.scenario)) {
            return None;
        }
        let c = &m.complaint;
        let e = c.events.iter().find(|e| e.dest_ip.is_some() && (e.dest_port.is_some() || !c.dest_ports.is_empty()))?;
        let dest: IpAddr = e.dest_ip?;
        let port = e.dest_port.or_else(|| c.dest_ports.first().copied())?;
        let (as_of, list) = n.index.exits_to(dest, port);
        let as_of = as_of?;
        if list.is_empty() {
            return None;
        }
        let body = render_blocklist(&list, BlockFormat::Plain, dest, port, &as_of);
        let header = format!("# exits that could reach {dest} port {port}, network of {as_of} UTC\n");
        Some(Blocklist {
            dest: dest.to_string(),
            port,
            as_of,
            addresses: list.len(),
            from_summaries: list.iter().any(|e| e.policy_source != PolicySource::Descriptor),
            file_name: format!("tor-exits-to-{}-port-{port}.txt", dest.to_string().replace(':', "_")),
            body: header + &body,
        })
    }

    /// Drafts the reply to a classified complaint.
    pub fn draft(&self, m: &Classified, opts: DraftOptions, now: Timestamp) -> Result<Outcome> {
        let verdict = match opts.verdict {
            Some(kind) => Some(stated_verdict(&m.complaint, kind)),
            None => pick(&self.verify_events(&m.complaint)),
        };
        let network = self.network_figures();
        let blocklist = self.blocklist(m);
        let operator = self.config.operator();
        let our_addresses: Vec<IpAddr> = self.config.tornet.our_addresses.clone();
        let channel = exitdesk_cases::provider(&m.complaint, &self.config.cases).map(|p| p.channel);
        Ok(self.composer()?.draft(&DraftRequest {
            complaint: &m.complaint,
            classification: &m.classification,
            verdict: verdict.as_ref(),
            intro: opts.intro,
            operator: &operator,
            network: &network,
            reply: &self.config.reply,
            now,
            blocklist: blocklist.as_ref(),
            force: opts.force,
            our_addresses: &our_addresses,
            channel,
        })?)
    }

    /// The threats playbook or the call-notes form, optionally about one complaint.
    pub fn playbook(&self, call_notes: bool, complaint: Option<&Complaint>, now: Timestamp) -> Result<String> {
        Ok(self.composer()?.playbook(
            call_notes,
            complaint,
            &self.config.operator(),
            &self.config.network,
            &self.config.reply,
            now,
        )?)
    }
}

/// A verdict the operator states for the complaint's first event.
fn stated_verdict(c: &Complaint, kind: VerdictKind) -> Verdict {
    let first = c.events.iter().find(|e| e.time_utc.is_some()).or(c.events.first());
    Verdict {
        ip: first.and_then(|e| e.ip).or(c.reported_ips.first().copied()),
        time_utc: first.and_then(|e| e.time_utc).map(exitdesk_model::format_utc_text),
        port: first.and_then(|e| e.dest_port).or(c.dest_ports.first().copied()),
        detail: Some("stated by the operator".into()),
        ..Verdict::new(kind)
    }
}

/// The verdict a reply rests on: an exit beats a policy rejection beats
/// "not an exit"; "no data" says nothing.
fn pick(vs: &[Verification]) -> Option<Verdict> {
    let rank = |k: VerdictKind| match k {
        VerdictKind::Exit | VerdictKind::ExitListOnly => 4,
        VerdictKind::PolicyRejects => 3,
        VerdictKind::RelayNotExit => 2,
        VerdictKind::NotRelay => 1,
        VerdictKind::NoData => 0,
    };
    let v = vs.iter().max_by_key(|v| rank(v.verdict))?;
    if v.verdict == VerdictKind::NoData {
        return None;
    }
    Some(to_verdict(v))
}

/// A verification as the model's verdict (what templates quote).
pub fn to_verdict(v: &Verification) -> Verdict {
    let relay = v.relays.iter().find(|r| r.allows.unwrap_or(r.exit)).or(v.relays.first());
    // Quoted in the reply: the deciding rule, or the summary, said as such.
    let policy = relay.and_then(|r| {
        let p = r.policy.as_deref()?;
        match r.policy_source {
            PolicySource::Descriptor if r.allows.is_some() && !p.contains(',') => {
                Some(format!("rule \"{p}\" of its full exit policy"))
            }
            PolicySource::Summary => {
                let text = p.trim_start_matches("p6 ").trim_start_matches("p ");
                Some(format!("policy summary \"{text}\""))
            }
            _ => None,
        }
    });
    let detail = v.zone_unknown.then(|| {
        format!(
            "The report gives the time without a time zone, so we checked every hour it could mean, from {} to {} UTC.",
            v.from, v.to
        )
    });
    Verdict {
        ip: Some(v.ip),
        time_utc: Some(if v.zone_unknown { format!("{} to {} UTC", v.from, v.to) } else { format!("{} UTC", v.from) }),
        nickname: relay.map(|r| r.nickname.clone()),
        fingerprint: relay
            .map(|r| r.fingerprint.to_hex())
            .or_else(|| v.exit_list.first().map(|e| e.fingerprint.to_hex())),
        consensus: (!v.consensus_hours.is_empty()).then(|| format!("{} UTC", v.consensus_hours.join(", "))),
        port: v.port,
        policy,
        detail,
        ..Verdict::new(v.verdict)
    }
}

/// Bytes per second as people write link speeds ("1.2 Gbit/s").
pub fn format_bandwidth(bytes_per_s: u64) -> String {
    let bits = bytes_per_s as f64 * 8.0;
    if bits >= 1e9 {
        format!("{:.1} Gbit/s", bits / 1e9)
    } else if bits >= 1e6 {
        format!("{:.0} Mbit/s", bits / 1e6)
    } else {
        format!("{:.0} kbit/s", bits / 1e3)
    }
}
