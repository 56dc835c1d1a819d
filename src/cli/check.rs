//! `ngxlint check [PATH...]`: lint files (with their includes), directories and stdin. The
//! work is done by [`crate::workspace`]; this module turns flags into its options and prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::lint::{self, ContextSource};
use crate::report;
use crate::rules::Severity;
use crate::workspace::{self, Input, Workspace};

pub use super::args::{
    ColorChoice, ContextArg, Format, StreamingArg, TargetArgs, check_rule_ids, emit, parse_severity,
};
use super::exit;

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
    /// Say how each file's context was decided, and which container paths are read from the
    /// project's files (as its Dockerfile or Compose file puts them there).
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
    /// Report only findings not recorded in this baseline file (see `ngxlint baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: record the current findings in it instead of filtering.
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Read the input (a file or `-`) as `nginx -T` output: every file nginx read, linted as
    /// one program, findings reported against the original paths. Dumps are recognised
    /// without it; with it, anything else is an error.
    #[arg(long)]
    pub nginx_dump: bool,
    /// Exit 0 even when findings are reported (2 still means the configuration could not be
    /// fully checked).
    #[arg(long)]
    pub exit_zero: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

/// `ngxlint suppress`: add `# ngxlint: ignore` comments for the current findings.
#[derive(Debug, clap::Args)]
pub struct SuppressArgs {
    /// Why these findings are accepted (written into every comment added).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[command(flatten)]
    pub check: CheckArgs,
}

impl CheckArgs {
    pub fn output_options(&self) -> super::output::Output<'_> {
        super::output::Output {
            format: self.format,
            color: self.color,
            quiet: self.quiet,
            statistics: self.statistics,
            output: self.output.as_ref(),
        }
    }
}

/// What a run does with its findings.
enum Mode<'a> {
    Report,
    /// Write a baseline of them to this file.
    Baseline(&'a std::path::Path),
    /// Add suppression comments with this reason.
    Suppress(&'a str),
}

pub fn run(args: &CheckArgs) -> u8 {
    match (&args.baseline, args.update_baseline) {
        (Some(b), true) => run_mode(args, &Mode::Baseline(b)),
        _ => run_mode(args, &Mode::Report),
    }
}

/// `ngxlint baseline [--baseline FILE]` (default `.ngxlint-baseline.json`).
pub fn run_baseline(args: &CheckArgs) -> u8 {
    let path = args
        .baseline
        .clone()
        .unwrap_or_else(|| PathBuf::from(workspace::baseline::DEFAULT_PATH));
    run_mode(args, &Mode::Baseline(&path))
}

pub fn run_suppress(args: &SuppressArgs) -> u8 {
    if args.reason.trim().is_empty() {
        eprintln!("error: --reason must say why the findings are accepted");
        return exit::ERROR;
    }
    run_mode(&args.check, &Mode::Suppress(&args.reason))
}

fn run_mode(args: &CheckArgs, mode: &Mode<'_>) -> u8 {
    if args.diff {
        let mut fix = super::fix::FixArgs::for_diff(
            args.paths.clone(),
            args.unsafe_fixes,
            args.target.clone(),
        );
        fix.select = args.select.clone();
        fix.ignore = args.ignore.clone();
        fix.fail_on = args.fail_on;
        fix.stdin_filename = args.stdin_filename.clone();
        return super::fix::run(&fix);
    }
    if let Err(code) = check_rule_ids(&args.select, &args.ignore) {
        return code;
    }
    let mut target = args.target.target(&args.select, &args.ignore);
    target.nginx_dump = args.nginx_dump;
    // The concise and Checkstyle reports show a finding's place, severity, rule and message,
    // nothing else (`--statistics` counts the fixable ones; a baseline or suppressions need
    // the whole).
    target.brief = matches!(mode, Mode::Report)
        && matches!(args.format, Format::Concise | Format::Checkstyle)
        && !args.statistics;
    let mut ws = Workspace::new(target);
    let inputs = match ws.inputs(&args.paths, args.stdin_filename.as_deref()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    // Resolve every root's settings first (config errors stop the run before any output).
    let jobs = match ws.jobs(inputs) {
        Ok(j) => j,
        Err(e) => return super::args::config_error(*e),
    };
    if !args.quiet {
        let mut said = Vec::new();
        for j in &jobs {
            super::args::note_image_version(j.resolved.version_from.as_ref(), &mut said);
        }
    }
    let mut stdin_text = None;
    if jobs.iter().any(|j| matches!(j.input, Input::Stdin(_))) {
        let max = crate::semantics::include::MAX_FILE_SIZE;
        match crate::io::read_capped(std::io::stdin().lock(), max) {
            Ok(buf) => stdin_text = Some(buf),
            Err(e) => {
                eprintln!("error: cannot read stdin: {e}");
                return exit::ERROR;
            }
        }
    }
    let started = std::time::SystemTime::now();
    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let run = std::thread::scope(|s| {
        // Progress only on a terminal, and only once a run has taken more than a second.
        if std::io::stderr().is_terminal() && jobs.len() > 1 && !args.quiet {
            s.spawn(|| progress(&done, &finished, jobs.len()));
        }
        let r = workspace::check(&mut ws, &jobs, stdin_text.as_deref(), &done);
        finished.store(true, Ordering::Relaxed);
        r
    });
    for e in &run.errors {
        eprintln!("error: {e}");
    }
    let unreadable = !run.errors.is_empty();
    if args.verbose {
        // Container paths read from the project's own files, each said once.
        let mut said = Vec::new();
        for m in jobs.iter().flat_map(|j| &j.resolved.mounts_from) {
            if said.contains(&&m.mapping.from) {
                continue;
            }
            said.push(&m.mapping.from);
            eprintln!(
                "{} is read from {} ({}:{} puts it there; --path-map to choose)",
                m.mapping.from.display(),
                crate::report::display_path(&m.mapping.to),
                crate::report::display_path(&m.file),
                m.line
            );
        }
        for (l, _) in &run.linted {
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
            for (file, missing, copy) in &l.program.project_copies {
                eprintln!(
                    "{}: {} is read from {} (the project's file; this machine has none; \
                     --path-map to choose)",
                    l.program.file(*file).path.display(),
                    missing.display(),
                    crate::report::display_path(copy)
                );
            }
            // An absolute include found on this machine, outside the checked file's tree and
            // no mapping's: what it says is this machine's copy (Debian's `proxy_params` for a
            // checkout's `include /etc/nginx/proxy_params;`, held-out batch 274), which the
            // deployed server may not share.
            let root_dir = std::path::absolute(&l.program.file(0).path)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf));
            let mapped = |p: &Path| {
                jobs.iter()
                    .flat_map(|j| &j.resolved.options.path_map)
                    .any(|m| p.starts_with(&m.to))
            };
            for f in l.program.files.iter().skip(1) {
                if f.path.is_absolute()
                    && root_dir.as_ref().is_some_and(|d| !f.path.starts_with(d))
                    && !mapped(&f.path)
                    && !l
                        .program
                        .project_copies
                        .iter()
                        .any(|(_, _, c)| *c == f.path)
                {
                    eprintln!(
                        "{}: {} is read from this machine (outside the checked files; \
                         --path-map to read the project's copy instead)",
                        l.program.file(0).path.display(),
                        f.path.display()
                    );
                }
            }
            if args.target.conf_prefix.is_none()
                && let Some(prefix) = workspace::fragment_prefix(&l.program.file(0).path)
            {
                let why = match prefix {
                    crate::semantics::include::ConfPrefix::IncludeDirectoryParent(_) => {
                        "the parent of the fragment's directory, where nginx's packages keep \
                         nginx.conf"
                    }
                    _ => "the nearest directory above holding nginx.conf",
                };
                eprintln!(
                    "{}: relative includes resolve against {} ({why}; --conf-prefix to choose)",
                    l.program.file(0).path.display(),
                    prefix.dir().display()
                );
            }
        }
    }
    let (mut findings, mut thresholds) = run.findings(args.fail_on);
    match mode {
        Mode::Report => {}
        Mode::Baseline(path) => {
            let b = workspace::baseline::Baseline::of(&findings);
            if let Err(e) = std::fs::write(path, b.to_json()) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return exit::ERROR;
            }
            eprintln!(
                "wrote {} finding(s) to {} (later runs: `ngxlint check --baseline {}`)",
                b.findings.len(),
                path.display(),
                path.display()
            );
            return if unreadable { exit::ERROR } else { exit::CLEAN };
        }
        Mode::Suppress(reason) => {
            let changes = workspace::suppress::suppress_all(&findings, reason);
            let mut code = if unreadable { exit::ERROR } else { exit::CLEAN };
            crate::fix::write::install_signal_cleanup();
            for c in &changes {
                let opts = crate::fix::write::WriteOptions::default();
                match crate::fix::write::write_checked(&c.path, &c.before, &c.after, opts) {
                    Ok(()) => {
                        let added = c.after.iter().filter(|&&b| b == b'\n').count()
                            - c.before.iter().filter(|&&b| b == b'\n').count();
                        eprintln!(
                            "{}: added {added} suppression comment(s)",
                            report::display_path(&c.path)
                        );
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        code = exit::ERROR;
                    }
                }
            }
            let blocked = findings
                .iter()
                .filter(|f| lint::blocks(f.diagnostic))
                .count();
            if blocked > 0 {
                eprintln!(
                    "{blocked} finding(s) mean the configuration could not be fully checked \
                     (syntax errors, missing includes); fix those first"
                );
                code = exit::ERROR;
            }
            return code;
        }
    }
    if let Some(path) = &args.baseline {
        let b = match workspace::baseline::Baseline::load(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::ERROR;
            }
        };
        let known = b.matches(&findings);
        let hidden = known.iter().filter(|&&k| k).count();
        if hidden > 0 && !args.quiet {
            eprintln!(
                "{hidden} finding(s) recorded in {} not shown",
                path.display()
            );
        }
        let mut i = 0;
        findings.retain(|_| {
            i += 1;
            !known[i - 1]
        });
        let mut i = 0;
        thresholds.retain(|_| {
            i += 1;
            !known[i - 1]
        });
    }
    let failing = findings
        .iter()
        .zip(&thresholds)
        .any(|(f, t)| f.diagnostic.severity >= *t);
    let blocked = findings.iter().any(|f| lint::blocks(f.diagnostic));
    let files = run.file_paths();
    let facts = super::output::RunFacts {
        files: &files,
        incomplete: unreadable || blocked,
        nothing_read: unreadable,
        fail_on: args.fail_on.unwrap_or_else(|| {
            let configs = run.linted.iter().flat_map(|(_, f)| f.iter().copied());
            configs.min().unwrap_or(Severity::Warning)
        }),
        thresholds: &thresholds,
        started,
    };
    let written = super::args::emit_with(args.output.as_deref(), |w| {
        super::output::write(&args.output_options(), &findings, &facts, w)
    });
    if let Err(code) = written {
        return code;
    }
    let code = if unreadable || blocked {
        exit::ERROR
    } else if failing && !args.exit_zero {
        exit::FINDINGS
    } else {
        exit::CLEAN
    };
    // The process exits next: freeing every tree, node and finding one by one would only cost
    // time (measurable on large configurations), so let the OS reclaim it.
    std::mem::forget(findings);
    std::mem::forget(run);
    code
}

/// `checked 120/800 files` on stderr, rewritten in place, after the first second.
pub(super) fn progress(done: &AtomicUsize, finished: &AtomicBool, total: usize) {
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
