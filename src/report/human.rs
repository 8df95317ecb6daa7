//! The default terminal format: miette's graphical report with a source snippet (clipped
//! around the finding, control characters escaped), wrapped at the terminal's width, and a
//! count of findings per rule at the end when there are many.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::snippet::{self, Snippet};
use super::{escape, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Applicability;

/// Above this many findings, the report ends with their counts per rule, so that the overview
/// is next to the summary line instead of thousands of lines up.
pub const MANY_FINDINGS: usize = 20;

/// The snippet of a page shown for one finding, with the page's name, as miette wants a
/// source: line numbers are the page's, and the finding's own span reports its real column.
struct NamedText<'a> {
    name: &'a str,
    snippet: Snippet,
    /// The finding's 0-based line and column in the page.
    position: (usize, usize),
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self.snippet.text.read_span(span, before, after)?;
        let (line, column) = if span.offset() == self.snippet.span.start && before == 0 {
            self.position
        } else {
            (inner.line() + self.snippet.first_line, inner.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// One diagnostic in miette's terms.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedText<'a>>,
    code: String,
    message: String,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let mut lines = Vec::new();
        if let Some(fix) = &d.fix {
            let flags = match fix.applicability {
                Applicability::Safe => "--fix",
                Applicability::Unsafe => "--fix --unsafe-fixes",
            };
            lines.push(format!(
                "{} (fixable with {flags})",
                escape::text(&fix.message)
            ));
        }
        if let Some(help) = d
            .help
            .as_ref()
            .filter(|h| d.fix.as_ref().is_none_or(|f| &f.message != *h))
        {
            lines.push(escape::text(help).into_owned());
        }
        for related in &d.related {
            lines.push(format!(
                "{}: {}:{}:{}",
                escape::line(&related.message),
                escape::line(&related.location.path),
                related.location.line,
                related.location.column
            ));
        }
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // The snippet's header already names the place: the label only underlines it.
        let span = &self.source.as_ref()?.snippet.span;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None,
            span.start,
            span.end - span.start,
        ))))
    }
}

/// Renders every diagnostic with a snippet of its source, wrapping text at `width` columns.
pub fn render(report: &Report, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(width)
        .without_syntax_highlighting()
        .with_links(false);
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        // A bug in the renderer on one finding must not cost the others: that one is printed
        // in the concise format instead.
        let rendered = crate::guard::catch(|| render_one(&handler, report, diagnostic, width));
        match rendered {
            Ok(Some(text)) => out.push_str(&text),
            Ok(None) | Err(_) => super::concise::write_diagnostic(&mut out, diagnostic),
        }
        out.push('\n');
    }
    if report.diagnostics.len() > MANY_FINDINGS {
        out.push_str("Findings by rule:\n");
        out.push_str(&super::statistics::render(report));
        out.push('\n');
    }
    out
}

/// The columns to the left of a source line in miette's snippet, `" 123 │ "`, for a finding
/// on the 0-based line `line`: the widest line number shown is at most a few lines below it.
fn gutter(line: usize) -> usize {
    let last = line + snippet::SPAN_LINES + 2;
    last.to_string().len() + 4
}

/// One finding with its snippet, or `None` when miette cannot render it.
fn render_one(
    handler: &GraphicalReportHandler,
    report: &Report,
    diagnostic: &Diagnostic,
    width: usize,
) -> Option<String> {
    let path = escape::line(&diagnostic.location.path);
    let line = diagnostic.location.line.saturating_sub(1) as usize;
    let source = report.source(diagnostic).map(|s| NamedText {
        name: &path,
        snippet: snippet::around(
            &s.text,
            diagnostic.span.clone(),
            line,
            width.saturating_sub(gutter(line)),
        ),
        position: (
            diagnostic.location.line.saturating_sub(1) as usize,
            diagnostic.location.column.saturating_sub(1) as usize,
        ),
    });
    let rendered = Rendered {
        diagnostic,
        source,
        code: format!(
            "{}[{}/{}]",
            diagnostic.severity,
            diagnostic.rule,
            diagnostic.name()
        ),
        message: escape::text(&diagnostic.message).into_owned(),
    };
    let mut text = String::new();
    handler.render_report(&mut text, &rendered).ok()?;
    Some(text)
}
