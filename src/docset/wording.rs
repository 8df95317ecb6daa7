//! The wording of the includes an include policy names: the distinct words of their prose.
//! DL504 compares them with the paragraphs of every page that lacks a required include (the
//! page may write the include's text out instead of including it), so they are worked out
//! once, when the index is built, not once for every such page (thousands on Graph).

use std::borrow::Cow;

use foldhash::{HashMap, HashSet};

use super::files::Files;
use super::release::policy_includes;
use crate::config::Settings;
use crate::document::{BlockKind, Document};

/// The distinct words of a page's prose, lower-cased (see [`words`]).
pub type Words = HashSet<Box<str>>;

/// The prose words of the documents an include policy names, by document.
#[derive(Debug, Default)]
pub struct Wordings {
    by_document: HashMap<usize, Words>,
}

impl Wordings {
    /// The words of the documents the include policies of `settings` name (see
    /// [`policy_includes`]).
    pub fn build(documents: &[Document], files: &Files, settings: &Settings) -> Wordings {
        let by_document = policy_includes(files, settings)
            .into_iter()
            .filter_map(|path| files.get(path)?.document)
            .filter_map(|d| Some((d, prose_words(documents.get(d)?))))
            .collect();
        Wordings { by_document }
    }

    /// The prose words of document `d` (`doc`): kept when a policy names it, else worked out
    /// now (a policy of other settings than the index was built with).
    pub fn of<'s>(&'s self, d: usize, doc: &Document) -> Cow<'s, Words> {
        match self.by_document.get(&d) {
            Some(words) => Cow::Borrowed(words),
            None => Cow::Owned(prose_words(doc)),
        }
    }

    /// Document `d` was replaced by `doc`: its words are worked out again when they are kept.
    pub(super) fn replace(&mut self, d: usize, doc: &Document) {
        if let Some(words) = self.by_document.get_mut(&d) {
            *words = prose_words(doc);
        }
    }
}

/// The distinct words of a page's prose (paragraphs, block quotes, lists; not comments).
pub fn prose_words(doc: &Document) -> Words {
    doc.blocks
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BlockKind::Paragraph | BlockKind::BlockQuote | BlockKind::List
            )
        })
        .flat_map(|b| words(doc.slice(&b.span())))
        .map(Box::from)
        .collect()
}

/// The words of a text, lower-cased (runs of letters and digits); words already in lower case
/// are borrowed.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    fn page(path: &str, text: &str) -> Document {
        Document::parse(path.into(), path.into(), path.into(), text.into(), false)
    }

    #[test]
    fn the_words_of_policy_includes_are_kept_and_follow_edits() {
        let settings = Settings::defaults(".".into());
        let mut files = Files::new(vec!["a.md".into(), "includes/beta-disclaimer.md".into()]);
        let documents = vec![
            page("a.md", "Some Page text.\n"),
            page(
                "includes/beta-disclaimer.md",
                "> Beta APIs may CHANGE.\n\n<!-- hidden words -->\n\n- listed\n",
            ),
        ];
        files.attach(documents.par_iter().map(Document::docset_path));
        let mut wordings = Wordings::build(&documents, &files, &settings);
        let sorted = |words: &Words| {
            let mut words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
            words.sort_unstable();
            words.join(" ")
        };
        assert!(matches!(wordings.of(1, &documents[1]), Cow::Borrowed(_)));
        assert_eq!(
            sorted(&wordings.of(1, &documents[1])),
            "apis beta change listed may"
        );
        // A page no policy names is read when asked for.
        assert!(matches!(wordings.of(0, &documents[0]), Cow::Owned(_)));
        assert_eq!(sorted(&wordings.of(0, &documents[0])), "page some text");

        let edited = page("includes/beta-disclaimer.md", "Preview only.\n");
        wordings.replace(1, &edited);
        wordings.replace(0, &edited);
        assert_eq!(sorted(&wordings.of(1, &edited)), "only preview");
        assert!(matches!(wordings.of(0, &documents[0]), Cow::Owned(_)));
    }
}
