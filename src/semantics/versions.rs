//! How the defaults ngxlint's rules rely on changed between nginx releases, as data: one row per
//! change, each with the nginx source that decides it (file and function or table, at the
//! release named; checked against a snapshot of nginx's git history).
//!
//! [`default_at`] answers "what does nginx `v` use when the directive is not set?"; the
//! directive tables keep HEAD's documented default (`DirectiveSpec::default`), this table the
//! values before it. [`proxy_header_default`] does the same for the request headers
//! `ngx_http_proxy_module` sends by itself (`ngx_http_proxy_headers[]`).

use super::directives::{Version, ctx};

/// From `since` on (until the next row of the same directive and contexts), nginx's default
/// for `directive` is `value` (`""`: not set, nothing happens).
#[derive(Clone, Copy, Debug)]
pub struct DefaultChange {
    pub directive: &'static str,
    /// [`ctx`] bits of the module the row is about (`ssl_protocols` is in http, stream, mail).
    pub contexts: u32,
    pub since: Version,
    pub value: &'static str,
    pub source: &'static str,
}

const HTTP: u32 = ctx::HTTP_ALL;
const UPS: u32 = ctx::HTTP_UPS;
const STREAM: u32 = ctx::STREAM_ALL;
const MAIL: u32 = ctx::MAIL_ALL;

const fn row(
    directive: &'static str,
    contexts: u32,
    since: Version,
    value: &'static str,
    source: &'static str,
) -> DefaultChange {
    DefaultChange {
        directive,
        contexts,
        since,
        value,
        source,
    }
}

/// `ssl_protocols` and its six siblings: `NGX_SSL_SSLv3|TLSv1|TLSv1_1|TLSv1_2` until 1.9.0,
/// SSLv3 dropped in 1.9.1, `TLSv1_3` added in 1.23.4, `NGX_SSL_DEFAULT_PROTOCOLS`
/// (TLSv1.2 TLSv1.3) from 1.27.3 (each module's `merge_*_conf`).
macro_rules! ssl_protocols {
    ($name:literal, $contexts:expr, $file:literal) => {
        [
            row(
                $name,
                $contexts,
                Version::ANCIENT,
                "SSLv3 TLSv1 TLSv1.1 TLSv1.2",
                concat!($file, " merge_*_conf (until 1.9.0)"),
            ),
            row(
                $name,
                $contexts,
                Version(1, 9, 1),
                "TLSv1 TLSv1.1 TLSv1.2",
                concat!($file, " merge_*_conf (1.9.1)"),
            ),
            row(
                $name,
                $contexts,
                Version(1, 23, 4),
                "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3",
                concat!($file, " merge_*_conf (1.23.4)"),
            ),
            row(
                $name,
                $contexts,
                Version(1, 27, 3),
                "TLSv1.2 TLSv1.3",
                concat!(
                    $file,
                    " merge_*_conf, NGX_SSL_DEFAULT_PROTOCOLS in src/event/ngx_event_openssl.h (1.27.3)"
                ),
            ),
        ]
    };
}

const SSL_PROTOCOLS: [[DefaultChange; 4]; 7] = [
    ssl_protocols!(
        "ssl_protocols",
        HTTP,
        "src/http/modules/ngx_http_ssl_module.c"
    ),
    ssl_protocols!(
        "proxy_ssl_protocols",
        HTTP,
        "src/http/modules/ngx_http_proxy_module.c"
    ),
    ssl_protocols!(
        "grpc_ssl_protocols",
        HTTP,
        "src/http/modules/ngx_http_grpc_module.c"
    ),
    ssl_protocols!(
        "uwsgi_ssl_protocols",
        HTTP,
        "src/http/modules/ngx_http_uwsgi_module.c"
    ),
    ssl_protocols!(
        "ssl_protocols",
        STREAM,
        "src/stream/ngx_stream_ssl_module.c"
    ),
    ssl_protocols!(
        "proxy_ssl_protocols",
        STREAM,
        "src/stream/ngx_stream_proxy_module.c"
    ),
    ssl_protocols!("ssl_protocols", MAIL, "src/mail/ngx_mail_ssl_module.c"),
];

const OTHERS: &[DefaultChange] = &[
    row(
        "ssl_ciphers",
        HTTP,
        Version::ANCIENT,
        "ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM:+LOW:+SSLv2:+EXP",
        "src/http/modules/ngx_http_ssl_module.c NGX_DEFAULT_CIPHERS (until 0.8.18)",
    ),
    row(
        "ssl_ciphers",
        HTTP,
        Version(0, 8, 19),
        "ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM",
        "src/http/modules/ngx_http_ssl_module.c NGX_DEFAULT_CIPHERS (0.8.19, cf9dd76b4 \"disable SSLv2 and low ciphers by default\")",
    ),
    row(
        "ssl_ciphers",
        HTTP,
        Version(0, 8, 20),
        "HIGH:!ADH:!MD5",
        "src/http/modules/ngx_http_ssl_module.c NGX_DEFAULT_CIPHERS (0.8.20, 3bed0dace \"use only strong ciphers by default\")",
    ),
    row(
        "ssl_ciphers",
        HTTP,
        Version(1, 0, 5),
        "HIGH:!aNULL:!MD5",
        "src/http/modules/ngx_http_ssl_module.c NGX_DEFAULT_CIPHERS (1.0.5, 8d7b1d222 \"use !aNULL to disable all anonymous cipher suites\")",
    ),
    row(
        "proxy_http_version",
        HTTP,
        Version::ANCIENT,
        "1.0",
        "src/http/modules/ngx_http_proxy_module.c merge_loc_conf: NGX_HTTP_VERSION_10",
    ),
    row(
        "proxy_http_version",
        HTTP,
        Version(1, 29, 7),
        "1.1",
        "src/http/modules/ngx_http_proxy_module.c merge_loc_conf: NGX_HTTP_VERSION_11 (1.29.7, \"Proxy: enabled HTTP/1.1 by default\")",
    ),
    row(
        "keepalive",
        UPS,
        Version::ANCIENT,
        "",
        "src/http/modules/ngx_http_upstream_keepalive_module.c: no cache unless `keepalive` is set",
    ),
    row(
        "keepalive",
        UPS,
        Version(1, 29, 7),
        "32 local",
        "src/http/modules/ngx_http_upstream_keepalive_module.c init_upstream: max_cached = 32, local = 1 (1.29.7)",
    ),
    row(
        "add_header_inherit",
        HTTP,
        Version(1, 29, 3),
        "",
        "src/http/modules/ngx_http_headers_filter_module.c: headers_inherit unset means nginx's old rule (1.29.3)",
    ),
];

/// Every row, for iteration and tests.
pub fn default_history() -> impl Iterator<Item = &'static DefaultChange> {
    static SSL: [[DefaultChange; 4]; 7] = SSL_PROTOCOLS;
    SSL.iter().flatten().chain(OTHERS)
}

/// nginx `version`'s default for `directive` in a context of `contexts`, when this table has a
/// history for it (`None`: ask the directive table).
pub fn default_at(directive: &str, contexts: u32, version: Version) -> Option<&'static str> {
    rows_of(directive)
        .iter()
        .filter(|r| r.contexts & contexts != 0 && r.since <= version)
        .max_by_key(|r| r.since)
        .map(|r| r.value)
}

/// The rows of `directive`, in table order: indexed by name once (asked for every default a
/// rule looks at, where scanning every row cost ~800 instructions).
fn rows_of(directive: &str) -> &'static [&'static DefaultChange] {
    type Index = foldhash::HashMap<&'static str, Vec<&'static DefaultChange>>;
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index = Index::default();
            for r in default_history() {
                index.entry(r.directive).or_default().push(r);
            }
            index
        })
        .get(directive)
        .map_or(&[], Vec::as_slice)
}

/// A request header `ngx_http_proxy_module` sets by itself (`ngx_http_proxy_headers[]`), and
/// the value it sends from `since` on; `""` means "not sent" (the header of the client request
/// is not passed either).
#[derive(Clone, Copy, Debug)]
pub struct ProxyHeader {
    pub header: &'static str,
    pub since: Version,
    pub value: &'static str,
    pub source: &'static str,
}

const PROXY_HEADERS_C: &str = "src/http/modules/ngx_http_proxy_module.c ngx_http_proxy_headers[]";

pub static PROXY_HEADERS: &[ProxyHeader] = &[
    ProxyHeader {
        header: "host",
        since: Version::ANCIENT,
        value: "$proxy_host",
        source: PROXY_HEADERS_C,
    },
    ProxyHeader {
        header: "host",
        since: Version(1, 29, 4),
        value: "$proxy_internal_host",
        source: "src/http/modules/ngx_http_proxy_module.c ngx_http_proxy_headers[] (1.29.4, HTTP/2 to upstreams)",
    },
    // 1.31.4: an empty Host (the default, or `proxy_set_header Host ""`) falls back to
    // $proxy_host; HTTP/2 sends it as `:authority` (nginx commit dea68dbf1, "Upstream: special
    // handling of the "Host" header in proxy and gRPC").
    ProxyHeader {
        header: "host",
        since: HOST_EMPTY_FALLBACK,
        value: "",
        source: "src/http/modules/ngx_http_proxy_module.c ngx_http_proxy_headers[] and create_request (1.31.4)",
    },
    ProxyHeader {
        header: "connection",
        since: Version::ANCIENT,
        value: "close",
        source: PROXY_HEADERS_C,
    },
    ProxyHeader {
        header: "connection",
        since: Version(1, 29, 4),
        value: "$proxy_internal_connection",
        source: "src/http/modules/ngx_http_proxy_module.c ngx_http_proxy_headers[] (1.29.4; \"close\" for HTTP/1.0)",
    },
    ProxyHeader {
        header: "connection",
        since: Version(1, 29, 7),
        value: "",
        source: "src/http/modules/ngx_http_proxy_module.c ngx_http_proxy_headers[] (1.29.7, keepalive by default)",
    },
    ProxyHeader {
        header: "proxy-connection",
        since: Version(1, 31, 0),
        value: "",
        source: "src/http/modules/ngx_http_proxy_module.c ngx_http_proxy_headers[] (1.31.0)",
    },
    ProxyHeader {
        header: "te",
        since: Version::ANCIENT,
        value: "",
        source: PROXY_HEADERS_C,
    },
    ProxyHeader {
        header: "keep-alive",
        since: Version::ANCIENT,
        value: "",
        source: PROXY_HEADERS_C,
    },
    ProxyHeader {
        header: "expect",
        since: Version::ANCIENT,
        value: "",
        source: PROXY_HEADERS_C,
    },
    ProxyHeader {
        header: "upgrade",
        since: Version::ANCIENT,
        value: "",
        source: PROXY_HEADERS_C,
    },
];

/// From this release an empty `proxy_set_header Host` / `grpc_set_header Host` means
/// `$proxy_host` instead of sending no Host.
pub const HOST_EMPTY_FALLBACK: Version = Version(1, 31, 4);

/// The value nginx `version` gives `header` (any case) when `proxy_set_header` does not set it;
/// `None` when nginx does not set that header by itself.
pub fn proxy_header_default(header: &str, version: Version) -> Option<&'static str> {
    PROXY_HEADERS
        .iter()
        .filter(|h| h.header.eq_ignore_ascii_case(header) && h.since <= version)
        .max_by_key(|h| h.since)
        .map(|h| h.value)
}

/// Does `proxy_set_header <header> <value>;` send what nginx `version` sends without it?
pub fn restates_proxy_default(header: &str, value: &str, version: Version) -> bool {
    let Some(default) = proxy_header_default(header, version) else {
        return false;
    };
    // `Host $proxy_host` sends what nginx sends by itself in every release: before 1.29.4 it is
    // the default; 1.29.4–1.31.3's `$proxy_internal_host` is the same `host_header` for HTTP/1.x
    // upstreams (`ngx_http_proxy_host_variable`, data 1) and HTTP/2 carries that host as
    // `:authority`; from 1.31.4 an empty Host falls back to it.
    value == default || (header.eq_ignore_ascii_case("host") && value == "$proxy_host")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_protocols_history_for_all_seven() {
        let v = Version::parse;
        for (name, c) in [
            ("ssl_protocols", ctx::HTTP_SRV),
            ("proxy_ssl_protocols", ctx::HTTP_LOC),
            ("grpc_ssl_protocols", ctx::HTTP_LOC),
            ("uwsgi_ssl_protocols", ctx::HTTP_LOC),
            ("ssl_protocols", ctx::STREAM_SRV),
            ("proxy_ssl_protocols", ctx::STREAM_SRV),
            ("ssl_protocols", ctx::MAIL_SRV),
        ] {
            let at = |s: &str| default_at(name, c, v(s).unwrap()).unwrap();
            assert_eq!(at("1.8.1"), "SSLv3 TLSv1 TLSv1.1 TLSv1.2", "{name}");
            assert_eq!(at("1.22.1"), "TLSv1 TLSv1.1 TLSv1.2", "{name}");
            assert_eq!(at("1.23.4"), "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", "{name}");
            assert_eq!(at("1.27.2"), "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", "{name}");
            assert_eq!(at("1.27.3"), "TLSv1.2 TLSv1.3", "{name}");
            assert_eq!(at("1.31.4"), "TLSv1.2 TLSv1.3", "{name}");
        }
        assert_eq!(
            default_history()
                .filter(|r| r.directive.ends_with("ssl_protocols"))
                .count(),
            28
        );
    }

    #[test]
    fn ssl_ciphers_defaults() {
        let at = |a, b, c| default_at("ssl_ciphers", ctx::HTTP_SRV, Version(a, b, c));
        assert_eq!(
            at(0, 7, 65),
            Some("ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM:+LOW:+SSLv2:+EXP")
        );
        assert_eq!(at(0, 8, 19), Some("ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM"));
        assert_eq!(at(1, 0, 4), Some("HIGH:!ADH:!MD5"));
        assert_eq!(at(1, 0, 5), Some("HIGH:!aNULL:!MD5"));
        assert_eq!(at(1, 31, 4), Some("HIGH:!aNULL:!MD5"));
        assert_eq!(
            default_at("ssl_ciphers", ctx::STREAM_ALL, Version(1, 0, 4)),
            None
        );
    }

    #[test]
    fn upstream_defaults() {
        let v = |a, b, c| Version(a, b, c);
        assert_eq!(
            default_at("proxy_http_version", ctx::HTTP_LOC, v(1, 28, 0)),
            Some("1.0")
        );
        assert_eq!(
            default_at("proxy_http_version", ctx::HTTP_LOC, v(1, 29, 7)),
            Some("1.1")
        );
        assert_eq!(
            default_at("keepalive", ctx::HTTP_UPS, v(1, 29, 6)),
            Some("")
        );
        assert_eq!(
            default_at("keepalive", ctx::HTTP_UPS, v(1, 29, 7)),
            Some("32 local")
        );
        assert_eq!(default_at("keepalive", ctx::STREAM_UPS, v(1, 29, 7)), None);
        assert_eq!(
            default_at("add_header_inherit", ctx::HTTP_LOC, v(1, 29, 2)),
            None
        );
        assert_eq!(
            default_at("proxy_buffering", ctx::HTTP_LOC, v(1, 29, 7)),
            None
        );
    }

    #[test]
    fn proxy_headers() {
        let v = |a, b, c| Version(a, b, c);
        assert_eq!(
            proxy_header_default("Connection", v(1, 22, 1)),
            Some("close")
        );
        assert_eq!(proxy_header_default("connection", v(1, 29, 7)), Some(""));
        assert_eq!(
            proxy_header_default("Host", v(1, 28, 0)),
            Some("$proxy_host")
        );
        assert_eq!(proxy_header_default("Host", v(1, 31, 4)), Some(""));
        assert_eq!(proxy_header_default("X-Forwarded-For", v(1, 31, 4)), None);
        assert_eq!(proxy_header_default("Proxy-Connection", v(1, 30, 0)), None);
        // 1.31.4: `Host ""` and `Host $proxy_host` both restate the default.
        assert!(restates_proxy_default("Host", "", v(1, 31, 4)));
        assert!(restates_proxy_default("Host", "$proxy_host", v(1, 31, 4)));
        assert!(!restates_proxy_default("Host", "", v(1, 31, 3)));
        assert!(restates_proxy_default("Host", "$proxy_host", v(1, 28, 0)));
        assert!(restates_proxy_default("Host", "$proxy_host", v(1, 29, 4)));
        assert!(restates_proxy_default("Connection", "close", v(1, 29, 3)));
        assert!(!restates_proxy_default("Connection", "close", v(1, 29, 4)));
        assert!(!restates_proxy_default("Connection", "", v(1, 29, 6)));
        assert!(restates_proxy_default("Connection", "", v(1, 29, 7)));
        for h in PROXY_HEADERS {
            assert_eq!(h.header, h.header.to_ascii_lowercase());
            assert!(!h.source.is_empty());
        }
    }

    /// Every directive with a history exists in the tables with matching contexts, and the
    /// history's newest row agrees with the table's (HEAD) default.
    #[test]
    fn history_rows_match_the_directive_tables() {
        use super::super::directives::nginx_directives;
        for r in default_history() {
            let spec = nginx_directives()
                .find(|s| s.name == r.directive && s.contexts & r.contexts != 0)
                .unwrap_or_else(|| panic!("{} not in the tables", r.directive));
            assert!(!r.source.is_empty());
            let newest = default_history()
                .filter(|o| o.directive == r.directive && o.contexts == r.contexts)
                .max_by_key(|o| o.since)
                .unwrap();
            if r.directive.ends_with("ssl_protocols") || r.directive == "ssl_ciphers" {
                assert_eq!(newest.value, spec.default, "{}", r.directive);
            }
        }
    }
}
