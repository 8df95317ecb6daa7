//! Page annotation rules: DL207 (the `#page.annotation` comment is invalid) and DL208 (its
//! `tocPath` or `description` belongs to another page).

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::json::{JsonKind, JsonValue, Leniency};
use crate::document::{Annotation, BlockKind, Document};
use crate::rule::Rule;

/// Checks the page annotation(s) of the page.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    let mut pages = doc.annotations.iter().filter(|a| a.is_page);
    let Some(first) = pages.next() else {
        return;
    };
    validity(cx, first);
    for extra in pages {
        validity(cx, extra);
        cx.report(
            Finding::new(
                Rule::PageAnnotationInvalid,
                extra.span(),
                "a second page annotation; a page has one, so merge the two",
            )
            .with_related(doc.related(first.span(), "the first page annotation")),
        );
    }
    if cx.enabled(Rule::PageAnnotationInconsistent) {
        consistency(cx, doc, first);
    }
}

/// What each page-annotation key ApiDoctor reads must hold (its `PageAnnotation` class).
const KEYS: &[(&str, Shape)] = &[
    ("type", Shape::String),
    ("title", Shape::String),
    ("description", Shape::String),
    ("keywords", Shape::String),
    ("section", Shape::String),
    ("tocPath", Shape::String),
    ("canonicalUrl", Shape::String),
    ("namespace", Shape::String),
    ("headerAdditions", Shape::StringList),
    ("footerAdditions", Shape::StringList),
    ("tocIndex", Shape::Number),
    ("tocBookmarks", Shape::Object),
    ("suppressions", Shape::StringList),
];

#[derive(Clone, Copy)]
enum Shape {
    String,
    Number,
    Object,
    StringList,
}

impl Shape {
    fn fits(self, value: &JsonValue) -> bool {
        match (self, &value.kind) {
            (_, JsonKind::Null) => true,
            (Shape::String, JsonKind::String(_)) => true,
            (Shape::Number, JsonKind::Number(_)) => true,
            (Shape::Object, JsonKind::Object(_)) => true,
            (Shape::StringList, JsonKind::Array(items)) => {
                items.iter().all(|i| matches!(i.kind, JsonKind::String(_)))
            }
            _ => false,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Shape::String => "a string",
            Shape::Number => "a number",
            Shape::Object => "an object",
            Shape::StringList => "a list of strings",
        }
    }
}

fn validity(cx: &mut Context<'_>, annotation: &Annotation) {
    if !annotation.closed {
        cx.report(Finding::new(
            Rule::PageAnnotationInvalid,
            annotation.span().start..annotation.span().start + 4,
            "the page annotation comment is never closed; end it with `-->`",
        ));
        return;
    }
    let parsed = match &annotation.parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            cx.report(Finding::new(
                Rule::PageAnnotationInvalid,
                annotation.abs(&error.span),
                format!(
                    "the page annotation is not valid JSON: {}; ApiDoctor drops it with its suppressions",
                    error.message
                ),
            ));
            return;
        }
    };
    for lenient in &parsed.lenient {
        let mut finding = Finding::new(
            Rule::PageAnnotationInvalid,
            annotation.abs(&lenient.span),
            format!(
                "the page annotation uses a {}, which only lenient JSON parsers accept; write strict JSON",
                lenient.kind.describe()
            ),
        );
        // Raw line breaks in long suppression strings are common and harmless to Json.NET.
        if lenient.kind == Leniency::LineBreakInString {
            finding = finding
                .with_max_severity(Severity::Info)
                .with_help("write the line break as `\\n`, or join the lines");
        }
        cx.report(finding);
    }
    let Some(members) = parsed.value.as_object() else {
        cx.report(Finding::new(
            Rule::PageAnnotationInvalid,
            annotation.abs(&parsed.value.span()),
            format!(
                "the page annotation is {} but must be a JSON object",
                with_article(parsed.value.type_name())
            ),
        ));
        return;
    };
    for member in members {
        let Some((key, shape)) = KEYS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&member.key))
        else {
            continue;
        };
        if let (Shape::StringList, Some(items)) = (shape, member.value.as_array()) {
            if let Some(item) = items
                .iter()
                .find(|i| !matches!(i.kind, JsonKind::String(_)))
            {
                cx.report(Finding::new(
                    Rule::PageAnnotationInvalid,
                    annotation.abs(&item.span()),
                    format!(
                        "the page annotation's \"{key}\" must be a list of strings, but this item is {}",
                        with_article(item.type_name())
                    ),
                ));
            }
        } else if !shape.fits(&member.value) {
            cx.report(Finding::new(
                Rule::PageAnnotationInvalid,
                annotation.abs(&member.value.span()),
                format!(
                    "the page annotation's \"{key}\" must be {}, not {}",
                    shape.describe(),
                    with_article(member.value.type_name())
                ),
            ));
        }
    }
}

/// "an array", "a string".
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// DL208: a `tocPath` or `description` that shares no significant word with the page's title,
/// H1 or file name (or its introduction, which the description usually repeats) was most likely
/// copied from another page. A `tocPath` label may also name a section of the page.
fn consistency(cx: &mut Context<'_>, doc: &Document, annotation: &Annotation) {
    let Some(value) = annotation.value() else {
        return;
    };
    let names = name_words(doc);
    if names.is_empty() {
        return;
    }
    // Computed only for the rare value that shares nothing with the page's names.
    let mut intro: Option<Vec<String>> = None;
    for key in ["tocPath", "description"] {
        let Some(member) = value.member(key) else {
            continue;
        };
        let Some(text) = member.value.as_str() else {
            continue;
        };
        let compared = match key {
            "tocPath" => text
                .rsplit('/')
                .find(|s| !s.trim().is_empty())
                .unwrap_or(""),
            _ => text,
        };
        if !unrelated(compared, &names)
            || !unrelated(compared, intro.get_or_insert_with(|| intro_words(doc)))
            || (key == "tocPath" && section_label(doc, value, compared, &names))
        {
            continue;
        }
        let what = if key == "tocPath" {
            format!("the last `tocPath` segment \"{}\"", compared.trim())
        } else {
            format!("the `description` \"{}\"", compared.trim())
        };
        cx.report(
            Finding::new(
                Rule::PageAnnotationInconsistent,
                annotation.abs(&member.key_span()),
                format!(
                    "{what} shares no word with the page's title, H1 or file name, so it does not describe this page (copied from another page, or a placeholder)"
                ),
            )
            .with_help(format!("describe this page in \"{key}\"")),
        );
    }
}

/// Whether a table-of-contents label names a section of the page rather than the page: the
/// page's text uses its words, or a description that names the page does ("Getting started
/// programming with the SharePoint API" vouches for "Getting Started").
fn section_label(doc: &Document, value: &JsonValue, label: &str, names: &[String]) -> bool {
    let described = value
        .get("description")
        .and_then(JsonValue::as_str)
        .filter(|d| !unrelated(d, names))
        .is_some_and(|d| !unrelated(label, &significant_words(d)));
    described || !unrelated(label, &significant_words(&body_text(doc)))
}

/// The words of the page's title, H1 and file name.
fn name_words(doc: &Document) -> Vec<String> {
    let mut words = Vec::new();
    if let Some(title) = doc.front_matter.as_ref().and_then(|fm| fm.text("title")) {
        words.extend(significant_words(title));
    }
    let file = doc.docset_path().rsplit('/').next().unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    words.extend(significant_words(&stem.replace(['-', '_', '.'], " ")));
    if let Some(h1) = doc.h1s().next() {
        words.extend(significant_words(&h1.text));
    }
    words
}

/// The words of the page's introduction: the first two paragraphs between the H1 and the next
/// heading.
fn intro_words(doc: &Document) -> Vec<String> {
    let mut words = Vec::new();
    let Some(h1) = doc.h1s().next() else {
        return words;
    };
    let intro = doc
        .blocks
        .iter()
        .skip_while(|b| b.span().start <= h1.span().start)
        .take_while(|b| !matches!(b.kind, BlockKind::Heading(_)))
        .filter(|b| b.kind == BlockKind::Paragraph)
        .take(2);
    for block in intro {
        words.extend(significant_words(doc.slice(&block.span())));
    }
    words
}

/// The page's prose, headings, lists and tables: everything but code, comments (annotations)
/// and front matter.
fn body_text(doc: &Document) -> String {
    let mut text = String::new();
    for block in &doc.blocks {
        if matches!(
            block.kind,
            BlockKind::Heading(_)
                | BlockKind::Paragraph
                | BlockKind::List
                | BlockKind::Table
                | BlockKind::BlockQuote
        ) {
            text.push_str(doc.slice(&block.span()));
            text.push('\n');
        }
    }
    text
}

/// Whether `text` has significant words and none of them is among the page's: equal, or (for
/// words of five letters or more) inside one of the page's compound words, so `Recipients`
/// matches `DriveRecipient`. The parts of the text's own compound words count when equal to a
/// word of the page (`chatMessage` matches "Send message in a chat").
fn unrelated(text: &str, reference: &[String]) -> bool {
    let words = significant_words(text);
    if words.is_empty() {
        return false;
    }
    let inside_compound = |w: &String| {
        if w.chars().count() < 5 {
            return false;
        }
        let finder = memchr::memmem::Finder::new(w.as_bytes());
        reference
            .iter()
            .any(|r| r.len() > w.len() && finder.find(r.as_bytes()).is_some())
    };
    let related = words
        .iter()
        .any(|w| reference.contains(w) || inside_compound(w))
        || compound_parts(text).iter().any(|p| reference.contains(p));
    !related
}

/// Words that carry meaning, normalised: lower-cased, stemmed, stop words and words under three
/// letters dropped; compound words (`DriveItem`) kept whole, and each run of up to five
/// neighbouring words also joined (`check out` → `checkout`), so that spellings of one name
/// match.
fn significant_words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let mut out: Vec<String> = tokens
        .iter()
        .filter(|t| t.len() >= 3 && !STOP_WORDS.contains(t))
        .map(|t| stem(t.to_string()))
        .collect();
    for n in 2..=5 {
        out.extend(tokens.windows(n).map(|run| stem(run.concat())));
    }
    out
}

/// The stemmed parts of the camel-case words of `text` (`chatMessage` → `chat`, `messag`).
fn compound_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let mut part = String::new();
        for c in word.chars() {
            if c.is_uppercase() && !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            part.extend(c.to_lowercase());
        }
        if part.len() < word.len() {
            parts.push(part);
        }
    }
    parts
        .into_iter()
        .filter(|p| p.chars().count() >= 3 && !STOP_WORDS.contains(&p.as_str()))
        .map(stem)
        .collect()
}

const STOP_WORDS: &[&str] = &[
    "about", "all", "also", "and", "any", "are", "been", "being", "but", "can", "did", "does",
    "each", "for", "from", "has", "have", "how", "into", "its", "more", "most", "not", "off",
    "only", "other", "our", "out", "over", "per", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "under", "use", "used", "using", "via",
    "was", "were", "what", "when", "which", "who", "will", "with", "you", "your",
];

/// A crude suffix stemmer: enough to match `items`/`item`, `copies`/`copy`,
/// `created`/`creating`/`create`.
fn stem(mut w: String) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
    if w.len() > 5 && w.ends_with("ing") {
        w.truncate(w.len() - 3);
    } else if w.len() > 4 && w.ends_with("ed") {
        w.truncate(w.len() - 2);
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(stem("items".into()), stem("item".into()));
        assert_eq!(stem("copies".into()), stem("copy".into()));
        assert_eq!(stem("created".into()), stem("create".into()));
        assert_eq!(stem("creating".into()), stem("create".into()));
        assert_eq!(stem("status".into()), "status");
    }

    #[test]
    fn the_seed_annotation_shares_nothing_with_its_page() {
        let mut page = significant_words("Check Out Files");
        page.extend(significant_words("Check-out a DriveItem resource"));
        page.extend(significant_words("driveitem checkout"));
        assert!(unrelated("Create a copy of an existing item.", &page));
        assert!(unrelated("Copy", &page));
        assert!(!unrelated("Check out a driveItem", &page));
    }

    #[test]
    fn names_match_across_spellings() {
        let page = significant_words("userFlowApiConnectorConfiguration resource type");
        assert!(!unrelated("User flow API Connector Configuration", &page));
        let page = significant_words("DriveRecipient resource");
        assert!(!unrelated("Recipients", &page));
        let page = significant_words("Send message in a chat");
        assert!(!unrelated("Create chatMessage", &page));
        assert!(unrelated(
            "List owners",
            &significant_words("Get installed app in team")
        ));
    }
}
