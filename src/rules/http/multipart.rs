//! DL321 http-multipart-invalid: a `multipart/*` body, split into its parts at the boundary
//! its Content-Type names; a part whose headers do not parse or whose JSON is invalid.

use std::ops::Range;

use super::bodies::is_json_type;
use super::Page;
use crate::diagnostic::Finding;
use crate::document::http::Header;
use crate::document::json::{self, ParseOptions};
use crate::rule::Rule;
use crate::rules::Context;

/// Checks the multipart bodies of the page's examples.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    if !cx.enabled(Rule::HttpMultipartInvalid) {
        return;
    }
    for example in &page.examples {
        let (headers, body) = match (example.request(), example.response()) {
            (Some(r), _) => (&r.headers, r.body.clone()),
            (_, Some(r)) => (&r.headers, r.body.clone()),
            _ => continue,
        };
        let Some(header) = headers
            .iter()
            .find(|h| h.name.value.eq_ignore_ascii_case("Content-Type"))
        else {
            continue;
        };
        let media = header.value.value.split(';').next().unwrap_or("").trim();
        if !media.to_ascii_lowercase().starts_with("multipart/") {
            continue;
        }
        let Some(body) = body else {
            continue;
        };
        for (span, message) in problems(cx.doc.slice(&example.block.content()), header, body) {
            cx.report(Finding::new(
                Rule::HttpMultipartInvalid,
                example.at(&span),
                message,
            ));
        }
    }
}

/// The `boundary` parameter of a multipart Content-Type, unquoted.
fn boundary(value: &str) -> Option<&str> {
    value.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|b| !b.is_empty())
    })
}

/// What is wrong with a multipart body (`body` is its range in `content`), each with a span
/// in `content`.
fn problems(content: &str, header: &Header, body: Range<usize>) -> Vec<(Range<usize>, String)> {
    let Some(boundary) = boundary(&header.value.value) else {
        return vec![(
            header.value.span.clone(),
            "the multipart Content-Type names no `boundary`, so the parts cannot be told apart; add `; boundary=\"…\"`".into(),
        )];
    };
    let delimiter = format!("--{boundary}");
    // Lines of the body with their offsets in `content`.
    let mut lines = Vec::new();
    let mut at = body.start;
    for line in content[body.clone()].split_inclusive('\n') {
        lines.push((line.trim_end(), at));
        at += line.len();
    }
    let delimiters: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, (line, _))| line.starts_with(&delimiter))
        .map(|(i, _)| i)
        .collect();
    let Some(&first) = delimiters.first() else {
        let first_line = lines
            .first()
            .map_or(body.start..body.start, |&(l, at)| at..at + l.len());
        return vec![(
            first_line,
            format!("the multipart body has no `{delimiter}` line, the boundary its Content-Type names; start each part with it"),
        )];
    };
    let mut out = Vec::new();
    let closed = delimiters
        .last()
        .is_some_and(|&i| lines[i].0.trim_end() == format!("{delimiter}--"));
    let truncated = lines
        .iter()
        .any(|(l, _)| l.trim() == "..." || l.trim() == "…");
    if !closed && !truncated {
        let (line, at) = lines[*delimiters.last().unwrap_or(&first)];
        out.push((
            at..at + line.len(),
            format!("the multipart body is not closed: its last part needs a `{delimiter}--` line after it"),
        ));
    }
    for pair in delimiters.windows(2) {
        part(&lines[pair[0] + 1..pair[1]], &mut out);
    }
    out
}

/// Checks one part: `Name: value` headers up to a blank line, then the content, which must be
/// valid JSON when the part says it is JSON.
fn part(lines: &[(&str, usize)], out: &mut Vec<(Range<usize>, String)>) {
    let blank = lines.iter().position(|(l, _)| l.trim().is_empty());
    let headers = &lines[..blank.unwrap_or(lines.len())];
    let mut json = false;
    for &(line, at) in headers {
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !name.contains(' ') => {
                if name.trim().eq_ignore_ascii_case("Content-Type") {
                    json = is_json_type(value);
                }
            }
            _ => {
                out.push((
                    at..at + line.len(),
                    format!("`{line}` is not a `Name: value` header line of the part; end the part's headers with a blank line before its content"),
                ));
                return;
            }
        }
    }
    let Some(blank) = blank else {
        return;
    };
    let content = &lines[blank + 1..];
    let (Some(&(_, start)), Some(&(last, last_at))) = (content.first(), content.last()) else {
        return;
    };
    if !json {
        return;
    }
    let end = last_at + last.len();
    // The part's text, rebuilt from its lines (they are contiguous in the block).
    let text: String = content
        .iter()
        .map(|(l, _)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    if text.trim().is_empty() {
        return;
    }
    let options = ParseOptions {
        allow_truncation: true,
    };
    if let Err(error) = json::parse(&text, options) {
        // Offsets into `text` map back line by line.
        let offset = map_offset(content, error.span.start).unwrap_or(start);
        let span_end = (offset + error.span.len().max(1)).min(end.max(offset + 1));
        out.push((
            offset..span_end,
            format!("the JSON part is not valid JSON: {}", error.message),
        ));
    }
}

/// The content offset of byte `i` of the lines joined with `\n`.
fn map_offset(lines: &[(&str, usize)], mut i: usize) -> Option<usize> {
    for &(line, at) in lines {
        if i <= line.len() {
            return Some(at + i);
        }
        i -= line.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::boundary;

    #[test]
    fn boundaries_are_read_quoted_or_not() {
        assert_eq!(
            boundary("multipart/related; boundary=\"A100x\""),
            Some("A100x")
        );
        assert_eq!(
            boundary("multipart/form-data; Boundary=MyPartBoundary198374"),
            Some("MyPartBoundary198374")
        );
        assert_eq!(boundary("multipart/related"), None);
    }
}
