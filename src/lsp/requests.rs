//! The requests about an open page: hover (the rule behind a finding, where a link leads) and
//! code actions (the rules' fixes).

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionParams, Hover, HoverContents, HoverParams, MarkupContent,
    MarkupKind, NumberOrString, TextEdit, WorkspaceEdit,
};
use serde_json::Value;

use super::buffer::Buffer;
use super::convert::{self, path_of, Encoding, Lines};
use super::workspace::Workspace;
use crate::config::Catalogue;
use crate::diagnostic::{Diagnostic, ReportedFix};
use crate::docset::{Resolver, Target};
use crate::fix::{non_overlapping, Applicability};
use crate::rule_docs::rule_url;

/// `textDocument/hover`: on a finding, its rule explained; on a link, where it leads and
/// whether that exists. Both when both apply; `null` elsewhere.
pub fn hover(
    workspace: &Workspace,
    buffers: &HashMap<PathBuf, Buffer>,
    params: Value,
    encoding: Encoding,
) -> Result<Value, String> {
    let params: HoverParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let at = params.text_document_position_params;
    let Some((path, buffer)) = path_of(&at.text_document.uri)
        .and_then(|path| buffers.get(&path).map(|buffer| (path, buffer)))
    else {
        return Ok(Value::Null);
    };
    let offset = Lines::new(&buffer.text, encoding).offset(at.position);
    let mut sections: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for d in buffer
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some() && d.span.start <= offset && offset <= d.span.end)
    {
        if !seen.contains(&d.rule) {
            seen.push(d.rule);
            sections.push(rule_text(d.rule.id()));
        }
    }
    if let Some(text) = workspace
        .document_of(&path)
        .and_then(|d| link_text(workspace, d, offset))
    {
        sections.push(text);
    }
    if sections.is_empty() {
        return Ok(Value::Null);
    }
    let hover = Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: None,
    };
    serde_json::to_value(hover).map_err(|e| e.to_string())
}

/// The kind of the action that applies every safe fix of a page.
pub const FIX_ALL: &str = "source.fixAll.doclint";

/// `textDocument/codeAction`: a quick fix for each finding in the range that has one (its
/// rule's fix, the edits `doclint --fix` would make, unsafe ones marked for review), and the
/// page's safe fixes at once as `source.fixAll.doclint`.
pub fn code_actions(
    workspace: &Workspace,
    buffers: &HashMap<PathBuf, Buffer>,
    params: Value,
    encoding: Encoding,
) -> Result<Value, String> {
    let params: CodeActionParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let Some(buffer) = path_of(&params.text_document.uri).and_then(|path| buffers.get(&path))
    else {
        return Ok(Value::Array(Vec::new()));
    };
    let wanted = |kind: &str| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
        })
    };
    let lines = Lines::new(&buffer.text, encoding);
    let uri = &params.text_document.uri;
    let edit = |fixes: &[&ReportedFix]| -> WorkspaceEdit {
        let edits = fixes
            .iter()
            .flat_map(|fix| &fix.edits)
            .map(|e| TextEdit::new(lines.range(&e.span), e.new_text.clone()))
            .collect();
        WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))
    };
    let mut actions = Vec::new();
    if wanted(CodeActionKind::QUICKFIX.as_str()) {
        let start = lines.offset(params.range.start);
        let end = lines.offset(params.range.end);
        // The findings the range touches, and those the client names (at a cursor beside
        // the finding, clients send the diagnostics of the line).
        let named = |d: &Diagnostic| {
            params.context.diagnostics.iter().any(|c| {
                c.code == Some(NumberOrString::String(d.rule.id().to_string()))
                    && c.range == lines.range(&d.span)
            })
        };
        let touched = |d: &Diagnostic| (d.span.start <= end && start <= d.span.end) || named(d);
        for d in buffer.diagnostics.iter().filter(|d| touched(d)) {
            let Some(fix) = &d.fix else {
                continue;
            };
            let review = if fix.applicability == Applicability::Unsafe {
                " (review the change)"
            } else {
                ""
            };
            actions.push(CodeAction {
                title: format!("{}: {}{review}", d.rule.id(), fix.message),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert::diagnostic(d, &lines, workspace)]),
                edit: Some(edit(&[fix])),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..CodeAction::default()
            });
        }
    }
    if wanted(FIX_ALL) {
        let safe: Vec<&ReportedFix> = buffer
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_deref())
            .filter(|fix| fix.applicability == Applicability::Safe)
            .collect();
        let edits: Vec<Vec<crate::fix::TextEdit>> = safe
            .iter()
            .map(|fix| fix.edits.iter().map(|e| e.text_edit()).collect())
            .collect();
        let picked: Vec<&ReportedFix> = non_overlapping(edits.iter().map(Vec::as_slice))
            .into_iter()
            .map(|i| safe[i])
            .collect();
        if !picked.is_empty() {
            actions.push(CodeAction {
                title: match picked.len() {
                    1 => "doclint: apply the safe fix of the page".to_string(),
                    n => format!("doclint: apply the {n} safe fixes of the page"),
                },
                kind: Some(CodeActionKind::from(FIX_ALL)),
                edit: Some(edit(&picked)),
                ..CodeAction::default()
            });
        }
    }
    serde_json::to_value(actions).map_err(|e| e.to_string())
}

/// A rule explained: what it checks, why, how to fix it, and its documentation.
fn rule_text(id: &str) -> String {
    let Some(rule) = Catalogue::builtin().get(id) else {
        return format!("**{id}**");
    };
    let automatic = rule
        .fix
        .map(|a| format!(" {}", crate::fix::availability(a)))
        .unwrap_or_default();
    format!(
        "**{} {}**: {}.\n\n{}\n\nFix: {}{automatic}\n\n[{} documentation]({})",
        rule.id,
        rule.name,
        rule.summary,
        rule.why,
        rule.remedy,
        rule.id,
        rule_url(&rule.id)
    )
}

/// Where the link at `offset` of document `d` leads, and whether that exists.
fn link_text(workspace: &Workspace, d: usize, offset: usize) -> Option<String> {
    let index = workspace.index();
    let doc = &index.documents[d];
    let link = doc
        .links
        .iter()
        .find(|l| l.span().start <= offset && offset < l.span().end)?;
    let anchor_state = |target: usize, anchor: &str| {
        if index.anchors(target).contains(anchor) {
            "the anchor exists"
        } else {
            "**no heading or anchor there has this id**"
        }
    };
    let dest = code(&link.dest);
    let text = match Resolver::new(index).resolve(doc, &link.dest) {
        Target::Unchecked => format!("{dest}: an address outside the doc set, not checked"),
        Target::Empty => format!("{dest}: **the link leads nowhere**"),
        Target::Malformed(why) => format!("{dest}: **{}**", why.describe()),
        Target::SamePage(anchor) => format!(
            "{dest}: `#{anchor}` on this page; {}",
            anchor_state(d, &anchor)
        ),
        Target::File {
            file,
            exact,
            anchor,
            ..
        } => {
            let mut text = format!("{dest} → `{}`", file.docset_path);
            if !exact {
                text.push_str(" (**only when letter case is ignored**)");
            }
            match (anchor, file.document) {
                (Some(anchor), Some(target)) => {
                    text.push_str(&format!(", `#{anchor}`: {}", anchor_state(target, &anchor)));
                }
                (Some(anchor), None) => text.push_str(&format!(", `#{anchor}`")),
                (None, _) => text.push_str(": the file exists"),
            }
            text
        }
        Target::Missing { path, .. } => format!("{dest} → `{path}`: **no such file**"),
        Target::SitePath { path } => {
            format!("{dest} → `{path}`: a page of the published site outside this doc set")
        }
        Target::Outside => format!("{dest}: **the path leaves the doc set**"),
        Target::CrossRepo { repo, path, found } => {
            let repo = repo.map_or_else(|| "another repository".to_string(), |r| code(&r));
            let state = match found {
                Some(true) => ": the file exists in its checkout",
                Some(false) => ": **no such file in its checkout**",
                None => " (no checkout to look in)",
            };
            format!("{dest} → `{path}` in {repo}{state}")
        }
    };
    Some(text)
}

/// Text as Markdown inline code (backticks in it kept by a longer fence).
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "`` " } else { "`" };
    let close = if text.contains('`') { " ``" } else { "`" };
    format!("{fence}{text}{close}")
}
