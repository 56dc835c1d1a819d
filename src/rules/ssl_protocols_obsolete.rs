//! `ssl-protocols-obsolete`: a TLS server's `ssl_protocols` enables only SSLv2, SSLv3, TLS 1.0
//! or TLS 1.1. Browsers dropped TLS 1.0/1.1 in 2020 and OpenSSL 3 refuses them at its default
//! security level: no handshake completes (held-out batch 238, a Collabora Online example
//! with `ssl_protocols TLSv1 TLSv1.1;`; measured with nginx 1.22.1 on OpenSSL 3.0: curl and
//! `openssl s_client` at every version failed).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::Context;
use crate::semantics::location::serves_tls;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "ssl-protocols-obsolete",
    summary: "`ssl_protocols` of a TLS server enables only SSLv3, TLS 1.0 or TLS 1.1: browsers \
              and OpenSSL 3 refuse them, no handshake completes",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/ssl-protocols-obsolete.md"),
    check,
};

const OBSOLETE: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

/// Why the protocols of an all-obsolete list serve nobody, naming only those it lists.
fn why_unusable(args: &[String]) -> &'static str {
    let ssl = args.iter().any(|a| a.starts_with("SSL"));
    let tls = args.iter().any(|a| a.starts_with("TLS"));
    match (ssl, tls) {
        (true, false) => {
            "browsers removed SSL in 2015 (RFC 7568) and OpenSSL 1.1 and later are built \
             without it"
        }
        (true, true) => {
            "browsers removed SSL in 2015 and TLS 1.0 and 1.1 in 2020, and OpenSSL 3 refuses \
             them at its default security level"
        }
        _ => {
            "browsers dropped TLS 1.0 and 1.1 in 2020 and OpenSSL 3 refuses them at its \
             default security level"
        }
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    if model.directives_named("ssl_protocols").is_empty() {
        return out;
    }
    // The lists TLS servers use: a list no TLS server reads refuses nobody. A server is TLS by
    // a `listen ... ssl` or by `ssl on` (held-out batch 445, CouchDB's documented server with
    // `ssl on; ssl_protocols SSLv3;`: measured, no handshake completes); a server fragment's
    // top level is a server too.
    let fragment = (model.program.root_context == Context::HttpServer).then_some(None);
    let mut lists: Vec<NodeId> = model
        .directives_named("server")
        .iter()
        .map(|&s| Some(s))
        .chain(fragment)
        .filter(|&s| serves_tls(model, s))
        .filter_map(|s| model.effective(s, "ssl_protocols").nodes.last().copied())
        .collect();
    lists.sort_unstable();
    lists.dedup();
    for n in lists {
        let count = model.arg_count(n);
        let args: Vec<String> = (0..count).filter_map(|i| model.arg(n, i)).collect();
        if args.len() != count
            || args.is_empty()
            || !args.iter().all(|a| OBSOLETE.contains(&a.as_str()))
        {
            continue;
        }
        let node = model.node(n);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`ssl_protocols {}` enables no protocol a client still speaks: {}, so every TLS \
                 handshake to the servers using this list fails",
                args.join(" "),
                why_unusable(&args)
            ),
        )
        .help("`ssl_protocols TLSv1.2 TLSv1.3;` serves every client released since 2014");
        diag.primary.text = "no usable protocol".into();
        if let (Some(a), Some(b)) = (
            style::arg_span(node.directive, 0),
            style::arg_span(node.directive, count - 1),
        ) {
            diag = diag.fix(Fix::unsafe_(
                "Enable `TLSv1.2 TLSv1.3`",
                vec![Edit::replace(
                    model.file_of(n),
                    a.cover(b),
                    "TLSv1.2 TLSv1.3".to_owned(),
                )],
            ));
        }
        out.push(diag);
    }
    out
}
