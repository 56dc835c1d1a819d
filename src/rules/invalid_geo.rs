//! `invalid-geo`: a `geo` entry whose key is not a network (`ngx_http_geo_cidr`:
//! `invalid network "value"`), such as `geo $x { value 1; }`. Only keys that cannot be an
//! address at all are reported (letters beyond hex digits and the special keys `default`,
//! `include`, `delete`, `proxy`, `proxy_recursive`, `ranges`); blocks with `ranges` use
//! `from-to` keys and are left alone.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::loadtime::network_geo_blocks;

pub static RULE: Rule = Rule {
    id: "invalid-geo",
    summary: "a `geo` entry whose key is not a network (nginx: invalid network)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-geo.md"),
    check,
};

const SPECIAL: &[&str] = &[
    "default",
    "include",
    "delete",
    "proxy",
    "proxy_recursive",
    "ranges",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for geo in network_geo_blocks(model) {
        for &c in model.children(geo) {
            let key = model.name(c);
            // nginx counts the values first: another count is "invalid number of the geo
            // parameters" (invalid-parameter), and a lone `volatile` is a flag (1.29.3).
            if model.arg_count(c) != 1
                || SPECIAL.contains(&key)
                || key
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'/'))
            {
                continue;
            }
            out.push(
                Diagnostic::at_node(&RULE, model, c, format!("invalid network \"{key}\""))
                    .help("a geo entry is `NETWORK VALUE;` (`10.0.0.0/8 1;`), or `default VALUE;`"),
            );
        }
    }
    out
}
