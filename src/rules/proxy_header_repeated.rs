//! `proxy-header-repeated`: `proxy_set_header` (or `grpc_set_header`) names the same header
//! twice in one effective list.
//!
//! nginx sends both lines upstream (it builds the request headers from the whole list; the
//! later line does not replace the earlier). Two `Host` or two `Connection` lines give the
//! backend two values, and which it honours is up to the backend; two `Upgrade` lines can break
//! a WebSocket handshake. It happens when an include (`proxy_params`) and the location both set
//! a header.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "proxy-header-repeated",
    summary: "proxy_set_header names the same header twice in one block: nginx sends both \
              values upstream",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-header-repeated.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut levels: Vec<&[u32]> = vec![&model.roots];
    levels.extend(model.nodes.iter().map(|n| n.children.as_slice()));
    for children in levels {
        for directive in ["proxy_set_header", "grpc_set_header"] {
            let mut first: HashMap<String, u32> = HashMap::new();
            for &c in children {
                let node = model.node(c);
                if &*node.name != directive {
                    continue;
                }
                let Some(name) = model.arg(c, 0) else {
                    continue;
                };
                let key = name.to_ascii_lowercase();
                match first.get(&key) {
                    None => {
                        first.insert(key, c);
                    }
                    Some(&f) => {
                        let fnode = model.node(f);
                        let a = model.arg(f, 1).unwrap_or_default();
                        let b = model.arg(c, 1).unwrap_or_default();
                        out.push(
                            Diagnostic::at_node(
                                &RULE,
                                model,
                                c,
                                format!(
                                    "`{directive} {name}` is set twice in `{}`: nginx sends \
                                     both (`{a}` and `{b}`) to the upstream",
                                    model.describe_block(node.parent)
                                ),
                            )
                            .label(Label::new(
                                fnode.file,
                                fnode.directive.head_span(),
                                "first set here",
                            ))
                            .help(
                                "a later proxy_set_header line does not replace an earlier one \
                                 of the same name; keep one of them (an included file such as \
                                 proxy_params may already set it)",
                            ),
                        );
                    }
                }
            }
        }
    }
    out
}
