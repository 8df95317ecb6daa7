//! The parse of record by jsonc-parser, and its tree and errors converted to ours.

use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value as AstValue};
use jsonc_parser::errors::{ParseError as JsoncError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseStringErrorKind};

use super::text::{describe_found, floor_boundary, skip_trivia};
use super::value::{
    depth_message, JsonError, JsonKind, JsonMember, JsonNumber, JsonValue, Leniency, LenientUse,
};

fn jsonc_options() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: true,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: true,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub(super) fn jsonc_parse(source: &str) -> Result<jsonc_parser::ParseResult<'_>, JsoncError> {
    jsonc_parser::parse_to_ast(source, &CollectOptions::default(), &jsonc_options())
}

/// Converts jsonc-parser's tree, noting unquoted keys and single-quoted strings.
/// Recursion is bounded by [`MAX_DEPTH`], which the pre-pass enforced.
pub(super) fn convert_value(
    value: AstValue<'_>,
    text: &[u8],
    lenient: &mut Vec<LenientUse>,
) -> JsonValue {
    let range = value_range(&value);
    let kind = match value {
        AstValue::NullKeyword(_) => JsonKind::Null,
        AstValue::BooleanLit(b) => JsonKind::Bool(b.value),
        AstValue::NumberLit(n) => JsonKind::Number(JsonNumber {
            text: n.value.into(),
            is_integer: !n.value.contains(['.', 'e', 'E']),
        }),
        AstValue::StringLit(s) => {
            note_single_quote(text, s.range.start..s.range.end, lenient);
            JsonKind::String(s.value.into())
        }
        AstValue::Array(a) => JsonKind::Array(
            a.elements
                .into_iter()
                .map(|v| convert_value(v, text, lenient))
                .collect(),
        ),
        AstValue::Object(o) => {
            let mut members = Vec::with_capacity(o.properties.len());
            for prop in o.properties {
                let (key, key_span) = match prop.name {
                    ObjectPropName::String(s) => {
                        let span = s.range.start..s.range.end;
                        note_single_quote(text, span.clone(), lenient);
                        (s.value.into(), span)
                    }
                    ObjectPropName::Word(w) => {
                        let span = w.range.start..w.range.end;
                        lenient.push(LenientUse {
                            kind: Leniency::UnquotedKey,
                            span: span.clone(),
                        });
                        (w.value.into(), span)
                    }
                };
                let value = convert_value(prop.value, text, lenient);
                members.push(JsonMember::new(key, key_span, value));
            }
            JsonKind::Object(members.into_boxed_slice())
        }
    };
    JsonValue::new(kind, range)
}

fn value_range(value: &AstValue<'_>) -> Range<usize> {
    let r = match value {
        AstValue::NullKeyword(n) => n.range,
        AstValue::BooleanLit(b) => b.range,
        AstValue::NumberLit(n) => n.range,
        AstValue::StringLit(s) => s.range,
        AstValue::Array(a) => a.range,
        AstValue::Object(o) => o.range,
    };
    r.start..r.end
}

fn note_single_quote(text: &[u8], span: Range<usize>, lenient: &mut Vec<LenientUse>) {
    if text.get(span.start) == Some(&b'\'') {
        lenient.push(LenientUse {
            kind: Leniency::SingleQuotedString,
            span,
        });
    }
}

/// Turns a jsonc-parser error into a [`JsonError`]. `source` is the text jsonc-parser saw
/// (possibly a prefix of the blanked text), `text` the caller's text for quoting tokens.
pub(super) fn convert_error(err: &JsoncError, source: &str, text: &str) -> JsonError {
    let mut error = describe_jsonc_error(err, source, text);
    // `source` and `text` differ only where truncation markers were blanked; keep spans on
    // the caller's character boundaries whatever jsonc-parser pointed at
    let start = floor_boundary(text, error.span.start);
    let end = floor_boundary(text, error.span.end).max(start);
    error.span = start..end;
    error
}

fn describe_jsonc_error(err: &JsoncError, source: &str, text: &str) -> JsonError {
    let len = source.len();
    let range = err.range();
    let start = floor_boundary(source, range.start.min(len));
    let end = floor_boundary(source, range.end.min(len)).max(start);
    let at_end = JsonError {
        message: String::new(),
        span: len..len,
    };
    let with = |message: String, span: Range<usize>| JsonError { message, span };
    let found = |pos: usize| -> (String, Range<usize>) {
        let pos = floor_boundary(source, pos);
        // `source[pos..]` is always valid; prefer the caller's text, which shows markers
        let shown = text.get(pos..len).unwrap_or(&source[pos..]);
        match shown.chars().next() {
            Some(c) => (
                describe_found(&shown[..c.len_utf8()]),
                pos..pos + c.len_utf8(),
            ),
            None => ("the end of input".to_owned(), len..len),
        }
    };
    match err.kind() {
        ParseErrorKind::UnterminatedArray => JsonError {
            message: "unexpected end of input: expected ',' or ']' to close the array".into(),
            ..at_end
        },
        ParseErrorKind::UnterminatedObject => JsonError {
            message: "unexpected end of input: expected ',' or '}' to close the object".into(),
            ..at_end
        },
        ParseErrorKind::UnterminatedCommentBlock => with(
            "unterminated block comment: missing '*/'".into(),
            start..(start + 2).min(len),
        ),
        ParseErrorKind::NestingDepthExceeded => with(depth_message(), start..end),
        ParseErrorKind::ExpectedComma => {
            let pos = skip_trivia(source, range.start);
            let (what, span) = found(pos);
            with(format!("expected ',', found {what}"), span)
        }
        ParseErrorKind::String(kind) => {
            let message = match kind {
                ParseStringErrorKind::UnterminatedStringLiteral => {
                    "unterminated string: missing closing quote".to_owned()
                }
                ParseStringErrorKind::ExpectedFourHexDigits => {
                    "invalid escape in a string: expected four hex digits after '\\u'".to_owned()
                }
                ParseStringErrorKind::InvalidUnicodeEscapeSequence(detail) => {
                    let detail = detail.split(" (").nth(1).unwrap_or("");
                    let detail = detail.trim_end_matches(')');
                    if detail.is_empty() {
                        "invalid unicode escape in a string".to_owned()
                    } else {
                        format!("invalid unicode escape in a string: {detail}")
                    }
                }
                _ => "invalid escape sequence in a string".to_owned(),
            };
            // span the escape sequence itself (backslash plus the next character)
            let mut esc_end = start;
            for c in source[start..].chars().take(2) {
                esc_end += c.len_utf8();
            }
            with(message, start..esc_end)
        }
        kind => {
            let description = kind.to_string();
            let mut chars = description.chars();
            let lowered = match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
                None => "invalid JSON".to_owned(),
            };
            let (what, span) = found(start);
            let span = if end > start { start..end } else { span };
            with(format!("{lowered}, found {what}"), span)
        }
    }
}
