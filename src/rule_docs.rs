//! The rule documentation: a Markdown page per rule and an index of them, generated from the
//! catalogue (the repository's `docs/rules/` holds this output), and the addresses they are
//! published at, for SARIF `helpUri`, the job summary and `doclint explain`.

use std::fmt::Write;

use crate::config::{Catalogue, RuleInfo};

/// The web address of a rule's page for this version of doclint: `docs/rules/<ID>.md` in the
/// repository, at the release tag.
pub fn rule_url(id: &str) -> String {
    format!(
        "{}/blob/v{}/docs/rules/{id}.md",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION")
    )
}

/// The page of one rule: what it checks, why, an example, how to fix and silence it.
pub fn page(rule: &RuleInfo) -> String {
    let mut out = format!("# {} {}\n\n", rule.id, rule.name);
    let _ = write!(
        out,
        "Family: `{}` · default severity: {}",
        rule.family, rule.severity
    );
    if let Some(code) = &rule.apidoctor {
        let _ = write!(out, " · ApiDoctor: `{code}`");
    }
    let _ = writeln!(out, "\n\n## What it checks\n\n{}.", sentence(&rule.summary));
    let _ = writeln!(out, "\n## Why\n\n{}", rule.why.trim());
    let fence = if rule.example.contains("```") {
        "````"
    } else {
        "```"
    };
    let _ = writeln!(
        out,
        "\n## Example\n\n{fence}markdown\n{}\n{fence}",
        rule.example.trim_end()
    );
    let _ = writeln!(out, "\n## How to fix it\n\n{}", remedy(rule).trim());
    let _ = writeln!(
        out,
        "\n## How to silence it\n\nFor the doc set or some paths, in `doclint.toml`:\n\n\
         ```toml\n[rules]\n{id} = \"off\"              # or \"warning\", \"info\"\n\n\
         [[overrides]]\npaths = [\"drafts/**\"]\nrules = {{ {id} = \"off\" }}\n```\n\n\
         For one place, in the page: `<!-- doclint-disable-next-line {id} -- why -->` on the line \
         before, or `<!-- doclint-disable-line {id} -->` at the end of the line.",
        id = rule.id
    );
    out
}

/// How to fix a rule's findings: the catalogue's remedy, and whether `doclint --fix` can do it.
pub fn remedy(rule: &RuleInfo) -> String {
    match rule.fix {
        Some(applicability) => format!(
            "{} {}",
            rule.remedy.trim(),
            crate::fix::availability(applicability)
        ),
        None => rule.remedy.clone(),
    }
}

/// The index of the rules: a table with a link to each page (`doclint rules --markdown`).
pub fn index_table() -> String {
    let mut out = String::from(
        "| id | name | family | default | fix | summary |\n|---|---|---|---|---|---|\n",
    );
    for rule in Catalogue::builtin().rules() {
        let _ = writeln!(
            out,
            "| [{id}]({id}.md) | `{}` | {} | {} | {} | {} |",
            rule.name,
            rule.family,
            rule.severity,
            rule.fix.map_or("", |a| a.as_str()),
            rule.summary.replace('|', "\\|"),
            id = rule.id
        );
    }
    out
}

/// `text` with its first letter upper-cased.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_has_every_part() {
        let rule = Catalogue::builtin().get("DL401").unwrap();
        let page = page(rule);
        assert!(page.starts_with("# DL401 link-target-missing\n"));
        for part in [
            "## What it checks\n\nA link points",
            "## Why",
            "## Example\n\n```markdown\n",
            "## How to fix it",
            "DL401 = \"off\"",
            "doclint-disable-next-line DL401",
        ] {
            assert!(page.contains(part), "{part:?} missing from\n{page}");
        }
        assert!(rule_url("DL401").ends_with("/docs/rules/DL401.md"));
    }
}
