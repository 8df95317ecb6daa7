//! ApiDoctor test-scenario files, read with a byte span for every key and value.
//!
//! ApiDoctor's live check (`check-service`) calls the documented requests with values a JSON
//! file supplies: a file whose top-level object has `scenarios` (each a test of one documented
//! request, named by its `method`) and/or `canned-requests` (named setup requests that
//! scenarios share). A request definition may carry `request-parameters` (what to put where in
//! the request), `test-setup` (requests made first), `capture` (values a setup request stores
//! for later ones) and `expectations` (what the response must hold). This module turns such a
//! file into those definitions; what they must look like is the rules' business.

use std::ops::Range;

use super::json::{self, JsonError, JsonKind, JsonMember, JsonValue, ParseOptions};

/// The top-level keys that make a JSON file a scenario file.
const KEYS: [&str; 2] = ["scenarios", "canned-requests"];

/// A text from the file and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    /// The text (a string's content; a number or boolean as written).
    pub text: String,
    /// Byte range in the file (a string's quotes included).
    pub span: Range<usize>,
}

/// What a request definition is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An entry of `scenarios`: a test of the documented request its `method` names.
    Scenario,
    /// An entry of a scenario's `test-setup`: a request made before the scenario's own.
    Setup,
    /// An entry of `canned-requests`: a named setup request that scenarios share.
    Canned,
}

/// One request definition of a scenario file.
#[derive(Debug, Clone)]
pub struct RequestDefinition {
    /// What it is.
    pub role: Role,
    /// Whether it runs: a scenario runs only with `"enabled": true`; a setup request runs when
    /// its scenario does; a canned request is always considered.
    pub enabled: bool,
    /// The object's byte range.
    pub span: Range<usize>,
    /// `method`: the name of a documented request (a request annotation's `name`).
    pub method: Option<Spanned>,
    /// `http-request`: a raw request used instead of a documented one.
    pub http_request: Option<Spanned>,
    /// `canned-request`: the name of a canned request used instead.
    pub canned_request: Option<Spanned>,
    /// The keys of `request-parameters`.
    pub parameters: Vec<Spanned>,
    /// The members of `capture` (of a setup or canned request): the stored-value name and
    /// where its value is read from.
    pub captures: Vec<Capture>,
    /// The keys of `expectations`.
    pub expectations: Vec<Spanned>,
    /// Values that must be strings but are arrays or objects (`request-parameters` and
    /// `capture` values), which ApiDoctor cannot read at all.
    pub not_strings: Vec<Spanned>,
}

/// One member of a `capture` object.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The stored-value name (`[item-id]`).
    pub key: Spanned,
    /// Where the value comes from (`$.id`, `Location:`, `!body`), when it is a string, a
    /// number or a boolean.
    pub source: Option<Spanned>,
}

/// A parsed scenario file.
#[derive(Debug, Clone, Default)]
pub struct ScenarioFile {
    /// Every request definition: each scenario followed by its setup requests, then the
    /// canned requests, in file order.
    pub requests: Vec<RequestDefinition>,
    /// The names of the canned requests the file defines.
    pub canned_names: Vec<String>,
}

/// Whether a JSON text looks like a scenario file before it is parsed: it writes one of the
/// keys that make one (`"scenarios":`, `"canned-requests":`).
pub fn looks_like_scenarios(text: &str) -> bool {
    KEYS.iter().any(|key| {
        let quoted = format!("\"{key}\"");
        text.match_indices(&quoted)
            .any(|(at, _)| text[at + quoted.len()..].trim_start().starts_with(':'))
    })
}

impl ScenarioFile {
    /// Parses a JSON text as Json.NET reads it (comments and trailing commas allowed): `None`
    /// when its top level is no object with `scenarios` or `canned-requests`.
    pub fn parse(text: &str) -> Result<Option<ScenarioFile>, JsonError> {
        let parsed = json::parse(text, ParseOptions::default())?;
        let root = &parsed.value;
        if !KEYS.iter().any(|key| root.get(key).is_some()) {
            return Ok(None);
        }
        let mut file = ScenarioFile::default();
        for scenario in objects(root.get("scenarios")) {
            let enabled = scenario.get("enabled").is_some_and(is_true);
            file.requests
                .push(definition(scenario, Role::Scenario, enabled));
            for setup in objects(scenario.get("test-setup")) {
                file.requests.push(definition(setup, Role::Setup, enabled));
            }
        }
        for canned in objects(root.get("canned-requests")) {
            if let Some(name) = canned.get("name").and_then(JsonValue::as_str) {
                file.canned_names.push(name.to_string());
            }
            file.requests.push(definition(canned, Role::Canned, true));
        }
        Ok(Some(file))
    }
}

/// The objects of an array value.
fn objects(value: Option<&JsonValue>) -> impl Iterator<Item = &JsonValue> {
    value
        .and_then(JsonValue::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|v| v.as_object().is_some())
}

/// Json.NET reads `true` and the string `"true"` (any case) into a boolean as true.
fn is_true(value: &JsonValue) -> bool {
    match &value.kind {
        JsonKind::Bool(b) => *b,
        JsonKind::String(s) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn definition(object: &JsonValue, role: Role, enabled: bool) -> RequestDefinition {
    let mut definition = RequestDefinition {
        role,
        enabled,
        span: object.span(),
        method: non_empty(object.get("method")),
        http_request: non_empty(object.get("http-request")),
        canned_request: non_empty(object.get("canned-request")),
        parameters: Vec::new(),
        captures: Vec::new(),
        expectations: keys(object.get("expectations")),
        not_strings: Vec::new(),
    };
    for member in members(object.get("request-parameters")) {
        definition.parameters.push(key(member));
        definition.note_container(&member.value);
    }
    // Only a setup or canned request stores values; ApiDoctor ignores a scenario's `capture`.
    let captures = if role == Role::Scenario {
        None
    } else {
        object.get("capture")
    };
    for member in members(captures) {
        definition.captures.push(Capture {
            key: key(member),
            source: scalar(&member.value),
        });
        definition.note_container(&member.value);
    }
    definition
}

impl RequestDefinition {
    fn note_container(&mut self, value: &JsonValue) {
        if matches!(value.kind, JsonKind::Array(_) | JsonKind::Object(_)) {
            self.not_strings.push(Spanned {
                text: value.type_name().to_string(),
                span: value.span(),
            });
        }
    }
}

fn members(value: Option<&JsonValue>) -> &[JsonMember] {
    value.and_then(JsonValue::as_object).unwrap_or_default()
}

fn keys(value: Option<&JsonValue>) -> Vec<Spanned> {
    members(value).iter().map(key).collect()
}

fn key(member: &JsonMember) -> Spanned {
    Spanned {
        text: member.key.to_string(),
        span: member.key_span(),
    }
}

/// A string, number or boolean as the text Json.NET turns it into.
fn scalar(value: &JsonValue) -> Option<Spanned> {
    let text = match &value.kind {
        JsonKind::String(s) => s.to_string(),
        JsonKind::Number(n) => n.text.to_string(),
        JsonKind::Bool(b) => b.to_string(),
        _ => return None,
    };
    Some(Spanned {
        text,
        span: value.span(),
    })
}

/// A non-empty string value (ApiDoctor treats an empty one as absent).
fn non_empty(value: Option<&JsonValue>) -> Option<Spanned> {
    scalar(value?).filter(|s| !s.text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_setups_and_canned_requests_are_read_in_order() {
        let text = r#"{
  // comments are fine, as in Json.NET
  "canned-requests": [ { "name": "root", "http-request": "GET /me/drive/root",
                         "capture": { "[root-id]": "$.id" } } ],
  "scenarios": [
    { "name": "a", "method": "get-item", "enabled": "True",
      "request-parameters": { "{item-id}": "[root-id]", "bad": { "x": 1 } },
      "test-setup": [ { "canned-request": "root" } ],
      "expectations": { "$.name": "x" } },
    { "name": "b", "method": "", "enabled": false },
  ]
}"#;
        assert!(looks_like_scenarios(text));
        let file = ScenarioFile::parse(text).unwrap().unwrap();
        assert_eq!(file.canned_names, ["root"]);
        let roles: Vec<(Role, bool)> = file.requests.iter().map(|r| (r.role, r.enabled)).collect();
        assert_eq!(
            roles,
            [
                (Role::Scenario, true),
                (Role::Setup, true),
                (Role::Scenario, false),
                (Role::Canned, true)
            ]
        );
        let a = &file.requests[0];
        assert_eq!(a.method.as_ref().unwrap().text, "get-item");
        assert_eq!(
            &text[a.method.as_ref().unwrap().span.clone()],
            "\"get-item\""
        );
        let keys: Vec<&str> = a.parameters.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(keys, ["{item-id}", "bad"]);
        assert_eq!(a.not_strings.len(), 1);
        assert_eq!(a.expectations[0].text, "$.name");
        assert_eq!(
            file.requests[1].canned_request.as_ref().unwrap().text,
            "root"
        );
        assert!(file.requests[2].method.is_none(), "an empty method is none");
        let capture = &file.requests[3].captures[0];
        assert_eq!(
            (
                capture.key.text.as_str(),
                capture.source.as_ref().unwrap().text.as_str()
            ),
            ("[root-id]", "$.id")
        );
    }

    #[test]
    fn other_json_is_no_scenario_file() {
        assert!(!looks_like_scenarios(r#"{ "name": "scenarios" }"#));
        assert!(ScenarioFile::parse(r#"{ "schemaConfig": {} }"#)
            .unwrap()
            .is_none());
        assert!(ScenarioFile::parse("[1, 2]").unwrap().is_none());
        assert!(ScenarioFile::parse(r#"{ "scenarios": [ , ] }"#).is_err());
    }
}
