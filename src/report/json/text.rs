//! The JSON text of a diagnostic written directly: byte for byte what `serde_json`'s pretty
//! printer makes of its `Serialize` implementation (a test compares them), without the
//! printer's cost per value and per byte of a string, which was most of the time of a large
//! JSON report (26,000 diagnostics, 26 MB on the whole Graph repository).

use crate::diagnostic::{Diagnostic, Edit, Location, Related, ReportedFix};

/// Appends `diagnostic` pretty-printed with two spaces as it would be printed `level` levels
/// deep in a larger document: every line but the first indented by `level` more steps.
pub(super) fn diagnostic(out: &mut Vec<u8>, diagnostic: &Diagnostic, level: usize) {
    // Room for the usual diagnostic at once.
    out.reserve(1024);
    let mut object = Object::open(out, level);
    object.string("rule", diagnostic.rule.id());
    object.string("name", diagnostic.name());
    object.string("severity", diagnostic.severity.as_str());
    object.location(&diagnostic.location);
    object.string("message", &diagnostic.message);
    object.optional_string("help", diagnostic.help.as_deref());
    object.optional_string("apidoctor", diagnostic.apidoctor());
    object.array("related", &diagnostic.related, related);
    object.key("fix");
    match &diagnostic.fix {
        Some(fix_) => fix(object.out, fix_, level + 1),
        None => object.out.extend_from_slice(b"null"),
    }
    object.string("fingerprint", &diagnostic.fingerprint);
    object.close();
}

fn related(out: &mut Vec<u8>, related: &Related, level: usize) {
    let mut object = Object::open(out, level);
    object.location(&related.location);
    object.string("message", &related.message);
    object.close();
}

fn fix(out: &mut Vec<u8>, fix: &ReportedFix, level: usize) {
    let mut object = Object::open(out, level);
    object.string("applicability", fix.applicability.as_str());
    object.string("message", &fix.message);
    object.array("edits", &fix.edits, edit);
    object.close();
}

fn edit(out: &mut Vec<u8>, edit: &Edit, level: usize) {
    let mut object = Object::open(out, level);
    object.location(&edit.location);
    object.string("new_text", &edit.new_text);
    object.close();
}

/// A JSON object being written `level` levels deep: its fields one a line, indented one
/// level more.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    level: usize,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>, level: usize) -> Object<'o> {
        out.push(b'{');
        Object {
            out,
            level,
            empty: true,
        }
    }

    /// Starts a field: the separator, the indentation, the key and `: `. Keys are plain names
    /// that need no escape.
    fn key(&mut self, key: &str) {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        indent(self.out, self.level + 1);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        string(self.out, value);
    }

    fn optional_string(&mut self, key: &str, value: Option<&str>) {
        self.key(key);
        match value {
            Some(value) => string(self.out, value),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn number(&mut self, key: &str, value: u32) {
        self.key(key);
        let mut digits = [0u8; 10];
        let mut start = digits.len();
        let mut rest = value;
        loop {
            start -= 1;
            digits[start] = b'0' + u8::try_from(rest % 10).unwrap_or(0);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[start..]);
    }

    /// The fields of a location, written out as the object's own.
    fn location(&mut self, location: &Location) {
        self.string("path", &location.path);
        self.number("line", location.line);
        self.number("column", location.column);
        self.number("end_line", location.end_line);
        self.number("end_column", location.end_column);
    }

    /// An array of objects, each written by `item` one level deeper than the array.
    fn array<T>(&mut self, key: &str, items: &[T], item: fn(&mut Vec<u8>, &T, usize)) {
        self.key(key);
        self.out.push(b'[');
        if items.is_empty() {
            self.out.push(b']');
            return;
        }
        for (i, value) in items.iter().enumerate() {
            self.out
                .extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            indent(self.out, self.level + 2);
            item(self.out, value, self.level + 2);
        }
        self.out.push(b'\n');
        indent(self.out, self.level + 1);
        self.out.push(b']');
    }

    fn close(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.level);
        }
        self.out.push(b'}');
    }
}

/// Two spaces a level.
fn indent(out: &mut Vec<u8>, level: usize) {
    out.resize(out.len() + 2 * level, b' ');
}

/// A JSON string as `serde_json` writes it: `"` and `\` escaped, control characters as `\n`,
/// `\t`… or `\u00XX`, everything else (non-ASCII included) as it is.
fn string(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Whether any byte needs escaping, tested without stopping early so that the loop runs
    // on vectors: strings that need no escape are nearly all of them.
    if !bytes.iter().fold(false, |any, &b| any | needs_escape(b)) {
        out.extend_from_slice(bytes);
    } else {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if !needs_escape(b) {
                continue;
            }
            out.extend_from_slice(&bytes[start..i]);
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0xf)]);
                }
            }
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
    }
    out.push(b'"');
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_control: String = (0u8..0x20).map(char::from).collect();
        every_control.push_str("\u{7f} é \"q\" \\ end");
        for text in ["", "plain", "a\"b\\c", "line\nbreak\ttab\r", &every_control] {
            let mut ours = Vec::new();
            string(&mut ours, text);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }
}
