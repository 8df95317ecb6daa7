//! The integration tests, in one test binary so that the suite links once: the command
//! line, the outputs and integrations, the rule fixtures, the corpora, robustness and
//! performance bounds, security, the language server. `common` holds what they share.

mod catalogue;
mod cli;
mod common;
mod corpus;
mod export_openapi;
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
