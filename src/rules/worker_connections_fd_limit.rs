//! `worker-connections-fd-limit`: `worker_connections` needs more file descriptors than the
//! worker may open. Each client connection is a descriptor, and a proxied one a second for the
//! upstream (static files, logs and cache files add more); when the limit runs out nginx logs
//! "Too many open files" and refuses connections. `worker_rlimit_nofile` sets the limit; without
//! it the worker inherits the service's soft limit, 1024 under systemd's default
//! `LimitNOFILE=1024:524288` unless the unit raises it. nginx itself only warns at start when
//! the limit is below `worker_connections` ("worker_connections exceed open file resource
//! limit").

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "worker-connections-fd-limit",
    summary: "`worker_connections` needs more file descriptors than `worker_rlimit_nofile` (or the usual 1024 soft limit) allows: proxied connections take two each",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/worker-connections-fd-limit.md"),
    check,
};

/// systemd's default soft `LimitNOFILE` for services (and most shells' `ulimit -n`).
const USUAL_SOFT_LIMIT: u64 = 1024;

/// nginx's `worker_connections` when the events block does not set it.
const DEFAULT_CONNECTIONS: u64 = 512;

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let rlimit = model
        .directives_named("worker_rlimit_nofile")
        .iter()
        .copied()
        .filter(|&r| model.node(r).parent().is_none())
        .find_map(|r| Some((r, model.arg(r, 0)?.parse::<u64>().ok()?)));
    // `events {}` without `worker_connections`: nginx's default, 512, against a set limit.
    if model.directives_named("worker_connections").is_empty()
        && !model.directives_named("events").is_empty()
        && let Some((r, limit)) = rlimit
        && limit < DEFAULT_CONNECTIONS * 2
    {
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                r,
                format!(
                    "`worker_rlimit_nofile {limit}` is below the {} file descriptors nginx's \
                     default `worker_connections {DEFAULT_CONNECTIONS}` can need (two per proxied \
                     connection)",
                    DEFAULT_CONNECTIONS * 2
                ),
            )
            .help(format!(
                "set `worker_rlimit_nofile {}` or more",
                DEFAULT_CONNECTIONS * 2
            )),
        );
    }
    for &n in model.directives_named("worker_connections") {
        let Some(conns) = model.arg(n, 0).and_then(|v| v.parse::<u64>().ok()) else {
            continue;
        };
        let needed = conns.saturating_mul(2);
        let diag = match rlimit {
            Some((r, limit)) if limit < needed => Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`worker_connections {conns}` can need {needed} file descriptors (two per \
                         proxied connection), but `worker_rlimit_nofile` is {limit}"
                ),
            )
            .label(Label::at_node(model, r, "the worker's limit"))
            .help(format!(
                "set `worker_rlimit_nofile {}` (at least twice worker_connections), or lower \
                     worker_connections",
                needed.max(USUAL_SOFT_LIMIT)
            )),
            None if needed > USUAL_SOFT_LIMIT => Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`worker_connections {conns}` can need {needed} file descriptors (two per \
                     proxied connection), and without `worker_rlimit_nofile` the worker gets the \
                     service's soft limit, usually {USUAL_SOFT_LIMIT}"
                ),
            )
            .help(format!(
                "add `worker_rlimit_nofile {needed};` at the top level (or raise LimitNOFILE in \
                 the service unit)"
            )),
            _ => continue,
        };
        out.push(diag);
    }
    out
}
