//! `regex-could-be-exact`: a regex `location` that matches one URI only (`~ ^/health$`):
//! `location = /health` says the same, is found without running regexes and wins first.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::{Node, Regex};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "regex-could-be-exact",
    summary: "a regex `location` that matches one URI only (`~ ^/health$`) could be \
              `location = /health`",
    severity: Severity::Info,
    fix: FixAvailability::Sometimes,
    category: Category::Style,
    default: false,
    doc: include_str!("../../rules/regex-could-be-exact.md"),
    check,
};

/// The one URI a case-sensitive literal regex location matches.
fn literal_uri(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let Some((Modifier::Regex, pattern)) = location_match(model, loc) else {
        return None;
    };
    let re = Regex::parse(&pattern, false)?;
    if !re.groups.is_empty() {
        return None;
    }
    let Node::Seq(parts) = &re.root else {
        return None;
    };
    let (Some(Node::Start), Some(Node::End)) = (parts.first(), parts.last()) else {
        return None;
    };
    let lit = Node::Seq(parts[1..parts.len() - 1].to_vec()).literal()?;
    String::from_utf8(lit).ok()
}

/// The URI a location takes in place of an exact location: its `=` path, or the one URI its
/// case-sensitive regex matches.
fn taken_uri(model: &Model<'_>, l: NodeId) -> Option<String> {
    match location_match(model, l) {
        Some((Modifier::Exact, p)) => Some(p),
        Some((Modifier::Regex, _)) => literal_uri(model, l),
        _ => None,
    }
}

/// How many locations of each block take each URI ([`taken_uri`]), counted once per block
/// (each location compared itself with every other of its block: thousands of them took
/// seconds).
type TakenUris = HashMap<Option<NodeId>, HashMap<String, u32>>;

/// Would `location = uri` (`uri` being the literal URI of regex location `loc`) duplicate a
/// sibling: an exact location already there, or another
/// regex the fix turns into the same one (nginx refuses duplicate exact locations)?
fn exact_taken(model: &Model<'_>, loc: NodeId, uri: &str, taken: &mut TakenUris) -> bool {
    let parent = model.node(loc).parent();
    let counts = taken.entry(parent).or_insert_with(|| {
        let mut counts: HashMap<String, u32> = HashMap::default();
        for &l in model.children_named_slice(parent, "location") {
            if let Some(u) = taken_uri(model, l) {
                *counts.entry(u).or_default() += 1;
            }
        }
        counts
    });
    // `uri` is the literal URI of `loc` itself, which is one of them.
    counts.get(uri).is_some_and(|&n| n > 1)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut taken = TakenUris::default();
    for &loc in model.directives_named("location") {
        // Case-sensitive regexes only (`=` compares bytes as `~` does), no captures (the
        // block may use them; `=` has none).
        let Some(uri) = literal_uri(model, loc) else {
            continue;
        };
        let Some((_, pattern)) = location_match(model, loc) else {
            continue;
        };
        // Only plain paths (nginx reads `=` values as one word).
        if !uri.starts_with('/')
            || uri
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b"{};\"'$#\\".contains(&b))
        {
            continue;
        }
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            loc,
            format!(
                "`location ~ {pattern}` matches `{uri}` only: `location = {uri}` says the same, \
                 needs no regex, and is chosen before any other location"
            ),
        )
        .help(format!("write `location = {uri}`"));
        // Unsafe fix, for the two-argument form: an exact location also wins over earlier
        // regexes and `^~` prefixes that used to take this URI first.
        let n = model.node(loc);
        let toks: Vec<_> = n.directive.arg_tokens().collect();
        if toks.len() == 2 && !exact_taken(model, loc, &uri, &mut taken) {
            diag = diag.fix(Fix::unsafe_(
                format!("Use `location = {uri}`"),
                vec![
                    Edit::replace(model.file_of(loc), toks[0].span(), "=".to_owned()),
                    Edit::replace(model.file_of(loc), toks[1].span(), uri.clone()),
                ],
            ));
        }
        out.push(diag);
    }
    out
}
