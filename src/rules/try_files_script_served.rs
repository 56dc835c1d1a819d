//! `try-files-script-served`: a PHP script before the last argument of `try_files` in a
//! location with no FastCGI (or other) handler: `try_files $uri /app.php$is_args$args
//! /app_dev.php$is_args$args;`. A file `try_files` finds before its last argument is served by
//! the location it is in; only the last argument is an internal redirect. Here that is the
//! static handler, which sends the script's source to the client.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "try-files-script-served",
    summary: "a PHP script before the last argument of `try_files`, in a location that does not \
              pass it to PHP: nginx sends the script's source to the client",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/try-files-script-served.md"),
    check,
};

/// What may follow the script's name in the argument without making it another file name:
/// empty when the request has no arguments.
const QUERY_SUFFIXES: &[&str] = &["$is_args$args", "$is_args$query_string"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &t in cx.directives_named("try_files") {
        let Some(loc) = model.parent_location(t) else {
            continue;
        };
        let count = model.arg_count(t);
        if count < 2 {
            continue;
        }
        if crate::semantics::access::has_own_handler(model, loc) {
            continue;
        }
        let Some(script) = (0..count - 1).find_map(|i| {
            let arg = model.arg_str(t, i)?;
            let file = QUERY_SUFFIXES
                .iter()
                .find_map(|s| arg.strip_suffix(s))
                .unwrap_or(&arg);
            // A `?` of its own stays in the file name nginx tests: no such file.
            let is_script = !file.contains('?')
                && file.len() > 4
                && file[file.len() - 4..].eq_ignore_ascii_case(".php");
            is_script.then(|| arg.into_owned())
        }) else {
            continue;
        };
        let path = model.args_str(loc).join(" ");
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            t,
            format!(
                "`try_files` tries `{script}` before its last argument, in `location {path}`, \
                 which has no FastCGI handler: a file found there is served by this location, \
                 as a static file, so a request that reaches it gets the PHP source, not the \
                 script's output; only the last argument is an internal redirect to the PHP \
                 location"
            ),
        )
        .help(
            "make the script the last argument (`try_files $uri /index.php$is_args$args;`), \
             or pass this location to PHP itself (`fastcgi_pass`)",
        );
        d.primary.text = "the source is served".into();
        out.push(d);
    }
    out
}
