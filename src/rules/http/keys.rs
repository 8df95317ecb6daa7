//! DL319 http-url-literal-key: a literal key (a GUID, a number, a base64 id) in an example
//! request URL that the request's `sampleKeys` does not list.
//!
//! Tools that turn examples into URL templates (ApiDoctor's metadata generation, OpenAPI
//! export) cannot tell a literal key from a path segment; `sampleKeys` says which text of the
//! URL is an example value. Requests marked `opaqueUrl` and URLs outside the doc set's base
//! URLs (upload sessions, monitor URLs) are no templates of the API and are not judged.

use super::urls::is_guid;
use super::{Example, Page, Role};
use crate::diagnostic::Finding;
use crate::document::json::JsonValue;
use crate::rule::Rule;
use crate::rules::Context;
use crate::schema::urls::path_segments;

/// Checks the keys of the page's example request URLs.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    if !cx.enabled(Rule::HttpUrlLiteralKey) {
        return;
    }
    let docset = cx.docset;
    let bases = docset.bases();
    for example in &page.examples {
        if example.role != Role::Request
            || example.in_syntax_section
            || example.annotation.get_bool("opaqueUrl") == Some(true)
        {
            continue;
        }
        // A URL outside the API (an upload session, a monitor URL) is no template of it.
        let in_api = example
            .request()
            .is_some_and(|r| bases.paths(&r.target.value).is_some());
        if in_api {
            literal_keys(cx, example);
        }
    }
}

fn literal_keys(cx: &mut Context<'_>, example: &Example<'_>) {
    let Some(request) = example.request() else {
        return;
    };
    let listed: Vec<String> = example
        .annotation
        .get("sampleKeys")
        .and_then(JsonValue::as_array)
        .into_iter()
        .flatten()
        .filter_map(JsonValue::as_str)
        .map(str::to_lowercase)
        .collect();
    let target = &request.target.value;
    let unlisted: Vec<(&str, usize, &str)> = keys(target)
        .into_iter()
        .filter(|(key, _, _)| {
            let lower = key.to_lowercase();
            !listed
                .iter()
                .any(|l| *l == lower || lower.contains(l.as_str()))
        })
        .collect();
    let Some(&(first, at, kind)) = unlisted.first() else {
        return;
    };
    let start = request.target.span.start + at;
    let more = match unlisted.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let quoted: Vec<String> = unlisted
        .iter()
        .map(|(key, _, _)| format!("\"{}\"", key.replace('"', "\\\"")))
        .collect();
    cx.report(
        Finding::new(
            Rule::HttpUrlLiteralKey,
            example.at(&(start..start + first.len())),
            format!(
                "the example URL uses the literal key `{}` ({kind}){more}, which the annotation's `sampleKeys` does not list",
                shorten(first)
            ),
        )
        .with_help(format!(
            "add \"sampleKeys\": [{}] to the request annotation, so tools read the literals as example keys and not as path segments",
            quoted.join(", ")
        )),
    );
}

/// The keys in the path of a request target that look like literal ids, each with its offset
/// in the target and what it looks like. A segment is a key as a whole (`/items/1`) or the
/// sole argument in parentheses (`/items('01ABC…')`); function arguments (`name=value`), the
/// query and `{placeholders}` are not keys.
fn keys(target: &str) -> Vec<(&str, usize, &'static str)> {
    let mut out = Vec::new();
    for (segment, here) in path_segments(target) {
        let (key, at) = match (segment.find('('), segment.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                let inside = &segment[open + 1..close];
                // `('AAMk…=')`: one quoted literal, base64 padding included.
                let quoted = inside.len() >= 2
                    && inside.starts_with('\'')
                    && inside.ends_with('\'')
                    && !inside[1..inside.len() - 1].contains('\'');
                if quoted {
                    (&inside[1..inside.len() - 1], here + open + 2)
                } else if inside.contains(['=', ',']) {
                    continue;
                } else {
                    (inside, here + open + 1)
                }
            }
            (None, None) => (segment, here),
            _ => continue,
        };
        if let Some(kind) = literal_kind(key) {
            out.push((key, at, kind));
        }
    }
    out
}

/// What a key looks like, when it is a literal id.
pub(super) fn literal_kind(key: &str) -> Option<&'static str> {
    if key.is_empty() || key.contains(['{', '}', '<', '>', '%', '.', ' ']) {
        return None;
    }
    if is_guid(key) {
        return Some("a GUID");
    }
    if key.bytes().all(|b| b.is_ascii_digit()) {
        return Some("a number");
    }
    is_base64_id(key).then_some("a base64 id")
}

/// A long run of base64 (or base64url) characters that reads as an encoded id, not a word:
/// padded with `=`, or marked with `!` as drive ids are, or switching between letters and
/// digits again and again (`AAMkAGI2TG93AAA`), which camel-case names never do.
fn is_base64_id(key: &str) -> bool {
    if key.len() < 16
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-' | b'!'))
    {
        return false;
    }
    if key.ends_with('=') || key.contains('!') {
        return true;
    }
    let switches = key
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    let upper = key.bytes().filter(u8::is_ascii_uppercase).count();
    switches >= 6 && upper >= 4
}

/// A long key cut for a message.
fn shorten(key: &str) -> String {
    if key.chars().count() <= 48 {
        return key.to_string();
    }
    let head: String = key.chars().take(44).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(target: &str) -> Vec<(&str, &'static str)> {
        keys(target)
            .into_iter()
            .map(|(k, _, kind)| (k, kind))
            .collect()
    }

    #[test]
    fn literal_keys_are_found_in_segments_and_parentheses() {
        assert_eq!(
            kinds("https://graph.microsoft.com/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd/messages?$top=1"),
            vec![("87d349ed-44d7-43e1-9a83-5f2406dee5bd", "a GUID")]
        );
        assert_eq!(
            kinds("/me/drive/items/1234/children"),
            vec![("1234", "a number")]
        );
        assert_eq!(
            kinds("/me/messages('AAMkAGI2THVSAAA=')"),
            vec![("AAMkAGI2THVSAAA=", "a base64 id")]
        );
        assert_eq!(
            kinds("/drives/b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3/root"),
            vec![(
                "b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3",
                "a base64 id"
            )]
        );
        assert!(kinds("/reports/getOffice365ActivationsUserDetail").is_empty());
        assert!(kinds("/reports/getEmailActivityUserDetail(period='D7')").is_empty());
        assert!(kinds("/users/{id}/photos/{size}/$value").is_empty());
        assert!(kinds("/v1.0/me/events?$top=10").is_empty());
    }

    #[test]
    fn offsets_point_at_the_key() {
        let target = "/me/messages('AAMkAGI2THVSAAA=')";
        let (key, at, _) = keys(target)[0];
        assert_eq!(&target[at..at + key.len()], key);
    }
}
