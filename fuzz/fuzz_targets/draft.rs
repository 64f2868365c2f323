//! Fuzz target: any bytes through extraction, classification and drafting.
//! With the built-in templates a draft must always render and build.
//!
//! Run (stable toolchain): `cargo fuzz run -s none -O draft`

#![no_main]

use std::sync::OnceLock;

use exitdesk_classify::Classifier;
use exitdesk_compose::{Composer, DraftRequest, IntroLevel, NetworkConfig, OperatorConfig, Outcome, ReplyConfig};
use exitdesk_extract::Extractor;
use libfuzzer_sys::fuzz_target;

struct Stages {
    extractor: Extractor,
    classifier: Classifier,
    composer: Composer,
}

static STAGES: OnceLock<Stages> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let s = STAGES.get_or_init(|| Stages {
        extractor: Extractor::new(),
        classifier: Classifier::builtin().expect("built-in classifier"),
        composer: Composer::builtin().expect("built-in templates"),
    });
    let c = s.extractor.extract(data, "fuzz");
    let k = s.classifier.classify(&c);
    let now = jiff::Timestamp::from_second(1_800_000_000).expect("time");
    let out = s
        .composer
        .draft(&DraftRequest {
            complaint: &c,
            classification: &k,
            verdict: None,
            intro: IntroLevel::Full,
            operator: &OperatorConfig::placeholder(),
            network: &NetworkConfig::default(),
            reply: &ReplyConfig::default(),
            now,
            force: true,
        })
        .expect("built-in templates render for any complaint");
    if let Outcome::Draft(d) = out {
        d.to_message().expect("the reply builds");
    }
});
