use std::ops::Range;

use super::text::describe_found;
use super::value::depth_message;
use super::*;
use proptest::prelude::*;

fn ok(text: &str) -> Parsed {
    match parse(text, ParseOptions::default()) {
        Ok(p) => p,
        Err(e) => panic!("{text:?} failed: {e:?}"),
    }
}

fn ok_trunc(text: &str) -> Parsed {
    match parse(
        text,
        ParseOptions {
            allow_truncation: true,
        },
    ) {
        Ok(p) => p,
        Err(e) => panic!("{text:?} failed: {e:?}"),
    }
}

fn err(text: &str) -> JsonError {
    match parse(text, ParseOptions::default()) {
        Ok(p) => panic!("{text:?} parsed: {p:?}"),
        Err(e) => e,
    }
}

/// The kinds and spanned texts of the leniencies used.
fn uses(text: &str, parsed: &Parsed) -> Vec<(Leniency, String)> {
    parsed
        .lenient
        .iter()
        .map(|l| (l.kind, text[l.span.clone()].to_owned()))
        .collect()
}

#[test]
fn the_strict_fast_path_takes_plain_json_and_leaves_the_rest() {
    let plain = [
        r#"{ "blockType": "request", "name": "get_user" }"#,
        "\n  {\"a\": [1, -0, 2.5e-3, 1E+2, true, false, null, {}, []], \"é\": \"ü\"}\r\n",
        r#""text""#,
        "0",
    ];
    for text in plain {
        let value =
            strict::parse(text).unwrap_or_else(|| panic!("{text:?} left to the lenient parse"));
        let lenient = parse_lenient(text, ParseOptions::default());
        assert_eq!(
            lenient,
            Ok(Parsed {
                value,
                lenient: Box::default()
            }),
            "{text:?}"
        );
    }
    let left = [
        r#"{"a": "x\ny"}"#,
        "{\"a\": \"tab\there\"}",
        "{'a': 1}",
        "{a: 1}",
        "[1,]",
        "[1] // note",
        "[01]",
        "[1.]",
        "[.5]",
        "[truex]",
        "{\"a\": 1} x",
        "[...]",
        "\u{a0}[1]",
        "",
    ];
    for text in left {
        assert!(
            strict::parse(text).is_none(),
            "{text:?} taken by the fast path"
        );
    }
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(strict::parse(&deep).is_none());
    assert!(parse(&deep, ParseOptions::default()).is_ok());
}

#[test]
fn strict_object_with_spans() {
    let text = r#"{ "a": 1, "b": [true, null, "x\ny"], "c": {"d": -2.5e3} }"#;
    let p = ok(text);
    assert!(p.lenient.is_empty());
    assert_eq!(p.value.span(), 0..text.len());
    assert_eq!(p.value.type_name(), "object");
    let members = p.value.as_object().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(&*members[0].key, "a");
    assert_eq!(&text[members[0].key_span()], "\"a\"");
    assert_eq!(&text[members[0].value.span()], "1");
    let n = p.value.get("a").unwrap().as_number().unwrap();
    assert_eq!(&*n.text, "1");
    assert!(n.is_integer);
    assert_eq!(n.as_i64(), Some(1));
    let b = p.value.get("b").unwrap();
    assert_eq!(&text[b.span()], r#"[true, null, "x\ny"]"#);
    let items = b.as_array().unwrap();
    assert_eq!(items[0].as_bool(), Some(true));
    assert!(items[1].is_null());
    assert_eq!(items[2].as_str(), Some("x\ny"));
    assert_eq!(&text[items[2].span()], r#""x\ny""#);
    let d = p.value.get("c").unwrap().get("d").unwrap();
    assert_eq!(&text[d.span()], "-2.5e3");
    assert!(!d.as_number().unwrap().is_integer);
    assert_eq!(d.as_number().unwrap().as_f64(), Some(-2500.0));
    assert_eq!(d.type_name(), "number");
    assert!(p.value.get("missing").is_none());
    assert!(p.value.get("A").is_none(), "keys are case-sensitive");
}

#[test]
fn strict_array_and_scalars() {
    let text = " [1, \"two\", [], {}] \n";
    let p = ok(text);
    assert!(p.lenient.is_empty());
    assert_eq!(p.value.span(), 1..text.len() - 2);
    let items = p.value.as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[2].span(), 12..14);
    assert_eq!(items[3].span(), 16..18);
    assert_eq!(items[3].type_name(), "object");

    for (text, name) in [
        ("null", "null"),
        ("true", "boolean"),
        (" false ", "boolean"),
        ("0", "number"),
        ("-0.5", "number"),
        ("1E+2", "number"),
        ("\"héllo\"", "string"),
    ] {
        let p = ok(text);
        assert!(p.lenient.is_empty(), "{text}");
        assert_eq!(p.value.type_name(), name);
        let start = text.len() - text.trim_start().len();
        assert_eq!(p.value.span(), start..text.trim_end().len(), "{text}");
    }
    assert_eq!(
        ok("\"a\\u00e9\\ud83d\\ude00\"").value.as_str(),
        Some("aé😀")
    );
    let big = ok("123456789012345678901234567890");
    assert_eq!(big.value.as_number().unwrap().as_i64(), None);
    assert_eq!(
        &*big.value.as_number().unwrap().text,
        "123456789012345678901234567890"
    );
}

#[test]
fn duplicate_keys_are_kept_and_last_wins() {
    let text = r#"{"a": 1, "A": 2, "a": 3}"#;
    let p = ok(text);
    let m = p.value.as_object().unwrap();
    assert_eq!(
        m.iter().map(|m| &*m.key).collect::<Vec<_>>(),
        ["a", "A", "a"]
    );
    assert_eq!(&*p.value.get("a").unwrap().as_number().unwrap().text, "3");
    assert_eq!(p.value.member("a").unwrap().key_span(), 17..20);
    assert_eq!(&*p.value.get("A").unwrap().as_number().unwrap().text, "2");
}

#[test]
fn trailing_commas() {
    let text = "{\"a\": [1, 2, ], \"b\": 1 , }";
    let p = ok(text);
    assert_eq!(p.lenient.len(), 2);
    assert_eq!(p.lenient[0].kind, Leniency::TrailingComma);
    assert_eq!(p.lenient[0].span, 11..12);
    assert_eq!(p.lenient[1].span, 23..24);
    assert_eq!(p.value.get("a").unwrap().as_array().unwrap().len(), 2);
}

#[test]
fn comments() {
    let text = "// head\n{ /* a */ \"a\": 1 // tail\r\n}";
    let p = ok(text);
    assert_eq!(
        uses(text, &p),
        [
            (Leniency::Comment, "// head".to_owned()),
            (Leniency::Comment, "/* a */".to_owned()),
            (Leniency::Comment, "// tail".to_owned()),
        ]
    );
    assert_eq!(p.value.get("a").unwrap().span(), 23..24);
}

#[test]
fn single_quotes_and_unquoted_keys() {
    let text = "{'a': 'x\"y', b_c: \"z\", $d: 1, 2: null, true: 'it''s'}";
    let e = err(text);
    assert_eq!(
        e.message,
        "expected ',' or '}' after a property value, found \"'\""
    );
    assert_eq!(e.span, 49..50, "{e:?}");
    let text = "{'a': 'x\"y', b_c: \"z\", $d: 1, 2: null, true: 'it'}";
    let p = ok(text);
    assert_eq!(
        uses(text, &p),
        [
            (Leniency::SingleQuotedString, "'a'".to_owned()),
            (Leniency::SingleQuotedString, "'x\"y'".to_owned()),
            (Leniency::UnquotedKey, "b_c".to_owned()),
            (Leniency::UnquotedKey, "$d".to_owned()),
            (Leniency::UnquotedKey, "2".to_owned()),
            (Leniency::UnquotedKey, "true".to_owned()),
            (Leniency::SingleQuotedString, "'it'".to_owned()),
        ]
    );
    let m = p.value.as_object().unwrap();
    assert_eq!(&*m[1].key, "b_c");
    assert_eq!(m[0].value.as_str(), Some("x\"y"));
    assert_eq!(&*m[3].key, "2");
    assert_eq!(&*m[4].key, "true");
}

#[test]
fn raw_line_breaks_and_control_characters_in_strings() {
    let text = "{\"a\": \"one\ntwo\r\nthree\", \"b\": \"x\ty\tz\", \"c\": \"p\r\nq\"}";
    let p = ok(text);
    assert_eq!(
        uses(text, &p),
        [
            (Leniency::LineBreakInString, "\n".to_owned()),
            (Leniency::ControlCharInString, "\t".to_owned()),
            (Leniency::LineBreakInString, "\r\n".to_owned()),
        ]
    );
    assert_eq!(p.lenient[0].span, 10..11);
    assert_eq!(p.lenient[1].span.start, text.find('\t').unwrap());
    assert_eq!(
        p.value.get("a").unwrap().as_str(),
        Some("one\ntwo\r\nthree")
    );
    assert_eq!(p.value.get("b").unwrap().as_str(), Some("x\ty\tz"));
}

#[test]
fn non_ascii_whitespace() {
    let text = "{\u{a0}\"a\":\u{202f}\u{a0} 1,\u{b}\"b\": \"\u{a0}\"}";
    let p = ok(text);
    assert_eq!(
        uses(text, &p),
        [
            (Leniency::NonAsciiWhitespace, "\u{a0}".to_owned()),
            (Leniency::NonAsciiWhitespace, "\u{202f}\u{a0}".to_owned()),
            (Leniency::NonAsciiWhitespace, "\u{b}".to_owned()),
        ]
    );
    assert_eq!(p.value.get("b").unwrap().as_str(), Some("\u{a0}"));
    // zero-width space and a byte-order mark are not whitespace, for Json.NET either
    assert!(parse("[1,\u{200b}2]", ParseOptions::default()).is_err());
    assert!(parse("\u{feff}{}", ParseOptions::default()).is_err());
}

#[test]
fn truncation_markers() {
    let cases: &[(&str, &[&str])] = &[
        (r#"{ "value": [ { "id": "1" }, ... ] }"#, &["..."]),
        (r#"{ "id": "1", ... }"#, &["..."]),
        (r#"{ "value": [ ... ] }"#, &["..."]),
        (r#"{ "value": [ … ] }"#, &["…"]),
        (r#"[ ..., 2 ]"#, &["..."]),
        (r#"[ 1, ..., 2 ]"#, &["..."]),
        (r#"[ 1 ..., 2 ]"#, &["..."]),
        (r#"[ ..., ... ]"#, &["...", "..."]),
        (r#"[ 1, …, …… ]"#, &["…", "……"]),
        (r#"{ ..., "a": 1, .... }"#, &["...", "...."]),
        ("[1, /* c */ ...\n]", &["..."]),
    ];
    for (text, markers) in cases {
        let p = ok_trunc(text);
        let found: Vec<_> = uses(text, &p)
            .into_iter()
            .filter(|(k, _)| *k != Leniency::Comment)
            .collect();
        let want: Vec<_> = markers
            .iter()
            .map(|m| (Leniency::TruncationMarker, m.to_string()))
            .collect();
        assert_eq!(found, want, "{text}");
        let e = parse(text, ParseOptions::default()).unwrap_err();
        assert!(text[e.span.clone()].contains(['.', '…']), "{text}: {e:?}");
    }
    let text = r#"{ "value": [ { "id": "1" }, ... ] }"#;
    let v = ok_trunc(text).value;
    let items = v.get("value").unwrap().as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].span(), 13..26);
    assert_eq!(v.span(), 0..text.len());
    let v = ok_trunc(r#"[ 1, ..., 2 ]"#).value;
    assert_eq!(v.as_array().unwrap().len(), 2);

    // a genuine trailing comma after a marker is still reported, at the right comma
    let text = "[1, ..., ]";
    let p = ok_trunc(text);
    assert_eq!(
        p.lenient
            .iter()
            .map(|l| (l.kind, l.span.clone()))
            .collect::<Vec<_>>(),
        [
            (Leniency::TruncationMarker, 4..7),
            (Leniency::TrailingComma, 7..8)
        ]
    );

    // "..." is a string, not a marker
    let p = ok(r#"["..."]"#);
    assert!(p.lenient.is_empty());

    // markers cannot replace a single value, and `..` is not a marker
    let opts = ParseOptions {
        allow_truncation: true,
    };
    for text in [r#"{"a": ...}"#, "...", "[..]", r#"{"a" ...}"#, "[1, 2...]"] {
        assert!(parse(text, opts).is_err(), "{text}");
    }
    let e = parse(r#"{"a": ...}"#, opts).unwrap_err();
    assert_eq!(e.message, "expected a value after ':', found '...'");
    assert_eq!(e.span, 6..9);
}

#[test]
fn errors_point_at_the_offending_token() {
    let cases: &[(&str, &str, Range<usize>)] = &[
        ("", "empty JSON", 0..0),
        (" \n\t ", "empty JSON", 0..4),
        (
            r#"{"a": 1 "b": 2}"#,
            "expected ',' or '}' after a property value, found '\"'",
            8..9,
        ),
        (
            "[1 2]",
            "expected ',' or ']' after an array element, found '2'",
            3..4,
        ),
        ("[1,,2]", "expected a value after ',', found ','", 3..4),
        (
            r#"{"a":1,,}"#,
            "expected a property name after ',', found ','",
            7..8,
        ),
        ("[,1]", "expected a value or ']', found ','", 1..2),
        (
            r#"{"a": 1]"#,
            "expected ',' or '}' after a property value, found ']'",
            7..8,
        ),
        (
            "[1}",
            "expected ',' or ']' after an array element, found '}'",
            2..3,
        ),
        (
            r#"{"a": 1"#,
            "unexpected end of input: expected ',' or '}' after a property value",
            7..7,
        ),
        (
            "[",
            "unexpected end of input: expected a value or ']'",
            1..1,
        ),
        (
            r#"{"a""#,
            "unexpected end of input: expected ':' after the property name",
            4..4,
        ),
        (
            r#"{"a" 1}"#,
            "expected ':' after the property name, found '1'",
            5..6,
        ),
        (r#"{"a": }"#, "expected a value after ':', found '}'", 6..7),
        (
            "{1.5.2: 1}",
            "expected a property name or '}', found '1.5.2'",
            1..6,
        ),
        (
            "{} []",
            "expected the end of input after the JSON value, found '['",
            3..4,
        ),
        ("]", "expected a JSON value, found ']'", 0..1),
        ("[tru]", "expected a value or ']', found 'tru'", 1..4),
        ("[NaN]", "expected a value or ']', found 'NaN'", 1..4),
        ("[01]", "invalid number '01'", 1..3),
        ("[1.]", "invalid number '1.'", 1..3),
        ("[-]", "invalid number '-'", 1..2),
        ("[0x1F]", "invalid number '0x1F'", 1..5),
        ("[.5]", "expected a value or ']', found '.5'", 1..3),
        ("[+1]", "expected a value or ']', found '+1'", 1..3),
        (
            "[1, \"ab",
            "unterminated string: missing closing '\"'",
            4..5,
        ),
        ("['ab]", "unterminated string: missing closing \"'\"", 1..2),
        ("[1 /* x", "unterminated block comment: missing '*/'", 3..5),
        (
            "[1 / 2]",
            "expected ',' or ']' after an array element, found '/'",
            3..4,
        ),
        ("[\u{1}]", "expected a value or ']', found U+0001", 1..2),
        ("[a\u{a0}]", "expected a value or ']', found 'a'", 1..2),
        ("[\"a\\q\"]", "invalid escape sequence in a string", 3..5),
        (
            "[\"\\u12\"]",
            "invalid escape in a string: expected four hex digits after '\\u'",
            2..4,
        ),
        (
            "[\"\\ud800\"] [",
            "invalid unicode escape in a string: unpaired high surrogate",
            2..4,
        ),
        (
            "{\"a\": \"é\\é\"}",
            "invalid escape sequence in a string",
            9..12,
        ),
        ("[\"\\x41\"]", "invalid escape sequence in a string", 2..4),
        (
            "{\"a\": \"b,\n \"c\": 1}",
            "expected ',' or '}' after a property value, found 'c' (the string before it \
             runs across a line break; is its closing quote missing?)",
            12..13,
        ),
    ];
    for (text, message, span) in cases {
        let e = err(text);
        assert_eq!(
            (e.message.as_str(), e.span.clone()),
            (*message, span.clone()),
            "{text:?}"
        );
    }
    // the error text is what Display shows
    assert_eq!(
        err("[").to_string(),
        "unexpected end of input: expected a value or ']'"
    );
}

#[test]
fn nesting_depth_is_bounded() {
    for n in [MAX_DEPTH + 1, 100_000] {
        let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let e = err(&text);
        assert_eq!(e.message, "JSON nested deeper than 256 levels");
        assert_eq!(e.span, MAX_DEPTH..MAX_DEPTH + 1);

        let text = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        let e = err(&text);
        assert_eq!(e.message, "JSON nested deeper than 256 levels");
        assert_eq!(e.span, MAX_DEPTH * 5..MAX_DEPTH * 5 + 1);

        // unclosed, too
        assert_eq!(err(&"[{\"a\":".repeat(n)).message, depth_message());
    }
    let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let p = ok(&text);
    assert_eq!(p.value.span(), 0..text.len());
    let text = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
    ok(&text);
    // wide is fine
    let text = format!("[{}1]", "1, ".repeat(100_000));
    assert_eq!(ok(&text).value.as_array().unwrap().len(), 100_001);
}

#[test]
fn describes() {
    assert_eq!(Leniency::TrailingComma.describe(), "trailing comma");
    assert_eq!(Leniency::UnquotedKey.to_string(), "unquoted property name");
    assert_eq!(describe_found("'"), "\"'\"");
    assert_eq!(describe_found("\u{a0}"), "U+00A0");
    assert_eq!(
        describe_found(&"x".repeat(30)),
        format!("'{}…'", "x".repeat(24))
    );
}

fn check_spans(text: &str, opts: ParseOptions) {
    let ok_span = |r: &Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    fn walk(v: &JsonValue, f: &dyn Fn(&Range<usize>) -> bool) {
        assert!(f(&v.span()), "value span {:?}", v.span());
        match &v.kind {
            JsonKind::Array(items) => items.iter().for_each(|i| walk(i, f)),
            JsonKind::Object(members) => {
                for m in members {
                    assert!(f(&m.key_span()), "key span {:?}", m.key_span());
                    walk(&m.value, f);
                }
            }
            _ => {}
        }
    }
    match parse(text, opts) {
        Ok(p) => {
            walk(&p.value, &ok_span);
            for l in &p.lenient {
                assert!(ok_span(&l.span), "{l:?}");
            }
        }
        Err(e) => {
            assert!(ok_span(&e.span), "{e:?}");
            assert!(!e.message.is_empty());
        }
    }
}

const JSONISH: &str = "[\\[\\]{}:,\"' \n\r\t/*.…a-f0-9eE+\\-\\\\u\u{a0}\u{1}tnrl]{0,40}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_and_spans_are_valid(text in any::<String>(), trunc in any::<bool>()) {
        check_spans(&text, ParseOptions { allow_truncation: trunc });
    }

    #[test]
    fn json_like_text_has_valid_spans(text in JSONISH, trunc in any::<bool>()) {
        check_spans(&text, ParseOptions { allow_truncation: trunc });
    }

    /// The strict fast path builds exactly the tree the lenient parse builds.
    #[test]
    fn the_strict_fast_path_agrees_with_the_lenient_parse(text in JSONISH) {
        if let Some(value) = strict::parse(&text) {
            let lenient = parse_lenient(&text, ParseOptions::default());
            prop_assert_eq!(lenient, Ok(Parsed { value, lenient: Box::default() }));
        }
    }

    /// Strict JSON (as serde_json sees it) parses with no leniency and the same value,
    /// and anything accepted with no leniency is strict JSON.
    #[test]
    fn agrees_with_serde_json_on_strict_json(text in JSONISH) {
        let ours = parse(&text, ParseOptions::default());
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(theirs) => {
                let p = ours.expect("strict JSON must parse");
                prop_assert!(p.lenient.is_empty(), "{:?}", p.lenient);
                prop_assert_eq!(JsonValue::to_serde(&p.value), theirs);
            }
            Err(e) => {
                if let Ok(p) = ours {
                    let skip = e.to_string().contains("out of range");
                    prop_assert!(skip || !p.lenient.is_empty(), "serde_json: {}", e);
                }
            }
        }
    }

    #[test]
    fn generated_json_round_trips(value in arb_json()) {
        let text = serde_json::to_string_pretty(&value).unwrap();
        let p = parse(&text, ParseOptions::default()).unwrap();
        prop_assert!(p.lenient.is_empty());
        // compare with serde_json's reading of the same text: its float parsing does not
        // always round-trip, and both sides go through it
        let reread: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(JsonValue::to_serde(&p.value), reread);
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        (-1e6f64..1e6).prop_map(|n| serde_json::json!(n)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Parses every `<!-- { ... } -->` annotation in the Microsoft Graph docs repository.
#[test]
fn graph_docs_annotations() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/microsoft-graph-docs");
    if !root.is_dir() {
        let reason = format!("corpus not found at {}", root.display());
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{reason} (required when CI=true)");
        }
        eprintln!("skipping graph_docs_annotations: {reason}");
        return;
    }
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let (mut strict, mut lenient_only, mut pages) = (0, 0, 0);
    let mut kinds = std::collections::BTreeMap::<Leniency, usize>::new();
    let mut invalid = Vec::new();
    let mut lenient_examples = Vec::new();
    for path in &files {
        let Ok(doc) = std::fs::read_to_string(path) else {
            continue;
        };
        pages += 1;
        let mut rest = doc.as_str();
        while let Some(open) = rest.find("<!--") {
            let after = &rest[open + 4..];
            let Some(close) = after.find("-->") else {
                break;
            };
            let body = after[..close].trim();
            rest = &after[close + 3..];
            if !body.starts_with('{') {
                continue;
            }
            let name = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            match parse(body, ParseOptions::default()) {
                Ok(p) if p.lenient.is_empty() => strict += 1,
                Ok(p) => {
                    lenient_only += 1;
                    for l in &p.lenient {
                        *kinds.entry(l.kind).or_default() += 1;
                    }
                    let what: Vec<_> = p.lenient.iter().map(|l| l.kind.describe()).collect();
                    lenient_examples.push(format!("{name}: {}", what.join(", ")));
                }
                Err(e) => {
                    let head: String = body.chars().take(80).collect();
                    invalid.push(format!("{name}: {} at {:?}: {head:?}", e.message, e.span));
                }
            }
        }
    }
    println!(
        "microsoft-graph-docs annotations in {pages} pages: {} total, {strict} strict, \
         {lenient_only} lenient-only, {} invalid",
        strict + lenient_only + invalid.len(),
        invalid.len()
    );
    println!("leniencies used: {kinds:?}");
    for l in &lenient_examples {
        println!("  lenient: {l}");
    }
    for i in &invalid {
        println!("  invalid: {i}");
    }
    assert!(invalid.len() <= 15, "{} annotations invalid", invalid.len());
}

/// The strict fast path reads nested arrays and objects through shared lists of the items
/// being read: each container gets its own items, in order, whatever it is nested in.
#[test]
fn nested_containers_keep_their_own_items() {
    let text =
        r#"{"a": [1, [2, {"b": [], "c": {"d": [3, 4]}}], 5], "e": {"f": [{"g": 6}]}, "h": 7}"#;
    let value = strict::parse(text).expect("strict JSON");
    assert_eq!(
        Ok(Parsed {
            value: value.clone(),
            lenient: Box::default()
        }),
        parse_lenient(text, ParseOptions::default())
    );
    assert_eq!(
        value.to_serde(),
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
}

/// A parsed value is small (annotations keep theirs as long as their pages).
#[test]
fn values_and_members_are_small() {
    assert_eq!(std::mem::size_of::<JsonValue>(), 32);
    assert_eq!(std::mem::size_of::<JsonMember>(), 56);
}
