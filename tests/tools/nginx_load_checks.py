#!/usr/bin/env python3
"""Write docs/nginx-load-checks.md: every NGX_LOG_EMERG in nginx's configuration-time code
(src/core, src/event, src/http, src/stream, src/mail) with the ngxlint rule covering it, or why
it is left out.

Usage: nginx_load_checks.py NGINX_SOURCE_DIR NGINX_COMMIT > docs/nginx-load-checks.md
(NGINX_SOURCE_DIR: a checkout or `git archive` of github.com/nginx/nginx.)
"""
import os
import re
import sys

ROOT, COMMIT = sys.argv[1], sys.argv[2]

# (file suffix[#function], message regex, rule): what ngxlint covers. A row matches the first
# entry whose file suffix ends the row's path (and names its function, if given) and whose regex
# matches the start of the row's message.
COVERED = [
    ("core/ngx_conf_file.c", r"unexpected|directive \\\"%s\\\" is not terminated|directive \\\"%s\\\" has no opening|too long parameter", "syntax-error"),
    ("core/ngx_conf_file.c", r"\\\"%s\\\" directive is not allowed here", "invalid-context"),
    ("core/ngx_conf_file.c", r"unknown directive", "unknown-directive"),
    ("core/ngx_conf_file.c", r"invalid number of arguments", "invalid-arguments"),
    ("core/ngx_conf_file.c", r"\\\"%s\\\" directive %s", "duplicate-directive, invalid-arguments, load-module-too-late"),
    ("core/ngx_conf_file.c", r"invalid value", "invalid-arguments"),
    ("core/ngx_conf_file.c", r"value must be between", "value-out-of-range"),
    ("core/ngx_conf_file.c", r"block directives are not supported in -g", "syntax-error"),
    ("http/ngx_http.c", r"duplicate location", "duplicate-location"),
    ("http/ngx_http.c", r"a duplicate listen|duplicate listen options|a duplicate default server", "duplicate-listen"),
    ("http/ngx_http_upstream.c", r"duplicate upstream", "duplicate-upstream"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_add", r"upstream \\\"%V\\\" may not have port %d", "upstream-with-port"),
    ("http/ngx_http_core_module.c#ngx_http_core_listen", r"invalid (parameter|backlog|rcvbuf|sndbuf|fastopen) \\\"%V|invalid ipv6only flags", "invalid-listen"),
    ("http/modules/ngx_http_map_module.c", r"conflicting parameter|duplicate default map parameter", "duplicate-map-key"),
    ("stream/ngx_stream_map_module.c", r"conflicting parameter|duplicate default map parameter", "duplicate-map-key"),
    ("stream/ngx_stream_upstream.c", r"duplicate upstream", "duplicate-upstream"),
    ("http/ngx_http_core_module.c", r"location \\\"%V\\\" (is outside|cannot be inside)|named location \\\"%V\\\" can be", "location-outside-parent"),
    ("http/ngx_http_core_module.c#ngx_http_core_server_name", r"server name \\\"%V\\\" is invalid|empty regex in server name", "invalid-server-name"),
    ("http/modules/ngx_http_split_clients_module.c", r"invalid percent value|percent total is greater", "invalid-split-clients"),
    ("stream/ngx_stream_split_clients_module.c", r"invalid percent value|percent total is greater", "invalid-split-clients"),
    ("http/modules/ngx_http_rewrite_module.c", r"invalid condition|unexpected \\\"%V\\\" in condition", "invalid-if-condition"),
    ("http/ngx_http_variables.c", r"%V$", "invalid-regex"),
    ("http/ngx_http_variables.c#ngx_http_add_variable", r"the duplicate", "duplicate-variable"),
    ("http/modules/ngx_http_proxy_module.c", r"\\\"proxy_pass\\\" cannot have URI part", "proxy-pass-uri-forbidden"),
    ("core/ngx_resolver.c", r"%s in resolver", "invalid-resolver"),
    ("http/modules/ngx_http_geo_module.c", r"invalid network", "invalid-geo"),
    ("stream/ngx_stream_geo_module.c", r"invalid network", "invalid-geo"),
    ("http/ngx_http_upstream_round_robin.c", r"no port in upstream", "no-port-in-upstream"),
    ("http/modules/ngx_http_ssl_module.c", r"no \\\"ssl_certificate\\\" is defined for the \\\"listen", "ssl-certificate-missing"),
    ("event/ngx_event_openssl.c#ngx_ssl_ciphers", r"SSL_CTX_set_cipher_list", "ssl-ciphers-no-match"),
    ("http/modules/ngx_http_log_module.c", r"duplicate \\\"log_format\\\" name", "duplicate-log-format"),
    ("stream/ngx_stream_log_module.c", r"duplicate \\\"log_format\\\" name", "duplicate-log-format"),
    ("http/modules/ngx_http_log_module.c", r"unknown log format \\\"%V", "unknown-log-format"),
    ("core/ngx_cycle.c", r"zero size shared memory zone", "unknown-zone"),
    ("core/ngx_cycle.c#ngx_shared_memory_add", r"the shared memory zone|the size %uz of shared memory zone", "duplicate-zone"),
    ("http/ngx_http_file_cache.c", r"duplicate zone", "duplicate-zone"),
    ("http/modules/ngx_http_limit_(conn|req)_module.c", r"%V \\\"%V\\\" is already bound", "duplicate-zone"),
    ("http/modules/ngx_http_(proxy|fastcgi|uwsgi|scgi)_module.c", r"\\\"(proxy|fastcgi|uwsgi|scgi)_cache\\\" zone", "unknown-zone"),
    ("http/ngx_http_variables.c", r"unknown \\\"%V\\\" variable", "undefined-variable"),
    # --- main-address ---
    ("core/ngx_syslog.c", r"%s in syslog server", "invalid-address"),
    ("http/ngx_http_core_module.c#ngx_http_core_listen", r"%s in \\\"%V\\\" of the \\\"listen", "invalid-address"),
    ("stream/ngx_stream_core_module.c#ngx_stream_core_listen", r"%s in \\\"%V\\\" of the \\\"listen", "invalid-address"),
    ("mail/ngx_mail_core_module.c#ngx_mail_core_listen", r"%s in \\\"%V\\\" of the \\\"listen", "invalid-address"),
    ("http/ngx_http_upstream.c", r"%s in upstream \\\"%V\\\"$", "invalid-address"),
    ("stream/ngx_stream_upstream.c", r"%s in upstream \\\"%V\\\"$", "invalid-address"),
    ("stream/ngx_stream_pass_module.c", r"%s in \\\"%V\\\" of the \\\"pass", "invalid-address"),
    ("mail/ngx_mail_auth_http_module.c", r"%s in auth_http", "invalid-address"),
    # --- main-address ---
    # --- lc-http-values ---
    ("http/ngx_http_file_cache.c#ngx_http_file_cache_set_slot", r"invalid|keys zone|\\\"%V\\\" must have \\\"keys_zone", "invalid-parameter"),
    ("http/ngx_http_file_cache.c#ngx_http_file_cache_valid_set_slot", r"invalid (time value|status)", "invalid-parameter"),
    ("http/modules/ngx_http_limit_(req|conn)_module.c", r"invalid (zone size|rate|parameter|burst value|delay value|number of connections)|zone \\\"%V\\\" is too small|\\\"%V\\\" must have \\\"zone|connection limit must be less", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_core_error_page", r"invalid value|value \\\"%V\\\" must be between", "invalid-parameter"),
    ("http/modules/ngx_http_rewrite_module.c", r"invalid return code|invalid parameter|empty replacement|invalid variable name", "invalid-parameter"),
    ("http/modules/ngx_http_try_files_module.c", r"invalid code", "invalid-parameter"),
    ("http/modules/ngx_http_headers_filter_module.c#ngx_http_headers_add", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_log_module.c#ngx_http_log_set_log", r"invalid (parameter|buffer size|flush time|compression level)", "invalid-parameter"),
    ("http/modules/ngx_http_log_module.c#ngx_http_log_open_file_cache", r"invalid \\\"open_log_file_cache\\\"|\\\"open_log_file_cache\\\" must have", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_core_open_file_cache", r"invalid \\\"open_file_cache\\\"|\\\"open_file_cache\\\" must have", "invalid-parameter"),
    ("http/modules/ngx_http_access_module.c", r"invalid parameter", "invalid-parameter"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_server", r"route is|service is empty|invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_(map|geo|split_clients|auth_request)_module.c", r"invalid variable name", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_core_location", r"invalid location modifier", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_core_limit_except", r"invalid method", "invalid-parameter"),
    ("http/modules/ngx_http_proxy_module.c", r"invalid URL prefix", "invalid-parameter"),
    ("http/modules/ngx_http_proxy_module.c#ngx_http_proxy_redirect", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_proxy_module.c#ngx_http_proxy_cookie_domain", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_proxy_module.c#ngx_http_proxy_cookie_path", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_proxy_module.c#ngx_http_proxy_cookie_flags", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_(proxy|fastcgi|uwsgi|scgi)_module.c", r"empty path", "invalid-parameter"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_param_set_slot", r"invalid parameter", "invalid-parameter"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_bind_set_slot", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_upstream_keepalive_module.c", r"invalid (value|parameter)", "invalid-parameter"),
    ("http/modules/ngx_http_upstream_(hash|random)_module.c", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_upstream_zone_module.c", r"invalid zone|zone \\\"%V\\\" is too small", "invalid-parameter"),
    ("http/modules/ngx_http_index_module.c", r"index \\\"%V\\\" in", "invalid-parameter"),
    ("http/modules/ngx_http_sub_filter_module.c", r"empty search pattern", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_disable_symlinks", r"invalid parameter|\\\"%V\\\" must have", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_core_pool_size", r"the pool size", "invalid-parameter"),
    ("http/modules/ngx_http_map_module.c#ngx_http_map", r"invalid number of the map parameters", "invalid-parameter"),
    ("http/modules/ngx_http_fastcgi_module.c#ngx_http_fastcgi_split_path_info", r"%V$|pattern \\\"%V\\\" must have 2 captures", "invalid-parameter"),
    ("http/modules/ngx_http_geo_module.c#ngx_http_geo", r"the \\\"ranges\\\" directive must be|invalid number of the geo parameters", "invalid-parameter"),
    ("http/modules/ngx_http_referer_module.c#ngx_http_valid_referers", r"invalid referer", "invalid-parameter"),
    ("http/modules/ngx_http_referer_module.c#ngx_http_add_regex_referer", r"empty regex|%V$", "invalid-parameter"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_server", r"balancing method does not support parameter", "invalid-parameter"),
    ("http/v2/ngx_http_v2_module.c#ngx_http_v2_preread_size", r"the maximum body preread buffer size", "invalid-parameter"),
    ("http/ngx_http_core_module.c#ngx_http_core_merge_srv_conf", r"the \\\"large_client_header_buffers\\\" size must be", "invalid-buffer-sizes"),
    ("http/ngx_http_core_module.c#ngx_http_core_listen", r"invalid so_keepalive value", "invalid-listen"),
    ("http/ngx_http_core_module.c#ngx_http_gzip_disable", r"%V$", "invalid-parameter"),
    ("http/modules/ngx_http_upstream_least_time_module.c", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_geo_module.c#ngx_http_geo_range", r"invalid range", "invalid-parameter"),
    ("http/modules/ngx_http_(map|referer)_module.c", r"invalid hostname or wildcard", "invalid-parameter"),
    ("http/modules/ngx_http_(proxy|fastcgi|uwsgi|scgi)_module.c", r"there must be at least 2|\\\"(proxy|fastcgi|uwsgi|scgi)_(busy_buffers_size|temp_file_write_size|max_temp_file_size)\\\" must be", "invalid-buffer-sizes"),
    # --- lc-http-values ---
    # --- lc-relations ---
    ("http/ngx_http_core_module.c#ngx_http_core_root", r"\\\"%V\\\" directive is duplicate|the \\\"alias\\\" directive cannot|the \$(document|realpath)_root variable", "invalid-root-alias"),
    ("http/modules/ngx_http_log_module.c#ngx_http_log_set_log", r"no buffer is defined|buffered logs cannot|logs to syslog cannot|access_log \\\"%V\\\" already defined", "access-log-buffer"),
    ("http/modules/ngx_http_proxy_module.c#ngx_http_proxy_redirect", r"\\\"proxy_redirect default\\\"", "proxy-redirect-default"),
    ("http/ngx_http_upstream.c#ngx_http_upstream", r"no servers are inside upstream", "upstream-no-servers"),
    ("http/ngx_http_upstream_round_robin.c#ngx_http_upstream_init_round_robin", r"no servers in upstream", "upstream-no-servers"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_server", r"service upstream", "upstream-resolve"),
    ("http/ngx_http_upstream_round_robin.c#ngx_http_upstream_init_round_robin", r"no resolver defined|resolving names at run time requires", "upstream-resolve"),
    ("core/ngx_hash.c#ngx_hash_init", r"could not build %s, (you should increase %s_(max_size|bucket_size): %i|too large)", "map-hash, server-names-hash"),
    ("core/ngx_file.c#ngx_add_path", r"the same path name \\\"%V\\\" (used in|in %s:%ui has the different levels)", "duplicate-cache-path"),
    ("http/modules/ngx_http_secure_link_module.c", r"\\\"secure_link_secret\\\" cannot be mixed", "secure-link-mixed"),
    ("http/modules/ngx_http_charset_filter_module.c", r"duplicate \\\"charset_map\\\"|no \\\"charset_map\\\" between", "charset-map"),
    ("http/modules/ngx_http_referer_module.c#ngx_http_add_referer", r"conflicting parameter", "duplicate-referer"),
    ("http/modules/ngx_http_upstream_sticky_module.c#ngx_http_upstream_sticky", r"unknown parameter", "invalid-sticky"),
    ("http/modules/ngx_http_upstream_sticky_module.c#ngx_http_upstream_sticky_cookie", r"unknown parameter", "invalid-sticky"),
    ("http/modules/ngx_http_upstream_sticky_module.c#ngx_http_upstream_sticky_learn", r"unknown parameter|sticky zone \\\"%V\\\" is already used", "invalid-sticky"),
    ("http/ngx_http_core_module.c#ngx_http_disable_symlinks", r"duplicate parameters|\\\"from=\\\" cannot be used", "incompatible-settings"),
    # --- lc-relations ---
    # --- lc-stream-core ---
    ("stream/ngx_stream.c", r"a duplicate listen|duplicate listen options|a duplicate default server", "duplicate-listen"),
    ("mail/ngx_mail_core_module.c", r"duplicate \\\"%V\\\" address and port pair", "duplicate-listen"),
    ("stream/ngx_stream_core_module.c#ngx_stream_core_listen", r"invalid (fastopen|backlog|rcvbuf|sndbuf) \\\"%V|invalid ipv6only flags|invalid so_keepalive value|invalid parameter \\\"%V", "invalid-listen"),
    ("mail/ngx_mail_core_module.c#ngx_mail_core_listen", r"invalid (backlog|rcvbuf|sndbuf) \\\"%V|invalid ipv6only flags|invalid so_keepalive value|invalid parameter \\\"%V", "invalid-listen"),
    ("stream/ngx_stream_core_module.c", r"no \\\"listen\\\" is defined for server", "listen-missing"),
    ("mail/ngx_mail_core_module.c", r"no \\\"listen\\\" is defined for server", "listen-missing"),
    ("mail/ngx_mail_core_module.c", r"unknown mail protocol for server|unknown protocol \\\"%V", "mail-server-incomplete"),
    ("mail/ngx_mail_auth_http_module.c", r"no \\\"auth_http\\\" is defined for server", "mail-server-incomplete"),
    ("core/ngx_log.c#ngx_log_set_levels", r"duplicate log level|invalid log level", "invalid-log-level"),
    ("core/ngx_syslog.c", r"no syslog server specified|duplicate syslog|unknown syslog|syslog tag length exceeds|syslog \\\"tag\\\" only allows", "invalid-syslog"),
    ("event/ngx_event.c#ngx_event_init_conf", r"no \\\"events\\\" section", "events-missing"),
    ("stream/ngx_stream_upstream.c#ngx_stream_upstream_server", r"no port in upstream", "no-port-in-upstream"),
    ("stream/ngx_stream_upstream_round_robin.c", r"no port in upstream", "no-port-in-upstream"),
    ("stream/ngx_stream_upstream.c#ngx_stream_upstream_add", r"upstream \\\"%V\\\" may not have port", "upstream-with-port"),
    ("stream/ngx_stream_log_module.c", r"unknown log format \\\"%V|log format is not specified", "unknown-log-format"),
    ("core/ngx_resolver.c", r"invalid parameter: %V|\\\"ipv4\\\" and \\\"ipv6\\\" cannot both|no name servers defined", "invalid-resolver"),
    ("core/nginx.c#ngx_set_cpu_affinity", r"invalid number of arguments|\\\"worker_cpu_affinity\\\" supports up to|invalid character", "invalid-cpu-affinity"),
    ("core/ngx_thread_pool.c", r"unknown thread pool|duplicate thread pool|invalid (threads|max_queue) value|\\\"%V\\\" must have \\\"threads\\\"", "invalid-thread-pool"),
    ("core/ngx_module.c#ngx_add_module", r"module \\\"%s\\\" is already loaded", "duplicate-load-module"),
    ("stream/ngx_stream_variables.c#ngx_stream_add_variable", r"the duplicate", "duplicate-variable"),
    ("stream/ngx_stream_variables.c", r"unknown \\\"%V\\\" variable", "undefined-variable"),
    ("stream/ngx_stream_variables.c", r"%V$", "invalid-regex"),
    ("stream/ngx_stream_limit_conn_module.c", r"%V \\\"%V\\\" is already bound", "duplicate-zone"),
    ("stream/ngx_stream_core_module.c#ngx_stream_core_server_name", r"server name \\\"%V\\\" is invalid|empty regex in server name", "invalid-server-name"),
    ("event/ngx_event.c#ngx_event_connections", r"invalid number", "invalid-arguments"),
    ("core/ngx_file.c#ngx_conf_set_access_slot", r"invalid value", "invalid-arguments"),
    ("stream/ngx_stream.c#ngx_stream_server_names", r"invalid server name or wildcard", "invalid-server-name"),
    ("http/ngx_http.c#ngx_http_server_names", r"invalid server name or wildcard", "invalid-server-name"),
    ("event/ngx_event.c#ngx_event_use", r"invalid event type", "invalid-arguments"),
    ("stream/ngx_stream_access_module.c", r"invalid parameter", "invalid-parameter"),
    ("stream/ngx_stream_limit_conn_module.c", r"invalid (zone size|parameter|number of connections)|zone \\\"%V\\\" is too small|\\\"%V\\\" must have \\\"zone|connection limit must", "invalid-parameter"),
    ("stream/ngx_stream_(map|geo|split_clients|set)_module.c", r"invalid variable name", "invalid-parameter"),
    ("stream/ngx_stream_upstream_zone_module.c", r"invalid zone|zone \\\"%V\\\" is too small", "invalid-parameter"),
    ("stream/ngx_stream_upstream_(hash|random)_module.c", r"invalid parameter", "invalid-parameter"),
    ("stream/ngx_stream_log_module.c#ngx_stream_log_open_file_cache", r"invalid \\\"open_log_file_cache\\\"|\\\"open_log_file_cache\\\" must have", "invalid-parameter"),
    ("stream/ngx_stream_map_module.c#ngx_stream_map", r"invalid number of the map parameters|invalid hostname or wildcard", "invalid-parameter"),
    ("stream/ngx_stream_geo_module.c#ngx_stream_geo", r"the \\\"ranges\\\" directive must be|invalid number of the geo parameters", "invalid-parameter"),
    ("stream/ngx_stream_geo_module.c#ngx_stream_geo_range", r"invalid range", "invalid-parameter"),
    ("stream/ngx_stream_upstream.c#ngx_stream_upstream_server", r"service is empty|invalid parameter|balancing method does not support parameter", "invalid-parameter"),
    ("stream/ngx_stream_log_module.c#ngx_stream_log_set_log", r"invalid (parameter|buffer size|flush time|compression level)", "invalid-parameter"),
    ("stream/ngx_stream_proxy_module.c#ngx_stream_proxy_bind", r"invalid parameter", "invalid-parameter"),
    ("stream/ngx_stream_upstream.c#ngx_stream_upstream", r"no servers are inside upstream", "upstream-no-servers"),
    ("stream/ngx_stream_upstream_round_robin.c#ngx_stream_upstream_init_round_robin", r"no servers in upstream", "upstream-no-servers"),
    # --- lc-stream-core ---
    # --- lc-rest ---
    ("stream/ngx_stream_log_module.c#ngx_stream_log_set_log", r"no buffer is defined|buffered logs cannot|logs to syslog cannot|access_log \\\"%V\\\" already defined", "access-log-buffer"),
    ("stream/ngx_stream_upstream.c#ngx_stream_upstream_server", r"service upstream", "upstream-resolve"),
    ("stream/ngx_stream_upstream_round_robin.c#ngx_stream_upstream_init_round_robin", r"no resolver defined|resolving names at run time requires", "upstream-resolve"),
    ("http/modules/ngx_http_log_module.c#ngx_http_log_compile_format", r"unknown log format escaping|the closing bracket|invalid parameter", "invalid-parameter"),
    ("stream/ngx_stream_log_module.c#ngx_stream_log_compile_format", r"unknown log format escaping|the closing bracket|invalid parameter", "invalid-parameter"),
    ("http/v2/ngx_http_v2_module.c#ngx_http_v2_chunk_size", r"the http2 chunk size cannot be zero", "invalid-parameter"),
    ("http/modules/ngx_http_browser_module.c#ngx_http_modern_browser", r"unknown browser name|invalid browser version", "invalid-parameter"),
    # The sockets are the config's `listen` lines (not the machine's): decidable offline.
    ("event/ngx_event.c#ngx_event_init_conf", r"%ui worker_connections are not enough", "incompatible-settings"),
    ("http/modules/ngx_http_geo_module.c#ngx_http_geo_add_range", r"range \\\"%V\\\" overlaps", "invalid-parameter"),
    ("stream/ngx_stream_geo_module.c#ngx_stream_geo_add_range", r"range \\\"%V\\\" overlaps", "invalid-parameter"),
    ("http/modules/ngx_http_charset_filter_module.c#ngx_http_charset_map_block", r"\\\"charset_map\\\" (between the same|with \\\"utf-8)", "charset-map"),
    ("http/modules/ngx_http_charset_filter_module.c#ngx_http_charset_map", r"invalid (parameters number|value)", "charset-map"),
    ("http/ngx_http_core_module.c#ngx_http_core_type", r"invalid number of arguments in \\\"include\\\"", "invalid-arguments"),
    ("stream/ngx_stream_upstream_least_time_module.c", r"invalid parameter", "invalid-parameter"),
    ("http/modules/ngx_http_referer_module.c#ngx_http_referer_merge_conf", r"the \\\"none\\\" or \\\"blocked\\\" referers", "invalid-parameter"),
    # --- lc-rest ---
    # --- lc-modules ---
    # Dynamic modules nginx-light lacks: judged with Debian's libnginx-mod-http-image-filter,
    # libnginx-mod-http-geoip and libnginx-mod-stream-geoip; degradation on a HEAD build.
    ("http/modules/ngx_http_image_filter_module.c", r"invalid (parameter|value) \\\"%V", "invalid-parameter"),
    ("http/modules/ngx_http_geoip_module.c", r"invalid parameter \\\"%V", "invalid-parameter"),
    ("http/modules/ngx_http_geoip_module.c#ngx_http_geoip_cidr_value", r"invalid network \\\"%V", "invalid-parameter"),
    ("stream/ngx_stream_geoip_module.c", r"invalid parameter \\\"%V", "invalid-parameter"),
    ("http/modules/ngx_http_degradation_module.c#ngx_http_degradation", r"invalid (sbrk size|parameter) \\\"%V", "invalid-parameter"),
    # --- lc-modules ---
    # --- lc-final ---
    ("(http/ngx_http|stream/ngx_stream)_script.c", r"the closing bracket in \\\"%V\\\" variable is missing|invalid variable name$", "invalid-variable"),
    ("http/ngx_http_variables.c#ngx_http_add_variable", r"invalid variable name \\\"\$\\\"", "invalid-variable"),
    ("http/ngx_http_variables.c#ngx_http_get_variable_index", r"invalid variable name \\\"\$\\\"", "invalid-variable"),
    ("stream/ngx_stream_variables.c#ngx_stream_add_variable", r"invalid variable name \\\"\$\\\"", "invalid-variable"),
    ("stream/ngx_stream_variables.c#ngx_stream_get_variable_index", r"invalid variable name \\\"\$\\\"", "invalid-variable"),
    ("http/modules/ngx_http_upstream_sticky_module.c#ngx_http_upstream_sticky", r"invalid variable name \\\"%V", "invalid-sticky"),
    ("http/ngx_http_upstream.c#ngx_http_upstream_bind_set_slot", r"invalid address", "invalid-parameter"),
    ("stream/ngx_stream_proxy_module.c#ngx_stream_proxy_bind", r"invalid address", "invalid-parameter"),
    ("http/modules/ngx_http_sub_filter_module.c#ngx_http_sub_filter", r"number of search patterns exceeds 255", "invalid-parameter"),
    ("core/ngx_log.c#ngx_log_set_log", r"invalid buffer size", "invalid-log-level"),
    ("http/v2/ngx_http_v2_module.c#ngx_http_v2_pool_size", r"the pool size must be", "invalid-parameter"),
    ("core/ngx_file.c#ngx_add_path", r"the path name \\\"%V\\\" in %s:%ui has the same name as default path", "duplicate-cache-path"),
    # --- lc-final ---
]

# --- lc-final ---
# (file suffix[#function], message regex, reason): rows left out for a reason the generic
# `reason()` below cannot tell from the message, each checked against its source line.
LEFT_OUT = [
    # Build or OS features (`#if (NGX_HAVE_SETFIB)`, `NGX_HAVE_KEEPALIVE_TUNABLE`,
    # `NGX_HAVE_FILE_AIO`, `NGX_THREADS`, `NGX_PCRE`, `NGX_FREEBSD`, `NGX_DEBUG`, `NGX_ZLIB`, an
    # event module): the message is the `#else` branch of a build without them.
    ("(http|stream|mail)/ngx_(http|stream|mail)_core_module.c", r"invalid setfib|the \\\"so_keepalive\\\" parameter accepts only", "platform"),
    ("http/ngx_http_core_module.c#ngx_http_core_set_aio", r"\\\"aio (on|threads)\\\" is unsupported on this platform", "platform"),
    ("http/ngx_http_core_module.c#ngx_http_gzip_disable", r"without PCRE library", "platform"),
    ("http/(ngx_http_core_module|modules/ngx_http_(proxy|fastcgi|tunnel)_module).c", r"\\\"\w*send_lowat\\\" must be less than", "platform"),
    ("core/ngx_log.c#ngx_log_set_log", r"nginx was built without debug support", "platform"),
    ("(http/modules/ngx_http|stream/ngx_stream)_log_module.c", r"nginx was built without zlib support", "platform"),
    ("event/ngx_event.c#ngx_event_core_init_conf", r"no events module found", "platform"),
    # Two of the build's default temporary paths (`configure --http-*-temp-path=`) alike,
    # with different levels: every configuration with a `server` fails on that build.
    ("core/ngx_file.c#ngx_add_path", r"the default path name", "platform"),
    # `resolve` with a balancer whose flags lack NGX_HTTP_UPSTREAM_MODIFY: every balancer of
    # nginx sets it (hash, ip_hash, least_conn, least_time, random, and the `upstream` block's
    # round robin; `sticky` keeps the one before it; since 1.27.3, commit db6870e06, when
    # `resolve` came), so only a third-party balancing module of the build reaches this line
    # (checked on nginx 1.31.5 built from 3f6f7824d: each of them takes `resolve`).
    ("(http/ngx_http|stream/ngx_stream)_upstream_round_robin.c", r"load balancing method does not support resolving names", "platform"),
    # The module file's content (`load_module`) and a key file's size: the deploying machine.
    ("core/ngx_module.c#ngx_add_module", r"too many modules loaded|module \\\"%V\\\" (version|is not binary compatible)", "system"),
    ("http/v3/ngx_http_v3_module.c#ngx_http_quic_host_key", r"\\\"%V\\\" zero key size", "system"),
    # `use` compared with the running configuration's event method, single-process only.
    ("event/ngx_event.c#ngx_event_use", r"when the server runs without a master process", "reload"),
    # Deleting a network the tree has just found: fails only if the tree is broken.
    ("(http/modules/ngx_http|stream/ngx_stream)_geo_module.c", r"invalid radix tree", "internal"),
    # No `ngx_conf_num_bounds_t` of nginx has `high == -1` (gzip_comp_level 1..9,
    # limit_req_status/limit_conn_status 400..599, uwsgi_modifier1/2 0..255): unreachable.
    ("core/ngx_conf_file.c#ngx_conf_check_num_bounds", r"value must be equal to or greater than", "internal"),
    # The string a block's entry handler (`cf->handler`: types, map, geo, split_clients,
    # charset_map, http and stream) returns: each logs its own message and returns
    # NGX_CONF_ERROR (or OK, or an include's result), never a string, so this line is
    # unreachable. Directive handlers' strings ("is duplicate", "invalid value") are logged by
    # `ngx_conf_handler` (the `"%s" directive %s` row).
    ("core/ngx_conf_file.c#ngx_conf_parse", r"%s$", "internal"),
]
# --- lc-final ---

OUT = "left out"
REASONS = {
    "openssl": "OpenSSL: depends on the OpenSSL build and on certificate, key or ticket files on the deploying machine",
    "system": "system: a system call, file, socket, user or kernel feature of the running machine (cannot be decided offline)",
    "address": "DNS: a name nginx looks up when it starts (`ngx_inet_resolve_host`, or the upstream's servers resolved by round robin): \"host not found\" depends on the machine's DNS (cannot be decided offline); the syntax errors of these addresses are `invalid-address`'s",
    "platform": "platform: a module or event method of another platform, or one the nginx build lacks (nginx-light's modules, PCRE, HTTP/2, HTTP/3); or a feature of the build or OS the message says is missing (`setfib`, `so_keepalive` timings, `aio`, debug, zlib, FreeBSD's `sendspace` sysctl for `*_send_lowat`, a build with no event module, two of the build's default temporary paths alike, a third-party balancing module that cannot re-resolve `server ... resolve` names)",
    "reload": "reload: compares a shared memory zone (or, without a master process, the `use` event method) with the one of the configuration nginx runs (on reload); `nginx -t` and a fresh start have none, so they never raise it",
    "internal": "internal: raised by modules' own built-in tables (variables, SSI commands), whatever the configuration says, or unreachable: a geo radix tree that fails to delete a network it has just found, a lower bound no directive uses (`ngx_conf_check_num_bounds` with no upper bound), a message string no block handler returns (`ngx_conf_parse`'s `%s`)",
    "value": "not covered yet: an argument or value check of one directive",
    "relation": "not covered yet: a relation between directives (duplicates, references, incompatible settings)",
}


def reason(path, func, call, msg):
    for f, rx, why in LEFT_OUT:
        files, _, fn = f.partition("#")
        if re.search(files + "$", path) and (not fn or fn == func) and re.match(rx, msg):
            return why
    if call == "ngx_ssl_error" or "openssl" in path or re.search(r"ssl|SSL|OCSP|certificate|ticket|cipher|ECH", msg + func):
        return "openssl"
    if re.search(r"(quic|bpf|win32|devpoll|eventport|kqueue|select_module|perl|iocp|/poll)", path) or "not supported on this platform" in msg or "is not available on this platform" in msg:
        return "platform"
    if re.search(r"requires PCRE library|requires ngx_http_v[23]_module", msg):
        return "platform"
    # lc-modules: the type of the GeoIP database file GeoIP_open() read (a country database
    # given to geoip_city): the file on the deploying machine decides.
    if re.match(r"invalid GeoIP (City )?database", msg):
        return "system"
    if "binary geo range base" in msg:
        return "system"
    if re.match(r"unknown browser name|unknown log format escaping|the http2 chunk size cannot be zero", msg):
        return "value"
    if re.search(r"while previously|had previously", msg):
        return "reload"
    if func in ("ngx_http_add_prefix_variable", "ngx_stream_add_prefix_variable", "ngx_http_ssi_preconfiguration") or msg.startswith("conflicting variable name"):
        return "internal"
    if msg.startswith("%s in ") or msg.startswith("%s of ") or "host not found" in msg:
        return "address"
    if (
        msg.startswith(" ")
        or re.search(r"\bfailed\b|getpwnam|getgrnam|bind\(|setsockopt|chmod|chown|mkdir|open\(|socket|could not|fd:|environment", msg)
        or func in ("ngx_reopen_files", "ngx_open_listening_sockets", "ngx_close_listening_sockets", "ngx_create_paths", "ngx_init_zone_pool")
    ):
        return "system"
    if re.search(r"^value must be|^invalid", msg):
        return "value"
    if re.search(r"duplicate|conflict|unknown|^no |is incompatible|previously|requires|already|may not|cannot|is used|not found|defined", msg):
        return "relation"
    return "value"


def rows():
    out = []
    for d in ["src/core", "src/event", "src/http", "src/stream", "src/mail"]:
        for dp, _, fn in sorted(os.walk(os.path.join(ROOT, d))):
            for f in sorted(fn):
                if not f.endswith(".c"):
                    continue
                p = os.path.join(dp, f)
                rel = os.path.relpath(p, os.path.join(ROOT, "src"))
                lines = open(p, encoding="latin-1").read().split("\n")
                func = "?"
                for i, l in enumerate(lines):
                    m = re.match(r"^([a-z_0-9]+)\(", l)
                    if m:
                        func = m.group(1)
                    if "NGX_LOG_EMERG" not in l:
                        continue
                    text, j = "", i
                    while j < len(lines) and j < i + 12:
                        text += lines[j] + "\n"
                        if re.search(r"\);\s*$", lines[j]):
                            break
                        j += 1
                    k = i
                    while k > i - 3 and not re.search(r"ngx_\w+\s*\(", lines[k]):
                        k -= 1
                    cm = re.search(r"(ngx_\w+)\s*\(", lines[k])
                    call = cm.group(1) if cm else "?"
                    msg = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', text))
                    out.append((rel, i + 1, func, call, msg))
    return out


def main():
    table = []
    counts = {"covered": 0}
    for k in REASONS:
        counts[k] = 0
    for rel, line, func, call, msg in rows():
        rule = next(
            (
                r
                for f, rx, r in COVERED
                if re.search(f.split("#")[0] + "$", rel)
                and ("#" not in f or f.split("#")[1] == func)
                and re.match(rx, msg)
            ),
            None,
        )
        if rule:
            counts["covered"] += 1
            verdict = ", ".join(f"[`{r}`](../rules/{r}.md)" for r in rule.split(", "))
        else:
            why = reason(rel, func, call, msg)
            counts[why] += 1
            verdict = f"left out ({why})"
        shown = msg.replace("\\\"", '"').replace("|", "\\|").strip() or "(message built elsewhere)"
        table.append(f"| `{rel}:{line}` | `{func}` | `{shown}` | {verdict} |")
    total = len(table)
    print(f"""# nginx's load-time checks and ngxlint

Every `NGX_LOG_EMERG` nginx can raise while it reads and loads a configuration (`src/core`,
`src/event`, `src/http`, `src/stream`, `src/mail` of nginx at commit `{COMMIT}`,
1.31.x), with the ngxlint rule that reports it in nginx's words, or why it is left out.
Generated by `tests/tools/nginx_load_checks.py` from nginx's source; `tests/docs.rs` checks that
the README's counts are this table's.

Each covered rule's fixtures are judged by the real `nginx -t` (same first message, same line),
and reference checks (zones, log formats, upstreams, certificates) stay silent on fragments and
with missing includes, since what they look for may be defined where the linter cannot see.

## Counts

| | checks |
|---|---:|
| found | {total} |
| covered by a rule | {counts['covered']} |""")
    # A reason no row has any more (the "not covered yet" ones) is not shown.
    for k, v in REASONS.items():
        if counts[k]:
            print(f"| left out ({k}) | {counts[k]} |")
    print("""
Reasons for leaving a check out:
""")
    for k, v in REASONS.items():
        if counts[k]:
            print(f"- **{k}**: {v}.")
    print("""
A row is one `NGX_LOG_EMERG` call site; a covered row may be covered for the common forms only
(each rule's page says which). Messages with `%s`/`%V` are filled in by nginx at run time.

Not load-time checks, so not in this table: a named location that does not exist in
`error_page` or `try_files` (`nginx -t` accepts `try_files $uri @nowhere;`; nginx looks it up per
request and logs "could not find named location"), and nginx's warnings (`[warn]`), which do not
stop it; of those, [`duplicate-type-extension`](../rules/duplicate-type-extension.md) and
[`duplicate-geo-network`](../rules/duplicate-geo-network.md) report `duplicate extension` and
`duplicate network` (the later line silently wins), and
[`balancer-redefined`](../rules/balancer-redefined.md) `load balancing method redefined` (what
came before is dropped), as warnings.

## Checks

| source | function | message | ngxlint |
|---|---|---|---|""")
    print("\n".join(table))


main()
