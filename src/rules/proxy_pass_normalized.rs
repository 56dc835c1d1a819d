//! `proxy-pass-normalized`: the path a `proxy_pass` sends is not the one nginx matched: the
//! decoded path sent unescaped (`$uri`, captures), the raw path escaped twice (after
//! `rewrite ^ $request_uri`), or a location and URI part that disagree on a trailing slash.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::decoded::{self, Decoded, PATH_META};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{Part, parts};

pub static RULE: Rule = Rule {
    id: "proxy-pass-normalized",
    summary: "the path `proxy_pass` sends differs from the one nginx matched: decoded `$uri` or \
              captures sent unescaped, the raw path escaped twice, or an off-by-slash URI part",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/proxy-pass-normalized.md"),
    check,
};

/// A `proxy_pass` argument split where nginx splits it: the host part (up to the first `/`
/// of the literal text, or the `:` after a `unix:` path) and the URI part.
struct Target {
    host: Vec<Part>,
    path: Vec<Part>,
    /// The URI part when it is all literal text.
    literal_path: Option<String>,
}

fn split(arg: &str) -> Target {
    let rest = arg.split_once("://").map_or(arg, |(_, r)| r);
    let (host_text, path_text) = if let Some(sock) = rest.strip_prefix("unix:") {
        match sock.find(':') {
            Some(i) => (&rest[..5 + i], &rest[5 + i + 1..]),
            None => (rest, ""),
        }
    } else {
        (rest, "")
    };
    let mut host = Vec::new();
    let mut path = Vec::new();
    if path_text.is_empty() && !rest.starts_with("unix:") {
        let mut in_path = false;
        for p in parts(host_text) {
            match p {
                Part::Lit(s) if !in_path => match s.find('/') {
                    Some(i) => {
                        in_path = true;
                        if i > 0 {
                            host.push(Part::Lit(s[..i].to_owned()));
                        }
                        path.push(Part::Lit(s[i..].to_owned()));
                    }
                    None => host.push(Part::Lit(s)),
                },
                p if in_path => path.push(p),
                p => host.push(p),
            }
        }
    } else {
        host = parts(host_text);
        path = parts(path_text);
    }
    let literal_path = if path.iter().all(|p| matches!(p, Part::Lit(_))) {
        Some(
            path.iter()
                .map(|p| match p {
                    Part::Lit(s) => s.as_str(),
                    _ => "",
                })
                .collect(),
        )
    } else {
        None
    };
    Target {
        host,
        path,
        literal_path,
    }
}

fn text(p: &Part) -> String {
    match p {
        Part::Lit(s) => s.clone(),
        Part::Var(v) => format!("${v}"),
        Part::Capture(n) => format!("${n}"),
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let decoded = Decoded::new(model, PATH_META);
    let mut out = Vec::new();
    for &d in model.directives_named("proxy_pass") {
        let Some(loc) = decoded::enclosing_location(model, d) else {
            continue;
        };
        let Some(arg) = model.arg(d, 0) else { continue };
        if let Some(diag) = check_one(&decoded, model, d, loc, &arg) {
            out.push(diag);
        }
    }
    out
}

fn check_one(
    decoded: &Decoded<'_, '_>,
    model: &Model<'_>,
    d: NodeId,
    loc: NodeId,
    arg: &str,
) -> Option<Diagnostic> {
    let t = split(arg);
    // 1. The decoded path, sent as it is.
    let in_path = t.path.iter().find_map(|p| decoded.decoded_var(d, &text(p)));
    let in_host = t.host.iter().find_map(|p| {
        let v = decoded.decoded_var(d, &text(p))?;
        decoded.part_can_hold_slash(d, p, 0).then_some(v)
    });
    if let Some(var) = in_path.or(in_host) {
        return Some(
            Diagnostic::at_node(
                &RULE,
                model,
                d,
                format!(
                    "`proxy_pass` builds the upstream URI from `{var}`, which holds the \
                     percent-decoded path, and nginx sends a URI made with variables without \
                     escaping it again: `%3F` reaches the upstream as `?` (the rest becomes a \
                     query), `%23` as `#`, `%25` as `%` (decoded a second time)"
                ),
            )
            .help(
                "send the path as the client wrote it: `proxy_pass` without a URI part, or \
                 `$request_uri` (raw) instead of `$uri`, or capture from `$request_uri`",
            ),
        );
    }
    // 2. The raw path, escaped a second time.
    let raw = decoded.first_raw_rewrite(loc, d);
    let path_has_var = t.path.iter().any(|p| !matches!(p, Part::Lit(_)));
    let host_carries_path = t
        .host
        .iter()
        .any(|p| !matches!(p, Part::Lit(_)) && decoded.part_can_hold_slash(d, p, 0));
    if let Some((r, always)) = raw
        && !path_has_var
        && !host_carries_path
    {
        let when = if always {
            ""
        } else {
            " (when its condition holds)"
        };
        return Some(
            Diagnostic::at_node(
                &RULE,
                model,
                d,
                format!(
                    "after `rewrite ^ $request_uri`{when} the URI is the raw request path, and \
                     this `proxy_pass` escapes it again: `%2F` reaches the upstream as `%252F`"
                ),
            )
            .severity(Severity::Info)
            .label(Label::at_node(
                model,
                r,
                "the URI becomes the raw path here",
            ))
            .help(
                "send the raw path itself: capture it with a later `rewrite` and put the capture \
                 in the URI (`rewrite ^/prefix(/.*) $1 break;` then `proxy_pass http://up$1;`)",
            ),
        );
    }
    // 3. A URI part that disagrees with a prefix location on the trailing slash.
    if model.node(d).parent() != Some(loc) || arg.contains('$') {
        return None;
    }
    let uri = t.literal_path.filter(|u| !u.is_empty())?;
    let path = decoded::prefix_path(model, loc)?;
    if path.ends_with('/') == uri.ends_with('/') {
        return None;
    }
    let label = Label::at_node(model, loc, "the matched prefix");
    let diag = if uri.ends_with('/') {
        Diagnostic::at_node(
            &RULE,
            model,
            d,
            format!(
                "`location {path}` does not end in `/` but the `proxy_pass` URI `{uri}` does: \
                 nginx replaces the matched prefix, so `{path}../x` is sent upstream as \
                 `{uri}../x`, outside `{uri}`"
            ),
        )
        .help(format!(
            "end the location in `/` as the URI does (`location {path}/`), or drop the URI's \
             trailing `/`"
        ))
    } else {
        let bare = path.trim_end_matches('/');
        Diagnostic::at_node(
            &RULE,
            model,
            d,
            format!(
                "`location {path}` ends in `/` but the `proxy_pass` URI `{uri}` does not: nginx \
                 replaces the matched prefix, so `{path}x` is sent upstream as `{uri}x`"
            ),
        )
        .severity(Severity::Info)
        .help(format!(
            "end the URI in `/` as the location does (`{uri}/`), or match `location {bare}`"
        ))
    };
    Some(diag.label(label))
}
