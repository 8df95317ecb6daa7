//! Rule levels: the catalogue's defaults, `[rules]`, `--select`/`--ignore`, and the
//! `[[overrides]]` that apply to some paths or doc sets; resolved once per run.

use std::path::Path;

use globset::GlobSet;

use super::file::{self, ConfigFile};
use super::{glob_set, line_column, Catalogue, ConfigError};
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
    /// `[[overrides]]` (`source` is the configuration file, for error positions).
    pub fn resolve(
        file: &ConfigFile,
        select: &[String],
        ignore: &[String],
        source: &Path,
    ) -> Result<Levels, ConfigError> {
        let mut base: Vec<Level> = Rule::ALL.iter().map(|r| r.default_level()).collect();
        apply(&mut base, &resolve_table(&file.rules, source)?);
        apply_selection(&mut base, select, ignore, source)?;
        let overrides = file
            .overrides
            .iter()
            .map(|o| compile_override(o, source))
            .collect::<Result<Vec<_>, ConfigError>>()?;
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

fn compile_override(o: &file::Override, source: &Path) -> Result<Override, ConfigError> {
    if o.paths.is_empty() && o.docsets.is_empty() {
        return Err(ConfigError {
            path: source.to_path_buf(),
            line: 0,
            column: 0,
            message: "an [[overrides]] entry needs `paths` (globs) or `docsets` (doc-set names) to say where it applies".into(),
        });
    }
    Ok(Override {
        paths: (!o.paths.is_empty())
            .then(|| glob_set(&o.paths, source))
            .transpose()?,
        docsets: o.docsets.clone(),
        levels: resolve_table(&o.rules, source)?,
    })
}

fn apply(levels: &mut [Level], table: &LevelTable) {
    for &(i, level) in table {
        levels[i] = level;
    }
}

/// `--select` keeps only the named rules (turning on named rules that are off by default);
/// `--ignore` turns rules off.
fn apply_selection(
    levels: &mut [Level],
    select: &[String],
    ignore: &[String],
    source: &Path,
) -> Result<(), ConfigError> {
    let catalogue = Catalogue::builtin();
    let ids = |selectors: &[String]| -> Result<Vec<usize>, ConfigError> {
        let mut out = Vec::new();
        for selector in selectors
            .iter()
            .flat_map(|s| s.split(','))
            .filter(|s| !s.trim().is_empty())
        {
            let named = catalogue
                .select(selector)
                .ok_or_else(|| unknown_rule(selector, source, 0, 0))?;
            out.extend(named.iter().map(|rule| rule.index()));
        }
        Ok(out)
    };
    let selected = ids(select)?;
    if !select.is_empty() {
        for (i, level) in levels.iter_mut().enumerate() {
            if !selected.contains(&i) {
                *level = Level::Off;
            } else if *level == Level::Off {
                *level = Level::On(Severity::Warning);
            }
        }
    }
    for i in ids(ignore)? {
        levels[i] = Level::Off;
    }
    Ok(())
}

fn unknown_rule(selector: &str, source: &Path, line: usize, column: usize) -> ConfigError {
    let hint = Catalogue::builtin().suggest(selector).map_or_else(
        || "; `doclint rules` lists the ids and names".into(),
        |s| format!("; did you mean {s:?}?"),
    );
    ConfigError {
        path: source.to_path_buf(),
        line,
        column,
        message: format!("unknown rule, rule name or family {selector:?}{hint}"),
    }
}

/// Resolves a `[rules]` table to catalogue indices, reporting unknown keys and levels with
/// their positions.
fn resolve_table(table: &file::RuleTable, source: &Path) -> Result<LevelTable, ConfigError> {
    let catalogue = Catalogue::builtin();
    let text = if table.is_empty() {
        String::new()
    } else {
        crate::files::read_text(source, crate::files::CONFIG_LIMIT).unwrap_or_default()
    };
    let position = |span: std::ops::Range<usize>| line_column(&text, span.start);
    // Families first, then single rules, so `links = "off"` with `DL401 = "error"` keeps DL401.
    let mut entries: Vec<(bool, usize, Level)> = Vec::new();
    for (key, value) in table {
        let (line, column) = position(key.span());
        let ids = catalogue
            .select(key.get_ref())
            .ok_or_else(|| unknown_rule(key.get_ref(), source, line, column))?;
        let level = Level::parse(value.get_ref()).ok_or_else(|| {
            let (line, column) = position(value.span());
            ConfigError {
                path: source.to_path_buf(),
                line,
                column,
                message: format!(
                    "unknown level {:?} for {:?}; use \"error\", \"warning\", \"info\" or \"off\"",
                    value.get_ref(),
                    key.get_ref()
                ),
            }
        })?;
        let single = Rule::from_key(key.get_ref()).is_some();
        entries.extend(ids.iter().map(|rule| (single, rule.index(), level)));
    }
    entries.sort_by_key(|&(single, _, _)| single);
    Ok(entries
        .into_iter()
        .map(|(_, i, level)| (i, level))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(toml: &str, select: &[&str], ignore: &[&str]) -> Result<Levels, ConfigError> {
        let file: ConfigFile = toml::from_str(toml).unwrap();
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Levels::resolve(
            &file,
            &strings(select),
            &strings(ignore),
            Path::new("doclint.toml"),
        )
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
        let error = levels("[rules]\nDL40 = \"off\"\n", &[], &[]).unwrap_err();
        assert!(error.message.contains("unknown rule"), "{}", error.message);
        let error = levels("", &["nope"], &[]).unwrap_err();
        assert!(error.message.contains("\"nope\""), "{}", error.message);
        let error = levels("[[overrides]]\nrules = { DL401 = \"off\" }\n", &[], &[]).unwrap_err();
        assert!(error.message.contains("`paths`"), "{}", error.message);
        let error = levels("[rules]\nDL401 = \"loud\"\n", &[], &[]).unwrap_err();
        assert!(error.message.contains("unknown level"), "{}", error.message);
    }
}
