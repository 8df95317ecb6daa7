//! The rules, one module per family. A family is a function of the page, the index and the
//! settings that pushes findings; it never reads files.

pub mod annotations;
pub mod front_matter;
pub mod outline;
pub mod schema;
pub mod structure;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::config::{RuleLevels, Settings};
use crate::diagnostic::{Finding, Level};
use crate::document::Document;
use crate::index::Index;

/// What a family's check function sees, and where it reports.
pub struct Context<'a> {
    /// The page being checked.
    pub doc: &'a Document,
    /// The doc-set index.
    pub index: &'a Index,
    /// The run's settings.
    pub settings: &'a Settings,
    levels: &'a RuleLevels,
    findings: Vec<Finding>,
}

impl<'a> Context<'a> {
    /// Whether a rule is on for this page (skip expensive work for rules that are off).
    pub fn enabled(&self, rule: &str) -> bool {
        self.levels.get(rule) != Level::Off
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

/// Every family, in catalogue order.
pub const FAMILIES: &[(&str, Check)] = &[
    ("front-matter", front_matter::check),
    ("annotations", annotations::check),
    ("structure", structure::check),
    ("structure", outline::check),
    ("schema", schema::check),
];

/// Runs every family on one page. A panic inside a family is caught and becomes a DL904
/// internal-error finding at the top of the page; the other families still run.
pub fn check_document(
    doc: &Document,
    index: &Index,
    settings: &Settings,
    levels: &RuleLevels,
) -> Vec<Finding> {
    let mut cx = Context {
        doc,
        index,
        settings,
        levels,
        findings: Vec::new(),
    };
    for (family, check) in FAMILIES {
        let before = cx.findings.len();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&mut cx)));
        if let Err(payload) = outcome {
            cx.findings.truncate(before);
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            cx.findings.push(Finding::new(
                "DL904",
                0..0,
                format!("internal error in the {family} rules: {message}; the other rules still ran, please report this"),
            ));
        }
    }
    cx.findings
}
