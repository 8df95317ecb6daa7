//! The `doclint` command line: arguments, output and exit codes only; the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use doclint::config::Catalogue;
use doclint::diagnostic::Severity;
use doclint::fixer;
use doclint::pipeline::{self, CheckOptions, RunError};
use doclint::report::{self, Report};

/// Lint Markdown REST API reference docs (Microsoft Graph / OneDrive style).
#[derive(Parser, Debug)]
#[command(
    name = "doclint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
#[command(
    after_help = "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, configuration or internal error.\nRules: `doclint rules`; one rule in detail: `doclint explain DL401`."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check files and directories (the default command).
    Check(CheckArgs),
    /// List the rules: id, name, default severity, automatic fix (safe or unsafe) and summary.
    Rules {
        /// Print a Markdown table, each id linked to the rule's published page.
        #[arg(long)]
        markdown: bool,
        /// Write the rule pages of the web site into DIR: `<ID>.html` per rule and `index.html`
        /// (what the release publishes; `doclint explain ID` prints a page offline).
        #[arg(long, value_name = "DIR", conflicts_with = "markdown")]
        docs: Option<PathBuf>,
    },
    /// Explain a rule: what it checks, why, an example, and how to fix or silence it; or list
    /// the rules of a family.
    Explain {
        /// A rule id (DL401), a rule name (link-target-missing) or a family (links).
        rule: String,
    },
    /// Print the effective configuration for the given paths.
    Config {
        /// Files or directories (default ".").
        paths: Vec<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// List the permission scopes used in the doc set, one a line, for `[permissions]
    /// known-scopes`; likely typos are listed as `#` comments with the scope meant.
    Scopes {
        /// A directory of the doc set (default ".").
        paths: Vec<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Export a description of the API the docs document.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Run the language server (LSP 3.17 on standard input and output) for editors: the
    /// findings of the open pages as they are typed, with hover and quick fixes.
    Lsp,
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// An OpenAPI 3.1 description: JSON, or YAML when FILE ends in .yaml or .yml. What the
    /// description cannot hold is listed on stderr; the exit code is 0 once it is written.
    Openapi {
        /// The doc set's directories (default ".").
        paths: Vec<PathBuf>,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
        /// Print the description only: no findings or counts on stderr.
        #[arg(long, short)]
        quiet: bool,
        /// Worker threads (default: one per core).
        #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
        jobs: usize,
    },
}

#[derive(Args, Debug, Clone, Default)]
struct ConfigArgs {
    /// Use this configuration file instead of discovering doclint.toml / .doclint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no configuration file (built-in defaults and the ApiDoctor import only).
    #[arg(long)]
    no_config: bool,
    /// Do not import ApiDoctor's JSON configuration found in the doc set.
    #[arg(long)]
    no_apidoctor_config: bool,
}

#[derive(Args, Debug, Clone, Default)]
struct CheckArgs {
    /// Files or directories to check (default ".").
    paths: Vec<PathBuf>,
    #[command(flatten)]
    config: ConfigArgs,
    /// Output format, repeatable; FMT=FILE writes that format to a file. Formats: human
    /// (default on a terminal), concise (default otherwise), json, sarif, github, junit.
    #[arg(long = "format", value_name = "FMT[=FILE]")]
    formats: Vec<String>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Only these rules: ids, names or families, comma-separated or repeated.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// Not these rules: ids, names or families, comma-separated or repeated.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Excluded paths stay excluded when named explicitly (for pre-commit).
    #[arg(long)]
    force_exclude: bool,
    /// With named files: also run the doc-set-wide rules.
    #[arg(long)]
    whole_docset: bool,
    /// Hide the findings recorded in this baseline file; entries that no longer occur are
    /// listed on stderr.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every finding of this run in a baseline file, print nothing else and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "diff_base"])]
    write_baseline: Option<PathBuf>,
    /// Report only findings on lines added or changed since `git merge-base REF HEAD` (and
    /// findings about a whole changed file).
    #[arg(long, value_name = "REF")]
    diff_base: Option<String>,
    /// Apply the safe fixes in place, checking again until nothing changes (at most 10
    /// rounds), then report what is left.
    #[arg(long, conflicts_with = "write_baseline")]
    fix: bool,
    /// With --fix or --diff: also apply the fixes marked unsafe (review what they change).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff (`git apply` reads it) instead of writing them; exit
    /// 1 when there is something to fix, else 0.
    #[arg(long, conflicts_with_all = ["write_baseline", "fix"])]
    diff: bool,
    /// Print counts per rule instead of each diagnostic.
    #[arg(long)]
    statistics: bool,
    /// Print diagnostics only: no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// When to use colour (`NO_COLOR` is honoured with auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Hold the resource pages matching GLOB (default: every checked page) against a service
    /// metadata (CSDL/EDMX) file; repeatable, the first matching GLOB wins.
    #[arg(long, value_name = "[GLOB=]FILE")]
    metadata: Vec<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
enum FailOn {
    #[default]
    Error,
    Warning,
}

#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// An output format and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Output {
    format: Format,
    file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
}

impl Format {
    const NAMES: &'static str = "human, concise, json, sarif, github, junit";

    fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "human" | "full" => Format::Human,
            "concise" | "text" => Format::Concise,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "junit" => Format::Junit,
            _ => return None,
        })
    }
}

fn main() -> ExitCode {
    check_stdout();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Rules { markdown, docs }) => print_rules(markdown, docs),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Config { paths, config }) => show_config(paths, config),
        Some(Command::Scopes { paths, config }) => list_scopes(paths, config),
        Some(Command::Export(ExportCommand::Openapi {
            paths,
            output,
            config,
            quiet,
            jobs,
        })) => export_openapi(paths, output, config, quiet, jobs),
        Some(Command::Check(args)) => run_check(args),
        Some(Command::Lsp) => doclint::lsp::serve(),
        None => run_check(cli.check),
    }
}

fn load_options(
    args: &ConfigArgs,
    select: Vec<String>,
    ignore: Vec<String>,
) -> doclint::config::LoadOptions {
    doclint::config::LoadOptions {
        config: args.config.clone(),
        no_config: args.no_config,
        no_apidoctor_config: args.no_apidoctor_config,
        select,
        ignore,
        metadata: Vec::new(),
    }
}

fn parse_outputs(specs: &[String]) -> Result<Vec<Output>, String> {
    let mut outputs = Vec::new();
    for spec in specs {
        let (name, file) = match spec.split_once('=') {
            Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
            Some((name, _)) => return Err(format!("--format {name}= needs a file name after `=`")),
            None => (spec.as_str(), None),
        };
        let format = Format::parse(name).ok_or_else(|| {
            format!(
                "unknown output format {name:?}; use one of {}",
                Format::NAMES
            )
        })?;
        outputs.push(Output { format, file });
    }
    if outputs.iter().filter(|o| o.file.is_none()).count() > 1 {
        return Err(
            "only one --format can print to standard output; write the others to files with FMT=FILE"
                .into(),
        );
    }
    if outputs.iter().all(|o| o.file.is_some()) {
        let format = if std::io::stdout().is_terminal() {
            Format::Human
        } else {
            Format::Concise
        };
        outputs.insert(0, Output { format, file: None });
    }
    Ok(outputs)
}

fn run_check(args: CheckArgs) -> ExitCode {
    if let Some(message) = mistyped_command(&args.paths) {
        return usage_error(&message);
    }
    let outputs = match parse_outputs(&args.formats) {
        Ok(outputs) => outputs,
        Err(message) => return usage_error(&message),
    };
    let mut load = load_options(&args.config, args.select.clone(), args.ignore.clone());
    load.metadata = args.metadata.clone();
    let options = CheckOptions {
        load,
        paths: args.paths.clone(),
        threads: args.jobs,
        force_exclude: args.force_exclude,
        whole_docset: args.whole_docset,
        baseline: args.baseline.clone(),
        diff_base: args.diff_base.clone(),
        without_sources: !outputs.iter().any(|o| o.format == Format::Human),
        ..Default::default()
    };
    if args.diff {
        return print_fix_diff(&options, args.unsafe_fixes, args.quiet);
    }
    let (report, fix_write_failed) = if args.fix {
        match fix_in_place(&options, args.unsafe_fixes, args.quiet) {
            Ok(fixed) => fixed,
            Err(error) => return run_error(&error),
        }
    } else {
        match pipeline::check(&options) {
            Ok(report) => (report, false),
            Err(error) => return run_error(&error),
        }
    };
    if let Some(path) = &args.write_baseline {
        return write_baseline(&report, path, args.quiet);
    }
    let reporting = std::time::Instant::now();
    let fail_on = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb and whether stdout is a terminal.
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    let mut human_on_stdout = false;
    let mut write_failed = false;
    for output in &outputs {
        let emit = |out: &mut dyn Write| {
            emit(
                &report,
                output.format,
                color && output.file.is_none(),
                args.statistics,
                fail_on,
                out,
            )
        };
        match &output.file {
            Some(path) => {
                if let Err(error) = doclint::files::write_atomically(path, emit) {
                    eprintln!(
                        "error: cannot write the report to {}: {error}",
                        path.display()
                    );
                    write_failed = true;
                }
            }
            None => {
                human_on_stdout |= output.format == Format::Human;
                write_failed |= write_stdout(emit).is_err();
            }
        }
    }
    if outputs.iter().any(|o| o.format == Format::Github) {
        if let Err(message) = append_step_summary(&report) {
            eprintln!("warning: {message}");
        }
    }
    if let Some(stale) = &report.stale_baseline {
        print_stale(stale, args.baseline.as_deref());
    }
    if std::env::var_os("DOCLINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0") {
        print_timings(&report, reporting.elapsed());
    }
    let no_pages = report.files == 0;
    if !args.quiet {
        let mut line = report.summary_line();
        if no_pages {
            line.push_str("; no pages found");
        }
        if let Some(hint) = fixable_hint(&report, args.unsafe_fixes) {
            line.push('\n');
            line.push_str(&hint);
        }
        line.push('\n');
        if human_on_stdout {
            write_failed |= write_stdout(|out| out.write_all(line.as_bytes())).is_err();
        } else {
            eprint!("{line}");
        }
    }
    if no_pages {
        // ApiDoctor's NoDocumentsFound.
        eprintln!(
            "warning: no Markdown pages found under {}",
            listed_paths(&args.paths)
        );
    }
    let code = if write_failed || fix_write_failed {
        ExitCode::from(2)
    } else if no_pages && fail_on <= Severity::Warning {
        // ApiDoctor's NoDocumentsFound: a warning, which fails a run that fails on warnings.
        ExitCode::from(1)
    } else {
        exit_code(&report, fail_on)
    };
    // The process ends here: freeing every page of a large doc set one by one would only
    // cost time (a tenth of a short run).
    std::mem::forget(report);
    code
}

/// Prints the wall time of each phase of the run on standard error (`DOCLINT_TIMINGS=1`).
fn print_timings(report: &Report, reporting: std::time::Duration) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let phases: Vec<String> = report
        .phases
        .iter()
        .chain([&("report", reporting)])
        .map(|(name, d)| format!("{name} {:.1} ms", ms(*d)))
        .collect();
    eprintln!(
        "timings: {} (run {:.1} ms)",
        phases.join(", "),
        ms(report.elapsed)
    );
}

/// Whether a diagnostic's fix is applied by this run's `--fix` or `--diff`.
fn wanted(unsafe_fixes: bool) -> impl Fn(&doclint::diagnostic::Diagnostic) -> bool {
    move |d| d.fix.as_ref().is_some_and(|f| f.applies(unsafe_fixes))
}

/// `--fix`: applies the fixes, writes the changed pages and says how many; returns the check
/// of the fixed pages and whether a page could not be written.
fn fix_in_place(
    options: &CheckOptions,
    unsafe_fixes: bool,
    quiet: bool,
) -> Result<(Report, bool), RunError> {
    let outcome = fixer::fix(options, wanted(unsafe_fixes))?;
    let mut failed = false;
    let mut written = 0;
    for file in &outcome.files {
        match file.write() {
            Ok(()) => written += 1,
            Err(message) => {
                eprintln!("error: {message}");
                failed = true;
            }
        }
    }
    if !quiet && outcome.applied > 0 {
        eprintln!(
            "fixed {} in {}",
            plural(outcome.applied, "finding"),
            plural(written, "file")
        );
    }
    Ok((outcome.report, failed))
}

/// `--diff`: prints the fixes as a unified diff; exit 1 when there is something to fix.
fn print_fix_diff(options: &CheckOptions, unsafe_fixes: bool, quiet: bool) -> ExitCode {
    let outcome = match fixer::fix(options, wanted(unsafe_fixes)) {
        Ok(outcome) => outcome,
        Err(error) => return run_error(&error),
    };
    let printed = write_stdout(|out| {
        outcome
            .files
            .iter()
            .try_for_each(|file| out.write_all(file.unified_diff().as_bytes()))
    });
    if !quiet {
        eprintln!(
            "{} would fix {} in {}",
            if outcome.files.is_empty() {
                "nothing to fix:"
            } else {
                "--fix"
            },
            plural(outcome.applied, "finding"),
            plural(outcome.files.len(), "file")
        );
    }
    if printed.is_err() || outcome.report.has_internal_error() {
        ExitCode::from(2)
    } else if outcome.files.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `N fixable with --fix`, after the summary, when some findings have fixes this run did not
/// apply.
fn fixable_hint(report: &Report, unsafe_fixes: bool) -> Option<String> {
    let applicable = wanted(unsafe_fixes);
    let fixable = report.diagnostics.iter().filter(|d| applicable(d)).count();
    let unsafe_only = report
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some() && !applicable(d))
        .count();
    let flags = if unsafe_fixes {
        "`--fix --unsafe-fixes`"
    } else {
        "`--fix`"
    };
    match (fixable, unsafe_only) {
        (0, 0) => None,
        (0, n) => Some(format!(
            "{} fixable with `--fix --unsafe-fixes`",
            plural(n, "finding")
        )),
        (n, 0) => Some(format!("{} fixable with {flags}", plural(n, "finding"))),
        (n, m) => Some(format!(
            "{} fixable with {flags} ({m} more with `--unsafe-fixes`)",
            plural(n, "finding")
        )),
    }
}

/// `1 file`, `2 files`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Whether standard output was closed when doclint started (`doclint >&-`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes whether standard output was closed when doclint started. The Rust runtime opens
/// `/dev/null` (read-write) in place of a closed standard descriptor before `main`, so a
/// closed standard output shows as `/dev/null` opened read-write, which a shell redirection
/// (`> /dev/null`, write-only) never gives.
fn check_stdout() {
    #[cfg(target_os = "linux")]
    {
        let null = std::fs::read_link("/proc/self/fd/1")
            .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
        let read_write = || {
            let info = std::fs::read_to_string("/proc/self/fdinfo/1").unwrap_or_default();
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        };
        if null && read_write() {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Writes to standard output. A closed pipe (`doclint … | head`) ends the output quietly; any
/// other failure (a full disk, a closed standard output) is reported on stderr and is `Err`
/// (exit 2): a report cut short must never look complete.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), ()> {
    let mut counted = CountingWriter {
        inner: std::io::BufWriter::new(std::io::stdout().lock()),
        written: 0,
    };
    let result = write(&mut counted).and_then(|()| counted.flush());
    let closed = STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed);
    match result {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            eprintln!("error: cannot write to standard output: {error}");
            Err(())
        }
        Ok(()) if closed && counted.written > 0 => {
            eprintln!("error: cannot write to standard output: it is closed");
            Err(())
        }
        Ok(()) => Ok(()),
    }
}

/// A writer that counts the bytes written through it.
struct CountingWriter<W> {
    inner: W,
    written: usize,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Prints text on standard output and ends the command: exit 0, or 2 when it cannot be
/// written.
fn print_and_exit(text: &str) -> ExitCode {
    match write_stdout(|out| out.write_all(text.as_bytes())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::from(2),
    }
}

/// Writes the report in one output format.
fn emit(
    report: &Report,
    format: Format,
    color: bool,
    statistics: bool,
    fail_on: Severity,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Json => return report::json::write(report, out),
        Format::Sarif => report::sarif::render(report),
        Format::Github => report::github::render(report),
        Format::Junit => report::junit::render(report, fail_on),
        _ if statistics => report::statistics::render(report),
        Format::Human => report::human::render(report, color, output_width()),
        Format::Concise => report::concise::render(report),
    };
    out.write_all(text.as_bytes())
}

/// The width human output wraps at: `COLUMNS` when set, else the terminal's, else 100.
fn output_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .or_else(|| terminal_size::terminal_size().map(|(width, _)| usize::from(width.0)))
        .unwrap_or(100)
        .max(40)
}

/// Appends the Markdown job summary to `$GITHUB_STEP_SUMMARY`, when it is set.
fn append_step_summary(report: &Report) -> Result<(), String> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("cannot open $GITHUB_STEP_SUMMARY: {e}"))?;
    file.write_all(report::github::step_summary(report).as_bytes())
        .map_err(|e| format!("cannot write $GITHUB_STEP_SUMMARY: {e}"))
}

/// Lists the baseline entries that no longer occur (stderr; they never fail the run).
fn print_stale(stale: &[report::baseline::Entry], baseline: Option<&std::path::Path>) {
    if stale.is_empty() {
        return;
    }
    let name = baseline.map_or_else(String::new, |p| format!(" {}", p.display()));
    let mut err = std::io::stderr().lock();
    for entry in stale {
        let _ = writeln!(err, "baseline entry no longer occurs: {}", entry.describe());
    }
    let entries = match stale.len() {
        1 => "1 baseline entry no longer occurs".to_string(),
        n => format!("{n} baseline entries no longer occur"),
    };
    let _ = writeln!(
        err,
        "{entries}; shrink the baseline with --write-baseline{name}"
    );
}

/// `--write-baseline`: records every finding and exits 0.
fn write_baseline(report: &Report, path: &std::path::Path, quiet: bool) -> ExitCode {
    let baseline = report::baseline::Baseline::record(&report.diagnostics);
    if let Err(message) = baseline.write(path) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    if !quiet {
        let findings = match report.diagnostics.len() {
            1 => "1 finding".to_string(),
            n => format!("{n} findings"),
        };
        eprintln!("wrote {findings} to the baseline {}", path.display());
    }
    ExitCode::SUCCESS
}

fn exit_code(report: &Report, threshold: Severity) -> ExitCode {
    if report.has_internal_error() {
        return ExitCode::from(2);
    }
    if report.diagnostics.iter().any(|d| d.severity >= threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The checked paths as the user gave them, for messages.
fn listed_paths(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return ".".into();
    }
    let names: Vec<String> = paths
        .iter()
        .map(|p| report::escape::line(&p.display().to_string()).into_owned())
        .collect();
    names.join(", ")
}

/// A first path that does not exist and is a near miss of a command name (`doclint explian
/// DL401`): the usage error that says so.
fn mistyped_command(paths: &[PathBuf]) -> Option<String> {
    let word = paths.first()?.to_str()?;
    let bare = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !bare || std::fs::symlink_metadata(word).is_ok() {
        return None;
    }
    let command = Cli::command();
    let names = command.get_subcommands().map(|c| c.get_name());
    let name = doclint::closest(word, names)?;
    Some(format!(
        "unknown command {word:?} (and no file or directory of that name); did you mean `doclint {name}`?"
    ))
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn run_error(error: &RunError) -> ExitCode {
    match error {
        RunError::Config(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
        }
        other => eprintln!("error: {}", report::escape::line(&other.to_string())),
    }
    ExitCode::from(2)
}

fn print_rules(markdown: bool, docs: Option<PathBuf>) -> ExitCode {
    if let Some(dir) = docs {
        return match doclint::rule_docs::write_site(&dir) {
            Ok(written) => {
                eprintln!(
                    "wrote {} pages to {}",
                    written.len(),
                    report::escape::line(&dir.display().to_string())
                );
                ExitCode::SUCCESS
            }
            Err(error) => usage_error(&format!(
                "cannot write the rule pages to {}: {error}",
                dir.display()
            )),
        };
    }
    let out = if markdown {
        doclint::rule_docs::index_table(doclint::rule_docs::rule_url)
    } else {
        Catalogue::builtin()
            .rules()
            .iter()
            .map(doclint::rule_docs::rule_line)
            .collect()
    };
    print_and_exit(&out)
}

fn explain(key: &str) -> ExitCode {
    let catalogue = Catalogue::builtin();
    if let Some(rule) = catalogue.get(key) {
        return print_and_exit(&doclint::rule_docs::explanation(rule));
    }
    if let Some((family, rules)) = catalogue.family(key) {
        return print_and_exit(&doclint::rule_docs::family_listing(family, &rules));
    }
    let hint = catalogue.suggest(key).map_or_else(
        || "; `doclint rules` lists them".into(),
        |s| format!("; did you mean {s:?}?"),
    );
    usage_error(&format!("unknown rule, rule name or family {key:?}{hint}"))
}

fn show_config(paths: Vec<PathBuf>, config: ConfigArgs) -> ExitCode {
    let options = CheckOptions {
        load: load_options(&config, Vec::new(), Vec::new()),
        paths,
        threads: 0,
        force_exclude: false,
        whole_docset: false,
        ..Default::default()
    };
    match pipeline::describe(&options) {
        Ok(description) => match description.render() {
            Ok(text) => print_and_exit(&text),
            Err(message) => usage_error(&format!("cannot write the configuration: {message}")),
        },
        Err(error) => run_error(&error),
    }
}

fn list_scopes(paths: Vec<PathBuf>, config: ConfigArgs) -> ExitCode {
    let options = CheckOptions {
        load: load_options(&config, Vec::new(), Vec::new()),
        paths,
        ..Default::default()
    };
    let usage = match pipeline::scope_usage(&options) {
        Ok(usage) => usage,
        Err(error) => return run_error(&error),
    };
    let mut out = String::new();
    for (scope, intended) in usage.list() {
        match intended {
            Some(intended) => out.push_str(&format!(
                "# {scope}  (likely a typo of {intended}; left out)\n"
            )),
            None => out.push_str(&format!("{scope}\n")),
        }
    }
    print_and_exit(&out)
}

fn export_openapi(
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    config: ConfigArgs,
    quiet: bool,
    jobs: usize,
) -> ExitCode {
    use doclint::export::openapi;
    let started = std::time::Instant::now();
    let options = CheckOptions {
        load: load_options(&config, Vec::new(), Vec::new()),
        paths,
        threads: jobs,
        ..Default::default()
    };
    let export = match openapi::export(&options) {
        Ok(export) => export,
        Err(error) => return run_error(&error),
    };
    let written = match &output {
        Some(path) => openapi::write(&export.document, path),
        None => openapi::to_json(&export.document).and_then(|text| {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write the description: {e}"))
                }
                _ => Ok(()),
            }
        }),
    };
    if let Err(message) = written {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    if !quiet {
        let mut err = std::io::stderr().lock();
        for finding in &export.findings {
            let _ = writeln!(err, "{finding}");
        }
        let s = export.statistics;
        let share = |n: usize| (n * 100).checked_div(s.operations).unwrap_or(0);
        let _ = writeln!(
            err,
            "{} paths, {} operations ({}% with security, {}% with a response schema, {}% answering without a body), {} schemas; {} URLs documented again by another page merged, {} findings ({:.1} s)",
            s.paths,
            s.operations,
            share(s.with_security),
            share(s.with_response_schema),
            share(s.without_body),
            s.schemas,
            s.merged,
            export.findings.len(),
            started.elapsed().as_secs_f64()
        );
    }
    std::mem::forget(export);
    ExitCode::SUCCESS
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
