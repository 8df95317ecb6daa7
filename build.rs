//! Generates the typed rule catalogue from `rules.toml`: one `Rule` variant per entry (named
//! after the rule's kebab-case name in CamelCase), one `Family` variant per family in order of
//! first appearance, and a table of each rule's id, name, family, default level, ApiDoctor
//! code and fix applicability. `src/rule.rs` includes the result, so a report site that names a rule that does not
//! exist is a compile error, and adding a rule is adding a `rules.toml` entry.

use std::fmt::Write as _;
use std::path::Path;

/// The fields of an entry the generated code carries (the prose stays in `rules.toml`).
struct Entry {
    id: String,
    name: String,
    family: String,
    severity: String,
    apidoctor: Option<String>,
    summary: String,
    /// `safe` or `unsafe` for a rule whose findings carry fixes.
    fix: Option<String>,
}

fn main() {
    println!("cargo::rerun-if-changed=rules.toml");
    let text = std::fs::read_to_string("rules.toml")
        .unwrap_or_else(|e| panic!("cannot read rules.toml: {e}"));
    let entries = read(&text).unwrap_or_else(|e| panic!("rules.toml: {e}"));
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("rules.rs"), generate(&entries))
        .unwrap_or_else(|e| panic!("cannot write the generated rules: {e}"));
}

/// Reads and checks the entries: ids `DLnnn` in increasing order, names unique kebab-case,
/// severities known.
fn read(text: &str) -> Result<Vec<Entry>, String> {
    let table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    let rules = table
        .get("rule")
        .and_then(toml::Value::as_array)
        .ok_or("no [[rule]] entries")?;
    let mut entries: Vec<Entry> = Vec::new();
    for rule in rules {
        let field = |key: &str| -> Result<String, String> {
            rule.get(key)
                .and_then(toml::Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("an entry has no string {key:?}: {rule}"))
        };
        let entry = Entry {
            id: field("id")?,
            name: field("name")?,
            family: field("family")?,
            severity: field("severity")?,
            apidoctor: field("apidoctor").ok(),
            summary: field("summary")?,
            fix: rule.get("fix").map(|_| field("fix")).transpose()?,
        };
        let id_ok = entry.id.len() == 5
            && entry.id.starts_with("DL")
            && entry.id[2..].bytes().all(|b| b.is_ascii_digit());
        if !id_ok {
            return Err(format!("rule id {:?} is not DL and three digits", entry.id));
        }
        if let Some(previous) = entries.last() {
            if previous.id >= entry.id {
                return Err(format!(
                    "{} comes after {}: keep ids in increasing order",
                    entry.id, previous.id
                ));
            }
        }
        for key in [&entry.name, &entry.family] {
            let kebab = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !kebab {
                return Err(format!("{}: {key:?} is not kebab-case", entry.id));
            }
        }
        if entries.iter().any(|e| e.name == entry.name) {
            return Err(format!("{}: the name {:?} is taken", entry.id, entry.name));
        }
        level(&entry.severity)
            .ok_or_else(|| format!("{}: unknown severity {:?}", entry.id, entry.severity))?;
        if let Some(fix) = &entry.fix {
            applicability(fix).ok_or_else(|| {
                format!(
                    "{}: fix must be \"safe\" or \"unsafe\", not {fix:?} (how to fix it by hand is `remedy`)",
                    entry.id
                )
            })?;
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// The `Level` expression of a severity.
fn level(severity: &str) -> Option<&'static str> {
    Some(match severity {
        "error" => "Level::On(Severity::Error)",
        "warning" => "Level::On(Severity::Warning)",
        "info" => "Level::On(Severity::Info)",
        "off" => "Level::Off",
        _ => return None,
    })
}

/// The `Applicability` expression of a rule's `fix`.
fn applicability(fix: &str) -> Option<&'static str> {
    Some(match fix {
        "safe" => "Applicability::Safe",
        "unsafe" => "Applicability::Unsafe",
        _ => return None,
    })
}

/// `link-target-missing` → `LinkTargetMissing`.
fn camel(kebab: &str) -> String {
    kebab
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

fn generate(entries: &[Entry]) -> String {
    let mut families: Vec<&str> = Vec::new();
    for entry in entries {
        if !families.contains(&entry.family.as_str()) {
            families.push(&entry.family);
        }
    }
    let mut out = String::from("// Generated by build.rs from rules.toml; do not edit.\n\n");
    out.push_str(
        "/// A rule of the catalogue: one variant per `rules.toml` entry, in id order.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n\
         pub enum Rule {\n",
    );
    for e in entries {
        let _ = writeln!(out, "    /// {} {}: {}.", e.id, e.name, e.summary);
        let _ = writeln!(out, "    {},", camel(&e.name));
    }
    out.push_str("}\n\n");
    let _ = writeln!(
        out,
        "impl Rule {{\n    /// Every rule, in id order.\n    pub const ALL: [Rule; {}] = [",
        entries.len()
    );
    for e in entries {
        let _ = writeln!(out, "        Rule::{},", camel(&e.name));
    }
    out.push_str("    ];\n}\n\n");
    let _ = writeln!(out, "const META: [Meta; {}] = [", entries.len());
    for e in entries {
        let apidoctor = match &e.apidoctor {
            Some(code) => format!("Some({code:?})"),
            None => "None".into(),
        };
        let fix = match e.fix.as_deref().and_then(applicability) {
            Some(applicability) => format!("Some({applicability})"),
            None => "None".into(),
        };
        let _ = writeln!(
            out,
            "    Meta {{ id: {:?}, name: {:?}, family: Family::{}, level: {}, apidoctor: {apidoctor}, fix: {fix} }},",
            e.id,
            e.name,
            camel(&e.family),
            level(&e.severity).unwrap_or("Level::Off"),
        );
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// A family of rules, as `rules.toml` groups them, in order of first appearance.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n\
         pub enum Family {\n",
    );
    for family in &families {
        let _ = writeln!(out, "    /// The `{family}` rules.\n    {},", camel(family));
    }
    out.push_str("}\n\n");
    let _ = writeln!(
        out,
        "impl Family {{\n    /// Every family, in catalogue order.\n    pub const ALL: [Family; {}] = [",
        families.len()
    );
    for family in &families {
        let _ = writeln!(out, "        Family::{},", camel(family));
    }
    out.push_str("    ];\n}\n\n");
    let _ = writeln!(out, "const FAMILY_NAMES: [&str; {}] = [", families.len());
    for family in &families {
        let _ = writeln!(out, "    {family:?},");
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "const FAMILY_RULES: [&[Rule]; {}] = [", families.len());
    for family in &families {
        let members: Vec<String> = entries
            .iter()
            .filter(|e| e.family == *family)
            .map(|e| format!("Rule::{}", camel(&e.name)))
            .collect();
        let _ = writeln!(out, "    &[{}],", members.join(", "));
    }
    out.push_str("];\n");
    out
}
