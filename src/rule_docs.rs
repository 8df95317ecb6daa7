//! The rule documentation, generated from the catalogue: the text of `doclint explain`, a
//! Markdown page per rule and an index of them, the web site built from those pages at release
//! time (`doclint rules --docs DIR`), and the addresses the site publishes them at, for SARIF
//! `helpUri`, the job summary, the language server and `doclint explain`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::config::{Catalogue, RuleInfo};
use crate::rule::Family;

/// The web address of a rule's page on the published site: `rules/<ID>.html` under the
/// project's home page (the folder [`write_site`] fills).
pub fn rule_url(id: &str) -> String {
    format!("{}/rules/{}", env!("CARGO_PKG_HOMEPAGE"), page_file(id))
}

/// The file name of a rule's page on the site: `<ID>.html`.
fn page_file(id: &str) -> String {
    format!("{id}.html")
}

/// Writes the rule pages of the site into `dir` (created if missing): `<ID>.html` for each rule
/// of the catalogue, each the HTML of [`page`], and `index.html`, the table of all rules. Returns
/// the files written.
pub fn write_site(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for rule in Catalogue::builtin().rules() {
        let title = format!("{} {}", rule.id, rule.name);
        let path = dir.join(page_file(&rule.id));
        std::fs::write(&path, html(&title, &page(rule)))?;
        written.push(path);
    }
    let index = format!("# doclint rules\n\n{}\n{}", OFFLINE, index_table(page_file));
    let path = dir.join("index.html");
    std::fs::write(&path, html("doclint rules", &index))?;
    written.push(path);
    Ok(written)
}

/// How to read the rule documentation without the site, for the site's index.
const OFFLINE: &str = "Every rule has a stable id, a stable name, a family and a default \
severity. Offline, `doclint explain ID` prints a rule's page and `doclint rules` lists them.\n";

/// A standalone HTML page of `title` holding `markdown` rendered.
pub fn html(title: &str, markdown: &str) -> String {
    let mut body = String::new();
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES),
    );
    // A text event alone comes out escaped and unwrapped.
    let mut title_text = String::new();
    pulldown_cmark::html::push_html(
        &mut title_text,
        std::iter::once(pulldown_cmark::Event::Text(title.into())),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title_text} · doclint</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
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

/// The index of the rules: a table with a link to each page, at the address `link` gives for
/// a rule id (`doclint rules --markdown` links to the published pages).
pub fn index_table(link: impl Fn(&str) -> String) -> String {
    let mut out = String::from(
        "| id | name | family | default | fix | summary |\n|---|---|---|---|---|---|\n",
    );
    for rule in Catalogue::builtin().rules() {
        let _ = writeln!(
            out,
            "| [{id}]({}) | `{}` | {} | {} | {} | {} |",
            link(&rule.id),
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

/// `DL401  link-target-missing  error  safe  summary` (the kind of automatic fix, if any), for
/// `doclint rules` and `doclint explain FAMILY`.
pub fn rule_line(rule: &RuleInfo) -> String {
    format!(
        "{}  {:<36} {:<8} {:<6} {}\n",
        rule.id,
        rule.name,
        rule.severity,
        rule.fix.map_or("", |a| a.as_str()),
        rule.summary
    )
}

/// `doclint explain ID`: what the rule checks, why, an example, how to fix and silence it, and
/// where its page is.
pub fn explanation(rule: &RuleInfo) -> String {
    let mut out = format!(
        "{} {} ({}, default {})\n\n",
        rule.id, rule.name, rule.family, rule.severity
    );
    let _ = writeln!(out, "What it checks: {}.\n", rule.summary);
    let _ = writeln!(out, "Why: {}\n", rule.why);
    if let Some(code) = &rule.apidoctor {
        let _ = writeln!(out, "ApiDoctor reports this as: {code}\n");
    }
    out.push_str("Example:\n");
    for line in rule.example.trim_end().lines() {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(out, "\nFix: {}", rule.remedy);
    if let Some(applicability) = rule.fix {
        let _ = writeln!(
            out,
            "Automatic fix ({applicability}): {}",
            crate::fix::availability(applicability)
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "Silence: `{id} = \"off\"` under [rules] in doclint.toml (or by path in [[overrides]]), or in the page: `<!-- doclint-disable-next-line {id} -->`.\n",
        id = rule.id
    );
    let _ = writeln!(out, "Docs: {}", rule_url(&rule.id));
    out
}

/// `doclint explain FAMILY`: the rules of the family, one a line.
pub fn family_listing(family: Family, rules: &[&RuleInfo]) -> String {
    let mut out = format!("The {family} rules:\n\n");
    for rule in rules {
        out.push_str(&rule_line(rule));
    }
    if let Some(first) = rules.first() {
        let _ = writeln!(
            out,
            "\n`doclint explain {}` explains one of them; `--select {family}` or `{family} = \"off\"` under [rules] selects or silences them all.",
            first.id
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
        assert!(rule_url("DL401").ends_with("/rules/DL401.html"));
    }
}
