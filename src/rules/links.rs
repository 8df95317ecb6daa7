//! Links rules: DL401–DL404, DL406–DL408, DL410–DL413 (DL405 is in `definitions`).
//!
//! Every link the page model collects (inline, reference, image, autolink, HTML `href`/`src`)
//! is resolved with [`crate::docset::resolve`] against the doc-set index; no file is read. Links inside
//! an included file are checked when that file is linted itself, relative to that file (as
//! DocFX resolves them), not once per including page: a fragment included by a thousand pages
//! would otherwise report the same broken link a thousand times. A doc set that skips its
//! `includes` folders (as Graph's ApiDoctor configuration does) therefore leaves them unchecked.

use std::collections::HashSet;

use super::Context;
use crate::diagnostic::Finding;
use crate::docset::resolve::{self, Malformed, Resolver, Target};
use crate::docset::{FileEntry, Redirect};
use crate::document::{Document, Link, LinkKind};
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;
use crate::suggest::Budget;

/// Checks every link of the page, its reference definitions, and whether it is orphaned.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    let resolver = Resolver::new(cx.index);
    let mut page = PageState::default();
    for link in &doc.links {
        check_link(cx, &resolver, link, &mut page);
    }
    for case in page.case_only {
        cx.report(case.finding());
    }
    undefined_references(cx);
    super::definitions::unused(cx, &resolver);
    orphaned(cx);
}

/// What the checks of one page remember between links.
#[derive(Default)]
struct PageState<'d> {
    /// Targets already reported as not checked (DL412 is reported once per target).
    unchecked: HashSet<&'d str>,
    /// Did-you-means left for missing targets (each scans the target's folder).
    missing: Budget,
    /// Did-you-means left for missing anchors (each scans the target's anchors).
    missing_anchors: Budget,
    /// Targets that match a file only when case is ignored (DL402), once per path as written.
    case_only: Vec<CaseOnly>,
}

/// A link target that matches a file only when case is ignored, and how many links of the
/// page write it that way: one finding for all of them.
struct CaseOnly {
    /// The path as written (no `#anchor` or `?query`).
    path: String,
    /// The finding at the first link (or at the reference definition it uses).
    finding: Finding,
    /// How many links write the path.
    uses: usize,
    /// The first link's target with the file's case.
    corrected: String,
    /// The edits that write each of them with the file's case (one per reference definition).
    edits: Vec<TextEdit>,
}

impl CaseOnly {
    /// Adds a link's edit; the same definition written by several links is edited once.
    fn add_edit(&mut self, edit: Option<TextEdit>) {
        if let Some(edit) = edit {
            if !self.edits.iter().any(|e| e.span == edit.span) {
                self.edits.push(edit);
            }
        }
    }

    /// The finding, with the edits of every link as its fix.
    fn finding(self) -> Finding {
        let mut finding = self.finding;
        if !self.edits.is_empty() {
            let message = format!("write `{}`", self.corrected);
            finding = finding.with_fix(Fix::safe(message, self.edits));
        }
        if self.uses > 1 {
            finding.message = format!(
                "{} ({} links on this page write it so)",
                finding.message, self.uses
            );
        }
        finding
    }
}

fn check_link<'d>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'_>,
    link: &'d Link,
    page: &mut PageState<'d>,
) {
    let doc = cx.doc;
    let dest = link.dest.trim();
    if link.kind == LinkKind::Email {
        // `<someone@example.com>`: pulldown-cmark gives the address without `mailto:`.
        return;
    }
    if let Some(locale) = resolve::locale_in_url(dest) {
        report_locale(cx, link, locale);
        if dest.starts_with('/') {
            // A site path with a locale is a published URL, never a file of the doc set.
            return;
        }
    }
    match resolver.resolve(doc, dest) {
        Target::Unchecked => {}
        Target::Empty => cx.report(finding(
            Rule::LinkEmpty,
            doc,
            link,
            format!("{} has an empty target", describe(doc, link)),
        )),
        Target::Malformed(problem) => report_malformed(cx, link, problem),
        Target::SamePage(anchor) => check_same_page_anchor(cx, link, &anchor, page),
        Target::File {
            file,
            exact,
            path,
            anchor,
        } => {
            if !exact && cx.settings.case_sensitive_links {
                case_only(cx, link, file, &path, page);
            }
            if let (Some(anchor), Some(target)) = (anchor, file.document) {
                check_anchor(cx, link, target, &anchor, page);
            }
        }
        Target::Missing { path, rooted } => {
            if let Some(redirect) = cx.index.docsets.redirections.get(&path) {
                report_redirected(cx, link, &path, redirect);
            } else {
                let suggest = page.missing.take();
                report_missing(cx, link, &path, rooted, suggest);
            }
        }
        Target::SitePath { path } => {
            if page.unchecked.insert(dest) {
                let prefix = path.split('/').next().unwrap_or("");
                cx.report(
                    Finding::new(
                        Rule::LinkNotChecked,
                        link.span(),
                        format!(
                            "`{dest}` is a path on the published site outside this doc set; it is not checked"
                        ),
                    )
                    .with_help(format!(
                        "add `/{prefix}` to `[links] ignore` if links under it need no mention"
                    )),
                );
            }
        }
        Target::Outside => cx.report(
            finding(
                Rule::LinkOutsideDocset,
                doc,
                link,
                format!(
                    "link target `{dest}` climbs above the doc-set root `{}`",
                    crate::paths::display(&cx.settings.root)
                ),
            )
            .with_help(
                "links must stay inside the doc set; link to the published URL instead, or map \
                 the other repository to a local checkout in `[repos]`",
            ),
        ),
        Target::CrossRepo { repo, path, found } => match found {
            Some(true) => {}
            Some(false) => cx.report(finding(
                Rule::LinkTargetMissing,
                doc,
                link,
                format!(
                    "link target `{dest}` does not exist: no file `{path}` in the checkout of `{}`",
                    repo.as_deref().unwrap_or("")
                ),
            )),
            None => {
                if page.unchecked.insert(dest) {
                    cx.report(not_checked(link.span(), dest, repo.as_deref()));
                }
            }
        },
    }
}

/// A DL412 finding for a cross-repository target with no local checkout.
pub(crate) fn not_checked(span: std::ops::Range<usize>, dest: &str, repo: Option<&str>) -> Finding {
    let (what, help) = match repo {
        Some(repo) => (
            format!("the repository `{repo}` has no local checkout"),
            format!("map `{repo}` to a local checkout in `[repos]` to check it"),
        ),
        None => (
            "it is not in the doc set and names no known repository".to_string(),
            "`~/` paths start at the repository root; map the repository in `[repos]`, or write \
             the path relative to the page"
                .to_string(),
        ),
    };
    Finding::new(
        Rule::LinkNotChecked,
        span,
        format!("cross-repository target `{dest}` is not checked: {what}"),
    )
    .with_help(help)
}

/// A finding at the link, with the reference definition as a related location.
fn finding(rule: Rule, doc: &Document, link: &Link, message: String) -> Finding {
    let mut finding = Finding::new(rule, link.span(), message);
    if let Some(definition) = definition_of(doc, link) {
        finding = finding.with_related(doc.related(definition, "the reference definition"));
    }
    finding
}

fn definition_of(doc: &Document, link: &Link) -> Option<std::ops::Range<usize>> {
    link.definition()
        .and_then(|i| doc.link_definitions().get(i))
        .map(|d| d.span.clone())
}

/// How to name a link in messages: the link as written, shortened.
fn describe(doc: &Document, link: &Link) -> String {
    match (link.kind, link.image) {
        (LinkKind::Html, _) => "an HTML `href` or `src` attribute".to_string(),
        (_, true) => format!("the image `{}`", shorten(doc.slice(&link.span()))),
        _ => format!("the link `{}`", shorten(doc.slice(&link.span()))),
    }
}

pub(crate) fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 80 {
        format!("{}…", line.chars().take(79).collect::<String>())
    } else {
        line.to_string()
    }
}

fn report_locale(cx: &mut Context<'_>, link: &Link, locale: std::ops::Range<usize>) {
    let dest = link.dest.trim();
    let Some(segment) = dest.get(locale.clone()) else {
        return;
    };
    let without = format!("{}{}", &dest[..locale.start], &dest[locale.end..])
        .replacen("//", "/", usize::from(dest.starts_with('/')))
        .replace(".com//", ".com/");
    let without = if dest.starts_with('/') {
        format!("/{}", without.trim_start_matches('/'))
    } else {
        without
    };
    let mut finding = finding(
        Rule::LinkLocaleInUrl,
        cx.doc,
        link,
        format!(
            "`{dest}` pins the locale `{segment}`; without it Microsoft Learn serves each \
             reader their own language"
        ),
    )
    .with_help(format!("write `{without}`"));
    if let Some(edit) = dest_edit(cx.doc, link, &without) {
        finding = finding.with_fix(Fix::safe(format!("write `{without}`"), vec![edit]));
    }
    cx.report(finding);
}

fn report_malformed(cx: &mut Context<'_>, link: &Link, problem: Malformed) {
    let dest = link.dest.trim();
    let mut finding = finding(
        Rule::LinkUrlMalformed,
        cx.doc,
        link,
        format!("link target `{dest}` {}", problem.describe()),
    );
    match problem {
        Malformed::Backslash => {
            finding = finding.with_help(format!("write `{}`", resolve::with_forward_slashes(dest)));
        }
        Malformed::BadEscape => {
            finding = finding.with_help("write a literal `%` as `%25`");
        }
        Malformed::NoHost => {
            finding = finding.with_help("write the URL as `https://host/path`");
        }
    }
    cx.report(finding);
}

/// DL402, once per path as written on the page: at the reference definition for reference
/// links (where the fix goes), else at the first link.
fn case_only(
    cx: &Context<'_>,
    link: &Link,
    file: &FileEntry,
    path: &str,
    page: &mut PageState<'_>,
) {
    let dest = link.dest.trim();
    let written = resolve::split(dest).path;
    let corrected = correct_case(dest, path, &file.docset_path);
    if let Some(seen) = page.case_only.iter_mut().find(|c| c.path == written) {
        seen.uses += 1;
        seen.add_edit(dest_edit(cx.doc, link, &corrected));
        return;
    }
    let message = format!(
        "link target `{dest}` matches `{}` only when case is ignored; it breaks on \
         case-sensitive file systems (Linux builds, GitHub)",
        file.docset_path
    );
    let finding = match definition_of(cx.doc, link) {
        Some(definition) => Finding::new(Rule::LinkTargetCaseMismatch, definition, message)
            .with_related(cx.doc.related(link.span(), "a link that uses it")),
        None => Finding::new(Rule::LinkTargetCaseMismatch, link.span(), message),
    };
    let mut case = CaseOnly {
        path: written.to_string(),
        finding: finding.with_help(format!("write `{corrected}`")),
        uses: 1,
        corrected,
        edits: Vec::new(),
    };
    case.add_edit(dest_edit(cx.doc, link, &case.corrected));
    page.case_only.push(case);
}

/// The edit that writes `new` in place of the link's destination where the page spells it
/// out (in the link, or in its reference definition); `None` when the destination is not
/// written verbatim there (escapes, entities) or `new` would need escaping.
fn dest_edit(doc: &Document, link: &Link, new: &str) -> Option<TextEdit> {
    let written = definition_of(doc, link).unwrap_or_else(|| link.span());
    let span = dest_span(doc, written, link.dest.trim())?;
    writable(new).then(|| TextEdit::replace(span, new))
}

/// Whether `new` can be written as a link destination without escaping.
fn writable(new: &str) -> bool {
    !new.is_empty() && !new.contains(|c: char| c.is_whitespace() || "()<>\"'\\`".contains(c))
}

/// The fix that writes `new` over a destination at `span`, if it can be written unescaped.
pub(crate) fn replace_dest(span: std::ops::Range<usize>, new: &str) -> Option<Fix> {
    writable(new).then(|| Fix::safe(format!("write `{new}`"), vec![TextEdit::replace(span, new)]))
}

/// Where `dest` is written inside `within`: its last occurrence that follows an opening
/// parenthesis, an angle bracket, a quote or a definition's colon (whitespace allowed between).
fn dest_span(
    doc: &Document,
    within: std::ops::Range<usize>,
    dest: &str,
) -> Option<std::ops::Range<usize>> {
    let text = doc.text.get(within.clone())?;
    if dest.is_empty() {
        return None;
    }
    text.match_indices(dest)
        .filter(|(at, _)| {
            let before = text[..*at].trim_end_matches([' ', '\t']);
            before.ends_with(['(', '<', '"', '\'', ':'])
        })
        .last()
        .map(|(at, _)| within.start + at..within.start + at + dest.len())
}

/// `dest` with the case of its last path segments taken from the file found (`wanted` and
/// `actual` differ only in case).
pub(crate) fn correct_case(dest: &str, wanted: &str, actual: &str) -> String {
    let parts = resolve::split(dest);
    let mut segments: Vec<String> = parts.path.split('/').map(str::to_string).collect();
    let wanted: Vec<&str> = wanted.split('/').collect();
    let actual: Vec<&str> = actual.split('/').collect();
    let mut pairs = wanted.iter().rev().zip(actual.iter().rev());
    for segment in segments.iter_mut().rev() {
        if segment == "." || segment == ".." || segment.is_empty() {
            break;
        }
        let Some((w, a)) = pairs.next() else { break };
        let decoded = resolve::percent_decode(segment).map(|s| s.into_owned());
        if decoded.as_deref() == Some(*w) && w != a {
            *segment = (*a).to_string();
        }
    }
    let mut out = segments.join("/");
    if let Some(query) = parts.query {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = parts.fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// A link to a page that was moved: its path is a source path of a redirection file.
fn report_redirected(cx: &mut Context<'_>, link: &Link, path: &str, redirect: &Redirect) {
    let dest = link.dest.trim();
    cx.report(
        finding(
            Rule::LinkTargetRedirected,
            cx.doc,
            link,
            format!(
                "link target `{dest}` was moved: `{}` redirects `{path}` to `{}`",
                redirect.file, redirect.url
            ),
        )
        .with_help(match redirect.target_file(path, &cx.index.files) {
            Some(file) => format!(
                "link to `{}`, the file that `{}` serves",
                resolve::relative_path(resolve::parent(cx.doc.docset_path()), &file.docset_path),
                redirect.url
            ),
            None => format!("link to `{}`, where the page now lives", redirect.url),
        }),
    );
}

fn report_missing(cx: &mut Context<'_>, link: &Link, path: &str, rooted: bool, suggest: bool) {
    let dest = link.dest.trim();
    let doc = cx.doc;
    let (message, help) = missing_target(cx, doc, dest, path, rooted, suggest);
    let message = format!("link target `{dest}` does not exist: {message}");
    let mut finding = finding(Rule::LinkTargetMissing, doc, link, message);
    if let Some(help) = help {
        finding = finding.with_help(help);
    }
    cx.report(finding);
}

/// Why a target is missing, and the best help: a missing folder (when the root is not the top
/// of the repository, perhaps a part of it that was not checked), the closest file name in the
/// folder, or a file of that name elsewhere.
pub(crate) fn missing_target(
    cx: &Context<'_>,
    doc: &Document,
    dest: &str,
    path: &str,
    rooted: bool,
    suggest: bool,
) -> (String, Option<String>) {
    let index = cx.index;
    let message = if rooted {
        format!("no file `{path}` under the doc-set root")
    } else {
        format!("no file `{path}` in the doc set")
    };
    let folder = resolve::parent(path);
    let name = resolve::file_name(path);
    if rooted {
        if let Some(help) = under_docset_root(cx, doc, path) {
            return (message, Some(help));
        }
    }
    let elsewhere = same_name_elsewhere(cx, doc, name, rooted);
    if !suggest {
        return (message, elsewhere);
    }
    if !index.files.has_folder(folder) {
        let missing = first_missing_folder(cx, folder);
        let mut help = if cx.settings.root_is_top {
            format!(
                "there is no folder `{missing}/` under the root `{}`",
                crate::paths::display(&cx.settings.root)
            )
        } else {
            format!(
                "the folder `{missing}/` is not part of the doc set checked here (under `{}`); a \
                 link into a part of the repository that is not checked out cannot be verified",
                crate::paths::display(&cx.settings.root)
            )
        };
        if rooted && !name.contains('.') {
            help.push_str(&format!(
                "; if `{dest}` is a path on the published site, add its prefix to `[links] ignore`"
            ));
        }
        if let Some(elsewhere) = elsewhere {
            help.push_str("; ");
            help.push_str(&elsewhere);
        }
        return (message, Some(help));
    }
    if let Some(close) = index
        .files
        .closest_in_folder(folder, name, doc.docset_path())
    {
        let written_folder = resolve::split(dest)
            .path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder);
        let close_name = resolve::file_name(&close.docset_path);
        let suggestion = if written_folder.is_empty() {
            close_name.to_string()
        } else {
            format!("{written_folder}/{close_name}")
        };
        return (message, Some(format!("did you mean `{suggestion}`?")));
    }
    (message, elsewhere)
}

/// The help for a root-relative link written from the page's doc set rather than from the
/// checkout root (`/sdks/overview.md` on a page of the doc set in `concepts/`, for
/// `concepts/sdks/overview.md`): the link that is right, relative to the page.
fn under_docset_root(cx: &Context<'_>, doc: &Document, path: &str) -> Option<String> {
    let root = cx.docset.root.as_str();
    if root.is_empty() {
        return None;
    }
    let (file, _) = cx.index.files.find(&format!("{root}/{path}"))?;
    let relative = resolve::relative_path(resolve::parent(doc.docset_path()), &file.docset_path);
    Some(format!(
        "a link that starts with `/` does not resolve from this doc set's folder `{root}/`; the \
         page is `{}`: write `{relative}` (relative to this page)",
        file.docset_path
    ))
}

/// "did you mean …?" for the one file elsewhere in the doc set with this name, if there is
/// exactly one, written relative to the page (or from the root for root-relative links).
fn same_name_elsewhere(
    cx: &Context<'_>,
    doc: &Document,
    name: &str,
    rooted: bool,
) -> Option<String> {
    let elsewhere: Vec<&FileEntry> = cx.index.files.named(name).take(2).collect();
    let [only] = elsewhere.as_slice() else {
        return None;
    };
    let written = if rooted {
        format!("/{}", only.docset_path)
    } else {
        resolve::relative_path(resolve::parent(doc.docset_path()), &only.docset_path)
    };
    Some(if written.trim_start_matches('/') == only.docset_path {
        format!("did you mean `{written}`?")
    } else {
        format!(
            "did you mean `{written}`? (a file of that name is at `{}`)",
            only.docset_path
        )
    })
}

/// The shortest ancestor of `folder` (itself included) that is not in the doc set.
fn first_missing_folder(cx: &Context<'_>, folder: &str) -> String {
    let mut prefix = String::new();
    for segment in folder.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(segment);
        if !cx.index.files.has_folder(&prefix) {
            break;
        }
    }
    prefix
}

fn check_same_page_anchor(cx: &mut Context<'_>, link: &Link, anchor: &str, page: &mut PageState) {
    if anchor.starts_with("tab/") {
        return;
    }
    let doc = cx.doc;
    let anchors = cx.index.anchors_of(doc, cx.d);
    if anchors.contains(anchor) || doc.kind.fragment {
        // A fragment's `#x` points into whichever page includes it.
        return;
    }
    let help = anchor_help(&anchors, anchor, page.missing_anchors.take());
    let mut finding = finding(
        Rule::LinkAnchorMissing,
        doc,
        link,
        format!("anchor `#{anchor}` matches no heading or anchor on this page"),
    );
    if let Some(help) = help {
        finding = finding.with_help(help);
    }
    cx.report(finding);
}

fn check_anchor(
    cx: &mut Context<'_>,
    link: &Link,
    target: usize,
    anchor: &str,
    page: &mut PageState,
) {
    if anchor.is_empty() || anchor.starts_with("tab/") {
        return;
    }
    let index = cx.index;
    let anchors = index.anchors(target);
    if anchors.contains(anchor) {
        return;
    }
    let target_doc = &index.documents[target];
    let mut finding = finding(
        Rule::LinkAnchorMissing,
        cx.doc,
        link,
        format!(
            "anchor `#{anchor}` matches no heading or anchor in `{}`",
            target_doc.docset_path()
        ),
    );
    if let Some(help) = anchor_help(anchors, anchor, page.missing_anchors.take()) {
        finding = finding.with_help(help);
    }
    cx.report(finding);
}

/// The help for a missing anchor: its spelling in another case, or (when `suggest`) the
/// closest anchor.
fn anchor_help(anchors: &crate::docset::Anchors, anchor: &str, suggest: bool) -> Option<String> {
    if let Some(same) = anchors.ignoring_case(anchor) {
        return Some(format!(
            "anchors are case-sensitive; write `#{same}` (heading ids are lower-case)"
        ));
    }
    suggest
        .then(|| anchors.closest(anchor))
        .flatten()
        .map(|close| format!("did you mean `#{close}`?"))
}

fn undefined_references(cx: &mut Context<'_>) {
    let doc = cx.doc;
    if doc.undefined_references().is_empty() {
        return;
    }
    let mut labels: Vec<&str> = doc
        .link_definitions()
        .iter()
        .map(|d| d.label.as_str())
        .collect();
    labels.sort_unstable();
    let mut budget = Budget::default();
    for reference in doc.undefined_references() {
        let written = shorten(doc.slice(&reference.span));
        let close = budget
            .take()
            .then(|| crate::suggest::closest_sorted(&reference.label, &labels))
            .flatten();
        let help = match close {
            Some(close) => format!("did you mean `[{close}]`?"),
            None => format!(
                "add a definition line `[{}]: target` to the page, or write the link inline",
                reference.label
            ),
        };
        cx.report(
            Finding::new(
                Rule::LinkReferenceUndefined,
                reference.span.clone(),
                format!(
                    "reference `{written}` uses the label `[{}]`, which no definition on the page declares",
                    reference.label
                ),
            )
            .with_help(help),
        );
    }
}

/// DL411: a page no other page links to or includes. Runs only when every page of the doc set
/// was parsed (not on named-file runs without `--whole-docset`). Navigation roots (README,
/// index, TOC pages) and pages with a `tocPath` in their page annotation (placed in the table of
/// contents) are exempt; YAML TOC files are not read.
fn orphaned(cx: &mut Context<'_>) {
    let doc = cx.doc;
    let index = cx.index;
    if !index.complete || !cx.enabled(Rule::PageOrphaned) || doc.kind.fragment {
        return;
    }
    let name = resolve::file_name(doc.docset_path()).to_ascii_lowercase();
    let navigation = ["readme.md", "index.md", "toc.md"];
    let in_toc = doc
        .page_annotation()
        .is_some_and(|a| a.get_str("tocPath").is_some_and(|t| !t.trim().is_empty()));
    if navigation.contains(&name.as_str()) || in_toc {
        return;
    }
    let Some(document) = index.file(doc.docset_path()).and_then(|f| f.document) else {
        return;
    };
    if index.is_referenced(document) {
        return;
    }
    let span = doc.h1s().next().map_or(0..0, |h| h.span());
    cx.report(
        Finding::new(
            Rule::PageOrphaned,
            span,
            format!(
                "no page of the doc set links to or includes `{}`",
                doc.docset_path()
            ),
        )
        .with_help("link to it from a related page or a TOC page, or delete it if it is obsolete"),
    );
}

#[cfg(test)]
mod tests {
    use super::correct_case;

    #[test]
    fn corrects_the_case_of_the_last_segments() {
        assert_eq!(
            correct_case(
                "../resources/User.md#x",
                "api/resources/User.md",
                "api/resources/user.md"
            ),
            "../resources/user.md#x"
        );
        assert_eq!(
            correct_case("/Concepts/a.md", "Concepts/a.md", "concepts/a.md"),
            "/concepts/a.md"
        );
    }
}
