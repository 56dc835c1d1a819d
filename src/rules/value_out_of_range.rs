//! `value-out-of-range`: a number outside the bounds a directive's post handler checks after
//! parsing it (`ngx_conf_check_num_bounds`): `value must be between 1 and 9`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "value-out-of-range",
    summary: "a number outside the range nginx checks after parsing it, such as `gzip_comp_level 10` (nginx: value must be between)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/value-out-of-range.md"),
    check,
};

/// Every `ngx_conf_num_bounds_t` of nginx's modules: (directive, low, high).
const BOUNDS: &[(&str, i64, i64)] = &[
    // src/http/modules/ngx_http_gzip_filter_module.c: ngx_http_gzip_comp_level_bounds
    ("gzip_comp_level", 1, 9),
    // src/http/modules/ngx_http_limit_req_module.c: ngx_http_limit_req_status_bounds
    ("limit_req_status", 400, 599),
    // src/http/modules/ngx_http_limit_conn_module.c: ngx_http_limit_conn_status_bounds
    ("limit_conn_status", 400, 599),
    // src/http/modules/ngx_http_uwsgi_module.c: ngx_http_uwsgi_modifier_bounds
    ("uwsgi_modifier1", 0, 255),
    ("uwsgi_modifier2", 0, 255),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &(name, low, high) in BOUNDS {
        for &id in model.directives_named(name) {
            if !is_nginx(model, id) {
                continue;
            }
            let Some(v) = model.arg(id, 0) else { continue };
            // ngx_atoi: digits only; anything else is "invalid number" (invalid-arguments).
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(n) = v.parse::<i64>() else { continue };
            if (low..=high).contains(&n) {
                continue;
            }
            let node = model.node(id);
            let tok = node.directive.arg_tokens().next().expect("has an argument");
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(
                        model.file_of(id),
                        tok.span(),
                        format!("`{name}` takes {low}..{high}"),
                    ),
                    format!("value must be between {low} and {high}"),
                )
                .help(format!("use a value from {low} to {high}")),
            );
        }
    }
    out
}
