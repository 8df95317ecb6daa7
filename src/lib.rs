//! doclint: a fast linter and validator for Markdown REST API reference docs in the
//! Microsoft Graph / OneDrive style.
//!
//! The pipeline: discover files → parse each page once, in parallel, into a
//! [`document::Document`] → build the doc-set [`docset::Index`] → run the rule families in
//! parallel → sort the [`diagnostic::Diagnostic`]s → report.
//!
//! ```no_run
//! let options = doclint::CheckOptions { paths: vec!["docs".into()], ..Default::default() };
//! let report = doclint::check(&options).expect("a valid configuration");
//! println!("{}", report.summary_line());
//! ```

pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod docset;
pub mod document;
pub mod export;
pub mod files;
pub mod fix;
pub mod fixer;
mod guard;
pub mod lsp;
mod memory;
mod paths;
pub mod pipeline;
pub mod report;
pub mod rule;
pub mod rule_docs;
mod rules;
mod schema;
pub mod severity;
mod source;
mod suggest;
mod suppressions;
pub mod walk;

pub use pipeline::{check, check_source, CheckOptions, RunError};
pub use report::Report;
pub use suggest::closest;
