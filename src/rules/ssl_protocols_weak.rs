//! `ssl-protocols-weak`: a TLS server accepts SSLv3, TLS 1.0 or TLS 1.1, either because
//! `ssl_protocols` lists them or because it is not set and the target nginx's default does
//! (every nginx before 1.27.3).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::directives::{Version, ctx};
use crate::semantics::tls::tls_listen;
use crate::semantics::versions;

pub static RULE: Rule = Rule {
    id: "ssl-protocols-weak",
    summary: "a TLS server accepts SSLv3, TLS 1.0 or TLS 1.1 (listed in `ssl_protocols`, or \
              nginx's default before 1.27.3)",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/ssl-protocols-weak.md"),
    check,
};

const WEAK: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

/// nginx `v`'s `ssl_protocols` in an http server when none is set, from the shared
/// version-defaults table ([`versions::default_at`], one source per row).
pub fn default_for(v: Version) -> &'static str {
    versions::default_at("ssl_protocols", ctx::HTTP_SRV, v)
        .expect("versions.rs has the ssl_protocols history")
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Explicit lists, wherever they are.
    for &n in model.directives_named("ssl_protocols") {
        let args: Vec<String> = (0..model.arg_count(n))
            .filter_map(|i| model.arg(n, i))
            .collect();
        let weak: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| WEAK.contains(a))
            .collect();
        if weak.is_empty() {
            continue;
        }
        let strong: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !WEAK.contains(a))
            .collect();
        let node = model.node(n);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`ssl_protocols` enables {}: deprecated by RFC 8996 (TLS 1.0/1.1) and RFC 7568 \
                 (SSLv3), with known attacks (POODLE, BEAST) and no modern cipher suites",
                weak.join(", ")
            ),
        )
        .help("`ssl_protocols TLSv1.2 TLSv1.3;` serves every client released since 2014");
        diag.primary.text = "weak protocols enabled".into();
        if !strong.is_empty() {
            let first = style::arg_span(node.directive, 0);
            let last = style::arg_span(node.directive, args.len() - 1);
            if let (Some(a), Some(b)) = (first, last) {
                diag = diag.fix(Fix::unsafe_(
                    format!("Keep only `{}`", strong.join(" ")),
                    vec![Edit::replace(
                        model.file_of(n),
                        a.cover(b),
                        strong.join(" "),
                    )],
                ));
            }
        }
        out.push(diag);
    }
    // TLS servers relying on the default.
    let default = default_for(cx.version);
    let weak_default: Vec<&str> = default.split(' ').filter(|p| WEAK.contains(p)).collect();
    if weak_default.is_empty() {
        return out;
    }
    for &s in model.directives_named("server") {
        if model.node(s).context != crate::semantics::Context::Http {
            continue;
        }
        let Some(listen) = tls_listen(model, s) else {
            continue;
        };
        if !model.effective(Some(s), "ssl_protocols").is_default() {
            continue;
        }
        let node = model.node(listen);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            listen,
            format!(
                "this TLS server sets no `ssl_protocols`, and nginx {}'s default is `{default}`: \
                 it accepts {} (deprecated by RFC 8996); nginx 1.27.3 and later default to \
                 `TLSv1.2 TLSv1.3`",
                cx.version,
                weak_default.join(" and ")
            ),
        )
        .help("set `ssl_protocols TLSv1.2 TLSv1.3;` in `http` or in this server");
        diag.primary.text = "TLS with the default protocols".into();
        let file = model.program.file(model.file_of(listen));
        let (at, text) =
            style::insert_after(file, node.directive, "ssl_protocols TLSv1.2 TLSv1.3;");
        diag = diag.fix(Fix::unsafe_(
            "Add `ssl_protocols TLSv1.2 TLSv1.3;` to this server",
            vec![Edit::insert(model.file_of(listen), at, text)],
        ));
        out.push(diag);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_by_version() {
        assert_eq!(default_for(Version(1, 22, 1)), "TLSv1 TLSv1.1 TLSv1.2");
        assert_eq!(
            default_for(Version(1, 24, 0)),
            "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"
        );
        assert_eq!(
            default_for(Version(1, 27, 2)),
            "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"
        );
        assert_eq!(default_for(Version(1, 27, 3)), "TLSv1.2 TLSv1.3");
        assert_eq!(default_for(Version(1, 8, 0)), "SSLv3 TLSv1 TLSv1.1 TLSv1.2");
    }
}
