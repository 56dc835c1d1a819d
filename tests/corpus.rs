//! Agreement with nginx on the real-world corpus: on every file nginx 1.22.1 accepted (checked
//! in its recorded context, nginx-tests placeholders filled as nginx's harness fills them), none
//! of the rules that mirror an `nginx -t` error may fire.

use ngxlint::lint::{Options, lint_source};
use ngxlint::semantics::context::Context;
use ngxlint::semantics::directives::Version;

use crate::support;

const MIRRORS: &[&str] = &[
    "syntax-error",
    "unknown-directive",
    "invalid-context",
    "invalid-arguments",
    "duplicate-directive",
    "undefined-variable",
];

fn context_of(name: &str) -> Option<Context> {
    Some(match name {
        "main" | "empty" => Context::Main,
        "http" => Context::Http,
        "server" => Context::HttpServer,
        "location" => Context::HttpLocation,
        "stream" => Context::Stream,
        _ => return None,
    })
}

#[test]
fn no_false_alarms_on_files_nginx_accepted() {
    let Some(dir) = support::corpus() else {
        return;
    };
    let testdir = std::env::temp_dir().join("ngxlint-corpus-testdir");
    let mut checked = 0;
    let mut alarms = Vec::new();
    for e in support::corpus_entries(&dir) {
        if e.nginx_check != "accepted" {
            continue;
        }
        let mut src = std::fs::read(&e.path).unwrap();
        if e.notes.contains("placeholders=") {
            src = support::fill_placeholders(&src, &testdir.to_string_lossy());
        }
        // nginx checked fragments inside a wrapper in a temporary directory, so their relative
        // includes resolved there (and globs matched nothing): do the same.
        let opts = Options {
            version: Version(1, 22, 1),
            context: context_of(&e.context),
            prefix: (e.context != "main").then(|| testdir.clone()),
            ..Options::default()
        };
        let linted = lint_source(&e.path, src, &opts, &|r| MIRRORS.contains(&r.id));
        for d in &linted.diagnostics {
            let f = linted.program.file(d.primary.file);
            let at = f.lines.line_col(&f.src, d.primary.span.start);
            alarms.push(format!(
                "{} ({}:{}:{}) [{}] {}",
                e.local_path,
                f.path.display(),
                at.line,
                at.column,
                d.rule.id,
                d.message
            ));
        }
        checked += 1;
    }
    println!(
        "corpus: {checked} accepted files checked, {} false alarms",
        alarms.len()
    );
    assert!(checked >= 268, "only {checked} accepted files");
    assert!(
        alarms.is_empty(),
        "{} false alarms:\n{}",
        alarms.len(),
        alarms.join("\n")
    );
}
