//! Where a very large page can be cut into pieces that parse alone exactly as the whole would.

use std::ops::Range;

/// Where a page body can be cut into pieces that parse exactly as the whole would: at an ATX
/// heading in column 0 after a blank line, outside fences, HTML comments and raw-text HTML
/// blocks. Nothing before such a heading continues after it except reference definitions,
/// which [`scan_definitions`](super::references::scan_definitions) makes available to every piece. The tracking errs on the side
/// of not cutting (an unclosed `<!--` in a code span ends the cutting).
pub(super) fn pieces(text: &str, from: usize, piece: usize) -> Vec<Range<usize>> {
    if text.len() - from <= 2 * piece {
        return std::iter::once(from..text.len()).collect();
    }
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = from;
    let mut fence: Option<(u8, usize)> = None;
    let mut comment = false;
    let mut raw_html: Option<&'static str> = None;
    let mut blank_before = false;
    let mut line_start = from;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &text[line_start..line_end];
        let content = line.trim_start_matches([' ', '\t']);
        let fence_char = content.bytes().next().filter(|&c| c == b'`' || c == b'~');
        let run = fence_char.map_or(0, |c| content.bytes().take_while(|&b| b == c).count());
        if let Some((c, len)) = fence {
            if fence_char == Some(c) && run >= len && content[run..].trim().is_empty() {
                fence = None;
            }
        } else if comment {
            if let Some(end) = line.find("-->") {
                comment = opens_comment(&line[end + 3..]);
            }
        } else if let Some(close) = raw_html {
            if line.to_ascii_lowercase().contains(close) {
                raw_html = None;
            }
        } else if run >= 3 && !(fence_char == Some(b'`') && content[run..].contains('`')) {
            fence = fence_char.map(|c| (c, run));
        } else if blank_before && line_start - start >= piece && is_atx_heading(line) {
            pieces.push(start..line_start);
            start = line_start;
        } else {
            comment = opens_comment(line);
            raw_html = raw_html_close(content);
        }
        blank_before = line.trim().is_empty();
        line_start = line_end;
    }
    pieces.push(start..bytes.len());
    pieces
}

/// Whether `<!--` opens a comment that the line does not close.
fn opens_comment(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find("<!--") {
        match rest[open + 4..].find("-->") {
            Some(close) => rest = &rest[open + 4 + close + 3..],
            None => return true,
        }
    }
    false
}

/// For a line that opens a raw-text HTML block (`<pre>`, `<script>`, `<style>`,
/// `<textarea>`), the closing tag that ends it.
fn raw_html_close(content: &str) -> Option<&'static str> {
    if !content.starts_with('<') {
        return None;
    }
    let head: String = content
        .chars()
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        ("<pre", "</pre>"),
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ]
    .into_iter()
    .find(|(open, _)| head.starts_with(open))
    .map(|(_, close)| close)
}

/// `#` to `######` in column 0 followed by a space, a tab or the line end.
fn is_atx_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(
            line.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\r' | b'\n')
        )
}
