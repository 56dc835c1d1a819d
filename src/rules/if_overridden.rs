//! `if-overridden`: an `if` block whose own configuration (`add_header`, `proxy_pass`...) never
//! applies, because a later `if` of the location holds whenever it does and the request takes
//! that block's configuration instead.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::location::{REWRITE_INSTRUCTIONS, replaced_ifs};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "if-overridden",
    summary: "an `if` whose directives never apply: a later `if` holds whenever it does, and \
              the request takes that block's configuration",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/if-overridden.md"),
    check,
};

/// A line as a message shows it: its name and arguments, the arguments cut past 60 bytes.
fn shown(model: &Model<'_>, n: NodeId) -> String {
    let mut text = model.name(n).to_owned();
    for a in model.args_str(n) {
        if text.len() > 60 {
            text.push_str(" …");
            break;
        }
        text.push(' ');
        text.push_str(&a);
    }
    text
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The locations holding `if`s, each read once (found from the `if`s: most locations
    // have none).
    let mut seen = foldhash::HashSet::default();
    for &i in cx.directives_named("if") {
        let Some(loc) = model.node(i).parent() else {
            continue;
        };
        if !seen.insert(loc) {
            continue;
        }
        for (x, later) in replaced_ifs(model, loc) {
            // What the block keeps for the request: everything but the rewrite phase's
            // instructions, which have run by the time the later `if` is reached.
            let lost: Vec<_> = model
                .children(x)
                .iter()
                .copied()
                .filter(|&c| !REWRITE_INSTRUCTIONS.contains(&model.name(c)))
                .collect();
            let Some(&first) = lost.first() else {
                continue;
            };
            out.push(diagnostic(model, x, first, lost.len(), later));
        }
    }
    out
}

/// The finding on `if` block `x`, whose `lost` lines (the first, `first`) `later` replaces.
fn diagnostic(
    model: &Model<'_>,
    x: NodeId,
    first: NodeId,
    lost: usize,
    later: NodeId,
) -> Diagnostic {
    let first_text = shown(model, first);
    let more = match lost {
        1 => " here never applies".to_owned(),
        2 => " and 1 more line here never apply".to_owned(),
        n => format!(" and {} more lines here never apply", n - 1),
    };
    let file = model.program.file(model.file_of(later));
    let line = file
        .lines()
        .line(model.node(later).directive.head_span().start);
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        x,
        format!(
            "whenever this condition holds, the `if` on line {line} holds too, and nginx \
             serves the request with that block's configuration: `{first_text}`{more}"
        ),
    )
    .label(Label::at_node(model, first, "never applied"))
    .label(Label::at_node(
        model,
        later,
        "its configuration replaces this block's",
    ))
    .help(
        "put these lines in the later `if` block too (it inherits nothing from this one), or \
         choose values with `map` and set them outside `if` (`add_header` with a variable \
         sends nothing when it is empty)",
    );
    diag.primary.text = "overridden by a later `if`".into();
    diag
}
