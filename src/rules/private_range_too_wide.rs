//! `private-range-too-wide`: `allow 172.0.0.0/8` (or `set_real_ip_from`) meant for a private
//! network takes in public addresses too: the private range is 172.16.0.0/12.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::access::{Addresses, v4_mask};
use std::net::Ipv4Addr;

pub static RULE: Rule = Rule {
    id: "private-range-too-wide",
    summary: "`allow 172.0.0.0/8` or `192.0.0.0/8` (or `set_real_ip_from`) holds a private range \
              and public addresses around it: 172.16.0.0/12 and 192.168.0.0/16 are the private ones",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/private-range-too-wide.md"),
    check,
};

/// The private IPv4 ranges (RFC 1918) a wider prefix is written for by mistake. 10.0.0.0/8 is a
/// whole first octet already: a wider range of it is rarely written.
const PRIVATE: &[(Ipv4Addr, u32)] = &[
    (Ipv4Addr::new(172, 16, 0, 0), 12),
    (Ipv4Addr::new(192, 168, 0, 0), 16),
];

/// The directives that trust an address range.
const TRUSTING: &[&str] = &["allow", "set_real_ip_from"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &name in TRUSTING {
        for &n in model.directives_named(name) {
            let Some(arg) = model.arg_str(n, 0) else {
                continue;
            };
            let Some(Addresses::V4(network, bits)) = Addresses::parse(&arg) else {
                continue;
            };
            // Not a deliberate "everyone" or a block of first octets (`allow 128.0.0.0/1`).
            if bits < 8 {
                continue;
            }
            let Some(&(private, private_bits)) = PRIVATE
                .iter()
                .find(|&&(p, pb)| bits < pb && u32::from(p) & v4_mask(bits) == network)
            else {
                continue;
            };
            let network = Ipv4Addr::from(network);
            let what = if name == "allow" {
                "lets in"
            } else {
                "trusts the client address sent by"
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name} {arg}` {what} public addresses too: of {network}/{bits} only \
                     {private}/{private_bits} is private (the rest is the internet's)"
                ),
            )
            .help(format!(
                "write `{name} {private}/{private_bits};` for the private network (Docker's \
                 default networks are inside it)"
            ));
            diag.primary.text = "public addresses in this range".into();
            out.push(diag);
        }
    }
    out
}
