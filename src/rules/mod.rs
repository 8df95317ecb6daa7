//! The rules, one module per family. A family is a function of the page, the index and the
//! settings that pushes findings; it never reads files.

pub mod annotations;
pub mod definitions;
pub mod front_matter;
pub mod http;
pub mod includes;
pub mod links;
pub mod metadata;
pub mod namespace;
pub mod outline;
pub mod page_annotation;
pub mod permissions;
pub mod scenarios;
pub mod schema;
pub mod structure;

use std::rc::Rc;

use crate::config::{RuleLevels, Settings};
use crate::diagnostic::{Finding, Level};
use crate::docset::{DocSet, DocSetId, Index};
use crate::document::json::{self, JsonError, ParseOptions, Parsed};
use crate::document::Document;
use crate::rule::Family;
use crate::rule::Rule;

/// What a family's check function sees, and where it reports.
pub struct Context<'a> {
    /// The page being checked.
    pub doc: &'a Document,
    /// Its number in the index's documents (`None` for a page outside the index).
    pub d: Option<usize>,
    /// The doc-set index.
    pub index: &'a Index,
    /// The doc set the page belongs to, with its settings.
    pub docset: &'a DocSet,
    /// Its id in the index.
    pub docset_id: DocSetId,
    /// The run's settings.
    pub settings: &'a Settings,
    levels: &'a RuleLevels,
    findings: Vec<Finding>,
    /// The JSON bodies of the page parsed so far, by where they start and how long they are:
    /// the HTTP and schema families read the same bodies, and parse each once.
    bodies: foldhash::HashMap<(usize, usize), Rc<Result<Parsed, JsonError>>>,
}

impl<'a> Context<'a> {
    /// Whether a rule is on for this page (skip expensive work for rules that are off).
    pub fn enabled(&self, rule: Rule) -> bool {
        self.levels.get(rule) != Level::Off
    }

    /// Whether any rule of a family is on for this page.
    pub fn family_enabled(&self, family: Family) -> bool {
        family.rules().iter().any(|&rule| self.enabled(rule))
    }

    /// The JSON body `text` that starts at byte `start` of the page, parsed with truncation
    /// markers allowed (`...` in place of elided members): parsed on first use, then shared.
    pub fn json_body(&mut self, text: &str, start: usize) -> Rc<Result<Parsed, JsonError>> {
        let options = ParseOptions {
            allow_truncation: true,
        };
        Rc::clone(
            self.bodies
                .entry((start, text.len()))
                .or_insert_with(|| Rc::new(json::parse(text, options))),
        )
    }

    /// Records a finding (dropped when its rule is off).
    pub fn report(&mut self, finding: Finding) {
        if self.enabled(finding.rule) {
            self.findings.push(finding);
        }
    }
}

/// A family's entry point.
pub type Check = fn(&mut Context<'_>);

/// The check functions of a family (the `meta` rules are reported by the pipeline itself).
/// A family added to the catalogue does not compile until it is listed here.
fn checks(family: Family) -> &'static [Check] {
    match family {
        Family::FrontMatter => &[front_matter::check],
        Family::Annotations => &[annotations::check, page_annotation::check, namespace::check],
        Family::Http => &[http::check],
        Family::Links => &[links::check],
        Family::Includes => &[includes::check],
        Family::Permissions => &[permissions::check],
        Family::Structure => &[structure::check, outline::check],
        Family::Schema => &[schema::check],
        Family::Metadata => &[metadata::check],
        Family::Meta => &[],
    }
}

/// Runs every family on one page. A panic inside a family is caught and becomes a DL904
/// internal-error finding at the top of the page; the other families still run.
pub fn check_document(
    doc: &Document,
    d: Option<usize>,
    index: &Index,
    settings: &Settings,
    levels: &RuleLevels,
) -> Vec<Finding> {
    let families = Family::ALL.into_iter().flat_map(|family| {
        checks(family)
            .iter()
            .map(move |&check| (family.name(), check))
    });
    run_families(families, doc, d, index, settings, levels)
}

fn run_families<'f>(
    families: impl IntoIterator<Item = (&'f str, Check)>,
    doc: &Document,
    d: Option<usize>,
    index: &Index,
    settings: &Settings,
    levels: &RuleLevels,
) -> Vec<Finding> {
    let docset_id = d.map_or(index.docsets.all().len(), |d| index.docset_of(d));
    let mut cx = Context {
        doc,
        d,
        index,
        docset: index.docsets.get(docset_id),
        docset_id,
        settings,
        levels,
        findings: Vec::new(),
        bodies: foldhash::HashMap::default(),
    };
    for (family, check) in families {
        let before = cx.findings.len();
        if let Err(panic) = crate::guard::catch(|| check(&mut cx)) {
            cx.findings.truncate(before);
            cx.findings.push(Finding::new(
                Rule::InternalError,
                0..0,
                format!(
                    "internal error in the {family} rules ({panic}); the other rules still ran, please report this with the file"
                ),
            ));
        }
    }
    cx.findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panicking(_: &mut Context<'_>) {
        panic!("boom");
    }

    fn reporting(cx: &mut Context<'_>) {
        cx.report(Finding::new(Rule::SectionEmpty, 0..1, "still checked"));
    }

    #[test]
    fn a_panicking_family_becomes_dl904_and_the_others_still_run() {
        let doc = Document::parse(
            "a.md".into(),
            "a.md".into(),
            "a.md".into(),
            "# A\n".into(),
            false,
        );
        let settings = Settings::defaults(".".into());
        let index = Index::default();
        let levels = settings.levels.for_page("a.md", "");
        let families: [(&str, Check); 2] = [("broken", panicking), ("structure", reporting)];
        let findings = run_families(families, &doc, None, &index, &settings, &levels);
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!(findings[0].rule, Rule::InternalError);
        assert!(findings[0]
            .message
            .contains("internal error in the broken rules (boom at src/rules/mod.rs:"));
        assert_eq!(findings[1].rule, Rule::SectionEmpty);
    }
}
