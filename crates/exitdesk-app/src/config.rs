//! `exitdesk.toml`: one file, one section per crate that needs settings.
//!
//! ```toml
//! [operator]            # exitdesk-compose: who signs replies
//! name = "Jane Doe"
//! email = "abuse@exit.example.org"
//! own_addresses = ["exits@exit.example.org", "relays.example.org"]   # never replied to
//!
//! [network]             # exitdesk-compose: figures that change
//! exits = 2500
//!
//! [reply]               # exitdesk-compose: addressing and marking
//! follow_up_days = 7
//!
//! [templates]           # here: a folder of *.j2 files overriding the defaults
//! dir = "templates"
//!
//! [cases]               # exitdesk-cases: joining, flood control, deadlines
//! window_days = 14
//!
//! [store]               # here: where cases are kept
//! url = "postgres://desk@db.example/exitdesk"   # default: SQLite in the data folder
//!
//! [[classify.rules]]    # exitdesk-classify: operator rules
//! reporter = "notices.example"
//! scenario = "copyright"
//! ```
//!
//! Unknown keys are refused; relative paths are relative to the file.

use std::path::{Path, PathBuf};

use exitdesk_classify::ClassifyConfig;
use exitdesk_compose::{NetworkConfig, OperatorConfig, ReplyConfig, Templates};
use serde::Deserialize;

use crate::err::{AppError, Result};

/// `[templates]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplatesConfig {
    /// A folder of `*.j2` files whose names replace default templates.
    #[serde(default)]
    pub dir: Option<PathBuf>,
}

/// `[store]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `postgres://…` for a shared PostgreSQL database (a password belongs in
    /// `$EXITDESK_STORE_URL`, which overrides this, not in the file); default:
    /// the SQLite file `exitdesk.db` in the data folder.
    #[serde(default)]
    pub url: Option<String>,
    /// Where `send` writes approved replies (`.eml`); default: `outbox/` in the data folder.
    #[serde(default)]
    pub outbox: Option<PathBuf>,
}

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Who signs replies; placeholders (with a warning) when absent.
    #[serde(default)]
    pub operator: Option<OperatorConfig>,
    /// Live figures.
    #[serde(default)]
    pub network: NetworkConfig,
    /// Reply addressing and marking.
    #[serde(default)]
    pub reply: ReplyConfig,
    /// Template overrides.
    #[serde(default)]
    pub templates: TemplatesConfig,
    /// Classifier rules.
    #[serde(default)]
    pub classify: ClassifyConfig,
    /// `[tornet]`: our relays, network data sources.
    #[serde(default)]
    pub tornet: crate::tornet::TornetConfig,
    /// `[cases]`: joining, flood control, deadlines.
    #[serde(default)]
    pub cases: exitdesk_cases::CasesConfig,
    /// `[store]`: the database and the outbox.
    #[serde(default)]
    pub store: StoreConfig,
    /// The file it was read from, if any.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// The example shipped with the documentation (tested to parse).
pub const EXAMPLE_CONFIG: &str = include_str!("../../../examples/exitdesk.toml");

impl Config {
    /// Parses a configuration text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut cfg: Config =
            toml::from_str(text).map_err(|e| AppError::Config { path: path.to_path_buf(), reason: e.to_string() })?;
        if let Some(problems) = cfg.operator.as_ref().map(OperatorConfig::problems).filter(|p| !p.is_empty()) {
            return Err(AppError::Config { path: path.to_path_buf(), reason: problems.join("; ") });
        }
        let base = path.parent().unwrap_or(Path::new("."));
        if let Some(dir) = &cfg.templates.dir {
            if dir.is_relative() {
                cfg.templates.dir = Some(base.join(dir));
            }
        }
        if let Some(dir) = &cfg.store.outbox {
            if dir.is_relative() {
                cfg.store.outbox = Some(base.join(dir));
            }
        }
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let text =
            std::fs::read_to_string(path).map_err(|source| AppError::Read { path: path.to_path_buf(), source })?;
        Config::parse(&text, path)
    }

    /// The operator, or the placeholders.
    pub fn operator(&self) -> OperatorConfig {
        self.operator.clone().unwrap_or_else(OperatorConfig::placeholder)
    }

    /// What the operator should hear about this configuration before it is
    /// used (a template folder that does not exist is not an error, so that
    /// `templates export` can create it, but it is said).
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(dir) = &self.templates.dir {
            if !dir.exists() {
                w.push(format!(
                    "the template folder {} does not exist: the built-in templates are used (`exitdesk templates export {}` creates it)",
                    dir.display(),
                    dir.display()
                ));
            }
        }
        w
    }

    /// The template set: defaults plus the `[templates] dir` overrides.
    pub fn templates(&self) -> Result<Templates> {
        let Some(dir) = &self.templates.dir else {
            return Ok(Templates::builtin());
        };
        // Not created yet (`exitdesk templates export DIR` creates it): no overrides.
        if !dir.exists() {
            return Ok(Templates::builtin());
        }
        let mut found = Vec::new();
        collect_templates(dir, dir, &mut found, 0)?;
        Ok(Templates::builtin().with_overrides(found)?)
    }
}

fn collect_templates(root: &Path, dir: &Path, out: &mut Vec<(String, String)>, depth: usize) -> Result<()> {
    let read_err = |source| AppError::Read { path: dir.to_path_buf(), source };
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(read_err)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let path = e.path();
        if path.is_dir() && depth < 4 {
            collect_templates(root, &path, out, depth + 1)?;
        } else if path.extension().is_some_and(|x| x == exitdesk_compose::EXTENSION) {
            let text =
                std::fs::read_to_string(&path).map_err(|source| AppError::Read { path: path.clone(), source })?;
            let name = path.strip_prefix(root).unwrap_or(&path).with_extension("");
            let name = name.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((name, text));
        }
    }
    Ok(())
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn example_config_parses_and_builds() {
        let cfg = Config::parse(EXAMPLE_CONFIG, Path::new("examples/exitdesk.toml")).unwrap();
        assert!(cfg.operator.is_some());
        exitdesk_classify::Classifier::new(&cfg.classify).unwrap();
        assert_eq!(cfg.reply.follow_up_days, 7);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = Config::parse("[operator]\nname='x'\nemail='a@b.example'\nphone=1\n", Path::new("x.toml")).unwrap_err();
        assert!(e.to_string().contains("phone"), "{e}");
        let e = Config::parse("[bogus]\n", Path::new("x.toml")).unwrap_err();
        assert!(e.to_string().contains("bogus"), "{e}");
    }

    #[test]
    fn own_addresses_are_checked() {
        let ok = "[operator]\nname='x'\nemail='a@b.example'\nown_addresses=['c@b.example', 'relays.example']\n";
        let cfg = Config::parse(ok, Path::new("x.toml")).unwrap();
        assert!(cfg.operator().is_own("anyone@relays.example"));
        let bad = "[operator]\nname='x'\nemail='a b@b.example'\nown_addresses=['c@', 'not a domain']\n";
        let e = Config::parse(bad, Path::new("x.toml")).unwrap_err().to_string();
        assert!(e.contains("[operator] email") && e.contains("\"c@\"") && e.contains("not a domain"), "{e}");
    }
}
