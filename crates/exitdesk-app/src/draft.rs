//! The draft, classify and playbook use-cases, over one resolved configuration.

use exitdesk_classify::Classifier;
use exitdesk_compose::{Composer, DraftRequest, IntroLevel, Outcome};
use exitdesk_extract::Extractor;
use exitdesk_model::{Clock, Complaint, Verdict, VerdictKind};
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
    /// Extraction and classification.
    pub reader: Reader,
    /// Reply rendering.
    pub composer: Composer,
    /// The configuration it was built from.
    pub config: Config,
}

impl Desk {
    /// Compiles the classifier rules and the templates of `config`.
    pub fn new(config: Config) -> Result<Desk> {
        let classifier = Classifier::new(&config.classify)?;
        let composer = Composer::new(&config.templates()?)?;
        Ok(Desk { reader: Reader { extractor: Extractor::new(), classifier }, composer, config })
    }

    /// Drafts the reply to a classified complaint.
    pub fn draft(&self, m: &Classified, opts: DraftOptions, now: Timestamp) -> Result<Outcome> {
        let verdict = opts.verdict.map(|kind| stated_verdict(&m.complaint, kind));
        let operator = self.config.operator();
        Ok(self.composer.draft(&DraftRequest {
            complaint: &m.complaint,
            classification: &m.classification,
            verdict: verdict.as_ref(),
            intro: opts.intro,
            operator: &operator,
            network: &self.config.network,
            reply: &self.config.reply,
            now,
            force: opts.force,
        })?)
    }

    /// The threats playbook or the call-notes form, optionally about one complaint.
    pub fn playbook(&self, call_notes: bool, complaint: Option<&Complaint>, now: Timestamp) -> Result<String> {
        Ok(self.composer.playbook(
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
