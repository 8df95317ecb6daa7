//! Text helpers shared by the pre-pass and the conversion of jsonc-parser's results.

use std::borrow::Cow;
use std::ops::Range;

/// Skips whitespace and comments from `pos` (same rules as jsonc-parser).
pub(super) fn skip_trivia(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = floor_boundary(text, pos);
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) => pos += 1,
            Some(b'/') if bytes.get(pos + 1) == Some(&b'/') => {
                let rest = &bytes[pos + 2..];
                pos += 2 + memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            }
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => {
                match memchr::memmem::find(&bytes[pos + 2..], b"*/") {
                    Some(i) => pos += 2 + i + 2,
                    None => return bytes.len(),
                }
            }
            Some(&b) if b >= 0x80 => match text[pos..].chars().next() {
                Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                _ => return pos,
            },
            _ => return pos,
        }
    }
}

/// Quotes a token for an error message: `'abc'`, `'"'`, `U+00A0`, shortened if long.
pub(super) fn describe_found(token: &str) -> String {
    const MAX_CHARS: usize = 24;
    let mut chars = token.chars();
    match (chars.next(), chars.next()) {
        (None, _) => return "the end of input".to_owned(),
        (Some('\''), None) => return "\"'\"".to_owned(),
        (Some(c), None) if is_invisible(c) => return format!("U+{:04X}", c as u32),
        _ => {}
    }
    let mut out = String::with_capacity(token.len().min(MAX_CHARS * 4) + 4);
    out.push('\'');
    for (n, c) in token.chars().enumerate() {
        if n == MAX_CHARS {
            out.push('…');
            break;
        }
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Overwrites `blanks` in `text` with spaces (whole characters, so offsets and UTF-8
/// validity are kept); borrows when there is nothing to blank.
pub(super) fn blank_out<'t>(text: &'t str, blanks: &mut [Range<usize>]) -> Cow<'t, str> {
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    blanks.sort_unstable_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in blanks.iter() {
        let (start, end) = (r.start.max(at), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.extend(std::iter::repeat_n(' ', end - start));
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The largest character boundary of `s` not after `i`.
pub(super) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
