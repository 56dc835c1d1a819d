//! DNS questions: the address of a `resolver` argument, and whether an address belongs to a
//! local network (loopback, private, link-local).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The address of a `resolver` argument (`1.1.1.1`, `1.1.1.1:53`, `[::1]:53`, `::1`), or
/// `None` for a host name or a parameter (`valid=30s`).
pub fn resolver_ip(arg: &str) -> Option<IpAddr> {
    if arg.contains('=') {
        return None;
    }
    if let Some(rest) = arg.strip_prefix('[') {
        return rest
            .split(']')
            .next()?
            .parse::<Ipv6Addr>()
            .ok()
            .map(IpAddr::V6);
    }
    if let Ok(v6) = arg.parse::<Ipv6Addr>() {
        return Some(IpAddr::V6(v6));
    }
    let host = arg.rsplit_once(':').map_or(arg, |(h, _)| h);
    host.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// Loopback, private (RFC 1918, RFC 6598 shared, ULA), link-local: a local network's resolver.
pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                // fc00::/7 unique local, fe80::/10 link-local
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                // ::ffff:a.b.c.d
                || v6.to_ipv4_mapped().is_some_and(|v4| is_local(IpAddr::V4(v4)))
        }
    }
}

/// Is `host` (as written in a URL: `10.0.0.1`, `[::1]`) an IP address literal?
pub fn is_ip_literal(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.parse::<IpAddr>().is_ok()
}

/// Names whose addresses do not come from DNS or do not change while nginx runs: `localhost`
/// (the hosts file), Kubernetes service names (`*.svc.cluster.local`: a ClusterIP lives as long
/// as its service).
pub fn is_stable_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost" || h.ends_with(".localhost") || h.ends_with(".svc.cluster.local")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let public = |a: &str| resolver_ip(a).is_some_and(|ip| !is_local(ip));
        assert!(public("1.1.1.1"));
        assert!(public("8.8.8.8:53"));
        assert!(public("[2606:4700:4700::1111]:53"));
        assert!(public("2001:4860:4860::8888"));
        for local in [
            "127.0.0.1",
            "127.0.0.53",
            "10.0.0.1",
            "172.16.0.10",
            "192.168.1.1:53",
            "169.254.169.253",
            "100.100.100.100",
            "::1",
            "[::1]:53",
            "fd00::53",
            "fea0:abcd:1234::1",
        ] {
            assert!(!public(local), "{local}");
        }
        assert_eq!(resolver_ip("localhost"), None);
        assert_eq!(resolver_ip("dns.internal:53"), None);
        assert_eq!(resolver_ip("valid=30s"), None);
        assert!(is_ip_literal("10.0.0.1") && is_ip_literal("[::1]") && !is_ip_literal("a.b"));
        assert!(is_stable_name("localhost") && is_stable_name("api.ns.svc.cluster.local"));
        assert!(!is_stable_name("api.example.com"));
    }
}
