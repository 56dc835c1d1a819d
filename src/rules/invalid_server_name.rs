//! `invalid-server-name`: a `server_name` nginx refuses while reading it
//! (`ngx_http_core_server_name`): a wildcard that is not `*.` followed by a name
//! (`*example.com`, `*`, `*.`), a lone `.` (`server name "." is invalid`), or `~` with no regex
//! after it (`empty regex in server name "~"`). The same in `stream` servers, which have
//! `server_name` since nginx 1.25.5 (`ngx_stream_core_server_name`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-server-name",
    summary: "a `server_name` nginx refuses: a malformed wildcard, a lone `.`, or `~` without a regex (nginx: server name is invalid)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-server-name.md"),
    check,
};

/// nginx's verdict on one `server_name` argument.
fn name_error(name: &str) -> Option<(String, &'static str)> {
    let b = name.as_bytes();
    match b.first() {
        Some(b'*') if b.len() < 3 || b[1] != b'.' => Some((
            format!("server name \"{name}\" is invalid"),
            "a leading wildcard is `*.` followed by a name: `*.example.com`",
        )),
        Some(b'.') if b.len() < 2 => Some((
            format!("server name \"{name}\" is invalid"),
            "`.example.com` matches example.com and its subdomains; a lone `.` matches nothing",
        )),
        Some(b'~') if b.len() == 1 => Some((
            format!("empty regex in server name \"{name}\""),
            "a regex server name is `~` followed by the regex: `~^www\\d+\\.example\\.com$`",
        )),
        _ => None,
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("server_name") {
        let node = model.node(id);
        // `server_name` in stream (`ngx_stream_core_server_name`, the same checks) is nginx
        // 1.25.5+.
        let stream = node.context == Context::StreamServer
            && cx.version >= crate::semantics::directives::Version(1, 25, 5);
        if (node.context != Context::HttpServer && !stream) || !is_nginx(model, id) {
            continue;
        }
        for (i, tok) in node.directive.arg_tokens().enumerate() {
            let Some(name) = model.arg(id, i) else {
                continue;
            };
            let Some((message, help)) = name_error(&name) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(node.file, tok.span, "refused by nginx"),
                    message,
                )
                .help(help),
            );
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::name_error;

    #[test]
    fn names_as_nginx_reads_them() {
        for ok in [
            "example.com",
            "*.example.com",
            ".example.com",
            "www.example.*",
            "",
            "_",
            "~^a$",
        ] {
            assert_eq!(name_error(ok), None, "{ok}");
        }
        for bad in ["*example.com", "*", "*.", ".", "~"] {
            assert!(name_error(bad).is_some(), "{bad}");
        }
    }
}
