//! URL templates as OpenAPI paths.
//!
//! The docs write the same address in many ways: `/users/{id}`, `/users/{user-id}`,
//! `/users/{id | userPrincipalName}`, `/users('{id}')`. OpenAPI treats paths that differ only
//! in parameter names as the same path, which may not appear twice, and each name must be
//! unique within its path. So a template is read into segments and its parameters are renamed
//! by where they stand:
//!
//! * a key (a segment that is one placeholder, right after a collection segment, or OData key
//!   syntax `users('{id}')`, rewritten as a segment) is named after the collection:
//!   `/users/{id}` → `/users/{user-id}`;
//! * a function parameter (`getByPath(path='{p}')`) is named after the parameter: `path`;
//! * any other placeholder keeps its name, cleaned to the characters OpenAPI names allow.
//!
//! A name used twice in one path gets a numeric suffix. Function-call segments stay as they
//! are written (`delta()`, `range(address='{address}')`); `<name>` counts as a placeholder.

/// A template read as an OpenAPI path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPath {
    /// The path, such as `/users/{user-id}/events`.
    pub path: String,
    /// Its parameters, in order.
    pub parameters: Vec<PathParameter>,
}

/// A `{parameter}` of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathParameter {
    /// The name in the OpenAPI path.
    pub name: String,
    /// The placeholder as the docs wrote it, without braces (`id | userPrincipalName`).
    pub written: String,
    /// For a function parameter, the function parameter's name.
    pub function_parameter: Option<String>,
}

impl ApiPath {
    /// The path with every parameter name left out (`/users/{}`): paths with the same shape
    /// are the same path to OpenAPI.
    pub fn shape(&self) -> String {
        let mut out = String::with_capacity(self.path.len());
        let mut inside = false;
        for c in self.path.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push('{');
                }
                '}' => {
                    inside = false;
                    out.push('}');
                }
                _ if inside => {}
                _ => out.push(c),
            }
        }
        out
    }

    /// Renames the parameters, in order, to `names` (of the same length).
    pub fn rename(&mut self, names: &[String]) {
        let mut out = String::with_capacity(self.path.len());
        let mut rest = self.path.as_str();
        let mut next = names.iter();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&rest[..=open]);
            out.push_str(next.next().map_or("", String::as_str));
            out.push('}');
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        self.path = out;
        for (parameter, name) in self.parameters.iter_mut().zip(names) {
            parameter.name = name.clone();
        }
    }
}

/// Reads a template (base URL removed; a query string is ignored) as an OpenAPI path, or says
/// why it is not one.
pub fn parse(template: &str) -> Result<ApiPath, String> {
    let path = split_query(template.trim());
    if path.chars().any(char::is_whitespace) && !balanced_whitespace_only(path) {
        return Err("it holds spaces outside placeholders and quotes".into());
    }
    // `policies/tokenIssuancePolicies` is written without its leading `/` now and then.
    let rooted;
    let path = if path.starts_with('/') {
        path
    } else if path.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '$') {
        rooted = format!("/{path}");
        &rooted
    } else {
        return Err("it does not start with `/` or a name".into());
    };
    let raw = split_segments(path)?;
    let mut segments: Vec<Segment> = Vec::new();
    for text in raw {
        read_segment(&text, &mut segments)?;
    }
    let mut parameters = Vec::new();
    let mut out = String::new();
    for (i, segment) in segments.iter().enumerate() {
        out.push('/');
        match segment {
            Segment::Key(written) => {
                let name = match i.checked_sub(1).map(|p| &segments[p]) {
                    Some(Segment::Text(pieces)) if is_collection(pieces) => {
                        format!("{}-id", singular(literal(pieces)))
                    }
                    _ => clean_name(written),
                };
                out.push_str(&format!("{{{name}}}"));
                parameters.push(PathParameter {
                    name,
                    written: written.clone(),
                    function_parameter: None,
                });
            }
            Segment::Text(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Literal(text) => out.push_str(text),
                        Piece::Placeholder { written, argument } => {
                            let name = argument
                                .as_deref()
                                .map_or_else(|| clean_name(written), clean_name);
                            out.push_str(&format!("{{{name}}}"));
                            parameters.push(PathParameter {
                                name,
                                written: written.clone(),
                                function_parameter: argument.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    let mut api = ApiPath {
        path: out,
        parameters,
    };
    let names = unique_names(api.parameters.iter().map(|p| p.name.clone()).collect());
    api.rename(&names);
    Ok(api)
}

/// Names made unique within a path: a repeat gets `-2`, `-3`, … (skipping names in use).
pub fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut used: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{name}-{n}");
            n += 1;
        }
        used.push(candidate);
    }
    used
}

/// One segment of a template.
#[derive(Debug, Clone)]
enum Segment {
    /// A segment that is one placeholder (`{id}`), or an OData key rewritten as one.
    Key(String),
    /// Literal text and placeholders.
    Text(Vec<Piece>),
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    /// A placeholder; inside a function call's `name=value` list, with the argument's name.
    Placeholder {
        written: String,
        argument: Option<String>,
    },
}

/// Whether a segment is a plain name that a key can follow (`users`, not `root:` or `delta()`).
fn is_collection(pieces: &[Piece]) -> bool {
    matches!(pieces, [Piece::Literal(text)] if !text.is_empty()
        && !text.starts_with('$')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
}

fn literal(pieces: &[Piece]) -> &str {
    match pieces {
        [Piece::Literal(text)] => text.rsplit('.').next().unwrap_or(text),
        _ => "",
    }
}

/// The singular of an English plural as collection segments write it (`users` → `user`,
/// `policies` → `policy`, `addresses` → `address`); other words unchanged.
fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = word.strip_suffix("ies").filter(|_| lower.len() > 4) {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if lower.ends_with(suffix) {
            return word[..word.len() - 2].to_string();
        }
    }
    if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
    {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// A placeholder's name as OpenAPI writes it: the first of `a | b` alternatives, characters
/// other than letters, digits, `-`, `_` and `.` turned into `-`.
fn clean_name(written: &str) -> String {
    let first = written.split('|').next().unwrap_or("").trim();
    let mut out = String::with_capacity(first.len());
    for c in first.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "parameter".into()
    } else {
        out.to_string()
    }
}

/// The template without its query string (a `?` inside quotes or parentheses does not count).
fn split_query(template: &str) -> &str {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in template.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '{' if !quoted => depth += 1,
            ')' | '}' if !quoted => depth = depth.saturating_sub(1),
            '?' | '#' if !quoted && depth == 0 => return &template[..i],
            _ => {}
        }
    }
    template
}

/// Whether every whitespace character of `path` is inside braces, quotes or parentheses
/// (`{id | userPrincipalName}`, `f(a='x', b='y')`), where it can be dropped or is a name.
fn balanced_whitespace_only(path: &str) -> bool {
    let mut depth = 0usize;
    let mut quoted = false;
    for c in path.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '{' if !quoted => depth += 1,
            ')' | '}' if !quoted => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 && !quoted => return false,
            _ => {}
        }
    }
    true
}

/// Splits at `/` outside braces, parentheses and quotes; checks that they are balanced.
/// Whitespace outside quotes is dropped (`f(a='x', b='y')` → `f(a='x',b='y')`).
fn split_segments(path: &str) -> Result<Vec<String>, String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut braces = 0usize;
    let mut parens = 0usize;
    let mut quoted = false;
    for c in path.chars().skip(1) {
        match c {
            '\'' => quoted = !quoted,
            '{' if !quoted => braces += 1,
            '}' if !quoted => {
                braces = braces
                    .checked_sub(1)
                    .ok_or("it has a `}` without a `{` before it")?;
            }
            '(' if !quoted => parens += 1,
            ')' if !quoted => {
                parens = parens
                    .checked_sub(1)
                    .ok_or("it has a `)` without a `(` before it")?;
            }
            '/' if !quoted && braces == 0 && parens == 0 => {
                segments.push(std::mem::take(&mut current));
                continue;
            }
            c if c.is_whitespace() && !quoted && braces == 0 => continue,
            _ => {}
        }
        current.push(c);
    }
    if braces > 0 {
        return Err("a `{` is not closed".into());
    }
    if parens > 0 {
        return Err("a `(` is not closed".into());
    }
    if quoted {
        return Err("a quote is not closed".into());
    }
    segments.push(current);
    // `/users/` and `/users` are one path.
    if segments.len() > 1 && segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    if segments[..segments.len().saturating_sub(1)]
        .iter()
        .any(String::is_empty)
    {
        return Err("it has an empty segment (`//`)".into());
    }
    Ok(segments)
}

/// Reads one segment, rewriting OData key syntax (`users('{id}')`) as two segments.
fn read_segment(text: &str, out: &mut Vec<Segment>) -> Result<(), String> {
    if let Some(name) = whole_placeholder(text) {
        out.push(Segment::Key(name.to_string()));
        return Ok(());
    }
    if let Some((collection, inner)) = text
        .strip_suffix(')')
        .and_then(|t| t.split_once('('))
        .filter(|(c, _)| !c.is_empty())
    {
        let key = inner.trim_matches('\'').trim_matches('"');
        if let Some(name) = whole_placeholder(key) {
            out.push(Segment::Text(vec![Piece::Literal(collection.to_string())]));
            out.push(Segment::Key(name.to_string()));
            return Ok(());
        }
    }
    out.push(Segment::Text(pieces(text)?));
    Ok(())
}

/// The name inside `{name}` or `<name>` when that is the whole text.
fn whole_placeholder(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('<').and_then(|t| t.strip_suffix('>')))?;
    (!inner.is_empty() && !inner.contains(['{', '}', '<', '>'])).then_some(inner)
}

/// Literal text and placeholders; inside parentheses, a placeholder that is the value of
/// `name=` is that argument's.
fn pieces(text: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let close = match c {
            '{' => '}',
            '<' => '>',
            '}' | '>' => return Err(format!("it has a stray `{c}`")),
            _ => {
                literal.push(c);
                continue;
            }
        };
        let Some(end) = text[i + 1..].find(close).map(|e| i + 1 + e) else {
            return Err(format!("a `{c}` is not closed"));
        };
        let written = &text[i + 1..end];
        if written.is_empty() || written.contains(['{', '<']) {
            return Err(format!("`{}` is not a placeholder", &text[i..=end]));
        }
        let argument = argument_name(&literal);
        if !literal.is_empty() {
            out.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        out.push(Piece::Placeholder {
            written: written.to_string(),
            argument,
        });
        while chars.peek().is_some_and(|&(j, _)| j <= end) {
            chars.next();
        }
    }
    if !literal.is_empty() {
        out.push(Piece::Literal(literal));
    }
    Ok(out)
}

/// For literal text ending in `name=` or `name='` inside a parenthesised list, `name`.
fn argument_name(before: &str) -> Option<String> {
    let before = before.strip_suffix('\'').unwrap_or(before);
    let before = before.strip_suffix('=')?;
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let name = &before[start..];
    let opener = before[..start].chars().next_back();
    (!name.is_empty() && matches!(opener, Some('(' | ','))).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(template: &str) -> String {
        parse(template).map_or_else(|e| e, |p| p.path)
    }

    #[test]
    fn keys_are_named_after_their_collection() {
        assert_eq!(path("/users/{id}"), "/users/{user-id}");
        assert_eq!(
            path("/users/{id | userPrincipalName}/events"),
            "/users/{user-id}/events"
        );
        assert_eq!(path("/users('{id}')/events"), "/users/{user-id}/events");
        assert_eq!(
            path("/groups/{id}/threads/{id}/posts/{id}"),
            "/groups/{group-id}/threads/{thread-id}/posts/{post-id}"
        );
        assert_eq!(path("/policies/{id}"), "/policies/{policy-id}");
        assert_eq!(
            path("/me/mailFolders/{id}"),
            "/me/mailFolders/{mailFolder-id}"
        );
        assert_eq!(
            path("/drives/{drive-id}/items/{item-id}/thumbnails/{thumb-id}/{size}"),
            "/drives/{drive-id}/items/{item-id}/thumbnails/{thumbnail-id}/{size}"
        );
    }

    #[test]
    fn functions_keep_their_form_and_name_parameters_after_arguments() {
        assert_eq!(path("/me/events/delta()"), "/me/events/delta()");
        assert_eq!(
            path("/reports/getEmailActivityCounts(period='{period_value}')"),
            "/reports/getEmailActivityCounts(period='{period}')"
        );
        assert_eq!(
            path("/me/drive/root:/{item-path}:/content"),
            "/me/drive/root:/{item-path}:/content"
        );
        assert_eq!(
            path("/workbook/worksheets/{id}/Cell(row={row}, column={column})"),
            "/workbook/worksheets/{worksheet-id}/Cell(row={row},column={column})"
        );
        assert_eq!(
            path("/worksheets/{id|name}/range(address='<address>')"),
            "/worksheets/{worksheet-id}/range(address='{address}')"
        );
    }

    #[test]
    fn queries_and_trailing_slashes_are_left_out() {
        assert_eq!(
            path("/me/calendarView?startDateTime={start}&endDateTime={end}"),
            "/me/calendarView"
        );
        assert_eq!(path("/me/"), "/me");
        assert_eq!(path("/"), "/");
    }

    #[test]
    fn repeated_names_are_numbered() {
        assert_eq!(path("/x/{id}/{id}"), "/x/{x-id}/{id}");
        assert_eq!(path("/a({k})/{k}"), "/a/{a-id}/{k}");
        assert_eq!(path("/{k}/{k}"), "/{k}/{k-2}");
    }

    #[test]
    fn what_is_not_a_path() {
        assert!(parse("** Entity URI for x not found").is_err());
        assert!(parse("/users/{id").is_err());
        assert!(parse("/users/id}").is_err());
        assert!(parse("/users//events").is_err());
        assert_eq!(path("users/{id}"), "/users/{user-id}");
    }

    #[test]
    fn shapes_ignore_names() {
        let p = parse("/me/drive/root:/{item-path}:/content").unwrap();
        assert_eq!(p.shape(), "/me/drive/root:/{}:/content");
    }
}
