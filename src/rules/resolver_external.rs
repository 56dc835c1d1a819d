//! `resolver-external`: `resolver` names a DNS server by a public IP address. nginx's resolver
//! is a plain UDP stub (no DNSSEC, no TCP): its documentation recommends DNS servers "in a
//! properly secured trusted local network" to prevent spoofing.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::dns::{is_local, resolver_ip};

pub static RULE: Rule = Rule {
    id: "resolver-external",
    summary: "`resolver` uses a DNS server on a public address, across networks an attacker can \
              spoof answers on",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/resolver-external.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("resolver") {
        let public: Vec<String> = (0..model.arg_count(n))
            .filter_map(|i| model.arg(n, i))
            .filter(|a| resolver_ip(a).is_some_and(|ip| !is_local(ip)))
            .collect();
        if public.is_empty() {
            continue;
        }
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`resolver` asks {} over the Internet: nginx's resolver sends plain UDP queries \
                 and trusts the first matching answer (no DNSSEC, no TCP), so anyone on the path, \
                 or able to race the answer, chooses the addresses nginx then connects to",
                public
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .help(
            "use a resolver on this host or in a trusted local network (a local caching \
             resolver such as `127.0.0.53` with systemd-resolved, or the VPC/cluster DNS)",
        );
        diag.primary.text = "public DNS server".into();
        out.push(diag);
    }
    out
}
