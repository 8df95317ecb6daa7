//! Header lines and the body after them.

use std::ops::Range;

use super::lines::{problem, quote, spanned, Line, Lines};
use super::model::{Header, HttpProblem, ProblemKind, METHODS};

/// Reads header lines up to the first blank line (or the first line that cannot be a
/// header), then the body.
pub(super) fn headers_and_body(
    content: &str,
    mut lines: Lines<'_>,
    problems: &mut Vec<HttpProblem>,
) -> (Vec<Header>, Option<Range<usize>>) {
    let mut headers = Vec::new();
    let mut body_start = None;
    for line in lines.by_ref() {
        if line.is_blank() {
            break;
        }
        match header_line(content, &line, problems) {
            Some(header) => headers.push(header),
            None => {
                body_start = Some(line.text_start);
                break;
            }
        }
    }
    let body_start = body_start.or_else(|| lines.find(|l| !l.is_blank()).map(|l| l.text_start));
    let body = body_start.map(|start| start..content.trim_end().len());
    (headers, body)
}

/// Parses one line in header position. `None` means the line starts the body; the problem
/// saying so has been recorded.
fn header_line(content: &str, line: &Line, problems: &mut Vec<HttpProblem>) -> Option<Header> {
    let text = line.text(content);
    let starts_body = text.starts_with(['{', '[', '<', '"', '}', ']']);
    let first_word = text.split(char::is_whitespace).next().unwrap_or("");
    if METHODS.contains(&first_word) && first_word.len() < text.len() {
        problems.push(problem(
            ProblemKind::ExtraRequestLine,
            format!(
                "second request line {}; an example block holds one request (put each in \
                 its own block)",
                quote(text)
            ),
            line.text_range(),
        ));
        return None;
    }
    // A colon directly followed by `//` is a URL, not a header.
    let colon = text
        .find(':')
        .filter(|&i| !starts_body && !text[i + 1..].starts_with("//"));
    let Some(colon) = colon else {
        let message = if is_markdown_heading(text) {
            // The block's closing fence is missing: the page's next section runs on inside it.
            format!(
                "the Markdown heading {} is inside the HTTP block: the block is not closed; \
                 end it with a fence line before the heading",
                quote(text)
            )
        } else {
            format!(
                "missing blank line between headers and body: {} is not a `Name: value` \
                 header, so the body starts here; add an empty line before it",
                quote(text)
            )
        };
        problems.push(problem(
            ProblemKind::BlankLineMissing,
            message,
            line.text_range(),
        ));
        return None;
    };

    let raw_name = &text[..colon];
    let name_text = raw_name.trim_end();
    let name_span = line.text_start..line.text_start + name_text.len();
    let after_colon = line.text_start + colon + 1;
    let value_text = content[after_colon..line.text_end].trim_start();
    let value_span = line.text_end - value_text.len()..line.text_end;
    if let Some(message) = header_name_problem(name_text, raw_name.len() != name_text.len(), text) {
        let span = if name_text.is_empty() {
            line.text_range()
        } else {
            name_span.clone()
        };
        problems.push(problem(ProblemKind::HeaderNameInvalid, message, span));
    }
    Some(Header {
        name: spanned(content, name_span),
        value: spanned(content, value_span),
        line: line.text_range(),
    })
}

/// Whether a line reads as an ATX heading (`## Response`): one to six `#` and a space.
fn is_markdown_heading(text: &str) -> bool {
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && text[hashes..].starts_with(' ')
}

/// What is wrong with a header name, if anything.
fn header_name_problem(name: &str, space_before_colon: bool, line: &str) -> Option<String> {
    if name.is_empty() {
        return Some(format!(
            "header {} has no name; write `Name: value`",
            quote(line)
        ));
    }
    if name.contains(char::is_whitespace) {
        let fixed: String = name.split_whitespace().collect::<Vec<_>>().join("-");
        return Some(format!(
            "header name {} contains a space; header names are single words such as {}",
            quote(name),
            quote(&fixed)
        ));
    }
    if let Some(bad) = name.chars().find(|&c| !is_token_char(c)) {
        return Some(format!(
            "header name {} contains `{bad}`, which header names cannot hold",
            quote(name)
        ));
    }
    if space_before_colon {
        return Some(format!(
            "space between header name {} and its colon; write {}",
            quote(name),
            quote(&format!("{name}:"))
        ));
    }
    None
}

/// RFC 9110 `tchar`.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}
