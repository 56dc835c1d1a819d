//! Rule fixtures: `fixtures/rules/<rule-id>/bad-*.conf` must fire the rule, `ok-*.conf` must not;
//! every finding is snapshotted; nginx judges the fixtures of the rules that mirror its errors.

use std::path::{Path, PathBuf};

use ngxlint::lint::{Options, lint_path};
use ngxlint::rules::{Diagnostic, RULES};
use ngxlint::semantics::directives::Version;

use crate::support;

pub fn rule_fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(support::repo_root().join("fixtures/rules"))
        .expect("fixtures/rules")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

pub fn conf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    files
}

/// Lint one fixture with the default target (or `# ngxlint: nginx-version=X.Y.Z` on line 2).
/// The rule a fixture belongs to: `fixtures/rules/<id>/...`.
pub fn fixture_rule(path: &Path) -> Option<String> {
    let parent = path.parent()?;
    (parent.parent()?.file_name()? == "rules")
        .then(|| parent.file_name().map(|n| n.to_string_lossy().into_owned()))
        .flatten()
}

pub fn lint_fixture(path: &Path) -> (ngxlint::lint::Linted, Vec<Diagnostic>) {
    let src = std::fs::read_to_string(path).unwrap_or_default();
    let version = src
        .lines()
        .take(3)
        .find_map(|l| l.trim().strip_prefix("# ngxlint: nginx-version="))
        .and_then(Version::parse);
    let mut opts = Options::default();
    if let Some(v) = version {
        opts.version = v;
    }
    // The nginx build the fixture is linted for (`--modules auto` reads it from `nginx -V`).
    opts.settings.nginx_build = src
        .lines()
        .take(5)
        .find_map(|l| l.trim().strip_prefix("# ngxlint: nginx-configure="))
        .and_then(|args| {
            ngxlint::semantics::modules::Build::from_version_output(&format!(
                "configure arguments: {args}"
            ))
        });
    // Relative to the repository (the tests' working directory), so messages that name files
    // are the same on every machine.
    let rel = path.strip_prefix(support::repo_root()).unwrap_or(path);
    // The default set plus the fixture's own rule (`fixtures/rules/<id>/`): rules outside the
    // default set (opinions, style) would otherwise show up in every other rule's snapshots.
    let own = fixture_rule(path);
    let linted = lint_path(rel, &opts, &|r| r.default || Some(r.id) == own.as_deref())
        .expect("lint fixture");
    let diags = linted.diagnostics.clone();
    (linted, diags)
}

/// `path:line:col: severity[rule] message` lines, plus labels and help, for snapshots.
pub fn render(linted: &ngxlint::lint::Linted, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let f = linted.program.file(d.primary.file);
        let at = f.lines().line_col(d.primary.span.start);
        let name = f.path.file_name().unwrap().to_string_lossy();
        out.push_str(&format!(
            "{name}:{}:{}: {}[{}] {}\n",
            at.line,
            at.column,
            d.severity.as_str(),
            d.rule.id,
            d.message
        ));
        for l in &d.secondary {
            let lf = linted.program.file(l.file);
            let lat = lf.lines().line_col(l.span.start);
            out.push_str(&format!("  = {}:{}: {}\n", lat.line, lat.column, l.text));
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        if let Some(fix) = &d.fix {
            out.push_str(&format!(
                "  fix ({}): {}\n",
                fix.applicability.as_str(),
                fix.title
            ));
            for e in &fix.edits {
                out.push_str(&format!(
                    "    @{}..{} {:?}\n",
                    e.span.start, e.span.end, e.text
                ));
            }
        }
    }
    out
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_dir_a_rule() {
    let dirs: Vec<String> = rule_fixture_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for rule in RULES {
        assert!(
            dirs.iter().any(|d| d == rule.id),
            "no fixtures/rules/{}/",
            rule.id
        );
        let files = conf_files(&support::repo_root().join("fixtures/rules").join(rule.id));
        let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            files.iter().any(|p| name(p).starts_with("bad-")),
            "{}: no bad-*.conf",
            rule.id
        );
        assert!(
            files.iter().any(|p| name(p).starts_with("ok-")),
            "{}: no ok-*.conf",
            rule.id
        );
    }
    for d in &dirs {
        assert!(
            RULES.iter().any(|r| r.id == d),
            "fixtures/rules/{d} has no rule"
        );
    }
}

#[test]
fn registry_is_sorted_unique_kebab_case() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "RULES must be sorted by id and unique");
    for id in ids {
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && id.starts_with(|c: char| c.is_ascii_lowercase()),
            "{id} is not kebab-case"
        );
    }
}

/// bad-* fires its rule, ok-* does not; everything found is snapshotted.
#[test]
fn rule_fixtures() {
    insta::glob!("../fixtures", "rules/*/*.conf", |path| {
        let rule_id = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (linted, diags) = lint_fixture(path);
        let hits = diags.iter().filter(|d| d.rule.id == rule_id).count();
        if name.starts_with("bad-") {
            assert!(
                hits > 0,
                "{rule_id}/{name}: expected a finding\n{}",
                render(&linted, &diags)
            );
        } else {
            assert_eq!(
                hits,
                0,
                "{rule_id}/{name}: expected none\n{}",
                render(&linted, &diags)
            );
        }
        insta::assert_snapshot!(render(&linted, &diags));
    });
}

/// Rules for nginx's load-time checks (`docs/nginx-load-checks.md`): each finding is nginx's
/// own first message, at nginx's line.
pub const LOAD_CHECKS: &[&str] = &[
    "access-log-buffer",
    "charset-map",
    "duplicate-cache-path",
    "duplicate-listen",
    "duplicate-load-module",
    "duplicate-location",
    "duplicate-log-format",
    "duplicate-map-key",
    "duplicate-referer",
    "duplicate-upstream",
    "duplicate-variable",
    "duplicate-zone",
    "events-missing",
    "invalid-address",
    "invalid-buffer-sizes",
    "incompatible-settings",
    "invalid-cpu-affinity",
    "invalid-geo",
    "invalid-if-condition",
    "invalid-listen",
    "invalid-log-level",
    "invalid-parameter",
    "invalid-regex",
    "invalid-resolver",
    "invalid-root-alias",
    "invalid-server-name",
    "invalid-split-clients",
    "invalid-sticky",
    "invalid-syslog",
    "invalid-thread-pool",
    "invalid-variable",
    "listen-missing",
    "load-module-too-late",
    "location-outside-parent",
    "mail-server-incomplete",
    "map-hash",
    "no-port-in-upstream",
    "proxy-pass-uri-forbidden",
    "proxy-redirect-default",
    "secure-link-mixed",
    "server-names-hash",
    "ssl-certificate-missing",
    "ssl-ciphers-no-match",
    "unknown-log-format",
    "unknown-zone",
    "upstream-no-servers",
    "upstream-resolve",
    "upstream-with-port",
    "value-out-of-range",
];

/// Load-time checks where nginx only warns (`[warn]`, and `nginx -t` succeeds).
pub const LOAD_WARNINGS: &[&str] = &[
    "balancer-redefined",
    "duplicate-geo-network",
    "duplicate-mime-type",
    "duplicate-type-extension",
    "duplicate-value",
    "proxy-headers-hash",
    "server-name-conflict",
];

/// The line a fixture says nginx names (`# ngxlint: nginx-line=N`, 0 when it names none).
fn nginx_line(text: &str) -> Option<u32> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("# ngxlint: nginx-line="))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Rules that mirror an nginx -t error: their bad fixtures are rejected by nginx, and every ok
/// fixture (of any rule) that needs no third-party module is accepted.
#[test]
fn nginx_judges_rule_fixtures() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let mirrors = [
        "invalid-arguments",
        "invalid-context",
        "duplicate-directive",
        "undefined-variable",
        "unknown-directive",
    ];
    let mut judged = 0;
    let mut same_words = 0;
    for dir in rule_fixture_dirs() {
        let rule_id = dir.file_name().unwrap().to_string_lossy().into_owned();
        for path in conf_files(&dir) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let src = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&src);
            if text.contains("ngxlint: no-nginx-test") {
                continue;
            }
            let ctx = text
                .lines()
                .next()
                .and_then(|l| l.trim().strip_prefix("# ngxlint: context="))
                .unwrap_or("main")
                .trim()
                .to_owned();
            // A finding where nginx only warns: nginx accepts the file and gives the same warning
            // on the same line.
            if text.contains("ngxlint: nginx-warns") {
                let warned = support::nginx_first_warning(&nginx, &path, &ctx);
                let (_, diags) = lint_fixture(&path);
                let ours = diags
                    .iter()
                    .find(|d| d.rule.id == rule_id)
                    .unwrap_or_else(|| panic!("{rule_id}/{name}: no finding"));
                let (message, line) =
                    warned.unwrap_or_else(|| panic!("{rule_id}/{name}: nginx gave no warning"));
                assert_eq!(ours.message, message, "{rule_id}/{name}");
                let at = text[..ours.primary.span.start as usize]
                    .matches('\n')
                    .count() as u32
                    + 1;
                assert_eq!(at, line, "{rule_id}/{name}: line");
                judged += 1;
                continue;
            }
            let result = support::nginx_first_error(&nginx, &path, &ctx);
            if name.starts_with("ok-") {
                assert_eq!(
                    result, None,
                    "{rule_id}/{name}: nginx rejects an ok fixture"
                );
                judged += 1;
            } else if LOAD_WARNINGS.contains(&rule_id.as_str()) {
                // nginx only warns: it accepts the file, and its first warning is the finding
                // (or, for a rule that also reports what nginx refuses, its first error), same
                // message, same line (`# ngxlint: nginx-line=0` when nginx names none).
                let (message, line) = result.unwrap_or_else(|| {
                    support::nginx_first_warning(&nginx, &path, &ctx)
                        .unwrap_or_else(|| panic!("{rule_id}/{name}: nginx does not warn"))
                });
                let (linted, diags) = lint_fixture(&path);
                let d = diags
                    .iter()
                    .find(|d| d.rule.id == rule_id)
                    .unwrap_or_else(|| panic!("{rule_id}/{name}: no finding"));
                let f = linted.program.file(d.primary.file);
                let ours = f.lines().line_col(d.primary.span.start).line;
                let expected_line = nginx_line(&text).unwrap_or(ours);
                assert_eq!(
                    (d.message.as_str(), expected_line),
                    (message.as_str(), line),
                    "{rule_id}/{name}: ngxlint's finding vs nginx -t's first warning or error"
                );
                judged += 1;
                same_words += 1;
            } else if mirrors.contains(&rule_id.as_str()) {
                assert!(
                    result.is_some(),
                    "{rule_id}/{name}: nginx accepts a bad fixture"
                );
                judged += 1;
            } else if LOAD_CHECKS.contains(&rule_id.as_str()) {
                // These rules claim nginx's own words: nginx's first error is the rule's first
                // finding, same message, same line (or the line the fixture says nginx names,
                // `# ngxlint: nginx-line=N`, 0 when nginx names none).
                let (message, line) = result
                    .unwrap_or_else(|| panic!("{rule_id}/{name}: nginx accepts a bad fixture"));
                // Some messages name a file (`used in /abs/path/bad.conf:4 and`): nginx was given
                // the absolute path, ngxlint the path relative to the repository.
                let abs = std::fs::canonicalize(&path).expect("fixture path");
                let rel = path.strip_prefix(support::repo_root()).unwrap_or(&path);
                let message = message.replace(&*abs.to_string_lossy(), &rel.to_string_lossy());
                let (linted, diags) = lint_fixture(&path);
                let d = diags
                    .iter()
                    .find(|d| d.rule.id == rule_id)
                    .unwrap_or_else(|| panic!("{rule_id}/{name}: no finding"));
                let f = linted.program.file(d.primary.file);
                let ours = f.lines().line_col(d.primary.span.start).line;
                let expected_line = nginx_line(&text).unwrap_or(ours);
                assert_eq!(
                    (d.message.as_str(), expected_line),
                    (message.as_str(), line),
                    "{rule_id}/{name}: ngxlint's finding vs nginx -t's first error"
                );
                judged += 1;
                same_words += 1;
            }
        }
    }
    assert!(judged >= 10, "only {judged} fixtures judged");
    assert!(
        same_words >= LOAD_CHECKS.len() + LOAD_WARNINGS.len(),
        "only {same_words} load-check fixtures compared with nginx's words"
    );
}

/// The rules run part by part on a large configuration (`rules::BY_PART`) find, for any
/// parts, exactly what they find on the whole model: the same findings, none lost or doubled
/// (compared before duplicates are dropped), in the order the report sorts them (by file,
/// position, rule and message; a rule that reads directives of several names finds them part
/// after part instead of name after name, and ties keep their order): every rule fixture,
/// every project and syntax fixture and every corpus file, in parts of 1, 2, 7 and 64 nodes.
/// Each of those rules has findings among them, so a part that lost or doubled one would show.
#[test]
fn rules_by_part_find_what_they_find_on_the_whole() {
    use ngxlint::rules::{BY_PART, parts_of, run_packed_in_parts};

    let selected = |r: &ngxlint::rules::Rule| BY_PART.contains(&r.id);
    let mut found_by_rule: std::collections::HashMap<&str, usize> = Default::default();
    for_each_model(|path, cx| {
        let sorted = |mut found: Vec<ngxlint::rules::Diagnostic>| {
            found.sort_by(|a, b| {
                let key = |d: &ngxlint::rules::Diagnostic| {
                    (
                        d.primary.file,
                        d.primary.span.start,
                        d.rule.id,
                        d.message.to_string(),
                    )
                };
                key(a).cmp(&key(b))
            });
            found
        };
        let whole = sorted(run_packed_in_parts(cx, &selected, Vec::new()).into_unsorted());
        for d in &whole {
            *found_by_rule.entry(d.rule.id).or_default() += 1;
        }
        let whole = format!("{whole:?}");
        for size in [1, 2, 7, 64] {
            let parts = parts_of(cx.model, size, 0);
            let by_parts = sorted(run_packed_in_parts(cx, &selected, parts).into_unsorted());
            assert!(
                format!("{by_parts:?}") == whole,
                "{}: parts of {size} nodes find otherwise than the whole",
                path.display()
            );
        }
    });
    for id in BY_PART {
        assert!(
            found_by_rule.get(id).copied().unwrap_or(0) > 0,
            "no file gives {id} a finding: the comparison would not see a lost one"
        );
    }
}

/// A brief run (`check --format concise`: `LintContext::brief`) finds what a full run finds,
/// in the same order, with the same place, severity, rule, primary label and message, and
/// keeps nothing else: every rule on every fixture and corpus file. Rules that skip building
/// their labels and fixes when brief must not change what they report.
#[test]
fn brief_runs_find_what_full_runs_find() {
    let every = |_: &ngxlint::rules::Rule| true;
    let mut with_details = 0;
    let mut compared = 0;
    for_each_model(|path, cx| {
        let brief_cx = ngxlint::rules::LintContext {
            part: cx.part.clone(),
            brief: true,
            ..*cx
        };
        let full = ngxlint::rules::run(cx, &every);
        let brief = ngxlint::rules::run(&brief_cx, &every);
        let shown = |d: &ngxlint::rules::Diagnostic| {
            (
                d.rule.id,
                d.severity,
                d.primary.clone(),
                d.message.to_string(),
            )
        };
        assert_eq!(
            full.iter().map(shown).collect::<Vec<_>>(),
            brief.iter().map(shown).collect::<Vec<_>>(),
            "{}: a brief run reports otherwise",
            path.display()
        );
        for d in &brief {
            assert!(
                d.secondary.is_empty() && d.help.is_none() && d.fix.is_none(),
                "{}: {} keeps details in a brief run",
                path.display(),
                d.rule.id
            );
        }
        compared += full.len();
        with_details += full
            .iter()
            .filter(|d| d.rule.id == "inherited-headers-dropped" && d.fix.is_some())
            .count();
    });
    // The rule that skips its details when brief has findings with them among the files.
    assert!(with_details > 10, "only {with_details} findings to compare");
    assert!(compared > 1000, "only {compared} findings compared");
}

/// Only streaming rules label a finding with why its location streams: the report keeps one
/// such label per location and looks for them among those rules' findings only
/// (`rules::dedupe_why_labels`). Every rule on every fixture and corpus file, before the
/// labels are thinned out (`rules::run`).
#[test]
fn only_streaming_rules_say_why_a_location_streams() {
    use ngxlint::rules::{Category, WHY_PREFIX};

    let mut why = 0;
    for_each_model(|path, cx| {
        for rule in RULES {
            for d in (rule.check)(cx) {
                if d.secondary.iter().any(|l| l.text.starts_with(WHY_PREFIX)) {
                    why += 1;
                    assert_eq!(
                        d.rule.category,
                        Category::Streaming,
                        "{}: {} labels why it streams",
                        path.display(),
                        d.rule.id
                    );
                }
            }
        }
    });
    assert!(why > 50, "only {why} findings say why a location streams");
}

/// `f` on the model of every fixture file, and of every corpus file when the corpus is there
/// (sorted), with the default settings and target.
fn for_each_model(mut f: impl FnMut(&Path, &ngxlint::rules::LintContext<'_>)) {
    use ngxlint::semantics::model::{DEFAULT_VERSION, Model};
    let settings = ngxlint::rules::Settings::default();
    for path in &fixture_and_corpus_files() {
        let program = program_of(path);
        let model = Model::build(&program, DEFAULT_VERSION);
        let cx = ngxlint::rules::LintContext {
            model: &model,
            version: DEFAULT_VERSION,
            settings: &settings,
            part: None,
            brief: false,
        };
        f(path, &cx);
    }
}

/// Every fixture file, and every corpus file when the corpus is there, sorted.
fn fixture_and_corpus_files() -> Vec<PathBuf> {
    let mut files = crate::syntax::fixture_files();
    if let Some(dir) = support::corpus() {
        files.extend(support::corpus_entries(&dir).into_iter().map(|e| e.path));
    }
    files.sort();
    files
}

/// The program of `path` as `check` loads it: its context from its comment, else inferred.
fn program_of(path: &Path) -> ngxlint::semantics::Program {
    let src = std::fs::read(path).unwrap();
    let root_context = ngxlint::lint::context_comment(&src)
        .unwrap_or_else(|| ngxlint::lint::infer_from_tree(&ngxlint::syntax::parse(&src), &src));
    let load = ngxlint::semantics::LoadOptions {
        single_file: false,
        root_context,
        prefix: None,
        overlay: Default::default(),
        path_map: Vec::new(),
        as_written: false,
    };
    ngxlint::semantics::Program::from_source(path.to_owned(), src, &load)
}
