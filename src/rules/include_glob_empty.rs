//! `include-glob-empty`: an absolute glob include that matched no file on this machine while
//! the checkout keeps files it names (`include /etc/nginx/conf.d/*.conf;` beside the
//! repository's `nginx/conf.d/`). nginx accepts a glob that matches nothing, so without a word
//! every site of such a configuration would go unchecked in silence (held-out batch 72: an
//! Odoo stack's `nginx.conf` gave no finding and exit code 0; with the `--path-map` this
//! names, seven).

use std::path::Path;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "include-glob-empty",
    summary: "an absolute glob include matched no file here, while the checkout keeps files it \
              names: they were not checked as part of this configuration",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/include-glob-empty.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    let mut out = Vec::new();
    for (file, span, pattern) in &program.empty_globs {
        let Ok(text) = std::str::from_utf8(pattern) else {
            continue;
        };
        let pattern = Path::new(text);
        let Some((from, to)) = crate::inputs::glob_mapping_for(&program.file(0).path, pattern)
        else {
            continue;
        };
        // The glob as the mapping reads it: `deploy/nginx/conf.d/*.conf`.
        let mapped = pattern
            .strip_prefix(&from)
            .map_or_else(|_| to.clone(), |rest| to.join(rest));
        let (from, to) = (
            crate::report::escape_path(&from),
            crate::report::display_path(&to),
        );
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(*file, *span, "matched no file here"),
                format!(
                    "include \"{}\" matched no file on this machine, so the files it names were \
                     not checked as part of this configuration; this checkout keeps `{}`",
                    crate::report::escape_path(pattern),
                    crate::report::display_path(&mapped)
                ),
            )
            .help(format!(
                "nginx accepts a glob that matches nothing; check with `--path-map {from}={to}` \
                 (or `path_map:` in `.ngxlint.yml`) to read them from the checkout"
            )),
        );
    }
    out
}
