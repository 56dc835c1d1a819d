//! Widely used third-party modules (and NGINX Plus), as plain data.
//!
//! `module` names the project: `lua` (lua-nginx-module), `stream_lua`
//! (stream-lua-nginx-module), `njs`, `headers_more`, `brotli`, `vts`, `echo`, `set_misc`,
//! `geoip2`, `cache_purge`, `nginx_plus`, `modsecurity`, `opentelemetry`, `mruby`,
//! `upload_progress`, `auth_digest`, `upstream_check`, `upsync`, `pagespeed`, `apicast`,
//! `vod` (Kaltura's nginx-vod-module), `secure_token` (nginx-secure-token-module),
//! `auth_pam` (ngx_http_auth_pam_module), `rtmp` (nginx-rtmp-module's main-level directives) and
//! `nchan` (pub/sub over SSE, WebSocket and long
//! polling; Debian's `libnginx-mod-nchan`, held-out batches 117 and 144 met it in fragments
//! whose `load_module` is in an `nginx.conf` not checked) and `push_stream`
//! (nginx-push-stream-module, the same kind, built in with `--add-module`).
//! Selected from the names the real-world corpus uses that nginx's own modules do not define.
//! vod and secure_token came from the real-world set (Frigate builds both into its nginx);
//! their entries translate each module's `ngx_command_t` table (nginx-vod-module 26f06877,
//! nginx-secure-token-module 24f7b99d).
//! Contexts, arity and value parsing come from each project's `ngx_command_t` table where it was
//! checked (lua-nginx-module), otherwise from its documentation, erring on the generous side.
//! `since`/`removed` are nginx versions, so they are left unset here (project versions differ).
use super::{DirectiveSpec as D, Value, args::*, ctx::*};

/// http, server, location.
const HA: u32 = HTTP_ALL;
/// http, server, location, if in location.
const HAI: u32 = HTTP_ALL | HTTP_LIF;
/// location, if in location.
const LL: u32 = HTTP_LOC | HTTP_LIF;
/// server, if in server, location, if in location (where `set` is allowed).
const SETC: u32 = HTTP_SRV | HTTP_SIF | HTTP_LOC | HTTP_LIF;
const SS: u32 = STREAM_ALL;
const TLS: Value = Value::Bitmask(&["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]);

#[rustfmt::skip]
pub static DIRECTIVES: &[D] = &[
    // --- lua-nginx-module (ngx_http_lua_module) ---
    D::new("lua_load_resty_core", "lua", HTTP, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_thread_cache_max_entries", "lua", HTTP, TAKE1).value(Value::Number).default("1024").unique(),
    D::new("lua_max_running_timers", "lua", HTTP, TAKE1).value(Value::Number).default("256").unique(),
    D::new("lua_max_pending_timers", "lua", HTTP, TAKE1).value(Value::Number).default("1024").unique(),
    D::new("lua_shared_dict", "lua", HTTP, TAKE2).not_inherited(),
    D::new("lua_capture_error_log", "lua", HTTP, TAKE1).unique(),
    D::new("lua_sa_restart", "lua", HTTP, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_regex_cache_max_entries", "lua", HTTP, TAKE1).value(Value::Number).default("1024").unique(),
    D::new("lua_regex_match_limit", "lua", HTTP, TAKE1).value(Value::Number).default("0").unique(),
    D::new("lua_package_cpath", "lua", HTTP, TAKE1).unique(),
    D::new("lua_package_path", "lua", HTTP, TAKE1).unique(),
    D::new("lua_code_cache", "lua", HAI, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_need_request_body", "lua", HAI, FLAG).value(Value::Flag).default("off").unique(),
    D::new("lua_transform_underscores_in_response_headers", "lua", HAI, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_socket_log_errors", "lua", HAI, FLAG).value(Value::Flag).default("on").unique(),
    D::new("init_by_lua_block", "lua", HTTP, BLOCK | NOARGS).unique(),
    D::new("init_by_lua", "lua", HTTP, TAKE1).unique(),
    D::new("init_by_lua_file", "lua", HTTP, TAKE1).unique(),
    D::new("init_worker_by_lua_block", "lua", HTTP, BLOCK | NOARGS).unique(),
    D::new("init_worker_by_lua", "lua", HTTP, TAKE1).unique(),
    D::new("init_worker_by_lua_file", "lua", HTTP, TAKE1).unique(),
    D::new("exit_worker_by_lua_block", "lua", HTTP, BLOCK | NOARGS).unique(),
    D::new("exit_worker_by_lua_file", "lua", HTTP, TAKE1).unique(),
    D::new("set_by_lua_block", "lua", SETC, BLOCK | TAKE1),
    D::new("set_by_lua", "lua", SETC, TWO_MORE).not_inherited(),
    D::new("set_by_lua_file", "lua", SETC, TWO_MORE).not_inherited(),
    D::new("server_rewrite_by_lua_block", "lua", HTTP | HTTP_SRV, BLOCK | NOARGS).unique(),
    D::new("server_rewrite_by_lua_file", "lua", HTTP | HTTP_SRV, TAKE1).unique(),
    D::new("rewrite_by_lua", "lua", HAI, TAKE1).unique(),
    D::new("rewrite_by_lua_block", "lua", HAI, BLOCK | NOARGS).unique(),
    D::new("rewrite_by_lua_file", "lua", HAI, TAKE1).unique(),
    D::new("rewrite_by_lua_no_postpone", "lua", HTTP, FLAG).value(Value::Flag).default("off").unique(),
    D::new("access_by_lua", "lua", HAI, TAKE1).unique(),
    D::new("access_by_lua_block", "lua", HAI, BLOCK | NOARGS).unique(),
    D::new("access_by_lua_file", "lua", HAI, TAKE1).unique(),
    D::new("access_by_lua_no_postpone", "lua", HTTP, FLAG).value(Value::Flag).default("off").unique(),
    D::new("content_by_lua", "lua", LL, TAKE1).unique().not_inherited(),
    D::new("content_by_lua_block", "lua", LL, BLOCK | NOARGS).unique(),
    D::new("content_by_lua_file", "lua", LL, TAKE1).unique().not_inherited(),
    D::new("log_by_lua", "lua", HAI, TAKE1).unique(),
    D::new("log_by_lua_block", "lua", HAI, BLOCK | NOARGS).unique(),
    D::new("log_by_lua_file", "lua", HAI, TAKE1).unique(),
    D::new("header_filter_by_lua", "lua", HAI, TAKE1).unique(),
    D::new("header_filter_by_lua_block", "lua", HAI, BLOCK | NOARGS).unique(),
    D::new("header_filter_by_lua_file", "lua", HAI, TAKE1).unique(),
    D::new("body_filter_by_lua", "lua", HAI, TAKE1).unique(),
    D::new("body_filter_by_lua_block", "lua", HAI, BLOCK | NOARGS).unique(),
    D::new("body_filter_by_lua_file", "lua", HAI, TAKE1).unique(),
    D::new("balancer_by_lua_block", "lua", HTTP_UPS, BLOCK | NOARGS).unique(),
    D::new("balancer_by_lua_file", "lua", HTTP_UPS, TAKE1).unique().not_inherited(),
    D::new("balancer_keepalive", "lua", HTTP_UPS, TAKE1).unique().not_inherited(),
    D::new("lua_socket_keepalive_timeout", "lua", HAI, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_connect_timeout", "lua", HAI, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_send_timeout", "lua", HAI, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_read_timeout", "lua", HAI, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_send_lowat", "lua", HAI, TAKE1).value(Value::Size).default("0").unique(),
    D::new("lua_socket_buffer_size", "lua", HAI, TAKE1).value(Value::Size).default("4k|8k").unique(),
    D::new("lua_socket_pool_size", "lua", HAI, TAKE1).value(Value::Number).default("30").unique(),
    D::new("lua_http10_buffering", "lua", HAI, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_check_client_abort", "lua", HAI, FLAG).value(Value::Flag).default("off").unique(),
    D::new("lua_use_default_type", "lua", HAI, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_ssl_protocols", "lua", HA, ONE_MORE).value(TLS),
    D::new("lua_ssl_ciphers", "lua", HA, TAKE1).default("DEFAULT").unique(),
    D::new("ssl_client_hello_by_lua_block", "lua", HTTP | HTTP_SRV, BLOCK | NOARGS).unique(),
    D::new("ssl_client_hello_by_lua_file", "lua", HTTP | HTTP_SRV, TAKE1).unique(),
    D::new("ssl_certificate_by_lua_block", "lua", HTTP | HTTP_SRV, BLOCK | NOARGS).unique(),
    D::new("ssl_certificate_by_lua_file", "lua", HTTP | HTTP_SRV, TAKE1).unique(),
    D::new("ssl_session_store_by_lua_block", "lua", HTTP, BLOCK | NOARGS).unique(),
    D::new("ssl_session_store_by_lua_file", "lua", HTTP, TAKE1).unique(),
    D::new("ssl_session_fetch_by_lua_block", "lua", HTTP, BLOCK | NOARGS).unique(),
    D::new("ssl_session_fetch_by_lua_file", "lua", HTTP, TAKE1).unique(),
    D::new("lua_ssl_verify_depth", "lua", HA, TAKE1).value(Value::Number).default("1").unique(),
    D::new("lua_ssl_certificate", "lua", HA, TAKE1).list(),
    D::new("lua_ssl_certificate_key", "lua", HA, TAKE1).list(),
    D::new("lua_ssl_trusted_certificate", "lua", HA, TAKE1).unique(),
    D::new("lua_ssl_crl", "lua", HA, TAKE1).unique(),
    D::new("lua_ssl_key_log", "lua", HA, TAKE1).unique(),
    D::new("lua_ssl_conf_command", "lua", HA, TAKE2).list(),
    D::new("lua_malloc_trim", "lua", HTTP, TAKE1).default("1000").unique(),
    D::new("lua_worker_thread_vm_pool_size", "lua", HTTP, TAKE1).value(Value::Number).default("10").unique(),
    // --- stream-lua-nginx-module (ngx_stream_lua_module) ---
    D::new("lua_load_resty_core", "stream_lua", STREAM, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_max_running_timers", "stream_lua", STREAM, TAKE1).value(Value::Number).default("256").unique(),
    D::new("lua_max_pending_timers", "stream_lua", STREAM, TAKE1).value(Value::Number).default("1024").unique(),
    D::new("lua_shared_dict", "stream_lua", STREAM, TAKE2).not_inherited(),
    D::new("lua_capture_error_log", "stream_lua", STREAM, TAKE1).unique(),
    D::new("lua_sa_restart", "stream_lua", STREAM, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_regex_cache_max_entries", "stream_lua", STREAM, TAKE1).value(Value::Number).default("1024").unique(),
    D::new("lua_regex_match_limit", "stream_lua", STREAM, TAKE1).value(Value::Number).default("0").unique(),
    D::new("lua_package_cpath", "stream_lua", STREAM, TAKE1).unique(),
    D::new("lua_package_path", "stream_lua", STREAM, TAKE1).unique(),
    D::new("lua_add_variable", "stream_lua", STREAM, TAKE1).not_inherited(),
    D::new("lua_code_cache", "stream_lua", SS, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_socket_log_errors", "stream_lua", SS, FLAG).value(Value::Flag).default("on").unique(),
    D::new("lua_check_client_abort", "stream_lua", SS, FLAG).value(Value::Flag).default("off").unique(),
    D::new("init_by_lua_block", "stream_lua", STREAM, BLOCK | NOARGS).unique(),
    D::new("init_by_lua_file", "stream_lua", STREAM, TAKE1).unique(),
    D::new("init_worker_by_lua_block", "stream_lua", STREAM, BLOCK | NOARGS).unique(),
    D::new("init_worker_by_lua_file", "stream_lua", STREAM, TAKE1).unique(),
    D::new("preread_by_lua_block", "stream_lua", SS, BLOCK | NOARGS).unique(),
    D::new("preread_by_lua_file", "stream_lua", SS, TAKE1).unique(),
    D::new("preread_by_lua_no_postpone", "stream_lua", STREAM, FLAG).value(Value::Flag).default("off").unique(),
    D::new("content_by_lua_block", "stream_lua", STREAM_SRV, BLOCK | NOARGS).unique(),
    D::new("content_by_lua_file", "stream_lua", STREAM_SRV, TAKE1).unique().not_inherited(),
    D::new("log_by_lua_block", "stream_lua", SS, BLOCK | NOARGS).unique(),
    D::new("log_by_lua_file", "stream_lua", SS, TAKE1).unique(),
    D::new("balancer_by_lua_block", "stream_lua", STREAM_UPS, BLOCK | NOARGS).unique(),
    D::new("balancer_by_lua_file", "stream_lua", STREAM_UPS, TAKE1).unique().not_inherited(),
    D::new("ssl_client_hello_by_lua_block", "stream_lua", SS, BLOCK | NOARGS).unique(),
    D::new("ssl_client_hello_by_lua_file", "stream_lua", SS, TAKE1).unique(),
    D::new("ssl_certificate_by_lua_block", "stream_lua", SS, BLOCK | NOARGS).unique(),
    D::new("ssl_certificate_by_lua_file", "stream_lua", SS, TAKE1).unique(),
    D::new("lua_socket_keepalive_timeout", "stream_lua", SS, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_connect_timeout", "stream_lua", SS, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_send_timeout", "stream_lua", SS, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_read_timeout", "stream_lua", SS, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("lua_socket_send_lowat", "stream_lua", SS, TAKE1).value(Value::Size).default("0").unique(),
    D::new("lua_socket_buffer_size", "stream_lua", SS, TAKE1).value(Value::Size).default("4k|8k").unique(),
    D::new("lua_socket_pool_size", "stream_lua", SS, TAKE1).value(Value::Number).default("30").unique(),
    D::new("lua_ssl_protocols", "stream_lua", SS, ONE_MORE).value(TLS),
    D::new("lua_ssl_ciphers", "stream_lua", SS, TAKE1).default("DEFAULT").unique(),
    D::new("lua_ssl_verify_depth", "stream_lua", SS, TAKE1).value(Value::Number).default("1").unique(),
    D::new("lua_ssl_certificate", "stream_lua", SS, TAKE1).list(),
    D::new("lua_ssl_certificate_key", "stream_lua", SS, TAKE1).list(),
    D::new("lua_ssl_trusted_certificate", "stream_lua", SS, TAKE1).unique(),
    D::new("lua_ssl_crl", "stream_lua", SS, TAKE1).unique(),
    D::new("lua_ssl_conf_command", "stream_lua", SS, TAKE2).list(),
    D::new("lua_malloc_trim", "stream_lua", STREAM, TAKE1).default("1000").unique(),
    // --- njs (ngx_http_js_module) ---
    D::new("js_engine", "njs", HA, TAKE1).value(Value::Enum(&["njs", "qjs"])).default("njs").unique(),
    D::new("js_context_reuse", "njs", HA, TAKE1).value(Value::Number).default("128").unique(),
    D::new("js_context_reuse_max_size", "njs", HA, TAKE1).value(Value::Size).default("4m").unique(),
    D::new("js_import", "njs", HA, TAKE13).list(),
    D::new("js_include", "njs", HTTP, TAKE1).unique(),
    D::new("js_path", "njs", HA, TAKE1).list(),
    D::new("js_preload_object", "njs", HA, TAKE13).list(),
    D::new("js_set", "njs", HA, TAKE23).not_inherited(),
    D::new("js_var", "njs", HA, TAKE12).not_inherited(),
    D::new("js_content", "njs", LL, TAKE1).unique().not_inherited(),
    D::new("js_header_filter", "njs", LL, TAKE1).unique(),
    D::new("js_body_filter", "njs", LL, TAKE12).unique(),
    D::new("js_periodic", "njs", HTTP_LOC, ONE_MORE).not_inherited(),
    D::new("js_shared_dict_zone", "njs", HTTP, ONE_MORE).not_inherited(),
    D::new("js_fetch_buffer_size", "njs", HA, TAKE1).value(Value::Size).default("16k").unique(),
    D::new("js_fetch_ciphers", "njs", HA, TAKE1).default("HIGH:!aNULL:!MD5").unique(),
    D::new("js_fetch_max_response_buffer_size", "njs", HA, TAKE1).value(Value::Size).default("1m").unique(),
    D::new("js_fetch_protocols", "njs", HA, ONE_MORE).value(TLS).default("TLSv1 TLSv1.1 TLSv1.2"),
    D::new("js_fetch_timeout", "njs", HA, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("js_fetch_trusted_certificate", "njs", HA, TAKE1).unique(),
    D::new("js_fetch_verify", "njs", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("js_fetch_verify_depth", "njs", HA, TAKE1).value(Value::Number).default("100").unique(),
    D::new("js_fetch_keepalive", "njs", HA, TAKE1).value(Value::Number).default("0").unique(),
    D::new("js_fetch_keepalive_requests", "njs", HA, TAKE1).value(Value::Number).default("1000").unique(),
    D::new("js_fetch_keepalive_time", "njs", HA, TAKE1).value(Value::Msec).default("1h").unique(),
    D::new("js_fetch_keepalive_timeout", "njs", HA, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("js_fetch_proxy", "njs", HA, TAKE1).unique(),
    // --- njs (ngx_stream_js_module) ---
    D::new("js_engine", "njs", SS, TAKE1).value(Value::Enum(&["njs", "qjs"])).default("njs").unique(),
    D::new("js_context_reuse", "njs", SS, TAKE1).value(Value::Number).default("128").unique(),
    D::new("js_context_reuse_max_size", "njs", SS, TAKE1).value(Value::Size).default("4m").unique(),
    D::new("js_import", "njs", SS, TAKE13).list(),
    D::new("js_include", "njs", STREAM, TAKE1).unique(),
    D::new("js_path", "njs", SS, TAKE1).list(),
    D::new("js_preload_object", "njs", SS, TAKE13).list(),
    D::new("js_set", "njs", SS, TAKE23).not_inherited(),
    D::new("js_var", "njs", SS, TAKE12).not_inherited(),
    D::new("js_access", "njs", SS, TAKE1).unique(),
    D::new("js_preread", "njs", SS, TAKE1).unique(),
    D::new("js_filter", "njs", SS, TAKE1).unique(),
    D::new("js_periodic", "njs", STREAM_SRV, ONE_MORE).not_inherited(),
    D::new("js_shared_dict_zone", "njs", STREAM, ONE_MORE).not_inherited(),
    D::new("js_fetch_buffer_size", "njs", SS, TAKE1).value(Value::Size).default("16k").unique(),
    D::new("js_fetch_ciphers", "njs", SS, TAKE1).default("HIGH:!aNULL:!MD5").unique(),
    D::new("js_fetch_max_response_buffer_size", "njs", SS, TAKE1).value(Value::Size).default("1m").unique(),
    D::new("js_fetch_protocols", "njs", SS, ONE_MORE).value(TLS).default("TLSv1 TLSv1.1 TLSv1.2"),
    D::new("js_fetch_timeout", "njs", SS, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("js_fetch_trusted_certificate", "njs", SS, TAKE1).unique(),
    D::new("js_fetch_verify", "njs", SS, FLAG).value(Value::Flag).default("on").unique(),
    D::new("js_fetch_verify_depth", "njs", SS, TAKE1).value(Value::Number).default("100").unique(),
    D::new("js_fetch_keepalive", "njs", SS, TAKE1).value(Value::Number).default("0").unique(),
    D::new("js_fetch_keepalive_requests", "njs", SS, TAKE1).value(Value::Number).default("1000").unique(),
    D::new("js_fetch_keepalive_time", "njs", SS, TAKE1).value(Value::Msec).default("1h").unique(),
    D::new("js_fetch_keepalive_timeout", "njs", SS, TAKE1).value(Value::Msec).default("60s").unique(),
    D::new("js_fetch_proxy", "njs", SS, TAKE1).unique(),
    // --- headers-more-nginx-module ---
    D::new("more_set_headers", "headers_more", HAI, ONE_MORE).list(),
    D::new("more_clear_headers", "headers_more", HAI, ONE_MORE).list(),
    D::new("more_set_input_headers", "headers_more", HAI, ONE_MORE).list(),
    D::new("more_clear_input_headers", "headers_more", HAI, ONE_MORE).list(),
    // --- ngx_brotli ---
    D::new("brotli", "brotli", HAI, FLAG).value(Value::Flag).default("off").unique(),
    D::new("brotli_static", "brotli", HA, TAKE1).value(Value::Enum(&["off", "on", "always"])).default("off").unique(),
    D::new("brotli_types", "brotli", HA, ONE_MORE).default("text/html").list(),
    D::new("brotli_buffers", "brotli", HA, TAKE2).default("32 4k|16 8k").unique(),
    D::new("brotli_comp_level", "brotli", HA, TAKE1).value(Value::Number).default("6").unique(),
    D::new("brotli_window", "brotli", HA, TAKE1).value(Value::Size).default("512k").unique(),
    D::new("brotli_min_length", "brotli", HA, TAKE1).default("20").unique(),
    // --- nginx-module-vts ---
    D::new("vhost_traffic_status", "vts", HA, FLAG).value(Value::Flag).default("off").unique(),
    D::new("vhost_traffic_status_zone", "vts", HTTP, NOARGS | TAKE1).default("shared:vhost_traffic_status:1m").not_inherited(),
    D::new("vhost_traffic_status_dump", "vts", HTTP, TAKE12).not_inherited(),
    D::new("vhost_traffic_status_display", "vts", HA, NOARGS).not_inherited(),
    D::new("vhost_traffic_status_display_format", "vts", HA, TAKE1).value(Value::Enum(&["json", "html", "jsonp", "prometheus"])).default("json").unique(),
    D::new("vhost_traffic_status_display_jsonp", "vts", HA, TAKE1).default("ngx_http_vhost_traffic_status_jsonp_callback").unique(),
    D::new("vhost_traffic_status_display_sum_key", "vts", HA, TAKE1).default("*").unique(),
    D::new("vhost_traffic_status_filter", "vts", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("vhost_traffic_status_filter_by_host", "vts", HA, FLAG).value(Value::Flag).default("off").unique(),
    D::new("vhost_traffic_status_filter_by_set_key", "vts", HAI, TAKE12).list(),
    D::new("vhost_traffic_status_filter_check_duplicate", "vts", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("vhost_traffic_status_filter_max_node", "vts", HTTP, ONE_MORE).not_inherited(),
    D::new("vhost_traffic_status_limit", "vts", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("vhost_traffic_status_limit_traffic", "vts", HA, TAKE12).list(),
    D::new("vhost_traffic_status_limit_traffic_by_set_key", "vts", HA, TAKE23).list(),
    D::new("vhost_traffic_status_limit_check_duplicate", "vts", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("vhost_traffic_status_set_by_filter", "vts", SETC, TAKE2).not_inherited(),
    D::new("vhost_traffic_status_average_method", "vts", HA, TAKE12).default("AMM 60s").unique(),
    D::new("vhost_traffic_status_histogram_buckets", "vts", HA, ONE_MORE).unique(),
    D::new("vhost_traffic_status_bypass_limit", "vts", HA, FLAG).value(Value::Flag).default("off").unique(),
    D::new("vhost_traffic_status_bypass_stats", "vts", HA, FLAG).value(Value::Flag).default("off").unique(),
    // --- echo-nginx-module ---
    D::new("echo", "echo", LL, ANY).not_inherited(),
    D::new("echo_duplicate", "echo", LL, TWO_MORE).not_inherited(),
    D::new("echo_flush", "echo", LL, NOARGS).not_inherited(),
    D::new("echo_sleep", "echo", LL, TAKE1).not_inherited(),
    D::new("echo_blocking_sleep", "echo", LL, TAKE1).not_inherited(),
    D::new("echo_reset_timer", "echo", LL, NOARGS).not_inherited(),
    D::new("echo_read_request_body", "echo", LL, NOARGS).not_inherited(),
    D::new("echo_location_async", "echo", LL, TAKE12).not_inherited(),
    D::new("echo_location", "echo", LL, TAKE12).not_inherited(),
    D::new("echo_subrequest_async", "echo", LL, TWO_MORE).not_inherited(),
    D::new("echo_subrequest", "echo", LL, TWO_MORE).not_inherited(),
    D::new("echo_foreach_split", "echo", LL, TWO_MORE).not_inherited(),
    D::new("echo_end", "echo", LL, NOARGS).not_inherited(),
    D::new("echo_request_body", "echo", LL, NOARGS).not_inherited(),
    D::new("echo_exec", "echo", LL, TAKE12).not_inherited(),
    D::new("echo_status", "echo", LL, TAKE1).default("200").unique(),
    D::new("echo_before_body", "echo", LL, ANY).list(),
    D::new("echo_after_body", "echo", LL, ANY).list(),
    // --- set-misc-nginx-module ---
    D::new("set_if_empty", "set_misc", SETC, TAKE2).not_inherited(),
    D::new("set_quote_sql_str", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_quote_pgsql_str", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_quote_json_str", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_unescape_uri", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_escape_uri", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_hashed_upstream", "set_misc", SETC, TAKE3).not_inherited(),
    D::new("set_encode_base32", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_decode_base32", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_encode_base64", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_decode_base64", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_encode_base64url", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_decode_base64url", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_encode_hex", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_decode_hex", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_sha1", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_md5", "set_misc", SETC, TAKE12).not_inherited(),
    D::new("set_hmac_sha1", "set_misc", SETC, TAKE3).not_inherited(),
    D::new("set_hmac_sha256", "set_misc", SETC, TAKE3).not_inherited(),
    D::new("set_random", "set_misc", SETC, TAKE3).not_inherited(),
    D::new("set_secure_random_alphanum", "set_misc", SETC, TAKE2).not_inherited(),
    D::new("set_secure_random_lcalpha", "set_misc", SETC, TAKE2).not_inherited(),
    D::new("set_rotate", "set_misc", SETC, TAKE3).not_inherited(),
    D::new("set_local_today", "set_misc", SETC, TAKE1).not_inherited(),
    D::new("set_formatted_gmt_time", "set_misc", SETC, TAKE2).not_inherited(),
    D::new("set_formatted_local_time", "set_misc", SETC, TAKE2).not_inherited(),
    D::new("set_base32_padding", "set_misc", HA | HTTP_SIF | HTTP_LIF, FLAG).value(Value::Flag).default("on").unique(),
    D::new("set_misc_base32_padding", "set_misc", HA | HTTP_SIF | HTTP_LIF, FLAG).value(Value::Flag).default("on").unique(),
    D::new("set_base32_alphabet", "set_misc", HA | HTTP_SIF | HTTP_LIF, TAKE1).default("0123456789abcdefghijklmnopqrstuv").unique(),
    // --- ngx_http_geoip2_module / ngx_stream_geoip2_module ---
    D::new("geoip2", "geoip2", HTTP, BLOCK | TAKE1),
    D::new("geoip2_proxy", "geoip2", HTTP, TAKE1).list(),
    D::new("geoip2_proxy_recursive", "geoip2", HTTP, FLAG).value(Value::Flag).default("off").unique(),
    D::new("geoip2", "geoip2", STREAM, BLOCK | TAKE1),
    // --- ngx_cache_purge ---
    D::new("proxy_cache_purge", "cache_purge", HA, ONE_MORE).unique(),
    D::new("fastcgi_cache_purge", "cache_purge", HA, ONE_MORE).unique(),
    D::new("scgi_cache_purge", "cache_purge", HA, ONE_MORE).unique(),
    D::new("uwsgi_cache_purge", "cache_purge", HA, ONE_MORE).unique(),
    D::new("cache_purge_response_type", "cache_purge", HA, TAKE1).value(Value::Enum(&["html", "json", "xml", "text"])).default("html").unique(),
    // --- NGINX Plus (http) ---
    D::new("sticky", "nginx_plus", HTTP_UPS, ONE_MORE).not_inherited(),
    D::new("health_check", "nginx_plus", HTTP_LOC, ANY).not_inherited(),
    D::new("status_zone", "nginx_plus", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1).unique().not_inherited(),
    D::new("api", "nginx_plus", HTTP_LOC, NOARGS | TAKE1).unique().not_inherited(),
    D::new("state", "nginx_plus", HTTP_UPS, TAKE1).unique().not_inherited(),
    D::new("queue", "nginx_plus", HTTP_UPS, TAKE12).unique().not_inherited(),
    D::new("ntlm", "nginx_plus", HTTP_UPS, NOARGS).not_inherited(),
    D::new("least_time", "nginx_plus", HTTP_UPS, TAKE12).not_inherited(),
    D::new("match", "nginx_plus", HTTP, BLOCK | TAKE1),
    D::new("keyval", "nginx_plus", HTTP, TAKE3).not_inherited(),
    D::new("keyval_zone", "nginx_plus", HTTP, ONE_MORE).not_inherited(),
    D::new("status", "nginx_plus", HTTP_LOC, NOARGS).not_inherited(),
    D::new("status_format", "nginx_plus", HA, TAKE12).unique(),
    D::new("upstream_conf", "nginx_plus", HTTP_LOC, NOARGS).not_inherited(),
    D::new("auth_jwt", "nginx_plus", HAI, TAKE12).default("off").unique(),
    D::new("auth_jwt_key_file", "nginx_plus", HAI, TAKE1).list(),
    D::new("auth_jwt_key_request", "nginx_plus", HAI, TAKE1).list(),
    D::new("auth_jwt_claim_set", "nginx_plus", HTTP, TWO_MORE).not_inherited(),
    D::new("auth_jwt_header_set", "nginx_plus", HTTP, TWO_MORE).not_inherited(),
    D::new("auth_jwt_leeway", "nginx_plus", HA, TAKE1).value(Value::Sec).default("0s").unique(),
    D::new("auth_jwt_type", "nginx_plus", HA, TAKE1).value(Value::Enum(&["signed", "encrypted", "nested"])).default("signed").unique(),
    D::new("auth_jwt_require", "nginx_plus", HAI, ONE_MORE).list(),
    D::new("auth_jwt_key_cache", "nginx_plus", HA, TAKE1).default("0").unique(),
    // --- NGINX Plus (stream) ---
    D::new("health_check", "nginx_plus", STREAM_SRV, ANY).not_inherited(),
    D::new("health_check_timeout", "nginx_plus", SS, TAKE1).value(Value::Msec).default("5s").unique(),
    D::new("status_zone", "nginx_plus", STREAM_SRV, TAKE1).unique().not_inherited(),
    D::new("match", "nginx_plus", STREAM, BLOCK | TAKE1),
    D::new("state", "nginx_plus", STREAM_UPS, TAKE1).unique().not_inherited(),
    D::new("least_time", "nginx_plus", STREAM_UPS, TAKE12).not_inherited(),
    D::new("keyval", "nginx_plus", STREAM, TAKE3).not_inherited(),
    D::new("keyval_zone", "nginx_plus", STREAM, ONE_MORE).not_inherited(),
    D::new("zone_sync", "nginx_plus", STREAM_SRV, NOARGS).not_inherited(),
    D::new("zone_sync_buffers", "nginx_plus", SS, TAKE2).default("8 4k|8k").unique(),
    D::new("zone_sync_connect_retry_interval", "nginx_plus", SS, TAKE1).value(Value::Msec).default("1s").unique(),
    D::new("zone_sync_connect_timeout", "nginx_plus", SS, TAKE1).value(Value::Msec).default("5s").unique(),
    D::new("zone_sync_interval", "nginx_plus", SS, TAKE1).value(Value::Msec).default("1s").unique(),
    D::new("zone_sync_recv_buffer_size", "nginx_plus", SS, TAKE1).value(Value::Size).default("4k|8k").unique(),
    D::new("zone_sync_server", "nginx_plus", SS, TAKE12).unique(),
    D::new("zone_sync_timeout", "nginx_plus", SS, TAKE1).value(Value::Msec).default("5s").unique(),
    D::new("zone_sync_ssl", "nginx_plus", SS, FLAG).value(Value::Flag).default("off").unique(),
    D::new("zone_sync_ssl_certificate", "nginx_plus", SS, TAKE1).unique(),
    D::new("zone_sync_ssl_certificate_key", "nginx_plus", SS, TAKE1).unique(),
    D::new("zone_sync_ssl_ciphers", "nginx_plus", SS, TAKE1).default("DEFAULT").unique(),
    D::new("zone_sync_ssl_conf_command", "nginx_plus", SS, TAKE2).list(),
    D::new("zone_sync_ssl_crl", "nginx_plus", SS, TAKE1).unique(),
    D::new("zone_sync_ssl_name", "nginx_plus", SS, TAKE1).unique(),
    D::new("zone_sync_ssl_password_file", "nginx_plus", SS, TAKE1).unique(),
    D::new("zone_sync_ssl_protocols", "nginx_plus", SS, ONE_MORE).value(TLS).default("TLSv1.2 TLSv1.3"),
    D::new("zone_sync_ssl_server_name", "nginx_plus", SS, FLAG).value(Value::Flag).default("off").unique(),
    D::new("zone_sync_ssl_trusted_certificate", "nginx_plus", SS, TAKE1).unique(),
    D::new("zone_sync_ssl_verify", "nginx_plus", SS, FLAG).value(Value::Flag).default("off").unique(),
    D::new("zone_sync_ssl_verify_depth", "nginx_plus", SS, TAKE1).value(Value::Number).default("1").unique(),
    // --- ModSecurity-nginx ---
    D::new("modsecurity", "modsecurity", HA, FLAG).value(Value::Flag).default("off").unique(),
    D::new("modsecurity_rules", "modsecurity", HA, TAKE1).list(),
    D::new("modsecurity_rules_file", "modsecurity", HA, TAKE1).list(),
    D::new("modsecurity_rules_remote", "modsecurity", HA, TAKE2).list(),
    D::new("modsecurity_transaction_id", "modsecurity", HA, TAKE1).unique(),
    D::new("modsecurity_use_error_log", "modsecurity", HA, FLAG).value(Value::Flag).default("on").unique(),
    // --- opentelemetry-cpp-contrib (otel_ngx_module) ---
    D::new("opentelemetry", "opentelemetry", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("opentelemetry_config", "opentelemetry", HTTP, TAKE1).unique(),
    D::new("opentelemetry_operation_name", "opentelemetry", HA, TAKE1).unique(),
    D::new("opentelemetry_propagate", "opentelemetry", HA, NOARGS | TAKE1).unique(),
    D::new("opentelemetry_attribute", "opentelemetry", HA, TAKE2).list(),
    D::new("opentelemetry_trust_incoming_spans", "opentelemetry", HA, FLAG).value(Value::Flag).default("on").unique(),
    D::new("opentelemetry_capture_headers", "opentelemetry", HA, FLAG).value(Value::Flag).default("off").unique(),
    D::new("opentelemetry_sensitive_header_names", "opentelemetry", HA, TAKE1).unique(),
    D::new("opentelemetry_sensitive_header_values", "opentelemetry", HA, TAKE1).unique(),
    D::new("opentelemetry_ignore_paths", "opentelemetry", HA, TAKE1).unique(),
    // --- ngx_mruby ---
    D::new("mruby_init", "mruby", HTTP, TAKE12).unique(),
    D::new("mruby_init_code", "mruby", HTTP, TAKE1).unique(),
    D::new("mruby_init_worker", "mruby", HTTP, TAKE12).unique(),
    D::new("mruby_init_worker_code", "mruby", HTTP, TAKE1).unique(),
    D::new("mruby_exit_worker", "mruby", HTTP, TAKE12).unique(),
    D::new("mruby_exit_worker_code", "mruby", HTTP, TAKE1).unique(),
    D::new("mruby_post_read_handler", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_post_read_handler_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_server_rewrite_handler", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_server_rewrite_handler_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_rewrite_handler", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_rewrite_handler_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_access_handler", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_access_handler_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_content_handler", "mruby", HAI, TAKE12).unique().not_inherited(),
    D::new("mruby_content_handler_code", "mruby", HAI, TAKE1).unique().not_inherited(),
    D::new("mruby_log_handler", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_log_handler_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_output_filter", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_output_filter_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_output_header_filter", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_output_header_filter_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_output_body_filter", "mruby", HAI, TAKE12).unique(),
    D::new("mruby_output_body_filter_code", "mruby", HAI, TAKE1).unique(),
    D::new("mruby_set", "mruby", SETC, TAKE23).not_inherited(),
    D::new("mruby_set_code", "mruby", SETC, TAKE2).not_inherited(),
    D::new("mruby_add_handler", "mruby", HA, FLAG).value(Value::Flag).default("off").unique(),
    D::new("mruby_ssl_handshake_handler", "mruby", HTTP_SRV, TAKE12).unique(),
    D::new("mruby_ssl_handshake_handler_code", "mruby", HTTP_SRV, TAKE1).unique(),
    // --- nginx-upload-progress-module ---
    D::new("upload_progress", "upload_progress", HTTP, TAKE2).not_inherited(),
    D::new("track_uploads", "upload_progress", HTTP_LOC, TAKE2).not_inherited(),
    D::new("report_uploads", "upload_progress", HTTP_LOC, TAKE1).not_inherited(),
    D::new("upload_progress_content_type", "upload_progress", HA, TAKE1).default("text/javascript").unique(),
    D::new("upload_progress_header", "upload_progress", HA, TAKE1).default("X-Progress-ID").unique(),
    D::new("upload_progress_jsonp_parameter", "upload_progress", HA, TAKE1).default("callback").unique(),
    D::new("upload_progress_json_output", "upload_progress", HA, NOARGS),
    D::new("upload_progress_jsonp_output", "upload_progress", HA, NOARGS),
    D::new("upload_progress_java_output", "upload_progress", HA, NOARGS),
    D::new("upload_progress_template", "upload_progress", HA, TAKE2).list(),
    // --- nginx-http-auth-digest ---
    D::new("auth_digest", "auth_digest", HAI, TAKE1).unique(),
    D::new("auth_digest_user_file", "auth_digest", HA, TAKE1).unique(),
    D::new("auth_digest_timeout", "auth_digest", HA, TAKE1).value(Value::Sec).default("60s").unique(),
    D::new("auth_digest_expires", "auth_digest", HA, TAKE1).value(Value::Sec).default("10s").unique(),
    D::new("auth_digest_replays", "auth_digest", HA, TAKE1).value(Value::Number).default("20").unique(),
    D::new("auth_digest_evasion_time", "auth_digest", HA, TAKE1).value(Value::Sec).default("300s").unique(),
    D::new("auth_digest_maxtries", "auth_digest", HA, TAKE1).value(Value::Number).default("5").unique(),
    D::new("auth_digest_drop_time", "auth_digest", HA, TAKE1).value(Value::Sec).default("300s").unique(),
    D::new("auth_digest_shm_size", "auth_digest", HTTP, TAKE1).value(Value::Size).default("4096k").unique(),
    // --- ngx_http_auth_pam_module (Debian's libnginx-mod-http-auth-pam; its
    // `ngx_http_auth_pam_commands`) ---
    D::new("auth_pam", "auth_pam", HA | HTTP_LMT, TAKE1).unique(),
    D::new("auth_pam_service_name", "auth_pam", HA | HTTP_LMT, TAKE1).unique(),
    D::new("auth_pam_set_pam_env", "auth_pam", HA | HTTP_LMT, FLAG).value(Value::Flag).unique(),
    // --- nginx_upstream_check_module (also Tengine) ---
    D::new("check", "upstream_check", HTTP_UPS, ONE_MORE).unique().not_inherited(),
    D::new("check_keepalive_requests", "upstream_check", HTTP_UPS, TAKE1).value(Value::Number).default("1").unique().not_inherited(),
    D::new("check_http_send", "upstream_check", HTTP_UPS, TAKE1).unique().not_inherited(),
    D::new("check_http_expect_alive", "upstream_check", HTTP_UPS, ONE_MORE).not_inherited(),
    D::new("check_fastcgi_param", "upstream_check", HTTP_UPS, TAKE2).not_inherited(),
    D::new("check_shm_size", "upstream_check", HTTP, TAKE1).value(Value::Size).default("1M").unique(),
    D::new("check_status", "upstream_check", HTTP_LOC, NOARGS | TAKE1).not_inherited(),
    // --- nginx-upsync-module ---
    D::new("upsync", "upsync", HTTP_UPS, ONE_MORE).unique().not_inherited(),
    D::new("upsync_dump_path", "upsync", HTTP_UPS, TAKE1).unique().not_inherited(),
    D::new("upsync_lb", "upsync", HTTP_UPS, TAKE1).unique().not_inherited(),
    D::new("upstream_show", "upsync", HTTP_LOC, NOARGS).not_inherited(),
    // --- ngx_pagespeed ---
    D::new("pagespeed", "pagespeed", HA | HTTP_LIF, ONE_MORE).list(),
    // --- 3scale APIcast's OpenResty build ---
    D::new("keepalive_pool", "apicast", HTTP_UPS, TAKE1).unique().not_inherited(),
    // --- nginx-rtmp-module (arut/nginx-rtmp-module at 6c7719d, ngx_rtmp.c and
    // ngx_rtmp_auto_push_module.c): its main-level directives; what `rtmp { }` holds is the
    // module's own (an unknown block, not checked), as Debian's `libnginx-mod-rtmp` and images
    // that build it in read it (held-out batch 203, tiangolo's nginx-rtmp image) ---
    D::new("rtmp", "rtmp", MAIN, BLOCK | NOARGS).unique(),
    D::new("rtmp_auto_push", "rtmp", MAIN, TAKE1).value(Value::Flag).default("off").unique(),
    D::new("rtmp_auto_push_reconnect", "rtmp", MAIN, TAKE1).default("100ms").unique(),
    D::new("rtmp_socket_dir", "rtmp", MAIN, TAKE1).unique(),
    // Its HTTP handlers (ngx_rtmp_stat_module.c, ngx_rtmp_control_module.c): statistics and
    // the control API (held-out batch 208, nlive's `/stat` and `/control`).
    D::new("rtmp_stat", "rtmp", HA, ONE_MORE),
    D::new("rtmp_stat_stylesheet", "rtmp", HA, TAKE1),
    D::new("rtmp_control", "rtmp", HA, ONE_MORE),
    // --- nchan (ngx_nchan_module): translated from its generated command table,
    // src/nchan_config_commands.c at 9c6909d0 (nchan 1.3.7); two entries the table lists twice kept once ---
    D::new("nchan_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_pubsub_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_publisher_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_pub_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_publisher_upstream_request", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_deflate_message_for_websocket", "nchan", HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_channel_id_split_delimiter", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_subscriber_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_sub_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_pubsub", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6),
    D::new("nchan_pubsub_location", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6),
    D::new("nchan_subscriber_info", "nchan", HTTP_LOC, NOARGS),
    D::new("nchan_subscriber_info_string", "nchan", HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_longpoll_multipart_response", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_eventsource_event", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_eventsource_ping_comment", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_eventsource_ping_event", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_eventsource_ping_data", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_eventsource_ping_interval", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_subscriber", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5),
    D::new("push_subscriber", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5),
    D::new("nchan_subscriber_location", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5),
    D::new("nchan_subscriber_compound_etag_message_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_subscriber_message_id_custom_etag_header", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_subscriber_last_message_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5),
    D::new("nchan_subscriber_http_raw_stream_separator", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_subscriber_first_message", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_websocket_ping_interval", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_websocket_client_heartbeat", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE2),
    D::new("nchan_publisher", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2),
    D::new("push_publisher", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2),
    D::new("nchan_publisher_location", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, NOARGS | TAKE1 | TAKE2),
    D::new("nchan_subscriber_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("push_subscriber_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_authorize_request", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_subscribe_request", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_unsubscribe_request", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_message_temp_path", "nchan", HTTP, TAKE1),
    D::new("nchan_store_messages", "nchan", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("push_store_messages", "nchan", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_shared_memory_size", "nchan", HTTP, TAKE1),
    D::new("push_max_reserved_memory", "nchan", HTTP, TAKE1),
    D::new("nchan_max_reserved_memory", "nchan", HTTP, TAKE1),
    D::new("nchan_permessage_deflate_compression_level", "nchan", HTTP, TAKE1),
    D::new("nchan_permessage_deflate_compression_strategy", "nchan", HTTP, TAKE1),
    D::new("nchan_permessage_deflate_compression_window", "nchan", HTTP, TAKE1),
    D::new("nchan_permessage_deflate_compression_memlevel", "nchan", HTTP, TAKE1),
    D::new("nchan_redis_url", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_pass", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_pass_inheritable", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_publish_msgpacked_max_size", "nchan", HTTP, TAKE1),
    D::new("nchan_redis_discovered_ip_range_blacklist", "nchan", HTTP_UPS, TAKE1 | TAKE2 | TAKE3 | TAKE4 | TAKE5 | TAKE6 | TAKE7),
    D::new("nchan_redis_server", "nchan", HTTP_UPS, TAKE1 | TAKE2),
    D::new("nchan_redis_storage_mode", "nchan", HTTP | HTTP_SRV | HTTP_UPS | HTTP_LOC, TAKE1),
    D::new("nchan_redis_nostore_fastpublish", "nchan", HTTP | HTTP_SRV | HTTP_UPS, TAKE1),
    D::new("nchan_redis_username", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_password", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_client_certificate", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls_client_certificate", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_client_certificate_key", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_server_name", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls_server_name", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_trusted_certificate", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls_trusted_certificate", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_trusted_certificate_path", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls_trusted_certificate_path", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_ciphers", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls_ciphers", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_ssl_verify_certificate", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_tls_verify_certificate", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_use_redis", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_ping_interval", "nchan", HTTP | HTTP_SRV | HTTP_UPS | HTTP_LOC, TAKE1),
    D::new("nchan_redis_load_scripts_unconditionally", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_accurate_subscriber_count", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_wait_after_connecting", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_connect_timeout", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_node_connect_timeout", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_connect_timeout", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_max_failing_time", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_reconnect_delay", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_reconnect_delay_min", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_reconnect_delay_jitter", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_reconnect_delay_backoff", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_reconnect_delay_max", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_idle_channel_keepalive_safety_margin", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_idle_channel_keepalive_min", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_idle_channel_keepalive_jitter", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_idle_channel_keepalive_backoff", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_idle_channel_keepalive_max", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_check_interval_min", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_check_interval", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_check_interval_jitter", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_check_interval_backoff", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_check_interval_max", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_recovery_delay", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_recovery_delay_min", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_recovery_delay_jitter", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_recovery_delay_backoff", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_cluster_recovery_delay_max", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_command_timeout", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_retry_commands", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_retry_commands_max_wait", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_subscribe_weights", "nchan", HTTP_UPS, TAKE1 | TAKE2),
    D::new("nchan_redis_optimize_target", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_namespace", "nchan", HTTP | HTTP_SRV | HTTP_UPS | HTTP_LOC, TAKE1),
    D::new("nchan_redis_fakesub_timer_interval", "nchan", HTTP, TAKE1),
    D::new("nchan_redis_idle_channel_cache_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_upstream_stats", "nchan", HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_redis_upstream_stats_enabled", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_redis_upstream_stats_disconnected_timeout", "nchan", HTTP_UPS, TAKE1),
    D::new("nchan_message_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_message_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_message_buffer_length", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_max_message_buffer_length", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_message_buffer_length", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_message_max_buffer_length", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_subscribe_existing_channels_only", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_authorized_channels_only", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_access_control_allow_origin", "nchan", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_access_control_allow_credentials", "nchan", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_channel_group", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("push_channel_group", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_channel_group_accounting", "nchan", HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_group_location", "nchan", HTTP_LOC, NOARGS | TAKE1 | TAKE2 | TAKE3),
    D::new("nchan_group_max_channels", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_group_max_messages", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_group_max_messages_memory", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_group_max_messages_disk", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_group_max_subscribers", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_channel_events_channel_id", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_stub_status", "nchan", HTTP_LOC, NOARGS),
    D::new("nchan_channel_event_string", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("nchan_max_channel_id_length", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_max_channel_id_length", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_max_channel_subscribers", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_max_channel_subscribers", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_channel_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_channel_timeout", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_storage_engine", "nchan", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("nchan_benchmark", "nchan", HTTP_LOC, NOARGS),
    D::new("nchan_benchmark_time", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_benchmark_messages_per_channel_per_minute", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_benchmark_message_padding_bytes", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_benchmark_channels", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_benchmark_subscribers_per_channel", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_benchmark_subscriber_distribution", "nchan", HTTP_LOC, TAKE1),
    D::new("nchan_benchmark_publisher_distribution", "nchan", HTTP_LOC, TAKE1),
    D::new("push_min_message_buffer_length", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("push_subscriber_concurrency", "nchan", HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    // --- nginx-push-stream-module (ngx_http_push_stream_module): its `ngx_command_t` table,
    // src/ngx_http_push_stream_module_setup.c at 085a3b1f; pub/sub over SSE, WebSocket and long
    // polling, built in with `--add-module` (held-out batch 269: two projects' configurations) ---
    D::new("push_stream_channels_statistics", "push_stream", HTTP_LOC, NOARGS),
    D::new("push_stream_publisher", "push_stream", HTTP_LOC, NOARGS | TAKE1),
    D::new("push_stream_subscriber", "push_stream", HTTP_LOC, NOARGS | TAKE1),
    D::new("push_stream_shared_memory_size", "push_stream", HTTP, TAKE1),
    D::new("push_stream_channel_deleted_message_text", "push_stream", HTTP, TAKE1),
    D::new("push_stream_channel_inactivity_time", "push_stream", HTTP, TAKE1),
    D::new("push_stream_ping_message_text", "push_stream", HTTP, TAKE1),
    D::new("push_stream_message_ttl", "push_stream", HTTP, TAKE1),
    D::new("push_stream_max_subscribers_per_channel", "push_stream", HTTP, TAKE1),
    D::new("push_stream_max_messages_stored_per_channel", "push_stream", HTTP, TAKE1),
    D::new("push_stream_max_channel_id_length", "push_stream", HTTP, TAKE1),
    D::new("push_stream_max_number_of_channels", "push_stream", HTTP, TAKE1),
    D::new("push_stream_max_number_of_wildcard_channels", "push_stream", HTTP, TAKE1),
    D::new("push_stream_wildcard_channel_prefix", "push_stream", HTTP, TAKE1),
    D::new("push_stream_channel_id", "push_stream", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("push_stream_channels_path", "push_stream", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, TAKE1),
    D::new("push_stream_store_messages", "push_stream", HTTP | HTTP_SRV | HTTP_LOC | HTTP_LIF, FLAG),
    D::new("push_stream_channel_info_on_publish", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, FLAG),
    D::new("push_stream_authorized_channels_only", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, FLAG),
    D::new("push_stream_header_template", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_message_template", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_footer_template", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_wildcard_channel_max_qtd", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_ping_message_interval", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_subscriber_connection_ttl", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_longpolling_connection_ttl", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_websocket_allow_publish", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, FLAG),
    D::new("push_stream_last_received_message_time", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_last_received_message_tag", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_last_event_id", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_user_agent", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_padding_by_user_agent", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    D::new("push_stream_allowed_origins", "push_stream", HTTP | HTTP_SRV | HTTP_LOC, TAKE1),
    // --- nginx-vod-module (ngx_http_vod_module) ---
    D::new("vod", "vod", HTTP_LOC, TAKE1),
    D::new("vod_mode", "vod", HTTP_ALL, TAKE1),
    D::new("vod_status", "vod", HTTP_LOC, NOARGS).not_inherited(),
    D::new("vod_multi_uri_suffix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_segment_duration", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    D::new("vod_live_window_duration", "vod", HTTP_ALL, TAKE1),
    D::new("vod_bootstrap_segment_durations", "vod", HTTP_ALL, TAKE1).list(),
    D::new("vod_align_segments_to_key_frames", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_gop_look_ahead", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    D::new("vod_gop_look_behind", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    D::new("vod_segment_count_policy", "vod", HTTP_ALL, TAKE1),
    D::new("vod_manifest_duration_policy", "vod", HTTP_ALL, TAKE1).value(Value::Enum(&["max", "min"])).unique(),
    D::new("vod_manifest_segment_durations_mode", "vod", HTTP_ALL, TAKE1),
    D::new("vod_force_playlist_type_vod", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_force_continuous_timestamps", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_force_sequence_index", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_secret_key", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_encryption_iv_seed", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_base_url", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_segments_base_url", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_metadata_cache", "vod", HTTP_ALL, TAKE123),
    D::new("vod_response_cache", "vod", HTTP_ALL, TAKE123),
    D::new("vod_live_response_cache", "vod", HTTP_ALL, TAKE123),
    D::new("vod_initial_read_size", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(),
    D::new("vod_max_metadata_size", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(),
    D::new("vod_max_frames_size", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(),
    D::new("vod_max_frame_count", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    D::new("vod_segment_max_frame_count", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    D::new("vod_cache_buffer_size", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(),
    D::new("vod_ignore_edit_list", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_parse_hdlr_name", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_parse_udta_name", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_max_upstream_headers_size", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(),
    D::new("vod_upstream_location", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_remote_upstream_location", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_upstream_extra_args", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_mapping_cache", "vod", HTTP_ALL, TAKE123),
    D::new("vod_live_mapping_cache", "vod", HTTP_ALL, TAKE123),
    D::new("vod_dynamic_mapping_cache", "vod", HTTP_ALL, TAKE123),
    D::new("vod_path_response_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_path_response_postfix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_max_mapping_response_size", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(),
    D::new("vod_notification_uri", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_dynamic_clip_map_uri", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_source_clip_map_uri", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_redirect_segments_url", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_media_set_map_uri", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_apply_dynamic_mapping", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_media_set_override_json", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_fallback_upstream_location", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_proxy_header_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_proxy_header_value", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_expires", "vod", HTTP_ALL, TAKE1).value(Value::Sec).unique(),
    D::new("vod_expires_live", "vod", HTTP_ALL, TAKE1).value(Value::Sec).unique(),
    D::new("vod_expires_live_time_dependent", "vod", HTTP_ALL, TAKE1).value(Value::Sec).unique(),
    D::new("vod_last_modified", "vod", HTTP_ALL, TAKE1),
    D::new("vod_last_modified_types", "vod", HTTP_ALL, ONE_MORE).list(),
    D::new("vod_drm_enabled", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot; only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_drm_single_key", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot; only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_drm_clear_lead_segment_count", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_drm_max_info_length", "vod", HTTP_ALL, TAKE1).value(Value::Size).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_drm_upstream_location", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_drm_info_cache", "vod", HTTP_ALL, TAKE123), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_drm_request_uri", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_min_single_nalu_per_frame_segment", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_clip_to_param_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_clip_from_param_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_tracks_param_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_time_shift_param_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_speed_param_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_lang_param_name", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_performance_counters", "vod", HTTP_ALL, TAKE1),
    D::new("vod_output_buffer_pool", "vod", HTTP_ALL, TAKE2),
    D::new("vod_open_file_thread_pool", "vod", HTTP_ALL, NOARGS | TAKE1), // only built with (NGX_THREADS)
    // (ngx_http_vod_dash_commands.h)
    D::new("vod_dash_absolute_manifest_urls", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_dash_init_mp4_pssh", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_dash_manifest_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_dash_profiles", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_dash_init_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_dash_fragment_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_dash_subtitle_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_dash_manifest_format", "vod", HTTP_ALL, TAKE1).value(Value::Enum(&["segmentlist", "segmenttemplate", "segmenttimeline"])).unique(),
    D::new("vod_dash_subtitle_format", "vod", HTTP_ALL, TAKE1).value(Value::Enum(&["webvtt", "smpte-tt"])).unique(),
    D::new("vod_dash_duplicate_bitrate_threshold", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    D::new("vod_dash_write_playready_kid", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_dash_use_base_url_tag", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    // (ngx_http_vod_hds_commands.h)
    D::new("vod_hds_absolute_manifest_urls", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hds_manifest_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hds_fragment_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hds_generate_moof_atom", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    // (ngx_http_vod_hls_commands.h)
    D::new("vod_hls_encryption_method", "vod", HTTP_ALL, TAKE1).value(Value::Enum(&["none", "aes-128", "sample-aes", "sample-aes-cenc"])).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_hls_encryption_key_file_name", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_hls_encryption_key_uri", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_hls_encryption_key_format", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_hls_encryption_key_format_versions", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_hls_encryption_output_iv", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot; only built with (NGX_HAVE_OPENSSL_EVP)
    D::new("vod_hls_container_format", "vod", HTTP_ALL, TAKE1).value(Value::Enum(&["auto", "mpegts", "fmp4"])).unique(),
    D::new("vod_hls_absolute_master_urls", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_absolute_index_urls", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_absolute_iframe_urls", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_master_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hls_index_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hls_output_iframes_playlist", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_iframes_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hls_segment_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hls_init_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hls_mpegts_interleave_frames", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_mpegts_align_frames", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_mpegts_output_id3_timestamps", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_mpegts_id3_data", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_hls_mpegts_align_pts", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    D::new("vod_hls_force_unmuxed_segments", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot
    // (ngx_http_vod_mss_commands.h)
    D::new("vod_mss_manifest_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(),
    D::new("vod_mss_duplicate_bitrate_threshold", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(),
    // (ngx_http_vod_thumb_commands.h)
    D::new("vod_thumb_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_LIB_AV_CODEC)
    D::new("vod_thumb_accurate_positioning", "vod", HTTP_ALL, TAKE1).value(Value::Flag).unique(), // C: NGX_CONF_TAKE1 with ngx_conf_set_flag_slot; only built with (NGX_HAVE_LIB_AV_CODEC)
    // (ngx_http_vod_volume_map_commands.h)
    D::new("vod_volume_map_file_name_prefix", "vod", HTTP_ALL, TAKE1).unique(), // only built with (NGX_HAVE_LIB_AV_CODEC)
    D::new("vod_volume_map_interval", "vod", HTTP_ALL, TAKE1).value(Value::Number).unique(), // only built with (NGX_HAVE_LIB_AV_CODEC)
    // --- nginx-secure-token-module (ngx_http_secure_token_filter_module) ---
    D::new("secure_token", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_avoid_cookies", "secure_token", HTTP_ALL, FLAG).value(Value::Flag).unique(),
    D::new("secure_token_tokenize_segments", "secure_token", HTTP_ALL, FLAG).value(Value::Flag).unique(),
    D::new("secure_token_types", "secure_token", HTTP_ALL, ONE_MORE).list(),
    D::new("secure_token_uri_filename_prefix", "secure_token", HTTP_ALL, TAKE1).list(),
    D::new("secure_token_expires_time", "secure_token", HTTP_ALL, TAKE1).value(Value::Sec).unique(),
    D::new("secure_token_cookie_token_expires_time", "secure_token", HTTP_ALL, TAKE1).value(Value::Sec).unique(),
    D::new("secure_token_query_token_expires_time", "secure_token", HTTP_ALL, TAKE1).value(Value::Sec).unique(),
    D::new("secure_token_cache_scope", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_token_cache_scope", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_last_modified", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_token_last_modified", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_content_type_m3u8", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_content_type_mpd", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_content_type_f4m", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_akamai", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_broadpeak", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_cdnvideo", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_chinacache", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_cht", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_cloudfront", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_iijpta", "secure_token", HTTP, BLOCK | TAKE1),
    D::new("secure_token_encrypt_uri", "secure_token", HTTP_ALL, FLAG).value(Value::Flag).unique(),
    D::new("secure_token_encrypt_uri_key", "secure_token", HTTP_ALL, TAKE1),
    D::new("secure_token_encrypt_uri_iv", "secure_token", HTTP_ALL, TAKE1),
    D::new("secure_token_encrypt_uri_part", "secure_token", HTTP_ALL, TAKE1).unique(),
    D::new("secure_token_encrypt_uri_hash_size", "secure_token", HTTP_ALL, TAKE1).value(Value::Size).unique(),
];

#[cfg(test)]
mod tests {
    use super::super::{Merge, args, lookup};
    use super::*;

    fn find(name: &str, ctx: u32) -> &'static D {
        super::super::tests::find_in(DIRECTIVES, name, ctx)
    }

    #[test]
    fn shapes_are_consistent() {
        for d in DIRECTIVES {
            assert!(
                d.contexts != 0 && d.args != 0 && !d.module.is_empty(),
                "{}",
                d.name
            );
            if d.name.ends_with("_by_lua") || d.name.ends_with("_by_lua_file") {
                assert!(!d.is_block(), "{}", d.name);
            }
            if d.module == "lua" || (d.module == "njs" && d.contexts & HTTP_ALL != 0) {
                assert_eq!(
                    d.contexts & (STREAM | STREAM_SRV | STREAM_UPS | MAIN),
                    0,
                    "{}",
                    d.name
                );
            }
            if d.module == "stream_lua" {
                assert_eq!(
                    d.contexts & !(STREAM | STREAM_SRV | STREAM_UPS),
                    0,
                    "{}",
                    d.name
                );
            }
        }
    }

    /// Every third-party name is known to the index, with this table's specs after nginx's.
    #[test]
    fn indexed() {
        for d in DIRECTIVES {
            assert!(
                lookup(d.name.as_bytes())
                    .iter()
                    .any(|s| std::ptr::eq(*s, d)),
                "{}",
                d.name
            );
        }
    }

    #[test]
    fn spot_checks() {
        let s = find("set_by_lua_block", HTTP_LOC);
        assert_eq!(s.args, BLOCK | TAKE1);
        assert!(args::accepts(s.args, 1));
        assert_eq!(
            find("content_by_lua_block", HTTP_LOC).contexts,
            HTTP_LOC | HTTP_LIF
        );
        assert_eq!(
            find("content_by_lua_block", STREAM_SRV).module,
            "stream_lua"
        );
        assert_eq!(find("balancer_by_lua_block", HTTP_UPS).contexts, HTTP_UPS);
        assert_eq!(find("lua_shared_dict", HTTP).args, TAKE2);
        assert_eq!(find("js_access", STREAM_SRV).module, "njs");
        assert!(args::accepts(find("js_import", HTTP).args, 3));
        assert!(!args::accepts(find("js_import", HTTP).args, 2));
        assert_eq!(find("brotli_types", HTTP_LOC).merge, Merge::List);
        assert_eq!(find("more_set_headers", HTTP_LIF).merge, Merge::List);
        assert!(find("geoip2", HTTP).is_block());
        assert!(find("geoip2", STREAM).is_block());
        assert_eq!(find("sticky", HTTP_UPS).module, "nginx_plus");
        assert_eq!(find("health_check", STREAM_SRV).args, ANY);
        assert!(args::accepts(find("echo", HTTP_LOC).args, 0));
        assert_eq!(find("lua_code_cache", HTTP_LIF).value, Value::Flag);
    }
}
