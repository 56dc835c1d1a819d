//! `balancer-redefined`: a load-balancing method after another one, or (before nginx 1.29.7)
//! after `keepalive`, or after nginx's own `sticky` (1.29.6+), in one `upstream`. Each of these
//! installs itself as the upstream's initialiser; the balancing method that comes later replaces
//! what is there and nginx only warns (`load balancing method redefined`, in
//! `ngx_http_upstream_hash`, `_ip_hash`, `_least_conn`, `_random`, `_least_time`). What it
//! replaced is gone: a `keepalive` above `least_conn` keeps no connection (before 1.29.7, when
//! `keepalive` stopped needing to come last), a `sticky` above `hash` sticks to nothing.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "balancer-redefined",
    summary: "a load-balancing method after another one, after `keepalive` (before nginx 1.29.7) or after `sticky` in one upstream: the earlier one is dropped (nginx warns: load balancing method redefined)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/balancer-redefined.md"),
    check,
};

/// The methods that warn when something is installed before them.
const METHODS: &[&str] = &["hash", "ip_hash", "least_conn", "random", "least_time"];

/// nginx 1.29.7: `keepalive` wraps the upstream after the configuration is read, wherever it is.
const KEEPALIVE_ANYWHERE: Version = Version(1, 29, 7);
/// nginx 1.29.6: `sticky` in nginx itself (NGINX Plus's is not judged here).
const STICKY: Version = Version(1, 29, 6);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Only a block holding a balancing method can redefine one: those blocks, in walk order
    // (every upstream block's children were read, a wait for memory each on a large
    // configuration).
    let mut upstreams: Vec<NodeId> = METHODS
        .iter()
        .flat_map(|m| model.directives_named(m))
        .filter_map(|&m| model.node(m).parent())
        .filter(|&p| model.name(p) == "upstream")
        .collect();
    upstreams.sort_unstable();
    upstreams.dedup();
    for u in upstreams {
        if model.node(u).context != Context::Http || !is_nginx(model, u) {
            continue;
        }
        let mut installed: Option<u32> = None;
        for &c in model.children(u) {
            if !is_nginx(model, c) {
                continue;
            }
            let name = model.name(c);
            let installs = METHODS.contains(&name)
                || (name == "keepalive" && cx.version < KEEPALIVE_ANYWHERE)
                || (name == "sticky" && cx.version >= STICKY);
            if !installs {
                continue;
            }
            if let Some(first) = installed.filter(|_| METHODS.contains(&name)) {
                let help = match model.name(first) {
                    "keepalive" => format!(
                        "`{name}` replaces `keepalive`, which then keeps no connection: move `keepalive` below `{name}` (nginx before 1.29.7 needs it last)"
                    ),
                    "sticky" => format!(
                        "`{name}` replaces `sticky`, so requests no longer stick: move `sticky` below `{name}`"
                    ),
                    other => format!("`{name}` replaces `{other}`: keep one balancing method"),
                };
                out.push(
                    Diagnostic::at_node(&RULE, model, c, "load balancing method redefined")
                        .label(Label::at_node(
                            model,
                            first,
                            format!("`{}` is replaced", model.name(first)),
                        ))
                        .help(help),
                );
            }
            installed = Some(c);
        }
    }
    out
}
