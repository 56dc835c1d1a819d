//! `variable-backslash`: `\$host` in a value nginx compiles. nginx's tokenizer keeps a `\`
//! before `$` (it unescapes only `\"`, `\'`, `\\`, `\t`, `\r`, `\n`), and its script compiler
//! has no escape for `$`: the value is a literal backslash followed by the variable's value.
//! The shape of a shell heredoc's escape copied into a file nginx reads as is (held-out batch
//! 214; measured with nginx 1.22.1: `add_header X-A \$host;` sent `X-A: \127.0.0.1`).
//!
//! A file whose every plain `$` names no nginx variable (`${SEARXNG_URL_PATH}`) is a shell
//! template: the shell removes the backslashes when it renders it, and it is not reported.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{compiled_tokens, is_name_byte};
use crate::semantics::variables::{is_builtin, known};
use crate::syntax::{Span, Token};

pub static RULE: Rule = Rule {
    id: "variable-backslash",
    summary: "`\\$host` keeps its backslash: nginx has no escape for `$` in a value and sends \
              `\\` followed by the variable's value (a shell heredoc's escape)",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/variable-backslash.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Files nginx reads as written: a `\$` in them, and a plain reference to a variable nginx
    // knows elsewhere (a shell template escapes all of its own). Almost no file has a `\$`:
    // one scan of the bytes says so.
    let read_as_is: Vec<bool> = model
        .program
        .files
        .iter()
        .map(|f| memchr::memmem::find(&f.src, b"\\$").is_some() && plain_reference(&f.src))
        .collect();
    if !read_as_is.contains(&true) {
        return out;
    }
    let in_file = |id: NodeId| read_as_is.get(model.file_of(id) as usize) == Some(&true);
    compiled_tokens(
        model,
        |name| cx.directives_named(name),
        in_file,
        |id, t| scan_token(model, id, t, &mut out),
    );
    out
}

/// Does `src` reference a variable nginx knows without a backslash before its `$`, outside
/// comment lines? (`$host`, `$http_upgrade`: a file nginx reads as written.)
fn plain_reference(src: &[u8]) -> bool {
    src.split(|&b| b == b'\n')
        .filter(|line| line.trim_ascii_start().first() != Some(&b'#'))
        .any(|line| {
            memchr::memchr_iter(b'$', line).any(|at| {
                (at == 0 || line[at - 1] != b'\\')
                    && std::str::from_utf8(name_at(line, at + 1)).is_ok_and(is_builtin)
            })
        })
}

/// The variable name starting at `raw[from]` (letters, digits and `_`; braces around it
/// allowed), empty for none or a capture.
fn name_at(raw: &[u8], from: usize) -> &[u8] {
    let braced = raw.get(from) == Some(&b'{');
    let start = from + usize::from(braced);
    let len = raw
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| is_name_byte(b))
        .count();
    if len == 0 || raw[start].is_ascii_digit() || (braced && raw.get(start + len) != Some(&b'}')) {
        return &[];
    }
    &raw[start..start + len]
}

/// Every `\$name` (or `\\$name`, one backslash once unescaped) of token `t` whose name is a
/// variable nginx knows.
fn scan_token(model: &Model<'_>, id: NodeId, t: Token, out: &mut Vec<Diagnostic>) {
    let src = model.src(id);
    let raw = t.text(src);
    for at in memchr::memchr_iter(b'$', raw) {
        let slashes = raw[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        // One or two backslashes leave one before the `$`; three or more are a backslash the
        // author wrote on purpose, then the escape.
        if !(1..=2).contains(&slashes) {
            continue;
        }
        let Ok(name) = std::str::from_utf8(name_at(raw, at + 1)) else {
            continue;
        };
        if name.is_empty() || !known(model, name) {
            continue;
        }
        let braced = raw[at + 1] == b'{';
        let start = t.span().start + (at - slashes) as u32;
        let end = t.span().start + (at + 1 + name.len() + 2 * usize::from(braced)) as u32;
        let span = Span::new(start, end);
        let written =
            String::from_utf8_lossy(&raw[at - slashes..end as usize - t.span().start as usize]);
        let meant = &written[slashes..];
        let file = model.file_of(id);
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, span, "nginx keeps this backslash"),
                format!(
                    "`{written}` is a backslash followed by `{meant}`: nginx has no escape for \
                     `$` in a value, so it sends `\\` and then the variable's value (a shell \
                     heredoc's escape, copied into a file nginx reads as is?)"
                ),
            )
            .help(format!("write `{meant}`"))
            .fix(Fix::unsafe_(
                format!("Write `{meant}`"),
                vec![Edit::replace(
                    file,
                    Span::new(start, start + slashes as u32),
                    String::new(),
                )],
            )),
        );
    }
}
