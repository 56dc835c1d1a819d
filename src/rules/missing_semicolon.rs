//! `missing-semicolon`: a line without its `;`, so that the next line's directive became more
//! arguments of it: `server_name chat.example.com` then `keepalive_timeout 70;` is one
//! `server_name` with three names, and no `keepalive_timeout`. nginx accepts it wherever the
//! first directive takes that many arguments (`server_name`, `index`, `gzip_types`,
//! `ssl_protocols`...); elsewhere it refuses the count, which `invalid-arguments` reports
//! without saying why.
//!
//! Read as nginx's tokenizer reads it (nginx-semantics.md §3): an unquoted argument that begins
//! a line after an argument on an earlier line, named as a directive nginx takes in this block,
//! where both halves would be valid directives: the first with the arguments before it, the
//! second with the rest.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::directives::{args, lookup_str};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "missing-semicolon",
    summary: "a directive's line has no `;`, so the next line's directive became more of its \
              arguments (`server_name a.example.com` then `keepalive_timeout 70;`)",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/missing-semicolon.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for id in cx.node_ids() {
        let node = model.node(id);
        let directive = node.directive;
        // Blocks (`root /srv location / {`) are syntax errors nginx names itself.
        if directive.block().is_some() || !node.context.is_checked() {
            continue;
        }
        // Two arguments at least, the head over more than one line (most directives are
        // written on one), and not `listen`, which reads each argument as a parameter:
        // `invalid-listen` refuses the word and asks about the `;` itself.
        // (The head holds the name, the arguments and any comment among them.)
        if directive.head.len() < 3 {
            continue;
        }
        let src = model.src(id);
        if !src[directive.span().range()].contains(&b'\n') || model.name(id) == "listen" {
            continue;
        }
        let tokens: Vec<_> = directive.arg_tokens().collect();
        let context = node.context.bit();
        // Does this directive take `n` arguments here?
        let takes = |n: usize| {
            model
                .specs(id)
                .iter()
                .any(|s| s.contexts & context != 0 && args::accepts(s.args_at(cx.version), n))
        };
        for i in 1..tokens.len() {
            let (before, token) = (tokens[i - 1], tokens[i]);
            if token.kind() != TokenKind::Word
                || !src[before.span().end as usize..token.span().start as usize].contains(&b'\n')
            {
                continue;
            }
            let Ok(word) = std::str::from_utf8(&src[token.span().range()]) else {
                continue;
            };
            let rest = tokens.len() - i - 1;
            let next_fits = lookup_str(word).iter().any(|s| {
                s.contexts & context != 0
                    && !s.is_block()
                    && s.exists_in(cx.version)
                    && args::accepts(s.args_at(cx.version), rest)
            });
            if !next_fits || !takes(i) {
                continue;
            }
            let name = model.name(id);
            let consequence = if takes(tokens.len()) {
                format!("nginx takes `{word}` and what follows as more arguments of `{name}`")
            } else {
                format!(
                    "nginx reads them as one `{name}` with {} arguments and refuses it",
                    tokens.len()
                )
            };
            let message = format!(
                "`{name}` has no `;` at the end of its line, so the next line's `{word}` \
                 is not a directive: {consequence}"
            );
            let file = model.file_of(id);
            let end = before.span().end;
            let primary = Label::new(file, before.span(), "the line ends here without `;`");
            let diag = Diagnostic::new(&RULE, primary, message)
                .label(Label::new(
                    file,
                    token.span(),
                    format!("read as an argument of `{name}`"),
                ))
                .help(format!(
                    "end the line with `;` so that `{word}` is a directive of its own"
                ))
                .fix(Fix::unsafe_(
                    "Add the missing `;`",
                    vec![Edit::insert(file, end, ";")],
                ));
            out.push(diag);
            // One finding per directive: the first split point is the slip.
            break;
        }
    }
    out
}
