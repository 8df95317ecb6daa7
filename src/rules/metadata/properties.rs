//! The properties of a documented resource against those of its CSDL type: DL821
//! metadata-property-unknown, DL822 metadata-property-type, DL823
//! metadata-property-undocumented and DL826 metadata-navigation.
//!
//! A documented property is looked up on the CSDL type and its base types (pages often
//! repeat inherited properties); a CSDL property counts as documented when the page, one of
//! its base types' pages, or another definition of the type documents it.

use super::types::{compare, Agreement, Names};
use super::{name_list, Service};
use crate::diagnostic::{Finding, Severity};
use crate::rule::Rule;
use crate::rules::Context;
use crate::schema::csdl::{CsdlProperty, CsdlType, TypeKind};
use crate::schema::declared::{self, Declared};
use crate::schema::edm::TypeRef;
use crate::schema::registry::{Property, Registry};
use crate::schema::ResourceType;
use crate::schema::TableKind;

/// Compares the properties of registry type `t` with those of CSDL type `found`.
pub fn check(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    names: &Names<'_>,
    t: usize,
    found: usize,
) {
    let ty = &names.registry.types[t];
    for property in &ty.properties {
        let Some(span) = property.declaration() else {
            continue;
        };
        // A row whose name is no identifier (a GUID key, `String-value`), or a table-only row
        // without a type (a category row such as `|**Apps**|`, a description that spilled
        // onto a line of its own), documents no property the service could declare.
        let untyped_row = property.json_key().is_none() && property.table_type.is_empty();
        // Next to a table, a key only the example shows is not documented (DL809 reports it),
        // and may be a placeholder (a dictionary's key).
        let example_only = property.table_row().is_none() && ty.has_properties_table;
        if !is_identifier(&property.name) || untyped_row || example_only {
            continue;
        }
        match service.csdl.property(found, &property.name) {
            Some((owner, csdl_property)) => {
                navigation(cx, service, property, owner, csdl_property, span.clone());
                property_type(cx, service, names, property, owner, csdl_property, span);
            }
            None => unknown(cx, service, names, t, property, found, span),
        }
    }
    if reports_undocumented(cx, names.registry, t) {
        undocumented(cx, service, names, t, found);
    }
}

/// Whether definition `t` of a type is the one that reports the type's undocumented
/// properties (DL823) for all its definitions: of those with a Properties table, the one on
/// the page named after the type (`user.md` rather than `intune-devices-user.md`), else the
/// first in path order.
fn reports_undocumented(cx: &Context<'_>, registry: &Registry, t: usize) -> bool {
    let first = registry.types[t].first;
    let mut definitions: Vec<usize> = std::iter::once(first)
        .chain(registry.types[first].twins.iter().copied())
        .filter(|&d| registry.types[d].has_properties_table && registry.types[d].defect.is_none())
        .collect();
    definitions.sort_by_key(|&d| !named_after_type(cx, &registry.types[d]));
    definitions.first() == Some(&t)
}

/// Whether a definition's page is named after its type (`user.md` for `microsoft.graph.user`).
fn named_after_type(cx: &Context<'_>, ty: &ResourceType) -> bool {
    let path = cx.index.documents[ty.doc].docset_path();
    let stem = path.rsplit('/').next().unwrap_or(path);
    stem.strip_suffix(".md")
        .is_some_and(|stem| stem.eq_ignore_ascii_case(declared::short_name(&ty.name)))
}

/// Whether a documented name can be a property name: letters, digits and `_`, not starting
/// with a digit.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// DL821: a documented property the CSDL type and its bases lack.
fn unknown(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    names: &Names<'_>,
    t: usize,
    property: &Property,
    found: usize,
    span: std::ops::Range<usize>,
) {
    let csdl = service.csdl;
    let csdl_type = service.ty(found);
    let file = service.file_name();
    let name = &property.name;
    let in_chain = || csdl.chain(found).flat_map(|ty| ty.properties.iter());
    if let Some(other_case) = in_chain().find(|p| p.name.eq_ignore_ascii_case(name)) {
        cx.report(
            Finding::new(
                Rule::MetadataPropertyUnknown,
                span,
                format!(
                    "the property `{name}` of \"{}\" is spelt `{}` in the service metadata ({file}); property names are case-sensitive",
                    csdl_type.qualified, other_case.name
                ),
            )
            .with_help(format!("write `{}`", other_case.name))
            .with_related(service.related(other_case.line, "the property in the service metadata")),
        );
        return;
    }
    // An open type takes properties it does not declare: capitalised names there are
    // examples of such dynamic properties (SharePoint columns, feedback tokens), and any
    // other undeclared name is only probably wrong.
    let open = csdl.chain(found).any(|ty| ty.open);
    if open && name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return;
    }
    // A row the page itself marks as deprecated or removed is kept on purpose for a while.
    let row = property
        .table_row()
        .map(|r| cx.doc.slice(&r).to_ascii_lowercase())
        .unwrap_or_default();
    let deprecated = row.contains("deprecat") || row.contains("has been removed");
    let note = if deprecated {
        " (the page marks it deprecated; remove the row once it is gone)"
    } else if open {
        " (it is an open type, so the service may still return undeclared properties)"
    } else {
        ""
    };
    let mut finding = Finding::new(
        Rule::MetadataPropertyUnknown,
        span,
        format!(
            "`{name}` is not a property of \"{}\" or its base types in the service metadata ({file}){note}",
            csdl_type.qualified
        ),
    )
    .with_related(service.related(csdl_type.line, "the type in the service metadata"));
    if open || deprecated {
        finding = finding.with_max_severity(Severity::Warning);
    }
    let declared: Vec<&str> = in_chain().map(|p| p.name.as_str()).collect();
    if let Some(close) = crate::suggest::closest(name, declared.iter().copied()) {
        finding = finding.with_help(format!("did you mean `{close}`?"));
    } else if let Some(renamed) = renamed_to(names, t, name, &declared) {
        finding = finding.with_help(format!(
            "did you mean `{renamed}`? the service declares it and the page does not document it"
        ));
    } else if let Some(derived) = derived_with(service, found, name) {
        finding = finding.with_help(format!(
            "the service declares `{name}` on the derived type \"{}\"; document it there",
            derived.qualified
        ));
    }
    cx.report(finding);
}

/// The one property the service declares, the page does not document, and whose name
/// contains the documented name or is contained in it (`errorInfo` for `errorInformation`,
/// `organizationalBranding` for `branding`): most likely what the row was renamed from or to.
fn renamed_to<'a>(
    names: &Names<'_>,
    t: usize,
    name: &str,
    declared: &[&'a str],
) -> Option<&'a str> {
    const SHORTEST: usize = 4;
    let documented: Vec<String> = names
        .registry
        .described_names(t)
        .map(str::to_ascii_lowercase)
        .collect();
    let name = name.to_ascii_lowercase();
    let mut candidates = declared.iter().copied().filter(|candidate| {
        let lower = candidate.to_ascii_lowercase();
        lower.len() >= SHORTEST
            && name.len() >= SHORTEST
            && (lower.contains(&name) || name.contains(&lower))
            && !documented.contains(&lower)
    });
    match (candidates.next(), candidates.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// A type deriving from `base` (at any depth) that declares `name` itself.
fn derived_with<'a>(service: &Service<'a>, base: usize, name: &str) -> Option<&'a CsdlType> {
    let csdl = service.csdl;
    (0..csdl.types.len())
        .filter(|&t| t != base && csdl.types[t].own_property(name).is_some())
        .find(|&t| csdl.derives_from(t, base))
        .map(|t| &csdl.types[t])
}

/// DL826 (kind): a property listed under Relationships that the service declares as a
/// structural property, or under Properties although it is a navigation property.
fn navigation(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    property: &Property,
    owner: &CsdlType,
    csdl_property: &CsdlProperty,
    span: std::ops::Range<usize>,
) {
    let file = service.file_name();
    let name = &property.name;
    let message = match (property.table_kind, csdl_property.navigation) {
        (Some(TableKind::Relationships), false) => format!(
            "`{name}` is listed under Relationships, but the service metadata ({file}) declares it as a structural property of \"{}\", not a navigation property",
            owner.qualified
        ),
        (Some(TableKind::Properties), true) => format!(
            "`{name}` is listed under Properties, but the service metadata ({file}) declares it as a navigation property of \"{}\"",
            owner.qualified
        ),
        _ => return,
    };
    let table = if csdl_property.navigation {
        "Relationships"
    } else {
        "Properties"
    };
    cx.report(
        Finding::new(Rule::MetadataNavigation, span, message)
            .with_help(format!("move the row to the {table} table"))
            .with_related(
                service.related(csdl_property.line, "the property in the service metadata"),
            ),
    );
}

/// DL822 (DL826 for navigation properties): the documented type against the CSDL's. The
/// table's Type cell is what a row documents; a property only in the resource example is
/// judged by what its example value declares.
fn property_type(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    names: &Names<'_>,
    property: &Property,
    owner: &CsdlType,
    csdl_property: &CsdlProperty,
    span: std::ops::Range<usize>,
) {
    let (documented, written) = if property.table_row().is_some() {
        (
            declared::from_table_cell(&property.table_type),
            property.table_type.to_string(),
        )
    } else {
        let declared = property.declared.clone();
        let written = declared.describe();
        (declared, written)
    };
    if let (Declared::Enum(members), TypeRef::Named(enum_name)) =
        (&property.declared, csdl_property.ty.element())
    {
        let csdl_enum = service
            .csdl
            .get(enum_name)
            .map(|e| service.ty(e))
            .filter(|e| e.kind == TypeKind::Enum);
        if let Some(csdl_enum) = csdl_enum {
            let at = property.json_key().unwrap_or_else(|| span.clone());
            super::enums::check_example(cx, service, members, csdl_enum, at);
        }
    }
    let agreement = compare(&documented, &csdl_property.ty, names);
    // An example value shows a shape, not a precise type, and any string may be an example
    // value rather than a type name: only a different shape counts there.
    let from_example = property.table_row().is_none();
    let example_string = documented == Declared::Primitive(declared::Primitive::String);
    if agreement == Agreement::Same
        || (from_example && (agreement == Agreement::Minor || example_string))
    {
        return;
    }
    let file = service.file_name();
    let name = &property.name;
    let place = if property.table_row().is_some() {
        "documented as"
    } else {
        "shown in the resource example as"
    };
    let csdl_type = &csdl_property.ty;
    let rule = if csdl_property.navigation {
        Rule::MetadataNavigation
    } else {
        Rule::MetadataPropertyType
    };
    let mut finding = Finding::new(
        rule,
        span,
        format!(
            "`{name}` is {place} `{written}`, but the service metadata ({file}) declares `{csdl_type}` on \"{}\"",
            owner.qualified
        ),
    )
    .with_help(format!("write `{}`", docs_spelling(csdl_type, &documented)))
    .with_related(service.related(csdl_property.line, "the property in the service metadata"));
    if agreement == Agreement::Minor {
        finding = finding.with_max_severity(Severity::Warning);
    }
    cx.report(finding);
}

/// How the docs would write the CSDL type, keeping the docs' own word for collections when
/// it wrote one.
fn docs_spelling(csdl_type: &TypeRef, documented: &Declared) -> String {
    match (csdl_type, documented) {
        (TypeRef::Collection(inner), _) => format!("{} collection", inner.docs_spelling()),
        _ => csdl_type.docs_spelling(),
    }
}

/// DL823: the CSDL type's own properties that no page of the type's documentation describes
/// (case ignored; a property only in the example next to a table is not described), in one
/// finding at the resource annotation.
fn undocumented(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    names: &Names<'_>,
    t: usize,
    found: usize,
) {
    let registry = names.registry;
    let documented: Vec<String> = registry
        .described_names(t)
        .map(str::to_ascii_lowercase)
        .collect();
    let csdl_type = service.ty(found);
    let missing: Vec<&CsdlProperty> = csdl_type
        .properties
        .iter()
        .filter(|p| !documented.contains(&p.name.to_ascii_lowercase()))
        .collect();
    let Some(first) = missing.first() else {
        return;
    };
    let ty = &registry.types[t];
    let annotation = &cx.doc.annotations[ty.annotation];
    let span =
        crate::rules::schema::type_value_span(annotation).unwrap_or_else(|| annotation.span());
    let count = missing.len();
    let (structural, navigation): (Vec<&CsdlProperty>, Vec<&CsdlProperty>) =
        missing.iter().partition(|p| !p.navigation);
    let mut parts = Vec::new();
    if !structural.is_empty() {
        parts.push(format!(
            "{} (Properties)",
            name_list(structural.iter().map(|p| p.name.as_str()))
        ));
    }
    if !navigation.is_empty() {
        parts.push(format!(
            "{} (Relationships)",
            name_list(navigation.iter().map(|p| p.name.as_str()))
        ));
    }
    let noun = if count == 1 { "property" } else { "properties" };
    cx.report(
        Finding::new(
            Rule::MetadataPropertyUndocumented,
            span,
            format!(
                "the service metadata ({}) declares {count} {noun} of \"{}\" that this page does not document: {}",
                service.file_name(),
                csdl_type.qualified,
                parts.join("; ")
            ),
        )
        .with_help("add a row for each to the Properties or Relationships table (and to the JSON representation)")
        .with_related(service.related(first.line, "the first of them in the service metadata")),
    );
}
