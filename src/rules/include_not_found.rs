//! `include-not-found`: an `include` of a plain path that does not exist or cannot be read.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::include::{IncludeError, IncludeErrorKind, Program};
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
    program
        .include_errors
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                IncludeErrorKind::Cycle { .. } | IncludeErrorKind::Expansion { .. }
            ) && !stock_file_of_unknown_prefix(program, e)
        })
        .map(|e| {
            let help = if guessed_prefix(program) && !include_arg(program, e).starts_with(b"/") {
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
    !program.prefix_known && program.root_context != Context::Main
}

/// The include's argument as written, without its quotes.
fn include_arg<'p>(program: &'p Program, e: &IncludeError) -> &'p [u8] {
    let raw = &program.file(e.file).src[e.span.range()];
    match raw {
        [q @ (b'"' | b'\''), inner @ .., last] if last == q => inner,
        _ => raw,
    }
}

/// A fragment (`conf.d/app.conf`, a documentation snippet) whose conf prefix is not known
/// includes a file every nginx package installs there (`include fastcgi_params;`): nginx
/// resolves it against the prefix of the `nginx.conf` that includes the fragment, where it is,
/// not against the fragment's directory, the only place ngxlint could look. Reporting it
/// would fail every PHP site's fragment; with `--conf-prefix` (or an `nginx.conf` found above
/// the fragment) the file is looked for where nginx looks, and reported when missing.
fn stock_file_of_unknown_prefix(program: &Program, e: &IncludeError) -> bool {
    guessed_prefix(program)
        && matches!(e.kind, IncludeErrorKind::NotFound { .. })
        && std::str::from_utf8(include_arg(program, e)).is_ok_and(is_stock_include)
}
