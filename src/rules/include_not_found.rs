//! `include-not-found`: an `include` of a plain path that does not exist or cannot be read.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::include::{IncludeError, IncludeErrorKind, Program, beside_nginx_conf};
use crate::semantics::loadtime::is_stock_include;

pub static RULE: Rule = Rule {
    id: "include-not-found",
    summary: "an included file does not exist or cannot be read",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/include-not-found.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    // Asked once, and only when an include failed (it looks at the disk).
    let guessed = !program.include_errors.is_empty() && guessed_prefix(program);
    program
        .include_errors
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                IncludeErrorKind::Cycle { .. } | IncludeErrorKind::Expansion { .. }
            ) && (!guessed || !is_stock_file(e))
        })
        .map(|e| {
            let relative = match &e.kind {
                IncludeErrorKind::NotFound { pattern, .. }
                | IncludeErrorKind::Unreadable { pattern, .. } => !pattern.starts_with(b"/"),
                _ => false,
            };
            let help = if guessed && relative {
                "this fragment's conf prefix is not known (no `nginx.conf` above it, no \
                 `--conf-prefix`), so ngxlint looked beside the fragment; nginx looks beside the \
                 `nginx.conf` that includes it: pass `--conf-prefix DIR`, the directory of that \
                 `nginx.conf`, to look there"
            } else {
                "relative include paths are resolved against the directory of the main configuration \
                 file (nginx's conf prefix), not the including file; use a glob (`conf.d/*.conf`) if \
                 the file may be absent"
            };
            Diagnostic::new(&RULE, Label::new(e.file, e.span, "included here"), e.message(program))
                .help(help)
        })
        .collect()
}

/// Relative includes of a fragment resolve beside it only for want of a known prefix.
fn guessed_prefix(program: &Program) -> bool {
    !program.prefix_given
        && program.root_context != Context::Main
        && !beside_nginx_conf(&program.file(0).path)
}

/// Is `e` a missing file every nginx package installs in its conf prefix, named relative to it
/// (`include fastcgi_params;`)? When a fragment whose conf prefix is not known (`conf.d/app.conf`,
/// a documentation snippet) includes one, nginx resolves it against the prefix of the `nginx.conf` that includes the fragment, where it is,
/// not against the fragment's directory, the only place ngxlint could look. Reporting it
/// would fail every PHP site's fragment; with `--conf-prefix` (or an `nginx.conf` found above
/// the fragment) the file is looked for where nginx looks, and reported when missing.
fn is_stock_file(e: &IncludeError) -> bool {
    matches!(&e.kind, IncludeErrorKind::NotFound { pattern, .. }
        if std::str::from_utf8(pattern).is_ok_and(is_stock_include))
}
