//! `unknown-directive`: a name nginx does not know (in any module, or in the target version).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity, edit_distance};
use crate::semantics::directives::{is_third_party, nginx_directives, third_party};
use crate::semantics::modules::{Availability, loaded_so};

pub static RULE: Rule = Rule {
    id: "unknown-directive",
    summary: "directive not known to nginx (or not in the target nginx version)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/unknown-directive.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // `--modules auto`: the shared objects the configuration loads (`load_module`).
    let loaded: Vec<String> = match &cx.settings.nginx_build {
        Some(_) => model
            .directives_named("load_module")
            .iter()
            .filter_map(|&n| model.arg(n, 0))
            .map(|a| loaded_so(&a))
            .collect(),
        None => Vec::new(),
    };
    // A module the configuration loads whose directives ngxlint does not know: a name it does
    // not know may be one of them (nginx accepts it), so only a near miss of a known name is
    // reported then (a typo, with its suggestion).
    let foreign_module = crate::semantics::modules::loads_foreign_module(model);
    // Blocks reported unknown because the user's nginx lacks their module: nginx stops there,
    // so what is inside them is not reported again.
    let mut missing_block = vec![false; model.nodes.len()];
    let mut suggestions: std::collections::HashMap<&str, Option<&'static str>> =
        std::collections::HashMap::new();
    // Unknown names near no known one, in the order met.
    let mut foreign: Vec<(u32, &str)> = Vec::new();
    for (i, node) in model.nodes.iter().enumerate() {
        let id = i as u32;
        if node.parent().is_some_and(|p| missing_block[p as usize]) {
            missing_block[i] = true;
            continue;
        }
        // Only where nginx itself would look the name up: known contexts with directives in
        // them (not map/types entries, not third-party blocks).
        if !node.context.is_checked() {
            continue;
        }
        let specs = model.specs(id);
        let name = model.name(id);
        if specs.is_empty() && name.ends_with("_by_lua_block") {
            continue;
        }
        if cx.settings.known_directives.iter().any(|k| **k == *name) {
            continue;
        }
        if specs.is_empty() {
            let mut d =
                Diagnostic::at_node(&RULE, model, id, format!("unknown directive \"{name}\""));
            // One suggestion per distinct name: a file of thousands of unknown directives
            // must not compare each against every known name again.
            let suggested = *suggestions.entry(name).or_insert_with(|| suggestion(name));
            if foreign_module && suggested.is_none() {
                continue;
            }
            let elision = name.chars().all(|c| c == '.' || c == '\u{2026}')
                && (name.len() >= 2 || name.contains('\u{2026}'));
            if elision {
                // `...` (or `…`): a documentation page's elision, copied with the rest; nginx
                // reads it as a directive (held-out batch 112: `... location / {`).
                d = d.help(
                    "`...` stands for lines a documentation page left out: write them, or remove \
                     it (nginx reads it as a directive, with the words after it up to the next \
                     `;` or `{`)",
                );
            } else if let Some(s) = suggested {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                // Near no known name: a module's, perhaps (grouped below when there are many).
                foreign.push((id, name));
                continue;
            }
            out.push(d);
            continue;
        }
        // Known to nginx, but not to the user's nginx (built without the module, or a dynamic
        // module the configuration does not load): nginx says "unknown directive".
        if let Some(build) = &cx.settings.nginx_build {
            let verdicts: Vec<Availability> = specs
                .iter()
                .filter(|s| s.contexts & node.context.bit() != 0 && s.exists_in(cx.version))
                .map(|s| {
                    if is_third_party(s) {
                        build.knows_third_party(s, &loaded)
                    } else {
                        build.knows(s, &loaded)
                    }
                })
                .collect();
            let help = match verdicts.first() {
                _ if verdicts.contains(&Availability::Known) => None,
                None | Some(Availability::Known) => None,
                Some(Availability::NotBuilt(m)) => Some(format!(
                    "your nginx (`nginx -V`) was built without {}: it needs `./configure --with-{}` (or a package that includes it)",
                    m.name, m.flag
                )),
                Some(Availability::LeftOut(m)) => Some(format!(
                    "your nginx (`nginx -V`) was built with `--without-{}`, so {} is not in it",
                    m.flag, m.name
                )),
                Some(Availability::NotLoaded(m)) => Some(format!(
                    "{} is a dynamic module in your nginx (`--with-{}=dynamic`): load it first with `load_module modules/{};` at the top of nginx.conf",
                    m.name,
                    m.flag,
                    m.so.unwrap_or("")
                )),
                Some(Availability::NoThirdParty(t)) => Some(match t.so.first() {
                    Some(so) => format!(
                        "`{}` comes from the third-party module {}, which your nginx (`nginx -V`) does not include and the configuration does not load: build it in, or `load_module modules/{so};`",
                        name, t.name
                    ),
                    None => format!(
                        "`{}` exists only in {}; your nginx (`nginx -v`) is not it",
                        name, t.name
                    ),
                }),
            };
            if let Some(help) = help {
                missing_block[id as usize] = specs.iter().any(|s| s.is_block());
                out.push(
                    Diagnostic::at_node(&RULE, model, id, format!("unknown directive \"{name}\""))
                        .help(help),
                );
                continue;
            }
        }
        if specs.iter().all(|s| !s.exists_in(cx.version)) {
            let s = specs[0];
            let why = match s.removed {
                Some(r) if r <= cx.version => format!("it was removed in nginx {r}"),
                _ => format!("it appeared in nginx {}", s.since),
            };
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!(
                        "unknown directive \"{}\" in nginx {} ({why})",
                        name, cx.version
                    ),
                )
                .help("set --nginx-version to the version you run, or change the directive"),
            );
        }
    }
    out.extend(foreign_directives(model, &foreign));
    out
}

/// Distinct unknown names, near no known one, from which a configuration is taken for one
/// written for an nginx with modules ngxlint does not know, and reported as one finding.
const MANY_FOREIGN: usize = 6;

/// The findings for names near no known directive (`foreign`, in file order): one each; or,
/// from [`MANY_FOREIGN`] distinct names on, one for them all with the others as labels: a
/// configuration for an nginx built with its own modules (held-out batch 390: Kaltura's media
/// framework sample, 37 errors for 28 names of its modules), which a stock nginx refuses at
/// the first of them.
fn foreign_directives(
    model: &crate::semantics::model::Model<'_>,
    foreign: &[(u32, &str)],
) -> Vec<Diagnostic> {
    const HELP: &str = "if it comes from a third-party module, load that module (`load_module`) or list it under `known_directives`";
    let mut names: Vec<&str> = foreign.iter().map(|&(_, n)| n).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() < MANY_FOREIGN {
        return foreign
            .iter()
            .map(|&(id, name)| {
                Diagnostic::at_node(&RULE, model, id, format!("unknown directive \"{name}\""))
                    .help(HELP)
            })
            .collect();
    }
    // Named in the order met.
    let mut met: Vec<&str> = Vec::new();
    for &(_, n) in foreign {
        if !met.contains(&n) {
            met.push(n);
        }
    }
    let shown: Vec<String> = met.iter().take(5).map(|n| format!("`{n}`")).collect();
    let (first, _) = foreign[0];
    let places: Vec<(crate::semantics::FileId, crate::syntax::Span)> = foreign[1..]
        .iter()
        .map(|&(id, _)| (model.file_of(id), model.node(id).directive.head_span()))
        .collect();
    vec![
        Diagnostic::at_node(
            &RULE,
            model,
            first,
            format!(
                "{} unknown directives of {} names ({}{}): nginx knows none of them, and an \
                 nginx without the modules that define them refuses the configuration here",
                foreign.len(),
                met.len(),
                shown.join(", "),
                if met.len() > shown.len() { ", ..." } else { "" }
            ),
        )
        .labels(super::Label::repeats(
            &places,
            "another unknown directive",
            12,
        ))
        .help(
            "the configuration is written for an nginx built with modules ngxlint does not know: \
             if yours has them, list their directives under `known_directives` in .ngxlint.yml \
             (or load them with `load_module`); otherwise they are typos or another server's",
        ),
    ]
}

/// The closest known name within two edits (`proxy_bufering` → `proxy_buffering`).
fn suggestion(name: &str) -> Option<&'static str> {
    let limit = if name.len() <= 5 { 1 } else { 2 };
    let len = name.chars().count();
    nginx_directives()
        .chain(third_party::DIRECTIVES)
        // Not a directive nginx has removed (`status`, `limit_zone`...).
        .filter(|s| s.removed.is_none())
        // The distance is at least the difference in length: skip hopeless candidates.
        .filter(|s| s.name.len().abs_diff(len) <= limit)
        .map(|s| (edit_distance(name, s.name), s.name))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n)
}
