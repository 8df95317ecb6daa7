//! DL813 resource-example-type: a resource's own JSON against its Properties table.
//!
//! The table's Type column and the JSON representation both say what each property holds;
//! where they disagree on the JSON shape (a string against a number, an array against a
//! single value, an object against a string) or the JSON lists `a | b` enum members the
//! property's enum does not have, one of them is wrong.

use super::super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::json::{JsonKind, JsonValue};
use crate::rule::Rule;
use crate::schema::declared::{self, Declared, Primitive};
use crate::schema::registry::ResourceType;
use crate::schema::Registry;

/// What a JSON value looks like, or must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Number,
    Boolean,
    Object,
    Array,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Text => "a string",
            Shape::Number => "a number",
            Shape::Boolean => "a Boolean",
            Shape::Object => "an object",
            Shape::Array => "an array",
        }
    }
}

/// DL813 for the resources page `d` defines.
pub(super) fn check(cx: &mut Context<'_>, registry: &Registry, d: usize) {
    if !cx.enabled(Rule::ResourceExampleType) {
        return;
    }
    for t in registry.defined_in(d) {
        let ty = &registry.types[t];
        if ty.has_properties_table && ty.defect.is_none() {
            resource(cx, registry, ty);
        }
    }
}

fn resource(cx: &mut Context<'_>, registry: &Registry, ty: &ResourceType) {
    let doc = cx.doc;
    let Some((block, json)) = super::resource_json(cx, ty.annotation) else {
        return;
    };
    let Ok(parsed) = json.as_ref() else {
        return;
    };
    let Some(members) = parsed.value.as_object() else {
        return;
    };
    let name = declared::short_name(&ty.name);
    for member in members.iter().filter(|m| !m.key.contains('@')) {
        let Some(property) = ty
            .own_property(&member.key)
            .filter(|p| p.table_row().is_some())
        else {
            continue;
        };
        let table = declared::from_table_cell(&property.table_type);
        let at = block.content().start + member.value.span().start
            ..block.content().start + member.value.span().end;
        if let Some(problem) = disagreement(registry, ty.scope, &table, &member.value) {
            let mut finding = Finding::new(
                Rule::ResourceExampleType,
                at,
                format!(
                    "the {name} JSON shows `{}` as {}, but its Properties table declares `{}`; make the two agree",
                    member.key, problem.what, property.table_type
                ),
            )
            .with_related(doc.related(
                property.table_row().unwrap_or(0..0),
                "the table row",
            ));
            if problem.placeholder {
                finding = finding.with_max_severity(Severity::Warning);
            }
            cx.report(finding);
        }
    }
}

/// How the example value contradicts the table's type, or `None` when it does not.
struct Problem {
    what: String,
    /// A string standing for a value of the right type (`"4.2"` for a Double, `"true"` for a
    /// Boolean, a type name for an object): the example is sloppy, not contradictory.
    placeholder: bool,
}

fn disagreement(
    registry: &Registry,
    scope: usize,
    table: &Declared,
    value: &JsonValue,
) -> Option<Problem> {
    if value.is_null() {
        return None;
    }
    let expected = expected_shape(registry, scope, table)?;
    let shown = shape_of(registry, scope, value)?;
    if let (Declared::Collection(inner), Some(items)) = (table, value.as_array()) {
        let problem = disagreement(registry, scope, inner, items.first()?)?;
        return Some(Problem {
            what: format!("an array whose items are {}", problem.what),
            ..problem
        });
    }
    // OData may write an Int64 as a string of digits.
    let int64_digits = *table == Declared::Primitive(Primitive::Int64)
        && value
            .as_str()
            .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    if shown != expected && !int64_digits {
        let placeholder = value
            .as_str()
            .is_some_and(|text| stands_for(text.trim(), expected));
        return Some(Problem {
            what: format!("{} ({})", shown.describe(), quote(value)),
            placeholder,
        });
    }
    enum_members(registry, scope, table, value).map(|what| Problem {
        what,
        placeholder: false,
    })
}

/// Whether a string stands for a value of the `expected` shape: a number or Boolean in
/// quotes, or a type name where an object or array belongs.
fn stands_for(text: &str, expected: Shape) -> bool {
    match expected {
        Shape::Number => text.parse::<f64>().is_ok(),
        Shape::Boolean => text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"),
        Shape::Object | Shape::Array => {
            let (name, _) = declared::unwrap_type_name(text);
            declared::is_type_name(name) || (text.starts_with('[') && text.ends_with(']'))
        }
        Shape::Text => false,
    }
}

/// `a | b` members that the property's enum does not have.
fn enum_members(
    registry: &Registry,
    scope: usize,
    table: &Declared,
    value: &JsonValue,
) -> Option<String> {
    let Declared::Named(name) = table else {
        return None;
    };
    let members = declared::enum_members(value.as_str()?)?;
    let known = registry.lookup_enum(scope, "", name)?;
    let unknown: Vec<&str> = members
        .iter()
        .filter(|m| !known.members.iter().any(|k| k.eq_ignore_ascii_case(m)))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        return None;
    }
    Some(format!(
        "an enum with {} that {} does not have ({})",
        unknown
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", "),
        known.name,
        known.members.join(", ")
    ))
}

/// The shape a JSON value has. By the conventions of resource examples, a string that names
/// a type (`"Int32"`, `"Boolean"`) has the shape of that type, and an object that only names
/// its type has the shape of that type: an array for `Collection(…)`, a string for an enum.
fn shape_of(registry: &Registry, scope: usize, value: &JsonValue) -> Option<Shape> {
    Some(match &value.kind {
        JsonKind::Null | JsonKind::String(_) => match declared::from_example(value) {
            Declared::Primitive(Primitive::Integer | Primitive::Int64 | Primitive::Number) => {
                Shape::Number
            }
            Declared::Primitive(Primitive::Boolean) => Shape::Boolean,
            _ => Shape::Text,
        },
        JsonKind::Bool(_) => Shape::Boolean,
        JsonKind::Number(_) => Shape::Number,
        JsonKind::Array(_) => Shape::Array,
        JsonKind::Object(_) => match declared::from_example(value) {
            Declared::Collection(_) => Shape::Array,
            Declared::Named(name) if registry.lookup_enum(scope, "", &name).is_some() => {
                Shape::Text
            }
            Declared::Primitive(p) => {
                expected_shape(registry, scope, &Declared::Primitive(p)).unwrap_or(Shape::Object)
            }
            // An object naming a type the doc set does not define may stand for an enum
            // (DL811 reports the name).
            Declared::Named(name) if registry.lookup(scope, &name).is_none() => return None,
            _ => Shape::Object,
        },
    })
}

/// The shape the table's type requires, when it is certain: a named type counts only when
/// the doc set defines it (an enum is a string, a resource an object).
fn expected_shape(registry: &Registry, scope: usize, table: &Declared) -> Option<Shape> {
    Some(match table {
        Declared::Unknown => return None,
        Declared::Collection(inner) if inner.is_unknown() => return None,
        Declared::Collection(_) => Shape::Array,
        Declared::Primitive(Primitive::Any) => return None,
        Declared::Primitive(Primitive::Boolean) => Shape::Boolean,
        Declared::Primitive(Primitive::Integer | Primitive::Int64 | Primitive::Number) => {
            Shape::Number
        }
        Declared::Primitive(_) | Declared::Enum(_) => Shape::Text,
        Declared::Named(name) => {
            if registry.lookup_enum(scope, "", name).is_some() {
                Shape::Text
            } else if registry.lookup(scope, name).is_some() {
                Shape::Object
            } else {
                return None;
            }
        }
    })
}

/// The value as it reads in a message: short values whole, long ones by kind.
fn quote(value: &JsonValue) -> String {
    match &value.kind {
        JsonKind::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        JsonKind::String(_) => "a long string".into(),
        JsonKind::Number(n) => n.text.to_string(),
        JsonKind::Bool(b) => b.to_string(),
        JsonKind::Array(_) => "[…]".into(),
        JsonKind::Object(_) => "{…}".into(),
        JsonKind::Null => "null".into(),
    }
}
