//! `unknown-log-format`: `access_log PATH NAME` where no `log_format NAME` comes before it.
//!
//! nginx looks the format up while it reads the `access_log` line (`ngx_http_log_set_log`), so
//! a `log_format` defined later in the file does not count: `unknown log format "main"`.
//! `combined` is predefined in http. Silent unless the program starts at the main context, and
//! for a line after an include that found nothing (it may define the format). Names are
//! compared as nginx compares them, ignoring case.
//!
//! In `stream` there is no default format: `access_log PATH;` without one is `log format is not
//! specified` (`ngx_stream_log_set_log`).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{include_read, is_nginx};

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

/// Stream `access_log PATH;`: no format, and stream has no default one.
fn stream_without_format(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    model
        .directives_named("access_log")
        .iter()
        .filter(|&&id| {
            is_stream(model.node(id).context)
                && is_nginx(model, id)
                && model.arg_count(id) == 1
                && model.arg(id, 0).is_some_and(|a| a != "off")
        })
        .map(|&id| {
            Diagnostic::at_node(&RULE, model, id, "log format is not specified").help(
                "stream has no default log format: define one with `log_format NAME '...';` and name it here",
            )
        })
        .collect()
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = stream_without_format(cx);
    if model.program.root_context != Context::Main {
        return out;
    }
    // The first include that found nothing (a missing file, an empty glob): it may define a
    // format for the lines after it, never for one before it (nginx looks the format up as it
    // reads the `access_log` line; held-out batch 268: `include /etc/nginx/conf.d/*.conf;`
    // after `access_log ... main;` in a file mounted over the image's nginx.conf, refused by
    // nginx).
    let first_unread = model
        .directives_named("include")
        .iter()
        .copied()
        .find(|&i| !include_read(model, i));
    // Each format name (lowercased, by stream or not) with its first definition: an
    // `access_log` needs one defined before it. Scanning every `log_format` for each
    // `access_log` was quadratic (20,000 of each: 0.6 s).
    let mut formats: std::collections::HashMap<(bool, String), u32> =
        std::collections::HashMap::new();
    for &id in model.directives_named("log_format") {
        if let Some(n) = model.arg_str(id, 0) {
            formats
                .entry((is_stream(model.node(id).context), n.to_ascii_lowercase()))
                .or_insert(id);
        }
    }
    for &id in model.directives_named("access_log") {
        if !is_nginx(model, id) || first_unread.is_some_and(|u| u < id) {
            continue;
        }
        let Some(name) = model.arg(id, 1).filter(|n| !n.contains('=')) else {
            continue;
        };
        let stream = is_stream(model.node(id).context);
        if (!stream && name.eq_ignore_ascii_case("combined"))
            || formats
                .get(&(stream, name.to_ascii_lowercase()))
                .is_some_and(|&first| first < id)
        {
            continue;
        }
        // Defined, but first after this line (not before it, or the line would be known).
        let later = formats.contains_key(&(stream, name.to_ascii_lowercase()));
        let help = if stream && name.eq_ignore_ascii_case("combined") {
            "`combined` is predefined in http only: define a stream format with `log_format NAME '...';` before this line".to_owned()
        } else if later {
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
