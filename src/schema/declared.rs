//! Declared property types: what a Properties table cell or a resource example value says a
//! property holds.
//!
//! Two sources declare types. A table's Type column names them (`String`, `Int64`,
//! `DateTimeOffset`, `[identitySet](identityset.md)`, `String collection`,
//! `Collection(microsoft.graph.user)`). A resource example declares them by ApiDoctor
//! convention: a string such as `"String"`, `"timestamp"`, `"url"`, `"guid"`, `"Int32"` or
//! `"Edm.Boolean"` names a type, `"a | b | c"` lists enum members, a number stands for any
//! number, an object with `@odata.type` names a structured type, and an array declares a
//! collection of what its first element declares. Any other string is an example value and
//! declares a string.

use crate::document::json::{JsonKind, JsonValue};

/// A primitive (non-structured) type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// `Edm.String`, and example values that name no other type.
    String,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Byte`, `Edm.SByte`, `Edm.Int16`, `Edm.Int32`.
    Integer,
    /// `Edm.Int64`, which OData may also write as a string of digits.
    Int64,
    /// `Edm.Single`, `Edm.Double`, `Edm.Decimal`, and numbers in resource examples (which
    /// declare "a number", not which kind).
    Number,
    /// `Edm.DateTimeOffset` (`timestamp`, `datetime` in examples).
    DateTimeOffset,
    /// `Edm.Date`.
    Date,
    /// `Edm.TimeOfDay`.
    TimeOfDay,
    /// `Edm.Duration`.
    Duration,
    /// `Edm.Guid`.
    Guid,
    /// A URL (`url` in resource examples; a string in the model).
    Url,
    /// `Edm.Binary`: base64 text.
    Binary,
    /// `Edm.Stream`, `Edm.Untyped`, `Json`: anything goes.
    Any,
}

impl Primitive {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Primitive::String => "String",
            Primitive::Boolean => "Boolean",
            Primitive::Integer => "integer",
            Primitive::Int64 => "Int64",
            Primitive::Number => "number",
            Primitive::DateTimeOffset => "DateTimeOffset",
            Primitive::Date => "Date",
            Primitive::TimeOfDay => "TimeOfDay",
            Primitive::Duration => "Duration",
            Primitive::Guid => "Guid",
            Primitive::Url => "URL",
            Primitive::Binary => "Binary",
            Primitive::Any => "any value",
        }
    }

    /// Whether the type is a string with a checked format (date-time, GUID, URL, …).
    pub fn is_string_format(self) -> bool {
        matches!(
            self,
            Primitive::DateTimeOffset
                | Primitive::Date
                | Primitive::TimeOfDay
                | Primitive::Duration
                | Primitive::Guid
                | Primitive::Url
        )
    }
}

/// What a property is declared to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// Nothing is known (a `null` example, an inline object, an unreadable type cell).
    Unknown,
    /// A primitive type.
    Primitive(Primitive),
    /// A string restricted to these members (`"a | b | c"` in a resource example).
    Enum(Vec<String>),
    /// A structured or enum type by name, resolved against the registry when validating.
    Named(String),
    /// An array of the inner type.
    Collection(Box<Declared>),
}

impl Declared {
    /// How the type reads in a message, such as `DateTimeOffset` or `Collection(identitySet)`.
    pub fn describe(&self) -> String {
        match self {
            Declared::Unknown => "unknown".into(),
            Declared::Primitive(p) => p.name().into(),
            Declared::Enum(members) => format!("enum ({})", members.join(" | ")),
            Declared::Named(name) => short_name(name).to_string(),
            Declared::Collection(inner) => format!("Collection({})", inner.describe()),
        }
    }

    /// Whether nothing is known.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Declared::Unknown)
    }

    /// The JSON shape a value of this type has, when it is certain.
    fn shape(&self) -> Option<Shape> {
        match self {
            Declared::Unknown | Declared::Named(_) | Declared::Primitive(Primitive::Any) => None,
            Declared::Collection(_) => Some(Shape::Array),
            Declared::Enum(_) => Some(Shape::String),
            Declared::Primitive(Primitive::Boolean) => Some(Shape::Boolean),
            Declared::Primitive(Primitive::Integer | Primitive::Int64 | Primitive::Number) => {
                Some(Shape::Number)
            }
            Declared::Primitive(_) => Some(Shape::String),
        }
    }

    /// Combines the type a table declares with the one the resource example declares: the
    /// table wins, except that an example may narrow a table's plain `String` to a checked
    /// string format or an enum. When the two contradict each other (a collection against a
    /// single value, a number against a string), the resource is inconsistent and nothing
    /// can be trusted: the result is `Unknown`.
    pub fn merge(table: Declared, example: Declared) -> Declared {
        if let (Some(t), Some(e)) = (table.shape(), example.shape()) {
            if t != e {
                return Declared::Unknown;
            }
        }
        match (table, example) {
            (Declared::Unknown, example) => example,
            (Declared::Primitive(Primitive::String), example @ Declared::Enum(_)) => example,
            (Declared::Primitive(Primitive::String), Declared::Primitive(p))
                if p.is_string_format() =>
            {
                Declared::Primitive(p)
            }
            (Declared::Collection(t), Declared::Collection(e)) => {
                Declared::Collection(Box::new(Declared::merge(*t, *e)))
            }
            (table, _) => table,
        }
    }
}

/// The JSON shape of a declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Array,
    String,
    Number,
    Boolean,
}

/// The part of a qualified name after the last dot (`microsoft.graph.user` → `user`).
pub fn short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// A type name as written in `@odata.type`, without a leading `#` and with `Collection(…)`
/// unwrapped: the name and whether it was a collection.
pub fn unwrap_type_name(text: &str) -> (&str, bool) {
    let text = text.trim().trim_start_matches('#');
    let lower_prefix = text.get(..11).map(str::to_ascii_lowercase);
    if lower_prefix.as_deref() == Some("collection(") && text.ends_with(')') {
        let inner = &text[11..text.len() - 1];
        return (inner.trim().trim_start_matches('#'), true);
    }
    (text, false)
}

/// The primitive a type keyword names (`Int32`, `Edm.String`, `timestamp`, …), if any.
pub fn primitive_keyword(word: &str) -> Option<Primitive> {
    // Lower-cased on the stack (this runs for every type cell and example value): no keyword
    // with its prefix is longer than `edm.datetimeoffset`, so a longer word is none.
    let mut buffer = [0u8; "edm.datetimeoffset".len()];
    let word = word.trim();
    let lower = buffer.get_mut(..word.len())?;
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    let word = lower.strip_prefix("edm.").unwrap_or(lower);
    Some(match word {
        "string" | "etag" | "identifier" => Primitive::String,
        "boolean" | "bool" => Primitive::Boolean,
        "int" | "int16" | "int32" | "integer" | "byte" | "sbyte" => Primitive::Integer,
        "int64" | "long" => Primitive::Int64,
        "single" | "double" | "float" | "decimal" | "number" => Primitive::Number,
        "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
        "date" => Primitive::Date,
        "timeofday" => Primitive::TimeOfDay,
        "duration" | "timespan" => Primitive::Duration,
        "guid" | "uuid" => Primitive::Guid,
        "url" | "uri" => Primitive::Url,
        "binary" | "base64" => Primitive::Binary,
        "stream" | "untyped" | "json" => Primitive::Any,
        _ => return None,
    })
}

/// The type a resource example value declares.
pub fn from_example(value: &JsonValue) -> Declared {
    match &value.kind {
        JsonKind::Null => Declared::Unknown,
        JsonKind::Bool(_) => Declared::Primitive(Primitive::Boolean),
        JsonKind::Number(_) => Declared::Primitive(Primitive::Number),
        JsonKind::String(text) => from_example_string(text),
        JsonKind::Array(items) => match items.first() {
            Some(first) => Declared::Collection(Box::new(from_example(first))),
            None => Declared::Collection(Box::new(Declared::Unknown)),
        },
        JsonKind::Object(_) => match value.get("@odata.type").and_then(JsonValue::as_str) {
            Some(name) => {
                let (name, collection) = unwrap_type_name(name);
                let inner = named_or_primitive(name);
                if collection {
                    Declared::Collection(Box::new(inner))
                } else {
                    inner
                }
            }
            None => Declared::Unknown,
        },
    }
}

/// `Edm.X` and other primitive names become primitives, anything else a named type.
fn named_or_primitive(name: &str) -> Declared {
    match primitive_keyword(name) {
        Some(p) => Declared::Primitive(p),
        None if name.is_empty() => Declared::Unknown,
        None => Declared::Named(name.to_string()),
    }
}

/// A string in a resource example: a type keyword (`"String"`, `"string (timestamp)"`,
/// `"Edm.Int32"`), an enum (`"a | b | c"`), or an example value (a string).
fn from_example_string(text: &str) -> Declared {
    if let Some(members) = enum_members(text) {
        return Declared::Enum(members);
    }
    let trimmed = text.trim();
    // `string (timestamp)`, `String (url)`: the qualifier says more than the base word.
    if let Some((base, rest)) = trimmed.split_once('(') {
        let qualifier = rest.trim_end().trim_end_matches(')').trim();
        if primitive_keyword(base).is_some() {
            if let Some(p) = primitive_keyword(qualifier) {
                return Declared::Primitive(p);
            }
            if let Some(p) = primitive_keyword(base) {
                return Declared::Primitive(p);
            }
        }
    }
    match primitive_keyword(trimmed) {
        Some(p) => Declared::Primitive(p),
        None => Declared::Primitive(Primitive::String),
    }
}

/// Whether a string in a response or example stands in for a value instead of being one: a
/// type written where the value belongs (`"String"`, `"Boolean"`, `"String (timestamp)"`,
/// `"a | b"`, `"@odata.type: microsoft.graph.fileHashType"`), a name ending in "value"
/// (`"datetime-value"`, `"Category value"`, `"createdDateTime.value"`), a bracketed name
/// (`"<id>"`, `"{id}"`), or nothing at all.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || enum_members(text).is_some() {
        return true;
    }
    let declares_type = match text.split_once('(') {
        Some((base, rest)) => primitive_keyword(base).is_some() && rest.trim_end().ends_with(')'),
        None => primitive_keyword(text).is_some(),
    };
    let lower = text.to_ascii_lowercase();
    let names_value = ["-value", ".value", " value", "_value"]
        .iter()
        .any(|end| lower.ends_with(end));
    let bracketed = (text.starts_with('<') && text.ends_with('>'))
        || (text.starts_with('{') && text.ends_with('}') && !text.contains('"'));
    declares_type || names_value || bracketed || lower.starts_with("@odata.type:")
}

/// `"a | b | c"`: two or more identifier-like members separated by `|`.
pub fn enum_members(text: &str) -> Option<Vec<String>> {
    if !text.contains('|') {
        return None;
    }
    let members: Vec<String> = text.split('|').map(|m| m.trim().to_string()).collect();
    let identifier = |m: &String| {
        !m.is_empty()
            && m.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    (members.len() >= 2 && members.iter().all(identifier)).then_some(members)
}

/// The type a Properties table's Type cell declares (markdown already stripped).
///
/// Understands `Collection(x)`, `x collection`, `collection of x`, `x array`, trailing words
/// such as `resource`, `object` or `enum`, and `String (timestamp)`-style qualifiers.
/// Returns `Unknown` for anything else (prose, several types, empty cells).
pub fn from_table_cell(text: &str) -> Declared {
    let text = text.trim().trim_end_matches('.').trim();
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("collection(") && text.ends_with(')') {
        return collection(from_table_cell(&text[11..text.len() - 1]));
    }
    if let Some(rest) = lower.strip_prefix("collection of ") {
        let start = text.len() - rest.len();
        return collection(from_table_cell(&text[start..]));
    }
    for suffix in [" collection", " array", " list"] {
        if lower.ends_with(suffix) {
            return collection(from_table_cell(&text[..text.len() - suffix.len()]));
        }
    }
    for suffix in [" resource", " object", " enum", " enumeration", " flags"] {
        if lower.ends_with(suffix) {
            return from_table_cell(&text[..text.len() - suffix.len()]);
        }
    }
    if let Some((base, rest)) = text.split_once('(') {
        let qualifier = rest.trim_end().trim_end_matches(')').trim();
        return match (primitive_keyword(base), primitive_keyword(qualifier)) {
            (Some(Primitive::String), Some(p)) if p.is_string_format() => Declared::Primitive(p),
            (Some(p), _) => Declared::Primitive(p),
            (None, _) => {
                let base = base.trim();
                if is_type_name(base) {
                    Declared::Named(base.to_string())
                } else {
                    Declared::Unknown
                }
            }
        };
    }
    if let Some(p) = primitive_keyword(text) {
        return Declared::Primitive(p);
    }
    if is_type_name(text) {
        Declared::Named(text.to_string())
    } else {
        Declared::Unknown
    }
}

fn collection(inner: Declared) -> Declared {
    match inner {
        Declared::Unknown => Declared::Unknown,
        inner => Declared::Collection(Box::new(inner)),
    }
}

/// A dotted identifier such as `identitySet` or `microsoft.graph.identitySet`.
pub fn is_type_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
        && !text.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::json::{parse, ParseOptions};

    #[test]
    fn placeholders_stand_in_for_values() {
        for text in [
            "String",
            "Boolean",
            "String (timestamp)",
            "datetime-value",
            "skuId-value",
            "Category value",
            "createdDateTime.value",
            "@odata.type: microsoft.graph.fileHashType",
            "<id>",
            "{id}",
            "",
            "text | html",
        ] {
            assert!(is_placeholder(text), "{text:?}");
        }
        for text in [
            "2016-03-21T20:01:37Z",
            "Normal",
            "School of Fine Art",
            "html",
            "{\"a\":1}",
            "Running (since noon)",
        ] {
            assert!(!is_placeholder(text), "{text:?}");
        }
    }

    fn example(text: &str) -> Declared {
        from_example(&parse(text, ParseOptions::default()).unwrap().value)
    }

    #[test]
    fn example_strings_declare_types_by_convention() {
        use Primitive::*;
        let cases = [
            (r#""String""#, String),
            (r#""string (identifier)""#, String),
            (r#""timestamp""#, DateTimeOffset),
            (r#""String (timestamp)""#, DateTimeOffset),
            (r#""datetime""#, DateTimeOffset),
            (r#""url""#, Url),
            (r#""guid""#, Guid),
            (r#""Int32""#, Integer),
            (r#""Edm.Boolean""#, Boolean),
            (r#""Contoso Ltd""#, String),
            (r#""Date""#, Date),
            ("1024", Number),
            ("1.5", Number),
            ("true", Boolean),
        ];
        for (text, expected) in cases {
            assert_eq!(example(text), Declared::Primitive(expected), "{text}");
        }
        assert_eq!(
            example(r#""personal | business""#),
            Declared::Enum(vec!["personal".into(), "business".into()])
        );
        assert_eq!(example(r#""a | b c""#), Declared::Primitive(String));
        assert_eq!(
            example(r#"{"@odata.type": "microsoft.graph.identitySet"}"#),
            Declared::Named("microsoft.graph.identitySet".into())
        );
        assert_eq!(
            example(r#"[{"@odata.type": "microsoft.graph.user"}]"#),
            Declared::Collection(Box::new(Declared::Named("microsoft.graph.user".into())))
        );
        assert_eq!(
            example(r#"{"@odata.type": "Edm.Stream"}"#),
            Declared::Primitive(Any)
        );
        assert_eq!(example("null"), Declared::Unknown);
        assert_eq!(example(r#"{"a": 1}"#), Declared::Unknown);
    }

    #[test]
    fn table_cells_declare_types() {
        use Primitive::*;
        assert_eq!(from_table_cell("String"), Declared::Primitive(String));
        assert_eq!(from_table_cell("Int64"), Declared::Primitive(Int64));
        assert_eq!(from_table_cell("Int32"), Declared::Primitive(Integer));
        assert_eq!(from_table_cell("Edm.Double"), Declared::Primitive(Number));
        assert_eq!(
            from_table_cell("DateTimeOffset"),
            Declared::Primitive(DateTimeOffset)
        );
        assert_eq!(
            from_table_cell("String collection"),
            Declared::Collection(Box::new(Declared::Primitive(String)))
        );
        assert_eq!(
            from_table_cell("Collection(microsoft.graph.user)"),
            Declared::Collection(Box::new(Declared::Named("microsoft.graph.user".into())))
        );
        assert_eq!(
            from_table_cell("itemActivity collection"),
            Declared::Collection(Box::new(Declared::Named("itemActivity".into())))
        );
        assert_eq!(
            from_table_cell("collection of thumbnailSet"),
            Declared::Collection(Box::new(Declared::Named("thumbnailSet".into())))
        );
        assert_eq!(
            from_table_cell("itemAnalytics resource"),
            Declared::Named("itemAnalytics".into())
        );
        assert_eq!(
            from_table_cell("String (timestamp)"),
            Declared::Primitive(DateTimeOffset)
        );
        assert_eq!(
            from_table_cell("riskLevel enum"),
            Declared::Named("riskLevel".into())
        );
        assert_eq!(from_table_cell("see below"), Declared::Unknown);
        assert_eq!(from_table_cell(""), Declared::Unknown);
    }

    #[test]
    fn merging_prefers_the_table_but_keeps_string_formats() {
        use Primitive::*;
        let p = Declared::Primitive;
        assert_eq!(Declared::merge(p(Integer), p(Number)), p(Integer));
        assert_eq!(Declared::merge(p(String), p(Url)), p(Url));
        assert_eq!(Declared::merge(Declared::Unknown, p(Url)), p(Url));
        assert_eq!(
            Declared::merge(p(DateTimeOffset), p(String)),
            p(DateTimeOffset)
        );
        let e = Declared::Enum(vec!["a".into(), "b".into()]);
        assert_eq!(Declared::merge(p(String), e.clone()), e);
        // contradictions: nothing can be trusted
        let strings = Declared::Collection(Box::new(p(String)));
        assert_eq!(Declared::merge(strings, p(String)), Declared::Unknown);
        assert_eq!(Declared::merge(p(Integer), p(String)), Declared::Unknown);
        assert_eq!(Declared::merge(p(Boolean), p(Number)), Declared::Unknown);
    }

    #[test]
    fn type_names_unwrap() {
        assert_eq!(
            unwrap_type_name("Collection(microsoft.graph.user)"),
            ("microsoft.graph.user", true)
        );
        assert_eq!(
            unwrap_type_name("#microsoft.graph.user"),
            ("microsoft.graph.user", false)
        );
        assert_eq!(unwrap_type_name("collection(#x.y)"), ("x.y", true));
        assert_eq!(short_name("microsoft.graph.user"), "user");
    }
}
