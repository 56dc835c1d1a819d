//! `invalid-arguments`: a known directive whose arguments nginx rejects: the wrong number of
//! them (`invalid number of arguments in "x" directive`) or a value its standard `set` handler
//! cannot parse (flag, time, size, offset, number, enum, bitmask).
//!
//! The value parsers below are ports of nginx's own (`ngx_parse_time`, `ngx_parse_size`,
//! `ngx_parse_offset`, `ngx_atoi`, the `ngx_conf_set_*_slot` handlers): byte for byte, so a
//! value is rejected here exactly when `nginx -t` rejects it. Directives whose table entry has
//! [`Value::Other`] (strings, variables, module-specific syntax) only get the arity check. An
//! `include` among the entries of `types` gets nginx's arity check too.

use super::{
    Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity, edit_distance,
};
use crate::semantics::directives::{DirectiveSpec, PerSpec, Value, Version, args, is_third_party};
use crate::semantics::model::NodeId;
use crate::semantics::values::{atoi, parse_offset, parse_size, parse_time};
use crate::syntax::value::token_value;
use crate::syntax::{End, Token};
use std::borrow::Cow;

pub static RULE: Rule = Rule {
    id: "invalid-arguments",
    summary: "wrong number of arguments or a value nginx cannot parse (nginx: \"invalid number of arguments\", \"invalid value\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-arguments.md"),
    check,
};

/// `proxy_http_version 2` (HTTP/2 to upstreams) appeared in this release.
const PROXY_HTTP2_SINCE: Version = Version(1, 29, 4);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // One pair of buffers for every node (two allocations per directive otherwise).
    let mut tokens: Vec<Token> = Vec::new();
    let mut values: Vec<Cow<'_, [u8]>> = Vec::new();
    // Asked per directive, the same for every directive of an entry.
    let mut facts: PerSpec<Facts> = PerSpec::default();
    // `include` among the entries of `types` (`ngx_http_core_type`,
    // src/http/ngx_http_core_module.c:3406): exactly one file.
    for &id in cx.directives_named("include") {
        let node = model.node(id);
        if node.context == crate::semantics::Context::Entries
            && model.arg_count(id) != 1
            && matches!(node.directive.end(), End::Semicolon(_))
            && node.parent().is_some_and(|p| {
                model.name(p) == "types" && crate::semantics::loadtime::is_nginx(model, p)
            })
        {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    "invalid number of arguments in \"include\" directive",
                )
                .help(
                    "`include` in `types` takes one file (or glob): write one `include` per file",
                ),
            );
        }
    }
    for id in cx.node_ids() {
        let node = model.node(id);
        let Some(spec) = model.spec(id) else { continue };
        if !spec.exists_in(cx.version) {
            continue; // unknown in this version: another rule's business
        }
        // Block-ness mismatches and unterminated directives are syntax errors, reported first.
        let terminated = match node.directive.end() {
            End::Semicolon(_) => !spec.is_block(),
            End::Block(_) => spec.is_block(),
            End::Missing => false,
        };
        if !terminated {
            continue;
        }
        // The tokens and values (unquoted, unescaped) only where something reads them: most
        // directives take a string nginx does not parse here, and only their count matters.
        let src = model.src(id);
        let read = |tokens: &mut Vec<Token>, values: &mut Vec<_>| {
            tokens.clear();
            tokens.extend(node.directive.arg_tokens());
            values.clear();
            values.extend(tokens.iter().map(|&t| token_value(src, t)));
        };
        let facts = facts.get(spec, || Facts {
            args: spec.args_at(cx.version),
            value: spec.value_at(cx.version),
            access: ACCESS_SLOT.contains(&spec.name) && !is_third_party(spec),
            ignored: spec.deprecation(cx.version).is_some_and(|d| d.ignored),
        });
        if !args::accepts(facts.args, node.directive.arg_tokens().count()) {
            read(&mut tokens, &mut values);
            out.push(arity(cx, id, spec, &values));
            continue;
        }
        let is_use = model.name(id) == "use" && node.context == crate::semantics::Context::Events;
        let (is_access, value) = (facts.access, facts.value);
        if !is_use && !is_access && value == Value::Other {
            continue; // only the arity is checked
        }
        // A directive nginx only warns about and ignores: its value is not parsed.
        if facts.ignored {
            continue;
        }
        read(&mut tokens, &mut values);
        let bad = |t: Token, message: String, help: String| {
            Diagnostic::new(&RULE, Label::new(model.file_of(id), t.span(), ""), message).help(help)
        };
        let lossy = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
        if is_use {
            if let (Some(t), Some(v)) = (tokens.first(), values.first())
                && !EVENT_METHODS.iter().any(|m| m.as_bytes() == &**v)
            {
                out.push(bad(
                    *t,
                    format!("invalid event type \"{}\"", lossy(v)),
                    "`use` names an event method nginx was built with: `epoll` on Linux, `kqueue` on BSD and macOS; leave it out and nginx picks the best one".to_owned(),
                ));
            } else if let (Some(t), Some(v), Some(why)) =
                (tokens.first(), values.first(), &cx.settings.linux_because)
                && NOT_ON_LINUX.iter().any(|m| m.as_bytes() == &**v)
            {
                // nginx on Linux builds epoll, poll and select only (auto/os/linux; held-out
                // batch 385: `use kqueue;` in a Compose stack's nginx:1.25-alpine, measured
                // refused by Debian's 1.22.1 with this message).
                out.push(bad(
                    *t,
                    format!(
                        "invalid event type \"{}\": nginx on Linux has `epoll`, `poll` and \
                         `select` only, and {why}",
                        lossy(v)
                    ),
                    "write `use epoll;`, or leave `use` out and nginx picks epoll".to_owned(),
                ));
            }
            continue;
        }
        if is_access {
            if let Some((t, v)) = tokens.iter().zip(&values).find(|(_, v)| !access_ok(v)) {
                out.push(bad(
                    *t,
                    format!("invalid value \"{}\"", lossy(v)),
                    "permissions are `user:rw|r`, `group:rw|r`, `all:rw|r` (`user:rw group:rw all:r`)".to_owned(),
                ));
            }
            continue;
        }
        match value {
            Value::Other => {}
            Value::Bitmask(allowed) => {
                for (t, v) in tokens.iter().zip(&values) {
                    if !allowed.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(v)) {
                        out.push(bad(
                            *t,
                            format!(
                                "invalid value \"{}\" in \"{}\" directive",
                                lossy(v),
                                model.name(id)
                            ),
                            one_of_help(&lossy(v), allowed, true),
                        ));
                    }
                }
            }
            _ if tokens.len() != 1 => {}
            value => {
                let (t, v) = (tokens[0], &values[0]);
                if let Some((message, help)) = check_value(cx, model.name(id), value, v) {
                    out.push(bad(t, message, help));
                }
            }
        }
    }
    out
}

/// What this rule asks of a table entry, for the target version: the same for every directive
/// of the entry.
#[derive(Clone, Copy)]
struct Facts {
    args: u32,
    value: Value,
    /// Read by `ngx_conf_set_access_slot` (see [`ACCESS_SLOT`]).
    access: bool,
    /// nginx warns about it and ignores its value.
    ignored: bool,
}

/// The event methods of other systems than Linux: FreeBSD's, macOS's and the other BSDs'
/// `kqueue`, Solaris's `/dev/poll` and `eventport`, Windows's `iocp`.
const NOT_ON_LINUX: &[&str] = &["kqueue", "/dev/poll", "eventport", "iocp"];

/// The names of nginx's event modules on every platform (src/event/modules/*.c, `rtsig` until
/// 1.9.13): `use` with another name is refused everywhere; which of these a build has depends
/// on the platform, so they are not judged.
const EVENT_METHODS: &[&str] = &[
    "epoll",
    "kqueue",
    "select",
    "poll",
    "/dev/poll",
    "eventport",
    "iocp",
    "rtsig",
    "event_core",
];

/// Directives read by `ngx_conf_set_access_slot` (src/core/ngx_file.c).
const ACCESS_SLOT: &[&str] = &[
    "proxy_store_access",
    "fastcgi_store_access",
    "uwsgi_store_access",
    "scgi_store_access",
    "dav_access",
];

/// One `ngx_conf_set_access_slot` argument: `user:`, `group:` or `all:`, then `rw` or `r`.
fn access_ok(v: &[u8]) -> bool {
    let rights = v
        .strip_prefix(b"user:")
        .or_else(|| v.strip_prefix(b"group:"))
        .or_else(|| v.strip_prefix(b"all:"));
    matches!(rights, Some(b"rw" | b"r"))
}

/// The error nginx gives for the single argument `v` of directive `name`, with a help.
fn check_value(
    cx: &LintContext<'_>,
    name: &str,
    value: Value,
    v: &[u8],
) -> Option<(String, String)> {
    // Borrowed (no copy) for the common valid UTF-8 value; most values are fine. `from_utf8`
    // checks ASCII a word at a time, where `from_utf8_lossy` goes byte by byte.
    let text = std::str::from_utf8(v).map_or_else(|_| String::from_utf8_lossy(v), Cow::Borrowed);
    let invalid_value = || format!("\"{name}\" directive invalid value");
    match value {
        Value::Flag => {
            if v.eq_ignore_ascii_case(b"on") || v.eq_ignore_ascii_case(b"off") {
                return None;
            }
            let help = match flag_suggestion(&text) {
                Some(s) => format!("`{name}` is a switch: write `{name} {s};`"),
                None => format!("`{name}` is a switch: its value is `on` or `off`"),
            };
            Some((
                format!(
                    "invalid value \"{text}\" in \"{name}\" directive, it must be \"on\" or \"off\""
                ),
                help,
            ))
        }
        Value::Msec | Value::Sec => {
            let is_sec = value == Value::Sec;
            if parse_time(v, is_sec).is_some() {
                return None;
            }
            Some((invalid_value(), time_help(name, &text, is_sec)))
        }
        Value::Size | Value::Offset => {
            let offset = value == Value::Offset;
            let ok = if offset {
                parse_offset(v).is_some()
            } else {
                parse_size(v).is_some()
            };
            if ok {
                return None;
            }
            Some((invalid_value(), size_help(name, &text, offset)))
        }
        Value::Number => {
            if atoi(v).is_some() {
                return None;
            }
            // `worker_connections` has its own handler (`ngx_event_connections`), worded so.
            let message = if name == "worker_connections" {
                format!("invalid number \"{text}\"")
            } else {
                format!("\"{name}\" directive invalid number")
            };
            Some((
                message,
                format!(
                    "\"{text}\" is not a number: `{name}` takes a plain non-negative integer (digits only, no unit, no variable)"
                ),
            ))
        }
        Value::Enum(allowed) => {
            let listed = allowed.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(v));
            // Formatted only once a finding is certain (most values are fine).
            let message = || format!("invalid value \"{text}\" in \"{name}\" directive");
            if name == "proxy_http_version" {
                // "2" (HTTP/2 to upstreams) is new in 1.29.4; "1.0" and "1.1" always work.
                let allowed_here: &[&str] = if cx.version >= PROXY_HTTP2_SINCE {
                    &["1.0", "1.1", "2"]
                } else {
                    &["1.0", "1.1"]
                };
                if allowed_here.iter().any(|a| a.as_bytes() == v) {
                    return None;
                }
                let help = if listed {
                    format!(
                        "`proxy_http_version {text}` (HTTP/2 to upstreams) needs nginx {PROXY_HTTP2_SINCE} or later (target: {}); use `1.1`, or raise the target version",
                        cx.version
                    )
                } else {
                    one_of_help(&text, allowed_here, false)
                };
                return Some((message(), help));
            }
            if listed {
                return None;
            }
            Some((message(), one_of_help(&text, allowed, false)))
        }
        Value::Bitmask(_) | Value::Other => None,
    }
}

/// `invalid number of arguments`, on the head, with what the directive takes.
fn arity(
    cx: &LintContext<'_>,
    id: NodeId,
    spec: &DirectiveSpec,
    values: &[std::borrow::Cow<'_, [u8]>],
) -> Diagnostic {
    let model = cx.model;
    let name = model.name(id);
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!("invalid number of arguments in \"{name}\" directive"),
    );
    let got = match values.len() {
        1 => "1 was given".to_owned(),
        n => format!("{n} were given"),
    };
    let mask = spec.args_at(cx.version);
    let takes = describe_arity(mask, spec.value_at(cx.version));
    // The arguments fit another nginx release: say which (`keepalive 16 local` from 1.29.7).
    d = if args::accepts(spec.args, values.len()) && !args::accepts(mask, values.len()) {
        let since = version_taking(spec, values.len()).unwrap_or(cx.version);
        d.help(format!(
            "in nginx {}, `{name}` takes {takes}; {got}. nginx {since} and later take {}: set --nginx-version to the version you run",
            cx.version,
            describe_arity(spec.args, spec.value),
        ))
    } else {
        d.help(format!("`{name}` takes {takes}; {got}"))
    };
    if values.len() > 1 && matches!(spec.value, Value::Msec | Value::Sec) {
        let joined: Vec<u8> = values.join(&b' ');
        if parse_time(&joined, spec.value == Value::Sec).is_some() {
            d = d.help(format!(
                "a time with several units is one argument and must be quoted: `{name} \"{}\";`",
                String::from_utf8_lossy(&joined)
            ));
        }
    }
    d
}

/// The first release after `spec.since` whose argument bits accept `n` arguments.
fn version_taking(spec: &DirectiveSpec, n: usize) -> Option<Version> {
    crate::semantics::directives::ARGS_HISTORY
        .iter()
        .filter(|(name, module, _)| *name == spec.name && *module == spec.module)
        .flat_map(|(_, _, changes)| changes.iter())
        .filter(|(v, a)| *v >= spec.since && args::accepts(*a, n))
        .map(|(v, _)| *v)
        .max()
}

/// "1 argument", "1 or 2 arguments", "at least 1 argument", "no arguments".
fn describe_arity(mask: u32, value: Value) -> String {
    if mask & args::FLAG != 0 {
        return if value == Value::Flag {
            "exactly 1 argument (`on` or `off`)".to_owned()
        } else {
            "exactly 1 argument".to_owned()
        };
    }
    if mask & args::ONE_MORE != 0 {
        return "at least 1 argument".to_owned();
    }
    if mask & args::TWO_MORE != 0 {
        return "at least 2 arguments".to_owned();
    }
    let counts: Vec<usize> = (0..=7).filter(|&n| mask & (1 << n) != 0).collect();
    match counts.as_slice() {
        [] => "no arguments".to_owned(),
        [0] => "no arguments".to_owned(),
        [n] => format!("{n} argument{}", if *n == 1 { "" } else { "s" }),
        _ => {
            let (last, rest) = counts.split_last().expect("non-empty");
            let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
            format!("{} or {last} arguments", rest.join(", "))
        }
    }
}

/// "allowed values: `a`, `b`" plus a "did you mean" when one is close.
fn one_of_help(value: &str, allowed: &[&str], several: bool) -> String {
    let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
    let mut help = if several {
        format!("each value must be one of {}", list.join(", "))
    } else {
        format!("the value must be one of {}", list.join(", "))
    };
    let lower = value.to_ascii_lowercase();
    if let Some(best) = allowed
        .iter()
        .map(|a| (edit_distance(&lower, &a.to_ascii_lowercase()), a))
        .filter(|(d, _)| *d <= 2 && *d < value.len())
        .min_by_key(|(d, _)| *d)
    {
        help.push_str(&format!(" (did you mean `{}`?)", best.1));
    }
    help
}

fn flag_suggestion(v: &str) -> Option<&'static str> {
    match v.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "enable" | "enabled" | "enabe" => Some("on"),
        "no" | "n" | "false" | "0" | "disable" | "disabled" | "none" => Some("off"),
        _ => None,
    }
}

// --- suggestions ---

/// The help for a bad time: a corrected form when the intent is clear, and the syntax.
fn time_help(name: &str, value: &str, is_sec: bool) -> String {
    let syntax = if is_sec {
        "a time is a number with units `s m h d w M y`, largest first, each at most once (no unit means seconds)"
    } else {
        "a time is a number with units `ms s m h d w`, largest first, each at most once (no unit means seconds); `M` and `y` are not allowed in millisecond timeouts"
    };
    match suggest_time(value, is_sec) {
        Some(s) => format!("write `{name} {s};`: {syntax}"),
        None if value.contains('$') => {
            format!("`{name}` does not take variables: {syntax}")
        }
        None => syntax.to_owned(),
    }
}

/// A valid spelling of what `value` most likely means (`30sec` → `30s`, `1y` on a millisecond
/// timeout → `365d`, `30m 1h` → `"1h 30m"`), quoted when it has several parts.
fn suggest_time(value: &str, is_sec: bool) -> Option<String> {
    let mut parts: Vec<(u64, &'static str)> = Vec::new();
    let b = value.trim().as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let number: u64 = value.trim()[start..i].parse().ok()?;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let ustart = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = time_unit(&value.trim()[ustart..i])?;
        parts.push((number, unit));
    }
    if parts.is_empty() {
        return None;
    }
    let render = |parts: &[(u64, &str)]| {
        let s: Vec<String> = parts.iter().map(|(n, u)| format!("{n}{u}")).collect();
        if s.len() > 1 {
            format!("\"{}\"", s.join(" "))
        } else {
            s.concat()
        }
    };
    // Same parts, nginx's unit letters.
    let direct: Vec<String> = parts.iter().map(|(n, u)| format!("{n}{u}")).collect();
    if parse_time(direct.join(" ").as_bytes(), is_sec).is_some() {
        let s = render(&parts);
        return (s != value).then_some(s);
    }
    // Otherwise the same duration, largest units first.
    let ms: u64 = parts.iter().try_fold(0u64, |acc, (n, u)| {
        acc.checked_add(n.checked_mul(unit_ms(u))?)
    })?;
    let units: &[&'static str] = if is_sec {
        &["d", "h", "m", "s"]
    } else {
        &["d", "h", "m", "s", "ms"]
    };
    let mut rest = ms;
    let mut out = Vec::new();
    for u in units {
        let size = unit_ms(u);
        if rest >= size {
            out.push((rest / size, *u));
            rest %= size;
        }
    }
    if rest != 0 || out.is_empty() {
        return None;
    }
    let s = render(&out);
    (parse_time(s.trim_matches('"').as_bytes(), is_sec).is_some() && s != value).then_some(s)
}

fn time_unit(u: &str) -> Option<&'static str> {
    if u == "M" {
        return Some("M");
    }
    Some(match u.to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => "ms",
        "m" | "min" | "mins" | "minute" | "minutes" => "m",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        "w" | "week" | "weeks" => "w",
        "mo" | "mon" | "month" | "months" => "M",
        "y" | "yr" | "yrs" | "year" | "years" => "y",
        _ => return None,
    })
}

fn unit_ms(u: &str) -> u64 {
    match u {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        "M" => 30 * 86_400_000,
        _ => 365 * 86_400_000, // "y"
    }
}

/// The help for a bad size or offset.
fn size_help(name: &str, value: &str, offset: bool) -> String {
    let syntax = if offset {
        "a size is a number of bytes with an optional `k`, `m` or `g` suffix"
    } else {
        "a size is a number of bytes with an optional `k` or `m` suffix"
    };
    match suggest_size(value, offset) {
        Some(s) => format!("write `{name} {s};`: {syntax}"),
        None if value.contains('$') => format!("`{name}` does not take variables: {syntax}"),
        None => syntax.to_owned(),
    }
}

/// `10MB` → `10m`, `1.5m` → `1536k`, `2G` (size) → `2048m`.
fn suggest_size(value: &str, offset: bool) -> Option<String> {
    let v = value.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let num: f64 = num.parse().ok()?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" | "byte" | "bytes" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = num * scale;
    if bytes.fract() != 0.0 || !(0.0..9.0e15).contains(&bytes) {
        return None;
    }
    let bytes = bytes as u64;
    let units: &[(u64, &str)] = if offset {
        &[(1 << 30, "g"), (1 << 20, "m"), (1 << 10, "k")]
    } else {
        &[(1 << 20, "m"), (1 << 10, "k")]
    };
    let s = units
        .iter()
        .find(|(size, _)| bytes != 0 && bytes.is_multiple_of(*size))
        .map_or_else(
            || bytes.to_string(),
            |(size, u)| format!("{}{u}", bytes / size),
        );
    (s != value).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_follows_ngx_parse_time() {
        assert_eq!(parse_time(b"30", false), Some(30_000));
        assert_eq!(parse_time(b"30s", true), Some(30));
        assert_eq!(parse_time(b"500ms", false), Some(500));
        assert_eq!(parse_time(b"1h 30m", false), Some(5_400_000));
        assert_eq!(parse_time(b"1h30m", true), Some(5400));
        assert_eq!(parse_time(b"1d 1", true), Some(86_401));
        assert_eq!(parse_time(b"1y", true), Some(31_536_000));
        assert_eq!(parse_time(b"1M", true), Some(2_592_000));
        assert_eq!(parse_time(b"0", false), Some(0));
        for bad in [
            &b"30sec"[..],
            b"1y",
            b"1M",
            b"30m 1h",
            b"1h 1h",
            b"",
            b"s",
            b"$t",
            b"-1",
            b"1.5s",
            b"99999999999999999999",
        ] {
            assert_eq!(
                parse_time(bad, false),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(parse_time(b"5ms", true), None);
    }

    #[test]
    fn sizes_follow_ngx_parse_size() {
        assert_eq!(parse_size(b"8k"), Some(8192));
        assert_eq!(parse_size(b"1M"), Some(1 << 20));
        assert_eq!(parse_size(b"0"), Some(0));
        assert_eq!(parse_size(b"1g"), None);
        assert_eq!(parse_offset(b"1G"), Some(1 << 30));
        for bad in [&b"10MB"[..], b"k", b"", b"1.5m", b"$x", b"-1"] {
            assert_eq!(parse_size(bad), None);
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_time("30sec", false).as_deref(), Some("30s"));
        assert_eq!(suggest_time("1y", false).as_deref(), Some("365d"));
        assert_eq!(suggest_time("30m 1h", true).as_deref(), Some("\"1h 30m\""));
        assert_eq!(suggest_time("5 minutes", true).as_deref(), Some("5m"));
        assert_eq!(suggest_size("10MB", false).as_deref(), Some("10m"));
        assert_eq!(suggest_size("1.5m", false).as_deref(), Some("1536k"));
        assert_eq!(suggest_size("2G", false).as_deref(), Some("2048m"));
        assert_eq!(
            describe_arity(args::TAKE12, Value::Other),
            "1 or 2 arguments"
        );
        assert_eq!(
            describe_arity(args::NOARGS | args::BLOCK, Value::Other),
            "no arguments"
        );
    }
}
