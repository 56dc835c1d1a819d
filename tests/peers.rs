//! walf443/nginx-lint's own rule fixtures (MIT, committed in `tests/peers/nginx-lint`): for every
//! nginx-lint rule ngxlint covers, its bad/error files fire the mapped ngxlint rule and its
//! good/expected files do not. The gixy fixtures (MPL-2.0) are not committed; the README's
//! coverage table gives their counts, measured with `tests/tools/peer_coverage.py`.

use std::path::{Path, PathBuf};

use ngxlint::lint::{Options, lint_path};

use crate::support;

/// nginx-lint rule → ngxlint rule, for the rules covered in full.
const MAPPED: &[(&str, &str)] = &[
    ("autoindex_enabled", "autoindex-on"),
    ("deprecated_ssl_protocol", "ssl-protocols-weak"),
    ("duplicate_directive", "duplicate-directive"),
    ("if_is_evil_in_location", "if-is-evil"),
    ("listen_http2_deprecated", "http2-listen-deprecated"),
    ("map_missing_default", "map-without-default"),
    ("nginx_rift", "nginx-cve"),
    ("server_tokens_enabled", "server-tokens-on"),
    ("upstream_server_no_resolve", "proxy-pass-stale-dns"),
    ("weak_ssl_ciphers", "ssl-ciphers-weak"),
];

fn check_dir(check: &str) -> PathBuf {
    let base = support::repo_root().join("tests/peers/nginx-lint/plugins/builtin");
    std::fs::read_dir(&base)
        .unwrap()
        .filter_map(Result::ok)
        .map(|g| g.path().join(check))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("no nginx-lint fixtures for {check}"))
}

/// (positives, negatives) of one nginx-lint rule.
fn cases(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    pos.push(dir.join("examples/bad.conf"));
    neg.push(dir.join("examples/good.conf"));
    if let Ok(entries) = std::fs::read_dir(dir.join("tests/fixtures")) {
        for e in entries.filter_map(Result::ok) {
            pos.push(e.path().join("error/nginx.conf"));
            neg.push(e.path().join("expected/nginx.conf"));
        }
    }
    pos.retain(|p| p.exists());
    neg.retain(|p| p.exists());
    (pos, neg)
}

fn hits(path: &Path, rule: &str) -> usize {
    let rel = path.strip_prefix(support::repo_root()).unwrap_or(path);
    let linted = lint_path(rel, &Options::default(), &|r| r.id == rule).expect("lint");
    linted
        .diagnostics
        .iter()
        .filter(|d| d.rule.id == rule)
        .count()
}

#[test]
fn nginx_lint_fixtures_of_covered_rules() {
    let mut problems = Vec::new();
    let mut total = 0;
    for &(check, rule) in MAPPED {
        let (pos, neg) = cases(&check_dir(check));
        assert!(!pos.is_empty() && !neg.is_empty(), "{check}: no fixtures");
        for p in &pos {
            total += 1;
            if hits(p, rule) == 0 {
                problems.push(format!("{rule} misses {}", p.display()));
            }
        }
        for n in &neg {
            total += 1;
            if hits(n, rule) > 0 {
                problems.push(format!("{rule} fires on {}", n.display()));
            }
        }
    }
    assert!(total >= 20, "only {total} fixtures");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
