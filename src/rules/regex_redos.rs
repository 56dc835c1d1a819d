//! `regex-redos`: a regex nginx runs on request data (a regex `location`, `if`, `rewrite`,
//! `map` entry) with a shape that backtracks without bound on a failing input (`(a+)+`,
//! `(.|x)+`, `.*.*`). Medium confidence: the shapes are the classic ones, found on the regex's
//! structure, not proved on PCRE.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::{Backtracking, Regex};

pub static RULE: Rule = Rule {
    id: "regex-redos",
    summary: "a regex run on request data can backtrack without bound (`(a+)+`, `(.|x)+`, \
              `.*.*`): a crafted URI or header costs CPU per request; medium confidence",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/regex-redos.md"),
    check,
};

fn patterns(model: &Model<'_>, d: NodeId) -> Vec<(String, bool)> {
    let node = model.node(d);
    match model.name(d) {
        "location" => match location_match(model, d) {
            Some((m, p)) if m.is_regex() => vec![(p, m == Modifier::RegexCaseless)],
            _ => Vec::new(),
        },
        "rewrite" => model.arg(d, 0).map(|p| (p, false)).into_iter().collect(),
        "if" => {
            let args: Vec<String> = (0..model.arg_count(d))
                .filter_map(|k| model.arg(d, k))
                .collect();
            let icase = match args.get(1).map(String::as_str) {
                Some("~") | Some("!~") => false,
                Some("~*") | Some("!~*") => true,
                _ => return Vec::new(),
            };
            let mut p = args[2..].join(" ");
            if p.pop() != Some(')') {
                return Vec::new();
            }
            vec![(p.trim_end().to_owned(), icase)]
        }
        _ => {
            // A `map` entry with a regex key.
            let in_map = node.parent().is_some_and(|p| model.name(p) == "map");
            if !in_map {
                return Vec::new();
            }
            let key = model.name(d);
            crate::semantics::regex::map_key_regex(key)
                .map(|(p, icase)| (p.to_owned(), icase))
                .into_iter()
                .collect()
        }
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for (id, _) in model.nodes.iter().enumerate() {
        let d = id as NodeId;
        for (pattern, icase) in patterns(model, d) {
            let Some(re) = Regex::parse(&pattern, icase) else {
                continue;
            };
            let Some(kind) = re.root.backtracking() else {
                continue;
            };
            let how = match kind {
                Backtracking::Exponential => {
                    "a repeated group whose iterations can split the same input in many ways: \
                     the work doubles with each character of an input that almost matches"
                }
                Backtracking::Polynomial => {
                    "two unbounded repeats in a row over the same bytes: the work grows with \
                     the square of the input's length"
                }
            };
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    d,
                    format!(
                        "the regex `{pattern}` can backtrack without bound ({how}); the client \
                         chooses the input, so a crafted request costs CPU up to PCRE's match \
                         limit each time (medium confidence)"
                    ),
                )
                .help(
                    "give each repeat a byte that ends it (`([^/]+/)+` instead of `(.+/)+`), \
                     drop the outer repeat, or merge adjacent `.*`",
                ),
            );
        }
    }
    out
}
