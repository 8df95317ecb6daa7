//! Lenient JSON parsing with byte positions.
//!
//! ApiDoctor reads annotation comments (`<!-- { ... } -->`) and the JSON bodies of HTTP
//! examples with Json.NET, which accepts more than strict JSON. [`parse`] accepts the same
//! extensions, keeps a byte span for every value and key, and reports every extension it had
//! to use as a [`LenientUse`], so callers can warn about it. Strict JSON yields an empty list.
//!
//! # How the work is split
//!
//! * [jsonc-parser](https://docs.rs/jsonc-parser) does the parse of record (tokens, string
//!   escapes, numbers, the value tree). It is run with comments, trailing commas,
//!   single-quoted strings and unquoted property names allowed, and with its other JSON5
//!   extensions (hex numbers, `+1`, `.5`, `NaN`, `\x41` escapes, missing commas) switched off.
//!   It already tolerates raw control characters and line breaks inside strings and any
//!   Unicode whitespace between tokens.
//! * A linear pre-pass (no recursion, no allocation unless something must be reported or
//!   replaced) checks the structure with a small state machine so that errors can say what
//!   was expected, bounds the nesting depth before jsonc-parser (which recurses) sees the
//!   text, records the extensions the parse tree does not show (comments, trailing commas,
//!   control characters in strings, non-standard whitespace), and blanks truncation markers
//!   (`...`, `…`) with spaces of the same byte length so that offsets do not move.
//!
//! # Not accepted
//!
//! Some things Json.NET reads are still errors, as they are mistakes in documentation:
//! `NaN`, `Infinity`, hex and leading-zero numbers, `undefined`, empty array slots (`[1,,2]`),
//! `\'` inside a double-quoted string (and `\"` inside a single-quoted one), and unpaired
//! `\uD800`-style surrogate escapes. Unquoted property names may use letters, digits, `_`
//! and `$`, as in Json.NET, but may start with a digit only if they are all digits.

mod prepass;
mod strict;
mod text;
mod tree;
mod value;

pub use value::{
    JsonError, JsonKind, JsonMember, JsonNumber, JsonValue, Leniency, LenientUse, ParseOptions,
    Parsed, MAX_DEPTH,
};

use prepass::PrePass;
use text::{blank_out, floor_boundary};
use tree::{convert_error, convert_value, jsonc_parse};

/// Parses `text` as JSON, accepting what Json.NET accepts and reporting each extension used.
///
/// All spans are byte offsets into `text` on character boundaries. Never panics, and runs in
/// time linear in the length of the text.
pub fn parse(text: &str, opts: ParseOptions) -> Result<Parsed, JsonError> {
    if let Some(value) = strict::parse(text) {
        return Ok(Parsed {
            value,
            lenient: Box::default(),
        });
    }
    parse_lenient(text, opts)
}

/// The parse of anything [`strict::parse`] leaves: extensions, escapes and errors.
fn parse_lenient(text: &str, opts: ParseOptions) -> Result<Parsed, JsonError> {
    let mut pre = PrePass::new(text, opts);
    let structure = pre.run();
    let PrePass {
        mut lenient,
        mut blanks,
        ..
    } = pre;
    let source = blank_out(text, &mut blanks);

    if let Err(err) = structure {
        // The pre-pass does not decode string escapes; let jsonc-parser look at the text
        // before the structural error in case it finds an earlier problem there.
        let end = floor_boundary(&source, err.span.start);
        if let Err(earlier) = jsonc_parse(&source[..end]) {
            let earlier = convert_error(&earlier, &source[..end], text);
            if earlier.span.start < err.span.start {
                return Err(earlier);
            }
        }
        return Err(err);
    }

    // The pre-pass has bounded the nesting depth, so jsonc-parser's recursion is bounded.
    let ast = jsonc_parse(&source).map_err(|e| convert_error(&e, &source, text))?;
    let Some(root) = ast.value else {
        return Err(JsonError {
            message: "empty JSON".to_owned(),
            span: 0..text.len(),
        });
    };
    let value = convert_value(root, text.as_bytes(), &mut lenient);
    lenient.sort_by_key(|l| l.span.start);
    Ok(Parsed {
        value,
        lenient: lenient.into_boxed_slice(),
    })
}

#[cfg(test)]
mod tests;
