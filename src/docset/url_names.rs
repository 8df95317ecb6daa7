//! What the API pages say about the segments of their URLs, beyond the properties and
//! relationships of the type registry:
//!
//! * the names of bound functions and actions (`/users/{id}/assignLicense`,
//!   `/me/drive/root/delta()`), from a title of the form `type: name` (`user: assignLicense`),
//!   the last segment of a `POST` URL of an "HTTP request" section, a segment with an
//!   argument list there (`getEmailActivityCounts(period='D7')`, `delta()`), and the last
//!   segment of any URL there that the page's file is named after (`drive-sharedwithme.md`
//!   documents `GET /me/drive/sharedWithMe`; a relationship a page of its own documents,
//!   `user-list-events.md`, counts too, whether or not the resource page lists it);
//! * the types of entity sets: API page files are named after the type they operate on
//!   (`orgcontact-get.md`), so `GET /contacts/{id}` there says that `contacts` holds
//!   `orgContact`s, which its name alone does not tell.
//!
//! Each fact is kept with a count of the pages that state it, so that one page's
//! contribution can be replaced when an editor changes it.

use foldhash::HashMap;
use rayon::prelude::*;

use crate::document::http::parse_syntax;
use crate::document::Document;
use crate::schema::urls::api_segments;

/// Function and action names and entity-set types, as the pages document them.
#[derive(Debug, Default)]
pub struct UrlNames {
    /// Pages per lower-cased function or action name.
    operations: HashMap<String, u32>,
    /// Per lower-cased entity set, the lower-cased types its pages are named after.
    entity_sets: HashMap<String, EntitySet>,
}

/// The types the pages of one entity set are named after.
#[derive(Debug, Default)]
struct EntitySet {
    /// Pages per type.
    pages: HashMap<String, u32>,
    /// The types, the most pages first (then by name): ranked once when the counts change,
    /// not on every lookup, which a set with thousands of types would make quadratic.
    ranked: Vec<String>,
}

impl EntitySet {
    fn rank(&mut self) {
        let mut types: Vec<(&String, u32)> = self.pages.iter().map(|(t, &n)| (t, n)).collect();
        types.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        self.ranked = types.into_iter().map(|(t, _)| t.clone()).collect();
    }
}

/// What one page states, each fact once, lower-cased: the names of operations, and the entity
/// sets the page addresses a member of, whose type is the one the page's file is named after.
/// A checked page's facts live until the index is built, so they are one string: the
/// operation names, then the entity sets, each followed by a line break, then the type (names
/// and sets are letters, digits, `_` and `.`; the type, from the file name, comes last so that
/// it may hold any character).
#[derive(Debug, Default, Clone)]
pub(super) struct Facts {
    text: Box<str>,
    /// How many operation names `text` starts with.
    operations: u32,
    /// How many entity sets follow them.
    entity_sets: u32,
}

impl Facts {
    /// The facts of `operations` and of the `entity_sets` whose type is `page_type`, each
    /// list sorted and without repeats.
    fn new(operations: &[String], entity_sets: &[String], page_type: &str) -> Facts {
        let mut text = String::new();
        for name in operations.iter().chain(entity_sets) {
            text.push_str(name);
            text.push('\n');
        }
        if !entity_sets.is_empty() {
            text.push_str(page_type);
        }
        Facts {
            text: text.into(),
            operations: crate::source::saturating_u32(operations.len()),
            entity_sets: crate::source::saturating_u32(entity_sets.len()),
        }
    }

    /// The operation names, then the entity sets, then the type (see [`Facts`]).
    fn lines(&self) -> impl Iterator<Item = &str> {
        self.text.splitn(
            self.operations as usize + self.entity_sets as usize + 1,
            '\n',
        )
    }

    /// The names of operations the page documents.
    fn operations(&self) -> impl Iterator<Item = &str> {
        self.lines().take(self.operations as usize)
    }

    /// The entity sets the page addresses a member of, each with the type the page is named
    /// after.
    fn entity_sets(&self) -> impl Iterator<Item = (&str, &str)> {
        let page_type = self
            .lines()
            .nth(self.operations as usize + self.entity_sets as usize)
            .unwrap_or("");
        self.lines()
            .skip(self.operations as usize)
            .take(self.entity_sets as usize)
            .map(move |set| (set, page_type))
    }
}

impl UrlNames {
    /// Collects what the pages state; a page whose text was dropped after its parse states
    /// what `worked_out` holds for it (per document, the facts read in the parse worker; the
    /// list may end early), each let go of once counted.
    pub(super) fn build(documents: &[Document], mut worked_out: Vec<Option<Facts>>) -> UrlNames {
        worked_out.resize_with(documents.len(), || None);
        worked_out
            .par_iter_mut()
            .zip(documents)
            .filter(|(stated, _)| stated.is_none())
            .for_each(|(stated, doc)| *stated = Some(facts(doc)));
        let mut names = UrlNames::default();
        for facts in worked_out.into_iter().flatten() {
            names.add(&facts, 1);
        }
        names.entity_sets.values_mut().for_each(EntitySet::rank);
        names
    }

    /// Replaces the contribution of one page: `old`'s facts go, `new`'s come.
    pub fn replace(&mut self, old: &Document, new: &Document) {
        let (old, new) = (facts(old), facts(new));
        self.add(&old, -1);
        self.add(&new, 1);
        for (set, _) in old.entity_sets().chain(new.entity_sets()) {
            if let Some(types) = self.entity_sets.get_mut(set) {
                types.rank();
            }
        }
    }

    fn add(&mut self, facts: &Facts, by: i64) {
        fn count(map: &mut HashMap<String, u32>, key: &str, by: i64) {
            let entry = map.entry(key.to_string()).or_default();
            *entry = u32::try_from(i64::from(*entry) + by).unwrap_or(0);
            if *entry == 0 {
                map.remove(key);
            }
        }
        for name in facts.operations() {
            count(&mut self.operations, name, by);
        }
        for (set, ty) in facts.entity_sets() {
            let types = self.entity_sets.entry(set.to_string()).or_default();
            count(&mut types.pages, ty, by);
            if types.pages.is_empty() {
                self.entity_sets.remove(set);
            }
        }
    }

    /// Whether some page documents a function or action named `name` (any case).
    pub fn is_operation(&self, name: &str) -> bool {
        self.operations.contains_key(&name.to_ascii_lowercase())
    }

    /// The types (lower-cased) whose pages address members of the entity set `set` (any
    /// case), the most pages first.
    pub fn entity_set_types(&self, set: &str) -> &[String] {
        self.entity_sets
            .get(&set.to_ascii_lowercase())
            .map_or(&[], |types| types.ranked.as_slice())
    }

    /// Whether pages of the entity set `set` are named after the type `ty` (both any case).
    pub fn is_entity_set_type(&self, set: &str, ty: &str) -> bool {
        self.entity_sets
            .get(&set.to_ascii_lowercase())
            .is_some_and(|types| types.pages.contains_key(&ty.to_ascii_lowercase()))
    }
}

/// What one page states, each fact once.
pub(super) fn facts(doc: &Document) -> Facts {
    let titles = doc
        .h1s()
        .map(|h| &*h.text)
        .chain(doc.front_matter.as_ref().and_then(|fm| fm.text("title")));
    let mut operations: Vec<String> = titles
        .filter_map(title_name)
        .map(str::to_ascii_lowercase)
        .collect();
    let mut entity_sets = Vec::new();
    // `orgcontact-get-transitivereports` → `orgcontact`, `transitivereports`.
    let stem = doc.file_stem().to_ascii_lowercase();
    let (page_type, page_last) = match (stem.split_once('-'), stem.rsplit_once('-')) {
        (Some((first, _)), Some((_, last))) => (first, last),
        _ => ("", ""),
    };
    for block in &doc.code_blocks {
        let annotated_request = block
            .annotation()
            .and_then(|a| doc.annotations.get(a))
            .is_some_and(|a| a.is("request"));
        if !(block.is_http() || annotated_request)
            || !doc.in_http_request_section(block.span().start)
        {
            continue;
        }
        for line in parse_syntax(doc.slice(&block.content())) {
            let path = &line.path.value;
            let post = line.method.value.eq_ignore_ascii_case("POST");
            operations.extend(operation_names(path, post, page_last).map(str::to_ascii_lowercase));
            if let Some(set) = keyed_entity_set(path).filter(|_| !page_type.is_empty()) {
                entity_sets.push(set.to_ascii_lowercase());
            }
        }
    }
    operations.sort_unstable();
    operations.dedup();
    entity_sets.sort_unstable();
    entity_sets.dedup();
    Facts::new(&operations, &entity_sets, page_type)
}

/// The operation a title of the form `type: name` names (`user: assignLicense`,
/// `driveItem: delta (deprecated)`).
fn title_name(title: &str) -> Option<&str> {
    let (ty, rest) = title.split_once(':')?;
    let ty = ty.trim();
    if ty.is_empty() || !ty.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
        return None;
    }
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    let after = rest[end..].trim_start();
    let plain = after.is_empty() || after.starts_with('(');
    (plain && name.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(name)
}

/// The path segments of a URL template after its origin and API version, query dropped.
fn path_segments(path: &str) -> Vec<&str> {
    api_segments(path).into_iter().map(|(s, _)| s).collect()
}

/// The function and action names of one URL template: every segment with an argument list;
/// the last segment of a `POST`, and the last segment when the page is named after it
/// (`page_last`: the last word of the page's file name).
fn operation_names<'p>(
    path: &'p str,
    post: bool,
    page_last: &str,
) -> impl Iterator<Item = &'p str> {
    let segments = path_segments(path);
    let last = segments.len().checked_sub(1);
    let page_last = page_last.to_string();
    segments
        .into_iter()
        .enumerate()
        .filter_map(move |(i, segment)| {
            // `delta()`, `f(period='D7')`; `users('{id}')` is a key, not a call.
            let (name, arguments) = match segment.split_once('(') {
                Some((name, rest)) => (name, rest.starts_with(')') || rest.contains('=')),
                None => (segment, false),
            };
            let named = !name.is_empty()
                && name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
            let is_last = Some(i) == last;
            let page_named = is_last && name.eq_ignore_ascii_case(&page_last);
            (named && (arguments || (post && is_last) || page_named)).then_some(name)
        })
}

/// The entity set a URL template addresses a member of, and nothing below it: `contacts` in
/// `/contacts/{id}` (not in `/contacts/{id}/manager`, whose page is about the manager).
fn keyed_entity_set(path: &str) -> Option<&str> {
    let segments = path_segments(path);
    let [set, key] = segments[..] else {
        return None;
    };
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
    (plain(set) && key.starts_with('{') && key.ends_with('}')).then_some(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page's facts read back as they were stated, whatever its type's name holds.
    #[test]
    fn facts_read_back_from_their_one_string() {
        let sets = ["contacts".to_string(), "users".to_string()];
        let facts = Facts::new(&["delta".into()], &sets, "odd\ntype");
        assert_eq!(facts.operations().collect::<Vec<_>>(), ["delta"]);
        assert_eq!(
            facts.entity_sets().collect::<Vec<_>>(),
            [("contacts", "odd\ntype"), ("users", "odd\ntype")]
        );
        let none = Facts::new(&[], &[], "ignored");
        assert_eq!(none.operations().count() + none.entity_sets().count(), 0);
        assert_eq!(&*none.text, "");
    }

    #[test]
    fn titles_name_operations() {
        assert_eq!(title_name("user: assignLicense"), Some("assignLicense"));
        assert_eq!(title_name("driveItem: delta (deprecated)"), Some("delta"));
        assert_eq!(title_name("Get user"), None);
        assert_eq!(title_name("Tutorial: use the API"), None);
        assert_eq!(title_name("Step 1: create an app"), None);
    }

    #[test]
    fn urls_name_functions_and_actions() {
        let names = |path, post, page| operation_names(path, post, page).collect::<Vec<_>>();
        assert_eq!(
            names("/users/{id}/assignLicense", true, "assignlicense"),
            ["assignLicense"]
        );
        assert_eq!(
            names("/users/{id}/events", false, "user"),
            Vec::<&str>::new()
        );
        assert_eq!(
            names("/me/drive/sharedWithMe", false, "sharedwithme"),
            ["sharedWithMe"]
        );
        assert_eq!(
            names("/me/drive/sharedWithMe", false, "get"),
            Vec::<&str>::new()
        );
        assert_eq!(
            names(
                "https://graph.microsoft.com/v1.0/reports/getEmailActivityCounts(period='{p}')/content",
                false,
                ""
            ),
            ["getEmailActivityCounts"]
        );
        assert_eq!(names("/me/drive/root/delta()?$top=2", false, ""), ["delta"]);
        assert_eq!(names("/users('{id}')/x", false, ""), Vec::<&str>::new());
    }

    #[test]
    fn keyed_first_segments_are_entity_sets() {
        assert_eq!(keyed_entity_set("/contacts/{id}/manager"), None);
        assert_eq!(keyed_entity_set("/v1.0/contacts/{id}"), Some("contacts"));
        assert_eq!(keyed_entity_set("/me/contacts/{id}"), None);
        assert_eq!(keyed_entity_set("/contacts"), None);
    }

    #[test]
    fn pages_replaced_take_their_facts_along() {
        let page = |path: &str, text: &str| {
            Document::parse(path.into(), path.into(), path.into(), text.into(), false)
        };
        let with = page(
            "orgcontact-get.md",
            "# user: assignLicense\n\n## HTTP request\n\n```http\nPOST /users/{id}/revokeSignInSessions\nGET /contacts/{id}\n```\n",
        );
        let without = page("orgcontact-get.md", "# Get user\n");
        let mut names = UrlNames::build(std::slice::from_ref(&with), Vec::new());
        assert!(names.is_operation("assignLicense"));
        assert!(names.is_operation("REVOKESIGNINSESSIONS"));
        assert_eq!(names.entity_set_types("Contacts"), ["orgcontact"]);
        assert!(names.is_entity_set_type("contacts", "orgContact"));
        assert!(!names.is_entity_set_type("contacts", "contact"));
        names.replace(&with, &without);
        assert!(!names.is_operation("assignLicense"));
        assert!(names.entity_set_types("contacts").is_empty());
    }
}
