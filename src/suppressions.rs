//! Suppressions, applied to each page's diagnostics after the rules ran:
//!
//! - inline comments: `<!-- doclint-disable IDS -->` … `<!-- doclint-enable IDS -->`,
//!   `doclint-disable-next-line`, `doclint-disable-line` and `doclint-disable-file`, naming
//!   rule ids, names or families (none: every rule); an optional ` -- reason` is ignored;
//! - legacy ApiDoctor `suppressions` in the page annotation: each string is ApiDoctor's full
//!   rendered message; it is read as an ApiDoctor code plus the subject it quotes (a property,
//!   type, link text or file) and silences the diagnostics of this page that carry that code
//!   and mention that subject.
//!
//! A suppression that silences nothing is DL901, with a fix that removes it (safe for an
//! inline comment, unsafe for a legacy suppression: a repository still running ApiDoctor needs
//! those); an inline comment naming an unknown rule, or a malformed one, is DL906.

mod coverage;
mod removal;

use std::ops::Range;
use std::sync::OnceLock;

use foldhash::HashMap;
use regex::Regex;

use coverage::Coverage;

use crate::config::{Catalogue, RuleLevels};
use crate::diagnostic::{Diagnostic, Finding, Level};
use crate::document::Document;
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;

/// What a page's suppressions do to its diagnostics, worked out without changing them (see
/// [`Silencing::apply`]): so that a fault while working it out leaves the diagnostics whole,
/// without a copy of them kept in case.
#[derive(Debug, Default)]
pub struct Silencing {
    /// DL906 diagnostics about malformed comments, which follow the page's own diagnostics.
    problems: Vec<Diagnostic>,
    /// For each of the page's diagnostics, then each of `problems`: whether it is silenced.
    /// Empty when the page has no suppressions.
    silenced: Vec<bool>,
    /// The DL901 diagnostics about suppressions that silence nothing, last.
    unused: Vec<Diagnostic>,
    /// How many diagnostics are silenced.
    pub suppressed: usize,
}

impl Silencing {
    /// The page's diagnostics as the suppressions leave them: the silenced ones removed, the
    /// suppressions' own diagnostics (DL906, then DL901) added at the end.
    pub fn apply(self, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics.extend(self.problems);
        if !self.silenced.is_empty() {
            let mut silenced = self.silenced.iter();
            diagnostics.retain(|_| !silenced.next().copied().unwrap_or(false));
        }
        diagnostics.extend(self.unused);
        diagnostics
    }
}

/// Works out what the page's suppressions do to its diagnostics. `resolve` turns DL901/DL906
/// findings into diagnostics (`None` when the rule is off).
pub fn silencing(
    doc: &Document,
    diagnostics: &[Diagnostic],
    levels: &RuleLevels,
    resolve: impl Fn(Finding) -> Option<Diagnostic>,
) -> Silencing {
    let mut problems = Vec::new();
    let mut inline = inline_suppressions(doc, &mut problems);
    let mut legacy = legacy_suppressions(doc);
    if inline.is_empty() && legacy.is_empty() && problems.is_empty() {
        return Silencing::default();
    }
    let problems: Vec<Diagnostic> = problems.into_iter().filter_map(&resolve).collect();
    let stream = || diagnostics.iter().chain(&problems);
    mark_used(&mut inline, stream());
    let coverage = coverage(&inline);
    let silences = |d: &Diagnostic, except: Option<usize>| {
        d.rule != Rule::InternalError && coverage.covers(d.rule, d.location.line, except)
    };
    let mut silenced = Vec::with_capacity(diagnostics.len() + problems.len());
    let mut suppressed = 0;
    for diagnostic in stream() {
        let mut silent = silences(diagnostic, None);
        if !legacy.is_empty() {
            let message = diagnostic.message.to_lowercase();
            for suppression in legacy.iter_mut().filter(|s| s.covers(diagnostic, &message)) {
                suppression.used = true;
                silent = true;
            }
        }
        suppressed += usize::from(silent);
        silenced.push(silent);
    }
    let unused = unused_inline(doc, &inline, levels)
        .into_iter()
        .chain(unused_legacy(&legacy, levels))
        .filter_map(&resolve);
    // A DL901 can be silenced by a comment naming DL901, or by an all-rules comment other
    // than the one it is about.
    let mut kept_unused = Vec::new();
    for diagnostic in unused {
        if silences(&diagnostic, Some(diagnostic.span.start)) {
            suppressed += 1;
        } else {
            kept_unused.push(diagnostic);
        }
    }
    Silencing {
        problems,
        silenced,
        unused: kept_unused,
        suppressed,
    }
}

/// Marks the inline suppressions that cover at least one of `diagnostics` as used.
fn mark_used<'d>(
    inline: &mut [InlineSuppression],
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
) {
    let mut every: Vec<u32> = Vec::with_capacity(diagnostics.size_hint().0);
    let mut by_rule: HashMap<Rule, Vec<u32>> = HashMap::default();
    for d in diagnostics.filter(|d| d.rule != Rule::InternalError) {
        every.push(d.location.line);
        by_rule.entry(d.rule).or_default().push(d.location.line);
    }
    every.sort_unstable();
    by_rule.values_mut().for_each(|lines| lines.sort_unstable());
    let any_between = |lines: &[u32], (from, to): (u32, u32)| {
        lines
            .get(lines.partition_point(|&l| l < from))
            .is_some_and(|&l| l <= to)
    };
    for suppression in inline.iter_mut() {
        let range = suppression.lines.range();
        suppression.used = match &suppression.rules {
            None => any_between(&every, range),
            Some(rules) => rules.iter().any(|r| {
                by_rule
                    .get(r)
                    .is_some_and(|lines| any_between(lines, range))
            }),
        };
    }
}

/// The lookup of which inline suppressions cover which rule on which line.
fn coverage(inline: &[InlineSuppression]) -> Coverage {
    let mut coverage = Coverage::default();
    for s in inline {
        coverage.add(s.lines.range(), s.rules.as_deref(), s.comment.start);
    }
    coverage.finish();
    coverage
}

/// Which lines an inline suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    /// The whole page.
    File,
    /// From the first line to the last, inclusive.
    Between(u32, u32),
}

impl Lines {
    /// The first and last line covered.
    fn range(self) -> (u32, u32) {
        match self {
            Lines::File => (0, u32::MAX),
            Lines::Between(from, to) => (from, to),
        }
    }
}

/// One rule selector of an inline suppression comment (or all rules).
#[derive(Debug)]
struct InlineSuppression {
    /// The comment (DL901 points at it).
    comment: Range<usize>,
    /// The directive as written, e.g. `doclint-disable-next-line`.
    directive: &'static str,
    /// The selector as written (empty for all rules).
    selector: String,
    /// Where the selector is written (`None` for all rules).
    selector_span: Option<Range<usize>>,
    /// The comment's whole list of rules, as written.
    list: Range<usize>,
    /// The `doclint-enable` comment that ends a `doclint-disable` range, if one does.
    closed_by: Option<Range<usize>>,
    /// The rule ids it names; `None` for every rule.
    rules: Option<Vec<Rule>>,
    lines: Lines,
    used: bool,
}

impl InlineSuppression {
    fn names_explicitly(&self, rule: Rule) -> bool {
        self.rules.as_ref().is_some_and(|r| r.contains(&rule))
    }
}

const DIRECTIVES: &[&str] = &[
    "doclint-disable",
    "doclint-enable",
    "doclint-disable-next-line",
    "doclint-disable-line",
    "doclint-disable-file",
];

/// Reads the page's `doclint-*` comments; invalid ones become DL906 findings.
fn inline_suppressions(doc: &Document, problems: &mut Vec<Finding>) -> Vec<InlineSuppression> {
    let mut out: Vec<InlineSuppression> = Vec::new();
    // The `doclint-disable` ranges not yet ended, as indices into `out`.
    let mut open: Vec<usize> = Vec::new();
    for comment in doc.comments.iter().filter(|c| c.closed) {
        let raw = doc.slice(&comment.inner());
        let inner = raw.trim();
        if !inner.starts_with("doclint-") {
            continue;
        }
        let inner_start = comment.inner().start + (raw.len() - raw.trim_start().len());
        let (word, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let Some(&directive) = DIRECTIVES.iter().find(|d| **d == word) else {
            let mut finding = Finding::new(
                Rule::SuppressionInvalid,
                comment.span(),
                format!("unknown suppression comment `{word}`; it silences nothing"),
            );
            if let Some(close) = crate::suggest::closest(word, DIRECTIVES.iter().copied()) {
                finding = finding.with_help(format!("did you mean `{close}`?"));
            }
            problems.push(finding);
            continue;
        };
        let rest_start = inner_start + inner.len() - rest.len();
        let rest = rest.split(" -- ").next().unwrap_or("");
        let (selectors, list) = selectors(comment.span(), rest, rest_start, problems);
        let start = doc.position(comment.span().start).line;
        let end = doc.position(comment.span().end).line;
        if directive == "doclint-enable" {
            close_ranges(
                &mut out,
                &mut open,
                &selectors,
                comment.span(),
                start,
                problems,
            );
            continue;
        }
        let lines = match directive {
            "doclint-disable-file" => Lines::File,
            "doclint-disable-line" => Lines::Between(start, end),
            "doclint-disable-next-line" => Lines::Between(end + 1, end + 1),
            _ => Lines::Between(start, u32::MAX),
        };
        for Selector { text, span, rules } in selectors {
            if directive == "doclint-disable" {
                open.push(out.len());
            }
            out.push(InlineSuppression {
                comment: comment.span(),
                directive,
                selector: text,
                selector_span: span,
                list: list.clone(),
                closed_by: None,
                rules,
                lines,
                used: false,
            });
        }
    }
    out
}

/// One rule selector of a suppression comment.
struct Selector {
    /// As written (empty for all rules).
    text: String,
    /// Where it is written (`None` for all rules).
    span: Option<Range<usize>>,
    /// The rule ids it names; `None` for every rule.
    rules: Option<Vec<Rule>>,
}

/// The rules a comment names (`text`, at page offset `start`): one selector per id, name or
/// family; none means all rules. Unknown names are DL906 findings and select nothing. Also
/// returns where the list is written, from its first word to its last.
fn selectors(
    comment: Range<usize>,
    text: &str,
    start: usize,
    problems: &mut Vec<Finding>,
) -> (Vec<Selector>, Range<usize>) {
    let catalogue = Catalogue::builtin();
    let words = removal::words(text);
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        let all = Selector {
            text: String::new(),
            span: None,
            rules: None,
        };
        return (vec![all], comment);
    };
    let list = start + first.0..start + last.0 + last.1.len();
    let mut out = Vec::new();
    for (at, word) in words {
        let span = start + at..start + at + word.len();
        match catalogue.select(word) {
            Some(ids) if !ids.is_empty() => out.push(Selector {
                text: word.to_string(),
                span: Some(span),
                rules: Some(ids),
            }),
            _ => {
                let mut finding = Finding::new(
                    Rule::SuppressionInvalid,
                    span,
                    format!(
                        "the suppression names `{word}`, which is no rule, rule name or family"
                    ),
                );
                if let Some(close) = catalogue.suggest(word) {
                    finding = finding.with_help(format!("did you mean `{close}`?"));
                }
                problems.push(finding);
            }
        }
    }
    (out, list)
}

/// `doclint-enable`: ends the open `doclint-disable` ranges it names (all of them when it
/// names none) on its line.
fn close_ranges(
    suppressions: &mut [InlineSuppression],
    open: &mut Vec<usize>,
    selectors: &[Selector],
    comment: Range<usize>,
    line: u32,
    problems: &mut Vec<Finding>,
) {
    let mut closed_any = false;
    open.retain(|&i| {
        let suppression = &mut suppressions[i];
        let closes = selectors
            .iter()
            .any(|selector| match (&selector.rules, &suppression.rules) {
                (None, _) => true,
                (Some(enabling), Some(disabled)) => disabled.iter().all(|r| enabling.contains(r)),
                (Some(_), None) => false,
            });
        if closes {
            if let Lines::Between(from, _) = suppression.lines {
                suppression.lines = Lines::Between(from, line);
            }
            suppression.closed_by = Some(comment.clone());
            closed_any = true;
        }
        !closes
    });
    if !closed_any && !selectors.is_empty() {
        problems.push(Finding::new(
            Rule::SuppressionInvalid,
            comment,
            "this `doclint-enable` ends no `doclint-disable` above it; remove it, or name the rules the `doclint-disable` names",
        ));
    }
}

/// DL901 for every inline selector that silenced nothing, one finding per comment. Selectors
/// whose rules did not all run are not judged (see [`judged`]), nor are selectors of DL901
/// itself. The fix takes the unused rules out of the comment, or the whole comment out
/// of the page when none is used.
fn unused_inline(
    doc: &Document,
    inline: &[InlineSuppression],
    levels: &RuleLevels,
) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut i = 0;
    while i < inline.len() {
        let comment = &inline[i].comment;
        let group: Vec<&InlineSuppression> = inline[i..]
            .iter()
            .take_while(|s| s.comment == *comment)
            .collect();
        i += group.len();
        let unused: Vec<&InlineSuppression> = group
            .iter()
            .copied()
            .filter(|s| !s.used && !s.names_explicitly(Rule::SuppressionUnused))
            .filter(|s| judged(s.rules.as_deref(), levels))
            .collect();
        let Some(first) = unused.first() else {
            continue;
        };
        let what = if unused.iter().any(|s| s.rules.is_none()) {
            String::new()
        } else {
            format!(
                " for {}",
                unused
                    .iter()
                    .map(|s| format!("`{}`", s.selector))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let lines = match first.lines {
            Lines::File => "on this page",
            Lines::Between(from, to) if from == to => "on its line",
            Lines::Between(_, _) => "in its range",
        };
        let whole = unused.len() == group.len();
        let fix = removal_fix(doc, inline, &group, &unused, whole);
        let help = match &fix {
            Some(fix) => fix.message.clone(),
            None if whole => "remove the unused comment".to_string(),
            None => "remove the unused rules from the comment".to_string(),
        };
        let mut finding = Finding::new(
            Rule::SuppressionUnused,
            comment.clone(),
            format!(
                "`{}` silences nothing{what}: no such diagnostic {lines}",
                first.directive
            ),
        )
        .with_help(help);
        if let Some(fix) = fix {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
    out
}

/// Whether a selector of `rules` (`None`: every rule) can be judged unused: some of its rules
/// ran, and none that is on by default was turned off (by `--select`, `--ignore` or the
/// configuration), since what that rule would report is unknown.
fn judged(rules: Option<&[Rule]>, levels: &RuleLevels) -> bool {
    let rules = rules.unwrap_or(&Rule::ALL);
    rules.iter().any(|&r| levels.get(r) != Level::Off)
        && rules
            .iter()
            .all(|&r| r.default_level() == Level::Off || levels.get(r) != Level::Off)
}

/// The safe fix for an unused inline comment (`group`, its selectors; `unused`, those that
/// silenced nothing): the whole comment deleted when `whole`, with the `doclint-enable`
/// comments that end only its ranges; else the unused rules deleted from its list.
fn removal_fix(
    doc: &Document,
    inline: &[InlineSuppression],
    group: &[&InlineSuppression],
    unused: &[&InlineSuppression],
    whole: bool,
) -> Option<Fix> {
    let text = doc.text.as_str();
    if !whole {
        let drop: Vec<Range<usize>> = unused
            .iter()
            .filter_map(|s| s.selector_span.clone())
            .collect();
        let named = drop
            .iter()
            .map(|span| format!("`{}`", &text[span.clone()]))
            .collect::<Vec<_>>()
            .join(", ");
        let edit = removal::drop_words(text, group.first()?.list.clone(), &drop);
        return Some(Fix::safe(
            format!("remove {named} from the comment"),
            vec![edit],
        ));
    }
    let comment = &group.first()?.comment;
    let mut edits = vec![removal::delete_comment(text, comment.clone())?];
    let mut enables: Vec<&Range<usize>> = Vec::new();
    for enable in group.iter().filter_map(|s| s.closed_by.as_ref()) {
        if !enables.contains(&enable) {
            enables.push(enable);
        }
    }
    for enable in enables {
        let only_these = inline
            .iter()
            .filter(|s| s.closed_by.as_ref() == Some(enable))
            .all(|s| s.comment == *comment);
        if only_these {
            edits.push(removal::delete_comment(text, enable.clone())?);
        }
    }
    let message = if edits.len() > 1 {
        "remove the comment and the `doclint-enable` that ends it"
    } else {
        "remove the comment"
    };
    Some(Fix::safe(message, edits))
}

/// A legacy ApiDoctor suppression string of the page annotation.
#[derive(Debug)]
struct LegacySuppression {
    /// The JSON string in the page.
    span: Range<usize>,
    /// The ApiDoctor code of the message.
    code: &'static str,
    /// What the message is about (property, type, link text, file), when it says.
    subject: Option<String>,
    /// The subject lower-cased, for matching messages.
    subject_lower: Option<String>,
    /// The file the message names, when it names another page than this one.
    other_page: Option<String>,
    /// The edit that deletes it from the list.
    removal: Option<TextEdit>,
    used: bool,
}

impl LegacySuppression {
    /// Whether this silences `diagnostic`, whose message lower-cased is `message`.
    fn covers(&self, diagnostic: &Diagnostic, message: &str) -> bool {
        self.other_page.is_none()
            && diagnostic.apidoctor() == Some(self.code)
            && self
                .subject_lower
                .as_ref()
                .is_none_or(|subject| message.contains(subject.as_str()))
    }
}

/// The `suppressions` strings of the page annotations.
fn legacy_suppressions(doc: &Document) -> Vec<LegacySuppression> {
    let file_name = doc
        .docset_path()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_lowercase();
    doc.annotations
        .iter()
        .filter(|a| a.is_page)
        .filter_map(|a| {
            let file_name = &file_name;
            let list = a.get("suppressions")?.as_array()?;
            Some(list.iter().enumerate().filter_map(move |(i, item)| {
                let text = item.as_str()?;
                let (code, subject) = classify_legacy(text);
                let other_page = named_page(text).filter(|named| {
                    named.rsplit('/').next().unwrap_or("").to_lowercase() != *file_name
                });
                Some(LegacySuppression {
                    span: a.abs(&item.span()),
                    code,
                    subject_lower: subject.as_deref().map(str::to_lowercase),
                    subject,
                    other_page,
                    removal: removal::delete_item(a, list, i),
                    used: false,
                })
            }))
        })
        .flatten()
        .collect()
}

/// The page an ApiDoctor message is about, when its source is a file (`Error: /x/y.md:`).
fn named_page(text: &str) -> Option<String> {
    static SOURCE: OnceLock<Regex> = OnceLock::new();
    let source = SOURCE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:error|warning)?:?\s*(/[^\s:]+?\.md)").expect("valid regex")
    });
    source.captures(text).map(|c| c[1].to_string())
}

/// Where the subject of an ApiDoctor message is.
#[derive(Debug, Clone, Copy)]
enum Subject {
    /// The first capture group that matched (links are quoted as `'[target](text)'`; the target
    /// is the subject).
    Quoted,
    /// The last segment of the message's source path (`…/workingHours/daysOfWeek:`).
    SourceTail,
    /// None: any diagnostic with the code on the page matches.
    None,
}

/// An ApiDoctor message pattern: literal text (lower-case, `|`-separated alternatives) that
/// any match contains, checked before the regex is compiled or run; the pattern; the code the
/// message is reported under; and where its subject is.
struct LegacyPattern {
    marker: &'static str,
    pattern: &'static str,
    code: &'static str,
    subject: Subject,
}

/// ApiDoctor's messages that doclint knows.
const LEGACY_PATTERNS: &[LegacyPattern] = &[
    LegacyPattern {
        marker: "link definition was null",
        pattern: r"Link Definition was null\. Link text: (.+?)\s*(?:\r|\n|\s+at |$)",
        code: "MissingLinkSourceId",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "expected type",
        pattern: r"Expected type \S+ but actual was \S+\. Property: ([^,\s]+)",
        code: "ExpectedTypeDifferent",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "has a different type value",
        pattern: r"Property (\S+) has a different Type value",
        code: "ExpectedTypeDifferent",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "type mismatch between example and table",
        pattern: r"Type mismatch between example and table\. Parameter name: ([^;\s]+)",
        code: "ExpectedTypeDifferent",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "inconsistent types between parameter",
        pattern: r"Inconsistent types between parameter",
        code: "ExpectedTypeDifferent",
        subject: Subject::SourceTail,
    },
    LegacyPattern {
        marker: "is not defined in the doc set",
        pattern: r"Referenced type (\S+) is not defined in the doc set",
        code: "ResourceTypeNotFound",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "unable to locate a definition for resource type",
        pattern: r"Unable to locate a definition for resource type:?\s*(\S+)",
        code: "ResourceTypeNotFound",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "found in ",
        pattern: r"Property '([^']+)' found in (?:resource definition|markdown table)",
        code: "AdditionalPropertyDetected",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "undocumented property",
        pattern: r"Undocumented property '([^']+)'",
        code: "AdditionalPropertyDetected",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "filenotfound|bookmarkmissing",
        pattern: r"(?:FileNotFound|BookmarkMissing)\S*:?\s*(?:'\[([^\]]*)\]|(\S+))",
        code: "LinkDestinationNotFound",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "invalidurlformat|linkformatinvalid",
        pattern: r"(?:InvalidUrlFormat|LinkFormatInvalid)\S*:?\s*(?:'\[([^\]]*)\]|(\S+))",
        code: "LinkFormatInvalid",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "multiple resources found in file",
        pattern: r"Multiple resources found in file.*?'([^']+)'",
        code: "ErrorReadingFile",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "failed to parse any rows",
        pattern: r"Failed to parse any rows out of table with headers: (.+?)\s*$",
        code: "MarkdownParserError",
        subject: Subject::Quoted,
    },
    LegacyPattern {
        marker: "unable to parse code block metadata",
        pattern: r"Unable to parse code block metadata",
        code: "MarkdownParserError",
        subject: Subject::None,
    },
    LegacyPattern {
        marker: "unable to map some markdown elements",
        pattern: r"Unable to map some markdown elements",
        code: "UnmappedDocumentElements",
        subject: Subject::SourceTail,
    },
    LegacyPattern {
        marker: "hard-coded key in the example path",
        pattern: r"hard-coded key in the example path",
        code: "AmbiguousExample",
        subject: Subject::SourceTail,
    },
];

/// The ApiDoctor code of a rendered message and the subject it quotes; `Unknown` when the
/// message is not one doclint knows. Each pattern is compiled the first time its marker shows.
fn classify_legacy(text: &str) -> (&'static str, Option<String>) {
    static COMPILED: [OnceLock<Regex>; LEGACY_PATTERNS.len()] =
        [const { OnceLock::new() }; LEGACY_PATTERNS.len()];
    let lower = text.to_lowercase();
    for (known, compiled) in LEGACY_PATTERNS.iter().zip(&COMPILED) {
        if !known.marker.split('|').any(|m| lower.contains(m)) {
            continue;
        }
        let pattern = compiled
            .get_or_init(|| Regex::new(&format!("(?is){}", known.pattern)).expect("valid regex"));
        let Some(caps) = pattern.captures(text) else {
            continue;
        };
        let subject = match known.subject {
            Subject::SourceTail => source_tail(text),
            Subject::None => None,
            Subject::Quoted => caps
                .iter()
                .skip(1)
                .flatten()
                .next()
                .map(|m| m.as_str().trim().to_string()),
        };
        return (known.code, subject.filter(|s| !s.is_empty()));
    }
    ("Unknown", None)
}

/// The last segment of a message's source (`Warning: /x.md/type/daysOfWeek:` → `daysOfWeek`).
fn source_tail(text: &str) -> Option<String> {
    let source = text.trim_start().split_once(':')?.1;
    let source = source.split(':').next()?.trim();
    source
        .rsplit('/')
        .next()
        .filter(|s| !s.ends_with(".md"))
        .map(str::to_string)
}

/// DL901 for legacy suppressions that silenced nothing (unless every doclint rule with their
/// ApiDoctor code is off for the page).
fn unused_legacy(legacy: &[LegacySuppression], levels: &RuleLevels) -> Vec<Finding> {
    legacy
        .iter()
        .filter(|s| !s.used)
        .filter_map(|s| {
            let rules: Vec<Rule> = Rule::ALL
                .into_iter()
                .filter(|r| r.apidoctor() == Some(s.code))
                .collect();
            if !rules.is_empty() && rules.iter().all(|&r| levels.get(r) == Level::Off) {
                return None;
            }
            let about = s
                .subject
                .as_ref()
                .map_or(String::new(), |subject| format!(" about `{subject}`"));
            let message = format!(
                "the legacy ApiDoctor suppression ({}{about}) silences nothing on this page",
                s.code
            );
            let help = match (&s.other_page, rules.as_slice()) {
                (Some(page), _) => format!(
                    "it names another page, `{page}`; suppressions apply to the page they are written on, so remove it"
                ),
                (None, []) => {
                    "doclint has no rule for this ApiDoctor message; remove the suppression once ApiDoctor no longer checks this doc set".to_string()
                }
                (None, rules) => format!(
                    "doclint reports ApiDoctor's {} as {} and finds no such problem here; remove the suppression",
                    s.code,
                    rules.iter().map(|r| r.id()).collect::<Vec<_>>().join(", ")
                ),
            };
            let mut finding =
                Finding::new(Rule::SuppressionUnused, s.span.clone(), message).with_help(help);
            if let Some(edit) = &s.removal {
                // A repository that still runs ApiDoctor may need it: a human decides.
                finding = finding.with_fix(Fix::needs_review(
                    "remove the legacy suppression",
                    vec![edit.clone()],
                ));
            }
            Some(finding)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_messages_give_code_and_subject() {
        let crash = "Error: /api-reference/beta/api/driveitem-checkout.md:\r\n      Exception processing links.\r\n    System.ArgumentException: Link Definition was null. Link text: !INCLUDE [beta-disclaimer](../../includes/beta-disclaimer.md)\r\n      at ApiDoctor.Validation.DocFile.get_LinkDestinations()";
        assert_eq!(
            classify_legacy(crash),
            (
                "MissingLinkSourceId",
                Some("!INCLUDE [beta-disclaimer](../../includes/beta-disclaimer.md)".into())
            )
        );
        let types = "Error: get_b2xUserFlows/userFlowTypeVersion:\r\n      Expected type Single but actual was Int64. Property: userFlowTypeVersion, actual value: '1'";
        assert_eq!(
            classify_legacy(types),
            ("ExpectedTypeDifferent", Some("userFlowTypeVersion".into()))
        );
        let table = "Warning: /api-reference/v1.0/resources/workinghours.md/microsoft.graph.workingHours/daysOfWeek:\n      Inconsistent types between parameter (String) and table (Object)";
        assert_eq!(
            classify_legacy(table),
            ("ExpectedTypeDifferent", Some("daysOfWeek".into()))
        );
        let link = "Error: /concepts/x.md:\r\n      FileNotFound: '[/Exchange/recipients/mailbox-permissions](mailbox permissions)'. ";
        assert_eq!(
            classify_legacy(link),
            (
                "LinkDestinationNotFound",
                Some("/Exchange/recipients/mailbox-permissions".into())
            )
        );
        assert_eq!(classify_legacy("Warning: something new"), ("Unknown", None));
    }

    #[test]
    fn a_message_about_another_file_names_it() {
        assert_eq!(
            named_page("Warning: /api-reference/v1.0/resources/choicecolumn.md:\n x").as_deref(),
            Some("/api-reference/v1.0/resources/choicecolumn.md")
        );
        assert_eq!(
            named_page("Error: get_b2xUserFlows/userFlowTypeVersion:\r\n x"),
            None
        );
    }
}
