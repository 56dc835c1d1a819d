//! A fragment's context is inferred from its directives, including what its top-level `if`
//! blocks hold (`add_header` in an `if` means location: nginx does not take it in a server's
//! `if`) and, to break a tie, what its top-level blocks hold. nginx judges each fragment in the inferred context and in the wrong one.

use ngxlint::lint::{Options, infer_context, lint_path};
use ngxlint::semantics::context::Context;

use crate::support;

#[test]
fn if_blocks_vote_for_the_fragment_context() {
    let dir = support::repo_root().join("fixtures/fragments");
    for (file, want, nginx_ctx, wrong) in [
        (
            "cors-location.conf",
            Context::HttpLocation,
            "location",
            "server",
        ),
        (
            "rewrite-server.conf",
            Context::HttpServer,
            "server",
            "location",
        ),
        // Only `server` blocks at the top (allowed in `http` and `stream` alike): what they
        // hold decides (a `proxy_pass` in a server is stream's).
        ("stream-servers.conf", Context::Stream, "stream", "http"),
        // A `mail {}` block's body: `auth_http` and servers with `protocol` and `smtp_auth`
        // (held-out batch 397, nauthilus's `mail.conf`, read as `stream`: 22 findings).
        ("mail-servers.conf", Context::Mail, "mail", "stream"),
    ] {
        let path = dir.join(file);
        let src = std::fs::read(&path).unwrap();
        assert_eq!(infer_context(&src), want, "{file}");
        let linted = lint_path(&path, &Options::default(), &|r| {
            matches!(
                r.id,
                "invalid-context" | "unknown-directive" | "invalid-arguments"
            )
        })
        .unwrap();
        assert!(
            linted.diagnostics.is_empty(),
            "{file}: {:?}",
            linted
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
        if let Some(nginx) = support::nginx() {
            assert_eq!(
                support::nginx_first_error(&nginx, &path, nginx_ctx),
                None,
                "{file}: nginx rejects it in {nginx_ctx}"
            );
            assert!(
                support::nginx_first_error(&nginx, &path, wrong).is_some(),
                "{file}: nginx accepts it in {wrong} too"
            );
        }
    }
}

/// A file with a top-level `events` or `http` block is the main file, however many of its
/// lines a syntax error leaves at the top level: a Helm template's nested quotes
/// (`pid "{{ trimSuffix "/" .Values.x }}/nginx.pid";`) end `http` early, and the `http`
/// directives left at the top outvoted `worker_processes` (held-out batch 243: read as `http`,
/// two false `invalid-context` errors).
#[test]
fn events_or_http_at_the_top_make_a_main_file() {
    let template = b"worker_processes auto;\nworker_rlimit_nofile 10000;\n\
        events { worker_connections 1024; }\n\
        http {\n    client_body_temp_path \"{{ .Values.dir }}\";\n    sendfile on;\n    gzip on;\n    \
        keepalive_timeout 65;\n    proxy_read_timeout 60s;\n    gzip_vary on;\n    \
        client_body_timeout 10;\n    send_timeout 10;\n}\n";
    assert_eq!(infer_context(template), Context::Main);
    // Without them, the same lines are an `http` fragment.
    let fragment = b"sendfile on;\ngzip on;\nkeepalive_timeout 65;\nserver { listen 80; }\n";
    assert_eq!(infer_context(fragment), Context::Http);
}
