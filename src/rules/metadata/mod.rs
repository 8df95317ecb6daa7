//! Metadata rules: the documented resources against the service's own metadata (CSDL).
//!
//! With `--metadata` (or `[[metadata]]`), each resource a page defines is found in the CSDL
//! by its namespace-qualified name, and compared: DL820 metadata-type-unknown (the service
//! has no such type), DL825 metadata-base-type (another base type, or abstract/open where
//! the service says otherwise), DL821 metadata-property-unknown, DL822
//! metadata-property-type, DL823 metadata-property-undocumented, DL826 metadata-navigation
//! (see [`properties`]) and DL824 metadata-enum-members (see [`enums`]). Pages no metadata
//! governs are not looked at.

mod enums;
mod properties;
mod types;

use super::Context;
use crate::config::MetadataSource;
use crate::diagnostic::{Finding, Location, Related, Severity};
use crate::document::Annotation;
use crate::rule::{Family, Rule};
use crate::schema::csdl::{Csdl, CsdlType};
use crate::schema::declared::short_name;
use crate::schema::registry::flag;
use crate::schema::ResourceType;
use types::Names;

/// Holds the page's resources and enums against the metadata that governs it.
pub fn check(cx: &mut Context<'_>) {
    let Some(source) = cx.settings.metadata_for(cx.doc.docset_path()) else {
        return;
    };
    if !cx.family_enabled(Family::Metadata) {
        return;
    }
    let Some(d) = cx.d else {
        return;
    };
    let registry = &cx.index.schema;
    let service = Service {
        source,
        csdl: &source.csdl,
    };
    let scope = cx.index.docset_of(d);
    for t in registry.defined_in(d) {
        let ty = &registry.types[t];
        let annotation = &cx.doc.annotations[ty.annotation];
        let Some(found) = resource_type(cx, &service, ty, annotation) else {
            continue;
        };
        let names = Names {
            csdl: service.csdl,
            registry,
            scope,
            namespace: namespace_of(&ty.name),
        };
        base_type(cx, &service, &names, ty, found, annotation);
        type_flags(cx, &service, ty, found, annotation);
        properties::check(cx, &service, &names, t, found);
    }
    enums::check(cx, &service, registry, d);
}

/// The metadata a page is held against.
pub(super) struct Service<'a> {
    source: &'a MetadataSource,
    csdl: &'a Csdl,
}

impl Service<'_> {
    /// A related location in the metadata file.
    fn related(&self, line: u32, message: impl Into<String>) -> Related {
        Related {
            location: Location {
                path: self.source.display.clone(),
                line,
                column: 1,
                end_line: line,
                end_column: 1,
            },
            message: message.into(),
        }
    }

    /// The file's name, for messages.
    fn file_name(&self) -> &str {
        self.source
            .display
            .rsplit('/')
            .next()
            .unwrap_or(&self.source.display)
    }

    fn ty(&self, t: usize) -> &CsdlType {
        &self.csdl.types[t]
    }
}

/// The namespace part of a qualified name ("" for a short name).
fn namespace_of(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(ns, _)| ns)
}

/// DL820: finds the CSDL type a resource defines; reports a name the service lacks (with
/// the closest name it has), spells in another case, or places in another namespace. The
/// type found despite a misspelling is returned, so that its properties are still compared.
fn resource_type(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    ty: &ResourceType,
    annotation: &Annotation,
) -> Option<usize> {
    let csdl = service.csdl;
    if let Some(t) = csdl.get(&ty.name) {
        return Some(t);
    }
    let span = super::schema::type_value_span(annotation).unwrap_or_else(|| annotation.span());
    let file = service.file_name();
    if let [t] = csdl.get_ignoring_case(&ty.name) {
        let real = &service.ty(*t).qualified;
        cx.report(
            Finding::new(
                Rule::MetadataTypeUnknown,
                span,
                format!(
                    "the resource type \"{}\" differs in case from the service's \"{real}\" ({file}); type names are case-sensitive",
                    ty.name
                ),
            )
            .with_help(format!("write \"{real}\""))
            .with_related(service.related(service.ty(*t).line, "the type in the service metadata")),
        );
        return Some(*t);
    }
    let short = short_name(&ty.name);
    let elsewhere: Vec<usize> = csdl
        .with_short_name(short)
        .iter()
        .copied()
        .filter(|&t| service.ty(t).name() == short)
        .collect();
    if let [t] = elsewhere[..] {
        let real = &service.ty(t).qualified;
        cx.report(
            Finding::new(
                Rule::MetadataTypeUnknown,
                span,
                format!(
                    "the service metadata ({file}) has no type \"{}\"; it defines \"{short}\" in the namespace \"{}\"",
                    ty.name,
                    service.ty(t).namespace()
                ),
            )
            .with_help(format!("write \"{real}\""))
            .with_related(service.related(service.ty(t).line, "the type in the service metadata")),
        );
        return Some(t);
    }
    let mut finding = Finding::new(
        Rule::MetadataTypeUnknown,
        span,
        format!(
            "the resource type \"{}\" is not in the service metadata ({file})",
            ty.name
        ),
    );
    if let Some(close) = closest_type(csdl, &ty.name, cx.doc.docset_path()) {
        finding = finding.with_help(format!("did you mean \"{close}\"?"));
    }
    cx.report(finding);
    None
}

/// The CSDL type a misspelt or outdated resource name most likely means: the type the page
/// is named after (`identityuserflow.md` documents `identityUserFlow`), else a name at most
/// two edits away, in the same namespace first.
fn closest_type<'a>(csdl: &'a Csdl, name: &str, page: &str) -> Option<&'a str> {
    let stem = page
        .rsplit('/')
        .next()
        .unwrap_or(page)
        .trim_end_matches(".md")
        .to_ascii_lowercase();
    let last_part = stem.rsplit('-').next().unwrap_or(&stem);
    let namespace = namespace_of(name);
    let pick = |candidates: &[usize]| -> Option<&'a CsdlType> {
        let types = || candidates.iter().map(|&t| &csdl.types[t]);
        types()
            .find(|t| t.namespace().eq_ignore_ascii_case(namespace))
            .or_else(|| types().next())
    };
    for key in [stem.as_str(), last_part] {
        if let Some(t) = pick(csdl.with_short_name(key)) {
            return Some(&t.qualified);
        }
    }
    let short = short_name(name);
    let close = |candidate: &str| {
        strsim::damerau_levenshtein(&candidate.to_ascii_lowercase(), &short.to_ascii_lowercase())
            <= 2
    };
    let names = csdl.types.iter().map(CsdlType::name).filter(|n| close(n));
    let best = crate::suggest::closest(short, names)?;
    pick(csdl.with_short_name(best)).map(|t| t.qualified.as_str())
}

/// DL825: the documented base type against the service's. A page that names no base type
/// where the service's is `entity` follows the docs' convention (every entity has `id`); one
/// that names an ancestor of the service's base (an intermediate type skipped), or no other
/// base, is a warning.
fn base_type(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    names: &Names<'_>,
    ty: &ResourceType,
    found: usize,
    annotation: &Annotation,
) {
    let csdl_type = service.ty(found);
    let file = service.file_name();
    let documented = ty.base_name.as_deref().filter(|b| !b.is_empty());
    let related = || service.related(csdl_type.line, "the type in the service metadata");
    match (documented, csdl_type.base.as_deref()) {
        (None, None) => {}
        (None, Some(base)) => {
            if short_name(base) == "entity" {
                return;
            }
            let span =
                super::schema::type_value_span(annotation).unwrap_or_else(|| annotation.span());
            cx.report(
                Finding::new(
                    Rule::MetadataBaseType,
                    span,
                    format!(
                        "the resource annotation of \"{}\" names no base type, but the service metadata ({file}) derives it from \"{base}\"",
                        ty.name
                    ),
                )
                .with_help(format!("add \"baseType\": \"{base}\" to the annotation"))
                .with_related(related())
                .with_max_severity(Severity::Warning),
            );
        }
        (Some(docs), csdl_base) => {
            let documented_base = names.csdl_type(docs);
            let agrees = csdl_base.is_some_and(|base| {
                documented_base.is_some_and(|d| service.ty(d).qualified == base)
            });
            if agrees {
                return;
            }
            // An ancestor of the service's base (an intermediate type skipped), or `entity`
            // where the service names no base, is less precise rather than wrong.
            let csdl_base_type = csdl_base.and_then(|b| service.csdl.get(b));
            let ancestor = match (documented_base, csdl_base_type) {
                (Some(d), Some(b)) => service.csdl.derives_from(b, d),
                (Some(d), None) => short_name(&service.ty(d).qualified) == "entity",
                _ => false,
            };
            let span = annotation
                .value_span("baseType")
                .unwrap_or_else(|| annotation.span());
            let (message, help) = match csdl_base {
                Some(base) => (
                    format!(
                        "the base type of \"{}\" is \"{docs}\" here, but the service metadata ({file}) derives it from \"{base}\"",
                        ty.name
                    ),
                    format!("write \"baseType\": \"{base}\""),
                ),
                None => (
                    format!(
                        "the base type of \"{}\" is \"{docs}\" here, but in the service metadata ({file}) it has no base type",
                        ty.name
                    ),
                    "remove `baseType` from the annotation".to_string(),
                ),
            };
            let mut finding = Finding::new(Rule::MetadataBaseType, span, message)
                .with_help(help)
                .with_related(related());
            if ancestor {
                finding = finding.with_max_severity(Severity::Warning);
            }
            cx.report(finding);
        }
    }
}

/// DL825 (as a warning): a resource the docs call abstract or open where the service's type
/// is not. The reverse (a flag the annotation leaves out) is the docs' habit, not a defect.
fn type_flags(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    ty: &ResourceType,
    found: usize,
    annotation: &Annotation,
) {
    let csdl_type = service.ty(found);
    let file = service.file_name();
    let claims = [
        (
            "abstract",
            flag(annotation, "abstract") && !csdl_type.is_abstract,
        ),
        (
            "openType",
            ty.open && !service.csdl.chain(found).any(|t| t.open),
        ),
    ];
    for (key, contradicted) in claims {
        if !contradicted {
            continue;
        }
        let span = annotation
            .value_span(key)
            .or_else(|| super::schema::type_value_span(annotation))
            .unwrap_or_else(|| annotation.span());
        let what = if key == "abstract" {
            "abstract"
        } else {
            "an open type"
        };
        cx.report(
            Finding::new(
                Rule::MetadataBaseType,
                span,
                format!(
                    "the page documents \"{}\" as {what}, but in the service metadata ({file}) it is not",
                    ty.name
                ),
            )
            .with_help(format!("remove `{key}` (and any sentence saying so)"))
            .with_related(service.related(csdl_type.line, "the type in the service metadata"))
            .with_max_severity(Severity::Warning),
        );
    }
}

/// Lists names for a message: all of them up to ten, else the first ten and how many more.
fn name_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    const SHOWN: usize = 10;
    let names: Vec<&str> = names.into_iter().collect();
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}
