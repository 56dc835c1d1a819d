//! `semantics::cves` against nginx's own sources: the advisories page
//! (`tests/data/nginx-security-advisories.tsv`, from nginx.org's
//! `xml/en/security_advisories.xml`) and the "security" entries of nginx's change log
//! (`tests/data/nginx-changes-security.tsv`, from `docs/xml/nginx/changes.xml` of every branch).
//! Both files say the commit they were made from and the command that made them
//! (`tests/tools/nginx_security_tsv.py`).

use std::collections::{BTreeMap, BTreeSet};

use ngxlint::semantics::cves::{CVES, LEFT_OUT};
use ngxlint::semantics::directives::Version;

use crate::support;

fn rows(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(support::repo_root().join("tests/data").join(file))
        .unwrap_or_else(|e| panic!("tests/data/{file}: {e}"));
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    lines.next().expect("a header line");
    lines
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// `1.1.3-1.23.1, 1.0.7-1.0.15` → inclusive ranges.
fn ranges(s: &str) -> Vec<(Version, Version)> {
    s.split(", ")
        .map(|r| {
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            (Version::parse(a).unwrap(), Version::parse(b).unwrap())
        })
        .collect()
}

/// `1.31.3+, 1.30.4+` → versions.
fn fixes(s: &str) -> BTreeSet<Version> {
    s.split(", ")
        .map(|v| Version::parse(v.trim_end_matches('+')).unwrap())
        .collect()
}

/// (CVE, fixed release) pairs of the change log, by CVE.
fn change_log() -> BTreeMap<String, BTreeSet<Version>> {
    let mut out: BTreeMap<String, BTreeSet<Version>> = BTreeMap::new();
    for r in rows("nginx-changes-security.tsv") {
        out.entry(r[0].clone())
            .or_default()
            .insert(Version::parse(&r[1]).unwrap());
    }
    out
}

#[test]
fn every_row_agrees_with_the_advisory_and_the_change_log() {
    let advisories = rows("nginx-security-advisories.tsv");
    let changes = change_log();
    assert!(advisories.len() >= 60, "{} advisories", advisories.len());
    assert!(
        changes.len() >= 50,
        "{} CVEs in the change log",
        changes.len()
    );
    let mut problems = Vec::new();
    for cve in CVES {
        let Some(adv) = advisories.iter().find(|a| a[0] == cve.id) else {
            problems.push(format!("{}: not on nginx's advisories page", cve.id));
            continue;
        };
        if cve.severity.as_str() != adv[1] {
            problems.push(format!(
                "{}: severity {} (the advisory: {})",
                cve.id,
                cve.severity.as_str(),
                adv[1]
            ));
        }
        if cve.vulnerable != ranges(&adv[3]).as_slice() {
            problems.push(format!(
                "{}: vulnerable {:?} (the advisory: {})",
                cve.id, cve.vulnerable, adv[3]
            ));
        }
        // The first fixed release of each branch: the advisory's "Not vulnerable" line and
        // every release the change log names the CVE in.
        let mut want = fixes(&adv[2]);
        want.extend(changes.get(cve.id).into_iter().flatten().copied());
        let have: BTreeSet<Version> = cve.fixed.iter().copied().collect();
        if have != want || have.len() != cve.fixed.len() {
            problems.push(format!(
                "{}: fixed {:?}, nginx's sources say {:?}",
                cve.id, cve.fixed, want
            ));
        }
        // Where the two nginx sources differ, the row says so.
        let in_log: BTreeSet<Version> = changes.get(cve.id).cloned().unwrap_or_default();
        if in_log != fixes(&adv[2]) && cve.note.is_empty() {
            problems.push(format!(
                "{}: the change log ({in_log:?}) and the advisory ({}) differ and the row has no note",
                cve.id, adv[2]
            ));
        }
        if !adv[5].is_empty() && cve.advisory != adv[5] {
            problems.push(format!(
                "{}: advisory {} (nginx links {})",
                cve.id, cve.advisory, adv[5]
            ));
        }
        for v in cve.fixed {
            if cve.affects(*v) {
                problems.push(format!("{}: affects its own fix {v}", cve.id));
            }
        }
        for &(from, to) in cve.vulnerable {
            if !cve.affects(from) || !cve.affects(to) {
                problems.push(format!("{}: misses the ends of {from}-{to}", cve.id));
            }
        }
    }
    // Every advisory is a row or left out with its reason; no row twice.
    let ids: BTreeSet<&str> = CVES.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), CVES.len(), "a CVE twice in the table");
    for a in &advisories {
        let left = LEFT_OUT.iter().any(|(id, _)| *id == a[0]);
        if ids.contains(a[0].as_str()) == left {
            problems.push(format!(
                "{} ({}): {}",
                a[0],
                a[4],
                if left {
                    "both a row and left out"
                } else {
                    "neither a row nor left out"
                }
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_cve_of_the_change_log_is_on_the_advisories_page() {
    let advisories = rows("nginx-security-advisories.tsv");
    for cve in change_log().keys() {
        assert!(
            advisories.iter().any(|a| &a[0] == cve),
            "{cve} is in nginx's change log but not on its advisories page"
        );
    }
}

#[test]
fn ranges_follow_the_branches() {
    let find = |id: &str| CVES.iter().find(|c| c.id == id).unwrap();
    let map = find("CVE-2026-42533");
    assert!(!map.affects(Version(0, 9, 5)));
    assert!(map.affects(Version(0, 9, 6)));
    assert!(map.affects(Version(1, 30, 3)));
    assert!(!map.affects(Version(1, 30, 4)));
    assert!(!map.affects(Version(1, 30, 9)));
    assert!(map.affects(Version(1, 31, 2)));
    assert!(!map.affects(Version(1, 31, 3)));
    // A stable branch with no backport stays affected.
    assert!(map.affects(Version(1, 28, 3)));
    let quic = find("CVE-2024-32760");
    assert!(quic.affects(Version(1, 26, 0)));
    assert!(!quic.affects(Version(1, 26, 1)));
    assert!(!quic.affects(Version(1, 24, 0)));
    let smtp = find("CVE-2025-53859");
    assert!(!smtp.affects(Version(1, 28, 1)));
    assert!(smtp.affects(Version(1, 28, 0)));
    assert_eq!(find("CVE-2026-42945").fixed_text(), "1.30.1 or 1.31.0");
}
