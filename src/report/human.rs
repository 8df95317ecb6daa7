//! The default terminal format: miette's graphical report with a source snippet.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Applicability;

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
        if let Some(fix) = &d.fix {
            let flags = match fix.applicability {
                Applicability::Safe => "--fix",
                Applicability::Unsafe => "--fix --unsafe-fixes",
            };
            lines.push(format!("{} (fixable with {flags})", fix.message));
        }
        if let Some(help) = d
            .help
            .as_ref()
            .filter(|h| d.fix.as_ref().is_none_or(|f| &f.message != *h))
        {
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
        let span = &self.diagnostic.span;
        let label = format!(
            "{}:{}:{}",
            self.diagnostic.location.path,
            self.diagnostic.location.line,
            self.diagnostic.location.column
        );
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            span.start,
            span.end.saturating_sub(span.start),
        ))))
    }
}

/// Renders every diagnostic with a snippet of its source.
pub fn render(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(120)
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
            code: format!("{}/{}", diagnostic.rule, diagnostic.name),
        };
        if handler.render_report(&mut out, &rendered).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                diagnostic.location.path,
                diagnostic.location.line,
                diagnostic.location.column,
                diagnostic.severity,
                rendered.code,
                diagnostic.message
            ));
        }
        out.push('\n');
    }
    out
}
