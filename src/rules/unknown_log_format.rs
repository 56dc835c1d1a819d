//! `unknown-log-format`: `access_log PATH NAME` where no `log_format NAME` comes before it.
//!
//! nginx looks the format up while it reads the `access_log` line (`ngx_http_log_set_log`), so
//! a `log_format` defined later in the file does not count: `unknown log format "main"`.
//! `combined` is predefined in http. Silent unless the program is whole and starts at the main
//! context.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{complete, is_nginx};

pub static RULE: Rule = Rule {
    id: "unknown-log-format",
    summary: "`access_log` names a log format no earlier `log_format` defines (nginx: unknown log format)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/unknown-log-format.md"),
    check,
};

fn is_stream(c: Context) -> bool {
    matches!(c, Context::Stream | Context::StreamServer)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if !complete(model) {
        return Vec::new();
    }
    let formats: Vec<(u32, bool, String)> = model
        .directives_named("log_format")
        .iter()
        .filter_map(|&id| Some((id, is_stream(model.node(id).context), model.arg(id, 0)?)))
        .collect();
    let mut out = Vec::new();
    for &id in model.directives_named("access_log") {
        if !is_nginx(model, id) {
            continue;
        }
        let Some(name) = model.arg(id, 1).filter(|n| !n.contains('=')) else {
            continue;
        };
        let stream = is_stream(model.node(id).context);
        if (!stream && name == "combined")
            || formats
                .iter()
                .any(|(f, s, n)| *f < id && *s == stream && *n == name)
        {
            continue;
        }
        let later = formats
            .iter()
            .any(|(f, s, n)| *f > id && *s == stream && *n == name);
        let help = if later {
            format!(
                "`log_format {name}` comes after this line: nginx reads formats in order, so move it above"
            )
        } else {
            format!(
                "define it at the {} level before this line: `log_format {name} '...';`",
                if stream { "stream" } else { "http" }
            )
        };
        out.push(
            Diagnostic::at_node(&RULE, model, id, format!("unknown log format \"{name}\""))
                .help(help),
        );
    }
    out
}
