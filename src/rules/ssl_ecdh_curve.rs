//! `ssl-ecdh-curve`: an `ssl_ecdh_curve` list naming a key-exchange group that not every
//! OpenSSL knows (the ML-KEM hybrids of OpenSSL 3.5, the Kyber drafts of BoringSSL), or using
//! the `?` prefix older OpenSSL refuses: where the OpenSSL nginx is linked with lacks it, nginx
//! does not start.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::tls::newer_group;

pub static RULE: Rule = Rule {
    id: "ssl-ecdh-curve",
    summary: "`ssl_ecdh_curve` names a group older OpenSSL lacks (ML-KEM hybrids, Kyber drafts) \
              or uses the `?` prefix OpenSSL 3.0 refuses: nginx does not start there",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: false,
    doc: include_str!("../../rules/ssl-ecdh-curve.md"),
    check,
};

const NAMES: &[&str] = &["ssl_ecdh_curve"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in NAMES {
        for &n in model.directives_named(name) {
            let Some(list) = model.arg(n, 0) else {
                continue;
            };
            if list.contains('$') {
                continue;
            }
            let groups: Vec<&str> = list.split(':').filter(|g| !g.is_empty()).collect();
            let unknown: Vec<(&str, &str)> = groups
                .iter()
                .filter(|g| !g.starts_with('?'))
                .filter_map(|g| newer_group(g).map(|w| (*g, w)))
                .collect();
            let optional: Vec<&str> = groups
                .iter()
                .copied()
                .filter(|g| g.starts_with('?'))
                .collect();
            if !unknown.is_empty() {
                let named: Vec<String> = unknown
                    .iter()
                    .map(|(g, w)| format!("`{g}` ({w})"))
                    .collect();
                let mut diag = Diagnostic::at_node(
                    &RULE,
                    model,
                    n,
                    format!(
                        "`{name}` names {}: linked with an OpenSSL that lacks a group, nginx \
                         refuses the list (`SSL_CTX_set1_curves_list(...) failed`) and does \
                         not start",
                        named.join(", ")
                    ),
                )
                .help(
                    "keep such groups only where the OpenSSL nginx uses has them (`nginx -V` \
                     names it), or list groups every OpenSSL knows (`X25519:prime256v1:secp384r1`)",
                );
                diag.primary.text = "group not in every OpenSSL".into();
                out.push(diag);
            } else if !optional.is_empty() {
                let mut diag = Diagnostic::at_node(
                    &RULE,
                    model,
                    n,
                    format!(
                        "`{name}` marks {} optional with `?`: OpenSSL 3.0 does not read the \
                         prefix and refuses the whole list (`group '{}' cannot be set`), so \
                         nginx does not start there",
                        optional
                            .iter()
                            .map(|g| format!("`{g}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        optional[0]
                    ),
                )
                .severity(Severity::Info)
                .help(
                    "fine where nginx's OpenSSL reads `?` (newer releases skip groups they \
                     lack); check `nginx -V` before shipping the list to OpenSSL 3.0 systems",
                );
                diag.primary.text = "`?` prefix".into();
                out.push(diag);
            }
        }
    }
    out
}
