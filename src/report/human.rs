//! The default terminal format: miette's graphical report with a source snippet, wrapped at
//! the terminal's width, and a count of findings per rule at the end when there are many.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};

/// Above this many findings, the report ends with their counts per rule, so that the overview
/// is next to the summary line instead of thousands of lines up.
pub const MANY_FINDINGS: usize = 20;

/// A page's text with its name, as miette wants a source.
struct NamedText<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// One diagnostic in miette's terms.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedText<'a>>,
    code: String,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
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
        if let Some(help) = &d.help {
            lines.push(help.clone());
        }
        for related in &d.related {
            lines.push(format!(
                "{}: {}:{}:{}",
                related.message,
                related.location.path,
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
        self.source.as_ref()?;
        // The snippet's header already names the place: the label only underlines it.
        let span = &self.diagnostic.span;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None,
            span.start,
            span.end.saturating_sub(span.start),
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
        let rendered = Rendered {
            diagnostic,
            source: report.source(diagnostic).map(|s| NamedText {
                name: &s.display,
                text: &s.text,
            }),
            code: format!(
                "{}[{}/{}]",
                diagnostic.severity, diagnostic.rule, diagnostic.name
            ),
        };
        if handler.render_report(&mut out, &rendered).is_err() {
            super::concise::write_diagnostic(&mut out, diagnostic);
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
