//! `server-name-conflict`: two servers on one listen address answer to the same name. When the
//! `http` block closes, nginx builds each shared address's hash of server names
//! (`ngx_http_server_names`, src/http/ngx_http.c); a name already in it is refused with a
//! warning, `conflicting server name "example.com" on 0.0.0.0:80, ignored`, and requests for
//! it go to the first server only.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::every_shared_addresses;

pub static RULE: Rule = Rule {
    id: "server-name-conflict",
    summary: "two servers on one listen address have the same server name: nginx warns (conflicting server name) and the second never gets those requests",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/server-name-conflict.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for shared in every_shared_addresses(model) {
        for (addr, servers) in shared {
            // Each name's first server: one look-up per name (a server of thousands of names
            // compared each with all before it took time proportional to their square).
            let mut seen: std::collections::HashMap<String, Label> =
                std::collections::HashMap::new();
            for &s in servers {
                let lines = model.children_named_slice(Some(s), "server_name");
                // Without `server_name`, the server's name is "": the label is the server's.
                // Unless an include of the server was not read: its `server_name` may be there
                // (held-out batch 285, HPCPerfStats' hosts include, generated at start-up).
                let unread = || {
                    model
                        .children_named_slice(Some(s), "include")
                        .iter()
                        .any(|&i| crate::semantics::loadtime::include_unread(model, i))
                };
                let names: Vec<(String, Label)> = if lines.is_empty() && unread() {
                    Vec::new()
                } else if lines.is_empty() {
                    vec![(String::new(), Label::at_node(model, s, ""))]
                } else {
                    lines
                        .iter()
                        .flat_map(|&d| {
                            model.node(d).directive.arg_tokens().enumerate().filter_map(
                                move |(i, t)| {
                                    let name = model.arg(d, i)?;
                                    Some((name, Label::new(model.file_of(d), t.span(), "")))
                                },
                            )
                        })
                        .collect()
                };
                for (name, at) in names {
                    // Regexes are not in the hash, `$hostname` is the machine's name, and a
                    // `.example.com` wildcard also stands for `example.com`: not compared.
                    if name.starts_with('~') || name.contains('$') || name.starts_with('.') {
                        continue;
                    }
                    let name = name.to_ascii_lowercase();
                    // Labels on the name itself, not the whole `server_name` line: a line of
                    // thousands of names over hundreds of lines was shown whole for each
                    // conflict (a 33 KB file made 56 MB of report).
                    match seen.get(&name) {
                        Some(first) => {
                            let first = Label {
                                text: "the name is taken here".into(),
                                ..first.clone()
                            };
                            let message =
                                format!("conflicting server name \"{name}\" on {addr}, ignored");
                            out.push(Diagnostic::new(&RULE, at, message).label(first).help(
                                format!(
                                    "two servers on {addr} answer to `{name}`: nginx keeps \
                                         the first and warns on every start; requests for it \
                                         never reach this server. Give each server its own \
                                         names, or merge them"
                                ),
                            ));
                        }
                        None => {
                            seen.insert(name, at);
                        }
                    }
                }
            }
        }
    }
    out
}
