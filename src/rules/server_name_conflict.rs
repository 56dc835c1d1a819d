//! `server-name-conflict`: two servers on one listen address answer to the same name. When the
//! `http` block closes, nginx builds each shared address's hash of server names
//! (`ngx_http_server_names`, src/http/ngx_http.c); a name already in it is refused with a
//! warning, `conflicting server name "example.com" on 0.0.0.0:80, ignored`, and requests for
//! it go to the first server only.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::every_shared_addresses;
use crate::semantics::model::NodeId;

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
            let mut seen: Vec<(String, NodeId)> = Vec::new();
            for &s in servers {
                let lines = model.children_named_slice(Some(s), "server_name");
                // Without `server_name`, the server's name is "".
                let names: Vec<(String, NodeId)> = if lines.is_empty() {
                    vec![(String::new(), s)]
                } else {
                    lines
                        .iter()
                        .flat_map(|&d| {
                            (0..model.arg_count(d))
                                .filter_map(move |i| model.arg(d, i).map(|n| (n, d)))
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
                    match seen.iter().find(|(n, _)| *n == name) {
                        Some(&(_, first)) => {
                            out.push(
                                Diagnostic::at_node(
                                    &RULE,
                                    model,
                                    at,
                                    format!(
                                        "conflicting server name \"{name}\" on {addr}, ignored"
                                    ),
                                )
                                .label(Label::at_node(model, first, "the name is taken here"))
                                .help(format!(
                                    "two servers on {addr} answer to `{name}`: nginx keeps the \
                                     first and warns on every start; requests for it never reach \
                                     this server. Give each server its own names, or merge them"
                                )),
                            );
                        }
                        None => seen.push((name, at)),
                    }
                }
            }
        }
    }
    out
}
