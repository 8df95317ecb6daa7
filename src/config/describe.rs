//! `doclint config`: the effective configuration — the doc sets found and where each came
//! from, every setting with its default resolved, and each rule's level as findings get it.
//! The data is a plain serialisable value; [`Description::render`] writes it as TOML-like text.

use serde::Serialize;

use super::Settings;
use crate::diagnostic::Level;
use crate::rule::Rule;

/// One doc set as `doclint config` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DocSetDescription {
    /// Its name.
    pub name: String,
    /// Its root, relative to the run's root (`.` for the root itself).
    pub root: String,
    /// Where it was declared, in words.
    pub from: Vec<String>,
    /// How many pages it has (Markdown files it publishes, skipped ones included).
    pub pages: usize,
    /// Front-matter keys its pages must have.
    pub required_front_matter: Vec<String>,
    /// Whether a configuration requires them (else missing keys are warnings).
    pub required_front_matter_configured: bool,
    /// Allowed base URLs of absolute request URLs.
    pub base_urls: Vec<String>,
    /// The headings that open a Permissions section.
    pub permission_titles: Vec<String>,
    /// The page types its configured document outline covers.
    pub outline: Vec<String>,
    /// Folders and files its ApiDoctor configuration skips.
    pub skips: Vec<String>,
}

/// A rule's level as its findings get it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDescription {
    /// The rule id.
    pub id: String,
    /// The rule name.
    pub name: String,
    /// `error`, `warning`, `info` or `off`.
    pub level: String,
    /// When some findings of the rule get another severity: which, and why.
    pub note: Option<String>,
}

/// The effective configuration of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Description {
    /// The configuration file, if any.
    pub configuration_file: Option<String>,
    /// The run's root.
    pub root: String,
    /// `exclude`.
    pub exclude: Vec<String>,
    /// The doc sets.
    pub docsets: Vec<DocSetDescription>,
    /// How many paths the checkout's DocFX redirection files redirect.
    pub redirected_paths: usize,
    /// Allowed front-matter values by key.
    pub allowed_front_matter: Vec<(String, Vec<String>)>,
    /// Root-relative link prefixes treated as external (configured and imported).
    pub link_ignores: Vec<String>,
    /// Whether case-only link matches are reported.
    pub case_sensitive_links: bool,
    /// Repositories paths may reach into, with their checkout when there is one.
    pub repositories: Vec<(String, Option<String>)>,
    /// Required includes: (globs, include).
    pub required_includes: Vec<(Vec<String>, String)>,
    /// Forbidden includes: (globs, include).
    pub forbidden_includes: Vec<(Vec<String>, String)>,
    /// The permission types of a permissions table's first column.
    pub permission_types: Vec<String>,
    /// The order scopes are listed in.
    pub permission_order: String,
    /// How many known scopes are configured, if a list is.
    pub known_scopes: Option<usize>,
    /// Service metadata files: (globs, file, how many types it defines).
    pub metadata: Vec<(Vec<String>, String, usize)>,
    /// Every rule's level.
    pub rules: Vec<RuleDescription>,
    /// How many `[[overrides]]` there are.
    pub overrides: usize,
}

impl Description {
    /// The description of `settings` with the doc sets found (`link_ignores`: the configured
    /// and imported prefixes).
    pub fn new(
        settings: &Settings,
        docsets: Vec<DocSetDescription>,
        link_ignores: Vec<String>,
        redirected_paths: usize,
    ) -> Description {
        let display = |p: &std::path::Path| crate::paths::display(p);
        let outlines: Vec<String> = docsets
            .iter()
            .flat_map(|d| d.outline.iter().map(move |t| format!("{t} in {}", d.name)))
            .collect();
        let unconfigured: Vec<String> = docsets
            .iter()
            .filter(|d| !d.required_front_matter_configured)
            .map(|d| d.name.clone())
            .collect();
        let rules = settings
            .levels
            .base()
            .map(|(rule, level)| {
                let (level, note) = effective(rule, level, &outlines, &unconfigured);
                RuleDescription {
                    id: rule.id().to_string(),
                    name: rule.name().to_string(),
                    level,
                    note,
                }
            })
            .collect();
        let includes = |checks: &[super::IncludeCheck]| {
            checks
                .iter()
                .map(|c| (c.paths.clone(), c.include.clone()))
                .collect()
        };
        Description {
            configuration_file: settings.config_path.as_deref().map(display),
            root: display(&settings.root),
            exclude: settings.exclude.clone(),
            docsets,
            redirected_paths,
            allowed_front_matter: settings
                .allowed_front_matter
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            link_ignores,
            case_sensitive_links: settings.case_sensitive_links,
            repositories: settings
                .repositories
                .iter()
                .map(|r| (r.name.clone(), r.checkout.as_deref().map(display)))
                .collect(),
            required_includes: includes(&settings.includes.require),
            forbidden_includes: includes(&settings.includes.forbid),
            permission_types: settings.permission_types.clone(),
            permission_order: settings.permission_order.as_str().to_string(),
            known_scopes: settings.known_scopes.as_ref().map(Vec::len),
            metadata: settings
                .metadata
                .iter()
                .map(|m| (m.paths.clone(), m.display.clone(), m.csdl.types.len()))
                .collect(),
            rules,
            overrides: settings.levels.override_count(),
        }
    }

    /// The description as TOML-like text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "# configuration file: {}",
            self.configuration_file.as_deref().unwrap_or("(none)")
        ));
        line(format!("root = {:?}", self.root));
        line(format!("exclude = {:?}", self.exclude));
        if self.redirected_paths > 0 {
            line(format!(
                "# {} paths redirected by DocFX redirection files (links to them are DL413)",
                self.redirected_paths
            ));
        }
        for set in &self.docsets {
            line(String::new());
            line(format!("# from {}", set.from.join("; ")));
            line("[[docsets]]".into());
            line(format!("name = {:?}", set.name));
            line(format!("root = {:?}", set.root));
            line(format!("pages = {}", set.pages));
            line(format!(
                "required-front-matter = {:?}",
                set.required_front_matter
            ));
            line(format!("base-urls = {:?}", set.base_urls));
            line(format!("permission-titles = {:?}", set.permission_titles));
            if !set.outline.is_empty() {
                line(format!("outline = {:?}", set.outline));
            }
            if !set.skips.is_empty() {
                line(format!("skips = {:?}", set.skips));
            }
        }
        line(String::new());
        line("[front-matter]".into());
        for (key, values) in &self.allowed_front_matter {
            line(format!("allowed.{key:?} = {values:?}"));
        }
        line(String::new());
        line("[links]".into());
        line(format!("ignore = {:?}", self.link_ignores));
        line(format!("case-sensitive = {}", self.case_sensitive_links));
        if !self.repositories.is_empty() {
            line(String::new());
            line("[repos]".into());
            for (name, checkout) in &self.repositories {
                match checkout {
                    Some(dir) => line(format!("{name:?} = {dir:?}")),
                    None => line(format!("# {name:?}: no local checkout")),
                }
            }
        }
        for (kind, checks) in [
            ("require", &self.required_includes),
            ("forbid", &self.forbidden_includes),
        ] {
            for (paths, include) in checks {
                line(String::new());
                line(format!("[[includes.{kind}]]"));
                line(format!("paths = {paths:?}"));
                line(format!("include = {include:?}"));
            }
        }
        line(String::new());
        line("[permissions]".into());
        line(format!("types = {:?}", self.permission_types));
        line(format!("order = {:?}", self.permission_order));
        match self.known_scopes {
            Some(n) => line(format!("# known-scopes: {n} scopes")),
            None => {
                line(
                    "# known-scopes: none (DL606 compares with the scopes of each doc set)".into(),
                );
            }
        }
        for (paths, csdl, types) in &self.metadata {
            line(String::new());
            line("[[metadata]]".into());
            line(format!("paths = {paths:?}"));
            line(format!("csdl = {csdl:?}  # {types} types"));
        }
        line(String::new());
        line("[rules]".into());
        for rule in &self.rules {
            let note = rule
                .note
                .as_deref()
                .map_or(String::new(), |n| format!("; {n}"));
            line(format!(
                "{} = {:?}  # {}{note}",
                rule.id, rule.level, rule.name
            ));
        }
        if self.overrides > 0 {
            line(String::new());
            line(format!("# {} [[overrides]] sections", self.overrides));
        }
        out
    }
}

/// The level a rule's findings get, with a note when some get another. DL703 reports errors
/// only against a configured document outline, and DL103 only for configured required keys;
/// against the built-in defaults, warnings.
fn effective(
    rule: Rule,
    level: Level,
    outlines: &[String],
    unconfigured: &[String],
) -> (String, Option<String>) {
    if rule == Rule::FrontMatterKeyMissing
        && level == Level::On(crate::diagnostic::Severity::Error)
        && !unconfigured.is_empty()
    {
        return (
            "error".into(),
            Some(format!(
                "warnings in doc sets whose required keys are the built-in default ({})",
                unconfigured.join(", ")
            )),
        );
    }
    if rule == Rule::DocumentOutline && level == Level::On(crate::diagnostic::Severity::Error) {
        return if outlines.is_empty() {
            (
                "warning".into(),
                Some("no document outline is configured: the built-in API page outline reports warnings".into()),
            )
        } else {
            (
                "error".into(),
                Some(format!(
                    "errors only for the configured outlines ({}); warnings against the built-in API page outline",
                    outlines.join(", ")
                )),
            )
        };
    }
    (level.as_str().to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::defaults(std::path::PathBuf::from("/tmp"))
    }

    fn docset(outline: Vec<String>) -> DocSetDescription {
        DocSetDescription {
            name: "api-reference/v1.0".into(),
            root: "api-reference/v1.0".into(),
            from: vec!["ApiDoctor configuration api-reference/v1.0/config/schema.json".into()],
            pages: 3,
            required_front_matter: vec!["title".into()],
            required_front_matter_configured: true,
            base_urls: vec![],
            permission_titles: vec!["Permissions".into()],
            outline,
            skips: vec![],
        }
    }

    #[test]
    fn lists_doc_sets_and_where_they_come_from() {
        let text = Description::new(&settings(), vec![docset(vec![])], vec![], 0).render();
        assert!(
            text.contains("[[docsets]]\nname = \"api-reference/v1.0\""),
            "{text}"
        );
        assert!(text.contains("# from ApiDoctor configuration"), "{text}");
        assert!(text.contains("pages = 3"), "{text}");
    }

    #[test]
    fn dl703_shows_the_severity_its_findings_get() {
        let description = Description::new(&settings(), vec![docset(vec![])], vec![], 0);
        let dl703 = description
            .rules
            .iter()
            .find(|r| r.id == Rule::DocumentOutline.id())
            .unwrap();
        assert_eq!(dl703.level, "warning");
        let configured = vec!["enumPageType".to_string()];
        let description = Description::new(&settings(), vec![docset(configured)], vec![], 0);
        let dl703 = description
            .rules
            .iter()
            .find(|r| r.id == Rule::DocumentOutline.id())
            .unwrap();
        assert_eq!(dl703.level, "error");
        assert!(dl703
            .note
            .as_deref()
            .unwrap()
            .contains("enumPageType in api-reference/v1.0"));
    }
}
