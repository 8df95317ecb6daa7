//! Reference-link labels, and the definitions a page's pieces share.

use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

use regex::Regex;

/// Reference definitions anywhere in the body, by normalised label (the first wins), found
/// textually for pages parsed in pieces.
pub(super) fn scan_definitions(text: &str, from: usize) -> HashMap<String, String> {
    static DEFINITION: OnceLock<Regex> = OnceLock::new();
    let definition = DEFINITION.get_or_init(|| {
        Regex::new(r"(?m)^ {0,3}\[((?:[^\]\\\n]|\\.)+)\]:[ \t]*<?([^\s>]+)").expect("valid regex")
    });
    let mut found = HashMap::new();
    for caps in definition.captures_iter(&text[from..]) {
        found
            .entry(normalize_label(&caps[1]))
            .or_insert_with(|| caps[2].to_string());
    }
    found
}

/// Lower-cased with inner whitespace collapsed, as CommonMark matches labels.
pub(super) fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}
