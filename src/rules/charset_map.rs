//! `charset-map`: the charset module's `charset_map` relations nginx checks:
//!
//! - a second `charset_map` between the same two charsets as the first one (either order):
//!   `duplicate "charset_map" between "koi8-r" and "utf-8"` (`ngx_http_charset_map_block`, as
//!   nginx reads it; it compares each map with the first only);
//! - a block whose `source_charset` and `charset` differ with no `charset_map` between them
//!   (`ngx_http_charset_postconfiguration`, when the `http` block closes): `no "charset_map"
//!   between the charsets "koi8-r" and "utf-8"`.
//! - what nginx refuses in one map (`ngx_http_charset_map_block`, `ngx_http_charset_map`):
//!   the same charset twice, `utf-8` first (1.31.3+), and entries that are not hex codes (or,
//!   to utf-8, one UTF-8 character): `invalid value "D0"`, `invalid parameters number`.
//!
//! Charset names compare case-insensitively; `off` and variables are not recodings. The missing
//! map is looked for only in whole programs whose includes were all read (Debian's `koi-utf`,
//! `koi-win` and `win-utf` hold maps).

use std::collections::{HashMap, HashSet};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::http_values::charset_map_entry_error;
use crate::semantics::loadtime::{complete, is_nginx};
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "charset-map",
    summary: "a `charset_map` given twice, or `source_charset` and `charset` with no `charset_map` between them (nginx: no \"charset_map\" between the charsets)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/charset-map.md"),
    check,
};

/// The charset a `charset`/`source_charset` directive names, lowercased; `None` for `off` and
/// variables.
fn named(model: &crate::semantics::model::Model<'_>, id: NodeId) -> Option<String> {
    let v = model.arg(id, 0)?;
    (v != "off" && !v.starts_with('$')).then(|| v.to_ascii_lowercase())
}

/// nginx 1.31.3 refuses `charset_map utf-8 X` before looking for duplicates.
const UTF8_FIRST_REFUSED: Version = Version(1, 31, 3);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Every name as nginx first registers it (its charsets keep the first spelling).
    let mut spelled: HashMap<String, String> = HashMap::new();
    let mut spell = |model: &crate::semantics::model::Model<'_>, id: NodeId, i: usize| {
        if let Some(v) = model
            .arg(id, i)
            .filter(|v| v != "off" && !v.starts_with('$'))
        {
            spelled.entry(v.to_ascii_lowercase()).or_insert(v);
        }
    };
    let ids: Vec<NodeId> = cx
        .directives_named_any(&["charset_map", "charset", "source_charset"])
        .into_iter()
        .filter(|&id| is_nginx(model, id))
        .collect();
    let mut maps: HashMap<(String, String), NodeId> = HashMap::new();
    let mut first_map: Option<((String, String), NodeId)> = None;
    for &id in &ids {
        let name = model.name(id);
        if name != "charset_map" {
            spell(model, id, 0);
            continue;
        }
        spell(model, id, 0);
        spell(model, id, 1);
        let (Some(a), Some(b)) = (model.arg(id, 0), model.arg(id, 1)) else {
            continue;
        };
        let (la, lb) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
        // Checked before duplicates: the same charset twice, and since 1.31.3 utf-8 in the
        // first column.
        if la == lb {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!("\"charset_map\" between the same charsets \"{a}\" and \"{b}\""),
                )
                .help("a map converts between two charsets: name two different ones"),
            );
            continue;
        }
        if la == "utf-8" && cx.version >= UTF8_FIRST_REFUSED {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    "\"charset_map\" with \"utf-8\" charset should be given in the second column",
                )
                .help(
                    "write `charset_map OTHER utf-8 { ... }` with the other charset's codes first",
                ),
            );
            continue;
        }
        let utf8 = lb == "utf-8";
        let key = if la < lb { (la, lb) } else { (lb, la) };
        // nginx compares each new map with its first one only (`table->src`, the pointer
        // never moves), so a repeat of a later map passes.
        let first_map = first_map.get_or_insert_with(|| (key.clone(), id));
        if first_map.0 == key && first_map.1 != id {
            let first = first_map.1;
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!("duplicate \"charset_map\" between \"{a}\" and \"{b}\""),
                )
                .label(Label::at_node(model, first, "the first map between them"))
                .help("one map converts both ways: keep one of the two blocks"),
            );
        }
        // The entries, read after the checks above: nginx stops at the first it refuses.
        else if let Some((e, message)) = model.children(id).iter().find_map(|&e| {
            let values = model.args(e);
            let values: Vec<&[u8]> = values.iter().map(|v| &**v).collect();
            charset_map_entry_error(model.name(e).as_bytes(), &values, utf8).map(|m| (e, m))
        }) {
            out.push(Diagnostic::at_node(&RULE, model, e, message).help(
                "an entry is `SOURCE TARGET;`: hex codes up to `FF`, or one to three hex bytes of one UTF-8 character when the map is to utf-8",
            ));
        }
        maps.entry(key).or_insert(id);
    }
    let all_read = model.directives_named("include").iter().all(|&i| {
        let n = model.node(i);
        !model
            .program
            .included(model.file_of(i), n.directive)
            .is_empty()
    });
    if !complete(model) || !all_read {
        return out;
    }
    // Without both directives somewhere, no block has a conversion to check.
    if model.directives_named("source_charset").is_empty()
        || model.directives_named("charset").is_empty()
    {
        return out;
    }
    // The blocks nginx merges (servers, locations, `if` in locations) and, in each, the
    // charsets in effect: the nearest level that sets each directive.
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for (id, node) in model.nodes.iter().enumerate() {
        let id = id as NodeId;
        let merged = match model.name(id) {
            "server" => node.context == Context::Http,
            "location" => true,
            "if" => node.context == Context::HttpLocation,
            _ => false,
        };
        if !merged || !is_nginx(model, id) {
            continue;
        }
        let nearest = |name: &str| {
            std::iter::once(id)
                .chain(model.ancestors(id))
                .find_map(|b| model.children_named_slice(Some(b), name).last().copied())
        };
        let (Some(src_at), Some(dst_at)) = (nearest("source_charset"), nearest("charset")) else {
            continue;
        };
        let (Some(src), Some(dst)) = (named(model, src_at), named(model, dst_at)) else {
            continue;
        };
        let key = if src < dst {
            (src.clone(), dst.clone())
        } else {
            (dst.clone(), src.clone())
        };
        if src == dst || maps.contains_key(&key) || !reported.insert(key) {
            continue;
        }
        let shown = |c: &str| spelled.get(c).cloned().unwrap_or_else(|| c.to_owned());
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                src_at,
                format!(
                    "no \"charset_map\" between the charsets \"{}\" and \"{}\"",
                    shown(&src),
                    shown(&dst)
                ),
            )
            .label(Label::at_node(model, dst_at, "the charset sent"))
            .help(format!(
                "nginx has no built-in conversions: add a `charset_map {} {} {{ ... }}` block (Debian ships koi-utf, koi-win and win-utf to include), or drop `source_charset`",
                shown(&src),
                shown(&dst)
            )),
        );
    }
    out
}
