//! `ngxlint check [PATH...]`: lint files (with their includes), directories and stdin.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::lint::{self, ContextSource, Linted, Options};
use crate::report::{self, Finding, Summary};
use crate::rules::{Rule, Severity, is_selector};
use crate::semantics::context::Context;
use crate::semantics::directives::Version;
use crate::semantics::model::DEFAULT_VERSION;
use crate::semantics::streaming::Mode;

use super::exit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A snippet with a caret under each finding (miette).
    Text,
    /// `path:line:col: severity[rule-id] message`, one line each.
    Concise,
    /// Stable JSON, documented in the README.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML (GitLab and Jenkins test reports).
    Junit,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StreamingArg {
    Auto,
    All,
    None,
}

/// Options shared by `check`, `fix` and `inspect`.
#[derive(Clone, Debug, clap::Args)]
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
    /// Which locations stream: `auto` decides from comments, config evidence and well-known
    /// endpoints; `all` treats every proxied location as streaming; `none` only explicit
    /// `# ngxlint: streaming` comments.
    #[arg(long, value_enum)]
    pub streaming: Option<StreamingArg>,
    /// Use this config file instead of the nearest `.ngxlint.yml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every `.ngxlint.yml`.
    #[arg(long)]
    pub no_config: bool,
}

/// Everything needed to lint one root, after the config file and the flags are combined
/// (flags win).
pub struct Resolved {
    pub options: Options,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
}

impl Resolved {
    pub fn selects(&self, rule: &Rule) -> bool {
        crate::rules::is_selected(rule, self.select.as_deref(), &self.ignore)
    }
}

/// Loaded config files, by path (each loaded once per run).
#[derive(Default)]
pub struct Configs {
    loaded: HashMap<PathBuf, Config>,
}

impl TargetArgs {
    /// Options for linting `root`, from its config file (unless `--no-config`) and the flags.
    pub fn resolve(
        &self,
        root: &Path,
        configs: &mut Configs,
    ) -> Result<Resolved, Box<config::ConfigError>> {
        let cfg_path = if self.no_config {
            None
        } else {
            self.config.clone().or_else(|| Config::discover(root))
        };
        let eff = match cfg_path {
            Some(p) => {
                if !configs.loaded.contains_key(&p) {
                    let c = Config::load(&p)?;
                    configs.loaded.insert(p.clone(), c);
                }
                configs.loaded[&p].effective_for(root)
            }
            None => config::Effective::default(),
        };
        let version = self
            .nginx_version
            .or_else(|| eff.nginx_version.as_deref().and_then(Version::parse))
            .unwrap_or(DEFAULT_VERSION);
        let mut settings = crate::rules::Settings::default();
        settings.streaming.mode = match self.streaming {
            Some(StreamingArg::Auto) => Mode::Auto,
            Some(StreamingArg::All) => Mode::All,
            Some(StreamingArg::None) => Mode::None,
            None => eff.streaming_mode.unwrap_or_default(),
        };
        settings.streaming.locations = eff.streaming_locations;
        settings.streaming.upstreams = eff.streaming_upstreams;
        if let Some(m) = eff.read_timeout_min_secs {
            settings.read_timeout_min_secs = m;
        }
        settings.severities = eff.severities;
        settings.known_directives = eff.known_directives;
        Ok(Resolved {
            options: Options {
                version,
                context: self.context.map(ContextArg::context),
                prefix: self.conf_prefix.clone(),
                settings,
            },
            select: eff.select,
            ignore: eff.ignore,
            fail_on: eff.fail_on,
        })
    }

    /// [`TargetArgs::resolve`], then the command line's `--select`/`--ignore` on top (flags win
    /// for `select`, add up for `ignore`). A config error is printed; the exit code returned.
    pub fn resolve_with_flags(
        &self,
        root: &Path,
        configs: &mut Configs,
        select: &[String],
        ignore: &[String],
    ) -> Result<Resolved, u8> {
        let mut resolved = self.resolve(root, configs).map_err(|e| {
            eprintln!("{:?}", miette::Report::new(*e));
            exit::ERROR
        })?;
        if !select.is_empty() {
            resolved.select = Some(select.to_vec());
        }
        resolved.ignore.extend(ignore.iter().cloned());
        Ok(resolved)
    }

    /// Is `path` excluded by its config (for files found by walking a directory)?
    pub fn excluded(&self, path: &Path, configs: &mut Configs) -> bool {
        if self.no_config {
            return false;
        }
        let Some(p) = self.config.clone().or_else(|| Config::discover(path)) else {
            return false;
        };
        if !configs.loaded.contains_key(&p) {
            match Config::load(&p) {
                Ok(c) => {
                    configs.loaded.insert(p.clone(), c);
                }
                Err(_) => return false, // reported when the root is resolved
            }
        }
        configs.loaded[&p].is_excluded(path)
    }
}

fn parse_version(s: &str) -> Result<Version, String> {
    Version::parse(s).ok_or_else(|| format!("`{s}` is not a version like 1.24.0"))
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories (directories: every `nginx.conf` and every `*.conf` not reached
    /// through an include; `.gitignore` and `exclude` honoured). `-` reads stdin. Default: `.`.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1 (default: warning, or the config's `fail_on`).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Only these rules: comma-separated rule ids, categories (streaming, correctness, security,
    /// hardening, style), `default` (the default set) or `all`.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,
    /// Skip these rules (rule ids or categories, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Say how each file's context was decided.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print only the findings (no summary line).
    #[arg(short, long)]
    pub quiet: bool,
    /// After the findings, print how many each rule produced.
    #[arg(long)]
    pub statistics: bool,
    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With `-`: the file name stdin stands for (messages, config and include resolution).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Print the fixes as a unified diff instead of the findings; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// With --diff: include fixes that involve a choice.
    #[arg(long)]
    pub unsafe_fixes: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Every `--select`/`--ignore` entry must name a rule, a category, `default` or `all`.
pub(super) fn check_rule_ids(select: &[String], ignore: &[String]) -> Result<(), u8> {
    match select.iter().chain(ignore).find(|id| !is_selector(id)) {
        Some(id) => {
            eprintln!(
                "error: unknown rule id or category `{id}` (see `ngxlint rules`; categories: \
                 streaming, correctness, security, hardening, style; also `default`, `all`)"
            );
            Err(exit::ERROR)
        }
        None => Ok(()),
    }
}

pub(super) fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not one of error, warning, info"))
}

/// One root to lint: a path, or stdin under a name.
pub(super) enum Input {
    Path(PathBuf),
    Stdin(PathBuf),
}

impl Input {
    fn name(&self) -> &Path {
        match self {
            Input::Path(p) | Input::Stdin(p) => p,
        }
    }
}

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
            in_place_hardlinks: false,
            target: args.target.clone(),
        });
    }
    if let Err(code) = check_rule_ids(&args.select, &args.ignore) {
        return code;
    }
    let mut configs = Configs::default();
    let inputs = match collect_inputs(
        &args.paths,
        args.stdin_filename.as_deref(),
        &args.target,
        &mut configs,
    ) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    // Resolve every root's settings first (config errors stop the run before any output).
    let mut jobs = Vec::new();
    for input in inputs {
        match args
            .target
            .resolve_with_flags(input.name(), &mut configs, &args.select, &args.ignore)
        {
            Ok(resolved) => jobs.push((input, resolved)),
            Err(code) => return code,
        }
    }
    let mut stdin_text = None;
    if jobs.iter().any(|(i, _)| matches!(i, Input::Stdin(_))) {
        let max = crate::semantics::include::MAX_FILE_SIZE;
        match crate::io::read_capped(std::io::stdin().lock(), max) {
            Ok(buf) => stdin_text = Some(buf),
            Err(e) => {
                eprintln!("error: cannot read stdin: {e}");
                return exit::ERROR;
            }
        }
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let finished = std::sync::atomic::AtomicBool::new(false);
    let results = std::thread::scope(|s| {
        // Progress only on a terminal, and only once a run has taken more than a second.
        if std::io::stderr().is_terminal() && jobs.len() > 1 && !args.quiet {
            s.spawn(|| progress(&done, &finished, jobs.len()));
        }
        let r = lint_all(&jobs, stdin_text.as_deref(), &done);
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        r
    });
    let mut unreadable = false;
    let mut linted: Vec<(Linted, Severity)> = Vec::new();
    let mut reached: HashSet<PathBuf> = HashSet::new();
    for ((_, resolved), result) in jobs.iter().zip(results) {
        match result {
            Ok(l) => {
                // Files reached through includes of an earlier root are linted once.
                if reached.contains(&canonical(&l.program.file(0).path)) {
                    continue;
                }
                for f in &l.program.files {
                    reached.insert(canonical(&f.path));
                }
                linted.push((l, resolved.fail_on.unwrap_or(Severity::Warning)));
            }
            Err(e) => {
                eprintln!("error: {e}");
                unreadable = true;
            }
        }
    }
    if args.verbose {
        for (l, _) in &linted {
            let how = match l.context_source {
                ContextSource::Flag => "from --context",
                ContextSource::Comment => "from its `# ngxlint: context=` comment",
                ContextSource::Inferred => "inferred from its directives",
            };
            eprintln!(
                "{}: checked as `{}` context ({how})",
                l.program.file(0).path.display(),
                l.program.root_context.name(),
            );
        }
    }
    let fail_on_flag = args.fail_on;
    // A file reached from several roots is reported once.
    let mut seen = HashSet::new();
    let mut findings: Vec<Finding<'_>> = Vec::new();
    let mut failing = false;
    for (l, fail_on) in &linted {
        let fail_on = fail_on_flag.unwrap_or(*fail_on);
        // One canonicalize (a syscall) per file, not per finding.
        let canon: Vec<PathBuf> = l.program.files.iter().map(|f| canonical(&f.path)).collect();
        for d in &l.diagnostics {
            let key = (
                canon[d.primary.file as usize].clone(),
                d.primary.span,
                d.rule.id,
                d.message.clone(),
            );
            if seen.insert(key) {
                failing |= d.severity >= fail_on;
                findings.push(Finding {
                    diagnostic: d,
                    program: &l.program,
                });
            }
        }
    }
    let files: usize = linted.iter().map(|(l, _)| l.program.files.len()).sum();
    let summary = Summary::of(&findings, files);
    let mut text = match args.format {
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let mut t = report::text::render(&findings, color, 100);
            // "No problems found" would be a lie when an input could not be read.
            let nothing_read = unreadable && findings.is_empty();
            if !(args.quiet || nothing_read) {
                t.push_str(&summary_line(&summary));
            }
            t
        }
        Format::Concise => report::concise::render(&findings),
        Format::Json => report::json::render(&findings, summary),
        Format::Sarif => report::sarif::render(&findings),
        Format::Github => report::github::render(&findings),
        Format::Checkstyle => report::checkstyle::render(&findings),
        Format::Junit => {
            let files: Vec<String> = linted
                .iter()
                .flat_map(|(l, _)| l.program.files.iter().map(|f| f.path.display().to_string()))
                .collect();
            report::junit::render(&findings, &files)
        }
    };
    if args.statistics {
        text.push_str(&statistics(&findings));
    }
    if let Err(code) = emit(&text, args.output.as_deref()) {
        return code;
    }
    let blocked = findings
        .iter()
        .any(|f| lint::BLOCKING_RULES.contains(&f.diagnostic.rule.id));
    let code = if unreadable || blocked {
        exit::ERROR
    } else if failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    };
    // The process exits next: freeing every tree, node and finding one by one would only cost
    // time (measurable on large configurations), so let the OS reclaim it.
    std::mem::forget(findings);
    std::mem::forget(linted);
    code
}

/// `checked 120/800 files` on stderr, rewritten in place, after the first second.
fn progress(
    done: &std::sync::atomic::AtomicUsize,
    finished: &std::sync::atomic::AtomicBool,
    total: usize,
) {
    use std::sync::atomic::Ordering;
    let start = std::time::Instant::now();
    let mut shown = false;
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if start.elapsed() >= std::time::Duration::from_secs(1) {
            eprint!(
                "\rngxlint: checked {}/{total} files",
                done.load(Ordering::Relaxed)
            );
            shown = true;
        }
    }
    if shown {
        eprint!("\r\x1b[2K");
    }
}

/// Lint every job, in parallel across roots when there are several (results in input order).
fn lint_all(
    jobs: &[(Input, Resolved)],
    stdin: Option<&[u8]>,
    done: &std::sync::atomic::AtomicUsize,
) -> Vec<Result<Linted, crate::semantics::include::ReadError>> {
    let run = |(input, resolved): &(Input, Resolved)| {
        let select = |r: &Rule| resolved.selects(r);
        let _count = Counted(done);
        match input {
            Input::Path(p) => lint::lint_path(p, &resolved.options, &select),
            Input::Stdin(name) => Ok(lint::lint_source(
                name,
                stdin.unwrap_or_default().to_vec(),
                &resolved.options,
                &select,
            )),
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if jobs.len() < 2 || threads < 2 {
        return jobs.iter().map(run).collect();
    }
    let chunk = jobs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(run).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("lint thread panicked"))
            .collect()
    })
}

/// Counts a finished job when dropped (also when linting a file returns early).
struct Counted<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Write the report to `output` (atomically enough: one write) or stdout.
pub(super) fn emit(text: &str, output: Option<&Path>) -> Result<(), u8> {
    if let Some(path) = output {
        return std::fs::write(path, text).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::ERROR
        });
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {e}");
            Err(exit::ERROR)
        }
        _ => Ok(()),
    }
}

fn statistics(findings: &[Finding<'_>]) -> String {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for f in findings {
        let e = counts.entry(f.diagnostic.rule.id).or_default();
        e.0 += 1;
        if f.diagnostic.fix.is_some() {
            e.1 += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (id, (n, fixable)) in rows {
        out.push_str(&format!(
            "{n:6}  {id}{}\n",
            if fixable > 0 {
                format!(" ({fixable} fixable)")
            } else {
                String::new()
            }
        ));
    }
    out
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

/// Roots for the given paths: directories expanded (honouring `.gitignore` and `exclude`),
/// `-` as stdin, default `.`.
pub(super) fn collect_inputs(
    paths: &[PathBuf],
    stdin_name: Option<&Path>,
    target: &TargetArgs,
    configs: &mut Configs,
) -> Result<Vec<Input>, String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin(
                stdin_name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_path_buf),
            ));
        } else if p.is_dir() {
            for root in crate::inputs::directory_roots(&p)? {
                if !target.excluded(&root, configs) {
                    out.push(Input::Path(root));
                }
            }
        } else {
            out.push(Input::Path(p));
        }
    }
    Ok(out)
}

/// Paths only (for `fix`, which cannot fix stdin).
pub(super) fn expand_paths(
    paths: &[PathBuf],
    target: &TargetArgs,
    configs: &mut Configs,
) -> Result<Vec<PathBuf>, String> {
    Ok(collect_inputs(paths, None, target, configs)?
        .into_iter()
        .filter_map(|i| match i {
            Input::Path(p) => Some(p),
            Input::Stdin(_) => None,
        })
        .collect())
}
