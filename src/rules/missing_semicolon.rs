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
    fix: FixAvailability::Sometimes,
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
        // A template tag's stand-in for a name (nginx-proxy-manager's `{% unless ipv6 -%} #
        // {%- endunless -%} listen ...;`, the tag rendering the `#` or not) is no directive.
        if model.name(id).bytes().all(|b| b == b'_') {
            continue;
        }
        let src = model.src(id);
        if !src[directive.span().range()].contains(&b'\n') || model.name(id) == "listen" {
            continue;
        }
        // The name, then the arguments.
        let tokens: Vec<_> = directive.values().collect();
        let context = node.context.bit();
        // Does this directive take `n` arguments here?
        let takes = |n: usize| {
            model
                .specs(id)
                .iter()
                .any(|s| s.contexts & context != 0 && args::accepts(s.args_at(cx.version), n))
        };
        let reported = out.len();
        for i in 1..tokens.len() {
            let (before, token) = (tokens[i - 1], tokens[i]);
            let gap = &src[before.span().end as usize..token.span().start as usize];
            if token.kind() != TokenKind::Word || !gap.contains(&b'\n') {
                continue;
            }
            // The first argument on a line of its own is a slip only where the name's line
            // ends in a comment holding the `;` (`server_name #your domain;`: the comment
            // took it, and the next line's `rewrite` became the names).
            let in_comment = i == 1;
            if in_comment && !semicolon_commented_out(model, id) {
                continue;
            }
            let Ok(word) = std::str::from_utf8(&src[token.span().range()]) else {
                continue;
            };
            let rest = tokens.len() - i - 1;
            // A directive of any release: one nginx removed (`limit_zone`, gone in 1.7.6) is
            // no server name either.
            let next_fits = fits(word, context, cx.version, rest);
            if !next_fits || !(takes(i - 1) || in_comment) {
                continue;
            }
            // A word nginx `cx.version` knows no directive of (`limit_zone`, removed in 1.7.6):
            // split off, it would be refused; reported without a fix.
            let known_here = lookup_str(word)
                .iter()
                .any(|s| s.contexts & context != 0 && s.exists_in(cx.version));
            let name = model.name(id);
            let consequence = if takes(tokens.len() - 1) {
                format!("nginx takes `{word}` and what follows as more arguments of `{name}`")
            } else {
                format!(
                    "nginx reads them as one `{name}` with {} arguments and refuses it",
                    tokens.len() - 1
                )
            };
            let file = model.file_of(id);
            let end = before.span().end;
            if in_comment {
                // No fix: `server_name;` takes no names, and what the author meant to write
                // before the comment, the file does not say.
                let message = format!(
                    "`{name}`'s `;` is inside the comment on its line, so the next line's \
                     `{word}` is not a directive: {consequence}"
                );
                let primary =
                    Label::new(file, before.span(), "the `;` after this is commented out");
                out.push(
                    Diagnostic::new(&RULE, primary, message)
                        .label(Label::new(
                            file,
                            token.span(),
                            format!("read as an argument of `{name}`"),
                        ))
                        .help(format!(
                            "write `{name}`'s value and `;` before the comment, so that \
                             `{word}` is a directive of its own"
                        )),
                );
                break;
            }
            let message = format!(
                "`{name}` has no `;` at the end of its line, so the next line's `{word}` \
                 is not a directive: {consequence}"
            );
            let primary = Label::new(file, before.span(), "the line ends here without `;`");
            let mut diag = Diagnostic::new(&RULE, primary, message)
                .label(Label::new(
                    file,
                    token.span(),
                    format!("read as an argument of `{name}`"),
                ))
                .help(format!(
                    "end the line with `;` so that `{word}` is a directive of its own"
                ));
            if known_here {
                diag = diag.fix(Fix::unsafe_(
                    "Add the missing `;`",
                    vec![Edit::insert(file, end, ";")],
                ));
            }
            out.push(diag);
            // One finding per directive: the first split point is the slip.
            break;
        }
        if out.len() == reported
            && let Some(diag) = several_missing(cx, id, &tokens, &takes)
        {
            out.push(diag);
        }
    }
    out
}

/// Lines after lines without `;` (`ssl_certificate /a.pem` then `ssl_certificate_key /a.key`
/// then `server_name x;`): each line-starting word that names a directive of this block
/// splits the directive, and every piece is then a valid directive. One finding, at the first
/// missing `;`, its fix writing each (held-out batch 377's miss, a Django template's
/// certificate lines; nginx refuses the count, and `invalid-arguments` is silent on a line
/// whose values are template tags).
fn several_missing(
    cx: &LintContext<'_>,
    id: crate::semantics::model::NodeId,
    tokens: &[crate::syntax::Token],
    takes: &dyn Fn(usize) -> bool,
) -> Option<Diagnostic> {
    let model = cx.model;
    let src = model.src(id);
    let context = model.node(id).context.bit();
    let names_directive = |word: &str| {
        lookup_str(word)
            .iter()
            .any(|s| s.contexts & context != 0 && !s.is_block() && s.exists_in(cx.version))
    };
    let mut splits = Vec::new();
    for i in 2..tokens.len() {
        let gap = &src[tokens[i - 1].span().end as usize..tokens[i].span().start as usize];
        if tokens[i].kind() == TokenKind::Word
            && gap.contains(&b'\n')
            && std::str::from_utf8(&src[tokens[i].span().range()]).is_ok_and(names_directive)
        {
            splits.push(i);
        }
    }
    if splits.len() < 2 || !takes(splits[0] - 1) {
        return None;
    }
    let word_at = |i: usize| std::str::from_utf8(&src[tokens[i].span().range()]).unwrap_or("");
    for (k, &at) in splits.iter().enumerate() {
        let next = splits.get(k + 1).copied().unwrap_or(tokens.len());
        let rest = next - at - 1;
        if !fits(word_at(at), context, cx.version, rest) {
            return None;
        }
    }
    let file = model.file_of(id);
    let name = model.name(id);
    let words: Vec<String> = splits
        .iter()
        .map(|&i| format!("`{}`", word_at(i)))
        .collect();
    let before = tokens[splits[0] - 1];
    let message = format!(
        "`{name}` and the lines after it have no `;` at their ends, so the next lines' {} are \
         not directives: nginx reads them as one `{name}` with {} arguments",
        words.join(" and "),
        tokens.len() - 1
    );
    let mut diag = Diagnostic::new(
        &RULE,
        Label::new(file, before.span(), "the line ends here without `;`"),
        message,
    )
    .help("end each of these lines with `;`".to_owned());
    for &i in &splits {
        diag = diag.label(Label::new(
            file,
            tokens[i].span(),
            format!("read as an argument of `{name}`"),
        ));
    }
    let edits = splits
        .iter()
        .map(|&i| Edit::insert(file, tokens[i - 1].span().end, ";"))
        .collect();
    Some(diag.fix(Fix::unsafe_("Add the missing `;`s", edits)))
}

/// Is `word` a directive (of any release) that takes `count` arguments in a block of
/// `context`, without a block of its own?
fn fits(
    word: &str,
    context: u32,
    version: crate::semantics::directives::Version,
    count: usize,
) -> bool {
    lookup_str(word).iter().any(|s| {
        s.contexts & context != 0 && !s.is_block() && args::accepts(s.args_at(version), count)
    })
}

/// Does directive `id`'s line end in a comment holding its `;`, its first argument on a later
/// line (`server_name #your domain;` then `rewrite ...;`)? Then its arguments are the next
/// line's words.
pub fn semicolon_commented_out(
    model: &crate::semantics::model::Model<'_>,
    id: crate::semantics::model::NodeId,
) -> bool {
    let mut values = model.node(id).directive.values();
    let (Some(name), Some(first)) = (values.next(), values.next()) else {
        return false;
    };
    let gap = &model.src(id)[name.span().end as usize..first.span().start as usize];
    let Some(line_end) = gap.iter().position(|&b| b == b'\n') else {
        return false;
    };
    let Some(comment) = gap[..line_end]
        .iter()
        .position(|&b| b == b'#')
        .map(|at| &gap[at + 1..line_end])
    else {
        return false;
    };
    let Some(semicolon) = comment.iter().position(|&b| b == b';') else {
        return false;
    };
    // Not a template's placeholder read as a comment (`server ###BIND_HOST###:###PORT###;`,
    // `resolver #{NAMESERVER};`): it renders a value before the `;`.
    let placeholder =
        matches!(comment.first(), Some(b'#' | b'{')) || comment[..semicolon].contains(&b'#');
    !placeholder
}
