//! DL824 metadata-enum-members: the members of a documented enum against the CSDL's.
//!
//! Enums are documented in tables (`### riskLevel values`, or an enum page's `## Members`)
//! and, in resource examples, as `"a | b | c"`. Each documented member the service lacks is
//! reported at its row; the members the service has and the table lacks in one finding at
//! the table's header. A table whose enum the service does not define is not judged: such
//! tables also list the allowed values of plain string properties.

use std::ops::Range;

use super::{name_list, Service};
use crate::diagnostic::Finding;
use crate::rule::Rule;
use crate::rules::Context;
use crate::schema::csdl::{CsdlType, TypeKind};
use crate::schema::Registry;

/// Checks the enums documented on page `d`.
pub fn check(cx: &mut Context<'_>, service: &Service<'_>, registry: &Registry, d: usize) {
    if !cx.enabled(Rule::MetadataEnumMembers) || cx.doc.tables.is_empty() {
        return;
    }
    for documented in registry.enums.iter().filter(|e| e.doc == d) {
        let Some(csdl_enum) = find(service, &documented.namespace, &documented.name) else {
            continue;
        };
        let extra: Vec<(&String, &Range<usize>)> = documented
            .members
            .iter()
            .zip(&documented.member_rows)
            .filter(|(m, _)| !has_member(csdl_enum, m))
            .collect();
        if extra.len() > PER_ROW {
            extra_members(cx, service, csdl_enum, &extra, documented.header.clone());
        } else {
            for (member, row) in extra {
                extra_member(cx, service, csdl_enum, member, row.clone());
            }
        }
        let missing: Vec<&str> = csdl_enum
            .members
            .iter()
            .filter(|m| !documented.members.iter().any(|d| d.eq_ignore_ascii_case(m)))
            .map(String::as_str)
            .collect();
        missing_members(cx, service, csdl_enum, &missing, documented.header.clone());
    }
}

/// Checks the members a resource example lists for a property (`"a | b | c"`) against the
/// CSDL enum the property has.
pub fn check_example(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    members: &[String],
    csdl_enum: &CsdlType,
    span: Range<usize>,
) {
    if !cx.enabled(Rule::MetadataEnumMembers) {
        return;
    }
    for member in members {
        extra_member(cx, service, csdl_enum, member, span.clone());
    }
}

/// Up to this many documented members the service lacks are reported at their rows; more
/// in one finding at the table's header.
const PER_ROW: usize = 5;

/// Whether the CSDL enum has the member. Case is ignored: services serialise some enums in
/// another case than their metadata declares (`notStarted` for `NotStarted`), and the docs
/// follow what the service returns.
fn has_member(csdl_enum: &CsdlType, member: &str) -> bool {
    csdl_enum
        .members
        .iter()
        .any(|m| m.eq_ignore_ascii_case(member))
}

/// Many documented members the CSDL enum lacks, in one finding.
fn extra_members(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    csdl_enum: &CsdlType,
    extra: &[(&String, &Range<usize>)],
    span: Range<usize>,
) {
    cx.report(
        Finding::new(
            Rule::MetadataEnumMembers,
            span,
            format!(
                "this table lists {} members that the enum \"{}\" does not have in the service metadata ({}): {}",
                extra.len(),
                csdl_enum.qualified,
                service.file_name(),
                name_list(extra.iter().map(|(m, _)| m.as_str()))
            ),
        )
        .with_help("remove them, or check that the table documents the right enum")
        .with_related(service.related(csdl_enum.line, "the enum in the service metadata")),
    );
}

/// The CSDL enum a documented enum names: in the page's namespace, else the only one of
/// that name.
fn find<'a>(service: &Service<'a>, namespace: &str, name: &str) -> Option<&'a CsdlType> {
    let csdl = service.csdl;
    let enums: Vec<&CsdlType> = csdl
        .with_short_name(name)
        .iter()
        .map(|&t| &csdl.types[t])
        .filter(|t| t.kind == TypeKind::Enum)
        .collect();
    enums
        .iter()
        .find(|t| t.namespace().eq_ignore_ascii_case(namespace))
        .or(match &enums[..] {
            [only] => Some(only),
            _ => None,
        })
        .copied()
}

/// A documented member the CSDL enum lacks.
fn extra_member(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    csdl_enum: &CsdlType,
    member: &str,
    span: Range<usize>,
) {
    if has_member(csdl_enum, member) {
        return;
    }
    let file = service.file_name();
    let mut finding = Finding::new(
        Rule::MetadataEnumMembers,
        span,
        format!(
            "`{member}` is not a member of the enum \"{}\" in the service metadata ({file})",
            csdl_enum.qualified
        ),
    )
    .with_related(service.related(csdl_enum.line, "the enum in the service metadata"));
    let members = csdl_enum.members.iter().map(String::as_str);
    if let Some(close) = crate::suggest::closest(member, members) {
        finding = finding.with_help(format!("did you mean `{close}`?"));
    }
    cx.report(finding);
}

/// The CSDL members a documented enum lacks, in one finding.
fn missing_members(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    csdl_enum: &CsdlType,
    missing: &[&str],
    span: Range<usize>,
) {
    if missing.is_empty() {
        return;
    }
    let noun = if missing.len() == 1 {
        "member"
    } else {
        "members"
    };
    cx.report(
        Finding::new(
            Rule::MetadataEnumMembers,
            span,
            format!(
                "the service metadata ({}) has {} {noun} of the enum \"{}\" that this table does not list: {}",
                service.file_name(),
                missing.len(),
                csdl_enum.qualified,
                name_list(missing.iter().copied())
            ),
        )
        .with_help("add a row for each")
        .with_related(service.related(csdl_enum.line, "the enum in the service metadata")),
    );
}
