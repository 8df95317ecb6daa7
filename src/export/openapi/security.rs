//! `security` and `components.securitySchemes` from the permission tables.
//!
//! Each permission type (`Delegated (work or school account)`, `Application`, …) becomes an
//! `OAuth2` security scheme: application permissions use the client-credentials flow, delegated
//! ones the authorization-code flow, against the Microsoft identity platform endpoints that
//! the type implies. A permission table lists the scopes of which any one suffices, so an
//! operation's `security` holds one requirement per scope.

use std::collections::BTreeSet;

use oas3::spec::{
    AuthorizationCodeFlow, ClientCredentialsFlow, Flows, ObjectOrReference, SecurityRequirement,
    SecurityScheme,
};

use crate::document::permissions::{EntryKind, PermissionTable, TableLayout};

/// The permission types met so far and the scopes each uses.
#[derive(Debug, Default)]
pub struct Security {
    /// Scheme name, permission type as written, scopes.
    schemes: Vec<(String, String, BTreeSet<String>)>,
}

impl Security {
    /// The requirements of an operation whose page has these permission tables: any one
    /// scope of any permission type, in table order (least privileged first).
    pub fn requirements(&mut self, tables: &[PermissionTable]) -> Vec<SecurityRequirement> {
        let mut out = Vec::new();
        for (label, scope) in tables.iter().flat_map(scopes_by_type) {
            let scheme = self.scheme(&label);
            self.schemes[scheme].2.insert(scope.clone());
            let name = self.schemes[scheme].0.clone();
            let mut requirement = oas3::spec::SecurityRequirement(Default::default());
            requirement.0.insert(name, vec![scope]);
            if !out.contains(&requirement) {
                out.push(requirement);
            }
        }
        out
    }

    fn scheme(&mut self, label: &str) -> usize {
        if let Some(i) = self.schemes.iter().position(|s| s.1 == label) {
            return i;
        }
        let mut name = scheme_name(label);
        if self.schemes.iter().any(|s| s.0 == name) {
            name = format!("{name}-{}", self.schemes.len() + 1);
        }
        self.schemes
            .push((name, label.to_string(), BTreeSet::new()));
        self.schemes.len() - 1
    }

    /// The security schemes, by name.
    pub fn schemes(self) -> Vec<(String, ObjectOrReference<SecurityScheme>)> {
        self.schemes
            .into_iter()
            .map(|(name, label, scopes)| {
                let scopes = scopes.into_iter().map(|s| (s, String::new())).collect();
                let lower = label.to_ascii_lowercase();
                let tenant = if lower.contains("personal") {
                    "consumers"
                } else if lower.contains("work or school") || lower.starts_with("application") {
                    "organizations"
                } else {
                    "common"
                };
                let url = |end: &str| {
                    format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/{end}")
                        .parse()
                        .expect("a valid URL")
                };
                let flows = if lower.starts_with("application") {
                    Flows {
                        client_credentials: Some(ClientCredentialsFlow {
                            token_url: url("token"),
                            refresh_url: None,
                            scopes,
                        }),
                        ..Default::default()
                    }
                } else {
                    Flows {
                        authorization_code: Some(AuthorizationCodeFlow {
                            authorization_url: url("authorize"),
                            token_url: url("token"),
                            refresh_url: None,
                            scopes,
                        }),
                        ..Default::default()
                    }
                };
                let scheme = SecurityScheme::OAuth2 {
                    description: Some(format!("{label} permissions")),
                    flows,
                };
                (name, ObjectOrReference::Object(scheme))
            })
            .collect()
    }
}

/// `Delegated (work or school account)` → `delegated-work-or-school-account`.
fn scheme_name(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "permissions".into()
    } else {
        out.to_string()
    }
}

/// Every (permission type, scope) a table lists, in table order.
fn scopes_by_type(table: &PermissionTable) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for row in &table.rows {
        if let Some(label) = &row.label {
            current = Some(label.text.clone());
        }
        for (i, cell) in row.cells.iter().enumerate() {
            let label = match table.layout {
                TableLayout::TypesInRows => current.clone(),
                TableLayout::TypesInColumns => table
                    .scope_columns
                    .get(i)
                    .and_then(|&c| table.header.get(c))
                    .map(|h| h.text.clone()),
            };
            let Some(label) = label.filter(|l| !l.is_empty()) else {
                continue;
            };
            for entry in &cell.entries {
                let names: Vec<&str> = match &entry.kind {
                    EntryKind::Scope => vec![entry.text.as_str()],
                    EntryKind::SpaceSeparated(names) => names.iter().map(String::as_str).collect(),
                    _ => Vec::new(),
                };
                out.extend(names.into_iter().map(|n| (label.clone(), n.to_string())));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scheme_name;

    #[test]
    fn scheme_names_from_permission_types() {
        assert_eq!(
            scheme_name("Delegated (work or school account)"),
            "delegated-work-or-school-account"
        );
        assert_eq!(scheme_name("Application"), "application");
        assert_eq!(scheme_name("(?)"), "permissions");
    }
}
