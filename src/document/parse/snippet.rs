//! Pages of one code snippet — front matter, HTML comments and a single fenced code block that
//! is not HTTP, as the SDK snippet fragments of Microsoft Graph are — recognised by a line scan.
//! Such a page has no heading, anchor, link, include, table or annotation, so its outline is
//! its front matter alone and the Markdown parser need not run over it.

use crate::document::is_http_language;

/// Whether the body of a page (the text after its front matter, from `body_start`) is blank
/// lines and lines that each hold one whole HTML comment, then one fenced code block whose
/// language is not HTTP, closed, then nothing but blank lines.
///
/// Every line is tested at least as loosely as CommonMark closes a fence, so the block found
/// ends no later than the Markdown parser's; what follows it is blank either way. Anything
/// unusual — indentation before the opening fence, an info string with escapes or entities,
/// a comment that shares its line, a lone carriage return, a byte order mark — is left to the
/// Markdown parser.
pub(super) fn is_bare_snippet(text: &str, body_start: usize) -> bool {
    let Some(body) = text.get(body_start..) else {
        return false;
    };
    if body.starts_with('\u{feff}') {
        return false;
    }
    let mut lines = Lines(Some(body)).map(trim_line_end);
    // A lone carriage return ends a line too: such text is left to the parser.
    if memchr::memchr(b'\r', body.as_bytes()).is_some()
        && lines.clone().any(|line| line.contains('\r'))
    {
        return false;
    }
    // Blank lines and comment lines, up to the opening fence.
    let opening = loop {
        match lines.next() {
            None => return false,
            Some(line) if is_blank(line) || is_comment_line(line) => {}
            Some(line) => break line,
        }
    };
    let Some((fence, length, info)) = opening_fence(opening) else {
        return false;
    };
    // The language is the info string's first word, as the full parse reads it.
    if is_http_language(info.split_whitespace().next().unwrap_or("")) {
        return false;
    }
    // The code, up to the first line that might close the fence.
    if !lines.by_ref().any(|line| may_close(line, fence, length)) {
        return false;
    }
    lines.all(is_blank)
}

/// The lines of a text split at `\n`, as `split('\n')` gives them (an empty last line after a
/// final `\n`), found with `memchr`: a snippet's lines are many and short.
#[derive(Clone)]
struct Lines<'a>(Option<&'a str>);

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.0?;
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(end) => {
                self.0 = Some(&rest[end + 1..]);
                Some(&rest[..end])
            }
            None => self.0.take(),
        }
    }
}

/// A line without its trailing spaces, tabs and carriage returns.
fn trim_line_end(line: &str) -> &str {
    let end = line
        .bytes()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .map_or(0, |last| last + 1);
    // `end` follows a whole character: the bytes trimmed are ASCII.
    &line[..end]
}

/// A line that CommonMark treats as blank: spaces and tabs only (the end already trimmed).
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// A line that is one whole HTML comment with nothing around it, and nothing inside it that
/// could make it an annotation (`{`) or mark a second comment.
fn is_comment_line(line: &str) -> bool {
    let Some(inner) = line
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
    else {
        return false;
    };
    !inner.contains("--") && !inner.contains(['<', '>', '{'])
}

/// The fence character, its length and the info string of an opening code fence at the start
/// of a line (no indentation): three or more backticks or tildes; a backtick fence's info
/// string has no backtick. Info strings with escapes or entities are not handled here.
fn opening_fence(line: &str) -> Option<(u8, usize, &str)> {
    let fence = *line.as_bytes().first()?;
    if fence != b'`' && fence != b'~' {
        return None;
    }
    let length = line.bytes().take_while(|&b| b == fence).count();
    let info = line[length..].trim();
    let plain = !info.contains(['\\', '&']) && (fence == b'~' || !info.contains('`'));
    (length >= 3 && plain).then_some((fence, length, info))
}

/// Whether a line may close a fence of `length` `fence` characters: whatever its indentation,
/// it holds at least that many of them and nothing else.
fn may_close(line: &str, fence: u8, length: usize) -> bool {
    // Such a line ends with the fence character: most code lines end otherwise.
    if line.as_bytes().last() != Some(&fence) {
        return false;
    }
    let rest = line.trim_start();
    rest.len() >= length && rest.bytes().all(|b| b == fence)
}

#[cfg(test)]
mod tests {
    use super::{is_bare_snippet, trim_line_end, Lines};

    #[test]
    fn lines_split_as_split_does() {
        for text in ["", "\n", "a", "a\n", "a\nb", "\n\nb\n\n", "é\r\nü \t\r"] {
            let ours: Vec<&str> = Lines(Some(text)).map(trim_line_end).collect();
            let split: Vec<&str> = text
                .split('\n')
                .map(|line| line.trim_end_matches([' ', '\t', '\r']))
                .collect();
            assert_eq!(ours, split, "{text:?}");
        }
    }

    #[test]
    fn one_fenced_block_after_comments_is_a_bare_snippet() {
        let front = "---\ndescription: \"Generated\"\n---\n";
        let body = "\n<!-- markdownlint-disable MD041 -->\n\n```csharp\nvar x = 1;\n```\n";
        let text = format!("{front}{body}");
        assert!(is_bare_snippet(&text, front.len()));
        assert!(is_bare_snippet(body, 0));
        assert!(is_bare_snippet("~~~~ go\n```\n~~~~\r\n\n  \n", 0));
        assert!(is_bare_snippet("```js\r\ncode\r\n   ```\r\n", 0));
    }

    #[test]
    fn anything_else_is_left_to_the_markdown_parser() {
        for body in [
            "```http\nGET /me\n```\n",
            "```msgraph-interactive\nGET /me\n```\n",
            "```csharp\nnot closed\n",
            "```csharp\nx\n```\ntext after\n",
            "# Heading\n```csharp\nx\n```\n",
            " ```csharp\nx\n```\n",
            "```c`s\nx\n```\n",
            "```c\\s\nx\n```\n",
            "``\nx\n``\n",
            "<!-- { \"blockType\": \"ignored\" } -->\n```csharp\nx\n```\n",
            "<!-- a --> <a name=\"x\"></a>\n```csharp\nx\n```\n",
            "<!-- a\nb -->\n```csharp\nx\n```\n",
            "\u{feff}```csharp\nx\n```\n",
            "",
            "\n\n",
        ] {
            assert!(!is_bare_snippet(body, 0), "{body:?}");
        }
        // Lines that might close the fence are taken to: a fence closed later by the
        // parser (an indented code line here) only leaves more to it.
        assert!(!is_bare_snippet("```csharp\nx\n     ```\ntext\n```\n", 0));
        assert!(is_bare_snippet("````csharp\nx\n```\ntext\n````\n", 0));
        assert!(!is_bare_snippet("```js\nx\r```\r# Heading\n```\n", 0));
    }
}
