//! `variable-case-mixed`: one variable spelled with different letter case (`$My_Var` and
//! `$MY_VAR`). nginx compares variable names without case (`ngx_http_get_variable_index`
//! lowercases them), so both spellings are the same variable, which readers (and grep) take for
//! two. The first spelling in the configuration is the reference; each later one that differs
//! is reported, with a safe fix that rewrites it.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "variable-case-mixed",
    summary: "one variable written with different letter case (`$My_Var`, `$MY_VAR`): nginx treats them as the same variable",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    category: Category::Style,
    default: false,
    doc: include_str!("../../rules/variable-case-mixed.md"),
    check,
};

/// `$name` and `${name}` in a raw token: (byte offset of the name in the token, name).
fn names(raw: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'$' {
            i += 1;
            continue;
        }
        let start = if raw.get(i + 1) == Some(&b'{') {
            i + 2
        } else {
            i + 1
        };
        let len = raw[start..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .unwrap_or(raw.len() - start);
        // `$1` captures have no case; names start with a letter or `_`.
        if len > 0 && !raw[start].is_ascii_digit() {
            out.push((start, &raw[start..start + len]));
        }
        i = start + len.max(1);
    }
    out
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut first: HashMap<Vec<u8>, (u32, Span, &[u8])> = HashMap::new();
    let mut out = Vec::new();
    for (id, node) in (0..).zip(&model.nodes) {
        // Regex patterns use `$` as an anchor, not a variable.
        if matches!(model.name(id), "location" | "server_name") {
            continue;
        }
        let file = model.file_of(id);
        let src = &model.program.file(file).src;
        for tok in node.directive.arg_tokens() {
            let raw = tok.text(src);
            for (at, name) in names(raw) {
                let span = Span {
                    start: tok.span().start + at as u32,
                    end: tok.span().start + (at + name.len()) as u32,
                };
                let key = name.to_ascii_lowercase();
                match first.get(&key) {
                    None => {
                        first.insert(key, (file, span, name));
                    }
                    Some(&(ffile, fspan, fname)) if fname != name => {
                        let shown = String::from_utf8_lossy(name);
                        let reference = String::from_utf8_lossy(fname);
                        out.push(
                            Diagnostic::new(
                                &RULE,
                                Label::new(file, span, "same variable, other case"),
                                format!(
                                    "`${shown}` is `${reference}`: nginx ignores the case of \
                                     variable names"
                                ),
                            )
                            .label(Label::new(ffile, fspan, "first written here"))
                            .help(format!("write it `${reference}` everywhere"))
                            .fix(Fix::safe(
                                format!("Write `${reference}`"),
                                vec![Edit::replace(file, span, reference.into_owned())],
                            )),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
    out
}
