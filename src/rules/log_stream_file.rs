//! `log-stream-file`: `access_log stdout;` (or `stderr`), `error_log stdout;`: nginx takes the
//! word for a file name and writes the log to a file of that name in its prefix, not to the
//! process's stream (only `error_log stderr` is a keyword).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};

pub static RULE: Rule = Rule {
    id: "log-stream-file",
    summary: "`access_log stdout` (or `stderr`) and `error_log stdout` log to a file of that \
              name in nginx's prefix, not to the stream: write `/dev/stdout`",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/log-stream-file.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for (directive, words) in [
        ("access_log", &["stdout", "stderr"][..]),
        // `error_log stderr` is nginx's keyword for the stream (`ngx_log_set_log`).
        ("error_log", &["stdout"][..]),
    ] {
        for &n in model.directives_named(directive) {
            let Some(word) = model.arg_str(n, 0).filter(|a| words.contains(&a.as_ref())) else {
                continue;
            };
            let device = format!("/dev/{word}");
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{directive} {word}` writes the log to a file named `{word}` in nginx's \
                     prefix directory, not to the process's {word}: `{word}` is no keyword for \
                     `{directive}`"
                ),
            )
            .help(format!(
                "write `{device}` to send the log to the stream (a container's log collector \
                 reads it there){}",
                if directive == "error_log" {
                    ", or `stderr`, nginx's keyword for it"
                } else {
                    ""
                }
            ));
            diag.primary.text = "a file name, not the stream".into();
            // Unsafe: where the log goes changes, and under `daemon on` (the default outside
            // containers) nginx points its standard streams at `/dev/null`.
            if let Some(span) = style::arg_span(model.node(n).directive, 0) {
                diag = diag.fix(Fix::unsafe_(
                    format!("Replace `{word}` with `{device}`"),
                    vec![Edit::replace(model.file_of(n), span, &device)],
                ));
            }
            out.push(diag);
        }
    }
    out
}
