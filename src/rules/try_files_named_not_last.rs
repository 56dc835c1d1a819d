//! `try-files-named-not-last`: `try_files $uri @app @fallback;`, a named location before the
//! last argument. nginx jumps to a named location only from the last one; before it, `@app` is
//! a file to test (the root with `@app` appended), so the location never runs from this line
//! (held-out batch 448, LedgerSMB's `try_files $uri @strippedprefix @starman;`, measured).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "try-files-named-not-last",
    summary: "`try_files` names a location (`@name`) before its last argument: nginx tests a \
              file of that name there and never runs the location",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/try-files-named-not-last.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &t in cx.directives_named("try_files") {
        let args: Vec<_> = model.node(t).directive.arg_tokens().collect();
        let Some((last, before)) = args.split_last() else {
            continue;
        };
        let src = model.src(t);
        // A bare word starting with `@` (a quoted `"@x"` is the same to nginx, but no one
        // quotes a location's name; a template's tag, `<%= @layer %>`, is not a bare `@` word
        // of its own once the tags are masked).
        // The last argument's own name before it (`try_files @app @app;`) is the two
        // arguments `try_files` requires, written to send every request there: the location
        // runs, from the last one (held-out batch 475, Shopsys's dotfile location: measured,
        // `/.env` answered by `@app`).
        let last_raw = &src[last.span().range()];
        let Some(named) = before.iter().find(|a| {
            a.kind() == TokenKind::Word
                && src[a.span().range()].first() == Some(&b'@')
                && src[a.span().range()].len() > 1
                && &src[a.span().range()] != last_raw
        }) else {
            continue;
        };
        let name = String::from_utf8_lossy(&src[named.span().range()]).into_owned();
        let last_text = String::from_utf8_lossy(&src[last.span().range()]).into_owned();
        let file = model.file_of(t);
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, named.span(), "tested as a file, not a location"),
                format!(
                    "`{name}` is not the last argument of `try_files`: nginx jumps to a named \
                     location only from the last one and tests each argument before it as a \
                     file (here the root with `{name}` appended), so `location {name}` never \
                     runs from this line (the fallback is `{last_text}`)"
                ),
            )
            .help(format!(
                "a `try_files` can end in one named location: make `{name}` the last argument \
                 (and drop what follows it), or move what `location {name}` does into the \
                 location the last argument names"
            )),
        );
    }
    out
}
