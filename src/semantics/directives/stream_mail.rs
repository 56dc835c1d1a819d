//! Stream (`src/stream/*.c`) and mail (`src/mail/*.c`) modules.
//!
//! Names repeat across http, stream and mail (`server`, `listen`, `proxy_pass`, `map`,
//! `ssl_certificate`...): one entry per module, told apart by context. `error_log` in `stream{}`
//! and `mail{}` is the stream/mail core module's own directive (the top-level one is in `core`).
use super::{DirectiveSpec as D, Value, args::*, ctx::*};

const SSL_PROTOCOLS: Value =
    Value::Bitmask(&["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]);
const SSL_VERIFY: Value = Value::Enum(&["off", "on", "optional", "optional_no_ca"]);
const LOG_LEVELS: Value = Value::Enum(&["info", "notice", "warn", "error"]);
/// `proxy_protocol on|off|v2` (1.31.4; a flag before, see [`super::VALUE_HISTORY`]).
const PROXY_PROTOCOL: Value = Value::Enum(&["off", "on", "v2"]);
const SS: u32 = STREAM_ALL;
const MS: u32 = MAIL_ALL;

#[rustfmt::skip]
pub static DIRECTIVES: &[D] = &[
    // --- ngx_stream_core_module ---
    D::new("variables_hash_max_size", "stream_core", STREAM, TAKE1).value(Value::Number).default("1024").unique().since(1, 11, 2),
    D::new("variables_hash_bucket_size", "stream_core", STREAM, TAKE1).value(Value::Number).default("64").unique().since(1, 11, 2),
    D::new("server_names_hash_max_size", "stream_core", STREAM, TAKE1).value(Value::Number).default("512").unique().since(1, 25, 5),
    D::new("server_names_hash_bucket_size", "stream_core", STREAM, TAKE1).value(Value::Number).default("32|64|128").unique().since(1, 25, 5),
    D::new("server", "stream_core", STREAM, BLOCK | NOARGS).since(1, 9, 0),
    D::new("listen", "stream_core", STREAM_SRV, ONE_MORE).not_inherited().since(1, 9, 0),
    D::new("server_name", "stream_core", STREAM_SRV, ONE_MORE).default("\"\"").not_inherited().since(1, 25, 5),
    D::new("error_log", "stream_core", SS, ONE_MORE).default("logs/error.log error").list().since(1, 9, 0),
    D::new("resolver", "stream_core", SS, ONE_MORE).unique().since(1, 11, 3),
    D::new("resolver_timeout", "stream_core", SS, TAKE1).value(Value::Msec).default("30s").unique().since(1, 11, 3),
    D::new("proxy_protocol_timeout", "stream_core", SS, TAKE1).value(Value::Msec).default("30s").unique().since(1, 11, 4),
    D::new("tcp_nodelay", "stream_core", SS, FLAG).value(Value::Flag).default("on").unique().since(1, 9, 4),
    D::new("preread_buffer_size", "stream_core", SS, TAKE1).value(Value::Size).default("16k").unique().since(1, 11, 5),
    D::new("preread_timeout", "stream_core", SS, TAKE1).value(Value::Msec).default("30s").unique().since(1, 11, 5),
    // --- ngx_stream_proxy_module ---
    D::new("proxy_pass", "stream_proxy", STREAM_SRV, TAKE1).unique().not_inherited().since(1, 9, 0),
    D::new("proxy_bind", "stream_proxy", SS, TAKE12).unique().since(1, 9, 2),
    D::new("proxy_socket_keepalive", "stream_proxy", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 15, 6),
    D::new("proxy_connect_timeout", "stream_proxy", SS, TAKE1).value(Value::Msec).default("60s").unique().since(1, 9, 0),
    D::new("proxy_timeout", "stream_proxy", SS, TAKE1).value(Value::Msec).default("10m").unique().since(1, 9, 0),
    D::new("proxy_buffer_size", "stream_proxy", SS, TAKE1).value(Value::Size).default("16k").unique().since(1, 9, 4),
    D::new("proxy_downstream_buffer", "stream_proxy", SS, TAKE1).value(Value::Size).default("16k").unique().since(1, 9, 0),
    D::new("proxy_upstream_buffer", "stream_proxy", SS, TAKE1).value(Value::Size).default("16k").unique().since(1, 9, 0),
    D::new("proxy_upload_rate", "stream_proxy", SS, TAKE1).default("0").unique().since(1, 9, 3),
    D::new("proxy_download_rate", "stream_proxy", SS, TAKE1).default("0").unique().since(1, 9, 3),
    D::new("proxy_requests", "stream_proxy", SS, TAKE1).value(Value::Number).default("0").unique().since(1, 15, 7),
    D::new("proxy_responses", "stream_proxy", SS, TAKE1).value(Value::Number).unique().since(1, 9, 13),
    D::new("proxy_next_upstream", "stream_proxy", SS, FLAG).value(Value::Flag).default("on").unique().since(1, 9, 0),
    D::new("proxy_next_upstream_tries", "stream_proxy", SS, TAKE1).value(Value::Number).default("0").unique().since(1, 9, 0),
    D::new("proxy_next_upstream_timeout", "stream_proxy", SS, TAKE1).value(Value::Msec).default("0").unique().since(1, 9, 0),
    D::new("proxy_protocol", "stream_proxy", SS, TAKE1).value(PROXY_PROTOCOL).default("off").unique().since(1, 9, 2),
    D::new("proxy_half_close", "stream_proxy", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 21, 4),
    D::new("proxy_ssl", "stream_proxy", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 9, 0),
    D::new("proxy_ssl_session_reuse", "stream_proxy", SS, FLAG).value(Value::Flag).default("on").unique().since(1, 9, 0),
    D::new("proxy_ssl_protocols", "stream_proxy", SS, ONE_MORE).value(SSL_PROTOCOLS).default("TLSv1.2 TLSv1.3").since(1, 9, 0),
    D::new("proxy_ssl_ciphers", "stream_proxy", SS, TAKE1).default("DEFAULT").unique().since(1, 9, 0),
    D::new("proxy_ssl_name", "stream_proxy", SS, TAKE1).default("host from proxy_pass").unique().since(1, 9, 0),
    D::new("proxy_ssl_server_name", "stream_proxy", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 9, 0),
    D::new("proxy_ssl_verify", "stream_proxy", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 9, 0),
    D::new("proxy_ssl_verify_depth", "stream_proxy", SS, TAKE1).value(Value::Number).default("1").unique().since(1, 9, 0),
    D::new("proxy_ssl_trusted_certificate", "stream_proxy", SS, TAKE1).unique().since(1, 9, 0),
    D::new("proxy_ssl_crl", "stream_proxy", SS, TAKE1).unique().since(1, 9, 0),
    D::new("proxy_ssl_certificate", "stream_proxy", SS, TAKE1).unique().since(1, 9, 0),
    D::new("proxy_ssl_certificate_key", "stream_proxy", SS, TAKE1).unique().since(1, 9, 0),
    D::new("proxy_ssl_certificate_cache", "stream_proxy", SS, TAKE123).default("off").unique().since(1, 27, 4),
    D::new("proxy_ssl_password_file", "stream_proxy", SS, TAKE1).unique().since(1, 9, 0),
    D::new("proxy_ssl_conf_command", "stream_proxy", SS, TAKE2).list().since(1, 19, 4),
    // --- ngx_stream_upstream_module ---
    D::new("upstream", "stream_upstream", STREAM, BLOCK | TAKE1).since(1, 9, 0),
    D::new("server", "stream_upstream", STREAM_UPS, ONE_MORE).not_inherited().since(1, 9, 0),
    D::new("resolver", "stream_upstream", STREAM_UPS, ONE_MORE).unique().not_inherited().since(1, 27, 3),
    D::new("resolver_timeout", "stream_upstream", STREAM_UPS, TAKE1).value(Value::Msec).default("30s").unique().not_inherited().since(1, 27, 3),
    // --- ngx_stream_upstream_hash_module ---
    D::new("hash", "stream_upstream_hash", STREAM_UPS, TAKE12).not_inherited().since(1, 9, 0),
    // --- ngx_stream_upstream_least_conn_module ---
    D::new("least_conn", "stream_upstream_least_conn", STREAM_UPS, NOARGS).not_inherited().since(1, 9, 0),
    // --- ngx_stream_upstream_random_module ---
    D::new("random", "stream_upstream_random", STREAM_UPS, NOARGS | TAKE12).not_inherited().since(1, 15, 1),
    // --- ngx_stream_upstream_zone_module ---
    D::new("zone", "stream_upstream_zone", STREAM_UPS, TAKE12).not_inherited().since(1, 9, 0),
    // --- ngx_stream_ssl_module ---
    D::new("ssl_handshake_timeout", "stream_ssl", SS, TAKE1).value(Value::Msec).default("60s").unique().since(1, 9, 0),
    D::new("ssl_certificate", "stream_ssl", SS, TAKE1).list().since(1, 9, 0),
    D::new("ssl_certificate_key", "stream_ssl", SS, TAKE1).list().since(1, 9, 0),
    D::new("ssl_certificate_cache", "stream_ssl", SS, TAKE123).default("off").unique().since(1, 27, 4),
    D::new("ssl_password_file", "stream_ssl", SS, TAKE1).unique().since(1, 9, 0),
    D::new("ssl_dhparam", "stream_ssl", SS, TAKE1).unique().since(1, 9, 0),
    D::new("ssl_ecdh_curve", "stream_ssl", SS, TAKE1).default("auto").unique().since(1, 9, 0),
    D::new("ssl_protocols", "stream_ssl", SS, ONE_MORE).value(SSL_PROTOCOLS).default("TLSv1.2 TLSv1.3").since(1, 9, 0),
    D::new("ssl_ciphers", "stream_ssl", SS, TAKE1).default("HIGH:!aNULL:!MD5").unique().since(1, 9, 0),
    D::new("ssl_verify_client", "stream_ssl", SS, TAKE1).value(SSL_VERIFY).default("off").unique().since(1, 11, 8),
    D::new("ssl_verify_depth", "stream_ssl", SS, TAKE1).value(Value::Number).default("1").unique().since(1, 11, 8),
    D::new("ssl_client_certificate", "stream_ssl", SS, TAKE1).unique().since(1, 11, 8),
    D::new("ssl_trusted_certificate", "stream_ssl", SS, TAKE1).unique().since(1, 11, 8),
    D::new("ssl_prefer_server_ciphers", "stream_ssl", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 9, 0),
    D::new("ssl_session_cache", "stream_ssl", SS, TAKE12).default("none").since(1, 9, 0),
    D::new("ssl_session_tickets", "stream_ssl", SS, FLAG).value(Value::Flag).default("on").unique().since(1, 9, 0),
    D::new("ssl_session_ticket_key", "stream_ssl", SS, TAKE1).list().since(1, 9, 0),
    D::new("ssl_session_timeout", "stream_ssl", SS, TAKE1).value(Value::Sec).default("5m").unique().since(1, 9, 0),
    D::new("ssl_crl", "stream_ssl", SS, TAKE1).unique().since(1, 11, 8),
    D::new("ssl_ocsp", "stream_ssl", SS, TAKE1).value(Value::Enum(&["off", "on", "leaf"])).default("off").unique().since(1, 27, 2),
    D::new("ssl_ocsp_responder", "stream_ssl", SS, TAKE1).unique().since(1, 27, 2),
    D::new("ssl_ocsp_cache", "stream_ssl", SS, TAKE1).default("off").unique().since(1, 27, 2),
    D::new("ssl_stapling", "stream_ssl", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 27, 2),
    D::new("ssl_stapling_file", "stream_ssl", SS, TAKE1).unique().since(1, 27, 2),
    D::new("ssl_stapling_responder", "stream_ssl", SS, TAKE1).unique().since(1, 27, 2),
    D::new("ssl_stapling_verify", "stream_ssl", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 27, 2),
    D::new("ssl_conf_command", "stream_ssl", SS, TAKE2).list().since(1, 19, 4),
    D::new("ssl_reject_handshake", "stream_ssl", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 25, 5),
    D::new("ssl_alpn", "stream_ssl", SS, ONE_MORE).unique().since(1, 21, 4),
    // --- ngx_stream_ssl_preread_module ---
    D::new("ssl_preread", "stream_ssl_preread", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 11, 5),
    // --- ngx_stream_map_module ---
    D::new("map", "stream_map", STREAM, BLOCK | TAKE2).since(1, 11, 2),
    D::new("map_hash_max_size", "stream_map", STREAM, TAKE1).value(Value::Number).default("2048").unique().since(1, 11, 2),
    D::new("map_hash_bucket_size", "stream_map", STREAM, TAKE1).value(Value::Number).default("32|64|128").unique().since(1, 11, 2),
    // --- ngx_stream_geo_module ---
    D::new("geo", "stream_geo", STREAM, BLOCK | TAKE12).since(1, 11, 3),
    // --- ngx_stream_geoip_module ---
    D::new("geoip_country", "stream_geoip", STREAM, TAKE12).unique().since(1, 11, 3),
    D::new("geoip_city", "stream_geoip", STREAM, TAKE12).unique().since(1, 11, 3),
    D::new("geoip_org", "stream_geoip", STREAM, TAKE12).unique().since(1, 11, 3),
    // --- ngx_stream_split_clients_module ---
    D::new("split_clients", "stream_split_clients", STREAM, BLOCK | TAKE2).since(1, 11, 3),
    // --- ngx_stream_return_module ---
    D::new("return", "stream_return", STREAM_SRV, TAKE1).unique().not_inherited().since(1, 11, 2),
    // --- ngx_stream_set_module ---
    D::new("set", "stream_set", STREAM_SRV, TAKE2).not_inherited().since(1, 19, 3),
    // --- ngx_stream_pass_module ---
    D::new("pass", "stream_pass", STREAM_SRV, TAKE1).unique().not_inherited().since(1, 25, 5),
    // --- ngx_stream_limit_conn_module ---
    D::new("limit_conn_zone", "stream_limit_conn", STREAM, TAKE2).not_inherited().since(1, 9, 3),
    D::new("limit_conn", "stream_limit_conn", SS, TAKE2).list().since(1, 9, 3),
    D::new("limit_conn_log_level", "stream_limit_conn", SS, TAKE1).value(LOG_LEVELS).default("error").unique().since(1, 9, 3),
    D::new("limit_conn_dry_run", "stream_limit_conn", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 17, 6),
    // --- ngx_stream_access_module ---
    D::new("allow", "stream_access", SS, TAKE1).list().since(1, 9, 2),
    D::new("deny", "stream_access", SS, TAKE1).list().since(1, 9, 2),
    // --- ngx_stream_realip_module ---
    D::new("set_real_ip_from", "stream_realip", SS, TAKE1).list().since(1, 11, 4),
    // --- ngx_stream_log_module ---
    D::new("log_format", "stream_log", STREAM, TWO_MORE).not_inherited().since(1, 11, 4),
    D::new("access_log", "stream_log", SS, ONE_MORE).default("off").list().since(1, 11, 4),
    D::new("open_log_file_cache", "stream_log", SS, TAKE1234).default("off").unique().since(1, 11, 4),
    // --- ngx_mail_core_module ---
    D::new("server", "mail_core", MAIL, BLOCK | NOARGS).since(0, 5, 15),
    D::new("listen", "mail_core", MAIL_SRV, ONE_MORE).not_inherited().since(0, 5, 15),
    D::new("protocol", "mail_core", MAIL_SRV, TAKE1).not_inherited().since(0, 5, 15),
    D::new("timeout", "mail_core", MS, TAKE1).value(Value::Msec).default("60s").unique().since(0, 5, 15),
    D::new("server_name", "mail_core", MS, TAKE1).default("hostname").unique().since(0, 5, 15),
    D::new("error_log", "mail_core", MS, ONE_MORE).default("logs/error.log error").list().since(1, 9, 0),
    D::new("resolver", "mail_core", MS, ONE_MORE).default("off").unique().since(0, 6, 27),
    D::new("resolver_timeout", "mail_core", MS, TAKE1).value(Value::Msec).default("30s").unique().since(0, 6, 27),
    D::new("max_errors", "mail_core", MS, TAKE1).value(Value::Number).default("5").unique().since(1, 21, 0),
    // --- ngx_mail_proxy_module ---
    D::new("proxy", "mail_proxy", MS, FLAG).value(Value::Flag).unique().since(0, 5, 15),
    D::new("proxy_buffer", "mail_proxy", MS, TAKE1).value(Value::Size).default("4k|8k").unique().since(0, 5, 15),
    D::new("proxy_timeout", "mail_proxy", MS, TAKE1).value(Value::Msec).default("24h").unique().since(0, 5, 15),
    D::new("proxy_pass_error_message", "mail_proxy", MS, FLAG).value(Value::Flag).default("off").unique().since(0, 5, 15),
    D::new("xclient", "mail_proxy", MS, FLAG).value(Value::Flag).default("on").unique().since(0, 5, 15),
    D::new("proxy_smtp_auth", "mail_proxy", MS, FLAG).value(Value::Flag).default("off").unique().since(1, 19, 4),
    D::new("proxy_protocol", "mail_proxy", MS, TAKE1).value(PROXY_PROTOCOL).default("off").unique().since(1, 19, 8),
    // --- ngx_mail_auth_http_module ---
    D::new("auth_http", "mail_auth_http", MS, TAKE1).since(0, 5, 15),
    D::new("auth_http_timeout", "mail_auth_http", MS, TAKE1).value(Value::Msec).default("60s").unique().since(0, 5, 15),
    D::new("auth_http_header", "mail_auth_http", MS, TAKE2).list().since(0, 5, 15),
    D::new("auth_http_pass_client_cert", "mail_auth_http", MS, FLAG).value(Value::Flag).default("off").unique().since(1, 7, 11),
    // --- ngx_mail_ssl_module ---
    D::new("ssl", "mail_ssl", MS, FLAG).value(Value::Flag).default("off").unique().since(0, 5, 15).removed(1, 25, 1),
    D::new("starttls", "mail_ssl", MS, TAKE1).value(Value::Enum(&["off", "on", "only"])).default("off").unique().since(0, 5, 15),
    D::new("ssl_certificate", "mail_ssl", MS, TAKE1).list().since(0, 5, 15),
    D::new("ssl_certificate_key", "mail_ssl", MS, TAKE1).list().since(0, 5, 15),
    D::new("ssl_password_file", "mail_ssl", MS, TAKE1).unique().since(1, 7, 3),
    D::new("ssl_dhparam", "mail_ssl", MS, TAKE1).unique().since(0, 7, 2),
    D::new("ssl_ecdh_curve", "mail_ssl", MS, TAKE1).default("auto").unique().since(1, 0, 6),
    D::new("ssl_protocols", "mail_ssl", MS, ONE_MORE).value(SSL_PROTOCOLS).default("TLSv1.2 TLSv1.3").since(0, 5, 15),
    D::new("ssl_ciphers", "mail_ssl", MS, TAKE1).default("HIGH:!aNULL:!MD5").unique().since(0, 5, 15),
    D::new("ssl_prefer_server_ciphers", "mail_ssl", MS, FLAG).value(Value::Flag).default("off").unique().since(0, 5, 15),
    D::new("ssl_session_cache", "mail_ssl", MS, TAKE12).default("none").since(0, 5, 15),
    D::new("ssl_session_tickets", "mail_ssl", MS, FLAG).value(Value::Flag).default("on").unique().since(1, 5, 9),
    D::new("ssl_session_ticket_key", "mail_ssl", MS, TAKE1).list().since(1, 5, 7),
    D::new("ssl_session_timeout", "mail_ssl", MS, TAKE1).value(Value::Sec).default("5m").unique().since(0, 5, 15),
    D::new("ssl_verify_client", "mail_ssl", MS, TAKE1).value(SSL_VERIFY).default("off").unique().since(1, 7, 11),
    D::new("ssl_verify_depth", "mail_ssl", MS, TAKE1).value(Value::Number).default("1").unique().since(1, 7, 11),
    D::new("ssl_client_certificate", "mail_ssl", MS, TAKE1).unique().since(1, 7, 11),
    D::new("ssl_trusted_certificate", "mail_ssl", MS, TAKE1).unique().since(1, 7, 11),
    D::new("ssl_crl", "mail_ssl", MS, TAKE1).unique().since(1, 7, 11),
    D::new("ssl_conf_command", "mail_ssl", MS, TAKE2).list().since(1, 19, 4),
    // --- ngx_mail_imap_module ---
    D::new("imap_client_buffer", "mail_imap", MS, TAKE1).value(Value::Size).default("4k|8k").unique().since(0, 5, 15),
    D::new("imap_capabilities", "mail_imap", MS, ONE_MORE).default("IMAP4 IMAP4rev1 UIDPLUS").list().since(0, 5, 15),
    D::new("imap_auth", "mail_imap", MS, ONE_MORE).value(Value::Bitmask(&["plain", "login", "cram-md5", "external"])).default("plain").since(0, 5, 32),
    // --- ngx_mail_pop3_module ---
    D::new("pop3_capabilities", "mail_pop3", MS, ONE_MORE).default("TOP USER UIDL").list().since(0, 5, 15),
    D::new("pop3_auth", "mail_pop3", MS, ONE_MORE).value(Value::Bitmask(&["plain", "apop", "cram-md5", "external"])).default("plain").since(0, 5, 15),
    // --- ngx_mail_smtp_module ---
    D::new("smtp_client_buffer", "mail_smtp", MS, TAKE1).value(Value::Size).default("4k|8k").unique().since(0, 5, 33),
    D::new("smtp_greeting_delay", "mail_smtp", MS, TAKE1).value(Value::Msec).default("0").unique().since(0, 5, 33),
    D::new("smtp_capabilities", "mail_smtp", MS, ONE_MORE).list().since(0, 5, 15),
    D::new("smtp_auth", "mail_smtp", MS, ONE_MORE).value(Value::Bitmask(&["plain", "login", "cram-md5", "external", "none"])).default("plain login").since(0, 5, 15),
    // --- ngx_mail_realip_module ---
    D::new("set_real_ip_from", "mail_realip", MS, TAKE1).list().since(1, 19, 8),
    // --- added by nginx 1.29–1.31 (HEAD's command tables, ../shared/data/nginx-directives.tsv) ---
    D::new("proxy_socket_rcvbuf", "stream_proxy", SS, TAKE1).value(Value::Size).unique().since(1, 31, 3),
    D::new("proxy_socket_sndbuf", "stream_proxy", SS, TAKE1).value(Value::Size).unique().since(1, 31, 3),
    D::new("proxy_ssl_alpn", "stream_proxy", SS, ONE_MORE).unique().since(1, 31, 0),
    D::new("ssl_ech_file", "stream_ssl", SS, TAKE1).list().since(1, 29, 4),
    D::new("ssl_certificate_compression", "stream_ssl", SS, FLAG).value(Value::Flag).default("off").unique().since(1, 29, 1),
    D::new("least_time", "stream_upstream_least_time", STREAM_UPS, TAKE12).not_inherited().since(1, 31, 0),
    D::new("ssl_certificate_compression", "mail_ssl", MS, FLAG).value(Value::Flag).default("off").unique().since(1, 29, 1),
    // --- removed from nginx (../shared/data/nginx-directive-history.tsv: last release + 1) ---
    D::new("so_keepalive", "mail_core", MS, FLAG).value(Value::Flag).unique().since(0, 5, 15).removed(1, 9, 1),
];

#[cfg(test)]
mod tests {
    use super::super::{Merge, args};
    use super::*;

    fn find(name: &str, ctx: u32) -> &'static D {
        super::super::tests::find_in(DIRECTIVES, name, ctx)
    }

    #[test]
    fn shapes_are_consistent() {
        let stream_or_mail = STREAM | STREAM_SRV | STREAM_UPS | MAIL | MAIL_SRV;
        for d in DIRECTIVES {
            assert!(
                d.contexts != 0 && d.contexts & !stream_or_mail == 0,
                "{}",
                d.name
            );
            assert!(
                d.module.starts_with("stream") || d.module.starts_with("mail"),
                "{}",
                d.name
            );
            if d.args == FLAG {
                assert!(
                    matches!(d.value, Value::Flag | Value::Enum(_)),
                    "{}",
                    d.name
                );
            }
            if d.module.starts_with("stream") {
                assert_eq!(d.contexts & (MAIL | MAIL_SRV), 0, "{}", d.name);
            } else {
                assert_eq!(
                    d.contexts & (STREAM | STREAM_SRV | STREAM_UPS),
                    0,
                    "{}",
                    d.name
                );
            }
        }
    }

    #[test]
    fn spot_checks() {
        let t = find("proxy_timeout", STREAM_SRV);
        assert_eq!(
            (t.module, t.default, t.value),
            ("stream_proxy", "10m", Value::Msec)
        );
        assert_eq!(find("proxy_timeout", MAIL_SRV).default, "24h");
        assert!(find("server", STREAM).is_block());
        assert!(!find("server", STREAM_UPS).is_block());
        assert_eq!(find("server", STREAM_UPS).merge, Merge::None);
        assert!(find("server", MAIL).is_block());
        assert!(find("upstream", STREAM).is_block());
        assert!(args::accepts(find("upstream", STREAM).args, 1));
        assert!(find("map", STREAM).is_block());
        assert!(args::accepts(find("proxy_bind", STREAM).args, 2));
        assert_eq!(find("listen", STREAM_SRV).contexts, STREAM_SRV);
        assert_eq!(find("proxy_pass", STREAM_SRV).contexts, STREAM_SRV);
        assert_eq!(
            find("server_name", STREAM_SRV).since,
            super::super::Version(1, 25, 5)
        );
        assert!(find("ssl", MAIL_SRV).removed.is_some());
        assert!(matches!(
            find("ssl_protocols", STREAM).value,
            Value::Bitmask(_)
        ));
        assert!(!find("ssl_protocols", MAIL).unique);
        assert_eq!(find("ssl_certificate", STREAM_SRV).merge, Merge::List);
    }
}
