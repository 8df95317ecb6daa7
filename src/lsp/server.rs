//! The server's state and its message loop: buffers, the index built in the background,
//! requests held until it is ready, diagnostics published as pages change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    PublishDiagnosticsParams, ServerCapabilities, TextDocumentContentChangeEvent,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde_json::{json, Value};

use super::buffer::Buffer;
use super::convert::{self, path_of, Encoding, Lines};
use super::initialize::Initialize;
use super::requests;
use super::workspace::{ClientSettings, Workspace};

/// What the loop waits for: a message of the client, or a finished index.
enum Event {
    Message(Message),
    /// The index of build `generation`, or why the configuration could not be loaded.
    Indexed(u64, Result<Box<Workspace>, String>),
    /// The client closed the connection.
    Closed,
}

/// The token of the progress shown while the index builds.
const PROGRESS_TOKEN: &str = "doclint/index";

struct Server {
    connection: Connection,
    events: mpsc::Receiver<Event>,
    events_in: mpsc::Sender<Event>,
    root: PathBuf,
    client: ClientSettings,
    /// The index, once built.
    workspace: Option<Box<Workspace>>,
    /// Why the last build failed.
    failure: Option<String>,
    /// The number of the latest build started (older results are dropped).
    generation: u64,
    /// Whether a build is running, and whether its progress was begun.
    building: Option<bool>,
    /// Whether the client shows progress the server creates.
    progress: bool,
    /// What the characters of positions count.
    encoding: Encoding,
    /// Open pages, by path.
    buffers: HashMap<PathBuf, Buffer>,
    /// Pages changed since they were last checked, in order.
    dirty: Vec<PathBuf>,
    /// Requests that wait for the index.
    waiting: Vec<Request>,
    shutdown: bool,
    next_id: i32,
}

/// Runs the server on a connection; `Ok(true)` when the client asked for `shutdown` before
/// `exit`.
pub fn run(connection: Connection) -> Result<bool, String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params = Initialize::decode(params)?;
    let root = params.workspace_root();
    let client = params
        .initialization_options
        .as_ref()
        .and_then(ClientSettings::from_json)
        .unwrap_or_default();
    let progress = params.work_done_progress();
    let encoding = Encoding::negotiate(params.position_encodings());
    let (events_in, events) = mpsc::channel();
    let mut server = Server {
        connection,
        events,
        events_in,
        root,
        client,
        workspace: None,
        failure: None,
        generation: 0,
        building: None,
        progress,
        encoding,
        buffers: HashMap::new(),
        dirty: Vec::new(),
        waiting: Vec::new(),
        shutdown: false,
        next_id: 0,
    };
    server.start_build();
    let result = json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "doclint", "version": env!("CARGO_PKG_VERSION") },
    });
    server
        .connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    server.begin_progress();
    server.forward_messages();
    server.serve()
}

/// The folder the index is built from: the first workspace folder, else the root URI, else the
/// working directory.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(requests::FIX_ALL),
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

impl Server {
    /// Builds the index on a thread of its own; the loop goes on meanwhile.
    fn start_build(&mut self) {
        self.generation += 1;
        self.building = Some(false);
        let (generation, root, client) = (self.generation, self.root.clone(), self.client.clone());
        let events = self.events_in.clone();
        std::thread::spawn(move || {
            let workspace = Workspace::load(&root, &client)
                .map(Box::new)
                .map_err(|e| e.to_string());
            let _ = events.send(Event::Indexed(generation, workspace));
        });
    }

    /// Hands the client's messages to the loop's channel, on a thread of its own.
    fn forward_messages(&self) {
        let receiver = self.connection.receiver.clone();
        let events = self.events_in.clone();
        std::thread::spawn(move || {
            for message in receiver {
                if events.send(Event::Message(message)).is_err() {
                    return;
                }
            }
            let _ = events.send(Event::Closed);
        });
    }

    /// The loop: handles every event waiting, then checks the pages changed meanwhile.
    fn serve(mut self) -> Result<bool, String> {
        while let Ok(event) = self.events.recv() {
            if let Some(exit) = self.handle(event) {
                return Ok(exit);
            }
            while let Ok(event) = self.events.try_recv() {
                if let Some(exit) = self.handle(event) {
                    return Ok(exit);
                }
            }
            self.check_changed();
        }
        Ok(false)
    }

    /// Handles one event; `Some(shut down)` when the server must stop.
    fn handle(&mut self, event: Event) -> Option<bool> {
        match event {
            Event::Message(Message::Request(request)) => self.request(request),
            Event::Message(Message::Notification(n)) if n.method == notify::Exit::METHOD => {
                return Some(self.shutdown)
            }
            Event::Message(Message::Notification(n)) => self.notification(n),
            Event::Message(Message::Response(_)) => {}
            Event::Indexed(generation, result) => self.indexed(generation, result),
            Event::Closed => return Some(false),
        }
        None
    }

    fn send(&self, message: impl Into<Message>) {
        // A closed connection ends the loop through `Event::Closed`.
        let _ = self.connection.sender.send(message.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params));
    }

    fn request(&mut self, request: Request) {
        if request.method == req::Shutdown::METHOD {
            self.shutdown = true;
            self.send(Response::new_ok(request.id, ()));
        } else if self.shutdown {
            self.send(Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
        } else if self.workspace.is_none() && self.failure.is_none() {
            self.waiting.push(request);
        } else {
            self.check_changed();
            self.answer(request);
        }
    }

    /// Answers a request about the pages.
    fn answer(&self, request: Request) {
        let result = match (&self.workspace, request.method.as_str()) {
            (Some(workspace), req::HoverRequest::METHOD) => {
                requests::hover(workspace, &self.buffers, request.params, self.encoding)
            }
            (Some(workspace), req::CodeActionRequest::METHOD) => {
                requests::code_actions(workspace, &self.buffers, request.params, self.encoding)
            }
            (None, req::HoverRequest::METHOD | req::CodeActionRequest::METHOD) => Ok(Value::Null),
            _ => {
                self.send(Response::new_err(
                    request.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("doclint does not handle {:?}", request.method),
                ));
                return;
            }
        };
        match result {
            Ok(value) => self.send(Response::new_ok(request.id, value)),
            Err(message) => self.send(Response::new_err(
                request.id,
                ErrorCode::InvalidParams as i32,
                message,
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        let params = n.params;
        match n.method.as_str() {
            notify::Cancel::METHOD => {
                let id: Option<RequestId> = params
                    .get("id")
                    .cloned()
                    .and_then(|id| serde_json::from_value(id).ok());
                if let Some(at) = self.waiting.iter().position(|r| Some(&r.id) == id.as_ref()) {
                    let request = self.waiting.remove(at);
                    self.send(Response::new_err(
                        request.id,
                        ErrorCode::RequestCanceled as i32,
                        "canceled".into(),
                    ));
                }
            }
            notify::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return;
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return;
                };
                let document = p.text_document;
                let buffer = Buffer::open(document.uri, document.version, document.text);
                self.buffers.insert(path.clone(), buffer);
                self.changed(path);
            }
            notify::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return;
                };
                let Some(buffer) = self.buffers.get_mut(&path) else {
                    return;
                };
                buffer.version = p.text_document.version;
                for change in p.content_changes {
                    apply_change(&mut buffer.text, change, self.encoding);
                }
                self.changed(path);
            }
            notify::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return;
                };
                if self.buffers.remove(&path).is_some() {
                    self.dirty.retain(|d| d != &path);
                    if let Some(workspace) = &mut self.workspace {
                        workspace.revert(&path);
                    }
                    self.publish_to(&p.text_document.uri, None, Vec::new());
                    self.recheck_open();
                }
            }
            notify::DidChangeConfiguration::METHOD => {
                let client = params.get("settings").and_then(ClientSettings::from_json);
                if let Some(client) = client.filter(|c| *c != self.client) {
                    self.client = client;
                    self.start_build();
                    self.begin_progress();
                }
            }
            notify::DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(params)
                else {
                    return;
                };
                let Some(workspace) = &mut self.workspace else {
                    return;
                };
                for change in p.changes {
                    let Some(path) = path_of(&change.uri) else {
                        continue;
                    };
                    if !self.buffers.contains_key(&path) && path.exists() {
                        workspace.revert(&path);
                    }
                }
                self.recheck_open();
            }
            _ => {}
        }
    }

    /// Marks an open page as changed: it is checked once the waiting events are handled.
    fn changed(&mut self, path: PathBuf) {
        if !self.dirty.contains(&path) {
            self.dirty.push(path);
        }
    }

    /// Puts the changed pages into the index, checks and publishes them, then checks the
    /// other open pages again (they may link to, include or share request names with the
    /// changed ones) and publishes those whose diagnostics changed.
    fn check_changed(&mut self) {
        if self.dirty.is_empty() || self.workspace.is_none() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty);
        for path in &dirty {
            let (Some(workspace), Some(buffer)) = (&mut self.workspace, self.buffers.get(path))
            else {
                continue;
            };
            workspace.set_text(path, buffer.text.clone());
        }
        for path in &dirty {
            self.check(path, true);
        }
        for path in self.open_paths() {
            if !dirty.contains(&path) {
                self.check(&path, false);
            }
        }
    }

    /// Checks every open page again, publishing those whose diagnostics changed.
    fn recheck_open(&mut self) {
        for path in self.open_paths() {
            self.check(&path, false);
        }
    }

    fn open_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.buffers.keys().cloned().collect();
        paths.sort();
        paths
    }

    /// Checks an open page and publishes its diagnostics (unless `always` is false and they
    /// are what was published last).
    fn check(&mut self, path: &Path, always: bool) {
        let Some(workspace) = &self.workspace else {
            return;
        };
        let diagnostics = match workspace.document_of(path) {
            Some(d) if workspace.checks(path) => workspace.check(d),
            _ => Vec::new(),
        };
        let Some(buffer) = self.buffers.get(path) else {
            return;
        };
        let lines = Lines::new(&buffer.text, self.encoding);
        let lsp: Vec<lsp_types::Diagnostic> = diagnostics
            .iter()
            .map(|d| convert::diagnostic(d, &lines, workspace.as_ref()))
            .collect();
        if !always && buffer.published.as_ref() == Some(&lsp) {
            return;
        }
        let (uri, version) = (buffer.uri.clone(), buffer.version);
        self.publish_to(&uri, Some(version), lsp.clone());
        if let Some(buffer) = self.buffers.get_mut(path) {
            buffer.diagnostics = diagnostics;
            buffer.published = Some(lsp);
        }
    }

    fn publish_to(&self, uri: &Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        self.notify(
            notify::PublishDiagnostics::METHOD,
            PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics,
                version,
            },
        );
    }

    /// Takes a finished index: puts the open buffers into it, checks them, answers the
    /// requests that waited.
    fn indexed(&mut self, generation: u64, result: Result<Box<Workspace>, String>) {
        if generation != self.generation {
            return;
        }
        let began = self.building.take() == Some(true);
        let message = match result {
            Ok(workspace) => {
                let pages = workspace.pages();
                self.workspace = Some(workspace);
                self.failure = None;
                self.dirty = self.open_paths();
                self.check_changed();
                format!("{pages} pages indexed")
            }
            Err(error) => {
                self.notify(
                    notify::ShowMessage::METHOD,
                    json!({ "type": 1, "message": format!("doclint: {error}") }),
                );
                self.failure = Some(error.clone());
                error
            }
        };
        if began {
            self.notify(
                notify::Progress::METHOD,
                json!({ "token": PROGRESS_TOKEN, "value": { "kind": "end", "message": message } }),
            );
        }
        for request in std::mem::take(&mut self.waiting) {
            self.answer(request);
        }
    }

    /// Shows progress while the index builds, when the client can.
    fn begin_progress(&mut self) {
        if !self.progress || self.building != Some(false) {
            return;
        }
        self.next_id += 1;
        self.send(Request::new(
            RequestId::from(format!("doclint-{}", self.next_id)),
            req::WorkDoneProgressCreate::METHOD.to_string(),
            json!({ "token": PROGRESS_TOKEN }),
        ));
        self.notify(
            notify::Progress::METHOD,
            json!({
                "token": PROGRESS_TOKEN,
                "value": {
                    "kind": "begin",
                    "title": "doclint",
                    "message": format!("indexing {}", crate::paths::display(&self.root)),
                    "cancellable": false,
                }
            }),
        );
        self.building = Some(true);
    }
}

/// Applies one content change to a buffer: a range replaced, or the whole text.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        Some(range) => {
            let lines = Lines::new(text, encoding);
            let start = lines.buffer_offset(range.start);
            let end = lines.buffer_offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}
