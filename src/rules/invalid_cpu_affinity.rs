//! `invalid-cpu-affinity`: a `worker_cpu_affinity` nginx cannot read (`ngx_set_cpu_affinity`):
//! masks are `0`/`1` strings (spaces allowed) of at most 1024 CPUs (`CPU_SETSIZE` on Linux), and
//! `auto` takes at most one mask: `invalid character "2" in "worker_cpu_affinity"`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-cpu-affinity",
    summary: "a `worker_cpu_affinity` mask nginx cannot read (nginx: invalid character in \"worker_cpu_affinity\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-cpu-affinity.md"),
    check,
};

/// `CPU_SETSIZE` of glibc: the most CPUs a mask may name on Linux.
const CPU_SETSIZE: usize = 1024;

/// nginx's complaint about `worker_cpu_affinity` arguments `args`: (argument index, message).
fn affinity_error(args: &[String]) -> Option<(usize, String)> {
    let first = if args.first().is_some_and(|a| a == "auto") {
        if args.len() > 2 {
            return Some((
                0,
                "invalid number of arguments in \"worker_cpu_affinity\" directive".to_owned(),
            ));
        }
        1
    } else {
        0
    };
    for (i, mask) in args.iter().enumerate().skip(first) {
        if mask.len() > CPU_SETSIZE {
            return Some((
                i,
                format!("\"worker_cpu_affinity\" supports up to {CPU_SETSIZE} CPUs only"),
            ));
        }
        // nginx reads the mask from its last character.
        if let Some(c) = mask.chars().rev().find(|&c| !matches!(c, '0' | '1' | ' ')) {
            return Some((
                i,
                format!("invalid character \"{c}\" in \"worker_cpu_affinity\""),
            ));
        }
    }
    None
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("worker_cpu_affinity") {
        if !is_nginx(model, id) {
            continue;
        }
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let Some((i, message)) = affinity_error(&args) else {
            continue;
        };
        let node = model.node(id);
        let label = match node.directive.arg_tokens().nth(i) {
            Some(tok) if i > 0 || !message.starts_with("invalid number") => Label::new(
                model.file_of(id),
                tok.span(),
                "not a CPU mask nginx can read",
            ),
            _ => Label::at_node(model, id, ""),
        };
        out.push(
            Diagnostic::new(&RULE, label, message).help(
                "one mask of 0 and 1 per worker (`0001 0010`), or `auto` with at most one mask",
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::affinity_error;

    fn err(args: &[&str]) -> Option<String> {
        let v: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        affinity_error(&v).map(|(_, m)| m)
    }

    #[test]
    fn masks_as_nginx_reads_them() {
        assert_eq!(err(&["0001", "0010"]), None);
        assert_eq!(err(&["auto"]), None);
        assert_eq!(err(&["auto", "01010101"]), None);
        assert_eq!(
            err(&["0102"]).as_deref(),
            Some("invalid character \"2\" in \"worker_cpu_affinity\"")
        );
        assert_eq!(
            err(&["auto", "01", "10"]).as_deref(),
            Some("invalid number of arguments in \"worker_cpu_affinity\" directive")
        );
        assert!(
            err(&[&"1".repeat(1025)])
                .unwrap()
                .contains("up to 1024 CPUs")
        );
    }
}
