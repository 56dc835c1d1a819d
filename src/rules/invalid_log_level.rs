//! `invalid-log-level`: an `error_log` level nginx does not know or is given twice
//! (`ngx_log_set_levels`): `invalid log level "warning"`, `duplicate log level "error"`. The
//! levels are `emerg alert crit error warn notice info debug`; the `debug_*` levels
//! (`debug_http`...) may be combined with each other but not follow another level.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-log-level",
    summary: "an `error_log` level nginx does not know, or two levels (nginx: invalid log level)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-log-level.md"),
    check,
};

/// `err_levels[1..]` of `src/core/ngx_log.c`.
const LEVELS: &[&str] = &[
    "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
];

/// `debug_levels` of `src/core/ngx_log.c`.
const DEBUG_LEVELS: &[&str] = &[
    "debug_core",
    "debug_alloc",
    "debug_mutex",
    "debug_event",
    "debug_http",
    "debug_mail",
    "debug_stream",
];

/// The first level of `levels` nginx refuses, with its message.
fn level_error(levels: &[String]) -> Option<(usize, String)> {
    // log_level as nginx builds it: an error level (low bits) and debug bits.
    let (mut level, mut debug) = (false, false);
    for (i, l) in levels.iter().enumerate() {
        if LEVELS.contains(&l.as_str()) {
            if level || debug {
                return Some((i, format!("duplicate log level \"{l}\"")));
            }
            level = true;
        } else if DEBUG_LEVELS.contains(&l.as_str()) {
            if level {
                return Some((i, format!("invalid log level \"{l}\"")));
            }
            debug = true;
        } else {
            return Some((i, format!("invalid log level \"{l}\"")));
        }
    }
    None
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("error_log") {
        if !is_nginx(model, id) {
            continue;
        }
        let levels: Vec<String> = (1..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let Some((i, message)) = level_error(&levels) else {
            continue;
        };
        let node = model.node(id);
        let Some(tok) = node.directive.arg_tokens().nth(i + 1) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(node.file, tok.span, "not a level nginx takes here"),
                message,
            )
            .help("give one level of emerg, alert, crit, error, warn, notice, info, debug (or debug_http, debug_core... alone)"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::level_error;

    fn err(levels: &[&str]) -> Option<String> {
        let v: Vec<String> = levels.iter().map(|s| (*s).to_owned()).collect();
        level_error(&v).map(|(_, m)| m)
    }

    #[test]
    fn levels_as_nginx_reads_them() {
        assert_eq!(err(&[]), None);
        assert_eq!(err(&["warn"]), None);
        assert_eq!(err(&["debug_http", "debug_core"]), None);
        assert_eq!(
            err(&["warning"]).as_deref(),
            Some("invalid log level \"warning\"")
        );
        assert_eq!(
            err(&["error", "warn"]).as_deref(),
            Some("duplicate log level \"warn\"")
        );
        assert_eq!(
            err(&["debug_http", "info"]).as_deref(),
            Some("duplicate log level \"info\"")
        );
        assert_eq!(
            err(&["info", "debug_http"]).as_deref(),
            Some("invalid log level \"debug_http\"")
        );
    }
}
