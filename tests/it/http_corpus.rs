//! Runs the HTTP block parser over the real Microsoft Graph v1.0 slice and prints what it
//! finds. Skipped (with a note) when the corpus is absent, unless `CI=true`.

use std::collections::BTreeMap;
use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

use doclint::document::http::{
    is_standard_reason, parse_message, parse_response, parse_syntax, HttpMessage, ProblemKind,
};

/// One HTTP fenced code block found by a simple line scan.
struct Block {
    path: PathBuf,
    /// 1-based line of the first content line.
    first_line: usize,
    content: String,
    /// `blockType` of the annotation right before the fence, if any.
    block_type: Option<String>,
    /// Whether the fence language is `http`, `HTTP` or `msgraph-interactive`.
    is_http: bool,
}

const STATUS_LINE_KINDS: [ProblemKind; 5] = [
    ProblemKind::VersionMissing,
    ProblemKind::VersionInvalid,
    ProblemKind::StatusMissing,
    ProblemKind::StatusNotNumeric,
    ProblemKind::StatusOutOfRange,
];

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => markdown_files(&path, out),
            Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "md") => out.push(path),
            _ => {}
        }
    }
}

fn annotation_block_type(lines: &[&str], fence: usize, re: &regex::Regex) -> Option<String> {
    let mut i = fence;
    while i > 0 && lines[i - 1].trim().is_empty() {
        i -= 1;
    }
    if i == 0 || !lines[i - 1].trim_end().ends_with("-->") {
        return None;
    }
    let end = i;
    let mut start = i - 1;
    while start > 0 && !lines[start].contains("<!--") {
        start -= 1;
    }
    let comment = lines[start..end].join("\n");
    re.captures(&comment).map(|c| c[1].to_string())
}

fn http_blocks(path: &Path, text: &str, re: &regex::Regex) -> Vec<Block> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let ticks = trimmed.bytes().take_while(|&b| b == b'`').count();
        if ticks < 3 {
            i += 1;
            continue;
        }
        let lang = trimmed[ticks..].split_whitespace().next().unwrap_or("");
        let mut close = i + 1;
        while close < lines.len() {
            let t = lines[close].trim();
            if t.len() >= ticks && t.bytes().all(|b| b == b'`') {
                break;
            }
            close += 1;
        }
        let is_http = matches!(lang, "http" | "HTTP" | "msgraph-interactive");
        let block_type = annotation_block_type(&lines, i, re);
        // Annotated responses on other fences count too: ApiDoctor parses them as responses.
        if is_http || block_type.as_deref() == Some("response") {
            let body_end = close.min(lines.len());
            let mut content = lines[i + 1..body_end].join("\n");
            if body_end > i + 1 {
                content.push('\n');
            }
            blocks.push(Block {
                path: path.to_path_buf(),
                first_line: i + 2,
                content,
                block_type,
                is_http,
            });
        }
        i = close + 1;
    }
    blocks
}

fn line_of(block: &Block, offset: usize) -> usize {
    block.first_line
        + block.content[..offset]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
}

fn print_examples(by_kind: &BTreeMap<ProblemKind, Vec<String>>) {
    for (kind, list) in by_kind {
        println!("  {kind}: {}", list.len());
        for at in list.iter().take(if std::env::var_os("ALL").is_some() {
            usize::MAX
        } else {
            4
        }) {
            println!("    {at}");
        }
    }
}

#[test]
fn graph_repository_http_blocks() {
    let Some(root) = crate::common::corpus("microsoft-graph-docs") else {
        return;
    };
    let re = regex::Regex::new(r#""blockType"\s*:\s*"(\w+)""#).unwrap();
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    files.sort();

    let mut blocks = Vec::new();
    for file in &files {
        if let Ok(text) = fs::read_to_string(file) {
            blocks.extend(http_blocks(file, &text, &re));
        }
    }

    let mut requests = 0;
    let mut responses = 0;
    let mut syntax_blocks = 0;
    let mut errors: BTreeMap<ProblemKind, Vec<String>> = BTreeMap::new();
    let mut problems: BTreeMap<ProblemKind, Vec<String>> = BTreeMap::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut status_line_problems = Vec::new();
    let mut annotated_responses = 0;
    let mut annotated_elsewhere = 0;
    let mut annotated_malformed = Vec::new();
    let mut panics = Vec::new();

    for block in &blocks {
        let rel = block
            .path
            .strip_prefix(&root)
            .unwrap_or(&block.path)
            .display();
        let content = block.content.as_str();
        if block.block_type.as_deref() == Some("response") {
            annotated_responses += 1;
            annotated_elsewhere += usize::from(!block.is_http);
            let bad = match parse_response(content) {
                Err(p) => Some(p),
                Ok(r) => r
                    .problems
                    .into_iter()
                    .find(|p| STATUS_LINE_KINDS.contains(&p.kind)),
            };
            if let Some(p) = bad {
                annotated_malformed.push(format!(
                    "{rel}:{}: {}",
                    line_of(block, p.span.start),
                    p.message
                ));
            }
        }
        if !block.is_http {
            continue;
        }
        let result = panic::catch_unwind(|| (parse_message(content), parse_syntax(content)));
        let Ok((message, syntax)) = result else {
            panics.push(format!("{rel}:{}", block.first_line));
            continue;
        };
        if syntax.len() > 1 {
            syntax_blocks += 1;
        }
        match &message {
            Ok(HttpMessage::Request(r)) => {
                requests += 1;
                for p in &r.problems {
                    let at = format!("{rel}:{}: {}", line_of(block, p.span.start), p.message);
                    problems.entry(p.kind).or_default().push(at);
                }
            }
            Ok(HttpMessage::Response(r)) => {
                responses += 1;
                for p in &r.problems {
                    let at = format!("{rel}:{}: {}", line_of(block, p.span.start), p.message);
                    if STATUS_LINE_KINDS.contains(&p.kind) {
                        status_line_problems.push(at.clone());
                    }
                    problems.entry(p.kind).or_default().push(at);
                }
                if let (Some(status), Some(reason)) = (&r.status, &r.reason) {
                    if !is_standard_reason(status.value, &reason.value) {
                        *reasons
                            .entry(format!("{} {}", status.value, reason.value))
                            .or_default() += 1;
                    }
                } else if let (Some(status), None) = (&r.status, &r.reason) {
                    *reasons
                        .entry(format!("{} (none)", status.value))
                        .or_default() += 1;
                }
            }
            Err(p) => {
                let at = format!("{rel}:{}: {}", line_of(block, p.span.start), p.message);
                errors.entry(p.kind).or_default().push(at);
            }
        }
    }

    let http_blocks = blocks.iter().filter(|b| b.is_http).count();
    println!("files: {}, http blocks: {http_blocks}", files.len());
    println!("requests: {requests} (of which {syntax_blocks} are lists of syntax lines)");
    println!("responses: {responses}");
    println!("not http (Err), with the first examples:");
    print_examples(&errors);
    println!("problems in parsed blocks, with the first examples:");
    print_examples(&problems);
    println!(
        "response status-line problems ({}):",
        status_line_problems.len()
    );
    for p in &status_line_problems {
        println!("  {p}");
    }
    println!(
        "annotated responses: {annotated_responses} ({annotated_elsewhere} on non-http fences); \
         malformed status lines among them: {}",
        annotated_malformed.len()
    );
    for p in &annotated_malformed {
        println!("  {p}");
    }
    println!("non-standard reason phrases:");
    let mut by_count: Vec<_> = reasons.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (reason, n) in by_count {
        println!("  {n:5}  {reason}");
    }

    assert!(panics.is_empty(), "parser panicked on: {panics:?}");
    assert!(http_blocks > 5_000, "only {http_blocks} http blocks found");
    assert!(requests > 1_000, "only {requests} requests parsed");
    assert!(responses > 1_000, "only {responses} responses parsed");
    let failed: usize = errors.values().map(Vec::len).sum();
    assert!(
        failed * 50 < http_blocks,
        "{failed} of {http_blocks} blocks are neither request nor response"
    );
    assert!(annotated_malformed.len() < 50);
}
