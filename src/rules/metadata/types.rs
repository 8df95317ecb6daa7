//! How a documented type compares with the type the service's metadata declares.
//!
//! The docs and the CSDL spell types differently (`Int32 collection` against
//! `Collection(Edm.Int32)`, `[identitySet](identityset.md)` against `graph.identitySet`), so
//! both are reduced to a JSON shape and a name before comparing. A different shape (a string
//! against a number, an object against a string, one value against a collection) or a
//! different structured type is a real mismatch; two spellings of the same shape that differ
//! only in detail (Int32 against Int64, String against Guid or against an enum, a type
//! against its base type) are minor.

use crate::schema::csdl::{Csdl, TypeKind};
use crate::schema::declared::{short_name, Declared, Primitive};
use crate::schema::edm::TypeRef;
use crate::schema::Registry;

/// The outcome of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// The same type, or nothing to judge.
    Same,
    /// The same JSON shape, different in detail.
    Minor,
    /// A different shape or an unrelated structured type.
    Differs,
}

/// What a type's values look like in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Strings, including enums, dates, GUIDs and base64.
    String,
    /// Numbers.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Objects of a structured type.
    Object,
}

/// Where named types are looked up.
pub struct Names<'a> {
    /// The service's types.
    pub csdl: &'a Csdl,
    /// The doc set's types and enums.
    pub registry: &'a Registry,
    /// The registry scope of the page.
    pub scope: usize,
    /// The namespace short names are first looked up in.
    pub namespace: &'a str,
}

impl Names<'_> {
    /// The CSDL type a documented name denotes: qualified names exactly or ignoring case;
    /// short names in the page's namespace first, then in the only namespace defining them.
    pub fn csdl_type(&self, name: &str) -> Option<usize> {
        if name.contains('.') {
            return self
                .csdl
                .get(name)
                .or_else(|| self.csdl.get_ignoring_case(name).first().copied());
        }
        let candidates = self.csdl.with_short_name(name);
        candidates
            .iter()
            .copied()
            .find(|&t| {
                self.csdl.types[t]
                    .namespace()
                    .eq_ignore_ascii_case(self.namespace)
            })
            .or(match candidates {
                [only] => Some(*only),
                _ => None,
            })
    }

    /// The shape of a documented named type: an enum (of the service or the docs) is a
    /// string, a structured type an object; `None` when neither side knows the name.
    fn docs_shape(&self, name: &str) -> Option<Shape> {
        if is_any_object(name) {
            return Some(Shape::Object);
        }
        if let Some(t) = self.csdl_type(name) {
            return Some(shape_of_kind(self.csdl.types[t].kind));
        }
        if self
            .registry
            .lookup_near(self.scope, self.namespace, name)
            .is_some()
        {
            return Some(Shape::Object);
        }
        self.registry
            .lookup_enum(self.scope, self.namespace, name)
            .map(|_| Shape::String)
    }
}

fn shape_of_kind(kind: TypeKind) -> Shape {
    match kind {
        TypeKind::Enum => Shape::String,
        TypeKind::Entity | TypeKind::Complex => Shape::Object,
    }
}

fn shape_of_primitive(p: Primitive) -> Option<Shape> {
    match p {
        Primitive::Any => None,
        Primitive::Boolean => Some(Shape::Boolean),
        Primitive::Integer | Primitive::Int64 | Primitive::Number => Some(Shape::Number),
        _ => Some(Shape::String),
    }
}

/// Compares a documented type with the CSDL's.
pub fn compare(docs: &Declared, csdl: &TypeRef, names: &Names<'_>) -> Agreement {
    match (docs, csdl) {
        (Declared::Unknown | Declared::Primitive(Primitive::Any), _) => Agreement::Same,
        (Declared::Collection(d), TypeRef::Collection(c)) => compare(d, c, names),
        // A flags enum's value combines members in one string (`"team,personal"`); the docs
        // often call that a collection of the members.
        (Declared::Collection(d), TypeRef::Named(n)) if is_flags(names.csdl, n) => {
            match compare(d, csdl, names) {
                Agreement::Differs => Agreement::Differs,
                _ => Agreement::Minor,
            }
        }
        (Declared::Collection(_), _) | (_, TypeRef::Collection(_)) => {
            if csdl_shape(csdl.element(), names.csdl).is_none() {
                Agreement::Same
            } else {
                Agreement::Differs
            }
        }
        (docs, csdl) => compare_elements(docs, csdl, names),
    }
}

/// The shape of a CSDL element type; `None` for untyped values (`Edm.Untyped`, and the
/// `Json` complex type services use for any JSON value) and names the file lacks.
fn csdl_shape(csdl: &TypeRef, model: &Csdl) -> Option<Shape> {
    match csdl {
        TypeRef::Primitive(p) => shape_of_primitive(p.primitive()),
        TypeRef::Named(name) if short_name(name).eq_ignore_ascii_case("json") => None,
        TypeRef::Named(name) => model.get(name).map(|t| shape_of_kind(model.types[t].kind)),
        TypeRef::Collection(_) => None,
    }
}

/// Whether `name` is a flags enum of the service.
fn is_flags(model: &Csdl, name: &str) -> bool {
    model
        .get(name)
        .is_some_and(|t| model.types[t].kind == TypeKind::Enum && model.types[t].flags)
}

/// Whether a documented type name only says "an object" (`Object`), of no type in particular.
fn is_any_object(name: &str) -> bool {
    name.eq_ignore_ascii_case("object")
}

fn compare_elements(docs: &Declared, csdl: &TypeRef, names: &Names<'_>) -> Agreement {
    let Some(csdl_shape) = csdl_shape(csdl, names.csdl) else {
        return Agreement::Same;
    };
    let docs_shape = match docs {
        Declared::Primitive(p) => shape_of_primitive(*p),
        Declared::Enum(_) => Some(Shape::String),
        Declared::Named(name) => names.docs_shape(name),
        Declared::Unknown | Declared::Collection(_) => None,
    };
    let Some(docs_shape) = docs_shape else {
        // A name neither side defines, such as a table of allowed values for a string: it
        // is at most a string in disguise.
        return if csdl_shape == Shape::String {
            Agreement::Minor
        } else {
            Agreement::Differs
        };
    };
    if docs_shape != csdl_shape {
        return Agreement::Differs;
    }
    match (docs, csdl) {
        (Declared::Primitive(d), TypeRef::Primitive(c)) => {
            let c = c.primitive();
            let same = *d == c || (*d == Primitive::Url && c == Primitive::String);
            if same {
                Agreement::Same
            } else {
                Agreement::Minor
            }
        }
        // Members are compared on their own (DL824).
        (Declared::Enum(_), _) => Agreement::Same,
        (Declared::Named(d), TypeRef::Named(c)) => match compare_names(d, c, names) {
            // Two enums of different names still take strings.
            Agreement::Differs if docs_shape == Shape::String => Agreement::Minor,
            agreement => agreement,
        },
        // A string documented for an enum, or an enum for a string.
        _ => Agreement::Minor,
    }
}

/// Two named types of the same shape: the same name, related by inheritance, or different.
fn compare_names(docs: &str, csdl: &str, names: &Names<'_>) -> Agreement {
    let same_name = if docs.contains('.') {
        docs.eq_ignore_ascii_case(csdl)
    } else {
        docs.eq_ignore_ascii_case(short_name(csdl))
    };
    if same_name || is_any_object(docs) {
        return Agreement::Same;
    }
    let related = match (names.csdl_type(docs), names.csdl.get(csdl)) {
        (Some(d), Some(c)) => names.csdl.derives_from(d, c) || names.csdl.derives_from(c, d),
        _ => false,
    };
    if related {
        Agreement::Minor
    } else {
        Agreement::Differs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::declared::from_table_cell;

    const CSDL: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="riskLevel"><Member Name="low" Value="0" /></EnumType>
      <EnumType Name="otherLevel"><Member Name="low" Value="0" /></EnumType>
      <EnumType Name="scopes" IsFlags="true"><Member Name="team" Value="1" /></EnumType>
      <EntityType Name="entity" />
      <EntityType Name="directoryObject" BaseType="graph.entity" />
      <EntityType Name="user" BaseType="graph.directoryObject" />
      <ComplexType Name="identitySet" />
      <ComplexType Name="Json" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

    fn agreement(cell: &str, csdl_type: &str) -> Agreement {
        let csdl = Csdl::parse(CSDL).unwrap();
        let registry = Registry::default();
        let names = Names {
            csdl: &csdl,
            registry: &registry,
            scope: 0,
            namespace: "microsoft.graph",
        };
        let qualify = |n: &str| n.replace("graph.", "microsoft.graph.");
        compare(
            &from_table_cell(cell),
            &TypeRef::parse(csdl_type, &qualify),
            &names,
        )
    }

    #[test]
    fn same_types_in_docs_spelling_agree() {
        for (cell, csdl) in [
            ("String", "Edm.String"),
            ("Int32", "Edm.Int32"),
            ("Int32", "Edm.Int16"),
            ("DateTimeOffset", "Edm.DateTimeOffset"),
            ("String (timestamp)", "Edm.DateTimeOffset"),
            ("String collection", "Collection(Edm.String)"),
            ("Collection(String)", "Collection(Edm.String)"),
            ("identitySet", "graph.identitySet"),
            ("microsoft.graph.identitySet", "graph.identitySet"),
            ("[IdentitySet](identityset.md)", "graph.identitySet"),
            ("user collection", "Collection(graph.user)"),
            ("riskLevel", "graph.riskLevel"),
            ("Json", "graph.Json"),
            ("String", "graph.Json"),
            ("Object", "graph.identitySet"),
            ("URL", "Edm.String"),
            ("Double", "Edm.Single"),
            ("see the description", "Edm.Int32"),
        ] {
            assert_eq!(agreement(cell, csdl), Agreement::Same, "{cell} vs {csdl}");
        }
    }

    #[test]
    fn detail_differences_are_minor() {
        for (cell, csdl) in [
            ("Int32", "Edm.Int64"),
            ("String", "Edm.Guid"),
            ("String", "graph.riskLevel"),
            ("riskLevel", "Edm.String"),
            ("ageGroup", "Edm.String"),
            ("directoryObject", "graph.user"),
            ("user collection", "Collection(graph.directoryObject)"),
            ("Double", "Edm.Int32"),
            ("riskLevel", "graph.otherLevel"),
            ("scope collection", "graph.scopes"),
            ("String collection", "graph.scopes"),
        ] {
            assert_eq!(agreement(cell, csdl), Agreement::Minor, "{cell} vs {csdl}");
        }
    }

    #[test]
    fn different_shapes_and_types_differ() {
        for (cell, csdl) in [
            ("String", "Edm.Int32"),
            ("Int32", "Edm.String"),
            ("Boolean", "Edm.String"),
            ("String", "Collection(Edm.String)"),
            ("String collection", "Edm.String"),
            ("identitySet", "Edm.String"),
            ("String", "graph.identitySet"),
            ("identitySet", "graph.user"),
            ("ageGroup", "Edm.Int32"),
            ("riskLevel collection", "graph.riskLevel"),
            ("Int32 collection", "graph.scopes"),
        ] {
            assert_eq!(
                agreement(cell, csdl),
                Agreement::Differs,
                "{cell} vs {csdl}"
            );
        }
    }
}
