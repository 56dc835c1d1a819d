//! `origin-regex-unanchored`: a regex that checks `$http_origin` or `$http_referer` also
//! accepts hosts the author did not mean (missing `^`/`$`, an unescaped `.`, a greedy prefix),
//! found by trying attacker-shaped variants of a string the regex accepts.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::{Node, Regex};
use crate::semantics::variables;

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

/// `add_header Access-Control-Allow-Origin` echoing `$http_origin` unchecked: directly, through
/// `set`, or as a `map`'s `default`; not inside an `if` that tests `$http_origin`.
fn reflected(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    let echoes = |value: &str| -> bool {
        crate::semantics::script::parts(value)
            .iter()
            .any(|p| match p {
                crate::semantics::script::Part::Var(v) if v == "http_origin" => true,
                crate::semantics::script::Part::Var(v) => {
                    let by_set = variables::set_sites(model, v).any(|s| {
                        model
                            .arg(s, 1)
                            .is_some_and(|x| x.eq_ignore_ascii_case("$http_origin"))
                    });
                    let by_map = variables::map_sites(model, v).any(|m| {
                        model
                            .children_named_slice(Some(m), "default")
                            .iter()
                            .any(|&d| {
                                model
                                    .arg(d, 0)
                                    .is_some_and(|x| x.eq_ignore_ascii_case("$http_origin"))
                            })
                    });
                    by_set || by_map
                }
                _ => false,
            })
    };
    for &n in model.directives_named("add_header") {
        if !model
            .arg(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case("access-control-allow-origin"))
        {
            continue;
        }
        let Some(value) = model.arg(n, 1) else {
            continue;
        };
        if !echoes(&value) {
            continue;
        }
        let guarded = model.ancestors(n).any(|a| {
            model.name(a) == "if"
                && model
                    .arg(a, 0)
                    .is_some_and(|x| x.to_ascii_lowercase().contains("$http_origin"))
        });
        if guarded {
            continue;
        }
        // `Access-Control-Allow-Credentials: true` beside it (add_header lists are one
        // level's): browsers then send the victim's cookies and let the other site read the
        // answer.
        let credentials = model
            .children_named_slice(model.node(n).parent(), "add_header")
            .iter()
            .find(|&&h| {
                model
                    .arg(h, 0)
                    .is_some_and(|x| x.eq_ignore_ascii_case("access-control-allow-credentials"))
                    && model
                        .arg(h, 1)
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            })
            .copied();
        let mut diag = if credentials.is_some() {
            Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`add_header Access-Control-Allow-Origin {value}` echoes any request's \
                     Origin unchecked, with `Access-Control-Allow-Credentials: true`: any site \
                     a logged-in user visits can read these responses with the user's cookies \
                     (confidence: high)"
                ),
            )
            .severity(Severity::Error)
        } else {
            Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`add_header Access-Control-Allow-Origin {value}` echoes any request's \
                     Origin unchecked: every site may read these responses (confidence: medium)"
                ),
            )
        }
        .help(
            "echo the Origin only through a `map` whose `default` is empty and whose entries \
             are anchored regexes or exact origins",
        );
        if let Some(c) = credentials {
            diag = diag.label(crate::rules::Label::at_node(
                model,
                c,
                "credentials allowed",
            ));
        }
        diag.primary.text = "reflected Origin".into();
        out.push(diag);
    }
}
