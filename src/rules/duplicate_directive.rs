//! `duplicate-directive`: a single-valued directive set twice in one block.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use std::collections::HashMap;

use crate::semantics::loadtime;
use crate::semantics::model::{Model, NameBuild, NodeId};

pub static RULE: Rule = Rule {
    id: "duplicate-directive",
    summary: "a single-valued directive is set twice in the same block (nginx: \"is duplicate\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-directive.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // One map for every level, emptied between them (no allocation per block), with the
    // model's name hasher rather than SipHash: it ran once per unique directive (issue #13).
    let mut first: HashMap<&str, u32, NameBuild> = HashMap::default();
    // Most blocks hold a few directives: there, comparing names with the ones met before costs
    // less than hashing each.
    const SMALL_LEVEL: usize = 64;
    let mut firsts: Vec<u32> = Vec::new();
    // A level of fewer than two directives repeats none.
    // By part ([`super::BY_PART`]): the levels of the part's nodes, and the top level with
    // the first part.
    let top = cx.node_ids().start == 0;
    let levels = top
        .then(|| model.levels().next())
        .flatten()
        .into_iter()
        .chain(cx.node_ids().map(|id| model.children(id)));
    for children in levels.filter(|c| c.len() > 1) {
        first.clear();
        firsts.clear();
        for &c in children {
            if !model.spec(c).is_some_and(|s| s.unique) {
                continue;
            }
            let name = model.name(c);
            let earlier = if children.len() <= SMALL_LEVEL {
                let earlier = firsts.iter().copied().find(|&f| model.name(f) == name);
                if earlier.is_none() {
                    firsts.push(c);
                }
                earlier
            } else {
                let earlier = first.get(name).copied();
                if earlier.is_none() {
                    first.insert(name, c);
                }
                earlier
            };
            match earlier {
                None => {}
                Some(f) => {
                    out.push(
                        Diagnostic::at_node(
                            &RULE,
                            model,
                            c,
                            format!("\"{name}\" directive is duplicate"),
                        )
                        .label(Label::at_node(model, f, "first set here"))
                        .help("nginx refuses to start; keep one of them"),
                    );
                }
            }
        }
    }
    // Asked of the includes this part holds (each by one part): most configurations have
    // none such.
    // The first include of a known file at its level stands for every later one (a block
    // that includes the file twice repeats the file's lines, which the lines above compare
    // once read): asked once per level and file.
    let mut asked: std::collections::HashSet<(Option<NodeId>, &'static str), NameBuild> =
        std::collections::HashSet::default();
    for &include in model.directives_named_in("include", cx.node_ids()) {
        let Some(file) = known_file(model, include) else {
            continue;
        };
        let level = model.node(include).parent();
        if !asked.insert((level, file.what)) {
            continue;
        }
        // The level's first include of the file, whichever part holds it.
        let first = model
            .children_named_slice(level, "include")
            .iter()
            .copied()
            .find(|&i| known_file(model, i).is_some_and(|f| std::ptr::eq(f, file)));
        if first == Some(include) {
            known_file_repeated(model, include, file, &mut out);
        }
    }
    out
}

/// The known file include `include` names ([`loadtime::known_include`]), where it could not
/// be read here (read, its lines are the block's, and the check above compares them).
fn known_file(model: &Model<'_>, include: NodeId) -> Option<&'static loadtime::KnownFile> {
    let file = loadtime::known_include(&model.arg_str(include, 0)?)?;
    (!loadtime::include_read(model, include)).then_some(file)
}

/// Lines of `include`'s block that set what `file`, the known file it names and that could
/// not be read here, sets ([`loadtime::known_include`]: Certbot's TLS options, Debian's PHP
/// snippet).
fn known_file_repeated(
    model: &Model<'_>,
    include: NodeId,
    file: &loadtime::KnownFile,
    out: &mut Vec<Diagnostic>,
) {
    let arg = model.arg_str(include, 0).unwrap_or_default();
    let node = model.node(include);
    for setting in file.settings {
        for &line in model.children_named_slice(node.parent(), setting.directive) {
            if !model.spec(line).is_some_and(|s| s.unique) {
                continue;
            }
            let name = setting.directive;
            let (message, severity) = if setting.always {
                (
                    format!(
                        "\"{name}\" directive is duplicate: {} (`include {arg};`) sets it too",
                        file.what
                    ),
                    Severity::Error,
                )
            } else {
                (
                    format!(
                        "\"{name}\" directive is duplicate where {} (`include {arg};`) sets it \
                         too, as {}",
                        file.what, file.variants
                    ),
                    Severity::Warning,
                )
            };
            let mut d = Diagnostic::at_node(&RULE, model, line, message)
                .label(Label::at_node(
                    model,
                    include,
                    format!("not read here; the file has `{}`", setting.line),
                ))
                .help(
                    "nginx refuses to start; keep one: remove this line, or replace the include \
                     with the file's other lines",
                );
            d.severity = severity;
            out.push(d);
        }
    }
}
