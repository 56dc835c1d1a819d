//! `location-unreachable`: a regex location that can never be chosen because an earlier
//! sibling regex matches every URI it matches. nginx tries the regex locations of a block in
//! the order they are written and takes the first that matches (`ngx_http_core_find_location`),
//! so after `location ~ /api`, a later `location ~ /api/v1` is never used: every `/api/v1` URI
//! contains `/api`. Judged only where it is certain: the earlier pattern is a plain string
//! (optionally anchored with `^`), and the later one starts with a plain string that contains
//! it (starts with it, when the earlier is anchored). Case matters as nginx applies it: a
//! case-sensitive `~` does not cover a caseless `~*`.
//!
//! Also a prefix or exact location whose string does not start with `/`: nginx matches
//! locations against the request's normalised URI, which always does (a request line whose
//! target starts otherwise is refused with 400), so `location ^/(auth|api)(/|$)`, a regex
//! missing its `~`, never matches anything.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::{LocationKind, location_head};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "location-unreachable",
    summary: "a location never chosen: an earlier regex location in the same block matches every URI it would, or its prefix does not start with `/`",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/location-unreachable.md"),
    check,
};

/// The pattern's leading plain string (escapes like `\.` read as the character) and whether
/// that string is the whole pattern; `^` stripped and reported.
fn literal_prefix(re: &str) -> (bool, String, bool) {
    let (anchored, body) = match re.strip_prefix('^') {
        Some(b) => (true, b),
        None => (false, re),
    };
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_punctuation() => out.push(e),
                _ => return (anchored, out, false),
            },
            '.' | '[' | '(' | ')' | '|' | '$' | '^' | '{' | '}' => {
                return (anchored, out, false);
            }
            '*' | '?' | '+' => {
                // The quantifier applies to the last character: it is not part of the prefix.
                out.pop();
                return (anchored, out, false);
            }
            _ => out.push(c),
        }
    }
    (anchored, out, true)
}

/// An earlier regex location that can shadow later ones: its pattern is a plain string
/// (`literal_prefix` reads it whole), lowercased when the location is caseless.
struct Shadower<'p> {
    id: NodeId,
    caseless: bool,
    anchored: bool,
    literal: String,
    re: std::borrow::Cow<'p, str>,
}

/// The regex locations of block `parent` that can shadow later ones, in node order.
fn shadowers_of<'p>(model: &Model<'p>, parent: Option<NodeId>) -> Vec<Shadower<'p>> {
    let mut out = Vec::new();
    for &id in model.children_named_slice(parent, "location") {
        let Some((LocationKind::Regex { caseless }, re)) = location_head(model, id) else {
            continue;
        };
        let (anchored, literal, whole) = literal_prefix(&re);
        if !whole || literal.is_empty() {
            continue;
        }
        let literal = if caseless {
            literal.to_ascii_lowercase()
        } else {
            literal
        };
        out.push(Shadower {
            id,
            caseless,
            anchored,
            literal,
            re,
        });
    }
    out
}

/// Does a prefix or exact location's string start with something no request URI starts with,
/// written by hand? A regex missing its `~` (`^/api`), a path missing its `/` (`health`,
/// `*.php`). Not an empty string (`location ""` matches every URI), nor template markup that
/// is replaced before nginx reads the file (`__PATH__/`, `{{ path }}`, `${PREFIX}/`,
/// `%%PATH%%`, an upper-case `SUBPATH/` a script substitutes).
fn misses_the_slash(name: &str) -> bool {
    let templated = |markers: &[&str]| markers.iter().any(|m| name.contains(m));
    match name.as_bytes().first() {
        Some(b'^' | b'(') => !templated(&["__", "{{", "${", "%%"]),
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'*') => {
            !templated(&["__", "{", "$", "%", "<", "@"])
        }
        _ => false,
    }
}

/// A prefix or exact location whose string does not start with `/`: no request URI starts
/// with it.
fn never_matches(model: &Model<'_>, id: NodeId, kind: LocationKind, name: &str) -> Diagnostic {
    let what = if kind == LocationKind::Exact {
        "an exact-match"
    } else {
        "a prefix"
    };
    let written = model.args_str(id).join(" ");
    // Regex syntax in the string: a regex location missing its `~`.
    let help = if name.starts_with(['^', '(']) || name.contains(['(', '|', '$', '*', '\\', '[']) {
        format!("it reads as a regex: make it a regex location with `location ~ {name}`")
    } else {
        format!("start it with `/`: `/{name}`")
    };
    Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!(
            "`location {written}` never matches: it is {what} location, and every request URI \
             nginx matches locations against starts with `/`"
        ),
    )
    .help(help)
}

/// Runs by part ([`super::BY_PART`]): a regex location is judged in the part holding it,
/// against the regex locations before it in its block, which the model's index of each
/// block's children gives whichever part they are in. A block's possible shadowers are read
/// once per part, when its first regex location there is judged: each later location is then
/// compared with those only (a block of thousands of locations read each earlier one's
/// pattern again for every regex location).
fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut blocks: foldhash::HashMap<Option<NodeId>, Vec<Shadower<'_>>> =
        foldhash::HashMap::default();
    for &later in cx.directives_named("location") {
        let (later_caseless, later_re) = match location_head(model, later) {
            Some((LocationKind::Regex { caseless }, re)) => (caseless, re),
            Some((kind @ (LocationKind::Prefix | LocationKind::Exact), name))
                if misses_the_slash(&name) =>
            {
                out.push(never_matches(model, later, kind, &name));
                continue;
            }
            _ => continue,
        };
        let parent = model.node(later).parent();
        let shadowers = blocks
            .entry(parent)
            .or_insert_with(|| shadowers_of(model, parent));
        let (l_anchored, l_prefix, _) = literal_prefix(&later_re);
        let mut l_lower: Option<String> = None;
        let shadow = shadowers.iter().take_while(|s| s.id < later).find(|s| {
            if later_caseless && !s.caseless {
                return false;
            }
            let hay = if s.caseless {
                l_lower.get_or_insert_with(|| l_prefix.to_ascii_lowercase())
            } else {
                &l_prefix
            };
            if s.anchored {
                l_anchored && hay.starts_with(&s.literal)
            } else {
                hay.contains(&s.literal)
            }
        });
        let Some(Shadower {
            id: earlier,
            re: earlier_re,
            ..
        }) = shadow
        else {
            continue;
        };
        let e = model.node(*earlier);
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                later,
                format!(
                    "`location {}` is never used: the earlier regex location `{earlier_re}` \
                     matches every URI it matches, and nginx takes the first regex that \
                     matches",
                    model
                        .arg(later, 0)
                        .map_or_else(String::new, |m| format!("{m} {later_re}"))
                ),
            )
            .label(Label::new(
                model.file_of(*earlier),
                e.directive.head_span(),
                "this regex wins first",
            ))
            .help("move the more specific location above the general one"),
        );
    }
    out
}
