//! `incompatible-settings`: settings that exclude each other, as nginx reads them:
//!
//! - `proxy_cache` and `proxy_store` (and the fastcgi, uwsgi and scgi pairs) in one block,
//!   neither `off`: `"proxy_store" directive is incompatible with "proxy_cache"` (at the second;
//!   `ngx_http_proxy_store`/`ngx_http_proxy_cache` in src/http/modules/ngx_http_proxy_module.c);
//! - `disable_symlinks` with two modes (`on`, `off`, `if_not_owner`): `duplicate parameters "on
//!   if_not_owner"`, or `from=` with `off`: `"from=" cannot be used with "off" parameter`
//!   (`ngx_http_disable_symlinks`, src/http/ngx_http_core_module.c);
//! - in `mail`, `ssl on` and `starttls on` (or `only`) in one block, before nginx 1.25.1 removed
//!   `ssl`: `"starttls" directive conflicts with "ssl on"` at `ssl`, or `"ssl" directive
//!   conflicts with "starttls"` at `starttls`, whichever is read second
//!   (`ngx_mail_ssl_enable`/`ngx_mail_ssl_starttls` in src/mail/ngx_mail_ssl_module.c);
//! - `worker_connections` fewer than the listening sockets plus one (each worker keeps a
//!   connection per socket and one for its channel to the master): `N worker_connections are
//!   not enough for M listening sockets` (`ngx_event_init_conf`, src/event/ngx_event.c; nginx
//!   names no line), judged only where the sockets can be counted exactly.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{is_nginx, listening_sockets};
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "incompatible-settings",
    summary: "`proxy_cache` and `proxy_store` (fastcgi/uwsgi/scgi) in one block, `disable_symlinks` with two modes or `from=` with `off`, mail's `ssl on` with `starttls` (nginx: \"proxy_store\" directive is incompatible with \"proxy_cache\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/incompatible-settings.md"),
    check,
};

const MODES: &[&str] = &["on", "off", "if_not_owner"];

const CACHING: &[&str] = &["proxy", "fastcgi", "uwsgi", "scgi"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = cache_and_store(model);
    for &id in model.directives_named("disable_symlinks") {
        if !is_nginx(model, id) || model.arg_count(id) != 2 {
            continue;
        }
        let (Some(a), Some(b)) = (model.arg(id, 0), model.arg(id, 1)) else {
            continue;
        };
        let from = |v: &str| v.starts_with("from=");
        // nginx takes the last mode given; anything else is another check's.
        if !(MODES.contains(&a.as_str()) || from(&a)) || !(MODES.contains(&b.as_str()) || from(&b))
        {
            continue;
        }
        let (message, help) = if !from(&a) && !from(&b) {
            (
                format!("duplicate parameters \"{a} {b}\""),
                "give one mode: `on`, `off` or `if_not_owner` (with `from=` if only part of the path is checked)",
            )
        } else if (a == "off" && from(&b)) || (b == "off" && from(&a)) {
            (
                "\"from=\" cannot be used with \"off\" parameter".to_owned(),
                "`from=` says where checking starts; with `off` nothing is checked: drop `from=`",
            )
        } else {
            continue;
        };
        out.push(Diagnostic::at_node(&RULE, model, id, message).help(help));
    }
    out.extend(ssl_and_starttls(model, cx.version));
    out.extend(worker_connections(model));
    out
}

/// Mail's `ssl on` and `starttls on|only` in one block (both read case-insensitively, as
/// `ngx_conf_set_flag_slot` and `ngx_conf_set_enum_slot` do): nginx refuses the second one
/// read. Set at different levels they merge without a word. Only where the target version
/// knows mail's `ssl` (before 1.25.1); after, `ssl` itself is unknown.
fn ssl_and_starttls(
    model: &crate::semantics::model::Model<'_>,
    version: crate::semantics::directives::Version,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &t in model.directives_named("starttls") {
        let node = model.node(t);
        let parent = node.parent();
        if !matches!(node.context, Context::Mail | Context::MailServer)
            || !is_nginx(model, t)
            || model.children_named_slice(parent, "starttls").first() != Some(&t)
            || !model
                .arg(t, 0)
                .is_some_and(|v| v.eq_ignore_ascii_case("on") || v.eq_ignore_ascii_case("only"))
        {
            continue;
        }
        let Some(&ssl) = model.children_named_slice(parent, "ssl").first() else {
            continue;
        };
        if !is_nginx(model, ssl)
            || !model.spec(ssl).is_some_and(|s| s.exists_in(version))
            || !model
                .arg(ssl, 0)
                .is_some_and(|v| v.eq_ignore_ascii_case("on"))
        {
            continue;
        }
        let (second, first, message) = if ssl > t {
            (ssl, t, "\"starttls\" directive conflicts with \"ssl on\"")
        } else {
            (t, ssl, "\"ssl\" directive conflicts with \"starttls\"")
        };
        out.push(
            Diagnostic::at_node(&RULE, model, second, message)
                .label(Label::at_node(
                    model,
                    first,
                    format!("`{}` is set here", model.name(first)),
                ))
                .help(
                    "`ssl on` starts every connection of the block in TLS, `starttls` upgrades plain ones: \
                     give the TLS ports `listen ... ssl` (and drop `ssl on`, deprecated since 1.15.0) \
                     and keep `starttls` for the others",
                ),
        );
    }
    out
}

/// `X_cache` and `X_store` both on in one block: nginx refuses the second one read.
fn cache_and_store(model: &crate::semantics::model::Model<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in CACHING {
        let (cache, store) = (format!("{m}_cache"), format!("{m}_store"));
        let on = |id: NodeId| {
            is_nginx(model, id)
                && model
                    .arg(id, 0)
                    .is_some_and(|v| v != "off" && !v.is_empty())
        };
        for &c in model.directives_named(&cache) {
            let parent = model.node(c).parent();
            // The first of each in the block: a second one is "is duplicate".
            if model.children_named_slice(parent, &cache).first() != Some(&c) || !on(c) {
                continue;
            }
            let Some(&s) = model.children_named_slice(parent, &store).first() else {
                continue;
            };
            if !on(s) {
                continue;
            }
            let (second, first) = if s > c { (s, c) } else { (c, s) };
            let (sn, fn_) = (model.name(second), model.name(first));
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    second,
                    format!("\"{sn}\" directive is incompatible with \"{fn_}\""),
                )
                .label(Label::at_node(model, first, format!("`{fn_}` is set here")))
                .help(format!(
                    "`{store}` keeps responses as files and `{cache}` in a cache: a location uses one of them"
                )),
            );
        }
    }
    out
}

/// `worker_connections` below the listening sockets plus one (`ngx_event_init_conf`).
fn worker_connections(model: &crate::semantics::model::Model<'_>) -> Option<Diagnostic> {
    let &id = model
        .directives_named("worker_connections")
        .iter()
        .rfind(|&&id| is_nginx(model, id))?;
    let value = model.arg(id, 0)?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None; // "invalid number", another check's
    }
    let n: usize = value.parse().ok()?;
    // Each `listen` adds at most one socket: with at least one connection more than there are
    // `listen` lines, no count can be too many (and counting them exactly costs far more).
    if n > model.directives_named("listen").len() {
        return None;
    }
    let sockets = listening_sockets(model)?;
    (n < sockets + 1).then(|| {
        Diagnostic::at_node(
            &RULE,
            model,
            id,
            format!("{n} worker_connections are not enough for {sockets} listening sockets"),
        )
        .help(format!(
            "each worker needs a connection per listening socket and one more: raise `worker_connections` to at least {} (the default is 512)",
            sockets + 1
        ))
    })
}
