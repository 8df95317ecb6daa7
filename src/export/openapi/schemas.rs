//! `components.schemas`: the resources and enums of the doc set as JSON Schemas, and the
//! schema of any declared type (Edm primitives as JSON Schema types and formats, resources
//! and enums as `$ref`s, collections as arrays).

use oas3::spec::{
    ObjectOrReference, ObjectSchema, Schema, SchemaType as Type, SchemaTypeSet as TypeSet,
};

use super::Findings;
use crate::document::Document;
use crate::schema::declared::{self, Declared, Primitive};
use crate::schema::{Registry, ResourceType};

/// Turns declared types into schemas, as seen from one scope of the registry.
pub struct Schemas<'a> {
    /// The type registry.
    pub registry: &'a Registry,
    /// The scope the doc set's pages are in.
    pub scope: usize,
}

impl Schemas<'_> {
    /// The schema of a declared type; `Err` with the type name when a named type resolves to
    /// no resource or enum of the doc set.
    pub fn of(&self, declared: &Declared, namespace: &str) -> Result<Schema, String> {
        Ok(match declared {
            Declared::Unknown => any(),
            Declared::Primitive(p) => primitive(*p),
            Declared::Enum(members) => object(ObjectSchema {
                schema_type: Some(TypeSet::Single(Type::String)),
                enum_values: members.iter().map(|m| m.as_str().into()).collect(),
                ..Default::default()
            }),
            Declared::Named(name) => self.named(name, namespace).ok_or_else(|| name.clone())?,
            Declared::Collection(inner) => object(ObjectSchema {
                schema_type: Some(TypeSet::Single(Type::Array)),
                items: Some(Box::new(self.of(inner, namespace)?)),
                ..Default::default()
            }),
        })
    }

    /// A `$ref` to the resource or enum `name` (qualified or short), or the primitive a
    /// keyword such as `Edm.String` names.
    pub fn named(&self, name: &str, namespace: &str) -> Option<Schema> {
        let (name, collection) = declared::unwrap_type_name(name);
        let single = if let Some(p) = declared::primitive_keyword(name) {
            primitive(p)
        } else if name.eq_ignore_ascii_case("object") {
            object(ObjectSchema {
                schema_type: Some(TypeSet::Single(Type::Object)),
                ..Default::default()
            })
        } else if let Some(t) = self.registry.lookup_near(self.scope, namespace, name) {
            reference(&component_name(
                &self.registry.types[self.registry.types[t].first].name,
            ))
        } else {
            let found = self.registry.lookup_enum(self.scope, namespace, name)?;
            reference(&enum_component_name(&found.namespace, &found.name))
        };
        Some(if collection { array(single) } else { single })
    }

    /// Every resource and enum of the scope, by component name; types that do not resolve are
    /// reported to `findings`.
    pub fn components(
        &self,
        documents: &[Document],
        findings: &mut Findings,
    ) -> Vec<(String, Schema)> {
        let mut out = Vec::new();
        let visible = |scope: usize| scope == self.scope || !self.registry.is_closed(self.scope);
        for (t, ty) in self.registry.types.iter().enumerate() {
            if ty.first != t || !visible(ty.scope) || ty.defect.is_some() {
                continue;
            }
            out.push((
                component_name(&ty.name),
                self.resource(ty, documents, findings),
            ));
        }
        for e in self.registry.enums.iter().filter(|e| visible(e.scope)) {
            let schema = object(ObjectSchema {
                schema_type: Some(TypeSet::Single(Type::String)),
                enum_values: e.members.iter().map(|m| m.as_str().into()).collect(),
                ..Default::default()
            });
            out.push((enum_component_name(&e.namespace, &e.name), schema));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    /// A resource: its own properties, with `allOf` over its base type.
    fn resource(
        &self,
        ty: &ResourceType,
        documents: &[Document],
        findings: &mut Findings,
    ) -> Schema {
        let doc = &documents[ty.doc];
        let namespace = ty.name.rsplit_once('.').map_or("", |(ns, _)| ns);
        let mut own = ObjectSchema {
            schema_type: Some(TypeSet::Single(Type::Object)),
            ..Default::default()
        };
        for property in &ty.properties {
            let schema = match self.of(&property.declared, namespace) {
                Ok(schema) => schema,
                Err(name) => {
                    let at = property.declaration().unwrap_or(0..0);
                    findings.add(
                        doc,
                        at,
                        format!(
                            "the type `{name}` of property `{}` of `{}` is no resource or enum of the doc set; the property's schema is left open",
                            property.name, ty.name
                        ),
                    );
                    any()
                }
            };
            let description = property.description(&doc.text);
            let nullable = ty
                .nullable
                .as_ref()
                .is_some_and(|n| n.contains(&property.name))
                || says_nullable(&description);
            let schema = if nullable { or_null(schema) } else { schema };
            let schema = with_description(schema, &description);
            own.properties.insert(property.name.clone(), schema);
        }
        let description = doc
            .front_matter
            .as_ref()
            .and_then(|fm| fm.text("description"))
            .filter(|_| self.registry.defined_in(ty.doc).len() == 1)
            .map(str::to_string);
        let base = ty
            .base
            .map(|b| &self.registry.types[self.registry.types[b].first]);
        match base {
            Some(base) => object(ObjectSchema {
                all_of: vec![reference(&component_name(&base.name)), object(own)],
                description,
                ..Default::default()
            }),
            None => {
                own.description = description;
                object(own)
            }
        }
    }
}

/// The component name of a type: its name with characters OpenAPI keys do not allow turned
/// into `_`.
pub fn component_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn enum_component_name(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        component_name(name)
    } else {
        component_name(&format!("{namespace}.{name}"))
    }
}

/// Whether a property description declares it nullable ("Nullable.", but not "Not nullable").
fn says_nullable(description: &str) -> bool {
    let lower = description.to_ascii_lowercase();
    lower.match_indices("nullable").any(|(i, _)| {
        let before = lower[..i].trim_end();
        !(before.ends_with("not") || before.ends_with("non") || before.ends_with("non-"))
    })
}

/// A schema object.
pub fn object(schema: ObjectSchema) -> Schema {
    Schema::Object(Box::new(ObjectOrReference::Object(schema)))
}

/// A `$ref` to a component schema.
pub fn reference(component: &str) -> Schema {
    Schema::Object(Box::new(ObjectOrReference::Ref {
        ref_path: format!("#/components/schemas/{component}"),
        summary: None,
        description: None,
    }))
}

/// An array of `items`.
pub fn array(items: Schema) -> Schema {
    object(ObjectSchema {
        schema_type: Some(TypeSet::Single(Type::Array)),
        items: Some(Box::new(items)),
        ..Default::default()
    })
}

/// The schema every value satisfies.
pub fn any() -> Schema {
    object(ObjectSchema::default())
}

/// The JSON Schema type and format of an Edm primitive.
pub fn primitive(p: Primitive) -> Schema {
    let (ty, format) = match p {
        Primitive::String => (Some(Type::String), None),
        Primitive::Boolean => (Some(Type::Boolean), None),
        Primitive::Integer => (Some(Type::Integer), Some("int32")),
        Primitive::Int64 => (Some(Type::Integer), Some("int64")),
        Primitive::Number => (Some(Type::Number), None),
        Primitive::DateTimeOffset => (Some(Type::String), Some("date-time")),
        Primitive::Date => (Some(Type::String), Some("date")),
        Primitive::TimeOfDay => (Some(Type::String), Some("time")),
        Primitive::Duration => (Some(Type::String), Some("duration")),
        Primitive::Guid => (Some(Type::String), Some("uuid")),
        Primitive::Url => (Some(Type::String), Some("uri")),
        Primitive::Binary => (Some(Type::String), Some("byte")),
        Primitive::Any => (None, None),
    };
    object(ObjectSchema {
        schema_type: ty.map(TypeSet::Single),
        format: format.map(str::to_string),
        ..Default::default()
    })
}

/// The schema, or `null`: a second type for a typed schema, else `anyOf` with `null`.
fn or_null(schema: Schema) -> Schema {
    if let Schema::Object(boxed) = &schema {
        if let ObjectOrReference::Object(inner) = boxed.as_ref() {
            if let Some(TypeSet::Single(ty)) = inner.schema_type {
                let mut inner = inner.clone();
                inner.schema_type = Some(TypeSet::Multiple(vec![ty, Type::Null]));
                return object(inner);
            }
        }
    }
    object(ObjectSchema {
        any_of: vec![
            schema,
            object(ObjectSchema {
                schema_type: Some(TypeSet::Single(Type::Null)),
                ..Default::default()
            }),
        ],
        ..Default::default()
    })
}

/// The schema with a description (on a `$ref`, the reference's own description).
fn with_description(schema: Schema, description: &str) -> Schema {
    if description.is_empty() {
        return schema;
    }
    let Schema::Object(mut boxed) = schema else {
        return schema;
    };
    match boxed.as_mut() {
        ObjectOrReference::Object(inner) => inner.description = Some(description.to_string()),
        ObjectOrReference::Ref {
            description: own, ..
        } => *own = Some(description.to_string()),
    }
    Schema::Object(boxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_is_read_from_descriptions() {
        assert!(says_nullable("The display name. Nullable."));
        assert!(!says_nullable("Not nullable. The id."));
        assert!(!says_nullable("Read-only. Non-nullable."));
        assert!(!says_nullable("The id."));
    }

    #[test]
    fn component_names_use_allowed_characters() {
        assert_eq!(
            component_name("microsoft.graph.user"),
            "microsoft.graph.user"
        );
        assert_eq!(component_name("odata error"), "odata_error");
    }
}
