//! `ngxlint check [PATH...]`: lint files (with their includes) and directories.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::lint::{self, ContextSource, Linted, Options};
use crate::report::{self, Finding, Summary};
use crate::rules::{Rule, Severity, rule_by_id};
use crate::semantics::context::Context;
use crate::semantics::directives::Version;
use crate::semantics::model::DEFAULT_VERSION;

use super::exit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A snippet with a caret under each finding (miette).
    Text,
    /// `path:line:col: severity[rule-id] message`, one line each.
    Concise,
    /// Stable JSON, documented in the README.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ContextArg {
    Main,
    Http,
    Server,
    Location,
    Stream,
}

impl ContextArg {
    fn context(self) -> Context {
        match self {
            ContextArg::Main => Context::Main,
            ContextArg::Http => Context::Http,
            ContextArg::Server => Context::HttpServer,
            ContextArg::Location => Context::HttpLocation,
            ContextArg::Stream => Context::Stream,
        }
    }
}

/// Options shared by `check` and `inspect`.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// nginx version to check against (defaults and directives differ by version). Default:
    /// 1.28.0, i.e. the behaviour before 1.29.7 changed `proxy_http_version` to 1.1, stopped
    /// sending `Connection: close` upstream and turned on upstream keepalive — what most
    /// distributions ship.
    #[arg(long, value_name = "X.Y.Z", value_parser = parse_version)]
    pub nginx_version: Option<Version>,
    /// Context of a file's top level when it is a fragment (default: a first-line
    /// `# ngxlint: context=...` comment, else inferred from its directives).
    #[arg(long, value_enum)]
    pub context: Option<ContextArg>,
    /// Directory relative `include` paths resolve against, like `nginx -p`'s conf prefix
    /// (default: the directory of each checked file).
    #[arg(long, value_name = "DIR")]
    pub conf_prefix: Option<PathBuf>,
}

impl TargetArgs {
    pub fn options(&self) -> Options {
        Options {
            version: self.nginx_version.unwrap_or(DEFAULT_VERSION),
            context: self.context.map(ContextArg::context),
            prefix: self.conf_prefix.clone(),
            settings: crate::rules::Settings::default(),
        }
    }
}

fn parse_version(s: &str) -> Result<Version, String> {
    Version::parse(s).ok_or_else(|| format!("`{s}` is not a version like 1.24.0"))
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories (directories: every `nginx.conf` and every `*.conf` not reached
    /// through an include). Default: the current directory.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_name = "SEVERITY", default_value = "warning", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,
    /// Skip these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Say how each file's context was decided.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print the fixes as a unified diff instead of the findings; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// With --diff: include fixes that involve a choice.
    #[arg(long)]
    pub unsafe_fixes: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

pub(super) fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not one of error, warning, info"))
}

/// Rules whose findings mean the configuration could not be fully checked (exit 2).
const BLOCKING: &[&str] = &["syntax-error", "include-not-found", "include-cycle"];

pub fn run(args: &CheckArgs) -> u8 {
    if args.diff {
        return super::fix::run(&super::fix::FixArgs {
            paths: args.paths.clone(),
            diff: true,
            unsafe_fixes: args.unsafe_fixes,
            verify: false,
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            fail_on: args.fail_on,
            target: TargetArgs {
                nginx_version: args.target.nginx_version,
                context: args.target.context,
                conf_prefix: args.target.conf_prefix.clone(),
            },
        });
    }
    for id in args.select.iter().chain(&args.ignore) {
        if rule_by_id(id).is_none() {
            eprintln!("error: unknown rule id `{id}` (see `ngxlint rules`)");
            return exit::ERROR;
        }
    }
    let select = |r: &Rule| {
        (args.select.is_empty() || args.select.iter().any(|s| s == r.id))
            && !args.ignore.iter().any(|s| s == r.id)
    };
    let opts = args.target.options();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut unreadable = false;
    let mut results: Vec<Linted> = Vec::new();
    let mut reached: HashSet<PathBuf> = HashSet::new();
    for path in &paths {
        if path.is_dir() {
            for root in directory_roots(path) {
                if reached.contains(&canonical(&root)) {
                    continue;
                }
                match lint::lint_path(&root, &opts, &select) {
                    Ok(l) => {
                        for f in &l.program.files {
                            reached.insert(canonical(&f.path));
                        }
                        results.push(l);
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        unreadable = true;
                    }
                }
            }
        } else {
            match lint::lint_path(path, &opts, &select) {
                Ok(l) => {
                    for f in &l.program.files {
                        reached.insert(canonical(&f.path));
                    }
                    results.push(l);
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    unreadable = true;
                }
            }
        }
    }
    if args.verbose {
        for l in &results {
            let how = match l.context_source {
                ContextSource::Flag => "from --context",
                ContextSource::Comment => "from its `# ngxlint: context=` comment",
                ContextSource::Inferred => "inferred from its directives",
            };
            eprintln!(
                "{}: checked as `{}` context ({how}), nginx {}",
                l.program.file(0).path.display(),
                l.program.root_context.name(),
                opts.version
            );
        }
    }
    // A file reached from several roots is reported once.
    let mut seen = HashSet::new();
    let mut findings: Vec<Finding<'_>> = Vec::new();
    for l in &results {
        for d in &l.diagnostics {
            let f = l.program.file(d.primary.file);
            let key = (
                canonical(&f.path),
                d.primary.span,
                d.rule.id,
                d.message.clone(),
            );
            if seen.insert(key) {
                findings.push(Finding {
                    diagnostic: d,
                    program: &l.program,
                });
            }
        }
    }
    let files: usize = results.iter().map(|l| l.program.files.len()).sum();
    let summary = Summary::of(&findings, files);
    let text = match args.format {
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let mut t = report::text::render(&findings, color, 100);
            t.push_str(&summary_line(&summary));
            t
        }
        Format::Concise => report::concise::render(&findings),
        Format::Json => report::json::render(&findings, summary),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return exit::ERROR;
    }
    let blocked = findings
        .iter()
        .any(|f| BLOCKING.contains(&f.diagnostic.rule.id));
    if unreadable || blocked {
        exit::ERROR
    } else if findings
        .iter()
        .any(|f| f.diagnostic.severity >= args.fail_on)
    {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

fn summary_line(s: &Summary) -> String {
    if s.errors + s.warnings + s.infos == 0 {
        return format!("No problems found in {} file(s).\n", s.files);
    }
    format!(
        "Found {} error(s), {} warning(s), {} info in {} file(s){}.\n",
        s.errors,
        s.warnings,
        s.infos,
        s.files,
        if s.fixable > 0 {
            format!("; {} with a fix (`ngxlint fix`)", s.fixable)
        } else {
            String::new()
        }
    )
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned())
}

/// Every root to lint for the given paths (directories expanded, default `.`).
pub(super) fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(directory_roots(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Roots of a directory: every `nginx.conf` first (they pull in their includes), then every
/// other `*.conf`, sorted, so files reached through an include are linted with their context.
fn directory_roots(dir: &Path) -> Vec<PathBuf> {
    let mut mains = Vec::new();
    let mut others = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name == "nginx.conf" {
            mains.push(entry.into_path());
        } else if name.ends_with(".conf") {
            others.push(entry.into_path());
        }
    }
    mains.extend(others);
    mains
}
