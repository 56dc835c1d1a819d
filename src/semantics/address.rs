//! Addresses as nginx reads them at load time: a port of `ngx_parse_url` (src/core/ngx_inet.c)
//! that returns nginx's own error (`u->err`) for an address it refuses, without resolving
//! anything. Host names are looked up through DNS when nginx starts ("host not found"), which
//! cannot be decided offline: a name that is not an IP address is accepted here.

/// How a directive asks nginx to read the address (the `ngx_url_t` fields it sets).
#[derive(Clone, Copy, Debug, Default)]
pub struct UrlRules {
    /// `listen`: a port alone is an address, `*` is the wildcard, port ranges (`80-90`, since
    /// 1.15.10) are allowed, a URI part is not.
    pub listen: bool,
    /// A URI part may follow the address (`proxy_pass http://b/x`, mail's `auth_http`).
    pub uri_part: bool,
    /// Port ranges in `listen` (nginx ≥ 1.15.10).
    pub port_ranges: bool,
}

/// nginx's error for `url`, or `None` when nginx accepts it (or only DNS could refuse it).
pub fn url_error(url: &[u8], rules: UrlRules) -> Option<&'static str> {
    if url.len() >= 5 && url[..5].eq_ignore_ascii_case(b"unix:") {
        return unix_error(&url[5..], rules);
    }
    if url.first() == Some(&b'[') {
        return inet6_error(&url[1..], rules);
    }
    inet_error(url, rules)
}

/// Is the host part of `url` a template placeholder left in (`${HOST}`, `%%dns%%`, `<host>`,
/// `{{ host }}`)? No DNS name holds those bytes: where nginx looks the name up while it loads
/// (`listen`, an upstream's `server`, `resolver`), it stops with "host not found".
pub fn placeholder_host(url: &[u8]) -> bool {
    if url.first() == Some(&b'[')
        || url
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"unix:"))
    {
        return false;
    }
    let end = url
        .iter()
        .position(|&b| matches!(b, b':' | b'/' | b'?'))
        .unwrap_or(url.len());
    url[..end]
        .iter()
        .any(|&b| matches!(b, b'$' | b'{' | b'}' | b'%' | b'<' | b'>'))
}

/// `sizeof(((struct sockaddr_un *) 0)->sun_path)` on Linux.
const SUN_PATH: usize = 108;

fn unix_error(path: &[u8], rules: UrlRules) -> Option<&'static str> {
    let mut len = path.len();
    if rules.uri_part
        && let Some(colon) = path.iter().position(|&b| b == b':')
    {
        len = colon;
    }
    if len == 0 {
        return Some("no path in the unix domain socket");
    }
    // The path and its terminating NUL must fit.
    if len + 1 > SUN_PATH {
        return Some("too long path in the unix domain socket");
    }
    None
}

fn find(s: &[u8], from: usize, to: usize, c: u8) -> Option<usize> {
    s[from..to].iter().position(|&b| b == c).map(|i| from + i)
}

/// `ngx_atoi`: decimal digits only, no sign, not empty; `None` where nginx's is `NGX_ERROR`.
fn atoi(s: &[u8]) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(v)
}

fn port_ok(n: Option<i64>) -> bool {
    n.is_some_and(|n| (1..=65535).contains(&n))
}

/// `ngx_inet_addr`: a dotted quad (nginx counts the dots and caps each octet at 255).
pub fn inet_addr_ok(s: &[u8]) -> bool {
    let (mut octet, mut dots) = (0u32, 0);
    for &c in s {
        match c {
            b'0'..=b'9' => {
                octet = octet * 10 + u32::from(c - b'0');
                if octet > 255 {
                    return false;
                }
            }
            b'.' => {
                octet = 0;
                dots += 1;
            }
            _ => return false,
        }
    }
    dots == 3
}

/// `ngx_inet6_addr`, reduced to whether it accepts the text.
pub fn inet6_addr_ok(text: &[u8]) -> bool {
    if text.is_empty() {
        return false;
    }
    let mut p = usize::from(text[0] == b':');
    let mut zero = false;
    let mut digit: Option<usize> = None;
    let mut nibbles = 0;
    // 16-bit words still to write.
    let mut n = 8;
    while p < text.len() {
        let c = text[p];
        p += 1;
        if c == b':' {
            if nibbles > 0 {
                digit = Some(p);
                n -= 1;
                if n > 0 {
                    nibbles = 0;
                    continue;
                }
            } else if !zero {
                digit = Some(p);
                zero = true;
                continue;
            }
            return false;
        }
        if c == b'.' && nibbles > 0 {
            // An embedded IPv4 address: the rest after the last `:`.
            let Some(d) = digit.filter(|_| n >= 2) else {
                return false;
            };
            if !inet_addr_ok(&text[d..]) {
                return false;
            }
            n -= 1;
            break;
        }
        nibbles += 1;
        if nibbles > 4 || !c.is_ascii_hexdigit() {
            return false;
        }
    }
    if nibbles == 0 && !zero {
        return false;
    }
    n -= 1;
    if n > 0 { zero } else { !zero }
}

/// The port part of a `listen` (`80`, `8000-8100`) or of an address: nginx's error, if any.
fn port_error(port: &[u8], rules: UrlRules) -> Option<&'static str> {
    let mut len = port.len();
    let mut last_port = None;
    if rules.listen
        && rules.port_ranges
        && let Some(dash) = port.iter().position(|&b| b == b'-')
    {
        let n = atoi(&port[dash + 1..]);
        if !port_ok(n) {
            return Some("invalid port");
        }
        last_port = n;
        len = dash;
    }
    let n = atoi(&port[..len]);
    if !port_ok(n) {
        return Some("invalid port");
    }
    if last_port.is_some_and(|l| n > Some(l)) {
        return Some("invalid port range");
    }
    None
}

fn inet_error(url: &[u8], rules: UrlRules) -> Option<&'static str> {
    let mut last = url.len();
    let mut port = find(url, 0, last, b':');
    let mut uri = find(url, 0, last, b'/');
    if let Some(args) = find(url, 0, last, b'?')
        && uri.is_none_or(|u| args < u)
    {
        uri = Some(args);
    }
    if let Some(u) = uri {
        if rules.listen || !rules.uri_part {
            return Some("invalid host");
        }
        last = u;
        if port.is_some_and(|p| u < p) {
            port = None;
        }
    }
    if let Some(colon) = port {
        if let Some(e) = port_error(&url[colon + 1..last], rules) {
            return Some(e);
        }
        last = colon;
    } else if uri.is_none() && rules.listen {
        // A port alone (`listen 8080`, `listen 8000-8100`).
        let mut len = last;
        let mut err = None;
        let mut last_port = None;
        let mut numeric = true;
        if rules.port_ranges
            && let Some(dash) = find(url, 0, last, b'-')
        {
            match atoi(&url[dash + 1..last]) {
                None => numeric = false,
                n if !port_ok(n) => err = Some("invalid port"),
                n => last_port = n,
            }
            len = dash;
        }
        if numeric && let Some(n) = atoi(&url[..len]) {
            if err.is_some() {
                return err;
            }
            if !port_ok(Some(n)) {
                return Some("invalid port");
            }
            if last_port.is_some_and(|l| n > l) {
                return Some("invalid port range");
            }
            return None;
        }
    }
    let host = &url[..last];
    if host.is_empty() {
        return Some("no host");
    }
    // `*`, an IPv4 address, or a name nginx resolves when it starts.
    None
}

fn inet6_error(rest: &[u8], rules: UrlRules) -> Option<&'static str> {
    let Some(close) = rest.iter().position(|&b| b == b']') else {
        return Some("invalid host");
    };
    let mut last = rest.len();
    let port = close + 1;
    if let Some(u) = find(rest, port, last, b'/') {
        if rules.listen || !rules.uri_part {
            return Some("invalid host");
        }
        last = u;
    }
    if port < last {
        if rest[port] != b':' {
            return Some("invalid host");
        }
        if let Some(e) = port_error(&rest[port + 1..last], rules) {
            return Some(e);
        }
    }
    let host = &rest[..close];
    if host.is_empty() {
        return Some("no host");
    }
    if !inet6_addr_ok(host) {
        return Some("invalid IPv6 address");
    }
    None
}

/// The upstream block a pass URL may name: `http://name/...` → `name`, lowercase (nginx
/// compares upstream names without case); `None` with a port, a variable or another scheme.
/// Borrowed from `url` unless the name has uppercase letters.
pub fn pass_upstream_name(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let scheme = |s: &str| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
            .then(|| &url[s.len()..])
    };
    let rest = scheme("http://").or_else(|| scheme("https://"))?;
    let host = &rest[..rest.bytes().position(|b| b == b'/').unwrap_or(rest.len())];
    if host.is_empty() || host.contains([':', '$']) {
        return None;
    }
    Some(if host.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Borrowed(host)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_urls_name_upstreams_in_lower_case() {
        assert_eq!(pass_upstream_name("http://chat").as_deref(), Some("chat"));
        assert_eq!(
            pass_upstream_name("HTTP://NVR_upstream/socket.io/").as_deref(),
            Some("nvr_upstream")
        );
        assert_eq!(pass_upstream_name("http://127.0.0.1:3000"), None);
        assert_eq!(pass_upstream_name("http://$backend"), None);
        assert_eq!(pass_upstream_name("unix:/run/x.sock"), None);
    }

    const LISTEN: UrlRules = UrlRules {
        listen: true,
        uri_part: false,
        port_ranges: true,
    };
    const PASS: UrlRules = UrlRules {
        listen: false,
        uri_part: true,
        port_ranges: false,
    };
    const SERVER: UrlRules = UrlRules {
        listen: false,
        uri_part: false,
        port_ranges: false,
    };

    #[test]
    fn listen_addresses() {
        for ok in [
            "80",
            "127.0.0.1:8080",
            "*:80",
            "*",
            "[::]:443",
            "[::1]",
            "localhost:80",
            "8000-8100",
            "127.0.0.1:8000-8100",
            "unix:/run/nginx.sock",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert_eq!(url_error(ok.as_bytes(), LISTEN), None, "{ok}");
        }
        for (bad, err) in [
            ("0", "invalid port"),
            ("65536", "invalid port"),
            ("127.0.0.1:", "invalid port"),
            ("127.0.0.1:http", "invalid port"),
            ("127.0.0.1:__PORT__", "invalid port"),
            ("8100-8000", "invalid port range"),
            ("80-0", "invalid port"),
            ("127.0.0.1:80/", "invalid host"),
            (":80", "no host"),
            ("[::1", "invalid host"),
            ("[::1]80", "invalid host"),
            ("[]:80", "no host"),
            ("[::g]:80", "invalid IPv6 address"),
            ("[1:2:3:4:5:6:7:8:9]:80", "invalid IPv6 address"),
            ("[::1]:0", "invalid port"),
            ("unix:", "no path in the unix domain socket"),
        ] {
            assert_eq!(url_error(bad.as_bytes(), LISTEN), Some(err), "{bad}");
        }
        let long = format!("unix:/{}", "x".repeat(107));
        assert_eq!(
            url_error(long.as_bytes(), LISTEN),
            Some("too long path in the unix domain socket")
        );
        // Without ranges (before 1.15.10) `80-90` is a host name, resolved at start.
        assert_eq!(
            url_error(
                b"80-90",
                UrlRules {
                    port_ranges: false,
                    ..LISTEN
                }
            ),
            None
        );
    }

    #[test]
    fn pass_and_server_addresses() {
        for ok in [
            "backend",
            "backend/",
            "127.0.0.1:8080/api/",
            "[::1]:8080/x",
            "unix:/run/app.sock:/uri/",
            "app?x",
        ] {
            assert_eq!(url_error(ok.as_bytes(), PASS), None, "{ok}");
        }
        assert_eq!(
            url_error(b"127.0.0.1:__PORT__/", PASS),
            Some("invalid port")
        );
        assert_eq!(url_error(b"127.0.0.1:0", PASS), Some("invalid port"));
        // A URI part is only read by proxy_pass: fastcgi_pass/upstream servers refuse it.
        assert_eq!(url_error(b"127.0.0.1:9000/", SERVER), Some("invalid host"));
        assert_eq!(url_error(b"app:8080", SERVER), None);
        // A `/` before the `:` makes the colon part of the URI.
        assert_eq!(url_error(b"app/x:y", PASS), None);
    }

    #[test]
    fn ipv6_forms() {
        for ok in [
            "::",
            "::1",
            "1::",
            "fe80::1",
            "1:2:3:4:5:6:7:8",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
        ] {
            assert!(inet6_addr_ok(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "",
            ":",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "12345::",
            "1:2:3:4:5:6:7",
            "::1.2.3",
            "x::",
        ] {
            assert!(!inet6_addr_ok(bad.as_bytes()), "{bad}");
        }
    }
}
