//! Pages of one code snippet — front matter, HTML comments and a single fenced code block that
//! is not HTTP, as the SDK snippet fragments of Microsoft Graph are — recognised by a line scan.
//! Such a page has no heading, anchor, link, include, table or annotation, so its outline is
//! its front matter alone and the Markdown parser need not run over it.

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
    let mut lines = body
        .split('\n')
        .map(|line| line.trim_end_matches([' ', '\t', '\r']));
    // A lone carriage return ends a line too: such text is left to the parser.
    if lines.clone().any(|line| line.contains('\r')) {
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
    if is_http(info) {
        return false;
    }
    // The code, up to the first line that might close the fence.
    if !lines.by_ref().any(|line| may_close(line, fence, length)) {
        return false;
    }
    lines.all(is_blank)
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

/// Whether the code block's language (the first word of its info string) is an HTTP one, as
/// [`crate::document::CodeBlock::is_http`] reads it.
fn is_http(info: &str) -> bool {
    matches!(
        info.split_whitespace().next().unwrap_or(""),
        "http" | "HTTP" | "msgraph-interactive"
    )
}

/// Whether a line may close a fence of `length` `fence` characters: whatever its indentation,
/// it holds at least that many of them and nothing else.
fn may_close(line: &str, fence: u8, length: usize) -> bool {
    let rest = line.trim_start();
    rest.len() >= length && rest.bytes().all(|b| b == fence)
}

#[cfg(test)]
mod tests {
    use super::is_bare_snippet;

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
