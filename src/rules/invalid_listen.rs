//! `invalid-listen`: a `listen` parameter nginx does not know (`ngx_http_core_listen`:
//! `invalid parameter "server_name"`), or a value it cannot read (`invalid backlog
//! "backlog=0"`, `invalid rcvbuf`, `invalid sndbuf`, `invalid fastopen`, `invalid ipv6only
//! flags`, `invalid so_keepalive value`). The usual cause is a `listen 80` missing its `;`, so the
//! next line's directive became parameters. Version-aware: `quic` exists since nginx 1.25.0,
//! `multipath` since 1.29.7, and `spdy` was taken until 1.9.4, warned about and ignored until
//! 1.19.6 (a warning here), refused since. Parameters nginx takes only on
//! some platforms (`setfib=`, `accept_filter=`, `deferred`...) are accepted.
//!
//! `listen` in `stream` and `mail` servers has its own parameters (`udp` in stream, no
//! `default_server` in mail...), each from the release that added it, and the same value
//! checks, plus `so_keepalive=` (`invalid so_keepalive value: "30m:x"`). Before nginx 1.25.5
//! their unknown parameter is worded `the invalid "x" parameter`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::{Version, lookup};

pub static RULE: Rule = Rule {
    id: "invalid-listen",
    summary: "a `listen` parameter nginx does not know, often a missing `;` (nginx: invalid parameter)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-listen.md"),
    check,
};

/// `(parameter, first version, last version)`, from `ngx_http_core_listen` at each release.
const PARAMS: &[(&str, Version, Version)] = &[
    ("default_server", Version(0, 0, 0), Version(99, 0, 0)),
    ("default", Version(0, 0, 0), Version(99, 0, 0)),
    ("bind", Version(0, 0, 0), Version(99, 0, 0)),
    ("deferred", Version(0, 0, 0), Version(99, 0, 0)),
    ("reuseport", Version(0, 0, 0), Version(99, 0, 0)),
    ("ssl", Version(0, 0, 0), Version(99, 0, 0)),
    ("http2", Version(1, 9, 5), Version(99, 0, 0)),
    ("spdy", Version(0, 0, 0), Version(1, 9, 4)),
    ("proxy_protocol", Version(0, 0, 0), Version(99, 0, 0)),
    ("quic", Version(1, 25, 0), Version(99, 0, 0)),
    ("multipath", Version(1, 29, 7), Version(99, 0, 0)),
];

/// The releases that warn about `spdy` and ignore it rather than refuse it.
const SPDY_WARNED_FROM: Version = Version(1, 9, 5);
const SPDY_WARNED_UNTIL: Version = Version(1, 19, 6);

/// `name=value` parameters (prefix as nginx compares it).
const PREFIXES: &[&str] = &[
    "setfib=",
    "fastopen=",
    "backlog=",
    "rcvbuf=",
    "sndbuf=",
    "accept_filter=",
    "ipv6only=o",
    "so_keepalive=",
];

fn known(p: &str, v: Version) -> bool {
    PREFIXES.iter().any(|x| p.starts_with(x))
        || PARAMS
            .iter()
            .any(|&(name, from, to)| p == name && from <= v && v <= to)
}

/// `ngx_atoi`: one or more digits, no sign.
fn atoi(s: &str) -> Option<u64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `so_keepalive=on|off|[keepidle]:[keepintvl]:[keepcnt]` as `ngx_http_core_listen` reads it
/// where TCP keepalive is tunable (Linux; src/http/ngx_http_core_module.c:4414): times in
/// seconds, a count, not all three zero.
fn so_keepalive_ok(v: &str) -> bool {
    use crate::semantics::values::{atoi as num, parse_time};
    if v == "on" || v == "off" {
        return true;
    }
    let mut parts = v.splitn(3, ':');
    let idle = parts.next().unwrap_or("");
    let intvl = parts.next().unwrap_or("");
    let cnt = parts.next().unwrap_or("");
    let time = |s: &str| {
        if s.is_empty() {
            Some(0)
        } else {
            parse_time(s.as_bytes(), true)
        }
    };
    let (Some(idle), Some(intvl)) = (time(idle), time(intvl)) else {
        return false;
    };
    let cnt = if cnt.is_empty() {
        0
    } else {
        match num(cnt.as_bytes()) {
            Some(n) => n,
            None => return false,
        }
    };
    idle != 0 || intvl != 0 || cnt != 0
}

/// The value check nginx makes on a known `name=value` parameter, in its words.
fn value_error(p: &str) -> Option<String> {
    if let Some(v) = p.strip_prefix("backlog=") {
        return atoi(v)
            .is_none_or(|n| n == 0)
            .then(|| format!("invalid backlog \"{p}\""));
    }
    if let Some(v) = p.strip_prefix("fastopen=") {
        return atoi(v)
            .is_none()
            .then(|| format!("invalid fastopen \"{p}\""));
    }
    for buf in ["rcvbuf", "sndbuf"] {
        if let Some(v) = p.strip_prefix(buf).and_then(|r| r.strip_prefix('=')) {
            // ngx_parse_size: digits with an optional k/K/m/M (g/G only in later releases:
            // left alone).
            let digits = v.strip_suffix(['k', 'K', 'm', 'M']).unwrap_or(v);
            if v.ends_with(['g', 'G']) {
                return None;
            }
            return atoi(digits)
                .is_none()
                .then(|| format!("invalid {buf} \"{p}\""));
        }
    }
    if let Some(v) = p.strip_prefix("so_keepalive=") {
        return (!so_keepalive_ok(v)).then(|| format!("invalid so_keepalive value: \"{v}\""));
    }
    if let Some(v) = p.strip_prefix("ipv6only=") {
        return (v != "on" && v != "off").then(|| format!("invalid ipv6only flags \"{v}\""));
    }
    None
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("listen") {
        let node = model.node(id);
        if matches!(node.context, Context::StreamServer | Context::MailServer)
            && model.spec(id).is_some()
        {
            out.extend(stream_mail(cx, id));
            continue;
        }
        if node.context != Context::HttpServer || model.spec(id).is_none() {
            continue;
        }
        for (i, tok) in node.directive.arg_tokens().enumerate().skip(1) {
            let Some(p) = model.arg(id, i) else { continue };
            if known(&p, cx.version) {
                if let Some(message) = value_error(&p) {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            Label::new(model.file_of(id), tok.span(), "nginx cannot read this value"),
                            message,
                        )
                        .help("`backlog=` and `fastopen=` take a number, `rcvbuf=`/`sndbuf=` a size (`64k`), `ipv6only=` on or off, `so_keepalive=` on, off or `IDLE:INTERVAL:COUNT`"),
                    );
                    break;
                }
                continue;
            }
            // From 1.9.5 (HTTP/2 replacing SPDY) to 1.19.6 nginx warns and ignores `spdy`;
            // 1.19.7 dropped that case, and it is an unknown parameter since (`ngx_http_core_
            // listen` at each release tag).
            if p == "spdy" && (SPDY_WARNED_FROM..=SPDY_WARNED_UNTIL).contains(&cx.version) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        Label::new(model.file_of(id), tok.span(), "ignored by this nginx"),
                        "invalid parameter \"spdy\": ngx_http_spdy_module was superseded by \
                         ngx_http_v2_module"
                            .to_owned(),
                    )
                    .severity(Severity::Warning)
                    .help(format!(
                        "nginx {} warns and ignores `spdy` (no SPDY, no HTTP/2 on this port); \
                         replace it with `http2`, and nginx 1.19.7 and later refuse it",
                        cx.version
                    )),
                );
                continue;
            }
            let other_version = PARAMS.iter().find(|&&(name, _, _)| p == name);
            let help = if let Some(&(_, from, to)) = other_version {
                if cx.version < from {
                    format!(
                        "`{p}` is a `listen` parameter since nginx {from}; the target version is {}",
                        cx.version
                    )
                } else {
                    format!(
                        "`{p}` was a `listen` parameter until nginx {to}; the target version is {}",
                        cx.version
                    )
                }
            } else if !lookup(p.as_bytes()).is_empty() {
                format!("`{p}` is a directive: is the `;` after this `listen` missing?")
            } else {
                "see the parameters of `listen` in nginx's documentation".to_owned()
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), tok.span(), "not a `listen` parameter"),
                    format!("invalid parameter \"{p}\""),
                )
                .help(help),
            );
            break;
        }
    }
    out
}

/// `(parameter, first version, last version)` of `listen` in `stream` (`ngx_stream_core_listen`)
/// and `mail` (`ngx_mail_core_listen`) at each release; a name ending in `=` is a prefix.
const STREAM_PARAMS: &[(&str, Version, Version)] = &[
    ("udp", Version(0, 0, 0), Version(99, 0, 0)),
    ("bind", Version(0, 0, 0), Version(99, 0, 0)),
    ("backlog=", Version(0, 0, 0), Version(99, 0, 0)),
    ("ipv6only=o", Version(0, 0, 0), Version(99, 0, 0)),
    ("reuseport", Version(0, 0, 0), Version(99, 0, 0)),
    ("so_keepalive=", Version(0, 0, 0), Version(99, 0, 0)),
    ("ssl", Version(0, 0, 0), Version(99, 0, 0)),
    ("proxy_protocol", Version(1, 11, 4), Version(99, 0, 0)),
    ("rcvbuf=", Version(1, 13, 0), Version(99, 0, 0)),
    ("sndbuf=", Version(1, 13, 0), Version(99, 0, 0)),
    ("fastopen=", Version(1, 21, 0), Version(99, 0, 0)),
    ("default_server", Version(1, 25, 5), Version(99, 0, 0)),
    ("setfib=", Version(1, 25, 5), Version(99, 0, 0)),
    ("accept_filter=", Version(1, 25, 5), Version(99, 0, 0)),
    ("deferred", Version(1, 25, 5), Version(99, 0, 0)),
    ("multipath", Version(1, 29, 7), Version(99, 0, 0)),
];

const MAIL_PARAMS: &[(&str, Version, Version)] = &[
    ("bind", Version(0, 0, 0), Version(99, 0, 0)),
    ("backlog=", Version(0, 0, 0), Version(99, 0, 0)),
    ("ipv6only=o", Version(0, 0, 0), Version(99, 0, 0)),
    ("so_keepalive=", Version(0, 0, 0), Version(99, 0, 0)),
    ("ssl", Version(0, 0, 0), Version(99, 0, 0)),
    ("rcvbuf=", Version(1, 13, 0), Version(99, 0, 0)),
    ("sndbuf=", Version(1, 13, 0), Version(99, 0, 0)),
    ("proxy_protocol", Version(1, 19, 8), Version(99, 0, 0)),
    ("multipath", Version(1, 29, 7), Version(99, 0, 0)),
];

/// The release that words an unknown stream or mail `listen` parameter as http does.
const NEW_WORDING: Version = Version(1, 25, 5);

/// A stream or mail `listen`: its first parameter nginx refuses, in nginx's words.
fn stream_mail(cx: &LintContext<'_>, id: crate::semantics::model::NodeId) -> Option<Diagnostic> {
    let model = cx.model;
    let node = model.node(id);
    let (table, block) = if node.context == Context::StreamServer {
        (STREAM_PARAMS, "stream")
    } else {
        (MAIL_PARAMS, "mail")
    };
    let matches = |p: &str, name: &str| {
        if name.ends_with('=') || name == "ipv6only=o" {
            p.starts_with(name)
        } else {
            p == name
        }
    };
    for (i, tok) in node.directive.arg_tokens().enumerate().skip(1) {
        let p = model.arg(id, i)?;
        let known = table
            .iter()
            .find(|&&(name, from, to)| matches(&p, name) && from <= cx.version && cx.version <= to);
        if known.is_some() {
            if let Some(message) = value_error(&p) {
                return Some(
                    Diagnostic::new(
                        &RULE,
                        Label::new(model.file_of(id), tok.span(), "nginx cannot read this value"),
                        message,
                    )
                    .help("`backlog=` and `fastopen=` take a number, `rcvbuf=`/`sndbuf=` a size (`64k`), `ipv6only=` on or off, `so_keepalive=` on, off or idle:interval:count"),
                );
            }
            continue;
        }
        let help = if let Some(&(_, from, _)) =
            table.iter().find(|&&(name, _, _)| matches(&p, name))
        {
            format!(
                "`{p}` is a `listen` parameter in `{block}` since nginx {from}; the target version is {}",
                cx.version
            )
        } else if !lookup(p.as_bytes()).is_empty() {
            format!("`{p}` is a directive: is the `;` after this `listen` missing?")
        } else {
            format!("see the parameters of `listen` in nginx's `{block}` documentation")
        };
        let message = if cx.version >= NEW_WORDING {
            format!("invalid parameter \"{p}\"")
        } else {
            format!("the invalid \"{p}\" parameter")
        };
        return Some(
            Diagnostic::new(
                &RULE,
                Label::new(
                    model.file_of(id),
                    tok.span(),
                    "not a `listen` parameter here",
                ),
                message,
            )
            .help(help),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::value_error;

    #[test]
    fn so_keepalive_as_nginx_reads_it() {
        for ok in [
            "so_keepalive=on",
            "so_keepalive=off",
            "so_keepalive=30m::10",
            "so_keepalive=:10s",
            "so_keepalive=1:1:1",
        ] {
            assert_eq!(value_error(ok), None, "{ok}");
        }
        assert_eq!(
            value_error("so_keepalive=yes").as_deref(),
            Some("invalid so_keepalive value: \"yes\"")
        );
        assert!(value_error("so_keepalive=0:0:0").is_some());
        assert!(value_error("so_keepalive=::").is_some());
        assert!(value_error("so_keepalive=1:2:x").is_some());
    }

    #[test]
    fn values_as_nginx_reads_them() {
        for ok in [
            "backlog=511",
            "fastopen=0",
            "rcvbuf=64k",
            "sndbuf=1M",
            "ipv6only=on",
            "ipv6only=off",
            "rcvbuf=1g",
        ] {
            assert_eq!(value_error(ok), None, "{ok}");
        }
        assert_eq!(
            value_error("backlog=0").as_deref(),
            Some("invalid backlog \"backlog=0\"")
        );
        assert_eq!(
            value_error("rcvbuf=64kb").as_deref(),
            Some("invalid rcvbuf \"rcvbuf=64kb\"")
        );
        assert_eq!(
            value_error("fastopen=-1").as_deref(),
            Some("invalid fastopen \"fastopen=-1\"")
        );
        for ok in [
            "so_keepalive=on",
            "so_keepalive=30m::10",
            "so_keepalive=:10s",
            "so_keepalive=::3",
        ] {
            assert_eq!(value_error(ok), None, "{ok}");
        }
        assert_eq!(
            value_error("so_keepalive=yes").as_deref(),
            Some("invalid so_keepalive value: \"yes\"")
        );
        assert_eq!(
            value_error("so_keepalive=0:0:0").as_deref(),
            Some("invalid so_keepalive value: \"0:0:0\"")
        );
        assert_eq!(
            value_error("ipv6only=onn").as_deref(),
            Some("invalid ipv6only flags \"onn\"")
        );
    }
}
