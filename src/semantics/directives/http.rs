//! Directives of nginx's HTTP modules, as plain data.
//!
//! Transcribed from the `ngx_command_t` tables of nginx's source (`src/http/*.c`,
//! `src/http/modules/*.c`, `src/http/v2`, `src/http/v3`): release 1.22.1 as the base (every
//! entry below that has no `since` newer than 1.22.1 is in its command tables, with its context
//! bits, arity bits and `set` handler), plus the directives added by later releases up to nginx
//! HEAD (1.31.x), taken from the nginx changelog and the HEAD command tables. Defaults are
//! nginx.org's "Default:" lines (per-version history in [`crate::semantics::versions`]), checked
//! against the modules' `merge_*_conf` functions; `since`/`removed` come from nginx.org's "This
//! directive appeared in version X" notes and the changelog. `|` in a default separates the
//! platform-dependent alternatives nginx.org lists (one memory page, 4k or 8k).
//!
//! Merge: `List` where the module's merge function takes the parent's array only if the level
//! has none (`ngx_conf_merge_ptr_value`, `if (conf->x == NULL)`, `ngx_http_merge_types`);
//! `None` for blocks, upstream members, content handlers (`proxy_pass`...), rewrite-module
//! statements and definitions that live at one level only (`*_zone`, `*_cache_path`,
//! `log_format`, `map`...). `unique` where a second occurrence at the same level is
//! `"x" directive is duplicate` (every `ngx_conf_set_*_slot` but the bitmask/array ones, and the
//! custom handlers that check it).
use super::{DirectiveSpec as D, Value, args::*, ctx::*};

pub static DIRECTIVES: &[D] = &[
    // --- ngx_http_core_module ---
    D::new("variables_hash_max_size", "http_core", HTTP, TAKE1)
        .value(Value::Number)
        .default("1024")
        .unique()
        .since(0, 3, 27),
    D::new("variables_hash_bucket_size", "http_core", HTTP, TAKE1)
        .value(Value::Number)
        .default("64")
        .unique()
        .since(0, 3, 27),
    D::new("server_names_hash_max_size", "http_core", HTTP, TAKE1)
        .value(Value::Number)
        .default("512")
        .unique()
        .since(0, 3, 18),
    D::new("server_names_hash_bucket_size", "http_core", HTTP, TAKE1)
        .value(Value::Number)
        .default("32|64|128")
        .unique()
        .since(0, 3, 18),
    D::new("server", "http_core", HTTP, BLOCK | NOARGS).since(0, 1, 0),
    D::new("connection_pool_size", "http_core", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Size)
        .default("256|512")
        .unique()
        .since(0, 1, 0),
    D::new("request_pool_size", "http_core", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Size)
        .default("4k")
        .unique()
        .since(0, 1, 0),
    D::new("client_header_timeout", "http_core", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 0),
    D::new(
        "client_header_buffer_size",
        "http_core",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Size)
    .default("1k")
    .unique()
    .since(0, 1, 0),
    D::new(
        "large_client_header_buffers",
        "http_core",
        HTTP | HTTP_SRV,
        TAKE2,
    )
    .default("4 8k")
    .unique()
    .since(0, 1, 0),
    D::new("ignore_invalid_headers", "http_core", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 30),
    D::new("merge_slashes", "http_core", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 5, 34),
    D::new("underscores_in_headers", "http_core", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 7, 18),
    D::new("location", "http_core", HTTP_SRV | HTTP_LOC, BLOCK | TAKE12).since(0, 1, 0),
    D::new("listen", "http_core", HTTP_SRV, ONE_MORE)
        .default("*:80 | *:8000")
        .not_inherited()
        .since(0, 3, 3),
    D::new("server_name", "http_core", HTTP_SRV, ONE_MORE)
        .default("\"\"")
        .not_inherited()
        .since(0, 1, 0),
    D::new("types_hash_max_size", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1024")
        .unique()
        .since(0, 3, 16),
    D::new("types_hash_bucket_size", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("64")
        .unique()
        .since(0, 3, 16),
    D::new("types", "http_core", HTTP_ALL, BLOCK | NOARGS)
        .default(TYPES_DEFAULT)
        .since(0, 1, 0),
    D::new("default_type", "http_core", HTTP_ALL, TAKE1)
        .default("text/plain")
        .unique()
        .since(0, 1, 0),
    D::new("root", "http_core", HTTP_ALL | HTTP_LIF, TAKE1)
        .default("html")
        .unique()
        .since(0, 1, 0),
    D::new("alias", "http_core", HTTP_LOC, TAKE1)
        .unique()
        .since(0, 1, 0),
    D::new("limit_except", "http_core", HTTP_LOC, BLOCK | ONE_MORE)
        .unique()
        .since(0, 3, 37),
    D::new("client_max_body_size", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Offset)
        .default("1m")
        .unique()
        .since(0, 1, 0),
    D::new("client_body_buffer_size", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 1, 0),
    D::new("client_body_timeout", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 0),
    D::new("client_body_temp_path", "http_core", HTTP_ALL, TAKE1234)
        .default("client_body_temp")
        .unique()
        .since(0, 1, 14),
    D::new("client_body_in_file_only", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["off", "on", "clean"]))
        .default("off")
        .unique()
        .since(0, 3, 38),
    D::new("client_body_in_single_buffer", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 7, 58),
    D::new("sendfile", "http_core", HTTP_ALL | HTTP_LIF, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("sendfile_max_chunk", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("2m")
        .unique()
        .since(0, 5, 20),
    D::new(
        "subrequest_output_buffer_size",
        "http_core",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Size)
    .default("4k|8k")
    .unique()
    .since(1, 13, 10),
    D::new("aio", "http_core", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 8, 11),
    D::new("aio_write", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 9, 13),
    D::new("read_ahead", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("0")
        .unique()
        .since(0, 8, 18),
    D::new("directio", "http_core", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 7, 7),
    D::new("directio_alignment", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Offset)
        .default("512")
        .unique()
        .since(0, 8, 11),
    D::new("tcp_nopush", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("tcp_nodelay", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 1),
    D::new("send_timeout", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 0),
    D::new("send_lowat", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("0")
        .unique()
        .since(0, 1, 0),
    D::new("postpone_output", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("1460")
        .unique()
        .since(0, 1, 0),
    D::new("limit_rate", "http_core", HTTP_ALL | HTTP_LIF, TAKE1)
        .default("0")
        .unique()
        .since(0, 1, 0),
    D::new("limit_rate_after", "http_core", HTTP_ALL | HTTP_LIF, TAKE1)
        .default("0")
        .unique()
        .since(0, 7, 63),
    D::new("keepalive_time", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("1h")
        .unique()
        .since(1, 19, 10),
    D::new("keepalive_timeout", "http_core", HTTP_ALL, TAKE12)
        .default("75s")
        .unique()
        .since(0, 1, 0),
    D::new("keepalive_requests", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1000")
        .unique()
        .since(0, 6, 38),
    D::new("keepalive_disable", "http_core", HTTP_ALL, TAKE12)
        .value(Value::Bitmask(&["none", "msie6", "safari"]))
        .default("msie6")
        .since(0, 9, 0),
    D::new("satisfy", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["all", "any"]))
        .default("all")
        .unique()
        .since(0, 6, 25),
    D::new("auth_delay", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("0s")
        .unique()
        .since(1, 17, 10),
    // merged (ngx_conf_merge_value): a nested location is internal too.
    D::new("internal", "http_core", HTTP_LOC, NOARGS)
        .unique()
        .since(0, 1, 29),
    D::new("lingering_close", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["off", "on", "always"]))
        .default("on")
        .unique()
        .since(1, 0, 6),
    D::new("lingering_time", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("30s")
        .unique()
        .since(0, 1, 0),
    D::new("lingering_timeout", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(0, 1, 0),
    D::new("reset_timedout_connection", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("absolute_redirect", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 11, 8),
    D::new("server_name_in_redirect", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 6, 25),
    D::new("port_in_redirect", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 35),
    D::new("msie_padding", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 0),
    D::new("msie_refresh", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 3, 61),
    D::new("log_not_found", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 38),
    D::new("log_subrequest", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 7, 18),
    D::new("recursive_error_pages", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 3, 61),
    D::new("server_tokens", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["off", "on", "build"]))
        .default("on")
        .unique()
        .since(0, 5, 34),
    D::new("if_modified_since", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["off", "exact", "before"]))
        .default("exact")
        .unique()
        .since(0, 6, 36),
    D::new("max_ranges", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .unique()
        .since(1, 0, 7),
    D::new("chunked_transfer_encoding", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 7, 66),
    D::new("etag", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 3, 3),
    D::new("error_page", "http_core", HTTP_ALL | HTTP_LIF, TWO_MORE)
        .list()
        .since(0, 1, 0),
    D::new("post_action", "http_core", HTTP_ALL | HTTP_LIF, TAKE1)
        .unique()
        .since(0, 3, 10),
    D::new("error_log", "http_core", HTTP_ALL, ONE_MORE)
        .default("logs/error.log error")
        .list()
        .since(0, 1, 0),
    D::new("open_file_cache", "http_core", HTTP_ALL, TAKE12)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("open_file_cache_valid", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Sec)
        .default("60s")
        .unique()
        .since(0, 6, 23),
    D::new("open_file_cache_min_uses", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 6, 23),
    D::new("open_file_cache_errors", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 6, 10),
    D::new("open_file_cache_events", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 6, 10),
    D::new("resolver", "http_core", HTTP_ALL, ONE_MORE)
        .unique()
        .since(0, 6, 18),
    D::new("resolver_timeout", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("30s")
        .unique()
        .since(0, 6, 18),
    D::new("gzip_vary", "http_gzip", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 5, 34),
    D::new("gzip_http_version", "http_gzip", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["1.0", "1.1"]))
        .default("1.1")
        .unique()
        .since(0, 1, 0),
    D::new("gzip_proxied", "http_gzip", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(GZIP_PROXIED_MASK))
        .default("off")
        .since(0, 1, 0),
    D::new("gzip_disable", "http_gzip", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 6, 23),
    D::new("disable_symlinks", "http_core", HTTP_ALL, TAKE12)
        .default("off")
        .unique()
        .since(1, 1, 15),
    D::new("keepalive_min_timeout", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("0")
        .unique()
        .since(1, 27, 4),
    D::new("early_hints", "http_core", HTTP_ALL, ONE_MORE)
        .list()
        .since(1, 29, 0),
    // --- ngx_http_copy_filter_module ---
    D::new("output_buffers", "http_core", HTTP_ALL, TAKE2)
        .default("2 32k")
        .unique()
        .since(0, 1, 0),
    // --- ngx_http_try_files_module ---
    D::new("try_files", "http_core", HTTP_SRV | HTTP_LOC, TWO_MORE)
        .not_inherited()
        .unique()
        .since(0, 6, 36),
    // --- ngx_http_upstream_module ---
    D::new("upstream", "http_upstream", HTTP, BLOCK | TAKE1).since(0, 3, 47),
    D::new("server", "http_upstream", HTTP_UPS, ONE_MORE)
        .not_inherited()
        .since(0, 3, 47),
    D::new("resolver", "http_upstream", HTTP_UPS, ONE_MORE)
        .not_inherited()
        .unique()
        .since(1, 27, 3),
    D::new("resolver_timeout", "http_upstream", HTTP_UPS, TAKE1)
        .value(Value::Msec)
        .default("30s")
        .not_inherited()
        .unique()
        .since(1, 27, 3),
    // --- ngx_http_upstream_hash_module ---
    D::new("hash", "http_upstream", HTTP_UPS, TAKE12)
        .not_inherited()
        .since(1, 7, 2),
    // --- ngx_http_upstream_ip_hash_module ---
    D::new("ip_hash", "http_upstream", HTTP_UPS, NOARGS)
        .not_inherited()
        .since(0, 5, 0),
    // --- ngx_http_upstream_least_conn_module ---
    D::new("least_conn", "http_upstream", HTTP_UPS, NOARGS)
        .not_inherited()
        .since(1, 2, 2),
    // --- ngx_http_upstream_random_module ---
    D::new("random", "http_upstream", HTTP_UPS, NOARGS | TAKE12)
        .not_inherited()
        .since(1, 15, 1),
    // --- ngx_http_upstream_keepalive_module ---
    D::new("keepalive", "http_upstream", HTTP_UPS, TAKE12)
        .not_inherited()
        .unique()
        .since(1, 1, 4),
    D::new("keepalive_time", "http_upstream", HTTP_UPS, TAKE1)
        .value(Value::Msec)
        .default("1h")
        .not_inherited()
        .unique()
        .since(1, 19, 10),
    D::new("keepalive_timeout", "http_upstream", HTTP_UPS, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .not_inherited()
        .unique()
        .since(1, 15, 3),
    D::new("keepalive_requests", "http_upstream", HTTP_UPS, TAKE1)
        .value(Value::Number)
        .default("1000")
        .not_inherited()
        .unique()
        .since(1, 15, 3),
    // --- ngx_http_upstream_zone_module ---
    D::new("zone", "http_upstream", HTTP_UPS, TAKE12)
        .not_inherited()
        .since(1, 9, 0),
    // --- ngx_http_proxy_module ---
    D::new(
        "proxy_pass",
        "http_proxy",
        HTTP_LOC | HTTP_LIF | HTTP_LMT,
        TAKE1,
    )
    .not_inherited()
    .unique()
    .since(0, 1, 0),
    D::new("proxy_redirect", "http_proxy", HTTP_ALL, TAKE12)
        .default("default")
        .list()
        .since(0, 1, 29),
    D::new("proxy_cookie_domain", "http_proxy", HTTP_ALL, TAKE12)
        .default("off")
        .list()
        .since(1, 1, 15),
    D::new("proxy_cookie_path", "http_proxy", HTTP_ALL, TAKE12)
        .default("off")
        .list()
        .since(1, 1, 15),
    D::new("proxy_cookie_flags", "http_proxy", HTTP_ALL, TAKE1234)
        .default("off")
        .list()
        .since(1, 19, 3),
    D::new("proxy_store", "http_proxy", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 5, 31),
    D::new("proxy_store_access", "http_proxy", HTTP_ALL, TAKE123)
        .default("user:rw")
        .unique()
        .since(0, 5, 31),
    D::new("proxy_buffering", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 3, 12),
    D::new("proxy_request_buffering", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 7, 11),
    D::new("proxy_ignore_client_abort", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 3, 36),
    D::new("proxy_bind", "http_proxy", HTTP_ALL, TAKE12)
        .unique()
        .since(0, 8, 22),
    D::new("proxy_socket_keepalive", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 15, 6),
    D::new("proxy_connect_timeout", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_send_timeout", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_send_lowat", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("0")
        .unique()
        .since(0, 1, 1),
    D::new("proxy_intercept_errors", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 3, 50),
    D::new("proxy_set_header", "http_proxy", HTTP_ALL, TAKE2)
        .default("Host $proxy_host")
        .list()
        .since(0, 1, 29),
    D::new("proxy_headers_hash_max_size", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("512")
        .unique()
        .since(0, 5, 19),
    D::new(
        "proxy_headers_hash_bucket_size",
        "http_proxy",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Number)
    .default("64")
    .unique()
    .since(0, 5, 19),
    D::new("proxy_set_body", "http_proxy", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 3, 10),
    D::new("proxy_method", "http_proxy", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 1, 29),
    D::new("proxy_pass_request_headers", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 29),
    D::new("proxy_pass_request_body", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 29),
    D::new("proxy_buffer_size", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(0, 3, 12),
    D::new("proxy_read_timeout", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_buffers", "http_proxy", HTTP_ALL, TAKE2)
        .default("8 4k|8k")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_busy_buffers_size", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_force_ranges", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 7),
    // a size slot in 1.22.1; takes variables since 1.27.0: not checked as a size.
    D::new("proxy_limit_rate", "http_proxy", HTTP_ALL, TAKE1)
        .default("0")
        .unique()
        .since(1, 7, 7),
    D::new("proxy_cache", "http_proxy", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_cache_key", "http_proxy", HTTP_ALL, TAKE1)
        .default("$scheme$proxy_host$request_uri")
        .unique()
        .since(0, 7, 48),
    D::new("proxy_cache_path", "http_proxy", HTTP, TWO_MORE)
        .not_inherited()
        .since(0, 1, 0),
    D::new("proxy_cache_bypass", "http_proxy", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 46),
    D::new("proxy_no_cache", "http_proxy", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 7, 66),
    D::new("proxy_cache_valid", "http_proxy", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 7, 44),
    D::new("proxy_cache_min_uses", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 7, 44),
    D::new(
        "proxy_cache_max_range_offset",
        "http_proxy",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Offset)
    .unique()
    .since(1, 11, 6),
    D::new("proxy_cache_use_stale", "http_proxy", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(PROXY_NEXT_UPSTREAM_MASKS))
        .default("off")
        .since(0, 7, 44),
    D::new("proxy_cache_methods", "http_proxy", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(&["GET", "HEAD", "POST"]))
        .default("GET HEAD")
        .since(0, 7, 59),
    D::new("proxy_cache_lock", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 1, 12),
    D::new("proxy_cache_lock_timeout", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 1, 12),
    D::new("proxy_cache_lock_age", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 7, 8),
    D::new("proxy_cache_revalidate", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 7),
    D::new("proxy_cache_convert_head", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 9, 7),
    D::new(
        "proxy_cache_background_update",
        "http_proxy",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(1, 11, 10),
    D::new("proxy_temp_path", "http_proxy", HTTP_ALL, TAKE1234)
        .default("proxy_temp")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_max_temp_file_size", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("1024m")
        .unique()
        .since(0, 1, 8),
    D::new("proxy_temp_file_write_size", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 1, 0),
    D::new("proxy_next_upstream", "http_proxy", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(PROXY_NEXT_UPSTREAM_MASKS))
        .default("error timeout")
        .since(0, 1, 0),
    D::new("proxy_next_upstream_tries", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(1, 7, 5),
    D::new("proxy_next_upstream_timeout", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("0")
        .unique()
        .since(1, 7, 5),
    D::new("proxy_pass_header", "http_proxy", HTTP_ALL, TAKE1)
        .list()
        .since(0, 3, 46),
    D::new("proxy_hide_header", "http_proxy", HTTP_ALL, TAKE1)
        .list()
        .since(0, 3, 46),
    D::new("proxy_ignore_headers", "http_proxy", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(UPSTREAM_IGNORE_HEADERS_MASKS))
        .since(0, 7, 54),
    // "2" is accepted since 1.29.4 (1.22.1: `invalid value "2"`).
    D::new("proxy_http_version", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["1.0", "1.1", "2"]))
        .default("1.0")
        .unique()
        .since(1, 1, 4),
    D::new("proxy_ssl_session_reuse", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 7, 11),
    D::new("proxy_ssl_protocols", "http_proxy", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(PROXY_SSL_PROTOCOLS))
        .default("TLSv1.2 TLSv1.3")
        .since(1, 5, 6),
    D::new("proxy_ssl_ciphers", "http_proxy", HTTP_ALL, TAKE1)
        .default("DEFAULT")
        .unique()
        .since(1, 5, 6),
    D::new("proxy_ssl_name", "http_proxy", HTTP_ALL, TAKE1)
        .default("$proxy_host")
        .unique()
        .since(1, 7, 0),
    D::new("proxy_ssl_server_name", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 0),
    D::new("proxy_ssl_verify", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 0),
    D::new("proxy_ssl_verify_depth", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(1, 7, 0),
    D::new(
        "proxy_ssl_trusted_certificate",
        "http_proxy",
        HTTP_ALL,
        TAKE1,
    )
    .unique()
    .since(1, 7, 0),
    D::new("proxy_ssl_crl", "http_proxy", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 0),
    D::new("proxy_ssl_certificate", "http_proxy", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 8),
    D::new("proxy_ssl_certificate_key", "http_proxy", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 8),
    D::new("proxy_ssl_password_file", "http_proxy", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 8),
    D::new("proxy_ssl_conf_command", "http_proxy", HTTP_ALL, TAKE2)
        .list()
        .since(1, 19, 4),
    D::new("proxy_pass_trailers", "http_proxy", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 27, 2),
    D::new(
        "proxy_ssl_certificate_cache",
        "http_proxy",
        HTTP_ALL,
        TAKE123,
    )
    .default("off")
    .unique()
    .since(1, 27, 4),
    // --- ngx_http_fastcgi_module ---
    D::new("fastcgi_pass", "http_fastcgi", HTTP_LOC | HTTP_LIF, TAKE1)
        .not_inherited()
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_index", "http_fastcgi", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_split_path_info", "http_fastcgi", HTTP_ALL, TAKE1).since(0, 7, 31),
    D::new("fastcgi_store", "http_fastcgi", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 5, 31),
    D::new("fastcgi_store_access", "http_fastcgi", HTTP_ALL, TAKE123)
        .default("user:rw")
        .unique()
        .since(0, 5, 31),
    D::new("fastcgi_buffering", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 5, 6),
    D::new("fastcgi_request_buffering", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 7, 11),
    D::new(
        "fastcgi_ignore_client_abort",
        "http_fastcgi",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(0, 3, 36),
    D::new("fastcgi_bind", "http_fastcgi", HTTP_ALL, TAKE12)
        .unique()
        .since(0, 8, 22),
    D::new("fastcgi_socket_keepalive", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 15, 6),
    D::new("fastcgi_connect_timeout", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_send_timeout", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_send_lowat", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("0")
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_buffer_size", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(0, 3, 12),
    D::new(
        "fastcgi_pass_request_headers",
        "http_fastcgi",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("on")
    .unique()
    .since(0, 1, 29),
    D::new("fastcgi_pass_request_body", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 29),
    D::new("fastcgi_intercept_errors", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 3, 50),
    D::new("fastcgi_read_timeout", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_buffers", "http_fastcgi", HTTP_ALL, TAKE2)
        .default("8 4k|8k")
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_busy_buffers_size", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 1, 14),
    D::new("fastcgi_force_ranges", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 7),
    // a size slot in 1.22.1; takes variables since 1.27.0: not checked as a size.
    D::new("fastcgi_limit_rate", "http_fastcgi", HTTP_ALL, TAKE1)
        .default("0")
        .unique()
        .since(1, 7, 7),
    D::new("fastcgi_cache", "http_fastcgi", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 7, 45),
    D::new("fastcgi_cache_key", "http_fastcgi", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 7, 45),
    D::new("fastcgi_cache_path", "http_fastcgi", HTTP, TWO_MORE)
        .not_inherited()
        .since(0, 7, 45),
    D::new("fastcgi_cache_bypass", "http_fastcgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 46),
    D::new("fastcgi_no_cache", "http_fastcgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 7, 66),
    D::new("fastcgi_cache_valid", "http_fastcgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 7, 45),
    D::new("fastcgi_cache_min_uses", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 7, 53),
    D::new(
        "fastcgi_cache_max_range_offset",
        "http_fastcgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Offset)
    .unique()
    .since(1, 11, 6),
    D::new(
        "fastcgi_cache_use_stale",
        "http_fastcgi",
        HTTP_ALL,
        ONE_MORE,
    )
    .value(Value::Bitmask(FASTCGI_NEXT_UPSTREAM_MASKS))
    .default("off")
    .since(0, 7, 45),
    D::new("fastcgi_cache_methods", "http_fastcgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(&["GET", "HEAD", "POST"]))
        .default("GET HEAD")
        .since(0, 7, 59),
    D::new("fastcgi_cache_lock", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 1, 12),
    D::new(
        "fastcgi_cache_lock_timeout",
        "http_fastcgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Msec)
    .default("5s")
    .unique()
    .since(1, 1, 12),
    D::new("fastcgi_cache_lock_age", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 7, 8),
    D::new("fastcgi_cache_revalidate", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 7),
    D::new(
        "fastcgi_cache_background_update",
        "http_fastcgi",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(1, 11, 10),
    D::new("fastcgi_temp_path", "http_fastcgi", HTTP_ALL, TAKE1234)
        .default("fastcgi_temp")
        .unique()
        .since(0, 1, 14),
    D::new(
        "fastcgi_max_temp_file_size",
        "http_fastcgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Size)
    .default("1024m")
    .unique()
    .since(0, 1, 14),
    D::new(
        "fastcgi_temp_file_write_size",
        "http_fastcgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Size)
    .default("8k|16k")
    .unique()
    .since(0, 1, 14),
    D::new("fastcgi_next_upstream", "http_fastcgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(FASTCGI_NEXT_UPSTREAM_MASKS))
        .default("error timeout")
        .since(0, 1, 14),
    D::new(
        "fastcgi_next_upstream_tries",
        "http_fastcgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Number)
    .default("0")
    .unique()
    .since(1, 7, 5),
    D::new(
        "fastcgi_next_upstream_timeout",
        "http_fastcgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Msec)
    .default("0")
    .unique()
    .since(1, 7, 5),
    D::new("fastcgi_param", "http_fastcgi", HTTP_ALL, TAKE23)
        .list()
        .since(0, 1, 29),
    D::new("fastcgi_pass_header", "http_fastcgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 3, 46),
    D::new("fastcgi_hide_header", "http_fastcgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 3, 46),
    D::new("fastcgi_ignore_headers", "http_fastcgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(UPSTREAM_IGNORE_HEADERS_MASKS))
        .since(0, 7, 54),
    D::new("fastcgi_catch_stderr", "http_fastcgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 5, 23),
    D::new("fastcgi_keep_conn", "http_fastcgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 1, 4),
    // --- ngx_http_uwsgi_module ---
    D::new("uwsgi_pass", "http_uwsgi", HTTP_LOC | HTTP_LIF, TAKE1)
        .not_inherited()
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_modifier1", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_modifier2", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_store", "http_uwsgi", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_store_access", "http_uwsgi", HTTP_ALL, TAKE123)
        .default("user:rw")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_buffering", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 0, 9),
    D::new("uwsgi_request_buffering", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 7, 11),
    D::new("uwsgi_ignore_client_abort", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_bind", "http_uwsgi", HTTP_ALL, TAKE12)
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_socket_keepalive", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 15, 6),
    D::new("uwsgi_connect_timeout", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_send_timeout", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_buffer_size", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_pass_request_headers", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_pass_request_body", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_intercept_errors", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_read_timeout", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_buffers", "http_uwsgi", HTTP_ALL, TAKE2)
        .default("8 4k|8k")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_busy_buffers_size", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_force_ranges", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 7),
    // a size slot in 1.22.1; takes variables since 1.27.0: not checked as a size.
    D::new("uwsgi_limit_rate", "http_uwsgi", HTTP_ALL, TAKE1)
        .default("0")
        .unique()
        .since(1, 7, 7),
    D::new("uwsgi_cache", "http_uwsgi", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_cache_key", "http_uwsgi", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_cache_path", "http_uwsgi", HTTP, TWO_MORE)
        .not_inherited()
        .since(0, 8, 40),
    D::new("uwsgi_cache_bypass", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 46),
    D::new("uwsgi_no_cache", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 40),
    D::new("uwsgi_cache_valid", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 40),
    D::new("uwsgi_cache_min_uses", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 8, 40),
    D::new(
        "uwsgi_cache_max_range_offset",
        "http_uwsgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Offset)
    .unique()
    .since(1, 11, 6),
    D::new("uwsgi_cache_use_stale", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(FASTCGI_NEXT_UPSTREAM_MASKS))
        .default("off")
        .since(0, 8, 40),
    D::new("uwsgi_cache_methods", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(&["GET", "HEAD", "POST"]))
        .default("GET HEAD")
        .since(0, 8, 40),
    D::new("uwsgi_cache_lock", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 1, 12),
    D::new("uwsgi_cache_lock_timeout", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 1, 12),
    D::new("uwsgi_cache_lock_age", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 7, 8),
    D::new("uwsgi_cache_revalidate", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 7),
    // TAKE1, not FLAG, in nginx source (ngx_conf_set_flag_slot all the same).
    D::new(
        "uwsgi_cache_background_update",
        "http_uwsgi",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(1, 11, 10),
    D::new("uwsgi_temp_path", "http_uwsgi", HTTP_ALL, TAKE1234)
        .default("uwsgi_temp")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_max_temp_file_size", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("1024m")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_temp_file_write_size", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_next_upstream", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(FASTCGI_NEXT_UPSTREAM_MASKS))
        .default("error timeout")
        .since(0, 8, 40),
    D::new("uwsgi_next_upstream_tries", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(1, 7, 5),
    D::new("uwsgi_next_upstream_timeout", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("0")
        .unique()
        .since(1, 7, 5),
    D::new("uwsgi_param", "http_uwsgi", HTTP_ALL, TAKE23)
        .list()
        .since(0, 8, 40),
    D::new("uwsgi_string", "http_uwsgi", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 8, 40),
    D::new("uwsgi_pass_header", "http_uwsgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 8, 40),
    D::new("uwsgi_hide_header", "http_uwsgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 8, 40),
    D::new("uwsgi_ignore_headers", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(UPSTREAM_IGNORE_HEADERS_MASKS))
        .since(0, 8, 40),
    D::new("uwsgi_ssl_session_reuse", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 5, 8),
    D::new("uwsgi_ssl_protocols", "http_uwsgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(PROXY_SSL_PROTOCOLS))
        .default("TLSv1.2 TLSv1.3")
        .since(1, 5, 8),
    D::new("uwsgi_ssl_ciphers", "http_uwsgi", HTTP_ALL, TAKE1)
        .default("DEFAULT")
        .unique()
        .since(1, 5, 8),
    D::new("uwsgi_ssl_name", "http_uwsgi", HTTP_ALL, TAKE1)
        .default("host from uwsgi_pass")
        .unique()
        .since(1, 7, 0),
    D::new("uwsgi_ssl_server_name", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 0),
    D::new("uwsgi_ssl_verify", "http_uwsgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 0),
    D::new("uwsgi_ssl_verify_depth", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(1, 7, 0),
    D::new(
        "uwsgi_ssl_trusted_certificate",
        "http_uwsgi",
        HTTP_ALL,
        TAKE1,
    )
    .unique()
    .since(1, 7, 0),
    D::new("uwsgi_ssl_crl", "http_uwsgi", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 0),
    D::new("uwsgi_ssl_certificate", "http_uwsgi", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 8),
    D::new("uwsgi_ssl_certificate_key", "http_uwsgi", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 8),
    D::new("uwsgi_ssl_password_file", "http_uwsgi", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 7, 8),
    D::new("uwsgi_ssl_conf_command", "http_uwsgi", HTTP_ALL, TAKE2)
        .list()
        .since(1, 19, 4),
    D::new(
        "uwsgi_ssl_certificate_cache",
        "http_uwsgi",
        HTTP_ALL,
        TAKE123,
    )
    .default("off")
    .unique()
    .since(1, 27, 4),
    // --- ngx_http_scgi_module ---
    D::new("scgi_pass", "http_scgi", HTTP_LOC | HTTP_LIF, TAKE1)
        .not_inherited()
        .unique()
        .since(0, 8, 42),
    D::new("scgi_store", "http_scgi", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_store_access", "http_scgi", HTTP_ALL, TAKE123)
        .default("user:rw")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_buffering", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 0, 9),
    D::new("scgi_request_buffering", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 7, 11),
    D::new("scgi_ignore_client_abort", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_bind", "http_scgi", HTTP_ALL, TAKE12)
        .unique()
        .since(0, 8, 42),
    D::new("scgi_socket_keepalive", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 15, 6),
    D::new("scgi_connect_timeout", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_send_timeout", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_buffer_size", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_pass_request_headers", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_pass_request_body", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_intercept_errors", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_read_timeout", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_buffers", "http_scgi", HTTP_ALL, TAKE2)
        .default("8 4k|8k")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_busy_buffers_size", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_force_ranges", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 7, 7),
    // a size slot in 1.22.1; takes variables since 1.27.0: not checked as a size.
    D::new("scgi_limit_rate", "http_scgi", HTTP_ALL, TAKE1)
        .default("0")
        .unique()
        .since(1, 7, 7),
    D::new("scgi_cache", "http_scgi", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_cache_key", "http_scgi", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 8, 42),
    D::new("scgi_cache_path", "http_scgi", HTTP, TWO_MORE)
        .not_inherited()
        .since(0, 8, 42),
    D::new("scgi_cache_bypass", "http_scgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 46),
    D::new("scgi_no_cache", "http_scgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 42),
    D::new("scgi_cache_valid", "http_scgi", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 8, 42),
    D::new("scgi_cache_min_uses", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_cache_max_range_offset", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Offset)
        .unique()
        .since(1, 11, 6),
    D::new("scgi_cache_use_stale", "http_scgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(FASTCGI_NEXT_UPSTREAM_MASKS))
        .default("off")
        .since(0, 8, 42),
    D::new("scgi_cache_methods", "http_scgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(&["GET", "HEAD", "POST"]))
        .default("GET HEAD")
        .since(0, 8, 42),
    D::new("scgi_cache_lock", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 1, 12),
    D::new("scgi_cache_lock_timeout", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 1, 12),
    D::new("scgi_cache_lock_age", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("5s")
        .unique()
        .since(1, 7, 8),
    D::new("scgi_cache_revalidate", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 7),
    D::new("scgi_cache_background_update", "http_scgi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 11, 10),
    D::new("scgi_temp_path", "http_scgi", HTTP_ALL, TAKE1234)
        .default("scgi_temp")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_max_temp_file_size", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("1024m")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_temp_file_write_size", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k|16k")
        .unique()
        .since(0, 8, 42),
    D::new("scgi_next_upstream", "http_scgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(FASTCGI_NEXT_UPSTREAM_MASKS))
        .default("error timeout")
        .since(0, 8, 42),
    D::new("scgi_next_upstream_tries", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(1, 7, 5),
    D::new("scgi_next_upstream_timeout", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("0")
        .unique()
        .since(1, 7, 5),
    D::new("scgi_param", "http_scgi", HTTP_ALL, TAKE23)
        .list()
        .since(0, 8, 42),
    D::new("scgi_pass_header", "http_scgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 8, 42),
    D::new("scgi_hide_header", "http_scgi", HTTP_ALL, TAKE1)
        .list()
        .since(0, 8, 42),
    D::new("scgi_ignore_headers", "http_scgi", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(UPSTREAM_IGNORE_HEADERS_MASKS))
        .since(0, 8, 42),
    // --- ngx_http_grpc_module ---
    D::new("grpc_pass", "http_grpc", HTTP_LOC | HTTP_LIF, TAKE1)
        .not_inherited()
        .unique()
        .since(1, 13, 10),
    D::new("grpc_bind", "http_grpc", HTTP_ALL, TAKE12)
        .unique()
        .since(1, 13, 10),
    D::new("grpc_socket_keepalive", "http_grpc", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 15, 6),
    D::new("grpc_connect_timeout", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_send_timeout", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_intercept_errors", "http_grpc", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_buffer_size", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_read_timeout", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_next_upstream", "http_grpc", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(GRPC_NEXT_UPSTREAM_MASKS))
        .default("error timeout")
        .since(1, 13, 10),
    D::new("grpc_next_upstream_tries", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_next_upstream_timeout", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("0")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_set_header", "http_grpc", HTTP_ALL, TAKE2)
        .default("Content-Length $content_length")
        .list()
        .since(1, 13, 10),
    D::new("grpc_pass_header", "http_grpc", HTTP_ALL, TAKE1)
        .list()
        .since(1, 13, 10),
    D::new("grpc_hide_header", "http_grpc", HTTP_ALL, TAKE1)
        .list()
        .since(1, 13, 10),
    D::new("grpc_ignore_headers", "http_grpc", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(UPSTREAM_IGNORE_HEADERS_MASKS))
        .since(1, 13, 10),
    D::new("grpc_ssl_session_reuse", "http_grpc", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_protocols", "http_grpc", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(PROXY_SSL_PROTOCOLS))
        .default("TLSv1.2 TLSv1.3")
        .since(1, 13, 10),
    D::new("grpc_ssl_ciphers", "http_grpc", HTTP_ALL, TAKE1)
        .default("DEFAULT")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_name", "http_grpc", HTTP_ALL, TAKE1)
        .default("host from grpc_pass")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_server_name", "http_grpc", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_verify", "http_grpc", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_verify_depth", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_trusted_certificate", "http_grpc", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_crl", "http_grpc", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_certificate", "http_grpc", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_certificate_key", "http_grpc", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_password_file", "http_grpc", HTTP_ALL, TAKE1)
        .unique()
        .since(1, 13, 10),
    D::new("grpc_ssl_conf_command", "http_grpc", HTTP_ALL, TAKE2)
        .list()
        .since(1, 19, 4),
    D::new("grpc_ssl_certificate_cache", "http_grpc", HTTP_ALL, TAKE123)
        .default("off")
        .unique()
        .since(1, 27, 4),
    // --- ngx_http_memcached_module ---
    D::new(
        "memcached_pass",
        "http_memcached",
        HTTP_LOC | HTTP_LIF,
        TAKE1,
    )
    .not_inherited()
    .unique()
    .since(0, 3, 12),
    D::new("memcached_bind", "http_memcached", HTTP_ALL, TAKE12)
        .unique()
        .since(0, 8, 22),
    D::new(
        "memcached_socket_keepalive",
        "http_memcached",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(1, 15, 6),
    D::new(
        "memcached_connect_timeout",
        "http_memcached",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Msec)
    .default("60s")
    .unique()
    .since(0, 3, 12),
    D::new("memcached_send_timeout", "http_memcached", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 3, 12),
    D::new("memcached_buffer_size", "http_memcached", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(0, 3, 12),
    D::new("memcached_read_timeout", "http_memcached", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(0, 3, 12),
    D::new(
        "memcached_next_upstream",
        "http_memcached",
        HTTP_ALL,
        ONE_MORE,
    )
    .value(Value::Bitmask(MEMCACHED_NEXT_UPSTREAM_MASKS))
    .default("error timeout")
    .since(0, 3, 12),
    D::new(
        "memcached_next_upstream_tries",
        "http_memcached",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Number)
    .default("0")
    .unique()
    .since(1, 7, 5),
    D::new(
        "memcached_next_upstream_timeout",
        "http_memcached",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Msec)
    .default("0")
    .unique()
    .since(1, 7, 5),
    D::new("memcached_gzip_flag", "http_memcached", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .unique()
        .since(1, 3, 6),
    // --- ngx_http_access_module ---
    D::new("allow", "http_access", HTTP_ALL | HTTP_LMT, TAKE1)
        .list()
        .since(0, 1, 0),
    D::new("deny", "http_access", HTTP_ALL | HTTP_LMT, TAKE1)
        .list()
        .since(0, 1, 0),
    // --- ngx_http_addition_filter_module ---
    D::new("add_before_body", "http_addition", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 3, 36),
    D::new("add_after_body", "http_addition", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 3, 36),
    D::new("addition_types", "http_addition", HTTP_ALL, ONE_MORE)
        .default("text/html")
        .list()
        .since(0, 7, 65),
    // --- ngx_http_auth_basic_module ---
    D::new("auth_basic", "http_auth_basic", HTTP_ALL | HTTP_LMT, TAKE1)
        .default("off")
        .unique()
        .since(0, 1, 26),
    D::new(
        "auth_basic_user_file",
        "http_auth_basic",
        HTTP_ALL | HTTP_LMT,
        TAKE1,
    )
    .unique()
    .since(0, 1, 26),
    // --- ngx_http_auth_request_module ---
    D::new("auth_request", "http_auth_request", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(1, 5, 4),
    D::new("auth_request_set", "http_auth_request", HTTP_ALL, TAKE2)
        .list()
        .since(1, 5, 4),
    // --- ngx_http_autoindex_module ---
    D::new("autoindex", "http_autoindex", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 3),
    D::new("autoindex_format", "http_autoindex", HTTP_ALL, TAKE1)
        .value(Value::Enum(AUTOINDEX_FORMAT))
        .default("html")
        .unique()
        .since(1, 7, 9),
    D::new("autoindex_localtime", "http_autoindex", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 34),
    D::new("autoindex_exact_size", "http_autoindex", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 1, 38),
    // --- ngx_http_browser_module ---
    D::new("modern_browser", "http_browser", HTTP_ALL, TAKE12)
        .list()
        .since(0, 4, 3),
    D::new("ancient_browser", "http_browser", HTTP_ALL, ONE_MORE)
        .list()
        .since(0, 4, 3),
    D::new("modern_browser_value", "http_browser", HTTP_ALL, TAKE1)
        .default("1")
        .since(0, 4, 3),
    D::new("ancient_browser_value", "http_browser", HTTP_ALL, TAKE1)
        .default("1")
        .since(0, 4, 3),
    // --- ngx_http_charset_filter_module ---
    D::new("charset", "http_charset", HTTP_ALL | HTTP_LIF, TAKE1)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("source_charset", "http_charset", HTTP_ALL | HTTP_LIF, TAKE1)
        .unique()
        .since(0, 1, 0),
    D::new(
        "override_charset",
        "http_charset",
        HTTP_ALL | HTTP_LIF,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(0, 3, 39),
    D::new("charset_types", "http_charset", HTTP_ALL, ONE_MORE)
        .default(CHARSET_TYPES_DEFAULT)
        .list()
        .since(0, 7, 9),
    D::new("charset_map", "http_charset", HTTP, BLOCK | TAKE2).since(0, 1, 0),
    // --- ngx_http_dav_module ---
    D::new("dav_methods", "http_dav", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(DAV_METHODS_MASK))
        .default("off")
        .since(0, 3, 38),
    D::new("create_full_put_path", "http_dav", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 3, 40),
    D::new("min_delete_depth", "http_dav", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(0, 6, 25),
    D::new("dav_access", "http_dav", HTTP_ALL, TAKE123)
        .default("user:rw")
        .unique()
        .since(0, 3, 56),
    // --- ngx_http_degradation_module ---
    D::new("degradation", "http_degradation", HTTP, TAKE1)
        .not_inherited()
        .since(0, 8, 25),
    D::new("degrade", "http_degradation", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["204", "444"]))
        .unique()
        .since(0, 8, 25),
    // --- ngx_http_empty_gif_module ---
    D::new("empty_gif", "http_empty_gif", HTTP_LOC, NOARGS)
        .not_inherited()
        .since(0, 3, 10),
    // --- ngx_http_flv_module ---
    D::new("flv", "http_flv", HTTP_LOC, NOARGS)
        .not_inherited()
        .since(0, 4, 7),
    // --- ngx_http_geo_module ---
    D::new("geo", "http_geo", HTTP, BLOCK | TAKE12).since(0, 1, 17),
    // --- ngx_http_geoip_module ---
    D::new("geoip_country", "http_geoip", HTTP, TAKE12)
        .not_inherited()
        .unique()
        .since(0, 7, 63),
    D::new("geoip_org", "http_geoip", HTTP, TAKE12)
        .not_inherited()
        .unique()
        .since(1, 0, 3),
    D::new("geoip_city", "http_geoip", HTTP, TAKE12)
        .not_inherited()
        .unique()
        .since(0, 7, 63),
    D::new("geoip_proxy", "http_geoip", HTTP, TAKE1)
        .list()
        .since(1, 2, 2),
    D::new("geoip_proxy_recursive", "http_geoip", HTTP, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 2, 2),
    // --- ngx_http_gunzip_filter_module ---
    D::new("gunzip", "http_gunzip", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 3, 6),
    D::new("gunzip_buffers", "http_gunzip", HTTP_ALL, TAKE2)
        .default("32 4k|16 8k")
        .unique()
        .since(1, 3, 6),
    // --- ngx_http_gzip_filter_module ---
    D::new("gzip", "http_gzip", HTTP_ALL | HTTP_LIF, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("gzip_buffers", "http_gzip", HTTP_ALL, TAKE2)
        .default("32 4k|16 8k")
        .unique()
        .since(0, 1, 0),
    D::new("gzip_types", "http_gzip", HTTP_ALL, ONE_MORE)
        .default("text/html")
        .list()
        .since(0, 1, 1),
    D::new("gzip_comp_level", "http_gzip", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 1, 0),
    D::new("gzip_window", "http_gzip", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(0, 1, 0),
    D::new("gzip_hash", "http_gzip", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(0, 1, 0),
    D::new("postpone_gzipping", "http_gzip", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(0, 7, 39),
    D::new("gzip_no_buffer", "http_gzip", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .unique()
        .since(0, 1, 0),
    D::new("gzip_min_length", "http_gzip", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("20")
        .unique()
        .since(0, 1, 0),
    // --- ngx_http_gzip_static_module ---
    D::new("gzip_static", "http_gzip_static", HTTP_ALL, TAKE1)
        .value(Value::Enum(&["off", "on", "always"]))
        .default("off")
        .unique()
        .since(0, 6, 23),
    // --- ngx_http_headers_filter_module ---
    D::new("expires", "http_headers", HTTP_ALL | HTTP_LIF, TAKE12)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("add_header", "http_headers", HTTP_ALL | HTTP_LIF, TAKE23)
        .list()
        .since(0, 3, 8),
    D::new("add_trailer", "http_headers", HTTP_ALL | HTTP_LIF, TAKE23)
        .list()
        .since(1, 13, 2),
    D::new(
        "add_header_inherit",
        "http_headers",
        HTTP_ALL | HTTP_LIF,
        TAKE1,
    )
    .value(Value::Enum(&["off", "on", "merge"]))
    .default("on")
    .unique()
    .since(1, 29, 3),
    D::new(
        "add_trailer_inherit",
        "http_headers",
        HTTP_ALL | HTTP_LIF,
        TAKE1,
    )
    .value(Value::Enum(&["off", "on", "merge"]))
    .default("on")
    .unique()
    .since(1, 29, 3),
    // --- ngx_http_image_filter_module ---
    D::new("image_filter", "http_image_filter", HTTP_LOC, TAKE123)
        .default("off")
        .since(0, 7, 54),
    D::new(
        "image_filter_jpeg_quality",
        "http_image_filter",
        HTTP_ALL,
        TAKE1,
    )
    .default("75")
    .since(0, 7, 58),
    D::new(
        "image_filter_webp_quality",
        "http_image_filter",
        HTTP_ALL,
        TAKE1,
    )
    .default("80")
    .since(1, 11, 6),
    D::new("image_filter_sharpen", "http_image_filter", HTTP_ALL, TAKE1)
        .default("0")
        .since(1, 0, 11),
    D::new(
        "image_filter_transparency",
        "http_image_filter",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("on")
    .unique()
    .since(0, 7, 63),
    D::new(
        "image_filter_interlace",
        "http_image_filter",
        HTTP_ALL,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(1, 3, 15),
    D::new("image_filter_buffer", "http_image_filter", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("1M")
        .unique()
        .since(0, 7, 54),
    // --- ngx_http_index_module ---
    D::new("index", "http_index", HTTP_ALL, ONE_MORE)
        .default("index.html")
        .list()
        .since(0, 1, 0),
    // --- ngx_http_limit_conn_module ---
    D::new("limit_conn_zone", "http_limit_conn", HTTP, TAKE2)
        .not_inherited()
        .since(1, 1, 8),
    D::new("limit_conn", "http_limit_conn", HTTP_ALL, TAKE2)
        .list()
        .since(0, 5, 6),
    D::new("limit_conn_log_level", "http_limit_conn", HTTP_ALL, TAKE1)
        .value(Value::Enum(LIMIT_CONN_LOG_LEVELS))
        .default("error")
        .unique()
        .since(0, 7, 63),
    D::new("limit_conn_status", "http_limit_conn", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("503")
        .unique()
        .since(1, 3, 15),
    D::new("limit_conn_dry_run", "http_limit_conn", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 17, 6),
    // --- ngx_http_limit_req_module ---
    D::new("limit_req_zone", "http_limit_req", HTTP, TAKE3)
        .not_inherited()
        .since(0, 7, 20),
    D::new("limit_req", "http_limit_req", HTTP_ALL, TAKE123)
        .list()
        .since(0, 7, 20),
    D::new("limit_req_log_level", "http_limit_req", HTTP_ALL, TAKE1)
        .value(Value::Enum(LIMIT_CONN_LOG_LEVELS))
        .default("error")
        .unique()
        .since(0, 7, 63),
    D::new("limit_req_status", "http_limit_req", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("503")
        .unique()
        .since(1, 3, 15),
    D::new("limit_req_dry_run", "http_limit_req", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 17, 1),
    // --- ngx_http_log_module ---
    D::new("log_format", "http_log", HTTP, TWO_MORE)
        .default("combined \"...\"")
        .not_inherited()
        .since(0, 1, 0),
    D::new(
        "access_log",
        "http_log",
        HTTP_ALL | HTTP_LIF | HTTP_LMT,
        ONE_MORE,
    )
    .default("logs/access.log combined")
    .list()
    .since(0, 1, 0),
    D::new("open_log_file_cache", "http_log", HTTP_ALL, TAKE1234)
        .default("off")
        .unique()
        .since(0, 7, 4),
    // --- ngx_http_map_module ---
    D::new("map", "http_map", HTTP, BLOCK | TAKE2).since(0, 3, 16),
    D::new("map_hash_max_size", "http_map", HTTP, TAKE1)
        .value(Value::Number)
        .default("2048")
        .unique()
        .since(0, 3, 16),
    D::new("map_hash_bucket_size", "http_map", HTTP, TAKE1)
        .value(Value::Number)
        .default("32|64|128")
        .unique()
        .since(0, 3, 16),
    // --- ngx_http_mirror_module ---
    D::new("mirror", "http_mirror", HTTP_ALL, TAKE1)
        .default("off")
        .list()
        .since(1, 13, 4),
    D::new("mirror_request_body", "http_mirror", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 13, 4),
    // --- ngx_http_mp4_module ---
    D::new("mp4", "http_mp4", HTTP_LOC, NOARGS)
        .not_inherited()
        .since(1, 0, 7),
    D::new("mp4_buffer_size", "http_mp4", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("512K")
        .unique()
        .since(1, 0, 7),
    D::new("mp4_max_buffer_size", "http_mp4", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("10M")
        .unique()
        .since(1, 0, 7),
    D::new("mp4_start_key_frame", "http_mp4", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 21, 4),
    // --- ngx_http_perl_module ---
    D::new("perl_modules", "http_perl", HTTP, TAKE1)
        .list()
        .since(0, 3, 21),
    D::new("perl_require", "http_perl", HTTP, TAKE1)
        .list()
        .since(0, 3, 21),
    D::new("perl", "http_perl", HTTP_LOC | HTTP_LMT, TAKE1)
        .not_inherited()
        .since(0, 3, 21),
    D::new("perl_set", "http_perl", HTTP, TAKE2)
        .not_inherited()
        .since(0, 3, 21),
    // --- ngx_http_random_index_module ---
    D::new("random_index", "http_random_index", HTTP_LOC, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 7, 15),
    // --- ngx_http_realip_module ---
    D::new("set_real_ip_from", "http_realip", HTTP_ALL, TAKE1)
        .list()
        .since(0, 3, 8),
    D::new("real_ip_header", "http_realip", HTTP_ALL, TAKE1)
        .default("X-Real-IP")
        .unique()
        .since(0, 3, 8),
    D::new("real_ip_recursive", "http_realip", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 2, 2),
    // --- ngx_http_referer_module ---
    D::new(
        "valid_referers",
        "http_referer",
        HTTP_SRV | HTTP_LOC,
        ONE_MORE,
    )
    .list()
    .since(0, 1, 17),
    D::new(
        "referer_hash_max_size",
        "http_referer",
        HTTP_SRV | HTTP_LOC,
        TAKE1,
    )
    .value(Value::Number)
    .default("2048")
    .unique()
    .since(1, 0, 5),
    D::new(
        "referer_hash_bucket_size",
        "http_referer",
        HTTP_SRV | HTTP_LOC,
        TAKE1,
    )
    .value(Value::Number)
    .default("64")
    .unique()
    .since(1, 0, 5),
    // --- ngx_http_rewrite_module ---
    D::new(
        "rewrite",
        "http_rewrite",
        HTTP_SRV | HTTP_SIF | HTTP_LOC | HTTP_LIF,
        TAKE23,
    )
    .not_inherited()
    .since(0, 1, 0),
    D::new(
        "return",
        "http_rewrite",
        HTTP_SRV | HTTP_SIF | HTTP_LOC | HTTP_LIF,
        TAKE12,
    )
    .not_inherited()
    .since(0, 1, 17),
    D::new(
        "break",
        "http_rewrite",
        HTTP_SRV | HTTP_SIF | HTTP_LOC | HTTP_LIF,
        NOARGS,
    )
    .not_inherited()
    .since(0, 1, 38),
    D::new("if", "http_rewrite", HTTP_SRV | HTTP_LOC, BLOCK | ONE_MORE).since(0, 1, 17),
    D::new(
        "set",
        "http_rewrite",
        HTTP_SRV | HTTP_SIF | HTTP_LOC | HTTP_LIF,
        TAKE2,
    )
    .not_inherited()
    .since(0, 1, 25),
    D::new(
        "rewrite_log",
        "http_rewrite",
        HTTP_ALL | HTTP_SIF | HTTP_LIF,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(0, 1, 0),
    D::new(
        "uninitialized_variable_warn",
        "http_rewrite",
        HTTP_ALL | HTTP_SIF | HTTP_LIF,
        FLAG,
    )
    .value(Value::Flag)
    .default("on")
    .unique()
    .since(0, 3, 39),
    // --- ngx_http_secure_link_module ---
    D::new("secure_link", "http_secure_link", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 8, 50),
    D::new("secure_link_md5", "http_secure_link", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 8, 50),
    D::new("secure_link_secret", "http_secure_link", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 7, 18),
    // --- ngx_http_slice_filter_module ---
    D::new("slice", "http_slice", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("0")
        .unique()
        .since(1, 9, 8),
    // --- ngx_http_split_clients_module ---
    D::new("split_clients", "http_split_clients", HTTP, BLOCK | TAKE2).since(0, 8, 37),
    // --- ngx_http_ssi_filter_module ---
    D::new("ssi", "http_ssi", HTTP_ALL | HTTP_LIF, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("ssi_silent_errors", "http_ssi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 23),
    D::new("ssi_ignore_recycled_buffers", "http_ssi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .unique()
        .since(0, 1, 29),
    D::new("ssi_min_file_chunk", "http_ssi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("1k")
        .unique()
        .since(0, 1, 23),
    D::new("ssi_value_length", "http_ssi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("256")
        .unique()
        .since(0, 3, 16),
    D::new("ssi_types", "http_ssi", HTTP_ALL, ONE_MORE)
        .default("text/html")
        .list()
        .since(0, 1, 38),
    D::new("ssi_last_modified", "http_ssi", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 1),
    // --- ngx_http_stub_status_module ---
    D::new(
        "stub_status",
        "http_stub_status",
        HTTP_SRV | HTTP_LOC,
        NOARGS | TAKE1,
    )
    .not_inherited()
    .since(0, 1, 18),
    // --- ngx_http_sub_filter_module ---
    D::new("sub_filter", "http_sub", HTTP_ALL, TAKE2)
        .list()
        .since(0, 5, 18),
    D::new("sub_filter_types", "http_sub", HTTP_ALL, ONE_MORE)
        .default("text/html")
        .list()
        .since(0, 5, 18),
    D::new("sub_filter_once", "http_sub", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(0, 5, 18),
    D::new("sub_filter_last_modified", "http_sub", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 1),
    // --- ngx_http_userid_filter_module ---
    D::new("userid", "http_userid", HTTP_ALL, TAKE1)
        .value(Value::Enum(USERID_STATE))
        .default("off")
        .unique()
        .since(0, 1, 0),
    D::new("userid_service", "http_userid", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("IP address of the server")
        .unique()
        .since(0, 1, 0),
    D::new("userid_name", "http_userid", HTTP_ALL, TAKE1)
        .default("uid")
        .unique()
        .since(0, 1, 0),
    D::new("userid_domain", "http_userid", HTTP_ALL, TAKE1)
        .default("none")
        .unique()
        .since(0, 1, 0),
    D::new("userid_path", "http_userid", HTTP_ALL, TAKE1)
        .default("/")
        .unique()
        .since(0, 1, 0),
    D::new("userid_expires", "http_userid", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 1, 0),
    D::new("userid_flags", "http_userid", HTTP_ALL, TAKE123)
        .value(Value::Bitmask(USERID_FLAGS))
        .default("off")
        .since(1, 19, 3),
    D::new("userid_p3p", "http_userid", HTTP_ALL, TAKE1)
        .default("none")
        .unique()
        .since(0, 1, 5),
    D::new("userid_mark", "http_userid", HTTP_ALL, TAKE1)
        .default("off")
        .unique()
        .since(0, 1, 44),
    // --- ngx_http_xslt_filter_module ---
    D::new("xml_entities", "http_xslt", HTTP_ALL, TAKE1)
        .unique()
        .since(0, 7, 8),
    D::new("xslt_stylesheet", "http_xslt", HTTP_LOC, ONE_MORE)
        .list()
        .since(0, 7, 8),
    D::new("xslt_param", "http_xslt", HTTP_ALL, TAKE2)
        .list()
        .since(1, 1, 18),
    D::new("xslt_string_param", "http_xslt", HTTP_ALL, TAKE2)
        .list()
        .since(1, 1, 18),
    D::new("xslt_types", "http_xslt", HTTP_ALL, ONE_MORE)
        .default("text/xml")
        .list()
        .since(0, 7, 8),
    D::new("xslt_last_modified", "http_xslt", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 5, 1),
    // --- ngx_http_ssl_module ---
    // deprecated in 1.15.0, gone in 1.25.1; handler wraps ngx_conf_set_flag_slot.
    D::new("ssl", "http_ssl", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(0, 1, 0)
        .removed(1, 25, 1),
    D::new("ssl_certificate", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .list()
        .since(0, 1, 0),
    D::new("ssl_certificate_key", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .list()
        .since(0, 1, 0),
    D::new("ssl_password_file", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(1, 7, 3),
    D::new("ssl_dhparam", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(0, 7, 2),
    D::new("ssl_ecdh_curve", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .default("auto")
        .unique()
        .since(1, 0, 6),
    D::new("ssl_protocols", "http_ssl", HTTP | HTTP_SRV, ONE_MORE)
        .value(Value::Bitmask(PROXY_SSL_PROTOCOLS))
        .default("TLSv1.2 TLSv1.3")
        .since(0, 2, 2),
    D::new("ssl_ciphers", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .default("HIGH:!aNULL:!MD5")
        .unique()
        .since(0, 1, 14),
    D::new("ssl_buffer_size", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Size)
        .default("16k")
        .unique()
        .since(1, 5, 9),
    D::new("ssl_verify_client", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Enum(SSL_VERIFY))
        .default("off")
        .unique()
        .since(0, 3, 45),
    D::new("ssl_verify_depth", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Number)
        .default("1")
        .unique()
        .since(0, 3, 45),
    D::new("ssl_client_certificate", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(0, 3, 45),
    D::new(
        "ssl_trusted_certificate",
        "http_ssl",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .unique()
    .since(1, 3, 7),
    D::new(
        "ssl_prefer_server_ciphers",
        "http_ssl",
        HTTP | HTTP_SRV,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(0, 2, 2),
    D::new("ssl_session_cache", "http_ssl", HTTP | HTTP_SRV, TAKE12)
        .default("none")
        .since(0, 5, 6),
    D::new("ssl_session_tickets", "http_ssl", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 5, 9),
    D::new("ssl_session_ticket_key", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .list()
        .since(1, 5, 7),
    D::new("ssl_session_timeout", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Sec)
        .default("5m")
        .unique()
        .since(0, 3, 8),
    D::new("ssl_crl", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(0, 7, 63),
    D::new("ssl_ocsp", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Enum(&["off", "on", "leaf"]))
        .default("off")
        .unique()
        .since(1, 19, 0),
    D::new("ssl_ocsp_responder", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(1, 19, 0),
    D::new("ssl_ocsp_cache", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .default("off")
        .unique()
        .since(1, 19, 0),
    D::new("ssl_stapling", "http_ssl", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 3, 7),
    D::new("ssl_stapling_file", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(1, 3, 7),
    D::new("ssl_stapling_responder", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(1, 3, 7),
    D::new("ssl_stapling_verify", "http_ssl", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 3, 7),
    D::new("ssl_early_data", "http_ssl", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 15, 3),
    D::new("ssl_conf_command", "http_ssl", HTTP | HTTP_SRV, TAKE2)
        .list()
        .since(1, 19, 4),
    D::new("ssl_reject_handshake", "http_ssl", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 19, 4),
    D::new(
        "ssl_certificate_cache",
        "http_ssl",
        HTTP | HTTP_SRV,
        TAKE123,
    )
    .default("off")
    .unique()
    .since(1, 27, 4),
    D::new(
        "ssl_certificate_compression",
        "http_ssl",
        HTTP | HTTP_SRV,
        FLAG,
    )
    .value(Value::Flag)
    .default("off")
    .unique()
    .since(1, 29, 1),
    // --- ngx_http_v2_module ---
    D::new("http2_recv_buffer_size", "http_v2", HTTP, TAKE1)
        .value(Value::Size)
        .default("256k")
        .unique()
        .since(1, 9, 5),
    D::new("http2_pool_size", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Size)
        .default("4k")
        .unique()
        .since(1, 9, 5),
    D::new(
        "http2_max_concurrent_streams",
        "http_v2",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("128")
    .unique()
    .since(1, 9, 5),
    D::new(
        "http2_max_concurrent_pushes",
        "http_v2",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("10")
    .unique()
    .since(1, 13, 9),
    // obsolete since 1.19.7 (warning, ignored), like http2_max_*_size, http2_*_timeout.
    D::new("http2_max_requests", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .default("1000")
        .since(1, 11, 6),
    D::new("http2_max_field_size", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .default("4k")
        .since(1, 9, 5),
    D::new("http2_max_header_size", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .default("16k")
        .since(1, 9, 5),
    D::new("http2_body_preread_size", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Size)
        .default("64k")
        .unique()
        .since(1, 10, 2),
    D::new(
        "http2_streams_index_size",
        "http_v2",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("32")
    .unique()
    .since(1, 9, 5),
    D::new("http2_recv_timeout", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .default("30s")
        .since(1, 9, 5),
    D::new("http2_idle_timeout", "http_v2", HTTP | HTTP_SRV, TAKE1)
        .default("3m")
        .since(1, 9, 5),
    D::new("http2_chunk_size", "http_v2", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k")
        .unique()
        .since(1, 9, 5),
    // obsolete (warning, ignored) since 1.25.1, as are http2_push, http2_max_concurrent_pushes.
    D::new("http2_push_preload", "http_v2", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 13, 9),
    D::new("http2_push", "http_v2", HTTP_ALL, TAKE1)
        .default("off")
        .list()
        .since(1, 13, 9),
    D::new("http2", "http_v2", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 25, 1),
    // --- ngx_http_v3_module ---
    D::new("http3", "http_v3", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("on")
        .unique()
        .since(1, 25, 0),
    D::new("http3_hq", "http_v3", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 25, 0),
    D::new(
        "http3_max_concurrent_streams",
        "http_v3",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("128")
    .unique()
    .since(1, 25, 0),
    D::new(
        "http3_stream_buffer_size",
        "http_v3",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Size)
    .default("64k")
    .unique()
    .since(1, 25, 0),
    D::new("quic_retry", "http_v3", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 25, 0),
    D::new("quic_gso", "http_v3", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 25, 0),
    D::new("quic_host_key", "http_v3", HTTP | HTTP_SRV, TAKE1)
        .unique()
        .since(1, 25, 0),
    D::new(
        "quic_active_connection_id_limit",
        "http_v3",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("2")
    .unique()
    .since(1, 25, 0),
    // --- ngx_http_spdy_module (replaced by ngx_http_v2_module in 1.9.5) ---
    D::new("spdy_chunk_size", "http_spdy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("8k")
        .unique()
        .since(1, 5, 9)
        .removed(1, 19, 7),
    D::new("spdy_headers_comp", "http_spdy", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(1, 3, 15)
        .removed(1, 19, 7),
    D::new(
        "spdy_keepalive_timeout",
        "http_spdy",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Msec)
    .default("3m")
    .unique()
    .since(1, 3, 15)
    .removed(1, 19, 7),
    D::new(
        "spdy_max_concurrent_streams",
        "http_spdy",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("100")
    .unique()
    .since(1, 3, 15)
    .removed(1, 19, 7),
    D::new("spdy_pool_size", "http_spdy", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Size)
        .default("4k")
        .unique()
        .since(1, 3, 15)
        .removed(1, 19, 7),
    D::new("spdy_recv_buffer_size", "http_spdy", HTTP, TAKE1)
        .value(Value::Size)
        .default("256k")
        .unique()
        .since(1, 3, 15)
        .removed(1, 19, 7),
    D::new("spdy_recv_timeout", "http_spdy", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Msec)
        .default("30s")
        .unique()
        .since(1, 3, 15)
        .removed(1, 19, 7),
    D::new(
        "spdy_streams_index_size",
        "http_spdy",
        HTTP | HTTP_SRV,
        TAKE1,
    )
    .value(Value::Number)
    .default("32")
    .unique()
    .since(1, 3, 15)
    .removed(1, 19, 7),
    // --- added by nginx 1.29–1.31 (HEAD's command tables, ../shared/data/nginx-directives.tsv) ---
    D::new("max_headers", "http_core", HTTP | HTTP_SRV, TAKE1)
        .value(Value::Number)
        .default("1000")
        .unique()
        .since(1, 29, 8),
    // Released with 1.31.5 (in nginx HEAD, not in a release yet).
    D::new(
        "client_body_early_read",
        "http_core",
        HTTP | HTTP_SRV,
        ONE_MORE,
    )
    .list()
    .since(1, 31, 5),
    D::new("ssl_ech_file", "http_ssl", HTTP | HTTP_SRV, TAKE1)
        .list()
        .since(1, 29, 4),
    D::new("xml_external_entities", "http_xslt", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 31, 3),
    D::new("proxy_socket_rcvbuf", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("proxy_socket_sndbuf", "http_proxy", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("fastcgi_socket_rcvbuf", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("fastcgi_socket_sndbuf", "http_fastcgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("grpc_socket_rcvbuf", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("grpc_socket_sndbuf", "http_grpc", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("scgi_socket_rcvbuf", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("scgi_socket_sndbuf", "http_scgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("uwsgi_socket_rcvbuf", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("uwsgi_socket_sndbuf", "http_uwsgi", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    // --- ngx_http_upstream_sticky_module (1.29.6), ngx_http_upstream_least_time_module (1.31.0) ---
    D::new("sticky", "http_upstream_sticky", HTTP_UPS, TWO_MORE)
        .not_inherited()
        .since(1, 29, 6),
    D::new("least_time", "http_upstream_least_time", HTTP_UPS, TAKE12)
        .not_inherited()
        .since(1, 31, 0),
    // --- ngx_http_tunnel_module (1.31.0) ---
    D::new(
        "tunnel_pass",
        "http_tunnel",
        HTTP_SRV | HTTP_LOC | HTTP_LIF,
        NOARGS | TAKE1,
    )
    .not_inherited()
    .since(1, 31, 0),
    D::new("tunnel_bind", "http_tunnel", HTTP_ALL, TAKE12)
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_socket_keepalive", "http_tunnel", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .default("off")
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_socket_rcvbuf", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("tunnel_socket_sndbuf", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .unique()
        .since(1, 31, 3),
    D::new("tunnel_connect_timeout", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_send_timeout", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_send_lowat", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("0")
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_buffer_size", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Size)
        .default("4k|8k")
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_read_timeout", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Msec)
        .default("60s")
        .unique()
        .since(1, 31, 0),
    D::new("tunnel_next_upstream", "http_tunnel", HTTP_ALL, ONE_MORE)
        .value(Value::Bitmask(&["error", "timeout", "off"]))
        .default("error timeout")
        .since(1, 31, 0),
    D::new("tunnel_next_upstream_tries", "http_tunnel", HTTP_ALL, TAKE1)
        .value(Value::Number)
        .default("0")
        .unique()
        .since(1, 31, 0),
    D::new(
        "tunnel_next_upstream_timeout",
        "http_tunnel",
        HTTP_ALL,
        TAKE1,
    )
    .value(Value::Msec)
    .default("0")
    .unique()
    .since(1, 31, 0),
    // --- removed from nginx (../shared/data/nginx-directive-history.tsv: last release + 1) ---
    D::new("limit_zone", "http_limit_zone", HTTP, TAKE3)
        .not_inherited()
        .since(0, 5, 6)
        .removed(1, 7, 6),
    D::new("open_file_cache_retest", "http_core", HTTP_ALL, TAKE1)
        .value(Value::Sec)
        .unique()
        .since(0, 6, 10)
        .removed(1, 9, 1),
    D::new("optimize_server_names", "http_core", HTTP | HTTP_SRV, FLAG)
        .value(Value::Flag)
        .unique()
        .since(0, 3, 26)
        .removed(1, 9, 1),
    D::new("satisfy_any", "http_core", HTTP_ALL, FLAG)
        .value(Value::Flag)
        .unique()
        .since(0, 2, 0)
        .removed(1, 9, 1),
    D::new("status", "http_status", HTTP_SRV | HTTP_LOC, FLAG)
        .not_inherited()
        .since(0, 1, 0)
        .removed(1, 1, 8),
    D::new("mysql_test", "http_mysql_test", HTTP_LOC, TAKE1)
        .not_inherited()
        .since(0, 3, 48)
        .removed(1, 9, 14),
];

const TYPES_DEFAULT: &str = "{ text/html html; image/gif gif; image/jpeg jpg; }";
const CHARSET_TYPES_DEFAULT: &str =
    "text/html text/xml text/plain text/vnd.wap.wml application/javascript application/rss+xml";
const GZIP_PROXIED_MASK: &[&str] = &[
    "off",
    "expired",
    "no-cache",
    "no-store",
    "private",
    "no_last_modified",
    "no_etag",
    "auth",
    "any",
];
const PROXY_NEXT_UPSTREAM_MASKS: &[&str] = &[
    "error",
    "timeout",
    "invalid_header",
    "non_idempotent",
    "http_500",
    "http_502",
    "http_503",
    "http_504",
    "http_403",
    "http_404",
    "http_429",
    "updating",
    "off",
];
const UPSTREAM_IGNORE_HEADERS_MASKS: &[&str] = &[
    "X-Accel-Redirect",
    "X-Accel-Expires",
    "X-Accel-Limit-Rate",
    "X-Accel-Buffering",
    "X-Accel-Charset",
    "Expires",
    "Cache-Control",
    "Set-Cookie",
    "Vary",
];
const PROXY_SSL_PROTOCOLS: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const FASTCGI_NEXT_UPSTREAM_MASKS: &[&str] = &[
    "error",
    "timeout",
    "invalid_header",
    "non_idempotent",
    "http_500",
    "http_503",
    "http_403",
    "http_404",
    "http_429",
    "updating",
    "off",
];
const GRPC_NEXT_UPSTREAM_MASKS: &[&str] = &[
    "error",
    "timeout",
    "invalid_header",
    "non_idempotent",
    "http_500",
    "http_502",
    "http_503",
    "http_504",
    "http_403",
    "http_404",
    "http_429",
    "off",
];
const MEMCACHED_NEXT_UPSTREAM_MASKS: &[&str] =
    &["error", "timeout", "invalid_response", "not_found", "off"];
const AUTOINDEX_FORMAT: &[&str] = &["html", "json", "jsonp", "xml"];
const DAV_METHODS_MASK: &[&str] = &["off", "put", "delete", "mkcol", "copy", "move"];
const LIMIT_CONN_LOG_LEVELS: &[&str] = &["info", "notice", "warn", "error"];
const USERID_STATE: &[&str] = &["off", "log", "v1", "on"];
const USERID_FLAGS: &[&str] = &[
    "off",
    "secure",
    "httponly",
    "samesite=strict",
    "samesite=lax",
    "samesite=none",
];
const SSL_VERIFY: &[&str] = &["off", "on", "optional", "optional_no_ca"];

#[cfg(test)]
mod tests {
    use super::super::{Merge, Version};
    use super::*;

    fn find(name: &str, ctx: u32) -> &'static D {
        super::super::tests::find_in(DIRECTIVES, name, ctx)
    }

    #[test]
    fn http_contexts_only() {
        let http = HTTP | HTTP_SRV | HTTP_LOC | HTTP_SIF | HTTP_LIF | HTTP_LMT | HTTP_UPS;
        for d in DIRECTIVES {
            assert!(d.contexts != 0 && d.contexts & !http == 0, "{}", d.name);
            assert!(d.removed.is_none_or(|r| d.since < r), "{}", d.name);
        }
    }

    #[test]
    fn measured_facts() {
        // nginx-semantics.md §2.2/§2.3.
        let psh = find("proxy_set_header", HTTP_LOC);
        assert_eq!(psh.contexts & HTTP_LIF, 0);
        assert_eq!(psh.merge, Merge::List);
        assert_eq!(psh.args, TAKE2);
        for name in ["proxy_buffering", "proxy_read_timeout"] {
            assert_eq!(find(name, HTTP_LOC).contexts & HTTP_LIF, 0, "{name}");
        }
        for name in [
            "gzip",
            "add_header",
            "proxy_pass",
            "rewrite",
            "return",
            "set",
        ] {
            assert_ne!(find(name, HTTP_LOC).contexts & HTTP_LIF, 0, "{name}");
        }
        assert_eq!(find("proxy_http_version", HTTP_LOC).default, "1.0");
        let gt = find("gzip_types", HTTP_LOC);
        assert_eq!(gt.default, "text/html");
        assert_eq!(gt.merge, Merge::List);
        let pb = find("proxy_buffering", HTTP_LOC);
        assert_eq!(pb.default, "on");
        assert_eq!(pb.value, Value::Flag);
        assert!(pb.unique);
        assert_eq!(find("add_header", HTTP_LOC).merge, Merge::List);
        assert_eq!(find("gzip_proxied", HTTP_LOC).merge, Merge::Scalar);
        assert_eq!(find("keepalive", HTTP_UPS).merge, Merge::None);
        assert_eq!(find("keepalive_timeout", HTTP_LOC).default, "75s");
        assert_eq!(find("keepalive_timeout", HTTP_UPS).default, "60s");
        assert_eq!(find("chunked_transfer_encoding", HTTP_LOC).default, "on");
        assert_eq!(find("postpone_output", HTTP_LOC).default, "1460");
        assert_eq!(find("proxy_max_temp_file_size", HTTP_LOC).default, "1024m");
        assert_eq!(find("gzip_min_length", HTTP_LOC).default, "20");
        let ahi = find("add_header_inherit", HTTP_LIF);
        assert_eq!(ahi.since, Version(1, 29, 3));
        let ssl = find("ssl", HTTP_SRV);
        assert!(ssl.exists_in(Version(1, 22, 1)) && !ssl.exists_in(Version(1, 25, 1)));
    }
}
