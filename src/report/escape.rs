//! Making outside text safe to print: page text, file names and configuration values reach
//! terminals and CI logs, where a raw control character can clear the screen, set the window
//! title, fake colours, or start a line that the CI runner reads as a command.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` on one line: line breaks as `\n` and `\r`, every other C0 or C1 control character
/// (tab aside) and DEL as `\u{1b}`-style escapes. For paths and for messages printed on one
/// line (concise output, stderr).
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` with its line breaks kept and every other control character escaped as [`line`]
/// does. For text that a format prints over several lines of its own.
pub fn text(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Whether a character is escaped by [`line`]: a C0 or C1 control other than tab, or DEL.
pub fn is_unsafe(c: char) -> bool {
    c != '\t' && c.is_control()
}

fn escape(text: &str, keep_breaks: bool) -> Cow<'_, str> {
    let kept = |c: char| !is_unsafe(c) || (keep_breaks && (c == '\n' || c == '\r'));
    if text.chars().all(kept) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if kept(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_tabs_kept() {
        assert_eq!(line("a\tb"), "a\tb");
        assert!(matches!(line("plain é"), Cow::Borrowed(_)));
        assert_eq!(
            line("x\n::error::y\r\u{1b}]0;t\u{7}\u{9b}\u{7f}"),
            "x\\n::error::y\\r\\u{1b}]0;t\\u{7}\\u{9b}\\u{7f}"
        );
        assert_eq!(text("a\nb\u{1b}[2J"), "a\nb\\u{1b}[2J");
    }
}
