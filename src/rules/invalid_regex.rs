//! `invalid-regex`: a regex PCRE2 refuses, compiled as nginx compiles it.
//!
//! nginx compiles regexes while it reads the configuration (`ngx_regex_compile`:
//! `pcre2_compile` with no options but `PCRE2_CASELESS` where the form asks for it), and the
//! first one PCRE2 refuses stops it: `pcre2_compile() failed: <PCRE2's message> in "<regex>"`.
//! This rule compiles with the same library (the `pcre2` crate) and options: `location ~`
//! (caseless for `~*`), `server_name ~` (caseless), `if ($v ~ re)` (caseless for `~*`/`!~*`),
//! `rewrite` (not caseless) and `map` keys (`~`, caseless for `~*`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{LocationKind, is_nginx, location_head, regex_error};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "invalid-regex",
    summary: "a regex PCRE2 cannot compile (nginx: pcre2_compile() failed)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-regex.md"),
    check,
};

/// The regexes of node `id`: (argument index, pattern, caseless).
fn regexes(model: &Model<'_>, id: NodeId) -> Vec<(usize, String, bool)> {
    let node = model.node(id);
    let args: Vec<String> = (0..model.arg_count(id))
        .filter_map(|i| model.arg(id, i))
        .collect();
    let http = matches!(
        node.context,
        Context::HttpServer
            | Context::HttpLocation
            | Context::HttpServerIf
            | Context::HttpLocationIf
    );
    match &*node.name {
        "location" if http => match location_head(model, id) {
            Some((LocationKind::Regex { caseless }, re)) => vec![(args.len() - 1, re, caseless)],
            _ => Vec::new(),
        },
        "server_name" if http => args
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((i, a.strip_prefix('~')?.to_owned(), true)))
            .collect(),
        "rewrite" if http => args
            .first()
            .map(|a| vec![(0, a.clone(), false)])
            .unwrap_or_default(),
        "if" if http => {
            // `(` and `)` may be glued to the first and last arguments or stand alone.
            let mut parts: Vec<(usize, &str)> =
                args.iter().map(String::as_str).enumerate().collect();
            match parts.first() {
                Some(&(_, "(")) => {
                    parts.remove(0);
                }
                Some(&(i, a)) => parts[0] = (i, a.strip_prefix('(').unwrap_or(a)),
                None => {}
            }
            match parts.last() {
                Some(&(_, ")")) => {
                    parts.pop();
                }
                Some(&(i, a)) => {
                    let n = parts.len() - 1;
                    parts[n] = (i, a.strip_suffix(')').unwrap_or(a));
                }
                None => {}
            }
            let [_, (_, op), (i, re)] = parts.as_slice() else {
                return Vec::new();
            };
            let caseless = match *op {
                "~" | "!~" => false,
                "~*" | "!~*" => true,
                _ => return Vec::new(),
            };
            vec![(*i, (*re).to_owned(), caseless)]
        }
        _ if node.context == Context::Entries
            && node.parent.is_some_and(|p| &*model.node(p).name == "map") =>
        {
            let key = &*node.name;
            let (re, caseless) = if let Some(r) = key.strip_prefix("~*") {
                (r, true)
            } else if let Some(r) = key.strip_prefix('~') {
                (r, false)
            } else {
                return Vec::new();
            };
            vec![(usize::MAX, re.to_owned(), caseless)]
        }
        _ => Vec::new(),
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for id in 0..model.nodes.len() as NodeId {
        let node = model.node(id);
        if node.context != Context::Entries && !is_nginx(model, id) {
            continue;
        }
        for (i, re, caseless) in regexes(model, id) {
            let Some(message) = regex_error(re.as_bytes(), caseless) else {
                continue;
            };
            let span = if i == usize::MAX {
                node.directive.name_token().map(|t| t.span)
            } else {
                node.directive.arg_tokens().nth(i).map(|t| t.span)
            };
            let label = span.map_or_else(
                || Label::new(node.file, node.directive.head_span(), ""),
                |s| Label::new(node.file, s, "PCRE2 cannot compile this"),
            );
            out.push(
                Diagnostic::new(&RULE, label, message)
                    .help("fix the regex; it is compiled with PCRE2 exactly as nginx compiles it"),
            );
        }
    }
    out
}
