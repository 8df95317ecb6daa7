//! The OData type system (EDM) as the docs and the service's metadata name it.
//!
//! A service's CSDL writes types as `Edm.String`, `Collection(Edm.Int32)` or
//! `microsoft.graph.identitySet` (or through a schema alias, `graph.identitySet`); the docs
//! write `String`, `Int32 collection` or `[identitySet](identityset.md)`. This module maps one
//! to the other: [`EdmPrimitive`] for the primitive types, with their docs spelling and the
//! coarser [`Primitive`] class examples are validated against, and [`TypeRef`] for a whole
//! type reference.

use std::fmt;

use super::declared::{Declared, Primitive};

/// An EDM primitive type. Spatial types (`Edm.GeographyPoint`, …) are grouped in two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdmPrimitive {
    /// `Edm.Binary`: base64 text.
    Binary,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Byte`: an unsigned 8-bit integer.
    Byte,
    /// `Edm.Date`.
    Date,
    /// `Edm.DateTimeOffset`.
    DateTimeOffset,
    /// `Edm.Decimal`.
    Decimal,
    /// `Edm.Double`.
    Double,
    /// `Edm.Duration`.
    Duration,
    /// `Edm.Guid`.
    Guid,
    /// `Edm.Int16`.
    Int16,
    /// `Edm.Int32`.
    Int32,
    /// `Edm.Int64`.
    Int64,
    /// `Edm.SByte`: a signed 8-bit integer.
    SByte,
    /// `Edm.Single`.
    Single,
    /// `Edm.Stream`: binary content served on its own URL.
    Stream,
    /// `Edm.String`.
    String,
    /// `Edm.TimeOfDay`.
    TimeOfDay,
    /// `Edm.Untyped`: any JSON value.
    Untyped,
    /// `Edm.Geography…` types (GeoJSON objects).
    Geography,
    /// `Edm.Geometry…` types (GeoJSON objects).
    Geometry,
}

/// Every primitive with its EDM name (without `Edm.`), in the order the names are tried.
const EDM_NAMES: &[(EdmPrimitive, &str)] = &[
    (EdmPrimitive::Binary, "Binary"),
    (EdmPrimitive::Boolean, "Boolean"),
    (EdmPrimitive::Byte, "Byte"),
    (EdmPrimitive::Date, "Date"),
    (EdmPrimitive::DateTimeOffset, "DateTimeOffset"),
    (EdmPrimitive::Decimal, "Decimal"),
    (EdmPrimitive::Double, "Double"),
    (EdmPrimitive::Duration, "Duration"),
    (EdmPrimitive::Guid, "Guid"),
    (EdmPrimitive::Int16, "Int16"),
    (EdmPrimitive::Int32, "Int32"),
    (EdmPrimitive::Int64, "Int64"),
    (EdmPrimitive::SByte, "SByte"),
    (EdmPrimitive::Single, "Single"),
    (EdmPrimitive::Stream, "Stream"),
    (EdmPrimitive::String, "String"),
    (EdmPrimitive::TimeOfDay, "TimeOfDay"),
    (EdmPrimitive::Untyped, "Untyped"),
    (EdmPrimitive::Geography, "Geography"),
    (EdmPrimitive::Geometry, "Geometry"),
];

impl EdmPrimitive {
    /// The primitive a CSDL type name denotes (`Edm.Int32`, case-insensitive; any
    /// `Edm.Geography…` or `Edm.Geometry…`), if it is one.
    pub fn from_edm(name: &str) -> Option<EdmPrimitive> {
        let rest = name
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("edm."))
            .map(|_| &name[4..])?;
        for (primitive, edm) in EDM_NAMES {
            let matches = match primitive {
                EdmPrimitive::Geography | EdmPrimitive::Geometry => rest
                    .get(..edm.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(edm)),
                _ => rest.eq_ignore_ascii_case(edm),
            };
            if matches {
                return Some(*primitive);
            }
        }
        None
    }

    /// The CSDL name, such as `Edm.Int32` (`Edm.Geography` and `Edm.Geometry` for the
    /// spatial groups).
    pub fn edm_name(self) -> &'static str {
        match self {
            EdmPrimitive::Binary => "Edm.Binary",
            EdmPrimitive::Boolean => "Edm.Boolean",
            EdmPrimitive::Byte => "Edm.Byte",
            EdmPrimitive::Date => "Edm.Date",
            EdmPrimitive::DateTimeOffset => "Edm.DateTimeOffset",
            EdmPrimitive::Decimal => "Edm.Decimal",
            EdmPrimitive::Double => "Edm.Double",
            EdmPrimitive::Duration => "Edm.Duration",
            EdmPrimitive::Guid => "Edm.Guid",
            EdmPrimitive::Int16 => "Edm.Int16",
            EdmPrimitive::Int32 => "Edm.Int32",
            EdmPrimitive::Int64 => "Edm.Int64",
            EdmPrimitive::SByte => "Edm.SByte",
            EdmPrimitive::Single => "Edm.Single",
            EdmPrimitive::Stream => "Edm.Stream",
            EdmPrimitive::String => "Edm.String",
            EdmPrimitive::TimeOfDay => "Edm.TimeOfDay",
            EdmPrimitive::Untyped => "Edm.Untyped",
            EdmPrimitive::Geography => "Edm.Geography",
            EdmPrimitive::Geometry => "Edm.Geometry",
        }
    }

    /// How a Properties table writes the type: the EDM name without `Edm.`.
    pub fn docs_name(self) -> &'static str {
        &self.edm_name()[4..]
    }

    /// The class of values examples are validated against.
    pub fn primitive(self) -> Primitive {
        match self {
            EdmPrimitive::Binary => Primitive::Binary,
            EdmPrimitive::Boolean => Primitive::Boolean,
            EdmPrimitive::Byte
            | EdmPrimitive::SByte
            | EdmPrimitive::Int16
            | EdmPrimitive::Int32 => Primitive::Integer,
            EdmPrimitive::Int64 => Primitive::Int64,
            EdmPrimitive::Decimal | EdmPrimitive::Double | EdmPrimitive::Single => {
                Primitive::Number
            }
            EdmPrimitive::Date => Primitive::Date,
            EdmPrimitive::DateTimeOffset => Primitive::DateTimeOffset,
            EdmPrimitive::Duration => Primitive::Duration,
            EdmPrimitive::Guid => Primitive::Guid,
            EdmPrimitive::String => Primitive::String,
            EdmPrimitive::TimeOfDay => Primitive::TimeOfDay,
            EdmPrimitive::Stream
            | EdmPrimitive::Untyped
            | EdmPrimitive::Geography
            | EdmPrimitive::Geometry => Primitive::Any,
        }
    }
}

impl Primitive {
    /// The EDM type a docs primitive stands for: integers are `Edm.Int32`, numbers
    /// `Edm.Double`, URLs `Edm.String`, "any value" `Edm.Untyped`.
    pub fn edm(self) -> EdmPrimitive {
        match self {
            Primitive::String | Primitive::Url => EdmPrimitive::String,
            Primitive::Boolean => EdmPrimitive::Boolean,
            Primitive::Integer => EdmPrimitive::Int32,
            Primitive::Int64 => EdmPrimitive::Int64,
            Primitive::Number => EdmPrimitive::Double,
            Primitive::DateTimeOffset => EdmPrimitive::DateTimeOffset,
            Primitive::Date => EdmPrimitive::Date,
            Primitive::TimeOfDay => EdmPrimitive::TimeOfDay,
            Primitive::Duration => EdmPrimitive::Duration,
            Primitive::Guid => EdmPrimitive::Guid,
            Primitive::Binary => EdmPrimitive::Binary,
            Primitive::Any => EdmPrimitive::Untyped,
        }
    }
}

/// A type as a CSDL writes it: a primitive, a structured or enum type by qualified name, or
/// a collection of either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// An `Edm.*` type.
    Primitive(EdmPrimitive),
    /// A structured or enum type, namespace-qualified (`microsoft.graph.identitySet`).
    Named(String),
    /// `Collection(…)`.
    Collection(Box<TypeRef>),
}

impl TypeRef {
    /// Reads a CSDL `Type` attribute. `qualify` turns a name written with a schema alias
    /// (`graph.user`) into its namespace-qualified form; it returns the name unchanged when
    /// there is no alias to expand.
    pub fn parse(text: &str, qualify: &dyn Fn(&str) -> String) -> TypeRef {
        let text = text.trim();
        if let Some(inner) = text
            .get(..11)
            .filter(|p| p.eq_ignore_ascii_case("collection("))
            .and_then(|_| text[11..].strip_suffix(')'))
        {
            return TypeRef::Collection(Box::new(TypeRef::parse(inner, qualify)));
        }
        match EdmPrimitive::from_edm(text) {
            Some(primitive) => TypeRef::Primitive(primitive),
            None => TypeRef::Named(qualify(text)),
        }
    }

    /// The type examples are validated against.
    pub fn declared(&self) -> Declared {
        match self {
            TypeRef::Primitive(p) => Declared::Primitive(p.primitive()),
            TypeRef::Named(name) => Declared::Named(name.clone()),
            TypeRef::Collection(inner) => Declared::Collection(Box::new(inner.declared())),
        }
    }

    /// Whether this is a collection.
    pub fn is_collection(&self) -> bool {
        matches!(self, TypeRef::Collection(_))
    }

    /// The element type of a collection, or the type itself.
    pub fn element(&self) -> &TypeRef {
        match self {
            TypeRef::Collection(inner) => inner.element(),
            other => other,
        }
    }

    /// How a Properties table writes the type: `String`, `identitySet`, `Int32 collection`.
    pub fn docs_spelling(&self) -> String {
        match self {
            TypeRef::Primitive(p) => p.docs_name().to_string(),
            TypeRef::Named(name) => super::declared::short_name(name).to_string(),
            TypeRef::Collection(inner) => format!("{} collection", inner.docs_spelling()),
        }
    }
}

impl fmt::Display for TypeRef {
    /// The CSDL spelling, such as `Collection(microsoft.graph.user)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Primitive(p) => f.write_str(p.edm_name()),
            TypeRef::Named(name) => f.write_str(name),
            TypeRef::Collection(inner) => write!(f, "Collection({inner})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(name: &str) -> String {
        match name.strip_prefix("graph.") {
            Some(rest) => format!("microsoft.graph.{rest}"),
            None => name.to_string(),
        }
    }

    #[test]
    fn edm_names_round_trip() {
        for (primitive, _) in EDM_NAMES {
            assert_eq!(
                EdmPrimitive::from_edm(primitive.edm_name()),
                Some(*primitive)
            );
        }
        assert_eq!(
            EdmPrimitive::from_edm("edm.int32"),
            Some(EdmPrimitive::Int32)
        );
        assert_eq!(
            EdmPrimitive::from_edm("Edm.GeographyPoint"),
            Some(EdmPrimitive::Geography)
        );
        assert_eq!(EdmPrimitive::from_edm("Edm.Int"), None);
        assert_eq!(EdmPrimitive::from_edm("String"), None);
        assert_eq!(EdmPrimitive::Int32.docs_name(), "Int32");
    }

    #[test]
    fn type_references_parse_with_aliases() {
        assert_eq!(
            TypeRef::parse("Collection(graph.assignedLicense)", &graph),
            TypeRef::Collection(Box::new(TypeRef::Named(
                "microsoft.graph.assignedLicense".into()
            )))
        );
        let strings = TypeRef::parse("Collection(Edm.String)", &graph);
        assert_eq!(strings.to_string(), "Collection(Edm.String)");
        assert_eq!(strings.docs_spelling(), "String collection");
        assert_eq!(
            strings.declared(),
            Declared::Collection(Box::new(Declared::Primitive(Primitive::String)))
        );
        assert_eq!(
            TypeRef::parse("Edm.Int16", &graph).declared(),
            Declared::Primitive(Primitive::Integer)
        );
        assert_eq!(
            TypeRef::parse("microsoft.graph.callRecords.session", &graph).docs_spelling(),
            "session"
        );
    }

    #[test]
    fn docs_primitives_have_an_edm_type() {
        assert_eq!(Primitive::Url.edm(), EdmPrimitive::String);
        assert_eq!(Primitive::Integer.edm().primitive(), Primitive::Integer);
        assert_eq!(Primitive::Number.edm(), EdmPrimitive::Double);
    }
}
