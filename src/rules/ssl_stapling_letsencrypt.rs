//! `ssl-stapling-letsencrypt`: `ssl_stapling on` for a Let's Encrypt certificate. Let's
//! Encrypt dropped OCSP URLs from its certificates on 7 May 2025 and turned its OCSP
//! responders off on 6 August 2025: nginx has nothing to staple and says so at every start.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::tls::{letsencrypt_path, stapling_on, tls_servers};

pub static RULE: Rule = Rule {
    id: "ssl-stapling-letsencrypt",
    summary: "`ssl_stapling on` for a Let's Encrypt certificate: Let's Encrypt ended OCSP in \
              2025, there is nothing to staple",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/ssl-stapling-letsencrypt.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (server, _) in tls_servers(model) {
        let Some(stapling) = stapling_on(model, server) else {
            continue;
        };
        let certs = model.effective(Some(server), "ssl_certificate");
        for &cert in certs.nodes {
            let Some(path) = model.arg(cert, 0) else {
                continue;
            };
            if !letsencrypt_path(&path) || seen.contains(&(stapling, cert)) {
                continue;
            }
            seen.push((stapling, cert));
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                stapling,
                format!(
                    "`ssl_stapling on` for the Let's Encrypt certificate `{path}`: Let's Encrypt \
                     removed OCSP URLs from its certificates in May 2025 and turned its OCSP \
                     responders off in August 2025, so nginx has nothing to staple (\"ssl_stapling\" \
                     ignored, no OCSP responder URL in the certificate)"
                ),
            )
            .label(Label::at_node(model, cert, "a Let's Encrypt certificate",
            ))
            .help(
                "remove `ssl_stapling` and `ssl_stapling_verify` for this certificate; \
                 revocation is published in CRLs now",
            );
            diag.primary.text = "nothing to staple".into();
            out.push(diag);
        }
    }
    out
}
