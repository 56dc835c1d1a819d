//! `regex-captures-overwritten`: an unnamed capture (`$1`) read after the variable of a `map`
//! with capturing regex keys in the same value, or in a later line of the same directive at
//! the same level. Evaluating the map runs its regex, and a match replaces the request's
//! captures (`ngx_http_regex_exec` sets `r->captures`), so `$1` is the map's capture, not the
//! location's or `rewrite`'s it was written for.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::Regex;
use crate::semantics::script::{Part, parts};

pub static RULE: Rule = Rule {
    id: "regex-captures-overwritten",
    summary: "`$1` read after a regex `map`'s variable is the map's capture whenever the map \
              matched, not the one it was written for",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: false,
    doc: include_str!("../../rules/regex-captures-overwritten.md"),
    check,
};

/// The variables of `http` maps with a regex key that has a capture group: name -> the map.
fn regex_maps(model: &Model<'_>) -> HashMap<String, NodeId> {
    let mut out = HashMap::new();
    for &m in model.directives_named("map") {
        if model.enclosing(m, "stream").is_some() {
            continue;
        }
        let Some(var) = model.arg(m, 1) else {
            continue;
        };
        let captures = model.children(m).iter().any(|&e| {
            let key = model.name(e);
            let Some(re) = key.strip_prefix('~') else {
                return false;
            };
            let (re, icase) = match re.strip_prefix('*') {
                Some(r) => (r, true),
                None => (re, false),
            };
            match Regex::parse(re, icase) {
                Some(r) => !r.groups.is_empty(),
                // Unparsed: a `(` that does not start `(?` may be a group.
                None => re.contains('(') && re.replace("(?", "").contains('('),
            }
        });
        if captures {
            out.insert(var.trim_start_matches('$').to_ascii_lowercase(), m);
        }
    }
    out
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let maps = regex_maps(model);
    if maps.is_empty() {
        return Vec::new();
    }
    // (level, directive name) -> the regex map variable read so far there.
    let mut seen: HashMap<(Option<NodeId>, &str), (String, NodeId), _> = HashMap::new();
    let mut out = Vec::new();
    for (i, node) in model.nodes.iter().enumerate() {
        let id = i as NodeId;
        let name = model.name(id);
        // Conditions, patterns and the map's own values are not string expressions read
        // after the map; `rewrite` matches its own pattern first.
        if matches!(name, "map" | "if" | "location" | "rewrite")
            || model.enclosing(id, "map").is_some()
            || model.enclosing(id, "stream").is_some()
        {
            continue;
        }
        let key = (node.parent(), name);
        let mut hit = None;
        for a in 0..model.arg_count(id) {
            let Some(value) = model.arg(id, a) else {
                continue;
            };
            for part in parts(&value) {
                match part {
                    Part::Var(v) => {
                        if let Some(&m) = maps.get(&v) {
                            seen.insert(key, (v, m));
                        }
                    }
                    Part::Capture(n) if n >= 1 && hit.is_none() => {
                        if let Some((v, m)) = seen.get(&key) {
                            hit = Some((n, v.clone(), *m));
                        }
                    }
                    _ => {}
                }
            }
        }
        let Some((n, var, m)) = hit else {
            continue;
        };
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            id,
            format!(
                "`${n}` is read after `${var}`, whose map matches a regex with captures: when \
                 it matches, `${n}` is the map's capture, not the one it was written for"
            ),
        )
        .label(Label::at_node(
            model,
            m,
            "this map's regex replaces the captures when it matches",
        ))
        .help(
            "name the capture you mean (`(?<path>...)` and `$path`): named captures are \
             stored when their regex matches and later regexes do not change them",
        );
        d.primary.text = format!("`${n}` here").into();
        out.push(d);
    }
    out
}
