//! The configuration sections compose owns: `[operator]`, `[network]`, `[reply]`.

use serde::{Deserialize, Serialize};

/// `[operator]`: who signs and sends the replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorConfig {
    /// The name that signs the reply.
    pub name: String,
    /// The address replies come from.
    pub email: String,
    /// An organisation, when the exits are run by one.
    #[serde(default)]
    pub organisation: Option<String>,
    /// A web page about the exits (abuse policy, exit notice).
    #[serde(default)]
    pub website: Option<String>,
    /// Where the operator is: `us`, `de` or `eu` selects the legal references
    /// of the copyright block (DMCA 512(a); DDG §7 and DSA Art. 4).
    #[serde(default)]
    pub jurisdiction: Option<String>,
    /// Further addresses that are ours besides `email` (other mailboxes,
    /// aliases, the intake address), or whole domains (`"exit.example.org"`,
    /// without `@`). exitdesk never drafts a reply to one, and reads mail
    /// from one as our own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_addresses: Vec<String>,
    /// The networks (autonomous systems, `"AS64500"` or `"64500"`) that
    /// announce our exits' addresses: our own, or our hosting provider's.
    /// A complaint that attributes an accused address to one of them is
    /// consistent with it being ours; one that attributes it to another AS
    /// disputes it, and the reply does not call it ours unless Tor's network
    /// data verified it. Empty: unknown (a report naming several networks
    /// then goes to a human, and none of its attributed addresses is called
    /// ours on the configuration's word alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<String>,
}

impl OperatorConfig {
    /// Placeholder values, used (with a warning) when no configuration names the operator.
    pub fn placeholder() -> OperatorConfig {
        OperatorConfig {
            name: "Exit Operator".into(),
            email: "abuse@exit.example.org".into(),
            organisation: None,
            website: None,
            jurisdiction: None,
            own_addresses: Vec::new(),
            networks: Vec::new(),
        }
    }

    /// The AS numbers of `networks` (entries that are none are left out;
    /// [`OperatorConfig::problems`] names them).
    pub fn asns(&self) -> Vec<u32> {
        self.networks.iter().filter_map(|n| parse_asn(n)).collect()
    }

    /// True when `address` is one of ours: `email`, an `own_addresses`
    /// entry, or an address in an `own_addresses` domain (case-insensitive,
    /// angle brackets and spaces around it ignored).
    pub fn is_own(&self, address: &str) -> bool {
        let a = address.trim().trim_start_matches('<').trim_end_matches('>').trim().to_ascii_lowercase();
        if a.is_empty() {
            return false;
        }
        let domain = a.rsplit_once('@').map(|(_, d)| d);
        std::iter::once(&self.email).chain(&self.own_addresses).any(|own| {
            let own = own.trim().to_ascii_lowercase();
            if own.is_empty() {
                false
            } else if own.contains('@') {
                own == a
            } else {
                domain == Some(own.trim_start_matches('.'))
            }
        })
    }

    /// The domain of `email`, when it has a plausible one: the domain of
    /// the `Message-ID`s of our replies.
    pub fn domain(&self) -> Option<&str> {
        self.email
            .rsplit_once('@')
            .map(|(_, d)| d)
            .filter(|d| d.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')) && d.contains('.'))
    }

    /// What is wrong with the section, each problem on its own (an empty
    /// list when nothing is): `email` and every `own_addresses` entry must
    /// be a plain address (or, in `own_addresses`, a domain).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(why) = crate::compose::valid_address(&self.email) {
            out.push(format!("[operator] email: {why}"));
        }
        for a in &self.own_addresses {
            let ok = if a.contains('@') {
                crate::compose::valid_address(a).is_ok()
            } else {
                crate::compose::valid_domain(a.trim_start_matches('.'))
            };
            if !ok {
                out.push(format!("[operator] own_addresses: {a:?} is neither a mail address nor a domain"));
            }
        }
        for n in self.networks.iter().filter(|n| parse_asn(n).is_none()) {
            out.push(format!("[operator] networks: {n:?} is not an AS number (write \"AS64500\" or \"64500\")"));
        }
        out
    }

    /// True when these are the placeholder values.
    pub fn is_placeholder(&self) -> bool {
        *self == OperatorConfig::placeholder()
    }
}

/// `AS64500`, `as64500`, `AS 64500` or `64500`: the number (1 to 4294967294).
fn parse_asn(s: &str) -> Option<u32> {
    let t = s.trim();
    let digits =
        t.strip_prefix("AS").or_else(|| t.strip_prefix("as")).or_else(|| t.strip_prefix("As")).unwrap_or(t).trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|n| *n > 0 && *n < u32::MAX)
}

/// `[network]`: figures that change. Set by the operator now; filled from
/// Tor network data when it is imported. Never frozen in template prose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    /// Relays in the Tor network.
    #[serde(default)]
    pub relays: Option<u32>,
    /// Exit relays in the Tor network.
    #[serde(default)]
    pub exits: Option<u32>,
    /// How many exits this operator runs.
    #[serde(default)]
    pub our_exits: Option<u32>,
    /// Our exits' advertised bandwidth, as written ("1.2 Gbit/s").
    #[serde(default)]
    pub our_bandwidth: Option<String>,
    /// The date these figures were read ("2026-11-20").
    #[serde(default)]
    pub as_of: Option<String>,
}

/// `[reply]`: how drafts are addressed and marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyConfig {
    /// Days a sent reply's case waits (for an answer, or a repeat of the
    /// complaint) before it surfaces again; also the follow-up that replies
    /// to threats offer.
    #[serde(default = "default_follow_up")]
    pub follow_up_days: u32,
    /// The `Auto-Submitted` value (RFC 3834) of drafts. `no` (default): a
    /// draft is approved and sent by a person, and ticket systems (Zendesk,
    /// OTRS, RT) set aside mail marked `auto-replied` as machine noise, so
    /// a reply marked that way may never reach a human at the provider. Use
    /// `auto-replied` for replies sent without review.
    #[serde(default = "default_auto_submitted")]
    pub auto_submitted: String,
    /// Extra addresses treated as no-reply (substring match, lower case).
    #[serde(default)]
    pub no_reply_addresses: Vec<String>,
}

fn default_follow_up() -> u32 {
    7
}

fn default_auto_submitted() -> String {
    "no".into()
}

impl Default for ReplyConfig {
    fn default() -> Self {
        ReplyConfig {
            follow_up_days: default_follow_up(),
            auto_submitted: default_auto_submitted(),
            no_reply_addresses: Vec::new(),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn networks_are_as_numbers() {
        let mut op = OperatorConfig::placeholder();
        op.networks = vec!["AS64500".into(), "64501".into(), " as 64502 ".into(), "EXAMPLE-NET".into(), "AS0".into()];
        assert_eq!(op.asns(), vec![64500, 64501, 64502]);
        let p = op.problems();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("\"EXAMPLE-NET\" is not an AS number"), "{p:?}");
    }
}
