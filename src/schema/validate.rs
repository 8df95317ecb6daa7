//! Validation of an example JSON body against a resource type.
//!
//! One walk over the JSON, linear in its size: each object member is looked up in the type's
//! properties (a hash lookup per inheritance level) and its value checked against the declared
//! type; nested typed objects and array members are validated the same way.
//!
//! Value checks (DL806): any JSON number satisfies a floating type and any
//! integral number an integer type; a response string is never typed by what it looks like (a
//! value `"Date"` is just a string) but is checked against a declared date-time, GUID, URL or
//! enum type.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::declared::{self, Declared, Primitive};
use super::registry::{EnumType, Property, Registry, ResourceType};
use crate::diagnostic::{Finding, Severity};
use crate::document::json::{JsonKind, JsonMember, JsonValue};
use crate::document::Document;
use crate::rule::Rule;
use crate::suggest::Budget;

/// What the bodies of one page are checked against, and where the current body's JSON sits.
pub struct Validator<'a> {
    /// The index's pages, for the paths of the pages that define types (a page keeps its
    /// paths when it is released).
    documents: &'a [Document],
    registry: &'a Registry,
    scope: usize,
    /// Missing properties are not reported (the example is `truncated`).
    truncated: bool,
    /// Page offset of the JSON text (JSON spans are relative to it).
    base: usize,
    /// What the body is, for messages ("the response", "the example").
    what: &'static str,
    /// Pairs (object type, expected type) already reported as unrelated on this page: one
    /// missing `baseType` would otherwise be reported at every object of the page.
    unrelated: HashSet<(usize, usize)>,
    /// What the current body already reported, so that the items of a long collection do
    /// not repeat one finding (undocumented: type and property; missing: type and list).
    repeated: HashSet<(usize, String)>,
    /// Did-you-means left on this page (each scans the candidates).
    suggestions: Budget,
    /// While validating the `{"value": …}` of a body of a primitive type: the type its
    /// annotation declares, for messages.
    wrapper: Option<String>,
    findings: Vec<Finding>,
}

impl<'a> Validator<'a> {
    /// A validator for the bodies of a page in `scope`.
    pub fn new(documents: &'a [Document], registry: &'a Registry, scope: usize) -> Self {
        Validator {
            documents,
            registry,
            scope,
            truncated: false,
            base: 0,
            what: "the body",
            unrelated: HashSet::new(),
            repeated: HashSet::new(),
            suggestions: Budget::default(),
            wrapper: None,
            findings: Vec::new(),
        }
    }

    /// Starts a body whose JSON text begins at page offset `base`, checked in `scope`.
    pub fn start_body(&mut self, base: usize, truncated: bool, what: &'static str, scope: usize) {
        self.scope = scope;
        self.base = base;
        self.truncated = truncated;
        self.what = what;
        self.repeated.clear();
    }

    /// Whether a did-you-mean may still be computed on this page; counts it.
    pub fn may_suggest(&mut self) -> bool {
        self.suggestions.take()
    }

    /// The findings so far, leaving none.
    pub fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.findings)
    }

    fn span(&self, span: &Range<usize>) -> Range<usize> {
        self.base + span.start..self.base + span.end
    }

    /// Validates a value that should be an instance of type `t`: the body itself or an item
    /// of a collection body. Only here are missing properties reported (DL807); nested
    /// objects are often partial by design (change notifications, `$select`, expanded
    /// navigation properties), as ApiDoctor also assumes.
    pub fn instance(&mut self, value: &JsonValue, t: usize) {
        match &value.kind {
            JsonKind::Object(members) => self.object(value, members, t, true),
            JsonKind::Null => {}
            _ => {
                let name = declared::short_name(&self.registry.types[t].name).to_string();
                self.mismatch(value, &format!("a {name} object"), None, None);
            }
        }
    }

    /// Validates a value against a declared type.
    pub fn value(&mut self, value: &JsonValue, declared: &Declared, origin: Option<Origin<'_>>) {
        if value.is_null() {
            if let Some(o) = origin {
                self.null(value, o);
            }
            return;
        }
        match declared {
            Declared::Unknown => self.untyped(value),
            Declared::Collection(inner) => match value.as_array() {
                Some(items) => {
                    for item in items {
                        self.value(item, inner, origin);
                    }
                }
                None => {
                    self.mismatch(value, "an array", origin, None);
                }
            },
            Declared::Named(name) => match self.lookup_named(name, origin) {
                Some(t) => match &value.kind {
                    JsonKind::Object(members) => self.object(value, members, t, false),
                    _ => {
                        let what = format!("a {} object", declared::short_name(name));
                        self.mismatch(value, &what, origin, None);
                    }
                },
                None => match self.lookup_enum(name, origin) {
                    Some(table) => self.enum_value(value, &table.members, origin, Some(table)),
                    // A type the doc set does not define: nothing to check against.
                    None => self.untyped(value),
                },
            },
            Declared::Enum(members) => self.enum_value(value, members, origin, None),
            Declared::Primitive(p) => self.primitive(value, *p, origin),
        }
    }

    /// Validates the `value` member of a body whose annotation declares a primitive type
    /// (`"@odata.type": "Edm.Boolean"`), as OData wraps such a value: `{"value": true}`.
    pub fn wrapped_value(&mut self, value: &JsonValue, declared: &Declared, type_name: &str) {
        self.wrapper = Some(type_name.to_string());
        self.value(value, declared, None);
        self.wrapper = None;
    }

    /// DL806 for `null` in a property that the resource's `nullableProperties` leaves out.
    fn null(&mut self, value: &JsonValue, origin: Origin<'_>) {
        let Some(t) = self.registry.lookup(origin.owner.scope, &origin.owner.name) else {
            return;
        };
        if self.registry.is_nullable(t, &origin.property.name) {
            return;
        }
        let message = format!(
            "`{}` is null in {}, but {} lists its nullable properties (`nullableProperties`) and this is not one of them",
            origin.property.name,
            self.what,
            declared::short_name(&origin.owner.name)
        );
        let finding = Finding::new(
            Rule::ResponsePropertyType,
            self.span(&value.span()),
            message,
        )
        .with_related(self.declaration(origin));
        self.findings.push(finding);
    }

    /// A named type, looked up first in the namespace of the type that declares it.
    fn lookup_named(&self, name: &str, origin: Option<Origin<'_>>) -> Option<usize> {
        self.registry
            .lookup_near(self.scope, namespace_of(origin), name)
    }

    /// A documented enum, looked up like [`Self::lookup_named`].
    fn lookup_enum(&self, name: &str, origin: Option<Origin<'_>>) -> Option<&'a EnumType> {
        let registry: &'a Registry = self.registry;
        registry.lookup_enum(self.scope, namespace_of(origin), name)
    }

    /// A value of unknown type: objects that name their type are still validated.
    fn untyped(&mut self, value: &JsonValue) {
        match &value.kind {
            JsonKind::Object(members) => {
                if let Some(t) = self.instance_type(value, None) {
                    self.object(value, members, t, false);
                }
            }
            JsonKind::Array(items) => {
                for item in items {
                    self.untyped(item);
                }
            }
            _ => {}
        }
    }

    /// The type an object names with `@odata.type`, reporting names the doc set does not
    /// define (DL804) and types unrelated to the expected one (DL806).
    fn instance_type(&mut self, value: &JsonValue, expected: Option<usize>) -> Option<usize> {
        let member = value.member("@odata.type")?;
        let text = member.value.as_str()?;
        let (name, _) = declared::unwrap_type_name(text);
        if declared::primitive_keyword(name).is_some() || name.is_empty() {
            return None;
        }
        let Some(t) = self.registry.lookup(self.scope, name) else {
            let help = self
                .may_suggest()
                .then(|| self.registry.suggest(self.scope, name))
                .flatten()
                .map(|c| format!("did you mean {c:?}?"));
            let mut finding = Finding::new(
                Rule::ResponseTypeUnknown,
                self.span(&member.value.span()),
                format!(
                    "{} names the type {text:?}, which no resource in the doc set defines",
                    self.what
                ),
            );
            if let Some(help) = help {
                finding = finding.with_help(help);
            }
            if !self.registry.knows_namespace(self.scope, name) {
                // Another namespace's type (the service's own error payload, say): the doc
                // set cannot tell whether it exists.
                finding = finding.with_max_severity(Severity::Warning);
            }
            self.findings.push(finding);
            return None;
        };
        if let Some(expected) = expected {
            let first = self.unrelated.insert((t, expected));
            if first && !self.registry.derives_from(t, expected) {
                let expected_name = &self.registry.types[expected].name;
                let finding = if self.registry.types[t].base_name.is_some() {
                    Finding::new(
                        Rule::ResponsePropertyType,
                        self.span(&member.value.span()),
                        format!(
                            "the object is typed {text:?}, which is not {expected_name:?} or a type derived from it"
                        ),
                    )
                } else {
                    // A resource that names no base type may well derive from the expected
                    // one (the service says so, its page does not): the page that lacks the
                    // base is the likelier defect, not this object.
                    Finding::new(
                        Rule::ResponsePropertyType,
                        self.span(&member.value.span()),
                        format!(
                            "the object is typed {text:?}, whose resource names no base type, so the docs do not show it deriving from {expected_name:?}"
                        ),
                    )
                    .with_max_severity(Severity::Warning)
                    .with_related(self.declared_at(t, "the declaration of"))
                };
                self.findings.push(
                    finding
                        .with_help(format!(
                            "if {name} derives from {expected_name}, say so with \"baseType\" in its resource annotation; otherwise correct the type"
                        ))
                        .with_related(self.declared_at(expected, "the expected type")),
                );
            }
        }
        // The object names its own type: validate it as that type either way.
        Some(t)
    }

    /// Validates an object against type `t` (or the derived type it names).
    fn object(&mut self, value: &JsonValue, members: &[JsonMember], expected: usize, top: bool) {
        let named = value.get("@odata.type").is_some();
        let t = self
            .instance_type(value, Some(expected))
            .unwrap_or(expected);
        let registry = self.registry;
        let open = registry.is_open(t) || registry.is_open(expected);
        for member in members {
            if member.key.contains('@') {
                continue; // control information and instance annotations
            }
            // An object of an unrelated type (already reported) may still show properties
            // of the expected type; do not report them twice.
            let property = registry
                .property(t, &member.key)
                .or_else(|| registry.property(expected, &member.key));
            match property {
                Some((owner, property)) => {
                    let origin = Origin { owner, property };
                    self.value(&member.value, &property.declared, Some(origin));
                }
                None if open => self.untyped(&member.value),
                // An object that does not name its type may be of a derived type.
                None if !named && registry.subtype_has(t, &member.key) => {
                    self.untyped(&member.value);
                }
                None => {
                    self.undocumented(member, t);
                    self.untyped(&member.value);
                }
            }
        }
        if top && !self.truncated {
            self.missing(value, members, t);
        }
    }

    fn undocumented(&mut self, member: &JsonMember, t: usize) {
        if !self.repeated.insert((t, member.key.to_string())) {
            return;
        }
        let ty = &self.registry.types[t];
        let limit = (member.key.chars().count() / 3).max(1);
        let names = self
            .registry
            .property_names(t)
            .filter(|n| super::registry::could_be_within(n, &member.key, limit));
        let help = self
            .may_suggest()
            .then(|| crate::suggest::closest(&member.key, names))
            .flatten()
            .map(|c| format!("did you mean `{c}`?"));
        let mut finding = Finding::new(
            Rule::ResponsePropertyUndocumented,
            self.span(&member.key_span()),
            format!(
                "property `{}` is not documented on {}; document it in the resource or correct the name",
                member.key,
                declared::short_name(&ty.name)
            ),
        )
        .with_related(self.declared_at(t, "the resource"));
        if let Some(help) = help {
            finding = finding.with_help(help);
        }
        self.findings.push(finding);
    }

    /// DL807: properties the resource example shows, not optional and not navigation
    /// properties, that the object lacks.
    fn missing(&mut self, value: &JsonValue, members: &[JsonMember], t: usize) {
        let registry = self.registry;
        let present: HashSet<&str> = members.iter().map(|m| &*m.key).collect();
        let optional: HashSet<&str> = registry.optional_properties(t).collect();
        let mut missing: Vec<&str> = Vec::new();
        let mut listed: HashSet<&str> = HashSet::new();
        for ty in registry.chain(t) {
            for property in &ty.properties {
                let name = property.name.as_str();
                let required = property.json_key().is_some()
                    && !property.is_navigation()
                    && !optional.contains(name);
                if required && !present.contains(name) && listed.insert(name) {
                    missing.push(name);
                }
            }
        }
        if missing.is_empty() || !self.repeated.insert((t, missing.join(","))) {
            return;
        }
        let name = declared::short_name(&registry.types[t].name);
        let list = listing(missing.iter().map(|m| format!("`{m}`")), ", ", "");
        let open = value.span().start..value.span().start + 1;
        let (plural, them) = if missing.len() == 1 {
            ("y", "it")
        } else {
            ("ies", "them")
        };
        self.findings.push(
            Finding::new(
                Rule::ResponsePropertyMissing,
                self.span(&open),
                format!(
                    "the {name} object lacks propert{plural} {list} that the resource shows; add {them}, list {them} in `optionalProperties`, or mark the example `\"truncated\": true`"
                ),
            )
            .with_related(self.declared_at(t, "the resource")),
        );
    }

    /// DL806 for a value that is no member of the enum (`table`: the enum's documented
    /// member table, which the finding points at too; `None` for a list a resource example
    /// gives for a `String` property, `"a | b"`, which samples the values rather than closes
    /// them: a value outside it is a warning, and the list may be what needs the fix).
    fn enum_value(
        &mut self,
        value: &JsonValue,
        members: &[String],
        origin: Option<Origin<'_>>,
        table: Option<&EnumType>,
    ) {
        let Some(text) = value.as_str() else {
            self.mismatch(value, "one of the enum's member strings", origin, None);
            return;
        };
        // Flags enums list several members separated by commas.
        let unknown: Vec<&str> = text
            .split(',')
            .map(str::trim)
            .filter(|m| !members.iter().any(|e| e == m))
            .collect();
        if unknown.is_empty() {
            return;
        }
        let case_only = unknown
            .iter()
            .all(|u| members.iter().any(|m| m.eq_ignore_ascii_case(u)));
        let did_you_mean = unknown
            .first()
            .and_then(|u| crate::suggest::closest(u, members.iter().map(String::as_str)))
            .map(|c| format!("did you mean {c:?}?"));
        let help = if table.is_none() && !case_only {
            let list = format!(
                "the resource example's list `{}` may be incomplete: if the service returns {text:?}, add it there",
                members.join(" | ")
            );
            Some(match did_you_mean {
                Some(guess) => format!("{guess} Otherwise {list}"),
                None => list,
            })
        } else {
            did_you_mean
        };
        let expected = format!(
            "one of {}",
            listing(members.iter().map(String::to_string), " | ", " members")
        );
        let members_at = table.map(|e| {
            e.header_at.related(
                self.documents[e.doc].display(),
                format!("the members of the `{}` enum", e.name),
            )
        });
        let finding = self.mismatch(value, &expected, origin, help);
        finding.related.extend(members_at);
        if case_only || table.is_none() {
            // The member is right but for its case: readers understand it, strict clients do
            // not. A list in a resource example is no declaration of every value.
            finding.max_severity = Some(Severity::Warning);
        }
    }

    fn primitive(&mut self, value: &JsonValue, p: Primitive, origin: Option<Origin<'_>>) {
        let fits = match (&value.kind, p) {
            (_, Primitive::Any) => true,
            (JsonKind::Bool(_), Primitive::Boolean) => true,
            (JsonKind::Number(n), Primitive::Number) => n.as_f64().is_some(),
            (JsonKind::Number(n), Primitive::Integer | Primitive::Int64) => {
                n.is_integer || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            // OData writes Int64 and Decimal as strings for IEEE 754 compatibility, and
            // special floating values as strings.
            (JsonKind::String(s), Primitive::Int64) => s.trim().parse::<i64>().is_ok(),
            (JsonKind::String(s), Primitive::Number) => {
                matches!(&**s, "NaN" | "INF" | "-INF") || s.trim().parse::<f64>().is_ok()
            }
            (JsonKind::String(_), Primitive::String | Primitive::Binary) => true,
            (JsonKind::String(s), format) if format.is_string_format() => {
                if !string_fits(s, format) {
                    self.mismatch(value, format_description(format), origin, None);
                }
                true
            }
            _ => false,
        };
        if !fits {
            let expected = match p {
                Primitive::Integer | Primitive::Int64 => "an integer".to_string(),
                Primitive::Number => "a number".to_string(),
                Primitive::Boolean => "true or false".to_string(),
                Primitive::String | Primitive::Binary => "a string".to_string(),
                other => format!("a {} string", other.name()),
            };
            self.mismatch(value, &expected, origin, None);
        }
    }

    /// DL806: `value` is not what its declared type demands (`expected`, such as "an
    /// integer" or "an ISO 8601 date-time").
    /// A placeholder where a value belongs (`"String (timestamp)"`, `"id-value"`) is only a
    /// warning: the example is unfinished, not wrong about the type.
    fn mismatch(
        &mut self,
        value: &JsonValue,
        expected: &str,
        origin: Option<Origin<'_>>,
        help: Option<String>,
    ) -> &mut Finding {
        let found = describe_value(value);
        let message = match (origin, &self.wrapper) {
            (Some(o), _) => format!(
                "`{}` is {found} in {}, but {} declares its type as {}: expected {expected}",
                o.property.name,
                self.what,
                declared::short_name(&o.owner.name),
                o.property.declared.describe()
            ),
            (None, Some(type_name)) => format!(
                "`value` is {found} in {}, but its annotation declares the type {type_name:?}: expected {expected}",
                self.what
            ),
            (None, None) => format!("{} holds {found}: expected {expected}", self.what),
        };
        let mut finding = Finding::new(
            Rule::ResponsePropertyType,
            self.span(&value.span()),
            message,
        );
        if let Some(origin) = origin {
            finding = finding.with_related(self.declaration(origin));
        }
        if let Some(help) = help {
            finding = finding.with_help(help);
        }
        if value.as_str().is_some_and(declared::is_placeholder) {
            finding = finding.with_max_severity(Severity::Warning);
        }
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    fn declaration(&self, origin: Origin<'_>) -> crate::diagnostic::Related {
        let at = origin
            .property
            .declared_at
            .unwrap_or(origin.owner.annotation_at);
        at.related(
            self.documents[origin.owner.doc].display(),
            format!("`{}` is declared here", origin.property.name),
        )
    }

    fn declared_at(&self, t: usize, what: &str) -> crate::diagnostic::Related {
        let ty = &self.registry.types[t];
        ty.annotation_at.related(
            self.documents[ty.doc].display(),
            format!("{what} {}", ty.name),
        )
    }
}

/// Where a property's declaration comes from, for messages.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    /// The type that defines the property.
    pub owner: &'a ResourceType,
    /// The property.
    pub property: &'a Property,
}

/// The namespace of the type that declares a property (`microsoft.graph`), or "".
fn namespace_of<'o>(origin: Option<Origin<'o>>) -> &'o str {
    origin
        .and_then(|o| o.owner.name.rsplit_once('.'))
        .map_or("", |(ns, _)| ns)
}

/// A short description of a value for messages: `the string "abc"`, `the number 5`, `an object`.
pub fn describe_value(value: &JsonValue) -> String {
    match &value.kind {
        JsonKind::Null => "null".into(),
        JsonKind::Bool(b) => format!("{b}"),
        JsonKind::Number(n) => format!("the number {}", n.text),
        JsonKind::String(s) => {
            let mut shown: String = s.chars().take(60).collect();
            if shown.len() < s.len() {
                shown.push('…');
            }
            format!("the string {shown:?}")
        }
        JsonKind::Array(_) => "an array".into(),
        JsonKind::Object(_) => "an object".into(),
    }
}

fn format_description(p: Primitive) -> &'static str {
    match p {
        Primitive::DateTimeOffset => "an ISO 8601 date-time such as \"2024-01-31T12:00:00Z\"",
        Primitive::Date => "an ISO 8601 date such as \"2024-01-31\"",
        Primitive::TimeOfDay => "a time of day such as \"13:30:00\"",
        Primitive::Duration => "an ISO 8601 duration such as \"PT1H30M\"",
        Primitive::Guid => "a GUID such as \"5f4c7d3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f\"",
        Primitive::Url => "a URL",
        _ => "a valid value",
    }
}

/// Whether a string has the format a declared string type demands.
pub fn string_fits(text: &str, format: Primitive) -> bool {
    static PATTERNS: OnceLock<[Regex; 6]> = OnceLock::new();
    let [date_time, date, time, duration, guid, url] = PATTERNS.get_or_init(|| {
        let compile = |p: &str| Regex::new(p).expect("valid pattern");
        [
            compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$"),
            compile(r"^\d{4}-\d{2}-\d{2}$"),
            compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
            compile(r"^-?P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"),
            compile(
                r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
            ),
            compile(r"^([A-Za-z][A-Za-z0-9+.\-]*:|/)\S*$"),
        ]
    });
    match format {
        Primitive::DateTimeOffset => date_time.is_match(text),
        Primitive::Date => date.is_match(text),
        Primitive::TimeOfDay => time.is_match(text),
        Primitive::Duration => {
            duration.is_match(text)
                && !matches!(text.trim_start_matches('-'), "P" | "PT")
                && !text.ends_with('T')
        }
        Primitive::Guid => guid.is_match(text),
        Primitive::Url => url.is_match(text),
        _ => true,
    }
}

/// How many items a message lists before it summarises the rest.
const LISTED: usize = 12;

/// `items` joined with `separator`; past [`LISTED`] items, the rest only counted
/// (`a, b, … and 40 more`, with `noun` after the count).
fn listing(items: impl ExactSizeIterator<Item = String>, separator: &str, noun: &str) -> String {
    let count = items.len();
    let shown: Vec<String> = items.take(LISTED).collect();
    let mut text = shown.join(separator);
    if count > LISTED {
        text.push_str(&format!("{separator}… and {} more{noun}", count - LISTED));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_summarised() {
        let few = (0..3).map(|i| format!("m{i}"));
        assert_eq!(listing(few, " | ", " members"), "m0 | m1 | m2");
        let many: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
        let text = listing(many.into_iter(), ", ", "");
        assert!(text.starts_with("m0, m1, "), "{text}");
        assert!(text.ends_with("m11, … and 8 more"), "{text}");
    }

    #[test]
    fn string_formats() {
        use Primitive::*;
        for (text, format, ok) in [
            ("2016-03-21T20:01:37Z", DateTimeOffset, true),
            ("2016-03-21T20:01:37.1234567+02:00", DateTimeOffset, true),
            ("2016-03-21T20:01", DateTimeOffset, true),
            ("yesterday", DateTimeOffset, false),
            ("2016-03-21", DateTimeOffset, false),
            ("2016-03-21", Date, true),
            ("13:30:00.5", TimeOfDay, true),
            ("PT1H30M", Duration, true),
            ("P1D", Duration, true),
            ("PT", Duration, false),
            ("1 hour", Duration, false),
            ("5f4c7d3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f", Guid, true),
            ("not-a-guid", Guid, false),
            ("https://contoso.com/a", Url, true),
            ("/drives/1/items/2", Url, true),
            ("mailto:a@b.c", Url, true),
            ("not a url", Url, false),
        ] {
            assert_eq!(string_fits(text, format), ok, "{text} as {format:?}");
        }
    }
}
