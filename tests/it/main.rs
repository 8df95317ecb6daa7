//! The integration tests, in one test binary so that the suite links once: the command
//! line, the outputs and integrations, the rule fixtures, the corpora, robustness and
//! performance bounds, security, the language server. `common` holds what they share.

// The module names decide the order the tests start in (libtest runs them sorted by name):
// `api_export` holds the suite's longest test (the OpenAPI validator on Graph's beta
// description, about a minute of one core), so it sorts first and starts at once while the
// other tests share the second core, instead of starting late and running alone at the end.
mod api_export;
mod catalogue;
mod cli;
mod common;
mod corpus;
mod fix;
mod fixtures;
mod http_corpus;
mod huge_page;
mod linear_time;
mod links;
mod lsp;
mod metadata;
mod outputs;
mod permissions;
mod robustness;
mod security;
