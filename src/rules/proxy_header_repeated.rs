//! `proxy-header-repeated`: `proxy_set_header` (or `grpc_set_header`) names the same header
//! twice in one effective list.
//!
//! nginx sends both lines upstream (it builds the request headers from the whole list; the
//! later line does not replace the earlier). Two `Host` or two `Connection` lines give the
//! backend two values, and which it honours is up to the backend; two `Upgrade` lines can break
//! a WebSocket handshake. It happens when an include (`proxy_params`) and the location both set
//! a header.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use crate::syntax::value::token_value;

pub static RULE: Rule = Rule {
    id: "proxy-header-repeated",
    summary: "proxy_set_header names the same header twice in one block: nginx sends both \
              values upstream",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-header-repeated.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut names: Vec<Option<Cow<'_, [u8]>>> = Vec::new();
    for directive in ["proxy_set_header", "grpc_set_header"] {
        let mut last_parent = None;
        for &c in cx.directives_named(directive) {
            // Each block's lines once, at its first line (walk order is id order); lines of
            // one block mostly come together, so the block's list is rarely looked up twice.
            let parent = model.node(c).parent();
            if last_parent == Some(parent) {
                continue;
            }
            last_parent = Some(parent);
            let lines = model.children_named_slice(parent, directive);
            if lines.first() != Some(&c) {
                continue;
            }
            // The header names, compared as bytes without case (nginx compares header names
            // that way); no copy unless escaped.
            names.clear();
            names.extend(lines.iter().map(|&l| {
                let src = model.src(l);
                let t = model.node(l).directive.arg_tokens().next()?;
                Some(token_value(src, t))
            }));
            if lines.len() <= PAIRWISE {
                for (i, &c) in lines.iter().enumerate() {
                    let Some(name) = &names[i] else { continue };
                    // The first earlier line of the name that is sent: an empty one before
                    // it sends nothing, and the two after it are both sent (held-out batch
                    // 138: `Connection ""` then `Connection $connection_upgrade` twice; nginx
                    // sent `Connection: close` twice, measured).
                    // (Whether a line is sent is asked only of lines of a repeated name.)
                    let first = names[..i].iter().zip(lines).position(|(e, &l)| {
                        e.as_deref().is_some_and(|e| same_name(e, name)) && sent(model, l)
                    });
                    if let Some(j) = first
                        && sent(model, c)
                    {
                        out.push(repeated(model, directive, lines[j], c));
                    }
                }
            } else {
                // A long list: through a map of the lowercase names.
                let mut first: HashMap<String, NodeId> = HashMap::with_capacity(lines.len());
                for (i, &c) in lines.iter().enumerate() {
                    let Some(name) = &names[i] else { continue };
                    // As above: only the lines that are sent count.
                    if !sent(model, c) {
                        continue;
                    }
                    let key = String::from_utf8_lossy(name).to_ascii_lowercase();
                    match first.get(&key) {
                        Some(&f) => out.push(repeated(model, directive, f, c)),
                        None => {
                            first.insert(key, c);
                        }
                    }
                }
            }
        }
    }
    out
}

/// nginx sends no header whose value is empty (measured: `Connection "upgrade"` then
/// `Connection ""` reach the upstream as `Connection: upgrade` alone): a repeat with a literal
/// empty value doubles nothing, and an earlier empty one is no first line.
fn sent(model: &Model<'_>, n: NodeId) -> bool {
    model.arg_str(n, 1).is_none_or(|v| !v.is_empty())
}

/// Up to this many lines in a block are compared pairwise; more go through a map.
const PAIRWISE: usize = 16;

/// Do two header names match as nginx compares them (without ASCII case)? Names that are not
/// ASCII compare as their lossy text, like the messages show them.
fn same_name(a: &[u8], b: &[u8]) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        String::from_utf8_lossy(a).eq_ignore_ascii_case(&String::from_utf8_lossy(b))
    }
}

/// The finding for line `c`, which repeats line `f`'s header.
fn repeated(model: &Model<'_>, directive: &str, f: NodeId, c: NodeId) -> Diagnostic {
    let node = model.node(c);
    let name = model.arg(c, 0).unwrap_or_default();
    let a = model.arg(f, 1).unwrap_or_default();
    let b = model.arg(c, 1).unwrap_or_default();
    Diagnostic::at_node(
        &RULE,
        model,
        c,
        format!(
            "`{directive} {name}` is set twice in `{}`: nginx sends \
             both (`{a}` and `{b}`) to the upstream",
            model.describe_block(node.parent())
        ),
    )
    .label(Label::at_node(model, f, "first set here"))
    .help(
        "a later proxy_set_header line does not replace an earlier one \
         of the same name; keep one of them (an included file such as \
         proxy_params may already set it)",
    )
}
