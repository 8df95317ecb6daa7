//! Rule levels: the catalogue's defaults, `[rules]`, `--select`/`--ignore`, and the
//! `[[overrides]]` that apply to some paths or doc sets; resolved once per run.

use globset::GlobSet;

use super::file::{self, ConfigFile, Step};
use super::{glob_set, Catalogue, LoadError, Problems};
use crate::diagnostic::{Level, Severity};
use crate::rule::Rule;

/// The levels of all rules for one page, indexed like the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLevels(Vec<Level>);

impl RuleLevels {
    /// The level of a rule.
    pub fn get(&self, rule: Rule) -> Level {
        self.0[rule.index()]
    }
}

/// Levels applied on top of others: rule index → level.
type LevelTable = Vec<(usize, Level)>;

/// One `[[overrides]]` entry, compiled.
#[derive(Debug)]
struct Override {
    /// Globs of the paths it applies to (relative to the root); `None`: every path.
    paths: Option<GlobSet>,
    /// Names of the doc sets it applies to; empty: every doc set.
    docsets: Vec<String>,
    levels: LevelTable,
}

/// The rule levels of a run.
#[derive(Debug, Default)]
pub struct Levels {
    base: Vec<Level>,
    overrides: Vec<Override>,
}

impl Levels {
    /// The catalogue's defaults, then `[rules]`, then `--select` and `--ignore`; and the
    /// `[[overrides]]`. The configuration file's problems go to `problems` (the entries they
    /// are about are left out); an unknown rule in `--select` or `--ignore` is a usage error.
    pub(crate) fn resolve(
        file: &ConfigFile,
        select: &[String],
        ignore: &[String],
        problems: &mut Problems<'_>,
    ) -> Result<Levels, LoadError> {
        let mut base: Vec<Level> = Rule::ALL.iter().map(|r| r.default_level()).collect();
        apply(&mut base, &resolve_table(&file.rules, problems));
        apply_selection(&mut base, select, ignore)?;
        let overrides = file
            .overrides
            .iter()
            .enumerate()
            .filter_map(|(i, o)| compile_override(i, o, problems))
            .collect();
        Ok(Levels { base, overrides })
    }

    /// The levels for a page: its path relative to the root and its doc set's name.
    pub fn for_page(&self, path: &str, docset: &str) -> RuleLevels {
        let mut levels = self.base.clone();
        for o in &self.overrides {
            let path_matches = o.paths.as_ref().is_none_or(|g| g.is_match(path));
            let docset_matches = o.docsets.is_empty() || o.docsets.iter().any(|d| d == docset);
            if path_matches && docset_matches {
                apply(&mut levels, &o.levels);
            }
        }
        RuleLevels(levels)
    }

    /// Whether a rule is on for any page: at its base level or in some override.
    pub fn enabled_anywhere(&self, rule: Rule) -> bool {
        let i = rule.index();
        self.base[i] != Level::Off
            || self.overrides.iter().any(|o| {
                o.levels
                    .iter()
                    .any(|&(j, level)| j == i && level != Level::Off)
            })
    }

    /// Every rule with its level before overrides, in catalogue order.
    pub fn base(&self) -> impl Iterator<Item = (Rule, Level)> + '_ {
        Rule::ALL.into_iter().zip(self.base.iter().copied())
    }

    /// How many `[[overrides]]` there are.
    pub fn override_count(&self) -> usize {
        self.overrides.len()
    }

    /// The doc-set names the overrides select, for checking them against the doc sets found.
    pub fn override_docsets(&self) -> impl Iterator<Item = &str> {
        self.overrides
            .iter()
            .flat_map(|o| o.docsets.iter().map(String::as_str))
    }
}

/// The `i`th `[[overrides]]` entry, compiled; `None` (a problem) when it says nowhere to apply.
fn compile_override(i: usize, o: &file::Override, problems: &mut Problems<'_>) -> Option<Override> {
    let at = [Step::Key("overrides"), Step::Index(i)];
    if o.paths.is_empty() && o.docsets.is_empty() {
        problems.at_key(&at, "an [[overrides]] entry needs `paths` (globs) or `docsets` (doc-set names) to say where it applies".into());
        return None;
    }
    Some(Override {
        paths: (!o.paths.is_empty())
            .then(|| glob_set(&o.paths, &[at[0], at[1], Step::Key("paths")], problems)),
        docsets: o.docsets.clone(),
        levels: resolve_table(&o.rules, problems),
    })
}

fn apply(levels: &mut [Level], table: &LevelTable) {
    for &(i, level) in table {
        levels[i] = level;
    }
}

/// `--select` keeps only the named rules (turning on named rules that are off by default);
/// `--ignore` turns rules off. An unknown rule there is a usage error naming the option.
fn apply_selection(
    levels: &mut [Level],
    select: &[String],
    ignore: &[String],
) -> Result<(), LoadError> {
    let catalogue = Catalogue::builtin();
    let ids = |option: &str, selectors: &[String]| -> Result<Vec<usize>, LoadError> {
        let mut out = Vec::new();
        for selector in selectors
            .iter()
            .flat_map(|s| s.split(','))
            .filter(|s| !s.trim().is_empty())
        {
            let named = catalogue
                .select(selector)
                .ok_or_else(|| LoadError::Usage(format!("{option}: {}", unknown_rule(selector))))?;
            out.extend(named.iter().map(|rule| rule.index()));
        }
        Ok(out)
    };
    let selected = ids("--select", select)?;
    if !select.is_empty() {
        for (i, level) in levels.iter_mut().enumerate() {
            if !selected.contains(&i) {
                *level = Level::Off;
            } else if *level == Level::Off {
                *level = Level::On(Severity::Warning);
            }
        }
    }
    for i in ids("--ignore", ignore)? {
        levels[i] = Level::Off;
    }
    Ok(())
}

/// `unknown rule, rule name or family "x"; did you mean "y"?`
fn unknown_rule(selector: &str) -> String {
    let hint = Catalogue::builtin().suggest(selector).map_or_else(
        || "; `doclint rules` lists the ids and names".into(),
        |s| format!("; did you mean {s:?}?"),
    );
    format!(
        "unknown rule, rule name or family {:?}{hint}",
        selector.trim()
    )
}

/// Resolves a `[rules]` table to catalogue indices; unknown keys and levels are problems at
/// their positions, and left out.
fn resolve_table(table: &file::RuleTable, problems: &mut Problems<'_>) -> LevelTable {
    let catalogue = Catalogue::builtin();
    // Families first, then single rules, so `links = "off"` with `DL401 = "error"` keeps DL401.
    let mut entries: Vec<(bool, usize, Level)> = Vec::new();
    for (key, value) in table {
        let Some(ids) = catalogue.select(key.get_ref()) else {
            problems.at(Some(key.span()), unknown_rule(key.get_ref()));
            continue;
        };
        let Some(level) = Level::parse(value.get_ref()) else {
            problems.at(
                Some(value.span()),
                format!(
                    "unknown level {:?} for {:?}; use \"error\", \"warning\", \"info\" or \"off\"",
                    value.get_ref(),
                    key.get_ref()
                ),
            );
            continue;
        };
        let single = Rule::from_key(key.get_ref()).is_some();
        entries.extend(ids.iter().map(|rule| (single, rule.index(), level)));
    }
    entries.sort_by_key(|&(single, _, _)| single);
    entries
        .into_iter()
        .map(|(_, i, level)| (i, level))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(toml: &str, select: &[&str], ignore: &[&str]) -> Result<Levels, LoadError> {
        let file: ConfigFile = toml::from_str(toml).unwrap();
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let path = std::path::Path::new("doclint.toml");
        let mut problems = Problems::new(path, toml);
        let levels = Levels::resolve(&file, &strings(select), &strings(ignore), &mut problems)?;
        let errors = problems.into_errors();
        if errors.is_empty() {
            Ok(levels)
        } else {
            Err(errors.into())
        }
    }

    #[test]
    fn rules_then_single_rules_then_overrides() {
        let levels = levels(
            "[rules]\nDL401 = \"warning\"\nlinks = \"off\"\n\
             [[overrides]]\npaths = [\"beta/**\"]\nrules = { DL401 = \"off\" }\n\
             [[overrides]]\ndocsets = [\"v1\"]\nrules = { DL411 = \"error\" }\n",
            &[],
            &[],
        )
        .unwrap();
        let page = levels.for_page("a.md", "x");
        assert_eq!(
            page.get(Rule::LinkTargetMissing),
            Level::On(Severity::Warning)
        );
        assert_eq!(page.get(Rule::LinkAnchorMissing), Level::Off);
        assert_eq!(
            levels
                .for_page("beta/a.md", "x")
                .get(Rule::LinkTargetMissing),
            Level::Off
        );
        assert_eq!(
            levels.for_page("a.md", "v1").get(Rule::PageOrphaned),
            Level::On(Severity::Error)
        );
        assert!(
            levels.enabled_anywhere(Rule::PageOrphaned)
                && !levels.enabled_anywhere(Rule::LinkAnchorMissing)
        );
        assert_eq!(levels.override_docsets().collect::<Vec<_>>(), vec!["v1"]);
    }

    #[test]
    fn select_turns_on_and_ignore_turns_off() {
        let levels = levels(
            "",
            &["page-orphaned,link-target-missing"],
            &["link-target-missing"],
        )
        .unwrap();
        let page = levels.for_page("a.md", "");
        assert_eq!(page.get(Rule::PageOrphaned), Level::On(Severity::Warning));
        assert_eq!(page.get(Rule::LinkTargetMissing), Level::Off);
        assert_eq!(page.get(Rule::FrontMatterMissing), Level::Off);
    }

    #[test]
    fn unknown_rules_and_overrides_without_a_place_are_errors() {
        let config_error = |toml: &str| match levels(toml, &[], &[]).unwrap_err() {
            LoadError::Config(errors) => errors[0].message.clone(),
            LoadError::Usage(message) => panic!("a usage error: {message}"),
        };
        let message = config_error("[rules]\nDL40 = \"off\"\n");
        assert!(message.contains("unknown rule"), "{message}");
        let message = config_error("[[overrides]]\nrules = { DL401 = \"off\" }\n");
        assert!(message.contains("`paths`"), "{message}");
        let message = config_error("[rules]\nDL401 = \"loud\"\n");
        assert!(message.contains("unknown level"), "{message}");
    }

    #[test]
    fn unknown_rules_on_the_command_line_are_usage_errors() {
        let error = levels("", &["linkz"], &[]).unwrap_err();
        assert_eq!(
            error,
            LoadError::Usage(
                "--select: unknown rule, rule name or family \"linkz\"; did you mean \"links\"?"
                    .into()
            )
        );
        let error = levels("", &[], &["DL4O1"]).unwrap_err();
        assert!(
            matches!(&error, LoadError::Usage(m) if m.starts_with("--ignore: ")),
            "{error:?}"
        );
    }
}
