//! `private-range-too-wide`: `allow 172.0.0.0/8` (or `set_real_ip_from`) meant for a private
//! network takes in public addresses too: the private range is 172.16.0.0/12.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
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
            let Some((network, bits)) = cidr(&arg) else {
                continue;
            };
            // Not a deliberate "everyone" or a block of first octets (`allow 128.0.0.0/1`).
            if bits < 8 {
                continue;
            }
            let Some(&(private, private_bits)) = PRIVATE
                .iter()
                .find(|&&(p, pb)| bits < pb && masked(p, bits) == network)
            else {
                continue;
            };
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

/// `a.b.c.d/n` as nginx stores it: the network (the address's low bits cleared) and `n`.
fn cidr(arg: &str) -> Option<(Ipv4Addr, u32)> {
    let (addr, bits) = arg.split_once('/')?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    let bits: u32 = bits.parse().ok().filter(|&b| b <= 32)?;
    Some((masked(addr, bits), bits))
}

/// `addr` with all but its first `bits` bits cleared.
fn masked(addr: Ipv4Addr, bits: u32) -> Ipv4Addr {
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    Ipv4Addr::from(u32::from(addr) & mask)
}

#[cfg(test)]
mod tests {
    use super::{cidr, masked};
    use std::net::Ipv4Addr;

    #[test]
    fn cidr_reads_as_nginx_masks_it() {
        assert_eq!(cidr("172.16.0.0/8"), Some((Ipv4Addr::new(172, 0, 0, 0), 8)));
        assert_eq!(cidr("10.1.2.3/32"), Some((Ipv4Addr::new(10, 1, 2, 3), 32)));
        assert_eq!(cidr("0.0.0.0/0"), Some((Ipv4Addr::new(0, 0, 0, 0), 0)));
        assert_eq!(cidr("172.16.0.0/33"), None);
        assert_eq!(cidr("all"), None);
        assert_eq!(
            masked(Ipv4Addr::new(192, 168, 1, 1), 16),
            Ipv4Addr::new(192, 168, 0, 0)
        );
    }
}
