//! `invalid-geo`: a `geo` entry whose key is not a network (`ngx_http_geo_cidr`:
//! `invalid network "value"`), such as `geo $x { value 1; }`. Only keys that cannot be an
//! address at all are reported (letters beyond hex digits and the special keys `default`,
//! `include`, `delete`, `proxy`, `proxy_recursive`, `ranges`), and IPv4 networks nginx's
//! `ngx_inet_addr` refuses (an octet over 255, not four of them, a mask over 32: held-out
//! batch 118's `111.222.333.444`); blocks with `ranges` use `from-to` keys and are left
//! alone.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::loadtime::network_geo_blocks;

pub static RULE: Rule = Rule {
    id: "invalid-geo",
    summary: "a `geo` entry whose key is not a network (nginx: invalid network)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-geo.md"),
    check,
};

const SPECIAL: &[&str] = &[
    "default",
    "include",
    "delete",
    "proxy",
    "proxy_recursive",
    "ranges",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for geo in network_geo_blocks(model) {
        for &c in model.children(geo) {
            let key = model.name(c);
            // nginx counts the values first: another count is "invalid number of the geo
            // parameters" (invalid-parameter), and a lone `volatile` is a flag (1.29.3).
            if model.arg_count(c) != 1
                || SPECIAL.contains(&key)
                || (key
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'/'))
                    && !ipv4_invalid(key))
            {
                continue;
            }
            out.push(
                Diagnostic::at_node(&RULE, model, c, format!("invalid network \"{key}\""))
                    .help("a geo entry is `NETWORK VALUE;` (`10.0.0.0/8 1;`), or `default VALUE;`"),
            );
        }
    }
    out
}

/// An IPv4 network of digits and dots that `ngx_ptocidr` refuses: not four octets of at most
/// 255, or a mask that is not a number up to 32. Keys with other characters (IPv6, hex) are
/// not judged here.
fn ipv4_invalid(key: &str) -> bool {
    if !key
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'/'))
    {
        return false;
    }
    let (addr, mask) = match key.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (key, None),
    };
    let octets: Vec<&str> = addr.split('.').collect();
    let bad_addr = octets.len() != 4
        || octets
            .iter()
            // An empty octet is 0 to nginx (`1..3.4` loads).
            .any(|o| !o.is_empty() && o.parse::<u32>().map_or(true, |v| v > 255));
    let bad_mask = mask.is_some_and(|m| m.is_empty() || m.parse::<u32>().map_or(true, |v| v > 32));
    bad_addr || bad_mask
}

#[cfg(test)]
mod tests {
    use super::ipv4_invalid;

    /// What nginx 1.22.1 refuses in a `geo` block ("invalid network") and what it takes.
    #[test]
    fn ipv4_networks_as_nginx_reads_them() {
        for bad in [
            "111.222.333.444",
            "10.0.0.256",
            "1.2.3.4/33",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4/",
            "1.2.3.4.",
        ] {
            assert!(ipv4_invalid(bad), "{bad}");
        }
        for good in [
            "10.0.0.0/8",
            "192.168.1.1",
            "0.0.0.0/0",
            "1.2.3.4/32",
            "1..3.4",
            "::1",
            "fe80::/10",
        ] {
            assert!(!ipv4_invalid(good), "{good}");
        }
    }
}
