use std::ops::Range;

use super::*;
use proptest::prelude::*;

/// The span of the `nth` (0-based) occurrence of `needle` in `haystack`.
fn nth(haystack: &str, needle: &str, n: usize) -> Range<usize> {
    let start = haystack
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} not in {haystack:?}"))
        .0;
    start..start + needle.len()
}

fn at(haystack: &str, needle: &str) -> Range<usize> {
    nth(haystack, needle, 0)
}

fn request(content: &str) -> HttpRequest {
    parse_request(content).unwrap_or_else(|p| panic!("{content:?}: {p}"))
}

fn response(content: &str) -> HttpResponse {
    parse_response(content).unwrap_or_else(|p| panic!("{content:?}: {p}"))
}

fn kinds(problems: &[HttpProblem]) -> Vec<ProblemKind> {
    problems.iter().map(|p| p.kind).collect()
}

// --- requests ------------------------------------------------------------------------

#[test]
fn simple_request() {
    let r = request("GET https://graph.microsoft.com/v1.0/me\n");
    assert_eq!(r.line, 0..39);
    assert_eq!(r.method.value, "GET");
    assert_eq!(r.method.span, 0..3);
    assert_eq!(r.target.value, "https://graph.microsoft.com/v1.0/me");
    assert_eq!(r.target.span, 4..39);
    assert_eq!(r.version, None);
    assert!(r.headers.is_empty());
    assert_eq!(r.body, None);
    assert!(r.problems.is_empty());
}

#[test]
fn request_with_version_headers_and_body() {
    let c = "POST /me/events HTTP/1.1\nContent-type: application/json\nContent-length: 12\n\n{\n  \"a\": 1\n}\n\n";
    let r = request(c);
    assert_eq!(r.target.value, "/me/events");
    assert_eq!(r.target.span, 5..15);
    let v = r.version.clone().unwrap();
    assert_eq!((v.value.as_str(), v.span), ("HTTP/1.1", 16..24));
    assert_eq!(r.headers.len(), 2);
    let h = &r.headers[0];
    assert_eq!(h.name.value, "Content-type");
    assert_eq!(h.name.span, 25..37);
    assert_eq!(h.value.value, "application/json");
    assert_eq!(h.value.span, 39..55);
    assert_eq!(h.line, 25..55);
    assert_eq!(r.headers[1].value.value, "12");
    assert_eq!(r.body, Some(at(c, "{").start..at(c, "}").end));
    assert!(r.problems.is_empty());
    assert_eq!(
        r.header("CONTENT-TYPE").unwrap().value.value,
        "application/json"
    );
    assert!(r.header("Prefer").is_none());
}

#[test]
fn odata_target_keeps_spaces_and_quotes() {
    let c = "GET https://graph.microsoft.com/v1.0/users?$filter=startswith(displayName,'a') and x eq 'y'";
    let r = request(c);
    assert_eq!(r.target.span, 4..c.len());
    assert_eq!(r.target.value, &c[4..]);
    assert_eq!(
        r.path_and_query(),
        (
            "https://graph.microsoft.com/v1.0/users",
            Some("$filter=startswith(displayName,'a') and x eq 'y'")
        )
    );
    assert!(r.problems.is_empty());

    let c = "GET /users?$search=\"displayName:x\"  HTTP/1.1  ";
    let r = request(c);
    assert_eq!(r.target.value, "/users?$search=\"displayName:x\"");
    assert_eq!(r.target.span, 4..34);
    assert_eq!(r.version.unwrap().span, 36..44);
    assert_eq!(r.line, 0..44);
}

#[test]
fn path_and_query_without_query() {
    let r = request("GET /me/drive/root:/a.txt:/content");
    assert_eq!(r.path_and_query(), ("/me/drive/root:/a.txt:/content", None));
}

#[test]
fn crlf_leading_blank_lines_and_indentation() {
    let c = "\r\n  \r\n   GET /me HTTP/1.1\r\n   Prefer: a\r\n\r\n   body \r\n";
    let r = request(c);
    assert_eq!(r.line, at(c, "GET /me HTTP/1.1"));
    assert_eq!(r.method.span, at(c, "GET"));
    assert_eq!(r.target.span, at(c, "/me"));
    assert_eq!(r.headers[0].line, at(c, "Prefer: a"));
    assert_eq!(r.headers[0].value.span, nth(c, "a", 0));
    assert_eq!(r.body, Some(at(c, "body")));
    assert!(r.problems.is_empty());
}

#[test]
fn lower_case_method() {
    let r = request("get /me");
    assert_eq!(kinds(&r.problems), [ProblemKind::MethodCase]);
    assert_eq!(r.problems[0].span, 0..3);
    assert_eq!(
        r.problems[0].message,
        "method `get` must be upper case: `GET`"
    );
    assert_eq!(r.method.value, "get");
}

#[test]
fn unknown_method() {
    let r = request("MERGE /me");
    assert_eq!(kinds(&r.problems), [ProblemKind::MethodUnknown]);
    assert_eq!(r.problems[0].span, 0..5);
    assert!(r.problems[0]
        .message
        .starts_with("unknown method `MERGE`; use GET, POST"));

    let r = request("POTS /me/events");
    assert_eq!(
        r.problems[0].message,
        "unknown method `POTS`; did you mean `POST`?"
    );
}

#[test]
fn missing_target() {
    let r = request("DELETE\n");
    assert_eq!(kinds(&r.problems), [ProblemKind::TargetMissing]);
    assert_eq!(r.problems[0].span, 0..6);
    assert_eq!(r.target.value, "");
    assert_eq!(r.target.span, 6..6);

    let r = request("GET HTTP/1.1");
    assert_eq!(kinds(&r.problems), [ProblemKind::TargetMissing]);
    assert_eq!(r.version.unwrap().span, 4..12);
}

#[test]
fn request_version_checked() {
    let r = request("GET /me HTTP/1.2");
    assert_eq!(kinds(&r.problems), [ProblemKind::VersionInvalid]);
    assert_eq!(r.problems[0].span, 8..16);
    assert_eq!(
        r.problems[0].message,
        "unsupported HTTP version `HTTP/1.2`; use `HTTP/1.1` (or `HTTP/1.0`, `HTTP/2`)"
    );
    let r = request("GET /me http/1.1");
    assert_eq!(
        r.problems[0].message,
        "malformed HTTP version `http/1.1`; write `HTTP/1.1`"
    );
    for ok in ["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"] {
        assert!(
            request(&format!("GET /me {ok}")).problems.is_empty(),
            "{ok}"
        );
    }
}

#[test]
fn request_parser_rejects_response() {
    let p = parse_request("HTTP/1.1 200 OK\n").unwrap_err();
    assert_eq!(p.kind, ProblemKind::ResponseInRequest);
    assert_eq!(p.span, 0..15);
    assert!(p.message.contains("`HTTP/1.1 200 OK`"), "{}", p.message);
}

#[test]
fn url_without_method() {
    let c = "https://graph.microsoft.com/v1.0/$metadata";
    let p = parse_request(c).unwrap_err();
    assert_eq!(p.kind, ProblemKind::MethodMissing);
    assert_eq!(p.span, 0..c.len());
    assert_eq!(
        p.message,
        "request line `https://graph.microsoft.com/v1.0/$metadata` has no method; \
         write the method first, e.g. `GET https://graph.microsoft.com/v1.0/$metadata`"
    );
}

#[test]
fn neither_request_nor_response() {
    for c in [
        "{\n  \"a\": 1\n}",
        "No Content - 204",
        "HTTP code: 200 OK",
        "Prefer: x",
    ] {
        let p = parse_message(c).unwrap_err();
        assert_eq!(p.kind, ProblemKind::NotHttp, "{c}");
        assert_eq!(p.span, 0..c.find('\n').unwrap_or(c.len()), "{c}");
    }
    let p = parse_message(" \n\t\r\n").unwrap_err();
    assert_eq!(p.kind, ProblemKind::Empty);
    assert_eq!(p.span, 0..5);
    assert_eq!(parse_message("").unwrap_err().kind, ProblemKind::Empty);
}

#[test]
fn body_without_blank_line() {
    let c = "POST /me/events\nContent-Type: application/json\n{\n  \"a\": 1\n}\n";
    let r = request(c);
    assert_eq!(r.headers.len(), 1);
    assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
    assert_eq!(r.problems[0].span, at(c, "{"));
    assert!(r.problems[0]
        .message
        .starts_with("missing blank line between headers and body: `{`"));
    assert_eq!(r.body, Some(at(c, "{").start..at(c, "}").end));

    // A heading right after the request line: the block was never closed.
    let c = "GET /me/things\n### Response\n";
    let r = request(c);
    assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
    assert!(
        r.problems[0]
            .message
            .starts_with("the Markdown heading `### Response` is inside the HTTP block"),
        "{}",
        r.problems[0].message
    );
    // `#hashtag` is no heading.
    let c = "GET /me/things\n#hashtag\n";
    assert!(request(c).problems[0]
        .message
        .starts_with("missing blank line"));

    // Plain text after the request line, and JSON members.
    let c = "POST /x\nhello world\n";
    let r = request(c);
    assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
    assert_eq!(r.body, Some(8..19));
    let c = "POST /x\n  \"a\": 1\n";
    assert_eq!(request(c).body, Some(10..16));
}

#[test]
fn second_request_line() {
    let c = "GET /me\nGET /users/{id}\n";
    let r = request(c);
    assert_eq!(kinds(&r.problems), [ProblemKind::ExtraRequestLine]);
    assert_eq!(r.problems[0].span, 8..23);
    assert_eq!(r.body, Some(8..23));
    // A Graph path with colons is not a header either.
    let c = "GET /me\nGET /me/drive/root:/{item-path}:/workbook\n";
    assert_eq!(kinds(&request(c).problems), [ProblemKind::ExtraRequestLine]);
}

#[test]
fn bad_header_names() {
    let c = "GET /me\nContent Type: a\n: b\nWarning : 199\nX\"y: 1\nOk:\n";
    let r = request(c);
    assert_eq!(r.headers.len(), 5);
    assert_eq!(
        kinds(&r.problems),
        [ProblemKind::HeaderNameInvalid; 4].to_vec()
    );
    assert_eq!(r.problems[0].span, at(c, "Content Type"));
    assert_eq!(
        r.problems[0].message,
        "header name `Content Type` contains a space; header names are single words such as `Content-Type`"
    );
    assert_eq!(r.problems[1].span, at(c, ": b"));
    assert_eq!(
        r.problems[1].message,
        "header `: b` has no name; write `Name: value`"
    );
    assert_eq!(r.problems[2].span, at(c, "Warning"));
    assert_eq!(
        r.problems[2].message,
        "space between header name `Warning` and its colon; write `Warning:`"
    );
    assert_eq!(r.headers[2].name.value, "Warning");
    assert_eq!(r.headers[2].value.value, "199");
    assert_eq!(r.problems[3].span, at(c, "X\"y"));
    // An empty value has an empty span right after the colon.
    let ok = &r.headers[4];
    assert_eq!(ok.value.value, "");
    assert_eq!(ok.value.span, c.len() - 1..c.len() - 1);
    assert_eq!(r.body, None);
}

#[test]
fn url_line_is_not_a_header() {
    let c = "GET /me\nhttps://graph.microsoft.com/v1.0/me\n";
    let r = request(c);
    assert!(r.headers.is_empty());
    assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
}

#[test]
fn header_value_keeps_colons() {
    let c = "HTTP/1.1 201 Created\nLocation: https://x/y\n";
    let r = response(c);
    assert_eq!(r.headers[0].value.value, "https://x/y");
    assert_eq!(r.headers[0].value.span, at(c, "https://x/y"));
}

#[test]
fn blank_lines_inside_body_are_kept() {
    let c = "HTTP/1.1 200 OK\n\n\n\n  --batch\n\n  part\n\n \n";
    let r = response(c);
    assert_eq!(r.body, Some(at(c, "--batch").start..at(c, "part").end));
}

// --- responses -----------------------------------------------------------------------

#[test]
fn simple_response() {
    let c = "HTTP/1.1 200 OK\nContent-type: application/json\n\n{\n  \"id\": \"1\"\n}";
    let r = response(c);
    assert_eq!(r.line, 0..15);
    assert_eq!(r.version.value, "HTTP/1.1");
    assert_eq!(r.version.span, 0..8);
    assert_eq!(
        r.status,
        Some(Spanned {
            value: 200,
            span: 9..12
        })
    );
    assert_eq!(r.reason.as_ref().unwrap().value, "OK");
    assert_eq!(r.reason.as_ref().unwrap().span, 13..15);
    assert_eq!(r.headers[0].name.value, "Content-type");
    assert!(r.header("content-TYPE").is_some());
    assert_eq!(r.body, Some(48..c.len()));
    assert!(r.problems.is_empty());
}

#[test]
fn response_without_reason_and_http2() {
    let r = response("HTTP/2 204");
    assert_eq!(r.version.value, "HTTP/2");
    assert_eq!(r.status.unwrap().value, 204);
    assert_eq!(r.reason, None);
    assert!(r.problems.is_empty());
}

#[test]
fn reason_phrase_variants_are_not_parser_problems() {
    let c = "HTTP/1.1 204 No content\r\n";
    let r = response(c);
    let reason = r.reason.unwrap();
    assert_eq!(reason.value, "No content");
    assert_eq!(reason.span, 13..23);
    assert!(r.problems.is_empty());
    assert!(!is_standard_reason(204, "No content"));
    assert!(is_standard_reason(204, "No Content"));
    assert!(is_standard_reason(422, "Unprocessable Entity"));
    assert!(is_standard_reason(422, "Unprocessable Content"));
    assert!(!is_standard_reason(202, "Accpted"));
}

#[test]
fn status_line_without_version() {
    let c = "HTTP 201 Created\nContent-type: application/json\n\n{}";
    let r = response(c);
    assert_eq!(kinds(&r.problems), [ProblemKind::VersionMissing]);
    assert_eq!(r.problems[0].span, 0..4);
    assert_eq!(
        r.problems[0].message,
        "status line `HTTP 201 Created` has no HTTP version; write `HTTP/1.1 201 Created`"
    );
    assert_eq!(r.version.value, "HTTP");
    assert_eq!(r.status.unwrap().value, 201);
    assert_eq!(r.reason.unwrap().value, "Created");
    assert_eq!(r.body, Some(at(c, "{}")));
    assert!(matches!(parse_message(c), Ok(HttpMessage::Response(_))));
}

#[test]
fn status_line_bad_versions() {
    let r = response("HTTP/1.2 200 OK");
    assert_eq!(kinds(&r.problems), [ProblemKind::VersionInvalid]);
    assert_eq!(r.problems[0].span, 0..8);
    let r = response("HTTP1.1 200 OK");
    assert_eq!(
        r.problems[0].message,
        "malformed HTTP version `HTTP1.1`; write `HTTP/1.1`"
    );
    let r = response("Http/1.1 200 OK");
    assert_eq!(
        r.problems[0].message,
        "malformed HTTP version `Http/1.1`; write `HTTP/1.1`"
    );
    assert_eq!(r.status.unwrap().value, 200);
    assert!(response("HTTP/1.0 200 OK").problems.is_empty());
    assert!(response("HTTP/2.0 200 OK").problems.is_empty());
}

#[test]
fn status_code_missing() {
    let r = response("HTTP/1.1");
    assert_eq!(kinds(&r.problems), [ProblemKind::StatusMissing]);
    assert_eq!(r.problems[0].span, 0..8);
    assert_eq!(
        r.problems[0].message,
        "status line `HTTP/1.1` has no status code; write it after the version, e.g. `HTTP/1.1 200 OK`"
    );
    assert_eq!((r.status, r.reason), (None, None));

    let c = "HTTP/1.1 No Content";
    let r = response(c);
    assert_eq!(kinds(&r.problems), [ProblemKind::StatusMissing]);
    assert_eq!(
        r.problems[0].message,
        "status line `HTTP/1.1 No Content` has no status code; write it before the reason \
         phrase, e.g. `HTTP/1.1 204 No Content`"
    );
    assert_eq!(r.reason.unwrap().span, 9..19);

    let r = response("HTTP/1.1 <HTTP status code>");
    assert_eq!(kinds(&r.problems), [ProblemKind::StatusMissing]);
    assert_eq!(r.reason.unwrap().value, "<HTTP status code>");
}

#[test]
fn status_code_not_numeric_or_out_of_range() {
    let r = response("HTTP/1.1 2xx Success");
    assert_eq!(kinds(&r.problems), [ProblemKind::StatusNotNumeric]);
    assert_eq!(r.problems[0].span, 9..12);
    assert_eq!(
        r.problems[0].message,
        "status code `2xx` is not a number; write a three-digit code such as `200`"
    );
    assert_eq!(r.status, None);
    assert_eq!(r.reason.unwrap().value, "Success");

    let r = response("HTTP/1.1 200OK");
    assert_eq!(
        r.problems[0].message,
        "status code `200OK` is not a number; put a space between the code and the reason phrase: `200 OK`"
    );

    for code in ["2000", "99", "600", "0200", "99999999"] {
        let c = format!("HTTP/1.1 {code} OK");
        let r = response(&c);
        assert_eq!(
            kinds(&r.problems),
            [ProblemKind::StatusOutOfRange],
            "{code}"
        );
        assert_eq!(r.problems[0].span, 9..9 + code.len());
        assert_eq!(r.status, None);
    }
    assert_eq!(response("HTTP/1.1 599").status.unwrap().value, 599);
    assert_eq!(response("HTTP/1.1 100").status.unwrap().value, 100);
}

#[test]
fn response_parser_rejects_request_and_json() {
    let p = parse_response("POST /me\n").unwrap_err();
    assert_eq!(p.kind, ProblemKind::RequestInResponse);
    assert_eq!(p.span, 0..8);
    let p = parse_response("\n{\n}").unwrap_err();
    assert_eq!(p.kind, ProblemKind::NotHttp);
    assert_eq!(p.span, 1..2);
    assert_eq!(
        p.message,
        "expected a status line such as `HTTP/1.1 200 OK`, found `{`"
    );
}

#[test]
fn response_body_without_blank_line() {
    let c = "HTTP/1.1 207 Multi-Status\n{\n  \"value\": []\n}";
    let r = response(c);
    assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
    assert_eq!(r.body, Some(26..c.len()));
}

#[test]
fn message_dispatch() {
    let m = parse_message("\n\nPATCH /me\n\n{}").unwrap();
    assert!(matches!(m, HttpMessage::Request(_)));
    assert_eq!(m.line(), 2..11);
    assert_eq!(m.body(), Some(13..15));
    let m = parse_message("HTTP/1.1 204 No Content\nX: y").unwrap();
    assert!(matches!(m, HttpMessage::Response(_)));
    assert_eq!(m.headers().len(), 1);
    assert!(m.header("x").is_some());
    assert!(m.problems().is_empty());
}

#[test]
fn long_text_is_quoted_short() {
    let target = "a".repeat(500);
    let p = parse_message(&format!("/{target}")).unwrap_err();
    assert!(p.message.len() < 300, "{}", p.message);
    assert!(p.message.contains('…'));
}

#[test]
fn unicode_whitespace_and_text() {
    // NBSP between tokens, non-ASCII in the target.
    let c = "GET\u{a0}/users/jürgen\u{a0}HTTP/1.1";
    let r = request(c);
    assert_eq!(r.target.value, "/users/jürgen");
    assert_eq!(r.target.span, at(c, "/users/jürgen"));
    assert_eq!(r.version.unwrap().span, at(c, "HTTP/1.1"));
}

// --- syntax lines --------------------------------------------------------------------

#[test]
fn syntax_lines() {
    let c = "\nPOST /drives/{driveId}/items/{itemId}/checkout\r\n\n  GET /users?$filter=a eq 'b'\nnot a line\nGET\nget /me\nGET https://graph.microsoft.com/v1.0/me HTTP/1.1\n";
    let lines = parse_syntax(c);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].method.value, "POST");
    assert_eq!(lines[0].method.span, 1..5);
    assert_eq!(
        lines[0].path.value,
        "/drives/{driveId}/items/{itemId}/checkout"
    );
    assert_eq!(lines[0].path.span, 6..47);
    assert_eq!(lines[0].line, 1..47);
    assert_eq!(lines[1].path.value, "/users?$filter=a eq 'b'");
    assert_eq!(lines[1].line, at(c, "GET /users?$filter=a eq 'b'"));
    assert_eq!(lines[2].path.value, "https://graph.microsoft.com/v1.0/me");
    assert!(parse_syntax("").is_empty());
}

#[test]
fn reason_phrases() {
    assert_eq!(reason_phrase(200), Some("OK"));
    assert_eq!(reason_phrase(202), Some("Accepted"));
    assert_eq!(reason_phrase(204), Some("No Content"));
    assert_eq!(reason_phrase(302), Some("Found"));
    assert_eq!(reason_phrase(429), Some("Too Many Requests"));
    assert_eq!(reason_phrase(306), None);
    assert_eq!(reason_phrase(299), None);
    assert_eq!(reason_phrase(0), None);
}

#[test]
fn linear_on_big_input() {
    // A long line and many header lines stay fast.
    let big = format!(
        "GET /{}\n{}\n\n{}",
        "a ".repeat(200_000),
        "X: y\n".repeat(100_000),
        "{}\n".repeat(100_000)
    );
    let start = std::time::Instant::now();
    let r = request(&big);
    assert_eq!(r.headers.len(), 100_000);
    assert!(start.elapsed().as_secs() < 5);
}

// --- properties ----------------------------------------------------------------------

fn check_span(content: &str, span: &Range<usize>) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "{span:?}");
    prop_assert!(span.end <= content.len(), "{span:?} > {}", content.len());
    prop_assert!(content.is_char_boundary(span.start), "{span:?}");
    prop_assert!(content.is_char_boundary(span.end), "{span:?}");
    Ok(())
}

fn check_spanned(content: &str, s: &Spanned<String>) -> Result<(), TestCaseError> {
    check_span(content, &s.span)?;
    prop_assert_eq!(&content[s.span.clone()], s.value.as_str());
    Ok(())
}

fn check_common(
    content: &str,
    line: &Range<usize>,
    headers: &[Header],
    body: &Option<Range<usize>>,
    problems: &[HttpProblem],
) -> Result<(), TestCaseError> {
    check_span(content, line)?;
    for h in headers {
        check_spanned(content, &h.name)?;
        check_spanned(content, &h.value)?;
        check_span(content, &h.line)?;
    }
    if let Some(b) = body {
        check_span(content, b)?;
        prop_assert!(b.start < b.end);
        prop_assert!(b.start >= line.end);
    }
    for p in problems {
        check_span(content, &p.span)?;
        prop_assert!(!p.message.is_empty());
    }
    Ok(())
}

fn check_message(content: &str) -> Result<(), TestCaseError> {
    match parse_message(content) {
        Ok(HttpMessage::Request(r)) => {
            check_spanned(content, &r.method)?;
            check_spanned(content, &r.target)?;
            if let Some(v) = &r.version {
                check_spanned(content, v)?;
            }
            check_common(content, &r.line, &r.headers, &r.body, &r.problems)?;
            let _ = r.path_and_query();
        }
        Ok(HttpMessage::Response(r)) => {
            check_spanned(content, &r.version)?;
            if let Some(s) = &r.status {
                check_span(content, &s.span)?;
                prop_assert_eq!(content[s.span.clone()].parse::<u16>().ok(), Some(s.value));
            }
            if let Some(s) = &r.reason {
                check_spanned(content, s)?;
            }
            check_common(content, &r.line, &r.headers, &r.body, &r.problems)?;
        }
        Err(p) => check_span(content, &p.span)?,
    }
    if let Err(p) = parse_request(content) {
        check_span(content, &p.span)?;
    }
    if let Err(p) = parse_response(content) {
        check_span(content, &p.span)?;
    }
    for s in parse_syntax(content) {
        check_spanned(content, &s.method)?;
        check_spanned(content, &s.path)?;
        check_span(content, &s.line)?;
    }
    Ok(())
}

/// Text built from pieces real blocks are made of, so the generator reaches deep paths.
fn http_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("GET".to_string()),
        Just("get".to_string()),
        Just("POST".to_string()),
        Just("HTTP".to_string()),
        Just("HTTP/1.1".to_string()),
        Just("Http/2".to_string()),
        Just("204".to_string()),
        Just("20x".to_string()),
        Just("99999".to_string()),
        Just(" ".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{3000}".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just(":".to_string()),
        Just("://".to_string()),
        Just("/me?$filter=a eq 'é'".to_string()),
        Just("{".to_string()),
        Just("\"".to_string()),
        Just("Content-Type".to_string()),
        Just("ü😀".to_string()),
        "\\PC{0,6}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_text(content in "\\PC*") {
        check_message(&content)?;
    }

    #[test]
    fn never_panics_on_http_like_text(content in http_like()) {
        check_message(&content)?;
    }
}
