//! `ssl-ciphers-weak`: an `ssl_ciphers` (or `proxy_ssl_ciphers`...) string that selects
//! unencrypted, anonymous, export-grade, RC4, DES, 3DES or MD5 cipher suites, read as OpenSSL
//! reads it ([`crate::semantics::tls::cipher_verdict`]); or a TLS server on the default of an
//! nginx older than 1.0.5, whose defaults kept anonymous suites.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::directives::ctx;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::tls::{CipherVerdict, cipher_verdict, tls_servers};
use crate::semantics::versions;
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "ssl-ciphers-weak",
    summary: "`ssl_ciphers` selects NULL, anonymous, export, RC4, DES, 3DES or MD5 cipher suites",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/ssl-ciphers-weak.md"),
    check,
};

/// The cipher directives and the protocol directive that goes with each.
const CIPHERS: &[(&str, &str)] = &[
    ("ssl_ciphers", "ssl_protocols"),
    ("proxy_ssl_ciphers", "proxy_ssl_protocols"),
    ("grpc_ssl_ciphers", "grpc_ssl_protocols"),
    ("uwsgi_ssl_ciphers", "uwsgi_ssl_protocols"),
];

fn listing(v: &CipherVerdict) -> String {
    let names: Vec<String> = v
        .weak
        .iter()
        .map(|(w, by)| format!("{} via `{by}`", w.describe()))
        .collect();
    names.join(", ")
}

/// Is the protocol list in effect at `at` TLS 1.3 only? TLS 1.3 suites are not set by the
/// cipher string (`SSL_CTX_set_ciphersuites`), so a weak string then selects nothing.
fn tls13_only(model: &Model<'_>, at: Option<NodeId>, protocols: &str) -> bool {
    let eff = model.effective(at, protocols);
    let list: Vec<String> = eff
        .nodes
        .iter()
        .flat_map(|&n| (0..model.arg_count(n)).filter_map(move |i| model.arg(n, i)))
        .collect();
    !list.is_empty() && list.iter().all(|p| p == "TLSv1.3")
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &(name, protocols) in CIPHERS {
        for &n in model.directives_named(name) {
            let Some(spec) = model.arg(n, 0) else {
                continue;
            };
            if spec.contains('$') || tls13_only(model, model.node(n).parent(), protocols) {
                continue;
            }
            let verdict = cipher_verdict(&spec);
            if verdict.weak.is_empty() {
                continue;
            }
            let node = model.node(n);
            let (who, default) = if name == "ssl_ciphers" {
                (
                    "a client (or a man in the middle)",
                    "nginx's default `HIGH:!aNULL:!MD5`",
                )
            } else {
                (
                    "nginx, as the client of the upstream,",
                    "leaving it unset (OpenSSL's `DEFAULT`)",
                )
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name}` selects weak cipher suites: {}; {who} can negotiate them over \
                     TLS 1.2 and older",
                    listing(&verdict)
                ),
            )
            .help(format!(
                "{default} is safe; or add the exclusions to the string"
            ));
            diag.primary.text = "weak cipher suites selected".into();
            // Append `:!X` for each class found, when a strong suite is left afterwards.
            let kills: Vec<String> = verdict
                .weak
                .iter()
                .map(|(w, _)| format!("!{}", w.alias()))
                .collect();
            let fixed = format!("{spec}:{}", kills.join(":"));
            let after = cipher_verdict(&fixed);
            let tok = node.directive.arg_tokens().next();
            if after.weak.is_empty()
                && after.strong_left
                && let Some(t) = tok
                && matches!(
                    t.kind(),
                    TokenKind::Word | TokenKind::DoubleQuoted | TokenKind::SingleQuoted
                )
                && !spec.contains('\\')
            {
                let end = if style::quote_of(t.kind()).is_empty() {
                    t.span().end
                } else {
                    t.span().end - 1
                };
                diag = diag.fix(Fix::unsafe_(
                    format!("Append `:{}`", kills.join(":")),
                    vec![Edit::insert(
                        model.file_of(n),
                        end,
                        format!(":{}", kills.join(":")),
                    )],
                ));
            }
            out.push(diag);
        }
    }
    // TLS servers on the default cipher string of an old nginx.
    let default = versions::default_at("ssl_ciphers", ctx::HTTP_SRV, cx.version)
        .expect("versions.rs has the ssl_ciphers history");
    let verdict = cipher_verdict(default);
    if verdict.weak.is_empty() {
        return out;
    }
    for (server, listen) in tls_servers(model) {
        if !model.effective(Some(server), "ssl_ciphers").is_default()
            || tls13_only(model, Some(server), "ssl_protocols")
        {
            continue;
        }
        let node = model.node(listen);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            listen,
            format!(
                "this TLS server sets no `ssl_ciphers`, and nginx {}'s default `{default}` \
                 selects weak cipher suites: {}; nginx 1.0.5 and later default to \
                 `HIGH:!aNULL:!MD5`",
                cx.version,
                listing(&verdict)
            ),
        )
        .help("set `ssl_ciphers HIGH:!aNULL:!MD5;` in `http` or in this server");
        diag.primary.text = "TLS with the default ciphers".into();
        let file = model.program.file(model.file_of(listen));
        let (at, text) = style::insert_after(file, node.directive, "ssl_ciphers HIGH:!aNULL:!MD5;");
        diag = diag.fix(Fix::unsafe_(
            "Add `ssl_ciphers HIGH:!aNULL:!MD5;` to this server",
            vec![Edit::insert(model.file_of(listen), at, text)],
        ));
        out.push(diag);
    }
    out
}
