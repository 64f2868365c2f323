//! Operator rules from `[[classify.rules]]` in `exitdesk.toml`.
//!
//! ```toml
//! [[classify.rules]]
//! name = "ip-echelon is always copyright"
//! reporter = "ipechelon.com"        # substring of the reporter's address (case-insensitive)
//! scenario = "copyright"
//!
//! [[classify.rules]]
//! subject = "(?i)netscan"           # regular expression on the subject
//! scenario = "dos_scraping/port_scan"
//! action = "add"                    # "set" (default) replaces the built-in labels; "add" appends it
//! ```
//!
//! A rule matches when every condition it names matches; the first matching
//! rule applies. Complaint text is only ever matched, never evaluated.

use exitdesk_model::{Complaint, Scenario};
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use crate::err::{ClassifyError, Result};

/// The `[classify]` section of the configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifyConfig {
    /// Operator rules, tried in order.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
}

/// What a matching rule does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    /// The rule's scenario replaces the built-in labels.
    #[default]
    Set,
    /// The rule's scenario is added after the others.
    Add,
}

/// One operator rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// A name shown with the classification (defaults to `rule-N`).
    #[serde(default)]
    pub name: Option<String>,
    /// Substring of the complainant's address or organisation.
    #[serde(default)]
    pub reporter: Option<String>,
    /// Substring of the forwarder's address or organisation.
    #[serde(default)]
    pub forwarder: Option<String>,
    /// Regular expression searched in the subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Regular expression searched in the complaint's prose.
    #[serde(default)]
    pub text: Option<String>,
    /// Scenario id, optionally with a sub-kind (`other/law_enforcement`).
    pub scenario: String,
    /// Set or add.
    #[serde(default)]
    pub action: RuleAction,
}

/// A rule ready to match.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub(crate) name: String,
    reporter: Option<String>,
    forwarder: Option<String>,
    subject: Option<Regex>,
    text: Option<Regex>,
    pub(crate) scenario: Scenario,
    pub(crate) subkind: Option<String>,
    pub(crate) action: RuleAction,
}

impl RuleConfig {
    pub(crate) fn compile(&self, index: usize) -> Result<CompiledRule> {
        let name = self.name.clone().unwrap_or_else(|| format!("rule-{}", index + 1));
        let bad = |what: String| ClassifyError::Rule { name: name.clone(), problem: what };
        let scenario = Scenario::from_id(&self.scenario).ok_or_else(|| {
            bad(format!(
                "unknown scenario {:?}; use one of {}",
                self.scenario,
                Scenario::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        let subkind = self.scenario.split_once('/').map(|(_, k)| k.trim().to_string()).filter(|k| !k.is_empty());
        let re = |p: &Option<String>, field: &str| -> Result<Option<Regex>> {
            p.as_deref()
                .map(|p| {
                    RegexBuilder::new(p)
                        .case_insensitive(true)
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| bad(format!("{field}: not a valid regular expression: {e}")))
                })
                .transpose()
        };
        let lower = |s: &Option<String>| s.as_ref().map(|s| s.to_lowercase()).filter(|s| !s.is_empty());
        let rule = CompiledRule {
            reporter: lower(&self.reporter),
            forwarder: lower(&self.forwarder),
            subject: re(&self.subject, "subject")?,
            text: re(&self.text, "text")?,
            scenario,
            subkind,
            action: self.action,
            name: name.clone(),
        };
        if rule.reporter.is_none() && rule.forwarder.is_none() && rule.subject.is_none() && rule.text.is_none() {
            return Err(bad("names no condition (reporter, forwarder, subject or text)".into()));
        }
        Ok(rule)
    }
}

impl CompiledRule {
    pub(crate) fn matches(&self, c: &Complaint) -> bool {
        let party_has = |p: Option<&exitdesk_model::Party>, needle: &str| {
            p.is_some_and(|p| {
                [&p.address, &p.reply_to, &p.organisation, &p.name]
                    .into_iter()
                    .flatten()
                    .any(|v| v.to_lowercase().contains(needle))
            })
        };
        self.reporter.as_deref().is_none_or(|r| party_has(Some(&c.complainant), r))
            && self.forwarder.as_deref().is_none_or(|f| party_has(c.forwarder.as_ref(), f))
            && self.subject.as_ref().is_none_or(|re| c.subject.as_deref().is_some_and(|s| re.is_match(s)))
            && self.text.as_ref().is_none_or(|re| re.is_match(&c.text.prose))
    }

    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.reporter {
            parts.push(format!("reporter contains {r:?}"));
        }
        if let Some(f) = &self.forwarder {
            parts.push(format!("forwarder contains {f:?}"));
        }
        if let Some(s) = &self.subject {
            parts.push(format!("subject matches {:?}", s.as_str()));
        }
        if let Some(t) = &self.text {
            parts.push(format!("text matches {:?}", t.as_str()));
        }
        format!("operator rule {:?}: {}", self.name, parts.join(", "))
    }
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Classifier;
    use exitdesk_model::{ComplaintText, Party};

    fn rule(reporter: &str, scenario: &str, action: RuleAction) -> ClassifyConfig {
        ClassifyConfig {
            rules: vec![RuleConfig {
                reporter: Some(reporter.into()),
                scenario: scenario.into(),
                action,
                ..RuleConfig::default()
            }],
        }
    }

    fn complaint() -> Complaint {
        Complaint {
            subject: Some("Failed login attempts".into()),
            complainant: Party { address: Some("notices@Rights.example".into()), ..Party::default() },
            text: ComplaintText { prose: "sshd[1]: Failed password for root".into(), ..ComplaintText::default() },
            ..Complaint::default()
        }
    }

    #[test]
    fn set_overrides_and_add_appends() {
        let k = Classifier::new(&rule("rights.example", "copyright", RuleAction::Set)).unwrap().classify(&complaint());
        assert_eq!(k.scenario(), Scenario::Copyright);
        assert_eq!(k.labels.len(), 1, "set replaces the built-in labels: {:?}", k.labels);
        assert_eq!(k.rule.as_deref(), Some("rule-1"));
        assert_eq!(k.confidence, 1.0);
        let k = Classifier::new(&rule("rights.example", "other/law_enforcement", RuleAction::Add))
            .unwrap()
            .classify(&complaint());
        assert_eq!(k.scenario(), Scenario::SshBruteforce);
        assert_eq!(k.labels.last().unwrap().id(), "other/law_enforcement");
        let k =
            Classifier::new(&rule("elsewhere.example", "copyright", RuleAction::Set)).unwrap().classify(&complaint());
        assert_eq!(k.scenario(), Scenario::SshBruteforce);
        assert!(k.rule.is_none());
    }

    #[test]
    fn bad_rules_are_named() {
        let e = Classifier::new(&rule("x", "spam", RuleAction::Set)).unwrap_err().to_string();
        assert!(e.contains("rule-1") && e.contains("unknown scenario"), "{e}");
        let cfg = ClassifyConfig {
            rules: vec![RuleConfig { subject: Some("(".into()), scenario: "other".into(), ..RuleConfig::default() }],
        };
        assert!(Classifier::new(&cfg).unwrap_err().to_string().contains("subject"));
        let cfg = ClassifyConfig { rules: vec![RuleConfig { scenario: "other".into(), ..RuleConfig::default() }] };
        assert!(Classifier::new(&cfg).unwrap_err().to_string().contains("no condition"));
    }
}
