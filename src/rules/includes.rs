//! Includes rules: DL501–DL506.
//!
//! `[!INCLUDE [label](path)]` targets resolve relative to the including file (or the doc-set
//! root for `/path`), with the same resolution as links ([`crate::docset::resolve`]); a target that
//! exists only in another case is DL402, as for links. Included files are documents of their
//! own: the include graph is followed through the index for cycles and for required includes.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::borrow::Cow;
use std::ops::Range;

use super::links::{correct_case, missing_target, not_checked, replace_dest, shorten};
use super::Context;
use crate::config::IncludeCheck;
use crate::diagnostic::{Finding, Severity};
use crate::docset::resolve::{self, Resolver, Target};
use crate::docset::wording::{words, Words};
use crate::document::{BlockKind, Document, Include};
use crate::fix::{line_at, line_ending, Applicability, Fix, TextEdit};
use crate::rule::Rule;

/// Checks the page's include directives and its required and forbidden includes.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    let resolver = Resolver::new(cx.index);
    // Each include's target document, for the graph walks below.
    let targets: Vec<Option<usize>> = doc
        .includes
        .iter()
        .map(|include| check_target(cx, &resolver, include))
        .collect();
    for malformed in doc.malformed_includes() {
        let line = doc.slice(&malformed.span);
        // Quote the directive, not the rest of its line.
        let written = match line.find(")]") {
            Some(end) => &line[..end + 2],
            None => line.split("<!--").next().unwrap_or(line).trim_end(),
        };
        let written = shorten(written);
        cx.report(
            Finding::new(
                Rule::IncludeSyntaxInvalid,
                malformed.span.clone(),
                format!(
                    "`{written}` is not a valid include directive: {}",
                    malformation(line)
                ),
            )
            .with_help("write `[!INCLUDE [label](relative/path.md)]`: a label in brackets, then the path in parentheses, with no space between them"),
        );
    }
    if cx.enabled(Rule::IncludeCycle) {
        cycles(cx, &targets);
    }
    if !doc.kind.fragment
        && (cx.enabled(Rule::IncludeRequiredMissing) || cx.enabled(Rule::IncludeForbidden))
    {
        required_and_forbidden(cx, &targets);
    }
}

/// Checks where an include points; returns the included document when it is in the doc set.
fn check_target(cx: &mut Context<'_>, resolver: &Resolver<'_>, include: &Include) -> Option<usize> {
    let doc = cx.doc;
    let target = include.target.as_str();
    let span = include.target_span.clone();
    let invalid = |what: &str| {
        Finding::new(
            Rule::IncludeSyntaxInvalid,
            include.span.clone(),
            format!("include `{}` {what}", doc.slice(&include.span)),
        )
    };
    let mut document = None;
    match resolver.resolve(doc, target) {
        Target::Empty => cx.report(invalid("has no target path")),
        Target::SamePage(_) => cx.report(invalid("names an anchor, not a file")),
        Target::Unchecked if resolve::scheme(target).is_some() || target.starts_with("//") => {
            cx.report(invalid("names a URL; an include must be a file of the doc set"));
        }
        Target::Unchecked => {}
        Target::Malformed(problem) => {
            let mut finding = invalid(&format!("has a target that {}", problem.describe()));
            if problem == resolve::Malformed::Backslash {
                finding = finding.with_help(format!("write `{}`", resolve::with_forward_slashes(target)));
            }
            cx.report(finding);
        }
        Target::File {
            file, exact, path, ..
        } => {
            document = file.document;
            if !exact && cx.settings.case_sensitive_links {
                let corrected = correct_case(target, &path, &file.docset_path);
                let mut finding = Finding::new(
                    Rule::LinkTargetCaseMismatch,
                    span.clone(),
                    format!(
                        "include target `{target}` matches `{}` only when case is ignored; the \
                         include fails on case-sensitive file systems (Linux builds)",
                        file.docset_path
                    ),
                )
                .with_help(format!("write `{corrected}`"));
                if doc.slice(&span) == target {
                    if let Some(fix) = replace_dest(span, &corrected) {
                        finding = finding.with_fix(fix);
                    }
                }
                cx.report(finding);
            }
        }
        Target::SitePath { path } => cx.report(Finding::new(
            Rule::IncludeTargetMissing,
            span,
            format!("include target `{target}` does not exist: no file `{path}` under the doc-set root"),
        )),
        Target::Missing { path, rooted } => {
            let (why, help) = missing_target(cx, doc, target, &path, rooted, true);
            let mut finding = Finding::new(
                Rule::IncludeTargetMissing,
                span,
                format!("include target `{target}` does not exist: {why}"),
            );
            if let Some(help) = help {
                finding = finding.with_help(help);
            }
            cx.report(finding);
        }
        Target::Outside => cx.report(
            Finding::new(
                Rule::IncludeOutsideDocset,
                span,
                format!(
                    "include target `{target}` climbs above the doc-set root `{}`",
                    crate::paths::display(&cx.settings.root)
                ),
            )
            .with_help(
                "check the page inside its doc set (or set `root` in doclint.toml), or map the \
                 other repository to a local checkout in `[repos]`",
            ),
        ),
        Target::CrossRepo { repo, path, found } => match found {
            Some(true) => {}
            Some(false) => cx.report(Finding::new(
                Rule::IncludeTargetMissing,
                span,
                format!(
                    "include target `{target}` does not exist: no file `{path}` in the checkout of `{}`",
                    repo.as_deref().unwrap_or("")
                ),
            )),
            None => cx.report(not_checked(span, target, repo.as_deref())),
        },
    }
    document
}

/// What is wrong with text that starts like an include directive.
fn malformation(line: &str) -> &'static str {
    let after = line.get("[!INCLUDE".len()..).unwrap_or("").trim_start();
    let Some(label_end) = after.strip_prefix('[').and_then(|rest| rest.find(']')) else {
        return "the label must follow in brackets, as in `[!INCLUDE [label](path.md)]`";
    };
    let rest = &after[label_end + 2..];
    if rest.starts_with(char::is_whitespace) && rest.trim_start().starts_with('(') {
        return "there is a space between the label and the `(path)`";
    }
    if !rest.starts_with('(') {
        return "the label must be followed by the path in parentheses";
    }
    let Some(close) = rest.find(')') else {
        return "the `(path` is not closed by `)`";
    };
    if rest[1..close].trim().contains(char::is_whitespace) {
        return "the path contains a space; write it as `%20`";
    }
    if !rest[close + 1..].trim_start().starts_with(']') {
        return "the directive is not closed by `]` after the `(path)`";
    }
    "it does not have the form `[!INCLUDE [label](path.md)]`"
}

/// DL502: for each include of the page, the first cycle reachable through it, with the chain.
fn cycles(cx: &mut Context<'_>, targets: &[Option<usize>]) {
    let doc = cx.doc;
    let own = cx.index.file(doc.docset_path()).and_then(|f| f.document);
    // A page may include the same file many times: walk from each target once.
    let mut walked: HashMap<usize, Option<Vec<usize>>> = HashMap::new();
    for (include, &target) in doc.includes.iter().zip(targets) {
        let Some(first) = target else {
            continue;
        };
        let chain = walked
            .entry(first)
            .or_insert_with(|| cycle_through(cx, own, first));
        let Some(chain) = chain.as_ref() else {
            continue;
        };
        let names: Vec<&str> = std::iter::once(doc.docset_path())
            .chain(chain.iter().map(|&d| cx.index.documents[d].docset_path()))
            .collect();
        cx.report(Finding::new(
            Rule::IncludeCycle,
            include.span.clone(),
            format!("include cycle: {}", chain_text(&names)),
        ).with_help("an include must not include, directly or through others, a file that includes it; remove one include of the chain"));
    }
}

/// How many files of a long include chain a message names at its start and at its end (where
/// the cycle closes).
const CHAIN_ENDS: (usize, usize) = (3, 6);

/// The files of an include chain joined by arrows; a long chain names its first and last files
/// and counts the rest.
fn chain_text(names: &[&str]) -> String {
    let (head, tail) = CHAIN_ENDS;
    if names.len() <= head + tail + 1 {
        return names.join(" → ");
    }
    format!(
        "{} → … {} more … → {}",
        names[..head].join(" → "),
        names.len() - head - tail,
        names[names.len() - tail..].join(" → ")
    )
}

/// A depth-first walk of the include graph from `first`; returns the path (starting at `first`)
/// up to the first file that repeats one already on the path (the page itself included).
fn cycle_through(cx: &Context<'_>, own: Option<usize>, first: usize) -> Option<Vec<usize>> {
    let index = cx.index;
    if !index.reaches_include_cycle(first) {
        // The common case: no cycle to find (not even back to the page itself).
        return None;
    }
    let mut path: Vec<usize> = Vec::new();
    let mut on_path: HashSet<usize> = own.into_iter().collect();
    let mut done: HashSet<usize> = HashSet::new();
    // Each frame: a document and how many of its includes were followed.
    let mut stack: Vec<(usize, usize)> = vec![(first, 0)];
    path.push(first);
    if !on_path.insert(first) {
        return Some(path);
    }
    while let Some(&mut (doc, ref mut next)) = stack.last_mut() {
        let Some(&target) = index.included_documents(doc).get(*next) else {
            stack.pop();
            path.pop();
            on_path.remove(&doc);
            done.insert(doc);
            continue;
        };
        *next += 1;
        if on_path.contains(&target) {
            path.push(target);
            return Some(path);
        }
        if done.insert(target) {
            on_path.insert(target);
            path.push(target);
            stack.push((target, 0));
        }
    }
    None
}

/// Every file reachable through one include (the target itself first), as doc-set paths; the
/// target as written when it does not resolve.
fn reachable<'a>(cx: &Context<'a>, include: &'a Include, target: Option<usize>) -> Vec<&'a str> {
    let Some(first) = target else {
        return vec![include.target.as_str()];
    };
    let index = cx.index;
    if index.included_documents(first).is_empty() {
        // The common case: an include that includes nothing.
        return vec![index.documents[first].docset_path()];
    }
    let mut seen: HashSet<usize> = HashSet::from_iter([first]);
    let mut stack = vec![first];
    let mut out = Vec::new();
    while let Some(d) = stack.pop() {
        out.push(index.documents[d].docset_path());
        for &target in index.included_documents(d) {
            if seen.insert(target) {
                stack.push(target);
            }
        }
    }
    out
}

/// DL504 and DL505: includes the page must have (reached directly or through other includes)
/// and includes it must not have.
fn required_and_forbidden<'a>(cx: &mut Context<'a>, targets: &[Option<usize>]) {
    let doc = cx.doc;
    let policy = &cx.settings.includes;
    let path = doc.docset_path();
    let applying = |checks: &'a [IncludeCheck]| -> Vec<&'a IncludeCheck> {
        checks.iter().filter(|c| c.globs.is_match(path)).collect()
    };
    let required = applying(&policy.require);
    let forbidden = applying(&policy.forbid);
    if required.is_empty() && forbidden.is_empty() {
        return;
    }
    let mut walked: HashMap<usize, Vec<&str>> = HashMap::new();
    let reached: Vec<(&Include, Vec<&str>)> = doc
        .includes
        .iter()
        .zip(targets)
        .map(|(i, &target)| {
            let paths = match target {
                Some(d) => walked
                    .entry(d)
                    .or_insert_with(|| reachable(cx, i, target))
                    .clone(),
                None => reachable(cx, i, target),
            };
            (i, paths)
        })
        .collect();
    for check in &required {
        let present = reached
            .iter()
            .any(|(_, paths)| paths.iter().any(|p| check.matches(p)));
        if present {
            continue;
        }
        let (directive, resolved) = directive(cx, doc, &check.include);
        if let Some((copy, whole_block)) = inline_copy(cx, doc, check) {
            // The notice is there, only not kept in step with the include: a warning.
            let mut finding = Finding::new(
                Rule::IncludeRequiredMissing,
                copy.clone(),
                format!(
                    "the page writes out the text of `{}` instead of including it, so it \
                     will not follow changes to the include",
                    check.include
                ),
            )
            .with_help(format!("replace the text with `{directive}`"))
            .with_max_severity(Severity::Warning);
            if resolved {
                // A copy that shares its block with other text may say more than the include.
                let applicability = if whole_block {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                finding = finding.with_fix(Fix::new(
                    applicability,
                    format!("replace the text with `{directive}`"),
                    vec![TextEdit::replace(copy, directive)],
                ));
            }
            cx.report(finding);
            continue;
        }
        let h1 = doc.h1s().next();
        let span = h1.map_or(0..0, |h| h.span());
        let (after, place) = match h1 {
            Some(h1) => below(doc, &h1.span()),
            None => (0..0, "the H1"),
        };
        let mut finding = Finding::new(
            Rule::IncludeRequiredMissing,
            span,
            format!(
                "the page does not include `{}`, which pages matching {} must include",
                check.include,
                quote_list(&check.paths)
            ),
        )
        .with_help(format!("add `{directive}` below {place}"));
        if h1.is_some() && resolved {
            finding = finding.with_fix(insert_below(&doc.text, &after, place, &directive));
        }
        cx.report(finding);
    }
    for check in &forbidden {
        let also_required = required
            .iter()
            .any(|r| r.include.eq_ignore_ascii_case(&check.include));
        if also_required {
            continue;
        }
        for (include, paths) in &reached {
            if paths.iter().any(|p| check.matches(p)) {
                cx.report(
                    Finding::new(
                        Rule::IncludeForbidden,
                        include.span.clone(),
                        format!(
                            "pages matching {} must not include `{}`",
                            quote_list(&check.paths),
                            check.include
                        ),
                    )
                    .with_help(format!(
                        "remove the include{}",
                        if check.include.to_lowercase().ends_with("beta-disclaimer.md") {
                            " (a beta disclaimer on a v1.0 page tells readers a stable API may change)"
                        } else {
                            ""
                        }
                    )),
                );
            }
        }
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The directive for a required include, with the path from the page to the file of that
/// name in the doc set when there is exactly one.
/// The include directive a page should write for a required include, and whether its target
/// is the one file of the doc set with that name, written relative to the page (else the
/// configured name is written, which a fix must not guess at).
fn directive(cx: &Context<'_>, doc: &Document, include: &str) -> (String, bool) {
    let name = resolve::file_name(include);
    let label = name.trim_end_matches(".md");
    let candidates: Vec<_> = cx.index.files.named(name).take(2).collect();
    let (target, resolved) = match candidates.as_slice() {
        [only] => (
            resolve::relative_path(resolve::parent(doc.docset_path()), &only.docset_path),
            true,
        ),
        _ => (include.to_string(), false),
    };
    (format!("[!INCLUDE [{label}]({target})]"), resolved)
}

/// Where a required include goes: below the H1 at `h1`, or below the `Namespace:` paragraph
/// that follows it (where Graph's pages put their includes); and that place in words.
fn below(doc: &Document, h1: &Range<usize>) -> (Range<usize>, &'static str) {
    let namespace = doc
        .blocks
        .iter()
        .find(|b| b.span().start >= h1.end)
        .filter(|b| b.kind == BlockKind::Paragraph)
        .map(|b| b.span())
        .filter(|span| doc.slice(span).starts_with("Namespace:"));
    match namespace {
        Some(paragraph) => (paragraph, "the `Namespace:` line"),
        None => (h1.clone(), "the H1"),
    }
}

/// The safe fix that writes `directive` as a paragraph of its own below the block at `after`
/// (`place` in words).
fn insert_below(text: &str, after: &Range<usize>, place: &str, directive: &str) -> Fix {
    let eol = line_ending(text);
    // After the block's last line (a setext heading's underline).
    let last = after.end.saturating_sub(1).max(after.start);
    let at = line_at(text, last).map_or(text.len(), |line| line.end);
    let mut new_text = String::new();
    if !text[..at].ends_with('\n') {
        new_text.push_str(eol);
    }
    new_text.push_str(eol);
    new_text.push_str(directive);
    new_text.push_str(eol);
    if line_at(text, at).is_some_and(|next| !text[next].trim().is_empty()) {
        new_text.push_str(eol);
    }
    Fix::safe(
        format!("add `{directive}` below {place}"),
        vec![TextEdit::insert(at, new_text)],
    )
}

/// Where a page writes out the text of a required include instead of including it: the first
/// paragraph (in a block quote or not) made almost only of the include's words and carrying a
/// good part of them. Wording changes between the copy and the include (copies go stale) are
/// expected, so words are compared as sets, not sentences.
/// Returns the paragraph and whether it is its whole block.
fn inline_copy(
    cx: &Context<'_>,
    doc: &Document,
    check: &IncludeCheck,
) -> Option<(Range<usize>, bool)> {
    let index = cx.index;
    let wordings: Vec<Cow<'_, Words>> = index
        .files
        .named(resolve::file_name(&check.include))
        .filter(|f| check.matches(&f.docset_path))
        .filter_map(|f| f.document)
        .map(|d| index.wordings.of(d, &index.documents[d]))
        .filter(|words| words.len() >= COPY_MIN_WORDS)
        .collect();
    if wordings.is_empty() {
        return None;
    }
    let mut words = Vec::new();
    doc.blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::BlockQuote))
        .flat_map(|b| {
            let whole = b.span().start..b.span().start + doc.slice(&b.span()).trim_end().len();
            paragraphs(doc.slice(&b.span()), b.span().start)
                .into_iter()
                .map(move |p| (p.clone(), p == whole))
        })
        .find(|(span, _)| {
            distinct_words(doc.slice(span), &mut words);
            wordings.iter().any(|wording| is_copy(&words, wording))
        })
}

/// The fewest distinct words a paragraph (and an include) needs to count as a copy.
const COPY_MIN_WORDS: usize = 6;

/// Whether a paragraph's distinct words are a copy of an include's: at least 80% of them are
/// the include's, and they cover at least 40% of the include's words.
fn is_copy(paragraph: &[Cow<'_, str>], include: &Words) -> bool {
    if paragraph.len() < COPY_MIN_WORDS {
        return false;
    }
    let shared = paragraph
        .iter()
        .filter(|w| include.contains(w.as_ref()))
        .count();
    shared * 5 >= paragraph.len() * 4 && shared * 5 >= include.len() * 2
}

/// Fills `out` with the distinct words of a text (see [`words`]), sorted.
fn distinct_words<'t>(text: &'t str, out: &mut Vec<Cow<'t, str>>) {
    out.clear();
    out.extend(words(text));
    out.sort_unstable();
    out.dedup();
}

/// The paragraphs of a block's text (lines up to a line that is empty once `>` markers are
/// removed), as page spans; `start` is the block's page offset.
fn paragraphs(text: &str, start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut offset = start;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        let span = offset..offset + line.trim_end().len();
        offset += line.len();
        if content.trim().is_empty() {
            out.extend(current.take());
        } else {
            current = Some(current.map_or(span.clone(), |c| c.start..span.end));
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::{chain_text, distinct_words, is_copy, paragraphs, words, Words};

    #[test]
    fn long_chains_are_shortened_in_the_middle() {
        assert_eq!(chain_text(&["a.md", "b.md", "a.md"]), "a.md → b.md → a.md");
        let names: Vec<String> = (0..20).map(|i| format!("p{i}.md")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            chain_text(&names),
            "p0.md → p1.md → p2.md → … 11 more … → p14.md → p15.md → p16.md → p17.md → p18.md → p19.md"
        );
    }

    #[test]
    fn a_reworded_copy_of_an_include_is_recognised() {
        let include: Words = words(
            "> [!IMPORTANT]\n> APIs under the `/beta` version in Microsoft Graph are subject to \
             change. Use of these APIs in production applications is not supported. To determine \
             whether an API is available in v1.0, use the **Version** selector.",
        )
        .map(Box::from)
        .collect();
        let paragraph = |text| {
            let mut out = Vec::new();
            distinct_words(text, &mut out);
            out
        };
        let copy = paragraph(
            "> **Important:** Microsoft Graph APIs under the /beta version are subject to \
             change; production use is not supported.",
        );
        assert!(is_copy(&copy, &include));
        let other = paragraph("> **Note:** The Microsoft Graph API for Intune requires an active Intune license for the tenant.");
        assert!(!is_copy(&other, &include));
        assert!(!is_copy(
            &paragraph("APIs under the beta version"),
            &include
        ));
    }

    #[test]
    fn words_are_lower_cased_and_counted_once() {
        let mut out = Vec::new();
        distinct_words("Graph graph GRAPH Straße v1 0 ÉTÉ", &mut out);
        assert_eq!(out, ["0", "graph", "straße", "v1", "été"]);
    }

    #[test]
    fn block_quotes_split_into_paragraphs() {
        let text = "> first line\n> still first\n>\n> second\n";
        let spans = paragraphs(text, 10);
        let shown: Vec<&str> = spans
            .iter()
            .map(|s| &text[s.start - 10..s.end - 10])
            .collect();
        assert_eq!(shown, ["> first line\n> still first", "> second"]);
    }
}
