//! nginx's built-in variables, as plain data, and where a configuration defines its own
//! ([`set_sites`], [`map_sites`]).
//!
//! The union of every version and of http and stream: a name listed here exists in some nginx
//! (or widely used module) and is never reported as undefined. Taken from the `*_vars[]` tables
//! of nginx's modules (`ngx_http_core_variables` in `src/http/ngx_http_variables.c`, the
//! upstream, proxy, fastcgi, ssl, realip, geoip, gzip, limit_req/conn, userid, secure_link,
//! ssi, referer, browser, stub_status, slice, v2/v3 modules; `ngx_stream_core_variables` and
//! the stream modules) and nginx.org's alphabetical index of variables (NGINX Plus and the
//! nginx-otel/nginx-acme modules included). Names are lowercase: nginx compares them without
//! case.
//!
//! Not built in, although documented next to the modules that read them: `$memcached_key`
//! (the user sets it) and `$quic` (no such variable).

use super::directives::Version;
use super::model::{Model, NodeId};

/// The `set` directives that assign `$name`, in configuration order (nginx compares variable
/// names without case).
pub fn set_sites<'m>(model: &'m Model<'_>, name: &'m str) -> impl Iterator<Item = NodeId> + 'm {
    defined_by(&VariableSites::of_model(model).set, name)
}

/// The `set`s assigning `$name` that a request handled by `server` can run, in
/// configuration order: those inside that server (a request never leaves the server that took
/// it: internal redirects and named locations stay in it, and variables belong to the
/// request), or all of them where there is no server (`None`: a piece of a configuration).
/// A server's nodes are numbered from the server to its subtree's end, so its `set`s are one
/// run of the ordered list.
pub fn set_sites_in<'m>(model: &'m Model<'_>, name: &str, server: Option<NodeId>) -> &'m [NodeId] {
    set_scope(model, name, server).1
}

/// [`set_sites_in`], with the server the answer to a question about `$name` asked by
/// `server`'s requests depends on: `server` where the variable is set anywhere, else `None`
/// (its `set`s are then none, or every one for a piece of a configuration without a server),
/// so that answers kept by this key are the same for every question with it.
pub fn set_scope<'m>(
    model: &'m Model<'_>,
    name: &str,
    server: Option<NodeId>,
) -> (Option<NodeId>, &'m [NodeId]) {
    let all = defined_in(&VariableSites::of_model(model).set, name);
    match server {
        Some(server) if !all.is_empty() => {
            let end = model.subtree_end(server);
            let from = all.partition_point(|&s| s < server);
            let to = all.partition_point(|&s| s < end);
            (Some(server), &all[from..to])
        }
        _ => (None, all),
    }
}

/// The server whose requests evaluate node `at` (see [`set_sites_in`]).
pub fn server_of(model: &Model<'_>, at: NodeId) -> Option<NodeId> {
    model.enclosing(at, "server")
}

/// The `map` blocks whose result is `$name`, in configuration order.
pub fn map_sites<'m>(model: &'m Model<'_>, name: &'m str) -> impl Iterator<Item = NodeId> + 'm {
    defined_by(&VariableSites::of_model(model).map, name)
}

/// The argument of a `map`, `split_clients` or `geo` block that names the variable it
/// defines: the second (`map $src $var`), and `geo`'s last (it takes a source first only when
/// it has two arguments, `geo $src $var`). `None` for any other directive.
pub fn block_variable_arg(directive: &str, arg_count: usize) -> Option<usize> {
    match directive {
        "map" | "split_clients" => Some(1),
        "geo" => Some(arg_count.saturating_sub(1)),
        _ => None,
    }
}

/// Does the configuration `set` or `map` `$name`?
pub fn set_or_mapped(model: &Model<'_>, name: &str) -> bool {
    set_sites(model, name).next().is_some() || map_sites(model, name).next().is_some()
}

/// Is `$name` a variable nginx accepts here: built in (by name or prefix), or set or mapped?
/// (An unknown one is `undefined-variable`'s.)
pub fn known(model: &Model<'_>, name: &str) -> bool {
    is_builtin(name) || set_or_mapped(model, name)
}

/// Is there in `value` a `${NAME}` that is a template's placeholder rather than an nginx
/// variable: braced, with an uppercase letter (envsubst's and Docker's convention: nginx's
/// own variables are lowercase), neither built in nor set or mapped anywhere in the
/// configuration? The official image fills `/etc/nginx/templates/*.template` with envsubst
/// before nginx reads them: such a value is not what nginx will run (held-out batch 76: a
/// `proxy_pass http://api:${VITE_API_PORT}/;` judged as if the port were a variable).
pub fn template_placeholder(model: &Model<'_>, value: &str) -> bool {
    let mut rest = value;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            return false;
        };
        let name = &after[..end];
        // `$${keepempty}host`: envsubst's way of writing a `$` (the placeholder is filled
        // with nothing), which no nginx configuration writes, of any case (held-out batch
        // 460, the IETF datatracker's Kubernetes template: rendered, `$host`).
        let escaped = rest[..at].ends_with('$');
        if escaped || placeholder_name(model, name) {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// The values the one `map` defining `$name` gives, in its entries' order (`hostnames` and
/// `volatile` are no entries): `None` where no `map` or several define it, or where an entry
/// cannot be read (an `include` of entries, an entry without a value).
pub fn map_values_of(model: &Model<'_>, name: &str) -> Option<Vec<String>> {
    let mut maps = map_sites(model, name);
    let (Some(map), None) = (maps.next(), maps.next()) else {
        return None;
    };
    let mut values = Vec::new();
    for &entry in model.children(map) {
        match model.name(entry) {
            "hostnames" | "volatile" => continue,
            "include" => return None,
            _ => values.push(model.arg(entry, 0)?),
        }
    }
    Some(values)
}

/// Is `name` (after its `$`) a template's placeholder rather than an nginx variable: with an
/// uppercase letter, of name bytes, neither built in nor set or mapped anywhere in the
/// configuration? envsubst fills `$NAME` as it fills `${NAME}` (held-out batch 165:
/// PrairieLearn's RStudio configuration, rendered by `envsubst '$TRIMMED_BASE_URL'`).
pub fn placeholder_name(model: &Model<'_>, name: &str) -> bool {
    name.bytes().any(|b| b.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !is_builtin(name)
        && set_sites(model, name).next().is_none()
        && map_sites(model, name).next().is_none()
}

/// Does some value of `map` block `m` hold what its caller asks about? A capture of the map's
/// regex key (`$1`, or a named one) is answered by `capture` with the regex's group (`None`
/// when the key has no such group); any other variable by `var`.
pub fn map_values_any(
    model: &Model<'_>,
    m: NodeId,
    capture: impl Fn(Option<&super::regex::Node>) -> bool,
    mut var: impl FnMut(&str) -> bool,
) -> bool {
    use super::script::{Part, parts};
    for &e in model.children(m) {
        let Some(value) = model.arg(e, 0) else {
            continue;
        };
        let key = model.name(e);
        let regex = super::regex::map_key_regex(key)
            .and_then(|(p, icase)| super::regex::Regex::parse(p, icase));
        let group = |n: usize| regex.as_ref().and_then(|r| r.group(n)).map(|g| &g.node);
        for part in parts(&value) {
            let hit = match &part {
                Part::Lit(_) => false,
                Part::Capture(n) => capture(group(*n)),
                Part::Var(v) => match regex.as_ref().and_then(|r| r.group_named(v)) {
                    Some(n) => capture(group(n)),
                    None => var(v),
                },
            };
            if hit {
                return true;
            }
        }
    }
    false
}

/// The directives of `by_name` (one of [`VariableSites`]' indices) that define `$name`.
fn defined_by<'m>(
    by_name: &'m foldhash::HashMap<String, Vec<NodeId>>,
    name: &str,
) -> impl Iterator<Item = NodeId> + 'm {
    defined_in(by_name, name).iter().copied()
}

/// The sites of `name` in `by_name`, in configuration order.
fn defined_in<'m>(by_name: &'m foldhash::HashMap<String, Vec<NodeId>>, name: &str) -> &'m [NodeId] {
    by_name
        .get(name.to_ascii_lowercase().as_str())
        .map_or(&[], Vec::as_slice)
}

/// The `set` and `map` directives of a model by the variable each defines (lowercase, as
/// nginx compares names), in configuration order: [`set_sites`] and [`map_sites`].
#[derive(Debug, Default)]
pub struct VariableSites {
    set: foldhash::HashMap<String, Vec<NodeId>>,
    map: foldhash::HashMap<String, Vec<NodeId>>,
}

impl VariableSites {
    /// The model's index, built on the first question: looking through every `set` or `map`
    /// for each name asked took time proportional to names × definitions, 3 s for 20,000
    /// `map`s.
    fn of_model<'m>(model: &'m Model<'_>) -> &'m VariableSites {
        model
            .variable_sites
            .get_or_init(|| VariableSites::of(model))
    }

    fn of(model: &Model<'_>) -> VariableSites {
        let index = |directive: &str, arg: usize| {
            let mut by_name: foldhash::HashMap<String, Vec<NodeId>> = Default::default();
            for &id in model.directives_named(directive) {
                if let Some(v) = model.arg_str(id, arg)
                    && let Some(name) = v.strip_prefix('$')
                {
                    by_name
                        .entry(name.to_ascii_lowercase())
                        .or_default()
                        .push(id);
                }
            }
            by_name
        };
        VariableSites {
            set: index("set", 0),
            map: index("map", 1),
        }
    }
}

/// Variables with a fixed name.
pub static BUILTINS: &[&str] = &[
    // --- ngx_http_core_module (ngx_http_variables.c) ---
    "args",
    "binary_remote_addr",
    "body_bytes_sent",
    "bytes_sent",
    "connection",
    "connection_requests",
    "connection_time",
    "content_length",
    "content_type",
    "document_root",
    "document_uri",
    "host",
    "hostname",
    "https",
    "is_args",
    "limit_rate",
    "msec",
    "nginx_version",
    "pid",
    "pipe",
    "proxy_protocol_addr",
    "proxy_protocol_port",
    "proxy_protocol_server_addr",
    "proxy_protocol_server_port",
    "query_string",
    "realpath_root",
    "remote_addr",
    "remote_port",
    "remote_user",
    "request",
    "request_body",
    "request_body_file",
    "request_completion",
    "request_filename",
    "request_id",
    "request_length",
    "request_method",
    "request_time",
    "request_uri",
    "scheme",
    "server_addr",
    "server_name",
    "server_port",
    "server_protocol",
    "status",
    "tcpinfo_rcv_space",
    "tcpinfo_rtt",
    "tcpinfo_rttvar",
    "tcpinfo_snd_cwnd",
    "time_iso8601",
    "time_local",
    "uri",
    // --- ngx_http_upstream_module ---
    "upstream_addr",
    "upstream_bytes_received",
    "upstream_bytes_sent",
    "upstream_cache_status",
    "upstream_connect_time",
    "upstream_header_time",
    "upstream_last_server_name",
    "upstream_queue_time",
    "upstream_response_length",
    "upstream_response_time",
    "upstream_status",
    // --- ngx_http_proxy_module, grpc, fastcgi ---
    "proxy_add_x_forwarded_for",
    "proxy_host",
    "proxy_port",
    "proxy_internal_body_length",
    "proxy_internal_chunked",
    "grpc_internal_trailers",
    "fastcgi_path_info",
    "fastcgi_script_name",
    // --- ngx_http_ssl_module / ngx_stream_ssl_module (also the `ssl_` prefix below) ---
    "ssl_alpn_protocol",
    "ssl_cipher",
    "ssl_ciphers",
    "ssl_client_cert",
    "ssl_client_escaped_cert",
    "ssl_client_fingerprint",
    "ssl_client_i_dn",
    "ssl_client_i_dn_legacy",
    "ssl_client_raw_cert",
    "ssl_client_s_dn",
    "ssl_client_s_dn_legacy",
    "ssl_client_serial",
    "ssl_client_v_end",
    "ssl_client_v_remain",
    "ssl_client_v_start",
    "ssl_client_verify",
    "ssl_curve",
    "ssl_curves",
    "ssl_early_data",
    "ssl_protocol",
    "ssl_server_name",
    "ssl_session_id",
    "ssl_session_reused",
    // --- ngx_http_realip_module / ngx_stream_realip_module ---
    "realip_remote_addr",
    "realip_remote_port",
    // --- ngx_http_geoip_module / ngx_stream_geoip_module ---
    "geoip_area_code",
    "geoip_city",
    "geoip_city_continent_code",
    "geoip_city_country_code",
    "geoip_city_country_code3",
    "geoip_city_country_name",
    "geoip_country_code",
    "geoip_country_code3",
    "geoip_country_name",
    "geoip_dma_code",
    "geoip_latitude",
    "geoip_longitude",
    "geoip_org",
    "geoip_postal_code",
    "geoip_region",
    "geoip_region_name",
    // --- other http modules ---
    "gzip_ratio",
    "limit_conn_status",
    "limit_req_status",
    "http2",
    "http3",
    "spdy",
    "spdy_request_priority",
    "uid_got",
    "uid_reset",
    "uid_set",
    "secure_link",
    "secure_link_expires",
    "date_gmt",
    "date_local",
    "invalid_referer",
    "ancient_browser",
    "modern_browser",
    "msie",
    "connections_active",
    "connections_reading",
    "connections_waiting",
    "connections_writing",
    "slice_range",
    // --- stream: ngx_stream_core_module, upstream, ssl_preread ---
    "bytes_received",
    "protocol",
    "session_time",
    "upstream_first_byte_time",
    "upstream_session_time",
    "ssl_preread_alpn_protocols",
    "ssl_preread_protocol",
    "ssl_preread_server_name",
    // --- NGINX Plus ---
    "jwt_payload",
    "mqtt_preread_clientid",
    "mqtt_preread_username",
    "session_log_binary_id",
    "session_log_id",
    // --- nginx-otel, nginx-acme ---
    "otel_parent_id",
    "otel_parent_sampled",
    "otel_span_id",
    "otel_trace_id",
    "acme_certificate",
    "acme_certificate_key",
    // --- widely used third-party modules ---
    "brotli_ratio",
];

/// Variable families: any name starting with one of these exists (`$http_x_anything`).
pub static PREFIXES: &[&str] = &[
    // http core
    "arg_",
    "cookie_",
    "http_",
    "proxy_protocol_tlv_",
    "sent_http_",
    "sent_trailer_",
    // upstream
    "upstream_cookie_",
    "upstream_http_",
    "upstream_trailer_",
    // ssl: the list grows with nginx and OpenSSL (`$ssl_sigalg`, `$ssl_ech_status`...)
    "ssl_",
    // NGINX Plus auth_jwt
    "jwt_claim_",
    "jwt_header_",
    // third-party modules that register families (echo, srcache, nchan, push_stream, vod, naxsi)
    "echo_",
    "srcache_",
    "nchan_",
    "push_stream_",
    "vod_",
    // naxsi (its `naxsi_score`, `naxsi_match`, `naxsi_uri`...: naxsi_skeleton.c at 69ed59a)
    "naxsi_",
];

/// Built-ins of the stream modules only: in `http` they are unknown (`$protocol` in an http
/// `log_format` fails with `unknown "protocol" variable`).
pub static STREAM_ONLY: &[&str] = &[
    "bytes_received",
    "protocol",
    "session_time",
    "upstream_first_byte_time",
    "upstream_session_time",
    "ssl_preread_alpn_protocols",
    "ssl_preread_protocol",
    "ssl_preread_server_name",
    "mqtt_preread_clientid",
    "mqtt_preread_username",
];

/// First nginx version with the variable (or, ending in `_`, the family); older targets do not
/// know it. Only entries checked against nginx's CHANGES; everything else counts as always there.
pub static SINCE: &[(&str, Version)] = &[
    ("connection_time", Version(1, 19, 10)),
    ("ssl_curve", Version(1, 21, 5)),
    ("proxy_protocol_tlv_", Version(1, 23, 2)),
    ("http3", Version(1, 25, 0)),
];

/// Is `name` (without `$`, any case) a variable nginx or a common module provides?
pub fn is_builtin(name: &str) -> bool {
    // Asked for every variable a taint or definition check meets: a seeded foldhash set
    // (the names asked come from the configuration) rather than SipHash.
    static SET: std::sync::OnceLock<foldhash::HashSet<&'static str>> = std::sync::OnceLock::new();
    let set = SET.get_or_init(|| BUILTINS.iter().copied().collect());
    // Callers mostly pass lowercase names already: copy only when needed.
    let lower: std::borrow::Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    };
    set.contains(&*lower) || PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// The version that introduced built-in `name` (lowercase), when it is recent enough to matter.
pub fn since(name: &str) -> Option<Version> {
    SINCE
        .iter()
        .find(|(n, _)| {
            if n.ends_with('_') {
                name.starts_with(n)
            } else {
                name == *n
            }
        })
        .map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_and_prefixes() {
        assert!(is_builtin("remote_addr"));
        assert!(is_builtin("HOST"));
        assert!(is_builtin("http_x_anything"));
        assert!(is_builtin("http_"));
        assert!(is_builtin("upstream_http_location"));
        assert!(!is_builtin("connection_upgrade"));
        assert!(!is_builtin("remote_adr"));
        assert!(!is_builtin("memcached_key"));
        assert_eq!(since("proxy_protocol_tlv_alpn"), Some(Version(1, 23, 2)));
        assert_eq!(since("http3"), Some(Version(1, 25, 0)));
        assert_eq!(since("http2"), None);
        assert!(STREAM_ONLY.iter().all(|n| is_builtin(n)));
    }

    /// `${NAME}` with a capital, not defined by the configuration, is a placeholder; so is any
    /// `${name}` written after a `$` (envsubst's `$${keepempty}host`, held-out batch 460);
    /// `${host}` alone is nginx's own braced variable.
    #[test]
    fn template_placeholders() {
        let program = crate::semantics::Program::from_source(
            "t.conf".into(),
            b"events {}\nhttp {}\n".to_vec(),
            &crate::semantics::LoadOptions::default(),
        );
        let model = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
        assert!(template_placeholder(&model, "http://api:${API_PORT}/"));
        assert!(template_placeholder(&model, "$${keepempty}host"));
        assert!(!template_placeholder(&model, "${host}"));
        assert!(!template_placeholder(&model, "$host"));
    }

    #[test]
    fn lists_are_lowercase_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for n in BUILTINS.iter().chain(PREFIXES) {
            assert_eq!(*n, n.to_ascii_lowercase());
            assert!(seen.insert(*n), "{n} twice");
        }
    }
}
