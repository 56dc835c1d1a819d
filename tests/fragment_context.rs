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
