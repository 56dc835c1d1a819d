//! `invalid-log-level`: an `error_log` level nginx does not know or is given twice
//! (`ngx_log_set_levels`): `invalid log level "warning"`, `duplicate log level "error"`. The
//! levels are `emerg alert crit error warn notice info debug`; the `debug_*` levels
//! (`debug_http`...) may be combined with each other but not follow another level. Also an
//! `error_log memory:SIZE` buffer too small for one log line (`invalid buffer size "2k"`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-log-level",
    summary: "an `error_log` level nginx does not know, two levels, or a `memory:` buffer too small for a log line (nginx: invalid log level, invalid buffer size)",
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

/// The smallest `error_log memory:` buffer nginx takes, but for the configuration file's path
/// (`ngx_log_set_log`: `sizeof("MEMLOG  :" LF)` 11, `NGX_SIZE_T_LEN` 20, `NGX_INT_T_LEN` 20,
/// `NGX_MAX_ERROR_STR` 2048 on 64-bit systems, plus the absolute path of the file the line is
/// in, at least one byte: the bound here, so a size nginx takes is never reported).
const MEMORY_MIN: i64 = 11 + 20 + 20 + 2048 + 1;

/// Does nginx (built with debug support, as Debian's packages are) refuse `memory:SIZE`?
fn memory_size_refused(size: &str) -> bool {
    crate::semantics::values::parse_size(size.as_bytes()).is_none_or(|n| n < MEMORY_MIN)
}

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
        // The target comes first (`ngx_log_set_log`, core/ngx_log.c:604).
        if let Some(size) = model.arg(id, 0).and_then(|a| {
            a.strip_prefix("memory:")
                .map(str::to_owned)
                .filter(|size| memory_size_refused(size))
        }) {
            let node = model.node(id);
            let tok = node.directive.arg_tokens().next().expect("an argument");
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), tok.span(), "too small for one log line, or not a size"),
                    format!("invalid buffer size \"{size}\""),
                )
                .help(format!("a memory log holds at least one full line: give a size of at least {} bytes plus the length of the configuration file's path, such as `memory:32m` (and nginx built with --with-debug: without it, any `memory:` log is refused)", MEMORY_MIN - 1)),
            );
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
                Label::new(model.file_of(id), tok.span(), "not a level nginx takes here"),
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
    fn memory_sizes() {
        use super::memory_size_refused;
        assert!(memory_size_refused("2k"));
        assert!(memory_size_refused("1mb"));
        assert!(memory_size_refused("2099"));
        assert!(!memory_size_refused("2100"));
        assert!(!memory_size_refused("32m"));
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
