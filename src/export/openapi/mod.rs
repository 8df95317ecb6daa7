//! `doclint export openapi`: an OpenAPI 3.1 description of the API a doc set documents.
//!
//! Paths come from the HTTP request sections of the API pages (see [`paths`]), operations
//! from those pages (see [`operation`]), `components.schemas` from the resources and enums
//! (see [`schemas`]) and the security schemes from the permission tables (see [`security`]).
//! What cannot be described — a URL that is no path, a type that does not resolve — is left
//! out and reported as a [`Finding`]; the rest is still exported.

pub mod operation;
pub mod paths;
pub mod schemas;
pub mod security;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use oas3::spec::{Components, Info, Operation, PathItem, Server, Spec, Tag};

use crate::config::Settings;
use crate::docset::permissions::is_reference_page;
use crate::docset::{DocSet, Index};
use crate::document::Document;
use crate::pipeline::{self, CheckOptions, RunError};
use crate::schema::urls::{split_origin, strip_version, Bases};
use crate::schema::{operations, Registry};
use operation::Builder;
use paths::ApiPath;
use schemas::Schemas;

/// Something the docs say that the description cannot hold, at a place in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The page, as displayed.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What was left out and why.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: warning: {}",
            crate::report::escape_controls(&self.path),
            self.line,
            self.column,
            crate::report::escape_controls(&self.message)
        )
    }
}

/// The findings of an export.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// Records a finding at a span of a page, once (a page's operation is built for each of
    /// its URLs, and would repeat what its tables say).
    pub fn add(&mut self, doc: &Document, span: Range<usize>, message: String) {
        let at = doc.position(span.start);
        let finding = Finding {
            path: doc.display().to_string(),
            line: at.line,
            column: at.column,
            message,
        };
        if !self.0.contains(&finding) {
            self.0.push(finding);
        }
    }
}

/// Counts that say how complete a description is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Paths.
    pub paths: usize,
    /// Operations.
    pub operations: usize,
    /// Operations with a `security` requirement.
    pub with_security: usize,
    /// Operations with a schema for a successful response.
    pub with_response_schema: usize,
    /// Operations whose successful responses have no body (`204 No Content`, `202
    /// Accepted`, redirects): there is no schema to give.
    pub without_body: usize,
    /// URLs that another page also documents with the same method (one page's operation is
    /// kept).
    pub merged: usize,
    /// Component schemas.
    pub schemas: usize,
}

/// An exported description and what could not be described.
#[derive(Debug)]
pub struct Export {
    /// The OpenAPI document.
    pub document: Spec,
    /// What was left out, in page order.
    pub findings: Vec<Finding>,
    /// Counts.
    pub statistics: Statistics,
}

/// Exports the doc set(s) the options' paths select (with the configuration `check` would
/// use) as an OpenAPI 3.1 description.
pub fn export(options: &CheckOptions) -> Result<Export, RunError> {
    let (settings, index) = pipeline::load_docset(options)?;
    let selected = selected_paths(options);
    let pages: Vec<usize> = (0..index.documents.len())
        .filter(|&d| {
            let doc = &index.documents[d];
            selected.iter().any(|p| doc.path().starts_with(p))
        })
        .collect();
    Ok(describe(&settings, &index, &pages))
}

/// The selected paths, made absolute.
fn selected_paths(options: &CheckOptions) -> Vec<PathBuf> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    paths
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect()
}

/// One URL of an operation, read as a path.
struct Candidate {
    doc: usize,
    operation: usize,
    template: usize,
    path: ApiPath,
}

/// The description of the pages `pages` of the index.
fn describe(settings: &Settings, index: &Index, pages: &[usize]) -> Export {
    let mut findings = Findings::default();
    let registry: &Registry = &index.schema;
    let scope = pages
        .first()
        .map_or(index.docsets.all().len(), |&d| index.docset_of(d));
    let docset = index.docsets.get(scope);
    let schemas = Schemas { registry, scope };
    let bases = Bases::new(docset.base_urls.clone());

    // Every URL of every operation, in page order.
    let mut api_pages: Vec<(usize, Vec<operations::Operation>)> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for &d in pages {
        let doc = &index.documents[d];
        if !is_reference_page(doc) {
            continue;
        }
        let ops = operations::read(doc);
        for (o, op) in ops.iter().enumerate() {
            for (t, template) in op.templates.iter().enumerate() {
                let Some(path) = bases.api_path(&template.path) else {
                    findings.add(
                        doc,
                        template.span.clone(),
                        format!(
                            "`{} {}` is under none of the base URLs; the URL is left out",
                            op.method, template.path
                        ),
                    );
                    continue;
                };
                match paths::parse(path) {
                    Ok(path) => candidates.push(Candidate {
                        doc: api_pages.len(),
                        operation: o,
                        template: t,
                        path,
                    }),
                    Err(why) => findings.add(
                        doc,
                        template.span.clone(),
                        format!(
                            "`{} {}` is not a URL path: {why}; the URL is left out",
                            op.method, template.path
                        ),
                    ),
                }
            }
        }
        api_pages.push((d, ops));
    }
    unify_shapes(&mut candidates);

    // One operation per path and method. Pages of derived types document their base type's
    // URLs again (Intune's device configurations), and a page may show another page's URL
    // with query options (`GET /users/{id}/messages?$expand=extensions` on the open extension
    // page): the first page whose URL has no query string stands for them, else the first.
    let chosen = choose(&candidates, &api_pages);
    let tables = docset.table_rules.clone();
    let mut builder = Builder::new(index, &schemas, tables);
    let mut items: BTreeMap<String, PathItem> = BTreeMap::new();
    let mut statistics = Statistics::default();
    for (i, candidate) in candidates.iter().enumerate() {
        let (d, ops) = &api_pages[candidate.doc];
        let doc = &index.documents[*d];
        let op = &ops[candidate.operation];
        let key = (candidate.path.path.clone(), op.method.clone());
        let first = chosen[&key];
        if first != i {
            statistics.merged += usize::from(candidates[first].doc != candidate.doc);
            continue;
        }
        let built = builder.operation(
            doc,
            *d,
            op,
            candidate.template,
            &candidate.path,
            &mut findings,
        );
        statistics.operations += 1;
        statistics.with_security += usize::from(!built.security.is_empty());
        statistics.with_response_schema += usize::from(operation::has_response_schema(&built));
        statistics.without_body += usize::from(operation::answers_without_body(&built));
        let item = items.entry(candidate.path.path.clone()).or_default();
        set_operation(item, &op.method, built);
    }
    statistics.paths = items.len();

    let mut components = Components::default();
    for (name, schema) in schemas.components(&index.documents, &mut findings) {
        components.schemas.insert(name, schema);
    }
    statistics.schemas = components.schemas.len();
    let tags = builder.tags();
    for (name, scheme) in builder.security.schemes() {
        components.security_schemes.insert(name, scheme);
    }
    let root = if docset.root.is_empty() {
        settings.root.to_string_lossy().replace('\\', "/")
    } else {
        docset.root.clone()
    };
    let version = version_of(docset, &root);
    let document = Spec {
        openapi: "3.1.0".into(),
        info: Info {
            title: title(&root, version),
            summary: None,
            description: Some(
                "Generated by doclint from the API reference docs: paths from the HTTP request sections, schemas from the resources, security from the permission tables.".into(),
            ),
            terms_of_service: None,
            version: if version.is_empty() { "unversioned" } else { version }.into(),
            contact: None,
            license: None,
            extensions: Default::default(),
        },
        servers: servers(&docset.base_urls, version),
        paths: Some(items.into_iter().collect()),
        components: Some(components),
        security: Vec::new(),
        tags: tags
            .into_iter()
            .map(|name| Tag {
                name,
                description: None,
                extensions: Default::default(),
            })
            .collect(),
        webhooks: Default::default(),
        external_docs: None,
        extensions: Default::default(),
    };
    Export {
        document,
        findings: findings.0,
        statistics,
    }
}

/// Gives URLs of the same shape (`/drive/root:/{path}:` and `/drive/root:/{item-path}:`) the
/// parameter names of the first of them, since OpenAPI holds them to be one path.
fn unify_shapes(candidates: &mut [Candidate]) {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for candidate in candidates.iter_mut() {
        let shape = candidate.path.shape();
        let own: Vec<String> = candidate
            .path
            .parameters
            .iter()
            .map(|p| p.name.clone())
            .collect();
        let canonical = names.entry(shape).or_insert(own);
        if candidate.path.parameters.len() == canonical.len() {
            candidate.path.rename(canonical);
        }
    }
}

/// For each path and method, the candidate whose operation the description holds: the first
/// whose URL has no query string, else the first.
fn choose(
    candidates: &[Candidate],
    api_pages: &[(usize, Vec<operations::Operation>)],
) -> HashMap<(String, String), usize> {
    let has_query = |c: &Candidate| {
        let op = &api_pages[c.doc].1[c.operation];
        op.templates[c.template].path.contains('?')
    };
    let mut chosen: HashMap<(String, String), usize> = HashMap::new();
    for (i, candidate) in candidates.iter().enumerate() {
        let method = &api_pages[candidate.doc].1[candidate.operation].method;
        let key = (candidate.path.path.clone(), method.clone());
        let held = chosen.entry(key).or_insert(i);
        if has_query(&candidates[*held]) && !has_query(candidate) {
            *held = i;
        }
    }
    chosen
}

fn set_operation(item: &mut PathItem, method: &str, operation: Operation) {
    let slot = match method {
        "GET" => &mut item.get,
        "PUT" => &mut item.put,
        "POST" => &mut item.post,
        "DELETE" => &mut item.delete,
        "OPTIONS" => &mut item.options,
        "HEAD" => &mut item.head,
        "PATCH" => &mut item.patch,
        _ => &mut item.trace,
    };
    *slot = Some(operation);
}

/// The API version the exported pages document: the last folder of `root` (the doc set's
/// root, else the checked folder) when that names a version (`v1.0`, `beta`) or the doc set
/// is an API version, else "".
fn version_of<'r>(docset: &DocSet, root: &'r str) -> &'r str {
    let folder = root.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let named = strip_version(&format!("/{folder}")).is_some();
    if !folder.is_empty() && (named || docset.is_api_version()) {
        folder
    } else {
        ""
    }
}

fn title(root: &str, version: &str) -> String {
    let name = Path::new(root)
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    match version {
        "" => format!("{name} API"),
        v if v == name => {
            let parent = Path::new(root)
                .parent()
                .and_then(Path::file_name)
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            format!("{parent} {v}")
        }
        v => format!("{name} {v}"),
    }
}

/// The absolute base URLs whose path ends in the doc set's version (all of them when none
/// does).
fn servers(bases: &[String], version: &str) -> Vec<Server> {
    let absolute: Vec<&String> = bases.iter().filter(|b| split_origin(b).is_some()).collect();
    let matching: Vec<&&String> = absolute
        .iter()
        .filter(|b| {
            !version.is_empty() && b.trim_end_matches('/').ends_with(&format!("/{version}"))
        })
        .collect();
    let chosen: Vec<&String> = if matching.is_empty() {
        absolute
    } else {
        matching.into_iter().copied().collect()
    };
    chosen
        .into_iter()
        .map(|url| Server {
            url: url.trim_end_matches('/').to_string(),
            description: None,
            variables: Default::default(),
            extensions: Default::default(),
        })
        .collect()
}

/// Writes the description to `path` atomically (a temporary file beside it renamed into
/// place): YAML when the name ends in `.yaml` or `.yml`, else JSON.
pub fn write(document: &Spec, path: &Path) -> Result<(), String> {
    let text = if is_yaml(path) {
        to_yaml(document)?
    } else {
        to_json(document)?
    };
    crate::report::write_atomically(path, text.as_bytes())
}

/// Whether a file name asks for YAML.
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The description as pretty-printed JSON with a final line break.
pub fn to_json(document: &Spec) -> Result<String, String> {
    let mut text = serde_json::to_string_pretty(document)
        .map_err(|e| format!("cannot serialise the description as JSON: {e}"))?;
    text.push('\n');
    Ok(text)
}

/// The description as YAML.
///
/// Written from the JSON text's tree rather than from the description's types: the YAML writer
/// is then compiled for one type, `serde_json::Value`, instead of for every OpenAPI type (about
/// a twentieth of the crate's generated code), and both formats hold the same document by
/// construction.
pub fn to_yaml(document: &Spec) -> Result<String, String> {
    let tree: serde_json::Value = serde_json::from_str(&to_json(document)?)
        .map_err(|e| format!("cannot serialise the description as YAML: {e}"))?;
    serde_saphyr::to_string(&tree)
        .map_err(|e| format!("cannot serialise the description as YAML: {e}"))
}
