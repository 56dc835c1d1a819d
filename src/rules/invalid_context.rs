//! `invalid-context`: a known directive where nginx refuses it ("is not allowed here").

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::context::Context;
use crate::semantics::directives::{ctx, lookup};

pub static RULE: Rule = Rule {
    id: "invalid-context",
    summary: "directive not allowed in this block (nginx: \"is not allowed here\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-context.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for id in cx.node_ids() {
        let node = model.node(id);
        if !node.context.is_checked() || model.spec(id).is_some() {
            continue;
        }
        let specs = lookup(model.name(id).as_bytes());
        if specs.is_empty() {
            continue; // unknown-directive's business
        }
        let allowed: u32 = specs.iter().fold(0, |m, s| m | s.contexts);
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            id,
            format!(
                "\"{}\" directive is not allowed here ({})",
                model.name(id),
                node.context.name()
            ),
        );
        let places = describe(allowed);
        if !places.is_empty() {
            d = d.help(format!("`{}` is allowed in: {places}", model.name(id)));
        }
        if matches!(
            node.context,
            Context::HttpLocationIf | Context::HttpServerIf
        ) && allowed & (ctx::HTTP_LOC | ctx::HTTP_SRV) != 0
        {
            d = d.help(format!(
                "only a few directives work inside `if`; move `{}` to the enclosing block (or use a `map` to compute the value)",
                model.name(id)
            ));
        }
        out.push(d);
    }
    out
}

fn describe(mask: u32) -> String {
    let names = [
        (ctx::MAIN, "main"),
        (ctx::EVENTS, "events"),
        (ctx::HTTP, "http"),
        (ctx::HTTP_SRV, "server"),
        (ctx::HTTP_LOC, "location"),
        (ctx::HTTP_SIF, "if in server"),
        (ctx::HTTP_LIF, "if in location"),
        (ctx::HTTP_LMT, "limit_except"),
        (ctx::HTTP_UPS, "upstream"),
        (ctx::STREAM, "stream"),
        (ctx::STREAM_SRV, "stream server"),
        (ctx::STREAM_UPS, "stream upstream"),
        (ctx::MAIL, "mail"),
        (ctx::MAIL_SRV, "mail server"),
    ];
    if mask == u32::MAX {
        return "any block".to_owned();
    }
    names
        .iter()
        .filter(|(bit, _)| mask & bit != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
