//! Rule pages: fixed headings; the Example fires its rule, Use instead does not, and fixing the
//! Example removes the finding. The README's rule table matches the registry.

use ngxlint::lint::{Options, fix_path, lint_path};
use ngxlint::rules::{FixAvailability, RULES};

use crate::support;

const HEADINGS: &[&str] = &[
    "## What it does",
    "## Why it matters",
    "## Example",
    "## Use instead",
    "## Fix",
    "## Options",
    "## Since",
];

/// The first ```nginx block after `heading`.
fn block_after(doc: &str, heading: &str) -> Option<String> {
    let start = doc.find(heading)?;
    let rest = &doc[start..];
    let open = rest.find("```nginx\n")? + "```nginx\n".len();
    let close = rest[open..].find("```")?;
    Some(rest[open..open + close].to_owned())
}

#[test]
fn every_page_has_the_headings_in_order() {
    for rule in RULES {
        let doc = rule.doc;
        assert!(
            doc.starts_with(&format!("# {}\n", rule.id)),
            "{}: page must start with `# {}`",
            rule.id,
            rule.id
        );
        // The line under the title says what `ngxlint rules` says: category, severity (some
        // rules' findings differ, as `¹` marks in README's table), default set, fix.
        let fix = match rule.fix.as_str() {
            "none" => "no fix",
            "sometimes" => "a fix for some findings",
            _ => "a fix",
        };
        let default = if rule.default {
            "in the default set".to_owned()
        } else {
            format!("not in the default set (`--select {}`)", rule.id)
        };
        let severity = rule.severity.as_str();
        let line = |sev: &str| {
            format!(
                "Category: {} · severity: {sev} · {default} · {fix}",
                rule.category.as_str()
            )
        };
        let meta = doc.lines().nth(2).unwrap_or_default();
        assert!(
            meta == line(severity) || meta == line(&format!("{severity} (some findings differ)")),
            "{}: the line under the title must be `{}`, not `{meta}`",
            rule.id,
            line(severity)
        );
        let mut at = 0;
        for h in HEADINGS {
            let pos = doc[at..]
                .find(&format!("\n{h}\n"))
                .unwrap_or_else(|| panic!("{}: missing or misplaced `{h}`", rule.id));
            at += pos + 1;
        }
        let page = support::repo_root()
            .join("rules")
            .join(format!("{}.md", rule.id));
        assert_eq!(
            std::fs::read_to_string(&page).unwrap(),
            doc,
            "{}: embedded page differs from rules/",
            rule.id
        );
    }
    // Every page belongs to a rule.
    for entry in std::fs::read_dir(support::repo_root().join("rules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let id = name.trim_end_matches(".md");
        assert!(
            RULES.iter().any(|r| r.id == id),
            "rules/{name} has no registered rule"
        );
    }
}

/// Lint (and optionally fix) a doc block written as `nginx.conf` in a fresh directory.
fn fires(id: &str, text: &str, fix: bool) -> (bool, bool) {
    let dir = support::tempdir("doc");
    let path = dir.join("nginx.conf");
    std::fs::write(&path, text).unwrap();
    // A rule about the checkout around the file (`include-glob-empty`) names the files the
    // checkout keeps: `# ngxlint: checkout-file=conf.d/site.conf` makes the directory a
    // repository holding that file.
    for kept in text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# ngxlint: checkout-file="))
    {
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        let file = dir.join(kept.trim());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "server {\n    listen 8081;\n}\n").unwrap();
    }
    let mut opts = Options::default();
    // A rule about a later nginx says its version as the fixtures do.
    if let Some(v) = text
        .lines()
        .take(3)
        .find_map(|l| l.trim().strip_prefix("# ngxlint: nginx-version="))
        .and_then(ngxlint::semantics::directives::Version::parse)
    {
        opts.version = v;
    }
    let linted = lint_path(&path, &opts, &|_| true).unwrap();
    let before = linted.diagnostics.iter().any(|d| d.rule.id == id);
    let mut after = before;
    if fix && before {
        let outcome = fix_path(&path, &opts, &|_| true, true)
            .unwrap_or_else(|e| panic!("{id}: fixing the example failed: {e}"));
        after = outcome.fixed.diagnostics.iter().any(|d| d.rule.id == id);
    }
    let _ = std::fs::remove_dir_all(&dir);
    (before, after)
}

#[test]
fn examples_fire_and_use_instead_does_not() {
    for rule in RULES {
        let example = block_after(rule.doc, "## Example")
            .unwrap_or_else(|| panic!("{}: no ```nginx block under Example", rule.id));
        let instead = block_after(rule.doc, "## Use instead")
            .unwrap_or_else(|| panic!("{}: no ```nginx block under Use instead", rule.id));
        let fixable = rule.fix != FixAvailability::None;
        let (before, after) = fires(rule.id, &example, fixable);
        assert!(before, "{}: the Example does not fire the rule", rule.id);
        if rule.fix == FixAvailability::Always {
            assert!(!after, "{}: fixing the Example leaves the finding", rule.id);
        }
        let (instead_fires, _) = fires(rule.id, &instead, false);
        assert!(
            !instead_fires,
            "{}: the Use instead block fires the rule",
            rule.id
        );
    }
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let listed: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| [`"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(
        listed, ids,
        "README rule table must list every rule, in registry order"
    );
    // Each row says what `ngxlint rules` says: severity (`¹` marks one that varies by
    // finding, explained below the table), fixability and summary (`|` escaped for the table).
    for (line, rule) in readme.lines().filter(|l| l.starts_with("| [`")).zip(RULES) {
        let severity = rule.severity.as_str();
        let fix = rule.fix.as_str();
        let summary = rule.summary.replace('|', "\\|");
        let row = format!(
            "| [`{id}`](rules/{id}.md) | {severity} | {fix} | {summary} |",
            id = rule.id
        );
        assert_eq!(
            line.replacen("¹", "", 1),
            row,
            "README rule table row of {} differs from the registry",
            rule.id
        );
    }
}

/// The README's coverage table against gixy and nginx-lint names only registered rules, and
/// every peer check it maps to a rule has measured counts (not "–"); the others are declined,
/// with a link to the reason (`tests/peers.rs` checks the reasons and the counts).
#[test]
fn readme_coverage_table_names_registered_rules() {
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let start = readme
        .find("### Coverage against gixy and nginx-lint")
        .expect("README has the coverage section");
    let rest = &readme[start + 3..];
    let end = rest
        .find("\n## ")
        .into_iter()
        .chain(rest.find("\n### "))
        .min()
        .unwrap_or(rest.len());
    let section = &rest[..end];
    let mut mapped = 0;
    let mut rows = 0;
    for line in section.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // ["", check, rule, counts..., ""]
        if cells.len() < 5 || cells[1].ends_with("check") || cells[1].ends_with("rule") {
            continue;
        }
        rows += 1;
        let rule = cells[2];
        assert!(
            rule != "not yet",
            "README coverage row for {}: every peer check is covered or declined",
            cells[1]
        );
        if rule.starts_with("declined ([why](#declined-") {
            continue;
        }
        // One rule, or several joined by ` + ` (a peer check covered by two rules).
        for id in rule.split(" + ").map(|r| r.trim_matches('`')) {
            assert!(
                ngxlint::rules::rule_by_id(id).is_some(),
                "README coverage table names `{id}`, which is not a registered rule"
            );
        }
        let id = rule;
        assert!(
            cells[3..cells.len() - 1]
                .iter()
                .any(|c| c.contains('/') && !c.starts_with('–')),
            "README coverage row for {} maps `{id}` but shows no counts",
            cells[1]
        );
        mapped += 1;
    }
    assert!(rows >= 60, "only {rows} coverage rows");
    assert!(mapped >= 15, "only {mapped} mapped coverage rows");
}

/// `| found | 731 |`-style rows of a counts table, in order.
fn count_rows(text: &str, first: &str) -> Vec<(String, usize)> {
    let start = text
        .find(first)
        .unwrap_or_else(|| panic!("no {first:?} row"));
    text[start..]
        .lines()
        .map_while(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            match cells.as_slice() {
                [k, v] => Some((k.to_string(), v.parse().ok()?)),
                _ => None,
            }
        })
        .collect()
}

/// The load-time check table in docs/ is the source of the counts the doc and the README
/// show, and names only registered rules; every load-check rule is in it.
#[test]
fn load_check_counts_match_the_doc_table() {
    let doc =
        std::fs::read_to_string(support::repo_root().join("docs/nginx-load-checks.md")).unwrap();
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let mut counts: Vec<(String, usize)> =
        vec![("found".to_owned(), 0), ("covered by a rule".to_owned(), 0)];
    let mut linked = std::collections::BTreeSet::new();
    for row in doc.lines().filter(|l| l.starts_with("| `")) {
        counts[0].1 += 1;
        let verdict = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        if let Some(reason) = verdict.strip_prefix("left out (") {
            let key = format!("left out ({}", reason);
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some(c) => c.1 += 1,
                None => counts.push((key, 1)),
            }
        } else {
            counts[1].1 += 1;
            for part in verdict.split("](../rules/").skip(1) {
                let id = part.split(".md").next().unwrap();
                assert!(
                    RULES.iter().any(|r| r.id == id),
                    "docs/nginx-load-checks.md names unknown rule {id}"
                );
                linked.insert(id.to_owned());
            }
        }
    }
    assert!(
        counts[0].1 >= 700,
        "only {} checks in the table",
        counts[0].1
    );
    let mut sorted = counts.clone();
    sorted[2..].sort();
    let mut doc_counts = count_rows(&doc, "| found |");
    doc_counts[2..].sort();
    assert_eq!(
        doc_counts, sorted,
        "docs/nginx-load-checks.md: Counts vs its table"
    );
    let mut readme_counts = count_rows(&readme, "| found |");
    readme_counts[2..].sort();
    assert_eq!(
        readme_counts, sorted,
        "README's load-check counts vs docs/nginx-load-checks.md"
    );
    for id in crate::rules::LOAD_CHECKS {
        assert!(
            linked.contains(*id),
            "{id} covers no row of docs/nginx-load-checks.md"
        );
    }
}
