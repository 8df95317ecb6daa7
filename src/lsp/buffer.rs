//! A page open in the editor: its text as typed and what was last published for it.

use lsp_types::Uri;

use crate::diagnostic::Diagnostic;

/// An open page.
pub(super) struct Buffer {
    /// Its URI, as the client names it.
    pub uri: Uri,
    /// The client's version of its text.
    pub version: i32,
    /// Its text, as in the editor.
    pub text: String,
    /// Its diagnostics as last published.
    pub diagnostics: Vec<Diagnostic>,
    /// The LSP form of what was last published.
    pub published: Option<Vec<lsp_types::Diagnostic>>,
}

impl Buffer {
    /// A page the client has just opened, not yet checked.
    pub fn open(uri: Uri, version: i32, text: String) -> Self {
        Buffer {
            uri,
            version,
            text,
            diagnostics: Vec::new(),
            published: None,
        }
    }
}
