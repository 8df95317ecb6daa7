//! What resource pages say about their type in prose that their annotation leaves out: that
//! it is an open type ("This is an open type"), or what it inherits from ("Inherits from
//! [directoryObject](directoryobject.md)").

use std::sync::OnceLock;

use regex::Regex;

use crate::document::{BlockKind, Document};

/// Whether a page's prose calls its type an open type ("This is an Open Type", "this is an
/// [open type](…)").
pub fn says_open_type(text: &str) -> bool {
    // A plain search for the rare words first; a case-insensitive regex over every resource
    // page would cost more than the rest of the page's reading.
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"pen ").any(|at| {
        let Some(start) = at.checked_sub(1) else {
            return false;
        };
        let word = bytes.get(start..start + 9).unwrap_or(b"");
        if !word.eq_ignore_ascii_case(b"open type") {
            return false;
        }
        // Before it: "is a " or "is an ", then any of `[`, `_`, `*`.
        let before = &bytes[..start];
        let before = before
            .iter()
            .rposition(|b| !matches!(b, b'[' | b'_' | b'*'))
            .map_or(&before[..0], |end| &before[..=end]);
        [&b"is an "[..], &b"is a "[..]].iter().any(|lead| {
            before.len() >= lead.len()
                && before[before.len() - lead.len()..].eq_ignore_ascii_case(lead)
                && (before.len() == lead.len()
                    || !before[before.len() - lead.len() - 1].is_ascii_alphanumeric())
        })
    })
}

/// The base type a page's introduction names — the paragraphs between its H1 and the next
/// heading: "Inherits from [directoryObject](directoryobject.md)", "will inherit from",
/// "derived from microsoft.graph.entity", "This is a subclass of **educationResource**", "the
/// derivative of the [actionResultPart](actionresultpart.md) resource". Every candidate in page order, as
/// written (link text or identifier, markup removed); which of them names a type is for the
/// registry to decide.
pub fn base_type_candidates(doc: &Document) -> Vec<String> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:(?:inherits?|inherited|derives?|derived)\s+(?:properties\s+)?from|subclass\s+of|derivative\s+of)\s+(?:the\s+|an?\s+)?(\[[^\]\n]+\]|\*\*[^*\n]+\*\*|__[^_\n]+__|`[^`\n]+`|_[^_\n]+_|[A-Za-z][\w.]*)",
        )
        .expect("valid pattern")
    });
    let Some(h1) = doc.blocks.iter().position(
        |b| matches!(b.kind, BlockKind::Heading(h) if doc.headings[h as usize].level == 1),
    ) else {
        return Vec::new();
    };
    doc.blocks[h1 + 1..]
        .iter()
        .take_while(|b| !matches!(b.kind, BlockKind::Heading(_)))
        .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::BlockQuote))
        .flat_map(|b| pattern.captures_iter(doc.slice(&b.span())))
        .filter_map(|c| {
            let name = c[1].trim_matches(|ch: char| matches!(ch, '[' | ']' | '*' | '_' | '`'));
            let name = name.trim();
            let identifier = name.starts_with(|ch: char| ch.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_'));
            identifier.then(|| name.trim_end_matches('.').to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_can_declare_open_types() {
        assert!(says_open_type("This is an _open type_ that represents"));
        assert!(says_open_type("It is an Open Type. It is part of"));
        assert!(says_open_type(
            "hence this is an [open type](/aspnet/odata)"
        ));
        assert!(!says_open_type(
            "This type is used in the open type [plannerAssignments]"
        ));
    }

    fn page(intro: &str) -> Document {
        Document::parse(
            "t.md".into(),
            "t.md".into(),
            "t.md".into(),
            format!("# thing resource type\n\nNamespace: microsoft.graph\n\n{intro}\n\n## Properties\n\nInherits from [later](later.md).\n"),
            false,
        )
    }

    #[test]
    fn introductions_name_base_types() {
        for (intro, expected) in [
            ("Inherits from [directoryObject](directoryobject.md).", vec!["directoryObject"]),
            ("Represents a group. Inherits from directoryObject.", vec!["directoryObject"]),
            ("This type will inherit from [identityProviderBase](x.md).", vec!["identityProviderBase"]),
            ("This is a subclass of [educationResource](educationresource.md).", vec!["educationResource"]),
            ("A subclass of **educationAssignmentGradeType**.", vec!["educationAssignmentGradeType"]),
            ("This resource is the derivative of the [actionResultPart](actionresultpart.md) resource.", vec!["actionResultPart"]),
            ("Derived from microsoft.graph.entity.", vec!["microsoft.graph.entity"]),
            ("The code is derived from ISO 639-1.", vec!["ISO"]),
            ("A plain description.", vec![]),
        ] {
            assert_eq!(base_type_candidates(&page(intro)), expected, "{intro}");
        }
    }
}
