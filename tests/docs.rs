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
    let opts = Options::default();
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
}

/// The README's coverage table against gixy and nginx-lint names only registered rules, and
/// every peer check it maps to a rule has measured counts (not "–").
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
        if rule == "not yet" {
            continue;
        }
        let id = rule.trim_matches('`');
        assert!(
            ngxlint::rules::rule_by_id(id).is_some(),
            "README coverage table names `{id}`, which is not a registered rule"
        );
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
