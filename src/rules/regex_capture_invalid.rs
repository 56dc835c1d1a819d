//! `regex-capture-invalid`: `$N` names a capture group that no regex in effect has (`$2`
//! after a regex with one group, `$1` where no regex ran): nginx expands it to nothing.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::location::location_match;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::Regex;
use crate::semantics::script::{Part, parts};

pub static RULE: Rule = Rule {
    id: "regex-capture-invalid",
    summary: "`$N` names a capture group no regex in effect has (`$2` after one group): nginx \
              expands it to an empty string",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/regex-capture-invalid.md"),
    check,
};

/// Directives whose arguments are not values with captures (patterns, names, conditions).
const NOT_VALUES: &[&str] = &[
    "if",
    "location",
    "map",
    "server_name",
    "log_format",
    "js_set",
    "perl_set",
];

/// Group count of a regex argument; `None` when the regex reader does not know it.
fn groups(pattern: &str, icase: bool) -> Option<usize> {
    Regex::parse(pattern, icase).map(|r| r.groups.len())
}

/// `if ($x ~ re)`: groups it provides inside its block (0 for `!~`, which matched nothing).
fn if_groups(model: &Model<'_>, i: NodeId) -> Option<Option<usize>> {
    let args: Vec<String> = (0..model.arg_count(i))
        .filter_map(|k| model.arg(i, k))
        .collect();
    let op = args.get(1)?;
    let (neg, icase) = match op.as_str() {
        "~" => (false, false),
        "~*" => (false, true),
        "!~" => (true, false),
        "!~*" => (true, true),
        _ => return None,
    };
    let mut pattern = args[2..].join(" ");
    if pattern.pop() != Some(')') {
        return Some(None);
    }
    let g = groups(pattern.trim_end(), icase);
    Some(if neg { g.map(|_| 0) } else { g })
}

/// The most groups any regex that may have run before `d` provides: the regex location
/// around it, `rewrite`s and regex `if`s before it in its location or server, regex
/// `server_name`s, and (conservatively) the server's other regex locations. `None` when one of
/// them is unreadable; `Some(None)` when there is none.
fn available(model: &Model<'_>, d: NodeId) -> Option<Option<usize>> {
    let mut best: Option<usize> = None;
    let mut add = |g: Option<usize>| -> bool {
        match g {
            Some(n) => {
                best = Some(best.map_or(n, |b| b.max(n)));
                true
            }
            None => false,
        }
    };
    let server = model.enclosing(d, "server")?;
    for &s in model.children_named_slice(Some(server), "server_name") {
        for k in 0..model.arg_count(s) {
            if let Some(p) = model
                .arg(s, k)
                .and_then(|a| a.strip_prefix('~').map(str::to_owned))
                && !add(groups(&p, false))
            {
                return None;
            }
        }
    }
    // Every regex location of the server (a request may have matched one before an internal
    // redirect), and rewrites and regex ifs that run before `d`.
    let mut stack = vec![server];
    while let Some(b) = stack.pop() {
        for &c in &model.node(b).children {
            match &*model.node(c).name {
                "location" => {
                    if let Some((m, p)) = location_match(model, c)
                        && m.is_regex()
                        && !add(groups(
                            &p,
                            m == crate::semantics::location::Modifier::RegexCaseless,
                        ))
                    {
                        return None;
                    }
                    stack.push(c);
                }
                "if" => {
                    if c < d
                        && let Some(g) = if_groups(model, c)
                        && !add(g)
                    {
                        return None;
                    }
                    stack.push(c);
                }
                "rewrite" if c < d && !add(model.arg(c, 0).and_then(|p| groups(&p, false))) => {
                    return None;
                }
                "limit_except" => stack.push(c),
                _ => {}
            }
        }
    }
    Some(best)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for (id, node) in model.nodes.iter().enumerate() {
        let d = id as NodeId;
        if NOT_VALUES.contains(&&*node.name) {
            continue;
        }
        let is_rewrite = &*node.name == "rewrite";
        let first = usize::from(is_rewrite);
        let mut max_ref = 0;
        for k in first..model.arg_count(d) {
            let Some(v) = model.arg(d, k) else { continue };
            if !v.contains('$') {
                continue;
            }
            for p in parts(&v) {
                if let Part::Capture(n) = p {
                    max_ref = max_ref.max(n);
                }
            }
        }
        if max_ref == 0 {
            continue;
        }
        let parent_is_map = node
            .parent
            .is_some_and(|p| matches!(&*model.node(p).name, "map" | "geo" | "split_clients"));
        let (have, source) = if is_rewrite {
            let Some(g) = model.arg(d, 0).and_then(|p| groups(&p, false)) else {
                continue;
            };
            (g, "its regex")
        } else if parent_is_map {
            // A map entry: its own regex key (a plain key has none of its own).
            let key = &*node.name;
            let Some((p, icase)) = key
                .strip_prefix("~*")
                .map(|p| (p, true))
                .or_else(|| key.strip_prefix('~').map(|p| (p, false)))
            else {
                continue;
            };
            let Some(g) = groups(p, icase) else { continue };
            (g, "the entry's regex")
        } else {
            match available(model, d) {
                Some(Some(g)) => (g, "the regexes that can run before it"),
                Some(None) => (0, "no regex that runs before it"),
                None => continue,
            }
        };
        if max_ref <= have {
            continue;
        }
        let msg = if have == 0 && source.starts_with("no ") {
            format!(
                "`${max_ref}` refers to a capture, but there is {source}: nginx expands it to \
                 an empty string"
            )
        } else {
            let verb = if source.starts_with("the regexes") {
                "have"
            } else {
                "has"
            };
            let groups = match have {
                0 => "no capture group".to_owned(),
                1 => "only 1 group".to_owned(),
                n => format!("only {n} groups"),
            };
            format!(
                "`${max_ref}` refers to capture group {max_ref}, but {source} {verb} {groups}: \
                 nginx expands it to an empty string"
            )
        };
        out.push(Diagnostic::at_node(&RULE, model, d, msg).help(
            "count the groups: `(...)` captures, `(?:...)` does not; or name the group \
             (`(?<path>...)`) and use `$path`",
        ));
    }
    out
}
