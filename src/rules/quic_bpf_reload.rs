//! `quic-bpf-reload`: `quic_bpf on` with a `listen ... quic reuseport` socket and more than one
//! worker: after every reload nginx's BPF reuseport map still routes new QUIC connections to
//! the old workers, which are shutting down, so a share of HTTP/3 connections is dropped until
//! a full restart (nginx/nginx#425, open). `quic_bpf off;` avoids it (HTTP/3 works without the
//! eBPF steering).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "quic-bpf-reload",
    summary: "`quic_bpf on` with `listen ... quic reuseport` and several workers drops new HTTP/3 connections after each reload (nginx/nginx#425)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/quic-bpf-reload.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let on = |name: &str| {
        model
            .directives_named(name)
            .iter()
            .copied()
            .find(|&d| model.node(d).parent().is_none())
    };
    let Some(bpf) = on("quic_bpf") else {
        return Vec::new();
    };
    if !model
        .arg(bpf, 0)
        .is_some_and(|v| v.eq_ignore_ascii_case("on"))
    {
        return Vec::new();
    }
    // One worker (nginx's default) has nothing to steer between.
    let Some(workers) = on("worker_processes").and_then(|w| model.arg(w, 0)) else {
        return Vec::new();
    };
    if workers == "1" {
        return Vec::new();
    }
    let Some(&listen) = model.directives_named("listen").iter().find(|&&l| {
        let args: Vec<String> = (1..model.arg_count(l))
            .filter_map(|i| model.arg(l, i))
            .collect();
        args.iter().any(|a| a == "quic") && args.iter().any(|a| a == "reuseport")
    }) else {
        return Vec::new();
    };
    vec![
        Diagnostic::at_node(
            &RULE,
            model,
            bpf,
            format!(
                "`quic_bpf on` with a `quic reuseport` listener and `worker_processes {workers}`: \
                 after each reload new HTTP/3 connections can reach old workers that are shutting \
                 down and are dropped (nginx/nginx#425)"
            ),
        )
        .label(Label::at_node(
            model,
            listen,
            "QUIC listener with reuseport",
        ))
        .help("`quic_bpf off;` until nginx fixes the reload path; HTTP/3 works without it"),
    ]
}
