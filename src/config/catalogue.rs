//! The rule catalogue, read from the `rules.toml` embedded in the binary.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::diagnostic::{Level, Severity};
use crate::fix::Applicability;
use crate::rule::{Family, Rule};

/// One rule of the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInfo {
    /// Stable id, e.g. `DL401`.
    pub id: String,
    /// Stable kebab-case name, e.g. `link-target-missing`.
    pub name: String,
    /// Family, e.g. `links`.
    pub family: String,
    /// Default level: `error`, `warning`, `info` or `off`.
    pub severity: String,
    /// The ApiDoctor error code this rule corresponds to.
    #[serde(default)]
    pub apidoctor: Option<String>,
    /// One-line description.
    pub summary: String,
    /// Why the problem matters.
    pub why: String,
    /// A snippet that triggers the rule.
    pub example: String,
    /// How to fix or silence it.
    pub remedy: String,
    /// Whether findings carry an automatic fix, and how safe it is.
    #[serde(default)]
    pub fix: Option<Applicability>,
}

impl RuleInfo {
    /// The default level of the rule.
    pub fn default_level(&self) -> Level {
        Level::parse(&self.severity).unwrap_or(Level::On(Severity::Error))
    }
}

/// How doclint answers one of ApiDoctor's error codes that no rule names as its own
/// (`[[apidoctor]]` in `rules.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiDoctorCode {
    /// The `ValidationErrorCode` name, e.g. `UrlLengthExceedsMaximum`.
    pub code: String,
    /// Where it stands: `covered` (by `rules`), `not-emitted` (declared but never reported by
    /// ApiDoctor), `live` (only from calling the service), `other-command` (a verb doclint
    /// has no counterpart of), `not-a-finding` (bookkeeping, not a defect of a page), or
    /// `missing` (a static check doclint lacks).
    pub status: String,
    /// The rules that report it, for `covered`.
    #[serde(default)]
    pub rules: Vec<String>,
    /// What ApiDoctor means by it and how doclint answers it.
    pub note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    rule: Vec<RuleInfo>,
    #[serde(default)]
    apidoctor: Vec<ApiDoctorCode>,
}

/// The whole catalogue, prose included, with lookups by id and name.
#[derive(Debug)]
pub struct Catalogue {
    rules: Vec<RuleInfo>,
    codes: Vec<ApiDoctorCode>,
}

/// The text of `rules.toml`, as compiled in.
pub const RULES_TOML: &str = include_str!("../../rules.toml");

impl Catalogue {
    /// The catalogue compiled into the binary (the build script has checked its ids, names,
    /// families and severities, and generated [`Rule`] from it in the same order).
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| {
            let file: CatalogueFile = toml::from_str(RULES_TOML)
                .unwrap_or_else(|e| panic!("the built-in rules.toml is invalid: {e}"));
            Catalogue {
                rules: file.rule,
                codes: file.apidoctor,
            }
        })
    }

    /// ApiDoctor's error codes that no rule names as its own, with how doclint answers them.
    pub fn apidoctor_codes(&self) -> &[ApiDoctorCode] {
        &self.codes
    }

    /// The map from every ApiDoctor error code to the doclint rules that report it (or why
    /// none does), as a Markdown table sorted by code: the rules' own `apidoctor` codes and
    /// the `[[apidoctor]]` entries together. Each rule links to the address `link` gives for
    /// its id.
    pub fn apidoctor_map(&self, link: impl Fn(&str) -> String) -> String {
        let mut rows: std::collections::BTreeMap<&str, (Vec<&str>, &str)> = Default::default();
        for rule in &self.rules {
            if let Some(code) = rule.apidoctor.as_deref() {
                rows.entry(code).or_default().0.push(&rule.id);
            }
        }
        for entry in &self.codes {
            let row = rows.entry(&entry.code).or_default();
            row.0.extend(entry.rules.iter().map(String::as_str));
            row.1 = &entry.note;
        }
        let status: std::collections::HashMap<&str, &str> = self
            .codes
            .iter()
            .map(|c| (c.code.as_str(), c.status.as_str()))
            .collect();
        let mut out = String::from("| ApiDoctor code | doclint | note |\n|---|---|---|\n");
        for (code, (rules, note)) in rows {
            let answer = if rules.is_empty() {
                match status.get(code).copied().unwrap_or("missing") {
                    "not-emitted" => "— (never emitted by ApiDoctor)".to_string(),
                    "live" => "— (live service check)".to_string(),
                    "other-command" => "— (another ApiDoctor command)".to_string(),
                    "not-a-finding" => "— (not a finding)".to_string(),
                    _ => "**missing**".to_string(),
                }
            } else {
                rules
                    .iter()
                    .map(|id| format!("[{id}]({})", link(id)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push_str(&format!(
                "| `{code}` | {answer} | {} |\n",
                note.replace('|', "\\|")
            ));
        }
        out
    }

    /// All rules, in catalogue order.
    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }

    /// The rule with this id or name (case-insensitive).
    pub fn get(&self, key: &str) -> Option<&RuleInfo> {
        Rule::from_key(key).map(|rule| &self.rules[rule.index()])
    }

    /// The rules a selector names: a rule id, a rule name, a family name, or `ALL`.
    /// `None` when the selector names nothing.
    pub fn select(&self, selector: &str) -> Option<Vec<Rule>> {
        let selector = selector.trim();
        if selector.eq_ignore_ascii_case("all") {
            return Some(Rule::ALL.to_vec());
        }
        if let Some(rule) = Rule::from_key(selector) {
            return Some(vec![rule]);
        }
        Family::from_name(selector).map(|family| family.rules().to_vec())
    }

    /// The rules of a family (case-insensitive), in catalogue order; `None` when `name` is no
    /// family.
    pub fn family(&self, name: &str) -> Option<(Family, Vec<&RuleInfo>)> {
        let family = Family::from_name(name.trim())?;
        let rules = family
            .rules()
            .iter()
            .map(|rule| &self.rules[rule.index()])
            .collect();
        Some((family, rules))
    }

    /// The closest rule id, name or family to an unknown selector, for a did-you-mean; never
    /// the selector itself.
    pub fn suggest(&self, selector: &str) -> Option<String> {
        let selector = selector.trim();
        let keys = Rule::ALL
            .iter()
            .flat_map(|r| [r.id(), r.name()])
            .chain(Family::ALL.iter().map(|f| f.name()))
            .filter(|key| !key.eq_ignore_ascii_case(selector));
        crate::suggest::closest(selector, keys).map(str::to_string)
    }
}
