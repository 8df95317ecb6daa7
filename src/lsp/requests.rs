//! The requests about an open page: hover (the rule behind a finding, where a link leads).

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use serde_json::Value;

use super::convert::{path_of, Lines};
use super::server::Buffer;
use super::workspace::Workspace;
use crate::config::Catalogue;
use crate::docset::{Resolver, Target};
use crate::report::rule_doc_url;

/// `textDocument/hover`: on a finding, its rule explained; on a link, where it leads and
/// whether that exists. Both when both apply; `null` elsewhere.
pub fn hover(
    workspace: &Workspace,
    buffers: &HashMap<PathBuf, Buffer>,
    params: Value,
) -> Result<Value, String> {
    let params: HoverParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let at = params.text_document_position_params;
    let Some((path, buffer)) = path_of(&at.text_document.uri)
        .and_then(|path| buffers.get(&path).map(|buffer| (path, buffer)))
    else {
        return Ok(Value::Null);
    };
    let offset = Lines::new(&buffer.text).offset(at.position);
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

/// A rule explained: what it checks, why, how to fix it, and its documentation.
fn rule_text(id: &str) -> String {
    let Some(rule) = Catalogue::builtin().get(id) else {
        return format!("**{id}**");
    };
    format!(
        "**{} {}**: {}.\n\n{}\n\nFix: {}\n\n[{} documentation]({})",
        rule.id,
        rule.name,
        rule.summary,
        rule.why,
        rule.fix,
        rule.id,
        rule_doc_url(&rule.id)
    )
}

/// Where the link at `offset` of document `d` leads, and whether that exists.
fn link_text(workspace: &Workspace, d: usize, offset: usize) -> Option<String> {
    let index = workspace.index();
    let doc = &index.documents[d];
    let link = doc
        .links
        .iter()
        .find(|l| l.span.start <= offset && offset < l.span.end)?;
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
