//! `invalid-syslog`: a `syslog:` log target nginx refuses (`ngx_syslog_parse_args`,
//! `ngx_syslog_process_conf`), in `error_log` anywhere and in `access_log` of http and stream:
//! an unknown parameter (`unknown syslog parameter "sever=10.0.0.1"`), facility or severity, a
//! parameter given twice, a `tag` longer than 32 characters or with characters other than
//! letters, digits and `_`, or no `server=` at all. The server address itself is not checked
//! (a host name is resolved when nginx starts).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-syslog",
    summary: "a `syslog:` log target nginx refuses: unknown parameter, facility or severity, bad tag, no server (nginx: unknown syslog parameter)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-syslog.md"),
    check,
};

/// `facilities` of `src/core/ngx_syslog.c`.
const FACILITIES: &[&str] = &[
    "kern", "user", "mail", "daemon", "auth", "intern", "lpr", "news", "uucp", "clock", "authpriv",
    "ftp", "ntp", "audit", "alert", "cron", "local0", "local1", "local2", "local3", "local4",
    "local5", "local6", "local7",
];

/// `severities` of `src/core/ngx_syslog.c` (nginx.conf's level names, not syslog's).
const SEVERITIES: &[&str] = &[
    "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
];

/// What nginx says about the `syslog:...` target `arg`, or `None` when it takes it.
fn syslog_error(arg: &str) -> Option<String> {
    let rest = arg.strip_prefix("syslog:")?;
    let (mut server, mut facility, mut severity, mut tag) = (false, false, false, false);
    for p in rest.split(',') {
        if p.starts_with("server=") {
            if server {
                return Some("duplicate syslog \"server\"".to_owned());
            }
            server = true;
        } else if let Some(v) = p.strip_prefix("facility=") {
            if facility {
                return Some("duplicate syslog \"facility\"".to_owned());
            }
            if !FACILITIES.contains(&v) {
                return Some(format!("unknown syslog facility \"{v}\""));
            }
            facility = true;
        } else if let Some(v) = p.strip_prefix("severity=") {
            if severity {
                return Some("duplicate syslog \"severity\"".to_owned());
            }
            if !SEVERITIES.contains(&v) {
                return Some(format!("unknown syslog severity \"{v}\""));
            }
            severity = true;
        } else if let Some(v) = p.strip_prefix("tag=") {
            if tag {
                return Some("duplicate syslog \"tag\"".to_owned());
            }
            if v.len() > 32 {
                return Some("syslog tag length exceeds 32".to_owned());
            }
            if !v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
                return Some(
                    "syslog \"tag\" only allows alphanumeric characters and underscore".to_owned(),
                );
            }
            tag = true;
        } else if p != "nohostname" {
            return Some(format!("unknown syslog parameter \"{p}\""));
        }
    }
    (!server).then(|| "no syslog server specified".to_owned())
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["error_log", "access_log"] {
        for &id in model.directives_named(name) {
            if !is_nginx(model, id) {
                continue;
            }
            let Some(message) = model.arg(id, 0).and_then(|a| syslog_error(&a)) else {
                continue;
            };
            let node = model.node(id);
            let Some(tok) = node.directive.arg_tokens().next() else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), tok.span(), "nginx cannot read this syslog target"),
                    message,
                )
                .help("`syslog:server=ADDRESS[,facility=local7][,severity=info][,tag=nginx][,nohostname]`"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::syslog_error;

    #[test]
    fn syslog_targets_as_nginx_reads_them() {
        for ok in [
            "syslog:server=unix:/dev/log",
            "syslog:server=10.0.0.1:514,facility=local7,tag=nginx_1,severity=info,nohostname",
        ] {
            assert_eq!(syslog_error(ok), None, "{ok}");
        }
        let e = |s: &str| syslog_error(s).unwrap();
        assert_eq!(
            e("syslog:sever=10.0.0.1"),
            "unknown syslog parameter \"sever=10.0.0.1\""
        );
        assert_eq!(
            e("syslog:server=a,facility=local8"),
            "unknown syslog facility \"local8\""
        );
        assert_eq!(
            e("syslog:server=a,severity=warning"),
            "unknown syslog severity \"warning\""
        );
        assert_eq!(e("syslog:server=a,server=b"), "duplicate syslog \"server\"");
        assert_eq!(
            e("syslog:server=a,tag=my-app"),
            "syslog \"tag\" only allows alphanumeric characters and underscore"
        );
        assert_eq!(
            e(&format!("syslog:server=a,tag={}", "a".repeat(33))),
            "syslog tag length exceeds 32"
        );
        assert_eq!(e("syslog:facility=local7"), "no syslog server specified");
        assert_eq!(e("syslog:server=a,"), "unknown syslog parameter \"\"");
    }
}
