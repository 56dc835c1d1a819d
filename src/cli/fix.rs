//! `ngxlint fix [PATH...]`: apply fixes (safe ones, or all with `--unsafe-fixes`), show them as
//! a unified diff (`--diff`, nothing written) or write them atomically, optionally only after
//! the real `nginx -t` accepted the result (`--verify`).

use std::io::Write;
use std::path::PathBuf;

use crate::fix::verify::{self, Verdict};
use crate::lint::{self, FixOutcome};
use crate::rules::{Rule, Severity};

use super::check::{Configs, TargetArgs, check_rule_ids, expand_paths, parse_severity};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Files or directories (as for `check`). Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Print a unified diff of what would change; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Also apply fixes that involve a choice (a timeout value, copying inherited headers).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Run the real `nginx -t` on the original and the fixed configuration in a sandbox, and
    /// write only if the fixed one passes wherever the original did.
    #[arg(long)]
    pub verify: bool,
    /// Only these rules' fixes (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,
    /// Skip these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,
    /// Lowest severity of a remaining finding that makes the exit code 1 (default: warning).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Rewrite files that have several hard links in place, keeping the links (not atomic).
    /// Default: refuse them, since replacing a file splits it from its other names.
    #[arg(long)]
    pub in_place_hardlinks: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

pub fn run(args: &FixArgs) -> u8 {
    if let Err(code) = check_rule_ids(&args.select, &args.ignore) {
        return code;
    }
    let mut configs = Configs::default();
    let mut code = exit::CLEAN;
    let mut stdout = std::io::stdout().lock();
    let roots = match expand_paths(&args.paths, &args.target, &mut configs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    for root in roots {
        let resolved =
            match args
                .target
                .resolve_with_flags(&root, &mut configs, &args.select, &args.ignore)
            {
                Ok(r) => r,
                Err(code) => return code,
            };
        let select = |r: &Rule| resolved.selects(r);
        let fail_on = args
            .fail_on
            .or(resolved.fail_on)
            .unwrap_or(Severity::Warning);
        let outcome = match lint::fix_path(&root, &resolved.options, &select, args.unsafe_fixes) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("{}: {e}", root.display());
                code = code.max(exit::ERROR);
                continue;
            }
        };
        if args.diff {
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
                    crate::report::escape_path(&root),
                    outcome.changes.len()
                );
                code = code.max(exit::ERROR);
                continue;
            }
        }
        let verb = if args.diff { "would apply" } else { "applied" };
        if !outcome.applied.is_empty() {
            eprintln!(
                "{}: {verb} {} fix(es) in {} file(s)",
                root.display(),
                outcome.applied.len(),
                outcome.changes.len()
            );
        }
        let left: Vec<_> = outcome
            .fixed
            .diagnostics
            .iter()
            .filter(|d| d.severity >= fail_on)
            .collect();
        if !left.is_empty() {
            let unsafe_left = left.iter().filter(|d| d.fix.is_some()).count();
            eprintln!(
                "{}: {} finding(s) left{}",
                root.display(),
                left.len(),
                if unsafe_left > 0 && !args.unsafe_fixes {
                    format!(" ({unsafe_left} fixable with --unsafe-fixes)")
                } else {
                    String::new()
                }
            );
            code = code.max(exit::FINDINGS);
        }
    }
    code
}

/// `--verify`: true when writing is allowed.
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
        (Verdict::Passed, Verdict::Failed(why)) => {
            eprintln!(
                "error: --verify: nginx -t accepts the original but not the fixed configuration; nothing written:\n{why}"
            );
            false
        }
        (Verdict::Failed(why), _) => {
            eprintln!(
                "note: --verify: nginx -t already rejects the original configuration, so the fix cannot be verified:\n{why}"
            );
            true
        }
        (Verdict::Passed, Verdict::Passed) => {
            eprintln!("--verify: nginx -t accepts the fixed configuration");
            true
        }
    }
}
