//! Request URLs and the templates of an API's HTTP request sections: base URLs removed,
//! queries and function parameter lists set aside, and example paths matched against
//! `{placeholder}` templates.

/// The configured base URLs, split into absolute ones and path prefixes such as `/v1.0`.
#[derive(Debug, Default)]
pub struct Bases {
    /// `(origin, path)` of each absolute base, the path without a trailing `/`.
    pub absolute: Vec<(String, String)>,
    /// Relative bases (`/v1.0`), without a trailing `/`.
    pub relative: Vec<String>,
    /// The absolute bases as configured, for help texts.
    pub written: Vec<String>,
}

impl Bases {
    /// Reads the configured base URLs (absolute ones and path prefixes).
    pub fn new(urls: Vec<String>) -> Bases {
        let mut bases = Bases {
            absolute: Vec::new(),
            relative: Vec::new(),
            written: Vec::new(),
        };
        for url in urls {
            let trimmed = url.trim().trim_end_matches('/');
            match split_origin(trimmed) {
                Some((origin, path)) => {
                    bases
                        .absolute
                        .push((origin.to_ascii_lowercase(), path.to_string()));
                    bases.written.push(trimmed.to_string());
                }
                None if !trimmed.is_empty() => bases.relative.push(trimmed.to_string()),
                None => {}
            }
        }
        bases
    }

    /// The target without its base URL (query kept): the part after a matching absolute
    /// base (`None` when the target is an absolute URL under none), or after a relative base
    /// such as `/v1.0`. With no absolute base configured, an absolute URL loses its origin
    /// and a leading version segment.
    pub fn api_path<'t>(&self, target: &'t str) -> Option<&'t str> {
        let target = target.trim();
        let path = match split_origin(target) {
            Some((origin, rest)) if !self.absolute.is_empty() => {
                self.absolute.iter().find_map(|(base_origin, base_path)| {
                    if origin.eq_ignore_ascii_case(base_origin) {
                        strip_segment_prefix(rest, base_path)
                    } else {
                        None
                    }
                })?
            }
            Some((_, rest)) => strip_version(rest).unwrap_or(rest),
            None => target,
        };
        Some(
            self.relative
                .iter()
                .find_map(|base| strip_segment_prefix(path, base))
                .unwrap_or(path),
        )
    }

    /// The API paths a target may stand for, without base URL and query: one per matching
    /// base. `None` when the target is an absolute URL under none of the configured bases.
    pub fn paths(&self, target: &str) -> Option<Vec<String>> {
        let path = strip_query(target);
        let mut out = Vec::new();
        match split_origin(path) {
            Some((origin, rest)) if !self.absolute.is_empty() => {
                for (base_origin, base_path) in &self.absolute {
                    if origin.eq_ignore_ascii_case(base_origin) {
                        if let Some(tail) = strip_segment_prefix(rest, base_path) {
                            out.push(tail.to_string());
                        }
                    }
                }
                if out.is_empty() {
                    return None;
                }
            }
            Some((_, rest)) => {
                // No absolute base configured: drop the host, and a version-like segment.
                out.push(rest.to_string());
                if let Some(tail) = strip_version(rest) {
                    out.push(tail.to_string());
                }
            }
            None => out.push(path.to_string()),
        }
        let relative: Vec<String> = out
            .iter()
            .flat_map(|p| {
                self.relative
                    .iter()
                    .filter_map(move |base| strip_segment_prefix(p, base))
            })
            .map(str::to_string)
            .collect();
        out.extend(relative);
        Some(out.into_iter().map(|p| normalize(&p)).collect())
    }
}

/// The non-empty path segments of a request target (after its origin, without the query or
/// fragment), each with its offset in the target.
pub fn path_segments(target: &str) -> Vec<(&str, usize)> {
    // Byte scans: the targets are short, and this runs for every URL of every example.
    let bytes = target.as_bytes();
    let start = match bytes.windows(3).position(|w| w == b"://") {
        Some(at) => bytes[at + 3..]
            .iter()
            .position(|&b| b == b'/')
            .map_or(target.len(), |p| at + 3 + p),
        None => 0,
    };
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .map_or(target.len(), |p| start + p);
    // Room for the segments of most request targets: growing from empty copies the list twice.
    let mut out = Vec::with_capacity(8);
    let mut offset = start;
    while offset <= end {
        let segment_end = bytes[offset..end]
            .iter()
            .position(|&b| b == b'/')
            .map_or(end, |p| offset + p);
        if segment_end > offset {
            out.push((&target[offset..segment_end], offset));
        }
        offset = segment_end + 1;
    }
    out
}

/// The path segments of a request target after its API version (`v1.0`, `beta`), each with
/// its offset in the target (see [`path_segments`]).
pub fn api_segments(target: &str) -> Vec<(&str, usize)> {
    let mut out = path_segments(target);
    let versioned = out.first().is_some_and(|(first, _)| {
        first.eq_ignore_ascii_case("beta")
            || (first.starts_with(['v', 'V'])
                && first[1..].starts_with(|c: char| c.is_ascii_digit()))
    });
    if versioned {
        out.remove(0);
    }
    out
}

/// `https://host/path` → (`https://host`, `/path`); `None` for a target without a scheme.
pub fn split_origin(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let after = scheme_end + 3;
    let host_end = url[after..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after + i);
    Some((&url[..host_end], &url[host_end..]))
}

/// `path` without the leading segments `prefix` (`/v1.0/me`, `/v1.0` → `/me`): the prefix
/// must end at a segment boundary. The comparison is case-sensitive, as URL paths are.
pub fn strip_segment_prefix<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let tail = path.strip_prefix(prefix)?;
    (tail.is_empty() || tail.starts_with('/')).then_some(tail)
}

/// `path` without a leading version segment such as `/v1.0` or `/beta`.
pub fn strip_version(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('/')?;
    let (segment, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let is_version = segment == "beta"
        || segment
            .strip_prefix('v')
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    is_version.then_some(tail)
}

/// The target without its query string and fragment.
pub fn strip_query(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or(target)
}

/// A path with a leading `/`, no trailing one, and no function parameter lists: syntax
/// lines write parameters in many ways (`rowsAbove(count=n)`, `range(address={address})`)
/// and examples may leave optional ones out, so `delta(token='abc')` compares as `delta`.
pub fn normalize(path: &str) -> String {
    let without = strip_parameters(path.trim());
    let trimmed = without.trim_end_matches('/');
    if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

/// `path` without its parenthesised parts (nesting counted; an unclosed `(` runs to the end).
pub fn strip_parameters(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// One piece of a template path.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Literal text, compared ignoring ASCII case.
    Literal(&'t str),
    /// A `{placeholder}`: one or more characters; `/` only for path placeholders.
    Placeholder { spans_segments: bool },
}

/// Whether the example path `path` is an instance of the template `template` (both
/// normalised, without query).
pub fn template_matches(template: &str, path: &str) -> bool {
    let whole = pieces(template);
    let spans = whole.iter().any(|p| {
        matches!(
            p,
            Piece::Placeholder {
                spans_segments: true
            }
        )
    });
    if spans {
        return matches_pieces(&whole, path);
    }
    // Segment by segment: the cheap common case.
    template.matches('/').count() == path.matches('/').count()
        && template
            .split('/')
            .zip(path.split('/'))
            .all(|(t, p)| matches_pieces(&pieces(t), p))
}

/// Splits a template into literal text and placeholders. A placeholder right after `:` or
/// `:/` (`root:/{item-path}:`) or whose name mentions a path may span several segments.
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(Piece::Literal(&rest[..open]));
        }
        let name = &rest[open + 1..close];
        let before = &rest[..open];
        let spans_segments = before.ends_with(':')
            || before.ends_with(":/")
            || name.to_ascii_lowercase().contains("path");
        out.push(Piece::Placeholder { spans_segments });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest));
    }
    out
}

/// Matches `text` against the pieces: literals ignoring ASCII case, placeholders one or more
/// characters. Dynamic programming over (piece, position): linear in pieces × length.
pub fn matches_pieces(pieces: &[Piece<'_>], text: &str) -> bool {
    // Most segments are one literal or one placeholder.
    match pieces {
        [] => return text.is_empty(),
        [Piece::Literal(literal)] => return literal.eq_ignore_ascii_case(text),
        [Piece::Placeholder { spans_segments }] => {
            return !text.is_empty() && (*spans_segments || !text.contains('/'))
        }
        _ => {}
    }
    let bytes = text.as_bytes();
    let n = bytes.len();
    // reachable[j]: the pieces so far can match text[..j].
    let mut reachable = vec![false; n + 1];
    reachable[0] = true;
    for piece in pieces {
        let mut next = vec![false; n + 1];
        match piece {
            Piece::Literal(literal) => {
                let lit = literal.as_bytes();
                for j in 0..=n {
                    if reachable[j]
                        && j + lit.len() <= n
                        && bytes[j..j + lit.len()].eq_ignore_ascii_case(lit)
                    {
                        next[j + lit.len()] = true;
                    }
                }
            }
            Piece::Placeholder { spans_segments } => {
                // next[j] = some i < j is reachable and text[i..j] is allowed.
                let mut open = false;
                for j in 1..=n {
                    let allowed = *spans_segments || bytes[j - 1] != b'/';
                    open = allowed && (open || reachable[j - 1]);
                    next[j] = open;
                }
            }
        }
        reachable = next;
        if !reachable.contains(&true) {
            return false;
        }
    }
    reachable[n]
}
