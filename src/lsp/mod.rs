//! `doclint lsp`: a language server (LSP 3.17 over standard input and output) that shows the
//! findings of the open pages as they are typed, with the rule's explanation on hover and the
//! rule's fixes as quick fixes.
//!
//! At `initialize` the server discovers the configuration and the doc sets from the workspace
//! folder as the command line does and builds the index of the whole doc set in the
//! background (reporting `$/progress`). From then on each change of a buffer replaces that
//! page's part of the index, so unsaved text counts: a heading typed into one page clears the
//! anchor findings of the other open pages that link to it.

mod buffer;
mod convert;
mod initialize;
mod requests;
mod server;
mod workspace;

use std::process::ExitCode;

pub use workspace::ClientSettings;

/// Serves one client on standard input and output until it says `exit`: exit code 0 when it
/// asked for `shutdown` first, 1 otherwise (as the protocol asks), 2 on a protocol error.
pub fn serve() -> ExitCode {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let code = match server::run(connection) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("doclint lsp: {error}");
            ExitCode::from(2)
        }
    };
    // The reader stops after `exit`; a client that closed the pipe instead has stopped it too.
    if let Err(error) = io_threads.join() {
        eprintln!("doclint lsp: {error}");
    }
    code
}
