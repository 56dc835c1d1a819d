//! The argument checks of nginx's http directive handlers: the values a handler reads itself
//! (`keys_zone=`, `rate=`, `burst=`, `=404`, `always`...) and refuses with its own message,
//! after the table's argument count has passed. One row per handler, with the nginx source
//! that makes the checks (`src/http/...` at 3f6f7824d, 1.31.x; the same in 1.22.1 unless the
//! row says since when); each check returns nginx's first message for the directive.
//!
//! The ports follow the handlers byte for byte where they decide (`ngx_strncmp` prefixes,
//! `ngx_atoi`, `ngx_parse_size`, `ngx_parse_time`), and stay silent where the answer depends on
//! the machine (the page size is taken as 4 KiB, the smallest nginx runs with, so a zone
//! nginx calls too small on a larger page may pass here, never the reverse).

use super::directives::Version;
use super::values::{atoi, parse_offset, parse_size, parse_time};

/// `ngx_pagesize` on the machines nginx is deployed on (x86-64, most arm64): the lower bound.
const PAGE_SIZE: i64 = 4096;

/// What a check needs besides the arguments.
pub struct Env<'a> {
    /// The directive's name, for the messages that name it.
    pub name: &'a str,
    pub version: Version,
    /// `upstream` blocks: the last balancing directive (`hash`, `ip_hash`, `random`...) before
    /// this `server`, if any. It sets the parameters `server` may take: without `backup` for
    /// `ip_hash`, `hash` and `random` (nginx: "not supported"); for one whose set is not
    /// known here (`least_time`, `sticky`, third-party), value checks stay silent.
    pub balancer_before: Option<&'a str>,
    /// `access_log`: the format it names is one nginx knows (`combined` or a `log_format` of
    /// the program); otherwise nginx stops at "unknown log format" first.
    pub known_format: &'a dyn Fn(&[u8]) -> bool,
}

/// nginx's message, and which argument it blames (`None`: the directive itself).
#[derive(Debug, PartialEq, Eq)]
pub struct Bad {
    pub arg: Option<usize>,
    pub message: String,
}

pub struct Check {
    /// The directives whose handler this is (http modules only).
    pub directives: &'static [&'static str],
    /// The handler and the lines of its `NGX_LOG_EMERG` calls, in nginx's source.
    pub source: &'static str,
    /// How to write the value right.
    pub help: &'static str,
    /// `args` are the directive's arguments (without its name), unquoted as nginx reads them.
    pub check: fn(&[&[u8]], &Env<'_>) -> Option<Bad>,
}

pub static CHECKS: &[Check] = &[
    Check {
        directives: &[
            "proxy_cache_path",
            "fastcgi_cache_path",
            "uwsgi_cache_path",
            "scgi_cache_path",
        ],
        source: "http/ngx_http_file_cache.c:2468-2669 ngx_http_file_cache_set_slot",
        help: "parameters are `levels=1:2`, `use_temp_path=on|off`, `keys_zone=NAME:SIZE` (at least 8k), `inactive=TIME`, `max_size=SIZE`, `min_free=SIZE`, `loader_files=N`, `loader_sleep=TIME`, `loader_threshold=TIME`, `manager_files=N`, `manager_sleep=TIME`, `manager_threshold=TIME`",
        check: cache_path,
    },
    Check {
        directives: &[
            "proxy_cache_valid",
            "fastcgi_cache_valid",
            "uwsgi_cache_valid",
            "scgi_cache_valid",
        ],
        source: "http/ngx_http_file_cache.c:2753,2783 ngx_http_file_cache_valid_set_slot",
        help: "write `STATUS... TIME`: statuses from 100 to 599 or `any`, then a time such as `10m`",
        check: cache_valid,
    },
    Check {
        directives: &["limit_req_zone"],
        source: "http/modules/ngx_http_limit_req_module.c:876-933 ngx_http_limit_req_zone",
        help: "write `limit_req_zone KEY zone=NAME:SIZE rate=Nr/s;` (SIZE at least 32k; rate in r/s or r/m)",
        check: limit_req_zone,
    },
    Check {
        directives: &["limit_conn_zone"],
        source: "http/modules/ngx_http_limit_conn_module.c:601-634 ngx_http_limit_conn_zone",
        help: "write `limit_conn_zone KEY zone=NAME:SIZE;` (SIZE at least 32k)",
        check: limit_conn_zone,
    },
    Check {
        directives: &["limit_req"],
        source: "http/modules/ngx_http_limit_req_module.c:1000-1031 ngx_http_limit_req",
        help: "write `limit_req zone=NAME [burst=N] [nodelay | delay=N];` with N a positive number",
        check: limit_req,
    },
    Check {
        directives: &["limit_conn"],
        source: "http/modules/ngx_http_limit_conn_module.c:700,706 ngx_http_limit_conn",
        help: "write `limit_conn ZONE N;` with N from 1 to 65535",
        check: limit_conn,
    },
    Check {
        directives: &["error_page"],
        source: "http/ngx_http_core_module.c:4982-5048 ngx_http_core_error_page",
        help: "write `error_page CODE... [=[RESPONSE]] URI;` with codes from 300 to 599 (not 499)",
        check: error_page,
    },
    Check {
        directives: &["return"],
        source: "http/modules/ngx_http_rewrite_module.c:478,486 ngx_http_rewrite_return",
        help: "write `return CODE [TEXT|URL];` with a literal code up to 999, or `return URL;` with a URL starting with http://, https:// or $scheme",
        check: rewrite_return,
    },
    Check {
        directives: &["rewrite"],
        source: "http/modules/ngx_http_rewrite_module.c:322,382 ngx_http_rewrite",
        help: "the flag of `rewrite REGEX REPLACEMENT [FLAG]` is `last`, `break`, `redirect` or `permanent`",
        check: rewrite,
    },
    Check {
        directives: &["try_files"],
        source: "http/modules/ngx_http_try_files_module.c:370 ngx_http_try_files",
        help: "a final `=CODE` of `try_files` is a number up to 999, such as `=404`",
        check: try_files,
    },
    Check {
        directives: &["add_header", "add_trailer"],
        source: "http/modules/ngx_http_headers_filter_module.c:910 ngx_http_headers_add",
        help: "the only third parameter is `always`; quote a value that has spaces",
        check: add_header,
    },
    Check {
        directives: &["access_log"],
        source: "http/modules/ngx_http_log_module.c:1378-1571 ngx_http_log_set_log",
        help: "parameters after the format are `buffer=SIZE`, `gzip[=1..9]`, `flush=TIME` and `if=CONDITION`; `access_log off` takes none",
        check: access_log,
    },
    Check {
        directives: &["open_file_cache"],
        source: "http/ngx_http_core_module.c:5127,5138 ngx_http_core_open_file_cache",
        help: "write `open_file_cache max=N [inactive=TIME];` (N positive) or `open_file_cache off;`",
        check: open_file_cache,
    },
    Check {
        directives: &["open_log_file_cache"],
        source: "http/modules/ngx_http_log_module.c:1952,1963 ngx_http_log_open_file_cache",
        help: "write `open_log_file_cache max=N [inactive=TIME] [min_uses=N] [valid=TIME];` or `open_log_file_cache off;`",
        check: open_log_file_cache,
    },
    Check {
        directives: &["allow", "deny"],
        source: "http/modules/ngx_http_access_module.c:329 ngx_http_access_rule",
        help: "`allow`/`deny` take an IP address, a network in CIDR form (`10.0.0.0/8`), `unix:` or `all`; host names are not accepted",
        check: access_rule,
    },
    Check {
        directives: &["server"],
        source: "http/ngx_http_upstream.c:6608-6748 ngx_http_upstream_server",
        help: "`server` parameters are `weight=N` (N > 0), `max_conns=N`, `max_fails=N`, `fail_timeout=TIME`, `backup` (not with `ip_hash`, `hash` or `random`), `down`, and, in newer nginx, `resolve`, `service=NAME`, `route=STRING`, `drain`",
        check: upstream_server,
    },
    Check {
        directives: &["map"],
        source: "http/modules/ngx_http_map_module.c:222 ngx_http_map_block",
        help: "the second argument of `map` is the variable it defines, starting with `$`",
        check: map_variable,
    },
    Check {
        directives: &["geo"],
        source: "http/modules/ngx_http_geo_module.c:412,430 ngx_http_geo_block",
        help: "`geo [$address] $variable { ... }`: both names start with `$`",
        check: geo_variable,
    },
    Check {
        directives: &["split_clients"],
        source: "http/modules/ngx_http_split_clients_module.c:143 ngx_conf_split_clients_block",
        help: "the second argument of `split_clients` is the variable it defines, starting with `$`",
        check: second_is_variable,
    },
    Check {
        directives: &["set", "auth_request_set"],
        source: "http/modules/ngx_http_rewrite_module.c:910 ngx_http_rewrite_set; http/modules/ngx_http_auth_request_module.c:401 ngx_http_auth_request_set",
        help: "the first argument is the variable to set, starting with `$`",
        check: first_is_variable,
    },
    Check {
        directives: &["location"],
        source: "http/ngx_http_core_module.c:3209 ngx_http_core_location",
        help: "a location modifier is `=`, `^~`, `~` or `~*`; quote a path that has spaces",
        check: location_modifier,
    },
    Check {
        directives: &["limit_except"],
        source: "http/ngx_http_core_module.c:4763 ngx_http_core_limit_except",
        help: "methods are GET, HEAD, POST, PUT, DELETE, MKCOL, COPY, MOVE, OPTIONS, PROPFIND, PROPPATCH, LOCK, UNLOCK and PATCH",
        check: limit_except,
    },
    Check {
        directives: &["proxy_pass"],
        source: "http/modules/ngx_http_proxy_module.c:4447 ngx_http_proxy_pass",
        help: "`proxy_pass` takes a URL with its scheme: `http://127.0.0.1:8000` or `https://backend`",
        check: proxy_pass_prefix,
    },
    Check {
        directives: &[
            "proxy_redirect",
            "proxy_cookie_domain",
            "proxy_cookie_path",
            "proxy_cookie_flags",
        ],
        source: "http/modules/ngx_http_proxy_module.c:4527,4668,4760,4858 ngx_http_proxy_redirect, ngx_http_proxy_cookie_domain, ngx_http_proxy_cookie_path, ngx_http_proxy_cookie_flags",
        help: "with one argument, `proxy_redirect` takes `off` or `default`, and `proxy_cookie_*` take `off`; otherwise give both what to replace and its replacement",
        check: off_or_default,
    },
    Check {
        directives: &["proxy_store", "fastcgi_store", "uwsgi_store", "scgi_store"],
        source: "http/modules/ngx_http_{proxy,fastcgi,uwsgi,scgi}_module.c:5002,3848,2403,2054 ngx_http_*_store",
        help: "`*_store` takes `on`, `off` or a path (with variables); an empty one is refused since nginx 1.27.3",
        check: store_path,
    },
    Check {
        directives: &["fastcgi_param", "uwsgi_param", "scgi_param"],
        source: "http/ngx_http_upstream.c:7083 ngx_http_upstream_param_set_slot",
        help: "the third argument of `*_param` can only be `if_not_empty`; quote a value that has spaces",
        check: param_if_not_empty,
    },
    Check {
        directives: &[
            "proxy_bind",
            "fastcgi_bind",
            "uwsgi_bind",
            "scgi_bind",
            "grpc_bind",
            "memcached_bind",
        ],
        source: "http/ngx_http_upstream.c:6961,6986 ngx_http_upstream_bind_set_slot",
        help: "the address is an IP address (not a host name), with an optional port (`10.0.0.1`, `10.0.0.1:4000`, `[::1]:4000`; `[::1]` alone since nginx 1.27.3), a value with variables, or `off`; the only parameter after it is `transparent`",
        check: bind_transparent,
    },
    Check {
        directives: &["keepalive"],
        source: "http/modules/ngx_http_upstream_keepalive_module.c:601,614 ngx_http_upstream_keepalive",
        help: "`keepalive N` takes a number of connections (above 0 before nginx 1.29.7), and since 1.29.7 an optional `local`",
        check: keepalive,
    },
    Check {
        directives: &["hash"],
        source: "http/modules/ngx_http_upstream_hash_module.c:781 ngx_http_upstream_hash",
        help: "the only parameter after the key of `hash` is `consistent`",
        check: hash_consistent,
    },
    Check {
        directives: &["random"],
        source: "http/modules/ngx_http_upstream_random_module.c:553,563 ngx_http_upstream_random",
        help: "write `random;`, `random two;` or `random two least_conn;`",
        check: random,
    },
    Check {
        directives: &["zone"],
        source: "http/modules/ngx_http_upstream_zone_module.c:94,103,109 ngx_http_upstream_zone",
        help: "write `zone NAME [SIZE];` with a size of at least 32k",
        check: upstream_zone,
    },
    Check {
        directives: &["index"],
        source: "http/modules/ngx_http_index_module.c:502 ngx_http_index_set_index",
        help: "an index file name cannot be empty (before nginx 1.29.2 the message names the first index)",
        check: index_empty,
    },
    Check {
        directives: &["sub_filter"],
        source: "http/modules/ngx_http_sub_filter_module.c:804 ngx_http_sub_filter",
        help: "`sub_filter` needs a text to search for",
        check: sub_filter_empty,
    },
    Check {
        directives: &["disable_symlinks"],
        source: "http/ngx_http_core_module.c:5390,5396 ngx_http_disable_symlinks",
        help: "write `disable_symlinks off|on|if_not_owner [from=PART];`",
        check: disable_symlinks,
    },
    Check {
        directives: &[
            "connection_pool_size",
            "request_pool_size",
            "http2_pool_size",
        ],
        // `http2_pool_size` has done nothing since nginx 1.19.7 (nginx's docs call it
        // obsolete), but its post handler still checks the value at every release up to HEAD.
        source: "http/ngx_http_core_module.c:5462,5469 ngx_http_core_pool_size; http/v2/ngx_http_v2_module.c:405,413 ngx_http_v2_pool_size",
        help: "a pool size is at least 112 bytes (on 64-bit systems) and a multiple of 16, such as `256` or `4k`",
        check: pool_size,
    },
    Check {
        directives: &["fastcgi_split_path_info"],
        source: "http/modules/ngx_http_fastcgi_module.c:3804,3809 ngx_http_fastcgi_split_path_info",
        help: "the regex needs exactly two captures, the script name and the path info: `^(.+\\.php)(/.+)$`",
        check: split_path_info,
    },
    Check {
        directives: &["valid_referers"],
        source: "http/modules/ngx_http_referer_module.c:498,594,622 ngx_http_valid_referers, ngx_http_add_regex_referer",
        help: "referers are `none`, `blocked`, `server_names`, host names (with `*.` or `.*` wildcards) and `~regex`; none is empty",
        check: valid_referers,
    },
    Check {
        directives: &["http2_body_preread_size"],
        source: "http/v2/ngx_http_v2_module.c:430 ngx_http_v2_preread_size",
        help: "the HTTP/2 body preread size is at most 2147483647 bytes (the largest HTTP/2 window)",
        check: preread_size,
    },
    Check {
        directives: &["gzip_disable"],
        source: "http/ngx_http_core_module.c:5287 ngx_http_gzip_disable",
        help: "`gzip_disable` takes `msie6`, `degradation` or regexes (matched caseless against User-Agent)",
        check: gzip_disable,
    },
    Check {
        directives: &["log_format"],
        source: "http/modules/ngx_http_log_module.c:1720,1782,1868 ngx_http_log_compile_format; stream/ngx_stream_log_module.c:1403,1465,1535 ngx_stream_log_compile_format",
        help: "`escape=` takes `default`, `json` or `none` (in lowercase), right after the format's name; variables are `$name` or `${name}` (letters, digits, `_`)",
        check: log_format_escape,
    },
    Check {
        directives: &["http2_chunk_size"],
        source: "http/v2/ngx_http_v2_module.c:466 ngx_http_v2_chunk_size",
        help: "`http2_chunk_size` is a size greater than zero, such as `8k` (the default)",
        check: http2_chunk_size,
    },
    Check {
        directives: &["modern_browser"],
        source: "http/modules/ngx_http_browser_module.c:580,615 ngx_http_modern_browser",
        help: "write `modern_browser msie|gecko|opera|safari|konqueror VERSION;` with VERSION digits and dots (such as `4.0`), or `modern_browser unlisted;`",
        check: modern_browser,
    },
    Check {
        directives: &["least_time"],
        source: "http/modules/ngx_http_upstream_least_time_module.c:658 ngx_http_upstream_least_time",
        help: "write `least_time MODE [inflight];` (http: `header` or `last_byte`; stream: `connect`, `first_byte` or `last_byte`)",
        check: least_time,
    },
    // The modules below are not in nginx-light: Debian's libnginx-mod-http-image-filter,
    // libnginx-mod-http-geoip and libnginx-mod-stream-geoip (1.22.1) judge the fixtures;
    // degradation (not packaged) was judged on nginx HEAD built with it.
    Check {
        directives: &["image_filter"],
        source: "http/modules/ngx_http_image_filter_module.c:1518 ngx_http_image_filter",
        help: "write `image_filter off|test|size;`, `image_filter rotate 90|180|270;` or `image_filter resize|crop WIDTH HEIGHT;` with sizes above 0 or `-` (a variable is read per request)",
        check: image_filter,
    },
    Check {
        directives: &["image_filter_jpeg_quality", "image_filter_webp_quality"],
        source: "http/modules/ngx_http_image_filter_module.c:1552,1599 ngx_http_image_filter_jpeg_quality, ngx_http_image_filter_webp_quality",
        help: "the quality is a number above 0 (JPEG and WebP use 1..100; the defaults are 75 and 80), or a variable",
        check: image_quality,
    },
    Check {
        directives: &["image_filter_sharpen"],
        source: "http/modules/ngx_http_image_filter_module.c:1646 ngx_http_image_filter_sharpen",
        help: "the sharpness is a percentage such as `0` (the default) or `50`, or a variable",
        check: image_sharpen,
    },
    Check {
        directives: &["geoip_country", "geoip_org", "geoip_city"],
        source: "http/modules/ngx_http_geoip_module.c:703,758,819 ngx_http_geoip_country, ngx_http_geoip_org, ngx_http_geoip_city; stream/ngx_stream_geoip_module.c:652,707,768",
        help: "the only parameter after the database file is `utf8` (in lowercase)",
        check: geoip_database,
    },
    Check {
        directives: &["geoip_proxy"],
        source: "http/modules/ngx_http_geoip_module.c:896 ngx_http_geoip_cidr_value",
        help: "`geoip_proxy` takes an address or a network in CIDR form (`10.0.0.0/8`, `2001:db8::/32`); host names, `all` and `unix:` are not accepted",
        check: geoip_proxy,
    },
    Check {
        directives: &["degradation"],
        source: "http/modules/ngx_http_degradation_module.c:212,220 ngx_http_degradation",
        help: "write `degradation sbrk=SIZE;` with SIZE such as `500m`",
        check: degradation,
    },
];

/// The check for directive `name` (of an http module).
pub fn check_for(name: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.directives.contains(&name))
}

fn text(v: &[u8]) -> String {
    String::from_utf8_lossy(v).into_owned()
}

fn bad(arg: usize, message: String) -> Option<Bad> {
    Some(Bad {
        arg: Some(arg),
        message,
    })
}

fn head(message: String) -> Option<Bad> {
    Some(Bad { arg: None, message })
}

/// `ngx_strchr`-style split of `NAME:SIZE` after a prefix: `None` when there is no `:`.
fn zone_size(rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = rest.iter().position(|&b| b == b':')?;
    Some((&rest[..colon], &rest[colon + 1..]))
}

/// `ngx_http_file_cache_set_slot`'s `levels=` loop.
fn levels_ok(v: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    while n < 3 && p < v.len() {
        if !(b'1'..=b'2').contains(&v[p]) {
            return false;
        }
        p += 1;
        if p == v.len() {
            break;
        }
        let c = v[p];
        p += 1;
        if c == b':' && n < 2 && p < v.len() {
            n += 1;
            continue;
        }
        return false;
    }
    true
}

fn cache_path(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    let mut zone = false;
    for (i, &v) in args.iter().enumerate().skip(1) {
        let t = text(v);
        if let Some(l) = v.strip_prefix(b"levels=") {
            if !levels_ok(l) {
                return bad(i, format!("invalid \"levels\" \"{t}\""));
            }
        } else if let Some(u) = v.strip_prefix(b"use_temp_path=") {
            if u != b"on" && u != b"off" {
                return bad(
                    i,
                    format!("invalid use_temp_path value \"{t}\", it must be \"on\" or \"off\""),
                );
            }
        } else if let Some(z) = v.strip_prefix(b"keys_zone=") {
            let Some((name, size)) = zone_size(z) else {
                return bad(i, format!("invalid keys zone size \"{t}\""));
            };
            let Some(size) = parse_size(size) else {
                return bad(i, format!("invalid keys zone size \"{t}\""));
            };
            if size < 2 * PAGE_SIZE {
                return bad(i, format!("keys zone \"{t}\" is too small"));
            }
            zone = !name.is_empty();
        } else if let Some(x) = v.strip_prefix(b"inactive=") {
            if parse_time(x, true).is_none() {
                return bad(i, format!("invalid inactive value \"{t}\""));
            }
        } else if let Some(x) = v.strip_prefix(b"max_size=") {
            if parse_offset(x).is_none() {
                return bad(i, format!("invalid max_size value \"{t}\""));
            }
        } else if let Some(x) = v.strip_prefix(b"min_free=") {
            if parse_offset(x).is_none() {
                return bad(i, format!("invalid min_free value \"{t}\""));
            }
        } else if let Some((key, x)) = ["loader_files=", "manager_files="]
            .iter()
            .find_map(|k| Some((k, v.strip_prefix(k.as_bytes())?)))
        {
            if atoi(x).is_none() {
                let key = key.trim_end_matches('=');
                return bad(i, format!("invalid {key} value \"{t}\""));
            }
        } else if let Some((key, x)) = [
            "loader_sleep=",
            "loader_threshold=",
            "manager_sleep=",
            "manager_threshold=",
        ]
        .iter()
        .find_map(|k| Some((k, v.strip_prefix(k.as_bytes())?)))
        {
            if parse_time(x, false).is_none() {
                let key = key.trim_end_matches('=');
                return bad(i, format!("invalid {key} value \"{t}\""));
            }
        } else {
            return bad(i, format!("invalid parameter \"{t}\""));
        }
    }
    if !zone {
        return head(format!(
            "\"{}\" must have \"keys_zone\" parameter",
            env.name
        ));
    }
    None
}

fn cache_valid(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let n = args.len() - 1;
    if parse_time(args[n], true).is_none() {
        return bad(n, format!("invalid time value \"{}\"", text(args[n])));
    }
    for (i, &v) in args[..n].iter().enumerate() {
        if v == b"any" {
            continue;
        }
        if !atoi(v).is_some_and(|s| (100..=599).contains(&s)) {
            return bad(i, format!("invalid status \"{}\"", text(v)));
        }
    }
    None
}

/// `zone=NAME:SIZE` of `limit_req_zone`/`limit_conn_zone` (at least 8 pages).
fn zone_param(i: usize, v: &[u8]) -> Result<bool, Option<Bad>> {
    let t = text(v);
    let Some(z) = v.strip_prefix(b"zone=") else {
        return Ok(false);
    };
    let Some((_, size)) = zone_size(z) else {
        return Err(bad(i, format!("invalid zone size \"{t}\"")));
    };
    let Some(size) = parse_size(size) else {
        return Err(bad(i, format!("invalid zone size \"{t}\"")));
    };
    if size < 8 * PAGE_SIZE {
        return Err(bad(i, format!("zone \"{t}\" is too small")));
    }
    Ok(true)
}

/// Was a `zone=` with a name given (nginx's `name.len != 0`)?
fn has_zone_name(args: &[&[u8]]) -> bool {
    args.iter().skip(1).any(|v| {
        v.strip_prefix(b"zone=")
            .and_then(zone_size)
            .is_some_and(|(n, _)| !n.is_empty())
    })
}

fn limit_req_zone(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    for (i, &v) in args.iter().enumerate().skip(1) {
        match zone_param(i, v) {
            Err(b) => return b,
            Ok(true) => continue,
            Ok(false) => {}
        }
        if let Some(r) = v.strip_prefix(b"rate=") {
            let r = r
                .strip_suffix(b"r/s")
                .or_else(|| r.strip_suffix(b"r/m"))
                .unwrap_or(r);
            if atoi(r).is_none_or(|n| n <= 0) {
                return bad(i, format!("invalid rate \"{}\"", text(v)));
            }
            continue;
        }
        return bad(i, format!("invalid parameter \"{}\"", text(v)));
    }
    if !has_zone_name(args) {
        return head("\"limit_req_zone\" must have \"zone\" parameter".into());
    }
    None
}

fn limit_conn_zone(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    for (i, &v) in args.iter().enumerate().skip(1) {
        match zone_param(i, v) {
            Err(b) => return b,
            Ok(true) => continue,
            Ok(false) => return bad(i, format!("invalid parameter \"{}\"", text(v))),
        }
    }
    if !has_zone_name(args) {
        return head("\"limit_conn_zone\" must have \"zone\" parameter".into());
    }
    None
}

fn limit_req(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let mut zone = false;
    for (i, &v) in args.iter().enumerate() {
        if v.starts_with(b"zone=") {
            zone = true;
        } else if let Some((key, x)) = ["burst=", "delay="]
            .iter()
            .find_map(|k| Some((k, v.strip_prefix(k.as_bytes())?)))
        {
            if atoi(x).is_none_or(|n| n <= 0) {
                let key = key.trim_end_matches('=');
                return bad(i, format!("invalid {key} value \"{}\"", text(v)));
            }
        } else if v != b"nodelay" {
            return bad(i, format!("invalid parameter \"{}\"", text(v)));
        }
    }
    if !zone {
        return head("\"limit_req\" must have \"zone\" parameter".into());
    }
    None
}

fn limit_conn(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match atoi(args[1]) {
        Some(n) if n > 65535 => bad(1, "connection limit must be less 65536".into()),
        Some(n) if n > 0 => None,
        _ => bad(
            1,
            format!("invalid number of connections \"{}\"", text(args[1])),
        ),
    }
}

fn error_page(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    // args: codes..., [=answer], uri (nginx's value[1..nelts-1]).
    let i = args.len() - 2;
    let mut codes_end = args.len() - 1;
    if args[i].first() == Some(&b'=') {
        if i == 0 {
            return bad(i, format!("invalid value \"{}\"", text(args[i])));
        }
        if args[i].len() > 1 && atoi(&args[i][1..]).is_none() {
            return bad(i, format!("invalid value \"{}\"", text(args[i])));
        }
        codes_end = i;
    }
    for (j, &v) in args[..codes_end].iter().enumerate() {
        match atoi(v) {
            None | Some(499) => return bad(j, format!("invalid value \"{}\"", text(v))),
            Some(s) if !(300..=599).contains(&s) => {
                return bad(
                    j,
                    format!("value \"{}\" must be between 300 and 599", text(v)),
                );
            }
            Some(_) => {}
        }
    }
    None
}

fn rewrite_return(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args[0];
    match atoi(v) {
        Some(s) if s > 999 => bad(0, format!("invalid return code \"{}\"", text(v))),
        Some(_) => None,
        None => {
            let url = [&b"http://"[..], b"https://", b"$scheme"]
                .iter()
                .any(|p| v.starts_with(p));
            if args.len() == 1 && url {
                None
            } else {
                bad(0, format!("invalid return code \"{}\"", text(v)))
            }
        }
    }
}

fn rewrite(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    // The regex is compiled before the flag is read: an invalid one is nginx's error then
    // (invalid-regex).
    if args[1].is_empty() {
        return bad(1, "empty replacement".into());
    }
    if super::loadtime::regex_error(args[0], false).is_some() {
        return None;
    }
    if let Some(&flag) = args.get(2)
        && !matches!(flag, b"last" | b"break" | b"redirect" | b"permanent")
    {
        return bad(2, format!("invalid parameter \"{}\"", text(flag)));
    }
    None
}

fn try_files(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let last = args.len() - 1;
    let v = args[last];
    if v.first() != Some(&b'=') || v.contains(&b'$') {
        return None;
    }
    if atoi(&v[1..]).is_none_or(|c| c > 999) {
        return bad(last, format!("invalid code \"{}\"", text(v)));
    }
    None
}

fn add_header(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match args.get(2) {
        Some(&v) if v != b"always" => bad(2, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

fn access_log(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    if args[0] == b"off" {
        return match args.get(1) {
            Some(v) => bad(1, format!("invalid parameter \"{}\"", text(v))),
            None => None,
        };
    }
    // An unknown format, or a syslog target nginx parses itself, is another check's.
    if args[0].starts_with(b"syslog:") || args.get(1).is_some_and(|f| !(env.known_format)(f)) {
        return None;
    }
    for (i, &v) in args.iter().enumerate().skip(2) {
        if let Some(s) = v.strip_prefix(b"buffer=") {
            if parse_size(s).is_none_or(|n| n == 0) {
                return bad(i, format!("invalid buffer size \"{}\"", text(s)));
            }
        } else if let Some(s) = v.strip_prefix(b"flush=") {
            if parse_time(s, false).is_none_or(|n| n == 0) {
                return bad(i, format!("invalid flush time \"{}\"", text(s)));
            }
        } else if v.starts_with(b"gzip") && (v.len() == 4 || v[4] == b'=') {
            if v.len() > 4 && !atoi(&v[5..]).is_some_and(|n| (1..=9).contains(&n)) {
                return bad(
                    i,
                    format!("invalid compression level \"{}\"", text(&v[5..])),
                );
            }
        } else if !v.starts_with(b"if=") {
            return bad(i, format!("invalid parameter \"{}\"", text(v)));
        }
    }
    None
}

fn open_file_cache(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let (mut max, mut off) = (0, false);
    for (i, &v) in args.iter().enumerate() {
        let ok = if let Some(x) = v.strip_prefix(b"max=") {
            max = atoi(x).unwrap_or(0);
            max > 0
        } else if let Some(x) = v.strip_prefix(b"inactive=") {
            parse_time(x, true).is_some()
        } else if v == b"off" {
            off = true;
            true
        } else {
            false
        };
        if !ok {
            return bad(
                i,
                format!("invalid \"open_file_cache\" parameter \"{}\"", text(v)),
            );
        }
    }
    if !off && max == 0 {
        return head("\"open_file_cache\" must have the \"max\" parameter".into());
    }
    None
}

fn open_log_file_cache(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let (mut max, mut off) = (0, false);
    for (i, &v) in args.iter().enumerate() {
        let ok = if let Some(x) = v.strip_prefix(b"max=") {
            // nginx checks only for NGX_ERROR here: max=0 passes the loop.
            atoi(x).inspect(|&n| max = n).is_some()
        } else if let Some(x) = v.strip_prefix(b"min_uses=") {
            atoi(x).is_some()
        } else if let Some(x) = v
            .strip_prefix(b"inactive=")
            .or_else(|| v.strip_prefix(b"valid="))
        {
            parse_time(x, true).is_some()
        } else if v == b"off" {
            off = true;
            true
        } else {
            false
        };
        if !ok {
            return bad(
                i,
                format!("invalid \"open_log_file_cache\" parameter \"{}\"", text(v)),
            );
        }
    }
    if !off && max == 0 {
        return head("\"open_log_file_cache\" must have \"max\" parameter".into());
    }
    None
}

/// `ngx_inet_addr`: four decimal octets up to 255 (leading zeros allowed).
fn inet_addr(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v.split(|&b| b == b'.').collect();
    parts.len() == 4 && parts.iter().all(|p| atoi(p).is_some_and(|n| n <= 255))
}

/// Is `v` certainly not something `ngx_ptocidr` reads (an address with an optional `/bits`)?
/// IPv6 forms are only judged by their characters and prefix length.
fn not_cidr(v: &[u8]) -> bool {
    let (addr, bits) = match v.iter().position(|&b| b == b'/') {
        Some(p) => (&v[..p], Some(&v[p + 1..])),
        None => (v, None),
    };
    if addr.contains(&b':') {
        if !addr
            .iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
        {
            return true;
        }
        return bits.is_some_and(|b| atoi(b).is_none_or(|n| n > 128));
    }
    if !inet_addr(addr) {
        return true;
    }
    bits.is_some_and(|b| atoi(b).is_none_or(|n| n > 32))
}

fn access_rule(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args[0];
    if v == b"all" || v == b"unix:" || !not_cidr(v) {
        return None;
    }
    bad(0, format!("invalid parameter \"{}\"", text(v)))
}

/// When each `server` parameter appeared in nginx's open-source upstream module.
const SERVER_PARAMS: &[(&str, Version)] = &[
    ("weight=", Version(0, 0, 0)),
    ("max_fails=", Version(0, 0, 0)),
    ("fail_timeout=", Version(0, 0, 0)),
    ("backup", Version(0, 0, 0)),
    ("down", Version(0, 0, 0)),
    ("max_conns=", Version(1, 11, 5)),
    ("resolve", Version(1, 27, 3)),
    ("service=", Version(1, 27, 3)),
    ("route=", Version(1, 29, 6)),
    ("drain", Version(1, 29, 6)),
];

fn upstream_server(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    for (i, &v) in args.iter().enumerate().skip(1) {
        let t = text(v);
        let known = SERVER_PARAMS.iter().find(|(p, _)| {
            if p.ends_with('=') {
                v.starts_with(p.as_bytes())
            } else {
                v == p.as_bytes()
            }
        });
        let Some(&(p, since)) = known else {
            return bad(i, format!("invalid parameter \"{t}\""));
        };
        if env.version < since {
            return bad(i, format!("invalid parameter \"{t}\""));
        }
        match env.balancer_before {
            None | Some("least_conn") => {}
            // ngx_http_upstream_{ip_hash,hash,random}: every flag but NGX_HTTP_UPSTREAM_BACKUP.
            Some("ip_hash" | "hash" | "random") => {
                if p == "backup" {
                    return bad(
                        i,
                        format!("balancing method does not support parameter \"{t}\""),
                    );
                }
            }
            Some(_) => continue,
        }
        let x = &v[p.len()..];
        let invalid = match p {
            "weight=" => atoi(x).is_none_or(|n| n == 0),
            "max_conns=" | "max_fails=" => atoi(x).is_none(),
            "fail_timeout=" => parse_time(x, true).is_none(),
            _ => false,
        };
        if invalid {
            return bad(i, format!("invalid parameter \"{t}\""));
        }
        if p == "route=" && x.is_empty() {
            return bad(i, "route is empty".into());
        }
        // NGX_HTTP_UPSTREAM_SID_LEN (ngx_http_upstream_round_robin.h): an MD5 in hex.
        if p == "route=" && x.len() > 32 {
            return bad(i, "route is longer than 32".into());
        }
        if p == "service=" && x.is_empty() {
            return bad(i, "service is empty".into());
        }
    }
    None
}

fn not_variable(i: usize, v: &[u8]) -> Option<Bad> {
    (v.first() != Some(&b'$')).then(|| Bad {
        arg: Some(i),
        message: format!("invalid variable name \"{}\"", text(v)),
    })
}

fn map_variable(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    not_variable(1, args[1])
}

fn second_is_variable(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    not_variable(1, args[1])
}

fn first_is_variable(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    not_variable(0, args[0])
}

fn geo_variable(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    not_variable(0, args[0]).or_else(|| args.get(1).and_then(|v| not_variable(1, v)))
}

fn location_modifier(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match args {
        [m, _] if !matches!(*m, b"=" | b"^~" | b"~" | b"~*") => {
            bad(0, format!("invalid location modifier \"{}\"", text(m)))
        }
        _ => None,
    }
}

const METHODS: &[&str] = &[
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "MKCOL",
    "COPY",
    "MOVE",
    "OPTIONS",
    "PROPFIND",
    "PROPPATCH",
    "LOCK",
    "UNLOCK",
    "PATCH",
];

fn limit_except(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    args.iter().enumerate().find_map(|(i, v)| {
        (!METHODS.iter().any(|m| m.as_bytes().eq_ignore_ascii_case(v))).then(|| Bad {
            arg: Some(i),
            message: format!("invalid method \"{}\"", text(v)),
        })
    })
}

fn proxy_pass_prefix(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args[0];
    let scheme = |p: &[u8]| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p);
    if v.contains(&b'$') || scheme(b"http://") || scheme(b"https://") {
        return None;
    }
    bad(0, "invalid URL prefix".into())
}

fn off_or_default(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    match args {
        [b"off"] => None,
        [b"default"] if env.name == "proxy_redirect" => None,
        [v] => bad(0, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

/// nginx 1.27.3 (a448dd52e) refuses an empty `*_store` path; before, it was accepted.
const STORE_EMPTY_SINCE: Version = Version(1, 27, 3);

fn store_path(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    (args[0].is_empty() && env.version >= STORE_EMPTY_SINCE).then(|| Bad {
        arg: Some(0),
        message: "empty path".into(),
    })
}

fn param_if_not_empty(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match args.get(2) {
        Some(&v) if v != b"if_not_empty" => bad(2, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

/// `ngx_parse_addr_port` (core/ngx_inet.c): an IPv4 or IPv6 address, or one with a port
/// (`1.2.3.4:80`, `[::1]:80`); `[::1]` without a port since nginx 1.27.3 (commit b2a67d261).
fn addr_port_ok(t: &[u8], version: Version) -> bool {
    use super::address::{inet_addr_ok, inet6_addr_ok};
    let addr = |t: &[u8]| inet_addr_ok(t) || inet6_addr_ok(t);
    if addr(t) {
        return true;
    }
    let (host, port) = if t.first() == Some(&b'[') {
        let Some(p) = t.iter().position(|&c| c == b']') else {
            return false;
        };
        if p == t.len() - 1 {
            return version >= Version(1, 27, 3) && addr(&t[1..p]);
        }
        if t[p + 1] != b':' {
            return false;
        }
        (&t[1..p], &t[p + 2..])
    } else {
        let Some(p) = t.iter().position(|&c| c == b':') else {
            return false;
        };
        (&t[..p], &t[p + 1..])
    };
    atoi(port).is_some_and(|n| (1..=65535).contains(&n)) && addr(host)
}

fn bind_transparent(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    // A constant address (no variable) is parsed now: `ngx_parse_addr_port`, IP only (no
    // host name), an optional port from 1 to 65535 (http/ngx_http_upstream.c:6961,
    // stream/ngx_stream_proxy_module.c:2872).
    let addr = args[0];
    let off = args.len() == 1 && addr == b"off";
    let taken = off || addr.contains(&b'$') || addr_port_ok(addr, env.version);
    if !taken {
        return bad(0, format!("invalid address \"{}\"", text(addr)));
    }
    match args.get(1) {
        Some(&v) if v != b"transparent" => bad(1, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

/// `keepalive 0` became valid, and `local` appeared, in nginx 1.29.7.
const KEEPALIVE_ZERO_SINCE: Version = Version(1, 29, 7);

fn keepalive(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    let n = atoi(args[0]);
    if n.is_none() || (n == Some(0) && env.version < KEEPALIVE_ZERO_SINCE) {
        return bad(
            0,
            format!(
                "invalid value \"{}\" in \"keepalive\" directive",
                text(args[0])
            ),
        );
    }
    match args.get(1) {
        Some(&v) if v != b"local" => bad(1, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

fn hash_consistent(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match args.get(1) {
        Some(&v) if v != b"consistent" => bad(1, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

fn random(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match args {
        [] => None,
        [two, ..] if *two != b"two" => bad(0, format!("invalid parameter \"{}\"", text(two))),
        [_, m] if *m != b"least_conn" => bad(1, format!("invalid parameter \"{}\"", text(m))),
        _ => None,
    }
}

fn upstream_zone(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    if args[0].is_empty() {
        return bad(0, format!("invalid zone name \"{}\"", text(args[0])));
    }
    let size = args.get(1)?;
    match parse_size(size) {
        None => bad(1, format!("invalid zone size \"{}\"", text(size))),
        Some(n) if n < 8 * PAGE_SIZE => bad(1, format!("zone \"{}\" is too small", text(args[0]))),
        Some(_) => None,
    }
}

/// Until 1.29.1 nginx named the first index in this message, whichever was empty.
const INDEX_NAMES_EMPTY_SINCE: Version = Version(1, 29, 2);

fn index_empty(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    let i = args.iter().position(|v| v.is_empty())?;
    let named = if env.version >= INDEX_NAMES_EMPTY_SINCE {
        args[i]
    } else {
        args[0]
    };
    bad(
        i,
        format!(
            "index \"{}\" in \"index\" directive is invalid",
            text(named)
        ),
    )
}

fn sub_filter_empty(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    args[0].is_empty().then(|| Bad {
        arg: Some(0),
        message: "empty search pattern".into(),
    })
}

fn disable_symlinks(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    let mut mode = false;
    for (i, &v) in args.iter().enumerate() {
        if matches!(v, b"off" | b"on" | b"if_not_owner") {
            mode = true;
        } else if !v.starts_with(b"from=") {
            return bad(i, format!("invalid parameter \"{}\"", text(v)));
        }
    }
    if !mode {
        return head(format!(
            "\"{}\" must have \"off\", \"on\" or \"if_not_owner\" parameter",
            env.name
        ));
    }
    None
}

/// `NGX_MIN_POOL_SIZE` on 64-bit systems (`sizeof(ngx_pool_t)` + 2 `ngx_pool_large_t`,
/// aligned to 16) and `NGX_POOL_ALIGNMENT` (src/core/ngx_palloc.h).
const MIN_POOL_SIZE: i64 = 112;
const POOL_ALIGNMENT: i64 = 16;

fn pool_size(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let n = parse_size(args[0])?; // unreadable: invalid-arguments
    if n < MIN_POOL_SIZE {
        return bad(
            0,
            format!("the pool size must be no less than {MIN_POOL_SIZE}"),
        );
    }
    if n % POOL_ALIGNMENT != 0 {
        return bad(
            0,
            format!("the pool size must be a multiple of {POOL_ALIGNMENT}"),
        );
    }
    None
}

fn split_path_info(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args[0];
    if let Some(err) = super::loadtime::regex_error(v, false) {
        return bad(0, err);
    }
    let pattern = std::str::from_utf8(v).ok()?;
    let re = pcre2::bytes::RegexBuilder::new().build(pattern).ok()?;
    // captures_len counts the whole match as group 0; nginx counts the groups.
    (re.captures_len() != 3).then(|| Bad {
        arg: Some(0),
        message: format!("pattern \"{pattern}\" must have 2 captures"),
    })
}

/// A `map` entry: nginx takes one value per key, or a lone `hostnames`/`volatile`
/// (`ngx_http_map`, http/modules/ngx_http_map_module.c:412). `key` is the entry's name and
/// `values` its arguments.
pub fn map_entry_error(key: &[u8], values: usize) -> Option<String> {
    if values == 0 && matches!(key, b"hostnames" | b"volatile") {
        return None;
    }
    (values != 1).then(|| "invalid number of the map parameters".to_owned())
}

fn valid_referers(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    for (i, &v) in args.iter().enumerate() {
        if v.is_empty() {
            return bad(i, "invalid referer \"\"".into());
        }
        if !v.starts_with(b"~") && !matches!(v, b"none" | b"blocked" | b"server_names") {
            // The host part, before the first `/` (ngx_http_add_referer).
            let host = v.split(|&b| b == b'/').next().unwrap_or(v);
            if wildcard_refused(host) {
                return bad(
                    i,
                    format!("invalid hostname or wildcard \"{}\"", text(host)),
                );
            }
        }
        if let Some(re) = v.strip_prefix(b"~") {
            if re.is_empty() {
                return bad(i, "empty regex in \"~\"".into());
            }
            // ngx_http_add_regex_referer compiles caseless.
            if let Some(err) = super::loadtime::regex_error(re, true) {
                return bad(i, err);
            }
        }
    }
    None
}

/// A `geo` entry (`ngx_http_geo`, http/modules/ngx_http_geo_module.c:614,641): one value per
/// key, or a lone `ranges` (first, before any entry), `proxy_recursive` or `volatile` (since
/// 1.29.3).
/// `entries_before`: entries before this one other than `proxy_recursive`, `volatile`,
/// `proxy` and `include`, which do not start the geo's tree.
pub fn geo_entry_error(
    key: &[u8],
    values: usize,
    entries_before: bool,
    version: Version,
) -> Option<String> {
    if values == 0 {
        match key {
            // `volatile` in geo is new in nginx 1.29.3 (ac72ca60c).
            b"volatile" if version < Version(1, 29, 3) => {}
            b"ranges" if entries_before => {
                return Some(
                    "the \"ranges\" directive must be the first directive inside \"geo\" block"
                        .into(),
                );
            }
            b"ranges" | b"proxy_recursive" | b"volatile" => return None,
            _ => {}
        }
    }
    (values != 1).then(|| "invalid number of the geo parameters".to_owned())
}

/// `NGX_HTTP_V2_MAX_WINDOW` (http/v2/ngx_http_v2.h).
const V2_MAX_WINDOW: i64 = (1 << 31) - 1;

fn preread_size(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let n = parse_size(args[0])?; // unreadable: invalid-arguments
    (n > V2_MAX_WINDOW).then(|| Bad {
        arg: Some(0),
        message: format!("the maximum body preread buffer size is {V2_MAX_WINDOW}"),
    })
}

fn gzip_disable(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    args.iter().enumerate().find_map(|(i, &v)| {
        if matches!(v, b"msie6" | b"degradation") {
            return None;
        }
        // ngx_http_gzip_disable compiles each regex caseless.
        let err = super::loadtime::regex_error(v, true)?;
        Some(Bad {
            arg: Some(i),
            message: err,
        })
    })
}

/// `escape=` right after the name (nginx 1.13.10+, where `none` came; silent before), then the
/// variables of the format.
fn log_format_escape(args: &[&[u8]], env: &Env<'_>) -> Option<Bad> {
    if env.version < Version(1, 13, 10) {
        return None;
    }
    let mut first = 1;
    if let Some(mode) = args.get(1).and_then(|a| a.strip_prefix(b"escape=")) {
        if !matches!(mode, b"default" | b"json" | b"none") {
            return bad(1, format!("unknown log format escaping \"{}\"", text(mode)));
        }
        first = 2;
    }
    args.iter().enumerate().skip(first).find_map(|(i, a)| {
        log_format_arg_error(a).map(|m| Bad {
            arg: Some(i),
            message: m,
        })
    })
}

/// One format argument as `ngx_http_log_compile_format` (http/modules/ngx_http_log_module.c:
/// 1782, 1868; stream/ngx_stream_log_module.c:1465, 1535) scans it: each `$name` or `${name}`
/// must name a variable (letters, digits, `_`) and close its bracket. nginx prints the rest of
/// the argument from the `$` for an empty name.
fn log_format_arg_error(a: &[u8]) -> Option<String> {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let invalid = |from: usize| Some(format!("invalid parameter \"{}\"", text(&a[from..])));
    let mut i = 0;
    while i < a.len() {
        if a[i] != b'$' {
            i += 1;
            continue;
        }
        let dollar = i;
        i += 1;
        if i == a.len() {
            return invalid(dollar);
        }
        let mut bracket = false;
        if a[i] == b'{' {
            bracket = true;
            i += 1;
            if i == a.len() {
                return invalid(dollar);
            }
        }
        let start = i;
        let mut len = 0;
        while i < a.len() {
            if a[i] == b'}' && bracket {
                i += 1;
                bracket = false;
                break;
            }
            if !word(a[i]) {
                break;
            }
            i += 1;
            len += 1;
        }
        if bracket {
            return Some(format!(
                "the closing bracket in \"{}\" variable is missing",
                text(&a[start..start + len])
            ));
        }
        if len == 0 {
            return invalid(dollar);
        }
    }
    None
}

fn http2_chunk_size(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    // An unparsable size is `ngx_conf_set_size_slot`'s "invalid value", reported first.
    match parse_size(args.first()?) {
        Some(0) => bad(0, "the http2 chunk size cannot be zero".to_owned()),
        _ => None,
    }
}

/// The browsers of `ngx_http_modern_browser_masks` (compared caseless).
const MODERN_BROWSERS: &[&[u8]] = &[b"opera", b"msie", b"gecko", b"safari", b"konqueror"];

fn modern_browser(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    // One argument: `unlisted`, or nginx's bare NGX_CONF_ERROR (no message of its own).
    let [name, version] = args else { return None };
    if !MODERN_BROWSERS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
        return bad(0, format!("unknown browser name \"{}\"", text(name)));
    }
    if version.iter().any(|c| !c.is_ascii_digit() && *c != b'.') {
        return bad(1, format!("invalid browser version \"{}\"", text(version)));
    }
    None
}

fn least_time(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    match args.get(1) {
        Some(&v) if v != b"inflight" => bad(1, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

/// `ngx_http_image_filter_value`: `-` is -1, a positive `ngx_atoi` number itself, anything
/// else (letters, `0`, an overflow) 0.
fn image_value(v: &[u8]) -> i64 {
    if v == b"-" {
        return -1;
    }
    atoi(v).filter(|&n| n > 0).unwrap_or(0)
}

/// An argument with a `$` is a complex value (`ngx_http_compile_complex_value`), read per
/// request: nginx checks it only then.
fn complex(v: &[u8]) -> bool {
    v.contains(&b'$')
}

fn image_filter(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let invalid = |i: usize| bad(i, format!("invalid parameter \"{}\"", text(args[i])));
    match args {
        [mode] if !matches!(*mode, b"off" | b"test" | b"size") => invalid(0),
        [mode, angle] => {
            if *mode != b"rotate" {
                return invalid(0);
            }
            if !complex(angle) && !matches!(image_value(angle), 90 | 180 | 270) {
                return invalid(1);
            }
            None
        }
        [mode, width, height] => {
            if !matches!(*mode, b"resize" | b"crop") {
                return invalid(0);
            }
            if !complex(width) && image_value(width) == 0 {
                return invalid(1);
            }
            if !complex(height) && image_value(height) == 0 {
                return invalid(2);
            }
            None
        }
        _ => None,
    }
}

fn image_quality(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args.first()?;
    if complex(v) || image_value(v) > 0 {
        return None;
    }
    bad(0, format!("invalid value \"{}\"", text(v)))
}

fn image_sharpen(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    // Only `-` is below 0: letters read as 0 and pass.
    let v = args.first()?;
    if image_value(v) >= 0 {
        return None;
    }
    bad(0, format!("invalid value \"{}\"", text(v)))
}

fn geoip_database(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    // nginx opens the database first: when it cannot, `GeoIP_open("...") failed` names the
    // same line (the configuration is refused either way).
    match args.get(1) {
        Some(&v) if v != b"utf8" => bad(1, format!("invalid parameter \"{}\"", text(v))),
        _ => None,
    }
}

fn geoip_proxy(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args.first()?;
    // `ngx_http_geoip_cidr_value` takes 255.255.255.255 before `ngx_ptocidr`.
    if *v == b"255.255.255.255" || !not_cidr(v) {
        return None;
    }
    bad(0, format!("invalid network \"{}\"", text(v)))
}

fn degradation(args: &[&[u8]], _: &Env<'_>) -> Option<Bad> {
    let v = args.first()?;
    match v.strip_prefix(b"sbrk=") {
        Some(size) if parse_size(size).is_some() => None,
        Some(_) => bad(0, format!("invalid sbrk size \"{}\"", text(v))),
        None => bad(0, format!("invalid parameter \"{}\"", text(v))),
    }
}

/// A `geo` entry of a `ranges` block (`ngx_http_geo_range`, http/modules/ngx_http_geo_module.c:792):
/// `FROM-TO` IPv4 addresses with FROM ≤ TO, after `delete` too. `key` is the entry's name,
/// `value` its single argument.
pub fn geo_range_error(key: &[u8], value: &[u8]) -> Option<String> {
    if matches!(key, b"default" | b"include" | b"proxy") {
        return None;
    }
    let net = if key == b"delete" { value } else { key };
    let ok = net.iter().position(|&b| b == b'-').is_some_and(|dash| {
        let (a, b) = (&net[..dash], &net[dash + 1..]);
        match (inet_addr_value(a), inet_addr_value(b)) {
            (Some(a), Some(b)) => a <= b,
            _ => false,
        }
    });
    (!ok).then(|| format!("invalid range \"{}\"", text(net)))
}

/// `ngx_hextoi`: hex digits only, at least one.
fn hextoi(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 15 || !v.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(v).ok()?, 16).ok()
}

/// An entry of a `charset_map` block as `ngx_http_charset_map`
/// (http/modules/ngx_http_charset_filter_module.c:1321-1392) refuses it: not one value
/// (`invalid parameters number`), a source code that is not hex up to `FF`, or a target that
/// is not hex up to `FF` or, mapping to utf-8, not one to three hex bytes of one UTF-8
/// character up to U+FFFF (`invalid value "X"`).
pub fn charset_map_entry_error(key: &[u8], values: &[&[u8]], utf8: bool) -> Option<String> {
    let [value] = values else {
        return Some("invalid parameters number".to_owned());
    };
    let invalid = |v: &[u8]| Some(format!("invalid value \"{}\"", text(v)));
    if hextoi(key).is_none_or(|n| n > 255) {
        return invalid(key);
    }
    if !utf8 {
        return hextoi(value)
            .is_none_or(|n| n > 255)
            .then(|| invalid(value))?;
    }
    if value.len() / 2 > 3 {
        return invalid(value);
    }
    // Each pair of hex digits is a byte (an odd last digit is read with the NUL after it).
    let mut bytes = Vec::new();
    for pair in value.chunks(2) {
        match (pair.len(), hextoi(pair)) {
            (2, Some(b)) => bytes.push(b as u8),
            _ => return invalid(value),
        }
    }
    // `ngx_utf8_decode` (core/ngx_string.c:1360) of the bytes: a multi-byte character above
    // the shorter forms' range and up to U+FFFF (an ASCII byte is refused); continuation bytes
    // need only their high bit; the rest is ignored.
    let Some(&b) = bytes.first() else {
        return None; // an empty value: nginx reads stale table memory, not judged here
    };
    let (len, mask, valid) = match b {
        0xf8.. | 0..0xc2 => return invalid(value),
        0xf0.. => (3, 0x07, 0xffff),
        0xe0.. => (2, 0x0f, 0x7ff),
        _ => (1, 0x1f, 0x7f),
    };
    if bytes.len() - 1 < len {
        return invalid(value);
    }
    let mut u = u32::from(b) & mask;
    for &c in &bytes[1..=len] {
        if c < 0x80 {
            return invalid(value);
        }
        u = (u << 6) | u32::from(c & 0x3f);
    }
    (u <= valid || u > 0xffff).then(|| invalid(value))?
}

/// The addresses of a `ranges` entry `FROM-TO` (FROM ≤ TO), as numbers.
pub fn geo_range_bounds(net: &[u8]) -> Option<(u32, u32)> {
    let dash = net.iter().position(|&b| b == b'-')?;
    let (a, b) = (
        inet_addr_value(&net[..dash])?,
        inet_addr_value(&net[dash + 1..])?,
    );
    (a <= b).then_some((a, b))
}

/// The ranges of a `geo` block with `ranges`, kept as `ngx_http_geo_add_range`
/// (http/modules/ngx_http_geo_module.c:800-996; `ngx_stream_geo_add_range` is the same) keeps
/// them: per /16 block, sorted `start..=end` pieces of the low 16 bits. An entry that covers an
/// existing piece only in part, other than from one of its ends, is refused.
#[derive(Default)]
pub struct GeoRanges {
    blocks: std::collections::HashMap<u32, Vec<(u32, u32)>>,
}

impl GeoRanges {
    /// Adds `start..=end`; nginx's `range "NET" overlaps "A-B"` message when it refuses it.
    pub fn add(&mut self, net: &str, start: u32, end: u32) -> Option<String> {
        let mut n = start;
        loop {
            let h = n >> 16;
            let s = if n == start { n & 0xffff } else { 0 };
            let e = if (n | 0xffff) > end {
                end & 0xffff
            } else {
                0xffff
            };
            let a = self.blocks.entry(h).or_default();
            let mut i = a.len();
            let mut placed = false;
            while i > 0 {
                i -= 1;
                let (rs, re) = a[i];
                if e < rs {
                    continue;
                }
                if s > re {
                    a.insert(i + 1, (s, e));
                } else if s == rs && e == re {
                    // nginx warns ("duplicate range") and keeps the later value.
                } else if s > rs && e < re {
                    a[i].1 = s - 1;
                    a.insert(i + 1, (s, e));
                    a.insert(i + 2, (e + 1, re));
                } else if s == rs && e < re {
                    a[i] = (s, e);
                    a.insert(i + 1, (e + 1, re));
                } else if s > rs && e == re {
                    a[i].1 = s - 1;
                    a.insert(i + 1, (s, e));
                } else {
                    return Some(format!(
                        "range \"{net}\" overlaps \"{}.{}.{}.{}-{}.{}.{}.{}\"",
                        h >> 8,
                        h & 0xff,
                        rs >> 8,
                        rs & 0xff,
                        h >> 8,
                        h & 0xff,
                        re >> 8,
                        re & 0xff
                    ));
                }
                placed = true;
                break;
            }
            if !placed {
                a.insert(0, (s, e));
            }
            if h == 0xffff {
                return None;
            }
            n = (n + 0x10000) & 0xffff_0000;
            if n > end {
                return None;
            }
        }
    }
}

/// `ngx_inet_addr`'s value: four decimal octets up to 255. `255.255.255.255` is
/// `INADDR_NONE`, which callers read as "not an address" (nginx: invalid range).
fn inet_addr_value(v: &[u8]) -> Option<u32> {
    if !inet_addr(v) {
        return None;
    }
    Some(
        v.split(|&b| b == b'.')
            .filter_map(atoi)
            .fold(0u32, |acc, o| (acc << 8) | o as u32),
    )
    .filter(|&a| a != u32::MAX)
}

/// Does `ngx_hash_add_key` refuse `key` as a host name with wildcards (`NGX_DECLINED`:
/// src/core/ngx_hash.c)? Allowed: `*.example.com`, `.example.com`, `www.example.*` and plain
/// names; refused: two `*`, `..`, a NUL byte, or a `*` anywhere else.
pub fn wildcard_refused(key: &[u8]) -> bool {
    let stars = key.iter().filter(|&&b| b == b'*').count();
    if stars > 1 || key.windows(2).any(|w| w == b"..") || key.contains(&0) {
        return true;
    }
    if key.len() > 1 && key[0] == b'.' {
        return false;
    }
    if key.len() > 2 && (key.starts_with(b"*.") || key.ends_with(b".*")) {
        return false;
    }
    stars > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, args: &[&str]) -> Option<String> {
        let env = Env {
            name,
            version: Version(1, 31, 0),
            balancer_before: None,
            known_format: &|_| true,
        };
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        (check_for(name).unwrap().check)(&args, &env).map(|b| b.message)
    }

    #[test]
    fn cache_paths_as_nginx_reads_them() {
        let ok = [
            "/c",
            "levels=1:2",
            "keys_zone=c:10m",
            "inactive=60m",
            "max_size=1g",
        ];
        assert_eq!(run("proxy_cache_path", &ok), None);
        assert_eq!(
            run(
                "proxy_cache_path",
                &["/c", "levels=2:2:2", "keys_zone=c:8k"]
            ),
            None
        );
        for (bad, msg) in [
            ("levels=1:3", "invalid \"levels\" \"levels=1:3\""),
            ("levels=1:2:", "invalid \"levels\" \"levels=1:2:\""),
            ("levels=1:2:2:2", "invalid \"levels\" \"levels=1:2:2:2\""),
            ("keys_zone=c", "invalid keys zone size \"keys_zone=c\""),
            (
                "keys_zone=c:4k",
                "keys zone \"keys_zone=c:4k\" is too small",
            ),
            ("max_size=1t", "invalid max_size value \"max_size=1t\""),
            ("inactive=1x", "invalid inactive value \"inactive=1x\""),
            (
                "use_temp_path=no",
                "invalid use_temp_path value \"use_temp_path=no\", it must be \"on\" or \"off\"",
            ),
            (
                "loader_sleep=x",
                "invalid loader_sleep value \"loader_sleep=x\"",
            ),
            (
                "manager_files=-1",
                "invalid manager_files value \"manager_files=-1\"",
            ),
            ("max_zize=1g", "invalid parameter \"max_zize=1g\""),
        ] {
            assert_eq!(
                run("proxy_cache_path", &["/c", "keys_zone=c:10m", bad]).as_deref(),
                Some(msg)
            );
        }
        assert_eq!(
            run("proxy_cache_path", &["/c", "levels=1:2"]).as_deref(),
            Some("\"proxy_cache_path\" must have \"keys_zone\" parameter")
        );
    }

    #[test]
    fn handler_checks_in_nginx_words() {
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("proxy_cache_valid", &["200", "302", "10m"], None),
            ("proxy_cache_valid", &["any", "1m"], None),
            (
                "proxy_cache_valid",
                &["200", "10mins"],
                Some("invalid time value \"10mins\""),
            ),
            (
                "proxy_cache_valid",
                &["10m", "200"],
                Some("invalid status \"10m\""),
            ),
            (
                "proxy_cache_valid",
                &["600", "10m"],
                Some("invalid status \"600\""),
            ),
            ("limit_req_zone", &["$a", "zone=a:10m", "rate=10r/s"], None),
            (
                "limit_req_zone",
                &["$a", "zone=a:10m", "rate=10r/h"],
                Some("invalid rate \"rate=10r/h\""),
            ),
            (
                "limit_req_zone",
                &["$a", "zone=a:16k", "rate=1r/s"],
                Some("zone \"zone=a:16k\" is too small"),
            ),
            (
                "limit_req_zone",
                &["$a", "rate=1r/s"],
                Some("\"limit_req_zone\" must have \"zone\" parameter"),
            ),
            (
                "limit_conn_zone",
                &["$a", "zone=a:10mb"],
                Some("invalid zone size \"zone=a:10mb\""),
            ),
            ("limit_req", &["zone=a", "burst=5", "nodelay"], None),
            (
                "limit_req",
                &["zone=a", "burst=0"],
                Some("invalid burst value \"burst=0\""),
            ),
            (
                "limit_req",
                &["zone=a", "nodelays"],
                Some("invalid parameter \"nodelays\""),
            ),
            (
                "limit_conn",
                &["a", "0"],
                Some("invalid number of connections \"0\""),
            ),
            (
                "limit_conn",
                &["a", "65536"],
                Some("connection limit must be less 65536"),
            ),
            ("error_page", &["404", "=200", "/x"], None),
            ("error_page", &["404", "=", "@x"], None),
            (
                "error_page",
                &["200", "/x"],
                Some("value \"200\" must be between 300 and 599"),
            ),
            ("error_page", &["499", "/x"], Some("invalid value \"499\"")),
            (
                "error_page",
                &["=404", "/x"],
                Some("invalid value \"=404\""),
            ),
            (
                "error_page",
                &["404", "=a", "/x"],
                Some("invalid value \"=a\""),
            ),
            ("return", &["https://a"], None),
            ("return", &["404"], None),
            ("return", &["$c"], Some("invalid return code \"$c\"")),
            ("return", &["1000"], Some("invalid return code \"1000\"")),
            (
                "return",
                &["https://a", "x"],
                Some("invalid return code \"https://a\""),
            ),
            ("rewrite", &["^/a$", "/b", "last"], None),
            (
                "rewrite",
                &["^/a$", "/b", "permament"],
                Some("invalid parameter \"permament\""),
            ),
            ("rewrite", &["^/a(", "/b", "x"], None),
            ("try_files", &["$uri", "=404"], None),
            (
                "try_files",
                &["$uri", "=40x"],
                Some("invalid code \"=40x\""),
            ),
            ("add_header", &["X", "y", "always"], None),
            (
                "add_header",
                &["X", "y", "z"],
                Some("invalid parameter \"z\""),
            ),
            (
                "access_log",
                &[
                    "/l",
                    "combined",
                    "buffer=32k",
                    "flush=5s",
                    "gzip=5",
                    "if=$x",
                ],
                None,
            ),
            (
                "access_log",
                &["/l", "combined", "buffer=32kb"],
                Some("invalid buffer size \"32kb\""),
            ),
            (
                "access_log",
                &["/l", "combined", "gzip=10"],
                Some("invalid compression level \"10\""),
            ),
            (
                "access_log",
                &["off", "combined"],
                Some("invalid parameter \"combined\""),
            ),
            ("open_file_cache", &["max=100", "inactive=20s"], None),
            ("open_file_cache", &["off"], None),
            (
                "open_file_cache",
                &["inactive=20s"],
                Some("\"open_file_cache\" must have the \"max\" parameter"),
            ),
            (
                "open_file_cache",
                &["max=100", "valid=1m"],
                Some("invalid \"open_file_cache\" parameter \"valid=1m\""),
            ),
            ("allow", &["10.0.0.0/8"], None),
            ("allow", &["010.0.0.1"], None),
            ("allow", &["::1"], None),
            ("allow", &["2001:db8::/32"], None),
            (
                "deny",
                &["localhost"],
                Some("invalid parameter \"localhost\""),
            ),
            (
                "deny",
                &["10.0.0.0/33"],
                Some("invalid parameter \"10.0.0.0/33\""),
            ),
            (
                "deny",
                &["300.0.0.1"],
                Some("invalid parameter \"300.0.0.1\""),
            ),
            (
                "server",
                &[
                    "a:80",
                    "weight=2",
                    "max_fails=3",
                    "fail_timeout=30s",
                    "backup",
                ],
                None,
            ),
            (
                "server",
                &["a:80", "weight=0"],
                Some("invalid parameter \"weight=0\""),
            ),
            (
                "server",
                &["a:80", "fail_timeout=3x"],
                Some("invalid parameter \"fail_timeout=3x\""),
            ),
            (
                "server",
                &["a:80", "slow_start=10s"],
                Some("invalid parameter \"slow_start=10s\""),
            ),
            ("server", &["a:80", "resolve"], None),
            ("server", &["a:80", "backup"], None),
            ("server", &["a:80", "route="], Some("route is empty")),
            (
                "server",
                &["a:80", "route=0123456789abcdef0123456789abcdef0"],
                Some("route is longer than 32"),
            ),
            ("server", &["a:80", "route=a", "drain"], None),
            ("map", &["$a", "b"], Some("invalid variable name \"b\"")),
            ("geo", &["$a", "$b"], None),
            ("geo", &["a"], Some("invalid variable name \"a\"")),
            ("set", &["a", "1"], Some("invalid variable name \"a\"")),
            (
                "location",
                &["~~", "/a"],
                Some("invalid location modifier \"~~\""),
            ),
            ("location", &["~*", "/a"], None),
            ("limit_except", &["GET", "post"], None),
            (
                "limit_except",
                &["GET", "ALL"],
                Some("invalid method \"ALL\""),
            ),
            (
                "proxy_pass",
                &["127.0.0.1:8000"],
                Some("invalid URL prefix"),
            ),
            ("proxy_pass", &["HTTPS://b"], None),
            ("proxy_pass", &["$scheme://b"], None),
            ("proxy_redirect", &["default"], None),
            (
                "proxy_cookie_path",
                &["default"],
                Some("invalid parameter \"default\""),
            ),
            ("proxy_store", &[""], Some("empty path")),
            ("fastcgi_param", &["A", "b", "if_not_empty"], None),
            ("proxy_bind", &["off"], None),
            ("proxy_bind", &["127.0.0.1"], None),
            ("proxy_bind", &["[::1]:8080"], None),
            ("proxy_bind", &["::1"], None),
            ("proxy_bind", &["$addr", "transparent"], None),
            (
                "proxy_bind",
                &["localhost"],
                Some("invalid address \"localhost\""),
            ),
            (
                "proxy_bind",
                &["10.0.0.1:0"],
                Some("invalid address \"10.0.0.1:0\""),
            ),
            (
                "proxy_bind",
                &["off", "transparent"],
                Some("invalid address \"off\""),
            ),
            ("keepalive", &["0", "local"], None),
            (
                "keepalive",
                &["16", "locale"],
                Some("invalid parameter \"locale\""),
            ),
            (
                "hash",
                &["$uri", "consistant"],
                Some("invalid parameter \"consistant\""),
            ),
            ("random", &["two", "least_conn"], None),
            ("random", &["three"], Some("invalid parameter \"three\"")),
            ("zone", &["z", "16k"], Some("zone \"z\" is too small")),
            ("zone", &["z", "1x"], Some("invalid zone size \"1x\"")),
            (
                "index",
                &["a", ""],
                Some("index \"\" in \"index\" directive is invalid"),
            ),
            (
                "disable_symlinks",
                &["on", "form=x"],
                Some("invalid parameter \"form=x\""),
            ),
            ("fastcgi_split_path_info", &["^(.+\\.php)(/.+)$"], None),
            (
                "fastcgi_split_path_info",
                &["^(.+\\.php)$"],
                Some("pattern \"^(.+\\.php)$\" must have 2 captures"),
            ),
            (
                "valid_referers",
                &["none", "blocked", "~\\.example\\.", "*.example.com"],
                None,
            ),
            (
                "valid_referers",
                &["none", "~"],
                Some("empty regex in \"~\""),
            ),
            (
                "valid_referers",
                &["none", "www.*.com/x"],
                Some("invalid hostname or wildcard \"www.*.com\""),
            ),
            (
                "valid_referers",
                &["none", ""],
                Some("invalid referer \"\""),
            ),
            ("http2_body_preread_size", &["64k"], None),
            (
                "http2_body_preread_size",
                &["3000m"],
                Some("the maximum body preread buffer size is 2147483647"),
            ),
            (
                "gzip_disable",
                &["msie6", "degradation", "MSIE [4-6]\\."],
                None,
            ),
            (
                "gzip_disable",
                &["msie6", "MSIE [4-6"],
                Some(
                    "pcre2_compile() failed: missing terminating ] for character class in \"MSIE [4-6\"",
                ),
            ),
            ("log_format", &["x", "escape=json", "$status"], None),
            ("log_format", &["x", "escape=none", "$status"], None),
            ("log_format", &["x", "$status", "escape=xml"], None),
            (
                "log_format",
                &["x", "escape=JSON", "$status"],
                Some("unknown log format escaping \"JSON\""),
            ),
            (
                "log_format",
                &["x", "escape=", "$status"],
                Some("unknown log format escaping \"\""),
            ),
            (
                "log_format",
                &[
                    "x",
                    "escape=json",
                    "${status}x",
                    "$a-$b_c",
                    "$$x",
                    "{$host}",
                ],
                Some("invalid parameter \"$$x\""),
            ),
            (
                "log_format",
                &["x", "${status}x $a-$b_c {$host} 100%"],
                None,
            ),
            (
                "log_format",
                &["x", "$status $"],
                Some("invalid parameter \"$\""),
            ),
            (
                "log_format",
                &["x", "${}", "$status"],
                Some("invalid parameter \"${}\""),
            ),
            (
                "log_format",
                &["x", "${remote_addr $status"],
                Some("the closing bracket in \"remote_addr\" variable is missing"),
            ),
            (
                "log_format",
                &["x", "${status"],
                Some("the closing bracket in \"status\" variable is missing"),
            ),
            ("http2_chunk_size", &["8k"], None),
            ("http2_chunk_size", &["x"], None),
            (
                "http2_chunk_size",
                &["0k"],
                Some("the http2 chunk size cannot be zero"),
            ),
            ("modern_browser", &["MSIE", "6.0.1"], None),
            ("modern_browser", &["safari", "1..2"], None),
            ("modern_browser", &["unlisted"], None),
            (
                "modern_browser",
                &["chrome", "1.0"],
                Some("unknown browser name \"chrome\""),
            ),
            (
                "modern_browser",
                &["gecko", "1.0.x"],
                Some("invalid browser version \"1.0.x\""),
            ),
            ("least_time", &["header", "inflight"], None),
            (
                "least_time",
                &["header", "inflite"],
                Some("invalid parameter \"inflite\""),
            ),
            ("request_pool_size", &["4k"], None),
            (
                "request_pool_size",
                &["64"],
                Some("the pool size must be no less than 112"),
            ),
        ];
        for (name, args, want) in cases {
            assert_eq!(run(name, args).as_deref(), *want, "{name} {args:?}");
        }
    }

    #[test]
    fn geo_ranges_overlap_as_ngx_http_geo_add_range_sees_them() {
        let add_all = |nets: &[&str]| {
            let mut t = GeoRanges::default();
            nets.iter().find_map(|n| {
                let (a, b) = geo_range_bounds(n.as_bytes()).unwrap();
                t.add(n, a, b)
            })
        };
        // Inside, from one end, to the other end, a duplicate, after, before, across /16s.
        assert_eq!(
            add_all(&[
                "10.0.0.0-10.0.255.255",
                "10.0.1.0-10.0.1.255",
                "10.0.0.0-10.0.0.127",
                "10.0.255.0-10.0.255.255",
                "10.0.255.0-10.0.255.255",
                "10.1.0.0-10.3.255.255",
                "9.0.0.0-9.0.0.1",
                "255.255.255.0-255.255.255.254",
            ]),
            None
        );
        assert_eq!(
            add_all(&["10.0.0.0-10.0.0.255", "10.0.0.128-10.0.1.255"]).as_deref(),
            Some("range \"10.0.0.128-10.0.1.255\" overlaps \"10.0.0.0-10.0.0.255\"")
        );
        // Across a /16 boundary: the second block is checked too.
        assert_eq!(
            add_all(&["10.1.0.5-10.1.0.9", "10.0.255.0-10.1.0.6"]).as_deref(),
            Some("range \"10.0.255.0-10.1.0.6\" overlaps \"10.1.0.5-10.1.0.9\"")
        );
        assert_eq!(geo_range_bounds(b"10.0.0.2-10.0.0.1"), None);
        assert_eq!(geo_range_bounds(b"0.0.0.0-255.255.255.255"), None); // INADDR_NONE
    }

    #[test]
    fn charset_map_entries_as_ngx_http_charset_map_reads_them() {
        let e = |k: &str, v: &[&str], utf8: bool| {
            let v: Vec<&[u8]> = v.iter().map(|v| v.as_bytes()).collect();
            charset_map_entry_error(k.as_bytes(), &v, utf8)
        };
        assert_eq!(e("C0", &["E1"], false), None);
        assert_eq!(e("c0", &["D0B0"], true), None);
        assert_eq!(e("A4", &["E282AC"], true), None);
        assert_eq!(
            e("41", &["41"], true).as_deref(),
            Some("invalid value \"41\"")
        );
        assert_eq!(e("C1", &["D0B0FF"], true), None);
        assert_eq!(
            e("C1", &["E08080"], true).as_deref(),
            Some("invalid value \"E08080\"")
        );
        assert_eq!(e("C1", &["D0C0"], true), None);
        assert_eq!(
            e("C1", &["C180"], true).as_deref(),
            Some("invalid value \"C180\"")
        );
        assert_eq!(
            e("C0", &[], false).as_deref(),
            Some("invalid parameters number")
        );
        assert_eq!(
            e("100", &["E1"], false).as_deref(),
            Some("invalid value \"100\"")
        );
        assert_eq!(
            e("G0", &["E1"], false).as_deref(),
            Some("invalid value \"G0\"")
        );
        assert_eq!(
            e("C0", &["1E1"], false).as_deref(),
            Some("invalid value \"1E1\"")
        );
        assert_eq!(
            e("C0", &["D0B"], true).as_deref(),
            Some("invalid value \"D0B\"")
        );
        assert_eq!(
            e("C0", &["D0"], true).as_deref(),
            Some("invalid value \"D0\"")
        );
        assert_eq!(
            e("C0", &["F09F9880"], true).as_deref(),
            Some("invalid value \"F09F9880\"")
        );
        assert_eq!(
            e("C0", &["C041"], true).as_deref(),
            Some("invalid value \"C041\"")
        );
    }

    #[test]
    fn wildcards_as_ngx_hash_add_key_takes_them() {
        for ok in [
            "*.example.com",
            ".example.com",
            "www.example.*",
            "example.com",
            ".",
        ] {
            assert!(!wildcard_refused(ok.as_bytes()), "{ok}");
        }
        for bad in ["*", "www.*.com", "*.example.*", "a..b", "*example.com"] {
            assert!(wildcard_refused(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn geo_ranges_as_nginx_reads_them() {
        assert_eq!(geo_range_error(b"10.0.0.1-10.0.0.255", b"1"), None);
        assert_eq!(geo_range_error(b"default", b"0"), None);
        assert_eq!(geo_range_error(b"delete", b"10.0.0.5-10.0.0.6"), None);
        assert_eq!(
            geo_range_error(b"10.0.0.0/24", b"1").as_deref(),
            Some("invalid range \"10.0.0.0/24\"")
        );
        assert_eq!(
            geo_range_error(b"10.0.0.9-10.0.0.1", b"1").as_deref(),
            Some("invalid range \"10.0.0.9-10.0.0.1\"")
        );
    }

    #[test]
    fn dynamic_modules_as_nginx_reads_them() {
        // Each verdict checked with nginx 1.22.1 and Debian's libnginx-mod-http-image-filter,
        // libnginx-mod-http-geoip (degradation: nginx 1.31.5 built with it).
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("image_filter", &["off"], None),
            ("image_filter", &["size"], None),
            ("image_filter", &["Off"], Some("invalid parameter \"Off\"")),
            ("image_filter", &["rotate", "90"], None),
            ("image_filter", &["rotate", "$angle"], None),
            (
                "image_filter",
                &["rotate", "45"],
                Some("invalid parameter \"45\""),
            ),
            (
                "image_filter",
                &["rotate", "-"],
                Some("invalid parameter \"-\""),
            ),
            (
                "image_filter",
                &["flip", "90"],
                Some("invalid parameter \"flip\""),
            ),
            ("image_filter", &["resize", "10", "-"], None),
            ("image_filter", &["resize", "10", "010"], None),
            ("image_filter", &["crop", "$w", "$h"], None),
            (
                "image_filter",
                &["resize", "-", "0"],
                Some("invalid parameter \"0\""),
            ),
            (
                "image_filter",
                &["resize", "0", "x"],
                Some("invalid parameter \"0\""),
            ),
            (
                "image_filter",
                &["resize", "$w", "x"],
                Some("invalid parameter \"x\""),
            ),
            (
                "image_filter",
                &["scale", "10", "10"],
                Some("invalid parameter \"scale\""),
            ),
            (
                "image_filter",
                &["resize", "99999999999999999999", "1"],
                Some("invalid parameter \"99999999999999999999\""),
            ),
            ("image_filter_jpeg_quality", &["101"], None),
            ("image_filter_jpeg_quality", &["$q"], None),
            (
                "image_filter_jpeg_quality",
                &["0"],
                Some("invalid value \"0\""),
            ),
            (
                "image_filter_jpeg_quality",
                &["75x"],
                Some("invalid value \"75x\""),
            ),
            (
                "image_filter_webp_quality",
                &["-1"],
                Some("invalid value \"-1\""),
            ),
            (
                "image_filter_webp_quality",
                &["-"],
                Some("invalid value \"-\""),
            ),
            ("image_filter_sharpen", &["abc"], None),
            ("image_filter_sharpen", &["-5"], None),
            ("image_filter_sharpen", &["-"], Some("invalid value \"-\"")),
            ("geoip_country", &["/g/GeoIP.dat"], None),
            ("geoip_country", &["/g/GeoIP.dat", "utf8"], None),
            (
                "geoip_country",
                &["/g/GeoIP.dat", "UTF8"],
                Some("invalid parameter \"UTF8\""),
            ),
            (
                "geoip_org",
                &["/g/GeoIP.dat", "latin1"],
                Some("invalid parameter \"latin1\""),
            ),
            (
                "geoip_city",
                &["/g/GeoIP.dat", "utf-8"],
                Some("invalid parameter \"utf-8\""),
            ),
            ("geoip_proxy", &["10.0.0.0/8"], None),
            ("geoip_proxy", &["10.0.0.1/8"], None),
            ("geoip_proxy", &["::1/128"], None),
            ("geoip_proxy", &["255.255.255.255"], None),
            ("geoip_proxy", &["all"], Some("invalid network \"all\"")),
            ("geoip_proxy", &["unix:"], Some("invalid network \"unix:\"")),
            (
                "geoip_proxy",
                &["10.0.0.1/33"],
                Some("invalid network \"10.0.0.1/33\""),
            ),
            ("geoip_proxy", &["1.2.3"], Some("invalid network \"1.2.3\"")),
            (
                "geoip_proxy",
                &["fe80::zz"],
                Some("invalid network \"fe80::zz\""),
            ),
            ("degradation", &["sbrk=500m"], None),
            ("degradation", &["sbrk=0"], None),
            (
                "degradation",
                &["sbrk=1g"],
                Some("invalid sbrk size \"sbrk=1g\""),
            ),
            (
                "degradation",
                &["sbrk="],
                Some("invalid sbrk size \"sbrk=\""),
            ),
            (
                "degradation",
                &["SBRK=1m"],
                Some("invalid parameter \"SBRK=1m\""),
            ),
            ("degradation", &["500m"], Some("invalid parameter \"500m\"")),
        ];
        for (name, args, want) in cases {
            assert_eq!(run(name, args).as_deref(), *want, "{name} {args:?}");
        }
    }

    #[test]
    fn server_parameters_by_version() {
        let env = Env {
            name: "server",
            version: Version(1, 22, 1),
            balancer_before: None,
            known_format: &|_| true,
        };
        let args: Vec<&[u8]> = vec![b"a:80", b"resolve"];
        assert_eq!(
            upstream_server(&args, &env).map(|b| b.message).as_deref(),
            Some("invalid parameter \"resolve\"")
        );
    }
}
