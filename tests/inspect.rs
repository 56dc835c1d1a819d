//! `ngxlint inspect`: effective settings and where each came from.

use std::process::{Command, Stdio};

use crate::support::{self, code, stdout};

fn inspect(args: &[&str]) -> std::process::Output {
    Command::new(support::ngxlint_bin())
        .arg("inspect")
        .arg("fixtures/projects/inspect/nginx.conf")
        .args(args)
        .arg("--no-config")
        .current_dir(support::repo_root())
        .stdin(Stdio::null())
        .output()
        .expect("run ngxlint inspect")
}

fn line<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{out}"))
}

#[test]
fn shows_value_and_origin_for_each_level() {
    let out = inspect(&["--location", "/api/chat"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "http > server > location /api/chat (fixtures/projects/inspect/nginx.conf:9)"
        ),
        "{text}"
    );
    let buffering = line(&text, "proxy_buffering ");
    assert!(
        buffering.contains("proxy_buffering off")
            && buffering
                .contains("inherited from server at fixtures/projects/inspect/nginx.conf:5"),
        "{buffering}"
    );
    let timeout = line(&text, "proxy_read_timeout ");
    assert!(
        timeout.contains("120s") && timeout.contains("inherited from http"),
        "{timeout}"
    );
    let version = line(&text, "proxy_http_version ");
    assert!(
        version.contains("1.0") && version.contains("default for nginx 1.28.0"),
        "{version}"
    );
    let host = line(&text, "proxy_set_header Host");
    assert!(host.contains("set here"), "{host}");
    // The all-or-nothing rule: http's X-Forwarded-For is not inherited.
    assert!(
        !text.contains("X-Forwarded-For $proxy_add_x_forwarded_for    #"),
        "{text}"
    );
    assert!(
        text.contains("not inherited: the 1 proxy_set_header line(s) of http"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn defaults_follow_the_target_version() {
    let text = stdout(&inspect(&[
        "--location",
        "/api/chat",
        "--nginx-version",
        "1.29.7",
    ]));
    let version = line(&text, "proxy_http_version ");
    assert!(
        version.contains("1.1") && version.contains("default for nginx 1.29.7"),
        "{version}"
    );
}

#[test]
fn filters_by_server_name_and_reports_no_match() {
    let text = stdout(&inspect(&["--server", "chat.example.com"]));
    assert!(
        text.lines().any(|l| l.starts_with("http > server (")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("http > server > location /api/chat")),
        "{text}"
    );
    let none = inspect(&["--server", "other.example.com"]);
    assert_eq!(code(&none), 1);
    assert!(stdout(&none).is_empty());
}
