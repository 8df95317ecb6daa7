//! The parts of the client's `initialize` request the server reads: the workspace folder, the
//! settings, and three capabilities. The rest of the request — dozens of nested capability
//! structures — is left undecoded, so a client that sends capabilities newer than the
//! protocol types know still starts the server.

use std::path::PathBuf;

use lsp_types::{PositionEncodingKind, Uri, WorkspaceFolder};
use serde::Deserialize;
use serde_json::Value;

use super::convert::path_of;

/// What the server uses of `InitializeParams`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Initialize {
    workspace_folders: Option<Vec<WorkspaceFolder>>,
    root_uri: Option<Uri>,
    /// The client's settings for doclint, if it sent any.
    pub initialization_options: Option<Value>,
    capabilities: Capabilities,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Capabilities {
    window: Option<WindowCapabilities>,
    general: Option<GeneralCapabilities>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct WindowCapabilities {
    work_done_progress: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct GeneralCapabilities {
    position_encodings: Option<Vec<PositionEncodingKind>>,
}

impl Initialize {
    /// Decodes the request's parameters; an error names what is malformed.
    pub fn decode(params: Value) -> Result<Initialize, String> {
        serde_json::from_value(params).map_err(|e| format!("invalid initialize params: {e}"))
    }

    /// The first workspace folder, else the root URI, else the current directory.
    pub fn workspace_root(&self) -> PathBuf {
        let folder = self
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|f| &f.uri);
        folder
            .or(self.root_uri.as_ref())
            .and_then(path_of)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Whether the client shows `$/progress` the server starts.
    pub fn work_done_progress(&self) -> bool {
        self.capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false)
    }

    /// The position encodings the client offers, in its order of preference.
    pub fn position_encodings(&self) -> Option<&[PositionEncodingKind]> {
        self.capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_folder_settings_and_capabilities_and_ignores_the_rest() {
        let init = Initialize::decode(serde_json::json!({
            "processId": null,
            "rootUri": "file:///elsewhere",
            "workspaceFolders": [{ "uri": "file:///docs", "name": "docs" }],
            "initializationOptions": { "doclint": { "select": ["DL401"] } },
            "capabilities": {
                "window": { "workDoneProgress": true },
                "general": { "positionEncodings": ["utf-8", "utf-16"] },
                "textDocument": { "someFutureCapability": { "x": [1, 2] } }
            }
        }))
        .unwrap();
        assert_eq!(init.workspace_root(), PathBuf::from("/docs"));
        assert!(init.work_done_progress());
        assert_eq!(
            init.position_encodings().map(<[_]>::len),
            Some(2),
            "{init:?}"
        );
        assert!(init.initialization_options.is_some());
    }

    #[test]
    fn falls_back_to_the_root_uri_and_defaults() {
        let init = Initialize::decode(serde_json::json!({
            "rootUri": "file:///root", "capabilities": {}
        }))
        .unwrap();
        assert_eq!(init.workspace_root(), PathBuf::from("/root"));
        assert!(!init.work_done_progress());
        assert!(init.position_encodings().is_none());
    }

    #[test]
    fn a_malformed_request_is_an_error_that_says_so() {
        let error = Initialize::decode(serde_json::json!({ "workspaceFolders": 3 })).unwrap_err();
        assert!(error.starts_with("invalid initialize params"), "{error}");
    }
}
