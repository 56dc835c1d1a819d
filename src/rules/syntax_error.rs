//! `syntax-error`: every tokenizer and grammar error, in nginx's words.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::grammar::{model_grammar_errors, with_parse_errors};
use crate::syntax::SyntaxErrorKind;

pub static RULE: Rule = Rule {
    id: "syntax-error",
    summary: "nginx cannot parse this (tokenizer and grammar errors, in nginx's words)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/syntax-error.md"),
    check,
};

/// Openers of template markup nginx's own syntax never holds: Jinja and Go/Helm/Hugo
/// (`{{ }}`, `{% %}`, `{# #}`), ERB and EJS (`<% %>`); `{%NAME%}` placeholders too
/// (mattermost-docker), and `{NAME}` ones ([`brace_placeholder`]). `${` is nginx's own
/// variable syntax, so envsubst templates are not recognised here (they parse; their
/// placeholders show up as values).
const TEMPLATE_OPENERS: &[&str] = &["{{", "{%", "{#", "<%"];

/// The template markup of each error's line, for errors in file order: each line is looked
/// at once, however many errors it holds (a minified file's one line can hold thousands).
struct LineMarkup<'s> {
    src: &'s [u8],
    /// The last line looked at: its start and end, and its markup.
    last: Option<(usize, usize, Option<String>)>,
}

impl<'s> LineMarkup<'s> {
    fn new(src: &'s [u8]) -> Self {
        LineMarkup { src, last: None }
    }

    /// The template markup on the line holding `at` (`at` never before the last one asked).
    fn at(&mut self, at: u32) -> Option<&str> {
        let src = self.src;
        let at = (at as usize).min(src.len());
        let known = matches!(&self.last, Some((start, end, _)) if *start <= at && at <= *end);
        if !known {
            // The line starts after the last line looked at (errors come in file order), so no
            // byte is searched twice.
            let from = self.last.as_ref().map_or(0, |l| (l.1 + 1).min(at));
            let start = memchr::memrchr(b'\n', &src[from..at]).map_or(from, |i| from + i + 1);
            let end = memchr::memchr(b'\n', &src[at..]).map_or(src.len(), |i| at + i);
            self.last = Some((start, end, markup_of(&src[start..end])));
        }
        self.last.as_ref().and_then(|l| l.2.as_deref())
    }
}

/// The template markup on one line, if any.
fn markup_of(line: &[u8]) -> Option<String> {
    TEMPLATE_OPENERS
        .iter()
        .copied()
        .find(|m| memchr::memmem::find(line, m.as_bytes()).is_some())
        .map(str::to_owned)
        .or_else(|| brace_placeholder(line))
}

/// `{NAME}` on the line: an entrypoint script's placeholder (zabbix-docker's
/// `server_tokens {EXPOSE_WEB_SERVER_INFO};`, a guide's `server_name {your_domain_name};`),
/// never nginx syntax (a regex quantifier is digits, a brace is only syntax before or after
/// whitespace, and `${name}` is a variable).
fn brace_placeholder(line: &[u8]) -> Option<String> {
    line.iter().enumerate().find_map(|(i, &b)| {
        if b != b'{'
            || !line.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
            || (i > 0 && line[i - 1] == b'$')
        {
            return None;
        }
        let name = line[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        (line.get(i + 1 + name) == Some(&b'}'))
            .then(|| String::from_utf8_lossy(&line[i..i + name + 2]).into_owned())
    })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    let mut out = Vec::new();
    // The grammar errors come from the model (it knows each directive's table entry already).
    let grammar = model_grammar_errors(cx.model);
    for ((i, file), grammar) in program.files.iter().enumerate().zip(grammar) {
        let errors = with_parse_errors(file, grammar);
        // A template (`{% if %}`, `{{ .Env.X }}`) is not nginx syntax until it is rendered:
        // its first error at the markup says so, and the errors after it, which follow from
        // the markup (every brace of it opens or closes a block), are counted, not listed.
        // Errors before it are the file's own.
        let mut lines = LineMarkup::new(&file.src);
        let markup = errors
            .iter()
            .enumerate()
            .find_map(|(n, e)| lines.at(e.span.start).map(|m| (n, m.to_owned())));
        let markup = markup.as_ref().map(|(n, m)| (*n, m.as_str()));
        let shown = markup.map_or(errors.len(), |(n, _)| n + 1);
        for (n, e) in errors.iter().take(shown).enumerate() {
            let help: super::Text = match markup {
                Some((at, marker)) if at == n => {
                    let rest = errors.len() - shown;
                    let mut help = format!(
                        "this line holds template markup (`{marker}`), which nginx reads as \
                         braces and words: check the rendered configuration (render the \
                         template first), or keep templates out of the checked paths \
                         (`exclude:` in `.ngxlint.yml`)"
                    );
                    if rest == 1 {
                        help.push_str(
                            "; the later syntax error of this file, which follows from the \
                             markup, is not shown",
                        );
                    } else if rest > 1 {
                        help.push_str(&format!(
                            "; the {rest} later syntax errors of this file, which follow from \
                             the markup, are not shown"
                        ));
                    }
                    help.into()
                }
                // A brace that does not balance after an earlier error may be the recovery's
                // reading of that error's braces, not a brace the author left out: nginx
                // stops at its first error, and fixing it may settle this one.
                _ if n > 0
                    && matches!(
                        e.kind,
                        SyntaxErrorKind::EofExpectingBrace | SyntaxErrorKind::Unexpected(b'}')
                    ) =>
                {
                    let first = file.lines().line(errors[0].span.start);
                    format!(
                        "{}; or it follows from the error on line {first} (nginx stops at its \
                         first error): fix that one first and check again",
                        e.kind.help()
                    )
                    .into()
                }
                _ => e.kind.help().into(),
            };
            let mut d = Diagnostic::new(&RULE, Label::new(i as u32, e.span, ""), e.kind.message())
                .help(help);
            if let Some((span, text)) = &e.related {
                d = d.label(Label::new(i as u32, *span, *text));
            }
            out.push(d);
        }
    }
    out
}
