//! Core, events and the block directives that open http/stream/mail.
//!
//! Transcribed from `src/core/nginx.c`, `src/core/ngx_log.c`, `src/core/ngx_conf_file.c`,
//! `src/core/ngx_thread_pool.c`, `src/core/ngx_regex.c`, `src/event/ngx_event.c`,
//! `src/event/modules/*.c`, `src/event/ngx_event_openssl.c` and the `*_block` handlers.
//! `error_log` inside http/stream/mail belongs to those modules' core (`ngx_http_core_module`,
//! `ngx_stream_core_module`, `ngx_mail_core_module`), not to `ngx_errlog_module`.
use super::{DirectiveSpec as D, Value, args::*, ctx::*};

#[rustfmt::skip]
pub static DIRECTIVES: &[D] = &[
    // --- ngx_conf_module ---
    D::new("include", "core", ANY_CONTEXT, TAKE1).since(0, 1, 0),
    // --- ngx_core_module ---
    D::new("daemon", "core", MAIN, FLAG).value(Value::Flag).default("on").unique().since(0, 1, 0),
    D::new("master_process", "core", MAIN, FLAG).value(Value::Flag).default("on").unique().since(0, 1, 0),
    D::new("timer_resolution", "core", MAIN, TAKE1).value(Value::Msec).unique().since(0, 3, 3),
    D::new("pid", "core", MAIN, TAKE1).default("logs/nginx.pid").unique().since(0, 1, 0),
    D::new("lock_file", "core", MAIN, TAKE1).default("logs/nginx.lock").unique().since(0, 3, 27),
    D::new("worker_processes", "core", MAIN, TAKE1).default("1").unique().since(0, 1, 0),
    D::new("debug_points", "core", MAIN, TAKE1).value(Value::Enum(&["stop", "abort"])).unique().since(0, 1, 5),
    D::new("user", "core", MAIN, TAKE12).default("nobody nobody").unique().since(0, 1, 0),
    D::new("worker_priority", "core", MAIN, TAKE1).default("0").unique().since(0, 1, 11),
    D::new("worker_cpu_affinity", "core", MAIN, ONE_MORE).unique().since(0, 3, 10),
    D::new("worker_rlimit_nofile", "core", MAIN, TAKE1).value(Value::Number).unique().since(0, 2, 0),
    D::new("worker_rlimit_core", "core", MAIN, TAKE1).value(Value::Offset).unique().since(0, 3, 16),
    D::new("worker_shutdown_timeout", "core", MAIN, TAKE1).value(Value::Msec).unique().since(1, 11, 11),
    D::new("working_directory", "core", MAIN, TAKE1).unique().since(0, 1, 35),
    D::new("env", "core", MAIN, TAKE1).default("TZ").list().since(0, 5, 9),
    D::new("load_module", "core", MAIN, TAKE1).since(1, 9, 11),
    // --- ngx_errlog_module ---
    D::new("error_log", "errlog", MAIN, ONE_MORE).default("logs/error.log error").list().since(0, 1, 0),
    // --- ngx_thread_pool_module ---
    D::new("thread_pool", "thread_pool", MAIN, TAKE23).default("default threads=32 max_queue=65536").not_inherited().since(1, 7, 11),
    // --- ngx_regex_module ---
    D::new("pcre_jit", "regex", MAIN, FLAG).value(Value::Flag).default("off").unique().since(1, 1, 12),
    // --- ngx_openssl_module ---
    D::new("ssl_engine", "openssl", MAIN, TAKE1).unique().since(0, 1, 45),
    D::new("ssl_object_cache_inheritable", "openssl", MAIN, FLAG).value(Value::Flag).default("on").unique().since(1, 27, 4),
    // --- ngx_google_perftools_module ---
    D::new("google_perftools_profiles", "google_perftools", MAIN, TAKE1).unique().since(0, 6, 29),
    // --- ngx_quic_bpf_module ---
    D::new("quic_bpf", "quic_bpf", MAIN, FLAG).value(Value::Flag).default("off").unique().since(1, 25, 0),
    // --- ngx_events_module ---
    D::new("events", "events", MAIN, BLOCK | NOARGS).unique().since(0, 1, 0),
    // --- ngx_event_core_module ---
    D::new("worker_connections", "events", EVENTS, TAKE1).value(Value::Number).default("512").unique().since(0, 2, 0),
    D::new("use", "events", EVENTS, TAKE1).unique().since(0, 1, 0),
    D::new("multi_accept", "events", EVENTS, FLAG).value(Value::Flag).default("off").unique().since(0, 1, 0),
    D::new("accept_mutex", "events", EVENTS, FLAG).value(Value::Flag).default("off").unique().since(0, 1, 0),
    D::new("accept_mutex_delay", "events", EVENTS, TAKE1).value(Value::Msec).default("500ms").unique().since(0, 1, 0),
    D::new("debug_connection", "events", EVENTS, TAKE1).list().since(0, 1, 0),
    // --- ngx_epoll_module ---
    D::new("epoll_events", "epoll", EVENTS, TAKE1).value(Value::Number).default("512").unique().since(0, 1, 0),
    D::new("worker_aio_requests", "epoll", EVENTS, TAKE1).value(Value::Number).default("32").unique().since(1, 0, 7),
    // --- ngx_kqueue_module ---
    D::new("kqueue_changes", "kqueue", EVENTS, TAKE1).value(Value::Number).default("512").unique().since(0, 1, 0),
    D::new("kqueue_events", "kqueue", EVENTS, TAKE1).value(Value::Number).default("512").unique().since(0, 1, 0),
    // --- ngx_devpoll_module ---
    D::new("devpoll_changes", "devpoll", EVENTS, TAKE1).value(Value::Number).default("32").unique().since(0, 1, 0),
    D::new("devpoll_events", "devpoll", EVENTS, TAKE1).value(Value::Number).default("32").unique().since(0, 1, 0),
    // --- ngx_eventport_module ---
    D::new("eventport_events", "eventport", EVENTS, TAKE1).value(Value::Number).default("32").unique().since(0, 4, 3),
    // --- ngx_http_module / ngx_stream_module / ngx_mail_module ---
    D::new("http", "http", MAIN, BLOCK | NOARGS).unique().since(0, 1, 0),
    D::new("stream", "stream", MAIN, BLOCK | NOARGS).unique().since(1, 9, 0),
    D::new("mail", "mail", MAIN, BLOCK | NOARGS).unique().since(0, 5, 15),
    // --- ngx_iocp_module (Windows only) ---
    D::new("iocp_threads", "iocp", EVENTS, TAKE1).value(Value::Number).unique().since(0, 1, 0),
    D::new("post_acceptex", "iocp", EVENTS, TAKE1).value(Value::Number).unique().since(0, 1, 0),
    D::new("acceptex_read", "iocp", EVENTS, FLAG).value(Value::Flag).unique().since(0, 1, 0),
    // --- removed from nginx (../shared/data/nginx-directive-history.tsv: last release + 1) ---
    D::new("connections", "events", EVENTS, TAKE1).unique().since(0, 1, 0).removed(1, 9, 1),
    D::new("imap", "mail", MAIN, BLOCK | NOARGS).unique().since(0, 1, 0).removed(1, 9, 1),
    D::new("rtsig_signo", "rtsig", EVENTS, TAKE1).value(Value::Number).unique().since(0, 1, 0).removed(1, 9, 0),
    D::new("rtsig_overflow_events", "rtsig", EVENTS, TAKE1).value(Value::Number).unique().since(0, 1, 0).removed(1, 9, 0),
    D::new("rtsig_overflow_test", "rtsig", EVENTS, TAKE1).value(Value::Number).unique().since(0, 1, 0).removed(1, 9, 0),
    D::new("rtsig_overflow_threshold", "rtsig", EVENTS, TAKE1).value(Value::Number).unique().since(0, 1, 0).removed(1, 9, 0),
    D::new("thread_stack_size", "core", MAIN, TAKE1).value(Value::Size).unique().since(0, 1, 0).removed(1, 9, 0),
    D::new("worker_rlimit_sigpending", "core", MAIN, TAKE1).value(Value::Number).unique().since(0, 2, 0).removed(1, 9, 0),
    D::new("worker_threads", "core", MAIN, TAKE1).value(Value::Number).unique().since(0, 1, 0).removed(1, 9, 0),
];

/// `include` is handled by the parser itself and allowed everywhere.
const ANY_CONTEXT: u32 = u32::MAX;

#[cfg(test)]
mod tests {
    use super::super::args;
    use super::*;

    fn find(name: &str, ctx: u32) -> &'static D {
        super::super::tests::find_in(DIRECTIVES, name, ctx)
    }

    #[test]
    fn spot_checks() {
        let wc = find("worker_connections", EVENTS);
        assert_eq!(wc.default, "512");
        assert_eq!(wc.value, Value::Number);
        let ev = find("events", MAIN);
        assert_eq!(ev.contexts, MAIN);
        assert_eq!(ev.args, BLOCK | NOARGS);
        assert!(find("include", HTTP_LMT | STREAM_UPS | EVENTS).contexts == ANY_CONTEXT);
        assert_eq!(find("error_log", MAIN).contexts, MAIN);
        assert!(find("daemon", MAIN).unique);
        assert!(args::accepts(find("user", MAIN).args, 2));
        assert!(!args::accepts(find("user", MAIN).args, 3));
        assert!(args::accepts(find("worker_cpu_affinity", MAIN).args, 5));
        for block in ["http", "stream", "mail", "events"] {
            assert!(find(block, MAIN).is_block(), "{block}");
        }
    }
}
