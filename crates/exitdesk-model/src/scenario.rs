//! Scenarios and the classification of a complaint, with its reasons.

use serde::{Deserialize, Serialize};

/// What a complaint is about: the reply block it needs. The ids are those of
/// DESIGN.md and of the corpus labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// Comment, forum or registration spam.
    CommentSpam,
    /// E-mail spam through a PHP relay or an exploited webmail account.
    WebmailSpam,
    /// Spam posted through Google Groups.
    GoogleGroupsSpam,
    /// DoS, floods, scraping robots, port scans and sweeps.
    DosScraping,
    /// Brute-force logins on a website.
    WebBruteforce,
    /// Login brute force on SSH and other non-web services.
    SshBruteforce,
    /// A hacked account; credential stuffing.
    AccountCompromise,
    /// Webshells, XSS, SQL injection, exploit attempts, vulnerability probing.
    Hacking,
    /// Fraudulent orders, carding, chargebacks.
    EcommerceFraud,
    /// Harassment, threats of violence.
    Threats,
    /// DMCA and other copyright notices.
    Copyright,
    /// Everything else: botnet reports, phishing, law enforcement, unknown.
    Other,
}

impl Scenario {
    /// Every scenario, in the order of DESIGN.md.
    pub const ALL: [Scenario; 12] = [
        Scenario::CommentSpam,
        Scenario::WebmailSpam,
        Scenario::GoogleGroupsSpam,
        Scenario::DosScraping,
        Scenario::WebBruteforce,
        Scenario::SshBruteforce,
        Scenario::AccountCompromise,
        Scenario::Hacking,
        Scenario::EcommerceFraud,
        Scenario::Threats,
        Scenario::Copyright,
        Scenario::Other,
    ];

    /// The id used in labels, JSON and template names.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::CommentSpam => "comment_spam",
            Scenario::WebmailSpam => "webmail_spam",
            Scenario::GoogleGroupsSpam => "google_groups_spam",
            Scenario::DosScraping => "dos_scraping",
            Scenario::WebBruteforce => "web_bruteforce",
            Scenario::SshBruteforce => "ssh_bruteforce",
            Scenario::AccountCompromise => "account_compromise",
            Scenario::Hacking => "hacking",
            Scenario::EcommerceFraud => "ecommerce_fraud",
            Scenario::Threats => "threats",
            Scenario::Copyright => "copyright",
            Scenario::Other => "other",
        }
    }

    /// Parses an id (`ssh_bruteforce`), also with a sub-kind (`other/botnet` → `other`).
    pub fn from_id(s: &str) -> Option<Scenario> {
        let top = s.split('/').next().unwrap_or(s).trim();
        Scenario::ALL.into_iter().find(|x| x.as_str() == top)
    }

    /// A short human name.
    pub fn title(self) -> &'static str {
        match self {
            Scenario::CommentSpam => "comment/forum spam",
            Scenario::WebmailSpam => "e-mail spam via a web relay",
            Scenario::GoogleGroupsSpam => "Google Groups spam",
            Scenario::DosScraping => "DoS, scans, scraping",
            Scenario::WebBruteforce => "web login brute force",
            Scenario::SshBruteforce => "SSH/service login brute force",
            Scenario::AccountCompromise => "compromised account",
            Scenario::Hacking => "hacking attempts",
            Scenario::EcommerceFraud => "e-commerce fraud",
            Scenario::Threats => "threats, harassment",
            Scenario::Copyright => "copyright notice",
            Scenario::Other => "other",
        }
    }
}

impl std::fmt::Display for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape of the answer a complaint needs, beside its scenario (DESIGN.md):
/// whether something left the address, something is said to run on it, data
/// is requested, or no letter is due at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Traffic that left the address: what an exit carries.
    #[default]
    Traffic,
    /// Content or a service said to be *on* the address (a phishing page, a
    /// malware file, an open resolver, a botnet controller): an exit relay
    /// hosts nothing but tor.
    Hosted,
    /// A request for data from law enforcement: none about users exists.
    LawEnforcement,
    /// A reminder of a ticket already open: raises its urgency, no new letter.
    Reminder,
    /// No complaint at all (a closure notice, newsletter, test report,
    /// auto-reply): filed, no letter.
    NotAComplaint,
}

impl Kind {
    /// Every kind, in the order of DESIGN.md.
    pub const ALL: [Kind; 5] = [Kind::Traffic, Kind::Hosted, Kind::LawEnforcement, Kind::Reminder, Kind::NotAComplaint];

    /// The id used in labels and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Traffic => "traffic",
            Kind::Hosted => "hosted",
            Kind::LawEnforcement => "law_enforcement",
            Kind::Reminder => "reminder",
            Kind::NotAComplaint => "not_a_complaint",
        }
    }

    /// Parses an id (`not_a_complaint`; `-` is read as `_`).
    pub fn from_id(s: &str) -> Option<Kind> {
        let s = s.trim().replace('-', "_");
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether this kind is answered with a letter (reminders and
    /// non-complaints are filed without one).
    pub fn wants_letter(self) -> bool {
        !matches!(self, Kind::Reminder | Kind::NotAComplaint)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of evidence the classifier used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// A stable name of the rule that fired (`log.sshd_failed`, `xarf.type`).
    pub rule: String,
    /// The scenario it speaks for.
    pub scenario: Scenario,
    /// The sub-kind it suggests, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subkind: Option<String>,
    /// Its weight, 0 to 1 (combined per scenario as independent evidence).
    pub weight: f64,
    /// What matched, shortened and made safe to show.
    pub matched: String,
}

/// One scenario assigned to a complaint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// The scenario.
    pub scenario: Scenario,
    /// The sub-kind (`port_scan`, `botnet`, …), if one stands out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subkind: Option<String>,
    /// Combined score of its signals, 0 to 1.
    pub score: f64,
}

impl Label {
    /// `scenario/subkind`, or the scenario id alone.
    pub fn id(&self) -> String {
        match &self.subkind {
            Some(k) => format!("{}/{k}", self.scenario),
            None => self.scenario.to_string(),
        }
    }
}

/// The scenarios of a complaint (primary first), with the signals behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// At least one label; the primary one first.
    pub labels: Vec<Label>,
    /// The kind of answer the complaint needs (traffic unless something
    /// says otherwise); stores written before kinds existed read as traffic.
    #[serde(default)]
    pub kind: Kind,
    /// The cue that decided a kind other than traffic, shown to the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_reason: Option<String>,
    /// How sure the classifier is of the primary label, 0 to 1.
    pub confidence: f64,
    /// Every signal that fired, strongest first.
    pub signals: Vec<Signal>,
    /// An operator rule from the configuration decided or added a label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

impl Classification {
    /// The primary scenario.
    pub fn scenario(&self) -> Scenario {
        self.labels.first().map_or(Scenario::Other, |l| l.scenario)
    }

    /// The primary sub-kind, if any.
    pub fn subkind(&self) -> Option<&str> {
        self.labels.first().and_then(|l| l.subkind.as_deref())
    }

    /// Every scenario present, primary first.
    pub fn scenarios(&self) -> Vec<Scenario> {
        self.labels.iter().map(|l| l.scenario).collect()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for s in Scenario::ALL {
            assert_eq!(Scenario::from_id(s.as_str()), Some(s));
        }
        assert_eq!(Scenario::from_id("other/botnet"), Some(Scenario::Other));
        assert_eq!(Scenario::from_id("nope"), None);
    }
}
