//! `access-log-buffer`: buffered `access_log` lines nginx refuses while it reads them
//! (`ngx_http_log_set_log`, src/http/modules/ngx_http_log_module.c):
//!
//! - `flush=` without `buffer=` (or `gzip`): `no buffer is defined for access_log "PATH"`;
//! - a buffered log whose path has variables: `buffered logs cannot have variables in name`;
//! - a buffered log to syslog: `logs to syslog cannot be buffered`;
//! - the same file buffered twice with another buffer size, flush time or gzip level:
//!   `access_log "PATH" already defined with conflicting parameters` (nginx opens a file once
//!   and gives it one buffer).
//!
//! The stream module (`ngx_stream_log_set_log`, src/stream/ngx_stream_log_module.c) makes the
//! same checks with the same words, and a file is one file for both: an http and a stream
//! `access_log` buffering it differently conflict too (the second one read is refused).
//!
//! Lines whose parameters nginx would refuse for another reason are left to the value checks.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;
use crate::semantics::values::{atoi, parse_size, parse_time};

pub static RULE: Rule = Rule {
    id: "access-log-buffer",
    summary: "an `access_log` buffer nginx refuses: `flush=` without `buffer=`, with variables in the path, to syslog, or one file buffered twice differently (nginx: already defined with conflicting parameters)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/access-log-buffer.md"),
    check,
};

/// `Z_BEST_SPEED`: the level of a bare `gzip`.
const GZIP_DEFAULT: i64 = 1;

/// The buffer of an `access_log` line as nginx computes it: (size, flush ms, gzip level), each
/// 0 when absent; `None` when a parameter is one nginx refuses for another reason.
fn buffer(params: &[String]) -> Option<(i64, i64, i64)> {
    let (mut size, mut flush, mut gzip) = (0, 0, 0);
    for p in params {
        if let Some(s) = p.strip_prefix("buffer=") {
            size = parse_size(s.as_bytes()).filter(|&v| v > 0)?;
        } else if let Some(s) = p.strip_prefix("flush=") {
            flush = parse_time(s.as_bytes(), false).filter(|&v| v > 0)?;
        } else if p == "gzip" || p.starts_with("gzip=") {
            if size == 0 {
                size = 64 * 1024;
            }
            gzip = match p.strip_prefix("gzip=") {
                None => GZIP_DEFAULT,
                Some(l) => atoi(l.as_bytes()).filter(|l| (1..=9).contains(l))?,
            };
        } else if !p.starts_with("if=") {
            return None;
        }
    }
    Some((size, flush, gzip))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Each file's buffer, set by its first buffered `access_log` (nginx's `file->data`).
    let mut buffers: HashMap<String, (NodeId, (i64, i64, i64))> = HashMap::new();
    let mut out = Vec::new();
    for &id in model.directives_named("access_log") {
        if !is_nginx(model, id) || model.arg_count(id) < 3 {
            continue;
        }
        let Some(path) = model.arg(id, 0).filter(|p| p != "off") else {
            continue;
        };
        let params: Vec<String> = (2..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let Some((size, flush, gzip)) = buffer(&params) else {
            continue;
        };
        let syslog = path.starts_with("syslog:");
        let variables = !syslog && path.contains('$');
        let (message, help, earlier) = if flush > 0 && size == 0 {
            if variables && !path.starts_with('/') {
                // nginx prints the path made absolute by its prefix: not known here.
                continue;
            }
            (
                format!("no buffer is defined for access_log \"{path}\""),
                "`flush=` is how long buffered lines may wait: add `buffer=SIZE` (or `gzip`), or drop `flush=`",
                None,
            )
        } else if size == 0 {
            continue;
        } else if variables {
            (
                "buffered logs cannot have variables in name".to_owned(),
                "nginx opens such a file per request: drop `buffer=`/`flush=`/`gzip`, or log to a fixed path",
                None,
            )
        } else if syslog {
            (
                "logs to syslog cannot be buffered".to_owned(),
                "each line is one syslog message: drop `buffer=`/`flush=`/`gzip`",
                None,
            )
        } else {
            match buffers.get(&path) {
                None => {
                    buffers.insert(path, (id, (size, flush, gzip)));
                    continue;
                }
                Some(&(_, b)) if b == (size, flush, gzip) => continue,
                Some(&(first, _)) => (
                    format!("access_log \"{path}\" already defined with conflicting parameters"),
                    "nginx opens a file once and gives it one buffer: use the same buffer=, flush= and gzip on every line writing this file",
                    Some(first),
                ),
            }
        };
        let mut d = Diagnostic::at_node(&RULE, model, id, message).help(help);
        if let Some(first) = earlier {
            d = d.label(Label::at_node(
                model,
                first,
                "the file's buffer is set here",
            ));
        }
        out.push(d);
    }
    out
}
