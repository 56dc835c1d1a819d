//! `origin-regex-unanchored`: a regex that checks `$http_origin` or `$http_referer` also
//! accepts hosts the author did not mean (missing `^`/`$`, an unescaped `.`, a greedy prefix),
//! found by trying attacker-shaped variants of a string the regex accepts.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::{Node, Regex};

pub static RULE: Rule = Rule {
    id: "origin-regex-unanchored",
    summary: "an `Origin`/`Referer` check's regex also accepts other sites (missing `^`/`$`, an \
              unescaped `.`, an open prefix); medium confidence",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/origin-regex-unanchored.md"),
    check,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Header {
    Origin,
    Referer,
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &i in model.directives_named("if") {
        let args: Vec<String> = (0..model.arg_count(i))
            .filter_map(|k| model.arg(i, k))
            .collect();
        let Some(var) = args.first().and_then(|a| a.strip_prefix('(')) else {
            continue;
        };
        let Some(op) = args.get(1) else { continue };
        let icase = match op.as_str() {
            "~" | "!~" => false,
            "~*" | "!~*" => true,
            _ => continue,
        };
        let mut pattern = args[2..].join(" ");
        if pattern.pop() != Some(')') {
            continue;
        }
        report(model, i, var, pattern.trim_end(), icase, &mut out);
    }
    reflected(model, &mut out);
    for &m in model.directives_named("map") {
        let Some(var) = model.arg(m, 0) else { continue };
        for &e in model.children(m) {
            let key = model.name(e);
            let Some((pattern, icase)) = crate::semantics::regex::map_key_regex(key) else {
                continue;
            };
            report(model, e, &var, pattern, icase, &mut out);
        }
    }
    out
}

fn report(
    model: &Model<'_>,
    at: NodeId,
    var: &str,
    pattern: &str,
    icase: bool,
    out: &mut Vec<Diagnostic>,
) {
    let var = var.to_ascii_lowercase();
    let header = match var.as_str() {
        "$http_origin" => Header::Origin,
        "$http_referer" | "$http_referrer" => Header::Referer,
        _ => return,
    };
    let why = if var == "$http_referrer" {
        Some(
            "`$http_referrer` is the header `Referrer`, which browsers never send (the header is \
             `Referer`, `$http_referer`)"
                .to_owned(),
        )
    } else {
        Regex::parse(pattern, icase).and_then(|re| weakness(&re.root, header))
    };
    let Some(why) = why else { return };
    let what = if header == Header::Origin {
        "Origin"
    } else {
        "Referer"
    };
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        at,
        format!("the `{what}` check `{pattern}` {why} (confidence: medium)"),
    )
    .help(
        "anchor both ends and escape dots: `^https://(www\\.)?example\\.com$` for an Origin, \
         `^https://(www\\.)?example\\.com/` for a Referer",
    );
    diag.primary.text = format!("{what} check").into();
    out.push(diag);
}

/// Why the regex accepts a site it should not, if it does.
fn weakness(root: &Node, header: Header) -> Option<String> {
    let branches: Vec<&Node> = match root {
        Node::Alt(v) => v.iter().collect(),
        n => vec![n],
    };
    let accepts = |s: &str| root.search(s.as_bytes()) == Some(true);
    for b in branches {
        let example = b.example();
        if !accepts(&example) {
            continue;
        }
        let Some(scheme_end) = example.find("://") else {
            return Some(format!(
                "accepts `{example}`, which has no scheme: it cannot be a real {} value, so \
                 the check does not do what it says",
                if header == Header::Origin {
                    "Origin"
                } else {
                    "Referer"
                }
            ));
        };
        let pre = &example[..scheme_end + 3];
        let after = &example[scheme_end + 3..];
        let host_end = after.find(['/', ':', '?', '#']).unwrap_or(after.len());
        let (host, rest) = after.split_at(host_end);
        if host.is_empty() {
            continue;
        }
        if header == Header::Origin && rest.starts_with('/') {
            return Some(format!(
                "expects a path (`{example}`), but an Origin is only scheme, host and port: \
                 the check never matches a real Origin"
            ));
        }
        let attacks = [
            format!("{pre}{host}.evil.example{rest}"),
            format!("{pre}{host}@evil.example{rest}"),
            format!("{pre}evil{host}{rest}"),
            format!("https://evil.example/?{example}"),
            format!("evil{example}"),
        ];
        if let Some(a) = attacks.iter().find(|a| accepts(a)) {
            return Some(format!("also accepts `{a}`"));
        }
        // An unescaped dot in the registrable part: `example.com` accepts `examplexcom`.
        let labels: Vec<&str> = host.split('.').collect();
        let tail = |h: &str| {
            let l: Vec<&str> = h.split('.').collect();
            l[l.len().saturating_sub(2)..].join(".")
        };
        for (k, _) in host.match_indices('.') {
            let swapped = format!("{}x{}", &host[..k], &host[k + 1..]);
            if labels.len() >= 2 && tail(&swapped) != tail(host) {
                let a = format!("{pre}{swapped}{rest}");
                if accepts(&a) {
                    return Some(format!(
                        "also accepts `{a}`: a `.` in the host is not escaped (`\\.`)"
                    ));
                }
            }
        }
    }
    None
}

/// `add_header Access-Control-Allow-Origin` echoing `$http_origin` unchecked, without
/// `Access-Control-Allow-Credentials: true` beside it (with it, `cors-origin-reflected`, in
/// the default set, reports it).
fn reflected(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for r in crate::semantics::headers::reflected_origins(model) {
        if r.credentials.is_some() {
            continue;
        }
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            r.header,
            format!(
                "`add_header Access-Control-Allow-Origin {}` echoes any request's Origin \
                 unchecked: every site may read these responses (confidence: medium)",
                r.value
            ),
        )
        .help(
            "echo the Origin only through a `map` whose `default` is empty and whose entries \
             are anchored regexes or exact origins",
        );
        diag.primary.text = "reflected Origin".into();
        out.push(diag);
    }
}
